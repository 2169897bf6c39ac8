/* explain.h - 情况说明: why a member did not take part in organisational
 * life over a span of dates (illness, work away...).  The risk list
 * (compliance.h, zb_risks_compute) counts an explained month as a good
 * reason. */
#ifndef ZB_MEETING_EXPLAIN_H
#define ZB_MEETING_EXPLAIN_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_explanation {
	int64_t id, member_id, org_id;
	const char *name, *reason, *from, *to;
	int64_t created_at;
} zb_explanation;

/* Record an explanation for member_id (org path org_path) over [from, to]
 * (checked dates) in a transaction of its own with the "risk.explain"
 * audit row (by: the caller, as in meeting/record.h). */
int zb_explanation_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                       const char *reason, const char *from, const char *to, int64_t now, int64_t *id, zb_err *e);

/* The explanations for members of the subtree at root_path with id below
 * after (0: from the newest), newest first, up to limit + 1 (one more than
 * limit: there is a next page). */
int zb_explanation_list(zb_db *db, const char *root_path, int64_t after, int64_t limit, zb_arena *a,
                        zb_explanation **out, int *n, zb_err *e);

#endif
