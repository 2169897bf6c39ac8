/* demo.c - the demo county's 学习教育 (course.h zb_study_demo): courses of
 * the county, one with a quiz; in one township every branch's 集中学习 and
 * 远程教育 with most of its members (so that some members are over 32
 * 学时 and some short), the township's training of secretaries and
 * committee members (most of them near 56), a few members' external
 * study; in the demo branch courses studied and quizzes taken.  Every
 * record goes through the functions of study.h and course.h. */
#include "study/course.h"
#include "study/study.h"

#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "core/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ids {
	zb_arena *a;
	int64_t *v;
	int n;
	size_t cap;
} ids;

static int add_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ids *d = ctx;
	ZB_AGROW(d->a, d->v, (size_t)d->n + 1, d->cap);
	d->v[d->n++] = zb_col_int(st, 0);
	return 0;
}

/* today - days, not before 1 January of today's year */
static void day_back(const char *today, int days, char out[11])
{
	zb_date_add_days(today, -days, out);
	if (strncmp(out, today, 4))
		snprintf(out, 11, "%.4s-01-01", today);
}

static const struct {
	const char *title, *body, *link;
	int hours10;
} courses[] = {
	{"学习《中国共产党章程》", "党章是党的根本大法。本课程逐章学习党章，重点是党员的义务和权利、党的组织制度和党的纪律。学完请完成测验（3 题，60 分合格）。", NULL, 20},
	{"党的二十届三中全会精神专题解读", "围绕进一步全面深化改革、推进中国式现代化的总目标，解读全会精神，结合本村本单位实际谈体会。",
	 "https://www.12371.cn/", 30},
	{"《中国共产党纪律处分条例》学习", "学习六项纪律的主要内容，以案说纪。", NULL, 20},
};

static const char *const opts1[] = {"实现共产主义", "全面建成小康社会", "发展经济"};
static const char *const opts2[] = {"参加党的有关会议", "行使表决权、选举权", "对党的工作提出建议", "不交党费"};
static const char *const opts3[] = {"三个月", "六个月", "一年"};

static int demo_courses(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t county_id, zb_arena *a,
                        int64_t out[3], zb_err *e)
{
	for (int i = 0; i < 3; i++) {
		zb_course_in in = {.org_id = county_id, .title = courses[i].title, .body = courses[i].body,
		                   .link = courses[i].link, .hours10 = courses[i].hours10, .pass_mark = 60};
		int rc = zb_course_publish(db, app, by, &in, a, &out[i], e);
		if (rc)
			return rc;
	}
	zb_quiz_q qs[3] = {
		{.text = "中国共产党的最高理想和最终目标是", .nopt = 3, .answer = "A"},
		{.text = "党员享有的权利有", .multiple = 1, .nopt = 4, .answer = "ABC"},
		{.text = "预备党员的预备期为", .nopt = 3, .answer = "C"},
	};
	for (int k = 0; k < 3; k++)
		qs[0].options[k] = opts1[k], qs[2].options[k] = opts3[k];
	for (int k = 0; k < 4; k++)
		qs[1].options[k] = opts2[k];
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, zb_quiz_set(db, app, by, out[0], qs, 3, e), e);
}

static int session(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org, const char *kind, const char *title,
                   const char *on, int hours10, const char *provider, const int64_t *m, int n, zb_arena *a, zb_err *e)
{
	if (!n)
		return 0;
	zb_study_session_in in = {.org_id = org, .kind = kind, .title = title, .held_on = on, .provider = provider,
	                          .hours10 = hours10, .member_ids = m, .nmembers = n > 500 ? 500 : n};
	int64_t id;
	return zb_study_session_insert(db, app, by, NULL, &in, a, &id, e);
}

/* One branch: a 集中学习 of 8 学时 with about four in five members, a
 * 远程教育 固定活动日 of 4 with about three in five, and a member or two
 * with a certificate of external study. */
