/* api_users.c - accounts, role grants and the requests that wait for a
 * second administrator (三员分立: accounts are managed with user.manage,
 * roles are granted only with role.grant; the rules on whose account may
 * be touched live in auth/accounts.c, shared with the CLI). */
#include "api/api.h"
#include "auth/auth.h"
#include "core/escape.h"
#include "member/member.h"

#include <string.h>

#define APPROVAL_DAYS 7

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
	                          "WHERE g.user_id = u.id), u.must_change_pw FROM users u WHERE u.id > ? ORDER BY u.id",
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
		jw_kbool(&r->jw, "must_change_password", (int)zb_col_int(st, 8));
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

/* 202 {"pending":true,"approval_id":N}: waits for a second administrator */
static void write_pending(zb_req *r, int64_t id)
{
	r->status = 202;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_kbool(&r->jw, "pending", 1);
	jw_kint(&r->jw, "approval_id", id);
	jw_kstr(&r->jw, "message", "已提交，需另一名管理员在“待复核”中确认后生效");
	jw_obj_end(&r->jw);
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
	if (member_id) {
		/* the member must lie where the caller both manages accounts and
		 * reads members (a sys_admin sees no member, so links none): 404
		 * otherwise, like any object outside the caller's scope */
		char *mpath = NULL;
		zb_stmt *st = zb_db_query(r->db, e, "SELECT org_path FROM members WHERE id = ?", "i", member_id);
		if (!st)
			return e->code;
		if ((rc = zb_stmt_step(st, e)) == 1)
			mpath = zb_arena_strdup(&r->arena, zb_col_text(st, 0));
		zb_stmt_done(st);
		if (rc < 0)
			return -rc;
		if (!mpath || !zb_authz_allows(r->who, P_USER_MANAGE | P_MEMBER_READ, mpath))
			return zb_fail(e, ZB_ENOTFOUND, "member_id", "未找到该党员，或不在您的管理范围内");
	}
	if ((rc = zb_password_policy(u, pw, e)))
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
	               "sssIii", u, dn ? dn : u, hash, member_id, now, now);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "username", "用户名 %s 已被使用", u);
	/* a password someone else chose: changed at the first login */
	if (!rc)
		rc = zb_password_store(r->app, r->db, id, hash, 1, NULL, e);
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

