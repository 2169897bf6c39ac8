// A village branch secretary records the month on a phone (390×844) in the
// demo county: 支委会, 党小组会 and 主题党日, each with one 请假 and one
// 缺席 and a 30-character note.  The test counts every tap and every typed
// character it performs and models the time (2 s a tap, 1 s a Chinese
// character): the month in at most 3 minutes, a single 主题党日 in at most
// 12 taps.  Text goes in through IME composition events (the phone
// keyboard's pinyin and voice input), and what is saved is what was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const NOTES = {
  committee: '研究本月党员发展和集体经济项目推进工作，明确责任人和完成时限',
  group: '学习党章第三章，交流各自联系农户的走访情况，议定下月帮扶工作',
  theme_day: '组织党员清扫村道并为独居老人送去过冬的用品，重温入党誓词合影',
};
const REASON = '外出务工';
for (const n of Object.values(NOTES)) assert.equal([...n].length, 30);

let server, browser, admin, branch;
before(async () => {
  server = await startServer({ scale: 'county' });
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  branch = sec.user.grants[0].org_id;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** Taps and typed characters, counted as the test performs them. */
function counter(page) {
  const t = { taps: 0, chars: 0, cdp: null };
  t.tap = async (locator) => { t.taps += 1; await locator.click(); };
  // focus a field (a tap), then type through IME composition: the pinyin
  // is composed, then the characters are committed
  t.type = async (locator, text) => {
    t.taps += 1;
    await locator.click();
    if (!t.cdp) t.cdp = await page.context().newCDPSession(page);
    for (const chunk of text.match(/.{1,4}/gu)) {
      await t.cdp.send('Input.imeSetComposition', { text: 'pinyin', selectionStart: 6, selectionEnd: 6 });
      await t.cdp.send('Input.insertText', { text: chunk });
    }
    t.chars += [...text].length;
  };
  t.seconds = () => t.taps * 2 + t.chars;
  return t;
}

/** Pick the type and wait for the server's 应到 list for it. */
async function chooseType(page, t, name, code) {
  await page.locator('.type-btn.on').waitFor();
  if ((await page.locator('.type-btn.on').innerText()).trim() === name) {
    await page.locator('.att-row').first().waitFor();
    return;                               // already chosen: no tap
  }
  const done = page.waitForResponse((r) => r.url().includes('/meeting-form') && r.url().includes('type=' + code) && r.ok());
  await t.tap(page.getByRole('radiogroup', { name: '会议类型' }).getByText(name, { exact: true }));
  await done;
  await page.locator('.att-row').first().waitFor();
}

/** One 请假 (with reason), one 缺席, every 流动 member chosen, the note, save. */
async function markAndSave(page, t, note) {
  const rows = page.locator('.att-row');
  const names = await rows.locator('.att-name').allInnerTexts();
  const special = await rows.filter({ has: page.locator('.att-status', { hasText: '党员' }) }).locator('.att-name').allInnerTexts();
  const plain = names.filter((n) => !special.includes(n));
  assert.ok(plain.length >= 3, 'enough members: ' + names.join(','));
  await t.tap(page.getByRole('radiogroup', { name: plain[1] }).getByText('请假'));
  await t.type(page.getByLabel(plain[1] + ' 请假原因'), REASON);
  await t.tap(page.getByRole('radiogroup', { name: plain[2] }).getByText('缺席'));
  // a 流动党员 is shown with the status and chosen by the secretary
  for (const n of special) await t.tap(page.getByRole('radiogroup', { name: n }).getByText('缺席'));
  await t.type(page.getByLabel('记录内容'), note);
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/meetings') && r.request().method() === 'POST');
  await t.tap(page.getByRole('button', { name: '保存会议记录' }));
  const res = await saved;
  assert.equal(res.status(), 201, await res.text());
  const body = await res.json();
  await waitRoute(page, /#\/meetings\/\d+/);
  return { body, leave: plain[1], absent: plain[2], special };
}

test('a secretary records the month (支委会, 党小组会, 主题党日) within 3 minutes of taps and typing', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);

  // no 党小组 in this branch: 党小组会 is not offered at all
  await page.goto('/#/meetings/new');
  await page.locator('.att-row').first().waitFor();
  const types = page.getByRole('radiogroup', { name: '会议类型' });
  assert.equal(await types.getByText('党小组会', { exact: true }).count(), 0, '党小组会 offered without a 党小组');
  await page.getByText('党小组会（本支部没有党小组）').waitFor();
  // the branch sets up its 党小组 (setup, not counted)
  const group = await admin.post('/orgs', { parent_id: branch, name: '第一党小组', type: 'group' });
  const roster = (await admin.get(`/members?org=${branch}&status=normal&limit=200`)).items;
  for (const m of roster.slice(0, 8)) await admin.patch(`/members/${m.id}`, { group_id: group.id });
  await page.goto('/#/');
  await page.reload();

  const t = counter(page);
  // count the composition events the typing produces (IME input, not key presses)
  await page.evaluate(() => {
    window.__ime = { start: 0, end: 0 };
    document.addEventListener('compositionstart', () => { window.__ime.start += 1; }, true);
    document.addEventListener('compositionend', () => { window.__ime.end += 1; }, true);
  });
  await t.tap(page.locator('.van-tabbar-item', { hasText: '组织生活' }));
  await waitRoute(page, /#\/life/);
  await t.tap(page.getByRole('button', { name: '记录会议' }));
  await waitRoute(page, /#\/meetings\/new/);

  // 支委会: the 应到 list is the committee, the secretary hosts
  await chooseType(page, t, '支部委员会', 'committee');
  const committee = await admin.get(`/orgs/${branch}/meeting-form?type=committee`);
  assert.equal(await page.locator('.att-row').count(), committee.expected.length, 'the committee, not the whole branch');
  assert.ok(committee.expected.length < roster.length);
  assert.equal(await page.getByLabel('主持人').inputValue(), committee.defaults.host);
  assert.ok(committee.defaults.host, 'the secretary is the default host');
  assert.ok(committee.previous && committee.previous.agenda, 'the demo branch has an earlier 支委会 with its agenda');
  assert.equal(await page.getByLabel('议程').inputValue(), committee.previous.agenda, 'the previous agenda is the starting point');
  const c = await markAndSave(page, t, NOTES.committee);
  await shot(page, 'month-committee');

  // 党小组会: the only 党小组 is chosen by itself
  await t.tap(page.getByRole('button', { name: '再记录一个会议' }));
  await waitRoute(page, /#\/meetings\/new/);
  await chooseType(page, t, '党小组会', 'group');
  assert.equal(await page.locator('.att-row').count(), 8, 'the 党小组 members');
  const g = await markAndSave(page, t, NOTES.group);

  // 主题党日, counted on its own too
  const before = { taps: t.taps, chars: t.chars };
  await t.tap(page.getByRole('button', { name: '再记录一个会议' }));
  await waitRoute(page, /#\/meetings\/new/);
  await chooseType(page, t, '主题党日', 'theme_day');
  const mobile = page.locator('.att-row', { has: page.locator('.att-status', { hasText: '流动党员' }) });
  assert.ok(await mobile.count() >= 1, 'the 流动党员 is listed with the status, not hidden');
  await shot(page, 'month-theme-day-form');
  const d = await markAndSave(page, t, NOTES.theme_day);
  const single = { taps: t.taps - before.taps, chars: t.chars - before.chars };

  // what was saved is what was typed, marks included
  for (const [r, type] of [[c, 'committee'], [g, 'group'], [d, 'theme_day']]) {
    const m = await admin.get(`/meetings/${r.body.id}`);
    assert.equal(m.type, type);
    assert.equal(m.minutes, NOTES[type], 'composition produced the text');
    assert.equal(m.leave_count, 1);
    assert.equal(m.absent_count, 1 + r.special.length);
    assert.equal(m.attendance.find((a) => a.name === r.leave).reason, REASON);
    assert.ok(m.attendance.every((a) => !a.unmarked), 'everyone marked');
  }

  const ime = await page.evaluate(() => window.__ime);
  assert.ok(ime.start > 0 && ime.end === ime.start, 'the text came through IME composition: ' + JSON.stringify(ime));
  const total = t.seconds();
  console.log(`month: ${t.taps} taps, ${t.chars} characters → ${total} s modelled (limit 180 s); ` +
    `主题党日 alone: ${single.taps} taps, ${single.chars} characters`);
  assert.ok(total <= 180, `the month takes ${total} s`);
  assert.ok(single.taps <= 12, `a single 主题党日 takes ${single.taps} taps`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a single 主题党日 from the home screen in at most 12 taps', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  const t = counter(page);
  await t.tap(page.locator('.van-tabbar-item', { hasText: '组织生活' }));
  await t.tap(page.getByRole('button', { name: '记录会议' }));
  await waitRoute(page, /#\/meetings\/new/);
  await chooseType(page, t, '主题党日', 'theme_day');
  await markAndSave(page, t, NOTES.theme_day);
  console.log(`主题党日: ${t.taps} taps, ${t.chars} characters → ${t.seconds()} s modelled`);
  assert.ok(t.taps <= 12, `${t.taps} taps`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
