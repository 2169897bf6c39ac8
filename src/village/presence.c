/* presence.c - absences (leave with its approval by length, trainings,
 * trips), the presence derived from them, and the reads of village work:
 * the 第一书记 of a month, a team's postings, log and absences, the
 * pending leaves, the county's view (village/village.h). */
#include "village/village.h"
#include "village/cadre.h"
#include "village/vint.h"
#include "core/date.h"
#include "core/jw.h"
#include "meeting/mrules.h"
#include "org/org.h"
#include "org/structure.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for one more element of an arena array (the old one is left). */
static void *agrow(zb_arena *ar, void *p, int n, int *cap, size_t elem)
{
	if (n < *cap)
		return p;
	int nc = *cap ? *cap * 2 : 16;
	void *q = zb_arena_alloc(ar, (size_t)nc * elem);
	if (n)
		memcpy(q, p, (size_t)n * elem);
	*cap = nc;
	return q;
}
#define AGROW(ar, p, n, cap) ((p) = agrow((ar), (p), (n), &(cap), sizeof *(p)))

#define T(i) zb_arena_strdup(ar, zb_col_text(st, (i)))

/* The first and last day of month "YYYY-MM". */
static int month_span(const char *month, char first[11], char last[11], zb_err *e)
{
	char d[16];
	snprintf(d, sizeof d, "%.7s-01", month ? month : "");
	if (!month || strlen(month) != 7 || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, "month", "月份应为 YYYY-MM");
	char next[11];
	memcpy(first, d, 11);
	zb_date_add_months(first, 1, next);
	zb_date_add_days(next, -1, last);
	return 0;
}

/* ---- absences ---- */

#define ABS_COLS                                                                                              \
	"a.id, a.posting_id, a.level_org_id, a.filed_by, a.decided_by, a.org_path, a.kind, a.from_on, a.to_on, " \
	"a.reason, a.status, a.level, lo.name, a.decision_note, c.name, a.days, a.filed_at, a.decided_at, lo.path "      \
	"FROM village_absences a JOIN village_postings p ON p.id = a.posting_id JOIN cadres c ON c.id = "      \
	"p.cadre_id LEFT JOIN orgs lo ON lo.id = a.level_org_id "

static void abs_row(zb_stmt *st, zb_arena *ar, zb_vabsence *a)
{
	memset(a, 0, sizeof *a);
	a->id = zb_col_int(st, 0);
	a->posting_id = zb_col_int(st, 1);
	a->level_org_id = zb_col_int(st, 2);
	a->filed_by = zb_col_int(st, 3);
	a->decided_by = zb_col_int(st, 4);
	a->org_path = T(5);
	a->kind = T(6);
	a->from_on = T(7);
	a->to_on = T(8);
	a->reason = T(9);
	a->status = T(10);
	a->level = T(11);
	a->level_org_name = T(12);
	a->decision_note = T(13);
	a->cadre_name = T(14);
	a->days = (int)zb_col_int(st, 15);
	a->filed_at = zb_col_int(st, 16);
	a->decided_at = zb_col_int(st, 17);
	a->level_org_path = T(18);
}

typedef struct abs_one {
	zb_arena *ar;
	zb_vabsence *a;
} abs_one;

static void read_abs(zb_stmt *st, void *ctx)
{
	abs_one *o = ctx;
	abs_row(st, o->ar, o->a);
}

int zb_vabsence_get(zb_db *db, int64_t id, zb_arena *ar, zb_vabsence *a, zb_err *e)
{
	abs_one o = {ar, a};
	return zb_db_one(db, e, "未找到该请假或外出记录", read_abs, &o, "SELECT " ABS_COLS "WHERE a.id = ?", "i", id);
}

typedef struct abs_list {
	zb_arena *ar;
	zb_vabsence *items;
	int n, cap;
} abs_list;

static int read_abs_list(zb_stmt *st, void *ctx, zb_err *e)
{
	abs_list *l = ctx;
	(void)e;
	AGROW(l->ar, l->items, l->n, l->cap);
	abs_row(st, l->ar, &l->items[l->n++]);
	return 0;
}

