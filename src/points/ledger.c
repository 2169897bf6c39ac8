/* ledger.c - a person's points of a year, derived from the records
 * (points/points.h). */
#include "points/points.h"
#include "core/grow.h"
#include "dues/dues.h"
#include "meeting/cstore.h"
#include "meeting/mrules.h"
#include "member/designation.h"
#include "member/member.h"
#include "rules/rules.h"
#include "study/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct evs {
	zb_arena *a;
	zb_pts_event *v;
	int n;
	size_t cap;
	int which;
	const char *from, *to;
} evs;

static zb_pts_event *push(evs *l, int src, const char *date, const char *reason, const char *source)
{
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_pts_event *ev = &l->v[l->n++];
	memset(ev, 0, sizeof *ev);
	ev->src = src;
	snprintf(ev->date, sizeof ev->date, "%s", date);
	ev->units10 = 10;
	ev->mtype = -1;
	ev->reason = reason;
	ev->source = source;
	return ev;
}

static const char *kind_of(int which)
{
	return which == ZB_PTS_SECRETARY ? "points_secretary" : "points";
}

/* ---- the schemes of the year ---- */

typedef struct dates {
	zb_arena *a;
	const char **v;
	int n;
	size_t cap;
} dates;

static int on_date(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dates *d = ctx;
	ZB_AGROW(d->a, d->v, (size_t)d->n + 1, d->cap);
	d->v[d->n++] = zb_arena_strdup(d->a, zb_col_text(st, 0));
	return 0;
}

int zb_pts_scheme_at(zb_db *db, int which, const char *path, const char *date, zb_arena *a, zb_pts_scheme *s,
                     int *found, zb_err *e)
{
	zb_rules *rs;
	*found = 0;
	int rc = zb_rules_load(db, kind_of(which), date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *set = zb_rules_for(rs, path);
	if (set) {
		rc = zb_pts_scheme_parse(set->data, which, a, s, e);
		s->rule_id = set->id;
		s->from = zb_arena_strdup(a, date);
		*found = !rc;
	}
	zb_rules_free(rs);
	return rc;
}

/* The schemes ruling from 1 January to `to`: one a segment, a new
 * segment at each effective date of the kind within the year. */
static int schemes_of(zb_db *db, int which, const char *path, const char *from, const char *to, zb_arena *a,
                      zb_pts_scheme **out, int *n, zb_err *e)
{
	dates d = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, on_date, &d,
	                    "SELECT DISTINCT effective_from FROM rule_sets WHERE kind = ? AND effective_from > ? "
	                    "AND effective_from <= ? ORDER BY effective_from",
	                    "sss", kind_of(which), from, to);
	if (rc)
		return rc;
	*out = zb_arena_alloc(a, sizeof **out * (size_t)(d.n + 1));
	*n = 0;
	for (int i = -1; i < d.n; i++) {
		zb_pts_scheme s;
		int found;
		if ((rc = zb_pts_scheme_at(db, which, path, i < 0 ? from : d.v[i], a, &s, &found, e)))
			return rc;
		if (!found || (*n && (*out)[*n - 1].rule_id == s.rule_id))
			continue;
		if (!*n)
			s.from = from;
		(*out)[(*n)++] = s;
	}
	return 0;
}

/* ---- a member's events ---- */

static int on_attendance(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	evs *l = ctx;
	int t = zb_mtype_from(zb_col_text(st, 1));
	const char *title = zb_col_text(st, 3);
	const char *reason = title && *title ? zb_arena_printf(l->a, "出席%s：%s", zb_mtype_name(t), title)
	                                     : zb_arena_printf(l->a, "出席%s", zb_mtype_name(t));
	zb_pts_event *ev = push(l, ZB_PS_ATTENDANCE, zb_col_text(st, 2), reason,
	                        zb_arena_printf(l->a, "meeting:%lld", (long long)zb_col_int(st, 0)));
	ev->mtype = t;
	return 0;
}

static int on_visit(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	evs *l = ctx;
	push(l, ZB_PS_AID_VISIT, zb_col_text(st, 1), zb_arena_printf(l->a, "走访帮扶户%s", zb_col_text(st, 2)),
	     zb_arena_printf(l->a, "aid_visit:%lld", (long long)zb_col_int(st, 0)));
	return 0;
}

