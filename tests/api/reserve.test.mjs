// Issue 13, 村级后备干部 over HTTP: a village's pool with a member of its
// branch and a villager who is not a member (ID number and phone protected,
// the age shown, the birth date only beside the whole ID number), trainings,
// a 试岗锻炼 period whose assessment waits for its end, a removal kept in the
// history, the young-cadre line at the 35th birthday, the county's view of
// villages without a young reserve cadre, and the scope of every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';

let srv, adm, root, town, townB, V1, V2, VB, G, GB1, V1m, pw, pwB, reader;
const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const TODAY = chinaDay();
// a birth date `years` years before today, moved by `days`
function bornYearsAgo(years, days = 0) {
  const [y, m, d] = TODAY.split('-').map(Number);
  const t = new Date(Date.UTC(y - years, m - 1, d) + days * 86400e3);
  return t.toISOString().slice(0, 10);
}
const idFor = (birth, seq) => withCheck(`110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);

async function mkOrg(parent, name, type, domain) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...(domain ? { domain } : {}) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function add(c, body, status = 201) {
  const r = await c.post('/api/v1/reserve-cadres', { org_id: V1, source: 'graduate', entered_on: '2024-03-01', ...body });
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '后备镇党委', 'committee', 'rural');
  townB = await mkOrg(root, '别的乡党委', 'committee', 'rural');
  V1 = await mkOrg(town, '中共东岭村支部委员会', 'branch', 'rural');
  V2 = await mkOrg(town, '中共西岭村支部委员会', 'branch', 'rural');
  G = await mkOrg(town, '中共南岭村总支部委员会', 'general_branch', 'rural');
  GB1 = await mkOrg(G, '南岭村第一党支部', 'branch', 'rural');
  await mkOrg(town, '后备镇机关党支部', 'branch', 'organ');
  VB = await mkOrg(townB, '中共北岭村支部委员会', 'branch', 'rural');
  const m = await adm.post('/api/v1/members', {
    org_id: V1, name: '党员李青', category: 'full', join_date: '2015-07-01', full_date: '2016-07-01',
    id_number: idFor(bornYearsAgo(30), 11),
  });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  V1m = m.body.id;
  addUser(srv, 'rs_pw', 'party_worker', town);
  addUser(srv, 'rs_pwb', 'party_worker', townB);
  addUser(srv, 'rs_sys', 'sys_admin', town);
  pw = await loginAs(srv, 'rs_pw');
  pwB = await loginAs(srv, 'rs_pwb');
  reader = await loginAs(srv, 'rs_sys');
});

after(async () => { await srv?.stop(); });

test('a member of the village and a villager join the pool; the ID is masked and no birth date stands beside it', async () => {
  const mem = await add(pw, { member_id: V1m, source: 'veteran', recommended_by: '村党支部' });
  assert.equal(mem.member_id, V1m);
  assert.equal(mem.name, '党员李青');
  assert.equal(mem.political, 'member');
  assert.equal(mem.political_name, '中共党员');
  assert.equal(mem.age, 30);
  assert.equal(mem.young, true);
  assert.equal(mem.birth_date, null, 'a party worker without member.sensitive sees no birth date');
  const birth = bornYearsAgo(40, -3);
  const vil = await add(pw, { name: '王致富', id_number: idFor(birth, 21), phone: '13800138000', source: '本村致富能手',
    education: '高中', political: '群众', recommended_by: '村民代表推荐' });
  assert.equal(vil.member_id, null);
  assert.equal(vil.source, 'achiever');
  assert.equal(vil.gender, 'M');
  assert.equal(vil.age, 40);
  assert.equal(vil.young, false);
  assert.match(vil.id_number, /^\*{18}$/);
  assert.equal(vil.phone, '138****8000');
  assert.equal(vil.birth_date, null);
  assert.equal(vil.full, false);
  // whole values only with member.sensitive, and then the birth date beside them
  let r = await pw.get(`/api/v1/reserve-cadres/${vil.id}?full=1`);
  assert.equal(r.status, 403);
  r = await adm.get(`/api/v1/reserve-cadres/${vil.id}?full=1`);
  assert.equal(r.status, 200);
  assert.equal(r.body.id_number, idFor(birth, 21));
  assert.equal(r.body.phone, '13800138000');
  assert.equal(r.body.birth_date, birth);
  // the list shows the age, never a birth date or an ID number
  r = await pw.get(`/api/v1/orgs/${V1}/reserve-cadres`);
  assert.equal(r.status, 200);
  assert.equal(r.body.village, true);
  assert.equal(r.body.size, 2);
  assert.equal(r.body.young, 1);
  for (const it of r.body.items) {
    assert.equal(it.birth_date, undefined);
    assert.equal(it.id_number, undefined);
    assert.ok(!JSON.stringify(it).includes(birth));
  }
  // the ID number is stored encrypted
  const raw = JSON.stringify((await adm.get(`/api/v1/reserve-cadres/${vil.id}`)).body);
  assert.ok(!raw.includes(idFor(birth, 21)));
});

test('refusals name the field: not a village, a member of another village, twice in the pool, an ID on the roster', async () => {
  let r = await pw.post('/api/v1/reserve-cadres', { org_id: GB1, name: '甲', birth_date: '1995-01-01', source: 'other', entered_on: '2024-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'org_id');
  // a member of V1 is not V2's
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V2, member_id: V1m, source: 'other', entered_on: '2024-01-01' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'member_id');
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V1, member_id: V1m, source: 'other', entered_on: '2024-01-01' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'member_id');
  // the member's own ID number typed as a villager's
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V1, name: '李青', id_number: idFor(bornYearsAgo(30), 11), source: 'other', entered_on: '2024-01-01' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V1, name: '无龄', source: 'other', entered_on: '2024-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'birth_date');
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V1, name: '乙', birth_date: '1995-01-01', source: '外星', entered_on: '2024-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'source');
  r = await pw.post('/api/v1/reserve-cadres', { org_id: V1, name: '丙', birth_date: '1995-01-01', source: 'other', entered_on: chinaDay(2) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'entered_on');
  // a general branch is the village of its branches
  const g = await add(pw, { org_id: G, name: '总支后备', birth_date: '1996-05-05', source: 'returnee' });
  assert.equal(g.org_id, G);
});

test('young until the day before the 35th birthday, by the reference date', async () => {
  const birth = '1991-06-15';
  const p = await add(pw, { org_id: V2, name: '边界', birth_date: birth, source: 'group_leader' });
  let r = await pw.get(`/api/v1/orgs/${V2}/reserve-cadres?date=2026-06-14`);
  let it = r.body.items.find((x) => x.id === p.id);
  assert.equal(it.age, 34);
  assert.equal(it.young, true);
  assert.equal(r.body.young, 1);
  r = await pw.get(`/api/v1/orgs/${V2}/reserve-cadres?date=2026-06-15`);
  it = r.body.items.find((x) => x.id === p.id);
  assert.equal(it.age, 35);
  assert.equal(it.young, false);
  assert.equal(r.body.young, 0);
  r = await pw.get(`/api/v1/orgs/${town}/reserve-overview?date=2026-06-14`);
  assert.equal(r.body.items.find((v) => v.org_id === V2).young, 1);
  r = await pw.get(`/api/v1/orgs/${town}/reserve-overview?date=2026-06-15`);
  assert.equal(r.body.items.find((v) => v.org_id === V2).young, 0);
  r = await pw.get(`/api/v1/orgs/${V2}/reserve-cadres?date=2026-13-01`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'date');
});

test('trainings and a 试岗 period: assessed only after it ends, once', async () => {
  const p = await add(pw, { name: '试岗人', birth_date: '1998-02-02', source: 'graduate', entered_on: '2024-01-10' });
  let r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trainings`, { held_on: '2024-04-01', course: '村级事务管理', hours: 16 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.trainings.map((t) => t.hours), [16]);
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trainings`, { held_on: '2023-12-01', course: '早于入库', hours: 4 });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'held_on');
  // a period ending today: not over yet
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: '村委会主任助理', from_on: '2024-06-01', to_on: TODAY, mentor: '村支书' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const cur = r.body.trials[0];
  assert.equal(cur.state, 'current');
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials/${cur.id}/assessment`, { result: 'pass' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'assessed_on');
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: '重叠', from_on: '2024-07-01', to_on: '2024-08-01' });
  assert.equal(r.status, 409);
  // an earlier period that has ended: due, then assessed
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: '村会计助理', from_on: '2024-02-01', to_on: '2024-05-31' });
  assert.equal(r.status, 201);
  const done = r.body.trials.find((t) => t.post === '村会计助理');
  assert.equal(done.state, 'due');
  r = await pw.get(`/api/v1/orgs/${V1}/reserve-cadres`);
  const it = r.body.items.find((x) => x.id === p.id);
  assert.equal(it.due, 1);
  assert.equal(it.trial_post, '村委会主任助理');
  assert.equal(it.trainings, 1);
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials/${done.id}/assessment`, { result: '不合格' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'comment');
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials/${done.id}/assessment`, { result: '优秀', comment: '群众认可', assessed_on: '2024-06-10' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const a = r.body.trials.find((t) => t.id === done.id);
  assert.equal(a.result, 'excellent');
  assert.equal(a.result_name, '优秀');
  assert.equal(a.state, 'assessed');
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials/${done.id}/assessment`, { result: 'pass' });
  assert.equal(r.status, 409);
  // a period of another person under this person's path is not found
  const other = await add(pw, { name: '另一人', birth_date: '1997-03-03', source: 'other' });
  r = await pw.post(`/api/v1/reserve-cadres/${other.id}/trials/${done.id}/assessment`, { result: 'pass' });
  assert.equal(r.status, 404);
});

test('removal keeps the record, its trainings and trials in the history', async () => {
  const p = await add(pw, { name: '移出人', birth_date: '1993-09-09', source: 'returnee', entered_on: '2023-01-01' });
  await pw.post(`/api/v1/reserve-cadres/${p.id}/trainings`, { held_on: '2023-05-01', course: '党的基本知识', hours: 8 });
  let r = await pw.post(`/api/v1/reserve-cadres/${p.id}/remove`, { on: TODAY, kind: 'disqualified', reason: '年度考评不称职' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.removed_on, TODAY);
  assert.equal(r.body.removed_kind_name, '取消后备干部资格');
  assert.equal(r.body.trainings.length, 1);
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/remove`, { on: TODAY, kind: 'away', reason: '再次' });
  assert.equal(r.status, 409);
  r = await pw.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: '助理', from_on: TODAY, to_on: TODAY });
  assert.equal(r.status, 409);
  r = await pw.get(`/api/v1/orgs/${V1}/reserve-cadres`);
  assert.ok(!r.body.items.some((x) => x.id === p.id), 'not in the active pool');
  r = await pw.get(`/api/v1/orgs/${V1}/reserve-cadres?removed=1`);
  const it = r.body.items.find((x) => x.id === p.id);
  assert.equal(it.removed_reason, '年度考评不称职');
  assert.equal(it.trainings, 1);
  r = await pw.get(`/api/v1/orgs/${town}/reserve-overview`);
  assert.equal(r.body.items.find((v) => v.org_id === V1).removed, 1);
  // a removed villager's ID number may join again later
  r = await pw.get(`/api/v1/reserve-cadres/${p.id}`);
  assert.equal(r.status, 200);
});

