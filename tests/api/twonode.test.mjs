// Two app nodes on one PostgreSQL database: sessions and writes are shared.
// Runs in the PostgreSQL layer (ZB_TEST_PG_DIR); SQLite is single-node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, admin, cli } from './lib.mjs';

const pg = !!process.env.ZB_TEST_PG_DIR;

test('two nodes share sessions and data', { skip: !pg && 'needs PostgreSQL (ZB_TEST_PG_DIR)' }, async () => {
  const a = await startServer();
  const b = await startServer({ db: a.db, keyFile: a.keyFile, dir: a.dir, init: false });
  try {
    const ca = await admin(a);
    // the session made on node A works on node B
    const cb = new Client(b.url);
    cb.cookie = ca.cookie;
    cb.csrf = ca.csrf;
    const me = await cb.get('/api/v1/auth/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, 'admin');
    // a write on B is read on A
    const w = await cb.post('/api/v1/orgs', { parent_id: 1, name: '双节点测试镇', type: 'committee' });
    assert.equal(w.status, 201);
    const r = await ca.get(`/api/v1/orgs/${w.body.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, '双节点测试镇');
    // logout on A ends the session on B
    await ca.post('/api/v1/auth/logout');
    assert.equal((await cb.get('/api/v1/auth/me')).status, 401);
    // concurrent writes on both nodes keep the audit chain intact
    const c1 = await admin(a), c2 = await admin(b);
    await Promise.all(Array.from({ length: 10 }, (_, i) =>
      (i % 2 ? c1 : c2).post('/api/v1/orgs', { parent_id: 1, name: `并发${i}`, type: 'committee' })));
    const kids = await c1.get('/api/v1/orgs/1/children');
    assert.ok(kids.body.items.length >= 11);
    const v = cli(['audit', 'verify', '--db', a.db], a.env);
    assert.equal(v.code, 0, v.stderr);
  } finally {
    await b.stop({ keep: true });
    await a.stop();
  }
});
