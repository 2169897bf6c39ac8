/* Unit tests for src/member/idcard: GB 11643-1999 ID number validation. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "member/idcard.h"

#define TODAY 20241231

static void expect_ok(const char *in, int today, const char *number, const char *birth,
		      char gender)
{
	zb_idcard c;
	zb_err e = {0};
	int rc = zb_idcard_parse(in, today, &c, &e);
	if (rc != 0)
		fail_msg("rejected \"%s\": %s", in, e.msg);
	assert_string_equal(c.number, number);
	assert_string_equal(c.birth, birth);
	assert_int_equal(c.gender, gender);
}

static void expect_err(const char *in, int today, const char *msg)
{
	zb_idcard c;
	zb_err e = {0};
	memset(&c, 'z', sizeof c);
	int rc = zb_idcard_parse(in, today, &c, &e);
	if (rc == 0)
		fail_msg("accepted \"%s\" as %s", in ? in : "(null)", c.number);
	assert_int_equal(rc, ZB_EINVAL);
	assert_string_equal(e.field, "id_number");
	assert_string_equal(e.msg, msg);
	/* No half-filled result on failure. */
	assert_int_equal(c.number[0], '\0');
	assert_int_equal(c.gender, 0);
}

static void test_valid(void **state)
{
	(void)state;
	expect_ok("11010519491231002X", TODAY, "11010519491231002X", "1949-12-31", 'F');
	expect_ok("440308199003071235", TODAY, "440308199003071235", "1990-03-07", 'M');
	expect_ok("510121198001010045", TODAY, "510121198001010045", "1980-01-01", 'F');
	expect_ok("110105198808081237", TODAY, "110105198808081237", "1988-08-08", 'M');
	/* The earliest accepted date. */
	expect_ok("11010519000101001X", TODAY, "11010519000101001X", "1900-01-01", 'M');
}

static void test_normalisation(void **state)
{
	(void)state;
	/* lower-case x */
	expect_ok("11010519491231002x", TODAY, "11010519491231002X", "1949-12-31", 'F');
	/* surrounding ASCII whitespace */
	expect_ok(" \t11010519491231002X\r\n", TODAY, "11010519491231002X", "1949-12-31", 'F');
	/* full-width digits and full-width X, full-width spaces around */
	expect_ok("\u3000１１０１０５１９４９１２３１００２Ｘ\u3000", TODAY,
		  "11010519491231002X", "1949-12-31", 'F');
	/* full-width lower-case x, mixed widths */
	expect_ok("110105１９４９1231002ｘ", TODAY, "11010519491231002X", "1949-12-31", 'F');
}

static void test_checksum(void **state)
{
	(void)state;
	const char *msg = "身份证号有误：号码未通过校验，请对照身份证逐位核对";
	expect_err("440308199003071234", TODAY, msg);
	expect_err("110105194912310021", TODAY, msg);
	expect_err("44030819900307123X", TODAY, msg);
	/* One transposed digit is caught by the checksum. */
	expect_err("440308199003701235", TODAY, "身份证号中的出生日期 19900370 不存在");
	expect_err("440380199003071235", TODAY, msg);
}

/* The checksum message never hands out the character that would pass: for
 * every wrong last character of a valid number the answer is the same text,
 * and it contains neither the right character nor the wrong one. */
static void test_checksum_names_no_digit(void **state)
{
	(void)state;
	const char *valid[] = {"440308199003071235", "11010519491231002X", "510121198001010045"};
	const char cand[] = "0123456789X";
	for (size_t v = 0; v < sizeof valid / sizeof valid[0]; v++) {
		char right = valid[v][17];
		for (size_t i = 0; cand[i]; i++) {
			if (cand[i] == right)
				continue;
			char bad[19];
			memcpy(bad, valid[v], sizeof bad);
			bad[17] = cand[i];
			zb_idcard c;
			zb_err e = {0};
			assert_int_equal(zb_idcard_parse(bad, TODAY, &c, &e), ZB_EINVAL);
			assert_string_equal(e.field, "id_number");
			assert_string_equal(e.msg, ZB_IDCARD_MSG_CHECKSUM);
			assert_null(strchr(e.msg, right));
			assert_null(strchr(e.msg, cand[i]));
			/* says the number is wrong and asks to check the card */
			assert_non_null(strstr(e.msg, "身份证号有误"));
			assert_non_null(strstr(e.msg, "核对"));
		}
	}
}

