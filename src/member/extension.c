/* extension.c - one member's 预备期 and its extension (extension.h). */
#include "member/extension.h"
#include "core/date.h"
#include "core/jw.h"

#include <string.h>

typedef struct view_row {
	zb_arena *a;
	zb_probation_view *v;
} view_row;

static void read_view(zb_stmt *st, void *ctx)
{
	view_row *r = ctx;
	zb_probation_view *v = r->v;
	v->name = zb_arena_strdup(r->a, zb_col_text(st, 0));
	v->category = zb_arena_strdup(r->a, zb_col_text(st, 1));
	v->join_date = zb_arena_strdup(r->a, zb_col_text(st, 2));
	v->full_date = zb_arena_strdup(r->a, zb_col_text(st, 3));
	v->org_path = zb_arena_strdup(r->a, zb_col_text(st, 4));
	v->ext_months = (int)zb_col_int(st, 5);
	v->ext_on = zb_arena_strdup(r->a, zb_col_text(st, 6));
	v->ext_reason = zb_arena_strdup(r->a, zb_col_text(st, 7));
}

int zb_probation_view_get(zb_db *db, int64_t member_id, const char *today, zb_arena *a, zb_probation_view *v,
                          zb_err *e)
{
	memset(v, 0, sizeof *v);
	view_row r = {a, v};
	int rc = zb_db_one(db, e, "未找到该党员", read_view, &r,
	                   "SELECT mb.name, mb.category, mb.join_date, mb.full_date, mb.org_path, x.months, x.decided_on, "
	                   "x.reason FROM members mb LEFT JOIN probation_extensions x ON x.member_id = mb.id "
	                   "WHERE mb.id = ?",
	                   "i", member_id);
	if (rc)
		return rc;
	v->has_rules = v->join_date && zb_date_valid(v->join_date);
	if (v->has_rules && (rc = zb_probation_rules_get(db, v->org_path, v->join_date, &v->rules, e)))
		return rc;
	if (v->has_rules && v->rules.months)
		zb_probation_end(v->join_date, v->rules.months, v->ext_months, v->ends_on);
	int prob = v->category && !strcmp(v->category, "probationary");
	v->overdue = prob && v->ends_on[0] && strcmp(today, v->ends_on) > 0;
	return 0;
}

int zb_probation_extension_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                               int months, const char *decided_on, const char *reason, const char *today,
                               int64_t now, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_probation_extend(db, member_id, months, decided_on, reason, today, by->user_id, now, e);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "months", months);
		jw_kstr(w, "decided_on", decided_on);
		jw_kstr(w, "reason", reason);
		rc = zb_audit_change_detail(db, app, by, "member.probation_extend", "member", member_id, org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}
