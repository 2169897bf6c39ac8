// Attack: an uploaded roster checks every row's ID number against the
// whole register.  For a caller holding member.sensitive at the import org
// (an 组织部管理员 of one township) no row is counted, and the hourly budget
// of "registered elsewhere" answers is only checked before the upload and
// noted after it: one file of any number of guessed (or leaked) ID numbers
// tells which of them are Party members in another township, outside the
// caller's subtree, where every other route answers "as if missing".
// Expected: a file that checks more numbers than the budget allows against
// orgs outside the caller's scope is refused, or the rows whose number is
// registered elsewhere are indistinguishable from new ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from '../api/lib.mjs';

function makeId(ymd, seq) {
  const body = '990101' + ymd + String(seq).padStart(3, '0');
  return withCheck(body);
}

let srv, adm, A1, B1;
before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const mk = async (parent_id, name, type) => {
    const r = await adm.post('/api/v1/orgs', { parent_id, name, type });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const A = await mk(1, '甲镇党委', 'committee');
  const B = await mk(1, '乙镇党委', 'committee');
  A1 = await mk(A, '甲村党支部', 'branch');
  B1 = await mk(B, '乙村党支部', 'branch');
  addUser(srv, 'rt_orgA', 'org_admin', A);
  addUser(srv, 'rt_pwA', 'party_worker', A);
});
after(async () => { await srv?.stop(); });

test('one upload does not tell which of many guessed ID numbers are registered outside the caller\'s subtree', async () => {
  // a Party member of township B; township A's administrator holds a list of
  // ID numbers (a leaked resident list) and wants to know who is a member
  const secret = makeId('19800315', 123);
  let r = await adm.post('/api/v1/members', { org_id: B1, name: '乙某', id_number: secret, join_date: '2010-07-01',
    category: 'full', full_date: '2011-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  for (const who of ['rt_orgA', 'rt_pwA']) {
    const c = await loginAs(srv, who);
    const rows = ['姓名,性别,身份证号,入党日期,转正日期,人员类别'];
    const n = 60; // three times the hourly budget of ID lookups
    for (let i = 0; i < n; i++) rows.push(`猜${i},男,${makeId('19800315', 201 + 2 * i)},2010-07-01,2011-07-01,正式党员`);
    rows.splice(1 + (n >> 1), 0, `猜中,男,${secret},2010-07-01,2011-07-01,正式党员`);
    r = await c.req('POST', `/api/v1/imports?org=${A1}&filename=x.csv`, Buffer.from(rows.join('\n') + '\n'),
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    if (r.status !== 201) continue; // refused: nothing learnt
    const shape = (x) => JSON.stringify({ status: x.status, errors: x.errors });
    const kinds = new Set(r.body.rows.map(shape));
    const hit = r.body.rows.find((x) => x.name === '猜中');
    assert.equal(kinds.size, 1,
      `${who}: ${n + 1} numbers checked in one upload; the registered one stands out: ${shape(hit)}`);
  }
});
