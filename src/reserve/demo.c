/* demo.c - the demo county's reserve pools (called by `zhibu demo` after
 * the roster): about nine villages in ten keep a pool, most with one
 * young cadre, some only older people, some several; the others none.
 * People are young members of the village branch or villagers who are not
 * members (fictional checksum-valid ID numbers of region 990103), from the
 * sources the plan names, with one to three trainings; about half have a
 * 试岗锻炼 period, ended and assessed (优秀, 合格, now and then 不合格),
 * ended and waiting for its assessment, or under way.  Three people are
 * removed this year with 取消后备干部资格 after the annual evaluation.
 * Everything goes through the domain's writes (reserve/reserve.h), so each
 * obeys the rules.  Deterministic for the seed (given the same orgs,
 * members and today's date). */
#include "reserve/demo.h"
#include "reserve/reserve.h"
#include "core/date.h"
#include "core/rng.h"
#include "demo/demo.h"
#include "member/idcard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code;
	int age_lo, age_hi;
} KINDS[] = {
	{"achiever", 28, 45}, {"graduate", 22, 30}, {"veteran", 24, 38}, {"returnee", 26, 42}, {"group_leader", 30, 50},
};
#define NKINDS (int)(sizeof KINDS / sizeof KINDS[0])
static const char *const POSTS[] = {"村委会主任助理", "村党支部书记助理", "村文书", "村会计助理", "村妇联主席助理"};
static const char *const COURSES[] = {"乡村振兴政策专题培训", "村级事务管理", "党的基本理论知识", "农村电商实务",
                                      "基层治理与矛盾调处"};
static const char *const MENTORS[] = {"村党支部书记", "村委会主任", "驻村第一书记", "乡镇包村干部"};
static const char *const EDU[] = {"高中", "中专", "大专", "大学本科"};
#define PICK(r, a) (a)[zb_rng_below((r), (int)(sizeof(a) / sizeof((a)[0])))]

static int count_of(const char *const *a)
{
	int n = 0;
	while (a[n])
		n++;
	return n;
}

/* A villager who is not a member, aged between lo and hi on today. */
static void villager(zb_rng *r, const char *today, int lo, int hi, int seq, zb_reserve *p, zb_arena *ar)
{
	int ns = 0;
	while (zb_demo_surnames[ns].s)
		ns++;
	char gender = zb_rng_below(r, 100) < 70 ? 'M' : 'F';
	const char *const *given = gender == 'M' ? zb_demo_given_m : zb_demo_given_f;
	int ng = count_of(given);
	p->name = zb_arena_printf(ar, "%s%s%s", zb_demo_surnames[zb_rng_below(r, ns < 40 ? ns : 40)].s,
	                          given[zb_rng_below(r, ng)], zb_rng_below(r, 2) ? given[zb_rng_below(r, ng)] : "");
	char y[11], birth[11], ymd[9], idn[19];
	zb_date_add_years(today, -zb_rng_between(r, lo, hi), y);
	zb_date_add_days(y, -zb_rng_between(r, 1, 360), birth);
	snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
	zb_idcard_make("990103", ymd, seq % 1000, gender, idn);
	p->id_number = zb_arena_strdup(ar, idn);
	p->phone = zb_arena_printf(ar, "1880103%04d", zb_rng_below(r, 10000));
	p->education = PICK(r, EDU);
	p->political = zb_rng_below(r, 4) ? "masses" : "league";
}

typedef struct ids {
	int64_t v[4];
	int n;
} ids;

static int take_id(zb_stmt *st, void *ctx, zb_err *e)
{
	ids *l = ctx;
	(void)e;
	l->v[l->n++] = zb_col_int(st, 0);
	return l->n < 4 ? 0 : ZB_DB_STOP;
}

