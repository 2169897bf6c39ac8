// Test harness for API tests: starts the real zhibu binary on a free
// loopback port with a fresh database, and a small client that keeps the
// session cookie and CSRF token like a browser would.
//
// Backend: SQLite by default; when ZB_TEST_PG_DIR is set (a cluster started
// by tests/pg.sh), each server gets a fresh PostgreSQL database instead.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = process.env.ZHIBU_BIN || join(ROOT, process.env.BUILD || 'build', 'zhibu');
export const ADMIN_PASSWORD = 'Root-Passw0rd';

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

let dbCounter = 0;
/** A fresh database URI (SQLite file or a new PostgreSQL database). */
export function freshDb(dir) {
  const pg = process.env.ZB_TEST_PG_DIR;
  if (pg) {
    const name = `t${process.pid}_${Date.now()}_${dbCounter++}`;
    return execFileSync('sh', [join(ROOT, 'tests/pg.sh'), 'createdb', pg, name]).toString().trim().split('\n').pop();
  }
  return join(dir, 'zhibu.db');
}

/** Run the CLI; returns {code, stdout, stderr}. */
export function cli(args, env = {}) {
  const r = spawnSync(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout?.toString() || '', stderr: r.stderr?.toString() || '' };
}

/**
 * Start a server.  opts: {env, db, keyFile, init: true|false, demo: scale}
 * Returns {url, db, dir, keyFile, stop(), log()}.
 */
export async function startServer(opts = {}) {
  const dir = opts.dir || mkdtempSync(join(tmpdir(), 'zhibu-api-'));
  const db = opts.db || freshDb(dir);
  const keyFile = opts.keyFile || join(dir, 'zhibu.key');
  const env = { ...process.env, ZHIBU_KEY_FILE: keyFile, ZHIBU_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ZHIBU_DATA_DIR: dir, ...(opts.env || {}) };
  if (opts.init !== false) {
    const args = opts.demo ? ['demo', '--db', db, '--scale', String(opts.demo), '--seed', '7'] : ['init', '--db', db];
    const r = cli(args, env);
    if (r.code !== 0) throw new Error(`zhibu ${args[0]} failed: ${r.stderr}`);
  }
  const port = await freePort();
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d.toString(); });
  // a server that dies under a test (a sanitizer report, a crash) says why
  child.on('exit', (code, signal) => {
    if (code !== 0 && !(signal === 'SIGTERM' || signal === 'SIGKILL')) {
      process.stderr.write(`zhibu serve exited (code ${code}, signal ${signal}):\n${log.split('\n').filter((l) => !/ info /.test(l)).join('\n')}\n`);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`zhibu serve exited ${child.exitCode}: ${log}`);
    try { const r = await fetch(`${url}/api/v1/health`); if (r.ok) break; } catch { /* not yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`server did not start: ${log}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, db, dir, keyFile, env, child,
    log: () => log,
    async stop({ keep = false } = {}) {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      if (!keep && !opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client with a cookie jar and the CSRF token of its session. */
export class Client {
  constructor(url) { this.url = url; this.cookie = null; this.csrf = null; this.bearer = null; }

  async req(method, path, body, { headers = {}, raw = false, csrf = true } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (csrf && this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      if (raw) payload = body; else { payload = JSON.stringify(body); h['Content-Type'] = 'application/json'; }
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload, redirect: 'manual' });
    const sc = res.headers.get('set-cookie');
    if (sc) {
      const m = /zhibu_session=([^;]*)/.exec(sc);
      if (m) this.cookie = m[1] && !/Max-Age=0/i.test(sc) ? `zhibu_session=${m[1]}` : null;
    }
    const type = res.headers.get('content-type') || '';
    const data = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: data, headers: res.headers };
  }
  get(p, o) { return this.req('GET', p, undefined, o); }
  post(p, b, o) { return this.req('POST', p, b, o); }
  patch(p, b, o) { return this.req('PATCH', p, b, o); }
  put(p, b, o) { return this.req('PUT', p, b, o); }
  del(p, o) { return this.req('DELETE', p, undefined, o); }

  async login(username, password) {
    const r = await this.post('/api/v1/auth/login', { username, password });
    if (r.status === 200) this.csrf = r.body.csrf_token;
    return r;
  }
}

/** Log in as admin and return the client. */
export async function admin(srv) {
  const c = new Client(srv.url);
  const r = await c.login('admin', ADMIN_PASSWORD);
  if (r.status !== 200) throw new Error(`admin login failed: ${JSON.stringify(r.body)}`);
  return c;
}

/** Create a user with one role at one org via the CLI (needs the server's env). */
export function addUser(srv, name, role, orgId, password = 'Test-Passw0rd-1') {
  const r = cli(['user', 'add', name, '--db', srv.db, '--role', role, '--org', String(orgId)],
    { ...srv.env, ZHIBU_PASSWORD: password });
  if (r.code !== 0) throw new Error(`user add failed: ${r.stderr}`);
  return password;
}

/** Log in a new client as the given user. */
export async function loginAs(srv, name, password = 'Test-Passw0rd-1') {
  const c = new Client(srv.url);
  const r = await c.login(name, password);
  if (r.status !== 200) throw new Error(`login ${name} failed: ${JSON.stringify(r.body)}`);
  return c;
}
