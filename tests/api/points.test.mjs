// Issue 15: 积分制 over HTTP.  A member's ledger is derived from the
// records (an attendance marked 出席 appears without anyone entering it,
// and goes when corrected); total = the sum of the items, the base one
// included; a manual item waits for the branch's committee and is not in
// the total until approved; neither its proposer nor its subject may
// approve it, nor anyone outside the branch's committee; rankings are off
// by default and, when a county turns them on, answer only inside one
// branch; the schemes refuse time-online and check-in items; scoping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli, ago } from './lib.mjs';

let srv, adm, town, brA, brB, secA, secB, self, comA, townAdm, year;
const m = {};

async function ok(res, what, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type }), name).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }), name).then((b) => b.id);
const sum = (items) => Math.round(items.reduce((s, x) => s + x.points * 10, 0)) / 10;
function linkedUser(name, role, org, member) {
  const r = cli(['user', 'add', name, '--db', srv.db, '--role', role, '--org', String(org), '--member', String(member)],
    { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  return loginAs(srv, name);
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '积分镇党委', 'committee');
  brA = await mkOrg(town, '甲积分支部', 'branch');
  brB = await mkOrg(town, '乙积分支部', 'branch');
  m.a1 = await mkMember(brA, '分甲一');
  m.a2 = await mkMember(brA, '分甲二');
  m.a3 = await mkMember(brA, '分甲三');
  m.b1 = await mkMember(brB, '分乙一');
  await ok(adm.post(`/api/v1/orgs/${brA}/committee`, { member_id: m.a2, post: 'secretary', started_on: '2022-01-01' }), 'post');
  addUser(srv, 'sec_a', 'party_worker', brA);
  addUser(srv, 'sec_b', 'party_worker', brB);
  addUser(srv, 'town_adm', 'org_admin', town);
  secA = await loginAs(srv, 'sec_a');
  secB = await loginAs(srv, 'sec_b');
  townAdm = await loginAs(srv, 'town_adm');
  self = await linkedUser('self_a', 'member', brA, m.a1);
  comA = await linkedUser('com_a', 'party_worker', brA, m.a2);
  year = Number(today().slice(0, 4));
});

after(async () => { await srv?.stop(); });

test('an attendance marked 出席 earns its points without being entered, 缺席 does not, a correction takes it away; total = the sum', async () => {
  const mt = await ok(secA.post('/api/v1/meetings', { org_id: brA, type: 'plenary', start_at: ago(3 * 3600), topic: '学习党章' }), 'meeting');
  await ok(secA.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [
    { member_id: m.a1, status: 'present' }, { member_id: m.a3, status: 'absent' }] }), 'attendance');
  const p = await ok(secA.get(`/api/v1/members/${m.a1}/points?year=${year}`), 'points');
  const it = p.items.find((x) => x.source === `meeting:${mt.id}`);
  assert.ok(it, JSON.stringify(p.items));
  assert.deepEqual(Object.keys(it).filter((k) => ['date', 'rule', 'points', 'reason', 'source'].includes(k)).sort(),
    ['date', 'points', 'reason', 'rule', 'source']);
  assert.equal(it.rule, '参加组织生活');
  assert.equal(it.points, 2);
  assert.equal(it.date, mt.held_on);
  const base = p.items.find((x) => x.key === 'base');
  assert.equal(base.points, 60);
  assert.equal(base.rule, '基础分');
  assert.equal(p.total, sum(p.items));
  // 缺席: nothing for that meeting
  const p3 = await ok(secA.get(`/api/v1/members/${m.a3}/points?year=${year}`), 'absent');
  assert.ok(!p3.items.some((x) => x.source === `meeting:${mt.id}`));
  assert.equal(p3.total, 60);
  // corrected to 缺席: the item goes, the total with it
  await ok(secA.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [{ member_id: m.a1, status: 'absent' }] }), 'fix');
  const q = await ok(secA.get(`/api/v1/members/${m.a1}/points?year=${year}`), 'again');
  assert.ok(!q.items.some((x) => x.source === `meeting:${mt.id}`));
  assert.equal(q.total, p.total - 2);
  // the secretaries' scheme: only for one who held the post in the year
  const s = await ok(secA.get(`/api/v1/members/${m.a2}/points?year=${year}&scheme=secretary`), 'secretary');
  assert.equal(s.scheme, 'secretary');
  assert.equal(s.items[0].points, 70);
  const notSec = await secA.get(`/api/v1/members/${m.a1}/points?year=${year}&scheme=secretary`);
  assert.equal(notSec.status, 404);
  assert.equal(notSec.body.error.field, 'scheme');
  // scoping: another branch's worker, a member reading another's ledger
  assert.equal((await secB.get(`/api/v1/members/${m.a1}/points`)).status, 404);
  assert.equal((await self.get(`/api/v1/members/${m.a3}/points`)).status, 403);
  const mine = await ok(self.get('/api/v1/me/points'), 'mine');
  assert.equal(mine.member_id, m.a1);
  assert.equal(mine.total, q.total);
});

