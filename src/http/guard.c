/* guard.c - limits that protect the server from hostile clients:
 * request-body bytes in flight per client address and in total, and the
 * rate-limited audit of denied requests.  Contracts in http.h. */
#include "http/http.h"
#include "audit/audit.h"
#include "core/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- request bodies in flight ------------------------------------------- */

#define UP_BUCKETS 256

typedef struct up_entry {
	struct up_entry *next;
	size_t bytes;
	char ip[];
} up_entry;

static pthread_mutex_t up_mu = PTHREAD_MUTEX_INITIALIZER;
static up_entry *up_tab[UP_BUCKETS];
static size_t up_total;

static unsigned str_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static up_entry **up_find(const char *ip)
{
	up_entry **pp = &up_tab[str_hash(ip) % UP_BUCKETS];
	while (*pp && strcmp((*pp)->ip, ip))
		pp = &(*pp)->next;
	return pp;
}

int zb_upload_reserve(zb_app *app, const char *ip, size_t n, zb_err *e)
{
	if (!n)
		return 0;
	if (!ip)
		ip = "?";
	int rc = 0;
	pthread_mutex_lock(&up_mu);
	up_entry **pp = up_find(ip);
	size_t mine = *pp ? (*pp)->bytes : 0;
	if (n > app->cfg.upload_client_max || mine > app->cfg.upload_client_max - n) {
		rc = zb_fail(e, ZB_ERATE, NULL,
		             "您（%s）同时上传的内容过多（上限 %zu MB）：请等其他上传完成后再试", ip,
		             app->cfg.upload_client_max >> 20);
	} else if (n > app->cfg.upload_total_max || up_total > app->cfg.upload_total_max - n) {
		rc = zb_fail(e, ZB_EUNAVAIL, NULL, "服务器正在接收的上传内容过多（上限 %zu MB）：请稍后重试",
		             app->cfg.upload_total_max >> 20);
	} else {
		if (!*pp) {
			size_t l = strlen(ip);
			up_entry *u = malloc(sizeof *u + l + 1);
			if (!u) {
				pthread_mutex_unlock(&up_mu);
				return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			}
			u->next = NULL;
			u->bytes = 0;
			memcpy(u->ip, ip, l + 1);
			*pp = u;
		}
		(*pp)->bytes += n;
		up_total += n;
	}
	pthread_mutex_unlock(&up_mu);
	return rc;
}

void zb_upload_release(const char *ip, size_t n)
{
	if (!n)
		return;
	if (!ip)
		ip = "?";
	pthread_mutex_lock(&up_mu);
	up_entry **pp = up_find(ip);
	if (*pp) {
		up_entry *u = *pp;
		u->bytes = u->bytes > n ? u->bytes - n : 0;
		if (!u->bytes) {
			*pp = u->next;
			free(u);
		}
	}
	up_total = up_total > n ? up_total - n : 0;
	pthread_mutex_unlock(&up_mu);
}

size_t zb_upload_in_flight(void)
{
	pthread_mutex_lock(&up_mu);
	size_t n = up_total;
	pthread_mutex_unlock(&up_mu);
	return n;
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
