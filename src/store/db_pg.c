/* db_pg.c - PostgreSQL 15 backend (libpq).
 *
 * How the shared interface maps onto libpq, and why:
 *  - SQL is written with `?`; it is rewritten once per statement to $1..$n
 *    (skipping '...', "...", -- and slash-star comments) and the rewritten
 *    text is PQprepare'd under a name ("zb1", "zb2", ...) kept in a
 *    per-connection cache keyed by the original SQL text.  A cached
 *    statement still in use (a nested query on the same SQL) is not handed
 *    out twice: the second user gets an uncached statement executed with
 *    PQexecParams, which uses the unnamed statement.
 *  - Parameter types are left to the server (it infers them from context,
 *    as SQLite's loose typing lets callers expect), except blobs, declared
 *    bytea and sent in binary.  Where the context does not fix a type
 *    (`SELECT ? + 1`, `? IS NULL`) write CAST(? AS BIGINT), which both
 *    backends accept.  Values travel as text: ints with %PRId64, doubles
 *    with %.17g (exact round trip).
 *  - zb_db_query binds by copying the values into the statement; the first
 *    zb_stmt_step executes and fetches the whole result, later steps walk
 *    its rows.  Whole results are what allows a nested query on the same
 *    connection while the outer one is being iterated.
 *  - A dropped connection is reset and the statement cache invalidated
 *    (prepared statements die with the server session).  Outside a
 *    transaction a statement that failed because the connection dropped is
 *    retried once on the new connection; inside one it fails with
 *    ZB_EUNAVAIL, since the transaction is gone.
 *  - Server messages go to the log, never to the user, and never with
 *    parameter values: DETAIL lines (which echo rows) are not logged, and
 *    data-exception messages (class 22, which quote the bad input) are
 *    redacted before logging.
 *  - Unlike SQLite, an error inside a PostgreSQL transaction aborts it: a
 *    later COMMIT is answered "ROLLBACK".  That is reported as an error
 *    here, so a caller never believes such a transaction committed.
 */
#include "store/db_int.h"
#include "core/buf.h"
#include "core/hex.h"
#include "core/log.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpq-fe.h>

#define CACHE_SLOTS 512
#define CACHE_PROBES 8
#define BYTEA_OID 17
#define SQL_MAX (1u << 20)
#define PBUF_KEEP (64u << 10)

typedef struct pg_db pg_db;

typedef struct pg_stmt {
	zb_stmt_hdr h;
	char *sql;        /* owned, the caller's text: cache key */
	char *pgsql;      /* owned, rewritten with $n */
	int nparams;
	char name[16];    /* "" for an uncached statement (PQexecParams) */
	unsigned gen;     /* connection generation it was prepared on */
	int busy;
	int cached;

	/* bound values: vals[i] points into pbuf, or is NULL for SQL NULL */
	const char **vals;
	int *lens;
	int *fmts;
	unsigned int *types;  /* Oid: 0 = let the server infer */
	size_t *offs;
	char *pbuf;
	size_t pcap;

	/* execution */
	int executed;
	int err;          /* zb_code of a failed execution, returned again */
	PGresult *res;
	int row, nrows;
	int64_t changes;
	void **blobs;     /* decoded bytea per column, current row only */
	int nblobs;
} pg_stmt;

struct pg_db {
	struct zb_db base;
	PGconn *c;
	unsigned gen;     /* bumped on every reset */
	unsigned next_name;
	pg_stmt *cache[CACHE_SLOTS];
};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* ---- errors ------------------------------------------------------------ */

static int conn_lost(pg_db *d, const PGresult *r)
{
	if (PQstatus(d->c) != CONNECTION_OK)
		return 1;
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (!st)
		return 0;
	return !strncmp(st, "08", 2) || !strcmp(st, "57P01") || !strcmp(st, "57P02") || !strcmp(st, "57P03");
}

/* Copy msg to out on one line.  For data exceptions the server quotes the
 * offending input (`invalid input syntax for type bigint: "..."`): drop
 * quoted text and everything after ": " so no value reaches the log. */
