/* api_explain.c - 情况说明: why a member missed organisational life, and
 * a subtree's explanations (meeting/explain.h). */
#include "api/api.h"
#include "meeting/explain.h"
#include "meeting/mdate.h"

#include <string.h>

static int h_explain(zb_req *r, zb_err *e)
{
	int64_t member_id = 0;
	zb_body_int(r, "member_id", &member_id);
	const char *reason = zb_body_str(r, "reason"), *from = zb_body_str(r, "from"), *to = zb_body_str(r, "to");
	if (strcmp(from, to) > 0)
		return zb_fail(e, ZB_EINVAL, "to", "截止日期不能早于起始日期");
	int fym = zb_md_ym(from), tym = zb_md_ym(to);
	if (zb_md_ym_diff(tym, fym) >= 24)
		return zb_fail(e, ZB_EINVAL, "to", "一次说明最长 24 个月，请分段说明");
	char today[11], limit[11];
	zb_today(r->app, today);
	zb_md_add_days(today, 366, limit);
	if (strcmp(from, limit) > 0)
		return zb_fail(e, ZB_EINVAL, "from", "起始日期不能晚于一年以后");
	int64_t now = zb_now(r->app), id = 0;
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_explanation_add(r->db, r->app, &by, member_id, r->target_path, reason, from, to, now, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kint(&r->jw, "member_id", member_id);
	jw_kstr(&r->jw, "reason", reason);
	jw_kstr(&r->jw, "from", from);
	jw_kstr(&r->jw, "to", to);
	jw_kint(&r->jw, "created_at", now);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_explanations(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_explanation *v;
	int n;
	int rc = zb_explanation_list(r->db, r->target_path, after, limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", v[i].id);
		jw_kint(&r->jw, "member_id", v[i].member_id);
		jw_kstr(&r->jw, "name", v[i].name);
		jw_kint(&r->jw, "org_id", v[i].org_id);
		jw_kstr(&r->jw, "reason", v[i].reason);
		jw_kstr(&r->jw, "from", v[i].from);
		jw_kstr(&r->jw, "to", v[i].to);
		jw_kint(&r->jw, "created_at", v[i].created_at);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)v[limit - 1].id) : NULL);
	zb_req_audit_read(r, "meeting.risk_explanations", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- request bodies ---- */

static const zb_field explain_fields[] = {
	{"member_id", 'i', 1, 0, "党员编号"},
	{"reason", 's', 1, 500, "原因（如 因病请假）"},
	{"from", 'd', 1, 10, "起始日期"},
	{"to", 'd', 1, 10, "截止日期"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop explained_props[] = {
	{"id", 'i', 0, NULL, "说明编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"reason", 's', 0, NULL, "原因"},
	{"from", 'd', 0, NULL, "开始日期"},
	{"to", 'd', 0, NULL, "结束日期"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{0},
};
static const zb_shape explained = {"RiskExplanationAdded", explained_props, 0, 0, NULL};
static const zb_prop explanation_props[] = {
	{"id", 'i', 0, NULL, "说明编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"reason", 's', 0, NULL, "原因"},
	{"from", 'd', 0, NULL, "开始日期"},
	{"to", 'd', 0, NULL, "结束日期"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{0},
};
static const zb_shape explanation = {"RiskExplanation", explanation_props, 0, 0, "未参加组织生活的情况说明"};
ZB_LIST_PAGED(explanation_list, "RiskExplanationList", &explanation);

const zb_route zb_routes_explanations[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/risk-explanations", .fn = h_explanations,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&explanation_list),
	 .tag = "meetings", .summary = "未参加组织生活的情况说明",
	 .query_doc = "after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/risks/explanations", .fn = h_explain,
	 .perm = P_MEETING_WRITE, .scope = S_BODY_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = explain_fields, .resp = ZB_CREATED(&explained),
	 .tag = "meetings", .summary = "说明党员未参加组织生活的原因（如因病请假）"},
	{0},
};
