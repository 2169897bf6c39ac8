// Org tree browser and org page at phone and PC size; org search.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, SIZES, ADMIN_PASSWORD } from './helpers.mjs';

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
  test(`browse the org tree down to a branch and read its page (${size.name})`, async () => {
    const page = await openPage(browser, size, server.url);
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/#/orgs');
    // the single root is opened; open the test town, then its branch
    await page.getByRole('button', { name: '展开' + f.town.name }).click();
    await page.getByRole('link', { name: new RegExp(f.branchA.name) }).click();
    await waitRoute(page, new RegExp(`#/orgs/${f.branchA.id}$`));
    await page.getByRole('heading', { name: f.branchA.name }).waitFor();
    await page.getByRole('heading', { name: '班子成员与任期' }).waitFor();
    await page.getByRole('heading', { name: '预警' }).waitFor();
    // the root's page lists its committee (the demo county has one) and sub-orgs
    await page.goto(`/#/orgs/${f.root.id}`);
    await page.getByRole('heading', { name: /下级组织/ }).waitFor();
    await page.getByText(f.town.name).first().waitFor();
    if (server.demo) await page.getByText('书记').first().waitFor();
    await shot(page, 'org-page');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`search the org tree by name (${size.name})`, async (t) => {
    if (!(await needRoutes(t, server.url, ['GET /orgs/search']))) return;
    const page = await openPage(browser, size, server.url);
    await login(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/#/orgs');
    await page.getByRole('searchbox', { name: '搜索组织名称或代码' }).fill(f.branchB.name.slice(0, 5));
    await page.getByRole('list', { name: '搜索结果' }).getByText(f.branchB.name).click();
    await waitRoute(page, new RegExp(`#/orgs/${f.branchB.id}$`));
    await page.context().close();
  });
}
