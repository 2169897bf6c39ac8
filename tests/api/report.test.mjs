// 党内统计 annual report on a small demo county: the totals equal counts
// read another way (the statistics route and direct queries), every
// table adds up, a number's list has as many rows as the number, the
// report for a past date stays the same after later edits (education,
// status, a move) while a report for today shows them, the CLI and the
// download write a workbook with one sheet per table and merged headers,
// bad input gets a Chinese error and every route is scoped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { startServer, admin, cli, Client, ADMIN_PASSWORD } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm;
const chinaDay = (offset = 0) => new Date(Date.now() + 8 * 3600e3 + offset * 86400e3).toISOString().slice(0, 10);
const TODAY = chinaDay();
const YESTERDAY = chinaDay(-1);

before(async () => {
  srv = await startServer({ demo: 3000 });
  adm = await admin(srv);
});
after(async () => { await srv?.stop(); });

async function ok(res) {
  const r = await res;
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const report = (org, date, c = adm) => ok(c.get(`/api/v1/orgs/${org}/annual-report?date=${date}`));
const table = (rep, key) => rep.tables.find((t) => t.key === key);
/** The number of table key, column col, row row ('total' = 合计). */
function cell(rep, key, col, row = 'total') {
  const t = table(rep, key);
  const i = t.columns.findIndex((c) => c.key === col);
  assert.ok(i >= 0, `${key}.${col}`);
  return t.rows.find((r) => r.key === row).cells[i].n;
}
/** Every entry of a cell's list, page by page. */
async function list(org, date, key, c = adm) {
  const out = [];
  let after = '';
  for (;;) {
    const b = await ok(c.get(`/api/v1/orgs/${org}/annual-report/cells?date=${date}&cell=${key}&limit=500${after}`));
    out.push(...b.items);
    if (!b.next) return { n: b.n, items: out, body: b };
    after = `&after=${b.next}`;
  }
}
const q1 = (s) => Number(sql(srv.db, s).trim());

test('totals equal the statistics route and direct counts; every table adds up', async () => {
  const rep = await report(1, TODAY);
  assert.equal(rep.date, TODAY);
  assert.equal(rep.provisional, false);
  assert.equal(rep.tables.length, 11);
  const stats = await ok(adm.get('/api/v1/orgs/1/stats'));
  const total = cell(rep, 'members', 'total');
  assert.ok(total > 2000, String(total));
  assert.equal(total, stats.members.total - stats.members.status.suspended);
  assert.ok(stats.members.status.suspended > 0, 'the demo suspends some members');
  // direct counts of what the tables say
  const ROLL = "status NOT IN ('removed','deceased','transferred','suspended')";
  assert.equal(total, q1(`SELECT COUNT(*) FROM members WHERE ${ROLL}`));
  assert.equal(cell(rep, 'members', 'full'), q1(`SELECT COUNT(*) FROM members WHERE ${ROLL} AND category = 'full'`));
  assert.equal(cell(rep, 'members', 'female'), q1(`SELECT COUNT(*) FROM members WHERE ${ROLL} AND gender = 'F'`));
  assert.equal(cell(rep, 'left', 'deceased'), q1(`SELECT COUNT(*) FROM members WHERE status = 'deceased'`));
  assert.equal(cell(rep, 'left', 'suspended'), stats.members.status.suspended);
  const orgs = q1(`SELECT COUNT(*) FROM orgs WHERE type <> 'group' AND (dissolved_on IS NULL OR dissolved_on > '${TODAY}')`);
  assert.equal(cell(rep, 'orgs', 'total'), orgs);
  assert.equal(cell(rep, 'orgs', 'group'), q1(`SELECT COUNT(*) FROM orgs WHERE type = 'group' AND (dissolved_on IS NULL OR dissolved_on > '${TODAY}')`));
  assert.equal(cell(rep, 'coverage', 'total'), q1('SELECT COUNT(*) FROM units'));
  const y0 = `${TODAY.slice(0, 4)}-01-01`;
  assert.equal(cell(rep, 'recruited', 'total'), q1(`SELECT COUNT(*) FROM applicant_steps WHERE step = 17 AND replaced_by IS NULL AND done_on >= '${y0}' AND done_on <= '${TODAY}'`));
  assert.ok(cell(rep, 'recruited', 'total') > 0);
  // each group of columns sums to the total, each column's rows to 合计
  const groupsOf = (t) => [...new Set(t.columns.filter((c) => c.group && c.group !== '其中').map((c) => c.group))];
  for (const t of rep.tables) {
    for (const g of groupsOf(t)) {
      if (t.key === 'party_age' || t.key === 'recruited' && g === '人员类别') continue;
      const idx = t.columns.map((c, i) => (c.group === g ? i : -1)).filter((i) => i >= 0);
      for (const row of t.rows) {
        const sum = idx.reduce((s, i) => s + row.cells[i].n, 0);
        if (t.key === 'orgs' && g === '支部班子') continue; // branches only
        assert.equal(sum, row.cells[0].n, `${t.key} ${g} ${row.label}`);
      }
    }
    for (let c = 0; c < t.columns.length; c++) {
      const sum = t.rows.slice(1).reduce((s, r) => s + r.cells[c].n, 0);
      assert.equal(sum, t.rows[0].cells[c].n, `${t.key}.${t.columns[c].key} rows`);
    }
  }
  // party age: the 预备 column and the bands of the full members
  const pa = table(rep, 'party_age');
  assert.equal(pa.rows[0].cells.slice(1).reduce((s, x) => s + x.n, 0), total);
  // the township rows are the county's direct sub-orgs
  const kids = (await ok(adm.get('/api/v1/orgs/1/children'))).items.filter((o) => !o.dissolved_on);
  const rows = table(rep, 'members').rows;
  assert.deepEqual(rows.filter((r) => r.key.startsWith('o')).map((r) => r.org_id).sort(), kids.map((k) => k.id).sort());
  // 本级: the county 党委 itself, counted among the orgs
  assert.equal(rows.at(-1).key, 'self');
  assert.equal(cell(rep, 'orgs', 'committee', 'self'), 1);
  assert.equal(cell(rep, 'members', 'total', 'self'), 0);
  assert.equal(table(rep, 'members').rows[0].label, '合计');
});

test('a number lists as many entries as it counts, without ID numbers or birth dates', async () => {
  const rep = await report(1, TODAY);
  const town = table(rep, 'members').rows[1];
  for (const key of ['members.female.total', `members.prob.${town.key}`, 'orgs.branch.total', 'coverage.none.total',
    'recruited.total.total', 'ethnic.minority.total', `age.a0.${town.key}`]) {
    const [t, c, r] = key.split('.');
    const l = await list(1, TODAY, key);
    assert.equal(l.n, cell(rep, t, c, r), key);
    assert.equal(l.items.length, l.n, key);
    assert.equal(new Set(l.items.map((x) => `${x.kind}${x.id}`)).size, l.n, `${key}: each once`);
    for (const x of l.items) assert.deepEqual(Object.keys(x).sort(), ['detail', 'id', 'kind', 'name', 'org_name']);
  }
  const one = await list(1, TODAY, `members.female.${town.key}`);
  assert.ok(one.items.every((x) => x.kind === 'member' && x.detail && x.org_name), JSON.stringify(one.items[0]));
  // the county's female members are members of the roster with gender F
  const ids = (await list(1, TODAY, 'members.female.total')).items.map((x) => x.id);
  assert.equal(q1(`SELECT COUNT(*) FROM members WHERE gender = 'F' AND id IN (${ids.join(',')})`), ids.length);
  // paging: a small page says where the next one starts
  const p = await ok(adm.get(`/api/v1/orgs/1/annual-report/cells?date=${TODAY}&cell=members.total.total&limit=7`));
  assert.equal(p.items.length, 7);
  assert.equal(p.next, '7');
  assert.equal(p.column, '党员总数');
  assert.equal(p.row, '合计');
});

test('a past date keeps its numbers after later edits; today shows them', async () => {
  const before0 = await report(1, YESTERDAY);
  const townRow = table(before0, 'members').rows[1];
  const town = townRow.org_id;
  const otherTown = table(before0, 'members').rows[2].org_id;
  const townBefore = await report(town, YESTERDAY);
  // three members of the first township's first branch
  const branch = Number(sql(srv.db, `SELECT id FROM orgs WHERE parent_id = ${town} AND type = 'branch' ORDER BY id LIMIT 1`).trim());
  const target = Number(sql(srv.db, `SELECT id FROM orgs WHERE parent_id = ${otherTown} AND type = 'branch' ORDER BY id LIMIT 1`).trim());
  const ms = sql(srv.db, `SELECT id, education FROM members WHERE org_id = ${branch} AND status = 'normal' AND category = 'full' ORDER BY id LIMIT 3`)
    .trim().split('\n').map((l) => l.split('|'));
  const [a, b, c] = ms.map((x) => Number(x[0]));
  const newEdu = ms[0][1] === '研究生' ? '大学本科' : '研究生';
  await ok(adm.patch(`/api/v1/members/${a}`, { education: newEdu }));
  await ok(adm.patch(`/api/v1/members/${b}`, { status: 'deceased', reason: '病故' }));
  await ok(adm.patch(`/api/v1/members/${c}`, { org_id: target, reason: '工作调动' }));
  // and the branch's domain, recorded in org_history
  const dom = sql(srv.db, `SELECT domain FROM orgs WHERE id = ${branch}`).trim() === 'organ' ? 'social' : 'organ';
  await ok(adm.patch(`/api/v1/orgs/${branch}`, { domain: dom }));

  const again = await report(1, YESTERDAY);
  assert.deepEqual(again.tables, before0.tables, 'the county on the past date');
  assert.deepEqual((await report(town, YESTERDAY)).tables, townBefore.tables, 'the township on the past date');

  const now = await report(1, TODAY);
  const prior = before0;
  assert.equal(cell(now, 'org_domain', `d_${dom}`), cell(prior, 'org_domain', `d_${dom}`) + 1);
  assert.ok((await list(1, TODAY, `org_domain.d_${dom}.total`)).items.some((x) => x.id === branch));
  assert.ok(!(await list(1, YESTERDAY, `org_domain.d_${dom}.total`)).items.some((x) => x.id === branch));
  assert.equal(cell(now, 'members', 'total'), cell(prior, 'members', 'total') - 1);
  assert.equal(cell(now, 'left', 'deceased'), cell(prior, 'left', 'deceased') + 1);
  const dead = await list(1, TODAY, `left.deceased.${townRow.key}`);
  assert.ok(dead.items.some((x) => x.id === b && /死亡/.test(x.detail)), JSON.stringify(dead.items));
  const eduCol = table(now, 'education').columns.find((x) => x.label === newEdu).key;
  assert.ok((await list(1, TODAY, `education.${eduCol}.total`)).items.some((x) => x.id === a), 'new education today');
  assert.ok(!(await list(1, YESTERDAY, `education.${eduCol}.total`)).items.some((x) => x.id === a), 'old education before');
  // the move: out of the first township, into the other one, the county unchanged by it
  const townNow = await report(town, TODAY);
  assert.equal(cell(townNow, 'left', 'moved_out'), cell(townBefore, 'left', 'moved_out') + 1);
  assert.equal(cell(townNow, 'members', 'total'), cell(townBefore, 'members', 'total') - 2);
  const movedOut = await list(town, TODAY, 'left.moved_out.total');
  assert.ok(movedOut.items.some((x) => x.id === c), JSON.stringify(movedOut.items));
  assert.equal(cell(now, 'members', 'total', `o${otherTown}`), cell(prior, 'members', 'total', `o${otherTown}`) + 1);
  // the member's own change record lists the moves, not the fact corrections
  const h = (await ok(adm.get(`/api/v1/members/${a}/history`))).items;
  assert.ok(h.every((x) => ['created', 'org', 'group', 'category', 'status'].includes(x.kind)), JSON.stringify(h));
  assert.equal(q1(`SELECT COUNT(*) FROM member_history WHERE member_id = ${a} AND kind = 'education'`), 1);
});

test('the CLI and the download write one sheet per table with merged headers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhibu-report-'));
  try {
    const code = sql(srv.db, 'SELECT code FROM orgs WHERE id = 1').trim();
    const out = join(dir, 'annual.xlsx');
    const r = cli(['report', 'annual', '--db', srv.db, '--org', code, '--date', YESTERDAY, '-o', out], srv.env);
    assert.equal(r.code, 0, r.stderr);
    const js = join(dir, 'annual.json');
    assert.equal(cli(['report', 'annual', '--db', srv.db, '--org', code, '--date', YESTERDAY, '-o', js], srv.env).code, 0);
    const fromCli = JSON.parse(readFileSync(js, 'utf8'));
    assert.deepEqual(fromCli.tables, (await report(1, YESTERDAY)).tables);
    const py = `import zipfile,sys,re
z=zipfile.ZipFile(sys.argv[1])
wb=z.read('xl/workbook.xml').decode()
print(len(re.findall('<sheet ',wb)))
s=z.read('xl/worksheets/sheet1.xml').decode()
print(len(re.findall('<mergeCell ',s)))`;
    const [sheets, merges] = execFileSync('/usr/bin/python3', ['-c', py, out]).toString().trim().split('\n').map(Number);
    assert.equal(sheets, 11);
    assert.ok(merges >= 5, String(merges));
    const bad = cli(['report', 'annual', '--db', srv.db, '--org', code, '--date', '2026-02-30', '-o', out], srv.env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /统计截止日期/);
    const dl = await adm.get(`/api/v1/orgs/1/annual-report/xlsx?date=${YESTERDAY}`, { raw: true });
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-type'), /spreadsheetml/);
    assert.match(dl.headers.get('content-disposition'), /attachment/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad dates, cells and orgs get a clear Chinese error; every route is scoped', async () => {
  let r = await adm.get('/api/v1/orgs/1/annual-report?date=2025-13-01');
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /统计截止日期.*无效/);
  r = await adm.get(`/api/v1/orgs/1/annual-report?date=${Number(TODAY.slice(0, 4)) + 1}-12-31`);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /晚于今年/);
  r = await adm.get(`/api/v1/orgs/1/annual-report/cells?date=${TODAY}&cell=members.nope.total`);
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /没有单元格/);
  r = await adm.get(`/api/v1/orgs/1/annual-report/cells?date=${TODAY}`);
  assert.equal(r.status, 400);
  r = await adm.get('/api/v1/orgs/999999/annual-report');
  assert.equal(r.status, 404);
  // the default date is the last 31 December
  const def = await ok(adm.get('/api/v1/orgs/1/annual-report'));
  assert.equal(def.date, `${Number(TODAY.slice(0, 4)) - 1}-12-31`);

  const tw = new Client(srv.url);
  assert.equal((await tw.login('township', ADMIN_PASSWORD)).status, 200);
  const own = (await ok(tw.get('/api/v1/orgs'))).items[0].id;
  const rep = await report(own, TODAY, tw);
  assert.equal(rep.org_id, own);
  const l = await list(own, TODAY, 'members.total.total', tw);
  assert.equal(l.items.length, cell(rep, 'members', 'total'));
  for (const p of ['annual-report', 'annual-report/xlsx', 'annual-report/cells?cell=members.total.total']) {
    r = await tw.get(`/api/v1/orgs/1/${p}${p.includes('?') ? '&' : '?'}date=${TODAY}`);
    assert.equal(r.status, 404, p);
  }
  const mb = new Client(srv.url);
  assert.equal((await mb.login('member', ADMIN_PASSWORD)).status, 200);
  r = await mb.get(`/api/v1/orgs/${own}/annual-report/cells?date=${TODAY}&cell=members.total.total`);
  assert.equal(r.status, 403);
});
