// 发展党员 as the county and the branch see it: the funnel of a year equal
// to a recount of the step rows, the list of overdue approvals and broken
// rules, the recruitment reminders in the branch calendar, the two
// printables (escaping, no ID number, the 公示's last working day across
// the National Day holiday) and the scoping of every route.
//
// The pipelines are built through the applicant API (two full pipelines in
// one branch, early ones in two others, over the years 2023 to 2026), so
// the rows counted are the rows the record writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, root, town, town2, A, B, C, secA, secB, secC, townW, county, town2W;
const M = {};
const APP = {};
const ID = {};

const idOf = (birth, seq) => withCheck(`110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);
const chinaDay = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);

async function ok(res, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type })).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', {
  org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01',
})).then((b) => b.id);

/** A 支部党员大会 of branch A on `day`, F1-F4 present, one resolution per title. */
async function plenary(day, kind, titles) {
  const t = Date.parse(`${day}T10:00:00+08:00`) / 1000;
  const m = await ok(adm.post('/api/v1/meetings', { org_id: A, type: 'plenary', start_at: t, end_at: t + 7200, topic: '发展党员' }));
  await ok(adm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '补录发展党员会议记录', days: 1 }));
  const present = [M.F1, M.F2, M.F3, M.F4];
  await ok(adm.put(`/api/v1/meetings/${m.id}/attendance`, {
    items: m.attendance.map((x) => ({ member_id: x.member_id, status: present.includes(x.member_id) ? 'present' : 'absent' })),
  }));
  const res = [];
  for (const title of titles) res.push((await ok(adm.post(`/api/v1/meetings/${m.id}/resolutions`, { title, kind, yes: 4, no: 0, abstain: 0 }))).id);
  return { id: m.id, res };
}

const SUPERIOR = new Set([4, 8, 13, 16, 17, 18, 24]);
async function step(id, body, c) {
  const who = c || (SUPERIOR.has(body.step) ? townW : secA);
  return ok(who.post(`/api/v1/applicants/${id}/steps`, body), 201);
}
async function apply(c, body) {
  return ok(c.post('/api/v1/applicants', body), 201);
}

/** Steps 2-14 of the 2023 intake of branch A. */
async function toStep14(id) {
  const s = [
    { step: 2, done_on: '2023-03-20', talkers: [{ member_id: M.F1 }] },
    { step: 3, done_on: '2023-04-10', recommended_by: 'members' },
    { step: 4, done_on: '2023-04-20' },
    { step: 5, done_on: '2023-05-01', contacts: [M.F1] },
    { step: 6, done_on: '2023-10-10', opinion: '思想进步，表现良好' },
    { step: 6, done_on: '2024-04-08', opinion: '积极参加组织活动' },
    { step: 7, done_on: '2024-04-10' },
    { step: 8, done_on: '2024-04-20' },
    { step: 9, done_on: '2024-05-06', introducers: [M.F1, M.F2] },
    { step: 10, done_on: '2024-05-20', conclusion: 'pass' },
    { step: 11, done_on: '2024-06-10', training_days: 3, certificate_no: 'PX2024-018' },
    { step: 12, done_on: '2024-06-17', conclusion: 'pass' },
    { step: 13, done_on: '2024-06-25', publicity_from: '2024-06-18', conclusion: 'pass' },
    { step: 14, done_on: '2024-06-28', volunteer_no: 'ZYS-2024-0007' },
  ];
  for (const b of s) await step(id, b);
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '城关镇党委', 'committee');
  town2 = await mkOrg(root, '河口镇党委', 'committee');
  A = await mkOrg(town, '东街村党支部', 'branch');
  B = await mkOrg(town, '西街村党支部', 'branch');
  C = await mkOrg(town2, '河口村党支部', 'branch');
  await ok(adm.patch(`/api/v1/orgs/${town}`, { contact: '城关镇党委组织办 0551-12345678' }));
  for (const n of ['F1', 'F2', 'F3', 'F4', 'F5']) M[n] = await mkMember(A, '东' + n);
  addUser(srv, 'seca', 'party_worker', A);
  addUser(srv, 'secb', 'party_worker', B);
  addUser(srv, 'secc', 'party_worker', C);
  addUser(srv, 'townw', 'party_worker', town);
  addUser(srv, 'town2w', 'party_worker', town2);
  addUser(srv, 'county', 'party_worker', root);
  [secA, secB, secC, townW, town2W, county] = await Promise.all(['seca', 'secb', 'secc', 'townw', 'town2w', 'county'].map((u) => loginAs(srv, u)));

  // A: 张青 (graduate, 26 at the plenary) from application to 转正;
  // 李延 (returnee, 38 at the plenary) to the 上级党委's approval
  ID.Y = idOf('1998-03-15', 51);
  APP.Y = (await apply(secA, { org_id: A, name: '张青', id_number: ID.Y, phone: '13900001111', applied_on: '2023-03-01',
    source: 'graduate', education: '大学本科', ethnicity: '汉族', work_unit: '东街村<b>合作社</b>' })).id;
  APP.X = (await apply(secA, { org_id: A, name: '李延', id_number: idOf('1985-11-20', 62), applied_on: '2023-03-01',
    source: 'returnee', education: '高中' })).id;
  await toStep14(APP.Y);
  await toStep14(APP.X);
  const admit = await plenary('2024-07-01', 'admission', ['接收张青为预备党员', '接收李延为预备党员']);
  await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: admit.id, resolution_id: admit.res[0] });
  await step(APP.X, { step: 15, done_on: '2024-07-01', meeting_id: admit.id, resolution_id: admit.res[1] });
  for (const id of [APP.Y, APP.X]) {
    await step(id, { step: 16, done_on: '2024-07-10', talkers: [{ name: '镇党委组织委员 王某' }] });
    await step(id, { step: 17, done_on: '2024-08-01' });
  }
  for (const b of [{ step: 18, done_on: '2024-08-05' }, { step: 19, done_on: '2024-08-10' }, { step: 20, done_on: '2024-08-15' },
    { step: 21, done_on: '2025-01-10', opinion: '预备期表现良好' }, { step: 22, done_on: '2025-06-20' }]) await step(APP.Y, b);
  const full = await plenary('2025-07-01', 'full', ['张青转正']);
  await step(APP.Y, { step: 23, done_on: '2025-07-01', meeting_id: full.id, resolution_id: full.res[0], outcome: 'full' });
  await step(APP.Y, { step: 24, done_on: '2025-07-20' });

  // B: a young woman of 2025 (league-recommended), a veteran of 2026 whose talk is overdue
  APP.P = (await apply(secB, { org_id: B, name: '王萍', id_number: idOf('2003-05-02', 22), applied_on: '2025-05-10',
    source: 'graduate', education: '大学本科' })).id;
  await step(APP.P, { step: 2, done_on: '2025-05-20', talkers: [{ name: '支部书记 陈某' }] }, secB);
  await step(APP.P, { step: 3, done_on: '2025-06-10', recommended_by: 'league' }, secB);
  APP.Q = (await apply(secB, { org_id: B, name: '赵军', id_number: idOf('1970-01-01', 33), applied_on: '2026-02-01',
    source: 'veteran' })).id;

  // C (the other town): a 63-year-old of 2026 with a corrected step 3, and
  // an application of ten days ago whose talk is due
  APP.R = (await apply(secC, { org_id: C, name: '钱老', id_number: idOf('1962-06-06', 45), applied_on: '2026-03-01',
    source: 'other', education: '初中' })).id;
  await step(APP.R, { step: 2, done_on: '2026-03-15', talkers: [{ name: '支部书记 孙某' }] }, secC);
  const r3 = await step(APP.R, { step: 3, done_on: '2026-05-01', recommended_by: 'members' }, secC);
  const s3 = r3.steps.find((s) => s.step === 3);
  await ok(secC.post(`/api/v1/applicants/${APP.R}/steps/${s3.id}/correct`, { done_on: '2026-05-02', recommended_by: 'members', reason: '日期录错' }), 201);
  APP.S = (await apply(secC, { org_id: C, name: '孙新', id_number: idOf('2000-08-08', 17), applied_on: chinaDay(-10),
    source: 'young_farmer' })).id;
});

after(async () => { if (srv) await srv.stop(); });

// ---- the funnel -----------------------------------------------------------

const KINDS = [['applications', 1], ['activists', 3], ['candidates', 7], ['probationary', 17], ['full', 24]];
const none = (v) => v === '' || v === 'None' || v === undefined ? null : v;
function age(birth, day) {
  if (!birth) return -1;
  return Number(day.slice(0, 4)) - Number(birth.slice(0, 4)) - (day.slice(5) < birth.slice(5) ? 1 : 0);
}
function band(a) {
  return a < 0 ? 'unknown' : a < 25 ? 'under25' : a < 35 ? '25-34' : a < 45 ? '35-44' : a < 55 ? '45-54' : '55+';
}
const inc = (o, k) => { o[k] = (o[k] || 0) + 1; };

/** The funnel of org (path, children) and year, counted here from the rows. */
function recount(path, children, year) {
  const rows = sql(srv.db, 'SELECT s.applicant_id, s.step, s.done_on, s.facts, a.org_path, a.source, a.education, a.gender, a.birth_date '
    + 'FROM applicant_steps s JOIN applicants a ON a.id = s.applicant_id WHERE s.replaced_by IS NULL').trim().split('\n')
    .filter(Boolean).map((l) => {
      const f = l.split('|');
      return { app: f[0], step: Number(f[1]), day: f[2], facts: JSON.parse(f[3]), path: f[4], source: none(f[5]),
        education: none(f[6]), gender: none(f[7]), birth: none(f[8]) };
    });
  const plenary = {};
  for (const r of rows) if (r.step === 15) plenary[r.app] = r.day;
  const out = { funnel: {}, young: 0, children: Object.fromEntries(children.map((c) => [c.id, {}])) };
  for (const [key] of KINDS) out.funnel[key] = { count: 0, by_source: {}, by_age: {}, by_education: {}, by_gender: {} };
  for (const r of rows) {
    if (!r.path.startsWith(path) || r.day.slice(0, 4) !== String(year)) continue;
    const kind = KINDS.find(([, s]) => s === r.step)?.[0];
    if (!kind || (r.step === 24 && r.facts.outcome !== 'full')) continue;
    const f = out.funnel[kind];
    f.count++;
    inc(f.by_source, r.source || 'unknown');
    inc(f.by_age, band(age(r.birth, r.day)));
    inc(f.by_education, r.education || 'unknown');
    inc(f.by_gender, r.gender || 'unknown');
    if (r.step === 17 && age(r.birth, plenary[r.app]) >= 0 && age(r.birth, plenary[r.app]) < 35) out.young++;
    const ch = children.find((c) => r.path.startsWith(c.path));
    if (ch) inc(out.children[ch.id], kind);
  }
  const pipeline = {};
  for (const l of sql(srv.db, `SELECT stage FROM applicants WHERE closed IS NULL AND org_path LIKE '${path}%'`).trim().split('\n').filter(Boolean)) inc(pipeline, l);
  out.pipeline = pipeline;
  return out;
}

const pathOf = async (id) => (await adm.get(`/api/v1/orgs/${id}`)).body.path;

test('the funnel of every year and level equals a recount of the current step rows', async () => {
  const tree = [[root, [town, town2]], [town, [A, B]], [town2, [C]], [A, []]];
  let nonzero = 0;
  for (const [org, kids] of tree) {
    const path = await pathOf(org);
    const children = await Promise.all(kids.map(async (id) => ({ id, path: await pathOf(id) })));
    for (const year of [2023, 2024, 2025, 2026]) {
      const r = await county.get(`/api/v1/orgs/${org}/recruitment?year=${year}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const want = recount(path, children, year);
      assert.equal(r.body.year, year);
      assert.deepEqual(r.body.funnel.map((f) => f.key), KINDS.map(([k]) => k));
      for (const f of r.body.funnel) {
        const w = want.funnel[f.key];
        const where = `org ${org} ${year} ${f.key}`;
        assert.equal(f.count, w.count, where);
        nonzero += f.count;
        assert.deepEqual(f.by_source, w.by_source, where);
        assert.deepEqual(Object.fromEntries(Object.entries(f.by_age).filter(([, n]) => n)), w.by_age, where);
        assert.equal(Object.values(f.by_age).reduce((a, b) => a + b, 0), f.count, where);
        assert.deepEqual(f.by_education, w.by_education, where);
        assert.deepEqual(f.by_gender, w.by_gender, where);
      }
      assert.equal(r.body.young.young, want.young, `young ${org} ${year}`);
      assert.equal(r.body.young.probationary, want.funnel.probationary.count);
      assert.deepEqual(r.body.children.map((c) => c.org_id), kids);
      for (const c of r.body.children) {
        for (const [k] of KINDS) assert.equal(c[k], want.children[c.org_id][k] || 0, `child ${c.org_id} ${year} ${k}`);
      }
      for (const [s, n] of Object.entries(r.body.pipeline)) assert.equal(n, want.pipeline[s] || 0, `pipeline ${org} ${s}`);
      assert.equal(r.body.open_total, Object.values(want.pipeline).reduce((a, b) => a + b, 0));
    }
  }
  assert.ok(nonzero >= 20, `the fixture counts something (${nonzero})`);
});

