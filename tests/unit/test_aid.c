/* Unit tests for 帮扶 (docs/AID.md): the visit rule at its edge (monthly,
 * quarterly at a month end, a local rule set), the rule's validator, and
 * the coverage of a subtree equal to a recount of random households,
 * pairings and visits household by household.  Database tests run on
 * SQLite and, when ZB_TEST_PG holds a postgres:// URI, on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "core/date.h"
#include "core/log.h"
#include "core/rng.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_due(void **state)
{
	(void)state;
	char due[11];
	int late;
	/* 每月: from 15 January, no visit: due 15 February; the 15th is on time, the 16th is not */
	zb_aid_due("2026-01-15", NULL, 1, "2026-02-15", due, &late);
	assert_string_equal(due, "2026-02-15");
	assert_int_equal(late, 0);
	zb_aid_due("2026-01-15", NULL, 1, "2026-02-16", due, &late);
	assert_int_equal(late, 1);
	/* the last visit restarts the clock; one before the pairing does not */
	zb_aid_due("2026-01-15", "2026-02-10", 1, "2026-03-10", due, &late);
	assert_string_equal(due, "2026-03-10");
	assert_int_equal(late, 0);
	zb_aid_due("2026-01-15", "2025-12-01", 1, "2026-02-16", due, &late);
	assert_int_equal(late, 1);
	/* 每季度 from a month end: 31 January + 3 months is 30 April */
	zb_aid_due("2026-01-31", NULL, 3, "2026-04-30", due, &late);
	assert_string_equal(due, "2026-04-30");
	assert_int_equal(late, 0);
	zb_aid_due("2026-01-31", NULL, 3, "2026-05-01", due, &late);
	assert_int_equal(late, 1);
	/* 31 January + 1 month is 28 February */
	zb_aid_due("2026-01-31", NULL, 1, "2026-03-01", due, &late);
	assert_string_equal(due, "2026-02-28");
	assert_int_equal(late, 1);
}

static void test_interval(void **state)
{
	(void)state;
	zb_aid_rules r;
	zb_aid_rules_default(&r);
	assert_int_equal(zb_aid_interval(&r, "helper", "helping"), 1);
	assert_int_equal(zb_aid_interval(&r, "helper", "monitor"), 1);
	assert_int_equal(zb_aid_interval(&r, "helper", "lifted"), 3);
	assert_int_equal(zb_aid_interval(&r, "contact", "helping"), 3);
}

static void test_validator(void **state)
{
	(void)state;
	zb_err e = {0};
	json_t *j = json_pack("{s:i,s:i,s:i,s:i,s:s}", "helping_months", 1, "monitor_months", 1, "lifted_months", 3,
	                      "contact_months", 3, "source", "县帮扶办通知");
	assert_int_equal(zb_aid_rules_validate(j, &e), 0);
	json_object_set_new(j, "lifted_months", json_integer(13));
	assert_int_equal(zb_aid_rules_validate(j, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.lifted_months");
	json_object_set_new(j, "lifted_months", json_integer(0));
	assert_int_equal(zb_aid_rules_validate(j, &e), ZB_EINVAL);
	json_object_set_new(j, "lifted_months", json_integer(3));
	json_object_set_new(j, "weekly", json_integer(1));
	assert_int_equal(zb_aid_rules_validate(j, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "weekly"));
	json_decref(j);
}

/* ---- database ---- */

typedef struct fx {
	zb_db *db;
	zb_arena a;
	zb_err e;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	if (dbfix_open("aid", &f->db, &f->e))
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
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, "
	                           "updated_at) VALUES (?, ?, ?, 0, ?, ?, 'rural', 0, 0)",
	                           "iIsss", id, parent, path, path, type),
	                 0);
}

