/* db_int.h - private to src/store: the backend vtable behind db.h. */
#ifndef ZB_DB_INT_H
#define ZB_DB_INT_H

#include <stdarg.h>

#include "store/db.h"

typedef struct zb_db_ops {
	zb_db_kind kind;
	void (*close)(zb_db *db);
	int (*ping)(zb_db *db, zb_err *e);
	int (*exec)(zb_db *db, const char *sql, zb_err *e);
	zb_stmt *(*vquery)(zb_db *db, zb_err *e, const char *sql, const char *fmt, va_list ap);
	int (*step)(zb_stmt *st, zb_err *e);
	void (*done)(zb_stmt *st);
	int (*col_count)(zb_stmt *st);
	int (*col_is_null)(zb_stmt *st, int col);
	int64_t (*col_int)(zb_stmt *st, int col);
	double (*col_double)(zb_stmt *st, int col);
	const char *(*col_text)(zb_stmt *st, int col);
	const void *(*col_blob)(zb_stmt *st, int col, size_t *len);
	int64_t (*changes)(zb_stmt *st);
} zb_db_ops;

/* Every backend's zb_db and zb_stmt start with these headers. */
struct zb_db {
	const zb_db_ops *ops;
	int in_tx;
	int last_unique;
};

typedef struct zb_stmt_hdr {
	zb_db *db;
} zb_stmt_hdr;

int zb_sqlite_open(const char *path, zb_db **out, zb_err *e);
int zb_pg_open(const char *uri, zb_db **out, zb_err *e);
int zb_sqlite_backup(zb_db *db, const char *dest, zb_err *e);

#endif
