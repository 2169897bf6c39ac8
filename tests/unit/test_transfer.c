/* Unit tests for 组织关系转接 and 流动党员 (docs/TRANSFERS.md): the letter's
 * last valid day at month ends, expiry the day after, provinces by the org
 * at the rule's depth, the 流动党员 paper at each edge, the rule's
 * validator, the rule read from the national default and from a local set,
 * and the list of a subtree's transfers from either side.  Database tests
 * run on SQLite and, when ZB_TEST_PG holds a postgres:// URI, on
 * PostgreSQL too. */
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
#include "rules/rules.h"
#include "transfer/transfer.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_valid_until(void **state)
{
	(void)state;
	char out[11];
	zb_transfer_valid_until("2026-01-15", 3, out);
	assert_string_equal(out, "2026-04-14");
	zb_transfer_valid_until("2026-01-15", 6, out);
	assert_string_equal(out, "2026-07-14");
	/* month ends: 30 Nov + 3 months is 28/29 Feb, less a day */
	zb_transfer_valid_until("2024-11-30", 3, out);
	assert_string_equal(out, "2025-02-27");
	zb_transfer_valid_until("2023-11-30", 3, out);
	assert_string_equal(out, "2024-02-28");
	zb_transfer_valid_until("2026-12-01", 3, out);
	assert_string_equal(out, "2027-02-28");
	/* valid on its last day, expired the day after */
	assert_false(zb_transfer_expired("2026-04-14", "2026-04-14"));
	assert_true(zb_transfer_expired("2026-04-14", "2026-04-15"));
	assert_false(zb_transfer_expired("2026-04-14", "2026-01-15"));
}

static void test_across(void **state)
{
	(void)state;
	/* depth 0: the top-level orgs are the provinces */
	assert_false(zb_transfer_across("/1/5/23/", "/1/7/40/", 0));
	assert_true(zb_transfer_across("/1/5/23/", "/2/7/40/", 0));
	/* depth 1: a national root, the provinces below it */
	assert_true(zb_transfer_across("/1/5/23/", "/1/7/40/", 1));
	assert_false(zb_transfer_across("/1/5/23/", "/1/5/41/", 1));
	/* an ID that is a prefix of another is another org */
	assert_true(zb_transfer_across("/1/5/", "/1/50/", 1));
	/* an org above the depth: compared by the top-level orgs */
	assert_false(zb_transfer_across("/1/", "/1/5/41/", 1));
}

static void test_mobile_paper(void **state)
{
	(void)state;
	zb_transfer_rules r = {.certificate_months = 3, .transfer_months = 6};
	const char *L = "2025-03-10";
	assert_string_equal(zb_mobile_paper(&r, L, "2025-03-10", 0), "none");
	assert_string_equal(zb_mobile_paper(&r, L, "2025-06-09", 0), "none");
	assert_string_equal(zb_mobile_paper(&r, L, "2025-06-10", 0), "certificate");
	assert_string_equal(zb_mobile_paper(&r, L, "2025-09-09", 0), "certificate");
	assert_string_equal(zb_mobile_paper(&r, L, "2025-09-10", 0), "transfer");
	assert_string_equal(zb_mobile_paper(&r, L, NULL, 0), "transfer");
	/* no fixed place: the 活动证 from three months on, whatever the length */
	assert_string_equal(zb_mobile_paper(&r, L, "2025-06-09", 1), "none");
	assert_string_equal(zb_mobile_paper(&r, L, "2025-06-10", 1), "activity_card");
	assert_string_equal(zb_mobile_paper(&r, L, "2026-06-10", 1), "activity_card");
	assert_string_equal(zb_mobile_paper(&r, L, NULL, 1), "activity_card");
	/* month ends: left 30 Nov, three months are complete on 28 Feb */
	assert_string_equal(zb_mobile_paper(&r, "2024-11-30", "2025-02-27", 0), "none");
	assert_string_equal(zb_mobile_paper(&r, "2024-11-30", "2025-02-28", 0), "certificate");
	assert_string_equal(zb_mobile_paper_name("activity_card"), "流动党员活动证");
	assert_string_equal(zb_mobile_paper_name("certificate"), "证明信");
}

static int validate(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	zb_err e = {0};
	int rc = zb_transfer_rules_validate(j, &e);
	json_decref(j);
	return rc;
}

#define RULE(lm, la, pd, keep, cm, tm)                                                                         \
	"{\"letter_months\":" #lm ",\"letter_months_across_provinces\":" #la ",\"province_depth\":" #pd          \
	",\"stub_keep_years\":" #keep ",\"certificate_months\":" #cm ",\"transfer_months\":" #tm ",\"source\":\"x\"}"

static void test_validator(void **state)
{
	(void)state;
	assert_int_equal(validate(RULE(3, 6, 0, 10, 3, 6)), 0);
	assert_int_equal(validate(RULE(0, 6, 0, 10, 3, 6)), ZB_EINVAL);
	assert_int_equal(validate(RULE(4, 3, 0, 10, 3, 6)), ZB_EINVAL); /* across shorter than within */
	assert_int_equal(validate(RULE(3, 6, 9, 10, 3, 6)), ZB_EINVAL);
	assert_int_equal(validate(RULE(3, 6, 0, 0, 3, 6)), ZB_EINVAL);
	assert_int_equal(validate(RULE(3, 6, 0, 10, 6, 6)), ZB_EINVAL); /* transfer must be longer */
	assert_int_equal(validate("{\"letter_months\":3}"), ZB_EINVAL);
	json_t *j = json_loads(RULE(3, 6, 0, 10, 3, 6), 0, NULL);
	json_object_set_new(j, "extra", json_integer(1));
	zb_err e = {0};
	assert_int_equal(zb_transfer_rules_validate(j, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "extra"));
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
	if (dbfix_open("transfer", &f->db, &f->e))
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

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 0, 0)",
	                           "iIsss", id, parent, path, name, type),
	                 0);
}

