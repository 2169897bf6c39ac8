/* users.h - the administration of accounts (三员分立): accounts are
 * managed with user.manage, roles are granted only with role.grant, and a
 * privileged change waits for a second administrator (dual control).
 * users.c: accounts, roles, the own password; grants.c: grants and the
 * requests that wait for their second administrator.
 *
 * Every change runs in a write transaction of its own together with its
 * audit row, done by `who` from address `ip`.  The checks of scope the
 * dispatcher made (the account or org lies where who holds the power) are
 * not repeated; the rules on whose account may be touched are those of
 * accounts.c, shared with the CLI.
 */
#ifndef ZB_AUTH_USERS_H
#define ZB_AUTH_USERS_H

#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* A request waits this many days for its second administrator. */
#define ZB_APPROVAL_DAYS 7

/* ---- accounts (users.c) ---- */

/* The audit actor: who (NULL: nobody) from address ip. */
zb_audit_ev zb_actor_of(const zb_principal *who, const char *ip);

typedef struct zb_account {
	int64_t id;
	const char *username, *display_name;
	int64_t member_id;        /* 0: not linked */
	int disabled;
	int64_t locked_until;     /* locked while later than now */
	int must_change_pw;
	int64_t last_login_at;    /* 0: never */
} zb_account;

/* Accounts who may see, by id after `after`: those with a grant inside
 * one of who's user.manage subtrees, and for managers at the top of a
 * tree those without a grant.  At most limit into *rows (arena); *more
 * = 1 when accounts past the last one remain to be looked at. */
int zb_accounts_list(zb_db *db, const zb_principal *who, int64_t after, int64_t limit, zb_arena *a,
                     zb_account **rows, int *n, int *more, zb_err *e);

/* A new account: username 2-32 of [A-Za-z0-9_.-], display name (NULL:
 * the username) without invisible characters, a password that meets the
 * policy and is to be changed at the first login, optionally linked to
 * member_id (> 0), which must lie where who both manages accounts and
 * reads members (ZB_ENOTFOUND on field member_id otherwise).  Audited
 * "user.create". */
int zb_account_create(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, const char *username,
                      const char *display_name, const char *password, int64_t member_id, int64_t *id,
                      zb_err *e);

/* What a change of an account sets; has_* says a member was given. */
typedef struct zb_account_patch {
	int has_display_name;
	const char *display_name;   /* NULL clears */
	int has_disabled, disabled; /* disabling ends the account's sessions */
	int has_unlock, unlock;     /* unlock: forget the failed logins */
	const char *password;       /* NULL: unchanged; else reset, changed at
	                             * the next login */
} zb_account_patch;

/* Change account id (under org_path): nobody changes their own account
 * or one holding a role they lack (zb_account_guard).  A password reset
 * of an account holding or awaiting a privileged role waits for a second
 * administrator under dual control: *pending gets the request's id (0
 * otherwise).  Audited "user.update", "user.password_reset" or
 * "user.password_reset_request". */
int zb_account_update(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                      const char *org_path, const zb_account_patch *p, int64_t *pending, zb_err *e);

/* Change who's own password: the old one is checked under the login
 * throttles (a wrong one is audited "user.password_failed" and counted as
 * a failed login; when that locks the name, who's session ends too and
 * *session_ended is 1); the new one must meet the policy and not be a
 * recent one (field new_password).  Other sessions and every API token of
 * the account end; who's session stays.  Audited "user.password". */
int zb_password_change(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, const char *old_pw,
                       const char *new_pw, int *session_ended, zb_err *e);

typedef struct zb_role_row {
	const char *id, *name, *perms;   /* perms: "a.b,c.d" */
} zb_role_row;
/* Every role, built-in first (arena). */
int zb_roles_list(zb_db *db, zb_arena *a, zb_role_row **rows, int *n, zb_err *e);

/* ---- grants and requests (grants.c) ---- */

/* Grant role at org (org_path) to account uid.  Never to oneself, never
 * an administrator role, not a second role of another class, the member
 * role only at the org of the linked member, a privileged role only to an
 * account whose owner has changed the password an administrator set.
 * Under dual control a privileged role waits: *pending gets the
 * request's id, else *grant_id the grant's.  Audited "grant.create" or
 * "grant.request". */
int zb_grant_add(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t uid, const char *role,
                 int64_t org, const char *org_path, int64_t *grant_id, int64_t *pending, zb_err *e);
/* Remove grant id (at org_path); administrator roles only by the operator
 * (ZB_EFORBIDDEN).  Audited "grant.delete". */
int zb_grant_revoke(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                    const char *org_path, zb_err *e);

/* A request waiting for a second administrator. */
typedef struct zb_approval {
	int64_t id;
	const char *kind;           /* "grant" or "password_reset" */
	int64_t user_id;
	const char *username;
	const char *role;           /* grant: the role; else NULL */
	int64_t org_id;             /* grant: the org; else 0 */
	const char *org_path;
	int64_t requested_by;
	const char *requester;      /* username of requested_by */
	int64_t requested_at;
	const char *status;         /* "pending", "confirmed", "rejected" */
} zb_approval;

/* Whether dual control is on, and the pending requests of the last
 * ZB_APPROVAL_DAYS who may see (asked for them, or holds their power:
 * role.grant at the org of a grant, user.manage over the account of a
 * reset), oldest first, at most 500 looked at (arena). */
int zb_approvals_list(zb_app *app, zb_db *db, const zb_principal *who, zb_arena *a, int *dual, zb_approval **rows,
                      int *n, zb_err *e);
/* Confirm request id as the second administrator (not the requester, not
 * the account concerned, holding its power), after the checks of the
 * request are made again: the grant is made (*grant_id) or the password
 * set.  A request who may not see, or that is gone, is ZB_ENOTFOUND; one
 * decided or expired ZB_ECONFLICT. */
int zb_approval_confirm(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id,
                        int64_t *grant_id, zb_err *e);
/* Reject request id, or withdraw it (its requester).  Audited
 * "approval.reject". */
int zb_approval_reject(zb_app *app, zb_db *db, const zb_principal *who, const char *ip, int64_t id, zb_err *e);

#endif
