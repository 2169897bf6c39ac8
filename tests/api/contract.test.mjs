// The contract: every route declares the shape of its answers, the
// OpenAPI document carries them, the test client holds every answer to
// them (tests/api/lib.mjs checkResponse), and the web app's typedefs are
// generated from the same document.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, admin, Client, openapiDoc, routeOf, schemaError, checkResponse, ROOT, BIN } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

const JSON_TYPE = 'application/json; charset=utf-8';

test('every route declares its success answer: a JSON schema, a media type or 204', () => {
  const doc = openapiDoc();
  const undeclared = [];
  let n = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      n++;
      const ok = Object.entries(op.responses || {}).filter(([s]) => /^2\d\d$/.test(s));
      const declared = ok.length && ok.every(([s, r]) => s === '204' || Object.keys(r.content || {}).length);
      if (!declared) undeclared.push(`${m.toUpperCase()} ${path}`);
      assert.deepEqual(op.responses.default?.content?.['application/json']?.schema, { $ref: '#/components/schemas/Error' },
        `${m.toUpperCase()} ${path}: errors are the Error shape`);
    }
  }
  assert.ok(n >= 80, `only ${n} routes in the document`);
  assert.deepEqual(undeclared, [], 'routes without a declared answer (add the last column ZB_OK(&shape) ... to the row)');
});

test('declared objects admit no undeclared key, and every $ref resolves', () => {
  const doc = openapiDoc();
  const open = [];
  const refs = new Set();
  const walk = (s, at) => {
    if (!s || typeof s !== 'object') return;
    if (s.$ref) refs.add(s.$ref);
    if (s.properties && Object.keys(s.properties).length && s.additionalProperties !== false) open.push(at);
    for (const [k, v] of Object.entries(s)) if (typeof v === 'object') walk(v, `${at}.${k}`);
  };
  walk(doc.components.schemas, 'components');
  walk(doc.paths, 'paths');
  assert.deepEqual(open, [], 'objects with listed properties must set additionalProperties: false');
  for (const r of refs) {
    assert.ok(doc.components.schemas[r.replace('#/components/schemas/', '')], `${r} does not resolve`);
  }
});

test('the served document is the one `zhibu openapi` prints', async () => {
  const r = await new Client(srv.url).get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, openapiDoc());
});

test('a request finds its route by method and pattern, the literal one first', () => {
  assert.equal(routeOf('GET', '/api/v1/members/export?org=1').pattern, '/api/v1/members/export');
  assert.equal(routeOf('GET', '/api/v1/members/12').pattern, '/api/v1/members/{id}');
  assert.equal(routeOf('GET', '/api/v1/orgs/search?q=x').pattern, '/api/v1/orgs/search');
  assert.equal(routeOf('PATCH', '/api/v1/members/3/designations/4').pattern, '/api/v1/members/{id}/designations/{did}');
  assert.equal(routeOf('PUT', '/api/v1/health'), null);
});

test('the check catches a missing key, a wrong type, a null, an undeclared key and an undeclared status', async () => {
  const c = await admin(srv);
  const me = await c.get('/api/v1/auth/me'); // checked on the way in
  assert.equal(me.status, 200);
  const path = '/api/v1/auth/me';
  const check = (body, status = 200) => () => checkResponse('GET', path, status, JSON_TYPE, body);
  assert.doesNotThrow(check(me.body));

  const missing = structuredClone(me.body);
  delete missing.user.must_change_password;
  assert.throws(check(missing), /required key "must_change_password" missing/);

  const wrongType = structuredClone(me.body);
  wrongType.user.id = String(wrongType.user.id);
  assert.throws(check(wrongType), /\$\.user\.id: .* is string, declared integer/);

  const nulled = structuredClone(me.body);
  nulled.user.username = null;
  assert.throws(check(nulled), /\$\.user\.username: null is null, declared string/);

  const extra = structuredClone(me.body);
  extra.user.grants[0].secret = 'x';
  assert.throws(check(extra), /\$\.user\.grants\[0\]: key "secret" not declared/);

  assert.throws(check(me.body, 201), /declares no 201 answer/);
  // the items of a list and a nullable key
  const list = await c.get('/api/v1/orgs');
  const bad = structuredClone(list.body);
  bad.items[0].parent_id = 'x';
  assert.throws(() => checkResponse('GET', '/api/v1/orgs', 200, JSON_TYPE, bad), /\$\.items\[0\]\.parent_id/);
  // a date that is not one
  const org = await c.get(`/api/v1/orgs/${list.body.items[0].id}`);
  const date = structuredClone(org.body);
  date.founded_on = '2024/01/01';
  assert.throws(() => checkResponse('GET', `/api/v1/orgs/${org.body.id}`, 200, JSON_TYPE, date), /not a date/);
});

test('error answers are held to the Error shape, non-JSON answers to their media type', async () => {
  const c = await admin(srv);
  const r = await c.get('/api/v1/members/999999');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
  assert.throws(() => checkResponse('GET', '/api/v1/members/1', 404, JSON_TYPE, { error: { code: 'not_found' } }),
    /not the Error shape: \$\.error: required key "message" missing/);
  assert.throws(() => checkResponse('GET', '/api/v1/members/1', 400, JSON_TYPE, { message: 'x' }), /not the Error shape/);
  // a JSON body where the route declares a file, and a file where it declares JSON
  assert.throws(() => checkResponse('GET', '/api/v1/meetings/1/print', 200, JSON_TYPE, {}), /declares no JSON answer/);
  assert.throws(() => checkResponse('GET', '/api/v1/health', 200, 'text/html', Buffer.from('x')), /declares a JSON answer/);
  assert.doesNotThrow(() => checkResponse('GET', '/api/v1/meetings/1/print', 200, 'text/html; charset=utf-8', Buffer.from('x')));
});

test('schemaError: anyOf, maps and any-value keys', () => {
  const doc = { components: { schemas: { A: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false } } } };
  const s = { anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'null' }] };
  assert.equal(schemaError(s, null, '$', doc), null);
  assert.equal(schemaError(s, { x: 1 }, '$', doc), null);
  assert.match(schemaError(s, { x: 1.5 }, '$', doc), /declared integer/);
  const map = { type: 'object', properties: {}, required: [], additionalProperties: { type: 'integer' } };
  assert.equal(schemaError(map, { a: 1, b: 2 }, '$', doc), null);
  assert.match(schemaError(map, { a: 'x' }, '$', doc), /\$\.a/);
  assert.equal(schemaError({ type: 'object', additionalProperties: {} }, { a: [1, { b: null }] }, '$', doc), null);
});

test('web/src/api-types.js is generated from this document and is up to date', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'web/scripts/api-types.mjs'), '--check'],
    { env: { ...process.env, ZHIBU_BIN: BIN }, stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, r.stderr.toString());
});
