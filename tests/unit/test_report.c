/* test_report.c - the 党内统计 annual report (report/annual.h) on a small
 * demo county: its totals equal direct counts of the tables, every
 * number's list has that many entries, the workbook reads back through
 * the project's own reader with the same numbers, the bands are the
 * statistics' own, and a bad date is refused in Chinese. */
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
#include "core/log.h"
#include "demo/demo.h"
#include "io/table.h"
#include "meeting/demo.h"
#include "org/structure.h"
#include "recruit/demo.h"
#include "report/annual.h"
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
	zb_report r;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	zb_arena_init(&f->a);
	if (dbfix_open_empty("report", &f->db, &f->e))
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
	zb_recruit_demo_result rr;
	if (zb_init_db(&f->app, f->db, "中共示范县委员会", "SFX", "test", &ir, &f->e) ||
	    zb_demo_generate(&f->app, f->db, &o, &dr, &f->e) || zb_meeting_demo(f->db, &f->app, 7, &f->e) ||
	    zb_recruit_demo(f->db, &f->app, 7, &rr, &f->e) ||
	    zb_report_annual(f->db, 1, f->today, f->today, &f->a, &f->r, &f->e)) {
		fprintf(stderr, "setup: %s\n", f->e.msg);
		return -1;
	}
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

static const zb_report_table *table(const zb_report *r, const char *key)
{
	for (int t = 0; t < r->ntables; t++)
		if (!strcmp(r->tables[t].key, key))
			return &r->tables[t];
	fail_msg("no table %s", key);
	return NULL;
}

static int64_t num(const zb_report *r, const char *tkey, const char *col, int row)
{
	const zb_report_table *T = table(r, tkey);
	for (int c = 0; c < T->ncols; c++)
		if (!strcmp(T->cols[c].key, col))
			return T->n[(size_t)row * (size_t)T->ncols + (size_t)c];
	fail_msg("no column %s.%s", tkey, col);
	return -1;
}

static int64_t count(fx *f, const char *sql, const char *a1, const char *a2)
{
	int64_t n = -1;
	int rc = a2 ? zb_db_int(f->db, &f->e, &n, sql, "ss", a1, a2) : a1 ? zb_db_int(f->db, &f->e, &n, sql, "s", a1)
	                                                               : zb_db_int(f->db, &f->e, &n, sql, "");
	assert_int_equal(rc, 0);
	return n;
}

#define ON_ROLL " status NOT IN ('removed', 'deceased', 'transferred', 'suspended') "

/* The report's totals equal direct counts of the roster, the orgs, the
 * steps and the units. */
