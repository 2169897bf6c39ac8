/* Unit tests for 软弱涣散 and 整顿 (docs/RECTIFY.md): the criteria at
 * their edges (书记 vacant exactly 3 months is not "超过", a day more is;
 * a term overdue 180 days against 181; 60% held is not under 60%), the
 * weak_org validator; on a database: the candidates with their sources,
 * 后进 two years running only when both years are published, a county's
 * own set, listing only from strictly above, and the plan: overdue after
 * the deadline day, 销号 refused while a measure is open and allowed
 * after, a closed plan read-only, reopened only by the listing org.
 * Database tests run on SQLite and, when ZB_TEST_PG holds a postgres://
 * URI, on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/init.h"
#include "core/log.h"
#include "rectify/rectify.h"
#include "rules/rules.h"
#include "dbfix.h"

static void test_edges(void **state)
{
	(void)state;
	/* 超过 3 个月: exactly three months is not more */
	assert_false(zb_weak_vacant_over("2026-01-10", 3, "2026-04-10"));
	assert_true(zb_weak_vacant_over("2026-01-10", 3, "2026-04-11"));
	/* month ends: 2025-11-30 + 3 months = 2026-02-28 */
	assert_false(zb_weak_vacant_over("2025-11-30", 3, "2026-02-28"));
	assert_true(zb_weak_vacant_over("2025-11-30", 3, "2026-03-01"));
	assert_false(zb_weak_overdue_over("2026-06-10", 180, "2026-12-07"));
	assert_true(zb_weak_overdue_over("2026-06-09", 180, "2026-12-07"));
	assert_false(zb_weak_share_under(3, 5, 60));
	assert_true(zb_weak_share_under(2, 5, 60));
	assert_false(zb_weak_share_under(0, 0, 60));
	char ref[11];
	zb_weak_ref_date(2025, "2026-12-07", ref);
	assert_string_equal(ref, "2025-12-31");
	zb_weak_ref_date(2026, "2026-12-07", ref);
	assert_string_equal(ref, "2026-12-07");
	char *p = NULL;
	zb_arena a;
	zb_arena_init(&a);
	p = (char *)zb_weak_parent_path("/1/2/3/", &a);
	assert_string_equal(p, "/1/2/");
	assert_null(zb_weak_parent_path("/1/", &a));
	zb_arena_free(&a);

	static const struct {
		const char *json;
		int ok;
	} sets[] = {
		{"{\"secretary_vacant_months\":3,\"compliance\":{\"min_percent\":60,\"quarters\":2},\"lagging_years\":2,"
		 "\"term_overdue_days\":180,\"source\":\"x\"}", 1},
		{"{\"secretary_vacant_months\":0,\"compliance\":{\"min_percent\":60,\"quarters\":2},\"lagging_years\":2,"
		 "\"term_overdue_days\":180,\"source\":\"x\"}", 0},
		{"{\"secretary_vacant_months\":3,\"compliance\":{\"min_percent\":60,\"quarters\":5},\"lagging_years\":2,"
		 "\"term_overdue_days\":180,\"source\":\"x\"}", 0},
		{"{\"secretary_vacant_months\":3,\"compliance\":{\"min_percent\":60,\"quarters\":2},\"lagging_years\":2,"
		 "\"term_overdue_days\":180,\"source\":\"x\",\"stars\":1}", 0},
		{"{\"secretary_vacant_months\":3,\"compliance\":{\"min_percent\":60,\"quarters\":2},\"lagging_years\":2,"
		 "\"term_overdue_days\":180}", 0},
	};
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		json_t *j = json_loads(sets[i].json, 0, NULL);
		zb_err e = {0};
		assert_int_equal(zb_rules_validate("weak_org", j, &e) == 0, sets[i].ok);
		json_decref(j);
	}
}

/* ---- database ---- */

/* 2026-12-07 10:00 China time */
static int64_t fixed_now(void)
{
	return 1796608800;
}

typedef struct fx {
	zb_app app;
	zb_db *db;
	zb_arena a;
	zb_err e;
	char key[300];
	zb_audit_ev by;
	zb_grant g_county, g_town, g_branch;
	zb_principal county, town, branch;
} fx;

