// 组织关系转接 and 流动党员 (docs/TRANSFERS.md): a transfer through every
// state (started, issued, accepted, closed; returned), the letter's last
// valid day and the day after, who may take each step, scoping before and
// after the move (the sending branch reads its read-only view and can no
// longer write), roll-ups and the 应到 list of a meeting before the move,
// both printables with user text escaped, out of and into the platform, and
// the 流动党员 paper rule at its edges with the care org marking a guest.
// Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';

let srv, adm, root, T1, S, T2, R, FB, secS, comT1, comT2, secR, secFB;
const DAY = 86400;
const daysAgo = (n) => new Date(Date.now() + 8 * 3600 * 1000 - n * DAY * 1000).toISOString().slice(0, 10);
const YEAR = Number(daysAgo(0).slice(0, 4));

async function mkOrg(parent, name, type, code) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...(code ? { code } : {}) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function mkMember(org, name, extra = {}) {
  const r = await adm.post('/api/v1/members', { org_id: org, name, category: 'full', join_date: '2010-07-01',
    full_date: '2011-07-01', ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}
const start = (c, member_id, extra = {}) => c.post('/api/v1/transfers',
  { member_id, to_org_code: 'R-0001', reason: '工作调动', dues_paid_to: '2026-01', ...extra });
const count = async (org) => (await ok(adm.get(`/api/v1/orgs/${org}`))).member_count;

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '东乡镇党委', 'committee');
  S = await mkOrg(T1, '东乡村党支部', 'branch');
  T2 = await mkOrg(root, '西乡镇党委', 'committee');
  R = await mkOrg(T2, '西乡村党支部', 'branch', 'R-0001');
  FB = await mkOrg(T2, '西乡流动党员党支部', 'branch', 'FB-0001');
  addUser(srv, 'sec_s', 'party_worker', S);
  addUser(srv, 'com_t1', 'party_worker', T1);
  addUser(srv, 'com_t2', 'party_worker', T2);
  addUser(srv, 'sec_r', 'party_worker', R);
  addUser(srv, 'sec_fb', 'party_worker', FB);
  [secS, comT1, comT2, secR, secFB] = await Promise.all(['sec_s', 'com_t1', 'com_t2', 'sec_r', 'sec_fb'].map((n) => loginAs(srv, n)));
});

after(async () => { await srv?.stop(); });