int zb_vteam_absences(zb_db *db, int64_t team_id, const char *from, const char *to, zb_arena *ar,
                      zb_vabsence **out, int *n, zb_err *e)
{
	abs_list l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_abs_list, &l,
	                    "SELECT " ABS_COLS "WHERE p.team_id = ? AND a.from_on <= ? AND a.to_on >= ? "
	                    "ORDER BY a.from_on DESC, a.id DESC",
	                    "iss", team_id, to, from);
	*out = l.items;
	*n = l.n;
	return rc;
}

int zb_vleaves_pending(zb_db *db, const char *path, zb_arena *ar, zb_vabsence **out, int *n, zb_err *e)
{
	abs_list l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_abs_list, &l,
	                    "SELECT " ABS_COLS "WHERE a.org_path LIKE ? AND a.status = 'pending' ORDER BY a.filed_at, a.id LIMIT 500",
	                    "s", zb_arena_printf(ar, "%s%%", path));
	*out = l.items;
	*n = l.n;
	return rc;
}

/* The 党委 that approves at a level: the village's nearest ancestor of
 * type committee (the township), or for the county the committee above
 * that one.  *org_id 0 when the tree has no such org. */
static int level_org(zb_db *db, const char *village_path, const char *level, zb_arena *ar, int64_t *org_id,
                     const char **path, zb_err *e)
{
	*org_id = 0;
	*path = NULL;
	int want = !strcmp(level, "county") ? 2 : 1;
	/* the ancestors, nearest first: the ids along the path */
	int64_t ids[64];
	int nid = zb_path_ids(village_path, ids, 64);
	int found = 0;
	for (int i = nid - 2; i >= 0; i--) {
		zb_org o;
		int rc = zb_org_get(db, ids[i], ar, &o, e);
		if (rc)
			return rc;
		if (strcmp(o.type, "committee"))
			continue;
		if (++found == want) {
			*org_id = o.id;
			*path = o.path;
			return 0;
		}
	}
	return 0;
}

typedef struct posting_min {
	zb_arena *ar;
	int64_t cadre_id, user_id;
	const char *path, *started_on, *ended_on, *name;
} posting_min;

static void read_posting_min(zb_stmt *st, void *ctx)
{
	posting_min *p = ctx;
	zb_arena *ar = p->ar;
	p->cadre_id = zb_col_int(st, 0);
	p->user_id = zb_col_int(st, 1);
	p->path = T(2);
	p->started_on = T(3);
	p->ended_on = T(4);
	p->name = T(5);
}

static int posting_min_get(zb_db *db, int64_t id, zb_arena *ar, posting_min *p, zb_err *e)
{
	p->ar = ar;
	return zb_db_one(db, e, "未找到该驻村任职，或不在您的管理范围内", read_posting_min, p,
	                 "SELECT p.cadre_id, c.user_id, p.org_path, p.started_on, p.ended_on, c.name "
	                 "FROM village_postings p JOIN cadres c ON c.id = p.cadre_id WHERE p.id = ?",
	                 "i", id);
}

static int abs_insert(zb_db *db, zb_app *app, const zb_actor *ac, int64_t posting_id, const posting_min *p,
                      const char *kind, const char *from_on, const char *to_on, int days, const char *reason,
                      const char *status, const char *level, int64_t level_org, int64_t *id, zb_err *e)
{
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO village_absences (posting_id, org_path, kind, from_on, to_on, days, reason, "
	                   "status, level, level_org_id, filed_by, filed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "issssisssIIi", posting_id, p->path, kind, from_on, to_on, (int64_t)days, reason, status, level,
	                   level_org, ac->user_id, zb_now(app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "posting_id", posting_id);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "from_on", from_on);
	jw_kstr(w, "to_on", to_on);
	jw_kint(w, "days", days);
	jw_kstr(w, "level", level);
	return zb_vaudit(db, app, ac, "vabsence.file", "village_absence", *id, p->path, &d, e);
}

