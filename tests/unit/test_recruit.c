/* Unit tests for the 发展党员 rule engine (recruit/recruit.h, docs/RULES.md
 * "发展党员"): every time rule at its edge (the day before and the day of),
 * the counts, the meeting facts, the order of the 25 steps with the 21-24
 * cycle after an extension, what comes next and the reminders; the
 * working-day calendar (公示 across 国庆 with a 调休 Saturday and across
 * 春节); the rule kind "recruitment".  The engine is pure; the calendar
 * table and the rule loader run on SQLite and, when ZB_TEST_PG holds a
 * postgres:// URI, on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/log.h"
#include "meeting/mrules.h"
#include "recruit/recruit.h"
#include "recruit/rrules.h"
#include "recruit/workcal.h"
#include "rules/rules.h"
#include "dbfix.h"

#define TODAY "2030-01-01"

/* ---- a case built step by step ---- */

typedef struct tc {
	zb_rstep_rec s[48];
	zb_rmeeting m[48];
	char dates[48][11];
	int n;
	zb_rcase c;
	zb_recruit_rules r;
	zb_workcal *cal;
	zb_err e;
} tc;

static const zb_rperson P_FULL1 = {101, "王一", "full", "2010-01-01", "normal", 1};
static const zb_rperson P_FULL2 = {102, "李二", "full", "2012-07-01", "mobile", 1};
static const zb_rperson P_PROB = {103, "赵三", "probationary", NULL, "normal", 1};
static const zb_rperson P_OFF = {0, "县委组织部张科长", NULL, NULL, NULL, 0};
static zb_rperson two_full[2], one_full[1], talker[1];

static tc *tc_new(const char *birth, const char *applied)
{
	tc *t = calloc(1, sizeof *t);
	assert_non_null(t);
	zb_recruit_rules_default(&t->r);
	t->cal = zb_workcal_new();
	t->c.birth_date = birth;
	t->c.applied_on = applied;
	t->c.done = t->s;
	t->c.probation_months = 12;
	t->c.ext_min = 6;
	t->c.ext_max = 12;
	two_full[0] = P_FULL1;
	two_full[1] = P_FULL2;
	one_full[0] = P_FULL1;
	talker[0] = P_OFF;
	return t;
}

static void tc_free(tc *t)
{
	zb_workcal_free(t->cal);
	free(t);
}

/* A valid record of step on day (facts filled as the step needs). */
static zb_rstep_rec good(tc *t, int step, const char *day)
{
	zb_rstep_rec s = {0};
	s.step = step;
	snprintf(t->dates[t->n], 11, "%s", day);
	s.done_on = t->dates[t->n];
	switch (step) {
	case 2:
	case 16:
		s.npeople = 1, s.people = talker;
		break;
	case 3:
		s.recommended_by = "members";
		break;
	case 5:
		s.npeople = 1, s.people = one_full;
		break;
	case 9:
		s.npeople = 2, s.people = two_full;
		break;
	case 6:
	case 21:
		s.opinion = "表现良好";
		break;
	case 10:
	case 12:
		s.conclusion = "pass";
		break;
	case 11:
		s.training_days = 3, s.certificate_no = "PX-2026-01";
		break;
	case 13:
		s.conclusion = "pass", s.publicity_from = s.done_on; /* replaced by the caller */
		break;
	case 14:
		s.volunteer_no = "ZY-001";
		break;
	case 15:
	case 23:
		t->m[t->n] = (zb_rmeeting){.id = 50 + t->n, .type = ZB_MT_PLENARY, .same_branch = 1, .held_on = s.done_on,
		                           .has_resolution = 1, .counted = 1, .passed = 1, .yes = 7, .entitled = 9,
		                           .present_voters = 8, .quorum_need = 5};
		s.meeting = &t->m[t->n];
		if (step == 23)
			s.outcome = ZB_RO_FULL;
		break;
	default:
		break;
	}
	return s;
}

static int check(tc *t, const zb_rstep_rec *s)
{
	memset(&t->e, 0, sizeof t->e);
	return zb_recruit_check(&t->r, t->cal, &t->c, s, TODAY, &t->e);
}

/* Append without checking (a history); the record's meeting slot is kept. */
static void raw(tc *t, zb_rstep_rec s)
{
	t->s[t->n++] = s;
	t->c.ndone = t->n;
}

/* Append after the engine accepted it. */
static void ok(tc *t, zb_rstep_rec s)
{
	if (check(t, &s))
		fail_msg("step %d on %s refused: %s", s.step, s.done_on, t->e.msg);
	raw(t, s);
}

static void refused(tc *t, zb_rstep_rec s, int code, const char *field, const char *part1, const char *part2)
{
	int rc = check(t, &s);
	if (rc != code)
		fail_msg("step %d on %s: rc %d (%s), want %d", s.step, s.done_on, rc, t->e.msg, code);
	if (field)
		assert_string_equal(t->e.field, field);
	if (part1 && !strstr(t->e.msg, part1))
		fail_msg("message '%s' lacks '%s'", t->e.msg, part1);
	if (part2 && !strstr(t->e.msg, part2))
		fail_msg("message '%s' lacks '%s'", t->e.msg, part2);
}

/* The dates of a pipeline that keeps every rule (steps 1..25; index 6b is
 * the second 考察). */
static const char *const D[26] = {NULL,         "2025-01-10", "2025-01-20", "2025-03-01", "2025-03-05",
                                  "2025-03-10", "2025-09-01", "2026-03-01", "2026-03-05", "2026-03-10",
                                  "2026-04-01", "2026-05-10", "2026-06-01", "2026-06-10", "2026-06-12",
                                  "2026-06-30", "2026-07-10", "2026-08-15", "2026-08-20", "2026-08-25",
                                  "2026-09-01", "2026-12-30", "2027-06-01", "2027-06-30", "2027-07-15",
                                  "2027-08-01"};