test('a transfer through every state: started, issued (by the 党委, numbered), accepted, closed', async () => {
  const M = await mkMember(S, '东转甲');
  const ISSUED = daysAgo(40), MOVED = daysAgo(20);
  const countS = await count(S), countR = await count(R), countT1 = await count(T1), countT2 = await count(T2);
  // a meeting of the old branch before the move date
  const t = await ok(start(secS, M), 201);
  assert.equal(t.status, 'started');
  assert.equal(t.letter_no, null);
  assert.equal(t.to_org_id, R);
  assert.deepEqual(t.actions, [], 'a branch secretary cannot issue the letter');
  // the branch itself cannot issue; the receiving side cannot accept before the letter
  let r = await secS.post(`/api/v1/transfers/${t.id}/issue`, {});
  assert.equal(r.status, 403, JSON.stringify(r.body));
  r = await comT2.post(`/api/v1/transfers/${t.id}/accept`, {});
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'status');
  // a second open transfer of the same member is refused
  r = await start(secS, M);
  assert.equal(r.status, 409, JSON.stringify(r.body));
  // the 党委 issues: numbered per 党委 and year, valid 3 months less a day
  const before = (await ok(comT1.get(`/api/v1/transfers/${t.id}`)));
  assert.deepEqual(before.actions, ['issue']);
  const i = await ok(comT1.post(`/api/v1/transfers/${t.id}/issue`, { issued_on: ISSUED }));
  assert.equal(i.status, 'issued');
  assert.match(i.letter_no, new RegExp(`^${ISSUED.slice(0, 4)}-\\d{4}$`));
  assert.equal(i.valid_months, 3);
  // the sending 党委 cannot accept its own letter
  r = await comT1.post(`/api/v1/transfers/${t.id}/accept`, {});
  assert.equal(r.status, 403);
  assert.deepEqual((await ok(comT2.get(`/api/v1/transfers/${t.id}`))).actions, ['accept', 'return']);
  const a = await ok(comT2.post(`/api/v1/transfers/${t.id}/accept`, { accepted_on: MOVED }));
  assert.equal(a.status, 'accepted');
  assert.equal(a.accepted_on, MOVED);
  // the member is at R now: roll-ups follow
  assert.equal(await count(S), countS - 1);
  assert.equal(await count(R), countR + 1);
  assert.equal(await count(T1), countT1 - 1);
  assert.equal(await count(T2), countT2 + 1);
  const m = await ok(secR.get(`/api/v1/members/${M}`));
  assert.equal(m.org_id, R);
  // the receiving side can write; the sending branch can neither read nor write the record
  await ok(secR.patch(`/api/v1/members/${M}`, { remarks: '已转入' }));
  assert.equal((await secS.get(`/api/v1/members/${M}`)).status, 404);
  const w = await secS.patch(`/api/v1/members/${M}`, { remarks: '改' });
  assert.equal(w.status, 404);
  assert.deepEqual(w.body, (await secS.patch('/api/v1/members/999999999', { remarks: '改' })).body, 'answered as a missing member');
  // ... but keeps its read-only view up to the transfer date
  const v = await ok(secS.get(`/api/v1/transfers/${t.id}/member`));
  assert.equal(v.read_only, true);
  assert.equal(v.as_of, MOVED);
  assert.equal(v.record.org_name, '东乡村党支部');
  assert.equal(v.record.name, '东转甲');
  const move = v.history.find((h) => h.kind === 'org');
  assert.ok(move, JSON.stringify(v.history));
  assert.equal(move.date, MOVED);
  assert.equal(move.to, '西乡村党支部');
  assert.ok(!JSON.stringify(v).includes('已转入'), 'nothing written after the move');
  // the view is the sending side's
  assert.equal((await secR.get(`/api/v1/transfers/${t.id}/member`)).status, 404);
  // the 应到 list of a meeting before the move at the old branch still lists the member
  const formOld = await ok(secS.get(`/api/v1/orgs/${S}/meeting-form?type=plenary&date=${daysAgo(25)}`));
  assert.ok(formOld.expected.some((x) => x.member_id === M), 'on the old branch on a date before the move');
  const formDay = await ok(secS.get(`/api/v1/orgs/${S}/meeting-form?type=plenary&date=${MOVED}`));
  assert.ok(!formDay.expected.some((x) => x.member_id === M), 'the move day counts for the new branch');
  const formNew = await ok(secR.get(`/api/v1/orgs/${R}/meeting-form?type=plenary&date=${MOVED}`));
  assert.ok(formNew.expected.some((x) => x.member_id === M));
  // the 回执 closes the case, recorded by the sending side
  assert.equal((await secR.post(`/api/v1/transfers/${t.id}/receipt`, {})).status, 403);
  const c = await ok(secS.post(`/api/v1/transfers/${t.id}/receipt`, {}));
  assert.equal(c.status, 'closed');
  // both sides list it
  const ls = await ok(secS.get(`/api/v1/orgs/${S}/transfers`));
  assert.ok(ls.items.some((x) => x.id === t.id && x.side === 'from'));
  const lr = await ok(secR.get(`/api/v1/orgs/${R}/transfers`));
  assert.ok(lr.items.some((x) => x.id === t.id && x.side === 'to'));
  // a second letter of the same 党委 in the same year takes the next number
  const M2 = await mkMember(S, '东转乙');
  const t2 = await ok(start(secS, M2), 201);
  const i2 = await ok(comT1.post(`/api/v1/transfers/${t2.id}/issue`, { issued_on: ISSUED }));
  assert.equal(Number(i2.letter_no.slice(5)), Number(i.letter_no.slice(5)) + 1);
});

test('an expired letter: accepted on its last day, refused the day after', async () => {
  const M = await mkMember(S, '东转丙');
  const t = await ok(start(secS, M), 201);
  const i = await ok(comT1.post(`/api/v1/transfers/${t.id}/issue`, { issued_on: '2025-01-15' }));
  assert.equal(i.valid_until, '2025-04-14');
  const r = await comT2.post(`/api/v1/transfers/${t.id}/accept`, { accepted_on: '2025-04-15' });
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'accepted_on');
  assert.match(r.body.error.message, /已过期/);
  assert.equal((await ok(adm.get(`/api/v1/members/${M}`))).org_id, S, 'nothing moved');
  const a = await ok(comT2.post(`/api/v1/transfers/${t.id}/accept`, { accepted_on: '2025-04-14' }));
  assert.equal(a.status, 'accepted');
  // month ends: issued 30 November, valid through 27 February... of a common year: 28 Feb - 1 day
  const M2 = await mkMember(S, '东转丁');
  const t2 = await ok(start(secS, M2), 201);
  const i2 = await ok(comT1.post(`/api/v1/transfers/${t2.id}/issue`, { issued_on: '2024-11-30' }));
  assert.equal(i2.valid_until, '2025-02-27');
});

