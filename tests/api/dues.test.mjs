// 党费 over HTTP (docs/DUES.md): the monthly due at every band edge and a
// fen either side, strict money parsing, a base change mid-year, a
// 预备党员 from the month of the 支部大会, payments by month and their
// reversal, reductions approved by the level above, the one-off voluntary
// payment, the branch sheet against a recount of its members, the roll-up,
// the bulk entry, the report, arrears in the 自行脱党 risk list, the own
// dues of a member, and the scope of every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli } from './lib.mjs';

let srv, adm, root, town, A, B, townB, branchUser, townUser, otherUser;

const chinaDate = (t) => new Date(t * 1000 + 8 * 3600e3).toISOString().slice(0, 10);
const today = () => chinaDate(Math.floor(Date.now() / 1000));
const thisYm = () => Number(today().slice(0, 7).replace('-', ''));
function ymAdd(ym, n) {
  const t = Math.floor(ym / 100) * 12 + (ym % 100 - 1) + n;
  return Math.floor(t / 12) * 100 + (t % 12) + 1;
}
const ymText = (ym) => `${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}`;
/** yuan text -> fen, exactly (no floating point) */
const fen = (s) => { const [y, c = ''] = s.replace('-', '').split('.'); return (s.startsWith('-') ? -1 : 1) * (Number(y) * 100 + Number((c + '00').slice(0, 2))); };
const yuan = (f) => `${f < 0 ? '-' : ''}${Math.floor(Math.abs(f) / 100)}.${String(Math.abs(f) % 100).padStart(2, '0')}`;

async function mkOrg(parent, name, type = 'branch') {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, founded_on: '2000-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, extra = {}) {
  const r = await adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function setBase(c, id, kind, amount, from) {
  return c.put(`/api/v1/members/${id}/dues-base`, { kind, amount, from });
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '党费镇党委', 'committee');
  A = await mkOrg(town, '党费一村党支部');
  B = await mkOrg(town, '党费二村党支部');
  townB = await mkOrg(root, '党费外镇党委', 'committee');
  addUser(srv, 'dues_branch', 'party_worker', A);
  addUser(srv, 'dues_town', 'party_worker', town);
  addUser(srv, 'dues_other', 'party_worker', townB);
  branchUser = await loginAs(srv, 'dues_branch');
  townUser = await loginAs(srv, 'dues_town');
  otherUser = await loginAs(srv, 'dues_other');
});
after(async () => { await srv?.stop(); });

test('the monthly due at every band edge and a fen either side', async () => {
  const m = await mkMember(A, '档次甲');
  const cases = [
    ['salary', '2999.99', '15.00'], ['salary', '3000', '15.00'], ['salary', '3000.01', '30.00'],
    ['salary', '5000.00', '50.00'], ['salary', '5000.01', '75.00'], ['salary', '10000', '150.00'],
    ['salary', '10000.01', '200.00'], ['salary', '0.5', '0.00'], ['salary', '1.00', '0.01'],
    ['pension', '5000', '25.00'], ['pension', '5000.01', '50.00'], ['pension', '4999.99', '25.00'],
    ['farmer', '800', '0.20'], ['student', '0', '0.20'], ['unemployed', '0', '0.20'], ['relief', '100', '0.20'],
  ];
  for (const [kind, amount, due] of cases) {
    const r = await setBase(adm, m, kind, amount, '2024-01');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.monthly_due, due, `${kind} ${amount}`);
  }
  // the fixed point: 3000.00 from 2026-01 -> 15.00
  const r = await setBase(adm, m, 'salary', '3000.00', '2026-01');
  assert.deepEqual(r.body, { member_id: m, kind: 'salary', amount: '3000.00', from: '2026-01', monthly_due: '15.00' });
});

