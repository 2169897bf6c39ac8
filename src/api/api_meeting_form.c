/* api_meeting_form.c - the context of the form for recording a meeting:
 * the types the org may record, its 党小组, the 应到 list, defaults and
 * the rule's unit (meeting/form.h). */
#include "api/api.h"
#include "meeting/form.h"
#include "meeting/mdate.h"
#include "member/member.h"

#include <stdio.h>
#include <string.h>

static int h_form(zb_req *r, zb_err *e)
{
	int64_t now = zb_now(r->app);
	const char *tq = zb_req_query(r, "type");
	int type = tq && *tq ? zb_mtype_from(tq) : -1;
	if (tq && *tq && type < 0)
		return zb_fail(e, ZB_EINVAL, "type", "会议类型无效：应为 %s 或中文名称", zb_mtype_codes());
	char date[11];
	const char *dq = zb_req_query(r, "date");
	if (dq && *dq) {
		if (!zb_date_valid(dq))
			return zb_fail(e, ZB_EINVAL, "date", "日期应为 YYYY-MM-DD");
		snprintf(date, sizeof date, "%s", dq);
	} else {
		zb_md_of_time(now, date);
	}
	int64_t group_q = 0;
	int rc = zb_req_query_int(r, "group", 0, 0, INT64_MAX, &group_q, e);
	if (rc)
		return rc;
	zb_meeting_form f;
	if ((rc = zb_meeting_form_get(r->db, r->target_id, date, type, group_q, &r->arena, &f, e)))
		return rc;
	type = f.type;
	const zb_meeting *m = &f.m;
	/* default start: now (rounded down to the half hour) for today, else 09:00 */
	char today[11];
	zb_md_of_time(now, today);
	int64_t start = !strcmp(today, date) ? now - now % 1800 : zb_md_time_of(date) + 9 * 3600;
	int64_t dur = f.prev_id && f.prev_end > f.prev_start && f.prev_end - f.prev_start <= 4 * 3600 ? f.prev_end - f.prev_start
	                                                                                            : 3600;

	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "org_name", f.org_name);
	jw_kstr(w, "date", date);
	jw_kstr(w, "type", zb_mtype_code(type));
	jw_kstr(w, "type_name", zb_mtype_name(type));
	jw_karr(w, "types");
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		const char *why = NULL;
		if (f.at_group && t != ZB_MT_GROUP && t != ZB_MT_OTHER)
			why = "党小组只记录党小组会";
		else if (t == ZB_MT_GROUP && !f.ngroups)
			why = "本支部没有党小组";
		else if (t == ZB_MT_COMMITTEE && !f.committee)
			why = "本支部没有在任的支部委员";
		jw_obj(w);
		jw_kstr(w, "type", zb_mtype_code(t));
		jw_kstr(w, "name", zb_mtype_name(t));
		jw_kbool(w, "allowed", why == NULL);
		jw_kstr(w, "reason", why);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "groups");
	for (int i = 0; i < f.ngroups; i++) {
		jw_obj(w);
		jw_kint(w, "id", f.groups[i].id);
		jw_kstr(w, "name", f.groups[i].name);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (f.group_id)
		jw_kint(w, "group_id", f.group_id);
	else
		jw_knull(w, "group_id");
	jw_kbool(w, "need_group", f.need_group);
	jw_kint(w, "meeting_org_id", m->org_id);
	jw_kstr(w, "meeting_org_name", m->org_name);
	jw_karr(w, "expected");
	for (int i = 0; i < f.nrows; i++) {
		jw_obj(w);
		jw_kint(w, "member_id", f.rows[i].member_id);
		jw_kstr(w, "name", f.rows[i].name);
		jw_kstr(w, "status", f.rows[i].status);
		jw_kstr(w, "status_name", zb_status_name(f.rows[i].status));
		jw_kstr(w, "category", f.rows[i].category);
		jw_kstr(w, "category_name", zb_category_name(f.rows[i].category));
		jw_kbool(w, "has_vote", f.rows[i].has_vote);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kobj(w, "defaults");
	jw_kstr(w, "host", type == ZB_MT_GROUP && f.prev_host ? f.prev_host : f.secretary ? f.secretary : f.prev_host);
	jw_kstr(w, "recorder", f.last_recorder);
	jw_kstr(w, "place", f.last_place);
	jw_kint(w, "start_at", start);
	jw_kint(w, "end_at", start + dur);
	jw_kstr(w, "attendance", "present");
	jw_obj_end(w);
	if (f.prev_id) {
		jw_kobj(w, "previous");
		jw_kint(w, "id", f.prev_id);
		jw_kstr(w, "title", f.prev_title);
		jw_kstr(w, "held_on", f.prev_on);
		jw_kstr(w, "agenda", f.prev_agenda);
		jw_kstr(w, "topic", f.prev_topic);
		jw_obj_end(w);
	} else {
		jw_knull(w, "previous");
	}
	jw_kobj(w, "unit");
	jw_kint(w, "every_months", f.unit.every_months);
	jw_kint(w, "min", f.unit.min);
	if (f.unit.every_months > 0) {
		char a[8], b[8];
		zb_ym_text(f.from_ym, a);
		zb_ym_text(f.to_ym, b);
		jw_kstr(w, "from", a);
		jw_kstr(w, "to", b);
	} else {
		jw_knull(w, "from");
		jw_knull(w, "to");
	}
	jw_kint(w, "held", f.held);
	jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- response shapes ---- */

/* the meeting form */
static const zb_prop form_type_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"name", 's', 0, NULL, "会议类型名称"},
	{"allowed", 'b', 0, NULL, "本组织可以记录"},
	{"reason", 's', ZB_NULL, NULL, "不能记录的原因"},
	{0},
};
static const zb_shape form_type = {NULL, form_type_props, 0, 0, NULL};
static const zb_prop form_group_props[] = {
	{"id", 'i', 0, NULL, "党小组组织编号"},
	{"name", 's', 0, NULL, "党小组名称"},
	{0},
};
static const zb_shape form_group = {NULL, form_group_props, 0, 0, NULL};
static const zb_prop form_person_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"status", 's', 0, NULL, "党员状态代码（normal、mobile、lost、abroad …）"},
	{"status_name", 's', ZB_NULL, NULL, "党员状态（正常、流动 …）"},
	{"category", 's', 0, NULL, "full 或 probationary"},
	{"category_name", 's', ZB_NULL, NULL, "正式党员或预备党员"},
	{"has_vote", 'b', 0, NULL, "会议当日有表决权"},
	{0},
};
static const zb_shape form_person = {"ExpectedPerson", form_person_props, 0, 0, "应到人员"};
static const zb_prop form_defaults_props[] = {
	{"host", 's', ZB_NULL, NULL, "主持人（书记）"},
	{"recorder", 's', ZB_NULL, NULL, "记录人（上次的记录人）"},
	{"place", 's', ZB_NULL, NULL, "地点（上次的地点）"},
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"},
	{"end_at", 'i', 0, NULL, "结束时间（Unix 秒）"},
	{"attendance", 's', 0, NULL, "出席情况的默认值：present"},
	{0},
};
static const zb_shape form_defaults = {NULL, form_defaults_props, 0, 0, NULL};
static const zb_prop form_prev_props[] = {
	{"id", 'i', 0, NULL, "上次同类会议"},
	{"title", 's', 0, NULL, "会议名称"},
	{"held_on", 'd', 0, NULL, "召开日期"},
	{"agenda", 's', ZB_NULL, NULL, "议程"},
	{"topic", 's', ZB_NULL, NULL, "议题"},
	{0},
};
static const zb_shape form_prev = {NULL, form_prev_props, 0, 0, NULL};
static const zb_prop form_unit_props[] = {
	{"every_months", 'i', 0, NULL, "每几个月一次（0：不要求）"},
	{"min", 'i', 0, NULL, "每个周期至少次数"},
	{"from", 's', ZB_NULL, NULL, "周期起始月 YYYY-MM"},
	{"to", 's', ZB_NULL, NULL, "周期结束月 YYYY-MM"},
	{"held", 'i', 0, NULL, "本周期已记录次数"},
	{0},
};
static const zb_shape form_unit = {NULL, form_unit_props, 0, 0, NULL};
static const zb_prop meeting_form_props[] = {
	{"org_id", 'i', 0, NULL, "所选组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"date", 'd', 0, NULL, "会议日期"},
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型名称"},
	{"types", 'a', 0, &form_type, "各类型能否在本组织记录"},
	{"groups", 'a', 0, &form_group, "本支部的党小组"},
	{"group_id", 'i', ZB_NULL, NULL, "党小组会所选的党小组"},
	{"need_group", 'b', 0, NULL, "须先选择党小组"},
	{"meeting_org_id", 'i', 0, NULL, "会议记录所属的组织（党小组会为党小组），保存时的 org_id"},
	{"meeting_org_name", 's', ZB_NULL, NULL, "会议记录所属组织名称"},
	{"expected", 'a', 0, &form_person, "应到名单：保存时使用的同一名单"},
	{"defaults", 'o', 0, &form_defaults, "默认值"},
	{"previous", 'o', ZB_NULL, &form_prev, "上次同类会议（没有为 null）"},
	{"unit", 'o', 0, &form_unit, "规则的周期和已记录次数"},
	{0},
};
static const zb_shape meeting_form = {"MeetingForm", meeting_form_props, 0, 0, "记录会议的表单"};

const zb_route zb_routes_meeting_form[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/meeting-form", .fn = h_form,
	 .perm = P_MEETING_WRITE, .scope = S_ORG, .resp = ZB_OK(&meeting_form),
	 .tag = "meetings", .summary = "记录会议的表单：可记录的会议类型、党小组、应到名单（含党员状态）、默认值、上次议程",
	 .query_doc = "type:string,date:string,group:integer"},
	{0},
};