int zb_vabsence_file(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t posting_id,
                     const char *kind, const char *from_on, const char *to_on, const char *reason, zb_arena *ar,
                     int64_t *id, zb_err *e)
{
	posting_min p;
	if (posting_id <= 0)
		return zb_fail(e, ZB_EINVAL, "posting_id", "请选择驻村任职");
	int rc = posting_min_get(db, posting_id, ar, &p, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !(p.user_id && p.user_id == who->user_id) && !zb_authz_allows(who, P_MEMBER_WRITE, p.path)))
		rc = zb_fail(e, ZB_ENOTFOUND, "posting_id", "未找到该驻村任职，或不在您的管理范围内");
	if (rc)
		return rc;
	const char *k = zb_vabsence_from(kind);
	if (!k)
		return zb_fail(e, ZB_EINVAL, "kind", "类型应为 leave（请假）、training（培训）或 trip（因公出差）");
	if (!from_on || !zb_date_valid(from_on))
		return zb_fail(e, ZB_EINVAL, "from_on", "请填写开始日期（YYYY-MM-DD）");
	if (!to_on || !zb_date_valid(to_on))
		return zb_fail(e, ZB_EINVAL, "to_on", "请填写结束日期（YYYY-MM-DD）");
	if (strcmp(to_on, from_on) < 0)
		return zb_fail(e, ZB_EINVAL, "to_on", "结束日期不能早于开始日期");
	if (strcmp(from_on, p.started_on) < 0 || (p.ended_on && strcmp(to_on, p.ended_on) > 0))
		return zb_fail(e, ZB_EINVAL, "from_on", "日期应在驻村任职期间（%s 起%s%s）", p.started_on,
		               p.ended_on ? "，至 " : "", p.ended_on ? p.ended_on : "");
	if (!reason || !*reason || strlen(reason) > 2000)
		return zb_fail(e, ZB_EINVAL, "reason", "请填写事由（最多 2000 字节）");
	int days = (int)(zb_date_days(to_on) - zb_date_days(from_on) + 1);
	if (days > 366)
		return zb_fail(e, ZB_EINVAL, "to_on", "一次请假或外出不能超过一年");
	int64_t overlap = 0;
	if ((rc = zb_db_int(db, e, &overlap,
	                    "SELECT COUNT(*) FROM village_absences WHERE posting_id = ? AND status <> 'refused' "
	                    "AND from_on <= ? AND to_on >= ?",
	                    "iss", posting_id, to_on, from_on)))
		return rc;
	if (overlap)
		return zb_fail(e, ZB_ECONFLICT, "from_on", "这段时间已有请假或外出记录");
	const char *level = NULL, *status = "approved";
	int64_t lorg = 0;
	if (!strcmp(k, "leave")) {
		zb_vwork_rules r;
		const char *lpath;
		if ((rc = zb_vwork_rules_get(db, p.path, from_on, &r, e)))
			return rc;
		level = zb_vwork_leave_level(&r, days);
		if ((rc = level_org(db, p.path, level, ar, &lorg, &lpath, e)))
			return rc;
		if (!lorg)
			return zb_fail(e, ZB_ECONFLICT, "posting_id", "找不到审批该请假的%s党委", !strcmp(level, "county") ? "县级" : "乡镇");
		status = "pending";
	}
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, abs_insert(db, app, ac, posting_id, &p, k, from_on, to_on, days, reason, status, level, lorg,
	                                id, e),
	                 e);
}

