// Issue 3, org-structure half: the org tree over HTTP — create/get/patch
// with field errors, committees and terms with 换届 status, moving and
// dissolving subtrees, structure warnings on a crafted tree, coverage,
// statistics against a direct recount, dated rule sets, scoping on every
// new route, and the demo generator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, admin, addUser, loginAs, cli, Client, ADMIN_PASSWORD } from './lib.mjs';

let srv, adm, A, B, A1, A2, B1, ta, pw, aud;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(birth, seq, gender, region = '990102') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}
let seqNo = 1;
function today(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}
function addYears(date, y) {
  return String(Number(date.slice(0, 4)) + y) + date.slice(4);
}
function addDays(date, d) {
  const t = new Date(`${date}T00:00:00Z`).getTime() + d * 86400e3;
  return new Date(t).toISOString().slice(0, 10);
}

async function mkOrg(parent, name, type, extra = {}, c = adm) {
  const r = await c.post('/api/v1/orgs', { parent_id: parent, name, type, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function mkMember(org, { category = 'full', gender = 'M', birth = '1975-03-04', status } = {}) {
  seqNo += 2;
  const joined = addYears(birth, 22);
  const body = {
    org_id: org,
    name: `测试${seqNo}`,
    id_number: makeId(birth, seqNo, gender),
    join_date: joined,
    category,
    ...(category === 'full' ? { full_date: addYears(joined, 1) } : { join_date: today(-60) }),
    ethnicity: seqNo % 5 ? '汉族' : '回族',
    education: seqNo % 3 ? '大学本科' : '高中',
    ...(status ? { status } : {}),
  };
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function allMembers(c, org) {
  return allPages(c, `/api/v1/members?org=${org}`);
}

/** Every item of a paged list. */
async function allPages(c, url) {
  const items = [];
  let after;
  for (;;) {
    const r = await c.get(`${url}&limit=200${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    if (!r.body.next) break;
    after = r.body.next;
  }
  return items;
}

async function warnings(c, org) {
  const r = await c.get(`/api/v1/orgs/${org}/warnings`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  A = await mkOrg(1, '甲镇党委', 'committee', { domain: 'rural', code: 'TA' });
  B = await mkOrg(1, '乙镇党委', 'committee', { domain: 'rural', code: 'TB' });
  A1 = await mkOrg(A, '东村党支部', 'branch', { domain: 'rural' });
  A2 = await mkOrg(A, '西村党支部', 'branch', { domain: 'rural' });
  B1 = await mkOrg(B, '南村党支部', 'branch', { domain: 'rural' });
  addUser(srv, 'ta', 'org_admin', A);
  addUser(srv, 'pw', 'party_worker', A1);
  addUser(srv, 'aud', 'audit_admin', 1);
  ta = await loginAs(srv, 'ta');
  pw = await loginAs(srv, 'pw');
  aud = await loginAs(srv, 'aud');
});

after(async () => {
  await srv?.stop();
});

test('create, get, children and patch with field errors', async () => {
  let r = await adm.post('/api/v1/orgs', { parent_id: A, type: 'branch' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'name');
  r = await adm.post('/api/v1/orgs', { parent_id: A, name: 'x', type: '大队' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'type');
  r = await adm.post('/api/v1/orgs', { parent_id: 999999, name: 'x', type: 'branch' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'parent_id');
  r = await adm.post('/api/v1/orgs', { parent_id: A, name: 'x', type: 'branch', code: 'TA' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'code');
  r = await adm.patch(`/api/v1/orgs/${A2}`, { domain: '火星' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'domain');
  r = await adm.patch(`/api/v1/orgs/${A2}`, { founded_on: '2023-02-30' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'founded_on');
  r = await adm.patch(`/api/v1/orgs/${A2}`, { short_name: '西村', domain: '农村' });
  assert.equal(r.status, 200);
  assert.equal(r.body.short_name, '西村');
  assert.equal(r.body.domain, 'rural');

  r = await adm.get(`/api/v1/orgs/${A1}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.type_name, '党支部');
  assert.equal(r.body.member_count, 0);
  assert.deepEqual(r.body.committee, []);
  assert.equal(r.body.term, null);
  r = await adm.get(`/api/v1/orgs/${A}/children`);
  assert.deepEqual(r.body.items.map((o) => o.id).sort(), [A1, A2].sort());
  // stats count orgs by type, kept by the roll-ups on create and edit
  r = await adm.get(`/api/v1/orgs/${A}/stats`);
  assert.equal(r.body.orgs.by_type.branch, 2);
  assert.equal(r.body.orgs.by_type.committee, 1);
  r = await adm.patch(`/api/v1/orgs/${A2}`, { type: 'joint_branch' });
  assert.equal(r.status, 200);
  r = await adm.get(`/api/v1/orgs/${A}/stats`);
  assert.equal(r.body.orgs.by_type.branch, 1);
  assert.equal(r.body.orgs.by_type.joint_branch, 1);
  await adm.patch(`/api/v1/orgs/${A2}`, { type: 'branch' });
});

test('committee posts and terms with 换届 status', async () => {
  const org = await mkOrg(B, '北村党支部', 'branch', { domain: 'rural' });
  const m1 = await mkMember(org), m2 = await mkMember(org), other = await mkMember(A1);
  let r = await adm.post(`/api/v1/orgs/${org}/committee`, { member_id: m1, post: '村长', started_on: '2022-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'post');
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { member_id: other, post: 'secretary', started_on: '2022-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'member_id');
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { member_id: m1, post: 'secretary', started_on: today(3) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'started_on');
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { post: 'secretary', started_on: '2022-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'member_id');
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { member_id: m1, post: '书记', started_on: '2022-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.post, 'secretary');
  assert.match(r.body.person_name, /^测试/);
  const sec = r.body.id;
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { member_id: m2, post: 'secretary', started_on: '2022-01-01' });
  assert.equal(r.status, 409);
  r = await adm.post(`/api/v1/orgs/${org}/committee`, { person_name: '上级选派', post: 'deputy_secretary', started_on: '2022-01-01' });
  assert.equal(r.status, 201);
  const dep = r.body.id;
  // the secretary leaves: the branch now warns it has none
  r = await adm.patch(`/api/v1/committee/${sec}`, { ended_on: '2021-12-31' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'ended_on');
  r = await adm.patch(`/api/v1/committee/${sec}`, { ended_on: today() });
  assert.equal(r.status, 200);
  let w = await warnings(adm, org);
  assert.ok(w.items.some((x) => x.org_id === org && x.kind === 'no_secretary'));
  r = await adm.get(`/api/v1/orgs/${org}/committee?all=1`);
  assert.equal(r.body.items.length, 2);
  r = await adm.get(`/api/v1/orgs/${org}`);
  assert.deepEqual(r.body.committee.map((p) => p.id), [dep]);
  r = await adm.del(`/api/v1/committee/${dep}`);
  assert.equal(r.status, 200);
  r = await adm.get(`/api/v1/orgs/${org}/committee`);
  assert.equal(r.body.items.length, 0);

  // terms: years from the rule (village branch: 5 years since 2018)
  r = await adm.post(`/api/v1/orgs/${org}/terms`, { started_on: '2019-03-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.current.years, 5);
  assert.equal(r.body.current.ends_on, '2024-03-01');
  // explicit years (a village branch's: 5), and the status in each window
  // (each newer term becomes the current one)
  const cases = [
    [addDays(addYears(today(), -5), -10), 'overdue', 'term_overdue'],
    [addDays(addYears(today(), -5), 20), 'due_1m', 'term_due_1m'],
    [addDays(addYears(today(), -5), 100), 'due_6m', 'term_due_6m'],
    [addDays(addYears(today(), -5), 200), 'ok', null],
  ];
  for (const [started, status, kind] of cases) {
    r = await adm.post(`/api/v1/orgs/${org}/terms`, { started_on: started, years: 5, elected_how: 'election' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    r = await adm.get(`/api/v1/orgs/${org}`);
    assert.equal(r.body.term.started_on, started);
    assert.equal(r.body.term.status, status, started);
    w = await warnings(adm, org);
    const tw = w.items.filter((x) => x.org_id === org && x.kind.startsWith('term_'));
    assert.deepEqual(tw.map((x) => x.kind), kind ? [kind] : []);
    if (kind === 'term_overdue') assert.match(tw[0].message, /逾期 10 天/);
    // the statistics count the same term status from the roll-ups
    r = await adm.get(`/api/v1/orgs/${B}/stats`);
    for (const k of ['term_overdue', 'term_due_1m', 'term_due_6m'])
      assert.equal(r.body.warnings.by_kind[k], k === kind ? 1 : undefined, k);
  }
  r = await adm.get(`/api/v1/orgs/${org}/terms`);
  assert.equal(r.body.items.length, 5);
  assert.equal(r.body.items[0].status, 'ok');
  // a delayed end beyond the 12 months the rule allows
  r = await adm.post(`/api/v1/orgs/${org}/terms`, { started_on: '2023-01-01', years: 5, ends_on: '2029-06-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'ends_on');
  r = await adm.post(`/api/v1/orgs/${org}/terms`, { started_on: '2023-01-01', elected_how: '抽签' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'elected_how');
});

test('move a subtree: paths, members and counts follow', async () => {
  const sub = await mkOrg(A1, '第一党小组', 'group');
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await mkMember(A1, { gender: i % 2 ? 'F' : 'M' }));
  const before = (await adm.get(`/api/v1/orgs/${A}`)).body.member_count;
  const beforeB = (await adm.get(`/api/v1/orgs/${B}`)).body.member_count;
  let r = await adm.post(`/api/v1/orgs/${A}/move`, { parent_id: A1 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'parent_id');
  r = await adm.post(`/api/v1/orgs/${A}/move`, { parent_id: A });
  assert.equal(r.status, 400);
  // ta may not move into a township outside its scope
  r = await ta.post(`/api/v1/orgs/${A1}/move`, { parent_id: B });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'parent_id');
  r = await adm.post(`/api/v1/orgs/${A1}/move`, { parent_id: B });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.parent_id, B);
  assert.ok(r.body.path.startsWith((await adm.get(`/api/v1/orgs/${B}`)).body.path));
  r = await adm.get(`/api/v1/orgs/${sub}`);
  assert.equal(r.body.depth, 3);
  assert.ok(r.body.path.includes(`/${A1}/`));
  const moved = (await adm.get(`/api/v1/orgs/${A1}`)).body.member_count;
  assert.equal((await adm.get(`/api/v1/orgs/${A}`)).body.member_count, before - moved);
  assert.equal((await adm.get(`/api/v1/orgs/${B}`)).body.member_count, beforeB + moved);
  // the members are listed under the new township, no longer under the old
  const underB = await allMembers(adm, B);
  for (const id of ids) assert.ok(underB.some((m) => m.id === id));
  const underA = await allMembers(adm, A);
  for (const id of ids) assert.ok(!underA.some((m) => m.id === id));
  // ta no longer sees A1 at all
  r = await ta.get(`/api/v1/orgs/${A1}`);
  assert.equal(r.status, 404);
  // the audit trail has the move
  r = await aud.get('/api/v1/audit?action=org.move');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.some((x) => x.object_id === String(A1)));
  // and back
  r = await adm.post(`/api/v1/orgs/${A1}/move`, { parent_id: A });
  assert.equal(r.status, 200);
  assert.equal((await adm.get(`/api/v1/orgs/${A}`)).body.member_count, before);
  const c = cli(['check', '--db', srv.db], srv.env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
});

test('dissolve: only empty orgs, then read-only with history', async () => {
  const t = await mkOrg(B, '丙村党总支', 'general_branch');
  const b = await mkOrg(t, '丙村第一党支部', 'branch');
  const m = await mkMember(b);
  let r = await adm.post(`/api/v1/orgs/${b}/dissolve`, { reason: '合并' });
  assert.equal(r.status, 409);
  r = await adm.post(`/api/v1/orgs/${t}/dissolve`, { reason: '合并' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /党员/);
  r = await adm.post(`/api/v1/orgs/${b}/dissolve`, {});
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  // move the member away, then dissolve bottom-up
  r = await adm.patch(`/api/v1/members/${m}`, { org_id: B1, reason: '支部合并' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.post(`/api/v1/orgs/${t}/dissolve`, { reason: '合并' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /1 个未撤销的下级组织/);
  r = await adm.post(`/api/v1/orgs/${b}/dissolve`, { reason: '并入南村党支部', dissolved_on: today(5) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'dissolved_on');
  r = await adm.post(`/api/v1/orgs/${b}/dissolve`, { reason: '并入南村党支部' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.dissolved_on, today());
  r = await adm.post(`/api/v1/orgs/${t}/dissolve`, { reason: '撤并' });
  assert.equal(r.status, 200);
  // kept, read-only
  r = await adm.get(`/api/v1/orgs/${b}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.dissolved_on, today());
  r = await adm.patch(`/api/v1/orgs/${b}`, { name: '新名' });
  assert.equal(r.status, 409);
  r = await adm.post(`/api/v1/orgs/${b}/committee`, { person_name: 'x', post: 'secretary', started_on: '2020-01-01' });
  assert.equal(r.status, 409);
  r = await adm.post(`/api/v1/orgs/${b}/dissolve`, { reason: '再撤' });
  assert.equal(r.status, 409);
  r = await adm.post('/api/v1/orgs', { parent_id: t, name: 'x', type: 'branch' });
  assert.equal(r.status, 409);
  // dissolved orgs leave the org counts
  r = await adm.get(`/api/v1/orgs/${B}/stats`);
  assert.equal(r.body.orgs.by_type.general_branch ?? 0, 0);
});

test('structure warnings on a crafted tree, counted the same in stats', async () => {
  const T = await mkOrg(1, '丁镇党委', 'committee', { domain: 'rural' });
  const big = await mkOrg(T, '大村党支部', 'branch', { domain: 'rural' });
  const seven = await mkOrg(T, '七人党支部', 'branch', { domain: 'rural' });
  const direct = await mkOrg(T, '镇属企业党委', 'committee', { domain: 'soe' });
  for (let i = 0; i < 50; i++) await mkMember(big, { gender: i % 3 ? 'M' : 'F' });
  for (let i = 0; i < 6; i++) await mkMember(seven);
  await mkMember(seven, { category: 'probationary', birth: '1999-01-01' });
  let w = await warnings(adm, T);
  assert.ok(!w.items.some((x) => x.org_id === big && x.kind === 'over_max'));
  assert.ok(!w.items.some((x) => x.org_id === seven && x.kind === 'no_committee'));
  await mkMember(big);
  await mkMember(seven);
  w = await warnings(adm, T);
  const over = w.items.find((x) => x.org_id === big && x.kind === 'over_max');
  assert.ok(over, JSON.stringify(w.items));
  assert.equal(over.level, 'warn');
  assert.match(over.message, /党员 51 名，超过每个党支部一般不超过 50 名的规定（支部工作条例第四条/);
  const nc = w.items.find((x) => x.org_id === seven && x.kind === 'no_committee');
  assert.ok(nc);
  assert.match(nc.message, /正式党员 7 名/);
  assert.ok(w.items.some((x) => x.org_id === seven && x.kind === 'no_secretary'));
  // a unit with 3 full members and no branch of its own
  let r = await adm.post('/api/v1/units', { org_id: T, name: '丁镇某公司', kind: 'enterprise', party_members: 3, full_members: 3, coverage: 'attached', covering_org_id: direct });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // members directly under a 党委 with no branch
  await adm.patch(`/api/v1/orgs/${direct}`, { type: 'branch' });
  for (let i = 0; i < 3; i++) await mkMember(direct);
  await adm.patch(`/api/v1/orgs/${direct}`, { type: 'committee' });
  w = await warnings(adm, T);
  assert.ok(w.items.some((x) => x.kind === 'unit_no_branch' && /丁镇某公司/.test(x.message)));
  assert.ok(w.items.some((x) => x.org_id === direct && x.kind === 'no_branch' && x.level === 'error'));
  r = await adm.get(`/api/v1/orgs/${T}/warnings?level=error`);
  assert.ok(r.body.items.every((x) => x.level === 'error'));
  r = await adm.get(`/api/v1/orgs/${T}/warnings?limit=2`);
  assert.equal(r.body.items.length, 2);
  assert.equal(r.body.total, w.items.length);
  assert.equal(r.body.truncated, true);
  r = await adm.get(`/api/v1/orgs/${T}/warnings?level=bad`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'level');
  // stats count the same warnings from the roll-ups (all but no_lecture,
  // which rests on meeting records and is listed for the day only)
  const byKind = {};
  for (const x of w.items) if (x.kind !== 'no_lecture') byKind[x.kind] = (byKind[x.kind] || 0) + 1;
  r = await adm.get(`/api/v1/orgs/${T}/stats`);
  assert.deepEqual(r.body.warnings.by_kind, byKind);
  assert.equal(r.body.warnings.total, w.items.filter((x) => x.kind !== 'no_lecture').length);
  assert.equal(r.body.warnings.error, w.counts.error);
  // a committee settles no_committee
  const ms = (await allMembers(adm, seven)).filter((m) => m.category === 'full').map((m) => m.id);
  for (const [i, post] of ['secretary', 'organization', 'propaganda'].entries()) {
    r = await adm.post(`/api/v1/orgs/${seven}/committee`, { member_id: ms[i], post, started_on: '2023-05-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  w = await warnings(adm, T);
  assert.ok(!w.items.some((x) => x.org_id === seven && x.kind !== 'no_lecture'));
  const byKind2 = {};
  for (const x of w.items) if (x.kind !== 'no_lecture') byKind2[x.kind] = (byKind2[x.kind] || 0) + 1;
  r = await adm.get(`/api/v1/orgs/${T}/stats`);
  assert.deepEqual(r.body.warnings.by_kind, byKind2);
  assert.equal(byKind2.no_committee, byKind.no_committee - 1);
});

test('coverage rates per subtree and unit kind', async () => {
  const T = await mkOrg(1, '戊镇党委', 'committee', { domain: 'rural' });
  const f1 = await mkOrg(T, '甲公司党支部', 'branch', { domain: 'private' });
  const J = await mkOrg(T, '戊镇联合党支部', 'joint_branch', { domain: 'private' });
  const unit = (body) => adm.post('/api/v1/units', { org_id: T, kind: 'enterprise', ...body });
  let r = await unit({ name: '甲公司', coverage: 'single', covering_org_id: f1, staff_count: 120, party_members: 8, full_members: 7 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.coverage_name, '单独建');
  r = await unit({ name: '乙公司', coverage: 'joint', covering_org_id: J, party_members: 2, full_members: 2 });
  assert.equal(r.status, 201);
  r = await unit({ name: '丙公司', coverage: 'joint', covering_org_id: f1 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'covering_org_id');
  r = await unit({ name: '丙公司', coverage: 'attached', covering_org_id: T, party_members: 1, full_members: 1 });
  assert.equal(r.status, 201);
  r = await unit({ name: '丁公司', coverage: 'none' });
  assert.equal(r.status, 201);
  const ding = r.body.id;
  r = await unit({ name: '戊协会', kind: 'social_org', coverage: 'none', full_members: 2, party_members: 1 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'full_members');
  r = await unit({ name: '戊协会', kind: '社会组织', coverage: '未覆盖' });
  assert.equal(r.status, 201);
  r = await unit({ name: 'x', kind: 'factory' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'kind');
  r = await adm.get(`/api/v1/orgs/${T}/coverage`);
  assert.equal(r.status, 200);
  const s = r.body.subtree;
  assert.equal(s.total, 5);
  assert.equal(s.covered, 3);
  assert.equal(s.rate, 60);
  assert.equal(s.by_kind.enterprise.total, 4);
  assert.equal(s.by_kind.enterprise.rate, 75);
  assert.equal(s.by_kind.enterprise.by_mode.joint, 1);
  assert.equal(s.by_kind.social_org.rate, 0);
  assert.equal(s.by_kind.other.rate, null);
  // covering 丁公司 raises the rate; the parent's subtree counts it too
  r = await adm.patch(`/api/v1/units/${ding}`, { coverage: 'joint', covering_org_id: J });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.get(`/api/v1/orgs/${T}/coverage`);
  assert.equal(r.body.subtree.rate, 80);
  r = await adm.get('/api/v1/orgs/1/coverage');
  assert.ok(r.body.children.some((c) => c.org_id === T && c.coverage.rate === 80));
  r = await adm.get(`/api/v1/units?org=${T}&coverage=none`);
  assert.deepEqual(r.body.items.map((u) => u.name), ['戊协会']);
  r = await adm.get(`/api/v1/orgs/${T}/stats`);
  assert.equal(r.body.coverage.rate, 80);
});

test('statistics equal a direct recount of the roster', async () => {
  await mkMember(A2, { gender: 'F', birth: '1960-01-01' });
  await mkMember(A2, { gender: 'F', birth: '1992-05-05', status: 'mobile' });
  await mkMember(A2, { category: 'probationary', birth: '2001-02-03' });
  const gone = await mkMember(A2, { birth: '1940-02-03' });
  let r = await adm.patch(`/api/v1/members/${gone}`, { status: 'deceased', reason: '病故' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  for (const org of [1, A, A2]) {
    const ms = await allMembers(adm, org);
    r = await adm.get(`/api/v1/orgs/${org}/stats`);
    assert.equal(r.status, 200);
    const st = r.body.members;
    const onRoll = ms.filter((m) => m.status !== 'removed' && m.status !== 'deceased');
    assert.equal(st.total, onRoll.length);
    assert.equal(st.category.full, onRoll.filter((m) => m.category === 'full').length);
    assert.equal(st.category.probationary, onRoll.filter((m) => m.category === 'probationary').length);
    assert.equal(st.gender.F, onRoll.filter((m) => m.gender === 'F').length);
    assert.equal(st.status.deceased, ms.filter((m) => m.status === 'deceased').length);
    assert.equal(st.status.mobile, ms.filter((m) => m.status === 'mobile').length);
    assert.equal(st.ethnicity.minority, onRoll.filter((m) => m.ethnicity !== '汉族').length);
    const year = Number(today().slice(0, 4));
    const band = (age) => (age <= 30 ? 0 : age <= 40 ? 1 : age <= 50 ? 2 : age <= 60 ? 3 : age <= 70 ? 4 : 5);
    const bands = [0, 0, 0, 0, 0, 0];
    for (const m of onRoll) bands[band(year - Number(m.birth_date.slice(0, 4)))]++;
    assert.deepEqual(st.age_bands.slice(0, 6).map((b) => b.n), bands);
    const edu = {};
    for (const m of onRoll) edu[m.education] = (edu[m.education] || 0) + 1;
    assert.deepEqual(Object.fromEntries(st.education.map((x) => [x.name, x.n])), edu);
  }
  const c = cli(['check', '--db', srv.db], srv.env);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  assert.match(c.stdout, /一致/);
});

test('dated rule sets: read, add locally, validated and audited', async () => {
  let r = await adm.get(`/api/v1/rules?kind=terms&org=${A1}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.effective.national, true);
  assert.equal(r.body.effective.data.domain_years.rural, 5);
  assert.equal(r.body.history.length, 2);
  r = await adm.get(`/api/v1/rules?kind=terms&org=${A1}&date=2010-01-01`);
  assert.equal(r.body.effective.data.years.branch, 2);
  r = await ta.post('/api/v1/rules', { kind: 'terms', org_id: A, effective_from: '2020-01-01', data: { remind_months: [1, 6] } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'data');
  r = await ta.post('/api/v1/rules', { kind: 'weather', org_id: A, effective_from: '2020-01-01', data: {} });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'kind');
  r = await ta.post('/api/v1/rules', { kind: 'org_structure', org_id: A, effective_from: '2020-01-01', name: '甲镇', data: { branch_max_members: 30 } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.data.branch_min_full, 3);
  r = await adm.get(`/api/v1/rules?kind=org_structure&org=${A1}`);
  assert.equal(r.body.effective.org_id, A);
  assert.equal(r.body.effective.data.branch_max_members, 30);
  r = await adm.get(`/api/v1/rules?kind=org_structure&org=${B1}`);
  assert.equal(r.body.effective.national, true);
  // the local limit applies at once to warnings below A
  const t = await mkOrg(A, '三十人党支部', 'branch');
  for (let i = 0; i < 31; i++) await mkMember(t);
  const w = await warnings(adm, A);
  assert.ok(w.items.some((x) => x.org_id === t && x.kind === 'over_max' && /31 名，超过每个党支部一般不超过 30 名/.test(x.message)));
  // a party worker holds org.write nowhere: a plain 403
  r = await pw.post('/api/v1/rules', { kind: 'org_structure', org_id: A1, effective_from: '2021-01-01', data: {} });
  assert.equal(r.status, 403, JSON.stringify(r.body));
  r = await ta.post('/api/v1/rules', { kind: 'org_structure', org_id: B, effective_from: '2021-01-01', data: {} });
  assert.equal(r.status, 404);
  r = await aud.get('/api/v1/audit?action=rules.add');
  assert.ok(r.body.items.some((x) => x.username === 'ta'));
});

test('scoping on every new route', async () => {
  const bsec = await mkMember(B1);
  let r = await adm.post(`/api/v1/orgs/${B1}/committee`, { member_id: bsec, post: 'secretary', started_on: '2021-01-01' });
  assert.equal(r.status, 201);
  const bpost = r.body.id;
  r = await adm.post('/api/v1/units', { org_id: B, name: '乙镇某厂', kind: 'enterprise', coverage: 'none' });
  const bunit = r.body.id;
  r = await adm.post('/api/v1/alliances', { org_id: B, name: '乙镇联合体', member_org_ids: [B1] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const ball = r.body.id;
  r = await ta.post('/api/v1/alliances', { org_id: A, name: '甲镇联合体', member_org_ids: [A1, B1] });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'member_org_ids');
  r = await ta.post('/api/v1/alliances', { org_id: A, name: '甲镇联合体', member_org_ids: [A1, A2] });
  assert.equal(r.status, 201);
  assert.equal(r.body.members.length, 3);
  const aall = r.body.id;

  // township A's admin sees nothing of township B
  for (const path of [`/api/v1/orgs/${B}/stats`, `/api/v1/orgs/${B}/warnings`, `/api/v1/orgs/${B}/coverage`,
    `/api/v1/orgs/${B}/committee`, `/api/v1/orgs/${B1}/terms`, `/api/v1/units?org=${B}`, `/api/v1/units/${bunit}`,
    `/api/v1/rules?kind=terms&org=${B}`, `/api/v1/alliances/${ball}`]) {
    r = await ta.get(path);
    assert.equal(r.status, 404, path);
  }
  for (const [m, path, body] of [['PATCH', `/api/v1/committee/${bpost}`, { notes: 'x' }], ['DELETE', `/api/v1/committee/${bpost}`],
    ['PATCH', `/api/v1/units/${bunit}`, { name: 'x' }], ['POST', `/api/v1/orgs/${B1}/committee`, { person_name: 'x', post: 'member', started_on: '2020-01-01' }],
    ['POST', `/api/v1/orgs/${B1}/terms`, { started_on: '2020-01-01' }], ['POST', `/api/v1/orgs/${B1}/move`, { parent_id: A }],
    ['POST', `/api/v1/orgs/${B1}/dissolve`, { reason: 'x' }], ['POST', '/api/v1/units', { org_id: B, name: 'x', kind: 'other' }],
    ['POST', `/api/v1/alliances/${ball}/members`, { org_id: A1 }], ['DELETE', `/api/v1/alliances/${ball}/members/${B1}`]]) {
    r = await ta.req(m, path, body);
    assert.equal(r.status, 404, `${m} ${path}`);
  }
  // relocating a unit out of scope, or covering it from outside
  r = await ta.post('/api/v1/units', { org_id: A, name: '甲镇某厂', kind: 'enterprise', coverage: 'attached', covering_org_id: B });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'covering_org_id');
  r = await ta.get('/api/v1/alliances');
  assert.deepEqual(r.body.items.map((x) => x.id), [aall]);
  r = await ta.get(`/api/v1/orgs/${A}/stats`);
  assert.equal(r.status, 200);

  // a party worker reads but does not write orgs
  r = await pw.get(`/api/v1/orgs/${A1}/committee`);
  assert.equal(r.status, 200);
  r = await pw.get(`/api/v1/orgs/${A1}/stats`);
  assert.equal(r.status, 200);
  r = await pw.get(`/api/v1/orgs/${A}/stats`);
  assert.equal(r.status, 404);
  for (const [m, path, body] of [['POST', '/api/v1/orgs', { parent_id: A1, name: 'x', type: 'group' }],
    ['PATCH', `/api/v1/orgs/${A1}`, { name: 'x' }], ['POST', `/api/v1/orgs/${A1}/committee`, { person_name: 'x', post: 'member', started_on: '2020-01-01' }],
    ['POST', `/api/v1/orgs/${A1}/terms`, { started_on: '2020-01-01' }], ['POST', `/api/v1/orgs/${A1}/dissolve`, { reason: 'x' }],
    ['POST', `/api/v1/orgs/${A1}/move`, { parent_id: A }], ['POST', '/api/v1/units', { org_id: A1, name: 'x', kind: 'other' }]]) {
    r = await pw.req(m, path, body);
    assert.ok(r.status === 404 || r.status === 403, `${m} ${path}: ${r.status}`);
  }
  // removing an alliance member in scope works
  r = await ta.del(`/api/v1/alliances/${aall}/members/${A2}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.members.length, 2);
});

test('demo: deterministic for a seed, with warnings and accounts', async () => {
  const d1 = await startServer({ demo: 2000 });
  const d2 = await startServer({ demo: 2000 });
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-demo-'));
  try {
    const a1 = await admin(d1), a2 = await admin(d2);
    const m1 = await allMembers(a1, 1), m2 = await allMembers(a2, 1);
    // the 发展党员 pipeline puts its 预备党员 on the roster (step 19)
    let recruits = 0;
    for (const x of await allPages(a1, '/api/v1/applicants?org=1')) {
      if (x.stage === 'probationary' || x.stage === 'full') recruits += (await a1.get(`/api/v1/applicants/${x.id}`)).body.member_id ? 1 : 0;
    }
    assert.ok(recruits > 0);
    assert.equal(m1.length, 2000 + recruits);
    const key = (m) => `${m.name}|${m.id_number}|${m.birth_date}|${m.gender}|${m.org_id}`;
    assert.deepEqual(m1.map(key), m2.map(key));
    // ID numbers are fictional (region 99xxxx) and match birth date and gender
    for (const m of m1.slice(0, 50)) {
      const r = await a1.get(`/api/v1/members/${m.id}?full=1`);
      const id = r.body.id_number;
      if (id && !id.includes('*')) {
        assert.match(id, /^99/);
        assert.equal(id.slice(6, 14), m.birth_date.replaceAll('-', ''));
        assert.equal(Number(id[16]) % 2 === 1 ? 'M' : 'F', m.gender);
      }
    }
    // another seed gives other people
    const db3 = join(dir, 'z3.db');
    const r3 = cli(['demo', '--db', db3, '--scale', '2000', '--seed', '2', '--quiet'], { ...d1.env, ZHIBU_KEY_FILE: join(dir, 'z3.key') });
    assert.equal(r3.code, 0, r3.stderr);
    assert.equal(r3.stdout, '');
    // the deliberate problems show as warnings
    const w = await warnings(a1, 1);
    const kinds = new Set(w.items.map((x) => x.kind));
    for (const k of ['over_max', 'no_committee', 'no_secretary', 'unit_no_branch', 'term_overdue', 'joint_too_many_units'])
      assert.ok(kinds.has(k), k);
    const st = (await a1.get('/api/v1/orgs/1/stats')).body;
    assert.equal(st.members.total + st.members.status.deceased + st.members.status.removed, 2000 + recruits);
    assert.ok(st.coverage.total > 0 && st.coverage.rate > 50);
    // every member shown as 流动 has the registration behind it, with the
    // paper its dates need (a number where there is one)
    const mob = (await a1.get('/api/v1/orgs/1/mobile-members')).body.items;
    assert.ok(st.members.status.mobile > 0);
    assert.equal(mob.length, st.members.status.mobile);
    assert.equal(new Set(mob.map((x) => x.member_id)).size, mob.length);
    for (const p of ['none', 'certificate', 'activity_card']) assert.ok(mob.some((x) => x.paper === p), p);
    for (const x of mob) {
      assert.equal(x.ended_on, null);
      assert.equal(x.paper === 'none', !x.paper_no, JSON.stringify(x));
      assert.equal(x.paper === 'activity_card', x.no_fixed_place, JSON.stringify(x));
    }
    assert.equal(cli(['check', '--db', d1.db], d1.env).code, 0);
    // demo accounts with the demo password (here ZHIBU_ADMIN_PASSWORD)
    const tw = new Client(d1.url);
    let r = await tw.login('township', ADMIN_PASSWORD);
    assert.equal(r.status, 200);
    r = await tw.get('/api/v1/orgs');
    assert.equal(r.body.items.length, 1);
    assert.match(r.body.items[0].name, /镇|乡/);
    r = await tw.get('/api/v1/orgs/1/stats');
    assert.equal(r.status, 404);
    const mb = new Client(d1.url);
    r = await mb.login('member', ADMIN_PASSWORD);
    assert.equal(r.status, 200);
    r = await mb.get('/api/v1/me/member');
    assert.equal(r.status, 200);
    // running it again on the same database is refused
    const again = cli(['demo', '--db', d1.db, '--scale', '2000'], d1.env);
    assert.notEqual(again.code, 0);
  } finally {
    await d1.stop();
    await d2.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
