/* test_rules_org.c - party rules of organisation structure and terms at
 * their edges (the day before, the day of, the day after; one below, at
 * and one above a number): the month-end date rule, the nesting of the
 * org tree, who may hold a committee post, term lengths and their one-year
 * window, and the structure warnings with the articles they cite.
 * docs/RULES.md "Organisation structure and terms" names each rule.
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

#include "core/date.h"
#include "core/log.h"
#include "org/after.h"
#include "org/org.h"
#include "org/structure.h"
#include "auth/authz.h"
#include "rules/rules.h"
#include "member/member.h"
#include "store/db.h"
#include "dbfix.h"


typedef struct fx {
	zb_db *db;
	zb_err e;
	zb_arena a;
	int64_t root, town, branch, organ;
} fx;

/* Insert an org; returns its id, or 0 with f->e set when refused. */
static int64_t try_org(fx *f, int64_t parent, const char *name, const char *type, const char *domain)
{
	zb_org o = {.name = name, .type = type, .domain = domain};
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_org_insert(f->db, 1000, parent, &o, &id, &f->e);
	if (rc) {
		zb_db_rollback(f->db);
		return 0;
	}
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return id;
}

static int64_t add_org(fx *f, int64_t parent, const char *name, const char *type, const char *domain)
{
	int64_t id = try_org(f, parent, name, type, domain);
	if (!id)
		fprintf(stderr, "org insert: %s\n", f->e.msg);
	assert_true(id > 0);
	return id;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (dbfix_open("rules_org", &f->db, &f->e))
		return -1;
	zb_arena_init(&f->a);
	*state = f;
	f->root = add_org(f, 0, "示范县委", "committee", "organ");
	f->town = add_org(f, f->root, "甲镇党委", "committee", "rural");
	f->branch = add_org(f, f->town, "东村党支部", "branch", "rural");
	f->organ = add_org(f, f->root, "县财政局党支部", "branch", "organ");
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

/* A member as the member domain would write it, with its roll-up.
 * full_date NULL: a probationary member. */
static int64_t add_member(fx *f, int64_t org, const char *name, const char *full_date, const char *status)
{
	const char *path = path_of(f, org);
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, gender, "
	                           "ethnicity, birth_date, education, category, join_date, full_date, status, created_at, "
	                           "updated_at) VALUES (?,?,?,'ceshi','cs',?,'M','汉族','1980-05-06','大学本科',?,'2010-07-01',?,?,1,1) "
	                           "RETURNING id",
	                           "issbsss", org, path, name, (const void *)"k", (size_t)1,
	                           full_date ? "full" : "probationary", full_date, status),
	                 0);
	zb_member_facts nf;
	assert_int_equal(zb_member_facts_load(f->db, id, &f->a, &nf, &f->e), 0);
	assert_int_equal(zb_org_after_roster_change(f->db, NULL, NULL, &nf, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return id;
}

static int64_t add_full(fx *f, int64_t org, const char *name)
{
	return add_member(f, org, name, "2011-07-01", "normal");
}

/* Add a post; returns the zb_err code (0 = added). */
static int try_post(fx *f, int64_t org, int64_t member, const char *post, const char *started, const char *today)
{
	zb_post p = {.org_id = org, .member_id = member, .post = post, .started_on = started};
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_committee_add(f->db, &p, today, 1, &id, &f->e);
	if (rc)
		zb_db_rollback(f->db);
	else
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return rc;
}

static int try_term(fx *f, int64_t org, const char *started, int64_t years, const char *ends, const char **got_end)
{
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_term_add(f->db, org, started, years, ends, "election", NULL, 1, 0, &id, &f->e);
	if (rc) {
		zb_db_rollback(f->db);
		return rc;
	}
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	if (got_end) {
		zb_stmt *st = zb_db_query(f->db, &f->e, "SELECT ends_on FROM org_terms WHERE id = ?", "i", id);
		assert_non_null(st);
		assert_int_equal(zb_stmt_step(st, &f->e), 1);
		*got_end = zb_arena_strdup(&f->a, zb_col_text(st, 0));
		zb_stmt_done(st);
	}
	return 0;
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

static int64_t count(fx *f, int64_t org, const char *dim, const char *key)
{
	int64_t n = -1;
	assert_int_equal(zb_counts_get(f->db, org, dim, key, &n, &f->e), 0);
	return n;
}

/* The roll-ups (warning kinds included) equal a recount. */
static void assert_consistent(fx *f)
{
	int64_t bad = -1;
	const char *first = NULL;
	assert_int_equal(zb_org_rollups_verify(f->db, &f->a, &bad, &first, &f->e), 0);
	if (bad)
		fprintf(stderr, "roll-ups differ: %s\n", first ? first : "?");
	assert_int_equal(bad, 0);
}

/* ---- the month-end rule (民法典 第二百零二条) ---- */

static void test_month_end(void **state)
{
	(void)state;
	char out[11];
	static const struct {
		const char *from;
		int months;
		const char *want;
	} adds[] = {
		{"2024-02-29", 12, "2025-02-28"}, /* no 29 February: the month's last day */
		{"2024-02-29", 48, "2028-02-29"}, /* four years on there is one */
		{"2024-02-29", -12, "2023-02-28"},
		{"2024-02-28", 12, "2025-02-28"},
		{"2024-03-01", 12, "2025-03-01"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-01-31", 1, "2023-02-28"},
		{"2024-03-31", -1, "2024-02-29"},
		{"2024-08-31", 1, "2024-09-30"},
		{"2024-12-31", 2, "2025-02-28"},
		{"2100-02-28", -1200, "2000-02-28"},
		{"2000-02-29", 1200, "2100-02-28"}, /* 2100 is a common year */
	};
	for (size_t i = 0; i < sizeof adds / sizeof adds[0]; i++) {
		zb_date_add_months(adds[i].from, adds[i].months, out);
		if (strcmp(out, adds[i].want))
			fprintf(stderr, "%s %+d months: %s\n", adds[i].from, adds[i].months, out);
		assert_string_equal(out, adds[i].want);
	}
	zb_date_add_years("2024-02-29", 1, out);
	assert_string_equal(out, "2025-02-28");
	zb_date_add_years("2024-02-29", 4, out);
	assert_string_equal(out, "2028-02-29");
	zb_date_add_years("2024-02-29", 5, out);
	assert_string_equal(out, "2029-02-28");
	/* whole years: a year from 29 February is complete on 28 February of
	 * a common year - the day before, the day of, the day after */
	assert_int_equal(zb_date_years_between("2024-02-29", "2025-02-27"), 0);
	assert_int_equal(zb_date_years_between("2024-02-29", "2025-02-28"), 1);
	assert_int_equal(zb_date_years_between("2024-02-29", "2025-03-01"), 1);
	assert_int_equal(zb_date_years_between("2024-02-29", "2028-02-28"), 3);
	assert_int_equal(zb_date_years_between("2024-02-29", "2028-02-29"), 4);
	assert_int_equal(zb_date_years_between("2000-05-06", "2024-05-05"), 23);
	assert_int_equal(zb_date_years_between("2000-05-06", "2024-05-06"), 24);
	assert_int_equal(zb_date_years_between("2000-05-06", "2024-05-07"), 24);
}

/* 政治生日: the anniversary of a 29 February 入党 date is 28 February in a
 * common year, 29 February in a leap year - the day before, of and after. */
static int birthday_on(fx *f, int today, int days, char date[11], int *years)
{
	zb_birthday *b;
	int n;
	assert_int_equal(zb_member_birthdays(f->db, path_of(f, f->root), today, days, 100, &f->a, &b, &n, &f->e), 0);
	if (n) {
		snprintf(date, 11, "%s", b[0].date);
		*years = b[0].years;
	}
	return n;
}

static void test_leap_anniversary(void **state)
{
	fx *f = *state;
	int64_t id = add_full(f, f->branch, "闰日入党");
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE members SET join_date = '2020-02-29' WHERE id = ?", "i", id), 0);
	char date[11] = "";
	int years = 0;
	assert_int_equal(birthday_on(f, 20250227, 0, date, &years), 0);
	assert_int_equal(birthday_on(f, 20250227, 1, date, &years), 1);
	assert_string_equal(date, "2025-02-28");
	assert_int_equal(years, 5);
	assert_int_equal(birthday_on(f, 20250228, 0, date, &years), 1);
	assert_string_equal(date, "2025-02-28");
	assert_int_equal(birthday_on(f, 20250301, 30, date, &years), 0);
	/* a leap year has the day itself */
	assert_int_equal(birthday_on(f, 20280228, 0, date, &years), 0);
	assert_int_equal(birthday_on(f, 20280229, 0, date, &years), 1);
	assert_string_equal(date, "2028-02-29");
	assert_int_equal(years, 8);
	/* a window across New Year; a whole year's window */
	assert_int_equal(birthday_on(f, 20241215, 80, date, &years), 1);
	assert_string_equal(date, "2025-02-28");
	assert_int_equal(birthday_on(f, 20250101, 364, date, &years), 1);
	assert_string_equal(date, "2025-02-28");
	/* party age (党龄) from a 29 February 转正 counts the same way */
	assert_int_equal(zb_member_party_age("2020-02-29", 20250227), 4);
	assert_int_equal(zb_member_party_age("2020-02-29", 20250228), 5);
	assert_int_equal(zb_member_party_age("2020-02-29", 20250301), 5);
	assert_int_equal(zb_member_party_age("2020-02-29", 20280228), 7);
	assert_int_equal(zb_member_party_age("2020-02-29", 20280229), 8);
	/* the same day as zb_date_add_years gives */
	char want[11];
	zb_date_add_years("2020-02-29", 5, want);
	assert_string_equal(want, "2025-02-28");
}

/* ---- nesting of the org tree ---- */

static void expect_refused(fx *f, int64_t id, const char *field, const char *needle)
{
	assert_int_equal(id, 0);
	assert_int_equal(f->e.code, ZB_EINVAL);
	assert_string_equal(f->e.field, field);
	if (needle && !strstr(f->e.msg, needle))
		fprintf(stderr, "message: %s\n", f->e.msg);
	if (needle)
		assert_non_null(strstr(f->e.msg, needle));
}

static int change_type(fx *f, int64_t org, const char *type)
{
	zb_org o;
	assert_int_equal(zb_org_get(f->db, org, &f->a, &o, &f->e), 0);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE orgs SET type = ? WHERE id = ?", "si", type, org), 0);
	int rc = zb_org_after_update(f->db, org, o.type, o.domain, &f->e);
	if (rc)
		zb_db_rollback(f->db);
	else
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return rc;
}

static int move(fx *f, int64_t org, int64_t parent)
{
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_org_move(f->db, org, parent, &f->e);
	if (rc)
		zb_db_rollback(f->db);
	else
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return rc;
}

static void test_nesting(void **state)
{
	fx *f = *state;
	/* create */
	expect_refused(f, try_org(f, f->town, "镇党小组", "group", "rural"), "type", "党委之下不能设党小组");
	expect_refused(f, try_org(f, f->branch, "支部下的支部", "branch", "rural"), "type", "党支部之下不能设党支部");
	expect_refused(f, try_org(f, f->branch, "支部下的联合支部", "joint_branch", "rural"), "type", NULL);
	expect_refused(f, try_org(f, f->branch, "支部下的总支", "general_branch", "rural"), "type", "党支部之下不能设党总支");
	expect_refused(f, try_org(f, f->branch, "支部下的党委", "committee", "rural"), "type", NULL);
	int64_t g = add_org(f, f->branch, "第一党小组", "group", "rural");
	expect_refused(f, try_org(f, g, "小组下的小组", "group", "rural"), "type", "党小组之下不能设党小组");
	int64_t gb = add_org(f, f->town, "南村党总支", "general_branch", "rural");
	expect_refused(f, try_org(f, gb, "总支下的总支", "general_branch", "rural"), "type", "党总支之下不能设党总支");
	expect_refused(f, try_org(f, gb, "总支下的党委", "committee", "rural"), "type", "党总支之下不能设党委");
	expect_refused(f, try_org(f, gb, "总支下的小组", "group", "rural"), "type", NULL);
	int64_t gbb = add_org(f, gb, "南村第一党支部", "branch", "rural");
	add_org(f, gb, "南村联合党支部", "joint_branch", "rural");
	add_org(f, gbb, "南村第一党小组", "group", "rural");
	int64_t jb = add_org(f, f->town, "非公企业联合党支部", "joint_branch", "private");
	add_org(f, jb, "联合支部党小组", "group", "private");
	int64_t tmp = add_org(f, f->town, "项目临时党支部", "temp_branch", "other");
	expect_refused(f, try_org(f, 0, "根党支部", "branch", "organ"), "type", "根组织应为党委");

	/* move */
	assert_int_equal(move(f, f->organ, f->branch), ZB_EINVAL);
	assert_string_equal(f->e.field, "parent_id");
	assert_non_null(strstr(f->e.msg, "党支部之下不能设党支部"));
	assert_int_equal(move(f, g, f->town), ZB_EINVAL);
	assert_string_equal(f->e.field, "parent_id");
	assert_int_equal(move(f, gb, gbb), ZB_EINVAL); /* its own subtree, refused either way */
	int64_t c2 = add_org(f, f->root, "乙镇党委", "committee", "rural");
	assert_int_equal(move(f, c2, gb), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "党总支之下不能设党委"));
	assert_int_equal(move(f, c2, f->town), 0); /* a 党委 under a 党委 */
	assert_int_equal(move(f, g, tmp), 0);          /* a group into another branch */
	assert_int_equal(move(f, f->organ, gb), 0);    /* a branch under a 总支 */

	/* type change: the parent and every sub-org must still fit */
	assert_int_equal(change_type(f, f->branch, "general_branch"), 0); /* no sub-org left */
	assert_int_equal(change_type(f, f->branch, "branch"), 0);
	assert_int_equal(change_type(f, gbb, "general_branch"), ZB_EINVAL); /* holds a 党小组, under a 总支 */
	assert_string_equal(f->e.field, "type");
	assert_int_equal(change_type(f, gb, "branch"), ZB_EINVAL); /* holds 党支部 */
	assert_non_null(strstr(f->e.msg, "下级组织"));
	assert_int_equal(change_type(f, gb, "committee"), 0);
	assert_int_equal(change_type(f, gb, "general_branch"), 0);
	assert_int_equal(change_type(f, jb, "general_branch"), ZB_EINVAL); /* holds a 党小组 */
	assert_int_equal(change_type(f, f->town, "branch"), ZB_EINVAL);
	assert_int_equal(change_type(f, f->root, "general_branch"), ZB_EINVAL); /* a root is a 党委 */
	assert_non_null(strstr(f->e.msg, "根组织应为党委"));
	zb_org o;
	assert_int_equal(zb_org_get(f->db, gbb, &f->a, &o, &f->e), 0);
	assert_string_equal(o.type, "branch"); /* refused changes wrote nothing */
}

/* ---- who may hold a post ---- */

static void test_post_holder(void **state)
{
	fx *f = *state;
	const char *today = "2025-06-01";
	int64_t full = add_full(f, f->branch, "张正式");
	int64_t prob = add_member(f, f->branch, "李预备", NULL, "normal");
	int64_t late = add_member(f, f->branch, "王转正", "2024-07-01", "normal");
	int64_t lost = add_member(f, f->branch, "赵失联", "2011-07-01", "lost");
	int64_t mobile = add_member(f, f->branch, "钱流动", "2011-07-01", "mobile");
	int64_t abroad = add_member(f, f->branch, "孙出国", "2011-07-01", "abroad");
	int64_t elsewhere = add_full(f, f->organ, "周别处");
	/* 预备党员 have no 被选举权: no post at all */
	static const char *const posts[] = {"secretary", "deputy_secretary", "organization", "member"};
	for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
		assert_int_equal(try_post(f, f->branch, prob, posts[i], "2025-01-01", today), ZB_EINVAL);
		assert_string_equal(f->e.field, "member_id");
		assert_non_null(strstr(f->e.msg, "预备党员"));
		assert_non_null(strstr(f->e.msg, "被选举权"));
		assert_non_null(strstr(f->e.msg, "党章第七条"));
	}
	/* a full member, but only from the day of 转正 */
	assert_int_equal(try_post(f, f->branch, late, "organization", "2024-06-30", today), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "2024-07-01 转正"));
	assert_int_equal(try_post(f, f->branch, late, "organization", "2024-07-01", today), 0);
	assert_int_equal(try_post(f, f->branch, late, "propaganda", "2024-07-02", today), 0);
	/* not a member of this org */
	assert_int_equal(try_post(f, f->branch, elsewhere, "member", "2025-01-01", today), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "不是本组织"));
	/* a 党小组 has no committee */
	int64_t g = add_org(f, f->branch, "第一党小组", "group", "rural");
	assert_int_equal(try_post(f, g, full, "secretary", "2025-01-01", today), ZB_EINVAL);
	assert_string_equal(f->e.field, "org_id");
	assert_non_null(strstr(f->e.msg, "党小组组长"));
	/* on the roll and reachable while in office */
	assert_int_equal(try_post(f, f->branch, lost, "member", "2025-01-01", today), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "失联"));
	assert_int_equal(try_post(f, f->branch, abroad, "member", "2025-01-01", today), ZB_EINVAL);
	assert_int_equal(try_post(f, f->branch, mobile, "member", "2025-01-01", today), 0);
	assert_int_equal(try_post(f, f->branch, full, "secretary", "2025-01-01", today), 0);
	/* a post that ended may record someone no longer on the roll */
	zb_post p = {.org_id = f->branch, .member_id = lost, .post = "youth", .started_on = "2015-01-01",
	             .ended_on = "2018-01-01"};
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_committee_add(f->db, &p, today, 1, &id, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	/* a later change may not hand a current post to a 预备党员 */
	zb_post ch = {.member_id = prob};
	zb_post cur;
	zb_post *items;
	int n;
	assert_int_equal(zb_committee_list(f->db, f->branch, 0, &f->a, &items, &n, &f->e), 0);
	cur = items[0];
	assert_string_equal(cur.post, "secretary");
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_committee_update(f->db, cur.id, &ch, ZB_POST_SET_MEMBER, today, 1, &f->e), ZB_EINVAL);
	zb_db_rollback(f->db);
	assert_int_equal(zb_committee_get(f->db, cur.id, &f->a, &cur, &f->e), 0);
	assert_int_equal(cur.member_id, full);
}

