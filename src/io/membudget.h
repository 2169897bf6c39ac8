/* membudget.h - one memory budget shared by every parse of an uploaded file.
 *
 * A zb_membudget caps the bytes that all concurrent table reads (and the
 * rows their callers keep) may hold at once, across threads.  Each read
 * counts what it holds in a zb_memcharge bound to the budget: the readers
 * (io/table.h) add a fixed reserve for their parser state while they run,
 * the shared strings and decoded text they hold, and every cell byte they
 * hand to the callback (which the caller may keep).  Whoever owns the
 * charge releases it when it has freed what it kept.
 *
 * Adding fails, and nothing is counted, when
 *   - the charge alone would pass the cap: ZB_ETOOBIG (this file is too
 *     big to parse at all), or
 *   - the charge fits but the budget's total would pass the cap because
 *     other parses hold the rest: ZB_EUNAVAIL (try again later).
 * Both fill e with a Chinese message naming the file ("file" field).
 *
 * A charge with b == NULL counts nothing and never fails (command line,
 * tests).  All functions are thread-safe for distinct charges sharing one
 * budget; one charge belongs to one thread at a time.
 */
#ifndef ZB_IO_MEMBUDGET_H
#define ZB_IO_MEMBUDGET_H

#include <stdatomic.h>
#include <stddef.h>

#include "core/err.h"

typedef struct zb_membudget {
	atomic_size_t used;
	size_t cap;
} zb_membudget;

typedef struct zb_memcharge {
	zb_membudget *b;   /* NULL: count nothing */
	size_t held;       /* bytes this charge holds in b */
} zb_memcharge;

void zb_membudget_init(zb_membudget *b, size_t cap);
size_t zb_membudget_used(zb_membudget *b);

int zb_memcharge_add(zb_memcharge *c, size_t n, zb_err *e);
/* Give back n bytes (at most what the charge holds). */
void zb_memcharge_sub(zb_memcharge *c, size_t n);
/* Give back everything the charge holds. */
void zb_memcharge_release(zb_memcharge *c);

#endif