int zb_vabsence_decide(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id, int approve,
                       const char *note, zb_arena *ar, zb_err *e)
{
	zb_vabsence a;
	int rc = zb_vabsence_get(db, id, ar, &a, e);
	if (rc)
		return rc;
	if (strcmp(a.kind, "leave") || strcmp(a.status, "pending"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该记录不是待审批的请假（%s）", a.status);
	zb_org lo;
	if ((rc = zb_org_get(db, a.level_org_id, ar, &lo, e)))
		return rc;
	if (who && !zb_authz_allows(who, P_MEMBER_WRITE, lo.path))
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "请假 %d 天应由%s（%s）审批", a.days,
		               !strcmp(a.level, "county") ? "县委组织部" : "乡镇党委", lo.name);
	if (note && strlen(note) > 2000)
		return zb_fail(e, ZB_EINVAL, "note", "审批意见过长");
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t changed = 0;
	rc = zb_db_run(db, e, &changed,
	               "UPDATE village_absences SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
	               "WHERE id = ? AND status = 'pending'",
	               "sIisi", approve ? "approved" : "refused", ac->user_id, zb_now(app), note, id);
	if (!rc && !changed)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该请假已经审批");
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "status", approve ? "approved" : "refused");
		jw_kstr(w, "level", a.level);
		jw_kint(w, "days", a.days);
		rc = zb_vaudit(db, app, ac, "vabsence.decide", "village_absence", id, a.org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- postings with presence ---- */

#define POST_COLS                                                                                             \
	"p.id, p.cadre_id, p.org_id, p.team_id, c.unit_id, p.org_path, o.name, t.name, c.name, u.name, p.role, " \
	"p.started_on, p.term_ends_on, p.ended_on, p.end_reason FROM village_postings p "                        \
	"JOIN cadres c ON c.id = p.cadre_id JOIN orgs o ON o.id = p.org_id "                                     \
	"LEFT JOIN village_teams t ON t.id = p.team_id LEFT JOIN dispatch_units u ON u.id = c.unit_id "

typedef struct post_list {
	zb_arena *ar;
	zb_vposting *items;
	int n, cap;
} post_list;

static int read_post(zb_stmt *st, void *ctx, zb_err *e)
{
	post_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_vposting *p = &l->items[l->n++];
	memset(p, 0, sizeof *p);
	p->id = zb_col_int(st, 0);
	p->cadre_id = zb_col_int(st, 1);
	p->org_id = zb_col_int(st, 2);
	p->team_id = zb_col_int(st, 3);
	p->unit_id = zb_col_int(st, 4);
	p->org_path = T(5);
	p->org_name = T(6);
	p->team_name = T(7);
	p->cadre_name = T(8);
	p->unit_name = T(9);
	p->role = T(10);
	p->started_on = T(11);
	p->term_ends_on = T(12);
	p->ended_on = T(13);
	p->end_reason = T(14);
	return 0;
}

typedef struct away_row {
	int64_t posting_id;
	zb_vspan span;
} away_row;
typedef struct away_list {
	zb_arena *ar;
	away_row *items;
	int n, cap;
} away_list;

static int read_away(zb_stmt *st, void *ctx, zb_err *e)
{
	away_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	away_row *a = &l->items[l->n++];
	a->posting_id = zb_col_int(st, 0);
	a->span.from = T(1);
	a->span.to = T(2);
	return 0;
}

/* Presence in month of each posting (their approved absences read in one
 * statement: those of the postings under path, or of one team), and
 * whether an open term ends soon (as of today). */
static int fill_presence(zb_db *db, zb_vposting *ps, int n, const char *path, int64_t team_id, const char *month,
                         const char *today, zb_arena *ar, zb_err *e)
{
	char first[11], last[11], soon[11];
	int rc = month_span(month, first, last, e);
	if (rc || !n)
		return rc;
	away_list l = {ar, NULL, 0, 0};
	if (team_id)
		rc = zb_db_each(db, e, read_away, &l,
		                "SELECT a.posting_id, a.from_on, a.to_on FROM village_absences a JOIN village_postings p "
		                "ON p.id = a.posting_id WHERE p.team_id = ? AND a.status = 'approved' AND a.from_on <= ? "
		                "AND a.to_on >= ?",
		                "iss", team_id, last, first);
	else
		rc = zb_db_each(db, e, read_away, &l,
		                "SELECT posting_id, from_on, to_on FROM village_absences WHERE org_path LIKE ? AND "
		                "status = 'approved' AND from_on <= ? AND to_on >= ?",
		                "sss", zb_arena_printf(ar, "%s%%", path), last, first);
	if (rc)
		return rc;
	zb_rules *rs = NULL;
	if ((rc = zb_rules_load(db, "village_work", first, &rs, e)))
		return rc;
	zb_vspan *spans = zb_arena_alloc(ar, (size_t)(l.n + 1) * sizeof *spans);
	for (int i = 0; !rc && i < n; i++) {
		zb_vwork_rules r;
		rc = zb_vwork_rules_from(rs, ps[i].org_path, &r, e);
		int ns = 0;
		for (int j = 0; j < l.n; j++)
			if (l.items[j].posting_id == ps[i].id)
				spans[ns++] = l.items[j].span;
		if (!rc)
			rc = zb_vwork_presence(&r, month, ps[i].started_on, ps[i].ended_on, today, spans, ns, &ps[i].presence,
			                       e);
		zb_date_add_days(today, r.ending_soon_days, soon);
		ps[i].ending_soon = !ps[i].ended_on && strcmp(ps[i].term_ends_on, soon) <= 0;
	}
	zb_rules_free(rs);
	return rc;
}

int zb_vfirst_secretaries(zb_db *db, const char *path, const char *month, const char *today, zb_arena *ar,
                          zb_vposting **out, int *n, zb_err *e)
{
	char first[11], last[11];
	post_list l = {ar, NULL, 0, 0};
	int rc = month_span(month, first, last, e);
	if (!rc)
		rc = zb_db_each(db, e, read_post, &l,
		                "SELECT " POST_COLS "WHERE p.org_path LIKE ? AND p.role = 'first_secretary' AND "
		                "p.started_on <= ? AND (p.ended_on IS NULL OR p.ended_on >= ?) ORDER BY p.org_path, p.id",
		                "sss", zb_arena_printf(ar, "%s%%", path), last, first);
	if (!rc)
		rc = fill_presence(db, l.items, l.n, path, 0, month, today, ar, e);
	*out = l.items;
	*n = l.n;
	return rc;
}

int zb_vteam_postings(zb_db *db, int64_t team_id, const char *month, const char *today, zb_arena *ar,
                      zb_vposting **out, int *n, zb_err *e)
{
	post_list l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_post, &l,
	                    "SELECT " POST_COLS "WHERE p.team_id = ? ORDER BY (p.ended_on IS NOT NULL), "
	                    "CASE p.role WHEN 'first_secretary' THEN 0 WHEN 'leader' THEN 1 ELSE 2 END, p.id",
	                    "i", team_id);
	if (!rc)
		rc = fill_presence(db, l.items, l.n, NULL, team_id, month, today, ar, e);
	*out = l.items;
	*n = l.n;
	return rc;
}

int zb_vmy_postings(zb_db *db, int64_t user_id, const char *month, const char *today, zb_arena *ar,
                    zb_vposting **out, int *n, zb_err *e)
{
	post_list l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_post, &l,
	                    "SELECT " POST_COLS "WHERE c.user_id = ? AND p.ended_on IS NULL ORDER BY p.id", "i", user_id);
	for (int i = 0; !rc && i < l.n; i++)
		rc = fill_presence(db, &l.items[i], 1, l.items[i].org_path, 0, month, today, ar, e);
	*out = l.items;
	*n = l.n;
	return rc;
}

