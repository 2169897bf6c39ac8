#include "app/app.h"
#include "crypto/fieldprot.h"
#include "core/log.h"
#include "io/membudget.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_key_t db_key;
static pthread_once_t db_once = PTHREAD_ONCE_INIT;

static void close_db(void *p)
{
	zb_db_close(p);
}

static void make_key(void)
{
	pthread_key_create(&db_key, close_db);
}

static int64_t real_now(void)
{
	return (int64_t)time(NULL);
}

static char *default_key_path(const char *uri)
{
	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13))
		return strdup("zhibu.key");
	size_t n = strlen(uri);
	const char *dot = strrchr(uri, '.');
	const char *slash = strrchr(uri, '/');
	if (dot && (!slash || dot > slash))
		n = (size_t)(dot - uri);
	char *p = malloc(n + 5);
	if (p) {
		memcpy(p, uri, n);
		memcpy(p + n, ".key", 5);
	}
	return p;
}

static char *default_data_dir(const char *uri)
{
	if (!strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13))
		return strdup("data");
	const char *slash = strrchr(uri, '/');
	if (!slash)
		return strdup(".");
	return strndup(uri, (size_t)(slash - uri));
}

/* A size in MiB from the environment: absent keeps *out; 1..1048576. */
static int env_mb(const char *name, size_t *out, zb_err *e)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 1048576)
		return zb_fail(e, ZB_EINVAL, name, "%s 应为 1 到 1048576 之间的整数（单位 MB，收到 %s）", name, v);
	*out = (size_t)n << 20;
	return 0;
}

