/* zhibu user add|passwd|list|grant|revoke|token|dual-control
 *
 * The operator on the server is the bootstrap path: grants and resets here
 * act at once (no second administrator), and every one is audited.  The
 * rules of 三员分立 (one class of roles per account) hold here too. */
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static int read_password(const char *prompt, char *out, size_t outsz)
{
	const char *env = getenv("ZHIBU_PASSWORD");
	if (env && *env) {
		snprintf(out, outsz, "%s", env);
		return 0;
	}
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(out, (int)outsz, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static int user_id(zb_db *db, const char *name, int64_t *id, zb_err *e)
{
	int rc = zb_db_int(db, e, id, "SELECT id FROM users WHERE username = ?", "s", name);
	if (rc == ZB_ENOTFOUND)
		zb_fail(e, ZB_ENOTFOUND, "username", "没有这个账号：%s", name);
	return rc;
}

static int check_role_org(zb_db *db, const char *role, const char *org, int64_t *org_id, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM roles WHERE id = ?", "s", role);
	if (rc)
		return rc;
	if (!n)
		return zb_fail(e, ZB_EINVAL, "role",
		               "没有这个角色：%s（可用：org_admin, party_worker, member, sys_admin, sec_admin, audit_admin）", role);
	char *end;
	*org_id = strtoll(org, &end, 10);
	if (*end || *org_id <= 0)
		return zb_fail(e, ZB_EINVAL, "org", "组织编号无效：%s", org);
	rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM orgs WHERE id = ?", "i", *org_id);
	if (!rc && !n)
		return zb_fail(e, ZB_ENOTFOUND, "org", "没有编号为 %s 的组织", org);
	return rc;
}

/* A line of `zhibu user list`: an account and one of its grants. */
static int print_user(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)ctx;
	(void)e;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)zb_col_int(st, 0), zb_col_text(st, 1),
	       zb_col_text(st, 2) ? zb_col_text(st, 2) : "", zb_col_int(st, 3) ? "停用" : "正常",
	       zb_col_text(st, 4) ? zb_col_text(st, 4) : "-", zb_col_text(st, 6) ? zb_col_text(st, 6) : "-");
	return 0;
}

