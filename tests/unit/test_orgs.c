/* test_orgs.c - dated rule sets, structure warnings at their edges, terms,
 * subtree roll-ups against a recount, moving subtrees.
 *
 * Runs on SQLite (a temporary file) and, when ZB_TEST_PG holds a
 * postgres:// URI (tests/pg.sh), on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "org/after.h"
#include "org/org.h"
#include "org/structure.h"
#include "auth/authz.h"
#include "rules/rules.h"
#include "demo/demo.h"
#include "text/pinyin.h"
#include "store/db.h"
#include "dbfix.h"


typedef struct fx {
	zb_db *db;
	zb_err e;
	zb_arena a;
	int64_t root, town, town2, branch;
} fx;

static int64_t add_org(fx *f, int64_t parent, const char *name, const char *type, const char *domain)
{
	zb_org o = {.name = name, .type = type, .domain = domain};
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_org_insert(f->db, 1000, parent, &o, &id, &f->e);
	if (rc)
		fprintf(stderr, "org insert: %s\n", f->e.msg);
	assert_int_equal(rc, 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return id;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (dbfix_open("orgs", &f->db, &f->e))
		return -1;
	zb_arena_init(&f->a);
	*state = f;
	f->root = add_org(f, 0, "示范县委", "committee", "organ");
	f->town = add_org(f, f->root, "甲镇党委", "committee", "rural");
	f->town2 = add_org(f, f->root, "乙镇党委", "committee", "rural");
	f->branch = add_org(f, f->town, "东村党支部", "branch", "rural");
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_arena_free(&f->a);
	zb_db_close(f->db);
	free(f);
	dbfix_remove();
	return 0;
}

static const char *path_of(fx *f, int64_t id)
{
	zb_org o;
	assert_int_equal(zb_org_get(f->db, id, &f->a, &o, &f->e), 0);
	return o.path;
}

/* A member row as the member domain would write it, with its roll-up. */
static int64_t add_member(fx *f, int64_t org, const char *category, const char *gender, int birth_year,
                          const char *status)
{
	const char *path = path_of(f, org);
	char birth[11], full[11];
	snprintf(birth, sizeof birth, "%04d-05-06", birth_year);
	snprintf(full, sizeof full, "%04d-07-01", birth_year + 25);
	int is_full = !strcmp(category, "full");
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, gender, "
	                           "ethnicity, birth_date, education, category, full_date, status, created_at, updated_at) "
	                           "VALUES (?,?,'测试','ceshi','cs',?,?,'汉族',?,'大学本科',?,?,?,1,1) RETURNING id",
	                           "isbsssss", org, path, (const void *)"k", (size_t)1, gender, birth, category,
	                           is_full ? full : NULL, status),
	                 0);
	zb_member_facts nf;
	assert_int_equal(zb_member_facts_load(f->db, id, &f->a, &nf, &f->e), 0);
	assert_int_equal(zb_org_after_roster_change(f->db, NULL, NULL, &nf, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return id;
}

/* Change a member with SQL and apply the difference, like zb_member_update. */
static void change_member(fx *f, int64_t id, const char *sql, const char *fmt, ...)
{
	(void)fmt;
	zb_member_facts of, nf;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_member_facts_load(f->db, id, &f->a, &of, &f->e), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, sql, "i", id), 0);
	assert_int_equal(zb_member_facts_load(f->db, id, &f->a, &nf, &f->e), 0);
	assert_int_equal(zb_org_after_roster_change(f->db, NULL, &of, &nf, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
}

static int64_t count(fx *f, int64_t org, const char *dim, const char *key)
{
	int64_t n = -1;
	assert_int_equal(zb_counts_get(f->db, org, dim, key, &n, &f->e), 0);
	return n;
}

static void assert_consistent(fx *f)
{
	int64_t bad = -1;
	const char *first = NULL;
	assert_int_equal(zb_org_rollups_verify(f->db, &f->a, &bad, &first, &f->e), 0);
	if (bad)
		fprintf(stderr, "roll-ups differ: %s\n", first ? first : "?");
	assert_int_equal(bad, 0);
}

static int has_warning(fx *f, int64_t org, const char *kind, const char *today, const char **msg)
{
	zb_warning *w;
	int n;
	assert_int_equal(zb_org_warnings(f->db, path_of(f, f->root), today, &f->a, &w, &n, &f->e), 0);
	for (int i = 0; i < n; i++)
		if (w[i].org_id == org && !strcmp(w[i].kind, kind)) {
			if (msg)
				*msg = w[i].message;
			return 1;
		}
	return 0;
}

/* ---- dates ---- */

static void test_dates(void **state)
{
	(void)state;
	char out[11];
	zb_date_add_months("2024-01-31", 1, out);
	assert_string_equal(out, "2024-02-29");
	zb_date_add_months("2023-01-31", 1, out);
	assert_string_equal(out, "2023-02-28");
	zb_date_add_months("2024-03-15", -6, out);
	assert_string_equal(out, "2023-09-15");
	zb_date_add_days("2024-02-28", 2, out);
	assert_string_equal(out, "2024-03-01");
	zb_date_add_days("2025-01-01", -1, out);
	assert_string_equal(out, "2024-12-31");
	assert_int_equal(zb_date_days("2024-03-01") - zb_date_days("2024-02-28"), 2);
	assert_int_equal(zb_date_years_between("2000-05-06", "2024-05-05"), 23);
	assert_int_equal(zb_date_years_between("2000-05-06", "2024-05-06"), 24);
}

/* ---- rules ---- */

static int64_t term_years_for(fx *f, int64_t org, const char *date)
{
	zb_org o;
	assert_int_equal(zb_org_get(f->db, org, &f->a, &o, &f->e), 0);
	zb_rules *rs;
	assert_int_equal(zb_rules_load(f->db, "terms", date, &rs, &f->e), 0);
	const zb_rule_set *s = zb_rules_for(rs, o.path);
	int64_t y = -1;
	if (s && !zb_rule_sub_int(s, "domain_years", o.domain, &y))
		zb_rule_sub_int(s, "years", o.type, &y);
	zb_rules_free(rs);
	return y;
}

static void test_rules_dated(void **state)
{
	fx *f = *state;
	int64_t organ = add_org(f, f->root, "县财政局党支部", "branch", "organ");
	/* 1990 national set: branches 2 years; from 2018: 3, villages 5 */
	assert_int_equal(term_years_for(f, organ, "2010-06-01"), 2);
	assert_int_equal(term_years_for(f, organ, "2018-01-01"), 3);
	assert_int_equal(term_years_for(f, f->branch, "2017-12-31"), 2);
	assert_int_equal(term_years_for(f, f->branch, "2020-01-01"), 5);
	/* before the first national set there is nothing */
	zb_rules *rs;
	assert_int_equal(zb_rules_load(f->db, "terms", "1980-01-01", &rs, &f->e), 0);
	assert_null(zb_rules_for(rs, path_of(f, organ)));
	zb_rules_free(rs);
}

static void test_rules_local_override(void **state)
{
	fx *f = *state;
	int64_t b2 = add_org(f, f->town2, "西村党支部", "branch", "rural");
	json_t *partial = json_pack("{s:{s:i}}", "domain_years", "rural", 4);
	int64_t id = 0;
	char *merged = NULL;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2021-01-01", "甲镇", partial, 1, 0, &id, &merged, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	/* merged over the inherited set: other keys kept */
	assert_non_null(strstr(merged, "\"max_extension_months\":12"));
	assert_non_null(strstr(merged, "\"community\":5"));
	free(merged);
	json_decref(partial);
	assert_int_equal(term_years_for(f, f->branch, "2021-06-01"), 4);  /* local, in force */
	assert_int_equal(term_years_for(f, f->branch, "2020-12-31"), 5);  /* before it */
	assert_int_equal(term_years_for(f, b2, "2021-06-01"), 5);         /* other township */

	/* the nearest ancestor wins over a farther one */
	partial = json_pack("{s:{s:i}}", "domain_years", "rural", 3);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->root, "2021-01-01", "县", partial, 1, 0, &id, NULL, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(partial);
	assert_int_equal(term_years_for(f, f->branch, "2021-06-01"), 4);
	assert_int_equal(term_years_for(f, b2, "2021-06-01"), 3);

	/* validation by kind, naming the data field */
	partial = json_pack("{s:i}", "max_extension_months", 99);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2022-01-01", "x", partial, 1, 0, &id, NULL, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "data");
	zb_db_rollback(f->db);
	json_decref(partial);
	partial = json_pack("{s:i,s:i}", "branch_max_members", 40, "bogus", 1);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "org_structure", f->town, "2022-01-01", "x", partial, 1, 0, &id, NULL, &f->e),
	                 ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "bogus"));
	zb_db_rollback(f->db);
	json_decref(partial);
	/* same kind, org and date twice */
	partial = json_pack("{s:{s:i}}", "domain_years", "rural", 4);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2021-01-01", "dup", partial, 1, 0, &id, NULL, &f->e),
	                 ZB_ECONFLICT);
	zb_db_rollback(f->db);
	json_decref(partial);
}

