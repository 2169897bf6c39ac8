/* demo.c - the demo county's 发展党员 pipeline (see demo.h).
 *
 * Each person is planned from a generator seeded by (seed, index): a
 * branch drawn by weight, the application date, a fate (how far the
 * branch takes them) and the pace of each step within the rule's bounds;
 * the steps are then recorded one by one until the fate or today stops
 * them.  A plenary step waits for the branch's next quorate 支部党员大会
 * and adds the admission (or 转正) resolution to it. */
#include "recruit/demo.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/rng.h"
#include "demo/demo.h"
#include "meeting/meeting.h"
#include "member/idcard.h"
#include "member/member.h"
#include "org/org.h"
#include "recruit/applicant.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct rbranch {
	int64_t id;
	int weight;
	int f0, nf;                  /* full members full[f0 .. f0+nf) */
	int64_t prob;                /* a 预备党员 of the branch, 0: none */
	char prob_join[11];
} rbranch;

typedef struct rg {
	zb_db *db;
	zb_app *app;
	uint64_t seed;
	zb_arena keep;
	rbranch *b;
	int nb;
	int64_t *full;
	int nfull;
	int64_t members, wsum;
	char today[11];
	int today_int;
	zb_principal who;
	zb_grant grant;
	zb_audit_ev by;
	int seq;                     /* ID number sequence (men odd, women even, from 500) */
	zb_recruit_demo_result res;
} rg;

/* The sources with their ages at application and what they do. */
static const struct {
	const char *code, *unit;
	int w, age_lo, age_hi;
} SOURCES[] = {
	{"young_farmer", "务农", 34, 18, 34}, {"returnee", "返乡创业（个体经营）", 18, 24, 40},
	{"achiever", "种养殖专业户", 12, 28, 45}, {"veteran", "退役军人", 10, 21, 30},
	{"graduate", "大学生村官", 16, 21, 26},    {"other", "灵活就业", 10, 18, 40},
};
#define NSOURCES ((int)(sizeof SOURCES / sizeof SOURCES[0]))

static int load(rg *g, zb_err *e)
{
	int rc = zb_db_int(g->db, e, &g->members, "SELECT COUNT(*) FROM members WHERE status IN ('normal', 'mobile', 'lost', 'abroad')", "");
	if (rc)
		return rc;
	int cap = 0;
	zb_stmt *st = zb_db_query(g->db, e,
	                          "SELECT id, COALESCE(domain, '') FROM orgs WHERE type IN ('branch', 'joint_branch') "
	                          "AND dissolved_on IS NULL ORDER BY id",
	                          "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (g->nb == cap) {
			cap = cap ? cap * 2 : 256;
			rbranch *nb = realloc(g->b, (size_t)cap * sizeof *nb);
			if (!nb) {
				rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
				break;
			}
			g->b = nb;
		}
		rbranch *b = &g->b[g->nb++];
		memset(b, 0, sizeof *b);
		b->id = zb_col_int(st, 0);
		const char *dom = zb_col_text(st, 1);
		zb_rng r = {zb_mix64(g->seed ^ zb_mix64((uint64_t)b->id * 31 + 11))};
		int rural = !strcmp(dom, "rural"), comm = !strcmp(dom, "community");
		/* village and community branches most; some branches none */
		b->weight = rural ? 5 : comm ? 4 : 1;
		if (zb_rng_below(&r, 100) < (rural || comm ? 8 : 30))
			b->weight = 0;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	/* 培养联系人, 介绍人, 谈话人: full members since well before the window */
	char since[11];
	zb_date_add_months(g->today, -48, since);
	cap = 0;
	st = zb_db_query(g->db, e,
	                 "SELECT id, org_id FROM members WHERE category = 'full' AND full_date <= ? AND status = 'normal' "
	                 "ORDER BY org_id, id",
	                 "s", since);
	if (!st)
		return e->code;
	int bi = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t org = zb_col_int(st, 1);
		while (bi < g->nb && g->b[bi].id < org)
			bi++;
		if (bi == g->nb || g->b[bi].id != org)
			continue;
		if (g->nfull == cap) {
			cap = cap ? cap * 2 : 1024;
			int64_t *nf = realloc(g->full, (size_t)cap * sizeof *nf);
			if (!nf) {
				rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
				break;
			}
			g->full = nf;
		}
		if (!g->b[bi].nf)
			g->b[bi].f0 = g->nfull;
		g->b[bi].nf++;
		g->full[g->nfull++] = zb_col_int(st, 0);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	st = zb_db_query(g->db, e,
	                 "SELECT id, org_id, join_date FROM members WHERE category = 'probationary' AND status = 'normal' "
	                 "ORDER BY org_id, id",
	                 "");
	if (!st)
		return e->code;
	bi = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t org = zb_col_int(st, 1);
		while (bi < g->nb && g->b[bi].id < org)
			bi++;
		if (bi < g->nb && g->b[bi].id == org && !g->b[bi].prob) {
			g->b[bi].prob = zb_col_int(st, 0);
			snprintf(g->b[bi].prob_join, sizeof g->b[bi].prob_join, "%s", zb_col_text(st, 2));
		}
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	for (int i = 0; i < g->nb; i++) {
		if (g->b[i].nf < 3)
			g->b[i].weight = 0;
		g->wsum += (int64_t)g->b[i].weight * g->b[i].nf;
	}
	return 0;
}