/* ---- term lengths and the one-year window ---- */

static void test_term_bounds(void **state)
{
	fx *f = *state;
	const char *end;
	/* village branch: 5 years; other branches 3 (from 2018) */
	assert_int_equal(try_term(f, f->branch, "2020-03-15", 0, NULL, &end), 0);
	assert_string_equal(end, "2025-03-15");
	assert_int_equal(try_term(f, f->organ, "2020-03-15", 0, NULL, &end), 0);
	assert_string_equal(end, "2023-03-15");
	assert_int_equal(try_term(f, f->town, "2020-03-15", 0, NULL, &end), 0);
	assert_string_equal(end, "2025-03-15");
	int64_t gb = add_org(f, f->root, "县医院党总支", "general_branch", "hospital");
	assert_int_equal(try_term(f, gb, "2020-03-15", 0, NULL, &end), 0);
	assert_string_equal(end, "2023-03-15");
	int64_t comm = add_org(f, f->town, "镇区社区党总支", "general_branch", "community");
	assert_int_equal(try_term(f, comm, "2020-03-15", 0, NULL, &end), 0);
	assert_string_equal(end, "2025-03-15");
	/* a length other than the rule's is refused, whichever way */
	assert_int_equal(try_term(f, f->branch, "2020-03-15", 3, NULL, NULL), ZB_EINVAL);
	assert_string_equal(f->e.field, "years");
	assert_non_null(strstr(f->e.msg, "5 年"));
	assert_int_equal(try_term(f, f->branch, "2020-03-15", 6, NULL, NULL), ZB_EINVAL);
	assert_int_equal(try_term(f, f->organ, "2020-03-15", 10, NULL, NULL), ZB_EINVAL);
	assert_int_equal(try_term(f, f->branch, "2020-03-15", 5, NULL, &end), 0);
	/* an end date moves the end by at most 12 months either way */
	static const struct {
		const char *ends;
		int ok;
	} ends[] = {
		{"2024-03-14", 0}, {"2024-03-15", 1}, {"2024-03-16", 1}, /* early election */
		{"2026-03-14", 1}, {"2026-03-15", 1}, {"2026-03-16", 0}, /* delayed election */
	};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		int rc = try_term(f, f->branch, "2020-03-15", 0, ends[i].ends, NULL);
		if (rc != (ends[i].ok ? 0 : ZB_EINVAL))
			fprintf(stderr, "ends_on %s: %s\n", ends[i].ends, f->e.msg);
		assert_int_equal(rc, ends[i].ok ? 0 : ZB_EINVAL);
		if (!ends[i].ok)
			assert_string_equal(f->e.field, "ends_on");
	}
	/* nor can a longer length plus an end date reach past the window */
	assert_int_equal(try_term(f, f->organ, "2020-03-15", 4, "2024-03-15", NULL), ZB_EINVAL);
	/* a term from 29 February ends on 28 February of a common year */
	assert_int_equal(try_term(f, f->organ, "2020-02-29", 0, NULL, &end), 0);
	assert_string_equal(end, "2023-02-28");
	assert_int_equal(try_term(f, f->branch, "2020-02-29", 0, NULL, &end), 0);
	assert_string_equal(end, "2025-02-28");
	assert_int_equal(try_term(f, f->branch, "2020-02-29", 0, "2026-02-28", NULL), 0);
	assert_int_equal(try_term(f, f->branch, "2020-02-29", 0, "2026-03-01", NULL), ZB_EINVAL);

	/* the rule data itself is bounded: at most 5 years, at most 12 months */
	json_t *partial = json_pack("{s:{s:i}}", "years", "branch", 6);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2021-01-01", "x", partial, 1, 0, &id, NULL, &f->e), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "1 到 5"));
	zb_db_rollback(f->db);
	json_decref(partial);
	partial = json_pack("{s:i}", "max_extension_months", 13);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2021-01-01", "x", partial, 1, 0, &id, NULL, &f->e), ZB_EINVAL);
	zb_db_rollback(f->db);
	json_decref(partial);
	/* a township may shorten the window: 6 months */
	partial = json_pack("{s:i}", "max_extension_months", 6);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "terms", f->town, "2021-01-01", "甲镇", partial, 1, 0, &id, NULL, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(partial);
	assert_int_equal(try_term(f, f->branch, "2021-03-15", 0, "2026-09-15", NULL), 0);
	assert_int_equal(try_term(f, f->branch, "2021-03-15", 0, "2026-09-16", NULL), ZB_EINVAL);
}

