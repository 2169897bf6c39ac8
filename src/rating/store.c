/* store.c - saved ratings (org_ratings): the draft, the manual
 * indicators, publishing, and reading them back (rating/rating.h). */
#include "rating/rating.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading saved rows ---- */

typedef struct saved_list {
	zb_arena *a;
	zb_rating *v;
	int n;
	size_t cap;
	const char *tier;
} saved_list;

static void parse_ind(zb_arena *a, const char *text, zb_rating *x)
{
	json_t *arr = json_loads(text ? text : "[]", 0, NULL);
	size_t n = json_array_size(arr);
	x->ind = zb_arena_alloc(a, sizeof(zb_rind) * (n + 1));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(arr, i);
		zb_rind *d = &x->ind[x->nind++];
		d->key = zb_arena_strdup(a, json_string_value(json_object_get(o, "key")));
		d->name = zb_arena_strdup(a, json_string_value(json_object_get(o, "name")));
		d->mode = zb_arena_strdup(a, json_string_value(json_object_get(o, "mode")));
		json_t *v = json_object_get(o, "value");
		d->has_value = json_is_number(v);
		d->value = json_number_value(v);
		d->points = json_number_value(json_object_get(o, "points"));
		d->max = json_number_value(json_object_get(o, "max"));
		d->source = zb_arena_strdup(a, json_string_value(json_object_get(o, "source")));
		d->explain = zb_arena_strdup(a, json_string_value(json_object_get(o, "explain")));
	}
	json_decref(arr);
}

static int add_saved(zb_stmt *st, void *ctx, zb_err *e)
{
	saved_list *l = ctx;
	if (l->tier && strcmp(l->tier, zb_col_text(st, 7)))
		return 0;
	(void)e;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	zb_rating *x = &l->v[l->n++];
	memset(x, 0, sizeof *x);
	x->org_id = zb_col_int(st, 0);
	x->org_name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	x->org_path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	x->rated_by_org = zb_col_int(st, 3);
	x->rule_id = zb_col_int(st, 4);
	x->score = zb_col_double(st, 5);
	x->stars = x->stars_by_score = (int)zb_col_int(st, 6);
	x->tier = zb_arena_strdup(l->a, zb_col_text(st, 7));
	parse_ind(l->a, zb_col_text(st, 8), x);
	x->status = zb_arena_strdup(l->a, zb_col_text(st, 9));
	if (!zb_col_is_null(st, 10)) {
		char d[11];
		zb_date_from_days((long)((zb_col_int(st, 10) + 8 * 3600) / 86400), d);
		x->published_at = zb_arena_strdup(l->a, d);
	}
	return 0;
}

#define SAVED_COLS                                                                                        \
	"SELECT r.org_id, o.name, r.org_path, r.rated_by_org, r.rule_id, r.score, r.stars, r.tier, r.indicators, " \
	"r.status, r.published_at FROM org_ratings r JOIN orgs o ON o.id = r.org_id "

static int load_saved(zb_db *db, const char *path, int year, const char *tier, zb_arena *a, zb_rating **out, int *n,
                      zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	saved_list l = {a, NULL, 0, 0, tier};
	int rc = zb_db_each(db, e, add_saved, &l,
	                    SAVED_COLS "WHERE r.org_path >= ? AND r.org_path < ? AND r.year = ? ORDER BY r.org_path",
	                    "ssi", path, upper, (int64_t)year);
	*out = l.v;
	*n = l.n;
	return rc;
}

static int any_saved(zb_db *db, const char *path, int year, int *yes, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	int64_t c = 0;
	int rc = zb_db_int(db, e, &c, "SELECT COUNT(*) FROM org_ratings WHERE org_path >= ? AND org_path < ? AND year = ?",
	                   "ssi", path, upper, (int64_t)year);
	*yes = c > 0;
	return rc;
}