/* Steps 1..upto of that pipeline, years added to every date; checked. */
static void run_to(tc *t, int upto, int years)
{
	char d[11];
	for (int step = 1; step <= upto; step++) {
		zb_date_add_years(D[step], years, d);
		zb_rstep_rec s = good(t, step, d);
		if (step == 13) {
			char from[11];
			zb_date_add_years("2026-06-02", years, from); /* a Tuesday in 2026: ends Monday 06-08 */
			snprintf(t->dates[t->n + 1], 11, "%s", from);
			s.publicity_from = t->dates[t->n + 1];
		}
		ok(t, s);
		if (step == 6) { /* the second half-year 考察 */
			zb_date_add_years("2026-02-20", years, d);
			ok(t, good(t, 6, d));
		}
	}
}

static void cal_2026(zb_workcal *c)
{
	static const char *off[] = {"2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
	                            "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
	                            "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
	                            "2026-10-07"};
	static const char *work[] = {"2026-01-04", "2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"};
	for (size_t i = 0; i < sizeof off / sizeof *off; i++)
		assert_int_equal(zb_workcal_set(c, off[i], 'o', "节日"), 0);
	for (size_t i = 0; i < sizeof work / sizeof *work; i++)
		assert_int_equal(zb_workcal_set(c, work[i], 'w', "调休上班"), 0);
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(zb_rstage_code(ZB_RS_CANDIDATE), "candidate");
	assert_string_equal(zb_rstage_name(ZB_RS_PROBATIONARY), "预备党员");
	assert_int_equal(zb_rstage_from("activist"), ZB_RS_ACTIVIST);
	assert_int_equal(zb_rstage_from("正式党员"), ZB_RS_FULL);
	assert_int_equal(zb_rstage_from("member"), -1);
	assert_null(zb_rstage_code(5));
	assert_string_equal(zb_rstep_name(1), "递交入党申请书");
	assert_string_equal(zb_rstep_name(19), "编入党支部和党小组");
	assert_string_equal(zb_rstep_name(25), "材料归档");
	assert_null(zb_rstep_name(0));
	assert_null(zb_rstep_name(26));
	int sup[] = {4, 8, 13, 16, 17, 18, 24}, nsup = 0;
	for (int s = 1; s <= 25; s++) {
		nsup += zb_rstep_by_superior(s);
		assert_int_equal(zb_rstep_repeats(s), s == 6 || s == 21);
	}
	assert_int_equal(nsup, 7);
	for (int i = 0; i < 7; i++)
		assert_true(zb_rstep_by_superior(sup[i]));
	assert_int_equal(zb_routcome_from("extend"), ZB_RO_EXTEND);
	assert_int_equal(zb_routcome_from("取消预备党员资格"), ZB_RO_CANCEL);
	assert_int_equal(zb_routcome_from("maybe"), -1);
	assert_string_equal(zb_routcome_code(ZB_RO_FULL), "full");
	assert_string_equal(zb_ralert_code(ZB_RA_PROBATION_OVER), "probation_over");
	assert_null(zb_ralert_code(ZB_RA_KINDS));
}

/* ---- step 1: age 18 on the application date ---- */

static void test_age(void **state)
{
	(void)state;
	tc *t = tc_new("2008-03-01", "2026-02-28");
	refused(t, good(t, 1, "2026-02-28"), ZB_ECONFLICT, "applied_on", "年满 18 岁", "2026-03-01");
	ok(t, good(t, 1, "2026-03-01")); /* the 18th birthday itself */
	tc_free(t);
	/* born 29 February: 18 on 28 February of a common year */
	t = tc_new("2008-02-29", "2026-02-27");
	refused(t, good(t, 1, "2026-02-27"), ZB_ECONFLICT, "applied_on", "2008-02-29", "2026-02-28");
	ok(t, good(t, 1, "2026-02-28"));
	tc_free(t);
	/* a local set may ask more */
	t = tc_new("2000-05-05", "2020-05-04");
	t->r.min_age = 20;
	refused(t, good(t, 1, "2020-05-04"), ZB_ECONFLICT, "applied_on", "年满 20 岁", NULL);
	ok(t, good(t, 1, "2020-05-05"));
	tc_free(t);
}

/* ---- step 2: the talk within a month (month-end rule) ---- */

static void test_talk(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2026-01-31");
	ok(t, good(t, 1, "2026-01-31"));
	refused(t, good(t, 2, "2026-03-01"), ZB_ECONFLICT, "done_on", "一个月内派人谈话", "最迟 2026-02-28");
	zb_rstep_rec none = good(t, 2, "2026-02-10");
	none.npeople = 0;
	refused(t, none, ZB_EINVAL, "talkers", "谈话人", NULL);
	ok(t, good(t, 2, "2026-02-28"));
	tc_free(t);
	/* 2026-03-31 + 1 month = 2026-04-30 */
	t = tc_new("1990-01-01", "2026-03-31");
	ok(t, good(t, 1, "2026-03-31"));
	refused(t, good(t, 2, "2026-05-01"), ZB_ECONFLICT, "done_on", "2026-04-30", NULL);
	ok(t, good(t, 2, "2026-04-30"));
	tc_free(t);
}

/* ---- step 7: a year as 积极分子, two half-year 考察 ---- */

