// Issue 10, operations: liveness and readiness on both backends, /metrics
// (format, access rule, counters that move), ZHIBU_LOG, `serve --check`
// with the systemd unit of docs/DEPLOY.md, the commands DEPLOY.md names,
// and backup/restore while a client writes continuously.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir, networkInterfaces } from 'node:os';
import { startServer, admin, Client, cli, BIN, ROOT, freePort } from './lib.mjs';

const PG = !!process.env.ZB_TEST_PG_DIR;
let srv, adm, work, branch;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(seq) {
  const body = '110105' + '19850615' + String(seq % 1000).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

/** Run SQL on a test database (sqlite3 or psql). */
function sql(db, text) {
  if (db.startsWith('postgres')) return execFileSync('psql', ['-qAt', db, '-c', text]).toString();
  return execFileSync('sqlite3', [db, text]).toString();
}

/**
 * Parse the Prometheus text exposition (format 0.0.4) strictly: every
 * sample belongs to a family declared by # TYPE before it, names and
 * labels are well formed, values are numbers.  Returns
 * {types: {family: type}, samples: [{name, labels, value}]}.
 */
function parseProm(text) {
  assert.ok(text.endsWith('\n'), 'the exposition ends with a newline');
  const types = {}, help = {}, samples = [];
  const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  for (const line of text.split('\n').slice(0, -1)) {
    let m;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) { assert.match(m[1], NAME); help[m[1]] = m[2]; continue; }
    if ((m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      assert.ok(!types[m[1]], `TYPE ${m[1]} declared twice`);
      types[m[1]] = m[2];
      continue;
    }
    assert.ok(!line.startsWith('#'), `a comment that is neither HELP nor TYPE: ${line}`);
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${JSON.stringify(line)}`);
    const labels = {};
    if (m[3]) {
      const rx = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/gy;
      let lm, end = 0;
      while ((lm = rx.exec(m[3]))) { labels[lm[1]] = lm[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c)); end = rx.lastIndex; }
      assert.equal(end, m[3].length, `bad labels: ${m[3]}`);
    }
    const value = m[4] === '+Inf' ? Infinity : Number(m[4]);
    assert.ok(!Number.isNaN(value), `not a number: ${line}`);
    const fam = Object.keys(types).find((f) => m[1] === f ||
      (types[f] === 'histogram' && [`${f}_bucket`, `${f}_sum`, `${f}_count`].includes(m[1])));
    assert.ok(fam, `sample ${m[1]} without a TYPE line before it`);
    samples.push({ name: m[1], labels, value });
  }
  for (const f of Object.keys(types)) assert.ok(help[f] !== undefined, `${f} has no HELP`);
  return { types, samples };
}

function sample(p, name, labels = {}) {
  const s = p.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : 0;
}

async function metrics(url, headers = {}) {
  const r = await fetch(`${url}/metrics`, { headers });
  return { status: r.status, type: r.headers.get('content-type') || '', text: await r.text() };
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'zhibu-ops-'));
  srv = await startServer();
  adm = await admin(srv);
  const town = await adm.post('/api/v1/orgs', { parent_id: 1, name: '东镇党委', type: 'committee', code: 'OPS1' });
  assert.equal(town.status, 201, JSON.stringify(town.body));
  const b = await adm.post('/api/v1/orgs', { parent_id: town.body.id, name: '东村党支部', type: 'branch', code: 'OPSB' });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  branch = b.body.id;
});

after(async () => {
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

// ---- liveness and readiness ---------------------------------------------

test('health is liveness: no database call; ready touches the database and says which check failed', async () => {
  const c = new Client(srv.url);
  const h = await c.get('/api/v1/health');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok', version: h.body.version, db: PG ? 'postgresql' : 'sqlite' });

  // health calls do not move the database call counter; ready calls do
  const calls = async () => sample(parseProm((await metrics(srv.url)).text), 'zhibu_db_calls_total');
  const base1 = await calls();
  const base2 = await calls();
  const perScrape = base2 - base1; // what one /metrics itself costs
  for (let i = 0; i < 20; i++) assert.equal((await c.get('/api/v1/health')).status, 200);
  const after20 = await calls();
  assert.equal(after20 - base2, perScrape, 'twenty health checks made database calls');
  const r = await c.get('/api/v1/ready');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'ready');
  assert.deepEqual(r.body.checks, ['database', 'schema', 'key']);
  assert.ok(r.body.schema_version >= 11);
  assert.ok((await calls()) - after20 > perScrape, 'ready made no database call');

  // a key that does not match the database: ready names the key check
  const fp = sql(srv.db, "SELECT value FROM settings WHERE key = 'key_fingerprint'").trim();
  sql(srv.db, `UPDATE settings SET value = '${'0'.repeat(64)}' WHERE key = 'key_fingerprint'`);
  try {
    const bad = await c.get('/api/v1/ready');
    assert.equal(bad.status, 503);
    assert.equal(bad.body.error.field, 'key');
    assert.match(bad.body.error.message, /未就绪：密钥文件与数据库不匹配/);
    assert.equal((await c.get('/api/v1/health')).status, 200, 'liveness does not depend on the database');
  } finally {
    sql(srv.db, `UPDATE settings SET value = '${fp}' WHERE key = 'key_fingerprint'`);
  }
  // a schema the program does not know: the schema check
  sql(srv.db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'x', 0)");
  try {
    const bad = await c.get('/api/v1/ready');
    assert.equal(bad.status, 503);
    assert.equal(bad.body.error.field, 'schema');
    assert.match(bad.body.error.message, /未就绪：数据库结构不符：.*9999/);
  } finally {
    sql(srv.db, 'DELETE FROM schema_migrations WHERE version = 9999');
  }
  assert.equal((await c.get('/api/v1/ready')).status, 200);
});

// ---- metrics --------------------------------------------------------------

test('/metrics: Prometheus text format, and the counters move', async () => {
  const m0 = await metrics(srv.url);
  assert.equal(m0.status, 200);
  assert.match(m0.type, /^text\/plain; version=0\.0\.4/);
  const p0 = parseProm(m0.text);
  for (const [f, t] of Object.entries({
    zhibu_build_info: 'gauge', zhibu_http_requests_total: 'counter', zhibu_http_request_duration_seconds: 'histogram',
    zhibu_http_requests_in_flight: 'gauge', zhibu_upload_bytes_in_flight: 'gauge', zhibu_answer_bytes_in_flight: 'gauge', zhibu_audit_queue_length: 'gauge',
    zhibu_db_seconds_total: 'counter', zhibu_db_calls_total: 'counter', zhibu_sessions_active: 'gauge',
  })) assert.equal(p0.types[f], t, `family ${f}`);
  assert.equal(sample(p0, 'zhibu_build_info', { backend: PG ? 'postgresql' : 'sqlite' }), 1);
  assert.ok(sample(p0, 'zhibu_sessions_active') >= 1, 'the admin session is active');

  const route = { method: 'GET', route: '/api/v1/orgs/{id}/children' };
  const ok0 = sample(p0, 'zhibu_http_requests_total', { ...route, status: '2xx' });
  const no0 = sample(p0, 'zhibu_http_requests_total', { ...route, status: '4xx' });
  for (let i = 0; i < 3; i++) assert.equal((await adm.get('/api/v1/orgs/1/children')).status, 200);
  assert.equal((await new Client(srv.url).get('/api/v1/orgs/1/children')).status, 401);
  const p1 = parseProm((await metrics(srv.url)).text);
  assert.equal(sample(p1, 'zhibu_http_requests_total', { ...route, status: '2xx' }) - ok0, 3);
  assert.equal(sample(p1, 'zhibu_http_requests_total', { ...route, status: '4xx' }) - no0, 1);

  // the histogram: cumulative buckets, +Inf = count, the count moved
  const buckets = p1.samples.filter((s) => s.name === 'zhibu_http_request_duration_seconds_bucket');
  assert.ok(buckets.length >= 5);
  for (let i = 1; i < buckets.length; i++) {
    assert.ok(Number(buckets[i].labels.le) > Number(buckets[i - 1].labels.le) || buckets[i].labels.le === '+Inf');
    assert.ok(buckets[i].value >= buckets[i - 1].value, 'buckets are cumulative');
  }
  assert.equal(buckets.at(-1).labels.le, '+Inf');
  assert.equal(buckets.at(-1).value, sample(p1, 'zhibu_http_request_duration_seconds_count'));
  assert.ok(sample(p1, 'zhibu_http_request_duration_seconds_count') -
    sample(p0, 'zhibu_http_request_duration_seconds_count') >= 5);
  assert.ok(sample(p1, 'zhibu_db_seconds_total') > sample(p0, 'zhibu_db_seconds_total'), 'database time moved');

  // an upload in flight is counted while its body is on the way
  const url = new URL(srv.url);
  const net = await import('node:net');
  const sock = net.connect(Number(url.port), '127.0.0.1');
  await new Promise((r) => sock.once('connect', r));
  const body = JSON.stringify({ username: 'x', password: 'y' });
  sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length + 1000}\r\n\r\n${body}`);
  let inflight = 0;
  for (let i = 0; i < 50 && !inflight; i++) {
    await new Promise((r) => setTimeout(r, 20));
    inflight = sample(parseProm((await metrics(srv.url)).text), 'zhibu_upload_bytes_in_flight');
  }
  sock.destroy();
  assert.equal(inflight, body.length + 1000, 'upload bytes in flight');
});

