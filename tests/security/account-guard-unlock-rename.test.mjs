// PATCH /users/{id} runs the reset rule (zb_account_guard: hold
// every power of the target's grants) only for password and disabled.
// "unlock" and "display_name" go through for any account in scope:
//  - a system administrator clears the login lockout of the audit
//    administrator (or an 组织部管理员) after every few guesses, so the
//    lockout never stops an online guessing of their password;
//  - it renames a security administrator to "审计管理员", so the approval
//    queue and the audit trail's display names lie about who is who.
// Expected: 403 naming the role, as for a reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, Client } from '../api/lib.mjs';

let srv;
before(async () => {
  srv = await startServer();
  await admin(srv);
  addUser(srv, 'rt_sys', 'sys_admin', 1);
  addUser(srv, 'rt_aud', 'audit_admin', 1);
  addUser(srv, 'rt_sec', 'sec_admin', 1);
});
after(async () => { await srv?.stop(); });

async function idOf(sys, name) {
  const r = await sys.get('/api/v1/users?limit=200');
  return r.body.items.find((u) => u.username === name).id;
}

test('a sys_admin cannot clear the lockout of an account whose roles it does not hold', async () => {
  const sys = await loginAs(srv, 'rt_sys');
  const guess = new Client(srv.url);
  let last;
  for (let i = 0; i < 6; i++) last = await guess.login('rt_aud', `Guess-Passw0rd-${i}`);
  assert.equal(last.status, 423, 'locked after five wrong passwords from one address');
  const r = await sys.patch(`/api/v1/users/${await idOf(sys, 'rt_aud')}`, { unlock: true });
  assert.equal(r.status, 403, `unlock of the audit administrator by the system administrator: ${r.status} ${JSON.stringify(r.body)}`);
});

test('a sys_admin cannot rename the security administrator', async () => {
  const sys = await loginAs(srv, 'rt_sys');
  const r = await sys.patch(`/api/v1/users/${await idOf(sys, 'rt_sec')}`, { display_name: '审计管理员' });
  assert.equal(r.status, 403, `rename: ${r.status} ${JSON.stringify(r.body)}`);
});