static int user_name(zb_req *r, int64_t id, char *out, size_t n, zb_err *e)
{
	out[0] = '\0';
	zb_stmt *st = zb_db_query(r->db, e, "SELECT username FROM users WHERE id = ?", "i", id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		snprintf(out, n, "%s", zb_col_text(st, 0));
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return rc == 1 ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个账号");
}

static int h_users_patch(zb_req *r, zb_err *e)
{
	int64_t id = r->target_id;
	int rc;
	char hash[256] = "", uname[64];
	const char *pw = zb_body_str(r, "password");
	if ((rc = zb_name_check(zb_body_str(r, "display_name"), "display_name", "显示名称", e)))
		return rc;
	int dis = zb_body_has(r, "disabled") && json_is_true(json_object_get(r->json, "disabled"));
	if ((rc = user_name(r, id, uname, sizeof uname, e)))
		return rc;
	int privileged = 0, dual = 0;
	if (pw || zb_body_has(r, "disabled") || zb_body_has(r, "unlock") || zb_body_has(r, "display_name")) {
		/* nobody resets, disables, unlocks or renames their own account,
		 * nor one holding (or waiting for) a role they do not hold */
		if ((rc = zb_account_guard(r->db, r->who, id, &privileged, e)))
			return rc;
	}
	if (pw) {
		if ((rc = zb_password_policy(uname, pw, e)) || (rc = zb_password_hash(r->app, pw, hash, sizeof hash, e)))
			return rc;
		if ((rc = zb_dual_control(r->db, &dual, e)))
			return rc;
	}
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t now = zb_now(r->app), pending = 0;
	if (zb_body_has(r, "display_name"))
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?", "sii",
		               zb_body_str(r, "display_name"), now, id);
	if (!rc && zb_body_has(r, "disabled")) {
		rc = zb_db_run(r->db, e, NULL, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", "iii",
		               (int64_t)dis, now, id);
		if (!rc && dis)
			rc = zb_db_run(r->db, e, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	}
	if (!rc && zb_body_has(r, "unlock") && json_is_true(json_object_get(r->json, "unlock")))
		rc = zb_login_clear(r->db, uname, e);
	if (!rc && pw && privileged && dual) {
		rc = zb_db_int(r->db, e, &pending,
		               "INSERT INTO pending_actions (kind, user_id, org_path, pw_hash, requested_by, requested_at) "
		               "VALUES ('password_reset',?,?,?,?,?) RETURNING id",
		               "issii", id, r->target_path, hash, r->who->user_id, now);
		if (!rc)
			rc = zb_req_audit(r, "user.password_reset_request", "user", id, r->target_path,
			                  zb_arena_printf(&r->arena, "{\"approval_id\":%lld}", (long long)pending), e);
	} else if (!rc && pw) {
		/* the reset password must be changed at the next login; sessions
		 * and API tokens of the account end */
		rc = zb_password_store(r->app, r->db, id, hash, 1, NULL, e);
		if (!rc)
			rc = zb_req_audit(r, "user.password_reset", "user", id, r->target_path, NULL, e);
	}
	if (!rc && (zb_body_has(r, "display_name") || zb_body_has(r, "disabled") || zb_body_has(r, "unlock")))
		rc = zb_req_audit(r, "user.update", "user", id, r->target_path,
		                  zb_body_has(r, "disabled") ? (dis ? "{\"disabled\":true}" : "{\"disabled\":false}") : NULL, e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	if (pending)
		write_pending(r, pending);
	else
		zb_req_ok(r);
	return 0;
}

/* The checks of a grant of role at org (path) to uid by who, made when it
 * is asked for and again when a second administrator confirms it. */
static int grant_checks(zb_req *r, const zb_principal *who, int64_t uid, const char *role, int64_t org,
                        int64_t requested_at, unsigned *perms, zb_err *e)
{
	if (who->user_id == uid)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "不能给自己授予角色");
	/* administrators are set up only by the operator on the server */
	if (role && zb_role_is_admin(role))
		return zb_fail(e, ZB_EFORBIDDEN, "role",
		               "管理员角色不能通过接口授予（由服务器上的运维人员用 zhibu user grant 办理）");
	zb_stmt *st = zb_db_query(r->db, e, "SELECT perms FROM roles WHERE id = ?", "s", role);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		*perms = zb_perms_parse(zb_col_text(st, 0));
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (rc == 0)
		return zb_fail(e, ZB_EINVAL, "role", "没有这个角色：%s", role);
	int64_t n = 0, must_change = 0, changed_at = 0;
	if (!(st = zb_db_query(r->db, e, "SELECT must_change_pw, pw_changed_at FROM users WHERE id = ?", "i", uid)))
		return e->code;
	if ((rc = zb_stmt_step(st, e)) == 1) {
		must_change = zb_col_int(st, 0);
		changed_at = zb_col_int(st, 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (rc == 0)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个账号");
	/* a privileged grant goes to the owner of the account, not to whoever
	 * chose its password: not while the password is one an administrator
	 * set (initial or reset) and its owner has not yet changed, nor when it
	 * changed after the request was made */
	if (zb_role_is_privileged(role, *perms)) {
		if (must_change)
			return zb_fail(e, ZB_ECONFLICT, "role",
			               "该账号的密码由管理员设置，本人尚未修改；须本人登录并修改密码后，才能授予特权角色");
		if (requested_at && changed_at > requested_at)
			return zb_fail(e, ZB_ECONFLICT, NULL, "该账号的密码在申请提出后已更改，此申请不能确认，请重新提出");
	}
	int holds_admin = 0;
	rc = zb_grant_class_check(r->db, uid, role, &holds_admin, e);
	if (holds_admin)
		return zb_fail(e, ZB_EFORBIDDEN, NULL,
		               "该账号持有管理员角色，不能再通过接口给它授权（由服务器上的运维人员用 zhibu user grant 办理）");
	if (rc)
		return rc;
	if (!strcmp(role, "member") && (rc = zb_member_grant_check(r->db, who, uid, org, e)))
		return rc;
	if ((rc = zb_db_int(r->db, e, &n, "SELECT COUNT(*) FROM grants WHERE user_id = ? AND role_id = ? AND org_id = ?",
	                    "isi", uid, role, org)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "role", "该账号在此组织已有这个角色");
	return 0;
}

static int insert_grant(zb_req *r, int64_t uid, const char *role, int64_t org, const char *path, int64_t by,
                        const char *extra, int64_t *gid, zb_err *e)
{
	int rc = zb_db_int(r->db, e, gid,
	                   "INSERT INTO grants (user_id, role_id, org_id, created_at, created_by) VALUES (?,?,?,?,?) RETURNING id",
	                   "isiii", uid, role, org, zb_now(r->app), by);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "role", "该账号在此组织已有这个角色");
	if (!rc)
		rc = zb_req_audit(r, "grant.create", "user", uid, path,
		                  zb_arena_printf(&r->arena, "{\"role\":\"%s\",\"org_id\":%lld%s}", role, (long long)org,
		                                  extra ? extra : ""),
		                  e);
	return rc;
}

static int h_grant(zb_req *r, zb_err *e)
{
	int64_t uid, org = r->target_id;
	if (zb_req_param_id(r, 0, &uid, e))
		return e->code;
	const char *role = zb_body_str(r, "role");
	unsigned perms = 0;
	int dual = 0;
	int rc = grant_checks(r, r->who, uid, role, org, 0, &perms, e);
	if (!rc)
		rc = zb_dual_control(r->db, &dual, e);
	if (rc)
		return rc;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t gid = 0, pending = 0;
	if (dual && zb_role_is_privileged(role, perms)) {
		rc = zb_db_int(r->db, e, &pending,
		               "INSERT INTO pending_actions (kind, user_id, role_id, org_id, org_path, requested_by, requested_at) "
		               "VALUES ('grant',?,?,?,?,?,?) RETURNING id",
		               "isisii", uid, role, org, r->target_path, r->who->user_id, zb_now(r->app));
		if (!rc)
			rc = zb_req_audit(r, "grant.request", "user", uid, r->target_path,
			                  zb_arena_printf(&r->arena, "{\"role\":\"%s\",\"org_id\":%lld,\"approval_id\":%lld}", role,
			                                  (long long)org, (long long)pending),
			                  e);
	} else {
		rc = insert_grant(r, uid, role, org, r->target_path, r->who->user_id, NULL, &gid, e);
	}
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	if (pending) {
		write_pending(r, pending);
		return 0;
	}
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", gid);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_revoke(zb_req *r, zb_err *e)
{
	char role[40] = "";
	int64_t uid = 0;
	zb_stmt *st = zb_db_query(r->db, e, "SELECT role_id, user_id FROM grants WHERE id = ?", "i", r->target_id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1) {
		snprintf(role, sizeof role, "%s", zb_col_text(st, 0));
		uid = zb_col_int(st, 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	/* administrators are set up and removed only by the operator on the
	 * server: one administrator cannot remove another (the auditor, the
	 * second approver) through the API */
	if (zb_role_is_admin(role))
		return zb_fail(e, ZB_EFORBIDDEN, NULL,
		               "管理员角色不能通过接口撤销（由服务器上的运维人员用 zhibu user revoke 办理）");
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_db_run(r->db, e, NULL, "DELETE FROM grants WHERE id = ?", "i", r->target_id);
	if (!rc)
		rc = zb_req_audit(r, "grant.delete", "grant", r->target_id, r->target_path,
		                  zb_arena_printf(&r->arena, "{\"role\":\"%s\",\"user_id\":%lld}", role, (long long)uid), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	zb_req_ok(r);
	return 0;
}

static int h_roles(zb_req *r, zb_err *e)
{
	if (r->who->must_change_pw)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "请先修改密码");
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

/* ---- requests waiting for a second administrator ---- */

typedef struct approval {
	int64_t id, user_id, org_id, requested_by, requested_at;
	const char *kind, *role, *org_path, *pw_hash, *status, *username, *requester;
} approval;

#define APPROVAL_COLS                                                                                                  \
	"SELECT p.id, p.kind, p.user_id, p.role_id, p.org_id, p.org_path, p.pw_hash, p.requested_by, p.requested_at, "  \
	"p.status, u.username, q.username FROM pending_actions p JOIN users u ON u.id = p.user_id "                     \
	"JOIN users q ON q.id = p.requested_by "

static void approval_read(zb_req *r, zb_stmt *st, approval *a)
{
	a->id = zb_col_int(st, 0);
	a->kind = zb_arena_strdup(&r->arena, zb_col_text(st, 1));
	a->user_id = zb_col_int(st, 2);
	a->role = zb_col_text(st, 3) ? zb_arena_strdup(&r->arena, zb_col_text(st, 3)) : NULL;
	a->org_id = zb_col_int(st, 4);
	a->org_path = zb_arena_strdup(&r->arena, zb_col_text(st, 5));
	a->pw_hash = zb_col_text(st, 6) ? zb_arena_strdup(&r->arena, zb_col_text(st, 6)) : NULL;
	a->requested_by = zb_col_int(st, 7);
	a->requested_at = zb_col_int(st, 8);
	a->status = zb_arena_strdup(&r->arena, zb_col_text(st, 9));
	a->username = zb_arena_strdup(&r->arena, zb_col_text(st, 10));
	a->requester = zb_arena_strdup(&r->arena, zb_col_text(st, 11));
}

/* The power a request needs: role.grant at the org of a grant, user.manage
 * over the account of a reset. */
static unsigned approval_perm(const approval *a)
{
	return !strcmp(a->kind, "grant") ? P_ROLE_GRANT : P_USER_MANAGE;
}

/* 1 if the caller may see the request: they asked for it, or hold its power */
static int approval_visible(const zb_req *r, const approval *a)
{
	return a->requested_by == r->who->user_id || zb_authz_allows(r->who, approval_perm(a), a->org_path);
}

static void approval_write(zb_req *r, const approval *a)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "kind", a->kind);
	jw_kint(w, "user_id", a->user_id);
	jw_kstr(w, "username", a->username);
	if (a->role)
		jw_kstr(w, "role", a->role);
	if (a->org_id)
		jw_kint(w, "org_id", a->org_id);
	jw_kint(w, "requested_by", a->requested_by);
	jw_kstr(w, "requested_by_name", a->requester);
	jw_kint(w, "requested_at", a->requested_at);
	jw_kstr(w, "status", a->status);
	jw_kbool(w, "mine", a->requested_by == r->who->user_id);
	jw_obj_end(w);
}

static int h_approvals(zb_req *r, zb_err *e)
{
	int dual = 1;
	int rc = zb_dual_control(r->db, &dual, e);
	if (rc)
		return rc;
	zb_stmt *st = zb_db_query(r->db, e, APPROVAL_COLS "WHERE p.status = 'pending' AND p.requested_at > ? ORDER BY p.id LIMIT 500",
	                          "i", zb_now(r->app) - APPROVAL_DAYS * 86400);
	if (!st)
		return e->code;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "dual_control", dual);
	jw_karr(&r->jw, "items");
	while ((rc = zb_stmt_step(st, e)) == 1) {
		approval a;
		approval_read(r, st, &a);
		if (approval_visible(r, &a))
			approval_write(r, &a);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int approval_load(zb_req *r, approval *a, zb_err *e)
{
	int64_t id;
	if (zb_req_param_id(r, 0, &id, e))
		return e->code;
	zb_stmt *st = zb_db_query(r->db, e, APPROVAL_COLS "WHERE p.id = ?", "i", id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		approval_read(r, st, a);
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (rc == 0 || !approval_visible(r, a))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该申请，或不在您的管理范围内");
	if (strcmp(a->status, "pending"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该申请已处理（%s）", !strcmp(a->status, "confirmed") ? "已确认" : "已拒绝");
	if (a->requested_at <= zb_now(r->app) - APPROVAL_DAYS * 86400)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该申请已超过 %d 天未确认，已失效，请重新提出", APPROVAL_DAYS);
	return 0;
}

static int decide(zb_req *r, const approval *a, const char *status, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(r->db, e, &n,
	                   "UPDATE pending_actions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
	                   "siii", status, r->who->user_id, zb_now(r->app), a->id);
	if (!rc && n != 1)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该申请已被他人处理");
	return rc;
}

static int h_approval_confirm(zb_req *r, zb_err *e)
{
	approval a;
	int rc = approval_load(r, &a, e);
	if (rc)
		return rc;
	/* the second administrator: not the one who asked, not the account
	 * concerned, and holding the power the request needs */
	if (a.requested_by == r->who->user_id)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "双人复核：申请须由另一名管理员确认，不能由申请人自己确认");
	if (a.user_id == r->who->user_id)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "双人复核：不能确认与自己账号有关的申请");
	if (!zb_authz_allows(r->who, approval_perm(&a), a.org_path))
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有确认此申请所需的权限");
	char extra[120];
	snprintf(extra, sizeof extra, ",\"approval_id\":%lld,\"requested_by\":%lld,\"confirmed_by\":%lld", (long long)a.id,
	         (long long)a.requested_by, (long long)r->who->user_id);
	if (!strcmp(a.kind, "grant")) {
		unsigned perms = 0;
		if ((rc = grant_checks(r, r->who, a.user_id, a.role, a.org_id, a.requested_at, &perms, e)))
			return rc;
	} else if ((rc = zb_account_guard(r->db, r->who, a.user_id, NULL, e))) {
		return rc;
	}
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = decide(r, &a, "confirmed", e);
	int64_t gid = 0;
	if (!rc && !strcmp(a.kind, "grant")) {
		rc = insert_grant(r, a.user_id, a.role, a.org_id, a.org_path, a.requested_by, extra, &gid, e);
	} else if (!rc) {
		rc = zb_password_store(r->app, r->db, a.user_id, a.pw_hash, 1, NULL, e);
		if (!rc)
			rc = zb_req_audit(r, "user.password_reset", "user", a.user_id, a.org_path,
			                  zb_arena_printf(&r->arena, "{%s}", extra + 1), e);
	}
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_kstr(&r->jw, "status", "confirmed");
	if (gid)
		jw_kint(&r->jw, "grant_id", gid);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_approval_reject(zb_req *r, zb_err *e)
{
	approval a;
	int rc = approval_load(r, &a, e);
	if (rc)
		return rc;
	/* the requester may withdraw; anyone else needs the power */
	if (a.requested_by != r->who->user_id && !zb_authz_allows(r->who, approval_perm(&a), a.org_path))
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有处理此申请所需的权限");
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = decide(r, &a, "rejected", e);
	if (!rc)
		rc = zb_req_audit(r, "approval.reject", "user", a.user_id, a.org_path,
		                  zb_arena_printf(&r->arena, "{\"approval_id\":%lld,\"kind\":\"%s\"}", (long long)a.id, a.kind), e);
	if ((rc = zb_req_end_tx(r, rc, e)))
		return rc;
	zb_req_ok(r);
	return 0;
}

static const zb_field user_fields[] = {
	{"username", 's', 1, 32, "用户名"},
	{"display_name", 's', 0, 64, "姓名"},
	{"password", 's', 1, 256, "初始密码（首次登录须修改）"},
	{"member_id", 'i', 0, 0, "关联的党员编号（须在您的管理范围内）"},
	{0},
};
static const zb_field user_patch_fields[] = {
	{"display_name", 's', 0, 64, "姓名"},
	{"disabled", 'b', 0, 0, "停用"},
	{"unlock", 'b', 0, 0, "解除锁定"},
	{"password", 's', 0, 256, "重置密码（下次登录须修改；特权账号须另一名管理员确认）"},
	{0},
};
static const zb_field grant_fields[] = {
	{"role", 's', 1, 32, "角色：org_admin, party_worker, member, sys_admin, sec_admin, audit_admin（三员互斥，且不与业务角色并存；member 须授予在所关联党员的组织）"},
	{"org_id", 'i', 1, 0, "授权所在组织（对其下级全部有效）"},
	{0},
};

static const zb_prop account_props[] = {
	{"id", 'i', 0, NULL, "账号编号"},
	{"username", 's', 0, NULL, "用户名"},
	{"display_name", 's', ZB_NULL, NULL, "显示名"},
	{"member_id", 'i', ZB_NULL, NULL, "关联的党员档案"},
	{"disabled", 'b', 0, NULL, "已停用"},
	{"locked", 'b', 0, NULL, "因多次输错密码被临时锁定"},
	{"must_change_password", 'b', 0, NULL, "下次登录须修改密码"},
	{"last_login_at", 'i', ZB_NULL, NULL, "最近登录时间（Unix 秒）"},
	{0},
};
static const zb_shape account_shape = {"Account", account_props, 0, 0, "账号"};
ZB_LIST_PAGED(account_list, "AccountList", &account_shape);

static const zb_prop created_user_props[] = {
	{"id", 'i', 0, NULL, "账号编号"},
	{"username", 's', 0, NULL, "用户名"},
	{0},
};
static const zb_shape created_user = {"CreatedAccount", created_user_props, 0, 0, NULL};

static const zb_prop created_grant_props[] = {
	{"id", 'i', 0, NULL, "授权编号"},
	{0},
};
static const zb_shape created_grant = {"CreatedGrant", created_grant_props, 0, 0, NULL};

static const zb_prop role_props[] = {
	{"id", 's', 0, NULL, "角色代码"},
	{"name", 's', 0, NULL, "角色名称"},
	{"perms", 's', 0, NULL, "权限，逗号分隔"},
	{0},
};
static const zb_shape role_shape = {"Role", role_props, 0, 0, "角色"};
ZB_LIST_PAGED(role_list, "RoleList", &role_shape);

static const zb_prop approval_props[] = {
	{"id", 'i', 0, NULL, "申请编号"},
	{"kind", 's', 0, NULL, "grant（授权）或 password_reset（重置密码）"},
	{"user_id", 'i', 0, NULL, "对象账号"},
	{"username", 's', 0, NULL, "对象用户名"},
	{"role", 's', ZB_OPT, NULL, "授权的角色"},
	{"org_id", 'i', ZB_OPT, NULL, "授权的组织"},
	{"requested_by", 'i', 0, NULL, "申请人账号"},
	{"requested_by_name", 's', ZB_NULL, NULL, "申请人用户名"},
	{"requested_at", 'i', 0, NULL, "申请时间（Unix 秒）"},
	{"status", 's', 0, NULL, "pending、confirmed、rejected"},
	{"mine", 'b', 0, NULL, "本人提出的申请"},
	{0},
};
static const zb_shape approval_shape = {"Approval", approval_props, 0, 0, "待复核的申请"};
static const zb_prop approval_list_props[] = {
	{"dual_control", 'b', 0, NULL, "是否开启双人复核"},
	{"items", 'a', 0, &approval_shape, "待复核的申请"},
	{0},
};
static const zb_shape approval_list = {"ApprovalList", approval_list_props, 0, 0, NULL};

static const zb_prop confirmed_props[] = {
	{"ok", 'b', 0, NULL, "总是 true"},
	{"status", 's', 0, NULL, "confirmed"},
	{"grant_id", 'i', ZB_OPT, NULL, "生效的授权（授权申请时）"},
	{0},
};
static const zb_shape confirmed_shape = {"ApprovalConfirmed", confirmed_props, 0, 0, NULL};

/* 202: a privileged change waiting for a second administrator */
#define PENDING (&(const zb_resp){202, &zb_shape_pending, NULL, NULL, "已提交，待第二名管理员复核"})

const zb_route zb_routes_users[] = {
	{"GET", "/api/v1/users", h_users_list, P_USER_MANAGE, S_NONE, 0, 0, NULL, "users", "账号列表", "after:integer,limit:integer", ZB_OK(&account_list)},
	{"POST", "/api/v1/users", h_users_create, P_USER_MANAGE, S_NONE, R_WRITE | R_JSON, 4096, user_fields, "users", "新建账号", NULL, ZB_CREATED(&created_user)},
	{"PATCH", "/api/v1/users/{id}", h_users_patch, P_USER_MANAGE, S_USER, R_WRITE | R_JSON, 4096, user_patch_fields, "users", "修改账号（停用、解锁、重置密码）", NULL,
	 &(const zb_resp){200, &zb_shape_ok, NULL, PENDING, NULL}},
	{"POST", "/api/v1/users/{id}/grants", h_grant, P_ROLE_GRANT, S_BODY_ORG, R_WRITE | R_JSON, 4096, grant_fields, "users", "授予角色", NULL,
	 &(const zb_resp){201, &created_grant, NULL, PENDING, NULL}},
	{"DELETE", "/api/v1/grants/{id}", h_revoke, P_ROLE_GRANT, S_GRANT, R_WRITE, 0, NULL, "users", "撤销授权", NULL, ZB_OK(&zb_shape_ok)},
	{"GET", "/api/v1/roles", h_roles, 0, S_NONE, 0, 0, NULL, "users", "角色列表", NULL, ZB_OK(&role_list)},
	/* dual control: role.grant or user.manage (R_ANY); each request is shown
	 * only to those who hold its power (approval_visible) */
	{"GET", "/api/v1/approvals", h_approvals, P_ROLE_GRANT | P_USER_MANAGE, S_NONE, R_ANY, 0, NULL, "users", "待复核的授权与密码重置", NULL,
	 ZB_OK(&approval_list)},
	{"POST", "/api/v1/approvals/{id}/confirm", h_approval_confirm, P_ROLE_GRANT | P_USER_MANAGE, S_NONE, R_WRITE | R_ANY, 0, NULL, "users", "确认（第二名管理员）", NULL,
	 ZB_OK(&confirmed_shape)},
	{"POST", "/api/v1/approvals/{id}/reject", h_approval_reject, P_ROLE_GRANT | P_USER_MANAGE, S_NONE, R_WRITE | R_ANY, 0, NULL, "users", "拒绝或撤回申请", NULL, ZB_OK(&zb_shape_ok)},
	{0},
};
