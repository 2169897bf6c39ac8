/* api_units.c - economic and social units and their coverage (覆盖), and
 * 党建联合体 (alliances of several orgs). */
#include "api/api.h"
#include "core/escape.h"
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
	char upper[600];
	zb_path_upper(r->target_path, upper, sizeof upper);
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT " ZB_UNIT_COLS ZB_UNIT_FROM " WHERE u.org_path >= ? AND u.org_path < ? AND u.id > ? "
	                          "AND (CAST(? AS TEXT) IS NULL OR u.kind = ?) AND (CAST(? AS TEXT) IS NULL OR u.coverage = ?) "
	                          "ORDER BY u.id LIMIT ?",
	                          "ssissssi", r->target_path, upper, after, k, k, c, c, limit + 1);
	if (!st)
		return e->code;
	int rc;
	int64_t n = 0, last = 0;
	zb_list_begin(r);
	while ((rc = zb_stmt_step(st, e)) == 1 && n < limit) {
		zb_unit u;
		zb_unit_read(st, &r->arena, &u);
		write_unit(&r->jw, &u);
		last = u.id;
		n++;
	}
	int more = rc == 1;
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_end(r, -1, more ? zb_arena_printf(&r->arena, "%lld", (long long)last) : NULL);
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

static const char *unit_detail(zb_req *r, const zb_unit *u)
{
	zb_buf b;
	zb_buf_init(&b, 8192);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "name", u->name);
	jw_kstr(&w, "kind", u->kind);
	jw_kstr(&w, "coverage", u->coverage);
	jw_kint(&w, "covering_org_id", u->covering_org_id);
	jw_kint(&w, "org_id", u->org_id);
	jw_kint(&w, "full_members", u->full_members);
	jw_obj_end(&w);
	const char *s = jw_finish(&w) ? NULL : zb_arena_strdup(&r->arena, b.data);
	zb_buf_release(&b);
	return s;
}

