// 积分制 on a phone (390×844) against the demo county: a member opens
// 我的积分 from 我的 and finds the total equal to the sum of the items by
// month, each with its source, a 组织生活 attended counted without being
// entered and their own claim waiting for the committee; the branch's
// secretary opens 积分审核, finds the pending items first and approves
// the claim, which then counts in the member's total.  Every screen: no
// horizontal overflow, no raw JSON, no "undefined"/"null"/"NaN".
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

test('a member reads 我的积分, the secretary approves their claim, the total follows (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /me/points', 'GET /orgs/{id}/points-items']);
  const self = await apiLogin(server.url, 'member', ADMIN_PASSWORD);
  const mine = await self.get('/me/points');
  const claim = mine.items.find((x) => x.status === 'pending');
  assert.ok(claim, 'the demo member has a claim waiting');
  const attended = mine.items.find((x) => x.source.startsWith('meeting:') && x.points > 0);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  await page.goto('/#/me');
  await page.getByRole('button', { name: '我的积分' }).click();
  await waitRoute(page, /#\/points$/);
  await page.locator('[data-test="points-total"]').waitFor();
  assert.equal(await page.locator('[data-test="points-total"] strong').innerText(), String(mine.total));
  const pend = page.locator(`[data-source="${claim.source}"]`);
  assert.match(await pend.innerText(), /待审核/);
  if (attended) assert.match(await page.locator(`[data-source="${attended.source}"]`).first().innerText(), /组织生活记录/);
  await clean(page);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'points-mine');
  // a claim from the top of the page, not after the whole year's ledger
  await page.locator('[data-test="points-claim"]').click();
  const reason = page.locator('section[aria-labelledby="h-claim"] textarea');
  assert.ok(await reason.evaluate((el) => el === document.activeElement), 'the 事由 has the focus');
  const box = await reason.boundingBox();
  assert.ok(box.y >= 0 && box.y < 844, `the 事由 is on screen: ${box.y}`);
  await reason.fill('为社区独居老人义务理发');
  await page.getByRole('button', { name: '提交审核' }).click();
  await page.getByText('已提交，等待支部委员会审核').waitFor();

  // the secretary: pending first, approves the claim
  const sec = await openPage(browser, PHONE390, server.url);
  await login(sec, 'secretary', ADMIN_PASSWORD);
  const branch = (await apiLogin(server.url, 'secretary', ADMIN_PASSWORD)).user.grants[0].org_id;
  // an account with no member record opening 我的积分: the refusal in Chinese, no "Error:"
  await sec.goto('/#/points');
  await sec.locator('.state-error').waitFor();
  assert.doesNotMatch(await sec.locator('.state-error').innerText(), /Error/);
  await sec.goto(`/#/orgs/${branch}/points`);
  const cards = sec.locator('section.pitem');
  await cards.first().waitFor();
  const states = await cards.evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.equal(states[0], 'pending');
  assert.ok(states.indexOf('pending') < states.findIndex((s) => s !== 'pending') || !states.some((s) => s !== 'pending'), states.join());
  const id = claim.source.split(':')[1];
  const card = sec.locator(`section.pitem:has(h3#pi-${id})`);
  await clean(sec);
  assert.deepEqual(await axe(sec), []);
  await shot(sec, 'points-branch');
  await card.getByRole('button', { name: '认定', exact: true }).click();
  await sec.locator(`section.pitem[data-status="approved"]:has(h3#pi-${id})`).waitFor();
  const after0 = await self.get('/me/points');
  assert.equal(after0.total, Math.round((mine.total + 2) * 10) / 10);
});