/* ---- structure warnings ---- */

static void test_warn_branch_size(void **state)
{
	fx *f = *state;
	const char *msg = NULL;
	/* fewer than 3 full members: 2 full and a probationary one */
	assert_true(has_warning(f, f->branch, "branch_too_few_full", "2025-06-01", &msg));
	assert_non_null(strstr(msg, "第四条"));
	assert_non_null(strstr(msg, "第五条"));
	add_full(f, f->branch, "甲");
	add_full(f, f->branch, "乙");
	add_member(f, f->branch, "丙预备", NULL, "normal");
	assert_true(has_warning(f, f->branch, "branch_too_few_full", "2025-06-01", &msg));
	assert_non_null(strstr(msg, "只有 2 名"));
	assert_int_equal(count(f, f->town, "warn", "branch_too_few_full"), 1);
	int64_t third = add_full(f, f->branch, "丁");
	assert_false(has_warning(f, f->branch, "branch_too_few_full", "2025-06-01", NULL));
	assert_int_equal(count(f, f->town, "warn", "branch_too_few_full"), 0);
	/* members placed in a 党小组 count for its branch */
	int64_t g = add_org(f, f->organ, "财政局第一党小组", "group", "organ");
	for (int i = 0; i < 3; i++)
		add_full(f, g, "小组成员");
	assert_false(has_warning(f, f->organ, "branch_too_few_full", "2025-06-01", NULL));
	assert_false(has_warning(f, g, "branch_too_few_full", "2025-06-01", NULL));
	(void)third;
	assert_consistent(f);
}

