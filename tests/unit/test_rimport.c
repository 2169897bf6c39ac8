/* Unit tests for the pure parts of the 发展党员台账 import: the header
 * variants (zb_rimport_header_col), one row's cells into an applicant and
 * its steps (zb_rimport_parse: dates as Excel holds them, empty cells, the
 * 推优 and 政审 cells), and the rules an imported history is judged by
 * (zb_recruit_check_historic), each at its edge: the day it still holds
 * and the day it breaks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "recruit/recruit.h"
#include "recruit/rimport.h"

/* ---- headers ---- */

static void test_headers(void **state)
{
	(void)state;
	assert_int_equal(zb_rimport_header_col("姓名"), ZB_RC_NAME);
	assert_int_equal(zb_rimport_header_col("姓  名"), ZB_RC_NAME);
	assert_int_equal(zb_rimport_header_col("公民身份号码"), ZB_RC_ID);
	assert_int_equal(zb_rimport_header_col("身份证号码"), ZB_RC_ID);
	assert_int_equal(zb_rimport_header_col("出生年月"), ZB_RC_BIRTH);
	assert_int_equal(zb_rimport_header_col("文化程度"), ZB_RC_EDUCATION);
	assert_int_equal(zb_rimport_header_col("所在党支部"), ZB_RC_ORG);
	assert_int_equal(zb_rimport_header_col("是否推优"), ZB_RC_LEAGUE);
	assert_int_equal(zb_rimport_header_col("递交入党申请书日期"), ZB_RC_APPLIED);
	assert_int_equal(zb_rimport_header_col("申请入党时间"), ZB_RC_APPLIED);
	assert_int_equal(zb_rimport_header_col("确定入党积极分子日期"), ZB_RC_ACTIVIST);
	assert_int_equal(zb_rimport_header_col("列为发展对象日期"), ZB_RC_CANDIDATE);
	assert_int_equal(zb_rimport_header_col("入党介绍人"), ZB_RC_INTRODUCERS);
	assert_int_equal(zb_rimport_header_col("支部大会日期"), ZB_RC_PLENARY);
	assert_int_equal(zb_rimport_header_col("入党日期"), ZB_RC_PLENARY);
	assert_int_equal(zb_rimport_header_col("上级党委审批日期"), ZB_RC_APPROVED);
	assert_int_equal(zb_rimport_header_col("转为正式党员日期"), ZB_RC_FULL);
	assert_int_equal(zb_rimport_header_col("备注"), ZB_RC_NONE);
	assert_int_equal(zb_rimport_header_col(""), ZB_RC_NONE);
}

/* ---- one row ---- */

typedef struct prow {
	zb_arena ar;
	zb_applicant a;
	unsigned given;
	zb_rstep_input steps[16];
	int n;
	const char *errs[12];
	int nerr;
} prow;

static prow *parse(const zb_rimport_cells *c)
{
	prow *p = calloc(1, sizeof *p);
	assert_non_null(p);
	zb_arena_init(&p->ar);
	zb_rimport_parse(c, &p->ar, &p->a, &p->given, p->steps, &p->n, p->errs, &p->nerr);
	return p;
}

static void prow_free(prow *p)
{
	zb_arena_free(&p->ar);
	free(p);
}

static const zb_rstep_input *step_of(const prow *p, int step)
{
	for (int i = 0; i < p->n; i++)
		if (p->steps[i].step == step)
			return &p->steps[i];
	return NULL;
}

static void has_error(const prow *p, const char *part)
{
	for (int i = 0; i < p->nerr; i++)
		if (strstr(p->errs[i], part))
			return;
	fail_msg("no error with '%s' (%d errors%s%s)", part, p->nerr, p->nerr ? ": " : "", p->nerr ? p->errs[0] : "");
}

/* Dates in the forms a workbook holds them: an Excel serial (1900 and 1904
 * systems), with a time, with slashes, dots, 年月日. */
