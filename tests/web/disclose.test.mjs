// 三务公开 as tasks at phone size (390x844; docs/DISCLOSURE.md): a villager
// opens the village's public page from the board's QR code on a slow line
// with JavaScript off and reads only what was published there; the village
// drafts a month's 财务收支 with its table (its 党务工作者, without
// org.write), another worker of the branch approves it from the queue, the
// township reviews it, the village publishes it, and the page shows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, axe, waitRoute, needRoutes, apiLogin, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const year = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
let server, browser, f, town;

before(async () => {
  server = await startServer();
  f = await fixtures(server);
  const add = (name, org, role = 'org_admin') => server.cli(['user', 'add', name, '--display-name', name, '--role', role, '--org', String(org)],
    { ZHIBU_PASSWORD: PASSWORD });
  // the village's own 党务工作者 draft and approve (meeting.write, no org.write)
  add('gk_drafter', f.branchA.id, 'party_worker');
  add('gk_approver', f.branchA.id, 'party_worker');
  add('gk_town', f.town.id);
  town = await apiLogin(server.url, 'gk_town', PASSWORD);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** Draft, approve and review through the API; publish unless draftOnly. */
async function published(org, body, draftOnly) {
  const d = await f.admin.post('/disclosures', { org_id: org, ...body });
  if (draftOnly) return d;
  await f.admin.post(`/disclosures/${d.id}/steps`, { action: 'submit' });
  await town.post(`/disclosures/${d.id}/steps`, { action: 'approve' });
  await town.post(`/disclosures/${d.id}/steps`, { action: 'review' });
  await f.admin.post(`/disclosures/${d.id}/steps`, { action: 'publish' });
  return d;
}

test('the public page on a slow line with JavaScript off: the village\'s published items only (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['GET /public/disclosures', 'POST /disclosures']))) return;
  await published(f.branchA.id, { kind: 'finance', period: `${year - 1}-12`, title: '十二月财务收支公开', body: '本月收支如下，欢迎监督。',
    tables: [{ title: '财务收支（单位：元）', columns: ['日期', '摘要', '收入', '支出'], rows: [['12日', '道路维修', 0, 3500], ['20日', '上级补助', 20000, 0]] }] });
  await published(f.branchA.id, { kind: 'party', period: `${year - 1}-Q4`, title: '四季度党务公开草稿' }, true);
  await published(f.branchB.id, { kind: 'finance', period: `${year - 1}-12`, title: '青山村十二月收支' });

  const { name, ...opts } = PHONE;
  const context = await browser.newContext({ ...opts, baseURL: server.url, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await context.newPage();
  page.size = name;
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  // a cheap phone on a poor 3G line
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8 });
  const sizes = [];
  cdp.on('Network.loadingFinished', (e) => sizes.push(e.encodedDataLength));
  const t0 = Date.now();
  const res = await page.goto(`/gk/${f.branchA.id}`);
  const ms = Date.now() - t0;
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['set-cookie'], undefined);
  await page.getByRole('heading', { name: f.branchA.name }).waitFor();
  await page.getByText('十二月财务收支公开').waitFor();
  await page.getByRole('cell', { name: '道路维修' }).waitFor();
  const text = await page.locator('body').innerText();
  assert.ok(!text.includes('四季度党务公开草稿'), 'a draft is absent');
  assert.ok(!text.includes('青山村十二月收支'), 'nothing of the neighbouring village');
  assert.ok(!/(?<!\d)1[3-9]\d{9}(?!\d)/.test(text), 'no mobile number');
  assert.equal(sizes.length, 1, 'one request: no script, no stylesheet, no font');
  assert.ok(sizes[0] < 8000, `the page weighs ${sizes[0]} bytes`);
  assert.ok(ms < 3000, `loaded in ${ms} ms on the slow line`);
  // it fits the phone's width
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await shot(page, 'disclosure-public');
  // printed for the board: one column, nothing hidden that carries content
  await page.emulateMedia({ media: 'print' });
  await page.getByText('十二月财务收支公开').waitFor();
  await context.close();
});