test('the funnel by hand: 2024 admits two, one of them young; 2026 counts the corrected step once', async () => {
  let r = await county.get(`/api/v1/orgs/${root}/recruitment?year=2024`);
  const f = Object.fromEntries(r.body.funnel.map((x) => [x.key, x]));
  assert.equal(f.probationary.count, 2);
  assert.deepEqual(r.body.young, { age_under: 35, probationary: 2, young: 1, share: 0.5 });
  assert.deepEqual(f.probationary.by_source, { graduate: 1, returnee: 1 });
  assert.equal(f.probationary.by_age['25-34'], 1);
  assert.equal(f.probationary.by_age['35-44'], 1);
  assert.deepEqual(f.candidates.by_education, { 大学本科: 1, 高中: 1 });
  r = await county.get(`/api/v1/orgs/${root}/recruitment?year=2025`);
  const g = Object.fromEntries(r.body.funnel.map((x) => [x.key, x]));
  assert.equal(g.full.count, 1);
  assert.deepEqual(g.activists.by_gender, { F: 1 });
  assert.equal(g.activists.by_age.under25, 1);
  r = await county.get(`/api/v1/orgs/${root}/recruitment?year=2026`);
  const h = Object.fromEntries(r.body.funnel.map((x) => [x.key, x]));
  assert.equal(h.activists.count, 1);
  assert.equal(h.activists.by_age['55+'], 1);
  assert.equal(h.applications.count, chinaDay(-10).startsWith('2026') ? 3 : 2);
  assert.deepEqual(r.body.children.find((c) => c.org_id === town2).activists, 1);
  assert.equal(r.body.pipeline.probationary, 1);
  // the year is checked
  r = await county.get(`/api/v1/orgs/${root}/recruitment?year=20x6`);
  assert.equal(r.status, 400);
});