static void log_text(const char *msg, int redact, char *out, size_t cap)
{
	size_t o = 0;
	int inq = 0;
	for (const char *p = msg ? msg : ""; *p && o + 4 < cap; p++) {
		if (redact) {
			if (*p == ':' && p[1] == ' ')
				break;
			if (*p == '"') {
				if (!inq)
					out[o++] = '"', out[o++] = '.', out[o++] = '.', out[o++] = '"';
				inq = !inq;
				continue;
			}
			if (inq)
				continue;
		}
		char c = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
		if (c == ' ' && (o == 0 || out[o - 1] == ' '))
			continue;
		out[o++] = c;
	}
	while (o && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
}

/* Map a failed result (r may be NULL) to a zb_code, log the server's
 * words, and fill e with a message fit for users. */
static int pg_fail(pg_db *d, zb_err *e, const PGresult *r, const char *what)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *prim = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[512];
	log_text(prim ? prim : PQerrorMessage(d->c), st && !strncmp(st, "22", 2), msg, sizeof msg);
	d->base.last_unique = st && !strcmp(st, "23505");
	if (conn_lost(d, r)) {
		zb_error("pg %s: connection lost: %s", what, msg);
		return zb_fail(e, ZB_EUNAVAIL, NULL, "数据库连接中断");
	}
	if (d->base.last_unique)
		return zb_fail(e, ZB_ECONFLICT, NULL, "记录已存在（唯一性冲突）");
	if (st && !strncmp(st, "23", 2))
		return zb_fail(e, ZB_ECONFLICT, NULL, "数据约束冲突：%s", msg);
	if (st && (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03"))) {
		zb_warn("pg %s: %s [%s]", what, msg, st);
		return zb_fail(e, ZB_EUNAVAIL, NULL, "数据库繁忙，请稍后重试");
	}
	zb_error("pg %s: %s [%s]", what, msg, st ? st : "-");
	return zb_fail(e, ZB_EDB, NULL, "数据库错误");
}

/* ---- statements and the cache ------------------------------------------ */

static void clear_blobs(pg_stmt *st)
{
	for (int i = 0; i < st->nblobs; i++) {
		free(st->blobs[i]);
		st->blobs[i] = NULL;
	}
}

static void clear_result(pg_stmt *st)
{
	clear_blobs(st);
	free(st->blobs);
	st->blobs = NULL;
	st->nblobs = 0;
	PQclear(st->res);
	st->res = NULL;
	st->executed = 0;
	st->err = 0;
	st->row = -1;
	st->nrows = 0;
	st->changes = 0;
}

static void free_stmt(pg_stmt *st)
{
	if (!st)
		return;
	clear_result(st);
	free(st->sql);
	free(st->pgsql);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->types);
	free(st->offs);
	free(st->pbuf);
	free(st);
}

/* The server session is gone: its prepared statements too.  Idle cached
 * statements are freed; busy ones are re-prepared when next executed
 * (their gen no longer matches). */
static void drop_cache(pg_db *d)
{
	d->gen++;
	for (int i = 0; i < CACHE_SLOTS; i++) {
		if (d->cache[i] && !d->cache[i]->busy) {
			free_stmt(d->cache[i]);
			d->cache[i] = NULL;
		}
	}
}

static void remove_from_cache(pg_db *d, pg_stmt *st)
{
	for (int i = 0; i < CACHE_SLOTS; i++)
		if (d->cache[i] == st)
			d->cache[i] = NULL;
	st->cached = 0;
}

/* Rewrite `?` to $n outside literals, identifiers and comments. */
static int rewrite(const char *sql, zb_buf *out, int *nparams)
{
	int n = 0;
	const char *p = sql;
	while (*p) {
		const char *start = p;
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p && *p != q)
				p++;
			if (*p)
				p++; /* a doubled quote re-enters on the next turn */
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			p = end ? end + 2 : p + strlen(p);
		} else if (*p == '?') {
			if (zb_buf_printf(out, "$%d", ++n))
				return ZB_ETOOBIG;
			p++;
			continue;
		} else {
			p++;
		}
		if (zb_buf_append(out, start, (size_t)(p - start)))
			return ZB_ETOOBIG;
	}
	*nparams = n;
	return 0;
}

static pg_stmt *new_stmt(pg_db *d, const char *sql, zb_err *e)
{
	pg_stmt *st = calloc(1, sizeof *st);
	zb_buf b;
	zb_buf_init(&b, SQL_MAX);
	if (!st)
		goto nomem;
	st->h.db = &d->base;
	st->row = -1;
	int rc = rewrite(sql, &b, &st->nparams);
	if (rc) {
		zb_buf_release(&b);
		free(st);
		zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：SQL 过长");
		return NULL;
	}
	st->pgsql = zb_buf_detach(&b, NULL);
	if (!st->pgsql)
		st->pgsql = strdup("");
	st->sql = strdup(sql);
	size_t n = st->nparams ? (size_t)st->nparams : 1;
	st->vals = calloc(n, sizeof *st->vals);
	st->lens = calloc(n, sizeof *st->lens);
	st->fmts = calloc(n, sizeof *st->fmts);
	st->types = calloc(n, sizeof *st->types);
	st->offs = calloc(n, sizeof *st->offs);
	if (!st->pgsql || !st->sql || !st->vals || !st->lens || !st->fmts || !st->types || !st->offs)
		goto nomem;
	return st;
nomem:
	zb_buf_release(&b);
	free_stmt(st);
	zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	return NULL;
}

