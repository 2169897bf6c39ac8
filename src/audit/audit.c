#include "audit/audit.h"
#include "core/buf.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "crypto/sm.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZERO_MAC "0000000000000000000000000000000000000000000000000000000000000000"

static void hex(const unsigned char *in, size_t n, char *out)
{
	static const char h[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = h[in[i] >> 4];
		out[2 * i + 1] = h[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void field(zb_buf *b, const char *s)
{
	zb_buf_puts(b, s ? s : "");
	zb_buf_putc(b, '\x1f');
}

/* The canonical content the MAC covers; any change to a stored column
 * changes it. */
static int compute_mac(zb_app *app, int64_t id, int64_t at, int64_t user_id, const char *username,
                       const char *ip, const char *action, const char *otype, const char *oid,
                       const char *opath, const char *detail, const char *prev, char out[65])
{
	zb_buf b;
	zb_buf_init(&b, 1u << 20);
	zb_buf_printf(&b, "%s\x1e%lld\x1f%lld\x1f%lld\x1f", prev, (long long)id, (long long)at, (long long)user_id);
	field(&b, username);
	field(&b, ip);
	field(&b, action);
	field(&b, otype);
	field(&b, oid);
	field(&b, opath);
	field(&b, detail);
	size_t klen = 0;
	const unsigned char *key = zb_keys_audit_key(app->keys, &klen);
	unsigned char mac[ZB_SM3_LEN];
	int rc = zb_hmac_sm3(key, klen, b.data, b.len, mac);
	zb_buf_release(&b);
	if (rc)
		return rc;
	hex(mac, sizeof mac, out);
	return 0;
}

/* Append n events in the caller's write transaction: lock and read the
 * chain head once, chain the rows in memory, write the head once. */
static int append_many(zb_db *db, zb_app *app, const zb_audit_ev *const *evs, size_t n, zb_err *e)
{
	int rc;
	/* take the chain lock first: a row lock on PostgreSQL */
	if ((rc = zb_db_run(db, e, NULL, "UPDATE audit_head SET last_id = last_id WHERE id = 1", "")))
		return rc;
	zb_stmt *st = zb_db_query(db, e, "SELECT last_id, last_mac FROM audit_head WHERE id = 1", "");
	if (!st)
		return e->code;
	rc = zb_stmt_step(st, e);
	if (rc != 1) {
		zb_stmt_done(st);
		return rc < 0 ? -rc : zb_fail(e, ZB_EDB, NULL, "审计链头缺失");
	}
	int64_t id = zb_col_int(st, 0);
	char prev[65], mac[65];
	snprintf(prev, sizeof prev, "%s", zb_col_text(st, 1));
	zb_stmt_done(st);
	for (size_t i = 0; i < n; i++) {
		const zb_audit_ev *ev = evs[i];
		id++;
		int64_t at = ev->at ? ev->at : zb_now(app);
		if (compute_mac(app, id, at, ev->user_id, ev->username, ev->ip, ev->action, ev->object_type,
		                ev->object_id, ev->org_path, ev->detail, prev, mac))
			return zb_fail(e, ZB_EINTERNAL, NULL, "审计签名失败");
		if ((rc = zb_db_run(db, e, NULL,
		                    "INSERT INTO audit_log (id, at, user_id, username, ip, action, object_type, "
		                    "object_id, org_path, detail, prev_mac, mac) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		                    "iiisssssssss", id, at, ev->user_id, ev->username, ev->ip, ev->action,
		                    ev->object_type, ev->object_id, ev->org_path, ev->detail, prev, mac)))
			return rc;
		memcpy(prev, mac, sizeof prev);
	}
	return zb_db_run(db, e, NULL, "UPDATE audit_head SET last_id = ?, last_mac = ? WHERE id = 1", "is", id,
	                 prev);
}

static int append_locked(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_err *e)
{
	return append_many(db, app, &ev, 1, e);
}

int zb_audit_append(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_err *e)
{
	if (!app->keys)
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计密钥未加载");
	if (zb_db_in_tx(db))
		return append_locked(db, app, ev, e);
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = append_locked(db, app, ev, e);
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}

/* ---- read events: queue and writer thread ---- */

typedef struct qev {
	struct qev *next;
	zb_audit_ev ev;
	char *strs[7];
} qev;

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv, idle;
	qev *head, *tail;
	int n, running, stop, busy;
	pthread_t th;
	zb_app *app;
} Q = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .idle = PTHREAD_COND_INITIALIZER};

static void qev_free(qev *q)
{
	for (int i = 0; i < 7; i++)
		free(q->strs[i]);
	free(q);
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&Q.mu);
	for (;;) {
		while (!Q.head && !Q.stop)
			pthread_cond_wait(&Q.cv, &Q.mu);
		if (!Q.head && Q.stop)
			break;
		if (!Q.stop && Q.n < 256) {
			/* gather a batch: wait up to 200 ms for more */
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 200 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&Q.cv, &Q.mu, &ts);
		}
		qev *batch = Q.head;
		Q.head = Q.tail = NULL;
		Q.n = 0;
		Q.busy = 1;
		pthread_mutex_unlock(&Q.mu);

		zb_err e = {0};
		zb_db *db = NULL;
		size_t n = 0;
		for (qev *q = batch; q; q = q->next)
			n++;
		const zb_audit_ev **evs = malloc(sizeof *evs * (n ? n : 1));
		n = 0;
		for (qev *q = batch; evs && q; q = q->next)
			evs[n++] = &q->ev;
		int rc = evs ? zb_app_db(Q.app, &db, &e) : ZB_EINTERNAL;
		if (!rc)
			rc = zb_db_begin_write(db, &e);
		if (!rc)
			rc = append_many(db, Q.app, evs, n, &e);
		free(evs);
		if (!rc)
			rc = zb_db_commit(db, &e);
		else if (db)
			zb_db_rollback(db);
		if (rc)
			zb_error("audit writer: could not write read events: %s", e.msg);
		while (batch) {
			qev *next = batch->next;
			qev_free(batch);
			batch = next;
		}
		pthread_mutex_lock(&Q.mu);
		Q.busy = 0;
		pthread_cond_broadcast(&Q.idle);
	}
	pthread_mutex_unlock(&Q.mu);
	zb_app_db_close_thread();
	return NULL;
}

