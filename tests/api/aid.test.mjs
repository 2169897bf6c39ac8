// Issue 13: 帮扶 and 党员联系户 over HTTP.  Households registered at a
// village (the 户主's ID number masked without member.sensitive, refused
// twice and at an org that is no village), helpers and contacts, visits
// (by staff for a helper, by the helper themselves from their own list),
// status history and exit, 责任区, the coverage of a subtree equal to a
// recount of the lists, the county's own visit rule, scoping of every
// route, and the import of a 帮扶台账 (xlsx) through preview and commit,
// where a second import writes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, admin, addUser, loginAs, cli, withCheck } from './lib.mjs';
import { writeXlsx } from './xlsx.mjs';

let srv, adm, town, villA, villB, townB, organ, worker, helperC, memberC, otherB, work;
const m = {};
const idOf = (birth, seq) => withCheck(`990198${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);
// China dates: the server's today
const chinaDay = (days = 0) => new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
const monthsAgo = (n, extraDays = 0) => {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - n);
  d.setUTCDate(Math.min(10, 28));
  d.setUTCDate(d.getUTCDate() - extraDays);
  return d.toISOString().slice(0, 10);
};

async function ok(res, what, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type, domain) => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...(domain ? { domain } : {}) }), name).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }), name).then((b) => b.id);
const mkHousehold = (c, org, head, extra = {}) => c.post('/api/v1/aid-households', { org_id: org, head_name: head, category: '脱贫户', status: '在帮', ...extra });

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'zb-aid-'));
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '东河镇党委', 'committee', 'rural');
  villA = await mkOrg(town, '中共甲村支部委员会', 'branch', 'rural');
  townB = await mkOrg(1, '西河镇党委', 'committee', 'rural');
  villB = await mkOrg(townB, '中共乙村支部委员会', 'branch', 'rural');
  organ = await mkOrg(1, '县农业农村局机关党支部', 'branch', 'organ');
  m.a1 = await mkMember(villA, '张联系');
  m.a2 = await mkMember(villA, '李责任');
  m.organ = await mkMember(organ, '王帮扶');
  m.b1 = await mkMember(villB, '赵乙村');
  // the cadre registry: a 派出单位 of the county and one of its cadres
  const unit = await ok(adm.post('/api/v1/dispatch-units', { org_id: 1, name: '县交通运输局' }), 'unit');
  m.cadre = (await ok(adm.post('/api/v1/cadres', { org_id: 1, unit_id: unit.id, name: '何干部', gender: 'M', post: '科员' }), 'cadre')).id;
  addUser(srv, 'town', 'org_admin', town);
  addUser(srv, 'worker_a', 'party_worker', villA);
  addUser(srv, 'worker_b', 'party_worker', villB);
  const r = cli(['user', 'add', 'helper_self', '--db', srv.db, '--role', 'member', '--org', String(villA), '--member', String(m.a1)],
    { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  worker = await loginAs(srv, 'worker_a');
  otherB = await loginAs(srv, 'worker_b');
  helperC = await loginAs(srv, 'town');
  memberC = await loginAs(srv, 'helper_self');
});

after(async () => {
  await srv?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

let h1, h2, h3;

test('a household is registered at a village, its 户主 ID number masked without member.sensitive', async () => {
  const id = idOf('1968-04-12', 11);
  const r = await mkHousehold(worker, villA, '陈大山', {
    id_number: id, phone: '13900001111', village_group: '第一村民小组',
    people: [{ name: '陈大山', relation: '户主' }, { name: '刘小芳', relation: '妻子' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  h1 = r.body.id;
  assert.equal(r.body.category, 'tuopin');
  assert.equal(r.body.status, 'helping');
  assert.equal(r.body.people.length, 2);
  assert.equal(r.body.history.length, 1);
  assert.notEqual(r.body.id_number, id);
  assert.ok(!r.body.id_number.includes(id.slice(6, 14)), 'no birth date in the mask');
  assert.equal(r.body.phone, '139****1111');
  assert.ok(!('birth_date' in r.body));
  // the party worker holds no member.sensitive: the full number is refused
  assert.equal((await worker.get(`/api/v1/aid-households/${h1}?full=1`)).status, 403);
  const full = await ok(adm.get(`/api/v1/aid-households/${h1}?full=1`), 'full');
  assert.equal(full.id_number, id);
  assert.equal(full.phone, '13900001111');
  // the same 户主 twice
  const dup = await mkHousehold(worker, villA, '陈大山', { id_number: id });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.field, 'id_number');
  // not a village: a township, an organ branch
  for (const org of [town, organ]) {
    const bad = await mkHousehold(adm, org, '某户');
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.equal(bad.body.error.field, 'org_id');
    assert.match(bad.body.error.message, /不是村党组织/);
  }
  const badCat = await mkHousehold(worker, villA, '某户', { category: '富裕户' });
  assert.equal(badCat.status, 400);
  assert.equal(badCat.body.error.field, 'category');
  const badId = await mkHousehold(worker, villA, '某户', { id_number: id.slice(0, 17) + (id[17] === '1' ? '2' : '1') });
  assert.equal(badId.status, 400);
  assert.equal(badId.body.error.field, 'id_number');
  h2 = (await ok(mkHousehold(worker, villA, '孙二', { category: '监测户', status: '监测户', village_group: '第二村民小组' }), 'h2')).id;
  h3 = (await ok(mkHousehold(worker, villA, '周三', { category: 'dibao', status: 'helping', status_since: chinaDay(-10) }), 'h3')).id;
});

test('helpers, contacts and visits: a contact must be of the village; a visitor must be paired', async () => {
  const from = monthsAgo(2);
  // a helper from a county organ: the township cannot see that member, the county can
  const hidden = await helperC.post(`/api/v1/aid-households/${h1}/pairs`, { member_id: m.organ, from_on: from });
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.error.field, 'member_id');
  let v = await ok(adm.post(`/api/v1/aid-households/${h1}/pairs`, { member_id: m.organ, from_on: from }), 'helper');
  assert.equal(v.pairs[0].kind, 'helper');
  assert.equal(v.pairs[0].current, true);
  const notVillage = await adm.post(`/api/v1/aid-households/${h1}/pairs`, { kind: 'contact', member_id: m.organ, from_on: from });
  assert.equal(notVillage.status, 400);
  assert.match(notVillage.body.error.message, /本村/);
  v = await ok(worker.post(`/api/v1/aid-households/${h1}/pairs`, { kind: 'contact', member_id: m.a1, from_on: from }), 'contact');
  assert.equal(v.pairs.length, 2);
  const twice = await worker.post(`/api/v1/aid-households/${h1}/pairs`, { kind: 'contact', member_id: m.a1, from_on: from });
  assert.equal(twice.status, 409);
  // h2: the village member helps it
  await ok(worker.post(`/api/v1/aid-households/${h2}/pairs`, { member_id: m.a1, from_on: from }), 'helper h2');
  // a cadre of a 派出单位 helps h1 too; a cadre cannot be a 联系户's contact, nor come with a member
  const both = await adm.post(`/api/v1/aid-households/${h1}/pairs`, { member_id: m.a2, cadre_id: m.cadre, from_on: from });
  assert.equal(both.status, 400);
  const cadreContact = await adm.post(`/api/v1/aid-households/${h1}/pairs`, { kind: 'contact', cadre_id: m.cadre, from_on: from });
  assert.equal(cadreContact.status, 400);
  assert.equal(cadreContact.body.error.field, 'cadre_id');
  assert.equal((await worker.post(`/api/v1/aid-households/${h1}/pairs`, { cadre_id: m.cadre, from_on: from })).status, 404,
    'the county\'s cadre is outside the village worker\'s scope');
  v = await ok(adm.post(`/api/v1/aid-households/${h1}/pairs`, { cadre_id: m.cadre, from_on: from }), 'cadre helper');
  const cp = v.pairs.find((x) => x.cadre_id === m.cadre);
  assert.equal(cp.name, '何干部');
  assert.equal(cp.org_name, '县交通运输局');
  assert.equal(cp.member_id, null);
  v = await ok(adm.post(`/api/v1/aid-households/${h1}/visits`, { cadre_id: m.cadre, visited_on: chinaDay(-2), what: '帮助联系产业项目' }), 'cadre visit');
  assert.equal(v.visits[0].visitor, '何干部');
  assert.equal(v.visits[0].cadre_id, m.cadre);
  // a visit by the organ helper, recorded by the worker
  v = await ok(worker.post(`/api/v1/aid-households/${h1}/visits`, { member_id: m.organ, visited_on: chinaDay(-3), what: '了解务工收入' }), 'visit');
  assert.ok(v.visits.some((x) => x.visitor === '王帮扶' && x.visited_on === chinaDay(-3) && x.member_id === m.organ));
  const byStranger = await worker.post(`/api/v1/aid-households/${h1}/visits`, { member_id: m.a2, visited_on: chinaDay(-1), what: '走访' });
  assert.equal(byStranger.status, 409);
  assert.equal(byStranger.body.error.field, 'member_id');
  const future = await worker.post(`/api/v1/aid-households/${h1}/visits`, { member_id: m.organ, visited_on: chinaDay(2), what: '走访' });
  assert.equal(future.status, 400);
  assert.equal(future.body.error.field, 'visited_on');
});

test('a helper sees their own households and records a visit; another household is not found', async () => {
  const mine = await ok(memberC.get('/api/v1/me/aid-households'), 'mine');
  assert.deepEqual(mine.items.map((x) => x.household_id).sort(), [h1, h2].sort());
  const h2item = mine.items.find((x) => x.household_id === h2);
  assert.equal(h2item.kind, 'helper');
  assert.equal(h2item.overdue, true, 'paired two months ago, never visited: overdue');
  const r = await memberC.post('/api/v1/me/aid-visits', { household_id: h2, visited_on: chinaDay(), what: '宣讲政策，核对低保' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const after = (await ok(memberC.get('/api/v1/me/aid-households'), 'mine')).items.find((x) => x.household_id === h2);
  assert.equal(after.overdue, false);
  assert.equal(after.last_visit, chinaDay());
  for (const hh of [h3, 999999]) {
    const no = await memberC.post('/api/v1/me/aid-visits', { household_id: hh, visited_on: chinaDay(), what: '走访' });
    assert.equal(no.status, 404);
    assert.equal(no.body.error.field, 'household_id');
  }
  // the member role reads no household page
  assert.equal((await memberC.get(`/api/v1/aid-households/${h2}`)).status, 403);
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const rawPost = (c, path, bytes) => c.req('POST', path, bytes, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });

test('photos of a visit: staff for any visit of their villages, a helper for their own', async () => {
  const h = await ok(adm.get(`/api/v1/aid-households/${h1}`), 'h1');
  const organVisit = h.visits.find((x) => x.member_id === m.organ);
  const up = await rawPost(worker, `/api/v1/aid-visits/${organVisit.id}/photos?filename=${encodeURIComponent('入户.png')}`, PNG);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const got = await worker.get(up.body.url.replace('/api/v1', '/api/v1'));
  assert.equal(got.status, 200);
  assert.match(got.headers.get('content-type'), /image\/png/);
  assert.deepEqual(Buffer.from(got.body), PNG);
  const after = await ok(worker.get(`/api/v1/aid-households/${h1}`), 'h1 again');
  assert.deepEqual(after.visits.find((x) => x.id === organVisit.id).photos, [up.body.url]);
  // not a photo
  const pdf = await rawPost(worker, `/api/v1/aid-visits/${organVisit.id}/photos`, Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n'));
  assert.equal(pdf.status, 415);
  // another village's worker sees neither the visit nor the photo
  assert.equal((await rawPost(otherB, `/api/v1/aid-visits/${organVisit.id}/photos`, PNG)).status, 404);
  assert.equal((await otherB.get(up.body.url)).status, 404);
  // the helper: their own visit yes, the organ member's no
  const mine = (await ok(adm.get(`/api/v1/aid-households/${h2}`), 'h2')).visits.find((x) => x.member_id === m.a1);
  assert.equal((await rawPost(memberC, `/api/v1/me/aid-visits/${mine.id}/photos`, PNG)).status, 201);
  const notMine = await rawPost(memberC, `/api/v1/me/aid-visits/${organVisit.id}/photos`, PNG);
  assert.equal(notMine.status, 404);
  assert.equal((await rawPost(memberC, '/api/v1/me/aid-visits/999999/photos', PNG)).body.error.message, notMine.body.error.message);
});

test('status changes are kept as history; an exit keeps the household out of the counts', async () => {
  const early = await worker.post(`/api/v1/aid-households/${h3}/status`, { status: 'lifted', on: chinaDay(-11) });
  assert.equal(early.status, 400, 'before the current status');
  const on = chinaDay(-1);
  let v = await ok(worker.post(`/api/v1/aid-households/${h3}/status`, { status: 'lifted', on, note: '经评议认定脱贫' }), 'status');
  assert.equal(v.status, 'lifted');
  assert.deepEqual(v.history.map((x) => x.status), ['helping', 'lifted']);
  const same = await worker.post(`/api/v1/aid-households/${h3}/status`, { status: 'lifted', on });
  assert.equal(same.status, 409);
  const noDecision = await worker.post(`/api/v1/aid-households/${h3}/exit`, { on, decision: '' });
  assert.equal(noDecision.status, 400);
  v = await ok(worker.post(`/api/v1/aid-households/${h3}/exit`, { on, decision: '村民代表大会评议、乡镇审核、县审定', doc: '县帮扶字〔2026〕12号' }), 'exit');
  assert.equal(v.exit.on, on);
  assert.equal(v.exit.doc, '县帮扶字〔2026〕12号');
  const exited = await ok(worker.get(`/api/v1/orgs/${villA}/aid-households?filter=exited`), 'exited');
  assert.deepEqual(exited.items.map((x) => x.id), [h3]);
  const again = await worker.post(`/api/v1/aid-households/${h3}/status`, { status: 'helping', on });
  assert.equal(again.status, 409);
});

test('责任区: a village member for a 村民小组', async () => {
  const bad = await worker.post('/api/v1/aid-areas', { org_id: villA, name: '第一村民小组', member_id: m.organ, from_on: chinaDay(-30) });
  assert.equal(bad.status, 404, 'the organ member is outside the worker\'s scope');
  const a = await ok(worker.post('/api/v1/aid-areas', { org_id: villA, name: '第一村民小组', member_id: m.a2, from_on: chinaDay(-30) }), 'area');
  const list = await ok(worker.get(`/api/v1/orgs/${villA}/aid-areas`), 'areas');
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].households, 1);
  const h = await ok(worker.get(`/api/v1/aid-households/${h1}`), 'h1');
  assert.equal(h.area_member, '李责任');
  await ok(worker.post(`/api/v1/aid-areas/${a.id}/end`, { to_on: chinaDay() }), 'end');
  assert.equal((await worker.post(`/api/v1/aid-areas/${a.id}/end`, { to_on: chinaDay() })).status, 409);
  await ok(worker.post('/api/v1/aid-areas', { org_id: villA, name: '第一村民小组', member_id: m.a2, from_on: chinaDay(-30) }), 'area again');
});

test('the coverage of a subtree: its fixed shape, equal to a recount of the lists', async () => {
  // a household in B without a helper, one in A without one
  await ok(mkHousehold(adm, villB, '吴乙'), 'B household');
  const h4 = (await ok(mkHousehold(worker, villA, '郑四'), 'h4')).id;
  const c = await ok(helperC.get(`/api/v1/orgs/${town}/aid-coverage`), 'coverage');
  for (const k of ['households', 'with_helper', 'visited_on_time', 'without_helper', 'overdue', 'exited', 'by_status', 'helpers_overdue', 'contacts', 'in_area']) {
    assert.ok(k in c, `coverage has ${k}`);
  }
  assert.equal(c.households, 3, 'h1, h2, h4 (h3 exited, B elsewhere)');
  assert.equal(c.exited, 1);
  assert.equal(c.with_helper, 2);
  assert.equal(c.without_helper, 1);
  assert.equal(c.visited_on_time, 2);
  assert.equal(c.overdue, 0);
  assert.deepEqual(c.by_status, { helping: 2, lifted: 0, monitor: 1 });
  assert.equal(c.contacts.pairs, 1);
  assert.equal(c.helpers, 3, 'the organ member, the village member and the cadre');
  assert.equal(c.in_area, 1);
  // recount from the lists
  const all = (await ok(helperC.get(`/api/v1/orgs/${town}/aid-households`), 'all')).items;
  assert.equal(all.length, c.households);
  assert.equal(all.filter((x) => x.helpers > 0).length, c.with_helper);
  assert.equal(all.filter((x) => x.helpers > 0 && x.overdue === 0).length, c.visited_on_time);
  const none = (await ok(helperC.get(`/api/v1/orgs/${town}/aid-households?filter=no_helper`), 'none')).items;
  assert.deepEqual(none.map((x) => x.id), [h4]);
  // an overdue helper: paired four months ago, last visit three months ago
  await ok(adm.post(`/api/v1/aid-households/${h4}/pairs`, { member_id: m.a2, from_on: monthsAgo(4) }), 'pair h4');
  await ok(adm.post(`/api/v1/aid-households/${h4}/visits`, { member_id: m.a2, visited_on: monthsAgo(3), what: '走访' }), 'old visit');
  const c2 = await ok(helperC.get(`/api/v1/orgs/${town}/aid-coverage`), 'coverage 2');
  assert.equal(c2.overdue, 1);
  assert.equal(c2.helpers_with_overdue, 1);
  assert.deepEqual(c2.helpers_overdue.map((x) => [x.name, x.overdue]), [['李责任', 1]]);
  const late = (await ok(helperC.get(`/api/v1/orgs/${town}/aid-households?filter=overdue`), 'late')).items;
  assert.deepEqual(late.map((x) => x.id), [h4]);
  // the county's own rule: 在帮 every 6 months, and h4 is on time again
  await ok(adm.post('/api/v1/rules', { kind: 'aid_visits', org_id: 1, effective_from: '2020-01-01', name: '县：每半年',
    data: { helping_months: 6, monitor_months: 1, lifted_months: 6, contact_months: 6 } }), 'rule');
  const c3 = await ok(helperC.get(`/api/v1/orgs/${town}/aid-coverage`), 'coverage 3');
  assert.equal(c3.overdue, 0);
  const bad = await adm.post('/api/v1/rules', { kind: 'aid_visits', org_id: 1, effective_from: '2020-01-01', name: 'x',
    data: { helping_months: 24, monitor_months: 1, lifted_months: 6, contact_months: 6 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'data.helping_months');
});

test('scoping: another village\'s worker finds nothing of A', async () => {
  const pair = (await ok(adm.get(`/api/v1/aid-households/${h1}`), 'h1')).pairs[0].id;
  const reqs = [
    ['GET', `/api/v1/aid-households/${h1}`], ['GET', `/api/v1/orgs/${villA}/aid-coverage`],
    ['GET', `/api/v1/orgs/${villA}/aid-households`], ['GET', `/api/v1/orgs/${villA}/aid-areas`],
    ['POST', `/api/v1/aid-households/${h1}/visits`, { member_id: m.organ, visited_on: chinaDay(), what: 'x' }],
    ['POST', `/api/v1/aid-households/${h1}/status`, { status: 'monitor', on: chinaDay() }],
    ['POST', `/api/v1/aid-households/${h1}/exit`, { on: chinaDay(), decision: 'x' }],
    ['POST', `/api/v1/aid-households/${h1}/pairs`, { member_id: m.b1, from_on: chinaDay() }],
    ['POST', `/api/v1/aid-pairs/${pair}/end`, { to_on: chinaDay(), reason: 'x' }],
    ['POST', '/api/v1/aid-households', { org_id: villA, head_name: 'x', category: 'tuopin', status: 'helping' }],
    ['POST', '/api/v1/aid-areas', { org_id: villA, name: 'x', member_id: m.b1, from_on: chinaDay() }],
  ];
  for (const [method, path, body] of reqs) {
    const r = await otherB.req(method, path, body);
    assert.equal(r.status, 404, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  // and B's coverage does not count A
  const c = await ok(otherB.get(`/api/v1/orgs/${villB}/aid-coverage`), 'B');
  assert.equal(c.households, 1);
  // ending a pairing
  await ok(worker.post(`/api/v1/aid-pairs/${pair}/end`, { to_on: chinaDay(), reason: '工作调动' }), 'end pair');
  assert.equal((await worker.post(`/api/v1/aid-pairs/${pair}/end`, { to_on: chinaDay(), reason: 'x' })).status, 409);
});

test('a 帮扶台账 is imported from xlsx: preview, rows in error in Chinese, all or nothing, a second import writes nothing', async () => {
  const file = join(work, '帮扶台账.xlsx');
  const header = ['序号', '户主', '户主身份证号', '所在村', '村民小组', '户类别', '状态', '识别日期', '家庭成员', '帮扶人', '联系党员', '结对时间'];
  const good = [
    [1, '冯一', idOf('1960-01-01', 21), '甲村', '第二村民小组', '脱贫户', '已脱贫', { date: '2021-06-01' }, '冯一（户主）、陈梅（妻子）', '王帮扶', '张联系', { date: '2026-01-05' }],
    [2, '褚二', idOf('1971-02-02', 23), '甲村', '', '监测户', '监测户', '2024/3/1', '', '何干部', '', ''],
  ];
  const bad = [
    [3, '卫三', idOf('1972-03-03', 25), '丙村', '', '低保户', '在帮', '', '', '', '', ''],
    [4, '蒋四', idOf('1973-04-04', 27), '甲村', '', '富裕户', '在帮', '', '蒋四', '查无此人', '', ''],
    [5, '沈五', '', '甲村', '', '脱贫户', '在帮', '', '', '', '', ''],
  ];
  writeXlsx(file, { title: '东河镇帮扶户台账', header, rows: [...good, ...bad] });
  const up = (c, bytes) => c.req('POST', `/api/v1/aid-imports?org=${town}&filename=${encodeURIComponent('帮扶台账.xlsx')}`, bytes,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  const p = await up(adm, readFileSync(file));
  assert.equal(p.status, 201, JSON.stringify(p.body));
  assert.equal(p.body.header_row, 2);
  assert.deepEqual(p.body.counts, { new: 2, unchanged: 0, error: 3 });
  const row = (n) => p.body.rows.find((x) => x.row === n + 2);
  assert.match(row(3).errors.join(), /所在村“丙村”不在/);
  assert.match(row(4).errors.join(), /类别“富裕户”/);
  assert.match(row(4).errors.join(), /家庭成员“蒋四”应写作/);
  assert.match(row(5).errors.join(), /缺少户主身份证号/);
  assert.deepEqual(row(1).people.map((x) => x.relation), ['户主', '妻子']);
  assert.deepEqual(row(1).helpers, ['王帮扶']);
  assert.ok(!JSON.stringify(p.body).includes(idOf('1960-01-01', 21)), 'no ID number in the preview');
  // all or nothing: refused while rows are in error
  const refused = await adm.post(`/api/v1/aid-imports/${p.body.id}/commit`);
  assert.equal(refused.status, 400);
  // only the uploader sees the batch
  assert.equal((await worker.get(`/api/v1/aid-imports/${p.body.id}`)).status, 404);
  const before = (await ok(adm.get(`/api/v1/orgs/${villA}/aid-households`), 'before')).items.length;
  const done = await ok(adm.post(`/api/v1/aid-imports/${p.body.id}/commit?skip_errors=1`), 'commit');
  assert.deepEqual(done.counts, { new: 2, unchanged: 0, skipped: 3 });
  const items = (await ok(adm.get(`/api/v1/orgs/${villA}/aid-households`), 'after')).items;
  assert.equal(items.length, before + 2);
  const feng = items.find((x) => x.head_name === '冯一');
  const fv = await ok(adm.get(`/api/v1/aid-households/${feng.id}`), 'feng');
  assert.equal(fv.status, 'lifted');
  assert.equal(fv.status_since, '2021-06-01');
  assert.deepEqual(fv.pairs.map((x) => [x.kind, x.name, x.from_on]).sort(), [['contact', '张联系', '2026-01-05'], ['helper', '王帮扶', '2026-01-05']]);
  const chu = await ok(adm.get(`/api/v1/aid-households/${items.find((x) => x.head_name === '褚二').id}`), 'chu');
  assert.deepEqual(chu.pairs.map((x) => [x.kind, x.name, x.cadre_id]), [['helper', '何干部', m.cadre]]);
  // the same file again: everything is unchanged and nothing is written
  writeXlsx(file, { title: '东河镇帮扶户台账', header, rows: good });
  const p2 = await up(adm, readFileSync(file));
  assert.deepEqual(p2.body.counts, { new: 0, unchanged: 2, error: 0 });
  const d2 = await ok(adm.post(`/api/v1/aid-imports/${p2.body.id}/commit`), 'commit 2');
  assert.deepEqual(d2.counts, { new: 0, unchanged: 2, skipped: 0 });
  assert.equal((await ok(adm.get(`/api/v1/orgs/${villA}/aid-households`), 'again')).items.length, before + 2);
  assert.equal((await adm.post(`/api/v1/aid-imports/${p2.body.id}/commit`)).status, 409);
  // the other township's worker may not import into A
  assert.equal((await up(otherB, readFileSync(file))).status, 404);
  // a file without the needed columns
  writeXlsx(file, { title: 't', header: ['户主', '村民小组', '备注'], rows: [['x', 'y', 'z']] });
  const np = await up(adm, readFileSync(file));
  assert.equal(np.status, 400);
  assert.equal(np.body.error.field, 'file');
});
