/* db_sqlite.c - SQLite backend.
 *
 * Settings, and why:
 *  - journal_mode=WAL: readers never block the writer.
 *  - synchronous=NORMAL: in WAL mode a crash of zhibu loses nothing; a power
 *    loss may lose the last transactions but never corrupts.  FULL costs
 *    4x in single-row commits (docs/DEPENDENCIES.md: 21.7k/s vs 4.9k/s).
 *  - foreign_keys=ON, busy_timeout 10 s; writers use BEGIN IMMEDIATE.
 *  - The database file is created 0600 before SQLite opens it, and an
 *    existing one (and its -wal and -shm) loses any group or other
 *    permission: SQLite gives the -wal and -shm files the mode of the
 *    database file, and all three hold personal data.
 */
#include "store/db_int.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_SLOTS 512

typedef struct sq_stmt {
	zb_stmt_hdr h;
	sqlite3_stmt *s;
	char *sql;       /* owned, cache key */
	int busy;
	int cached;
	int64_t changes;
} sq_stmt;

typedef struct sq_db {
	struct zb_db base;
	sqlite3 *h;
	sq_stmt *cache[CACHE_SLOTS];
	int ncached;
} sq_db;

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int sq_err(sq_db *d, zb_err *e, int rc, const char *what)
{
	int ext = sqlite3_extended_errcode(d->h);
	d->base.last_unique = ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return zb_fail(e, ZB_EUNAVAIL, NULL, "数据库繁忙，请稍后重试");
	if (d->base.last_unique)
		return zb_fail(e, ZB_ECONFLICT, NULL, "记录已存在（唯一性冲突）");
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return zb_fail(e, ZB_ECONFLICT, NULL, "数据约束冲突：%s", sqlite3_errmsg(d->h));
	zb_error("sqlite %s: %s", what, sqlite3_errmsg(d->h));
	return zb_fail(e, ZB_EDB, NULL, "数据库错误");
}

static void sq_free_stmt(sq_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->s);
	free(s->sql);
	free(s);
}

static void sq_close(zb_db *db)
{
	sq_db *d = (sq_db *)db;
	for (int i = 0; i < CACHE_SLOTS; i++)
		sq_free_stmt(d->cache[i]);
	sqlite3_close_v2(d->h);
	free(d);
}

static int sq_ping(zb_db *db, zb_err *e)
{
	(void)db;
	(void)e;
	return 0;
}

static int sq_exec(zb_db *db, const char *sql, zb_err *e)
{
	sq_db *d = (sq_db *)db;
	char *msg = NULL;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	return rc == SQLITE_OK ? 0 : sq_err(d, e, rc, "exec");
}

static int bind_all(sq_db *d, sq_stmt *st, const char *fmt, va_list ap, zb_err *e)
{
	int n = sqlite3_bind_parameter_count(st->s);
	int i = 0;
	/* too many values would fail in sqlite3_bind_* as a database error:
	 * report every count mismatch the same way, as the caller's bug */
	if (strlen(fmt ? fmt : "") != (size_t)n) {
		zb_error("sqlite: %zu parameters bound, statement has %d: %s", strlen(fmt ? fmt : ""), n, sqlite3_sql(st->s));
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：参数个数不符");
	}
	for (const char *f = fmt ? fmt : ""; *f; f++) {
		int idx = ++i;
		int rc = SQLITE_OK;
		switch (*f) {
		case 'i': rc = sqlite3_bind_int64(st->s, idx, va_arg(ap, int64_t)); break;
		case 'I': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(st->s, idx, v) : sqlite3_bind_null(st->s, idx);
			break;
		}
		case 'd': rc = sqlite3_bind_double(st->s, idx, va_arg(ap, double)); break;
		case 's': {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(st->s, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st->s, idx);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t len = va_arg(ap, size_t);
			rc = p ? sqlite3_bind_blob64(st->s, idx, p, len, SQLITE_TRANSIENT) : sqlite3_bind_null(st->s, idx);
			break;
		}
		case 'n': rc = sqlite3_bind_null(st->s, idx); break;
		default:
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：参数格式 %c", *f);
		}
		if (rc != SQLITE_OK)
			return sq_err(d, e, rc, "bind");
	}
	if (i != n) {
		zb_error("sqlite: %d parameters bound, statement has %d: %s", i, n, sqlite3_sql(st->s));
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：参数个数不符");
	}
	return 0;
}

