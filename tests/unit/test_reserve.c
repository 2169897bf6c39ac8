/* Unit tests for 村级后备干部 (docs/RESERVE.md): the age at the reference
 * date's edge (the day before and the day of the 35th birthday, 29
 * February), the validator of rule kind reserve and the rule read from the
 * national default and from a local set; on a database: the assessment of
 * a 试岗 period refused before the period ends and once assessed, a
 * removal that keeps the record, its trainings and trials, the audit rows,
 * and the overview of a subtree counting villages without a young reserve
 * cadre.  Database tests run on SQLite and, when ZB_TEST_PG holds a
 * postgres:// URI, on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "crypto/fieldprot.h"
#include "org/org.h"
#include "reserve/reserve.h"
#include "rules/rules.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_age_edge(void **state)
{
	(void)state;
	zb_reserve_rules r = {.young_max_age = 35};
	/* born 1991-06-15: 34 the day before the 35th birthday, 35 on it */
	assert_int_equal(zb_reserve_age("1991-06-15", "2026-06-14"), 34);
	assert_true(zb_reserve_is_young(&r, "1991-06-15", "2026-06-14"));
	assert_int_equal(zb_reserve_age("1991-06-15", "2026-06-15"), 35);
	assert_false(zb_reserve_is_young(&r, "1991-06-15", "2026-06-15"));
	assert_false(zb_reserve_is_young(&r, "1991-06-15", "2030-01-01"));
	/* a year boundary: born 31 December */
	assert_int_equal(zb_reserve_age("1990-12-31", "2025-12-30"), 34);
	assert_int_equal(zb_reserve_age("1990-12-31", "2025-12-31"), 35);
	/* 29 February: the birthday is reached on 1 March of a common year */
	assert_int_equal(zb_reserve_age("1992-02-29", "2027-02-28"), 34);
	assert_int_equal(zb_reserve_age("1992-02-29", "2027-03-01"), 35);
	assert_int_equal(zb_reserve_age("1992-02-29", "2028-02-29"), 36);
	/* no birth date, or a reference before it */
	assert_int_equal(zb_reserve_age(NULL, "2026-01-01"), -1);
	assert_int_equal(zb_reserve_age("2026-05-01", "2026-04-30"), -1);
	assert_int_equal(zb_reserve_age("1990-13-01", "2026-04-30"), -1);
	assert_false(zb_reserve_is_young(&r, NULL, "2026-01-01"));
	/* a local line of 40 */
	zb_reserve_rules r40 = {.young_max_age = 40};
	assert_true(zb_reserve_is_young(&r40, "1991-06-15", "2026-06-15"));
}

static int validate(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	zb_err e = {0};
	int rc = zb_rules_validate("reserve", j, &e);
	json_decref(j);
	return rc;
}

static void test_validator(void **state)
{
	(void)state;
	assert_int_equal(validate("{\"young_max_age\":35,\"source\":\"x\"}"), 0);
	assert_int_equal(validate("{\"young_max_age\":25}"), 0);
	assert_int_equal(validate("{\"young_max_age\":45}"), 0);
	assert_int_equal(validate("{\"young_max_age\":24}"), ZB_EINVAL);
	assert_int_equal(validate("{\"young_max_age\":46}"), ZB_EINVAL);
	assert_int_equal(validate("{\"young_max_age\":\"35\"}"), ZB_EINVAL);
	assert_int_equal(validate("{}"), ZB_EINVAL);
	assert_int_equal(validate("{\"young_max_age\":35,\"other\":1}"), ZB_EINVAL);
	assert_string_equal(zb_rsource_from("返乡大学生"), "graduate");
	assert_string_equal(zb_rremoval_name("disqualified"), "取消后备干部资格");
	assert_null(zb_rpolitical_from("中共党员")); /* a member's status comes from the roster */
	assert_string_equal(zb_rresult_from("不合格"), "fail");
}

/* ---- database ---- */

typedef struct fx {
	zb_db *db;
	zb_app app;
	zb_arena a;
	zb_err e;
	zb_audit_ev by;
} fx;

static int64_t fixed_now(void) { return 1779940800; } /* 2026-05-28 12:00 China time */

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 7 + 3);
	if (dbfix_open("reserve", &f->db, &f->e) ||
	    zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e))
		return -1;
	f->app.now = fixed_now;
	f->by = (zb_audit_ev){.user_id = 0, .username = "test", .ip = "127.0.0.1"};
	*state = f;
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

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *domain)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, ?, 0, 0)",
	                           "iIssss", id, parent, path, path, type, domain),
	                 0);
}

/* a county /1/, a township /1/2/ with villages /1/2/3/ and /1/2/4/, a
 * general branch /1/2/5/ with its branch /1/2/5/6/, an organ branch /1/2/7/ */
