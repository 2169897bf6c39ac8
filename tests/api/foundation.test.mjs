// Issue 2: the foundation — health, OpenAPI, auth, CSRF, sessions, tokens,
// subtree scoping, 三员分立, error bodies, audit chain, static files, CLI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, Client, admin, addUser, loginAs, cli, ROOT, ADMIN_PASSWORD } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, branchA, branchB, town;

before(async () => {
  const web = mkdtempSync(join(tmpdir(), 'zhibu-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>支部</title>');
  writeFileSync(join(web, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'zhibu-secret.txt'), 'secret');
  symlinkSync(join(tmpdir(), 'zhibu-secret.txt'), join(web, 'link.txt'));
  srv = await startServer({ env: { ZHIBU_WEB_ROOT: web, ZHIBU_IP_FAIL_LIMIT: '1000' } });
  adm = await admin(srv);
  const mk = async (parent, name, type) => {
    const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  town = await mk(1, '东镇党委', '党委');
  branchA = await mk(town, '东村党支部', 'branch');
  branchB = await mk(town, '西村党支部', 'branch');
});

after(async () => { await srv?.stop(); });

test('health answers without login', async () => {
  const r = await new Client(srv.url).get('/api/v1/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.match(r.body.db, /sqlite|postgresql/);
});

test('security headers on every response', async () => {
  for (const p of ['/api/v1/health', '/', '/api/v1/nope']) {
    const r = await new Client(srv.url).get(p);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
  }
});

test('openapi document lists every route of the route tables', async () => {
  const r = await new Client(srv.url).get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.equal(r.body.openapi, '3.1.0');
  // read the route tables from the sources, independently of the server
  const dir = join(ROOT, 'src/api');
  const routes = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.c'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/\{\.method = "(GET|POST|PUT|PATCH|DELETE)",\s*\.pattern = "(\/api\/v1\/[^"]*)"/g)) routes.push([m[1], m[2]]);
  }
  assert.ok(routes.length >= 15, `found only ${routes.length} routes`);
  for (const [method, path] of routes) {
    const op = r.body.paths[path]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${path} missing from openapi.json`);
    assert.ok(op.summary, `${method} ${path} has no summary`);
  }
  const login = r.body.paths['/api/v1/auth/login'].post;
  assert.deepEqual(login.requestBody.content['application/json'].schema.required.sort(), ['password', 'username']);
});

test('login, me, logout', async () => {
  const c = new Client(srv.url);
  const r = await c.login('admin', ADMIN_PASSWORD);
  assert.equal(r.status, 200);
  assert.equal(r.body.user.username, 'admin');
  assert.equal(r.body.user.grants[0].role, 'org_admin');
  assert.ok(r.body.csrf_token.length > 20);
  const sc = r.headers.get('set-cookie');
  assert.match(sc, /HttpOnly/);
  assert.match(sc, /SameSite=Strict/);
  const me = await c.get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.csrf_token, c.csrf, 'me gives back the same CSRF token');
  const cookie = c.cookie;
  assert.equal((await c.post('/api/v1/auth/logout')).status, 200);
  const stale = new Client(srv.url);
  stale.cookie = cookie;
  const after = await stale.get('/api/v1/auth/me');
  assert.equal(after.status, 401, 'a logged-out session is revoked on the server');
  assert.equal(after.body.error.code, 'unauthenticated');
});

test('wrong password and unknown user get the same answer', async () => {
  addUser(srv, 'wrongpw', 'party_worker', branchA);
  const a = await new Client(srv.url).login('wrongpw', 'not-the-password');
  const b = await new Client(srv.url).login('nobody-here', 'not-the-password');
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.body.error.message, b.body.error.message);
  assert.equal(a.body.error.message, '用户名或密码错误');
});

test('five failures lock the account for 15 minutes', async () => {
  addUser(srv, 'locky', 'party_worker', branchA, 'Door-Passw0rd-9');
  const c = new Client(srv.url);
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await c.login('locky', 'bad-password-' + i)).status);
  assert.deepEqual(codes, [401, 401, 401, 401, 423]);
  const good = await c.login('locky', 'Door-Passw0rd-9');
  assert.equal(good.status, 423, 'the right password does not open a locked account');
  assert.equal(good.body.error.code, 'account_locked');
  assert.match(good.body.error.message, /锁定/);
});

test('CSRF token is required on state-changing requests with a cookie', async () => {
  const c = await admin(srv);
  const body = { parent_id: town, name: 'CSRF测试支部', type: 'branch' };
  const none = await c.post('/api/v1/orgs', body, { csrf: false });
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'csrf_failed');
  const wrong = await c.post('/api/v1/orgs', body, { csrf: false, headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
  assert.equal(wrong.status, 403);
  const other = await admin(srv); // another session's token does not fit
  const cross = await c.post('/api/v1/orgs', body, { csrf: false, headers: { 'X-CSRF-Token': other.csrf } });
  assert.equal(cross.status, 403);
  const ok = await c.post('/api/v1/orgs', body);
  assert.equal(ok.status, 201);
});

test('idle session expires', async () => {
  const s2 = await startServer({ env: { ZHIBU_SESSION_IDLE: '2' } });
  try {
    const c = await admin(s2);
    assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    await new Promise((r) => setTimeout(r, 3200));
    const r = await c.get('/api/v1/auth/me');
    assert.equal(r.status, 401);
    assert.match(r.body.error.message, /超时|失效|登录/);
  } finally { await s2.stop(); }
});

test('API token works as Bearer without CSRF and can be revoked', async () => {
  addUser(srv, 'integ', 'org_admin', town);
  const t = cli(['user', 'token', 'integ', '--db', srv.db, '--name', 'test'], srv.env);
  assert.equal(t.code, 0, t.stderr);
  const token = t.stdout.trim();
  assert.match(token, /^zb_/);
  const c = new Client(srv.url);
  c.bearer = token;
  assert.equal((await c.get('/api/v1/auth/me')).body.user.username, 'integ');
  const w = await c.post('/api/v1/orgs', { parent_id: town, name: '令牌创建的支部', type: 'branch' });
  assert.equal(w.status, 201);
  const id = /id=(\d+)/.exec(t.stderr)[1];
  assert.equal(cli(['user', 'token', 'integ', '--db', srv.db, '--revoke', id], srv.env).code, 0);
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
  const bad = new Client(srv.url);
  bad.bearer = 'zb_' + 'A'.repeat(43);
  assert.equal((await bad.get('/api/v1/auth/me')).status, 401);
});

test('a user granted at one branch cannot read or change its sibling', async () => {
  addUser(srv, 'secA', 'party_worker', branchA);
  const c = await loginAs(srv, 'secA');
  assert.equal((await c.get(`/api/v1/orgs/${branchA}`)).status, 200);
  const b = await c.get(`/api/v1/orgs/${branchB}`);
  assert.equal(b.status, 404, 'sibling is invisible');
  assert.equal(b.body.error.code, 'not_found');
  assert.equal((await c.get(`/api/v1/orgs/${town}`)).status, 404, 'parent is invisible');
  assert.equal((await c.get(`/api/v1/orgs/${branchB}/children`)).status, 404);
  const roots = await c.get('/api/v1/orgs');
  assert.deepEqual(roots.body.items.map((o) => o.id), [branchA]);
  // party_worker has no org.write
  assert.equal((await c.patch(`/api/v1/orgs/${branchA}`, { name: 'x' })).status, 403);
  const t = await loginAs(srv, 'integ');
  assert.equal((await t.patch(`/api/v1/orgs/${branchB}`, { name: '西村党支部（改）' })).status, 200);
  assert.equal((await t.patch('/api/v1/orgs/1', { name: '越权' })).status, 404, 'township admin cannot edit the county');
  assert.equal((await t.post('/api/v1/orgs', { parent_id: 1, name: '越权支部', type: 'branch' })).status, 404);
});

test('三员分立: system, security and audit administrators', async () => {
  addUser(srv, 'sysadm', 'sys_admin', 1);
  addUser(srv, 'secadm', 'sec_admin', 1);
  addUser(srv, 'audadm', 'audit_admin', 1);
  const sys = await loginAs(srv, 'sysadm');
  const sec = await loginAs(srv, 'secadm');
  const aud = await loginAs(srv, 'audadm');
  // nobody of the three reads member data
  for (const c of [sys, sec, aud]) {
    const r = await c.get(`/api/v1/members?org=1`);
    assert.ok([403, 404].includes(r.status), `member list must be refused, got ${r.status}`);
  }
  // only the audit administrator reads the audit trail
  assert.equal((await aud.get('/api/v1/audit')).status, 200);
  for (const c of [sys, sec, adm]) assert.equal((await c.get('/api/v1/audit')).status, 403);
  // the system administrator manages accounts but cannot grant roles
  const u = await sys.post('/api/v1/users', { username: 'newbie', password: 'Fresh-Passw0rd-7' });
  assert.equal(u.status, 201);
  const g1 = await sys.post(`/api/v1/users/${u.body.id}/grants`, { role: 'org_admin', org_id: 1 });
  assert.equal(g1.status, 403);
  // the security administrator grants roles
  const g2 = await sec.post(`/api/v1/users/${u.body.id}/grants`, { role: 'party_worker', org_id: branchB });
  assert.equal(g2.status, 201);
  // an initial password chosen by an administrator is changed at the first login
  const nb = await loginAs(srv, 'newbie', 'Fresh-Passw0rd-7');
  assert.equal((await nb.get(`/api/v1/orgs/${branchB}`)).status, 403, 'nothing but the password change before it');
  const ch = await nb.post('/api/v1/auth/password', { old_password: 'Fresh-Passw0rd-7', new_password: 'Own-Choice-2026' });
  assert.equal(ch.status, 200, JSON.stringify(ch.body));
  assert.equal((await nb.get(`/api/v1/orgs/${branchB}`)).status, 200);
  assert.equal((await nb.get(`/api/v1/orgs/${branchA}`)).status, 404);
  assert.equal((await sec.del(`/api/v1/grants/${g2.body.id}`)).status, 200);
  assert.ok([403, 404].includes((await nb.get(`/api/v1/orgs/${branchB}`)).status), 'revoked grant takes effect at once');
  // password policy
  const weak = await sys.post('/api/v1/users', { username: 'weak', password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(weak.body.error.field, 'password');
});

test('malformed input gets 4xx with a Chinese message and writes nothing', async () => {
  const c = await admin(srv);
  const count = () => Number(sql(srv.db, 'SELECT COUNT(*) FROM orgs').trim());
  const before = count();
  const send = (body, headers = {}) => c.req('POST', '/api/v1/orgs', body, { raw: true, headers: { 'Content-Type': 'application/json', ...headers } });
  const cases = [
    ['{"parent_id":1,"name":', 'invalid_json'],
    ['[1,2,3]', 'invalid_json'],
    ['', 'invalid_json'],
    [Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'invalid_json'],
    ['{"parent_id":"1","name":"x","type":"branch"}', 'invalid_input', 'parent_id'],
    ['{"parent_id":1,"name":"x","type":"branch","colour":"red"}', 'invalid_input', 'colour'],
    ['{"parent_id":1,"type":"branch"}', 'invalid_input', 'name'],
    ['{"parent_id":1,"name":"x","type":"公司"}', 'invalid_input', 'type'],
    ['{"parent_id":1,"name":"x","type":"branch","founded_on":"2023-02-30"}', 'invalid_input', 'founded_on'],
    ['{"parent_id":1,"name":"x","name":"y","type":"branch"}', 'invalid_json'],
    ['{"parent_id":99999,"name":"x","type":"branch"}', 'not_found'],
  ];
  for (const [body, code, field] of cases) {
    const r = await send(body);
    assert.ok(r.status >= 400 && r.status < 500, `${body}: status ${r.status}`);
    assert.equal(r.body.error.code, code, `${body}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, 'message is Chinese');
    if (field) assert.equal(r.body.error.field, field);
  }
  const big = await send(JSON.stringify({ parent_id: 1, name: 'x'.repeat(20000), type: 'branch' }));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'too_large');
  assert.equal(count(), before, 'nothing was written');
  assert.equal((await c.get('/api/v1/no/such/route')).status, 404);
  const m = await c.req('DELETE', '/api/v1/health');
  assert.equal(m.status, 405);
  assert.equal(m.body.error.code, 'method_not_allowed');
  assert.equal((await c.get('/api/v1/orgs/abc')).status, 404);
  assert.equal((await c.get('/api/v1/orgs/-1')).status, 404);
});

