/* zhibu init / zhibu migrate */
#include "cli/cli.h"

#include <stdio.h>

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
		if (zb_cli_init_db(&app, db, name ? name : "中共示范县委员会", zb_cli_get(opts, "org-code"), 0, &e))
			rc = zb_cli_fail(&e);
	}
	zb_app_release(&app);
	return rc;
}
