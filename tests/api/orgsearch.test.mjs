// GET /api/v1/orgs/search: by any part of the name, by code, within scope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs } from './lib.mjs';

let srv, adm, east, west, a1, b1;

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const mk = async (parent_id, name, type, code) =>
    (await adm.post('/api/v1/orgs', { parent_id, name, type, ...(code ? { code } : {}) })).body.id;
  east = await mk(1, '中共东镇委员会', 'committee');
  west = await mk(1, '中共西镇委员会', 'committee');
  a1 = await mk(east, '中共东镇桃园村支部委员会', 'branch', 'DZ-TY');
  b1 = await mk(west, '中共西镇桃园社区支部委员会', 'branch', 'XZ-TY');
});
after(async () => { await srv?.stop(); });

test('finds orgs by any part of the name and by code', async () => {
  const r = await adm.get('/api/v1/orgs/search?q=' + encodeURIComponent('桃园'));
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.items.map((o) => o.id).sort(), [a1, b1].sort());
  assert.equal(r.body.items.find((o) => o.id === a1).parent_name, '中共东镇委员会');
  const c = await adm.get('/api/v1/orgs/search?q=XZ-TY');
  assert.deepEqual(c.body.items.map((o) => o.id), [b1]);
  const u = await adm.get(`/api/v1/orgs/search?q=${encodeURIComponent('桃园')}&under=${east}`);
  assert.deepEqual(u.body.items.map((o) => o.id), [a1]);
});

test('LIKE wildcards in the query are literal', async () => {
  for (const q of ['%', '_', '桃%园']) {
    const r = await adm.get('/api/v1/orgs/search?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    assert.equal(r.body.items.length, 0, `q=${q} matched ${r.body.items.length}`);
  }
});

test('search stays inside the caller subtrees', async () => {
  addUser(srv, 'eastadm', 'org_admin', east);
  const c = await loginAs(srv, 'eastadm');
  const r = await c.get('/api/v1/orgs/search?q=' + encodeURIComponent('桃园'));
  assert.deepEqual(r.body.items.map((o) => o.id), [a1]);
  const x = await c.get(`/api/v1/orgs/search?q=${encodeURIComponent('桃园')}&under=${west}`);
  assert.equal(x.status, 404);
  assert.equal(x.body.error.field, 'under');
  const e = await c.get('/api/v1/orgs/search?q=');
  assert.equal(e.status, 400);
  assert.equal(e.body.error.field, 'q');
});