static int on_manual(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	evs *l = ctx;
	zb_pts_event *ev = push(l, ZB_PS_MANUAL, zb_col_text(st, 2), zb_arena_strdup(l->a, zb_col_text(st, 3)),
	                        zb_arena_printf(l->a, "manual:%lld", (long long)zb_col_int(st, 0)));
	ev->key = zb_arena_strdup(l->a, zb_col_text(st, 1));
	ev->pending = !strcmp(zb_col_text(st, 4), "pending");
	return 0;
}

static int month_end(int ym, char out[11])
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = ym / 100, m = ym % 100;
	if (y < 1 || y > 9999 || m < 1 || m > 12)
		return -1;
	int d = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0));
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* Each month of the year paid by its last day: the first payment (not
 * reversed, not a reversal) that pays it. */
static int dues_events(zb_db *db, evs *l, int64_t member_id, int year, zb_err *e)
{
	zb_dues_payment *p;
	int n, rc = zb_dues_payments(db, member_id, year, l->a, &p, &n, e);
	if (rc)
		return rc;
	int seen[13] = {0};
	for (int i = n - 1; i >= 0; i--) { /* oldest first */
		if (strcmp(p[i].kind, "monthly") || p[i].reverses || p[i].reversed_by)
			continue;
		for (int j = 0; j < p[i].nmonths; j++) {
			int ym = p[i].months[j];
			char end[11], first[11];
			if (ym / 100 != year || seen[ym % 100] || month_end(ym, end) || strcmp(p[i].paid_on, end) > 0)
				continue;
			snprintf(first, sizeof first, "%.8s01", end);
			const char *date = strcmp(p[i].paid_on, first) < 0 ? first : p[i].paid_on;
			if (strcmp(date, l->to) > 0)
				continue;
			seen[ym % 100] = 1;
			push(l, ZB_PS_DUES, date,
			     zb_arena_printf(l->a, "%d年%d月党费于 %s 交纳（当月按时）", year, ym % 100, p[i].paid_on),
			     zb_arena_printf(l->a, "payment:%lld", (long long)p[i].id));
		}
	}
	return 0;
}

static int study_events(zb_db *db, evs *l, int64_t member_id, int year, const char *today, zb_err *e)
{
	zb_study_year y;
	int rc = zb_study_member_year(db, member_id, year, today, l->a, &y, e);
	for (int i = 0; !rc && i < y.n; i++) {
		const zb_study_item *it = &y.items[i];
		if (it->hours10 <= 0)
			continue;
		const char *kn = zb_study_kind_name(it->kind);
		zb_pts_event *ev =
			push(l, ZB_PS_STUDY, it->date,
			     zb_arena_printf(l->a, "%s：%s（%s 学时）", kn ? kn : "学习", it->title ? it->title : "",
			                     zb_study_hours_text(it->hours10, l->a)),
			     it->source);
		ev->units10 = it->hours10;
	}
	return rc;
}

static int designation_events(zb_db *db, evs *l, int64_t member_id, zb_err *e)
{
	zb_designation *d;
	int n, rc = zb_designation_list(db, member_id, l->a, &d, &n, e);
	for (int i = n - 1; !rc && i >= 0; i--) {
		if (strcmp(d[i].started_on, l->to) > 0 || (d[i].ended_on && strcmp(d[i].ended_on, l->from) < 0))
			continue;
		const char *kn = zb_designation_name(d[i].kind);
		push(l, ZB_PS_DESIGNATION, strcmp(d[i].started_on, l->from) < 0 ? l->from : d[i].started_on,
		     zb_arena_printf(l->a, "担任%s：%s（%s 起）", kn ? kn : "岗位", d[i].title, d[i].started_on),
		     zb_arena_printf(l->a, "designation:%lld", (long long)d[i].id));
	}
	return rc;
}

static int manual_events(zb_db *db, evs *l, int64_t member_id, zb_err *e)
{
	return zb_db_each(db, e, on_manual, l,
	                  "SELECT id, item_key, happened_on, reason, status FROM points_manual WHERE member_id = ? "
	                  "AND scheme = ? AND status IN ('pending', 'approved') AND happened_on >= ? AND happened_on <= ? "
	                  "ORDER BY happened_on, id",
	                  "isss", member_id, l->which == ZB_PTS_SECRETARY ? "secretary" : "member", l->from, l->to);
}

