/* api_probation.c - the 预备期: one member's, its one extension, and the
 * 预备党员 past it without a decision (member/extension.h,
 * member/probation.h). */
#include "api/api.h"
#include "member/extension.h"

static int h_probation_get(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_probation_view v;
	int rc = zb_probation_view_get(r->db, r->target_id, today, &r->arena, &v, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", r->target_id);
	jw_kstr(w, "name", v.name);
	jw_kstr(w, "category", v.category);
	jw_kstr(w, "join_date", v.join_date);
	jw_kstr(w, "full_date", v.full_date);
	if (v.has_rules) {
		jw_kint(w, "months", v.rules.months);
		jw_kint(w, "extend_min_months", v.rules.ext_min);
		jw_kint(w, "extend_max_months", v.rules.ext_max);
		if (v.rules.months)
			jw_kstr(w, "ends_on", v.ends_on);
		else
			jw_knull(w, "ends_on");
	}
	if (v.ext_months) {
		jw_kobj(w, "extension");
		jw_kint(w, "months", v.ext_months);
		jw_kstr(w, "decided_on", v.ext_on);
		jw_kstr(w, "reason", v.ext_reason);
		jw_obj_end(w);
	} else {
		jw_knull(w, "extension");
	}
	jw_kbool(w, "overdue", v.overdue);
	jw_obj_end(w);
	zb_req_audit_read(r, "member.probation", "member", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_probation_extend(zb_req *r, zb_err *e)
{
	int64_t months = 0;
	zb_body_int(r, "months", &months);
	const char *on = zb_body_str(r, "decided_on"), *reason = zb_body_str(r, "reason");
	if (months < 0 || months > 100)
		return zb_fail(e, ZB_EINVAL, "months", "延长预备期的月数无效");
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_probation_extension_add(r->db, r->app, &by, r->target_id, r->target_path, (int)months, on, reason,
	                                    today, zb_now(r->app), e);
	if (rc)
		return rc;
	r->status = 201;
	return h_probation_get(r, e);
}

static int h_probation_due(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_req_query_int(r, "limit", 200, 1, 1000, &limit, e))
		return e->code;
	char today[11];
	zb_today(r->app, today);
	zb_probation_due *v;
	int n;
	int rc = zb_probation_overdue(r->db, r->target_path, today, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "as_of", today);
	jw_kint(w, "total", n);
	jw_karr(w, "items");
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(w);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "name", v[i].name);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kstr(w, "status", v[i].status);
		jw_kstr(w, "join_date", v[i].join_date);
		jw_kint(w, "months", v[i].months);
		jw_kint(w, "extension_months", v[i].ext_months);
		jw_kstr(w, "ends_on", v[i].ends_on);
		jw_kint(w, "days_overdue", v[i].days_overdue);
		jw_kstr(w, "message", zb_arena_printf(&r->arena, "预备期已于 %s 期满，已超过 %d 天，支部应及时讨论其能否转为正式党员",
		                                      v[i].ends_on, v[i].days_overdue));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "member.probation_due", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- request bodies ---- */

static const zb_field extend_fields[] = {
	{"months", 'i', 1, 0, "延长的月数（不少于 6，不超过 12）"},
	{"decided_on", 'd', 1, 10, "支部大会决定延长的日期"},
	{"reason", 's', 1, 500, "延长原因"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop extension_props[] = {
	{"months", 'i', 0, NULL, "延长月数"},
	{"decided_on", 'd', ZB_NULL, NULL, "决定日期"},
	{"reason", 's', ZB_NULL, NULL, "原因"},
	{0},
};
static const zb_shape extension = {NULL, extension_props, 0, 0, NULL};
static const zb_prop probation_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"category", 's', ZB_NULL, NULL, "类别"},
	{"join_date", 'd', ZB_NULL, NULL, "入党日期"},
	{"full_date", 'd', ZB_NULL, NULL, "转正日期"},
	{"months", 'i', ZB_OPT, NULL, "预备期月数（入党日期有效时）"},
	{"extend_min_months", 'i', ZB_OPT, NULL, "延长的最少月数"},
	{"extend_max_months", 'i', ZB_OPT, NULL, "延长的最多月数"},
	{"ends_on", 'd', ZB_OPT | ZB_NULL, NULL, "预备期满日期"},
	{"extension", 'o', ZB_NULL, &extension, "延长情况（未延长为 null）"},
	{"overdue", 'b', 0, NULL, "预备期已满仍是预备党员"},
	{0},
};
static const zb_shape probation = {"Probation", probation_props, 0, 0, "预备期"};
static const zb_prop probation_due_item_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"status", 's', 0, NULL, "党籍状态代码"},
	{"join_date", 'd', 0, NULL, "入党日期"},
	{"months", 'i', 0, NULL, "预备期月数"},
	{"extension_months", 'i', 0, NULL, "延长月数"},
	{"ends_on", 'd', 0, NULL, "预备期满日期"},
	{"days_overdue", 'i', 0, NULL, "已超过天数"},
	{"message", 's', 0, NULL, "提醒"},
	{0},
};
static const zb_shape probation_due_item = {NULL, probation_due_item_props, 0, 0, NULL};
static const zb_prop probation_due_props[] = {
	{"as_of", 'd', 0, NULL, "今天"},
	{"total", 'i', 0, NULL, "人数"},
	{"items", 'a', 0, &probation_due_item, "预备党员"},
	{0},
};
static const zb_shape probation_due = {"ProbationDue", probation_due_props, 0, 0, "预备期已满仍未讨论转正的预备党员"};

const zb_route zb_routes_probation[] = {
	{.method = "GET", .pattern = "/api/v1/members/{id}/probation", .fn = h_probation_get,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&probation),
	 .tag = "members", .summary = "预备期：期满日期、延长情况"},
	{.method = "POST", .pattern = "/api/v1/members/{id}/probation-extension", .fn = h_probation_extend,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = extend_fields, .resp = ZB_CREATED(&probation),
	 .tag = "members", .summary = "登记延长预备期（只能一次）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/probation-due", .fn = h_probation_due,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&probation_due),
	 .tag = "members", .summary = "预备期已满仍未讨论转正的预备党员",
	 .query_doc = "limit:integer"},
	{0},
};