void zb_audit_enqueue(zb_app *app, const zb_audit_ev *ev)
{
	pthread_mutex_lock(&Q.mu);
	int running = Q.running;
	pthread_mutex_unlock(&Q.mu);
	if (!running) {
		zb_err e = {0};
		zb_db *db;
		if (zb_app_db(app, &db, &e) || zb_audit_append(db, app, ev, &e))
			zb_error("audit: %s", e.msg);
		return;
	}
	qev *q = calloc(1, sizeof *q);
	if (!q)
		return;
	q->ev = *ev;
	const char *src[7] = {ev->username, ev->ip, ev->action, ev->object_type, ev->object_id, ev->org_path, ev->detail};
	for (int i = 0; i < 7; i++)
		q->strs[i] = src[i] ? strdup(src[i]) : NULL;
	q->ev.username = q->strs[0];
	q->ev.ip = q->strs[1];
	q->ev.action = q->strs[2];
	q->ev.object_type = q->strs[3];
	q->ev.object_id = q->strs[4];
	q->ev.org_path = q->strs[5];
	q->ev.detail = q->strs[6];
	if (!q->ev.at)
		q->ev.at = zb_now(app);
	pthread_mutex_lock(&Q.mu);
	if (Q.tail)
		Q.tail->next = q;
	else
		Q.head = q;
	Q.tail = q;
	Q.n++;
	pthread_cond_signal(&Q.cv);
	pthread_mutex_unlock(&Q.mu);
}

int zb_audit_writer_start(zb_app *app)
{
	pthread_mutex_lock(&Q.mu);
	Q.app = app;
	Q.stop = 0;
	int rc = pthread_create(&Q.th, NULL, writer, NULL);
	Q.running = rc == 0;
	pthread_mutex_unlock(&Q.mu);
	return rc ? ZB_EINTERNAL : 0;
}

void zb_audit_flush(void)
{
	pthread_mutex_lock(&Q.mu);
	while (Q.running && (Q.head || Q.busy)) {
		pthread_cond_signal(&Q.cv);
		pthread_cond_wait(&Q.idle, &Q.mu);
	}
	pthread_mutex_unlock(&Q.mu);
}

void zb_audit_writer_stop(void)
{
	pthread_mutex_lock(&Q.mu);
	if (!Q.running) {
		pthread_mutex_unlock(&Q.mu);
		return;
	}
	Q.stop = 1;
	pthread_cond_broadcast(&Q.cv);
	pthread_mutex_unlock(&Q.mu);
	pthread_join(Q.th, NULL);
	pthread_mutex_lock(&Q.mu);
	Q.running = 0;
	pthread_mutex_unlock(&Q.mu);
}

/* ---- verification ---- */

int zb_audit_verify(zb_db *db, zb_app *app, zb_audit_check *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->ok = 1;
	char expect[65] = ZERO_MAC;
	int64_t last_id = 0;
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT id, at, user_id, username, ip, action, object_type, object_id, org_path, "
	                          "detail, prev_mac, mac FROM audit_log ORDER BY id",
	                          "");
	if (!st)
		return e->code;
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t id = zb_col_int(st, 0);
		out->rows++;
		const char *prev = zb_col_text(st, 10), *mac = zb_col_text(st, 11);
		char calc[65];
		if (id != last_id + 1) {
			snprintf(out->why, sizeof out->why, "审计记录编号不连续：%lld 之后是 %lld（有记录被删除或插入）",
			         (long long)last_id, (long long)id);
			out->bad_id = id;
			break;
		}
		if (!prev || strcmp(prev, expect)) {
			snprintf(out->why, sizeof out->why, "第 %lld 条审计记录与前一条不相连（前面的记录被删除或改动）",
			         (long long)id);
			out->bad_id = id;
			break;
		}
		if (compute_mac(app, id, zb_col_int(st, 1), zb_col_int(st, 2), zb_col_text(st, 3), zb_col_text(st, 4),
		                zb_col_text(st, 5), zb_col_text(st, 6), zb_col_text(st, 7), zb_col_text(st, 8),
		                zb_col_text(st, 9), prev, calc) ||
		    !mac || strcmp(mac, calc)) {
			snprintf(out->why, sizeof out->why, "第 %lld 条审计记录的内容被改动（签名不符）", (long long)id);
			out->bad_id = id;
			break;
		}
		snprintf(expect, sizeof expect, "%s", mac);
		last_id = id;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!out->bad_id) {
		int64_t head_id = 0;
		st = zb_db_query(db, e, "SELECT last_id, last_mac FROM audit_head WHERE id = 1", "");
		if (!st)
			return e->code;
		if (zb_stmt_step(st, e) == 1) {
			head_id = zb_col_int(st, 0);
			if (head_id != last_id || strcmp(zb_col_text(st, 1), expect)) {
				snprintf(out->why, sizeof out->why, "审计链末尾被截断：应有 %lld 条，实有 %lld 条",
				         (long long)head_id, (long long)last_id);
				out->bad_id = last_id + 1;
			}
		}
		zb_stmt_done(st);
	}
	out->ok = out->bad_id == 0;
	return 0;
}