/* ---- connection -------------------------------------------------------- */

static int session_setup(pg_db *d)
{
	PQsetNoticeProcessor(d->c, ignore_notice, NULL);
	PGresult *r = PQexec(d->c, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET bytea_output = 'hex'");
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) {
		char msg[512];
		log_text(PQresultErrorMessage(r), 0, msg, sizeof msg);
		zb_error("pg session setup: %s", msg);
	}
	PQclear(r);
	return ok ? 0 : -1;
}

/* Reset a dropped connection.  0 when it is usable again. */
static int reconnect(pg_db *d)
{
	drop_cache(d);
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK) {
		char msg[512];
		log_text(PQerrorMessage(d->c), 0, msg, sizeof msg);
		zb_error("pg reconnect failed: %s", msg);
		return -1;
	}
	zb_warn("pg: connection was lost; reconnected");
	return session_setup(d);
}

/* Before a statement: a connection known to be dead is reset at once when
 * no transaction would be lost by it. */
static int retry_allowed(pg_db *d)
{
	return !d->base.in_tx && PQtransactionStatus(d->c) != PQTRANS_INTRANS &&
	       PQtransactionStatus(d->c) != PQTRANS_INERROR;
}

static void heal(pg_db *d)
{
	if (PQstatus(d->c) != CONNECTION_OK && !d->base.in_tx)
		reconnect(d);
}

static int prepare(pg_db *d, pg_stmt *st, PGresult **out)
{
	PGresult *r = PQprepare(d->c, st->name, st->pgsql, st->nparams, st->types);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		*out = r;
		return -1;
	}
	PQclear(r);
	st->gen = d->gen;
	return 0;
}

/* Run st once; NULL result means libpq ran out of memory or lost the
 * connection before any answer. */
static PGresult *run_once(pg_db *d, pg_stmt *st)
{
	if (st->name[0]) {
		if (st->gen != d->gen) {
			PGresult *r = NULL;
			if (prepare(d, st, &r))
				return r;
		}
		return PQexecPrepared(d->c, st->name, st->nparams, st->vals, st->lens, st->fmts, 0);
	}
	return PQexecParams(d->c, st->pgsql, st->nparams, st->types, st->vals, st->lens, st->fmts, 0);
}

static int result_ok(const PGresult *r)
{
	ExecStatusType s = PQresultStatus(r);
	return s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || s == PGRES_EMPTY_QUERY;
}

static int execute(pg_db *d, pg_stmt *st, zb_err *e)
{
	heal(d);
	int may_retry = retry_allowed(d);
	PGresult *r = run_once(d, st);
	if (!result_ok(r) && may_retry && conn_lost(d, r)) {
		PQclear(r);
		if (reconnect(d) == 0)
			r = run_once(d, st);
		else
			r = NULL;
	}
	if (!result_ok(r)) {
		int code = pg_fail(d, e, r, "query");
		if (code == ZB_EDB)
			zb_error("pg query was: %s", st->sql);
		PQclear(r);
		return code;
	}
	st->res = r;
	st->nrows = PQresultStatus(r) == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	const char *ct = PQcmdTuples(r);
	st->changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
	st->nblobs = PQnfields(r);
	if (st->nblobs) {
		st->blobs = calloc((size_t)st->nblobs, sizeof *st->blobs);
		if (!st->blobs) {
			st->nblobs = 0;
			return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		}
	}
	return 0;
}

/* ---- the vtable -------------------------------------------------------- */

static void pg_close(zb_db *db)
{
	pg_db *d = (pg_db *)db;
	for (int i = 0; i < CACHE_SLOTS; i++)
		free_stmt(d->cache[i]);
	PQfinish(d->c);
	free(d);
}