typedef struct outcome_list {
	zb_arena *ar;
	zb_voutcome *items;
	int n, cap;
} outcome_list;

static int read_outcome(zb_stmt *st, void *ctx, zb_err *e)
{
	outcome_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_voutcome *o = &l->items[l->n++];
	o->id = zb_col_int(st, 0);
	o->posting_id = zb_col_int(st, 1);
	o->kind = T(2);
	o->on_date = T(3);
	o->reason = T(4);
	o->decided_by = T(5);
	o->review_id = zb_col_int(st, 6);
	o->review_year = (int)zb_col_int(st, 7);
	o->cadre_id = zb_col_int(st, 8);
	o->cadre_name = T(9);
	o->team_name = T(10);
	return 0;
}

/* An outcome with the evaluation it follows from, its cadre and team. */
#define OUTCOME_COLS                                                                                            \
	"o.id, COALESCE(o.posting_id, 0), o.kind, o.on_date, o.reason, o.decided_by, COALESCE(o.review_id, 0), " \
	"COALESCE(vr.year, 0), o.cadre_id, c.name, t.name FROM cadre_outcomes o JOIN cadres c ON c.id = o.cadre_id " \
	"LEFT JOIN village_reviews vr ON vr.id = o.review_id LEFT JOIN village_postings p ON p.id = o.posting_id " \
	"LEFT JOIN village_teams t ON t.id = p.team_id "

int zb_voutcomes_of_member(zb_db *db, int64_t member_id, zb_arena *ar, zb_voutcome **os, int *no, zb_err *e)
{
	outcome_list o = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_outcome, &o,
	                    "SELECT " OUTCOME_COLS "WHERE c.id_index IS NOT NULL AND c.id_index = "
	                    "(SELECT id_index FROM members WHERE id = ?) ORDER BY o.on_date DESC, o.id DESC",
	                    "i", member_id);
	*os = o.items;
	*no = o.n;
	return rc;
}

