// 驻村第一书记 and 驻村工作队 (docs/VILLAGE.md): the cadre registry (派出单位
// and cadres with the ID number and phone protected like a member's:
// masked without member.sensitive, in full only with it and audited),
// scoping of every route by the org that keeps the record.
// Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, root, T1, V1, V2, T2, V3, town1, worker1, town2;

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '驻村东镇党委', 'committee');
  V1 = await mkOrg(T1, '驻村东一村党支部', 'branch');
  V2 = await mkOrg(T1, '驻村东二村党支部', 'branch');
  T2 = await mkOrg(root, '驻村西镇党委', 'committee');
  V3 = await mkOrg(T2, '驻村西村党支部', 'branch');
  addUser(srv, 'v_town1', 'org_admin', T1);
  addUser(srv, 'v_worker1', 'party_worker', T1);
  addUser(srv, 'v_town2', 'org_admin', T2);
  [town1, worker1, town2] = await Promise.all(['v_town1', 'v_worker1', 'v_town2'].map((n) => loginAs(srv, n)));
});

after(async () => { await srv?.stop(); });

test('the cadre registry: units and cadres, the ID number masked without member.sensitive', async () => {
  const unit = await ok(town1.post('/api/v1/dispatch-units',
    { org_id: T1, name: '县交通运输局', contact_name: '周联络', contact_phone: '13811112222' }), 201);
  assert.equal(unit.contact_phone, '138****2222');
  assert.equal(unit.cadres, 0);
  const id = withCheck('99010119880715123');
  const c = await ok(town1.post('/api/v1/cadres',
    { org_id: T1, name: '吴第一', id_number: id, phone: '13922223333', unit_id: unit.id, post: '副局长' }), 201);
  assert.equal(c.id_number, '*'.repeat(18));
  assert.equal(c.phone, '139****3333');
  assert.equal(c.gender, 'M');
  assert.equal(c.birth_date, '1988-07-15', 'org_admin holds member.sensitive: the exact birth date');
  assert.equal(c.unit_name, '县交通运输局');
  // in full with member.sensitive, audited
  const full = await ok(town1.get(`/api/v1/cadres/${c.id}?full=1`));
  assert.equal(full.id_number, id);
  assert.equal(full.phone, '13922223333');
  // a party worker (no member.sensitive): masked, the birth month only, no full view
  const seen = await ok(worker1.get(`/api/v1/cadres/${c.id}`));
  assert.equal(seen.id_number, '*'.repeat(18));
  assert.equal(seen.birth_date, '1988-07');
  assert.equal((await worker1.get(`/api/v1/cadres/${c.id}?full=1`)).status, 403);
  const wu = await ok(worker1.get(`/api/v1/dispatch-units/${unit.id}`));
  assert.equal(wu.contact_phone, '138****2222');
  assert.equal(wu.cadres, 1);
  assert.equal((await worker1.get(`/api/v1/dispatch-units/${unit.id}?full=1`)).status, 403);
  // the same person twice, a bad ID number: refused naming the field
  let r = await town1.post('/api/v1/cadres', { org_id: T1, name: '吴重复', id_number: id });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  r = await town1.post('/api/v1/cadres', { org_id: T1, name: '吴错号', id_number: '990101198807151230' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'id_number');
  // the lists: by unit, by name
  const list = await ok(worker1.get(`/api/v1/cadres?org=${T1}&unit=${unit.id}`));
  assert.deepEqual(list.items.map((x) => x.name), ['吴第一']);
  assert.ok(list.items.every((x) => x.id_number === '*'.repeat(18)));
  const units = await ok(worker1.get(`/api/v1/dispatch-units?org=${T1}`));
  assert.ok(units.items.some((u) => u.id === unit.id));
  // the audit trail keeps masked values only
  const trail = sql(srv.db, "SELECT detail FROM audit_log WHERE action = 'cadre.create'");
  assert.ok(trail.includes('吴第一') && !trail.includes(id) && !trail.includes('13922223333'));
});

test('scoping: another township neither reads nor names the records', async () => {
  const unit = await ok(town1.post('/api/v1/dispatch-units', { org_id: T1, name: '县水利局' }), 201);
  const c = await ok(town1.post('/api/v1/cadres', { org_id: V1, name: '郑队员', gender: '男', unit_id: unit.id }), 201);
  for (const p of [`/api/v1/cadres/${c.id}`, `/api/v1/dispatch-units/${unit.id}`, `/api/v1/cadres?org=${T1}`,
    `/api/v1/dispatch-units?org=${T1}`]) {
    const r = await town2.get(p);
    assert.equal(r.status, 404, `${p}: ${r.status}`);
  }
  // a cadre of town 2 cannot be sent from town 1's unit, nor kept at town 1
  let r = await town2.post('/api/v1/cadres', { org_id: V3, name: '冯干部', gender: 'M', unit_id: unit.id });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'unit_id');
  r = await town2.post('/api/v1/cadres', { org_id: V2, name: '冯干部', gender: 'M' });
  assert.equal(r.status, 404);
  r = await town2.post('/api/v1/dispatch-units', { org_id: T1, name: '县林业局' });
  assert.equal(r.status, 404);
  // town 2's own list has none of town 1's
  const own = await ok(town2.get(`/api/v1/cadres?org=${T2}`));
  assert.ok(!own.items.some((x) => x.id === c.id));
});

