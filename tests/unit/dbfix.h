/* dbfix.h - a fresh database for one unit test: a SQLite file under /tmp,
 * or, while dbfix_uri is set (each test's main() sets it for a second run
 * of its group from ZB_TEST_PG), that PostgreSQL database with its public
 * schema dropped and made anew.  One database per process at a time. */
#ifndef ZB_TEST_DBFIX_H
#define ZB_TEST_DBFIX_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"

static const char *dbfix_uri; /* PostgreSQL URI of the group running, or NULL */
static char dbfix_path[256];  /* SQLite file of the current test */

/* Remove the current test's SQLite file with its -wal and -shm. */
static inline void dbfix_remove(void)
{
	if (!dbfix_path[0])
		return;
	char p[300];
	unlink(dbfix_path);
	snprintf(p, sizeof p, "%s-wal", dbfix_path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", dbfix_path);
	unlink(p);
	dbfix_path[0] = '\0';
}

/* Another connection to the current test's database. */
static inline int dbfix_connect(zb_db **db, zb_err *e)
{
	return zb_db_open(dbfix_uri ? dbfix_uri : dbfix_path, db, e);
}

/* A fresh, empty database (no schema); tag names the SQLite file. */
static inline int dbfix_open_empty(const char *tag, zb_db **db, zb_err *e)
{
	if (!dbfix_uri) {
		snprintf(dbfix_path, sizeof dbfix_path, "/tmp/zb_test_%s_XXXXXX", tag);
		int fd = mkstemp(dbfix_path);
		if (fd < 0)
			return -1;
		close(fd);
		unlink(dbfix_path); /* let SQLite create it */
	}
	if (dbfix_connect(db, e))
		return -1;
	if (dbfix_uri && zb_db_exec(*db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public", e))
		return -1;
	return 0;
}

/* A fresh database with every migration applied; says why on failure. */
static inline int dbfix_open(const char *tag, zb_db **db, zb_err *e)
{
	int n;
	if (dbfix_open_empty(tag, db, e) || zb_db_migrate(*db, &n, e)) {
		fprintf(stderr, "fixture database: %s\n", e->msg);
		return -1;
	}
	return 0;
}

#endif
