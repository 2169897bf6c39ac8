// The working-day calendar over HTTP (docs/RULES.md "The working-day
// calendar"): 2026 from the State Council notice with its 调休 days, 2027
// provisional (statutory days only), a year without rows counted by
// weekends, and the replacement of a year by the settings administrator:
// validated (dates in the year, kind off/work, work only on a weekend day,
// a name for each), audited, refused without settings.manage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs } from './lib.mjs';

let srv, adm, sys, worker, aud, root;

before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  root = (await adm.get('/api/v1/orgs')).body.items[0].id;
  addUser(srv, 'calsys', 'sys_admin', root);
  addUser(srv, 'calworker', 'party_worker', root);
  addUser(srv, 'calaud', 'audit_admin', root);
  sys = await loginAs(srv, 'calsys');
  worker = await loginAs(srv, 'calworker');
  aud = await loginAs(srv, 'calaud');
});

after(async () => { if (srv) await srv.stop(); });

test('2026 holds the notice: 国庆 off, the 调休 Saturday and Sunday worked; 2027 is provisional', async () => {
  const r = await worker.get('/api/v1/work-calendar?year=2026');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.year, 2026);
  assert.equal(r.body.known, true);
  assert.equal(r.body.provisional, false);
  assert.equal(r.body.days.length, 39);
  const by = Object.fromEntries(r.body.days.map((d) => [d.day, d]));
  for (let d = 1; d <= 7; d++) assert.equal(by[`2026-10-0${d}`].kind, 'off');
  assert.equal(by['2026-10-10'].kind, 'work');
  assert.equal(by['2026-09-20'].kind, 'work');
  assert.equal(by['2026-02-14'].kind, 'work');
  assert.equal(by['2026-02-15'].name, '春节');
  assert.match(by['2026-10-01'].source, /2025-11-04/);
  assert.equal(by['2026-10-08'], undefined); // an ordinary Thursday
  const y27 = await worker.get('/api/v1/work-calendar?year=2027');
  assert.equal(y27.body.known, true);
  assert.equal(y27.body.provisional, true);
  assert.equal(y27.body.days.length, 19);
  assert.ok(y27.body.days.every((d) => d.kind === 'off' && d.provisional));
  assert.ok(y27.body.days.some((d) => d.day === '2027-02-09')); // 春节 on a weekend, made up on Tuesday
  const y25 = await worker.get('/api/v1/work-calendar?year=2025');
  assert.equal(y25.status, 200);
  assert.equal(y25.body.known, false);
  assert.deepEqual(y25.body.days, []);
  assert.equal((await worker.get('/api/v1/work-calendar?year=abc')).status, 400);
  assert.equal((await worker.get('/api/v1/work-calendar?year=1800')).status, 400);
});

test('replacing a year: settings.manage only, each row checked, audited', async () => {
  const days = [
    { day: '2027-10-01', kind: 'off', name: '国庆节' },
    { day: '2027-10-07', kind: 'off', name: '国庆节' },
    { day: '2027-10-09', kind: 'work', name: '调休上班（国庆节）' },
  ];
  const body = { days, source: '国务院办公厅关于2027年部分节假日安排的通知' };
  assert.equal((await worker.put('/api/v1/work-calendar/2027', body)).status, 403);
  const bad = async (rows, field, re) => {
    const r = await sys.put('/api/v1/work-calendar/2027', { ...body, days: rows });
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.field, field);
    if (re) assert.match(r.body.error.message, re);
  };
  await bad([{ day: '2027-10-06', kind: 'work', name: '调休' }], 'days[0].kind', /星期三/); // a Wednesday
  await bad([days[0], { day: '2028-01-01', kind: 'off', name: '元旦' }], 'days[1].day', /2027/);
  await bad([days[0], days[0]], 'days[1].day', /重复/);
  await bad([{ day: '2027-10-02', kind: 'holiday', name: '国庆节' }], 'days[0].kind');
  await bad([{ day: '2027-10-02', kind: 'off' }], 'days[0].name');
  await bad([{ day: '2027-02-30', kind: 'off', name: 'x' }], 'days[0].day');
  const yr = await sys.put('/api/v1/work-calendar/27', body);
  assert.equal(yr.status, 400);
  assert.equal(yr.body.error.field, 'year');
  const before27 = await worker.get('/api/v1/work-calendar?year=2027');
  assert.equal(before27.body.days.length, 19); // nothing written by the refusals
  const r = await sys.put('/api/v1/work-calendar/2027', body);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.provisional, false);
  assert.deepEqual(r.body.days.map((d) => [d.day, d.kind]),
    [['2027-10-01', 'off'], ['2027-10-07', 'off'], ['2027-10-09', 'work']]);
  assert.equal(r.body.days[2].source, body.source);
  const again = await worker.get('/api/v1/work-calendar?year=2027');
  assert.deepEqual(again.body, r.body);
  const y26 = await worker.get('/api/v1/work-calendar?year=2026');
  assert.equal(y26.body.days.length, 39); // other years untouched
  const audit = (await aud.get('/api/v1/audit?action=workcal.replace&limit=50')).body.items;
  assert.equal(audit.length, 1);
  // an empty year: weekends only
  const empty = await sys.put('/api/v1/work-calendar/2027', { days: [] });
  assert.equal(empty.status, 200);
  assert.equal(empty.body.known, false);
});