static int pg_ping(zb_db *db, zb_err *e)
{
	pg_db *d = (pg_db *)db;
	if (PQstatus(d->c) == CONNECTION_OK && !d->base.in_tx) {
		/* PQstatus only knows what the last exchange saw: ask the server. */
		PGresult *r = PQexec(d->c, "");
		int ok = result_ok(r);
		PQclear(r);
		if (ok)
			return 0;
	} else if (PQstatus(d->c) == CONNECTION_OK) {
		return 0;
	}
	if (d->base.in_tx)
		return zb_fail(e, ZB_EUNAVAIL, "db", "数据库连接中断");
	if (reconnect(d))
		return zb_fail(e, ZB_EUNAVAIL, "db", "数据库连接中断");
	return 0;
}

static int starts_with_word(const char *s, const char *w)
{
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	size_t n = strlen(w);
	return !strncasecmp(s, w, n) && (s[n] == '\0' || s[n] == ';' || s[n] == ' ' || s[n] == '\n');
}

static int pg_exec(zb_db *db, const char *sql, zb_err *e)
{
	pg_db *d = (pg_db *)db;
	heal(d);
	int may_retry = retry_allowed(d);
	PGresult *r = PQexec(d->c, sql);
	if (!result_ok(r) && may_retry && conn_lost(d, r)) {
		PQclear(r);
		r = reconnect(d) == 0 ? PQexec(d->c, sql) : NULL;
	}
	if (!result_ok(r)) {
		int code = pg_fail(d, e, r, "exec");
		PQclear(r);
		return code;
	}
	d->base.last_unique = 0;
	/* COMMIT of a transaction an earlier error aborted answers ROLLBACK */
	if ((starts_with_word(sql, "COMMIT") || starts_with_word(sql, "END")) &&
	    !strcmp(PQcmdStatus(r), "ROLLBACK")) {
		PQclear(r);
		zb_error("pg: COMMIT rolled back: an earlier statement of the transaction failed");
		return zb_fail(e, ZB_EDB, NULL, "数据库错误：事务已回滚");
	}
	PQclear(r);
	return 0;
}

/* Copy the caller's values into st (they may not outlive the call). */
static int bind_all(pg_db *d, pg_stmt *st, const char *fmt, va_list ap, zb_err *e)
{
	const char *f = fmt ? fmt : "";
	size_t nf = strlen(f);
	if (nf != (size_t)st->nparams) {
		zb_error("pg: %zu parameters bound, statement has %d: %s", nf, st->nparams, st->sql);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：参数个数不符");
	}
	size_t used = 0;
	for (int i = 0; i < st->nparams; i++) {
		char num[40];
		const void *src = NULL;
		size_t len = 0;
		st->fmts[i] = 0;
		switch (f[i]) {
		case 'i':
		case 'I': { /* 'I': 0 binds NULL (optional ids) */
			int64_t v = va_arg(ap, int64_t);
			if (f[i] == 'I' && v == 0)
				break;
			len = (size_t)snprintf(num, sizeof num, "%" PRId64, v);
			src = num;
			break;
		}
		case 'd':
			len = (size_t)snprintf(num, sizeof num, "%.17g", va_arg(ap, double));
			src = num;
			break;
		case 's':
			src = va_arg(ap, const char *);
			len = src ? strlen(src) : 0;
			break;
		case 'b':
			src = va_arg(ap, const void *);
			len = va_arg(ap, size_t);
			st->fmts[i] = 1;
			break;
		case 'n':
			break;
		default:
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：参数格式 %c", f[i]);
		}
		/* Types matter only where the server parses the statement: the
		 * unnamed one every time, a named one when it is prepared. */
		if (!st->name[0] || st->gen != d->gen)
			st->types[i] = f[i] == 'b' ? BYTEA_OID : 0;
		if (!src) {
			st->offs[i] = SIZE_MAX;
			st->lens[i] = 0;
			continue;
		}
		if (len > INT_MAX - 1 || used + len + 1 > (size_t)INT_MAX)
			return zb_fail(e, ZB_ETOOBIG, NULL, "参数过大");
		if (used + len + 1 > st->pcap) {
			size_t cap = st->pcap ? st->pcap : 256;
			while (cap < used + len + 1)
				cap *= 2;
			char *nb = realloc(st->pbuf, cap);
			if (!nb)
				return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			st->pbuf = nb;
			st->pcap = cap;
		}
		memcpy(st->pbuf + used, src, len);
		st->pbuf[used + len] = '\0';
		st->offs[i] = used;
		st->lens[i] = (int)len;
		used += len + 1;
	}
	/* pbuf is final now: point into it */
	for (int i = 0; i < st->nparams; i++)
		st->vals[i] = st->offs[i] == SIZE_MAX ? NULL : st->pbuf + st->offs[i];
	return 0;
}

