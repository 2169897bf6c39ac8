// Compliance and the risk list are stored per branch and per org
// (meeting/cstore.h, migration 0026) and read from the store at a township
// or the root.  Every test here first reads an answer (so it is stored),
// then writes something that changes it — a meeting saved, its type
// changed, attendance, a rule, an org moved or created, a member moved or
// given another status — and checks that the stored answer follows, and
// that it equals what the branches computed on their own add up to (a
// branch's own compliance is always computed from the records).  Answers
// are also kept in memory while nothing changes: names changed show too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin } from './lib.mjs';

let srv, adm, root, T1, T2, A, B, C;
const M = {};
const now = () => Math.floor(Date.now() / 1000);

function chinaDate(t) {
  return new Date(t * 1000 + 8 * 3600e3).toISOString().slice(0, 10);
}
const ymOf = (t) => Number(chinaDate(t).slice(0, 7).replace('-', ''));
function ymAdd(ym, n) {
  const t = Math.floor(ym / 100) * 12 + (ym % 100 - 1) + n;
  return Math.floor(t / 12) * 100 + (t % 12) + 1;
}
function midMonth(ym) {
  return Date.UTC(Math.floor(ym / 100), ym % 100 - 1, 10, 4, 0, 0) / 1000;
}
const YEAR = String(Math.floor(ymOf(now()) / 100));
const MONTH = chinaDate(now()).slice(0, 7);

async function ok(r, status = 200) {
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
async function mkOrg(parent, name, type) {
  return (await ok(await adm.post('/api/v1/orgs', { parent_id: parent, name, type }), 201)).id;
}
async function mkMember(org, name) {
  return (await ok(await adm.post('/api/v1/members',
    { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }), 201)).id;
}
async function meeting(org, type, startAt, present, absent = []) {
  const m = await ok(await adm.post('/api/v1/meetings', { org_id: org, type, start_at: startAt }), 201);
  if (m.locked) await ok(await adm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '测试补录' }));
  const items = present.map((id) => ({ member_id: id, status: 'present' }))
    .concat(absent.map((id) => ({ member_id: id, status: 'absent' })));
  await ok(await adm.put(`/api/v1/meetings/${m.id}/attendance`, { items }));
  return m;
}
const compliance = async (org, period = YEAR) => ok(await adm.get(`/api/v1/orgs/${org}/compliance?period=${period}`));
const theme = (c) => c.types.find((x) => x.type === 'theme_day');
const risks = async (org) => ok(await adm.get(`/api/v1/orgs/${org}/risks`));

/** The org's answer against its branches' own answers, computed now. */
async function sameAsBranches(org, period = YEAR) {
  const c = await compliance(org, period);
  const list = await ok(await adm.get(`/api/v1/orgs/${org}/compliance/branches?period=${period}&status=all&limit=200`));
  assert.equal(list.total, c.branches);
  let required = 0, held = 0, missing = 0, done = 0;
  for (const b of list.items) {
    const own = await compliance(b.org_id, period);
    const sum = (k) => own.items.reduce((s, x) => s + x[k], 0);
    assert.deepEqual([b.required, b.held, b.missing], [sum('required'), sum('held'), sum('missing')], b.org_name);
    required += b.required;
    held += b.held;
    missing += b.missing;
    done += b.state === 'done' ? 1 : 0;
  }
  assert.equal(c.branches_done, done);
  const types = c.types.reduce((s, x) => [s[0] + x.required, s[1] + x.held, s[2] + x.missing], [0, 0, 0]);
  assert.deepEqual(types, [required, held, missing]);
  return c;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '城关镇党委', 'committee');
  T2 = await mkOrg(root, '河口乡党委', 'committee');
  A = await mkOrg(T1, '东街村党支部', 'branch');
  B = await mkOrg(T1, '西街村党支部', 'branch');
  C = await mkOrg(T2, '河口村党支部', 'branch');
  for (const n of ['A1', 'A2', 'A3']) M[n] = await mkMember(A, '东' + n);
  for (const n of ['B1', 'B2']) M[n] = await mkMember(B, '西' + n);
  M.C1 = await mkMember(C, '河' + 'C1');
});

after(async () => { if (srv) await srv.stop(); });

test('a meeting saved, its attendance and its type changed: the stored township and root answers follow', async () => {
  const r0 = await sameAsBranches(root, MONTH);
  const t0 = await compliance(T1, MONTH);
  const m = await meeting(A, 'theme_day', now() - 120, []);
  let r1 = await compliance(root, MONTH);
  assert.equal(theme(r1).held, theme(r0).held, 'nobody present: not held');
  await ok(await adm.put(`/api/v1/meetings/${m.id}/attendance`,
    { items: [M.A1, M.A2].map((id) => ({ member_id: id, status: 'present' })) }));
  r1 = await sameAsBranches(root, MONTH);
  assert.equal(theme(r1).held, theme(r0).held + 1);
  const t1 = await compliance(T1, MONTH);
  assert.equal(theme(t1).held, theme(t0).held + 1);
  const child = (c) => c.orgs.find((o) => o.org_id === T1).items.find((x) => x.type === 'theme_day');
  assert.equal(child(r1).held, child(r0).held + 1, 'the child row of the township too');
  assert.equal(theme(await compliance(T2, MONTH)).held, 0, 'the other township is untouched');
  // the same meeting becomes a 党课: the theme day is no longer held
  await ok(await adm.patch(`/api/v1/meetings/${m.id}`, { type: 'lecture', speaker: '东A1' }));
  const r2 = await sameAsBranches(root, MONTH);
  assert.equal(theme(r2).held, theme(r0).held);
});

