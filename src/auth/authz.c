#include "auth/authz.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	unsigned bit;
	const char *name;
} perm_names[] = {
	{P_ORG_READ, "org.read"}, {P_ORG_WRITE, "org.write"}, {P_MEMBER_READ, "member.read"},
	{P_MEMBER_WRITE, "member.write"}, {P_MEMBER_SENSITIVE, "member.sensitive"},
	{P_MEMBER_IMPORT, "member.import"}, {P_MEMBER_EXPORT, "member.export"},
	{P_MEETING_READ, "meeting.read"}, {P_MEETING_WRITE, "meeting.write"},
	{P_MEETING_UNLOCK, "meeting.unlock"}, {P_MEETING_SIGNIN, "meeting.signin"},
	{P_STATS_READ, "stats.read"}, {P_USER_MANAGE, "user.manage"}, {P_ROLE_GRANT, "role.grant"},
	{P_AUDIT_READ, "audit.read"}, {P_SETTINGS_MANAGE, "settings.manage"},
	{P_SELF_READ, "self.read"}, {P_SELF_WRITE, "self.write"},
};

unsigned zb_perms_parse(const char *csv)
{
	unsigned m = 0;
	const char *p = csv ? csv : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		for (size_t i = 0; i < sizeof perm_names / sizeof perm_names[0]; i++)
			if (strlen(perm_names[i].name) == n && !strncmp(perm_names[i].name, p, n))
				m |= perm_names[i].bit;
		p += n + (end ? 1 : 0);
	}
	return m;
}

const char *zb_perm_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof perm_names / sizeof perm_names[0]; i++)
		if (perm_names[i].bit == bit)
			return perm_names[i].name;
	return NULL;
}

int zb_path_within(const char *path, const char *root)
{
	if (!path || !root)
		return 0;
	return !strncmp(path, root, strlen(root));
}

int zb_path_is_top(const char *path)
{
	return strchr(path + 1, '/') == path + strlen(path) - 1;
}

void zb_path_upper(const char *root, char *out, size_t outsz)
{
	/* '/1/2/' -> '/1/20': the last '/' replaced by the next byte '0' */
	snprintf(out, outsz, "%s", root);
	size_t n = strlen(out);
	if (n && out[n - 1] == '/')
		out[n - 1] = '0';
}

int zb_authz_allows(const zb_principal *p, unsigned perm, const char *path)
{
	if (!p)
		return 0;
	for (int i = 0; i < p->ngrants; i++) {
		const zb_grant *g = &p->grants[i];
		if ((g->perms & perm) != perm)
			continue;
		if (!path || zb_path_within(path, g->org_path))
			return 1;
	}
	return 0;
}

int zb_authz_roots(const zb_principal *p, unsigned perm, zb_arena *a, const char ***paths)
{
	int n = 0;
	const char **out = zb_arena_alloc(a, sizeof *out * (size_t)(p ? p->ngrants + 1 : 1));
	for (int i = 0; p && i < p->ngrants; i++) {
		const zb_grant *g = &p->grants[i];
		if ((g->perms & perm) != perm)
			continue;
		int covered = 0;
		for (int j = 0; j < p->ngrants && !covered; j++) {
			const zb_grant *h = &p->grants[j];
			if (j == i || (h->perms & perm) != perm)
				continue;
			size_t lh = strlen(h->org_path), lg = strlen(g->org_path);
			if (zb_path_within(g->org_path, h->org_path) && (lh < lg || j < i))
				covered = 1;
		}
		if (!covered)
			out[n++] = g->org_path;
	}
	out[n] = NULL;
	*paths = out;
	return n;
}

typedef struct principal_row {
	zb_arena *a;
	zb_principal *p;
	int disabled;
} principal_row;

static void read_principal(zb_stmt *st, void *ctx)
{
	principal_row *r = ctx;
	zb_principal *p = r->p;
	zb_arena *a = r->a;
	p->username = zb_arena_strdup(a, zb_col_text(st, 0));
	p->display_name = zb_arena_strdup(a, zb_col_text(st, 1));
	p->member_id = zb_col_int(st, 2);
	r->disabled = zb_col_int(st, 3) != 0;
	p->member_org_path = zb_arena_strdup(a, zb_col_text(st, 4));
	p->must_change_pw = zb_col_int(st, 5) != 0;
}

typedef struct grant_list {
	zb_arena *a;
	zb_principal *p;
	size_t cap;
} grant_list;

