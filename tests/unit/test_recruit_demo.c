/* test_recruit_demo.c - the demo's 发展党员 pipeline (recruit/demo.h) on a
 * small demo county: the rate of applications, every stage present, the
 * flagged historic steps, every other step passing the engine's check
 * again, the roster hand-over, and the county funnel. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app/init.h"
#include "core/date.h"
#include "core/log.h"
#include "demo/demo.h"
#include "meeting/demo.h"
#include "meeting/meeting.h"
#include "member/member.h"
#include "org/org.h"
#include "recruit/applicant.h"
#include "recruit/demo.h"
#include "recruit/funnel.h"
#include "store/db.h"
#include "dbfix.h"

/* 2026-11-16 10:00 China time */
static int64_t fixed_now(void)
{
	return 1794794400;
}

typedef struct fx {
	zb_app app;
	zb_db *db;
	zb_arena a;
	zb_err e;
	char key[300];
	char today[11];
	zb_recruit_demo_result res;
	int64_t members;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	zb_arena_init(&f->a);
	if (dbfix_open_empty("recruit_demo", &f->db, &f->e))
		return -1;
	snprintf(f->key, sizeof f->key, "%s.key", dbfix_path);
	if (zb_app_init(&f->app, dbfix_path, f->key, &f->e))
		return -1;
	f->app.now = fixed_now;
	zb_today(&f->app, f->today);
	setenv("ZHIBU_ADMIN_PASSWORD", "Zhibu-Test-Pass-2024x", 1);
	zb_init_result ir;
	zb_demo_opts o = {.members = 3000, .seed = 7};
	zb_demo_result dr;
	if (zb_init_db(&f->app, f->db, "中共示范县委员会", "SFX", "test", &ir, &f->e) ||
	    zb_demo_generate(&f->app, f->db, &o, &dr, &f->e) || zb_meeting_demo(f->db, &f->app, 7, &f->e) ||
	    zb_recruit_demo(f->db, &f->app, 7, &f->res, &f->e)) {
		fprintf(stderr, "demo: %s\n", f->e.msg);
		return -1;
	}
	f->members = dr.members;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_arena_free(&f->a);
	zb_db_close(f->db);
	zb_app_release(&f->app);
	unlink(f->key);
	dbfix_remove();
	free(f);
	return 0;
}

static int64_t count(fx *f, const char *sql, const char *fmt, const char *arg)
{
	int64_t n = -1;
	int rc = fmt[0] ? zb_db_int(f->db, &f->e, &n, sql, fmt, arg) : zb_db_int(f->db, &f->e, &n, sql, "");
	assert_int_equal(rc, 0);
	return n;
}

/* About two applications per 100 members a year over three years, every
 * stage present, sources and ages as the seed asks. */
static void test_figures(void **state)
{
	fx *f = *state;
	char from[11];
	zb_date_add_years(f->today, -3, from);
	int64_t n = count(f, "SELECT COUNT(*) FROM applicants WHERE applied_on > ?", "s", from);
	assert_int_equal(n, f->res.applicants);
	double rate = 100.0 * (double)n / (double)f->members / 3.0;
	assert_true(rate >= 1.6 && rate <= 2.4);
	static const char *const stages[] = {"applicant", "activist", "candidate", "probationary", "full"};
	int64_t by[5];
	for (int i = 0; i < 5; i++) {
		by[i] = count(f, "SELECT COUNT(*) FROM applicants WHERE stage = ?", "s", stages[i]);
		assert_true(by[i] > 0);
	}
	/* many 申请人 and 积极分子, fewer 发展对象, fewer 预备党员 and 正式党员 */
	assert_true(by[0] + by[1] > by[2] && by[2] > by[4] && by[3] > by[4]);
	assert_true(count(f, "SELECT COUNT(DISTINCT source) FROM applicants", "", NULL) == 6);
	char young[11];
	zb_date_add_years(f->today, -35, young);
	int64_t under35 = count(f, "SELECT COUNT(*) FROM applicants WHERE birth_date > ?", "s", young);
	assert_true(under35 * 10 > n * 7);
	/* branches: not every one has applicants */
	int64_t with = count(f, "SELECT COUNT(DISTINCT org_id) FROM applicants", "", NULL);
	int64_t branches = count(f, "SELECT COUNT(*) FROM orgs WHERE type IN ('branch', 'joint_branch')", "", NULL);
	assert_true(with > 0 && with < branches);
	/* stalled: an overdue talk; an 积极分子 of two years with no 考察 */
	char month_ago[11], two_years[11];
	zb_date_add_months(f->today, -1, month_ago);
	zb_date_add_years(f->today, -2, two_years);
	assert_true(count(f, "SELECT COUNT(*) FROM applicants WHERE step = 1 AND applied_on < ?", "s", month_ago) > 0);
	assert_true(count(f,
	                  "SELECT COUNT(*) FROM applicants a WHERE stage = 'activist' AND EXISTS (SELECT 1 FROM applicant_steps s "
	                  "WHERE s.applicant_id = a.id AND s.step = 3 AND s.done_on < ?) AND NOT EXISTS (SELECT 1 FROM "
	                  "applicant_steps s WHERE s.applicant_id = a.id AND s.step = 6)",
	                  "s", two_years) > 0);
	/* every ID number valid (the record's own check) and none on the roster */
	assert_int_equal(count(f,
	                       "SELECT COUNT(*) FROM applicants a JOIN members m ON m.id_index = a.id_index "
	                       "WHERE a.member_id IS NULL OR a.member_id <> m.id",
	                       "", NULL),
	                 0);
}