int zb_rating_list(zb_db *db, int64_t org_id, const char *path, int year, const char *today, const char *tier,
                   zb_arena *a, zb_rating **out, int *n, int *preview, zb_err *e)
{
	char ref[11];
	int saved = 0;
	int rc = zb_rating_ref_date(year, today, ref, e);
	if (!rc)
		rc = any_saved(db, path, year, &saved, e);
	if (rc)
		return rc;
	*preview = !saved;
	if (saved)
		rc = load_saved(db, path, year, tier, a, out, n, e);
	else if (!(rc = zb_rating_compute(db, org_id, path, year, today, a, out, n, e)) && tier) {
		int k = 0;
		for (int i = 0; i < *n; i++)
			if (!strcmp((*out)[i].tier, tier))
				(*out)[k++] = (*out)[i];
		*n = k;
	}
	if (!rc && saved)
		rc = zb_rating_last_year(db, *out, *n, year, e);
	return rc;
}

int zb_rating_of_branch(zb_db *db, int64_t org_id, int year, const char *today, zb_arena *a, zb_rating *out,
                        zb_err *e)
{
	char ref[11];
	zb_org o;
	int rc = zb_rating_ref_date(year, today, ref, e);
	if (!rc)
		rc = zb_org_get(db, org_id, a, &o, e);
	if (!rc && strcmp(o.type, "branch") && strcmp(o.type, "joint_branch"))
		rc = zb_fail(e, ZB_EINVAL, NULL, "只对党支部、联合党支部评星定级");
	if (rc)
		return rc;
	saved_list l = {a, NULL, 0, 0, NULL};
	rc = zb_db_each(db, e, add_saved, &l, SAVED_COLS "WHERE r.org_id = ? AND r.year = ?", "ii", org_id,
	                (int64_t)year);
	if (!rc && l.n)
		*out = l.v[0];
	else if (!rc)
		rc = zb_rating_compute_branch(db, o.path, year, today, a, out, e);
	if (!rc)
		rc = zb_rating_last_year(db, out, 1, year, e);
	return rc;
}

/* ---- writes ---- */

static char *ind_json(const zb_rating *x)
{
	zb_buf b;
	zb_jw w;
	zb_buf_init(&b, 0);
	jw_init(&w, &b);
	jw_arr(&w);
	for (int k = 0; k < x->nind; k++) {
		const zb_rind *d = &x->ind[k];
		jw_obj(&w);
		jw_kstr(&w, "key", d->key);
		jw_kstr(&w, "name", d->name);
		if (d->has_value)
			jw_kdouble(&w, "value", d->value);
		else
			jw_knull(&w, "value");
		jw_kdouble(&w, "points", d->points);
		jw_kstr(&w, "source", d->source);
		jw_kstr(&w, "mode", d->mode);
		jw_kdouble(&w, "max", d->max);
		jw_kstr(&w, "explain", d->explain);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	if (jw_finish(&w)) {
		zb_buf_release(&b);
		return NULL;
	}
	return zb_buf_detach(&b, NULL);
}

typedef struct existing {
	int published, foreign;
	const char *name;
	zb_arena *a;
	int64_t org_id;
} existing;

static int check_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	existing *x = ctx;
	if (!strcmp(zb_col_text(st, 0), "published"))
		x->published = 1;
	else if (zb_col_int(st, 1) != x->org_id && !zb_col_int(st, 3))
		x->foreign = 1;
	else
		return 0;
	x->name = zb_arena_strdup(x->a, zb_col_text(st, 2));
	return ZB_DB_STOP;
}

