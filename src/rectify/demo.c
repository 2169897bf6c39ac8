/* demo.c - the demo county's 软弱涣散 work through the domain functions:
 * the secretary's branch listed by hand, its plan in progress with an
 * overdue measure; a candidate listed from the criteria and 销号'd after
 * every measure was done; the other candidates left unlisted.
 * docs/RECTIFY.md "Demo". */
#include "rectify/rint.h"
#include "core/date.h"

#include <stdio.h>
#include <string.h>

typedef struct demo {
	zb_db *db;
	zb_app *app;
	zb_arena a;
	zb_audit_ev by;
	zb_principal who;
	char today[11];
	int year;
} demo;

/* a date `days` from today */
static const char *day(demo *g, int days)
{
	char *out = zb_arena_alloc(&g->a, 11);
	zb_date_add_days(g->today, days, out);
	return out;
}

static int measure(demo *g, int64_t listing, const char *what, const char *who, int due, int done, int64_t *id,
                   zb_err *e)
{
	int rc = zb_weak_measure_add(g->db, g->app, &g->by, listing, what, who, day(g, due), id, e);
	if (!rc && done <= 0)
		rc = zb_weak_measure_done(g->db, g->app, &g->by, *id, day(g, done), "已按期完成，材料存档", e);
	return rc;
}

static int progress(demo *g, int64_t listing, int days, const char *text, zb_err *e)
{
	int64_t id;
	return zb_weak_progress_add(g->db, g->app, &g->by, listing, day(g, days), text, &id, e);
}

/* The secretary's branch: listed 60 days ago by hand, in progress; one
 * measure past its deadline. */
static int in_progress(demo *g, int64_t branch, zb_err *e)
{
	zb_weak_list_input in = {.org_id = branch, .year = g->year, .on_date = day(g, -60),
	                         .reason = "年度考核排名靠后，群众反映组织生活不经常、党员作用发挥不明显"};
	int64_t id, m;
	int rc = zb_weak_list(g->db, g->app, &g->by, &g->who, &in, &g->a, &id, e);
	zb_weak_plan_input p = {.problems = "一是组织生活不经常，三会一课记录不全；二是党员队伍老化，发展党员连续两年空白；"
	                                    "三是为民服务意识不强，村集体经济薄弱。",
	                        .leader_name = "张建华", .leader_post = "县委常委、组织部部长"};
	if (!rc)
		rc = zb_weak_plan_set(g->db, g->app, &g->by, &g->who, id, &p, e);
	if (!rc)
		rc = measure(g, id, "健全三会一课制度，每月固定主题党日", "支部书记", -20, 1, &m, e);
	if (!rc)
		rc = measure(g, id, "确定入党积极分子 2 名，列入发展计划", "支部组织委员", 30, 1, &m, e);
	if (!rc)
		rc = measure(g, id, "召开专题组织生活会，查摆问题、建立整改台账", "支部书记", -40, -45, &m, e);
	if (!rc)
		rc = progress(g, id, -45, "召开专题组织生活会，查摆问题 6 条，建立整改台账", e);
	if (!rc)
		rc = progress(g, id, -15, "包联领导到村调研，指导制定党员积分管理办法", e);
	return rc;
}

/* A candidate listed from the criteria 200 days ago and 销号'd. */
static int closed(demo *g, int64_t org, zb_err *e)
{
	zb_weak_list_input in = {.org_id = org, .year = g->year, .on_date = day(g, -200)};
	int64_t id, m;
	int rc = zb_weak_list(g->db, g->app, &g->by, &g->who, &in, &g->a, &id, e);
	zb_weak_plan_input p = {.problems = "书记长期空缺，班子不健全，组织生活不正常。", .leader_name = "王立新",
	                        .leader_post = "县委副书记"};
	if (!rc)
		rc = zb_weak_plan_set(g->db, g->app, &g->by, &g->who, id, &p, e);
	if (!rc)
		rc = measure(g, id, "选优配强村党支部书记", "乡镇党委", -120, -130, &m, e);
	if (!rc)
		rc = measure(g, id, "规范三会一课，按季度上党课", "支部书记", -60, -70, &m, e);
	if (!rc)
		rc = progress(g, id, -130, "乡镇党委选派机关干部到村任党支部书记", e);
	if (!rc)
		rc = progress(g, id, -70, "连续三个月按期召开支部党员大会和主题党日", e);
	if (!rc)
		rc = zb_weak_close(g->db, g->app, &g->by, &g->who, id, day(g, -30), "整改措施全部完成，班子健全，组织生活正常，同意销号", e);
	return rc;
}

int zb_rectify_demo(zb_db *db, zb_app *app, int64_t county, int64_t branch, zb_err *e)
{
	demo g = {.db = db, .app = app};
	zb_arena_init(&g.a);
	zb_today(app, g.today);
	g.year = (g.today[0] - '0') * 1000 + (g.today[1] - '0') * 100 + (g.today[2] - '0') * 10 + (g.today[3] - '0');
	/* as the county's first organisation administrator */
	int64_t uid = 0;
	zb_text_buf tb = {.out = zb_arena_alloc(&g.a, 512), .n = 512};
	int rc = zb_db_int(db, e, &uid,
	                   "SELECT COALESCE(MIN(user_id), 0) FROM grants WHERE org_id = ? AND role_id = 'org_admin'", "i",
	                   county);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &tb, "SELECT path FROM orgs WHERE id = ?", "i", county);
	zb_grant gr = {.org_id = county, .org_path = tb.out, .perms = P_ORG_READ | P_ORG_WRITE | P_MEMBER_WRITE};
	g.by = (zb_audit_ev){.user_id = uid, .username = "demo", .ip = "local"};
	g.who = (zb_principal){.user_id = uid, .username = "demo", .display_name = "县委组织部", .ngrants = 1,
	                       .grants = &gr, .all_perms = gr.perms};
	zb_weak_cand *c = NULL;
	int n = 0;
	if (!rc)
		rc = in_progress(&g, branch, e);
	if (!rc)
		rc = zb_weak_candidates(db, tb.out, g.year, g.today, &g.a, &c, &n, e);
	/* the first candidate of another branch, closed; the rest stay
	 * candidates for the county to decide on */
	for (int i = 0; i < n && !rc; i++)
		if (c[i].org_id != branch && !c[i].listing_id) {
			rc = closed(&g, c[i].org_id, e);
			break;
		}
	zb_arena_free(&g.a);
	return rc;
}
