/* Unit tests for 评星晋级 (docs/RATINGS.md): the scheme's validator
 * naming the key, points by mode, the caps at their edges (10% of 31 and
 * of 30 is 3, 40% of 31 is 12) with ties at the cut, tiers and
 * 晋级/降级; through the database the indicators of a small fixture
 * equal a direct recount from its records, the sum of the points is the
 * score, and the scheme in force on the year's reference date applies
 * (a county's set from 1 July counts for the whole year, one from next
 * January does not).  Database tests run on SQLite and, when ZB_TEST_PG
 * holds a postgres:// URI, on PostgreSQL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/log.h"
#include "meeting/compliance.h"
#include "rating/rating.h"
#include "dbfix.h"

#define SCHEME                                                                                                   \
	"{\"indicators\":[{\"key\":\"compliance\",\"name\":\"三会一课\",\"mode\":\"rate\",\"weight\":40},"          \
	"{\"key\":\"attendance\",\"name\":\"出勤\",\"mode\":\"steps\",\"weight\":20,\"steps\":[[90,20],[70,10]]}," \
	"{\"key\":\"structure\",\"name\":\"组织\",\"mode\":\"deduct\",\"weight\":10,\"per\":4},"                     \
	"{\"key\":\"innovation\",\"name\":\"特色\",\"mode\":\"manual\",\"max\":5}],"                                 \
	"\"stars\":[60,50,40,30],\"caps\":{\"five\":10,\"four\":40,\"three\":30},"                                     \
	"\"tiers\":{\"advanced\":4,\"lagging\":2},\"source\":\"x\"}"

static zb_rating_rules parsed(const char *text)
{
	zb_rating_rules r;
	zb_err e = {0};
	json_t *d = json_loads(text, 0, NULL);
	assert_non_null(d);
	assert_int_equal(zb_rating_rules_parse(d, &r, &e), 0);
	json_decref(d);
	return r;
}

static void test_validator(void **state)
{
	(void)state;
	zb_err e = {0};
	json_t *d = json_loads(SCHEME, 0, NULL);
	assert_int_equal(zb_rating_rules_validate(d, &e), 0);
	/* each error names the key */
	json_t *ind = json_object_get(d, "indicators");
	json_object_set_new(json_array_get(ind, 1), "weight", json_integer(120));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.indicators[1].weight");
	json_object_set_new(json_array_get(ind, 1), "weight", json_integer(20));
	/* a computed indicator cannot be typed in; a count is deducted */
	json_object_set_new(json_array_get(ind, 0), "mode", json_string("manual"));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.indicators[0].mode");
	assert_non_null(strstr(e.msg, "compliance"));
	json_object_set_new(json_array_get(ind, 0), "mode", json_string("rate"));
	json_object_set_new(json_array_get(ind, 2), "mode", json_string("rate"));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.indicators[2].mode");
	json_object_set_new(json_array_get(ind, 2), "mode", json_string("deduct"));
	/* steps must descend */
	json_object_set_new(json_array_get(ind, 1), "steps", json_loads("[[70,10],[90,20]]", 0, NULL));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.indicators[1].steps");
	json_object_set_new(json_array_get(ind, 1), "steps", json_loads("[[90,20],[70,10]]", 0, NULL));
	/* the same key twice */
	json_array_append(ind, json_array_get(ind, 3));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.indicators[4].key");
	json_array_remove(ind, 4);
	/* stars above the total, caps and tiers */
	json_object_set_new(d, "stars", json_loads("[90,80,70,60]", 0, NULL));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.stars");
	json_object_set_new(d, "stars", json_loads("[60,50,40,30]", 0, NULL));
	json_object_del(json_object_get(d, "caps"), "four");
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.caps");
	json_object_set_new(json_object_get(d, "caps"), "four", json_integer(140));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.caps.four");
	json_object_set_new(json_object_get(d, "caps"), "four", json_integer(40));
	json_object_set_new(d, "tiers", json_loads("{\"advanced\":3,\"lagging\":3}", 0, NULL));
	assert_int_equal(zb_rating_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.tiers");
	json_decref(d);
}