static void test_leap_days(void **state)
{
	(void)state;
	/* 2000 is a leap year (divisible by 400), 2004 too. */
	expect_ok("320106200002290019", TODAY, "320106200002290019", "2000-02-29", 'M');
	expect_ok("110105200402291234", TODAY, "110105200402291234", "2004-02-29", 'M');
	/* 2001 is not; 1900 is not (divisible by 100, not by 400). */
	expect_err("440106200102290013", TODAY, "身份证号中的出生日期 20010229 不存在");
	expect_err("110105190002290017", TODAY, "身份证号中的出生日期 19000229 不存在");
	/* 2100 is not a leap year either, even if today were later. */
	expect_err("110105210002290012", 21001231, "身份证号中的出生日期 21000229 不存在");
}

static void test_impossible_dates(void **state)
{
	(void)state;
	expect_err("440106199902310013", TODAY, "身份证号中的出生日期 19990231 不存在");
	expect_err("110105200002310010", TODAY, "身份证号中的出生日期 20000231 不存在");
	expect_err("110105199013010018", TODAY, "身份证号中的出生日期 19901301 不存在");
	expect_err("110105199001000015", TODAY, "身份证号中的出生日期 19900100 不存在");
	expect_err("110105189912310015", TODAY, "身份证号中的出生日期 18991231 早于 1900 年");
}

static void test_future_date(void **state)
{
	(void)state;
	/* Born 2024-03-15: valid from that day on, not the day before. */
	expect_err("310115202403150010", 20240314, "身份证号中的出生日期 20240315 晚于今天");
	expect_ok("310115202403150010", 20240315, "310115202403150010", "2024-03-15", 'M');
	expect_ok("310115202403150010", 20240316, "310115202403150010", "2024-03-15", 'M');
}

static void test_length(void **state)
{
	(void)state;
	expect_err("110105491231002", TODAY,
		   "身份证号应为 18 位（当前 15 位）；15 位旧号码请先升级为 18 位");
	expect_err("11010519491231002", TODAY, "身份证号应为 18 位（当前 17 位）");
	expect_err("11010519491231002X1", TODAY, "身份证号应为 18 位（当前 19 位）");
	expect_err("1", TODAY, "身份证号应为 18 位（当前 1 位）");
	/* Full-width characters count as one each. */
	expect_err("１１０１０５", TODAY, "身份证号应为 18 位（当前 6 位）");
}

static void test_bad_characters(void **state)
{
	(void)state;
	expect_err("11010519491231002A", TODAY,
		   "身份证号含有非法字符（第 18 个字符），只能是数字和最后一位的 X");
	expect_err("abc", TODAY, "身份证号含有非法字符（第 1 个字符），只能是数字和最后一位的 X");
	expect_err("110105-19491231-002X", TODAY,
		   "身份证号含有非法字符（第 7 个字符），只能是数字和最后一位的 X");
	expect_err("11010５张", TODAY,
		   "身份证号含有非法字符（第 7 个字符），只能是数字和最后一位的 X");
	expect_err("110105\xff", TODAY,
		   "身份证号含有非法字符（第 7 个字符），只能是数字和最后一位的 X");
	expect_err("110105 19491231002X", TODAY, "身份证号中间不能有空格（第 7 个字符）");
	expect_err("110105\u300019491231002X", TODAY, "身份证号中间不能有空格（第 7 个字符）");
	expect_err("1101051949123100X2", TODAY, "身份证号只有最后一位可以是 X（第 17 位是 X）");
	expect_err("X10105194912310021", TODAY, "身份证号只有最后一位可以是 X（第 1 位是 X）");
	expect_err("010105194912310026", TODAY,
		   "身份证号前 6 位地区码 010105 无效：地区码不以 0 开头");
}

static void test_empty(void **state)
{
	(void)state;
	expect_err("", TODAY, "请填写身份证号");
	expect_err(NULL, TODAY, "请填写身份证号");
	expect_err("   ", TODAY, "请填写身份证号");
	expect_err("\u3000\t\u3000", TODAY, "请填写身份证号");
}

