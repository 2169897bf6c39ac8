// Issue 4: organisational life over HTTP — recording, attendance and
// quorum, resolutions (of those entitled), QR sign-in (valid, expired,
// replayed, wrong branch, forged), the back-fill window and the audited
// unlock by the level above, compliance and risks against a direct recount
// from the meetings/attendance API, attachments (limits, content check),
// the print view, 民主评议 with the 优秀 cap, 谈心谈话 coverage, calendar,
// and scoping on every new route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli, ago } from './lib.mjs';

// Sign-in tokens live 4 s on this server so the expiry test is quick.
const TTL = 4;
let srv, adm, root, town, A, B, GA, secA, secB, townAdm, brAdmA, aud, memF4, memB1;
const M = {};       // members by short name -> id
const now = () => Math.floor(Date.now() / 1000);
const DAY = 86400;

// ---- helpers -------------------------------------------------------------

/** Today in China (the server counts dates in UTC+8). */
function chinaDate(t) {
  return new Date(t * 1000 + 8 * 3600e3).toISOString().slice(0, 10);
}
const ymOf = (t) => Number(chinaDate(t).slice(0, 7).replace('-', ''));
/** The year in China now: the server's year, not the test machine's. */
const chinaYear = () => Number(chinaDate(now()).slice(0, 4));
function ymAdd(ym, n) {
  const t = Math.floor(ym / 100) * 12 + (ym % 100 - 1) + n;
  return Math.floor(t / 12) * 100 + (t % 12) + 1;
}
/** 12:00 China time on the 10th of the month ym (unix seconds). */
function midMonth(ym) {
  return Date.UTC(Math.floor(ym / 100), ym % 100 - 1, 10, 4, 0, 0) / 1000;
}

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, category = 'full', extra = {}) {
  const body = { org_id: org, name, category, join_date: '2010-07-01', ...extra };
  if (category === 'full') body.full_date = '2011-07-01';
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function meeting(c, body, status = 201) {
  const r = await c.post('/api/v1/meetings', body);
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
async function attend(c, id, items, status = 200) {
  const r = await c.put(`/api/v1/meetings/${id}/attendance`, { items });
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const present = (...ids) => ids.map((id) => ({ member_id: id, status: 'present' }));

function userFor(name, role, org, member) {
  const args = ['user', 'add', name, '--db', srv.db, '--role', role, '--org', String(org)];
  if (member) args.push('--member', String(member));
  const r = cli(args, { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
}

before(async () => {
  srv = await startServer({ env: { ZHIBU_SIGNIN_TTL: String(TTL) } });
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '城关镇党委', 'committee');
  A = await mkOrg(town, '东街村党支部', 'branch');
  B = await mkOrg(town, '西街村党支部', 'branch');
  GA = await mkOrg(A, '东街村第一党小组', 'group');
  for (const n of ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7']) {
    M[n] = await mkMember(A, '东' + n, 'full', ['F4', 'F5'].includes(n) ? { group_id: GA } : {});
  }
  M.P1 = await mkMember(A, '东P1', 'probationary', { group_id: GA });
  M.P2 = await mkMember(A, '东P2', 'probationary');
  for (const n of ['B1', 'B2', 'B3']) M[n] = await mkMember(B, '西' + n);
  // committee of A: secretary F1, deputy F2, organisation F3
  for (const [n, post] of [['F1', 'secretary'], ['F2', 'deputy_secretary'], ['F3', 'organization']]) {
    const r = await adm.post(`/api/v1/orgs/${A}/committee`, { member_id: M[n], post, started_on: '2020-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  addUser(srv, 'seca', 'party_worker', A);
  addUser(srv, 'secb', 'party_worker', B);
  addUser(srv, 'townadm', 'org_admin', town);
  addUser(srv, 'bradma', 'org_admin', A);
  addUser(srv, 'auditor', 'audit_admin', root);
  userFor('memf4', 'member', A, M.F4);
  userFor('memb1', 'member', B, M.B1);
  secA = await loginAs(srv, 'seca');
  secB = await loginAs(srv, 'secb');
  townAdm = await loginAs(srv, 'townadm');
  brAdmA = await loginAs(srv, 'bradma');
  aud = await loginAs(srv, 'auditor');
  memF4 = await loginAs(srv, 'memf4');
  memB1 = await loginAs(srv, 'memb1');
});

after(async () => { if (srv) await srv.stop(); });

// ---- recording, 应到, quorum, resolutions ---------------------------------

let plenary;

test('a plenary lists every member as 应到, 预备党员 without a vote; bad input names the field', async () => {
  const t = ago(3600);
  plenary = await meeting(secA, {
    org_id: A, type: 'plenary', start_at: t, end_at: t + 7200, place: '村部会议室', host: '东F1', recorder: '东F3',
    topic: '<script>alert(1)</script>讨论集体经济', minutes: '会议讨论了……', guests: ['镇党委 王某'],
  });
  assert.equal(plenary.type, 'plenary');
  assert.equal(plenary.type_name, '支部党员大会');
  assert.equal(plenary.expected_count, 9);
  assert.equal(plenary.voters, 7);
  assert.equal(plenary.present_count, 0);
  assert.equal(plenary.quorum_ok, false);
  assert.deepEqual(plenary.guests, ['镇党委 王某']);
  const p1 = plenary.attendance.find((a) => a.member_id === M.P1);
  assert.equal(p1.has_vote, false);
  assert.equal(p1.status, 'absent');
  assert.equal(p1.source, 'roster');
  assert.equal(plenary.attendance.find((a) => a.member_id === M.F1).has_vote, true);
  assert.ok(!plenary.attendance.some((a) => a.member_id === M.B1), 'another branch is not 应到');

  const bad = [
    [{ org_id: A, type: 'meeting', start_at: t }, 'type'],
    [{ org_id: A, type: 'group', start_at: t }, 'org_id'],
    [{ org_id: A, type: 'lecture', start_at: t }, 'speaker'],
    [{ org_id: A, type: 'committee', start_at: t, is_election: true }, 'is_election'],
    [{ org_id: A, type: 'plenary', start_at: t, end_at: t - 10 }, 'end_at'],
    [{ org_id: A, type: 'plenary', start_at: t * 1000 }, 'start_at'],
    [{ org_id: A, type: 'plenary', start_at: t, colour: 'red' }, 'colour'],
    [{ org_id: A, type: 'talk', start_at: t }, 'participants'],
    [{ org_id: A, type: 'plenary', start_at: t, guests: [''] }, 'guests[0]'],
  ];
  for (const [body, field] of bad) {
    const r = await secA.post('/api/v1/meetings', body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, /[\u4e00-\u9fa5]/);
  }
  // Chinese names and the web app's alias are accepted
  const cn = await meeting(secA, { org_id: A, type: '组织生活会', start_at: t });
  assert.equal(cn.type, 'life_meeting');
  const alias = await meeting(secA, { org_id: A, type: 'life', start_at: t });
  assert.equal(alias.type, 'life_meeting');
});

test('attendance: totals are derived; quorum counts only voters; exactly half of 7 is not enough', async () => {
  // 3 full + both probationary present: 3 of 7 voters -> no quorum
  let m = await attend(secA, plenary.id, [
    ...present(M.F1, M.F2, M.F3, M.P1, M.P2),
    { member_id: M.F4, status: 'leave', reason: '外出务工' },
    { member_id: M.F5, status: 'absent' },
  ]);
  assert.equal(m.present_count, 5);
  assert.equal(m.leave_count, 1);
  assert.equal(m.absent_count, 3);
  assert.equal(m.present_voters, 3);
  assert.equal(m.quorum_ok, false);
  assert.equal(m.quorum.need, 4);
  assert.equal(m.attendance.find((a) => a.member_id === M.F4).reason, '外出务工');
  // a fourth voter: 4 > 7/2
  m = await attend(secA, plenary.id, present(M.F6));
  assert.equal(m.present_voters, 4);
  assert.equal(m.quorum_ok, true);
  assert.equal(m.expected_count, m.present_count + m.leave_count + m.absent_count);

  const bad = [
    [[{ member_id: M.F4, status: 'leave' }], 'items[0].reason'],
    [[{ member_id: M.B1, status: 'present' }], 'items[0].member_id'],
    [[{ member_id: M.F1, status: 'present' }, { member_id: M.F1, status: 'absent' }], 'items[1].member_id'],
    [[{ member_id: M.F1, status: 'here' }], 'items[0].status'],
    [[{ member_id: M.F1 }], 'items[0].status'],
    [[{ member_id: M.F1, status: 'present', extra: 1 }], 'items[0].extra'],
  ];
  for (const [items, field] of bad) {
    const r = await secA.put(`/api/v1/meetings/${plenary.id}/attendance`, { items });
    assert.equal(r.status, 400, JSON.stringify(items));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  // nothing of a refused request was written
  const got = (await secA.get(`/api/v1/meetings/${plenary.id}`)).body;
  assert.equal(got.attendance.find((a) => a.member_id === M.F1).status, 'present');
  assert.equal(got.present_voters, 4);
  // a meeting that has not started cannot have anyone present
  const fut = await meeting(secA, { org_id: A, type: 'theme_day', start_at: now() + 3 * DAY });
  const r = await secA.put(`/api/v1/meetings/${fut.id}/attendance`, { items: present(M.F1) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'items[0].status');
});

test('resolutions pass with more than half of those ENTITLED, not of those present', async () => {
  // 4 voters present of 7 entitled: 3 yes is a majority of those present but not of 7
  let r = await secA.post(`/api/v1/meetings/${plenary.id}/resolutions`, { title: '修路方案', yes: 3, no: 1, abstain: 0 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.entitled, 7);
  assert.equal(r.body.passed, false);
  assert.equal(r.body.counted, true);
  r = await secA.post(`/api/v1/meetings/${plenary.id}/resolutions`, { title: '集体经济分红方案', yes: 4, no: 0, abstain: 0 });
  assert.equal(r.body.passed, true);
  r = await secA.post(`/api/v1/meetings/${plenary.id}/resolutions`, { title: '超票', yes: 5, no: 0, abstain: 0 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'yes');
  r = await secA.post(`/api/v1/meetings/${plenary.id}/resolutions`, { title: '负票', yes: -1, no: 0, abstain: 0 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'yes');
  // a meeting without quorum keeps its record, but its resolutions do not count
  const t = ago(1800);
  const m = await meeting(secA, { org_id: A, type: 'plenary', start_at: t });
  await attend(secA, m.id, present(M.F1, M.F2, M.F3));
  r = await secA.post(`/api/v1/meetings/${m.id}/resolutions`, { title: '无效表决', yes: 3, no: 0, abstain: 0 });
  assert.equal(r.status, 201);
  assert.equal(r.body.counted, false);
  assert.equal(r.body.passed, false);
  const d = (await secA.get(`/api/v1/meetings/${plenary.id}`)).body;
  assert.deepEqual(d.resolutions.map((x) => x.passed), [false, true]);
});

test('PATCH edits a record: new date re-takes the 应到 list keeping marks; guests replaced; type checked', async () => {
  const t = now() - 5 * DAY;
  const m = await meeting(secA, { org_id: A, type: 'theme_day', start_at: t, guests: ['甲', '乙'] });
  await attend(secA, m.id, [...present(M.F1, M.F2), { member_id: M.P1, status: 'leave', reason: '住院' }]);
  let r = await secA.patch(`/api/v1/meetings/${m.id}`, { start_at: t + DAY, minutes: '改后的记录', guests: ['丙'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.held_on, chinaDate(t + DAY));
  assert.equal(r.body.minutes, '改后的记录');
  assert.deepEqual(r.body.guests, ['丙']);
  assert.equal(r.body.present_count, 2);
  assert.equal(r.body.attendance.find((a) => a.member_id === M.P1).reason, '住院');
  // to a committee meeting: only the committee stays, their marks kept
  r = await secA.patch(`/api/v1/meetings/${m.id}`, { type: 'committee' });
  assert.equal(r.status, 200);
  assert.equal(r.body.expected_count, 3);
  assert.equal(r.body.present_count, 2);
  assert.equal(r.body.quorum_ok, true);
  r = await secA.patch(`/api/v1/meetings/${m.id}`, { type: 'group' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'org_id');
  r = await secA.patch(`/api/v1/meetings/${m.id}`, { org_id: B });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'org_id');
  r = await secA.patch(`/api/v1/meetings/${m.id}`, { start_at: now() - 45 * DAY });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'start_at');
  const d = (await secA.get(`/api/v1/meetings/${m.id}`)).body;
  assert.equal(d.type, 'committee');
  assert.equal(d.held_on, chinaDate(t + DAY));
  const upd = (await aud.get(`/api/v1/audit?action=meeting.update&object_id=${m.id}`)).body.items;
  assert.equal(upd.length, 2);
  // reads are written by the audit writer in batches (~200 ms)
  await new Promise((res) => setTimeout(res, 600));
  assert.ok((await aud.get(`/api/v1/audit?action=meeting.read&object_id=${m.id}`)).body.items.length >= 1);
});

test('an election needs 4/5 of the voters: 5 of 7 is not enough (5.6 rounds up to 6)', async () => {
  const m = await meeting(secA, { org_id: A, type: 'plenary', start_at: ago(600), is_election: true });
  let d = await attend(secA, m.id, present(M.F1, M.F2, M.F3, M.F4, M.F5));
  assert.equal(d.quorum.rule, 'election');
  assert.equal(d.quorum.need, 6);
  assert.equal(d.quorum_ok, false);
  d = await attend(secA, m.id, present(M.F6));
  assert.equal(d.quorum_ok, true);
});

test('应到 of a committee meeting is the committee; of a group meeting, the 党小组', async () => {
  const c = await meeting(secA, { org_id: A, type: 'committee', start_at: ago(600) });
  assert.deepEqual(c.attendance.map((a) => a.member_id).sort(), [M.F1, M.F2, M.F3].sort());
  assert.equal(c.expected_count, 3);
  // committee: at least half - 2 of 3 is enough, 1 is not
  let d = await attend(secA, c.id, present(M.F1));
  assert.equal(d.quorum_ok, false);
  d = await attend(secA, c.id, present(M.F2));
  assert.equal(d.quorum_ok, true);
  const g = await meeting(secA, { org_id: GA, type: 'group', start_at: ago(600) });
  assert.deepEqual(g.attendance.map((a) => a.member_id).sort(), [M.F4, M.F5, M.P1].sort());
  const r = await secA.post('/api/v1/meetings', { org_id: GA, type: 'plenary', start_at: now() });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'type');
});

// ---- QR sign-in ------------------------------------------------------------

let signMeeting, token;

test('QR sign-in: a member of the branch is marked present by scanning; location is weak evidence', async () => {
  signMeeting = await meeting(secA, { org_id: A, type: 'theme_day', start_at: ago(300), end_at: now() + 3600 });
  const r = await secA.post(`/api/v1/meetings/${signMeeting.id}/signin`, {});
  assert.equal(r.status, 201, JSON.stringify(r.body));
  token = r.body.token;
  assert.equal(token.length, 87);
  assert.ok(r.body.expires_at <= now() + TTL + 1);
  assert.match(r.body.svg, /^<svg [^>]*viewBox="0 0 \d+ \d+"/);
  assert.match(r.body.svg, /<path fill="#000" d="M\d/);
  const host = new URL(srv.url).host;
  assert.equal(r.body.url, `http://${host}/#/signin?token=${token}`);

  const s = await memF4.post('/api/v1/signin', { token, lat: 30.25, lng: 120.16 });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.meeting_id, signMeeting.id);
  assert.equal(s.body.status, 'present');
  const d = (await secA.get(`/api/v1/meetings/${signMeeting.id}`)).body;
  const row = d.attendance.find((a) => a.member_id === M.F4);
  assert.equal(row.status, 'present');
  assert.equal(row.source, 'qr');
  assert.ok(row.signed_in_at > 0);
  assert.deepEqual(row.location, { lat: 30.25, lng: 120.16, evidence: 'weak' });
  assert.equal(d.present_count, 1);
});

test('QR sign-in refuses a replay, another branch, a forged or altered token and bad locations', async () => {
  let r = await memF4.post('/api/v1/signin', { token });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /已.*签到/);
  r = await memB1.post('/api/v1/signin', { token });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /不属于您所在的党组织/);
  // flip one character of the MAC, and one of the meeting id
  for (const i of [80, 3]) {
    const c = token[i] === 'A' ? 'B' : 'A';
    const forged = token.slice(0, i) + c + token.slice(i + 1);
    r = await memF4.post('/api/v1/signin', { token: forged });
    assert.equal(r.status, 400, `position ${i}`);
    assert.equal(r.body.error.field, 'token');
    assert.match(r.body.error.message, /无效/);
  }
  r = await memF4.post('/api/v1/signin', { token: 'not-a-token' });
  assert.equal(r.status, 400);
  r = await memF4.post('/api/v1/signin', { token, lat: 91, lng: 0 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'lat');
  r = await memF4.post('/api/v1/signin', { token, lat: 30 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'lng');
  // a secretary account has no sign-in permission
  r = await secA.post('/api/v1/signin', { token });
  assert.equal(r.status, 403);
  // a member not on the 应到 list (a committee meeting) is refused
  const c = await meeting(secA, { org_id: A, type: 'committee', start_at: ago(60) });
  const t2 = (await secA.post(`/api/v1/meetings/${c.id}/signin`, {})).body.token;
  r = await memF4.post('/api/v1/signin', { token: t2 });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /应到人员名单/);
});

test('QR sign-in: an expired token and a meeting outside its time window are refused', async () => {
  const m = await meeting(secA, { org_id: A, type: 'lecture', speaker: '东F1', start_at: ago(60), end_at: now() + 3600 });
  const t = (await secA.post(`/api/v1/meetings/${m.id}/signin`, {})).body.token;
  await new Promise((res) => setTimeout(res, (TTL + 1.5) * 1000));
  let r = await memF4.post('/api/v1/signin', { token: t });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /过期/);
  const d = (await secA.get(`/api/v1/meetings/${m.id}`)).body;
  assert.equal(d.attendance.find((a) => a.member_id === M.F4).status, 'absent');
  // too early: more than 2 hours before the start
  const tomorrow = await meeting(secA, { org_id: A, type: 'theme_day', start_at: now() + DAY });
  r = await secA.post(`/api/v1/meetings/${tomorrow.id}/signin`, {});
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /开始前/);
  // too late: the meeting ended yesterday
  const y = await meeting(secA, { org_id: A, type: 'theme_day', start_at: now() - DAY - 7200, end_at: now() - DAY });
  r = await secA.post(`/api/v1/meetings/${y.id}/signin`, {});
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /结束/);
});

// ---- back-fill window and the audited unlock ------------------------------

test('a record 40 days old: the branch cannot add or change it; the level above can, and its unlock is audited', async () => {
  const t = now() - 40 * DAY;
  let r = await secA.post('/api/v1/meetings', { org_id: A, type: 'committee', start_at: t });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'start_at');
  assert.match(r.body.error.message, /补录期限/);
  // the township (level above) may record it; it stays locked for the branch
  const m = await meeting(townAdm, { org_id: A, type: 'committee', start_at: t, topic: '补录' });
  assert.equal(m.locked, true);
  assert.equal(m.backfill.past, true);
  r = await secA.put(`/api/v1/meetings/${m.id}/attendance`, { items: present(M.F1, M.F2) });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /补录期限/);
  r = await secA.patch(`/api/v1/meetings/${m.id}`, { minutes: '改' });
  assert.equal(r.status, 409);
  // the branch's own admin holds unlock, but at the branch itself: not the level above
  r = await brAdmA.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '自己解锁' });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /上级组织/);
  // a worker who holds no unlock permission anywhere is refused outright
  r = await secA.post(`/api/v1/meetings/${m.id}/unlock`, { reason: 'x' });
  assert.equal(r.status, 403);
  r = await townAdm.post(`/api/v1/meetings/${m.id}/unlock`, {});
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  r = await townAdm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '支部书记外出学习，延期补录', days: 3 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.locked, false);
  assert.ok(r.body.backfill.unlocked_until >= now() + 3 * DAY - 5);
  let d = await attend(secA, m.id, present(M.F1, M.F2));
  assert.equal(d.quorum_ok, true);
  // a record inside its window needs no unlock
  r = await townAdm.post(`/api/v1/meetings/${plenary.id}/unlock`, { reason: 'x' });
  assert.equal(r.status, 409);
  // both the unlock and the later edit are in the audit trail
  const un = (await aud.get(`/api/v1/audit?action=meeting.unlock&object_id=${m.id}`)).body.items;
  assert.equal(un.length, 1);
  assert.equal(un[0].username, 'townadm');
  assert.equal(un[0].detail.reason, '支部书记外出学习，延期补录');
  const ed = (await aud.get(`/api/v1/audit?action=meeting.attendance&object_id=${m.id}`)).body.items;
  assert.equal(ed.length, 1);
  assert.equal(ed[0].username, 'seca');
  assert.equal(ed[0].detail.late, true);
  const cr = (await aud.get(`/api/v1/audit?action=meeting.create&object_id=${m.id}`)).body.items;
  assert.equal(cr[0].detail.late, true);
  assert.equal((await aud.get('/api/v1/audit/verify')).body.ok, true);
});

// ---- attachments -------------------------------------------------------------

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test('attachments: JPEG/PNG/PDF by content, a renamed .exe is refused, size and count caps, served in scope only', async () => {
  const m = await meeting(secA, { org_id: A, type: 'theme_day', start_at: ago(600) });
  const up = (c, body, name) => c.req('POST', `/api/v1/meetings/${m.id}/attachments?filename=${encodeURIComponent(name)}`,
    body, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  let r = await up(secA, PNG, '活动照片.png');
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.kind, 'png');
  const png = r.body;
  r = await up(secA, JPEG, 'photo.jpg');
  assert.equal(r.body.kind, 'jpeg');
  r = await up(secA, PDF, '../../etc/会议材料.pdf');
  assert.equal(r.status, 201);
  assert.equal(r.body.filename, '会议材料.pdf');
  const pdf = r.body;
  // content decides, not the name
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
  r = await up(secA, exe, 'photo.jpg');
  assert.equal(r.status, 415);
  assert.match(r.body.error.message, /JPEG、PNG/);
  r = await up(secA, Buffer.from('<html><script>alert(1)</script></html>'), 'x.png');
  assert.equal(r.status, 415);
  r = await up(secA, Buffer.concat([JPEG.subarray(0, 10), Buffer.alloc(50, 1)]), 'cut.jpg');
  assert.equal(r.status, 415, 'a JPEG without its end marker');
  r = await up(secA, Buffer.alloc(0), 'empty.png');
  assert.equal(r.status, 400);
  // over the cap: 413 from the declared length before the body is read, and
  // the connection closed, so a client still sending may see it reset instead
  r = await up(secA, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)]), 'big.png').catch(() => ({ status: 'closed' }));
  assert.ok([413, 'closed'].includes(r.status), String(r.status));
  // served with its type; photos inline, PDFs as downloads; only in scope
  r = await secA.get(`/api/v1/attachments/${png.id}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.match(r.headers.get('content-disposition'), /^inline; filename="attachment\.png"; filename\*=UTF-8''%E6%B4%BB/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(Buffer.compare(r.body, PNG) === 0);
  r = await secA.get(`/api/v1/attachments/${pdf.id}`);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition'), /^attachment;/);
  r = await secB.get(`/api/v1/attachments/${png.id}`);
  assert.equal(r.status, 404);
  r = await secB.del(`/api/v1/attachments/${png.id}`);
  assert.equal(r.status, 404);
  r = await up(secB, PNG, 'b.png');
  assert.equal(r.status, 404);
  // 20 per meeting
  for (let i = 3; i < 20; i++) assert.equal((await up(secA, PNG, `p${i}.png`)).status, 201);
  r = await up(secA, PNG, 'p21.png');
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /20/);
  r = await secA.del(`/api/v1/attachments/${png.id}`);
  assert.equal(r.status, 200);
  assert.equal((await secA.get(`/api/v1/attachments/${png.id}`)).status, 404);
  assert.equal((await up(secA, PNG, 'again.png')).status, 201);
  const d = (await secA.get(`/api/v1/meetings/${m.id}`)).body;
  assert.equal(d.attachments.length, 20);
  assert.ok(d.attachments.every((a) => a.url === `/api/v1/attachments/${a.id}`));
});

// ---- print view ---------------------------------------------------------------

test('the printable record has the attendance, the resolutions and escapes user text', async () => {
  const r = await secA.get(`/api/v1/meetings/${plenary.id}/print`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = r.body.toString();
  assert.ok(html.includes('支部党员大会记录'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;讨论集体经济'));
  assert.ok(!html.includes('<script>'));
  assert.ok(html.includes('东F1'));
  assert.match(html, /请假人员<\/th><td colspan="3">东F4（外出务工）/);
  assert.match(html, /缺席人员<\/th><td colspan="3">东F5、东F7/);
  assert.ok(html.includes('镇党委 王某'));
  assert.match(html, /修路方案<\/td><td>3<\/td><td>1<\/td><td>0<\/td><td>7<\/td><td>未通过/);
  assert.match(html, /集体经济分红方案<\/td><td>4<\/td><td>0<\/td><td>0<\/td><td>7<\/td><td>通过/);
  assert.match(html, /应到<\/th><td>9 人/);
  assert.equal((await secB.get(`/api/v1/meetings/${plenary.id}/print`)).status, 404);
});

// ---- compliance and risks against a direct recount ----------------------------

const FREQ = { plenary: 3, committee: 1, group: 1, lecture: 12, theme_day: 1, life_meeting: 12, appraisal: 12, talk: 12 };

/** Recount one branch's compliance for [fromYm, toYm] from the meetings API. */
async function recount(c, branch, groups, hasCommittee, fromYm, toYm) {
  const year = Math.floor(fromYm / 100);
  const list = [];
  let after = '';
  for (;;) {
    const r = await c.get(`/api/v1/meetings?org=${branch}&from=${year}-01-01&limit=200${after ? '&after=' + after : ''}`);
    list.push(...r.body.items);
    if (!r.body.next) break;
    after = r.body.next;
  }
  const t = now(), todayYm = ymOf(t);
  const out = {};
  for (const [type, every] of Object.entries(FREQ)) {
    if (type === 'committee' && !hasCommittee) continue;
    const orgs = type === 'group' ? groups : [branch];
    if (!orgs.length) continue;
    const row = { required: 0, held: 0, missing: 0 };
    for (let ym = fromYm; ym <= toYm; ym = ymAdd(ym, 1)) {
      if ((ym % 100) % every) continue;
      const start = ymAdd(ym, 1 - every);
      for (const org of orgs) {
        const held = list.filter((m) => m.org_id === org && m.type === type && m.quorum_ok && m.start_at <= t &&
          ymOf(m.start_at) >= start && ymOf(m.start_at) <= ym).length;
        row.required += 1;
        row.held += Math.min(held, 1);
        if (ym < todayYm) row.missing += 1 - Math.min(held, 1);
      }
    }
    if (row.required) out[type] = row;
  }
  return out;
}

test('compliance equals a recount from the meetings API, and changes the moment a record is saved', async () => {
  const t = now(), ym = ymOf(t), y = Math.floor(ym / 100), q = Math.floor((ym % 100 - 1) / 3) + 1;
  const periods = [[`${y}Q${q}`, y * 100 + (q - 1) * 3 + 1, y * 100 + q * 3], [String(y), y * 100 + 1, y * 100 + 12],
    [`${y}-${String(ym % 100).padStart(2, '0')}`, ym, ym]];
  for (const [label, f, to] of periods) {
    const c = (await townAdm.get(`/api/v1/orgs/${A}/compliance?period=${label}`)).body;
    assert.equal(c.period, label);
    const want = await recount(townAdm, A, [GA], true, f, to);
    const got = Object.fromEntries(c.items.map((x) => [x.type, { required: x.required, held: x.held, missing: x.missing }]));
    assert.deepEqual(got, want, label);
    const wantB = await recount(townAdm, B, [], false, f, to);
    const cb = (await townAdm.get(`/api/v1/orgs/${B}/compliance?period=${label}`)).body;
    assert.deepEqual(Object.fromEntries(cb.items.map((x) => [x.type, { required: x.required, held: x.held, missing: x.missing }])), wantB);
    // the township rolls both up
    const ct = (await townAdm.get(`/api/v1/orgs/${town}/compliance?period=${label}`)).body;
    assert.equal(ct.branches, 2);
    const okA = Object.values(want).every((x) => x.missing === 0), okB = Object.values(wantB).every((x) => x.missing === 0);
    assert.equal(ct.branches_ok, Number(okA) + Number(okB));
    const td = ct.types.find((x) => x.type === 'theme_day');
    assert.equal(td.branches, 2);
    assert.equal(td.required, want.theme_day.required + wantB.theme_day.required);
    assert.equal(td.branches_ok, Number(want.theme_day.missing === 0) + Number(wantB.theme_day.missing === 0));
    assert.equal(ct.noncompliant_total, 2 - ct.branches_ok);
  }
  // a theme day at B this month: held moves from 0 to 1 at once
  const before = (await townAdm.get(`/api/v1/orgs/${B}/compliance?period=${periods[2][0]}`)).body;
  const td0 = before.items.find((x) => x.type === 'theme_day');
  const m = await meeting(secB, { org_id: B, type: 'theme_day', start_at: ago(120) });
  let mid = (await townAdm.get(`/api/v1/orgs/${B}/compliance?period=${periods[2][0]}`)).body.items.find((x) => x.type === 'theme_day');
  assert.equal(mid.held, td0.held, 'nobody present yet: not held');
  await attend(secB, m.id, present(M.B1, M.B2));
  const after1 = (await townAdm.get(`/api/v1/orgs/${B}/compliance?period=${periods[2][0]}`)).body.items.find((x) => x.type === 'theme_day');
  assert.equal(after1.held, 1);
  assert.equal(after1.units[0].status, 'ok');
  for (const bad of ['2026Q5', '26', '2026-13', 'abc', '2026-7']) {
    const r = await townAdm.get(`/api/v1/orgs/${A}/compliance?period=${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error.field, 'period');
  }
});

