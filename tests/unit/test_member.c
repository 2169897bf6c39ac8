/* Unit tests for src/member: roster validation, the ID/birth/gender rules,
 * the age rule, text cleaning, dates as people type them, and the
 * importer's header mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/arena.h"
#include "member/idcard.h"
#include "member/import.h"
#include "member/member.h"

#define TODAY 20241231

/* 11010519491231002X: born 1949-12-31, female.  440308199003071235: born
 * 1990-03-07, male. */
#define ID_F "11010519491231002X"
#define ID_M "440308199003071235"

static zb_member base(void)
{
	zb_member m = {0};
	m.name = "张三";
	m.join_date = "2010-07-01";
	m.full_date = "2011-07-01";
	m.category = "full";
	return m;
}

static int check(zb_member *m, unsigned given, zb_err *e, zb_member_errs *errs)
{
	static zb_arena a;
	static int init;
	if (!init) {
		zb_arena_init(&a);
		init = 1;
	}
	zb_member_rules rules;
	zb_member_rules_default(&rules);
	memset(e, 0, sizeof *e);
	return zb_member_check(m, given, &rules, TODAY, &a, errs, e);
}

static void expect_error(zb_member *m, unsigned given, const char *field, const char *msg)
{
	zb_err e;
	int rc = check(m, given, &e, NULL);
	if (!rc)
		fail_msg("accepted, expected %s: %s", field, msg);
	assert_int_equal(rc, ZB_EINVAL);
	assert_string_equal(e.field, field);
	if (msg)
		assert_string_equal(e.msg, msg);
}

static void test_minimal_ok(void **state)
{
	(void)state;
	zb_member m = base();
	zb_err e;
	assert_int_equal(check(&m, ZB_MF_NAME, &e, NULL), 0);
	assert_string_equal(m.category, "full");
	assert_string_equal(m.status, "normal"); /* default */
}

static void test_name_rules(void **state)
{
	(void)state;
	zb_member m = base();
	m.name = "　 ";
	expect_error(&m, ZB_MF_NAME, "name", "请填写姓名");
	m = base();
	m.name = NULL;
	expect_error(&m, ZB_MF_NAME, "name", "请填写姓名");
	/* 51 characters */
	char long_name[51 * 3 + 1];
	for (int i = 0; i < 51; i++)
		memcpy(long_name + i * 3, "张", 3);
	long_name[51 * 3] = '\0';
	m = base();
	m.name = long_name;
	expect_error(&m, ZB_MF_NAME, "name", "姓名过长（最多 50 个字）");
	/* exactly 50 is fine */
	long_name[50 * 3] = '\0';
	m = base();
	m.name = long_name;
	zb_err e;
	assert_int_equal(check(&m, ZB_MF_NAME, &e, NULL), 0);
	/* a name padded to line up in a printed roster, and trailing spaces */
	m = base();
	m.name = "王　五 ";
	assert_int_equal(check(&m, ZB_MF_NAME, &e, NULL), 0);
	assert_string_equal(m.name, "王五");
	/* Latin names keep their inner space */
	m = base();
	m.name = " John Smith ";
	assert_int_equal(check(&m, ZB_MF_NAME, &e, NULL), 0);
	assert_string_equal(m.name, "John Smith");
}

