/* zhibu audit verify|anchor|seal */
#include "audit/audit.h"
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#define USAGE                                                                                                     \
	"用法：zhibu audit verify --db DB [--anchors 锚点文件] | zhibu audit anchor --db DB -o 锚点文件 | "          \
	"zhibu audit seal --db DB"

static int report_bad(const zb_audit_check *c)
{
	if (c->bad_id)
		fprintf(stderr, "zhibu: 审计链校验失败：%s（首个问题记录 id=%lld）\n", c->why, (long long)c->bad_id);
	else
		fprintf(stderr, "zhibu: 审计链校验失败：%s\n", c->why);
	return 3;
}

int cmd_audit(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"anchors", 1, NULL},
	                 {"output", 1, NULL}, {0}};
	const char *pos[2];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 1, &npos))
		return 2;
	const char *sub = npos == 1 ? pos[0] : "";
	const char *anchors = zb_cli_get(opts, "anchors"), *outp = zb_cli_get(opts, "output");
	int verify = !strcmp(sub, "verify"), anchor = !strcmp(sub, "anchor"), seal = !strcmp(sub, "seal");
	if (!verify && !anchor && !seal)
		return zb_cli_failf(USAGE);
	if (anchor && (!outp || !*outp))
		return zb_cli_failf("audit anchor 需要用 -o 指定锚点文件（追加写入，放在数据库以外的地方）");
	if ((outp && !anchor) || (anchors && !verify))
		return zb_cli_failf(USAGE);
	if (anchors && !*anchors)
		return zb_cli_failf("--anchors 需要锚点文件的路径");
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	zb_audit_check c;
	if (verify) {
		if (zb_audit_verify(db, &app, anchors, &c, &e))
			rc = zb_cli_fail(&e);
		else if (!c.ok)
			rc = report_bad(&c);
		else if (anchors)
			printf("审计链完整：%lld 条记录，%lld 个锚点相符\n", (long long)c.rows, (long long)c.anchors);
		else
			printf("审计链完整：%lld 条记录\n", (long long)c.rows);
	} else if (anchor) {
		if (zb_audit_anchor(db, &app, outp, &c, &e))
			rc = zb_cli_fail(&e);
		else if (!c.ok)
			rc = report_bad(&c);
		else
			printf("审计链完整：%lld 条记录；已把第 %lld 条记录的锚点追加到 %s\n", (long long)c.rows,
			       (long long)c.head_id, outp);
	} else {
		char who[96];
		zb_cli_actor(who, sizeof who);
		zb_audit_ev ev = {.username = who, .ip = "local"};
		int sealed = 0;
		if (zb_audit_seal(db, &app, &ev, &c, &sealed, &e))
			rc = zb_cli_fail(&e);
		else if (!c.ok)
			rc = report_bad(&c);
		else if (!sealed)
			printf("审计链头完好，无需重新封存：%lld 条记录\n", (long long)c.rows);
		else
			printf("已重新封存审计链头（原因：%s）：%lld 条记录，并写入 audit.seal 记录\n", c.why, (long long)c.rows);
	}
	zb_app_release(&app);
	return rc;
}
