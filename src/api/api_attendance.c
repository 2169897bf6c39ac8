/* api_attendance.c - who took part: one member's meetings in a period,
 * a subtree's members with their counts, the caller's own meetings
 * (meeting/attendance.h). */
#include "api/api.h"
#include "meeting/attendance.h"
#include "meeting/compliance.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"

#include <stdio.h>

/* The members of a meeting the member was expected at. */
static void write_attended(zb_jw *w, const zb_attended *x)
{
	jw_kint(w, "meeting_id", x->meeting_id);
	jw_kstr(w, "type", zb_mtype_code(x->type));
	jw_kstr(w, "type_name", zb_mtype_name(x->type));
	jw_kstr(w, "title", x->title);
	jw_kint(w, "start_at", x->start_at);
	jw_kstr(w, "org_name", x->org_name);
	jw_kstr(w, "status", x->status);
	jw_kstr(w, "status_name", zb_att_status_name(x->status));
	jw_kstr(w, "reason", x->reason);
	jw_kstr(w, "source", x->source);
}

static int period_or_year(zb_req *r, zb_period *p, zb_err *e)
{
	const char *ps = zb_req_query(r, "period");
	char year[8];
	if (!ps || !*ps) {
		char today[11];
		zb_today(r->app, today);
		snprintf(year, sizeof year, "%.4s", today);
		ps = year;
	}
	return zb_period_parse(ps, p, e);
}

static int h_member_attendance(zb_req *r, zb_err *e)
{
	zb_period p;
	int rc = period_or_year(r, &p, e);
	if (rc)
		return rc;
	int64_t now = zb_now(r->app);
	zb_mattend a;
	if ((rc = zb_member_attendance(r->db, r->target_id, p.from_ym, p.to_ym, now, &a, e)))
		return rc;
	zb_attended *v;
	int n;
	if ((rc = zb_attended_list(r->db, r->target_id, p.from_ym, p.to_ym, now, &r->arena, &v, &n, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", r->target_id);
	jw_kstr(w, "period", p.label);
	jw_kint(w, "expected", a.expected);
	jw_kint(w, "present", a.present);
	jw_kint(w, "leave", a.leave);
	jw_kint(w, "absent", a.absent);
	jw_kdouble(w, "rate", zb_api_share(a.present, a.expected));
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		write_attended(w, &v[i]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "member.attendance", "member", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_org_attendance(zb_req *r, zb_err *e)
{
	zb_period p;
	int64_t limit, after;
	int rc = period_or_year(r, &p, e);
	if (rc)
		return rc;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	int64_t now = zb_now(r->app);
	zb_member_att *v;
	int n;
	if ((rc = zb_member_att_list(r->db, r->target_path, p.from_ym, p.to_ym, now, after, limit, &r->arena, &v, &n, e)))
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++) {
		int64_t pr = v[i].present, lv = v[i].leave, ab = v[i].absent;
		jw_obj(&r->jw);
		jw_kint(&r->jw, "member_id", v[i].member_id);
		jw_kstr(&r->jw, "name", v[i].name);
		jw_kint(&r->jw, "org_id", v[i].org_id);
		jw_kstr(&r->jw, "org_name", v[i].org_name);
		jw_kstr(&r->jw, "category", v[i].category);
		jw_kstr(&r->jw, "status", v[i].status);
		jw_kint(&r->jw, "expected", pr + lv + ab);
		jw_kint(&r->jw, "present", pr);
		jw_kint(&r->jw, "leave", lv);
		jw_kint(&r->jw, "absent", ab);
		jw_kdouble(&r->jw, "rate", zb_api_share((int)pr, (int)(pr + lv + ab)));
		jw_obj_end(&r->jw);
	}
	int64_t last = n ? v[(n < limit ? n : limit) - 1].member_id : 0;
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)last) : NULL);
	zb_req_audit_read(r, "meeting.attendance_list", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"period\":\"%s\"}", p.label));
	return 0;
}