static void test_warn_small_branch_posts(void **state)
{
	fx *f = *state;
	const char *today = "2025-06-01", *msg = NULL;
	int64_t m[7];
	for (int i = 0; i < 6; i++)
		m[i] = add_full(f, f->branch, "党员");
	/* 6 full members: a 书记 and one 副书记, nothing more */
	assert_int_equal(try_post(f, f->branch, m[0], "secretary", "2025-01-01", today), 0);
	assert_int_equal(try_post(f, f->branch, m[1], "deputy_secretary", "2025-01-01", today), 0);
	assert_false(has_warning(f, f->branch, "committee_not_allowed", today, NULL));
	assert_int_equal(try_post(f, f->branch, m[2], "deputy_secretary", "2025-01-01", today), 0);
	assert_true(has_warning(f, f->branch, "committee_not_allowed", today, &msg));
	assert_non_null(strstr(msg, "第二十条"));
	assert_non_null(strstr(msg, "副书记 2 名"));
	assert_int_equal(try_post(f, f->branch, m[3], "organization", "2025-01-01", today), 0);
	assert_true(has_warning(f, f->branch, "committee_not_allowed", today, &msg));
	assert_int_equal(count(f, f->root, "warn", "committee_not_allowed"), 1);
	/* the 7th full member allows a committee */
	m[6] = add_full(f, f->branch, "第七名");
	assert_false(has_warning(f, f->branch, "committee_not_allowed", today, NULL));
	assert_false(has_warning(f, f->branch, "no_committee", today, NULL)); /* 4 people */
	assert_false(has_warning(f, f->branch, "committee_not_allowed", today, NULL));
	assert_int_equal(count(f, f->root, "warn", "committee_not_allowed"), 0);
	/* with a committee: one 副书记 at most (必要时可以设1名副书记) */
	assert_true(has_warning(f, f->branch, "too_many_deputies", today, &msg));
	assert_non_null(strstr(msg, "副书记 2 名"));
	zb_post *items;
	int n;
	assert_int_equal(zb_committee_list(f->db, f->branch, 0, &f->a, &items, &n, &f->e), 0);
	for (int i = 0; i < n; i++)
		if (items[i].member_id == m[2]) {
			zb_post end = {.ended_on = today};
			assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
			assert_int_equal(zb_committee_update(f->db, items[i].id, &end, ZB_POST_SET_ENDED, today, 1, &f->e), 0);
			assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		}
	assert_false(has_warning(f, f->branch, "too_many_deputies", today, NULL));
	/* citations of the committee rules */
	for (int i = 0; i < 4; i++)
		add_full(f, f->branch, "党员");
	static const char *const more[] = {"propaganda", "discipline", "youth", "united_front", "secrecy"};
	int64_t extra[5];
	for (int i = 0; i < 5; i++) {
		extra[i] = add_full(f, f->branch, "委员");
		assert_int_equal(try_post(f, f->branch, extra[i], more[i], "2025-01-01", today), 0);
	}
	assert_true(has_warning(f, f->branch, "committee_over_cap", today, &msg));
	assert_non_null(strstr(msg, "第二十条"));
	assert_non_null(strstr(msg, "一般不超过 7 人"));
	assert_consistent(f);
}