/* The flagged ones: four people, each with one step naming the rule. */
static void test_flags(void **state)
{
	fx *f = *state;
	static const char *const rules[] = {"一个月内派人谈话", "一年以上培养考察", "预备党员不能担任", "三个月内审批"};
	int seen[4] = {0};
	zb_stmt *st = zb_db_query(f->db, &f->e, "SELECT applicant_id, flag FROM applicant_steps WHERE flag IS NOT NULL ORDER BY id", "");
	assert_non_null(st);
	int rc, n = 0;
	while ((rc = zb_stmt_step(st, &f->e)) == 1) {
		const char *flag = zb_col_text(st, 1);
		int hit = 0;
		for (int i = 0; i < 4; i++)
			if (strstr(flag, rules[i]))
				seen[i]++, hit = 1;
		assert_true(hit);
		n++;
	}
	zb_stmt_done(st);
	assert_int_equal(rc, 0);
	assert_int_equal(n, 4);
	assert_int_equal(f->res.flagged, 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(seen[i], 1);
}

/* The roster facts of a person named by a step, and the meeting of a
 * plenary, as zb_recruit_record gathered them. */
static void gather(fx *f, const zb_applicant *a, zb_rstep_row *r)
{
	zb_rperson *pp = (zb_rperson *)r->rec.people;
	for (int j = 0; j < r->rec.npeople; j++) {
		if (!pp[j].member_id)
			continue;
		zb_member m;
		assert_int_equal(zb_member_get(f->db, pp[j].member_id, &f->a, &m, &f->e), 0);
		pp[j].on_roster = 1;
		pp[j].category = m.category;
		pp[j].full_date = m.full_date;
		pp[j].status = m.status;
	}
	if (r->rec.step != 15 && r->rec.step != 23)
		return;
	assert_true(r->meeting_id > 0 && r->resolution_id > 0);
	zb_meeting_full mf;
	zb_mrules mr;
	assert_int_equal(zb_meeting_load_full(f->db, r->meeting_id, &f->a, &mf, &f->e), 0);
	assert_int_equal(zb_meeting_rules(f->db, &mf.m, &mr, &f->e), 0);
	const zb_res_row *x = NULL;
	for (int i = 0; i < mf.nres; i++)
		if (mf.res[i].id == r->resolution_id)
			x = &mf.res[i];
	assert_non_null(x);
	zb_rmeeting *m = zb_arena_alloc(&f->a, sizeof *m);
	*m = (zb_rmeeting){.id = mf.m.id,
	                   .type = mf.m.type,
	                   .same_branch = mf.m.org_id == a->org_id,
	                   .held_on = zb_arena_strdup(&f->a, mf.m.held_on),
	                   .has_resolution = x->kind == (r->rec.step == 15 ? ZB_RES_ADMISSION : ZB_RES_FULL),
	                   .counted = zb_resolution_counted(&mf.m, x),
	                   .passed = zb_resolution_passed(&mf.m, &mr, x),
	                   .yes = zb_resolution_yes(x),
	                   .entitled = zb_meeting_entitled(&mf.m),
	                   .present_voters = mf.m.present_voters,
	                   .quorum_need = mf.m.quorum_need};
	r->rec.meeting = m;
}

/* Every step not flagged passes zb_recruit_check against the steps before
 * it; the roster holds each 预备党员 with 入党日期 = the plenary. */
static void test_recheck_and_roster(void **state)
{
	fx *f = *state;
	zb_recruit_rules rr;
	zb_recruit_rules_default(&rr);
	zb_workcal *cal = NULL;
	assert_int_equal(zb_workcal_load(f->db, 2020, 2028, &cal, &f->e), 0);
	int64_t n = count(f, "SELECT MAX(id) FROM applicants", "", NULL), checked = 0, onroster = 0, full = 0;
	for (int64_t id = 1; id <= n; id++) {
		zb_rcase_view v;
		assert_int_equal(zb_recruit_view(f->db, id, f->today, &f->a, &v, &f->e), 0);
		zb_rstep_rec *done = zb_arena_alloc(&f->a, (size_t)(v.nrows + 1) * sizeof *done);
		const char *s15 = NULL, *s24 = NULL;
		int flagged = 0;
		for (int i = 0; i < v.nrows; i++) {
			zb_rstep_row *r = &v.rows[i];
			gather(f, &v.a, r);
			if (r->rec.step > 1 && !r->flag) {
				zb_rcase c = {.birth_date = v.a.birth_date, .applied_on = v.a.applied_on, .done = done, .ndone = i,
				              .probation_months = 12, .ext_min = 6, .ext_max = 12};
				zb_err ce = {0};
				int rc = zb_recruit_check(&rr, cal, &c, &r->rec, f->today, &ce);
				if (rc)
					fprintf(stderr, "applicant %lld step %d: %s\n", (long long)id, r->rec.step, ce.msg);
				assert_int_equal(rc, 0);
				checked++;
			}
			flagged |= r->flag != NULL;
			if (r->rec.step == 15)
				s15 = r->rec.done_on;
			if (r->rec.step == 24)
				s24 = r->rec.done_on;
			done[i] = r->rec;
		}
		/* step 19 hands over; an imported history that reached step 17 is
		 * handed over on import */
		assert_int_equal(v.a.member_id != 0, v.a.step >= 19 || (flagged && v.a.step >= 17));
		if (v.a.member_id) {
			zb_member m;
			assert_int_equal(zb_member_get(f->db, v.a.member_id, &f->a, &m, &f->e), 0);
			assert_string_equal(m.join_date, s15);
			assert_string_equal(m.category, s24 ? "full" : "probationary");
			assert_string_equal(m.name, v.a.name);
			if (s24) {
				char end[11];
				zb_date_add_months(s15, 12, end);
				assert_string_equal(m.full_date, end);
				full++;
			}
			onroster++;
		}
		zb_arena_free(&f->a);
		zb_arena_init(&f->a);
	}
	zb_workcal_free(cal);
	assert_true(checked > 1000);
	assert_true(onroster > 0 && full > 0);
}

/* The county funnel of this year counts the year's applications. */
static void test_funnel(void **state)
{
	fx *f = *state;
	zb_org root;
	assert_int_equal(zb_org_get(f->db, 1, &f->a, &root, &f->e), 0);
	zb_rfunnel fu;
	int year = atoi(f->today);
	assert_int_equal(zb_recruit_funnel(f->db, root.id, root.path, year, &f->a, &fu, &f->e), 0);
	char y[8];
	snprintf(y, sizeof y, "%d-%%", year);
	assert_int_equal(fu.k[0].count, count(f, "SELECT COUNT(*) FROM applicants WHERE applied_on LIKE ?", "s", y));
	assert_true(fu.k[0].count > 0 && fu.k[1].count > 0 && fu.k[2].count > 0 && fu.k[3].count > 0);
}

#define TESTS                                                                                          \
	cmocka_unit_test(test_figures), cmocka_unit_test(test_flags), cmocka_unit_test(test_recheck_and_roster), \
		cmocka_unit_test(test_funnel)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest tests[] = {TESTS};
	/* SQLite only: the generator is the same on PostgreSQL, and a demo
	 * county per test group would double the layer's time */
	dbfix_uri = NULL;
	return cmocka_run_group_tests_name("recruit_demo_sqlite", tests, setup, teardown) ? 1 : 0;
}