static zb_stmt *pg_vquery(zb_db *db, zb_err *e, const char *sql, const char *fmt, va_list ap)
{
	pg_db *d = (pg_db *)db;
	uint32_t h = hash(sql) % CACHE_SLOTS;
	pg_stmt *st = NULL;
	int fresh = 0;
	d->base.last_unique = 0;
	for (uint32_t k = 0; k < CACHE_PROBES; k++) {
		pg_stmt *c = d->cache[(h + k) % CACHE_SLOTS];
		if (c && !c->busy && !strcmp(c->sql, sql)) {
			st = c;
			break;
		}
	}
	if (!st) {
		int in_use = 0;
		for (uint32_t k = 0; k < CACHE_PROBES && !in_use; k++) {
			pg_stmt *c = d->cache[(h + k) % CACHE_SLOTS];
			in_use = c && !strcmp(c->sql, sql);
		}
		st = new_stmt(d, sql, e);
		if (!st)
			return NULL;
		fresh = 1;
		for (uint32_t k = 0; k < CACHE_PROBES && !in_use; k++) {
			uint32_t slot = (h + k) % CACHE_SLOTS;
			if (!d->cache[slot]) {
				d->cache[slot] = st;
				st->cached = 1;
				snprintf(st->name, sizeof st->name, "zb%u", ++d->next_name);
				st->gen = d->gen - 1; /* not prepared yet */
				break;
			}
		}
	}
	st->busy = 1;
	clear_result(st);
	va_list ap2;
	va_copy(ap2, ap);
	int rc = bind_all(d, st, fmt, ap2, e);
	va_end(ap2);
	if (!rc && st->name[0] && st->gen != d->gen) {
		/* Prepare now so bad SQL fails here, as with SQLite. */
		heal(d);
		int may_retry = retry_allowed(d);
		PGresult *r = NULL;
		if (prepare(d, st, &r) && may_retry && conn_lost(d, r) && reconnect(d) == 0) {
			PQclear(r);
			r = NULL;
			prepare(d, st, &r);
		}
		if (r) {
			rc = pg_fail(d, e, r, "prepare");
			if (rc == ZB_EDB)
				zb_error("pg prepare failed for: %s", st->sql);
			PQclear(r);
		} else if (st->gen != d->gen) {
			rc = zb_fail(e, ZB_EUNAVAIL, NULL, "数据库连接中断");
		}
	}
	if (rc) {
		st->busy = 0;
		if (fresh && st->cached)
			remove_from_cache(d, st);
		if (!st->cached)
			free_stmt(st);
		return NULL;
	}
	return (zb_stmt *)st;
}

static int pg_step(zb_stmt *s, zb_err *e)
{
	pg_stmt *st = (pg_stmt *)s;
	pg_db *d = (pg_db *)st->h.db;
	if (st->err)
		return -zb_fail(e, (zb_code)st->err, NULL, "%s", st->err == ZB_EUNAVAIL ? "数据库连接中断" : "数据库错误");
	if (!st->executed) {
		st->executed = 1;
		int rc = execute(d, st, e);
		if (rc) {
			st->err = rc;
			return -rc;
		}
	}
	clear_blobs(st);
	if (st->row < st->nrows)
		st->row++;
	return st->row < st->nrows ? 1 : 0;
}

static void pg_done(zb_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	clear_result(st);
	st->busy = 0;
	/* scrub bound values (they may be personal data); give back big ones */
	if (st->pcap > PBUF_KEEP) {
		free(st->pbuf);
		st->pbuf = NULL;
		st->pcap = 0;
	} else if (st->pbuf) {
		memset(st->pbuf, 0, st->pcap);
	}
	if (!st->cached)
		free_stmt(st);
}