static int h_unit_create(zb_req *r, zb_err *e)
{
	zb_unit u = {.coverage = "none"};
	int rc = read_unit(r, &u, e);
	if (rc)
		return rc;
	u.org_id = r->target_id;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t id = 0;
	rc = zb_unit_insert(r->db, &u, zb_now(r->app), &id, e);
	if (!rc)
		rc = zb_req_audit(r, "unit.create", "unit", id, r->target_path, unit_detail(r, &u), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
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
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_unit_update(r->db, r->target_id, &u, zb_now(r->app), e);
	if (!rc)
		rc = zb_req_audit(r, "unit.update", "unit", r->target_id, r->target_path, unit_detail(r, &u), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	return h_unit_get(r, e);
}

/* ---- alliances ---- */

static int write_alliance(zb_req *r, int64_t id, zb_err *e)
{
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT a.id, a.name, a.org_id, o.name, a.theme, a.founded_on FROM alliances a "
	                          "JOIN orgs o ON o.id = a.org_id WHERE a.id = ?",
	                          "i", id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", zb_col_int(st, 0));
		jw_kstr(&r->jw, "name", zb_col_text(st, 1));
		jw_kint(&r->jw, "org_id", zb_col_int(st, 2));
		jw_kstr(&r->jw, "org_name", zb_col_text(st, 3));
		jw_kstr(&r->jw, "theme", zb_col_text(st, 4));
		jw_kstr(&r->jw, "founded_on", zb_col_text(st, 5));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!rc)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该联合体");
	st = zb_db_query(r->db, e,
	                 "SELECT m.org_id, o.name, o.type, m.role, m.joined_on FROM alliance_members m "
	                 "JOIN orgs o ON o.id = m.org_id WHERE m.alliance_id = ? ORDER BY m.joined_on, m.org_id",
	                 "i", id);
	if (!st)
		return e->code;
	jw_karr(&r->jw, "members");
	while ((rc = zb_stmt_step(st, e)) == 1) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", zb_col_int(st, 0));
		jw_kstr(&r->jw, "org_name", zb_col_text(st, 1));
		jw_kstr(&r->jw, "type_name", zb_org_type_name(zb_col_text(st, 2)));
		jw_kstr(&r->jw, "role", zb_col_text(st, 3));
		jw_kstr(&r->jw, "joined_on", zb_col_text(st, 4));
		jw_obj_end(&r->jw);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_alliances_list(zb_req *r, zb_err *e)
{
	const char **roots;
	int n = zb_authz_roots(r->who, P_ORG_READ, &r->arena, &roots);
	zb_list_begin(r);
	int64_t total = 0;
	for (int i = 0; i < n; i++) {
		char upper[600];
		zb_path_upper(roots[i], upper, sizeof upper);
		zb_stmt *st = zb_db_query(r->db, e,
		                          "SELECT a.id, a.name, a.org_id, o.name, a.theme, a.founded_on, "
		                          "(SELECT COUNT(*) FROM alliance_members m WHERE m.alliance_id = a.id) "
		                          "FROM alliances a JOIN orgs o ON o.id = a.org_id "
		                          "WHERE a.org_path >= ? AND a.org_path < ? ORDER BY a.id LIMIT 1000",
		                          "ss", roots[i], upper);
		if (!st)
			return e->code;
		int rc;
		while ((rc = zb_stmt_step(st, e)) == 1) {
			jw_obj(&r->jw);
			jw_kint(&r->jw, "id", zb_col_int(st, 0));
			jw_kstr(&r->jw, "name", zb_col_text(st, 1));
			jw_kint(&r->jw, "org_id", zb_col_int(st, 2));
			jw_kstr(&r->jw, "org_name", zb_col_text(st, 3));
			jw_kstr(&r->jw, "theme", zb_col_text(st, 4));
			jw_kstr(&r->jw, "founded_on", zb_col_text(st, 5));
			jw_kint(&r->jw, "member_count", zb_col_int(st, 6));
			jw_obj_end(&r->jw);
			total++;
		}
		zb_stmt_done(st);
		if (rc < 0)
			return -rc;
	}
	zb_list_end(r, total, NULL);
	return 0;
}

/* Add org_id to an alliance: an org the caller can see, not dissolved. */
static int add_member(zb_req *r, int64_t alliance, int64_t org_id, const char *role, const char *joined, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(r->db, org_id, &r->arena, &o, e);
	if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(r->who, P_ORG_READ, o.path)))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到组织 %lld，或不在您的管理范围内", (long long)org_id);
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "“%s”已撤销", o.name);
	int64_t have = 0;
	if ((rc = zb_db_int(r->db, e, &have, "SELECT COUNT(*) FROM alliance_members WHERE alliance_id = ? AND org_id = ?",
	                    "ii", alliance, org_id)))
		return rc;
	if (have)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "“%s”已是该联合体成员", o.name);
	return zb_db_run(r->db, e, NULL, "INSERT INTO alliance_members (alliance_id, org_id, role, joined_on) VALUES (?,?,?,?)",
	                 "iiss", alliance, org_id, role, joined);
}

