/* demo.c - the demo county's 述职评议 and 一述职、两测评、四联考
 * (review/demo.h): every record through the domain functions, graded and
 * examined by the county account (the level above the branches and
 * villages), deterministic for the seed and today's date. */
#include "review/demo.h"
#include "review/review.h"
#include "core/rng.h"
#include "org/org.h"
#include "village/village.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const REPORTS[] = {
	"一年来，坚持把抓党建作为第一责任，严格落实“三会一课”，推进支部标准化规范化建设，发展党员工作按程序开展。",
	"围绕乡村振兴抓党建，带领党员领办合作社，村集体经济收入稳步增长；不足是党员教育形式较单一。",
	"落实党建工作责任制，规范党费收缴和组织生活，开展党员联系户和先锋岗活动；对年轻党员培养还需加强。",
	"抓班子带队伍，完成村“两委”后备力量储备，三务公开按时完成；主题党日内容有时不够丰富。"};
static const char *const COMMENTS[] = {"党建责任落实到位，成效明显", "工作扎实，特色不够突出",
                                       "组织生活不够规范，须限期改进", "责任落实不到位，党员管理松散，须整改"};
static const char *const GRADES[] = {"good", "fair", "average", "poor"};

typedef struct pick {
	zb_db *db;
	zb_app *app;
	zb_arena *ar;
	zb_rng r;
	zb_actor filer, rater;
	zb_principal *who;
	int year;
} pick;

static int duty_demo(pick *p, const char *county_path, zb_err *e)
{
	zb_duty_item *items;
	int n;
	int rc = zb_duty_list(p->db, county_path, p->year, p->ar, &items, &n, e);
	for (int i = 0; !rc && i < n; i++) {
		if (!zb_rng_chance(&p->r, 65))
			continue; /* not filed yet */
		int64_t id;
		char filed[24];
		snprintf(filed, sizeof filed, "%04d-01-%02d", p->year + 1, zb_rng_between(&p->r, 5, 20));
		rc = zb_duty_file_report(p->db, p->app, &p->filer, items[i].org_id, items[i].member_id, p->year,
		                         REPORTS[zb_rng_below(&p->r, 4)], filed, p->ar, &id, e);
		/* the county's own secretary waits for the level above it */
		if (rc || !strcmp(items[i].org_path, county_path) || !zb_rng_chance(&p->r, 80))
			continue; /* waiting for its grade */
		int k = zb_rng_chance(&p->r, 40) ? 0 : zb_rng_chance(&p->r, 70) ? 1 : zb_rng_chance(&p->r, 80) ? 2 : 3;
		char rated[24];
		snprintf(rated, sizeof rated, "%04d-01-%02d", p->year + 1, 25);
		rc = zb_duty_rate(p->db, p->app, &p->rater, p->who, id, GRADES[k], COMMENTS[k], rated, p->ar, e);
	}
	return rc;
}

/* count codes of round, votes cast for `voted` of them */
static int vote_round(pick *p, int64_t review, const char *round, int count, int voted, zb_err *e)
{
	const char **codes;
	static const char *const g[] = {"excellent", "competent", "basic", "incompetent"};
	int rc = zb_vreview_codes(p->db, p->app, &p->rater, p->who, review, round, count, p->ar, &codes, e);
	for (int i = 0; !rc && i < voted; i++) {
		int k = zb_rng_chance(&p->r, 55) ? 0 : zb_rng_chance(&p->r, 75) ? 1 : zb_rng_chance(&p->r, 70) ? 2 : 3;
		rc = zb_vvote_cast(p->db, p->app, codes[i], g[k], "demo", p->ar, e);
	}
	return rc;
}

