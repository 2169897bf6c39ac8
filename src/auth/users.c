/* users.c - accounts: the list, a new account, changes by an
 * administrator, the own password, the roles. */
#include "auth/users.h"
#include "core/grow.h"
#include "auth/auth.h"
#include "member/member.h"
#include "org/scopefind.h"

#include <stdio.h>
#include <string.h>

zb_audit_ev zb_actor_of(const zb_principal *who, const char *ip)
{
	return (zb_audit_ev){
		.user_id = who ? who->user_id : 0,
		.username = who ? who->username : NULL,
		.ip = ip,
	};
}

static int username_ok(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n < 2 || n > 32)
		return 0;
	for (const char *p = u; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return 0;
	return 1;
}

/* A page of accounts within roots: up to limit; any row after them sets
 * *more. */
typedef struct account_page {
	zb_arena *a;
	const char **roots;
	int nroots;
	zb_account *rows;
	int *n;
	int64_t limit;
	int *more;
} account_page;

static int add_account(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	account_page *p = ctx;
	if (*p->n >= p->limit) {
		*p->more = 1;
		return ZB_DB_STOP;
	}
	/* accounts without a grant belong to the top of the tree */
	const char *path = zb_col_text(st, 7);
	int ok = 0;
	for (int i = 0; i < p->nroots && !ok; i++)
		ok = path ? zb_path_within(path, p->roots[i]) : zb_path_is_top(p->roots[i]);
	if (!ok)
		return 0;
	zb_arena *a = p->a;
	zb_account *w = &p->rows[(*p->n)++];
	w->id = zb_col_int(st, 0);
	w->username = zb_arena_strdup(a, zb_col_text(st, 1));
	w->display_name = zb_arena_strdup(a, zb_col_text(st, 2));
	w->member_id = zb_col_is_null(st, 3) ? 0 : zb_col_int(st, 3);
	w->disabled = (int)zb_col_int(st, 4);
	w->locked_until = zb_col_int(st, 5);
	w->last_login_at = zb_col_is_null(st, 6) ? 0 : zb_col_int(st, 6);
	w->must_change_pw = (int)zb_col_int(st, 8);
	return 0;
}

int zb_accounts_list(zb_db *db, const zb_principal *who, int64_t after, int64_t limit, zb_arena *a,
                     zb_account **rows, int *n, int *more, zb_err *e)
{
	const char **roots;
	int nroots = zb_authz_roots(who, P_USER_MANAGE, a, &roots);
	*rows = limit > 0 ? zb_arena_alloc(a, (size_t)limit * sizeof **rows) : NULL;
	*n = 0;
	*more = 0;
	account_page p = {a, roots, nroots, *rows, n, limit, more};
	return zb_db_each(db, e, add_account, &p,
	                  "SELECT u.id, u.username, u.display_name, u.member_id, u.disabled, u.locked_until, "
	                  "u.last_login_at, (SELECT MIN(o.path) FROM grants g JOIN orgs o ON o.id = g.org_id "
	                  "WHERE g.user_id = u.id), u.must_change_pw FROM users u WHERE u.id > ? ORDER BY u.id",
	                  "i", after);
}