// ---- alerts ----------------------------------------------------------------

test('alerts: overdue talks, 考察 and the ended 预备期, and an imported step with a flag, most overdue first, paged', async () => {
  let r = await county.get(`/api/v1/orgs/${root}/recruitment/alerts`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const items = r.body.items;
  const find = (app, alert) => items.find((x) => x.applicant_id === app && x.alert === alert);
  // 李延: 预备期 from the plenary 2024-07-01 ended 2025-07-01 with no 转正 discussion
  const over = find(APP.X, 'probation_over');
  assert.ok(over, JSON.stringify(items));
  assert.equal(over.due_on, '2025-07-01');
  assert.equal(over.since, '2024-07-01');
  assert.equal(over.step, 23);
  assert.equal(over.org_id, A);
  assert.equal(over.applicant_name, '李延');
  assert.match(over.text, /2025-07-01/);
  // 赵军: applied 2026-02-01, the talk was due 2026-03-01
  const talk = find(APP.Q, 'talk_due');
  assert.equal(talk.due_on, '2026-03-01');
  assert.equal(talk.severity, 'overdue');
  assert.equal(talk.org_name, '西街村党支部');
  // 孙新 applied ten days ago: not yet overdue, not listed
  assert.ok(!items.some((x) => x.applicant_id === APP.S));
  // 张青 is done: nothing
  assert.ok(!items.some((x) => x.applicant_id === APP.Y));
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].days_overdue >= items[i].days_overdue);
  assert.equal(r.body.total, items.length);
  assert.equal(r.body.counts.probation_over, 1);

  // an imported step kept with the rule it broke
  sql(srv.db, `UPDATE applicant_steps SET flag = '入党谈话应在递交入党申请书后一个月内进行' WHERE applicant_id = ${APP.P} AND step = 2`);
  r = await townW.get(`/api/v1/orgs/${town}/recruitment/alerts`);
  const flagged = r.body.items.find((x) => x.alert === 'flagged');
  assert.ok(flagged, JSON.stringify(r.body.items));
  assert.equal(flagged.applicant_id, APP.P);
  assert.equal(flagged.step, 2);
  assert.equal(flagged.due_on, '2025-05-20');
  assert.equal(flagged.severity, 'flagged');
  assert.match(flagged.text, /一个月内/);
  assert.equal(r.body.counts.flagged, 1);
  // town2 sees only its own
  r = await town2W.get(`/api/v1/orgs/${town2}/recruitment/alerts`);
  assert.ok(r.body.items.every((x) => x.org_id === C));
  // paging
  const all = (await county.get(`/api/v1/orgs/${root}/recruitment/alerts`)).body;
  r = await county.get(`/api/v1/orgs/${root}/recruitment/alerts?limit=1`);
  assert.equal(r.body.items.length, 1);
  assert.equal(r.body.next, '1');
  const r2 = await county.get(`/api/v1/orgs/${root}/recruitment/alerts?limit=1&after=1`);
  assert.deepEqual(r2.body.items[0], all.items[1]);
});