static rbranch *pick_branch(rg *g, zb_rng *r)
{
	if (!g->wsum)
		return NULL;
	int64_t x = (int64_t)(zb_mix64(r->s += 0x51) % (uint64_t)g->wsum);
	for (int i = 0; i < g->nb; i++) {
		x -= (int64_t)g->b[i].weight * g->b[i].nf;
		if (x < 0)
			return &g->b[i];
	}
	return &g->b[g->nb - 1];
}

static int64_t full_of(const rg *g, const rbranch *b, int k)
{
	return g->full[b->f0 + k % b->nf];
}

/* A person applying on `applied` at branch b. */
static void person(rg *g, zb_rng *r, const rbranch *b, const char *applied, zb_applicant *a, zb_arena *ar)
{
	memset(a, 0, sizeof *a);
	int s = 0, x = zb_rng_below(r, 100);
	while (s < NSOURCES - 1 && (x -= SOURCES[s].w) >= 0)
		s++;
	char gender = s == 3 ? (zb_rng_below(r, 100) < 85 ? 'M' : 'F') : zb_rng_below(r, 100) < 56 ? 'M' : 'F';
	int sur = 0, tot = 0;
	for (int i = 0; zb_demo_surnames[i].s; i++)
		tot += zb_demo_surnames[i].w;
	int w = zb_rng_below(r, tot);
	while ((w -= zb_demo_surnames[sur].w) >= 0)
		sur++;
	const char *const *given = gender == 'M' ? zb_demo_given_m : zb_demo_given_f;
	int ng = 0;
	while (given[ng])
		ng++;
	int g1 = zb_rng_below(r, ng), g2 = zb_rng_below(r, 3) ? zb_rng_below(r, ng) : -1;
	a->name = zb_arena_printf(ar, "%s%s%s", zb_demo_surnames[sur].s, given[g1], g2 >= 0 ? given[g2] : "");
	int age = zb_rng_between(r, SOURCES[s].age_lo, SOURCES[s].age_hi);
	char tmp[11], birth[11];
	zb_date_add_years(applied, -age, tmp);
	zb_date_add_days(tmp, -zb_rng_between(r, 1, 360), birth);
	char ymd[9];
	snprintf(ymd, sizeof ymd, "%.4s%.2s%.2s", birth, birth + 5, birth + 8);
	char idn[19];
	/* the county's region code, from 500 up: the roster's numbers of a day stay far below */
	zb_idcard_make("990101", ymd, 500 + (g->seq++ % 250) * 2 + (gender == 'M'), gender, idn);
	a->id_number = zb_arena_strdup(ar, idn);
	a->gender = gender == 'M' ? "M" : "F";
	a->birth_date = zb_arena_strdup(ar, birth);
	a->ethnicity = zb_rng_below(r, 100) < 93 ? "汉族" : "壮族";
	a->education = s == 4 ? "大学本科" : zb_educations[zb_rng_between(r, 1, 5)];
	a->work_unit = SOURCES[s].unit;
	a->phone = zb_arena_printf(ar, "1990100%04d", zb_rng_below(r, 10000));
	a->source = SOURCES[s].code;
	a->applied_on = zb_arena_strdup(ar, applied);
	a->org_id = b->id;
}

