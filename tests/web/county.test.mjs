// The county finds what is wrong in two taps: a county officer (org_admin
// at the county) opens home on a phone (390x844) on the demo county, taps
// the count of branches 逾期未落实, gets the list of this period, sorts and
// filters it, and exports it as xlsx; the downloaded file is read back with
// openpyxl and holds the listed rows.  The home screen is one roll-up
// request: its count, bytes and latency are printed (no timed assertion).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, openPage, login, shot, waitRoute, apiLogin, axe, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser, county, admin;

before(async () => {
  server = await startServer({ scale: 'county' });
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  county = (await admin.get('/orgs')).items[0];
  server.cli(['user', 'add', 'county_officer', '--display-name', '县委组织部干部', '--role', 'org_admin', '--org', String(county.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

function readXlsx(path) {
  const py = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.active
print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False, default=str))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, path], { encoding: 'utf8' }));
}

test('a county officer finds the branches behind on 三会一课 in two taps and exports them (phone 390x844)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_officer');

  // the home screen: count its API requests and JSON bytes
  const api = [];
  page.on('response', async (res) => {
    const u = new URL(res.url());
    if (!u.pathname.startsWith('/api/v1/') || u.pathname.startsWith('/api/v1/auth/')) return;
    let bytes = 0;
    try { bytes = (await res.body()).length; } catch (e) { bytes = 0; }
    api.push({ path: u.pathname, bytes, ms: res.request().timing().responseEnd });
  });
  await page.goto('/#/');
  const card = page.locator('[data-count="noncompliant"]');
  await card.waitFor();
  await page.waitForLoadState('networkidle');
  const homeCalls = api.filter((a) => /^\/api\/v1\/orgs\/\d+\//.test(a.path));
  const dash = homeCalls.filter((a) => a.path.endsWith('/dashboard'));
  console.log(`county home: ${homeCalls.length} org request(s): ${homeCalls.map((a) => `${a.path} ${a.bytes} B`).join(', ')}`);
  assert.equal(dash.length, 1, 'one roll-up request');
  assert.deepEqual(homeCalls.map((a) => a.path), [`/api/v1/orgs/${county.id}/dashboard`], 'nothing per child org');
  const d = await admin.get(`/orgs/${county.id}/dashboard`);
  const missing = d.compliance.branches_missing;
  assert.ok(missing > 0, 'the demo county has branches behind');
  assert.equal(Number(await card.locator('.stat-num').innerText()), missing);
  // the 预警 card shows text, not JSON
  const warnText = await page.locator('section[aria-labelledby="h-warn"]').innerText();
  assert.ok(!/[{}"]/.test(warnText), '预警 card is text: ' + warnText.slice(0, 200));
  const warnCount = await page.locator('[data-count="warnings"] .stat-num').innerText();
  assert.match(warnCount, /^\d+$/);
  // the headline never says 已落实 beside rows with nothing held
  const compCard = await page.locator('section[aria-labelledby="h-comp"]').innerText();
  assert.match(compCard, new RegExp(`已落实 ${d.compliance.branches_done}（`));
  // chart labels: the distinguishing part of the township names
  assert.ok(d.compliance.children.length > 1);
  const chart = page.locator('figure.chart', { hasText: '下级组织' }).locator('[role="img"]');
  const summary = await chart.getAttribute('aria-label');
  const town = d.compliance.children.map((c) => c.org_name).find((n) => /^中共示范县(.+镇)委员会$/.test(n));
  const short = /^中共示范县(.+镇)委员会$/.exec(town)[1];
  assert.ok(summary.includes(short + ' '), `chart label ${short} in ${summary.slice(0, 120)}`);
  assert.ok(!summary.includes('中共示范县'), 'the shared prefix is dropped from the labels');
  assert.deepEqual(await axe(page), [], 'home: no serious or critical axe violation');
  await shot(page, 'county-home');

  // tap 1: the count opens the list, filtered to this period
  let taps = 0;
  await card.click(); taps++;
  await waitRoute(page, /#\/lists\/compliance\?/);
  const total = page.locator('.list-total');
  await total.filter({ hasText: `共 ${missing} 个支部` }).waitFor();
  assert.ok(taps <= 2, `${taps} taps to reach the list`);
  const q = new URL(page.url().replace('#/', '')).searchParams;
  assert.equal(q.get('period'), d.compliance.period);
  assert.equal(q.get('status'), 'missing');
  assert.match(await page.locator('p.muted').first().innerText(), new RegExp(d.compliance.from));
  const rows = page.locator('.list-row');
  const firstWorst = await rows.first().locator('.row-name').innerText();

  // sort by name
  await page.getByLabel('排序').selectOption('name');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('sort=name'));
  await page.waitForLoadState('networkidle');
  const byName = await rows.locator('.row-name').allInnerTexts();
  assert.deepEqual(byName, [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'sorted by name');
  // filter: one kind of meeting
  await page.getByLabel('会议类型').selectOption('committee');
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('type=committee'));
  const want = await admin.get(`/orgs/${county.id}/compliance/branches?period=${d.compliance.period}&status=missing&type=committee&sort=name&limit=200`);
  await total.filter({ hasText: `共 ${want.total} 个支部` }).waitFor();
  assert.ok(want.total > 0 && want.total < missing, `committee filter: ${want.total} of ${missing}`);
  await page.waitForLoadState('networkidle');
  assert.equal(await rows.first().locator('.row-name').innerText(), want.items[0].org_name);
  void firstWorst;
  await shot(page, 'county-list');
  assert.deepEqual(await axe(page), [], 'the list: no serious or critical axe violation');

  // tap 2 from the list: export; the file is a real xlsx with the listed rows
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
  const file = join(server.dir, 'export.xlsx');
  await download.saveAs(file);
  assert.match(download.suggestedFilename(), /组织生活落实情况.*\.xlsx$/);
  const sheet = readXlsx(file);
  assert.match(String(sheet[0][0]), /组织生活落实情况/);
  assert.equal(sheet[1][1], '党组织');
  const names = sheet.slice(2).map((r) => r[1]);
  assert.equal(names.length, want.total);
  assert.deepEqual(names, want.items.map((x) => x.org_name));
  assert.ok(sheet.slice(2).every((r) => r[3] === '有逾期未落实'));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('members at a risk level: from the home count to the list and its export', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_officer');
  await page.goto('/#/');
  const d = await admin.get(`/orgs/${county.id}/dashboard`);
  const top = d.risks.thresholds[2];
  await page.locator(`.risk-box.risk-${top}`).click();
  await waitRoute(page, /#\/lists\/risks\?/);
  await page.locator('.list-total').filter({ hasText: `共 ${d.risks.counts[top]} 人` }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '导出 Excel' }).click()]);
  const file = join(server.dir, 'risks.xlsx');
  await download.saveAs(file);
  const sheet = readXlsx(file);
  assert.equal(sheet.length - 2, d.risks.counts[top]);
  assert.deepEqual(sheet[1].slice(0, 3), ['序号', '姓名', '所在党组织']);
  // the list holds no ID number or phone column
  assert.ok(!sheet[1].some((h) => /身份证|电话|手机|出生/.test(String(h))));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('待办 puts this period first and says how many are not shown; the 落实情况 headline agrees with its rows', async () => {
  const cal = await admin.get(`/orgs/${county.id}/calendar?limit=1000`);
  assert.ok(cal.total > 50, 'more than one page of 待办 in the county');
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_officer');
  await page.goto('/#/life?tab=calendar');
  const items = page.locator('.due-item');
  await items.first().waitFor();
  assert.equal(await items.count(), 50);
  assert.ok((await items.first().getAttribute('class')).includes('due-due'), 'this period first');
  await page.getByText(`还有 ${cal.total - 50} 项未显示`).waitFor();
  await page.getByRole('button', { name: new RegExp(`显示全部（共 ${cal.total} 项）`) }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.due-item').length === n, cal.total, { timeout: 20000 });
  assert.equal(await page.locator('.cal-more').count(), 0);

  await page.getByRole('tab', { name: '落实情况' }).click();
  await page.locator('.comp-rate').waitFor();
  const c = await admin.get(`/orgs/${county.id}/compliance`);
  const rate = await page.locator('.comp-rate').innerText();
  assert.equal(rate, `${Math.round(c.done_rate * 1000) / 10}%`);
  await page.getByText(`已落实 ${c.branches_done} · 进行中 ${c.branches_open}`).waitFor();
  // no row says 已落实 with less held than required
  const rows = await page.locator('.compliance-table tbody tr').allInnerTexts();
  for (const r of rows) {
    const cells = r.split('\t').map((x) => x.trim());
    if (cells[4] === '已落实') assert.ok(Number(cells[3]) >= Number(cells[2]), r);
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a branch with no warnings: the home 预警 count is 0 and its card says so in words', async () => {
  const all = await admin.get(`/orgs/${county.id}/compliance/branches?status=all&sort=tree&limit=200`);
  let quiet = null;
  for (const b of all.items) {
    if ((await admin.get(`/orgs/${b.org_id}/warnings`)).total === 0) { quiet = b; break; }
  }
  assert.ok(quiet, 'the demo county has a branch without warnings');
  server.cli(['user', 'add', 'quiet_admin', '--display-name', '支部管理员', '--role', 'org_admin', '--org', String(quiet.org_id)],
    { ZHIBU_PASSWORD: PASSWORD });
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'quiet_admin');
  await page.goto('/#/');
  const count = page.locator('[data-count="warnings"] .stat-num');
  await count.waitFor();
  assert.equal(await count.innerText(), '0');
  await page.getByText('没有预警，继续保持。').waitFor();
  const grid = await page.locator('.stat-grid').innerText();
  assert.ok(!/[{}"\[\]]/.test(grid), 'counts are numbers, not JSON: ' + grid);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the roll-up request on the demo county: latency and bytes (printed, not asserted)', async () => {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const r = await fetch(server.url + `/api/v1/orgs/${county.id}/dashboard`, { headers: { Cookie: admin.cookie } });
    bytes = (await r.arrayBuffer()).byteLength;
    times.push(performance.now() - t0);
    assert.equal(r.status, 200);
  }
  times.sort((a, b) => a - b);
  console.log(`GET /orgs/${county.id}/dashboard on the demo county: ${bytes} B, median ${times[2].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[4].toFixed(1)} ms`);
});
