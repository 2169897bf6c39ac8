// Roster flows at phone and PC size: pinyin-initials search, the API's
// field error beside the ID-number field, import wizard (CSV and xlsx),
// and a 党务工作者 of one branch seeing nothing of another branch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, SIZES, PASSWORD,
  idNumber, badIdNumber } from './helpers.mjs';

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

for (const size of SIZES) {
  test(`find a member by pinyin initials (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, ['GET /members', 'POST /members']))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    await page.goto('/#/members');
    await page.getByText('张秀英').first().waitFor();
    await page.getByRole('searchbox', { name: /搜索党员/ }).fill('oymh');
    await page.getByText('欧阳明辉').first().waitFor();
    await page.waitForFunction(() => !document.body.innerText.includes('张秀英'));
    await shot(page, 'roster-search');
    // full pinyin finds her too
    await page.getByRole('searchbox', { name: /搜索党员/ }).fill('zhangxiuying');
    await page.getByText('张秀英').first().waitFor();
    await page.getByText('张秀英').first().click();
    await waitRoute(page, /#\/members\/\d+$/);
    await page.getByRole('heading', { name: /张秀英/ }).waitFor();
    await shot(page, 'member');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`a bad ID number shows the API's error beside the field, then is fixed (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, ['GET /members/{id}', 'PATCH /members/{id}']))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    const m = f.membersA[size.name === 'phone' ? 2 : 3];
    await page.goto(`/#/members/${m.id}/edit`);
    await page.locator('input[name="name"]').waitFor();
    await page.waitForFunction(() => document.querySelector('input[name="name"]').value !== '');
    // the stored number is shown masked, as text: no field holds it
    const stored = await page.locator('[data-test="id-stored"]').innerText();
    assert.ok(stored.includes('*'), 'masked ID shown: ' + stored);
    const values = await page.$$eval('input', (els) => els.map((e) => e.value));
    assert.ok(!values.some((v) => v.includes('*')), 'no input is pre-filled with a masked value: ' + values.join('|'));
    // changing it is an explicit action that opens an empty field
    await page.getByRole('button', { name: '更换身份证号' }).click();
    const idField = page.locator('input[name="id_number"]');
    await idField.waitFor();
    assert.equal(await idField.inputValue(), '');
    const birth = (m.birth_date || '').replace(/-/g, '');
    const bad = badIdNumber(birth, 555, undefined, m.gender);
    await idField.fill(bad);
    await page.getByRole('button', { name: '保存' }).click();
    const fieldError = page.locator('.van-field:has(input[name="id_number"]) .van-field__error-message');
    await fieldError.waitFor();
    const msg = await fieldError.innerText();
    assert.match(msg, /身份证号有误.*核对/, 'field error from the API: ' + msg);
    // the message does not hand out the check character that would pass
    assert.ok(!/[0-9X]/.test(msg), 'no digit in the message: ' + msg);
    await shot(page, 'member-edit-error');
    // still on the form, then fix it
    await idField.fill(idNumber(birth, 555, undefined, m.gender));
    await page.getByRole('button', { name: '保存' }).click();
    await waitRoute(page, new RegExp(`#/members/${m.id}$`));
    await page.getByRole('heading', { name: new RegExp(m.name) }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`edit a member without touching masked values; change the phone explicitly (${size.name})`, async () => {
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');   // 党务工作者: no member.sensitive, sees the birth month only
    const m = f.membersA[size.name === 'phone' ? 0 : 1];
    await page.goto(`/#/members/${m.id}/edit`);
    await page.locator('input[name="name"]').waitFor();
    await page.waitForFunction(() => document.querySelector('input[name="name"]').value !== '');
    // the birth date comes from the ID number: text, no date field to edit alone
    assert.equal(await page.locator('input[name="birth_date"]').count(), 0);
    const [y, mo] = m.birth_date.split('-');
    await page.getByText(`${y} 年 ${Number(mo)} 月`).first().waitFor();
    await page.getByText(/由身份证号得出/).first().waitFor();
    assert.equal(await page.locator('input[name="phone"]').count(), 0, 'no phone field until asked for');
    // an ordinary edit saves: nothing masked or shortened is sent back
    const unit = '红星村股份经济合作社' + size.name;
    await page.locator('input[name="work_unit"]').fill(unit);
    await page.getByRole('button', { name: '保存' }).click();
    await waitRoute(page, new RegExp(`#/members/${m.id}$`));
    await page.getByText(unit).first().waitFor();
    // changing the phone is an explicit action with an empty field
    await page.goto(`/#/members/${m.id}/edit`);
    await page.getByRole('button', { name: /更换手机号|填写手机号/ }).click();
    const phone = page.locator('input[name="phone"]');
    await phone.waitFor();
    assert.equal(await phone.inputValue(), '');
    await phone.fill(size.name === 'phone' ? '13712345678' : '13787654321');
    await page.getByRole('button', { name: '保存' }).click();
    await waitRoute(page, new RegExp(`#/members/${m.id}$`));
    await page.getByText(size.name === 'phone' ? '137****5678' : '137****4321').first().waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`import a roster file: preview with reasons, then the new members (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, ['POST /imports', 'POST /imports/{id}/commit', 'GET /members']))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    const tag = size.name === 'phone' ? '甲' : '乙';
    const good = [[`陈导入${tag}`, '男', idNumber('19860101', size.name === 'phone' ? 701 : 703), '1986-01-01', '2010-07-01', '2011-07-01', '正式党员'],
      [`林导入${tag}`, '女', idNumber('19920202', size.name === 'phone' ? 802 : 804), '1992-02-02', '2015-07-01', '2016-07-01', '正式党员']];
    const bad = [`错号${tag}`, '男', badIdNumber('19800303', 901), '1980-03-03', '2009-07-01', '2010-07-01', '正式党员'];
    const header = ['姓名', '性别', '身份证号', '出生日期', '入党日期', '转正日期', '人员类别'];
    const dir = server.dir;
    let badFile, goodFile;
    if (size.name === 'phone') {
      const csv = (rows) => [header, ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
      badFile = join(dir, 'roster-bad.csv'); writeFileSync(badFile, csv([...good, bad]));
      goodFile = join(dir, 'roster.csv'); writeFileSync(goodFile, csv(good));
    } else {
      const xlsx = (path, rows) => {
        const py = 'import json,sys\nfrom openpyxl import Workbook\nwb=Workbook();ws=wb.active;ws.title="花名册"\n' +
          'for r in json.loads(sys.argv[2]): ws.append(r)\nwb.save(sys.argv[1])\n';
        const r = spawnSync('/usr/bin/python3', ['-c', py, path, JSON.stringify([header, ...rows])], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      };
      badFile = join(dir, 'roster-bad.xlsx'); xlsx(badFile, [...good, bad]);
      goodFile = join(dir, 'roster.xlsx'); xlsx(goodFile, good);
    }

    await page.goto(`/#/import?org=${f.branchA.id}`);
    await page.locator('#import-file').setInputFiles(badFile);
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.getByText('有错误 1').waitFor();
    await page.getByRole('listitem').filter({ hasText: bad[0] }).first().waitFor();
    const reason = await page.getByRole('listitem').filter({ hasText: bad[0] }).first().locator('.reasons').innerText();
    assert.ok(reason.length > 0, 'the preview gives the reason of the bad row');
    assert.ok(await page.getByRole('button', { name: '确认导入' }).isDisabled(), 'cannot commit with errors');
    await shot(page, 'import-preview');

    await page.getByRole('button', { name: '重新选择文件' }).click();
    await page.locator('#import-file').setInputFiles(goodFile);
    await page.getByRole('button', { name: '上传并预览' }).click();
    await page.getByText('新增 2').waitFor();
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.getByRole('heading', { name: '导入完成' }).waitFor();
    await page.getByRole('button', { name: '查看党员名册' }).click();
    await page.getByText(good[0][0]).first().waitFor();
    await page.getByText(good[1][0]).first().waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  const seenCheck = (page) => async (where) => {
    await page.waitForTimeout(300);
    await page.waitForFunction(() => !document.querySelector('.van-loading'));
    const text = await page.evaluate(() => document.body.innerText);
    for (const m of f.membersB) assert.ok(!text.includes(m.name), `${m.name} of the other branch is visible on ${where}`);
    assert.ok(!text.includes(f.branchB.name), `the other branch is visible on ${where}`);
  };

  test(`a 党务工作者 of one branch sees no org of another branch (${size.name})`, async () => {
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    const seen = seenCheck(page);
    // orgs: the tree, the other branch's page by URL, the org picker of forms
    await page.goto('/#/orgs');
    await page.getByText(f.branchA.name).first().waitFor();
    await seen('the org tree');
    await page.goto(`/#/orgs/${f.branchB.id}`);
    await page.getByRole('alert').waitFor();
    await seen('the other branch page by URL');
    await page.goto('/#/');
    await seen('the home screen');
    await page.goto(`/#/meetings/new?org=${f.branchB.id}`);
    await seen('the meeting form');
    await page.getByRole('button', { name: /召开组织/ }).click();
    await page.getByRole('dialog').getByText(f.branchA.name).waitFor();
    await seen('the org picker');
    await page.context().close();
  });

  test(`a 党务工作者 of one branch sees no member of another branch (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, ['GET /members', 'GET /members/{id}']))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    const seen = seenCheck(page);
    const others = f.membersB.map((m) => m.name);
    await page.goto('/#/members');
    await page.getByText(f.membersA[1].name).first().waitFor();
    await seen('the roster');
    for (const n of others) {
      await page.getByRole('searchbox', { name: /搜索党员/ }).fill(n);
      await page.getByText('没有找到符合条件的党员').waitFor();
    }
    await seen('roster search');
    await page.goto(`/#/members/${f.membersB[0].id}`);
    await page.getByRole('alert').waitFor();
    await seen('a member page by URL');
    await page.goto(`/#/members?org=${f.branchB.id}`);
    await page.waitForTimeout(500);
    await seen('the roster of the other branch by URL');
    await page.goto('/#/life?tab=meetings');
    await seen('the meetings');
    await shot(page, 'scope');
    await page.context().close();
  });
}
