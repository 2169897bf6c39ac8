/* db.c - backend-independent part of the storage interface. */
#include "store/db_int.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Time spent in the database, for /metrics: every call that may wait on
 * the database (prepare, step, exec) adds its wall time. */
static atomic_uint_fast64_t db_ns, db_calls;

static uint64_t t_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void t_add(uint64_t t0)
{
	atomic_fetch_add_explicit(&db_ns, t_ns() - t0, memory_order_relaxed);
	atomic_fetch_add_explicit(&db_calls, 1, memory_order_relaxed);
}

void zb_db_stats(uint64_t *ns, uint64_t *calls)
{
	*ns = atomic_load_explicit(&db_ns, memory_order_relaxed);
	*calls = atomic_load_explicit(&db_calls, memory_order_relaxed);
}

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
int zb_db_ping(zb_db *db, zb_err *e)
{
	uint64_t t0 = t_ns();
	int rc = db->ops->ping(db, e);
	t_add(t0);
	return rc;
}

static int timed_exec(zb_db *db, const char *sql, zb_err *e)
{
	uint64_t t0 = t_ns();
	int rc = db->ops->exec(db, sql, e);
	t_add(t0);
	return rc;
}

static zb_stmt *timed_vquery(zb_db *db, zb_err *e, const char *sql, const char *fmt, va_list ap)
{
	uint64_t t0 = t_ns();
	zb_stmt *st = db->ops->vquery(db, e, sql, fmt, ap);
	t_add(t0);
	return st;
}

static int timed_step(zb_db *db, zb_stmt *st, zb_err *e)
{
	uint64_t t0 = t_ns();
	int rc = db->ops->step(st, e);
	t_add(t0);
	return rc;
}

int zb_db_exec(zb_db *db, const char *sql, zb_err *e) { return timed_exec(db, sql, e); }

zb_stmt *zb_db_query(zb_db *db, zb_err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zb_stmt *st = timed_vquery(db, e, sql, fmt, ap);
	va_end(ap);
	return st;
}

static zb_db *stdb(zb_stmt *st) { return ((zb_stmt_hdr *)st)->db; }

int zb_stmt_step(zb_stmt *st, zb_err *e) { return timed_step(stdb(st), st, e); }
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
	zb_stmt *st = timed_vquery(db, e, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return e ? e->code : ZB_EDB;
	int rc;
	while ((rc = timed_step(db, st, e)) == 1)
		;
	if (changes)
		*changes = rc == 0 ? db->ops->changes(st) : 0;
	db->ops->done(st);
	return rc < 0 ? -rc : 0;
}

/* The first row of a query to fn (NULL: none wanted); drain: step to the
 * end, so that RETURNING statements complete.  No row: ZB_ENOTFOUND. */
static int first_row(zb_db *db, zb_err *e, const char *missing, zb_row_fn fn, void *ctx, int drain, const char *sql,
                     const char *fmt, va_list ap)
{
	zb_stmt *st = timed_vquery(db, e, sql, fmt, ap);
	if (!st)
		return e ? e->code : ZB_EDB;
	int rc = timed_step(db, st, e), found = rc == 1;
	if (found && fn)
		fn(st, ctx);
	while (found && drain && rc == 1)
		rc = timed_step(db, st, e);
	db->ops->done(st);
	if (rc < 0)
		return -rc;
	return found ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "%s", missing ? missing : "未找到记录");
}

static void read_int(zb_stmt *st, void *ctx)
{
	*(int64_t *)ctx = zb_col_int(st, 0);
}

int zb_db_int(zb_db *db, zb_err *e, int64_t *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = first_row(db, e, NULL, read_int, out, 1, sql, fmt, ap);
	va_end(ap);
	return rc;
}

int zb_db_one(zb_db *db, zb_err *e, const char *missing, zb_row_fn fn, void *ctx, const char *sql, const char *fmt,
              ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = first_row(db, e, missing, fn, ctx, 0, sql, fmt, ap);
	va_end(ap);
	return rc;
}

void zb_row_ints(zb_stmt *st, void *ctx)
{
	int64_t *v = ctx;
	for (int c = 0, n = zb_col_count(st); c < n; c++)
		v[c] = zb_col_int(st, c);
}

void zb_row_text(zb_stmt *st, void *ctx)
{
	const zb_text_buf *b = ctx;
	const char *s = zb_col_text(st, 0);
	if (s && b->n)
		snprintf(b->out, b->n, "%s", s);
}

int zb_db_each(zb_db *db, zb_err *e, zb_each_fn fn, void *ctx, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	zb_stmt *st = timed_vquery(db, e, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return e ? e->code : ZB_EDB;
	int rc, stop = 0;
	while (!stop && (rc = timed_step(db, st, e)) == 1)
		stop = fn(st, ctx, e);
	db->ops->done(st);
	if (stop)
		return stop == ZB_DB_STOP ? 0 : stop;
	return rc < 0 ? -rc : 0;
}

int zb_db_begin_write(zb_db *db, zb_err *e)
{
	if (db->in_tx)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：事务嵌套");
	int rc = timed_exec(db, db->ops->kind == ZB_DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", e);
	if (!rc)
		db->in_tx = 1;
	return rc;
}

int zb_db_begin_read(zb_db *db, zb_err *e)
{
	if (db->in_tx)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：事务嵌套");
	int rc = timed_exec(db, db->ops->kind == ZB_DB_SQLITE ? "BEGIN DEFERRED"
	                                                          : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", e);
	if (!rc)
		db->in_tx = 1;
	return rc;
}

int zb_db_commit(zb_db *db, zb_err *e)
{
	int rc = timed_exec(db, "COMMIT", e);
	if (rc)
		db->ops->exec(db, "ROLLBACK", NULL);
	db->in_tx = 0;
	return rc;
}

void zb_db_rollback(zb_db *db)
{
	if (db && db->in_tx) {
		timed_exec(db, "ROLLBACK", NULL);
		db->in_tx = 0;
	}
}

int zb_db_end(zb_db *db, int rc, zb_err *e)
{
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}

int zb_db_in_tx(const zb_db *db) { return db->in_tx; }
int zb_db_last_was_unique(const zb_db *db) { return db->last_unique; }

int zb_db_backup_to(zb_db *db, const char *dest_path, zb_err *e)
{
	if (db->ops->kind != ZB_DB_SQLITE)
		return zb_fail(e, ZB_EINVAL, "db", "在线备份只适用于 SQLite；PostgreSQL 请用 pg_dump");
	if (db->in_tx)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：备份不能在事务中进行");
	return zb_sqlite_backup(db, dest_path, e);
}