int zb_vcadre_record(zb_db *db, int64_t cadre_id, const char *month, const char *today, zb_arena *ar,
                     zb_vposting **ps, int *np, zb_voutcome **os, int *no, zb_err *e)
{
	post_list l = {ar, NULL, 0, 0};
	outcome_list o = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_post, &l, "SELECT " POST_COLS "WHERE p.cadre_id = ? ORDER BY p.started_on DESC, p.id DESC",
	                    "i", cadre_id);
	for (int i = 0; !rc && i < l.n; i++)
		rc = fill_presence(db, &l.items[i], 1, l.items[i].org_path, 0, month, today, ar, e);
	if (!rc)
		rc = zb_db_each(db, e, read_outcome, &o,
		                "SELECT " OUTCOME_COLS "WHERE o.cadre_id = ? ORDER BY o.on_date DESC, o.id DESC",
		                "i", cadre_id);
	*ps = l.items;
	*np = l.n;
	*os = o.items;
	*no = o.n;
	return rc;
}

/* ---- teams ---- */

typedef struct team_one {
	zb_arena *ar;
	zb_vteam *t;
} team_one;

static void read_team(zb_stmt *st, void *ctx)
{
	team_one *o = ctx;
	zb_arena *ar = o->ar;
	zb_vteam *t = o->t;
	memset(t, 0, sizeof *t);
	t->id = zb_col_int(st, 0);
	t->org_id = zb_col_int(st, 1);
	t->org_path = T(2);
	t->org_name = T(3);
	t->name = T(4);
	t->formed_on = T(5);
	t->dissolved_on = T(6);
}

int zb_vteam_get(zb_db *db, int64_t id, zb_arena *ar, zb_vteam *t, zb_err *e)
{
	team_one o = {ar, t};
	return zb_db_one(db, e, "未找到该驻村工作队，或不在您的管理范围内", read_team, &o,
	                 "SELECT t.id, t.org_id, t.org_path, o.name, t.name, t.formed_on, t.dissolved_on "
	                 "FROM village_teams t JOIN orgs o ON o.id = t.org_id WHERE t.id = ?",
	                 "i", id);
}

/* ---- the work log ---- */

typedef struct log_list {
	zb_arena *ar;
	zb_vlog_item *items;
	int n, cap;
} log_list;

static int read_log(zb_stmt *st, void *ctx, zb_err *e)
{
	log_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_vlog_item *it = &l->items[l->n++];
	it->id = zb_col_int(st, 0);
	it->kind = T(1);
	it->on_date = T(2);
	it->what = T(3);
	it->attachments = T(4);
	return 0;
}

static int read_meeting_log(zb_stmt *st, void *ctx, zb_err *e)
{
	log_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_vlog_item *it = &l->items[l->n++];
	it->id = zb_col_int(st, 0);
	it->kind = "meeting";
	it->on_date = T(1);
	const char *type = zb_mtype_name(zb_mtype_from(zb_col_text(st, 2)));
	const char *topic = zb_col_text(st, 3);
	it->what = zb_arena_printf(ar, "%s%s%s（列席：%s）", type ? type : "会议", topic && *topic ? "：" : "",
	                           topic ? topic : "", zb_col_text(st, 4));
	it->attachments = NULL;
	return 0;
}

/* A 帮扶 visit: the household's village and 户主, what was done, by whom
 * (never an ID number or a phone). */
static int read_visit_log(zb_stmt *st, void *ctx, zb_err *e)
{
	log_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_vlog_item *it = &l->items[l->n++];
	it->id = zb_col_int(st, 0);
	it->kind = "visit";
	it->on_date = T(1);
	it->what = zb_arena_printf(ar, "帮扶走访：%s %s户（%s）：%s", zb_col_text(st, 2), zb_col_text(st, 3),
	                           zb_col_text(st, 5), zb_col_text(st, 4));
	it->attachments = NULL;
	return 0;
}

/* Records of other areas that belong in a team's log, joined here so that
 * nothing is typed twice: the meetings of the village org (and its
 * 党小组) where a cadre posted to the team at the time is recorded as a
 * 列席 guest, and the 帮扶 visits (aid_visits, src/aid/) a cadre made
 * while posted to the team, at any household. */
