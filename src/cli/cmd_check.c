/* zhibu check - consistency of derived data: the subtree roll-ups
 * (org_counts) against a recount from the roster, orgs and units. */
#include "cli/cli.h"
#include "org/after.h"

#include <stdio.h>

int cmd_check(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"fix", 0, NULL}, {"rebuild", 0, NULL}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	zb_arena a;
	zb_arena_init(&a);
	int64_t bad = 0;
	const char *first = NULL;
	if (zb_cli_get(opts, "rebuild")) {
		/* unconditionally, e.g. after loading data behind zhibu's back */
		if (zb_org_rollups_rebuild(db, &e))
			rc = zb_cli_fail(&e);
		else {
			zb_cli_audit(&app, db, "system.counts_rebuild", NULL, 0, NULL);
			printf("已重新汇总统计\n");
		}
	} else if (zb_org_rollups_verify(db, &a, &bad, &first, &e)) {
		rc = zb_cli_fail(&e);
	} else if (!bad) {
		printf("统计汇总一致\n");
	} else if (zb_cli_get(opts, "fix")) {
		if (zb_org_rollups_rebuild(db, &e)) {
			rc = zb_cli_fail(&e);
		} else {
			zb_cli_audit(&app, db, "system.counts_rebuild", NULL, 0, NULL);
			printf("统计汇总有 %lld 处不一致（如 %s），已重新汇总\n", (long long)bad, first ? first : "");
		}
	} else {
		printf("统计汇总有 %lld 处不一致，例如 %s；可用 zhibu check --fix 重新汇总\n", (long long)bad, first ? first : "");
		rc = 1;
	}
	zb_arena_free(&a);
	zb_app_release(&app);
	return rc;
}
