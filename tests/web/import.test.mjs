// A branch secretary imports the roster on a phone: downloads the template,
// fills it in, uploads a file with a mistake, reads the error that says how
// to fix it (row and column), fixes the file, re-imports and commits.  And
// the org picker tells three branches of one name apart by their path, and
// the preview names the org the file goes into.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, PHONE, PASSWORD, idNumber } from './helpers.mjs';

let server, browser, f;
before(async () => {
  server = await startServer();
  f = await fixtures(server);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a secretary imports a roster with a mistake, fixes it from the message and commits (phone)', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'worker_a');
  await page.goto(`/#/import?org=${f.branchA.id}`);

  // the template: the link downloads the server's xlsx with this session
  const link = page.locator('[data-test="template"]');
  await link.waitFor();
  const href = await link.getAttribute('href');
  const tpl = await page.context().request.get(href);
  assert.equal(tpl.status(), 200);
  assert.equal(tpl.headers()['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal((await tpl.body()).subarray(0, 2).toString(), 'PK');

  // the secretary's file: the template's columns, the sample row kept, one
  // 正式党员 without 转正日期 on row 4
  const header = ['*姓名', '性别', '*身份证号', '人员类别（正式党员/预备党员）', '*入党日期', '转正日期（正式党员必填）', '联系电话'];
  const sample = ['【示例】张三', '男', idNumber('19850615', 123, undefined, 'M'), '正式党员', '2010-07-01', '2011-07-01', '13800138000'];
  const a = ['周建华', '男', idNumber('19780808', 611, undefined, 'M'), '正式党员', '2003-07-01', '2004-07-01', '13912345678'];
  const b = ['吴桂兰', '女', idNumber('19810606', 612, undefined, 'F'), '正式党员', '2008-07-01', '', ''];
  const csv = (rows) => [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
  const file = join(server.dir, '红星村名册.csv');
  writeFileSync(file, csv([sample, a, b]));

  await page.locator('#import-file').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.getByText('有错误 1').waitFor();
  // the preview names the org the file goes into (for a branch secretary
  // its path starts at the branch: no names above the grant)
  const target = await page.locator('[data-test="import-target"]').innerText();
  assert.equal(target, `导入到：${f.branchA.name}`);
  await page.getByText('已跳过 1 行示例').waitFor();
  const row = page.getByRole('listitem').filter({ hasText: '吴桂兰' }).first();
  const reason = await row.locator('.reasons').innerText();
  // row 4 of the file (header 1, sample 2, 周建华 3), the column by its header and number, and the fix
  assert.match(reason, /第 4 行/);
  assert.match(reason, /“转正日期（正式党员必填）”（第 6 列）是空的/);
  assert.match(reason, /请在第 4 行 第 6 列填写转正日期/);
  assert.match(reason, /改为预备党员/);
  assert.ok(await page.getByRole('button', { name: '确认导入' }).isDisabled(), 'cannot commit with errors');
  await shot(page, 'import-error');

  // fixing the file as the message says: row 4, column 6
  b[5] = '2009-07-01';
  writeFileSync(file, csv([sample, a, b]));
  await page.getByRole('button', { name: '重新选择文件' }).click();
  await page.locator('#import-file').setInputFiles(file);
  await page.getByRole('button', { name: '上传并预览' }).click();
  await page.getByText('新增 2').waitFor();
  await page.getByText('有错误 0').waitFor();
  await page.getByRole('button', { name: '确认导入' }).click();
  await page.getByRole('heading', { name: '导入完成' }).waitFor();
  await page.getByText('新增 2 人').waitFor();
  await page.getByRole('button', { name: '查看党员名册' }).click();
  await waitRoute(page, /#\/members/);
  await page.getByText('周建华').first().waitFor();
  await page.getByText('吴桂兰').first().waitFor();
  // the sample was not imported
  const roster = await f.admin.get(`/members?org=${f.branchA.id}&q=${encodeURIComponent('张三')}`);
  assert.deepEqual(roster.items.map((m) => m.name), []);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the org picker shows three branches of one name with their paths (phone)', async () => {
  const towns = [];
  for (const t of ['东河', '西河', '北河']) {
    const town = await f.admin.post('/orgs', { parent_id: f.root.id, name: `${t}镇党委${Date.now() % 1000}`, type: 'committee', domain: 'rural' });
    await f.admin.post('/orgs', { parent_id: town.id, name: '中共临河口村支部委员会', type: 'branch', domain: 'rural' });
    towns.push(town);
  }
  server.cli(['user', 'add', 'county_worker', '--display-name', '县委组织部', '--role', 'party_worker', '--org', String(f.root.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'county_worker');
  await page.goto('/#/import');
  await page.getByRole('button', { name: /导入到/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('searchbox').fill('临河口');
  const cells = dialog.locator('.van-cell').filter({ hasText: '中共临河口村支部委员会' });
  await page.waitForFunction(() => document.querySelectorAll('[role=dialog] .van-cell').length >= 3);
  const labels = await cells.locator('.van-cell__label').allInnerTexts();
  // the demo county may have such a branch already: ours and any other
  assert.ok(labels.length >= 3, labels.join('|'));
  assert.equal(new Set(labels).size, labels.length, 'each one has its own path: ' + labels.join('|'));
  for (const t of towns) assert.ok(labels.some((l) => l.includes(t.name)), `${t.name} in ${labels.join('|')}`);
  await shot(page, 'import-org-picker');
  // the chosen one keeps its path under the name
  await cells.filter({ hasText: towns[1].name }).first().click();
  const path = await page.locator('[data-test="org-path"]').innerText();
  assert.ok(path.includes(towns[1].name), path);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