/* ---- warnings at the edges ---- */

static void test_warn_max_members(void **state)
{
	fx *f = *state;
	for (int i = 0; i < 50; i++)
		add_member(f, f->branch, "full", i % 2 ? "M" : "F", 1970, "normal");
	assert_false(has_warning(f, f->branch, "over_max", "2024-06-01", NULL));
	assert_int_equal(count(f, f->root, "warn", "over_max"), 0);
	/* removed members are not on the roll and do not count */
	int64_t gone = add_member(f, f->branch, "full", "M", 1950, "deceased");
	assert_false(has_warning(f, f->branch, "over_max", "2024-06-01", NULL));
	int64_t last = add_member(f, f->branch, "probationary", "F", 2000, "normal");
	const char *msg = NULL;
	assert_true(has_warning(f, f->branch, "over_max", "2024-06-01", &msg));
	assert_non_null(strstr(msg, "51"));
	assert_non_null(strstr(msg, "50"));
	assert_non_null(strstr(msg, "支部工作条例"));
	/* the roll-up counts it for every ancestor */
	assert_int_equal(count(f, f->root, "warn", "over_max"), 1);
	assert_int_equal(count(f, f->town, "warn", "over_max"), 1);
	assert_int_equal(count(f, f->town2, "warn", "over_max"), 0);
	/* back to 50 */
	change_member(f, last, "UPDATE members SET status = 'removed' WHERE id = ?", "i");
	assert_false(has_warning(f, f->branch, "over_max", "2024-06-01", NULL));
	assert_int_equal(count(f, f->root, "warn", "over_max"), 0);
	(void)gone;
	assert_consistent(f);
}

