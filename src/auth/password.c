#include "auth/auth.h"

#include <semaphore.h>
#include <stdio.h>
#include <sodium.h>
#include <pthread.h>
#include <string.h>

static sem_t hash_sem;
static pthread_once_t sem_once = PTHREAD_ONCE_INIT;
static int sem_n = 2;

static void sem_setup(void)
{
	if (sodium_init() < 0)
		return;
	sem_init(&hash_sem, 0, (unsigned)sem_n);
}

static void gate_enter(zb_app *app)
{
	if (app && app->cfg.hash_concurrency > 0)
		sem_n = app->cfg.hash_concurrency;
	pthread_once(&sem_once, sem_setup);
	while (sem_wait(&hash_sem) != 0)
		;
}

static void gate_leave(void)
{
	sem_post(&hash_sem);
}

/* ASCII lower-casing into out (bytes >= 0x80 kept as they are). */
static void lower_copy(const char *in, char *out, size_t outsz)
{
	size_t i = 0;
	for (; in[i] && i + 1 < outsz; i++)
		out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
	out[i] = '\0';
}

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int zb_password_policy(const char *username, const char *pw, zb_err *e)
{
	if (!pw)
		return zb_fail(e, ZB_EINVAL, "password", "缺少密码");
	size_t chars = 0;
	int lower = 0, upper = 0, digit = 0, other = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			chars++;
		if (*p >= 'a' && *p <= 'z')
			lower = 1;
		else if (*p >= 'A' && *p <= 'Z')
			upper = 1;
		else if (*p >= '0' && *p <= '9')
			digit = 1;
		else
			other = 1;
	}
	if (strlen(pw) > 256)
		return zb_fail(e, ZB_EINVAL, "password", "密码过长（最多 256 字节）");
	if (chars < 8)
		return zb_fail(e, ZB_EINVAL, "password", "密码太短：至少需要 8 个字符（目前 %zu 个）", chars);
	int classes = lower + upper + digit + other;
	if (classes < 3)
		return zb_fail(e, ZB_EINVAL, "password",
		               "密码须包含大写字母、小写字母、数字、符号四类中的至少三类（目前只有 %d 类）", classes);
	char lpw[260], luser[80];
	lower_copy(pw, lpw, sizeof lpw);
	if (username && *username) {
		lower_copy(username, luser, sizeof luser);
		if (strlen(luser) >= 3 ? strstr(lpw, luser) != NULL : !strcmp(lpw, luser))
			return zb_fail(e, ZB_EINVAL, "password", "密码不能包含用户名（不区分大小写）");
	}
	int blocked = zb_password_blocked(lpw);
	if (!blocked) {
		/* "Abc@1234!" is as weak as "abc@1234" */
		size_t n = strlen(lpw);
		while (n && !is_alnum(lpw[n - 1]) && !((unsigned char)lpw[n - 1] & 0x80))
			lpw[--n] = '\0';
		blocked = n && zb_password_blocked(lpw);
	}
	sodium_memzero(lpw, sizeof lpw);
	if (blocked)
		return zb_fail(e, ZB_EINVAL, "password", "密码过于常见（在常用弱密码名单中），请换一个不易猜到的密码");
	return 0;
}

/* The current hash and the recent ones, each once. */
typedef struct history {
	char hashes[ZB_PW_HISTORY + 1][crypto_pwhash_STRBYTES];
	int n;
} history;

static int add_hash(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	history *h = ctx;
	const char *pw_hash = zb_col_text(st, 0) ? zb_col_text(st, 0) : "";
	int dup = 0;
	for (int i = 0; i < h->n && !dup; i++)
		dup = !strcmp(h->hashes[i], pw_hash);
	if (!dup && h->n < ZB_PW_HISTORY + 1)
		snprintf(h->hashes[h->n++], sizeof h->hashes[0], "%s", pw_hash);
	return 0;
}

int zb_password_reused(zb_app *app, zb_db *db, int64_t user_id, const char *pw, int *reused, zb_err *e)
{
	*reused = 0;
	/* the current hash first (accounts made before the history was kept,
	 * or by `zhibu init`/`demo`, have no history row yet), then the history */
	history h = {.n = 0};
	int rc = zb_db_each(db, e, add_hash, &h,
	                    "SELECT pw_hash, 0 AS k, 0 AS id FROM users WHERE id = ? UNION ALL "
	                    "SELECT * FROM (SELECT pw_hash, 1 AS k, id FROM password_history WHERE user_id = ? "
	                    "ORDER BY id DESC LIMIT ?) h ORDER BY k, id DESC",
	                    "iii", user_id, user_id, (int64_t)ZB_PW_HISTORY);
	if (rc)
		return rc;
	for (int i = 0; i < h.n && !*reused; i++)
		*reused = h.hashes[i][0] == '$' && zb_password_verify(app, h.hashes[i], pw);
	return 0;
}

int zb_password_store(zb_app *app, zb_db *db, int64_t user_id, const char *hash, int must_change,
                      const char *keep_session, zb_err *e)
{
	int64_t now = zb_now(app);
	int rc = zb_db_run(db, e, NULL,
	                   "UPDATE users SET pw_hash = ?, must_change_pw = ?, pw_changed_at = ?, failed_count = 0, "
	                   "locked_until = 0, updated_at = ? WHERE id = ?",
	                   "siiii", hash, (int64_t)(must_change ? 1 : 0), now, now, user_id);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "INSERT INTO password_history (user_id, pw_hash, set_at) VALUES (?,?,?)", "isi",
		               user_id, hash, now);
	/* keep the newest ZB_PW_HISTORY rows */
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM password_history WHERE user_id = ? AND id NOT IN (SELECT id FROM password_history "
		               "WHERE user_id = ? ORDER BY id DESC LIMIT ?)",
		               "iii", user_id, user_id, (int64_t)ZB_PW_HISTORY);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?", "is", user_id,
		               keep_session ? keep_session : "");
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
		               "ii", now, user_id);
	if (!rc) {
		char name[80] = "";
		zb_text_buf b = {name, sizeof name};
		rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT username FROM users WHERE id = ?", "i", user_id);
		if (rc == ZB_ENOTFOUND)
			rc = 0;
		if (!rc && name[0])
			rc = zb_login_clear(db, name, e);
	}
	return rc;
}

int zb_password_hash(zb_app *app, const char *pw, char *out, size_t outsz, zb_err *e)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：缓冲区过小");
	gate_enter(app);
	int rc = crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	gate_leave();
	return rc ? zb_fail(e, ZB_EINTERNAL, NULL, "密码处理失败（内存不足）") : 0;
}

int zb_password_verify(zb_app *app, const char *hash, const char *pw)
{
	gate_enter(app);
	int rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	gate_leave();
	return rc == 0;
}

void zb_password_generate(char out[17])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	pthread_once(&sem_once, sem_setup);
	zb_err e = {0};
	do {
		for (int i = 0; i < 16; i++)
			out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
		out[16] = '\0';
	} while (zb_password_policy(NULL, out, &e)); /* all three classes */
}
