/* record.c - what every audited write of the org module shares: the audit
 * row (the actor from the caller, the rest from the write), its small JSON
 * detail, and the end of the transaction.  Calls nothing else in org/. */
#include "org/structure.h"

#include <stdio.h>

void zb_org_detail_begin(zb_org_detail *d)
{
	zb_buf_init(&d->b, 16384);
	jw_init(&d->w, &d->b);
	jw_obj(&d->w);
}

const char *zb_org_detail_end(zb_org_detail *d, zb_arena *a)
{
	jw_obj_end(&d->w);
	const char *s = jw_finish(&d->w) ? NULL : zb_arena_strdup(a, d->b.data);
	zb_buf_release(&d->b);
	return s;
}

int zb_org_audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, const char *object_type,
                 int64_t object_id, const char *org_path, const char *detail, zb_err *e)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)object_id);
	zb_audit_ev ev = {
		.user_id = by ? by->user_id : 0,
		.username = by ? by->username : NULL,
		.ip = by ? by->ip : NULL,
		.action = action,
		.object_type = object_type,
		.object_id = object_id ? idbuf : NULL,
		.org_path = org_path,
		.detail = detail,
	};
	return zb_audit_append(db, app, &ev, e);
}

int zb_org_tx_end(zb_db *db, int rc, zb_err *e)
{
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}