test('a return with its reason; the member stays and may be transferred again', async () => {
  const M = await mkMember(S, '东转戊');
  const t = await ok(start(secS, M), 201);
  await ok(comT1.post(`/api/v1/transfers/${t.id}/issue`, {}));
  let r = await comT2.post(`/api/v1/transfers/${t.id}/return`, {});
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'reason');
  const back = await ok(comT2.post(`/api/v1/transfers/${t.id}/return`, { reason: '介绍信所写单位有误' }));
  assert.equal(back.status, 'returned');
  assert.equal(back.return_reason, '介绍信所写单位有误');
  r = await comT2.post(`/api/v1/transfers/${t.id}/accept`, {});
  assert.equal(r.status, 409);
  assert.equal((await ok(adm.get(`/api/v1/members/${M}`))).org_id, S);
  await ok(start(secS, M), 201);
});

test('the destination: by id only where the caller can see it, by 组织编码 anywhere; Chinese errors name the field', async () => {
  const M = await mkMember(S, '东转己');
  let r = await secS.post('/api/v1/transfers', { member_id: M, to_org_id: R, reason: '调动', dues_paid_to: '2026-01' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'to_org_id');
  const missing = await secS.post('/api/v1/transfers', { member_id: M, to_org_id: 999999999, reason: '调动', dues_paid_to: '2026-01' });
  assert.deepEqual(r.body, missing.body, 'an org out of view is answered as a missing one');
  r = await start(secS, M, { to_org_code: 'NO-SUCH' });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'to_org_code');
  r = await start(secS, M, { dues_paid_to: '2026-13' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'dues_paid_to');
  assert.match(r.body.error.message, /党费/);
  r = await start(comT1, M, { to_org_code: undefined, to_org_id: T1 });
  assert.equal(r.status, 400, 'a 党委 is not a receiving branch');
  assert.equal(r.body.error.field, 'to_org_id');
});

test('out of the platform: the letter with its 存根 and 回执 printed, escaped; the paper receipt moves the member out', async () => {
  const M = await mkMember(S, '东转庚');
  const countS = await count(S);
  const t = await ok(secS.post('/api/v1/transfers', { member_id: M, reason: '随迁<script>alert(1)</script>', dues_paid_to: '2026-02',
    to_outside: { org: '某省"某市"&<b>党委</b>', province: '某省', across_provinces: true } }), 201);
  assert.equal(t.direction, 'out');
  assert.equal((await secS.get(`/api/v1/transfers/${t.id}/letter`)).status, 409, 'no letter before it is issued');
  const i = await ok(comT1.post(`/api/v1/transfers/${t.id}/issue`, { issued_on: '2025-01-15' }));
  assert.equal(i.valid_months, 6, 'across provinces: 6 months');
  assert.equal(i.valid_until, '2025-07-14');
  const p = await secS.get(`/api/v1/transfers/${t.id}/letter`);
  assert.equal(p.status, 200);
  assert.match(p.headers.get('content-type'), /text\/html/);
  const html = p.body.toString('utf8');
  assert.ok(html.includes('介绍信存根') && html.includes('回　执') && html.includes(i.letter_no), html.slice(0, 400));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'reason escaped');
  assert.ok(html.includes('某省&quot;某市&quot;&amp;&lt;b&gt;党委&lt;/b&gt;'), 'org escaped');
  assert.ok(!html.includes('<script>') && !html.includes('<b>党委'));
  assert.ok(html.includes('2026-02'), 'the month dues are paid up to');
  // the receiving side is outside: the sending side records the paper 回执
  assert.equal((await secS.post(`/api/v1/transfers/${t.id}/accept`, {})).status, 409);
  const late = await secS.post(`/api/v1/transfers/${t.id}/receipt`, { received_on: '2025-07-15' });
  assert.equal(late.status, 409, 'taken in after the letter expired');
  const c = await ok(secS.post(`/api/v1/transfers/${t.id}/receipt`, { received_on: '2025-07-14' }));
  assert.equal(c.status, 'closed');
  const m = await ok(adm.get(`/api/v1/members/${M}`));
  assert.equal(m.status, 'transferred');
  assert.equal(await count(S), countS - 1, 'off the roll');
  const rp = await secS.get(`/api/v1/transfers/${t.id}/receipt`);
  assert.equal(rp.status, 200);
  const rh = rp.body.toString('utf8');
  assert.ok(rh.includes('回　执') && rh.includes('东转庚') && rh.includes('2025-07-14'));
  assert.ok(rh.includes('&lt;b&gt;') && !rh.includes('<b>'));
  // the read-only view keeps the record as it left
  const v = await ok(secS.get(`/api/v1/transfers/${t.id}/member`));
  assert.equal(v.record.status, 'normal');
  assert.ok(v.history.some((h) => h.kind === 'status' && h.to === 'transferred' && h.date === '2025-07-14'));
});