test('/metrics answers loopback clients not behind a proxy, or the bearer of ZHIBU_METRICS_TOKEN; others get 404', async () => {
  // through a proxy on the same host (X-Forwarded-For / Forwarded): not local
  for (const h of [{ 'X-Forwarded-For': '203.0.113.9' }, { Forwarded: 'for=203.0.113.9' }]) {
    const r = await metrics(srv.url, h);
    assert.equal(r.status, 404, JSON.stringify(h));
    assert.deepEqual(JSON.parse(r.text).error.code, 'not_found');
    assert.doesNotMatch(r.text, /zhibu_/);
  }
  // an unknown API path answers the same way
  const unknown = await fetch(`${srv.url}/api/v1/no-such-thing`);
  assert.equal(unknown.status, 404);
  // a session or an API token of the admin is no key to /metrics
  const tok = cli(['user', 'token', 'admin', '--db', srv.db, '--name', 'm'], srv.env).stdout.trim();
  assert.ok(tok.length > 10);
  assert.equal((await metrics(srv.url, { 'X-Forwarded-For': '203.0.113.9', Authorization: `Bearer ${tok}` })).status, 404);

  // with ZHIBU_METRICS_TOKEN behind a trusted proxy
  const token = 'm'.repeat(20) + 'Z9-metrics-token-0123456789';
  const s2 = await startServer({ env: { ZHIBU_METRICS_TOKEN: token, ZHIBU_TRUST_PROXY: '1' } });
  try {
    const via = { 'X-Forwarded-For': '203.0.113.9' };
    assert.equal((await metrics(s2.url, via)).status, 404);
    assert.equal((await metrics(s2.url, { ...via, Authorization: `Bearer ${token}x` })).status, 404);
    assert.equal((await metrics(s2.url, { ...via, Authorization: `Bearer ${token.slice(1)}` })).status, 404);
    const ok = await metrics(s2.url, { ...via, Authorization: `Bearer ${token}` });
    assert.equal(ok.status, 200);
    parseProm(ok.text);
  } finally {
    await s2.stop();
  }
  // a token too short to be a secret is refused at start
  const r = cli(['serve', '--db', srv.db, '--check'], { ...srv.env, ZHIBU_METRICS_TOKEN: 'short' });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /ZHIBU_METRICS_TOKEN 应为 32 到 256 个字符/);

  // a client on another address of this host is not loopback
  const addr = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  if (addr) {
    const port = await freePort();
    const child = spawn(BIN, ['serve', '--db', srv.db, '--listen', `0.0.0.0:${port}`], { env: srv.env, stdio: 'ignore' });
    try {
      let up = false;
      for (let i = 0; i < 200 && !up; i++) {
        try { up = (await fetch(`http://${addr}:${port}/api/v1/health`)).ok; } catch { await new Promise((x) => setTimeout(x, 50)); }
      }
      assert.ok(up, 'server on 0.0.0.0 did not start');
      assert.equal((await metrics(`http://${addr}:${port}`)).status, 404);
      assert.equal((await metrics(`http://127.0.0.1:${port}`)).status, 200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((x) => child.once('exit', x));
    }
  }
});

