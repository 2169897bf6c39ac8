// Log in (with the API's error and lockout messages), log out, and the
// session-expired overlay that keeps what was typed — at phone and PC size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, SIZES, PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

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
  test(`login errors, lockout, login and logout (${size.name})`, async () => {
    const page = await openPage(browser, size, server.url);
    await page.goto('/#/members');
    // not logged in: the login screen, remembering where to go back to
    await waitRoute(page, /#\/login\?redirect=/);
    await shot(page, 'login');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('请输入用户名').waitFor();

    const user = 'worker_a';
    await page.getByLabel('用户名').fill(user);
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();

    await login(page, user, PASSWORD, { navigate: false });
    await waitRoute(page, /#\/members/);
    assert.ok(await page.getByText('worker_a').first().isVisible() || size.name === 'phone');

    // logout: from 我的 on a phone, from the top bar on a PC
    if (size.name === 'pc') {
      await page.getByRole('button', { name: '退出登录' }).click();
    } else {
      await page.goto('/#/me');
      await page.getByRole('button', { name: '退出登录' }).click();
    }
    await waitRoute(page, /#\/login/);
    const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.status));
    assert.equal(me, 401, 'the session is gone on the server');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('lockout message after five wrong passwords (phone)', async () => {
  const page = await openPage(browser, SIZES[0], server.url);
  server.cli(['user', 'add', 'locked_user', '--display-name', '锁定测试', '--role', 'member', '--org', String(f.branchA.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  await page.goto('/#/login');
  await page.getByLabel('用户名').fill('locked_user');
  let text = '';
  for (let i = 0; i < 6; i++) {
    await page.getByLabel('密码').fill('wrong-' + i);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').waitFor();
    await page.waitForFunction(() => !document.querySelector('.van-button--loading'));
    text = await page.getByRole('alert').innerText();
  }
  assert.match(text, /锁定/, 'the API lockout message is shown: ' + text);
  // even the right password is refused while locked
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForFunction(() => !document.querySelector('.van-button--loading'));
  assert.match(await page.getByRole('alert').innerText(), /锁定/);
  await shot(page, 'login-locked');
  await page.context().close();
});

test('a reset password is changed on a screen of its own before anything else (phone)', async () => {
  const page = await openPage(browser, SIZES[0], server.url);
  server.cli(['user', 'add', 'reset_user', '--display-name', '重置测试', '--role', 'party_worker', '--org', String(f.branchA.id),
    '--temporary'], { ZHIBU_PASSWORD: PASSWORD });
  await page.goto('/#/members');
  await waitRoute(page, /#\/login/);
  await login(page, 'reset_user', PASSWORD, { navigate: false });
  await waitRoute(page, /#\/password/);
  await page.getByRole('heading', { name: '请先修改密码' }).waitFor();
  // nothing else is reachable until the password is changed
  await page.goto('/#/orgs');
  await waitRoute(page, /#\/password/);
  await shot(page, 'password-forced');
  await page.getByLabel('当前密码').fill(PASSWORD);
  await page.getByLabel('新密码', { exact: true }).fill('alllowercase1');
  await page.getByLabel('确认新密码').fill('alllowercase1');
  await page.getByRole('button', { name: '修改密码并继续' }).click();
  await page.getByText(/至少三类/).first().waitFor();
  await page.getByLabel('新密码', { exact: true }).fill('Mine-Passw0rd-2026');
  await page.getByLabel('确认新密码').fill('Mine-Passw0rd-2026');
  await page.getByRole('button', { name: '修改密码并继续' }).click();
  await page.waitForFunction(() => !location.hash.startsWith('#/password'), null, { timeout: 10000 });
  const me = await page.evaluate(() => fetch('/api/v1/auth/me').then((r) => r.json()));
  assert.equal(me.user.must_change_password, false);
  assert.ok(me.user.perms.includes('member.read'), 'the grants apply once the password is changed');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

for (const size of SIZES) {
  test(`session expiry: login overlay keeps the typed filter and retries (${size.name})`, async () => {
    const page = await openPage(browser, size, server.url);
    await login(page, 'web_auditor');
    await waitRoute(page, /#\/audit/);
    await page.getByText('校验通过').waitFor();
    await page.getByLabel('操作').fill('auth.login');

    // the session ends on the server (as after the idle timeout)
    await page.evaluate(async () => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
    });
    await page.getByRole('button', { name: '查询' }).click();
    const dialog = page.getByRole('dialog', { name: '登录已过期' });
    await dialog.waitFor();
    await shot(page, 'session-expired');
    await dialog.getByLabel('密码').fill(PASSWORD);
    await dialog.getByRole('button', { name: '登录' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // the page is still there with what was typed, and the query ran
    assert.equal(await page.getByLabel('操作').inputValue(), 'auth.login');
    assert.match(page.url(), /#\/audit/);
    await page.getByText('auth.login').nth(1).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('admin lands on the home screen of the county', async () => {
  const page = await openPage(browser, SIZES[1], server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.getByRole('heading', { name: f.root.name }).waitFor();
  await page.context().close();
});

test('session expiry while editing a member: what was typed is saved after logging in again (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['GET /members/{id}', 'PATCH /members/{id}']))) return;
  const page = await openPage(browser, SIZES[0], server.url);
  await login(page, 'worker_a');
  const m = f.membersA[1];
  await page.goto(`/#/members/${m.id}/edit`);
  await page.waitForFunction(() => document.querySelector('input[name="name"]') && document.querySelector('input[name="name"]').value !== '');
  await page.getByLabel('工作单位').fill('红星村股份经济合作社');
  await page.getByLabel('职务').fill('会计');
  await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/auth/me')).json();
    await fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': me.csrf_token } });
  });
  await page.getByRole('button', { name: '保存' }).click();
  const dialog = page.getByRole('dialog', { name: '登录已过期' });
  await dialog.waitFor();
  await dialog.getByLabel('密码').fill(PASSWORD);
  await dialog.getByRole('button', { name: '登录' }).click();
  await waitRoute(page, new RegExp(`#/members/${m.id}$`));
  await page.getByText('红星村股份经济合作社').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