static void run(fx *f, const char *sql)
{
	if (zb_db_exec(f->db, sql, &f->e))
		fail_msg("%s: %s", sql, f->e.msg);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	zb_arena_init(&f->a);
	if (dbfix_open_empty("rectify", &f->db, &f->e))
		return -1;
	snprintf(f->key, sizeof f->key, "%s.key", dbfix_uri ? "/tmp/zb_test_rectify_pg" : dbfix_path);
	if (zb_app_init(&f->app, dbfix_uri ? dbfix_uri : dbfix_path, f->key, &f->e))
		return -1;
	f->app.now = fixed_now;
	setenv("ZHIBU_ADMIN_PASSWORD", "Zhibu-Test-Pass-2024x", 1);
	zb_init_result ir;
	if (zb_init_db(&f->app, f->db, "中共示范县委员会", "SFX", "test", &ir, &f->e)) {
		fprintf(stderr, "init: %s\n", f->e.msg);
		return -1;
	}
	/* /1/ county, /1/2/ township, branches 3 (东村), 30 (西村), 31 (南村),
	 * 32 (北村, a secretary in office and nothing wrong) */
	run(f, "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) VALUES "
	       "(2, 1, '/1/2/', 1, '甲镇党委', 'committee', 'rural', 0, 0),"
	       "(3, 2, '/1/2/3/', 2, '东村党支部', 'branch', 'rural', 0, 0),"
	       "(30, 2, '/1/2/30/', 2, '西村党支部', 'branch', 'rural', 0, 0),"
	       "(31, 2, '/1/2/31/', 2, '南村党支部', 'branch', 'rural', 0, 0),"
	       "(32, 2, '/1/2/32/', 2, '北村党支部', 'branch', 'rural', 0, 0)");
	/* 书记: 东村's left exactly 3 months before today, 西村's 3 months
	 * and a day; 南村 and 北村 have one in office */
	run(f, "INSERT INTO committee_posts (org_id, person_name, post, started_on, ended_on, created_at, updated_at) VALUES "
	       "(3, '甲', 'secretary', '2020-01-01', '2026-09-07', 0, 0),"
	       "(30, '乙', 'secretary', '2020-01-01', '2026-09-06', 0, 0),"
	       "(31, '丙', 'secretary', '2020-01-01', NULL, 0, 0),"
	       "(32, '丁', 'secretary', '2020-01-01', NULL, 0, 0)");
	/* terms: 南村 ended 181 days before today, 东村 180 */
	run(f, "INSERT INTO org_terms (org_id, started_on, years, ends_on, created_at) VALUES "
	       "(31, '2023-06-09', 3, '2026-06-09', 0), (3, '2023-06-10', 3, '2026-06-10', 0)");
	/* ratings (the fixture writes the rows ratings publishes): 东村 后进
	 * in 2024 and 2025, both published; 西村 2025 published, 2024 a draft */
	run(f, "INSERT INTO org_ratings (org_id, org_path, year, rated_by_org, score, stars, tier, status, created_at) VALUES "
	       "(3, '/1/2/3/', 2024, 1, 50, 1, 'lagging', 'published', 0),"
	       "(3, '/1/2/3/', 2025, 1, 52, 1, 'lagging', 'published', 0),"
	       "(30, '/1/2/30/', 2024, 1, 50, 1, 'lagging', 'draft', 0),"
	       "(30, '/1/2/30/', 2025, 1, 50, 1, 'lagging', 'published', 0)");
	f->by = (zb_audit_ev){.user_id = 1, .username = "admin", .ip = "test"};
	unsigned all = P_ORG_READ | P_ORG_WRITE | P_MEMBER_READ | P_MEMBER_WRITE | P_STATS_READ;
	f->g_county = (zb_grant){.org_id = 1, .org_path = "/1/", .perms = all};
	f->g_town = (zb_grant){.org_id = 2, .org_path = "/1/2/", .perms = all};
	/* an attacker: org.write at the branch itself */
	f->g_branch = (zb_grant){.org_id = 3, .org_path = "/1/2/3/", .perms = all};
	f->county = (zb_principal){.user_id = 1, .username = "admin", .display_name = "县委组织部", .ngrants = 1,
	                           .grants = &f->g_county, .all_perms = all};
	f->town = (zb_principal){.user_id = 1, .username = "town", .ngrants = 1, .grants = &f->g_town, .all_perms = all};
	f->branch = (zb_principal){.user_id = 1, .username = "sec", .ngrants = 1, .grants = &f->g_branch, .all_perms = all};
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

/* "key1,key2" of the criteria met by org for year (with their sources
 * checked to be present) */
static const char *keys_of(fx *f, int64_t org, int year)
{
	zb_weak_crit *c;
	int n;
	assert_int_equal(zb_weak_check_org(f->db, org, year, "2026-12-07", &f->a, &c, &n, &f->e), 0);
	char *s = zb_arena_alloc(&f->a, 200);
	for (int i = 0; i < n; i++) {
		assert_true(c[i].nsources > 0);
		snprintf(s + strlen(s), 200 - strlen(s), "%s%s", i ? "," : "", c[i].key);
	}
	return s;
}

static int has(const char *keys, const char *k)
{
	return strstr(keys, k) != NULL;
}

static void local_set(fx *f, const char *from, const char *json)
{
	json_t *j = json_loads(json, 0, NULL);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_rules_add(f->db, "weak_org", 1, from, "示范县标准", j, 0, 1, &id, NULL, &f->e);
	assert_int_equal(zb_db_end(f->db, rc, &f->e), 0);
	json_decref(j);
}

static void test_criteria_db(void **state)
{
	fx *f = *state;
	const char *k3 = keys_of(f, 3, 2026), *k30 = keys_of(f, 30, 2026), *k31 = keys_of(f, 31, 2026),
		   *k32 = keys_of(f, 32, 2026);
	assert_false(has(k3, "secretary_vacant"));
	assert_true(has(k30, "secretary_vacant"));
	assert_true(has(k3, "lagging"));
	assert_false(has(k30, "lagging"));
	assert_true(has(k31, "term_overdue"));
	assert_false(has(k3, "term_overdue"));
	/* no meeting held: every branch is under 60% in the three quarters
	 * ended by today (Q4 runs to the 31st), at least 2 asked */
	assert_true(has(k32, "compliance_low"));
	/* the lagging sources are the two published ratings */
	zb_weak_cand *v;
	int n;
	assert_int_equal(zb_weak_candidates(f->db, "/1/", 2026, "2026-12-07", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].org_id, 3);
	int found = 0;
	for (int i = 0; i < v[0].ncrit; i++)
		if (!strcmp(v[0].crit[i].key, "lagging")) {
			found = 1;
			assert_int_equal(v[0].crit[i].nsources, 2);
			assert_memory_equal(v[0].crit[i].sources[0], "rating:", 7);
		}
	assert_true(found);
	/* the county's own set from 1 July: 4 quarters (not reached in
	 * December), 2 months vacant (东村's three months now count), 3 years
	 * 后进; the set in force on the reference date judges the whole year */
	local_set(f, "2026-07-01", "{\"secretary_vacant_months\":2,\"compliance\":{\"quarters\":4},\"lagging_years\":3}");
	k3 = keys_of(f, 3, 2026);
	k32 = keys_of(f, 32, 2026);
	assert_true(has(k3, "secretary_vacant"));
	assert_false(has(k3, "lagging"));
	assert_string_equal(k32, "");
	/* 2025 is judged by the national set (the county's is from 2026-07-01) */
	assert_true(has(keys_of(f, 30, 2025), "compliance_low"));
}

static int64_t listed(fx *f, const zb_principal *who, int64_t org, const char *reason, int *rc)
{
	zb_weak_list_input in = {.org_id = org, .year = 2026, .reason = reason, .on_date = "2026-11-01"};
	int64_t id = 0;
	*rc = zb_weak_list(f->db, &f->app, &f->by, who, &in, &f->a, &id, &f->e);
	return id;
}

static void test_plan_db(void **state)
{
	fx *f = *state;
	int rc;
	local_set(f, "2026-01-01", "{\"compliance\":{\"quarters\":4}}");
	/* the branch cannot list itself; nobody lists what meets nothing
	 * without a reason */
	listed(f, &f->branch, 3, "自查", &rc);
	assert_int_equal(rc, ZB_EFORBIDDEN);
	listed(f, &f->county, 32, NULL, &rc);
	assert_int_equal(rc, ZB_EINVAL);
	assert_string_equal(f->e.field, "reason");
	int64_t manual = listed(f, &f->town, 32, "群众反映班子不团结", &rc);
	assert_int_equal(rc, 0);
	int64_t id = listed(f, &f->county, 3, NULL, &rc);
	assert_int_equal(rc, 0);
	listed(f, &f->county, 3, NULL, &rc);
	assert_int_equal(rc, ZB_ECONFLICT);
	zb_weak_listing l;
	assert_int_equal(zb_weak_get(f->db, id, "2026-12-07", &f->a, &l, &f->e), 0);
	assert_int_equal(l.listed_by_org, 1);
	assert_non_null(strstr(l.criteria, "rating:"));
	assert_int_equal(zb_weak_get(f->db, manual, "2026-12-07", &f->a, &l, &f->e), 0);
	assert_int_equal(l.listed_by_org, 2);

	/* the plan: the leader by the level above only */
	zb_weak_plan_input pin = {.problems = "班子软弱", .leader_name = "王副县长", .leader_post = "副县长"};
	assert_int_equal(zb_weak_plan_set(f->db, &f->app, &f->by, &f->branch, id, &pin, &f->e), ZB_EFORBIDDEN);
	assert_int_equal(zb_weak_plan_set(f->db, &f->app, &f->by, &f->county, id, &pin, &f->e), 0);
	int64_t m1, m2, p1;
	assert_int_equal(zb_weak_measure_add(f->db, &f->app, &f->by, id, "选优配强书记", "镇党委", "2026-12-07", &m1, &f->e), 0);
	assert_int_equal(zb_weak_measure_add(f->db, &f->app, &f->by, id, "规范三会一课", "支部", "2026-12-06", &m2, &f->e), 0);
	assert_int_equal(zb_weak_progress_add(f->db, &f->app, &f->by, id, "2026-12-08", "x", &p1, &f->e), ZB_EINVAL);
	assert_int_equal(zb_weak_progress_add(f->db, &f->app, &f->by, id, "2026-12-01", "召开组织生活会", &p1, &f->e), 0);
	assert_int_equal(zb_weak_get(f->db, id, "2026-12-07", &f->a, &l, &f->e), 0);
	/* the deadline day itself is not overdue, the day after is */
	assert_int_equal(l.measures, 2);
	assert_int_equal(l.measures_overdue, 1);
	assert_int_equal(l.nm, 2);
	assert_true(l.m[0].overdue);  /* due 12-06 */
	assert_false(l.m[1].overdue); /* due 12-07 */
	assert_int_equal(l.np, 1);

	/* 销号: never by the branch; refused while a measure is open, naming it */
	assert_int_equal(zb_weak_close(f->db, &f->app, &f->by, &f->branch, id, NULL, "已整改", &f->e), ZB_EFORBIDDEN);
	assert_int_equal(zb_weak_measure_done(f->db, &f->app, &f->by, m2, "2026-12-05", "已按月开展", &f->e), 0);
	assert_int_equal(zb_weak_close(f->db, &f->app, &f->by, &f->county, id, NULL, "已整改", &f->e), ZB_ECONFLICT);
	assert_non_null(strstr(f->e.msg, "选优配强书记"));
	assert_null(strstr(f->e.msg, "规范三会一课"));
	assert_int_equal(zb_weak_measure_done(f->db, &f->app, &f->by, m1, "2026-12-07", NULL, &f->e), 0);
	assert_int_equal(zb_weak_measure_done(f->db, &f->app, &f->by, m1, "2026-12-07", NULL, &f->e), ZB_ECONFLICT);
	assert_int_equal(zb_weak_close(f->db, &f->app, &f->by, &f->town, id, NULL, "整改到位，同意销号", &f->e), 0);
	assert_int_equal(zb_weak_get(f->db, id, "2026-12-07", &f->a, &l, &f->e), 0);
	assert_string_equal(l.status, "closed");
	assert_string_equal(l.closed_on, "2026-12-07");
	/* closed: read-only; reopened by the listing org (the county) only */
	assert_int_equal(zb_weak_measure_add(f->db, &f->app, &f->by, id, "再整改", "支部", "2026-12-31", &m1, &f->e),
	                 ZB_ECONFLICT);
	assert_int_equal(zb_weak_progress_add(f->db, &f->app, &f->by, id, "2026-12-07", "y", &p1, &f->e), ZB_ECONFLICT);
	assert_int_equal(zb_weak_reopen(f->db, &f->app, &f->by, &f->town, id, "复查发现反弹", &f->e), ZB_EFORBIDDEN);
	assert_int_equal(zb_weak_reopen(f->db, &f->app, &f->by, &f->county, id, "", &f->e), ZB_EINVAL);
	assert_int_equal(zb_weak_reopen(f->db, &f->app, &f->by, &f->county, id, "复查发现反弹", &f->e), 0);
	assert_int_equal(zb_weak_get(f->db, id, "2026-12-07", &f->a, &l, &f->e), 0);
	assert_string_equal(l.status, "rectifying");
	assert_int_equal(l.nrv, 2);
	/* every write has its audit row */
	int64_t n = 0;
	if (zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM audit_log WHERE action LIKE ?", "s", "weak.%"))
		fail_msg("%s", f->e.msg);
	assert_int_equal(n, 10);
}

#define DB_TESTS                                                                                   \
	cmocka_unit_test_setup_teardown(test_criteria_db, setup, teardown),                        \
		cmocka_unit_test_setup_teardown(test_plan_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {cmocka_unit_test(test_edges)};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("rectify", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("rectify_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("rectify_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_rectify: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