test('a rule changed for one township changes what its branches owe, at the township and at the root', async () => {
  const r0 = await sameAsBranches(root);
  const t0 = await compliance(T1);
  assert.equal(theme(t0).required, 24, 'two branches, a theme day every month');
  const r = await adm.post('/api/v1/rules', { kind: 'meeting_freq', org_id: T1, effective_from: '2000-01-01',
    name: '主题党日每季度一次', data: { theme_day: { every_months: 3, min: 1 } } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const t1 = await compliance(T1);
  assert.equal(theme(t1).required, 8);
  const r1 = await sameAsBranches(root);
  assert.equal(theme(r1).required, theme(r0).required - 16);
  assert.equal(theme(await compliance(T2)).required, 12);
});

test('the org tree changes: a branch created, a branch moved to the other township', async () => {
  const r0 = await sameAsBranches(root);
  const D = await mkOrg(T2, '新村党支部', 'branch');
  let r1 = await sameAsBranches(root);
  assert.equal(r1.branches, r0.branches + 1);
  assert.equal((await compliance(T2)).branches, 2);
  await ok(await adm.post(`/api/v1/orgs/${B}/move`, { parent_id: T2 }));
  r1 = await sameAsBranches(root);
  assert.equal(r1.branches, r0.branches + 1);
  const counts = Object.fromEntries(r1.orgs.map((o) => [o.org_id, o.branches]));
  assert.deepEqual(counts, { [T1]: 1, [T2]: 3 });
  assert.equal((await sameAsBranches(T1)).branches, 1);
  assert.equal((await sameAsBranches(T2)).branches, 3);
  // answers are kept in memory while nothing changes: a new name shows at once
  await ok(await adm.patch(`/api/v1/orgs/${T2}`, { name: '河口镇党委' }));
  assert.equal((await compliance(root)).orgs.find((o) => o.org_id === T2).org_name, '河口镇党委');
  // B moves back for the tests that follow; D stays
  await ok(await adm.post(`/api/v1/orgs/${B}/move`, { parent_id: T1 }));
  assert.equal((await sameAsBranches(T1)).branches, 2);
});

test('the risk list follows attendance, a member moved, a status changed and an explanation', async () => {
  const ym = ymOf(now());
  // theme days at A in each of the last four complete months: A3 absent
  const made = [];
  for (let k = 4; k >= 1; k--) made.push(await meeting(A, 'theme_day', midMonth(ymAdd(ym, -k)), [M.A1, M.A2], [M.A3]));
  const ids = async (org) => (await risks(org)).items.map((x) => x.member_id);
  assert.deepEqual(await ids(T1), [M.A3]);
  assert.deepEqual(await ids(root), [M.A3]);
  const scanned = (await risks(root)).scanned;
  assert.deepEqual(await ids(T2), []);
  // present last month: the run ends
  await ok(await adm.put(`/api/v1/meetings/${made[3].id}/attendance`,
    { items: [{ member_id: M.A3, status: 'present' }] }));
  assert.deepEqual(await ids(root), []);
  await ok(await adm.put(`/api/v1/meetings/${made[3].id}/attendance`,
    { items: [{ member_id: M.A3, status: 'absent' }] }));
  assert.deepEqual(await ids(root), [M.A3]);
  assert.equal((await risks(root)).items[0].months, 4);
  // moved to C (the other township): the list of each township follows
  await ok(await adm.patch(`/api/v1/members/${M.A3}`, { org_id: C, reason: '工作调动' }));
  assert.deepEqual(await ids(T1), []);
  assert.deepEqual(await ids(T2), [M.A3]);
  const row = (await risks(root)).items[0];
  assert.equal(row.org_id, C);
  assert.equal((await risks(root)).scanned, scanned, 'the same members are scanned');
  await ok(await adm.patch(`/api/v1/members/${M.A3}`, { name: '东A3改' }));
  assert.equal((await risks(root)).items[0].name, '东A3改');
  // abroad is not among the statuses the risk rule watches
  await ok(await adm.patch(`/api/v1/members/${M.A3}`, { status: 'abroad', reason: '出国' }));
  assert.deepEqual(await ids(root), []);
  assert.equal((await risks(root)).scanned, scanned - 1);
  await ok(await adm.patch(`/api/v1/members/${M.A3}`, { status: 'normal', reason: '回国' }));
  assert.deepEqual(await ids(root), [M.A3]);
  // an explanation covering the months passes them over
  const f = ymAdd(ym, -4), l = ymAdd(ym, -1);
  const d = (x, day) => `${Math.floor(x / 100)}-${String(x % 100).padStart(2, '0')}-${day}`;
  await ok(await adm.post('/api/v1/risks/explanations',
    { member_id: M.A3, reason: '因病住院治疗', from: d(f, '01'), to: d(l, '28') }), 201);
  assert.deepEqual(await ids(root), []);
  // a rule lowering the first threshold is not needed for this; the home
  // screen reads the same store
  const home = await ok(await adm.get(`/api/v1/orgs/${root}/dashboard`));
  assert.equal(home.risks.total, 0);
  assert.equal(home.compliance.branches, (await compliance(root, home.period)).branches);
});