static int have_cell(pg_stmt *st, int col)
{
	return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

static int pg_col_count(zb_stmt *s)
{
	pg_stmt *st = (pg_stmt *)s;
	return st->res ? PQnfields(st->res) : 0;
}

static int pg_col_is_null(zb_stmt *s, int col)
{
	pg_stmt *st = (pg_stmt *)s;
	return !have_cell(st, col) || PQgetisnull(st->res, st->row, col);
}

static const char *pg_col_text(zb_stmt *s, int col)
{
	pg_stmt *st = (pg_stmt *)s;
	if (pg_col_is_null(s, col))
		return NULL;
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pg_col_int(zb_stmt *s, int col)
{
	const char *v = pg_col_text(s, col);
	if (!v)
		return 0;
	if (v[0] == 't' && v[1] == '\0') /* boolean */
		return 1;
	return strtoll(v, NULL, 10);
}

static double pg_col_double(zb_stmt *s, int col)
{
	const char *v = pg_col_text(s, col);
	return v ? strtod(v, NULL) : 0.0;
}

static const void *pg_col_blob(zb_stmt *s, int col, size_t *len)
{
	pg_stmt *st = (pg_stmt *)s;
	if (len)
		*len = 0;
	const char *v = pg_col_text(s, col);
	if (!v)
		return NULL;
	size_t n = (size_t)PQgetlength(st->res, st->row, col);
	if (PQftype(st->res, col) != BYTEA_OID || n < 2 || v[0] != '\\' || v[1] != 'x') {
		if (len)
			*len = n; /* not bytea: the text itself */
		return v;
	}
	if (col < st->nblobs && st->blobs[col]) {
		if (len)
			*len = (n - 2) / 2;
		return st->blobs[col];
	}
	size_t out = (n - 2) / 2;
	unsigned char *b = malloc(out ? out : 1);
	if (!b)
		return NULL;
	size_t got = 0;
	if (zb_hex_decode(v + 2, 2 * out, b, out, &got)) {
		free(b);
		zb_error("pg: malformed bytea value in column %d", col);
		return NULL;
	}
	if (col < st->nblobs)
		st->blobs[col] = b;
	if (len)
		*len = out;
	return b;
}

static int64_t pg_changes(zb_stmt *s) { return ((pg_stmt *)s)->changes; }

static const zb_db_ops pg_ops = {
	.kind = ZB_DB_PG,
	.close = pg_close,
	.ping = pg_ping,
	.exec = pg_exec,
	.vquery = pg_vquery,
	.step = pg_step,
	.done = pg_done,
	.col_count = pg_col_count,
	.col_is_null = pg_col_is_null,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.col_blob = pg_col_blob,
	.changes = pg_changes,
};

/* host:port for messages, from the parsed URI: never the password.
 * *timeout tells whether the URI sets connect_timeout. */
static int where(const char *uri, char *out, size_t cap, int *timeout)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(uri, &err);
	PQfreemem(err); /* may quote the URI: not shown */
	const char *host = NULL, *hostaddr = NULL, *port = NULL;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "hostaddr"))
			hostaddr = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
		else if (!strcmp(o->keyword, "connect_timeout"))
			*timeout = o->val && *o->val;
	}
	if (opts)
		snprintf(out, cap, "%s:%s", host && *host ? host : hostaddr && *hostaddr ? hostaddr : "localhost",
		         port && *port ? port : "5432");
	int ok = opts != NULL;
	PQconninfoFree(opts);
	return ok ? 0 : -1;
}

int zb_pg_open(const char *uri, zb_db **out, zb_err *e)
{
	*out = NULL;
	char at[256];
	int timeout = 0;
	if (where(uri, at, sizeof at, &timeout))
		return zb_fail(e, ZB_EINVAL, "db", "PostgreSQL 连接地址格式错误");
	pg_db *d = calloc(1, sizeof *d);
	if (!d)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	d->base.ops = &pg_ops;
	d->gen = 1;
	/* without a timeout an unreachable host would hang start-up and every
	 * PQreset; the URI's own connect_timeout wins */
	static const char *const kw[] = {"dbname", "connect_timeout", NULL};
	const char *const val[] = {uri, "10", NULL};
	d->c = timeout ? PQconnectdb(uri) : PQconnectdbParams(kw, val, 1);
	if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
		char msg[512];
		/* libpq's text names host and port, never the password (a
		 * malformed URI, which it might quote, was refused above) */
		log_text(d->c ? PQerrorMessage(d->c) : "out of memory", 0, msg, sizeof msg);
		zb_error("pg connect to %s failed: %s", at, msg);
		PQfinish(d->c);
		free(d);
		return zb_fail(e, ZB_EUNAVAIL, "db", "无法连接 PostgreSQL 数据库 %s", at);
	}
	if (session_setup(d)) {
		PQfinish(d->c);
		free(d);
		return zb_fail(e, ZB_EUNAVAIL, "db", "无法初始化 PostgreSQL 连接 %s", at);
	}
	*out = &d->base;
	return 0;
}
