// Issue 11: 发展党员 over HTTP — a whole pipeline from the 入党申请书 to 转正
// with real meeting records, refusals as 409 naming the rule, the plenary
// link (no quorum, a failed resolution, a 预备党员 who does not count as a
// voter), the hand-over to the roster at step 19 and at 转正, an extension
// then 转正, a cancellation, corrections, the steps of the 上级党委, 终止培养,
// masking of the ID number and scoping of every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';

let srv, adm, root, town, A, B, GA, secA, secB, townW, aud;
const M = {};
const APP = {};      // applicants by short name -> id
const MEET = {};     // meetings by name -> {id, res: {applicant: resolution id}}

const idOf = (birth, seq) => withCheck(`110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, category = 'full', extra = {}) {
  const body = { org_id: org, name, category, join_date: '2010-07-01', ...extra };
  if (category === 'full' && !body.full_date) body.full_date = '2011-07-01';
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** A 支部党员大会 of branch A held on `day` (noon China time), those present,
 *  and one resolution per {title, kind, yes, no}. */
async function plenary(day, presentIds, resolutions) {
  const t = Date.parse(`${day}T10:00:00+08:00`) / 1000;
  let r = await adm.post('/api/v1/meetings', { org_id: A, type: 'plenary', start_at: t, end_at: t + 7200, topic: '发展党员' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const m = r.body;
  // a record of years ago: the level above unlocks it to complete it
  r = await adm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '补录发展党员会议记录', days: 1 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const items = m.attendance.map((x) => ({ member_id: x.member_id, status: presentIds.includes(x.member_id) ? 'present' : 'absent' }));
  r = await adm.put(`/api/v1/meetings/${m.id}/attendance`, { items });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const res = [];
  for (const x of resolutions) {
    r = await adm.post(`/api/v1/meetings/${m.id}/resolutions`, { abstain: 0, ...x });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    res.push(r.body.id);
  }
  return { id: m.id, res };
}

async function apply(c, body, status = 201) {
  const r = await c.post('/api/v1/applicants', { org_id: A, source: 'young_farmer', ...body });
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

/** The default facts of step n for the timeline below. */
function stepBody(n) {
  const d = {
    2: { done_on: '2023-03-20', talkers: [{ member_id: M.F1 }] },
    3: { done_on: '2023-04-10', recommended_by: 'members' },
    4: { done_on: '2023-04-20' },
    5: { done_on: '2023-05-01', contacts: [M.F1] },
    7: { done_on: '2024-04-10' },
    8: { done_on: '2024-04-20' },
    9: { done_on: '2024-05-06', introducers: [M.F1, M.F2] },
    10: { done_on: '2024-05-20', conclusion: 'pass' },
    11: { done_on: '2024-06-10', training_days: 3, certificate_no: 'PX2024-018' },
    12: { done_on: '2024-06-17', conclusion: 'pass' },
    13: { done_on: '2024-06-25', publicity_from: '2024-06-18', conclusion: 'pass' },
    14: { done_on: '2024-06-28', volunteer_no: 'ZYS-2024-0007' },
    16: { done_on: '2024-07-10', talkers: [{ name: '镇党委组织委员 王某' }] },
    17: { done_on: '2024-08-01' },
    18: { done_on: '2024-08-05' },
    19: { done_on: '2024-08-10', group_id: GA },
    20: { done_on: '2024-08-15' },
    22: { done_on: '2025-06-20' },
  };
  return { step: n, ...d[n] };
}
const SUPERIOR = new Set([4, 8, 13, 16, 17, 18, 24]);
const by = (n) => (SUPERIOR.has(n) ? townW : secA);

async function step(id, body, status = 201, c = by(body.step)) {
  const r = await c.post(`/api/v1/applicants/${id}/steps`, body);
  assert.equal(r.status, status, `step ${body.step}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Record steps from..to with their defaults (6 and 21 as assessments). */
async function advance(id, from, to, extra = {}) {
  let last;
  for (let n = from; n <= to; n++) {
    if (n === 6) {
      await step(id, { step: 6, done_on: '2023-10-10', opinion: '思想进步，表现良好' });
      last = await step(id, { step: 6, done_on: '2024-04-08', opinion: '积极参加组织活动' });
      continue;
    }
    if (n === 21) {
      last = await step(id, { step: 21, done_on: '2025-01-10', opinion: '预备期表现良好' });
      continue;
    }
    if (n === 15) {
      last = await step(id, { step: 15, done_on: '2024-07-01', meeting_id: MEET.admit.id, resolution_id: MEET.admit.res[extra.res15] });
      continue;
    }
    last = await step(id, stepBody(n));
  }
  return last;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '城关镇党委', 'committee');
  A = await mkOrg(town, '东街村党支部', 'branch');
  B = await mkOrg(town, '西街村党支部', 'branch');
  GA = await mkOrg(A, '东街村第一党小组', 'group');
  for (const n of ['F1', 'F2', 'F3', 'F4', 'F5']) M[n] = await mkMember(A, '东' + n);
  M.P1 = await mkMember(A, '东P1', 'probationary', { join_date: '2024-01-01' });
  M.B1 = await mkMember(B, '西B1');
  addUser(srv, 'seca', 'party_worker', A);
  addUser(srv, 'secb', 'party_worker', B);
  addUser(srv, 'townw', 'party_worker', town);
  addUser(srv, 'auditor', 'audit_admin', root);
  aud = await loginAs(srv, 'auditor');
  secA = await loginAs(srv, 'seca');
  secB = await loginAs(srv, 'secb');
  townW = await loginAs(srv, 'townw');
  // the plenary that admits three of them (2024-07-01): F1-F4 and P1
  // present, five full members entitled
  MEET.admit = await plenary('2024-07-01', [M.F1, M.F2, M.F3, M.F4, M.P1], [
    { title: '接收张青为预备党员', kind: 'admission', yes: 4, no: 0 },
    { title: '接收李延为预备党员', kind: 'admission', yes: 4, no: 0 },
    { title: '接收赵消为预备党员', kind: 'admission', yes: 4, no: 0 },
  ]);
});

