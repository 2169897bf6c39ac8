/* test_xlsx.c - the .xlsx reader on files written by other software
 * (openpyxl, LibreOffice, hand-made zips: tests/fixtures/make-fixtures.sh),
 * and our own writer read back by our reader.
 *
 * Fixtures: $ZB_FIXTURES if set (the test runner generates them once),
 * otherwise the script is run here into a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixtures.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/table.h"
#include "io/xlsx_write.h"


/* ---- helpers ------------------------------------------------------------ */

typedef struct row {
	int rownum, ncells;
	char **cells;
	unsigned char *kinds;
} row;

typedef struct rows {
	row *v;
	size_t n, cap;
	zb_table_info *info;
	int stop_at;   /* return stop_rc on this rownum */
	int stop_rc;
} rows;

static int collect(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	rows *r = ctx;
	(void)e;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = realloc(r->v, r->cap * sizeof *r->v);
		assert_non_null(r->v);
	}
	row *w = &r->v[r->n++];
	w->rownum = rownum;
	w->ncells = ncells;
	w->cells = calloc((size_t)ncells + 1, sizeof *w->cells);
	w->kinds = calloc((size_t)ncells + 1, 1);
	assert_non_null(w->cells);
	for (int i = 0; i < ncells; i++) {
		assert_non_null(cells[i]);
		w->cells[i] = strdup(cells[i]);
		if (r->info) {
			assert_non_null(r->info->kinds);
			w->kinds[i] = r->info->kinds[i];
		}
	}
	if (r->stop_at && rownum == r->stop_at)
		return r->stop_rc;
	return 0;
}

static void rows_free(rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		for (int k = 0; k < r->v[i].ncells; k++)
			free(r->v[i].cells[k]);
		free(r->v[i].cells);
		free(r->v[i].kinds);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static const row *find_row(const rows *r, int rownum)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].rownum == rownum)
			return &r->v[i];
	return NULL;
}

/* cell text ("" past ncells), failing the test if the row is missing */
static const char *cell(const rows *r, int rownum, int col)
{
	const row *w = find_row(r, rownum);
	if (!w)
		fail_msg("row %d not delivered", rownum);
	return col < w->ncells ? w->cells[col] : "";
}

static int kind(const rows *r, int rownum, int col)
{
	const row *w = find_row(r, rownum);
	assert_non_null(w);
	return col < w->ncells ? w->kinds[col] : ZB_CELL_EMPTY;
}

