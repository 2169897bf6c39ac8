// 软弱涣散 and 整顿 on a phone (390×844) with the demo data
// (docs/RECTIFY.md): the branch secretary opens the branch's 整顿 plan from
// the branch page, records progress and marks the overdue measure done;
// the county tries 销号 while a measure is still open and sees the
// refusal, marks the last one done and closes the plan.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server, browser, branch;
before(async () => {
  server = await startServer();
  browser = await launch();
  branch = (await apiLogin(server.url, 'secretary', ADMIN_PASSWORD)).user.grants[0].org_id;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the secretary records progress and a measure done; the county is refused 销号 while one is open, then closes it', async () => {
  let page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${branch}`);
  await page.locator('.weak-link').click();
  await waitRoute(page, /#\/rectify\/\d+$/);
  const name = (await page.locator('.plan-title').textContent()).trim();
  await page.locator('.plan-status', { hasText: '整顿中' }).waitFor();
  // the branch records and marks done, but has no 销号
  assert.equal(await page.locator('.close-btn').count(), 0);
  assert.deepEqual(await axe(page), [], 'the plan page passes axe');
  await page.getByRole('textbox', { name: '进展', exact: true }).fill('支委会研究制定主题党日计划，本月已开展一次');
  await page.locator('.progress-submit').click();
  await page.locator('.progress-item', { hasText: '支委会研究制定主题党日计划' }).waitFor();
  const overdue = page.locator('.measure', { hasText: '健全三会一课制度' });
  await overdue.locator('.measure-state', { hasText: '逾期未完成' }).waitFor();
  await overdue.locator('.done-btn').click();
  await overdue.getByLabel('完成情况').fill('每月 15 日为主题党日');
  await overdue.locator('.done-confirm').click();
  await overdue.locator('.measure-state', { hasText: '已完成' }).waitFor();
  await shot(page, 'rectify-plan-secretary');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  // from the county's list: the branch with its progress, then its plan
  await page.goto('/#/rectify');
  const row = page.locator('.weak-list li', { hasText: name });
  await row.getByText('措施完成 2 / 3').waitFor();
  await page.getByRole('tab', { name: '排查' }).click();
  await page.locator('.weak-candidate').first().waitFor();
  assert.deepEqual(await axe(page), [], 'the county list passes axe');
  await shot(page, 'rectify-candidates');
  await page.getByRole('tab', { name: '整顿中的支部' }).click();
  await row.locator('a').click();
  await waitRoute(page, /#\/rectify\/\d+$/);
  await page.locator('.plan-status', { hasText: '整顿中' }).waitFor();
  // the county changes the 包联 leader on the page (there was no form for it)
  await page.locator('.plan-edit').click();
  await page.locator('.plan-form input[name="leader_name"]').fill('李国强');
  await page.locator('.plan-form input[name="leader_post"]').fill('县委副书记');
  await page.locator('.plan-save').click();
  await page.locator('dl.kv', { hasText: '李国强（县委副书记）' }).waitFor();
  assert.equal(await page.locator('.plan-form').count(), 0);
  await page.getByLabel('审核意见').fill('整改到位，同意销号');
  await page.locator('.close-btn').click();
  const refusal = page.locator('.refusal');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /还有 1 项整改措施未完成，不能销号：“确定入党积极分子 2 名，列入发展计划”/);
  await shot(page, 'rectify-refused');
  const last = page.locator('.measure', { hasText: '确定入党积极分子' });
  await last.locator('.done-btn').click();
  await last.locator('.done-confirm').click();
  await last.locator('.measure-state', { hasText: '已完成' }).waitFor();
  await page.locator('.close-btn').click();
  await page.locator('.plan-status', { hasText: '已销号' }).waitFor();
  assert.equal(await page.locator('.close-btn').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
