/* grow.c - see grow.h */
#include "core/grow.h"

#include <stdint.h>
#include <stdlib.h>

int zb_grow(void **p, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t want = *cap ? *cap * 2 : 16;
	if (want < n + 1)
		want = n + 1;
	if (!elem || want > SIZE_MAX / elem)
		return -1;
	void *q = realloc(*p, want * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = want;
	return 0;
}