static void test_activist_year(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 6, 0); /* step 3 on 2025-03-01 */
	refused(t, good(t, 7, "2026-02-28"), ZB_ECONFLICT, "done_on",
	        "确定为发展对象须经一年以上培养考察：2025-03-01 确定为积极分子，至 2026-02-28 不满一年", NULL);
	ok(t, good(t, 7, "2026-03-01"));
	tc_free(t);
	/* one 考察 only */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 5, 0);
	ok(t, good(t, 6, "2025-09-01"));
	refused(t, good(t, 7, "2026-03-01"), ZB_ECONFLICT, "done_on", "只有 1 次考察记录", "应至少 2 次");
	ok(t, good(t, 6, "2026-02-01"));
	ok(t, good(t, 7, "2026-03-01"));
	tc_free(t);
	/* made an activist on 29 February: a year ends on 28 February */
	t = tc_new("1990-01-01", "2024-01-10");
	ok(t, good(t, 1, "2024-01-10"));
	ok(t, good(t, 2, "2024-01-20"));
	ok(t, good(t, 3, "2024-02-29"));
	ok(t, good(t, 4, "2024-03-01"));
	ok(t, good(t, 5, "2024-03-02"));
	ok(t, good(t, 6, "2024-08-01"));
	ok(t, good(t, 6, "2025-01-20"));
	refused(t, good(t, 7, "2025-02-27"), ZB_ECONFLICT, "done_on", "2024-02-29 确定为积极分子，至 2025-02-27 不满一年",
	        NULL);
	ok(t, good(t, 7, "2025-02-28"));
	tc_free(t);
}

/* ---- steps 5 and 9: full members only ---- */

static void test_contacts(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 4, 0);
	zb_rstep_rec s = good(t, 5, "2025-03-10");
	s.npeople = 0;
	refused(t, s, ZB_ECONFLICT, "contacts", "1 至 2 名正式党员", "收到 0 名");
	zb_rperson three[3] = {P_FULL1, P_FULL2, P_FULL1};
	three[2].member_id = 105;
	s.people = three, s.npeople = 3;
	refused(t, s, ZB_ECONFLICT, "contacts", "收到 3 名", NULL);
	zb_rperson withprob[2] = {P_FULL1, P_PROB};
	s.people = withprob, s.npeople = 2;
	refused(t, s, ZB_ECONFLICT, "contacts", "预备党员不能担任", "赵三");
	zb_rperson off[1] = {P_OFF};
	s.people = off, s.npeople = 1;
	refused(t, s, ZB_ECONFLICT, "contacts", "不在名册上", NULL);
	zb_rperson away[1] = {P_FULL1};
	away[0].status = "lost";
	s.people = away;
	refused(t, s, ZB_ECONFLICT, "contacts", "王一", NULL);
	s.people = two_full, s.npeople = 2;
	ok(t, s);
	tc_free(t);
}

static void test_introducers(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 8, 0); /* step 9 on 2026-03-10 */
	zb_rstep_rec s = good(t, 9, "2026-03-10");
	s.npeople = 1;
	refused(t, s, ZB_ECONFLICT, "introducers", "2 名正式党员作入党介绍人", "收到 1 名");
	zb_rperson withprob[2] = {P_FULL1, P_PROB};
	s.people = withprob, s.npeople = 2;
	refused(t, s, ZB_ECONFLICT, "introducers", "预备党员不能担任", "赵三");
	/* 转正 the day after the step: still a 预备党员 that day */
	zb_rperson late[2] = {P_FULL1, P_FULL2};
	late[1].full_date = "2026-03-11";
	s.people = late;
	refused(t, s, ZB_ECONFLICT, "introducers", "李二 的转正日期是 2026-03-11", "2026-03-10");
	late[1].full_date = "2026-03-10"; /* 转正 that day: a full member */
	zb_rperson twice[2] = {P_FULL1, P_FULL1};
	s.people = twice;
	refused(t, s, ZB_ECONFLICT, "introducers", "不能是同一人", "王一");
	s.people = late;
	ok(t, s);
	tc_free(t);
}

/* ---- step 11: 3 days or 24 学时 ---- */

static void test_training(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 10, 0);
	zb_rstep_rec s = good(t, 11, "2026-05-10");
	s.training_days = 2, s.training_hours = 23;
	refused(t, s, ZB_ECONFLICT, "training_days", "不少于 3 天（或不少于 24 个学时）", "2 天、23 学时");
	s.certificate_no = NULL;
	refused(t, s, ZB_EINVAL, "certificate_no", NULL, NULL);
	s.certificate_no = "PX-1";
	s.training_days = 0, s.training_hours = 24;
	assert_int_equal(check(t, &s), 0);
	s.training_days = 3, s.training_hours = 0;
	ok(t, s);
	tc_free(t);
}

/* ---- the calendar and step 13: the 公示 of 5 working days ---- */

static void test_workcal(void **state)
{
	(void)state;
	zb_workcal *c = zb_workcal_new();
	char d[11];
	/* weekends only */
	zb_workcal_nth(c, "2026-09-29", 5, d);
	assert_string_equal(d, "2026-10-05");
	assert_false(zb_workcal_known(c, 2026));
	cal_2026(c);
	assert_true(zb_workcal_known(c, 2026));
	assert_false(zb_workcal_known(c, 2027));
	assert_true(zb_workcal_is_workday(c, "2026-10-10"));   /* 调休 Saturday */
	assert_true(zb_workcal_is_workday(c, "2026-10-08"));
	assert_false(zb_workcal_is_workday(c, "2026-10-01")); /* 国庆 */
	assert_false(zb_workcal_is_workday(c, "2026-10-11")); /* Sunday */
	zb_workcal_nth(c, "2026-09-29", 5, d); /* 09-29, 09-30, 10-08, 10-09, 10-10 */
	assert_string_equal(d, "2026-10-10");
	assert_int_equal(zb_workcal_count(c, "2026-09-29", "2026-10-10"), 5);
	assert_int_equal(zb_workcal_count(c, "2026-09-29", "2026-10-09"), 4);
	assert_int_equal(zb_workcal_count(c, "2026-10-10", "2026-09-29"), 0);
	zb_workcal_nth(c, "2026-10-01", 1, d); /* from a holiday: the first working day after */
	assert_string_equal(d, "2026-10-08");
	zb_workcal_nth(c, "2026-02-12", 5, d); /* 02-12, 02-13, 02-14 (Sat, worked), 02-24, 02-25 */
	assert_string_equal(d, "2026-02-25");
	/* the 调休 Saturday taken away: one more day */
	assert_int_equal(zb_workcal_set(c, "2026-10-10", 'o', NULL), 0);
	zb_workcal_nth(c, "2026-09-29", 5, d);
	assert_string_equal(d, "2026-10-12");
	assert_int_equal(zb_workcal_set(c, "2026-02-30", 'o', NULL), -1);
	assert_int_equal(zb_workcal_set(c, "2026-02-01", 'x', NULL), -1);
	zb_workcal_free(c);
	zb_workcal_free(NULL);
}