static void test_bad_today_is_internal(void **state)
{
	(void)state;
	zb_idcard c;
	zb_err e = {0};
	assert_int_equal(zb_idcard_parse("11010519491231002X", 0, &c, &e), ZB_EINTERNAL);
	assert_int_equal(zb_idcard_parse("11010519491231002X", 20230229, &c, &e), ZB_EINTERNAL);
	assert_int_equal(zb_idcard_parse("11010519491231002X", 2024123, &c, &e), ZB_EINTERNAL);
	int today = zb_idcard_today();
	assert_true(today > 20240000 && today < 21000000);
	assert_int_equal(zb_idcard_parse("11010519491231002X", today, &c, &e), 0);
}

/* Deterministic PRNG so a failure reproduces. */
static unsigned long long rng = 0x2545F4914F6CDD1DULL;
static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

static int days_in(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return md[m - 1] + (m == 2 && leap);
}

static void test_generator_roundtrip(void **state)
{
	(void)state;
	for (int i = 0; i < 20000; i++) {
		char region[16], birth[40], want_birth[40], id[19];
		int y = 1900 + (int)(next_rand() % 125); /* 1900..2024 */
		int m = 1 + (int)(next_rand() % 12);
		int d = 1 + (int)(next_rand() % (unsigned)days_in(y, m));
		int seq = (int)(next_rand() % 4000) - 2000; /* out of range on purpose */
		char g = next_rand() % 2 ? 'M' : 'F';
		snprintf(region, sizeof region, "%06u", 100000 + next_rand() % 900000);
		snprintf(birth, sizeof birth, "%04d%02d%02d", y, m, d);
		snprintf(want_birth, sizeof want_birth, "%04d-%02d-%02d", y, m, d);

		zb_idcard_make(region, birth, seq, g, id);
		assert_int_equal(strlen(id), 18);
		assert_memory_equal(id, region, 6);
		assert_memory_equal(id + 6, birth, 8);

		zb_idcard c;
		zb_err e = {0};
		if (zb_idcard_parse(id, TODAY, &c, &e) != 0)
			fail_msg("generated %s rejected: %s", id, e.msg);
		assert_string_equal(c.number, id);
		assert_string_equal(c.birth, want_birth);
		assert_int_equal(c.gender, g);

		/* Any single changed digit in the first 17 breaks the checksum
		 * or the date, never passes. */
		int pos = (int)(next_rand() % 17);
		char bad[19];
		memcpy(bad, id, sizeof bad);
		bad[pos] = (char)('0' + (bad[pos] - '0' + 1 + (int)(next_rand() % 9)) % 10);
		assert_int_not_equal(zb_idcard_parse(bad, TODAY, &c, &e), 0);
	}
}

static void test_generator_edges(void **state)
{
	(void)state;
	char id[19];
	zb_idcard_make("110105", "19491231", 2, 'F', id);
	assert_string_equal(id, "11010519491231002X");
	zb_idcard_make("110105", "19491231", 2, 'M', id); /* 2 -> 3 */
	assert_memory_equal(id, "11010519491231003", 17);
	zb_idcard_make("110105", "19491231", 999, 'F', id); /* 999 -> 998 */
	assert_memory_equal(id, "11010519491231998", 17);
	zb_idcard_make("110105", "19491231", 0, 'M', id); /* 0 -> 1 */
	assert_memory_equal(id, "11010519491231001", 17);
	zb_idcard_make("110105", "19491231", 1123, '?', id); /* kept, mod 1000 */
	assert_memory_equal(id, "11010519491231123", 17);
	zb_idcard_make("11010", "19491231", 1, 'M', id);
	assert_string_equal(id, "");
	zb_idcard_make("110105", "1949123a", 1, 'M', id);
	assert_string_equal(id, "");
	zb_idcard_make(NULL, "19491231", 1, 'M', id);
	assert_string_equal(id, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_normalisation),
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_checksum_names_no_digit),
		cmocka_unit_test(test_leap_days),
		cmocka_unit_test(test_impossible_dates),
		cmocka_unit_test(test_future_date),
		cmocka_unit_test(test_length),
		cmocka_unit_test(test_bad_characters),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_today_is_internal),
		cmocka_unit_test(test_generator_roundtrip),
		cmocka_unit_test(test_generator_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
