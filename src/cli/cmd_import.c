/* zhibu import members FILE --org CODE [--dry-run] [--skip-errors]
 *
 * Reads a roster file exactly as the web import does (member/import.c),
 * prints one summary line and every error, and writes everything in one
 * transaction unless --dry-run or a row is in error. */
#include "cli/cli.h"
#include "core/jw.h"
#include "member/import.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_file(const char *path, char **data, size_t *len, zb_err *e)
{
	struct stat sb;
	FILE *f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &sb) || !S_ISREG(sb.st_mode)) {
		if (f)
			fclose(f);
		return zb_fail(e, ZB_EINVAL, "file", "无法读取文件 %s", path);
	}
	if ((size_t)sb.st_size > ZB_TABLE_MAX_FILE_BYTES) {
		fclose(f);
		return zb_fail(e, ZB_ETOOBIG, "file", "文件过大（上限 %zu MB），请拆分后再导入", ZB_TABLE_MAX_FILE_BYTES >> 20);
	}
	*len = (size_t)sb.st_size;
	*data = malloc(*len + 1);
	if (!*data || fread(*data, 1, *len, f) != *len) {
		fclose(f);
		free(*data);
		*data = NULL;
		return zb_fail(e, ZB_EINVAL, "file", "读取文件 %s 失败", path);
	}
	fclose(f);
	return 0;
}

int cmd_import(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"org", 1, NULL},
	                 {"dry-run", 0, NULL},  {"skip-errors", 0, NULL},            {0}};
	const char *pos[2];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 2, &npos))
		return 2;
	if (npos != 2 || strcmp(pos[0], "members") || !zb_cli_get(opts, "org")) {
		fprintf(stderr, "用法：zhibu import members 文件.xlsx|文件.csv --org 组织编码或编号 [--dry-run] [--skip-errors] --db DB\n");
		return 2;
	}
	int dry = zb_cli_get(opts, "dry-run") != NULL, skip = zb_cli_get(opts, "skip-errors") != NULL;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	zb_arena a;
	zb_arena_init(&a);
	char *data = NULL;
	size_t len = 0;
	zb_import *imp = NULL;
	zb_org org;
	if (zb_cli_find_org(db, zb_cli_get(opts, "org"), &a, &org, &e) || read_file(pos[1], &data, &len, &e))
		goto fail;
	const char *base = strrchr(pos[1], '/') ? strrchr(pos[1], '/') + 1 : pos[1];
	zb_import_opts o = {.app = &app, .db = db, .who = NULL, .org_id = org.id, .filename = base,
	                    .progress = zb_cli_progress};
	if (zb_import_read(&o, data, len, &imp, &e))
		goto fail;
	printf("new=%lld updated=%lld unchanged=%lld errors=%lld\n", (long long)imp->counts[ZB_IROW_NEW],
	       (long long)imp->counts[ZB_IROW_UPDATE], (long long)imp->counts[ZB_IROW_UNCHANGED],
	       (long long)imp->counts[ZB_IROW_ERROR]);
	for (int i = 0; i < imp->nrows; i++) {
		const zb_import_row *r = &imp->rows[i];
		if (r->status != ZB_IROW_ERROR)
			continue;
		printf("第%d行：", r->rownum);
		for (int k = 0; k < r->nerr; k++)
			printf("%s%s", k ? "；" : "", r->errors[k]);
		putchar('\n');
	}
	fflush(stdout);
	zb_buf db_ = {0};
	zb_jw w;
	jw_init(&w, &db_);
	jw_obj(&w);
	jw_kstr(&w, "file", base);
	jw_kint(&w, "new", imp->counts[ZB_IROW_NEW]);
	jw_kint(&w, "update", imp->counts[ZB_IROW_UPDATE]);
	jw_kint(&w, "unchanged", imp->counts[ZB_IROW_UNCHANGED]);
	jw_kint(&w, "error", imp->counts[ZB_IROW_ERROR]);
	jw_obj_end(&w);
	const char *detail = jw_finish(&w) ? NULL : zb_arena_strdup(&a, db_.data);
	zb_buf_release(&db_);
	int errors = imp->counts[ZB_IROW_ERROR] > 0;
	if (dry) {
		zb_cli_audit(&app, db, "import.preview", "org", org.id, detail);
		rc = errors ? 1 : 0;
		goto out;
	}
	if (errors && !skip) {
		fprintf(stderr, "zhibu: 有 %lld 行存在错误，没有导入任何数据（修改后重试，或加 --skip-errors 跳过错误行）\n",
		        (long long)imp->counts[ZB_IROW_ERROR]);
		zb_cli_audit(&app, db, "import.preview", "org", org.id, detail);
		rc = 1;
		goto out;
	}
	char who[96];
	zb_cli_actor(who, sizeof who);
	zb_actor ac = {.user_id = 0, .username = who, .ip = "local"};
	int64_t done[ZB_IROW_NSTATUS];
	if (zb_import_apply(&app, db, imp, 0, &ac, NULL, skip, done, &e))
		goto fail;
	fprintf(stderr, "已导入到 %s：新增 %lld 人，更新 %lld 人，无变化 %lld 人%s\n", org.name, (long long)done[ZB_IROW_NEW],
	        (long long)done[ZB_IROW_UPDATE], (long long)done[ZB_IROW_UNCHANGED],
	        done[ZB_IROW_ERROR] ? "（已跳过错误行）" : "");
	rc = errors ? 1 : 0;
	goto out;
fail:
	rc = zb_cli_fail(&e);
out:
	zb_import_free(imp);
	free(data);
	zb_arena_free(&a);
	zb_app_release(&app);
	return rc;
}