static char *slurp(const char *name, size_t *len)
{
	char path[PATH_MAX + 64];
	snprintf(path, sizeof path, "%s/%s", fixture_dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("fixture %s missing", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int read_fixture(const char *name, const zb_table_limits *lim, rows *r,
			zb_table_info *info, zb_err *e)
{
	size_t len;
	char *data = slurp(name, &len);
	r->info = info;
	int rc = zb_xlsx_read(data, len, lim, collect, r, info, e);
	free(data);
	return rc;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define assert_contains(hay, needle)                                                   \
	do {                                                                           \
		if (!strstr((hay), (needle)))                                          \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));   \
	} while (0)

/* ---- fixtures ----------------------------------------------------------- */

static int setup_fixtures(void **state)
{
	(void)state;
	return fixture_setup("all") /* the shared-budget test reads a CSV fixture too */;
}

/* ---- files from openpyxl ------------------------------------------------ */

static void test_openpyxl_roster(void **state)
{
	(void)state;
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	int rc = read_fixture("roster.xlsx", NULL, &r, &info, &e);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	/* the first tab, stored in roster.xml while sheet1.xml holds 说明 */
	assert_string_equal(info.sheet, "党员名册");
	assert_int_equal(info.date1904, 0);
	for (size_t i = 0; i < r.n; i++)
		for (int k = 0; k < r.v[i].ncells; k++)
			assert_null(strstr(r.v[i].cells[k], "忽略"));

	/* merged title: one cell, the rest of the merge is absent */
	assert_int_equal(find_row(&r, 1)->ncells, 1);
	assert_string_equal(cell(&r, 1, 0), "第一党支部党员名册（测试）");
	assert_int_equal(find_row(&r, 2)->ncells, 8);
	assert_string_equal(cell(&r, 2, 3), "身份证号（数字）");

	assert_string_equal(cell(&r, 3, 0), "张三");
	assert_string_equal(cell(&r, 3, 2), "11010519491231002X");
	assert_int_equal(kind(&r, 3, 2), ZB_CELL_TEXT);
	/* 110105199001011234 typed as a number: openpyxl stored the double
	 * 1.101051990010112e+17, so the last digits are gone in the file */
	assert_string_equal(cell(&r, 3, 3), "110105199001011200");
	assert_int_equal(kind(&r, 3, 3), ZB_CELL_NUMBER);
	assert_string_equal(cell(&r, 3, 4), "1990-01-01");
	assert_int_equal(kind(&r, 3, 4), ZB_CELL_DATE);
	assert_string_equal(cell(&r, 3, 5), "2021-07-01");
	assert_string_equal(cell(&r, 3, 6), "13812345678");
	assert_string_equal(cell(&r, 3, 7), "备注  "); /* trailing spaces kept */

	assert_null(find_row(&r, 4)); /* blank row with a styled empty cell */

	assert_string_equal(cell(&r, 5, 0), "李　四");
	assert_string_equal(cell(&r, 5, 2), "ＡＢＣ１２３");
	/* Excel-style 15-digit float: rendered without exponent or fake digits */
	assert_string_equal(cell(&r, 5, 3), "110105199001011000");
	assert_string_equal(cell(&r, 5, 4), "1999-12-31"); /* yyyy"年"m"月"d"日" */
	assert_string_equal(cell(&r, 5, 5), "2023-03-04 15:30:00");
	assert_string_equal(cell(&r, 5, 6), "13800138000");
	assert_int_equal(kind(&r, 5, 6), ZB_CELL_NUMBER);
	/* "=1+1" became a formula without cached value: empty, trimmed away */
	assert_int_equal(find_row(&r, 5)->ncells, 7);

	assert_null(find_row(&r, 6));
	assert_int_equal(find_row(&r, 7)->ncells, 8);
	assert_string_equal(cell(&r, 7, 0), "王五");
	assert_string_equal(cell(&r, 7, 1), "");
	assert_int_equal(kind(&r, 7, 1), ZB_CELL_EMPTY);
	assert_string_equal(cell(&r, 7, 3), "0.3"); /* 0.30000000000000004 */
	assert_string_equal(cell(&r, 7, 5), "08:30:00");
	assert_string_equal(cell(&r, 7, 7), "TRUE");
	assert_int_equal(kind(&r, 7, 7), ZB_CELL_BOOL);
	assert_string_equal(cell(&r, 8, 0), "-12.5");
	assert_string_equal(cell(&r, 8, 1), "0.00001");
	assert_string_equal(cell(&r, 8, 2), " 前导空格");
	assert_int_equal(r.n, 6);
	assert_int_equal(info.rows, 6);
	assert_null(info.kinds);
	rows_free(&r);
}

static void test_hidden_first_sheet(void **state)
{
	(void)state;
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	assert_int_equal(read_fixture("hidden-first.xlsx", NULL, &r, &info, &e), 0);
	assert_string_equal(info.sheet, "名单");
	assert_int_equal(r.n, 1);
	assert_string_equal(cell(&r, 1, 0), "应读取");
	rows_free(&r);
}

static void test_date1904(void **state)
{
	(void)state;
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	assert_int_equal(read_fixture("date1904.xlsx", NULL, &r, &info, &e), 0);
	assert_int_equal(info.date1904, 1);
	assert_string_equal(cell(&r, 1, 0), "2021-07-01");
	assert_string_equal(cell(&r, 1, 1), "1904-01-01");
	rows_free(&r);
}

/* ---- LibreOffice: shared strings, rich text ----------------------------- */

static void test_libreoffice_shared_strings(void **state)
{
	(void)state;
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	int rc = read_fixture("lo-roster.xlsx", NULL, &r, &info, &e);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_string_equal(cell(&r, 1, 0), "姓名");
	assert_string_equal(cell(&r, 1, 5), "备注");
	assert_string_equal(cell(&r, 2, 0), "张三");
	/* typed as a number: LibreOffice keeps 15 digits, like Excel */
	assert_string_equal(cell(&r, 2, 1), "110105199001011000");
	assert_int_equal(kind(&r, 2, 1), ZB_CELL_NUMBER);
	assert_string_equal(cell(&r, 2, 2), "11010519491231002X");
	assert_string_equal(cell(&r, 2, 3), "2021-07-01");
	assert_int_equal(kind(&r, 2, 3), ZB_CELL_DATE);
	assert_string_equal(cell(&r, 2, 4), "13812345678");
	assert_string_equal(cell(&r, 2, 5), "多行\n备注");
	assert_string_equal(cell(&r, 3, 2), "110105199001011234"); /* as text: exact */
	assert_string_equal(cell(&r, 3, 3), "1999-12-31");
	assert_string_equal(cell(&r, 3, 4), "+8613800000000");
	assert_string_equal(cell(&r, 3, 5), "含\"引号\""); /* four rich-text runs */
	assert_string_equal(cell(&r, 4, 0), "  王五  ");
	assert_int_equal(find_row(&r, 4)->ncells, 1);
	assert_int_equal(r.n, 4);
	rows_free(&r);
}

/* A workbook made here, part by part: the workbook relationship names the
 * sheet with %XX escapes, and inline strings carry _xHHHH_ escapes (either
 * case of hex digit, a surrogate pair, and near misses kept as text). */
static char *zip_parts(const char *const *parts, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; parts[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(za, parts[i + 1], strlen(parts[i + 1]), 0);
		assert_non_null(s);
		assert_true(zip_file_add(za, parts[i], s, ZIP_FL_OVERWRITE) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t n = zip_source_tell(src);
	assert_true(n > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	char *data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(zip_source_read(src, data, (zip_uint64_t)n), n);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)n;
	return data;
}

static void test_escapes_in_targets_and_text(void **state)
{
	(void)state;
	static const char *const parts[] = {
		"_rels/.rels",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"r1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
		"xl/workbook.xml",
		"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
		"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		"<sheets><sheet name=\"表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
		"xl/_rels/workbook.xml.rels",
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships/worksheet\" Target=\"w%6Frk%73heets/%E8%A1%A8%4a.xml\"/></Relationships>",
		"xl/worksheets/\xe8\xa1\xa8J.xml",
		"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
		"<row r=\"1\">"
		"<c r=\"A1\" t=\"inlineStr\"><is><t>_x0041__x00e9__x00E9_</t></is></c>"
		"<c r=\"B1\" t=\"inlineStr\"><is><t>_xD83D__xDE00_!</t></is></c>"
		"<c r=\"C1\" t=\"inlineStr\"><is><t>_x004g_ _x12_ _X0041_ _x0041</t></is></c>"
		"<c r=\"D1\" t=\"inlineStr\"><is><t>_xD800_</t></is></c>"
		"</row></sheetData></worksheet>",
		NULL,
	};
	size_t len;
	char *data = zip_parts(parts, &len);
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	r.info = &info;
	int rc = zb_xlsx_read(data, len, NULL, collect, &r, &info, &e);
	free(data);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_string_equal(info.sheet, "表");
	assert_string_equal(cell(&r, 1, 0), "A\xc3\xa9\xc3\xa9");
	assert_string_equal(cell(&r, 1, 1), "\xf0\x9f\x98\x80!");
	assert_string_equal(cell(&r, 1, 2), "_x004g_ _x12_ _X0041_ _x0041");
	assert_string_equal(cell(&r, 1, 3), "\xef\xbf\xbd"); /* a lone surrogate */
	rows_free(&r);
}

/* ---- hand-made edge cases ------------------------------------------------ */

static void test_edge_cases(void **state)
{
	(void)state;
	rows r = {0};
	zb_table_info info;
	zb_err e = {0};
	int rc = read_fixture("edge.xlsx", NULL, &r, &info, &e);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_string_equal(info.sheet, "数据"); /* the chart sheet before it skipped */
	/* rows and cells without r attributes, rich text, phonetic runs */
	assert_int_equal(find_row(&r, 1)->ncells, 3);
	assert_string_equal(cell(&r, 1, 0), "张三 ");
	assert_string_equal(cell(&r, 1, 1), "line1\r\nline2");
	assert_string_equal(cell(&r, 1, 2), "a_x0041_b");
	assert_string_equal(cell(&r, 2, 0), "#N/A");
	assert_int_equal(kind(&r, 2, 0), ZB_CELL_ERROR);
	assert_string_equal(cell(&r, 2, 1), "张三 x");
	assert_int_equal(kind(&r, 2, 1), ZB_CELL_TEXT);
	assert_string_equal(cell(&r, 2, 2), "2021-07-01");
	assert_int_equal(kind(&r, 2, 2), ZB_CELL_DATE);
	assert_string_equal(cell(&r, 2, 3), "FALSE");
	assert_string_equal(cell(&r, 2, 4), "内联");
	/* number formats */
	assert_string_equal(cell(&r, 5, 0), "1.5");         /* [h]:mm duration */
	assert_string_equal(cell(&r, 5, 1), "2021-07-01");  /* [$-804]yyyy"年"... */
	assert_string_equal(cell(&r, 5, 2), "2021-07-01");  /* built-in 31 */
	assert_string_equal(cell(&r, 5, 3), "12345");       /* 0.00E+00 */
	assert_string_equal(cell(&r, 5, 4), "18:00:00");    /* h:mm AM/PM */
	assert_string_equal(cell(&r, 5, 5), "60");          /* phantom 1900-02-29 */
	assert_int_equal(kind(&r, 5, 5), ZB_CELL_NUMBER);
	assert_string_equal(cell(&r, 5, 6), "1900-03-01");
	assert_int_equal(find_row(&r, 5)->ncells, 27);       /* AA5 */
	assert_string_equal(cell(&r, 5, 26), "7");
	assert_string_equal(cell(&r, 5, 20), "");
	assert_string_equal(cell(&r, 6, 0), "");
	assert_string_equal(cell(&r, 6, 1), "<b>&amp;</b>"); /* CDATA, literal */
	assert_int_equal(kind(&r, 6, 2), ZB_CELL_FORMULA_NOCACHE);
	assert_string_equal(cell(&r, 6, 3), "");             /* empty <si/> */
	assert_string_equal(cell(&r, 6, 4), "12");
	assert_string_equal(cell(&r, 6, 5), "0");
	assert_string_equal(cell(&r, 6, 6), "110105199001011000");
	rows_free(&r);
}

static void test_tiny_seed(void **state)
{
	(void)state;
	rows r = {0};
	zb_err e = {0};
	assert_int_equal(read_fixture("tiny.xlsx", NULL, &r, NULL, &e), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(cell(&r, 1, 0), "姓名");
	assert_string_equal(cell(&r, 1, 1), "ID");
	assert_string_equal(cell(&r, 2, 0), "张三");
	assert_string_equal(cell(&r, 2, 1), "2021-07-01");
	assert_string_equal(cell(&r, 2, 2), "1.5");
	rows_free(&r);
}

/* ---- rejected input ------------------------------------------------------ */

static void expect_fail(const char *name, const zb_table_limits *lim, int code,
			const char *needle)
{
	rows r = {0};
	zb_err e = {0};
	int rc = read_fixture(name, lim, &r, NULL, &e);
	if (rc != code)
		fail_msg("%s: rc %d, want %d (%s)", name, rc, code, e.msg);
	assert_int_equal(e.code, code);
	assert_contains(e.msg, needle);
	rows_free(&r);
}

static void test_damaged_and_foreign_files(void **state)
{
	(void)state;
	expect_fail("truncated.xlsx", NULL, ZB_EINVAL, "不是有效的 Excel（.xlsx）文件");
	expect_fail("corrupt-entry.xlsx", NULL, ZB_EINVAL, "不是有效的 Excel（.xlsx）文件");
	expect_fail("not-xlsx.zip", NULL, ZB_EINVAL, "缺少 xl/workbook.xml");
	expect_fail("fake.xls", NULL, ZB_EMEDIA, "旧版 Excel（.xls）");
	expect_fail("fake.xls", NULL, ZB_EMEDIA, "另存为");
	expect_fail("encrypted.xlsx", NULL, ZB_EMEDIA, "密码");
	expect_fail("html.xls", NULL, ZB_EMEDIA, "HTML");
	expect_fail("method98.xlsx", NULL, ZB_EMEDIA, "不支持的压缩方式");
	expect_fail("encrypted-entry.xlsx", NULL, ZB_EMEDIA, "加密");
	expect_fail("bad-sst.xlsx", NULL, ZB_EINVAL, "第 3 行 B 列");
	expect_fail("badxml.xlsx", NULL, ZB_EINVAL, "XML 格式错误");
	expect_fail("xxe.xlsx", NULL, ZB_EINVAL, "DOCTYPE");

	zb_err e = {0};
	rows r = {0};
	assert_int_equal(zb_xlsx_read("hello,world\n", 12, NULL, collect, &r, NULL, &e),
			 ZB_EMEDIA);
	assert_contains(e.msg, "不是有效的 Excel（.xlsx）文件");
	assert_int_equal(zb_xlsx_read(NULL, 0, NULL, collect, &r, NULL, &e), ZB_EMEDIA);
	assert_int_equal(zb_xlsx_read("PK\x05\x06", 4, NULL, collect, &r, NULL, &e), ZB_EINVAL);
	assert_int_equal(r.n, 0);
}

static void test_zip_bombs(void **state)
{
	(void)state;
	double t0 = now();
	/* honest sizes: refused from the central directory, before inflating */
	expect_fail("bomb.xlsx", NULL, ZB_ETOOBIG, "解压后的内容超过 200 MB");
	double t1 = now();
	assert_true(t1 - t0 < 0.5);
	/* the declared size lies (1000 bytes) and the payload is blanks between
	 * elements: only counting inflated bytes while reading stops it */
	rows r = {0};
	zb_err e = {0};
	int rc = read_fixture("bomb-lying.xlsx", NULL, &r, NULL, &e);
	double t2 = now();
	if (rc != ZB_ETOOBIG)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_contains(e.msg, "解压后的内容超过 200 MB");
	assert_int_equal(r.n, 0);
	zb_table_limits lim = {.max_total_bytes = 1 << 20};
	rc = read_fixture("bomb-lying.xlsx", &lim, &r, NULL, &e);
	if (rc != ZB_ETOOBIG)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_contains(e.msg, "解压后的内容超过 1 MB");
	print_message("bomb refused in %.3f s; lying bomb after inflating 200 MB in %.2f s\n",
		      t1 - t0, t2 - t1);
	rows_free(&r);
}

/* Concurrent reads share one budget: a read counts its parser reserve and
 * shared strings while it runs and keeps its delivered rows counted; a
 * budget other reads have used up refuses with ZB_EUNAVAIL, a file that
 * alone needs more than the budget with ZB_ETOOBIG. */
static void test_shared_budget(void **state)
{
	(void)state;
	zb_membudget b;
	zb_membudget_init(&b, (size_t)64 << 20);
	zb_memcharge c = {.b = &b};
	zb_table_limits lim = {.charge = &c};
	rows r = {0};
	zb_err e = {0};
	int rc = read_fixture("lo-roster.xlsx", &lim, &r, NULL, &e);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_true(r.n > 0);
	/* the reserve and the shared strings are given back, rows stay */
	size_t cells = 0;
	for (size_t i = 0; i < r.n; i++)
		for (int k = 0; k < r.v[i].ncells; k++)
			cells += strlen(r.v[i].cells[k]);
	assert_true(c.held >= cells);
	assert_true(c.held < ((size_t)1 << 20));
	assert_int_equal(zb_membudget_used(&b), c.held);
	zb_memcharge_release(&c);
	assert_int_equal(zb_membudget_used(&b), 0);
	rows_free(&r);

	/* another read holds most of the budget: this one must wait */
	zb_membudget_init(&b, (size_t)20 << 20);
	zb_memcharge other = {.b = &b};
	assert_int_equal(zb_memcharge_add(&other, (size_t)10 << 20, &e), 0);
	memset(&r, 0, sizeof r);
	rc = read_fixture("lo-roster.xlsx", &lim, &r, NULL, &e);
	assert_int_equal(rc, ZB_EUNAVAIL);
	assert_contains(e.msg, "稍后重试");
	assert_string_equal(e.field, "file");
	assert_int_equal(r.n, 0);
	assert_int_equal(c.held, 0);
	assert_int_equal(zb_membudget_used(&b), (size_t)10 << 20);
	zb_memcharge_release(&other);

	/* a budget too small for the file's rows: too big, whoever else runs */
	zb_membudget_init(&b, ZB_TABLE_READ_RESERVE + 100);
	rc = read_fixture("lo-roster.xlsx", &lim, &r, NULL, &e);
	assert_int_equal(rc, ZB_ETOOBIG);
	assert_contains(e.msg, "内存");
	assert_true(c.held <= 100);
	zb_memcharge_release(&c);
	assert_int_equal(zb_membudget_used(&b), 0);
	rows_free(&r);

	/* CSV: decoded GB18030 text counted while read, rows kept */
	zb_membudget_init(&b, (size_t)64 << 20);
	size_t len;
	char *data = slurp("roster-gbk.csv", &len);
	memset(&r, 0, sizeof r);
	rc = zb_csv_read(data, len, &lim, collect, &r, NULL, &e);
	free(data);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	assert_true(r.n > 0 && c.held > 0 && c.held < ((size_t)1 << 20));
	assert_int_equal(zb_membudget_used(&b), c.held);
	zb_memcharge_release(&c);
	rows_free(&r);
}

/* A zip of n empty entries written by libzip (ZIP64 end record past 65535). */
static char *many_entries_zip(int n, size_t *len)
{
	char path[] = "/tmp/zb-entries-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	int ze;
	zip_t *z = zip_open(path, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	char name[16];
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%x", i);
		zip_source_t *src = zip_source_buffer(z, NULL, 0, 0);
		assert_true(zip_file_add(z, name, src, 0) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)sz);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	unlink(path);
	*len = (size_t)sz;
	return p;
}

/* libzip spends ~300 bytes per central directory entry on open: a zip of
 * many empty entries is refused from its end record, before that. */
static void test_many_entries(void **state)
{
	(void)state;
	int counts[] = {10001, 70000};
	for (int k = 0; k < 2; k++) {
		size_t len;
		char *data = many_entries_zip(counts[k], &len);
		rows r = {0};
		zb_err e = {0};
		int rc = zb_xlsx_read(data, len, NULL, collect, &r, NULL, &e);
		free(data);
		assert_int_equal(rc, ZB_ETOOBIG);
		char want[32];
		snprintf(want, sizeof want, "有 %d 个文件", counts[k]);
		assert_contains(e.msg, want);
		assert_string_equal(e.field, "file");
		assert_int_equal(r.n, 0);
	}
	/* a few hundred parts are fine as far as this check goes */
	size_t len;
	char *data = many_entries_zip(300, &len);
	rows r = {0};
	zb_err e = {0};
	int rc = zb_xlsx_read(data, len, NULL, collect, &r, NULL, &e);
	free(data);
	assert_int_equal(rc, ZB_EINVAL); /* no workbook in it */
	assert_null(strstr(e.msg, "个文件"));
}

static void test_limits(void **state)
{
	(void)state;
	zb_table_limits lim = {.max_rows = 2};
	expect_fail("roster.xlsx", &lim, ZB_ETOOBIG, "超过 2 行的上限（第 3 行起超出）");
	lim = (zb_table_limits){.max_cell_bytes = 8};
	expect_fail("roster.xlsx", &lim, ZB_ETOOBIG, "第 1 行 A 列的内容超过 8 字节");
	lim = (zb_table_limits){.max_file_bytes = 1000};
	expect_fail("roster.xlsx", &lim, ZB_ETOOBIG, "文件大小 5 KB，超过 1000 字节");
	lim = (zb_table_limits){.max_total_bytes = 4000};
	expect_fail("roster.xlsx", &lim, ZB_ETOOBIG, "解压后");
	expect_fail("wide.xlsx", NULL, ZB_ETOOBIG, "第 2 行 KN 列有内容，超出了最多 200 列的限制");

	lim = (zb_table_limits){.max_cols = 300};
	rows r = {0};
	zb_err e = {0};
	assert_int_equal(read_fixture("wide.xlsx", &lim, &r, NULL, &e), 0);
	assert_int_equal(find_row(&r, 2)->ncells, 300);
	assert_string_equal(cell(&r, 2, 299), "2");
	rows_free(&r);
}

static void test_callback_stops_read(void **state)
{
	(void)state;
	rows r = {.stop_at = 3, .stop_rc = 4242};
	zb_err e = {0};
	assert_int_equal(read_fixture("roster.xlsx", NULL, &r, NULL, &e), 4242);
	assert_int_equal(r.n, 3);
	rows_free(&r);
	r = (rows){.stop_at = 1, .stop_rc = -1};
	assert_int_equal(read_fixture("roster.xlsx", NULL, &r, NULL, &e), -1);
	assert_int_equal(r.n, 1);
	rows_free(&r);
}

/* ---- date serials --------------------------------------------------------- */

static void expect_date(double serial, int d1904, const char *want)
{
	char out[11];
	int rc = zb_excel_serial_to_date(serial, d1904, out);
	if (!want) {
		assert_int_equal(rc, ZB_EINVAL);
		assert_string_equal(out, "");
	} else {
		if (rc)
			fail_msg("serial %f: rc %d", serial, rc);
		assert_string_equal(out, want);
	}
}

static void test_serial_to_date(void **state)
{
	(void)state;
	expect_date(1, 0, "1900-01-01");
	expect_date(59, 0, "1900-02-28");
	expect_date(60, 0, NULL); /* 1900-02-29 does not exist */
	expect_date(61, 0, "1900-03-01");
	expect_date(25569, 0, "1970-01-01");
	expect_date(36525, 0, "1999-12-31");
	expect_date(44378, 0, "2021-07-01");
	expect_date(44378.5, 0, "2021-07-01");
	expect_date(44378.999999999, 0, "2021-07-02"); /* rounds to the second */
	expect_date(2958465, 0, "9999-12-31");
	expect_date(2958466, 0, NULL);
	expect_date(0, 0, NULL);
	expect_date(-1, 0, NULL);
	expect_date(NAN, 0, NULL);
	expect_date(INFINITY, 0, NULL);
	expect_date(0, 1, "1904-01-01");
	expect_date(42916, 1, "2021-07-01");
	expect_date(-0.5, 1, NULL);
}

/* ---- our writer, read back ---------------------------------------------- */

static char *zip_part(const char *path, const char *name)
{
	int err;
	zip_t *za = zip_open(path, ZIP_RDONLY, &err);
	assert_non_null(za);
	zip_stat_t st;
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	char *p = malloc(st.size + 1);
	zip_file_t *zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	assert_int_equal(zip_fread(zf, p, st.size), (zip_int64_t)st.size);
	p[st.size] = '\0';
	zip_fclose(zf);
	zip_discard(za);
	return p;
}

static void test_writer_roundtrip(void **state)
{
	(void)state;
	static const zb_xlsx_col cols[] = {
		{"姓名", 10}, {"身份证号", 22}, {"手机号", 14}, {"备注", 30}, {"空列", 0},
	};
	static const char *const data[][5] = {
		{"张三", "11010519491231002X", "13812345678", "=1+1", NULL},
		{"李　四", "110105199001011234", "+8613800000000", "@SUM(A1)", ""},
		{"王五", "000123", "-5", "  前后空格  ", NULL},
		{"赵六", "1.5E+3", "0012", "多行\n文本\r\n第三行", NULL},
		{"钱七", "TRUE", "#N/A", "tab\there\x01", NULL},
		{"孙八", "_x0041_", "<b>&amp;\"'</b>", "😀 emoji", NULL},
	};
	const int nrows = (int)(sizeof data / sizeof data[0]);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/roundtrip.xlsx", fixture_dir);
	zb_xlsx_writer *w;
	zb_err e = {0};
	int rc = zb_xlsx_writer_open(&w, path, "名册", "第一党支部党员名册", cols, 5, &e);
	if (rc)
		fail_msg("open: %s", e.msg);
	for (int i = 0; i < nrows; i++) {
		rc = zb_xlsx_writer_row(w, data[i], i == 1 ? 5 : 4, &e);
		if (rc)
			fail_msg("row %d: %s", i, e.msg);
	}
	assert_int_equal(zb_xlsx_writer_close(w, &e), 0);

	size_t len;
	char *bytes = slurp("roundtrip.xlsx", &len);
	rows r = {0};
	zb_table_info info;
	r.info = &info;
	rc = zb_xlsx_read(bytes, len, NULL, collect, &r, &info, &e);
	if (rc)
		fail_msg("read back: %s", e.msg);
	free(bytes);
	assert_string_equal(info.sheet, "名册");
	assert_string_equal(cell(&r, 1, 0), "第一党支部党员名册");
	for (int c = 0; c < 5; c++)
		assert_string_equal(cell(&r, 2, c), cols[c].header);
	for (int i = 0; i < nrows; i++) {
		for (int c = 0; c < 5; c++) {
			const char *want = data[i][c] ? data[i][c] : "";
			assert_string_equal(cell(&r, 3 + i, c), want);
			if (*want)
				assert_int_equal(kind(&r, 3 + i, c), ZB_CELL_TEXT);
		}
	}
	assert_int_equal(r.n, (size_t)nrows + 2);
	rows_free(&r);

	/* the sheet holds strings only: no <f> element anywhere, and the
	 * layout promised in xlsx_write.h is there */
	char *xml = zip_part(path, "xl/worksheets/sheet1.xml");
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, "<f "));
	assert_contains(xml, "<mergeCell ref=\"A1:E1\"");
	assert_contains(xml, "state=\"frozen\"");
	assert_contains(xml, "<autoFilter ref=\"A2:E8\"");
	assert_contains(xml, "t=\"inlineStr\"");
	free(xml);
	unlink(path);
}

static void test_writer_rejects(void **state)
{
	(void)state;
	static const zb_xlsx_col cols[] = {{"A", 0}, {"B", 0}};
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/rejects.xlsx", fixture_dir);
	zb_xlsx_writer *w;
	zb_err e = {0};
	assert_int_equal(zb_xlsx_writer_open(&w, path, "bad/name", NULL, cols, 2, &e), ZB_EINVAL);
	assert_null(w);
	assert_int_equal(zb_xlsx_writer_open(&w, path, NULL, NULL, cols, 2, &e), 0);
	const char *bad[] = {"ok", "\xff\xfe"};
	assert_int_equal(zb_xlsx_writer_row(w, bad, 2, &e), ZB_EINVAL);
	assert_contains(e.msg, "第 2 行第 2 列不是有效的 UTF-8");
	const char *three[] = {"a", "b", "c"};
	assert_int_equal(zb_xlsx_writer_row(w, three, 3, &e), ZB_EINTERNAL);
	char *big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	const char *one[] = {big};
	assert_int_equal(zb_xlsx_writer_row(w, one, 1, &e), ZB_EINVAL);
	assert_contains(e.msg, "32767");
	free(big);
	zb_xlsx_writer_free(w); /* abandon */
	zb_xlsx_writer_free(NULL);
	unlink(path);
}

static void test_csv_writer(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 0);
	zb_err e = {0};
	const char *row1[] = {"姓名", "身份证号", "备注"};
	const char *row2[] = {"张三", "11010519491231002X", "=1+1"};
	const char *row3[] = {"李,四", "say \"hi\"", NULL};
	assert_int_equal(zb_csv_write_bom(&b), 0);
	assert_int_equal(zb_csv_write_row(&b, row1, 3, &e), 0);
	assert_int_equal(zb_csv_write_row(&b, row2, 3, &e), 0);
	assert_int_equal(zb_csv_write_row(&b, row3, 3, &e), 0);
	assert_string_equal(b.data, "\xEF\xBB\xBF姓名,身份证号,备注\r\n"
				    "张三,11010519491231002X,\"'=1+1\"\r\n"
				    "\"李,四\",\"say \"\"hi\"\"\",\r\n");
	zb_buf_release(&b);
	zb_buf_init(&b, 10);
	assert_int_equal(zb_csv_write_row(&b, row1, 3, &e), ZB_ETOOBIG);
	zb_buf_release(&b);
}

/* ---- timing --------------------------------------------------------------- */

static int count_only(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	(void)rownum;
	(void)e;
	size_t *n = ctx;
	(*n)++;
	return ncells > 0 && cells[0][0] ? 0 : 1;
}

static void test_timing_100k_rows(void **state)
{
	(void)state;
#if defined(__SANITIZE_ADDRESS__)
	const int nrows = 20000; /* the sanitizer build is ~5x slower */
#else
	const int nrows = 100000;
#endif
	static const zb_xlsx_col cols[] = {
		{"姓名", 10}, {"身份证号", 22}, {"手机号", 14}, {"支部", 20}, {"入党日期", 12},
	};
	char path[PATH_MAX + 32];
	snprintf(path, sizeof path, "%s/timing.xlsx", fixture_dir);
	zb_xlsx_writer *w;
	zb_err e = {0};
	double t0 = now();
	assert_int_equal(zb_xlsx_writer_open(&w, path, NULL, "名册", cols, 5, &e), 0);
	for (int i = 0; i < nrows; i++) {
		char id[24], phone[16], name[32];
		snprintf(name, sizeof name, "党员%d", i);
		snprintf(id, sizeof id, "110105199%09d", i);
		snprintf(phone, sizeof phone, "138%08d", i);
		const char *cells[] = {name, id, phone, "第一党支部", "2021-07-01"};
		assert_int_equal(zb_xlsx_writer_row(w, cells, 5, &e), 0);
	}
	assert_int_equal(zb_xlsx_writer_close(w, &e), 0);
	double t1 = now();
	size_t len;
	char *bytes = slurp("timing.xlsx", &len);
	size_t n = 0;
	double t2 = now();
	int rc = zb_xlsx_read(bytes, len, NULL, count_only, &n, NULL, &e);
	double t3 = now();
	if (rc)
		fail_msg("%s", e.msg);
	assert_int_equal(n, (size_t)nrows + 2);
	print_message("%d rows x 5 cols: write %.2f s, file %.1f MB, read %.2f s\n", nrows,
		      t1 - t0, (double)len / 1048576.0, t3 - t2);
	free(bytes);
	unlink(path);
}

int main(int argc, char **argv)
{
	(void)argc;
	fixture_argv0 = argv[0];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_openpyxl_roster),
		cmocka_unit_test(test_hidden_first_sheet),
		cmocka_unit_test(test_date1904),
		cmocka_unit_test(test_libreoffice_shared_strings),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_escapes_in_targets_and_text),
		cmocka_unit_test(test_tiny_seed),
		cmocka_unit_test(test_damaged_and_foreign_files),
		cmocka_unit_test(test_zip_bombs),
		cmocka_unit_test(test_shared_budget),
		cmocka_unit_test(test_many_entries),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_callback_stops_read),
		cmocka_unit_test(test_serial_to_date),
		cmocka_unit_test(test_writer_roundtrip),
		cmocka_unit_test(test_writer_rejects),
		cmocka_unit_test(test_csv_writer),
		cmocka_unit_test(test_timing_100k_rows),
	};
	return cmocka_run_group_tests_name("xlsx", tests, setup_fixtures, fixture_teardown);
}
