// Run raw SQL against a test server's database (to simulate tampering):
// SQLite through Debian's python3 sqlite3 module, PostgreSQL through psql.
import { execFileSync } from 'node:child_process';

export function sql(db, statement) {
  if (/^postgres(ql)?:\/\//.test(db)) {
    return execFileSync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement]).toString();
  }
  const py = 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nr=c.execute(sys.argv[2]).fetchall()\nc.commit()\nprint("\\n".join("|".join(str(x) for x in row) for row in r))';
  return execFileSync('/usr/bin/python3', ['-c', py, db, statement]).toString();
}
