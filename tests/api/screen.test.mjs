// The county 大屏 over HTTP (docs/SCREEN.md): GET /orgs/{id}/screen holds
// the same figures as the routes they come from (stats, compliance, the
// recruitment funnel, the monthly dues sheets, the overdue 三务公开), on a
// fresh database with a few records; a write the screen shows is seen on
// the next read (the answer is kept by data version); a township or a
// branch account sees only its subtree, and sections a role may not read
// are null.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck, ago } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, T, V1, V2, T2, W;
const M = {};
const chinaDay = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const today = chinaDay();
const year = Number(today.slice(0, 4));
const month = today.slice(0, 7);
const months = Array.from({ length: Number(today.slice(5, 7)) }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
/** yuan text -> fen, exactly */
const fen = (s) => { const [y, c = ''] = s.split('.'); return Number(y) * 100 + Number((c + '00').slice(0, 2)); };

async function ok(res, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type, domain: 'rural', founded_on: '2000-01-01' })).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', {
  org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01',
})).then((b) => b.id);
const pay = (member, m, amount) => ok(adm.post('/api/v1/dues/payments', { member_id: member, months: [m], amount, paid_on: today, method: 'cash' }));

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  T = await mkOrg(1, '中共大屏镇委员会', 'committee');
  V1 = await mkOrg(T, '中共东岭村支部委员会', 'branch');
  V2 = await mkOrg(T, '中共西岭村支部委员会', 'branch');
  T2 = await mkOrg(1, '中共别屏镇委员会', 'committee');
  W = await mkOrg(T2, '中共南岭村支部委员会', 'branch');
  M.a = await mkMember(V1, '屏甲');
  M.b = await mkMember(V1, '屏乙');
  M.c = await mkMember(V2, '屏丙');
  M.d = await mkMember(W, '屏丁');
  for (const [id, amount] of [[M.a, '3000.00'], [M.b, '6000.00'], [M.c, '2000.00'], [M.d, '12000.00']]) {
    await ok(adm.put(`/api/v1/members/${id}/dues-base`, { kind: 'salary', amount, from: `${year}-01` }));
  }
  await pay(M.a, month, '15.00');
  await pay(M.b, month, '40.00');
  await pay(M.b, month, '50.00');
  await pay(M.d, months[0], '200.00');
  // a 支部党员大会 of V1 today, both present
  const m = await ok(adm.post('/api/v1/meetings', { org_id: V1, type: 'plenary', start_at: ago(600) }));
  if (m.locked) await ok(adm.post(`/api/v1/meetings/${m.id}/unlock`, { reason: '测试补录' }));
  await ok(adm.put(`/api/v1/meetings/${m.id}/attendance`, { items: [M.a, M.b].map((id) => ({ member_id: id, status: 'present' })) }));
  // an application at V2 today
  await ok(adm.post('/api/v1/applicants', { org_id: V2, name: '申请人戊', id_number: withCheck('11010519950302001'), applied_on: today }));
  addUser(srv, 'scr_town', 'org_admin', T);
  // 丙 exempt this year, approved by the township
  const red = await ok(adm.post(`/api/v1/members/${M.c}/dues-reductions`, { kind: 'exempt', from: `${year}-01`, to: month, reason: '大病住院', decided_on: today }));
  await ok((await loginAs(srv, 'scr_town')).post(`/api/v1/dues/reductions/${red.id}/decision`, { approve: true, note: '同意' }));
  addUser(srv, 'scr_branch', 'party_worker', V1);
  addUser(srv, 'scr_member', 'member', V1);
  // stats.read alone: the screen, with the sections of other powers null
  sql(srv.db, "INSERT INTO roles (id, name, perms, builtin) VALUES ('scr_stats', '只看统计', 'stats.read', 0)");
  addUser(srv, 'scr_stats', 'scr_stats', T);
});
after(async () => { await srv?.stop(); });

