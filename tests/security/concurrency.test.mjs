// Concurrent edits of the same members: every edit computes the roll-ups
// (org_counts), the history and the audit's "from" values from the row it
// replaces, so it must read that row after it holds the write lock.  Fired
// in parallel at a few members, 200 edits toggling category, gender, status
// and org must leave `zhibu check` without a single mismatch, and the
// audit's from -> to values of each member must form one unbroken chain
// that ends at the member's stored values.
//
// Runs on SQLite by default, on PostgreSQL when ZB_TEST_PG_DIR is set
// (tests/pg.sh; see tests/run.sh api-pg).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli } from '../api/lib.mjs';

let srv, adm, aud, A, B;

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

before(async () => {
  // several worker threads, so edits really overlap
  srv = await startServer({ env: { ZHIBU_THREADS: '8' } });
  adm = await admin(srv);
  const town = await mkOrg(1, '并发镇党委', 'committee');
  A = await mkOrg(town, '并发甲支部', 'branch');
  B = await mkOrg(town, '并发乙支部', 'branch');
  addUser(srv, 'conc_aud', 'audit_admin', 1);
  aud = await loginAs(srv, 'conc_aud');
});

after(async () => {
  await srv?.stop();
});

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every audit row of one action (all pages). */
async function auditAll(action) {
  const rows = [];
  let after = '';
  for (let i = 0; i < 100; i++) {
    const r = await aud.get(`/api/v1/audit?action=${action}&limit=200${after}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    rows.push(...r.body.items);
    if (!r.body.next) break;
    after = `&after=${encodeURIComponent(r.body.next)}`;
  }
  return rows;
}

test('200 concurrent edits of 3 members: roll-ups consistent, audit from -> to chains unbroken', async () => {
  // no ID numbers: gender and birth date are then free to change
  const members = [];
  for (let i = 0; i < 3; i++) {
    const r = await adm.post('/api/v1/members', {
      org_id: A, name: `并发${'甲乙丙'[i]}`, gender: 'M', birth_date: '1980-05-05', join_date: '2005-07-01',
      category: 'full', full_date: '2006-07-01', education: '大学本科',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    members.push(r.body);
  }
  const rand = rng(20241207);
  const edits = [];
  for (let i = 0; i < 200; i++) {
    const m = members[Math.floor(rand() * members.length)];
    const k = Math.floor(rand() * 4);
    let body;
    if (k === 0) body = { gender: rand() < 0.5 ? 'M' : 'F' };
    else if (k === 1) body = { org_id: rand() < 0.5 ? A : B, reason: '并发测试：调动' };
    else if (k === 2) {
      body = rand() < 0.5
        ? { category: 'full', full_date: '2006-07-01', reason: '并发测试：转正' }
        : { category: 'probationary', full_date: null, reason: '并发测试：预备' };
    } else body = { status: rand() < 0.5 ? 'normal' : 'mobile', reason: '并发测试：状态' };
    // a second field in the same edit, so two writers touch several roll-ups
    if (rand() < 0.5) body.education = rand() < 0.5 ? '大学本科' : '研究生';
    edits.push(adm.patch(`/api/v1/members/${m.id}`, body));
  }
  const results = await Promise.all(edits);
  for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));

  // the roll-ups equal a recount from the roster
  const chk = cli(['check', '--db', srv.db], srv.env);
  assert.equal(chk.code, 0, `zhibu check: ${chk.stdout}${chk.stderr}`);
  assert.match(chk.stdout, /统计汇总一致/);

  // the audit's changes of each member chain: each "from" is the previous
  // "to" of that field, starting at the created values and ending at the
  // stored ones
  const rows = (await auditAll('member.update')).sort((a, b) => a.id - b.id);
  const shown = { gender: { M: '男', F: '女' }, category: { full: '正式党员', probationary: '预备党员' },
    status: { normal: '正常', mobile: '流动' } };
  for (const m of members) {
    const cur = (await adm.get(`/api/v1/members/${m.id}`)).body;
    const state = {
      gender: '男', category: '正式党员', status: '正常', org_id: '并发甲支部', education: '大学本科', full_date: '2006-07-01',
    };
    let n = 0;
    for (const row of rows.filter((x) => x.object_id === String(m.id))) {
      const detail = typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail;
      for (const c of detail.changes) {
        if (!(c.field in state)) continue;
        assert.equal(c.from, state[c.field], `member ${m.id}, audit row ${row.id}, ${c.field}: from ${c.from}, but the previous change left ${state[c.field]}`);
        assert.notEqual(c.from, c.to, `audit row ${row.id} records a change of ${c.field} that changes nothing`);
        state[c.field] = c.to;
        n++;
      }
    }
    assert.ok(n > 0, `member ${m.id} was changed`);
    assert.equal(state.gender, shown.gender[cur.gender]);
    assert.equal(state.category, shown.category[cur.category]);
    assert.equal(state.status, shown.status[cur.status]);
    assert.equal(state.org_id, cur.org_name);
    assert.equal(state.education, cur.education);
    assert.equal(state.full_date, cur.full_date);
  }
});
