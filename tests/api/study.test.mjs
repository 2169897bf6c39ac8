// Issue 14: 学习教育 and 学时 over HTTP.  A member's year of study is
// derived from the records the platform holds: the 党课 and 主题党日 they
// attended (recounted here from their attendance list and the meetings'
// own times), a 集中学习 session entered once with its attendees, a
// course studied, external study imported from a spreadsheet through
// preview and commit (a second import writes nothing); 32 学时 for a
// member, 56 for a committee member; the org's list of who is short;
// the quiz scored on submit, its key never sent before; scoping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, admin, addUser, loginAs, cli, ago } from './lib.mjs';
import { writeXlsx } from './xlsx.mjs';

let srv, adm, town, brA, brB, secA, secB, self, work, year;
const m = {};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function ok(res, what, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type }), name).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }), name).then((b) => b.id);
const hoursOf = (items) => Math.round(items.reduce((s, x) => s + x.hours * 10, 0)) / 10;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'zb-study-'));
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '学习镇党委', 'committee');
  brA = await mkOrg(town, '甲学习支部', 'branch');
  brB = await mkOrg(town, '乙学习支部', 'branch');
  m.a1 = await mkMember(brA, '学甲一');
  m.a2 = await mkMember(brA, '学甲二');
  m.a3 = await mkMember(brA, '学甲三');
  m.b1 = await mkMember(brB, '学乙一');
  addUser(srv, 'sec_a', 'party_worker', brA);
  addUser(srv, 'sec_b', 'party_worker', brB);
  const r = cli(['user', 'add', 'self_a', '--db', srv.db, '--role', 'member', '--org', String(brA), '--member', String(m.a1)],
    { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  secA = await loginAs(srv, 'sec_a');
  secB = await loginAs(srv, 'sec_b');
  self = await loginAs(srv, 'self_a');
});

