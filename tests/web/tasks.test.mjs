// 工作任务 and 通知公告 on a phone (390×844) with the demo data
// (docs/TASKS.md).  The branch secretary answers the county's task, which
// the township passed down, from 我的 in three taps; the township forwards
// a task the county issued and the county sees its villages in the
// roll-up, drilling down to them; a member opens a notice from 我的 and
// the county sees the receipt.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server, browser, adminApi, root, branch, township;
before(async () => {
  server = await startServer();
  browser = await launch();
  adminApi = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  root = adminApi.user.grants[0].org_id;
  branch = (await apiLogin(server.url, 'secretary', ADMIN_PASSWORD)).user.grants[0].org_id;
  township = (await apiLogin(server.url, 'township', ADMIN_PASSWORD)).user.grants[0].org_id;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** The county's issued task of this title. */
async function countyTask(title) {
  const t = (await adminApi.get(`/orgs/${root}/tasks?box=issued`)).items.find((x) => x.title === title);
  assert.ok(t, `the demo county issued ${title}`);
  return t;
}

test('the branch secretary replies to a task from 我的 in three taps; the county sees it', async () => {
  const title = '报送2026年度抓基层党建工作述职评议材料'.replace('2026', new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
  const t = await countyTask(title);
  const before = await adminApi.get(`/tasks/${t.id}/progress`);
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto('/#/me');
  const link = page.locator('.inbox-task', { hasText: title });
  await link.waitFor();
  let taps = 0;
  await link.click(); taps++;
  await waitRoute(page, /#\/task-targets\/\d+$/);
  await page.getByText('未完成', { exact: true }).waitFor();
  const box = page.getByLabel('回复内容');
  await box.click(); taps++;
  await box.fill('已召开支委会研究，述职报告已定稿。');
  assert.deepEqual(await axe(page), [], 'the task page passes axe');
  await page.locator('.reply-submit').click(); taps++;
  await page.locator('.task-state', { hasText: '已完成' }).waitFor();
  assert.ok(taps <= 4, `${taps} taps from 我的`);
  await shot(page, 'task-reply');
  const after1 = await adminApi.get(`/tasks/${t.id}/progress`);
  assert.equal(after1.done, before.done + 1);
  assert.equal(after1.assigned, before.assigned);
  // another task of the branch opened on the same screen shows that task, not the last one
  const mine = await page.evaluate(async () => (await (await fetch('/api/v1/me/inbox')).json()).tasks);
  const other = mine.find((x) => x.title !== title);
  await page.goto(`/#/task-targets/${other.target_id}`);
  await page.locator('.task-title', { hasText: other.title }).waitFor({ timeout: 5000 });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the township forwards the county task; the county sees the roll-up and drills down', async () => {
  const t = await countyTask('摸排软弱涣散村党组织');
  const children = (await adminApi.get(`/orgs/${township}/children`)).items.filter((o) => !o.dissolved_on);
  let page = await openPage(browser, PHONE, server.url);
  await login(page, 'township', ADMIN_PASSWORD);
  await page.goto('/#/me');
  await page.locator('.inbox-task', { hasText: '摸排软弱涣散村党组织' }).click();
  await waitRoute(page, /#\/task-targets\/\d+$/);
  await page.getByRole('button', { name: '转发给下级' }).click();
  await waitRoute(page, /\/forward$/);
  await page.locator('.task-submit').click();
  await waitRoute(page, /#\/tasks\/\d+$/);
  await page.locator('[data-count="assigned"] .stat-num').waitFor();
  assert.equal(Number(await page.locator('[data-count="assigned"] .stat-num').textContent()), children.length);
  await page.context().close();

  page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`/#/tasks?org=${root}&box=issued`);
  await page.locator('.task-list a', { hasText: '摸排软弱涣散村党组织' }).click();
  await waitRoute(page, new RegExp(`#/tasks/${t.id}$`));
  const row = page.locator(`.progress-orgs li[data-org="${township}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(`0 / ${children.length}.*已转发`));
  const p = await adminApi.get(`/tasks/${t.id}/progress`);
  assert.equal(p.assigned, t.assigned - 1 + children.length);
  assert.equal(Number(await page.locator('[data-count="assigned"] .stat-num').textContent()), p.assigned);
  await shot(page, 'task-progress');
  await row.locator('a.drill').click();
  await waitRoute(page, new RegExp(`under=${township}`));
  // the township itself (passed on) and each org below it
  await page.waitForFunction((n) => document.querySelectorAll('.progress-orgs li').length === n, children.length + 1);
  const shown = await page.locator('.progress-orgs li').evaluateAll((els) => els.map((e) => Number(e.dataset.org)));
  assert.deepEqual(shown.sort(), [township, ...children.map((c) => c.id)].sort());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a member reads a notice from 我的 and the county sees the receipt', async () => {
  const n = (await adminApi.get(`/orgs/${root}/notices`)).items.find((x) => x.title === '关于开展党员冬训工作的通知');
  assert.ok(n);
  let page = await openPage(browser, PHONE, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  await page.goto('/#/me');
  // the year's 学时 in the same list, as 我的学习 counts them
  const st = await page.evaluate(async () => (await fetch(`/api/v1/me/study?year=${new Date().getFullYear()}`)).json());
  const line = page.locator('.inbox-study');
  await line.waitFor();
  assert.match(await line.textContent(), new RegExp(`已学 ${st.hours} 学时.*${st.hours < st.required ? `还差 ${st.required - st.hours} 学时` : '已达到'}`));
  const link = page.locator('.unread .inbox-notice', { hasText: n.title });
  await link.click();
  await waitRoute(page, new RegExp(`#/notices/${n.id}$`));
  await page.locator('.read-mark', { hasText: '已读' }).waitFor();
  assert.deepEqual(await axe(page), [], 'the notice page passes axe');
  await page.context().close();

  page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`/#/notices?org=${root}`);
  await page.locator('.notice-list a', { hasText: n.title }).click();
  await waitRoute(page, new RegExp(`#/notices/${n.id}$`));
  await page.locator('[data-count="read"]').waitFor();
  // the member, and the county itself (a recipient too: opening it is reading it)
  assert.equal(Number(await page.locator('[data-count="read"]').textContent()), n.read + 2);
  assert.equal((await adminApi.get(`/notices/${n.id}/receipts`)).read, n.read + 2);
  const member = page.locator('.people li', { hasText: '党员' }).filter({ hasText: '已读' });
  assert.ok(await member.count() >= 1, 'the member is shown as read');
  await shot(page, 'notice-receipts');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('an empty title is named in Chinese on 下发任务 and 发布通知, and what was typed stays (phone)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/api\/v1\/(tasks|notices)$/.test(r.url())) posts.push(r.url()); });
  await page.goto(`/#/tasks/new?org=${root}`);
  await page.getByLabel('任务内容').fill('请各村党组织报送阵地面积和使用情况。');
  await page.getByLabel('下发对象').selectOption('domain');
  await page.getByRole('button', { name: '下发', exact: true }).click();
  await page.getByText('请填写任务标题').waitFor();
  assert.equal(await page.getByText(/缺少必填字段|title/).count(), 0);
  assert.equal(await page.getByLabel('任务内容').inputValue(), '请各村党组织报送阵地面积和使用情况。');
  assert.equal(await page.getByLabel('下发对象').inputValue(), 'domain');
  await page.goto(`/#/notices/new?org=${root}`);
  await page.getByLabel('正文').fill('各支部于12月底前召开组织生活会。');
  await page.getByRole('button', { name: '发布', exact: true }).click();
  await page.getByText('请填写标题').waitFor();
  assert.equal(await page.getByLabel('正文').inputValue(), '各支部于12月底前召开组织生活会。');
  assert.deepEqual(posts, [], 'nothing was sent');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a task a 三务公开 item completes names its quarter in words, in its title and on its page (phone)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto('/#/me');
  const item = page.locator('a, [role="link"], li', { hasText: /按时公开.*党务/ }).first();
  await item.waitFor();
  const title = await item.innerText();
  assert.match(title, /按时公开\d{4}年第[1-4]季度党务/);
  assert.doesNotMatch(title, /Q\d/);
  await page.getByText(/按时公开\d{4}年第[1-4]季度党务/).first().click();
  await waitRoute(page, /#\/task-targets\/\d+$/);
  await page.getByText(/\d{4}年第[1-4]季度的三务公开事项：平台中已有的记录即为完成/).waitFor();
  assert.doesNotMatch(await page.locator('#main').innerText(), /\d{4}-Q\d/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
