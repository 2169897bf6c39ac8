/* api_auth.c - login, logout, current user, password change. */
#include "api/api.h"
#include "auth/auth.h"
#include "auth/users.h"

#include <sodium.h>
#include <string.h>

void zb_api_write_user(zb_req *r, const zb_principal *p)
{
	zb_jw *w = &r->jw;
	jw_kobj(w, "user");
	jw_kint(w, "id", p->user_id);
	jw_kstr(w, "username", p->username);
	jw_kstr(w, "display_name", p->display_name);
	if (p->member_id)
		jw_kint(w, "member_id", p->member_id);
	else
		jw_knull(w, "member_id");
	jw_karr(w, "grants");
	for (int i = 0; i < p->ngrants; i++) {
		const zb_grant *g = &p->grants[i];
		jw_obj(w);
		jw_kint(w, "id", g->id);
		jw_kstr(w, "role", g->role);
		jw_kstr(w, "role_name", g->role_name);
		jw_kint(w, "org_id", g->org_id);
		jw_kstr(w, "org_name", g->org_name);
		jw_kstr(w, "org_path", g->org_path);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "perms");
	for (unsigned b = 1; b; b <<= 1)
		if ((p->all_perms & b) && zb_perm_name(b))
			jw_str(w, zb_perm_name(b));
	jw_arr_end(w);
	jw_kbool(w, "must_change_password", p->must_change_pw);
	jw_obj_end(w);
}

int zb_api_limit(zb_req *r, int64_t *limit, zb_err *e)
{
	return zb_req_query_int(r, "limit", 50, 1, 200, limit, e);
}

static const char *cookie_attrs(zb_req *r)
{
	/* Secure when served over TLS behind a proxy that says so */
	const char *proto = zb_req_header(r, "X-Forwarded-Proto");
	return proto && !strcmp(proto, "https") ? "; Path=/; HttpOnly; SameSite=Strict; Secure"
	                                        : "; Path=/; HttpOnly; SameSite=Strict";
}