after(async () => { if (srv) await srv.stop(); });

// ---- the record ------------------------------------------------------------

test('an application: step 1 recorded, under 18 refused on applied_on, a 党小组 or 党委 refused on org_id', async () => {
  let r = await secA.post('/api/v1/applicants', { org_id: A, name: '少年', id_number: idOf('2008-05-02', 11), applied_on: '2026-05-01' });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'applied_on');
  assert.match(r.body.error.message, /年满 18 岁/);
  // the 18th birthday itself is allowed
  const young = await apply(secA, { name: '刚满', id_number: idOf('2008-05-02', 13), applied_on: '2026-05-02' });
  assert.equal(young.stage, 'applicant');
  assert.equal(young.step, 1);
  for (const org of [GA, town]) {
    r = await adm.post('/api/v1/applicants', { org_id: org, name: '某', applied_on: '2026-05-02' });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, 'org_id');
    assert.match(r.body.error.message, /党支部/);
  }
  // a birth date that differs from the ID number's
  r = await secA.post('/api/v1/applicants', { org_id: A, name: '某', id_number: idOf('1998-03-15', 21), birth_date: '1998-03-16', applied_on: '2026-05-02' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'birth_date');
  // an ID number already on the roster, or already in the pipeline
  const onRoster = idOf('1990-01-01', 31);
  await mkMember(B, '在册', 'full', { id_number: onRoster });
  r = await secA.post('/api/v1/applicants', { org_id: A, name: '在册', id_number: onRoster, applied_on: '2026-05-02' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  assert.match(r.body.error.message, /已有党员登记/);
  r = await secA.post('/api/v1/applicants', { org_id: A, name: '重复', id_number: idOf('2008-05-02', 13), applied_on: '2026-05-02' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /已在发展党员工作中登记/);
});

test('the ID number and phone are masked without member.sensitive; an admin may see them', async () => {
  const id = idOf('1997-08-09', 41);
  const a = await apply(secA, { name: '王遮', id_number: id, phone: '13812345678', applied_on: '2026-06-01', work_unit: '东街村' });
  assert.equal(a.id_number, '*'.repeat(18));
  assert.match(a.phone, /^138\*+5678$/);
  assert.equal(a.birth_date, '1997-08');
  let r = await secA.get(`/api/v1/applicants/${a.id}?full=1`);
  assert.equal(r.status, 403);
  r = await adm.get(`/api/v1/applicants/${a.id}?full=1`);
  assert.equal(r.status, 200);
  assert.equal(r.body.id_number, id);
  assert.equal(r.body.phone, '13812345678');
  assert.equal(r.body.gender, 'M');
  r = await secA.patch(`/api/v1/applicants/${a.id}`, { work_unit: '东街村合作社', education: '大学本科' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.work_unit, '东街村合作社');
  assert.equal(r.body.education, '大学本科');
});

// ---- a whole pipeline --------------------------------------------------------

test('steps break rules: each refusal is a 409 naming the rule and its dates', async () => {
  const a = await apply(secA, { name: '张青', id_number: idOf('1998-03-15', 51), applied_on: '2023-03-01', phone: '13900001111', ethnicity: '汉', education: '高中', work_unit: '东街村' });
  APP.Y = a.id;
  assert.equal(a.next.step, 2);
  // a step skipped
  let r = await step(a.id, stepBody(3), 409);
  assert.match(r.error.message, /第 2 步|谈话/);
  // the talk later than a month after the application
  r = await step(a.id, { step: 2, done_on: '2023-04-02', talkers: [{ member_id: M.F1 }] }, 409);
  assert.match(r.error.message, /一个月内派人谈话/);
  await advance(a.id, 2, 5);
  // a contact not yet a member on the day (P1 joined in 2024): the roster as it stood then
  const b = await apply(secA, { name: '李延', id_number: idOf('1996-11-20', 63), applied_on: '2023-03-01' });
  APP.X = b.id;
  await advance(b.id, 2, 4);
  r = await step(b.id, { step: 5, done_on: '2023-05-01', contacts: [M.P1] }, 409);
  assert.equal(r.error.field, 'contacts');
  assert.match(r.error.message, /东P1 不在名册上/);
  await advance(b.id, 5, 6);
  await advance(a.id, 6, 6);
  // 发展对象 one day before a year as 积极分子
  r = await step(a.id, { step: 7, done_on: '2024-04-09' }, 409);
  assert.match(r.error.message, /一年以上培养考察：2023-04-10 确定为积极分子，至 2024-04-09 不满一年/);
  await advance(a.id, 7, 8);
  // an 介绍人 who is a 预备党员
  r = await step(a.id, { step: 9, done_on: '2024-05-06', introducers: [M.F1, M.P1] }, 409);
  assert.equal(r.error.field, 'introducers');
  assert.match(r.error.message, /入党介绍人须为正式党员/);
  await advance(a.id, 9, 12);
  // the 预审 before the 公示 of five working days is over
  r = await step(a.id, { ...stepBody(13), done_on: '2024-06-24' }, 409);
  assert.match(r.error.message, /公示须满 5 个工作日/);
  await advance(a.id, 13, 14);
});

test('the plenary link: no quorum, a failed resolution, and a 预备党员 present who does not count', async () => {
  // two of five full members present
  const noQuorum = await plenary('2024-07-01', [M.F1, M.F2], [{ title: '接收张青（不足）', kind: 'admission', yes: 2, no: 0 }]);
  let r = await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: noQuorum.id }, 409);
  assert.equal(r.error.field, 'meeting_id');
  assert.match(r.error.message, /应到有表决权的正式党员 5 人，实到 2 人/);
  // quorum, but two yes of five entitled
  const failed = await plenary('2024-07-01', [M.F1, M.F2, M.F3], [{ title: '接收张青（未过）', kind: 'admission', yes: 2, no: 1 }]);
  r = await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: failed.id }, 409);
  assert.match(r.error.message, /决议未通过：2024-07-01 赞成 2 票/);
  // F1, F2 and the 预备党员 P1 present: three in the room, two voters
  const miscount = await plenary('2024-07-01', [M.F1, M.F2, M.P1], [{ title: '接收张青（误算）', kind: 'admission', yes: 2, no: 0 }]);
  r = await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: miscount.id }, 409);
  assert.match(r.error.message, /实到 2 人/);
  // a meeting of another date, and the admission meeting without saying which resolution
  r = await step(APP.Y, { step: 15, done_on: '2024-07-02', meeting_id: MEET.admit.id, resolution_id: MEET.admit.res[0] }, 409);
  assert.match(r.error.message, /不一致/);
  r = await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: MEET.admit.id }, 400);
  assert.equal(r.error.field, 'resolution_id');
  const ok = await step(APP.Y, { step: 15, done_on: '2024-07-01', meeting_id: MEET.admit.id, resolution_id: MEET.admit.res[0] });
  assert.equal(ok.steps.at(-1).meeting_id, MEET.admit.id);
  assert.equal(ok.steps.at(-1).resolution_id, MEET.admit.res[0]);
  assert.equal(ok.probation_end, '2025-07-01');
});

