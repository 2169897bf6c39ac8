/* api_workcal.c - the working-day calendar the 公示 of a 发展对象 is
 * counted on (recruit/workcal.h): a year's holidays and 调休 days, and
 * their replacement when the State Council publishes the year's notice. */
#include "api/api.h"
#include "core/date.h"
#include "recruit/workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int write_year(zb_req *r, int year, zb_err *e)
{
	zb_workday *rows;
	int n;
	int rc = zb_workcal_list(r->db, year, &r->arena, &rows, &n, e);
	if (rc)
		return rc;
	int provisional = 0;
	for (int i = 0; i < n; i++)
		provisional |= rows[i].provisional;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kbool(w, "known", n > 0);
	jw_kbool(w, "provisional", provisional);
	jw_karr(w, "days");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "day", rows[i].day);
		jw_kstr(w, "kind", rows[i].kind == 'w' ? "work" : "off");
		jw_kstr(w, "name", rows[i].name);
		jw_kbool(w, "provisional", rows[i].provisional);
		jw_kstr(w, "source", rows[i].source);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_workcal_get(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t year;
	if (zb_req_query_int(r, "year", atoi(today), 1900, 2200, &year, e))
		return e->code;
	return write_year(r, (int)year, e);
}

static int h_workcal_put(zb_req *r, zb_err *e)
{
	const char *ys = r->nparams > 0 ? r->params[0] : "";
	char *end = NULL;
	long year = strtol(ys, &end, 10);
	if (!*ys || *end || year < 1900 || year > 2200)
		return zb_fail(e, ZB_EINVAL, "year", "年份无效：%s（应为 1900 到 2200 之间的整数）", ys);
	json_t *days = json_object_get(r->json, "days");
	if (!json_is_array(days))
		return zb_fail(e, ZB_EINVAL, "days", "days 应为数组：[{day, kind, name}]");
	size_t n = json_array_size(days);
	if (n > 366)
		return zb_fail(e, ZB_EINVAL, "days", "一年最多 366 天（收到 %zu 行）", n);
	json_t *pv = json_object_get(r->json, "provisional");
	int provisional = json_is_true(pv);
	const char *source = zb_body_str(r, "source");
	zb_workday *rows = zb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *rows);
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(days, i);
		const char *kind = json_string_value(json_object_get(d, "kind"));
		const char *own = json_string_value(json_object_get(d, "source"));
		rows[i] = (zb_workday){
			.day = json_string_value(json_object_get(d, "day")),
			.kind = kind && !strcmp(kind, "off") ? 'o' : kind && !strcmp(kind, "work") ? 'w' : '?',
			.name = json_string_value(json_object_get(d, "name")),
			.provisional = provisional,
			.source = own && *own ? own : source,
		};
		if (!json_is_object(d)) {
			char field[32];
			snprintf(field, sizeof field, "days[%zu]", i);
			return zb_fail(e, ZB_EINVAL, field, "第 %zu 行应为对象 {day, kind, name}", i + 1);
		}
	}
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_workcal_replace_audited(r->db, r->app, &by, (int)year, rows, (int)n, e);
	return rc ? rc : write_year(r, (int)year, e);
}

/* ---- request bodies ---- */

static const zb_field put_fields[] = {
	{"days", 'a', 1, 0,
	 "该年全部放假与调休上班的日子：[{day:\"YYYY-MM-DD\", kind:\"off\"|\"work\", name, source?}]；"
	 "work 只能是星期六或星期日；空数组表示该年只按周末计算"},
	{"source", 's', 0, 300, "依据（国务院办公厅当年节假日安排通知的名称与日期）"},
	{"provisional", 'b', 0, 0, "暂定（通知尚未发布，只有法定假日）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop day_props[] = {
	{"day", 'd', 0, NULL, "日期"},
	{"kind", 's', 0, NULL, "off 放假 / work 调休上班"},
	{"name", 's', 0, NULL, "节日名称"},
	{"provisional", 'b', 0, NULL, "暂定"},
	{"source", 's', 0, NULL, "依据"},
	{0},
};
static const zb_shape day_shape = {NULL, day_props, 0, 0, NULL};
static const zb_prop year_props[] = {
	{"year", 'i', 0, NULL, "年份"},
	{"known", 'b', 0, NULL, "已录入该年的节假日（否则只按周末计算工作日）"},
	{"provisional", 'b', 0, NULL, "暂定：该年的通知尚未录入，只有法定假日"},
	{"days", 'a', 0, &day_shape, "放假与调休上班的日子，按日期排列"},
	{0},
};
static const zb_shape year_shape = {"WorkCalendarYear", year_props, 0, 0, "一年的工作日历"};

const zb_route zb_routes_workcal[] = {
	{.method = "GET", .pattern = "/api/v1/work-calendar", .fn = h_workcal_get,
	 .resp = ZB_OK(&year_shape), .query_doc = "year:integer:年份（默认今年）",
	 .tag = "settings", .summary = "一年的工作日历（节假日与调休上班，公示期按此计算）"},
	{.method = "PUT", .pattern = "/api/v1/work-calendar/{year}", .fn = h_workcal_put,
	 .perm = P_SETTINGS_MANAGE, .flags = R_WRITE | R_JSON, .max_body = 1u << 16, .fields = put_fields,
	 .resp = ZB_OK(&year_shape), .tag = "settings", .summary = "替换一年的工作日历（国务院办公厅发布当年通知后）"},
	{0},
};
