// Weak signal on a phone (390×844): a meeting form being filled survives a
// reload and a lost connection.  Offline the app says it is offline — it
// does not look like a logout — and when the network returns it recovers
// by itself: the save that could not go out is sent again, and goes through
// once.  A save whose answer was lost is sent again with the same
// client_key: the server answers with the record it saved, photo included,
// and there is still one record.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, ADMIN_PASSWORD } from './helpers.mjs';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
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

  assert.equal(await count(), before, 'nothing was saved while offline');
  // the signal returns: the banner goes by itself, nothing to reload, and
  // the save goes out by itself
  await context.setOffline(false);
  await page.getByRole('status').filter({ hasText: '网络已断开' }).waitFor({ state: 'detached', timeout: 10000 });
  await waitRoute(page, /#\/meetings\/\d+/, 15000);
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

test('an answer lost after the server saved: back online the retry returns the same record, not a second one', async () => {
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
  // a photo of the 会议记录本 goes in the same save
  await page.getByLabel('拍照或选择会议记录本照片').setInputFiles({ name: '记录本.jpg', mimeType: 'image/jpeg', buffer: JPEG });
  await page.locator('.photo-list img').waitFor();
  const before = await count();
  // the request reaches the server and is saved, the answer never arrives
  const lost = [];
  await page.route('**/api/v1/meetings', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const r = await route.fetch();
    lost.push({ status: r.status(), body: await r.json(), type: route.request().headers()['content-type'] });
    await route.abort('internetdisconnected');
  });
  const answers = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('/api/v1/meetings') && r.request().method() === 'POST') answers.push({ status: r.status(), body: await r.json() });
  });
  await page.getByRole('button', { name: '保存会议记录' }).click();
  await page.locator('.form-error', { hasText: '网络已断开' }).first().waitFor();
  await page.unroute('**/api/v1/meetings');
  assert.equal(lost.length, 1);
  assert.equal(lost[0].status, 201, JSON.stringify(lost[0].body));
  assert.match(lost[0].type, /^multipart\/form-data; boundary=/, 'the record and its photo in one request');
  // the connection is back (the health check answers): the same save goes
  // again and the server answers with the record it saved
  await waitRoute(page, /#\/meetings\/\d+/, 15000);
  await page.getByText('信号不好时保存的记录。').waitFor();
  assert.deepEqual(answers.map((a) => [a.status, a.body.id]), [[200, lost[0].body.id]], 'the retry returns the same meeting');
  assert.match(decodeURIComponent(await page.evaluate(() => location.hash)), new RegExp(`#/meetings/${lost[0].body.id}\\b`));
  assert.equal(await count(), before + 1, 'saved exactly once');
  const full = await api.get(`/meetings/${lost[0].body.id}`);
  assert.deepEqual(full.attachments.map((a) => [a.filename, a.kind]), [['记录本.jpg', 'jpeg']], 'one photo, not two');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
