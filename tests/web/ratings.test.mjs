// 评星晋级 on a phone (390×844) against the demo county: a branch
// secretary opens the branch's stars from the home page, reads every
// indicator with its points and follows one to the records behind it
// (the branch's meetings); the county reviews this year's draft and
// publishes it with a confirm.  No horizontal overflow, no raw values.
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
  for (const bad of ['undefined', 'null', 'NaN', '[object', '{"', '":', 'advanced', 'lagging', 'draft']) assert.ok(!r.text.includes(bad), `page shows ${bad}: ${r.text.slice(0, 300)}`);
}

test('a secretary opens the branch rating and follows an indicator to its records (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/rating', 'GET /orgs/{id}/ratings/summary']);
  const sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const branch = sec.user.grants[0].org_id;
  const sum = await sec.get(`/orgs/${branch}/ratings/summary`);
  assert.ok(sum.own, 'last year was published for the demo branch');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  const card = page.locator('[data-test="rating-card"]');
  await card.waitFor();
  assert.match(await card.innerText(), new RegExp(`${sum.own.tier_name}`));
  // the home page names the quarter in words, not the period code
  const compHead = await page.locator('#h-comp').innerText();
  assert.match(compHead, /\d{4}年第[1-4]季度/);
  assert.doesNotMatch(compHead, /Q\d/);
  await card.getByRole('link').click();
  await waitRoute(page, new RegExp(`#/orgs/${branch}/rating\\?year=${sum.year}$`));
  const rows = page.locator('[data-key]');
  await rows.first().waitFor();
  const r = (await sec.get(`/orgs/${branch}/rating?year=${sum.year}`)).rating;
  assert.equal(await rows.count(), r.indicators.length);
  const comp = page.locator('[data-key="compliance"]');
  assert.match(await comp.innerText(), new RegExp(`${r.indicators.find((i) => i.key === 'compliance').points} / `));
  await clean(page);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'rating-branch');
  await comp.getByRole('link', { name: '查看记录' }).click();
  // the year's 落实情况, not this quarter's 待办
  await waitRoute(page, new RegExp(`#/life\\?org=${branch}&tab=compliance&period=${sum.year}`));
  await page.getByRole('tab', { name: '落实情况', selected: true }).waitFor();
  assert.equal(await page.locator('select[aria-label="统计周期"]').inputValue(), String(sum.year));
});

test('the county reviews the draft and publishes it (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/ratings', 'POST /orgs/{id}/ratings/publish']);
  const adm = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const county = adm.user.grants[0].org_id;
  const year = (await adm.get(`/orgs/${county}/ratings`)).year;
  // a township opens the county's draft of its branches: it reviews, it does not rate
  const twn = await apiLogin(server.url, 'township', ADMIN_PASSWORD);
  const tpage = await openPage(browser, PHONE390, server.url);
  await login(tpage, 'township', ADMIN_PASSWORD);
  await tpage.goto(`/#/orgs/${twn.user.grants[0].org_id}/ratings`);
  await tpage.locator('[data-test="rating-above"]').waitFor();
  assert.equal(await tpage.locator('[data-test="rating-draft"], [data-test="rating-publish"], [data-test="rating-manual"]').count(), 0);
  await tpage.context().close();
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${county}/ratings`);
  const status = page.locator('[data-test="rating-status"]');
  await status.waitFor();
  assert.match(await status.innerText(), /草稿/);
  // 特色创新 is entered above the list, not after every branch of the county
  const manual = page.locator('[data-test="rating-manual"]');
  assert.ok((await manual.boundingBox()).y < 844, 'the manual score form is on the first screen');
  await manual.locator('summary').click();
  await manual.getByLabel('得分').fill('3');
  await manual.getByLabel('理由').fill('村集体经济合作社模式在全县推广');
  await manual.getByRole('button', { name: '保存评分' }).click();
  await page.getByText('评分已保存，请重新生成草稿').waitFor();
  await page.locator('[data-test="rating-draft"]').click();
  await page.getByRole('button', { name: '确认' }).click();
  await page.getByText('草稿已保存').waitFor();
  await page.getByRole('tab', { name: '后进' }).click();
  await page.locator('.rating-rows li').first().waitFor();
  await clean(page);
  await page.locator('[data-test="rating-publish"]').click();
  await page.getByRole('button', { name: '确认' }).click();
  await page.getByText('已发布', { exact: true }).first().waitFor();
  const l = await adm.get(`/orgs/${county}/ratings?year=${year}`);
  assert.ok(l.items.length && l.items.every((x) => x.status === 'published'));
  assert.equal(await page.locator('[data-test="rating-publish"]').count(), 0);
});
