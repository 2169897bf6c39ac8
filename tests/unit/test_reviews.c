/* Unit tests for 述职评议 and 一述职、两测评、四联考 (docs/REVIEWS.md): the
 * weighted final score exact to two decimals (half up), the grade's
 * edges, the rule's new tables and their validator; on a database (SQLite
 * and, when ZB_TEST_PG holds a postgres:// URI, PostgreSQL): a code voted
 * once and refused the second time, unknown codes throttled like logins,
 * the vote row holding nothing but the review, round and grade, and the
 * level above (never the branch) running the evaluation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "crypto/fieldprot.h"
#include "review/review.h"
#include "rules/rules.h"
#include "village/village.h"
#include <jansson.h>
#include "dbfix.h"

static const zb_vwork_rules R = {.min_days = 20, .township_leave_days = 3, .ending_soon_days = 90, .w_report = 10,
                                 .w_rating_cadres = 15, .w_rating_villagers = 15, .w_exams = 60,
                                 .vote_points = {100, 80, 60, 0}, .grade_min = {90, 70, 60}};

static void test_weighted_final(void **state)
{
	(void)state;
	/* 0.10×85 + 0.15×(780/8) + 0.15×(180/2) + 0.60×(355/4)
	 * = 8.5 + 14.625 + 13.5 + 53.25 = 89.875: half up to 89.88 */
	zb_vreview_tally t = {.report = 85, .exam_sum = 355, .cadre_points = 780, .cadre_votes = 8,
	                      .villager_points = 180, .villager_votes = 2};
	zb_vreview_result r;
	zb_vwork_review_score(&R, &t, &r);
	assert_int_equal(r.final, 8988);
	assert_int_equal(r.rating_cadres, 9750);
	assert_int_equal(r.rating_villagers, 9000);
	assert_int_equal(r.exams, 8875);
	assert_string_equal(r.grade, "competent");
	/* a third: 93.333… shown 93.33; 0.10×85 + 0.15×93.33… + 0.15×80 + 0.60×88.75 = 87.75 */
	t = (zb_vreview_tally){.report = 85, .exam_sum = 355, .cadre_points = 280, .cadre_votes = 3,
	                       .villager_points = 320, .villager_votes = 4};
	zb_vwork_review_score(&R, &t, &r);
	assert_int_equal(r.rating_cadres, 9333);
	assert_int_equal(r.final, 8775);
	/* 2/3 of a hundredth rounds up, 1/3 down */
	assert_int_equal(zb_vwork_hundredths(2, 300), 1);
	assert_int_equal(zb_vwork_hundredths(1, 300), 0);
	assert_int_equal(zb_vwork_hundredths(1, 200), 1); /* exactly half: up */
	/* the grades' edges: 90.00 优秀, 89.99 称职, 60.00 基本称职, 59.99 不称职 */
	assert_string_equal(zb_vwork_grade(&R, 9000), "excellent");
	assert_string_equal(zb_vwork_grade(&R, 8999), "competent");
	assert_string_equal(zb_vwork_grade(&R, 7000), "competent");
	assert_string_equal(zb_vwork_grade(&R, 6000), "basic");
	assert_string_equal(zb_vwork_grade(&R, 5999), "incompetent");
}

static void test_rule_tables(void **state)
{
	(void)state;
	zb_err e;
	const char *base = "{\"min_days\":20,\"township_leave_days\":3,\"ending_soon_days\":90,"
	                   "\"weights\":{\"report\":10,\"rating_cadres\":15,\"rating_villagers\":15,\"exams\":60}";
	const struct {
		const char *extra;
		int rc;
	} cases[] = {
		{"}", 0}, /* a set without the tables: the defaults */
		{",\"vote_points\":{\"excellent\":100,\"competent\":85,\"basic\":70,\"incompetent\":40},"
		 "\"grades\":{\"excellent\":95,\"competent\":80,\"basic\":60}}", 0},
		{",\"grades\":{\"excellent\":80,\"competent\":80,\"basic\":60}}", ZB_EINVAL},  /* not falling */
		{",\"grades\":{\"excellent\":90,\"competent\":70}}", ZB_EINVAL},               /* one missing */
		{",\"vote_points\":{\"excellent\":60,\"competent\":80,\"basic\":60,\"incompetent\":0}}", ZB_EINVAL},
		{",\"vote_points\":{\"excellent\":101,\"competent\":80,\"basic\":60,\"incompetent\":0}}", ZB_EINVAL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[600];
		snprintf(buf, sizeof buf, "%s%s", base, cases[i].extra);
		json_t *d = json_loads(buf, 0, NULL);
		assert_non_null(d);
		assert_int_equal(zb_rules_validate("village_work", d, &e), cases[i].rc);
		json_decref(d);
	}
}

typedef struct fx {
	zb_db *db;
	zb_app app;
	zb_arena a;
	zb_err e;
	zb_actor by;
} fx;

/* 2026-12-07 12:00 China time */
static int64_t fixed_now(void) { return 1796616000; }

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 'rural', 0, 0)",
	                           "iIsss", id, parent, path, name, type),
	                 0);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 5 + 1);
	if (dbfix_open("reviews", &f->db, &f->e) ||
	    zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e))
		return -1;
	f->app.now = fixed_now;
	f->app.cfg.lock_after_failures = 5;
	f->app.cfg.ip_fail_window_secs = 900;
	f->app.cfg.lock_secs = 900;
	f->by = (zb_actor){.user_id = 0, .username = "test", .ip = "127.0.0.1"};
	*state = f;
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "committee", "镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "甲村党支部");
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	zb_keys_free(f->app.keys);
	zb_arena_free(&f->a);
	dbfix_remove();
	free(f);
	return 0;
}

