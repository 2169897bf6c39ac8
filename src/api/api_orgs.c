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

static int write_org_list(zb_req *r, zb_stmt *st, zb_err *e)
{
	int rc;
	int64_t n = 0;
	zb_list_begin(r);
	while ((rc = zb_stmt_step(st, e)) == 1) {
		zb_org o;
		zb_org_read(st, 0, &r->arena, &o);
		jw_obj(&r->jw);
		zb_api_write_org(r, &o);
		jw_kint(&r->jw, "child_count", zb_col_int(st, 15));
		jw_obj_end(&r->jw);
		n++;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_end(r, n, NULL);
	return 0;
}

/* Org search by name, short name or code within the caller's subtrees
 * (optionally under one org).  Org names are long ("中共某某村党支部委员会")
 * and searched by any part, so this is a LIKE over a subtree range: the
 * range keeps it to the caller's orgs, which are far fewer than members. */
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
	const char *under_path = NULL;
	if (under) {
		zb_org u;
		if (zb_org_get(r->db, under, &r->arena, &u, e) || !zb_authz_allows(r->who, P_ORG_READ, u.path))
			return zb_fail(e, ZB_ENOTFOUND, "under", "未找到该组织，或不在您的管理范围内");
		under_path = u.path;
	}
	/* escape LIKE wildcards in the user's text */
	zb_buf pat;
	zb_buf_init(&pat, 512);
	zb_buf_putc(&pat, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			zb_buf_putc(&pat, '\\');
		zb_buf_putc(&pat, *p);
	}
	zb_buf_putc(&pat, '%');
	const char *like = zb_arena_strdup(&r->arena, pat.data);
	zb_buf_release(&pat);

	const char **roots;
	int n = zb_authz_roots(r->who, P_ORG_READ, &r->arena, &roots);
	zb_list_begin(r);
	int64_t count = 0;
	for (int i = 0; i < n && count < limit; i++) {
		const char *root = roots[i];
		if (under_path) {
			if (zb_path_within(under_path, root))
				root = under_path;             /* narrower: search under it */
			else if (!zb_path_within(root, under_path))
				continue;                      /* disjoint */
		}
		char upper[600];
		zb_path_upper(root, upper, sizeof upper);
		zb_stmt *st = zb_db_query(r->db, e,
		                          "SELECT " ZB_ORG_COLS ", (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id), "
		                          "(SELECT p.name FROM orgs p WHERE p.id = o.parent_id) "
		                          "FROM orgs o WHERE o.path >= ? AND o.path < ? AND (o.name LIKE ? ESCAPE '\\' "
		                          "OR o.short_name LIKE ? ESCAPE '\\' OR o.code = ?) ORDER BY o.depth, o.path LIMIT ?",
		                          "sssssi", root, upper, like, like, q, limit - count);
		if (!st)
			return e->code;
		int rc;
		while ((rc = zb_stmt_step(st, e)) == 1) {
			zb_org o;
			zb_org_read(st, 0, &r->arena, &o);
			jw_obj(&r->jw);
			zb_api_write_org(r, &o);
			jw_kint(&r->jw, "child_count", zb_col_int(st, 15));
			jw_kstr(&r->jw, "parent_name", zb_col_text(st, 16));
			jw_kstr(&r->jw, "path_name", zb_api_org_trail(r, o.path));
			jw_obj_end(&r->jw);
			count++;
		}
		zb_stmt_done(st);
		if (rc < 0)
			return -rc;
		if (under_path && root == under_path)
			break;
	}
	zb_list_end(r, count, NULL);
	return 0;
}

