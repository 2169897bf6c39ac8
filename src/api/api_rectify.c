/* api_rectify.c - 软弱涣散 identification, listings and the 整顿 plan over
 * HTTP.  The records and rules live in rectify/ (rectify.h); this file
 * reads requests, calls one domain function and writes JSON.
 * docs/RECTIFY.md. */
#include "api/api.h"
#include "meeting/attach.h"
#include "rectify/rectify.h"

#include <stdlib.h>
#include <string.h>

/* ?year=, default the current year */
static int year_of(zb_req *r, char today[11], int64_t *year, zb_err *e)
{
	zb_today(r->app, today);
	return zb_req_query_int(r, "year", atoi(today), 2000, 2100, year, e);
}

static void write_crit_array(zb_jw *w, const zb_weak_crit *c, int n)
{
	jw_arr(w);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "key", c[i].key);
		jw_kstr(w, "name", c[i].name);
		jw_kstr(w, "detail", c[i].detail);
		jw_karr(w, "sources");
		for (int k = 0; k < c[i].nsources; k++)
			jw_str(w, c[i].sources[k]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static int h_candidates(zb_req *r, zb_err *e)
{
	char today[11], ref[11];
	int64_t year;
	if (year_of(r, today, &year, e))
		return e->code;
	zb_weak_cand *v;
	int n;
	int rc = zb_weak_candidates(r->db, r->target_path, (int)year, today, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_weak_ref_date((int)year, today, ref);
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kstr(w, "ref_date", ref);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		zb_api_kid_or_null(w, "listing_id", v[i].listing_id);
		jw_kstr(w, "listing_status", v[i].listing_status);
		jw_kstr(w, "listing_status_name", zb_weak_status_name(v[i].listing_status));
		jw_key(w, "criteria");
		write_crit_array(w, v[i].crit, v[i].ncrit);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static void write_summary_open(zb_jw *w, const zb_weak_listing *l)
{
	jw_obj(w);
	jw_kint(w, "id", l->id);
	jw_kint(w, "org_id", l->org_id);
	jw_kstr(w, "org_name", l->org_name);
	jw_kint(w, "year", l->year);
	jw_kint(w, "listed_by_org", l->listed_by_org);
	jw_kstr(w, "listed_by_name", l->listed_by_name);
	jw_kstr(w, "listed_on", l->listed_on);
	jw_kstr(w, "reason", l->reason);
	jw_kstr(w, "status", l->status);
	jw_kstr(w, "status_name", zb_weak_status_name(l->status));
	jw_kstr(w, "leader_name", l->leader_name);
	jw_kstr(w, "leader_post", l->leader_post);
	jw_kint(w, "measures", l->measures);
	jw_kint(w, "measures_done", l->measures_done);
	jw_kint(w, "measures_overdue", l->measures_overdue);
	jw_kstr(w, "closed_on", l->closed_on);
}

static int h_listings(zb_req *r, zb_err *e)
{
	char today[11];
	int64_t year;
	zb_today(r->app, today);
	if (zb_req_query_int(r, "year", 0, 0, 2100, &year, e))
		return e->code;
	zb_weak_listing *v;
	int n;
	int rc = zb_weak_listings(r->db, r->target_path, (int)year, today, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		write_summary_open(w, &v[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int answer_plan(zb_req *r, int64_t id, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_weak_listing l;
	int rc = zb_weak_get(r->db, id, today, &r->arena, &l, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	int open = !strcmp(l.status, "rectifying");
	const char *up = zb_weak_parent_path(l.org_path, &r->arena);
	int review = up && zb_authz_allows(r->who, P_ORG_WRITE, up);
	write_summary_open(w, &l);
	jw_key(w, "criteria");
	jw_raw(w, l.criteria && *l.criteria ? l.criteria : "[]");
	jw_kstr(w, "problems", l.problems);
	jw_kstr(w, "leader_account", l.leader_account);
	jw_kstr(w, "closed_by_name", l.closed_by_name);
	jw_kstr(w, "close_opinion", l.close_opinion);
	jw_karr(w, "measure_items");
	for (int i = 0; i < l.nm; i++) {
		const zb_weak_measure *m = &l.m[i];
		jw_obj(w);
		jw_kint(w, "id", m->id);
		jw_kstr(w, "what", m->what);
		jw_kstr(w, "responsible", m->responsible);
		jw_kstr(w, "due_on", m->due_on);
		jw_kstr(w, "status", m->status);
		jw_kstr(w, "status_name", zb_weak_measure_status_name(m->status));
		jw_kstr(w, "done_on", m->done_on);
		jw_kstr(w, "done_note", m->done_note);
		jw_kbool(w, "overdue", m->overdue);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "progress");
	for (int i = 0; i < l.np; i++) {
		const zb_weak_progress *p = &l.p[i];
		jw_obj(w);
		jw_kint(w, "id", p->id);
		jw_kstr(w, "on_date", p->on_date);
		jw_kstr(w, "text", p->text);
		jw_key(w, "file");
		if (p->file_kind) {
			jw_obj(w);
			jw_kstr(w, "kind", p->file_kind);
			jw_kstr(w, "filename", p->filename);
			jw_kstr(w, "url", zb_arena_printf(&r->arena, "/api/v1/weak-progress/%lld/file", (long long)p->id));
			jw_obj_end(w);
		} else {
			jw_null(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "reviews");
	for (int i = 0; i < l.nrv; i++) {
		jw_obj(w);
		jw_kstr(w, "kind", l.rv[i].kind);
		jw_kstr(w, "kind_name", !strcmp(l.rv[i].kind, "close") ? "销号" : "重新打开");
		jw_kstr(w, "on_date", l.rv[i].on_date);
		jw_kstr(w, "by_name", l.rv[i].by_name);
		jw_kstr(w, "opinion", l.rv[i].opinion);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kbool(w, "can_write", open && zb_authz_allows(r->who, P_MEMBER_WRITE, l.org_path));
	jw_kbool(w, "can_review", open && review);
	jw_kbool(w, "can_reopen", !open && zb_authz_allows(r->who, P_ORG_WRITE, l.listed_by_path));
	jw_obj_end(w);
	return 0;
}

static int h_plan(zb_req *r, zb_err *e)
{
	return answer_plan(r, r->target_id, e);
}

static int created(zb_req *r, int64_t id)
{
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_obj_end(&r->jw);
	r->status = 201;
	return 0;
}

static int h_list(zb_req *r, zb_err *e)
{
	int64_t org = 0, year = 0;
	zb_body_int(r, "org_id", &org);
	zb_body_int(r, "year", &year);
	zb_weak_list_input in = {.org_id = org, .year = (int)year, .reason = zb_body_str(r, "reason"),
	                         .on_date = zb_body_str(r, "listed_on")};
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_weak_list(r->db, r->app, &by, r->who, &in, &r->arena, &id, e);
	return rc ? rc : created(r, id);
}

static int h_plan_set(zb_req *r, zb_err *e)
{
	zb_weak_plan_input in = {.problems = zb_body_str(r, "problems"), .leader_name = zb_body_str(r, "leader_name"),
	                         .leader_post = zb_body_str(r, "leader_post")};
	if (zb_body_has(r, "leader_account"))
		in.leader_account = zb_body_str(r, "leader_account") ? zb_body_str(r, "leader_account") : "";
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_weak_plan_set(r->db, r->app, &by, r->who, r->target_id, &in, e);
	return rc ? rc : answer_plan(r, r->target_id, e);
}

static int h_measure_add(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_weak_measure_add(r->db, r->app, &by, r->target_id, zb_body_str(r, "what"),
	                             zb_body_str(r, "responsible"), zb_body_str(r, "due_on"), &id, e);
	return rc ? rc : created(r, id);
}

static int h_measure_done(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_weak_measure_done(r->db, r->app, &by, r->target_id, zb_body_str(r, "done_on"), zb_body_str(r, "note"), e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_progress_add(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_weak_progress_add(r->db, r->app, &by, r->target_id, zb_body_str(r, "on_date"), zb_body_str(r, "text"),
	                              &id, e);
	return rc ? rc : created(r, id);
}

static int h_progress_file(zb_req *r, zb_err *e)
{
	const char *filename;
	if (zb_api_upload_filename(r, &filename, e))
		return e->code;
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_weak_progress_file(r->db, r->app, &by, r->target_id, filename, r->body.data, r->body.len, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_progress_file_get(zb_req *r, zb_err *e)
{
	const char *kind, *name, *stored;
	int rc = zb_weak_progress_file_find(r->db, r->target_id, &r->arena, &kind, &name, &stored, e);
	return rc ? rc : zb_api_stored_file(r, kind, name, stored, "progress", "weak.file_read", "weak_progress", e);
}

static int h_close(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_weak_close(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "on_date"),
	                       zb_body_str(r, "opinion"), e);
	return rc ? rc : answer_plan(r, r->target_id, e);
}

static int h_reopen(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_weak_reopen(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "reason"), e);
	return rc ? rc : answer_plan(r, r->target_id, e);
}

/* ---- shapes ---- */

static const zb_prop crit_props[] = {
	{"key", 's', 0, NULL, "secretary_vacant 书记空缺、compliance_low 三会一课落实率低、lagging 连续后进、term_overdue 逾期未换届"},
	{"name", 's', 0, NULL, "标准（按规则）"},
	{"detail", 's', 0, NULL, "查到的情况及数字"},
	{"sources", 'a', 0, &zb_shape_string, "依据的记录，如 post:12、compliance:13:2026Q1、rating:7、term:4、org:13"},
	{0},
};
static const zb_shape crit_shape = {"WeakCriterion", crit_props, 0, 0, "符合的一项排查标准及其依据"};
static const zb_prop cand_props[] = {
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "名称"},
	{"listing_id", 'i', ZB_NULL, NULL, "当年已列为软弱涣散：整顿记录编号"},
	{"listing_status", 's', ZB_NULL, NULL, "rectifying 整顿中、closed 已销号"},
	{"listing_status_name", 's', ZB_NULL, NULL, "状态名称"},
	{"criteria", 'a', 0, &crit_shape, "符合的标准"},
	{0},
};
static const zb_shape cand_shape = {"WeakCandidate", cand_props, 0, 0, "符合排查标准的支部"};
static const zb_prop cands_props[] = {
	{"year", 'i', 0, NULL, "年度"},
	{"ref_date", 'd', 0, NULL, "对照日期（年末，当年为今天）"},
	{"items", 'a', 0, &cand_shape, "符合标准的支部（按组织顺序）"},
	{0},
};
static const zb_shape cands_shape = {"WeakCandidates", cands_props, 0, 0, NULL};

#define SUMMARY_PROPS                                                                                           \
	{"id", 'i', 0, NULL, "整顿记录编号"}, {"org_id", 'i', 0, NULL, "支部"}, {"org_name", 's', 0, NULL, "名称"},     \
	{"year", 'i', 0, NULL, "年度"}, {"listed_by_org", 'i', 0, NULL, "认定的党组织"},                           \
	{"listed_by_name", 's', 0, NULL, "名称"}, {"listed_on", 'd', 0, NULL, "认定日期"},                            \
	{"reason", 's', ZB_NULL, NULL, "认定理由（手动列入时）"},                                                     \
	{"status", 's', 0, NULL, "rectifying 整顿中、closed 已销号"}, {"status_name", 's', 0, NULL, "状态名称"},        \
	{"leader_name", 's', ZB_NULL, NULL, "包联县级领导"}, {"leader_post", 's', ZB_NULL, NULL, "职务"},              \
	{"measures", 'i', 0, NULL, "整改措施数"}, {"measures_done", 'i', 0, NULL, "已完成"},                       \
	{"measures_overdue", 'i', 0, NULL, "逾期未完成（过了完成时限的次日起）"},                                    \
	{"closed_on", 'd', ZB_NULL, NULL, "销号日期"}
static const zb_prop summary_props[] = {SUMMARY_PROPS, {0}};
static const zb_shape summary_shape = {"WeakListing", summary_props, 0, 0, "列为软弱涣散的支部及整顿进度"};
static const zb_prop listings_props[] = {
	{"items", 'a', 0, &summary_shape, "组织及下级的软弱涣散支部（新的年度在前，整顿中在前）"},
	{0},
};
static const zb_shape listings_shape = {"WeakListings", listings_props, 0, 0, NULL};

static const zb_prop measure_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"what", 's', 0, NULL, "整改措施"},
	{"responsible", 's', 0, NULL, "责任人"},
	{"due_on", 'd', 0, NULL, "完成时限"},
	{"status", 's', 0, NULL, "open 未完成、done 已完成"},
	{"status_name", 's', 0, NULL, "状态名称"},
	{"done_on", 'd', ZB_NULL, NULL, "完成日期"},
	{"done_note", 's', ZB_NULL, NULL, "完成情况"},
	{"overdue", 'b', 0, NULL, "未完成且已过完成时限（时限当天不算逾期）"},
	{0},
};
static const zb_shape measure_shape = {"WeakMeasure", measure_props, 0, 0, "整改措施"};
static const zb_prop pfile_props[] = {
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf"},
	{"filename", 's', 0, NULL, "文件名"},
	{"url", 's', 0, NULL, "下载地址"},
	{0},
};
static const zb_shape pfile_shape = {"WeakProgressFile", pfile_props, 0, 0, NULL};
static const zb_prop progress_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"on_date", 'd', 0, NULL, "日期"},
	{"text", 's', 0, NULL, "进展"},
	{"file", 'o', ZB_NULL, &pfile_shape, "照片或 PDF"},
	{0},
};
static const zb_shape progress_shape = {"WeakProgress", progress_props, 0, 0, "整顿进展"};
static const zb_prop review_props[] = {
	{"kind", 's', 0, NULL, "close 销号、reopen 重新打开"},
	{"kind_name", 's', 0, NULL, "名称"},
	{"on_date", 'd', 0, NULL, "日期"},
	{"by_name", 's', ZB_NULL, NULL, "审核人"},
	{"opinion", 's', 0, NULL, "审核意见或重新打开的理由"},
	{0},
};
static const zb_shape review_shape = {"WeakReview", review_props, 0, 0, NULL};
static const zb_prop plan_props[] = {
	SUMMARY_PROPS,
	{"criteria", 'a', 0, &crit_shape, "认定时符合的标准及依据"},
	{"problems", 's', 0, NULL, "存在的问题"},
	{"leader_account", 's', ZB_NULL, NULL, "包联领导的账号（登录名）"},
	{"closed_by_name", 's', ZB_NULL, NULL, "销号审核人"},
	{"close_opinion", 's', ZB_NULL, NULL, "销号审核意见"},
	{"measure_items", 'a', 0, &measure_shape, "整改措施（按完成时限）"},
	{"progress", 'a', 0, &progress_shape, "整顿进展（新的在前）"},
	{"reviews", 'a', 0, &review_shape, "销号和重新打开的记录"},
	{"can_write", 'b', 0, NULL, "调用者可记录进展、增加和完成措施"},
	{"can_review", 'b', 0, NULL, "调用者是上级党组织：可定问题和包联领导、销号"},
	{"can_reopen", 'b', 0, NULL, "已销号且调用者是认定的党组织：可重新打开"},
	{0},
};
static const zb_shape plan_shape = {"WeakPlan", plan_props, 0, 0, "整顿方案"};
static const zb_prop created_props[] = {{"id", 'i', 0, NULL, "新记录的编号"}, {0}};
static const zb_shape created_shape = {"WeakCreated", created_props, 0, 0, NULL};

static const zb_field list_fields[] = {
	{"org_id", 'i', 1, 0, "支部"},
	{"year", 'i', 1, 0, "年度"},
	{"reason", 's', 0, 8000, "认定理由（不符合任何排查标准时必填）"},
	{"listed_on", 'd', 0, 10, "认定日期（默认今天）"},
	{0},
};
static const zb_field plan_fields[] = {
	{"problems", 's', 0, 8000, "存在的问题"},
	{"leader_name", 's', 0, 100, "包联县级领导姓名"},
	{"leader_post", 's', 0, 200, "职务"},
	{"leader_account", 's', 0, 100, "包联领导的账号（登录名；null 或空去掉）"},
	{0},
};
static const zb_field measure_fields[] = {
	{"what", 's', 1, 2000, "整改措施"},
	{"responsible", 's', 1, 200, "责任人"},
	{"due_on", 'd', 1, 10, "完成时限"},
	{0},
};
static const zb_field done_fields[] = {
	{"done_on", 'd', 1, 10, "完成日期"},
	{"note", 's', 0, 2000, "完成情况"},
	{0},
};
static const zb_field progress_fields[] = {
	{"on_date", 'd', 1, 10, "日期"},
	{"text", 's', 1, 8000, "进展"},
	{0},
};
static const zb_field close_fields[] = {
	{"opinion", 's', 1, 8000, "审核意见"},
	{"on_date", 'd', 0, 10, "销号日期（默认今天）"},
	{0},
};
static const zb_field reopen_fields[] = {
	{"reason", 's', 1, 8000, "重新打开的理由"},
	{0},
};

const zb_route zb_routes_rectify[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/weak-candidates", .fn = h_candidates,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_OK(&cands_shape), .tag = "rectify",
	 .summary = "软弱涣散排查：组织及下级符合排查标准的支部及依据", .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/weak-listings", .fn = h_listings,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&listings_shape), .tag = "rectify",
	 .summary = "组织及下级列为软弱涣散的支部及整顿进度（year=0 或不填：各年度）", .query_doc = "year:integer"},
	{.method = "POST", .pattern = "/api/v1/weak-listings", .fn = h_list,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = list_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "rectify",
	 .summary = "将支部列为软弱涣散（上级党组织认定；不符合排查标准时须写理由）"},
	{.method = "GET", .pattern = "/api/v1/weak-listings/{id}", .fn = h_plan,
	 .perm = P_ORG_READ, .scope = S_WEAK_LISTING, .resp = ZB_OK(&plan_shape), .tag = "rectify",
	 .summary = "整顿方案：问题、措施、包联领导、进展、销号"},
	{.method = "PATCH", .pattern = "/api/v1/weak-listings/{id}", .fn = h_plan_set,
	 .perm = P_ORG_WRITE, .scope = S_WEAK_LISTING, .flags = R_WRITE | R_JSON, .max_body = 16384,
	 .fields = plan_fields, .resp = ZB_OK(&plan_shape), .tag = "rectify",
	 .summary = "确定存在的问题和包联县级领导（上级党组织）"},
	{.method = "POST", .pattern = "/api/v1/weak-listings/{id}/measures", .fn = h_measure_add,
	 .perm = P_MEMBER_WRITE, .scope = S_WEAK_LISTING, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = measure_fields, .resp = ZB_CREATED(&created_shape), .tag = "rectify", .summary = "增加整改措施"},
	{.method = "POST", .pattern = "/api/v1/weak-measures/{id}/done", .fn = h_measure_done,
	 .perm = P_MEMBER_WRITE, .scope = S_WEAK_MEASURE, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = done_fields, .resp = ZB_OK(&zb_shape_ok), .tag = "rectify", .summary = "整改措施已完成"},
	{.method = "POST", .pattern = "/api/v1/weak-listings/{id}/progress", .fn = h_progress_add,
	 .perm = P_MEMBER_WRITE, .scope = S_WEAK_LISTING, .flags = R_WRITE | R_JSON, .max_body = 16384,
	 .fields = progress_fields, .resp = ZB_CREATED(&created_shape), .tag = "rectify", .summary = "记录整顿进展"},
	{.method = "POST", .pattern = "/api/v1/weak-progress/{id}/file", .fn = h_progress_file,
	 .perm = P_MEMBER_WRITE, .scope = S_WEAK_PROGRESS, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES,
	 .resp = ZB_OK(&zb_shape_ok), .tag = "rectify",
	 .summary = "为整顿进展上传照片或 PDF（请求体为文件内容，每条进展一个）", .query_doc = "filename:string"},
	{.method = "GET", .pattern = "/api/v1/weak-progress/{id}/file", .fn = h_progress_file_get,
	 .perm = P_ORG_READ, .scope = S_WEAK_PROGRESS,
	 .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf, application/octet-stream"), .tag = "rectify",
	 .summary = "整顿进展的照片或 PDF"},
	{.method = "POST", .pattern = "/api/v1/weak-listings/{id}/close", .fn = h_close,
	 .perm = P_ORG_WRITE, .scope = S_WEAK_LISTING, .flags = R_WRITE | R_JSON, .max_body = 16384,
	 .fields = close_fields, .resp = ZB_OK(&plan_shape), .tag = "rectify",
	 .summary = "销号（上级党组织审核；有未完成的措施时拒绝）"},
	{.method = "POST", .pattern = "/api/v1/weak-listings/{id}/reopen", .fn = h_reopen,
	 .perm = P_ORG_WRITE, .scope = S_WEAK_LISTING, .flags = R_WRITE | R_JSON, .max_body = 16384,
	 .fields = reopen_fields, .resp = ZB_OK(&plan_shape), .tag = "rectify",
	 .summary = "重新打开已销号的整顿（认定的党组织，须写理由）"},
	{0},
};