static zb_principal *writer_at(zb_arena *a, const char *path)
{
	zb_principal *p = zb_arena_alloc(a, sizeof *p);
	p->user_id = 7;
	p->ngrants = 1;
	p->grants = zb_arena_alloc(a, sizeof *p->grants);
	p->grants[0].org_path = path;
	p->grants[0].perms = P_ORG_WRITE | P_ORG_READ;
	p->all_perms = p->grants[0].perms;
	return p;
}

static int count_cols(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	*(int *)ctx = zb_col_count(st);
	return 0;
}

static void test_codes_once(void **state)
{
	fx *f = *state;
	int64_t team, id;
	assert_int_equal(zb_vteam_create(f->db, &f->app, &f->by, NULL, 3, NULL, "2024-01-01", &f->a, &team, &f->e), 0);
	/* the village's own org.write is not the level above */
	assert_int_equal(zb_vreview_open(f->db, &f->app, &f->by, writer_at(&f->a, "/1/2/3/"), team, 2025, "2026-01-15",
	                                 "述职", &f->a, &id, &f->e),
	                 ZB_EFORBIDDEN);
	zb_principal *town = writer_at(&f->a, "/1/2/");
	assert_int_equal(zb_vreview_open(f->db, &f->app, &f->by, town, team, 2025, "2026-01-15", "述职", &f->a, &id, &f->e), 0);
	const char **codes;
	assert_int_equal(zb_vreview_codes(f->db, &f->app, &f->by, town, id, "villagers", 2, &f->a, &codes, &f->e), 0);
	assert_int_equal(zb_vvote_cast(f->db, &f->app, codes[0], "优秀", "10.0.0.1", &f->a, &f->e), 0);
	/* the same code again, even from elsewhere: refused */
	assert_int_equal(zb_vvote_cast(f->db, &f->app, codes[0], "称职", "10.0.0.2", &f->a, &f->e), ZB_ECONFLICT);
	assert_string_equal(f->e.field, "code");
	int64_t votes = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &votes, "SELECT COUNT(*) FROM village_review_votes", ""), 0);
	assert_int_equal(votes, 1);
	/* the vote row: id, review, round, grade; nothing of the code, the time or the voter */
	int cols = 0;
	assert_int_equal(zb_db_each(f->db, &f->e, count_cols, &cols, "SELECT * FROM village_review_votes", ""), 0);
	assert_int_equal(cols, 4);
	/* unknown codes: the fifth failure from one address locks it, even for a real code */
	for (int i = 0; i < 4; i++) {
		assert_int_equal(zb_vvote_cast(f->db, &f->app, "22222-22222", "优秀", "10.0.0.9", &f->a, &f->e), ZB_ENOTFOUND);
		assert_string_equal(f->e.msg, "测评码无效，请核对后重新输入");
	}
	assert_int_equal(zb_vvote_cast(f->db, &f->app, "not a code", "优秀", "10.0.0.9", &f->a, &f->e), ZB_ELOCKED);
	assert_int_equal(zb_vvote_cast(f->db, &f->app, codes[1], "优秀", "10.0.0.9", &f->a, &f->e), ZB_ELOCKED);
	assert_int_equal(zb_vvote_cast(f->db, &f->app, codes[1], "基本称职", "10.0.0.3", &f->a, &f->e), 0);
}

#define DB_TESTS cmocka_unit_test_setup_teardown(test_codes_once, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_weighted_final),
		cmocka_unit_test(test_rule_tables),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("reviews", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("reviews_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("reviews_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_reviews: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
