/* home.h - what the home screen reads of the org module, in one call. */
#ifndef ZB_ORG_HOME_H
#define ZB_ORG_HOME_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "org/structure.h"
#include "store/db.h"

/* Bring the roll-ups up to the rules in force today (in a transaction of
 * its own, when rules dated in the future took effect), then read in one
 * snapshot: the cached statistics of org_id, written to w as
 * zb_org_stats_cached() writes them, and, when want_warnings, the
 * structure warnings of the subtree at path. */
int zb_org_home_read(zb_db *db, int64_t org_id, const char *path, const char *today, int want_warnings, zb_jw *w,
                     zb_arena *a, zb_warning **wv, int *nw, zb_err *e);

#endif
