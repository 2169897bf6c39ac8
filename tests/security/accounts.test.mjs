// Attacks on accounts: 三员分立 and grants, dual control, resets and the
// forced password change, API token lifetime, the password policy, login
// throttles that neither reveal names nor let one address lock a real
// user out, linking accounts to members, and logout without the CSRF token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli, Client, ADMIN_PASSWORD } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

const PW = 'Test-Passw0rd-1';
let srv, adm, town, A, B, memberA, memberB;

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let seq = 300;
function makeId(birth) {
  seq += 2;
  const body = '110105' + birth.replaceAll('-', '') + String(seq % 1000).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i];
  return body + '10X98765432'[sum % 11];
}

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

async function mkMember(org, name) {
  const r = await adm.post('/api/v1/members', {
    org_id: org, name, id_number: makeId('1985-06-15'), join_date: '2010-07-01', category: 'full', full_date: '2011-07-01',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** Create an account via the API as sys and return its id. */
async function apiUser(sys, username, password = 'Start-Passw0rd-5', extra = {}) {
  const r = await sys.post('/api/v1/users', { username, password, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

/** An account created via the API whose owner has logged in and set their
 *  own password (a privileged grant needs that). */
async function ownedUser(sys, username) {
  const id = await apiUser(sys, username);
  const owner = await loginAs(srv, username, 'Start-Passw0rd-5');
  const r = await owner.post('/api/v1/auth/password', { old_password: 'Start-Passw0rd-5', new_password: 'Owner-Chosen-Passw0rd-8' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return id;
}

function userId(name) {
  return Number(sql(srv.db, `SELECT id FROM users WHERE username = '${name}'`).trim());
}

before(async () => {
  srv = await startServer({ env: { ZHIBU_TRUST_PROXY: '1', ZHIBU_IP_FAIL_LIMIT: '1000' } });
  adm = await admin(srv);
  town = await mkOrg(1, '安全测试镇党委', 'committee');
  A = await mkOrg(town, '甲村党支部', 'branch');
  B = await mkOrg(town, '乙村党支部', 'branch');
  memberA = await mkMember(A, '张甲');
  memberB = await mkMember(B, '李乙');
  addUser(srv, 'sys1', 'sys_admin', 1);
  addUser(srv, 'sec1', 'sec_admin', 1);
  addUser(srv, 'sec2', 'sec_admin', 1);
  addUser(srv, 'aud1', 'audit_admin', 1);
  addUser(srv, 'orga', 'org_admin', A);
  addUser(srv, 'orgt', 'org_admin', town);
  addUser(srv, 'orgt2', 'org_admin', town);
});
after(async () => { await srv?.stop(); });

// ---- 三员分立 ----------------------------------------------------------

test('administrator roles exclude each other and business roles, through the API and the CLI', async () => {
  const sec = await loginAs(srv, 'sec1');
  // an account holding a business role cannot become an administrator
  addUser(srv, 'pw1', 'party_worker', A);
  // (administrator roles are never granted through the API at all)
  const r1 = await sec.post(`/api/v1/users/${userId('pw1')}/grants`, { role: 'audit_admin', org_id: 1 });
  assert.equal(r1.status, 403, JSON.stringify(r1.body));
  assert.match(r1.body.error.message, /管理员角色不能通过接口授予/);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM pending_actions WHERE user_id = ${userId('pw1')}`).trim(), '0');
  const c0 = cli(['user', 'grant', 'pw1', '--db', srv.db, '--role', 'audit_admin', '--org', '1'], srv.env);
  assert.notEqual(c0.code, 0);
  assert.match(c0.stderr, /三员分立/);
  // nor an administrator another administrator (the CLI too)
  const c1 = cli(['user', 'grant', 'aud1', '--db', srv.db, '--role', 'sec_admin', '--org', '1'], srv.env);
  assert.notEqual(c1.code, 0);
  assert.match(c1.stderr, /三员分立/);
  const c2 = cli(['user', 'grant', 'sys1', '--db', srv.db, '--role', 'org_admin', '--org', String(A)], srv.env);
  assert.notEqual(c2.code, 0);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM grants WHERE user_id = ${userId('sys1')}`).trim(), '1');
  // business roles combine
  const c3 = cli(['user', 'grant', 'pw1', '--db', srv.db, '--role', 'party_worker', '--org', String(B)], srv.env);
  assert.equal(c3.code, 0, c3.stderr);
});

test('nobody grants a role to themselves', async () => {
  const sec = await loginAs(srv, 'sec1');
  const r = await sec.post(`/api/v1/users/${userId('sec1')}/grants`, { role: 'party_worker', org_id: A });
  assert.equal(r.status, 403);
  assert.match(r.body.error.message, /自己/);
});

test('sec_admin cannot grant to an account that holds an administrator role', async () => {
  const sec = await loginAs(srv, 'sec1');
  for (const [who, role] of [['sys1', 'sys_admin'], ['aud1', 'audit_admin'], ['sec2', 'sec_admin']]) {
    const r = await sec.post(`/api/v1/users/${userId(who)}/grants`, { role, org_id: town });
    assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /管理员角色/);
  }
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM pending_actions WHERE user_id = ${userId('sys1')}`).trim(), '0');
  // nor remove a fellow administrator (the auditor, the second approver)
  for (const who of ['aud1', 'sec2']) {
    const gid = sql(srv.db, `SELECT id FROM grants WHERE user_id = ${userId(who)}`).trim();
    const r = await sec.del(`/api/v1/grants/${gid}`);
    assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
    assert.equal(sql(srv.db, `SELECT COUNT(*) FROM grants WHERE id = ${gid}`).trim(), '1');
  }
  // the operator's CLI is the path for administrators, and it is audited
  addUser(srv, 'aud9', 'audit_admin', 1);
  const rv = cli(['user', 'revoke', 'aud9', '--db', srv.db, '--role', 'audit_admin', '--org', '1'], srv.env);
  assert.equal(rv.code, 0, rv.stderr);
  assert.match(sql(srv.db, `SELECT detail FROM audit_log WHERE action = 'grant.delete' AND object_id = '${userId('aud9')}'`), /"source":"cli"/);
});

test('sys_admin cannot reset the password of an account holding a role it does not hold', async () => {
  const sys = await loginAs(srv, 'sys1');
  addUser(srv, 'worker2', 'party_worker', A);
  for (const who of ['orga', 'worker2', 'sec1', 'aud1']) {
    const r = await sys.patch(`/api/v1/users/${userId(who)}`, { password: 'Other-Passw0rd-3' });
    assert.equal(r.status, 403, `${who}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, /不具备的角色/);
  }
  // the old password still works
  await loginAs(srv, 'worker2');
  // nor can it disable (or re-enable) such an account
  for (const disabled of [true, false]) {
    const d = await sys.patch(`/api/v1/users/${userId('orga')}`, { disabled });
    assert.equal(d.status, 403, JSON.stringify(d.body));
  }
  assert.equal(sql(srv.db, `SELECT disabled FROM users WHERE username = 'orga'`).trim(), '0');
  // nor its own through the account route
  const self = await sys.patch(`/api/v1/users/${userId('sys1')}`, { password: 'Other-Passw0rd-3' });
  assert.equal(self.status, 403);
  // an org_admin cannot reset an administrator either
  const orgt = await loginAs(srv, 'orgt');
  const r = await orgt.patch(`/api/v1/users/${userId('aud1')}`, { password: 'Other-Passw0rd-3' });
  assert.ok([403, 404].includes(r.status), `got ${r.status}`);
});

// ---- dual control --------------------------------------------------------

test('a grant of org_admin waits for a second administrator who holds role.grant', async () => {
  const sys = await loginAs(srv, 'sys1');
  const uid = await ownedUser(sys, 'boss1');
  const sec = await loginAs(srv, 'sec1');
  const r = await sec.post(`/api/v1/users/${uid}/grants`, { role: 'org_admin', org_id: A });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  assert.equal(r.body.pending, true);
  const id = r.body.approval_id;
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM grants WHERE user_id = ${uid}`).trim(), '0', 'no grant before confirmation');
  // the requester cannot confirm it
  const own = await sec.post(`/api/v1/approvals/${id}/confirm`);
  assert.equal(own.status, 403);
  // somebody without role.grant cannot see or confirm it
  const orgt = await loginAs(srv, 'orgt');
  const list0 = await orgt.get('/api/v1/approvals');
  assert.ok(!list0.body.items.some((x) => x.id === id));
  assert.equal((await orgt.post(`/api/v1/approvals/${id}/confirm`)).status, 404);
  const aud = await loginAs(srv, 'aud1');
  assert.equal((await aud.post(`/api/v1/approvals/${id}/confirm`)).status, 403);
  // the second security administrator sees and confirms it
  const sec2 = await loginAs(srv, 'sec2');
  const list = await sec2.get('/api/v1/approvals');
  assert.equal(list.status, 200);
  assert.equal(list.body.dual_control, true);
  const item = list.body.items.find((x) => x.id === id);
  assert.equal(item.kind, 'grant');
  assert.equal(item.role, 'org_admin');
  assert.equal(item.requested_by_name, 'sec1');
  const ok = await sec2.post(`/api/v1/approvals/${id}/confirm`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(sql(srv.db, `SELECT role_id FROM grants WHERE user_id = ${uid}`).trim(), 'org_admin');
  assert.equal((await sec2.post(`/api/v1/approvals/${id}/confirm`)).status, 409, 'confirmed once only');
  // a non-privileged grant takes effect at once
  const uid2 = await apiUser(sys, 'plain1');
  const p = await sec.post(`/api/v1/users/${uid2}/grants`, { role: 'party_worker', org_id: A });
  assert.equal(p.status, 201);
  // a rejected request never takes effect
  const uid3 = await ownedUser(sys, 'boss3');
  const r3 = await sec.post(`/api/v1/users/${uid3}/grants`, { role: 'org_admin', org_id: B });
  assert.equal(r3.status, 202);
  assert.equal((await sec2.post(`/api/v1/approvals/${r3.body.approval_id}/reject`)).status, 200);
  assert.equal((await sec2.post(`/api/v1/approvals/${r3.body.approval_id}/confirm`)).status, 409);
  assert.equal(sql(srv.db, `SELECT COUNT(*) FROM grants WHERE user_id = ${uid3}`).trim(), '0');
  const audit = sql(srv.db, "SELECT action FROM audit_log WHERE action IN ('grant.request','grant.create','approval.reject')");
  for (const a of ['grant.request', 'grant.create', 'approval.reject']) assert.match(audit, new RegExp(a.replace('.', '\\.')));
});

test('a reset of a privileged account waits for a second administrator; the first cannot confirm it', async () => {
  addUser(srv, 'orga2', 'org_admin', A);
  const orgt = await loginAs(srv, 'orgt');
  const r = await orgt.patch(`/api/v1/users/${userId('orga2')}`, { password: 'Reset-Passw0rd-4' });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  // not yet: the old password still works, the new one does not
  await loginAs(srv, 'orga2');
  assert.equal((await new Client(srv.url).login('orga2', 'Reset-Passw0rd-4')).status, 401);
  assert.equal((await orgt.post(`/api/v1/approvals/${r.body.approval_id}/confirm`)).status, 403);
  // the target itself cannot confirm its own reset
  const self = await loginAs(srv, 'orga2');
  assert.equal((await self.post(`/api/v1/approvals/${r.body.approval_id}/confirm`)).status, 403);
  const orgt2 = await loginAs(srv, 'orgt2');
  const ok = await orgt2.post(`/api/v1/approvals/${r.body.approval_id}/confirm`);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const c = await loginAs(srv, 'orga2', 'Reset-Passw0rd-4');
  const me = await c.get('/api/v1/auth/me');
  assert.equal(me.body.user.must_change_password, true);
  // a party worker's reset is not privileged: at once
  const w = await orgt.patch(`/api/v1/users/${userId('worker2')}`, { password: 'Reset-Passw0rd-4' });
  assert.equal(w.status, 200, JSON.stringify(w.body));
});

test('dual control can be turned off only with a recorded reason', async () => {
  const no = cli(['user', 'dual-control', 'off', '--db', srv.db], srv.env);
  assert.notEqual(no.code, 0);
  assert.match(no.stderr, /理由/);
  const off = cli(['user', 'dual-control', 'off', '--db', srv.db, '--reason', '本单位只有一名管理员'], srv.env);
  assert.equal(off.code, 0, off.stderr);
  try {
    assert.equal(sql(srv.db, "SELECT value FROM settings WHERE key = 'dual_control'").trim(), '0');
    assert.match(sql(srv.db, "SELECT detail FROM audit_log WHERE action = 'settings.dual_control'"), /本单位只有一名管理员/);
    const sys = await loginAs(srv, 'sys1');
    const uid = await ownedUser(sys, 'boss4');
    const sec = await loginAs(srv, 'sec1');
    const r = await sec.post(`/api/v1/users/${uid}/grants`, { role: 'org_admin', org_id: A });
    assert.equal(r.status, 201, 'direct when dual control is off');
    assert.equal((await sec.get('/api/v1/approvals')).body.dual_control, false);
  } finally {
    const on = cli(['user', 'dual-control', 'on', '--db', srv.db], srv.env);
    assert.equal(on.code, 0, on.stderr);
  }
});

// ---- forced change after a reset ------------------------------------------

test('a reset password must be changed before anything else', async () => {
  addUser(srv, 'worker3', 'party_worker', A);
  const orga = await loginAs(srv, 'orga');
  const before = await loginAs(srv, 'worker3');
  const r = await orga.patch(`/api/v1/users/${userId('worker3')}`, { password: 'Temp-Passw0rd-8' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal((await before.get('/api/v1/auth/me')).status, 401, 'sessions end at a reset');
  const c = await loginAs(srv, 'worker3', 'Temp-Passw0rd-8');
  const me = await c.get('/api/v1/auth/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.must_change_password, true);
  assert.deepEqual(me.body.user.perms, []);
  for (const [m, p, b] of [['GET', `/api/v1/orgs/${A}`], ['GET', `/api/v1/members?org=${A}`], ['GET', '/api/v1/roles'],
    ['GET', '/api/v1/approvals'], ['POST', '/api/v1/orgs', { parent_id: A, name: 'x', type: 'group' }]]) {
    const x = await c.req(m, p, b);
    assert.ok([403, 404].includes(x.status), `${m} ${p}: ${x.status}`);
  }
  const ch = await c.post('/api/v1/auth/password', { old_password: 'Temp-Passw0rd-8', new_password: 'Mine-Passw0rd-22' });
  assert.equal(ch.status, 200, JSON.stringify(ch.body));
  assert.equal((await c.get(`/api/v1/orgs/${A}`)).status, 200, 'the same session works once changed');
  assert.equal((await c.get('/api/v1/auth/me')).body.user.must_change_password, false);
  // logout is reachable too while a change is due
  const r2 = await orga.patch(`/api/v1/users/${userId('worker3')}`, { password: 'Temp-Passw0rd-9' });
  assert.equal(r2.status, 200);
  const c2 = await loginAs(srv, 'worker3', 'Temp-Passw0rd-9');
  assert.equal((await c2.post('/api/v1/auth/logout')).status, 200);
  // the operator's reset on the server can ask for the same
  const p = cli(['user', 'passwd', 'worker3', '--db', srv.db, '--temporary'], { ...srv.env, ZHIBU_PASSWORD: 'Temp-Passw0rd-7' });
  assert.equal(p.code, 0, p.stderr);
  const c3 = await loginAs(srv, 'worker3', 'Temp-Passw0rd-7');
  assert.equal((await c3.get('/api/v1/auth/me')).body.user.must_change_password, true);
  assert.equal((await c3.get(`/api/v1/orgs/${A}`)).status, 403);
});

// ---- API tokens ---------------------------------------------------------------

test('API tokens expire (90 days by default, --days at creation) and die with a password change or reset', async () => {
  addUser(srv, 'tokuser', 'party_worker', A);
  const t = cli(['user', 'token', 'tokuser', '--db', srv.db], srv.env);
  assert.equal(t.code, 0, t.stderr);
  const tok = t.stdout.trim();
  const row = sql(srv.db, `SELECT expires_at - created_at FROM api_tokens WHERE prefix = '${tok.slice(0, 10)}'`).trim();
  assert.equal(Number(row), 90 * 86400);
  const t7 = cli(['user', 'token', 'tokuser', '--db', srv.db, '--days', '7'], srv.env);
  assert.equal(Number(sql(srv.db, `SELECT expires_at - created_at FROM api_tokens WHERE prefix = '${t7.stdout.trim().slice(0, 10)}'`).trim()), 7 * 86400);
  assert.notEqual(cli(['user', 'token', 'tokuser', '--db', srv.db, '--days', '0'], srv.env).code, 0);
  assert.notEqual(cli(['user', 'token', 'tokuser', '--db', srv.db, '--days', '9999'], srv.env).code, 0);
  const b = new Client(srv.url);
  b.bearer = tok;
  assert.equal((await b.get(`/api/v1/orgs/${A}`)).status, 200);
  // past its expiry it is refused
  const b7 = new Client(srv.url);
  b7.bearer = t7.stdout.trim();
  sql(srv.db, `UPDATE api_tokens SET expires_at = created_at - 1 WHERE prefix = '${t7.stdout.trim().slice(0, 10)}'`);
  assert.equal((await b7.get(`/api/v1/orgs/${A}`)).status, 401);
  // the owner changes the password: every token dies
  const c = await loginAs(srv, 'tokuser');
  const ch = await c.post('/api/v1/auth/password', { old_password: PW, new_password: 'Next-Passw0rd-31' });
  assert.equal(ch.status, 200, JSON.stringify(ch.body));
  assert.equal((await b.get(`/api/v1/orgs/${A}`)).status, 401);
  // an administrator's reset too
  const t2 = cli(['user', 'token', 'tokuser', '--db', srv.db], srv.env);
  const b2 = new Client(srv.url);
  b2.bearer = t2.stdout.trim();
  assert.equal((await b2.get(`/api/v1/orgs/${A}`)).status, 200);
  const orga = await loginAs(srv, 'orga');
  assert.equal((await orga.patch(`/api/v1/users/${userId('tokuser')}`, { password: 'Temp-Passw0rd-8' })).status, 200);
  assert.equal((await b2.get(`/api/v1/orgs/${A}`)).status, 401);
});

// ---- password policy ----------------------------------------------------------

test('passwords: 8 characters, 3 classes, no username, not common, not one of the last 5', async () => {
  addUser(srv, 'policy', 'party_worker', A);
  const c = await loginAs(srv, 'policy');
  const cases = [
    ['Ab1!xyz', /至少需要 8 个字符/],
    ['abcdefgh12', /至少三类/],
    ['ABCDEFGH!!', /至少三类/],
    ['My-POLICY-9', /不能包含用户名/],
    ['Woaini1314', /常见/],
    ['Aa123456', /常见/],
    ['Aa123456!', /常见/],
    ['P@ssw0rd', /常见/],
    ['Qwe123!@#', /常见/],
  ];
  for (const [pw, re] of cases) {
    const r = await c.post('/api/v1/auth/password', { old_password: PW, new_password: pw });
    assert.equal(r.status, 400, `${pw}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'new_password');
    assert.match(r.body.error.message, re, pw);
  }
  // the same rules when an administrator creates an account
  const sys = await loginAs(srv, 'sys1');
  const w = await sys.post('/api/v1/users', { username: 'weakling', password: 'qwe123' });
  assert.equal(w.status, 400);
  assert.equal(w.body.error.field, 'password');
  // history: the current password and the 4 before it are refused
  const seqPw = ['Hist-Passw0rd-1', 'Hist-Passw0rd-2', 'Hist-Passw0rd-3', 'Hist-Passw0rd-4', 'Hist-Passw0rd-5'];
  let cur = PW;
  for (const p of seqPw) {
    const r = await c.post('/api/v1/auth/password', { old_password: cur, new_password: p });
    assert.equal(r.status, 200, `${p}: ${JSON.stringify(r.body)}`);
    cur = p;
  }
  for (const p of seqPw) {
    const r = await c.post('/api/v1/auth/password', { old_password: cur, new_password: p });
    assert.equal(r.status, 400, p);
    assert.match(r.body.error.message, /最近 5 次/);
  }
  // the sixth back is allowed again
  const r = await c.post('/api/v1/auth/password', { old_password: cur, new_password: PW });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(Number(sql(srv.db, `SELECT COUNT(*) FROM password_history WHERE user_id = ${userId('policy')}`).trim()), 5);
});

test('wrong old passwords count toward the lockout', async () => {
  addUser(srv, 'oldpw', 'party_worker', A);
  const c = await loginAs(srv, 'oldpw');
  const codes = [];
  for (let i = 0; i < 5; i++) codes.push((await c.post('/api/v1/auth/password', { old_password: `Wrong-Passw0rd-${i}`, new_password: 'Fine-Passw0rd-77' })).status);
  assert.deepEqual(codes, [400, 400, 400, 400, 423]);
  assert.equal((await c.get('/api/v1/auth/me')).status, 401, 'the session that guessed ends');
  const again = await new Client(srv.url).login('oldpw', PW);
  assert.equal(again.status, 423);
});

// ---- lockout without revealing names ---------------------------------------------

function from(ip) {
  const c = new Client(srv.url);
  const req = c.req.bind(c);
  c.req = (m, p, b, o = {}) => req(m, p, b, { ...o, headers: { ...(o.headers || {}), 'X-Forwarded-For': ip } });
  return c;
}

test('locked and unknown names answer alike; five failures from one address do not lock the owner out', async () => {
  addUser(srv, 'victim', 'party_worker', A);
  const atk = from('203.0.113.7');
  const seen = {};
  for (const name of ['victim', 'ghost-user']) {
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await atk.login(name, `Guess-Passw0rd-${i}`)).status);
    const sixth = await atk.login(name, 'Guess-Passw0rd-x');
    seen[name] = { codes, status: sixth.status, body: JSON.stringify(sixth.body) };
  }
  assert.deepEqual(seen.victim.codes, [401, 401, 401, 401, 423]);
  assert.deepEqual(seen['ghost-user'], seen.victim, 'an unknown name answers exactly like a locked real one');
  // the owner, from another address, logs in
  const own = await from('198.51.100.20').login('victim', PW);
  assert.equal(own.status, 200, JSON.stringify(own.body));
});