test('risks: 3/5/6 months without organisational life equal a recount; an explanation stops the warning', async () => {
  const ym = ymOf(now());
  // theme days at B in each of the last 7 complete months, by the level above
  const made = [];
  for (let k = 7; k >= 1; k--) {
    const mm = ymAdd(ym, -k);
    const m = await meeting(townAdm, { org_id: B, type: 'theme_day', start_at: midMonth(mm) });
    if (m.locked) await townAdm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '测试补录' });
    const items = [{ member_id: M.B1, status: 'present' },
      { member_id: M.B2, status: k === 7 ? 'present' : 'absent' },
      { member_id: M.B3, status: k >= 6 ? 'present' : k === 4 ? 'leave' : 'absent', ...(k === 4 ? { reason: '住院' } : {}) }];
    await attend(townAdm, m.id, items);
    made.push(m.id);
  }
  const risks = (await townAdm.get(`/api/v1/orgs/${B}/risks`)).body;
  // recount from the attendance API (党章 第九条, docs/RULES.md): back from the
  // last complete month until a month present; a month with an absence
  // counts, a month of 请假 only or with no meeting is passed over
  const want = {};
  for (const n of ['B1', 'B2', 'B3']) {
    const a = (await townAdm.get(`/api/v1/members/${M[n]}/attendance?period=${Math.floor(ym / 100) - 1}`)).body.items
      .concat((await townAdm.get(`/api/v1/members/${M[n]}/attendance?period=${Math.floor(ym / 100)}`)).body.items);
    let months = 0;
    for (let k = 1; k <= 24; k++) {
      const rows = a.filter((x) => ymOf(x.start_at) === ymAdd(ym, -k));
      if (rows.some((x) => x.status === 'present')) break;
      if (rows.some((x) => x.status === 'absent')) months++;
    }
    if (months >= 3) want[M[n]] = months;
  }
  assert.deepEqual(Object.fromEntries(risks.items.map((x) => [x.member_id, x.months])), want);
  // B3: absent 5, 3, 2, 1 months ago with a 请假 4 months ago in between:
  // the leave neither counts nor ends the run
  assert.deepEqual(want, { [M.B2]: 6, [M.B3]: 4 });
  assert.equal(risks.items.find((x) => x.member_id === M.B3).excused_months, 1);
  const b2 = risks.items.find((x) => x.member_id === M.B2);
  assert.equal(b2.level, 6);
  assert.equal(b2.level_name, '自行脱党风险');
  assert.equal(risks.items[0].member_id, M.B2, 'worst first');
  assert.equal(risks.items.find((x) => x.member_id === M.B3).level, 3);
  assert.deepEqual(risks.counts, { 3: 1, 5: 0, 6: 1 });
  assert.deepEqual((await townAdm.get(`/api/v1/orgs/${B}/risks?level=6`)).body.items.map((x) => x.member_id), [M.B2]);
  // the county sees the same members; another branch's worker sees nothing of B
  const all = (await adm.get(`/api/v1/orgs/${root}/risks`)).body.items.map((x) => x.member_id);
  assert.ok(all.includes(M.B2) && all.includes(M.B3));
  assert.equal((await secA.get(`/api/v1/orgs/${B}/risks`)).status, 404);
  // explained: ill from six months ago to last month
  const f = ymAdd(ym, -6), l = ymAdd(ym, -1);
  let r = await secB.post('/api/v1/risks/explanations', { member_id: M.B2, reason: '因病住院治疗',
    from: `${Math.floor(f / 100)}-${String(f % 100).padStart(2, '0')}-01`, to: `${Math.floor(l / 100)}-${String(l % 100).padStart(2, '0')}-28` });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await secB.post('/api/v1/risks/explanations', { member_id: M.B3, reason: 'x', from: '2026-05-01', to: '2026-04-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'to');
  r = await secA.post('/api/v1/risks/explanations', { member_id: M.B3, reason: 'x', from: '2026-01-01', to: '2026-02-01' });
  assert.equal(r.status, 404);
  const after2 = (await townAdm.get(`/api/v1/orgs/${B}/risks`)).body.items.map((x) => x.member_id);
  assert.deepEqual(after2, [M.B3]);
  const ex = (await secB.get(`/api/v1/orgs/${B}/risk-explanations`)).body.items;
  assert.equal(ex.length, 1);
  assert.equal(ex[0].reason, '因病住院治疗');
  // per member: meetings attended of those expected
  const org = (await townAdm.get(`/api/v1/orgs/${B}/attendance?period=${Math.floor(ym / 100)}`)).body.items;
  for (const row of org) {
    const one = (await townAdm.get(`/api/v1/members/${row.member_id}/attendance?period=${Math.floor(ym / 100)}`)).body;
    assert.equal(row.expected, one.expected);
    assert.equal(row.present, one.present);
    assert.equal(one.items.filter((x) => x.status === 'present').length, one.present);
  }
});

