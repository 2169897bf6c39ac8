/* session.c - login, sessions, API tokens, per-IP throttling. */
#include "audit/audit.h"
#include "auth/auth.h"
#include "core/escape.h"
#include "core/log.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void zb_token_hash(const char *token, char out[ZB_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, ZB_HASH_HEX, h, sizeof h);
}

static void new_token(const char *prefix, char out[64])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	size_t pl = strlen(prefix);
	memcpy(out, prefix, pl);
	sodium_bin2base64(out + pl, 64 - pl, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void zb_session_csrf(const char *token, char out[64])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)"zhibu-csrf-v1", 13, (const unsigned char *)token,
	                   strlen(token) > crypto_generichash_KEYBYTES_MAX ? crypto_generichash_KEYBYTES_MAX
	                                                                   : strlen(token));
	sodium_bin2base64(out, 64, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

/* ---- per-IP failure window (per node, in memory) ---- */

#define IP_SLOTS 4096
static struct {
	pthread_mutex_t mu;
	struct {
		char ip[48];
		int64_t start;
		int count;
	} s[IP_SLOTS];
} ipt = {.mu = PTHREAD_MUTEX_INITIALIZER};

static unsigned ip_slot(const char *ip)
{
	unsigned h = 5381;
	for (const char *p = ip; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h % IP_SLOTS;
}

static int ip_blocked(zb_app *app, const char *ip, int64_t now)
{
	pthread_mutex_lock(&ipt.mu);
	unsigned k = ip_slot(ip);
	int blocked = !strcmp(ipt.s[k].ip, ip) && now - ipt.s[k].start < app->cfg.ip_fail_window_secs &&
	              ipt.s[k].count >= app->cfg.ip_fail_limit;
	pthread_mutex_unlock(&ipt.mu);
	return blocked;
}

static void ip_fail(zb_app *app, const char *ip, int64_t now)
{
	pthread_mutex_lock(&ipt.mu);
	unsigned k = ip_slot(ip);
	if (strcmp(ipt.s[k].ip, ip) || now - ipt.s[k].start >= app->cfg.ip_fail_window_secs) {
		snprintf(ipt.s[k].ip, sizeof ipt.s[k].ip, "%s", ip);
		ipt.s[k].start = now;
		ipt.s[k].count = 0;
	}
	ipt.s[k].count++;
	pthread_mutex_unlock(&ipt.mu);
}

static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[17];
	zb_password_generate(pw);
	if (crypto_pwhash_str(dummy, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		dummy[0] = '\0';
}

/* A hash of a random password, to verify against for unknown users. */
static const char *dummy_hash(void)
{
	pthread_once(&dummy_once, make_dummy);
	return dummy;
}

static void audit_login(zb_app *app, zb_db *db, int64_t uid, const char *username, const char *ip,
                        const char *action, const char *why)
{
	char detail[256];
	zb_buf b;
	zb_buf_init(&b, 512);
	zb_buf_puts(&b, "{\"result\":");
	zb_esc_json(&b, why, strlen(why));
	zb_buf_putc(&b, '}');
	snprintf(detail, sizeof detail, "%s", b.data);
	zb_buf_release(&b);
	zb_audit_ev ev = {.user_id = uid, .username = username, .ip = ip, .action = action,
	                  .object_type = "user", .detail = detail};
	zb_err e = {0};
	if (zb_audit_append(db, app, &ev, &e))
		zb_error("audit login: %s", e.msg);
}

int zb_login(zb_app *app, zb_db *db, const char *username, const char *password, const char *ip,
             int64_t *user_id, char token_out[64], char csrf_out[64], zb_err *e)
{
	int64_t now = zb_now(app);
	if (ip_blocked(app, ip, now)) {
		audit_login(app, db, 0, username, ip, "auth.login_failed", "ip_throttled");
		return zb_fail(e, ZB_ERATE, NULL, "登录失败次数过多，请 15 分钟后再试");
	}
	int64_t uid = 0, locked_until = 0, failed = 0, disabled = 0;
	char hash[crypto_pwhash_STRBYTES] = "";
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT id, pw_hash, locked_until, failed_count, disabled FROM users WHERE username = ?",
	                          "s", username);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1) {
		uid = zb_col_int(st, 0);
		snprintf(hash, sizeof hash, "%s", zb_col_text(st, 1));
		locked_until = zb_col_int(st, 2);
		failed = zb_col_int(st, 3);
		disabled = zb_col_int(st, 4);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (uid && locked_until > now) {
		audit_login(app, db, uid, username, ip, "auth.login_failed", "locked");
		return zb_fail(e, ZB_ELOCKED, NULL, "账号因多次密码错误已被锁定，请在 %lld 分钟后再试",
		               (long long)((locked_until - now + 59) / 60));
	}
	/* an unknown user costs the same time as a wrong password */
	int ok = zb_password_verify(app, uid ? hash : dummy_hash(), password);
	if (!uid || !ok || disabled) {
		ip_fail(app, ip, now);
		if (uid && !disabled) {
			failed++;
			int64_t lock = failed >= app->cfg.lock_after_failures ? now + app->cfg.lock_secs : 0;
			zb_db_run(db, NULL, NULL, "UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?", "iii",
			          lock ? (int64_t)0 : failed, lock, uid);
			audit_login(app, db, uid, username, ip, "auth.login_failed", lock ? "wrong_password_locked" : "wrong_password");
			if (lock)
				return zb_fail(e, ZB_ELOCKED, NULL, "密码连续错误 %d 次，账号已锁定 %d 分钟",
				               app->cfg.lock_after_failures, app->cfg.lock_secs / 60);
		} else {
			audit_login(app, db, uid, username, ip, "auth.login_failed", disabled ? "disabled" : "unknown_user");
		}
		return zb_fail(e, ZB_EAUTH, NULL, "用户名或密码错误");
	}
	new_token("", token_out);
	zb_session_csrf(token_out, csrf_out);
	char th[ZB_HASH_HEX];
	zb_token_hash(token_out, th);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip) "
	               "VALUES (?,?,?,?,?,?)",
	               "siiiis", th, uid, now, now, now + app->cfg.session_max_secs, ip);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE users SET failed_count = 0, locked_until = 0, last_login_at = ? WHERE id = ?",
		               "ii", now, uid);
	zb_audit_ev ev = {.user_id = uid, .username = username, .ip = ip, .action = "auth.login", .object_type = "user"};
	if (!rc)
		rc = zb_audit_append(db, app, &ev, e);
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	if ((rc = zb_db_commit(db, e)))
		return rc;
	*user_id = uid;
	return 0;
}

