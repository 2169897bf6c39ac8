#include "app/init.h"
#include "audit/audit.h"
#include "auth/auth.h"
#include "crypto/fieldprot.h"
#include "org/structure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int zb_init_db(zb_app *app, zb_db *db, const char *root_name, const char *root_code, const char *actor,
               zb_init_result *out, zb_err *e)
{
	int n = 0, rc;
	memset(out, 0, sizeof *out);
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
	if (!pw || !*pw) {
		zb_password_generate(out->admin_password);
		pw = out->admin_password;
	} else if ((rc = zb_password_policy("admin", pw, e))) {
		return rc;
	}
	char hash[256];
	if ((rc = zb_password_hash(app, pw, hash, sizeof hash, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t now = zb_now(app);
	zb_org o = {.name = root_name, .type = "committee", .code = root_code, .domain = "organ"};
	rc = zb_db_run(db, e, NULL, "INSERT INTO settings (key, value) VALUES ('key_fingerprint', ?)", "s", fp);
	if (!rc)
		rc = zb_org_insert(db, now, 0, &o, &out->root_id, e);
	if (!rc)
		rc = zb_db_int(db, e, &out->admin_id,
		               "INSERT INTO users (username, display_name, pw_hash, created_at, updated_at) "
		               "VALUES ('admin', '管理员', ?, ?, ?) RETURNING id",
		               "sii", hash, now, now);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?, 'org_admin', ?, ?)", "iii",
		               out->admin_id, out->root_id, now);
	if (!rc) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)out->root_id);
		zb_audit_ev ev = {.username = actor, .ip = "local", .action = "system.init", .object_type = "org",
		                  .object_id = oid};
		rc = zb_audit_append(db, app, &ev, e);
	}
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}