static int64_t member(fx *f, int64_t org_id, const char *path, const char *name)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
	                           "category, status, created_at, updated_at) "
	                           "VALUES (?, ?, ?, ?, ?, ?, 'full', 'normal', 0, 0) RETURNING id",
	                           "issssb", org_id, path, name, name, name, "k", (size_t)1),
	                 0);
	return id;
}

static int64_t household(fx *f, int64_t org_id, const char *path, const char *status, const char *exited)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO aid_households (org_id, org_path, head_name, head_pinyin, category, status, "
	                           "status_since, exited_on, created_at, updated_at) "
	                           "VALUES (?, ?, '户主', 'huzhu', 'tuopin', ?, '2025-01-01', ?, 0, 0) RETURNING id",
	                           "isss", org_id, path, status, exited),
	                 0);
	return id;
}

static void pair(fx *f, int64_t hh, const char *kind, int64_t m, const char *from, const char *to)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO aid_pairs (household_id, kind, member_id, from_on, to_on, created_at) "
	                           "VALUES (?, ?, ?, ?, ?, 0)",
	                           "isiss", hh, kind, m, from, to),
	                 0);
}

static void visit(fx *f, int64_t hh, int64_t m, const char *on)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO aid_visits (household_id, member_id, visited_on, what, recorded_at) "
	                           "VALUES (?, ?, ?, '走访', 0)",
	                           "iis", hh, m, on),
	                 0);
}

/* The rule at its edge through the database: the coverage on the due
 * date and the day after, and a county's own rule set. */
static void test_edge_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	int64_t m = member(f, 2, "/1/2/", "甲");
	int64_t h1 = household(f, 2, "/1/2/", "helping", NULL);
	int64_t h2 = household(f, 2, "/1/2/", "lifted", NULL);
	pair(f, h1, "helper", m, "2026-01-15", NULL);
	pair(f, h2, "helper", m, "2026-01-31", NULL);
	visit(f, h1, m, "2026-02-10");
	zb_aid_coverage c;
	assert_int_equal(zb_aid_coverage_get(f->db, "/1/", "2026-03-10", &f->a, &c, &f->e), 0);
	assert_int_equal(c.households, 2);
	assert_int_equal(c.with_helper, 2);
	assert_int_equal(c.visited_on_time, 2);
	assert_int_equal(zb_aid_coverage_get(f->db, "/1/", "2026-03-11", &f->a, &c, &f->e), 0);
	assert_int_equal(c.visited_on_time, 1); /* h1 is a day late; h2 (quarterly) is due 30 April */
	assert_int_equal(c.overdue, 1);
	assert_int_equal(c.helpers_with_overdue, 1);
	assert_int_equal(c.helpers_overdue[0].overdue, 1);
	assert_int_equal(zb_aid_coverage_get(f->db, "/1/", "2026-05-01", &f->a, &c, &f->e), 0);
	assert_int_equal(c.visited_on_time, 0);
	/* a county's own set: 在帮 every 2 months, from 2026-01-01 */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES "
	                           "('aid_visits', 1, '2026-01-01', '县', '{\"helping_months\":2,\"monitor_months\":1,"
	                           "\"lifted_months\":3,\"contact_months\":3}', 0)",
	                           ""),
	                 0);
	assert_int_equal(zb_aid_coverage_get(f->db, "/1/", "2026-04-10", &f->a, &c, &f->e), 0);
	assert_int_equal(c.visited_on_time, 2); /* h1 due 10 April now */
	assert_int_equal(zb_aid_coverage_get(f->db, "/1/", "2026-04-11", &f->a, &c, &f->e), 0);
	assert_int_equal(c.visited_on_time, 1);
}

/* What the coverage says, counted again household by household from the
 * rows, with only the calendar of core/date.h. */
typedef struct recount {
	int64_t households, with_helper, on_time, exited, contact_pairs, contact_on_time;
} recount;

static int64_t count(fx *f, const char *sql)
{
	int64_t n = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, sql, ""), 0);
	return n;
}

