/* api_orgs.c - the org tree: roots, create, read, edit, children. */
#include "api/api.h"
#include "org/org.h"
#include "org/structure.h"

#include <string.h>

void zb_api_write_org(zb_req *r, const zb_org *o);
void zb_api_write_org(zb_req *r, const zb_org *o)
{
	zb_jw *w = &r->jw;
	jw_kint(w, "id", o->id);
	if (o->parent_id)
		jw_kint(w, "parent_id", o->parent_id);
	else
		jw_knull(w, "parent_id");
	jw_kstr(w, "path", o->path);
	jw_kint(w, "depth", o->depth);
	jw_kstr(w, "name", o->name);
	jw_kstr(w, "short_name", o->short_name);
	jw_kstr(w, "code", o->code);
	jw_kstr(w, "type", o->type);
	jw_kstr(w, "type_name", zb_org_type_name(o->type));
	jw_kstr(w, "domain", o->domain);
	jw_kstr(w, "domain_name", zb_org_domain_name(o->domain));
	jw_kstr(w, "founded_on", o->founded_on);
	jw_kstr(w, "address", o->address);
	jw_kstr(w, "contact", o->contact);
	jw_kstr(w, "dissolved_on", o->dissolved_on);
	/* subtree counts of members on the roll, from the roll-ups */
	int64_t total = 0, full = 0;
	zb_err e = {0};
	if (!zb_counts_get(r->db, o->id, "total", "", &total, &e) && !zb_counts_get(r->db, o->id, "category", "full", &full, &e)) {
		jw_kint(w, "member_count", total);
		jw_kint(w, "full_member_count", full);
	}
}

static void write_item(zb_req *r, const zb_org_item *it, int found)
{
	jw_obj(&r->jw);
	zb_api_write_org(r, &it->org);
	jw_kint(&r->jw, "child_count", it->child_count);
	if (found) {
		jw_kstr(&r->jw, "parent_name", it->parent_name);
		jw_kstr(&r->jw, "path_name", it->trail);
	}
	jw_obj_end(&r->jw);
}

/* Org search by name, short name or code within the caller's subtrees
 * (optionally under one org): org/org.c zb_org_search. */