static zb_stmt *sq_vquery(zb_db *db, zb_err *e, const char *sql, const char *fmt, va_list ap)
{
	sq_db *d = (sq_db *)db;
	uint32_t h = hash(sql) % CACHE_SLOTS;
	sq_stmt *st = NULL;
	for (uint32_t k = 0; k < 8; k++) {
		sq_stmt *c = d->cache[(h + k) % CACHE_SLOTS];
		if (c && !c->busy && !strcmp(c->sql, sql)) {
			st = c;
			break;
		}
	}
	if (!st) {
		st = calloc(1, sizeof *st);
		if (!st) {
			zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			return NULL;
		}
		st->h.db = db;
		int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->s, NULL);
		if (rc != SQLITE_OK) {
			zb_error("sqlite prepare failed: %s in: %s", sqlite3_errmsg(d->h), sql);
			sq_err(d, e, rc, "prepare");
			free(st);
			return NULL;
		}
		st->sql = strdup(sql);
		for (uint32_t k = 0; k < 8 && st->sql; k++) {
			uint32_t slot = (h + k) % CACHE_SLOTS;
			if (!d->cache[slot]) {
				d->cache[slot] = st;
				st->cached = 1;
				break;
			}
		}
	}
	st->busy = 1;
	st->changes = 0;
	d->base.last_unique = 0;
	va_list ap2;
	va_copy(ap2, ap);
	int rc = bind_all(d, st, fmt, ap2, e);
	va_end(ap2);
	if (rc) {
		sqlite3_reset(st->s);
		sqlite3_clear_bindings(st->s);
		st->busy = 0;
		if (!st->cached)
			sq_free_stmt(st);
		return NULL;
	}
	return (zb_stmt *)st;
}

static int sq_step(zb_stmt *s, zb_err *e)
{
	sq_stmt *st = (sq_stmt *)s;
	sq_db *d = (sq_db *)st->h.db;
	int rc = sqlite3_step(st->s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		st->changes = sqlite3_changes64(d->h);
		return 0;
	}
	return -sq_err(d, e, rc, sqlite3_sql(st->s));
}

static void sq_done(zb_stmt *s)
{
	sq_stmt *st = (sq_stmt *)s;
	sqlite3_reset(st->s);
	sqlite3_clear_bindings(st->s);
	st->busy = 0;
	if (!st->cached)
		sq_free_stmt(st);
}

static int sq_col_count(zb_stmt *s) { return sqlite3_column_count(((sq_stmt *)s)->s); }
static int sq_col_is_null(zb_stmt *s, int c) { return sqlite3_column_type(((sq_stmt *)s)->s, c) == SQLITE_NULL; }
static int64_t sq_col_int(zb_stmt *s, int c) { return sqlite3_column_int64(((sq_stmt *)s)->s, c); }
static double sq_col_double(zb_stmt *s, int c) { return sqlite3_column_double(((sq_stmt *)s)->s, c); }
static const char *sq_col_text(zb_stmt *s, int c) { return (const char *)sqlite3_column_text(((sq_stmt *)s)->s, c); }
static const void *sq_col_blob(zb_stmt *s, int c, size_t *len)
{
	sq_stmt *st = (sq_stmt *)s;
	const void *p = sqlite3_column_blob(st->s, c);
	if (len)
		*len = (size_t)sqlite3_column_bytes(st->s, c);
	return p;
}
static int64_t sq_changes(zb_stmt *s) { return ((sq_stmt *)s)->changes; }

static const zb_db_ops sq_ops = {
	.kind = ZB_DB_SQLITE,
	.close = sq_close,
	.ping = sq_ping,
	.exec = sq_exec,
	.vquery = sq_vquery,
	.step = sq_step,
	.done = sq_done,
	.col_count = sq_col_count,
	.col_is_null = sq_col_is_null,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.col_blob = sq_col_blob,
	.changes = sq_changes,
};

/* Take group and other permissions off an existing file of ours. */
static void tighten(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || !(st.st_mode & 077))
		return;
	if (chmod(p, st.st_mode & 0700) == 0)
		zb_warn("数据库文件 %s 的权限为 %04o，已改为 %04o（仅属主可读写）", p, (unsigned)(st.st_mode & 07777),
		        (unsigned)(st.st_mode & 0700));
	else
		zb_warn("数据库文件 %s 的权限为 %04o，同组或其他用户可以访问，且无法更改：%s", p,
		        (unsigned)(st.st_mode & 07777), strerror(errno));
}

