/* guard.c - limits that protect the server from hostile clients:
 * request-body and answer bytes in flight per client address and in
 * total, and the
 * rate-limited audit of denied requests.  Contracts in http.h. */
#include "http/http.h"
#include "audit/audit.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- bytes in flight: request bodies and answers ------------------------ */

#define UP_BUCKETS 256

typedef struct up_entry {
	struct up_entry *next;
	size_t bytes;
	char ip[];
} up_entry;

/* Bytes held for clients, by address and in total: one for request
 * bodies being received, one for answers not yet taken. */
typedef struct budget {
	pthread_mutex_t mu;
	up_entry *tab[UP_BUCKETS];
	size_t total;
} budget;

static budget uploads = {.mu = PTHREAD_MUTEX_INITIALIZER};
static budget answers = {.mu = PTHREAD_MUTEX_INITIALIZER};

static unsigned str_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static up_entry **up_find(budget *b, const char *ip)
{
	up_entry **pp = &b->tab[str_hash(ip) % UP_BUCKETS];
	while (*pp && strcmp((*pp)->ip, ip))
		pp = &(*pp)->next;
	return pp;
}

/* Count n bytes for ip: 1 if the address would pass client_max, 2 if all
 * together would pass total_max (nothing counted then), -1 out of memory. */
static int reserve(budget *b, const char *ip, size_t n, size_t client_max, size_t total_max)
{
	int rc = 0;
	pthread_mutex_lock(&b->mu);
	up_entry **pp = up_find(b, ip);
	size_t mine = *pp ? (*pp)->bytes : 0;
	if (n > client_max || mine > client_max - n) {
		rc = 1;
	} else if (n > total_max || b->total > total_max - n) {
		rc = 2;
	} else {
		if (!*pp) {
			size_t l = strlen(ip);
			up_entry *u = malloc(sizeof *u + l + 1);
			if (!u) {
				pthread_mutex_unlock(&b->mu);
				return -1;
			}
			u->next = NULL;
			u->bytes = 0;
			memcpy(u->ip, ip, l + 1);
			*pp = u;
		}
		(*pp)->bytes += n;
		b->total += n;
	}
	pthread_mutex_unlock(&b->mu);
	return rc;
}

static void release(budget *b, const char *ip, size_t n)
{
	if (!n)
		return;
	pthread_mutex_lock(&b->mu);
	up_entry **pp = up_find(b, ip ? ip : "?");
	if (*pp) {
		up_entry *u = *pp;
		u->bytes = u->bytes > n ? u->bytes - n : 0;
		if (!u->bytes) {
			*pp = u->next;
			free(u);
		}
	}
	b->total = b->total > n ? b->total - n : 0;
	pthread_mutex_unlock(&b->mu);
}

static size_t in_flight(budget *b)
{
	pthread_mutex_lock(&b->mu);
	size_t n = b->total;
	pthread_mutex_unlock(&b->mu);
	return n;
}

