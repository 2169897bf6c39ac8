/* test_recruit_views.c - the county's views of 发展党员: the funnel against
 * the rows it counts, and the alerts of the open pipelines at their edge
 * dates (the day a thing is due and the day after), with a fixed "today".
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

#include "core/log.h"
#include "org/org.h"
#include "org/structure.h"
#include "recruit/alerts.h"
#include "recruit/funnel.h"
#include "store/db.h"
#include "dbfix.h"

typedef struct fx {
	zb_db *db;
	zb_err e;
	zb_arena a;
	int64_t root, town, town2, b1, b2, b3;
	const char *root_path;
} fx;

static int64_t add_org(fx *f, int64_t parent, const char *name, const char *type)
{
	zb_org o = {.name = name, .type = type, .domain = "rural"};
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_org_insert(f->db, 1000, parent, &o, &id, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	return id;
}

static const char *path_of(fx *f, int64_t id)
{
	zb_org o;
	assert_int_equal(zb_org_get(f->db, id, &f->a, &o, &f->e), 0);
	return o.path;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (dbfix_open("recruit_views", &f->db, &f->e))
		return -1;
	zb_arena_init(&f->a);
	*state = f;
	f->root = add_org(f, 0, "示范县委", "committee");
	f->town = add_org(f, f->root, "甲镇党委", "committee");
	f->town2 = add_org(f, f->root, "乙镇党委", "committee");
	f->b1 = add_org(f, f->town, "东村党支部", "branch");
	f->b2 = add_org(f, f->town, "西村党支部", "branch");
	f->b3 = add_org(f, f->town2, "南村党支部", "branch");
	f->root_path = path_of(f, f->root);
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

/* An applicant at branch org with the steps "N:YYYY-MM-DD[:facts]" (a
 * NULL-terminated list); closed NULL for an open one. */
static int64_t add_applicant(fx *f, int64_t org, const char *name, const char *gender, const char *birth,
                             const char *education, const char *source, const char *stage, const char *closed,
                             const char *const *steps)
{
	int64_t id;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO applicants (org_id, org_path, name, name_pinyin, gender, birth_date, "
	                           "education, source, applied_on, stage, step, step_on, closed, created_at, updated_at) "
	                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1, 1) RETURNING id",
	                           "isssssssssss", org, path_of(f, org), name, name, gender, birth, education, source,
	                           steps[0] + 2, stage, steps[0] + 2, closed),
	                 0);
	for (int i = 0; steps[i]; i++) {
		const char *d = strchr(steps[i], ':') + 1;
		char day[11];
		memcpy(day, d, 10);
		day[10] = 0;
		const char *facts = d[10] == ':' ? d + 11 : "{}";
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO applicant_steps (applicant_id, step, done_on, facts, recorded_at) "
		                           "VALUES (?, ?, ?, ?, 1)",
		                           "iiss", id, (int64_t)atoi(steps[i]), day, facts),
		                 0);
	}
	return id;
}

static void test_age_bands(void **state)
{
	(void)state;
	assert_int_equal(zb_rf_age_band(-1), 5);
	assert_int_equal(zb_rf_age_band(18), 0);
	assert_int_equal(zb_rf_age_band(24), 0);
	assert_int_equal(zb_rf_age_band(25), 1);
	assert_int_equal(zb_rf_age_band(34), 1);
	assert_int_equal(zb_rf_age_band(35), 2);
	assert_int_equal(zb_rf_age_band(44), 2);
	assert_int_equal(zb_rf_age_band(45), 3);
	assert_int_equal(zb_rf_age_band(54), 3);
	assert_int_equal(zb_rf_age_band(55), 4);
	assert_int_equal(zb_rf_age_band(90), 4);
	assert_string_equal(zb_rf_age_code(4), "55+");
}

static int key_n(const zb_rfkeys *k, const char *key)
{
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].key, key))
			return k->v[i].n;
	return 0;
}

