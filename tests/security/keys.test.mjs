// The master key of the protected fields, attacked and rotated:
//  - a ciphertext copied in the database to another member, or into the
//    phone column, is refused with an error naming the member and field,
//    never shown as that member's value; the others still read, and the
//    audit chain still verifies;
//  - values stored in the old v1 format (no associated data) still read,
//    and `zhibu key rotate` rewrites them as v2;
//  - `zhibu key rotate` refuses while a server holds the key; rotated,
//    every full value reads back the same through the API under the new
//    key file, the search by ID number (blind index) still finds each
//    member, the old key file no longer opens the database, and the audit
//    chain verifies with rows from before and after;
//  - a rotation killed midway (kill -9 after N rows) blocks every command
//    that uses the key until it is resumed, and resumes to completion, also
//    from a cursor in the older form (a bare member id);
//  - every other table with protected fields (applicants, cadres, dispatch
//    units, 帮扶 households, reserve cadres) is rotated with the members:
//    each value reads back the same, the ID number still finds duplicates,
//    and the precheck and --drop-unreadable cover them.
// docs/SECURITY-FIELDS.md ("Associated data", "Key rotation").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, copyFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, admin, cli, BIN } from '../api/lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(birth, seq, gender, region = '110105') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

/** SQL straight into the database, behind zhibu's back. */
function sql(db, q) {
  if (/^postgres(ql)?:\/\//.test(db)) return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', db, '-c', q]).toString().trim();
  return execFileSync('sqlite3', [db, q]).toString().trim();
}

// The v1 format under the master key 00 01 02 .. 3f (written before
// associated data existed; tests/unit/test_crypto.c holds the same texts).
const MASTER_HEX = Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(2, '0')).join('');
const V1 = {
  id: ['110101199003074477', 'v1:X6jHJhuxYhycHs1yaDhY-mE53bcSgWGzKftOhxyrm4RJJSGHYsx4_7LufNdFf7foOstRlsgYVtaIGgI8FAg9S8X9'],
  phone: ['13812345678', 'v1:j8nzsz5_UAjqVqWoK--CjgEZ-Zve1xMqy-HQuZ3LxVjQdTBm0ZVvcUgMGMtyjlQfnJBHYuOSP0ueG90'],
};

let dir, keyFile, srv, adm, branch, pendingImport;
const members = []; // {id, id_number, phone}
// the other areas' rows: {what, url, id, values: {field: value}, dup: body creating the same person again}
const others = [];

