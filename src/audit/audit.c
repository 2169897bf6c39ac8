#include "audit/audit.h"
#include "core/buf.h"
#include "core/grow.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "crypto/sm.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ZERO_MAC "0000000000000000000000000000000000000000000000000000000000000000"


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
	sodium_bin2hex(out, 2 * sizeof mac + 1, mac, sizeof mac);
	return 0;
}

/* The head MAC: HMAC-SM3(audit key, "zhibu-audit-head" 0x1e last_id 0x1f
 * last_mac).  A row's MAC input starts with 64 hex digits, so the two can
 * never be confused. */
static int compute_head_mac(zb_app *app, int64_t id, const char *last_mac, char out[65])
{
	char msg[128];
	int n = snprintf(msg, sizeof msg, "zhibu-audit-head\x1e%lld\x1f%s", (long long)id, last_mac);
	if (n < 0 || (size_t)n >= sizeof msg)
		return -1;
	size_t klen = 0;
	const unsigned char *key = zb_keys_audit_key(app->keys, &klen);
	unsigned char mac[ZB_SM3_LEN];
	if (zb_hmac_sm3(key, klen, msg, (size_t)n, mac))
		return -1;
	sodium_bin2hex(out, 2 * sizeof mac + 1, mac, sizeof mac);
	return 0;
}

static int hex_equal(const char *a, const char *b)
{
	return a && b && strlen(a) == 64 && strlen(b) == 64 && sodium_memcmp(a, b, 64) == 0;
}

typedef struct head {
	int present;
	int64_t id;
	char mac[65];
	int sealed;     /* head_mac is set */
	int sig_ok;     /* head_mac matches (id, mac) */
} head;

typedef struct head_row {
	zb_app *app;
	head *h;
} head_row;

static void read_head_row(zb_stmt *st, void *ctx)
{
	head_row *r = ctx;
	head *h = r->h;
	h->present = 1;
	h->id = zb_col_int(st, 0);
	const char *m = zb_col_text(st, 1), *hm = zb_col_text(st, 2);
	snprintf(h->mac, sizeof h->mac, "%s", m ? m : "");
	if (hm) {
		char calc[65];
		h->sealed = 1;
		h->sig_ok = !compute_head_mac(r->app, h->id, h->mac, calc) && hex_equal(hm, calc);
	}
}

static int read_head(zb_db *db, zb_app *app, head *h, zb_err *e)
{
	memset(h, 0, sizeof *h);
	head_row r = {app, h};
	int rc = zb_db_one(db, e, NULL, read_head_row, &r, "SELECT last_id, last_mac, head_mac FROM audit_head WHERE id = 1",
	                   "");
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

/* The state a fresh schema starts in: nothing written, nothing to seal. */
static int head_is_genesis(const head *h) { return h->present && h->id == 0 && !strcmp(h->mac, ZERO_MAC); }

static int write_head(zb_db *db, zb_app *app, int64_t id, const char *mac, zb_err *e)
{
	char hm[65];
	if (compute_head_mac(app, id, mac, hm))
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计链头签名失败");
	return zb_db_run(db, e, NULL, "UPDATE audit_head SET last_id = ?, last_mac = ?, head_mac = ? WHERE id = 1", "iss",
	                 id, mac, hm);
}

/* Append n events in the caller's write transaction: lock and read the
 * chain head once, check its MAC, chain the rows in memory, write the head
 * once.  A head that is missing, unsigned or whose MAC does not match is
 * never extended: that would seal a truncated chain with a valid MAC. */
static int append_many(zb_db *db, zb_app *app, const zb_audit_ev *const *evs, size_t n, zb_err *e)
{
	int rc;
	/* take the chain lock first: a row lock on PostgreSQL */
	if ((rc = zb_db_run(db, e, NULL, "UPDATE audit_head SET last_id = last_id WHERE id = 1", "")))
		return rc;
	head h;
	if ((rc = read_head(db, app, &h, e)))
		return rc;
	if (!h.present)
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计链头缺失，不能再写审计记录（请运行 zhibu audit verify 检查）");
	if (!h.sealed && !head_is_genesis(&h))
		return zb_fail(e, ZB_EINTERNAL, NULL,
		               "审计链头没有签名，不能再写审计记录（请运行 zhibu audit verify 检查，确认后用 zhibu audit seal 重新封存）");
	if (h.sealed && !h.sig_ok)
		return zb_fail(e, ZB_EINTERNAL, NULL,
		               "审计链头签名不符（审计记录可能被截断或改写），不能再写审计记录（请运行 zhibu audit verify 检查）");
	int64_t id = h.id;
	char prev[65], mac[65];
	memcpy(prev, h.mac, sizeof prev);
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
	return write_head(db, app, id, prev, e);
}

static int append_locked(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_err *e)
{
	return append_many(db, app, &ev, 1, e);
}

int zb_audit_append_many(zb_db *db, zb_app *app, const zb_audit_ev *const *evs, size_t n, zb_err *e)
{
	if (!app->keys)
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计密钥未加载");
	if (!zb_db_in_tx(db))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：批量写审计记录须在写事务内");
	return n ? append_many(db, app, evs, n, e) : 0;
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

int zb_audit_change(zb_db *db, zb_app *app, const zb_audit_ev *who, const char *action, const char *object_type,
                    int64_t object_id, const char *org_path, const char *detail, zb_err *e)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)object_id);
	zb_audit_ev ev = {.user_id = who ? who->user_id : 0, .username = who ? who->username : NULL,
	                  .ip = who ? who->ip : NULL, .action = action, .object_type = object_type,
	                  .object_id = object_id ? idbuf : NULL, .org_path = org_path, .detail = detail};
	return zb_audit_append(db, app, &ev, e);
}