// ---- 民主评议 and 谈心谈话 ------------------------------------------------------

test('民主评议: grades from the votes, the 优秀 cap, manual grades need a note, the outcome is in the member record', async () => {
  const y = chinaYear();
  const ids = [M.F1, M.F2, M.F3, M.F4, M.F5, M.F6, M.F7, M.P1, M.P2];
  const v = (e, q, b = 0, u = 0) => ({ excellent: e, qualified: q, basically_qualified: b, unqualified: u });
  const items = ids.map((id, i) => ({ member_id: id, self_assessment: `自评${i}`,
    votes: i < 4 ? v(9 - i, 9 - (9 - i)) : i === 8 ? v(0, 2, 3, 4) : v(1, 8) }));
  let r = await secA.put(`/api/v1/orgs/${A}/appraisals/${y}`, { items });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.total, 9);
  assert.equal(r.body.status, 'open');
  // P2: 0/2/3/4 -> cumulative 2,5 of 9: 5 > 4.5 at 基本合格
  assert.equal(r.body.items.find((x) => x.member_id === M.P2).grade_by_votes, 'basically_qualified');
  r = await secA.put(`/api/v1/orgs/${A}/appraisals/${y}`, { items: [{ member_id: M.F7, grade: 'unqualified' }] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'items[0].grade_note');
  r = await secA.put(`/api/v1/orgs/${A}/appraisals/${y}`, { items: [{ member_id: M.B1, votes: v(1, 0) }] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'items[0].member_id');
  r = await secA.put(`/api/v1/orgs/${A}/appraisals/${y}`, { items: [{ member_id: M.F1, votes: { excellent: -1 } }] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'items[0].votes.excellent');
  r = await secA.post(`/api/v1/orgs/${A}/appraisals/${y}/finalize`, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'final');
  // 4 voted 优秀, 30% of 9 = 2.7 -> 2 may be 优秀: the two with the most 优秀 votes
  const g = Object.fromEntries(r.body.items.map((x) => [x.member_id, x.grade]));
  assert.equal(g[M.F1], 'excellent');
  assert.equal(g[M.F2], 'excellent');
  assert.equal(g[M.F3], 'qualified');
  assert.equal(g[M.F4], 'qualified');
  assert.match(r.body.items.find((x) => x.member_id === M.F3).grade_note, /优秀比例上限/);
  assert.deepEqual(r.body.grade_counts, { excellent: 2, qualified: 6, basically_qualified: 1, unqualified: 0 });
  r = await secA.put(`/api/v1/orgs/${A}/appraisals/${y}`, { items: [{ member_id: M.F1, votes: v(1, 0) }] });
  assert.equal(r.status, 409);
  const mine = (await secA.get(`/api/v1/members/${M.F2}/appraisals`)).body.items;
  assert.equal(mine[0].year, y);
  assert.equal(mine[0].grade, 'excellent');
  assert.equal(mine[0].grade_name, '优秀');
  assert.deepEqual(mine[0].votes, v(8, 1));
  assert.equal((await secB.get(`/api/v1/members/${M.F2}/appraisals`)).status, 404);
  assert.equal((await secB.get(`/api/v1/orgs/${A}/appraisals/${y}`)).status, 404);
  assert.equal((await secA.get(`/api/v1/orgs/${A}/appraisals/${y + 1}`)).status, 400);
  assert.equal((await secA.get(`/api/v1/orgs/${town}/appraisals/${y}`)).status, 404);
});

test('谈心谈话: who with whom; coverage of committee pairs and of members under the secretary', async () => {
  const y = chinaYear();
  let cov = (await secA.get(`/api/v1/orgs/${A}/talk-coverage?year=${y}`)).body;
  // committee F1 (secretary), F2, F3: 3 pairs; no committee member in the
  // group, so all 6 other members are under the secretary
  assert.equal(cov.secretary_id, M.F1);
  assert.equal(cov.committee_size, 3);
  assert.equal(cov.required, 9);
  assert.equal(cov.done, 0);
  const t = await meeting(secA, { org_id: A, type: 'talk', start_at: ago(900), topic: '工作交流', minutes: '要点',
    participants: [{ member_id: M.F2 }, { member_id: M.F1 }] });
  assert.equal(t.type, 'talk');
  assert.equal(t.participants.length, 2);
  assert.equal(t.present_count, 2);
  await meeting(secA, { org_id: A, type: 'talk', start_at: ago(800), participants: [{ member_id: M.F1 }, { name: '镇党委书记' }] });
  let r = await secA.post('/api/v1/meetings', { org_id: A, type: 'talk', start_at: now(), participants: [{ member_id: M.F1 }, { member_id: M.F1 }] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'participants');
  r = await secA.post('/api/v1/meetings', { org_id: A, type: 'talk', start_at: now(), participants: [{ member_id: M.F1 }, { member_id: M.B1 }] });
  assert.equal(r.status, 400);
  cov = (await secA.get(`/api/v1/orgs/${A}/talk-coverage?year=${y}`)).body;
  assert.equal(cov.done, 1);
  assert.equal(cov.missing.length, 8);
  assert.ok(!cov.missing.some((p) => [p.a_id, p.b_id].sort().join() === [M.F1, M.F2].sort().join()));
  const list = (await secA.get(`/api/v1/orgs/${A}/talks?year=${y}`)).body.items;
  assert.equal(list.length, 2);
  assert.equal(list[1].notes, '要点');
  assert.equal((await secB.get(`/api/v1/orgs/${A}/talk-coverage`)).status, 404);
  assert.equal((await secB.get(`/api/v1/orgs/${A}/talks`)).status, 404);
});

test('calendar: due, done and overdue units of the current year', async () => {
  const c = (await secA.get(`/api/v1/orgs/${A}/calendar`)).body;
  const ym = ymOf(now());
  assert.equal(c.month, `${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}`);
  const td = c.items.find((x) => x.type === 'theme_day' && x.period === c.month);
  assert.equal(td.status, 'done', 'a theme day with people present was held this month');
  const pl = c.items.find((x) => x.type === 'plenary' && x.period === c.quarter);
  assert.equal(pl.status, 'done');
  assert.ok(c.items.every((x) => ['due', 'done', 'overdue'].includes(x.status)));
  // the current period first: 待开展 now, then earlier overdue units, then done
  const rank = { due: 0, overdue: 1, done: 2 };
  for (let i = 1; i < c.items.length; i++) assert.ok(rank[c.items[i - 1].status] <= rank[c.items[i].status]);
  assert.equal(c.overdue, c.items.filter((x) => x.status === 'overdue').length);
  const gr = c.items.find((x) => x.type === 'group' && x.period === c.month);
  assert.equal(gr.org_id, GA);
  assert.equal((await secB.get(`/api/v1/orgs/${A}/calendar`)).status, 404);
});

// ---- scoping and lists -----------------------------------------------------

test('scoping: a worker of branch B gets nothing of branch A on any new route, and lists never leak', async () => {
  const id = plenary.id;
  const y = chinaYear();
  const reqs = [
    ['GET', `/api/v1/meetings/${id}`], ['PATCH', `/api/v1/meetings/${id}`, { minutes: 'x' }],
    ['PUT', `/api/v1/meetings/${id}/attendance`, { items: [] }],
    ['POST', `/api/v1/meetings/${id}/resolutions`, { title: 'x', yes: 0, no: 0, abstain: 0 }],
    ['POST', `/api/v1/meetings/${id}/signin`, {}],
    ['GET', `/api/v1/meetings/${id}/print`], ['GET', `/api/v1/meetings?org=${A}`],
    ['GET', `/api/v1/orgs/${A}/compliance?period=${y}`], ['GET', `/api/v1/orgs/${A}/calendar`],
    ['GET', `/api/v1/orgs/${A}/risks`], ['GET', `/api/v1/orgs/${A}/risk-explanations`],
    ['GET', `/api/v1/orgs/${A}/attendance`], ['GET', `/api/v1/members/${M.F1}/attendance`],
    ['GET', `/api/v1/orgs/${A}/appraisals/${y}`], ['PUT', `/api/v1/orgs/${A}/appraisals/${y}`, { items: [] }],
    ['POST', `/api/v1/orgs/${A}/appraisals/${y}/finalize`, {}], ['GET', `/api/v1/members/${M.F1}/appraisals`],
    ['GET', `/api/v1/orgs/${A}/talks`], ['GET', `/api/v1/orgs/${A}/talk-coverage`],
    ['POST', '/api/v1/risks/explanations', { member_id: M.F1, reason: 'x', from: '2026-01-01', to: '2026-01-02' }],
    ['POST', '/api/v1/meetings', { org_id: A, type: 'plenary', start_at: now() }],
    ['GET', `/api/v1/meetings?org=${town}`], ['GET', `/api/v1/orgs/${town}/compliance`],
  ];
  for (const [method, path, body] of reqs) {
    const r = await secB.req(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${JSON.stringify(r.body)}`);
  }
  // unlock: B's worker holds the permission nowhere (403); the township of
  // another tree would get 404 like any object out of scope
  assert.equal((await secB.post(`/api/v1/meetings/${id}/unlock`, { reason: 'x' })).status, 403);
  // B's own list holds only B's meetings; A's list only A's (and its group's)
  const lb = (await secB.get(`/api/v1/meetings?org=${B}&limit=200`)).body;
  assert.ok(lb.items.length > 0 && lb.items.every((m) => m.org_id === B));
  const la = (await secA.get(`/api/v1/meetings?org=${A}&limit=200`)).body;
  assert.ok(la.items.every((m) => m.org_id === A || m.org_id === GA));
  assert.ok(la.items.some((m) => m.org_id === GA));
  // keyset paging walks the whole list once, newest first
  const seen = [];
  let after = '';
  for (;;) {
    const r = (await secA.get(`/api/v1/meetings?org=${A}&limit=3${after ? '&after=' + after : ''}`)).body;
    seen.push(...r.items);
    assert.equal(r.total, la.total);
    if (!r.next) break;
    after = r.next;
  }
  assert.deepEqual(seen.map((m) => m.id), la.items.map((m) => m.id));
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i - 1].start_at >= seen[i].start_at);
  const ft = (await secA.get(`/api/v1/meetings?org=${A}&type=committee`)).body.items;
  assert.ok(ft.length >= 2 && ft.every((m) => m.type === 'committee'));
  assert.equal((await secA.get(`/api/v1/meetings?org=${A}&type=x`)).body.error.field, 'type');
  assert.equal((await secA.get(`/api/v1/meetings?org=${A}&from=2026-02-30`)).body.error.field, 'from');
  assert.equal((await secA.get(`/api/v1/meetings?org=${A}&after=zz`)).body.error.field, 'after');
  // a member sees own meetings only, and no meeting lists
  const mine = (await memF4.get('/api/v1/me/meetings')).body.items;
  assert.ok(mine.length > 0);
  assert.ok(mine.some((x) => x.meeting_id === signMeeting.id && x.status === 'present' && x.source === 'qr'));
  assert.equal((await memF4.get(`/api/v1/meetings?org=${A}`)).status, 403);
  assert.equal((await memF4.get(`/api/v1/meetings/${plenary.id}`)).status, 403);
});
