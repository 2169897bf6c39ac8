// Issue 3, members half: the roster over HTTP and the command line —
// CRUD with field errors, masking, history, pinyin search, keyset paging,
// filters, scoping on every route, the member's own record, 政治生日,
// designations, import from files other software wrote (openpyxl,
// LibreOffice, GBK CSV), all-or-nothing commits, export round trips, the
// CLI, and the audit rows of every read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, admin, addUser, loginAs, cli } from './lib.mjs';

let srv, adm, work, town, town2, A, B, C, G, wa, wt, aud;

// ---- helpers -------------------------------------------------------------

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A checksum-valid resident ID number (GB 11643). */
function makeId(birth, seq, gender, region = '110105') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}
let seqNo = 100;
const nextSeq = () => (seqNo += 2);
/** Today in China (the server counts dates in UTC+8). */
function today(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offsetDays * 86400e3).toISOString().slice(0, 10);
}
/** The same day `years` earlier; 29 February becomes the 28th in a common year. */
function yearsBefore(date, years) {
  const y = Number(date.slice(0, 4)) - years;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return String(y) + (date.slice(4) === '-02-29' && !leap ? '-02-28' : date.slice(4));
}

async function mkOrg(parent, name, type, code) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...(code ? { code } : {}) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** Create a member through the API (as client c, default admin). */
async function mkMember(fields, c = adm) {
  const birth = fields.birth || '1985-06-15';
  const gender = fields.gender_for_id || 'M';
  const body = {
    org_id: fields.org_id ?? A,
    name: fields.name,
    id_number: fields.id_number ?? makeId(birth, nextSeq(), gender),
    join_date: fields.join_date ?? '2010-07-01',
    category: fields.category ?? 'full',
    ...(fields.category === 'probationary' ? {} : { full_date: fields.full_date ?? '2011-07-01' }),
    ...(fields.extra || {}),
  };
  const r = await c.post('/api/v1/members', body);
  assert.equal(r.status, 201, `${fields.name}: ${JSON.stringify(r.body)}`);
  return r.body;
}

function py(script, ...args) {
  return execFileSync('/usr/bin/python3', ['-c', script, ...args]).toString();
}

