// Attack: a party worker (no member.sensitive) reads the exact birth date
// of any member of its subtree from one refused edit, then the whole ID
// number from one import preview.
//
// zb_member_check decides whether the birth date was "typed" by the caller
// from `given & (ZB_MF_BIRTH | ZB_MF_ID)`.  An edit that states id_number or
// birth_date as null (or "") is "given" them but types no date: the stored,
// exact birth date (or the one of the stored ID number) is then used at the
// day and named in the error message
// ("入党日期 … 应晚于出生日期 1982-01-18").  Nothing is written, and no ID
// lookup is counted.  With the day known and the region assumed (the threat
// model does), 500 numbers of the right parity remain, which one roster
// upload (budget 1,000 rows a day) checks at once: the row of the right
// number comes back "unchanged" (the member itself), the others as errors.
// Expected: the error names the birth month only, as for any edit that does
// not state the date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, admin, addUser, loginAs, withCheck } from '../api/lib.mjs';

function makeId(ymd, seq) {
  const body = '990101' + ymd + String(seq).padStart(3, '0');
  return withCheck(body);
}

let srv, adm, A, A1;
before(async () => {
  srv = await startServer();
  adm = await admin(srv);
  const mk = async (parent_id, name, type) => {
    const r = await adm.post('/api/v1/orgs', { parent_id, name, type });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  A = await mk(1, '甲镇党委', 'committee');
  A1 = await mk(A, '甲村党支部', 'branch');
  addUser(srv, 'rt_pwA', 'party_worker', A);
});
after(async () => { await srv?.stop(); });

test('an edit that clears the ID number or the birth date does not name the stored birth date', async () => {
  const secret = makeId('19820118', 437);
  let r = await adm.post('/api/v1/members', { org_id: A1, name: '甲某', id_number: secret, join_date: '2010-07-01',
    category: 'full', full_date: '2011-07-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.id;
  const pw = await loginAs(srv, 'rt_pwA');
  r = await pw.get(`/api/v1/members/${id}`);
  assert.equal(r.body.birth_date, '1982-01', 'the party worker sees the month');
  const leaks = [];
  for (const field of ['id_number', 'birth_date']) {
    for (const v of [null, '']) {
      const e = await pw.patch(`/api/v1/members/${id}`, { [field]: v, join_date: '1982-01-01' });
      const msg = JSON.stringify(e.body);
      if (msg.includes('1982-01-18')) leaks.push(`${field}=${JSON.stringify(v)}: ${e.status} ${msg}`);
    }
  }
  // what the day is worth: one upload of the 500 numbers it leaves
  let found = null;
  if (leaks.length) {
    const rows = ['姓名,性别,身份证号'];
    for (let s = 1; s < 1000; s += 2) rows.push(`甲某,男,${makeId('19820118', s)}`);
    const up = await pw.req('POST', `/api/v1/imports?org=${A}&filename=x.csv`, Buffer.from(rows.join('\n') + '\n'),
      { raw: true, headers: { 'Content-Type': 'application/octet-stream' } });
    const hit = up.status === 201 && up.body.rows.find((x) => x.status === 'unchanged' || x.status === 'update');
    if (hit) found = rows[hit.row - 1].split(',')[2];
  }
  assert.deepEqual(leaks, [], `the exact birth date leaks${found ? `; one upload then gives the ID number ${found} (${found === secret ? 'correct' : 'wrong'})` : ''}`);
});
