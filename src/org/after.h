/* after.h - what a roster write sets off in the org module, as one named
 * step: first the roll-up counts of the member's org and its ancestors
 * (counts.c), then the structure warnings that read those counts
 * (warnings.c).  The member domain (member/member.c, member/import.c) and
 * the demo generator call these and nothing below them.
 */
#ifndef ZB_ORG_AFTER_H
#define ZB_ORG_AFTER_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "org/counts.h"
#include "store/db.h"

/* After a member row was inserted (old_f NULL), updated or moved, or
 * deleted (new_f NULL), in the SAME write transaction: the roll-ups take
 * the change old -> new, then the warnings of the member's org (old and
 * new org when it moved; a 党小组's branch too) are re-evaluated when its
 * totals changed.  With acc (a bulk write, the roster import) both only
 * collect in acc until zb_org_after_roster_flush.  Equal facts cost
 * nothing.  On failure the caller rolls back. */
int zb_org_after_roster_change(zb_db *db, zb_counts_acc *acc, const zb_member_facts *old_f,
                               const zb_member_facts *new_f, zb_err *e);
/* The end of a bulk write, in its transaction: the collected counts are
 * written, then the warnings of every org whose totals changed are
 * re-evaluated once each; acc is emptied. */
int zb_org_after_roster_flush(zb_db *db, zb_counts_acc *acc, zb_err *e);

/* After members were loaded around the step (zhibu demo), or to repair
 * (zhibu check --rebuild/--fix): every roll-up recomputed from the base
 * tables - the counts, then every org's warnings.  Runs in the caller's
 * write transaction if one is open, otherwise in one of its own. */
int zb_org_rollups_rebuild(zb_db *db, zb_err *e);
/* Compare the stored roll-ups with a recount (counts, then warnings)
 * without changing anything: *mismatches gets the number of (org, dim,
 * key) rows that differ (0 = consistent); the first is described in
 * *first (arena, may be NULL). */
int zb_org_rollups_verify(zb_db *db, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e);

#endif