static int member_events(zb_db *db, evs *l, int64_t member_id, int year, const char *today, zb_err *e)
{
	int rc = zb_db_each(db, e, on_attendance, l,
	                    "SELECT m.id, m.type, m.held_on, COALESCE(NULLIF(m.title, ''), m.topic) FROM meeting_attendance a "
	                    "JOIN meetings m ON m.id = a.meeting_id WHERE a.member_id = ? AND a.status = 'present' "
	                    "AND a.held_ym >= ? AND a.held_ym <= ? AND m.held_on >= ? AND m.held_on <= ? "
	                    "ORDER BY m.held_on, m.id",
	                    "iiiss", member_id, (int64_t)year * 100 + 1, (int64_t)year * 100 + 12, l->from, l->to);
	if (!rc)
		rc = dues_events(db, l, member_id, year, e);
	if (!rc)
		rc = study_events(db, l, member_id, year, today, e);
	if (!rc)
		rc = designation_events(db, l, member_id, e);
	if (!rc)
		rc = zb_db_each(db, e, on_visit, l,
		                "SELECT v.id, v.visited_on, h.head_name FROM aid_visits v "
		                "JOIN aid_households h ON h.id = v.household_id WHERE v.member_id = ? "
		                "AND v.visited_on >= ? AND v.visited_on <= ? ORDER BY v.visited_on, v.id",
		                "iss", member_id, l->from, l->to);
	return rc;
}

/* ---- a secretary's events ---- */

typedef struct post {
	int64_t org_id;
	const char *path, *name, *type, *from, *to;
} post;

typedef struct posts {
	zb_arena *a;
	post *v;
	int n;
	size_t cap;
} posts;

static int on_post(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	posts *p = ctx;
	ZB_AGROW(p->a, p->v, (size_t)p->n + 1, p->cap);
	p->v[p->n++] = (post){zb_col_int(st, 0), zb_arena_strdup(p->a, zb_col_text(st, 1)),
	                      zb_arena_strdup(p->a, zb_col_text(st, 2)), zb_arena_strdup(p->a, zb_col_text(st, 3)),
	                      zb_arena_strdup(p->a, zb_col_text(st, 4)), zb_arena_strdup(p->a, zb_col_text(st, 5))};
	return 0;
}

static const char *const grade_names[4] = {"好", "较好", "一般", "差"};

static int on_duty(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	evs *l = ctx;
	static const char *const codes[4] = {"good", "fair", "average", "poor"};
	int g = 0;
	while (g < 4 && strcmp(codes[g], zb_col_text(st, 1)))
		g++;
	if (g == 4)
		return 0;
	char date[11];
	snprintf(date, sizeof date, "%.4s-12-31", l->from);
	zb_pts_event *ev = push(l, ZB_PS_DUTY_REPORT, strcmp(date, l->to) > 0 ? l->to : date,
	                        zb_arena_printf(l->a, "%.4s年度抓党建述职评议：%s（%s 评定）", l->from, grade_names[g],
	                                        zb_col_text(st, 2) ? zb_col_text(st, 2) : ""),
	                        zb_arena_printf(l->a, "duty_report:%lld", (long long)zb_col_int(st, 0)));
	ev->grade = g;
	return 0;
}

static int on_rating(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	evs *l = ctx;
	char date[11];
	snprintf(date, sizeof date, "%.4s-12-31", l->from);
	int stars = (int)zb_col_int(st, 1);
	zb_pts_event *ev = push(l, ZB_PS_RATING, strcmp(date, l->to) > 0 ? l->to : date,
	                        zb_arena_printf(l->a, "%s %.4s年度评为%d星", zb_col_text(st, 2), l->from, stars),
	                        zb_arena_printf(l->a, "rating:%lld", (long long)zb_col_int(st, 0)));
	ev->units10 = stars * 10;
	return 0;
}

/* The branch's 三会一课 of each quarter (and of the year) that ended
 * while the secretary held the post, done in full. */
