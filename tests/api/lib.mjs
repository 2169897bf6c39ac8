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

/**
 * Unix seconds `s` seconds ago, but not before 00:00 today in China (the
 * server counts dates in UTC+8): a meeting of a few minutes ago is in
 * today's month, quarter and year even when the suite runs just after
 * midnight.
 */
export function ago(s) {
  const now = Math.floor(Date.now() / 1000);
  const today = new Date((now + 8 * 3600) * 1000).toISOString().slice(0, 10);
  return Math.max(now - s, Date.parse(`${today}T00:00:00+08:00`) / 1000);
}

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

// ---- the contract: every answer against the route's declared shape ----
//
// The OpenAPI document of the binary under test (`zhibu openapi`) declares,
// per route and status, the schema of the answer.  Every answer a Client
// receives is checked against it: a JSON answer under /api/ must match the
// schema declared for its route and status (errors: the Error schema), a
// success status the route does not declare fails, and so does a JSON body
// where the route declares none.  The failure names the route, the status
// and the JSON path of the first difference.

let apiDoc = null;
let apiRoutes = null;
/** The OpenAPI document of the binary under test (read once). */
export function openapiDoc() {
  if (!apiDoc) {
    const r = spawnSync(BIN, ['openapi'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`zhibu openapi failed: ${r.stderr}`);
    apiDoc = JSON.parse(r.stdout.toString());
    apiRoutes = [];
    for (const [pattern, ops] of Object.entries(apiDoc.paths)) {
      const rx = new RegExp('^' + pattern.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+') + '$');
      const literal = pattern.split('/').filter((x) => x && !x.startsWith('{')).length;
      for (const [m, op] of Object.entries(ops)) apiRoutes.push({ method: m.toUpperCase(), pattern, rx, literal, op });
    }
    // the most literal pattern first: /members/export before /members/{id}
    apiRoutes.sort((a, b) => b.literal - a.literal);
  }
  return apiDoc;
}

/** The route {method, pattern, op} a request goes to, or null. */
export function routeOf(method, path) {
  openapiDoc();
  const p = path.split('?')[0];
  const m = method === 'HEAD' ? 'GET' : method;
  return apiRoutes.find((r) => r.method === m && r.rx.test(p)) || null;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want, v) {
  const got = typeOf(v);
  return got === want || (want === 'number' && got === 'integer');
}

/**
 * Check value v against a JSON Schema (the subset the OpenAPI document
 * uses: $ref, anyOf, type (one or a list), format date, properties,
 * required, additionalProperties (false or a schema), items).  Returns
 * null or a message naming the JSON path of the first difference.
 */
export function schemaError(schema, v, at = '$', doc = openapiDoc()) {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) return `${at}: unknown schema ${schema.$ref}`;
    return schemaError(target, v, at, doc);
  }
  if (schema.anyOf) {
    const errs = schema.anyOf.map((s) => schemaError(s, v, at, doc));
    return errs.includes(null) ? null : errs.join('; or ');
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, v))) return `${at}: ${JSON.stringify(v)?.slice(0, 80)} is ${typeOf(v)}, declared ${types.join(' or ')}`;
  }
  if (v === null) return null;
  if (schema.format === 'date' && typeof v === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return `${at}: "${v}" is not a date YYYY-MM-DD`;
  if (typeOf(v) === 'object') {
    const props = schema.properties || {};
    for (const k of schema.required || []) if (!(k in v)) return `${at}: required key "${k}" missing`;
    for (const [k, x] of Object.entries(v)) {
      if (props[k]) {
        const err = schemaError(props[k], x, `${at}.${k}`, doc);
        if (err) return err;
      } else if (schema.additionalProperties === false) {
        return `${at}: key "${k}" not declared`;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const err = schemaError(schema.additionalProperties, x, `${at}.${k}`, doc);
        if (err) return err;
      }
    }
  }
  if (typeOf(v) === 'array' && schema.items) {
    for (let i = 0; i < v.length; i++) {
      const err = schemaError(schema.items, v[i], `${at}[${i}]`, doc);
      if (err) return err;
    }
  }
  return null;
}

/** Throws when an answer does not match its route's declaration. */
export function checkResponse(method, path, status, type, body) {
  if (!path.startsWith('/api/')) return;
  const json = type.includes('json');
  const where = `${method} ${path.split('?')[0]} answered ${status}`;
  const doc = openapiDoc();
  if (status >= 400) {
    if (!json) return; // refused before any route ran (e.g. a body cut off at the cap)
    const err = schemaError(doc.components.schemas.Error, body, '$', doc);
    if (err) throw new Error(`contract: ${where}: not the Error shape: ${err}`);
    return;
  }
  const route = routeOf(method, path);
  if (!route) throw new Error(`contract: ${where}, but no route of the OpenAPI document matches it`);
  const resp = route.op.responses?.[String(status)];
  const id = `${route.method} ${route.pattern}`;
  if (!resp) throw new Error(`contract: ${where}: ${id} declares no ${status} answer (declared: ${Object.keys(route.op.responses || {}).join(', ')})`);
  const content = resp.content || {};
  const schema = content['application/json']?.schema;
  if (!json) {
    if (schema) throw new Error(`contract: ${where}: ${id} declares a JSON answer, got ${type || 'no content type'}`);
    if (status !== 204 && !Object.keys(content).some((t) => type.startsWith(t))) {
      throw new Error(`contract: ${where}: ${id} declares ${Object.keys(content).join(', ') || 'no body'}, got ${type}`);
    }
    return;
  }
  if (!schema) throw new Error(`contract: ${where}: ${id} declares no JSON answer for ${status}`);
  const err = schemaError(schema, body, '$', doc);
  if (err) throw new Error(`contract: ${where}: the answer differs from ${id}'s declaration: ${err}`);
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
    checkResponse(method, path, res.status, type, data);
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
/** A GB 11643 ID number: the 17 digits given plus their check character. */
export function withCheck(body17) {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * W[i];
  return body17 + '10X98765432'[s % 11];
}

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