static void test_codes(void **state)
{
	(void)state;
	zb_err e;
	zb_member m = base();
	m.gender = "女";
	m.category = "正式党员";
	m.status = "流动党员";
	m.education = "本科";
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	assert_string_equal(m.gender, "F");
	assert_string_equal(m.category, "full");
	assert_string_equal(m.status, "mobile");
	assert_string_equal(m.education, "大学本科");

	static const char *const edu[][2] = {
		{"研究生", "研究生"}, {"硕士研究生", "研究生"}, {"大专", "大学专科"}, {"中专", "中等专科"},
		{"高中", "高中"},     {"初中", "初中"},         {"小学", "小学及以下"},
	};
	for (size_t i = 0; i < sizeof edu / sizeof edu[0]; i++) {
		m = base();
		m.education = edu[i][0];
		assert_int_equal(check(&m, 0, &e, NULL), 0);
		assert_string_equal(m.education, edu[i][1]);
	}
	static const char *const st[][2] = {
		{"normal", "normal"}, {"正常", "normal"}, {"失联", "lost"}, {"出国（境）", "abroad"}, {"出国(境)", "abroad"},
		{"停止党籍", "suspended"}, {"出党", "removed"}, {"死亡", "deceased"},
	};
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++) {
		m = base();
		m.status = st[i][0];
		assert_int_equal(check(&m, 0, &e, NULL), 0);
		assert_string_equal(m.status, st[i][1]);
	}
	m = base();
	m.gender = "X";
	expect_error(&m, ZB_MF_GENDER, "gender", "性别应为 男 或 女（收到“X”）");
	m = base();
	m.category = "群众";
	expect_error(&m, ZB_MF_CATEGORY, "category", "人员类别应为 正式党员 或 预备党员（收到“群众”）");
	m = base();
	m.status = "休眠";
	expect_error(&m, ZB_MF_STATUS, "status", NULL);
	m = base();
	m.education = "幼儿园";
	expect_error(&m, ZB_MF_EDUCATION, "education", NULL);
	/* "汉" becomes "汉族" */
	m = base();
	m.ethnicity = "汉";
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	assert_string_equal(m.ethnicity, "汉族");
}

static void test_dates_consistent(void **state)
{
	(void)state;
	zb_member m = base();
	m.birth_date = "1990-02-30";
	expect_error(&m, ZB_MF_BIRTH, "birth_date", "出生日期“1990-02-30”不是有效日期（应为 YYYY-MM-DD）");
	m = base();
	m.join_date = "2030-01-01";
	expect_error(&m, ZB_MF_JOIN, "join_date", "入党日期 2030-01-01 晚于今天");
	m = base();
	m.join_date = NULL;
	expect_error(&m, ZB_MF_JOIN, "join_date", "请填写入党日期");
	m = base();
	m.birth_date = "2011-01-01";
	expect_error(&m, ZB_MF_BIRTH, "join_date", "入党日期 2010-07-01 应晚于出生日期 2011-01-01");
	/* full member needs a full date, not before joining */
	m = base();
	m.full_date = NULL;
	expect_error(&m, ZB_MF_FULL, "full_date", "正式党员应填写转正日期");
	m = base();
	m.full_date = "2010-06-30";
	expect_error(&m, ZB_MF_FULL, "full_date", "转正日期 2010-06-30 不能早于入党日期 2010-07-01");
	m = base();
	m.full_date = "2010-07-01"; /* join <= full */
	zb_err e;
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	/* a probationary member has no full date */
	m = base();
	m.category = "预备党员";
	expect_error(&m, ZB_MF_CATEGORY, "full_date", NULL);
	m = base();
	m.category = "probationary";
	m.full_date = NULL;
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	/* without a category, a full date decides */
	m = base();
	m.category = NULL;
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	assert_string_equal(m.category, "full");
	m = base();
	m.category = NULL;
	m.full_date = NULL;
	assert_int_equal(check(&m, 0, &e, NULL), 0);
	assert_string_equal(m.category, "probationary");
}

static void test_age_rule(void **state)
{
	(void)state;
	zb_err e;
	/* born 1990-03-07: 18 on 2008-03-07 */
	zb_member m = base();
	m.id_number = ID_M;
	m.join_date = "2008-03-06";
	m.full_date = "2009-03-06";
	expect_error(&m, ZB_MF_ID, "join_date", "入党时未满 18 周岁（出生日期 1990-03-07，入党日期 2008-03-06）");
	m = base();
	m.id_number = ID_M;
	m.join_date = "2008-03-07";
	m.full_date = "2009-03-07";
	assert_int_equal(check(&m, ZB_MF_ID, &e, NULL), 0);
	/* the age is a rule: a local rule set can change it */
	zb_arena a;
	zb_arena_init(&a);
	zb_member_rules rules = {.min_join_age = 21};
	m = base();
	m.id_number = ID_M;
	m.join_date = "2010-03-06";
	m.full_date = "2011-03-06";
	assert_int_equal(zb_member_check(&m, ZB_MF_ID, &rules, TODAY, &a, NULL, &e), ZB_EINVAL);
	assert_string_equal(e.msg, "入党时未满 21 周岁（出生日期 1990-03-07，入党日期 2010-03-06）");
	zb_arena_free(&a);
}