static void test_warn_committee(void **state)
{
	fx *f = *state;
	int64_t ids[7];
	for (int i = 0; i < 6; i++)
		ids[i] = add_member(f, f->branch, "full", "M", 1980, "normal");
	add_member(f, f->branch, "probationary", "F", 1999, "normal");
	/* 6 full members: a secretary is enough */
	assert_false(has_warning(f, f->branch, "no_committee", "2024-06-01", NULL));
	assert_true(has_warning(f, f->branch, "no_secretary", "2024-06-01", NULL));
	ids[6] = add_member(f, f->branch, "full", "F", 1985, "normal");
	const char *msg = NULL;
	assert_true(has_warning(f, f->branch, "no_committee", "2024-06-01", &msg));
	assert_non_null(strstr(msg, "7"));
	assert_int_equal(count(f, f->root, "warn", "no_committee"), 1);
	/* three posts make a committee */
	static const char *const posts[] = {"secretary", "organization", "propaganda"};
	for (int i = 0; i < 3; i++) {
		zb_post p = {.org_id = f->branch, .member_id = ids[i], .post = posts[i], .started_on = "2023-03-01"};
		int64_t pid;
		assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
		assert_int_equal(zb_committee_add(f->db, &p, "2024-06-01", 1, &pid, &f->e), 0);
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	}
	assert_false(has_warning(f, f->branch, "no_committee", "2024-06-01", NULL));
	assert_false(has_warning(f, f->branch, "no_secretary", "2024-06-01", NULL));
	assert_int_equal(count(f, f->root, "warn", "no_committee"), 0);
	/* (the county and township committees above have no 书记 recorded:
	 * they warn for themselves, the branch no longer does) */
	assert_int_equal(count(f, f->branch, "warn", "no_secretary"), 0);
	assert_int_equal(count(f, f->root, "warn", "no_secretary"), 3);
	/* a second current secretary is refused */
	zb_post p2 = {.org_id = f->branch, .member_id = ids[4], .post = "secretary", .started_on = "2023-03-01"};
	int64_t pid;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_committee_add(f->db, &p2, "2024-06-01", 1, &pid, &f->e), ZB_ECONFLICT);
	zb_db_rollback(f->db);
	/* a committee over the cap of 7 */
	static const char *const more[] = {"deputy_secretary", "discipline", "youth", "united_front", "secrecy"};
	int64_t extra[5];
	for (int i = 0; i < 5; i++)
		extra[i] = add_member(f, f->branch, "full", "M", 1975, "normal");
	for (int i = 0; i < 5; i++) {
		zb_post p = {.org_id = f->branch, .member_id = extra[i], .post = more[i], .started_on = "2023-03-01"};
		assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
		assert_int_equal(zb_committee_add(f->db, &p, "2024-06-01", 1, &pid, &f->e), 0);
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		if (i == 2) /* 6 people: over the usual 5 */
			assert_true(has_warning(f, f->branch, "committee_too_big", "2024-06-01", NULL));
	}
	assert_true(has_warning(f, f->branch, "committee_over_cap", "2024-06-01", NULL));
	assert_false(has_warning(f, f->branch, "committee_too_big", "2024-06-01", NULL));
	assert_consistent(f);
}

