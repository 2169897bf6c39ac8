// 村级后备干部 on a phone (390×844), against the real server: a village's
// party worker opens the village's page, goes to its reserve pool, adds a
// returning graduate who is not a member (the age shown, the ID number
// masked, no birth date), records a 试岗 period that has ended and its
// assessment; and a county officer on the demo county finds the villages
// without a young reserve cadre.  Every screen: no horizontal overflow, no
// raw JSON, no "undefined"/"null"/"NaN".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, idNumber, apiLogin,
  ADMIN_PASSWORD, PASSWORD } from './helpers.mjs';

const PHONE390 = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const ROUTES = ['GET /orgs/{id}/reserve-cadres', 'GET /orgs/{id}/reserve-overview', 'POST /reserve-cadres',
  'GET /reserve-cadres/{id}', 'POST /reserve-cadres/{id}/trials', 'POST /reserve-cadres/{id}/trials/{tid}/assessment'];

let server, county, browser, f;
before(async () => {
  server = await startServer({ scale: 100 });
  f = await fixtures(server);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (county) await county.stop();
});

function day(offset = 0) {
  return new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
}
async function noOverflow(page) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(r.sw <= r.w, `horizontal overflow: ${r.sw} > ${r.w}`);
}
async function noRawText(page) {
  const text = await page.evaluate(() => document.querySelector('#main').innerText);
  for (const bad of ['undefined', 'null', 'NaN', '[object', '{"', '":']) assert.ok(!text.includes(bad), `page shows ${bad}: ${text.slice(0, 400)}`);
}

test('a village adds a returning graduate to its reserve pool and assesses a 试岗 period (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto(`/#/orgs/${f.branchA.id}`);
  await page.getByRole('button', { name: /后备干部$/ }).click();
  await waitRoute(page, /#\/orgs\/\d+\/reserve$/);
  await page.getByText('本村还没有后备干部').waitFor();
  await page.getByRole('button', { name: '添加后备干部' }).click();
  await waitRoute(page, /#\/orgs\/\d+\/reserve\/new/);
  await noOverflow(page);
  const born = `${Number(day().slice(0, 4)) - 27}0303`;
  await page.getByLabel('姓名').fill('周晓阳');
  await page.getByLabel('身份证号').fill(idNumber(born, 515, undefined, 'M'));
  await page.getByLabel('手机号').fill('13912345678');
  await page.getByLabel('来源').selectOption('graduate');
  await page.getByLabel('入库日期').fill(day(-200));
  await page.getByLabel('推荐人').fill('村党支部推荐');
  await shot(page, 'reserve-new');
  await page.getByRole('button', { name: '保存' }).click();
  await waitRoute(page, /#\/reserve\/\d+$/);
  await page.getByRole('heading', { name: /周晓阳/ }).waitFor();
  const main = page.locator('#main');
  // the age, a masked ID number and phone; no birth date for a party worker
  await main.getByText(/2[67] 岁/).first().waitFor();
  const text = await main.innerText();
  assert.ok(text.includes('******************'), 'ID number masked');
  assert.ok(text.includes('139****5678'), 'phone masked');
  assert.ok(!text.includes(`${born.slice(0, 4)}-03-03`) && !text.includes('出生'), 'no birth date beside the masked ID');
  assert.ok(text.includes('返乡大学生') && text.includes('年轻干部'));
  await noOverflow(page);
  await noRawText(page);
  // a 试岗 period that has ended, then its assessment
  await page.getByRole('button', { name: '安排试岗' }).click();
  const trial = page.getByRole('form', { name: '安排试岗' });
  await trial.getByLabel('岗位').fill('村委会主任助理');
  await trial.getByLabel('开始').fill(day(-120));
  await trial.getByLabel('结束').fill(day(-30));
  await trial.getByLabel('导师').fill('村党支部书记');
  await trial.getByRole('button', { name: '保存试岗' }).click();
  await main.getByText('待考核').waitFor();
  const assess = page.getByRole('form', { name: '考核 村委会主任助理' });
  await assess.getByLabel('考核结果').selectOption('pass');
  await assess.getByLabel('评语').fill('熟悉村务，群众认可');
  await shot(page, 'reserve-assess');
  await assess.getByRole('button', { name: '保存考核' }).click();
  await main.getByText(/考核：合格/).waitFor();
  assert.equal(await page.getByRole('form', { name: /^考核/ }).count(), 0, 'assessed once: the form is gone');
  await noRawText(page);
  // back in the pool: one person, young, with the period assessed
  await page.getByRole('link', { name: f.branchA.name }).click();
  await waitRoute(page, /#\/orgs\/\d+\/reserve$/);
  await main.getByRole('link', { name: '周晓阳' }).waitFor();
  const pool = await main.innerText();
  assert.match(pool, /在库 1 人，其中年轻干部（35 岁以下）1 人/);
  await noOverflow(page);
  await noRawText(page);
  assert.deepEqual(page.errors, []);
  // what the screens showed is what the server holds
  const api = await apiLogin(server.url, 'worker_a', PASSWORD);
  const p = (await api.get(`/orgs/${f.branchA.id}/reserve-cadres`)).items[0];
  const rec = await api.get(`/reserve-cadres/${p.id}`);
  assert.equal(rec.trials[0].result, 'pass');
  assert.equal(rec.birth_date, null);
});

test('the county finds the villages without a young reserve cadre (phone, demo county)', async (t) => {
  county = await startServer({ scale: 'county' });
  await needRoutes(t, county.url, ROUTES);
  const adm = await apiLogin(county.url, 'admin', ADMIN_PASSWORD);
  const root = (await adm.get('/orgs')).items[0];
  county.cli(['user', 'add', 'reserve_officer', '--display-name', '县委组织部干部', '--role', 'org_admin', '--org', String(root.id)],
    { ZHIBU_PASSWORD: PASSWORD });
  const want = await adm.get(`/orgs/${root.id}/reserve-overview?lacking=1`);
  assert.ok(want.without_young > 0 && want.with_young > want.without_young, 'the demo has villages on both sides');
  assert.equal(want.removed, 3, 'the demo removed three (取消后备干部资格3人)');
  const page = await openPage(browser, PHONE390, county.url);
  await login(page, 'reserve_officer');
  await page.goto(`/#/orgs/${root.id}`);
  await page.getByRole('button', { name: /后备干部情况$/ }).click();
  await waitRoute(page, /#\/reserve\?/);
  const main = page.locator('#main');
  await main.getByText(/行政村 \d+ 个/).waitFor();
  await noOverflow(page);
  await page.getByRole('button', { name: '只看缺年轻后备干部的村' }).click();
  await waitRoute(page, /lacking=1/);
  await main.getByRole('button', { name: '显示全部村' }).waitFor();
  const rows = main.locator('.res-list > li');
  await rows.first().waitFor();
  assert.equal(await rows.count(), want.items.length);
  assert.equal(await main.getByText('缺年轻干部', { exact: true }).count(), want.items.length);
  assert.equal(await rows.first().getByRole('link').innerText(), want.items[0].name);
  await shot(page, 'reserve-lacking');
  await noOverflow(page);
  await noRawText(page);
  // a tap opens that village's pool
  await rows.first().getByRole('link').click();
  await waitRoute(page, /#\/orgs\/\d+\/reserve$/);
  await main.getByText(/在库 \d+ 人/).waitFor();
  assert.ok((await main.innerText()).includes('缺年轻后备干部'));
  assert.deepEqual(page.errors, []);
});
