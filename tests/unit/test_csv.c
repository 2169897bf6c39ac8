/* test_csv.c - the CSV reader: RFC 4180, line endings, encodings Excel in
 * China writes (GBK via iconv, UTF-16LE "Unicode text", UTF-8 with BOM),
 * delimiter detection, limits and error messages; and the CSV writer read
 * back.  Encoded fixtures come from tests/fixtures/make-fixtures.sh (csv):
 * $ZB_FIXTURES if set, else generated here into a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixtures.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "io/table.h"
#include "io/xlsx_write.h"


/* ---- helpers ------------------------------------------------------------ */

typedef struct row {
	int rownum, ncells;
	char **cells;
} row;

typedef struct rows {
	row *v;
	size_t n, cap;
	zb_table_info *info;
	int stop_at, stop_rc;
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
	assert_non_null(w->cells);
	for (int i = 0; i < ncells; i++) {
		w->cells[i] = strdup(cells[i]);
		if (r->info)
			assert_int_equal(r->info->kinds[i], cells[i][0] ? ZB_CELL_TEXT : ZB_CELL_EMPTY);
	}
	assert_true(ncells > 0 && cells[ncells - 1][0]); /* trailing empties trimmed */
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
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

#define assert_contains(hay, needle)                                                   \
	do {                                                                           \
		if (!strstr((hay), (needle)))                                          \
			fail_msg("\"%s\" does not contain \"%s\"", (hay), (needle));   \
	} while (0)

/* Parse s and compare with the expected rows, written as
 * "rownum:cell|cell|cell" lines. */
static void expect_rows(const char *s, size_t len, const char *const *want, size_t nwant,
			zb_table_info *info)
{
	rows r = {0};
	zb_err e = {0};
	r.info = info;
	int rc = zb_csv_read(s, len, NULL, collect, &r, info, &e);
	if (rc)
		fail_msg("rc %d: %s", rc, e.msg);
	if (r.n != nwant)
		fail_msg("got %zu rows, want %zu", r.n, nwant);
	for (size_t i = 0; i < nwant; i++) {
		zb_buf b;
		zb_buf_init(&b, 0);
		zb_buf_printf(&b, "%d:", r.v[i].rownum);
		for (int k = 0; k < r.v[i].ncells; k++)
			zb_buf_printf(&b, "%s%s", k ? "|" : "", r.v[i].cells[k]);
		if (strcmp(b.data, want[i]))
			fail_msg("row %zu: got \"%s\", want \"%s\"", i, b.data, want[i]);
		zb_buf_release(&b);
	}
	rows_free(&r);
}

#define EXPECT(s, ...)                                                                 \
	do {                                                                           \
		const char *const w_[] = {__VA_ARGS__};                                \
		expect_rows((s), sizeof(s) - 1, w_, sizeof w_ / sizeof w_[0], NULL);   \
	} while (0)

static int expect_fail(const char *s, size_t len, const zb_table_limits *lim, int code,
		       const char *needle)
{
	rows r = {0};
	zb_err e = {0};
	int rc = zb_csv_read(s, len, lim, collect, &r, NULL, &e);
	if (rc != code)
		fail_msg("rc %d, want %d (%s)", rc, code, e.msg);
	assert_contains(e.msg, needle);
	int n = (int)r.n;
	rows_free(&r);
	return n;
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

static int setup_fixtures(void **state)
{
	(void)state;
	return fixture_setup("csv");
}

/* ---- RFC 4180 ------------------------------------------------------------ */

static void test_rfc4180(void **state)
{
	(void)state;
	EXPECT("a,b,c\r\n1,2,3\r\n", "1:a|b|c", "2:1|2|3");
	EXPECT("a,b,c", "1:a|b|c"); /* no final line break */
	/* quoted delimiter, doubled quotes, empty quoted field */
	EXPECT("\"a,b\",\"say \"\"hi\"\"\",\"\",x\n", "1:a,b|say \"hi\"||x");
	/* line breaks inside quotes are kept as \n; rownum is the start line */
	EXPECT("h1,h2\n\"l1\r\nl2\rl3\nl4\",z\nnext,row\n", "1:h1|h2", "2:l1\nl2\nl3\nl4|z",
	       "6:next|row");
	/* mixed line endings */
	EXPECT("a\rb\nc\r\nd", "1:a", "2:b", "3:c", "4:d");
	/* lenient like Excel: quotes inside an unquoted field, text after a
	 * closing quote */
	EXPECT("ab\"c,\"x\"yz,\"q\" \n", "1:ab\"c|xyz|q ");
	/* spaces are data */
	EXPECT(" a , b \n", "1: a | b ");
	/* trailing delimiter, field at end of input */
	EXPECT("a,b,\n,,c,", "1:a|b", "2:||c");
}

static void test_blank_rows_and_trailing_cells(void **state)
{
	(void)state;
	EXPECT("a\n\n,,,\n\"\",\"\"\nb,,\n\n", "1:a", "5:b");
	EXPECT("", );
	EXPECT("\xEF\xBB\xBF", );
	EXPECT("\n\r\n\r", );
}

static void test_bom_and_delimiters(void **state)
{
	(void)state;
	zb_table_info info;
	const char *const w1[] = {"1:姓名|支部", "2:张三|一支部"};
	const char bom[] = "\xEF\xBB\xBF姓名,支部\r\n张三,一支部\r\n";
	expect_rows(bom, sizeof bom - 1, w1, 2, &info);
	assert_string_equal(info.encoding, "UTF-8");
	assert_int_equal(info.delimiter, ',');

	const char tab[] = "姓名\t支部\n张三\t一支部\n";
	expect_rows(tab, sizeof tab - 1, w1, 2, &info);
	assert_int_equal(info.delimiter, '\t');

	const char semi[] = "姓名;支部\n张三;一支部\n";
	expect_rows(semi, sizeof semi - 1, w1, 2, &info);
	assert_int_equal(info.delimiter, ';');

	/* a comma on line 1 wins, even with semicolons around */
	EXPECT("a;b,c\n1;2,3\n", "1:a;b|c", "2:1;2|3");
	/* a comma only inside quotes does not count */
	const char q[] = "\"x,y\"\tz\n1\t2\n";
	const char *const w2[] = {"1:x,y|z", "2:1|2"};
	expect_rows(q, sizeof q - 1, w2, 2, &info);
	assert_int_equal(info.delimiter, '\t');

	/* Excel's sep= line picks the delimiter and is not a row */
	const char sep[] = "sep=;\r\na;b,c\r\n";
	const char *const w3[] = {"2:a|b,c"};
	expect_rows(sep, sizeof sep - 1, w3, 1, &info);
	assert_int_equal(info.delimiter, ';');
}

/* ---- encodings (fixtures from iconv) ------------------------------------ */

static const char *const roster_rows[] = {
	"1:姓名|身份证号|所在支部|备注",
	"2:张三|11010519491231002X|第一党支部|含,逗号",
	"3:李四|110105199001011234|第二党支部|“全角引号”和「括号」",
	"4:王五||第三党支部|多行\n备注",
};

static void test_utf8_fixture(void **state)
{
	(void)state;
	size_t len;
	char *s = slurp("roster-utf8.csv", &len);
	zb_table_info info;
	expect_rows(s, len, roster_rows, 4, &info);
	assert_string_equal(info.encoding, "UTF-8");
	free(s);
}

static void test_gbk_fixture(void **state)
{
	(void)state;
	size_t len;
	char *s = slurp("roster-gbk.csv", &len);
	zb_table_info info;
	expect_rows(s, len, roster_rows, 4, &info);
	assert_string_equal(info.encoding, "GB18030");
	free(s);
}

static void test_utf16_fixture(void **state)
{
	(void)state;
	size_t len;
	char *s = slurp("roster-utf16.txt", &len);
	zb_table_info info;
	const char *const want[] = {"1:姓名|身份证号|所在支部",
				    "2:张三|11010519491231002X|第一党支部"};
	expect_rows(s, len, want, 2, &info);
	assert_string_equal(info.encoding, "UTF-16LE");
	assert_int_equal(info.delimiter, '\t');
	free(s);
}

static void test_undecodable(void **state)
{
	(void)state;
	size_t len;
	char *s = slurp("bad-gbk.csv", &len);
	expect_fail(s, len, NULL, ZB_EINVAL, "第 3 行含有无法识别的字符");
	expect_fail(s, len, NULL, ZB_EINVAL, "CSV UTF-8");
	free(s);
	/* a UTF-8 BOM promises UTF-8: no GBK fallback, the line is named */
	const char bad[] = "\xEF\xBB\xBF" "a\r\nb\r\n\"c\nd\",\xC3(\n";
	expect_fail(bad, sizeof bad - 1, NULL, ZB_EINVAL, "第 4 行含有无效的 UTF-8 字符");
	/* GBK cut in the middle of a character at the very end */
	const char cut[] = "a\n\xD5";
	expect_fail(cut, sizeof cut - 1, NULL, ZB_EINVAL, "第 2 行");
}

/* ---- errors and limits -------------------------------------------------- */

static void test_errors(void **state)
{
	(void)state;
	const char unclosed[] = "a,b\n1,\"open\n2,3\n4,5\n";
	assert_int_equal(expect_fail(unclosed, sizeof unclosed - 1, NULL, ZB_EINVAL,
				     "第 2 行第 2 列的引号没有闭合"),
			 1);
	const char nul[] = "a,b\nc,d\0e\n";
	expect_fail(nul, sizeof nul - 1, NULL, ZB_EINVAL, "第 2 行含有空字符");
	expect_fail("PK\x03\x04zzzz", 8, NULL, ZB_EMEDIA, "Excel（.xlsx）文件而不是 CSV");
	const char html[] = "\r\n  <HTML><body><table><tr><td>张三</td></tr></table>";
	expect_fail(html, sizeof html - 1, NULL, ZB_EMEDIA, "网页（HTML/XML）");
	expect_fail("<table>", 7, NULL, ZB_EMEDIA, "网页");
	EXPECT("<b>,x\n", "1:<b>|x"); /* a cell that merely starts with < is data */
	expect_fail("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, NULL, ZB_EMEDIA, "旧版 Excel（.xls）");

	rows r = {.stop_at = 2, .stop_rc = 777};
	zb_err e = {0};
	assert_int_equal(zb_csv_read("a\nb\nc\n", 6, NULL, collect, &r, NULL, &e), 777);
	assert_int_equal(r.n, 2);
	rows_free(&r);
	r = (rows){0};
	assert_int_equal(zb_csv_read(NULL, 0, NULL, collect, &r, NULL, &e), 0);
	assert_int_equal(r.n, 0);
}

static void test_limits(void **state)
{
	(void)state;
	zb_table_limits lim = {.max_rows = 2};
	assert_int_equal(expect_fail("a\n\nb\nc\nd\n", 9, &lim, ZB_ETOOBIG,
				     "超过 2 行的上限（第 4 行起超出）"),
			 2);
	lim = (zb_table_limits){.max_cols = 3};
	expect_fail("a,b,c,d\n", 8, &lim, ZB_ETOOBIG, "第 1 行第 4 列有内容，超出了最多 3 列");
	EXPECT("a,b,c,,,,,,\n", "1:a|b|c"); /* empty fields past a cap are fine */
	{
		rows r = {0};
		zb_err e = {0};
		assert_int_equal(zb_csv_read("a,b,c,,,,\nx\n", 12, &lim, collect, &r, NULL, &e), 0);
		assert_int_equal(r.n, 2);
		rows_free(&r);
	}
	lim = (zb_table_limits){.max_cell_bytes = 4};
	expect_fail("abcd,\"ab\"\"cd\"\n", 14, &lim, ZB_ETOOBIG, "第 1 行第 2 列的内容超过 4 字节");
	lim = (zb_table_limits){.max_file_bytes = 5};
	expect_fail("abcdef", 6, &lim, ZB_ETOOBIG, "文件大小");
	/* decoded size: 4 GBK bytes become 6 UTF-8 bytes */
	lim = (zb_table_limits){.max_total_bytes = 5};
	expect_fail("\xD5\xC5\xC8\xFD", 4, &lim, ZB_ETOOBIG, "转换为 UTF-8 后超过");
}

/* ---- the CSV writer, read back ------------------------------------------- */

static void test_writer_roundtrip(void **state)
{
	(void)state;
	static const char *const data[][4] = {
		{"姓名", "身份证号", "备注", "手机"},
		{"张三", "11010519491231002X", "含,逗号 \"引号\"", "13812345678"},
		{"李四", "110105199001011234", "多行\n文本", "+8613800000000"},
		{"王五", "=1+1", "@x", "-5"},
	};
	zb_buf b;
	zb_buf_init(&b, 0);
	zb_err e = {0};
	assert_int_equal(zb_csv_write_bom(&b), 0);
	for (int i = 0; i < 4; i++)
		assert_int_equal(zb_csv_write_row(&b, data[i], 4, &e), 0);
	rows r = {0};
	zb_table_info info;
	r.info = &info;
	assert_int_equal(zb_csv_read(b.data, b.len, NULL, collect, &r, &info, &e), 0);
	assert_string_equal(info.encoding, "UTF-8");
	assert_int_equal(r.n, 4);
	for (int i = 0; i < 4; i++) {
		for (int k = 0; k < 4; k++) {
			const char *want = data[i][k];
			/* formula-looking values come back with the guard apostrophe */
			if (want[0] == '=' || want[0] == '+' || want[0] == '-' || want[0] == '@') {
				assert_int_equal(r.v[i].cells[k][0], '\'');
				assert_string_equal(r.v[i].cells[k] + 1, want);
			} else {
				assert_string_equal(r.v[i].cells[k], want);
			}
		}
	}
	assert_int_equal(r.v[2].rownum, 3);
	assert_int_equal(r.v[3].rownum, 5); /* row 3 spans two lines */
	rows_free(&r);
	zb_buf_release(&b);
}

static void test_large_input(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 0);
	for (int i = 0; i < 100000; i++)
		zb_buf_printf(&b, "党员%d,110105199%09d,138%08d,第一党支部,2021-07-01\r\n", i, i, i);
	rows r = {0};
	zb_err e = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(zb_csv_read(b.data, b.len, NULL, collect, &r, NULL, &e), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("100000 rows x 5 cols, %.1f MB: read %.3f s (incl. copying every cell)\n",
		      (double)b.len / 1048576.0,
		      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(r.n, 100000);
	assert_string_equal(r.v[99999].cells[1], "110105199000099999");
	assert_int_equal(r.v[99999].rownum, 100000);
	rows_free(&r);
	zb_buf_release(&b);
}

int main(int argc, char **argv)
{
	(void)argc;
	fixture_argv0 = argv[0];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4180),
		cmocka_unit_test(test_blank_rows_and_trailing_cells),
		cmocka_unit_test(test_bom_and_delimiters),
		cmocka_unit_test(test_utf8_fixture),
		cmocka_unit_test(test_gbk_fixture),
		cmocka_unit_test(test_utf16_fixture),
		cmocka_unit_test(test_undecodable),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_writer_roundtrip),
		cmocka_unit_test(test_large_input),
	};
	return cmocka_run_group_tests_name("csv", tests, setup_fixtures, fixture_teardown);
}
