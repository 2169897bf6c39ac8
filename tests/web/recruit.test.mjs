// 发展党员 on a phone (390×844), against the real server with data made
// through the API: a branch secretary registers an applicant and records
// the talk (step 2); a rule break (发展对象 before a year as 积极分子) is
// explained in the form and nothing is saved; the board by stage of a
// branch with people in several stages; the county's funnel with a
// drill-down to a child org.  Every screen: no horizontal overflow, no raw
// JSON, no "undefined"/"null"/"NaN".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, axe, waitRoute, needRoutes, idNumber, badIdNumber,
  ADMIN_PASSWORD, PASSWORD } from './helpers.mjs';

const PHONE390 = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const ROUTES = ['POST /applicants', 'GET /applicants', 'GET /applicants/{id}', 'POST /applicants/{id}/steps',
  'POST /applicants/{id}/steps/{sid}/correct', 'GET /orgs/{id}/recruitment'];

let server, browser, f, admin;
let seq = 700;
before(async () => {
  server = await startServer({ scale: 100 });
  f = await fixtures(server);
  admin = f.admin;
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// the server's today is the date in China (UTC+8)
function day(offset = 0) {
  const d = new Date(Date.now() + 8 * 3600e3 + offset * 86400e3);
  return d.toISOString().slice(0, 10);
}
function addDays(iso, n) { return new Date(Date.parse(iso + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10); }

/** An applicant of branchA born in 1998 (young), made through the API. */
async function applicant(name, appliedOn, extra = {}) {
  seq += 2;
  return admin.post('/applicants', { org_id: f.branchA.id, name, gender: 'M', id_number: idNumber('19980415', seq, undefined, 'M'),
    applied_on: appliedOn, education: '大学本科', source: 'young_farmer', ...extra });
}
const step = (a, body) => admin.post(`/applicants/${a.id}/steps`, body);
const contacts = () => [f.membersA[0].id];

/** Steps 2-6 (two 考察): an 入党积极分子 since `activistOn`. */
async function toActivist(a, appliedOn, activistOn, { assess = 2 } = {}) {
  await step(a, { step: 2, done_on: addDays(appliedOn, 10), talkers: [{ member_id: f.membersA[1].id }] });
  await step(a, { step: 3, done_on: activistOn, recommended_by: 'members' });
  await step(a, { step: 4, done_on: addDays(activistOn, 5) });
  await step(a, { step: 5, done_on: addDays(activistOn, 10), contacts: contacts() });
  for (let i = 1; i <= assess; i++) await step(a, { step: 6, done_on: addDays(activistOn, 30 * i), opinion: `第${i}次考察：表现良好` });
}

async function noOverflow(page) {
  const r = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  assert.ok(r.sw <= r.w, `horizontal overflow: ${r.sw} > ${r.w}`);
}
async function noRawText(page) {
  const text = await page.evaluate(() => document.querySelector('#main').innerText);
  for (const bad of ['undefined', 'null', 'NaN', '[object', '{"', '":']) assert.ok(!text.includes(bad), `page shows ${bad}: ${text.slice(0, 400)}`);
}

test('record the talk with a new applicant (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  // from the roster to the branch's board, then the new-applicant form
  await page.goto('/#/members');
  await waitRoute(page, /#\/members/);
  await page.getByRole('button', { name: /发展党员$/ }).click();     // (the icon's glyph leads the name)
  await waitRoute(page, /#\/recruit/);
  await page.getByRole('button', { name: '登记入党申请人' }).click();
  await waitRoute(page, /#\/recruit\/new/);
  const applied = day(-5);
  await page.getByLabel('姓名').fill('陈思远');
  await page.getByLabel('身份证号').fill(badIdNumber('20000612', 311, undefined, 'M'));
  await page.getByLabel('申请日期').fill(applied);
  await page.getByLabel('人员来源').selectOption('graduate');
  await page.getByRole('button', { name: '保存' }).click();
  // the check character is refused beside the field (the server's message, no digit of the number in it)
  const idErr = page.locator('[name="id_number"]').locator('xpath=ancestor::div[contains(concat(" ", @class, " ")," van-field ")][1]').locator('.van-field__error-message');
  await idErr.waitFor();
  assert.match(await idErr.innerText(), /身份证/);
  await page.getByLabel('身份证号').fill(idNumber('20000612', 311, undefined, 'M'));
  await page.getByText('2000-06-12').waitFor();          // the birth date read from the number
  await page.getByRole('button', { name: '保存' }).click();
  await waitRoute(page, /#\/recruit\/\d+$/);
  const id = Number(decodeURIComponent(await page.evaluate(() => location.hash)).match(/(\d+)$/)[1]);

  // the timeline: step 1 done, step 2 next with its due date
  await page.getByRole('heading', { name: /陈思远/ }).waitFor();
  const done1 = page.locator('.t-done[data-step="1"]');
  await done1.getByText(applied).waitFor();
  const next = page.locator('.t-next');
  assert.equal(await next.getAttribute('data-step'), '2');
  await next.getByText('下一步：党组织派人谈话').waitFor();
  await next.getByText(/最迟 \d{4}-\d\d-\d\d/).waitFor();
  assert.ok(await page.locator('.t-later[data-step="25"]').count(), 'the later steps are listed, greyed');
  await noOverflow(page);
  await noRawText(page);
  await shot(page, 'recruit-timeline');
  await page.locator('.van-toast').waitFor({ state: 'hidden' });   // the "已登记" toast has gone
  assert.deepEqual(await axe(page), [], 'axe on the timeline');

  // record the talk: the talker picked from the branch roster
  await next.getByLabel(f.membersA[2].name).check();
  await next.getByLabel('完成日期').fill(day(-1));
  await next.getByRole('button', { name: '记录这一步' }).click();
  const done2 = page.locator('.t-done[data-step="2"]');
  await done2.waitFor();
  await done2.getByText(f.membersA[2].name).waitFor();
  await done2.getByText(day(-1)).waitFor();
  await done2.getByText(/记录/).waitFor();
  // the next step is now 3, with what it needs
  await page.locator('.t-next[data-step="3"]').getByText('下一步：推荐和确定入党积极分子').waitFor();
  await page.locator('.t-next[data-step="3"]').getByLabel('推荐方式').waitFor();
  const saved = await admin.get('/applicants/' + id);
  assert.deepEqual(saved.steps.map((s) => s.step), [1, 2]);
  assert.equal(saved.steps[1].done_on, day(-1));
  await noOverflow(page);
  await noRawText(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a rule break is explained in the form and nothing is saved (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const applied = day(-200);
  const activistOn = addDays(applied, 20);
  const a = await applicant('刘海波', applied);
  await toActivist(a, applied, activistOn, { assess: 2 });
  const before = await admin.get('/applicants/' + a.id);
  assert.equal(before.stage, 'activist');
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto(`/#/recruit/${a.id}`);
  const next = page.locator('.t-next');
  await next.waitFor();
  // after a 考察 the form offers step 7 or another step 6: choose 7
  if (await next.getByRole('button', { name: /^第 7 步$/ }).count()) await next.getByRole('button', { name: /^第 7 步$/ }).click();
  await next.getByText('记录第 7 步').waitFor();
  await next.getByLabel('完成日期').fill(day(0));
  await next.getByRole('button', { name: '记录这一步' }).click();
  const msg = next.locator('[data-test="step-error"]');
  await msg.waitFor();
  const text = await msg.innerText();
  assert.match(text, /一年/, text);
  assert.ok(text.includes(activistOn), `the message names the date of step 3 (${activistOn}): ${text}`);
  const afterRefusal = await admin.get('/applicants/' + a.id);
  assert.equal(afterRefusal.steps.length, before.steps.length, 'nothing saved');
  assert.equal(afterRefusal.stage, 'activist');
  assert.equal(await page.locator('.t-done[data-step="7"]').count(), 0);
  await noOverflow(page);
  await shot(page, 'recruit-rule');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the board by stage of a branch with people in several stages (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  // a new branch so that the counts are exactly these
  const br = await admin.post('/orgs', { parent_id: f.town.id, name: '白杨村党支部', type: 'branch', domain: 'rural' });
  const m1 = await admin.post('/members', { org_id: br.id, name: '郑国强', gender: 'M', birth_date: '1970-03-03',
    id_number: idNumber('19700303', 901, undefined, 'M'), category: 'full', join_date: '1995-07-01', full_date: '1996-07-01' });
  const mk = (name, appliedOn) => { seq += 2; return admin.post('/applicants', { org_id: br.id, name, gender: 'F',
    id_number: idNumber('19990909', seq, undefined, 'F'), applied_on: appliedOn, source: 'returnee' }); };
  const st = (a, b) => admin.post(`/applicants/${a.id}/steps`, b);
  const fresh = await mk('吴晓丽', day(-3));                     // 申请人, talk not yet due
  const late = await mk('何秀兰', day(-70));                     // 申请人, talk overdue
  const act = await mk('马玉洁', day(-120));                     // 入党积极分子
  await st(act, { step: 2, done_on: day(-110), talkers: [{ member_id: m1.id }] });
  await st(act, { step: 3, done_on: day(-100), recommended_by: 'league' });
  const cand = await mk('罗佳怡', day(-800));                    // 发展对象
  await st(cand, { step: 2, done_on: day(-790), talkers: [{ member_id: m1.id }] });
  await st(cand, { step: 3, done_on: day(-760), recommended_by: 'members' });
  await st(cand, { step: 4, done_on: day(-755) });
  await st(cand, { step: 5, done_on: day(-750), contacts: [m1.id] });
  await st(cand, { step: 6, done_on: day(-580), opinion: '表现良好' });
  await st(cand, { step: 6, done_on: day(-400), opinion: '表现良好' });
  await st(cand, { step: 7, done_on: day(-300) });
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  // from the org page
  await page.goto(`/#/orgs/${br.id}`);
  await page.getByRole('button', { name: '发展党员', exact: true }).click();
  await waitRoute(page, new RegExp(`#/recruit\\?org=${br.id}`));
  const count = (s) => page.locator(`[data-stage-count="${s}"]`).innerText();
  await page.locator('.board-card').first().waitFor();
  assert.equal(await count('applicant'), '2');
  assert.equal(await count('activist'), '1');
  assert.equal(await count('candidate'), '1');
  assert.equal(await count('probationary'), '0');
  assert.equal(await count('full'), '0');
  // 申请人: both, the overdue one marked, each with the next step and its dates
  const lateCard = page.locator('.board-card', { hasText: late.name });
  await lateCard.getByText('已逾期').waitFor();
  await lateCard.getByText('下一步：第 2 步 党组织派人谈话').waitFor();
  const freshCard = page.locator('.board-card', { hasText: fresh.name });
  await freshCard.getByText(/最迟 \d{4}-\d\d-\d\d/).waitFor();
  assert.equal(await freshCard.getByText('已逾期').count(), 0);
  await noOverflow(page);
  await noRawText(page);
  await shot(page, 'recruit-board');
  assert.deepEqual(await axe(page), [], 'axe on the board');
  // switch to 发展对象: the candidate, next step 8
  await page.getByRole('tab', { name: /发展对象/ }).click();
  const candCard = page.locator('.board-card', { hasText: cand.name });
  await candCard.getByText('下一步：第 8 步').waitFor();
  assert.equal(await page.locator('.board-card').count(), 1);
  await page.getByRole('tab', { name: /入党积极分子/ }).click();
  await page.locator('.board-card', { hasText: act.name }).waitFor();
  // the card opens the timeline
  await page.locator('.board-card', { hasText: act.name }).click();
  await waitRoute(page, new RegExp(`#/recruit/${act.id}$`));
  await page.locator('.t-done[data-step="3"]').waitFor();
  await noOverflow(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the county funnel with a drill-down to a child org (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  // this year's applications in branchB (under the test town)
  for (const name of ['孔令辉', '杨雪']) {
    seq += 2;
    await admin.post('/applicants', { org_id: f.branchB.id, name, gender: name === '杨雪' ? 'F' : 'M',
      id_number: idNumber('20010101', seq, undefined, name === '杨雪' ? 'F' : 'M'), applied_on: day(-2), source: 'graduate', education: '大学本科' });
  }
  const year = Number(day(0).slice(0, 4));
  const rootF = await admin.get(`/orgs/${f.root.id}/recruitment?year=${year}`);
  const townF = await admin.get(`/orgs/${f.town.id}/recruitment?year=${year}`);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto('/#/');
  await page.getByRole('link', { name: /发展党员情况/ }).click();
  await waitRoute(page, /#\/recruit\/funnel/);
  const num = (k) => page.locator(`[data-funnel="${k}"] .f-num`).innerText();
  await page.locator('[data-funnel="applications"]').waitFor();
  for (const s of rootF.funnel) assert.equal(await num(s.key), String(s.count), s.key);
  await page.locator('[data-test="young"]').getByText(`${rootF.young.young} 人`).waitFor();
  await noOverflow(page);
  await noRawText(page);
  await shot(page, 'recruit-funnel');
  assert.deepEqual(await axe(page), [], 'axe on the funnel');
  // drill down: the town (a child of the county), then its branch
  await page.getByRole('button', { name: '查看' + f.town.name + '的漏斗' }).click();
  await waitRoute(page, new RegExp(`#/recruit/funnel\\?org=${f.town.id}`));
  await page.getByRole('heading', { name: f.town.name }).waitFor();
  for (const s of townF.funnel) assert.equal(await num(s.key), String(s.count), 'town ' + s.key);
  assert.ok(townF.funnel[0].count >= 2);
  const kid = page.locator('.kids li', { hasText: f.branchB.name });
  await kid.getByText(/申请 \d+/).waitFor();
  // the breakdown of applications names the source and gender in Chinese
  await page.locator('.break', { hasText: '来源' }).getByText('大学生').waitFor();
  await page.locator('.break', { hasText: '性别' }).getByText('女').waitFor();
  await page.getByRole('button', { name: '查看' + f.branchB.name + '的漏斗' }).click();
  await waitRoute(page, new RegExp(`#/recruit/funnel\\?org=${f.branchB.id}`));
  await page.getByRole('heading', { name: f.branchB.name }).waitFor();
  const brF = await admin.get(`/orgs/${f.branchB.id}/recruitment?year=${year}`);
  assert.equal(await num('applications'), String(brF.funnel[0].count));
  assert.equal(brF.funnel[0].count, 2);
  // back up the trail to the town
  await page.getByRole('button', { name: f.town.name }).click();
  await waitRoute(page, new RegExp(`#/recruit/funnel\\?org=${f.town.id}`));
  await noOverflow(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a recorded step is corrected with a reason (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const a = await applicant('宋文博', day(-20));
  await step(a, { step: 2, done_on: day(-15), talkers: [{ member_id: f.membersA[1].id }] });
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a', PASSWORD);
  await page.goto(`/#/recruit/${a.id}`);
  const row = page.locator('.t-done[data-step="2"]');
  await row.getByRole('button', { name: '更正' }).click();
  await row.getByLabel('完成日期').fill(day(-14));
  await row.getByRole('button', { name: '保存更正' }).click();
  await row.getByText('请填写更正原因').waitFor();         // a reason is required
  await row.getByLabel('更正原因').fill('谈话日期登记错误');
  await row.getByRole('button', { name: '保存更正' }).click();
  await page.locator('.t-done[data-step="2"]').getByText(day(-14)).waitFor();
  await page.locator('.t-done[data-step="2"]').getByText(/谈话日期登记错误/).waitFor();
  const saved = await admin.get('/applicants/' + a.id);
  assert.equal(saved.steps.find((s) => s.step === 2).done_on, day(-14));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('task: a secretary stops the pipeline of an applicant who withdrew, with a reason (phone)', async (t) => {
  await needRoutes(t, server.url, [...ROUTES, 'POST /applicants/{id}/close']);
  const a = await applicant('魏晓东', day(-30));
  await step(a, { step: 2, done_on: day(-20), talkers: [{ member_id: f.membersA[1].id }] });
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a', PASSWORD);
  await page.goto(`/#/recruit/${a.id}`);
  await page.getByRole('button', { name: '终止培养' }).click();
  // a date before the last step is refused by the server, under its field
  await page.getByLabel('终止日期').fill(day(-25));
  await page.getByLabel('原因').fill('本人申请撤回入党申请');
  await page.getByRole('button', { name: '确认终止' }).click();
  await page.getByText(`终止日期 ${day(-25)} 早于最近一步的日期 ${day(-20)}`).waitFor();
  assert.equal((await admin.get('/applicants/' + a.id)).closed, null, 'nothing saved');
  await page.getByLabel('终止日期').fill(day(-1));
  await page.getByRole('button', { name: '确认终止' }).click();
  await page.getByText('已终止培养').first().waitFor();
  await noRawText(page);
  await noOverflow(page);
  const saved = await admin.get('/applicants/' + a.id);
  assert.equal(saved.closed, 'stopped');
  assert.equal(saved.closed_reason, '本人申请撤回入党申请');
  assert.equal(saved.next.step, 0, 'no next step once stopped');
  // the timeline offers no more steps and no second stop
  assert.equal(await page.getByRole('button', { name: '终止培养' }).count(), 0);
  assert.equal(await page.locator('.t-next').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the printables open in a new tab (phone)', async (t) => {
  await needRoutes(t, server.url, [...ROUTES, 'GET /applicants/{id}/print/record']);
  const a = await applicant('林静', day(-8));
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a', PASSWORD);
  await page.goto(`/#/recruit/${a.id}`);
  const link = page.getByRole('link', { name: '培养考察登记表' });
  assert.equal(await link.getAttribute('target'), '_blank');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await tab.waitForLoadState();
  assert.match(await tab.content(), /林静/);
  await page.context().close();
});


// ---- the tasks of a secretary and of the county --------------------------

/** "YYYY-MM-DD" + n months, clamped to the month's end (the server's rule). */
function addMonths(iso, n) {
  const [y, m, d] = iso.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
  t.setUTCDate(Math.min(d, last));
  return t.toISOString().slice(0, 10);
}

test('task: record the next step of a person on the board (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  // an 入党积极分子 of branchA whose next step is 5 (培养联系人)
  const applied = day(-60);
  const a = await applicant('黄志明', applied);
  await step(a, { step: 2, done_on: addDays(applied, 7), talkers: [{ member_id: f.membersA[1].id }] });
  await step(a, { step: 3, done_on: addDays(applied, 20), recommended_by: 'members' });
  await step(a, { step: 4, done_on: addDays(applied, 25) });
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto('/#/recruit');
  await page.getByRole('tab', { name: /入党积极分子/ }).click();
  const card = page.locator('.board-card', { hasText: a.name });
  await card.getByText('下一步：第 5 步 指定培养联系人').waitFor();
  await card.click();
  await waitRoute(page, new RegExp(`#/recruit/${a.id}$`));
  const next = page.locator('.t-next[data-step="5"]');
  await next.getByText('下一步：指定培养联系人').waitFor();
  // one or two full members of the branch, picked from the roster
  await next.getByLabel(f.membersA[0].name).check();
  await next.getByLabel(f.membersA[3].name).check();
  await next.getByLabel('完成日期').fill(day(-2));
  await next.getByRole('button', { name: '记录这一步' }).click();
  const done5 = page.locator('.t-done[data-step="5"]');
  await done5.getByText(`${f.membersA[0].name}、${f.membersA[3].name}`).waitFor();
  await page.locator('.t-next[data-step="6"]').waitFor();
  const saved = await admin.get('/applicants/' + a.id);
  assert.deepEqual(saved.steps.at(-1).people.map((p) => p.member_id), [f.membersA[0].id, f.membersA[3].id]);
  // back on the board the card says the next step is now 6
  await page.goBack();
  await waitRoute(page, /#\/recruit(\?|$)/);
  await page.getByRole('tab', { name: /入党积极分子/ }).click();
  await page.locator('.board-card', { hasText: a.name }).getByText('下一步：第 6 步 培养教育考察').waitFor();
  await noOverflow(page);
  await noRawText(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('task: the timeline shows the next step, its earliest date and what it needs (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  const applied = day(-100);
  const activistOn = addDays(applied, 15);
  const a = await applicant('谢婉清', applied);
  await toActivist(a, applied, activistOn, { assess: 2 });
  const server7 = (await admin.get('/applicants/' + a.id)).next;
  assert.equal(server7.step, 7);
  const earliest = addMonths(activistOn, 12);       // 一年以上培养考察
  assert.equal(server7.earliest, earliest);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto(`/#/recruit/${a.id}`);
  const next = page.locator('.t-next');
  await next.waitFor();
  assert.equal(await next.getAttribute('data-step'), '7');
  await next.getByText('下一步：确定发展对象').waitFor();
  assert.equal(await next.locator('[data-test="earliest"]').innerText(), `最早 ${earliest}`);
  await next.getByText(server7.needs).waitFor();
  // the steps done so far, the later ones listed after the next
  for (const s of [1, 2, 3, 4, 5, 6]) assert.ok(await page.locator(`.t-done[data-step="${s}"]`).count(), `step ${s} done`);
  assert.equal(await page.locator('.t-later').count(), 25 - 7);
  // the form starts on the earliest allowed date when it is still ahead
  if (!await next.getByLabel('完成日期').count()) await next.getByRole('button', { name: /^第 7 步$/ }).click();
  assert.equal(await next.getByLabel('完成日期').inputValue(), earliest);
  await noOverflow(page);
  await noRawText(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('task: a step that breaks a rule is refused with the rule\'s message, verbatim (phone)', async (t) => {
  await needRoutes(t, server.url, ROUTES);
  // a talk recorded two months after the application: past the one month
  const applied = day(-75);
  const a = await applicant('蒋立新', applied);
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto(`/#/recruit/${a.id}`);
  const next = page.locator('.t-next[data-step="2"]');
  await next.waitFor();
  await next.getByLabel(f.membersA[1].name).check();
  await next.getByLabel('完成日期').fill(day(-1));
  await next.getByRole('button', { name: '记录这一步' }).click();
  const shown = await next.locator('[data-test="step-error"]').innerText();
  // the same request to the server: 409 and the very same words
  const err = await admin.post(`/applicants/${a.id}/steps`, { step: 2, done_on: day(-1), talkers: [{ member_id: f.membersA[1].id }] })
    .then(() => null, (e) => e);
  assert.ok(err, 'the server refuses the step');
  assert.equal(err.status, 409);
  assert.equal(shown, err.body.error.message);
  assert.ok(shown.includes(applied), `names the application date: ${shown}`);
  assert.equal((await admin.get('/applicants/' + a.id)).steps.length, 1, 'nothing saved');
  await noOverflow(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('task: the county finds the overdue approvals and the pipelines that break a rule in the funnel (phone)', async (t) => {
  await needRoutes(t, server.url, [...ROUTES, 'GET /orgs/{id}/recruitment/alerts']);
  // a town of its own, one branch, four full members
  const town = await admin.post('/orgs', { parent_id: f.root.id, name: '柳河镇党委', type: 'committee', domain: 'rural' });
  const br = await admin.post('/orgs', { parent_id: town.id, name: '柳河村党支部', type: 'branch', domain: 'rural' });
  const ms = [];
  for (const [i, name] of ['柳一', '柳二', '柳三', '柳四'].entries()) {
    ms.push(await admin.post('/members', { org_id: br.id, name, gender: 'M', birth_date: '1970-01-0' + (i + 1),
      id_number: idNumber('1970010' + (i + 1), 800 + 2 * i, undefined, 'M'), category: 'full', join_date: '1996-07-01', full_date: '1997-07-01' }));
  }
  const mk = (name, appliedOn) => { seq += 2; return admin.post('/applicants', { org_id: br.id, name, gender: 'M',
    id_number: idNumber('19950505', seq, undefined, 'M'), applied_on: appliedOn, source: 'veteran' }); };
  const st = (a, b) => admin.post(`/applicants/${a.id}/steps`, b);
  // 唐建军: admitted by the plenary 150 days ago, the 上级党委 has not approved (3 months)
  const p = await mk('唐建军', day(-800));
  const seqSteps = [
    { step: 2, done_on: day(-790), talkers: [{ member_id: ms[0].id }] }, { step: 3, done_on: day(-780), recommended_by: 'members' },
    { step: 4, done_on: day(-775) }, { step: 5, done_on: day(-770), contacts: [ms[0].id] },
    { step: 6, done_on: day(-600), opinion: '表现良好' }, { step: 6, done_on: day(-420), opinion: '表现良好' },
    { step: 7, done_on: day(-400) }, { step: 8, done_on: day(-395) }, { step: 9, done_on: day(-390), introducers: [ms[0].id, ms[1].id] },
    { step: 10, done_on: day(-380), conclusion: 'pass' }, { step: 11, done_on: day(-370), training_days: 3, certificate_no: 'PX-LH-01' },
    { step: 12, done_on: day(-360), conclusion: 'pass' }, { step: 13, done_on: day(-330), publicity_from: day(-355), conclusion: 'pass' },
    { step: 14, done_on: day(-325), volunteer_no: 'ZYS-LH-01' },
  ];
  for (const b of seqSteps) await st(p, b);
  const held = day(-150);
  const start = Date.parse(`${held}T10:00:00+08:00`) / 1000;
  const m = await admin.post('/meetings', { org_id: br.id, type: 'plenary', start_at: start, end_at: start + 7200, topic: '发展党员' });
  await admin.post(`/meetings/${m.id}/unlock`, { reason: '补录发展党员会议记录', days: 1 });
  await admin.put(`/meetings/${m.id}/attendance`, { items: m.attendance.map((x) => ({ member_id: x.member_id, status: 'present' })) });
  const res = await admin.post(`/meetings/${m.id}/resolutions`, { title: '接收唐建军为预备党员', kind: 'admission', yes: 4, no: 0, abstain: 0 });
  await st(p, { step: 15, done_on: held, meeting_id: m.id, resolution_id: res.id });
  await st(p, { step: 16, done_on: day(-140), talkers: [{ name: '镇党委组织委员 许某' }] });
  // 邓文: applied 70 days ago, no talk (the one-month rule broken)
  const q = await mk('邓文', day(-70));
  const alerts = await admin.get(`/orgs/${town.id}/recruitment/alerts`);
  assert.equal(alerts.counts.approval_due, 1);
  assert.equal(alerts.counts.talk_due, 1);

  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`/#/orgs/${town.id}`);
  await page.getByRole('button', { name: '发展党员情况' }).click();
  await waitRoute(page, new RegExp(`#/recruit/funnel\\?org=${town.id}`));
  const approval = page.locator('[data-count="approval_due"]');
  await approval.getByText('1').waitFor();
  assert.equal(await page.locator('[data-count="talk_due"] strong').innerText(), '1');
  assert.equal(await page.locator('[data-count="approval_broken"] strong').innerText(), '0');
  await noOverflow(page);
  await noRawText(page);
  assert.deepEqual(await axe(page), [], 'axe on the funnel with its counts');
  // the overdue approval: the list names the person, the branch and the dates
  await approval.getByRole('link').click();
  await waitRoute(page, new RegExp(`#/recruit/alerts\\?org=${town.id}&kind=approval_due`));
  const row = page.locator('[data-alert="approval_due"]', { hasText: p.name });
  await row.waitFor();
  assert.equal(await page.locator('.list-row').count(), 1, 'only the approvals');
  await row.getByText(br.name).waitFor();
  await row.getByText(held).waitFor();
  await noOverflow(page);
  await noRawText(page);
  // all kinds: the talk overdue too
  await page.getByLabel('类别').selectOption('');
  await page.locator('[data-alert="talk_due"]', { hasText: q.name }).waitFor();
  // to the timeline: step 17 is overdue; without a reason the server refuses, with one it is recorded
  await page.getByRole('link', { name: p.name }).click();
  await waitRoute(page, new RegExp(`#/recruit/${p.id}$`));
  const next = page.locator('.t-next[data-step="17"]');
  await next.locator('[data-test="due"]').getByText(`已逾期，应于 ${addMonths(held, 3)}`).waitFor();
  await next.getByLabel('完成日期').fill(day(0));
  await next.locator('[data-test="late-note"]').waitFor();
  await next.getByRole('button', { name: '记录这一步' }).click();
  const msg = await next.locator('[data-test="step-error"]').innerText();
  const err = await admin.post(`/applicants/${p.id}/steps`, { step: 17, done_on: day(0) }).then(() => null, (e) => e);
  assert.equal(err && err.status, 409);
  assert.equal(msg, err.body.error.message);
  await next.getByLabel('延迟原因').fill('镇党委换届，审批会议推迟');
  await next.getByRole('button', { name: '记录这一步' }).click();
  await page.locator('.t-done[data-step="17"]').getByText('镇党委换届，审批会议推迟').waitFor();
  assert.equal((await admin.get('/applicants/' + p.id)).stage, 'probationary');
  assert.equal((await admin.get(`/orgs/${town.id}/recruitment/alerts`)).counts.approval_due, 0);
  await noOverflow(page);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the branch calendar reminds of a talk that is due (phone)', async (t) => {
  await needRoutes(t, server.url, [...ROUTES, 'GET /orgs/{id}/calendar']);
  const a = await applicant('韩晓东', day(-40));
  const page = await openPage(browser, PHONE390, server.url);
  await login(page, 'worker_a');
  await page.goto('/#/life');
  const item = page.locator('.due-item', { hasText: a.name });
  await item.locator('[data-kind="recruit"]').getByText('第 2 步 党组织派人谈话').waitFor();
  await item.locator('.due-tag').getByText('已逾期').waitFor();
  await noRawText(page);
  await noOverflow(page);
  await item.getByRole('button', { name: '查看' }).click();
  await waitRoute(page, new RegExp(`#/recruit/${a.id}$`));
  await page.locator('.t-next[data-step="2"]').waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
