/* api_units.c - economic and social units and their coverage (覆盖), and
 * 党建联合体 (alliances of several orgs). */
#include "api/api.h"
#include "org/structure.h"

#include <stdlib.h>
#include <string.h>

static void write_unit(zb_jw *w, const zb_unit *u)
{
	jw_obj(w);
	jw_kint(w, "id", u->id);
	jw_kstr(w, "name", u->name);
	jw_kstr(w, "kind", u->kind);
	jw_kstr(w, "kind_name", zb_unit_kind_name(u->kind));
	jw_kstr(w, "subkind", u->subkind);
	jw_kstr(w, "credit_code", u->credit_code);
	jw_kint(w, "staff_count", u->staff_count);
	jw_kint(w, "party_members", u->party_members);
	jw_kint(w, "full_members", u->full_members);
	jw_kstr(w, "coverage", u->coverage);
	jw_kstr(w, "coverage_name", zb_coverage_name(u->coverage));
	if (u->covering_org_id) {
		jw_kint(w, "covering_org_id", u->covering_org_id);
		jw_kstr(w, "covering_org_name", u->covering_org_name);
	} else {
		jw_knull(w, "covering_org_id");
		jw_knull(w, "covering_org_name");
	}
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kstr(w, "address", u->address);
	jw_kstr(w, "remarks", u->remarks);
	jw_obj_end(w);
}

static int h_units_list(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	const char *kind = zb_req_query(r, "kind"), *cov = zb_req_query(r, "coverage");
	const char *k = kind && *kind ? zb_unit_kind_from(kind) : NULL, *c = cov && *cov ? zb_coverage_from(cov) : NULL;
	if (kind && *kind && !k)
		return zb_fail(e, ZB_EINVAL, "kind", "参数 kind 应为 enterprise、social_org 或 other");
	if (cov && *cov && !c)
		return zb_fail(e, ZB_EINVAL, "coverage", "参数 coverage 应为 single、joint、attached 或 none");
	zb_unit *items;
	int n, more;
	int rc = zb_unit_list(r->db, r->target_path, after, k, c, limit, &r->arena, &items, &n, &more, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_unit(&r->jw, &items[i]);
	zb_list_end(r, -1, more ? zb_arena_printf(&r->arena, "%lld", (long long)items[n - 1].id) : NULL);
	return 0;
}

static int h_unit_get(zb_req *r, zb_err *e)
{
	zb_unit u;
	int rc = zb_unit_get(r->db, r->target_id, &r->arena, &u, e);
	if (!rc)
		write_unit(&r->jw, &u);
	return rc;
}

/* Fill u from the body over its current values (PATCH) or defaults. */
static int read_unit(zb_req *r, zb_unit *u, zb_err *e)
{
	static const struct {
		const char *name;
		size_t off;
	} strs[] = {
		{"name", offsetof(zb_unit, name)},       {"subkind", offsetof(zb_unit, subkind)},
		{"credit_code", offsetof(zb_unit, credit_code)}, {"address", offsetof(zb_unit, address)},
		{"remarks", offsetof(zb_unit, remarks)},
	};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (zb_body_has(r, strs[i].name))
			*(const char **)((char *)u + strs[i].off) = zb_body_str(r, strs[i].name);
	if (zb_body_has(r, "kind")) {
		const char *s = zb_body_str(r, "kind");
		u->kind = zb_unit_kind_from(s);
		if (!u->kind)
			return zb_fail(e, ZB_EINVAL, "kind", "单位类别无效：%s（应为 enterprise 企业、social_org 社会组织或 other 其他）", s ? s : "");
	}
	if (zb_body_has(r, "coverage")) {
		const char *s = zb_body_str(r, "coverage");
		u->coverage = zb_coverage_from(s);
		if (!u->coverage)
			return zb_fail(e, ZB_EINVAL, "coverage", "覆盖方式无效：%s（应为 single 单独建、joint 联合建、attached 挂靠建或 none 未覆盖）",
			               s ? s : "");
	}
	static const struct {
		const char *name;
		size_t off;
	} ints[] = {
		{"staff_count", offsetof(zb_unit, staff_count)},
		{"party_members", offsetof(zb_unit, party_members)},
		{"full_members", offsetof(zb_unit, full_members)},
		{"covering_org_id", offsetof(zb_unit, covering_org_id)},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
		if (zb_body_has(r, ints[i].name)) {
			int64_t v = 0;
			zb_body_int(r, ints[i].name, &v); /* null clears */
			*(int64_t *)((char *)u + ints[i].off) = v;
		}
	if (zb_body_has(r, "org_id"))
		zb_body_int(r, "org_id", &u->org_id);
	/* the covering org must also be inside the caller's scope */
	if (u->covering_org_id) {
		zb_org c;
		int rc = zb_org_get(r->db, u->covering_org_id, &r->arena, &c, e);
		if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(r->who, P_ORG_WRITE, c.path)))
			return zb_fail(e, ZB_ENOTFOUND, "covering_org_id", "未找到覆盖组织，或不在您的管理范围内");
		if (rc)
			return rc;
	}
	return 0;
}