zb_jw *zb_audit_detail_begin(zb_audit_detail *d)
{
	zb_buf_init(&d->b, 4096);
	jw_init(&d->w, &d->b);
	jw_obj(&d->w);
	return &d->w;
}

int zb_audit_change_detail(zb_db *db, zb_app *app, const zb_audit_ev *who, const char *action,
                           const char *object_type, int64_t object_id, const char *org_path, zb_audit_detail *d,
                           zb_err *e)
{
	jw_obj_end(&d->w);
	int rc = zb_audit_change(db, app, who, action, object_type, object_id, org_path,
	                         jw_finish(&d->w) ? NULL : d->b.data, e);
	zb_buf_release(&d->b);
	return rc;
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

int zb_audit_queue_len(void)
{
	pthread_mutex_lock(&Q.mu);
	int n = Q.n;
	pthread_mutex_unlock(&Q.mu);
	return n;
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
	if (!rc)
		pthread_setname_np(Q.th, "zb-audit"); /* top -H, /proc/PID/task/TID/comm */
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

/* ---- anchors: signed checkpoints kept outside the database ---- */

#define ANCHOR_LINE_MAX 512

typedef struct anchor {
	int64_t id, at;
	int line;
	char mac[65];
} anchor;

/* The anchor key: HMAC-SM3(audit key, label).  Derived from the key file
 * through the audit key, yet distinct from it, so a checkpoint signature
 * can never pass for a row or head MAC. */
static int anchor_key(zb_app *app, unsigned char out[ZB_SM3_LEN])
{
	static const char label[] = "zhibu audit anchor key v1";
	size_t klen = 0;
	const unsigned char *key = zb_keys_audit_key(app->keys, &klen);
	return zb_hmac_sm3(key, klen, label, sizeof label - 1, out);
}

static int anchor_sig(const unsigned char key[ZB_SM3_LEN], int64_t id, int64_t at, const char *mac, char out[65])
{
	char msg[160];
	int n = snprintf(msg, sizeof msg, "zhibu-audit-anchor v1\x1e%lld\x1f%lld\x1f%s", (long long)id, (long long)at, mac);
	unsigned char sig[ZB_SM3_LEN];
	if (n < 0 || (size_t)n >= sizeof msg || zb_hmac_sm3(key, ZB_SM3_LEN, msg, (size_t)n, sig))
		return -1;
	sodium_bin2hex(out, 2 * sizeof sig + 1, sig, sizeof sig);
	return 0;
}

/* "2026-12-07 09:30:00" in China time (UTC+8). */
static void fmt_time(int64_t at, char out[32])
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm))
		snprintf(out, 32, "%lld", (long long)at);
}

static int cmp_anchor(const void *a, const void *b)
{
	const anchor *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->line - y->line;
}