static void test_warn_secretary_of_committees(void **state)
{
	fx *f = *state;
	const char *today = "2025-06-01", *msg = NULL;
	int64_t gb = add_org(f, f->town, "南村党总支", "general_branch", "rural");
	assert_true(has_warning(f, f->town, "no_secretary", today, &msg));
	assert_non_null(strstr(msg, "党章第三十一条"));
	assert_true(has_warning(f, gb, "no_secretary", today, NULL));
	assert_true(has_warning(f, f->branch, "no_secretary", today, &msg));
	assert_non_null(strstr(msg, "支部工作条例第二十条"));
	int64_t b = add_org(f, gb, "南村第一党支部", "branch", "rural");
	int64_t s1 = add_full(f, b, "总支书记"), s2 = add_full(f, f->branch, "镇党委书记");
	/* the secretary of a 总支 is elected from its members (the subtree) */
	assert_int_equal(try_post(f, gb, s1, "secretary", "2025-01-01", today), 0);
	assert_false(has_warning(f, gb, "no_secretary", today, NULL));
	assert_int_equal(try_post(f, f->town, s2, "secretary", "2025-01-01", today), 0);
	assert_false(has_warning(f, f->town, "no_secretary", today, NULL));
	assert_int_equal(count(f, f->town, "warn", "no_secretary"), 2); /* 东村 and 南村第一 branches */
	assert_consistent(f);
}