static int h_unit_create(zb_req *r, zb_err *e)
{
	zb_unit u = {.coverage = "none"};
	int rc = read_unit(r, &u, e);
	if (rc)
		return rc;
	u.org_id = r->target_id;
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	if ((rc = zb_unit_insert_audited(r->db, r->app, &by, &u, r->target_path, &r->arena, &id, e)))
		return rc;
	r->status = 201;
	r->target_id = id;
	return h_unit_get(r, e);
}

static int h_unit_patch(zb_req *r, zb_err *e)
{
	zb_unit u;
	int rc = zb_unit_get(r->db, r->target_id, &r->arena, &u, e);
	if (rc)
		return rc;
	int64_t old_org = u.org_id;
	if ((rc = read_unit(r, &u, e)))
		return rc;
	if (u.coverage && !strcmp(u.coverage, "none") && zb_body_has(r, "coverage") && !zb_body_has(r, "covering_org_id"))
		u.covering_org_id = 0; /* "none" drops the old covering org */
	if (u.org_id != old_org) {
		/* relocating: the new place must be in scope too */
		zb_org o;
		rc = zb_org_get(r->db, u.org_id, &r->arena, &o, e);
		if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(r->who, P_ORG_WRITE, o.path)))
			return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到所属组织，或不在您的管理范围内");
		if (rc)
			return rc;
	}
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_unit_update_audited(r->db, r->app, &by, r->target_id, &u, r->target_path, &r->arena, e)))
		return rc;
	return h_unit_get(r, e);
}

/* ---- alliances ---- */

static void write_alliance_head(zb_jw *w, const zb_alliance *a)
{
	jw_kint(w, "id", a->id);
	jw_kstr(w, "name", a->name);
	jw_kint(w, "org_id", a->org_id);
	jw_kstr(w, "org_name", a->org_name);
	jw_kstr(w, "theme", a->theme);
	jw_kstr(w, "founded_on", a->founded_on);
}

