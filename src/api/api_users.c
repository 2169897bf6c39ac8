/* api_users.c - accounts, role grants, API tokens (三员分立: accounts are
 * managed with user.manage, roles are granted only with role.grant). */
#include "api/api.h"
#include "auth/auth.h"
#include "member/member.h"

#include <string.h>

static int username_ok(const char *u)
{
	size_t n = strlen(u);
	if (n < 2 || n > 32)
		return 0;
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return 0;
	return 1;
}

/* 1 for a path of a tree root ("/1/") */
static int is_top(const char *path)
{
	return strchr(path + 1, '/') == path + strlen(path) - 1;
}

/* Users visible to the caller: those with a grant inside one of the
 * caller's user.manage subtrees (and, for root-level managers, users with
 * no grant yet). */
static int h_users_list(zb_req *r, zb_err *e)
{
	const char **roots;
	int n = zb_authz_roots(r->who, P_USER_MANAGE, &r->arena, &roots);
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_list_begin(r);
	int64_t count = 0, last = 0;
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT u.id, u.username, u.display_name, u.member_id, u.disabled, u.locked_until, "
	                          "u.last_login_at, (SELECT MIN(o.path) FROM grants g JOIN orgs o ON o.id = g.org_id "
	                          "WHERE g.user_id = u.id) FROM users u WHERE u.id > ? ORDER BY u.id",
	                          "i", after);
	if (!st)
		return e->code;
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1 && count < limit) {
		const char *path = zb_col_text(st, 7);
		int ok = 0;
		for (int i = 0; i < n && !ok; i++)
			ok = path ? zb_path_within(path, roots[i]) : is_top(roots[i]);
		if (!ok)
			continue;
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", zb_col_int(st, 0));
		jw_kstr(&r->jw, "username", zb_col_text(st, 1));
		jw_kstr(&r->jw, "display_name", zb_col_text(st, 2));
		if (zb_col_is_null(st, 3))
			jw_knull(&r->jw, "member_id");
		else
			jw_kint(&r->jw, "member_id", zb_col_int(st, 3));
		jw_kbool(&r->jw, "disabled", (int)zb_col_int(st, 4));
		jw_kbool(&r->jw, "locked", zb_col_int(st, 5) > zb_now(r->app));
		if (zb_col_is_null(st, 6))
			jw_knull(&r->jw, "last_login_at");
		else
			jw_kint(&r->jw, "last_login_at", zb_col_int(st, 6));
		jw_obj_end(&r->jw);
		last = zb_col_int(st, 0);
		count++;
	}
	int more = rc == 1;
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_end(r, -1, more ? zb_arena_printf(&r->arena, "%lld", (long long)last) : NULL);
	return 0;
}

