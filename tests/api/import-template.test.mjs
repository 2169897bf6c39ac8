// The import template (GET /api/v1/imports/template), the sample row the
// importer skips, the error of a 正式党员 row without 转正日期 (names the
// row, the column and the fix), and the target org named with its path in
// the preview and in org search (three branches of one name).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { startServer, admin, addUser, loginAs } from './lib.mjs';

let srv, adm, townE, townW, townN, brE, brW, brN, worker;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(birth, seq, gender, region = '110105') {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = region + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

async function mkOrg(parent, name, type, code) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, code });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function upload(c, org, name, text) {
  return c.req('POST', `/api/v1/imports?org=${org}&filename=${encodeURIComponent(name)}`, Buffer.from(text), {
    raw: true, headers: { 'Content-Type': 'text/csv' },
  });
}

/** The entries of a zip file (stored or deflated), by name. */
function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a zip file');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < n; i++) {
    const method = buf.readUInt16LE(p + 10), csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), xlen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString();
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out[name] = method === 8 ? zlib.inflateRawSync(data) : data;
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

/** Rows of the first sheet as arrays of cell texts (inline or shared strings). */
function sheetRows(zip) {
  const shared = zip['xl/sharedStrings.xml']
    ? [...zip['xl/sharedStrings.xml'].toString().matchAll(/<si>(.*?)<\/si>/gs)].map((m) => m[1].replace(/<[^>]+>/g, ''))
    : [];
  const xml = zip['xl/worksheets/sheet1.xml'].toString();
  const unesc = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...xml.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((row) =>
    [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)].map((c) => {
      const body = c[2] || '';
      if (/t="s"/.test(c[1])) return shared[Number(/<v>(\d+)<\/v>/.exec(body)[1])];
      const t = /<t[^>]*>(.*?)<\/t>/s.exec(body);
      return t ? unesc(t[1]) : '';
    }));
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  townE = await mkOrg(1, '东河镇党委', 'committee', 'TE');
  townW = await mkOrg(1, '西河镇党委', 'committee', 'TW');
  townN = await mkOrg(1, '北河镇党委', 'committee', 'TN');
  // three branches of one name, as the demo county has
  brE = await mkOrg(townE, '中共临河口村支部委员会', 'branch', 'LHK1');
  brW = await mkOrg(townW, '中共临河口村支部委员会', 'branch', 'LHK2');
  brN = await mkOrg(townN, '中共临河口村支部委员会', 'branch', 'LHK3');
  addUser(srv, 'tpl_worker', 'party_worker', townE);
  worker = await loginAs(srv, 'tpl_worker');
});
after(async () => { await srv?.stop(); });

test('template: an xlsx download with the headers the importer reads and one marked sample row', async () => {
  const r = await worker.get('/api/v1/imports/template');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="roster-template.xlsx"; filename\*=UTF-8''/);
  assert.match(decodeURIComponent(r.headers.get('content-disposition').split("''")[1]), /党员名册导入模板\.xlsx/);
  const rows = sheetRows(unzip(r.body));
  assert.equal(rows.length, 3, JSON.stringify(rows));
  assert.match(rows[0][0], /导入模板.*示例.*自动跳过/);
  const header = rows[1];
  for (const h of ['*姓名', '*身份证号', '*入党日期', '性别', '民族', '出生日期', '学历', '联系电话', '党小组', '备注'])
    assert.ok(header.includes(h), `${h} in ${header}`);
  assert.ok(header.some((h) => h.startsWith('转正日期')));
  assert.ok(header.some((h) => h.startsWith('人员类别')));
  const sample = rows[2];
  assert.ok(sample[0].startsWith('【示例】'), sample[0]);
  assert.match(sample[header.indexOf('*身份证号')], /^\d{17}[\dX]$/);
  // a logged-out caller and one without member.import get nothing
  const anon = await fetch(srv.url + '/api/v1/imports/template');
  assert.equal(anon.status, 401);
});