int zb_app_init(zb_app *app, const char *db_uri, const char *key_path, zb_err *e)
{
	memset(app, 0, sizeof *app);
	pthread_once(&db_once, make_key);
	/* Everything this process creates (database, -wal/-shm, attachments,
	 * exports, temporary files) holds personal data: owner only, files
	 * 0600 and directories 0700, whatever umask the service started with. */
	umask(077);
	if (!db_uri || !*db_uri)
		return zb_fail(e, ZB_EINVAL, "db", "未指定数据库：请用 --db 或环境变量 ZHIBU_DB");
	app->db_uri = strdup(db_uri);
	app->key_path = key_path ? strdup(key_path) : default_key_path(db_uri);
	const char *dd = getenv("ZHIBU_DATA_DIR");
	app->data_dir = dd && *dd ? strdup(dd) : default_data_dir(db_uri);
	const char *web = getenv("ZHIBU_WEB_ROOT");
	app->web_root = strdup(web && *web ? web : "web/dist");
	app->cfg = (zb_config){
		.session_idle_secs = 30 * 60,
		.session_max_secs = 12 * 3600,
		.lock_after_failures = 5,
		.lock_secs = 15 * 60,
		.ip_fail_limit = 30,
		.ip_fail_window_secs = 15 * 60,
		.threads = 4,
		.hash_concurrency = 2,
		.trust_proxy = 0,
		.upload_client_max = (size_t)64 << 20,
		.upload_total_max = (size_t)256 << 20,
		.answer_client_max = (size_t)128 << 20,
		.answer_total_max = (size_t)512 << 20,
		.import_memory = (size_t)256 << 20,
		.denied_audit_per_min = 20,
		.conn_per_ip = 256,
	};
	const char *idle = getenv("ZHIBU_SESSION_IDLE");
	if (idle && atoi(idle) > 0)
		app->cfg.session_idle_secs = atoi(idle);
	const char *ipl = getenv("ZHIBU_IP_FAIL_LIMIT");
	if (ipl && atoi(ipl) > 0)
		app->cfg.ip_fail_limit = atoi(ipl);
	const char *thr = getenv("ZHIBU_THREADS");
	if (thr && atoi(thr) > 0 && atoi(thr) <= 64)
		app->cfg.threads = atoi(thr);
	const char *tp = getenv("ZHIBU_TRUST_PROXY");
	app->cfg.trust_proxy = tp && !strcmp(tp, "1");
	const char *cpi = getenv("ZHIBU_CONN_PER_IP");
	if (cpi && *cpi) {
		char *end;
		long v = strtol(cpi, &end, 10);
		if (*end || v < 0 || v > 100000)
			return zb_fail(e, ZB_EINVAL, "ZHIBU_CONN_PER_IP", "ZHIBU_CONN_PER_IP 应为 0 到 100000 之间的整数（0 为不限，收到 %s）",
			               cpi);
		app->cfg.conn_per_ip = (int)v;
	}
	int rc;
	if ((rc = env_mb("ZHIBU_UPLOAD_CLIENT_MB", &app->cfg.upload_client_max, e)) ||
	    (rc = env_mb("ZHIBU_UPLOAD_TOTAL_MB", &app->cfg.upload_total_max, e)) ||
	    (rc = env_mb("ZHIBU_ANSWER_CLIENT_MB", &app->cfg.answer_client_max, e)) ||
	    (rc = env_mb("ZHIBU_ANSWER_TOTAL_MB", &app->cfg.answer_total_max, e)) ||
	    (rc = env_mb("ZHIBU_IMPORT_MEMORY_MB", &app->cfg.import_memory, e)))
		return rc;
	const char *lvl = getenv("ZHIBU_LOG");
	if (lvl && *lvl && zb_log_set_level(lvl))
		return zb_fail(e, ZB_EINVAL, "ZHIBU_LOG", "ZHIBU_LOG 应为 info、warn 或 error（收到 %s）", lvl);
	const char *mt = getenv("ZHIBU_METRICS_TOKEN");
	if (mt && *mt) {
		if (strlen(mt) < 32 || strlen(mt) > 256)
			return zb_fail(e, ZB_EINVAL, "ZHIBU_METRICS_TOKEN",
			               "ZHIBU_METRICS_TOKEN 应为 32 到 256 个字符的随机串（收到 %zu 个字符）", strlen(mt));
		for (const char *c = mt; *c; c++)
			if (*c <= ' ' || *c > '~')
				return zb_fail(e, ZB_EINVAL, "ZHIBU_METRICS_TOKEN", "ZHIBU_METRICS_TOKEN 只能含可见的 ASCII 字符");
		app->metrics_token = strdup(mt);
		if (!app->metrics_token)
			return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	const char *dpm = getenv("ZHIBU_DENIED_AUDIT_PER_MIN");
	if (dpm && *dpm) {
		char *end;
		long v = strtol(dpm, &end, 10);
		if (*end || v < 1 || v > 100000)
			return zb_fail(e, ZB_EINVAL, "ZHIBU_DENIED_AUDIT_PER_MIN",
			               "ZHIBU_DENIED_AUDIT_PER_MIN 应为 1 到 100000 之间的整数（收到 %s）", dpm);
		app->cfg.denied_audit_per_min = (int)v;
	}
	app->import_budget = malloc(sizeof *app->import_budget);
	if (app->import_budget)
		zb_membudget_init(app->import_budget, app->cfg.import_memory);
	app->now = real_now;
	if (!app->db_uri || !app->key_path || !app->data_dir || !app->web_root || !app->import_budget)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	/* a missing data directory is made owner-only; an existing one is
	 * left as the operator set it, with a warning if others may enter */
	struct stat st;
	if (mkdir(app->data_dir, 0700) != 0 && errno != EEXIST)
		zb_warn("无法创建数据目录 %s：%s", app->data_dir, strerror(errno));
	else if (stat(app->data_dir, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 077) && st.st_uid == geteuid() &&
	         strcmp(app->data_dir, "."))
		zb_warn("数据目录 %s 的权限为 %04o，同组或其他用户可以访问；建议 chmod 700 %s", app->data_dir,
		        (unsigned)(st.st_mode & 07777), app->data_dir);
	return 0;
}

int zb_app_load_keys(zb_app *app, zb_err *e)
{
	if (app->keys)
		return 0;
	return zb_keys_load(app->key_path, &app->keys, e);
}

void zb_app_release(zb_app *app)
{
	zb_app_db_close_thread();
	zb_keys_free(app->keys);
	free(app->db_uri);
	free(app->key_path);
	free(app->web_root);
	free(app->data_dir);
	free(app->metrics_token);
	free(app->import_budget);
	memset(app, 0, sizeof *app);
}

int zb_app_db(zb_app *app, zb_db **out, zb_err *e)
{
	pthread_once(&db_once, make_key);
	zb_db *db = pthread_getspecific(db_key);
	if (db) {
		*out = db;
		return 0;
	}
	int rc = zb_db_open(app->db_uri, &db, e);
	if (rc)
		return rc;
	pthread_setspecific(db_key, db);
	*out = db;
	return 0;
}

void zb_app_db_close_thread(void)
{
	pthread_once(&db_once, make_key);
	zb_db *db = pthread_getspecific(db_key);
	if (db) {
		zb_db_close(db);
		pthread_setspecific(db_key, NULL);
	}
}

int64_t zb_now(const zb_app *app)
{
	return app && app->now ? app->now() : real_now();
}

void zb_today(const zb_app *app, char out[11])
{
	time_t t = (time_t)zb_now(app) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	int d = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(d / 10000) % 10000u, (unsigned)(d / 100 % 100), (unsigned)(d % 100));
}

int zb_today_int(const zb_app *app)
{
	time_t t = (time_t)zb_now(app) + 8 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}
