// 党费 on a phone (390×844) in the demo county.  A village branch
// secretary records this month's dues for the branch: from home to the
// monthly sheet, one tap per member who paid, one save.  The test counts
// every tap and allows one per paying member plus a constant few; the
// sheet's 实交 and 收缴率 afterwards, and one member's dues page, are what
// the server says, and the 实交 is the earlier sum plus what was ticked.
// The 党费收缴 report downloads as xlsx with the sheet's numbers; a member
// sees their own dues from 我的, and the county the rate of each org below.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, launch, openPage, login, apiLogin, shot, waitRoute, axe, ADMIN_PASSWORD } from './helpers.mjs';

const PHONE = { name: 'phone390', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const EXTRA_TAPS = 3; // open the sheet from home, save, one to spare

let server, browser, sec, branch;
before(async () => {
  server = await startServer({ scale: 'county' });
  browser = await launch();
  sec = await apiLogin(server.url, 'secretary', ADMIN_PASSWORD);
  branch = sec.user.grants[0].org_id;
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

/** "15.00" -> 1500 (exact, as the server counts). */
function fen(s) {
  const [y, c] = s.replace('-', '').split('.');
  return (s.startsWith('-') ? -1 : 1) * (Number(y) * 100 + Number(c));
}
/** The 收缴率 as the server words it: paid / due, percent, two decimals, half-up. */
function rate(paid, due) {
  if (!due) return '100.00';
  const r = Math.floor((paid * 20000 + due) / (2 * due));
  return `${Math.floor(r / 100)}.${String(r % 100).padStart(2, '0')}`;
}

function readXlsx(path) {
  const py = `import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb.active
print(json.dumps([[c for c in r] for r in ws.iter_rows(values_only=True)], ensure_ascii=False, default=str))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, path], { encoding: 'utf8' }));
}

test('a secretary records this month\'s dues for the branch: one tap per paying member, then one save', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'secretary', ADMIN_PASSWORD);
  await page.goto('/#/');
  await page.locator('.dues-link').waitFor();

  let taps = 0;
  const tap = async (locator) => { taps += 1; await locator.click(); };

  // from home to the sheet of this month
  const loaded = page.waitForResponse((r) => new RegExp(`/api/v1/orgs/${branch}/dues\\?`).test(r.url()) && r.ok());
  await tap(page.locator('.dues-link'));
  await waitRoute(page, /#\/dues/);
  const first = await (await loaded).json();
  await page.locator('.dues-row').first().waitFor();
  const month = first.month;
  assert.match(month, /^\d{4}-\d\d$/);
  const before = await sec.get(`/orgs/${branch}/dues?month=${month}`);
  assert.deepEqual(first.total, before.total, 'the page shows the server\'s sheet');
  assert.equal(await page.locator('.dues-total .rate').innerText(), before.total.rate + '%');

  // the sheet is pre-filled with each member's due: every member owing
  // this month has a tick with the amount, everyone else is shown done
  const open = before.members.filter((m) => m.owed !== '0.00');
  assert.ok(open.length >= 4, `the demo leaves part of this month open (${open.length} members)`);
  assert.equal(await page.locator('.dues-row').count(), before.members.length);
  const ticks = page.getByRole('checkbox');
  assert.equal(await ticks.count(), open.length);
  for (const m of open) {
    const box = page.getByRole('checkbox', { name: `${m.name} 已交 ${m.owed} 元` });
    assert.equal(await box.count(), 1, m.name);
    assert.equal(await box.getAttribute('aria-checked'), 'false');
  }
  await shot(page, 'dues-sheet');
  assert.deepEqual(await axe(page), [], 'the sheet passes axe');

  // a tick is undone by a second tap (not counted: not part of the task)
  const payers = open.slice(0, -1);
  const unpaid = open[open.length - 1];
  const wrong = page.getByRole('checkbox', { name: `${unpaid.name} 已交 ${unpaid.owed} 元` });
  await wrong.click();
  assert.equal(await wrong.getAttribute('aria-checked'), 'true');
  await wrong.click();
  assert.equal(await wrong.getAttribute('aria-checked'), 'false');
  assert.equal(await page.locator('.save-bar').count(), 0, 'nothing to save');

  // all but one paid: one tap each
  for (const m of payers) await tap(page.getByRole('checkbox', { name: `${m.name} 已交 ${m.owed} 元` }));
  const sum = payers.reduce((s, m) => s + fen(m.owed), 0);
  const save = page.locator('.save-bar').getByRole('button');
  await save.waitFor();
  const label = await save.innerText();
  assert.ok(label.includes(`${payers.length} 人`), label);
  assert.ok(label.includes(`${Math.floor(sum / 100)}.${String(sum % 100).padStart(2, '0')} 元`), label);
  await shot(page, 'dues-sheet-ticked');

  const saved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/orgs/${branch}/dues/bulk`) && r.request().method() === 'POST');
  await tap(save);
  const res = await saved;
  assert.equal(res.status(), 200, await res.text());
  const body = await res.json();
  assert.equal(body.recorded, payers.length);
  assert.deepEqual(JSON.parse(res.request().postData()).member_ids.sort((a, b) => a - b),
    payers.map((m) => m.member_id).sort((a, b) => a - b));
  await page.getByText(`已登记 ${payers.length} 人`).waitFor();

  // the taps: one per paying member plus a constant few
  console.log(`dues month: ${taps} taps for ${payers.length} paying members`);
  assert.ok(taps <= payers.length + EXTRA_TAPS, `${taps} taps for ${payers.length} members`);

  // the sheet on screen is the server's, and the server's is the recount
  const after = await sec.get(`/orgs/${branch}/dues?month=${month}`);
  assert.equal(fen(after.total.paid), fen(before.total.paid) + sum, '实交 grew by what was ticked');
  assert.equal(fen(after.total.owed), fen(before.total.owed) - sum);
  assert.equal(after.total.due, before.total.due);
  assert.equal(after.total.rate, rate(fen(after.total.paid), fen(after.total.due)));
  const dd = await page.locator('.dues-total .sum dd').allInnerTexts();
  assert.deepEqual(dd, [after.total.due, after.total.paid, after.total.owed, after.total.rate + '%']);
  assert.equal(await page.getByRole('checkbox').count(), 1, 'only the member who did not pay is left');
  assert.equal(await page.getByRole('checkbox').getAttribute('aria-label'), `${unpaid.name} 已交 ${unpaid.owed} 元`);
  await shot(page, 'dues-sheet-saved');

  // the report downloads as xlsx and carries the sheet's total
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '党费收缴报表' }).click()]);
  assert.match(download.suggestedFilename(), new RegExp(`党费收缴${month}\\.xlsx$`));
  const file = join(server.dir, 'dues.xlsx');
  await download.saveAs(file);
  const rows = readXlsx(file);
  const title = String(rows[0][0]);
  assert.ok(title.includes(`应交 ${after.total.due} 元，实交 ${after.total.paid} 元，欠交 ${after.total.owed} 元，收缴率 ${after.total.rate}%`), title);
  const head = rows.findIndex((r) => r.includes('实交'));
  const col = rows[head].indexOf('实交');
  const paidRows = rows.slice(head + 1).filter((r) => r[0] !== null && r[0] !== '');
  assert.equal(paidRows.length, after.members.length, 'one report row per member');
  assert.equal(paidRows.reduce((s, r) => s + fen(String(r[col])), 0), fen(after.total.paid), 'the rows add up to 实交');

  // one member's dues page agrees with the server
  const m = payers[0];
  await page.locator('.dues-row', { hasText: m.name }).getByRole('link', { name: m.name }).click();
  await waitRoute(page, new RegExp(`#/members/${m.member_id}/dues`));
  await page.locator('.dues-table').waitFor();
  const server1 = await sec.get(`/members/${m.member_id}/dues?year=${month.slice(0, 4)}`);
  const row = server1.months.find((x) => x.month === month);
  assert.equal(row.paid, m.owed, 'the month is paid with the due the sheet showed');
  assert.equal(row.owed, '0.00');
  const cellsRow = await page.locator('.dues-table tbody tr').nth(Number(month.slice(5)) - 1).locator('td').allInnerTexts();
  assert.deepEqual(cellsRow.map((c) => c.replace(/（.*）/, '')), [row.due, row.paid, row.owed]);
  assert.equal(await page.locator('.paid-up-to').innerText(), server1.paid_up_to || '—');
  const pay = server1.payments.find((p) => p.months.includes(month) && !p.reverses);
  assert.ok(pay, 'the bulk payment is listed');
  assert.equal(pay.amount, m.owed);
  await shot(page, 'dues-member');

  // a payment is corrected by a reversing row, never edited
  const item = page.locator('.plain-list li', { hasText: `${pay.paid_on} · ${month}` });
  await item.getByRole('button', { name: '冲正' }).click();
  const reversed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/dues/payments/${pay.id}/reverse`));
  await page.locator('.van-dialog').getByRole('button', { name: '确认' }).click();
  assert.equal((await reversed).status(), 201);
  await page.getByText('已冲正', { exact: true }).first().waitFor();
  const server2 = await sec.get(`/members/${m.member_id}/dues?year=${month.slice(0, 4)}`);
  assert.equal(server2.months.find((x) => x.month === month).owed, m.owed, 'owed again after the reversal');
  assert.ok(server2.payments.some((p) => p.reverses === pay.id && p.amount === '-' + m.owed), 'the reversing row');
  assert.ok(server2.payments.some((p) => p.id === pay.id && p.amount === m.owed), 'the original row kept');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the county sees the collection rate of each org below it and drills down one level', async () => {
  const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const county = (await admin.get('/orgs')).items[0];
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'admin', ADMIN_PASSWORD);
  const loaded = page.waitForResponse((r) => new RegExp(`/api/v1/orgs/${county.id}/dues\\?`).test(r.url()) && r.ok());
  await page.goto(`/#/dues?org=${county.id}`);
  const sheet = await (await loaded).json();
  const server1 = await admin.get(`/orgs/${county.id}/dues?month=${sheet.month}`);
  assert.deepEqual(sheet.total, server1.total);
  assert.ok(server1.children.length >= 2, 'the county has towns');
  // the roll-up is the sum of the children (the county's own members, if any, beside them)
  const own = server1.members.reduce((a, m) => a + fen(m.paid), 0);
  assert.equal(server1.children.reduce((a, c) => a + fen(c.paid), 0) + own, fen(server1.total.paid));
  const kids = page.locator('section', { has: page.getByRole('heading', { name: '各下级组织' }) }).locator('li');
  await kids.first().waitFor();
  assert.equal(await kids.count(), server1.children.length);
  for (let i = 0; i < server1.children.length; i++) {
    const c = server1.children[i];
    const text = await kids.nth(i).innerText();
    for (const part of [c.name, `收缴率 ${c.rate}%`, `欠交 ${c.owed} 元`]) assert.ok(text.includes(part), `${text} has ${part}`);
  }
  await shot(page, 'dues-county');
  const town = server1.children[0];
  const next = page.waitForResponse((r) => new RegExp(`/api/v1/orgs/${town.org_id}/dues\\?`).test(r.url()) && r.ok());
  await kids.first().getByRole('link').click();
  const t = await (await next).json();
  assert.equal(t.total.rate, town.rate);
  await page.locator('.dues-total .rate', { hasText: town.rate + '%' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a member sees their own dues from 我的', async () => {
  const page = await openPage(browser, PHONE, server.url);
  await login(page, 'member', ADMIN_PASSWORD);
  const self = await apiLogin(server.url, 'member', ADMIN_PASSWORD);
  const mine = await self.get('/me/dues');
  await page.locator('.van-tabbar-item', { hasText: '我的' }).click();
  await waitRoute(page, /#\/me/);
  const card = page.locator('section', { has: page.getByRole('heading', { name: `我的党费（${mine.year} 年）` }) });
  await card.waitFor();
  assert.equal(await card.locator('.paid-up-to').innerText(), mine.paid_up_to || '—');
  assert.ok(mine.months.some((x) => x.due !== null), 'the demo member owes dues');
  const rows = await card.locator('tbody tr').all();
  assert.equal(rows.length, 12);
  for (let i = 0; i < 12; i++) {
    const cells = (await rows[i].locator('td').allInnerTexts()).map((c) => c.replace(/（.*）/, ''));
    const x = mine.months[i];
    assert.deepEqual(cells, [x.due ?? '—', x.paid, x.owed], x.month);
  }
  await shot(page, 'dues-me');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
