// Weight on a slow line, the deterministic parts (bench/slowline.mjs
// measures the times): what a phone downloads before the login form is
// usable, compressed; one /auth/me request (the preload is used); the
// charts' chunk only on screens with charts; the charts' loading state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, fixtures, launch, login, waitRoute, PHONE, ROOT } from './helpers.mjs';

let server, browser, f, chartsFile;
before(async () => {
  server = await startServer();
  f = await fixtures(server);
  browser = await launch();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'web/dist/.vite/manifest.json'), 'utf8'));
  chartsFile = '/' + manifest['src/charts.js'].file;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** A phone page whose every response is recorded through the DevTools protocol. */
async function tracedPage(line) {
  const { name, ...opts } = PHONE;
  const context = await browser.newContext({ ...opts, baseURL: server.url, locale: 'zh-CN', serviceWorkers: 'block' });
  const page = await context.newPage();
  page.size = name;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (line) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400,
      downloadThroughput: 400 * 1000 / 8, uploadThroughput: 400 * 1000 / 8 });
  }
  const log = [];
  const byId = new Map();
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const r = { path: new URL(e.response.url).pathname, encoding: h['content-encoding'] || '', type: e.type, bytes: 0, done: false };
    byId.set(e.requestId, r);
    log.push(r);
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId);
    if (r) { r.bytes = e.encodedDataLength; r.done = true; }
  });
  return { page, log };
}

test('before the login form is usable a phone downloads under 80 KB, compressed, with one /auth/me', async () => {
  const { page, log } = await tracedPage(false);
  await page.goto('/');
  await page.getByLabel('用户名').waitFor();
  await page.getByRole('button', { name: '登录' }).waitFor();
  const done = log.filter((r) => r.done);
  const bytes = done.reduce((n, r) => n + r.bytes, 0);
  assert.ok(bytes < 80 * 1024, `${bytes} bytes before the login form: ${JSON.stringify(done.map((r) => [r.path, r.bytes]))}`);
  const code = done.filter((r) => /\.(js|css)$/.test(r.path));
  assert.ok(code.length >= 2 && code.length <= 4, 'the first screen is a few files: ' + code.map((r) => r.path).join(' '));
  for (const r of code) {
    if (r.bytes > 1500) assert.equal(r.encoding, 'br', `${r.path} is sent compressed`);
  }
  // the answer preloaded by index.html is the one the app uses
  assert.equal(log.filter((r) => r.path === '/api/v1/auth/me').length, 1);
  assert.ok(!log.some((r) => r.path === chartsFile), 'no charts on the login screen');
  assert.ok(!log.some((r) => /\.woff2$/.test(r.path)), 'no icon font before the login form');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the charts chunk loads only on a screen with charts', async () => {
  const { page, log } = await tracedPage(false);
  await page.goto('/#/login?redirect=/members');
  await login(page, 'worker_a', undefined, { navigate: false });
  await waitRoute(page, /#\/members$/);
  await page.getByText(f.membersA[1].name).first().waitFor();
  await page.goto(`/#/members/${f.membersA[1].id}`);
  await page.getByRole('heading', { name: new RegExp(f.membersA[1].name) }).waitFor();
  await page.goto(`/#/members/${f.membersA[1].id}/edit`);
  await page.getByRole('button', { name: '保存' }).waitFor();
  await page.goto('/#/import');
  await page.getByRole('button', { name: '上传并预览' }).waitFor();
  await page.goto('/#/me');
  await page.waitForTimeout(500);
  assert.ok(!log.some((r) => r.path === chartsFile), 'charts loaded on a screen without charts: ' +
    log.filter((r) => r.path.startsWith('/assets/')).map((r) => r.path).join(' '));
  await page.goto('/#/');
  await page.locator('.chart-canvas canvas').first().waitFor({ timeout: 20000 });
  assert.ok(log.some((r) => r.path === chartsFile), 'the home screen loads the charts');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('on a slow line the home figures come first and each chart says it is loading', async () => {
  const { page, log } = await tracedPage(true);
  await page.goto('/#/login');
  await login(page, 'worker_a', undefined, { navigate: false });
  await waitRoute(page, /#\/$/, 60000);
  // the figures are numbers while the charts' code is still on its way
  await page.waitForFunction(() => {
    const n = document.querySelector('.stat-card .stat-num');
    return n && /\d/.test(n.textContent);
  }, null, { timeout: 60000 });
  const loading = page.getByRole('status').filter({ hasText: '图表加载中…' }).first();
  await loading.waitFor({ timeout: 30000 });
  assert.ok(!log.some((r) => r.path === chartsFile && r.done), 'the loading state shows while the chunk downloads');
  await page.locator('.chart-canvas canvas').first().waitFor({ timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('.chart-loading'), null, { timeout: 30000 });
  assert.equal(log.find((r) => r.path === chartsFile).encoding, 'br');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
