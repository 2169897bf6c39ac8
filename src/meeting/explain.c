/* explain.c - 情况说明 for members who did not take part (explain.h). */
#include "meeting/explain.h"
#include "auth/authz.h"
#include "core/grow.h"
#include "core/jw.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"

int zb_explanation_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                       const char *reason, const char *from, const char *to, int64_t now, int64_t *id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO risk_explanations (member_id, org_path, reason, from_on, to_on, from_ym, to_ym, created_by, "
	               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	               "issssiiIi", member_id, org_path, reason, from, to, (int64_t)zb_md_ym(from), (int64_t)zb_md_ym(to),
	               by->user_id, now);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "member_id", member_id);
		jw_kstr(w, "reason", reason);
		jw_kstr(w, "from", from);
		jw_kstr(w, "to", to);
		rc = zb_audit_change_detail(db, app, by, "risk.explain", "member", member_id, org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

typedef struct explanations {
	zb_arena *a;
	zb_explanation *rows;
	size_t n, cap;
} explanations;

static int add_explanation(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	explanations *l = ctx;
	zb_arena *a = l->a;
	ZB_AGROW(a, l->rows, l->n, l->cap);
	zb_explanation *x = &l->rows[l->n++];
	x->id = zb_col_int(st, 0);
	x->member_id = zb_col_int(st, 1);
	x->name = zb_arena_strdup(a, zb_col_text(st, 2));
	x->reason = zb_arena_strdup(a, zb_col_text(st, 3));
	x->from = zb_arena_strdup(a, zb_col_text(st, 4));
	x->to = zb_arena_strdup(a, zb_col_text(st, 5));
	x->created_at = zb_col_int(st, 6);
	x->org_id = zb_col_int(st, 7);
	return 0;
}

int zb_explanation_list(zb_db *db, const char *root_path, int64_t after, int64_t limit, zb_arena *a,
                        zb_explanation **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	explanations l = {.a = a};
	int rc = zb_db_each(db, e, add_explanation, &l,
	                    "SELECT x.id, x.member_id, mb.name, x.reason, x.from_on, x.to_on, x.created_at, mb.org_id "
	                    "FROM risk_explanations x JOIN members mb ON mb.id = x.member_id "
	                    "WHERE mb.org_path >= ? AND mb.org_path < ? AND (? = 0 OR x.id < ?) ORDER BY x.id DESC LIMIT ?",
	                    "ssiii", root_path, upper, after, after, limit + 1);
	if (rc)
		return rc;
	*out = l.rows;
	*n = (int)l.n;
	return 0;
}