// ---- the calendar ----------------------------------------------------------

test('the branch calendar carries the recruitment reminders beside its meetings', async () => {
  let r = await secC.get(`/api/v1/orgs/${C}/calendar`);
  assert.equal(r.status, 200);
  const rec = r.body.items.filter((x) => x.kind === 'recruit');
  const talk = rec.find((x) => x.applicant_id === APP.S);
  assert.ok(talk, JSON.stringify(rec));
  assert.equal(talk.alert, 'talk_due');
  assert.equal(talk.status, 'due');
  assert.equal(talk.branch_id, C);
  assert.equal(talk.step, 2);
  // the meetings of the branch are still there, without a kind
  assert.ok(r.body.items.some((x) => !x.kind && x.type), JSON.stringify(r.body.items.slice(0, 3)));
  // the due reminder is counted among the due items, before the overdue ones
  const iTalk = r.body.items.indexOf(talk);
  assert.ok(r.body.items.slice(iTalk).every((x) => x.status !== 'due' || x.kind === 'recruit'));
  // 李延's 预备期 is over and his 考察 overdue: the overdue part of A's calendar
  r = await secA.get(`/api/v1/orgs/${A}/calendar`);
  const a = r.body.items.filter((x) => x.kind === 'recruit');
  assert.deepEqual(a.map((x) => x.alert).sort(), ['assess_due', 'probation_over']);
  assert.ok(a.every((x) => x.status === 'overdue' && x.applicant_id === APP.X));
  // the approval is the 党委's and an overdue talk of B is B's: not in A's calendar
  assert.ok(!a.some((x) => x.alert === 'approval_due' || x.applicant_id === APP.Q));
  r = await secB.get(`/api/v1/orgs/${B}/calendar`);
  assert.ok(r.body.items.some((x) => x.kind === 'recruit' && x.applicant_id === APP.Q && x.status === 'overdue'));
});

