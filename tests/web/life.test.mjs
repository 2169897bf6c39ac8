// Organisational life at phone and PC size: record a meeting with
// attendance and see compliance change; QR sign-in by a member.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, SIZES } from './helpers.mjs';

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

const LIFE = ['POST /meetings', 'PUT /meetings/{id}/attendance', 'GET /meetings/{id}', 'GET /orgs/{id}/compliance', 'GET /members'];

for (const size of SIZES) {
  test(`record a meeting with attendance and see compliance change (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, LIFE))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'worker_a');
    await page.goto(`/#/life?tab=compliance&org=${f.branchA.id}`);
    const rate = page.locator('.comp-rate');
    const rows = page.locator('.compliance-table tbody tr');
    await page.waitForFunction(() => document.querySelector('.comp-rate') || document.querySelector('.state-empty'));
    const before = (await rate.count()) ? await rate.innerText() : '';
    // a plenary counts only with a quorum (more than half present); 党课 has none
    const kind = size.name === 'phone' ? '支部党员大会' : '党课';
    const rowBefore = (await rows.filter({ hasText: kind }).count()) ? await rows.filter({ hasText: kind }).first().innerText() : '';

    await page.getByRole('button', { name: '记录会议' }).click();
    await waitRoute(page, /#\/meetings\/new/);
    await page.getByText(kind, { exact: true }).click();
    await page.getByLabel('地点').fill('村党群服务中心');
    if (kind === '党课') {
      // 党课 needs a speaker: first the API's field error beside the field
      await page.getByRole('button', { name: '保存会议记录' }).click();
      await page.locator('.van-field:has(input[name="speaker"]) .van-field__error-message').waitFor();
      await page.getByLabel('授课人').fill('张书记');
    }
    await page.getByLabel('议题').fill('学习贯彻党的二十大精神');
    const [m0, m1, m2] = f.membersA;
    await page.getByText(m0.name, { exact: true }).waitFor();
    await page.getByRole('radiogroup', { name: m1.name }).getByText('请假').click();
    await page.getByLabel(m1.name + ' 请假原因').fill('外出务工');
    if (size.name === 'pc') {
      await page.getByRole('radiogroup', { name: m2.name }).getByText('缺席').click();
      await page.getByText(/出席 \d+ · 请假 1 · 缺席 1/).waitFor();
    } else {
      await page.getByText(/出席 \d+ · 请假 1 · 缺席 0/).waitFor();
    }
    await page.getByLabel('记录内容').fill('会议传达学习了上级精神，讨论了本村发展规划。');
    await shot(page, 'meeting-new');
    await page.getByRole('button', { name: '保存会议记录' }).click();
    await waitRoute(page, /#\/meetings\/\d+(\?|$)/);
    await page.getByText(size.name === 'pc' ? '请假 1 · 缺席 1' : '请假 1 · 缺席 0').waitFor();
    await page.getByText('外出务工').waitFor();
    await shot(page, 'meeting');

    await page.goto(`/#/life?tab=compliance&org=${f.branchA.id}`);
    await rate.waitFor();
    const after = await rate.innerText();
    const rowAfter = await rows.filter({ hasText: kind }).first().innerText();
    // the 已开展 column of that kind counts the new meeting
    const held = (row) => Number((row.split('\t')[3] || '0').trim()) || 0;
    assert.ok(held(rowAfter) === held(rowBefore) + 1, `compliance changed: ${before} → ${after}; ${rowBefore} → ${rowAfter}`);
    await shot(page, 'compliance');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`a member signs in to a meeting by its QR token (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, [...LIFE, 'POST /meetings/{id}/signin', 'POST /signin']))) return;
    const meeting = await f.admin.post('/meetings', { org_id: f.branchA.id, type: 'theme_day', title: '主题党日 ' + size.name,
      start_at: Math.floor(Date.now() / 1000), end_at: Math.floor(Date.now() / 1000) + 3600, place: '党员活动室' });
    const sec = await openPage(browser, size, server.url);
    await login(sec, 'worker_a');
    await sec.goto(`/#/meetings/${meeting.id}`);
    await sec.getByRole('button', { name: '扫码签到' }).click();
    const dialog = sec.getByRole('dialog', { name: '扫码签到' });
    await dialog.locator('.qr-svg svg').waitFor();
    await shot(sec, 'signin-qr');
    const link = await dialog.locator('a.signin-link').getAttribute('href');
    assert.match(link, /#\/signin\?token=./);

    const member = await openPage(browser, size, server.url);
    await member.goto(link.replace(/^https?:\/\/[^/]+/, ''));
    await waitRoute(member, /#\/login\?redirect=/);
    await login(member, 'dangyuan_a', undefined, { navigate: false });
    await waitRoute(member, /#\/signin\?token=/);
    await member.getByRole('button', { name: '确认签到' }).click();
    await member.getByRole('status').filter({ hasText: '签到成功' }).waitFor();
    await shot(member, 'signin-done');
    assert.deepEqual(member.errors, []);

    await sec.reload();
    await sec.getByText('已扫码').first().waitFor();
    await sec.context().close();
    await member.context().close();
  });
}