static void test_points(void **state)
{
	(void)state;
	zb_rating_rules r = parsed(SCHEME);
	assert_true(zb_rating_points(&r.ind[0], 1, 87.5) == 35.0);    /* 40 x 87.5% */
	assert_true(zb_rating_points(&r.ind[0], 1, 33.33) == 13.33);  /* two decimals */
	assert_true(zb_rating_points(&r.ind[0], 0, 0) == 40.0);       /* does not apply: full */
	assert_true(zb_rating_points(&r.ind[1], 1, 90) == 20.0);      /* 达到 90 */
	assert_true(zb_rating_points(&r.ind[1], 1, 89.99) == 10.0);
	assert_true(zb_rating_points(&r.ind[1], 1, 69.99) == 0.0);
	assert_true(zb_rating_points(&r.ind[2], 1, 2) == 2.0);        /* 10 - 2 x 4 */
	assert_true(zb_rating_points(&r.ind[2], 1, 3) == 0.0);        /* never below 0 */
	assert_true(zb_rating_points(&r.ind[3], 0, 0) == 0.0);        /* manual not entered */
	assert_true(zb_rating_points(&r.ind[3], 1, 4.5) == 4.5);
	assert_int_equal(zb_rating_stars_by_score(&r, 60), 5);
	assert_int_equal(zb_rating_stars_by_score(&r, 59.99), 4);
	assert_int_equal(zb_rating_stars_by_score(&r, 29.99), 1);
	assert_string_equal(zb_rating_tier(&r, 4), "advanced");
	assert_string_equal(zb_rating_tier(&r, 3), "middle");
	assert_string_equal(zb_rating_tier(&r, 2), "lagging");
	/* 晋级/降级 against last year's published stars */
	assert_string_equal(zb_rating_change(4, 3), "up");
	assert_string_equal(zb_rating_change(2, 3), "down");
	assert_string_equal(zb_rating_change(3, 3), "same");
	assert_string_equal(zb_rating_change(3, 0), "new");
	assert_string_equal(zb_rating_change_name("down"), "降级");
}

static int count(const int *stars, int n, int s)
{
	int c = 0;
	for (int i = 0; i < n; i++)
		c += stars[i] == s;
	return c;
}

static void test_caps(void **state)
{
	(void)state;
	zb_rating_rules r = parsed(SCHEME);
	/* 至多: the floor, on both sides of the edge */
	assert_int_equal(zb_rating_cap(10, 31), 3);
	assert_int_equal(zb_rating_cap(10, 30), 3);
	assert_int_equal(zb_rating_cap(10, 29), 2);
	assert_int_equal(zb_rating_cap(40, 31), 12);
	assert_int_equal(zb_rating_cap(40, 30), 12);
	assert_int_equal(zb_rating_cap(40, 29), 11);
	assert_int_equal(zb_rating_cap(30, 31), 9);
	/* 31 branches all above the 五星 line: 3 keep it, 12 get 四星, 9 三星,
	 * the rest (no cap on 二星) 二星; the best scores keep the higher star */
	double score[31];
	int stars[31];
	for (int i = 0; i < 31; i++) {
		score[i] = 100 - i;
		stars[i] = zb_rating_stars_by_score(&r, score[i]);
	}
	zb_rating_apply_caps(&r, score, stars, 31);
	assert_int_equal(count(stars, 31, 5), 3);
	assert_int_equal(count(stars, 31, 4), 12);
	assert_int_equal(count(stars, 31, 3), 9);
	assert_int_equal(count(stars, 31, 2), 7);
	assert_int_equal(stars[2], 5);
	assert_int_equal(stars[3], 4);
	assert_int_equal(stars[14], 4);
	assert_int_equal(stars[15], 3);
	/* 30 branches: still 3 */
	for (int i = 0; i < 30; i++)
		stars[i] = zb_rating_stars_by_score(&r, score[i]);
	zb_rating_apply_caps(&r, score, stars, 30);
	assert_int_equal(count(stars, 30, 5), 3);
	/* ties at the cut all drop: the 3rd and 4th tie, so only 2 keep 五星 */
	for (int i = 0; i < 31; i++) {
		score[i] = i == 3 ? 98 : 100 - i;
		stars[i] = zb_rating_stars_by_score(&r, score[i]);
	}
	zb_rating_apply_caps(&r, score, stars, 31);
	assert_int_equal(count(stars, 31, 5), 2);
	assert_int_equal(stars[2], 4);
	assert_int_equal(stars[3], 4);
	/* below the cap nothing moves: 3 五星 of 31 by score alone stay */
	for (int i = 0; i < 31; i++) {
		score[i] = i < 3 ? 65 : 35;
		stars[i] = zb_rating_stars_by_score(&r, score[i]);
	}
	zb_rating_apply_caps(&r, score, stars, 31);
	assert_int_equal(count(stars, 31, 5), 3);
	assert_int_equal(count(stars, 31, 2), 28);
}

/* ---- database ---- */