static void test_publicity(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	cal_2026(t->cal);
	run_to(t, 12, 0); /* step 12 on 2026-06-01 */
	zb_rstep_rec s = good(t, 13, "2026-10-10");
	s.publicity_from = "2026-09-29";
	refused(t, s, ZB_ECONFLICT, "done_on", "公示须满 5 个工作日：2026-09-29 起公示，2026-10-10 期满", "最早 2026-10-11");
	s.done_on = "2026-10-11";
	assert_int_equal(check(t, &s), 0);
	s.publicity_from = "2026-05-31";
	refused(t, s, ZB_ECONFLICT, "publicity_from", "2026-06-01", NULL);
	s.publicity_from = NULL;
	refused(t, s, ZB_EINVAL, "publicity_from", NULL, NULL);
	s.publicity_from = "2026-09-29";
	s.conclusion = "maybe";
	refused(t, s, ZB_EINVAL, "conclusion", NULL, NULL);
	tc_free(t);
	/* across 春节 (a pipeline a year earlier: step 12 on 2025-06-01) */
	t = tc_new("1990-01-01", "2024-01-10");
	cal_2026(t->cal);
	run_to(t, 12, -1);
	s = good(t, 13, "2026-02-25");
	s.publicity_from = "2026-02-12";
	refused(t, s, ZB_ECONFLICT, "done_on", "2026-02-25 期满", NULL);
	s.done_on = "2026-02-26";
	ok(t, s);
	tc_free(t);
}

/* ---- steps 15 and 23: the plenary ---- */

static void test_plenary(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 14, 0);
	zb_rstep_rec s = good(t, 15, "2026-06-30");
	zb_rmeeting m = *s.meeting;
	s.meeting = NULL;
	refused(t, s, ZB_EINVAL, "meeting_id", NULL, NULL);
	s.meeting = &m;
	m.type = ZB_MT_PLENARY + 1;
	refused(t, s, ZB_ECONFLICT, "meeting_id", "不是支部党员大会", NULL);
	m.type = ZB_MT_PLENARY;
	m.same_branch = 0;
	refused(t, s, ZB_ECONFLICT, "meeting_id", "其他组织", NULL);
	m.same_branch = 1;
	m.held_on = "2026-06-29";
	refused(t, s, ZB_ECONFLICT, "meeting_id", "2026-06-30", "2026-06-29");
	m.held_on = "2026-06-30";
	m.has_resolution = 0; /* e.g. only a general or a 转正 resolution */
	refused(t, s, ZB_ECONFLICT, "meeting_id", "没有接收预备党员的决议", NULL);
	m.has_resolution = 1;
	m.counted = 0, m.entitled = 9, m.present_voters = 4;
	refused(t, s, ZB_ECONFLICT, "meeting_id", "应到有表决权的正式党员 9 人，实到 4 人，未超过半数", NULL);
	m.counted = 1, m.present_voters = 8;
	m.passed = 0, m.yes = 4;
	refused(t, s, ZB_ECONFLICT, "meeting_id", "赞成 4 票", "9 人的半数");
	m.passed = 1, m.yes = 5;
	ok(t, s);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_CANDIDATE);
	tc_free(t);
}

/* ---- steps 17 and 24: approval within 3 months, 6 with a reason ---- */

static void hist_plenary(tc *t, const char *plenary)
{
	run_to(t, 14, 0);
	zb_rstep_rec s = good(t, 15, plenary);
	ok(t, s);
	ok(t, good(t, 16, plenary));
}

static void test_approval(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	hist_plenary(t, "2026-07-31"); /* + 3 months = 10-31, + 6 = 2027-01-31 */
	ok(t, good(t, 17, "2026-10-31"));
	tc_free(t);
	t = tc_new("1990-01-01", "2025-01-10");
	hist_plenary(t, "2026-08-31"); /* 2026-11-30, 2027-02-28 (month-end rule) */
	zb_rstep_rec s = good(t, 17, "2026-11-30");
	assert_int_equal(check(t, &s), 0);
	s.done_on = "2026-12-01";
	refused(t, s, ZB_ECONFLICT, "delay_reason", "三个月内审批", "2026-11-30");
	s.delay_reason = "外出学习，党委会推迟";
	assert_int_equal(check(t, &s), 0);
	s.done_on = "2027-02-28";
	assert_int_equal(check(t, &s), 0);
	s.done_on = "2027-03-01";
	refused(t, s, ZB_ECONFLICT, "done_on", "最长不得超过六个月", "至迟 2027-02-28");
	s.done_on = "2027-02-28";
	ok(t, s);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_PROBATIONARY);
	tc_free(t);
}

/* ---- the 预备期, step 23 and the extension ---- */

static void to_22(tc *t)
{
	run_to(t, 22, 0); /* plenary 2026-06-30: ends 2027-06-30 */
}