static int is_lower_hex64(const char *s)
{
	size_t i = 0;
	for (; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return i == 64;
}

/* Parse one line "zhibu-audit-anchor v1 id=N at=T mac=HEX sig=HEX". */
static int parse_anchor(const unsigned char key[ZB_SM3_LEN], const char *line, anchor *a, int *bad_sig)
{
	long long id = 0, at = 0;
	char mac[65] = "", sig[65] = "", calc[65];
	int end = -1;
	*bad_sig = 0;
	if (sscanf(line, "zhibu-audit-anchor v1 id=%lld at=%lld mac=%64[0-9a-f] sig=%64[0-9a-f]%n", &id, &at, mac, sig,
	           &end) != 4 ||
	    end < 0 || line[end] != '\0' || id <= 0 || at < 0 || !is_lower_hex64(mac) || !is_lower_hex64(sig))
		return -1;
	if (anchor_sig(key, id, at, mac, calc) || !hex_equal(sig, calc)) {
		*bad_sig = 1;
		return -1;
	}
	a->id = id;
	a->at = at;
	memcpy(a->mac, mac, sizeof a->mac);
	return 0;
}

/* Read every checkpoint of an anchors file, sorted by row id.  A line that
 * does not parse or whose signature does not match fails the check (the
 * file is evidence), it is not an error.  Errors: the file cannot be read
 * (a missing file is no error when missing_ok: nothing anchored yet). */
static int read_anchors(zb_app *app, const char *path, int missing_ok, anchor **out, size_t *nout, zb_audit_check *chk,
                        zb_err *e)
{
	*out = NULL;
	*nout = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return 0;
		return zb_fail(e, ZB_EINVAL, "anchors", "打不开锚点文件 %s：%s", path, strerror(errno));
	}
	struct stat sb;
	if (fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
		close(fd);
		return zb_fail(e, ZB_EINVAL, "anchors", "锚点文件 %s 不是普通文件", path);
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return zb_fail(e, ZB_EINTERNAL, "anchors", "打不开锚点文件 %s：%s", path, strerror(errno));
	}
	unsigned char key[ZB_SM3_LEN];
	if (anchor_key(app, key)) {
		fclose(f);
		return zb_fail(e, ZB_EINTERNAL, NULL, "锚点密钥派生失败");
	}
	anchor *v = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	int lineno = 0, rc = 0;
	while ((len = getline(&line, &lcap, f)) >= 0) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		anchor a = {.line = lineno};
		int bad_sig = 0;
		if (len > ANCHOR_LINE_MAX || strlen(line) != (size_t)len || parse_anchor(key, line, &a, &bad_sig)) {
			snprintf(chk->why, sizeof chk->why,
			         bad_sig ? "锚点文件第 %d 行签名不符（被改动过，或不是用本系统的密钥文件写的）"
			                 : "锚点文件第 %d 行不是审计锚点（格式不对）",
			         lineno);
			break;
		}
		if (ZB_GROW(v, n, cap)) {
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		v[n++] = a;
	}
	if (!rc && ferror(f))
		rc = zb_fail(e, ZB_EINTERNAL, "anchors", "读锚点文件 %s 出错", path);
	free(line);
	fclose(f);
	sodium_memzero(key, sizeof key);
	if (rc) {
		free(v);
		return rc;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_anchor);
	*out = v;
	*nout = n;
	return 0;
}

/* ---- verification ---- */

/* Walk every row in id order: ids contiguous from 1, each row linked to
 * the one before and its MAC right; rows named by a checkpoint must carry
 * the checkpoint's MAC.  Stops at the first problem (chk->why). */