typedef struct fx {
	zb_db *db;
	zb_err e;
	zb_arena a;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	zb_arena_init(&f->a);
	if (dbfix_open("rating", &f->db, &f->e))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	zb_arena_free(&f->a);
	dbfix_remove();
	free(f);
	return 0;
}

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, founded_on, created_at, "
	                           "updated_at) VALUES (?, ?, ?, 0, ?, ?, '2000-01-01', 0, 0)",
	                           "iIsss", id, parent, path, path, type),
	                 0);
}

static int64_t member(fx *f, int64_t org_id, const char *path, const char *name)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
	                           "category, status, join_date, created_at, updated_at) "
	                           "VALUES (?, ?, ?, ?, ?, ?, 'full', 'normal', '2000-01-01', 0, 0) RETURNING id",
	                           "issssb", org_id, path, name, name, name, "k", (size_t)1),
	                 0);
	return id;
}

/* A meeting at org on day with attendance rows: > 0 present, < 0 absent. */
static void meeting(fx *f, int64_t org_id, const char *path, const char *type, const char *day, const int64_t *who,
                    int n)
{
	int64_t id = 0, start = (zb_date_days(day) * 86400) + 3600;
	char ym[7];
	snprintf(ym, sizeof ym, "%.4s%.2s", day, day + 5);
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO meetings (org_id, org_path, type, title, start_at, end_at, held_on, held_ym, "
	                           "quorum_ok, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 0) RETURNING id",
	                           "isssiisi", org_id, path, type, type, start, start + 7200, day, (int64_t)atoi(ym)),
	                 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, status, source, "
		                           "updated_at) VALUES (?, ?, ?, ?, 'manual', 0)",
		                           "iiis", id, who[i] > 0 ? who[i] : -who[i], (int64_t)atoi(ym),
		                           who[i] > 0 ? "present" : "absent"),
		                 0);
	/* 应到 and 实到 as meeting/meeting.c keeps them with the rows */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "UPDATE meetings SET expected_count = (SELECT COUNT(*) FROM meeting_attendance WHERE "
	                           "meeting_id = ?), present_count = (SELECT COUNT(*) FROM meeting_attendance WHERE "
	                           "meeting_id = ? AND status = 'present') WHERE id = ?",
	                           "iii", id, id, id),
	                 0);
}

static const zb_rind *ind(const zb_rating *x, const char *key)
{
	for (int k = 0; k < x->nind; k++)
		if (!strcmp(x->ind[k].key, key))
			return &x->ind[k];
	fail_msg("no indicator %s", key);
	return NULL;
}

static void row_count(zb_stmt *st, void *ctx)
{
	int64_t *v = ctx;
	v[0] = zb_col_int(st, 0);
	v[1] = zb_col_int(st, 1);
}

/* The indicators equal a recount from the records; the points add up to
 * the score; last year's published stars give 晋级/降级. */