static int h_me_meetings(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员信息");
	zb_attended *v;
	int n;
	int rc = zb_attended_mine(r->db, r->who->member_id, limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", v[i].meeting_id);
		write_attended(&r->jw, &v[i]);
		if (v[i].signed_in)
			jw_kint(&r->jw, "signed_in_at", v[i].signed_at);
		else
			jw_knull(&r->jw, "signed_in_at");
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

/* ---- response shapes ---- */

static const zb_prop org_att_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"category", 's', 0, NULL, "类别"},
	{"status", 's', 0, NULL, "党籍状态代码"},
	{"expected", 'i', 0, NULL, "应参加"},
	{"present", 'i', 0, NULL, "出席"},
	{"leave", 'i', 0, NULL, "请假"},
	{"absent", 'i', 0, NULL, "缺席"},
	{"rate", 'n', 0, NULL, "出席率（0 到 1）"},
	{0},
};
static const zb_shape org_att = {"MemberAttendanceRow", org_att_props, 0, 0, "党员参加组织生活情况"};
ZB_LIST_PAGED(org_att_list, "MemberAttendanceList", &org_att);
static const zb_prop member_att_item_props[] = {
	{"meeting_id", 'i', 0, NULL, "会议编号"},
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型名称"},
	{"title", 's', ZB_NULL, NULL, "标题"},
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"status", 's', 0, NULL, "present、leave 或 absent"},
	{"status_name", 's', ZB_NULL, NULL, "出席、请假、缺席"},
	{"reason", 's', ZB_NULL, NULL, "请假或缺席原因"},
	{"source", 's', ZB_NULL, NULL, "登记方式"},
	{0},
};
static const zb_shape member_att_item = {NULL, member_att_item_props, 0, 0, NULL};
static const zb_prop member_att_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"period", 's', 0, NULL, "统计周期"},
	{"expected", 'i', 0, NULL, "应参加"},
	{"present", 'i', 0, NULL, "出席"},
	{"leave", 'i', 0, NULL, "请假"},
	{"absent", 'i', 0, NULL, "缺席"},
	{"rate", 'n', 0, NULL, "出席率（0 到 1）"},
	{"items", 'a', 0, &member_att_item, "各次会议"},
	{0},
};
static const zb_shape member_att = {"MemberAttendance", member_att_props, 0, 0, "一名党员参加组织生活情况"};
static const zb_prop my_meeting_props[] = {
	{"id", 'i', 0, NULL, "会议编号"},
	{"meeting_id", 'i', 0, NULL, "同 id"},
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型名称"},
	{"title", 's', ZB_NULL, NULL, "标题"},
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"status", 's', 0, NULL, "present、leave 或 absent"},
	{"status_name", 's', ZB_NULL, NULL, "出席、请假、缺席"},
	{"reason", 's', ZB_NULL, NULL, "请假或缺席原因"},
	{"source", 's', ZB_NULL, NULL, "登记方式"},
	{"signed_in_at", 'i', ZB_NULL, NULL, "扫码签到时间（Unix 秒）"},
	{0},
};
static const zb_shape my_meeting = {"MyMeeting", my_meeting_props, 0, 0, "我参加的会议"};
ZB_LIST_COUNTED(my_meeting_list, "MyMeetingList", &my_meeting);

const zb_route zb_routes_attendance[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/attendance", .fn = h_org_attendance,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&org_att_list),
	 .tag = "meetings", .summary = "党员参加组织生活情况（应参加、出席、请假、缺席）",
	 .query_doc = "period:string,after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/attendance", .fn = h_member_attendance,
	 .perm = P_MEETING_READ, .scope = S_MEMBER, .resp = ZB_OK(&member_att),
	 .tag = "meetings", .summary = "一名党员参加组织生活情况",
	 .query_doc = "period:string"},
	{.method = "GET", .pattern = "/api/v1/me/meetings", .fn = h_me_meetings,
	 .perm = P_SELF_READ, .resp = ZB_OK(&my_meeting_list),
	 .tag = "meetings", .summary = "我参加的会议",
	 .query_doc = "limit:integer"},
	{0},
};
