// 驻村第一书记 and 驻村工作队 on a phone (390×844) with the demo data
// (docs/VILLAGE.md).  The county (the demo's admin) goes from home to the
// village list and finds, by tapping 驻村天数不足, exactly the villages
// whose 第一书记 was in the village fewer days last month than the rule
// asks.  The demo's 第一书记 (account shuji, linked to the cadre) files a
// 3-day leave from home; the township approves it from its list, where a
// 4-day leave waits for the county instead; the village page shows the
// 第一书记 and the team.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 864e5).toISOString().slice(0, 10);

let server, browser, adminApi, shujiApi, townApi, root, village, lastMonth;
before(async () => {
  server = await startServer();
  browser = await launch();
  adminApi = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  shujiApi = await apiLogin(server.url, 'shuji', ADMIN_PASSWORD);
  townApi = await apiLogin(server.url, 'township', ADMIN_PASSWORD);
  root = adminApi.user.grants[0].org_id;
  village = shujiApi.user.grants[0].org_id;
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCDate(0);
  lastMonth = d.toISOString().slice(0, 7);
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the county finds the villages whose 第一书记 was under 20 days last month', async () => {
  const want = await adminApi.get(`/orgs/${root}/villages?month=${lastMonth}&only=under`);
  assert.ok(want.summary.required > 0 && want.summary.teams > 0, 'the demo has required villages and teams');
  assert.ok(want.items.length > 0, 'the demo has a month under the rule');
  assert.ok(want.items.every((v) => v.first_secretary && !v.first_secretary.ok && v.first_secretary.days_in_village < v.first_secretary.required));
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.getByRole('link', { name: '驻村工作 ›' }).click();
  await waitRoute(page, /#\/village\?/);
  await page.locator('.village').first().waitFor();
  await page.locator('[data-count="under"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('.village').length === n && /only=under/.test(location.hash), want.items.length);
  const shown = await page.locator('.village').evaluateAll((els) => els.map((e) => Number(e.dataset.org)));
  assert.deepEqual(shown.sort(), want.items.map((v) => v.org_id).sort());
  assert.equal(await page.locator('.village', { hasText: '驻村天数不足' }).count(), want.items.length);
  assert.deepEqual(await axe(page), [], 'the village list passes axe');
  await shot(page, 'village-county-under');
  // a village's team page: presence per month and the log
  await page.locator('.village a[href*="/village/teams/"]').first().click();
  await waitRoute(page, /#\/village\/teams\/\d+/);
  await page.locator('table.months tbody tr').nth(5).waitFor();
  assert.equal(await page.locator('table.months tbody tr').count(), 6);
  await shot(page, 'village-team');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the 第一书记 files a 3-day leave at phone size; the township approves it; 4 days wait for the county', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'shuji', ADMIN_PASSWORD);
  await page.getByRole('link', { name: '驻村请假 ›' }).click();
  await waitRoute(page, /#\/village\/leave/);
  const form = page.locator('form');
  await form.waitFor();
  await form.getByLabel('类型').selectOption('leave');
  await form.locator('input[name="from_on"]').fill(day(20));
  await form.locator('input[name="to_on"]').fill(day(22));
  await page.getByText('共 3 天，由乡镇党委审批').waitFor();
  await form.locator('textarea[name="reason"]').fill('回派出单位参加年度考核');
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/village-leaves') && r.request().method() === 'POST');
  await form.getByRole('button', { name: '提交' }).click();
  const res = await sent;
  assert.equal(res.status(), 201, await res.text());
  const three = await res.json();
  assert.deepEqual([three.days, three.level, three.status], [3, 'township', 'pending']);
  await page.locator('.done', { hasText: '待' }).waitFor();
  assert.deepEqual(await axe(page), [], 'the leave form passes axe');
  await shot(page, 'village-leave-filed');
  // four days: the county's
  await form.locator('input[name="from_on"]').fill(day(30));
  await form.locator('input[name="to_on"]').fill(day(33));
  await page.getByText('共 4 天，由县委组织部审批').waitFor();
  await form.locator('textarea[name="reason"]').fill('家人住院陪护');
  const sent4 = page.waitForResponse((r) => r.url().endsWith('/api/v1/village-leaves') && r.request().method() === 'POST');
  await form.getByRole('button', { name: '提交' }).click();
  const four = await (await sent4).json();
  assert.equal(four.level, 'county');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  // the township: home -> 驻村请假审批 -> 批准
  const tp = await openPage(browser, PHONE, server.url);
  await login(tp, 'township', ADMIN_PASSWORD);
  await tp.getByRole('link', { name: '驻村请假审批 ›' }).click();
  await waitRoute(tp, /#\/village\/leaves/);
  const card = tp.locator(`[data-absence="${three.id}"]`);
  await card.waitFor();
  const other = tp.locator(`[data-absence="${four.id}"]`);
  await other.locator('text=待县委组织部审批').waitFor();
  assert.equal(await other.getByRole('button', { name: '批准', exact: true }).count(), 0, 'the township cannot approve 4 days');
  await shot(tp, 'village-leave-approve');
  await card.getByRole('button', { name: '批准', exact: true }).click();
  await card.waitFor({ state: 'detached' });
  const list = await townApi.get(`/village-leaves?org=${village}`);
  assert.ok(!list.items.some((x) => x.id === three.id), 'approved: no longer pending');
  assert.ok(list.items.some((x) => x.id === four.id && !x.can_decide));
  assert.deepEqual(tp.errors, []);
  await tp.context().close();
  // the county approves the 4 days
  const r = await adminApi.post(`/village-leaves/${four.id}/decide`, { approve: true });
  assert.equal(r.status, 'approved');
});

test('the village page shows its 第一书记 and team', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${village}`);
  const sec = page.locator('section[aria-labelledby="h-village"]');
  await sec.waitFor();
  const me = await shujiApi.get('/village/me');
  await sec.getByText(me.items[0].name).waitFor();
  await sec.getByRole('link', { name: /驻村工作队/ }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
