/* api_points.c - 积分制: a member's ledger of a year (and the caller's
 * own), the secretaries' ledger (?scheme=secretary), the branch's manual
 * items proposed and decided, the ranking inside a branch when a county
 * turns it on.  The records and rules live in points/ (points.h); this
 * file reads requests, calls one domain function and writes JSON. */
#include "api/api.h"
#include "points/points.h"

#include <stdio.h>
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

static int which_of(zb_req *r, int *which, zb_err *e)
{
	const char *s = zb_req_query(r, "scheme");
	if (!s || !*s || !strcmp(s, "member"))
		*which = ZB_PTS_MEMBER;
	else if (!strcmp(s, "secretary"))
		*which = ZB_PTS_SECRETARY;
	else
		return zb_fail(e, ZB_EINVAL, "scheme", "积分方案应为 member（党员积分）或 secretary（书记积分）");
	return 0;
}

static const char *status_name(const char *s)
{
	if (!strcmp(s, "pending"))
		return "待审核";
	if (!strcmp(s, "capped"))
		return "超出上限";
	if (!strcmp(s, "approved"))
		return "已认定";
	if (!strcmp(s, "rejected"))
		return "未认定";
	return "已计分";
}

/* ---- a person's ledger ---- */

static int answer_ledger(zb_req *r, int64_t member_id, zb_err *e)
{
	char today[11];
	int year, which = ZB_PTS_MEMBER;
	if (year_of(r, today, &year, e) || which_of(r, &which, e))
		return e->code;
	zb_pts_ledger l;
	int rc = zb_points_ledger(r->db, member_id, which, year, today, &r->arena, &l, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", member_id);
	jw_kint(w, "year", year);
	jw_kstr(w, "scheme", which == ZB_PTS_SECRETARY ? "secretary" : "member");
	jw_kstr(w, "scheme_name", which == ZB_PTS_SECRETARY ? "党组织书记积分" : "党员积分");
	jw_kdouble(w, "total", l.total10 / 10.0);
	int pending = 0;
	for (int i = 0; i < l.n; i++)
		pending += !strcmp(l.rows[i].status, "pending");
	jw_kint(w, "pending", pending);
	jw_karr(w, "items");
	for (int i = 0; i < l.n; i++) {
		const zb_pts_row *it = &l.rows[i];
		jw_obj(w);
		jw_kstr(w, "date", it->date);
		jw_kstr(w, "key", it->key);
		jw_kstr(w, "rule", it->rule);
		jw_kdouble(w, "points", it->points10 / 10.0);
		jw_kstr(w, "reason", it->reason);
		jw_kstr(w, "source", it->source);
		jw_kstr(w, "period", it->period);
		jw_kstr(w, "status", it->status);
		jw_kstr(w, "status_name", status_name(it->status));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "manual_items");
	for (int i = 0; l.scheme && i < l.scheme->n; i++) {
		const zb_pts_item *it = &l.scheme->items[i];
		if (it->src != ZB_PS_MANUAL)
			continue;
		jw_obj(w);
		jw_kstr(w, "key", it->key);
		jw_kstr(w, "name", it->name);
		jw_kdouble(w, "points", it->points10 / 10.0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_member_points(zb_req *r, zb_err *e)
{
	int rc = answer_ledger(r, r->target_id, e);
	if (!rc)
		zb_req_audit_read(r, "points.read", "member", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_my_points(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	return answer_ledger(r, r->who->member_id, e);
}

/* ---- manual items ---- */

static int propose(zb_req *r, int64_t org_id, int64_t member_id, zb_err *e)
{
	int which = ZB_PTS_MEMBER;
	const char *s = zb_body_str(r, "scheme");
	if (s && !strcmp(s, "secretary"))
		which = ZB_PTS_SECRETARY;
	else if (s && strcmp(s, "member"))
		return zb_fail(e, ZB_EINVAL, "scheme", "积分方案应为 member（党员积分）或 secretary（书记积分）");
	zb_pts_propose_in in = {which, member_id, org_id, zb_body_str(r, "item_key"), zb_body_str(r, "date"),
	                        zb_body_str(r, "reason")};
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_points_propose(r->db, r->app, &by, r->who, &in, &r->arena, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "status", "pending");
	jw_obj_end(&r->jw);
	return 0;
}

static int h_propose(zb_req *r, zb_err *e)
{
	int64_t member_id = 0;
	zb_body_int(r, "member_id", &member_id);
	if (member_id <= 0)
		return zb_fail(e, ZB_EINVAL, "member_id", "请选择党员");
	return propose(r, r->target_id, member_id, e);
}

static int h_my_propose(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	return propose(r, 0, r->who->member_id, e);
}

static int decide(zb_req *r, int approve, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_points_decide(r->db, r->app, &by, r->who, r->target_id, approve, zb_body_str(r, "note"), &r->arena, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_approve(zb_req *r, zb_err *e)
{
	return decide(r, 1, e);
}

static int h_reject(zb_req *r, zb_err *e)
{
	return decide(r, 0, e);
}

static int h_manual_list(zb_req *r, zb_err *e)
{
	zb_pts_manual *v;
	int n;
	int rc = zb_points_manual_list(r->db, r->target_id, zb_req_query(r, "status"), &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	zb_jw *w = &r->jw;
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "id", v[i].id);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "member_name", v[i].member_name);
		jw_kstr(w, "scheme", v[i].scheme);
		jw_kstr(w, "scheme_name", !strcmp(v[i].scheme, "secretary") ? "书记积分" : "党员积分");
		jw_kstr(w, "item_key", v[i].item_key);
		jw_kstr(w, "item_name", v[i].item_name);
		jw_kdouble(w, "points", v[i].points10 / 10.0);
		jw_kstr(w, "date", v[i].happened_on);
		jw_kstr(w, "reason", v[i].reason);
		jw_kstr(w, "status", v[i].status);
		jw_kstr(w, "status_name", status_name(v[i].status));
		jw_kstr(w, "proposed_by", v[i].proposed_name);
		if (v[i].decided_name)
			jw_kstr(w, "decided_by", v[i].decided_name);
		else
			jw_knull(w, "decided_by");
		if (v[i].decision_note)
			jw_kstr(w, "decision_note", v[i].decision_note);
		else
			jw_knull(w, "decision_note");
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

/* ---- ranking ---- */

static int h_ranking(zb_req *r, zb_err *e)
{
	char today[11];
	int year;
	int64_t org_id;
	if (year_of(r, today, &year, e) || zb_req_param_id(r, 0, &org_id, e))
		return e->code;
	zb_pts_rank *v;
	int n;
	int rc = zb_points_ranking(r->db, r->who, org_id, year, today, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", org_id);
	jw_kint(w, "year", year);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "rank", v[i].rank);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "name", v[i].name);
		jw_kdouble(w, "total", v[i].total10 / 10.0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- shapes and routes ---- */

static const zb_prop row_props[] = {
	{"date", 'd', 0, NULL, "日期"},
	{"key", 's', 0, NULL, "积分项代码（base 为基础分）"},
	{"rule", 's', 0, NULL, "积分项名称（基础分也是一项，计入总分）"},
	{"points", 'n', 0, NULL, "计入的分值（超出上限为 0 或剩余部分；待审核为 0）"},
	{"reason", 's', 0, NULL, "事由"},
	{"source", 's', 0, NULL,
	 "出处：meeting:会议、payment:党费、session/course/applicant:学习、designation:岗位、aid_visit:走访、"
	 "duty_report:述职、compliance:支部:期间、rating:评星、manual:人工认定、scheme:积分方案"},
	{"period", 's', 0, NULL, "计上限的期间（2026-03、2026Q1、2026）"},
	{"status", 's', 0, NULL, "counted 已计分、capped 超出上限、pending 待审核"},
	{"status_name", 's', 0, NULL, "状态的中文"},
	{0},
};
static const zb_shape row_shape = {"PointsItem", row_props, 0, 0, "积分台账的一行"};
static const zb_prop mitem_props[] = {
	{"key", 's', 0, NULL, "积分项代码"},
	{"name", 's', 0, NULL, "积分项名称"},
	{"points", 'n', 0, NULL, "分值（负数为扣分）"},
	{0},
};
static const zb_shape mitem_shape = {"PointsManualKind", mitem_props, 0, 0, "积分方案中人工认定的积分项"};
static const zb_prop ledger_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"year", 'i', 0, NULL, "年度"},
	{"scheme", 's', 0, NULL, "member 党员积分、secretary 书记积分"},
	{"scheme_name", 's', 0, NULL, "积分方案"},
	{"total", 'n', 0, NULL, "总分：各行之和（含基础分，不含待审核）"},
	{"pending", 'i', 0, NULL, "待审核的人工认定项"},
	{"items", 'a', 0, &row_shape, "台账（按日期）"},
	{"manual_items", 'a', 0, &mitem_shape, "现行积分方案中可申报、由支部委员会审核的积分项"},
	{0},
};
static const zb_shape ledger_shape = {"PointsLedger", ledger_props, 0, 0, "一名党员一年的积分台账"};
static const zb_prop manual_props[] = {
	{"id", 'i', 0, NULL, "积分项编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"member_name", 's', 0, NULL, "姓名"},
	{"scheme", 's', 0, NULL, "member 或 secretary"},
	{"scheme_name", 's', 0, NULL, "党员积分或书记积分"},
	{"item_key", 's', 0, NULL, "积分项代码"},
	{"item_name", 's', 0, NULL, "积分项名称"},
	{"points", 'n', 0, NULL, "方案规定的分值"},
	{"date", 'd', 0, NULL, "事项日期"},
	{"reason", 's', 0, NULL, "事由"},
	{"status", 's', 0, NULL, "pending 待审核、approved 已认定、rejected 未认定"},
	{"status_name", 's', 0, NULL, "状态的中文"},
	{"proposed_by", 's', 0, NULL, "提出人（账号）"},
	{"decided_by", 's', ZB_NULL, NULL, "审核人（账号）"},
	{"decision_note", 's', ZB_NULL, NULL, "审核意见"},
	{0},
};
static const zb_shape manual_shape = {"PointsManualItem", manual_props, 0, 0, "人工认定的积分项"};
ZB_LIST_COUNTED(manual_list, "PointsManualList", &manual_shape);
static const zb_prop made_props[] = {
	{"id", 'i', 0, NULL, "积分项编号"},
	{"status", 's', 0, NULL, "pending：待支部委员会审核"},
	{0},
};
static const zb_shape made_shape = {"PointsProposed", made_props, 0, 0, "已提出、待审核的积分项"};
static const zb_prop rank_props[] = {
	{"rank", 'i', 0, NULL, "名次（同分同名次）"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"total", 'n', 0, NULL, "总分"},
	{0},
};
static const zb_shape rank_shape = {NULL, rank_props, 0, 0, NULL};
static const zb_prop ranking_props[] = {
	{"org_id", 'i', 0, NULL, "党支部"},
	{"year", 'i', 0, NULL, "年度"},
	{"items", 'a', 0, &rank_shape, "本支部党员的总分，高的在前"},
	{0},
};
static const zb_shape ranking_shape = {"PointsRanking", ranking_props, 0, 0, "支部内积分排名（仅本支部可见）"};

static const zb_field propose_fields[] = {
	{"member_id", 'i', 1, 0, "党员（本支部）"},
	{"scheme", 's', 0, 16, "member 党员积分（默认）或 secretary 书记积分"},
	{"item_key", 's', 1, 32, "积分方案中人工认定的积分项"},
	{"date", 'd', 1, 10, "事项日期"},
	{"reason", 's', 1, 1000, "事由"},
	{0},
};
static const zb_field my_propose_fields[] = {
	{"item_key", 's', 1, 32, "积分方案中人工认定的积分项"},
	{"date", 'd', 1, 10, "事项日期"},
	{"reason", 's', 1, 1000, "事由"},
	{0},
};
static const zb_field decide_fields[] = {
	{"note", 's', 0, 1000, "审核意见（不予认定时必填）"},
	{0},
};

const zb_route zb_routes_points[] = {
	{.method = "GET", .pattern = "/api/v1/members/{id}/points", .fn = h_member_points,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&ledger_shape), .tag = "points",
	 .summary = "党员一年的积分台账（scheme=secretary：书记积分）", .query_doc = "year:integer,scheme:string"},
	{.method = "GET", .pattern = "/api/v1/me/points", .fn = h_my_points,
	 .perm = P_SELF_READ, .resp = ZB_OK(&ledger_shape), .tag = "points",
	 .summary = "我的积分", .query_doc = "year:integer,scheme:string"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/points-items", .fn = h_manual_list,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&manual_list), .tag = "points",
	 .summary = "本支部人工认定的积分项（待审核的在前）", .query_doc = "status:string"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/points-items", .fn = h_propose,
	 .perm = P_MEMBER_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = propose_fields, .resp = ZB_CREATED(&made_shape), .tag = "points",
	 .summary = "支部提出人工认定的积分项（待支部委员会审核）"},
	{.method = "POST", .pattern = "/api/v1/me/points-items", .fn = h_my_propose,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = my_propose_fields,
	 .resp = ZB_CREATED(&made_shape), .tag = "points", .summary = "党员为自己申报积分项（待支部委员会审核）"},
	{.method = "POST", .pattern = "/api/v1/points-items/{id}/approve", .fn = h_approve,
	 .perm = P_MEMBER_WRITE, .scope = S_POINTS_ITEM, .flags = R_WRITE | R_JSON, .max_body = 2048,
	 .fields = decide_fields, .resp = ZB_OK(&zb_shape_ok), .tag = "points",
	 .summary = "认定积分项（支部委员会成员，非提出人、非本人）"},
	{.method = "POST", .pattern = "/api/v1/points-items/{id}/reject", .fn = h_reject,
	 .perm = P_MEMBER_WRITE, .scope = S_POINTS_ITEM, .flags = R_WRITE | R_JSON, .max_body = 2048,
	 .fields = decide_fields, .resp = ZB_OK(&zb_shape_ok), .tag = "points",
	 .summary = "不予认定积分项（写明理由）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/points-ranking", .fn = h_ranking,
	 .perm = P_SELF_READ | P_MEMBER_READ, .flags = R_ANY, .resp = ZB_OK(&ranking_shape), .tag = "points",
	 .summary = "支部内积分排名（默认关闭；开启后只对本支部党员和支部委员会可见）", .query_doc = "year:integer"},
	{0},
};
