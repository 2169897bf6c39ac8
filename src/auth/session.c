/* session.c - login, sessions, API tokens, per-IP throttling. */
#include "audit/audit.h"
#include "auth/auth.h"
#include "auth/pcache.h"
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

/* Take one attempt from ip's window before its password is verified: 1
 * (nothing taken) when the window already holds ip_fail_limit failures.
 * Taking it first, not after the verification, keeps concurrent attempts
 * from one address within the limit as well. */
static int ip_take(zb_app *app, const char *ip, int64_t now)
{
	pthread_mutex_lock(&ipt.mu);
	unsigned k = ip_slot(ip);
	if (strcmp(ipt.s[k].ip, ip) || now - ipt.s[k].start >= app->cfg.ip_fail_window_secs) {
		snprintf(ipt.s[k].ip, sizeof ipt.s[k].ip, "%s", ip);
		ipt.s[k].start = now;
		ipt.s[k].count = 0;
	}
	int blocked = ipt.s[k].count >= app->cfg.ip_fail_limit;
	if (!blocked)
		ipt.s[k].count++;
	pthread_mutex_unlock(&ipt.mu);
	return blocked;
}

/* Give back an attempt that did not fail (a login, or a refusal that
 * verified no password). */
static void ip_give_back(const char *ip)
{
	pthread_mutex_lock(&ipt.mu);
	unsigned k = ip_slot(ip);
	if (!strcmp(ipt.s[k].ip, ip) && ipt.s[k].count > 0)
		ipt.s[k].count--;
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

/* ---- refused logins in the audit trail (per node, in memory) ----
 *
 * A login refused by the address throttle, a lock or the name delay
 * verifies no password, so a client can send them as fast as it likes.
 * Like access.denied, at most cfg.denied_audit_per_min such
 * auth.login_failed rows are written per client address a minute; the
 * rest are counted, and one auth.login_failed.suppressed row with the
 * counts by result is written when the address's next minute begins (or
 * its slot is taken by another address). */
enum { RF_IP, RF_LOCKED, RF_NAME, RF_N };
static const char *const refuse_names[RF_N] = {"ip_throttled", "locked", "name_throttled"};
#define REFUSE_SLOTS 1024
#define REFUSE_WINDOW 60
static struct {
	pthread_mutex_t mu;
	struct {
		char ip[48];
		int64_t start;
		int written;
		int64_t by[RF_N];
	} s[REFUSE_SLOTS];
} rft = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void refuse_summary(zb_app *app, zb_db *db, const char *ip, int64_t start, const int64_t by[RF_N])
{
	if (!by[RF_IP] && !by[RF_LOCKED] && !by[RF_NAME])
		return;
	char detail[256];
	snprintf(detail, sizeof detail,
	         "{\"suppressed\":%lld,\"window_start\":%lld,\"by_result\":{\"%s\":%lld,\"%s\":%lld,\"%s\":%lld}}",
	         (long long)(by[RF_IP] + by[RF_LOCKED] + by[RF_NAME]), (long long)start, refuse_names[RF_IP],
	         (long long)by[RF_IP], refuse_names[RF_LOCKED], (long long)by[RF_LOCKED], refuse_names[RF_NAME],
	         (long long)by[RF_NAME]);
	zb_audit_ev ev = {.ip = ip, .action = "auth.login_failed.suppressed", .object_type = "user", .detail = detail};
	zb_err e = {0};
	if (zb_audit_append(db, app, &ev, &e))
		zb_error("audit login: %s", e.msg);
}

static void audit_refused(zb_app *app, zb_db *db, const char *username, const char *ip, int why, int64_t now)
{
	char old_ip[48] = "";
	int64_t old_by[RF_N] = {0}, old_start = 0;
	int write = 0;
	pthread_mutex_lock(&rft.mu);
	unsigned k = ip_slot(ip) % REFUSE_SLOTS;
	if (strcmp(rft.s[k].ip, ip) || now - rft.s[k].start >= REFUSE_WINDOW) {
		snprintf(old_ip, sizeof old_ip, "%s", rft.s[k].ip);
		memcpy(old_by, rft.s[k].by, sizeof old_by);
		old_start = rft.s[k].start;
		snprintf(rft.s[k].ip, sizeof rft.s[k].ip, "%s", ip);
		rft.s[k].start = now;
		rft.s[k].written = 0;
		memset(rft.s[k].by, 0, sizeof rft.s[k].by);
	}
	if (rft.s[k].written < app->cfg.denied_audit_per_min) {
		rft.s[k].written++;
		write = 1;
	} else {
		rft.s[k].by[why]++;
	}
	pthread_mutex_unlock(&rft.mu);
	if (old_ip[0])
		refuse_summary(app, db, old_ip, old_start, old_by);
	if (write)
		audit_login(app, db, 0, username, ip, "auth.login_failed", refuse_names[why]);
}

/* ---- failures by name, in the database (every node sees them) ----
 *
 * Two counters per name: 'p:' name '|' address (one client address) and
 * 'a:' name (all addresses).  The name is counted whether or not it is an
 * account, so the answers never depend on whether it exists.
 *   - lock_after_failures (5) failures of one name from one address lock
 *     that address out of that name for lock_secs (15 min): an attacker
 *     locks only himself, the owner logs in from elsewhere;
 *   - from THROTTLE_DELAY_AFTER (10) failures of a name from all addresses
 *     together, each next attempt must wait 2^(n-9) s (2, 4, 8 ... at most
 *     THROTTLE_MAX_DELAY, 5 min) after the last failure;
 *   - THROTTLE_HARD_LOCK (50) failures from all addresses lock the name for
 *     everybody for lock_secs (and again after each further failure);
 *   - both name-wide measures apply only while failures of the name come
 *     from at least THROTTLE_MIN_ADDRESSES (3) addresses within the name
 *     window: one or two addresses, however patient (failures spaced past
 *     the address lock), slow and lock only themselves.
 * A counter starts again when its first failure is older than its window
 * (one address: ip_fail_window_secs, 15 min; all addresses: 24 h), after a
 * successful login, a password change or reset, and an administrator's
 * unlock.  Refusals by a lock or a delay verify no password, for real and
 * unknown names alike. */
#define THROTTLE_DELAY_AFTER 10
#define THROTTLE_MAX_DELAY 300
#define THROTTLE_HARD_LOCK 50
#define THROTTLE_MIN_ADDRESSES 3
#define THROTTLE_ACCOUNT_WINDOW (24 * 3600)

typedef struct throttle {
	int64_t fails, first_at, last_at, locked_until;
} throttle;

static void key_pair(char *out, size_t n, const char *username, const char *ip)
{
	snprintf(out, n, "p:%s|%s", username, ip ? ip : "");
}

static void key_name(char *out, size_t n, const char *username)
{
	snprintf(out, n, "a:%s", username);
}

static int throttle_get(zb_db *db, const char *key, int64_t now, int64_t window, throttle *t, zb_err *e)
{
	memset(t, 0, sizeof *t);
	int64_t v[4] = {0, 0, 0, 0};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT fails, first_at, last_at, locked_until FROM login_throttle WHERE tkey = ?", "s", key);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	*t = (throttle){v[0], v[1], v[2], v[3]};
	if (t->locked_until <= now && now - t->first_at >= window) {
		int64_t keep = t->locked_until;
		memset(t, 0, sizeof *t); /* the window has passed: start again */
		t->locked_until = keep;
	}
	return 0;
}

static int throttle_put(zb_db *db, const char *key, const throttle *t, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO login_throttle (tkey, fails, first_at, last_at, locked_until) VALUES (?,?,?,?,?) "
	                 "ON CONFLICT (tkey) DO UPDATE SET fails = excluded.fails, first_at = excluded.first_at, "
	                 "last_at = excluded.last_at, locked_until = excluded.locked_until",
	                 "siiii", key, t->fails, t->first_at, t->last_at, t->locked_until);
}