static int h_search(zb_req *r, zb_err *e)
{
	const char *q = zb_req_query(r, "q");
	if (!q || !*q)
		return zb_fail(e, ZB_EINVAL, "q", "请输入要查找的组织名称或编码");
	if (strlen(q) > 100)
		return zb_fail(e, ZB_EINVAL, "q", "查找内容过长（最多 100 字节）");
	int64_t limit, under = 0;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "under", 0, 0, INT64_MAX, &under, e))
		return e->code;
	zb_org_item *items;
	int n;
	int rc = zb_org_search(r->db, r->who, q, under, limit, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_item(r, &items[i], 1);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_roots(zb_req *r, zb_err *e)
{
	const char **roots;
	int n = zb_authz_roots(r->who, P_ORG_READ, &r->arena, &roots), found;
	zb_org_item *items;
	int rc = zb_org_roots(r->db, roots, n, &r->arena, &items, &found, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < found; i++)
		write_item(r, &items[i], 0);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_children(zb_req *r, zb_err *e)
{
	zb_org_item *items;
	int n;
	int rc = zb_org_children(r->db, r->target_id, 0, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_item(r, &items[i], 0);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_get(zb_req *r, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(r->db, r->target_id, &r->arena, &o, e);
	if (rc)
		return rc;
	int64_t children = 0;
	int village = 0;
	if ((rc = zb_org_child_count(r->db, o.id, &children, e)) || (rc = zb_org_is_village(r->db, o.id, &village, e)))
		return rc;
	char today[11];
	zb_today(r->app, today);
	jw_obj(&r->jw);
	zb_api_write_org(r, &o);
	jw_kint(&r->jw, "child_count", children);
	jw_kbool(&r->jw, "village", village);
	if ((rc = zb_org_write_committee_term(r->db, o.id, today, &r->arena, &r->jw, e)))
		return rc;
	jw_obj_end(&r->jw);
	return 0;
}

/* Validate the editable fields present in the body into o. */
static int read_fields(zb_req *r, zb_org *o, zb_err *e)
{
	if (zb_body_has(r, "name")) {
		o->name = zb_body_str(r, "name");
		if (!o->name || !*o->name)
			return zb_fail(e, ZB_EINVAL, "name", "组织名称不能为空");
	}
	if (zb_body_has(r, "type")) {
		o->type = zb_org_type_from(zb_body_str(r, "type"));
		if (!o->type)
			return zb_fail(e, ZB_EINVAL, "type", "组织类型无效：应为党委、党总支、党支部、联合党支部、临时党支部、网络支部或党小组");
	}
	if (zb_body_has(r, "domain")) {
		const char *d = zb_body_str(r, "domain");
		o->domain = d ? zb_org_domain_from(d) : NULL;
		if (d && !o->domain)
			return zb_fail(e, ZB_EINVAL, "domain", "所属领域无效：%s", d);
	}
	if (zb_body_has(r, "short_name"))
		o->short_name = zb_body_str(r, "short_name");
	if (zb_body_has(r, "code"))
		o->code = zb_body_str(r, "code");
	if (zb_body_has(r, "founded_on"))
		o->founded_on = zb_body_str(r, "founded_on");
	if (zb_body_has(r, "address"))
		o->address = zb_body_str(r, "address");
	if (zb_body_has(r, "contact"))
		o->contact = zb_body_str(r, "contact");
	if (o->code && !*o->code)
		o->code = NULL;
	return 0;
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_org o = {0}, got;
	int rc = read_fields(r, &o, e);
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_org_insert_audited(r->db, r->app, &by, r->target_id, &o, &r->arena, &got, e)))
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	zb_api_write_org(r, &got);
	jw_kint(&r->jw, "child_count", 0);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_patch(zb_req *r, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(r->db, r->target_id, &r->arena, &o, e);
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该组织已撤销，只能查看");
	const char *old_type = o.type, *old_domain = o.domain;
	if ((rc = read_fields(r, &o, e)))
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_org_update_audited(r->db, r->app, &by, &o, old_type, old_domain, e)))
		return rc;
	return h_get(r, e);
}

static const zb_field org_fields[] = {
	{"parent_id", 'i', 1, 0, "上级组织"},
	{"name", 's', 1, 200, "组织名称"},
	{"type", 's', 1, 32, "组织类型：committee/general_branch/branch/joint_branch/temp_branch/online_branch/group 或中文名"},
	{"short_name", 's', 0, 100, "简称"},
	{"code", 's', 0, 64, "组织编码"},
	{"domain", 's', 0, 32, "所属领域"},
	{"founded_on", 'd', 0, 10, "成立日期"},
	{"address", 's', 0, 300, "地址"},
	{"contact", 's', 0, 100, "联系方式"},
	{0},
};
static const zb_field org_patch_fields[] = {
	{"name", 's', 0, 200, "组织名称"},
	{"type", 's', 0, 32, "组织类型"},
	{"short_name", 's', 0, 100, "简称"},
	{"code", 's', 0, 64, "组织编码"},
	{"domain", 's', 0, 32, "所属领域"},
	{"founded_on", 'd', 0, 10, "成立日期"},
	{"address", 's', 0, 300, "地址"},
	{"contact", 's', 0, 100, "联系方式"},
	{0},
};

static const zb_prop org_props[] = {
	ZB_ORG_PROPS,
	{0},
};
const zb_shape zb_shape_org = {"Org", org_props, 0, 0, "组织"};

static const zb_prop org_item_props[] = {
	ZB_ORG_PROPS,
	{"child_count", 'i', 0, NULL, "直接下级组织数"},
	{0},
};
static const zb_shape org_item = {"OrgItem", org_item_props, 0, 0, "组织（列表中）"};
ZB_LIST_COUNTED(org_list, "OrgList", &org_item);

static const zb_prop org_found_props[] = {
	ZB_ORG_PROPS,
	{"child_count", 'i', 0, NULL, "直接下级组织数"},
	{"parent_name", 's', ZB_NULL, NULL, "上级组织名称"},
	{"path_name", 's', ZB_NULL, NULL, "从调用者可见的最上级到本组织的名称，以“ / ”分隔"},
	{0},
};
static const zb_shape org_found = {"OrgFound", org_found_props, 0, 0, "查找到的组织"};
ZB_LIST_COUNTED(org_found_list, "OrgFoundList", &org_found);

static const zb_prop post_props[] = {
	{"id", 'i', 0, NULL, "职务编号"},
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"member_id", 'i', ZB_NULL, NULL, "任职党员（不在花名册中为 null）"},
	{"person_name", 's', ZB_NULL, NULL, "任职人姓名"},
	{"post", 's', 0, NULL, "职务代码，如 secretary"},
	{"post_name", 's', ZB_NULL, NULL, "职务名称，如 书记"},
	{"started_on", 'd', ZB_NULL, NULL, "任职日期"},
	{"ended_on", 'd', ZB_NULL, NULL, "离任日期（在任为 null）"},
	{"notes", 's', ZB_NULL, NULL, "备注"},
	{0},
};
const zb_shape zb_shape_post = {"CommitteePost", post_props, 0, 0, "班子职务"};