/* born 29 February: 18 on 28 February of a common year (the month-end rule
 * of 民法典 第二百零二条, as everywhere dates are counted in years) */
static void test_age_rule_leap_day(void **state)
{
	(void)state;
	zb_err e;
	zb_member m = base();
	m.birth_date = "2000-02-29";
	m.join_date = "2018-02-27";
	m.full_date = "2019-02-27";
	expect_error(&m, ZB_MF_BIRTH, "join_date", "入党时未满 18 周岁（出生日期 2000-02-29，入党日期 2018-02-27）");
	m = base();
	m.birth_date = "2000-02-29";
	m.join_date = "2018-02-28";
	m.full_date = "2019-02-28";
	assert_int_equal(check(&m, ZB_MF_BIRTH, &e, NULL), 0);
}

static void test_id_derives_and_mismatch(void **state)
{
	(void)state;
	zb_err e;
	zb_member m = base();
	m.id_number = "４４０３０８１９９００３０７１２３５"; /* full-width digits */
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	assert_int_equal(check(&m, ZB_MF_ID, &e, NULL), 0);
	assert_string_equal(m.id_number, ID_M);
	assert_string_equal(m.birth_date, "1990-03-07");
	assert_string_equal(m.gender, "M");

	m = base();
	m.id_number = ID_M;
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	m.birth_date = "1990-03-08";
	expect_error(&m, ZB_MF_ID | ZB_MF_BIRTH, "birth_date", "出生日期 1990-03-08 与身份证号中的 1990-03-07 不一致");

	m = base();
	m.id_number = ID_M;
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	m.gender = "女";
	expect_error(&m, ZB_MF_ID | ZB_MF_GENDER, "gender", "性别 女 与身份证号中的 男 不一致");

	/* a stored (not stated) birth date is simply replaced by the ID's */
	m = base();
	m.id_number = ID_M;
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	m.birth_date = "1980-01-01";
	m.gender = "F";
	assert_int_equal(check(&m, ZB_MF_ID, &e, NULL), 0);
	assert_string_equal(m.birth_date, "1990-03-07");
	assert_string_equal(m.gender, "M");

	/* a bad checksum names id_number */
	m = base();
	m.id_number = "440308199003071234";
	expect_error(&m, ZB_MF_ID, "id_number", "身份证号有误：号码未通过校验，请对照身份证逐位核对");
	/* 15-digit legacy numbers are refused with a message */
	m = base();
	m.id_number = "110105491231002";
	zb_err e2;
	assert_int_not_equal(check(&m, ZB_MF_ID, &e2, NULL), 0);
	assert_string_equal(e2.field, "id_number");
}

/* A stored ID number (not stated in the input) is never compared with a
 * stated birth date: the answer would tell its birth date day by day. */
static void test_stored_id_not_an_oracle(void **state)
{
	(void)state;
	zb_member m = base();
	m.id_number = ID_M;
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	const char *msg = "该党员已登记身份证号，出生日期由身份证号得出，不能单独修改；如需更正，请同时填写正确的身份证号";
	m.birth_date = "1990-03-07"; /* the right day: refused all the same */
	expect_error(&m, ZB_MF_BIRTH, "birth_date", msg);
	m = base();
	m.id_number = ID_M;
	m.join_date = "2012-07-01";
	m.full_date = "2013-07-01";
	m.birth_date = "1990-03-08";
	expect_error(&m, ZB_MF_BIRTH, "birth_date", msg);
	/* the age rule names the month of a birth date the input did not state */
	m = base();
	m.id_number = ID_M;
	m.join_date = "2008-02-28";
	m.full_date = "2009-03-06";
	expect_error(&m, ZB_MF_JOIN, "join_date", "入党时未满 18 周岁（出生日期 1990-03，入党日期 2008-02-28）");
	/* and gives one answer for every day of the month of the 18th
	 * birthday (1990-03-07: the 6th is too early, the 7th is not) */
	for (int d = 1; d <= 31; d++) {
		char jd[32];
		snprintf(jd, sizeof jd, "2008-03-%02d", d);
		m = base();
		m.id_number = ID_M;
		m.join_date = jd;
		m.full_date = "2009-03-06";
		zb_err e;
		assert_int_not_equal(check(&m, ZB_MF_JOIN, &e, NULL), 0);
		assert_string_equal(e.field, "join_date");
		assert_non_null(strstr(e.msg, "同一个月"));
	}
	/* stated with the ID number, the day decides */
	m = base();
	m.id_number = ID_M;
	m.join_date = "2008-03-07";
	m.full_date = "2009-03-07";
	zb_err ok;
	assert_int_equal(check(&m, ZB_MF_JOIN | ZB_MF_ID, &ok, NULL), 0);
	m = base();
	m.id_number = ID_M;
	m.join_date = "2008-04-01";
	m.full_date = "2009-04-01";
	assert_int_equal(check(&m, ZB_MF_JOIN, &ok, NULL), 0);
}

