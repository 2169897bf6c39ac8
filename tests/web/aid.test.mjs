// 帮扶 on a phone (390×844) against the demo county: a party member who
// helps households records a visit to an overdue one in four taps from
// 我的 (the link, the household, a phrase, save) and sees it on time; the
// township finds its households without a helper from the coverage and
// opens one.  Every screen: no horizontal overflow, no raw JSON, no
// "undefined"/"null"/"NaN".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, axe, waitRoute, needRoutes, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE390 = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function clean(page) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth, text: document.querySelector('#main').innerText }));
  assert.ok(r.sw <= r.w, `horizontal overflow: ${r.sw} > ${r.w}`);
  for (const bad of ['undefined', 'null', 'NaN', '[object', '{"', '":']) assert.ok(!r.text.includes(bad), `page shows ${bad}: ${r.text.slice(0, 300)}`);
}

test('a helper records a visit to an overdue household in four taps (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /me/aid-households', 'POST /me/aid-visits']);
  const self = await apiLogin(server.url, 'member', ADMIN_PASSWORD);
  const before = (await self.get('/me/aid-households')).items;
  const late = before.find((x) => x.overdue);
  assert.ok(late, 'the demo member has an overdue household');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  await page.goto('/#/me');
  let taps = 0;
  await page.getByRole('button', { name: /记录帮扶走访/ }).click(); taps++;
  await waitRoute(page, /#\/aid\/visit/);
  const card = page.getByRole('button', { name: new RegExp(late.head_name) });
  await card.waitFor();
  await clean(page);
  await card.click(); taps++;
  // the overdue household comes first
  const first = await page.locator('.mine-card .person').first().innerText();
  assert.equal(first, before.filter((x) => x.overdue).sort((a, b) => a.due.localeCompare(b.due))[0].head_name);
  await page.getByRole('button', { name: '宣讲惠民政策' }).click(); taps++;
  await shot(page, 'aid-visit');
  await page.getByRole('button', { name: '保存走访' }).click(); taps++;
  await page.getByText(`已记录 ${late.head_name} 户的走访`).waitFor();
  assert.equal(taps, 4);
  const after = (await self.get('/me/aid-households')).items.find((x) => x.pair_id === late.pair_id);
  assert.equal(after.overdue, false);
  assert.equal(after.last_visit, new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10));
  await page.locator('.van-toast').waitFor({ state: 'hidden' });   // the "已记录" toast has gone
  assert.deepEqual(await axe(page), []);
  await clean(page);
});

test('the township finds its households without a helper (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/aid-coverage', 'GET /orgs/{id}/aid-households']);
  const town = await apiLogin(server.url, 'township', ADMIN_PASSWORD);
  const org = town.user.grants[0].org_id;
  const cov = await town.get(`/orgs/${org}/aid-coverage`);
  assert.ok(cov.without_helper > 0, 'the demo has households without a helper');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'township', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${org}`);
  await page.getByRole('button', { name: '帮扶', exact: true }).click();
  await waitRoute(page, /#\/aid\?org=/);
  await page.locator('[data-cov="without_helper"]').waitFor();
  assert.equal(await page.locator('[data-cov="without_helper"]').innerText(), String(cov.without_helper));
  assert.equal(await page.locator('[data-cov="households"]').innerText(), String(cov.households));
  await page.getByRole('tab', { name: '无帮扶责任人' }).click();
  await waitRoute(page, /filter=no_helper/);
  const cards = page.locator('.hh-card');
  await page.waitForFunction((n) => document.querySelectorAll('.hh-card').length === n, cov.without_helper);
  for (const text of await cards.allInnerTexts()) assert.match(text, /无帮扶责任人/);
  await clean(page);
  await shot(page, 'aid-no-helper');
  await cards.first().click();
  await waitRoute(page, /#\/aid\/\d+/);
  await page.getByText('还没有帮扶责任人。').waitFor();
  await clean(page);
  // the overdue filter lists the helpers behind
  await page.goBack();
  await page.getByRole('tab', { name: '走访逾期' }).click();
  if (cov.overdue) await page.getByText('走访逾期的帮扶责任人').waitFor();
  assert.deepEqual(await axe(page), []);
});