test('in from outside: the member created from the letter; an invalid ID number refused in Chinese', async () => {
  const body = { org_id: R, name: '外来甲', id_number: '110101199003071234', category: 'full', join_date: '2015-07-01',
    full_date: '2016-07-01', from_org: '外省某县委组织部', from_province: '外省', letter_no: '外组（2026）12 号',
    issued_on: daysAgo(10), dues_paid_to: '2026-01', reason: '工作调动' };
  let r = await secR.post('/api/v1/transfers/in', body);
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'id_number');
  assert.match(r.body.error.message, /身份证号/);
  const countR = await count(R);
  const id = withCheck('11010119900307123');
  const t = await ok(secR.post('/api/v1/transfers/in', { ...body, id_number: id }), 201);
  assert.equal(t.direction, 'in');
  assert.equal(t.status, 'accepted');
  assert.equal(await count(R), countR + 1);
  const m = await ok(secR.get(`/api/v1/members/${t.member_id}`));
  assert.equal(m.name, '外来甲');
  assert.ok(!m.id_number.includes('1101'), 'masked like any member');
  // the same ID again is refused as a duplicate
  r = await secR.post('/api/v1/transfers/in', { ...body, name: '外来乙', id_number: id });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  // an old letter is refused
  r = await secR.post('/api/v1/transfers/in', { ...body, name: '外来丙', id_number: withCheck('11010119900308123'), issued_on: '2024-01-01' });
  assert.equal(r.status, 409);
  // the receiving side sends the 回执
  const c = await ok(secR.post(`/api/v1/transfers/${t.id}/receipt`, {}));
  assert.equal(c.status, 'closed');
  assert.equal((await secR.get(`/api/v1/transfers/${t.id}/receipt`)).status, 200);
});