static int64_t name_delay(int64_t fails)
{
	if (fails < THROTTLE_DELAY_AFTER)
		return 0;
	int64_t d = 2;
	for (int64_t i = THROTTLE_DELAY_AFTER; i < fails && d < THROTTLE_MAX_DELAY; i++)
		d *= 2;
	return d < THROTTLE_MAX_DELAY ? d : THROTTLE_MAX_DELAY;
}

typedef struct key_count {
	const char *lo; /* "p:username|" */
	size_t ll;
	int64_t *n;
} key_count;

static int count_key(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	key_count *c = ctx;
	const char *k = zb_col_text(st, 0);
	if (k && strlen(k) >= c->ll && !strncmp(k, c->lo, c->ll) && !strchr(k + c->ll, '|'))
		(*c->n)++;
	return 0;
}

/* The number of client addresses with a failure of username in the name
 * window: its 'p:' rows whose last failure is recent enough.  A row of a
 * longer typed name that merely begins with "username|" is not one of
 * them (an address holds no '|'). */
static int name_addresses(zb_db *db, const char *username, int64_t now, int64_t *n, zb_err *e)
{
	char lo[200];
	*n = 0;
	snprintf(lo, sizeof lo, "p:%s|", username);
	size_t ll = strlen(lo);
	/* a prefix compared by substr (in characters), not by a key range,
	 * so no collation of the database changes which rows match */
	int64_t chars = 0;
	for (const unsigned char *c = (const unsigned char *)lo; *c; c++)
		chars += (*c & 0xC0) != 0x80;
	key_count c = {lo, ll, n};
	return zb_db_each(db, e, count_key, &c,
	                  "SELECT tkey FROM login_throttle WHERE substr(tkey, 1, ?) = ? AND last_at > ?", "isi", chars, lo,
	                  now - THROTTLE_ACCOUNT_WINDOW);
}

