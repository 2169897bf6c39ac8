// The access matrix: every route of the route tables (src/api/*.c), for
// every principal — anonymous, one user per role of GET /api/v1/roles
// granted at subtree A, an API token, a cookie session without its CSRF
// token — against an object inside A and one inside the disjoint subtree B.
//
//   anonymous                          401 (public routes: let through)
//   permission held nowhere            403
//   cookie write without CSRF          403
//   permission held, object in B       404, byte for byte the 404 of an id that does not exist
//   permission held, object in A       let through: anything but 401/403/404, never 5xx
//
// Nothing is listed by hand: routes and their permission, scope kind and
// flags come from the sources (cross-checked with the served OpenAPI
// document), roles and their permissions from the running server.  A route
// whose scope kind or path placeholder the matrix cannot fill fails with the
// route named.  Writes that pass the access check act on throwaway objects,
// so no row spoils the fixture for the next.
//
// Besides the cells: no answer to A's principals shows a name of B; ids in
// write bodies and queries that point into B are refused like ids that do
// not exist; and the route tables keep their invariants (R_WRITE on every
// state-changing route, scope kinds matching the path, public routes
// without permissions).  tests/security/README.md has the details.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, admin, cli, ROOT, ago } from '../api/lib.mjs';
import {
  readRoutes, readHttpHeader, paramKinds, PATH_SCOPES, OTHER_SCOPES, expected, mark,
} from './matrix-lib.mjs';

const PASSWORD = 'Matrix-Passw0rd-7';
const MISSING = 999999999;
// Every name of an object in B carries one of these; no answer to a
// principal of A may contain them.
const LEAK_B = ['乙矩阵', 'mxleakb'];
const chinaYear = () => Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// ---- routes, read before any server starts ------------------------------

const ROUTES = readRoutes(ROOT);
const HTTP = readHttpHeader(ROOT);
// reads first, then writes; within them the table order.  Routes that may
// end the caller's own session (public writes such as logout) run last.
const ORDERED = [...ROUTES].sort((a, b) => rank(a) - rank(b));
function rank(r) {
  if (r.method === 'GET') return 0;
  if (r.flags.includes('R_PUBLIC')) return 3;
  return r.method === 'DELETE' ? 2 : 1;
}

let srv, adm, openapi, roles;
const W = { A: {}, B: {} };   // the fixture world per side
const P = [];                  // principals, in column order
const results = new Map();     // route id -> {principal name -> {A, B}}
let cells = 0, oracleChecks = 0, mixedChecks = 0, leakChecks = 0, fresh = 0;

// ---- the fixture world ---------------------------------------------------