/* A plain file path (not ":memory:", not a file: URI): create the file
 * 0600 if it is missing, tighten it and its -wal/-shm if they exist. */
static int private_files(const char *path, zb_err *e)
{
	if (!path[0] || !strcmp(path, ":memory:") || !strncmp(path, "file:", 5))
		return 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
	} else if (errno != EEXIST) {
		return zb_fail(e, ZB_EUNAVAIL, "db", "无法创建数据库文件 %s：%s", path, strerror(errno));
	}
	char side[4096];
	tighten(path);
	if (snprintf(side, sizeof side, "%s-wal", path) < (int)sizeof side)
		tighten(side);
	if (snprintf(side, sizeof side, "%s-shm", path) < (int)sizeof side)
		tighten(side);
	return 0;
}

int zb_sqlite_open(const char *path, zb_db **out, zb_err *e)
{
	if (private_files(path, e))
		return e->code;
	sq_db *d = calloc(1, sizeof *d);
	if (!d)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	d->base.ops = &sq_ops;
	int rc = sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		int r = zb_fail(e, ZB_EUNAVAIL, "db", "无法打开数据库 %s：%s", path, d->h ? sqlite3_errmsg(d->h) : "?");
		sqlite3_close_v2(d->h);
		free(d);
		return r;
	}
	sqlite3_busy_timeout(d->h, 10000);
	sqlite3_extended_result_codes(d->h, 1);
	char *msg = NULL;
	rc = sqlite3_exec(d->h,
	                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	                  "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;",
	                  NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int r = zb_fail(e, ZB_EUNAVAIL, "db", "无法打开数据库 %s：%s", path, msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		sqlite3_close_v2(d->h);
		free(d);
		return r;
	}
	*out = &d->base;
	return 0;
}

int zb_sqlite_backup(zb_db *db, const char *dest, zb_err *e)
{
	sq_db *d = (sq_db *)db;
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return zb_fail(e, ZB_EINVAL, "output", "无法创建备份文件 %s：%s", dest, strerror(errno));
	close(fd);
	sqlite3 *out = NULL;
	sqlite3_backup *b = NULL;
	int ret = 0;
	int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		ret = zb_fail(e, ZB_EUNAVAIL, "output", "无法打开备份文件 %s：%s", dest, out ? sqlite3_errmsg(out) : "?");
		goto done;
	}
	b = sqlite3_backup_init(out, "main", d->h, "main");
	if (!b) {
		ret = zb_fail(e, ZB_EUNAVAIL, "output", "无法开始备份：%s", sqlite3_errmsg(out));
		goto done;
	}
	/* all pages in one step: one read transaction on the source, so the
	 * copy is one consistent snapshot; in WAL mode writers go on */
	for (int tries = 0;; tries++) {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_DONE)
			break;
		if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 200) {
			sqlite3_sleep(50);
			continue;
		}
		ret = zb_fail(e, ZB_EUNAVAIL, NULL, "备份失败：%s", sqlite3_errstr(rc));
		goto done;
	}
	rc = sqlite3_backup_finish(b);
	b = NULL;
	if (rc != SQLITE_OK) {
		ret = zb_fail(e, ZB_EUNAVAIL, NULL, "备份失败：%s", sqlite3_errmsg(out));
		goto done;
	}
	/* a single self-contained file, synced */
	char *msg = NULL;
	rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		ret = zb_fail(e, ZB_EUNAVAIL, NULL, "备份失败：%s", msg ? msg : sqlite3_errmsg(out));
		sqlite3_free(msg);
		goto done;
	}
done:
	if (b)
		sqlite3_backup_finish(b);
	if (out && sqlite3_close(out) != SQLITE_OK && !ret)
		ret = zb_fail(e, ZB_EUNAVAIL, NULL, "备份失败：无法关闭备份文件");
	if (!ret) {
		fd = open(dest, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fsync(fd) != 0)
			ret = zb_fail(e, ZB_EUNAVAIL, "output", "无法把备份写入磁盘：%s", strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	if (ret)
		unlink(dest);
	return ret;
}
