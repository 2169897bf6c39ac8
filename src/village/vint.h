/* vint.h - what the files of village/ share and nothing else uses. */
#ifndef ZB_VILLAGE_VINT_H
#define ZB_VILLAGE_VINT_H

#include "audit/audit.h"
#include "member/member.h"

/* The audit row of a village write by actor ac, with detail d (closed
 * and freed), in the caller's write transaction. */
int zb_vaudit(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, const char *object_type,
              int64_t object_id, const char *org_path, zb_audit_detail *d, zb_err *e);

/* An outcome row on a cadre with its audit row "cadre.outcome", in the
 * caller's write transaction (0 ids and NULL decided_by: none). */
typedef struct zb_voutcome_row {
	int64_t cadre_id, posting_id, review_id, reserve_id;
	const char *path, *kind, *on_date, *reason, *decided_by;
} zb_voutcome_row;
int zb_voutcome_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_voutcome_row *o, int64_t *id, zb_err *e);

#endif