static const unsigned GIVEN = ZB_AF_NAME | ZB_AF_GENDER | ZB_AF_BIRTH | ZB_AF_ID | ZB_AF_ETHNICITY | ZB_AF_EDUCATION |
                              ZB_AF_WORK_UNIT | ZB_AF_PHONE | ZB_AF_SOURCE | ZB_AF_APPLIED;

static zb_rstep_input in_of(int step, const char *on)
{
	zb_rstep_input x;
	memset(&x, 0, sizeof x);
	x.step = step;
	x.done_on = on;
	x.training_days = x.training_hours = x.extend_months = -1;
	return x;
}

/* The facts of step n done on `on` for the ordinary path (not 6, 15, 21, 23). */
static zb_rstep_input facts(rg *g, zb_rng *r, const rbranch *b, int n, const char *on, zb_rperson_in *p, zb_arena *ar)
{
	zb_rstep_input x = in_of(n, on);
	switch (n) {
	case 2:
		p[0] = (zb_rperson_in){full_of(g, b, 0), NULL};
		x.people = p;
		x.npeople = 1;
		break;
	case 3:
		x.recommended_by = zb_rng_below(r, 100) < 35 ? "league" : "members";
		break;
	case 5:
	case 9: {
		int k = zb_rng_below(r, b->nf);
		p[0] = (zb_rperson_in){full_of(g, b, k), NULL};
		p[1] = (zb_rperson_in){full_of(g, b, k + 1), NULL};
		x.people = p;
		x.npeople = n == 9 || zb_rng_below(r, 2) ? 2 : 1;
		break;
	}
	case 10:
	case 12:
		x.conclusion = "pass";
		break;
	case 11:
		x.training_days = zb_rng_between(r, 3, 5);
		x.certificate_no = zb_arena_printf(ar, "PX%.4s-%03d", on, zb_rng_below(r, 1000));
		break;
	case 14:
		x.volunteer_no = zb_arena_printf(ar, "ZYS-%.4s-%04d", on, zb_rng_below(r, 10000));
		break;
	case 16:
		p[0] = (zb_rperson_in){0, "乡镇党委组织委员"};
		x.people = p;
		x.npeople = 1;
		break;
	default:
		break;
	}
	return x;
}

static int record(rg *g, int64_t id, const zb_rstep_input *in, zb_arena *ar, zb_err *e)
{
	int rc = zb_recruit_record(g->db, g->app, &g->by, &g->who, id, in, ar, e);
	if (!rc)
		g->res.steps++;
	else {
		zb_err in0 = *e;
		zb_fail(e, in0.code, in0.field[0] ? in0.field : NULL, "第 %d 步（%s）：%s", in->step, in->done_on ? in->done_on : "-",
		        in0.msg);
	}
	return rc;
}

/* The branch's first quorate 支部党员大会 from `from` to today where more
 * than half of those with a vote were present, with a new resolution of
 * kind on it (all present for); *mid 0 when there is none. */
static int plenary(rg *g, const rbranch *b, const char *from, int kind, const char *name, int64_t *mid, int64_t *rid,
                   char held[11], zb_arena *ar, zb_err *e)
{
	*mid = 0;
	zb_stmt *st = zb_db_query(g->db, e,
	                          "SELECT id, held_on FROM meetings WHERE org_id = ? AND type = 'plenary' AND held_on >= ? "
	                          "AND held_on <= ? AND quorum_ok = 1 AND present_voters * 2 > voters ORDER BY held_on, id LIMIT 1",
	                          "iss", b->id, from, g->today);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1) {
		*mid = zb_col_int(st, 0);
		snprintf(held, 11, "%s", zb_col_text(st, 1));
		rc = 0;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!*mid)
		return 0;
	zb_meeting m;
	if ((rc = zb_db_begin_write(g->db, e)))
		return rc;
	rc = zb_meeting_get(g->db, *mid, ar, &m, e);
	zb_res_row x = {.kind = kind, .yes = m.present_voters};
	x.title = zb_arena_printf(ar, kind == ZB_RES_ADMISSION ? "接收%s为中共预备党员" : "%s按期转为中共正式党员", name);
	if (!rc)
		rc = zb_resolution_insert(g->db, &m, &x, NULL, 0, 0, zb_now(g->app), e);
	*rid = x.id;
	return zb_db_end(g->db, rc, e);
}