static void world(fx *f)
{
	org(f, 1, 0, "/1/", "committee", "organ");
	org(f, 2, 1, "/1/2/", "committee", "rural");
	org(f, 3, 2, "/1/2/3/", "branch", "rural");
	org(f, 4, 2, "/1/2/4/", "branch", "rural");
	org(f, 5, 2, "/1/2/5/", "general_branch", "rural");
	org(f, 6, 5, "/1/2/5/6/", "branch", "rural");
	org(f, 7, 2, "/1/2/7/", "branch", "organ");
}

static int64_t person(fx *f, int64_t village, const char *name, const char *birth, const char *entered)
{
	zb_reserve in = {.org_id = village, .name = name, .birth_date = birth, .source = "graduate",
	                 .entered_on = entered};
	int64_t id = 0;
	if (zb_reserve_add(f->db, &f->app, &f->by, &in, &f->a, &id, &f->e))
		fail_msg("add %s: %s", name, f->e.msg);
	return id;
}

static int64_t audits(fx *f, const char *action)
{
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "s", action), 0);
	return n;
}

static void test_villages_db(void **state)
{
	fx *f = *state;
	world(f);
	int v;
	static const struct {
		int64_t id;
		int village;
	} want[] = {{1, 0}, {2, 0}, {3, 1}, {4, 1}, {5, 1}, {6, 0}, {7, 0}};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_int_equal(zb_org_is_village(f->db, want[i].id, &v, &f->e), 0);
		assert_int_equal(v, want[i].village);
	}
	/* a branch under a general branch is not a village of its own */
	zb_reserve in = {.org_id = 6, .name = "甲", .birth_date = "1995-01-01", .source = "other",
	                 .entered_on = "2025-01-01"};
	int64_t id;
	assert_int_equal(zb_reserve_add(f->db, &f->app, &f->by, &in, &f->a, &id, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "org_id");
	/* nothing was written */
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM reserve_cadres", ""), 0);
	assert_int_equal(n, 0);
}

static void test_assess_after_end_db(void **state)
{
	fx *f = *state;
	world(f);
	int64_t p = person(f, 3, "试岗", "1998-03-03", "2025-01-01");
	/* today is 2026-05-28: a period ending today is not over */
	zb_reserve_trial t = {.post = "村委会主任助理", .from_on = "2026-03-01", .to_on = "2026-05-28", .mentor = "书记"};
	int64_t tid = 0;
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p, &t, &f->a, &tid, &f->e), 0);
	assert_int_equal(zb_reserve_trial_assess(f->db, &f->app, &f->by, p, tid, "pass", NULL, NULL, &f->a, &f->e),
	                 ZB_ECONFLICT);
	assert_string_equal(f->e.field, "assessed_on");
	/* nor dated on its last day, nor in the future */
	assert_int_equal(
		zb_reserve_trial_assess(f->db, &f->app, &f->by, p, tid, "pass", NULL, "2026-05-28", &f->a, &f->e),
		ZB_ECONFLICT);
	assert_int_equal(
		zb_reserve_trial_assess(f->db, &f->app, &f->by, p, tid, "pass", NULL, "2026-05-29", &f->a, &f->e),
		ZB_EINVAL);
	assert_int_equal(audits(f, "reserve.assess"), 0);
	/* a period that ended yesterday may be assessed today, once */
	zb_reserve_trial t2 = {.post = "村会计助理", .from_on = "2026-01-01", .to_on = "2026-02-27"};
	int64_t tid2 = 0;
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p, &t2, &f->a, &tid2, &f->e), 0);
	assert_int_equal(
		zb_reserve_trial_assess(f->db, &f->app, &f->by, p, tid2, "合格", "肯干", "2026-02-28", &f->a, &f->e), 0);
	assert_int_equal(zb_reserve_trial_assess(f->db, &f->app, &f->by, p, tid2, "pass", NULL, NULL, &f->a, &f->e),
	                 ZB_ECONFLICT);
	assert_int_equal(audits(f, "reserve.assess"), 1);
	/* overlapping periods are refused */
	zb_reserve_trial t3 = {.post = "重叠", .from_on = "2026-02-27", .to_on = "2026-03-01"};
	int64_t tid3;
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p, &t3, &f->a, &tid3, &f->e), ZB_ECONFLICT);
	zb_reserve r;
	assert_int_equal(zb_reserve_get(f->db, p, &f->a, &r, &f->e), 0);
	assert_int_equal(r.ntrials, 2);
	assert_string_equal(r.trials[0].result, "pass");
	assert_null(r.trials[1].result);
}