static void test_invisible_characters_in_names(void **state)
{
	(void)state;
	static const char *const bad_names[] = {
	    "王\u202E五",  "王\u202A五", "王\u2066五", "王\u2069五", "王\u200E五", "王\u200F五", "王\u061C五",
	    "王\u200B五",  "王\u200C五", "王\u200D五", "王\u2060五", "王\uFEFF五", "王\uE000五", "王\uF8FF五",
	    "王\U000F0000五", "王\U0010FFFD五", "Li\u200BLei",
	};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		zb_member m = base();
		m.name = bad_names[i];
		zb_err e;
		if (!check(&m, ZB_MF_NAME, &e, NULL))
			fail_msg("name %zu accepted", i);
		assert_string_equal(e.field, "name");
		assert_non_null(strstr(e.msg, "姓名"));
		assert_non_null(strstr(e.msg, "U+"));
	}
	/* what real names contain stays accepted */
	static const char *const good_names[] = {"王五", "阿依古丽·买买提", "欧阳 娜娜", "John Smith", "𠀀明"};
	for (size_t i = 0; i < sizeof good_names / sizeof good_names[0]; i++) {
		zb_member m = base();
		m.name = good_names[i];
		zb_err e;
		if (check(&m, ZB_MF_NAME, &e, NULL))
			fail_msg("name %s refused: %s", good_names[i], e.msg);
	}
	zb_err e = {0};
	assert_int_equal(zb_name_check("张\u202E三", "display_name", "显示名称", &e), ZB_EINVAL);
	assert_string_equal(e.field, "display_name");
	assert_non_null(strstr(e.msg, "显示名称"));
	assert_int_equal(zb_name_check(NULL, "x", "x", &e), 0);
}

static void test_birth_shown_and_age(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	assert_string_equal(zb_member_birth_shown(&a, "1990-03-07", 1), "1990-03-07");
	assert_string_equal(zb_member_birth_shown(&a, "1990-03-07", 0), "1990-03");
	assert_null(zb_member_birth_shown(&a, NULL, 0));
	/* by month: every day of the birth month gives the same age */
	for (int d = 1; d <= 31; d++) {
		char b[32];
		snprintf(b, sizeof b, "1990-12-%02d", d);
		assert_int_equal(zb_member_age(b, 20241207, 0), 34);
	}
	assert_int_equal(zb_member_age("1990-12-20", 20241207, 1), 33);
	assert_int_equal(zb_member_age("1990-12-01", 20241207, 1), 34);
	assert_int_equal(zb_member_age("1991-01-01", 20241207, 0), 33);
	assert_int_equal(zb_member_age(NULL, 20241207, 0), -1);
	zb_arena_free(&a);
}

