/* api_users.c - accounts, role grants and the requests that wait for a
 * second administrator (三员分立: accounts are managed with user.manage,
 * roles are granted only with role.grant).  The rules and the writes are
 * auth/users.h; the rules on whose account may be touched live in
 * auth/accounts.c, shared with the CLI. */
#include "api/api.h"
#include "auth/users.h"

static int h_users_list(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_account *rows;
	int n, more;
	int rc = zb_accounts_list(r->db, r->who, after, limit, &r->arena, &rows, &n, &more, e);
	if (rc)
		return rc;
	int64_t now = zb_now(r->app);
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		const zb_account *u = &rows[i];
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", u->id);
		jw_kstr(&r->jw, "username", u->username);
		jw_kstr(&r->jw, "display_name", u->display_name);
		if (u->member_id)
			jw_kint(&r->jw, "member_id", u->member_id);
		else
			jw_knull(&r->jw, "member_id");
		jw_kbool(&r->jw, "disabled", u->disabled);
		jw_kbool(&r->jw, "locked", u->locked_until > now);
		jw_kbool(&r->jw, "must_change_password", u->must_change_pw);
		if (u->last_login_at)
			jw_kint(&r->jw, "last_login_at", u->last_login_at);
		else
			jw_knull(&r->jw, "last_login_at");
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, more && n ? zb_arena_printf(&r->arena, "%lld", (long long)rows[n - 1].id) : NULL);
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
	const char *u = zb_body_str(r, "username");
	int64_t member_id = 0, id;
	zb_body_int(r, "member_id", &member_id);
	int rc = zb_account_create(r->app, r->db, r->who, r->ip, u, zb_body_str(r, "display_name"),
	                           zb_body_str(r, "password"), member_id, &id, e);
	if (rc)
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
	zb_account_patch p = {
		.has_display_name = zb_body_has(r, "display_name"),
		.display_name = zb_body_str(r, "display_name"),
		.has_disabled = zb_body_has(r, "disabled"),
		.disabled = json_is_true(json_object_get(r->json, "disabled")),
		.has_unlock = zb_body_has(r, "unlock"),
		.unlock = json_is_true(json_object_get(r->json, "unlock")),
		.password = zb_body_str(r, "password"),
	};
	int64_t pending;
	int rc = zb_account_update(r->app, r->db, r->who, r->ip, r->target_id, r->target_path, &p, &pending, e);
	if (rc)
		return rc;
	if (pending)
		write_pending(r, pending);
	else
		zb_req_ok(r);
	return 0;
}

static int h_grant(zb_req *r, zb_err *e)
{
	int64_t uid, gid, pending;
	if (zb_req_param_id(r, 0, &uid, e))
		return e->code;
	int rc = zb_grant_add(r->app, r->db, r->who, r->ip, uid, zb_body_str(r, "role"), r->target_id, r->target_path,
	                      &gid, &pending, e);
	if (rc)
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
	int rc = zb_grant_revoke(r->app, r->db, r->who, r->ip, r->target_id, r->target_path, e);
	if (rc)
		return rc;
	zb_req_ok(r);
	return 0;
}

static int h_roles(zb_req *r, zb_err *e)
{
	if (r->who->must_change_pw)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "请先修改密码");
	zb_role_row *rows;
	int n;
	int rc = zb_roles_list(r->db, &r->arena, &rows, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kstr(&r->jw, "id", rows[i].id);
		jw_kstr(&r->jw, "name", rows[i].name);
		jw_kstr(&r->jw, "perms", rows[i].perms);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, NULL);
	return 0;
}

/* ---- requests waiting for a second administrator ---- */

static void approval_write(zb_req *r, const zb_approval *a)
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
	int dual, n;
	zb_approval *rows;
	int rc = zb_approvals_list(r->app, r->db, r->who, &r->arena, &dual, &rows, &n, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "dual_control", dual);
	jw_karr(&r->jw, "items");
	for (int i = 0; i < n; i++)
		approval_write(r, &rows[i]);
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_approval_confirm(zb_req *r, zb_err *e)
{
	int64_t id, gid;
	if (zb_req_param_id(r, 0, &id, e))
		return e->code;
	int rc = zb_approval_confirm(r->app, r->db, r->who, r->ip, id, &gid, e);
	if (rc)
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
	int64_t id;
	if (zb_req_param_id(r, 0, &id, e))
		return e->code;
	int rc = zb_approval_reject(r->app, r->db, r->who, r->ip, id, e);
	if (rc)
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
	{.method = "GET", .pattern = "/api/v1/users", .fn = h_users_list,
	 .perm = P_USER_MANAGE, .resp = ZB_OK(&account_list),
	 .tag = "users", .summary = "账号列表",
	 .query_doc = "after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/users", .fn = h_users_create,
	 .perm = P_USER_MANAGE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = user_fields, .resp = ZB_CREATED(&created_user),
	 .tag = "users", .summary = "新建账号"},
	{.method = "PATCH", .pattern = "/api/v1/users/{id}", .fn = h_users_patch,
	 .perm = P_USER_MANAGE, .scope = S_USER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = user_patch_fields, .resp = &(const zb_resp){200, &zb_shape_ok, NULL, PENDING, NULL},
	 .tag = "users", .summary = "修改账号（停用、解锁、重置密码）"},
	{.method = "POST", .pattern = "/api/v1/users/{id}/grants", .fn = h_grant,
	 .perm = P_ROLE_GRANT, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = grant_fields, .resp = &(const zb_resp){201, &created_grant, NULL, PENDING, NULL},
	 .tag = "users", .summary = "授予角色"},
	{.method = "DELETE", .pattern = "/api/v1/grants/{id}", .fn = h_revoke,
	 .perm = P_ROLE_GRANT, .scope = S_GRANT, .flags = R_WRITE, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "users", .summary = "撤销授权"},
	{.method = "GET", .pattern = "/api/v1/roles", .fn = h_roles,
	 .resp = ZB_OK(&role_list),
	 .tag = "users", .summary = "角色列表"},
	/* dual control: role.grant or user.manage (R_ANY); each request is shown
	 * only to those who hold its power (zb_approvals_list) */
	{.method = "GET", .pattern = "/api/v1/approvals", .fn = h_approvals,
	 .perm = P_ROLE_GRANT | P_USER_MANAGE, .flags = R_ANY, .resp = ZB_OK(&approval_list),
	 .tag = "users", .summary = "待复核的授权与密码重置"},
	{.method = "POST", .pattern = "/api/v1/approvals/{id}/confirm", .fn = h_approval_confirm,
	 .perm = P_ROLE_GRANT | P_USER_MANAGE, .flags = R_WRITE | R_ANY, .resp = ZB_OK(&confirmed_shape),
	 .tag = "users", .summary = "确认（第二名管理员）"},
	{.method = "POST", .pattern = "/api/v1/approvals/{id}/reject", .fn = h_approval_reject,
	 .perm = P_ROLE_GRANT | P_USER_MANAGE, .flags = R_WRITE | R_ANY, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "users", .summary = "拒绝或撤回申请"},
	{0},
};