static int lock_answer(int64_t until, int64_t now, zb_err *e)
{
	return zb_fail(e, ZB_ELOCKED, NULL, "登录失败次数过多，账号已被暂时锁定，请 %lld 分钟后再试",
	               (long long)((until - now + 59) / 60));
}

int zb_login_gate(zb_app *app, zb_db *db, const char *username, const char *ip, zb_err *e)
{
	int64_t now = zb_now(app);
	char kp[200], ka[120];
	key_pair(kp, sizeof kp, username, ip);
	key_name(ka, sizeof ka, username);
	throttle tp, ta;
	int rc = throttle_get(db, kp, now, app->cfg.ip_fail_window_secs, &tp, e);
	if (!rc)
		rc = throttle_get(db, ka, now, THROTTLE_ACCOUNT_WINDOW, &ta, e);
	if (rc)
		return rc;
	int64_t until = tp.locked_until > ta.locked_until ? tp.locked_until : ta.locked_until;
	if (until > now)
		return lock_answer(until, now, e);
	int64_t wait = ta.last_at + name_delay(ta.fails) - now, addrs = 0;
	if (!name_delay(ta.fails) || wait <= 0)
		return 0;
	if ((rc = name_addresses(db, username, now, &addrs, e)))
		return rc;
	if (addrs >= THROTTLE_MIN_ADDRESSES)
		return zb_fail(e, ZB_ERATE, NULL, "该账号近期登录失败较多，请 %lld 秒后再试", (long long)wait);
	return 0;
}

int zb_login_failure(zb_app *app, zb_db *db, const char *username, const char *ip, zb_err *e)
{
	int64_t now = zb_now(app);
	char kp[200], ka[120];
	key_pair(kp, sizeof kp, username, ip);
	key_name(ka, sizeof ka, username);
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	throttle tp, ta;
	rc = throttle_get(db, kp, now, app->cfg.ip_fail_window_secs, &tp, e);
	if (!rc)
		rc = throttle_get(db, ka, now, THROTTLE_ACCOUNT_WINDOW, &ta, e);
	int locked = 0;
	if (!rc) {
		for (throttle *t = &tp; t; t = t == &tp ? &ta : NULL) {
			if (!t->fails)
				t->first_at = now;
			t->fails++;
			t->last_at = now;
		}
		if (tp.fails >= app->cfg.lock_after_failures) {
			tp.locked_until = now + app->cfg.lock_secs;
			locked = 1;
		}
		rc = throttle_put(db, kp, &tp, e);
		int64_t addrs = 0;
		if (!rc && ta.fails >= THROTTLE_HARD_LOCK)
			rc = name_addresses(db, username, now, &addrs, e);
		if (!rc && ta.fails >= THROTTLE_HARD_LOCK && addrs >= THROTTLE_MIN_ADDRESSES) {
			ta.locked_until = now + app->cfg.lock_secs;
			locked = 1;
		}
		if (!rc)
			rc = throttle_put(db, ka, &ta, e);
		/* the same statement for real and unknown names */
		if (!rc)
			rc = zb_db_run(db, e, NULL, "UPDATE users SET failed_count = ?, locked_until = ? WHERE username = ?", "iis",
			               ta.fails, ta.locked_until, username);
		/* now and then, forget old rows */
		if (!rc && randombytes_uniform(64) == 0)
			rc = zb_db_run(db, e, NULL, "DELETE FROM login_throttle WHERE last_at < ? AND locked_until < ?", "ii",
			               now - THROTTLE_ACCOUNT_WINDOW, now);
	}
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	if ((rc = zb_db_commit(db, e)))
		return rc;
	if (locked)
		return zb_fail(e, ZB_ELOCKED, NULL, "密码连续错误次数过多，账号已被暂时锁定 %d 分钟", app->cfg.lock_secs / 60);
	return 0;
}

