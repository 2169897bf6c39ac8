// Issue 15, 软弱涣散 and 整顿 over HTTP: candidates with the records
// behind each criterion, listing only by an org strictly above the branch
// (never by the branch itself, even with org.write there), a 党总支 listed
// by hand with a reason, the plan with its leader, measures (overdue after
// the deadline day), progress with a photo, 销号 refused while a measure is
// open and allowed after, a closed plan read-only, reopened only by the
// listing org, and the scope of the routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs } from './lib.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const chinaDay = (offsetDays = 0) => new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
const TODAY = chinaDay();
const LAST_YEAR = Number(TODAY.slice(0, 4)) - 1;
const YEAR = LAST_YEAR + 1;

let srv, adm, root, town, townB, A, S, G, sec, atk, twn, other, aud, listing;

async function mkOrg(parent, name, type, extra = {}) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
function is(r, status, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '整顿镇党委', 'committee');
  townB = await mkOrg(root, '别的镇党委', 'committee');
  A = await mkOrg(town, '东岭村党支部', 'branch', { founded_on: '2020-01-01' });
  S = await mkOrg(town, '西岭村党支部', 'branch', { founded_on: '2020-01-01' });
  G = await mkOrg(town, '南岭村党总支', 'general_branch', { founded_on: '2020-01-01' });
  is(await adm.post(`/api/v1/orgs/${S}/committee`, { post: 'secretary', person_name: '王书记', started_on: '2020-01-01' }), 201, 'secretary');
  addUser(srv, 'rf_sec', 'party_worker', A);      // the branch's secretary
  addUser(srv, 'rf_atk', 'org_admin', A);         // org.write at the branch itself
  addUser(srv, 'rf_town', 'org_admin', town);     // the level above
  addUser(srv, 'rf_other', 'org_admin', townB);   // another township
  sec = await loginAs(srv, 'rf_sec');
  atk = await loginAs(srv, 'rf_atk');
  twn = await loginAs(srv, 'rf_town');
  other = await loginAs(srv, 'rf_other');
  addUser(srv, 'rf_aud', 'audit_admin', root);
  aud = await loginAs(srv, 'rf_aud');
});

after(async () => { await srv?.stop(); });

test('identification and listing: evidence, strictly above, by hand with a reason, scope', async () => {
  const c = is(await adm.get(`/api/v1/orgs/${town}/weak-candidates?year=${LAST_YEAR}`), 200, 'candidates');
  assert.equal(c.ref_date, `${LAST_YEAR}-12-31`);
  const a = c.items.find((x) => x.org_id === A);
  const vac = a.criteria.find((k) => k.key === 'secretary_vacant');
  assert.deepEqual(vac.sources, [`org:${A}`]);
  assert.match(vac.name, /书记空缺超过 3 个月/);
  assert.equal(c.items.find((x) => x.org_id === S)?.criteria.some((k) => k.key === 'secretary_vacant') ?? false, false);
  assert.equal(c.items.some((x) => x.org_id === G), false, 'a 党总支 is listed by hand only');
  is(await other.get(`/api/v1/orgs/${town}/weak-candidates?year=${LAST_YEAR}`), 404, 'another township');

  // the branch cannot list itself: without org.write, and with it at the branch
  is(await sec.post('/api/v1/weak-listings', { org_id: A, year: YEAR }), 403, 'secretary');
  const self = is(await atk.post('/api/v1/weak-listings', { org_id: A, year: YEAR }), 403, 'org.write at the branch');
  assert.match(self.error.message, /上级党组织认定/);
  listing = is(await adm.post('/api/v1/weak-listings', { org_id: A, year: YEAR, listed_on: chinaDay(-10) }), 201, 'list').id;
  is(await adm.post('/api/v1/weak-listings', { org_id: A, year: YEAR }), 409, 'twice');
  const noReason = is(await twn.post('/api/v1/weak-listings', { org_id: G, year: YEAR }), 400, 'no reason');
  assert.equal(noReason.error.field, 'reason');
  is(await twn.post('/api/v1/weak-listings', { org_id: G, year: YEAR, reason: '班子不团结，群众反映强烈' }), 201, 'by hand');
  is(await other.post('/api/v1/weak-listings', { org_id: S, year: YEAR, reason: 'x' }), 404, 'outside');

  const all = is(await adm.get(`/api/v1/orgs/${root}/weak-listings?year=${YEAR}`), 200, 'county list').items;
  assert.deepEqual(all.map((x) => x.org_name).sort(), ['东岭村党支部', '南岭村党总支']);
  assert.equal(all.find((x) => x.org_id === G).listed_by_name, '整顿镇党委');
  // the branch's page shows its own listing
  const own = is(await sec.get(`/api/v1/orgs/${A}/weak-listings`), 200, 'branch page').items;
  assert.deepEqual(own.map((x) => [x.id, x.status_name]), [[listing, '整顿中']]);
  is(await other.get(`/api/v1/weak-listings/${listing}`), 404, 'plan outside');
  const cur = is(await adm.get(`/api/v1/orgs/${town}/weak-candidates?year=${YEAR}`), 200, 'candidates').items;
  assert.equal(cur.find((x) => x.org_id === A)?.listing_id, listing);
});