/** The screen of org, and the figures of the routes it comes from. */
async function compare(c, org) {
  const s = await ok(c.get(`/api/v1/orgs/${org}/screen`));
  assert.equal(s.org_id, org);
  assert.equal(s.as_of, today);
  assert.equal(s.month, month);
  // members and orgs: the answer of /stats itself
  assert.deepEqual(s.stats, await ok(c.get(`/api/v1/orgs/${org}/stats`)));
  const kids = (await ok(c.get(`/api/v1/orgs/${org}/children`))).items.filter((k) => !k.dissolved_on);
  assert.deepEqual(s.children.map((k) => [k.org_id, k.members, k.full]), kids.map((k) => [k.id, k.member_count, k.full_member_count]));
  // 三会一课 this quarter
  const cp = await ok(c.get(`/api/v1/orgs/${org}/compliance`));
  assert.equal(s.compliance.period, cp.period);
  for (const k of ['branches', 'branches_done', 'branches_open', 'branches_missing', 'branches_ok', 'rate', 'noncompliant_total'])
    assert.equal(s.compliance[k], cp[k], `compliance ${k}`);
  assert.deepEqual(s.compliance.noncompliant.map((b) => [b.org_id, b.missing]), cp.noncompliant.slice(0, 10).map((b) => [b.org_id, b.missing]));
  for (const o of cp.orgs) {
    const k = s.children.find((x) => x.org_id === o.org_id);
    assert.deepEqual([k.compliance.branches, k.compliance.branches_missing, k.compliance.rate], [o.branches, o.branches_missing, o.rate]);
  }
  // 发展党员 this year
  const rf = await ok(c.get(`/api/v1/orgs/${org}/recruitment?year=${year}`));
  assert.deepEqual(s.recruitment.funnel.map((f) => [f.key, f.count]), rf.funnel.map((f) => [f.key, f.count]));
  assert.deepEqual(s.recruitment.pipeline, rf.pipeline);
  assert.equal(s.recruitment.open_total, rf.open_total);
  for (const ch of rf.children) {
    const k = s.children.find((x) => x.org_id === ch.org_id);
    for (const f of rf.funnel) assert.equal(k.recruitment[f.key], ch[f.key], `recruitment ${ch.org_id} ${f.key}`);
  }
  // 党费: this month is the month's sheet, the year to date the sum of the sheets
  const pick = (x) => [x.members, x.owing, x.due, x.paid, x.owed, x.rate];
  const sheets = [];
  for (const m of months) sheets.push(await ok(c.get(`/api/v1/orgs/${org}/dues?month=${m}`)));
  const last = sheets[sheets.length - 1];
  assert.deepEqual(pick(s.dues.this_month), pick(last.total));
  const sum = (k) => sheets.reduce((n, sh) => n + fen(sh.total[k]), 0);
  assert.deepEqual(['due', 'paid', 'owed'].map((k) => fen(s.dues.year_to_date[k])), ['due', 'paid', 'owed'].map(sum));
  assert.deepEqual(s.dues.months.map((m) => [m.month, m.due, m.paid, m.rate]), sheets.map((sh) => [sh.month, sh.total.due, sh.total.paid, sh.total.rate]));
  for (const ch of last.children) {
    const k = s.children.find((x) => x.org_id === ch.org_id);
    assert.deepEqual(pick(k.dues.this_month), pick(ch), `dues of ${ch.org_id}`);
    const ytd = sheets.reduce((n, sh) => n + fen(sh.children.find((x) => x.org_id === ch.org_id).due), 0);
    assert.equal(fen(k.dues.year_to_date.due), ytd);
  }
  // 三务公开: the overdue are the overdue list's
  const od = await ok(c.get(`/api/v1/orgs/${org}/disclosure-overdue?year=${year}`));
  assert.equal(s.disclosure.villages_overdue, od.villages_overdue);
  assert.equal(s.disclosure.overdue, od.items.length);
  assert.equal(s.disclosure.due, s.disclosure.on_time + s.disclosure.late + s.disclosure.overdue);
  for (const k of s.children)
    assert.equal(k.disclosure.overdue, od.items.filter((i) => childOf.get(i.org_id) === k.org_id).length, `disclosure of ${k.org_id}`);
  return s;
}
// villages by the sub-org of the root they lie under (filled in the tests)
const childOf = new Map();