int zb_login_clear(zb_db *db, const char *username, zb_err *e)
{
	char ka[120], lo[200], hi[200];
	key_name(ka, sizeof ka, username);
	snprintf(lo, sizeof lo, "p:%s|", username);
	snprintf(hi, sizeof hi, "p:%s}", username); /* '}' follows '|' */
	int rc = zb_db_run(db, e, NULL, "DELETE FROM login_throttle WHERE tkey = ? OR (tkey >= ? AND tkey < ?)", "sss", ka,
	                   lo, hi);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE users SET failed_count = 0, locked_until = 0 WHERE username = ?", "s",
		               username);
	return rc;
}

int zb_session_member_only(zb_db *db, int64_t uid, int *out, zb_err *e)
{
	*out = 0;
	int64_t v[3] = {0, 0, 0}; /* grants, member grants, must_change_pw */
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT (SELECT COUNT(*) FROM grants WHERE user_id = ?), "
	                   "(SELECT COUNT(*) FROM grants WHERE user_id = ? AND role_id = 'member'), "
	                   "(SELECT must_change_pw FROM users WHERE id = ?)",
	                   "iii", uid, uid, uid);
	if (rc)
		return rc; /* the row of subqueries is always there */
	*out = v[0] > 0 && v[0] == v[1] && !v[2];
	return 0;
}

typedef struct login_row {
	int64_t uid;
	char hash[crypto_pwhash_STRBYTES];
	int64_t disabled;
} login_row;

static void read_login(zb_stmt *st, void *ctx)
{
	login_row *u = ctx;
	u->uid = zb_col_int(st, 0);
	snprintf(u->hash, sizeof u->hash, "%s", zb_col_text(st, 1));
	u->disabled = zb_col_int(st, 2);
}

/* A login whose attempt is taken from the address's window; *failed set
 * when a password was verified and refused (the attempt stays taken). */
