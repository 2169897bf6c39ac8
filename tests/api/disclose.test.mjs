// 三务公开 over HTTP (docs/DISCLOSURE.md): drafts at a village, the flow in
// its order (submit, the branch's approval by another account, the
// township's review, publish), refusals back to draft, withdrawal with a
// reason kept in the history; ID and mobile numbers refused before
// approval; the public list and page (no login, no cookie, only the
// village's published items, 404 for what is not a village); the overdue
// list of a subtree; and the scope of every route.  The village's own
// party_worker (meeting.write) drafts, submits, approves and publishes;
// the township's review and a withdrawal need org.write.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck, Client } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, drafter, approver, township, outsider, reader, aud, worker, worker2;
let T, V, V2, G, T2, W;
const year = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
const last = year - 1;
// a checksum-valid fictional ID number, and the same with a wrong check character
const ID = withCheck('99010119800307123');
const BAD_ID = ID.slice(0, 17) + (ID[17] === '0' ? '1' : '0');

async function mkOrg(parent, name, type, extra = {}) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

const finance = (rows) => [{ title: '财务收支明细', columns: ['日期', '摘要', '收入', '支出'], rows }];

async function draft(c, body, org = V) {
  const r = await c.post('/api/v1/disclosures', { org_id: org, ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function step(c, id, action, reason, status = 200) {
  const r = await c.post(`/api/v1/disclosures/${id}/steps`, reason ? { action, reason } : { action });
  assert.equal(r.status, status, `${action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function publish(id) {
  await step(drafter, id, 'submit');
  await step(approver, id, 'approve');
  await step(township, id, 'review');
  return step(drafter, id, 'publish');
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  T = await mkOrg(1, '中共测试镇委员会', 'committee', { domain: 'rural' });
  V = await mkOrg(T, '中共东湾村支部委员会', 'branch', { domain: 'rural', code: 'DWC' });
  V2 = await mkOrg(T, '中共西湾村支部委员会', 'branch', { domain: 'rural' });
  G = await mkOrg(V, '东湾村第一党小组', 'group', { domain: 'rural' });
  T2 = await mkOrg(1, '中共别镇委员会', 'committee', { domain: 'rural' });
  W = await mkOrg(T2, '中共别村支部委员会', 'branch', { domain: 'rural' });
  addUser(srv, 'dsdraft', 'org_admin', V);
  addUser(srv, 'dsapprove', 'org_admin', V);
  addUser(srv, 'dstown', 'org_admin', T);
  addUser(srv, 'dsout', 'org_admin', W);
  // org.read without meeting.write: reads the items, moves none on
  sql(srv.db, "INSERT INTO roles (id, name, perms, builtin) VALUES ('ds_viewer', '三务查看', 'org.read,meeting.read', 0)");
  addUser(srv, 'dsread', 'ds_viewer', V);
  addUser(srv, 'dsworker', 'party_worker', V);
  addUser(srv, 'dsworker2', 'party_worker', V);
  addUser(srv, 'dsaud', 'audit_admin', 1);
  drafter = await loginAs(srv, 'dsdraft');
  approver = await loginAs(srv, 'dsapprove');
  township = await loginAs(srv, 'dstown');
  outsider = await loginAs(srv, 'dsout');
  reader = await loginAs(srv, 'dsread');
  aud = await loginAs(srv, 'dsaud');
  worker = await loginAs(srv, 'dsworker');
  worker2 = await loginAs(srv, 'dsworker2');
});

after(async () => { await srv?.stop(); });

test('the flow in order: no publish before the approval and the review, each step in the history', async () => {
  const d = await draft(drafter, {
    kind: 'finance', period: `${last}-03`, title: `${last}年3月财务收支`, body: '本月收支如下。',
    tables: finance([['03-05', '道路维修', 0, 1200.5], ['03-20', '上级补助', 5000, 0]]),
  });
  assert.equal(d.status, 'draft');
  assert.equal(d.deadline, `${last}-04-10`);
  assert.equal(d.tables[0].rows.length, 2);
  // out of order: each refused with the state it is in, nothing written
  let r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'publish' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /支部审核与乡镇审核/);
  r = await township.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'review' });
  assert.equal(r.status, 409);
  await step(drafter, d.id, 'submit');
  r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'publish' });
  assert.equal(r.status, 409);
  // the drafter does not approve their own item
  r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'approve' });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /起草人以外/);
  await step(approver, d.id, 'approve');
  r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'publish' });
  assert.equal(r.status, 409, 'approved but not reviewed');
  // the review is the township's: the village's accounts are refused
  r = await approver.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'review' });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /中共测试镇委员会/);
  await step(township, d.id, 'review');
  const p = await step(drafter, d.id, 'publish');
  assert.equal(p.status, 'published');
  assert.equal(p.late, true, 'a period of last year published today is late');
  assert.deepEqual(p.history.map((h) => h.action), ['create', 'submit', 'approve', 'review', 'publish']);
  assert.deepEqual(p.history.map((h) => h.by), ['dsdraft', 'dsdraft', 'dsapprove', 'dstown', 'dsdraft'], 'history names the actors');
  assert.ok(p.history.every((h) => h.at > 0));
  // a published item is not edited
  r = await drafter.patch(`/api/v1/disclosures/${d.id}`, { title: '改' });
  assert.equal(r.status, 409);
  // every step audited
  const a = await aud.get('/api/v1/audit?limit=200&object_type=disclosure');
  assert.equal(a.status, 200);
  const acts = a.body.items.filter((x) => x.object_id === String(d.id)).map((x) => x.action).sort();
  assert.deepEqual(acts, ['disclosure.approve', 'disclosure.create', 'disclosure.publish', 'disclosure.review', 'disclosure.submit']);
});

test('the village\'s party_worker drafts and submits, a second approves, the township reviews', async () => {
  const d = await draft(worker, { kind: 'finance', period: `${last}-05`, title: `${last}年5月财务收支`, body: '草稿' });
  assert.equal(d.created_by_name, 'dsworker');
  const e = await worker.patch(`/api/v1/disclosures/${d.id}`, { body: '本月收支如下。', tables: finance([['05-08', '办公用品', 0, 86]]) });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  await step(worker, d.id, 'submit');
  let q = await worker2.get(`/api/v1/orgs/${V}/disclosure-queue`);
  assert.equal(q.status, 200);
  assert.equal(q.body.items.find((x) => x.id === d.id).can_approve, true);
  assert.equal((await step(worker, d.id, 'approve', null, 403)).error.message, '支部审核须由起草人以外的人进行');
  await step(worker2, d.id, 'approve');
  // the review stays the township's: org.write at the 乡镇党委
  q = await worker2.get(`/api/v1/orgs/${V}/disclosure-queue`);
  assert.equal(q.body.items.find((x) => x.id === d.id).can_review, false);
  assert.match((await step(worker2, d.id, 'review', null, 403)).error.message, /中共测试镇委员会/);
  assert.match((await step(worker, d.id, 'refuse', '再议', 403)).error.message, /中共测试镇委员会/);
  await step(township, d.id, 'review');
  const p = await step(worker, d.id, 'publish');
  assert.equal(p.status, 'published');
  assert.deepEqual(p.history.map((h) => h.by), ['dsworker', 'dsworker', 'dsworker', 'dsworker2', 'dstown', 'dsworker']);
  // withdrawing what was published needs org.write at the village
  const w = await step(worker, d.id, 'withdraw', '有误', 403);
  assert.equal(w.error.field, 'action');
  assert.equal((await step(drafter, d.id, 'withdraw', '有误')).status, 'withdrawn');
});

test('a refusal sends it back to draft with its reason; the reason is required', async () => {
  const d = await draft(drafter, { kind: 'village', period: `${last}-Q2`, title: `${last}年第二季度村务公开`, body: '低保评议结果。' });
  await step(drafter, d.id, 'submit');
  let r = await approver.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'refuse' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  const back = await step(approver, d.id, 'refuse', '缺少评议会议的日期');
  assert.equal(back.status, 'draft');
  assert.equal(back.history.at(-1).reason, '缺少评议会议的日期');
  // edited, submitted and approved again; refused by the township too
  const e = await drafter.patch(`/api/v1/disclosures/${d.id}`, { body: '低保评议结果（2 月 3 日村民代表会议）。' });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  await step(drafter, d.id, 'submit');
  await step(approver, d.id, 'approve');
  r = await approver.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'refuse', reason: '村里自己退回' });
  assert.equal(r.status, 403, 'refusing an approved item is the township\'s');
  const t = await step(township, d.id, 'refuse', '请附评议名单');
  assert.equal(t.status, 'draft');
  assert.deepEqual(t.history.map((h) => h.action), ['create', 'submit', 'refuse', 'edit', 'submit', 'approve', 'refuse']);
});

test('withdrawal needs a reason, keeps the history and leaves the public list', async () => {
  const d = await draft(drafter, { kind: 'party', period: `${last}-Q1`, title: `${last}年第一季度党务公开`, body: '发展党员 1 名。' });
  await publish(d.id);
  let pub = await new Client(srv.url).get(`/api/v1/public/disclosures?org=${V}`);
  assert.ok(pub.body.items.some((x) => x.id === d.id));
  let r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'withdraw' });
  assert.equal(r.status, 400);
  const w = await step(drafter, d.id, 'withdraw', '误将草稿内容公开');
  assert.equal(w.status, 'withdrawn');
  assert.equal(w.withdraw_reason, '误将草稿内容公开');
  assert.deepEqual(w.history.map((h) => h.action), ['create', 'submit', 'approve', 'review', 'publish', 'withdraw']);
  pub = await new Client(srv.url).get(`/api/v1/public/disclosures?org=${V}`);
  assert.ok(!pub.body.items.some((x) => x.id === d.id), 'withdrawn: not public');
  const internal = await reader.get(`/api/v1/orgs/${V}/disclosures?status=withdrawn`);
  assert.ok(internal.body.items.some((x) => x.id === d.id && x.status === 'withdrawn'), 'shown as withdrawn inside');
  r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'publish' });
  assert.equal(r.status, 409, 'a withdrawn item is not published again');
});

test('ID and mobile numbers are refused before approval, naming where; masked ones and a wrong check digit pass', async () => {
  const d = await draft(drafter, {
    kind: 'finance', period: `${last}-05`, title: `${last}年5月财务收支`, body: `领款人身份证 ${ID}`,
  });
  let r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'submit' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'body');
  assert.match(r.body.error.message, /正文.*身份证号/);
  await drafter.patch(`/api/v1/disclosures/${d.id}`, {
    body: '领款人见下表。',
    tables: finance([['05-02', '补贴', 0, 300], ['05-09', '联系电话 139-1234-5678', 0, 10]]),
  });
  r = await drafter.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'submit' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'tables[0].rows[1][1]');
  assert.match(r.body.error.message, /第 1 张表第 2 行第 2 列.*手机号/);
  await drafter.patch(`/api/v1/disclosures/${d.id}`, {
    body: `编号 ${BAD_ID}，领款人身份证 ${ID.slice(0, 6)}********${ID.slice(14)}`,
    tables: finance([['05-02', '补贴', 0, 300], ['05-09', '联系电话 139****5678', 0, 10]]),
  });
  await step(drafter, d.id, 'submit');
  // a number that slipped in after submitting (straight into the database)
  // is caught again at approval
  sql(srv.db, `UPDATE disclosures SET title = '手机 13912345678' WHERE id = ${d.id}`);
  r = await approver.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'approve' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'title');
  assert.equal((await approver.get(`/api/v1/disclosures/${d.id}`)).body.status, 'submitted');
});

test('input: kind, period by the rule, tables shape; only a village drafts', async () => {
  const bad = async (body, field, org = V) => {
    const r = await drafter.post('/api/v1/disclosures', { org_id: org, kind: 'finance', period: `${year}-01`, title: 't', ...body });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
    return r.body.error.message;
  };
  await bad({ kind: 'money' }, 'kind');
  assert.match(await bad({ period: `${year}-Q1` }, 'period'), /财务按月公开/);
  assert.match(await bad({ kind: 'village', period: `${year}-03` }, 'period'), /村务按季度公开/);
  await bad({ kind: 'village', period: `${year}-03-15` }, 'period');
  await bad({ period: `${year}-13` }, 'period');
  await bad({ tables: [{ columns: ['a', 'b'], rows: [['1']] }] }, 'tables[0].rows[0]');
  await bad({ tables: [{ columns: [], rows: [] }] }, 'tables[0]');
  // a 党务 event is dated
  const ev = await draft(drafter, { kind: 'party', period: `${year}-03-15`, title: '党员大会选举结果' });
  assert.equal(ev.deadline, null);
  // the group under the village, the township: not villages
  let r = await adm.post('/api/v1/disclosures', { org_id: G, kind: 'finance', period: `${year}-01`, title: 't' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不是村级党组织/);
  r = await adm.post('/api/v1/disclosures', { org_id: T, kind: 'finance', period: `${year}-01`, title: 't' });
  assert.equal(r.status, 400);
});

test('GET /api/v1/public/disclosures?org= needs no login, sets no cookie, lists only the village\'s published items', async () => {
  const pubd = await draft(drafter, { kind: 'finance', period: `${last}-07`, title: '七月收支<script>alert(1)</script>',
    tables: finance([['07-01', '<b>修桥</b>', 0, 800]]) });
  await publish(pubd.id);
  const dr = await draft(drafter, { kind: 'finance', period: `${last}-08`, title: '八月草稿不公开' });
  // the sibling village publishes too: drafted by the county, approved
  // and reviewed by the township, published by the county
  const other = await draft(adm, { kind: 'finance', period: `${last}-07`, title: '西湾村七月' }, V2);
  await step(adm, other.id, 'submit');
  await step(township, other.id, 'approve');
  await step(township, other.id, 'review');
  await step(adm, other.id, 'publish');
  const wv = await draft(outsider, { kind: 'finance', period: `${last}-07`, title: '别村七月' }, W);
  const anon = new Client(srv.url);
  const r = await anon.get(`/api/v1/public/disclosures?org=${V}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('set-cookie'), null);
  assert.match(r.headers.get('cache-control'), /public/);
  assert.equal(r.body.org.id, V);
  const ids = r.body.items.map((x) => x.id);
  assert.ok(ids.includes(pubd.id));
  assert.ok(!ids.includes(dr.id), 'a draft is absent');
  assert.ok(!ids.includes(other.id) && !ids.includes(wv.id), 'nothing of another village');
  assert.ok(r.body.items.every((x) => x.org_id === V && x.published_on));
  assert.ok(!JSON.stringify(r.body).includes('status'), 'no internal state');
  // by code as well
  assert.equal((await anon.get('/api/v1/public/disclosures?org=DWC')).body.org.id, V);
  // not a village, none, or missing: 404 / 400 alike for anyone
  for (const org of [T, G, 1, 999999, 'NOPE']) {
    assert.equal((await anon.get(`/api/v1/public/disclosures?org=${org}`)).status, 404, `org ${org}`);
  }
  assert.equal((await anon.get('/api/v1/public/disclosures')).status, 400);
});

test('the public page: HTML without script, escaped, only published items, no ID or mobile numbers, 404 otherwise', async () => {
  const res = await fetch(`${srv.url}/gk/${V}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/html/);
  assert.equal(res.headers.get('set-cookie'), null);
  assert.match(res.headers.get('cache-control'), /public, max-age=\d+/);
  const html = await res.text();
  assert.ok(!/<script/i.test(html.replace(/&lt;script&gt;/g, '')), 'no script element');
  assert.ok(html.includes('七月收支&lt;script&gt;'), 'titles escaped');
  assert.ok(html.includes('&lt;b&gt;修桥&lt;/b&gt;'), 'cells escaped');
  assert.ok(!html.includes('八月草稿不公开') && !html.includes('西湾村七月') && !html.includes('别村七月'));
  assert.ok(/@media print/.test(html), 'a print stylesheet');
  assert.ok(!html.includes(ID) && !/(?<!\d)1[3-9]\d{9}(?!\d)/.test(html), 'no ID or mobile number');
  assert.equal((await fetch(`${srv.url}/gk/DWC`)).status, 200);
  for (const ref of [T, G, 999999, 'NOPE', 'x'.repeat(80)]) {
    const x = await fetch(`${srv.url}/gk/${ref}`);
    assert.equal(x.status, 404, `ref ${ref}`);
    assert.match(x.headers.get('content-type'), /text\/html/);
  }
  // a session cookie sent along changes nothing and sets nothing
  const c = await loginAs(srv, 'dsread');
  const withCookie = await fetch(`${srv.url}/gk/${V}`, { headers: { Cookie: c.cookie } });
  assert.equal(withCookie.headers.get('set-cookie'), null);
  assert.equal(await withCookie.text(), html);
});

test('the board sheet: a QR code of the public page', async () => {
  const r = await reader.get(`/api/v1/orgs/${V}/disclosure-board`);
  assert.equal(r.status, 200);
  const html = r.body.toString();
  assert.match(html, /<svg[^>]*viewBox/);
  assert.ok(html.includes('/gk/DWC'), 'points at the page by the village\'s code');
  assert.equal((await reader.get(`/api/v1/orgs/${T}/disclosure-board`)).status, 404, 'a township is outside the reader\'s grant');
  assert.equal((await adm.get(`/api/v1/orgs/${T}/disclosure-board`)).status, 400, 'a township has no board');
});

test('overdue: each ended period past its deadline without a published item, per village of the subtree', async () => {
  const r = await township.get(`/api/v1/orgs/${T}/disclosure-overdue?year=${last}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const of = (org, kind) => r.body.items.filter((x) => x.org_id === org && x.kind === kind).map((x) => x.period);
  // V published 财务 for March and July of last year, 党务 Q1 was withdrawn
  assert.equal(of(V, 'finance').length, 10);
  assert.ok(!of(V, 'finance').includes(`${last}-03`) && !of(V, 'finance').includes(`${last}-07`));
  assert.deepEqual(of(V, 'party'), [`${last}-Q1`, `${last}-Q2`, `${last}-Q3`, `${last}-Q4`]);
  assert.equal(of(V, 'village').length, 4);
  assert.ok(r.body.items.every((x) => x.org_id !== W), 'nothing outside the subtree');
  assert.ok(r.body.items.every((x) => x.org_id !== G), 'a group is not a village');
  assert.equal(r.body.villages_overdue, 2);
  const dec = r.body.items.find((x) => x.org_id === V && x.period === `${last}-12`);
  assert.equal(dec.deadline, `${year}-01-10`);
  // this year: only periods whose deadline has passed
  const now = await township.get(`/api/v1/orgs/${T}/disclosure-overdue`);
  const today = now.body.today;
  assert.ok(now.body.items.every((x) => x.deadline < today));
  // the county sees both townships
  const county = await adm.get(`/api/v1/orgs/1/disclosure-overdue?year=${last}`);
  assert.ok(county.body.items.some((x) => x.org_id === W));
});

test('scope: every route refuses outside the caller\'s subtree', async () => {
  const d = await draft(drafter, { kind: 'finance', period: `${last}-09`, title: '九月' });
  for (const [m, p, b] of [
    ['GET', `/api/v1/disclosures/${d.id}`],
    ['PATCH', `/api/v1/disclosures/${d.id}`, { title: 'x' }],
    ['POST', `/api/v1/disclosures/${d.id}/steps`, { action: 'submit' }],
    ['GET', `/api/v1/orgs/${V}/disclosures`],
    ['GET', `/api/v1/orgs/${V}/disclosure-queue`],
    ['GET', `/api/v1/orgs/${V}/disclosure-overdue`],
    ['GET', `/api/v1/orgs/${V}/disclosure-board`],
    ['POST', '/api/v1/disclosures', { org_id: V, kind: 'finance', period: `${last}-10`, title: 'x' }],
  ]) {
    const r = await outsider.req(m, p, b);
    assert.equal(r.status, 404, `${m} ${p}: ${r.status}`);
  }
  // org.read without meeting.write does not draft, edit or move an item on, nor see the queue
  assert.equal((await reader.post('/api/v1/disclosures', { org_id: V, kind: 'finance', period: `${last}-10`, title: 'x' })).status, 403);
  assert.equal((await reader.post(`/api/v1/disclosures/${d.id}/steps`, { action: 'submit' })).status, 403);
  assert.equal((await reader.patch(`/api/v1/disclosures/${d.id}`, { title: 'x' })).status, 403);
  assert.equal((await reader.get(`/api/v1/orgs/${V}/disclosure-queue`)).status, 403);
  assert.equal((await reader.get(`/api/v1/disclosures/${d.id}`)).status, 200);
  // anonymous: every internal route wants a login
  const anon = new Client(srv.url);
  assert.equal((await anon.get(`/api/v1/orgs/${V}/disclosures`)).status, 401);
  assert.equal((await anon.get(`/api/v1/disclosures/${d.id}`)).status, 401);
});

test('the queue: submitted for the branch, approved for the township, with what the caller may do', async () => {
  const d = await draft(drafter, { kind: 'finance', period: `${last}-11`, title: '十一月' });
  await step(drafter, d.id, 'submit');
  let q = await approver.get(`/api/v1/orgs/${V}/disclosure-queue`);
  let it = q.body.items.find((x) => x.id === d.id);
  assert.equal(it.can_approve, true);
  assert.equal(it.can_review, false);
  q = await drafter.get(`/api/v1/orgs/${V}/disclosure-queue`);
  assert.equal(q.body.items.find((x) => x.id === d.id).can_approve, false, 'not the drafter');
  await step(approver, d.id, 'approve');
  q = await township.get(`/api/v1/orgs/${T}/disclosure-queue`);
  it = q.body.items.find((x) => x.id === d.id);
  assert.equal(it.can_review, true);
  q = await approver.get(`/api/v1/orgs/${V}/disclosure-queue`);
  assert.equal(q.body.items.find((x) => x.id === d.id).can_review, false);
  // paged, oldest first
  const d2 = await draft(drafter, { kind: 'finance', period: `${last}-12`, title: '十二月' });
  await step(drafter, d2.id, 'submit');
  const p1 = await township.get(`/api/v1/orgs/${T}/disclosure-queue?limit=1`);
  assert.equal(p1.body.items.length, 1);
  assert.ok(p1.body.next);
  const p2 = await township.get(`/api/v1/orgs/${T}/disclosure-queue?limit=200&after=${p1.body.next}`);
  assert.ok(p2.body.items.every((x) => x.id > p1.body.items[0].id));
  assert.ok(p2.body.items.some((x) => x.id === d2.id) || p1.body.items[0].id === d2.id);
});

// last: it spends this address's budget of the minute
test('the public routes are bounded per client address', async () => {
  let limited = 0;
  for (let i = 1; i <= 250 && !limited; i++) {
    const r = await fetch(`${srv.url}/gk/999999`);
    if (r.status === 429) limited = i;
  }
  assert.ok(limited > 0 && limited <= 121, `limited after ${limited}`);
  const r = await new Client(srv.url).get(`/api/v1/public/disclosures?org=${V}`);
  assert.equal(r.status, 429);
});
