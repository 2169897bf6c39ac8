// Revocation against the principal cache (auth/pcache.h): every node keeps
// sessions' and tokens' principals in memory, so each change of who may do
// what is made while the principal is cached on every node (a request on
// each node first), and then its effect must be seen on every node.  The
// 1.5 s is a deadline for polling, not a measurement: the cache promises
// one second.  One node always (SQLite, or PostgreSQL in the PG layer);
// two nodes on one PostgreSQL database when ZB_TEST_PG_DIR is set.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, cli, Client } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

const pg = !!process.env.ZB_TEST_PG_DIR;
const PW = 'Test-Passw0rd-1';
const DEADLINE_MS = 1500;

/** Poll path on every client until it answers `want`, or fail at the deadline. */
async function seenEverywhere(clients, path, want, what) {
  const deadline = Date.now() + DEADLINE_MS;
  for (const c of clients) {
    for (;;) {
      const r = await c.get(path);
      if (r.status === want) break;
      if (Date.now() > deadline) assert.fail(`${what}: ${c.url}${path} still answers ${r.status}, want ${want}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }
}

/** The same credentials, presented to another node. */
function on(node, c) {
  const d = new Client(node.url);
  d.cookie = c.cookie;
  d.csrf = c.csrf;
  d.bearer = c.bearer;
  return d;
}

function userId(srv, name) {
  return Number(sql(srv.db, `SELECT id FROM users WHERE username = '${name}'`).trim());
}

function token(srv, name) {
  const r = cli(['user', 'token', name, '--db', srv.db, '--name', 'revocation'], srv.env);
  assert.equal(r.code, 0, r.stderr);
  const id = Number(/id=(\d+)/.exec(r.stderr)[1]);
  return { tok: r.stdout.trim(), id };
}

function scenarios(label, twoNodes) {
  describe(label, { skip: twoNodes && !pg && 'needs PostgreSQL (ZB_TEST_PG_DIR)' }, () => {
    let a, b, nodes, adm, sec;
    let n = 0;
    /** A party worker at the root with a session and an API token, used once on every node. */
    async function victim() {
      const name = `rv${++n}`;
      addUser(a, name, 'party_worker', 1, PW);
      const s = await loginAs(a, name, PW);
      const t = new Client(a.url);
      const tk = token(a, name);
      t.bearer = tk.tok;
      const sessions = nodes.map((x) => on(x, s)), tokens = nodes.map((x) => on(x, t));
      // cached on every node now
      for (const c of [...sessions, ...tokens]) assert.equal((await c.get('/api/v1/orgs/1')).status, 200);
      return { name, id: userId(a, name), s, sessions, tokens, tokenId: tk.id };
    }

    before(async () => {
      a = await startServer();
      b = twoNodes ? await startServer({ db: a.db, keyFile: a.keyFile, dir: a.dir, init: false }) : null;
      nodes = b ? [a, b] : [a];
      adm = await admin(a);
      addUser(a, 'rvsec', 'sec_admin', 1, PW);
      sec = await loginAs(a, 'rvsec', PW);
    });
    after(async () => {
      if (b) await b.stop({ keep: true });
      await a.stop();
    });

    test('a grant revoked through the API', async () => {
      const v = await victim();
      const gid = sql(a.db, `SELECT id FROM grants WHERE user_id = ${v.id}`).trim();
      const r = await sec.del(`/api/v1/grants/${gid}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      // the session and the token live on, without the permission
      await seenEverywhere(v.sessions, '/api/v1/orgs/1', 403, 'API revoke, session');
      await seenEverywhere(v.tokens, '/api/v1/orgs/1', 403, 'API revoke, token');
      for (const c of v.sessions) assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    });

    test('a grant revoked with `zhibu user revoke` (another process)', async () => {
      const v = await victim();
      const r = cli(['user', 'revoke', v.name, '--db', a.db, '--role', 'party_worker', '--org', '1'], a.env);
      assert.equal(r.code, 0, r.stderr);
      await seenEverywhere(v.tokens, '/api/v1/orgs/1', 403, 'CLI revoke, token');
      await seenEverywhere(v.sessions, '/api/v1/auth/me', 401, 'CLI revoke, session');
    });

    test('a grant given while cached is seen too', async () => {
      const v = await victim();
      const org = await adm.post('/api/v1/orgs', { parent_id: 1, name: `撤销测试${n}`, type: 'committee' });
      assert.equal(org.status, 201);
      // a new grant at the new org shows on /auth/me
      const g = await sec.post(`/api/v1/users/${v.id}/grants`, { role: 'party_worker', org_id: org.body.id });
      assert.equal(g.status, 201, JSON.stringify(g.body));
      const deadline = Date.now() + DEADLINE_MS;
      for (const c of v.sessions) {
        for (;;) {
          const me = await c.get('/api/v1/auth/me');
          assert.equal(me.status, 200);
          if (me.body.user.grants.some((x) => x.org_id === org.body.id)) break;
          if (Date.now() > deadline) assert.fail(`the new grant is not on ${c.url}/api/v1/auth/me`);
          await new Promise((res) => setTimeout(res, 50));
        }
      }
    });

    test('a disabled account', async () => {
      const v = await victim();
      const r = await adm.patch(`/api/v1/users/${v.id}`, { disabled: true });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await seenEverywhere(v.sessions, '/api/v1/auth/me', 401, 'disabled, session');
      await seenEverywhere(v.tokens, '/api/v1/auth/me', 401, 'disabled, token');
    });

    test('a password changed by its owner ends the other sessions and the tokens', async () => {
      const v = await victim();
      const other = await loginAs(b || a, v.name, PW); // a second session, on the other node
      const others = nodes.map((x) => on(x, other));
      for (const c of others) assert.equal((await c.get('/api/v1/auth/me')).status, 200);
      const r = await v.s.post('/api/v1/auth/password', { old_password: PW, new_password: 'Next-Passw0rd-93' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await seenEverywhere(others, '/api/v1/auth/me', 401, 'password change, other session');
      await seenEverywhere(v.tokens, '/api/v1/auth/me', 401, 'password change, token');
      // the session that changed it goes on, everywhere
      for (const c of v.sessions) assert.equal((await c.get('/api/v1/auth/me')).status, 200);
    });

    test('a password reset by an administrator', async () => {
      const v = await victim();
      const r = await adm.patch(`/api/v1/users/${v.id}`, { password: 'Reset-Passw0rd-61' });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await seenEverywhere(v.sessions, '/api/v1/auth/me', 401, 'reset, session');
      await seenEverywhere(v.tokens, '/api/v1/auth/me', 401, 'reset, token');
    });

    test('a logout', async () => {
      const v = await victim();
      const copies = nodes.map((x) => on(x, v.s)); // v.s forgets its cookie on logout
      const r = await v.s.post('/api/v1/auth/logout');
      assert.equal(r.status, 200);
      await seenEverywhere(copies, '/api/v1/auth/me', 401, 'logout');
      // the token is not a session: it goes on
      for (const c of v.tokens) assert.equal((await c.get('/api/v1/orgs/1')).status, 200);
    });

    test('an API token revoked with `zhibu user token --revoke`', async () => {
      const v = await victim();
      const r = cli(['user', 'token', v.name, '--db', a.db, '--revoke', String(v.tokenId)], a.env);
      assert.equal(r.code, 0, r.stderr);
      await seenEverywhere(v.tokens, '/api/v1/auth/me', 401, 'token revoke');
      for (const c of v.sessions) assert.equal((await c.get('/api/v1/orgs/1')).status, 200);
    });

    test('a role whose permissions change', async () => {
      const v = await victim();
      const perms = sql(a.db, "SELECT perms FROM roles WHERE id = 'party_worker'").trim();
      assert.match(perms, /^[a-z.,]+$/);
      sql(a.db, "UPDATE roles SET perms = 'member.read' WHERE id = 'party_worker'");
      try {
        await seenEverywhere(v.sessions, '/api/v1/orgs/1', 403, 'role perms, session');
        await seenEverywhere(v.tokens, '/api/v1/orgs/1', 403, 'role perms, token');
      } finally {
        sql(a.db, `UPDATE roles SET perms = '${perms}' WHERE id = 'party_worker'`);
      }
      await seenEverywhere(v.sessions, '/api/v1/orgs/1', 200, 'role perms restored');
    });
  });
}

scenarios('one node', false);
scenarios('two nodes on one PostgreSQL database', true);