test('audit rows are written and chained; tampering is detected', async () => {
  addUser(srv, 'auditor2', 'audit_admin', 1);
  const aud = await loginAs(srv, 'auditor2');
  const r = await aud.get('/api/v1/audit?limit=200');
  assert.equal(r.status, 200);
  const actions = r.body.items.map((x) => x.action);
  for (const a of ['auth.login', 'auth.login_failed', 'org.create', 'org.update', 'grant.create', 'grant.delete', 'auth.logout'])
    assert.ok(actions.includes(a), `audit has ${a}`);
  const failed = r.body.items.find((x) => x.action === 'auth.login_failed');
  assert.ok(failed.ip, 'client address recorded');
  assert.ok(!JSON.stringify(r.body).includes(ADMIN_PASSWORD), 'no password in the audit trail');
  const filtered = await aud.get('/api/v1/audit?action=org.create');
  assert.ok(filtered.body.items.length >= 3);
  assert.ok(filtered.body.items.every((x) => x.action === 'org.create'));
  const v = await aud.get('/api/v1/audit/verify');
  assert.equal(v.body.ok, true, JSON.stringify(v.body));
  assert.ok(v.body.rows > 10);
  const ok = cli(['audit', 'verify', '--db', srv.db], srv.env);
  assert.equal(ok.code, 0, ok.stderr);
  // edit one row's detail behind the application's back
  const id = filtered.body.items[1].id;
  sql(srv.db, `UPDATE audit_log SET detail = '{"parent_id":1}' WHERE id = ${id}`);
  const bad = cli(['audit', 'verify', '--db', srv.db], srv.env);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, new RegExp(`id=${id}`));
  const v2 = await aud.get('/api/v1/audit/verify');
  assert.equal(v2.body.ok, false);
  assert.equal(v2.body.bad_id, id);
});