/* Later of a and b into out. */
static void later(const char *a, const char *b, char out[11])
{
	memmove(out, strcmp(a, b) > 0 ? a : b, 11);
}

/* One person on the ordinary path; fate: the last step the branch takes
 * them to (2: stays 申请人, 6: 积极分子, 16: 发展对象 awaiting approval, 25: all
 * the way). */
static int ordinary(rg *g, int idx, zb_err *e)
{
	zb_rng r = {zb_mix64(g->seed ^ zb_mix64((uint64_t)idx * 0x100000001B3ull + 7))};
	rbranch *b = pick_branch(g, &r);
	if (!b)
		return 0;
	char applied[11];
	zb_date_add_days(g->today, -zb_rng_between(&r, 3, 3 * 365), applied);
	int u = zb_rng_below(&r, 100);
	int fate = u < 12 ? 2 : u < 55 ? 6 : u < 72 ? 16 : 25;
	int age_days = (int)(zb_date_days(g->today) - zb_date_days(applied));
	/* stalled: a talk overdue; 积极分子 for two years with no 考察 */
	int no_talk = age_days < 31 ? zb_rng_below(&r, 2) : age_days < 70 ? zb_rng_below(&r, 100) < 40 : 0;
	int no_assess = fate == 6 && age_days > 800 && zb_rng_below(&r, 100) < 30;
	zb_arena ar;
	zb_arena_init(&ar);
	zb_applicant a;
	person(g, &r, b, applied, &a, &ar);
	int64_t id = 0;
	int rc = zb_applicant_create(g->db, g->app, &g->by, &g->who, b->id, &a, GIVEN, &ar, &id, e);
	if (rc == ZB_ECONFLICT && !strcmp(e->field, "id_number")) {
		rc = 0; /* the number is someone's already: this one never applied */
		goto out;
	}
	if (rc)
		goto out;
	g->res.applicants++;
	char d[ZB_RSTEPS + 2][11], last[11], tmp[11];
	snprintf(last, sizeof last, "%s", applied);
	zb_rperson_in people[2];
	for (int n = 2; !rc && n <= fate && !no_talk; n++) {
		char on[11];
		switch (n) {
		case 2: zb_date_add_days(last, zb_rng_between(&r, 3, 25), on); break;
		case 3: zb_date_add_days(last, zb_rng_between(&r, 30, 150), on); break;
		case 7: zb_date_add_months(d[3], 12, tmp); zb_date_add_days(tmp, zb_rng_between(&r, 0, 120), on); later(on, last, on); break;
		case 13: zb_date_add_days(last, zb_rng_between(&r, 15, 25), on); break;
		case 17: zb_date_add_days(last, zb_rng_between(&r, 20, 70), on); zb_date_add_months(d[15], 3, tmp); if (strcmp(on, tmp) > 0) memcpy(on, tmp, 11); break;
		case 22: zb_date_add_months(d[15], 12, tmp); zb_date_add_days(tmp, -zb_rng_between(&r, 5, 25), on); later(on, last, on); break;
		default: zb_date_add_days(last, zb_rng_between(&r, 3, 20), on); break;
		}
		if (n == 6 || n == 21) {
			/* 考察 every half year: while an 积极分子 (step 7 comes a year
			 * after step 3) or in the 预备期 */
			if (n == 6 && no_assess)
				break;
			char end[11];
			if (n == 6)
				zb_date_add_months(d[3], 12, end);
			else
				zb_date_add_months(d[15], 11, end);
			int k = 0;
			zb_date_add_days(n == 6 ? d[3] : d[15], zb_rng_between(&r, 120, 170), on);
			if (strcmp(last, on) >= 0)
				zb_date_add_days(last, zb_rng_between(&r, 5, 20), on);
			for (; !rc && strcmp(on, end) < 0 && strcmp(on, g->today) <= 0;
			     zb_date_add_days(on, zb_rng_between(&r, 150, 178), on), k++) {
				zb_rstep_input x = in_of(n, on);
				x.opinion = n == 6 ? (k ? "积极参加组织活动，带头完成村里的工作" : "思想进步，能按时学习，表现良好")
				                   : "预备期内表现良好，能发挥党员作用";
				if (!(rc = record(g, id, &x, &ar, e)))
					memcpy(last, on, 11);
			}
			if (n == 6 && fate == 6) {
				/* still an 积极分子: 考察 go on to today */
				for (; !rc && strcmp(on, g->today) <= 0; zb_date_add_days(on, zb_rng_between(&r, 150, 178), on)) {
					zb_rstep_input x = in_of(6, on);
					x.opinion = "继续培养考察，表现良好";
					rc = record(g, id, &x, &ar, e);
				}
			}
			if (!k)
				break;
			continue;
		}
		if (n == 15 || n == 23) {
			char from[11];
			if (n == 15)
				snprintf(from, sizeof from, "%s", last);
			else {
				zb_date_add_months(d[15], 12, tmp);
				later(tmp, last, from);
			}
			int64_t mid = 0, rid = 0;
			if ((rc = plenary(g, b, from, n == 15 ? ZB_RES_ADMISSION : ZB_RES_FULL, a.name, &mid, &rid, on, &ar, e)) || !mid)
				break;
			zb_rstep_input x = in_of(n, on);
			x.meeting_id = mid;
			x.resolution_id = rid;
			if (n == 23)
				x.outcome = "full";
			if ((rc = record(g, id, &x, &ar, e)))
				break;
			memcpy(d[n], on, 11);
			memcpy(last, on, 11);
			continue;
		}
		if (n == 13) {
			/* 公示 from the day after the 支部委员会, 5 working days */
			zb_date_add_days(d[12], 1, tmp);
			zb_rstep_input x = in_of(13, on);
			x.publicity_from = tmp;
			x.conclusion = "pass";
			if (strcmp(on, g->today) > 0 || (rc = record(g, id, &x, &ar, e)))
				break;
			memcpy(d[13], on, 11);
			memcpy(last, on, 11);
			continue;
		}
		if (n == 25 && zb_rng_below(&r, 2))
			break;
		if (strcmp(on, g->today) > 0)
			break;
		zb_rstep_input x = facts(g, &r, b, n, on, people, &ar);
		if ((rc = record(g, id, &x, &ar, e)))
			break;
		memcpy(d[n], on, 11);
		memcpy(last, on, 11);
	}
	if (rc) {
		zb_err in = *e;
		zb_fail(e, in.code ? in.code : (zb_code)rc, in.field[0] ? in.field : NULL, "%s（演示数据第 %d 名申请人 %s）", in.msg,
		        idx, a.name);
	}
out:
	zb_arena_free(&ar);
	return rc;
}

