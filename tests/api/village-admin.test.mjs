// The county's management of 驻村 records (docs/VILLAGE.md): units and
// cadres changed (PATCH: what is sent changes, the ID number and phone
// only when sent, checked and protected as on create, audited, scoped).
// The 驻村工作队 log's photos ("The work log"): stored like
// a meeting's (type by content, a renamed file refused), uploaded for the
// team, linked by the log entry that names them (only the team's own, only
// once), listed on the team page after the older {name, note} entries and
// served to those who may read the village only, audited.
// Runs on SQLite and, under tests/run.sh api-pg, on PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from './lib.mjs';
import { sql } from './sql.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

let srv, adm, root, T1, V1, T2, V2, town1, town2;

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
const up = (c, team, body, name) => c.req('POST', `/api/v1/village-teams/${team}/files?filename=${encodeURIComponent(name)}`,
  body, { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  T1 = await mkOrg(root, '附件东镇党委', 'committee');
  V1 = await mkOrg(T1, '附件东村党支部', 'branch');
  T2 = await mkOrg(root, '附件西镇党委', 'committee');
  V2 = await mkOrg(T2, '附件西村党支部', 'branch');
  addUser(srv, 'f_town1', 'org_admin', T1);
  addUser(srv, 'f_town2', 'org_admin', T2);
  [town1, town2] = await Promise.all(['f_town1', 'f_town2'].map((n) => loginAs(srv, n)));
});

after(async () => { await srv?.stop(); });

test('a log entry with uploaded photos: stored, linked once, listed with the older named attachments, served in scope', async () => {
  const team = await ok(town1.post('/api/v1/village-teams', { org_id: V1, formed_on: '2026-01-05' }), 201);
  const other = await ok(town2.post('/api/v1/village-teams', { org_id: V2, formed_on: '2026-01-05' }), 201);
  // the content decides: a PNG and a PDF pass, text named .jpg does not
  const png = await ok(up(town1, team.id, PNG, '../入户走访.png'), 201);
  assert.deepEqual([png.kind, png.filename, png.size, png.team_id], ['png', '入户走访.png', PNG.length, team.id]);
  assert.equal(png.url, `/api/v1/village-files/${png.id}`);
  const pdf = await ok(up(town1, team.id, PDF, '台账.pdf'), 201);
  let r = await up(town1, team.id, Buffer.from('not a photo'), 'x.jpg');
  assert.equal(r.status, 415, JSON.stringify(r.body));
  // another village's team cannot upload here nor link this team's file
  r = await up(town2, team.id, PNG, 'a.png');
  assert.equal(r.status, 404);
  const foreign = await ok(up(town2, other.id, PNG, '西村.png'), 201);
  r = await town1.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-03-02', what: '入户走访', files: [png.id, foreign.id] });
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.field, 'files[1]');
  const linked = sql(srv.db, 'SELECT COUNT(*) FROM village_log_files WHERE log_id IS NOT NULL');
  assert.equal(Number(linked.trim()), 0, 'nothing half-written');
  assert.equal(Number(sql(srv.db, "SELECT COUNT(*) FROM village_logs WHERE what = '入户走访'").trim()), 0);
  r = await town1.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-03-02', what: '入户走访', files: ['x'] });
  assert.equal(r.body.error.field, 'files[0]');
  // linked: listed after the names typed by hand
  const log = await ok(town1.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-03-02', what: '入户走访 8 户',
    attachments: [{ name: '签到表', note: '纸质' }], files: [png.id, pdf.id] }), 201);
  const page = await ok(town1.get(`/api/v1/village-teams/${team.id}?month=2026-03`));
  const entry = page.log.find((x) => x.kind === 'log' && x.id === log.id);
  assert.deepEqual(entry.attachments, [
    { name: '签到表', note: '纸质' },
    { name: '入户走访.png', file_id: png.id, kind: 'png', url: png.url },
    { name: '台账.pdf', file_id: pdf.id, kind: 'pdf', url: pdf.url },
  ]);
  // a file is linked once
  r = await town1.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-03-03', what: '又一次', files: [png.id] });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'files[0]');
  // an entry without files reads as before
  await ok(town1.post(`/api/v1/village-teams/${team.id}/log`, { on_date: '2026-03-04', what: '只写名称', attachments: [{ name: '照片.jpg' }] }), 201);
  const again = await ok(town1.get(`/api/v1/village-teams/${team.id}?month=2026-03`));
  assert.deepEqual(again.log.find((x) => x.what === '只写名称').attachments, [{ name: '照片.jpg' }]);
  // served: the photo inline, the PDF as a download, in scope only, audited
  r = await town1.get(png.url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.compare(r.body, PNG) === 0);
  r = await town1.get(pdf.url);
  assert.match(r.headers.get('content-disposition'), /^attachment/);
  r = await town2.get(png.url);
  assert.equal(r.status, 404, 'outside the village: as if there were none');
  r = await town1.get('/api/v1/village-files/999999');
  assert.equal(r.status, 404);
  // uploads are audited in their transaction; reads are queued to the
  // background audit writer: wait for its row
  let audit = [];
  for (let i = 0; i < 50 && !audit.includes('vlog.file_read'); i++) {
    if (i) await new Promise((res) => setTimeout(res, 100));
    audit = sql(srv.db, "SELECT action FROM audit_log WHERE action IN ('vlog.file', 'vlog.file_read') ORDER BY id").trim().split('\n');
  }
  assert.equal(audit.filter((a) => a === 'vlog.file').length, 3, 'each upload audited');
  assert.ok(audit.includes('vlog.file_read'), 'each download audited');
});

