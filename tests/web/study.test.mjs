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