after(async () => {
  await srv?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

// start_at of "a while ago" today (00:00 China time at the earliest),
// end_at span seconds later (which may lie ahead just after midnight)
async function meeting(type, startAgo, span, present) {
  const body = { org_id: brA, type, start_at: ago(startAgo), topic: `${type}学习` };
  if (span !== null) body.end_at = body.start_at + span;
  if (type === 'lecture') body.speaker = '学甲二';
  const mt = await ok(secA.post('/api/v1/meetings', body), type);
  await ok(secA.put(`/api/v1/meetings/${mt.id}/attendance`, { items: present.map((id) => ({ member_id: id, status: 'present' })) }), 'attendance');
  return mt;
}

test('党课 and 主题党日 attended count without being entered again, equal to a recount from the attendance list', async () => {
  const l1 = await meeting('lecture', 3 * 3600, 5400 + 1200, [m.a1, m.a2]);  // 1 h 50 min: 1.5 学时
  await meeting('theme_day', 5 * 3600, null, [m.a1]);          // no end time: the rule's 2 学时
  await meeting('plenary', 6 * 3600, 3600, [m.a1]);            // not study
  year = Number(l1.held_on.slice(0, 4));
  const y = await ok(secA.get(`/api/v1/members/${m.a1}/study?year=${year}`), 'study');
  assert.equal(y.required, 32);
  assert.equal(y.leader, false);
  const fromMeetings = y.items.filter((x) => x.source.startsWith('meeting:'));
  assert.equal(fromMeetings.length, 2);
  assert.ok(fromMeetings.some((x) => x.source === `meeting:${l1.id}` && x.kind === 'lecture'));
  // the recount: the member's attendance list, each meeting's own times
  const att = await ok(secA.get(`/api/v1/members/${m.a1}/attendance?period=${year}`), 'attendance');
  let recount = 0;
  for (const a of att.items.filter((x) => x.status === 'present' && ['lecture', 'theme_day'].includes(x.type))) {
    const mt = await ok(secA.get(`/api/v1/meetings/${a.meeting_id}`), 'meeting');
    const halves = mt.end_at && mt.end_at > mt.start_at ? Math.floor((mt.end_at - mt.start_at) / 1800) : 4;
    recount += Math.min(halves, 16) * 5;
  }
  assert.equal(Math.round(hoursOf(fromMeetings) * 10), recount);
  assert.equal(y.hours, hoursOf(y.items));
  // the member's own view says the same
  const mine = await ok(self.get(`/api/v1/me/study?year=${year}`), 'me');
  assert.deepEqual(mine, y);
  // an absent member has none of it
  const y3 = await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3');
  assert.equal(y3.items.length, 0);
  assert.equal(y3.short_by, 32);
});

test('集中学习 entered once counts for each attendee; a committee member needs 56; who is short and by how much', async () => {
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const s = await ok(secA.post('/api/v1/study-sessions', { org_id: brA, kind: 'central', title: '党章集中学习', held_on: today, hours: 20, member_ids: [m.a1, m.a2] }), 'session');
  assert.equal(s.members, 2);
  // refused: a member of another branch, a bad number of hours, a kind not known
  let r = await secA.post('/api/v1/study-sessions', { org_id: brA, kind: 'central', title: 'x', held_on: today, hours: 2, member_ids: [m.b1] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'member_ids[0]');
  r = await secA.post('/api/v1/study-sessions', { org_id: brA, kind: 'central', title: 'x', held_on: today, hours: 2.25, member_ids: [m.a1] });
  assert.equal(r.body.error.field, 'hours');
  r = await secA.post('/api/v1/study-sessions', { org_id: brB, kind: 'central', title: 'x', held_on: today, hours: 2, member_ids: [m.b1] });
  assert.equal(r.status, 404);
  // a2 becomes a committee member of the branch: 56
  await ok(adm.post(`/api/v1/orgs/${brA}/committee`, { member_id: m.a2, post: 'member', started_on: '2020-01-01' }), 'post');
  const y2 = await ok(secA.get(`/api/v1/members/${m.a2}/study?year=${year}`), 'a2');
  assert.equal(y2.leader, true);
  assert.equal(y2.required, 56);
  const list = await ok(secA.get(`/api/v1/orgs/${brA}/study?year=${year}`), 'list');
  assert.equal(list.members, 3);
  const row = (id) => list.items.find((x) => x.member_id === id);
  const y1 = await ok(secA.get(`/api/v1/members/${m.a1}/study?year=${year}`), 'a1');
  assert.equal(row(m.a1).hours, y1.hours);
  assert.equal(row(m.a2).required, 56);
  assert.equal(list.orgs.length, 1);
  assert.equal(list.orgs[0].hours, Math.round(list.items.reduce((t, x) => t + x.hours * 10, 0)) / 10);
  const short = await ok(secA.get(`/api/v1/orgs/${brA}/study?year=${year}&short=1`), 'short');
  assert.equal(short.items.length, short.short);
  for (let i = 1; i < short.items.length; i++) assert.ok(short.items[i - 1].short_by >= short.items[i].short_by);
  assert.ok(short.items.every((x) => x.hours < x.required && x.short_by === Math.round((x.required - x.hours) * 10) / 10));
  // the sessions list names the attendees; a session entered by mistake goes
  const ss = await ok(secA.get(`/api/v1/orgs/${brA}/study-sessions?year=${year}`), 'sessions');
  assert.deepEqual(ss.items[0].names.sort(), ['学甲一', '学甲二'].sort());
  const extra = await ok(secA.post('/api/v1/study-sessions', { org_id: brA, kind: 'remote', title: '远程教育固定活动日', held_on: today, hours: 1, member_ids: [m.a3] }), 'remote');
  assert.equal((await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3')).hours, 1);
  await ok(secA.del(`/api/v1/study-sessions/${extra.id}`), 'delete');
  assert.equal((await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3')).hours, 0);
  // scoping: B's secretary sees none of A
  for (const p of [`/api/v1/members/${m.a1}/study`, `/api/v1/orgs/${brA}/study`, `/api/v1/orgs/${brA}/study-sessions`]) {
    assert.equal((await secB.get(p)).status, 404, p);
  }
  assert.equal((await secB.del(`/api/v1/study-sessions/${s.id}`)).status, 404);
  assert.equal((await self.get(`/api/v1/orgs/${brA}/study`)).status, 403);
  // a year that has not come is refused
  assert.equal((await secA.get(`/api/v1/members/${m.a1}/study?year=${year + 1}`)).body.error.field, 'year');
});

test('a course with a quiz: the key is never sent before the answer, a pass counts its hours', async () => {
  const fd = new FormData();
  fd.append('json', JSON.stringify({ org_id: town, title: '学习党章', body: '第一章 党员', hours: 2.5, pass_mark: 60 }));
  fd.append('file', new Blob([PDF], { type: 'application/pdf' }), '党章.pdf');
  const res = await fetch(`${srv.url}/api/v1/courses`, { method: 'POST', body: fd, headers: { Cookie: adm.cookie, 'X-CSRF-Token': adm.csrf } });
  assert.equal(res.status, 201, await res.clone().text());
  const c = await res.json();
  // a branch secretary cannot publish at the township
  assert.equal((await secA.post('/api/v1/courses', { org_id: town, title: 'x', body: 'y', hours: 1 })).status, 403);
  // questions from a sheet: a bad row refuses the whole commit
  const file = join(work, 'quiz.xlsx');
  const header = ['题目', '题型', 'A', 'B', 'C', 'D', '答案'];
  writeXlsx(file, { title: '测验', header, rows: [['党的最高理想是', '单选', '共产主义', '小康', '', '', 'A'], ['党员的权利有', '多选', '表决权', '选举权', '被选举权', '', 'ABC'], ['坏题', '单选', '甲', '乙', '', '', 'AB']] });
  const raw = (c2, path, buf) => c2.req('POST', path, buf, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  let r = await raw(adm, `/api/v1/courses/${c.id}/quiz`, readFileSync(file));
  assert.equal(r.status, 200);
  assert.equal(r.body.errors, 1);
  assert.match(r.body.rows[2].errors[0], /单选题只能有一个答案/);
  r = await raw(adm, `/api/v1/courses/${c.id}/quiz?commit=1`, readFileSync(file));
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /第 5 行/); // a title row, the header, then the questions
  writeXlsx(file, { title: '测验', header, rows: [['党的最高理想是', '单选', '共产主义', '小康', '', '', 'a'], ['党员的权利有', '多选', '表决权', '选举权', '被选举权', '', 'C、A、B']] });
  r = await raw(adm, `/api/v1/courses/${c.id}/quiz?commit=1`, readFileSync(file));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.questions, 2);
  // the member: assigned through the township, no key in what they see
  const mine = await ok(self.get('/api/v1/me/courses'), 'mine');
  assert.ok(mine.items.some((x) => x.id === c.id && x.questions === 2 && x.studied_on === null));
  const page = await ok(self.get(`/api/v1/me/courses/${c.id}`), 'course');
  assert.equal(page.quiz.length, 2);
  assert.ok(page.quiz.every((q) => !('answer' in q)));
  assert.equal(JSON.stringify(page).includes('"ABC"'), false);
  const pdf = await self.get(`/api/v1/me/courses/${c.id}/file`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  // marking it studied is refused: the quiz decides
  assert.equal((await self.post(`/api/v1/me/courses/${c.id}/studied`, {})).status, 409);
  // one of two right: 50 < 60, not studied; both right: 100, studied today
  let q = await ok(self.post(`/api/v1/me/courses/${c.id}/quiz`, { answers: ['A', 'AB'] }), 'quiz');
  assert.equal(q.score, 50);
  assert.equal(q.passed, false);
  assert.equal(q.studied_on, null);
  // a failed attempt gets its score, not the key (else the next attempt
  // would copy it) nor which questions were wrong
  assert.deepEqual(q.results, []);
  assert.equal(JSON.stringify(q).includes('ABC'), false);
  assert.equal((await self.post(`/api/v1/me/courses/${c.id}/quiz`, { answers: ['A'] })).status, 400);
  q = await ok(self.post(`/api/v1/me/courses/${c.id}/quiz`, { answers: ['a', 'b,c,a'] }), 'quiz');
  assert.equal(q.score, 100);
  assert.equal(q.passed, true);
  // passed: now each question's key and whether it was right
  assert.deepEqual(q.results.map((x) => [x.right, x.answer]), [[true, 'A'], [true, 'ABC']]);
  const y = await ok(self.get(`/api/v1/me/study?year=${q.studied_on.slice(0, 4)}`), 'me');
  const item = y.items.find((x) => x.source === `course:${c.id}`);
  assert.equal(item.hours, 2.5);
  // the secretary sees who studied it, not the key (published above them)
  const st = await ok(secA.get(`/api/v1/orgs/${brA}/courses/${c.id}`), 'studies');
  assert.equal(st.assigned, 3);
  assert.equal(st.studied, 1);
  assert.equal(st.members[0].member_id, m.a1);
  assert.equal(st.members[0].score, 100);
  assert.ok(st.quiz.every((x) => !('answer' in x)));
  assert.ok((await ok(adm.get(`/api/v1/orgs/${town}/courses/${c.id}`), 'adm')).quiz.every((x) => x.answer));
  // B's secretary sees the course (published at their township) but none of A's members
  const stb = await ok(secB.get(`/api/v1/orgs/${brB}/courses/${c.id}`), 'b');
  assert.ok(stb.members.every((x) => x.member_id === m.b1));
  assert.equal((await secB.get(`/api/v1/orgs/${brA}/courses/${c.id}`)).status, 404);
  // a course without a quiz is marked studied once
  const plain = await ok(adm.post('/api/v1/courses', { org_id: brA, title: '支部读书', link: 'https://example.org/read', hours: 1 }), 'plain');
  const d1 = await ok(self.post(`/api/v1/me/courses/${plain.id}/studied`, {}), 'studied');
  assert.ok(d1.studied_on);
  await ok(self.post(`/api/v1/me/courses/${plain.id}/studied`, {}), 'again');
  const y2 = await ok(self.get(`/api/v1/me/study?year=${d1.studied_on.slice(0, 4)}`), 'me');
  assert.equal(y2.items.filter((x) => x.source === `course:${plain.id}`).length, 1);
  // B's member would not see A's course
  assert.equal((await secB.get(`/api/v1/orgs/${brB}/courses/${plain.id}`)).status, 404);
  assert.equal((await adm.post('/api/v1/courses', { org_id: brA, title: 'x', link: 'javascript:alert(1)', hours: 1 })).body.error.field, 'link');
});

test('external study imported from a spreadsheet: preview with Chinese errors per row, all or nothing, once', async () => {
  const file = join(work, 'study.xlsx');
  const header = ['姓名', '学习日期', '学习内容', '学时', '举办单位'];
  const good = [['学甲三', `${year}-01-05`, '网络培训班', '12', '省委党校'], ['学甲二', `${year}-01-06`, '专题培训', '1.5学时', '县委党校']];
  const bad = [['查无此人', `${year}-01-05`, '培训', '2', ''], ['学甲三', '2099-01-01', '培训', '2', ''], ['学甲三', `${year}-01-07`, '培训', '30', '']];
  writeXlsx(file, { title: '学习记录', header, rows: [...good, ...bad] });
  const up = (c) => c.req('POST', `/api/v1/study-imports?org=${brA}&filename=study.xlsx`, readFileSync(file),
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  let p = await ok(up(secA), 'upload');
  assert.deepEqual(p.rows.map((x) => x.errors.length), [0, 0, 1, 1, 1], JSON.stringify(p.rows));
  assert.deepEqual(p.counts, { new: 2, unchanged: 0, error: 3 });
  assert.match(p.rows[2].errors[0], /不在 甲学习支部 的党员名册中/);
  assert.match(p.rows[3].errors[0], /不晚于今天/);
  assert.match(p.rows[4].errors[0], /不超过 24/);
  const before3 = (await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3')).hours;
  assert.equal((await secA.post(`/api/v1/study-imports/${p.id}/commit`, {})).status, 400);
  assert.equal((await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3')).hours, before3);
  // another secretary cannot read or commit the batch
  assert.equal((await secB.get(`/api/v1/study-imports/${p.id}`)).status, 404);
  const done = await ok(secA.post(`/api/v1/study-imports/${p.id}/commit?skip_errors=1`, {}), 'commit');
  assert.deepEqual(done.counts, { new: 2, unchanged: 0, skipped: 3 });
  const y3 = await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3');
  assert.equal(y3.hours, before3 + 12);
  const imported = y3.items.find((x) => x.kind === 'external');
  assert.equal(imported.batch_id, p.id);
  assert.match(imported.source, /^session:\d+$/);
  // the same file again writes nothing
  writeXlsx(file, { title: '学习记录', header, rows: good });
  p = await ok(up(secA), 'again');
  assert.deepEqual(p.counts, { new: 0, unchanged: 2, error: 0 });
  // outside the secretary's branch
  assert.equal((await secB.req('POST', `/api/v1/study-imports?org=${brA}&filename=x.xlsx`, readFileSync(file),
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } })).status, 404);
});

test('a year to come has no sessions to list: refused on year like the year\'s 学时', async () => {
  for (const path of [`/api/v1/orgs/${brA}/study-sessions?year=2999`, `/api/v1/orgs/${brA}/study?year=2999`]) {
    const r = await secA.get(path);
    assert.equal(r.status, 400, path);
    assert.equal(r.body.error.field, 'year');
  }
});

test('rule kind study: a county sets its own hours; a set breaking the rule is refused', async () => {
  let r = await adm.post('/api/v1/rules', { org_id: town, kind: 'study', effective_from: '2020-01-01', data: { member_hours: 40, leader_hours: 30 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'data.leader_hours');
  r = await adm.post('/api/v1/rules', { org_id: town, kind: 'study', effective_from: '2020-01-01', data: { member_hours: 40 } });
  assert.ok([200, 201].includes(r.status), JSON.stringify(r.body));
  assert.equal((await ok(secA.get(`/api/v1/members/${m.a3}/study?year=${year}`), 'a3')).required, 40);
  assert.equal((await ok(secA.get(`/api/v1/members/${m.a2}/study?year=${year}`), 'a2')).required, 56);
});