static int pair_on_time(fx *f, int64_t hh, int64_t m, const char *from, int months, const char *today)
{
	char last[11] = "", due[11];
	zb_text_buf b = {last, sizeof last};
	int rc = zb_db_one(f->db, &f->e, NULL, zb_row_text, &b,
	                   "SELECT visited_on FROM aid_visits WHERE household_id = ? AND member_id = ? AND visited_on <= ? "
	                   "ORDER BY visited_on DESC LIMIT 1",
	                   "iis", hh, m, today);
	assert_true(rc == 0 || rc == ZB_ENOTFOUND);
	zb_date_add_months(*last && strcmp(last, from) > 0 ? last : from, months, due);
	return strcmp(today, due) <= 0;
}

static void do_recount(fx *f, const char *today, recount *r)
{
	memset(r, 0, sizeof *r);
	r->exited = count(f, "SELECT COUNT(*) FROM aid_households WHERE exited_on IS NOT NULL");
	int64_t n = count(f, "SELECT MAX(id) FROM aid_households");
	for (int64_t hh = 1; hh <= n; hh++) {
		char status[16] = "", exited[11] = "";
		zb_text_buf sb = {status, sizeof status}, eb = {exited, sizeof exited};
		assert_int_equal(zb_db_one(f->db, &f->e, NULL, zb_row_text, &sb,
		                           "SELECT status FROM aid_households WHERE id = ?", "i", hh),
		                 0);
		assert_int_equal(zb_db_one(f->db, &f->e, NULL, zb_row_text, &eb,
		                           "SELECT COALESCE(exited_on, '') FROM aid_households WHERE id = ?", "i", hh),
		                 0);
		if (*exited)
			continue;
		r->households++;
		int helpers = 0, late = 0;
		for (int64_t p = 1;; p++) {
			int64_t row[2] = {0, 0};
			char from[11] = "", to[11] = "", kind[16] = "";
			zb_text_buf fb = {from, sizeof from}, tb = {to, sizeof to}, kb = {kind, sizeof kind};
			if (zb_db_one(f->db, &f->e, NULL, zb_row_ints, row,
			              "SELECT household_id, member_id FROM aid_pairs WHERE id = ?", "i", p))
				break;
			if (row[0] != hh)
				continue;
			zb_db_one(f->db, &f->e, NULL, zb_row_text, &fb, "SELECT from_on FROM aid_pairs WHERE id = ?", "i", p);
			zb_db_one(f->db, &f->e, NULL, zb_row_text, &tb, "SELECT COALESCE(to_on, '') FROM aid_pairs WHERE id = ?",
			          "i", p);
			zb_db_one(f->db, &f->e, NULL, zb_row_text, &kb, "SELECT kind FROM aid_pairs WHERE id = ?", "i", p);
			if (strcmp(from, today) > 0 || (*to && strcmp(to, today) < 0))
				continue;
			int contact = !strcmp(kind, "contact");
			int months = contact ? 3 : !strcmp(status, "lifted") ? 3 : 1;
			int ok = pair_on_time(f, hh, row[1], from, months, today);
			if (contact) {
				r->contact_pairs++;
				r->contact_on_time += ok;
			} else {
				helpers++;
				late += !ok;
			}
		}
		r->with_helper += helpers > 0;
		r->on_time += helpers > 0 && !late;
	}
}