test('steps of the 上级党委: refused for the branch secretary naming the 党委, accepted for its worker', async () => {
  let r = await step(APP.Y, stepBody(16), 403, secA);
  assert.match(r.error.message, /城关镇党委/);
  await step(APP.Y, stepBody(16), 201, townW);
  // approval four months after the plenary needs a reason
  r = await step(APP.Y, { step: 17, done_on: '2024-11-01' }, 409);
  assert.equal(r.error.field, 'delay_reason');
  const a = await step(APP.Y, stepBody(17));
  assert.equal(a.stage, 'probationary');
});

test('step 19 puts the person on the roster as 预备党员 with everything carried over', async () => {
  await advance(APP.Y, 18, 18);
  const a = await advance(APP.Y, 19, 19);
  assert.ok(a.member_id);
  let r = await adm.get(`/api/v1/members/${a.member_id}?full=1`);
  assert.equal(r.status, 200);
  const m = r.body;
  assert.equal(m.category, 'probationary');
  assert.equal(m.join_date, '2024-07-01');
  assert.equal(m.full_date, null);
  assert.equal(m.name, '张青');
  assert.equal(m.org_id, A);
  assert.equal(m.group_id, GA);
  assert.equal(m.id_number, idOf('1998-03-15', 51));
  assert.equal(m.phone, '13900001111');
  assert.equal(m.birth_date, '1998-03-15');
  assert.equal(m.ethnicity, '汉族');
  assert.equal(m.education, '高中');
  assert.equal(m.work_unit, '东街村');
  assert.equal(m.source, '青年农民');
  // the pipeline record is no longer the place to edit personal details
  r = await secA.patch(`/api/v1/applicants/${APP.Y}`, { work_unit: '别处' });
  assert.equal(r.status, 409);
  // nor can a person on the roster be stopped
  r = await secA.post(`/api/v1/applicants/${APP.Y}/close`, { on: '2024-09-01', reason: '外出' });
  assert.equal(r.status, 409);
});

