// Issue 15: 评星晋级 over HTTP (docs/RATINGS.md).  The fixed point
// GET /orgs/{id}/ratings?year= lists the branches below with score,
// stars, tier and every indicator's value, points and source; the
// points add up to the score and the attendance indicator equals a
// recount from the meeting's attendance list.  The org above drafts,
// enters a manual score (which voids the draft), drafts again and
// publishes; the 大屏 shows the published year at once.  A branch with
// org.write at itself can neither draft, score nor publish its own
// rating; a branch cannot read another's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, ago } from './lib.mjs';

let srv, adm, town, brA, brB, secA, own, townU, other, year;
const m = {};

async function ok(res, what, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type }), name).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }), name).then((b) => b.id);

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '评星镇党委', 'committee');
  brA = await mkOrg(town, '甲评星支部', 'branch');
  brB = await mkOrg(town, '乙评星支部', 'branch');
  m.a1 = await mkMember(brA, '评甲一');
  m.a2 = await mkMember(brA, '评甲二');
  m.a3 = await mkMember(brA, '评甲三');
  m.b1 = await mkMember(brB, '评乙一');
  addUser(srv, 'r_sec_a', 'party_worker', brA);
  addUser(srv, 'r_own_a', 'org_admin', brA);      // org.write at the branch itself
  addUser(srv, 'r_town', 'org_admin', town);
  addUser(srv, 'r_sec_b', 'party_worker', brB);
  secA = await loginAs(srv, 'r_sec_a');
  own = await loginAs(srv, 'r_own_a');
  townU = await loginAs(srv, 'r_town');
  other = await loginAs(srv, 'r_sec_b');
  const mt = await ok(secA.post('/api/v1/meetings', { org_id: brA, type: 'plenary', start_at: ago(3 * 3600), topic: '支部党员大会' }), 'meeting');
  await ok(secA.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [
    { member_id: m.a1, status: 'present' }, { member_id: m.a2, status: 'present' }, { member_id: m.a3, status: 'absent' }] }), 'attendance');
  m.meeting = mt.id;
  year = Number(mt.held_on.slice(0, 4));
});

after(async () => { await srv?.stop(); });

const sum = (r) => Math.round(r.indicators.reduce((s, x) => s + x.points * 100, 0)) / 100;

test('the fixed point: each branch below with its indicators, traced to records, adding up to the score', async () => {
  const l = await ok(townU.get(`/api/v1/orgs/${town}/ratings?year=${year}`), 'list');
  assert.equal(l.preview, true);             // nothing rated yet: computed live
  assert.deepEqual(l.items.map((x) => x.org_id).sort(), [brA, brB].sort());
  for (const r of l.items) {
    for (const k of ['org_id', 'org_name', 'score', 'stars', 'tier', 'indicators', 'change', 'status']) assert.ok(k in r, k);
    assert.equal(sum(r), r.score);
    assert.equal(r.status, 'preview');
    assert.equal(r.change, 'new');
    for (const i of r.indicators) for (const k of ['key', 'name', 'value', 'points', 'source']) assert.ok(k in i, k);
  }
  const a = l.items.find((x) => x.org_id === brA);
  const att = a.indicators.find((x) => x.key === 'attendance');
  assert.equal(att.source, `attendance:org:${brA}:${year}`);
  // the recount: the meeting's own attendance list
  const rows = (await ok(secA.get(`/api/v1/meetings/${m.meeting}`), 'meeting')).attendance;
  const present = rows.filter((x) => x.status === 'present').length;
  assert.equal(att.value, Math.round(10000 * present / rows.length) / 100);
  assert.equal(att.points, Math.round(15 * att.value) / 100);
  // a branch without a village is not judged on 三务公开: full points, said so
  const dis = a.indicators.find((x) => x.key === 'disclose');
  assert.equal(dis.value, null);
  assert.equal(dis.points, 10);
  // the tier filter and a bad one
  const adv = await ok(townU.get(`/api/v1/orgs/${town}/ratings?year=${year}&tier=lagging`), 'lagging');
  assert.ok(adv.items.every((x) => x.tier === 'lagging'));
  const bad = await townU.get(`/api/v1/orgs/${town}/ratings?year=${year}&tier=best`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'tier');
  // the branch's page explains the same indicators
  const page = await ok(secA.get(`/api/v1/orgs/${brA}/rating?year=${year}`), 'page');
  assert.equal(page.rating.org_id, brA);
  assert.deepEqual(page.rating.indicators.map((x) => x.source), a.indicators.map((x) => x.source));
  assert.equal(sum(page.rating), page.rating.score);
  // only a branch has a rating page
  assert.equal((await townU.get(`/api/v1/orgs/${town}/rating?year=${year}`)).status, 400);
  // scoping: another branch's page, the township's list from a branch
  assert.equal((await other.get(`/api/v1/orgs/${brA}/rating?year=${year}`)).status, 404);
  assert.equal((await secA.get(`/api/v1/orgs/${town}/ratings?year=${year}`)).status, 404);
  assert.equal((await townU.get(`/api/v1/orgs/${town}/ratings?year=${year + 1}`)).status, 400);
});