// ---- ZHIBU_LOG --------------------------------------------------------------

test('ZHIBU_LOG: info writes the access log, warn does not, anything else is refused', async () => {
  for (const [level, expectLines] of [['info', true], ['warn', false]]) {
    const s = await startServer({ db: srv.db, init: false, dir: srv.dir, keyFile: srv.keyFile, env: { ZHIBU_LOG: level } });
    try {
      const c = await admin(s);
      assert.equal((await c.get('/api/v1/orgs/1/children')).status, 200);
    } finally {
      await s.stop({ keep: true });
    }
    const lines = s.log().split('\n').filter((l) => / info GET \/api\/v1\/orgs\/1\/children 200 /.test(l));
    assert.equal(lines.length > 0, expectLines, `${level}: ${s.log()}`);
    if (level === 'warn') assert.doesNotMatch(s.log(), / info /);
  }
  const r = cli(['serve', '--db', srv.db, '--check'], { ...srv.env, ZHIBU_LOG: 'debug' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ZHIBU_LOG 应为 info、warn 或 error（收到 debug）/);
});

// ---- DEPLOY.md ----------------------------------------------------------------

test('docs/DEPLOY.md: the systemd unit starts zhibu as written, and every zhibu command it names exists', () => {
  const doc = readFileSync(join(ROOT, 'docs/DEPLOY.md'), 'utf8');
  const exec = /^ExecStart=(.*)$/m.exec(doc);
  assert.ok(exec, 'DEPLOY.md has an ExecStart line');
  const args = exec[1].trim().split(/\s+/);
  assert.equal(args[0], '/usr/local/bin/zhibu');
  // the environment file of the unit, with its paths moved into a test dir
  const envBlock = /# \/etc\/zhibu\/zhibu\.env\n([\s\S]*?)```/.exec(doc);
  assert.ok(envBlock, 'DEPLOY.md shows /etc/zhibu/zhibu.env');
  const env = {};
  for (const line of envBlock[1].split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1]] = m[2].replace('/var/lib/zhibu', work).replace('/etc/zhibu', work);
  }
  assert.ok(env.ZHIBU_DB && env.ZHIBU_KEY_FILE, 'the environment file names the database and the key file');
  if (PG) env.ZHIBU_DB = srv.db;
  const init = cli(['init', '--db', env.ZHIBU_DB], { ...process.env, ...env, ZHIBU_ADMIN_PASSWORD: 'Root-Passw0rd' });
  if (!PG) assert.equal(init.code, 0, init.stderr);
  const keyFile = PG ? srv.keyFile : env.ZHIBU_KEY_FILE;
  const chk = cli([...args.slice(1), '--check'], { ...process.env, ...env, ZHIBU_KEY_FILE: keyFile });
  assert.equal(chk.code, 0, chk.stderr);
  assert.match(chk.stdout, /配置无误/);

  // every `zhibu <command>` in a code block is a command of the binary
  const help = cli(['help']).stdout;
  const known = new Set([...help.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]));
  const blocks = [...doc.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
  const used = [...blocks.matchAll(/(?:^|\/bin\/)zhibu ([a-z][a-z-]*)/gm)].map((m) => m[1]);
  assert.ok(used.includes('backup') && used.includes('migrate') && used.includes('audit'), used.join(' '));
  for (const c of used) assert.ok(known.has(c), `DEPLOY.md uses "zhibu ${c}", which zhibu help does not list`);
  // and the audit subcommands it names
  for (const m of blocks.matchAll(/zhibu audit ([a-z]+)/g)) assert.ok(['verify', 'anchor', 'seal'].includes(m[1]), m[1]);
});

