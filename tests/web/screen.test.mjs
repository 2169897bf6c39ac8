// The county 大屏 at 1920×1080 on the demo county: a county officer opens
// it from the county's org page; every panel shows its figures (equal to
// the screen route's) and its chart, no panel overflows or overlaps
// another (bounding boxes), the page does not scroll, the screen refreshes
// itself (a short interval through ?refresh=), keeps its figures with a
// quiet notice when a refresh fails, and pauses while hidden.  The same
// screen at 1366×768 is whole too, and a session ended elsewhere brings up
// the login, after which the refresh goes on.  Screenshots:
// tests/out/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, shot, apiLogin, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const WALL = { name: 'wall1920', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 };
const LAPTOP = { name: 'pc1366', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 };
let server, browser, county, admin;

before(async () => {
  server = await startServer({ scale: 'county' });
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  county = (await admin.get('/orgs')).items[0];
  server.cli(['user', 'add', 'screen_officer', '--display-name', '县委组织部干部', '--role', 'org_admin', '--org', String(county.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** Boxes of the panels and of everything inside them, and the page's scroll size. */
function layout(page) {
  return page.evaluate(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; };
    const parts = [...document.querySelectorAll('.scr-head, .scr-kpi, .scr-panel')].map((el) => ({
      name: el.dataset.panel || el.dataset.kpi || el.className, box: box(el),
      // children sticking out of their panel (text cut by overflow counts too)
      out: [...el.querySelectorAll('*')].filter((c) => {
        const a = c.getBoundingClientRect(), b = el.getBoundingClientRect();
        return a.width && (a.left < b.left - 1 || a.right > b.right + 1 || a.top < b.top - 1 || a.bottom > b.bottom + 1);
      }).map((c) => c.className || c.tagName),
      clipped: [...el.querySelectorAll('.scr-num, .scr-mid, .scr-label, .scr-trow b')].filter((c) => c.scrollWidth > c.clientWidth + 1)
        .map((c) => c.textContent),
    }));
    const el = document.scrollingElement;
    return { parts, scrollW: el.scrollWidth, scrollH: el.scrollHeight, w: innerWidth, h: innerHeight };
  });
}

function checkLayout(l) {
  assert.ok(l.scrollW <= l.w && l.scrollH <= l.h, `no scrolling: ${l.scrollW}x${l.scrollH} in ${l.w}x${l.h}`);
  for (const p of l.parts) {
    assert.ok(p.box.x >= 0 && p.box.y >= 0 && p.box.x + p.box.w <= l.w + 0.5 && p.box.y + p.box.h <= l.h + 0.5, `${p.name} on screen ${JSON.stringify(p.box)}`);
    assert.deepEqual(p.out, [], `nothing sticks out of ${p.name}`);
    assert.deepEqual(p.clipped, [], `no figure cut in ${p.name}`);
  }
  const over = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  for (let i = 0; i < l.parts.length; i++)
    for (let j = i + 1; j < l.parts.length; j++)
      assert.ok(!over(l.parts[i].box, l.parts[j].box), `${l.parts[i].name} and ${l.parts[j].name} overlap`);
}

test('the county 大屏 at 1920×1080: every panel with figures and charts, nothing overflows, it refreshes itself', async () => {
  const page = await openPage(browser, WALL, server.url);
  await login(page, 'screen_officer');
  // from the county's org page
  await page.goto(`/#/orgs/${county.id}`);
  await page.locator('[data-link="screen"]').click();
  await page.waitForURL(new RegExp(`#/screen/${county.id}$`));
  // a short refresh for the test: the same page with ?refresh=2
  let calls = 0;
  page.on('request', (r) => { if (r.url().includes(`/api/v1/orgs/${county.id}/screen`)) calls++; });
  await page.goto(`/#/screen/${county.id}?refresh=2`);
  await page.locator('.scr[data-loads="1"]').waitFor();
  await page.locator('[data-panel] canvas').nth(4).waitFor();
  // no app shell
  assert.equal(await page.locator('.van-tabbar, .side, .topbar').count(), 0);

  const s = await admin.get(`/orgs/${county.id}/screen`);
  const kpi = async (k) => Number(await page.locator(`[data-kpi="${k}"] .scr-num`).textContent());
  assert.equal(await kpi('members'), s.stats.members.total);
  assert.equal(await kpi('orgs'), s.stats.orgs.total);
  assert.ok(s.stats.members.total > 1000);
  const text = (sel) => page.locator(sel).innerText();
  assert.match(await text('[data-panel="compliance"]'), new RegExp(`${s.compliance.branches}\\s+支部`));
  assert.match(await text('[data-panel="compliance"]'), new RegExp(`${s.compliance.branches_missing}\\s+有逾期未落实`));
  assert.match(await text('[data-panel="recruitment"]'), new RegExp(`${s.recruitment.open_total}\\s+培养中`));
  assert.match(await text('[data-panel="dues"]'), new RegExp(`${s.dues.year_to_date.rate.replace('.', '\\.')}%\\s+本年累计收缴率`));
  assert.match(await text('[data-panel="disclosure"]'), new RegExp(`${s.disclosure.overdue}\\s+逾期未公开`));
  // the demo county's tasks: some done, some overdue
  assert.ok(s.tasks.assigned > 0 && s.tasks.done > 0 && s.tasks.overdue > 0, JSON.stringify(s.tasks));
  assert.match(await text('[data-panel="tasks"]'), new RegExp(`${s.tasks.overdue}\\s+逾期未完成`));
  assert.equal(await page.locator('.scr-tile').count(), s.children.length);
  assert.ok(s.children.length > 10);
  // a chart in each chart panel, drawn (a canvas with pixels on it)
  for (const p of ['compliance', 'recruitment', 'dues', 'disclosure', 'tasks']) {
    const drawn = await page.locator(`[data-panel="${p}"] canvas`).first().evaluate((c) => {
      const g = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < g.length; i += 4) if (g[i]) n++;
      return n;
    });
    assert.ok(drawn > 500, `${p}: the chart is drawn (${drawn} pixels)`);
  }
  // readable from across the room: key figures >= 48px, labels >= 20px
  const sizes = await page.evaluate(() => ({
    num: Math.min(...[...document.querySelectorAll('.scr-num')].map((e) => parseFloat(getComputedStyle(e).fontSize))),
    label: Math.min(...[...document.querySelectorAll('.scr-label, .scr-trow, .scr-tname, .scr-worst')].map((e) => parseFloat(getComputedStyle(e).fontSize))),
  }));
  assert.ok(sizes.num >= 48, `key figures ${sizes.num}px`);
  assert.ok(sizes.label >= 20, `labels ${sizes.label}px`);
  await shot(page, 'screen-county');
  checkLayout(await layout(page));
  assert.match(await text('[data-part="time"]'), /数据时间\s+\d\d:\d\d:\d\d/);

  // it refreshes itself
  await page.locator('.scr[data-loads="3"]').waitFor({ timeout: 10000 });
  assert.ok(calls >= 2, `requests: ${calls}`);
  // a failed refresh keeps the figures and says so quietly
  await page.route('**/api/v1/orgs/*/screen', (r) => r.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":"服务暂时不可用"}}' }));
  await page.locator('.scr[data-failed="1"]').waitFor({ timeout: 10000 });
  assert.match(await text('.scr-notice'), /刷新未成功，显示的是 \d\d:\d\d:\d\d 的数据/);
  assert.equal(await kpi('members'), s.stats.members.total);
  await page.unroute('**/api/v1/orgs/*/screen');
  await page.locator('.scr[data-failed="0"]').waitFor({ timeout: 10000 });
  // hidden: no requests
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  const before = calls;
  await page.waitForTimeout(4500);
  assert.ok(calls <= before + 1, `paused while hidden: ${calls - before} requests`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the 大屏 is whole at 1366×768 too; an ended session brings up the login and the refresh goes on', async () => {
  const page = await openPage(browser, LAPTOP, server.url);
  await login(page, 'screen_officer');
  await page.goto(`/#/screen/${county.id}?refresh=1`);
  await page.locator('.scr[data-loads="1"]').waitFor();
  await page.locator('[data-panel] canvas').nth(4).waitFor();
  await shot(page, 'screen-county');
  checkLayout(await layout(page));
  // the session ends (logged out elsewhere): the next refresh asks for the login
  await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token, 'Content-Type': 'application/json' }, body: '{}' });
  });
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await dialog.waitFor({ timeout: 10000 });
  const loads = Number(await page.locator('.scr').getAttribute('data-loads'));
  await dialog.getByLabel('密码').fill(PASSWORD);
  await dialog.getByRole('button', { name: '登录' }).click();
  await page.locator(`.scr[data-loads="${loads + 2}"]`).waitFor({ timeout: 10000 });
  assert.equal(await dialog.count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the 大屏 opened from the org page on a phone (390×844): one panel under another, nothing cut, every chart drawn', async () => {
  const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 };
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'screen_officer');
  await page.goto(`/#/orgs/${county.id}`);
  await page.locator('[data-link="screen"]').click();
  await page.waitForURL(new RegExp(`#/screen/${county.id}$`));
  await page.locator('.scr[data-loads="1"]').waitFor();
  await page.locator('[data-panel] canvas').nth(4).waitFor();
  await page.waitForTimeout(500);
  const l = await layout(page);
  assert.ok(l.scrollW <= l.w, `no sideways scrolling: ${l.scrollW} in ${l.w}`);
  const over = (a, b) => a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
  for (const p of l.parts) {
    assert.ok(p.box.x >= 0 && p.box.x + p.box.w <= l.w + 0.5, `${p.name} within the width ${JSON.stringify(p.box)}`);
    assert.deepEqual(p.out, [], `nothing sticks out of ${p.name}`);
    assert.deepEqual(p.clipped, [], `no figure cut in ${p.name}`);
  }
  for (let i = 0; i < l.parts.length; i++)
    for (let j = i + 1; j < l.parts.length; j++)
      assert.ok(!over(l.parts[i].box, l.parts[j].box), `${l.parts[i].name} and ${l.parts[j].name} overlap`);
  for (const p of ['compliance', 'recruitment', 'dues', 'disclosure', 'tasks']) {
    const c = page.locator(`[data-panel="${p}"] canvas`).first();
    await c.scrollIntoViewIfNeeded();
    const drawn = await c.evaluate((el) => {
      const g = el.getContext('2d').getImageData(0, 0, el.width, el.height).data;
      let n = 0;
      for (let i = 3; i < g.length; i += 4) if (g[i]) n++;
      return { n, h: el.getBoundingClientRect().height };
    });
    assert.ok(drawn.h >= 100 && drawn.n > 500, `${p}: the chart is drawn (${JSON.stringify(drawn)})`);
  }
  // each township's tile shows all four figures
  const tile = page.locator('.scr-tile').first();
  for (const w of ['会议', '党费', '公开', '任务']) assert.ok(await tile.getByText(w, { exact: true }).isVisible(), `tile shows ${w}`);
  await shot(page, 'screen-county-phone');
  assert.deepEqual(page.errors, []);
});
