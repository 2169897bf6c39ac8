// Installable app shell: manifest and icons, a service worker that caches
// static assets only (never /api answers); keyboard use on a PC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, login, waitRoute, PC, PHONE, ADMIN_PASSWORD } from './helpers.mjs';

let server, browser, f;
before(async () => {
  server = await startServer();
  f = await fixtures(server);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('manifest, icons and a service worker that never caches /api', async () => {
  const { name, ...opts } = PHONE;
  const context = await browser.newContext({ ...opts, baseURL: server.url, serviceWorkers: 'allow' });
  const page = await context.newPage();
  page.size = name;
  await page.goto('/');
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel=manifest]').getAttribute('href');
    return (await fetch(href)).json();
  });
  assert.equal(manifest.display, 'standalone');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512'));
  for (const icon of manifest.icons) {
    const status = await page.evaluate((src) => fetch(src).then((r) => r.status), icon.src);
    assert.equal(status, 200, icon.src);
  }
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();                       // now controlled by the worker
  await login(page, 'worker_a');
  await page.goto('/#/members');
  await page.getByText(f.membersA[0].name).first().waitFor();
  const cached = await page.evaluate(async () => {
    const urls = [];
    for (const k of await caches.keys()) {
      for (const req of await (await caches.open(k)).keys()) urls.push(new URL(req.url).pathname);
    }
    return urls;
  });
  assert.ok(cached.some((u) => u.startsWith('/assets/')), 'the app shell is cached: ' + cached.join(' '));
  assert.deepEqual(cached.filter((u) => u.startsWith('/api/')), [], 'no API answer is cached');
  await context.close();
});

test('the PC layout is usable with the keyboard alone', async () => {
  const { name, ...opts } = PC;
  const context = await browser.newContext({ ...opts, baseURL: server.url, serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto('/#/login');
  await page.getByLabel('用户名').focus();
  await page.keyboard.type('admin');
  await page.keyboard.press('Tab');
  await page.keyboard.type(ADMIN_PASSWORD);
  await page.keyboard.press('Enter');
  await waitRoute(page, /^#\/$/);
  // the side menu is reachable by Tab and opens a screen with Enter
  let reached = false;
  for (let i = 0; i < 12 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim() === '党员名册');
  }
  assert.ok(reached, 'Tab reaches 党员名册 in the side menu');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused element is visibly outlined');
  await page.keyboard.press('Enter');
  await waitRoute(page, /#\/members/);
  await page.getByRole('table').waitFor();
  await context.close();
});
