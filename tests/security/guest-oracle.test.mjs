// Attack: a meeting's 外单位参加人员 (guest) is recorded by member id and
// name, and the name is compared with the roster of the whole register,
// whatever the caller's scope.  A party worker of one branch learns, for any
// member id in the county, whether it holds a given name ("is 乙某 a Party
// member, and which record?") - an existence oracle outside the caller's
// subtree that costs one unaudited 400 per guess - and then, from the
// answers and the stored row, whether that member was removed or died and
// whether they are a full or probationary member.
// Expected: a member outside the caller's member.read scope gets the same
// answer as a missing id, whatever the name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs } from '../api/lib.mjs';

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
  addUser(srv, 'rt_pwA', 'party_worker', A);
});
after(async () => { await srv?.stop(); });

test('a guest entry does not confirm the name of a member outside the caller\'s subtree', async () => {
  let r = await adm.post('/api/v1/members', { org_id: B1, name: '乙某', join_date: '2010-07-01', category: 'full',
    full_date: '2011-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const outside = r.body.id;
  const pw = await loginAs(srv, 'rt_pwA');
  r = await pw.post('/api/v1/meetings', { org_id: A1, type: 'other', title: '学习', start_at: Math.floor(Date.now() / 1000) - 86400 });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const mid = r.body.id;
  const put = (member_id, name) => pw.put(`/api/v1/meetings/${mid}/attendance`,
    { items: [{ member_id, name, status: 'present', guest: true }] });
  const missing = await put(outside + 1000, '乙某');
  const wrong = await put(outside, '丙某');
  const right = await put(outside, '乙某');
  const shape = (x) => `${x.status} ${JSON.stringify(x.body?.error ?? 'ok')}`.replaceAll(String(outside + 1000), 'N').replaceAll(String(outside), 'N');
  assert.equal(shape(wrong), shape(missing), 'a wrong name and a missing id answer alike');
  assert.equal(shape(right), shape(missing),
    `the right name of a member outside the subtree answers differently: ${shape(right)} vs ${shape(missing)}`);
});
