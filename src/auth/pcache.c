/* pcache.c - the principal cache of one node (see pcache.h). */
#include "auth/pcache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct pc_entry {
	char hash[65];
	zb_pc_kind kind;        /* 0: empty */
	int64_t ver;
	int64_t loaded_ms;      /* monotonic */
	uint64_t used;          /* set-local tick of the last use */
	zb_pc_info info;
	zb_principal *p;        /* one malloc'd block, see flatten() */
} pc_entry;

static struct pc_set {
	pthread_mutex_t mu;
	uint64_t tick;
	pc_entry e[ZB_PCACHE_WAYS];
} sets[ZB_PCACHE_SETS];
static pthread_once_t sets_once = PTHREAD_ONCE_INIT;

static void sets_init(void)
{
	for (int i = 0; i < ZB_PCACHE_SETS; i++)
		pthread_mutex_init(&sets[i].mu, NULL);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct pc_set *set_of(const char *hash)
{
	pthread_once(&sets_once, sets_init);
	/* the hash is a BLAKE2b digest in hex: its first digits are uniform */
	unsigned h = 0;
	for (int i = 0; i < 8 && hash[i]; i++)
		h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : (hash[i] | 0x20) - 'a' + 10);
	return &sets[h % ZB_PCACHE_SETS];
}

/* ---- a principal as one block: struct, grants, strings ---- */

