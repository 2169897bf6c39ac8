/* demo.c - the demo county's 工作任务 and 通知公告 (task.h), through the
 * domain's own calls: a task the townships forward to their villages,
 * most villages replying (not the demo secretary's, left to do); one the
 * villages' meetings already recorded complete; one of 三务公开 the
 * published items complete; one form past its due date with the replies
 * partly in (overdue); one waiting for the townships to forward it; and
 * notices, read by the townships' accounts. */
#include "task/task.h"

#include "core/date.h"
#include "core/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct demo {
	zb_db *db;
	zb_app *app;
	zb_arena a;
	zb_audit_ev county, town;
	char today[11];
	uint64_t seed;
} demo;

/* Issue from org on day `on` (the county's account, confirmed). */
static int issue(demo *g, int64_t org, const char *json, const char *on, int64_t *id, zb_err *e)
{
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);
	if (!j)
		return zb_fail(e, ZB_EINTERNAL, NULL, "演示任务的 JSON 有误：%s", je.text);
	zb_task_in in;
	zb_task_in_read(j, &in);
	in.org_id = org;
	in.confirm_duplicate = 1;
	zb_task_dup *d;
	int nd;
	int rc = zb_task_create(g->db, g->app, &g->county, &in, on, zb_now(g->app), &g->a, id, &d, &nd, e);
	json_decref(j);
	return rc;
}

/* Each township target of task forwards it to the villages below. */
static int forward_all(demo *g, int64_t task, int64_t *forwards, int nmax, int *n, zb_err *e)
{
	zb_task_target *t;
	int nt;
	int rc = zb_task_targets(g->db, task, g->today, &g->a, &t, &nt, e);
	json_t *tg = json_pack("{s:s,s:[s],s:[s,s]}", "mode", "domain", "domains", "rural", "types", "branch", "general_branch");
	*n = 0;
	for (int i = 0; !rc && i < nt; i++) {
		zb_task_in in = {.targets = tg, .body = "请各村按要求报送，镇党委汇总。", .confirm_duplicate = 1};
		zb_task_dup *d;
		int nd;
		int64_t id = 0;
		rc = zb_task_forward(g->db, g->app, &g->town, t[i].id, &in, g->today, zb_now(g->app), &g->a, &id, &d, &nd, e);
		if (rc == ZB_EINVAL && !strcmp(e->field, "targets"))
			rc = 0; /* a township without villages keeps it */
		else if (!rc && *n < nmax)
			forwards[(*n)++] = id;
	}
	json_decref(tg);
	return rc;
}

/* Replies to pct of the targets of task, not the one at `skip`; form
 * values for a form task; on day `on`. */
static int replies(demo *g, int64_t task, int pct, int64_t skip, int form, const char *on, zb_err *e)
{
	zb_task_target *t;
	int nt;
	int rc = zb_task_targets(g->db, task, on, &g->a, &t, &nt, e);
	static const char *const TEXT[] = {"已按要求召开支委会研究，材料已整理上传。", "已完成，详见附件说明。",
	                                   "已组织党员学习并报送情况。", "已落实，下一步继续抓好整改。"};
	for (int i = 0; !rc && i < nt; i++) {
		zb_rng r = zb_rng_for(g->seed, (uint64_t)task, (uint64_t)t[i].org_id);
		if (t[i].org_id == skip || !zb_rng_chance(&r, pct))
			continue;
		json_t *v = form ? json_pack("{s:i,s:s}", "f1", zb_rng_between(&r, 8, 45), "f2", zb_rng_chance(&r, 70) ? "线下" : "线上")
		                 : NULL;
		rc = zb_task_reply(g->db, g->app, &g->town, t[i].id, form ? NULL : TEXT[zb_rng_below(&r, 4)], v, on,
		                   zb_now(g->app), e);
		json_decref(v);
	}
	return rc;
}