static void test_probation(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	char end[11];
	zb_recruit_probation_end(&t->c, end);
	assert_string_equal(end, "");
	to_22(t);
	zb_recruit_probation_end(&t->c, end);
	assert_string_equal(end, "2027-06-30");
	refused(t, good(t, 23, "2027-06-29"), ZB_ECONFLICT, "done_on", "预备期满才能讨论转正", "至 2027-06-30 期满");
	zb_rstep_rec s = good(t, 23, "2027-06-30");
	s.outcome = ZB_RO_NONE;
	refused(t, s, ZB_EINVAL, "outcome", NULL, NULL);
	s.outcome = ZB_RO_EXTEND;
	s.extend_months = 5;
	refused(t, s, ZB_EINVAL, "extend_months", "不能少于 6 个月", "收到 5");
	s.extend_months = 13;
	refused(t, s, ZB_EINVAL, "extend_months", "最长不超过 12 个月", NULL);
	s.extend_months = 6;
	ok(t, s);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_PROBATIONARY);
	/* the approval takes the outcome of the discussion */
	zb_rstep_rec a = good(t, 24, "2027-07-15");
	ok(t, a);
	zb_recruit_probation_end(&t->c, end);
	assert_string_equal(end, "2027-12-30");
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_PROBATIONARY);
	/* 21-24 once more */
	refused(t, good(t, 25, "2027-08-01"), ZB_ECONFLICT, "step", "须先完成第 21 步", NULL);
	refused(t, good(t, 22, "2027-08-01"), ZB_ECONFLICT, "step", "须先完成第 21 步", NULL);
	ok(t, good(t, 21, "2027-09-01"));
	ok(t, good(t, 21, "2027-11-01"));
	ok(t, good(t, 22, "2027-12-01"));
	refused(t, good(t, 23, "2027-12-29"), ZB_ECONFLICT, "done_on", "（含延长）", "2027-12-30");
	s = good(t, 23, "2027-12-30");
	s.outcome = ZB_RO_EXTEND;
	s.extend_months = 6;
	refused(t, s, ZB_ECONFLICT, "outcome", "预备期只能延长一次", "2027-07-15");
	s.outcome = ZB_RO_FULL;
	ok(t, s);
	a = good(t, 24, "2028-01-10");
	a.outcome = ZB_RO_EXTEND;
	a.extend_months = 6;
	refused(t, a, ZB_ECONFLICT, "outcome", "只能延长一次", NULL);
	a.outcome = ZB_RO_FULL;
	ok(t, a);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_FULL);
	ok(t, good(t, 25, "2028-02-01"));
	refused(t, good(t, 25, "2028-02-02"), ZB_ECONFLICT, "step", "已归档", NULL);
	tc_free(t);
}

static void test_probation_feb29(void **state)
{
	(void)state;
	/* accepted on 29 February 2028: the year ends on 28 February 2029 */
	tc *t = tc_new("1990-01-01", "2027-01-10");
	for (int i = 1; i <= 14; i++)
		raw(t, good(t, i, "2027-06-01"));
	raw(t, good(t, 15, "2028-02-29"));
	for (int i = 16; i <= 22; i++)
		raw(t, good(t, i, "2028-03-01"));
	char end[11];
	zb_recruit_probation_end(&t->c, end);
	assert_string_equal(end, "2029-02-28");
	refused(t, good(t, 23, "2029-02-27"), ZB_ECONFLICT, "done_on", "2028-02-29", "2029-02-28");
	ok(t, good(t, 23, "2029-02-28"));
	/* approval: 2029-02-28 + 3 months = 05-28 */
	zb_rstep_rec a = good(t, 24, "2029-05-29");
	refused(t, a, ZB_ECONFLICT, "delay_reason", "2029-05-28", NULL);
	a.done_on = "2029-05-28";
	ok(t, a);
	tc_free(t);
}

static void test_cancel(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	to_22(t);
	zb_rstep_rec s = good(t, 23, "2027-07-01");
	s.outcome = ZB_RO_CANCEL;
	ok(t, s);
	ok(t, good(t, 24, "2027-07-20"));
	refused(t, good(t, 25, "2027-08-01"), ZB_ECONFLICT, "step", "取消预备党员资格", NULL);
	zb_rnext nx;
	zb_recruit_next(&t->r, t->cal, &t->c, &nx);
	assert_int_equal(nx.step, 0);
	tc_free(t);
}

/* ---- order and dates ---- */

static void test_order(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2025-01-10");
	refused(t, good(t, 2, "2025-01-20"), ZB_ECONFLICT, "step", "须先完成第 1 步「递交入党申请书」", NULL);
	ok(t, good(t, 1, "2025-01-10"));
	refused(t, good(t, 1, "2025-01-11"), ZB_ECONFLICT, "step", "不能重复记录", NULL);
	refused(t, good(t, 3, "2025-01-20"), ZB_ECONFLICT, "step", "不能跳过步骤", "第 2 步「党组织派人谈话」");
	refused(t, good(t, 2, "2025-01-09"), ZB_ECONFLICT, "done_on", "不能早于", "2025-01-10");
	zb_rstep_rec s = good(t, 2, "2025-01-20");
	assert_int_equal(zb_recruit_check(&t->r, t->cal, &t->c, &s, "2025-01-19", &t->e), ZB_EINVAL);
	assert_string_equal(t->e.field, "done_on");
	assert_int_equal(zb_recruit_check(&t->r, t->cal, &t->c, &s, "2025-01-20", &t->e), 0);
	s.step = 26;
	refused(t, s, ZB_EINVAL, "step", NULL, NULL);
	s.step = 2, s.done_on = "2025-02-30";
	refused(t, s, ZB_EINVAL, "done_on", NULL, NULL);
	ok(t, good(t, 2, "2025-01-20"));
	refused(t, good(t, 2, "2025-01-21"), ZB_ECONFLICT, "step", "已于 2025-01-20 记录", NULL);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_APPLICANT);
	zb_rstep_rec r3 = good(t, 3, "2025-03-01");
	r3.recommended_by = "self";
	refused(t, r3, ZB_EINVAL, "recommended_by", NULL, NULL);
	r3.recommended_by = "league";
	ok(t, r3);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_ACTIVIST);
	tc_free(t);
	/* repeats: 6 and 21 only */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 7, 0);
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_CANDIDATE);
	refused(t, good(t, 6, "2026-03-02"), ZB_ECONFLICT, "step", "不能重复记录", NULL);
	refused(t, good(t, 7, "2026-03-02"), ZB_ECONFLICT, "step", "不能重复记录", NULL);
	tc_free(t);
	/* a failed 政治审查 ends the pipeline */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 9, 0);
	zb_rstep_rec p = good(t, 10, "2026-04-01");
	p.conclusion = NULL;
	refused(t, p, ZB_EINVAL, "conclusion", NULL, NULL);
	p.conclusion = "fail";
	ok(t, p);
	refused(t, good(t, 11, "2026-05-10"), ZB_ECONFLICT, "step", "政治审查结论为不合格", NULL);
	tc_free(t);
	/* the whole pipeline keeps every rule; 21 repeats */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 21, 0);
	ok(t, good(t, 21, "2027-03-01"));
	zb_rstep_rec o = good(t, 21, "2027-04-01");
	o.opinion = NULL;
	refused(t, o, ZB_EINVAL, "opinion", NULL, NULL);
	ok(t, good(t, 22, "2027-06-01"));
	ok(t, good(t, 23, "2027-06-30"));
	ok(t, good(t, 24, "2027-07-15"));
	assert_int_equal(zb_recruit_stage(&t->c), ZB_RS_FULL);
	refused(t, good(t, 21, "2027-07-20"), ZB_ECONFLICT, "step", "不能重复记录", NULL);
	ok(t, good(t, 25, "2027-08-01"));
	tc_free(t);
}