test('template: uploaded as it is, the sample alone is refused with a message saying so', async () => {
  const t = await worker.get('/api/v1/imports/template');
  const r = await worker.req('POST', `/api/v1/imports?org=${brE}&filename=t.xlsx`, t.body, {
    raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'file');
  assert.match(r.body.error.message, /只有示例行/);
});

test('template: filled in below the sample, the rows import and the sample does not', async () => {
  const t = await worker.get('/api/v1/imports/template');
  const rows = sheetRows(unzip(t.body));
  const header = rows[1], sample = rows[2];
  const id = makeId('1980-03-04', 11, 'F');
  const mine = header.map((h) => ({ '*姓名': '王芳', '*身份证号': id, '*入党日期': '2005-07-01', 性别: '女' }[h] ??
    (h.startsWith('转正日期') ? '2006-07-01' : h.startsWith('人员类别') ? '正式党员' : '')));
  const csv = [header, sample, mine].map((r) => r.join(',')).join('\n') + '\n';
  const up = await upload(worker, brE, '模板.csv', csv);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.samples_skipped, 1);
  assert.deepEqual(up.body.counts, { new: 1, update: 0, unchanged: 0, error: 0, total: 1 });
  assert.equal(up.body.rows.length, 1);
  assert.equal(up.body.rows[0].name, '王芳');
  const c = await worker.post(`/api/v1/imports/${up.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.counts.new, 1);
  const list = await worker.get(`/api/v1/members?org=${brE}`);
  assert.deepEqual(list.body.items.map((m) => m.name), ['王芳']);
});

test('import: a 正式党员 without 转正日期 is told the row, the column and how to fix the file', async () => {
  const a = makeId('1979-01-02', 21, 'M'), b = makeId('1979-01-02', 23, 'M');
  // the column is there, the cell is empty (row 3; CSV columns are numbered)
  let r = await upload(worker, brE, 'a.csv',
    `姓名,身份证号,人员类别,入党日期,转正时间\n甲,${a},正式党员,2001-07-01,2002-07-01\n乙,${b},正式党员,2001-07-01,\n`);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  let row = r.body.rows.find((x) => x.row === 3);
  assert.equal(row.status, 'error');
  assert.deepEqual(row.errors, ['第 3 行“人员类别”（第 3 列）是正式党员，但“转正时间”（第 5 列）是空的：' +
    '请在第 3 行 第 5 列填写转正日期，如 2013-07-01；尚未转正的，请把“人员类别”（第 3 列）改为预备党员']);
  // no such column at all
  r = await upload(worker, brE, 'b.csv', `姓名,身份证号,人员类别,入党日期\n乙,${b},正式党员,2001-07-01\n`);
  row = r.body.rows[0];
  assert.equal(row.status, 'error');
  assert.match(row.errors[0], /^第 2 行“人员类别”（第 3 列）是正式党员，但文件中没有“转正日期”列：请在表头加一列“转正日期”，并在第 2 行填写转正日期/);
});

test('preview and org search name the org with its path', async () => {
  const a = makeId('1979-05-06', 31, 'M');
  const r = await upload(adm, brW, 'c.csv', `姓名,身份证号,人员类别,入党日期,转正日期\n丙,${a},正式党员,2001-07-01,2002-07-01\n`);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.org_name, '中共临河口村支部委员会');
  assert.match(r.body.org_trail, / \/ 西河镇党委 \/ 中共临河口村支部委员会$/);
  const again = await adm.get(`/api/v1/imports/${r.body.id}`);
  assert.equal(again.body.org_trail, r.body.org_trail);
  const s = await adm.get('/api/v1/orgs/search?q=' + encodeURIComponent('临河口'));
  assert.equal(s.status, 200);
  const names = s.body.items.map((o) => o.path_name).sort();
  assert.equal(names.length, 3);
  assert.equal(new Set(names).size, 3, names.join('|'));
  for (const town of ['东河镇党委', '西河镇党委', '北河镇党委'])
    assert.ok(names.some((n) => n.endsWith(`${town} / 中共临河口村支部委员会`)), town);
  // a town worker sees the path from where its grant starts: no names above it
  const w = await worker.get('/api/v1/orgs/search?q=' + encodeURIComponent('临河口'));
  assert.deepEqual(w.body.items.map((o) => o.path_name), ['东河镇党委 / 中共临河口村支部委员会']);
});