static int h_users_create(zb_req *r, zb_err *e)
{
	const char *u = zb_body_str(r, "username"), *pw = zb_body_str(r, "password");
	const char *dn = zb_body_str(r, "display_name");
	int64_t member_id = 0;
	zb_body_int(r, "member_id", &member_id);
	if (!username_ok(u))
		return zb_fail(e, ZB_EINVAL, "username", "用户名应为 2–32 位字母、数字、下划线、点或短横线");
	int rc = zb_name_check(dn, "display_name", "显示名称", e);
	if (rc)
		return rc;
	rc = zb_password_policy(u, pw, e);
	if (rc)
		return rc;
	char hash[256];
	if ((rc = zb_password_hash(r->app, pw, hash, sizeof hash, e)))
		return rc;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t id = 0, now = zb_now(r->app);
	rc = zb_db_int(r->db, e, &id,
	               "INSERT INTO users (username, display_name, pw_hash, member_id, created_at, updated_at) "
	               "VALUES (?,?,?,?,?,?) RETURNING id",
	               "sssnii", u, dn ? dn : u, hash, now, now);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "username", "用户名 %s 已被使用", u);
	if (!rc && member_id)
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET member_id = ? WHERE id = ?", "ii", member_id, id);
	if (!rc)
		rc = zb_req_audit(r, "user.create", "user", id, NULL,
		                  zb_arena_printf(&r->arena, "{\"username\":\"%s\"}", u), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "username", u);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_users_patch(zb_req *r, zb_err *e)
{
	int64_t id = r->target_id;
	int rc;
	char hash[256] = "";
	const char *pw = zb_body_str(r, "password");
	if ((rc = zb_name_check(zb_body_str(r, "display_name"), "display_name", "显示名称", e)))
		return rc;
	if (pw) {
		char uname[64] = "";
		zb_stmt *st = zb_db_query(r->db, e, "SELECT username FROM users WHERE id = ?", "i", id);
		if (!st)
			return e->code;
		if (zb_stmt_step(st, e) == 1)
			snprintf(uname, sizeof uname, "%s", zb_col_text(st, 0));
		zb_stmt_done(st);
		if ((rc = zb_password_policy(uname, pw, e)) || (rc = zb_password_hash(r->app, pw, hash, sizeof hash, e)))
			return rc;
	}
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t now = zb_now(r->app);
	if (zb_body_has(r, "display_name"))
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?", "sii",
		               zb_body_str(r, "display_name"), now, id);
	if (!rc && zb_body_has(r, "disabled")) {
		int dis = json_is_true(json_object_get(r->json, "disabled"));
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", "iii",
		               (int64_t)dis, now, id);
		if (!rc && dis)
			rc = zb_db_run(r->db, e, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	}
	if (!rc && zb_body_has(r, "unlock"))
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET locked_until = 0, failed_count = 0 WHERE id = ?", "i", id);
	if (!rc && pw) {
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET pw_hash = ?, updated_at = ? WHERE id = ?", "sii", hash, now, id);
		if (!rc)
			rc = zb_db_run(r->db, e, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	}
	if (!rc)
		rc = zb_req_audit(r, "user.update", "user", id, r->target_path,
		                  pw ? "{\"password\":\"***\"}" : NULL, e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	zb_req_ok(r);
	return 0;
}

static int h_grant(zb_req *r, zb_err *e)
{
	int64_t uid, org = r->target_id;
	if (zb_req_param_id(r, 0, &uid, e))
		return e->code;
	const char *role = zb_body_str(r, "role");
	int64_t exists = 0;
	int rc = zb_db_int(r->db, e, &exists, "SELECT COUNT(*) FROM roles WHERE id = ?", "s", role);
	if (rc)
		return rc;
	if (!exists)
		return zb_fail(e, ZB_EINVAL, "role", "没有这个角色：%s", role);
	if ((rc = zb_db_int(r->db, e, &exists, "SELECT COUNT(*) FROM users WHERE id = ?", "i", uid)))
		return rc;
	if (!exists)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个账号");
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t gid = 0;
	rc = zb_db_int(r->db, e, &gid,
	               "INSERT INTO grants (user_id, role_id, org_id, created_at, created_by) VALUES (?,?,?,?,?) RETURNING id",
	               "isiii", uid, role, org, zb_now(r->app), r->who->user_id);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "role", "该账号在此组织已有这个角色");
	if (!rc)
		rc = zb_req_audit(r, "grant.create", "user", uid, r->target_path,
		                  zb_arena_printf(&r->arena, "{\"role\":\"%s\",\"org_id\":%lld}", role, (long long)org), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", gid);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_revoke(zb_req *r, zb_err *e)
{
	int rc = zb_db_begin_write(r->db, e);
	if (rc)
		return rc;
	rc = zb_db_run(r->db, e, NULL, "DELETE FROM grants WHERE id = ?", "i", r->target_id);
	if (!rc)
		rc = zb_req_audit(r, "grant.delete", "grant", r->target_id, r->target_path, NULL, e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	zb_req_ok(r);
	return 0;
}

static int h_roles(zb_req *r, zb_err *e)
{
	zb_stmt *st = zb_db_query(r->db, e, "SELECT id, name, perms FROM roles ORDER BY builtin DESC, id", "");
	if (!st)
		return e->code;
	zb_list_begin(r);
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		jw_obj(&r->jw);
		jw_kstr(&r->jw, "id", zb_col_text(st, 0));
		jw_kstr(&r->jw, "name", zb_col_text(st, 1));
		jw_kstr(&r->jw, "perms", zb_col_text(st, 2));
		jw_obj_end(&r->jw);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_end(r, -1, NULL);
	return 0;
}

static const zb_field user_fields[] = {
	{"username", 's', 1, 32, "用户名"},
	{"display_name", 's', 0, 64, "姓名"},
	{"password", 's', 1, 256, "初始密码"},
	{"member_id", 'i', 0, 0, "关联的党员编号"},
	{0},
};
static const zb_field user_patch_fields[] = {
	{"display_name", 's', 0, 64, "姓名"},
	{"disabled", 'b', 0, 0, "停用"},
	{"unlock", 'b', 0, 0, "解除锁定"},
	{"password", 's', 0, 256, "重置密码"},
	{0},
};
static const zb_field grant_fields[] = {
	{"role", 's', 1, 32, "角色：org_admin, party_worker, member, sys_admin, sec_admin, audit_admin"},
	{"org_id", 'i', 1, 0, "授权所在组织（对其下级全部有效）"},
	{0},
};

const zb_route zb_routes_users[] = {
	{"GET", "/api/v1/users", h_users_list, P_USER_MANAGE, S_NONE, 0, 0, NULL, "users", "账号列表", "after:integer,limit:integer"},
	{"POST", "/api/v1/users", h_users_create, P_USER_MANAGE, S_NONE, R_WRITE | R_JSON, 4096, user_fields, "users", "新建账号", NULL},
	{"PATCH", "/api/v1/users/{id}", h_users_patch, P_USER_MANAGE, S_USER, R_WRITE | R_JSON, 4096, user_patch_fields, "users", "修改账号（停用、解锁、重置密码）", NULL},
	{"POST", "/api/v1/users/{id}/grants", h_grant, P_ROLE_GRANT, S_BODY_ORG, R_WRITE | R_JSON, 4096, grant_fields, "users", "授予角色", NULL},
	{"DELETE", "/api/v1/grants/{id}", h_revoke, P_ROLE_GRANT, S_GRANT, R_WRITE, 0, NULL, "users", "撤销授权", NULL},
	{"GET", "/api/v1/roles", h_roles, 0, S_NONE, 0, 0, NULL, "users", "角色列表", NULL},
	{0},
};
