/* zhibu export members --org CODE -o FILE [--format xlsx|csv] [--full]
 *
 * The same 花名册 as GET /api/v1/members/export.  Whoever runs the command
 * line holds the key file, hence may export in full; it is audited. */
#include "cli/cli.h"
#include "core/jw.h"
#include "member/import.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_export(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"org", 1, NULL},
	                 {"output", 1, NULL},   {"format", 1, NULL},               {"full", 0, NULL}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 1, &npos))
		return 2;
	const char *out = zb_cli_get(opts, "output"), *fmt = zb_cli_get(opts, "format");
	if (npos != 1 || strcmp(pos[0], "members") || !zb_cli_get(opts, "org") || !out) {
		fprintf(stderr, "用法：zhibu export members --org 组织编码或编号 -o 文件.xlsx [--format xlsx|csv] [--full] --db DB\n");
		return 2;
	}
	if (!fmt) {
		size_t n = strlen(out);
		fmt = n > 4 && !strcasecmp(out + n - 4, ".csv") ? "csv" : "xlsx";
	}
	if (strcmp(fmt, "xlsx") && strcmp(fmt, "csv"))
		return zb_cli_failf("导出格式应为 xlsx 或 csv（收到 %s）", fmt);
	int csv = !strcmp(fmt, "csv"), full = zb_cli_get(opts, "full") != NULL;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	zb_arena a;
	zb_arena_init(&a);
	zb_buf buf;
	zb_buf_init(&buf, 1u << 30);
	zb_org org;
	int64_t count = 0;
	/* write next to the target, then rename: no half-written roster */
	char *tmp = zb_arena_printf(&a, "%s.tmp-%d", out, (int)getpid());
	if (zb_cli_find_org(db, zb_cli_get(opts, "org"), &a, &org, &e))
		goto fail;
	zb_export_opts o = {.app = &app, .db = db, .org_id = org.id, .full = full, .csv = csv, .xlsx_path = tmp,
	                    .csv_out = &buf, .progress = zb_cli_progress};
	if (zb_roster_export(&o, &count, &e))
		goto fail;
	if (csv) {
		FILE *f = fopen(tmp, "wb");
		if (!f || fwrite(buf.data, 1, buf.len, f) != buf.len) {
			if (f)
				fclose(f);
			zb_fail(&e, ZB_EINTERNAL, "output", "无法写入 %s", out);
			goto fail;
		}
		if (fclose(f)) {
			zb_fail(&e, ZB_EINTERNAL, "output", "无法写入 %s", out);
			goto fail;
		}
	}
	if (rename(tmp, out)) {
		zb_fail(&e, ZB_EINTERNAL, "output", "无法写入 %s", out);
		goto fail;
	}
	zb_buf d = {0};
	zb_jw w;
	jw_init(&w, &d);
	jw_obj(&w);
	jw_kstr(&w, "format", fmt);
	jw_kbool(&w, "full", full);
	jw_kint(&w, "count", count);
	jw_kstr(&w, "file", out);
	jw_obj_end(&w);
	zb_cli_audit(&app, db, "member.export", "org", org.id, jw_finish(&w) ? NULL : d.data);
	zb_buf_release(&d);
	fprintf(stderr, "已导出 %s 的党员花名册 %lld 人到 %s%s\n", org.name, (long long)count, out,
	        full ? "（含完整身份证号和电话，请妥善保管）" : "（身份证号和电话已隐去部分）");
	goto out;
fail:
	unlink(tmp);
	rc = zb_cli_fail(&e);
out:
	zb_buf_release(&buf);
	zb_arena_free(&a);
	zb_app_release(&app);
	return rc;
}
