/* jcache.c - see jcache.h. */
#include "core/jcache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 256

typedef struct jentry {
	char *key;
	char version[40];
	char *json;
} jentry;

static jentry slots[SLOTS];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static jentry *slot_of(const char *key)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	return &slots[h % SLOTS];
}

int zb_jcache_get(const char *key, const char *version, zb_jw *w)
{
	jentry *s = slot_of(key);
	int hit = 0;
	pthread_mutex_lock(&mu);
	if (s->json && !strcmp(s->key, key) && !strcmp(s->version, version)) {
		jw_raw(w, s->json);
		hit = 1;
	}
	pthread_mutex_unlock(&mu);
	return hit;
}

void zb_jcache_put(const char *key, const char *version, const char *json)
{
	char *k = strdup(key), *j = strdup(json);
	if (!k || !j) {
		free(k);
		free(j);
		return;
	}
	jentry *s = slot_of(key);
	pthread_mutex_lock(&mu);
	free(s->key);
	free(s->json);
	s->key = k;
	s->json = j;
	snprintf(s->version, sizeof s->version, "%s", version);
	pthread_mutex_unlock(&mu);
}