static void test_direct_counts(void **state)
{
	fx *f = *state;
	const zb_report *r = &f->r;
	assert_string_equal(r->date, f->today);
	assert_int_equal(r->year, 2026);
	assert_int_equal(r->provisional, 0);
	int64_t total = count(f, "SELECT COUNT(*) FROM members WHERE" ON_ROLL "AND (join_date IS NULL OR join_date <= ?)",
	                      f->today, NULL);
	assert_true(total > 2000);
	assert_int_equal(num(r, "members", "total", 0), total);
	assert_int_equal(num(r, "members", "female", 0),
	                 count(f, "SELECT COUNT(*) FROM members WHERE" ON_ROLL "AND gender = 'F'", NULL, NULL));
	assert_int_equal(num(r, "members", "prob", 0),
	                 count(f, "SELECT COUNT(*) FROM members WHERE" ON_ROLL "AND category = 'probationary'", NULL, NULL));
	assert_int_equal(num(r, "education", "e0", 0),
	                 count(f, "SELECT COUNT(*) FROM members WHERE" ON_ROLL "AND education = '研究生'", NULL, NULL));
	/* a row: the first township, by path */
	const zb_report_row *town = &r->rows[1];
	char like[64];
	snprintf(like, sizeof like, "/1/%lld/%%", (long long)town->org_id);
	assert_int_equal(num(r, "members", "total", 1),
	                 count(f, "SELECT COUNT(*) FROM members WHERE" ON_ROLL "AND org_path LIKE ?", like, NULL));
	assert_int_equal(num(r, "orgs", "total", 0),
	                 count(f, "SELECT COUNT(*) FROM orgs WHERE type <> 'group' AND (dissolved_on IS NULL OR dissolved_on > ?)",
	                       f->today, NULL));
	assert_int_equal(num(r, "orgs", "branch", 0),
	                 count(f, "SELECT COUNT(*) FROM orgs WHERE type = 'branch' AND (dissolved_on IS NULL OR dissolved_on > ?)",
	                       f->today, NULL));
	assert_int_equal(num(r, "recruited", "total", 0),
	                 count(f, "SELECT COUNT(*) FROM applicant_steps WHERE step = 17 AND replaced_by IS NULL "
	                          "AND done_on >= '2026-01-01' AND done_on <= ?",
	                       f->today, NULL));
	assert_true(num(r, "recruited", "total", 0) > 0);
	assert_int_equal(num(r, "coverage", "total", 0), count(f, "SELECT COUNT(*) FROM units", NULL, NULL));
	assert_int_equal(num(r, "coverage", "none", 0),
	                 count(f, "SELECT COUNT(*) FROM units WHERE coverage = 'none'", NULL, NULL));
	/* a date before anything was entered: nothing */
	zb_report old;
	assert_int_equal(zb_report_annual(f->db, 1, "1950-12-31", f->today, &f->a, &old, &f->e), 0);
	assert_int_equal(num(&old, "members", "total", 0), 0);
	assert_int_equal(num(&old, "coverage", "total", 0), 0);
}

/* Every number of the 合计 row lists exactly that many entries. */
static void test_drill_down(void **state)
{
	fx *f = *state;
	const zb_report *r = &f->r;
	int checked = 0;
	for (int t = 0; t < r->ntables; t++) {
		const zb_report_table *T = &r->tables[t];
		for (int c = 0; c < T->ncols; c++) {
			char key[128];
			snprintf(key, sizeof key, "%s.%s.total", T->key, T->cols[c].key);
			zb_arena a;
			zb_arena_init(&a);
			zb_report_cell cell;
			int rc = zb_report_cell_list(f->db, 1, f->today, f->today, key, 0, 100000, &a, &cell, &f->e);
			assert_int_equal(rc, 0);
			assert_int_equal(cell.n, T->n[c]);
			assert_int_equal(cell.nitems, cell.n);
			for (int i = 0; i < cell.nitems; i++)
				assert_non_null(cell.items[i].name);
			zb_arena_free(&a);
			checked++;
		}
	}
	assert_true(checked > 80);
	/* a page of a row's cell */
	char key[128];
	snprintf(key, sizeof key, "members.total.%s", r->rows[1].key);
	zb_report_cell cell;
	assert_int_equal(zb_report_cell_list(f->db, 1, f->today, f->today, key, 5, 3, &f->a, &cell, &f->e), 0);
	assert_int_equal(cell.nitems, 3);
	assert_int_equal(cell.n, num(r, "members", "total", 1));
	assert_int_equal(zb_report_cell_list(f->db, 1, f->today, f->today, "members.total.o999999", 0, 10, &f->a, &cell, &f->e),
	                 ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "没有单元格"));
}

typedef struct sheet {
	int64_t total_row[64];
	int ncells;
	char label[64], title[256];
} sheet;

static int read_row(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	(void)e;
	sheet *s = ctx;
	if (rownum == 1 && ncells > 0 && cells[0])
		snprintf(s->title, sizeof s->title, "%s", cells[0]);
	if (rownum == 6) {
		snprintf(s->label, sizeof s->label, "%s", ncells > 0 && cells[0] ? cells[0] : "");
		for (int i = 1; i < ncells && i <= 64; i++)
			s->total_row[i - 1] = cells[i] ? atoll(cells[i]) : -1;
		s->ncells = ncells - 1;
	}
	return 0;
}