/* ---- four pipelines as an imported 台账 brings them, each breaking a rule ---- */

typedef struct hist {
	zb_rstep_input s[ZB_RSTEPS + 4];
	int n;
	char d[ZB_RSTEPS + 4][11];
	zb_rperson_in p[ZB_RSTEPS + 4][2];
} hist;

/* Append step n on `on`, `days` after the last one (on NULL). */
static zb_rstep_input *hadd(rg *g, zb_rng *r, const rbranch *b, hist *h, int n, const char *on, int days, zb_arena *ar)
{
	char *d = h->d[h->n];
	if (on)
		snprintf(d, 11, "%s", on);
	else
		zb_date_add_days(h->d[h->n - 1], days, d);
	zb_rstep_input *x = &h->s[h->n];
	*x = n == 6 ? in_of(6, d) : facts(g, r, b, n, d, h->p[h->n], ar);
	if (n == 6)
		x->opinion = "思想进步，表现良好";
	if (n == 13) {
		char *from = zb_arena_alloc(ar, 11);
		zb_date_add_days(h->d[h->n - 1], 1, from);
		x->publicity_from = from;
		x->conclusion = "pass";
	}
	h->n++;
	return x;
}

/* Which rule the four break: 0 talk after two months, 1 发展对象 after ten
 * months as 积极分子, 2 a 预备党员 as 介绍人, 3 approval four months after
 * the plenary. */
