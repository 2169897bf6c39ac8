// 书记抓党建述职评议 and 一述职、两测评、四联考 (docs/REVIEWS.md): a 述职
// filed and graded by the level above (never by the reporter or the
// branch itself), the lists and a person's history; a 驻村工作队 evaluated
// end to end with one-time codes voted on the public route, the examiners,
// the weighted final and an outcome shown on the cadre's record and the
// member page; scoping.  Runs on SQLite and, under api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck, Client } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, root, T1, V1, T2, town1, branch1, town2, sec;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
  '1f15c4890000000d49444154789c6360000002000100ffff03000006000557bfabd40000000049454e44ae426082', 'hex');

async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type }), 201).then((b) => b.id);
const mkMember = (org, name, extra = {}) => ok(adm.post('/api/v1/members', { org_id: org, name, category: 'full',
  join_date: '2010-07-01', full_date: '2011-07-01', ...extra }), 201).then((b) => b.id);

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '述职东镇党委', 'committee');
  V1 = await mkOrg(T1, '述职东村党支部', 'branch');
  T2 = await mkOrg(root, '述职西镇党委', 'committee');
  await ok(adm.patch(`/api/v1/orgs/${V1}`, { domain: 'rural' }));
  addUser(srv, 'r_town1', 'org_admin', T1);
  addUser(srv, 'r_branch1', 'org_admin', V1);
  addUser(srv, 'r_town2', 'org_admin', T2);
  [town1, branch1, town2] = await Promise.all(['r_town1', 'r_branch1', 'r_town2'].map((n) => loginAs(srv, n)));
  sec = await mkMember(V1, '王书记', { id_number: withCheck('99010119800202123') });
  await ok(adm.post(`/api/v1/orgs/${V1}/committee`, { member_id: sec, post: 'secretary', started_on: '2020-01-01' }), 201);
});

after(async () => { await srv?.stop(); });

test('述职: filed by the branch, graded by the level above, never by the reporter; lists and history', async () => {
  // not the secretary: refused on member_id
  const other = await mkMember(V1, '李党员');
  let r = await branch1.post('/api/v1/duty-reports', { org_id: V1, member_id: other, year: 2025, report: '述职', filed_on: '2026-01-10' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'member_id');
  const d = await ok(branch1.post('/api/v1/duty-reports',
    { org_id: V1, member_id: sec, year: 2025, report: '一年来抓党建工作情况……', filed_on: '2026-01-10' }), 201);
  assert.equal(d.status, 'filed');
  assert.equal(d.can_rate, false, 'the branch is not the level above');
  r = await branch1.post('/api/v1/duty-reports', { org_id: V1, member_id: sec, year: 2025, report: '再交', filed_on: '2026-01-11' });
  assert.equal(r.status, 409);
  const f = await ok(branch1.req('POST', `/api/v1/duty-reports/${d.id}/files?filename=现场.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 201);
  assert.equal(f.kind, 'png');
  // the branch (org.write there) cannot grade its own secretary
  r = await branch1.post(`/api/v1/duty-reports/${d.id}/rate`, { grade: '好', rated_on: '2026-01-20' });
  assert.equal(r.status, 403);
  // the county's account filed one for the town's own secretary: it may not grade what it filed
  const tsec = await mkMember(V1, '赵镇书记');
  await ok(adm.post(`/api/v1/orgs/${T1}/committee`, { member_id: tsec, post: 'secretary', started_on: '2019-01-01' }), 201);
  const td = await ok(adm.post('/api/v1/duty-reports', { org_id: T1, member_id: tsec, year: 2025, report: '镇党委书记述职', filed_on: '2026-01-12' }), 201);
  r = await adm.post(`/api/v1/duty-reports/${td.id}/rate`, { grade: 'good', rated_on: '2026-01-20' });
  assert.equal(r.status, 403);
  // another town is out of scope
  assert.equal((await town2.get(`/api/v1/duty-reports/${d.id}`)).status, 404);
  assert.equal((await town2.post(`/api/v1/duty-reports/${d.id}/rate`, { grade: '好', rated_on: '2026-01-20' })).status, 404);
  // 一般 needs a comment; the town grades it
  r = await town1.post(`/api/v1/duty-reports/${d.id}/rate`, { grade: '一般', rated_on: '2026-01-20' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'comment');
  const g = await ok(town1.post(`/api/v1/duty-reports/${d.id}/rate`, { grade: '较好', comment: '抓基层有实招', rated_on: '2026-01-20' }));
  assert.equal(g.grade, 'fair');
  assert.equal(g.grade_name, '较好');
  assert.equal(g.rater_org_name, '述职东镇党委');
  assert.equal(g.files.length, 1);
  assert.equal((await town1.post(`/api/v1/duty-reports/${d.id}/rate`, { grade: '好', rated_on: '2026-01-21' })).status, 409);
  assert.equal((await branch1.req('POST', `/api/v1/duty-reports/${d.id}/files?filename=x.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } })).status, 409);
  assert.equal((await town1.req('GET', f.url, null, { raw: true })).status, 200);
  // the lists of the level above: rated, filed and not filed
  const v2 = await mkOrg(T1, '述职东二村党支部', 'branch');
  const sec2 = await mkMember(v2, '钱书记');
  await ok(adm.post(`/api/v1/orgs/${v2}/committee`, { member_id: sec2, post: 'secretary', started_on: '2024-05-01' }), 201);
  const list = await ok(town1.get(`/api/v1/orgs/${T1}/duty-reports?year=2025`));
  assert.deepEqual(list.items.map((x) => [x.member_name, x.status_name, x.grade_name]),
    [['赵镇书记', '待评定', null], ['王书记', '已评定', '较好'], ['钱书记', '未提交', null]]);
  assert.deepEqual(list.summary, { secretaries: 3, filed: 2, not_filed: 1, rated: 1 });
  // the branch sees its own secretary
  assert.deepEqual((await ok(branch1.get(`/api/v1/orgs/${V1}/duty-reports?year=2025`))).items.map((x) => x.member_name), ['王书记']);
  const county = await ok(adm.get(`/api/v1/orgs/${root}/duty-reports?year=2025`));
  assert.ok(county.items.some((x) => x.member_name === '赵镇书记' && x.status === 'filed'));
  // the person's history on the member page; audited
  const h = await ok(branch1.get(`/api/v1/members/${sec}/reviews`));
  assert.deepEqual(h.duty_reports.map((x) => [x.year, x.grade_name, x.rater_org_name]), [[2025, '较好', '述职东镇党委']]);
  assert.match(sql(srv.db, `SELECT action FROM audit_log WHERE object_type = 'duty_report' AND object_id = '${d.id}' ORDER BY id`),
    /duty\.file\nduty\.file_add\nduty\.rate/);
});