// ---- village work: postings, leave by length, presence, the county's view ----



test('the fixed point, a leave filed by the 第一书记 and approved by the right level, presence under the rule', async () => {
  // the 第一书记's own account: no member.write at the village, only self.*
  addUser(srv, 'v_shuji', 'member', V1);
  addUser(srv, 'v_vworker', 'party_worker', V1);
  const [shuji, vworker] = await Promise.all(['v_shuji', 'v_vworker'].map((n) => loginAs(srv, n)));
  const me = (await ok(shuji.get('/api/v1/auth/me'))).user;
  const c = await ok(town1.post('/api/v1/cadres', { org_id: T1, name: '冯书记', gender: 'M', user_id: me.id }), 201);
  const team = await ok(town1.post('/api/v1/village-teams', { org_id: V1, formed_on: '2026-01-01' }), 201);
  assert.match(team.name, /驻村工作队$/);
  const p = await ok(town1.post('/api/v1/village-postings', { cadre_id: c.id, org_id: V1, role: 'first_secretary',
    started_on: '2026-01-01', term_ends_on: '2027-02-01' }), 201);
  const c2 = await ok(town1.post('/api/v1/cadres', { org_id: T1, name: '褚队员', gender: 'F' }), 201);
  await ok(town1.post('/api/v1/village-postings', { cadre_id: c2.id, org_id: V1, role: 'member',
    started_on: '2026-11-16', term_ends_on: '2028-11-16' }), 201);
  // a second 第一书记 for the village is refused
  let r = await town1.post('/api/v1/village-postings', { cadre_id: c2.id, org_id: V1, role: 'first_secretary',
    started_on: '2026-01-01', term_ends_on: '2028-01-01' });
  assert.equal(r.status, 409);
  // the 第一书记's own page and leave: 3 days (township), 4 days (county)
  const mine = await ok(shuji.get('/api/v1/village/me?month=2026-11'));
  assert.deepEqual(mine.items.map((x) => x.posting_id), [p.id]);
  const three = await ok(shuji.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'leave', from_on: '2026-11-02',
    to_on: '2026-11-04', reason: '家中有事' }), 201);
  assert.equal(three.status, 'pending');
  assert.equal(three.level, 'township');
  assert.equal(three.days, 3);
  const four = await ok(vworker.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'leave', from_on: '2026-11-09',
    to_on: '2026-11-12', reason: '就医' }), 201);
  assert.equal(four.level, 'county');
  // leave across the month end: 30 Nov - 1 Dec, township
  const across = await ok(shuji.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'leave', from_on: '2026-11-30',
    to_on: '2026-12-01', reason: '办事' }), 201);
  // the wrong levels: the village's worker, the township on 4 days
  r = await vworker.post(`/api/v1/village-leaves/${three.id}/decide`, { approve: true });
  assert.equal(r.status, 403);
  r = await town1.post(`/api/v1/village-leaves/${four.id}/decide`, { approve: true });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /县委组织部/);
  // the approvers' list says which the caller decides
  const pending = await ok(town1.get(`/api/v1/village-leaves?org=${T1}`));
  assert.deepEqual(pending.items.filter((x) => x.can_decide).map((x) => x.id).sort(), [three.id, across.id].sort());
  assert.equal((await ok(town1.post(`/api/v1/village-leaves/${three.id}/decide`, { approve: true, note: '同意' }))).status, 'approved');
  assert.equal((await ok(town1.post(`/api/v1/village-leaves/${across.id}/decide`, { approve: true }))).status, 'approved');
  assert.equal((await ok(adm.post(`/api/v1/village-leaves/${four.id}/decide`, { approve: true }))).status, 'approved');
  // the fixed point: November, 30 - 3 - 4 - 1 = 22 days in the village
  const fs = await ok(worker1.get(`/api/v1/orgs/${T1}/first-secretaries?month=2026-11`));
  assert.equal(fs.items.length, 1);
  const it = fs.items[0];
  for (const k of ['name', 'org_id', 'org_name', 'days_in_village', 'required', 'ok']) assert.ok(k in it, k);
  assert.equal(it.name, '冯书记');
  assert.equal(it.org_id, V1);
  assert.equal(it.org_name, '驻村东一村党支部');
  assert.equal(it.days_in_village, 22);
  assert.equal(it.required, 20);
  assert.equal(it.ok, true);
  // December so far: the 1st away
  const dec = await ok(worker1.get(`/api/v1/orgs/${T1}/first-secretaries?month=2026-12`));
  assert.equal(dec.items[0].days_away, 1);
  // the org page's section
  const sec = await ok(worker1.get(`/api/v1/orgs/${V1}/village-work`));
  assert.equal(sec.first_secretary.name, '冯书记');
  assert.equal(sec.team_id, team.id);
  assert.equal(sec.team_size, 2);
  const townSec = await ok(worker1.get(`/api/v1/orgs/${T1}/village-work`));
  assert.deepEqual([townSec.first_secretary, townSec.team_id], [null, null], 'a township is not a village');
  // the team page: presence per month, the log with a meeting the 第一书记 attended as 列席 guest
  await ok(vworker.post('/api/v1/meetings', { org_id: V1, type: 'plenary', start_at: Math.floor(Date.UTC(2026, 10, 20, 2) / 1000),
    topic: '集体经济项目', guests: ['冯书记'] }), 201);
  await ok(vworker.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-11-18', what: '走访脱贫户 12 户',
    attachments: [{ name: '走访记录.jpg' }] }), 201);
  const page = await ok(worker1.get(`/api/v1/village-teams/${team.id}?month=2026-11`));
  assert.equal(page.months.length, 6);
  assert.equal(page.months.at(-1).month, '2026-11');
  const fsNov = page.months.at(-1).items.find((x) => x.posting_id === p.id);
  assert.equal(fsNov.days_in_village, 22);
  const partial = page.postings.find((x) => x.name === '褚队员');
  assert.equal(partial.partial, true);
  assert.equal(partial.required, 10);
  assert.deepEqual(page.log.map((x) => x.kind), ['meeting', 'log']);
  assert.match(page.log[0].what, /集体经济项目/);
  assert.equal(page.absences.length, 3);
  // another account that is not the cadre's, without member.write at the village: as if no posting
  addUser(srv, 'v_stranger', 'member', V2);
  const stranger = await loginAs(srv, 'v_stranger');
  r = await stranger.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'leave', from_on: '2026-10-05', to_on: '2026-10-05', reason: 'x' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'posting_id');
});

