// 流动党员 and the transfer in from outside the platform as tasks at phone
// size (390x844), by the branch secretary (docs/TRANSFERS.md, docs/WEB.md):
// a member going away for 4 months is registered from the member page, the
// server names the 证明信 needed under its number field, the 证明信 is
// printed and the org's list shows them; the return is registered; a member
// transferred in from outside is created from the letter's facts, an invalid
// ID number answered by the server's message under the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, fixtures, launch, openPage, login, shot, waitRoute, needRoutes, apiLogin, idNumber, badIdNumber, axe,
  PASSWORD, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
let server, browser, f, sec, m;

// local dates, as the phone's date field gives them
// dates on the platform's calendar, China time (the server's today)
const ymd = (d) => new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
function monthsFromToday(n) {
  const t = ymd(new Date());
  const y = +t.slice(0, 4), m = +t.slice(5, 7) - 1 + n, day = +t.slice(8, 10);
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(day, last))).toISOString().slice(0, 10);
}
// the text under a form field (named by its input's name)
const fieldError = (page, name) => page.locator('.van-field', { has: page.locator(`[name="${name}"]`) }).locator('.van-field__error-message');

before(async () => {
  server = await startServer();
  f = await fixtures(server);
  m = f.membersA[2];
  browser = await launch();
  sec = await openPage(browser, PHONE, server.url);
  await login(sec, 'worker_a');
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a secretary registers a member going away for 4 months and prints the 证明信 (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /members/{id}/mobile', 'GET /members/{id}/mobile', 'GET /members/{id}/mobile/paper',
    'GET /orgs/{id}/mobile-members']))) return;
  await sec.goto(`/#/members/${m.id}`);
  const section = sec.locator('.mobile-section');
  await section.getByText('未登记外出').waitFor();
  await section.getByRole('button', { name: '登记外出' }).click();
  await sec.getByLabel('外出去向').fill('广东省深圳市南山区');
  assert.equal(await sec.getByLabel('外出日期').inputValue(), ymd(new Date()), 'leaving today by default');
  const until = monthsFromToday(4);
  await sec.getByLabel('预计返回').fill(until);
  await sec.getByLabel('联系方式').fill('微信 shenzhen-wh');
  await sec.getByLabel('流入地组织').fill('深圳市南山区流动党员党支部');
  // no number yet: the server says which paper is needed, under its field
  await sec.getByRole('button', { name: '保存登记' }).click();
  await fieldError(sec, 'paper_no').filter({ hasText: '外出时间和地点需要证明信，请填写其编号' }).waitFor();
  await shot(sec, 'mobile-paper-needed');
  assert.deepEqual(await axe(sec), [], 'the open form: no serious accessibility violation');
  await sec.getByLabel('证明编号').fill('深流证（2026）7 号');
  await sec.getByRole('button', { name: '保存登记' }).click();
  await section.getByText('外出中').waitFor();
  await section.locator('.mobile-paper', { hasText: '证明信（编号 深流证（2026）7 号）' }).waitFor();
  await section.getByText(until).waitFor();
  await sec.locator('.member-head').getByText('流动').waitFor();   // the status, from the server
  await shot(sec, 'mobile-registered');

  // the 证明信 opens printable in a new tab
  const [paper] = await Promise.all([sec.context().waitForEvent('page'), section.getByRole('link', { name: '打印证明信' }).click()]);
  await paper.waitForLoadState();
  const html = await paper.content();
  assert.match(html, /流动党员证明信/);
  assert.ok(html.includes('深流证（2026）7 号') && html.includes('深圳市南山区流动党员党支部') && html.includes(until), 'the paper names number, org and date');
  await paper.close();

  // the branch's list of 流动党员, from the org page
  await sec.goto(`/#/orgs/${f.branchA.id}`);
  await sec.getByRole('button', { name: '流动党员' }).click();
  await waitRoute(sec, new RegExp(`#/orgs/${f.branchA.id}/mobile-members$`));
  const row = sec.locator('.mobile-list .list-row', { hasText: m.name });
  await row.getByText('外出中').waitFor();
  await row.getByText('深流证（2026）7 号').waitFor();
  await shot(sec, 'mobile-list');
  assert.deepEqual(sec.errors, []);
});