// ---- backup and restore ---------------------------------------------------------

/** Spawn the CLI without blocking the event loop (the writer keeps going). */
function cliAsync(args, env) {
  return new Promise((res) => {
    const ch = spawn(BIN, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    ch.stdout.on('data', (d) => { out += d; });
    ch.stderr.on('data', (d) => { err += d; });
    ch.on('exit', (code) => res({ code, stdout: out, stderr: err }));
  });
}

test('backup while a client writes continuously; restore holds every write acknowledged before it began', { skip: PG && 'SQLite snapshot (PostgreSQL: pg_dump, next test)' }, async () => {
  const acked = []; // ids, in the order the server acknowledged them
  let stop = false, seq = 1, failures = 0;
  const writer = async () => {
    while (!stop) {
      const n = seq++;
      const r = await adm.post('/api/v1/members', {
        org_id: branch, name: `备份测试${n}`, id_number: makeId(n), join_date: '2010-07-01', full_date: '2011-07-01',
        category: 'full',
      });
      if (r.status === 201) acked.push(r.body.id); else failures++;
    }
  };
  const writers = [writer(), writer()];
  while (acked.length < 30) await new Promise((r) => setTimeout(r, 10));
  const before = acked.slice(); // acknowledged before the backup started
  const dir = join(work, 'backup1');
  const b = await cliAsync(['backup', '--db', srv.db, '-o', dir], srv.env);
  const countAtEnd = acked.length;
  while (acked.length < countAtEnd + 10) await new Promise((r) => setTimeout(r, 10));
  stop = true;
  await Promise.all(writers);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(failures, 0, 'every write succeeded while the backup ran');
  assert.match(b.stdout, /备份完成/);

  // the backup: owner-only files, a manifest naming the snapshot
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of ['zhibu.db', 'zhibu.key', 'manifest.json']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  const man = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(man.format, 'zhibu-backup');
  assert.equal(man.backend, 'sqlite');
  assert.ok(man.schema_version >= 11);
  assert.match(man.key_fingerprint, /^[0-9a-f]{64}$/);
  assert.match(man.db_sha256, /^[0-9a-f]{64}$/);
  assert.ok(man.audit_head.id > before.length, 'the audit head covers the writes');
  assert.match(man.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(readFileSync(join(dir, 'zhibu.key')), readFileSync(srv.keyFile));

  // restore into a new place, then read every acknowledged write there
  const rdir = mkdtempSync(join(tmpdir(), 'zhibu-restored-'));
  const rdb = join(rdir, 'zhibu.db');
  const r = cli(['restore', '--from', dir, '--db', rdb], { ZHIBU_KEY_FILE: '' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /审计链完整/);
  assert.equal(statSync(rdb).mode & 0o777, 0o600);
  assert.equal(statSync(join(rdir, 'zhibu.key')).mode & 0o777, 0o600);
  const v = cli(['audit', 'verify', '--db', rdb], { ZHIBU_KEY_FILE: '' });
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /审计链完整/);

  const inCopy = new Set(sql(rdb, `SELECT id FROM members WHERE org_id = ${branch}`).trim().split('\n').map(Number));
  const lost = before.filter((id) => !inCopy.has(id));
  assert.deepEqual(lost, [], 'writes acknowledged before the backup started are in the restored database');
  assert.ok(inCopy.size < acked.length, 'writes went on after the snapshot');
  // the restored database serves, with its key, and shows the members
  const s = await startServer({ db: rdb, init: false, dir: rdir, keyFile: join(rdir, 'zhibu.key') });
  try {
    const c = await admin(s);
    for (const id of [before[0], before.at(-1)]) assert.equal((await c.get(`/api/v1/members/${id}`)).status, 200);
  } finally {
    await s.stop();
  }
});

test('restore refuses: an existing database without --force, a damaged copy, a foreign key file, a directory that is no backup', { skip: PG && 'SQLite files' }, () => {
  const dir = join(work, 'backup2');
  const b = cli(['backup', '--db', srv.db, '-o', dir], srv.env);
  assert.equal(b.code, 0, b.stderr);
  // the same directory again: not overwritten
  const again = cli(['backup', '--db', srv.db, '-o', dir], srv.env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /备份目录 .* 已存在且不为空/);

  const t = mkdtempSync(join(tmpdir(), 'zhibu-restore-'));
  const target = join(t, 'live.db');
  assert.equal(cli(['restore', '--from', dir, '--db', target], { ZHIBU_KEY_FILE: '' }).code, 0);
  sql(target, "INSERT INTO settings (key, value) VALUES ('marker', 'live')");
  const refused = cli(['restore', '--from', dir, '--db', target], { ZHIBU_KEY_FILE: '' });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /数据库 .*live\.db 已存在：恢复不会覆盖现有数据库/);
  assert.equal(sql(target, "SELECT value FROM settings WHERE key = 'marker'").trim(), 'live', 'untouched');
  const forced = cli(['restore', '--from', dir, '--db', target, '--force'], { ZHIBU_KEY_FILE: '' });
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(sql(target, "SELECT COUNT(*) FROM settings WHERE key = 'marker'").trim(), '0', 'replaced by the backup');

  // a changed byte in the database copy
  const bad = join(work, 'backup-bad');
  execFileSync('cp', ['-a', dir, bad]);
  const buf = readFileSync(join(bad, 'zhibu.db'));
  buf[buf.length - 100] ^= 1;
  writeFileSync(join(bad, 'zhibu.db'), buf);
  const r1 = cli(['restore', '--from', bad, '--db', join(t, 'x.db')], { ZHIBU_KEY_FILE: '' });
  assert.equal(r1.code, 1);
  assert.match(r1.stderr, /SHA-256 与清单不符/);
  assert.ok(!existsSync(join(t, 'x.db')), 'nothing written');

  // another installation's key file in the backup
  const other = mkdtempSync(join(tmpdir(), 'zhibu-other-'));
  assert.equal(cli(['init', '--db', join(other, 'o.db')], { ZHIBU_KEY_FILE: '', ZHIBU_ADMIN_PASSWORD: 'Root-Passw0rd' }).code, 0);
  const foreign = join(work, 'backup-foreign');
  execFileSync('cp', ['-a', dir, foreign]);
  copyFileSync(join(other, 'o.key'), join(foreign, 'zhibu.key'));
  const r2 = cli(['restore', '--from', foreign, '--db', join(t, 'y.db')], { ZHIBU_KEY_FILE: '' });
  assert.equal(r2.code, 1);
  assert.match(r2.stderr, /备份中的密钥文件与恢复的数据库不匹配/);
  assert.ok(!existsSync(join(t, 'y.db')) && !existsSync(join(t, 'y.key')), 'nothing written');

  // an existing, different key file at the target's key path
  copyFileSync(join(other, 'o.key'), join(t, 'z.key'));
  const r3 = cli(['restore', '--from', dir, '--db', join(t, 'z.db')], { ZHIBU_KEY_FILE: '' });
  assert.equal(r3.code, 1);
  assert.match(r3.stderr, /密钥文件 .*z\.key 已存在且与备份中的不同/);
  assert.ok(!existsSync(join(t, 'z.db')));

  // a directory without a manifest
  const r4 = cli(['restore', '--from', other, '--db', join(t, 'w.db')], { ZHIBU_KEY_FILE: '' });
  assert.equal(r4.code, 1);
  assert.match(r4.stderr, /不是完整的备份：没有可读的 manifest\.json/);
  rmSync(t, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

test('PostgreSQL: backup writes the key and manifest and says how to pg_dump; restore after pg_restore checks and installs the key', { skip: !PG && 'PostgreSQL only' }, async () => {
  const dir = join(work, 'pgbackup');
  const b = cli(['backup', '--db', srv.db, '-o', dir], srv.env);
  assert.equal(b.code, 0, b.stderr);
  assert.match(b.stdout, /pg_dump --format=custom --file .*zhibu\.pgdump "\$ZHIBU_DB"/);
  assert.doesNotMatch(b.stdout, /postgres(ql)?:\/\//, 'the connection string (and its password) is not printed');
  const man = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(man.backend, 'postgresql');
  assert.equal(statSync(join(dir, 'zhibu.key')).mode & 0o777, 0o600);
  // the guidance, followed
  execFileSync('pg_dump', ['--format=custom', '--file', join(dir, 'zhibu.pgdump'), srv.db]);
  const { freshDb } = await import('./lib.mjs');
  const target = freshDb(work);
  const early = cli(['restore', '--from', dir, '--db', target], { ZHIBU_KEY_FILE: join(work, 'pg-restored.key') });
  assert.equal(early.code, 1);
  assert.match(early.stderr, /请先用 pg_restore 载入备份/);
  execFileSync('pg_restore', ['--no-owner', '--dbname', target, join(dir, 'zhibu.pgdump')]);
  const r = cli(['restore', '--from', dir, '--db', target], { ZHIBU_KEY_FILE: join(work, 'pg-restored.key') });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readFileSync(join(work, 'pg-restored.key')), readFileSync(srv.keyFile));
  const v = cli(['audit', 'verify', '--db', target], { ZHIBU_KEY_FILE: join(work, 'pg-restored.key') });
  assert.equal(v.code, 0, v.stderr);
});
