// Party rules of members' lives over HTTP, each at its edges (docs/RULES.md,
// "Members, probation and votes" and "Organisational life and 自行脱党
// risk"): who may vote (预备党员 attend without a vote), the election
// quorum "超过五分之四" (exactly 4/5 is not enough), written opinions on
// 接收预备党员 and 转正 votes, the 预备期 on every path that sets a 转正日期
// (create, patch, import) with the one extension and the reminder when it
// has run out, and the 自行脱党 risk months: a 请假 and a month with no
// meeting are passed over, a 流动党员's attendance at another org counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli } from './lib.mjs';

let srv, adm, root, town, E, R, S, townAdm, secE;
const now = () => Math.floor(Date.now() / 1000);

// ---- dates (the server counts dates in China time, UTC+8) -----------------

function chinaDate(t) {
  return new Date(t * 1000 + 8 * 3600e3).toISOString().slice(0, 10);
}
const today = (days = 0) => chinaDate(now() + days * 86400);
const ymOf = (t) => Number(chinaDate(t).slice(0, 7).replace('-', ''));
function ymAdd(ym, n) {
  const t = Math.floor(ym / 100) * 12 + (ym % 100 - 1) + n;
  return Math.floor(t / 12) * 100 + (t % 12) + 1;
}
const daysIn = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** YYYY-MM-DD + n months, the day clamped to the month's end (29 Feb -> 28 Feb). */
function addMonths(d, n) {
  const y = Number(d.slice(0, 4)), m = Number(d.slice(5, 7)), day = Number(d.slice(8, 10));
  const t = y * 12 + (m - 1) + n, ny = Math.floor(t / 12), nm = t % 12 + 1;
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(day, daysIn(ny, nm))).padStart(2, '0')}`;
}
function addDays(d, n) {
  return new Date(Date.parse(d + 'T00:00:00Z') + n * 86400e3).toISOString().slice(0, 10);
}
/** Unix seconds of a China wall-clock time. */
const chinaTime = (date, hh, mm) => Date.parse(`${date}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00+08:00`) / 1000;
const ymFirst = (ym) => `${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}-01`;
const ymLast = (ym) => `${Math.floor(ym / 100)}-${String(ym % 100).padStart(2, '0')}-${daysIn(Math.floor(ym / 100), ym % 100)}`;

// ---- helpers --------------------------------------------------------------------

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(birth, seq, gender) {
  let s = seq % 1000;
  if ((s % 2 === 1) !== (gender === 'M')) s = (s + 1) % 1000;
  const body = '110105' + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, founded_on: '2000-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, extra = {}, status = 201) {
  const body = { org_id: org, name, category: 'full', join_date: '2010-07-01', full_date: '2011-07-01', ...extra };
  if (body.category === 'probationary') delete body.full_date;
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
async function meeting(c, body) {
  const r = await c.post('/api/v1/meetings', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  if (r.body.locked) {
    const u = await townAdm.post(`/api/v1/meetings/${r.body.id}/unlock`, { reason: '测试补录' });
    assert.ok(u.status === 200 || u.status === 201, JSON.stringify(u.body));
  }
  return r.body;
}
async function attend(c, id, items, status = 200) {
  const r = await c.put(`/api/v1/meetings/${id}/attendance`, { items });
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const mark = (ids, status = 'present') => ids.map((id) => ({ member_id: id, status }));

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  town = await mkOrg(root, '城关镇党委', 'committee');
  E = await mkOrg(town, '选举村党支部', 'branch');
  R = await mkOrg(town, '风险村党支部', 'branch');
  S = await mkOrg(town, '城关镇流动党员党支部', 'branch');
  addUser(srv, 'townadm', 'org_admin', town);
  addUser(srv, 'sece', 'party_worker', E);
  townAdm = await loginAs(srv, 'townadm');
  secE = await loginAs(srv, 'sece');
});

after(async () => { if (srv) await srv.stop(); });

// ---- who may vote; the election quorum; written opinions ---------------------------

const FULL = [], PROB = [];

test('an election needs more than four fifths of those with a vote: 8 of 10 is not enough, 9 is; 预备党员 are not counted', async () => {
  for (let i = 0; i < 10; i++) FULL.push((await mkMember(E, `选${i}`)).id);
  for (let i = 0; i < 2; i++) PROB.push((await mkMember(E, `预${i}`, { category: 'probationary', join_date: today(-100) })).id);
  const t = now() - 3600;
  const m = await meeting(secE, { org_id: E, type: 'plenary', start_at: t, is_election: true });
  assert.equal(m.expected_count, 12);
  assert.equal(m.voters, 10, '预备党员 have no 选举权 (党章 第七条)');
  // 8 full members and both 预备党员 present: 10 people, but 8 of 10 voters = exactly 4/5
  let d = await attend(secE, m.id, mark([...FULL.slice(0, 8), ...PROB]));
  assert.equal(d.present_count, 10);
  assert.equal(d.present_voters, 8);
  assert.equal(d.quorum.need, 9);
  assert.equal(d.quorum_ok, false, 'exactly four fifths is not more than four fifths');
  d = await attend(secE, m.id, mark([FULL[8]]));
  assert.equal(d.present_voters, 9);
  assert.equal(d.quorum_ok, true, 'just above four fifths');
  // the ballots of the room: 9 voters present, the 预备党员 cast none
  let r = await secE.post(`/api/v1/meetings/${m.id}/resolutions`, { title: '选举支部委员会', yes: 9, no: 0, abstain: 1 });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /超过到会的有表决权人数 9/);
  // a local rule may not lower the election quorum to "at least 4/5"
  r = await townAdm.post('/api/v1/rules', { kind: 'meeting_rules', org_id: town, effective_from: '2020-01-01',
    data: { quorum: { election: { num: 4, den: 5, strict: false }, plenary: { num: 1, den: 2, strict: true } } } });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.match(r.body.error.message, /超过应到会人数的五分之四/);
  r = await townAdm.post('/api/v1/rules', { kind: 'meeting_rules', org_id: town, effective_from: '2020-01-01',
    data: { resolution: { num: 1, den: 2, strict: false } } });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  // the national default in force says "more than"
  const rules = (await adm.get(`/api/v1/rules?kind=meeting_rules&org=${E}`)).body;
  assert.match(JSON.stringify(rules), /"election":\{[^}]*"strict":true/);
});

test('接收预备党员 and 转正 votes count written opinions of absent members with a vote; general resolutions do not take them', async () => {
  const t = now() - 3600;
  const m = await meeting(secE, { org_id: E, type: 'plenary', start_at: t });
  // 6 of 10 voters present (more than half), both 预备党员 present too
  await attend(secE, m.id, [...mark([...FULL.slice(0, 6), ...PROB]), { member_id: FULL[6], status: 'leave', reason: '出差' }]);
  // in the room 5 yes: exactly half of the 10 entitled is not more than half
  let r = await secE.post(`/api/v1/meetings/${m.id}/resolutions`, { title: '接收张三为预备党员', kind: 'admission', yes: 5, no: 1, abstain: 0 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.entitled, 10);
  assert.equal(r.body.need, 6);
  assert.equal(r.body.passed, false);
  // the same vote with one written yes from a member on leave: 6 > 5
  r = await secE.post(`/api/v1/meetings/${m.id}/resolutions`, { title: '接收李四为预备党员', kind: 'admission', yes: 5, no: 1, abstain: 0,
    written_opinions: [{ member_id: FULL[6], opinion: 'yes' }, { member_id: FULL[7], opinion: '反对' }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.deepEqual(r.body.written, { yes: 1, no: 1, abstain: 0 });
  assert.equal(r.body.yes_total, 6);
  assert.equal(r.body.kind_name, '接收预备党员');
  assert.equal(r.body.passed, true);
  // 转正 the same way
  r = await secE.post(`/api/v1/meetings/${m.id}/resolutions`, { title: '预备党员王五转正', kind: 'full', yes: 4, no: 0, abstain: 2,
    written_opinions: [{ member_id: FULL[8], opinion: 'yes' }, { member_id: FULL[9], opinion: 'yes' }] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.yes_total, 6);
  assert.equal(r.body.passed, true);
  // refused, each naming the field, nothing written
  const bad = [
    [{ kind: 'admission', written_opinions: [{ member_id: FULL[0], opinion: 'yes' }] }, 'written_opinions[0].member_id', /已到会表决/],
    [{ kind: 'admission', written_opinions: [{ member_id: PROB[0], opinion: 'yes' }] }, 'written_opinions[0].member_id', /没有表决权/],
    [{ kind: 'full', written_opinions: [{ member_id: FULL[7], opinion: 'yes' }, { member_id: FULL[7], opinion: 'no' }] }, 'written_opinions[1].member_id', /重复/],
    [{ kind: 'full', written_opinions: [{ member_id: FULL[7], opinion: 'maybe' }] }, 'written_opinions[0].opinion', /书面意见应为/],
    [{ written_opinions: [{ member_id: FULL[7], opinion: 'yes' }] }, 'written_opinions', /只统计在接收预备党员和预备党员转正/],
    [{ kind: 'party' }, 'kind', /表决事项类型/],
  ];
  const before = (await secE.get(`/api/v1/meetings/${m.id}`)).body.resolutions.length;
  for (const [extra, field, msg] of bad) {
    r = await secE.post(`/api/v1/meetings/${m.id}/resolutions`, { title: 'x', yes: 1, no: 0, abstain: 0, ...extra });
    assert.equal(r.status, 400, JSON.stringify(extra));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, msg);
  }
  const detail = (await secE.get(`/api/v1/meetings/${m.id}`)).body;
  assert.equal(detail.resolutions.length, before, 'a refused vote writes nothing');
  assert.deepEqual(detail.resolutions.map((x) => x.passed), [false, true, true]);
  // an admission vote belongs to a 支部党员大会
  const c = await meeting(secE, { org_id: E, type: 'theme_day', start_at: t });
  await attend(secE, c.id, mark(FULL.slice(0, 6)));
  r = await secE.post(`/api/v1/meetings/${c.id}/resolutions`, { title: 'x', kind: 'admission', yes: 6, no: 0, abstain: 0 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'kind');
  // the print view shows the written opinions in the tally
  const p = await secE.get(`/api/v1/meetings/${m.id}/print`);
  assert.match(p.body.toString(), /含书面意见：赞成 1、反对 1、弃权 0/);
});

// ---- the 预备期 ---------------------------------------------------------------

test('a 转正日期 before 入党日期 + 1 year is refused on create, patch and import: the day before, of and after; 29 Feb', async () => {
  const P = await mkOrg(town, '转正村党支部', 'branch');
  let r = await adm.post('/api/v1/members', { org_id: P, name: '早一天', category: 'full', join_date: '2024-03-10', full_date: '2025-03-09' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'full_date');
  assert.match(r.body.error.message, /转正日期 2025-03-09 早于预备期满之日 2025-03-10/);
  await mkMember(P, '当天', { join_date: '2024-03-10', full_date: '2025-03-10' });
  await mkMember(P, '晚一天', { join_date: '2024-03-10', full_date: '2025-03-11' });
  // joined on 29 Feb: the year ends on 28 Feb of a common year
  r = await adm.post('/api/v1/members', { org_id: P, name: '闰日早', category: 'full', join_date: '2024-02-29', full_date: '2025-02-27' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /预备期满之日 2025-02-28/);
  await mkMember(P, '闰日', { join_date: '2024-02-29', full_date: '2025-02-28' });
  // the 九大 and 十大 党章 (1969-1977) had no 预备期: joined and full the same day
  await mkMember(P, '七二年', { join_date: '1972-05-01', full_date: '1972-05-01' });
  r = await adm.post('/api/v1/members', { org_id: P, name: '八〇年', category: 'full', join_date: '1980-05-01', full_date: '1980-06-01' });
  assert.equal(r.status, 400);
  // patch: a 预备党员 made full too early is refused and stays a 预备党员
  const p = await mkMember(P, '转正中', { category: 'probationary', join_date: '2024-06-15' });
  r = await adm.patch(`/api/v1/members/${p.id}`, { category: 'full', full_date: '2025-06-14', reason: '支部大会通过转正' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'full_date');
  assert.equal((await adm.get(`/api/v1/members/${p.id}`)).body.category, 'probationary');
  r = await adm.patch(`/api/v1/members/${p.id}`, { category: 'full', full_date: '2025-06-15', reason: '支部大会通过转正' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // import: the preview lists the row's error; the correct row is new
  const rows = [
    '姓名,性别,身份证号,入党日期,转正日期,人员类别,所在党支部',
    `导入早,男,${makeId('1985-05-05', 501, 'M')},2023-09-01,2024-08-31,正式党员,转正村党支部`,
    `导入准,男,${makeId('1985-05-05', 503, 'M')},2023-09-01,2024-09-01,正式党员,转正村党支部`,
  ].join('\n') + '\n';
  r = await adm.req('POST', `/api/v1/imports?org=${town}&filename=p.csv`, Buffer.from(rows),
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const st = Object.fromEntries(r.body.rows.map((x) => [x.name, x]));
  assert.match(st['导入早'].errors.join(), /转正日期 2024-08-31 早于预备期满之日 2024-09-01/);
  assert.equal(st['导入准'].status, 'new');
});

test('a 预备期 is extended once, by 6 to 12 months; the earliest 转正日期 moves with it', async () => {
  const P = await mkOrg(town, '延长村党支部', 'branch');
  const join = addMonths(today(), -20);
  const p = (await mkMember(P, '延长甲', { category: 'probationary', join_date: join })).id;
  const full = (await mkMember(P, '已转正', {})).id;
  const url = `/api/v1/members/${p}/probation-extension`;
  const decided = addMonths(join, 12);
  for (const [months, field] of [[5, 'months'], [13, 'months']]) {
    const r = await adm.post(url, { months, decided_on: decided, reason: '需要继续考察' });
    assert.equal(r.status, 400, String(months));
    assert.equal(r.body.error.field, field);
    assert.match(r.body.error.message, /不能少于 6 个月，最长不超过 12 个月/);
  }
  let r = await adm.post(url, { months: 6, decided_on: today(1), reason: '需要继续考察' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'decided_on');
  r = await adm.post(`/api/v1/members/${full}/probation-extension`, { months: 6, decided_on: decided, reason: 'x' });
  assert.equal(r.status, 409);
  r = await adm.post(url, { months: 6, decided_on: decided, reason: '需要继续考察' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.ends_on, addMonths(join, 18));
  assert.deepEqual(r.body.extension, { months: 6, decided_on: decided, reason: '需要继续考察' });
  r = await adm.post(url, { months: 6, decided_on: decided, reason: '再次延长' });
  assert.equal(r.status, 409);
  assert.match(r.body.error.message, /预备期只能延长一次/);
  // 转正 at join + 1 year is now too early, and the day before the extended end too
  for (const d of [addMonths(join, 12), addDays(addMonths(join, 18), -1)]) {
    r = await adm.patch(`/api/v1/members/${p}`, { category: 'full', full_date: d, reason: '转正' });
    assert.equal(r.status, 400, d);
    assert.match(r.body.error.message, /已延长 6 个月/);
  }
  r = await adm.patch(`/api/v1/members/${p}`, { category: 'full', full_date: addMonths(join, 18), reason: '转正' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
});

test('a 预备期 that has run out without a decision is listed: the day after its end, not the day itself', async () => {
  const P = await mkOrg(town, '提醒村党支部', 'branch');
  // a 预备期 of a year never ends on 29 February (a year from 28 February
  // 2027 ends on the 28th): that day is reached with an extension of 6
  // months, from 29 August a year and a half before
  const mk = async (name, endsOn) => {
    const long = addMonths(addMonths(endsOn, -12), 12) !== endsOn;
    const join = addMonths(endsOn, long ? -18 : -12);
    const id = (await mkMember(P, name, { category: 'probationary', join_date: join })).id;
    if (long) {
      const r = await adm.post(`/api/v1/members/${id}/probation-extension`, { months: 6, decided_on: addMonths(join, 12), reason: '继续考察' });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    assert.equal((await adm.get(`/api/v1/members/${id}/probation`)).body.ends_on, endsOn);
    return id;
  };
  const late = await mk('昨天期满', today(-1));
  await mk('今天期满', today());
  await mk('明天期满', today(1));
  // ran out ten days ago, but extended by six months: not due
  const ext = await mk('已延长', today(-10));
  let r = await adm.post(`/api/v1/members/${ext}/probation-extension`, { months: 6, decided_on: today(-10), reason: '继续考察' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await townAdm.get(`/api/v1/orgs/${P}/probation-due`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.items.map((x) => [x.member_id, x.days_overdue, x.ends_on]), [[late, 1, today(-1)]]);
  assert.match(r.body.items[0].message, /预备期已于 .* 期满/);
  // 转正 recorded: no longer listed
  r = await adm.patch(`/api/v1/members/${late}`, { category: 'full', full_date: today(-1), reason: '支部大会通过转正' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await townAdm.get(`/api/v1/orgs/${P}/probation-due`)).body.items.length, 0);
  // the member's own view
  const one = (await adm.get(`/api/v1/members/${ext}/probation`)).body;
  assert.equal(one.ends_on, addMonths(addMonths(today(-10), -12), 18));
  assert.equal(one.overdue, false);
});

// ---- 自行脱党 risk --------------------------------------------------------------

test('risk months: a 请假 and a month with no meeting are passed over; a 流动党员 taking part elsewhere is not at risk', async () => {
  const ym = ymOf(now());
  const names = ['甲', '乙', '丙', '丁', '流', '二'];
  const id = {};
  for (const n of names) id[n] = (await mkMember(R, '风' + n, n === '流' ? { status: 'mobile' } : {})).id;
  const other = (await mkMember(S, '流支部书记')).id;
  // R meets in months -1, -2, -3, -5, -6, -7, -8 and not in -4; times at
  // month boundaries in China time: -1 on its first day 00:30, -3 on its
  // last day 23:30
  const at = { 1: chinaTime(ymFirst(ymAdd(ym, -1)), 0, 30), 3: chinaTime(ymLast(ymAdd(ym, -3)), 23, 30) };
  // who is present when (k months ago); everyone else is absent, leave as listed
  const present = { 甲: [7], 乙: [8], 丙: [5], 丁: [8], 流: [8], 二: [3] };
  const leave = { 丁: [6] };
  for (const k of [8, 7, 6, 5, 3, 2, 1]) {
    const start = at[k] ?? chinaTime(`${ymFirst(ymAdd(ym, -k)).slice(0, 8)}15`, 10, 0);
    const m = await meeting(townAdm, { org_id: R, type: 'theme_day', start_at: start });
    assert.equal(m.held_on.slice(0, 7), ymFirst(ymAdd(ym, -k)).slice(0, 7), 'the month is counted in China time');
    await attend(townAdm, m.id, names.map((n) => present[n].includes(k) ? { member_id: id[n], status: 'present' }
      : (leave[n] || []).includes(k) ? { member_id: id[n], status: 'leave', reason: '住院治疗' } : { member_id: id[n], status: 'absent' }));
  }
  // the 流动党员 takes part in the 流动党员党支部's meeting two months ago
  const sm = await meeting(townAdm, { org_id: S, type: 'theme_day', start_at: chinaTime(`${ymFirst(ymAdd(ym, -2)).slice(0, 8)}20`, 9, 0) });
  let d = await attend(townAdm, sm.id, [{ member_id: other, status: 'present' }, { member_id: id['流'], status: 'present', guest: true, name: '风流' }]);
  assert.equal(d.expected_count, 1, 'a guest is not on the 应到 list');
  assert.equal(d.present_count, 1);
  assert.equal(d.attendance.find((a) => a.member_id === id['流']).guest, true);
  // a guest's name must be the roster's
  await attend(townAdm, sm.id, [{ member_id: id['甲'], status: 'present', guest: true, name: '别人' }], 400);

  const risks = (await townAdm.get(`/api/v1/orgs/${R}/risks`)).body;
  const got = Object.fromEntries(risks.items.map((x) => [x.member_id, [x.months, x.level, x.excused_months, x.idle_months]]));
  assert.deepEqual(got, {
    [id['乙']]: [6, 6, 0, 1],  // absent -7..-1 except the empty month -4: six months
    [id['甲']]: [5, 5, 0, 1],  // present -7: absent -6, -5, -3, -2, -1
    [id['丁']]: [5, 5, 1, 1],  // present -8, 请假 -6: the leave is passed over
    [id['丙']]: [3, 3, 0, 1],  // present -5: -3, -2, -1
  });
  assert.ok(!(id['流'] in got), 'the 流动党员 took part two months ago at the 流动党员党支部');
  assert.ok(!(id['二'] in got), 'two months is below the first threshold');
  const yi = risks.items.find((x) => x.member_id === id['乙']);
  assert.equal(yi.level_name, '自行脱党风险');
  assert.equal(yi.since, `${String(ymAdd(ym, -7)).slice(0, 4)}-${String(ymAdd(ym, -7)).slice(4)}`);
  // the month R held nothing is the branch's failure: compliance shows it
  const p4 = ymAdd(ym, -4);
  const c = (await townAdm.get(`/api/v1/orgs/${R}/compliance?period=${String(p4).slice(0, 4)}-${String(p4).slice(4)}`)).body;
  assert.equal(c.items.find((x) => x.type === 'theme_day').missing, 1);
  // removing the guest row makes the 流动党员's run count again
  await attend(townAdm, sm.id, [{ member_id: id['流'], status: 'absent', guest: true, name: '风流' }]);
  const again = (await townAdm.get(`/api/v1/orgs/${R}/risks`)).body.items.find((x) => x.member_id === id['流']);
  assert.deepEqual([again.months, again.level], [6, 6]);
});

test('a 流动党员 signs in by QR at another org\'s meeting as a guest; an ordinary member of another branch may not', async () => {
  const mob = (await mkMember(R, '扫码流动', { status: 'mobile' })).id;
  const ord = (await mkMember(R, '扫码普通')).id;
  for (const [u, m] of [['qrmob', mob], ['qrord', ord]]) {
    const r = cli(['user', 'add', u, '--db', srv.db, '--role', 'member', '--org', String(R), '--member', String(m)],
      { ...srv.env, ZHIBU_PASSWORD: 'Test-Passw0rd-1' });
    assert.equal(r.code, 0, r.stderr);
  }
  const m = await meeting(townAdm, { org_id: S, type: 'theme_day', start_at: now() - 600 });
  const q = await townAdm.post(`/api/v1/meetings/${m.id}/signin`, {});
  assert.equal(q.status, 201, JSON.stringify(q.body));
  const token = q.body.token;
  const cOrd = await loginAs(srv, 'qrord'), cMob = await loginAs(srv, 'qrmob');
  let r = await cOrd.post('/api/v1/signin', { token });
  assert.equal(r.status, 403);
  r = await cMob.post('/api/v1/signin', { token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const d = (await townAdm.get(`/api/v1/meetings/${m.id}`)).body;
  const row = d.attendance.find((a) => a.member_id === mob);
  assert.deepEqual([row.guest, row.status, row.source, row.has_vote], [true, 'present', 'qr', false]);
  assert.equal(d.expected_count, 1);
});