static int walk(zb_db *db, zb_app *app, const anchor *an, size_t nan, size_t *used, int64_t *last_id, char tail[65],
                zb_audit_check *chk, zb_err *e)
{
	char expect[65] = ZERO_MAC;
	int64_t last = 0;
	size_t j = 0;
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT id, at, user_id, username, ip, action, object_type, object_id, org_path, "
	                          "detail, prev_mac, mac FROM audit_log ORDER BY id",
	                          "");
	if (!st)
		return e->code;
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t id = zb_col_int(st, 0);
		chk->rows++;
		const char *prev = zb_col_text(st, 10), *mac = zb_col_text(st, 11);
		char calc[65];
		if (id != last + 1) {
			snprintf(chk->why, sizeof chk->why, "审计记录编号不连续：%lld 之后是 %lld（有记录被删除或插入）",
			         (long long)last, (long long)id);
			chk->bad_id = id;
			break;
		}
		if (!prev || strcmp(prev, expect)) {
			snprintf(chk->why, sizeof chk->why, "第 %lld 条审计记录与前一条不相连（前面的记录被删除或改动）",
			         (long long)id);
			chk->bad_id = id;
			break;
		}
		if (compute_mac(app, id, zb_col_int(st, 1), zb_col_int(st, 2), zb_col_text(st, 3), zb_col_text(st, 4),
		                zb_col_text(st, 5), zb_col_text(st, 6), zb_col_text(st, 7), zb_col_text(st, 8),
		                zb_col_text(st, 9), prev, calc) ||
		    !mac || strcmp(mac, calc)) {
			snprintf(chk->why, sizeof chk->why, "第 %lld 条审计记录的内容被改动（签名不符）", (long long)id);
			chk->bad_id = id;
			break;
		}
		for (; j < nan && an[j].id == id; j++) {
			chk->anchors++;
			if (!hex_equal(an[j].mac, mac)) {
				char t[32];
				fmt_time(an[j].at, t);
				snprintf(chk->why, sizeof chk->why,
				         "第 %lld 条审计记录与锚点（锚点文件第 %d 行，%s 锚定）不符：这条记录或它之前的记录被改写过",
				         (long long)id, an[j].line, t);
				chk->bad_id = id;
				break;
			}
		}
		if (chk->why[0])
			break;
		snprintf(expect, sizeof expect, "%s", mac);
		last = id;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return e->code; /* the step's error, filled in e */
	*used = j;
	*last_id = last;
	memcpy(tail, expect, 65);
	return 0;
}

/* The head must exist, name exactly the last row, and carry a MAC made
 * with the audit key.  Fills chk->why on the first problem. */
static void check_head(const head *h, int64_t last_id, const char *tail, zb_audit_check *chk)
{
	if (!h->present) {
		snprintf(chk->why, sizeof chk->why, "审计链头缺失（audit_head 中没有链头记录）：无法确认末尾是否完整");
	} else if (h->id > last_id) {
		snprintf(chk->why, sizeof chk->why, "审计链末尾被截断：链头记到第 %lld 条，实有 %lld 条",
		         (long long)h->id, (long long)last_id);
		chk->bad_id = last_id + 1;
	} else if (h->id < last_id) {
		snprintf(chk->why, sizeof chk->why, "审计链头之后还有记录（第 %lld 条起）：链头被改回过", (long long)h->id + 1);
		chk->bad_id = h->id + 1;
	} else if (strcmp(h->mac, tail)) {
		snprintf(chk->why, sizeof chk->why, "审计链头与最后一条记录（第 %lld 条）不符：末尾的记录被改写过",
		         (long long)last_id);
		chk->bad_id = last_id;
	} else if (!h->sealed && !head_is_genesis(h)) {
		snprintf(chk->why, sizeof chk->why, "审计链头没有签名：无法确认末尾是否完整");
	} else if (h->sealed && !h->sig_ok) {
		snprintf(chk->why, sizeof chk->why, "审计链头签名不符：链头被改写过，末尾的记录可能被删除");
	}
}

static int verify(zb_db *db, zb_app *app, const char *anchors_path, int missing_ok, zb_audit_check *out,
                  char tail[65], zb_err *e)
{
	memset(out, 0, sizeof *out);
	if (!app->keys)
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计密钥未加载");
	anchor *an = NULL;
	size_t nan = 0, used = 0;
	/* Checkpoints first: each was taken from a committed head, so the
	 * snapshot below, begun later, reaches at least as far. */
	int rc = anchors_path ? read_anchors(app, anchors_path, missing_ok, &an, &nan, out, e) : 0;
	if (rc || out->why[0])
		goto out;
	/* head and rows from one snapshot: a writer committing meanwhile
	 * moves neither */
	int own = !zb_db_in_tx(db);
	if (own && (rc = zb_db_begin_read(db, e)))
		goto out;
	head h;
	int64_t last_id = 0;
	rc = read_head(db, app, &h, e);
	if (!rc)
		rc = walk(db, app, an, nan, &used, &last_id, tail, out, e);
	if (own)
		zb_db_rollback(db);
	if (rc)
		goto out;
	out->head_id = h.present ? h.id : 0;
	if (!out->why[0])
		check_head(&h, last_id, tail, out);
	if (!out->why[0] && used < nan) {
		/* sorted: an[used] is the lowest checkpoint past the tail */
		char t[32];
		fmt_time(an[used].at, t);
		snprintf(out->why, sizeof out->why,
		         "审计链末尾被截断：锚点文件第 %d 行记录 %s 时已有第 %lld 条记录，现在只到第 %lld 条",
		         an[used].line, t, (long long)an[used].id, (long long)last_id);
		out->bad_id = last_id + 1;
	}
out:
	out->ok = !rc && !out->why[0];
	free(an);
	return rc;
}