static int compliance_events(zb_db *db, evs *l, const post *p, const char *today, zb_err *e)
{
	if (!zb_compliance_is_branch(p->type))
		return 0;
	for (int q = 1; q <= 5; q++) {
		char label[16];
		snprintf(label, sizeof label, q < 5 ? "%.4sQ%d" : "%.4s", l->from, q);
		zb_period per;
		int rc = zb_period_parse(label, &per, e);
		if (rc)
			return rc;
		if (strcmp(per.to, today) >= 0 || strcmp(per.to, p->from) < 0 || strcmp(per.from, p->to) > 0)
			continue;
		zb_compliance c;
		if ((rc = zb_compliance_load(db, p->path, &per, today, l->a, &c, e)))
			return rc;
		for (int i = 0; i < c.nbranches; i++)
			if (c.branches[i].org_id == p->org_id && c.branches[i].state == ZB_CS_DONE) {
				zb_pts_event *ev = push(l, ZB_PS_COMPLIANCE, per.to,
				                        zb_arena_printf(l->a, "%s %s 三会一课按期落实（应开 %d 次，已开 %d 次）", p->name,
				                                        label, c.branches[i].required, c.branches[i].held),
				                        zb_arena_printf(l->a, "compliance:%lld:%s", (long long)p->org_id, label));
				ev->mtype = q < 5 ? ZB_PP_QUARTER : ZB_PP_YEAR;
			}
	}
	return 0;
}

static int secretary_events(zb_db *db, evs *l, int64_t member_id, int year, const char *today, zb_err *e)
{
	posts ps = {l->a, NULL, 0, 0};
	int rc = zb_db_each(db, e, on_post, &ps,
	                    "SELECT p.org_id, o.path, o.name, o.type, p.started_on, COALESCE(p.ended_on, '9999-12-31') "
	                    "FROM committee_posts p JOIN orgs o ON o.id = p.org_id WHERE p.member_id = ? "
	                    "AND p.post = 'secretary' AND p.started_on <= ? AND (p.ended_on IS NULL OR p.ended_on >= ?) "
	                    "ORDER BY p.started_on, p.id",
	                    "iss", member_id, l->to, l->from);
	if (rc)
		return rc;
	if (!ps.n)
		return zb_fail(e, ZB_ENOTFOUND, "scheme", "该党员 %d 年未担任党组织书记，没有书记积分", year);
	rc = zb_db_each(db, e, on_duty, l,
	                "SELECT id, grade, rated_on FROM duty_reports WHERE member_id = ? AND year = ? AND grade IS NOT NULL "
	                "ORDER BY id",
	                "ii", member_id, (int64_t)year);
	for (int i = 0; !rc && i < ps.n; i++) {
		int dup = 0;
		for (int j = 0; j < i; j++)
			dup |= ps.v[j].org_id == ps.v[i].org_id;
		if (dup)
			continue;
		rc = zb_db_each(db, e, on_rating, l,
		                "SELECT r.id, r.stars, o.name FROM org_ratings r JOIN orgs o ON o.id = r.org_id "
		                "WHERE r.org_id = ? AND r.year = ? AND r.status = 'published'",
		                "ii", ps.v[i].org_id, (int64_t)year);
		if (!rc)
			rc = compliance_events(db, l, &ps.v[i], today, e);
	}
	return rc;
}

/* ---- the ledger ---- */

int zb_points_ledger(zb_db *db, int64_t member_id, int which, int year, const char *today, zb_arena *a,
                     zb_pts_ledger *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	char ref[11], from[11];
	int rc = zb_study_ref_date(year, today, ref, e);
	if (rc)
		return rc;
	snprintf(from, sizeof from, "%04u-01-01", (unsigned)year % 10000u);
	char path[600] = "";
	zb_text_buf b = {path, sizeof path};
	if ((rc = zb_db_one(db, e, "未找到该党员", zb_row_text, &b, "SELECT org_path FROM members WHERE id = ?", "i",
	                    member_id)))
		return rc;
	evs l = {a, NULL, 0, 0, which, from, ref};
	rc = which == ZB_PTS_SECRETARY ? secretary_events(db, &l, member_id, year, today, e)
	                               : member_events(db, &l, member_id, year, today, e);
	if (!rc)
		rc = manual_events(db, &l, member_id, e);
	zb_pts_scheme *s;
	int ns;
	if (!rc)
		rc = schemes_of(db, which, path, from, ref, a, &s, &ns, e);
	if (rc)
		return rc;
	zb_pts_apply(s, ns, year, l.v, l.n, a, out);
	out->which = which;
	return 0;
}
