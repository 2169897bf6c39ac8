// The audit trail under attack, on a real database file: an attacker who
// holds the database (sqlite3 on the file, psql on PostgreSQL) but not the
// key file deletes the newest rows and moves the head back, deletes the
// head, restores an older genuine head, edits a row.  And on a live system
// `audit verify` (CLI and API), `audit anchor` and `verify --anchors` say
// OK while another client writes all the time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, admin, addUser, loginAs, cli, BIN } from '../api/lib.mjs';

/** Raw SQL as the attacker: the sqlite3 shell on the file, psql on PostgreSQL. */
function attack(db, statement) {
  if (/^postgres(ql)?:\/\//.test(db)) return execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement]).toString().trim();
  return execFileSync('sqlite3', [db, statement]).toString().trim();
}

/** The CLI without blocking the event loop (so other clients keep going). */
function cliAsync(args, env) {
  return new Promise((res) => {
    execFile(BIN, args, { env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** A server with an org admin writing and an audit administrator reading. */
async function setup() {
  const srv = await startServer();
  const adm = await admin(srv);
  addUser(srv, 'auditor', 'audit_admin', 1);
  const aud = await loginAs(srv, 'auditor');
  const r = await adm.post('/api/v1/orgs', { parent_id: 1, name: '东镇党委', type: 'committee' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { srv, adm, aud, org: r.body.id };
}

async function write(s, n) {
  for (let i = 0; i < n; i++) {
    const r = await s.adm.patch(`/api/v1/orgs/${s.org}`, { name: `东镇党委${i % 7}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}

/** Keep writing until stop() is called; returns {stop, count}. */
function writeContinuously(s) {
  let go = true, count = 0, error = null;
  const done = (async () => {
    while (go) {
      const r = await s.adm.patch(`/api/v1/orgs/${s.org}`, { name: `东镇党委${count % 7}` });
      if (r.status !== 200) { error = r; break; }
      count++;
    }
  })();
  return { get count() { return count; }, async stop() { go = false; await done; assert.equal(error, null, JSON.stringify(error?.body)); } };
}

function verifyCli(s, anchors) {
  return cli(['audit', 'verify', '--db', s.srv.db, ...(anchors ? ['--anchors', anchors] : [])], s.srv.env);
}

function head(s) {
  const [id, mac, hm] = attack(s.srv.db, 'SELECT last_id, last_mac, head_mac FROM audit_head WHERE id = 1').split('|');
  return { id: Number(id), mac, hm };
}

let s;
before(async () => { s = await setup(); });
after(async () => { await s?.srv.stop(); });

test('verify says OK every time while another client writes (CLI and API)', async () => {
  const w = writeContinuously(s);
  const bad = [];
  let rounds = 0, lastRows = 0;
  const startRows = (await s.aud.get('/api/v1/audit/verify')).body.rows;
  // keep going until the writer has committed plenty between verifies
  const until = Date.now() + 30000;
  while (Date.now() < until && (rounds < 20 || w.count < 100)) {
    const [c, v] = await Promise.all([cliAsync(['audit', 'verify', '--db', s.srv.db], s.srv.env), s.aud.get('/api/v1/audit/verify')]);
    if (c.code !== 0) bad.push(`cli: ${c.stderr}`);
    if (v.status !== 200 || v.body.ok !== true) bad.push(`api: ${JSON.stringify(v.body)}`);
    lastRows = v.body.rows;
    rounds++;
  }
  await w.stop();
  assert.deepEqual(bad, [], `${bad.length} of ${rounds} rounds failed`);
  assert.ok(rounds >= 20 && w.count >= 20, `${rounds} verifies while the writer committed ${w.count} changes`);
  assert.ok(lastRows > startRows, 'the trail grew while it was verified');
});

test('cron-like anchor and verify --anchors on a live system say OK', async () => {
  const anchors = join(s.srv.dir, 'anchors.txt');
  const w = writeContinuously(s);
  const bad = [];
  for (let i = 0; i < 15; i++) {
    const a = await cliAsync(['audit', 'anchor', '--db', s.srv.db, '-o', anchors], s.srv.env);
    if (a.code !== 0) bad.push(`anchor: ${a.stderr}`);
    const [c, v] = await Promise.all([cliAsync(['audit', 'verify', '--db', s.srv.db, '--anchors', anchors], s.srv.env), s.aud.get('/api/v1/audit/verify')]);
    if (c.code !== 0) bad.push(`verify: ${c.stderr}`);
    if (v.body.ok !== true) bad.push(`api: ${JSON.stringify(v.body)}`);
    await new Promise((r) => setTimeout(r, 30));
  }
  await w.stop();
  assert.deepEqual(bad, []);
  const lines = readFileSync(anchors, 'utf8').trim().split('\n');
  assert.equal(lines.length, 15);
  for (const l of lines) assert.match(l, /^zhibu-audit-anchor v1 id=\d+ at=\d+ mac=[0-9a-f]{64} sig=[0-9a-f]{64}$/);
  const ok = verifyCli(s, anchors);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /15 个锚点相符/);
});

test('deleting the newest rows and moving the head back: the head MAC fails, later writes do not launder it', async () => {
  const t = await setup();
  try {
    await write(t, 5);
    const before = head(t);
    assert.equal(verifyCli(t).code, 0);
    const keep = before.id - 3;
    attack(t.srv.db, `DELETE FROM audit_log WHERE id > ${keep}`);
    attack(t.srv.db, `UPDATE audit_head SET last_id = ${keep}, last_mac = (SELECT mac FROM audit_log WHERE id = ${keep}) WHERE id = 1`);
    const r = verifyCli(t);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /链头签名不符/);
    const v = await t.aud.get('/api/v1/audit/verify');
    assert.equal(v.body.ok, false);
    assert.match(v.body.reason, /链头签名不符/);
    // a change now would extend the cut chain and sign a new head: refused
    const w = await t.adm.patch(`/api/v1/orgs/${t.org}`, { name: '改名' });
    assert.equal(w.status, 500);
    assert.equal(head(t).id, keep);
    assert.equal(verifyCli(t).code, 3);
    // the operator checks, then re-seals: the seal itself is on record
    const seal = cli(['audit', 'seal', '--db', t.srv.db], t.srv.env);
    assert.equal(seal.code, 0, seal.stderr);
    assert.match(seal.stdout, /重新封存/);
    assert.equal(verifyCli(t).code, 0);
    const list = await t.aud.get('/api/v1/audit?action=audit.seal');
    assert.equal(list.body.items.length, 1);
    assert.equal(list.body.items[0].detail.previous_head_id, keep);
    assert.equal((await t.adm.patch(`/api/v1/orgs/${t.org}`, { name: '改名' })).status, 200);
  } finally { await t.srv.stop(); }
});

test('deleting only the newest rows: truncation', async () => {
  const t = await setup();
  try {
    await write(t, 3);
    const h = head(t);
    attack(t.srv.db, `DELETE FROM audit_log WHERE id > ${h.id - 2}`);
    const r = verifyCli(t);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /截断/);
    assert.match(r.stderr, new RegExp(`id=${h.id - 1}`));
  } finally { await t.srv.stop(); }
});

test('deleting the head row: a failure, and nothing more is written on it', async () => {
  const t = await setup();
  try {
    await write(t, 2);
    attack(t.srv.db, 'DELETE FROM audit_head');
    const r = verifyCli(t);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /链头缺失/);
    assert.equal((await t.aud.get('/api/v1/audit/verify')).body.ok, false);
    assert.equal((await t.adm.patch(`/api/v1/orgs/${t.org}`, { name: '改名' })).status, 500);
  } finally { await t.srv.stop(); }
});

test('deleting the newest rows and the head together: a failure', async () => {
  const t = await setup();
  try {
    await write(t, 4);
    const h = head(t);
    attack(t.srv.db, `DELETE FROM audit_log WHERE id > ${h.id - 3}`);
    attack(t.srv.db, 'DELETE FROM audit_head');
    const r = verifyCli(t);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /链头缺失/);
  } finally { await t.srv.stop(); }
});

test('cutting back to an older genuine state: only the anchor catches it', async () => {
  const t = await setup();
  try {
    const anchors = join(t.srv.dir, 'anchors.txt');
    await write(t, 2);
    // the attacker's old copy of the head (a backup, an earlier look)
    const old = head(t);
    await write(t, 4);
    const a = cli(['audit', 'anchor', '--db', t.srv.db, '-o', anchors], t.srv.env);
    assert.equal(a.code, 0, a.stderr);
    await write(t, 2);
    await t.srv.stop({ keep: true });
    // everything the attacker can recompute: rows cut back, head restored
    attack(t.srv.db, `DELETE FROM audit_log WHERE id > ${old.id}`);
    attack(t.srv.db, `UPDATE audit_head SET last_id = ${old.id}, last_mac = '${old.mac}', head_mac = '${old.hm}' WHERE id = 1`);
    const inside = verifyCli(t);
    assert.equal(inside.code, 0, 'nothing inside the database shows it');
    const r = verifyCli(t, anchors);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /截断/);
    assert.match(r.stderr, /锚点文件第 1 行/);
    // anchoring the cut state is refused, the file is left as it was
    const size = readFileSync(anchors).length;
    assert.equal(cli(['audit', 'anchor', '--db', t.srv.db, '-o', anchors], t.srv.env).code, 3);
    assert.equal(readFileSync(anchors).length, size);
  } finally { await t.srv.stop(); }
});

test('editing a row in the middle: that row is named', async () => {
  const t = await setup();
  try {
    await write(t, 4);
    const id = head(t).id - 2;
    attack(t.srv.db, `UPDATE audit_log SET username = 'someone' WHERE id = ${id}`);
    const r = verifyCli(t);
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`id=${id}\\b`));
    const v = await t.aud.get('/api/v1/audit/verify');
    assert.equal(v.body.bad_id, id);
  } finally { await t.srv.stop(); }
});

test('anchor and verify refuse bad arguments with a clear message', () => {
  const r = cli(['audit', 'anchor', '--db', s.srv.db], s.srv.env);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /-o/);
  const missing = join(s.srv.dir, 'no-such-anchors.txt');
  const v = verifyCli(s, missing);
  assert.equal(v.code, 1);
  assert.match(v.stderr, /锚点文件/);
  assert.ok(!existsSync(missing));
  const bogus = cli(['audit', 'verify', '--db', s.srv.db, '--anchors', s.srv.keyFile], s.srv.env);
  assert.equal(bogus.code, 3);
  assert.match(bogus.stderr, /不是审计锚点/);
});
