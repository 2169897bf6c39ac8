// The birth date, the register and the roster names stay within what each
// role may see (docs/SECURITY.md "What each role can see"): the legitimate
// paths beside the closed oracles of birth-date-day, import-register-oracle
// and guest-oracle.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, admin, addUser, loginAs, withCheck } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

function makeId(ymd, seq) {
  const body = '990101' + ymd + String(seq).padStart(3, '0');
  return withCheck(body);
}

let srv, adm, A, A1, B1;
before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const mk = async (parent_id, name, type) => {
    const r = await adm.post('/api/v1/orgs', { parent_id, name, type });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  A = await mk(1, '甲镇党委', 'committee');
  const B = await mk(1, '乙镇党委', 'committee');
  A1 = await mk(A, '甲村党支部', 'branch');
  B1 = await mk(B, '乙村党支部', 'branch');
  addUser(srv, 'po_orgA', 'org_admin', A);
  addUser(srv, 'po_pwA', 'party_worker', A);
});
after(async () => { await srv?.stop(); });

const upload = (c, org, rows) => c.req('POST', `/api/v1/imports?org=${org}&filename=x.csv`, Buffer.from(rows.join('\n') + '\n'),
  { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
const HEAD = '姓名,性别,身份证号,入党日期,转正日期,人员类别';

test('a malformed ID number in an edit types no birth date: the stored one is named by month', async () => {
  let r = await adm.post('/api/v1/members', { org_id: A1, name: '甲丙', id_number: makeId('19820118', 437),
    join_date: '2010-07-01', category: 'full', full_date: '2011-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const pw = await loginAs(srv, 'po_pwA');
  const e = await pw.patch(`/api/v1/members/${r.body.id}`, { id_number: '12345', join_date: '1982-01-01' });
  assert.equal(e.status, 400);
  assert.ok(!JSON.stringify(e.body).includes('1982-01-18'), JSON.stringify(e.body));
  // a date the caller states is its own, and named at the day
  const t = await pw.patch(`/api/v1/members/${r.body.id}`, { id_number: makeId('19820118', 437), join_date: '1982-01-01' });
  assert.equal(t.status, 400);
  assert.match(t.body.error.message, /1982-01-18/);
});

test('the register\'s root imports any number of new rows; a township imports new rows within the hourly budget', async () => {
  const big = [HEAD];
  for (let i = 0; i < 30; i++) big.push(`根${i},男,${makeId('19700101', 101 + 2 * i)},2010-07-01,2011-07-01,正式党员`);
  let r = await upload(adm, B1, big);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.rows.filter((x) => x.status === 'new').length, 30);

  const c = await loginAs(srv, 'po_orgA');
  const small = [HEAD];
  for (let i = 0; i < 5; i++) small.push(`镇${i},男,${makeId('19710101', 101 + 2 * i)},2010-07-01,2011-07-01,正式党员`);
  r = await upload(c, A1, small);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.rows.filter((x) => x.status === 'new').length, 5);
  // five of the twenty are spent: sixteen more outside rows are refused whole
  const more = [HEAD];
  for (let i = 0; i < 16; i++) more.push(`再${i},男,${makeId('19720101', 101 + 2 * i)},2010-07-01,2011-07-01,正式党员`);
  r = await upload(c, A1, more);
  assert.equal(r.status, 429, JSON.stringify(r.body));
  assert.match(r.body.error.message, /16 行.*还剩 15 个/);
  // fifteen still fit
  r = await upload(c, A1, more.slice(0, 16));
  assert.equal(r.status, 201, JSON.stringify(r.body));
});

test('a guest within the caller\'s scope is recorded; a wrong name answers as outside and is audited', async () => {
  let r = await adm.post('/api/v1/orgs', { parent_id: A, name: '甲二村党支部', type: 'branch' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const A2 = r.body.id;
  r = await adm.post('/api/v1/members', { org_id: A2, name: '甲客', join_date: '2010-07-01', category: 'full',
    full_date: '2011-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const inside = r.body.id;
  r = await adm.post('/api/v1/members', { org_id: B1, name: '乙客', join_date: '2010-07-01', category: 'full',
    full_date: '2011-07-01' });
  const outside = r.body.id;
  const pw = await loginAs(srv, 'po_pwA');
  r = await pw.post('/api/v1/meetings', { org_id: A1, type: 'other', title: '学习', start_at: Math.floor(Date.now() / 1000) - 86400 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const mid = r.body.id;
  const put = (member_id, name) => pw.put(`/api/v1/meetings/${mid}/attendance`,
    { items: [{ member_id, name, status: 'present', guest: true }] });
  const wrong = await put(inside, '甲某');
  const far = await put(outside, '乙客');
  assert.equal(wrong.status, 400);
  assert.deepEqual(wrong.body.error, far.body.error);
  assert.ok(!JSON.stringify(wrong.body).includes('甲某') && !JSON.stringify(far.body).includes('乙客'));
  const ok = await put(inside, '甲客');
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const stored = sql(srv.db, `SELECT on_roster, status FROM meeting_attendance WHERE meeting_id = ${mid} AND member_id = ${inside}`).trim();
  assert.equal(stored, '0|present');
  assert.equal(sql(srv.db, `SELECT count(*) FROM meeting_attendance WHERE meeting_id = ${mid} AND member_id = ${outside}`).trim(), '0');
  // each failed guess leaves a scope denial (written by the audit thread)
  let n = 0;
  for (let t = 0; t < 50 && n < 2; t++) {
    n = Number(sql(srv.db, "SELECT count(*) FROM audit_log WHERE action = 'access.denied' AND detail LIKE '%attendance%' AND detail LIKE '%\"scope\"%'").trim());
    if (n < 2) await sleep(100);
  }
  assert.equal(n, 2);
});
