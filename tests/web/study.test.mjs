// 学习教育 on a phone (390×844) against the demo county: a member opens
// 我的学习 from 我的 and finds a 党课 they attended counted with its hours,
// without having entered it; the member takes a course's quiz and passes
// it, and the course's hours join the year; a branch secretary finds who
// in the branch is short of 学时 and by how much.  Every screen: no
// horizontal overflow, no raw JSON, no "undefined"/"null"/"NaN".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, axe, waitRoute, needRoutes, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE390 = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

async function clean(page) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth, text: document.querySelector('#main').innerText }));
  assert.ok(r.sw <= r.w, `horizontal overflow: ${r.sw} > ${r.w}`);
  for (const bad of ['undefined', 'null', 'NaN', '[object', '{"', '":']) assert.ok(!r.text.includes(bad), `page shows ${bad}: ${r.text.slice(0, 300)}`);
}

test('a member opens 我的学习 and sees a 党课 they attended counted (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /me/study']);
  const self = await apiLogin(server.url, 'member', ADMIN_PASSWORD);
  const y = await self.get('/me/study');
  const lecture = y.items.find((x) => x.kind === 'lecture');
  assert.ok(lecture, 'the demo member attended a 党课 this year');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  await page.goto('/#/me');
  await page.getByRole('button', { name: '我的学习' }).click();
  await waitRoute(page, /#\/study$/);
  const row = page.locator(`[data-source="${lecture.source}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), new RegExp(`党课[\\s\\S]*${lecture.date} · ${lecture.hours} 学时`));
  assert.equal(await page.locator('[data-test="study-hours"] strong').innerText(), String(y.hours));
  await clean(page);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'study-mine');
  // the item opens the meeting record it came from
  await row.getByRole('link').click();
  await waitRoute(page, new RegExp(`#/meetings/${lecture.source_id}$`));
});

test('a member takes a course quiz, passes, and its hours count (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /me/courses', 'POST /me/courses/{id}/quiz']);
  const self = await apiLogin(server.url, 'member', ADMIN_PASSWORD);
  const course = (await self.get('/me/courses')).items.find((c) => c.questions > 0);
  assert.ok(course && !course.studied_on, 'the demo member has a course with a quiz not yet passed');
  const before = (await self.get('/me/study')).hours;
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  await page.goto('/#/study/courses');
  await page.getByRole('link', { name: course.title }).click();
  await waitRoute(page, new RegExp(`#/study/courses/${course.id}$`));
  await page.getByRole('heading', { name: /测验/ }).waitFor();
  await clean(page);
  // a tap on 提交答案 with questions left open sends nothing: it would be
  // scored as wrong, spend an attempt and show the key
  const quizPosts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/quiz$/.test(r.url())) quizPosts.push(r.url()); });
  await page.getByRole('button', { name: '提交答案' }).click();
  await page.locator('[data-test="quiz-unanswered"]').waitFor();
  assert.match(await page.locator('[data-test="quiz-unanswered"]').innerText(), /第 1、2、3 题还没有作答/);
  await page.locator('[data-pos="1"]').getByText('A. 实现共产主义').click();
  await page.getByRole('button', { name: '提交答案' }).click();
  await page.getByText('第 2、3 题还没有作答').waitFor();
  assert.equal(await page.locator('[data-test="quiz-result"]').count(), 0);
  assert.equal(await page.getByText(/答案 [A-F]/).count(), 0, 'no key shown');
  assert.deepEqual(quizPosts, []);
  // the demo's quiz: 共产主义; 参加会议、表决选举、提建议; 一年
  await page.locator('[data-pos="1"]').getByText('A. 实现共产主义').click();
  for (const o of ['A. 参加党的有关会议', 'B. 行使表决权、选举权', 'C. 对党的工作提出建议']) await page.locator('[data-pos="2"]').getByText(o).click();
  await page.locator('[data-pos="3"]').getByText('C. 一年').click();
  await page.getByRole('button', { name: '提交答案' }).click();
  const res = page.locator('[data-test="quiz-result"]');
  await res.waitFor();
  assert.match(await res.innerText(), /得分 100.*合格，已计入学时/);
  await page.locator('[data-test="studied"]').waitFor();
  await clean(page);
  await shot(page, 'study-quiz');
  const after = await self.get('/me/study');
  assert.equal(Math.round((after.hours - before) * 10) / 10, course.hours);
  assert.ok(after.items.some((x) => x.source === `course:${course.id}`));
});

