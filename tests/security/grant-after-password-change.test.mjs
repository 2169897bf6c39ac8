// A privileged grant is confirmed only for the password the account had
// when the grant was asked for: if the password is reset (by two
// administrators who may) and the reset password changed again before the
// confirmation, the confirmation is refused, since whoever knew the reset
// password would receive the grant.  And a privileged grant to an account
// whose initial password an administrator chose waits for its owner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, Client } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

let srv;
before(async () => {
  srv = await startServer();
  await admin(srv);
  addUser(srv, 'ga_org1', 'org_admin', 1);
  addUser(srv, 'ga_org2', 'org_admin', 1);
  addUser(srv, 'ga_sec', 'sec_admin', 1);
  addUser(srv, 'ga_sec2', 'sec_admin', 1);
});
after(async () => { await srv?.stop(); });

const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

test('a privileged grant waits until the owner has set their own password', async () => {
  const org1 = await loginAs(srv, 'ga_org1');
  const sec = await loginAs(srv, 'ga_sec');
  const r = await org1.post('/api/v1/users', { username: 'ga_fresh', password: 'Initial-Passw0rd-1' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const g = await sec.post(`/api/v1/users/${r.body.id}/grants`, { role: 'org_admin', org_id: 1 });
  assert.equal(g.status, 409, JSON.stringify(g.body));
  assert.match(g.body.error.message, /本人尚未修改/);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM pending_actions WHERE user_id = ${r.body.id}`).trim(), '0');
  // a non-privileged role acts at once
  const p = await sec.post(`/api/v1/users/${r.body.id}/grants`, { role: 'party_worker', org_id: 1 });
  assert.equal(p.status, 201, JSON.stringify(p.body));
  // once the owner has changed it, the privileged grant can be asked for
  const owner = await loginAs(srv, 'ga_fresh', 'Initial-Passw0rd-1');
  assert.equal((await owner.post('/api/v1/auth/password',
    { old_password: 'Initial-Passw0rd-1', new_password: 'Owner-Own-Passw0rd-2' })).status, 200);
  const g2 = await sec.post(`/api/v1/users/${r.body.id}/grants`, { role: 'org_admin', org_id: 1 });
  assert.equal(g2.status, 202, JSON.stringify(g2.body));
});

test('a grant is not confirmed after the password changed since the request', async () => {
  const org1 = await loginAs(srv, 'ga_org1');
  const org2 = await loginAs(srv, 'ga_org2');
  const sec = await loginAs(srv, 'ga_sec');
  const sec2 = await loginAs(srv, 'ga_sec2');
  let r = await org1.post('/api/v1/users', { username: 'ga_hire', password: 'Initial-Passw0rd-1' });
  const uid = r.body.id;
  const owner = await loginAs(srv, 'ga_hire', 'Initial-Passw0rd-1');
  assert.equal((await owner.post('/api/v1/auth/password',
    { old_password: 'Initial-Passw0rd-1', new_password: 'Owner-Own-Passw0rd-2' })).status, 200);
  await sleep(1100);
  r = await sec.post(`/api/v1/users/${uid}/grants`, { role: 'org_admin', org_id: 1 });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  const approval = r.body.approval_id;
  await sleep(1100);
  // the account is privileged while the grant waits: its reset waits too
  const reset = await org1.patch(`/api/v1/users/${uid}`, { password: 'Reset-Known-Passw0rd-3' });
  assert.equal(reset.status, 202, JSON.stringify(reset.body));
  assert.equal((await org2.post(`/api/v1/approvals/${reset.body.approval_id}/confirm`)).status, 200);
  // whoever knows the reset password sets a new one of its own
  const c = new Client(srv.url);
  assert.equal((await c.login('ga_hire', 'Reset-Known-Passw0rd-3')).status, 200);
  assert.equal((await c.post('/api/v1/auth/password',
    { old_password: 'Reset-Known-Passw0rd-3', new_password: 'Taker-Own-Passw0rd-4' })).status, 200);
  const conf = await sec2.post(`/api/v1/approvals/${approval}/confirm`);
  assert.equal(conf.status, 409, JSON.stringify(conf.body));
  assert.match(conf.body.error.message, /申请提出后已更改/);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM grants WHERE user_id = ${uid} AND role_id = 'org_admin'`).trim(), '0');
});