test('the screen holds the figures of the routes they come from, and sees a write at once', async () => {
  for (const v of [V1, V2]) childOf.set(v, T);
  childOf.set(W, T2);
  let s = await compare(adm, 1);
  assert.deepEqual(s.children.map((k) => k.org_id), [T, T2]);
  const t = s.children.find((k) => k.org_id === T);
  assert.equal(t.members, 3);
  assert.equal(t.branches, 2);
  assert.equal(t.recruitment.applications, 1);
  assert.equal(s.stats.members.total, 4);
  assert.equal(s.dues.this_month.due, (15 + 90 + 0 + 240).toFixed(2));
  assert.equal(s.children.find((k) => k.org_id === T).dues.year_to_date.due, ((15 + 90) * months.length).toFixed(2));
  assert.ok(fen(s.dues.this_month.paid) >= 1500);
  assert.ok(s.compliance.branches >= 3);
  assert.ok(s.disclosure.villages >= 3 || months.length === 1, JSON.stringify(s.disclosure));
  assert.ok(s.made_at <= s.checked_at);

  // a payment, an application and a meeting after that read: the next read has them
  await pay(M.d, month, '40.00');
  await ok(adm.post('/api/v1/applicants', { org_id: W, name: '申请人己', id_number: withCheck('11010519960405002'), applied_on: today }));
  const s2 = await compare(adm, 1);
  assert.equal(fen(s2.dues.this_month.paid), fen(s.dues.this_month.paid) + 4000);
  assert.equal(s2.recruitment.funnel[0].count, s.recruitment.funnel[0].count + 1);
  assert.equal(s2.children.find((k) => k.org_id === T2).recruitment.applications, 1);

  // a task to both townships, one overdue: the screen's tasks are the progress's
  const due = (n) => new Date(Date.parse(today) + n * 86400000).toISOString().slice(0, 10);
  const t1 = await ok(adm.post('/api/v1/tasks', { org_id: 1, title: '报送全年党建工作总结', due_on: due(5), kind: 'reply', targets: { mode: 'all' } }), 201);
  const t0 = await ok(adm.post('/api/v1/tasks', { org_id: 1, title: '报送党员信息核对表', due_on: today, kind: 'reply', targets: { mode: 'all' } }), 201);
  assert.deepEqual((await compare(adm, 1)).tasks, { assigned: 4, done: 0, overdue: 0, rate: 0 });
  await ok(adm.post(`/api/v1/task-targets/${t1.targets.find((x) => x.org_id === T).id}/reply`, { text: '已报送' }));
  const s3 = await compare(adm, 1);
  const p1 = await ok(adm.get(`/api/v1/tasks/${t1.id}/progress`));
  const p0 = await ok(adm.get(`/api/v1/tasks/${t0.id}/progress`));
  assert.deepEqual([s3.tasks.assigned, s3.tasks.done, s3.tasks.overdue], [p1.assigned + p0.assigned, p1.done + p0.done, p1.overdue + p0.overdue]);
  assert.deepEqual([s3.tasks.assigned, s3.tasks.done, s3.tasks.overdue], [4, 1, 0]);
  assert.deepEqual(s3.children.map((k) => [k.org_id, k.tasks.assigned, k.tasks.done]), [[T, 2, 1], [T2, 2, 0]]);

  // the township's own screen
  for (const v of [V1, V2]) childOf.set(v, v);
  await compare(adm, T);
});

test('a township or a branch account sees only its subtree; what a role may not read is null', async () => {
  const town = await loginAs(srv, 'scr_town');
  assert.equal((await town.get('/api/v1/orgs/1/screen')).status, 404);
  assert.equal((await town.get(`/api/v1/orgs/${T2}/screen`)).status, 404);
  assert.equal((await town.get(`/api/v1/orgs/${W}/screen`)).status, 404);
  const ts = await ok(town.get(`/api/v1/orgs/${T}/screen`));
  assert.deepEqual(ts.children.map((k) => k.org_id), [V1, V2]);
  assert.equal(ts.stats.members.total, 3);
  assert.equal(ts.dues.this_month.members, 3);

  const branch = await loginAs(srv, 'scr_branch');
  assert.equal((await branch.get(`/api/v1/orgs/${T}/screen`)).status, 404);
  assert.equal((await branch.get(`/api/v1/orgs/${V2}/screen`)).status, 404);
  const bs = await ok(branch.get(`/api/v1/orgs/${V1}/screen`));
  assert.equal(bs.stats.members.total, 2);
  assert.equal(bs.compliance.branches, 1);
  assert.equal(bs.dues.this_month.members, 2);

  const member = await loginAs(srv, 'scr_member');
  assert.equal((await member.get(`/api/v1/orgs/${V1}/screen`)).status, 403);

  const stats = await loginAs(srv, 'scr_stats');
  const ss = await ok(stats.get(`/api/v1/orgs/${T}/screen`));
  assert.equal(ss.compliance, null);
  assert.equal(ss.dues, null);
  assert.equal(ss.disclosure, null);
  assert.equal(ss.tasks, null);
  assert.equal(ss.stats.members.total, 3);
  assert.equal(ss.recruitment.funnel[0].count, 1);
  assert.ok(ss.children.every((k) => k.compliance === null && k.dues === null && k.disclosure === null && k.tasks === null));
  assert.equal((await stats.get(`/api/v1/orgs/${T2}/screen`)).status, 404);
});
