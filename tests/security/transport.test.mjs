// The transport as an attacker uses it: a JSON route fed a text/plain
// form (login CSRF), a spoofed X-Forwarded-For behind an appending proxy,
// and one address holding every connection.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, admin, addUser, loginAs, ADMIN_PASSWORD } from '../api/lib.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
async function server(env = {}) {
  const s = await startServer({ env });
  servers.push(s);
  return s;
}

test('a JSON route refuses a body that does not say it is JSON (no login from a cross-site form)', async () => {
  const srv = await server();
  const body = JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD });
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', null]) {
    const headers = type ? { 'Content-Type': type } : {};
    const r = await fetch(`${srv.url}/api/v1/auth/login`, { method: 'POST', headers, body });
    assert.equal(r.status, 415, `${type}: ${r.status}`);
    assert.equal(r.headers.get('set-cookie'), null, `${type}: no session`);
    assert.equal((await r.json()).error.code, 'unsupported_media_type');
  }
  const ok = await fetch(`${srv.url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body });
  assert.equal(ok.status, 200);
});

test('behind a trusted proxy the client address is the last X-Forwarded-For entry, the one the proxy wrote', async () => {
  const srv = await server({ ZHIBU_TRUST_PROXY: '1' });
  const adm = await admin(srv);
  const root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  addUser(srv, 'xffaudit', 'audit_admin', root);
  const aud = await loginAs(srv, 'xffaudit');
  // a presented but unknown token is an audited denial naming the address
  const r = await fetch(`${srv.url}/api/v1/auth/me`, {
    headers: { Authorization: 'Bearer not-a-token', 'X-Forwarded-For': '10.9.8.7, 127.0.0.9' } });
  assert.equal(r.status, 401);
  let rows = [];
  for (let i = 0; i < 50 && !rows.length; i++) {
    rows = (await aud.get('/api/v1/audit?action=access.denied&limit=50')).body.items;
    if (!rows.length) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(rows.length, 'the denial is audited');
  assert.ok(rows.some((x) => x.ip === '127.0.0.9'), JSON.stringify(rows.map((x) => x.ip)));
  assert.ok(!rows.some((x) => x.ip === '10.9.8.7'), 'the entry the client wrote is not taken');
});

test('one address cannot hold every connection: over ZHIBU_CONN_PER_IP it is cut off, others still served', async () => {
  const srv = await server({ ZHIBU_CONN_PER_IP: '20' });
  const port = Number(new URL(srv.url).port);
  const socks = [];
  let closed = 0;
  // 30 idle, half-sent requests from 127.0.0.2 (another loopback address)
  for (let i = 0; i < 30; i++) {
    const s = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' });
    s.on('error', () => {});
    s.on('close', () => { closed++; });
    s.write('GET /api/v1/health HTTP/1.1\r\nHost: x\r\n');
    socks.push(s);
  }
  const deadline = Date.now() + 5000;
  while (closed < 10 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  try {
    assert.ok(closed >= 10, `connections over the limit are closed (${closed} of 30)`);
    const r = await fetch(`${srv.url}/api/v1/health`);
    assert.equal(r.status, 200, 'another address is still served');
  } finally {
    for (const s of socks) s.destroy();
  }
});