static int h_alliance_create(zb_req *r, zb_err *e)
{
	const char *name = zb_body_str(r, "name");
	json_t *mids = json_object_get(r->json, "member_org_ids");
	if (!name || !*name)
		return zb_fail(e, ZB_EINVAL, "name", "联合体名称不能为空");
	if (mids && json_array_size(mids) > 200)
		return zb_fail(e, ZB_EINVAL, "member_org_ids", "成员单位最多 200 个");
	size_t i;
	json_t *v;
	json_array_foreach(mids, i, v)
	{
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return zb_fail(e, ZB_EINVAL, "member_org_ids", "member_org_ids 应为组织编号的数组");
	}
	int rc = zb_db_begin_write(r->db, e);
	if (rc)
		return rc;
	int64_t id = 0, now = zb_now(r->app);
	rc = zb_db_int(r->db, e, &id,
	               "INSERT INTO alliances (name, org_id, org_path, theme, founded_on, created_at, updated_at) "
	               "VALUES (?,?,?,?,?,?,?) RETURNING id",
	               "sisssii", name, r->target_id, r->target_path, zb_body_str(r, "theme"), zb_body_str(r, "founded_on"),
	               now, now);
	/* the lead org is the first member */
	if (!rc)
		rc = add_member(r, id, r->target_id, "牵头单位", zb_body_str(r, "founded_on"), e);
	json_array_foreach(mids, i, v)
	{
		if (rc || json_integer_value(v) == r->target_id)
			continue;
		rc = add_member(r, id, json_integer_value(v), "成员单位", zb_body_str(r, "founded_on"), e);
		if (rc)
			snprintf(e->field, sizeof e->field, "member_org_ids");
	}
	if (!rc)
		rc = zb_req_audit(r, "alliance.create", "alliance", id, r->target_path, NULL, e);
	if ((rc = zb_req_end_tx(r, rc, e)))
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
	const char *joined = zb_body_str(r, "joined_on");
	int rc = zb_db_begin_write(r->db, e);
	if (rc)
		return rc;
	rc = add_member(r, r->target_id, org, zb_body_str(r, "role") ? zb_body_str(r, "role") : "成员单位",
	                joined ? joined : today, e);
	if (!rc)
		rc = zb_req_audit(r, "alliance.member_add", "alliance", r->target_id, r->target_path,
		                  zb_arena_printf(&r->arena, "{\"org_id\":%lld}", (long long)org), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	return write_alliance(r, r->target_id, e);
}

static int h_alliance_member_remove(zb_req *r, zb_err *e)
{
	int64_t org = 0;
	if (zb_req_param_id(r, 1, &org, e))
		return e->code;
	int rc = zb_db_begin_write(r->db, e);
	if (rc)
		return rc;
	int64_t changes = 0;
	rc = zb_db_run(r->db, e, &changes, "DELETE FROM alliance_members WHERE alliance_id = ? AND org_id = ?", "ii",
	               r->target_id, org);
	if (!rc && !changes)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "该组织不是联合体成员");
	if (!rc)
		rc = zb_req_audit(r, "alliance.member_remove", "alliance", r->target_id, r->target_path,
		                  zb_arena_printf(&r->arena, "{\"org_id\":%lld}", (long long)org), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	return write_alliance(r, r->target_id, e);
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
	{"GET", "/api/v1/units", h_units_list, P_ORG_READ, S_QUERY_ORG, 0, 0, NULL, "coverage", "下辖经济和社会单位", "org:integer,kind:string,coverage:string,after:integer,limit:integer", ZB_OK(&unit_list)},
	{"POST", "/api/v1/units", h_unit_create, P_ORG_WRITE, S_BODY_ORG, R_WRITE | R_JSON, 8192, unit_fields, "coverage", "登记单位及其党组织覆盖方式", NULL, ZB_CREATED(&unit_shape)},
	{"GET", "/api/v1/units/{id}", h_unit_get, P_ORG_READ, S_UNIT, 0, 0, NULL, "coverage", "单位详情", NULL, ZB_OK(&unit_shape)},
	{"PATCH", "/api/v1/units/{id}", h_unit_patch, P_ORG_WRITE, S_UNIT, R_WRITE | R_JSON, 8192, unit_patch_fields, "coverage", "修改单位", NULL, ZB_OK(&unit_shape)},
	{"GET", "/api/v1/alliances", h_alliances_list, P_ORG_READ, S_NONE, 0, 0, NULL, "coverage", "党建联合体", NULL, ZB_OK(&alliance_list)},
	{"POST", "/api/v1/alliances", h_alliance_create, P_ORG_WRITE, S_BODY_ORG, R_WRITE | R_JSON, 16384, alliance_fields, "coverage", "新建党建联合体", NULL, ZB_CREATED(&alliance_shape)},
	{"GET", "/api/v1/alliances/{id}", h_alliance_get, P_ORG_READ, S_ALLIANCE, 0, 0, NULL, "coverage", "联合体详情", NULL, ZB_OK(&alliance_shape)},
	{"POST", "/api/v1/alliances/{id}/members", h_alliance_member_add, P_ORG_WRITE, S_ALLIANCE, R_WRITE | R_JSON, 1024, alliance_member_fields, "coverage", "联合体加入成员", NULL, ZB_OK(&alliance_shape)},
	{"DELETE", "/api/v1/alliances/{id}/members/{org_id}", h_alliance_member_remove, P_ORG_WRITE, S_ALLIANCE, R_WRITE, 0, NULL, "coverage", "联合体移除成员", NULL, ZB_OK(&alliance_shape)},
	{0},
};
