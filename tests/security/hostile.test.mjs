// The server under hostile clients: bodies are never buffered for clients
// that may not send them, declared sizes and Expect: 100-continue are
// answered before the body, upload bytes in flight are capped per address
// and in total, concurrent zip bombs share one parse budget, denials are
// audited without flooding the trail, and HSTS is sent only over HTTPS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, admin, addUser, loginAs, Client, ROOT, withCheck } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

// spreadsheet fixtures made by tests/run.sh (tests/fixtures/make-fixtures.sh)
const FIXTURES = process.env.ZB_FIXTURES || join(ROOT, 'tests/out/fixtures');
const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function server(opts = {}) {
  const s = await startServer(opts);
  servers.push(s);
  return s;
}

/** A field of /proc/PID/status in MB (VmRSS now, VmHWM the peak). */
function mem(srv, field) {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${srv.child.pid}/status`, 'utf8'));
  return Number(m[1]) / 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Open a raw connection, write `head` (the request line and headers, without
 * the blank line), and resolve with the first bytes the server answers (or
 * '' if it closes without answering, 'TIMEOUT' after `wait` ms).  The socket
 * stays open in `.sock` until closed by the caller or the server.
 */
function rawHead(url, head, { wait = 5000 } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname);
    let got = '';
    let done = false;
    const finish = (v) => { if (!done) { done = true; clearTimeout(t); resolve({ first: v, sock }); } };
    const t = setTimeout(() => finish('TIMEOUT'), wait);
    sock.on('error', () => finish(got));
    sock.on('close', () => finish(got));
    sock.on('data', (d) => {
      got += d.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      // a whole answer: 100 Continue, or headers plus Content-Length bytes
      const len = /^content-length:\s*(\d+)/im.exec(got.slice(0, end));
      if (/^HTTP\/1\.1 100/.test(got) || !len || Buffer.byteLength(got, 'latin1') - end - 4 >= Number(len[1])) finish(got);
    });
    sock.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}

const status = (first) => Number(/^HTTP\/1\.1 (\d{3})/.exec(first)?.[1] || 0);

/** Cookie and CSRF headers of a logged-in client. */
const authHeaders = (c) => [`Cookie: ${c.cookie}`, `X-CSRF-Token: ${c.csrf}`];

test('anonymous clients cannot make the server hold their bodies', async (t) => {
  const srv = await server();
  const { hostname, port } = new URL(srv.url);
  const before = mem(srv, 'VmRSS');
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  // 100 connections, each declaring a 19 MB upload and sending 4 MB of it slowly
  const conns = await Promise.all(Array.from({ length: 100 }, () => new Promise((resolve) => {
    const sock = net.connect(Number(port), hostname, async () => {
      sock.write(`POST /api/v1/imports?org=1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Length: ${19 * 1024 * 1024}\r\n\r\n`);
      for (let i = 0; i < 16 && !sock.destroyed; i++) {
        sock.write(chunk);
        await sleep(20);
      }
      resolve(sock);
    });
    sock.on('error', () => resolve(sock));
  })));
  await sleep(300);
  const grown = mem(srv, 'VmHWM') - before;
  for (const s of conns) s.destroy();
  t.diagnostic(`100 anonymous uploads: server memory grew by ${grown.toFixed(0)} MB`);
  assert.ok(grown < 200, `server memory grew by ${grown.toFixed(0)} MB for 100 anonymous uploads`);

  // a huge declared size, chunked bodies and unknown routes: answered at once
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => rawHead(srv.url, [
    `POST ${i % 3 === 2 ? '/no/such/file' : '/api/v1/imports?org=1'} HTTP/1.1`, 'Host: x',
    i % 3 === 1 ? 'Transfer-Encoding: chunked' : `Content-Length: ${1e12}`,
  ])));
  for (const [i, a] of answers.entries()) {
    a.sock.destroy();
    assert.equal(status(a.first), i % 3 === 0 ? 413 : i % 3 === 1 ? 401 : 405, `connection ${i}: ${a.first.slice(0, 80)}`);
  }
  assert.ok(mem(srv, 'VmHWM') - before < 200);
  assert.equal((await fetch(`${srv.url}/api/v1/health`)).status, 200);
});

test('a declared body over the route cap gets 413 before any of it is sent', async () => {
  const srv = await server();
  const adm = await admin(srv);
  for (const [path, len] of [['/api/v1/imports?org=1', 100 * 1024 * 1024], ['/api/v1/orgs', 10 * 1024 * 1024]]) {
    const a = await rawHead(srv.url, [`POST ${path} HTTP/1.1`, 'Host: x', ...authHeaders(adm),
      'Content-Type: application/octet-stream', `Content-Length: ${len}`]);
    a.sock.destroy();
    assert.equal(status(a.first), 413, `${path}: ${a.first.slice(0, 120)}`);
    assert.match(Buffer.from(a.first, 'latin1').toString(), /too_large.*上限/);
  }
  // within the cap the server waits for the body (no answer yet)
  const ok = await rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', 'Host: x', ...authHeaders(adm),
    'Content-Type: application/octet-stream', 'Content-Length: 1000000'], { wait: 500 });
  ok.sock.destroy();
  assert.equal(ok.first, 'TIMEOUT');
});

test('Expect: 100-continue gets a final status, not 100, when the request is refused', async () => {
  const srv = await server();
  const adm = await admin(srv);
  const base = ['Host: x', 'Expect: 100-continue', 'Content-Type: application/octet-stream'];
  // anonymous
  let a = await rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', ...base, 'Content-Length: 1000']);
  a.sock.destroy();
  assert.equal(status(a.first), 401, a.first.slice(0, 80));
  // over the cap
  a = await rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', ...base, ...authHeaders(adm),
    `Content-Length: ${50 * 1024 * 1024}`]);
  a.sock.destroy();
  assert.equal(status(a.first), 413, a.first.slice(0, 80));
  // a session without the CSRF token
  a = await rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', ...base, `Cookie: ${adm.cookie}`,
    'Content-Length: 1000']);
  a.sock.destroy();
  assert.equal(status(a.first), 403, a.first.slice(0, 80));
  // an out-of-scope org (none such) is refused before the body too
  a = await rawHead(srv.url, ['POST /api/v1/imports?org=999999 HTTP/1.1', ...base, ...authHeaders(adm),
    'Content-Length: 1000']);
  a.sock.destroy();
  assert.equal(status(a.first), 404, a.first.slice(0, 80));
  // an allowed upload does get 100 Continue
  a = await rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', ...base, ...authHeaders(adm),
    'Content-Length: 1000']);
  a.sock.destroy();
  assert.equal(status(a.first), 100, a.first.slice(0, 80));
});

test('upload bytes in flight are capped per client address and in total', async () => {
  const srv = await server({ env: { ZHIBU_TRUST_PROXY: '1', ZHIBU_UPLOAD_CLIENT_MB: '30', ZHIBU_UPLOAD_TOTAL_MB: '50' } });
  const adm = await admin(srv);
  const up = (ip, mb) => rawHead(srv.url, ['POST /api/v1/imports?org=1 HTTP/1.1', 'Host: x', `X-Forwarded-For: ${ip}`,
    'Expect: 100-continue', ...authHeaders(adm), 'Content-Type: application/octet-stream',
    `Content-Length: ${mb * 1024 * 1024}`]);
  const a1 = await up('10.0.0.1', 19);
  assert.equal(status(a1.first), 100);
  const a2 = await up('10.0.0.1', 19);
  a2.sock.destroy();
  assert.equal(status(a2.first), 429, a2.first.slice(0, 200));
  assert.match(Buffer.from(a2.first, 'latin1').toString(), /rate_limited.*同时上传/);
  const b1 = await up('10.0.0.2', 19);
  assert.equal(status(b1.first), 100);
  const c1 = await up('10.0.0.3', 19);
  c1.sock.destroy();
  assert.equal(status(c1.first), 503, c1.first.slice(0, 200));
  // a finished (here: abandoned) upload gives its bytes back
  a1.sock.destroy();
  let c2;
  for (let i = 0; i < 50; i++) {
    c2 = await up('10.0.0.3', 19);
    c2.sock.destroy();
    if (status(c2.first) === 100) break;
    await sleep(100);
  }
  assert.equal(status(c2.first), 100, c2.first.slice(0, 200));
  b1.sock.destroy();
});

/** A zip whose central directory and local headers lie about sizes. */
function lyingZip(entries) {
  const locals = [];
  const central = [];
  let off = 0;
  for (const [name, data] of entries) {
    const nameB = Buffer.from(name);
    const comp = zlib.deflateRawSync(data, { level: 9 });
    const crc = zlib.crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt16LE(0, 6); lh.writeUInt16LE(8, 8);
    lh.writeUInt32LE(crc, 14); lh.writeUInt32LE(comp.length, 18);
    lh.writeUInt32LE(Math.min(data.length, 1000), 22); // the lie
    lh.writeUInt16LE(nameB.length, 26);
    locals.push(lh, nameB, comp);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(crc, 16); ch.writeUInt32LE(comp.length, 20);
    ch.writeUInt32LE(Math.min(data.length, 1000), 24);
    ch.writeUInt16LE(nameB.length, 28); ch.writeUInt32LE(off, 42);
    central.push(ch, nameB);
    off += 30 + nameB.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(off, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** An .xlsx whose shared strings inflate to ~190 MB (declared: 1000 bytes). */
function sstBomb() {
  const si = `<si><t>${'党'.repeat(10000)}</t></si>`; // 30 KB each
  const n = Math.floor((190 * 1024 * 1024) / Buffer.byteLength(si));
  const sst = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${n}" uniqueCount="${n}">${si.repeat(n)}</sst>`);
  const ns = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return lyingZip([
    ['[Content_Types].xml', Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')],
    ['_rels/.rels', Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument" Target="xl/workbook.xml"/></Relationships>`)],
    ['xl/workbook.xml', Buffer.from(`<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${ns}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`)],
    ['xl/_rels/workbook.xml.rels', Buffer.from(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${ns}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)],
    ['xl/sharedStrings.xml', sst],
    ['xl/worksheets/sheet1.xml', Buffer.from('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>')],
  ]);
}

test('six concurrent lying zip bombs are refused and memory stays bounded', async (t) => {
  // a 64 MB budget for all parses; each bomb alone would hold ~190 MB
  // (under AddressSanitizer freed memory would sit in its quarantine: keep it small)
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=1'].filter(Boolean).join(':');
  const srv = await server({ env: { ZHIBU_THREADS: '6', ZHIBU_IMPORT_MEMORY_MB: '64', ASAN_OPTIONS: asan } });
  const adm = await admin(srv);
  const bomb = sstBomb();
  assert.ok(bomb.length < 2 * 1024 * 1024, `bomb is ${bomb.length} bytes`);
  const before = mem(srv, 'VmRSS');
  const res = await Promise.all(Array.from({ length: 6 }, (_, i) => adm.req('POST',
    `/api/v1/imports?org=1&filename=bomb${i}.xlsx`, bomb, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } })));
  const grown = mem(srv, 'VmHWM') - before;
  t.diagnostic(`six bombs: server memory grew by ${grown.toFixed(0)} MB`);
  // budget, parser state and the six uploads; unbounded, one bomb alone holds 190 MB
  assert.ok(grown < 150, `server memory grew by ${grown.toFixed(0)} MB for six bombs`);
  for (const r of res) {
    assert.ok([413, 503].includes(r.status), `bomb answered ${r.status}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'file');
    assert.match(r.body.error.message, /内存/);
  }
  // the budget is given back: a real roster imports afterwards
  const csv = readFileSync(join(FIXTURES, 'roster-utf8.csv'));
  const ok = await adm.req('POST', '/api/v1/imports?org=1&filename=roster.csv', csv, { raw: true,
    headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body).slice(0, 300));
});

test('a course quiz upload shares the parse budget: concurrent bombs are refused for memory', async (t) => {
  const asan = [process.env.ASAN_OPTIONS, 'quarantine_size_mb=1'].filter(Boolean).join(':');
  const srv = await server({ env: { ZHIBU_THREADS: '4', ZHIBU_IMPORT_MEMORY_MB: '64', ASAN_OPTIONS: asan } });
  const adm = await admin(srv);
  const c = await adm.post('/api/v1/courses', { org_id: 1, title: '测验课程', body: '内容', hours: 1 });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const bomb = sstBomb();
  const before = mem(srv, 'VmRSS');
  const res = await Promise.all(Array.from({ length: 2 }, () => adm.req('POST', `/api/v1/courses/${c.body.id}/quiz`, bomb,
    { raw: true, headers: { 'Content-Type': 'application/octet-stream' } })));
  const grown = mem(srv, 'VmHWM') - before;
  t.diagnostic(`two quiz bombs: server memory grew by ${grown.toFixed(0)} MB`);
  assert.ok(grown < 150, `server memory grew by ${grown.toFixed(0)} MB for two bombs`);
  for (const r of res) {
    assert.ok([413, 503].includes(r.status), `bomb answered ${r.status}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.field, 'file');
    assert.match(r.body.error.message, /内存/);
  }
});