static int h_roots(zb_req *r, zb_err *e)
{
	const char **roots;
	int n = zb_authz_roots(r->who, P_ORG_READ, &r->arena, &roots);
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		zb_stmt *st = zb_db_query(r->db, e,
		                          "SELECT " ZB_ORG_COLS ", (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id) "
		                          "FROM orgs o WHERE o.path = ?",
		                          "s", roots[i]);
		if (!st)
			return e->code;
		int rc = zb_stmt_step(st, e);
		if (rc == 1) {
			zb_org o;
			zb_org_read(st, 0, &r->arena, &o);
			jw_obj(&r->jw);
			zb_api_write_org(r, &o);
			jw_kint(&r->jw, "child_count", zb_col_int(st, 15));
			jw_obj_end(&r->jw);
		}
		zb_stmt_done(st);
		if (rc < 0)
			return -rc;
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_children(zb_req *r, zb_err *e)
{
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT " ZB_ORG_COLS ", (SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id) "
	                          "FROM orgs o WHERE o.parent_id = ? ORDER BY o.sort_order, o.id",
	                          "i", r->target_id);
	if (!st)
		return e->code;
	return write_org_list(r, st, e);
}

static int h_get(zb_req *r, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(r->db, r->target_id, &r->arena, &o, e);
	if (rc)
		return rc;
	int64_t children = 0;
	if ((rc = zb_db_int(r->db, e, &children, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", "i", o.id)))
		return rc;
	char today[11];
	zb_today(r->app, today);
	jw_obj(&r->jw);
	zb_api_write_org(r, &o);
	jw_kint(&r->jw, "child_count", children);
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
	zb_org o = {0};
	int rc = read_fields(r, &o, e);
	if (rc)
		return rc;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t id;
	rc = zb_org_insert(r->db, zb_now(r->app), r->target_id, &o, &id, e);
	zb_org got;
	if (!rc)
		rc = zb_org_get(r->db, id, &r->arena, &got, e);
	if (!rc)
		rc = zb_req_audit(r, "org.create", "org", id, got.path,
		                  zb_arena_printf(&r->arena, "{\"parent_id\":%lld}", (long long)r->target_id), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
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
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_db_run(r->db, e, NULL,
	               "UPDATE orgs SET name = ?, short_name = ?, code = ?, type = ?, domain = ?, founded_on = ?, "
	               "address = ?, contact = ?, updated_at = ? WHERE id = ?",
	               "ssssssssii", o.name, o.short_name, o.code, o.type, o.domain, o.founded_on, o.address, o.contact,
	               zb_now(r->app), o.id);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "code", "组织编码 %s 已被使用", o.code ? o.code : "");
	if (!rc)
		rc = zb_org_after_update(r->db, o.id, old_type, old_domain, e); /* roll-ups, warnings */
	if (!rc)
		rc = zb_req_audit(r, "org.update", "org", o.id, o.path, NULL, e);
	if ((rc = zb_req_end_tx(r, rc, e)))
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
	{"committee", 'a', 0, &zb_shape_post, "在任班子成员"},
	{"term", 'o', ZB_NULL, &zb_shape_current_term, "本届任期（未登记为 null）"},
	{0},
};
const zb_shape zb_shape_org_detail = {"OrgDetail", org_detail_props, 0, 0, "组织详情"};

const zb_route zb_routes_orgs[] = {
	{"GET", "/api/v1/orgs", h_roots, P_ORG_READ, S_NONE, 0, 0, NULL, "orgs", "可见的顶层组织", NULL, ZB_OK(&org_list)},
	{"POST", "/api/v1/orgs", h_create, P_ORG_WRITE, S_BODY_ORG, R_WRITE | R_JSON, 8192, org_fields, "orgs", "新建下级组织", NULL, ZB_CREATED(&org_item)},
	{"GET", "/api/v1/orgs/search", h_search, P_ORG_READ, S_NONE, 0, 0, NULL, "orgs", "按名称或编码查找组织", "q:string:名称的任意部分或编码,under:integer:只在该组织之下查找,limit:integer", ZB_OK(&org_found_list)},
	{"GET", "/api/v1/orgs/{id}", h_get, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "组织详情", NULL, ZB_OK(&zb_shape_org_detail)},
	{"PATCH", "/api/v1/orgs/{id}", h_patch, P_ORG_WRITE, S_ORG, R_WRITE | R_JSON, 8192, org_patch_fields, "orgs", "修改组织", NULL, ZB_OK(&zb_shape_org_detail)},
	{"GET", "/api/v1/orgs/{id}/children", h_children, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "下级组织", NULL, ZB_OK(&org_list)},
	{0},
};