/* One person of village v: a young member of it now and then. */
static int one(zb_db *db, zb_app *app, const zb_audit_ev *by, zb_rng *r, const zb_reserve_village *v,
               const char *today, int young, int *seq, const ids *members, int *used, zb_arena *ar, int64_t *id,
               zb_err *e)
{
	zb_reserve p = {.org_id = v->org_id};
	int k = zb_rng_below(r, NKINDS);
	if (young && *used < members->n && zb_rng_below(r, 3) == 0) {
		p.member_id = members->v[(*used)++];
	} else {
		int lo = young ? KINDS[k].age_lo : 36, hi = young ? (KINDS[k].age_hi < 34 ? KINDS[k].age_hi : 34) : 48;
		villager(r, today, lo < hi ? lo : hi - 4, hi, (*seq)++, &p, ar);
	}
	p.source = KINDS[k].code;
	if (!strcmp(p.source, "graduate")) {
		if (!young)
			p.source = "returnee"; /* a 返乡大学生 is young */
		else if (!p.member_id)
			p.education = *seq % 3 ? "大专" : "大学本科";
	}
	char entered[11];
	zb_date_add_days(today, -zb_rng_between(r, 200, 900), entered);
	p.entered_on = entered;
	p.recommended_by = zb_rng_below(r, 2) ? "村党支部推荐" : "群众推荐";
	int rc = zb_reserve_add(db, app, by, &p, ar, id, e);
	for (int t = zb_rng_between(r, 1, 3); !rc && t > 0; t--) {
		char on[11];
		zb_date_add_days(entered, zb_rng_between(r, 20, 180) * t, on);
		if (strcmp(on, today) > 0)
			continue;
		zb_reserve_training tr = {.held_on = on, .course = PICK(r, COURSES), .hours = 4 * zb_rng_between(r, 2, 8)};
		rc = zb_reserve_training_add(db, app, by, *id, &tr, ar, e);
	}
	if (rc || zb_rng_below(r, 2))
		return rc;
	/* a 试岗 period: ended (assessed or due) or under way */
	int kind = zb_rng_below(r, 10);
	char from[11], to[11], on[11];
	if (kind < 7) {
		zb_date_add_days(today, -zb_rng_between(r, 100, 190), from);
		zb_date_add_months(from, 3, to);
	} else {
		zb_date_add_days(today, -zb_rng_between(r, 10, 60), from);
		zb_date_add_months(from, 3, to);
	}
	if (strcmp(from, entered) < 0)
		memcpy(from, entered, 11);
	zb_reserve_trial t = {.post = PICK(r, POSTS), .from_on = from, .to_on = to, .mentor = PICK(r, MENTORS)};
	int64_t tid;
	if ((rc = zb_reserve_trial_add(db, app, by, *id, &t, ar, &tid, e)) || kind >= 5 || strcmp(to, today) >= 0)
		return rc;
	zb_date_add_days(to, zb_rng_between(r, 1, 10), on);
	if (strcmp(on, today) > 0)
		memcpy(on, today, 11);
	int x = zb_rng_below(r, 10);
	return zb_reserve_trial_assess(db, app, by, *id, tid, x < 3 ? "excellent" : x < 9 ? "pass" : "fail",
	                               x < 3 ? "群众认可度高，处理村务积极主动" : x < 9 ? "能完成岗位工作" : "群众工作方法欠缺，需继续锻炼",
	                               on, ar, e);
}

int zb_reserve_demo(zb_db *db, zb_app *app, uint64_t seed, zb_reserve_demo_result *res, zb_err *e)
{
	zb_reserve_demo_result out = {0};
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	char today[11], young_from[11];
	zb_today(app, today);
	zb_date_add_years(today, -34, young_from);
	zb_arena ar;
	zb_arena_init(&ar);
	zb_reserve_overview o;
	int64_t root = 0;
	int rc = zb_db_int(db, e, &root, "SELECT COALESCE(MIN(id), 0) FROM orgs WHERE parent_id IS NULL", "");
	char *root_path = NULL;
	if (!rc && root)
		root_path = zb_arena_printf(&ar, "/%lld/", (long long)root);
	if (!rc && root_path)
		rc = zb_reserve_overview_get(db, root_path, today, &ar, &o, e);
	int seq = 0, several = 0;
	int64_t removable[3] = {0};
	for (int i = 0; !rc && root_path && i < o.n; i++) {
		const zb_reserve_village *v = &o.items[i];
		zb_rng r = zb_rng_for(seed, 0x7e5e, (uint64_t)v->org_id);
		int x = zb_rng_below(&r, 100);
		if (x < 12)
			continue; /* no pool */
		int npeople = x < 22 ? 1 : x < 45 ? zb_rng_between(&r, 2, 3) : 1, nyoung = x < 22 ? 0 : 1;
		char upper[256];
		zb_path_upper(v->path, upper, sizeof upper);
		ids members = {0};
		rc = zb_db_each(db, e, take_id, &members,
		                "SELECT id FROM members WHERE org_path >= ? AND org_path < ? AND status = 'normal' "
		                "AND birth_date > ? ORDER BY id",
		                "sss", v->path, upper, young_from);
		int used = 0;
		for (int k = 0; !rc && k < npeople; k++) {
			zb_arena pa;
			zb_arena_init(&pa);
			int64_t id = 0;
			rc = one(db, app, &by, &r, v, today, k < nyoung || (k > 0 && zb_rng_below(&r, 2)), &seq, &members, &used,
			         &pa, &id, e);
			zb_arena_free(&pa);
			if (!rc) {
				out.people++;
				if (k == 1 && several < 3)
					removable[several++] = id;
			}
		}
		out.villages += !rc;
	}
	/* 取消后备干部资格3人: one of several people in three villages */
	for (int i = 0; !rc && i < several; i++) {
		char on[11];
		zb_date_add_days(today, -(10 + 25 * i), on);
		if (strncmp(on, today, 4))
			memcpy(on, today, 11);
		rc = zb_reserve_remove(db, app, &by, removable[i], on, "disqualified",
		                       "年度考评民主测评不称职，经村党支部研究、乡镇党委审核，取消后备干部资格", &ar, e);
		out.removed += !rc;
	}
	zb_arena_free(&ar);
	if (res)
		*res = out;
	return rc;
}