test('转正 at the end of the 预备期; an extension then 转正 after the extended end; a cancellation', async () => {
  // X: admitted by the same plenary (its own resolution); Z: a third person
  await advance(APP.X, 7, 14);
  await advance(APP.X, 15, 20, { res15: 1 });
  const z = await apply(secA, { name: '赵消', id_number: idOf('1999-02-02', 75), applied_on: '2023-03-01' });
  APP.Z = z.id;
  await advance(z.id, 2, 14);
  await advance(z.id, 15, 20, { res15: 2 });
  await advance(APP.Y, 20, 22);
  await advance(APP.X, 21, 22);
  await advance(z.id, 21, 22);
  // the 转正 plenary of 2025-07-01: the three new 预备党员 attend without a vote
  const full = await plenary('2025-07-01', [M.F1, M.F2, M.F3, M.F4], [
    { title: '张青转正', kind: 'full', yes: 4, no: 0 },
    { title: '李延延长预备期', kind: 'full', yes: 4, no: 0 },
    { title: '取消赵消预备党员资格', kind: 'full', yes: 4, no: 0 },
  ]);
  // a 转正 plenary the day before the 预备期 is over
  const early = await plenary('2025-06-30', [M.F1, M.F2, M.F3, M.F4], [{ title: '张青转正（提前）', kind: 'full', yes: 4, no: 0 }]);
  let r = await step(APP.Y, { step: 23, done_on: '2025-06-30', meeting_id: early.id, outcome: 'full' }, 409);
  assert.equal(r.error.field, 'done_on');
  assert.match(r.error.message, /2025-07-01/);
  await step(APP.Y, { step: 23, done_on: '2025-07-01', meeting_id: full.id, resolution_id: full.res[0], outcome: 'full' });
  let y = await step(APP.Y, { step: 24, done_on: '2025-07-20' });
  assert.equal(y.stage, 'full');
  r = await adm.get(`/api/v1/members/${y.member_id}`);
  assert.equal(r.body.category, 'full');
  assert.equal(r.body.full_date, '2025-07-01');
  r = await adm.get(`/api/v1/members/${y.member_id}/history`);
  assert.ok(r.body.items.some((h) => h.kind === 'category' && h.to && /正式|full/.test(h.to)), JSON.stringify(r.body.items));
  y = await step(APP.Y, { step: 25, done_on: '2025-08-01' });
  assert.equal(y.closed, 'done');
  assert.equal(y.next.step, 0);
  r = await step(APP.Y, { step: 21, done_on: '2025-08-02', opinion: 'x' }, 409);

  // X: extended by six months, then 21-24 again after the extended end
  await step(APP.X, { step: 23, done_on: '2025-07-01', meeting_id: full.id, resolution_id: full.res[1], outcome: 'extend', extend_months: 6 });
  let x = await step(APP.X, { step: 24, done_on: '2025-07-20' });
  assert.equal(x.stage, 'probationary');
  assert.equal(x.probation_end, '2026-01-01');
  r = await adm.get(`/api/v1/members/${x.member_id}/probation`);
  assert.equal(r.body.extension.months, 6);
  await step(APP.X, { step: 21, done_on: '2025-10-10', opinion: '延长期内表现良好' });
  await step(APP.X, { step: 22, done_on: '2025-12-20' });
  const again = await plenary('2026-01-05', [M.F1, M.F2, M.F3, M.F4], [{ title: '李延转正', kind: 'full', yes: 4, no: 0 }]);
  await step(APP.X, { step: 23, done_on: '2026-01-05', meeting_id: again.id, outcome: 'full' });
  x = await step(APP.X, { step: 24, done_on: '2026-01-20' });
  assert.equal(x.stage, 'full');
  r = await adm.get(`/api/v1/members/${x.member_id}`);
  assert.equal(r.body.category, 'full');
  assert.equal(r.body.full_date, '2026-01-01');

  // Z: 取消预备党员资格
  await step(z.id, { step: 23, done_on: '2025-07-01', meeting_id: full.id, resolution_id: full.res[2], outcome: 'cancel' });
  const zz = await step(z.id, { step: 24, done_on: '2025-07-20' });
  assert.equal(zz.closed, 'cancelled');
  r = await adm.get(`/api/v1/members/${zz.member_id}`);
  assert.equal(r.body.status, 'removed');
});