test('a secretary finds who in the branch is short of 学时 and by how much (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/study']);
  const sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const org = sec.user.grants[0].org_id;
  const want = await sec.get(`/orgs/${org}/study?short=1`);
  assert.ok(want.short > 0 && want.short < want.members, 'the demo branch has members short and members over');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto('/#/');
  await page.getByRole('link', { name: /党员学时/ }).click();
  await waitRoute(page, new RegExp(`#/orgs/${org}/study`));
  await page.getByLabel('只看未达到的').check();
  const rows = page.locator('.study-rows li');
  await page.waitForFunction((n) => document.querySelectorAll('.study-rows li').length === n, Math.min(want.items.length, 500));
  const first = want.items[0];
  assert.match(await rows.first().innerText(), new RegExp(`${first.name}[\\s\\S]*${first.hours} / ${first.required}，差 ${first.short_by}`));
  await page.getByRole('heading', { name: `${want.members} 名党员，${want.short} 名未达到`, exact: false }).waitFor();
  await clean(page);
  assert.deepEqual(await axe(page), []);
  await shot(page, 'study-short');
});

test('a secretary records a 集中学习 once for the people ticked; an empty field is named in Chinese and nothing ticked is lost (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/study', 'POST /study-sessions']);
  const sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  const org = sec.user.grants[0].org_id;
  const before = await sec.get(`/orgs/${org}/study`);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${org}/study`);
  await page.getByRole('heading', { name: '登记集中学习或远程教育' }).waitFor();
  const boxes = page.locator('.attendees input[type="checkbox"]');
  // 全选 ticks everyone listed, 全不选 none
  await page.getByRole('button', { name: '全选', exact: true }).click();
  assert.equal(await page.locator('.attendees input:checked').count(), await boxes.count());
  await page.getByText(`已选 ${await boxes.count()} 人`).waitFor();
  await page.getByRole('button', { name: '全不选' }).click();
  assert.equal(await page.locator('.attendees input:checked').count(), 0);
  const [x, y] = before.items;
  for (const m of [x, y]) await page.locator('.attendees label', { hasText: m.name }).first().click();
  // nothing typed: the field's own name, not the API's key
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByText('请填写学习内容').waitFor();
  assert.equal(await page.getByText(/title|缺少必填字段/).count(), 0);
  await page.getByLabel('学习内容').fill('学习党的二十届四中全会精神');
  await page.getByRole('textbox', { name: '学时', exact: true }).fill('30');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByText(/学时应大于 0、不超过 24/).waitFor();
  assert.equal(await page.locator('.attendees input:checked').count(), 2, 'the ticks survive the refusal');
  await page.getByRole('textbox', { name: '学时', exact: true }).fill('3');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('.attendees input:checked').length === 0);
  const after = await sec.get(`/orgs/${org}/study`);
  for (const m of [x, y]) {
    const was = m.hours, now = after.items.find((r) => r.member_id === m.member_id).hours;
    assert.equal(Math.round((now - was) * 10) / 10, 3, `${m.name} +3 学时`);
  }
  await clean(page);
  assert.deepEqual(page.errors, []);
});

test('a list cut at its limit says how many it shows of how many (phone)', async (t) => {
  await needRoutes(t, server.url, ['GET /orgs/{id}/study']);
  const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const county = (await admin.get('/orgs')).items[0];
  const all = await admin.get(`/orgs/${county.id}/study`);
  assert.ok(all.total > 20 && all.orgs.length > 1);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  // the server's limit (500) made small, as a county of 20,000 meets it
  await page.route(/\/api\/v1\/orgs\/\d+\/study\?/, (route) => route.continue({ url: route.request().url() + '&limit=20' }));
  await page.goto(`/#/orgs/${county.id}/study`);
  await page.locator('[data-test="study-shown"]').waitFor();
  assert.equal(await page.locator('[data-test="study-shown"]').innerText(), `显示前 20 名，共 ${all.total} 名；点上面的组织查看其全部党员。`);
  assert.equal(await page.locator('.study-rows li').count(), 20);
  // an org of the breakdown opens its own list
  const o = all.orgs[0];
  await page.getByRole('link', { name: o.name, exact: true }).first().click();
  await waitRoute(page, new RegExp(`#/orgs/${o.org_id}/study`));
  await page.getByRole('heading', { name: new RegExp(`^${o.members} 名党员`) }).waitFor();
  await clean(page);
});
