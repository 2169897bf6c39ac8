// The county's lists: branches by compliance and members at each risk
// level with filter, sort, paging and xlsx export, the 待办 calendar's
// order and its "more", the home roll-up, and their scope.  On a demo
// county (seeded), so every list has rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, admin, addUser, Client, ADMIN_PASSWORD } from './lib.mjs';

let srv, adm, county, towns, township, secretary, member;

before(async () => {
  srv = await startServer({ demo: 3000 });
  adm = await admin(srv);
  county = (await adm.get('/api/v1/orgs')).body.items[0];
  towns = (await adm.get(`/api/v1/orgs/${county.id}/children`)).body.items;
  township = new Client(srv.url);
  assert.equal((await township.login('township', ADMIN_PASSWORD)).status, 200);
  secretary = new Client(srv.url);
  assert.equal((await secretary.login('secretary', ADMIN_PASSWORD)).status, 200);
  member = new Client(srv.url);
  assert.equal((await member.login('member', ADMIN_PASSWORD)).status, 200);
});
after(async () => { if (srv) await srv.stop(); });

const B = (q = '') => `/api/v1/orgs/${county.id}/compliance/branches${q}`;
/** The quarter in China now, and the one before: every unit of the one
 * before is past its deadline, so its lists have rows on any day (early in
 * a quarter nothing of the current one is overdue yet). */
const quarterOf = (y, m) => `${y}Q${Math.floor((m - 1) / 3) + 1}`;
function quarters() {
  const d = new Date(Date.now() + 8 * 3600e3);
  const y = d.getUTCFullYear(), m = d.getUTCMonth() + 1;
  return { now: quarterOf(y, m), last: m <= 3 ? quarterOf(y - 1, 12) : quarterOf(y, m - 3) };
}