test('audit verify detects a deleted row', async () => {
  const s2 = await startServer();
  try {
    const c = await admin(s2);
    for (let i = 0; i < 3; i++) await c.post('/api/v1/orgs', { parent_id: 1, name: `镇${i}`, type: 'committee' });
    assert.equal(cli(['audit', 'verify', '--db', s2.db], s2.env).code, 0);
    sql(s2.db, 'DELETE FROM audit_log WHERE id = 3');
    const r = cli(['audit', 'verify', '--db', s2.db], s2.env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /id=4/);
  } finally { await s2.stop(); }
});

test('static files: MIME, caching, SPA fallback, no traversal', async () => {
  const c = new Client(srv.url);
  const idx = await c.get('/');
  assert.equal(idx.status, 200);
  assert.match(idx.headers.get('content-type'), /text\/html/);
  assert.equal(idx.headers.get('cache-control'), 'no-cache');
  const js = await c.get('/assets/app-1234.js');
  assert.match(js.headers.get('content-type'), /javascript/);
  assert.match(js.headers.get('cache-control'), /immutable/);
  assert.equal((await c.get('/members/12')).status, 200, 'client-side route falls back to index.html');
  for (const p of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../../../etc/passwd', '/link.txt', '/.env', '/assets/']) {
    const r = await fetch(srv.url + p);
    const text = await r.text();
    assert.ok(!text.includes('root:') && !text.includes('secret'), `${p} leaked`);
    assert.ok(r.status === 404 || (r.status === 200 && text.includes('<title>支部')), `${p}: ${r.status}`);
  }
});

