/* zhibu demo - a fictional county (or province) to try zhibu with, and the
 * data set of the benchmarks.  See src/demo/demo.h. */
#include "aid/aid.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "demo/demo.h"
#include "disclose/disclose.h"
#include "points/points.h"
#include "task/task.h"
#include "dues/dues.h"
#include "meeting/demo.h"
#include "recruit/demo.h"
#include "report/demo.h"
#include "rectify/rectify.h"
#include "reserve/demo.h"
#include "review/demo.h"
#include "study/course.h"
#include "transfer/transfer.h"
#include "village/cadre.h"
#include "village/demo.h"
#include "rating/rating.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Meets the password policy; printed, so only ever a demo password. */
#define DEFAULT_DEMO_PASSWORD "Zhibu-Demo-2024"

/* the demo's dues, as of today (dues/demo.c) */
static int demo_dues(zb_db *db, zb_app *app, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	return zb_dues_demo(db, today, zb_now(app), e);
}

static int demo_mobile(zb_db *db, zb_app *app, zb_err *e)
{
	int made = 0;
	return zb_mobile_demo(db, app, &made, e);
}

/* the demo's 三务公开 over this year (disclose/demo.c) */
static int demo_disclose(zb_db *db, zb_app *app, uint64_t seed, zb_err *e)
{
	int made = 0;
	return zb_disclose_demo(db, app, seed, &made, e);
}

static int add_account(zb_app *app, zb_db *db, const char *user, const char *display, const char *role, int64_t org,
                       int64_t member, const char *pw, zb_err *e)
{
	char hash[256];
	int rc = zb_password_policy(user, pw, e);
	if (!rc)
		rc = zb_password_hash(app, pw, hash, sizeof hash, e);
	if (rc)
		return rc;
	int64_t now = zb_now(app), uid = 0;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, &uid,
	               "INSERT INTO users (username, display_name, pw_hash, member_id, created_at, updated_at) "
	               "VALUES (?,?,?,?,?,?) RETURNING id",
	               "sssIii", user, display, hash, member, now, now);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?,?,?,?)", "isii",
		               uid, role, org, now);
	if (!rc)
		zb_cli_audit(app, db, "user.create", "user", uid, "{\"source\":\"demo\"}");
	if (rc) {
		zb_db_rollback(db);
		return rc;
	}
	return zb_db_commit(db, e);
}

static const char *org_name(zb_db *db, int64_t id, char *buf, size_t n)
{
	zb_err e = {0};
	buf[0] = '\0';
	zb_text_buf b = {buf, n};
	zb_db_one(db, &e, NULL, zb_row_text, &b, "SELECT name FROM orgs WHERE id = ?", "i", id);
	return buf;
}

