// 组织关系转接 as a task at phone size (390x844): the branch secretary
// starts it from the member's page naming the receiving branch by its code,
// the township 党委 issues the 介绍信, the receiving 党委 accepts it, and the
// member is on the receiving branch's roster (docs/TRANSFERS.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, apiLogin, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser, f, R;
before(async () => {
  server = await startServer();
  f = await fixtures(server);
  const t2 = await f.admin.post('/orgs', { parent_id: f.root.id, name: '接收镇党委', type: 'committee' });
  R = await f.admin.post('/orgs', { parent_id: t2.id, name: '接收村党支部', type: 'branch', code: 'JS-0001' });
  const add = (name, org) => server.cli(['user', 'add', name, '--display-name', name, '--role', 'party_worker', '--org', String(org)],
    { ZHIBU_PASSWORD: PASSWORD });
  add('town_worker', f.town.id);
  add('recv_worker', t2.id);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a transfer as a task: started at the branch, issued at the 党委, accepted at the receiving side (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /transfers', 'POST /transfers/{id}/issue', 'POST /transfers/{id}/accept', 'GET /transfers/{id}']))) return;
  const m = f.membersA[3];
  // the branch secretary, from the member's page
  const sec = await openPage(browser, PHONE, server.url);
  await login(sec, 'worker_a');
  await sec.goto(`/#/members/${m.id}`);
  await sec.getByRole('button', { name: '组织关系转接' }).click();
  await waitRoute(sec, /#\/transfers\/new/);
  await sec.getByText(m.name).first().waitFor();
  await sec.getByLabel('接收党支部编码').fill('JS-0001');
  await sec.getByLabel('转接原因').fill('工作调动');
  await sec.getByLabel('党费交到').fill('2026-01');
  await shot(sec, 'transfer-new');
  await sec.getByRole('button', { name: '发起转接' }).click();
  await waitRoute(sec, /#\/transfers\/\d+$/);
  const id = Number(/transfers\/(\d+)/.exec(await sec.evaluate(() => location.hash))[1]);
  await sec.locator('.transfer-status', { hasText: '待开具介绍信' }).waitFor();
  assert.equal(await sec.getByRole('button', { name: '开具介绍信' }).count(), 0, 'the branch cannot issue the letter');
  assert.deepEqual(sec.errors, []);
  await sec.context().close();

  // the township 党委 issues the letter
  const town = await openPage(browser, PHONE, server.url);
  await login(town, 'town_worker');
  await town.goto(`/#/transfers/${id}`);
  await town.getByRole('button', { name: '开具介绍信' }).click();
  await town.locator('.transfer-status', { hasText: '介绍信已开具' }).waitFor();
  await town.getByText(/有效期至 \d{4}-\d{2}-\d{2}/).waitFor();
  await shot(town, 'transfer-issued');
  assert.deepEqual(town.errors, []);
  await town.context().close();

  // the receiving 党委 accepts it
  const recv = await openPage(browser, PHONE, server.url);
  await login(recv, 'recv_worker');
  await recv.goto(`/#/transfers/${id}`);
  await recv.getByRole('button', { name: '接收' }).click();
  await recv.locator('.transfer-status', { hasText: '已接收' }).waitFor();
  await shot(recv, 'transfer-accepted');
  assert.deepEqual(recv.errors, []);
  await recv.context().close();

  const adm = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  assert.equal((await adm.get(`/members/${m.id}`)).org_id, R.id, 'the member is at the receiving branch');
});

test('the start form shows the month the platform\'s dues records are paid up to (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /transfers', 'GET /members/{id}/dues']))) return;
  // a member of the branch whose dues are paid from January to March 2025
  const m = f.membersA[2];
  await f.admin.put(`/members/${m.id}/dues-base`, { kind: 'salary', amount: '3000.00', from: '2025-01' });
  await f.admin.post('/dues/payments', { member_id: m.id, months: ['2025-01', '2025-02', '2025-03'], amount: '45.00',
    paid_on: '2025-03-20', method: 'cash' });
  const upto = (await f.admin.get(`/members/${m.id}/dues`)).paid_up_to;
  assert.equal(upto, '2025-03');
  const sec = await openPage(browser, PHONE, server.url);
  await login(sec, 'worker_a');
  await sec.goto(`/#/transfers/new?member=${m.id}`);
  await sec.getByText(m.name).first().waitFor();
  await sec.waitForFunction((v) => document.querySelector('input[name="dues_paid_to"]')?.value === v, upto, { timeout: 10000 });
  assert.deepEqual(sec.errors, []);
  await sec.context().close();
});
