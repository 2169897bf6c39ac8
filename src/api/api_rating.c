/* api_rating.c - 评星晋级 over HTTP: the ratings of a subtree's branches
 * (saved, or computed live as a preview), one branch's rating explained,
 * the published ratings summed, and the rating org's draft, manual
 * scores and publishing.  The computing and the rules live in rating/
 * (rating.h); this file reads requests, calls one domain function and
 * writes JSON (docs/RATINGS.md). */
#include "api/api.h"
#include "rating/rating.h"

#include <stdlib.h>
#include <string.h>

static int year_of(zb_req *r, char today[11], int *year, zb_err *e)
{
	zb_today(r->app, today);
	int64_t y;
	if (zb_req_query_int(r, "year", atoi(today), 2000, 9999, &y, e))
		return e->code;
	*year = (int)y;
	return 0;
}

static const char *status_name(const char *s)
{
	return !strcmp(s, "published") ? "已发布" : !strcmp(s, "draft") ? "草稿（待审核发布）" : "预览（按记录实时计算，尚未评定）";
}

static void write_rating(zb_jw *w, const zb_rating *x)
{
	jw_obj(w);
	jw_kint(w, "org_id", x->org_id);
	jw_kstr(w, "org_name", x->org_name);
	jw_kdouble(w, "score", x->score);
	jw_kint(w, "stars", x->stars);
	jw_kstr(w, "tier", x->tier);
	jw_kstr(w, "tier_name", zb_rating_tier_name(x->tier));
	jw_kstr(w, "change", x->change);
	jw_kstr(w, "change_name", zb_rating_change_name(x->change));
	if (x->last_stars)
		jw_kint(w, "last_stars", x->last_stars);
	else
		jw_knull(w, "last_stars");
	jw_kstr(w, "status", x->status);
	jw_kstr(w, "status_name", status_name(x->status));
	if (strcmp(x->status, "preview"))
		jw_kint(w, "rated_by", x->rated_by_org);
	else
		jw_knull(w, "rated_by");
	jw_kstr(w, "published_at", x->published_at);
	jw_karr(w, "indicators");
	for (int k = 0; k < x->nind; k++) {
		const zb_rind *d = &x->ind[k];
		jw_obj(w);
		jw_kstr(w, "key", d->key);
		jw_kstr(w, "name", d->name);
		if (d->has_value)
			jw_kdouble(w, "value", d->value);
		else
			jw_knull(w, "value");
		jw_kdouble(w, "points", d->points);
		jw_kdouble(w, "max", d->max);
		jw_kstr(w, "mode", d->mode);
		jw_kstr(w, "source", d->source ? d->source : "");
		jw_kstr(w, "explain", d->explain ? d->explain : "");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static int h_list(zb_req *r, zb_err *e)
{
	char today[11];
	int year, preview;
	if (year_of(r, today, &year, e))
		return e->code;
	const char *tier = zb_req_query(r, "tier");
	if (tier && !*tier)
		tier = NULL;
	if (tier && !zb_rating_tier_name(tier))
		return zb_fail(e, ZB_EINVAL, "tier", "tier 应为 advanced（先进）、middle（中间）或 lagging（后进）");
	zb_rating *v;
	int n;
	int rc = zb_rating_list(r->db, r->target_id, r->target_path, year, today, tier, &r->arena, &v, &n, &preview, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kbool(w, "preview", preview);
	jw_kint(w, "total", n);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++)
		write_rating(w, &v[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_branch(zb_req *r, zb_err *e)
{
	char today[11];
	int year;
	if (year_of(r, today, &year, e))
		return e->code;
	zb_rating x;
	int rc = zb_rating_of_branch(r->db, r->target_id, year, today, &r->arena, &x, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_key(w, "rating");
	write_rating(w, &x);
	jw_obj_end(w);
	return 0;
}

int zb_api_rating_summary(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int year;
	zb_rating_sum s;
	int rc = zb_rating_latest_year(r->db, r->target_path, atoi(today), &year, e);
	if (!rc)
		rc = zb_rating_sum_get(r->db, r->target_path, year, &s, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	if (year)
		jw_kint(w, "year", year);
	else
		jw_knull(w, "year");
	jw_kint(w, "branches", s.branches);
	jw_karr(w, "stars");
	for (int k = 5; k >= 1; k--)
		jw_int(w, s.stars[k]);
	jw_arr_end(w);
	jw_kobj(w, "tiers");
	jw_kint(w, "advanced", s.tiers[0]);
	jw_kint(w, "middle", s.tiers[1]);
	jw_kint(w, "lagging", s.tiers[2]);
	jw_obj_end(w);
	jw_kint(w, "up", s.up);
	jw_kint(w, "down", s.down);
	jw_kint(w, "same", s.same);
	jw_kint(w, "new", s.fresh);
	jw_key(w, "own");
	if (!s.own_stars) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_kint(w, "stars", s.own_stars);
		jw_kstr(w, "tier", s.own_tier);
		jw_kstr(w, "tier_name", zb_rating_tier_name(s.own_tier));
		jw_kstr(w, "change", s.own_change);
		jw_kstr(w, "change_name", zb_rating_change_name(s.own_change));
		jw_obj_end(w);
	}
	jw_obj_end(w);
	return 0;
}

static int body_year(zb_req *r, int *year)
{
	int64_t y = 0;
	zb_body_int(r, "year", &y);
	*year = y < 0 || y > 9999 ? 0 : (int)y;
	return *year;
}

static int h_draft(zb_req *r, zb_err *e)
{
	char today[11];
	int year, saved;
	zb_today(r->app, today);
	body_year(r, &year);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_rating_draft(r->db, r->app, &by, r->target_id, r->target_path, year, today, &saved, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "year", year);
	jw_kint(&r->jw, "saved", saved);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_publish(zb_req *r, zb_err *e)
{
	int year, published;
	body_year(r, &year);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_rating_publish(r->db, r->app, &by, r->target_id, r->target_path, year, &published, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "year", year);
	jw_kint(&r->jw, "published", published);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_manual(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_rating_manual_in in = {.key = zb_body_str(r, "key"), .reason = zb_body_str(r, "reason")};
	zb_body_int(r, "org_id", &in.branch_id);
	body_year(r, &in.year);
	in.points = json_number_value(json_object_get(r->json, "points"));
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_rating_manual_set(r->db, r->app, &by, r->target_id, r->target_path, &in, today, &id, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "source", zb_arena_printf(&r->arena, "manual:%lld", (long long)id));
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- shapes ---- */

static const zb_prop ind_props[] = {
	{"key", 's', 0, NULL, "指标代码"},
	{"name", 's', 0, NULL, "指标名称"},
	{"value", 'n', ZB_NULL, NULL, "计得的值：百分比（rate、steps）、项数（deduct）或人工分（manual）；不适用或未评分为 null"},
	{"points", 'n', 0, NULL, "得分（两位小数）"},
	{"max", 'n', 0, NULL, "满分"},
	{"mode", 's', 0, NULL, "计分方式：rate 按比例、steps 分档、deduct 扣分、manual 人工评分"},
	{"source", 's', 0, NULL, "依据的记录，如 compliance:org:13:2026、manual:3（空：无）"},
	{"explain", 's', 0, NULL, "计得的说明"},
	{0},
};
static const zb_shape ind_shape = {"RatingIndicator", ind_props, 0, 0, "评星指标"};

static const zb_prop rating_props[] = {
	{"org_id", 'i', 0, NULL, "党支部"},
	{"org_name", 's', 0, NULL, "名称"},
	{"score", 'n', 0, NULL, "总分（各指标得分之和）"},
	{"stars", 'i', 0, NULL, "星级 1–5"},
	{"tier", 's', 0, NULL, "advanced 先进、middle 中间、lagging 后进"},
	{"tier_name", 's', 0, NULL, "先进、中间或后进"},
	{"change", 's', 0, NULL, "与上年已发布的评定相比：up 晋级、down 降级、same 持平、new 首次评定"},
	{"change_name", 's', 0, NULL, "晋级、降级、持平或首次评定"},
	{"last_stars", 'i', ZB_NULL, NULL, "上年已发布的星级"},
	{"status", 's', 0, NULL, "draft 草稿、published 已发布、preview 预览（未保存）"},
	{"status_name", 's', 0, NULL, "状态"},
	{"rated_by", 'i', ZB_NULL, NULL, "评定（保存草稿或发布）的组织；预览为 null"},
	{"published_at", 'd', ZB_NULL, NULL, "发布日期"},
	{"indicators", 'a', 0, &ind_shape, "各指标"},
	{0},
};
static const zb_shape rating_shape = {"Rating", rating_props, 0, 0, "一个党支部一年的评星"};

static const zb_prop list_props[] = {
	{"year", 'i', 0, NULL, "年度"},
	{"preview", 'b', 0, NULL, "true：该年度尚未评定，按记录实时计算的预览；false：已保存的评定（草稿或已发布）"},
	{"total", 'i', 0, NULL, "条目数"},
	{"items", 'a', 0, &rating_shape, "下级各党支部"},
	{0},
};
static const zb_shape list_shape = {"RatingList", list_props, 0, 0, "下级党支部的评星"};

static const zb_prop branch_props[] = {
	{"year", 'i', 0, NULL, "年度"},
	{"rating", 'o', 0, &rating_shape, "评星（未评定时为按分数线的预览，比例上限在上级评定时适用）"},
	{0},
};
static const zb_shape branch_shape = {"BranchRating", branch_props, 0, 0, "一个党支部的评星及各指标依据"};

static const zb_prop tiers_props[] = {
	{"advanced", 'i', 0, NULL, "先进"},
	{"middle", 'i', 0, NULL, "中间"},
	{"lagging", 'i', 0, NULL, "后进"},
	{0},
};
static const zb_shape tiers_shape = {NULL, tiers_props, 0, 0, NULL};
static const zb_prop own_props[] = {
	{"stars", 'i', 0, NULL, "星级"},
	{"tier", 's', 0, NULL, "advanced、middle 或 lagging"},
	{"tier_name", 's', 0, NULL, "先进、中间或后进"},
	{"change", 's', 0, NULL, "up、down、same 或 new"},
	{"change_name", 's', 0, NULL, "晋级、降级、持平或首次评定"},
	{0},
};
static const zb_shape own_shape = {NULL, own_props, 0, 0, NULL};
static const zb_prop summary_props[] = {
	{"year", 'i', ZB_NULL, NULL, "最近已发布的年度（无则 null）"},
	{"branches", 'i', 0, NULL, "评定的党支部数"},
	{"stars", 'a', 0, &zb_shape_integer, "五星到一星的支部数"},
	{"tiers", 'o', 0, &tiers_shape, "先进、中间、后进的支部数"},
	{"up", 'i', 0, NULL, "晋级"},
	{"down", 'i', 0, NULL, "降级"},
	{"same", 'i', 0, NULL, "持平"},
	{"new", 'i', 0, NULL, "首次评定"},
	{"own", 'o', ZB_NULL, &own_shape, "本组织是评定的党支部时：本支部的评定"},
	{0},
};
const zb_shape zb_shape_rating_summary = {"RatingSummary", summary_props, 0, 0, "已发布的评星汇总"};

static const zb_prop drafted_props[] = {
	{"year", 'i', 0, NULL, "年度"},
	{"saved", 'i', 0, NULL, "保存为草稿的支部数"},
	{0},
};
static const zb_shape drafted_shape = {"RatingDrafted", drafted_props, 0, 0, NULL};
static const zb_prop published_props[] = {
	{"year", 'i', 0, NULL, "年度"},
	{"published", 'i', 0, NULL, "发布的支部数"},
	{0},
};
static const zb_shape published_shape = {"RatingPublished", published_props, 0, 0, NULL};
static const zb_prop manual_props[] = {
	{"id", 'i', 0, NULL, "人工评分编号"},
	{"source", 's', 0, NULL, "manual:编号"},
	{0},
};
static const zb_shape manual_shape = {"RatingManualSaved", manual_props, 0, 0, NULL};

static const zb_field year_fields[] = {
	{"year", 'i', 1, 0, "年度"},
	{NULL, 0, 0, 0, NULL},
};
static const zb_field manual_fields[] = {
	{"org_id", 'i', 1, 0, "下级党支部"},
	{"year", 'i', 1, 0, "年度"},
	{"key", 's', 1, 32, "评星规则中可人工评分的指标代码，如 innovation"},
	{"points", 'n', 1, 0, "得分（0 到该指标满分）"},
	{"reason", 's', 1, 500, "评分理由"},
	{NULL, 0, 0, 0, NULL},
};

const zb_route zb_routes_rating[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/ratings", .fn = h_list, .perm = P_ORG_READ, .scope = S_ORG,
	 .resp = ZB_OK(&list_shape), .tag = "ratings",
	 .summary = "下级党支部一年的评星：已评定的（草稿或已发布），未评定则按记录实时计算预览",
	 .query_doc = "year:integer,tier:string"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/rating", .fn = h_branch, .perm = P_ORG_READ, .scope = S_ORG,
	 .resp = ZB_OK(&branch_shape), .tag = "ratings", .summary = "一个党支部的评星：各指标的值、得分和依据的记录",
	 .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/ratings/summary", .fn = zb_api_rating_summary,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&zb_shape_rating_summary), .tag = "ratings",
	 .summary = "最近已发布年度的评星汇总：星级、先进中间后进、晋级降级；本支部的评定"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/ratings/draft", .fn = h_draft, .perm = P_ORG_WRITE,
	 .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = year_fields,
	 .resp = ZB_OK(&drafted_shape), .tag = "ratings",
	 .summary = "按记录计算下级党支部一年的评星并保存为草稿（评定组织须在支部之上）"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/ratings/publish", .fn = h_publish, .perm = P_ORG_WRITE,
	 .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = year_fields,
	 .resp = ZB_OK(&published_shape), .tag = "ratings", .summary = "发布本组织评定的一年评星草稿"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/ratings/manual", .fn = h_manual, .perm = P_ORG_WRITE,
	 .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = manual_fields,
	 .resp = ZB_OK(&manual_shape), .tag = "ratings",
	 .summary = "为下级党支部录入评星规则允许的人工评分（附理由；该年度的草稿作废，须重新生成）"},
	{0},
};