static void add_lecture(fx *f, int64_t org, const char *held_on, const char *speaker)
{
	char ym[8];
	snprintf(ym, sizeof ym, "%.4s%.2s", held_on, held_on + 5);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO meetings (org_id, org_path, type, start_at, held_on, held_ym, speaker, "
	                           "created_at, updated_at) VALUES (?,?,'lecture',1,?,?,?,1,1)",
	                           "issis", org, path_of(f, org), held_on, (int64_t)atoi(ym), speaker),
	                 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
}

static void test_warn_no_lecture(void **state)
{
	fx *f = *state;
	const char *msg = NULL;
	int64_t sec = add_full(f, f->branch, "王书记");
	for (int i = 0; i < 3; i++)
		add_full(f, f->branch, "党员");
	assert_int_equal(try_post(f, f->branch, sec, "secretary", "2023-01-01", "2025-06-01"), 0);
	add_lecture(f, f->branch, "2023-12-31", "王书记");
	add_lecture(f, f->branch, "2025-01-01", "王书记");
	add_lecture(f, f->branch, "2024-06-01", "李老师");   /* someone else */
	add_lecture(f, f->organ, "2024-06-01", "王书记");    /* elsewhere */
	/* 2023 had one: nothing on the last day of 2024 */
	assert_false(has_warning(f, f->branch, "no_lecture", "2024-12-31", NULL));
	/* 2024 had none by him: from the first day of 2025 */
	assert_true(has_warning(f, f->branch, "no_lecture", "2025-01-01", &msg));
	assert_non_null(strstr(msg, "王书记"));
	assert_non_null(strstr(msg, "2024 年"));
	assert_non_null(strstr(msg, "每年至少讲1次党课"));
	/* date-bound: listed for the day, never in the roll-ups */
	assert_int_equal(count(f, f->root, "warn", "no_lecture"), 0);
	/* one on the last day of 2024, in a 党小组 of the branch, counts */
	int64_t g = add_org(f, f->branch, "东村第一党小组", "group", "rural");
	add_lecture(f, g, "2024-12-31", "支部书记王书记");
	assert_false(has_warning(f, f->branch, "no_lecture", "2025-01-01", NULL));
	/* the 1 January 2025 one counts for 2025, none for 2026 */
	assert_false(has_warning(f, f->branch, "no_lecture", "2026-01-01", NULL));
	assert_true(has_warning(f, f->branch, "no_lecture", "2027-01-01", NULL));
	(void)g;

	/* a secretary in office since 2 January did not hold it all year */
	int64_t b2 = add_org(f, f->town, "西村党支部", "branch", "rural");
	int64_t b3 = add_org(f, f->town, "北村党支部", "branch", "rural");
	int64_t s2 = add_full(f, b2, "赵书记"), s3 = add_full(f, b3, "钱书记");
	assert_int_equal(try_post(f, b2, s2, "secretary", "2024-01-02", "2025-06-01"), 0);
	assert_int_equal(try_post(f, b3, s3, "secretary", "2024-01-01", "2025-06-01"), 0);
	assert_false(has_warning(f, b2, "no_lecture", "2025-01-01", NULL));
	assert_true(has_warning(f, b3, "no_lecture", "2025-01-01", NULL));

	/* a township that does not check it (secretary_lectures_per_year 0) */
	json_t *partial = json_pack("{s:i}", "secretary_lectures_per_year", 0);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "org_structure", f->town, "2024-01-01", "甲镇", partial, 1, 0, &id, NULL, &f->e),
	                 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(partial);
	assert_false(has_warning(f, b3, "no_lecture", "2025-01-01", NULL));
	partial = json_pack("{s:i}", "secretary_lectures_per_year", 13);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "org_structure", f->town, "2024-02-01", "x", partial, 1, 0, &id, NULL, &f->e),
	                 ZB_EINVAL);
	zb_db_rollback(f->db);
	json_decref(partial);
	assert_consistent(f);
}