static void test_parse_dates(void **state)
{
	(void)state;
	zb_rimport_cells c = {0};
	c.v[ZB_RC_NAME] = "王一";
	c.v[ZB_RC_BIRTH] = "1998-03-02";
	c.v[ZB_RC_APPLIED] = "45352";                /* 2024-03-01 in the 1900 system */
	c.v[ZB_RC_TALK] = "2024-03-20 00:00:00";
	c.v[ZB_RC_ACTIVIST] = "2024/9/1";
	c.v[ZB_RC_CANDIDATE] = "2025.9.2";
	c.v[ZB_RC_PLENARY] = "2025年10月8日";
	prow *p = parse(&c);
	assert_int_equal(p->nerr, 0);
	assert_int_equal(p->n, 5);
	assert_string_equal(p->a.applied_on, "2024-03-01");
	assert_string_equal(p->a.birth_date, "1998-03-02");
	assert_true(p->given & ZB_AF_BIRTH);
	assert_true(p->given & ZB_AF_NAME);
	assert_false(p->given & ZB_AF_PHONE);
	static const struct {
		int step;
		const char *on;
	} want[] = {{1, "2024-03-01"}, {2, "2024-03-20"}, {3, "2024-09-01"}, {7, "2025-09-02"}, {15, "2025-10-08"}};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(p->steps[i].step, want[i].step);
		assert_string_equal(p->steps[i].done_on, want[i].on);
	}
	prow_free(p);

	/* the 1904 system (a workbook saved on a Mac): the same day */
	zb_rimport_cells m = {.date1904 = 1};
	m.v[ZB_RC_APPLIED] = "43890";
	p = parse(&m);
	assert_int_equal(p->nerr, 0);
	assert_string_equal(p->a.applied_on, "2024-03-01");
	prow_free(p);

	/* 出生年月 to the month only: the day comes from the ID number */
	zb_rimport_cells b = {0};
	b.v[ZB_RC_BIRTH] = "1998.03";
	b.v[ZB_RC_APPLIED] = "2024-03-01";
	p = parse(&b);
	assert_int_equal(p->nerr, 0);
	assert_null(p->a.birth_date);
	assert_false(p->given & ZB_AF_BIRTH);
	prow_free(p);

	/* not a date: the column and the cell named */
	zb_rimport_cells bad = {0};
	bad.v[ZB_RC_APPLIED] = "2024-03-01";
	bad.v[ZB_RC_ACTIVIST] = "去年秋天";
	bad.v[ZB_RC_TALK] = "2024-02-30";
	p = parse(&bad);
	assert_int_equal(p->nerr, 2);
	has_error(p, "确定积极分子日期“去年秋天”无法识别为日期");
	has_error(p, "谈话日期“2024-02-30”");
	assert_int_equal(p->n, 1);
	prow_free(p);
}

/* Empty cells are no step and no error; only the application is required. */
static void test_parse_empty(void **state)
{
	(void)state;
	zb_rimport_cells c = {0};
	c.v[ZB_RC_NAME] = "李二";
	c.v[ZB_RC_APPLIED] = "2024-03-01";
	c.v[ZB_RC_TALK] = "";
	c.v[ZB_RC_ACTIVIST] = "";
	c.v[ZB_RC_CONTACTS] = "";
	c.v[ZB_RC_LEAGUE] = "";
	c.v[ZB_RC_VETTING] = "";
	c.v[ZB_RC_PHONE] = "";
	prow *p = parse(&c);
	assert_int_equal(p->nerr, 0);
	assert_int_equal(p->n, 1);
	assert_int_equal(p->steps[0].step, 1);
	assert_false(p->given & ZB_AF_PHONE);
	assert_null(p->a.phone);
	prow_free(p);

	zb_rimport_cells none = {0};
	none.v[ZB_RC_NAME] = "赵三";
	none.v[ZB_RC_TALK] = "2024-03-20";
	p = parse(&none);
	assert_int_equal(p->n, 0);
	has_error(p, "缺少申请入党日期");
	prow_free(p);

	/* a later date without the one it needs */
	zb_rimport_cells gap = {0};
	gap.v[ZB_RC_APPLIED] = "2020-03-01";
	gap.v[ZB_RC_FULL] = "2023-03-01";
	p = parse(&gap);
	has_error(p, "有转正日期，缺少上级审批");
	assert_string_equal(step_of(p, 24)->outcome, "full");
	prow_free(p);
}