test('the plan to 销号: leader, measures, overdue, progress with a photo, refused while open, reopen', async () => {
  const plan = () => adm.get(`/api/v1/weak-listings/${listing}`).then((r) => is(r, 200, 'plan'));
  is(await sec.patch(`/api/v1/weak-listings/${listing}`, { problems: 'x' }), 403, 'secretary sets the plan');
  is(await atk.patch(`/api/v1/weak-listings/${listing}`, { problems: 'x' }), 403, 'branch sets the plan');
  const p0 = is(await adm.patch(`/api/v1/weak-listings/${listing}`, {
    problems: '书记长期空缺，组织生活不正常', leader_name: '李明', leader_post: '县委常委、组织部部长', leader_account: 'rf_town',
  }), 200, 'plan set');
  assert.equal(p0.leader_account, 'rf_town');
  assert.equal(is(await adm.patch(`/api/v1/weak-listings/${listing}`, { leader_account: 'nobody_here' }), 400, 'account').error.field,
    'leader_account');
  // another township's account is answered as one that does not exist
  assert.equal(is(await adm.patch(`/api/v1/weak-listings/${listing}`, { leader_account: 'rf_other' }), 400, 'other account').error.field,
    'leader_account');

  const m1 = is(await sec.post(`/api/v1/weak-listings/${listing}/measures`,
    { what: '选优配强村党支部书记', responsible: '镇党委', due_on: TODAY }), 201, 'measure').id;
  const m2 = is(await adm.post(`/api/v1/weak-listings/${listing}/measures`,
    { what: '按月开展主题党日', responsible: '支部', due_on: chinaDay(-1) }), 201, 'measure').id;
  let p = await plan();
  assert.deepEqual(p.measure_items.map((m) => [m.id, m.overdue]), [[m2, true], [m1, false]]);
  assert.equal(p.measures_overdue, 1);
  // the 评星晋级 indicator counts the measures still open, from these records
  const rectifyInd = async () => is(await adm.get(`/api/v1/orgs/${A}/rating?year=${YEAR}`), 200, 'rating')
    .rating.indicators.find((i) => i.key === 'rectify');
  const r0 = await rectifyInd();
  assert.deepEqual([r0.value, r0.points, r0.source], [2, 3, `rectify:org:${A}:${YEAR}`]);
  assert.equal(p.can_review, true);

  const pid = is(await sec.post(`/api/v1/weak-listings/${listing}/progress`, { on_date: TODAY, text: '镇党委选派干部担任书记' }), 201, 'progress').id;
  is(await sec.req('POST', `/api/v1/weak-progress/${pid}/file?filename=会议.png`, PNG,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 200, 'photo');
  const f = await sec.req('GET', `/api/v1/weak-progress/${pid}/file`);
  assert.equal(f.status, 200);
  assert.match(f.headers.get('content-type'), /image\/png/);
  is(await other.post(`/api/v1/weak-measures/${m1}/done`, { done_on: TODAY }), 404, 'outside');

  // 销号: never by the branch; refused while a measure is open, naming it
  is(await sec.post(`/api/v1/weak-listings/${listing}/close`, { opinion: '已整改' }), 403, 'secretary');
  assert.match(is(await atk.post(`/api/v1/weak-listings/${listing}/close`, { opinion: '已整改' }), 403, 'self').error.message,
    /支部不能为自己销号/);
  is(await sec.post(`/api/v1/weak-measures/${m2}/done`, { done_on: TODAY, note: '已按月开展' }), 200, 'done');
  const refused = is(await adm.post(`/api/v1/weak-listings/${listing}/close`, { opinion: '已整改' }), 409, 'open measure');
  assert.match(refused.error.message, /还有 1 项整改措施未完成，不能销号：“选优配强村党支部书记”/);
  is(await sec.post(`/api/v1/weak-measures/${m1}/done`, { done_on: TODAY }), 200, 'done');
  const closed = is(await twn.post(`/api/v1/weak-listings/${listing}/close`, { opinion: '整改到位，同意销号' }), 200, 'close');
  assert.equal(closed.status_name, '已销号');
  assert.equal(closed.closed_on, TODAY);
  assert.deepEqual([closed.measures, closed.measures_done, closed.measures_overdue], [2, 2, 0]);
  assert.deepEqual([(await rectifyInd()).value, (await rectifyInd()).points], [0, 5]);
  assert.equal(closed.progress[0].file.kind, 'png');

  // read-only; reopened by the listing org (the county) with a reason only
  is(await sec.post(`/api/v1/weak-listings/${listing}/progress`, { on_date: TODAY, text: '再记' }), 409, 'closed');
  is(await twn.post(`/api/v1/weak-listings/${listing}/reopen`, { reason: '复查反弹' }), 403, 'not the listing org');
  is(await adm.post(`/api/v1/weak-listings/${listing}/reopen`, { reason: '' }), 400, 'no reason');
  p = is(await adm.post(`/api/v1/weak-listings/${listing}/reopen`, { reason: '复查发现反弹' }), 200, 'reopen');
  assert.equal(p.status, 'rectifying');
  assert.deepEqual(p.reviews.map((r) => r.kind_name), ['销号', '重新打开']);
  const audit = is(await aud.get(`/api/v1/audit?object_type=weak_listing&limit=100`), 200, 'audit');
  assert.equal(audit.items.filter((x) => x.action?.startsWith('weak.')).length, 11, JSON.stringify(audit.items.map((x) => x.action)));
});
