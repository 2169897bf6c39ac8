/* demo.c - the demo county's 驻村工作 (village/demo.h): 派出单位, cadres,
 * about one team per village that must have a 第一书记 (the seed
 * county's 459 cadres in 103 teams scaled to the demo's villages: a
 * fifth of them required, four to five cadres a team), their absences
 * over the last six months (some months under 20 days, leave across a
 * month end, leave waiting for approval), log entries, last year's
 * evaluations, terms ending soon, two 召回 and a few 约谈 and 问责.
 * Everything goes through the domain functions, so the rules hold.
 * Deterministic for the seed and today's date. */
#include "village/demo.h"
#include "village/cadre.h"
#include "village/village.h"

#include "core/date.h"
#include "core/rng.h"
#include "demo/demo.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const EXTRA_UNITS[] = {"县农村商业银行", "国网示范县供电公司", "县人民医院", "县第一中学",
                                          "县农业技术推广中心", "县供销合作社", "县融媒体中心", "县城市投资集团", NULL};
static const char *const POSTS[] = {"副科长", "科员", "副主任科员", "股长", "副局长", "四级主任科员", "办公室主任", "干事"};
static const char *const WORK[] = {"走访脱贫户和监测户，逐户核实收入情况",       "召开村两委会议，研究集体经济项目",
                                   "协调县交通运输局，推进通组道路硬化",         "组织村民参加技能培训",
                                   "入户宣讲惠农政策",                           "排查危房和饮水安全",
                                   "对接派出单位，落实帮扶项目资金",             "调解邻里矛盾纠纷",
                                   "开展人居环境整治",                           "指导村合作社发展食用菌种植"};
#define NOF(a) ((int)(sizeof(a) / sizeof((a)[0])))

typedef struct gen {
	zb_db *db;
	zb_app *app;
	zb_rng r;
	zb_arena *ar;
	zb_actor by;
	char today[11], month0[11]; /* today; the first of this month */
	int64_t county;
	int64_t *units;
	int nunits;
	int seq;
	zb_village_demo_result *res;
} gen;

static const char *person_name(gen *g, char gender)
{
	int nsur = 0, ng;
	while (zb_demo_surnames[nsur].s)
		nsur++;
	const char *const *given = gender == 'M' ? zb_demo_given_m : zb_demo_given_f;
	for (ng = 0; given[ng]; ng++)
		;
	const char *s = zb_demo_surnames[zb_rng_below(&g->r, nsur < 60 ? nsur : 60)].s;
	const char *a = given[zb_rng_below(&g->r, ng)];
	return zb_rng_chance(&g->r, 60) ? zb_arena_printf(g->ar, "%s%s%s", s, a, given[zb_rng_below(&g->r, ng)])
	                                : zb_arena_printf(g->ar, "%s%s", s, a);
}

/* A checksum-valid fictional ID number (region 99xxxx exists nowhere). */
static const char *id_number(gen *g, char gender)
{
	static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char body[32];
	int seq = ++g->seq;
	int odd = (seq * 2 + (gender == 'M')) % 1000;
	if ((odd % 2 == 1) != (gender == 'M'))
		odd = (odd + 1) % 1000;
	snprintf(body, sizeof body, "9901%02d%04d%02d%02d%03d", (1 + seq % 99) % 100, zb_rng_between(&g->r, 1970, 1996) % 10000,
	         zb_rng_between(&g->r, 1, 12) % 100, zb_rng_between(&g->r, 1, 28) % 100, (odd % 1000 + 1000) % 1000);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (body[i] - '0') * W[i];
	return zb_arena_printf(g->ar, "%s%c", body, "10X98765432"[sum % 11]);
}