static void test_warn_no_branch_and_units(void **state)
{
	fx *f = *state;
	/* members directly under a 党委 with no branch below */
	int64_t c = add_org(f, f->root, "县科协党委", "committee", "organ");
	add_member(f, c, "full", "M", 1970, "normal");
	add_member(f, c, "full", "M", 1970, "normal");
	assert_false(has_warning(f, c, "no_branch", "2024-06-01", NULL));
	add_member(f, c, "full", "F", 1970, "normal");
	assert_true(has_warning(f, c, "no_branch", "2024-06-01", NULL));
	add_org(f, c, "县科协机关党支部", "branch", "organ");
	assert_false(has_warning(f, c, "no_branch", "2024-06-01", NULL));

	/* an economic unit with 3 full members not covered by its own branch */
	int64_t joint = add_org(f, f->town, "甲镇非公企业联合党支部", "joint_branch", "private");
	zb_unit u = {.name = "甲镇某公司", .kind = "enterprise", .coverage = "none", .org_id = f->town, .party_members = 3,
	             .full_members = 3};
	int64_t uid;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_unit_insert(f->db, &u, 1, &uid, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	const char *msg;
	assert_true(has_warning(f, f->town, "unit_no_branch", "2024-06-01", &msg));
	assert_non_null(strstr(msg, "甲镇某公司"));
	/* five units in a joint branch is the limit, six is over */
	for (int i = 0; i < 6; i++) {
		char name[40];
		snprintf(name, sizeof name, "联合企业%d", i);
		zb_unit j = {.name = name, .kind = "enterprise", .coverage = "joint", .covering_org_id = joint, .org_id = f->town,
		             .party_members = 1, .full_members = 1};
		assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
		assert_int_equal(zb_unit_insert(f->db, &j, 1, &uid, &f->e), 0);
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		assert_int_equal(has_warning(f, joint, "joint_too_many_units", "2024-06-01", NULL), i >= 5);
	}
	/* joint coverage must name a joint branch */
	zb_unit bad = {.name = "错误", .kind = "enterprise", .coverage = "joint", .covering_org_id = f->branch, .org_id = f->town};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_unit_insert(f->db, &bad, 1, &uid, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "covering_org_id");
	zb_db_rollback(f->db);
	assert_int_equal(count(f, f->root, "unit", "enterprise"), 7);
	assert_int_equal(count(f, f->root, "unit_cov", "enterprise/joint"), 6);
	assert_consistent(f);
}

static void test_rule_change_mid_year(void **state)
{
	fx *f = *state;
	for (int i = 0; i < 45; i++)
		add_member(f, f->branch, "full", "M", 1960, "normal");
	/* the township lowers the branch limit to 40 from 1 July */
	json_t *partial = json_pack("{s:i}", "branch_max_members", 40);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "org_structure", f->town, "2024-07-01", "甲镇", partial, 1, 0, &id, NULL, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(partial);
	const char *msg;
	assert_false(has_warning(f, f->branch, "over_max", "2024-06-30", NULL));
	assert_true(has_warning(f, f->branch, "over_max", "2024-07-01", &msg));
	assert_non_null(strstr(msg, "45"));
	assert_non_null(strstr(msg, "40"));
}

/* ---- terms ---- */

static void test_terms(void **state)
{
	fx *f = *state;
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	/* years from the rule: a village branch 5 years from 2018 on */
	assert_int_equal(zb_term_add(f->db, f->branch, "2020-03-15", 0, NULL, "election", NULL, 1, 0, &id, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	zb_term t;
	int found;
	assert_int_equal(zb_term_current(f->db, f->branch, "2024-09-14", &f->a, &t, &found, &f->e), 0);
	assert_true(found);
	assert_int_equal(t.years, 5);
	assert_string_equal(t.ends_on, "2025-03-15");
	assert_string_equal(t.status, "ok");
	assert_int_equal(zb_term_current(f->db, f->branch, "2024-09-15", &f->a, &t, &found, &f->e), 0);
	assert_string_equal(t.status, "due_6m");
	assert_int_equal(zb_term_current(f->db, f->branch, "2025-02-15", &f->a, &t, &found, &f->e), 0);
	assert_string_equal(t.status, "due_1m");
	assert_int_equal(zb_term_current(f->db, f->branch, "2025-03-15", &f->a, &t, &found, &f->e), 0);
	assert_string_equal(t.status, "due_1m");
	assert_int_equal(t.days_left, 0);
	assert_int_equal(zb_term_current(f->db, f->branch, "2025-03-16", &f->a, &t, &found, &f->e), 0);
	assert_string_equal(t.status, "overdue");
	assert_int_equal(t.days_left, -1);
	/* a delayed election may move the end by 12 months at most */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_term_add(f->db, f->town, "2020-01-10", 0, "2026-02-10", NULL, NULL, 1, 0, &id, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "ends_on");
	assert_int_equal(zb_term_add(f->db, f->town, "2020-01-10", 0, "2025-12-10", NULL, NULL, 1, 0, &id, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	/* the roll-up holds the dates the term becomes due and overdue, by
	 * day and by month */
	assert_int_equal(count(f, f->root, "term", "o:2025-03-16"), 1);
	assert_int_equal(count(f, f->root, "term", "a:2024-09-15"), 1);
	assert_int_equal(count(f, f->root, "term", "O:2025-03"), 1);
	/* counts on a day: from the day keys of that month and whole months
	 * before it (the township's own term ends 2025-12-10) */
	static const struct {
		const char *day;
		int overdue, due1, due6;
	} days[] = {
		{"2024-09-14", 0, 0, 0}, {"2024-09-15", 0, 0, 1}, {"2025-02-14", 0, 0, 1}, {"2025-02-15", 0, 1, 0},
		{"2025-03-15", 0, 1, 0}, {"2025-03-16", 1, 0, 0}, {"2025-04-02", 1, 0, 0}, {"2025-06-10", 1, 0, 1},
		{"2025-12-11", 2, 0, 0},
	};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		zb_buf b = {0};
		zb_jw w;
		jw_init(&w, &b);
		assert_int_equal(zb_org_warn_counts_json(f->db, f->root, days[i].day, &w, &f->e), 0);
		assert_int_equal(jw_finish(&w), 0);
		json_t *j = json_loads(b.data, 0, NULL);
		assert_non_null(j);
		json_t *k = json_object_get(j, "by_kind");
		int got[3] = {(int)json_integer_value(json_object_get(k, "term_overdue")),
		              (int)json_integer_value(json_object_get(k, "term_due_1m")),
		              (int)json_integer_value(json_object_get(k, "term_due_6m"))};
		if (got[0] != days[i].overdue || got[1] != days[i].due1 || got[2] != days[i].due6)
			fprintf(stderr, "%s: %s\n", days[i].day, b.data);
		assert_int_equal(got[0], days[i].overdue);
		assert_int_equal(got[1], days[i].due1);
		assert_int_equal(got[2], days[i].due6);
		json_decref(j);
		zb_buf_release(&b);
	}
	assert_consistent(f);
}

/* ---- roll-ups ---- */

static unsigned rnd(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

static void test_counts_random(void **state)
{
	fx *f = *state;
	int64_t orgs[6] = {f->branch, add_org(f, f->town, "南村党支部", "branch", "rural"),
	                   add_org(f, f->town2, "北村党支部", "branch", "rural"),
	                   add_org(f, f->town2, "乙镇机关党支部", "branch", "organ"), 0, 0};
	orgs[4] = add_org(f, f->root, "县医院党总支", "general_branch", "hospital");
	orgs[5] = add_org(f, orgs[4], "内科党支部", "branch", "hospital");
	static const char *const cats[] = {"full", "probationary"};
	static const char *const sts[] = {"normal", "mobile", "lost", "abroad", "removed", "deceased"};
	int64_t ids[300];
	int n = 0;
	unsigned seed = 12345;
#define RND() rnd(&seed)
	for (int step = 0; step < 600; step++) {
		unsigned op = RND() % 10;
		if (n < 20 || op < 4) {
			if (n < 300)
				ids[n++] = add_member(f, orgs[RND() % 6], cats[RND() % 2], RND() % 2 ? "M" : "F",
				                      1940 + (int)(RND() % 60), sts[RND() % 6]);
		} else if (op < 6) {
			char sql[200];
			snprintf(sql, sizeof sql, "UPDATE members SET status = '%s', category = '%s' WHERE id = ?", sts[RND() % 6],
			         cats[RND() % 2]);
			change_member(f, ids[RND() % (unsigned)n], sql, "i");
		} else if (op < 8) {
			/* move a member to another branch */
			int64_t to = orgs[RND() % 6];
			char sql[300];
			snprintf(sql, sizeof sql, "UPDATE members SET org_id = %lld, org_path = '%s' WHERE id = ?", (long long)to,
			         path_of(f, to));
			change_member(f, ids[RND() % (unsigned)n], sql, "i");
		} else {
			char sql[200];
			snprintf(sql, sizeof sql, "UPDATE members SET birth_date = '%d-01-02', ethnicity = '%s' WHERE id = ?",
			         1930 + (int)(RND() % 70), RND() % 3 ? "汉族" : "回族");
			change_member(f, ids[RND() % (unsigned)n], sql, "i");
		}
	}
#undef RND
	assert_consistent(f);
	/* the root's totals equal a direct count */
	int64_t direct = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &direct,
	                           "SELECT COUNT(*) FROM members WHERE status NOT IN ('removed', 'deceased')", ""),
	                 0);
	assert_int_equal(count(f, f->root, "total", ""), direct);
	char upper[64];
	zb_path_upper(path_of(f, f->town2), upper, sizeof upper);
	assert_int_equal(zb_db_int(f->db, &f->e, &direct,
	                           "SELECT COUNT(*) FROM members WHERE status NOT IN ('removed', 'deceased') AND "
	                           "gender = 'F' AND org_path >= ? AND org_path < ?",
	                           "ss", path_of(f, f->town2), upper),
	                 0);
	assert_int_equal(count(f, f->town2, "gender", "F"), direct);
	/* rebuilding gives the same rows */
	assert_int_equal(zb_org_rollups_rebuild(f->db, &f->e), 0);
	assert_consistent(f);

	/* a corrupted counter is noticed */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE org_counts SET n = n + 1 WHERE org_id = ? AND dim = 'total'",
	                           "i", f->root),
	                 0);
	int64_t bad = 0;
	assert_int_equal(zb_org_rollups_verify(f->db, &f->a, &bad, NULL, &f->e), 0);
	assert_int_equal(bad, 1);
}

/* The bulk form: many member writes per transaction, their roll-up
 * changes summed in an accumulator and flushed once per transaction (the
 * roster import), give the same roll-ups and warnings as a recount -
 * inserts, changes, moves and deletes (an import taken back). */
static void test_counts_bulk(void **state)
{
	fx *f = *state;
	int64_t orgs[4] = {f->branch, add_org(f, f->town, "南村党支部", "branch", "rural"),
	                   add_org(f, f->town2, "北村党支部", "branch", "rural"), 0};
	orgs[3] = add_org(f, orgs[1], "第一党小组", "group", "rural");
	static const char *const cats[] = {"full", "probationary"};
	static const char *const sts[] = {"normal", "mobile", "removed"};
	zb_counts_acc *acc = zb_counts_acc_new();
	assert_non_null(acc);
	int64_t ids[400];
	int n = 0, alive[400];
	unsigned seed = 777;
	for (int chunk = 0; chunk < 12; chunk++) {
		assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
		for (int k = 0; k < 30; k++) {
			unsigned op = rnd(&seed) % 10;
			if (n < 10 || op < 5) {
				int64_t org = orgs[rnd(&seed) % 4];
				char birth[11];
				snprintf(birth, sizeof birth, "%04d-05-06", 1940 + (int)(rnd(&seed) % 60));
				assert_int_equal(zb_db_int(f->db, &f->e, &ids[n],
				                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, "
				                           "sort_key, gender, birth_date, category, full_date, status, created_at, "
				                           "updated_at) VALUES (?,?,'批量','piliang','pl',?,?,?,?,?,?,1,1) RETURNING id",
				                           "isbsssss", org, path_of(f, org), (const void *)"k", (size_t)1,
				                           rnd(&seed) % 2 ? "M" : "F", birth, cats[rnd(&seed) % 2], "2001-07-01",
				                           sts[rnd(&seed) % 3]),
				                 0);
				zb_member_facts nf;
				assert_int_equal(zb_member_facts_load(f->db, ids[n], &f->a, &nf, &f->e), 0);
				assert_int_equal(zb_org_after_roster_change(f->db, acc, NULL, &nf, &f->e), 0);
				alive[n++] = 1;
				continue;
			}
			int i = (int)(rnd(&seed) % (unsigned)n);
			if (!alive[i])
				continue;
			zb_member_facts of, nf;
			assert_int_equal(zb_member_facts_load(f->db, ids[i], &f->a, &of, &f->e), 0);
			if (op < 7) {
				int64_t to = orgs[rnd(&seed) % 4];
				assert_int_equal(zb_db_run(f->db, &f->e, NULL,
				                           "UPDATE members SET org_id = ?, org_path = ?, status = ? WHERE id = ?", "issi",
				                           to, path_of(f, to), sts[rnd(&seed) % 3], ids[i]),
				                 0);
				assert_int_equal(zb_member_facts_load(f->db, ids[i], &f->a, &nf, &f->e), 0);
				assert_int_equal(zb_org_after_roster_change(f->db, acc, &of, &nf, &f->e), 0);
			} else {
				assert_int_equal(zb_db_run(f->db, &f->e, NULL, "DELETE FROM members WHERE id = ?", "i", ids[i]), 0);
				assert_int_equal(zb_org_after_roster_change(f->db, acc, &of, NULL, &f->e), 0);
				alive[i] = 0;
			}
		}
		assert_int_equal(zb_org_after_roster_flush(f->db, acc, &f->e), 0);
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		assert_consistent(f);
	}
	/* an empty flush writes nothing and fails nothing */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_after_roster_flush(f->db, acc, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	zb_counts_acc_free(acc);
	int64_t direct = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &direct,
	                           "SELECT COUNT(*) FROM members WHERE status NOT IN ('removed', 'deceased')", ""),
	                 0);
	assert_int_equal(count(f, f->root, "total", ""), direct);
	assert_consistent(f);
}