static int login(zb_app *app, zb_db *db, const char *username, const char *password, const char *ip, int64_t now,
                 int *failed, int64_t *user_id, char token_out[64], char csrf_out[64], zb_err *e)
{
	int rc = zb_login_gate(app, db, username, ip, e);
	if (rc) {
		if (rc == ZB_ELOCKED || rc == ZB_ERATE)
			audit_refused(app, db, username, ip, rc == ZB_ELOCKED ? RF_LOCKED : RF_NAME, now);
		return rc;
	}
	login_row u = {0, "", 0};
	rc = zb_db_one(db, e, NULL, read_login, &u, "SELECT id, pw_hash, disabled FROM users WHERE username = ?", "s",
	               username);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	int64_t uid = u.uid, disabled = u.disabled;
	const char *hash = u.hash;
	/* an unknown user costs the same time as a wrong password */
	int ok = zb_password_verify(app, uid ? hash : dummy_hash(), password);
	if (!uid || !ok || disabled) {
		*failed = 1;
		zb_err fe = {0};
		int frc = zb_login_failure(app, db, username, ip, &fe);
		audit_login(app, db, uid, username, ip, "auth.login_failed",
		            !uid ? "unknown_user" : disabled ? "disabled" : frc == ZB_ELOCKED ? "wrong_password_locked" : "wrong_password");
		if (frc) {
			*e = fe;
			return frc;
		}
		return zb_fail(e, ZB_EAUTH, NULL, "用户名或密码错误");
	}
	new_token("", token_out);
	zb_session_csrf(token_out, csrf_out);
	char th[ZB_HASH_HEX];
	zb_token_hash(token_out, th);
	int64_t life = app->cfg.session_max_secs;
	int member_only = 0;
	if ((rc = zb_session_member_only(db, uid, &member_only, e)))
		return rc;
	if (member_only)
		life = ZB_MEMBER_SESSION_SECS;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, ip) "
	               "VALUES (?,?,?,?,?,?)",
	               "siiiis", th, uid, now, now, now + life, ip);
	if (!rc)
		rc = zb_login_clear(db, username, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE users SET last_login_at = ? WHERE id = ?", "ii", now, uid);
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

int zb_login(zb_app *app, zb_db *db, const char *username, const char *password, const char *ip,
             int64_t *user_id, char token_out[64], char csrf_out[64], zb_err *e)
{
	int64_t now = zb_now(app);
	if (ip_take(app, ip, now)) {
		audit_refused(app, db, username, ip, RF_IP, now);
		return zb_fail(e, ZB_ERATE, NULL, "登录失败次数过多，请 15 分钟后再试");
	}
	int failed = 0;
	int rc = login(app, db, username, password, ip, now, &failed, user_id, token_out, csrf_out, e);
	if (!failed)
		ip_give_back(ip);
	return rc;
}

/* Whether a session's times (as last read) still allow it: the limits of
 * zb_session_resolve, for a cached entry.  0 does not mean expired: the
 * row is read again (another node may have refreshed the idle stamp). */
static int session_live(const zb_app *app, const zb_pc_info *in, int64_t now)
{
	int longer = in->expires_at - in->created_at > app->cfg.session_max_secs;
	int64_t idle = longer ? ZB_MEMBER_SESSION_SECS : app->cfg.session_idle_secs;
	if (now - in->last_seen > idle || now >= in->expires_at)
		return 0;
	if (longer && !in->member_only &&
	    (now - in->last_seen > app->cfg.session_idle_secs || now - in->created_at >= app->cfg.session_max_secs))
		return 0;
	return 1;
}

/* Refresh the idle stamp of a cached session or token at most once a
 * minute, as the slow path does.  0 when its row is gone (then the entry
 * is dropped and the caller reads the database). */
static int refresh(zb_db *db, const char *th, zb_pc_kind kind, int64_t last, int64_t now)
{
	if (now - last < 60)
		return 1;
	int64_t n = -1;
	int rc = kind == ZB_PC_SESSION
	             ? zb_db_run(db, NULL, &n, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "is", now, th)
	             : zb_db_run(db, NULL, &n, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", "is", now, th);
	if (!rc && n == 0) {
		zb_pcache_drop(th);
		return 0;
	}
	if (!rc)
		zb_pcache_touch(th, kind, now);
	return 1;
}

static void session_end(zb_db *db, const char *th)
{
	zb_pcache_drop(th);
	zb_db_run(db, NULL, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", th);
}

int zb_session_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	int64_t now = zb_now(app);
	/* read before the rows it stands for (auth/pcache.h) */
	int64_t ver = zb_pcache_version(db);
	zb_pc_info in;
	zb_principal *p = NULL;
	if (zb_pcache_get(th, ZB_PC_SESSION, ver, a, &in, &p) && session_live(app, &in, now) &&
	    refresh(db, th, ZB_PC_SESSION, in.last_seen, now)) {
		p->token_hash = zb_arena_strdup(a, th);
		*out = p;
		return 0;
	}
	int64_t v[4] = {0, 0, 0, 0};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT user_id, last_seen, expires_at, created_at FROM sessions WHERE token_hash = ?", "s", th);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	int64_t uid = v[0], last = v[1], exp = v[2], created = v[3];
	if (!uid) {
		zb_pcache_drop(th);
		return zb_fail(e, ZB_EAUTH, NULL, "未登录或会话已失效，请重新登录");
	}
	/* a long session was given to a member-only account at login */
	int longer = exp - created > app->cfg.session_max_secs;
	int64_t idle = longer ? ZB_MEMBER_SESSION_SECS : app->cfg.session_idle_secs;
	if (now - last > idle || now >= exp) {
		session_end(db, th);
		return zb_fail(e, ZB_EAUTH, NULL, "会话已超时，请重新登录");
	}
	rc = zb_principal_load(db, uid, a, out, e);
	if (rc)
		return rc;
	/* an account that holds more than the member role now (a grant added
	 * after login, a password reset) keeps only the short session */
	int member_only = 0;
	if (longer) {
		if ((rc = zb_session_member_only(db, uid, &member_only, e)))
			return rc;
		if (!member_only && (now - last > app->cfg.session_idle_secs || now - created >= app->cfg.session_max_secs)) {
			session_end(db, th);
			return zb_fail(e, ZB_EAUTH, NULL, "会话已超时，请重新登录");
		}
	}
	/* refresh the idle clock at most once a minute: no write per request */
	if (now - last >= 60) {
		zb_db_run(db, NULL, NULL, "UPDATE sessions SET last_seen = ? WHERE token_hash = ?", "is", now, th);
		last = now;
	}
	(*out)->token_hash = zb_arena_strdup(a, th);
	zb_pc_info put = {.user_id = uid, .last_seen = last, .expires_at = exp, .created_at = created,
	                  .member_only = member_only};
	zb_pcache_put(th, ZB_PC_SESSION, ver, &put, *out);
	return 0;
}

int zb_session_revoke(zb_db *db, const char *token, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	zb_pcache_drop(th);
	return zb_db_run(db, e, NULL, "DELETE FROM sessions WHERE token_hash = ?", "s", th);
}

int zb_token_create(zb_db *db, zb_app *app, int64_t user_id, const char *name, int days, char out[64], int64_t *id,
                    zb_err *e)
{
	if (days == 0)
		days = ZB_TOKEN_DAYS;
	if (days < 1 || days > ZB_TOKEN_MAX_DAYS)
		return zb_fail(e, ZB_EINVAL, "days", "令牌有效期应为 1–%d 天", ZB_TOKEN_MAX_DAYS);
	int64_t now = zb_now(app);
	new_token("zb_", out);
	char th[ZB_HASH_HEX];
	zb_token_hash(out, th);
	char prefix[12];
	snprintf(prefix, sizeof prefix, "%.10s", out);
	return zb_db_int(db, e, id,
	                 "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) "
	                 "VALUES (?,?,?,?,?,?) RETURNING id",
	                 "isssii", user_id, name, th, prefix, now, now + (int64_t)days * 86400);
}

int zb_token_resolve(zb_app *app, zb_db *db, const char *token, zb_arena *a, zb_principal **out, zb_err *e)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(token, th);
	int64_t now = zb_now(app);
	int64_t ver = zb_pcache_version(db);
	zb_pc_info in;
	zb_principal *p = NULL;
	if (zb_pcache_get(th, ZB_PC_TOKEN, ver, a, &in, &p) && now < in.expires_at &&
	    refresh(db, th, ZB_PC_TOKEN, in.last_seen, now)) {
		p->via_token = 1;
		p->token_hash = zb_arena_strdup(a, th);
		*out = p;
		return 0;
	}
	int64_t v[3] = {0, 0, 0};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT user_id, last_used_at, expires_at FROM api_tokens WHERE token_hash = ? "
	                   "AND revoked_at IS NULL AND expires_at > ?",
	                   "si", th, now);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	int64_t uid = v[0], last = v[1], exp = v[2];
	if (!uid) {
		zb_pcache_drop(th);
		return zb_fail(e, ZB_EAUTH, NULL, "API 令牌无效、已过期或已撤销");
	}
	if (now - last >= 60) {
		zb_db_run(db, NULL, NULL, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?", "is", now, th);
		last = now;
	}
	rc = zb_principal_load(db, uid, a, out, e);
	if (!rc) {
		(*out)->via_token = 1;
		(*out)->token_hash = zb_arena_strdup(a, th);
		zb_pc_info put = {.user_id = uid, .last_seen = last, .expires_at = exp};
		zb_pcache_put(th, ZB_PC_TOKEN, ver, &put, *out);
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
