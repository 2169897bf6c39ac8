/* compute.c - the indicators of the branches below an org for a year,
 * each read from the records through the module that owns them, and the
 * ratings made of them (rating/rating.h, docs/RATINGS.md). */
#include "rating/rating.h"
#include "auth/authz.h"
#include "core/grow.h"
#include "disclose/disclose.h"
#include "dues/dues.h"
#include "meeting/cstore.h"
#include "org/structure.h"
#include "recruit/alerts.h"
#include "rectify/rectify.h"
#include "study/study.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What was counted for one branch. */
typedef struct counted {
	int64_t id, parent_id;
	const char *name, *path, *parent_path;
	int req, held, missing;             /* 三会一课: meetings required in units due, held */
	int64_t att_rows, att_present;      /* attendance rows of its meetings */
	int64_t due_fen, paid_fen;          /* dues of the months so far */
	int breaks;                         /* 发展党员 rules broken */
	int members, members_ok;            /* 学时 */
	int warn_secretary, warn_term, warn_committee;
	int village, dis_due, dis_on_time;  /* 三务公开 */
	int rectify_open;                   /* 整顿 measures open on the reference date */
	int64_t manual_id[ZB_RATING_MAX_IND];
	double manual_pts[ZB_RATING_MAX_IND];
	const char *manual_reason[ZB_RATING_MAX_IND];
} counted;

typedef struct branch_list {
	zb_arena *a;
	counted *v;
	int n;
	size_t cap;
} branch_list;

static int add_branch(zb_stmt *st, void *ctx, zb_err *e)
{
	branch_list *l = ctx;
	(void)e;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	counted *c = &l->v[l->n++];
	memset(c, 0, sizeof *c);
	c->id = zb_col_int(st, 0);
	c->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	c->path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	c->parent_id = zb_col_int(st, 3);
	c->parent_path = zb_arena_strdup(l->a, zb_col_text(st, 4));
	return 0;
}

/* The branches rated under path: 党支部 and 联合党支部 not dissolved by
 * the reference date, by path.  strict: not the org at path itself. */
static int load_branches(zb_db *db, const char *path, const char *ref, int strict, branch_list *l, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	return zb_db_each(db, e, add_branch, l,
	                  "SELECT o.id, o.name, o.path, p.id, p.path FROM orgs o JOIN orgs p ON p.id = o.parent_id "
	                  "WHERE o.path >= ? AND o.path < ? AND o.path <> ? AND o.type IN ('branch', 'joint_branch') "
	                  "AND (o.dissolved_on IS NULL OR o.dissolved_on > ?) ORDER BY o.path",
	                  "ssss", path, upper, strict ? path : "", ref);
}

static counted *find(branch_list *l, const char *path)
{
	/* by path: the branch whose path is a prefix (its 党小组 count for it) */
	int lo = 0, hi = l->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strncmp(path, l->v[mid].path, strlen(l->v[mid].path));
		if (!c)
			return &l->v[mid];
		if (strcmp(path, l->v[mid].path) < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}

static counted *find_id(branch_list *l, int64_t id)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return &l->v[i];
	return NULL;
}

static int add_att(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	counted *c = find(ctx, zb_col_text(st, 0));
	if (c) {
		c->att_rows += zb_col_int(st, 1);
		c->att_present += zb_col_int(st, 2);
	}
	return 0;
}

typedef struct path_map {
	zb_arena *a;
	int64_t *ids;
	const char **paths;
	int n;
	size_t cap, cap2;
} path_map;

static int add_path(zb_stmt *st, void *ctx, zb_err *e)
{
	path_map *m = ctx;
	(void)e;
	ZB_AGROW(m->a, m->ids, (size_t)m->n, m->cap);
	ZB_AGROW(m->a, m->paths, (size_t)m->n, m->cap2);
	m->ids[m->n] = zb_col_int(st, 0);
	m->paths[m->n++] = zb_arena_strdup(m->a, zb_col_text(st, 1));
	return 0;
}