test('the county: villages under the rule, required villages without a 第一书记, terms ending soon, evaluation, recall', async () => {
  const V4 = await mkOrg(T2, '驻村西二村党支部', 'branch');
  await ok(adm.post('/api/v1/village-requirements', { org_id: V4, reason: 'weak', from_on: '2026-01-01' }), 201);
  await ok(adm.post('/api/v1/village-requirements', { org_id: V3, reason: '脱贫村', from_on: '2026-01-01' }), 201);
  const c = await ok(adm.post('/api/v1/cadres', { org_id: root, name: '蒋书记', gender: 'M' }), 201);
  const team = await ok(town2.post('/api/v1/village-teams', { org_id: V3, formed_on: '2026-01-01' }), 201);
  // a cadre kept by the county is posted by the county (the township cannot read it)
  assert.equal((await town2.post('/api/v1/village-postings', { cadre_id: c.id, org_id: V3, role: 'first_secretary',
    started_on: '2025-03-01', term_ends_on: '2027-01-31' })).status, 404);
  const p = await ok(adm.post('/api/v1/village-postings', { cadre_id: c.id, org_id: V3, role: 'first_secretary',
    started_on: '2025-03-01', term_ends_on: '2027-01-31' }), 201);
  // 11 days of training: 19 in the village, under the rule
  await ok(town2.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'training', from_on: '2026-11-10', to_on: '2026-11-20', reason: '省委党校' }), 201);
  const all = await ok(adm.get(`/api/v1/orgs/${root}/villages?month=2026-11`));
  assert.ok(all.summary.required >= 2);
  assert.ok(all.summary.uncovered_required >= 1);
  const under = await ok(adm.get(`/api/v1/orgs/${root}/villages?month=2026-11&only=under`));
  const v3 = under.items.find((x) => x.org_id === V3);
  assert.equal(v3.first_secretary.days_in_village, 19);
  assert.equal(v3.first_secretary.ok, false);
  assert.equal(v3.required_reason, 'poverty');
  assert.ok(!under.items.some((x) => x.org_id === V1), 'V1 is not under the rule');
  const unc = await ok(adm.get(`/api/v1/orgs/${root}/villages?month=2026-11&only=uncovered`));
  assert.ok(unc.items.some((x) => x.org_id === V4 && x.first_secretary === null));
  const ending = await ok(adm.get(`/api/v1/orgs/${root}/villages?only=ending`));
  assert.ok(ending.items.some((x) => x.org_id === V3 && x.first_secretary.ending_soon));
  // the township sees its own villages only
  const own = await ok(town2.get(`/api/v1/orgs/${T2}/villages?month=2026-11`));
  assert.ok(own.items.every((x) => x.town_name === '驻村西镇党委'));
  assert.equal((await town2.get(`/api/v1/orgs/${T1}/villages`)).status, 404);
  assert.equal((await town1.get(`/api/v1/village-teams/${team.id}`)).status, 404);
  // 一述职、两测评、四联考 with the rule's weights: 9 + 12 + 10.5 + 51 = 82.5
  const ev = await ok(adm.post(`/api/v1/village-teams/${team.id}/evaluations`, { year: 2026, report_on: '2026-12-01',
    report_summary: '述职', report_score: 90, rating_cadres: 80, rating_villagers: 70, exam_county: 100, exam_township: 90,
    exam_unit: 80, exam_village: 70 }), 201);
  assert.equal(ev.final_score, 82.5);
  const after = await ok(adm.get(`/api/v1/orgs/${T2}/villages?month=2026-11`));
  assert.equal(after.items.find((x) => x.org_id === V3).eval_score, 82.5);
  // 召回: the posting ends and the outcome is on the cadre
  await ok(adm.post(`/api/v1/village-postings/${p.id}/end`, { ended_on: '2026-12-05', reason: 'recalled', note: '驻村时间不足' }));
  assert.equal(sql(srv.db, `SELECT kind FROM cadre_outcomes WHERE cadre_id = ${c.id}`).trim(), 'recall');
  await ok(adm.post(`/api/v1/cadres/${c.id}/outcomes`, { kind: 'talk', on_date: '2026-12-06', reason: '约谈' }), 201);
  const rec = await ok(adm.get(`/api/v1/cadres/${c.id}`));
  assert.deepEqual(rec.postings.map((x) => [x.org_id, x.role, x.ended_on, x.end_reason]), [[V3, 'first_secretary', '2026-12-05', 'recalled']]);
  assert.deepEqual(rec.outcomes.map((x) => [x.kind, x.kind_name]), [['talk', '约谈'], ['recall', '召回']]);
  const r = await adm.post(`/api/v1/cadres/${c.id}/outcomes`, { kind: 'praise', on_date: '2026-12-06', reason: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'kind');
});