static void test_all_errors_collected(void **state)
{
	(void)state;
	zb_member m = base();
	m.name = NULL;
	m.gender = "?";
	m.id_number = ID_F;
	m.birth_date = "1949-12-30";
	zb_member_errs errs;
	zb_err e;
	assert_int_equal(check(&m, ZB_MF_NAME | ZB_MF_GENDER | ZB_MF_ID | ZB_MF_BIRTH, &e, &errs), ZB_EINVAL);
	assert_true(errs.n >= 3);
	assert_string_equal(errs.err[0].field, "name");
	int saw_birth = 0;
	for (int i = 0; i < errs.n; i++)
		saw_birth |= !strcmp(errs.err[i].msg, "出生日期 1949-12-30 与身份证号中的 1949-12-31 不一致");
	assert_true(saw_birth);
}

static void test_phone(void **state)
{
	(void)state;
	zb_err e;
	static const char *const ok[][2] = {
		{"13800138000", "13800138000"}, {"138 0013 8000", "13800138000"}, {"+86 138-0013-8000", "13800138000"},
		{"１３８００１３８０００", "13800138000"}, {"010-12345678", "010-12345678"}, {"0755-1234567", "0755-1234567"},
		{"1234567", "1234567"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		zb_member m = base();
		m.phone = ok[i][0];
		if (check(&m, ZB_MF_PHONE, &e, NULL))
			fail_msg("phone %s rejected: %s", ok[i][0], e.msg);
		assert_string_equal(m.phone, ok[i][1]);
	}
	static const char *const bad[] = {"12345", "abc", "138001380001234567", "2345678901"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		zb_member m = base();
		m.phone = bad[i];
		expect_error(&m, ZB_MF_PHONE, "phone", "联系电话格式不正确：应为 11 位手机号，或带区号的固定电话");
	}
}

static void test_clean(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	assert_string_equal(zb_member_clean(&a, " \t张三\u3000 "), "张三");
	assert_string_equal(zb_member_clean(&a, "ＡＢＣ１２３ｘ"), "ABC123x");
	assert_string_equal(zb_member_clean(&a, "\xEF\xBB\xBF" "李四\xC2\xA0"), "李四");
	assert_null(zb_member_clean(&a, "\u3000 \t"));
	assert_null(zb_member_clean(&a, NULL));
	zb_arena_free(&a);
}

static void expect_date(const char *in, const char *out, int prec)
{
	char d[11];
	int p = 0;
	if (zb_member_date_parse(in, 0, d, &p))
		fail_msg("date \"%s\" refused", in);
	assert_string_equal(d, out);
	assert_int_equal(p, prec);
}

static void expect_no_date(const char *in)
{
	char d[11] = "x";
	if (!zb_member_date_parse(in, 0, d, NULL))
		fail_msg("\"%s\" taken as %s", in, d);
	assert_string_equal(d, "");
}

static void test_date_forms(void **state)
{
	(void)state;
	expect_date("2020-01-02", "2020-01-02", 3);
	expect_date("2020/1/2", "2020-01-02", 3);
	expect_date("2020.1.2", "2020-01-02", 3);
	expect_date("2020年1月2日", "2020-01-02", 3);
	expect_date("2020年01月02号", "2020-01-02", 3);
	expect_date("20200102", "2020-01-02", 3);
	expect_date("２０２０－０１－０２", "2020-01-02", 3);
	expect_date("2020．1．2", "2020-01-02", 3);
	expect_date(" 2020-01-02 ", "2020-01-02", 3);
	expect_date("2020-01-02 00:00:00", "2020-01-02", 3);
	expect_date("2020-01-02T08:30:00", "2020-01-02", 3);
	/* month precision, as 出生年月 and 入党时间 often are */
	expect_date("202001", "2020-01-01", 2);
	expect_date("2020.01", "2020-01-01", 2);
	expect_date("2020年1月", "2020-01-01", 2);
	expect_date("2020-1", "2020-01-01", 2);
	/* Excel serials, also when typed into a text cell */
	expect_date("43831", "2020-01-01", 3);
	expect_date("43831.75", "2020-01-01", 3);
	expect_date("1", "1900-01-01", 3);
	char d[11];
	assert_int_equal(zb_member_date_parse("0", 1, d, NULL), 0); /* 1904 system */
	assert_string_equal(d, "1904-01-01");

	expect_no_date("");
	expect_no_date("1990");           /* a year alone */
	expect_no_date("2020-13-01");
	expect_no_date("2020-02-30");
	expect_no_date("2019-02-29");
	expect_no_date("2020-1-2-3");
	expect_no_date("20-01-02");
	expect_no_date("二〇二〇年一月");
	expect_no_date("2020/01-02x");
	expect_no_date("60");             /* Excel's phantom 1900-02-29 */
	expect_no_date("111110");         /* a serial past 2200 (found by fuzz_member) */
	expect_no_date("abc");
}

static void test_headers(void **state)
{
	(void)state;
	static const struct {
		const char *h;
		zb_icol c;
	} cases[] = {
		{"姓名", ZB_ICOL_NAME},
		{" 姓 名 ", ZB_ICOL_NAME},
		{"*姓名", ZB_ICOL_NAME},
		{"姓名：", ZB_ICOL_NAME},
		{"性别", ZB_ICOL_GENDER},
		{"民族", ZB_ICOL_ETHNICITY},
		{"出生日期", ZB_ICOL_BIRTH},
		{"出生年月", ZB_ICOL_BIRTH},
		{"出生日期（年月日）", ZB_ICOL_BIRTH},
		{"出生日期(yyyy-mm-dd)", ZB_ICOL_BIRTH},
		{"身份证号", ZB_ICOL_ID},
		{"身份证号码", ZB_ICOL_ID},
		{"公民身份号码", ZB_ICOL_ID},
		{"证件号码", ZB_ICOL_ID},
		{"籍贯", ZB_ICOL_NATIVE},
		{"学历", ZB_ICOL_EDUCATION},
		{"文化程度", ZB_ICOL_EDUCATION},
		{"学位", ZB_ICOL_DEGREE},
		{"工作单位及职务", ZB_ICOL_WORK_AND_JOB},
		{"单位职务", ZB_ICOL_WORK_AND_JOB},
		{"工作单位", ZB_ICOL_WORK_UNIT},
		{"职务", ZB_ICOL_JOB},
		{"人员类别", ZB_ICOL_CATEGORY},
		{"党员类别", ZB_ICOL_CATEGORY},
		{"类别", ZB_ICOL_CATEGORY},
		{"入党日期", ZB_ICOL_JOIN},
		{"入党时间", ZB_ICOL_JOIN},
		{"转正日期", ZB_ICOL_FULL},
		{"转正时间", ZB_ICOL_FULL},
		{"联系电话", ZB_ICOL_PHONE},
		{"手机号码", ZB_ICOL_PHONE},
		{"电话", ZB_ICOL_PHONE},
		{"现居住地", ZB_ICOL_ADDRESS},
		{"住址", ZB_ICOL_ADDRESS},
		{"家庭住址", ZB_ICOL_ADDRESS},
		{"所在党支部", ZB_ICOL_ORG},
		{"所在组织", ZB_ICOL_ORG},
		{"党组织", ZB_ICOL_ORG},
		{"党小组", ZB_ICOL_GROUP},
		{"状态", ZB_ICOL_STATUS},
		{"党籍状态", ZB_ICOL_STATUS},
		{"备注", ZB_ICOL_REMARKS},
		{"ＮＯ", ZB_ICOL_NONE},
		{"序号", ZB_ICOL_NONE},
		{"", ZB_ICOL_NONE},
		{"党员花名册", ZB_ICOL_NONE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (zb_import_header_col(cases[i].h) != cases[i].c)
			fail_msg("header \"%s\" mapped to %d, expected %d", cases[i].h, zb_import_header_col(cases[i].h),
			         cases[i].c);
	/* every header the exporter writes maps back to its column */
	for (int c = 0; c < ZB_ICOL_COUNT; c++)
		assert_int_equal(zb_import_header_col(zb_import_col_header((zb_icol)c)), c);
}

/* ZB_MEMBER_FIELDS is the one description: every stated field once, the
 * sensitive and self-editable ones as the roster treats them, the
 * importer's headers and the checks' messages taken from its labels. */
static void test_field_description(void **state)
{
	(void)state;
	unsigned seen = 0;
	int n = 0;
	for (const zb_member_field *f = zb_member_fields; f->json; f++, n++) {
		assert_int_equal(seen & f->bit, 0);
		seen |= f->bit;
		assert_ptr_equal(zb_member_field_of(f->bit), f);
		assert_true(f->type == 's' || f->type == 'd');
		assert_true(f->bytes > 0);
	}
	assert_int_equal(n, 18);
	assert_int_equal(seen, (ZB_MF_REMARKS << 1) - 1);
	unsigned sensitive = 0, self = 0;
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (f->flags & ZB_MFF_SENSITIVE)
			sensitive |= f->bit;
		if (f->flags & ZB_MFF_SELF)
			self |= f->bit;
	}
	assert_int_equal(sensitive, ZB_MF_ID | ZB_MF_PHONE);
	assert_int_equal(self, ZB_MF_PHONE | ZB_MF_ADDRESS | ZB_MF_REMARKS);
	assert_string_equal(zb_member_field_of(ZB_MF_ID)->json, "id_number");
	assert_null(zb_member_field_of(ZB_MF_ORG));

	/* the exporter's header of a member column is the field's label */
	assert_string_equal(zb_import_col_header(ZB_ICOL_ID), zb_member_field_of(ZB_MF_ID)->label);
	assert_string_equal(zb_import_col_header(ZB_ICOL_ADDRESS), "现居住地");
	assert_string_equal(zb_import_col_header(ZB_ICOL_ORG), "所在党支部");

	/* limits and labels of the checks */
	zb_member m = base();
	m.ethnicity = "一二三四五六七八九十一二三四五六七八九十一";
	expect_error(&m, 0, "ethnicity", "民族过长（最多 20 个字）");
	m = base();
	m.address = "东街\n3 号";
	m.degree = "学\n士";
	expect_error(&m, 0, "degree", "学位含有控制字符");
	m.degree = NULL;
	zb_err e;
	assert_int_equal(check(&m, 0, &e, NULL), 0);

	/* copying what an input states, the sensitive fields included */
	zb_member dst = base(), src = {0};
	src.phone = "13800000000";
	src.remarks = "新";
	src.name = "李四";
	zb_member_copy_given(&dst, &src, ZB_MF_PHONE | ZB_MF_REMARKS);
	assert_string_equal(dst.phone, "13800000000");
	assert_string_equal(dst.remarks, "新");
	assert_string_equal(dst.name, "张三");

	/* the comparison names changed fields by the labels */
	zb_arena a;
	zb_arena_init(&a);
	zb_member old = base(), nw = base();
	old.id_index = "a";
	old.id_masked = "1101**********002X";
	nw.id_index = "b";
	nw.id_masked = "4403**********1235";
	nw.ethnicity = "汉族";
	zb_member_diff *d;
	assert_int_equal(zb_member_compare(&old, &nw, &a, &d), 2);
	assert_string_equal(d[0].field, "ethnicity");
	assert_string_equal(d[0].label, "民族");
	assert_string_equal(d[1].field, "id_number");
	assert_string_equal(d[1].label, "身份证号");
	zb_arena_free(&a);
}

static void test_party_age(void **state)
{
	(void)state;
	assert_int_equal(zb_member_party_age("2000-07-01", 20240630), 23);
	assert_int_equal(zb_member_party_age("2000-07-01", 20240701), 24);
	assert_int_equal(zb_member_party_age(NULL, 20240701), -1);
	assert_int_equal(zb_member_party_age("2025-01-01", 20240701), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_ok),     cmocka_unit_test(test_name_rules),
		cmocka_unit_test(test_codes),          cmocka_unit_test(test_dates_consistent),
		cmocka_unit_test(test_age_rule), cmocka_unit_test(test_age_rule_leap_day),       cmocka_unit_test(test_id_derives_and_mismatch),
		cmocka_unit_test(test_all_errors_collected), cmocka_unit_test(test_phone),
		cmocka_unit_test(test_clean),          cmocka_unit_test(test_date_forms),
		cmocka_unit_test(test_headers),        cmocka_unit_test(test_party_age),
		cmocka_unit_test(test_stored_id_not_an_oracle), cmocka_unit_test(test_invisible_characters_in_names),
		cmocka_unit_test(test_birth_shown_and_age), cmocka_unit_test(test_field_description),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