/* The workbook reads back through io/'s reader: the title, the 合计 row
 * of the first sheet equal the report's. */
static void test_xlsx(void **state)
{
	fx *f = *state;
	char path[300];
	snprintf(path, sizeof path, "%s.xlsx", dbfix_path);
	assert_int_equal(zb_report_xlsx(&f->r, path, &f->e), 0);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[4 << 20];
	size_t len = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	unlink(path);
	sheet s;
	memset(&s, 0, sizeof s);
	zb_table_info info;
	assert_int_equal(zb_xlsx_read(buf, len, NULL, read_row, &s, &info, &f->e), 0);
	assert_string_equal(info.sheet, "表1 党员数量及构成");
	assert_non_null(strstr(s.title, "党员数量及构成统计表（2026 年度）"));
	assert_string_equal(s.label, "合计");
	const zb_report_table *T = table(&f->r, "members");
	assert_int_equal(s.ncells, T->ncols);
	for (int c = 0; c < T->ncols; c++)
		assert_int_equal(s.total_row[c], T->n[c]);
}

/* One definition of the bands: the statistics' (org/stats.c). */
static void test_bands(void **state)
{
	(void)state;
	assert_int_equal(zb_stats_band_of(ZB_BAND_AGE, 30), 0);
	assert_int_equal(zb_stats_band_of(ZB_BAND_AGE, 31), 1);
	assert_int_equal(zb_stats_band_of(ZB_BAND_AGE, 71), zb_stats_band_count(ZB_BAND_AGE) - 1);
	assert_int_equal(zb_stats_band_of(ZB_BAND_AGE, -1), -1);
	assert_int_equal(zb_stats_band_of(ZB_BAND_PARTY_AGE, 4), 0);
	assert_int_equal(zb_stats_band_of(ZB_BAND_PARTY_AGE, 5), 1);
	assert_string_equal(zb_stats_band_label(ZB_BAND_PARTY_AGE, 0), "<5");
}

static void test_dates(void **state)
{
	fx *f = *state;
	assert_int_equal(zb_report_check_date("2026-12-31", "2026-11-16", &f->e), 0);
	assert_int_equal(zb_report_check_date("2025-12-31", "2026-11-16", &f->e), 0);
	assert_int_equal(zb_report_check_date("2027-01-01", "2026-11-16", &f->e), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "晚于今年"));
	assert_int_equal(zb_report_check_date("2026-02-29", "2026-11-16", &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "date");
	assert_non_null(strstr(f->e.msg, "无效"));
	assert_int_equal(zb_report_check_date("2026-1-31", "2026-11-16", &f->e), ZB_EINVAL);
	assert_int_equal(zb_report_check_date(NULL, "2026-11-16", &f->e), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "统计截止日期"));
	zb_report r;
	assert_int_equal(zb_report_annual(f->db, 999999, "2025-12-31", f->today, &f->a, &r, &f->e), ZB_ENOTFOUND);
	/* 31 December of this year is allowed, marked provisional */
	assert_int_equal(zb_report_annual(f->db, 1, "2026-12-31", f->today, &f->a, &r, &f->e), 0);
	assert_int_equal(r.provisional, 1);
}

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_direct_counts), cmocka_unit_test(test_drill_down),
	                                   cmocka_unit_test(test_xlsx), cmocka_unit_test(test_bands),
	                                   cmocka_unit_test(test_dates)};
	/* SQLite only: the report is the same on PostgreSQL (the API layer
	 * runs it there), and a demo county per group doubles the time */
	dbfix_uri = NULL;
	return cmocka_run_group_tests_name("report_sqlite", tests, setup, teardown) ? 1 : 0;
}