int cmd_user(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"role", 1, NULL}, {"org", 1, NULL},
	                 {"display-name", 1, NULL}, {"member", 1, NULL}, {"name", 1, NULL}, {"revoke", 1, NULL},
	                 {"days", 1, NULL}, {"reason", 1, NULL}, {"temporary", 0, NULL}, {0}};
	const char *pos[3];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 2, &npos))
		return 2;
	const char *sub = npos > 0 ? pos[0] : "";
	const char *name = npos > 1 ? pos[1] : NULL;
	if (strcmp(sub, "list") && !name)
		return zb_cli_failf("用法：zhibu user add|passwd|grant|revoke|token 用户名 …，zhibu user list，"
		                    "或 zhibu user dual-control on|off --reason 理由");
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (rc)
		return rc;
	zb_err e = {0};
	const char *role = zb_cli_get(opts, "role"), *org = zb_cli_get(opts, "org");
	int64_t now = zb_now(&app), uid = 0, org_id = 0;
	char pw[300], hash[256];
	int temporary = zb_cli_get(opts, "temporary") != NULL;

	if (!strcmp(sub, "dual-control")) {
		/* on a one-person install dual control can be turned off, with a
		 * reason that stays in the audit trail and the settings */
		const char *reason = zb_cli_get(opts, "reason");
		int on = !strcmp(name, "on");
		if (!on && strcmp(name, "off")) {
			rc = zb_cli_failf("用法：zhibu user dual-control on|off --reason 理由");
			goto out;
		}
		if (!on && (!reason || strlen(reason) < 4)) {
			rc = zb_cli_failf("关闭双人复核须用 --reason 写明理由（例如：本单位只有一名管理员）");
			goto out;
		}
		zb_buf b;
		zb_buf_init(&b, 256);
		zb_buf_printf(&b, "{\"enabled\":%s,\"reason\":", on ? "true" : "false");
		zb_esc_json(&b, reason ? reason : "", reason ? strlen(reason) : 0);
		zb_buf_putc(&b, '}');
		int r2 = zb_db_begin_write(db, &e);
		if (!r2)
			r2 = zb_dual_control_set(db, on, reason, &e);
		if (!r2)
			r2 = zb_db_commit(db, &e);
		if (r2) {
			zb_db_rollback(db);
			zb_buf_release(&b);
			goto fail;
		}
		zb_cli_audit(&app, db, "settings.dual_control", "setting", 0, b.data);
		zb_buf_release(&b);
		printf("双人复核已%s\n", on ? "开启" : "关闭（理由已记入审计日志）");
	} else if (!strcmp(sub, "add")) {
		if (!role || !org) {
			rc = zb_cli_failf("用法：zhibu user add 用户名 --role 角色 --org 组织编号");
			goto out;
		}
		if (check_role_org(db, role, org, &org_id, &e) || (rc = 0))
			goto fail;
		if (read_password("新账号的密码：", pw, sizeof pw)) {
			rc = zb_cli_failf("没有读到密码（可用环境变量 ZHIBU_PASSWORD）");
			goto out;
		}
		if (zb_password_policy(name, pw, &e) || zb_password_hash(&app, pw, hash, sizeof hash, &e))
			goto fail;
		const char *member = zb_cli_get(opts, "member");
		const char *dn = zb_cli_get(opts, "display-name");
		if (zb_db_begin_write(db, &e))
			goto fail;
		int r2 = zb_db_int(db, &e, &uid,
		                   "INSERT INTO users (username, display_name, pw_hash, member_id, created_at, updated_at) "
		                   "VALUES (?,?,?,?,?,?) RETURNING id",
		                   "sssIii", name, dn ? dn : name, hash, member ? strtoll(member, NULL, 10) : 0, now, now);
		if (r2 == ZB_ECONFLICT)
			zb_fail(&e, ZB_ECONFLICT, "username", "账号 %s 已存在", name);
		if (!r2)
			r2 = zb_password_store(&app, db, uid, hash, temporary, NULL, &e);
		if (!r2)
			r2 = zb_db_run(db, &e, NULL, "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?,?,?,?)",
			               "isii", uid, role, org_id, now);
		if (!r2)
			zb_cli_audit(&app, db, "user.create", "user", uid, NULL);
		if (r2 || zb_db_commit(db, &e)) {
			zb_db_rollback(db);
			goto fail;
		}
		printf("已创建账号 %s（id=%lld），角色 %s，组织 %lld\n", name, (long long)uid, role, (long long)org_id);
	} else if (!strcmp(sub, "passwd")) {
		if (user_id(db, name, &uid, &e))
			goto fail;
		if (read_password("新密码：", pw, sizeof pw)) {
			rc = zb_cli_failf("没有读到密码（可用环境变量 ZHIBU_PASSWORD）");
			goto out;
		}
		if (zb_password_policy(name, pw, &e) || zb_password_hash(&app, pw, hash, sizeof hash, &e))
			goto fail;
		if (zb_db_begin_write(db, &e))
			goto fail;
		if (zb_password_store(&app, db, uid, hash, temporary, NULL, &e) || zb_db_commit(db, &e)) {
			zb_db_rollback(db);
			goto fail;
		}
		zb_cli_audit(&app, db, "user.password", "user", uid, temporary ? "{\"temporary\":true}" : NULL);
		printf("已修改 %s 的密码，其已有会话和 API 令牌全部失效%s\n", name, temporary ? "；下次登录须修改密码" : "");
	} else if (!strcmp(sub, "list")) {
		if (zb_db_each(db, &e, print_user, NULL,
		               "SELECT u.id, u.username, u.display_name, u.disabled, g.role_id, g.org_id, o.name "
		               "FROM users u LEFT JOIN grants g ON g.user_id = u.id LEFT JOIN orgs o ON o.id = g.org_id "
		               "ORDER BY u.id, g.id",
		               ""))
			goto fail;
	} else if (!strcmp(sub, "grant") || !strcmp(sub, "revoke")) {
		if (!role || !org) {
			rc = zb_cli_failf("用法：zhibu user %s 用户名 --role 角色 --org 组织编号", sub);
			goto out;
		}
		if (user_id(db, name, &uid, &e) || check_role_org(db, role, org, &org_id, &e))
			goto fail;
		int64_t n = 0;
		if (!strcmp(sub, "grant")) {
			if (zb_grant_class_check(db, uid, role, NULL, &e))
				goto fail;
			int r2 = zb_db_run(db, &e, NULL, "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?,?,?,?)",
			                   "isii", uid, role, org_id, now);
			if (r2 == ZB_ECONFLICT) {
				rc = zb_cli_failf("%s 在组织 %lld 已有角色 %s", name, (long long)org_id, role);
				goto out;
			}
			if (r2)
				goto fail;
			char detail[120];
			snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"org_id\":%lld,\"source\":\"cli\"}", role,
			         (long long)org_id);
			zb_cli_audit(&app, db, "grant.create", "user", uid, detail);
			printf("已授予 %s 角色 %s（组织 %lld 及其下级）\n", name, role, (long long)org_id);
		} else {
			if (zb_db_run(db, &e, &n, "DELETE FROM grants WHERE user_id = ? AND role_id = ? AND org_id = ?", "isi", uid,
			              role, org_id))
				goto fail;
			if (!n) {
				rc = zb_cli_failf("%s 在组织 %lld 没有角色 %s", name, (long long)org_id, role);
				goto out;
			}
			zb_db_run(db, &e, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", uid);
			char detail[120];
			snprintf(detail, sizeof detail, "{\"role\":\"%s\",\"org_id\":%lld,\"source\":\"cli\"}", role,
			         (long long)org_id);
			zb_cli_audit(&app, db, "grant.delete", "user", uid, detail);
			printf("已撤销 %s 的角色 %s（组织 %lld）\n", name, role, (long long)org_id);
		}
	} else if (!strcmp(sub, "token")) {
		if (user_id(db, name, &uid, &e))
			goto fail;
		const char *revoke = zb_cli_get(opts, "revoke");
		if (revoke) {
			if (zb_token_revoke(db, strtoll(revoke, NULL, 10), &e))
				goto fail;
			zb_cli_audit(&app, db, "token.revoke", "user", uid, NULL);
			printf("已撤销令牌 %s\n", revoke);
		} else {
			char tok[64];
			int64_t tid;
			const char *label = zb_cli_get(opts, "name");
			const char *days_s = zb_cli_get(opts, "days");
			char *end = NULL;
			long days = days_s ? strtol(days_s, &end, 10) : ZB_TOKEN_DAYS;
			if (days_s && (*end || days < 1 || days > ZB_TOKEN_MAX_DAYS)) {
				rc = zb_cli_failf("--days 应为 1–%d 的整数：%s", ZB_TOKEN_MAX_DAYS, days_s);
				goto out;
			}
			if (zb_token_create(db, &app, uid, label ? label : "cli", (int)days, tok, &tid, &e))
				goto fail;
			char detail[48];
			snprintf(detail, sizeof detail, "{\"days\":%ld}", days);
			zb_cli_audit(&app, db, "token.create", "user", uid, detail);
			printf("%s\n", tok);
			fprintf(stderr, "API 令牌 id=%lld，%ld 天后过期（只显示这一次；用法：Authorization: Bearer 令牌）\n",
			        (long long)tid, days);
		}
	} else {
		rc = zb_cli_failf("不认识的子命令：user %s", sub);
	}
	goto out;
fail:
	rc = zb_cli_fail(&e);
out:
	zb_app_release(&app);
	return rc;
}