static int new_cadre(gen *g, int64_t *id, zb_err *e)
{
	char gender = zb_rng_chance(&g->r, 72) ? 'M' : 'F';
	zb_cadre_input in = {.org_id = g->county, .unit_id = g->units[zb_rng_below(&g->r, g->nunits)],
	                     .name = person_name(g, gender), .id_number = id_number(g, gender),
	                     .phone = zb_arena_printf(g->ar, "139%08d", zb_rng_between(&g->r, 0, 99999999)),
	                     .post = POSTS[zb_rng_below(&g->r, NOF(POSTS))]};
	int rc = zb_cadre_create(g->db, g->app, &g->by, NULL, &in, g->ar, id, e);
	if (rc == ZB_ECONFLICT && !strcmp(e->field, "id_number")) /* the same fictional person twice: another */
		return new_cadre(g, id, e);
	g->res->cadres += !rc;
	return rc;
}

/* The first day of the month k months before this one. */
static const char *month_start(gen *g, int k)
{
	char d[11];
	zb_date_add_months(g->month0, -k, d);
	return zb_arena_strdup(g->ar, d);
}

static const char *day_of(gen *g, const char *first, int day)
{
	char d[11];
	zb_date_add_days(first, day - 1, d);
	return zb_arena_strdup(g->ar, d);
}

/* An absence that has ended by today, approved by its level. */
static int away(gen *g, int64_t posting, const char *kind, const char *from, const char *to, const char *reason,
                int decide, zb_err *e)
{
	if (strcmp(to, g->today) >= 0 && decide)
		return 0;
	int64_t id;
	int rc = zb_vabsence_file(g->db, g->app, &g->by, NULL, posting, kind, from, to, reason, g->ar, &id, e);
	if (rc == ZB_ECONFLICT || rc == ZB_EINVAL) /* overlapping or before the posting: leave it out */
		return 0;
	if (!rc && decide && !strcmp(kind, "leave"))
		rc = zb_vabsence_decide(g->db, g->app, &g->by, NULL, id, 1, "同意", g->ar, e);
	g->res->absences += !rc;
	return rc;
}

/* Six months of a 第一书记's absences: short leave most months, a long
 * training now and then (a month under the rule), trips, a leave across
 * a month end. */
static int absences(gen *g, int64_t posting, int under, zb_err *e)
{
	int rc = 0;
	for (int k = 6; !rc && k >= 0; k--) {
		const char *m = month_start(g, k);
		if (zb_rng_chance(&g->r, 65)) {
			int d = zb_rng_between(&g->r, 3, 6), len = zb_rng_chance(&g->r, 15) ? 4 : zb_rng_between(&g->r, 1, 3);
			rc = away(g, posting, "leave", day_of(g, m, d), day_of(g, m, d + len - 1),
			          len > 3 ? "家人住院陪护" : "回派出单位办理事务", 1, e);
		}
		if (!rc && (under == k || zb_rng_chance(&g->r, 12)))
			rc = away(g, posting, "training", day_of(g, m, 10), day_of(g, m, 10 + zb_rng_between(&g->r, 8, 12)),
			          "参加省委党校驻村第一书记示范培训班", 1, e);
		if (!rc && zb_rng_chance(&g->r, 25))
			rc = away(g, posting, "trip", day_of(g, m, 24), day_of(g, m, 24 + zb_rng_between(&g->r, 1, 3)),
			          "赴市里对接帮扶项目", 1, e);
		if (!rc && k > 0 && zb_rng_chance(&g->r, 10))
			rc = away(g, posting, "leave", day_of(g, month_start(g, k - 1), -1), day_of(g, month_start(g, k - 1), 2),
			          "回家探亲", 1, e);
	}
	return rc;
}