static int demo_branch(zb_db *db, zb_app *app, const zb_audit_ev *by, uint64_t seed, int64_t branch,
                       const char *today, zb_arena *a, zb_err *e)
{
	ids m = {.a = a};
	int rc = zb_db_each(db, e, add_id, &m,
	                    "SELECT id FROM members WHERE org_id = ? AND status IN ('normal', 'mobile', 'abroad') ORDER BY id",
	                    "i", branch);
	if (rc || !m.n)
		return rc;
	zb_rng r = zb_rng_for(seed, 0x57D1, (uint64_t)branch);
	int64_t *pick = zb_arena_alloc(a, sizeof(int64_t) * (size_t)m.n);
	char d1[11], d2[11], d3[11];
	day_back(today, 40 + zb_rng_below(&r, 60), d1);
	day_back(today, 120 + zb_rng_below(&r, 60), d2);
	day_back(today, 200 + zb_rng_below(&r, 60), d3);
	int k = 0;
	for (int i = 0; i < m.n; i++)
		if (zb_rng_below(&r, 5) < 4)
			pick[k++] = m.v[i];
	if ((rc = session(db, app, by, branch, "central", "学习贯彻党的二十届三中全会精神专题集中学习", d1, 80, NULL, pick,
	                  k, a, e)))
		return rc;
	k = 0;
	for (int i = 0; i < m.n; i++)
		if (zb_rng_below(&r, 5) < 3)
			pick[k++] = m.v[i];
	if ((rc = session(db, app, by, branch, "remote", "党员远程教育固定活动日：基层党建专题", d2, 40, NULL, pick, k, a,
	                  e)))
		return rc;
	for (int i = 0; i < m.n && i < 2; i++) {
		int64_t one = m.v[zb_rng_below(&r, m.n)];
		if ((rc = session(db, app, by, branch, "external", "网络培训：乡村振兴专题（结业证书）", d3,
		                  (int)(20 + 10 * zb_rng_below(&r, 9)), "干部网络学院", &one, 1, a, e)))
			return rc;
		/* a second certificate for one of them: well over 32 */
		if (!i && (rc = session(db, app, by, branch, "external", "党校函授：党史专题（结业证书）", d2, 160, "县委党校",
		                        &one, 1, a, e)))
			return rc;
	}
	return 0;
}

int zb_study_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county_id, int64_t township_id, int64_t branch_id,
                  int64_t keep_member, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	char today[11], upper[512], on[11];
	zb_today(app, today);
	int64_t course[3];
	int rc = demo_courses(db, app, &by, county_id, &a, course, e);
	zb_text_buf t = {zb_arena_alloc(&a, 512), 512};
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &t, "SELECT path FROM orgs WHERE id = ?", "i", township_id);
	ids br = {.a = &a}, lead = {.a = &a};
	if (!rc) {
		zb_path_upper(t.out, upper, sizeof upper);
		rc = zb_db_each(db, e, add_id, &br,
		                "SELECT id FROM orgs WHERE path >= ? AND path < ? AND type NOT IN ('committee', 'group') "
		                "AND dissolved_on IS NULL ORDER BY path",
		                "ss", t.out, upper);
	}
	if (!rc)
		rc = zb_db_begin_write(db, e);
	for (int i = 0; !rc && i < br.n; i++)
		rc = demo_branch(db, app, &by, seed, br.v[i], today, &a, e);
	/* the township's training of its secretaries and committee members */
	if (!rc)
		rc = zb_db_each(db, e, add_id, &lead,
		                "SELECT DISTINCT cp.member_id FROM committee_posts cp JOIN orgs o ON o.id = cp.org_id "
		                "JOIN members mb ON mb.id = cp.member_id WHERE o.path >= ? AND o.path < ? "
		                "AND o.type <> 'group' AND cp.ended_on IS NULL AND mb.org_path >= ? AND mb.org_path < ? "
		                "AND mb.status IN ('normal', 'mobile', 'abroad') ORDER BY cp.member_id",
		                "ssss", t.out, upper, t.out, upper);
	day_back(today, 75, on);
	for (int i = 0; !rc && i < lead.n; i += 500)
		rc = session(db, app, &by, township_id, "central", "村（社区）党组织书记和班子成员集中轮训（3 天）", on, 240,
		             "县委组织部、县委党校", lead.v + i, lead.n - i, &a, e);
	if (!rc)
		rc = zb_db_commit(db, e);
	else
		zb_db_rollback(db);
	/* the demo branch: courses studied, quizzes taken (one failed first) */
	ids m = {.a = &a};
	if (!rc)
		rc = zb_db_each(db, e, add_id, &m,
		                "SELECT id FROM members WHERE org_id = ? AND status IN ('normal', 'mobile', 'abroad') ORDER BY id",
		                "i", branch_id);
	static const char *const right[] = {"A", "ABC", "C"}, *const wrong[] = {"B", "AB", "C"};
	for (int i = 0; !rc && i < m.n; i++) {
		zb_rng r = zb_rng_for(seed, 0xC0, (uint64_t)m.v[i]);
		zb_quiz_result q;
		if (zb_rng_below(&r, 3) == 0 || m.v[i] == keep_member)
			continue;
		if (zb_rng_below(&r, 4) == 0)
			rc = zb_quiz_submit(db, app, &by, course[0], m.v[i], wrong, 3, &a, &q, e);
		if (!rc && zb_rng_below(&r, 5))
			rc = zb_quiz_submit(db, app, &by, course[0], m.v[i], right, 3, &a, &q, e);
		if (!rc && zb_rng_below(&r, 2))
			rc = zb_course_mark(db, app, &by, course[1], m.v[i], &a, e);
	}
	zb_arena_free(&a);
	return rc;
}