static void test_rules_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "committee", "甲镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "甲村党支部");
	org(f, 4, 1, "/1/4/", "committee", "乙镇党委");
	zb_transfer_rules r;
	/* the national default of migration 0030 */
	assert_int_equal(zb_transfer_rules_get(f->db, "/1/2/3/", "2026-01-15", &r, &f->e), 0);
	assert_true(r.set_id > 0);
	assert_int_equal(r.letter_months, 3);
	assert_int_equal(r.letter_months_across, 6);
	assert_int_equal(r.province_depth, 0);
	assert_int_equal(r.stub_keep_years, 10);
	assert_int_equal(r.certificate_months, 3);
	assert_int_equal(r.transfer_months, 6);
	/* a local set at the township from a date: merged over the default */
	json_t *partial = json_loads("{\"letter_months\":2}", 0, NULL);
	int64_t id;
	assert_int_equal(zb_rules_add(f->db, "transfer", 2, "2026-03-01", "甲镇", partial, 1, 0, &id, NULL, &f->e), 0);
	json_decref(partial);
	assert_int_equal(zb_transfer_rules_get(f->db, "/1/2/3/", "2026-02-28", &r, &f->e), 0);
	assert_int_equal(r.letter_months, 3);
	assert_int_equal(zb_transfer_rules_get(f->db, "/1/2/3/", "2026-03-01", &r, &f->e), 0);
	assert_int_equal(r.letter_months, 2);
	assert_int_equal(r.letter_months_across, 6);
	assert_int_equal(zb_transfer_rules_get(f->db, "/1/4/", "2026-03-01", &r, &f->e), 0);
	assert_int_equal(r.letter_months, 3); /* not the neighbour's */
	/* a local set that would break the rule is refused */
	partial = json_loads("{\"letter_months_across_provinces\":1}", 0, NULL);
	assert_int_equal(zb_rules_add(f->db, "transfer", 4, "2026-03-01", "乙镇", partial, 1, 0, &id, NULL, &f->e),
	                 ZB_EINVAL);
	json_decref(partial);
}

static void add_transfer(fx *f, const char *from_path, const char *to_path, const char *status, int64_t member)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO transfers (member_id, direction, status, from_path, to_path, member_name, "
	                           "reason, dues_paid_to, created_at, updated_at) VALUES (?, 'within', ?, ?, ?, '某', "
	                           "'调动', '2026-01', 0, 0)",
	                           "isss", member, status, from_path, to_path),
	                 0);
}

static void test_list_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 5, 1, "/1/5/", "branch", "五村党支部");
	org(f, 50, 1, "/1/50/", "branch", "五十村党支部");
	org(f, 6, 1, "/1/6/", "branch", "六村党支部");
	int64_t m[4];
	for (int i = 0; i < 4; i++)
		assert_int_equal(zb_db_int(f->db, &f->e, &m[i],
		                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
		                           "category, status, created_at, updated_at) VALUES (5, '/1/5/', '某', 'mou', 'm', ?, "
		                           "'full', 'normal', 0, 0) RETURNING id",
		                           "b", "m", (size_t)1),
		                 0);
	add_transfer(f, "/1/5/", "/1/6/", "started", m[0]);
	add_transfer(f, "/1/6/", "/1/5/", "closed", m[1]);
	add_transfer(f, "/1/50/", "/1/6/", "started", m[2]);
	/* one open transfer per member */
	assert_int_not_equal(zb_db_run(f->db, &f->e, NULL,
	                               "INSERT INTO transfers (member_id, direction, status, from_path, member_name, reason, "
	                               "dues_paid_to, created_at, updated_at) VALUES (?, 'out', 'issued', '/1/5/', '某', "
	                               "'x', '2026-01', 0, 0)",
	                               "i", m[0]),
	                     0);
	add_transfer(f, "/1/5/", "/1/6/", "returned", m[0]); /* a returned one is not open */
	zb_transfer *v;
	int n;
	/* /1/5/ from either side, never /1/50/ */
	assert_int_equal(zb_transfer_list(f->db, "/1/5/", 50, &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 3);
	for (int i = 0; i < n; i++)
		assert_true(!strcmp(v[i].from_path, "/1/5/") || !strcmp(v[i].to_path, "/1/5/"));
	assert_true(v[0].id > v[1].id); /* newest first */
	assert_int_equal(zb_transfer_list(f->db, "/1/6/", 2, &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(zb_transfer_list(f->db, "/1/", 50, &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 4);
}

#define DB_TESTS                                                                                          \
	cmocka_unit_test_setup_teardown(test_rules_db, setup, teardown),                                  \
		cmocka_unit_test_setup_teardown(test_list_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_valid_until),
		cmocka_unit_test(test_across),
		cmocka_unit_test(test_mobile_paper),
		cmocka_unit_test(test_validator),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("transfer", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("transfer_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("transfer_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_transfer: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