async function all(client, path) {
  const items = [];
  let after = '';
  for (;;) {
    const r = await client.get(path + (path.includes('?') ? '&' : '?') + `limit=7${after ? '&after=' + after : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    assert.ok(r.body.items.length <= 7);
    if (!r.body.next) return { items, last: r.body };
    after = r.body.next;
  }
}

function readXlsx(buf, name) {
  const file = join(srv.dir, name);
  writeFileSync(file, buf);
  const py = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(json.dumps([list(r) for r in wb.active.iter_rows(values_only=True)], ensure_ascii=False, default=str))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8' }));
}

test('branches: the default list is this period\'s branches with an overdue unit, worst first, paged', async () => {
  const q = quarters();
  const now = (await adm.get(`/api/v1/orgs/${county.id}/compliance`)).body;
  const dflt = (await adm.get(B())).body;
  assert.equal(now.period, q.now, 'the current quarter in China by default');
  assert.equal(dflt.period, now.period);
  assert.equal(dflt.status, 'missing');
  assert.equal(dflt.total, now.branches_missing);
  // the quarter before: all its units are past their deadline
  const P = `?period=${q.last}`;
  const c = (await adm.get(`/api/v1/orgs/${county.id}/compliance${P}`)).body;
  const first = (await adm.get(B(P))).body;
  assert.equal(first.period, q.last);
  assert.equal(first.status, 'missing');
  assert.equal(first.total, c.branches_missing);
  assert.equal(first.total, c.noncompliant_total);
  assert.ok(first.total > 7, 'enough rows to page');
  const { items } = await all(adm, B(P));
  assert.equal(items.length, first.total);
  assert.equal(new Set(items.map((x) => x.org_id)).size, items.length, 'no row twice across pages');
  assert.ok(items.every((x) => x.state === 'missing' && x.missing > 0));
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].missing >= items[i].missing, 'most missing first');
  // counts by state add up, and agree with the summary
  const k = first.counts;
  assert.equal(k.branches_done + k.branches_open + k.branches_missing, k.branches);
  assert.equal(k.branches, c.branches);
  for (const [status, n] of [['done', k.branches_done], ['open', k.branches_open], ['notdone', k.branches_open + k.branches_missing], ['all', k.branches]]) {
    const r = (await adm.get(B(`${P}&status=${status}&limit=1`))).body;
    assert.equal(r.total, n, status);
  }
});

test('branches: the headline counts only branches with everything held', async () => {
  const P = `?period=${quarters().last}`;
  const c = (await adm.get(`/api/v1/orgs/${county.id}/compliance${P}`)).body;
  assert.ok(Math.abs(c.done_rate - (c.branches ? c.branches_done / c.branches : 1)) < 1e-9, `${c.done_rate}`);
  const done = (await all(adm, B(`${P}&status=done`))).items;
  assert.equal(done.length, c.branches_done);
  assert.ok(done.every((x) => x.held === x.required && x.types.every((t) => t.held >= t.required)));
  // a type no branch has held anything of is never counted as done
  for (const t of c.types) {
    const list = (await all(adm, B(`${P}&status=done&type=${t.type}`))).items;
    assert.equal(list.length, t.branches_done, t.type);
    assert.ok(list.every((x) => { const y = x.types.find((z) => z.type === t.type); return y.held >= y.required; }));
    if (t.held === 0) assert.equal(t.branches_done, 0, `${t.type_name}: nothing held, nothing 已落实`);
  }
  // a branch's own rows: state done exactly when held >= required
  const one = (await adm.get(B(`${P}&limit=1`))).body.items[0];
  const own = (await adm.get(`/api/v1/orgs/${one.org_id}/compliance${P}`)).body;
  assert.ok(own.items.length > 0);
  for (const it of own.items) assert.equal(it.state === 'done', it.held >= it.required, JSON.stringify(it));
  assert.equal(own.branches_done, own.items.every((it) => it.held >= it.required) ? 1 : 0);
});

test('branches: filter by type, name and sub-org; sort by name, rate and tree, both orders', async () => {
  const committee = (await all(adm, B(`?period=${quarters().last}&type=committee`))).items;
  assert.ok(committee.length > 0);
  assert.ok(committee.every((x) => x.types.find((t) => t.type === 'committee').state === 'missing'));
  const byName = (await all(adm, B('?status=all&sort=name'))).items.map((x) => x.org_name);
  assert.deepEqual(byName, [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const byNameDesc = (await all(adm, B('?status=all&sort=name&order=desc'))).items.map((x) => x.org_name);
  assert.deepEqual(byNameDesc, [...byName].reverse());
  const tree = (await all(adm, B('?status=all&sort=tree'))).items.map((x) => x.org_path);
  assert.deepEqual(tree, [...tree].sort());
  const rate = (await all(adm, B('?status=all&sort=rate'))).items.map((x) => x.rate);
  for (let i = 1; i < rate.length; i++) assert.ok(rate[i - 1] <= rate[i] + 1e-9, 'lowest share held first');
  const word = byName[0].replace(/^中共/, '').slice(0, 2);
  const named = (await all(adm, B(`?status=all&q=${encodeURIComponent(word)}`))).items;
  assert.ok(named.length > 0 && named.every((x) => x.org_name.includes(word)));
  const town = towns.find((t) => t.name.includes('镇')) || towns[0];
  const tpath = (await adm.get(`/api/v1/orgs/${town.id}`)).body.path;
  const under = (await all(adm, B(`?status=all&org=${town.id}`))).items;
  assert.ok(under.length > 0 && under.every((x) => x.org_path.startsWith(tpath)));
  assert.equal((await adm.get(B(`?status=all&org=${town.id}&limit=1`))).body.counts.branches, under.length);
});

test('branches: bad parameters are refused naming the parameter', async () => {
  for (const [q, field] of [['?status=late', 'status'], ['?sort=size', 'sort'], ['?order=up', 'order'], ['?type=picnic', 'type'],
    ['?period=2026Q5', 'period'], ['?limit=0', 'limit'], ['?after=-1', 'after'], ['?org=999999', 'org']]) {
    const r = await adm.get(B(q));
    assert.ok(r.status === 400 || r.status === 404, `${q}: ${r.status}`);
    assert.equal(r.body.error.field, field, q);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/, q);
  }
});

test('branches: the export is an xlsx of exactly the listed rows, in order', async () => {
  const q = '?type=theme_day&sort=name';
  const list = (await all(adm, B(q))).items;
  const r = await adm.get(`/api/v1/orgs/${county.id}/compliance/branches/export${q}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment; .*filename\*=UTF-8''/);
  assert.equal(r.body.subarray(0, 2).toString(), 'PK');
  const rows = readXlsx(r.body, 'branches.xlsx');
  assert.match(rows[0][0], /组织生活落实情况（.*主题党日）/);
  assert.deepEqual(rows[1].slice(0, 4), ['序号', '党组织', '上级党组织', '落实情况']);
  assert.deepEqual(rows.slice(2).map((x) => x[1]), list.map((x) => x.org_name));
  assert.deepEqual(rows.slice(2).map((x) => Number(x[5])), list.map((x) => x.held));
  assert.ok(rows.slice(2).every((x) => /主题党日/.test(x[9])));
  // bad input: a clear error, not a file
  const bad = await adm.get(`/api/v1/orgs/${county.id}/compliance/branches/export?status=late`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'status');
});