/* ---- what comes next ---- */

static void next_is(tc *t, int step, const char *earliest, const char *due)
{
	zb_rnext nx;
	zb_recruit_next(&t->r, t->cal, &t->c, &nx);
	if (nx.step != step || strcmp(nx.earliest, earliest) || strcmp(nx.due, due))
		fail_msg("next: step %d earliest '%s' due '%s'; want %d '%s' '%s'", nx.step, nx.earliest, nx.due, step,
		         earliest, due);
	if (step)
		assert_non_null(nx.needs);
}

static void test_next(void **state)
{
	(void)state;
	tc *t = tc_new("1990-01-01", "2026-01-31");
	next_is(t, 1, "", "");
	ok(t, good(t, 1, "2026-01-31"));
	next_is(t, 2, "2026-01-31", "2026-02-28");
	tc_free(t);
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 5, 0);
	next_is(t, 6, "2025-03-10", "2025-09-01"); /* half a year after step 3 */
	ok(t, good(t, 6, "2025-08-20"));
	next_is(t, 6, "2025-08-20", "2026-02-20"); /* a second 考察 still needed */
	ok(t, good(t, 6, "2026-02-10"));
	next_is(t, 7, "2026-03-01", ""); /* step 3 + 12 months */
	ok(t, good(t, 7, "2026-03-01"));
	next_is(t, 8, "2026-03-01", "");
	tc_free(t);
	t = tc_new("1990-01-01", "2025-01-10");
	cal_2026(t->cal);
	for (int i = 1; i <= 11; i++)
		raw(t, good(t, i, "2026-01-05"));
	raw(t, good(t, 12, "2026-09-29"));
	next_is(t, 13, "2026-10-11", ""); /* the 公示 from 09-29 ends 10-10 */
	tc_free(t);
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 16, 0);
	next_is(t, 17, "2026-07-10", "2026-09-30");
	tc_free(t);
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 21, 0);
	next_is(t, 22, "2027-06-30", ""); /* the 转正 application at the end of the 预备期 */
	ok(t, good(t, 22, "2027-06-01"));
	next_is(t, 23, "2027-06-30", "2027-06-30");
	zb_rstep_rec s = good(t, 23, "2027-06-30");
	s.outcome = ZB_RO_EXTEND, s.extend_months = 12;
	ok(t, s);
	next_is(t, 24, "2027-06-30", "2027-09-30");
	ok(t, good(t, 24, "2027-07-01"));
	next_is(t, 21, "2027-07-01", "2028-01-01"); /* half a year from the extension */
	tc_free(t);
}

/* ---- reminders ---- */

static const zb_ralert *alert_of(tc *t, const char *today, int kind, zb_ralert *buf, int *n)
{
	*n = zb_recruit_alerts(&t->r, t->cal, &t->c, today, buf, 8);
	for (int i = 0; i < *n; i++)
		if (buf[i].kind == kind)
			return &buf[i];
	return NULL;
}

