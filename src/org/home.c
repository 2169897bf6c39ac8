/* home.c - see home.h. */
#include "org/home.h"

int zb_org_home_read(zb_db *db, int64_t org_id, const char *path, const char *today, int want_warnings, zb_jw *w,
                     zb_arena *a, zb_warning **wv, int *nw, zb_err *e)
{
	*wv = NULL;
	*nw = 0;
	int64_t pending = 0;
	int rc = zb_org_rules_pending(db, today, &pending, e);
	if (rc)
		return rc;
	if (pending) {
		if ((rc = zb_db_begin_write(db, e)))
			return rc;
		if ((rc = zb_org_rules_catch_up(db, today, e))) {
			zb_db_rollback(db);
			return rc;
		}
		if ((rc = zb_db_commit(db, e)))
			return rc;
	}
	if ((rc = zb_db_begin_read(db, e)))
		return rc;
	rc = zb_org_stats_cached(db, org_id, today, w, e);
	if (!rc && want_warnings)
		rc = zb_org_warnings(db, path, today, a, wv, nw, e);
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}
