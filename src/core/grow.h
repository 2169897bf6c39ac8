/* grow.h - room for one more element in a heap array (ZB_GROW) or an
 * arena array (ZB_AGROW).
 *
 *   if (ZB_GROW(items, n, cap))
 *           return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
 *   items[n++] = x;
 *
 * Doubles the capacity (from 16) when n has reached it; on failure the
 * array, its elements and cap are untouched and -1 is returned.  n and cap
 * are size_t; cap starts at 0 with the pointer NULL. */
#ifndef ZB_GROW_H
#define ZB_GROW_H

#include <stddef.h>

int zb_grow(void **p, size_t n, size_t *cap, size_t elem);

#define ZB_GROW(p, n, cap) zb_grow((void **)&(p), (n), &(cap), sizeof *(p))

/* The same for an array in an arena (which cannot fail: an arena aborts
 * when memory runs out): a new block, twice as large (or n + 1), with the
 * elements copied over; the old one stays until the arena is freed. */
struct zb_arena;
void zb_arena_grow(struct zb_arena *a, void **p, size_t n, size_t *cap, size_t elem);

#define ZB_AGROW(a, p, n, cap) zb_arena_grow((a), (void **)&(p), (n), &(cap), sizeof *(p))

#endif