int cmd_demo(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"scale", 1, NULL},
	                 {"seed", 1, NULL},     {"quiet", 0, NULL},               {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	const char *scale = zb_cli_get(opts, "scale"), *seed_s = zb_cli_get(opts, "seed");
	zb_demo_opts o = {.members = 20000, .seed = 1};
	if (!scale || !strcmp(scale, "county")) {
		o.members = 20000;
	} else if (!strcmp(scale, "province")) {
		o.members = 5000000;
		o.province = 1;
	} else {
		char *end;
		long long n = strtoll(scale, &end, 10);
		if (*end || n < 50 || n > 20000000)
			return zb_cli_failf("--scale 应为 county、province 或 50 到 20000000 之间的党员人数：%s", scale);
		o.members = n;
		/* a county of more than 100 thousand members is not a county */
		o.province = n > 100000;
	}
	if (seed_s) {
		char *end;
		o.seed = strtoull(seed_s, &end, 10);
		if (*end)
			return zb_cli_failf("--seed 应为非负整数：%s", seed_s);
	}
	if (!zb_cli_get(opts, "db"))
		return zb_cli_failf("用法：zhibu demo --db 数据库 [--scale county|province|N] [--seed S]");
	const char *pw = getenv("ZHIBU_DEMO_PASSWORD");
	if (!pw || !*pw)
		pw = getenv("ZHIBU_ADMIN_PASSWORD");
	if (!pw || !*pw)
		pw = DEFAULT_DEMO_PASSWORD;
	int quiet = zb_cli_get(opts, "quiet") != NULL;
	o.progress = !quiet && isatty(STDERR_FILENO);

	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 0, 0, &db);
	if (rc) {
		zb_app_release(&app);
		return rc;
	}
	zb_err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	zb_demo_result res;
	zb_village_demo_result vres = {0};
	if (zb_cli_init_db(&app, db, o.province ? "中共示范省委员会" : "中共示范县委员会", o.province ? "SFS" : "SFX", quiet, &e) ||
	    zb_demo_generate(&app, db, &o, &res, &e) || (!o.province && zb_meeting_demo(db, &app, o.seed, &e)) ||
	    (!o.province && zb_recruit_demo(db, &app, o.seed, NULL, &e)) || (!o.province && demo_dues(db, &app, &e)) ||
	    (!o.province && demo_mobile(db, &app, &e)) ||
	    (!o.province && zb_reserve_demo(db, &app, o.seed, NULL, &e)) ||
	    (!o.province && zb_village_demo(db, &app, o.seed, res.branch_id, &vres, &e)) ||
	    (!o.province && zb_aid_demo(db, &app, o.seed, res.member_id, NULL, &e)) ||
	    (!o.province && demo_disclose(db, &app, o.seed, &e)) ||
	    (!o.province && zb_report_demo(db, &app, o.seed, res.member_id, NULL, &e)) ||
	    (!o.province && zb_study_demo(db, &app, o.seed, res.county_id ? res.county_id : res.root_id, res.township_id,
	                                  res.branch_id, res.member_id, &e))) {
		rc = zb_cli_fail(&e);
		goto out;
	}
	int64_t county = res.county_id ? res.county_id : res.root_id;
	struct {
		const char *user, *display, *role;
		int64_t org, member;
	} acc[] = {
		{"county", "县委组织部", "org_admin", county, 0},
		{"township", "乡镇党委组织员", "org_admin", res.township_id, 0},
		{"secretary", "村党支部书记", "party_worker", res.branch_id, 0},
		{"member", "党员", "member", res.branch_id, res.member_id},
		{"sysadmin", "系统管理员", "sys_admin", res.root_id, 0},
		{"secadmin", "安全管理员", "sec_admin", res.root_id, 0},
		{"auditor", "审计管理员", "audit_admin", res.root_id, 0},
		/* the 第一书记 of the secretary's village: that village's party
		 * work, the account linked to the cadre (county scale only) */
		{"shuji", "驻村第一书记", "party_worker", vres.focus_org, 0},
	};
	int nacc = (int)(sizeof acc / sizeof acc[0]) - (o.province || !vres.focus_cadre);
	for (int i = o.province ? 0 : 1; i < nacc; i++)
		if (add_account(&app, db, acc[i].user, acc[i].display, acc[i].role, acc[i].org, acc[i].member, pw, &e)) {
			rc = zb_cli_fail(&e);
			goto out;
		}
	if (nacc == (int)(sizeof acc / sizeof acc[0])) {
		int64_t uid = 0;
		zb_actor ac = {.username = "demo", .ip = "local"};
		if (zb_db_int(db, &e, &uid, "SELECT id FROM users WHERE username = 'shuji'", "") ||
		    zb_cadre_link_user(db, &app, &ac, vres.focus_cadre, uid, &e)) {
			rc = zb_cli_fail(&e);
			goto out;
		}
	}
	/* tasks and notices need the accounts (issuers, readers) */
	if (!o.province && (zb_task_demo(db, &app, o.seed, county, res.township_id, res.branch_id, &e) ||
	                    zb_review_demo(db, &app, o.seed, county, vres.focus_team, &e))) {
		rc = zb_cli_fail(&e);
		goto out;
	}
	/* 评星晋级 (last year published, this year's draft) first: 软弱涣散's
	 * "后进 two years running" and the secretaries' points read it; then
	 * 整顿 as the county, and the manual points items decided in the
	 * branches; this year's draft last, so that it counts the 整顿 measures */
	char today[11];
	zb_today(&app, today);
	if (!o.province && (zb_rating_demo(db, &app, county, today, &e) ||
	                    zb_rectify_demo(db, &app, county, res.branch_id, &e) ||
	                    zb_points_demo(db, &app, o.seed, res.township_id, res.branch_id, res.member_id, &e) ||
	                    zb_rating_demo_draft(db, &app, county, today, &e))) {
		rc = zb_cli_fail(&e);
		goto out;
	}
	char detail[100];
	snprintf(detail, sizeof detail, "{\"members\":%lld,\"seed\":%llu}", (long long)res.members, (unsigned long long)o.seed);
	zb_cli_audit(&app, db, "system.demo", "org", res.root_id, detail);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (!quiet) {
		printf("演示数据已生成：组织 %lld 个，党员 %lld 名，班子职务 %lld 条，任期 %lld 条，单位 %lld 个，联合体 %lld 个\n",
		       (long long)res.orgs + 1, (long long)res.members, (long long)res.posts, (long long)res.terms,
		       (long long)res.units, (long long)res.alliances);
		printf("用时 %.1f 秒（组织 %.1f，党员 %.1f，班子等 %.1f，统计汇总 %.1f）\n", secs, res.secs_tree, res.secs_members,
		       res.secs_extras, res.secs_counts);
		printf("\n演示账号（密码均为 %s%s）：\n", pw,
		       !strcmp(pw, DEFAULT_DEMO_PASSWORD) ? "，可用 ZHIBU_DEMO_PASSWORD 指定" : "");
		printf("  %-10s %-12s %s\n", "admin", "org_admin", "全部（密码见上，或取自 ZHIBU_ADMIN_PASSWORD）");
		char buf[300];
		for (int i = o.province ? 0 : 1; i < nacc; i++)
			printf("  %-10s %-12s %s%s\n", acc[i].user, acc[i].role, org_name(db, acc[i].org, buf, sizeof buf),
			       acc[i].member ? "（已关联一名党员）" : "");
	}
out:
	zb_app_release(&app);
	return rc;
}
