/* authz.h - who may do what, where.  One function decides every access.
 *
 * Permissions are a small fixed set.  Roles (table `roles`) are named
 * bundles of them, granted to a user at an org node; a grant holds for the
 * node's whole subtree (org path prefix).  An object outside every subtree
 * where the caller holds the permission is answered as not found (404).
 */
#ifndef ZB_AUTHZ_H
#define ZB_AUTHZ_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef enum zb_perm {
	P_NONE = 0,
	P_ORG_READ = 1u << 0,
	P_ORG_WRITE = 1u << 1,
	P_MEMBER_READ = 1u << 2,
	P_MEMBER_WRITE = 1u << 3,
	P_MEMBER_SENSITIVE = 1u << 4, /* full ID numbers and phones */
	P_MEMBER_IMPORT = 1u << 5,
	P_MEMBER_EXPORT = 1u << 6,
	P_MEETING_READ = 1u << 7,
	P_MEETING_WRITE = 1u << 8,
	P_MEETING_UNLOCK = 1u << 9,
	P_MEETING_SIGNIN = 1u << 10,
	P_STATS_READ = 1u << 11,
	P_USER_MANAGE = 1u << 12,
	P_ROLE_GRANT = 1u << 13,
	P_AUDIT_READ = 1u << 14,
	P_SETTINGS_MANAGE = 1u << 15,
	P_SELF_READ = 1u << 16,
	P_SELF_WRITE = 1u << 17,
} zb_perm;

typedef struct zb_grant {
	int64_t id;
	const char *role;       /* role id, e.g. "party_worker" */
	const char *role_name;
	int64_t org_id;
	const char *org_path;   /* "/1/5/" */
	const char *org_name;
	unsigned perms;
} zb_grant;

/* The authenticated caller of one request.  All strings live in the
 * request arena. */
typedef struct zb_principal {
	int64_t user_id;
	const char *username;
	const char *display_name;
	int64_t member_id;      /* 0 if not linked to a member record */
	const char *member_org_path; /* the linked member's org path or NULL */
	int ngrants;
	zb_grant *grants;
	unsigned all_perms;     /* union over grants */
	int must_change_pw;     /* password was reset: until it is changed
	                         * the principal carries no grants at all, so
	                         * only routes without a permission answer
	                         * (auth/me, auth/password, auth/logout) */
	int via_token;          /* authenticated by API token, not cookie */
	const char *token_hash; /* session/API token hash (for logout) */
} zb_principal;

/* Parse "a.b,c.d" into a permission mask; unknown names are ignored. */
unsigned zb_perms_parse(const char *csv);
const char *zb_perm_name(unsigned single_perm);

/* THE decision: may p use perm on an object whose org path is path?
 * path NULL means "somewhere" (the caller holds perm at any node). */
int zb_authz_allows(const zb_principal *p, unsigned perm, const char *path);

/* Subtree roots (org paths) where p holds perm, with nested ones removed,
 * in the arena.  Lists filter by these. */
int zb_authz_roots(const zb_principal *p, unsigned perm, zb_arena *a, const char ***paths);

/* Load a principal (user row + grants) for user_id into the arena.
 * ZB_EAUTH if the user does not exist or is disabled.  A user who must
 * change a reset password gets must_change_pw and no grants. */
int zb_principal_load(zb_db *db, int64_t user_id, zb_arena *a, zb_principal **out, zb_err *e);

/* ---- 三员分立: classes of roles ----
 * The three administrator roles are each a class of their own; every other
 * role (org_admin, party_worker, member, local roles) is a business role.
 * One account holds roles of one class only. */
typedef enum zb_role_class {
	ZB_RC_BUSINESS = 0,
	ZB_RC_SYS_ADMIN,
	ZB_RC_SEC_ADMIN,
	ZB_RC_AUDIT_ADMIN,
} zb_role_class;
zb_role_class zb_role_class_of(const char *role_id);
/* 1 for administrator roles (sys_admin, sec_admin, audit_admin). */
int zb_role_is_admin(const char *role_id);
/* Privileged: org_admin, or a role whose permissions include any of
 * member.sensitive, user.manage, role.grant, audit.read, settings.manage.
 * Grants of these roles, and password resets of accounts holding one,
 * wait for a second administrator (dual control). */
int zb_role_is_privileged(const char *role_id, unsigned perms);
/* The check of a new grant against the roles user_id already holds: ZB_ECONFLICT
 * naming both roles when the classes differ.  Also loads whether the user
 * holds an administrator role (*holds_admin, may be NULL). */
int zb_grant_class_check(zb_db *db, int64_t user_id, const char *role_id, int *holds_admin, zb_err *e);

/* 1 if path is within root (prefix test on materialized paths). */
int zb_path_within(const char *path, const char *root);
/* 1 if path is the path of a tree's top org ("/1/"). */
int zb_path_is_top(const char *path);
/* Upper bound for a subtree range query: path >= root AND path < upper. */
void zb_path_upper(const char *root, char *out, size_t outsz);

#endif