test('scope: a township sees its own branches only; a member sees no lists', async () => {
  const me = (await township.get('/api/v1/auth/me')).body;
  const townId = me.user.grants[0].org_id;
  const other = towns.find((t) => t.id !== townId);
  assert.equal((await township.get(B())).status, 404, 'the county is outside the township');
  assert.equal((await township.get(`/api/v1/orgs/${county.id}/compliance/branches/export`)).status, 404);
  assert.equal((await township.get(`/api/v1/orgs/${county.id}/risks/export`)).status, 404);
  assert.equal((await township.get(`/api/v1/orgs/${county.id}/dashboard`)).status, 404);
  assert.equal((await township.get(`/api/v1/orgs/${other.id}/compliance/branches`)).status, 404);
  const own = (await township.get(`/api/v1/orgs/${townId}/compliance/branches?status=all`)).body;
  assert.ok(own.total > 0);
  // ?org= cannot reach outside the org asked about
  const r = await township.get(`/api/v1/orgs/${townId}/compliance/branches?org=${other.id}`);
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'org');
  const mine = await adm.get(`/api/v1/orgs/${townId}/compliance/branches?status=all&org=${other.id}`);
  assert.equal(mine.status, 404, 'also for the county: ?org= must lie under the org in the path');
  for (const p of [B(), `/api/v1/orgs/${county.id}/risks`, `/api/v1/orgs/${county.id}/risks/export`, `/api/v1/orgs/${county.id}/dashboard`]) {
    const x = await member.get(p);
    assert.ok(x.status === 403 || x.status === 404, `${p}: ${x.status}`);
  }
});

test('risks: filter by band, name and sub-org; sort; page; export without ID numbers or phones', async () => {
  const base = `/api/v1/orgs/${county.id}/risks`;
  const first = (await adm.get(base)).body;
  const [t0, , t2] = first.thresholds;
  const everyone = (await all(adm, base)).items;
  assert.equal(everyone.length, first.total);
  assert.equal(first.total, Object.values(first.counts).reduce((a, b) => a + b, 0));
  for (let i = 1; i < everyone.length; i++) assert.ok(everyone[i - 1].months >= everyone[i].months);
  for (const band of first.thresholds) {
    const l = (await all(adm, `${base}?band=${band}`)).items;
    assert.equal(l.length, first.counts[band]);
    assert.ok(l.every((x) => x.level === band));
  }
  const byName = (await all(adm, `${base}?sort=name`)).items.map((x) => x.name);
  assert.deepEqual(byName, [...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  const desc = (await all(adm, `${base}?sort=months&order=desc`)).items.map((x) => x.months);
  for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1] <= desc[i]);
  const word = everyone[0].name.slice(0, 1);
  const named = (await all(adm, `${base}?q=${encodeURIComponent(word)}`)).items;
  assert.ok(named.length > 0 && named.every((x) => x.name.includes(word)));
  const town = everyone[0].org_id;
  const tpath = (await adm.get(`/api/v1/orgs/${town}`)).body.path;
  const parent = (await adm.get(`/api/v1/orgs/${town}`)).body.parent_id;
  const under = (await all(adm, `${base}?org=${parent}`)).items;
  assert.ok(under.some((x) => x.org_id === town));
  for (const x of under) assert.ok((await adm.get(`/api/v1/orgs/${x.org_id}`)).body.path.startsWith((await adm.get(`/api/v1/orgs/${parent}`)).body.path));
  void tpath;
  const r = await adm.get(`${base}?band=4`);
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'band');
  assert.equal((await adm.get(`${base}?sort=age`)).body.error.field, 'sort');
  // export: the listed rows, no protected column
  const x = await adm.get(`${base}/export?band=${t2}&sort=name`);
  assert.equal(x.status, 200);
  const rows = readXlsx(x.body, 'risks.xlsx');
  const want = (await all(adm, `${base}?band=${t2}&sort=name`)).items;
  assert.deepEqual(rows.slice(2).map((y) => y[1]), want.map((y) => y.name));
  assert.deepEqual(rows.slice(2).map((y) => Number(y[5])), want.map((y) => y.months));
  assert.ok(!rows[1].some((h) => /身份证|电话|手机|出生/.test(String(h))), rows[1].join(','));
  const text = JSON.stringify(rows);
  assert.ok(!/\d{17}[\dX]|1[3-9]\d{9}/.test(text), 'no ID number or phone in the file');
  void t0;
});

