// bench/slowline.mjs - a secretary's first visit on a slow line.
//
// Chromium (playwright-core) with the DevTools network emulation of a poor
// mobile line: 400 kbit/s down and up, 400 ms latency (CDP
// Network.emulateNetworkConditions), an empty cache.  A branch secretary of
// the demo county opens the app, logs in and waits for the home figures.
// Prints: time and bytes until the login form is usable, time from the
// login click until the home figures are shown, until the charts are drawn,
// and what was transferred (per file type, and whether compressed).
//
// Usage: node bench/slowline.mjs [--runs N] [--kbps 400] [--latency 400]
// Needs build/zhibu and web/dist (make && make web).  Timings, not tests:
// tests/web/slowline.test.mjs asserts the deterministic parts.
import { startServer, apiLogin, launch, PASSWORD } from '../tests/web/helpers.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 3), KBPS = arg('kbps', 400), LATENCY = arg('latency', 400);

const server = await startServer({ scale: 2000 });
const admin = await apiLogin(server.url, 'admin', 'Root-pass-2026');
// a village branch of the demo county with members and meetings
const root = (await admin.get('/orgs')).items[0];
const town = (await admin.get(`/orgs/${root.id}/children`)).items.find((o) => o.type === 'committee');
const branch = (await admin.get(`/orgs/${town.id}/children`)).items.find((o) => o.type === 'branch' && o.member_count > 10);
server.cli(['user', 'add', 'slow_secretary', '--display-name', '支部书记', '--role', 'party_worker', '--org', String(branch.id)],
  { ZHIBU_PASSWORD: PASSWORD });

const browser = await launch();
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const results = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
      deviceScaleFactor: 2, locale: 'zh-CN', baseURL: server.url,
      // a service worker's own fetches escape the page's emulated line
      serviceWorkers: 'block' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: LATENCY,
      downloadThroughput: KBPS * 1000 / 8, uploadThroughput: KBPS * 1000 / 8 });
    const reqs = new Map();
    let bytes = 0;
    cdp.on('Network.responseReceived', (e) => reqs.set(e.requestId, { url: e.response.url,
      enc: (e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || ''), bytes: 0 }));
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      const r = reqs.get(e.requestId);
      if (r) r.bytes = e.encodedDataLength;
    });

    const t0 = Date.now();
    await page.goto('/', { waitUntil: 'commit' });
    await page.getByLabel('用户名').waitFor({ state: 'visible', timeout: 60000 });
    await page.getByRole('button', { name: '登录' }).waitFor({ state: 'visible' });
    const tLogin = Date.now() - t0, bytesLogin = bytes;
    await page.getByLabel('用户名').fill('slow_secretary');
    await page.getByLabel('密码').fill(PASSWORD);
    const t1 = Date.now();
    await page.getByRole('button', { name: '登录' }).click();
    // the home figures: the first stat card shows a number
    await page.waitForFunction(() => {
      const n = document.querySelector('.stat-card .stat-num');
      return n && /\d/.test(n.textContent);
    }, null, { timeout: 60000 });
    const tHome = Date.now() - t1;
    await page.waitForFunction(() => document.querySelectorAll('.chart-canvas canvas').length > 0 &&
      !document.querySelector('.chart-loading'), null, { timeout: 120000 });
    const tCharts = Date.now() - t1;
    results.push({ tLogin, bytesLogin, tHome, tCharts, bytes });
    console.log(`run ${run + 1}: login form ${(tLogin / 1000).toFixed(2)} s (${kb(bytesLogin)}), ` +
      `home figures ${(tHome / 1000).toFixed(2)} s after the login click, charts ${(tCharts / 1000).toFixed(2)} s, ` +
      `total ${kb(bytes)}`);
    if (run === RUNS - 1) {
      const by = {};
      for (const r of reqs.values()) {
        const ext = (/\.(\w+)(?:$|\?)/.exec(new URL(r.url).pathname) || [, new URL(r.url).pathname.startsWith('/api/') ? 'api' : 'html'])[1];
        const k = `${ext}${r.enc ? ' (' + r.enc + ')' : ''}`;
        by[k] = by[k] || { n: 0, bytes: 0 };
        by[k].n++; by[k].bytes += r.bytes;
      }
      console.log('transferred by type (last run):');
      for (const [k, v] of Object.entries(by).sort()) console.log(`  ${k.padEnd(16)} ${String(v.n).padStart(3)} files ${kb(v.bytes).padStart(10)}`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
const med = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
console.log(`median of ${RUNS} (${KBPS} kbit/s, ${LATENCY} ms): login form ${(med('tLogin') / 1000).toFixed(2)} s ` +
  `(target < 3 s), home figures ${(med('tHome') / 1000).toFixed(2)} s after login (target < 5 s), ` +
  `charts ${(med('tCharts') / 1000).toFixed(2)} s`);