async function ok(res, what, status = [200, 201]) {
  const r = await res;
  assert.ok([].concat(status).includes(r.status), `${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
const mkOrg = (parent, name, type = 'branch') => ok(adm.post('/api/v1/orgs', { parent_id: parent, name, type }), `org ${name}`).then((b) => b.id);
const mkMember = (org, name) => ok(adm.post('/api/v1/members', {
  org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01',
}), `member ${name}`).then((b) => b.id);

function cliUser(name, role, org, member) {
  const args = ['user', 'add', name, '--db', srv.db, '--role', role, '--org', String(org)];
  if (member) args.push('--member', String(member));
  const r = cli(args, { ...srv.env, ZHIBU_PASSWORD: PASSWORD });
  assert.equal(r.code, 0, `zhibu user add ${name}: ${r.stderr}`);
}
async function login(name) {
  const c = new Client(srv.url);
  const r = await c.login(name, PASSWORD);
  assert.equal(r.status, 200, `login ${name}: ${JSON.stringify(r.body)}`);
  return c;
}
/** A user with one grant, via the CLI; returns {id (user), grant}. */
let userNo = 0;
async function mkUser(side, role = 'party_worker') {
  const name = `${side === 'B' ? 'mxleakb' : 'mxa'}_u${++userNo}`;
  cliUser(name, role, W[side].branch);
  const me = (await (await login(name)).get('/api/v1/auth/me')).body.user;
  return { id: me.id, grant: me.grants[0].id };
}
function importCsv(seq) {
  // a checksum-valid fictional ID number (region 99xxxx exists nowhere)
  const W17 = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const body = `990101198001${String(10 + (seq % 18)).padStart(2, '0')}${String(100 + seq).slice(-3)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W17[i];
  return Buffer.from(`姓名,身份证号,入党日期,转正日期\n导入${seq},${body}${'10X98765432'[sum % 11]},2005-07-01,2006-07-01\n`);
}

// Makers of one object of each kind on a side.  Each returns the values of
// the placeholders of routes whose object it is ({id} and, where the
// object has parts, {did} or {org_id}).  `who` is the principal that will
// use it, for objects only their creator may see (import batches).
let seq = 0;
const MAKE = {
  // an org's routes with {year} name its 民主评议 of that year: the branch
  // gets one, so that the handler has something to find
  async org(side) {
    const id = await mkOrg(W[side].town, `${W[side].mk}临时支部${++seq}`);
    await ok(adm.put(`/api/v1/orgs/${id}/appraisals/${W.year}`, { items: [] }), 'appraisal');
    return { id };
  },
  async member(side) {
    const id = await mkMember(W[side].branch, `${W[side].mk}党员${++seq}`);
    const m = await ok(adm.post(`/api/v1/members/${id}/designations`,
      { kind: 'pioneer_post', title: `${W[side].mk}先锋岗`, started_on: '2024-01-01' }), 'designation');
    return { id, did: m.designations.at(-1).id };
  },
  async meeting(side) {
    return { id: (await ok(adm.post('/api/v1/meetings', {
      org_id: W[side].branch, type: 'appraisal', start_at: ago(600), topic: `${W[side].mk}民主评议党员`,
    }), 'meeting')).id };
  },
  async attachment(side) {
    const m = W[side].meeting.id;
    const r = await ok(adm.req('POST', `/api/v1/meetings/${m}/attachments?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'attachment');
    return { id: r.id };
  },
  async post(side) {
    return { id: (await ok(adm.post(`/api/v1/orgs/${W[side].branch}/committee`,
      { person_name: `${W[side].mk}委员${++seq}`, post: 'member', started_on: '2020-01-01' }), 'post')).id };
  },
  async unit(side) {
    return { id: (await ok(adm.post('/api/v1/units',
      { org_id: W[side].branch, name: `${W[side].mk}公司${++seq}`, kind: 'enterprise' }), 'unit')).id };
  },
  async alliance(side) {
    const a = await ok(adm.post('/api/v1/alliances',
      { org_id: W[side].branch, name: `${W[side].mk}联合体${++seq}` }), 'alliance');
    return { id: a.id, org_id: W[side].branch };
  },
  // a transfer of a member of the side's branch to another branch of its
  // township (both sides of it in the side's subtree)
  async transfer(side) {
    W[side].dest ??= await mkOrg(W[side].town, `${W[side].mk}接收支部`);
    W[side].destMember ??= await mkMember(W[side].dest, `${W[side].mk}接收支部党员`);
    const m = await mkMember(W[side].branch, `${W[side].mk}转出${++seq}`);
    return { id: (await ok(adm.post('/api/v1/transfers', { member_id: m, to_org_id: W[side].dest, reason: `${W[side].mk}调动`,
      dues_paid_to: '2026-01' }), 'transfer')).id };
  },
  // a person in the 发展党员 pipeline; {sid} is its step 1
  async applicant(side) {
    const a = await ok(adm.post('/api/v1/applicants', {
      org_id: W[side].branch, name: `${W[side].mk}申请人${++seq}`, applied_on: '2024-01-01', source: 'other',
    }), 'applicant');
    return { id: a.id, sid: a.steps[0].id };
  },
  // a person in the reserve pool of a rural village of the side's
  // township; {tid} is a 试岗 period of theirs that has ended
  async reserve_cadre(side) {
    W[side].village ??= (await ok(adm.post('/api/v1/orgs', { parent_id: W[side].town, name: `${W[side].mk}后备村`, type: 'branch', domain: 'rural' }), 'village')).id;
    const p = await ok(adm.post('/api/v1/reserve-cadres', {
      org_id: W[side].village, name: `${W[side].mk}后备${++seq}`, birth_date: '1996-01-01', source: 'graduate', entered_on: '2024-01-01',
    }), 'reserve cadre');
    const t = await ok(adm.post(`/api/v1/reserve-cadres/${p.id}/trials`, { post: `${W[side].mk}主任助理`, from_on: '2024-02-01', to_on: '2024-03-01' }), 'trial');
    return { id: p.id, tid: t.trials[0].id };
  },
  // the cadre registry: a 派出单位 and a cadre kept at the side's branch
  async dunit(side) {
    return { id: (await ok(adm.post('/api/v1/dispatch-units',
      { org_id: W[side].branch, name: `${W[side].mk}派出单位${++seq}`, contact_phone: '13800001111' }), 'dispatch unit')).id };
  },
  async cadre(side) {
    return { id: (await ok(adm.post('/api/v1/cadres',
      { org_id: W[side].branch, name: `${W[side].mk}干部${++seq}`, gender: 'M' }), 'cadre')).id };
  },
  // 帮扶: a household of the side's branch (made a rural village), its
  // member the contact and its cadre the helper; a pairing, a 责任区, a
  // 帮扶台账 batch
  async aid_household(side) {
    if (!W[side].rural) {
      await ok(adm.patch(`/api/v1/orgs/${W[side].branch}`, { domain: 'rural' }), 'rural');
      W[side].rural = true;
    }
    const h = await ok(adm.post('/api/v1/aid-households', {
      org_id: W[side].branch, head_name: `${W[side].mk}户主${++seq}`, category: 'tuopin', status: 'helping',
    }), 'aid household');
    await ok(adm.post(`/api/v1/aid-households/${h.id}/pairs`,
      { kind: 'contact', member_id: (await shared('member', side)).id, from_on: '2024-01-01' }), 'aid contact');
    await ok(adm.post(`/api/v1/aid-households/${h.id}/pairs`,
      { cadre_id: (await shared('cadre', side)).id, from_on: '2024-01-01' }), 'aid cadre');
    return { id: h.id };
  },
  async aid_pair(side) {
    const h = await MAKE.aid_household(side);
    return { id: (await ok(adm.get(`/api/v1/aid-households/${h.id}`), 'aid household')).pairs[0].id };
  },
  async aid_area(side) {
    await shared('aid_household', side);
    return { id: (await ok(adm.post('/api/v1/aid-areas', { org_id: W[side].branch, name: `${W[side].mk}组${++seq}`,
      member_id: (await shared('member', side)).id, from_on: '2024-01-01' }), 'aid area')).id };
  },
  // a visit to the side's household: by the principal's own member where
  // it has one (its contact), else by the side's member; a photo of one
  async aid_visit(side, who) {
    const h = (await shared('aid_household', side)).id;
    const member = who?.member && side === 'A' ? who.member : (await shared('member', side)).id;
    const v = await ok(adm.post(`/api/v1/aid-households/${h}/visits`, { member_id: member, visited_on: '2024-06-01',
      what: `${W[side].mk}走访${++seq}` }), 'aid visit');
    return { id: v.visits.find((x) => x.member_id === member && x.what === `${W[side].mk}走访${seq}`).id };
  },
  async aid_photo(side) {
    const v = await MAKE.aid_visit(side);
    const r = await ok(adm.req('POST', `/api/v1/aid-visits/${v.id}/photos?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'aid photo');
    return { id: r.id };
  },
  async aid_import(side, who) {
    await shared('aid_household', side);
    const id = importCsv(++seq).toString().split('\n')[1].split(',')[1];
    const csv = Buffer.from(`户主姓名,身份证号,类别,帮扶状态\n${W[side].mk}导入户${seq},${id},脱贫户,在帮\n`);
    const up = (c) => c.req('POST', `/api/v1/aid-imports?org=${W[side].branch}&filename=matrix.csv`, csv,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    let r = who?.uploader ? await up(who.uploader) : null;
    if (!r || [401, 403, 404].includes(r.status)) r = await up(adm);
    assert.equal(r.status, 201, `aid import: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id };
  },
  // 学习教育: a 集中学习 session of the side's branch with its member, a
  // batch of the study import, a course published at the township with a PDF
  // (seen from every org of the side)
  async study_session(side) {
    return { id: (await ok(adm.post('/api/v1/study-sessions', { org_id: W[side].branch, kind: 'central',
      title: `${W[side].mk}集中学习${++seq}`, held_on: '2024-06-01', hours: 2, member_ids: [(await shared('member', side)).id] }),
    'study session')).id };
  },
  async study_import(side, who) {
    const csv = Buffer.from(`姓名,学习日期,学习内容,学时\n${W[side].mk}学员${++seq},2024-06-01,${W[side].mk}培训,2\n`);
    const up = (c) => c.req('POST', `/api/v1/study-imports?org=${W[side].branch}&filename=matrix.csv`, csv,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    let r = who?.uploader ? await up(who.uploader) : null;
    if (!r || [401, 403, 404].includes(r.status)) r = await up(adm);
    assert.equal(r.status, 201, `study import: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id };
  },
  async course(side) {
    const fd = new FormData();
    fd.append('json', JSON.stringify({ org_id: W[side].town, title: `${W[side].mk}课程${++seq}`, body: '学习', hours: 1 }));
    fd.append('file', new Blob([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')]), `${W[side].mk}.pdf`);
    const r = await fetch(`${srv.url}/api/v1/courses`, { method: 'POST', body: fd, headers: { Cookie: adm.cookie, 'X-CSRF-Token': adm.csrf } });
    assert.equal(r.status, 201, `course: ${r.status} ${await r.clone().text()}`);
    const c = await r.json();
    return { id: c.id, cid: c.id };
  },
  // 驻村: a team at a village of its own (one open team per village), a
  // posting of a cadre of its own (one open posting per cadre), a leave of
  // three days on such a posting (the township approves it)
  async vteam(side) {
    const org = await mkOrg(W[side].town, `${W[side].mk}驻村${++seq}村党支部`);
    return { id: (await ok(adm.post('/api/v1/village-teams', { org_id: org, formed_on: '2026-01-01' }), 'team')).id, org };
  },
  async vposting(side) {
    const c = await MAKE.cadre(side);
    return { id: (await ok(adm.post('/api/v1/village-postings', { cadre_id: c.id, org_id: W[side].branch, role: 'member',
      started_on: '2026-01-01', term_ends_on: '2028-01-01' }), 'posting')).id };
  },
  async vleave(side) {
    const p = await MAKE.vposting(side);
    return { id: (await ok(adm.post('/api/v1/village-leaves', { posting_id: p.id, kind: 'leave', from_on: '2026-03-02',
      to_on: '2026-03-04', reason: `${W[side].mk}事假` }), 'leave')).id };
  },
  // a photo of a team's log (uploaded for the team, not yet linked)
  async vfile(side) {
    const t = await MAKE.vteam(side);
    const r = await ok(adm.req('POST', `/api/v1/village-teams/${t.id}/files?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'village file');
    return { id: r.id };
  },
  async user(side) {
    return { id: (await mkUser(side)).id };
  },
  // 述职评议: the 2025 述职 of the secretary of a branch of its own under
  // the side's township (one secretary in office an org; filed by the
  // county's admin), a photo of it; a 驻村工作队's evaluation opened by the
  // county (its village under the township)
  async duty_report(side) {
    const org = await mkOrg(W[side].town, `${W[side].mk}述职${++seq}支部`);
    const m = await mkMember(org, `${W[side].mk}书记${seq}`);
    await ok(adm.post(`/api/v1/orgs/${org}/committee`, { member_id: m, post: 'secretary', started_on: '2024-01-01' }), 'secretary');
    return { id: (await ok(adm.post('/api/v1/duty-reports', { org_id: org, member_id: m, year: 2025,
      report: `${W[side].mk}述职`, filed_on: '2026-01-10' }), 'duty report')).id };
  },
  async duty_file(side) {
    const d = await MAKE.duty_report(side);
    return { id: (await ok(adm.req('POST', `/api/v1/duty-reports/${d.id}/files?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'duty file')).id };
  },
  async vreview(side) {
    const t = await MAKE.vteam(side);
    return { id: (await ok(adm.post(`/api/v1/village-teams/${t.id}/reviews`, { year: 2025, report_on: '2026-01-15',
      report_summary: `${W[side].mk}述职` }), 'village review')).id };
  },
  // 工作任务: a task of the side's township to its branch ({id} of the
  // task-targets routes: the branch's target), a photo of its reply; a
  // notice of the township to its subtree
  async task(side) {
    const t = await ok(adm.post('/api/v1/tasks', { org_id: W[side].town, title: `${W[side].mk}任务${++seq}`, due_on: '2099-12-31',
      targets: { mode: 'orgs', org_ids: [W[side].branch] }, confirm_duplicate: true }), 'task');
    return { id: t.id, target: t.targets[0].id };
  },
  async task_target(side) {
    return { id: (await MAKE.task(side)).target };
  },
  async task_file(side) {
    const t = await MAKE.task_target(side);
    const r = await ok(adm.req('POST', `/api/v1/task-targets/${t.id}/files?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'task file');
    return { id: r.id };
  },
  async notice(side) {
    return { id: (await ok(adm.post('/api/v1/notices', { org_id: W[side].town, title: `${W[side].mk}通知${++seq}` }), 'notice')).id };
  },
  // a manual points item of a member of the branch, proposed by admin and
  // already approved by the branch's own 党务 account: who may decide an
  // item (a member of the branch's committee, neither proposer nor
  // subject) is the domain's rule, tested in tests/api/points.test.mjs;
  // the matrix's principals hold their grants at the township, so a
  // decided item lets their request past every access check to the
  // domain's answer (409: decided already)
  async points_item(side) {
    if (!W[side].pointsBoard) {
      const name = `${side === 'B' ? 'mxleakb' : 'mxa'}_points_board`;
      cliUser(name, 'party_worker', W[side].branch);
      W[side].pointsBoard = await login(name);
    }
    const mb = await mkMember(W[side].branch, `${W[side].mk}积分党员${++seq}`);
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const id = (await ok(adm.post(`/api/v1/orgs/${W[side].branch}/points-items`,
      { member_id: mb, item_key: 'volunteer', date: day, reason: `${W[side].mk}志愿服务${seq}` }), 'points item')).id;
    await ok(W[side].pointsBoard.post(`/api/v1/points-items/${id}/approve`, {}), 'points item approved');
    return { id };
  },
  async notice_file(side) {
    const n = await MAKE.notice(side);
    const r = await ok(adm.req('POST', `/api/v1/notices/${n.id}/files?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'notice file');
    return { id: r.id };
  },
  // 软弱涣散: a new branch of the side's township listed by the root (one
  // listing per branch and year), a measure of its plan, a progress entry
  // with a photo
  async weak_listing(side) {
    const b = await mkOrg(W[side].town, `${W[side].mk}整顿支部${++seq}`);
    return { id: (await ok(adm.post('/api/v1/weak-listings', { org_id: b, year: W.year, reason: `${W[side].mk}手动列入` }),
      'weak listing')).id };
  },
  async weak_measure(side) {
    const l = await MAKE.weak_listing(side);
    return { id: (await ok(adm.post(`/api/v1/weak-listings/${l.id}/measures`,
      { what: `${W[side].mk}措施`, responsible: '支部', due_on: '2099-12-31' }), 'weak measure')).id };
  },
  async weak_progress(side) {
    const l = await MAKE.weak_listing(side);
    const id = (await ok(adm.post(`/api/v1/weak-listings/${l.id}/progress`,
      { on_date: '2024-01-01', text: `${W[side].mk}进展` }), 'weak progress')).id;
    await ok(adm.req('POST', `/api/v1/weak-progress/${id}/file?filename=${W[side].mk}.png`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'weak progress file');
    return { id };
  },
  // a village (a rural branch under a 党委) and a 三务公开 draft of it;
  // {ref} of the public page names the village
  async village(side) {
    const r = await ok(adm.post('/api/v1/orgs', { parent_id: W[side].town, name: `${W[side].mk}公开村${++seq}`, type: 'branch', domain: 'rural' }), 'village');
    return { id: r.id };
  },
  // a draft with one photo ({fid}: the item's routes act on its file)
  async disclosure(side) {
    const v = (await shared('village', side)).id;
    const id = (await ok(adm.post('/api/v1/disclosures',
      { org_id: v, kind: 'finance', period: '2024-01', title: `${W[side].mk}财务公开${++seq}` }), 'disclosure')).id;
    const d = await ok(adm.req('POST', `/api/v1/disclosures/${id}/attachments?caption=${encodeURIComponent(`${W[side].mk}单据`)}`, PNG,
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } }), 'disclosure attachment');
    return { id, fid: d.attachments[0].id };
  },
  // a published item's photo: what the public file route answers for
  // (approved by a second account, as the flow requires)
  async published_file(side) {
    const { id, fid } = await MAKE.disclosure(side);
    if (!W[side].approver) {
      const name = `${side === 'B' ? 'mxleakb' : 'mxa'}_approver`;
      cliUser(name, 'org_admin', W[side].town);
      W[side].approver = await login(name);
    }
    await ok(adm.post(`/api/v1/disclosures/${id}/steps`, { action: 'submit' }), 'submit');
    await ok(W[side].approver.post(`/api/v1/disclosures/${id}/steps`, { action: 'approve', attachments_checked: true }), 'approve');
    await ok(adm.post(`/api/v1/disclosures/${id}/steps`, { action: 'review' }), 'review');
    await ok(adm.post(`/api/v1/disclosures/${id}/steps`, { action: 'publish' }), 'publish');
    return { id: fid };
  },
  async grant(side) {
    return { id: (await mkUser(side)).grant };
  },
  // a privileged grant waiting for a second administrator, asked for by a
  // security administrator at the root (no principal of the matrix is its
  // requester)
  async approval(side) {
    if (!W.requester) {
      cliUser('mx_requester', 'sec_admin', W.root);
      W.requester = await login('mx_requester');
    }
    const u = await mkUser(side);
    const r = await ok(W.requester.post(`/api/v1/users/${u.id}/grants`, { role: 'org_admin', org_id: W[side].branch }), 'approval', 202);
    return { id: r.approval_id };
  },
  // 党费: a payment and a reduction of the side's member, who has a base
  async dues_payment(side) {
    const m = (await shared('member', side)).id;
    await ok(adm.put(`/api/v1/members/${m}/dues-base`, { kind: 'salary', amount: '3000.00', from: '2024-01' }), 'dues base');
    return { id: (await ok(adm.post('/api/v1/dues/payments',
      { member_id: m, months: ['2024-01'], amount: '15.00', paid_on: '2024-02-01', method: 'cash' }), 'dues payment')).id };
  },
  async dues_reduction(side) {
    const m = (await shared('member', side)).id;
    return { id: (await ok(adm.post(`/api/v1/members/${m}/dues-reductions`,
      { kind: 'exempt', from: '2024-03', to: '2024-03', reason: `${W[side].mk}困难`, decided_on: '2024-03-01' }), 'dues reduction')).id };
  },
  // a batch is seen only by its uploader: the principal's own where it may
  // upload one there, else the administrator's
  async import(side, who) {
    const up = (c) => c.req('POST', `/api/v1/imports?org=${W[side].branch}&filename=matrix.csv`, importCsv(++seq),
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    let r = who?.uploader ? await up(who.uploader) : null;
    if (!r || [401, 403, 404].includes(r.status)) r = await up(adm);
    assert.equal(r.status, 201, `import: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id };
  },
  // a 发展党员台账 batch, seen only by its uploader too
  async applicant_import(side, who) {
    const csv = importCsv(++seq).toString().replace('入党日期,转正日期', '申请入党日期,谈话日期').replace('2005-07-01,2006-07-01', '2024-03-01,2024-03-10');
    const up = (c) => c.req('POST', `/api/v1/applicant-imports?org=${W[side].branch}&filename=matrix.csv`, Buffer.from(csv),
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    let r = who?.uploader ? await up(who.uploader) : null;
    if (!r || [401, 403, 404].includes(r.status)) r = await up(adm);
    assert.equal(r.status, 201, `applicant import: ${r.status} ${JSON.stringify(r.body)}`);
    return { id: r.body.id };
  },
};

/** The shared object of a kind on a side (made once; per user where MAKE needs `who`). */
async function shared(kind, side, who) {
  const perUser = MAKE[kind].length > 1;
  const key = perUser ? `${kind}:${who?.user || 'admin'}` : kind;
  W[side].objs ??= {};
  if (!W[side].objs[key]) W[side].objs[key] = await MAKE[kind](side, who);
  return W[side].objs[key];
}

before(async () => {
  srv = await startServer({ env: { ZHIBU_IP_FAIL_LIMIT: '100000' } });
  adm = await admin(srv);
  openapi = (await ok(new Client(srv.url).get('/api/v1/openapi.json'), 'openapi'));
  roles = (await ok(adm.get('/api/v1/roles'), 'roles')).items;
  const root = (await ok(adm.get('/api/v1/orgs'), 'roots')).items[0].id;
  W.root = root;
  W.year = chinaYear();
  for (const side of ['A', 'B']) {
    const w = W[side];
    w.mk = side === 'A' ? '甲矩阵' : '乙矩阵';
    if (side === 'B') {
      // B's township id is A's with a 0 appended: its path /1/20/ starts
      // with the characters of A's /1/2, so a prefix test without the
      // closing slash, or a range without its bound, would let A into B
      for (;;) {
        const id = await mkOrg(W.A.branch, `甲矩阵填充小组${++seq}`, "group");
        if (id + 1 >= W.A.town * 10) break;
      }
    }
    w.town = await mkOrg(root, `${w.mk}镇党委`, 'committee');
    if (side === 'B') assert.equal(String(w.town), `${W.A.town}0`, 'B township id');
    w.branch = await mkOrg(w.town, `${w.mk}村党支部`);
    w.group = await mkOrg(w.branch, `${w.mk}第一党小组`, 'group');
    w.meeting = await shared('meeting', side);
    w.resolution = (await ok(adm.post(`/api/v1/meetings/${w.meeting.id}/resolutions`,
      { title: `${w.mk}决议`, yes: 0, no: 0, abstain: 0 }), 'resolution')).id;
  }
  // every kind of object exists on both sides before the first row, so
  // that lists read by A's principals have B's objects to leak
  for (const side of ['A', 'B']) {
    for (const kind of Object.keys(MAKE)) await shared(kind, side);
    W[side].member = await shared('member', side);
  }
  W.A.spareCadres = [];
  for (let i = 0; i < 12; i++) W.A.spareCadres.push((await MAKE.cadre('A')).id);
  // one principal per role, granted at A's township; roles with a self.*
  // permission are linked to a member record of A
  for (const role of roles) {
    const perms = new Set(role.perms.split(',').filter(Boolean));
    const name = `mx_${role.id}`;
    const self = [...perms].some((p) => p.startsWith('self.'));
    const own = self ? await mkMember(W.A.branch, `甲矩阵${role.id}本人`) : null;
    cliUser(name, role.id, W.A.town, own);
    const client = await login(name);
    P.push({ name: role.id, user: name, perms, client, uploader: client, member: own });
    // the member contacts A's 帮扶 household, so that their own visit to it goes through
    if (own) {
      await ok(adm.post(`/api/v1/aid-households/${W.A.objs.aid_household.id}/pairs`,
        { kind: 'contact', member_id: own, from_on: '2024-01-01' }), 'own aid contact');
    }
  }
  // the role with the most permissions also works through an API token and
  // through a cookie session whose CSRF token is not sent
  const top = [...P].sort((a, b) => b.perms.size - a.perms.size)[0];
  cliUser('mx_token', top.name, W.A.town);
  const tok = cli(['user', 'token', 'mx_token', '--db', srv.db, '--name', 'matrix'], srv.env);
  assert.equal(tok.code, 0, tok.stderr);
  const bearer = new Client(srv.url);
  bearer.bearer = tok.stdout.trim();
  P.unshift({ name: `token(${top.name})`, user: 'mx_token', perms: top.perms, client: bearer, uploader: bearer, bearer: true });
  P.unshift({ name: `no-csrf(${top.name})`, user: top.user, perms: top.perms, client: await login(top.user), uploader: top.client, noCsrf: true });
  // a revoked token is no one: answered like anonymous
  cliUser('mx_revoked', top.name, W.A.town);
  const rt = cli(['user', 'token', 'mx_revoked', '--db', srv.db, '--name', 'revoked'], srv.env);
  assert.equal(rt.code, 0, rt.stderr);
  const tid = /id=(\d+)/.exec(rt.stderr)?.[1];
  assert.ok(tid, `no token id in: ${rt.stderr}`);
  assert.equal(cli(['user', 'token', 'mx_revoked', '--db', srv.db, '--revoke', tid], srv.env).code, 0);
  const revoked = new Client(srv.url);
  revoked.bearer = rt.stdout.trim();
  P.unshift({ name: 'revoked-token', anonymous: true, perms: new Set(), client: revoked, bearer: true });
  P.unshift({ name: 'anonymous', anonymous: true, perms: new Set(), client: new Client(srv.url) });
  cliUser('mx_login', roles[0].id, W.A.town);
});

after(async () => { await srv?.stop(); });

// ---- requests -------------------------------------------------------------

/** The JSON request body schema of a route in the served OpenAPI document. */
function bodySchema(route) {
  const op = openapi.paths[route.pattern]?.[route.method.toLowerCase()];
  return op?.requestBody?.content?.['application/json']?.schema;
}

// The value of an integer body field: ids of the side's objects by name.
function intFor(name, side) {
  if (['org_id', 'parent_id', 'covering_org_id', 'group_id'].includes(name)) return W[side].branch;
  if (name === 'member_id') return W[side].member?.id ?? 0;
  if (name === 'household_id') return W[side].objs?.aid_household?.id ?? 0;
  return 0;
}

/** The value of a path placeholder of kind `kind` naming an object of `side`. */
async function valueOf(kind, name, side, who) {
  if (kind === 'year') return W.year;
  if (kind === 'org') return W[side].branch;
  if (kind === 'designation') return (await shared('member', side)).did;
  if (kind === 'applicant_step') return (await shared('applicant', side)).sid;
  if (kind === 'reserve_trial') return (await shared('reserve_cadre', side)).tid;
  if (kind === 'disclosure_file') return (await shared('published_file', side)).id;
  if (!MAKE[kind]) return undefined;
  const o = await shared(kind, side, who);
  return o[name] ?? o.id;
}

/**
 * Build the request of one cell: route, side ('A', 'B', or null), the
 * object bundle of the route's scope kind (path kinds), and overrides:
 * {missing: true} puts an id that exists nowhere where the scope object goes;
 * {secondary: 'B'} takes the other path placeholders from the other side.
 */
async function buildRequest(route, side, obj, who, opt = {}) {
  const s = side || 'A';
  const kinds = paramKinds(route);
  const scopeKind = PATH_SCOPES[route.scope];
  let path = route.pattern;
  for (const [i, { name, kind }] of kinds.entries()) {
    let v;
    if (i === 0 && scopeKind) v = opt.missing ? MISSING : obj.id;
    else if (scopeKind && !opt.secondary && obj[name] !== undefined) v = obj[name];
    else v = await valueOf(kind, name, opt.secondary || s, who);
    if (v === undefined) throw new Error(`${route.id}: no value for {${name}} (${kind}) on side ${s}`);
    path = path.replace(`{${name}}`, String(v));
  }
  const query = [];
  if (route.scope === 'S_QUERY_ORG') query.push(`org=${opt.missing ? MISSING : W[s].branch}`);
  let body, raw = false;
  if (route.flags.includes('R_RAW')) {
    // an upload: a small PNG (a handler that wants another kind of file
    // refuses it after the access check, which is all a cell asks)
    raw = true;
    body = PNG;
    if (route.query.some((q) => q.name === 'filename')) query.push('filename=matrix.png');
  } else if (route.flags.includes('R_JSON')) {
    const schema = bodySchema(route);
    if (!schema) throw new Error(`${route.id}: R_JSON but no request body in openapi.json`);
    body = {};
    for (const f of schema.required || []) {
      const t = schema.properties[f];
      body[f] = t.type === 'integer' ? intFor(f, s) : t.type === 'number' ? 0 : t.type === 'boolean' ? false
        : t.type === 'array' ? [] : t.type === 'object' ? {} : t.format === 'date' ? '2024-01-01' : 'x';
    }
    if (route.scope === 'S_BODY_ORG') {
      const f = 'org_id' in schema.properties ? 'org_id' : 'parent_id' in schema.properties ? 'parent_id' : null;
      if (!f) throw new Error(`${route.id}: S_BODY_ORG but its body has neither org_id nor parent_id`);
      body[f] = opt.missing ? MISSING : W[s].branch;
    }
    if (route.scope === 'S_BODY_MEMBER') {
      if (!('member_id' in schema.properties)) throw new Error(`${route.id}: S_BODY_MEMBER but its body has no member_id`);
      body.member_id = opt.missing ? MISSING : W[s].member.id;
    }
    // logging in needs a real account, or every caller is turned away
    if (route.flags.includes('R_PUBLIC') && 'username' in schema.properties && 'password' in schema.properties) {
      body.username = 'mx_login';
      body.password = PASSWORD;
    }
  }
  return { method: route.method, path: path + (query.length ? `?${query.join('&')}` : ''), body, raw };
}

async function send(p, req) {
  const o = { csrf: !p.noCsrf };
  if (req.raw) Object.assign(o, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  return p.client.req(req.method, req.path, req.body, o);
}

/** Log a cookie principal in again if a row (logout) ended its session. */
async function keepSession(p) {
  if (p.anonymous || p.bearer) return;
  if ((await p.client.get('/api/v1/auth/me')).status !== 401) return;
  const c = await login(p.user);
  p.client.cookie = c.cookie;
  p.client.csrf = c.csrf;
}

// ---- invariants of the route tables ---------------------------------------

test('every scope kind of the dispatcher is one the matrix can fill', () => {
  const known = [...Object.keys(PATH_SCOPES), ...OTHER_SCOPES];
  const unknown = HTTP.scopes.filter((s) => !known.includes(s));
  assert.deepEqual(unknown, [], `scope kinds unknown to tests/security/matrix-lib.mjs: ${unknown.join(', ')}`);
  const stale = known.filter((s) => !HTTP.scopes.includes(s));
  assert.deepEqual(stale, [], `the matrix knows scope kinds the dispatcher no longer has: ${stale.join(', ')}`);
  assert.ok(ROUTES.length >= 80, `only ${ROUTES.length} routes read from src/api/*.c`);
});

test('the parser read every row of every table the dispatcher tries', () => {
  // the same rows found by a plain search, as tests/api/foundation.test.mjs reads them
  let plain = 0;
  for (const f of readdirSync(join(ROOT, 'src/api')).filter((x) => x.endsWith('.c'))) {
    const src = readFileSync(join(ROOT, 'src/api', f), 'utf8');
    plain += [...src.matchAll(/\{\.method = "(GET|POST|PUT|PATCH|DELETE)",\s*\.pattern = "(\/api\/v1\/[^"]*|\/metrics|\/gk\/[^"]*)"/g)].length;
  }
  assert.equal(ROUTES.length, plain, 'rows read by the parser and by a plain search differ');
  const listed = [...readFileSync(join(ROOT, 'src/api/routes.c'), 'utf8').matchAll(/^\s*(zb_routes_\w+),/gm)].map((m) => m[1]);
  assert.deepEqual([...new Set(ROUTES.map((r) => r.table))].sort(), [...listed].sort(), 'tables in api/routes.c');
  assert.equal(new Set(ROUTES.map((r) => r.id)).size, ROUTES.length, 'a method and pattern twice');
});

test('the route tables and the served OpenAPI document agree', () => {
  const fromSrc = new Set(ROUTES.map((r) => r.id));
  const fromDoc = new Set();
  for (const [path, ops] of Object.entries(openapi.paths)) {
    for (const m of Object.keys(ops)) fromDoc.add(`${m.toUpperCase()} ${path}`);
  }
  assert.deepEqual([...fromDoc].filter((x) => !fromSrc.has(x)), [], 'served routes the matrix did not read from the sources');
  assert.deepEqual([...fromSrc].filter((x) => !fromDoc.has(x)), [], 'routes in the sources missing from openapi.json');
  for (const r of ROUTES) {
    const op = openapi.paths[r.pattern][r.method.toLowerCase()];
    assert.deepEqual([...(op['x-permission'] || [])].sort(), [...r.perm].sort(), `${r.id}: permission`);
    assert.equal(op.security.length === 0, r.flags.includes('R_PUBLIC'), `${r.id}: public in one, not the other`);
  }
});

test('every route is fillable and its flags are consistent', () => {
  const problems = [];
  for (const r of ROUTES) {
    try {
      const kinds = paramKinds(r);
      const want = PATH_SCOPES[r.scope];
      if (want && kinds[0]?.kind !== want) {
        problems.push(`${r.id}: scope ${r.scope} takes a ${want} id from {${kinds[0]?.name}}, but the path names a ${kinds[0]?.kind ?? 'nothing'} there`);
      }
      if (kinds.some((k) => !MAKE[k.kind] && !['year', 'org', 'designation', 'applicant_step', 'reserve_trial', 'disclosure_file'].includes(k.kind))) problems.push(`${r.id}: no maker for ${kinds.map((k) => k.kind)}`);
    } catch (e) { problems.push(e.message); }
    if (r.method !== 'GET' && !r.flags.includes('R_PUBLIC') && !r.flags.includes('R_WRITE')) {
      problems.push(`${r.id}: changes state but lacks R_WRITE (no CSRF check for cookie sessions)`);
    }
    if (r.method === 'GET' && r.flags.includes('R_WRITE')) problems.push(`${r.id}: a GET marked R_WRITE`);
    if (r.flags.includes('R_WRITE') && r.perm.length && r.perm.every((p) => p.endsWith('.read'))) {
      problems.push(`${r.id}: changes state with only a read permission (${r.perm})`);
    }
    if (r.flags.includes('R_PUBLIC') && r.perm.length) problems.push(`${r.id}: public yet needs ${r.perm}`);
    if (r.flags.includes('R_PUBLIC') && r.scope !== 'S_NONE') problems.push(`${r.id}: public yet scoped ${r.scope}`);
  }
  assert.deepEqual(problems, []);
});

test('every permission a route needs is a permission some role can hold', () => {
  const held = new Set(roles.flatMap((r) => r.perms.split(',')));
  const orphan = ROUTES.filter((r) => r.perm.some((p) => !held.has(p))).map((r) => `${r.id} (${r.perm})`);
  assert.deepEqual(orphan, [], 'routes no role can ever use');
});

// ---- the matrix: one test per route ---------------------------------------

// Routes whose answer depends on a state the shared objects lack: the state
// is set up before the route's cells (through the API, as admin) and undone
// after them; the function returns the undoing.
const ymd = (d) => d.toISOString().slice(0, 10);
const STATE = {
  // the 证明信 of a registration (never registered is a 404 of its own)
  async 'GET /api/v1/members/{id}/mobile/paper'() {
    const day = (n) => ymd(new Date(Date.now() + n * 86400e3));
    const ids = [];
    for (const side of ['A', 'B']) {
      const { id } = await shared('member', side);
      await ok(adm.post(`/api/v1/members/${id}/mobile`, { destination: `${W[side].mk}外出地`, left_on: day(-10), until_on: day(100),
        care_org_name: `${W[side].mk}流入地支部`, paper_no: `${W[side].mk}证明信1` }), 'mobile');
      ids.push(id);
    }
    return async () => { for (const id of ids) await ok(adm.post(`/api/v1/members/${id}/mobile/end`, {}), 'mobile end'); };
  },
};

for (const route of ORDERED) {
  test(`matrix ${route.id}`, async () => {
    const undo = await STATE[route.id]?.();
    const problems = [];
    const row = {};
    results.set(route.id, row);
    const scopeKind = PATH_SCOPES[route.scope];
    const sides = route.scope === 'S_NONE' ? [null] : ['A', 'B'];
    const write = route.method !== 'GET';
    for (const p of P) {
      row[p.name] = {};
      for (const side of sides) {
        const want = expected(route, p, side);
        let obj;
        if (scopeKind) {
          // a write that passes acts on a throwaway object
          if (write && want === 'pass') { obj = await MAKE[scopeKind](side, p); fresh++; } else obj = await shared(scopeKind, side, p);
        }
        const req = await buildRequest(route, side, obj, p);
        const res = await send(p, req);
        cells++;
        const got = [401, 403, 404].includes(res.status) ? res.status : 'pass';
        row[p.name][side || 'A'] = got;
        const where = `${p.name} ${side ? `in ${side} ` : ''}${req.method} ${req.path}`;
        if (res.status >= 500) problems.push(`${where}: ${res.status} ${JSON.stringify(res.body)}`);
        else if (got !== want && !(want === 'pass-or-404' && (got === 'pass' || got === 404))) problems.push(`${where}: want ${want}, got ${res.status} ${JSON.stringify(res.body)}`);
        if (want === 403 && p.noCsrf && route.flags.includes('R_WRITE') && res.body?.error?.code !== 'csrf_failed') {
          problems.push(`${where}: refused, but not for the missing CSRF token: ${JSON.stringify(res.body)}`);
        }
        // nothing of B in any answer to a principal of A
        if (side !== 'B') {
          const text = Buffer.isBuffer(res.body) ? res.body.toString('utf8') : JSON.stringify(res.body);
          leakChecks++;
          for (const m of LEAK_B) if (text.includes(m)) problems.push(`${where}: answer shows B's "${m}": ${text.slice(0, 300)}`);
        }
        // out of scope and not there at all must look the same
        if (want === 404) {
          const miss = await send(p, await buildRequest(route, side, obj, p, { missing: true }));
          oracleChecks++;
          if (miss.status !== 404 || JSON.stringify(miss.body) !== JSON.stringify(res.body)) {
            problems.push(`${where}: out of scope answers ${res.status} ${JSON.stringify(res.body)}, a missing id ${miss.status} ${JSON.stringify(miss.body)}`);
          }
        }
        // the route's other placeholders taken from B, the object from A
        if (want === 'pass' && side === 'A' && scopeKind && paramKinds(route).slice(1).some((k) => k.kind !== 'year')) {
          const o2 = write ? await MAKE[scopeKind]('A', p) : obj;
          const mixed = await send(p, await buildRequest(route, 'A', o2, p, { secondary: 'B' }));
          mixedChecks++;
          if (mixed.status !== 404) {
            problems.push(`${where}: with parts taken from B answers ${mixed.status} ${JSON.stringify(mixed.body)}, want 404`);
          }
        }
      }
      if (write) await keepSession(p);
    }
    if (undo) await undo();
    assert.deepEqual(problems, [], `${route.id} (${route.scope}, ${route.perm.join('+') || 'no permission'}, ${route.flags.join('|') || 'read'})`);
  });
}

// ---- references to other objects in a body ----------------------------------

// What an id field of a body names; one the matrix does not know stops it.
function refKind(field) {
  if (field === 'member_id' || field === 'member_ids') return 'member';
  if (field === 'meeting_id') return 'meeting';
  if (field === 'group_id') return 'group';
  if (field === 'resolution_id') return 'resolution';
  if (/(^|_)org_ids?$/.test(field) || field === 'parent_id') return 'org';
  return REF_BY_FIELD[field] || null;
}
// body fields naming objects that have a maker: their shared object
const REF_BY_FIELD = { unit_id: 'dunit', user_id: 'user', cadre_id: 'cadre', team_id: 'vteam', posting_id: 'vposting',
  household_id: 'aid_household' };
// The objects of a kind on a side a reference may point at (orgs: the
// township and the branch, which handlers treat differently).
function refValues(kind, side) {
  if (kind === 'member') return [W[side].member.id];
  if (kind === 'meeting') return [W[side].meeting.id];
  if (kind === 'group') return [W[side].group];
  if (kind === 'resolution') return [W[side].resolution];
  if (Object.values(REF_BY_FIELD).includes(kind)) return [W[side].objs[kind].id];
  return [W[side].branch, W[side].town];
}
// Bodies the generic filler cannot make valid, for the routes that carry a
// reference: with them the request pointing into A succeeds, so a refusal
// of the one pointing into B is for the reference alone.
const VALID = {
  // a posting at the village of A's team, by a cadre not posted yet
  'POST /api/v1/village-postings': () => ({ org_id: W.A.objs.vteam.org, cadre_id: W.A.spareCadres.pop(), role: 'member',
    started_on: '2026-01-01', term_ends_on: '2028-01-01' }),
  // a day of its own on the posting
  'POST /api/v1/village-leaves': () => {
    const d = new Date(Date.UTC(2026, 0, 2) + (++seq) * 864e5).toISOString().slice(0, 10);
    return { kind: 'trip', from_on: d, to_on: d, reason: '出差' };
  },
  'POST /api/v1/members': () => ({ name: '甲矩阵新党员', category: 'full', join_date: '2010-07-01', full_date: '2011-07-01' }),
  'POST /api/v1/orgs/{id}/committee': () => ({ post: 'member', started_on: '2020-01-01' }),
  'POST /api/v1/units': () => ({ name: '甲矩阵新公司', kind: 'enterprise', coverage: 'single' }),
  'PATCH /api/v1/units/{id}': () => ({ coverage: 'single' }),
  'POST /api/v1/users': () => ({ username: `mxa_new${++seq}`, password: PASSWORD }),
  'PUT /api/v1/orgs/{id}/appraisals/{year}': () => ({ items: [] }),
  // a member of the other branch, so that A's branch can receive them
  'POST /api/v1/transfers': () => ({ member_id: W.A.destMember, dues_paid_to: '2026-01' }),
  'POST /api/v1/orgs/{id}/dues/bulk': () => ({ month: '2024-01', paid_on: '2024-02-01', method: 'cash' }),
  'POST /api/v1/aid-areas': () => ({ name: `甲矩阵责任区${++seq}` }),
};
// Defects the matrix has found in code it does not own, each to be fixed
// there; an entry whose defect is gone fails, so that it is removed.
const KNOWN = {
};
let refChecks = 0;
const idText = (body, v) => JSON.stringify(body).replace(new RegExp(`(?<![0-9])${v}(?![0-9])`, 'g'), '<id>');

test('the KNOWN defects name routes that exist', () => {
  const ids = new Set(ROUTES.map((r) => r.id));
  const stale = [...Object.keys(KNOWN), ...Object.keys(VALID).map((k) => `${k} x`)]
    .map((k) => k.slice(0, k.lastIndexOf(' '))).filter((k) => !ids.has(k));
  assert.deepEqual(stale, []);
});

// one test per write route with a JSON body: every id field of the body
// other than the one the route is scoped by, pointed into A (must work),
// into B and at an id that does not exist (both refused, alike)
for (const route of ORDERED.filter((r) => r.flags.includes('R_JSON') && r.method !== 'GET' && !r.flags.includes('R_PUBLIC'))) {
  test(`references from A into B: ${route.id}`, async (t) => {
    const problems = [], known = [];
    const schema = bodySchema(route);
    const scopeField = route.scope === 'S_BODY_ORG' ? ('org_id' in schema.properties ? 'org_id' : 'parent_id')
      : route.scope === 'S_BODY_MEMBER' ? 'member_id' : null;
    const p = P.find((x) => !x.noCsrf && !x.anonymous && expected(route, x, 'A') === 'pass');
    if (!p) return;
    const scopeKind = PATH_SCOPES[route.scope];
    for (const [field, ft] of Object.entries(schema.properties)) {
      if (field === scopeField || !/_ids?$/.test(field)) continue;
      const kind = refKind(field);
      if (!kind) { problems.push(`the matrix does not know what the body field ${field} names`); continue; }
      const found = [];
      const attempt = async (v) => {
        // an org's own routes act on A's branch, where A's member and meeting are
        const obj = route.scope === 'S_ORG' ? { id: W.A.branch } : scopeKind ? await MAKE[scopeKind]('A', p) : undefined;
        const req = await buildRequest(route, route.scope === 'S_NONE' ? null : 'A', obj, p);
        Object.assign(req.body, VALID[route.id]?.() || {});
        req.body[field] = ft.type === 'array' ? [v] : v;
        const res = await send(p, req);
        return { req, res, text: idText(res.body, v), where: `${p.name} ${req.method} ${req.path} ${JSON.stringify(req.body)}` };
      };
      // pointing into A is not refused for the reference (it may be for
      // another reason: a post already held, an org already a member)
      const tries = [];
      for (const v of refValues(kind, 'A')) tries.push(await attempt(v));
      const fine = (x) => x.res.status < 300 || (x.res.status !== 404 && x.res.body?.error?.field !== field);
      if (!tries.some(fine)) {
        found.push(`${tries[0].where}: the same body pointing into A is refused (${tries[0].res.status} ${tries[0].text}); give the route a VALID body`);
      }
      const miss = await attempt(MISSING);
      for (const v of refValues(kind, 'B')) {
        const b = await attempt(v);
        refChecks++;
        if (b.res.status < 400 || b.res.status >= 500) found.push(`${b.where}: ${b.res.status} ${b.text.slice(0, 200)}`);
        else if (b.res.status !== miss.res.status || b.text !== miss.text) {
          found.push(`${b.where}: answers ${b.res.status} ${b.text}, a missing id ${miss.res.status} ${miss.text}`);
        }
        for (const m of LEAK_B) if (b.text.includes(m)) found.push(`${b.where}: the answer shows B's "${m}"`);
      }
      const k = `${route.id} ${field}`;
      if (KNOWN[k]) {
        if (!found.length) problems.push(`KNOWN lists "${k}" but it is refused like a missing id now: remove the entry`);
        else known.push(`${KNOWN[k]}: ${found.join('; ')}`);
      } else problems.push(...found);
    }
    assert.deepEqual(problems, []);
    if (known.length) {
      t.todo(`known defect: ${known.map((x) => x.slice(0, 160)).join(' | ')}`);
      assert.fail(known.join('\n'));
    }
  });
}

// Query parameters that name objects, besides ?org= of S_QUERY_ORG routes.
const QUERY_REF = { under: 'org', user: 'user' };
function queryRefs(route) {
  return route.query.filter((q) => q.type === 'integer')
    .map((q) => q.name).filter((n) => !(n === 'org' && route.scope === 'S_QUERY_ORG'))
    .map((n) => ({ name: n, kind: QUERY_REF[n] || refKind(n) })).filter((q) => q.kind || /_ids?$/.test(q.name));
}

// one test per read route: a query parameter naming an object, pointed into
// B, gives what an id that does not exist gives, and nothing of B
for (const route of ORDERED.filter((r) => r.method === 'GET' && queryRefs(r).length)) {
  test(`query references from A into B: ${route.id}`, async () => {
    const problems = [];
    for (const p of P.filter((x) => !x.anonymous && !x.noCsrf && expected(route, x, 'A') === 'pass')) {
      for (const q of queryRefs(route)) {
        if (!q.kind) { problems.push(`the matrix does not know what the query parameter ${q.name} names`); continue; }
        const vals = q.kind === 'user' ? [(await shared('user', 'B')).id] : refValues(q.kind, 'B');
        const obj = PATH_SCOPES[route.scope] ? await shared(PATH_SCOPES[route.scope], 'A', p) : undefined;
        const req = await buildRequest(route, route.scope === 'S_NONE' ? null : 'A', obj, p);
        const withQ = (v) => ({ ...req, path: `${req.path}${req.path.includes('?') ? '&' : '?'}${q.name}=${v}` });
        const miss = await send(p, withQ(MISSING));
        for (const v of vals) {
          const b = await send(p, withQ(v));
          refChecks++;
          const where = `${p.name} ${withQ(v).path}`;
          const bt = idText(b.body, v), mt = idText(miss.body, MISSING);
          if (b.status >= 500) problems.push(`${where}: ${b.status} ${bt}`);
          else if (b.status !== miss.status || bt !== mt) problems.push(`${where}: answers ${b.status} ${bt.slice(0, 300)}, a missing id ${miss.status} ${mt.slice(0, 300)}`);
          for (const m of LEAK_B) if (bt.includes(m)) problems.push(`${where}: the answer shows B's "${m}"`);
        }
      }
    }
    assert.deepEqual(problems, []);
  });
}

// ---- the summary ------------------------------------------------------------

test('every route has a row and every principal a column; the matrix as a table', () => {
  const missing = ROUTES.filter((r) => !results.has(r.id)).map((r) => r.id);
  assert.deepEqual(missing, [], 'routes without a row');
  const cols = P.map((p) => p.name);
  const w = Math.max(...ROUTES.map((r) => r.id.length));
  const lines = ['access matrix: per principal, the answer in A then in B (P let through, 1 = 401, 3 = 403, 4 = 404; one mark for routes without an object)'];
  cols.forEach((c, i) => lines.push(`  column ${i + 1}: ${c}`));
  lines.push(`${'route'.padEnd(w)}  ${cols.map((_, i) => String(i + 1).padEnd(3)).join('')}`);
  for (const r of ORDERED) {
    const row = results.get(r.id);
    lines.push(`${r.id.padEnd(w)}  ${cols.map((c) => (mark(row[c]?.A) + (r.scope === 'S_NONE' ? '' : mark(row[c]?.B))).padEnd(3)).join('')}`);
    for (const c of cols) assert.ok(row[c], `${r.id}: no cell for ${c}`);
  }
  lines.push(`${ROUTES.length} routes x ${cols.length} principals: ${cells} cells, ${oracleChecks} out-of-scope 404s compared with a missing id, ` +
    `${mixedChecks} requests mixing A and B objects in the path, ${refChecks} references from A into B in bodies and queries, ${leakChecks} answers searched for B's names, ${fresh} throwaway objects`);
  console.log(lines.join('\n'));
  assert.ok(cells >= ROUTES.length * cols.length);
});
