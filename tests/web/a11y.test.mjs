// axe-core over the main screens at phone and PC size (no violation of
// impact serious or critical), saving a screenshot of each screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, axe, SIZES, ADMIN_PASSWORD } from './helpers.mjs';

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

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.van-loading'), null, { timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(400);        // charts draw, transitions end
}

async function check(page, name, problems) {
  await settle(page);
  await shot(page, name);
  const v = await axe(page);
  for (const x of v) problems.push(`${name}/${page.size}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes.join(' | ')}`);
}

for (const size of SIZES) {
  test(`main screens have no serious or critical axe violations (${size.name})`, async () => {
    const problems = [];
    let page = await openPage(browser, size, server.url);
    await page.goto('/#/login');
    await check(page, 'a11y-login', problems);

    await login(page, 'admin', ADMIN_PASSWORD);
    const m = f.membersA[0];
    const screens = [
      ['home', '/#/'],
      ['orgs', '/#/orgs'],
      ['org', `/#/orgs/${f.town.id}`],
      ['members', '/#/members'],
      ['member-new', `/#/members/new?org=${f.branchA.id}`],
      ['import', `/#/import?org=${f.branchA.id}`],
      ['life', `/#/life?org=${f.branchA.id}`],
      ['meeting-form', `/#/meetings/new?org=${f.branchA.id}`],
      ['me-admin', '/#/me'],
    ];
    if (m) screens.splice(4, 0, ['member-page', `/#/members/${m.id}`]);
    for (const [name, path] of screens) {
      await page.goto(path);
      await check(page, name, problems);
    }
    await page.context().close();

    page = await openPage(browser, size, server.url);
    await login(page, 'web_auditor');
    await page.goto('/#/audit');
    await page.getByText(/校验通过|校验未通过/).waitFor();
    await check(page, 'audit', problems);
    await page.context().close();

    page = await openPage(browser, size, server.url);
    await login(page, 'dangyuan_a');
    await page.goto('/#/me');
    await check(page, 'me-member', problems);
    await page.goto('/#/signin?token=abc');
    await check(page, 'signin', problems);
    assert.deepEqual(page.errors, []);
    await page.context().close();

    assert.deepEqual(problems, []);
  });
}