test('money and months are parsed strictly, errors in Chinese naming the field', async () => {
  const m = await mkMember(A, '格式乙');
  for (const bad of ['-1', '3000.001', 'abc', '3000.', '.5', '', ' 3000', '3,000', '1e3', '+5', '99999999999']) {
    const r = await setBase(adm, m, 'salary', bad, '2025-01');
    assert.equal(r.status, 400, `${bad}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'amount', bad);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  assert.equal((await setBase(adm, m, 'salary', '3000.5', '2025-01')).body.amount, '3000.50');
  for (const bad of ['2025-13', '2025-1', '202501', 'x']) {
    const r = await setBase(adm, m, 'salary', '3000', bad);
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'from');
  }
  const k = await setBase(adm, m, 'wages', '3000', '2025-01');
  assert.equal(k.status, 400);
  assert.equal(k.body.error.field, 'kind');
});

test('a base change mid-year applies from its month', async () => {
  const m = await mkMember(A, '调薪丙');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  await setBase(adm, m, 'salary', '6000', '2025-07');
  const r = await adm.get(`/api/v1/members/${m}/dues?year=2025`);
  assert.equal(r.status, 200);
  assert.equal(r.body.months.length, 12);
  assert.deepEqual(r.body.months.map((x) => x.due), [...Array(6).fill('15.00'), ...Array(6).fill('90.00')]);
  assert.equal(r.body.due_total, '630.00');
  assert.equal(r.body.owed_total, '630.00');
  assert.equal(r.body.paid_up_to, null);
  assert.deepEqual(r.body.bases.map((b) => [b.from, b.monthly_due]), [['2025-07', '90.00'], ['2025-01', '15.00']]);
});

test('a 预备党员 owes from the month the 支部大会 accepted them', async () => {
  const m = await mkMember(A, '预备丁', { category: 'probationary', join_date: '2025-03-20', full_date: null });
  await setBase(adm, m, 'salary', '4000', '2025-01');
  const r = await adm.get(`/api/v1/members/${m}/dues?year=2025`);
  assert.deepEqual(r.body.months.slice(0, 4).map((x) => x.due), [null, null, '40.00', '40.00']);
  const early = await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-02'], amount: '40.00', paid_on: '2025-03-25', method: 'cash' });
  assert.equal(early.status, 400);
  assert.equal(early.body.error.field, 'months[0]');
  const ok = await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-03'], amount: '40.00', paid_on: '2025-03-25', method: 'cash' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal((await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body.paid_up_to, '2025-03');
});

test('payments by month, several at once, and their reversal rows', async () => {
  const m = await mkMember(A, '交纳戊');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  const bad = [
    [{ method: 'cheque' }, 'method'], [{ paid_on: '2999-01-01' }, 'paid_on'], [{ amount: '0' }, 'amount'],
    [{ months: [] }, 'months'], [{ months: ['2025-01', '2025-01'] }, 'months[1]'], [{ amount: '-15' }, 'amount'],
  ];
  for (const [over, field] of bad) {
    const r = await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-01'], amount: '15.00', paid_on: '2025-02-01', method: 'cash', ...over });
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  const p = await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-01', '2025-02', '2025-03'], amount: '45.00', paid_on: '2025-03-10', method: 'transfer' });
  assert.equal(p.status, 201);
  assert.deepEqual(p.body, { id: p.body.id, member_id: m, amount: '45.00', reverses: null });
  let d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.deepEqual(d.months.slice(0, 4).map((x) => [x.paid, x.owed]), [['15.00', '0.00'], ['15.00', '0.00'], ['15.00', '0.00'], ['0.00', '15.00']]);
  assert.equal(d.paid_up_to, '2025-03');
  assert.equal(d.payments[0].recorded_by !== null, true);
  assert.deepEqual(d.payments[0].months, ['2025-01', '2025-02', '2025-03']);
  assert.equal(d.payments[0].method, 'transfer');
  // a part payment fills the first month, the rest goes to the last
  const part = await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-04', '2025-05'], amount: '20.00', paid_on: '2025-05-10', method: 'cash' });
  d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.deepEqual(d.months.slice(3, 5).map((x) => x.paid), ['15.00', '5.00']);
  assert.equal(d.paid_up_to, '2025-04');
  // the reversal: a row of its own, negated; the first stays as it was
  const rv = await adm.post(`/api/v1/dues/payments/${p.body.id}/reverse`, { reason: '金额登记错误' });
  assert.equal(rv.status, 201, JSON.stringify(rv.body));
  assert.deepEqual(rv.body, { id: rv.body.id, member_id: m, amount: '-45.00', reverses: p.body.id });
  d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.deepEqual(d.months.slice(0, 3).map((x) => x.paid), ['0.00', '0.00', '0.00']);
  assert.equal(d.paid_up_to, null);
  const orig = d.payments.find((x) => x.id === p.body.id), rev = d.payments.find((x) => x.id === rv.body.id);
  assert.equal(orig.amount, '45.00');
  assert.equal(orig.reversed_by, rv.body.id);
  assert.equal(rev.amount, '-45.00');
  assert.equal(rev.reverses, p.body.id);
  assert.equal(rev.note, '金额登记错误');
  assert.equal((await adm.post(`/api/v1/dues/payments/${p.body.id}/reverse`, { reason: '再次' })).status, 409);
  assert.equal((await adm.post(`/api/v1/dues/payments/${rv.body.id}/reverse`, { reason: '冲正的冲正' })).status, 409);
  // never edited or deleted: no such routes
  assert.equal((await adm.req('PATCH', `/api/v1/dues/payments/${part.body.id}`, { amount: '1.00' })).status, 404);
  assert.equal((await adm.del(`/api/v1/dues/payments/${part.body.id}`)).status, 404);
  // each write is audited
  addUser(srv, 'dues_auditor', 'audit_admin', root);
  const auditor = await loginAs(srv, 'dues_auditor');
  const audit = (await auditor.get(`/api/v1/audit?object_type=member&object_id=${m}&limit=50`)).body;
  assert.ok(audit.items, JSON.stringify(audit));
  const actions = (audit.items || []).map((x) => x.action);
  for (const a of ['dues.base_set', 'dues.pay', 'dues.reverse']) assert.ok(actions.includes(a), `${a} in ${actions}`);
});

test('a reduction: the branch decides, the level above approves', async () => {
  const m = await mkMember(A, '减免己');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  const r = await branchUser.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'exempt', from: '2025-04', to: '2025-06', reason: '大病住院', decided_on: '2025-04-02' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.state, 'pending');
  let d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.equal(d.months[3].due, '15.00', 'pending changes nothing');
  const self = await branchUser.post(`/api/v1/dues/reductions/${r.body.id}/decision`, { approve: true });
  assert.equal(self.status, 403, 'the branch cannot approve its own decision');
  const ok = await townUser.post(`/api/v1/dues/reductions/${r.body.id}/decision`, { approve: true, note: '同意' });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'approved');
  assert.equal((await townUser.post(`/api/v1/dues/reductions/${r.body.id}/decision`, { approve: false })).status, 409);
  d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.deepEqual(d.months.slice(2, 7).map((x) => [x.due, x.reduced]), [['15.00', null], ['0.00', 'exempt'], ['0.00', 'exempt'], ['0.00', 'exempt'], ['15.00', null]]);
  const red = await branchUser.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'reduce', from: '2025-08', to: '2025-08', amount: '5.00', reason: '收入减少', decided_on: '2025-08-01' });
  await townUser.post(`/api/v1/dues/reductions/${red.body.id}/decision`, { approve: true });
  d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.deepEqual([d.months[7].due, d.months[7].reduced], ['5.00', 'reduce']);
  assert.equal((await branchUser.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'reduce', from: '2025-08', to: '2025-08', reason: 'x', decided_on: '2025-08-01' })).body.error.field, 'amount');
});

test('the level above finds the reductions waiting for its approval in its subtree', async () => {
  const m = await mkMember(A, '待批辛');
  const mb = await mkMember(B, '待批壬');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  await setBase(adm, mb, 'salary', '3000', '2025-01');
  const r1 = (await branchUser.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'exempt', from: '2025-09', to: '2026-02', reason: '生活困难', decided_on: '2025-09-01' })).body;
  const r2 = (await adm.post(`/api/v1/members/${mb}/dues-reductions`, { kind: 'reduce', from: '2025-09', to: '2025-09', amount: '5.00', reason: '收入减少', decided_on: '2025-09-01' })).body;
  const ids = (b) => b.items.map((x) => x.id);

  // the town sees both, pending, each one its to decide
  const t = await townUser.get(`/api/v1/orgs/${town}/dues-reductions?state=pending`);
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.ok(ids(t.body).includes(r1.id) && ids(t.body).includes(r2.id), JSON.stringify(ids(t.body)));
  assert.equal(t.body.total, t.body.items.length);
  const x1 = t.body.items.find((x) => x.id === r1.id);
  assert.deepEqual([x1.member_name, x1.org_id, x1.org_name, x1.kind, x1.from, x1.to, x1.state, x1.can_decide],
    ['待批辛', A, '党费一村党支部', 'exempt', '2025-09', '2026-02', 'pending', true]);
  assert.ok(t.body.items.every((x) => x.state === 'pending'));

  // the branch sees its own, not the other branch's, and cannot decide it
  const b = (await branchUser.get(`/api/v1/orgs/${A}/dues-reductions?state=pending`)).body;
  assert.ok(ids(b).includes(r1.id));
  assert.ok(!ids(b).includes(r2.id), 'the other branch is not listed');
  assert.equal(b.items.find((x) => x.id === r1.id).can_decide, false);
  assert.equal((await branchUser.get(`/api/v1/orgs/${B}/dues-reductions`)).status, 404);
  assert.equal((await otherUser.get(`/api/v1/orgs/${town}/dues-reductions`)).status, 404);
  assert.ok(!ids((await otherUser.get(`/api/v1/orgs/${townB}/dues-reductions`)).body).includes(r1.id));

  // decided ones leave the pending list and show under their state
  await townUser.post(`/api/v1/dues/reductions/${r2.id}/decision`, { approve: false, note: '证明材料不全' });
  assert.ok(!ids((await townUser.get(`/api/v1/orgs/${town}/dues-reductions?state=pending`)).body).includes(r2.id));
  const rej = (await townUser.get(`/api/v1/orgs/${town}/dues-reductions?state=rejected`)).body;
  assert.deepEqual(rej.items.filter((x) => x.id === r2.id).map((x) => [x.state, x.approval_note]), [['rejected', '证明材料不全']]);
  assert.ok(ids((await townUser.get(`/api/v1/orgs/${town}/dues-reductions`)).body).includes(r2.id), 'no state: all');
  const bad = await townUser.get(`/api/v1/orgs/${town}/dues-reductions?state=open`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'state');
});

test('a one-off voluntary payment of 1000 yuan or more', async () => {
  const m = await mkMember(B, '自愿庚');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  const small = await adm.post('/api/v1/dues/payments', { member_id: m, amount: '999.99', paid_on: '2025-06-01', method: 'transfer', voluntary: true });
  assert.equal(small.status, 400);
  assert.match(small.body.error.message, /1000\.00/);
  const ok = await adm.post('/api/v1/dues/payments', { member_id: m, amount: '1000.00', paid_on: '2025-06-01', method: 'transfer', voluntary: true });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const d = (await adm.get(`/api/v1/members/${m}/dues?year=2025`)).body;
  assert.equal(d.payments[0].kind, 'voluntary');
  assert.equal(d.months[5].paid, '0.00', 'not a payment of a month');
  const s = (await adm.get(`/api/v1/orgs/${B}/dues?month=2025-06`)).body;
  assert.equal(s.total.voluntary, '1000.00');
});

test('the branch sheet equals a recount of its members; the town rolls up', async () => {
  const month = '2025-09';
  const ids = [];
  const bases = [['salary', '2800'], ['salary', '4500'], ['pension', '6000'], ['farmer', '0'], ['salary', '12000']];
  for (const [i, [k, a]] of bases.entries()) {
    const m = await mkMember(B, `月表${i}`);
    await setBase(adm, m, k, a, '2025-01');
    ids.push(m);
  }
  await adm.post('/api/v1/dues/payments', { member_id: ids[0], months: [month], amount: '14.00', paid_on: '2025-09-05', method: 'cash' });
  await adm.post('/api/v1/dues/payments', { member_id: ids[1], months: [month], amount: '45.00', paid_on: '2025-09-05', method: 'online' });
  await adm.post('/api/v1/dues/payments', { member_id: ids[4], months: [month], amount: '100.00', paid_on: '2025-09-05', method: 'cash' });
  const s = (await adm.get(`/api/v1/orgs/${B}/dues?month=${month}`)).body;
  let due = 0, paid = 0, owed = 0;
  for (const row of s.members) {
    const d = (await adm.get(`/api/v1/members/${row.member_id}/dues?year=2025`)).body.months[8];
    assert.deepEqual([row.due, row.paid, row.owed], [d.due, d.paid, d.owed], row.name);
    due += d.due ? fen(d.due) : 0;
    paid += fen(d.paid);
    owed += fen(d.owed);
  }
  assert.deepEqual([s.total.due, s.total.paid, s.total.owed], [yuan(due), yuan(paid), yuan(owed)]);
  // 14 + 45 + 0 + 0.20 + 240 due for the five; the rate to two decimals, half up
  const five = s.members.filter((x) => ids.includes(x.member_id));
  assert.deepEqual(five.map((x) => x.due), ['14.00', '45.00', '60.00', '0.20', '240.00']);
  const expectRate = (p, d) => { const v = Math.floor((p * 20000) / d + 1) >> 1; return `${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`; };
  assert.equal(s.total.rate, expectRate(paid, due));
  // the town: each branch's subtree, and its own total their sum
  const t = (await adm.get(`/api/v1/orgs/${town}/dues?month=${month}`)).body;
  const rowB = t.children.find((c) => c.org_id === B);
  assert.deepEqual([rowB.due, rowB.paid, rowB.owed, rowB.rate], [s.total.due, s.total.paid, s.total.owed, s.total.rate]);
  const sum = (k) => yuan(t.children.reduce((x, c) => x + fen(c[k]), 0));
  assert.deepEqual([t.total.due, t.total.paid, t.total.owed], [sum('due'), sum('paid'), sum('owed')]);
  assert.equal(t.members.length, 0, 'the town lists its own members only');
});

test('bulk entry: every ticked member paid that month, in one save', async () => {
  const month = '2025-10';
  const ids = [];
  for (const i of [0, 1, 2]) {
    const m = await mkMember(A, `一键${i}`);
    await setBase(adm, m, 'salary', String(3000 + i * 1000), '2025-01');
    ids.push(m);
  }
  const r = await branchUser.post(`/api/v1/orgs/${A}/dues/bulk`, { month, paid_on: '2025-10-20', method: 'cash', member_ids: ids.slice(0, 2) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.recorded, 2);
  const rows = Object.fromEntries(r.body.members.map((x) => [x.member_id, x]));
  assert.deepEqual([rows[ids[0]].paid, rows[ids[0]].owed], ['15.00', '0.00']);
  assert.deepEqual([rows[ids[1]].paid, rows[ids[1]].owed], ['40.00', '0.00']);
  assert.deepEqual([rows[ids[2]].paid, rows[ids[2]].owed], ['0.00', '50.00']);
  const again = await branchUser.post(`/api/v1/orgs/${A}/dues/bulk`, { month, paid_on: '2025-10-20', method: 'cash', member_ids: ids });
  assert.equal(again.body.recorded, 1, 'paid members are not charged twice');
  // a member of another branch is not of this sheet
  const other = await mkMember(B, '别支部');
  await setBase(adm, other, 'salary', '3000', '2025-01');
  const x = await adm.post(`/api/v1/orgs/${A}/dues/bulk`, { month, paid_on: '2025-10-20', method: 'cash', member_ids: [other] });
  assert.equal(x.status, 404);
  assert.equal(x.body.error.field, 'member_ids');
});

test('the 党费收缴 report is an xlsx workbook', async () => {
  const r = await adm.get(`/api/v1/orgs/${town}/dues/report?month=2025-09`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
  assert.match(decodeURIComponent(r.headers.get('content-disposition')), /党费收缴2025-09\.xlsx/);
});

test('arrears feed the 自行脱党 risk list, named in the reasons', async () => {
  const last = ymAdd(thisYm(), -1);
  const m = await mkMember(A, '欠费辛');
  await setBase(adm, m, 'salary', '3000', ymText(ymAdd(last, -4)));
  let list = (await adm.get(`/api/v1/orgs/${A}/risks?limit=200`)).body;
  let it = list.items.find((x) => x.member_id === m);
  assert.ok(it, JSON.stringify(list.items.map((x) => x.name)));
  assert.equal(it.months, 5);
  assert.equal(it.dues_months, 5);
  assert.equal(it.life_months, 0);
  assert.equal(it.level, 5);
  assert.equal(it.dues_since, ymText(ymAdd(last, -4)));
  assert.deepEqual(it.reasons, ['连续 5 个月未交纳党费']);
  // a month paid ends the run
  const p = await adm.post('/api/v1/dues/payments', { member_id: m, months: [ymText(last)], amount: '15.00', paid_on: today(), method: 'cash' });
  assert.equal(p.status, 201);
  list = (await adm.get(`/api/v1/orgs/${A}/risks?limit=200`)).body;
  assert.equal(list.items.find((x) => x.member_id === m), undefined);
  // reversed, it counts again
  await adm.post(`/api/v1/dues/payments/${p.body.id}/reverse`, { reason: '退回' });
  list = (await adm.get(`/api/v1/orgs/${A}/risks?limit=200`)).body;
  it = list.items.find((x) => x.member_id === m);
  assert.equal(it?.dues_months, 5);
  // an exemption passes the months over
  const red = await adm.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'exempt', from: ymText(ymAdd(last, -2)), to: ymText(last), reason: '困难', decided_on: today() });
  await adm.post(`/api/v1/dues/reductions/${red.body.id}/decision`, { approve: true });
  list = (await adm.get(`/api/v1/orgs/${A}/risks?limit=200`)).body;
  assert.equal(list.items.find((x) => x.member_id === m), undefined, 'two months left, below the first level');
});

test('a member reads their own dues on 我的', async () => {
  const m = await mkMember(A, '本人壬');
  await setBase(adm, m, 'pension', '5000.01', '2025-01');
  const r = cli(['user', 'add', 'dues_self', '--db', srv.db, '--role', 'member', '--org', String(A), '--member', String(m)], { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  const me = await loginAs(srv, 'dues_self');
  const d = await me.get('/api/v1/me/dues?year=2025');
  assert.equal(d.status, 200, JSON.stringify(d.body));
  assert.equal(d.body.member_id, m);
  assert.equal(d.body.months[0].due, '50.00');
  assert.equal((await me.get(`/api/v1/members/${m}/dues?year=2025`)).status, 403);
});

test('every route is scoped by the org subtree', async () => {
  const m = await mkMember(A, '范围癸');
  await setBase(adm, m, 'salary', '3000', '2025-01');
  const p = (await adm.post('/api/v1/dues/payments', { member_id: m, months: ['2025-01'], amount: '15.00', paid_on: '2025-02-01', method: 'cash' })).body;
  const red = (await adm.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'exempt', from: '2025-03', to: '2025-03', reason: 'x', decided_on: '2025-03-01' })).body;
  const calls = [
    () => otherUser.put(`/api/v1/members/${m}/dues-base`, { kind: 'salary', amount: '1', from: '2025-01' }),
    () => otherUser.get(`/api/v1/members/${m}/dues?year=2025`),
    () => otherUser.post('/api/v1/dues/payments', { member_id: m, months: ['2025-02'], amount: '15.00', paid_on: '2025-03-01', method: 'cash' }),
    () => otherUser.post(`/api/v1/dues/payments/${p.id}/reverse`, { reason: 'x' }),
    () => otherUser.post(`/api/v1/members/${m}/dues-reductions`, { kind: 'exempt', from: '2025-03', to: '2025-03', reason: 'x', decided_on: '2025-03-01' }),
    () => otherUser.post(`/api/v1/dues/reductions/${red.id}/decision`, { approve: true }),
    () => otherUser.get(`/api/v1/orgs/${A}/dues?month=2025-01`),
    () => otherUser.post(`/api/v1/orgs/${A}/dues/bulk`, { month: '2025-02', paid_on: '2025-03-01', method: 'cash', member_ids: [m] }),
    () => otherUser.get(`/api/v1/orgs/${A}/dues/report?month=2025-01`),
    // a branch user reaches the other branch neither
    () => branchUser.get(`/api/v1/orgs/${B}/dues?month=2025-01`),
  ];
  for (const [i, c] of calls.entries()) {
    const r = await c();
    assert.equal(r.status, 404, `call ${i}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  // the same reads from inside pass
  assert.equal((await branchUser.get(`/api/v1/members/${m}/dues?year=2025`)).status, 200);
  assert.equal((await branchUser.get(`/api/v1/orgs/${A}/dues?month=2025-01`)).status, 200);
});