// ---- printables -------------------------------------------------------------

test('the 培养考察 record: the person, talk, 积极分子, 联系人 and each 考察 with its date; user text escaped', async () => {
  const r = await secA.get(`/api/v1/applicants/${APP.Y}/print/record`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const html = r.body.toString();
  assert.match(html, /入党积极分子培养考察登记表/);
  assert.match(html, /张青/);
  assert.match(html, /1998年3月/);
  assert.match(html, /2023年3月1日/);       // application
  assert.match(html, /2023年3月20日/);      // talk
  assert.match(html, /党员推荐/);
  assert.match(html, /东F1/);               // talker and contact
  assert.match(html, /2023年10月10日[\s\S]*思想进步，表现良好[\s\S]*2024年4月8日[\s\S]*积极参加组织活动/);
  assert.match(html, /东街村&lt;b&gt;合作社&lt;\/b&gt;/);
  assert.ok(!html.includes('<b>合作社'));
  assert.ok(!html.includes(ID.Y) && !html.includes('13900001111'));
  // blank rows for the 考察 still to come while an activist
  const p = await secB.get(`/api/v1/applicants/${APP.P}/print/record`);
  assert.equal((p.body.toString().match(/class="blank"/g) || []).length, 2);
  assert.match(p.body.toString(), /共青团推优/);
});

test('a name with <script> is escaped in both printables', async () => {
  const x = await apply(secB, { org_id: B, name: '<script>alert(1)</script>', applied_on: '2026-01-05', source: 'other' }).catch(() => null);
  const id = x ? x.id : APP.Q;
  if (!x) await ok(secB.patch(`/api/v1/applicants/${APP.Q}`, { work_unit: '<script>alert(1)</script>' }));
  for (const kind of ['record', 'publicity']) {
    const html = (await secB.get(`/api/v1/applicants/${id}/print/${kind}`)).body.toString();
    assert.ok(!html.includes('<script>'), kind);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, kind);
  }
});

