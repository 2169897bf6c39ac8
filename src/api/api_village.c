/* api_village.c - 驻村第一书记 and 驻村工作队 over HTTP: the cadre registry
 * (派出单位, cadres).  The records and rules live in village/ (cadre.h);
 * this file reads requests, calls one domain function, masks what the
 * caller may not see and writes JSON.  docs/VILLAGE.md. */
#include "api/api.h"
#include "member/member.h"
#include "village/cadre.h"

#include <string.h>

static zb_actor actor_of(zb_req *r)
{
	zb_audit_ev by = zb_req_actor(r);
	return (zb_actor){.user_id = by.user_id, .username = by.username, .ip = by.ip};
}

static int want_full(zb_req *r, const char *path, int *full, zb_err *e)
{
	const char *v = zb_req_query(r, "full");
	*full = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	if (*full && !zb_authz_allows(r->who, P_MEMBER_SENSITIVE, path))
		return zb_fail(e, ZB_EFORBIDDEN, "full", "查看完整身份证号和电话需要“敏感信息”权限");
	return 0;
}

static void kid_or_null(zb_jw *w, const char *k, int64_t v)
{
	if (v)
		jw_kint(w, k, v);
	else
		jw_knull(w, k);
}

/* ---- 派出单位 ------------------------------------------------------------------- */

static void write_unit(zb_req *r, const zb_dunit *u, int full)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", u->id);
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kstr(w, "name", u->name);
	jw_kstr(w, "contact_name", u->contact_name);
	jw_kstr(w, "contact_phone", full && u->contact_phone ? u->contact_phone : u->phone_masked);
	jw_kint(w, "cadres", u->cadres);
	jw_kint(w, "created_at", u->created_at);
	jw_obj_end(w);
}

static int answer_unit(zb_req *r, int64_t id, int full, zb_err *e)
{
	zb_dunit u;
	int rc = zb_dunit_get(r->db, id, &r->arena, &u, e);
	if (!rc && full)
		rc = zb_dunit_reveal(&u, r->app->keys, &r->arena, e);
	if (!rc)
		write_unit(r, &u, full);
	return rc;
}

static int h_units(zb_req *r, zb_err *e)
{
	int64_t limit, after = 0;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_dunit *items;
	int n;
	int rc = zb_dunit_list(r->db, r->target_path, after, limit, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++)
		write_unit(r, &items[i], 0);
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)items[limit - 1].id) : NULL);
	return 0;
}

static int h_unit(zb_req *r, zb_err *e)
{
	int full;
	int rc = want_full(r, r->target_path, &full, e);
	if (!rc && (rc = answer_unit(r, r->target_id, full, e)) == 0 && full)
		zb_req_audit_read(r, "dunit.read", "dispatch_unit", r->target_id, r->target_path, "{\"full\":true}");
	return rc;
}