static void test_move_subtree(void **state)
{
	fx *f = *state;
	int64_t g = add_org(f, f->branch, "第一党小组", "group", "rural");
	for (int i = 0; i < 12; i++)
		add_member(f, f->branch, i < 10 ? "full" : "probationary", "M", 1970 + i, "normal");
	int64_t t2 = count(f, f->town2, "total", ""), t1 = count(f, f->town, "total", "");
	assert_int_equal(t1, 12);
	assert_int_equal(count(f, f->town, "warn", "no_committee"), 1);
	/* into its own subtree: refused */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_move(f->db, f->town, f->branch, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "parent_id");
	zb_db_rollback(f->db);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_move(f->db, f->branch, f->town2, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	char want[64];
	snprintf(want, sizeof want, "%s%lld/", path_of(f, f->town2), (long long)f->branch);
	assert_string_equal(path_of(f, f->branch), want);
	snprintf(want, sizeof want, "%s%lld/%lld/", path_of(f, f->town2), (long long)f->branch, (long long)g);
	assert_string_equal(path_of(f, g), want);
	zb_org go;
	assert_int_equal(zb_org_get(f->db, g, &f->a, &go, &f->e), 0);
	assert_int_equal(go.depth, 3);
	int64_t stale = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &stale, "SELECT COUNT(*) FROM members WHERE org_path <> ?", "s",
	                           path_of(f, f->branch)),
	                 0);
	assert_int_equal(stale, 0);
	assert_int_equal(count(f, f->town, "total", ""), 0);
	assert_int_equal(count(f, f->town2, "total", ""), t2 + 12);
	assert_int_equal(count(f, f->root, "total", ""), 12);
	assert_int_equal(count(f, f->town, "warn", "no_committee"), 0);
	assert_int_equal(count(f, f->town2, "warn", "no_committee"), 1);
	assert_int_equal(count(f, f->town2, "org_type", "group"), 1);
	assert_consistent(f);
	/* dissolving needs an empty org */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_dissolve(f->db, f->branch, "2024-01-01", "合并", &f->e), ZB_ECONFLICT);
	zb_db_rollback(f->db);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_dissolve(f->db, g, "2024-01-01", "合并", &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(count(f, f->root, "org_type", "group"), 0);
	assert_consistent(f);
}