static int add_grant(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	grant_list *l = ctx;
	zb_principal *p = l->p;
	zb_arena *a = l->a;
	ZB_AGROW(a, p->grants, (size_t)p->ngrants, l->cap);
	zb_grant *g = &p->grants[p->ngrants++];
	g->id = zb_col_int(st, 0);
	g->role = zb_arena_strdup(a, zb_col_text(st, 1));
	g->role_name = zb_arena_strdup(a, zb_col_text(st, 2));
	g->perms = zb_perms_parse(zb_col_text(st, 3));
	g->org_id = zb_col_int(st, 4);
	g->org_path = zb_arena_strdup(a, zb_col_text(st, 5));
	g->org_name = zb_arena_strdup(a, zb_col_text(st, 6));
	p->all_perms |= g->perms;
	return 0;
}

int zb_principal_load(zb_db *db, int64_t user_id, zb_arena *a, zb_principal **out, zb_err *e)
{
	zb_principal *p = zb_arena_alloc(a, sizeof *p);
	p->user_id = user_id;
	principal_row r = {a, p, 0};
	int rc = zb_db_one(db, e, NULL, read_principal, &r,
	                   "SELECT u.username, u.display_name, u.member_id, u.disabled, m.org_path, u.must_change_pw "
	                   "FROM users u LEFT JOIN member_orgpath m ON m.member_id = u.member_id "
	                   "WHERE u.id = ?",
	                   "i", user_id);
	if (rc == ZB_ENOTFOUND || (!rc && r.disabled))
		return zb_fail(e, ZB_EAUTH, NULL, "账号不存在或已停用");
	if (rc)
		return rc;
	if (p->must_change_pw) {
		/* nothing but changing the password until it is changed */
		p->grants = zb_arena_alloc(a, sizeof *p->grants);
		*out = p;
		return 0;
	}

	grant_list l = {a, p, 0};
	if ((rc = zb_db_each(db, e, add_grant, &l,
	                     "SELECT g.id, g.role_id, r.name, r.perms, g.org_id, o.path, o.name "
	                     "FROM grants g JOIN roles r ON r.id = g.role_id JOIN orgs o ON o.id = g.org_id "
	                     "WHERE g.user_id = ? ORDER BY g.id",
	                     "i", user_id)))
		return rc;
	*out = p;
	return 0;
}

zb_role_class zb_role_class_of(const char *role_id)
{
	if (!role_id)
		return ZB_RC_BUSINESS;
	if (!strcmp(role_id, "sys_admin"))
		return ZB_RC_SYS_ADMIN;
	if (!strcmp(role_id, "sec_admin"))
		return ZB_RC_SEC_ADMIN;
	if (!strcmp(role_id, "audit_admin"))
		return ZB_RC_AUDIT_ADMIN;
	return ZB_RC_BUSINESS;
}

int zb_role_is_admin(const char *role_id)
{
	return zb_role_class_of(role_id) != ZB_RC_BUSINESS;
}

int zb_role_is_privileged(const char *role_id, unsigned perms)
{
	return (role_id && !strcmp(role_id, "org_admin")) || zb_role_is_admin(role_id) ||
	       (perms & (P_MEMBER_SENSITIVE | P_USER_MANAGE | P_ROLE_GRANT | P_AUDIT_READ | P_SETTINGS_MANAGE));
}

typedef struct class_check {
	zb_role_class want;
	int *holds_admin;
	char clash[64], clash_name[64]; /* the first role held of another class */
} class_check;

static int check_class(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	class_check *c = ctx;
	const char *held = zb_col_text(st, 0);
	if (zb_role_is_admin(held) && c->holds_admin)
		*c->holds_admin = 1;
	if (zb_role_class_of(held) != c->want && !c->clash[0]) {
		snprintf(c->clash, sizeof c->clash, "%s", held);
		snprintf(c->clash_name, sizeof c->clash_name, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : held);
	}
	return 0;
}

int zb_grant_class_check(zb_db *db, int64_t user_id, const char *role_id, int *holds_admin, zb_err *e)
{
	if (holds_admin)
		*holds_admin = 0;
	class_check c = {zb_role_class_of(role_id), holds_admin, "", ""};
	int rc = zb_db_each(db, e, check_class, &c,
	                    "SELECT DISTINCT g.role_id, r.name FROM grants g JOIN roles r ON r.id = g.role_id "
	                    "WHERE g.user_id = ? ORDER BY g.role_id",
	                    "i", user_id);
	if (rc)
		return rc;
	const char *clash = c.clash, *clash_name = c.clash_name;
	if (clash[0])
		return zb_fail(e, ZB_ECONFLICT, "role",
		               "三员分立：该账号已有角色“%s”（%s），不能再授予 %s；系统管理员、安全管理员、审计管理员三者互斥，"
		               "且不能与业务角色同时授予一个账号",
		               clash_name, clash, role_id);
	return 0;
}
