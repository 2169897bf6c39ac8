// 党费减免 and 自愿多交 on a phone (390×844) with the demo data.  The
// branch secretary records, from a member's dues page, an exemption the
// branch decided for six months of hardship; the township 党委 finds it
// from its dues sheet, approves it with a note, and the member's months
// then owe nothing.  A reduction the 党委 rejects shows as rejected and
// changes nothing.  A one-off voluntary payment of 1000 yuan is recorded;
// 999.99 is refused, the server's own words under the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD, PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server, browser, sec, townApi, branch, town, year, members;
before(async () => {
  server = await startServer();
  browser = await launch();
  sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  branch = sec.user.grants[0].org_id;
  town = (await sec.get(`/orgs/${branch}`)).parent_id;
  assert.ok(town, 'the demo branch has a 党委 above it');
  server.cli(['user', 'add', 'town_dues', '--display-name', '镇党委组织委员', '--role', 'party_worker', '--org', String(town)],
    { ZHIBU_PASSWORD: PASSWORD });
  townApi = await apiLogin(server.url, 'town_dues', PASSWORD);
  const sheet = await sec.get(`/orgs/${branch}/dues`);
  year = Number(sheet.month.slice(0, 4));
  members = sheet.members.filter((m) => m.due !== null && m.due !== '0.00');
  assert.ok(members.length >= 3, 'the demo branch has members with a base');
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** The reduction form on a member's dues page, filled and sent; the answer. */
async function recordReduction(page, { kind, from, to, amount, reason }) {
  const form = page.locator('form.red-form');
  await form.getByLabel('减免类别').selectOption(kind);
  await form.getByLabel('起始月份').fill(from);
  await form.getByLabel('截止月份').fill(to);
  if (amount) await form.locator('input[name="red-amount"]').fill(amount);
  await form.locator('input[name="red-reason"]').fill(reason);
  const sent = page.waitForResponse((r) => /\/api\/v1\/members\/\d+\/dues-reductions$/.test(r.url()) && r.request().method() === 'POST');
  await form.getByRole('button', { name: '登记减免，报上级审批' }).click();
  const res = await sent;
  assert.equal(res.status(), 201, await res.text());
  return res.json();
}

test('a branch secretary records a 6-month exemption for a member in hardship; the township 党委 approves it; the months owe nothing', async () => {
  const m = members[0];
  const from = `${year}-01`, to = `${year}-06`;

  // the branch: from the member's dues page
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/members/${m.member_id}/dues`);
  await page.locator('.dues-table').waitFor();
  assert.deepEqual(await axe(page), [], 'the dues page with its forms passes axe');
  const red = await recordReduction(page, { kind: 'exempt', from, to, reason: '家庭生活困难，支部讨论同意免交' });
  assert.deepEqual([red.kind, red.from, red.to, red.state], ['exempt', from, to, 'pending']);
  const item = page.locator('.red-item', { hasText: `${from} 至 ${to}` });
  await item.locator('.red-state', { hasText: '待上级审批' }).waitFor();
  let d = await sec.get(`/members/${m.member_id}/dues?year=${year}`);
  assert.ok(d.months.slice(0, 6).every((x) => x.reduced === null), 'pending changes nothing');
  await shot(page, 'dues-reduction-recorded');
  // the branch cannot approve its own decision: nothing waits for it
  assert.equal((await sec.get(`/orgs/${branch}/dues-reductions?state=pending`)).items.find((x) => x.id === red.id).can_decide, false);
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the township 党委: from home to its dues sheet to the list, approve with a note
  const waiting = (await townApi.get(`/orgs/${town}/dues-reductions?state=pending`)).items.filter((x) => x.can_decide);
  assert.ok(waiting.some((x) => x.id === red.id));
  const tp = await openPage(browser, PHONE, server.url);
  await login(tp, 'town_dues', PASSWORD);
  await tp.goto('/#/');
  await tp.locator('.dues-link').click();
  await waitRoute(tp, /#\/dues/);
  const link = tp.locator('.pending-link');
  await link.waitFor();
  assert.ok((await link.innerText()).includes(`待您审批 ${waiting.length} 件`), await link.innerText());
  await link.click();
  await waitRoute(tp, /#\/dues\/reductions/);
  const card = tp.locator('section.reduction', { hasText: m.name });
  await card.waitFor();
  assert.ok((await card.innerText()).includes(`${from} 至 ${to} · 免交`));
  await shot(tp, 'dues-reduction-approve');
  await card.locator('input[name="note-' + red.id + '"]').fill('情况属实，同意免交');
  const decided = tp.waitForResponse((r) => r.url().endsWith(`/api/v1/dues/reductions/${red.id}/decision`));
  await card.getByRole('button', { name: '批准', exact: true }).click();
  assert.equal((await decided).status(), 200);
  await tp.locator('.van-toast', { hasText: '已批准' }).waitFor();
  await tp.locator('section.reduction', { hasText: m.name }).waitFor({ state: 'detached' });

  // the member's months: 0 due, marked 免交, on the server and on the page
  d = await townApi.get(`/members/${m.member_id}/dues?year=${year}`);
  assert.deepEqual(d.months.slice(0, 6).map((x) => [x.due, x.owed, x.reduced]), Array(6).fill(['0.00', '0.00', 'exempt']));
  assert.equal(d.reductions.find((x) => x.id === red.id).approval_note, '情况属实，同意免交');
  await tp.goto(`/#/members/${m.member_id}/dues`);
  await tp.locator('.dues-table').waitFor();
  const rows = tp.locator('.dues-table tbody tr');
  for (let i = 0; i < 6; i++) {
    const cells = await rows.nth(i).locator('td').allInnerTexts();
    assert.deepEqual([cells[0], cells[2]], ['0.00（免交）', '0.00'], `${i + 1} 月`);
  }
  await tp.locator('.red-item', { hasText: `${from} 至 ${to}` }).locator('.red-state', { hasText: '已批准：情况属实，同意免交' }).waitFor();
  await shot(tp, 'dues-reduction-approved');
  assert.deepEqual(tp.errors, []);
  await tp.context().close();
});

test('a reduction the township 党委 rejects shows as rejected and changes nothing', async () => {
  const m = members[1];
  const month = `${year}-03`;
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/members/${m.member_id}/dues`);
  await page.locator('.dues-table').waitFor();
  const before = await sec.get(`/members/${m.member_id}/dues?year=${year}`);
  const red = await recordReduction(page, { kind: 'reduce', from: month, to: month, amount: '1.00', reason: '收入减少' });
  assert.deepEqual([red.kind, red.amount, red.state], ['reduce', '1.00', 'pending']);

  const tp = await openPage(browser, PHONE, server.url);
  await login(tp, 'town_dues', PASSWORD);
  await tp.goto(`/#/dues?org=${town}`);
  await tp.locator('.pending-link').click();
  await waitRoute(tp, /#\/dues\/reductions/);
  const card = tp.locator('section.reduction', { hasText: m.name });
  await card.locator('input[name="note-' + red.id + '"]').fill('缺少收入证明');
  const decided = tp.waitForResponse((r) => r.url().endsWith(`/api/v1/dues/reductions/${red.id}/decision`));
  await card.getByRole('button', { name: '不批准' }).click();
  const res = await decided;
  assert.equal(res.status(), 200);
  assert.equal((await res.json()).state, 'rejected');
  await tp.getByRole('combobox', { name: '审批状态' }).selectOption('rejected');
  await tp.locator('section.reduction', { hasText: m.name }).locator('.state.rejected', { hasText: '未批准' }).waitFor();
  assert.deepEqual(tp.errors, []);
  await tp.context().close();

  // the branch sees it rejected, with the note; the month is as before
  await page.reload();
  await page.locator('.red-item', { hasText: `${month} 至 ${month}` }).locator('.red-state.rejected', { hasText: '未批准：缺少收入证明' }).waitFor();
  const after = await sec.get(`/members/${m.member_id}/dues?year=${year}`);
  assert.deepEqual(after.months[2], before.months[2], 'a rejected reduction changes nothing');
  await shot(page, 'dues-reduction-rejected');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a member\'s voluntary 1000-yuan payment is recorded; 999.99 is refused with the server\'s message', async () => {
  const m = members[2];
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/members/${m.member_id}/dues`);
  const form = page.locator('form.vol-form');
  await form.waitFor();
  const amount = form.locator('input[name="vol-amount"]');
  const send = async (value) => {
    await amount.fill(value);
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/dues/payments') && r.request().method() === 'POST');
    await form.getByRole('button', { name: '登记自愿交纳' }).click();
    return sent;
  };

  // 999.99: refused, the server's words under the field, nothing recorded
  const refused = await send('999.99');
  assert.equal(refused.status(), 400);
  const err = (await refused.json()).error;
  assert.equal(err.field, 'amount');
  assert.ok(err.message.includes('1000.00'), err.message);
  const shown = form.locator('.van-field:has(input[name="vol-amount"]) .van-field__error-message');
  await shown.waitFor();
  assert.equal(await shown.innerText(), err.message, 'the refusal verbatim');
  assert.ok(!(await sec.get(`/members/${m.member_id}/dues?year=${year}`)).payments.some((p) => p.kind === 'voluntary'));
  await shot(page, 'dues-voluntary-refused');

  // 1000: recorded as voluntary, months untouched
  const before = await sec.get(`/members/${m.member_id}/dues?year=${year}`);
  const ok = await send('1000');
  assert.equal(ok.status(), 201, await ok.text());
  assert.deepEqual(JSON.parse(ok.request().postData()).voluntary, true);
  await page.getByText('已登记自愿交纳 1000 元').waitFor();
  await page.locator('.plain-list li', { hasText: '一次性自愿交纳' }).waitFor();
  assert.equal(await shown.count(), 0, 'the refusal is gone');
  const after = await sec.get(`/members/${m.member_id}/dues?year=${year}`);
  const v = after.payments.filter((p) => p.kind === 'voluntary');
  assert.deepEqual(v.map((p) => [p.amount, p.months]), [['1000.00', []]]);
  assert.deepEqual(after.months, before.months, 'a voluntary payment is no month\'s dues');
  await shot(page, 'dues-voluntary');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