test('CLI: unknown flags, missing values and unreachable databases fail with one clear line', () => {
  const a = cli(['serve', '--nope']);
  assert.notEqual(a.code, 0);
  assert.match(a.stderr, /不认识的选项/);
  assert.equal(a.stderr.trim().split('\n').length, 1);
  const b = cli(['init', '--db']);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr, /需要一个值/);
  const c = cli(['serve', '--db', 'postgres://zhibu@127.0.0.1:1/none']);
  assert.notEqual(c.code, 0);
  assert.match(c.stderr, /127\.0\.0\.1/);
  const d = cli(['serve', '--db', join(tmpdir(), 'no-such-dir-zhibu', 'x.db')]);
  assert.notEqual(d.code, 0);
  const e = cli(['frobnicate']);
  assert.notEqual(e.code, 0);
  assert.equal(cli(['version']).code, 0);
  const f = cli(['user', 'add', 'x1', '--db', srv.db, '--role', 'king', '--org', '1'], { ...srv.env, ZHIBU_PASSWORD: 'Some-Passw0rd' });
  assert.notEqual(f.code, 0);
  assert.match(f.stderr, /没有这个角色/);
});

test('serve refuses a key file that does not belong to the database', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-key-'));
  const other = join(dir, 'other.key');
  const r0 = cli(['init', '--db', join(dir, 'o.db'), '--key-file', other], { ZHIBU_ADMIN_PASSWORD: ADMIN_PASSWORD });
  assert.equal(r0.code, 0, r0.stderr);
  const r = cli(['user', 'list', '--db', srv.db, '--key-file', other]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /密钥/);
});

test('SIGTERM stops the server cleanly', async () => {
  const s2 = await startServer();
  await s2.stop({ keep: true });
  assert.equal(s2.child.exitCode, 0);
  assert.match(s2.log(), /stopped/);
});

test('failed logins per client address are limited', async () => {
  const s2 = await startServer({ env: { ZHIBU_IP_FAIL_LIMIT: '3' } });
  try {
    const c = new Client(s2.url);
    const codes = [];
    for (const u of ['a1', 'a2', 'a3', 'a4']) codes.push((await c.login(u, 'wrong-password')).status);
    assert.deepEqual(codes, [401, 401, 401, 429]);
    const r = await c.login('admin', ADMIN_PASSWORD);
    assert.equal(r.status, 429, 'even a right password waits out the window');
    assert.equal(r.body.error.code, 'rate_limited');
  } finally { await s2.stop(); }
});
