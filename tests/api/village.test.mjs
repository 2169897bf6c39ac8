// 驻村第一书记 and 驻村工作队 (docs/VILLAGE.md): the cadre registry (派出单位
// and cadres with the ID number and phone protected like a member's:
// masked without member.sensitive, in full only with it and audited),
// scoping of every route by the org that keeps the record.
// Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';
import { sql } from './sql.mjs';

let srv, adm, root, T1, V1, V2, T2, V3, town1, worker1, town2;

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}
async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '驻村东镇党委', 'committee');
  V1 = await mkOrg(T1, '驻村东一村党支部', 'branch');
  V2 = await mkOrg(T1, '驻村东二村党支部', 'branch');
  T2 = await mkOrg(root, '驻村西镇党委', 'committee');
  V3 = await mkOrg(T2, '驻村西村党支部', 'branch');
  addUser(srv, 'v_town1', 'org_admin', T1);
  addUser(srv, 'v_worker1', 'party_worker', T1);
  addUser(srv, 'v_town2', 'org_admin', T2);
  [town1, worker1, town2] = await Promise.all(['v_town1', 'v_worker1', 'v_town2'].map((n) => loginAs(srv, n)));
});

after(async () => { await srv?.stop(); });

test('the cadre registry: units and cadres, the ID number masked without member.sensitive', async () => {
  const unit = await ok(town1.post('/api/v1/dispatch-units',
    { org_id: T1, name: '县交通运输局', contact_name: '周联络', contact_phone: '13811112222' }), 201);
  assert.equal(unit.contact_phone, '138****2222');
  assert.equal(unit.cadres, 0);
  const id = withCheck('99010119880715123');
  const c = await ok(town1.post('/api/v1/cadres',
    { org_id: T1, name: '吴第一', id_number: id, phone: '13922223333', unit_id: unit.id, post: '副局长' }), 201);
  assert.equal(c.id_number, '*'.repeat(18));
  assert.equal(c.phone, '139****3333');
  assert.equal(c.gender, 'M');
  assert.equal(c.birth_date, '1988-07-15', 'org_admin holds member.sensitive: the exact birth date');
  assert.equal(c.unit_name, '县交通运输局');
  // in full with member.sensitive, audited
  const full = await ok(town1.get(`/api/v1/cadres/${c.id}?full=1`));
  assert.equal(full.id_number, id);
  assert.equal(full.phone, '13922223333');
  // a party worker (no member.sensitive): masked, the birth month only, no full view
  const seen = await ok(worker1.get(`/api/v1/cadres/${c.id}`));
  assert.equal(seen.id_number, '*'.repeat(18));
  assert.equal(seen.birth_date, '1988-07');
  assert.equal((await worker1.get(`/api/v1/cadres/${c.id}?full=1`)).status, 403);
  const wu = await ok(worker1.get(`/api/v1/dispatch-units/${unit.id}`));
  assert.equal(wu.contact_phone, '138****2222');
  assert.equal(wu.cadres, 1);
  assert.equal((await worker1.get(`/api/v1/dispatch-units/${unit.id}?full=1`)).status, 403);
  // the same person twice, a bad ID number: refused naming the field
  let r = await town1.post('/api/v1/cadres', { org_id: T1, name: '吴重复', id_number: id });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  r = await town1.post('/api/v1/cadres', { org_id: T1, name: '吴错号', id_number: '990101198807151230' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'id_number');
  // the lists: by unit, by name
  const list = await ok(worker1.get(`/api/v1/cadres?org=${T1}&unit=${unit.id}`));
  assert.deepEqual(list.items.map((x) => x.name), ['吴第一']);
  assert.ok(list.items.every((x) => x.id_number === '*'.repeat(18)));
  const units = await ok(worker1.get(`/api/v1/dispatch-units?org=${T1}`));
  assert.ok(units.items.some((u) => u.id === unit.id));
  // the audit trail keeps masked values only
  const trail = sql(srv.db, "SELECT detail FROM audit_log WHERE action = 'cadre.create'");
  assert.ok(trail.includes('吴第一') && !trail.includes(id) && !trail.includes('13922223333'));
});

test('scoping: another township neither reads nor names the records', async () => {
  const unit = await ok(town1.post('/api/v1/dispatch-units', { org_id: T1, name: '县水利局' }), 201);
  const c = await ok(town1.post('/api/v1/cadres', { org_id: V1, name: '郑队员', gender: '男', unit_id: unit.id }), 201);
  for (const p of [`/api/v1/cadres/${c.id}`, `/api/v1/dispatch-units/${unit.id}`, `/api/v1/cadres?org=${T1}`,
    `/api/v1/dispatch-units?org=${T1}`]) {
    const r = await town2.get(p);
    assert.equal(r.status, 404, `${p}: ${r.status}`);
  }
  // a cadre of town 2 cannot be sent from town 1's unit, nor kept at town 1
  let r = await town2.post('/api/v1/cadres', { org_id: V3, name: '冯干部', gender: 'M', unit_id: unit.id });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'unit_id');
  r = await town2.post('/api/v1/cadres', { org_id: V2, name: '冯干部', gender: 'M' });
  assert.equal(r.status, 404);
  r = await town2.post('/api/v1/dispatch-units', { org_id: T1, name: '县林业局' });
  assert.equal(r.status, 404);
  // town 2's own list has none of town 1's
  const own = await ok(town2.get(`/api/v1/cadres?org=${T2}`));
  assert.ok(!own.items.some((x) => x.id === c.id));
});