static int zb_vlog_joined(zb_db *db, const zb_vteam *t, const char *from, const char *to, log_list *l, zb_err *e)
{
	int rc = zb_db_each(db, e, read_meeting_log, l,
	                    "SELECT m.id, m.held_on, m.type, COALESCE(m.topic, m.title), MIN(g.name) FROM meetings m "
	                    "JOIN meeting_guests g ON g.meeting_id = m.id "
	                    "JOIN village_postings p ON p.team_id = ? AND p.started_on <= m.held_on "
	                    "AND (p.ended_on IS NULL OR p.ended_on >= m.held_on) "
	                    "JOIN cadres c ON c.id = p.cadre_id AND c.name = g.name "
	                    "WHERE m.org_path LIKE ? AND m.held_on >= ? AND m.held_on <= ? "
	                    "GROUP BY m.id, m.held_on, m.type, m.topic, m.title",
	                    "isss", t->id, zb_arena_printf(l->ar, "%s%%", t->org_path), from, to);
	if (!rc)
		rc = zb_db_each(db, e, read_visit_log, l,
		                "SELECT v.id, v.visited_on, COALESCE(NULLIF(o.short_name, ''), o.name), h.head_name, v.what, "
		                "c.name FROM aid_visits v JOIN aid_households h ON h.id = v.household_id "
		                "JOIN orgs o ON o.id = h.org_id JOIN cadres c ON c.id = v.cadre_id "
		                "WHERE v.visited_on >= ? AND v.visited_on <= ? AND EXISTS (SELECT 1 FROM village_postings p "
		                "WHERE p.team_id = ? AND p.cadre_id = v.cadre_id AND p.started_on <= v.visited_on "
		                "AND (p.ended_on IS NULL OR p.ended_on >= v.visited_on))",
		                "ssi", from, to, t->id);
	return rc;
}

static int by_date_desc(const void *a, const void *b)
{
	const zb_vlog_item *x = a, *y = b;
	int c = strcmp(y->on_date, x->on_date);
	return c ? c : (y->id > x->id) - (y->id < x->id);
}

int zb_vteam_log(zb_db *db, int64_t team_id, const char *from, const char *to, zb_arena *ar, zb_vlog_item **out,
                 int *n, zb_err *e)
{
	zb_vteam t;
	log_list l = {ar, NULL, 0, 0};
	int rc = zb_vteam_get(db, team_id, ar, &t, e);
	if (!rc)
		rc = zb_db_each(db, e, read_log, &l,
		                "SELECT id, 'log', on_date, what, attachments FROM village_logs WHERE team_id = ? AND "
		                "on_date >= ? AND on_date <= ?",
		                "iss", team_id, from, to);
	if (!rc)
		rc = zb_vlog_joined(db, &t, from, to, &l, e);
	if (!rc && l.n)
		qsort(l.items, (size_t)l.n, sizeof *l.items, by_date_desc);
	*out = l.items;
	*n = l.n;
	return rc;
}

/* ---- the county's view ---- */

typedef struct vil_list {
	zb_arena *ar;
	zb_vvillage *items;
	int n, cap;
} vil_list;

static int read_village(zb_stmt *st, void *ctx, zb_err *e)
{
	vil_list *l = ctx;
	zb_arena *ar = l->ar;
	(void)e;
	AGROW(ar, l->items, l->n, l->cap);
	zb_vvillage *v = &l->items[l->n++];
	memset(v, 0, sizeof *v);
	v->org_id = zb_col_int(st, 0);
	v->org_path = T(1);
	v->org_name = T(2);
	v->town_name = T(3);
	v->required_reason = T(4);
	v->team_id = zb_col_int(st, 5);
	v->team_name = T(6);
	v->team_size = (int)zb_col_int(st, 7);
	v->eval_score = zb_col_is_null(st, 8) ? -1 : zb_col_double(st, 8);
	v->eval_year = (int)zb_col_int(st, 9);
	return 0;
}

static int wanted(const zb_vvillage *v, const char *only)
{
	if (!only)
		return 1;
	if (!strcmp(only, "required"))
		return v->required_reason != NULL;
	if (!strcmp(only, "uncovered"))
		return v->required_reason && !v->first.id;
	if (!strcmp(only, "ending"))
		return v->first.id && v->first.ending_soon;
	if (!strcmp(only, "under"))
		return v->first.id && !v->first.presence.ok;
	return 1;
}

/* A team's evaluations: typed (village_evaluations) and held on the
 * platform and finalised (village_reviews, review.c). */
#define EVALS                                                                                              \
	"SELECT year, final_score FROM village_evaluations WHERE team_id = t.id UNION ALL "                 \
	"SELECT year, final_score FROM village_reviews WHERE team_id = t.id AND status = 'final'"