/* The demo builds a name's pinyin from its characters' pinyin; that must
 * equal what the member domain derives from the whole name. */
static void py(const char *s, char *full, char *ini)
{
	zb_buf f = {0}, i = {0};
	assert_int_equal(zb_pinyin(s, &f, &i), 0);
	snprintf(full, 64, "%s", f.data ? f.data : "");
	snprintf(ini, 16, "%s", i.data ? i.data : "");
	zb_buf_release(&f);
	zb_buf_release(&i);
}

/* The step a roster write sets off (org/after.c): the counts, then the
 * warnings that read them.  counts.c alone leaves the warnings as they
 * were; the second half of the step brings them up to date. */
static void test_after_roster_change(void **state)
{
	fx *f = *state;
	assert_int_equal(count(f, f->root, "warn", "branch_too_few_full"), 1);
	int64_t ids[3];
	for (int i = 0; i < 3; i++)
		ids[i] = add_member(f, f->branch, "full", "M", 1970 + i, "normal");
	assert_int_equal(count(f, f->root, "warn", "branch_too_few_full"), 0);
	assert_consistent(f);

	/* the counts alone: the branch is down to 2 full members, its
	 * warning roll-up still says otherwise */
	zb_member_facts of, nf;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_member_facts_load(f->db, ids[0], &f->a, &of, &f->e), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE members SET status = 'removed' WHERE id = ?", "i", ids[0]), 0);
	assert_int_equal(zb_member_facts_load(f->db, ids[0], &f->a, &nf, &f->e), 0);
	assert_true(zb_counts_totals_changed(&of, &nf));
	assert_int_equal(zb_org_counts_apply(f->db, &of, &nf, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(count(f, f->branch, "category", "full"), 2);
	assert_int_equal(count(f, f->root, "warn", "branch_too_few_full"), 0);
	int64_t bad = 0;
	assert_int_equal(zb_org_rollups_verify(f->db, &f->a, &bad, NULL, &f->e), 0);
	assert_true(bad > 0);

	/* the warnings of the member's org, as the step runs them */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_warn_refresh_member_org(f->db, f->branch, f->town, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(count(f, f->root, "warn", "branch_too_few_full"), 1);
	assert_consistent(f);

	/* the whole step: back to 3 */
	change_member(f, ids[0], "UPDATE members SET status = 'normal' WHERE id = ?", "i");
	assert_int_equal(count(f, f->root, "warn", "branch_too_few_full"), 0);
	assert_consistent(f);
}

static void test_demo_pinyin(void **state)
{
	(void)state;
	const char *const *lists[2] = {zb_demo_given_m, zb_demo_given_f};
	for (int s = 0; zb_demo_surnames[s].s; s++) {
		char sf[64], si[16];
		py(zb_demo_surnames[s].s, sf, si);
		for (int l = 0; l < 2; l++)
			for (int g = 0; lists[l][g]; g++) {
				char gf[64], gi[16], name[32], whole[64], wi[16], cat[200], cati[64];
				py(lists[l][g], gf, gi);
				snprintf(name, sizeof name, "%s%s%s", zb_demo_surnames[s].s, lists[l][g], lists[l][g]);
				py(name, whole, wi);
				snprintf(cat, sizeof cat, "%s%s%s", sf, gf, gf);
				snprintf(cati, sizeof cati, "%s%s%s", si, gi, gi);
				assert_string_equal(whole, cat);
				assert_string_equal(wi, cati);
			}
	}
}

#define TESTS                                                                                   \
	cmocka_unit_test(test_dates),                                                           \
	cmocka_unit_test(test_demo_pinyin),                                                     \
	cmocka_unit_test_setup_teardown(test_rules_dated, setup, teardown),                     \
	cmocka_unit_test_setup_teardown(test_rules_local_override, setup, teardown),            \
	cmocka_unit_test_setup_teardown(test_warn_max_members, setup, teardown),                \
	cmocka_unit_test_setup_teardown(test_warn_committee, setup, teardown),                  \
	cmocka_unit_test_setup_teardown(test_warn_no_branch_and_units, setup, teardown),        \
	cmocka_unit_test_setup_teardown(test_rule_change_mid_year, setup, teardown),            \
	cmocka_unit_test_setup_teardown(test_terms, setup, teardown),                           \
	cmocka_unit_test_setup_teardown(test_counts_random, setup, teardown),                   \
	cmocka_unit_test_setup_teardown(test_counts_bulk, setup, teardown),                     \
	cmocka_unit_test_setup_teardown(test_after_roster_change, setup, teardown),             \
	cmocka_unit_test_setup_teardown(test_move_subtree, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest tests[] = {TESTS};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("orgs_sqlite", tests, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("orgs_pg", tests, NULL, NULL);
	} else {
		fprintf(stderr, "test_orgs: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