static void test_alerts(void **state)
{
	(void)state;
	zb_ralert buf[8];
	int n;
	const zb_ralert *a;
	tc *t = tc_new("1990-01-01", "2026-01-31");
	assert_int_equal(zb_recruit_alerts(&t->r, t->cal, &t->c, "2026-02-01", buf, 8), 0);
	ok(t, good(t, 1, "2026-01-31"));
	a = alert_of(t, "2026-02-28", ZB_RA_TALK_DUE, buf, &n);
	assert_non_null(a);
	assert_string_equal(a->due, "2026-02-28");
	assert_false(a->overdue);
	assert_non_null(strstr(a->text, "2026-02-28"));
	a = alert_of(t, "2026-03-01", ZB_RA_TALK_DUE, buf, &n);
	assert_true(a->overdue);
	assert_non_null(strstr(a->text, "逾期"));
	assert_int_equal(zb_recruit_alerts(&t->r, t->cal, &t->c, "2026-03-01", buf, 0), 0);
	ok(t, good(t, 2, "2026-02-10"));
	assert_null(alert_of(t, "2026-03-01", ZB_RA_TALK_DUE, buf, &n));
	tc_free(t);
	/* 半年考察: step 3 on 2025-03-01, due 2025-09-01, shown from 30 days before */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 5, 0);
	assert_null(alert_of(t, "2025-08-01", ZB_RA_ASSESS_DUE, buf, &n));
	a = alert_of(t, "2025-08-02", ZB_RA_ASSESS_DUE, buf, &n);
	assert_non_null(a);
	assert_string_equal(a->due, "2025-09-01");
	assert_false(a->overdue);
	assert_false(alert_of(t, "2025-09-01", ZB_RA_ASSESS_DUE, buf, &n)->overdue);
	assert_true(alert_of(t, "2025-09-02", ZB_RA_ASSESS_DUE, buf, &n)->overdue);
	ok(t, good(t, 6, "2025-08-25"));
	assert_null(alert_of(t, "2025-09-02", ZB_RA_ASSESS_DUE, buf, &n));
	assert_string_equal(alert_of(t, "2026-02-25", ZB_RA_ASSESS_DUE, buf, &n)->due, "2026-02-25");
	tc_free(t);
	/* approval: plenary 2026-06-30, due 09-30, at most 12-30 */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 16, 0);
	a = alert_of(t, "2026-09-30", ZB_RA_APPROVAL_DUE, buf, &n);
	assert_non_null(a);
	assert_int_equal(a->step, 17);
	assert_false(a->overdue);
	a = alert_of(t, "2026-10-01", ZB_RA_APPROVAL_DUE, buf, &n);
	assert_true(a->overdue);
	assert_null(strstr(a->text, "最长期限"));
	assert_null(strstr(alert_of(t, "2026-12-30", ZB_RA_APPROVAL_DUE, buf, &n)->text, "最长期限"));
	assert_non_null(strstr(alert_of(t, "2026-12-31", ZB_RA_APPROVAL_DUE, buf, &n)->text, "最长期限"));
	ok(t, good(t, 17, "2026-08-15"));
	assert_null(alert_of(t, "2026-10-01", ZB_RA_APPROVAL_DUE, buf, &n));
	tc_free(t);
	/* the 预备期 ends 2027-06-30: within 30 days from 05-31, over from 07-01 */
	t = tc_new("1990-01-01", "2025-01-10");
	run_to(t, 22, 0);
	assert_null(alert_of(t, "2027-05-30", ZB_RA_PROBATION_ENDING, buf, &n));
	a = alert_of(t, "2027-05-31", ZB_RA_PROBATION_ENDING, buf, &n);
	assert_non_null(a);
	assert_string_equal(a->due, "2027-06-30");
	assert_int_equal(a->step, 23);
	assert_non_null(alert_of(t, "2027-06-30", ZB_RA_PROBATION_ENDING, buf, &n));
	assert_null(alert_of(t, "2027-06-30", ZB_RA_PROBATION_OVER, buf, &n));
	a = alert_of(t, "2027-07-01", ZB_RA_PROBATION_OVER, buf, &n);
	assert_non_null(a);
	assert_true(a->overdue);
	assert_null(alert_of(t, "2027-07-01", ZB_RA_PROBATION_ENDING, buf, &n));
	ok(t, good(t, 23, "2027-07-01"));
	assert_null(alert_of(t, "2027-07-02", ZB_RA_PROBATION_OVER, buf, &n));
	assert_non_null(alert_of(t, "2027-07-02", ZB_RA_APPROVAL_DUE, buf, &n));
	tc_free(t);
}

/* ---- the rule kind ---- */

#define NATIONAL                                                                                                  \
	"{\"min_age\":18,\"talk_within_months\":1,\"activist_min_months\":12,\"assess_every_months\":6,"          \
	"\"contacts_min\":1,\"contacts_max\":2,\"introducers\":2,\"training_min_days\":3,\"training_min_hours\":24," \
	"\"publicity_workdays\":5,\"approve_months\":3,\"approve_max_months\":6,\"league_max_age\":28,"            \
	"\"source\":\"中国共产党发展党员工作细则（2014）\"}"

static int validate_with(const char *key, json_t *v, zb_err *e)
{
	json_t *j = json_loads(NATIONAL, 0, NULL);
	assert_non_null(j);
	if (key)
		json_object_set_new(j, key, v);
	int rc = zb_rules_validate("recruitment", j, e);
	json_decref(j);
	return rc;
}