test('驻村工作队: codes, anonymous votes refused twice, examiners, the weighted final, outcomes on the record', async () => {
  const unit = await ok(adm.post('/api/v1/dispatch-units', { org_id: T1, name: '县农业农村局' }), 201);
  const idn = withCheck('99010119900303123');
  const cadre = await ok(adm.post('/api/v1/cadres', { org_id: T1, name: '孙驻村', id_number: idn, unit_id: unit.id }), 201);
  const team = await ok(adm.post('/api/v1/village-teams', { org_id: V1, formed_on: '2024-01-01' }), 201);
  const posting = await ok(adm.post('/api/v1/village-postings', { cadre_id: cadre.id, org_id: V1, role: 'first_secretary',
    started_on: '2024-02-01', term_ends_on: '2027-02-01' }), 201);
  // the same person in the village's reserve pool (by the ID number)
  const rsv = await ok(adm.post('/api/v1/reserve-cadres', { org_id: V1, name: '孙驻村', id_number: idn, source: 'other', entered_on: '2024-03-01' }), 201);
  // the village itself cannot open its own evaluation; another town cannot see it
  const open = { year: 2025, report_on: '2026-01-15', report_summary: '驻村一年：产业、党建、帮扶' };
  assert.equal((await branch1.post(`/api/v1/village-teams/${team.id}/reviews`, open)).status, 403);
  assert.equal((await town2.post(`/api/v1/village-teams/${team.id}/reviews`, open)).status, 404);
  let v = await ok(town1.post(`/api/v1/village-teams/${team.id}/reviews`, open), 201);
  assert.equal(v.can_manage, true);
  assert.deepEqual(v.weights, { report: 10, rating_cadres: 15, rating_villagers: 15, exams: 60 });
  assert.equal((await town2.get(`/api/v1/village-reviews/${v.id}`)).status, 404);
  assert.equal((await ok(branch1.get(`/api/v1/village-reviews/${v.id}`))).can_manage, false);
  // the typed POST is refused for a year held on the platform
  const typed = await adm.post(`/api/v1/village-teams/${team.id}/evaluations`, { year: 2025, report_on: '2026-01-15',
    report_summary: 'x', report_score: 90, rating_cadres: 90, rating_villagers: 90, exam_county: 90, exam_township: 90,
    exam_unit: 90, exam_village: 90 });
  assert.equal(typed.status, 409);
  // codes: shown once, for each round
  const sheet = async (round, count) => {
    const b = await ok(town1.post(`/api/v1/village-reviews/${v.id}/codes`, { round, count }), 201);
    assert.ok(b.codes.every((c) => c.qr_svg.startsWith('<svg') && c.url.endsWith(`/#/vote?c=${c.code}`)));
    return { codes: b.codes.map((c) => c.code) };
  };
  const cc = await sheet('cadres', 3);
  const vc = await sheet('villagers', 4);
  assert.equal(cc.codes.length, 3);
  assert.equal(new Set([...cc.codes, ...vc.codes]).size, 7);
  assert.match(cc.codes[0], /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
  assert.equal((await branch1.post(`/api/v1/village-reviews/${v.id}/codes`, { round: 'cadres', count: 1 })).status, 403);
  // the public vote, no login
  const anon = new Client(srv.url);
  const info = await ok(anon.post('/api/v1/public/vote-codes', { code: vc.codes[0].toLowerCase() }));
  assert.equal(info.round_name, '党员群众测评');
  assert.equal(info.org_name, '述职东村党支部');
  const votes = [[cc.codes[0], 'excellent'], [cc.codes[1], 'excellent'], [cc.codes[2], 'competent'],
    [vc.codes[0], 'excellent'], [vc.codes[1], 'competent'], [vc.codes[2], 'competent'], [vc.codes[3], 'basic']];
  for (const [code, grade] of votes) await ok(anon.post('/api/v1/public/votes', { code, grade }), 201);
  {
    const again = await anon.post('/api/v1/public/votes', { code: cc.codes[0], grade: 'incompetent' });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /已经使用过/);
  }
  const unknown = await anon.post('/api/v1/public/votes', { code: 'ZZZZZ-ZZZZZ', grade: 'excellent' });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.message, '测评码无效，请核对后重新输入');
  // finalising waits for every part
  assert.equal((await town1.post(`/api/v1/village-reviews/${v.id}/finalise`, { on: '2026-01-20' })).status, 409);
  const parts = { report: 85, county: 88, revival: 90, township: 86, unit: 91 };
  for (const [examiner, score] of Object.entries(parts)) {
    v = await ok(town1.post(`/api/v1/village-reviews/${v.id}/scores`, { examiner, score, examiner_name: `${examiner}评分人` }));
  }
  assert.equal((await town1.post(`/api/v1/village-reviews/${v.id}/scores`, { examiner: 'unit', score: 10, examiner_name: 'x' })).status, 409);
  // while open: codes handed out and used, never the counts by grade
  assert.deepEqual(v.rounds.map((x) => [x.codes, x.used, x.score, x.votes.length]), [[3, 3, null, 0], [4, 4, null, 0]]);
  // the scheme changed the day after the 述职: the one in force on the 述职 date weighs it
  const base = { min_days: 20, township_leave_days: 3, ending_soon_days: 90 };
  const bad = await adm.post('/api/v1/rules', { kind: 'village_work', org_id: T1, effective_from: '2026-01-16', name: '镇：新办法',
    data: { ...base, weights: { report: 40, rating_cadres: 10, rating_villagers: 10, exams: 40 }, grades: { excellent: 80, competent: 80, basic: 60 } } });
  assert.equal(bad.status, 400);
  const later = await adm.post('/api/v1/rules', { kind: 'village_work', org_id: T1, effective_from: '2026-01-16', name: '镇：新办法',
    data: { ...base, weights: { report: 40, rating_cadres: 10, rating_villagers: 10, exams: 40 }, grades: { excellent: 85, competent: 70, basic: 60 } } });
  assert.ok([200, 201].includes(later.status), JSON.stringify(later.body));
  v = await ok(town1.post(`/api/v1/village-reviews/${v.id}/finalise`, { on: '2026-01-20' }));
  // 0.10×85 + 0.15×(280/3) + 0.15×80 + 0.60×(355/4) = 8.5 + 14 + 12 + 53.25 = 87.75
  assert.equal(v.final_score, 87.75);
  assert.deepEqual(v.rounds.map((x) => [x.score, x.votes.map((g) => g.count)]), [[93.33, [2, 1, 0, 0]], [80, [1, 2, 1, 0]]]);
  assert.equal(v.grade_name, '称职');
  assert.equal((await anon.post('/api/v1/public/votes', { code: 'ZZZZZ-ZZZZY', grade: 'basic' })).status, 404);
  // outcomes: by the level above only, on a cadre of the team
  const oc = { cadre_id: cadre.id, kind: 'disqualify', on_date: '2026-01-25', decided_by: '县委组织部部务会', reason: '考核排名靠后' };
  assert.equal((await branch1.post(`/api/v1/village-reviews/${v.id}/outcomes`, oc)).status, 403);
  const o = await ok(town1.post(`/api/v1/village-reviews/${v.id}/outcomes`, oc), 201);
  assert.equal(o.reserve_id, rsv.id);
  assert.match(sql(srv.db, `SELECT removed_kind FROM reserve_cadres WHERE id = ${rsv.id}`), /disqualified/);
  await ok(town1.post(`/api/v1/village-reviews/${v.id}/outcomes`, { ...oc, kind: '召回', reason: '召回重派' }), 201);
  assert.match(sql(srv.db, `SELECT end_reason FROM village_postings WHERE id = ${posting.id}`), /recalled/);
  const rec = await ok(adm.get(`/api/v1/cadres/${cadre.id}`));
  assert.deepEqual(rec.outcomes.map((x) => [x.kind_name, x.decided_by, x.review_year]).sort(),
    [['取消后备干部资格', '县委组织部部务会', 2025], ['召回', '县委组织部部务会', 2025]]);
  v = await ok(town1.get(`/api/v1/village-reviews/${v.id}`));
  assert.equal(v.outcomes.length, 2);
  const list = await ok(town1.get(`/api/v1/village-teams/${team.id}/reviews`));
  assert.deepEqual(list.items.map((x) => [x.year, x.final_score, x.grade_name]), [[2025, 87.75, '称职']]);
  // the county view shows the last evaluation as before
  const vw = await ok(adm.get(`/api/v1/orgs/${T1}/villages`));
  assert.deepEqual(vw.items.filter((x) => x.org_id === V1).map((x) => [x.eval_score, x.eval_year]), [[87.75, 2025]]);
  // the person later in another township's pool: this township's outcome does not reach it
  const V2 = await mkOrg(T2, '述职西村党支部', 'branch');
  await ok(adm.patch(`/api/v1/orgs/${V2}`, { domain: 'rural' }));
  const rsv2 = await ok(adm.post('/api/v1/reserve-cadres', { org_id: V2, name: '孙驻村', id_number: idn, source: 'other', entered_on: '2026-01-26' }), 201);
  assert.equal((await ok(town1.post(`/api/v1/village-reviews/${v.id}/outcomes`, { ...oc, on_date: '2026-01-27' }), 201)).reserve_id, null);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM reserve_cadres WHERE id = ${rsv2.id} AND removed_on IS NULL`).trim(), '1');
  // a member with the same ID number: the outcomes on the member page
  const m = await mkMember(V1, '孙驻村', { id_number: idn });
  const mh = await ok(town1.get(`/api/v1/members/${m}/reviews`));
  assert.deepEqual(mh.outcomes.map((x) => x.kind).sort(), ['disqualify', 'disqualify', 'recall']);
});

test('the vote rows carry no code, time, voter or address; a code is stored only as a keyed digest', async () => {
  const cols = /^postgres/.test(srv.db)
    ? sql(srv.db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'village_review_votes' ORDER BY ordinal_position")
    : sql(srv.db, "SELECT name FROM pragma_table_info('village_review_votes')");
  assert.deepEqual(cols.trim().split('\n'), ['id', 'review_id', 'round', 'grade']);
  const codeCols = /^postgres/.test(srv.db)
    ? sql(srv.db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'village_review_codes' ORDER BY ordinal_position")
    : sql(srv.db, "SELECT name FROM pragma_table_info('village_review_codes')");
  assert.deepEqual(codeCols.trim().split('\n'), ['id', 'review_id', 'round', 'code_hash', 'used']);
  assert.equal(sql(srv.db, "SELECT COUNT(*) FROM audit_log WHERE action LIKE '%vote%'").trim(), '0');
  assert.equal(sql(srv.db, 'SELECT COUNT(*) FROM village_review_votes').trim(), '7');
  // drawn ids: the rows' order does not line up with the request log
  assert.equal(sql(srv.db, 'SELECT COUNT(*) FROM village_review_votes WHERE id < 1099511627776').trim(), '0');
});