test('the 公示 notice: recorded period, no ID number or phone, the 党委 contact; 5 working days across 国庆', async () => {
  let r = await secA.get(`/api/v1/applicants/${APP.Y}/print/publicity`);
  assert.equal(r.status, 200);
  let html = r.body.toString();
  assert.match(html, /发展党员公示/);
  assert.match(html, /张青/);
  assert.match(html, /1998年3月/);
  assert.ok(!html.includes('1998年3月15日') && !html.includes('1998-03-15'));
  assert.ok(!html.includes(ID.Y), 'no ID number');
  assert.ok(!html.includes(ID.Y.slice(-6)), 'not even its end');
  assert.ok(!html.includes('13900001111'), 'no phone');
  assert.match(html, /汉族/);
  assert.match(html, /大学本科/);
  assert.match(html, /2023年4月10日/);     // 积极分子
  assert.match(html, /2024年4月10日/);     // 发展对象
  assert.match(html, /东F1、东F2/);         // 介绍人
  // 2024-06-18 (Tue) + 5 working days: 06-18, 19, 20, 21, 24
  assert.match(html, /公示时间：2024年6月18日至2024年6月24日/);
  assert.match(html, /城关镇党委/);
  assert.match(html, /0551-12345678/);
  // before step 13: the period from ?from=; 2026-09-29 runs over 国庆 to the 调休 Saturday 10-10
  r = await secB.get(`/api/v1/applicants/${APP.P}/print/publicity?from=2026-09-29`);
  html = r.body.toString();
  assert.match(html, /公示时间：2026年9月29日至2026年10月10日（5 个工作日）/);
  r = await secB.get(`/api/v1/applicants/${APP.P}/print/publicity?from=2026-09-3x`);
  assert.equal(r.status, 400);
});

// ---- scoping -----------------------------------------------------------------

test('every route is scoped: another branch or town sees nothing of A', async () => {
  for (const p of [`/api/v1/applicants/${APP.Y}/print/record`, `/api/v1/applicants/${APP.Y}/print/publicity`,
    `/api/v1/orgs/${A}/recruitment`, `/api/v1/orgs/${A}/recruitment/alerts`, `/api/v1/orgs/${town}/recruitment`]) {
    const r = await secB.get(p);
    assert.equal(r.status, 404, p);
    const r2 = await town2W.get(p);
    assert.equal(r2.status, 404, p);
  }
  // a branch's own funnel is its own
  const r = await secA.get(`/api/v1/orgs/${A}/recruitment?year=2024`);
  assert.equal(r.status, 200);
  assert.equal(r.body.funnel[3].count, 2);
  // the town's calendar does not show B's applicants to a user of C
  const c = await secC.get(`/api/v1/orgs/${town}/calendar`);
  assert.equal(c.status, 404);
});
