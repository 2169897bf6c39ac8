// The 应到 list of a past meeting is the org as it stood on the meeting
// date (member_history): a member who has since moved to another branch is
// on the old branch's list, and on its 党小组's; a member who came since,
// or joined the party since, is not; a member who died since is.  A change
// takes effect on its date: the day of a move counts for the new branch.
// The form's list and the save's are the same.  History is recorded in
// date order.  Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs } from './lib.mjs';

let srv, adm, town, A, B, GA, secA;
const M = {};
const DAY = 86400;
/** The China date `n` days before today. */
const daysAgo = (n) => new Date(Date.now() + 8 * 3600 * 1000 - n * DAY * 1000).toISOString().slice(0, 10);
/** 10:00 China time on a date. */
const tenAm = (d) => Math.floor(Date.parse(`${d}T10:00:00+08:00`) / 1000);
const MEETING = daysAgo(20), LEFT = daysAgo(12), CAME = daysAgo(5), DIED = daysAgo(15);

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, extra = {}) {
  const r = await adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01',
    full_date: '2011-07-01', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function change(id, body) {
  const r = await adm.patch(`/api/v1/members/${id}`, body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}
async function form(org, type, date) {
  const r = await (org === A ? secA : adm).get(`/api/v1/orgs/${org}/meeting-form?type=${type}&date=${date}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const ids = (f) => f.expected.map((x) => x.member_id).sort((a, b) => a - b);

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '河口镇党委', 'committee');
  A = await mkOrg(town, '临河村党支部', 'branch');
  B = await mkOrg(town, '对岸村党支部', 'branch');
  GA = await mkOrg(A, '临河村第一党小组', 'group');
  M.stay = await mkMember(A, '临留', { group_id: GA });
  M.mover = await mkMember(A, '临迁', { group_id: GA });
  M.comer = await mkMember(B, '岸来');
  M.dead = await mkMember(A, '临故');
  M.abroad = await mkMember(A, '临归', { status: 'abroad' });
  // moved to B twelve days ago, leaving the 党小组
  await change(M.mover, { org_id: B, reason: '组织关系转接', effective_on: LEFT });
  // came to A from B five days ago
  await change(M.comer, { org_id: A, reason: '组织关系转接', effective_on: CAME });
  await change(M.dead, { status: 'deceased', reason: '病故', effective_on: DIED });
  await change(M.abroad, { status: 'normal', reason: '回国', effective_on: DIED });
  // joined the party three days ago
  M.young = await mkMember(A, '临新', { category: 'probationary', join_date: daysAgo(3), full_date: undefined });
  addUser(srv, 'seca', 'party_worker', A);
  secA = await loginAs(srv, 'seca');
});
after(async () => { if (srv) await srv.stop(); });

test('a back-dated meeting lists the branch as it stood on its date', async () => {
  const f = await form(A, 'theme_day', MEETING);
  assert.deepEqual(ids(f), [M.stay, M.mover, M.dead, M.abroad].sort((a, b) => a - b));
  const abroad = f.expected.find((x) => x.member_id === M.abroad);
  assert.equal(abroad.status, 'abroad', 'the status on the date');
  // B's list on that day has the newcomer, not the member who left A since
  const fb = await form(B, 'theme_day', MEETING);
  assert.deepEqual(ids(fb), [M.comer]);
  // the 党小组 then
  const fg = await form(A, 'group', MEETING);
  assert.deepEqual(ids(fg), [M.stay, M.mover].sort((a, b) => a - b));
  // today: the roster as it is
  const now = await form(A, 'theme_day', daysAgo(0));
  assert.deepEqual(ids(now), [M.stay, M.comer, M.abroad, M.young].sort((a, b) => a - b));
  assert.deepEqual(ids(await form(A, 'group', daysAgo(0))), [M.stay]);
});

test('the day before, of and after a move', async () => {
  const dayBefore = daysAgo(13), dayAfter = daysAgo(11);
  assert.ok(ids(await form(A, 'theme_day', dayBefore)).includes(M.mover));
  assert.ok(!ids(await form(B, 'theme_day', dayBefore)).includes(M.mover));
  for (const d of [LEFT, dayAfter]) {
    assert.ok(!ids(await form(A, 'theme_day', d)).includes(M.mover), d);
    assert.ok(ids(await form(B, 'theme_day', d)).includes(M.mover), d);
  }
});

test('the save records the same list, with the member who left since', async () => {
  const f = await form(A, 'theme_day', MEETING);
  const r = await secA.post('/api/v1/meetings', { org_id: A, type: 'theme_day', start_at: tenAm(MEETING),
    end_at: tenAm(MEETING) + 3600, minutes: '学习党章',
    attendance: f.expected.map((x) => ({ member_id: x.member_id, status: x.member_id === M.dead ? 'absent' : 'present' })) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.held_on, MEETING);
  assert.equal(r.body.expected_count, 4);
  assert.deepEqual(r.body.attendance.map((a) => a.member_id).sort((a, b) => a - b), ids(f));
  assert.ok(!r.body.attendance.some((a) => a.member_id === M.comer || a.member_id === M.young));
  const moverRow = r.body.attendance.find((a) => a.member_id === M.mover);
  assert.equal(moverRow.status, 'present');
  // the vote is the one of that day: abroad then, no vote
  assert.equal(r.body.voters, 3);
  // the member's own attendance record shows the meeting of the old branch
  // (asked for the meeting's year: twenty days ago may be last year)
  const att = await adm.get(`/api/v1/members/${M.mover}/attendance?period=${MEETING.slice(0, 4)}`);
  assert.equal(att.status, 200, JSON.stringify(att.body));
  assert.match(JSON.stringify(att.body), new RegExp(`"meeting_id":${r.body.id}\\b`));
});

test('a meeting moved to the day of the move re-takes the list', async () => {
  const f = await form(A, 'theme_day', MEETING);
  const r = await secA.post('/api/v1/meetings', { org_id: A, type: 'theme_day', start_at: tenAm(MEETING) + 7200,
    attendance: f.expected.map((x) => ({ member_id: x.member_id, status: 'present' })) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const moved = await secA.patch(`/api/v1/meetings/${r.body.id}`, { start_at: tenAm(LEFT) });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  const got = (await secA.get(`/api/v1/meetings/${r.body.id}`)).body;
  const listed = got.attendance.map((a) => a.member_id);
  assert.ok(!listed.includes(M.mover), 'moved on that day: in the new branch');
  assert.ok(listed.includes(M.stay) && listed.includes(M.abroad));
  assert.ok(!listed.includes(M.dead));
});

test('history is recorded in date order and names the 党小组', async () => {
  const before = (await adm.get(`/api/v1/members/${M.mover}/history`)).body.items.length;
  const r = await adm.patch(`/api/v1/members/${M.mover}`, { org_id: A, reason: '更正', effective_on: daysAgo(14) });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'effective_on');
  assert.match(r.body.error.message, new RegExp(`早于该党员上一次所在组织变动的生效日期 ${LEFT}`));
  const h = (await adm.get(`/api/v1/members/${M.mover}/history`)).body.items;
  assert.equal(h.length, before, 'nothing written');
  const g = h.find((x) => x.kind === 'group');
  assert.ok(g, JSON.stringify(h));
  assert.equal(g.date, LEFT);
  assert.match(g.summary, /所在党小组：临河村第一党小组 → —/);
  // a date left to its default is not checked: a category corrected back
  // to 正式 takes the earlier 转正 date
  await change(M.stay, { category: 'probationary', full_date: null, reason: '录入错误' });
  await change(M.stay, { category: 'full', full_date: '2011-07-01', reason: '更正' });
  const hs = (await adm.get(`/api/v1/members/${M.stay}/history`)).body.items.filter((x) => x.kind === 'category');
  assert.deepEqual(hs.map((x) => x.date), ['2011-07-01', daysAgo(0)]);
});