static void test_citations(void **state)
{
	fx *f = *state;
	const char *msg = NULL;
	/* the national sets name their articles */
	zb_rules *rs;
	assert_int_equal(zb_rules_load(f->db, "terms", "2020-01-01", &rs, &f->e), 0);
	const char *src = zb_rule_source(zb_rules_for(rs, NULL));
	assert_non_null(strstr(src, "关于党的基层组织任期的意见"));
	assert_non_null(strstr(src, "选举工作条例第三条"));
	zb_rules_free(rs);
	/* over 50: 第四条; a local limit names the local set too */
	for (int i = 0; i < 51; i++)
		add_full(f, f->organ, "党员");
	assert_true(has_warning(f, f->organ, "over_max", "2025-06-01", &msg));
	assert_non_null(strstr(msg, "支部工作条例第四条"));
	json_t *partial = json_pack("{s:i}", "branch_max_members", 40);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "org_structure", f->town, "2024-07-01", "甲镇规定", partial, 1, 0, &id, NULL,
	                              &f->e),
	                 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(partial);
	for (int i = 0; i < 41; i++)
		add_full(f, f->branch, "党员");
	assert_true(has_warning(f, f->branch, "over_max", "2024-07-01", &msg));
	assert_non_null(strstr(msg, "40"));
	assert_non_null(strstr(msg, "甲镇规定"));
	assert_false(has_warning(f, f->branch, "over_max", "2024-06-30", NULL));
}

#define TESTS                                                                               \
	cmocka_unit_test(test_month_end),                                                   \
	cmocka_unit_test_setup_teardown(test_leap_anniversary, setup, teardown),            \
	cmocka_unit_test_setup_teardown(test_nesting, setup, teardown),                     \
	cmocka_unit_test_setup_teardown(test_post_holder, setup, teardown),                 \
	cmocka_unit_test_setup_teardown(test_term_bounds, setup, teardown),                 \
	cmocka_unit_test_setup_teardown(test_warn_branch_size, setup, teardown),            \
	cmocka_unit_test_setup_teardown(test_warn_small_branch_posts, setup, teardown),     \
	cmocka_unit_test_setup_teardown(test_warn_secretary_of_committees, setup, teardown), \
	cmocka_unit_test_setup_teardown(test_warn_no_lecture, setup, teardown),             \
	cmocka_unit_test_setup_teardown(test_citations, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest tests[] = {TESTS};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("rules_org_sqlite", tests, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("rules_org_pg", tests, NULL, NULL);
	} else {
		fprintf(stderr, "test_rules_org: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