int zb_rating_draft(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path, int year,
                    const char *today, int *saved, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_rating *v;
	int n = 0;
	*saved = 0;
	int rc = zb_rating_compute(db, org_id, path, year, today, &a, &v, &n, e);
	if (!rc && !n)
		rc = zb_fail(e, ZB_EINVAL, NULL, "本组织之下没有可评定的党支部（评星由支部的上级组织进行）");
	if (!rc)
		rc = zb_db_begin_write(db, e);
	if (rc) {
		zb_arena_free(&a);
		return rc;
	}
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	existing x = {0, 0, NULL, &a, org_id};
	/* rated by an org inside the subtree (a township's draft) may be
	 * replaced; by the org above or elsewhere not */
	rc = zb_db_each(db, e, check_row, &x,
	                "SELECT r.status, r.rated_by_org, o.name, "
	                "(SELECT COUNT(*) FROM orgs b WHERE b.id = r.rated_by_org AND b.path >= ? AND b.path < ?) "
	                "FROM org_ratings r JOIN orgs o ON o.id = r.org_id "
	                "WHERE r.org_path >= ? AND r.org_path < ? AND r.org_path <> ? AND r.year = ? ORDER BY r.org_path",
	                "sssssi", path, upper, path, upper, path, (int64_t)year);
	if (!rc && x.published)
		rc = zb_fail(e, ZB_ECONFLICT, "year", "%d 年度%s的评星结果已发布，不能重新评定", year, x.name);
	if (!rc && x.foreign)
		rc = zb_fail(e, ZB_ECONFLICT, "year", "%d 年度%s已由上级组织评定，不能重复评定", year, x.name);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM org_ratings WHERE org_path >= ? AND org_path < ? AND org_path <> ? AND year = ? "
		               "AND status = 'draft'",
		               "sssi", path, upper, path, (int64_t)year);
	int64_t now = zb_now(app);
	for (int i = 0; !rc && i < n; i++) {
		char *ij = ind_json(&v[i]);
		if (!ij) {
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO org_ratings (org_id, org_path, year, rated_by_org, rule_id, score, stars, tier, "
		               "indicators, status, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)",
		               "isiiIdissIi", v[i].org_id, v[i].org_path, (int64_t)year, org_id, v[i].rule_id, v[i].score,
		               (int64_t)v[i].stars, v[i].tier, ij, by->user_id, now);
		free(ij);
	}
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "year", year);
		jw_kint(w, "branches", n);
		int per[6] = {0};
		for (int i = 0; i < n; i++)
			per[v[i].stars]++;
		jw_karr(w, "stars");
		for (int s = 5; s >= 1; s--)
			jw_int(w, per[s]);
		jw_arr_end(w);
		rc = zb_audit_change_detail(db, app, by, "rating.draft", "org", org_id, path, &d, e);
	}
	if (!rc)
		*saved = n;
	zb_arena_free(&a);
	return zb_db_end(db, rc, e);
}

int zb_rating_publish(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path, int year,
                      int *published, zb_err *e)
{
	*published = 0;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	int64_t drafts = 0;
	rc = zb_db_int(db, e, &drafts,
	               "SELECT COUNT(*) FROM org_ratings WHERE rated_by_org = ? AND year = ? AND status = 'draft'", "ii",
	               org_id, (int64_t)year);
	if (!rc && !drafts)
		rc = zb_fail(e, ZB_ECONFLICT, "year", "本组织没有 %d 年度待发布的评星草稿（评星由支部的上级组织评定、发布）",
		             year);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE org_ratings SET status = 'published', published_at = ?, published_by = ? "
		               "WHERE rated_by_org = ? AND year = ? AND status = 'draft'",
		               "iIii", zb_now(app), by->user_id, org_id, (int64_t)year);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "year", year);
		jw_kint(w, "branches", drafts);
		rc = zb_audit_change_detail(db, app, by, "rating.publish", "org", org_id, path, &d, e);
	}
	if (!rc)
		*published = (int)drafts;
	return zb_db_end(db, rc, e);
}