int zb_audit_verify(zb_db *db, zb_app *app, const char *anchors_path, zb_audit_check *out, zb_err *e)
{
	char tail[65];
	return verify(db, app, anchors_path, 0, out, tail, e);
}

int zb_audit_anchor(zb_db *db, zb_app *app, const char *path, zb_audit_check *out, zb_err *e)
{
	char tail[65];
	int rc = verify(db, app, path, 1, out, tail, e);
	if (rc || !out->ok)
		return rc;
	if (out->head_id == 0)
		return zb_fail(e, ZB_ECONFLICT, NULL, "审计链还没有记录，无需锚定");
	unsigned char key[ZB_SM3_LEN];
	char sig[65], line[ANCHOR_LINE_MAX];
	int64_t at = zb_now(app);
	rc = anchor_key(app, key) || anchor_sig(key, out->head_id, at, tail, sig);
	sodium_memzero(key, sizeof key);
	if (rc)
		return zb_fail(e, ZB_EINTERNAL, NULL, "锚点签名失败");
	int n = snprintf(line, sizeof line, "zhibu-audit-anchor v1 id=%lld at=%lld mac=%s sig=%s\n",
	                 (long long)out->head_id, (long long)at, tail, sig);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == ELOOP)
		return zb_fail(e, ZB_EINVAL, "o", "锚点文件 %s 是符号链接：请给出文件本身的路径", path);
	if (fd < 0)
		return zb_fail(e, ZB_EINVAL, "o", "写不进锚点文件 %s：%s", path, strerror(errno));
	/* one write of the whole line: O_APPEND keeps concurrent lines whole */
	ssize_t w = write(fd, line, (size_t)n);
	int err = w == n ? 0 : (w < 0 ? errno : EIO);
	if (!err && fsync(fd))
		err = errno;
	if (close(fd) && !err)
		err = errno;
	if (err)
		return zb_fail(e, ZB_EINTERNAL, "o", "写锚点文件 %s 失败：%s", path, strerror(err));
	out->anchor_at = at;
	return 0;
}

/* ---- re-sealing the head ---- */

int zb_audit_seal(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_audit_check *out, int *sealed, zb_err *e)
{
	memset(out, 0, sizeof *out);
	*sealed = 0;
	if (!app->keys)
		return zb_fail(e, ZB_EINTERNAL, NULL, "审计密钥未加载");
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	char tail[65], detail[200];
	int64_t last_id = 0;
	size_t used = 0;
	head h;
	if ((rc = zb_db_run(db, e, NULL, "UPDATE audit_head SET last_id = last_id WHERE id = 1", "")) ||
	    (rc = read_head(db, app, &h, e)) || (rc = walk(db, app, NULL, 0, &used, &last_id, tail, out, e)))
		goto fail;
	if (out->why[0])
		goto fail; /* the rows themselves are damaged: nothing to seal */
	out->rows = last_id;
	check_head(&h, last_id, tail, out);
	if (!out->why[0]) {
		/* nothing wrong with the head */
		zb_db_rollback(db);
		out->ok = 1;
		out->head_id = h.id;
		return 0;
	}
	snprintf(detail, sizeof detail, "{\"previous_head_id\":%lld,\"rows\":%lld}", (long long)(h.present ? h.id : -1),
	         (long long)last_id);
	if (!h.present &&
	    (rc = zb_db_run(db, e, NULL, "INSERT INTO audit_head (id, last_id, last_mac) VALUES (1, 0, ?)", "s", ZERO_MAC)))
		goto fail;
	if ((rc = write_head(db, app, last_id, tail, e)))
		goto fail;
	zb_audit_ev sev = *ev;
	sev.action = "audit.seal";
	sev.detail = detail;
	if ((rc = append_locked(db, app, &sev, e)) || (rc = zb_db_commit(db, e)))
		goto fail;
	*sealed = 1;
	out->ok = 1;
	out->head_id = last_id + 1;
	return 0;
fail:
	zb_db_rollback(db);
	out->ok = 0;
	return rc;
}