static void test_funnel(void **state)
{
	fx *f = *state;
	/* b1: applied 2025, activist and candidate in 2026, plenary 2026-03-10
	 * at 34 (young), approved 2026-05-01 */
	add_applicant(f, f->b1, "甲", "M", "1991-06-01", "大学本科", "graduate", "probationary", NULL,
	              (const char *const[]){"1:2025-01-05", "2:2025-01-20", "3:2025-02-10", "7:2026-02-20",
	                                    "15:2026-03-10", "17:2026-05-01", NULL});
	/* b2: plenary at 35 (not young), approved 2026; a step 24 of 2026 with
	 * outcome extend (not a 转正) */
	add_applicant(f, f->b2, "乙", "F", "1990-06-01", "高中", "returnee", "probationary", NULL,
	              (const char *const[]){"1:2024-01-05", "3:2024-03-01", "7:2025-03-01", "15:2025-06-02",
	                                    "17:2025-07-01", "23:2026-06-03:{\"outcome\":\"extend\"}",
	                                    "24:2026-07-01:{\"outcome\":\"extend\",\"extend_months\":6}", NULL});
	/* b3 (other town): applied 2026 at 24, 转正 in 2026 of an older case,
	 * closed as done */
	add_applicant(f, f->b3, "丙", "M", "2002-03-01", NULL, "young_farmer", "applicant", NULL,
	              (const char *const[]){"1:2026-04-01", NULL});
	add_applicant(f, f->b3, "丁", "F", NULL, "大专", "veteran", "full", "done",
	              (const char *const[]){"1:2023-01-05", "3:2023-03-01", "15:2024-06-02", "17:2024-07-01",
	                                    "24:2026-06-10:{\"outcome\":\"full\"}", "25:2026-06-20", NULL});
	/* a replaced row does not count: 甲's step 3 of 2026 corrected */
	int64_t rid;
	assert_int_equal(zb_db_int(f->db, &f->e, &rid, "SELECT MAX(id) FROM applicant_steps WHERE step = 3", ""), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO applicant_steps (applicant_id, step, done_on, facts, recorded_at, "
	                           "replaced_by) SELECT applicant_id, 3, '2026-01-01', '{}', 1, ? FROM applicant_steps "
	                           "WHERE id = ?",
	                           "ii", rid, rid),
	                 0);

	zb_rfunnel fn;
	assert_int_equal(zb_recruit_funnel(f->db, f->root, f->root_path, 2026, &f->a, &fn, &f->e), 0);
	assert_int_equal(fn.k[0].count, 1);  /* 丙 */
	assert_int_equal(fn.k[1].count, 0);  /* the corrected step 3 is not current */
	assert_int_equal(fn.k[2].count, 1);  /* 甲 */
	assert_int_equal(fn.k[3].count, 1);  /* 甲 */
	assert_int_equal(fn.k[4].count, 1);  /* 丁: full; 乙's extend is not */
	assert_int_equal(fn.young, 1);
	assert_int_equal(fn.k[0].age[0], 1);                 /* 丙 24 on 2026-04-01 */
	assert_int_equal(fn.k[2].age[1], 1);                 /* 甲 34 */
	assert_int_equal(fn.k[4].age[5], 1);                 /* 丁 without a birth date */
	assert_int_equal(key_n(&fn.k[0].source, "young_farmer"), 1);
	assert_int_equal(key_n(&fn.k[0].education, "unknown"), 1);
	assert_int_equal(key_n(&fn.k[4].gender, "F"), 1);
	assert_int_equal(fn.nchildren, 2);
	assert_int_equal(fn.children[0].org_id, f->town);
	assert_int_equal(fn.children[0].count[2], 1);
	assert_int_equal(fn.children[0].count[4], 0);
	assert_int_equal(fn.children[1].count[0], 1);
	assert_int_equal(fn.children[1].count[4], 1);
	assert_int_equal(fn.open_total, 3);
	assert_int_equal(fn.pipeline[ZB_RS_PROBATIONARY], 2);
	assert_int_equal(fn.pipeline[ZB_RS_APPLICANT], 1);
	assert_int_equal(fn.pipeline[ZB_RS_FULL], 0);

	/* 2025 over the town: 乙's plenary at 35 is not young */
	assert_int_equal(zb_recruit_funnel(f->db, f->town, path_of(f, f->town), 2025, &f->a, &fn, &f->e), 0);
	assert_int_equal(fn.k[0].count, 1);
	assert_int_equal(fn.k[2].count, 1);
	assert_int_equal(fn.k[3].count, 1);
	assert_int_equal(fn.young, 0);
	assert_int_equal(fn.nchildren, 2);
	assert_int_equal(fn.children[1].org_id, f->b2);
	assert_int_equal(fn.children[1].count[3], 1);
}

