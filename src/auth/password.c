#include "auth/auth.h"

#include <semaphore.h>
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

int zb_password_policy(const char *username, const char *pw, zb_err *e)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
		if ((*p & 0xC0) != 0x80)
			chars++;
	if (chars < 10)
		return zb_fail(e, ZB_EINVAL, "password", "密码至少需要 10 个字符");
	if (strlen(pw) > 256)
		return zb_fail(e, ZB_EINVAL, "password", "密码过长（最多 256 字节）");
	if (username && !strcasecmp(username, pw))
		return zb_fail(e, ZB_EINVAL, "password", "密码不能与用户名相同");
	int same = 1;
	for (const char *p = pw; *p; p++)
		if (*p != pw[0])
			same = 0;
	if (same)
		return zb_fail(e, ZB_EINVAL, "password", "密码不能由同一个字符重复组成");
	return 0;
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
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[16] = '\0';
}
