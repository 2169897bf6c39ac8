// The county manages its 第一书记 and teams on a phone (390×844) with the
// demo data (docs/VILLAGE.md, docs/WEB.md): it registers a 派出单位 and a
// cadre from it (a wrong ID number is refused under its field in the
// server's words), posts the cadre as 第一书记 of a required village that
// had none and sees the village covered, recalls a cadre (召回, on record),
// records a team's 一述职、两测评、四联考 and sees the score the server
// computes, and adds a log entry with a photo whose thumbnail the team
// page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** A GB 11643 ID number: the 17 digits given plus their check character. */
function withCheck(body17) {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * W[i];
  return body17 + '10X98765432'[s % 11];
}

let server, browser, adminApi, root;
before(async () => {
  server = await startServer();
  browser = await launch();
  adminApi = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  root = adminApi.user.grants[0].org_id;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the county registers a cadre from a new unit, posts them as 第一书记 of a village that needs one, then recalls them', async () => {
  const all = await adminApi.get(`/orgs/${root}/villages`);
  const target = all.items.find((v) => !v.required_reason && !v.first_secretary);
  assert.ok(target, 'the demo has a village with no 第一书记 that is not yet required to have one');
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  // home -> 驻村工作: the village is marked as required to have a 第一书记
  await page.getByRole('link', { name: '驻村工作 ›' }).click();
  await waitRoute(page, /#\/village\?/);
  await page.locator('select[aria-label="筛选"]').selectOption('');
  const vrow = page.locator(`.village[data-org="${target.org_id}"]`);
  await vrow.getByRole('button', { name: '须选派第一书记' }).click();
  const rform = vrow.locator('form[aria-label="须选派第一书记"]');
  await rform.locator('select[name="reason"]').selectOption('weak');
  await rform.getByRole('button', { name: '登记' }).click();
  await vrow.getByText('尚未选派第一书记').waitFor();
  await vrow.getByText('软弱涣散村').waitFor();
  const before = await adminApi.get(`/orgs/${root}/villages?only=uncovered`);
  assert.ok(before.items.some((v) => v.org_id === target.org_id), 'required and uncovered');
  // -> 干部和派出单位
  await page.getByRole('link', { name: '干部和派出单位 ›' }).click();
  await waitRoute(page, /#\/village\/cadres/);
  // a new 派出单位 with its contact
  await page.getByRole('button', { name: '派出单位' }).click();
  await page.getByRole('button', { name: '登记派出单位' }).click();
  const uform = page.locator('form[aria-label="登记派出单位"]');
  await uform.locator('input[name="name"]').fill('县乡村振兴局');
  await uform.locator('input[name="contact_name"]').fill('欧阳联络');
  await uform.locator('input[name="contact_phone"]').fill('13866667777');
  await uform.getByRole('button', { name: '登记' }).click();
  // then the cadre, the new unit chosen already
  const cform = page.locator('form[aria-label="登记干部"]');
  await cform.waitFor();
  assert.equal(await cform.locator('select[name="unit_id"] option:checked').textContent(), '县乡村振兴局');
  await cform.locator('input[name="name"]').fill('司马驻村');
  const id = withCheck('99010119890303123');
  await cform.locator('input[name="id_number"]').fill(id.slice(0, 17) + (id[17] === '1' ? '2' : '1'));
  await cform.locator('input[name="post"]').fill('副局长');
  const bad = page.waitForResponse((r) => r.url().endsWith('/api/v1/cadres') && r.request().method() === 'POST');
  await cform.getByRole('button', { name: '登记' }).click();
  const refused = await (await bad).json();
  assert.equal(refused.error.field, 'id_number');
  await cform.locator('.van-field', { has: page.locator('input[name="id_number"]') }).getByText(refused.error.message).waitFor();
  await shot(page, 'village-admin-cadre-error');
  await cform.locator('input[name="id_number"]').fill(id);
  await cform.getByRole('button', { name: '登记' }).click();
  await waitRoute(page, /#\/village\/cadres\/\d+/);
  const cadreId = Number(/cadres\/(\d+)/.exec(page.url())[1]);
  await page.locator('.id-number').waitFor();
  assert.equal(await page.locator('.id-number').textContent(), '*'.repeat(18), 'masked until asked');
  await page.getByRole('button', { name: '显示完整证件号和电话' }).click();
  await page.locator('.id-number', { hasText: id }).waitFor();
  // post as 第一书记 of the required village
  await page.getByRole('button', { name: '选派驻村' }).click();
  const pform = page.locator('form[aria-label="选派驻村"]');
  await pform.locator(`select[name="org_id"] option[value="${target.org_id}"]`).waitFor({ state: 'attached' });
  await pform.locator('select[name="org_id"]').selectOption(String(target.org_id));
  await pform.locator('select[name="role"]').selectOption('first_secretary');
  await pform.getByRole('button', { name: '选派' }).click();
  const posting = page.locator('.posting', { hasText: target.org_name });
  await posting.waitFor();
  await posting.getByText('第一书记').waitFor();
  await page.locator('.van-toast').waitFor({ state: 'hidden' });
  assert.deepEqual(await axe(page), [], 'the cadre page passes axe');
  await shot(page, 'village-admin-cadre');
  // the village shows as covered this month
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7);
  await page.goto(`/#/village?org=${root}&month=${month}&only=uncovered`);
  await page.locator('[data-count="uncovered"]').waitFor();
  assert.equal(await page.locator(`.village[data-org="${target.org_id}"]`).count(), 0, 'no longer uncovered');
  await page.locator('[data-count="required"]').click();
  const row = page.locator(`.village[data-org="${target.org_id}"]`);
  await row.getByText('第一书记 司马驻村').waitFor();
  const after = await adminApi.get(`/orgs/${root}/villages`);
  assert.equal(after.summary.uncovered_required, before.summary.uncovered_required - 1);
  // 召回: the posting ends with its reason, the outcome is on record
  await page.goto(`/#/village/cadres/${cadreId}`);
  await posting.getByRole('button', { name: '结束任职 / 召回' }).click();
  const eform = posting.locator('form[aria-label="结束任职"]');
  await eform.locator('select[name="reason"]').selectOption('recalled');
  await eform.locator('textarea[name="note"]').fill('驻村天数长期不足，经研究召回');
  await eform.getByRole('button', { name: '确定结束' }).click();
  await page.locator('.outcome', { hasText: '召回' }).waitFor();
  await posting.getByText('召回').first().waitFor();
  const rec = await adminApi.get(`/cadres/${cadreId}`);
  assert.deepEqual(rec.outcomes.map((o) => [o.kind, o.reason]), [['recall', '驻村天数长期不足，经研究召回']]);
  assert.equal(rec.postings[0].end_reason, 'recalled');
  await shot(page, 'village-admin-recalled');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the county records a team evaluation and sees the weighted score; a log entry with a photo shows its thumbnail', async () => {
  const list = await adminApi.get(`/orgs/${root}/villages`);
  const v = list.items.find((x) => x.team_id);
  assert.ok(v, 'the demo has teams');
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`/#/village?org=${root}`);
  await page.locator(`.village[data-org="${v.org_id}"] a[href*="/village/teams/"]`).click();
  await waitRoute(page, /#\/village\/teams\/\d+/);
  // 一述职、两测评、四联考
  const form = page.locator('form[aria-label="年度考核"]');
  await form.waitFor();
  await form.locator('textarea[name="report_summary"]').fill('全年走访农户 320 户，办实事 14 件');
  const scores = { report_score: 90, rating_cadres: 88, rating_villagers: 92, exam_county: 85, exam_township: 87, exam_unit: 90, exam_village: 93 };
  for (const [k, n] of Object.entries(scores)) await form.locator(`input[name="${k}"]`).fill(String(n));
  const sent = page.waitForResponse((r) => /\/evaluations$/.test(r.url()) && r.request().method() === 'POST');
  await form.getByRole('button', { name: '录入考核' }).click();
  const res = await sent;
  assert.equal(res.status(), 201, await res.text());
  const { final_score: fin } = await res.json();
  await page.locator('.eval-score', { hasText: String(fin) }).waitFor();
  const now = await adminApi.get(`/orgs/${root}/villages`);
  assert.equal(now.items.find((x) => x.org_id === v.org_id).eval_score, fin, 'the county list shows the same score');
  // a log entry with a photo
  const log = page.locator('form.log-form');
  await log.locator('textarea[name="what"]').fill('入户走访脱贫户并拍照留存');
  const up = page.waitForResponse((r) => /\/files\?/.test(r.url()) && r.request().method() === 'POST');
  await log.locator('input[type="file"]').setInputFiles({ name: '走访.png', mimeType: 'image/png', buffer: PNG });
  assert.equal((await up).status(), 201);
  await log.locator('.pending img').waitFor();
  await log.getByRole('button', { name: '记录', exact: true }).click();
  const entry = page.locator('.list-row', { hasText: '入户走访脱贫户并拍照留存' });
  const img = entry.locator('img[alt="走访.png"]');
  await img.waitFor();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  assert.match(await img.getAttribute('src'), /^\/api\/v1\/village-files\/\d+$/);
  await page.locator('.van-toast').waitFor({ state: 'hidden' });
  assert.deepEqual(await axe(page), [], 'the team page passes axe');
  await shot(page, 'village-admin-team');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
