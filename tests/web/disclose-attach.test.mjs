// Attachments of a 三务公开 item as a task at phone size (390x844;
// docs/DISCLOSURE.md, "Attachments"): the village photographs the month's
// receipts into its draft with a caption, another member of the branch
// approves it only after confirming the photo was checked for ID and
// mobile numbers, and once published a villager sees the photo's link on
// the public page with JavaScript off and opens it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, needRoutes, apiLogin, PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const year = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4));
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
let server, browser, f, drafter, town;

before(async () => {
  server = await startServer();
  f = await fixtures(server);
  const add = (name, org) => server.cli(['user', 'add', name, '--display-name', name, '--role', 'org_admin', '--org', String(org)],
    { ZHIBU_PASSWORD: PASSWORD });
  add('ga_drafter', f.branchA.id);
  add('ga_approver', f.branchA.id);
  add('ga_town', f.town.id);
  drafter = await apiLogin(server.url, 'ga_drafter', PASSWORD);
  town = await apiLogin(server.url, 'ga_town', PASSWORD);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('attach a photo to a draft, approve with the confirmation, see it on the public page without JavaScript (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /disclosures/{id}/attachments', 'GET /public/disclosure-files/{fid}']))) return;
  const d = await drafter.post('/disclosures', { org_id: f.branchA.id, kind: 'finance', period: `${year - 1}-10`,
    title: '十月财务收支公开', body: '本月收支单据见附件。' });

  // the village adds the photo of the receipts to its draft
  const v = await openPage(browser, PHONE, server.url);
  await login(v, 'ga_drafter');
  await v.goto(`/#/disclosures/${d.id}`);
  await v.getByRole('heading', { name: '附件' }).waitFor();
  // no caption: asked for one, nothing sent
  await v.getByLabel('上传附件').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: PNG });
  await v.getByRole('alert').filter({ hasText: '请先填写附件说明' }).waitFor();
  await v.getByLabel('附件说明').fill('十月收支单据');
  await v.getByLabel('上传附件').setInputFiles({ name: 'IMG_0001.png', mimeType: 'image/png', buffer: PNG });
  await v.locator('.att-list li', { hasText: '十月收支单据' }).waitFor();
  assert.equal(await v.locator('.att-list img').count(), 1);
  // what is no photo or PDF is refused by its content
  await v.getByLabel('附件说明').fill('网页');
  await v.getByLabel('上传附件').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('<html></html>') });
  await v.getByRole('alert').filter({ hasText: '只能上传 JPEG、PNG 照片或 PDF' }).waitFor();
  assert.equal(await v.locator('.att-list li').count(), 1);
  await shot(v, 'disclosure-attachment');
  await v.getByRole('button', { name: '提交审核' }).click();
  await v.locator('.dsc-status', { hasText: '待支部审核' }).waitFor();
  // submitted: the attachments can no longer be changed
  assert.equal(await v.getByLabel('上传附件').count(), 0);
  assert.equal(await v.getByRole('button', { name: /删除附件/ }).count(), 0);
  assert.deepEqual(v.errors, []);
  await v.context().close();

  // another member of the branch approves it: asked to confirm the check first
  const a = await openPage(browser, PHONE, server.url);
  await login(a, 'ga_approver');
  await a.goto(`/#/disclosures/${d.id}`);
  await a.locator('.att-list li', { hasText: '十月收支单据' }).waitFor();
  await a.getByRole('button', { name: '支部审核通过' }).click();
  await a.getByRole('alert').filter({ hasText: '身份证号、手机号' }).waitFor();
  await a.locator('.dsc-status', { hasText: '待支部审核' }).waitFor();
  await a.getByLabel(/已核对 1 个附件不含身份证号、手机号等个人信息/).check();
  await shot(a, 'disclosure-attachment-confirm');
  await a.getByRole('button', { name: '支部审核通过' }).click();
  await a.locator('.dsc-status', { hasText: '待乡镇审核' }).waitFor();
  await a.locator('.hist li', { hasText: '（已核对附件）' }).waitFor();
  assert.deepEqual(a.errors, []);
  await a.context().close();

  // the township reviews it and the village publishes it
  await town.post(`/disclosures/${d.id}/steps`, { action: 'review' });
  const item = await drafter.post(`/disclosures/${d.id}/steps`, { action: 'publish' });
  assert.equal(item.status, 'published');

  // a villager on the public page, JavaScript off
  const { name, ...opts } = PHONE;
  const context = await browser.newContext({ ...opts, baseURL: server.url, locale: 'zh-CN', javaScriptEnabled: false });
  const page = await context.newPage();
  page.size = name;
  const res = await page.goto(`/gk/${f.branchA.id}`);
  assert.equal(res.status(), 200);
  await page.getByText('十月财务收支公开').waitFor();
  const link = page.getByRole('link', { name: '十月收支单据' });
  await link.waitFor();
  assert.ok((await page.locator('article', { hasText: '十月财务收支公开' }).innerText()).includes('照片'));
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
  await shot(page, 'disclosure-public-attachment');
  const href = await link.getAttribute('href');
  assert.match(href, /^\/api\/v1\/public\/disclosure-files\/\d+$/);
  const img = await page.goto(href);
  assert.equal(img.status(), 200);
  assert.equal(img.headers()['content-type'], 'image/png');
  assert.equal(img.headers()['x-content-type-options'], 'nosniff');
  await context.close();
});