test('the org above drafts, scores the manual item, publishes; the branch can do none of it for itself', async () => {
  // the branch with org.write at itself: nothing below to rate, nothing of its own to publish
  let r = await own.post(`/api/v1/orgs/${brA}/ratings/draft`, { year });
  assert.equal(r.status, 400);
  r = await own.post(`/api/v1/orgs/${brA}/ratings/manual`, { org_id: brA, year, key: 'innovation', points: 5, reason: '自评' });
  assert.equal(r.status, 403);
  r = await own.post(`/api/v1/orgs/${town}/ratings/draft`, { year });
  assert.equal(r.status, 404);
  // the township: a manual score within its max, with a reason
  r = await townU.post(`/api/v1/orgs/${town}/ratings/manual`, { org_id: brA, year, key: 'innovation', points: 6, reason: '超出满分' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'points');
  r = await townU.post(`/api/v1/orgs/${town}/ratings/manual`, { org_id: brA, year, key: 'compliance', points: 5, reason: '不可人工' });
  assert.equal(r.body.error.field, 'key');
  // a branch held in the county's draft is not scored from below, nor that draft voided from below
  await ok(adm.post('/api/v1/orgs/1/ratings/draft', { year }), 'county draft');
  r = await townU.post(`/api/v1/orgs/${town}/ratings/manual`, { org_id: brA, year, key: 'innovation', points: 2, reason: '越级' });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'org_id');
  // the county's own manual score voids its draft, leaving the year to the township
  await ok(adm.post('/api/v1/orgs/1/ratings/manual', { org_id: brB, year, key: 'innovation', points: 0, reason: '县级评分' }), 'county manual');
  const d1 = await ok(townU.post(`/api/v1/orgs/${town}/ratings/draft`, { year }), 'draft');
  assert.equal(d1.saved, 2);
  const man = await ok(townU.post(`/api/v1/orgs/${town}/ratings/manual`, { org_id: brA, year, key: 'innovation', points: 3.5, reason: '“党建+产业”示范点' }), 'manual');
  // the draft no longer says what was entered: void, publishing waits for a new one
  r = await townU.post(`/api/v1/orgs/${town}/ratings/publish`, { year });
  assert.equal(r.status, 409);
  await ok(townU.post(`/api/v1/orgs/${town}/ratings/draft`, { year }), 'draft again');
  let l = await ok(townU.get(`/api/v1/orgs/${town}/ratings?year=${year}`), 'drafts');
  assert.equal(l.preview, false);
  assert.ok(l.items.every((x) => x.status === 'draft'));
  const a = l.items.find((x) => x.org_id === brA);
  const inn = a.indicators.find((x) => x.key === 'innovation');
  assert.equal(inn.points, 3.5);
  assert.equal(inn.source, man.source);
  assert.equal(sum(a), a.score);
  // the branch may not publish its own draft
  r = await own.post(`/api/v1/orgs/${brA}/ratings/publish`, { year });
  assert.equal(r.status, 409);
  const before = await ok(townU.get(`/api/v1/orgs/${town}/screen`), 'screen before');
  assert.equal(before.ratings, null);
  const p = await ok(townU.post(`/api/v1/orgs/${town}/ratings/publish`, { year }), 'publish');
  assert.equal(p.published, 2);
  l = await ok(townU.get(`/api/v1/orgs/${town}/ratings?year=${year}`), 'published');
  assert.ok(l.items.every((x) => x.status === 'published' && x.published_at));
  // the screen's cached answer follows at once
  const after = await ok(townU.get(`/api/v1/orgs/${town}/screen`), 'screen after');
  assert.equal(after.ratings.year, year);
  assert.equal(after.ratings.branches, 2);
  assert.equal(after.ratings.stars.reduce((s, x) => s + x, 0), 2);
  assert.equal(after.ratings.advanced + after.ratings.middle + after.ratings.lagging, 2);
  // the branch's own stars on its home page; the township's counts
  const mine = await ok(secA.get(`/api/v1/orgs/${brA}/ratings/summary`), 'summary');
  assert.equal(mine.own.stars, a.stars);
  assert.equal(mine.own.tier_name, a.tier_name);
  assert.deepEqual((await ok(secA.get(`/api/v1/orgs/${brA}/dashboard`), 'home')).ratings, mine);
  const sumT = await ok(townU.get(`/api/v1/orgs/${town}/ratings/summary`), 'summary town');
  assert.equal(sumT.own, null);
  assert.equal(sumT.new, 2);
  // published: final
  r = await townU.post(`/api/v1/orgs/${town}/ratings/draft`, { year });
  assert.equal(r.status, 409);
  r = await townU.post(`/api/v1/orgs/${town}/ratings/manual`, { org_id: brB, year, key: 'innovation', points: 1, reason: '迟到' });
  assert.equal(r.status, 409);
  // every write audited
  addUser(srv, 'r_aud', 'audit_admin', 1);
  const aud = await loginAs(srv, 'r_aud');
  const audit = await ok(aud.get('/api/v1/audit?limit=200&object_type=org'), 'audit');
  for (const act of ['rating.draft', 'rating.manual', 'rating.publish']) assert.ok(audit.items.some((x) => x.action === act), act);
});
