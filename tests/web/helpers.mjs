// Browser-test helpers: build and start a real zhibu on loopback with a
// fresh database, drive Debian's chromium through playwright-core, log in,
// take screenshots, run axe-core.  Used by every tests/web/*.test.mjs.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, existsSync, readFileSync, rmSync, statSync, cpSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WEB = join(ROOT, 'web');
const require = createRequire(join(WEB, 'package.json'));
export const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BIN = process.env.ZHIBU_BIN || join(ROOT, 'build', 'zhibu');
export const SHOTS = join(ROOT, 'tests', 'out', 'screenshots');
export const ADMIN_PASSWORD = 'Root-pass-2026';
export const PASSWORD = 'Test-pass-2026';
export const PHONE = { name: 'phone', viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const PC = { name: 'pc', viewport: { width: 1366, height: 768 }, deviceScaleFactor: 1 };
export const SIZES = [PHONE, PC];

/** Build the server and the web app once per test run if they are missing. */
export function ensureBuilt() {
  if (!process.env.ZHIBU_BIN && !existsSync(BIN)) {
    execFileSync('make', ['-s', '-C', ROOT], { stdio: 'inherit' });
  }
  if (!existsSync(join(WEB, 'dist', 'index.html'))) {
    execFileSync('sh', [join(ROOT, 'tools', 'web-build.sh')], { stdio: 'inherit' });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Does this zhibu binary know a command?  (`zhibu help` lists them.) */
export function hasCommand(name) {
  const r = spawnSync(BIN, ['help'], { encoding: 'utf8' });
  return new RegExp('^\\s+' + name + '\\s', 'm').test(r.stdout || '');
}

/**
 * The directory of a freshly made database (and the data dir's key) for
 * this binary, scale and environment, made on first use.  The cache lives
 * in $ZB_WEB_DEMO_CACHE (tests/run.sh empties it before the layer) or the
 * system's temporary directory.
 */
function template(demo, scale, extraEnv) {
  const st = statSync(BIN);
  const key = createHash('sha256').update(JSON.stringify([BIN, st.mtimeMs, st.size, demo, scale, extraEnv, ADMIN_PASSWORD]))
    .digest('hex').slice(0, 16);
  const base = process.env.ZB_WEB_DEMO_CACHE || join(tmpdir(), 'zhibu-web-demo');
  const tpl = join(base, key);
  if (existsSync(join(tpl, '.done'))) return tpl;
  mkdirSync(base, { recursive: true });
  const work = mkdtempSync(join(base, 'making-'));
  const db = join(work, 'zhibu.db');
  const env = { ...process.env, ZHIBU_ADMIN_PASSWORD: ADMIN_PASSWORD, ZHIBU_DATA_DIR: work, ...extraEnv };
  const made = spawnSync(BIN, demo ? ['demo', '--db', db, '--scale', String(scale)] : ['init', '--db', db],
    { env, encoding: 'utf8' });
  if (made.status !== 0) {
    rmSync(work, { recursive: true, force: true });
    throw new Error(`zhibu ${demo ? 'demo' : 'init'} failed: ${made.stderr}${made.stdout}`);
  }
  writeFileSync(join(work, '.stdout'), made.stdout);
  writeFileSync(join(work, '.done'), '');
  try { renameSync(work, tpl); } catch { rmSync(work, { recursive: true, force: true }); }  // made meanwhile by another file
  return tpl;
}

/**
 * Start zhibu on a free loopback port with a fresh database.  Uses
 * `zhibu demo --scale N` when the binary has it, else `zhibu init`.
 * Returns { url, dir, db, demo, cli(args, env), stop() }.
 */
export async function startServer({ scale = 200, env: extraEnv = {} } = {}) {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-web-'));
  const db = join(dir, 'zhibu.db');
  const env = { ...process.env, ZHIBU_ADMIN_PASSWORD: ADMIN_PASSWORD, ZHIBU_DATA_DIR: dir, ...extraEnv };
  const demo = hasCommand('demo');
  // each test file gets its own copy of a database made once per binary,
  // scale and environment (a county demo takes many seconds to make)
  const made = { stdout: '' };
  const tpl = template(demo, scale, extraEnv);
  cpSync(tpl, dir, { recursive: true, filter: (src) => !/[/\\]\.(done|stdout)$/.test(src) });
  made.stdout = readFileSync(join(tpl, '.stdout'), 'utf8');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
    { env: { ...env, ZHIBU_WEB_ROOT: join(WEB, 'dist') }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => log.push(String(d)));
  proc.stderr.on('data', (d) => log.push(String(d)));
  let exited = null;
  proc.on('exit', (code) => { exited = code; });
  const deadline = Date.now() + 20000;
  for (;;) {
    if (exited !== null) throw new Error('zhibu serve exited: ' + log.join(''));
    try {
      const r = await fetch(url + '/api/v1/health');
      if (r.ok) break;
    } catch (e) { /* not up yet */ }
    if (Date.now() > deadline) { proc.kill('SIGKILL'); throw new Error('zhibu serve did not answer /api/v1/health: ' + log.join('')); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, dir, db, demo, log, setupOutput: made.stdout,
    /** Run a zhibu CLI command against this database. */
    cli(args, cliEnv = {}) {
      const r = spawnSync(BIN, [...args, '--db', db], { env: { ...env, ...cliEnv }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`zhibu ${args.join(' ')}: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      if (exited === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(); }, 5000); proc.on('exit', () => { clearTimeout(t); r(); }); });
      }
      if (!process.env.ZHIBU_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A logged-in API client (cookie + CSRF) for test setup. */
export async function apiLogin(base, username, password) {
  const r = await fetch(base + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  const body = await r.json();
  if (!r.ok) throw new Error(`login ${username}: ${JSON.stringify(body)}`);
  const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
  const csrf = body.csrf_token;
  async function call(method, path, data, raw) {
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf };
    let b;
    if (raw) { b = raw; headers['Content-Type'] = 'application/octet-stream'; }
    else if (data !== undefined) { b = JSON.stringify(data); headers['Content-Type'] = 'application/json'; }
    const res = await fetch(base + '/api/v1' + path, { method, headers, body: b });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { json = text; }
    if (!res.ok) {
      const err = new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
      err.status = res.status; err.body = json;
      throw err;
    }
    return json;
  }
  return {
    user: body.user, csrf, cookie,
    get: (p) => call('GET', p), post: (p, d) => call('POST', p, d), put: (p, d) => call('PUT', p, d),
    patch: (p, d) => call('PATCH', p, d), raw: (p, bytes) => call('POST', p, undefined, bytes),
  };
}

/** Is an endpoint implemented yet?  (404/405 with no route → false.) */
export async function routeExists(base, method, path) {
  const spec = await (await fetch(base + '/api/v1/openapi.json')).json().catch(() => null);
  if (!spec || !spec.paths) return false;
  const want = path.replace(/\{[^}]+\}/g, '{}');
  for (const [p, ops] of Object.entries(spec.paths)) {
    const norm = p.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, '{}');
    if (norm === want && ops[method.toLowerCase()]) return true;
  }
  return false;
}

/** Fail a test early, naming them, when the server lacks routes it drives. */
export async function needRoutes(t, base, routes) {
  const missing = [];
  for (const r of routes) {
    const [m, p] = r.split(' ');
    if (!(await routeExists(base, m, p))) missing.push(r);
  }
  if (missing.length) throw new Error('server lacks ' + missing.join(', '));
  return true;
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context and page at a size, collecting console errors.  The
 * phone is in China (zh-CN, Asia/Shanghai) like its users, whatever the
 * zone of the machine that runs the tests. */
export async function openPage(browser, size, base) {
  const { name, ...opts } = size;
  const context = await browser.newContext({ ...opts, baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.size = name;
  return page;
}

export async function login(page, username, password = PASSWORD, { navigate = true } = {}) {
  if (navigate) await page.goto('/#/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/login'), null, { timeout: 10000 });
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SHOTS, `${name}-${page.size}.png`), fullPage: false });
}

/** axe-core over the current page: violations of impact serious or critical. */
export async function axe(page) {
  // evaluated through the DevTools protocol: the app's CSP (script-src 'self') stays on
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE + '\n;void 0');
  const res = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\n')[1]) }));
  });
  return res.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Chinese resident ID with a valid checksum for a birth date and sequence. */
export function idNumber(birth = '19850312', seq = 123, region = '110105', gender) {
  // digit 17 odd = male: move the sequence to the gender asked for
  if (gender && (seq % 2 === 1) !== (gender === 'M')) seq += 1;
  const body = region + birth + String(seq).padStart(3, '0');
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i];
  return body + '10X98765432'[s % 11];
}
export function badIdNumber(birth, seq, region, gender) {
  const good = idNumber(birth, seq, region, gender);
  const last = good[17] === '0' ? '1' : '0';
  return good.slice(0, 17) + last;
}

/**
 * The people and orgs every test needs, made through the API (as admin)
 * and the CLI (accounts and grants):
 *   town  (党委) ─ branchA (党支部, worker "worker_a", member "dangyuan_a")
 *               └ branchB (党支部, members only)
 *   auditor: audit_admin at the root.
 * Members are created only when POST /members exists.
 */
export async function fixtures(server) {
  const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const root = (await admin.get('/orgs')).items[0];
  const stamp = Date.now().toString(36).slice(-4);
  const town = await admin.post('/orgs', { parent_id: root.id, name: `测试镇党委${stamp}`, type: 'committee', domain: 'rural' });
  const branchA = await admin.post('/orgs', { parent_id: town.id, name: `红星村党支部${stamp}`, type: 'branch', domain: 'rural' });
  const branchB = await admin.post('/orgs', { parent_id: town.id, name: `青山村党支部${stamp}`, type: 'branch', domain: 'rural' });
  const f = { admin, root, town, branchA, branchB, membersA: [], membersB: [], hasMembers: false };
  if (await routeExists(server.url, 'POST', '/members')) {
    f.hasMembers = true;
    const A = [['欧阳明辉', 'M', '19800101'], ['张秀英', 'F', '19751120'], ['李建国', 'M', '19690705'], ['王芳', 'F', '19900214']];
    const B = [['赵红梅', 'F', '19820918'], ['孙卫东', 'M', '19710603'], ['周晓燕', 'F', '19881111']];
    let seq = 101;
    for (const [list, org, out] of [[A, branchA, f.membersA], [B, branchB, f.membersB]]) {
      for (const [name, gender, birth] of list) {
        out.push(await admin.post('/members', { org_id: org.id, name, gender, birth_date: birth.replace(/(\d{4})(\d\d)(\d\d)/, '$1-$2-$3'),
          id_number: idNumber(birth, seq += 2, undefined, gender), category: 'full',
          join_date: `${Number(birth.slice(0, 4)) + 25}-07-01`, full_date: `${Number(birth.slice(0, 4)) + 26}-07-01`,
          ethnicity: '汉族', education: '大学本科' }));
      }
    }
  }
  const add = (name, role, org, extra = []) => {
    server.cli(['user', 'add', name, '--display-name', name, '--role', role, '--org', String(org.id), ...extra],
      { ZHIBU_PASSWORD: PASSWORD });
  };
  add('worker_a', 'party_worker', branchA);
  add('web_auditor', 'audit_admin', root);
  add('dangyuan_a', 'member', branchA, f.membersA[0] ? ['--member', String(f.membersA[0].id)] : []);
  return f;
}

/** Wait until the hash route matches (client-side navigation). */
export async function waitRoute(page, re, timeout = 10000) {
  await page.waitForFunction((src) => new RegExp(src).test(decodeURIComponent(location.hash)), re.source, { timeout });
}