test('draft, approve, review and publish a month\'s 财务收支 in the app (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /disclosures', 'POST /disclosures/{id}/steps', 'GET /orgs/{id}/disclosure-queue']))) return;
  const period = `${year - 1}-11`;
  // the village drafts it from its org page
  const v = await openPage(browser, PHONE, server.url);
  await login(v, 'gk_drafter');
  await v.goto(`/#/orgs/${f.branchA.id}`);
  await v.getByRole('button', { name: '三务公开' }).click();
  await waitRoute(v, /#\/orgs\/\d+\/disclosures/);
  await v.getByRole('button', { name: '起草公开事项' }).click();
  await waitRoute(v, /#\/disclosures\/new/);
  await v.getByLabel('公开期间').fill(period);
  await v.getByLabel('标题').fill('十一月财务收支公开');
  await v.getByLabel('正文').fill('本月收支如下。');
  await v.getByRole('button', { name: '添加表格' }).click();
  await v.getByRole('group', { name: '第 1 行' }).getByLabel('日期').fill('05日');
  await v.getByRole('group', { name: '第 1 行' }).getByLabel('摘要').fill('联系电话 13912345678');
  await v.getByRole('group', { name: '第 1 行' }).getByLabel('支出').fill('1200');
  await shot(v, 'disclosure-draft');
  await v.getByRole('button', { name: '保存草稿' }).click();
  await waitRoute(v, /#\/disclosures\/\d+$/);
  const id = Number(/disclosures\/(\d+)/.exec(await v.evaluate(() => location.hash))[1]);
  // a mobile number in a cell: refused at submit, naming where
  await v.getByRole('button', { name: '提交审核' }).click();
  await v.getByRole('alert').filter({ hasText: '第 1 张表第 1 行第 2 列' }).waitFor();
  await v.getByRole('button', { name: '修改' }).click();
  await v.getByRole('group', { name: '第 1 行' }).getByLabel('摘要').fill('道路维修');
  await v.getByRole('button', { name: '保存草稿' }).click();
  await v.getByRole('button', { name: '提交审核' }).click();
  await v.locator('.dsc-status', { hasText: '待支部审核' }).waitFor();
  assert.equal(await v.getByRole('button', { name: '支部审核通过' }).count(), 1);
  assert.deepEqual(v.errors, []);
  await v.context().close();

  // another member of the branch approves it from the queue on the home page
  const a = await openPage(browser, PHONE, server.url);
  await login(a, 'gk_approver');
  await a.getByRole('link', { name: '三务公开审核' }).click();
  await waitRoute(a, /#\/disclosures\/queue/);
  await a.getByRole('button', { name: '支部审核' }).first().click();
  await waitRoute(a, new RegExp(`#/disclosures/${id}$`));
  await a.getByRole('cell', { name: '道路维修' }).waitFor();
  await a.getByRole('button', { name: '支部审核通过' }).click();
  await a.locator('.dsc-status', { hasText: '待乡镇审核' }).waitFor();
  // the review is the township's: the village's worker is not offered it
  assert.equal(await a.getByRole('button', { name: '乡镇审核通过' }).count(), 0);
  assert.equal(await a.getByRole('button', { name: '退回' }).count(), 0);
  await shot(a, 'disclosure-approved');
  await a.context().close();

  // the township reviews it
  const tw = await openPage(browser, PHONE, server.url);
  await login(tw, 'gk_town');
  await tw.getByRole('link', { name: '三务公开审核' }).click();
  await tw.getByRole('button', { name: '乡镇审核' }).first().click();
  await waitRoute(tw, new RegExp(`#/disclosures/${id}$`));
  await tw.getByRole('button', { name: '乡镇审核通过' }).click();
  await tw.locator('.dsc-status', { hasText: '待公开' }).waitFor();
  await tw.getByRole('button', { name: '公开', exact: true }).click();
  await tw.locator('.dsc-status', { hasText: '已公开' }).waitFor();
  const hist = await tw.locator('.hist li').allInnerTexts();
  assert.deepEqual(hist.map((h) => /(起草|修改|提交审核|支部审核通过|乡镇审核通过|公开)/.exec(h)?.[1]),
    ['起草', '修改', '提交审核', '支部审核通过', '乡镇审核通过', '公开']);
  assert.ok(hist[3].includes('gk_approver') && hist[4].includes('gk_town'));
  await shot(tw, 'disclosure-published');
  assert.deepEqual(tw.errors, []);
  await tw.context().close();

  const page = await (await fetch(`${server.url}/gk/${f.branchA.id}`)).text();
  assert.ok(page.includes('十一月财务收支公开') && page.includes('道路维修'));
  assert.ok(!page.includes('13912345678'));
});

test('the 三务公开 screens and the public page have no serious or critical axe violations (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['GET /orgs/{id}/disclosures', 'GET /orgs/{id}/disclosure-overdue']))) return;
  const d = await f.admin.post('/disclosures', { org_id: f.branchB.id, kind: 'village', period: `${year - 1}-Q3`, title: '三季度村务公开',
    tables: [{ columns: ['项目', '金额（元）'], rows: [['道路硬化', 52000]] }] });
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  const problems = [];
  for (const [name, path, ready] of [
    ['disclosures', `/#/orgs/${f.branchB.id}/disclosures`, '三季度村务公开'],
    ['disclosure-item', `/#/disclosures/${d.id}`, '办理经过'],
    ['disclosure-new', `/#/disclosures/new?org=${f.branchB.id}`, '保存草稿'],
    ['disclosure-queue', `/#/disclosures/queue?org=${f.root.id}`, '范围'],
    ['disclosure-overdue', `/#/disclosures/overdue?org=${f.root.id}`, '个村有逾期未公开的事项'],
  ]) {
    await page.goto(path);
    await page.getByText(ready).first().waitFor();
    await page.waitForTimeout(300);
    await shot(page, 'a11y-' + name);
    for (const x of await axe(page)) problems.push(`${name}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(' | ')}`);
  }
  await page.goto(`/gk/${f.branchA.id}`);
  for (const x of await axe(page)) problems.push(`gk: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(' | ')}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