test('a manual item waits for the committee, outside the total; its proposer and its subject cannot approve it', async () => {
  const before0 = await ok(self.get(`/api/v1/me/points?year=${year}`), 'before');
  // a member claims for themselves
  const claim = await ok(self.post('/api/v1/me/points-items', { item_key: 'volunteer', date: today(), reason: '参加义务献血志愿服务' }), 'claim');
  assert.equal(claim.status, 'pending');
  let mine = await ok(self.get(`/api/v1/me/points?year=${year}`), 'pending');
  const pend = mine.items.find((x) => x.source === `manual:${claim.id}`);
  assert.equal(pend.status, 'pending');
  assert.equal(pend.points, 0);
  assert.equal(mine.total, before0.total);
  assert.equal(mine.total, sum(mine.items));
  assert.equal(mine.pending, 1);
  // a deduction is the branch's to propose, never a claim of one's own
  let r0 = await self.post('/api/v1/me/points-items', { item_key: 'violation', date: today(), reason: '自查' });
  assert.equal(r0.status, 400);
  assert.equal(r0.body.error.field, 'item_key');
  // only a manual item of the scheme; a date not ahead
  let r = await secA.post(`/api/v1/orgs/${brA}/points-items`, { member_id: m.a1, item_key: 'attendance', date: today(), reason: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'item_key');
  r = await secA.post(`/api/v1/orgs/${brA}/points-items`, { member_id: m.b1, item_key: 'good_deed', date: today(), reason: 'x' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'member_id');
  // the branch proposes for its secretary: the secretary (subject) and the proposer cannot approve
  const forA2 = await ok(secA.post(`/api/v1/orgs/${brA}/points-items`, { member_id: m.a2, item_key: 'good_deed', date: today(), reason: '救助落水儿童' }), 'propose');
  r = await comA.post(`/api/v1/points-items/${forA2.id}/approve`, {});
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /自己的积分项/);
  r = await secA.post(`/api/v1/points-items/${forA2.id}/approve`, {});
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /自己提出/);
  // the township's admin is not the branch's committee; another branch does not see it
  r = await townAdm.post(`/api/v1/points-items/${forA2.id}/approve`, {});
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /本支部委员会/);
  assert.equal((await secB.post(`/api/v1/points-items/${forA2.id}/approve`, {})).status, 404);
  assert.equal((await self.post(`/api/v1/points-items/${claim.id}/approve`, {})).status, 403);
  // the list: pending first
  const list = await ok(secA.get(`/api/v1/orgs/${brA}/points-items`), 'list');
  assert.equal(list.total, 2);
  assert.ok(list.items.every((x) => x.status === 'pending'));
  assert.equal(list.items.find((x) => x.id === claim.id).points, 2);
  // a committee member who is neither approves the claim; a rejection needs its reason
  await ok(comA.post(`/api/v1/points-items/${claim.id}/approve`, { note: '核实' }), 'approve');
  assert.equal((await comA.post(`/api/v1/points-items/${claim.id}/approve`, {})).status, 409);
  r = await townAdm.post(`/api/v1/points-items/${forA2.id}/reject`, {});
  assert.equal(r.status, 400);
  mine = await ok(self.get(`/api/v1/me/points?year=${year}`), 'after');
  const done = mine.items.find((x) => x.source === `manual:${claim.id}`);
  assert.equal(done.status, 'counted');
  assert.equal(done.points, 2);
  assert.equal(mine.total, before0.total + 2);
  assert.equal(mine.total, sum(mine.items));
  const after0 = await ok(secA.get(`/api/v1/orgs/${brA}/points-items?status=approved`), 'approved');
  assert.deepEqual(after0.items.map((x) => x.id), [claim.id]);
  assert.equal(after0.items[0].decided_by, 'com_a');
});

test('rankings: off by default; on in a county scheme they answer inside one branch only; no time-online or check-in items', async () => {
  let r = await self.get(`/api/v1/orgs/${brA}/points-ranking?year=${year}`);
  assert.equal(r.status, 404);
  assert.match(r.body.error.message, /未开启/);
  r = await adm.post('/api/v1/rules', { kind: 'points', org_id: town, effective_from: '2020-01-01', name: '镇：支部内排名',
    data: { items: [{ key: 'online', name: '在线学习时长', source: 'online_time', points: 1 }] } });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /指尖上的形式主义/);
  r = await adm.post('/api/v1/rules', { kind: 'points', org_id: town, effective_from: '2020-01-01', name: '镇：每日签到',
    data: { items: [{ key: 'daily', name: '每日签到', source: 'checkin', points: 1 }] } });
  assert.equal(r.status, 400);
  await ok(adm.post('/api/v1/rules', { kind: 'points', org_id: town, effective_from: '2020-01-01', name: '镇：支部内排名', data: { ranking: true } }), 'rule');
  const rk = await ok(self.get(`/api/v1/orgs/${brA}/points-ranking?year=${year}`), 'ranking');
  assert.equal(rk.items.length, 3);
  assert.ok(rk.items.every((x, i) => i === 0 || rk.items[i - 1].total >= x.total));
  assert.equal(rk.items[0].rank, 1);
  await ok(secA.get(`/api/v1/orgs/${brA}/points-ranking?year=${year}`), 'committee');
  // outside the branch, the township, a subtree: never
  assert.equal((await secB.get(`/api/v1/orgs/${brA}/points-ranking`)).status, 404);
  assert.equal((await townAdm.get(`/api/v1/orgs/${brA}/points-ranking`)).status, 404);
  r = await adm.get(`/api/v1/orgs/${town}/points-ranking`);
  assert.equal(r.status, 404);
  assert.match(r.body.error.message, /党支部/);
});