static int write_alliance(zb_req *r, int64_t id, zb_err *e)
{
	zb_alliance a;
	int rc = zb_alliance_get(r->db, id, &r->arena, &a, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	write_alliance_head(&r->jw, &a);
	jw_karr(&r->jw, "members");
	for (int i = 0; i < a.nmembers; i++) {
		const zb_alliance_member *m = &a.members[i];
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", m->org_id);
		jw_kstr(&r->jw, "org_name", m->org_name);
		jw_kstr(&r->jw, "type_name", zb_org_type_name(m->org_type));
		jw_kstr(&r->jw, "role", m->role);
		jw_kstr(&r->jw, "joined_on", m->joined_on);
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_alliances_list(zb_req *r, zb_err *e)
{
	zb_alliance *items;
	int n;
	int rc = zb_alliance_list(r->db, r->who, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		write_alliance_head(&r->jw, &items[i]);
		jw_kint(&r->jw, "member_count", items[i].member_count);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_alliance_create(zb_req *r, zb_err *e)
{
	const char *name = zb_body_str(r, "name");
	json_t *mids = json_object_get(r->json, "member_org_ids");
	if (!name || !*name)
		return zb_fail(e, ZB_EINVAL, "name", "联合体名称不能为空");
	if (mids && json_array_size(mids) > 200)
		return zb_fail(e, ZB_EINVAL, "member_org_ids", "成员单位最多 200 个");
	int64_t *ids = zb_arena_alloc(&r->arena, sizeof *ids * (json_array_size(mids) + 1));
	int n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(mids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return zb_fail(e, ZB_EINVAL, "member_org_ids", "member_org_ids 应为组织编号的数组");
		ids[n++] = json_integer_value(v);
	}
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	int rc = zb_alliance_create(r->db, r->app, &by, r->who, r->target_id, r->target_path, name, zb_body_str(r, "theme"),
	                            zb_body_str(r, "founded_on"), ids, n, &r->arena, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_alliance(r, id, e);
}

static int h_alliance_get(zb_req *r, zb_err *e)
{
	return write_alliance(r, r->target_id, e);
}

static int h_alliance_member_add(zb_req *r, zb_err *e)
{
	int64_t org = 0;
	zb_body_int(r, "org_id", &org);
	char today[11];
	zb_today(r->app, today);
	const char *joined = zb_body_str(r, "joined_on"), *role = zb_body_str(r, "role");
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_alliance_add_member(r->db, r->app, &by, r->who, r->target_id, r->target_path, org,
	                                role ? role : "成员单位", joined ? joined : today, &r->arena, e);
	return rc ? rc : write_alliance(r, r->target_id, e);
}

static int h_alliance_member_remove(zb_req *r, zb_err *e)
{
	int64_t org = 0;
	if (zb_req_param_id(r, 1, &org, e))
		return e->code;
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_alliance_remove_member(r->db, r->app, &by, r->target_id, r->target_path, org, &r->arena, e);
	return rc ? rc : write_alliance(r, r->target_id, e);
}

static const zb_field unit_fields[] = {
	{"org_id", 'i', 1, 0, "所在组织（该单位归属哪个组织的管辖范围）"},
	{"name", 's', 1, 200, "单位名称"},
	{"kind", 's', 1, 20, "类别：enterprise 企业 / social_org 社会组织 / other 其他"},
	{"subkind", 's', 0, 50, "细类：非公企业、国有企业、社会组织……"},
	{"credit_code", 's', 0, 18, "统一社会信用代码"},
	{"staff_count", 'i', 0, 0, "职工人数"},
	{"party_members", 'i', 0, 0, "党员人数"},
	{"full_members", 'i', 0, 0, "其中正式党员人数"},
	{"coverage", 's', 0, 20, "覆盖方式：single 单独建 / joint 联合建 / attached 挂靠建 / none 未覆盖"},
	{"covering_org_id", 'i', 0, 0, "覆盖该单位的党组织"},
	{"address", 's', 0, 300, "地址"},
	{"remarks", 's', 0, 500, "备注"},
	{0},
};
static const zb_field unit_patch_fields[] = {
	{"org_id", 'i', 0, 0, "所在组织"},
	{"name", 's', 0, 200, "单位名称"},
	{"kind", 's', 0, 20, "类别"},
	{"subkind", 's', 0, 50, "细类"},
	{"credit_code", 's', 0, 18, "统一社会信用代码"},
	{"staff_count", 'i', 0, 0, "职工人数"},
	{"party_members", 'i', 0, 0, "党员人数"},
	{"full_members", 'i', 0, 0, "其中正式党员人数"},
	{"coverage", 's', 0, 20, "覆盖方式"},
	{"covering_org_id", 'i', 0, 0, "覆盖该单位的党组织"},
	{"address", 's', 0, 300, "地址"},
	{"remarks", 's', 0, 500, "备注"},
	{0},
};
static const zb_field alliance_fields[] = {
	{"org_id", 'i', 1, 0, "牵头组织"},
	{"name", 's', 1, 200, "联合体名称"},
	{"theme", 's', 0, 500, "主题"},
	{"founded_on", 'd', 0, 10, "成立日期"},
	{"member_org_ids", 'a', 0, 0, "成员组织编号"},
	{0},
};
static const zb_field alliance_member_fields[] = {
	{"org_id", 'i', 1, 0, "加入的组织"},
	{"role", 's', 0, 50, "角色"},
	{"joined_on", 'd', 0, 10, "加入日期"},
	{0},
};

static const zb_prop unit_props[] = {
	{"id", 'i', 0, NULL, "单位编号"},
	{"name", 's', 0, NULL, "单位名称"},
	{"kind", 's', 0, NULL, "类别代码：enterprise/social_org/other"},
	{"kind_name", 's', 0, NULL, "类别名称"},
	{"subkind", 's', ZB_NULL, NULL, "细分类别"},
	{"credit_code", 's', ZB_NULL, NULL, "统一社会信用代码"},
	{"staff_count", 'i', 0, NULL, "职工人数"},
	{"party_members", 'i', 0, NULL, "党员人数"},
	{"full_members", 'i', 0, NULL, "正式党员人数"},
	{"coverage", 's', 0, NULL, "覆盖方式代码：single/joint/attached/none"},
	{"coverage_name", 's', 0, NULL, "覆盖方式名称"},
	{"covering_org_id", 'i', ZB_NULL, NULL, "覆盖它的党组织"},
	{"covering_org_name", 's', ZB_NULL, NULL, "覆盖它的党组织名称"},
	{"org_id", 'i', 0, NULL, "所在地组织"},
	{"org_name", 's', 0, NULL, "所在地组织名称"},
	{"address", 's', ZB_NULL, NULL, "地址"},
	{"remarks", 's', ZB_NULL, NULL, "备注"},
	{0},
};
static const zb_shape unit_shape = {"Unit", unit_props, 0, 0, "经济或社会单位"};
ZB_LIST_PAGED(unit_list, "UnitList", &unit_shape);

static const zb_prop alliance_item_props[] = {
	{"id", 'i', 0, NULL, "联合体编号"},
	{"name", 's', 0, NULL, "名称"},
	{"org_id", 'i', 0, NULL, "牵头组织"},
	{"org_name", 's', 0, NULL, "牵头组织名称"},
	{"theme", 's', ZB_NULL, NULL, "主题"},
	{"founded_on", 'd', ZB_NULL, NULL, "成立日期"},
	{"member_count", 'i', 0, NULL, "成员组织数"},
	{0},
};
static const zb_shape alliance_item = {"AllianceItem", alliance_item_props, 0, 0, "党建联合体（列表中）"};
ZB_LIST_COUNTED(alliance_list, "AllianceList", &alliance_item);

static const zb_prop alliance_member_props[] = {
	{"org_id", 'i', 0, NULL, "成员组织"},
	{"org_name", 's', 0, NULL, "成员组织名称"},
	{"type_name", 's', 0, NULL, "组织类型名称"},
	{"role", 's', 0, NULL, "lead（牵头）或 member"},
	{"joined_on", 'd', ZB_NULL, NULL, "加入日期"},
	{0},
};
static const zb_shape alliance_member = {NULL, alliance_member_props, 0, 0, NULL};
static const zb_prop alliance_props[] = {
	{"id", 'i', 0, NULL, "联合体编号"},
	{"name", 's', 0, NULL, "名称"},
	{"org_id", 'i', 0, NULL, "牵头组织"},
	{"org_name", 's', 0, NULL, "牵头组织名称"},
	{"theme", 's', ZB_NULL, NULL, "主题"},
	{"founded_on", 'd', ZB_NULL, NULL, "成立日期"},
	{"members", 'a', 0, &alliance_member, "成员组织"},
	{0},
};
static const zb_shape alliance_shape = {"Alliance", alliance_props, 0, 0, "党建联合体"};

const zb_route zb_routes_units[] = {
	{.method = "GET", .pattern = "/api/v1/units", .fn = h_units_list,
	 .perm = P_ORG_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&unit_list),
	 .tag = "coverage", .summary = "下辖经济和社会单位",
	 .query_doc = "org:integer,kind:string,coverage:string,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/units", .fn = h_unit_create,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = unit_fields, .resp = ZB_CREATED(&unit_shape),
	 .tag = "coverage", .summary = "登记单位及其党组织覆盖方式"},
	{.method = "GET", .pattern = "/api/v1/units/{id}", .fn = h_unit_get,
	 .perm = P_ORG_READ, .scope = S_UNIT, .resp = ZB_OK(&unit_shape),
	 .tag = "coverage", .summary = "单位详情"},
	{.method = "PATCH", .pattern = "/api/v1/units/{id}", .fn = h_unit_patch,
	 .perm = P_ORG_WRITE, .scope = S_UNIT, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = unit_patch_fields, .resp = ZB_OK(&unit_shape),
	 .tag = "coverage", .summary = "修改单位"},
	{.method = "GET", .pattern = "/api/v1/alliances", .fn = h_alliances_list,
	 .perm = P_ORG_READ, .resp = ZB_OK(&alliance_list),
	 .tag = "coverage", .summary = "党建联合体"},
	{.method = "POST", .pattern = "/api/v1/alliances", .fn = h_alliance_create,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = alliance_fields, .resp = ZB_CREATED(&alliance_shape),
	 .tag = "coverage", .summary = "新建党建联合体"},
	{.method = "GET", .pattern = "/api/v1/alliances/{id}", .fn = h_alliance_get,
	 .perm = P_ORG_READ, .scope = S_ALLIANCE, .resp = ZB_OK(&alliance_shape),
	 .tag = "coverage", .summary = "联合体详情"},
	{.method = "POST", .pattern = "/api/v1/alliances/{id}/members", .fn = h_alliance_member_add,
	 .perm = P_ORG_WRITE, .scope = S_ALLIANCE, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = alliance_member_fields, .resp = ZB_OK(&alliance_shape),
	 .tag = "coverage", .summary = "联合体加入成员"},
	{.method = "DELETE", .pattern = "/api/v1/alliances/{id}/members/{org_id}", .fn = h_alliance_member_remove,
	 .perm = P_ORG_WRITE, .scope = S_ALLIANCE, .flags = R_WRITE, .resp = ZB_OK(&alliance_shape),
	 .tag = "coverage", .summary = "联合体移除成员"},
	{0},
};
