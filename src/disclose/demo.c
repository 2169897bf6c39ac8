/* demo.c - the demo county's 三务公开 over the current year (disclose.h):
 * every village drafts, has approved, reviewed and publishes its items
 * through the domain's own steps, most within the deadline; some villages
 * miss a month or a quarter (the county's overdue list), some publish
 * late, the last month waits in the queue, one village keeps a draft and
 * has withdrawn an item and published it again. */
#include "disclose/disclose.h"

#include "core/date.h"
#include "core/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct demo {
	zb_db *db;
	zb_app *app;
	uint64_t seed;
	zb_principal who;
	zb_grant grant;
	zb_audit_ev by;
	int made;
	char today[11];
} demo;

/* Unix seconds of a day at 10:00 China time. */
static int64_t at_of(const char *day)
{
	return (int64_t)zb_date_days(day) * 86400 + 2 * 3600;
}

static const char *const INCOME[] = {"上级转移支付", "村集体土地租金", "光伏电站收益", "农业合作社分红", "项目配套资金"};
static const char *const SPEND[] = {"村干部误工补贴", "道路维修", "环境卫生保洁", "办公用品", "水利设施维护",
                                    "路灯电费",     "慰问困难群众", "党员活动经费"};

/* A month's 财务收支 table: a few rows and their totals, in yuan. */
static json_t *finance_table(zb_rng *r)
{
	json_t *rows = json_array();
	long in = 0, out = 0;
	int n = zb_rng_between(r, 3, 7), d = 0;
	for (int i = 0; i < n; i++) {
		int income = i < 2 && zb_rng_below(r, 3) > 0;
		long amt = income ? zb_rng_between(r, 20, 400) * 100L : zb_rng_between(r, 3, 120) * 50L;
		const char *what = income ? INCOME[zb_rng_below(r, 5)] : SPEND[zb_rng_below(r, 8)];
		char day[8];
		d += zb_rng_between(r, 1, (28 - d) / (n - i)); /* in the month's order */
		snprintf(day, sizeof day, "%02d日", d);
		json_array_append_new(rows, json_pack("[s,s,I,I]", day, what, (json_int_t)(income ? amt : 0),
		                                      (json_int_t)(income ? 0 : amt)));
		if (income)
			in += amt;
		else
			out += amt;
	}
	json_array_append_new(rows, json_pack("[s,s,I,I]", "", "合计", (json_int_t)in, (json_int_t)out));
	return json_pack("[{s:s,s:[s,s,s,s],s:o}]", "title", "本月财务收支（单位：元）", "columns", "日期", "摘要",
	                 "收入", "支出", "rows", rows);
}

/* The text of a quarter's 党务 or 村务 item, by variant. */
static void quarter_body(char *out, size_t n, int kind, int variant, int a, int b)
{
	if (kind == ZB_DK_PARTY && variant)
		snprintf(out, n, "本季度开展主题党日 %d 次、支委会 %d 次；组织党员参加人居环境整治志愿服务；党费收缴情况已在支部公示。",
		         a, b);
	else if (kind == ZB_DK_PARTY)
		snprintf(out, n, "本季度召开支部党员大会 %d 次、支委会 %d 次，上党课 1 次；按时收缴党费；确定入党积极分子 1 名。", a, b);
	else if (variant)
		snprintf(out, n, "本季度村级项目：农田水利维修，投入 %d 万元；临时救助 %d 户，名单经村民代表会议评议。", a, b);
	else
		snprintf(out, n, "本季度村民代表会议 %d 次，议定事项：村内道路硬化、低保户民主评议（%d 户），评议结果经乡镇审核。", a, b);
}

/* Draft, submit, approve, review and publish an item, published on pub
 * (NULL: leave it at stop, a status before published). */