static const zb_prop current_term_props[] = {
	{"id", 'i', 0, NULL, "任期编号"},
	{"started_on", 'd', 0, NULL, "本届起始日期"},
	{"years", 'i', 0, NULL, "任期年数"},
	{"ends_on", 'd', 0, NULL, "届满日期"},
	{"elected_how", 's', ZB_NULL, NULL, "产生方式：election/by_election/appointed"},
	{"notes", 's', ZB_NULL, NULL, "备注"},
	{"status", 's', 0, NULL, "换届状态：ok/due_6m/due_1m/overdue"},
	{"days_left", 'i', 0, NULL, "距届满天数（逾期为负）"},
	{0},
};
const zb_shape zb_shape_current_term = {"CurrentTerm", current_term_props, 0, 0, "本届任期"};

static const zb_prop org_detail_props[] = {
	ZB_ORG_PROPS,
	{"child_count", 'i', 0, NULL, "直接下级组织数"},
	{"village", 'b', 0, NULL, "村级党组织（农村党支部、联合党支部或党总支，上级为乡镇党委）"},
	{"committee", 'a', 0, &zb_shape_post, "在任班子成员"},
	{"term", 'o', ZB_NULL, &zb_shape_current_term, "本届任期（未登记为 null）"},
	{0},
};
const zb_shape zb_shape_org_detail = {"OrgDetail", org_detail_props, 0, 0, "组织详情"};

const zb_route zb_routes_orgs[] = {
	{.method = "GET", .pattern = "/api/v1/orgs", .fn = h_roots,
	 .perm = P_ORG_READ, .resp = ZB_OK(&org_list),
	 .tag = "orgs", .summary = "可见的顶层组织"},
	{.method = "POST", .pattern = "/api/v1/orgs", .fn = h_create,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = org_fields, .resp = ZB_CREATED(&org_item),
	 .tag = "orgs", .summary = "新建下级组织"},
	{.method = "GET", .pattern = "/api/v1/orgs/search", .fn = h_search,
	 .perm = P_ORG_READ, .resp = ZB_OK(&org_found_list),
	 .tag = "orgs", .summary = "按名称或编码查找组织",
	 .query_doc = "q:string:名称的任意部分或编码,under:integer:只在该组织之下查找,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}", .fn = h_get,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&zb_shape_org_detail),
	 .tag = "orgs", .summary = "组织详情"},
	{.method = "PATCH", .pattern = "/api/v1/orgs/{id}", .fn = h_patch,
	 .perm = P_ORG_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = org_patch_fields, .resp = ZB_OK(&zb_shape_org_detail),
	 .tag = "orgs", .summary = "修改组织"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/children", .fn = h_children,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&org_list),
	 .tag = "orgs", .summary = "下级组织"},
	{0},
};