test('流动党员: the paper follows the dates at their edges; the care org marks them as a guest', async () => {
  const reg = (c, m, body) => c.post(`/api/v1/members/${m}/mobile`, { destination: '广东省深圳市', contact: '微信', care_org_name: '深圳某流动党员党支部', ...body });
  const L = '2025-03-10';
  const cases = [
    ['2025-06-09', 'none'], ['2025-06-10', 'certificate'], ['2025-09-09', 'certificate'],
  ];
  for (const [until, paper] of cases) {
    const M = await mkMember(S, `东流${until.slice(5)}`);
    if (paper !== 'none') {
      const r = await reg(secS, M, { left_on: L, until_on: until });
      assert.equal(r.status, 400, `${until}: the number of the paper is needed`);
      assert.equal(r.body.error.field, 'paper_no');
      assert.match(r.body.error.message, /证明信/);
    }
    const b = await ok(reg(secS, M, { left_on: L, until_on: until, ...(paper === 'none' ? {} : { paper_no: `证${until}` }) }), 201);
    assert.equal(b.items[0].paper, paper, until);
    assert.equal((await ok(adm.get(`/api/v1/members/${M}`))).status, 'mobile');
    // the 证明信 is printed for the absence that needs one, and only then
    const pr = await secS.get(`/api/v1/members/${M}/mobile/paper`);
    if (paper === 'none') {
      assert.equal(pr.status, 409, 'a short absence has no paper to print');
    } else {
      assert.equal(pr.status, 200);
      assert.match(pr.headers.get('content-type'), /text\/html/);
      const html = pr.body.toString("utf8");
      assert.match(html, /流动党员证明信/);
      assert.ok(html.includes(`证${until}`) && html.includes('深圳某流动党员党支部') && html.includes(until));
    }
  }
  {
    const never = await mkMember(S, '东从未外出');
    assert.equal((await secS.get(`/api/v1/members/${never}/mobile/paper`)).status, 404);
  }
  // six months or more with a fixed place: a transfer, not a registration
  const M6 = await mkMember(S, '东流六月');
  let r = await reg(secS, M6, { left_on: L, until_on: '2025-09-10', paper_no: 'x' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'until_on');
  assert.match(r.body.error.message, /转接/);
  // a short absence needs no paper and takes no number
  r = await reg(secS, M6, { left_on: L, until_on: '2025-04-01', paper_no: '多余' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'paper_no');
  // no fixed place: the numbered 活动证
  const MF = await mkMember(S, '东流无定');
  const card = await ok(reg(secS, MF, { left_on: daysAgo(60), no_fixed_place: true, paper_no: '活动证 0001', care_org_code: 'FB-0001' }), 201);
  assert.equal(card.items[0].paper, 'activity_card');
  assert.equal(card.items[0].care_org_id, FB);
  const cp = await secS.get(`/api/v1/members/${MF}/mobile/paper`);
  assert.equal(cp.status, 200);
  const chtml = cp.body.toString("utf8");
  assert.ok(chtml.includes('流动党员活动证') && chtml.includes('活动证 0001') && chtml.includes('无固定外出地点'));
  // the 流动党员党支部 (outside the home branch's subtree) marks them present as a guest
  const mt = await ok(secFB.post('/api/v1/meetings', { org_id: FB, type: 'theme_day', start_at: Math.floor(Date.now() / 1000) - 3600, topic: '主题党日' }), 201);
  const att = await ok(secFB.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [{ member_id: MF, status: 'present', guest: true, name: '东流无定' }] }));
  assert.equal(att.attendance.find((x) => x.member_id === MF).guest, true);
  // a member not registered with it is not found for it
  const other = await mkMember(S, '东留守');
  r = await secFB.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [{ member_id: other, status: 'present', guest: true, name: '东留守' }] });
  assert.equal(r.status, 400);
  // both lists; back home ends the registration and the status
  const lo = await ok(secS.get(`/api/v1/orgs/${S}/mobile-members`));
  assert.ok(lo.items.some((x) => x.member_id === MF && x.paper_name === '流动党员活动证'));
  const e = await ok(secS.post(`/api/v1/members/${MF}/mobile/end`, { ended_on: daysAgo(1) }));
  assert.equal(e.items[0].ended_on, daysAgo(1));
  assert.equal((await ok(adm.get(`/api/v1/members/${MF}`))).status, 'normal');
  r = await secFB.put(`/api/v1/meetings/${mt.id}/attendance`, { items: [{ member_id: MF, status: 'present', guest: true, name: '东流无定' }] });
  assert.equal(r.status, 400, 'no longer in its care');
});

test('the month dues are paid up to: stated, or taken from the platform\'s dues records', async () => {
  const M = await mkMember(S, '东交费');
  // no dues records and nothing stated: the field is named
  let r = await start(secS, M, { dues_paid_to: undefined });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'dues_paid_to');
  assert.match(r.body.error.message, /党费/);
  // a base from January of last year and three months paid: paid up to March
  await ok(secS.put(`/api/v1/members/${M}/dues-base`, { kind: 'salary', amount: '3000.00', from: `${YEAR - 1}-01` }));
  await ok(secS.post('/api/v1/dues/payments', { member_id: M, months: [`${YEAR - 1}-01`, `${YEAR - 1}-02`, `${YEAR - 1}-03`],
    amount: '45.00', paid_on: `${YEAR - 1}-03-20`, method: 'cash' }), 201);
  const t = await ok(start(secS, M, { dues_paid_to: undefined }), 201);
  assert.equal(t.dues_paid_to, `${YEAR - 1}-03`);
  // what the branch states is kept as stated
  const M2 = await mkMember(S, '东交费二');
  assert.equal((await ok(start(secS, M2, { dues_paid_to: `${YEAR}-01` }), 201)).dues_paid_to, `${YEAR}-01`);
});
