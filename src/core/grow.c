/* grow.c - see grow.h */
#include "core/grow.h"
#include "core/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The capacity after growing, or 0 when want * elem would overflow. */
static size_t next_cap(size_t n, size_t cap, size_t elem)
{
	size_t want = cap ? cap * 2 : 16;
	if (want < n + 1)
		want = n + 1;
	return !elem || want > SIZE_MAX / elem ? 0 : want;
}

int zb_grow(void **p, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t want = next_cap(n, *cap, elem);
	void *q = want ? realloc(*p, want * elem) : NULL;
	if (!q)
		return -1;
	*p = q;
	*cap = want;
	return 0;
}

void zb_arena_grow(zb_arena *a, void **p, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return;
	size_t want = next_cap(n, *cap, elem);
	if (!want) {
		fputs("zhibu: out of memory\n", stderr);
		abort();
	}
	void *q = zb_arena_alloc(a, want * elem);
	if (*cap) /* the elements so far: n of them, or all the old block holds */
		memcpy(q, *p, (n < *cap ? n : *cap) * elem);
	*p = q;
	*cap = want;
}