async function upload(c, org, name, bytes) {
  return c.req('POST', `/api/v1/imports?org=${org}&filename=${encodeURIComponent(name)}`, bytes, {
    raw: true, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

/** All pages of a list. */
async function all(c, query, limit = 200) {
  const items = [];
  let after;
  for (let i = 0; i < 1000; i++) {
    const r = await c.get(`/api/v1/members?${query}&limit=${limit}${after ? `&after=${after}` : ''}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    if (!r.body.next) return { items, total: r.body.total };
    after = encodeURIComponent(r.body.next);
  }
  throw new Error('paging did not end');
}

/** Audit rows (read audits are written by a background thread). */
async function auditRows(action, pred = () => true) {
  for (let i = 0; i < 50; i++) {
    const r = await aud.get(`/api/v1/audit?action=${action}&limit=200`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const rows = r.body.items.filter((x) => x.action === action && pred(x));
    if (rows.length) return rows;
    await new Promise((res) => setTimeout(res, 100));
  }
  return [];
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'zhibu-members-'));
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '东镇党委', 'committee', 'TOWN1');
  town2 = await mkOrg(1, '西镇党委', 'committee', 'TOWN2');
  A = await mkOrg(town, '东村党支部', 'branch', 'BA');
  B = await mkOrg(town, '西村党支部', 'branch', 'BB');
  C = await mkOrg(town2, '南村党支部', 'branch', 'BC');
  G = await mkOrg(A, '第一党小组', 'group', 'GA1');
  addUser(srv, 'wa', 'party_worker', A);
  addUser(srv, 'wt', 'party_worker', town);
  addUser(srv, 'aud', 'audit_admin', 1);
  wa = await loginAs(srv, 'wa');
  wt = await loginAs(srv, 'wt');
  aud = await loginAs(srv, 'aud');
});

after(async () => {
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

// ---- create, read, edit --------------------------------------------------

test('create: normalised record, masked answer, pinyin, derived birth date and gender', async () => {
  const id = makeId('1988-08-08', 123, 'F');
  const r = await adm.post('/api/v1/members', {
    org_id: A, name: ' 王　芳 ', id_number: id.toLowerCase(), join_date: '2012-07-01', full_date: '2013-07-01',
    category: '正式党员', education: '本科', ethnicity: '汉', phone: '+86 139-1234-5678', address: '东村 3 组',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const m = r.body;
  assert.equal(m.name, '王芳');
  assert.equal(m.pinyin, 'wangfang');
  assert.equal(m.initials, 'wf');
  assert.equal(m.gender, 'F');
  assert.equal(m.birth_date, '1988-08-08');
  assert.equal(m.education, '大学本科');
  assert.equal(m.ethnicity, '汉族');
  assert.equal(m.category, 'full');
  assert.equal(m.status, 'normal');
  assert.equal(m.id_number, '*'.repeat(18)); // no character of the number survives the mask
  assert.equal(m.phone, '139****5678');
  assert.equal(m.org_name, '东村党支部');
  assert.equal(typeof m.party_age, 'number');
  // the database holds no clear text
  const got = await adm.get(`/api/v1/members/${m.id}?full=1`);
  assert.equal(got.body.id_number, id);
  assert.equal(got.body.phone, '13912345678');
});

test('create: field errors name the JSON field and write nothing', async () => {
  const good = { org_id: A, name: '错误测试', join_date: '2012-07-01', full_date: '2013-07-01', category: 'full' };
  const cases = [
    [{ id_number: '440308199003071234' }, 'id_number', /^身份证号有误：号码未通过校验，请对照身份证逐位核对$/],
    [{ id_number: '110105491231002' }, 'id_number', /18 位/],
    [{ id_number: makeId('1990-01-01', 11, 'M'), birth_date: '1990-01-02' }, 'birth_date',
      /出生日期 1990-01-02 与身份证号中的 1990-01-01 不一致/],
    [{ id_number: makeId('1990-01-01', 13, 'M'), gender: '女' }, 'gender', /性别 女 与身份证号中的 男 不一致/],
    [{ id_number: makeId('1996-01-01', 15, 'M') }, 'join_date', /入党时未满 18 周岁/],
    [{ full_date: null }, 'full_date', /正式党员应填写转正日期/],
    [{ category: 'probationary' }, 'full_date', /预备党员不应有转正日期/],
    [{ full_date: '2012-06-30' }, 'full_date', /不能早于入党日期/],
    [{ gender: 'X' }, 'gender', /性别应为/],
    [{ status: '休眠' }, 'status', /党籍状态应为/],
    [{ education: '幼儿园' }, 'education', /学历应为/],
    [{ join_date: '2012-02-30' }, 'join_date', /日期/],
    [{ name: '' }, 'name', /name/],
    [{ phone: '12345' }, 'phone', /联系电话格式不正确/],
    [{ nickname: 'x' }, 'nickname', /不认识的字段/],
    [{ org_id: town }, 'org_id', /党员只能编入党支部或党小组/],
  ];
  const before = (await adm.get(`/api/v1/members?org=1&q=${encodeURIComponent('错误测试')}`)).body.total;
  for (const [patch, field, msg] of cases) {
    const r = await adm.post('/api/v1/members', { ...good, ...patch });
    assert.equal(r.status, 400, `${JSON.stringify(patch)} -> ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.match(r.body.error.message, msg);
  }
  assert.equal((await adm.get(`/api/v1/members?org=1&q=${encodeURIComponent('错误测试')}`)).body.total, before);
  // a duplicate ID number: 409 on id_number, saying nothing of where
  const m = await mkMember({ name: '重复甲', org_id: C });
  const dup = await wa.post('/api/v1/members', { ...good, name: '重复乙', id_number: (await adm.get(`/api/v1/members/${m.id}?full=1`)).body.id_number });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.field, 'id_number');
  assert.doesNotMatch(dup.body.error.message, /南村|西镇/);
});

test('edit: category, status and org changes need a reason and leave dated history rows', async () => {
  const m = await mkMember({ name: '历史测试', category: 'probationary', join_date: '2023-03-01' });
  let r = await adm.patch(`/api/v1/members/${m.id}`, { category: 'full', full_date: '2024-03-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  r = await adm.patch(`/api/v1/members/${m.id}`, { category: 'full', full_date: '2024-03-01', reason: '预备期满，支部大会通过转正' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.category, 'full');
  r = await adm.patch(`/api/v1/members/${m.id}`, { status: 'mobile', reason: '外出务工', effective_on: '2024-05-01' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await adm.patch(`/api/v1/members/${m.id}`, { org_id: B, reason: '组织关系转接' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.org_name, '西村党支部');
  // an edit of other fields makes no history row
  r = await adm.patch(`/api/v1/members/${m.id}`, { address: '西村 1 组' });
  assert.equal(r.status, 200);
  const h = await adm.get(`/api/v1/members/${m.id}/history`);
  assert.equal(h.status, 200);
  const kinds = h.body.items.map((x) => x.kind);
  assert.deepEqual(kinds, ['org', 'status', 'category', 'created']);
  const [org, status, category] = h.body.items;
  assert.equal(category.from, 'probationary');
  assert.equal(category.to, 'full');
  assert.equal(category.date, '2024-03-01');
  assert.equal(category.reason, '预备期满，支部大会通过转正');
  assert.equal(category.by_name, '管理员');
  assert.equal(status.date, '2024-05-01');
  assert.equal(status.to, 'mobile');
  assert.equal(org.from, '东村党支部');
  assert.equal(org.to, '西村党支部');
  assert.equal(org.date, today());
  assert.match(org.summary, /所在组织：东村党支部 → 西村党支部/);
  // changing the ID number re-derives birth date and gender
  const id2 = makeId('1980-02-02', 77, 'F');
  r = await adm.patch(`/api/v1/members/${m.id}`, { id_number: id2 });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.birth_date, '1980-02-02');
  assert.equal(r.body.gender, 'F');
  // and a birth date stated without the ID number is refused, whatever its
  // value: comparing it with the stored number would tell that number's date
  for (const bd of ['1980-02-03', '1980-02-02']) {
    r = await adm.patch(`/api/v1/members/${m.id}`, { birth_date: bd });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'birth_date');
    assert.match(r.body.error.message, /出生日期由身份证号得出/);
    assert.doesNotMatch(r.body.error.message, /1980/);
  }
});

test('masking: full ID and phone only in the detail view with ?full=1 and the sensitive permission', async () => {
  const m = await mkMember({ name: '掩码测试', extra: { phone: '13700001111' } });
  const full = (await adm.get(`/api/v1/members/${m.id}?full=1`)).body;
  assert.match(full.id_number, /^\d{17}[\dX]$/);
  assert.equal(full.phone, '13700001111');
  assert.equal(full.full, true);
  const plain = (await adm.get(`/api/v1/members/${m.id}`)).body;
  assert.equal(plain.id_number, '*'.repeat(18));
  // the admin (member.sensitive) sees the exact birth date; a party worker the month only
  assert.equal(plain.birth_date, full.birth_date);
  assert.equal((await wa.get(`/api/v1/members/${m.id}`)).body.birth_date, full.birth_date.slice(0, 7));
  assert.equal(plain.phone, '137****1111');
  // a party worker has no member.sensitive
  const w = await wa.get(`/api/v1/members/${m.id}?full=1`);
  assert.equal(w.status, 403);
  assert.match(w.body.error.message, /敏感信息/);
  assert.equal((await wa.get(`/api/v1/members/${m.id}`)).body.id_number, plain.id_number);
  // lists are always masked, even for the admin
  const list = await adm.get(`/api/v1/members?org=${A}&q=${encodeURIComponent('掩码测试')}&full=1`);
  assert.equal(list.body.items[0].id_number, plain.id_number);
  assert.equal(list.body.items[0].phone, '137****1111');
  // an org admin granted at the branch holds member.sensitive there
  addUser(srv, 'oa_a', 'org_admin', A);
  const oa = await loginAs(srv, 'oa_a');
  assert.equal((await oa.get(`/api/v1/members/${m.id}?full=1`)).body.id_number, full.id_number);
  const other = await mkMember({ name: '掩码外部', org_id: B });
  assert.equal((await oa.get(`/api/v1/members/${other.id}?full=1`)).status, 404);
});

// ---- search, paging, filters -------------------------------------------------

test('search: name prefix, full pinyin prefix and initials', async () => {
  const br = await mkOrg(town, '搜索测试支部', 'branch');
  for (const name of ['张三', '张三丰', '章小明', '李四', '曾志伟', '欧阳娜娜']) await mkMember({ name, org_id: br });
  // a second server on the same database takes the plan for big subtrees
  // (prefix ranges over the whole tree) at every size: both must agree
  const srv2 = await startServer({ db: srv.db, keyFile: srv.keyFile, dir: srv.dir, init: false,
    env: { ZHIBU_SEARCH_SUBTREE_MAX: '0' } });
  const adm2 = await admin(srv2);
  const names = async (q) => {
    const a = (await all(adm, `org=${br}&q=${encodeURIComponent(q)}`)).items.map((x) => x.name).sort();
    const b = (await all(adm2, `org=${br}&q=${encodeURIComponent(q)}`)).items.map((x) => x.name).sort();
    assert.deepEqual(b, a, `both plans for ${q}`);
    return a;
  };
  assert.deepEqual(await names('zs'), ['张三', '张三丰']);
  assert.deepEqual(await names('zhangs'), ['张三', '张三丰']);
  assert.deepEqual(await names('ZhangSan'), ['张三', '张三丰']);
  assert.deepEqual(await names('张'), ['张三', '张三丰']);
  assert.deepEqual(await names('张三'), ['张三', '张三丰']);
  assert.deepEqual(await names('张三丰'), ['张三丰']);
  assert.deepEqual(await names('zhang'), ['张三', '张三丰', '章小明']);
  assert.deepEqual(await names('zxm'), ['章小明']);
  assert.deepEqual(await names('ouyang'), ['欧阳娜娜']);
  assert.deepEqual(await names('oynn'), ['欧阳娜娜']);
  assert.deepEqual(await names('li'), ['李四']);
  assert.deepEqual(await names('王'), []);
  // the total is counted for the filter
  assert.equal((await adm.get(`/api/v1/members?org=${br}&q=zs`)).body.total, 2);
  // a whole ID number finds its member through the blind index
  const one = (await adm.get(`/api/v1/members?org=${br}&q=lisi`)).body.items[0];
  const full = (await adm.get(`/api/v1/members/${one.id}?full=1`)).body.id_number;
  assert.deepEqual((await adm.get(`/api/v1/members?org=1&q=${full}`)).body.items.map((x) => x.name), ['李四']);
  // ordered by pinyin within the branch (ICU zh collation, which reads
  // 曾 as ceng: src/text/pinyin.h)
  const ordered = (await all(adm, `org=${br}`)).items.map((x) => x.name);
  assert.deepEqual(ordered, ['曾志伟', '李四', '欧阳娜娜', '张三', '张三丰', '章小明']);
  assert.equal((await adm2.get(`/api/v1/members?org=${br}&q=zs`)).body.total, 2);
  await srv2.stop();
});

test('keyset paging returns every member exactly once, in order, at any page size', async () => {
  const br1 = await mkOrg(town, '翻页一支部', 'branch');
  const br2 = await mkOrg(town, '翻页二支部', 'branch');
  const surn = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴'];
  const given = ['伟', '芳', '娜', '敏', '静', '强'];
  const made = [];
  for (let i = 0; i < 37; i++) {
    // some names repeat: equal sort keys are ordered by id
    const m = await mkMember({ name: surn[i % 10] + given[i % 6], org_id: i % 3 ? br1 : br2 });
    made.push(m.id);
  }
  const wholeTown = (await all(adm, `org=${town}`, 200));
  for (const size of [1, 5, 7, 36, 37, 200]) {
    const { items, total } = await all(adm, `org=${town}`, size);
    const ids = items.map((x) => x.id);
    assert.equal(new Set(ids).size, ids.length, `duplicates at page size ${size}`);
    assert.equal(ids.length, total, `page size ${size}`);
    assert.deepEqual(ids, wholeTown.items.map((x) => x.id));
    for (const id of made) assert.ok(ids.includes(id));
  }
  const branchOnly = await all(adm, `org=${br1}`, 4);
  assert.equal(branchOnly.items.length, made.filter((_, i) => i % 3).length);
  // a forged cursor is refused, not a 500
  const bad = await adm.get(`/api/v1/members?org=${town}&after=zz.yy.1`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'after');
});

test('filters: category, status, gender, education, age and 入党 date range', async () => {
  const br = await mkOrg(town, '筛选支部', 'branch');
  const y = Number(today().slice(0, 4));
  const mk = (name, o) => mkMember({ name, org_id: br, ...o });
  // joined at 20 or 25, whatever the year (18 at the least: docs/RULES.md)
  await mk('筛甲', { birth: `${y - 30}-01-01`, gender_for_id: 'M', join_date: `${y - 10}-07-01`, full_date: `${y - 9}-07-01`, extra: { education: '研究生' } });
  await mk('筛乙', { birth: `${y - 50}-01-01`, gender_for_id: 'F', join_date: `${y - 30}-07-01`, full_date: `${y - 29}-07-01`, extra: { education: '高中' } });
  await mk('筛丙', { birth: `${y - 25}-01-01`, gender_for_id: 'F', category: 'probationary', join_date: today(-100) });
  const d = await mk('筛丁', { birth: `${y - 70}-01-01`, gender_for_id: 'M', join_date: `${y - 45}-07-01`, full_date: `${y - 44}-07-01` });
  await adm.patch(`/api/v1/members/${d.id}`, { status: 'deceased', reason: '病故' });
  const q = async (f) => (await all(adm, `org=${br}&${f}`)).items.map((x) => x.name).sort();
  assert.deepEqual(await q('category=probationary'), ['筛丙']);
  assert.deepEqual(await q('category=正式党员'), ['筛丁', '筛乙', '筛甲']);
  assert.deepEqual(await q('status=deceased'), ['筛丁']);
  assert.deepEqual(await q('gender=F'), ['筛丙', '筛乙']);
  assert.deepEqual(await q('education=研究生'), ['筛甲']);
  assert.deepEqual(await q('age_min=40'), ['筛丁', '筛乙']);
  assert.deepEqual(await q('age_max=30'), ['筛丙', '筛甲']);
  assert.deepEqual(await q('age_min=26&age_max=60'), ['筛乙', '筛甲']);
  assert.deepEqual(await q(`joined_from=${y - 35}-01-01&joined_to=${y - 5}-01-01`), ['筛乙', '筛甲']);
  assert.deepEqual(await q('gender=M&category=full&status=normal'), ['筛甲']);
  const r = await adm.get(`/api/v1/members?org=${br}&gender=F&limit=1`);
  assert.equal(r.body.total, 2);
  assert.equal(r.body.items.length, 1);
  assert.ok(r.body.next);
  for (const bad of ['category=x', 'status=x', 'gender=x', 'age_min=-1', 'age_min=50&age_max=40', 'joined_from=2020-13-01']) {
    const b = await adm.get(`/api/v1/members?org=${br}&${bad}`);
    assert.equal(b.status, 400, bad);
  }
});

// ---- scoping ---------------------------------------------------------------

test('scoping: a worker of branch A gets 404 for everything of branch B, on every route', async () => {
  const mb = await mkMember({ name: '范围乙', org_id: B });
  const ma = await mkMember({ name: '范围甲', org_id: A });
  const checks = [
    wa.get(`/api/v1/members/${mb.id}`),
    wa.patch(`/api/v1/members/${mb.id}`, { address: 'x' }),
    wa.get(`/api/v1/members/${mb.id}/history`),
    wa.post(`/api/v1/members/${mb.id}/designations`, { kind: 'pioneer_post', title: 'x', started_on: '2024-01-01' }),
    wa.get(`/api/v1/members?org=${B}`),
    wa.get(`/api/v1/members?org=${town}`),
    wa.get(`/api/v1/members?org=1`),
    wa.post('/api/v1/members', { org_id: B, name: '越权', join_date: '2010-07-01', full_date: '2011-07-01' }),
    wa.patch(`/api/v1/members/${ma.id}`, { org_id: B, reason: '越权调动' }),
    wa.get(`/api/v1/orgs/${B}/birthdays`),
    upload(wa, B, 'x.csv', Buffer.from('姓名,身份证号,性别,入党日期\n')),
    wa.get(`/api/v1/members/export?org=${B}`),
    wa.get(`/api/v1/members/export?org=${town}&format=csv`),
  ];
  for (const [i, p] of checks.entries()) {
    const r = await p;
    assert.equal(r.status, 404, `check ${i}: ${JSON.stringify(r.body)}`);
  }
  // a member A owns is visible; the parent's list of a town worker holds
  // both branches but nothing of the other town
  assert.equal((await wa.get(`/api/v1/members/${ma.id}`)).status, 200);
  const mc = await mkMember({ name: '范围丙', org_id: C });
  const townList = (await all(wt, `org=${town}`)).items.map((x) => x.id);
  assert.ok(townList.includes(ma.id) && townList.includes(mb.id));
  assert.ok(!townList.includes(mc.id));
  for (const x of (await all(wa, `org=${A}`)).items) assert.equal(x.org_id, A);
  // a search never reaches outside the subtree either
  assert.deepEqual((await all(wa, `org=${A}&q=${encodeURIComponent('范围')}`)).items.map((x) => x.name), ['范围甲']);
  // someone else's import batch is not found, even inside one's scope
  const up = await upload(adm, A, 'adm.csv', Buffer.from(`姓名,身份证号,性别,入党日期,转正日期\n批次甲,${makeId('1980-01-01', 5, 'M')},男,2005-07-01,2006-07-01\n`));
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal((await wa.get(`/api/v1/imports/${up.body.id}`)).status, 404);
  assert.equal((await wa.post(`/api/v1/imports/${up.body.id}/commit`, {})).status, 404);
  const upB = await upload(adm, B, 'admB.csv', Buffer.from(`姓名,身份证号,性别,入党日期,转正日期\n批次乙,${makeId('1980-01-01', 7, 'M')},男,2005-07-01,2006-07-01\n`));
  assert.equal((await wa.post(`/api/v1/imports/${upB.body.id}/commit`, {})).status, 404);
});

// ---- the member's own record -------------------------------------------------

test('/me/member: a member account sees its own record and edits phone, address and remarks only', async () => {
  const m = await mkMember({ name: '本人测试', extra: { phone: '13600002222', address: '旧地址' } });
  const r = cli(['user', 'add', 'self1', '--db', srv.db, '--role', 'member', '--org', String(A), '--member', String(m.id)],
    { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
  assert.equal(r.code, 0, r.stderr);
  const me = await loginAs(srv, 'self1');
  const got = await me.get('/api/v1/me/member');
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.equal(got.body.id, m.id);
  assert.equal(got.body.name, '本人测试');
  assert.equal(got.body.phone, '136****2222');
  let p = await me.patch('/api/v1/me/member', { phone: '13600003333', address: '新地址', remarks: '已搬家' });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.address, '新地址');
  assert.equal((await adm.get(`/api/v1/members/${m.id}?full=1`)).body.phone, '13600003333');
  for (const body of [{ name: '改名' }, { status: 'removed' }, { org_id: B }, { id_number: makeId('1985-01-01', 3, 'M') }]) {
    p = await me.patch('/api/v1/me/member', body);
    assert.equal(p.status, 400, JSON.stringify(body));
    assert.equal(p.body.error.field, Object.keys(body)[0]);
  }
  p = await me.patch('/api/v1/me/member', { phone: '123' });
  assert.equal(p.status, 400);
  assert.equal(p.body.error.field, 'phone');
  // no roster access at all (a permission held nowhere is a plain 403)
  assert.equal((await me.get(`/api/v1/members/${m.id}`)).status, 403);
  assert.equal((await me.get(`/api/v1/members?org=${A}`)).status, 403);
  // an account without a linked record
  assert.equal((await adm.get('/api/v1/me/member')).status, 403);
  addUser(srv, 'self2', 'member', A);
  const nobody = await loginAs(srv, 'self2');
  assert.equal((await nobody.get('/api/v1/me/member')).status, 404);
});

// ---- 政治生日 and designations --------------------------------------------------

test('政治生日: anniversaries of joining in the next N days for a subtree', async () => {
  const br = await mkOrg(town, '生日支部', 'branch');
  // 12 and 20 years: a 29 February is a 29 February then too
  const soon = await mkMember({ name: '生日近', org_id: br, join_date: yearsBefore(today(5), 12), full_date: yearsBefore(today(5), 11) });
  await mkMember({ name: '生日远', org_id: br, join_date: yearsBefore(today(40), 12), full_date: yearsBefore(today(40), 11) });
  const gone = await mkMember({ name: '生日故', org_id: br, join_date: yearsBefore(today(3), 20), full_date: yearsBefore(today(3), 19) });
  await adm.patch(`/api/v1/members/${gone.id}`, { status: 'deceased', reason: '病故' });
  const r = await adm.get(`/api/v1/orgs/${br}/birthdays?days=30`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.items.map((x) => x.name), ['生日近']);
  assert.equal(r.body.items[0].member_id, soon.id);
  assert.equal(r.body.items[0].date, today(5));
  assert.equal(r.body.items[0].years, 12);
  const wide = await adm.get(`/api/v1/orgs/${town}/birthdays?days=60`);
  assert.ok(wide.body.items.some((x) => x.name === '生日远'));
  assert.equal((await adm.get(`/api/v1/orgs/${br}/birthdays?days=0`)).status, 400);
});

test('designations: 先锋岗, 示范岗, 责任区 on the member record', async () => {
  const m = await mkMember({ name: '岗位测试' });
  let r = await adm.post(`/api/v1/members/${m.id}/designations`, { kind: '先锋岗', title: '村级便民服务', started_on: '2024-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await adm.post(`/api/v1/members/${m.id}/designations`, { kind: 'duty_zone', title: '东村 3 组', started_on: '2024-02-01' });
  assert.equal(r.status, 201);
  const d = r.body.designations;
  assert.equal(d.length, 2);
  assert.equal(d[0].name, '责任区：东村 3 组');
  assert.equal(d[1].kind, 'pioneer_post');
  r = await adm.patch(`/api/v1/members/${m.id}/designations/${d[1].id}`, { ended_on: '2024-12-31' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.designations.find((x) => x.id === d[1].id).ended_on, '2024-12-31');
  r = await adm.post(`/api/v1/members/${m.id}/designations`, { kind: '荣誉岗', title: 'x', started_on: '2024-01-01' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'kind');
  r = await adm.patch(`/api/v1/members/${m.id}/designations/${d[1].id}`, { ended_on: '2023-01-01' });
  assert.equal(r.body.error.field, 'ended_on');
  const other = await mkMember({ name: '岗位他人' });
  assert.equal((await adm.del(`/api/v1/members/${other.id}/designations/${d[0].id}`)).status, 404);
  r = await adm.del(`/api/v1/members/${m.id}/designations/${d[0].id}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.designations.length, 1);
});

// ---- import -------------------------------------------------------------------

// openpyxl writes a workbook as many tools do: inline strings, real date
// cells, numbers.  Like Excel it stores a big integer with 15 significant
// digits ("1.10105197905042e+17"), so an ID typed as a number loses its
// last digits; {exact} rewrites such a cell with all 18 digits, as tools
// that keep integers exact (WPS, scripts) write it.
const OPENPYXL = `
import sys, json, datetime, zipfile, shutil, openpyxl
from openpyxl.styles import Font
path = sys.argv[1]
spec = json.loads(sys.argv[2])
wb = openpyxl.Workbook()
ws = wb.active
ws.title = '花名册'
ws.append([spec['title']])
ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(spec['header']))
ws.append([])
ws.append(spec['header'])
exact = []
for row in spec['rows']:
    out = []
    for v in row:
        if isinstance(v, dict) and 'date' in v:
            y, m, d = map(int, v['date'].split('-'))
            out.append(datetime.date(y, m, d))
        elif isinstance(v, dict) and 'int' in v:
            out.append(int(v['int']))
        elif isinstance(v, dict) and 'exact' in v:
            out.append(int(v['exact']))
            exact.append(v['exact'])
        else:
            out.append(v)
    ws.append(out)
    ws.append([])
for c in ws[3]:
    c.font = Font(bold=True)
wb.create_sheet('说明').append(['这一页不是名册'])
wb.save(path)
if exact:
    src = zipfile.ZipFile(path)
    items = [(i, src.read(i.filename)) for i in src.infolist()]
    src.close()
    z = zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED)
    for info, data in items:
        if info.filename.startswith('xl/worksheets/sheet1'):
            text = data.decode()
            for x in exact:
                text = text.replace('<v>%s</v>' % ('%.15g' % int(x)), '<v>%s</v>' % x)
            data = text.encode()
        z.writestr(info, data)
    z.close()
`;

test('import: an openpyxl workbook with a merged title, date cells, IDs typed as numbers, blanks and full-width text', async () => {
  const br = await mkOrg(town, '导入甲支部', 'branch', 'IMPA');
  let seq = 201, idNum;
  do idNum = makeId('1979-05-04', seq += 2, 'M'); while (idNum.endsWith('X'));
  const idLost = makeId('1981-02-03', 203, 'F');
  const idText = makeId('1983-09-10', 205, 'F');
  const file = join(work, 'openpyxl.xlsx');
  const spec = {
    title: '导入甲支部党员花名册（2024 年）',
    header: ['序号', '姓  名', '性别', '公民身份号码', '出生年月', '文化程度', '党员类别', '入党时间', '转正时间', '手机号码', '所在组织', '党小组'],
    rows: [
      [1, '赵 一 ', '男', { exact: idNum }, '1979.05', '大专', '正式党员', { date: '2000-07-01' }, { date: '2001-07-01' }, '13800001111 ', '导入甲支部', ''],
      [2, '钱二', '女', { int: idLost.replace('X', '0') }, '', '本科', '正式党员', '2003年7月1日', '2004/7/1', '', '', ''],
      [3, '孙　三', '女', `${idText.slice(0, 17).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))}${idText[17]}　`, { date: '1983-09-10' }, '研究生', '预备', { date: today(-30) }, '', '１３９００００２２２２', 'IMPA', ''],
    ],
  };
  py(OPENPYXL, file, JSON.stringify(spec));
  const r = await upload(adm, br, 'openpyxl.xlsx', readFileSync(file));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const p = r.body;
  assert.equal(p.header_row, 3, JSON.stringify(p.rows));
  assert.equal(p.sheet, '花名册');
  assert.deepEqual(p.counts, { new: 2, update: 0, unchanged: 0, error: 1, total: 3 }, JSON.stringify(p.rows));
  const byName = Object.fromEntries(p.rows.map((x) => [x.name, x]));
  assert.equal(byName['赵一'].status, 'new');
  assert.equal(byName['赵一'].row, 4);
  assert.equal(byName['赵一'].id_number, '*'.repeat(18));
  assert.equal(byName['孙三'].status, 'new');
  assert.equal(byName['钱二'].status, 'error');
  assert.match(byName['钱二'].errors.join(), /被存成了数字.*15 位有效数字/);
  // commit refuses while a row is in error, then skips it when asked
  let c = await adm.post(`/api/v1/imports/${p.id}/commit`, {});
  assert.equal(c.status, 400);
  assert.match(c.body.error.message, /1 行存在错误/);
  c = await adm.post(`/api/v1/imports/${p.id}/commit?skip_errors=1`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.deepEqual(c.body.counts, { new: 2, update: 0, unchanged: 0, skipped: 1 });
  const list = (await all(adm, `org=${br}`)).items;
  assert.deepEqual(list.map((x) => x.name).sort(), ['孙三', '赵一']);
  const zhao = (await adm.get(`/api/v1/members/${list.find((x) => x.name === '赵一').id}?full=1`)).body;
  assert.equal(zhao.id_number, idNum);
  assert.equal(zhao.birth_date, '1979-05-04');
  assert.equal(zhao.join_date, '2000-07-01');
  assert.equal(zhao.education, '大学专科');
  assert.equal(zhao.phone, '13800001111');
  const sun = (await adm.get(`/api/v1/members/${list.find((x) => x.name === '孙三').id}?full=1`)).body;
  assert.equal(sun.id_number, idText);
  assert.equal(sun.category, 'probationary');
  assert.equal(sun.phone, '13900002222');
  const hist = (await adm.get(`/api/v1/members/${zhao.id}/history`)).body.items;
  assert.equal(hist[0].kind, 'created');
  assert.equal(hist[0].reason, '批量导入：openpyxl.xlsx');
  // a batch commits once
  c = await adm.post(`/api/v1/imports/${p.id}/commit?skip_errors=1`, {});
  assert.equal(c.status, 409);
});

test('import: a LibreOffice workbook (shared strings), a GBK CSV, updates with the changed fields', async () => {
  const br = await mkOrg(town, '导入乙支部', 'branch', 'IMPB');
  const ids = [makeId('1970-01-01', 301, 'M'), makeId('1975-03-03', 303, 'F'), makeId('1968-12-12', 305, 'M')];
  const csv = ['姓名,性别,身份证号码,学历,人员类别,入党日期,转正日期,联系电话,现居住地,备注',
    `周一,男,${ids[0]},高中,正式党员,1995-07-01,1996-07-01,13711112222,南街 1 号,`,
    `吴二,女,${ids[1]},中专,正式党员,1999/07/01,2000/07/01,,北街 2 号,"含,逗号"`,
    `郑三,男,${ids[2]},初中,正式党员,1990-07-01,1991-07-01,,,`].join('\r\n') + '\r\n';
  writeFileSync(join(work, 'lo.csv'), csv);
  const profile = mkdtempSync(join(tmpdir(), 'zhibu-lo-'));
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--infilter=CSV:44,34,76,1,3/2',
    '--convert-to', 'xlsx', '--outdir', work, join(work, 'lo.csv')], { stdio: 'ignore', timeout: 120000 });
  rmSync(profile, { recursive: true, force: true });
  const lo = readFileSync(join(work, 'lo.xlsx'));
  assert.ok(lo.includes('sharedStrings'), 'LibreOffice writes shared strings');
  let r = await upload(adm, br, 'lo.xlsx', lo);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.counts, { new: 3, update: 0, unchanged: 0, error: 0, total: 3 });
  let c = await adm.post(`/api/v1/imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const wu = (await all(adm, `org=${br}&q=wu`)).items[0];
  assert.equal(wu.remarks, '含,逗号');
  assert.equal(wu.education, '中等专科');
  assert.equal(wu.join_date, '1999-07-01');

  // the same people again from a GBK CSV, two of them changed
  const gbk = ['姓名,性别,身份证号,学历,人员类别,入党日期,转正日期,联系电话,现居住地,党籍状态',
    `周一,男,${ids[0]},大学本科,正式党员,1995-07-01,1996-07-01,13711112222,南街 1 号,正常`,
    `吴二,女,${ids[1]},中专,正式党员,1999-07-01,2000-07-01,,北街 2 号,流动党员`,
    `郑三,男,${ids[2]},初中,正式党员,1990-07-01,1991-07-01,,,`].join('\r\n') + '\r\n';
  writeFileSync(join(work, 'utf8.csv'), gbk);
  execFileSync('sh', ['-c', `iconv -f UTF-8 -t GBK "${join(work, 'utf8.csv')}" > "${join(work, 'gbk.csv')}"`]);
  r = await upload(adm, br, 'gbk.csv', readFileSync(join(work, 'gbk.csv')));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.encoding, 'GB18030');
  assert.deepEqual(r.body.counts, { new: 0, update: 2, unchanged: 1, error: 0, total: 3 });
  const zhou = r.body.rows.find((x) => x.name === '周一');
  assert.deepEqual(zhou.changes.map((x) => [x.field, x.from, x.to]), [['education', '高中', '大学本科']]);
  const wu2 = r.body.rows.find((x) => x.name === '吴二');
  assert.deepEqual(wu2.changes.map((x) => [x.field, x.from, x.to]), [['status', '正常', '流动']]);
  c = await adm.post(`/api/v1/imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.deepEqual(c.body.counts, { new: 0, update: 2, unchanged: 1, skipped: 0 });
  const h = (await adm.get(`/api/v1/members/${wu.id}/history`)).body.items;
  assert.equal(h[0].kind, 'status');
  assert.equal(h[0].reason, '批量导入：gbk.csv');
});

test('import: row errors in Chinese, duplicates in one file, IDs registered elsewhere, orgs by name and code', async () => {
  const br = await mkOrg(town, '导入丙支部', 'branch', 'IMPC');
  const grp = await mkOrg(br, '丙一小组', 'group');
  const elsewhere = await mkMember({ name: '外组织', org_id: C });
  const elsewhereId = (await adm.get(`/api/v1/members/${elsewhere.id}?full=1`)).body.id_number;
  const dupId = makeId('1985-05-05', 401, 'M');
  const rows = [
    '姓名,性别,身份证号,出生日期,入党日期,转正日期,人员类别,所在党支部,党小组,学历',
    `甲,男,${dupId},1985-05-05,2010-07-01,2011-07-01,正式党员,导入丙支部,丙一小组,`,
    `乙,男,${dupId},,2010-07-01,2011-07-01,正式党员,IMPC,,`,
    `丙,女,${makeId('1985-05-05', 403, 'F')},1985-05-06,2010-07-01,2011-07-01,正式党员,导入丙支部,,`,
    `丁,男,${elsewhereId},,2010-07-01,2011-07-01,正式党员,导入丙支部,,`,
    `戊,男,${makeId('1985-05-05', 405, 'M')},,2010-07-01,2011-07-01,正式党员,南村党支部,,`,
    `己,男,${makeId('1985-05-05', 407, 'M')},,明年,2011-07-01,正式党员,导入丙支部,,`,
    `庚,男,,,2010-07-01,2011-07-01,正式党员,导入丙支部,,`,
    `辛,男,${makeId('2000-05-05', 409, 'M')},,2010-07-01,,预备党员,导入丙支部,,博士后`,
    `壬,男,${makeId('1985-05-05', 411, 'M')},,2010-07-01,2011-07-01,正式党员,导入丙支部,不存在小组,`,
    `癸,男,1.10105E+17,,2010-07-01,2011-07-01,正式党员,导入丙支部,,`,
    '制表人：某某,,,,,,,,,',
  ].join('\n') + '\n';
  const r = await upload(wt, town, 'errors.csv', Buffer.from(rows));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const st = Object.fromEntries(r.body.rows.map((x) => [x.name, x]));
  assert.equal(r.body.rows.length, 10, 'the footer line is not a member');
  assert.equal(st['甲'].status, 'new');
  assert.equal(st['甲'].org_name, '导入丙支部');
  assert.match(st['乙'].errors.join(), /身份证号与第 2 行重复/);
  assert.match(st['丙'].errors.join(), /出生日期 1985-05-06 与身份证号中的 1985-05-05 不一致/);
  assert.match(st['丁'].errors.join(), /该身份证号已在其他组织登记/);
  assert.doesNotMatch(st['丁'].errors.join(), /南村|西镇/);
  assert.match(st['戊'].errors.join(), /所在党支部“南村党支部”不在东镇党委之内/);
  assert.match(st['己'].errors.join(), /入党日期“明年”无法识别为日期/);
  assert.match(st['庚'].errors.join(), /缺少身份证号/);
  assert.match(st['辛'].errors.join(), /入党时未满 18 周岁/);
  assert.match(st['辛'].errors.join(), /学历应为/);
  assert.match(st['壬'].errors.join(), /党小组“不存在小组”不在导入丙支部之下/);
  assert.match(st['癸'].errors.join(), /科学计数法/);
  assert.equal(r.body.counts.error, 9);
  const c = await wt.post(`/api/v1/imports/${r.body.id}/commit?skip_errors=1`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const jia = (await all(adm, `org=${br}`)).items;
  assert.deepEqual(jia.map((x) => [x.name, x.group_id]), [['甲', grp]]);
});

test('import: a row that fails at commit aborts everything; nothing is written', async () => {
  const br = await mkOrg(town, '原子性支部', 'branch', 'ATOM');
  const idX = makeId('1982-02-02', 501, 'M'), idY = makeId('1982-02-02', 503, 'F');
  const file = `姓名,性别,身份证号,入党日期,转正日期\n原子甲,男,${idX},2008-07-01,2009-07-01\n原子乙,女,${idY},2008-07-01,2009-07-01\n`;
  const r = await upload(adm, br, 'atom.csv', Buffer.from(file));
  assert.deepEqual(r.body.counts, { new: 2, update: 0, unchanged: 0, error: 0, total: 2 });
  // meanwhile someone registers the second person elsewhere
  await mkMember({ name: '抢先乙', org_id: B, id_number: idY, gender_for_id: 'F' });
  const c = await adm.post(`/api/v1/imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 409, JSON.stringify(c.body));
  assert.match(c.body.error.message, /第 3 行.*没有写入任何数据/);
  assert.equal((await adm.get(`/api/v1/members?org=${br}`)).body.items.length, 0);
  assert.equal((await adm.get(`/api/v1/members?org=1&q=${idX}`)).body.items.length, 0);
  // and the batch stays uncommitted
  assert.equal((await adm.get(`/api/v1/imports/${r.body.id}`)).body.counts.new, 2);
  // an update whose record changed since the preview is refused too
  const up = await upload(adm, B, 'changed.csv', Buffer.from(`姓名,性别,身份证号,入党日期,转正日期,现居住地\n抢先乙,女,${idY},2010-07-01,2011-07-01,新地址\n`));
  assert.equal(up.body.counts.update, 1);
  const m = (await adm.get(`/api/v1/members?org=1&q=${idY}`)).body.items[0];
  await new Promise((res) => setTimeout(res, 1100));
  await adm.patch(`/api/v1/members/${m.id}`, { remarks: '预览之后改过' });
  const c2 = await adm.post(`/api/v1/imports/${up.body.id}/commit`, {});
  assert.equal(c2.status, 409);
  assert.match(c2.body.error.message, /预览之后被修改过/);
  assert.equal((await adm.get(`/api/v1/members/${m.id}`)).body.address, null);
});

test('import: broken and hostile files get a clear error, never a crash', async () => {
  const cases = [
    [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), 415, /\.xls/],
    [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]), [400, 415], /./],
    [Buffer.from('just,some,text\n1,2,3\n'), 400, /表头/],
    [Buffer.from('姓名,性别,入党日期\n张,男,2000-01-01\n'), 400, /身份证号/],
    [Buffer.from('姓名,身份证号,性别\n'), 400, /没有党员数据/],
    [Buffer.alloc(0), 400, /空/],
    [Buffer.from('姓名,身份证号,性别\n"unclosed,1,2\n'), 400, /./],
    [Buffer.from('<html><table><tr><td>姓名</td></tr></table></html>'), [400, 415], /./],
  ];
  for (const [bytes, status, msg] of cases) {
    const r = await upload(adm, A, 'bad.bin', bytes);
    assert.ok([status].flat().includes(r.status), JSON.stringify(r.body));
    assert.match(r.body.error.message, msg);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  // a zip bomb: one entry that inflates far past the cap
  const bomb = join(work, 'bomb.xlsx');
  py(`import zipfile,sys
z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml','<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr('xl/workbook.xml','<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1" r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels','<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
z.writestr('xl/worksheets/sheet1.xml','<worksheet>'+' '*(300*1024*1024)+'</worksheet>')
z.close()`, bomb);
  const r = await upload(adm, A, 'bomb.xlsx', readFileSync(bomb));
  assert.ok([400, 413].includes(r.status), JSON.stringify(r.body));
  // a 党小组 is not an import target: its branch is, with a 党小组 column
  const g = await upload(adm, G, 'g.csv', Buffer.from(`姓名,身份证号,性别,入党日期\n张,${makeId('1980-01-01', 9, 'M')},男,2005-07-01\n`));
  assert.equal(g.status, 400);
  assert.equal(g.body.error.field, 'org');
  assert.match(g.body.error.message, /党小组/);
  // over the upload cap: 413 from the declared length before the body is
  // read, and the connection closed, so a client still sending may see it
  // reset instead (tests/security/hostile.test.mjs reads the 413 itself)
  const big = await upload(adm, A, 'big.csv', Buffer.alloc(21 << 20, 0x41)).catch(() => ({ status: 'closed' }));
  assert.ok([413, 'closed'].includes(big.status), String(big.status));
  // the server is still fine
  assert.equal((await adm.get('/api/v1/health')).status, 200);
});

test('export: the 花名册 layout, masked by default, full only with the permission, audited, and it imports back unchanged', async () => {
  const br = await mkOrg(town, '导出支部', 'branch', 'EXPO');
  const grp = await mkOrg(br, '导出小组', 'group');
  await mkMember({ name: '导出甲', org_id: br, extra: { phone: '13500001111', education: '研究生', work_unit: '东村村委会', job_title: '会计', address: '东村 1 组', remarks: '=1+1 不是公式', ethnicity: '回族', group_id: grp } });
  await mkMember({ name: '导出乙', org_id: br, category: 'probationary', join_date: today(-10), extra: { native_place: '山东济南' } });
  await mkMember({ name: '导出丙', org_id: grp, extra: { status: 'abroad' } });
  // masked xlsx
  let r = await adm.get(`/api/v1/members/export?org=${br}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="roster.xlsx"; filename\*=UTF-8''/);
  const masked = join(work, 'masked.xlsx');
  writeFileSync(masked, r.body);
  const dump = JSON.parse(py(`import openpyxl,sys,json
wb=openpyxl.load_workbook(sys.argv[1])
ws=wb.active
print(json.dumps({'title':ws['A1'].value,'freeze':ws.freeze_panes,'merged':[str(x) for x in ws.merged_cells.ranges],
 'rows':[[c.value for c in r] for r in ws.iter_rows(min_row=2)],'idtype':ws.cell(3,6).data_type,
 'width':ws.column_dimensions['F'].width}, ensure_ascii=False))`, masked));
  assert.equal(dump.title, '导出支部党员花名册');
  assert.equal(dump.freeze, 'A3');
  assert.deepEqual(dump.merged, ['A1:T1']);
  assert.deepEqual(dump.rows[0], ['序号', '姓名', '性别', '民族', '出生日期', '身份证号', '籍贯', '学历', '学位', '工作单位', '职务', '人员类别', '入党日期', '转正日期', '联系电话', '现居住地', '所在党支部', '党小组', '党籍状态', '备注']);
  assert.equal(dump.rows.length, 4);
  assert.equal(dump.idtype, 's', 'ID numbers are text cells');
  assert.ok(dump.width > 18);
  const jia = dump.rows.find((x) => x[1] === '导出甲');
  assert.equal(jia[5], '*'.repeat(18));
  assert.equal(jia[14], '135****1111');
  assert.equal(jia[17], '导出小组');
  assert.equal(jia[19], '=1+1 不是公式');
  // a worker may export, masked only
  assert.equal((await wa.get(`/api/v1/members/export?org=${A}&full=1`)).status, 403);
  assert.equal((await wa.get(`/api/v1/members/export?org=${A}`)).status, 200);
  assert.equal((await adm.get(`/api/v1/members/export?org=${br}&format=pdf`)).status, 400);
  // CSV: BOM, formula cells neutralised
  r = await adm.get(`/api/v1/members/export?org=${br}&format=csv`);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  const text = r.body.toString();
  assert.ok(text.startsWith('\ufeff序号,姓名'));
  assert.ok(text.includes(`"'=1+1 不是公式"`));
  // full export imports back with nothing changed (xlsx and csv)
  r = await adm.get(`/api/v1/members/export?org=${br}&full=1`);
  let back = await upload(adm, br, 'roundtrip.xlsx', r.body);
  assert.equal(back.status, 201, JSON.stringify(back.body));
  assert.deepEqual(back.body.counts, { new: 0, update: 0, unchanged: 3, error: 0, total: 3 }, JSON.stringify(back.body.rows));
  r = await adm.get(`/api/v1/members/export?org=${town}&full=1&format=csv`);
  back = await upload(adm, town, 'roundtrip.csv', r.body);
  assert.equal(back.status, 201, JSON.stringify(back.body));
  const errs = back.body.rows.filter((x) => x.status !== 'unchanged');
  // only the formula-guarded remark differs in CSV (the apostrophe is the point)
  assert.deepEqual(errs.map((x) => [x.name, x.changes.map((c) => c.field)]), [['导出甲', ['remarks']]]);
  // a masked export cannot be imported over real records
  back = await upload(adm, br, 'masked.xlsx', readFileSync(masked));
  assert.equal(back.body.counts.error, 3);
  // the audit trail has every export with count and full flag
  const rows = await auditRows('member.export', (x) => x.object_id === String(br) && x.detail.full === true);
  assert.ok(rows.length >= 1);
  assert.equal(rows[0].detail.count, 3);
});

// ---- CLI -------------------------------------------------------------------------

test('CLI: import --dry-run prints the summary and errors and exits non-zero; import and export commit and audit', async () => {
  const br = await mkOrg(town, '命令行支部', 'branch', 'CLIB');
  const id1 = makeId('1977-07-07', 601, 'M'), id2 = makeId('1977-07-07', 603, 'F');
  const bad = join(work, 'cli-bad.csv');
  writeFileSync(bad, `姓名,性别,身份证号,入党日期,转正日期\n命令甲,男,${id1},2001-07-01,2002-07-01\n命令乙,女,${id2.slice(0, 17)}${id2[17] === '0' ? '1' : '0'},2001-07-01,2002-07-01\n`);
  const env = srv.env;
  let r = cli(['import', 'members', bad, '--org', 'CLIB', '--dry-run', '--db', srv.db], env);
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'new=1 updated=0 unchanged=0 errors=1');
  assert.match(lines[1], /^第3行：身份证号有误：号码未通过校验/);
  // without --dry-run a file with errors writes nothing
  r = cli(['import', 'members', bad, '--org', 'CLIB', '--db', srv.db], env);
  assert.equal(r.code, 1);
  assert.equal((await adm.get(`/api/v1/members?org=${br}`)).body.items.length, 0);
  const good = join(work, 'cli-good.csv');
  writeFileSync(good, `姓名,性别,身份证号,入党日期,转正日期\n命令甲,男,${id1},2001-07-01,2002-07-01\n命令乙,女,${id2},2001-07-01,2002-07-01\n`);
  r = cli(['import', 'members', good, '--org', String(br), '--dry-run', '--db', srv.db], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'new=2 updated=0 unchanged=0 errors=0');
  assert.equal((await adm.get(`/api/v1/members?org=${br}`)).body.items.length, 0);
  r = cli(['import', 'members', good, '--org', 'CLIB', '--db', srv.db], env);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await adm.get(`/api/v1/members?org=${br}`)).body.items.length, 2);
  r = cli(['import', 'members', good, '--org', 'CLIB', '--dry-run', '--db', srv.db], env);
  assert.equal(r.stdout.trim(), 'new=0 updated=0 unchanged=2 errors=0');
  // export through the CLI, then back in: unchanged
  const out = join(work, 'cli-out.xlsx');
  r = cli(['export', 'members', '--org', 'CLIB', '-o', out, '--full', '--db', srv.db], env);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(out));
  r = cli(['import', 'members', out, '--org', 'CLIB', '--dry-run', '--db', srv.db], env);
  assert.equal(r.stdout.trim(), 'new=0 updated=0 unchanged=2 errors=0');
  r = cli(['export', 'members', '--org', 'CLIB', '-o', join(work, 'cli-out.csv'), '--db', srv.db], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(work, 'cli-out.csv'), 'utf8'), /命令甲,男,/);
  // usage errors
  assert.equal(cli(['import', 'members', good, '--db', srv.db], env).code, 2);
  assert.equal(cli(['import', 'members', good, '--org', 'NOPE', '--db', srv.db], env).code, 1);
  assert.equal(cli(['export', 'members', '--org', 'CLIB', '--db', srv.db], env).code, 2);
  const rows = await auditRows('import.commit', (x) => x.username?.startsWith('cli:'));
  assert.ok(rows.length >= 1);
  assert.ok((await auditRows('member.export', (x) => x.username?.startsWith('cli:'))).length >= 1);
});

// ---- audit ---------------------------------------------------------------------

test('audit: detail reads, list reads with the filter, imports and exports leave rows', async () => {
  const m = await mkMember({ name: '审计测试' });
  await wa.get(`/api/v1/members/${m.id}`);
  await adm.get(`/api/v1/members/${m.id}?full=1`);
  await wa.get(`/api/v1/members?org=${A}&q=sjcs&gender=M`);
  // reads are written by the audit writer in batches: wait for each row
  const mine = (x) => x.object_id === String(m.id);
  assert.ok((await auditRows('member.read', (x) => mine(x) && x.username === 'wa' && x.detail.full === false)).length);
  assert.ok((await auditRows('member.read', (x) => mine(x) && x.username === 'admin' && x.detail.full === true)).length);
  const lists = await auditRows('member.list', (x) => x.username === 'wa' && x.detail.q === 'sjcs');
  assert.equal(lists.length, 1);
  assert.equal(lists[0].detail.gender, 'M');
  assert.equal(lists[0].detail.count, 1);
  assert.ok((await auditRows('import.upload')).length >= 1);
  assert.ok((await auditRows('import.commit', (x) => x.username === 'admin')).length >= 1);
  assert.ok((await auditRows('member.create', (x) => x.detail?.batch)).length >= 1);
  // nothing sensitive in clear in any member audit row
  const full = (await adm.get(`/api/v1/members/${m.id}?full=1`)).body.id_number;
  const r = await aud.get('/api/v1/audit?limit=200');
  assert.ok(!JSON.stringify(r.body).includes(full));
  assert.equal((await aud.get('/api/v1/audit/verify')).body.ok, true);
});
