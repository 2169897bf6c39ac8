// 工作任务 and 通知公告 down the tree over HTTP (docs/TASKS.md): a task
// issued to the orgs below (POST /tasks -> 201), forwarded by a township to
// its villages without retyping, replied to by a village's party worker,
// the county's live progress through the forward and its drill-down; a
// meeting recorded before or after the task completes it with nothing
// typed; a filled form checked field by field; the duplicate flag and its
// confirmation; reminders once a day; reply files; notices with read
// receipts; the 我的 list; and the scope of every route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli, ago } from './lib.mjs';

let srv, adm, town, sec, outsider, member;
let T1, T2, V1, V2, V3;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 864e5).toISOString().slice(0, 10);
const today = day(0);

async function mkOrg(parent, name, type, extra = {}) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function issue(c, body, status = 201) {
  const r = await c.post('/api/v1/tasks', { due_on: day(10), ...body });
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const targetOf = (task, org) => task.targets.find((t) => t.org_id === org).id;

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  T1 = await mkOrg(1, '中共任务一镇委员会', 'committee', { domain: 'rural' });
  T2 = await mkOrg(1, '中共任务二镇委员会', 'committee', { domain: 'rural' });
  V1 = await mkOrg(T1, '中共东村支部委员会', 'branch', { domain: 'rural' });
  V2 = await mkOrg(T1, '中共西村支部委员会', 'branch', { domain: 'rural' });
  V3 = await mkOrg(T2, '中共南村支部委员会', 'branch', { domain: 'rural' });
  addUser(srv, 'tktown', 'org_admin', T1);
  addUser(srv, 'tksec', 'party_worker', V1);
  addUser(srv, 'tkout', 'party_worker', V3);
  const m = await adm.post('/api/v1/members', { org_id: V1, name: '任务党员', category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' });
  assert.equal(m.status, 201, JSON.stringify(m.body));
  const r = cli(['user', 'add', 'tkmember', '--db', srv.db, '--role', 'member', '--org', String(V1), '--member', String(m.body.id)],
    { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  [town, sec, outsider, member] = await Promise.all(['tktown', 'tksec', 'tkout', 'tkmember'].map((u) => loginAs(srv, u)));
});

after(async () => { await srv?.stop(); });

test('a task issued to all below, forwarded by a township, replied to; the county sees all of it', async () => {
  const t = await issue(adm, { org_id: 1, title: '报送第四季度党建工作总结', body: '请各镇报送', targets: { mode: 'all' } });
  assert.deepEqual(t.targets.map((x) => x.org_id).sort(), [T1, T2].sort());
  assert.equal(t.assigned, 2);
  // the township passes it down without retyping it
  const f = await town.post(`/api/v1/task-targets/${targetOf(t, T1)}/forward`, { targets: { mode: 'all' } });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  assert.equal(f.body.parent_id, t.id);
  assert.equal(f.body.title, t.title);
  assert.equal(f.body.due_on, t.due_on);
  assert.deepEqual(f.body.targets.map((x) => x.org_id).sort(), [V1, V2].sort());
  assert.equal((await town.post(`/api/v1/task-targets/${targetOf(t, T1)}/forward`, { targets: { mode: 'all' } })).status, 409);
  assert.equal((await town.post(`/api/v1/task-targets/${targetOf(t, T1)}/reply`, { text: '已转发' })).status, 409);
  // a later due date than the county's is refused
  const late = await adm.post(`/api/v1/task-targets/${targetOf(t, T2)}/forward`, { targets: { mode: 'all' }, due_on: day(30) });
  assert.equal(late.status, 400);
  assert.equal(late.body.error.field, 'due_on');

  let p = (await adm.get(`/api/v1/tasks/${t.id}/progress`)).body;
  assert.deepEqual([p.assigned, p.done, p.overdue], [3, 0, 0]);
  const row = (o) => p.orgs.find((x) => x.org_id === o);
  assert.equal(row(T1).state, 'forwarded');
  assert.equal(row(T1).assigned, 2);
  assert.equal(row(T1).has_below, true);

  // the village's party worker replies; the township cannot reply for it and
  // a village elsewhere cannot see it
  const tv1 = targetOf(f.body, V1);
  assert.equal((await outsider.get(`/api/v1/task-targets/${tv1}`)).status, 404);
  assert.equal((await outsider.post(`/api/v1/task-targets/${tv1}/reply`, { text: 'x' })).status, 404);
  const empty = await sec.post(`/api/v1/task-targets/${tv1}/reply`, { text: '' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.field, 'text');
  const up = await sec.req('POST', `/api/v1/task-targets/${tv1}/files?filename=photo.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const rep = await sec.post(`/api/v1/task-targets/${tv1}/reply`, { text: '已召开专题会议，总结已上传' });
  assert.equal(rep.status, 200, JSON.stringify(rep.body));
  assert.equal(rep.body.state, 'done');
  assert.equal(rep.body.done_on, today);
  assert.equal(rep.body.files.length, 1);
  const file = await adm.get(rep.body.files[0].url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.equal((await outsider.get(rep.body.files[0].url)).status, 404);

  p = (await adm.get(`/api/v1/tasks/${t.id}/progress`)).body;
  assert.deepEqual([p.assigned, p.done], [3, 1]);
  // drill down to the township: its villages one by one
  const d = (await adm.get(`/api/v1/tasks/${t.id}/progress?under=${T1}`)).body;
  assert.equal(d.under_id, T1);
  assert.deepEqual([d.assigned, d.done], [2, 1]);
  assert.equal(d.orgs.find((x) => x.org_id === V1).state, 'done');
  assert.equal(d.orgs.find((x) => x.org_id === V2).state, 'open');
  // an org outside the task answers like one that does not exist
  const out = await adm.get(`/api/v1/tasks/${t.id}/progress?under=${f.body.id + 99999}`);
  assert.equal(out.status, 404);
  assert.equal(out.body.error.field, 'under');
  // the township sees its own forward, not the county's task
  assert.equal((await town.get(`/api/v1/tasks/${t.id}/progress`)).status, 404);
  assert.equal((await town.get(`/api/v1/tasks/${f.body.id}/progress`)).body.assigned, 2);

  // reminders: those not done, once a day
  const rem = await adm.post(`/api/v1/tasks/${t.id}/remind`, {});
  assert.equal(rem.status, 200, JSON.stringify(rem.body));
  assert.equal(rem.body.pending, 2);
  assert.equal((await adm.post(`/api/v1/tasks/${t.id}/remind`, {})).status, 409);
  const todo = (await sec.get(`/api/v1/orgs/${V2}/tasks`)).status;
  assert.equal(todo, 404);
  const v2 = (await town.get(`/api/v1/orgs/${V2}/tasks?box=todo`)).body.items.find((x) => x.id === f.body.id);
  assert.equal(v2.reminded_on, today);
  assert.equal(v2.state, 'open');
  const issued = (await adm.get('/api/v1/orgs/1/tasks?box=issued')).body.items.find((x) => x.id === t.id);
  assert.deepEqual([issued.assigned, issued.done], [3, 1]);
  // no box is 待办; a box of neither kind is refused by name
  assert.deepEqual((await town.get(`/api/v1/orgs/${V2}/tasks`)).body.items.map((x) => x.id), (await town.get(`/api/v1/orgs/${V2}/tasks?box=todo`)).body.items.map((x) => x.id));
  const badBox = await adm.get('/api/v1/orgs/1/tasks?box=all');
  assert.equal(badBox.status, 400);
  assert.equal(badBox.body.error.field, 'box');
  // the audit trail has each step
  addUser(srv, 'tkaud', 'audit_admin', 1);
  const a = await (await loginAs(srv, 'tkaud')).get('/api/v1/audit?limit=200&object_type=task');
  const acts = new Set(a.body.items.filter((x) => [String(t.id), String(f.body.id)].includes(x.object_id)).map((x) => x.action));
  assert.deepEqual([...acts].sort(), ['task.create', 'task.file', 'task.forward', 'task.remind', 'task.reply']);
});

test('a meeting recorded before or after the task completes it with nothing typed', async () => {
  const before = await adm.post('/api/v1/meetings', { org_id: V1, type: 'theme_day', start_at: ago(3600), topic: '主题党日' });
  assert.equal(before.status, 201, JSON.stringify(before.body));
  const t = await issue(town, { org_id: T1, title: '本月开展主题党日', kind: 'meeting',
    link: { type: 'theme_day', from: `${today.slice(0, 7)}-01`, to: day(10) }, targets: { mode: 'type', types: ['branch'] } });
  const st = (o) => t.targets.find((x) => x.org_id === o);
  assert.equal(st(V1).state, 'done');
  assert.equal(st(V1).done_on, today);
  assert.equal(st(V2).state, 'open');
  // no reply is taken for a task a record completes
  assert.equal((await sec.post(`/api/v1/task-targets/${st(V1).id}/reply`, { text: '已开' })).status, 409);
  const afterM = await adm.post('/api/v1/meetings', { org_id: V2, type: 'theme_day', start_at: ago(60), topic: '主题党日' });
  assert.equal(afterM.status, 201, JSON.stringify(afterM.body));
  const p = (await town.get(`/api/v1/tasks/${t.id}/progress`)).body;
  assert.deepEqual([p.assigned, p.done, p.overdue], [2, 2, 0]);
  // a meeting of another type does not count
  const other = await issue(town, { org_id: T1, title: '本月召开组织生活会', kind: 'meeting',
    link: { type: 'life_meeting', from: `${today.slice(0, 7)}-01`, to: day(10) }, targets: { mode: 'orgs', org_ids: [V1] } });
  assert.equal(other.targets[0].state, 'open');
  const bad = await town.post('/api/v1/tasks', { org_id: T1, title: 'x', due_on: day(3), kind: 'meeting', link: { type: 'party', from: today, to: today }, targets: { mode: 'all' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'link.type');
});

test('a form is checked field by field, with the field named', async () => {
  const t = await issue(town, { org_id: T1, title: '填报党员冬训情况', kind: 'form', targets: { mode: 'orgs', org_ids: [V1] },
    form: [{ label: '参加人数', type: 'number', required: true }, { label: '形式', type: 'choice', options: ['线上', '线下'] },
      { label: '完成日期', type: 'date' }] });
  assert.deepEqual(t.form.map((f) => f.key), ['f1', 'f2', 'f3']);
  const id = t.targets[0].id;
  const cases = [[{}, 'values.f1', /参加人数/], [{ f1: '十二' }, 'values.f1', /参加人数.*数字/], [{ f1: 12, f2: '电话' }, 'values.f2', /形式/],
    [{ f1: 12, f3: '2026-02-30' }, 'values.f3', /完成日期/], [{ f1: 12, f9: 1 }, 'values.f9', /没有这一项/]];
  for (const [values, field, msg] of cases) {
    const r = await sec.post(`/api/v1/task-targets/${id}/reply`, { values });
    assert.equal(r.status, 400, JSON.stringify(values));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, msg);
  }
  const ok = await sec.post(`/api/v1/task-targets/${id}/reply`, { values: { f1: '12', f2: '线下' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(ok.body.values, { f1: 12, f2: '线下' });
  assert.equal(ok.body.state, 'done');
  const badForm = await town.post('/api/v1/tasks', { org_id: T1, title: 'x', due_on: day(3), kind: 'form', form: [{ label: '选项', type: 'choice' }], targets: { mode: 'all' } });
  assert.equal(badForm.status, 400);
  assert.equal(badForm.body.error.field, 'form[0]');
});

test('a task issued twice to the same org for the same thing is flagged to the second issuer', async () => {
  const first = await issue(town, { org_id: T1, title: '报送“两优一先”推荐材料', targets: { mode: 'orgs', org_ids: [V2] } });
  assert.equal(first.targets[0].org_id, V2);
  // the county, in other words and spacing, due the same month
  const body = { org_id: 1, title: '报送 两优一先 推荐材料', due_on: day(10), targets: { mode: 'type', types: ['branch'] } };
  const flagged = await adm.post('/api/v1/tasks', body);
  assert.equal(flagged.status, 200, JSON.stringify(flagged.body));
  assert.equal(flagged.body.created, false);
  assert.deepEqual(flagged.body.duplicates.map((d) => [d.org_id, d.task_id]), [[V2, first.id]]);
  assert.equal(flagged.body.duplicates[0].issuer_name, '中共任务一镇委员会');
  const confirmed = await issue(adm, { ...body, confirm_duplicate: true });
  assert.equal(confirmed.duplicates.length, 1);
  assert.equal(confirmed.targets.length, 3);
});

test('bad requests name their field; the scope of the issuing org holds', async () => {
  const cases = [
    [{ org_id: 1, title: 'x', due_on: day(3) }, 400, 'targets'],
    [{ org_id: 1, title: 'x', due_on: day(3), targets: { mode: 'bogus' } }, 400, 'targets.mode'],
    [{ org_id: T1, title: 'x', due_on: day(3), targets: { mode: 'orgs', org_ids: [V3] } }, 404, 'targets.org_ids'],
    [{ org_id: T1, title: 'x', due_on: day(-1), targets: { mode: 'all' } }, 400, 'due_on'],
    [{ org_id: T1, title: 'x', due_on: day(3), targets: { mode: 'type', types: ['village'] } }, 400, 'targets.types'],
    [{ org_id: V3, title: 'x', due_on: day(3), targets: { mode: 'all' } }, 400, 'targets'],
    [{ org_id: 1, title: '', due_on: day(3), targets: { mode: 'all' } }, 400, 'title'],
    // a key that is not text is refused, not replaced by f1
    [{ org_id: 1, title: 'x', due_on: day(3), targets: { mode: 'all' }, kind: 'form', form: [{ key: 5, label: '人数', type: 'number' }] }, 400, 'form[0]'],
    [{ org_id: 1, title: 'x', due_on: day(3), targets: { mode: 'all' }, kind: 'form', form: [{ label: '人数', type: 'number', required: 'yes' }] }, 400, 'form[0]'],
  ];
  for (const [b, status, field] of cases) {
    const r = await adm.post('/api/v1/tasks', b);
    assert.equal(r.status, status, JSON.stringify([b, r.body]));
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
  }
  // a township cannot issue for the county, nor a party worker at all
  assert.equal((await town.post('/api/v1/tasks', { org_id: 1, title: 'x', due_on: day(3), targets: { mode: 'all' } })).status, 404);
  assert.equal((await sec.post('/api/v1/tasks', { org_id: V1, title: 'x', due_on: day(3), targets: { mode: 'all' } })).status, 403);
});

test('a notice to a subtree: the member reads it, the issuer sees the receipt', async () => {
  const n = await town.post('/api/v1/notices', { org_id: T1, title: '关于开展冬训的通知', body: '各支部：……' });
  assert.equal(n.status, 201, JSON.stringify(n.body));
  let inbox = (await member.get('/api/v1/me/inbox')).body;
  const mine = inbox.notices.find((x) => x.id === n.body.id);
  assert.equal(mine.read, false);
  assert.ok(inbox.unread_notices >= 1);
  let rc = (await town.get(`/api/v1/notices/${n.body.id}/receipts`)).body;
  const unreadBefore = rc.unread;
  assert.ok(rc.people.some((x) => x.name && x.read_at === null));
  assert.ok(rc.unread_orgs.some((o) => o.org_id === V1));
  const read = await member.post(`/api/v1/notices/${n.body.id}/read`, {});
  assert.equal(read.status, 200, JSON.stringify(read.body));
  assert.equal(read.body.recipient, true);
  assert.ok(read.body.read_at > 0);
  rc = (await town.get(`/api/v1/notices/${n.body.id}/receipts`)).body;
  assert.equal(rc.read, 1);
  assert.equal(rc.unread, unreadBefore - 1);
  inbox = (await member.get('/api/v1/me/inbox')).body;
  assert.equal(inbox.notices.find((x) => x.id === n.body.id).read, true);
  // a photo with it: the member sees it, a village elsewhere does not
  const up = await town.req('POST', `/api/v1/notices/${n.body.id}/files?filename=plan.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal((await sec.req('POST', `/api/v1/notices/${n.body.id}/files?filename=x.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } })).status, 403);
  const seen = (await member.get(`/api/v1/notices/${n.body.id}`)).body;
  assert.deepEqual(seen.files.map((f) => f.filename), ['plan.png']);
  const file = await member.get(seen.files[0].url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  const hidden = await outsider.get(seen.files[0].url);
  assert.equal(hidden.status, 404);
  assert.deepEqual(hidden.body, (await outsider.get('/api/v1/notice-files/99999999')).body);
  // a village of another township neither gets it nor can open it
  assert.equal((await outsider.get(`/api/v1/notices/${n.body.id}`)).status, 404);
  assert.equal((await outsider.post(`/api/v1/notices/${n.body.id}/read`, {})).status, 404);
  assert.equal((await outsider.get(`/api/v1/notices/${n.body.id}/receipts`)).status, 404);
  const list = (await town.get(`/api/v1/orgs/${T1}/notices`)).body.items.find((x) => x.id === n.body.id);
  assert.equal(list.read, 1);
  // by type: to committees only, the branch's member is not among them
  const c = await adm.post('/api/v1/notices', { org_id: 1, title: '致各镇党委', types: ['committee'] });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal((await member.get(`/api/v1/notices/${c.body.id}`)).status, 404);
  assert.equal((await town.get(`/api/v1/notices/${c.body.id}`)).body.recipient, true);
  const bad = await adm.post('/api/v1/notices', { org_id: 1, title: 'x', types: ['village'] });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'types');
});

test('notice receipts name people: only for who may read members at the issuer, and the read is audited', async () => {
  const n = await adm.post('/api/v1/notices', { org_id: 1, title: '关于回执的通知' });
  assert.equal(n.status, 201, JSON.stringify(n.body));
  // the three administrators read the org tree (org.read), not people
  for (const [u, role] of [['tkrsys', 'sys_admin'], ['tkrsec', 'sec_admin'], ['tkraud', 'audit_admin']]) {
    addUser(srv, u, role, 1);
    const c = await loginAs(srv, u);
    const r = await c.get(`/api/v1/notices/${n.body.id}/receipts`);
    assert.equal(r.status, 403, `${role}: ${JSON.stringify(r.body)}`);
    assert.equal(JSON.stringify(r.body).includes('people'), false);
  }
  const rc = await adm.get(`/api/v1/notices/${n.body.id}/receipts`);
  assert.equal(rc.status, 200, JSON.stringify(rc.body));
  assert.ok(rc.body.people.length > 0);
  // reads are queued to the audit writer: wait for the row
  const auditor = await loginAs(srv, 'tkraud');
  let aud;
  for (let i = 0; i < 50; i++) {
    aud = await auditor.get('/api/v1/audit?limit=50&action=notice.receipts');
    assert.equal(aud.status, 200, JSON.stringify(aud.body));
    if (aud.body.items.some((x) => x.object_id === String(n.body.id))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(aud.body.items.some((x) => x.action === 'notice.receipts' && x.object_id === String(n.body.id)),
    JSON.stringify(aud.body.items.slice(0, 3)));
});

test('a reply and its files are the branch\'s records: not for the three administrators, who see the task and its progress', async () => {
  const t = await issue(adm, { org_id: 1, title: '报送冬训签到表', targets: { mode: 'orgs', org_ids: [T1] } });
  const target = targetOf(t, T1);
  const up = await adm.req('POST', `/api/v1/task-targets/${target}/files?filename=sign.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal((await adm.post(`/api/v1/task-targets/${target}/reply`, { text: '签到表见附件：张三 138……' })).status, 200);
  for (const [u, role] of [['tkfsys', 'sys_admin'], ['tkfaud', 'audit_admin']]) {
    addUser(srv, u, role, 1);
    const c = await loginAs(srv, u);
    assert.equal((await c.get(`/api/v1/tasks/${t.id}`)).status, 200, role);
    assert.equal((await c.get(`/api/v1/tasks/${t.id}/progress`)).status, 200, role);
    const r = await c.get(`/api/v1/task-targets/${target}`);
    assert.equal(r.status, 403, `${role}: ${JSON.stringify(r.body)}`);
    assert.equal((await c.get(up.body.url)).status, 403, role);
  }
  // the township's own party worker and the issuer still read them
  assert.equal((await town.get(`/api/v1/task-targets/${target}`)).body.files.length, 1);
  assert.equal((await adm.get(up.body.url)).status, 200);
});

test('我的: the secretary sees the branch tasks, open first', async () => {
  const inbox = (await sec.get('/api/v1/me/inbox')).body;
  assert.ok(inbox.tasks.length >= 3);
  const states = inbox.tasks.map((x) => x.state);
  assert.ok(states.indexOf('done') === -1 || states.lastIndexOf('open') < states.indexOf('done'), states.join());
  assert.ok(inbox.tasks.every((x) => x.target_org_name === '中共东村支部委员会'));
  assert.deepEqual(inbox.dues, []);
  // the member has no tasks to answer; their 学时 are those of 我的学习
  const mine = (await member.get('/api/v1/me/inbox')).body;
  assert.deepEqual(mine.tasks, []);
  const st = (await member.get(`/api/v1/me/study?year=${mine.today.slice(0, 4)}`)).body;
  assert.deepEqual(mine.study, { year: Number(mine.today.slice(0, 4)), hours: st.hours, required: st.required, short: Math.max(0, st.required - st.hours) });
  // an account without a member record has none
  assert.equal((await adm.get('/api/v1/me/inbox')).body.study, null);
});