static int team_demo(pick *p, int64_t team, int finish, zb_err *e)
{
	char today[11], first[11];
	zb_today(p->app, today);
	snprintf(first, sizeof first, "%.8s01", today);
	int year = atoi(today), rc;
	int64_t id;
	if ((rc = zb_vreview_open(p->db, p->app, &p->rater, p->who, team, year, first,
	                          "本年度驻村工作述职：抓党建促乡村振兴，发展村集体经济，落实帮扶措施，为群众办实事。", p->ar,
	                          &id, e)) ||
	    (rc = vote_round(p, id, "cadres", 12, finish ? 10 : 5, e)) ||
	    (finish && (rc = vote_round(p, id, "villagers", 30, 26, e))) || !finish)
		return rc;
	static const struct {
		const char *part, *who;
	} parts[] = {{"report", "县委组织部考核组"},
	             {"county", "县委组织部 组织科"},
	             {"revival", "县乡村振兴局 综合股"},
	             {"township", "乡镇党委 组织委员"},
	             {"unit", "派出单位 机关党委"}};
	for (int i = 0; !rc && i < 5; i++)
		rc = zb_vreview_score(p->db, p->app, &p->rater, p->who, id, parts[i].part, zb_rng_between(&p->r, 72, 94),
		                      parts[i].who, NULL, p->ar, e);
	zb_vreview_result res;
	if (!rc)
		rc = zb_vreview_finalise(p->db, p->app, &p->rater, p->who, id, today, p->ar, &res, e);
	/* a cadre of the team other than its 第一书记: 约谈 and 通报派出单位 */
	zb_vreview v;
	if (!rc)
		rc = zb_vreview_get(p->db, id, p->ar, &v, e);
	int64_t cadre = 0;
	if (!rc)
		rc = zb_db_int(p->db, e, &cadre,
		               "SELECT COALESCE(MIN(cadre_id), 0) FROM village_postings WHERE team_id = ? AND ended_on IS NULL "
		               "AND role <> 'first_secretary'",
		               "i", team);
	int64_t oid, rsv;
	for (int k = 0; !rc && cadre && k < 2; k++)
		rc = zb_vreview_outcome(p->db, p->app, &p->rater, p->who, id, cadre, k ? "notify" : "talk", today,
		                        k ? "县委组织部" : "县委组织部部务会", k ? "驻村期间多次无故离岗，通报派出单位" : "驻村天数不足，工作记录不实",
		                        p->ar, &oid, &rsv, e);
	return rc;
}

int zb_review_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county, int64_t focus_team, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	char today[11];
	zb_today(app, today);
	pick p = {.db = db, .app = app, .ar = &a, .r = zb_rng_for(seed, 0x5e7ea1, 45), .year = atoi(today) - 1};
	p.filer = (zb_actor){.user_id = 0, .username = "demo", .ip = "local"};
	int64_t uid = 0, other = 0;
	const char *path = NULL;
	/* the county's account: "county", or at county scale the installation's "admin" */
	int rc = zb_db_int(db, e, &uid,
	                   "SELECT COALESCE(MIN(CASE WHEN username = 'county' THEN id END), "
	                   "MIN(CASE WHEN username = 'admin' THEN id END), 0) FROM users",
	                   "");
	if (!rc)
		rc = zb_principal_load(db, uid, &a, &p.who, e);
	if (!rc) {
		p.rater = (zb_actor){.user_id = uid, .username = p.who->username, .ip = "local"};
		zb_org o;
		if (!(rc = zb_org_get(db, county, &a, &o, e)))
			path = o.path;
	}
	if (!rc)
		rc = duty_demo(&p, path, e);
	if (!rc && focus_team)
		rc = team_demo(&p, focus_team, 1, e);
	if (!rc)
		/* the open one: the last team in the county's list (the first is
		 * where the typed form of the team page is tried) */
		rc = zb_db_int(db, e, &other,
		               "SELECT COALESCE((SELECT t.id FROM village_teams t JOIN orgs o ON o.id = t.org_id "
		               "WHERE t.id <> ? AND t.dissolved_on IS NULL ORDER BY o.parent_id DESC, o.id DESC LIMIT 1), 0)",
		               "i", focus_team);
	if (!rc && other)
		rc = team_demo(&p, other, 0, e);
	zb_arena_free(&a);
	return rc;
}
