/* publish.c - a local rule set added from outside (the API), with its
 * audit row and the warnings it changes, and the history of a kind along
 * an org's ancestors. */
#include "rules/rules.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/jw.h"
#include "org/structure.h"

#include <stdlib.h>
#include <string.h>

int zb_rules_publish(zb_app *app, zb_db *db, const zb_audit_ev *by, const char *kind, int64_t org_id,
                     const char *org_path, const char *from, const char *name, json_t *data, int64_t *id,
                     char **merged, zb_err *e)
{
	*merged = NULL;
	char today[11];
	zb_today(app, today);
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_rules_add(db, kind, org_id, from, name && *name ? name : kind, data, zb_now(app), by ? by->user_id : 0,
	                  id, merged, e);
	/* a set in force now changes warnings below the org at once; a
	 * future one is picked up on its date (zb_org_rules_catch_up) */
	if (!rc && strcmp(from, today) <= 0 && (!strcmp(kind, "org_structure") || !strcmp(kind, "terms")))
		rc = zb_org_warn_refresh_tree(db, org_path, e);
	if (!rc) {
		zb_buf b;
		zb_buf_init(&b, 65536);
		zb_jw w;
		jw_init(&w, &b);
		jw_obj(&w);
		jw_kstr(&w, "kind", kind);
		jw_kstr(&w, "effective_from", from);
		jw_key(&w, "data");
		jw_raw(&w, *merged);
		jw_obj_end(&w);
		rc = zb_audit_change(db, app, by, "rules.add", "rule_set", *id, org_path, jw_finish(&w) ? NULL : b.data, e);
		zb_buf_release(&b);
	}
	if ((rc = zb_db_end(db, rc, e))) {
		free(*merged);
		*merged = NULL;
	}
	return rc;
}

/* The sets of the orgs on a path (ids) and the national ones, up to max. */
typedef struct rule_rows {
	zb_arena *a;
	const int64_t *ids;
	int nids;
	zb_rule_row *rows;
	int *n, max;
} rule_rows;

static int add_rule_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	rule_rows *l = ctx;
	if (*l->n >= l->max)
		return ZB_DB_STOP;
	int64_t org = zb_col_int(st, 1);
	int mine = !org;
	for (int i = 0; i < l->nids && !mine; i++)
		mine = l->ids[i] == org;
	if (!mine)
		return 0;
	zb_rule_row *w = &l->rows[(*l->n)++];
	w->id = zb_col_int(st, 0);
	w->org_id = org;
	w->effective_from = zb_arena_strdup(l->a, zb_col_text(st, 2));
	w->name = zb_arena_strdup(l->a, zb_col_text(st, 3));
	w->data = zb_arena_strdup(l->a, zb_col_text(st, 4));
	return 0;
}

int zb_rules_history(zb_db *db, const char *kind, const char *path, zb_arena *a, zb_rule_row **rows, int *n,
                     zb_err *e)
{
	enum { MAX = 500 };
	int64_t ids[32];
	int nids = zb_path_ids(path, ids, 32);
	*rows = zb_arena_alloc(a, MAX * sizeof **rows);
	*n = 0;
	rule_rows l = {a, ids, nids, *rows, n, MAX};
	return zb_db_each(db, e, add_rule_row, &l,
	                  "SELECT r.id, r.org_id, r.effective_from, r.name, r.data FROM rule_sets r "
	                  "WHERE r.kind = ? ORDER BY r.effective_from DESC, r.id DESC LIMIT 500",
	                  "s", kind);
}