test('failures from many addresses slow a name down for everybody, real or not, before any hard lock', async () => {
  addUser(srv, 'target2', 'party_worker', A);
  const seen = {};
  for (const name of ['target2', 'nobody-2']) {
    const codes = [];
    for (let i = 0; i < 10; i++) codes.push((await from(`192.0.2.${10 + Math.floor(i / 4)}`).login(name, 'Guess-Passw0rd-0')).status);
    const next = await from('192.0.2.99').login(name, name === 'target2' ? PW : 'Guess-Passw0rd-0');
    seen[name] = { codes, status: next.status, code: next.body.error?.code };
  }
  assert.deepEqual(seen.target2.codes, Array(10).fill(401));
  assert.equal(seen.target2.status, 429);
  assert.match(String(seen.target2.code), /rate_limited/);
  assert.deepEqual(seen['nobody-2'], seen.target2);
  // an administrator's unlock clears the name
  const orga = await loginAs(srv, 'orga');
  assert.equal((await orga.patch(`/api/v1/users/${userId('target2')}`, { unlock: true })).status, 200);
  assert.equal((await from('192.0.2.99').login('target2', PW)).status, 200);
});

// ---- accounts and members ----------------------------------------------------------

test('linking an account to a member needs the member inside the caller\'s scope; member grants follow the member', async () => {
  const orga = await loginAs(srv, 'orga');
  const out = await orga.post('/api/v1/users', { username: 'linkb', password: 'Start-Passw0rd-5', member_id: memberB });
  assert.equal(out.status, 404, JSON.stringify(out.body));
  const none = await orga.post('/api/v1/users', { username: 'linkx', password: 'Start-Passw0rd-5', member_id: 999999 });
  assert.equal(none.status, 404);
  assert.equal(sql(srv.db, "SELECT COUNT(*) FROM users WHERE username IN ('linkb','linkx')").trim(), '0');
  // a system administrator reads no member data, so it links no member either
  const sysc = await loginAs(srv, 'sys1');
  const bySys = await sysc.post('/api/v1/users', { username: 'links', password: 'Start-Passw0rd-5', member_id: memberA });
  assert.equal(bySys.status, 404);
  const ok = await orga.post('/api/v1/users', { username: 'linka', password: 'Start-Passw0rd-5', member_id: memberA });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const sec = await loginAs(srv, 'sec1');
  const wrongOrg = await sec.post(`/api/v1/users/${ok.body.id}/grants`, { role: 'member', org_id: B });
  assert.equal(wrongOrg.status, 400);
  assert.equal(wrongOrg.body.error.field, 'org_id');
  assert.match(wrongOrg.body.error.message, /甲村党支部/);
  const right = await sec.post(`/api/v1/users/${ok.body.id}/grants`, { role: 'member', org_id: A });
  assert.equal(right.status, 201, JSON.stringify(right.body));
  const sys = await loginAs(srv, 'sys1');
  const unlinked = await apiUser(sys, 'unlinked1');
  const r = await sec.post(`/api/v1/users/${unlinked}/grants`, { role: 'member', org_id: A });
  assert.equal(r.status, 400);
  assert.match(r.body.error.message, /没有关联党员/);
});

// ---- logout and CSRF ------------------------------------------------------------------

test('logout needs the CSRF token like every other write', async () => {
  const c = await loginAs(srv, 'orga');
  const forged = await c.post('/api/v1/auth/logout', undefined, { csrf: false });
  assert.equal(forged.status, 403);
  assert.equal(forged.body.error.code, 'csrf_failed');
  assert.equal((await c.get('/api/v1/auth/me')).status, 200, 'a cross-site logout does not end the session');
  assert.equal((await c.post('/api/v1/auth/logout')).status, 200);
  assert.equal((await c.get('/api/v1/auth/me')).status, 401);
  void ADMIN_PASSWORD;
});
