/* zhibu audit verify */
#include "audit/audit.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int cmd_audit(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {0}};
	const char *pos[2];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 1, &npos))
		return 2;
	if (npos != 1 || strcmp(pos[0], "verify"))
		return zb_cli_failf("用法：zhibu audit verify --db DB");
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (!rc) {
		zb_err e = {0};
		zb_audit_check c;
		if (zb_audit_verify(db, &app, &c, &e)) {
			rc = zb_cli_fail(&e);
		} else if (c.ok) {
			printf("审计链完整：%lld 条记录\n", (long long)c.rows);
		} else {
			fprintf(stderr, "zhibu: 审计链校验失败：%s（首个问题记录 id=%lld）\n", c.why, (long long)c.bad_id);
			rc = 3;
		}
	}
	zb_app_release(&app);
	return rc;
}
