/* zhibu init / zhibu migrate */
#include "auth/auth.h"
#include "cli/cli.h"
#include "crypto/fieldprot.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_migrate(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 0, 0, &db);
	if (!rc) {
		zb_err e = {0};
		int n = 0;
		if (zb_db_migrate(db, &n, &e))
			rc = zb_cli_fail(&e);
		else
			printf("migrations applied: %d\n", n);
	}
	zb_app_release(&app);
	return rc;
}

/* Create schema, key file, root org and the admin account in one go.
 * Shared with `zhibu demo`, which starts from the same state. */
int zb_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, int quiet, zb_err *e);
int zb_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, int quiet, zb_err *e)
{
	int n = 0, rc;
	if ((rc = zb_db_migrate(db, &n, e)))
		return rc;
	int64_t have = 0;
	if ((rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM settings WHERE key = 'key_fingerprint'", "")))
		return rc;
	if (have)
		return zb_fail(e, ZB_ECONFLICT, "db", "数据库已经初始化过（%s）", app->db_uri);
	if (access(app->key_path, F_OK) != 0 && (rc = zb_keys_create(app->key_path, e)))
		return rc;
	if ((rc = zb_app_load_keys(app, e)))
		return rc;
	char fp[65];
	zb_fp_key_fingerprint(app->keys, fp);

	const char *pw = getenv("ZHIBU_ADMIN_PASSWORD");
	char gen[17];
	int generated = 0;
	if (!pw || !*pw) {
		zb_password_generate(gen);
		pw = gen;
		generated = 1;
	} else if ((rc = zb_password_policy("admin", pw, e))) {
		return rc;
	}
	char hash[256];
	if ((rc = zb_password_hash(app, pw, hash, sizeof hash, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t now = zb_now(app), root = 0, uid = 0;
	zb_org o = {.name = root_name, .type = "committee", .code = root_code, .domain = "organ"};
	rc = zb_db_run(db, e, NULL, "INSERT INTO settings (key, value) VALUES ('key_fingerprint', ?)", "s", fp);
	if (!rc)
		rc = zb_org_insert(db, now, 0, &o, &root, e);
	if (!rc)
		rc = zb_db_int(db, e, &uid,
		               "INSERT INTO users (username, display_name, pw_hash, created_at, updated_at) "
		               "VALUES ('admin', '管理员', ?, ?, ?) RETURNING id",
		               "sii", hash, now, now);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?, 'org_admin', ?, ?)", "iii",
		               uid, root, now);
	if (!rc)
		zb_cli_audit(app, db, "system.init", "org", root, NULL);
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	if ((rc = zb_db_commit(db, e)))
		return rc;
	if (!quiet) {
		printf("数据库：%s\n密钥文件：%s（请妥善备份，丢失后加密字段无法恢复）\n", app->db_uri, app->key_path);
		if (generated)
			printf("管理员账号：admin  初始密码：%s（只显示这一次）\n", gen);
		else
			printf("管理员账号：admin（密码取自 ZHIBU_ADMIN_PASSWORD）\n");
	}
	return 0;
}

int cmd_init(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"org-name", 1, NULL},
	                 {"org-code", 1, NULL}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 0, 0, &db);
	if (!rc) {
		zb_err e = {0};
		const char *name = zb_cli_get(opts, "org-name");
		if (zb_init_db(&app, db, name ? name : "中共示范县委员会", zb_cli_get(opts, "org-code"), 0, &e))
			rc = zb_cli_fail(&e);
	}
	zb_app_release(&app);
	return rc;
}
