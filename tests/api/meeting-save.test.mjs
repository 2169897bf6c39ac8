// Recording a meeting in one request: the record, its attendance and its
// resolutions are one transaction (a refused save leaves no meeting, no
// attendance row and no audit row); the form context route offers only
// what can be recorded and lists the 应到 people the save will use, with
// their status; errors name people, never internal ids; QR sign-in can be
// previewed; member-only accounts keep a 30-day session.  The photos of
// the paper minutes travel in the same request (multipart/form-data) and
// the same transaction: a refused photo leaves no meeting, no row and no
// file.  A retry with the same client_key gets the first save's record.
// Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startServer, admin, addUser, loginAs, cli, Client, ago } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, root, town, A, B, NG, GA, secA, aud;
const M = {};
const IDLE = 3;     // seconds of idle timeout of the session test's own server

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
function userFor(name, role, org, member) {
  const args = ['user', 'add', name, '--db', srv.db, '--role', role, '--org', String(org)];
  if (member) args.push('--member', String(member));
  const r = cli(args, { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
}
/** What the API shows of org A's meetings, attendance and meeting audit rows. */
async function footprint() {
  const list = (await secA.get(`/api/v1/meetings?org=${A}&limit=200`)).body.items;
  const att = (await secA.get(`/api/v1/members/${M.F4}/attendance`)).body;
  const audit = (await aud.get('/api/v1/audit?action=meeting.create&limit=200')).body.items;
  return { meetings: list.length, att: JSON.stringify(att), audit: audit.length };
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '河口镇党委', 'committee');
  A = await mkOrg(town, '临河村党支部', 'branch');
  B = await mkOrg(town, '对岸村党支部', 'branch');
  NG = await mkOrg(town, '小湾村党支部', 'branch');     // no 党小组, no committee
  GA = await mkOrg(A, '临河村第一党小组', 'group');
  for (const n of ['F1', 'F2', 'F3', 'F4', 'F5']) M[n] = await mkMember(A, '临' + n, ['F4', 'F5'].includes(n) ? { group_id: GA } : {});
  M.MOB = await mkMember(A, '临流动', { status: 'mobile' });
  M.B1 = await mkMember(B, '岸B1');
  M.N1 = await mkMember(NG, '湾N1');
  for (const [n, post] of [['F1', 'secretary'], ['F2', 'deputy_secretary'], ['F3', 'organization']]) {
    const r = await adm.post(`/api/v1/orgs/${A}/committee`, { member_id: M[n], post, started_on: '2020-01-01' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  addUser(srv, 'seca', 'party_worker', A);
  addUser(srv, 'auditor', 'audit_admin', root);
  secA = await loginAs(srv, 'seca');
  aud = await loginAs(srv, 'auditor');
});
after(async () => { if (srv) await srv.stop(); });

test('a meeting, its attendance and resolutions are saved by one request', async () => {
  const t = ago(600);
  const r = await secA.post('/api/v1/meetings', { org_id: A, type: 'theme_day', start_at: t, end_at: t + 3600,
    minutes: '学习了党章', attendance: [
      { member_id: M.F1, status: 'present' }, { member_id: M.F2, status: 'present' },
      { member_id: M.F3, status: 'present' }, { member_id: M.F4, status: 'leave', reason: '外出务工' },
      { member_id: M.F5, status: 'absent' }, { member_id: M.MOB, status: 'absent' }],
    resolutions: [{ title: '同意修缮村党群服务中心', yes: 3, no: 0, abstain: 0 }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.expected_count, 6);
  assert.equal(r.body.present_count, 3);
  assert.equal(r.body.leave_count, 1);
  assert.equal(r.body.absent_count, 2);
  assert.equal(r.body.resolutions.length, 1);
  const leave = r.body.attendance.find((a) => a.member_id === M.F4);
  assert.equal(leave.reason, '外出务工');
  assert.equal(leave.unmarked, false);
  const audit = (await aud.get(`/api/v1/audit?action=meeting.create&object_id=${r.body.id}`)).body.items;
  assert.equal(audit.length, 1, 'one audit row for the whole save');
});

test('a refused save leaves no meeting, no attendance row and no audit row', async () => {
  const t = ago(600);
  const cases = [
    // the whole branch on a committee form: the server expects the committee
    [{ org_id: A, type: 'committee', start_at: t, attendance: [M.F1, M.F2, M.F3, M.F4].map((id) => ({ member_id: id, status: 'present' })) },
      'attendance[3].member_id', /临F4 不是支部委员/],
    // a 流动党员 left off the form is not silently recorded 缺席
    [{ org_id: A, type: 'theme_day', start_at: t, attendance: [M.F1, M.F2, M.F3, M.F4, M.F5].map((id) => ({ member_id: id, status: 'present' })) },
      'attendance', /临流动（流动）/],
    // a 请假 without its reason
    [{ org_id: A, type: 'committee', start_at: t, attendance: [{ member_id: M.F1, status: 'leave' },
      { member_id: M.F2, status: 'present' }, { member_id: M.F3, status: 'present' }] }, 'attendance[0].reason', /请假须填写原因/],
    // a resolution with more votes than people present: refused after the
    // meeting and the attendance were written in the same transaction
    [{ org_id: A, type: 'committee', start_at: t, attendance: [M.F1, M.F2, M.F3].map((id) => ({ member_id: id, status: 'present' })),
      resolutions: [{ title: '表决', yes: 9, no: 0, abstain: 0 }] }, 'resolutions[0].yes', /超过到会/],
    // someone of another branch: no name is revealed
    [{ org_id: A, type: 'committee', start_at: t, attendance: [M.F1, M.F2, M.F3, M.B1].map((id) => ({ member_id: id, status: 'present' })) },
      'attendance[3].member_id', /^所选党员 不是支部委员/],
  ];
  for (const [body, field, msg] of cases) {
    const before = await footprint();
    const r = await secA.post('/api/v1/meetings', body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, msg);
    assert.doesNotMatch(r.body.error.message, /编号|\d{2,}/, 'no internal id in the message');
    assert.deepEqual(await footprint(), before, `nothing left behind by ${JSON.stringify(body).slice(0, 80)}`);
  }
  assert.doesNotMatch(JSON.stringify(cases.map((c) => c)), /岸B1/);
  // the audit chain is intact
  const v = (await aud.get('/api/v1/audit/verify')).body;
  assert.equal(v.ok, true, JSON.stringify(v));
});

test('the attendance route names the person, not an internal id', async () => {
  const t = ago(600);
  const c = (await secA.post('/api/v1/meetings', { org_id: A, type: 'committee', start_at: t })).body;
  let r = await secA.put(`/api/v1/meetings/${c.id}/attendance`, { items: [{ member_id: M.F5, status: 'present' }] });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /^临F5 不是支部委员/);
  r = await secA.put(`/api/v1/meetings/${c.id}/attendance`, { items: [{ member_id: M.F1, status: 'present' }, { member_id: M.F1, status: 'absent' }] });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /^临F1 在出席名单中重复出现/);
  const g = (await secA.post('/api/v1/meetings', { org_id: GA, type: 'group', start_at: t })).body;
  r = await secA.put(`/api/v1/meetings/${g.id}/attendance`, { items: [{ member_id: M.F1, status: 'present' }] });
  // the group's org is below the branch: a branch member is not named to
  // someone who may hold rights at the 党小组 only
  assert.match(r.body.error.message, /^所选党员 不是临河村第一党小组的成员/);
});

test('the form context offers what can be recorded and the 应到 list the save uses', async () => {
  // a branch with neither 党小组 nor committee: neither is offered
  let r = await adm.get(`/api/v1/orgs/${NG}/meeting-form`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const types = Object.fromEntries(r.body.types.map((x) => [x.type, x]));
  assert.equal(types.group.allowed, false);
  assert.match(types.group.reason, /没有党小组/);
  assert.equal(types.committee.allowed, false);
  assert.equal(types.theme_day.allowed, true);
  assert.deepEqual(r.body.groups, []);

  // the committee form lists the committee, not the whole branch
  r = await secA.get(`/api/v1/orgs/${A}/meeting-form?type=committee`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.expected.map((x) => x.member_id).sort(), [M.F1, M.F2, M.F3].sort());
  assert.equal(r.body.defaults.host, '临F1', 'the secretary hosts');
  assert.equal(r.body.defaults.attendance, 'present');
  // the plenary-type list shows the 流动党员 with their status
  r = await secA.get(`/api/v1/orgs/${A}/meeting-form?type=theme_day`);
  const mob = r.body.expected.find((x) => x.member_id === M.MOB);
  assert.ok(mob, 'the 流动党员 is listed');
  assert.equal(mob.status, 'mobile');
  assert.equal(mob.status_name, '流动');
  // the previous 主题党日 (first test) is the starting point
  assert.ok(r.body.previous && r.body.previous.id, JSON.stringify(r.body.previous));
  assert.equal(r.body.unit.every_months, 1);
  assert.ok(r.body.unit.held >= 1);
  // a group meeting: the only 党小组 is chosen; its members are the list
  r = await secA.get(`/api/v1/orgs/${A}/meeting-form?type=group`);
  assert.equal(r.body.group_id, GA);
  assert.equal(r.body.meeting_org_id, GA);
  assert.deepEqual(r.body.expected.map((x) => x.member_id).sort(), [M.F4, M.F5].sort());
  // a 党小组 of another branch is refused
  const GB = await mkOrg(B, '对岸村第一党小组', 'group');
  r = await adm.get(`/api/v1/orgs/${A}/meeting-form?type=group&group=${GB}`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'group');

  // what the form lists is what the save uses: every listed person marked
  // is accepted, for each type
  for (const type of ['committee', 'theme_day', 'group']) {
    const f = (await secA.get(`/api/v1/orgs/${A}/meeting-form?type=${type}`)).body;
    const t = ago(300);
    const s = await secA.post('/api/v1/meetings', { org_id: f.meeting_org_id, type, start_at: t,
      host: f.defaults.host, attendance: f.expected.map((x) => ({ member_id: x.member_id, status: 'present' })) });
    assert.equal(s.status, 201, `${type}: ${JSON.stringify(s.body)}`);
    assert.equal(s.body.expected_count, f.expected.length);
    assert.equal(s.body.present_count, f.expected.length);
  }
  // the form is for those who may record meetings there
  const other = new Client(srv.url);
  addUser(srv, 'secb', 'party_worker', B);
  await other.login('secb', 'Test-Passw0rd-1');
  r = await other.get(`/api/v1/orgs/${A}/meeting-form`);
  assert.equal(r.status, 404);
});

test('without attendance the rows stay unmarked: 未登记, then 未签到 once sign-in is open', async () => {
  const t = ago(60);
  const m = (await secA.post('/api/v1/meetings', { org_id: A, type: 'theme_day', start_at: t, end_at: t + 3600 })).body;
  assert.ok(m.attendance.every((a) => a.unmarked && a.status_name === '未登记'));
  assert.equal(m.signin_opened, false);
  const q = await secA.post(`/api/v1/meetings/${m.id}/signin`, {});
  assert.equal(q.status, 201, JSON.stringify(q.body));
  const d = (await secA.get(`/api/v1/meetings/${m.id}`)).body;
  assert.equal(d.signin_opened, true);
  assert.ok(d.attendance.every((a) => a.status_name === '未签到'));

  // the member sees which meeting before confirming; the preview writes nothing
  userFor('memf4', 'member', A, M.F4);
  const mem = await loginAs(srv, 'memf4');
  let p = await mem.post('/api/v1/signin/preview', { token: q.body.token });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.meeting_id, m.id);
  assert.equal(p.body.org_name, '临河村党支部');
  assert.equal(p.body.start_at, t);
  assert.equal(p.body.on_list, true);
  assert.equal(p.body.signed_in_at, null);
  assert.equal(p.body.expired, false);
  const still = (await secA.get(`/api/v1/meetings/${m.id}`)).body.attendance.find((a) => a.member_id === M.F4);
  assert.equal(still.unmarked, true);
  const s = await mem.post('/api/v1/signin', { token: q.body.token });
  assert.equal(s.status, 200, JSON.stringify(s.body));
  p = await mem.post('/api/v1/signin/preview', { token: q.body.token });
  assert.ok(p.body.signed_in_at > 0);
  // a forged token is refused by the preview too
  const bad = q.body.token.slice(0, -2) + (q.body.token.endsWith('AA') ? 'BB' : 'AA');
  p = await mem.post('/api/v1/signin/preview', { token: bad });
  assert.equal(p.status, 400);
});

test('member-only accounts keep a 30-day session; wider roles keep the short one', async () => {
  // a server of its own with a 3-second idle timeout, so that the other
  // tests' sessions do not time out while the machine is busy
  const s2 = await startServer({ env: { ZHIBU_SESSION_IDLE: String(IDLE) } });
  try {
    const a2 = await admin(s2);
    const root2 = (await a2.get('/api/v1/orgs')).body.items[0].id;
    let r = await a2.post('/api/v1/orgs', { parent_id: root2, name: '会话村党支部', type: 'branch' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const org = r.body.id;
    const ids = {};
    for (const n of ['F5', 'F3']) {
      r = await a2.post('/api/v1/members', { org_id: org, name: '会' + n, category: 'full', join_date: '2010-07-01',
        full_date: '2011-07-01' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      ids[n] = r.body.id;
    }
    const add = (name, role, member) => {
      const args = ['user', 'add', name, '--db', s2.db, '--role', role, '--org', String(org)];
      if (member) args.push('--member', String(member));
      const c = cli(args, { ...s2.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
      assert.equal(c.code, 0, c.stderr);
    };
    add('memf5', 'member', ids.F5);
    add('memf3', 'member', ids.F3);
    add('seca', 'party_worker');
    const mem = new Client(s2.url);
    r = await mem.login('memf5', 'Test-Passw0rd-1');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie'), /Max-Age=2592000/);
    assert.equal(r.body.idle_timeout, 30 * 86400);
    const wider = new Client(s2.url);
    await wider.login('memf3', 'Test-Passw0rd-1');
    const worker = new Client(s2.url);
    r = await worker.login('seca', 'Test-Passw0rd-1');
    assert.doesNotMatch(r.headers.get('set-cookie'), /Max-Age/);
    // memf3 becomes a party worker after logging in: back to the short limits
    r = cli(['user', 'grant', 'memf3', '--db', s2.db, '--role', 'party_worker', '--org', String(org)], s2.env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    await new Promise((res) => setTimeout(res, (IDLE + 1.5) * 1000));
    assert.equal((await mem.get('/api/v1/auth/me')).status, 200, 'the member is still logged in');
    assert.equal((await worker.get('/api/v1/auth/me')).status, 401, 'the worker timed out');
    assert.equal((await wider.get('/api/v1/auth/me')).status, 401, 'a member turned worker timed out');
    // a reset password (must change) gets the short session even for a member
    r = cli(['user', 'passwd', 'memf5', '--db', s2.db, '--temporary'], { ...s2.env, ZHIBU_PASSWORD: 'Temp-Passw0rd-9' });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const again = new Client(s2.url);
    r = await again.login('memf5', 'Temp-Passw0rd-9');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.doesNotMatch(r.headers.get('set-cookie'), /Max-Age/);
  } finally {
    await s2.stop();
  }
});

// ---- photos in the save, and retries ----------------------------------------

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

/** POST /meetings as the app sends it: a json part and file parts. */
function formSave(c, body, files = []) {
  const fd = new FormData();
  fd.append('json', JSON.stringify(body));
  for (const [name, data] of files) fd.append('file', new Blob([data]), name);
  return c.req('POST', '/api/v1/meetings', fd, { raw: true });
}
/** A form body written by hand (for malformed forms). */
function rawForm(c, text, boundary = 'zbtest') {
  return c.req('POST', '/api/v1/meetings', Buffer.from(text), { raw: true,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
}
function files() {
  try { return readdirSync(join(srv.dir, 'attachments')).sort(); } catch { return []; }
}
function rows(table) { return Number(sql(srv.db, `SELECT COUNT(*) FROM ${table}`).trim()); }
async function everything() {
  return { ...(await footprint()), files: files().join(','), attachments: rows('meeting_attachments'),
    attendance: rows('meeting_attendance'), meetings: rows('meetings'), keys: rows('meeting_save_keys') };
}
const committee = (t) => ({ org_id: A, type: 'committee', start_at: t,
  attendance: [M.F1, M.F2, M.F3].map((id) => ({ member_id: id, status: 'present' })) });

test('a save with photos of the minutes stores the record and the photos in one request', async () => {
  const r = await formSave(secA, { ...committee(ago(900)), minutes: '见会议记录本照片' },
    [['记录本第1页.jpg', JPEG], ['记录本第2页.png', PNG]]);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.present_count, 3);
  assert.deepEqual(r.body.attachments.map((a) => [a.filename, a.kind, a.size]),
    [['记录本第1页.jpg', 'jpeg', JPEG.length], ['记录本第2页.png', 'png', PNG.length]]);
  const got = await secA.get(r.body.attachments[1].url);
  assert.equal(got.status, 200);
  assert.equal(Buffer.compare(got.body, PNG), 0);
  const audit = (await aud.get(`/api/v1/audit?action=meeting.create&object_id=${r.body.id}`)).body.items;
  assert.equal(audit.length, 1, 'one audit row for the record and its photos');
  assert.equal(audit[0].detail.attachments, 2);
  assert.equal((await aud.get(`/api/v1/audit?action=meeting.attachment&object_id=${r.body.id}`)).body.items.length, 0);
});

test('a refused photo, or any refusal after the photos were written, leaves nothing behind', async () => {
  const t = ago(900);
  // the second photo is an .exe renamed .jpg: refused before anything is written
  let before = await everything();
  let r = await formSave(secA, committee(t), [['第1页.jpg', JPEG], ['第2页.jpg', EXE]]);
  assert.equal(r.status, 415, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'files[1]');
  assert.match(r.body.error.message, /^第 2 个文件（第2页\.jpg）：只能上传 JPEG、PNG/);
  assert.deepEqual(await everything(), before);
  // an empty file
  r = await formSave(secA, committee(t), [['第1页.jpg', JPEG], ['空.png', Buffer.alloc(0)]]);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(await everything(), before);
  // the photos are written, then a resolution is refused: the files go too
  r = await formSave(secA, { ...committee(t), resolutions: [{ title: '表决', yes: 9, no: 0, abstain: 0 }] },
    [['第1页.jpg', JPEG], ['第2页.png', PNG]]);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'resolutions[0].yes');
  assert.deepEqual(await everything(), before, 'no meeting, attendance, attachment row, file or audit row');
  // the same with a client key: the key is not kept either
  r = await formSave(secA, { ...committee(t), client_key: randomUUID(), attendance: [] }, [['第1页.jpg', JPEG]]);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.deepEqual(await everything(), before);
  assert.equal((await aud.get('/api/v1/audit/verify')).body.ok, true);
});

test('malformed forms are refused with a message naming the problem', async () => {
  const before = await everything();
  const json = JSON.stringify(committee(ago(900)));
  const part = (name, body, filename) => `--zbtest\r\nContent-Disposition: form-data; name="${name}"` +
    (filename ? `; filename="${filename}"\r\nContent-Type: image/jpeg` : '') + `\r\n\r\n${body}\r\n`;
  let r = await rawForm(secA, part('photo', 'x', 'a.jpg') + part('json', json) + '--zbtest--\r\n');
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /无法识别的文件「photo」/);
  r = await rawForm(secA, part('file', 'x', 'a.jpg') + '--zbtest--\r\n');
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /缺少 json/);
  r = await rawForm(secA, part('json', json) + part('json', json) + '--zbtest--\r\n');
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /多个 json/);
  r = await rawForm(secA, part('json', json) + part('extra', '1') + '--zbtest--\r\n');
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /无法识别的部分「extra」/);
  r = await rawForm(secA, part('json', '{"org_id":') + '--zbtest--\r\n');
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不是有效的 JSON/);
  // a form cut short (the final boundary never came) saves nothing
  r = await rawForm(secA, part('json', json) + `--zbtest\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n` +
    JPEG.toString('latin1'));
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /表单格式错误或内容不完整/);
  // no boundary
  r = await rawForm(secA, part('json', json), '');
  assert.equal(r.status, 400, JSON.stringify(r.body));
  // the json part is checked like a JSON body
  r = await rawForm(secA, part('json', JSON.stringify({ ...committee(ago(900)), secret: 1 })) + '--zbtest--\r\n');
  assert.equal(r.status, 400);
  // too many files
  const many = Array.from({ length: 10 }, (_, i) => [`p${i}.jpg`, JPEG]);
  r = await formSave(secA, committee(ago(900)), many);
  assert.equal(r.status, 413, JSON.stringify(r.body));
  assert.match(r.body.error.message, /最多上传 9 个文件/);
  // a plain JSON body keeps the JSON cap, not the cap for photos
  r = await secA.post('/api/v1/meetings', { ...committee(ago(900)), minutes: 'x'.repeat(300 * 1024) });
  assert.equal(r.status, 413, JSON.stringify(r.body));
  // a form over the route's cap: refused from the declared length
  r = await formSave(secA, committee(ago(900)), [['big.jpg', Buffer.alloc(31 * 1024 * 1024, 1)]])
    .catch(() => ({ status: 'closed' }));
  assert.ok([413, 'closed'].includes(r.status), String(r.status));
  assert.deepEqual(await everything(), before);
});

test('a retried save with the same client_key returns the first record; a key reused for another body is 409', async () => {
  const key = randomUUID();
  const body = { ...committee(ago(1200)), minutes: '重试测试', client_key: key };
  const photos = [['第1页.jpg', JPEG]];
  const first = await formSave(secA, body, photos);
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const after1 = await everything();
  // the answer was lost: the app sends the same save again
  const again = await formSave(secA, body, photos);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.attachments.length, 1);
  assert.deepEqual(await everything(), after1, 'no new meeting, attendance, attachment, file or audit row');
  // the key order of the JSON does not matter
  const reordered = Object.fromEntries(Object.entries(body).reverse());
  assert.equal((await formSave(secA, reordered, photos)).body.id, first.body.id);
  // the same key with another body, or other photos: 409, nothing written
  let r = await formSave(secA, { ...body, minutes: '另一次会议' }, photos);
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.match(r.body.error.message, /^这份草稿已保存为会议记录“[^”]+”（\d{4}-\d{2}-\d{2}）/, 'the saved record is named by title and date');
  assert.doesNotMatch(r.body.error.message, /编号/, 'not by its number');
  assert.equal(r.body.error.field, 'client_key');
  r = await formSave(secA, body, [['第1页.jpg', PNG]]);
  assert.equal(r.status, 409, JSON.stringify(r.body));
  r = await formSave(secA, body, []);
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.deepEqual(await everything(), after1);
  // plain JSON saves take the key too; two at once make one record
  const k2 = randomUUID();
  const jb = { ...committee(ago(1300)), client_key: k2 };
  const both = await Promise.all([secA.post('/api/v1/meetings', jb), secA.post('/api/v1/meetings', jb)]);
  assert.deepEqual(both.map((x) => x.status).sort(), [200, 201], JSON.stringify(both.map((x) => x.body)));
  assert.equal(both[0].body.id, both[1].body.id);
  assert.equal(rows('meetings'), after1.meetings + 1);
  // the key is per organisation and must be a UUID
  r = await secA.post('/api/v1/meetings', { ...committee(ago(1300)), client_key: 'abc' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'client_key');
  // another branch's secretary cannot learn anything with A's key
  const secB = new Client(srv.url);
  await secB.login('secb', 'Test-Passw0rd-1');
  r = await secB.post('/api/v1/meetings', { org_id: B, type: 'theme_day', start_at: ago(600), client_key: key });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.notEqual(r.body.id, first.body.id);
});
