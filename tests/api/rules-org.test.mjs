// Party rules of organisation structure and terms over HTTP, at their
// edges: the nesting of the org tree on create, move and type change; who
// may hold a committee post (预备党员 have no 被选举权); term lengths from
// the rule with at most a year's early or delayed election; the month-end
// rule for 29 February; the structure warnings and the articles they cite
// (docs/RULES.md, "Organisation structure and terms").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, T, V, O;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function makeId(birth, seq) {
  const s = (seq % 500) * 2 + 1;
  const body = '990102' + birth.replaceAll('-', '') + String(s).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}
let seq = 0;
function today() {
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

async function mkOrg(parent, name, type, extra = {}) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function mkMember(org, name, { full = '2001-07-01' } = {}) {
  seq++;
  const body = {
    org_id: org, name, id_number: makeId('1975-03-04', seq), gender: 'M', ethnicity: '汉族', education: '大学本科',
    ...(full ? { category: 'full', join_date: '2000-07-01', full_date: full } : { category: 'probationary', join_date: today() }),
  };
  const r = await adm.post('/api/v1/members', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function warnings(org) {
  const r = await adm.get(`/api/v1/orgs/${org}/warnings`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  T = await mkOrg(1, '丙镇党委', 'committee', { domain: 'rural' });
  V = await mkOrg(T, '丙村党支部', 'branch', { domain: 'rural' });
  O = await mkOrg(1, '县统计局党支部', 'branch', { domain: 'organ' });
});

after(async () => {
  await srv?.stop();
});

test('the tree nests 党委 > 党总支 > 党支部 > 党小组 on create, move and type change', async () => {
  let r = await adm.post('/api/v1/orgs', { parent_id: T, name: '镇党小组', type: 'group' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'type');
  assert.match(r.body.error.message, /党委之下不能设党小组/);
  r = await adm.post('/api/v1/orgs', { parent_id: V, name: '支部下的支部', type: 'branch' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /党支部之下不能设党支部/);
  r = await adm.post('/api/v1/orgs', { parent_id: V, name: '支部下的总支', type: '党总支' });
  assert.equal(r.status, 400);
  const G = await mkOrg(T, '丙镇党总支', 'general_branch');
  r = await adm.post('/api/v1/orgs', { parent_id: G, name: '总支下的党委', type: 'committee' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /党总支之下不能设党委/);
  const GB = await mkOrg(G, '总支第一党支部', 'branch');
  const grp = await mkOrg(GB, '第一党小组', 'group');
  r = await adm.post('/api/v1/orgs', { parent_id: grp, name: '小组下的小组', type: 'group' });
  assert.equal(r.status, 400);
  // move
  r = await adm.post(`/api/v1/orgs/${O}/move`, { parent_id: V });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'parent_id');
  assert.match(r.body.error.message, /党支部之下不能设党支部/);
  r = await adm.post(`/api/v1/orgs/${grp}/move`, { parent_id: G });
  assert.equal(r.status, 400);
  r = await adm.post(`/api/v1/orgs/${grp}/move`, { parent_id: V });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // a 党小组 has a 组长, no committee
  r = await adm.post(`/api/v1/orgs/${grp}/committee`, { person_name: '组长', post: 'secretary', started_on: '2024-01-01' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /党小组不设书记和委员/);
  // type change: a branch holding a 党小组 cannot become a 总支; nothing is written
  r = await adm.patch(`/api/v1/orgs/${V}`, { type: 'general_branch', name: '改名' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'type');
  assert.match(r.body.error.message, /下级组织“第一党小组”是党小组/);
  r = await adm.get(`/api/v1/orgs/${V}`);
  assert.equal(r.body.type, 'branch');
  assert.equal(r.body.name, '丙村党支部');
  r = await adm.patch(`/api/v1/orgs/${G}`, { type: 'branch' });
  assert.equal(r.status, 400);
  r = await adm.patch(`/api/v1/orgs/${GB}`, { type: 'joint_branch' });
  assert.equal(r.status, 200);
  r = await adm.patch(`/api/v1/orgs/${O}`, { type: 'group' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /党委之下不能设党小组/);
});

test('committee posts: 预备党员 have no 被选举权, full members from the day of 转正', async () => {
  const B = await mkOrg(T, '丁村党支部', 'branch', { domain: 'rural' });
  const prob = await mkMember(B, '预备甲', { full: null });
  const late = await mkMember(B, '转正乙', { full: '2024-07-01' });
  const sec = await mkMember(B, '书记丙');
  for (const post of ['secretary', 'deputy_secretary', 'member']) {
    const r = await adm.post(`/api/v1/orgs/${B}/committee`, { member_id: prob, post, started_on: '2025-01-01' });
    assert.equal(r.status, 400, post);
    assert.equal(r.body.error.field, 'member_id');
    assert.match(r.body.error.message, /预备党员，没有被选举权.*党章第七条/);
  }
  let r = await adm.post(`/api/v1/orgs/${B}/committee`, { member_id: late, post: 'organization', started_on: '2024-06-30' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /2024-07-01 转正/);
  r = await adm.post(`/api/v1/orgs/${B}/committee`, { member_id: late, post: 'organization', started_on: '2024-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await adm.post(`/api/v1/orgs/${B}/committee`, { member_id: sec, post: 'secretary', started_on: '2024-07-02' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  // handing the post to a 预备党员 later is refused too
  r = await adm.patch(`/api/v1/committee/${r.body.id}`, { member_id: prob });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'member_id');
  // a member of another org
  const other = await mkMember(O, '别处丁');
  r = await adm.post(`/api/v1/orgs/${B}/committee`, { member_id: other, post: 'member', started_on: '2025-01-01' });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /不是本组织/);
});

test('terms: the rule\'s length, an end at most 12 months either side, 29 February', async () => {
  // village branch: 5 years; a 3-year entry is refused whichever way
  let r = await adm.post(`/api/v1/orgs/${V}/terms`, { started_on: '2020-03-15', years: 3 });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'years');
  assert.match(r.body.error.message, /^农村党支部的任期为 5 年（中办《关于党的基层组织任期的意见》.*请填写届满日期（与 5 年任期相差最多 12 个月）$/);
  for (const [ends, ok] of [['2024-03-14', false], ['2024-03-15', true], ['2026-03-15', true], ['2026-03-16', false]]) {
    r = await adm.post(`/api/v1/orgs/${V}/terms`, { started_on: '2020-03-15', ends_on: ends });
    assert.equal(r.status, ok ? 201 : 400, `${ends}: ${JSON.stringify(r.body)}`);
    if (!ok) {
      assert.equal(r.body.error.field, 'ends_on');
      assert.match(r.body.error.message, /2024-03-15 至 2026-03-15.*（基层组织选举工作条例第三条：延长或者提前期限一般不超过1年）$/);
    }
  }
  // an organ branch: 3 years; from 29 February to 28 February
  r = await adm.post(`/api/v1/orgs/${O}/terms`, { started_on: '2020-02-29' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.current.years, 3);
  assert.equal(r.body.current.ends_on, '2023-02-28');
  r = await adm.post(`/api/v1/orgs/${O}/terms`, { started_on: '2020-02-29', years: 4 });
  assert.equal(r.status, 400);
  // the rule data is bounded too: a township may not allow 2 years' delay
  r = await adm.post('/api/v1/rules', { kind: 'terms', org_id: T, effective_from: '2021-01-01', data: { max_extension_months: 24 } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'data');
  r = await adm.post('/api/v1/rules', { kind: 'terms', org_id: T, effective_from: '2021-01-01', data: { years: { branch: 8 } } });
  assert.equal(r.status, 400);
  // the national sets name their articles
  r = await adm.get(`/api/v1/rules?kind=terms&org=${V}`);
  assert.match(r.body.effective.data.source, /关于党的基层组织任期的意见/);
  assert.match(r.body.effective.data.source, /选举工作条例第三条/);
  r = await adm.get(`/api/v1/rules?kind=org_structure&org=${V}`);
  assert.equal(r.body.effective.data.secretary_lectures_per_year, 1);
  assert.match(r.body.effective.data.source, /第二十条/);
});

test('structure warnings: too few full members, only a 书记 under 7, 党委 without 书记, 党课, citations', async () => {
  const S = await mkOrg(T, '戊村党支部', 'branch', { domain: 'rural' });
  let w = await warnings(T);
  let x = w.find((i) => i.org_id === S && i.kind === 'branch_too_few_full');
  assert.ok(x, JSON.stringify(w));
  assert.match(x.message, /正式党员只有 0 名，不足 3 名.*支部工作条例第四条.*第五条/);
  const ids = [];
  for (let i = 0; i < 2; i++) ids.push(await mkMember(S, `戊${i}`));
  await mkMember(S, '戊预备', { full: null });
  w = await warnings(T);
  assert.ok(w.some((i) => i.org_id === S && i.kind === 'branch_too_few_full'));
  ids.push(await mkMember(S, '戊2'));
  w = await warnings(T);
  assert.ok(!w.some((i) => i.org_id === S && i.kind === 'branch_too_few_full'));
  // 3 full members: a 书记, and an 组织委员 is one post too many
  let r = await adm.post(`/api/v1/orgs/${S}/committee`, { member_id: ids[0], post: 'secretary', started_on: '2020-01-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await adm.post(`/api/v1/orgs/${S}/committee`, { member_id: ids[1], post: 'organization', started_on: '2020-01-01' });
  assert.equal(r.status, 201);
  const orgPost = r.body.id;
  w = await warnings(T);
  x = w.find((i) => i.org_id === S && i.kind === 'committee_not_allowed');
  assert.ok(x);
  assert.match(x.message, /不足 7 名的党支部不设支部委员会.*支部工作条例第二十条/);
  // statistics count it (kept in the roll-ups)
  r = await adm.get(`/api/v1/orgs/${S}/stats`);
  assert.equal(r.body.warnings.by_kind.committee_not_allowed, 1);
  r = await adm.patch(`/api/v1/committee/${orgPost}`, { post: 'deputy_secretary' });
  assert.equal(r.status, 200);
  w = await warnings(T);
  assert.ok(!w.some((i) => i.org_id === S && i.kind === 'committee_not_allowed'));
  // a 党委 without a 书记
  x = w.find((i) => i.org_id === T && i.kind === 'no_secretary');
  assert.ok(x);
  assert.match(x.message, /党章第三十一条/);
  // 党课: the 书记 (in office since 2020) gave none last year
  const last = String(Number(today().slice(0, 4)) - 1);
  x = w.find((i) => i.org_id === S && i.kind === 'no_lecture');
  assert.ok(x, JSON.stringify(w.filter((i) => i.org_id === S)));
  assert.match(x.message, new RegExp(`书记戊0 ${last} 年讲党课 0 次`));
  r = await adm.get(`/api/v1/orgs/${S}/stats`);
  assert.equal(r.body.warnings.by_kind.no_lecture, undefined); // listed for the day only
  const path = (await adm.get(`/api/v1/orgs/${S}`)).body.path;
  sql(srv.db, `INSERT INTO meetings (org_id, org_path, type, start_at, held_on, held_ym, speaker, created_at, updated_at) VALUES (${S}, '${path}', 'lecture', 1, '${last}-12-31', ${last}12, '戊0', 1, 1)`);
  w = await warnings(T);
  assert.ok(!w.some((i) => i.org_id === S && i.kind === 'no_lecture'));
});
