/* zhibu report annual --org CODE --date YYYY-MM-DD -o FILE.xlsx|FILE.json
 *
 * The 党内统计 annual tables of GET /api/v1/orgs/{id}/annual-report, from
 * the same report/annual.c: as .xlsx (one sheet per table) or, for a
 * file ending in .json, the JSON the API answers.  Counts only: no
 * personal data leaves with it. */
#include "cli/cli.h"
#include "core/jw.h"
#include "org/org.h"
#include "report/annual.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int write_json(const zb_report *r, const char *path, zb_err *e)
{
	zb_buf b;
	zb_buf_init(&b, 64u << 20);
	zb_jw w;
	jw_init(&w, &b);
	zb_report_json(r, &w);
	int rc = jw_finish(&w) ? zb_fail(e, ZB_EINTERNAL, "output", "报表过大") : 0;
	FILE *f = rc ? NULL : fopen(path, "wb");
	if (!rc && (!f || fwrite(b.data, 1, b.len, f) != b.len || fputc('\n', f) == EOF))
		rc = zb_fail(e, ZB_EINTERNAL, "output", "无法写入 %s", path);
	if (f && fclose(f) && !rc)
		rc = zb_fail(e, ZB_EINTERNAL, "output", "无法写入 %s", path);
	zb_buf_release(&b);
	return rc;
}

int cmd_report(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"org", 1, NULL},
	                 {"date", 1, NULL},     {"output", 1, NULL},               {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 1, &npos))
		return 2;
	const char *out = zb_cli_get(opts, "output"), *date = zb_cli_get(opts, "date");
	if (npos != 1 || strcmp(pos[0], "annual") || !zb_cli_get(opts, "org") || !out) {
		fprintf(stderr, "用法：zhibu report annual --org 组织编码或编号 [--date YYYY-12-31] -o 文件.xlsx|文件.json --db DB\n");
		return 2;
	}
	size_t n = strlen(out);
	int json = n > 5 && !strcasecmp(out + n - 5, ".json");
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 0, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	zb_arena a;
	zb_arena_init(&a);
	char today[11], last[16];
	zb_today(&app, today);
	if (!date) { /* the last 31 December */
		snprintf(last, sizeof last, "%04d-12-31", (atoi(today) - 1) % 10000);
		date = last;
	}
	zb_org org;
	zb_report r;
	/* write next to the target, then rename: no half-written file */
	char *tmp = zb_arena_printf(&a, "%s.tmp-%d", out, (int)getpid());
	if (zb_cli_find_org(db, zb_cli_get(opts, "org"), &a, &org, &e) ||
	    zb_report_annual(db, org.id, date, today, &a, &r, &e) ||
	    (json ? write_json(&r, tmp, &e) : zb_report_xlsx(&r, tmp, &e)))
		goto fail;
	if (rename(tmp, out)) {
		zb_fail(&e, ZB_EINTERNAL, "output", "无法写入 %s", out);
		goto fail;
	}
	fprintf(stderr, "已生成 %s 截至 %s 的党内统计年报（%d 张表）到 %s%s\n", org.name, r.date, r.ntables, out,
	        r.provisional ? "；截至日期尚未到，数字以后还会变化" : "");
	goto done;
fail:
	unlink(tmp);
	rc = zb_cli_fail(&e);
done:
	zb_arena_free(&a);
	zb_app_release(&app);
	return rc;
}