static void test_recount_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	org(f, 3, 1, "/1/3/", "branch");
	org(f, 4, 2, "/1/2/4/", "group");
	int64_t a = member(f, 2, "/1/2/", "甲"), b = member(f, 2, "/1/2/", "乙"), c = member(f, 4, "/1/2/4/", "丙");
	int64_t d = member(f, 3, "/1/3/", "丁");
	int64_t ab_c[] = {a, b, -c}, abc[] = {a, b, c}, a_b[] = {a, -b}, only_d[] = {-d};
	meeting(f, 2, "/1/2/", "plenary", "2026-02-10", ab_c, 3);
	meeting(f, 2, "/1/2/", "committee", "2026-05-10", abc, 3);
	meeting(f, 4, "/1/2/4/", "group", "2026-06-10", a_b, 2);   /* its 党小组 counts for it */
	meeting(f, 2, "/1/2/", "talk", "2026-06-11", a_b, 2);      /* 谈心谈话 apart */
	meeting(f, 2, "/1/2/", "plenary", "2025-12-31", a_b, 2);   /* last year */
	meeting(f, 3, "/1/3/", "plenary", "2026-03-01", only_d, 1);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO org_ratings (org_id, org_path, year, rated_by_org, score, stars, tier, "
	                           "status, created_at) VALUES (2, '/1/2/', 2025, 1, 50, 5, 'advanced', 'published', 0), "
	                           "(3, '/1/3/', 2025, 1, 50, 1, 'lagging', 'published', 0)",
	                           ""),
	                 0);
	zb_rating *v;
	int n;
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2026, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].org_id, 2);
	/* attendance recounted straight from the rows */
	int64_t rc2[2];
	assert_int_equal(zb_db_one(f->db, &f->e, NULL, row_count, rc2,
	                           "SELECT COUNT(*), SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END) FROM "
	                           "meeting_attendance a JOIN meetings m ON m.id = a.meeting_id WHERE m.org_path LIKE "
	                           "'/1/2/%' AND m.held_on LIKE '2026-%' AND m.type <> 'talk'",
	                           ""),
	                 0);
	assert_int_equal(rc2[0], 8);
	assert_int_equal(rc2[1], 6);
	const zb_rind *at = ind(&v[0], "attendance");
	assert_true(at->value == 75.0);
	assert_true(at->points == 11.25); /* the national default: 15 x 75% */
	assert_string_equal(at->source, "attendance:org:2:2026");
	/* compliance: what zb_compliance_compute finds for the branch */
	zb_period p;
	zb_compliance c2;
	assert_int_equal(zb_period_parse("2026", &p, &f->e), 0);
	assert_int_equal(zb_compliance_compute(f->db, "/1/2/", &p, "2027-03-01", &f->a, &c2, &f->e), 0);
	const zb_rind *co = ind(&v[0], "compliance");
	int req = c2.branches[0].held + c2.branches[0].missing;
	assert_true(req > 0);
	assert_true(fabs(co->value - round(10000.0 * c2.branches[0].held / req) / 100.0) < 1e-9);
	assert_string_equal(co->source, "compliance:org:2:2026");
	/* structure: no 书记, no 支委会 warnings counted as the org says */
	const zb_rind *st = ind(&v[0], "structure");
	assert_true(st->value >= 0);
	/* the score is the sum of the points */
	for (int i = 0; i < n; i++) {
		double sum = 0;
		for (int k = 0; k < v[i].nind; k++)
			sum += v[i].ind[k].points;
		assert_true(fabs(sum - v[i].score) < 0.005);
	}
	/* the other branch: one absent row */
	assert_true(ind(&v[1], "attendance")->value == 0.0);
	/* 晋级/降级 against the published 2025 */
	assert_int_equal(v[0].last_stars, 5);
	assert_string_equal(v[0].change, v[0].stars < 5 ? "down" : "same");
	assert_int_equal(v[1].last_stars, 1);
	assert_string_equal(v[1].change, v[1].stars > 1 ? "up" : "same");
	/* a draft of last year does not count as last year's rating */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE org_ratings SET status = 'draft' WHERE org_id = 3", ""), 0);
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2026, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_string_equal(v[1].change, "new");
	/* a branch is never rated by itself: nothing below it */
	assert_int_equal(zb_rating_compute(f->db, 2, "/1/2/", 2026, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 0);
}

/* The scheme in force on the reference date (31 December) applies to
 * the whole year: a county's set from 1 July 2026 governs 2026, one from
 * 1 January 2027 does not; for the current year the date is today. */
static void test_scheme_change_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	member(f, 2, "/1/2/", "甲");
	const char *local = "INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES "
	                    "('rating', 1, ?, '县', '" SCHEME "', 0) RETURNING id";
	int64_t mid = 0, next = 0, national = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &mid, local, "s", "2026-07-01"), 0);
	assert_int_equal(zb_db_int(f->db, &f->e, &next, local, "s", "2027-01-01"), 0);
	assert_int_equal(zb_db_int(f->db, &f->e, &national,
	                           "SELECT id FROM rule_sets WHERE kind = 'rating' AND org_id IS NULL", ""),
	                 0);
	/* ... changed: the 2027 set has other stars */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "UPDATE rule_sets SET data = REPLACE(data, '[60,50,40,30]', '[70,50,40,30]') WHERE id = ?",
	                           "i", next),
	                 0);
	zb_rating_rules r;
	assert_int_equal(zb_rating_rules_get(f->db, "/1/2/", "2026-12-31", &r, &f->e), 0);
	assert_int_equal(r.rule_id, mid);
	assert_true(r.stars_min[0] == 60);
	zb_rating *v;
	int n;
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2026, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(v[0].rule_id, mid);
	assert_int_equal(v[0].nind, 4);
	/* 2025: the national default */
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2025, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(v[0].rule_id, national);
	assert_int_equal(v[0].nind, 9);
	/* the current year on 30 June: not yet the July set */
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2026, "2026-06-30", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(v[0].rule_id, national);
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2027, "2027-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(v[0].rule_id, next);
	/* a year ahead is refused, naming the year */
	assert_int_equal(zb_rating_compute(f->db, 1, "/1/", 2028, "2027-03-01", &f->a, &v, &n, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "year");
}

#define DB_TESTS                                                                                      \
	cmocka_unit_test_setup_teardown(test_recount_db, setup, teardown),                            \
	    cmocka_unit_test_setup_teardown(test_scheme_change_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_points),
		cmocka_unit_test(test_caps),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("rating", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("rating_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("rating_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_rating: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