test('registers the return (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /members/{id}/mobile/end']))) return;
  await sec.goto(`/#/members/${m.id}`);
  const section = sec.locator('.mobile-section');
  await section.getByRole('button', { name: '登记返回' }).click();
  await section.getByRole('button', { name: '确认返回' }).click();
  await section.getByText('已返回').waitFor();
  await section.getByText(ymd(new Date())).first().waitFor();
  assert.equal(await section.getByRole('button', { name: '登记外出' }).count(), 1, 'a new absence may be registered');
  assert.equal(await sec.locator('.member-head').getByText('流动').count(), 0, 'the status is back to 正常');
  await shot(sec, 'mobile-returned');
  const adm = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  assert.equal((await adm.get(`/members/${m.id}`)).status, 'normal');
  assert.deepEqual(sec.errors, []);
});

test('takes in a member transferred from outside the platform; an invalid ID number is answered under the field (phone)', async (t) => {
  if (!(await needRoutes(t, server.url, ['POST /transfers/in', 'GET /transfers/{id}']))) return;
  await sec.goto('/#/transfers');
  await sec.reload();   // no toast left over from the step before
  await sec.getByRole('button', { name: '从系统外转入' }).click();
  await waitRoute(sec, /#\/transfers\/in/);
  const issued = new Date(); issued.setDate(issued.getDate() - 12);
  await sec.getByLabel('原所在组织').fill('中共某省某县某镇委员会');
  await sec.getByLabel('原所在省份').fill('外省');
  await sec.getByLabel('介绍信编号').fill('外组转（2026）31 号');
  await sec.getByLabel('开具日期').fill(ymd(issued));
  await sec.getByLabel('转接原因').fill('返乡创业');
  await sec.getByLabel('党费交到').fill('2026-01');
  await sec.getByLabel('姓名').fill('陈外来');
  const bad = badIdNumber('19880520', 231, '110105', 'M');
  await sec.getByLabel('身份证号').fill(bad);
  await sec.getByLabel('性别').selectOption('M');
  await sec.getByLabel('入党日期').fill('2012-07-01');
  await sec.getByLabel('转正日期').fill('2013-07-01');
  await sec.getByRole('button', { name: '转入' }).click();
  // the server's own words, under the ID number
  const secApi = await apiLogin(server.url, 'worker_a', PASSWORD);
  const refused = await secApi.post('/transfers/in', { org_id: f.branchA.id, name: '陈外来', id_number: bad, category: 'full', join_date: '2012-07-01',
    from_org: '中共某省某县某镇委员会', letter_no: '外组转（2026）31 号', issued_on: ymd(issued), dues_paid_to: '2026-01', reason: '返乡创业' })
    .then(() => null, (e) => e.body.error);
  assert.equal(refused && refused.field, 'id_number');
  await fieldError(sec, 'id_number').filter({ hasText: refused.message }).waitFor();
  assert.equal((await fieldError(sec, 'id_number').textContent()).trim(), refused.message, 'verbatim');
  await shot(sec, 'transfer-in-bad-id');
  assert.deepEqual(await axe(sec), [], 'the transfer-in form: no serious accessibility violation');
  await sec.getByLabel('身份证号').fill(idNumber('19880520', 231, '110105', 'M'));
  await sec.getByRole('button', { name: '转入' }).click();
  await waitRoute(sec, /#\/transfers\/\d+$/);
  await sec.locator('.transfer-status', { hasText: '已接收' }).waitFor();
  await shot(sec, 'transfer-in-done');
  const id = Number(/transfers\/(\d+)/.exec(await sec.evaluate(() => location.hash))[1]);
  const tr = await secApi.get(`/transfers/${id}`);
  assert.equal(tr.direction, 'in');
  const mm = await secApi.get(`/members/${tr.member_id}`);
  assert.equal(mm.name, '陈外来');
  assert.equal(mm.org_id, f.branchA.id, 'on the receiving branch roster');
  assert.equal(mm.join_date, '2012-07-01');
  assert.deepEqual(sec.errors, []);
});
