// Compressed answers: web files precompressed at build time (FILE.br,
// FILE.gz) chosen by Accept-Encoding, JSON over a few KB gzipped on the fly.
// Raw HTTP (node:http) so the bytes on the wire are what is checked: fetch
// would decode them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { mkdtempSync, writeFileSync, symlinkSync, utimesSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, admin } from './lib.mjs';

let srv, web, adm;
// a web file like a built chunk: text that compresses well
const APP = 'export const rows = [' + Array.from({ length: 900 }, (_, i) => `{id:${i},name:"支部${i}"}`).join(',') + '];\n';
const TINY = 'console.log(1);\n';

function rawGet(path, headers = {}, method = 'GET') {
  const u = new URL(srv.url + path);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  web = mkdtempSync(join(tmpdir(), 'zhibu-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>支部</title>' + '<!-- pad -->'.repeat(200));
  writeFileSync(join(web, 'index.html.gz'), zlib.gzipSync(readIndex()));
  writeFileSync(join(web, 'app.js'), APP);
  writeFileSync(join(web, 'app.js.gz'), zlib.gzipSync(APP));
  writeFileSync(join(web, 'app.js.br'), zlib.brotliCompressSync(APP));
  writeFileSync(join(web, 'tiny.js'), TINY);
  writeFileSync(join(web, 'tiny.js.gz'), zlib.gzipSync(TINY));
  // an image is not compressed, whatever lies beside it
  writeFileSync(join(web, 'pic.png'), Buffer.alloc(4096, 7));
  writeFileSync(join(web, 'pic.png.gz'), zlib.gzipSync(Buffer.alloc(4096, 7)));
  // a stale variant (older than the file) is not served
  writeFileSync(join(web, 'stale.js'), APP.replace('rows', 'fresh'));
  writeFileSync(join(web, 'stale.js.gz'), zlib.gzipSync(APP));
  utimesSync(join(web, 'stale.js.gz'), new Date(2020, 0, 1), new Date(2020, 0, 1));
  // a variant that is a symlink is not followed
  writeFileSync(join(web, 'linked.js'), APP);
  writeFileSync(join(web, 'elsewhere.gz'), zlib.gzipSync(APP));
  symlinkSync(join(web, 'elsewhere.gz'), join(web, 'linked.js.gz'));
  srv = await startServer({ env: { ZHIBU_WEB_ROOT: web } });
  adm = await admin(srv);
});
after(async () => { await srv?.stop(); rmSync(web, { recursive: true, force: true }); });

function readIndex() { return '<!doctype html><title>支部</title>' + '<!-- pad -->'.repeat(200); }

test('static: brotli when the client takes it, with the compressed length and Vary', async () => {
  const r = await rawGet('/app.js', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'br');
  assert.equal(r.headers.vary, 'Accept-Encoding');
  assert.equal(Number(r.headers['content-length']), r.body.length);
  assert.ok(r.body.length < APP.length / 3, `${r.body.length} bytes for ${APP.length}`);
  assert.equal(zlib.brotliDecompressSync(r.body).toString(), APP);
  assert.match(r.headers['content-type'], /^text\/javascript/);
});

test('static: gzip for a client without brotli, and q=0 refuses a coding', async () => {
  for (const ae of ['gzip', 'br;q=0, gzip;q=0.8', 'deflate, gzip']) {
    const r = await rawGet('/app.js', { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], 'gzip', ae);
    assert.equal(Number(r.headers['content-length']), r.body.length);
    assert.equal(zlib.gunzipSync(r.body).toString(), APP, ae);
  }
  const star = await rawGet('/app.js', { 'Accept-Encoding': '*' });
  assert.equal(star.headers['content-encoding'], 'br');
});

test('static: plain for no Accept-Encoding, identity, refused codings and Range requests', async () => {
  for (const h of [{}, { 'Accept-Encoding': 'identity' }, { 'Accept-Encoding': 'gzip;q=0, br;q=0.0' },
    { 'Accept-Encoding': 'gzip, br', Range: 'bytes=0-99' }]) {
    const r = await rawGet('/app.js', h);
    assert.equal(r.status, 200, JSON.stringify(h));
    assert.equal(r.headers['content-encoding'], undefined, JSON.stringify(h));
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.equal(r.body.toString(), APP);
    assert.equal(Number(r.headers['content-length']), Buffer.byteLength(APP));
  }
});

test('static: tiny files, images, stale and symlinked variants go out plain', async () => {
  const tiny = await rawGet('/tiny.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(tiny.headers['content-encoding'], undefined);
  assert.equal(tiny.body.toString(), TINY);
  const png = await rawGet('/pic.png', { 'Accept-Encoding': 'gzip' });
  assert.equal(png.headers['content-encoding'], undefined);
  assert.equal(png.headers.vary, undefined);
  assert.equal(png.body.length, 4096);
  const stale = await rawGet('/stale.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(stale.headers['content-encoding'], undefined);
  assert.match(stale.body.toString(), /fresh/);
  const linked = await rawGet('/linked.js', { 'Accept-Encoding': 'gzip' });
  assert.equal(linked.headers['content-encoding'], undefined);
  assert.equal(linked.body.toString(), APP);
});

test('static: the SPA fallback (index.html) is compressed too; HEAD says the compressed length', async () => {
  const r = await rawGet('/members/12', { 'Accept-Encoding': 'gzip' });
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(r.body).toString(), readIndex());
  const h = await rawGet('/app.js', { 'Accept-Encoding': 'br' }, 'HEAD');
  assert.equal(h.headers['content-encoding'], 'br');
  assert.equal(Number(h.headers['content-length']), zlib.brotliCompressSync(APP).length);
  // the variants themselves are not reachable as other files' names
  const direct = await rawGet('/app.js.br', {});
  assert.equal(direct.headers['content-type'], 'application/octet-stream');
});

test('JSON: answers over a few KB are gzipped when the client takes gzip', async () => {
  const plain = await rawGet('/api/v1/openapi.json', {});
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.vary, 'Accept-Encoding');
  assert.ok(plain.body.length > 20000);
  const gz = await rawGet('/api/v1/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.vary, 'Accept-Encoding');
  assert.equal(Number(gz.headers['content-length']), gz.body.length);
  assert.ok(gz.body.length < plain.body.length / 4, `${gz.body.length} of ${plain.body.length}`);
  assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.body).toString()), JSON.parse(plain.body.toString()));
  // brotli only, or gzip refused: plain
  for (const ae of ['br', 'gzip;q=0']) {
    const r = await rawGet('/api/v1/openapi.json', { 'Accept-Encoding': ae });
    assert.equal(r.headers['content-encoding'], undefined, ae);
    assert.equal(r.body.length, plain.body.length);
  }
});

test('JSON: small answers and errors stay plain; a browser-like client (fetch) reads compressed answers', async () => {
  const small = await rawGet('/api/v1/health', { 'Accept-Encoding': 'gzip' });
  assert.equal(small.headers['content-encoding'], undefined);
  assert.equal(small.headers.vary, undefined);
  JSON.parse(small.body.toString());
  // an error answer is JSON too and small: plain
  const err = await rawGet('/api/v1/members?org=1', { 'Accept-Encoding': 'gzip' });
  assert.equal(err.status, 401);
  assert.equal(err.headers['content-encoding'], undefined);
  JSON.parse(err.body.toString());
  // fetch sends Accept-Encoding and decodes: the same document
  const viaFetch = await adm.get('/api/v1/openapi.json');
  assert.equal(viaFetch.status, 200);
  assert.ok(viaFetch.body.paths['/api/v1/members']);
});
