/* auth.h - passwords, login throttling, sessions and API tokens.
 *
 * Session and API tokens are 32 random bytes, base64url; the database keeps
 * only a BLAKE2b hash of each, so a copy of the database does not let anyone
 * log in.  The CSRF token of a session is derived from its session token
 * (keyed hash), so it needs no storage and /auth/me can give it back to a
 * reloaded page; a cross-site page can neither read it nor compute it.
 */
#ifndef ZB_AUTH_H
#define ZB_AUTH_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

#define ZB_TOKEN_LEN 44   /* base64url of 32 bytes + prefix room */
#define ZB_HASH_HEX 65

/* argon2id (libsodium, INTERACTIVE limits); at most cfg.hash_concurrency
 * hashes run at once (64 MiB each). */
int zb_password_hash(zb_app *app, const char *pw, char *out, size_t outsz, zb_err *e);
int zb_password_verify(zb_app *app, const char *hash, const char *pw);   /* 1 = match */
/* Policy (等保 三级): at least 8 characters (at most 256 bytes) from at
 * least 3 of 4 classes (lower case, upper case, digits, anything else), not
 * containing the username (case-insensitive; usernames of 3 or more
 * characters, shorter ones only may not equal it), not in the blocklist of
 * common passwords (case-insensitive, also with trailing symbols removed).
 * The message names the rule that failed; e->field is "password". */
int zb_password_policy(const char *username, const char *pw, zb_err *e);
/* 1 if the lower-case string is on the blocklist (pwblock.c). */
int zb_password_blocked(const char *lower);
size_t zb_password_blocklist_size(void);
/* A random password that meets the policy (16 chars). */
void zb_password_generate(char out[17]);

/* How many recent passwords an account may not use again (the current
 * one included). */
#define ZB_PW_HISTORY 5
/* *reused = 1 if pw is the current password of user_id or one of the last
 * ZB_PW_HISTORY kept in its history (argon2id verification against each). */
int zb_password_reused(zb_app *app, zb_db *db, int64_t user_id, const char *pw, int *reused, zb_err *e);
/* Make hash the password of user_id, inside the caller's write
 * transaction: recorded in the history (older rows beyond ZB_PW_HISTORY
 * removed), must_change_pw set as given, every session of the user ended
 * except the one whose token hash is keep_session (NULL: all), every API
 * token of the user revoked, login throttles of the name cleared. */
int zb_password_store(zb_app *app, zb_db *db, int64_t user_id, const char *hash, int must_change,
                      const char *keep_session, zb_err *e);

/* Log in: checks lock, password, throttles; on success creates a session.
 * token_out/csrf_out receive the cookie value and CSRF token.  Audits
 * success and failure.  Answers ZB_EAUTH without saying whether the user
 * exists, ZB_ELOCKED when the name is locked (for this address or for
 * all), ZB_ERATE when the address is throttled or the name must wait.
 * Throttles count names, not accounts: an unknown name and a real one
 * answer alike in body, status and time (see docs/SECURITY.md). */
int zb_login(zb_app *app, zb_db *db, const char *username, const char *password, const char *ip,
             int64_t *user_id, char token_out[64], char csrf_out[64], zb_err *e);

/* Sessions of accounts whose every grant is the member role (own record
 * only) last ZB_MEMBER_SESSION_SECS, idle or not: a member signs in at
 * meetings from their own phone without logging in each time.  Any other
 * role, no grant at all, or a password that must be changed first: the
 * short session (idle and absolute limits of the config).  A long session
 * whose account gains a wider role falls back to the short limits at its
 * next request.  *out: 1 when uid is such an account now. */
#define ZB_MEMBER_SESSION_SECS (30 * 86400)
int zb_session_member_only(zb_db *db, int64_t uid, int *out, zb_err *e);

/* Resolve a session cookie to a principal (arena).  Enforces idle and
 * absolute expiry (expired sessions are deleted): ZB_EAUTH.  Answered from
 * the node's principal cache while auth_version is unchanged (pcache.h);
 * the limits are checked on every request either way.  zb_token_resolve
 * likewise for API tokens. */
/* The throttles alone, for other checks of a password (the old password
 * of a change): zb_login_gate answers ZB_ELOCKED/ZB_ERATE when the name may
 * not try now; zb_login_failure records one failure of the name from ip
 * (own write transaction) and answers ZB_ELOCKED when it locked the name;
 * zb_login_clear forgets every failure of the name (administrator unlock,
 * inside the caller's transaction). */
int zb_login_gate(zb_app *app, zb_db *db, const char *username, const char *ip, zb_err *e);
int zb_login_failure(zb_app *app, zb_db *db, const char *username, const char *ip, zb_err *e);
int zb_login_clear(zb_db *db, const char *username, zb_err *e);

int zb_session_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out,
                       zb_err *e);
int zb_session_revoke(zb_db *db, const char *token, zb_err *e);
void zb_session_csrf(const char *token, char out[64]);

/* API tokens: "zb_" + base64url.  Created for a user; only the hash kept.
 * They expire after `days` days (ZB_TOKEN_DAYS when 0; 1..ZB_TOKEN_MAX_DAYS)
 * and are revoked when the owner's password changes or is reset. */
#define ZB_TOKEN_DAYS 90
#define ZB_TOKEN_MAX_DAYS 366
int zb_token_create(zb_db *db, zb_app *app, int64_t user_id, const char *name, int days, char out[64], int64_t *id,
                    zb_err *e);
int zb_token_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e);
int zb_token_revoke(zb_db *db, int64_t id, zb_err *e);

/* ---- account rules (accounts.c) ---- */

/* Dual control (双人复核): on unless the setting row 'dual_control' is
 * '0' (`zhibu user dual-control off --reason ...`, audited). */
int zb_dual_control(zb_db *db, int *on, zb_err *e);
int zb_dual_control_set(zb_db *db, int on, const char *reason, zb_err *e);
/* May `who` reset the password of (or disable) account `target`?  Never
 * their own; and for every grant the target holds, who must hold all of
 * its permissions over that grant's org (a member's self.read/self.write/
 * meeting.signin are covered by member.read/member.write/meeting.write):
 * a sys_admin cannot reset an account holding a role it does not hold,
 * an org_admin cannot reset an administrator.  ZB_EFORBIDDEN naming the
 * role otherwise.  A grant waiting for its second approver counts as
 * held (so nobody learns the password of an account about to become
 * privileged).  The same rule covers unlocking it and renaming it.
 * *privileged (may be NULL) = the target holds, or waits for, a
 * privileged role (zb_role_is_privileged). */
int zb_account_guard(zb_db *db, const zb_principal *who, int64_t target, int *privileged, zb_err *e);
/* The `member` role follows the linked member record: the account must
 * be linked to a member (ZB_EINVAL, field role) whose org is org_id
 * (ZB_EINVAL, field org_id, naming the right org when `who` may read it;
 * who NULL: always). */
int zb_member_grant_check(zb_db *db, const zb_principal *who, int64_t user_id, int64_t org_id, zb_err *e);

/* Hash of a token as hex (BLAKE2b-256). */
void zb_token_hash(const char *token, char out[ZB_HASH_HEX]);

#endif
