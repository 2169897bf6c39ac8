/* api_appraisal.c - 民主评议党员: a branch's appraisal of a year, its
 * items and the 定档, and a member's appraisals (meeting/appraisal.h). */
#include "api/api.h"
#include "meeting/appraisal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int appraisal_year(zb_req *r, int *year, zb_err *e)
{
	const char *s = r->nparams > 1 ? r->params[1] : NULL;
	char today[11];
	zb_today(r->app, today);
	int cur = atoi(today);
	if (!s || strlen(s) != 4 || strspn(s, "0123456789") != 4 || atoi(s) < 2000 || atoi(s) > cur)
		return zb_fail(e, ZB_EINVAL, "year", "年份无效：应为 2000 到 %d 之间的四位数字", cur);
	*year = atoi(s);
	return 0;
}

/* The branch's appraisal of the year in the path, or 404. */
static int appraisal_existing(zb_req *r, int *year, int64_t *id, zb_err *e)
{
	int rc = appraisal_year(r, year, e);
	if (!rc)
		rc = zb_appraisal_find(r->db, r->target_id, *year, id, e);
	if (!rc && !*id)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "该支部 %d 年还没有民主评议党员记录", *year);
	return rc;
}

static int h_appraisal_get(zb_req *r, zb_err *e)
{
	int year;
	int64_t id;
	int rc = appraisal_existing(r, &year, &id, e);
	if (rc)
		return rc;
	rc = zb_appraisal_write(r->db, id, &r->jw, e);
	if (!rc)
		zb_req_audit_read(r, "appraisal.read", "appraisal", id, r->target_path, NULL);
	return rc;
}

static const zb_field votes_fields[] = {
	{"excellent", 'i', 0, 0, "优秀票"},
	{"qualified", 'i', 0, 0, "合格票"},
	{"basically_qualified", 'i', 0, 0, "基本合格票"},
	{"unqualified", 'i', 0, 0, "不合格票"},
	{0},
};

static const zb_field appraisal_item_fields[] = {
	{"member_id", 'i', 1, 0, "党员编号"},
	{"self_assessment", 's', 0, 4000, "自评"},
	{"votes", 'o', 0, 0, "测评票 {excellent, qualified, basically_qualified, unqualified}"},
	{"grade", 's', 0, 32, "评定等次（不填则按测评票）：excellent/qualified/basically_qualified/unqualified"},
	{"grade_note", 's', 0, 300, "等次与测评票不同时的依据"},
	{"name", 's', 0, 100, "姓名（忽略）"},
	{0},
};

static int h_appraisal_put(zb_req *r, zb_err *e)
{
	int year;
	int rc = appraisal_year(r, &year, e);
	if (!rc)
		rc = zb_appraisal_branch_only(r->db, r->target_id, &r->arena, e);
	if (rc)
		return rc;
	json_t *arr;
	size_t n;
	if ((rc = zb_api_items(r, "items", 2000, "一次最多 2000 人", appraisal_item_fields, &arr, &n, e)))
		return rc;
	zb_appraisal_item *items = zb_arena_alloc(&r->arena, sizeof *items * (n ? n : 1));
	char f[64];
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		zb_appraisal_item *x = &items[i];
		x->member_id = json_integer_value(json_object_get(it, "member_id"));
		x->self_assessment = json_string_value(json_object_get(it, "self_assessment"));
		json_t *v = json_object_get(it, "votes");
		if (json_is_object(v)) {
			if (zb_json_check(v, votes_fields, e)) {
				zb_api_field_in(e, "items", i, "votes");
				return e->code;
			}
			x->has_votes = 1;
			for (int g = 0; g < ZB_G_COUNT; g++)
				x->votes[g] = json_integer_value(json_object_get(v, zb_grade_code(g)));
		}
		const char *g = json_string_value(json_object_get(it, "grade"));
		x->grade = g ? zb_grade_from(g) : ZB_G_NONE;
		if (g && x->grade == ZB_G_NONE) {
			snprintf(f, sizeof f, "items[%zu].grade", i);
			return zb_fail(e, ZB_EINVAL, f, "等次应为 excellent（优秀）、qualified（合格）、basically_qualified（基本合格）或 unqualified（不合格）");
		}
		x->grade_note = json_string_value(json_object_get(it, "grade_note"));
	}
	int64_t meeting_id = 0, id = 0;
	zb_body_int(r, "meeting_id", &meeting_id);
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_appraisal_save(r->db, r->app, &by, r->target_id, r->target_path, year, today, meeting_id, items, (int)n,
	                            zb_now(r->app), &r->arena, &id, e)))
		return rc;
	return zb_appraisal_write(r->db, id, &r->jw, e);
}

