/* after.c - the one step a roster write sets off in the org module: the
 * roll-up counts (counts.c), then the structure warnings that read them
 * (warnings.c), in that order and in the write's transaction; and the same
 * two for every org at once (rebuild, verify).  Holds no SQL of its own. */
#include "org/after.h"
#include "org/structure.h"

#include <string.h>

/* The last org on path and its parent (0 when none). */
static int64_t org_of(const char *path, int64_t *parent)
{
	int64_t ids[32];
	int n = zb_path_ids(path, ids, 32);
	*parent = n >= 2 ? ids[n - 2] : 0;
	return n ? ids[n - 1] : 0;
}

static int refresh_path(zb_db *db, const char *path, zb_err *e)
{
	int64_t parent, org = org_of(path, &parent);
	return org ? zb_org_warn_refresh_member_org(db, org, parent, e) : 0;
}

int zb_org_after_roster_change(zb_db *db, zb_counts_acc *acc, const zb_member_facts *old_f,
                               const zb_member_facts *new_f, zb_err *e)
{
	if (acc)
		return zb_counts_acc_apply(acc, old_f, new_f, e); /* counted and noted for the flush */
	int rc = zb_org_counts_apply(db, old_f, new_f, e);
	if (rc || !zb_counts_totals_changed(old_f, new_f))
		return rc;
	/* the warnings of the member's org read its total and full counts */
	if (old_f && (rc = refresh_path(db, old_f->org_path, e)))
		return rc;
	if (new_f && (!old_f || strcmp(old_f->org_path, new_f->org_path)))
		rc = refresh_path(db, new_f->org_path, e);
	return rc;
}

int zb_org_after_roster_flush(zb_db *db, zb_counts_acc *acc, zb_err *e)
{
	int rc = zb_counts_acc_flush(db, acc, e);
	int64_t org, parent;
	for (size_t i = 0; !rc && (org = zb_counts_acc_org(acc, i, &parent)); i++)
		rc = zb_org_warn_refresh_member_org(db, org, parent, e);
	if (!rc)
		zb_counts_acc_clear(acc);
	return rc;
}

int zb_org_rollups_rebuild(zb_db *db, zb_err *e)
{
	int own_tx = !zb_db_in_tx(db), rc;
	if (own_tx && (rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_counts_rebuild(db, e);
	if (!rc)
		rc = zb_org_warn_rebuild(db, e); /* reads the member counts just written */
	if (!rc)
		rc = zb_counts_touch(db, e);
	return own_tx ? zb_db_end(db, rc, e) : rc;
}

int zb_org_rollups_verify(zb_db *db, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e)
{
	*mismatches = 0;
	if (first)
		*first = NULL;
	zb_counts_tally *t = NULL;
	int rc = zb_counts_recount(db, &t, e);
	if (!rc)
		rc = zb_org_warn_evaluate_all(db, zb_counts_tally_add, t, 0, e);
	if (!rc)
		rc = zb_counts_compare(db, t, a, mismatches, first, e);
	zb_counts_tally_free(t);
	return rc;
}
