// A branch secretary imports the branch's 发展党员台账 on a phone: from the
// recruitment board to the import, uploads a real xlsx (openpyxl, real date
// cells) with a good row, a row whose ID number has a wrong check digit and
// a row whose history broke a time rule (the talk two months after the
// application); the preview names the ID problem in Chinese and shows the
// broken rule beside its step; the commit skips the bad row; the imported
// people are on the board, the late talk kept with its flag.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, fixtures, launch, openPage, login, shot, axe, waitRoute, needRoutes, PHONE, idNumber, badIdNumber } from './helpers.mjs';
import { writeXlsx } from '../api/xlsx.mjs';

const ROUTES = ['POST /applicant-imports', 'POST /applicant-imports/{id}/commit', 'GET /applicants', 'GET /applicants/{id}'];

let server, browser, f;
before(async () => {
  server = await startServer({ scale: 100 });
  f = await fixtures(server);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a secretary imports the 台账: problems named, bad row skipped, the flagged history kept (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const branch = f.branchA.name;
  const contact = f.membersA[1].name;
  const header = ['序号', '姓名', '性别', '公民身份号码', '民族', '所在党支部', '人员来源', '递交入党申请书日期', '谈话日期',
    '确定入党积极分子日期', '培养联系人'];
  const good = [1, '冯晓宇', '男', idNumber('19980312', 311, undefined, 'M'), '汉族', branch, '青年农民', { date: '2024-03-01' }, { date: '2024-03-20' }, { date: '2024-09-01' }, contact];
  const badId = [2, '蒋文静', '女', badIdNumber('19970505', 312, undefined, 'F'), '汉族', branch, '大学生', { date: '2024-04-01' }, '', '', ''];
  const late = [3, '韩志刚', '男', idNumber('19960707', 313, undefined, 'M'), '汉族', branch, '复转军人', { date: '2024-01-10' }, { date: '2024-03-15' }, { date: '2024-06-01' }, contact];
  const file = join(server.dir, '发展党员台账.xlsx');
  writeXlsx(file, { title: `${branch}发展党员台账`, header, rows: [good, badId, late] });

  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'worker_a');
  // from the branch's recruitment board
  await page.goto(`/#/recruit?org=${f.branchA.id}`);
  await page.getByRole('button', { name: '导入台账' }).click();
  await waitRoute(page, new RegExp(`#/recruit/import\\?org=${f.branchA.id}`));
  await page.locator('#import-file').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.getByText('有错误 1').waitFor();
  await page.getByText('将导入 2').waitFor();
  await page.getByText('有违规步骤 1').waitFor();
  assert.equal(await page.locator('[data-test="import-target"]').innerText(), `导入到：${branch}`);
  // the bad ID row: its problem in Chinese, on its row of the file (title 1, header 2)
  const bad = page.locator('.import-row[data-row="4"]');
  assert.match(await bad.innerText(), /蒋文静/);
  assert.match(await bad.locator('.reasons').innerText(), /身份证号|公民身份号码/);
  assert.match(await bad.locator('.reasons').innerText(), /校验/);
  // the late talk: kept, with the rule and the dates beside the step
  const lateRow = page.locator('.import-row[data-row="5"]');
  const flag = await lateRow.locator('.flagged').innerText();
  assert.match(flag, /第 2 步/);
  assert.match(flag, /不符合规定：.*一个月内派人谈话.*2024-01-10/);
  // the good row: its steps, nothing flagged
  const goodRow = page.locator('.import-row[data-row="3"]');
  assert.match(await goodRow.innerText(), /第 3 步/);
  assert.equal(await goodRow.locator('.flagged').count(), 0);
  assert.equal(await page.getByRole('button', { name: '确认导入' }).count(), 0, 'no plain commit while a row is in error');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}`);
  await shot(page, 'recruit-import-preview');
  assert.deepEqual(await axe(page), [], 'axe on the preview');

  // commit without the bad row
  await page.getByRole('button', { name: /跳过有错误的行，导入其余 2 人/ }).click();
  await page.getByRole('heading', { name: '导入完成' }).waitFor();
  await page.getByText('新登记 2 人，跳过有错误的 1 行').waitFor();
  await page.getByRole('button', { name: '查看发展党员' }).click();
  await waitRoute(page, new RegExp(`#/recruit\\?org=${f.branchA.id}`));
  await page.getByRole('tab', { name: /入党积极分子/ }).click();
  const card = page.locator('.board-card', { hasText: '韩志刚' });
  await card.waitFor();
  await page.locator('.board-card', { hasText: '冯晓宇' }).waitFor();
  assert.equal(await page.locator('.board-card', { hasText: '蒋文静' }).count(), 0);
  await shot(page, 'recruit-import-board');

  // what was written: both people with their steps, the late talk flagged, the bad row not at all
  const items = (await f.admin.get(`/applicants?org=${f.branchA.id}`)).items;
  assert.deepEqual(items.map((a) => a.name).filter((n) => ['冯晓宇', '蒋文静', '韩志刚'].includes(n)).sort(), ['冯晓宇', '韩志刚'].sort());
  const han = await f.admin.get(`/applicants/${items.find((a) => a.name === '韩志刚').id}`);
  // the card opens this person's timeline
  assert.equal(await card.getAttribute('href'), `#/recruit/${han.id}`);
  assert.equal(han.stage, 'activist');
  const talk = han.steps.find((s) => s.step === 2);
  assert.equal(talk.done_on, '2024-03-15');
  assert.match(talk.flag, /一个月内派人谈话/);
  const feng = await f.admin.get(`/applicants/${items.find((a) => a.name === '冯晓宇').id}`);
  assert.deepEqual(feng.steps.map((s) => [s.step, s.flag]), [[1, null], [2, null], [3, null], [5, null]]);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
