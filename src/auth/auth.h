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
/* Policy: at least 10 characters, not the username, not all one char. */
int zb_password_policy(const char *username, const char *pw, zb_err *e);
/* A random password that meets the policy (16 chars). */
void zb_password_generate(char out[17]);

/* Log in: checks lock, password, throttles; on success creates a session.
 * token_out/csrf_out receive the cookie value and CSRF token.  Audits
 * success and failure.  Answers ZB_EAUTH without saying whether the user
 * exists, ZB_ELOCKED when locked, ZB_ERATE when the IP is throttled. */
int zb_login(zb_app *app, zb_db *db, const char *username, const char *password, const char *ip,
             int64_t *user_id, char token_out[64], char csrf_out[64], zb_err *e);

/* Resolve a session cookie to a principal (arena).  Enforces idle and
 * absolute expiry (expired sessions are deleted): ZB_EAUTH. */
int zb_session_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out,
                       zb_err *e);
int zb_session_revoke(zb_db *db, const char *token, zb_err *e);
void zb_session_csrf(const char *token, char out[64]);

/* API tokens: "zb_" + base64url.  Created for a user; only the hash kept. */
int zb_token_create(zb_db *db, zb_app *app, int64_t user_id, const char *name, char out[64], int64_t *id,
                    zb_err *e);
int zb_token_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e);
int zb_token_revoke(zb_db *db, int64_t id, zb_err *e);

/* Hash of a token as hex (BLAKE2b-256). */
void zb_token_hash(const char *token, char out[ZB_HASH_HEX]);

#endif