static void test_coverage_recount(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	org(f, 3, 1, "/1/3/", "branch");
	int64_t m[6];
	for (int i = 0; i < 6; i++)
		m[i] = member(f, i < 3 ? 2 : 3, i < 3 ? "/1/2/" : "/1/3/", "党员");
	zb_rng r = zb_rng_for(7, 1, 2);
	static const char *const st[] = {"helping", "lifted", "monitor"};
	for (int k = 0; k < 120; k++) {
		int o = 2 + zb_rng_below(&r, 2);
		char exited[11];
		snprintf(exited, sizeof exited, "2026-%02d-10", zb_rng_between(&r, 1, 9));
		int64_t hh = household(f, o, o == 2 ? "/1/2/" : "/1/3/", st[zb_rng_below(&r, 3)],
		                       zb_rng_chance(&r, 10) ? exited : NULL);
		int np = zb_rng_below(&r, 4);
		for (int p = 0; p < np; p++) {
			char from[11], to[11];
			snprintf(from, sizeof from, "2026-%02d-%02d", zb_rng_between(&r, 1, 9), zb_rng_between(&r, 1, 28));
			snprintf(to, sizeof to, "2026-%02d-%02d", zb_rng_between(&r, 6, 12), zb_rng_between(&r, 1, 28));
			int64_t who = m[zb_rng_below(&r, 6)];
			pair(f, hh, zb_rng_chance(&r, 30) ? "contact" : "helper", who, from, zb_rng_chance(&r, 20) ? to : NULL);
			int nv = zb_rng_below(&r, 6);
			for (int v = 0; v < nv; v++) {
				char on[11];
				snprintf(on, sizeof on, "2026-%02d-%02d", zb_rng_between(&r, 1, 11), zb_rng_between(&r, 1, 28));
				visit(f, hh, zb_rng_chance(&r, 85) ? who : m[zb_rng_below(&r, 6)], on);
			}
		}
	}
	static const char *const days[] = {"2026-03-31", "2026-06-30", "2026-09-15", "2026-11-30"};
	for (size_t d = 0; d < sizeof days / sizeof days[0]; d++) {
		zb_aid_coverage c;
		recount rc;
		assert_int_equal(zb_aid_coverage_get(f->db, "/1/", days[d], &f->a, &c, &f->e), 0);
		do_recount(f, days[d], &rc);
		assert_int_equal(c.households, rc.households);
		assert_int_equal(c.with_helper, rc.with_helper);
		assert_int_equal(c.without_helper, rc.households - rc.with_helper);
		assert_int_equal(c.visited_on_time, rc.on_time);
		assert_int_equal(c.overdue, rc.with_helper - rc.on_time);
		assert_int_equal(c.exited, rc.exited);
		assert_int_equal(c.contact_pairs, rc.contact_pairs);
		assert_int_equal(c.contact_on_time, rc.contact_on_time);
		assert_true(c.visited_on_time > 0 && c.overdue > 0 && c.without_helper > 0);
		/* a subtree is its branches' sum */
		zb_aid_coverage a, b;
		assert_int_equal(zb_aid_coverage_get(f->db, "/1/2/", days[d], &f->a, &a, &f->e), 0);
		assert_int_equal(zb_aid_coverage_get(f->db, "/1/3/", days[d], &f->a, &b, &f->e), 0);
		assert_int_equal(a.households + b.households, c.households);
		assert_int_equal(a.visited_on_time + b.visited_on_time, c.visited_on_time);
		/* the list's filters hold the same households */
		zb_aid_item *items;
		int n;
		int64_t next;
		assert_int_equal(zb_aid_list(f->db, "/1/", ZB_AID_NO_HELPER, NULL, NULL, 0, 200, days[d], &f->a, &items, &n,
		                             &next, &f->e),
		                 0);
		assert_int_equal(n, c.without_helper);
		assert_int_equal(zb_aid_list(f->db, "/1/", ZB_AID_OVERDUE, NULL, NULL, 0, 200, days[d], &f->a, &items, &n,
		                             &next, &f->e),
		                 0);
		assert_int_equal(n, c.overdue);
	}
}

#define DB_TESTS                                                                                          \
	cmocka_unit_test_setup_teardown(test_edge_db, setup, teardown),                                   \
		cmocka_unit_test_setup_teardown(test_coverage_recount, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_interval),
		cmocka_unit_test(test_validator),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("aid", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("aid_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("aid_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_aid: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
