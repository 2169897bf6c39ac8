/* accounts.c - the rules on who may change whose account (三员分立,
 * dual control, the member role), shared by the API and the CLI. */
#include "auth/auth.h"

#include <stdio.h>
#include <string.h>

int zb_dual_control(zb_db *db, int *on, zb_err *e)
{
	char v[8] = "";
	zb_text_buf b = {v, sizeof v};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT value FROM settings WHERE key = 'dual_control'", "");
	*on = strcmp(v, "0") != 0;
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

int zb_dual_control_set(zb_db *db, int on, const char *reason, zb_err *e)
{
	int rc = zb_db_run(db, e, NULL,
	                   "INSERT INTO settings (key, value) VALUES ('dual_control', ?) "
	                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                   "s", on ? "1" : "0");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO settings (key, value) VALUES ('dual_control_reason', ?) "
		               "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		               "s", reason ? reason : "");
	return rc;
}

/* What a holder of perms can do to a member's own record is covered by
 * the officer's permissions on member records. */
static unsigned cover(unsigned perms)
{
	unsigned out = perms & ~(unsigned)(P_SELF_READ | P_SELF_WRITE | P_MEETING_SIGNIN);
	if (perms & P_SELF_READ)
		out |= P_MEMBER_READ;
	if (perms & P_SELF_WRITE)
		out |= P_MEMBER_WRITE;
	if (perms & P_MEETING_SIGNIN)
		out |= P_MEETING_WRITE;
	return out;
}

typedef struct guard {
	const zb_principal *who;
	int *privileged;
	char missing[64]; /* the first role held that who does not cover */
} guard;

static int guard_role(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	guard *g = ctx;
	unsigned perms = zb_perms_parse(zb_col_text(st, 2));
	if (g->privileged && zb_role_is_privileged(zb_col_text(st, 0), perms))
		*g->privileged = 1;
	if (!g->missing[0] && !zb_authz_allows(g->who, cover(perms), zb_col_text(st, 3)))
		snprintf(g->missing, sizeof g->missing, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : zb_col_text(st, 0));
	return 0;
}

int zb_account_guard(zb_db *db, const zb_principal *who, int64_t target, int *privileged, zb_err *e)
{
	if (privileged)
		*privileged = 0;
	if (who && who->user_id == target)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "不能通过账号管理修改自己的账号；修改自己的密码请用“我的”→修改密码");
	guard g = {who, privileged, ""};
	int rc = zb_db_each(db, e, guard_role, &g,
	                    "SELECT g.role_id, r.name, r.perms, o.path FROM grants g JOIN roles r ON r.id = g.role_id "
	                    "JOIN orgs o ON o.id = g.org_id WHERE g.user_id = ? "
	                    "UNION ALL SELECT p.role_id, r.name, r.perms, p.org_path FROM pending_actions p "
	                    "JOIN roles r ON r.id = p.role_id WHERE p.user_id = ? AND p.kind = 'grant' AND p.status = 'pending'",
	                    "ii", target, target);
	if (rc)
		return rc;
	const char *missing = g.missing;
	if (missing[0])
		return zb_fail(e, ZB_EFORBIDDEN, NULL,
		               "该账号持有（或正待确认授予）您不具备的角色“%s”（或在您的权限范围之外），"
		               "您不能重置其密码、停用、解锁或修改其显示名称", missing);
	return 0;
}

typedef struct member_link {
	const zb_principal *who;
	int64_t mid, morg;
	char oname[200];
	int visible;
} member_link;

static void read_link(zb_stmt *st, void *ctx)
{
	member_link *l = ctx;
	l->mid = zb_col_int(st, 0);
	l->morg = zb_col_int(st, 1);
	if (zb_col_text(st, 2)) {
		snprintf(l->oname, sizeof l->oname, "%s", zb_col_text(st, 2));
		l->visible = !l->who || zb_authz_allows(l->who, P_ORG_READ, zb_col_text(st, 3));
	}
}

int zb_member_grant_check(zb_db *db, const zb_principal *who, int64_t user_id, int64_t org_id, zb_err *e)
{
	member_link l = {who, 0, 0, "", 0};
	int rc = zb_db_one(db, e, NULL, read_link, &l,
	                   "SELECT u.member_id, m.org_id, o.name, o.path FROM users u "
	                   "LEFT JOIN members m ON m.id = u.member_id LEFT JOIN orgs o ON o.id = m.org_id WHERE u.id = ?",
	                   "i", user_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	int64_t mid = l.mid, morg = l.morg;
	const char *oname = l.oname;
	int visible = l.visible;
	if (!mid || !morg)
		return zb_fail(e, ZB_EINVAL, "role", "该账号没有关联党员档案，不能授予“党员”角色（新建账号时填写 member_id）");
	if (morg != org_id) {
		if (!visible)
			return zb_fail(e, ZB_EINVAL, "org_id", "“党员”角色须授予在其党员档案所在的组织，该组织不在您的管理范围内");
		return zb_fail(e, ZB_EINVAL, "org_id", "“党员”角色须授予在其党员档案所在的组织（%s，编号 %lld）", oname,
		               (long long)morg);
	}
	return 0;
}
