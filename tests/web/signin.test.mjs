// QR sign-in at the meeting, on phones (390×844): the secretary records a
// 主题党日 with QR sign-in, so everyone starts 未签到; the code on the
// secretary's screen renews itself before it expires; a member, in a second
// browser, sees which meeting (title, org, time) before confirming, and the
// secretary's count follows; opening another meeting's code never shows the
// earlier success.  The member's session is the 30-day one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const TTL = 8;        // seconds a sign-in code lives on this server
let server, browser;
before(async () => {
  server = await startServer({ env: { ZHIBU_SIGNIN_TTL: String(TTL) } });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('QR sign-in: 未签到 first, the code renews itself, the member sees the meeting and signs in', async () => {
  const sec = await openPage(browser, PHONE, server.url);
  await login(sec, 'secretary', ADMIN_PASSWORD);
  await sec.goto('/#/meetings/new');
  await sec.locator('.att-row').first().waitFor();
  await sec.getByLabel('使用扫码签到').click();
  await sec.getByText(/均为「未签到」/).waitFor();
  await sec.getByRole('button', { name: '保存会议记录' }).click();
  await waitRoute(sec, /#\/meetings\/\d+/);
  const id = Number(/meetings\/(\d+)/.exec(decodeURIComponent(await sec.evaluate(() => location.hash)))[1]);
  // the code opens by itself after the save
  const link = sec.locator('.signin-link');
  await link.waitFor();
  const first = await link.innerText();
  const opened = Date.now();
  await sec.getByText(/已签到 0 \//).waitFor();
  await shot(sec, 'signin-code');
  // renewed before it expires, while the screen is open
  await sec.waitForFunction((old) => document.querySelector('.signin-link').textContent.trim() !== old.trim(), first,
    { timeout: TTL * 1000 });
  assert.ok(Date.now() - opened < TTL * 1000, 'renewed before the first code expired');
  const current = await link.innerText();

  const memPage = await openPage(browser, PHONE, server.url);
  await login(memPage, 'member', ADMIN_PASSWORD);
  await memPage.goto(current.trim());
  const secApi = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const m = await secApi.get(`/meetings/${id}`);
  assert.ok(m.attendance.every((a) => a.unmarked && a.status_name === '未签到'), 'everyone starts 未签到');
  // which meeting, before confirming
  await memPage.locator('.signin-title', { hasText: m.title }).waitFor();
  await memPage.getByText(m.org_name).waitFor();
  await memPage.getByRole('button', { name: '确认签到' }).waitFor();
  await shot(memPage, 'signin-confirm');
  await memPage.getByRole('button', { name: '确认签到' }).click();
  await memPage.getByRole('status').filter({ hasText: '签到成功' }).waitFor();
  // the secretary's screen counts it
  await sec.getByText(/已签到 1 \//).waitFor({ timeout: 12000 });

  // another meeting's code: its own title and a confirm button, never the old success
  const other = await secApi.post('/meetings', { org_id: m.org_id, type: 'plenary', title: '支部党员大会（签到测试）',
    start_at: Math.floor(Date.now() / 1000) - 60, end_at: Math.floor(Date.now() / 1000) + 3600 });
  const code = await secApi.post(`/meetings/${other.id}/signin`, {});
  await memPage.goto(code.url);
  await memPage.locator('.signin-title', { hasText: '支部党员大会（签到测试）' }).waitFor();
  assert.equal(await memPage.getByText('签到成功').count(), 0, 'no old success on another meeting');
  await memPage.getByRole('button', { name: '确认签到' }).waitFor();
  // back to the first code: it says the member has signed in already
  await memPage.goto(current.trim());
  await memPage.getByText('您已签到').waitFor();

  // the member-only account keeps its session for 30 days
  const cookie = (await memPage.context().cookies()).find((c) => c.name === 'zhibu_session');
  assert.ok(cookie.expires > Date.now() / 1000 + 29 * 86400, 'a 30-day member session');
  const secCookie = (await sec.context().cookies()).find((c) => c.name === 'zhibu_session');
  assert.equal(secCookie.expires, -1, 'the secretary keeps the short browser session');
  assert.deepEqual(sec.errors, []);
  assert.deepEqual(memPage.errors, []);
  await sec.context().close();
  await memPage.context().close();
});
