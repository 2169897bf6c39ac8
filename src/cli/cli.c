#include "cli/cli.h"
#include "app/init.h"
#include "audit/audit.h"
#include "core/log.h"
#include "crypto/fieldprot.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int zb_cli_parse(int argc, char **argv, zb_opt *opts, const char **pos, int maxpos, int *npos)
{
	*npos = 0;
	int short_o = 0;
	for (zb_opt *o = opts; o->name && !short_o; o++)
		short_o = !strcmp(o->name, "output");
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (short_o && !strcmp(a, "-o")) /* the one short option people expect */
			a = "--output";
		if (strncmp(a, "--", 2) || !a[2]) {
			if (*npos >= maxpos) {
				fprintf(stderr, "zhibu: 多余的参数：%s\n", a);
				return -1;
			}
			pos[(*npos)++] = a;
			continue;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nl = eq ? (size_t)(eq - name) : strlen(name);
		zb_opt *o = opts;
		while (o->name && (strlen(o->name) != nl || strncmp(o->name, name, nl)))
			o++;
		if (!o->name) {
			fprintf(stderr, "zhibu: 不认识的选项：--%.*s（用 zhibu help 查看用法）\n", (int)nl, name);
			return -1;
		}
		if (!o->takes_value) {
			if (eq) {
				fprintf(stderr, "zhibu: 选项 --%s 不带值\n", o->name);
				return -1;
			}
			o->value = "1";
		} else if (eq) {
			o->value = eq + 1;
		} else if (i + 1 < argc) {
			o->value = argv[++i];
		} else {
			fprintf(stderr, "zhibu: 选项 --%s 需要一个值\n", o->name);
			return -1;
		}
		if (o->takes_value && !*o->value) {
			fprintf(stderr, "zhibu: 选项 --%s 的值不能为空\n", o->name);
			return -1;
		}
	}
	for (zb_opt *o = opts; o->name; o++)
		if (!o->value && o->env) {
			const char *v = getenv(o->env);
			if (v && *v)
				o->value = v;
		}
	return 0;
}

const char *zb_cli_get(zb_opt *opts, const char *name)
{
	for (zb_opt *o = opts; o->name; o++)
		if (!strcmp(o->name, name))
			return o->value;
	return NULL;
}

int zb_cli_fail(const zb_err *e)
{
	if (e->field[0])
		fprintf(stderr, "zhibu: %s（%s）\n", e->msg, e->field);
	else
		fprintf(stderr, "zhibu: %s\n", e->msg);
	return 1;
}

int zb_cli_failf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("zhibu: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int zb_cli_setting(zb_db *db, const char *key, char *out, size_t n, zb_err *e)
{
	out[0] = '\0';
	zb_text_buf b = {out, n};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT value FROM settings WHERE key = ?", "s", key);
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

static int open_checked(zb_app *app, zb_opt *opts, int need_keys, int check_schema, zb_db **db)
{
	zb_err e = {0};
	if (zb_app_init(app, zb_cli_get(opts, "db"), zb_cli_get(opts, "key-file"), &e))
		return zb_cli_fail(&e);
	if (zb_app_db(app, db, &e))
		return zb_cli_fail(&e);
	if (check_schema && zb_db_schema_check(*db, &e))
		return zb_cli_fail(&e);
	if (!need_keys)
		return 0;
	if (zb_app_load_keys(app, &e))
		return zb_cli_fail(&e);
	/* a rotation holds the key exclusively while it runs, and its
	 * record stays until it has finished (docs/SECURITY-FIELDS.md) */
	if (zb_key_lock(app, *db, NULL, 0, &e))
		return zb_cli_fail(&e);
	int64_t rotating = 0;
	char fp[80];
	if (zb_db_int(*db, &e, &rotating, "SELECT COUNT(*) FROM settings WHERE key = 'key_rotation_next'", "") ||
	    zb_cli_setting(*db, "key_fingerprint", fp, sizeof fp, &e))
		return zb_cli_fail(&e);
	if (rotating)
		return zb_cli_failf("密钥轮换尚未完成：请先运行 zhibu key rotate --db %s 完成轮换", app->db_uri);
	if (!fp[0])
		return zb_cli_failf("数据库尚未初始化：请先运行 zhibu init");
	if (zb_fp_key_verify(app->keys, fp, &e)) {
		fprintf(stderr, "zhibu: 密钥文件 %s 与数据库不匹配：%s\n", app->key_path, e.msg);
		return 1;
	}
	return 0;
}

int zb_cli_open(zb_app *app, zb_opt *opts, int need_keys, int check_schema, zb_db **db)
{
	int rc = open_checked(app, opts, need_keys, check_schema, db);
	if (rc)
		zb_app_release(app);
	return rc;
}

void zb_cli_actor(char *out, size_t n)
{
	struct passwd *pw = getpwuid(getuid());
	snprintf(out, n, "cli:%s", pw ? pw->pw_name : "?");
}

void zb_cli_audit(zb_app *app, zb_db *db, const char *action, const char *otype, int64_t oid, const char *detail)
{
	char who[96], idbuf[24];
	zb_cli_actor(who, sizeof who);
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)oid);
	zb_audit_ev ev = {.username = who, .ip = "local", .action = action, .object_type = otype,
	                  .object_id = oid ? idbuf : NULL, .detail = detail};
	zb_err e = {0};
	if (zb_audit_append(db, app, &ev, &e))
		zb_error("audit: %s", e.msg);
}

void zb_cli_progress(void *ctx, const char *what, size_t done, size_t total)
{
	(void)ctx;
	if (!isatty(STDERR_FILENO))
		return;
	if (!total) {
		fprintf(stderr, "\r%s…\033[K", what);
	} else {
		int width = 30, fill = (int)(done * (size_t)width / total);
		char bar[32];
		for (int i = 0; i < width; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[width] = '\0';
		fprintf(stderr, "\r%s [%s] %3d%% %zu/%zu\033[K", what, bar, (int)(done * 100 / total), done, total);
		if (done >= total)
			fputc('\n', stderr);
	}
	fflush(stderr);
}

int zb_cli_find_org(zb_db *db, const char *s, zb_arena *a, zb_org *o, zb_err *e)
{
	int rc = zb_org_get_by_code(db, s, a, o, e);
	if (rc != ZB_ENOTFOUND)
		return rc;
	char *end;
	long long id = strtoll(s, &end, 10);
	if (!*end && id > 0 && (rc = zb_org_get(db, id, a, o, e)) != ZB_ENOTFOUND)
		return rc;
	return zb_fail(e, ZB_ENOTFOUND, "org", "没有编码或编号为 %s 的组织", s);
}

int zb_cli_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, int quiet, zb_err *e)
{
	char who[96];
	zb_init_result res;
	zb_cli_actor(who, sizeof who);
	int rc = zb_init_db(app, db, root_name, root_code, who, &res, e);
	if (rc || quiet)
		return rc;
	printf("数据库：%s\n密钥文件：%s（请妥善备份，丢失后加密字段无法恢复）\n", app->db_uri, app->key_path);
	if (res.admin_password[0])
		printf("管理员账号：admin  初始密码：%s（只显示这一次）\n", res.admin_password);
	else
		printf("管理员账号：admin（密码取自 ZHIBU_ADMIN_PASSWORD）\n");
	return 0;
}