int zb_session_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	zb_stmt *st = zb_db_query(db, e, "SELECT user_id, last_seen, expires_at FROM sessions WHERE token_hash = ?", "s", th);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	int64_t uid = 0, last = 0, exp = 0;
	if (rc == 1) {
		uid = zb_col_int(st, 0);
		last = zb_col_int(st, 1);
		exp = zb_col_int(st, 2);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!uid)
		return zb_fail(e, ZB_EAUTH, NULL, "未登录或会话已失效，请重新登录");
	int64_t now = zb_now(app);
	if (now - last > app->cfg.session_idle_secs || now >= exp) {
		zb_db_run(db, NULL, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", th);
		return zb_fail(e, ZB_EAUTH, NULL, "会话已超时，请重新登录");
	}
	/* refresh the idle clock at most once a minute: no write per request */
	if (now - last >= 60)
		zb_db_run(db, NULL, NULL, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "is", now, th);
	rc = zb_principal_load(db, uid, a, out, e);
	if (!rc)
		(*out)->token_hash = zb_arena_strdup(a, th);
	return rc;
}

int zb_session_revoke(zb_db *db, const char *token, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	return zb_db_run(db, e, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", th);
}

int zb_token_create(zb_db *db, zb_app *app, int64_t user_id, const char *name, char out[64], int64_t *id, zb_err *e)
{
	new_token("zb_", out);
	char th[ZB_HASH_HEX];
	zb_token_hash(out, th);
	char prefix[12];
	snprintf(prefix, sizeof prefix, "%.10s", out);
	return zb_db_int(db, e, id,
	                 "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?,?,?,?,?) "
	                 "RETURNING id",
	                 "isssi", user_id, name, th, prefix, zb_now(app));
}

int zb_token_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	zb_stmt *st = zb_db_query(db, e, "SELECT user_id, last_used_at FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
	                          "s", th);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	int64_t uid = rc == 1 ? zb_col_int(st, 0) : 0;
	int64_t last = rc == 1 ? zb_col_int(st, 1) : 0;
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!uid)
		return zb_fail(e, ZB_EAUTH, NULL, "API 令牌无效或已撤销");
	int64_t now = zb_now(app);
	if (now - last >= 60)
		zb_db_run(db, NULL, NULL, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", "is", now, th);
	rc = zb_principal_load(db, uid, a, out, e);
	if (!rc) {
		(*out)->via_token = 1;
		(*out)->token_hash = zb_arena_strdup(a, th);
	}
	return rc;
}

int zb_token_revoke(zb_db *db, int64_t id, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", "ii",
	                   (int64_t)time(NULL), id);
	if (!rc && !n)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个有效的令牌");
	return rc;
}