static int h_appraisal_finalize(zb_req *r, zb_err *e)
{
	int year;
	int64_t id;
	int rc = appraisal_existing(r, &year, &id, e);
	if (rc)
		return rc;
	char date[11], today[11];
	zb_today(r->app, today);
	snprintf(date, sizeof date, "%04u-12-31", (unsigned)year % 10000u);
	zb_mrules rules;
	if ((rc = zb_mrules_get(r->db, r->target_path, strcmp(date, today) < 0 ? date : today, &rules, e)))
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_appraisal_close(r->db, r->app, &by, id, r->target_path, year, &rules, zb_now(r->app), &r->arena, e)))
		return rc;
	return zb_appraisal_write(r->db, id, &r->jw, e);
}

static int h_member_appraisals(zb_req *r, zb_err *e)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", r->target_id);
	jw_key(w, "items");
	int rc = zb_appraisal_member_json(r->db, r->target_id, w, e);
	if (rc)
		return rc;
	jw_obj_end(w);
	zb_req_audit_read(r, "member.appraisals", "member", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- request bodies ---- */

static const zb_field appraisal_fields[] = {
	{"meeting_id", 'i', 0, 0, "民主评议党员会议"},
	{"items", 'a', 0, 0, "[{member_id, self_assessment, votes:{…}, grade, grade_note}]"},
	{0},
};

/* ---- response shapes ---- */

/* meeting/appraisal.c */
static const zb_prop grade_votes_props[] = {
	{"excellent", 'i', 0, NULL, "优秀"},
	{"qualified", 'i', 0, NULL, "合格"},
	{"basically_qualified", 'i', 0, NULL, "基本合格"},
	{"unqualified", 'i', 0, NULL, "不合格"},
	{0},
};
static const zb_shape grade_votes = {NULL, grade_votes_props, 0, 0, NULL};
static const zb_prop appraisee_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"category", 's', 0, NULL, "类别"},
	{"self_assessment", 's', ZB_NULL, NULL, "自评"},
	{"votes", 'o', 0, &grade_votes, "测评票"},
	{"grade_by_votes", 's', ZB_NULL, NULL, "按测评票的等次"},
	{"grade", 's', ZB_NULL, NULL, "评定等次代码"},
	{"grade_name", 's', ZB_NULL, NULL, "评定等次名称"},
	{"grade_note", 's', ZB_NULL, NULL, "等次说明"},
	{0},
};
static const zb_shape appraisee = {NULL, appraisee_props, 0, 0, NULL};
static const zb_prop appraisal_props[] = {
	{"id", 'i', 0, NULL, "评议编号"},
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "支部名称"},
	{"year", 'i', 0, NULL, "年度"},
	{"meeting_id", 'i', ZB_NULL, NULL, "评议会议"},
	{"status", 's', 0, NULL, "open 或 final"},
	{"excellent_cap", 'n', ZB_NULL, NULL, "优秀比例上限（定档后）"},
	{"finalized_at", 'i', ZB_NULL, NULL, "定档时间（Unix 秒）"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"},
	{"items", 'a', 0, &appraisee, "各党员"},
	{"total", 'i', 0, NULL, "人数"},
	{"grade_counts", 'o', 0, &grade_votes, "各等次人数"},
	{0},
};
static const zb_shape appraisal = {"Appraisal", appraisal_props, 0, 0, "民主评议党员"};
static const zb_prop my_appraisal_props[] = {
	{"appraisal_id", 'i', 0, NULL, "评议编号"},
	{"year", 'i', 0, NULL, "年度"},
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "支部名称"},
	{"status", 's', 0, NULL, "open 或 final"},
	{"grade", 's', ZB_NULL, NULL, "等次代码"},
	{"grade_name", 's', ZB_NULL, NULL, "等次名称"},
	{"grade_note", 's', ZB_NULL, NULL, "等次说明"},
	{"self_assessment", 's', ZB_NULL, NULL, "自评"},
	{"votes", 'o', 0, &grade_votes, "测评票"},
	{"meeting_id", 'i', ZB_NULL, NULL, "评议会议"},
	{0},
};
static const zb_shape my_appraisal = {NULL, my_appraisal_props, 0, 0, NULL};
static const zb_prop member_appraisals_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"items", 'a', 0, &my_appraisal, "历年评议"},
	{0},
};
static const zb_shape member_appraisals = {"MemberAppraisals", member_appraisals_props, 0, 0, "党员历年民主评议结果"};

const zb_route zb_routes_appraisals[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/appraisals/{year}", .fn = h_appraisal_get,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&appraisal),
	 .tag = "meetings", .summary = "民主评议党员"},
	{.method = "PUT", .pattern = "/api/v1/orgs/{id}/appraisals/{year}", .fn = h_appraisal_put,
	 .perm = P_MEETING_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 1u << 20, .fields = appraisal_fields, .resp = ZB_OK(&appraisal),
	 .tag = "meetings", .summary = "登记民主评议（自评、测评票、等次）"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/appraisals/{year}/finalize", .fn = h_appraisal_finalize,
	 .perm = P_MEETING_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = zb_api_no_fields, .resp = ZB_OK(&appraisal),
	 .tag = "meetings", .summary = "民主评议定档（按优秀比例上限）"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/appraisals", .fn = h_member_appraisals,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&member_appraisals),
	 .tag = "meetings", .summary = "党员历年民主评议结果"},
	{0},
};