int zb_village_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t focus_org, zb_village_demo_result *res,
                    zb_err *e)
{
	memset(res, 0, sizeof *res);
	zb_arena a;
	zb_arena_init(&a);
	gen g = {.db = db, .app = app, .r = zb_rng_for(seed, 0x7611a9e, 13), .ar = &a,
	         .by = {.user_id = 0, .username = "demo", .ip = "local"}, .res = res};
	zb_today(app, g.today);
	snprintf(g.month0, sizeof g.month0, "%.8s01", g.today);
	zb_org root;
	int rc = zb_org_get(db, 1, &a, &root, e);
	g.county = root.id;
	/* 派出单位: the county's organs and a few enterprises and institutions */
	int nu = 0;
	while (zb_demo_organs[nu])
		nu++;
	g.units = zb_arena_alloc(&a, (size_t)(nu + NOF(EXTRA_UNITS)) * sizeof *g.units);
	for (int i = 0; !rc && i < nu + NOF(EXTRA_UNITS) - 1; i++) {
		const char *name = i < nu ? zb_demo_organs[i] : EXTRA_UNITS[i - nu];
		zb_dunit_input in = {.org_id = g.county, .name = zb_arena_printf(&a, "示范%s", name),
		                     .contact_name = person_name(&g, 'M'),
		                     .contact_phone = zb_arena_printf(&a, "0791-%08d", zb_rng_between(&g.r, 10000000, 99999999))};
		rc = zb_dunit_create(db, app, &g.by, NULL, &in, &a, &g.units[g.nunits], e);
		g.nunits += !rc;
	}
	res->units = g.nunits;
	/* the villages */
	zb_vvillage *vs = NULL;
	int nv = 0;
	zb_vcounty sum;
	const char *month = zb_arena_printf(&a, "%.7s", g.today);
	if (!rc)
		rc = zb_vcounty_view(db, root.path, month, g.today, NULL, &a, &vs, &nv, &sum, e);
	static const char *const REASONS[] = {"poverty", "poverty", "poverty", "weak", "weak", "collective"};
	int made = 0, ending = 0, recalls = 0, uncovered = 0, under_k = 1;
	for (int i = 0; !rc && i < nv; i++) {
		const zb_vvillage *v = &vs[i];
		int focus = v->org_id == focus_org;
		if (!focus && !zb_rng_chance(&g.r, 22))
			continue;
		int64_t req, team, fs, posting;
		const char *since = month_start(&g, zb_rng_chance(&g.r, 50) ? 40 : 30);
		rc = zb_vreq_add(db, app, &g.by, NULL, v->org_id, REASONS[zb_rng_below(&g.r, NOF(REASONS))],
		                 "县委组织部确定的选派村", since, NULL, &a, &req, e);
		if (rc)
			break;
		res->required++;
		/* three required villages still wait for their 第一书记 */
		if (!focus && uncovered < 3 && made > 10 && zb_rng_chance(&g.r, 20)) {
			uncovered++;
			continue;
		}
		/* a posting of about two years: some begun 21-23 months ago end within 90 days */
		int months_ago = focus ? 10 : ending < 5 && zb_rng_chance(&g.r, 8) ? 21 + ending++ % 3 : zb_rng_between(&g.r, 2, 18);
		const char *start = day_of(&g, month_start(&g, months_ago), zb_rng_between(&g.r, 1, 20));
		int recall = !focus && recalls < 2 && months_ago <= 8 && zb_rng_chance(&g.r, 15);
		const char *formed = recall ? day_of(&g, month_start(&g, months_ago + 14), 5) : start;
		if ((rc = zb_vteam_create(db, app, &g.by, NULL, v->org_id, NULL, formed, &a, &team, e)))
			break;
		res->teams++;
		if (recall) {
			/* the one before was recalled the day before this one began */
			int64_t old, op;
			char end[11];
			zb_date_add_days(start, -1, end);
			zb_vposting_input pi = {.cadre_id = 0, .org_id = v->org_id, .team_id = team, .role = "first_secretary",
			                        .started_on = formed, .term_ends_on = day_of(&g, month_start(&g, months_ago - 10), 5)};
			if ((rc = new_cadre(&g, &old, e)))
				break;
			pi.cadre_id = old;
			if ((rc = zb_vposting_create(db, app, &g.by, NULL, &pi, &a, &op, e)) ||
			    (rc = zb_vposting_end(db, app, &g.by, op, end, "recalled", "长期驻村天数不足，经县委组织部研究召回", &a, e)))
				break;
			recalls++;
		}
		char term[11];
		zb_date_add_years(start, 2, term);
		if ((rc = new_cadre(&g, &fs, e)))
			break;
		zb_vposting_input pi = {.cadre_id = fs, .org_id = v->org_id, .team_id = team, .role = "first_secretary",
		                        .started_on = start, .term_ends_on = zb_arena_strdup(&a, term)};
		if ((rc = zb_vposting_create(db, app, &g.by, NULL, &pi, &a, &posting, e)))
			break;
		res->first_secretaries++;
		if (focus) {
			res->focus_cadre = fs;
			res->focus_team = team;
			res->focus_org = v->org_id;
		}
		/* the rest of the team: a 队长 in one team of three, 2-5 队员 */
		int nm = zb_rng_between(&g.r, 2, 5);
		for (int k = 0; !rc && k < nm; k++) {
			int64_t c, p;
			if ((rc = new_cadre(&g, &c, e)))
				break;
			zb_vposting_input mi = {.cadre_id = c, .org_id = v->org_id, .team_id = team,
			                        .role = k == 0 && zb_rng_chance(&g.r, 33) ? "leader" : "member",
			                        .started_on = start, .term_ends_on = pi.term_ends_on};
			rc = zb_vposting_create(db, app, &g.by, NULL, &mi, &a, &p, e);
		}
		/* absences: one month in about eight under the rule */
		if (!rc)
			rc = absences(&g, posting, focus ? 1 : zb_rng_chance(&g.r, 40) ? under_k++ % 6 + 1 : -1, e);
		/* a leave waiting for its approval, in the coming days */
		if (!rc && (focus || zb_rng_chance(&g.r, 6))) {
			char f[11], t[11];
			zb_date_add_days(g.today, 3, f);
			zb_date_add_days(f, focus ? 1 : zb_rng_between(&g.r, 1, 5), t);
			rc = away(&g, posting, "leave", zb_arena_strdup(&a, f), zb_arena_strdup(&a, t), "回派出单位述职", 0, e);
		}
		/* the log: a few entries over the last three months */
		for (int k = 0; !rc && k < 3; k++) {
			int64_t lid;
			const char *d = day_of(&g, month_start(&g, k + 1), zb_rng_between(&g.r, 2, 27));
			if (strcmp(d, start) < 0)
				continue;
			rc = zb_vlog_add(db, app, &g.by, team, d, WORK[zb_rng_below(&g.r, NOF(WORK))],
			                 zb_rng_chance(&g.r, 40) ? "[{\"name\":\"现场照片.jpg\"}]" : NULL, NULL, 0, &a, &lid, e);
			res->logs += !rc;
		}
		/* last year's evaluation of a team formed before it */
		int year = atoi(g.today) - 1;
		if (!rc && atoi(formed) < year + 1) {
			int64_t eid;
			double fin;
			zb_veval_scores s = {zb_rng_between(&g.r, 70, 98), zb_rng_between(&g.r, 65, 98), zb_rng_between(&g.r, 60, 98),
			                     zb_rng_between(&g.r, 70, 98), zb_rng_between(&g.r, 70, 98), zb_rng_between(&g.r, 70, 98),
			                     zb_rng_between(&g.r, 60, 98)};
			rc = zb_veval_add(db, app, &g.by, team, year, zb_arena_printf(&a, "%d-01-%02d", year + 1, 10 + made % 15),
			                  "全年驻村工作述职：产业发展、基层组织建设、为民办事", &s, &a, &eid, &fin, e);
			res->evaluations += !rc;
		}
		/* 约谈 and 问责 */
		if (!rc && !focus && zb_rng_chance(&g.r, 8)) {
			int64_t oid;
			rc = zb_voutcome_add(db, app, &g.by, fs, zb_rng_chance(&g.r, 70) ? "talk" : "accountability",
			                     day_of(&g, month_start(&g, 1), 15), "驻村天数不足、工作记录不实", &a, &oid, e);
			res->outcomes += !rc;
		}
		made++;
	}
	res->recalls = recalls;
	zb_arena_free(&a);
	return rc;
}