test("an edit: a villager's phone and ID number re-protected, a member's personal fields refused, audited", async () => {
  const birth = '1996-04-04';
  const p = await add(pw, { name: '改动人', id_number: idFor(birth, 31), phone: '13700000001', source: 'other' });
  let r = await pw.patch(`/api/v1/reserve-cadres/${p.id}`, { phone: '13711112222', education: '大学本科', political: '共青团员', recommended_by: '团支部推荐' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.phone, '137****2222');
  assert.equal(r.body.political, 'league');
  r = await adm.get(`/api/v1/reserve-cadres/${p.id}?full=1`);
  assert.equal(r.body.phone, '13711112222');
  assert.equal(r.body.id_number, idFor(birth, 31));
  // a new ID number: birth date and age derived from it again
  const nb = '1985-08-08';
  r = await pw.patch(`/api/v1/reserve-cadres/${p.id}`, { id_number: idFor(nb, 33) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.young, false);
  r = await adm.get(`/api/v1/reserve-cadres/${p.id}?full=1`);
  assert.equal(r.body.birth_date, nb);
  assert.equal(r.body.id_number, idFor(nb, 33));
  // another active record's number, or a member's, is refused
  r = await pw.patch(`/api/v1/reserve-cadres/${p.id}`, { id_number: idFor(bornYearsAgo(30), 11) });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  // a member's record: personal fields are the roster's
  const mem = (await pw.get(`/api/v1/orgs/${V1}/reserve-cadres`)).body.items.find((x) => x.member_id === V1m);
  r = await pw.patch(`/api/v1/reserve-cadres/${mem.id}`, { phone: '13800000000' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'phone');
  r = await pw.patch(`/api/v1/reserve-cadres/${mem.id}`, { recommended_by: '乡镇党委' });
  assert.equal(r.status, 200);
  assert.equal(r.body.recommended_by, '乡镇党委');
  r = await pw.patch(`/api/v1/reserve-cadres/${mem.id}`, {});
  assert.equal(r.status, 400);
  addUser(srv, 'rs_aud', 'audit_admin', root);
  const aud = await loginAs(srv, 'rs_aud');
  const audit = await aud.get('/api/v1/audit?action=reserve.update&object_type=reserve_cadre');
  assert.equal(audit.status, 200, JSON.stringify(audit.body));
  assert.equal(audit.body.items.length, 3, 'one row per edit that was saved');
});

test('the county view: every rural village, and those without a young reserve cadre', async () => {
  const r = await adm.get(`/api/v1/orgs/${root}/reserve-overview`);
  assert.equal(r.status, 200);
  const ids = r.body.items.map((v) => v.org_id);
  // villages: branches and a general branch of domain rural; not the
  // general branch's own branches, not the organ branch
  for (const v of [V1, V2, G, VB]) assert.ok(ids.includes(v), `village ${v} listed`);
  assert.ok(!ids.includes(GB1));
  assert.equal(r.body.villages, r.body.items.length);
  assert.equal(r.body.with_young + r.body.without_young, r.body.villages);
  assert.equal(r.body.items.find((v) => v.org_id === VB).pool, 0);
  assert.equal(r.body.pool, r.body.items.reduce((s, v) => s + v.pool, 0));
  const lacking = await adm.get(`/api/v1/orgs/${root}/reserve-overview?lacking=1`);
  assert.ok(lacking.body.items.every((v) => v.young === 0));
  assert.ok(lacking.body.items.some((v) => v.org_id === VB));
  assert.ok(!lacking.body.items.some((v) => v.org_id === V1));
  assert.equal(lacking.body.items.length, r.body.without_young);
});

test('scope: every route outside the caller\'s subtree is 404, writes need member.write', async () => {
  const p = await add(pw, { name: '范围人', birth_date: '1999-09-09', source: 'other' });
  const t = (await pw.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: '助理', from_on: '2024-06-01', to_on: '2024-06-30' })).body.trials[0];
  const calls = [
    ['GET', `/api/v1/orgs/${V1}/reserve-cadres`],
    ['GET', `/api/v1/orgs/${town}/reserve-overview`],
    ['GET', `/api/v1/reserve-cadres/${p.id}`],
    ['PATCH', `/api/v1/reserve-cadres/${p.id}`, { recommended_by: '外' }],
    ['POST', '/api/v1/reserve-cadres', { org_id: V1, name: '外', birth_date: '1999-01-01', source: 'other', entered_on: '2024-01-01' }],
    ['POST', `/api/v1/reserve-cadres/${p.id}/trainings`, { held_on: '2024-06-01', course: 'x', hours: 1 }],
    ['POST', `/api/v1/reserve-cadres/${p.id}/trials`, { post: 'x', from_on: '2024-07-01', to_on: '2024-07-02' }],
    ['POST', `/api/v1/reserve-cadres/${p.id}/trials/${t.id}/assessment`, { result: 'pass' }],
    ['POST', `/api/v1/reserve-cadres/${p.id}/remove`, { on: TODAY, kind: 'other', reason: 'x' }],
  ];
  for (const [method, path, body] of calls) {
    const r = await pwB.req(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${r.status}`);
    const s = await reader.req(method, path, body);
    assert.equal(s.status, 403, `sys_admin ${method} ${path}: ${s.status}`);
  }
  // B's own village works for B
  const b = await pwB.post('/api/v1/reserve-cadres', { org_id: VB, name: '北岭人', birth_date: '2000-01-01', source: 'graduate', entered_on: '2024-01-01' });
  assert.equal(b.status, 201);
  const ov = await pwB.get(`/api/v1/orgs/${townB}/reserve-overview`);
  assert.deepEqual(ov.body.items.map((v) => v.org_id), [VB]);
  assert.equal(ov.body.items[0].young, 1);
});

test('the rule kind reserve: national default 35, a local set within 25-45', async () => {
  let r = await adm.post('/api/v1/rules', { kind: 'reserve', org_id: townB, effective_from: '2020-01-01', name: '别的乡：40 岁以下', data: { young_max_age: 40 } });
  assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  r = await adm.get(`/api/v1/orgs/${townB}/reserve-overview`);
  assert.equal(r.body.young_max_age, 40);
  r = await adm.get(`/api/v1/orgs/${town}/reserve-overview`);
  assert.equal(r.body.young_max_age, 35);
  r = await adm.post('/api/v1/rules', { kind: 'reserve', org_id: townB, effective_from: '2021-01-01', name: '过宽', data: { young_max_age: 60 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'data.young_max_age');
});