test('a scan of 2,000 out-of-scope requests leaves a bounded number of audit rows that count every denial', async () => {
  const srv = await server();
  const adm = await admin(srv);
  const mk = async (name) => {
    const r = await adm.post('/api/v1/orgs', { parent_id: 1, name, type: 'branch' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const A = await mk('甲支部');
  const B = await mk('乙支部');
  addUser(srv, 'scanner', 'party_worker', A);
  const w = await loginAs(srv, 'scanner');
  assert.equal((await w.get(`/api/v1/orgs/${A}`)).status, 200);
  for (let i = 0; i < 2000; i += 20) {
    const rs = await Promise.all(Array.from({ length: 20 }, () => w.get(`/api/v1/orgs/${B}`)));
    for (const r of rs) assert.equal(r.status, 404);
  }
  // other denials: a token that is no token, a write without the CSRF token
  const secret = 'zb_NotARealTokenButSecretLooking0123456789abc';
  const t = new Client(srv.url);
  t.bearer = secret;
  assert.equal((await t.get('/api/v1/orgs/1')).status, 401);
  assert.equal((await w.post('/api/v1/orgs', { parent_id: A, name: 'x', type: 'branch' }, { csrf: false })).status, 403);
  // anonymous without credentials is not a denial worth a row
  assert.equal((await new Client(srv.url).get('/api/v1/orgs/1')).status, 401);
  await srv.stop({ keep: true });

  const rows = sql(srv.db, "SELECT user_id, ip, action, COALESCE(org_path,''), detail FROM audit_log WHERE action LIKE 'access.denied%' ORDER BY id")
    .trim().split('\n').filter(Boolean).map((l) => {
      const [uid, ip, action, path, ...d] = l.split('|');
      return { uid: Number(uid), ip, action, path, detail: JSON.parse(d.join('|')) };
    });
  rmSync(srv.dir, { recursive: true, force: true });
  const scan = rows.filter((r) => r.detail.route === 'GET /api/v1/orgs/{id}' || r.action === 'access.denied.suppressed');
  const written = scan.filter((r) => r.action === 'access.denied' && r.detail.reason === 'scope');
  const summaries = scan.filter((r) => r.action === 'access.denied.suppressed');
  assert.ok(written.length >= 1 && written.length <= 60, `${written.length} rows written for the scan`);
  assert.ok(summaries.length >= 1, 'a summary row counts the suppressed denials');
  for (const r of written) {
    assert.equal(r.ip, '127.0.0.1');
    assert.ok(r.uid > 1);
    assert.equal(r.detail.status, 404);
    assert.match(r.path, /^\/1\/\d+\/$/);
  }
  const suppressed = summaries.filter((r) => r.uid === written[0].uid).reduce((n, r) => n + r.detail.suppressed, 0);
  // the CSRF failure may fall in the suppressed count of the same user
  const csrfRows = rows.filter((r) => r.action === 'access.denied' && r.detail.reason === 'csrf').length;
  assert.equal(written.length + suppressed + csrfRows, 2001, `written ${written.length} + suppressed ${suppressed} + csrf ${csrfRows}`);
  assert.ok(rows.length <= 70, `${rows.length} denial rows in all`);
  // the bad token: one row, reason only, never the token itself
  const tok = rows.filter((r) => r.detail.reason === 'token');
  assert.equal(tok.length, 1);
  assert.equal(tok[0].uid, 0);
  assert.equal(tok[0].detail.status, 401);
  assert.ok(!JSON.stringify(rows).includes(secret));
  assert.ok(!JSON.stringify(rows).includes(w.cookie.split('=')[1]));
});

test('Strict-Transport-Security only when a trusted proxy says the request came over HTTPS', async () => {
  const proxied = await server({ env: { ZHIBU_TRUST_PROXY: '1' } });
  const plain = await server();
  const hsts = async (url, headers) => (await fetch(`${url}/api/v1/health`, { headers })).headers.get('strict-transport-security');
  assert.match(await hsts(proxied.url, { 'X-Forwarded-Proto': 'https' }), /^max-age=\d{7,}/);
  assert.equal(await hsts(proxied.url, { 'X-Forwarded-Proto': 'http' }), null);
  assert.equal(await hsts(proxied.url, {}), null);
  assert.equal(await hsts(plain.url, { 'X-Forwarded-Proto': 'https' }), null);
  assert.equal(await hsts(plain.url, {}), null);
  // error answers and web files carry it too
  const r = await fetch(`${proxied.url}/api/v1/orgs/1`, { headers: { 'X-Forwarded-Proto': 'https' } });
  assert.equal(r.status, 401);
  assert.match(r.headers.get('strict-transport-security'), /max-age/);
});

test('an answer bigger than a client may hold unread is refused with a message, small answers still flow', async () => {
  // a roster whose CSV export passes 1 MB, and a server that lets one
  // address hold at most 1 MB of answers not yet taken
  const srv = await server({ env: { ZHIBU_ANSWER_CLIENT_MB: '1' } });
  const adm = await admin(srv);
  const b = await adm.post('/api/v1/orgs', { parent_id: 1, name: '大名单支部', type: 'branch' });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  const s2 = await adm.post('/api/v1/orgs', { parent_id: 1, name: '小名单支部', type: 'branch' });
  assert.equal(s2.status, 201, JSON.stringify(s2.body));
  const lines = ['姓名,性别,出生日期,身份证号,人员类别,入党日期,转正日期,所在党支部,工作单位'];
  for (let k = 0; k < 9000; k++) {
    const d = new Date(Date.UTC(1960, 0, 1) + Math.floor(k / 400) * 86400000).toISOString().slice(0, 10);
    const id = withCheck(`110105${d.replaceAll('-', '')}${String((k % 400) * 2 + 1).padStart(3, '0')}`);
    const y = Number(d.slice(0, 4));
    lines.push(`名单${k},男,${d},${id},正式党员,${y + 25}-07-01,${y + 26}-07-01,${k < 7000 ? '大' : '小'}名单支部,长沙市岳麓区某某农业合作社`);
  }
  let r = await adm.req('POST', '/api/v1/imports?org=1&filename=big.csv', Buffer.from(lines.join('\n') + '\n'), {
    raw: true, headers: { 'Content-Type': 'text/csv' },
  });
  assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body).slice(0, 300));
  r = await adm.post(`/api/v1/imports/${r.body.id}/commit`, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));

  const exp = await fetch(`${srv.url}/api/v1/members/export?org=${b.body.id}&format=csv`, { headers: { Cookie: adm.cookie } });
  const text = await exp.text();
  assert.equal(exp.status, 429, text.slice(0, 200));
  assert.equal(exp.headers.get('content-disposition'), null);
  assert.match(JSON.parse(text).error.message, /未取完的下载（上限 1 MB）/);
  // nothing stays counted, and the page of 50 (small) is answered
  assert.equal((await adm.get(`/api/v1/members?org=${b.body.id}&limit=50`)).status, 200);
  const m = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(m, /^zhibu_answer_bytes_in_flight 0$/m);
  assert.match(srv.log(), /answer of \d+ bytes refused/);

  // an export between the counted size and the limit is answered, and
  // its bytes are given back once taken
  const ok = await fetch(`${srv.url}/api/v1/members/export?org=${s2.body.id}&format=csv`, { headers: { Cookie: adm.cookie } });
  const csv = Buffer.from(await ok.arrayBuffer());
  assert.equal(ok.status, 200);
  assert.ok(csv.length > 256 * 1024 && csv.length < 1024 * 1024, `export of ${csv.length} bytes`);
  // (the server ends the request just after the last byte leaves)
  let held = '';
  for (let i = 0; i < 50; i++) {
    held = /^zhibu_answer_bytes_in_flight (\d+)$/m.exec(await (await fetch(`${srv.url}/metrics`)).text())[1];
    if (held === '0') break;
    await sleep(100);
  }
  assert.equal(held, '0');
});
