// Weak signal on a phone (390×844): a meeting form being filled survives a
// reload and a lost connection.  Offline the app says it is offline — it
// does not look like a logout — and when the network returns it recovers
// by itself; the save then goes through once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a draft survives a reload and a lost connection; offline is not a logout; the app recovers by itself', async () => {
  const page = await openPage(browser, PHONE, server.url);
  const context = page.context();
  await login(page, 'secretary', ADMIN_PASSWORD);
  const api = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const org = api.user.grants[0].org_id;
  const count = async () => (await api.get(`/meetings?org=${org}&limit=200`)).items.length;
  const before = await count();

  await page.goto('/#/meetings/new');
  await page.locator('.att-row').first().waitFor();
  await page.getByLabel('地点').fill('村委会二楼会议室');
  await page.getByLabel('记录内容').fill('学习了党章，讨论了村道修缮。');
  const names = await page.locator('.att-row .att-name').allInnerTexts();
  await page.getByRole('radiogroup', { name: names[0] }).getByText('缺席').click();

  // a reload keeps everything typed and chosen
  await page.reload();
  await page.getByText('已恢复上次未保存的内容').waitFor();
  assert.equal(await page.getByLabel('地点').inputValue(), '村委会二楼会议室');
  assert.equal(await page.getByLabel('记录内容').inputValue(), '学习了党章，讨论了村道修缮。');
  await page.locator('.att-row').first().waitFor();
  assert.ok(await page.getByRole('radiogroup', { name: names[0] }).locator('.seg-absent.on').count() === 1);

  // the signal goes
  await context.setOffline(true);
  await page.getByLabel('记录内容').fill('学习了党章，讨论了村道修缮和路灯维护。');
  for (const n of await page.locator('.att-row:has(.att-status) .att-name').allInnerTexts()) {
    await page.getByRole('radiogroup', { name: n }).getByText('请假').click();
    await page.getByLabel(n + ' 请假原因').fill('在外地务工');
  }
  await page.getByRole('button', { name: '保存会议记录' }).click();
  await page.getByRole('status').filter({ hasText: '网络已断开' }).waitFor();
  await page.locator('.form-error', { hasText: '网络已断开' }).first().waitFor();
  await shot(page, 'offline');
  assert.equal(await page.getByText('登录已过期').isVisible(), false, 'offline is not a logout');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), /#\/meetings\/new/);
  const draft = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('zhibu.draft.meeting.'))
    .map((k) => JSON.parse(localStorage.getItem(k)).f.minutes));
  assert.deepEqual(draft, ['学习了党章，讨论了村道修缮和路灯维护。'], 'the draft is kept on the phone');

  // the signal returns: the banner goes by itself, nothing to reload
  await context.setOffline(false);
  await page.getByRole('status').filter({ hasText: '网络已断开' }).waitFor({ state: 'detached', timeout: 10000 });
  await page.locator('.form-error', { hasText: '网络已恢复，请点击保存' }).waitFor();
  assert.equal(await count(), before, 'nothing was saved while offline');
  await page.getByRole('button', { name: '保存会议记录' }).click();
  await waitRoute(page, /#\/meetings\/\d+/);
  assert.equal(await count(), before + 1, 'saved once');
  const saved = (await api.get(`/meetings?org=${org}&limit=200`)).items.sort((a, b) => b.id - a.id)[0];
  const full = await api.get(`/meetings/${saved.id}`);
  assert.equal(full.minutes, '学习了党章，讨论了村道修缮和路灯维护。');
  assert.equal(full.place, '村委会二楼会议室');
  assert.equal(full.attendance.find((a) => a.name === names[0]).status, 'absent');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('zhibu.draft.meeting.')).length), 0,
    'the draft is gone once saved');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('an answer lost after the server saved: back online the form finds the record instead of saving it twice', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  const api = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const org = api.user.grants[0].org_id;
  const count = async () => (await api.get(`/meetings?org=${org}&limit=200`)).items.length;
  await page.goto('/#/meetings/new');
  await page.locator('.att-row').first().waitFor();
  for (const n of await page.locator('.att-row:has(.att-status) .att-name').allInnerTexts()) {
    await page.getByRole('radiogroup', { name: n }).getByText('缺席').click();
  }
  await page.getByLabel('记录内容').fill('信号不好时保存的记录。');
  const before = await count();
  // the request reaches the server and is saved, the answer never arrives
  await page.route('**/api/v1/meetings', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    await route.fetch();
    await route.abort('internetdisconnected');
  });
  await page.getByRole('button', { name: '保存会议记录' }).click();
  await page.locator('.form-error', { hasText: '网络已断开' }).first().waitFor();
  await page.unroute('**/api/v1/meetings');
  // the connection is back (the health check answers): the record is found, not saved again
  await waitRoute(page, /#\/meetings\/\d+/, 15000);
  await page.getByText('信号不好时保存的记录。').waitFor();
  assert.equal(await count(), before + 1, 'saved exactly once');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