int zb_task_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county, int64_t township, int64_t branch, zb_err *e)
{
	demo g = {.db = db, .app = app, .seed = seed};
	zb_arena_init(&g.a);
	zb_today(app, g.today);
	/* as the county's and the township's first organisation administrators */
	int64_t cu = 0, tu = 0;
	const char *acct = "SELECT COALESCE(MIN(user_id), 0) FROM grants WHERE org_id = ? AND role_id = 'org_admin'";
	int rc = zb_db_int(db, e, &cu, acct, "i", county);
	if (!rc)
		rc = zb_db_int(db, e, &tu, acct, "i", township);
	if (rc)
		return rc;
	g.county = (zb_audit_ev){.user_id = cu, .username = "demo", .ip = "local"};
	g.town = (zb_audit_ev){.user_id = tu, .username = "demo", .ip = "local"};
	char due[11], soon[11], past[11], issued_on[11], lm_from[11], lm_to[11], tm[11], quarter[16];
	zb_date_add_days(g.today, 14, due);
	zb_date_add_days(g.today, 7, soon);
	zb_date_add_days(g.today, -3, past);
	zb_date_add_days(g.today, -30, issued_on);
	snprintf(tm, sizeof tm, "%.7s-01", g.today);
	zb_date_add_months(tm, -1, lm_from);
	zb_date_add_days(tm, -1, lm_to);
	int month = atoi(g.today + 5), year = atoi(g.today);
	/* the last quarter ended */
	snprintf(quarter, sizeof quarter, "%d-Q%d", month <= 3 ? year - 1 : year, month <= 3 ? 4 : (month - 1) / 3);
	char *j;
	int64_t a = 0, b = 0, c = 0, d = 0, q = 0, fw[64];
	int nfw = 0;
#define TOWNS "{\"mode\":\"domain\",\"domains\":[\"rural\"],\"types\":[\"committee\"]}"
#define VILLAGES "{\"mode\":\"domain\",\"domains\":[\"rural\"],\"types\":[\"branch\",\"general_branch\"]}"
	j = zb_arena_printf(&g.a,
	                    "{\"title\":\"报送%d年度抓基层党建工作述职评议材料\",\"body\":\"各乡镇党委：请组织所属村党组织书记撰写述职报告，"
	                    "经支委会研究后报送，附会议照片。\",\"due_on\":\"%s\",\"targets\":" TOWNS "}",
	                    year, due);
	rc = issue(&g, county, j, g.today, &a, e);
	if (!rc)
		rc = forward_all(&g, a, fw, 64, &nfw, e);
	for (int i = 0; !rc && i < nfw; i++)
		rc = replies(&g, fw[i], 60, branch, 0, g.today, e);
	/* completed by the meetings already recorded */
	j = zb_arena_printf(&g.a,
	                    "{\"title\":\"开展上月主题党日活动\",\"body\":\"各村党组织按计划开展主题党日，平台中的会议记录即为完成，"
	                    "无需另行报送。\",\"due_on\":\"%s\",\"kind\":\"meeting\",\"link\":{\"type\":\"theme_day\",\"from\":\"%s\","
	                    "\"to\":\"%s\"},\"targets\":" VILLAGES "}",
	                    soon, lm_from, lm_to);
	if (!rc)
		rc = issue(&g, county, j, g.today, &b, e);
	/* completed by the published 三务公开 items */
	j = zb_arena_printf(&g.a,
	                    "{\"title\":\"按时公开%.4s年第%s季度党务\",\"due_on\":\"%s\",\"kind\":\"disclosure\","
	                    "\"link\":{\"type\":\"party\",\"period\":\"%s\"},\"targets\":" VILLAGES "}",
	                    quarter, quarter + 6, soon, quarter);
	if (!rc)
		rc = issue(&g, county, j, g.today, &q, e);
	/* a form past its due date, the replies partly in */
	j = zb_arena_printf(&g.a,
	                    "{\"title\":\"填报党员冬训参训情况\",\"body\":\"请如实填报参训人数和形式。\",\"due_on\":\"%s\","
	                    "\"kind\":\"form\",\"form\":[{\"label\":\"参训人数\",\"type\":\"number\",\"required\":true},"
	                    "{\"label\":\"形式\",\"type\":\"choice\",\"options\":[\"线下\",\"线上\"],\"required\":true}],"
	                    "\"targets\":{\"mode\":\"orgs\",\"org_ids\":[%lld]}}",
	                    past, (long long)township);
	int64_t cf = 0;
	if (!rc)
		rc = issue(&g, county, j, issued_on, &c, e);
	if (!rc) {
		zb_task_target *t;
		int nt;
		json_t *tg = json_pack("{s:s}", "mode", "all");
		zb_task_in in = {.targets = tg, .confirm_duplicate = 1};
		zb_task_dup *dd;
		int nd;
		if (!(rc = zb_task_targets(db, c, issued_on, &g.a, &t, &nt, e)) && nt)
			rc = zb_task_forward(db, app, &g.town, t[0].id, &in, issued_on, zb_now(app), &g.a, &cf, &dd, &nd, e);
		json_decref(tg);
	}
	if (!rc && cf)
		rc = replies(&g, cf, 50, branch, 1, past, e);
	/* waiting for the townships to pass it on */
	j = zb_arena_printf(&g.a,
	                    "{\"title\":\"摸排软弱涣散村党组织\",\"body\":\"请各乡镇党委组织摸排，逐村报送情况。\",\"due_on\":\"%s\","
	                    "\"targets\":" TOWNS "}",
	                    due);
	if (!rc)
		rc = issue(&g, county, j, g.today, &d, e);
	/* notices */
	int64_t n1 = 0, n2 = 0;
	if (!rc)
		rc = zb_notice_create(db, app, &g.county, county, "关于开展党员冬训工作的通知",
		                      "各乡镇党委、县直各党组织：\n\n根据上级部署，今冬明春集中开展党员冬训。请结合实际制定方案，"
		                      "组织党员参加集中学习，冬训情况在平台中填报。",
		                      NULL, zb_now(app), &n1, e);
	json_t *types = json_pack("[s,s]", "branch", "general_branch");
	if (!rc)
		rc = zb_notice_create(db, app, &g.county, township, "关于做好本月主题党日的提醒",
		                      "各村党组织：本月主题党日请围绕冬训开展，会议记录当天录入平台。", types, zb_now(app), &n2, e);
	json_decref(types);
	/* read by the accounts of the townships and of half the villages */
	typedef struct ids {
		int64_t v[64];
		int n;
	} ids;
	ids readers = {.n = 0};
	zb_stmt *st = rc ? NULL
	                 : zb_db_query(db, e,
	                               "SELECT DISTINCT u.id FROM users u JOIN grants g ON g.user_id = u.id JOIN orgs o ON o.id = "
	                               "g.org_id WHERE o.parent_id = ? AND g.role_id NOT IN ('sys_admin', 'sec_admin', "
	                               "'audit_admin') ORDER BY u.id LIMIT 64",
	                               "i", county);
	while (st && (rc = zb_stmt_step(st, e)) == 1)
		readers.v[readers.n++] = zb_col_int(st, 0);
	zb_stmt_done(st);
	rc = rc < 0 ? -rc : 0;
	for (int i = 0; !rc && i < readers.n; i++) {
		zb_audit_ev by = {.user_id = readers.v[i], .username = "demo", .ip = "local"};
		rc = zb_notice_read(db, app, &by, n1, zb_now(app) - 3600, e);
	}
	zb_arena_free(&g.a);
	return rc;
}