test('a unit and a cadre are changed: what is sent changes, the ID number only when sent, in scope only', async () => {
  const unit = await ok(town1.post('/api/v1/dispatch-units', { org_id: T1, name: '县水利局', contact_name: '陈联络', contact_phone: '13811110000' }), 201);
  let u = await ok(town1.patch(`/api/v1/dispatch-units/${unit.id}`, { contact_name: '郑联络', contact_phone: '13922220000' }));
  assert.deepEqual([u.name, u.contact_name, u.contact_phone], ['县水利局', '郑联络', '139****0000']);
  assert.equal((await ok(town1.get(`/api/v1/dispatch-units/${unit.id}?full=1`))).contact_phone, '13922220000');
  let r = await town1.patch(`/api/v1/dispatch-units/${unit.id}`, { contact_phone: '12345' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'contact_phone');
  r = await town1.patch(`/api/v1/dispatch-units/${unit.id}`, { name: '' });
  assert.equal(r.body.error.field, 'name');
  u = await ok(town1.patch(`/api/v1/dispatch-units/${unit.id}`, { contact_phone: '' }));
  assert.equal(u.contact_phone, null, 'an empty string removes the phone');
  r = await town2.patch(`/api/v1/dispatch-units/${unit.id}`, { name: '别处' });
  assert.equal(r.status, 404, 'outside the keeping org');

  const id1 = withCheck('99010119900101123');
  const c = await ok(town1.post('/api/v1/cadres', { org_id: T1, name: '蒋干部', id_number: id1, phone: '13700001111', post: '科员' }), 201);
  // the name and post change; the ID number, birth date and gender stay
  let x = await ok(town1.patch(`/api/v1/cadres/${c.id}`, { name: '蒋新名', post: '副科长', unit_id: unit.id }));
  assert.deepEqual([x.name, x.post, x.unit_name, x.birth_date, x.gender], ['蒋新名', '副科长', '县水利局', '1990-01-01', 'M']);
  let full = await ok(town1.get(`/api/v1/cadres/${c.id}?full=1`));
  assert.deepEqual([full.id_number, full.phone], [id1, '13700001111']);
  // a wrong ID number is refused on its field, nothing changes
  r = await town1.patch(`/api/v1/cadres/${c.id}`, { id_number: id1.slice(0, 17) + (id1[17] === '1' ? '2' : '1'), name: '不应保存' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'id_number');
  assert.equal((await ok(town1.get(`/api/v1/cadres/${c.id}`))).name, '蒋新名');
  // a new one: birth date and gender derived again
  const id2 = withCheck('99010119851212122');
  x = await ok(town1.patch(`/api/v1/cadres/${c.id}`, { id_number: id2 }));
  assert.deepEqual([x.birth_date, x.gender, x.id_number], ['1985-12-12', 'F', '*'.repeat(18)]);
  full = await ok(town1.get(`/api/v1/cadres/${c.id}?full=1`));
  assert.equal(full.id_number, id2);
  // another cadre cannot take that number
  const other = await ok(town1.post('/api/v1/cadres', { org_id: T1, name: '韩干部', gender: 'M' }), 201);
  r = await town1.patch(`/api/v1/cadres/${other.id}`, { id_number: id2 });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.field, 'id_number');
  // the unit removed, a unit outside scope refused
  x = await ok(town1.patch(`/api/v1/cadres/${c.id}`, { unit_id: null }));
  assert.equal(x.unit_id, null);
  const farUnit = await ok(town2.post('/api/v1/dispatch-units', { org_id: T2, name: '西镇单位' }), 201);
  r = await town1.patch(`/api/v1/cadres/${c.id}`, { unit_id: farUnit.id });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.field, 'unit_id');
  r = await town2.patch(`/api/v1/cadres/${c.id}`, { name: '别处' });
  assert.equal(r.status, 404);
  const trail = sql(srv.db, `SELECT detail FROM audit_log WHERE action = 'cadre.update' AND object_id = '${c.id}'`);
  assert.ok(trail.includes('蒋新名') && !trail.includes(id2) && !trail.includes('13700001111'), 'audited with masked values only');
});
