/* main.c - the zhibu command table. */
#include "api/api.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/log.h"
#include "http/http.h"
#include "version.h"

#include <stdio.h>
#include <string.h>

const zb_cmd zb_commands[] = {
	{"serve", cmd_serve, "serve --db DB [--listen HOST:PORT] [--threads N] [--check]", "启动网页和接口服务（--check 只检查配置、数据库和密钥后退出）"},
	{"init", cmd_init, "init --db DB [--org-name 名称] [--org-code 编码]", "建库、生成密钥文件、创建根组织和管理员 admin"},
	{"demo", cmd_demo, "demo --db DB [--scale county|province|N] [--seed S]", "生成演示用的示范县（或示范省）数据和演示账号"},
	{"check", cmd_check, "check --db DB [--fix|--rebuild]", "核对统计汇总与花名册是否一致（--fix 不一致时重新汇总，--rebuild 总是重新汇总）"},
	{"migrate", cmd_migrate, "migrate --db DB", "升级数据库结构"},
	{"user", cmd_user, "user add|passwd|list|grant|revoke|token 用户名 [--role R --org ID] [--temporary] [--days N]；user dual-control on|off --reason 理由", "账号与授权"},
	{"audit", cmd_audit, "audit verify --db DB [--anchors 文件] | anchor --db DB -o 文件 | seal --db DB", "校验审计链是否被篡改；把链头锚点追加到库外文件；重新封存链头"},
	{"key", cmd_key, "key status --db DB | rotate --db DB [--batch N] [--drop-unreadable]", "查看密钥状态；轮换主密钥（重新加密全部身份证号和电话，可中断后继续；需先停止服务）"},
	{"backup", cmd_backup, "backup --db DB -o 目录", "在线备份：SQLite 数据库快照、密钥文件和清单（PostgreSQL 另用 pg_dump）"},
	{"restore", cmd_restore, "restore --from 目录 --db DB [--force]", "从备份恢复，并核对密钥指纹和审计链（不覆盖现有数据库，除非 --force）"},
	{"import", cmd_import, "import members 文件 --org 编码 [--dry-run] [--skip-errors] --db DB", "导入党员名册（xlsx/csv，全部成功或全部不写入）"},
	{"export", cmd_export, "export members --org 编码 -o 文件 [--format xlsx|csv] [--full] --db DB", "导出党员花名册"},
	{"report", cmd_report, "report annual --org 编码 [--date YYYY-MM-DD] -o 文件.xlsx|文件.json --db DB", "党内统计年报：截至日期的党员、发展、减少、党组织和单位覆盖统计表"},
	{"openapi", cmd_openapi, "openapi", "输出接口描述（OpenAPI 3.1 JSON，与 /api/v1/openapi.json 相同）"},
	{"version", cmd_version, "version", "显示版本"},
	{"help", cmd_help, "help", "显示本帮助"},
	{0},
};

int cmd_version(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("zhibu %s\n", ZB_VERSION);
	return 0;
}

int cmd_openapi(int argc, char **argv)
{
	(void)argc, (void)argv;
	zb_buf b;
	zb_buf_init(&b, 16u << 20);
	zb_api_register();
	int rc = zb_openapi_write(&b);
	if (!rc && fwrite(b.data, 1, b.len, stdout) == b.len && putchar('\n') != EOF && !fflush(stdout)) {
		zb_buf_release(&b);
		return 0;
	}
	zb_buf_release(&b);
	fprintf(stderr, "zhibu openapi: 生成接口描述失败\n");
	return 1;
}

int cmd_help(int argc, char **argv)
{
	(void)argc, (void)argv;
	printf("zhibu（支部）%s — 智慧党建平台\n\n用法：zhibu 命令 [选项]\n\n", ZB_VERSION);
	for (const zb_cmd *c = zb_commands; c->name; c++)
		printf("  %-10s %s\n             zhibu %s\n", c->name, c->help, c->usage);
	printf("\n数据库用 --db 指定 SQLite 文件或 postgres:// 地址，也可用环境变量 ZHIBU_DB。\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(0, NULL);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		name = "help";
	if (!strcmp(name, "--version"))
		name = "version";
	for (const zb_cmd *c = zb_commands; c->name; c++)
		if (!strcmp(c->name, name)) {
			if (strcmp(name, "serve"))
				zb_log_set_verbose(0);
			return c->fn(argc - 2, argv + 2);
		}
	fprintf(stderr, "zhibu: 不认识的命令：%s（用 zhibu help 查看用法）\n", name);
	return 2;
}