int zb_rating_manual_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                         const zb_rating_manual_in *in, const char *today, int64_t *id, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	char ref[11];
	zb_org b;
	zb_rating_rules r;
	int rc = zb_rating_ref_date(in->year, today, ref, e);
	if (!rc && (rc = zb_org_get(db, in->branch_id, &a, &b, e)) == ZB_ENOTFOUND)
		rc = zb_fail(e, ZB_ENOTFOUND, "org_id", "没有这个党支部");
	if (!rc && (!zb_path_within(b.path, path) || !strcmp(b.path, path)))
		rc = zb_fail(e, ZB_EFORBIDDEN, "org_id", "只能为本组织下级的党支部评分，不能为本组织自己评分");
	if (!rc && strcmp(b.type, "branch") && strcmp(b.type, "joint_branch"))
		rc = zb_fail(e, ZB_EINVAL, "org_id", "只对党支部、联合党支部评星定级");
	if (!rc)
		rc = zb_rating_rules_get(db, path, ref, &r, e);
	const zb_rind_rule *ir = NULL;
	for (int k = 0; !rc && k < r.nind; k++)
		if (in->key && !strcmp(r.ind[k].key, in->key))
			ir = &r.ind[k];
	if (!rc && (!ir || ir->mode != ZB_RM_MANUAL))
		rc = zb_fail(e, ZB_EINVAL, "key", "评星规则中没有可人工评分的指标“%s”", in->key ? in->key : "");
	if (!rc && !(in->points >= 0 && in->points <= ir->weight))
		rc = zb_fail(e, ZB_EINVAL, "points", "“%s”的分值应在 0 到 %g 分之间", ir->name, ir->weight);
	if (!rc && (!in->reason || !*in->reason))
		rc = zb_fail(e, ZB_EINVAL, "reason", "请写明评分理由");
	if (!rc)
		rc = zb_db_begin_write(db, e);
	if (rc) {
		zb_arena_free(&a);
		return rc;
	}
	int64_t old = 0;
	/* as for a draft: a branch held by the rating of an org above the
	 * caller's (the county's draft, seen from a 党总支) is not scored
	 * from below, nor is that draft voided from below */
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	existing x = {0, 0, NULL, &a, org_id};
	rc = zb_db_each(db, e, check_row, &x,
	                "SELECT r.status, r.rated_by_org, o.name, "
	                "(SELECT COUNT(*) FROM orgs b WHERE b.id = r.rated_by_org AND b.path >= ? AND b.path < ?) "
	                "FROM org_ratings r JOIN orgs o ON o.id = r.org_id WHERE r.org_id = ? AND r.year = ?",
	                "ssii", path, upper, in->branch_id, (int64_t)in->year);
	if (!rc && x.published)
		rc = zb_fail(e, ZB_ECONFLICT, "year", "%d 年度%s的评星结果已发布，不能再评分", in->year, b.name);
	if (!rc && x.foreign)
		rc = zb_fail(e, ZB_ECONFLICT, "org_id", "%d 年度%s由上级组织评定，不能由本组织评分", in->year, b.name);
	double before = -1;
	if (!rc) {
		int64_t row[1] = {0};
		int r2 = zb_db_one(db, e, NULL, zb_row_ints, row,
		                   "SELECT id FROM rating_manual WHERE org_id = ? AND year = ? AND key = ?", "iis",
		                   in->branch_id, (int64_t)in->year, in->key);
		if (r2 && r2 != ZB_ENOTFOUND)
			rc = r2;
		old = row[0];
	}
	if (!rc && old) {
		int64_t c = 0;
		rc = zb_db_int(db, e, &c, "SELECT CAST(points * 100 AS BIGINT) FROM rating_manual WHERE id = ?", "i", old);
		before = (double)c / 100.0;
		if (!rc)
			rc = zb_db_run(db, e, NULL,
			               "UPDATE rating_manual SET points = ?, reason = ?, entered_by = ?, entered_by_org = ?, "
			               "entered_at = ? WHERE id = ?",
			               "dsIiii", in->points, in->reason, by->user_id, org_id, zb_now(app), old);
		*id = old;
	} else if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO rating_manual (org_id, org_path, year, key, points, reason, entered_by, "
		               "entered_by_org, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		               "isisdsIii", in->branch_id, b.path, (int64_t)in->year, in->key, in->points, in->reason,
		               by->user_id, org_id, zb_now(app));
	/* the drafts of the year that hold this branch are void: the rating
	 * org saves its draft again and reviews it before publishing */
	int64_t voided = 0;
	if (!rc)
		rc = zb_db_run(db, e, &voided,
		               "DELETE FROM org_ratings WHERE year = ? AND status = 'draft' AND rated_by_org IN "
		               "(SELECT rated_by_org FROM org_ratings WHERE org_id = ? AND year = ?)",
		               "iii", (int64_t)in->year, in->branch_id, (int64_t)in->year);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "year", in->year);
		jw_kint(w, "drafts_voided", voided);
		jw_kint(w, "org_id", in->branch_id);
		jw_kstr(w, "key", in->key);
		jw_kdouble(w, "points", in->points);
		if (before >= 0)
			jw_kdouble(w, "before", before);
		jw_kstr(w, "reason", in->reason);
		rc = zb_audit_change_detail(db, app, by, "rating.manual", "org", in->branch_id, b.path, &d, e);
	}
	zb_arena_free(&a);
	return zb_db_end(db, rc, e);
}
