// The county's 党内统计 annual report on a phone (390x844): the county's
// officer opens it from home, sees the tables as of the last 31 December,
// picks the 发展党员 table of this year, taps a number and gets the list
// behind it with as many names as the number says, pages through a
// bigger one, and downloads the workbook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, shot, axe, waitRoute, apiLogin, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser, county, admin;
const chinaToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  server = await startServer({ scale: 'county' });
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  county = (await admin.get('/orgs')).items[0];
  server.cli(['user', 'add', 'county_stats', '--display-name', '县委组织部统计员', '--role', 'org_admin', '--org', String(county.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the county opens the annual report, taps a number and gets that many names (phone 390x844)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_stats');
  await page.goto('/#/');
  await page.getByRole('link', { name: '党内统计年报 ›' }).click();
  await waitRoute(page, /#\/report\?org=/);
  const lastYearEnd = `${Number(chinaToday().slice(0, 4)) - 1}-12-31`;
  assert.equal(await page.getByLabel('截至日期').inputValue(), lastYearEnd);
  await page.locator('table.report').waitFor();
  await page.getByRole('heading', { name: new RegExp(`党员数量及构成.*截至 ${lastYearEnd}`) }).waitFor();

  // this year's recruitment: the date of today, the 发展党员 table
  await page.getByLabel('截至日期').fill(chinaToday());
  await page.getByLabel('截至日期').dispatchEvent('change');
  await page.getByRole('heading', { name: new RegExp(`党员数量及构成.*截至 ${chinaToday()}`) }).waitFor();
  await page.getByLabel('统计表').selectOption({ label: '表7 发展党员' });
  await page.getByRole('heading', { name: /^发展党员（/ }).waitFor();
  // the table fits the phone's width by scrolling itself, not the page
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no page-wide scroll');

  // a number of a township's row: its list has that many names
  const cellBtn = page.locator('tbody tr:not(.sum) button.num').first();
  const n = Number(await cellBtn.innerText());
  const key = await cellBtn.getAttribute('data-cell');
  assert.ok(n > 0 && n <= 50, `${key} ${n}`);
  await cellBtn.click();
  const list = page.locator('[data-test="cell-list"] li');
  await page.getByRole('heading', { name: new RegExp(`：${n}$`) }).waitFor();
  assert.equal(await list.count(), n);
  const api = await admin.get(`/orgs/${county.id}/annual-report/cells?date=${chinaToday()}&cell=${key}&limit=500`);
  assert.deepEqual(await list.locator('.who-name').allInnerTexts(), api.items.map((x) => x.name));
  await shot(page, 'report-list');

  // the 合计 of all members: 50 at a time, the next page on a tap
  await page.getByLabel('统计表').selectOption({ label: '表1 党员数量及构成' });
  const total = page.locator('tr.sum button.num').first();
  const all = Number(await total.innerText());
  assert.ok(all > 50);
  await total.click();
  await page.getByRole('heading', { name: new RegExp(`合计 · 党员总数：${all}$`) }).waitFor();
  assert.equal(await list.count(), 50);
  await page.getByRole('button', { name: /再看 50 条/ }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="cell-list"] li').length === 100);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /下载 Excel/ }).click()]);
  assert.match(download.suggestedFilename(), /党内统计年报.*\.xlsx$/);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(page.errors, []);
});

test('the first tap on a number opens its list in view, without reading the report again (phone 390x844)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_stats');
  const reads = [];
  page.on('request', (r) => { if (/\/annual-report\?/.test(r.url())) reads.push(r.url()); });
  await page.goto('/#/');
  await page.getByRole('link', { name: '党内统计年报 ›' }).click();
  await waitRoute(page, /#\/report\?org=/);
  // a township's number far down the page: the list opens below the table
  const cellBtn = page.locator('tbody tr:not(.sum) button.num').nth(40);
  const n = Number(await cellBtn.innerText());
  await cellBtn.click();
  const head = page.getByRole('heading', { name: new RegExp(`：${n}$`) });
  await head.waitFor();
  await page.waitForTimeout(500);
  const box = await head.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 844, `the list's heading is in view (y ${box && box.y})`);
  assert.equal(await page.locator('[data-test="cell-list"] li').count(), Math.min(n, 50));
  assert.equal(await page.locator('button.num[aria-pressed="true"]').innerText(), String(n));
  assert.equal(reads.length, 1, `the report was read once: ${reads.join(' ')}`);
  assert.deepEqual(page.errors, []);
});
