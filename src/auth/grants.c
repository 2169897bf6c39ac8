/* grants.c - role grants, and the requests that wait for a second
 * administrator (双人复核): privileged grants and password resets of
 * privileged accounts. */
#include "auth/users.h"
#include "auth/auth.h"

#include <stdio.h>
#include <string.h>

static void read_perms(zb_stmt *st, void *ctx)
{
	*(unsigned *)ctx = zb_perms_parse(zb_col_text(st, 0));
}

static void read_pw_state(zb_stmt *st, void *ctx)
{
	int64_t *pw = ctx;
	pw[0] = zb_col_int(st, 0);
	pw[1] = zb_col_int(st, 1);
}

/* The checks of a grant of role at org to uid by who, made when it is
 * asked for and again when a second administrator confirms it
 * (requested_at: when it was asked for; 0 when now). */
static int grant_checks(zb_db *db, const zb_principal *who, int64_t uid, const char *role, int64_t org,
                        int64_t requested_at, unsigned *perms, zb_err *e)
{
	if (who->user_id == uid)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "不能给自己授予角色");
	/* administrators are set up only by the operator on the server */
	if (role && zb_role_is_admin(role))
		return zb_fail(e, ZB_EFORBIDDEN, "role",
		               "管理员角色不能通过接口授予（由服务器上的运维人员用 zhibu user grant 办理）");
	int rc = zb_db_one(db, e, NULL, read_perms, perms, "SELECT perms FROM roles WHERE id = ?", "s", role);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_EINVAL, "role", "没有这个角色：%s", role);
	if (rc)
		return rc;
	int64_t n = 0, pw[2] = {0, 0}; /* must_change_pw, pw_changed_at */
	if ((rc = zb_db_one(db, e, "没有这个账号", read_pw_state, pw,
	                    "SELECT must_change_pw, pw_changed_at FROM users WHERE id = ?", "i", uid)))
		return rc;
	int64_t must_change = pw[0], changed_at = pw[1];
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
	rc = zb_grant_class_check(db, uid, role, &holds_admin, e);
	if (holds_admin)
		return zb_fail(e, ZB_EFORBIDDEN, NULL,
		               "该账号持有管理员角色，不能再通过接口给它授权（由服务器上的运维人员用 zhibu user grant 办理）");
	if (rc)
		return rc;
	if (!strcmp(role, "member") && (rc = zb_member_grant_check(db, who, uid, org, e)))
		return rc;
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM grants WHERE user_id = ? AND role_id = ? AND org_id = ?",
	                    "isi", uid, role, org)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "role", "该账号在此组织已有这个角色");
	return 0;
}

/* The grant itself and its "grant.create" row (extra: more members of the
 * detail, each starting with a comma), inside the caller's transaction. */
static int insert_grant(zb_app *app, zb_db *db, const zb_audit_ev *by, int64_t uid, const char *role, int64_t org,
                        const char *path, int64_t granted_by, const char *extra, int64_t *gid, zb_err *e)
{
	int rc = zb_db_int(db, e, gid,
	                   "INSERT INTO grants (user_id, role_id, org_id, created_at, created_by) VALUES (?,?,?,?,?) RETURNING id",
	                   "isiii", uid, role, org, zb_now(app), granted_by);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "role", "该账号在此组织已有这个角色");
	if (!rc) {
		char detail[320];
		snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"org_id\":%lld%s}", role, (long long)org,
		         extra ? extra : "");
		rc = zb_audit_change(db, app, by, "grant.create", "user", uid, path, detail, e);
	}
	return rc;
}

int zb_grant_add(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t uid, const char *role,
                 int64_t org, const char *org_path, int64_t *grant_id, int64_t *pending, zb_err *e)
{
	*grant_id = *pending = 0;
	unsigned perms = 0;
	int dual = 0;
	int rc = grant_checks(db, who, uid, role, org, 0, &perms, e);
	if (!rc)
		rc = zb_dual_control(db, &dual, e);
	if (rc)
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	zb_audit_ev by = zb_actor_of(who, ip);
	if (dual && zb_role_is_privileged(role, perms)) {
		rc = zb_db_int(db, e, pending,
		               "INSERT INTO pending_actions (kind, user_id, role_id, org_id, org_path, requested_by, requested_at) "
		               "VALUES ('grant',?,?,?,?,?,?) RETURNING id",
		               "isisii", uid, role, org, org_path, who->user_id, zb_now(app));
		if (!rc) {
			char detail[200];
			snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"org_id\":%lld,\"approval_id\":%lld}", role,
			         (long long)org, (long long)*pending);
			rc = zb_audit_change(db, app, &by, "grant.request", "user", uid, org_path, detail, e);
		}
	} else {
		rc = insert_grant(app, db, &by, uid, role, org, org_path, who->user_id, NULL, grant_id, e);
	}
	if ((rc = zb_db_end(db, rc, e)))
		*grant_id = *pending = 0;
	return rc;
}

