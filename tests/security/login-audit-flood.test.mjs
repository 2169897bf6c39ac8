// denied requests are audited at most ZHIBU_DENIED_AUDIT_PER_MIN
// (20) rows per address a minute, "so that a scan cannot flood the trail".
// Refused logins are not held to it: every attempt from a throttled address
// (or at a locked name) writes its own chained auth.login_failed row, with a
// commit, synchronously in the request.  An anonymous client at one address
// writes hundreds of rows a second (each with a name it chose), growing the
// trail and the cost of every verify, and burying the real events.
// Expected: refusals by a lock or throttle are counted like access.denied
// (a fixed number of rows per address a minute, then one summary row).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../api/lib.mjs';
import { sql } from '../api/sql.mjs';

let srv;
before(async () => { srv = await startServer({ env: { ZHIBU_IP_FAIL_LIMIT: '3' } }); });
after(async () => { await srv?.stop(); });

test('an anonymous client cannot flood the audit trail with refused logins', async () => {
  const before = Number(sql(srv.db, 'SELECT COUNT(*) FROM audit_log').trim());
  const c = new Client(srv.url);
  const n = 300;
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: 10 }, (_, k) =>
      c.post('/api/v1/auth/login', { username: `flood${i + k}`, password: 'Wrong-Passw0rd-1' })));
  }
  const added = Number(sql(srv.db, 'SELECT COUNT(*) FROM audit_log').trim()) - before;
  assert.ok(added <= 3 + 20 + 1, `${n} refused logins from one address wrote ${added} audit rows`);
});

test('a burst of concurrent guesses from one address verifies no more passwords than the address limit', async () => {
  // a fresh server: ZHIBU_IP_FAIL_LIMIT=3, then 12 wrong passwords at once
  const s2 = await startServer({ env: { ZHIBU_IP_FAIL_LIMIT: '3' } });
  try {
    const c = new Client(s2.url);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, k) =>
      c.post('/api/v1/auth/login', { username: `burst${k}`, password: 'Wrong-Passw0rd-1' })));
    const statuses = answers.map((r) => r.status).sort();
    assert.equal(statuses.filter((x) => x === 429).length, 9, JSON.stringify(statuses));
    assert.equal(statuses.filter((x) => x === 401).length, 3, JSON.stringify(statuses));
    const verified = Number(sql(s2.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.login_failed' " +
      "AND detail NOT LIKE '%ip_throttled%'").trim());
    assert.equal(verified, 3, 'passwords verified for the burst');
  } finally {
    await s2.stop();
  }
});