int zb_upload_reserve(zb_app *app, const char *ip, size_t n, zb_err *e)
{
	if (!n)
		return 0;
	if (!ip)
		ip = "?";
	switch (reserve(&uploads, ip, n, app->cfg.upload_client_max, app->cfg.upload_total_max)) {
	case 0:
		return 0;
	case 1:
		return zb_fail(e, ZB_ERATE, NULL, "您（%s）同时上传的内容过多（上限 %zu MB）：请等其他上传完成后再试", ip,
		               app->cfg.upload_client_max >> 20);
	case 2:
		return zb_fail(e, ZB_EUNAVAIL, NULL, "服务器正在接收的上传内容过多（上限 %zu MB）：请稍后重试",
		               app->cfg.upload_total_max >> 20);
	default:
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
}

void zb_upload_release(const char *ip, size_t n)
{
	release(&uploads, ip, n);
}

size_t zb_upload_in_flight(void)
{
	return in_flight(&uploads);
}

int zb_answer_reserve(zb_app *app, const char *ip, size_t n, zb_err *e)
{
	if (n < ZB_ANSWER_COUNTED)
		return 0;
	if (!ip)
		ip = "?";
	switch (reserve(&answers, ip, n, app->cfg.answer_client_max, app->cfg.answer_total_max)) {
	case 0:
		return 0;
	case 1:
		return zb_fail(e, ZB_ERATE, NULL,
		               "您（%s）还有未取完的下载（上限 %zu MB）：请等前面的下载完成后再试", ip,
		               app->cfg.answer_client_max >> 20);
	case 2:
		return zb_fail(e, ZB_EUNAVAIL, NULL, "服务器正在发送的内容过多（上限 %zu MB）：请稍后重试",
		               app->cfg.answer_total_max >> 20);
	default:
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
}

void zb_answer_release(const char *ip, size_t n)
{
	if (n >= ZB_ANSWER_COUNTED)
		release(&answers, ip, n);
}

size_t zb_answer_in_flight(void)
{
	return in_flight(&answers);
}

/* ---- audit of denied requests ------------------------------------------- */

#define DENY_SLOTS 1024
#define DENY_PROBE 16
#define DENY_WINDOW 60

static const char *const reason_names[] = {"scope", "permission", "csrf", "token", "session"};
#define NREASONS (sizeof reason_names / sizeof *reason_names)

typedef struct deny_slot {
	int used;
	char ip[64];
	int64_t user_id;
	char username[64];
	int64_t window_start;
	int written;                /* rows written in this window */
	int64_t suppressed;         /* denials not written in this window */
	int64_t by_reason[NREASONS];
	const char *last_route;     /* static (route table) */
} deny_slot;

static pthread_mutex_t deny_mu = PTHREAD_MUTEX_INITIALIZER;
static deny_slot deny_tab[DENY_SLOTS];

static unsigned reason_index(const char *reason)
{
	for (unsigned i = 0; i < NREASONS; i++)
		if (!strcmp(reason_names[i], reason))
			return i;
	return 0;
}

/* One summary row for the denials a window did not write; clears them. */
static void deny_summary(zb_app *app, deny_slot *s, int64_t now)
{
	if (!s->suppressed)
		return;
	zb_buf d;
	zb_buf_init(&d, 4096);
	zb_buf_printf(&d, "{\"suppressed\":%lld,\"written\":%d,\"from\":%lld,\"to\":%lld,\"reasons\":{",
	              (long long)s->suppressed, s->written, (long long)s->window_start, (long long)now);
	int first = 1;
	for (unsigned i = 0; i < NREASONS; i++) {
		if (!s->by_reason[i])
			continue;
		zb_buf_printf(&d, "%s\"%s\":%lld", first ? "" : ",", reason_names[i], (long long)s->by_reason[i]);
		first = 0;
	}
	zb_buf_printf(&d, "},\"last_route\":\"%s\"}", s->last_route ? s->last_route : "");
	zb_audit_ev ev = {
		.user_id = s->user_id,
		.username = s->username[0] ? s->username : NULL,
		.ip = s->ip,
		.action = "access.denied.suppressed",
		.object_type = "route",
		.detail = d.data,
	};
	zb_audit_enqueue(app, &ev);
	zb_buf_release(&d);
	s->suppressed = 0;
	memset(s->by_reason, 0, sizeof s->by_reason);
}

void zb_deny_audit(zb_req *r, const char *reason, int status)
{
	zb_app *app = r->app;
	int64_t now = zb_now(app);
	const char *ip = r->ip ? r->ip : "?";
	int64_t uid = r->who ? r->who->user_id : 0;
	/* from the route table only: nothing the client wrote goes in */
	char route[160];
	snprintf(route, sizeof route, "%s %s", r->route ? r->route->method : "?", r->route ? r->route->pattern : "?");

	char key[96];
	snprintf(key, sizeof key, "%s|%lld", ip, (long long)uid);
	unsigned h = str_hash(key) % DENY_SLOTS;
	int write = 0;
	pthread_mutex_lock(&deny_mu);
	deny_slot *s = NULL, *oldest = NULL;
	for (unsigned k = 0; k < DENY_PROBE; k++) {
		deny_slot *c = &deny_tab[(h + k) % DENY_SLOTS];
		if (c->used && c->user_id == uid && !strcmp(c->ip, ip)) {
			s = c;
			break;
		}
		if (!c->used && !oldest)
			oldest = c;
	}
	if (!s) {
		if (!oldest) {
			/* neighbourhood full: the oldest window gives way, its
			 * suppressed count written first */
			oldest = &deny_tab[h];
			for (unsigned k = 1; k < DENY_PROBE; k++) {
				deny_slot *c = &deny_tab[(h + k) % DENY_SLOTS];
				if (c->window_start < oldest->window_start)
					oldest = c;
			}
			deny_summary(app, oldest, now);
		}
		s = oldest;
		memset(s, 0, sizeof *s);
		s->used = 1;
		snprintf(s->ip, sizeof s->ip, "%s", ip);
		s->user_id = uid;
		if (r->who && r->who->username)
			snprintf(s->username, sizeof s->username, "%s", r->who->username);
		s->window_start = now;
	} else if (now - s->window_start >= DENY_WINDOW) {
		deny_summary(app, s, now);
		s->window_start = now;
		s->written = 0;
	}
	if (s->written < app->cfg.denied_audit_per_min) {
		s->written++;
		write = 1;
	} else {
		s->suppressed++;
		s->by_reason[reason_index(reason)]++;
		s->last_route = r->route ? r->route->pattern : NULL;
	}
	pthread_mutex_unlock(&deny_mu);
	if (!write)
		return;
	/* route and reason only: never a token, cookie or query string */
	zb_audit_ev ev = {
		.user_id = uid,
		.username = r->who ? r->who->username : NULL,
		.ip = ip,
		.action = "access.denied",
		.object_type = "route",
		.object_id = r->target_id ? zb_arena_printf(&r->arena, "%lld", (long long)r->target_id) : NULL,
		.org_path = r->target_path,
		.detail = zb_arena_printf(&r->arena, "{\"route\":\"%s\",\"reason\":\"%s\",\"status\":%d}", route, reason,
		                          status),
	};
	zb_audit_enqueue(app, &ev);
}

void zb_deny_sweep(zb_app *app, int all)
{
	int64_t now = zb_now(app);
	pthread_mutex_lock(&deny_mu);
	for (unsigned i = 0; i < DENY_SLOTS; i++) {
		deny_slot *s = &deny_tab[i];
		if (!s->used || (!all && now - s->window_start < DENY_WINDOW))
			continue;
		deny_summary(app, s, now);
		s->used = 0;
	}
	pthread_mutex_unlock(&deny_mu);
}