async function mkOrg(parent, name, type, domain) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...(domain ? { domain } : {}) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function mkMember(i, idn, phone) {
  const r = await adm.post('/api/v1/members', {
    org_id: branch, name: `党员${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${i}`, id_number: idn, phone,
    join_date: '2010-07-01', category: 'full', full_date: '2011-07-01',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function full(c, id) {
  return c.get(`/api/v1/members/${id}?full=1`);
}

async function start() {
  srv = await startServer({ dir, keyFile, db: srv?.db, init: !srv });
  adm = await admin(srv);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zhibu-keys-'));
  keyFile = join(dir, 'zhibu.key');
  // a known master key, so the v1 texts above belong to this database
  writeFileSync(keyFile, MASTER_HEX + '\n', { mode: 0o600 });
  await start();
  const town = await mkOrg(1, '东镇党委', 'committee');
  branch = await mkOrg(town, '东村党支部', 'branch');
  for (let i = 0; i < 23; i++) {
    const idn = makeId(`19${60 + i}-0${1 + (i % 9)}-1${i % 10}`, 100 + 2 * i, i % 2 ? 'F' : 'M');
    const phone = `139${String(10000000 + i * 7919).padStart(8, '0')}`;
    members.push({ id: await mkMember(i, idn, phone), id_number: idn, phone });
  }
  // one member whose values are still in the v1 format
  const legacy = await mkMember(99, V1.id[0], V1.phone[0]);
  sql(srv.db, `UPDATE members SET id_enc = '${V1.id[1]}', phone_enc = '${V1.phone[1]}' WHERE id = ${legacy}`);
  members.push({ id: legacy, id_number: V1.id[0], phone: V1.phone[0], legacy: true });
});

after(async () => {
  await srv?.stop({ keep: true });
  rmSync(dir, { recursive: true, force: true });
});

test('new values are v2, bound to their row; v1 values still read', async () => {
  for (const m of members) {
    const r = await full(adm, m.id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id_number, m.id_number);
    assert.equal(r.body.phone, m.phone);
  }
  const formats = sql(srv.db, `SELECT substr(id_enc, 1, 3) || substr(phone_enc, 1, 3) FROM members ORDER BY id`).split('\n');
  assert.deepEqual(formats, members.map((m) => (m.legacy ? 'v1:v1:' : 'v2:v2:')));
  const st = cli(['key', 'status', '--db', srv.db], srv.env);
  assert.equal(st.code, 0, st.stderr);
  assert.match(st.stdout, /v2（绑定记录）46 个，v1（旧格式，未绑定记录）2 个/);
});

test('a ciphertext copied to another member or field is refused, never read as that member\'s', async () => {
  const [a, b, c, d] = members;
  // b gets a's ID number ciphertext, c gets its own ID ciphertext as phone
  sql(srv.db, `UPDATE members SET id_enc = (SELECT id_enc FROM members WHERE id = ${a.id}) WHERE id = ${b.id}`);
  sql(srv.db, `UPDATE members SET phone_enc = id_enc WHERE id = ${c.id}`);
  try {
    const rb = await full(adm, b.id);
    assert.equal(rb.status, 500);
    assert.equal(rb.body.error.code, 'internal_error');
    assert.match(rb.body.error.message, new RegExp(`编号 ${b.id}）的身份证号`));
    assert.match(rb.body.error.message, new RegExp(`members/${b.id}/id_number`));
    assert.ok(!JSON.stringify(rb.body).includes(a.id_number), 'the copied value must not be shown');
    const rc = await full(adm, c.id);
    assert.equal(rc.status, 500);
    assert.match(rc.body.error.message, /联系电话/);
    assert.match(rc.body.error.message, new RegExp(`members/${c.id}/phone`));
    assert.ok(!JSON.stringify(rc.body).includes(c.id_number));
    // everyone else still reads, and b's masked detail still answers
    for (const m of [a, d]) {
      const r = await full(adm, m.id);
      assert.equal(r.status, 200);
      assert.equal(r.body.id_number, m.id_number);
      assert.equal(r.body.phone, m.phone);
    }
    const masked = await adm.get(`/api/v1/members/${b.id}`);
    assert.equal(masked.status, 200);
    assert.equal(masked.body.id_number, '*'.repeat(18));
    // the failed attempts are on record, and the trail of what was done
    // through zhibu is untouched
    let rec = '';
    for (let i = 0; i < 50 && !rec; i++) {
      rec = sql(srv.db, `SELECT detail FROM audit_log WHERE action = 'member.read' AND object_id = '${b.id}' AND detail LIKE '%undecryptable%'`);
      if (!rec) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(rec, '{"full":true,"error":"undecryptable"}');
    assert.match(srv.log(), new RegExp(`党员（编号 ${b.id}）的身份证号无法解密`));
    const v = cli(['audit', 'verify', '--db', srv.db], srv.env);
    assert.equal(v.code, 0, v.stderr + v.stdout);
  } finally {
    // put the right ciphertexts back through the API (an edit re-encrypts)
    for (const m of [b, c]) {
      const r = await adm.patch(`/api/v1/members/${m.id}`, { id_number: m.id_number, phone: m.phone });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  }
  for (const m of [b, c]) {
    const r = await full(adm, m.id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id_number, m.id_number);
    assert.equal(r.body.phone, m.phone);
  }
});

async function upload(name, text) {
  return adm.req('POST', `/api/v1/imports?org=${branch}&filename=${encodeURIComponent(name)}`, Buffer.from(text), {
    raw: true, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

test('imported members: values bound to the ids they get at commit; an import edit rebinds', async () => {
  const fresh = [makeId('1971-02-03', 401, 'M'), makeId('1972-04-05', 403, 'F')];
  const old = members[5];
  const csv = ['姓名,性别,身份证号码,人员类别,入党日期,转正日期,联系电话',
    `导入甲,男,${fresh[0]},正式党员,1995-07-01,1996-07-01,13600000001`,
    `导入乙,女,${fresh[1]},正式党员,1996-07-01,1997-07-01,13600000002`,
    `党员己5,女,${old.id_number},正式党员,2010-07-01,2011-07-01,13600000005`].join('\r\n') + '\r\n';
  const up = await upload('k.csv', csv);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.counts.new, 2, JSON.stringify(up.body.counts));
  const c = await adm.post(`/api/v1/imports/${up.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  for (const [i, idn] of fresh.entries()) {
    const found = await adm.get(`/api/v1/members?org=${branch}&q=${idn}`);
    assert.equal(found.body.items.length, 1);
    const id = found.body.items[0].id;
    const r = await full(adm, id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id_number, idn);
    assert.equal(r.body.phone, `1360000000${i + 1}`);
    members.push({ id, id_number: idn, phone: `1360000000${i + 1}` });
  }
  old.phone = '13600000005';
  const r = await full(adm, old.id);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.phone, old.phone);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM members WHERE id_enc LIKE 'v2:%' AND phone_enc LIKE 'v2:%'`), String(members.length - 1));
  // a preview staged now is made under the key that the rotation below retires
  const later = await upload('later.csv', `姓名,性别,身份证号码,人员类别,入党日期,转正日期\r\n晚到,男,${makeId('1973-05-06', 405, 'M')},正式党员,1995-07-01,1996-07-01\r\n`);
  assert.equal(later.status, 201, JSON.stringify(later.body));
  pendingImport = later.body.id;
});

async function created(what, url, body) {
  const r = await adm.post(url, body);
  assert.equal(r.status, 201, `${what}: ${JSON.stringify(r.body)}`);
  return r.body.id;
}

/** Every protected value of another area's row, read in full. */
async function checkOther(o) {
  const r = await adm.get(`${o.url}/${o.id}?full=1`);
  assert.equal(r.status, 200, `${o.what} ${o.id}: ${JSON.stringify(r.body)}`);
  for (const [k, v] of Object.entries(o.values)) assert.equal(r.body[k], v, `${o.what} ${o.id} ${k}`);
}

test('the other areas hold protected values too: applicants, cadres, units, households, reserve cadres', async () => {
  const rtown = await mkOrg(1, '南镇党委', 'committee', 'rural');
  const vill = await mkOrg(rtown, '中共南岭村支部委员会', 'branch', 'rural');
  const idOf = (i, g = 'M') => makeId(`19${80 + i}-0${1 + (i % 9)}-2${i % 10}`, 300 + 2 * i, g, '110106');
  const phoneOf = (i) => `135${String(20000000 + i * 6007).padStart(8, '0')}`;
  let n = 0;
  for (let i = 0; i < 5; i++, n++) {
    const body = { org_id: branch, name: `申请人${i}`, id_number: idOf(n), phone: phoneOf(n), applied_on: '2026-03-01', source: 'other' };
    others.push({ what: '发展对象', url: '/api/v1/applicants', id: await created('applicant', '/api/v1/applicants', body),
      values: { id_number: body.id_number, phone: body.phone }, dup: { ...body, name: '重复申请人' } });
  }
  const unit = { org_id: rtown, name: '县农业农村局', contact_name: '周联络', contact_phone: '0791-86001234' };
  others.push({ what: '派出单位', url: '/api/v1/dispatch-units', id: await created('unit', '/api/v1/dispatch-units', unit),
    values: { contact_phone: unit.contact_phone } });
  const unitId = others.at(-1).id;
  for (let i = 0; i < 3; i++, n++) {
    const body = { org_id: rtown, name: `干部${i}`, id_number: idOf(n), phone: phoneOf(n), unit_id: unitId, post: '科员' };
    others.push({ what: '干部', url: '/api/v1/cadres', id: await created('cadre', '/api/v1/cadres', body),
      values: { id_number: body.id_number, phone: body.phone }, dup: { ...body, name: '重复干部' } });
  }
  for (let i = 0; i < 3; i++, n++) {
    const body = { org_id: vill, head_name: `户主${i}`, category: '脱贫户', status: '在帮', id_number: idOf(n), phone: phoneOf(n) };
    others.push({ what: '帮扶户', url: '/api/v1/aid-households', id: await created('household', '/api/v1/aid-households', body),
      values: { id_number: body.id_number, phone: body.phone }, dup: { ...body, head_name: '重复户主' } });
  }
  for (let i = 0; i < 2; i++, n++) {
    const body = { org_id: vill, name: `村民${i}`, id_number: idOf(n), phone: phoneOf(n), source: 'other', entered_on: '2024-03-01' };
    others.push({ what: '后备干部', url: '/api/v1/reserve-cadres', id: await created('reserve cadre', '/api/v1/reserve-cadres', body),
      values: { id_number: body.id_number, phone: body.phone }, dup: { ...body, name: '重复村民' } });
  }
  for (const o of others) await checkOther(o);
  const st = cli(['key', 'status', '--db', srv.db], srv.env);
  assert.equal(st.code, 0, st.stderr);
  // members: 25 with both values as v2, one with both as v1; the others: 13 x 2 and the unit's phone
  assert.match(st.stdout, /v2（绑定记录）77 个，v1（旧格式，未绑定记录）2 个/);
});

test('key rotate refuses while a server uses the key', async () => {
  const r = cli(['key', 'rotate', '--db', srv.db], srv.env);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /密钥正被其他进程使用.*停止/);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM settings WHERE key LIKE 'key_rotation%'`), '0');
  assert.ok(!existsSync(keyFile + '.next'));
  if (/^postgres/.test(srv.db)) {
    // another node: its own copy of the key file, the same database
    const copy = join(dir, 'node2.key');
    copyFileSync(keyFile, copy);
    const r2 = cli(['key', 'rotate', '--db', srv.db], { ...srv.env, ZHIBU_KEY_FILE: copy });
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /密钥正被其他进程使用/);
    assert.ok(!existsSync(copy + '.next'));
    rmSync(copy);
  }
});

test('rotation killed midway resumes; values, search and audit survive; the old key is refused', async () => {
  await srv.stop({ keep: true });
  const oldKey = join(dir, 'old.key');
  copyFileSync(keyFile, oldKey);
  const fpBefore = sql(srv.db, `SELECT value FROM settings WHERE key = 'key_fingerprint'`);
  const idxBefore = sql(srv.db, `SELECT id_index FROM members WHERE id = ${members[0].id}`);

  const apps = others.filter((o) => o.what === '发展对象');
  const appIdxBefore = sql(srv.db, `SELECT id_index FROM applicants WHERE id = ${apps[0].id}`);

  // kill -9 after 10 rows, in batches of 4: inside the members
  const kill = (after) => spawnSync(BIN, ['key', 'rotate', '--db', srv.db, '--batch', '4'], {
    env: { ...process.env, ...srv.env, ZHIBU_TEST_ROTATE_KILL_AFTER: String(after) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let killed = kill(10);
  assert.equal(killed.signal, 'SIGKILL', killed.stderr?.toString());
  assert.equal(sql(srv.db, `SELECT value FROM settings WHERE key = 'key_rotation_cursor'`), `members:${members[11].id}`);
  assert.equal(sql(srv.db, `SELECT value FROM settings WHERE key = 'key_fingerprint'`), fpBefore);
  assert.ok(existsSync(keyFile + '.next'));
  let st = cli(['key', 'status', '--db', srv.db], srv.env);
  assert.match(st.stdout, /进行中.*已完成 12 \/ 40 条记录/);
  // a cursor as the version before wrote it (a bare member id) resumes
  // the same; killed again after 15 more rows: inside the applicants
  sql(srv.db, `UPDATE settings SET value = '${members[11].id}' WHERE key = 'key_rotation_cursor'`);
  killed = kill(15);
  assert.equal(killed.signal, 'SIGKILL', killed.stderr?.toString());
  assert.equal(sql(srv.db, `SELECT value FROM settings WHERE key = 'key_rotation_cursor'`), `applicants:${apps[3].id}`);
  st = cli(['key', 'status', '--db', srv.db], srv.env);
  assert.match(st.stdout, /进行中.*已完成 30 \/ 40 条记录/);
  // nothing that uses the key starts until the rotation is finished
  for (const args of [['audit', 'verify', '--db', srv.db], ['serve', '--db', srv.db, '--listen', '127.0.0.1:1']]) {
    const r = spawnSync(BIN, args, { env: { ...process.env, ...srv.env }, timeout: 10000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr.toString(), /密钥轮换尚未完成/);
  }

  const done = cli(['key', 'rotate', '--db', srv.db, '--batch', '4'], srv.env);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, new RegExp(`继续未完成的密钥轮换（已完成到发展对象编号 ${apps[3].id}）`));
  assert.match(done.stdout, /重新加密 40 条记录的身份证号和联系电话（党员 26、发展对象 5、干部 3、派出单位 1、帮扶户 3、后备干部 2；本次 10 条）/);
  assert.ok(!existsSync(keyFile + '.next'));
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const text = readFileSync(keyFile, 'utf8');
  assert.match(text, /^[0-9a-f]{128}\naudit [0-9a-f]{64}\n$/);
  assert.ok(!text.startsWith(MASTER_HEX));
  assert.ok(readdirSync(dir).some((f) => f.startsWith('zhibu.key.retired-')));
  assert.notEqual(sql(srv.db, `SELECT value FROM settings WHERE key = 'key_fingerprint'`), fpBefore);
  assert.notEqual(sql(srv.db, `SELECT id_index FROM members WHERE id = ${members[0].id}`), idxBefore);
  assert.notEqual(sql(srv.db, `SELECT id_index FROM applicants WHERE id = ${apps[0].id}`), appIdxBefore);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM members WHERE id_enc NOT LIKE 'v2:%' OR phone_enc NOT LIKE 'v2:%'`), '0');
  const st2 = cli(['key', 'status', '--db', srv.db], srv.env);
  assert.match(st2.stdout, /v2（绑定记录）79 个，v1（旧格式，未绑定记录）0 个/);
  assert.match(st2.stdout, /密钥轮换：无/);

  // the old key file no longer opens the database
  for (const args of [['audit', 'verify', '--db', srv.db], ['serve', '--db', srv.db, '--listen', '127.0.0.1:1']]) {
    const r = spawnSync(BIN, args, { env: { ...process.env, ...srv.env, ZHIBU_KEY_FILE: oldKey }, timeout: 10000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr.toString(), /不匹配/);
  }

  // the audit chain verifies across the rotation
  const v1 = cli(['audit', 'verify', '--db', srv.db], srv.env);
  assert.equal(v1.code, 0, v1.stderr + v1.stdout);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM audit_log WHERE action IN ('key.rotate_start', 'key.rotate')`), '2');

  await start();
  for (const m of members) {
    const r = await full(adm, m.id);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.id_number, m.id_number);
    assert.equal(r.body.phone, m.phone);
    const found = await adm.get(`/api/v1/members?org=${branch}&q=${m.id_number}`);
    assert.equal(found.status, 200);
    assert.deepEqual(found.body.items.map((x) => x.id), [m.id], `search ${m.id_number}`);
  }
  // rows written after the rotation chain on, and a new member binds to its id
  const idn = makeId('1979-09-09', 700, 'M');
  const id = await mkMember(200, idn, '13700001111');
  assert.equal((await full(adm, id)).body.id_number, idn);
  const dup = await adm.post('/api/v1/members', {
    org_id: branch, name: '重复者', id_number: members[3].id_number, join_date: '2010-07-01', category: 'full', full_date: '2011-07-01',
  });
  assert.equal(dup.status, 409, 'the blind index still finds duplicates');
  // every other area's values read back the same, and the same ID number
  // again is refused there too
  for (const o of others) {
    await checkOther(o);
    if (!o.dup) continue;
    const again = await adm.post(o.url, o.dup);
    assert.equal(again.status, 409, `${o.what}: ${JSON.stringify(again.body)}`);
    assert.equal(again.body.error.field, 'id_number');
  }
  const apply = await adm.post('/api/v1/applicants', { ...apps[0].dup, id_number: members[4].id_number });
  assert.equal(apply.status, 409, 'a member\'s ID number is found from the applicants');
  assert.match(apply.body.error.message, /已有党员登记/);
  // the preview staged under the old key expired with it
  const stale = await adm.post(`/api/v1/imports/${pendingImport}/commit`, {});
  assert.notEqual(stale.status, 200);
  assert.match(stale.body.error.message, /过期|重新上传/);
  const v2 = cli(['audit', 'verify', '--db', srv.db], srv.env);
  assert.equal(v2.code, 0, v2.stderr + v2.stdout);
  const api = await adm.get('/api/v1/audit/verify');
  if (api.status === 200) assert.equal(api.body.ok, true);
});

test('a damaged value stops a rotation before it starts; --drop-unreadable clears it', async () => {
  await srv.stop({ keep: true });
  const [x, y] = [members[7], members[8]];
  sql(srv.db, `UPDATE members SET phone_enc = (SELECT phone_enc FROM members WHERE id = ${y.id}) WHERE id = ${x.id}`);
  const [cx, cy] = others.filter((o) => o.what === '干部');
  sql(srv.db, `UPDATE cadres SET phone_enc = (SELECT phone_enc FROM cadres WHERE id = ${cy.id}) WHERE id = ${cx.id}`);
  const fp = sql(srv.db, `SELECT value FROM settings WHERE key = 'key_fingerprint'`);
  const r = cli(['key', 'rotate', '--db', srv.db], srv.env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`有 2 个加密字段无法用当前密钥解密.*党员编号 ${x.id} 的联系电话、干部编号 ${cx.id} 的联系电话.*未开始轮换`));
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM settings WHERE key LIKE 'key_rotation%'`), '0');
  assert.equal(sql(srv.db, `SELECT value FROM settings WHERE key = 'key_fingerprint'`), fp);
  assert.ok(!existsSync(keyFile + '.next'));

  const d = cli(['key', 'rotate', '--db', srv.db, '--drop-unreadable'], srv.env);
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stdout, new RegExp(`已清空党员（编号 ${x.id}）无法解密的联系电话`));
  assert.match(d.stdout, new RegExp(`已清空干部（编号 ${cx.id}）无法解密的联系电话`));
  assert.equal(sql(srv.db, `SELECT COALESCE(phone_enc, '-') || COALESCE(phone_masked, '-') FROM cadres WHERE id = ${cx.id}`), '--');
  await start();
  const rx = await full(adm, x.id);
  assert.equal(rx.status, 200, JSON.stringify(rx.body));
  assert.equal(rx.body.id_number, x.id_number);
  assert.equal(rx.body.phone, null);
  const ry = await full(adm, y.id);
  assert.equal(ry.body.phone, y.phone);
  cx.values.phone = null;
  for (const o of others) await checkOther(o);
  const v = cli(['audit', 'verify', '--db', srv.db], srv.env);
  assert.equal(v.code, 0, v.stderr + v.stdout);
});