test('待办: this period first, then overdue, then done; a capped page says how many more', async () => {
  const base = `/api/v1/orgs/${county.id}/calendar`;
  const c = (await adm.get(`${base}?limit=5`)).body;
  assert.equal(c.total, c.due + c.overdue + c.done);
  assert.equal(c.items.length, 5);
  assert.equal(c.more, c.total - 5);
  assert.equal(c.next, '5');
  const items = [];
  let after = 0;
  for (;;) {
    const p = (await adm.get(`${base}?limit=1000&after=${after}`)).body;
    items.push(...p.items);
    if (!p.next) { assert.equal(p.more, 0); break; }
    after = Number(p.next);
  }
  assert.equal(items.length, c.total, 'nothing dropped');
  const rank = { due: 0, overdue: 1, done: 2 };
  for (let i = 1; i < items.length; i++) assert.ok(rank[items[i - 1].status] <= rank[items[i].status]);
  assert.ok(items.filter((x) => x.status !== 'overdue').every((x) => x.current));
  assert.equal(items.filter((x) => x.status === 'due').length, c.due);
});

test('the home roll-up agrees with the lists it opens', async () => {
  const d = (await adm.get(`/api/v1/orgs/${county.id}/dashboard`)).body;
  const c = (await adm.get(`/api/v1/orgs/${county.id}/compliance`)).body;
  assert.equal(d.compliance.period, c.period);
  for (const k of ['branches', 'branches_done', 'branches_open', 'branches_missing']) assert.equal(d.compliance[k], c[k], k);
  assert.equal(d.compliance.children.reduce((a, x) => a + x.branches_missing, 0), c.branches_missing);
  const r = (await adm.get(`/api/v1/orgs/${county.id}/risks`)).body;
  assert.deepEqual(d.risks.counts, r.counts);
  assert.equal(d.risks.total, r.total);
  const w = (await adm.get(`/api/v1/orgs/${county.id}/warnings`)).body;
  assert.equal(d.warnings.total, w.total);
  assert.deepEqual(d.warnings.counts, w.counts);
  assert.equal(d.stats.members.total, (await adm.get(`/api/v1/orgs/${county.id}/stats`)).body.members.total);
  assert.ok(d.birthdays.items.length <= 8);
  // a party worker at a branch: its own roll-up
  const me = (await secretary.get('/api/v1/auth/me')).body.user;
  const branch = me.grants[0].org_id;
  const s = await secretary.get(`/api/v1/orgs/${branch}/dashboard`);
  assert.equal(s.status, 200);
  assert.equal(s.body.compliance.branches, 1);
  assert.equal((await secretary.get(`/api/v1/orgs/${county.id}/dashboard`)).status, 404);
  addUser(srv, 'lists_sys', 'sys_admin', county.id);
  const sys = new Client(srv.url);
  await sys.login('lists_sys', 'Test-Passw0rd-1');
  assert.equal((await sys.get(`/api/v1/orgs/${county.id}/dashboard`)).status, 403);
});