static void test_removal_history_db(void **state)
{
	fx *f = *state;
	world(f);
	int64_t p = person(f, 3, "移出", "1990-01-01", "2024-01-01");
	zb_reserve_training tr = {.held_on = "2024-05-01", .course = "村务管理", .hours = 12};
	assert_int_equal(zb_reserve_training_add(f->db, &f->app, &f->by, p, &tr, &f->a, &f->e), 0);
	zb_reserve_trial t = {.post = "助理", .from_on = "2024-06-01", .to_on = "2024-08-31"};
	int64_t tid;
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p, &t, &f->a, &tid, &f->e), 0);
	/* before entering: refused */
	assert_int_equal(zb_reserve_remove(f->db, &f->app, &f->by, p, "2023-12-31", "away", "外出务工", &f->a, &f->e),
	                 ZB_ECONFLICT);
	assert_int_equal(zb_reserve_remove(f->db, &f->app, &f->by, p, "2026-05-01", "nonsense", "x", &f->a, &f->e),
	                 ZB_EINVAL);
	assert_string_equal(f->e.field, "kind");
	assert_int_equal(zb_reserve_remove(f->db, &f->app, &f->by, p, "2026-05-01", "取消后备干部资格", "考评不称职",
	                                   &f->a, &f->e),
	                 0);
	zb_reserve r;
	assert_int_equal(zb_reserve_get(f->db, p, &f->a, &r, &f->e), 0);
	assert_string_equal(r.removed_on, "2026-05-01");
	assert_string_equal(r.removed_kind, "disqualified");
	assert_string_equal(r.removed_reason, "考评不称职");
	assert_int_equal(r.ntrainings, 1);
	assert_int_equal(r.ntrials, 1);
	assert_int_equal(audits(f, "reserve.remove"), 1);
	/* once only; no period for one removed */
	assert_int_equal(zb_reserve_remove(f->db, &f->app, &f->by, p, "2026-05-02", "away", "x", &f->a, &f->e),
	                 ZB_ECONFLICT);
	zb_reserve_trial t2 = {.post = "助理", .from_on = "2026-05-10", .to_on = "2026-06-10"};
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p, &t2, &f->a, &tid, &f->e), ZB_ECONFLICT);
	/* the pool: gone from the active list, kept with removed */
	zb_reserve_pool pool;
	assert_int_equal(zb_reserve_pool_get(f->db, 3, "/1/2/3/", "2026-05-28", 0, &f->a, &pool, &f->e), 0);
	assert_int_equal(pool.n, 0);
	assert_int_equal(zb_reserve_pool_get(f->db, 3, "/1/2/3/", "2026-05-28", 1, &f->a, &pool, &f->e), 0);
	assert_int_equal(pool.n, 1);
	assert_int_equal(pool.size, 0);
	assert_int_equal(pool.items[0].trainings, 1);
	assert_int_equal(pool.items[0].training_hours, 12);
}

static void test_overview_db(void **state)
{
	fx *f = *state;
	world(f);
	/* village 3: one young (34 on the reference date) and one of 35 today;
	 * village 4: only one of 35; general branch 5: none */
	person(f, 3, "年轻", "1991-05-29", "2025-01-01");
	person(f, 3, "满龄", "1991-05-28", "2025-01-01");
	int64_t p4 = person(f, 4, "满龄二", "1991-05-28", "2025-01-01");
	zb_reserve_trial t = {.post = "助理", .from_on = "2026-05-01", .to_on = "2026-06-30"};
	int64_t tid;
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p4, &t, &f->a, &tid, &f->e), 0);
	zb_reserve_trial t0 = {.post = "助理", .from_on = "2026-01-01", .to_on = "2026-03-31"};
	assert_int_equal(zb_reserve_trial_add(f->db, &f->app, &f->by, p4, &t0, &f->a, &tid, &f->e), 0);
	zb_reserve_overview o;
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/", "2026-05-28", &f->a, &o, &f->e), 0);
	assert_int_equal(o.rules.young_max_age, 35);
	assert_int_equal(o.villages, 3);
	assert_int_equal(o.with_young, 1);
	assert_int_equal(o.without_young, 2);
	assert_int_equal(o.without_any, 1);
	assert_int_equal(o.pool, 3);
	assert_int_equal(o.in_trial, 1);
	assert_int_equal(o.due, 1);
	assert_int_equal(o.items[0].org_id, 3);
	assert_int_equal(o.items[0].young, 1);
	assert_int_equal(o.items[1].org_id, 4);
	assert_int_equal(o.items[1].young, 0);
	/* the day before: the one born 1991-05-28 is still young in both */
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/", "2026-05-27", &f->a, &o, &f->e), 0);
	assert_int_equal(o.with_young, 2);
	/* a local rule of 40 at the township makes everyone young */
	json_t *d = json_pack("{s:i}", "young_max_age", 40);
	int64_t set;
	char *merged = NULL;
	assert_int_equal(zb_rules_publish(&f->app, f->db, &f->by, "reserve", 2, "/1/2/", "2020-01-01", "本地", d, &set,
	                                  &merged, &f->e),
	                 0);
	free(merged);
	json_decref(d);
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/", "2026-05-28", &f->a, &o, &f->e), 0);
	assert_int_equal(o.with_young, 2);
}

#define DB_TESTS                                                                     \
	cmocka_unit_test_setup_teardown(test_villages_db, setup, teardown),           \
		cmocka_unit_test_setup_teardown(test_assess_after_end_db, setup, teardown), \
		cmocka_unit_test_setup_teardown(test_removal_history_db, setup, teardown),  \
		cmocka_unit_test_setup_teardown(test_overview_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_age_edge),
		cmocka_unit_test(test_validator),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("reserve", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("reserve_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("reserve_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_reserve: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
