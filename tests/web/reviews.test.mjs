// 两测评 on a phone (390×844) with the demo data (docs/REVIEWS.md): the
// county prints a code for the demo's open 驻村工作队 evaluation; a
// villager, not logged in, opens the address the code's QR carries, picks
// 称职 and votes; the same code typed again is refused in Chinese, and
// the evaluation counts one more vote, with no voter.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, apiLogin, login, shot, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

let server, browser, adminApi;
before(async () => {
  server = await startServer();
  browser = await launch();
  adminApi = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a villager votes with a code on the public page; the same code is refused the second time', async () => {
  // the demo's open evaluation
  const root = adminApi.user.grants[0].org_id;
  const villages = await adminApi.get(`/orgs/${root}/villages`);
  let review = null;
  for (const v of villages.items.filter((x) => x.team_id)) {
    const r = (await adminApi.get(`/village-teams/${v.team_id}/reviews`)).items.find((x) => x.status === 'open');
    if (r) { review = r; break; }
  }
  assert.ok(review, 'the demo leaves one evaluation open');
  const before_ = await adminApi.get(`/village-reviews/${review.id}`);
  const sheet = await adminApi.post(`/village-reviews/${review.id}/codes`, { round: 'villagers', count: 1 });
  const { code, url } = sheet.codes[0];
  assert.match(url, /#\/vote\?c=/);

  const page = await openPage(browser, PHONE, server.url);
  await page.goto('/#/vote?c=' + encodeURIComponent(code));
  await page.getByRole('heading', { name: new RegExp(before_.org_name) }).waitFor();
  await page.getByText('党员群众测评').waitFor();
  assert.deepEqual(await axe(page), [], 'the vote page passes axe');
  await page.getByText('称职', { exact: true }).click();
  await page.getByRole('button', { name: '投票' }).click();
  await page.getByRole('status').getByText('投票成功，感谢参与').waitFor();
  await shot(page, 'vote-done');
  // again, typed by hand
  await page.getByRole('button', { name: '继续使用另一个测评码' }).click();
  await page.locator('input[name="code"]').fill(code.toLowerCase());
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByText('该测评码已经使用过，每个测评码只能投票一次').waitFor();
  await shot(page, 'vote-refused');
  assert.deepEqual(page.errors, []);
  await page.context().close();

  const after_ = await adminApi.get(`/village-reviews/${review.id}`);
  // the open evaluation tells the codes used, never the counts by grade
  assert.deepEqual(after_.rounds.map((r) => r.votes.length), [0, 0]);
  const vr = after_.rounds.find((r) => r.round === 'villagers');
  assert.equal(vr.used, before_.rounds.find((r) => r.round === 'villagers').used + 1);

  // the county's 完成考核 is final: it asks first, with the votes counted, and 取消 leaves it open
  const adm = await openPage(browser, PHONE, server.url);
  await login(adm, 'admin', ADMIN_PASSWORD);
  await adm.goto(`/#/village/reviews/${review.id}`);
  await adm.getByRole('button', { name: '完成考核并计算综合得分' }).click();
  const dlg = adm.getByRole('dialog');
  await dlg.getByText(`党员群众测评已投 ${vr.used} 票`).waitFor();
  await dlg.getByRole('button', { name: '取消' }).click();
  assert.equal((await adminApi.get(`/village-reviews/${review.id}`)).status, 'open');
  await adm.context().close();
});
