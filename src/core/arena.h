/* arena.h - a memory pool per request (h2o's idea), freed once.
 *
 * Allocations are never freed one by one; zb_arena_free() releases all.
 * Anything that must outlive the request is copied out with malloc and
 * its owner documented where it is stored.  Allocation failure aborts the
 * process: an arena is bounded by the request caps checked before use.
 */
#ifndef ZB_ARENA_H
#define ZB_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct zb_arena_chunk zb_arena_chunk;
typedef struct zb_arena {
	zb_arena_chunk *head;
	size_t total;
} zb_arena;

void zb_arena_init(zb_arena *a);
void zb_arena_free(zb_arena *a);  /* accepts an initialised or zeroed arena */
void *zb_arena_alloc(zb_arena *a, size_t n);     /* zeroed, 16-aligned */
char *zb_arena_strdup(zb_arena *a, const char *s);  /* NULL -> NULL */
char *zb_arena_strndup(zb_arena *a, const char *s, size_t n);
char *zb_arena_printf(zb_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