// ---- the team log: 帮扶 visits by the team's cadres joined in, read-only ----

test('the team log shows the 帮扶 visits the team\'s cadres made while posted, without ID or phone', async () => {
  const chinaDay = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
  const rural = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type, domain: 'rural' }), 201).then((b) => b.id);
  const T = await rural(root, '驻村南镇党委', 'committee');
  const V = await rural(T, '中共南湾村支部委员会', 'branch');
  const W = await rural(T, '中共北湾村支部委员会', 'branch');
  const team = await ok(adm.post('/api/v1/village-teams', { org_id: V, formed_on: chinaDay(-90) }), 201);
  const posted = await ok(adm.post('/api/v1/cadres', { org_id: T, name: '施队员', gender: 'M' }), 201);
  const other = await ok(adm.post('/api/v1/cadres', { org_id: T, name: '孔干部', gender: 'F' }), 201);
  const posting = await ok(adm.post('/api/v1/village-postings', { cadre_id: posted.id, org_id: V, role: 'member',
    started_on: chinaDay(-20), term_ends_on: '2029-01-01' }), 201);
  const member = await ok(adm.post('/api/v1/members', { org_id: V, name: '曹党员', category: 'full', join_date: '2010-07-01',
    full_date: '2011-07-01' }), 201);
  // a household of a neighbouring village: the cadre's visits there count too
  const idNumber = withCheck('99019819700101003');
  const h = await ok(adm.post('/api/v1/aid-households', { org_id: W, head_name: '严大海', category: '脱贫户', status: '在帮',
    id_number: idNumber, phone: '13900002222' }), 201);
  for (const who of [{ cadre_id: posted.id }, { cadre_id: other.id }, { member_id: member.id }])
    await ok(adm.post(`/api/v1/aid-households/${h.id}/pairs`, { ...who, from_on: chinaDay(-60) }), 201);
  const visit = (who, days, what) => ok(adm.post(`/api/v1/aid-households/${h.id}/visits`, { ...who, visited_on: chinaDay(days), what }), 201);
  await visit({ cadre_id: posted.id }, -30, '走访：驻村前');          // before the posting: not the team's
  await visit({ cadre_id: posted.id }, -5, '帮助申请产业补贴');      // the team's
  await visit({ cadre_id: other.id }, -4, '核对收入');                // a cadre of no team
  await visit({ member_id: member.id }, -3, '宣讲政策');              // a member, not a cadre
  const month = chinaDay().slice(0, 7);
  const page = await ok(adm.get(`/api/v1/village-teams/${team.id}?month=${month}`));
  const visits = page.log.filter((x) => x.kind === 'visit');
  assert.equal(visits.length, 1, JSON.stringify(page.log));
  assert.equal(visits[0].on_date, chinaDay(-5));
  assert.equal(visits[0].what, '帮扶走访：中共北湾村支部委员会 严大海户（施队员）：帮助申请产业补贴');
  assert.deepEqual(visits[0].attachments, []);
  const text = JSON.stringify(page.log);
  assert.ok(!text.includes(idNumber) && !text.includes('13900002222') && !text.includes('2222'), 'no ID number or phone');
  // read-only: typed entries only are the team's own; the visit is not typed again
  assert.equal(page.log.filter((x) => x.kind === 'log').length, 0);
  // after the posting ends, later visits are not the team's
  await ok(adm.post(`/api/v1/village-postings/${posting.id}/end`, { ended_on: chinaDay(-2), reason: 'other', note: '调回原单位' }), 200);
  await visit({ cadre_id: posted.id }, -1, '回访');
  const again = await ok(adm.get(`/api/v1/village-teams/${team.id}?month=${month}`));
  assert.deepEqual(again.log.filter((x) => x.kind === 'visit').map((x) => x.on_date), [chinaDay(-5)]);
});
