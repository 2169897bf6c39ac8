// Personal data on the county demo, attacked the way an insider would:
//  - a role without member.sensitive collects everything it can see about a
//    member (roster, detail, export, history, audit, error messages, age
//    filters) and counts the ID numbers that still fit: at least 10,000;
//  - after a full exercise of the API no full ID or phone number is found
//    in clear in the database files, the data directory or the server log;
//  - database files and the data directory are owner-only, and a key file
//    that is not a regular file is refused at start;
//  - names refuse invisible and reordering characters;
//  - "already registered" answers about ID numbers are audited without the
//    number and limited per user.
// What each role sees, and why: docs/SECURITY.md, "What each role can see".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, lstatSync, existsSync, chmodSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, admin, addUser, loginAs, BIN } from '../api/lib.mjs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const checkChar = (body17) => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * W[i];
  return '10X98765432'[sum % 11];
};
/** A checksum-valid ID number (GB 11643); seq's parity follows gender. */
function makeId(birth, seq, gender, region = '990101') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  return body + checkChar(body);
}
const pad = (n) => String(n).padStart(2, '0');
/** Today in China (the server's dates are UTC+8). */
const chinaToday = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

let srv, adm, A, B, C, wa, aud;

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function mkMember(c, body) {
  const r = await c.post('/api/v1/members', { join_date: '2010-07-01', category: 'full', full_date: '2011-07-01', ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function upload(c, org, name, text) {
  return c.req('POST', `/api/v1/imports?org=${org}&filename=${encodeURIComponent(name)}`, Buffer.from(text), {
    raw: true, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

/** Every audit row the audit administrator can read (all pages). */
async function auditAll(c) {
  const rows = [];
  let after = '';
  for (let i = 0; i < 200; i++) {
    const r = await c.get(`/api/v1/audit?limit=200${after}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    rows.push(...r.body.items);
    if (!r.body.next) break;
    after = `&after=${encodeURIComponent(r.body.next)}`;
  }
  return rows;
}

const text = (body) => (Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body));

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const town = await mkOrg(1, '隐私镇党委', 'committee');
  const town2 = await mkOrg(1, '隐私乡党委', 'committee');
  A = await mkOrg(town, '隐私甲支部', 'branch');
  B = await mkOrg(town, '隐私乙支部', 'branch');
  C = await mkOrg(town2, '隐私丙支部', 'branch');
  addUser(srv, 'pv_wa', 'party_worker', A);
  addUser(srv, 'pv_aud', 'audit_admin', 1);
  wa = await loginAs(srv, 'pv_wa');
  aud = await loginAs(srv, 'pv_aud');
});

after(async () => {
  await srv?.stop();
});

// ---- masks are not reversible -------------------------------------------------

test('a role without member.sensitive sees so little that at least 10,000 ID numbers still fit', async () => {
  // Two women born in 1988 in this very month, one on each side of today's
  // day when the month allows: an exact age, or an age filter at the day,
  // would tell them apart and so tell the day.
  const today = chinaToday();
  const mm = Number(today.slice(5, 7));
  const td = Number(today.slice(8, 10));
  const dim = daysIn(1988, mm);
  // (on the month's last day both are before it; neither on the 1st,
  // which a join date tried below names as the attacker's own input)
  const dx = td < dim ? dim : dim - 1;
  const dy = td < dim ? 1 : 2;
  const birthX = `1988-${pad(mm)}-${pad(dx)}`;
  const idX = makeId(birthX, 344, 'F');
  const idY = makeId(`1988-${pad(mm)}-${pad(dy)}`, 346, 'F');
  const X = await mkMember(adm, { org_id: A, name: '隐私甲', id_number: idX, phone: '13911112222', native_place: '河北正定' });
  const Y = await mkMember(adm, { org_id: A, name: '隐私乙', id_number: idY, phone: '13911113333', native_place: '河北正定' });
  // history and audit details for X
  let r = await adm.patch(`/api/v1/members/${X.id}`, { status: 'mobile', reason: '外出务工' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.patch(`/api/v1/members/${X.id}`, { org_id: B, reason: '调动' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.patch(`/api/v1/members/${X.id}`, { org_id: A, reason: '调回', job_title: '会计' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // an edit of the ID number leaves "from" and "to" in the audit
  const idX0 = makeId(`1988-${pad(mm)}-${pad(dy)}`, 500, 'F');
  r = await adm.patch(`/api/v1/members/${X.id}`, { id_number: idX0 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.patch(`/api/v1/members/${X.id}`, { id_number: idX });
  assert.equal(r.status, 200, JSON.stringify(r.body));

  // everything the party worker can get
  const seen = [];
  const keep = (res) => { seen.push(text(res.body)); return res; };
  const list = keep(await wa.get(`/api/v1/members?org=${A}&limit=200`)).body.items;
  keep(await wa.get(`/api/v1/members?org=${A}&q=${encodeURIComponent('隐私甲')}`));
  const dX = keep(await wa.get(`/api/v1/members/${X.id}`)).body;
  const dY = keep(await wa.get(`/api/v1/members/${Y.id}`)).body;
  keep(await wa.get(`/api/v1/members/${X.id}?full=1`));
  keep(await wa.get(`/api/v1/members/${X.id}/history`));
  keep(await wa.get(`/api/v1/orgs/${A}/birthdays?days=366`));
  const csv = keep(await wa.get(`/api/v1/members/export?org=${A}&format=csv`));
  assert.equal(csv.status, 200);
  keep(await wa.get(`/api/v1/members/export?org=${A}&format=csv&full=1`));
  // error messages: edits that would compare with the stored number
  for (const body of [{ birth_date: birthX }, { birth_date: `1988-${pad(mm)}-${pad(dy)}` },
    { join_date: '2000-01-01', reason: 'x' }, { join_date: `1988-${pad(mm)}-01`, reason: 'x' },
    { join_date: `2006-${pad(mm)}-${pad(dx)}`, reason: 'x' }, { gender: 'M' }]) {
    const e = keep(await wa.patch(`/api/v1/members/${X.id}`, body));
    assert.ok(e.status === 400 || e.status === 200, JSON.stringify(e.body));
  }
  // the minimum-age rule answers alike for X and Y on every day of the
  // month of their 18th birthday: trying join dates day by day tells nothing
  for (let d = 1; d <= daysIn(2006, mm); d++) {
    const jd = `2006-${pad(mm)}-${pad(d)}`;
    const rX = keep(await wa.patch(`/api/v1/members/${X.id}`, { join_date: jd }));
    const rY = keep(await wa.patch(`/api/v1/members/${Y.id}`, { join_date: jd }));
    assert.equal(rX.status, rY.status, `join date ${jd} tells X from Y`);
    assert.equal(text(rX.body), text(rY.body), `join date ${jd} tells X from Y`);
  }
  // the age filters: membership of X and Y must be the same at every age
  for (let age = 30; age <= 45; age++) {
    const lo = keep(await wa.get(`/api/v1/members?org=${A}&age_min=${age}&limit=200`)).body.items.map((m) => m.id);
    const hi = keep(await wa.get(`/api/v1/members?org=${A}&age_max=${age}&limit=200`)).body.items.map((m) => m.id);
    assert.equal(lo.includes(X.id), lo.includes(Y.id), `age_min=${age} tells X from Y`);
    assert.equal(hi.includes(X.id), hi.includes(Y.id), `age_max=${age} tells X from Y`);
  }
  // the audit administrator (no member.sensitive either) reads the trail
  await new Promise((res) => setTimeout(res, 400)); // read audits are written in the background
  const trail = await auditAll(aud);
  seen.push(JSON.stringify(trail));
  const all = seen.join('\n');

  // X and Y look alike in everything but name and record: the shown age
  // and birth date carry nothing of the day
  const lX = list.find((m) => m.id === X.id), lY = list.find((m) => m.id === Y.id);
  for (const [a, b] of [[lX, lY], [dX, dY]]) {
    assert.equal(a.age, b.age, 'the age tells the day');
    assert.equal(a.birth_date, b.birth_date, 'the birth date tells the day');
  }
  assert.equal(dX.gender, 'F');
  assert.ok(all.includes(`1988-${pad(mm)}`), 'the birth month is shown');

  // facts: exact birth date in any usual form, or its month; masks that fit X
  const forms = [birthX, birthX.replaceAll('-', ''), birthX.replaceAll('-', '/'), birthX.replaceAll('-', '.'),
    `1988年${mm}月${dx}日`, `1988年${pad(mm)}月${pad(dx)}日`];
  const dayKnown = forms.some((f) => all.includes(f));
  const days = dayKnown ? [dx] : Array.from({ length: dim }, (_, i) => i + 1);
  const masks = [...all.matchAll(/(?<![0-9A-Za-z*])[0-9Xx*]{18}(?![0-9A-Za-z*])/g)].map((m) => m[0].toUpperCase())
    .filter((t) => /[0-9X]/.test(t))
    .filter((t) => [...t].every((ch, i) => ch === '*' || ch === idX[i])); // conservatively: any that fits X is X's
  // The attacker is even given the region code (a county's members mostly
  // share one) and the gender; every sequence number and checksum is tried.
  let count = 0, hasTrue = false;
  for (const d of days) {
    for (let s = 0; s < 1000; s += 1) {
      if (s % 2 === 1) continue; // women: even
      const body = `990101${birthX.slice(0, 4)}${pad(mm)}${pad(d)}${String(s).padStart(3, '0')}`;
      const id = body + checkChar(body);
      if (!masks.every((t) => [...t].every((ch, i) => ch === '*' || ch === id[i]))) continue;
      count++;
      if (id === idX) hasTrue = true;
    }
  }
  assert.ok(hasTrue, 'the true number is among the candidates');
  assert.ok(count >= 10000, `only ${count} ID numbers fit what a party worker sees (day known: ${dayKnown}, masks: ${masks.join(',')})`);
});

// ---- no protected value in clear --------------------------------------------------

function filesUnder(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) out.push(p, ...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function grepClear(where, bytes, secrets) {
  const found = [];
  for (const s of secrets) if (bytes.includes(Buffer.from(s))) found.push(`${s} in ${where}`);
  return found;
}

const sqliteOnly = { skip: process.env.ZB_TEST_PG_DIR ? 'looks at SQLite files' : false };

test('after a full exercise of the API no full ID or phone number is stored or logged in clear', sqliteOnly, async () => {
  const s2 = await startServer();
  try {
    const a2 = await admin(s2);
    const t = (await a2.post('/api/v1/orgs', { parent_id: 1, name: '明文镇党委', type: 'committee' })).body.id;
    const P = (await a2.post('/api/v1/orgs', { parent_id: t, name: '明文甲支部', type: 'branch' })).body.id;
    addUser(s2, 'clear_wa', 'party_worker', P);
    const w2 = await loginAs(s2, 'clear_wa');
    const ids = [makeId('1975-03-04', 11, 'M', '370102'), makeId('1982-11-30', 22, 'F', '370102'),
      makeId('1979-07-07', 33, 'M', '370103'), makeId('1990-01-09', 44, 'F', '370104'), makeId('1969-09-19', 55, 'M', '370105')];
    const phones = ['13812340001', '13812340002', '13812340003', '13812340004', '13812340005'];
    const badId = ids[0].slice(0, 17) + (ids[0][17] === '0' ? '1' : '0'); // wrong checksum
    const m1 = await mkMember(a2, { org_id: P, name: '明文甲', id_number: ids[0], phone: `+86 ${phones[0]}` });
    const m2 = await mkMember(w2, { org_id: P, name: '明文乙', id_number: ids[1].toLowerCase(), phone: phones[1] });
    let r = await a2.patch(`/api/v1/members/${m1.id}`, { phone: phones[2], id_number: ids[2] });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    r = await w2.patch(`/api/v1/members/${m2.id}`, { phone: `${phones[3].slice(0, 3)}-${phones[3].slice(3, 7)}-${phones[3].slice(7)}` });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const c of [a2, w2]) {
      for (const q of [ids[2], ids[1].toLowerCase(), phones[2], phones[3], badId]) {
        r = await c.get(`/api/v1/members?org=${P}&q=${encodeURIComponent(q)}`);
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
    }
    // errors with a wrong ID number
    r = await w2.post('/api/v1/members', { org_id: P, name: '明文丙', id_number: badId, join_date: '2010-07-01' });
    assert.equal(r.status, 400);
    assert.ok(!JSON.stringify(r.body).includes(badId));
    r = await w2.patch(`/api/v1/members/${m2.id}`, { id_number: badId });
    assert.equal(r.status, 400);
    r = await w2.post('/api/v1/members', { org_id: P, name: '明文重', id_number: ids[2], join_date: '2010-07-01', full_date: '2011-07-01' });
    assert.equal(r.status, 409);
    assert.ok(!JSON.stringify(r.body).includes(ids[2]));
    // import: one new member, one update, one row with a wrong number
    const csv = '姓名,身份证号,联系电话,入党日期,转正日期,人员类别\n' +
      `明文丁,${ids[3]},${phones[4]},2012-07-01,2013-07-01,正式党员\n` +
      `明文乙,${ids[1]},${phones[0]},2010-07-01,2011-07-01,正式党员\n` +
      `明文戊,${badId},${phones[4]},2012-07-01,2013-07-01,正式党员\n`;
    r = await upload(w2, P, '名册.csv', csv);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.ok(!JSON.stringify(r.body).includes(badId));
    const batch = r.body.id;
    assert.equal((await w2.get(`/api/v1/imports/${batch}`)).status, 200);
    r = await w2.post(`/api/v1/imports/${batch}/commit?skip_errors=1`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    // export, history, detail
    assert.equal((await w2.get(`/api/v1/members/export?org=${P}&format=csv`)).status, 200);
    assert.equal((await a2.get(`/api/v1/members/export?org=${P}&format=csv&full=1`)).status, 200);
    assert.equal((await a2.get(`/api/v1/members/export?org=${P}&format=xlsx&full=1`)).status, 200);
    assert.equal((await w2.get(`/api/v1/members/${m1.id}/history`)).status, 200);
    assert.equal((await a2.get(`/api/v1/members/${m1.id}?full=1`)).status, 200);
    assert.equal((await w2.get(`/api/v1/members/${m1.id}?full=1`)).status, 403);
    // an ID number of a member elsewhere, created over a second one
    r = await w2.post('/api/v1/members', { org_id: P, name: '明文己', id_number: ids[4], join_date: '2010-07-01', full_date: '2011-07-01' });
    assert.equal(r.status, 201);
    await new Promise((res) => setTimeout(res, 400));

    const secrets = [...ids, ids[1].toLowerCase(), badId, ...phones];
    const check = () => {
      const found = [];
      for (const f of filesUnder(s2.dir)) {
        if (statSync(f).isDirectory()) continue;
        found.push(...grepClear(f, readFileSync(f), secrets));
      }
      found.push(...grepClear('the server log', Buffer.from(s2.log()), secrets));
      return found;
    };
    // while the server runs (the -wal holds the latest pages) ...
    assert.ok(existsSync(`${s2.db}-wal`), 'the database runs in WAL mode');
    assert.deepEqual(check(), []);
    // ... and after it stopped (the audit queue flushed, the WAL folded in)
    await s2.stop({ keep: true });
    assert.deepEqual(check(), []);
  } finally {
    await s2.stop();
  }
});

// ---- files --------------------------------------------------------------------------

test('database files and the data directory are owner-only; an existing database is tightened', sqliteOnly, async () => {
  const s3 = await startServer({ env: { ZHIBU_DATA_DIR: '' } });
  try {
    // the data directory is made by the server when missing
    const dataDir = join(s3.dir, 'data');
    await s3.stop({ keep: true });
    const old = process.umask(0o022); // what a service usually starts with
    try {
      const s4 = await startServer({ dir: s3.dir, db: s3.db, init: false, env: { ZHIBU_DATA_DIR: dataDir } });
      try {
        const a4 = await admin(s4);
        const t = (await a4.post('/api/v1/orgs', { parent_id: 1, name: '权限镇党委', type: 'committee' })).body.id;
        const P = (await a4.post('/api/v1/orgs', { parent_id: t, name: '权限支部', type: 'branch' })).body.id;
        await mkMember(a4, { org_id: P, name: '权限甲', id_number: makeId('1970-01-02', 7, 'M'), phone: '13900000001' });
        assert.equal((await a4.get(`/api/v1/members/export?org=${P}&format=xlsx`)).status, 200);
        for (const f of [s4.db, `${s4.db}-wal`, `${s4.db}-shm`]) {
          assert.ok(existsSync(f), f);
          assert.equal(statSync(f).mode & 0o777, 0o600, `${f} is ${(statSync(f).mode & 0o777).toString(8)}`);
        }
        assert.ok(existsSync(dataDir));
        assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data directory');
        for (const f of filesUnder(dataDir)) {
          const st = statSync(f);
          assert.equal(st.mode & 0o077, 0, `${f} is ${(st.mode & 0o777).toString(8)}`);
        }
      } finally {
        await s4.stop({ keep: true });
      }
      // a database left readable by others is made owner-only at start
      chmodSync(s3.db, 0o644);
      const s5 = await startServer({ dir: s3.dir, db: s3.db, init: false, env: { ZHIBU_DATA_DIR: dataDir } });
      try {
        assert.equal(statSync(s3.db).mode & 0o777, 0o600);
      } finally {
        await s5.stop({ keep: true });
      }
      // a new database made by `zhibu init` is owner-only from the start
      const fresh = join(s3.dir, 'fresh.db');
      const r = spawnSync(BIN, ['init', '--db', fresh], { env: { ...s3.env, ZHIBU_KEY_FILE: join(s3.dir, 'fresh.key') } });
      assert.equal(r.status, 0, r.stderr?.toString());
      assert.equal(statSync(fresh).mode & 0o777, 0o600);
    } finally {
      process.umask(old);
    }
  } finally {
    rmSync(s3.dir, { recursive: true, force: true });
  }
});

test('a key file that is not a regular file is refused at start with a clear message', async () => {
  const s6 = await startServer();
  await s6.stop({ keep: true });
  try {
    const dirKey = join(s6.dir, 'keydir');
    mkdirSync(dirKey);
    const fifo = join(s6.dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const zero = join(s6.dir, 'zero.key');
    symlinkSync('/dev/zero', zero);
    for (const [key, what] of [[dirKey, /目录/], [fifo, /FIFO/], [zero, /字符设备/]]) {
      const r = spawnSync(BIN, ['serve', '--db', s6.db, '--listen', '127.0.0.1:0'], {
        env: { ...s6.env, ZHIBU_KEY_FILE: key }, timeout: 15000,
      });
      assert.equal(r.error, undefined, `serve with ${key} did not end: ${r.error}`);
      assert.notEqual(r.status, 0, `serve started with ${key}`);
      const err = r.stderr.toString();
      assert.match(err, /不是普通文件/, err);
      assert.match(err, what, err);
      assert.ok(err.includes(key), err);
    }
  } finally {
    rmSync(s6.dir, { recursive: true, force: true });
  }
});

// ---- names --------------------------------------------------------------------------

test('names refuse bidirectional controls, zero-width and private-use characters', async () => {
  const bad = ['\u202E', '\u202A', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C',
    '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\uE000', '\uF8FF', '\u{F0000}', '\u{10FFFD}'];
  let seq = 600;
  for (const ch of bad) {
    const name = `王${ch}五`;
    const r = await adm.post('/api/v1/members', { org_id: A, name, id_number: makeId('1971-02-03', seq += 2, 'M'),
      join_date: '2010-07-01', full_date: '2011-07-01', category: 'full' });
    assert.equal(r.status, 400, `U+${ch.codePointAt(0).toString(16)} accepted`);
    assert.equal(r.body.error.field, 'name');
    assert.match(r.body.error.message, /姓名/);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  const m = await mkMember(adm, { org_id: A, name: '名字测试', id_number: makeId('1971-02-03', 700, 'M') });
  for (const ch of ['\u202E', '\u200D', '\uE000']) {
    const r = await adm.patch(`/api/v1/members/${m.id}`, { name: `名字${ch}测试` });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'name');
  }
  assert.equal((await adm.get(`/api/v1/members/${m.id}`)).body.name, '名字测试');
  // other names of people: meeting hosts, recorders, speakers and guests,
  // account display names
  const now = Math.floor(Date.now() / 1000) - 3600;
  for (const [field, body] of [['host', { host: '张\u202E三' }], ['recorder', { recorder: '李\u200B四' }],
    ['speaker', { speaker: '王\uE000五' }], ['guests', { guests: ['赵\u2066六'] }]]) {
    const r = await adm.post('/api/v1/meetings', { org_id: A, type: 'committee', start_at: now, ...body });
    assert.equal(r.status, 400, `${field}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field);
  }
  addUser(srv, 'pv_sys', 'sys_admin', 1);
  const sys = await loginAs(srv, 'pv_sys');
  let u = await sys.post('/api/v1/users', { username: 'pv_bidi', password: 'Bidi-Passw0rd-1', display_name: '管理\u202E员' });
  assert.equal(u.status, 400, JSON.stringify(u.body));
  assert.equal(u.body.error.field, 'display_name');
  u = await sys.post('/api/v1/users', { username: 'pv_plain', password: 'Plain-Passw0rd-1', display_name: '普通用户' });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  // in an import, the row is an error naming the field
  const csv = `姓名,身份证号,入党日期,转正日期\n李\u202E四,${makeId('1972-03-04', 702, 'M')},2010-07-01,2011-07-01\n`;
  const r = await upload(adm, A, 'names.csv', csv);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.counts.error, 1);
  assert.match(r.body.rows[0].errors.join(' '), /姓名/);
});

// ---- "already registered" lookups ----------------------------------------------------------

test('ID-number lookups that reveal a record elsewhere are audited without the number and limited per user', async () => {
  const other = await mkMember(adm, { org_id: C, name: '别处党员', id_number: makeId('1966-06-06', 900, 'M', '110105') });
  const idZ = makeId('1966-06-06', 900, 'M', '110105');
  addUser(srv, 'pv_rl', 'party_worker', A);
  addUser(srv, 'pv_rl2', 'party_worker', A);
  const rl = await loginAs(srv, 'pv_rl');
  const body = { org_id: A, name: '探测', id_number: idZ, join_date: '2010-07-01', full_date: '2011-07-01', category: 'full' };
  let r;
  for (let i = 0; i < 19; i++) {
    r = await rl.post('/api/v1/members', body);
    assert.equal(r.status, 409, JSON.stringify(r.body));
    assert.equal(r.body.error.field, 'id_number');
  }
  // a search by a whole ID number counts too
  r = await rl.get(`/api/v1/members?org=${A}&q=${idZ}`);
  assert.equal(r.status, 200);
  r = await rl.post('/api/v1/members', body);
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.match(r.body.error.message, /每小时最多 20 次/);
  r = await rl.get(`/api/v1/members?org=${A}&q=${idZ}`);
  assert.equal(r.status, 429);
  r = await upload(rl, A, 'probe.csv', `姓名,身份证号,入党日期\n探测,${idZ},2010-07-01\n`);
  assert.equal(r.status, 429);
  // an edit stating an ID number waits too; one that does not, does not
  const mine = await mkMember(adm, { org_id: A, name: '本支部', id_number: makeId('1977-07-07', 910, 'F') });
  r = await rl.patch(`/api/v1/members/${mine.id}`, { id_number: idZ });
  assert.equal(r.status, 429);
  r = await rl.patch(`/api/v1/members/${mine.id}`, { job_title: '出纳' });
  assert.equal(r.status, 200);
  // another user has a budget of their own
  const rl2 = await loginAs(srv, 'pv_rl2');
  r = await rl2.post('/api/v1/members', body);
  assert.equal(r.status, 409);

  // a roster upload checks each row's number against the whole register:
  // a file of guessed numbers is limited by a daily budget of rows
  addUser(srv, 'pv_imp', 'party_worker', A);
  const imp = await loginAs(srv, 'pv_imp');
  const rows = (from, n) => Array.from({ length: n }, (_, i) => `猜测${from + i},${makeId('1966-06-06', from + i, 'M', '110106')},2010-07-01`).join('\n');
  r = await upload(imp, A, 'small.csv', `姓名,身份证号,入党日期\n${rows(0, 10)}\n`);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await upload(imp, A, 'guesses.csv', `姓名,身份证号,入党日期\n${rows(10, 995)}\n`);
  assert.equal(r.status, 429, JSON.stringify(r.body).slice(0, 300));
  assert.match(r.body.error.message, /每天最多核对 1000 个/);
  assert.equal(r.body.error.field, 'file');
  // an org admin (member.sensitive at its org) is not limited by it, but
  // its rows that match no member of its own are lookups of the hourly
  // budget outside its scope: only the register's root imports them freely
  addUser(srv, 'pv_oa', 'org_admin', A);
  const oa = await loginAs(srv, 'pv_oa');
  r = await upload(oa, A, 'guesses.csv', `姓名,身份证号,入党日期\n${rows(10, 995)}\n`);
  assert.equal(r.status, 429, JSON.stringify(r.body).slice(0, 300));
  assert.match(r.body.error.message, /每小时最多核对 20 个/);
  r = await upload(adm, A, 'guesses.csv', `姓名,身份证号,入党日期\n${rows(10, 995)}\n`);
  assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 300));

  // audited: one row per refusal, naming the record, never the number
  const trail = (await auditAll(aud)).filter((x) => x.action === 'member.id_lookup' && x.username === 'pv_rl');
  assert.equal(trail.length, 19);
  for (const row of trail) {
    assert.equal(row.object_id, String(other.id));
    assert.equal(row.detail.kind, 'create');
    assert.equal(row.detail.in_scope, false);
  }
  const everything = JSON.stringify(await auditAll(aud));
  assert.ok(!everything.includes(idZ), 'the audit trail holds the ID number in clear');
  assert.ok(!everything.includes(idZ.slice(6, 14)), 'the audit trail holds the birth date of the number');
});