int zb_vcounty_view(zb_db *db, const char *path, const char *month, const char *today, const char *only,
                    zb_arena *ar, zb_vvillage **out, int *n, zb_vcounty *sum, zb_err *e)
{
	char first[11], last[11];
	memset(sum, 0, sizeof *sum);
	*out = NULL;
	*n = 0;
	if (only && strcmp(only, "required") && strcmp(only, "uncovered") && strcmp(only, "ending") && strcmp(only, "under"))
		return zb_fail(e, ZB_EINVAL, "only", "only 应为 required、uncovered、ending 或 under");
	int rc = month_span(month, first, last, e);
	if (rc)
		return rc;
	const char *like = zb_arena_printf(ar, "%s%%", path);
	vil_list l = {ar, NULL, 0, 0};
	rc = zb_db_each(
		db, e, read_village, &l,
		"SELECT o.id, o.path, o.name, par.name, "
		"(SELECT MIN(r.reason) FROM village_requirements r WHERE r.org_id = o.id AND r.from_on <= ? AND "
		" (r.until_on IS NULL OR r.until_on >= ?)), "
		"t.id, t.name, (SELECT COUNT(*) FROM village_postings p WHERE p.team_id = t.id AND p.ended_on IS NULL), "
		"(SELECT ev.final_score FROM (" EVALS ") ev ORDER BY ev.year DESC LIMIT 1), "
		"(SELECT MAX(ev.year) FROM (" EVALS ") ev) "
		"FROM orgs o JOIN orgs par ON par.id = o.parent_id "
		"LEFT JOIN village_teams t ON t.org_id = o.id AND t.dissolved_on IS NULL "
		"WHERE o.path LIKE ? AND o.dissolved_on IS NULL AND ("
		" " ZB_ORG_VILLAGE("o", "par") " "
		" OR EXISTS (SELECT 1 FROM village_requirements r WHERE r.org_id = o.id) "
		" OR EXISTS (SELECT 1 FROM village_postings p WHERE p.org_id = o.id)) "
		"ORDER BY par.id, o.id",
		"sss", last, first, like);
	zb_vposting *fs = NULL;
	int nfs = 0;
	if (!rc)
		rc = zb_vfirst_secretaries(db, path, month, today, ar, &fs, &nfs, e);
	if (rc)
		return rc;
	int64_t posted = 0;
	if ((rc = zb_db_int(db, e, &posted,
	                    "SELECT COUNT(*) FROM village_postings WHERE org_path LIKE ? AND started_on <= ? AND "
	                    "(ended_on IS NULL OR ended_on >= ?)",
	                    "sss", like, last, first)))
		return rc;
	sum->cadres_posted = (int)posted;
	zb_vvillage *keep = zb_arena_alloc(ar, (size_t)(l.n + 1) * sizeof *keep);
	int nk = 0;
	for (int i = 0; i < l.n; i++) {
		zb_vvillage *v = &l.items[i];
		/* the 第一书记 of the month: the one still posted, else the last */
		for (int j = 0; j < nfs; j++)
			if (fs[j].org_id == v->org_id && (!v->first.id || !fs[j].ended_on))
				v->first = fs[j];
		sum->villages++;
		sum->required += v->required_reason != NULL;
		sum->covered += v->required_reason && v->first.id;
		sum->uncovered_required += v->required_reason && !v->first.id;
		sum->ending_soon += v->first.id && v->first.ending_soon;
		sum->under_rule += v->first.id && !v->first.presence.ok;
		sum->teams += v->team_id != 0;
		if (wanted(v, only))
			keep[nk++] = *v;
	}
	*out = keep;
	*n = nk;
	return 0;
}

int zb_vvillage_get(zb_db *db, int64_t org_id, const char *month, const char *today, zb_arena *ar, zb_vvillage *v,
                    int *found, zb_err *e)
{
	zb_org o;
	zb_vvillage *vs;
	zb_vcounty sum;
	int n;
	*found = 0;
	memset(v, 0, sizeof *v);
	int rc = zb_org_get(db, org_id, ar, &o, e);
	if (rc || (!zb_org_type_is_branch(o.type) && strcmp(o.type, "general_branch")))
		return rc;
	if ((rc = zb_vcounty_view(db, o.path, month, today, NULL, ar, &vs, &n, &sum, e)))
		return rc;
	for (int i = 0; i < n; i++)
		if (vs[i].org_id == org_id) {
			*v = vs[i];
			*found = 1;
		}
	return 0;
}