test('a correction: a reason is required, it is audited, and one that would break a later step is refused', async () => {
  const a = await apply(secA, { name: '钱改', id_number: idOf('2000-01-01', 81), applied_on: '2026-01-05' });
  let c = await step(a.id, { step: 2, done_on: '2026-01-20', talkers: [{ member_id: M.F3 }] });
  c = await step(a.id, { step: 3, done_on: '2026-02-10', recommended_by: 'league' });
  const s2 = c.steps.find((s) => s.step === 2);
  let r = await secA.post(`/api/v1/applicants/${a.id}/steps/${s2.id}/correct`, { done_on: '2026-01-21', talkers: [{ member_id: M.F3 }] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  // the talk moved past the month: refused
  r = await secA.post(`/api/v1/applicants/${a.id}/steps/${s2.id}/correct`, { done_on: '2026-02-06', talkers: [{ member_id: M.F3 }], reason: '日期录错' });
  assert.equal(r.status, 409);
  // step 1 moved after step 3: the later steps break
  const s1 = c.steps.find((s) => s.step === 1);
  r = await secA.post(`/api/v1/applicants/${a.id}/steps/${s1.id}/correct`, { done_on: '2026-02-15', reason: '申请书日期录错' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /更正后，第 2 步/);
  r = await secA.post(`/api/v1/applicants/${a.id}/steps/${s2.id}/correct`, { done_on: '2026-01-22', talkers: [{ member_id: M.F3 }, { name: '村委 刘某' }], reason: '日期录错，补记谈话人' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const fixed = r.body.steps.find((s) => s.step === 2);
  assert.equal(fixed.done_on, '2026-01-22');
  assert.equal(fixed.corrected, true);
  assert.equal(fixed.reason, '日期录错，补记谈话人');
  assert.equal(fixed.people.length, 2);
  assert.equal(r.body.steps.filter((s) => s.step === 2).length, 1);
  // the old row is gone from the current steps and cannot be corrected again
  r = await secA.post(`/api/v1/applicants/${a.id}/steps/${s2.id}/correct`, { done_on: '2026-01-22', talkers: [{ member_id: M.F3 }], reason: 'x' });
  assert.equal(r.status, 409);
  r = await aud.get(`/api/v1/audit?action=applicant.step_correct&object_type=applicant&object_id=${a.id}`);
  assert.equal(r.status, 200);
  assert.ok(JSON.stringify(r.body).includes('日期录错，补记谈话人'));
});

test('终止培养 with a reason closes the pipeline; no step after it', async () => {
  const a = await apply(secA, { name: '孙停', id_number: idOf('2001-04-04', 91), applied_on: '2026-03-01' });
  let r = await secA.post(`/api/v1/applicants/${a.id}/close`, { on: '2026-04-01' });
  assert.equal(r.status, 400);
  r = await secA.post(`/api/v1/applicants/${a.id}/close`, { on: '2026-04-01', reason: '本人撤回申请' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.closed, 'stopped');
  assert.equal(r.body.next.step, 0);
  r = await secA.post(`/api/v1/applicants/${a.id}/steps`, { step: 2, done_on: '2026-03-10', talkers: [{ name: '某' }] });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /终止培养/);
});

// ---- lists and scoping ---------------------------------------------------------

test('the list pages by stage and name; every route is scoped to the branch', async () => {
  let r = await secA.get(`/api/v1/applicants?org=${A}&stage=full`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((x) => x.name).sort(), ['张青', '李延'].sort());
  r = await adm.get(`/api/v1/applicants?org=${town}&q=${encodeURIComponent('钱')}`);
  assert.deepEqual(r.body.items.map((x) => x.name), ['钱改']);
  assert.equal(r.body.items[0].next.step, 4);
  r = await secA.get(`/api/v1/applicants?org=${A}&limit=2`);
  assert.equal(r.body.items.length, 2);
  assert.ok(r.body.next);
  const r2 = await secA.get(`/api/v1/applicants?org=${A}&limit=2&after=${r.body.next}`);
  assert.ok(r2.body.items.every((x) => x.id > r.body.items[1].id));
  // B's secretary sees nothing of A
  r = await secB.get(`/api/v1/applicants?org=${A}`);
  assert.equal(r.status, 404);
  for (const [m, p, b] of [['GET', `/api/v1/applicants/${APP.Y}`], ['PATCH', `/api/v1/applicants/${APP.Y}`, { work_unit: 'x' }],
    ['POST', `/api/v1/applicants/${APP.Y}/steps`, { step: 2, done_on: '2024-01-01' }],
    ['POST', `/api/v1/applicants/${APP.Y}/steps/1/correct`, { done_on: '2024-01-01', reason: 'x' }],
    ['POST', `/api/v1/applicants/${APP.Y}/close`, { on: '2024-01-01', reason: 'x' }]]) {
    r = await secB.req(m, p, b);
    assert.equal(r.status, 404, `${m} ${p}`);
  }
  r = await secB.post('/api/v1/applicants', { org_id: A, name: '越界', applied_on: '2026-01-01' });
  assert.equal(r.status, 404);
  // contacts from outside the caller's scope are not found
  const a = await apply(secB, { org_id: B, name: '西申', applied_on: '2026-01-05' });
  assert.equal(a.org_id, B);
});
