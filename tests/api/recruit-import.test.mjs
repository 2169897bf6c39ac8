// Issue 11: import of an existing 发展党员 pipeline (发展党员台账, xlsx) through
// the roster import's preview-then-commit flow: header variants, rows in
// error named in Chinese (ID number, branch, dates out of order, under 18),
// a historic step that broke a rule kept with the rule as its flag, the
// hand-over to the roster of a 预备党员 and a 正式党员 per the sheet (or the
// member already there, matched by ID number), all or nothing, a second
// import of the same file writing nothing, a damaged file, scoping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';
import { writeXlsx } from './xlsx.mjs';

let srv, adm, town, A, B, secB, aud, work;
const idOf = (birth, seq) => withCheck(`110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`);

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, category, extra = {}) {
  const body = { org_id: org, name, category, join_date: '2010-07-01', ...extra };
  if (category === 'full' && !body.full_date) body.full_date = '2011-07-01';
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

function xlsx(name, spec) {
  const file = join(work, name);
  writeXlsx(file, spec);
  return readFileSync(file);
}
async function upload(c, org, name, bytes) {
  return c.req('POST', `/api/v1/applicant-imports?org=${org}&filename=${encodeURIComponent(name)}`, bytes, {
    raw: true, headers: { 'Content-Type': 'application/octet-stream' },
  });
}

const HEADER = ['序号', '姓  名', '性别', '公民身份号码', '出生年月', '民族', '文化程度', '工作单位', '联系电话', '所在党支部',
  '人员来源', '是否推优', '递交入党申请书日期', '谈话日期', '确定入党积极分子日期', '培养联系人', '确定发展对象日期', '入党介绍人',
  '政治审查', '集中培训', '支部大会日期', '上级党委审批日期', '入党宣誓日期', '转正日期'];
const ID = {
  wang: idOf('1998-03-02', 11), li: idOf('1996-06-06', 14), zhao: idOf('1995-01-09', 15), sun: idOf('2000-01-01', 17),
  qian: idOf('1994-04-04', 20), zhou: idOf('2010-05-05', 22), wu: idOf('1997-07-07', 23), zheng: idOf('1993-03-03', 26),
};
let zhengId;
const rows = () => [
  // an applicant, 共青团推优 activist, on time
  [1, '王一', '男', ID.wang, '1998.03', '汉族', '本科', '东村', '13800000001', '甲村党支部', '大学生', '是', { date: '2024-03-01' }, { date: '2024-03-20' }, { date: '2024-06-01' }, '张正', '', '', '', '', '', '', '', ''],
  // a 发展对象 whose talk came late (flag) and whose introducer was a 预备党员 (flag)
  [2, '李二', '女', ID.li, '', '汉族', '大专', '', '', '甲村党支部', '青年农民', '否', { date: '2022-01-10' }, { date: '2022-03-15' }, { date: '2022-04-01' }, '张正', { date: '2023-05-01' }, '张正、刘预', '', '', '', '', '', ''],
  // a 预备党员 per the sheet: goes onto the roster
  [3, '赵三', '男', ID.zhao, '', '汉族', '高中', '', '', '甲村党支部', '复转军人', '', { date: '2021-02-01' }, { date: '2021-02-20' }, { date: '2021-05-01' }, '', { date: '2022-06-01' }, '', '合格 2022-07-01', { date: '2022-08-01' }, { date: '2023-09-01' }, { date: '2023-11-01' }, { date: '2023-11-10' }, ''],
  // a 正式党员 per the sheet
  [4, '钱四', '女', ID.qian, '', '汉族', '本科', '', '', '甲村党支部', '返乡创业人员', '', { date: '2019-02-01' }, { date: '2019-02-15' }, { date: '2019-04-01' }, '', { date: '2020-05-01' }, '', '', '', { date: '2020-09-01' }, { date: '2020-10-20' }, '', { date: '2021-09-01' }],
  // bad rows: an ID number with a wrong check digit, a branch not under the import's org,
  // dates out of order, under 18 at application
  [5, '孙五', '男', ID.sun.slice(0, 17) + (ID.sun[17] === '1' ? '2' : '1'), '', '汉族', '', '', '', '甲村党支部', '', '', { date: '2024-01-01' }, '', '', '', '', '', '', '', '', '', '', ''],
  [6, '吴六', '男', ID.wu, '', '汉族', '', '', '', '乙村党支部', '', '', { date: '2024-01-01' }, '', '', '', '', '', '', '', '', '', '', ''],
  [7, '周七', '女', ID.qian.slice(0, 0) + idOf('1992-02-02', 28), '', '汉族', '', '', '', '甲村党支部', '', '', { date: '2024-05-01' }, { date: '2024-04-01' }, '', '', '', '', '', '', '', '', '', ''],
  [8, '郑八', '女', ID.zhou, '', '汉族', '', '', '', '甲村党支部', '', '', { date: '2025-01-01' }, '', '', '', '', '', '', '', '', '', '', ''],
];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'zb-rimp-'));
  srv = await startServer();
  adm = await admin(srv);
  town = await mkOrg(1, '东河镇党委', 'committee');
  A = await mkOrg(town, '甲村党支部', 'branch');
  const other = await mkOrg(1, '西河镇党委', 'committee');
  B = await mkOrg(other, '乙村党支部', 'branch');
  await mkMember(A, '张正', 'full');
  await mkMember(A, '刘预', 'probationary', { join_date: '2022-12-01' });
  // a 预备党员 already on the roster, in the sheet of the second import
  zhengId = await mkMember(A, '郑九', 'probationary', { join_date: '2024-01-10', id_number: ID.zheng });
  await addUser(srv, 'sec-b', 'org_admin', B);
  secB = await loginAs(srv, 'sec-b');
  await addUser(srv, 'aud', 'audit_admin', 1);
  aud = await loginAs(srv, 'aud');
});
after(async () => { await srv?.stop(); rmSync(work, { recursive: true, force: true }); });

