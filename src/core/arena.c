#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zb_arena_chunk {
	zb_arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char mem[];
};

#define CHUNK 8192

void zb_arena_init(zb_arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void zb_arena_free(zb_arena *a)
{
	if (!a)
		return;
	zb_arena_chunk *c = a->head;
	while (c) {
		zb_arena_chunk *n = c->next;
		free(c);
		c = n;
	}
	a->head = NULL;
	a->total = 0;
}

void *zb_arena_alloc(zb_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n == 0)
		n = 16;
	zb_arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t sz = n > CHUNK / 2 ? n : CHUNK;
		c = malloc(sizeof *c + sz);
		if (!c) {
			fputs("zhibu: out of memory\n", stderr);
			abort();
		}
		c->size = sz;
		c->used = 0;
		if (n > CHUNK / 2 && a->head) {
			/* big block: keep the current chunk in front for small ones */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->total += sz;
	}
	void *p = c->mem + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *zb_arena_strndup(zb_arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = zb_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *zb_arena_strdup(zb_arena *a, const char *s)
{
	return s ? zb_arena_strndup(a, s, strlen(s)) : NULL;
}

char *zb_arena_printf(zb_arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(ap2);
		return zb_arena_strdup(a, "");
	}
	char *p = zb_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}