/* 推优, the people cells, 政审 with its conclusion, steps in number order. */
static void test_parse_facts(void **state)
{
	(void)state;
	zb_rimport_cells c = {0};
	c.v[ZB_RC_APPLIED] = "2022-01-10";
	c.v[ZB_RC_TALK] = "2022-01-20";
	c.v[ZB_RC_TALKER] = "周书记";
	c.v[ZB_RC_LEAGUE] = "是";
	c.v[ZB_RC_ACTIVIST] = "2022-04-01";
	c.v[ZB_RC_CONTACTS] = "张正、刘预";
	c.v[ZB_RC_CANDIDATE] = "2023-05-01";
	c.v[ZB_RC_INTRODUCERS] = "张正，王强";
	c.v[ZB_RC_VETTING] = "不合格 2023-06-01";
	c.v[ZB_RC_TRAINING] = "2023-05-20";
	prow *p = parse(&c);
	assert_int_equal(p->nerr, 0);
	int order[] = {1, 2, 3, 5, 7, 9, 10, 11};
	assert_int_equal(p->n, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(p->steps[i].step, order[i]);
	assert_string_equal(step_of(p, 2)->people[0].name, "周书记");
	assert_string_equal(step_of(p, 3)->recommended_by, "league");
	const zb_rstep_input *s5 = step_of(p, 5);
	assert_int_equal(s5->npeople, 2);
	assert_string_equal(s5->people[1].name, "刘预");
	assert_string_equal(s5->done_on, "2022-04-01"); /* dated with step 3 */
	const zb_rstep_input *s9 = step_of(p, 9);
	assert_int_equal(s9->npeople, 2);
	assert_string_equal(s9->people[1].name, "王强");
	assert_string_equal(s9->done_on, "2023-05-01");
	assert_string_equal(step_of(p, 10)->conclusion, "fail");
	assert_string_equal(step_of(p, 10)->done_on, "2023-06-01");
	assert_string_equal(step_of(p, 11)->done_on, "2023-05-20");
	prow_free(p);

	zb_rimport_cells d = {0};
	d.v[ZB_RC_APPLIED] = "2022-01-10";
	d.v[ZB_RC_ACTIVIST] = "2022-04-01";
	d.v[ZB_RC_LEAGUE] = "否";
	d.v[ZB_RC_VETTING] = "2023-06-01";
	p = parse(&d);
	assert_int_equal(p->nerr, 0);
	assert_string_equal(step_of(p, 3)->recommended_by, "members");
	assert_string_equal(step_of(p, 10)->conclusion, "pass");
	assert_null(step_of(p, 5));
	prow_free(p);

	zb_rimport_cells bad = {0};
	bad.v[ZB_RC_APPLIED] = "2022-01-10";
	bad.v[ZB_RC_LEAGUE] = "也许";
	bad.v[ZB_RC_VETTING] = "合格";
	bad.v[ZB_RC_TRAINING] = "三天";
	p = parse(&bad);
	assert_int_equal(p->nerr, 3);
	has_error(p, "推优“也许”应填写“是”或“否”");
	has_error(p, "政审“合格”应填写政审日期");
	has_error(p, "培训“三天”应填写集中培训");
	prow_free(p);
}

/* ---- the rules a history is judged by ---- */

typedef struct hc {
	zb_recruit_rules r;
	zb_rstep_rec s[16];
	char dates[16][11];
	zb_rcase c;
	zb_err e;
} hc;

static void hc_init(hc *h, const char *birth, const char *applied)
{
	memset(h, 0, sizeof *h);
	zb_recruit_rules_default(&h->r);
	h->c.birth_date = birth;
	h->c.applied_on = applied;
	h->c.done = h->s;
	h->c.probation_months = 12;
	h->c.ext_min = 6;
	h->c.ext_max = 12;
	snprintf(h->dates[0], 11, "%s", applied);
	h->s[0] = (zb_rstep_rec){.step = 1, .done_on = h->dates[0]};
	h->c.ndone = 1;
}

static void done(hc *h, int step, const char *on)
{
	int i = h->c.ndone++;
	snprintf(h->dates[i], 11, "%s", on);
	h->s[i] = (zb_rstep_rec){.step = step, .done_on = h->dates[i]};
}

static int judge(hc *h, zb_rstep_rec next)
{
	memset(&h->e, 0, sizeof h->e);
	return zb_recruit_check_historic(&h->r, &h->c, &next, "2030-01-01", &h->e);
}

static void holds(hc *h, zb_rstep_rec next)
{
	if (judge(h, next))
		fail_msg("step %d on %s flagged: %s", next.step, next.done_on, h->e.msg);
}

static void breaks(hc *h, zb_rstep_rec next, int code, const char *part1, const char *part2)
{
	int rc = judge(h, next);
	if (rc != code)
		fail_msg("step %d on %s: rc %d (%s), want %d", next.step, next.done_on, rc, h->e.msg, code);
	if (part1 && !strstr(h->e.msg, part1))
		fail_msg("message '%s' lacks '%s'", h->e.msg, part1);
	if (part2 && !strstr(h->e.msg, part2))
		fail_msg("message '%s' lacks '%s'", h->e.msg, part2);
}

#define STEP(n, d, ...) ((zb_rstep_rec){.step = (n), .done_on = (d), __VA_ARGS__})

/* Under 18 on the application and dates going backwards: the row is an
 * error (ZB_EINVAL), not a flag. */
static void test_hist_errors(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2006-05-05", "2024-05-05");
	h.c.ndone = 0;
	holds(&h, STEP(1, "2024-05-05")); /* the 18th birthday */
	h.c.applied_on = "2024-05-04";
	breaks(&h, STEP(1, "2024-05-04"), ZB_EINVAL, "18", NULL);
	hc_init(&h, "2000-01-01", "2024-05-05");
	done(&h, 3, "2024-08-01");
	holds(&h, STEP(7, "2025-08-01"));
	breaks(&h, STEP(7, "2024-07-31"), ZB_EINVAL, "日期先后顺序不对", "2024-08-01");
	breaks(&h, STEP(7, "2030-01-02"), ZB_EINVAL, "晚于今天", NULL);
	breaks(&h, STEP(7, "2025-02-30"), ZB_EINVAL, "日期无效", NULL);
}

/* The talk within one month (month-end rule). */
static void test_hist_talk(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2000-01-01", "2026-01-31");
	holds(&h, STEP(2, "2026-02-28"));
	breaks(&h, STEP(2, "2026-03-01"), ZB_ECONFLICT, "2026-01-31", "2026-02-28");
}

/* A year as 积极分子 before 发展对象; the 考察 (not in a 台账) not counted. */
static void test_hist_activist_year(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2000-01-01", "2025-01-10");
	done(&h, 2, "2025-01-20");
	done(&h, 3, "2025-03-01");
	holds(&h, STEP(7, "2026-03-01"));
	breaks(&h, STEP(7, "2026-02-28"), ZB_ECONFLICT, "确定为发展对象须经一年以上培养考察", "2025-03-01");
	/* no 积极分子 date in the sheet: nothing to judge */
	hc_init(&h, "2000-01-01", "2025-01-10");
	holds(&h, STEP(7, "2025-02-01"));
}

/* 培养联系人 and 入党介绍人: full members on the day when on the roster;
 * a 预备党员 flagged by name; people not on the roster not judged; the
 * number of 介绍人. */
static void test_hist_people(void **state)
{
	(void)state;
	static const zb_rperson full = {11, "张正", "full", "2010-07-01", "normal", 1};
	static const zb_rperson late_full = {12, "孙立", "full", "2024-06-01", "normal", 1};
	static const zb_rperson prob = {13, "刘预", "probationary", NULL, "normal", 1};
	static const zb_rperson away = {0, "王强", NULL, NULL, NULL, 0};
	hc h;
	hc_init(&h, "2000-01-01", "2023-01-10");
	done(&h, 3, "2023-04-01");
	zb_rperson c1[] = {full, away};
	holds(&h, STEP(5, "2023-04-01", .people = c1, .npeople = 2));
	zb_rperson c2[] = {prob};
	breaks(&h, STEP(5, "2023-04-01", .people = c2, .npeople = 1), ZB_ECONFLICT, "培养联系人", "刘预");
	done(&h, 5, "2023-04-01");
	done(&h, 7, "2024-06-01");
	/* 孙立 转正 on 2024-06-01: a full member that very day, not the day before */
	zb_rperson i1[] = {full, late_full};
	holds(&h, STEP(9, "2024-06-01", .people = i1, .npeople = 2));
	h.s[h.c.ndone - 1].done_on = "2024-05-31";
	breaks(&h, STEP(9, "2024-05-31", .people = i1, .npeople = 2), ZB_ECONFLICT, "入党介绍人", "孙立");
	zb_rperson i2[] = {full, prob};
	breaks(&h, STEP(9, "2024-06-01", .people = i2, .npeople = 2), ZB_ECONFLICT, "入党介绍人须为正式党员", "刘预");
	zb_rperson i3[] = {full};
	breaks(&h, STEP(9, "2024-06-01", .people = i3, .npeople = 1), ZB_ECONFLICT, "2 名正式党员作入党介绍人", "记载 1 名");
	zb_rperson i4[] = {full, away};
	holds(&h, STEP(9, "2024-06-01", .people = i4, .npeople = 2));
}

/* 集中培训: 3 days or 24 学时 when the sheet states them. */
static void test_hist_training(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2000-01-01", "2023-01-10");
	holds(&h, STEP(11, "2024-05-01", .training_days = 3));
	holds(&h, STEP(11, "2024-05-01", .training_hours = 24));
	holds(&h, STEP(11, "2024-05-01"));
	breaks(&h, STEP(11, "2024-05-01", .training_days = 2, .training_hours = 23), ZB_ECONFLICT, "不少于 3 天", "2 天、23 学时");
}

/* 上级党委审批 within 3 months of the plenary, up to 6 with a reason. */
static void test_hist_approval(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2000-01-01", "2024-01-10");
	done(&h, 15, "2026-03-31");
	holds(&h, STEP(17, "2026-06-30"));
	breaks(&h, STEP(17, "2026-07-01"), ZB_ECONFLICT, "2026-03-31", "原因");
	holds(&h, STEP(17, "2026-07-01", .delay_reason = "上级党委换届"));
	holds(&h, STEP(17, "2026-09-30", .delay_reason = "上级党委换届"));
	breaks(&h, STEP(17, "2026-10-01", .delay_reason = "上级党委换届"), ZB_ECONFLICT, "最长不得超过", "2026-09-30");
}

/* 转正 not before the end of the 预备期 (a year from the plenary). */
static void test_hist_full(void **state)
{
	(void)state;
	hc h;
	hc_init(&h, "2000-01-01", "2023-01-10");
	done(&h, 15, "2025-03-10");
	done(&h, 17, "2025-04-10");
	char end[11], before[11];
	zb_recruit_probation_end(&h.c, end);
	assert_string_equal(end, "2026-03-10");
	zb_date_add_days(end, -1, before);
	holds(&h, STEP(24, end, .outcome = ZB_RO_FULL));
	breaks(&h, STEP(24, before, .outcome = ZB_RO_FULL), ZB_ECONFLICT, "预备期满才能转正", "2026-03-10");
	/* no plenary in the sheet: nothing to count from */
	hc_init(&h, "2000-01-01", "2023-01-10");
	holds(&h, STEP(24, "2023-06-01", .outcome = ZB_RO_FULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),          cmocka_unit_test(test_parse_dates),
		cmocka_unit_test(test_parse_empty),      cmocka_unit_test(test_parse_facts),
		cmocka_unit_test(test_hist_errors),      cmocka_unit_test(test_hist_talk),
		cmocka_unit_test(test_hist_activist_year), cmocka_unit_test(test_hist_people),
		cmocka_unit_test(test_hist_training),    cmocka_unit_test(test_hist_approval),
		cmocka_unit_test(test_hist_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
