/* db.c - backend-independent part of the storage interface. */
#include "store/db_int.h"

#include <string.h>

int zb_db_open(const char *uri, zb_db **out, zb_err *e)
{
	*out = NULL;
	if (!uri || !*uri)
		return zb_fail(e, ZB_EINVAL, "db", "未指定数据库（--db 或 ZHIBU_DB）");
	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13))
		return zb_pg_open(uri, out, e);
	return zb_sqlite_open(uri, out, e);
}

void zb_db_close(zb_db *db)
{
	if (db)
		db->ops->close(db);
}

zb_db_kind zb_db_backend(const zb_db *db) { return db->ops->kind; }
int zb_db_ping(zb_db *db, zb_err *e) { return db->ops->ping(db, e); }
int zb_db_exec(zb_db *db, const char *sql, zb_err *e) { return db->ops->exec(db, sql, e); }

zb_stmt *zb_db_query(zb_db *db, zb_err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zb_stmt *st = db->ops->vquery(db, e, sql, fmt, ap);
	va_end(ap);
	return st;
}

static zb_db *stdb(zb_stmt *st) { return ((zb_stmt_hdr *)st)->db; }

int zb_stmt_step(zb_stmt *st, zb_err *e) { return stdb(st)->ops->step(st, e); }
void zb_stmt_done(zb_stmt *st)
{
	if (st)
		stdb(st)->ops->done(st);
}
int zb_col_count(zb_stmt *st) { return stdb(st)->ops->col_count(st); }
int zb_col_is_null(zb_stmt *st, int col) { return stdb(st)->ops->col_is_null(st, col); }
int64_t zb_col_int(zb_stmt *st, int col) { return stdb(st)->ops->col_int(st, col); }
double zb_col_double(zb_stmt *st, int col) { return stdb(st)->ops->col_double(st, col); }
const char *zb_col_text(zb_stmt *st, int col) { return stdb(st)->ops->col_text(st, col); }
const void *zb_col_blob(zb_stmt *st, int col, size_t *len) { return stdb(st)->ops->col_blob(st, col, len); }

int zb_db_run(zb_db *db, zb_err *e, int64_t *changes, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zb_stmt *st = db->ops->vquery(db, e, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return e ? e->code : ZB_EDB;
	int rc;
	while ((rc = db->ops->step(st, e)) == 1)
		;
	if (changes)
		*changes = rc == 0 ? db->ops->changes(st) : 0;
	db->ops->done(st);
	return rc < 0 ? -rc : 0;
}

int zb_db_int(zb_db *db, zb_err *e, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zb_stmt *st = db->ops->vquery(db, e, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return e ? e->code : ZB_EDB;
	int rc = db->ops->step(st, e);
	if (rc == 1) {
		*out = db->ops->col_int(st, 0);
		/* drain so RETURNING statements complete */
		while ((rc = db->ops->step(st, e)) == 1)
			;
		db->ops->done(st);
		return rc < 0 ? -rc : 0;
	}
	db->ops->done(st);
	if (rc == 0)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到记录");
	return -rc;
}

int zb_db_begin_write(zb_db *db, zb_err *e)
{
	if (db->in_tx)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：事务嵌套");
	int rc = db->ops->exec(db, db->ops->kind == ZB_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", e);
	if (!rc)
		db->in_tx = 1;
	return rc;
}

int zb_db_begin_read(zb_db *db, zb_err *e)
{
	if (db->in_tx)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：事务嵌套");
	int rc = db->ops->exec(db, db->ops->kind == ZB_DB_SQLITE ? "BEGIN DEFERRED"
	                                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e);
	if (!rc)
		db->in_tx = 1;
	return rc;
}

int zb_db_commit(zb_db *db, zb_err *e)
{
	int rc = db->ops->exec(db, "COMMIT", e);
	if (rc)
		db->ops->exec(db, "ROLLBACK", NULL);
	db->in_tx = 0;
	return rc;
}

void zb_db_rollback(zb_db *db)
{
	if (db && db->in_tx) {
		db->ops->exec(db, "ROLLBACK", NULL);
		db->in_tx = 0;
	}
}

int zb_db_in_tx(const zb_db *db) { return db->in_tx; }
int zb_db_last_was_unique(const zb_db *db) { return db->last_unique; }