static const zb_ritem *find(const zb_ritem *v, int n, int kind)
{
	for (int i = 0; i < n; i++)
		if (v[i].kind == kind)
			return &v[i];
	return NULL;
}

static void items_on(fx *f, const char *today, int which, zb_ritem **v, int *n)
{
	assert_int_equal(zb_recruit_items(f->db, f->root_path, today, which, &f->a, v, n, &f->e), 0);
}

static void test_alerts_edges(void **state)
{
	fx *f = *state;
	zb_ritem *v;
	int n;
	/* the talk: applied 2026-01-31, due 2026-02-28 (month-end rule) */
	add_applicant(f, f->b1, "谈", "M", "1995-01-01", NULL, "other", "applicant", NULL,
	              (const char *const[]){"1:2026-01-31", NULL});
	items_on(f, "2026-02-28", ZB_RITEMS_REMINDERS, &v, &n);
	const zb_ritem *t = find(v, n, ZB_RA_TALK_DUE);
	assert_non_null(t);
	assert_string_equal(t->due, "2026-02-28");
	assert_int_equal(t->overdue, 0);
	assert_true(zb_ritem_reminder(t->kind));
	items_on(f, "2026-02-28", ZB_RITEMS_BREAKS, &v, &n);
	assert_null(find(v, n, ZB_RA_TALK_DUE));
	items_on(f, "2026-03-01", ZB_RITEMS_BREAKS, &v, &n);
	t = find(v, n, ZB_RA_TALK_DUE);
	assert_non_null(t);
	assert_int_equal(t->overdue, 1);
	assert_int_equal(t->days, 1);
	assert_string_equal(t->since, "2026-01-31");

	/* the approval: plenary 2026-03-31, due 06-30; past 09-30 a break */
	add_applicant(f, f->b2, "批", "F", "1995-01-01", NULL, "other", "candidate", NULL,
	              (const char *const[]){"1:2024-01-02", "2:2024-01-20", "3:2024-03-01", "4:2024-03-05",
	                                    "5:2024-03-06", "6:2024-09-01", "6:2025-03-01", "7:2025-03-02",
	                                    "8:2025-03-03", "9:2025-03-04", "10:2025-03-05:{\"conclusion\":\"pass\"}",
	                                    "11:2025-03-10", "12:2025-04-01:{\"conclusion\":\"pass\"}",
	                                    "13:2025-05-01:{\"conclusion\":\"pass\"}", "14:2025-05-02", "15:2026-03-31",
	                                    "16:2026-04-10", NULL});
	items_on(f, "2026-06-30", ZB_RITEMS_BREAKS, &v, &n);
	assert_null(find(v, n, ZB_RA_APPROVAL_DUE));
	items_on(f, "2026-06-30", ZB_RITEMS_REMINDERS, &v, &n);
	t = find(v, n, ZB_RA_APPROVAL_DUE);
	assert_non_null(t);
	assert_int_equal(t->step, 17);
	assert_false(zb_ritem_reminder(t->kind)); /* the 党委's: not in the branch calendar */
	items_on(f, "2026-07-01", ZB_RITEMS_BREAKS, &v, &n);
	t = find(v, n, ZB_RA_APPROVAL_DUE);
	assert_non_null(t);
	assert_int_equal(t->broken, 1);
	assert_string_equal(t->since, "2026-03-31");
	items_on(f, "2026-09-30", ZB_RITEMS_BREAKS, &v, &n);
	assert_int_equal(find(v, n, ZB_RA_APPROVAL_DUE)->broken, 1);
	items_on(f, "2026-10-01", ZB_RITEMS_BREAKS, &v, &n);
	t = find(v, n, ZB_RA_APPROVAL_DUE);
	assert_int_equal(t->broken, 2);
	/* most overdue first: the talk (due 02-28) before the approval (06-30) */
	assert_int_equal(n, 2);
	assert_int_equal(v[0].kind, ZB_RA_TALK_DUE);
	assert_int_equal(v[1].kind, ZB_RA_APPROVAL_DUE);

	/* the 预备期: plenary 2025-12-15, ends 2026-12-15; reminded from
	 * 30 days before, over the day after */
	add_applicant(f, f->b3, "转", "M", "1995-01-01", NULL, "other", "probationary", NULL,
	              (const char *const[]){"1:2024-01-02", "3:2024-03-01", "7:2025-03-02", "15:2025-12-15",
	                                    "17:2026-01-10", "18:2026-01-11", "19:2026-01-12", "20:2026-01-13",
	                                    "21:2026-06-01", "21:2026-11-01", NULL});
	items_on(f, "2026-11-14", ZB_RITEMS_REMINDERS, &v, &n);
	assert_null(find(v, n, ZB_RA_PROBATION_ENDING));
	items_on(f, "2026-11-15", ZB_RITEMS_REMINDERS, &v, &n);
	t = find(v, n, ZB_RA_PROBATION_ENDING);
	assert_non_null(t);
	assert_string_equal(t->due, "2026-12-15");
	assert_string_equal(t->since, "2025-12-15");
	items_on(f, "2026-12-15", ZB_RITEMS_BREAKS, &v, &n);
	assert_null(find(v, n, ZB_RA_PROBATION_OVER));
	items_on(f, "2026-12-16", ZB_RITEMS_BREAKS, &v, &n);
	assert_non_null(find(v, n, ZB_RA_PROBATION_OVER));

	/* a flagged imported step is a break; a closed pipeline is not read */
	int64_t id = add_applicant(f, f->b1, "旗", "F", "1995-01-01", NULL, "other", "activist", NULL,
	                           (const char *const[]){"1:2026-01-05", "2:2026-03-20", "3:2026-04-01", NULL});
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "UPDATE applicant_steps SET flag = '入党谈话应在递交申请书后一个月内' "
	                           "WHERE applicant_id = ? AND step = 2",
	                           "i", id),
	                 0);
	items_on(f, "2026-04-02", ZB_RITEMS_BREAKS, &v, &n);
	t = find(v, n, ZB_RA_FLAGGED);
	assert_non_null(t);
	assert_int_equal(t->applicant_id, id);
	assert_int_equal(t->step, 2);
	assert_string_equal(t->due, "2026-03-20");
	items_on(f, "2026-04-02", ZB_RITEMS_REMINDERS, &v, &n);
	assert_null(find(v, n, ZB_RA_FLAGGED));
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE applicants SET closed = 'stopped' WHERE id = ?", "i", id),
	                 0);
	items_on(f, "2026-04-02", ZB_RITEMS_BREAKS, &v, &n);
	assert_null(find(v, n, ZB_RA_FLAGGED));
}

#define TESTS                                                                                       \
	cmocka_unit_test(test_age_bands), cmocka_unit_test_setup_teardown(test_funnel, setup, teardown), \
		cmocka_unit_test_setup_teardown(test_alerts_edges, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest tests[] = {TESTS};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("recruit_views_sqlite", tests, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("recruit_views_pg", tests, NULL, NULL);
	} else {
		fprintf(stderr, "test_recruit_views: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