static void test_rules_validate(void **state)
{
	(void)state;
	zb_err e = {0};
	assert_true(zb_rules_kind_known("recruitment"));
	assert_int_equal(validate_with(NULL, NULL, &e), 0);
	assert_int_equal(validate_with("min_age", json_integer(17), &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.min_age");
	assert_int_equal(validate_with("min_age", json_integer(20), &e), 0);
	assert_int_equal(validate_with("activist_min_months", json_integer(11), &e), ZB_EINVAL);
	assert_int_equal(validate_with("introducers", json_integer(1), &e), ZB_EINVAL);
	assert_int_equal(validate_with("publicity_workdays", json_integer(4), &e), ZB_EINVAL);
	assert_int_equal(validate_with("approve_max_months", json_integer(7), &e), ZB_EINVAL);
	assert_int_equal(validate_with("approve_max_months", json_integer(2), &e), ZB_EINVAL); /* < approve_months */
	assert_int_equal(validate_with("contacts_max", json_integer(0), &e), ZB_EINVAL);
	assert_int_equal(validate_with("training_min_hours", json_string("24"), &e), ZB_EINVAL);
	assert_int_equal(validate_with("colour", json_integer(1), &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "colour"));
	assert_int_equal(zb_rules_validate("nonsense", NULL, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "recruitment"));
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
	if (dbfix_open("recruit", &f->db, &f->e))
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

static void test_calendar_db(void **state)
{
	fx *f = *state;
	zb_workcal *c = NULL;
	char d[11];
	assert_int_equal(zb_workcal_load(f->db, 2026, 2027, &c, &f->e), 0);
	assert_true(zb_workcal_known(c, 2026));
	assert_true(zb_workcal_known(c, 2027));
	assert_false(zb_workcal_known(c, 2025));
	zb_workcal_nth(c, "2026-09-29", 5, d);
	assert_string_equal(d, "2026-10-10");
	zb_workcal_nth(c, "2026-02-12", 5, d);
	assert_string_equal(d, "2026-02-25");
	assert_true(zb_workcal_is_workday(c, "2026-01-04"));  /* Sunday worked */
	assert_false(zb_workcal_is_workday(c, "2027-02-09")); /* 春节 make-up day */
	assert_false(zb_workcal_is_workday(c, "2027-10-05"));
	assert_true(zb_workcal_is_workday(c, "2027-10-06"));
	zb_workcal_free(c);
	zb_workday *rows;
	int n;
	assert_int_equal(zb_workcal_list(f->db, 2026, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 39);
	int work = 0;
	for (int i = 0; i < n; i++) {
		work += rows[i].kind == 'w';
		assert_int_equal(rows[i].provisional, 0);
		assert_non_null(strstr(rows[i].source, "2025-11-04"));
	}
	assert_int_equal(work, 6);
	assert_int_equal(zb_workcal_list(f->db, 2027, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 19);
	for (int i = 0; i < n; i++)
		assert_int_equal(rows[i].provisional, 1);
	/* replace 2027 */
	zb_workday bad[2] = {{"2027-10-06", 'w', "调休上班", 0, "通知"}, {"2027-10-01", 'o', "国庆节", 0, "通知"}};
	assert_int_equal(zb_workcal_check(2027, bad, 2, &f->e), ZB_EINVAL); /* a Wednesday worked */
	assert_string_equal(f->e.field, "days[0].kind");
	bad[0] = (zb_workday){"2028-01-01", 'o', "元旦", 0, "通知"};
	assert_int_equal(zb_workcal_check(2027, bad, 2, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "days[0].day");
	bad[0] = (zb_workday){"2027-10-01", 'o', "国庆节", 0, "通知"};
	assert_int_equal(zb_workcal_check(2027, bad, 2, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "days[1].day");
	bad[0] = (zb_workday){"2027-10-09", 'w', "", 0, "通知"};
	assert_int_equal(zb_workcal_check(2027, bad, 2, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "days[0].name");
	zb_workday nw[3] = {{"2027-10-01", 'o', "国庆节", 0, "2027 年通知"},
	                    {"2027-10-08", 'o', "国庆节", 0, "2027 年通知"},
	                    {"2027-10-09", 'w', "调休上班（国庆节）", 0, "2027 年通知"}};
	int64_t removed = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_workcal_replace(f->db, 2027, nw, 3, &removed, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(removed, 19);
	assert_int_equal(zb_workcal_list(f->db, 2027, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(rows[2].day, "2027-10-09");
	assert_int_equal(rows[2].kind, 'w');
	assert_string_equal(rows[2].name, "调休上班（国庆节）");
	assert_int_equal(zb_workcal_load(f->db, 2027, 2027, &c, &f->e), 0);
	assert_true(zb_workcal_is_workday(c, "2027-10-09"));
	assert_true(zb_workcal_is_workday(c, "2027-10-04")); /* no longer off */
	zb_workcal_free(c);
	/* 2026 untouched */
	assert_int_equal(zb_workcal_list(f->db, 2026, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 39);
}

static void test_rules_db(void **state)
{
	fx *f = *state;
	zb_recruit_rules r;
	assert_int_equal(zb_recruit_rules_get(f->db, "/1/", "2026-01-01", &r, &f->e), 0);
	assert_true(r.set_id > 0);
	assert_int_equal(r.min_age, 18);
	assert_int_equal(r.activist_min_months, 12);
	assert_int_equal(r.publicity_workdays, 5);
	assert_int_equal(r.approve_max_months, 6);
	/* before the 细则: the built-in default, no set */
	assert_int_equal(zb_recruit_rules_get(f->db, "/1/", "2014-06-09", &r, &f->e), 0);
	assert_int_equal(r.set_id, 0);
	assert_int_equal(r.introducers, 2);
	/* a local set, stricter */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, created_at, updated_at) "
	                           "VALUES (1, NULL, '/1/', 0, '县委', 'committee', 0, 0)",
	                           ""),
	                 0);
	json_t *p = json_pack("{s:i}", "activist_min_months", 18);
	int64_t id = 0;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	int rc = zb_rules_add(f->db, "recruitment", 1, "2025-01-01", "本县：培养一年半", p, 0, 0, &id, NULL, &f->e);
	if (rc)
		fail_msg("%s", f->e.msg);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(p);
	assert_int_equal(zb_recruit_rules_get(f->db, "/1/5/", "2025-06-01", &r, &f->e), 0);
	assert_int_equal(r.set_id, id);
	assert_int_equal(r.activist_min_months, 18);
	assert_int_equal(r.min_age, 18); /* filled from the national set */
	assert_int_equal(zb_recruit_rules_get(f->db, "/2/", "2025-06-01", &r, &f->e), 0);
	assert_int_equal(r.activist_min_months, 12);
	/* a laxer local set is refused */
	p = json_pack("{s:i}", "activist_min_months", 6);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_rules_add(f->db, "recruitment", 1, "2025-02-01", "", p, 0, 0, &id, NULL, &f->e), ZB_EINVAL);
	zb_db_rollback(f->db);
	json_decref(p);
}

#define DB_TESTS                                                                                           \
	cmocka_unit_test_setup_teardown(test_calendar_db, setup, teardown),                                \
		cmocka_unit_test_setup_teardown(test_rules_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_names),         cmocka_unit_test(test_age),
		cmocka_unit_test(test_talk),          cmocka_unit_test(test_activist_year),
		cmocka_unit_test(test_contacts),      cmocka_unit_test(test_introducers),
		cmocka_unit_test(test_training),      cmocka_unit_test(test_workcal),
		cmocka_unit_test(test_publicity),     cmocka_unit_test(test_plenary),
		cmocka_unit_test(test_approval),      cmocka_unit_test(test_probation),
		cmocka_unit_test(test_probation_feb29), cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_order),         cmocka_unit_test(test_next),
		cmocka_unit_test(test_alerts),        cmocka_unit_test(test_rules_validate),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("recruit", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("recruit_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("recruit_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_recruit: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