static int h_login(zb_req *r, zb_err *e)
{
	const char *u = zb_body_str(r, "username"), *pw = zb_body_str(r, "password");
	int64_t uid;
	char token[64], csrf[64];
	int rc = zb_login(r->app, r->db, u, pw, r->ip, &uid, token, csrf, e);
	if (rc)
		return rc;
	zb_principal *p;
	if ((rc = zb_principal_load(r->db, uid, &r->arena, &p, e)))
		return rc;
	r->who = p;
	/* a member-only account's session outlives the browser (auth.h) */
	int member_only = 0;
	if ((rc = zb_session_member_only(r->db, uid, &member_only, e)))
		return rc;
	r->set_cookie = member_only ? zb_arena_printf(&r->arena, "zhibu_session=%s; Max-Age=%d%s", token,
	                                              ZB_MEMBER_SESSION_SECS, cookie_attrs(r))
	                            : zb_arena_printf(&r->arena, "zhibu_session=%s%s", token, cookie_attrs(r));
	sodium_memzero(token, sizeof token);
	jw_obj(&r->jw);
	zb_api_write_user(r, p);
	jw_kstr(&r->jw, "csrf_token", csrf);
	jw_kint(&r->jw, "idle_timeout", member_only ? ZB_MEMBER_SESSION_SECS : r->app->cfg.session_idle_secs);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_logout(zb_req *r, zb_err *e)
{
	const char *cookie = r->who && !r->who->via_token ? zb_req_cookie(r, "zhibu_session") : NULL;
	if (cookie && *cookie) {
		int rc = zb_session_revoke(r->db, cookie, e);
		if (rc)
			return rc;
		if (r->who)
			zb_req_audit(r, "auth.logout", "user", r->who->user_id, NULL, NULL, e);
	}
	r->set_cookie = zb_arena_printf(&r->arena, "zhibu_session=%s; Max-Age=0", cookie_attrs(r));
	zb_req_ok(r);
	return 0;
}

static int h_me(zb_req *r, zb_err *e)
{
	(void)e;
	jw_obj(&r->jw);
	zb_api_write_user(r, r->who);
	if (!r->who->via_token) {
		const char *cookie = zb_req_cookie(r, "zhibu_session");
		char csrf[64];
		zb_session_csrf(cookie ? cookie : "", csrf);
		jw_kstr(&r->jw, "csrf_token", csrf);
	}
	jw_kint(&r->jw, "idle_timeout", r->app->cfg.session_idle_secs);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_password(zb_req *r, zb_err *e)
{
	int ended = 0;
	int rc = zb_password_change(r->app, r->db, r->who, r->ip, zb_body_str(r, "old_password"),
	                            zb_body_str(r, "new_password"), &ended, e);
	if (ended)
		r->set_cookie = zb_arena_printf(&r->arena, "zhibu_session=%s; Max-Age=0", cookie_attrs(r));
	if (rc)
		return rc;
	zb_req_ok(r);
	return 0;
}

static const zb_field login_fields[] = {
	{"username", 's', 1, 64, "用户名"},
	{"password", 's', 1, 256, "密码"},
	{0},
};
static const zb_field password_fields[] = {
	{"old_password", 's', 1, 256, "原密码"},
	{"new_password", 's', 1, 256, "新密码：至少 8 个字符，含大写字母、小写字母、数字、符号中的三类，不含用户名，不是常见弱密码，不是最近 5 次用过的密码"},
	{0},
};

static const zb_prop grant_props[] = {
	{"id", 'i', 0, NULL, "授权编号"},
	{"role", 's', 0, NULL, "角色代码"},
	{"role_name", 's', 0, NULL, "角色名称"},
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"org_path", 's', 0, NULL, "组织路径"},
	{0},
};
static const zb_shape grant_shape = {"SessionGrant", grant_props, 0, 0, "当前用户的一项授权"};
static const zb_prop user_props[] = {
	{"id", 'i', 0, NULL, "账号编号"},
	{"username", 's', 0, NULL, "用户名"},
	{"display_name", 's', ZB_NULL, NULL, "显示名"},
	{"member_id", 'i', ZB_NULL, NULL, "本人的党员档案编号（没有时为 null）"},
	{"grants", 'a', 0, &grant_shape, "授权"},
	{"perms", 'a', 0, &zb_shape_string, "在某处持有的权限"},
	{"must_change_password", 'b', 0, NULL, "须先修改密码"},
	{0},
};
static const zb_shape user_shape = {"SessionUser", user_props, 0, 0, "当前用户"};
static const zb_prop session_props[] = {
	{"user", 'o', 0, &user_shape, NULL},
	{"csrf_token", 's', ZB_OPT, NULL, "写请求须在 X-CSRF-Token 头带上（令牌访问时没有）"},
	{"idle_timeout", 'i', 0, NULL, "会话闲置多少秒后失效"},
	{0},
};
static const zb_shape session_shape = {"Session", session_props, 0, 0, "登录状态"};

const zb_route zb_routes_auth[] = {
	{.method = "POST", .pattern = "/api/v1/auth/login", .fn = h_login,
	 .flags = R_PUBLIC | R_JSON, .max_body = 4096, .fields = login_fields, .resp = ZB_OK(&session_shape),
	 .tag = "auth", .summary = "登录"},
	/* a write like every other: needs the session and its CSRF token */
	{.method = "POST", .pattern = "/api/v1/auth/logout", .fn = h_logout,
	 .flags = R_WRITE, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "auth", .summary = "退出登录"},
	{.method = "GET", .pattern = "/api/v1/auth/me", .fn = h_me,
	 .resp = ZB_OK(&session_shape),
	 .tag = "auth", .summary = "当前用户"},
	{.method = "POST", .pattern = "/api/v1/auth/password", .fn = h_password,
	 .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = password_fields, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "auth", .summary = "修改密码"},
	{0},
};
