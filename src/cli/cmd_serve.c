/* zhibu serve: check the schema and key, then serve HTTP. */
#include "cli/cli.h"
#include "api/api.h"
#include "http/http.h"
#include "core/log.h"
#include "member/import.h"

#include <stdio.h>
#include <stdlib.h>

int cmd_serve(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"listen", 1, "ZHIBU_LISTEN"}, {"key-file", 1, "ZHIBU_KEY_FILE"},
	                 {"threads", 1, "ZHIBU_THREADS"}, {"check", 0, NULL}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	const char *threads = zb_cli_get(opts, "threads");
	if (threads) {
		int n = atoi(threads);
		if (n < 1 || n > 64) {
			zb_app_release(&app);
			return zb_cli_failf("线程数应为 1 到 64：%s", threads);
		}
		app.cfg.threads = n;
	}
	const char *listen = zb_cli_get(opts, "listen");
	zb_err e = {0};
	if (zb_cli_get(opts, "check")) {
		/* everything serve checks before it listens, then exit */
		rc = zb_listen_check(listen ? listen : "127.0.0.1:8080", &e);
		zb_app_release(&app);
		if (rc)
			return zb_cli_fail(&e);
		printf("配置无误：数据库结构为最新，密钥文件与数据库匹配，监听地址 %s 有效\n", listen ? listen : "127.0.0.1:8080");
		return 0;
	}
	/* roster imports a killed server left half-committed are undone before
	 * anyone can read them; on SQLite only one server uses the file, on
	 * PostgreSQL another may be committing: only expired leases there */
	int64_t undone = 0;
	if (zb_import_recover(&app, db, zb_db_backend(db) == ZB_DB_SQLITE, &undone, &e)) {
		zb_app_release(&app);
		return zb_cli_fail(&e);
	}
	if (undone)
		zb_log("warn", "撤回了 %lld 个未提交完的导入批次（服务上次在提交导入时中断），可重新提交", (long long)undone);
	zb_api_register();
	rc = zb_server_run(&app, listen ? listen : "127.0.0.1:8080", &e);
	zb_app_release(&app);
	return rc ? zb_cli_fail(&e) : 0;
}