static int historic(rg *g, int which, zb_err *e)
{
	zb_rng r = {zb_mix64(g->seed ^ zb_mix64((uint64_t)which + 0xAB1))};
	rbranch *b = NULL;
	for (int tries = 0; tries < 1000 && !b; tries++) {
		rbranch *c = pick_branch(g, &r);
		if (c && (which != 2 || c->prob))
			b = c;
	}
	if (!b)
		return 0;
	zb_arena ar;
	zb_arena_init(&ar);
	hist *h = zb_arena_alloc(&ar, sizeof *h);
	memset(h, 0, sizeof *h);
	char applied[11], tmp[11];
	zb_date_add_months(g->today, which == 0 ? -5 : which == 3 ? -30 : -26, tmp);
	zb_date_add_days(tmp, -zb_rng_between(&r, 0, 20), applied);
	if (which == 2) {
		/* step 9 falls after the 预备党员 joined */
		zb_date_add_months(b->prob_join, -17, tmp);
		if (strcmp(tmp, applied) < 0)
			memcpy(applied, tmp, 11);
	}
	hadd(g, &r, b, h, 1, applied, 0, &ar);
	hadd(g, &r, b, h, 2, NULL, which == 0 ? zb_rng_between(&r, 62, 75) : zb_rng_between(&r, 5, 20), &ar);
	hadd(g, &r, b, h, 3, NULL, zb_rng_between(&r, 30, 60), &ar);
	hadd(g, &r, b, h, 4, NULL, 10, &ar);
	hadd(g, &r, b, h, 5, NULL, 7, &ar);
	hadd(g, &r, b, h, 6, NULL, 110, &ar);
	int s3 = 2;
	int64_t mid = 0, rid = 0;
	int rc = 0;
	if (which) {
		zb_date_add_months(h->d[s3], which == 1 ? 10 : 12, tmp);
		zb_date_add_days(tmp, which == 1 ? 0 : zb_rng_between(&r, 5, 40), tmp);
		hadd(g, &r, b, h, 6, NULL, 110, &ar);
		hadd(g, &r, b, h, 7, tmp, 0, &ar);
		hadd(g, &r, b, h, 8, NULL, 10, &ar);
		if (which == 2) {
			char on[11];
			zb_date_add_days(b->prob_join, 20, on);
			later(on, h->d[h->n - 1], on);
			hadd(g, &r, b, h, 9, on, 0, &ar);
			h->p[h->n - 1][1].member_id = b->prob;
		} else {
			hadd(g, &r, b, h, 9, NULL, 12, &ar);
		}
		hadd(g, &r, b, h, 10, NULL, 20, &ar);
		hadd(g, &r, b, h, 11, NULL, 20, &ar);
		if (which == 3) {
			hadd(g, &r, b, h, 12, NULL, 7, &ar);
			hadd(g, &r, b, h, 13, NULL, 18, &ar);
			hadd(g, &r, b, h, 14, NULL, 5, &ar);
			char held[11];
			if ((rc = plenary(g, b, h->d[h->n - 1], ZB_RES_ADMISSION, "台账导入的发展对象", &mid, &rid, held, &ar, e)))
				goto out;
			if (mid) {
				zb_rstep_input *x = hadd(g, &r, b, h, 15, held, 0, &ar);
				x->meeting_id = mid;
				x->resolution_id = rid;
				hadd(g, &r, b, h, 16, NULL, 10, &ar);
				zb_date_add_months(held, 4, tmp);
				zb_date_add_days(tmp, zb_rng_between(&r, 3, 15), tmp);
				hadd(g, &r, b, h, 17, tmp, 0, &ar);
				hadd(g, &r, b, h, 18, NULL, 5, &ar);
				hadd(g, &r, b, h, 19, NULL, 5, &ar);
				hadd(g, &r, b, h, 20, NULL, 10, &ar);
			}
		}
	}
	while (h->n > 1 && strcmp(h->d[h->n - 1], g->today) > 0)
		h->n--;
	/* a 台账 names people, the importer finds them on the roster */
	for (int i = 0; !rc && i < h->n; i++)
		for (int j = 0; !rc && j < h->s[i].npeople; j++) {
			zb_rperson_in *p = &h->p[i][j];
			if (!p->member_id)
				continue;
			zb_member m;
			rc = zb_member_get(g->db, p->member_id, &ar, &m, e);
			*p = (zb_rperson_in){0, m.name};
		}
	if (rc)
		goto out;
	zb_applicant a;
	person(g, &r, b, applied, &a, &ar);
	zb_org o;
	if ((rc = zb_org_get(g->db, b->id, &ar, &o, e)))
		goto out;
	a.org_path = o.path;
	a.org_name = o.name;
	if ((rc = zb_applicant_check(&a, GIVEN, g->today_int, &ar, e)) || (rc = zb_db_begin_write(g->db, e)))
		goto out;
	rc = zb_applicant_insert(g->db, g->app, &g->by, 0, &a, GIVEN, &ar, e);
	if (!rc)
		rc = zb_recruit_historic_write(g->db, g->app, &g->by, &g->who, a.id, h->s, h->n, 0, &ar, e);
	if ((rc = zb_db_end(g->db, rc, e)))
		goto out;
	g->res.applicants++;
	g->res.steps += h->n;
	int64_t nf = 0;
	if ((rc = zb_db_int(g->db, e, &nf, "SELECT COUNT(*) FROM applicant_steps WHERE applicant_id = ? AND flag IS NOT NULL", "i",
	                    a.id)))
		goto out;
	g->res.flagged += nf > 0;
out:
	zb_arena_free(&ar);
	return rc;
}

