/* ready.c - the readiness checks: database, schema, key. */
#include "app/ready.h"
#include "crypto/fieldprot.h"

#include <stdio.h>

/* e keeps the cause (its message); the answer is ZB_EUNAVAIL */
static int failed(zb_ready *out, const char *check, const char *what)
{
	out->check = check;
	out->what = what;
	return ZB_EUNAVAIL;
}

int zb_app_ready(zb_app *app, zb_db **db, zb_ready *out, zb_err *e)
{
	*out = (zb_ready){0};
	if (zb_app_db(app, db, e) || zb_db_ping(*db, e))
		return failed(out, "database", "数据库不可用");
	if (zb_db_schema_check(*db, e) || zb_db_schema_version(*db, &out->schema_version, e))
		return failed(out, "schema", "数据库结构不符");
	char fp[80] = "";
	zb_text_buf b = {fp, sizeof fp};
	int rc = zb_db_one(*db, e, NULL, zb_row_text, &b, "SELECT value FROM settings WHERE key = 'key_fingerprint'", "");
	if (rc && rc != ZB_ENOTFOUND)
		return failed(out, "database", "数据库不可用");
	if (!app->keys || !fp[0] || zb_fp_key_verify(app->keys, fp, e)) {
		if (!fp[0])
			zb_fail(e, ZB_EUNAVAIL, NULL, "数据库中没有密钥指纹");
		return failed(out, "key", "密钥文件与数据库不匹配");
	}
	return 0;
}