test('preview: rows in error named in Chinese, flags of historic rules, nothing written', async () => {
  const r = await upload(adm, A, '台账.xlsx', xlsx('a.xlsx', { title: '甲村发展党员台账', header: HEADER, rows: rows() }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const p = r.body;
  assert.deepEqual(p.counts, { new: 4, unchanged: 0, error: 4 }, JSON.stringify(p.rows, null, 1));
  const by = Object.fromEntries(p.rows.map((x) => [x.name, x]));
  assert.equal(by['王一'].stage, 'activist');
  assert.deepEqual(by['王一'].steps.map((s) => s.step), [1, 2, 3, 5]);
  assert.ok(by['王一'].steps.every((s) => s.flag === null));
  // steps not in the sheet are not invented: 李二 has 1 2 3 5 7 9, nothing else
  assert.deepEqual(by['李二'].steps.map((s) => s.step), [1, 2, 3, 5, 7, 9]);
  const f2 = by['李二'].steps.find((s) => s.step === 2).flag;
  assert.match(f2, /一个月内派人谈话.*2022-01-10.*2022-02-10/);
  const f9 = by['李二'].steps.find((s) => s.step === 9).flag;
  assert.match(f9, /入党介绍人须为正式党员.*刘预/);
  assert.equal(p.flagged, 1);
  assert.equal(by['赵三'].stage, 'probationary');
  assert.equal(by['钱四'].stage, 'full');
  assert.match(by['孙五'].errors.join(), /校验/);
  assert.match(by['吴六'].errors.join(), /乙村党支部.*不在/);
  assert.match(by['周七'].errors.join(), /日期先后顺序不对/);
  assert.match(by['郑八'].errors.join(), /年满 18 岁/);
  // the preview again; the roster import does not know this batch
  assert.equal((await adm.get(`/api/v1/applicant-imports/${p.id}`)).body.counts.new, 4);
  assert.equal((await adm.get(`/api/v1/imports/${p.id}`)).status, 404);
  // nothing written yet; a commit with rows in error is refused
  assert.equal((await adm.get(`/api/v1/applicants?org=${A}`)).body.items.length, 0);
  const c = await adm.post(`/api/v1/applicant-imports/${p.id}/commit`, {});
  assert.equal(c.status, 400);
  assert.match(c.body.error.message, /4 行有错误/);
});

test('commit: applicants with their steps and flags, the roster for 预备党员 and 正式党员; a second import writes nothing', async () => {
  const file = xlsx('b.xlsx', { title: '甲村发展党员台账', header: HEADER, rows: rows().slice(0, 4) });
  let r = await upload(adm, A, '台账.xlsx', file);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  let c = await adm.post(`/api/v1/applicant-imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.deepEqual(c.body.counts, { new: 4, unchanged: 0, skipped: 0 });
  const list = (await adm.get(`/api/v1/applicants?org=${A}`)).body.items;
  const by = Object.fromEntries(list.map((x) => [x.name, x]));
  const li = (await adm.get(`/api/v1/applicants/${by['李二'].id}`)).body;
  assert.equal(li.stage, 'candidate');
  assert.match(li.steps.find((s) => s.step === 9).flag, /刘预/);
  assert.equal(li.steps.find((s) => s.step === 9).people.length, 2);
  const wang = (await adm.get(`/api/v1/applicants/${by['王一'].id}`)).body;
  assert.equal(wang.recommended_by, 'league');
  // 赵三 on the roster as 预备党员 from the plenary; 钱四 正式党员
  const zhao = (await adm.get(`/api/v1/applicants/${by['赵三'].id}`)).body;
  assert.ok(zhao.member_id);
  const mz = (await adm.get(`/api/v1/members/${zhao.member_id}`)).body;
  assert.equal(mz.category, 'probationary');
  assert.equal(mz.join_date, '2023-09-01');
  const qian = (await adm.get(`/api/v1/applicants/${by['钱四'].id}`)).body;
  const mq = (await adm.get(`/api/v1/members/${qian.member_id}`)).body;
  assert.equal(mq.category, 'full');
  assert.equal(mq.full_date, '2021-09-01');
  // the commit is audited
  const au = (await aud.get('/api/v1/audit?action=import.commit')).body;
  assert.ok(JSON.stringify(au).includes('recruit'));
  // the same file again: every row already in the pipeline, nothing to write
  r = await upload(adm, A, '台账.xlsx', file);
  assert.deepEqual(r.body.counts, { new: 0, unchanged: 4, error: 0 });
  c = await adm.post(`/api/v1/applicant-imports/${r.body.id}/commit`, {});
  assert.deepEqual(c.body.counts, { new: 0, unchanged: 4, skipped: 0 });
  assert.equal((await adm.get(`/api/v1/applicants?org=${A}`)).body.items.length, 4);
  // a batch commits once
  c = await adm.post(`/api/v1/applicant-imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 409);
});

test('a 预备党员 already on the roster is matched by ID number, not registered twice; a member who is only an activist per the sheet is an error', async () => {
  const row = [1, '郑九', '女', ID.zheng, '', '汉族', '', '', '', '', '', '', { date: '2022-09-01' }, { date: '2022-09-20' }, { date: '2022-10-10' }, '', { date: '2023-10-20' }, '', '', '', { date: '2024-01-10' }, { date: '2024-02-20' }, '', ''];
  const chen = idOf('1991-01-01', 33);
  await mkMember(A, '陈十', 'full', { id_number: chen });
  const bad = [2, '陈十', '男', chen, '', '', '', '', '', '', '', '', { date: '2022-09-01' }, '', { date: '2022-10-10' }, '', '', '', '', '', '', '', '', ''];
  let r = await upload(adm, A, 'c.xlsx', xlsx('c.xlsx', { title: '台账', header: HEADER, rows: [row] }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.rows[0].member_id, zhengId);
  const c = await adm.post(`/api/v1/applicant-imports/${r.body.id}/commit`, {});
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const items = (await adm.get(`/api/v1/members?org=${A}&q=${encodeURIComponent('郑九')}`)).body.items;
  assert.equal(items.length, 1);
  const app = (await adm.get(`/api/v1/applicants?org=${A}&q=${encodeURIComponent('郑九')}`)).body.items[0];
  assert.equal((await adm.get(`/api/v1/applicants/${app.id}`)).body.member_id, zhengId);
  r = await upload(adm, A, 'd.xlsx', xlsx('d.xlsx', { title: '台账', header: HEADER, rows: [bad] }));
  assert.match(r.body.rows[0].errors.join(), /已有党员登记/);
});

test('a damaged file, a file without the columns, scoping', async () => {
  let r = await upload(adm, A, 'x.xlsx', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]));
  assert.ok(r.status === 400 || r.status === 415, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'file');
  r = await upload(adm, A, 'y.xlsx', xlsx('y.xlsx', { title: '名册', header: ['姓名', '性别', '民族'], rows: [['甲', '男', '汉族']] }));
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /公民身份号码|表头/);
  // a secretary of 乙村 may not import into 甲村, nor see another's batch
  r = await upload(secB, A, 'z.xlsx', xlsx('z.xlsx', { title: '台账', header: HEADER, rows: rows().slice(0, 1) }));
  assert.ok(r.status === 403 || r.status === 404, JSON.stringify(r.body));
  r = await upload(adm, A, 'w.xlsx', xlsx('w.xlsx', { title: '台账', header: HEADER, rows: [[1, '冯十', '男', idOf('1999-09-09', 31), '', '', '', '', '', '', '', '', { date: '2024-02-01' }]] }));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.ok([403, 404].includes((await secB.get(`/api/v1/applicant-imports/${r.body.id}`)).status));
  assert.ok([403, 404].includes((await secB.post(`/api/v1/applicant-imports/${r.body.id}/commit`, {})).status));
});