typedef struct grant_row {
	char role[40];
	int64_t uid;
} grant_row;

static void read_grant(zb_stmt *st, void *ctx)
{
	grant_row *g = ctx;
	snprintf(g->role, sizeof g->role, "%s", zb_col_text(st, 0));
	g->uid = zb_col_int(st, 1);
}

int zb_grant_revoke(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                    const char *org_path, zb_err *e)
{
	grant_row g = {"", 0};
	int rc = zb_db_one(db, e, NULL, read_grant, &g, "SELECT role_id, user_id FROM grants WHERE id = ?", "i", id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const char *role = g.role;
	int64_t uid = g.uid;
	/* administrators are set up and removed only by the operator on the
	 * server: one administrator cannot remove another (the auditor, the
	 * second approver) through the API */
	if (zb_role_is_admin(role))
		return zb_fail(e, ZB_EFORBIDDEN, NULL,
		               "管理员角色不能通过接口撤销（由服务器上的运维人员用 zhibu user revoke 办理）");
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_run(db, e, NULL, "DELETE FROM grants WHERE id = ?", "i", id);
	if (!rc) {
		char detail[120];
		snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"user_id\":%lld}", role, (long long)uid);
		zb_audit_ev by = zb_actor_of(who, ip);
		rc = zb_audit_change(db, app, &by, "grant.delete", "grant", id, org_path, detail, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- requests waiting for a second administrator ---- */

/* A request as stored: what is shown, and the password hash of a reset. */
typedef struct request {
	zb_approval a;
	const char *pw_hash;
	zb_arena *ar; /* where its text goes */
} request;

#define REQUEST_COLS                                                                                                   \
	"SELECT p.id, p.kind, p.user_id, p.role_id, p.org_id, p.org_path, p.pw_hash, p.requested_by, p.requested_at, "  \
	"p.status, u.username, q.username FROM pending_actions p JOIN users u ON u.id = p.user_id "                     \
	"JOIN users q ON q.id = p.requested_by "

static void request_read(zb_stmt *st, void *ctx)
{
	request *q = ctx;
	zb_arena *ar = q->ar;
	zb_approval *a = &q->a;
	a->id = zb_col_int(st, 0);
	a->kind = zb_arena_strdup(ar, zb_col_text(st, 1));
	a->user_id = zb_col_int(st, 2);
	a->role = zb_arena_strdup(ar, zb_col_text(st, 3));
	a->org_id = zb_col_int(st, 4);
	a->org_path = zb_arena_strdup(ar, zb_col_text(st, 5));
	q->pw_hash = zb_arena_strdup(ar, zb_col_text(st, 6));
	a->requested_by = zb_col_int(st, 7);
	a->requested_at = zb_col_int(st, 8);
	a->status = zb_arena_strdup(ar, zb_col_text(st, 9));
	a->username = zb_arena_strdup(ar, zb_col_text(st, 10));
	a->requester = zb_arena_strdup(ar, zb_col_text(st, 11));
}

/* The power a request needs: role.grant at the org of a grant, user.manage
 * over the account of a reset. */
static unsigned request_perm(const zb_approval *a)
{
	return !strcmp(a->kind, "grant") ? P_ROLE_GRANT : P_USER_MANAGE;
}

/* 1 if who may see the request: they asked for it, or hold its power */
static int request_visible(const zb_principal *who, const zb_approval *a)
{
	return a->requested_by == who->user_id || zb_authz_allows(who, request_perm(a), a->org_path);
}

typedef struct visible_list {
	const zb_principal *who;
	zb_arena *ar;
	zb_approval *rows; /* room for 500 */
	int *n;
} visible_list;

static int add_visible(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	visible_list *v = ctx;
	request q = {.ar = v->ar};
	request_read(st, &q);
	if (*v->n < 500 && request_visible(v->who, &q.a))
		v->rows[(*v->n)++] = q.a;
	return 0;
}

int zb_approvals_list(zb_app *app, zb_db *db, const zb_principal *who, zb_arena *ar, int *dual, zb_approval **rows,
                      int *n, zb_err *e)
{
	enum { MAX = 500 };
	*dual = 1;
	*n = 0;
	*rows = zb_arena_alloc(ar, MAX * sizeof **rows);
	int rc = zb_dual_control(db, dual, e);
	if (rc)
		return rc;
	visible_list v = {who, ar, *rows, n};
	return zb_db_each(db, e, add_visible, &v,
	                  REQUEST_COLS "WHERE p.status = 'pending' AND p.requested_at > ? ORDER BY p.id LIMIT 500", "i",
	                  zb_now(app) - ZB_APPROVAL_DAYS * 86400);
}

/* A pending, current request that who may see. */
static int request_load(zb_app *app, zb_db *db, const zb_principal *who, int64_t id, zb_arena *ar, request *q,
                        zb_err *e)
{
	*q = (request){.ar = ar};
	int rc = zb_db_one(db, e, NULL, request_read, q, REQUEST_COLS "WHERE p.id = ?", "i", id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const zb_approval *a = &q->a;
	if (rc || !request_visible(who, a))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该申请，或不在您的管理范围内");
	if (strcmp(a->status, "pending"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该申请已处理（%s）", !strcmp(a->status, "confirmed") ? "已确认" : "已拒绝");
	if (a->requested_at <= zb_now(app) - ZB_APPROVAL_DAYS * 86400)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该申请已超过 %d 天未确认，已失效，请重新提出", ZB_APPROVAL_DAYS);
	return 0;
}

static int decide(zb_app *app, zb_db *db, const zb_principal *who, const zb_approval *a, const char *status,
                  zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n,
	                   "UPDATE pending_actions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
	                   "siii", status, who->user_id, zb_now(app), a->id);
	if (!rc && n != 1)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该申请已被他人处理");
	return rc;
}

static int confirm(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, const request *q,
                   int64_t *grant_id, zb_err *e)
{
	const zb_approval *a = &q->a;
	/* the second administrator: not the one who asked, not the account
	 * concerned, and holding the power the request needs */
	if (a->requested_by == who->user_id)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "双人复核：申请须由另一名管理员确认，不能由申请人自己确认");
	if (a->user_id == who->user_id)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "双人复核：不能确认与自己账号有关的申请");
	if (!zb_authz_allows(who, request_perm(a), a->org_path))
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有确认此申请所需的权限");
	char extra[120];
	snprintf(extra, sizeof extra, ",\"approval_id\":%lld,\"requested_by\":%lld,\"confirmed_by\":%lld", (long long)a->id,
	         (long long)a->requested_by, (long long)who->user_id);
	int grant = !strcmp(a->kind, "grant"), rc;
	if (grant) {
		unsigned perms = 0;
		if ((rc = grant_checks(db, who, a->user_id, a->role, a->org_id, a->requested_at, &perms, e)))
			return rc;
	} else if ((rc = zb_account_guard(db, who, a->user_id, NULL, e))) {
		return rc;
	}
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	zb_audit_ev by = zb_actor_of(who, ip);
	rc = decide(app, db, who, a, "confirmed", e);
	if (!rc && grant) {
		rc = insert_grant(app, db, &by, a->user_id, a->role, a->org_id, a->org_path, a->requested_by, extra, grant_id,
		                  e);
	} else if (!rc) {
		rc = zb_password_store(app, db, a->user_id, q->pw_hash, 1, NULL, e);
		if (!rc) {
			char detail[sizeof extra + 2];
			snprintf(detail, sizeof detail, "{%s}", extra + 1);
			rc = zb_audit_change(db, app, &by, "user.password_reset", "user", a->user_id, a->org_path, detail, e);
		}
	}
	return zb_db_end(db, rc, e);
}

int zb_approval_confirm(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                        int64_t *grant_id, zb_err *e)
{
	*grant_id = 0;
	zb_arena ar;
	zb_arena_init(&ar);
	request q;
	int rc = request_load(app, db, who, id, &ar, &q, e);
	if (!rc)
		rc = confirm(app, db, who, ip, &q, grant_id, e);
	zb_arena_free(&ar);
	if (rc)
		*grant_id = 0;
	return rc;
}

int zb_approval_reject(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id, zb_err *e)
{
	zb_arena ar;
	zb_arena_init(&ar);
	request q;
	int rc = request_load(app, db, who, id, &ar, &q, e);
	const zb_approval *a = &q.a;
	/* the requester may withdraw; anyone else needs the power */
	if (!rc && a->requested_by != who->user_id && !zb_authz_allows(who, request_perm(a), a->org_path))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有处理此申请所需的权限");
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = decide(app, db, who, a, "rejected", e);
		if (!rc) {
			char detail[120];
			snprintf(detail, sizeof detail, "{\"approval_id\":%lld,\"kind\":\"%s\"}", (long long)a->id, a->kind);
			zb_audit_ev by = zb_actor_of(who, ip);
			rc = zb_audit_change(db, app, &by, "approval.reject", "user", a->user_id, a->org_path, detail, e);
		}
		rc = zb_db_end(db, rc, e);
	}
	zb_arena_free(&ar);
	return rc;
}