static int h_unit_create(zb_req *r, zb_err *e)
{
	zb_dunit_input in = {.name = zb_body_str(r, "name"), .contact_name = zb_body_str(r, "contact_name"),
	                     .contact_phone = zb_body_str(r, "contact_phone")};
	zb_body_int(r, "org_id", &in.org_id);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_dunit_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (rc || (rc = answer_unit(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

/* ---- cadres ---------------------------------------------------------------------- */

static void write_cadre(zb_req *r, const zb_cadre *c, int full)
{
	zb_jw *w = &r->jw;
	int exact = full || zb_authz_allows(r->who, P_MEMBER_SENSITIVE, c->org_path);
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kint(w, "org_id", c->org_id);
	jw_kstr(w, "org_name", c->org_name);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "gender", c->gender);
	jw_kstr(w, "birth_date", zb_member_birth_shown(&r->arena, c->birth_date, exact));
	jw_kstr(w, "id_number", full && c->id_number ? c->id_number : c->id_masked);
	jw_kstr(w, "phone", full && c->phone ? c->phone : c->phone_masked);
	kid_or_null(w, "unit_id", c->unit_id);
	jw_kstr(w, "unit_name", c->unit_name);
	jw_kstr(w, "post", c->post);
	kid_or_null(w, "user_id", c->user_id);
	jw_kbool(w, "full", full);
	jw_kint(w, "created_at", c->created_at);
	jw_obj_end(w);
}

static int answer_cadre(zb_req *r, int64_t id, int full, zb_err *e)
{
	zb_cadre c;
	int rc = zb_cadre_get(r->db, id, &r->arena, &c, e);
	if (!rc && full)
		rc = zb_cadre_reveal(&c, r->app->keys, &r->arena, e);
	if (!rc)
		write_cadre(r, &c, full);
	return rc;
}

static int h_cadres(zb_req *r, zb_err *e)
{
	int64_t limit, after = 0, unit = 0;
	const char *q = zb_req_query(r, "q");
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e) ||
	    zb_req_query_int(r, "unit", 0, 0, INT64_MAX, &unit, e))
		return e->code;
	zb_cadre *items;
	int n;
	int rc = zb_cadre_list(r->db, r->target_path, unit, q && *q ? q : NULL, after, limit, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++)
		write_cadre(r, &items[i], 0);
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)items[limit - 1].id) : NULL);
	zb_req_audit_read(r, "cadre.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_cadre(zb_req *r, zb_err *e)
{
	int full;
	int rc = want_full(r, r->target_path, &full, e);
	if (!rc && (rc = answer_cadre(r, r->target_id, full, e)) == 0)
		zb_req_audit_read(r, "cadre.read", "cadre", r->target_id, r->target_path,
		                  full ? "{\"full\":true}" : "{\"full\":false}");
	return rc;
}

static int h_cadre_create(zb_req *r, zb_err *e)
{
	zb_cadre_input in = {.name = zb_body_str(r, "name"), .gender = zb_body_str(r, "gender"),
	                     .id_number = zb_body_str(r, "id_number"), .phone = zb_body_str(r, "phone"),
	                     .post = zb_body_str(r, "post")};
	zb_body_int(r, "org_id", &in.org_id);
	zb_body_int(r, "unit_id", &in.unit_id);
	zb_body_int(r, "user_id", &in.user_id);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_cadre_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (rc || (rc = answer_cadre(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

/* ---- route table ------------------------------------------------------------------- */

static const zb_field unit_fields[] = {
	{"org_id", 'i', 1, 0, "保存该记录的组织（一般为县委）"},
	{"name", 's', 1, 400, "派出单位名称"},
	{"contact_name", 's', 0, 200, "联系人"},
	{"contact_phone", 's', 0, 64, "联系电话"},
	{0},
};
static const zb_field cadre_fields[] = {
	{"org_id", 'i', 1, 0, "保存该记录的组织（一般为县委）"},
	{"name", 's', 1, 200, "姓名"},
	{"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},
	{"id_number", 's', 0, 64, "身份证号（18 位）"},
	{"phone", 's', 0, 64, "联系电话"},
	{"unit_id", 'i', 0, 0, "派出单位"},
	{"post", 's', 0, 400, "在派出单位的职务"},
	{"user_id", 'i', 0, 0, "干部登录用的账号（可不填）"},
	{0},
};

static const zb_prop unit_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"org_id", 'i', 0, NULL, "保存该记录的组织"},
	{"org_name", 's', 0, NULL, "该组织名称"},
	{"name", 's', 0, NULL, "派出单位名称"},
	{"contact_name", 's', ZB_NULL, NULL, "联系人"},
	{"contact_phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"},
	{"cadres", 'i', 0, NULL, "登记的该单位干部人数"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{0},
};
static const zb_shape unit_shape = {"DispatchUnit", unit_props, 0, 0, "派出单位"};
ZB_LIST_PAGED(unit_list, "DispatchUnitList", &unit_shape);

static const zb_prop cadre_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"org_id", 'i', 0, NULL, "保存该记录的组织"},
	{"org_name", 's', 0, NULL, "该组织名称"},
	{"name", 's', 0, NULL, "姓名"},
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"},
	{"birth_date", 's', ZB_NULL, NULL, "出生日期（无权查看全部时只到年月）"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（默认隐去）"},
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"},
	{"unit_id", 'i', ZB_NULL, NULL, "派出单位"},
	{"unit_name", 's', ZB_NULL, NULL, "派出单位名称"},
	{"post", 's', ZB_NULL, NULL, "在派出单位的职务"},
	{"user_id", 'i', ZB_NULL, NULL, "关联的登录账号"},
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{0},
};
static const zb_shape cadre_shape = {"Cadre", cadre_props, 0, 0, "干部（派驻、帮扶）"};
ZB_LIST_PAGED(cadre_list, "CadreList", &cadre_shape);

const zb_route zb_routes_village[] = {
	{.method = "GET", .pattern = "/api/v1/dispatch-units", .fn = h_units,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&unit_list),
	 .tag = "village", .summary = "派出单位（组织及下级保存的）", .query_doc = "org:integer,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/dispatch-units", .fn = h_unit_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = unit_fields,
	 .resp = ZB_CREATED(&unit_shape), .tag = "village", .summary = "登记派出单位"},
	{.method = "GET", .pattern = "/api/v1/dispatch-units/{id}", .fn = h_unit,
	 .perm = P_MEMBER_READ, .scope = S_DUNIT, .resp = ZB_OK(&unit_shape),
	 .tag = "village", .summary = "派出单位", .query_doc = "full:integer"},
	{.method = "GET", .pattern = "/api/v1/cadres", .fn = h_cadres,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&cadre_list),
	 .tag = "village", .summary = "干部名单（组织及下级保存的；按派出单位、姓名筛选）",
	 .query_doc = "org:integer,unit:integer,q:string,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/cadres", .fn = h_cadre_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = cadre_fields,
	 .resp = ZB_CREATED(&cadre_shape), .tag = "village", .summary = "登记干部（非本村党员的驻村、帮扶干部）"},
	{.method = "GET", .pattern = "/api/v1/cadres/{id}", .fn = h_cadre,
	 .perm = P_MEMBER_READ, .scope = S_CADRE, .resp = ZB_OK(&cadre_shape),
	 .tag = "village", .summary = "干部（审计）", .query_doc = "full:integer"},
	{0},
};