int zb_recruit_demo(zb_db *db, zb_app *app, uint64_t seed, zb_recruit_demo_result *res, zb_err *e)
{
	rg g;
	memset(&g, 0, sizeof g);
	g.db = db;
	g.app = app;
	g.seed = seed;
	zb_arena_init(&g.keep);
	zb_today(app, g.today);
	g.today_int = zb_today_int(app);
	/* recorded from the command line (user 0) by the county 党委, which
	 * holds every step's permission */
	g.grant = (zb_grant){.role = "org_admin", .org_id = 1, .org_path = "/1/",
	                     .perms = P_ORG_READ | P_MEMBER_READ | P_MEMBER_WRITE | P_MEETING_READ | P_MEETING_WRITE};
	g.who = (zb_principal){.username = "demo", .display_name = "演示数据", .ngrants = 1, .grants = &g.grant,
	                       .all_perms = g.grant.perms};
	g.by = (zb_audit_ev){.username = "demo", .ip = "local"};
	int sqlite = zb_db_backend(db) == ZB_DB_SQLITE;
	int rc = zb_db_exec(db, sqlite ? "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY" : "SET jit = off", e);
	zb_org root;
	if (!rc && !(rc = zb_org_get(db, 1, &g.keep, &root, e)))
		g.grant.org_path = root.path;
	if (!rc)
		rc = load(&g, e);
	/* two applications per 100 members a year, over three years */
	int64_t n = g.members * 6 / 100;
	for (int64_t i = 0; !rc && i < n; i++)
		rc = ordinary(&g, (int)i, e);
	for (int k = 0; !rc && k < 4; k++)
		rc = historic(&g, k, e);
	{
		zb_err ignore = {0};
		zb_db_exec(db, sqlite ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL" : "RESET jit", &ignore);
	}
	if (res)
		*res = g.res;
	free(g.b);
	free(g.full);
	zb_arena_free(&g.keep);
	return rc;
}