static int item(demo *g, const zb_village *v, const char *kind, const char *period, const char *title, const char *body,
                json_t *tables, const char *drafted, const char *pub, const char *stop, int64_t *id, zb_err *e)
{
	zb_disclosure_in in = {kind, period, title, body, tables};
	/* the rule "today" of the steps is the day each is taken */
	int rc = zb_disclosure_create(g->db, g->app, &g->by, v->id, &in, at_of(drafted), id, e);
	static const char *const steps[] = {"submit", "approve", "review", "publish"};
	static const char *const reached[] = {"submitted", "approved", "reviewed", "published"};
	char day[11];
	memcpy(day, drafted, 11);
	for (int i = 0; !rc && i < 4; i++) {
		if (i == 3 && pub)
			memcpy(day, pub, 11);
		rc = zb_disclosure_step_do(g->db, g->app, &g->by, &g->who, *id, steps[i], NULL, day, at_of(day) + i * 3600, e);
		if (!rc && stop && !strcmp(stop, reached[i]))
			break;
	}
	g->made += !rc;
	return rc;
}

static int village(demo *g, const zb_village *v, int vi, int year, const zb_disclose_rules *rules, zb_err *e)
{
	zb_rng r = zb_rng_for(g->seed, 0xD15C, (uint64_t)v->id);
	/* one village in 12 leaves a period out, one in 15 is often late */
	int misses = zb_rng_below(&r, 12) == 0, late = zb_rng_below(&r, 15) == 0;
	int rc = 0;
	for (int k = 0; !rc && k < ZB_DK_MAX; k++) {
		int nper = rules->unit[k] == 'm' ? 12 : 4;
		for (int p = 1; !rc && p <= nper; p++) {
			char per[32], unit, first[11], last[11], dl[11], pub[11], drafted[11];
			if (rules->unit[k] == 'm')
				snprintf(per, sizeof per, "%04d-%02d", year % 10000, p);
			else
				snprintf(per, sizeof per, "%04d-Q%d", year % 10000, p);
			zb_disclose_period(per, &unit, first, last);
			if (strcmp(last, g->today) >= 0)
				break; /* not ended yet */
			zb_disclose_deadline(last, rules->deadline_days, dl);
			if (misses && zb_rng_below(&r, 4) == 0)
				continue;
			int is_late = late && zb_rng_below(&r, 3) == 0;
			zb_date_add_days(last, 1 + zb_rng_below(&r, 4), drafted);
			zb_date_add_days(last, is_late ? rules->deadline_days + 3 + zb_rng_below(&r, 20)
			                               : 3 + zb_rng_below(&r, rules->deadline_days > 3 ? rules->deadline_days - 2 : 1),
			                 pub);
			if (strcmp(drafted, g->today) > 0)
				memcpy(drafted, g->today, 11);
			if (strcmp(pub, drafted) < 0)
				memcpy(pub, drafted, 11);
			/* what is not yet due waits in the flow on some villages */
			const char *stop = NULL;
			if (strcmp(pub, g->today) > 0 || strcmp(dl, g->today) >= 0) {
				int w = zb_rng_below(&r, 3);
				if (w < 2)
					stop = w ? "approved" : "submitted";
				memcpy(pub, g->today, 11);
			}
			char title[96], body[400];
			json_t *tables = NULL;
			const char *kname = zb_disclose_kind_names[k];
			if (unit == 'm') {
				snprintf(title, sizeof title, "%d年%d月财务收支公开", year, p);
				snprintf(body, sizeof body, "%s%d年%d月财务收支情况如下，欢迎村民监督。", v->name, year, p);
				tables = finance_table(&r);
			} else {
				snprintf(title, sizeof title, "%d年第%d季度%s公开", year, p, kname);
				quarter_body(body, sizeof body, k, zb_rng_below(&r, 2), zb_rng_between(&r, 1, 3), zb_rng_between(&r, 2, 9));
			}
			int64_t id;
			rc = item(g, v, zb_disclose_kinds[k], per, title, body, tables, drafted, pub, stop, &id, e);
			json_decref(tables);
		}
	}
	/* a 党务 event now and then: an election or a new member admitted */
	if (!rc && zb_rng_below(&r, 6) == 0) {
		char day[11], pub[11];
		zb_date_add_days(g->today, -(30 + zb_rng_below(&r, 200)), day);
		zb_date_add_days(day, 2, pub);
		int64_t id;
		rc = item(g, v, "party", day, "党员大会选举结果公开",
		          "经党员大会选举，产生新一届村党组织委员会委员 5 名，选举结果已报乡镇党委审批。", NULL, day, pub, NULL, &id,
		          e);
	}
	/* the first village: a withdrawal published again, and a draft */
	if (!rc && vi == 0) {
		char per[16], day[11], pub[11];
		zb_date_add_months(g->today, -2, day);
		zb_disclose_period_of('m', day, per);
		zb_date_add_days(g->today, -20, day);
		zb_date_add_days(day, 2, pub);
		int64_t id;
		json_t *t = finance_table(&r);
		rc = item(g, v, "finance", per, "财务收支公开（更正前）", "本月财务收支情况如下。", t, day, pub, NULL, &id, e);
		json_decref(t);
		if (!rc)
			rc = zb_disclosure_step_do(g->db, g->app, &g->by, &g->who, id, "withdraw", "支出合计有误，更正后重新公开", pub,
			                           at_of(pub) + 8 * 3600, e);
		if (!rc) {
			char title[96];
			snprintf(title, sizeof title, "%.4s年%d月财务收支公开（更正）", per, atoi(per + 5));
			t = finance_table(&r);
			rc = item(g, v, "finance", per, title, "更正后的本月财务收支情况如下。", t, pub, pub, NULL, &id, e);
			json_decref(t);
		}
		if (!rc) {
			zb_disclosure_in in = {"village", NULL, "年终村务公开（草稿）", "年度村级项目与资金使用情况，待村民代表会议后提交。", NULL};
			char q[16];
			zb_disclose_period_of('q', g->today, q);
			in.period = q;
			rc = zb_disclosure_create(g->db, g->app, &g->by, v->id, &in, at_of(g->today), &id, e);
			g->made += !rc;
		}
	}
	return rc;
}