static size_t slen(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

static size_t flat_size(const zb_principal *p)
{
	size_t n = sizeof *p + sizeof(zb_grant) * (size_t)(p->ngrants > 0 ? p->ngrants : 1);
	n += slen(p->username) + slen(p->display_name) + slen(p->member_org_path) + slen(p->token_hash);
	for (int i = 0; i < p->ngrants; i++) {
		const zb_grant *g = &p->grants[i];
		n += slen(g->role) + slen(g->role_name) + slen(g->org_path) + slen(g->org_name);
	}
	return n;
}

static const char *put(char **at, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = *at;
	memcpy(d, s, n);
	*at += n;
	return d;
}

/* blk: flat_size(src) zeroed bytes, aligned for zb_principal */
static zb_principal *flatten(const zb_principal *src, void *blk)
{
	zb_principal *d = blk;
	*d = *src;
	d->grants = (zb_grant *)(d + 1);
	int slots = src->ngrants > 0 ? src->ngrants : 1;
	char *s = (char *)(d->grants + slots);
	d->username = put(&s, src->username);
	d->display_name = put(&s, src->display_name);
	d->member_org_path = put(&s, src->member_org_path);
	d->token_hash = put(&s, src->token_hash);
	for (int i = 0; i < src->ngrants; i++) {
		zb_grant *g = &d->grants[i];
		*g = src->grants[i];
		g->role = put(&s, src->grants[i].role);
		g->role_name = put(&s, src->grants[i].role_name);
		g->org_path = put(&s, src->grants[i].org_path);
		g->org_name = put(&s, src->grants[i].org_name);
	}
	return d;
}

/* ---- the version ---- */

static struct {
	pthread_mutex_t mu;
	int64_t known;      /* newest version read by this node */
	int64_t checked_ms; /* when */
	int reading;        /* a thread is reading it now */
} ver = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int read_version(zb_db *db, int64_t *v)
{
	zb_err e = {0};
	*v = 0;
	return zb_db_int(db, &e, v, "SELECT v FROM auth_version WHERE id = 1", "");
}

static void note_version(int64_t v, int64_t at)
{
	if (v > ver.known)
		ver.known = v;
	ver.checked_ms = at;
}

int64_t zb_pcache_version(zb_db *db)
{
	int64_t v = 0;
	if (!db || zb_db_in_tx(db))
		return 0;
	if (zb_db_backend(db) == ZB_DB_SQLITE)
		return read_version(db, &v) ? 0 : v;
	int64_t now = mono_ms();
	pthread_mutex_lock(&ver.mu);
	if (ver.reading || (ver.known && now - ver.checked_ms < 1000)) {
		v = ver.known;
		pthread_mutex_unlock(&ver.mu);
		return v;
	}
	ver.reading = 1;
	pthread_mutex_unlock(&ver.mu);
	int rc = read_version(db, &v);
	pthread_mutex_lock(&ver.mu);
	ver.reading = 0;
	if (!rc)
		note_version(v, now);
	v = rc ? 0 : ver.known;
	pthread_mutex_unlock(&ver.mu);
	return v;
}

void zb_pcache_after_write(zb_db *db)
{
	int64_t v = 0;
	if (!db || zb_db_in_tx(db) || zb_db_backend(db) == ZB_DB_SQLITE)
		return;
	int64_t now = mono_ms();
	if (read_version(db, &v))
		return;
	pthread_mutex_lock(&ver.mu);
	note_version(v, now);
	pthread_mutex_unlock(&ver.mu);
}

/* ---- entries ---- */

static void entry_free(pc_entry *en)
{
	free(en->p);
	memset(en, 0, sizeof *en);
}

static pc_entry *find(struct pc_set *s, const char *hash)
{
	for (int i = 0; i < ZB_PCACHE_WAYS; i++)
		if (s->e[i].kind && !strcmp(s->e[i].hash, hash))
			return &s->e[i];
	return NULL;
}

int zb_pcache_get(const char *hash, zb_pc_kind kind, int64_t v, zb_arena *a, zb_pc_info *info, zb_principal **out)
{
	if (!v || !hash)
		return 0;
	struct pc_set *s = set_of(hash);
	int hit = 0;
	pthread_mutex_lock(&s->mu);
	pc_entry *en = find(s, hash);
	if (en && (en->kind != kind || en->ver != v || mono_ms() - en->loaded_ms >= (int64_t)ZB_PCACHE_TTL * 1000)) {
		entry_free(en);
		en = NULL;
	}
	if (en) {
		en->used = ++s->tick;
		*info = en->info;
		*out = flatten(en->p, zb_arena_alloc(a, flat_size(en->p)));
		hit = 1;
	}
	pthread_mutex_unlock(&s->mu);
	return hit;
}

void zb_pcache_put(const char *hash, zb_pc_kind kind, int64_t v, const zb_pc_info *info, const zb_principal *p)
{
	if (!v || !hash || !p || strlen(hash) >= 65)
		return;
	void *blk = calloc(1, flat_size(p));
	if (!blk)
		return;
	zb_principal *copy = flatten(p, blk);
	struct pc_set *s = set_of(hash);
	pthread_mutex_lock(&s->mu);
	pc_entry *en = find(s, hash);
	if (en && en->ver > v) {
		/* a load under a newer version is already there */
		pthread_mutex_unlock(&s->mu);
		free(blk);
		return;
	}
	if (!en) {
		/* an empty way, else the least recently used */
		en = &s->e[0];
		for (int i = 0; i < ZB_PCACHE_WAYS; i++) {
			if (!s->e[i].kind) {
				en = &s->e[i];
				break;
			}
			if (s->e[i].used < en->used)
				en = &s->e[i];
		}
	}
	entry_free(en);
	snprintf(en->hash, sizeof en->hash, "%s", hash);
	en->kind = kind;
	en->ver = v;
	en->loaded_ms = mono_ms();
	en->used = ++s->tick;
	en->info = *info;
	en->p = copy;
	pthread_mutex_unlock(&s->mu);
}

void zb_pcache_touch(const char *hash, zb_pc_kind kind, int64_t last_seen)
{
	struct pc_set *s = set_of(hash);
	pthread_mutex_lock(&s->mu);
	pc_entry *en = find(s, hash);
	if (en && en->kind == kind && en->info.last_seen < last_seen)
		en->info.last_seen = last_seen;
	pthread_mutex_unlock(&s->mu);
}

void zb_pcache_drop(const char *hash)
{
	struct pc_set *s = set_of(hash);
	pthread_mutex_lock(&s->mu);
	pc_entry *en = find(s, hash);
	if (en)
		entry_free(en);
	pthread_mutex_unlock(&s->mu);
}

void zb_pcache_clear(void)
{
	pthread_once(&sets_once, sets_init);
	for (int i = 0; i < ZB_PCACHE_SETS; i++) {
		pthread_mutex_lock(&sets[i].mu);
		for (int j = 0; j < ZB_PCACHE_WAYS; j++)
			if (sets[i].e[j].kind)
				entry_free(&sets[i].e[j]);
		pthread_mutex_unlock(&sets[i].mu);
	}
}

int zb_pcache_size(void)
{
	pthread_once(&sets_once, sets_init);
	int n = 0;
	for (int i = 0; i < ZB_PCACHE_SETS; i++) {
		pthread_mutex_lock(&sets[i].mu);
		for (int j = 0; j < ZB_PCACHE_WAYS; j++)
			n += sets[i].e[j].kind != 0;
		pthread_mutex_unlock(&sets[i].mu);
	}
	return n;
}