int zb_account_create(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, const char *username,
                      const char *display_name, const char *password, int64_t member_id, int64_t *id,
                      zb_err *e)
{
	*id = 0;
	if (!username_ok(username))
		return zb_fail(e, ZB_EINVAL, "username", "用户名应为 2–32 位字母、数字、下划线、点或短横线");
	int rc = zb_name_check(display_name, "display_name", "显示名称", e);
	if (rc)
		return rc;
	if (member_id) {
		/* the member must lie where the caller both manages accounts and
		 * reads members (a sys_admin sees no member, so links none): 404
		 * otherwise, like any object outside the caller's scope */
		zb_arena tmp;
		zb_arena_init(&tmp);
		const char *mpath;
		rc = zb_obj_path(db, ZB_OBJ_MEMBER, member_id, &tmp, &mpath, e);
		int visible = !rc && zb_authz_allows(who, P_USER_MANAGE | P_MEMBER_READ, mpath);
		zb_arena_free(&tmp);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (!visible)
			return zb_fail(e, ZB_ENOTFOUND, "member_id", "未找到该党员，或不在您的管理范围内");
	}
	if ((rc = zb_password_policy(username, password, e)))
		return rc;
	char hash[256];
	if ((rc = zb_password_hash(app, password, hash, sizeof hash, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t now = zb_now(app);
	rc = zb_db_int(db, e, id,
	               "INSERT INTO users (username, display_name, pw_hash, member_id, created_at, updated_at) "
	               "VALUES (?,?,?,?,?,?) RETURNING id",
	               "sssIii", username, display_name ? display_name : username, hash, member_id, now, now);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "username", "用户名 %s 已被使用", username);
	/* a password someone else chose: changed at the first login */
	if (!rc)
		rc = zb_password_store(app, db, *id, hash, 1, NULL, e);
	if (!rc) {
		char detail[80];
		snprintf(detail, sizeof detail, "{\"username\":\"%s\"}", username);
		zb_audit_ev by = zb_actor_of(who, ip);
		rc = zb_audit_change(db, app, &by, "user.create", "user", *id, NULL, detail, e);
	}
	return zb_db_end(db, rc, e);
}

static int user_name(zb_db *db, int64_t id, char *out, size_t n, zb_err *e)
{
	out[0] = '\0';
	zb_text_buf b = {out, n};
	return zb_db_one(db, e, "没有这个账号", zb_row_text, &b, "SELECT username FROM users WHERE id = ?", "i", id);
}

int zb_account_update(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                      const char *org_path, const zb_account_patch *p, int64_t *pending, zb_err *e)
{
	*pending = 0;
	int rc;
	char hash[256] = "", uname[64];
	if ((rc = zb_name_check(p->display_name, "display_name", "显示名称", e)))
		return rc;
	if ((rc = user_name(db, id, uname, sizeof uname, e)))
		return rc;
	int privileged = 0, dual = 0;
	if (p->password || p->has_disabled || p->has_unlock || p->has_display_name) {
		/* nobody resets, disables, unlocks or renames their own account,
		 * nor one holding (or waiting for) a role they do not hold */
		if ((rc = zb_account_guard(db, who, id, &privileged, e)))
			return rc;
	}
	if (p->password) {
		if ((rc = zb_password_policy(uname, p->password, e)) ||
		    (rc = zb_password_hash(app, p->password, hash, sizeof hash, e)))
			return rc;
		if ((rc = zb_dual_control(db, &dual, e)))
			return rc;
	}
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	zb_audit_ev by = zb_actor_of(who, ip);
	int64_t now = zb_now(app);
	if (p->has_display_name)
		rc = zb_db_run(db, e, NULL, "UPDATE users SET display_name = ?, updated_at = ? WHERE id = ?", "sii",
		               p->display_name, now, id);
	if (!rc && p->has_disabled) {
		rc = zb_db_run(db, e, NULL, "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", "iii",
		               (int64_t)(p->disabled != 0), now, id);
		if (!rc && p->disabled)
			rc = zb_db_run(db, e, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", id);
	}
	if (!rc && p->has_unlock && p->unlock)
		rc = zb_login_clear(db, uname, e);
	if (!rc && p->password && privileged && dual) {
		rc = zb_db_int(db, e, pending,
		               "INSERT INTO pending_actions (kind, user_id, org_path, pw_hash, requested_by, requested_at) "
		               "VALUES ('password_reset',?,?,?,?,?) RETURNING id",
		               "issii", id, org_path, hash, who->user_id, now);
		if (!rc) {
			char detail[48];
			snprintf(detail, sizeof detail, "{\"approval_id\":%lld}", (long long)*pending);
			rc = zb_audit_change(db, app, &by, "user.password_reset_request", "user", id, org_path, detail, e);
		}
	} else if (!rc && p->password) {
		/* the reset password must be changed at the next login; sessions
		 * and API tokens of the account end */
		rc = zb_password_store(app, db, id, hash, 1, NULL, e);
		if (!rc)
			rc = zb_audit_change(db, app, &by, "user.password_reset", "user", id, org_path, NULL, e);
	}
	if (!rc && (p->has_display_name || p->has_disabled || p->has_unlock))
		rc = zb_audit_change(db, app, &by, "user.update", "user", id, org_path,
		                 p->has_disabled ? (p->disabled ? "{\"disabled\":true}" : "{\"disabled\":false}") : NULL, e);
	if ((rc = zb_db_end(db, rc, e)))
		*pending = 0;
	return rc;
}

int zb_password_change(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, const char *old_pw,
                       const char *new_pw, int *session_ended, zb_err *e)
{
	*session_ended = 0;
	zb_audit_ev by = zb_actor_of(who, ip);
	/* the old password is a password guess like a login: same throttles */
	int rc = zb_login_gate(app, db, who->username, ip, e);
	if (rc)
		return rc;
	char hash[256] = "";
	zb_text_buf b = {hash, sizeof hash};
	rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT pw_hash FROM users WHERE id = ?", "i", who->user_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc; /* a database error is not a wrong password */
	if (!zb_password_verify(app, hash, old_pw)) {
		zb_err ae = {0};
		zb_audit_change(db, app, &by, "user.password_failed", "user", who->user_id, NULL, NULL, &ae);
		rc = zb_login_failure(app, db, who->username, ip, e);
		if (rc == ZB_ELOCKED && !who->via_token && who->token_hash) {
			/* locked: this session ends too */
			zb_db_run(db, NULL, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", who->token_hash);
			*session_ended = 1;
		}
		if (rc)
			return rc;
		return zb_fail(e, ZB_EINVAL, "old_password", "原密码不正确");
	}
	if ((rc = zb_password_policy(who->username, new_pw, e))) {
		snprintf(e->field, sizeof e->field, "new_password");
		return rc;
	}
	int reused = 0;
	if ((rc = zb_password_reused(app, db, who->user_id, new_pw, &reused, e)))
		return rc;
	if (reused)
		return zb_fail(e, ZB_EINVAL, "new_password", "新密码不能与最近 %d 次使用过的密码相同", ZB_PW_HISTORY);
	char nh[256];
	if ((rc = zb_password_hash(app, new_pw, nh, sizeof nh, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	/* other sessions and every API token of this user end; this session stays */
	rc = zb_password_store(app, db, who->user_id, nh, 0, who->via_token ? NULL : who->token_hash, e);
	if (!rc)
		rc = zb_audit_change(db, app, &by, "user.password", "user", who->user_id, NULL,
		                 who->must_change_pw ? "{\"after_reset\":true}" : NULL, e);
	return zb_db_end(db, rc, e);
}

typedef struct role_list {
	zb_arena *a;
	zb_role_row *rows;
	size_t n, cap;
} role_list;

static int add_role(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	role_list *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_role_row *w = &l->rows[l->n++];
	w->id = zb_arena_strdup(l->a, zb_col_text(st, 0));
	w->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	w->perms = zb_arena_strdup(l->a, zb_col_text(st, 2));
	return 0;
}

int zb_roles_list(zb_db *db, zb_arena *a, zb_role_row **rows, int *n, zb_err *e)
{
	*rows = NULL;
	*n = 0;
	role_list l = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, add_role, &l, "SELECT id, name, perms FROM roles ORDER BY builtin DESC, id", "");
	*rows = l.rows;
	*n = (int)l.n;
	return rc;
}