static const char *path_of(const path_map *m, int64_t id)
{
	int lo = 0, hi = m->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->ids[mid] == id)
			return m->paths[mid];
		if (m->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static int add_manual(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	void **x = ctx;
	branch_list *l = x[0];
	const zb_rating_rules *r = x[1];
	counted *c = find_id(l, zb_col_int(st, 1));
	const char *key = zb_col_text(st, 2);
	for (int k = 0; c && k < r->nind; k++)
		if (r->ind[k].mode == ZB_RM_MANUAL && !strcmp(r->ind[k].key, key)) {
			c->manual_id[k] = zb_col_int(st, 0);
			c->manual_pts[k] = zb_col_double(st, 3);
			c->manual_reason[k] = zb_arena_strdup(l->a, zb_col_text(st, 4));
		}
	return 0;
}

/* Count every indicator for the branches of l (the subtree at path). */
static int count_all(zb_db *db, const char *path, int year, const char *today, const zb_rating_rules *r, zb_arena *a,
                     branch_list *l, zb_err *e)
{
	char upper[512], from[16], to[16];
	zb_path_upper(path, upper, sizeof upper);
	snprintf(from, sizeof from, "%04d-01-01", year % 10000);
	snprintf(to, sizeof to, "%04d-12-31", year % 10000);
	/* 三会一课: the stored compliance of the year */
	zb_period p;
	zb_compliance c;
	char ys[8];
	snprintf(ys, sizeof ys, "%04d", year % 10000);
	int rc = zb_period_parse(ys, &p, e);
	if (!rc)
		rc = zb_compliance_load(db, path, &p, today, a, &c, e);
	for (int i = 0; !rc && i < c.nbranches; i++) {
		counted *b = find_id(l, c.branches[i].org_id);
		if (b) {
			b->held = c.branches[i].held;
			b->missing = c.branches[i].missing;
			b->req = b->held + b->missing;
		}
	}
	/* attendance: every row of the meetings held by the branch or its
	 * 党小组 (谈心谈话 apart) */
	if (!rc)
		rc = zb_db_each(db, e, add_att, l,
		                "SELECT m.org_path, COUNT(*), SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) "
		                "FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id "
		                "WHERE m.org_path >= ? AND m.org_path < ? AND m.held_on >= ? AND m.held_on <= ? "
		                "AND m.held_on <= ? AND m.type <> 'talk' GROUP BY m.org_path",
		                "sssss", path, upper, from, to, today);
	/* dues: January to the last month of the year that has begun */
	int ty = atoi(today), tm = atoi(today + 5);
	int last = year < ty ? year * 100 + 12 : year * 100 + tm;
	for (int i = 0; !rc && i < l->n; i++) {
		zb_dues_span s;
		rc = zb_dues_span_get(db, l->v[i].id, l->v[i].path, year * 100 + 1, last, a, &s, e);
		for (int k = 0; !rc && k < s.nmonths; k++) {
			l->v[i].due_fen += s.months[k].due_fen;
			l->v[i].paid_fen += s.months[k].paid_fen;
		}
	}
	/* 发展党员: the rules broken (overdue by omission, flagged steps) */
	zb_ritem *ri;
	int nri;
	if (!rc)
		rc = zb_recruit_items(db, path, today, ZB_RITEMS_BREAKS, a, &ri, &nri, e);
	for (int i = 0; !rc && i < nri; i++) {
		counted *b = ri[i].org_path ? find(l, ri[i].org_path) : NULL;
		if (b && ri[i].broken)
			b->breaks++;
	}
	/* 学时: members of the branch (its 党小组 included) meeting the rule */
	path_map pm = {a, NULL, NULL, 0, 0, 0};
	zb_study_row *sr;
	zb_study_orgsum *so;
	int nsr, nso;
	if (!rc)
		rc = zb_db_each(db, e, add_path, &pm, "SELECT id, path FROM orgs WHERE path >= ? AND path < ? ORDER BY id",
		                "ss", path, upper);
	if (!rc)
		rc = zb_study_org_year(db, path, year, today, 0, a, &sr, &nsr, &so, &nso, e);
	for (int i = 0; !rc && i < nsr; i++) {
		const char *op = path_of(&pm, sr[i].org_id);
		counted *b = op ? find(l, op) : NULL;
		if (b) {
			b->members++;
			b->members_ok += sr[i].hours10 >= sr[i].required10;
		}
	}
	/* structure: 书记 vacant, term overdue, committee missing (today) */
	zb_warning *wv;
	int nw;
	if (!rc)
		rc = zb_org_rules_keep_current(db, today, e);
	if (!rc)
		rc = zb_org_warnings(db, path, today, a, &wv, &nw, e);
	for (int i = 0; !rc && i < nw; i++) {
		counted *b = find_id(l, wv[i].org_id);
		if (!b)
			continue;
		b->warn_secretary += !strcmp(wv[i].kind, "no_secretary");
		b->warn_term += !strcmp(wv[i].kind, "term_overdue");
		b->warn_committee += !strcmp(wv[i].kind, "no_committee");
	}
	/* 三务公开: villages only */
	zb_disclose_vtime *dv;
	int ndv;
	if (!rc)
		rc = zb_disclosure_timeliness(db, path, year, today, a, &dv, &ndv, e);
	for (int i = 0; !rc && i < ndv; i++) {
		counted *b = find_id(l, dv[i].org_id);
		if (b) {
			b->village = 1;
			b->dis_due = dv[i].due;
			b->dis_on_time = dv[i].on_time;
		}
	}
	/* 整顿: measures of its 软弱涣散 plan still open on the reference date */
	zb_weak_open *wo;
	int nwo;
	const char *ref = year < ty ? to : today;
	if (!rc)
		rc = zb_weak_open_measures(db, path, ref, a, &wo, &nwo, e);
	for (int i = 0; !rc && i < nwo; i++) {
		counted *b = find_id(l, wo[i].org_id);
		if (b)
			b->rectify_open = wo[i].open;
	}
	/* manual indicators */
	void *mctx[2] = {l, (void *)r};
	if (!rc)
		rc = zb_db_each(db, e, add_manual, mctx,
		                "SELECT id, org_id, key, points, reason FROM rating_manual WHERE org_path >= ? AND org_path < ? "
		                "AND year = ?",
		                "ssi", path, upper, (int64_t)year);
	return rc;
}

static double pct(int64_t part, int64_t whole)
{
	return round(10000.0 * (double)part / (double)whole) / 100.0;
}

/* One indicator of a counted branch. */
static void indicator(const zb_rind_rule *ir, int k, const counted *c, int year, zb_arena *a, zb_rind *out)
{
	memset(out, 0, sizeof *out);
	out->key = zb_arena_strdup(a, ir->key);
	out->name = zb_arena_strdup(a, ir->name);
	out->mode = ir->mode == ZB_RM_RATE ? "rate" : ir->mode == ZB_RM_STEPS ? "steps" : ir->mode == ZB_RM_DEDUCT ? "deduct" : "manual";
	out->max = ir->weight;
	long long id = (long long)c->id;
	const char *key = ir->key;
	out->has_value = 1;
	if (!strcmp(key, "compliance")) {
		out->source = zb_arena_printf(a, "compliance:org:%lld:%d", id, year);
		if (c->req) {
			out->value = pct(c->held, c->req);
			out->explain = zb_arena_printf(a, "到期应开 %d 次，按要求召开 %d 次，缺 %d 次", c->req, c->held, c->missing);
		} else {
			out->has_value = 0;
			out->explain = "本年度尚无到期的会议要求，按满分计";
		}
	} else if (!strcmp(key, "attendance")) {
		out->source = zb_arena_printf(a, "attendance:org:%lld:%d", id, year);
		if (c->att_rows) {
			out->value = pct(c->att_present, c->att_rows);
			out->explain = zb_arena_printf(a, "本年度组织生活应到 %lld 人次，出席 %lld 人次", (long long)c->att_rows,
			                               (long long)c->att_present);
		} else {
			out->has_value = 0;
			out->explain = "本年度尚无登记出勤的会议，按满分计";
		}
	} else if (!strcmp(key, "dues")) {
		out->source = zb_arena_printf(a, "dues:org:%lld:%d", id, year);
		if (c->due_fen) {
			out->value = pct(c->paid_fen > c->due_fen ? c->due_fen : c->paid_fen, c->due_fen);
			out->explain = zb_arena_printf(a, "应交 %.2f 元，已交 %.2f 元", (double)c->due_fen / 100.0,
			                               (double)c->paid_fen / 100.0);
		} else {
			out->has_value = 0;
			out->explain = "本年度没有应交的党费，按满分计";
		}
	} else if (!strcmp(key, "recruit")) {
		out->source = zb_arena_printf(a, "recruit:org:%lld", id);
		out->value = c->breaks;
		out->explain = c->breaks ? zb_arena_printf(a, "发展党员有 %d 处不符合规定（逾期未办或补录时违规）", c->breaks)
		                         : "发展党员各环节均按规定办理";
	} else if (!strcmp(key, "study")) {
		out->source = zb_arena_printf(a, "study:org:%lld:%d", id, year);
		if (c->members) {
			out->value = pct(c->members_ok, c->members);
			out->explain = zb_arena_printf(a, "党员 %d 人，学时达标 %d 人", c->members, c->members_ok);
		} else {
			out->has_value = 0;
			out->explain = "没有在册党员，按满分计";
		}
	} else if (!strcmp(key, "structure")) {
		out->source = zb_arena_printf(a, "warnings:org:%lld", id);
		int n = c->warn_secretary + c->warn_term + c->warn_committee;
		out->value = n;
		out->explain = n ? zb_arena_printf(a, "书记空缺 %d 项、任期届满未换届 %d 项、未设支委会 %d 项", c->warn_secretary,
		                                   c->warn_term, c->warn_committee)
		                 : "书记在岗、按期换届、按规定设立支委会";
	} else if (!strcmp(key, "disclose")) {
		out->source = zb_arena_printf(a, "disclose:org:%lld:%d", id, year);
		if (c->village && c->dis_due) {
			out->value = pct(c->dis_on_time, c->dis_due);
			out->explain = zb_arena_printf(a, "到期应公开 %d 期，按期公开 %d 期", c->dis_due, c->dis_on_time);
		} else {
			out->has_value = 0;
			out->source = "";
			out->explain = c->village ? "本年度尚无到期的公开事项，按满分计" : "非村党组织不考核三务公开，按满分计";
		}
	} else if (!strcmp(key, "rectify")) {
		out->source = zb_arena_printf(a, "rectify:org:%lld:%d", id, year);
		out->value = c->rectify_open;
		out->explain = c->rectify_open ? zb_arena_printf(a, "软弱涣散整顿尚有 %d 项措施未完成", c->rectify_open)
		                               : "没有未完成的整顿措施";
	} else { /* manual */
		out->has_value = c->manual_id[k] != 0;
		out->value = c->manual_pts[k];
		out->source = c->manual_id[k] ? zb_arena_printf(a, "manual:%lld", (long long)c->manual_id[k]) : "";
		out->explain = c->manual_id[k] ? zb_arena_strdup(a, c->manual_reason[k]) : "尚未评分";
	}
	out->points = zb_rating_points(ir, out->has_value, out->value);
}

/* Ratings of the counted branches: indicators, score (the sum of the
 * indicators' points, in hundredths), stars, tiers. */
static void rate_all(const zb_rating_rules *r, branch_list *l, int year, int caps, zb_arena *a, zb_rating *v)
{
	double *score = zb_arena_alloc(a, sizeof(double) * (size_t)(l->n + 1));
	int *stars = zb_arena_alloc(a, sizeof(int) * (size_t)(l->n + 1));
	for (int i = 0; i < l->n; i++) {
		zb_rating *x = &v[i];
		memset(x, 0, sizeof *x);
		x->org_id = l->v[i].id;
		x->org_name = l->v[i].name;
		x->org_path = l->v[i].path;
		x->rule_id = r->rule_id;
		x->ind = zb_arena_alloc(a, sizeof(zb_rind) * (size_t)r->nind);
		x->nind = r->nind;
		int64_t cents = 0;
		for (int k = 0; k < r->nind; k++) {
			indicator(&r->ind[k], k, &l->v[i], year, a, &x->ind[k]);
			cents += llround(x->ind[k].points * 100.0);
		}
		x->score = score[i] = (double)cents / 100.0;
		x->stars_by_score = stars[i] = zb_rating_stars_by_score(r, x->score);
		x->status = "preview";
	}
	if (caps)
		zb_rating_apply_caps(r, score, stars, l->n);
	for (int i = 0; i < l->n; i++) {
		v[i].stars = stars[i];
		v[i].tier = zb_rating_tier(r, stars[i]);
	}
}

static void row_last(zb_stmt *st, void *ctx)
{
	*(int64_t *)ctx = zb_col_int(st, 0);
}

/* Last year's published stars of each rating, and the change. */
int zb_rating_last_year(zb_db *db, zb_rating *v, int n, int year, zb_err *e)
{
	for (int i = 0; i < n; i++) {
		int64_t s = 0;
		int rc = zb_db_one(db, e, NULL, row_last, &s,
		                   "SELECT stars FROM org_ratings WHERE org_id = ? AND year = ? AND status = 'published'",
		                   "ii", v[i].org_id, (int64_t)(year - 1));
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		v[i].last_stars = (int)s;
		v[i].change = zb_rating_change(v[i].stars, v[i].last_stars);
	}
	return 0;
}

int zb_rating_ref_date(int year, const char *today, char out[11], zb_err *e)
{
	int ty = atoi(today);
	if (year < 2000 || year > ty)
		return zb_fail(e, ZB_EINVAL, "year", "年度应在 2000 年到今年之间");
	if (year == ty)
		snprintf(out, 11, "%s", today);
	else
		snprintf(out, 11, "%04u-12-31", (unsigned)year % 10000u);
	return 0;
}

static int compute(zb_db *db, const char *path, int strict, int year, const char *today, zb_arena *a,
                   zb_rating_rules *r, zb_rating **out, int *n, zb_err *e)
{
	char ref[11];
	branch_list l = {a, NULL, 0, 0};
	int rc = zb_rating_ref_date(year, today, ref, e);
	if (!rc)
		rc = zb_rating_rules_get(db, path, ref, r, e);
	if (!rc)
		rc = load_branches(db, path, ref, strict, &l, e);
	if (!rc && l.n)
		rc = count_all(db, path, year, today, r, a, &l, e);
	if (rc)
		return rc;
	*out = zb_arena_alloc(a, sizeof(zb_rating) * (size_t)(l.n + 1));
	*n = l.n;
	rate_all(r, &l, year, strict, a, *out);
	return zb_rating_last_year(db, *out, *n, year, e);
}

int zb_rating_compute(zb_db *db, int64_t org_id, const char *path, int year, const char *today, zb_arena *a,
                      zb_rating **out, int *n, zb_err *e)
{
	zb_rating_rules r;
	int rc = compute(db, path, 1, year, today, a, &r, out, n, e);
	for (int i = 0; !rc && i < *n; i++)
		(*out)[i].rated_by_org = org_id;
	return rc;
}

int zb_rating_compute_branch(zb_db *db, const char *path, int year, const char *today, zb_arena *a, zb_rating *out,
                             zb_err *e)
{
	zb_rating_rules r;
	zb_rating *v;
	int n;
	int rc = compute(db, path, 0, year, today, a, &r, &v, &n, e);
	if (!rc && n < 1)
		rc = zb_fail(e, ZB_EINVAL, NULL, "只对党支部、联合党支部评星定级");
	if (!rc)
		*out = v[0];
	return rc;
}