int zb_disclose_demo(zb_db *db, zb_app *app, uint64_t seed, int *made, zb_err *e)
{
	demo g;
	memset(&g, 0, sizeof g);
	g.db = db;
	g.app = app;
	g.seed = seed;
	zb_today(app, g.today);
	/* recorded from the command line (user 0) by the county, which holds
	 * each step's permission at the village and its township */
	g.grant = (zb_grant){.role = "org_admin", .org_id = 1, .org_path = "/1/", .perms = P_ORG_READ | P_ORG_WRITE};
	g.who = (zb_principal){.username = "demo", .display_name = "演示数据", .ngrants = 1, .grants = &g.grant,
	                       .all_perms = g.grant.perms};
	g.by = (zb_audit_ev){.username = "demo", .ip = "local"};
	zb_arena a;
	zb_arena_init(&a);
	zb_village *vs;
	int nv;
	int sqlite = zb_db_backend(db) == ZB_DB_SQLITE;
	int rc = zb_db_exec(db, sqlite ? "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY" : "SET synchronous_commit = off", e);
	if (!rc)
		rc = zb_disclose_villages(db, "/", &a, &vs, &nv, e);
	zb_disclose_rules rules;
	if (!rc)
		rc = zb_disclose_rules_get(db, NULL, g.today, &rules, e);
	int year = atoi(g.today);
	for (int i = 0; !rc && i < nv; i++)
		rc = village(&g, &vs[i], i, year, &rules, e);
	{
		zb_err ignore = {0};
		zb_db_exec(db, sqlite ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL" : "RESET synchronous_commit", &ignore);
	}
	zb_arena_free(&a);
	*made = g.made;
	return rc;
}
