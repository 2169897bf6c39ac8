// Attachments of 三务公开 items over HTTP (docs/DISCLOSURE.md,
// "Attachments"): photos and PDFs added to and removed from a draft only,
// the type decided by content, a caption required; the branch's approval
// refused without the confirmation that the files were checked, the
// confirmation kept in the history; the public file route answering only
// for a published item's files (404 alike for a draft's, a withdrawn
// item's and an unknown id), with nosniff and caching headers; the public
// list and page showing them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, Client } from './lib.mjs';

let srv, adm, drafter, approver, township, outsider, anon, aud;
let T, V, W;
const last = Number(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 4)) - 1;
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.alloc(32), Buffer.from([0xff, 0xd9])]);

async function mkOrg(parent, name, type) {
  const r = await adm.post('/api/v1/orgs', { parent_id: parent, name, type, domain: 'rural' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
}

let month = 0;
async function draft(org = V) {
  const r = await drafter.post('/api/v1/disclosures', {
    org_id: org, kind: 'finance', period: `${last}-${String(++month).padStart(2, '0')}`, title: `${last}年${month}月财务收支`,
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

const upload = (c, id, bytes, caption = '收支单据', filename = 'scan.png') =>
  c.req('POST', `/api/v1/disclosures/${id}/attachments?filename=${encodeURIComponent(filename)}` +
    (caption === null ? '' : `&caption=${encodeURIComponent(caption)}`), bytes,
  { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });

async function step(c, id, body, status = 200) {
  const r = await c.post(`/api/v1/disclosures/${id}/steps`, body);
  assert.equal(r.status, status, `${body.action}: ${JSON.stringify(r.body)}`);
  return r.body;
}

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  T = await mkOrg(1, '中共附件镇委员会', 'committee');
  V = await mkOrg(T, '中共南岭村支部委员会', 'branch');
  W = await mkOrg(T, '中共北岭村支部委员会', 'branch');
  addUser(srv, 'dadraft', 'org_admin', V);
  addUser(srv, 'daapprove', 'org_admin', V);
  addUser(srv, 'datown', 'org_admin', T);
  addUser(srv, 'daout', 'org_admin', W);
  addUser(srv, 'daaud', 'audit_admin', 1);
  drafter = await loginAs(srv, 'dadraft');
  approver = await loginAs(srv, 'daapprove');
  township = await loginAs(srv, 'datown');
  outsider = await loginAs(srv, 'daout');
  anon = new Client(srv.url);
  aud = await loginAs(srv, 'daaud');
});

after(async () => { await srv?.stop(); });

test('a draft takes photos and PDFs with a caption, lists them and removes them; the type is sniffed', async () => {
  const d = await draft();
  const up = await upload(drafter, d.id, PNG, '3月收支单据', '单据.png');
  assert.equal(up.status, 201, JSON.stringify(up.body));
  assert.equal(up.body.attachments.length, 1);
  const a = up.body.attachments[0];
  assert.equal(a.kind, 'png');
  assert.equal(a.content_type, 'image/png');
  assert.equal(a.caption, '3月收支单据');
  assert.equal(a.filename, '单据.png');
  assert.equal(a.size, PNG.length);
  // a PDF named .jpg is a PDF; a JPEG named .pdf is a JPEG
  assert.equal((await upload(drafter, d.id, PDF, '会议纪要', 'x.jpg')).body.attachments[1].kind, 'pdf');
  assert.equal((await upload(drafter, d.id, JPEG, '公开栏照片', 'y.pdf')).body.attachments[2].kind, 'jpeg');
  // what is none of them is refused, whatever its name
  const html = await upload(drafter, d.id, Buffer.from('<html><script>alert(1)</script></html>'), '网页', 'a.png');
  assert.equal(html.status, 415, JSON.stringify(html.body));
  assert.match(html.body.error.message, /JPEG、PNG 照片或 PDF/);
  const empty = await upload(drafter, d.id, Buffer.alloc(0), '空');
  assert.equal(empty.status, 400);
  // a caption is required
  const nocap = await upload(drafter, d.id, PNG, null);
  assert.equal(nocap.status, 400);
  assert.equal(nocap.body.error.field, 'caption');
  assert.equal((await upload(drafter, d.id, PNG, '   ')).body.error.field, 'caption');
  // the item lists them; the app reads a file by the item's route
  const got = await drafter.get(`/api/v1/disclosures/${d.id}`);
  assert.deepEqual(got.body.attachments.map((x) => x.kind), ['png', 'pdf', 'jpeg']);
  const file = await drafter.get(got.body.attachments[0].url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
  assert.equal(file.headers.get('cache-control'), 'private, no-store');
  assert.ok(Buffer.compare(file.body, PNG) === 0);
  // removed
  const del = await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${a.id}`);
  assert.equal(del.status, 200, JSON.stringify(del.body));
  assert.deepEqual(del.body.attachments.map((x) => x.kind), ['pdf', 'jpeg']);
  assert.equal((await drafter.get(got.body.attachments[0].url)).status, 404);
  assert.equal((await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${a.id}`)).status, 404);
  // another item's file is not found under this one
  const d2 = await draft();
  const other = (await upload(drafter, d2.id, PNG)).body.attachments[0];
  assert.equal((await drafter.get(`/api/v1/disclosures/${d.id}/attachments/${other.id}`)).status, 404);
  assert.equal((await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${other.id}`)).status, 404);
  // outside the subtree: 404, and nothing removed
  assert.equal((await upload(outsider, d.id, PNG)).status, 404);
  assert.equal((await outsider.del(`/api/v1/disclosures/${d2.id}/attachments/${other.id}`)).status, 404);
  assert.equal((await drafter.get(`/api/v1/disclosures/${d2.id}`)).body.attachments.length, 1);
});

test('only a draft changes its attachments', async () => {
  const d = await draft();
  const a = (await upload(drafter, d.id, PNG)).body.attachments[0];
  await step(drafter, d.id, { action: 'submit' });
  const up = await upload(drafter, d.id, PNG);
  assert.equal(up.status, 409, JSON.stringify(up.body));
  assert.match(up.body.error.message, /只有草稿/);
  assert.equal((await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${a.id}`)).status, 409);
  // refused back to draft: it changes again
  await step(approver, d.id, { action: 'refuse', reason: '单据不清楚' });
  assert.equal((await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${a.id}`)).status, 200);
  assert.equal((await upload(drafter, d.id, PNG, '重新拍的单据')).status, 201);
});

test('the approval of an item with attachments needs attachments_checked, kept in the history', async () => {
  const d = await draft();
  await upload(drafter, d.id, PNG, '收支单据');
  await step(drafter, d.id, { action: 'submit' });
  const no = await step(approver, d.id, { action: 'approve' }, 400);
  assert.equal(no.error.field, 'attachments_checked');
  assert.match(no.error.message, /1 个附件.*身份证号、手机号/);
  const f = await step(approver, d.id, { action: 'approve', attachments_checked: false }, 400);
  assert.equal(f.error.field, 'attachments_checked');
  assert.equal((await drafter.get(`/api/v1/disclosures/${d.id}`)).body.status, 'submitted', 'nothing written');
  const ok = await step(approver, d.id, { action: 'approve', attachments_checked: true });
  assert.equal(ok.status, 'approved');
  const h = ok.history.find((s) => s.action === 'approve');
  assert.equal(h.attachments_checked, true);
  assert.ok(ok.history.filter((s) => s.action !== 'approve').every((s) => s.attachments_checked === false));
  // an item without attachments is approved as before, and the flag is not recorded
  const plain = await draft();
  await step(drafter, plain.id, { action: 'submit' });
  const p = await step(approver, plain.id, { action: 'approve', attachments_checked: true });
  assert.equal(p.history.find((s) => s.action === 'approve').attachments_checked, false);
  // a caption is text: searched for numbers like the rest
  const c = await draft();
  await upload(drafter, c.id, PNG, '经手人 13812345678');
  const sub = await step(drafter, c.id, { action: 'submit' }, 400);
  assert.equal(sub.error.field, 'attachments[0].caption');
  assert.match(sub.error.message, /手机号/);
});

test('the public file route: a published item\'s file to anyone, 404 alike for drafts, withdrawn items and unknown ids', async () => {
  const d = await draft();
  const photo = (await upload(drafter, d.id, PNG, '公开栏照片')).body.attachments[0];
  const pdf = (await upload(drafter, d.id, PDF, '收支明细（PDF）', '明细.pdf')).body.attachments[1];
  const pub = (id) => anon.get(`/api/v1/public/disclosure-files/${id}`);
  const notFound = await pub(photo.id);
  assert.equal(notFound.status, 404, 'a draft\'s file');
  const unknown = await pub(9999999);
  assert.equal(unknown.status, 404);
  assert.deepEqual(notFound.body, unknown.body, 'a draft\'s file answers like an unknown id');
  assert.equal((await pub('abc')).status, 404);

  await step(drafter, d.id, { action: 'submit' });
  assert.equal((await pub(photo.id)).status, 404, 'a submitted item\'s file');
  await step(approver, d.id, { action: 'approve', attachments_checked: true });
  await step(township, d.id, { action: 'review' });
  assert.equal((await pub(photo.id)).status, 404, 'a reviewed item\'s file');
  await step(drafter, d.id, { action: 'publish' });

  const img = await pub(photo.id);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal(img.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(img.headers.get('cache-control'), 'public, max-age=60');
  assert.match(img.headers.get('content-disposition'), /^inline;/);
  assert.equal(img.headers.get('set-cookie'), null);
  assert.ok(Buffer.compare(img.body, PNG) === 0);
  const doc = await pub(pdf.id);
  assert.equal(doc.status, 200);
  assert.equal(doc.headers.get('content-type'), 'application/pdf');
  assert.match(doc.headers.get('content-disposition'), new RegExp(`^attachment; filename="gk-${pdf.id}\\.pdf"; filename\\*=UTF-8''.+\\.pdf$`));
  assert.equal(doc.headers.get('x-content-type-options'), 'nosniff');

  // the public list and page show them, without the uploaded name
  const list = await anon.get(`/api/v1/public/disclosures?org=${V}`);
  const item = list.body.items.find((x) => x.id === d.id);
  assert.deepEqual(item.attachments.map((x) => [x.kind, x.caption, x.url]), [
    ['png', '公开栏照片', `/api/v1/public/disclosure-files/${photo.id}`],
    ['pdf', '收支明细（PDF）', `/api/v1/public/disclosure-files/${pdf.id}`],
  ]);
  assert.ok(!JSON.stringify(list.body).includes('明细.pdf'));
  const page = await anon.get(`/gk/${V}`);
  const html = page.body.toString('utf8');
  assert.ok(html.includes(`<a href="/api/v1/public/disclosure-files/${photo.id}">公开栏照片</a>`), html);
  assert.ok(html.includes(`href="/api/v1/public/disclosure-files/${pdf.id}"`));
  assert.ok(!/<script/i.test(html));

  // withdrawn: gone from the public route, answering like an unknown id
  await step(drafter, d.id, { action: 'withdraw', reason: '单据有误' });
  const gone = await pub(photo.id);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.body, unknown.body);
  assert.equal((await pub(pdf.id)).status, 404);
  // the app still reads a withdrawn item's files
  assert.equal((await drafter.get(`/api/v1/disclosures/${d.id}/attachments/${photo.id}`)).status, 200);
});

test('uploads are audited', async () => {
  const d = await draft();
  const a = (await upload(drafter, d.id, PNG)).body.attachments[0];
  await drafter.del(`/api/v1/disclosures/${d.id}/attachments/${a.id}`);
  const r = await aud.get('/api/v1/audit?limit=200&object_type=disclosure');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const actions = r.body.items.filter((x) => String(x.object_id) === String(d.id)).map((x) => x.action);
  assert.ok(actions.includes('disclosure.attachment'), actions.join());
  assert.ok(actions.includes('disclosure.attachment_delete'), actions.join());
});
