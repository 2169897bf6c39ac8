/* Unit tests for the party rules of members' lives (docs/RULES.md): the
 * national floors of the vote thresholds, written opinions in the tally,
 * the 预备期 (its end with the month-end convention, the check on the
 * 转正日期 by the 党章 in force on the join date, the one extension, the
 * reminder the day after it ran out), and the 自行脱党 risk months month by
 * month across a year boundary: runs of 3, 5 and 6, a 请假 and an
 * explanation passed over, a month without meetings passed over, a guest
 * at another org counted as taking part.  Database tests run on SQLite and,
 * when ZB_TEST_PG holds a postgres:// URI, on PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "meeting/compliance.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"
#include "member/probation.h"
#include "rules/rules.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_floors(void **state)
{
	(void)state;
	zb_frac more45 = {4, 5, 1}, atleast45 = {4, 5, 0}, five6 = {5, 6, 0}, two3 = {2, 3, 1}, half = {1, 2, 0};
	assert_true(zb_frac_at_least(more45, ZB_FRAC_ELECTION_MIN));
	assert_false(zb_frac_at_least(atleast45, ZB_FRAC_ELECTION_MIN));
	assert_true(zb_frac_at_least(five6, ZB_FRAC_ELECTION_MIN)); /* a larger share is stricter */
	assert_false(zb_frac_at_least(two3, ZB_FRAC_ELECTION_MIN));
	assert_true(zb_frac_at_least(two3, ZB_FRAC_MORE_HALF));
	assert_false(zb_frac_at_least(half, ZB_FRAC_MORE_HALF));
	assert_true(zb_frac_at_least(ZB_FRAC_MORE_HALF, ZB_FRAC_MORE_HALF));
}

#define RULES \
	"{\"quorum\":{\"plenary\":{\"num\":1,\"den\":2,\"strict\":true},\"election\":%s," \
	"\"committee\":{\"num\":1,\"den\":2,\"strict\":false}},\"resolution\":%s," \
	"\"backfill_days\":30,\"unlock_days\":7,\"signin\":{\"ttl_minutes\":15,\"open_before_minutes\":120,\"default_minutes\":240}," \
	"\"roster_statuses\":[\"normal\",\"mobile\",\"lost\",\"abroad\"],\"no_vote_statuses\":[\"abroad\"]," \
	"\"risk\":{\"months\":[3,5,6],\"statuses\":[\"normal\",\"mobile\",\"lost\"]},\"appraisal\":{\"excellent_cap\":0.3}," \
	"\"talk\":{\"committee_pairs\":true,\"secretary_with_committee\":true,\"members_under\":\"group_or_secretary\"}}"

static int parse_rules(const char *election, const char *resolution, zb_mrules *r, zb_err *e)
{
	char buf[2048];
	snprintf(buf, sizeof buf, RULES, election, resolution);
	json_t *j = json_loads(buf, 0, NULL);
	assert_non_null(j);
	int rc = zb_mrules_parse(j, r, e);
	json_decref(j);
	return rc;
}

static void test_rule_floors(void **state)
{
	(void)state;
	zb_mrules r;
	zb_err e = {0};
	const char *more_half = "{\"num\":1,\"den\":2,\"strict\":true}";
	assert_int_equal(parse_rules("{\"num\":4,\"den\":5,\"strict\":false}", more_half, &r, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "quorum.election"));
	assert_int_equal(parse_rules("{\"num\":3,\"den\":4,\"strict\":true}", more_half, &r, &e), ZB_EINVAL);
	assert_int_equal(parse_rules("{\"num\":4,\"den\":5,\"strict\":true}", "{\"num\":1,\"den\":2,\"strict\":false}", &r, &e),
	                 ZB_EINVAL);
	assert_non_null(strstr(e.msg, "resolution"));
	assert_int_equal(parse_rules("{\"num\":4,\"den\":5,\"strict\":true}", more_half, &r, &e), 0);
	assert_int_equal(parse_rules("{\"num\":9,\"den\":10,\"strict\":false}", "{\"num\":2,\"den\":3,\"strict\":false}", &r, &e),
	                 0);
}

static zb_mrules default_rules(void)
{
	zb_mrules r;
	zb_err e = {0};
	assert_int_equal(parse_rules("{\"num\":4,\"den\":5,\"strict\":true}", "{\"num\":1,\"den\":2,\"strict\":true}", &r, &e),
	                 0);
	return r;
}

static void test_written_opinions_in_the_tally(void **state)
{
	(void)state;
	zb_mrules r = default_rules();
	zb_meeting m = {0};
	m.type = ZB_MT_PLENARY;
	m.voters = 10;
	m.present_voters = 6;
	m.quorum_ok = 1;
	zb_res_row x = {0};
	x.kind = ZB_RES_ADMISSION;
	x.yes = 5; /* exactly half of the 10 entitled */
	assert_false(zb_resolution_passed(&m, &r, &x));
	x.w_yes = 1;
	assert_int_equal(zb_resolution_yes(&x), 6);
	assert_true(zb_resolution_passed(&m, &r, &x));
	x.w_no = 3; /* written no does not reduce yes */
	assert_true(zb_resolution_passed(&m, &r, &x));
	/* exactly half present is not enough for an admission vote */
	m.present_voters = 5;
	assert_false(zb_resolution_counted(&m, &x));
	assert_false(zb_resolution_passed(&m, &r, &x));
	/* at a meeting that is not a plenary an admission vote never counts */
	m.present_voters = 6;
	m.type = ZB_MT_THEME_DAY;
	assert_false(zb_resolution_counted(&m, &x));
	/* kinds by code and name */
	assert_int_equal(zb_res_kind_from("full"), ZB_RES_FULL);
	assert_int_equal(zb_res_kind_from("接收预备党员"), ZB_RES_ADMISSION);
	assert_int_equal(zb_res_kind_from("x"), -1);
}

static void test_probation_dates(void **state)
{
	(void)state;
	char out[11];
	zb_probation_end("2024-03-10", 12, 0, out);
	assert_string_equal(out, "2025-03-10");
	zb_probation_end("2024-02-29", 12, 0, out); /* month-end convention */
	assert_string_equal(out, "2025-02-28");
	zb_probation_end("2024-02-29", 12, 12, out); /* two years on: a leap year again */
	assert_string_equal(out, "2026-02-28");
	zb_probation_end("2023-08-31", 12, 6, out);
	assert_string_equal(out, "2025-02-28");
	zb_probation_end("2023-02-28", 12, 0, out);
	assert_string_equal(out, "2024-02-28");
	zb_probation_rules r = {0, 12, 6, 12, ""};
	zb_err e = {0};
	assert_int_equal(zb_probation_check_dates("2024-03-10", "2025-03-09", &r, 0, &e), ZB_EINVAL);
	assert_string_equal(e.field, "full_date");
	assert_non_null(strstr(e.msg, "2025-03-10"));
	assert_int_equal(zb_probation_check_dates("2024-03-10", "2025-03-10", &r, 0, &e), 0);
	assert_int_equal(zb_probation_check_dates("2024-03-10", "2025-03-11", &r, 0, &e), 0);
	assert_int_equal(zb_probation_check_dates("2024-02-29", "2025-02-27", &r, 0, &e), ZB_EINVAL);
	assert_int_equal(zb_probation_check_dates("2024-02-29", "2025-02-28", &r, 0, &e), 0);
	/* extended by 6 months */
	assert_int_equal(zb_probation_check_dates("2024-03-10", "2025-09-09", &r, 6, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "已延长 6 个月"));
	assert_int_equal(zb_probation_check_dates("2024-03-10", "2025-09-10", &r, 6, &e), 0);
	/* no 预备期 (1969-1977): only not before the join date */
	zb_probation_rules none = {0, 0, 6, 12, ""};
	assert_int_equal(zb_probation_check_dates("1972-05-01", "1972-05-01", &none, 0, &e), 0);
	assert_int_equal(zb_probation_check_dates("1972-05-01", "1972-04-30", &none, 0, &e), ZB_EINVAL);
	/* the rule kind's validator */
	json_t *j = json_loads("{\"months\":12,\"extend_min_months\":7,\"extend_max_months\":6}", 0, NULL);
	assert_int_equal(zb_probation_rules_validate(j, &e), ZB_EINVAL);
	json_decref(j);
	j = json_loads("{\"months\":12,\"extend_min_months\":6,\"extend_max_months\":12,\"weeks\":1}", 0, NULL);
	assert_int_equal(zb_probation_rules_validate(j, &e), ZB_EINVAL);
	json_decref(j);
	j = json_loads("{\"months\":12,\"extend_min_months\":6,\"extend_max_months\":12}", 0, NULL);
	assert_int_equal(zb_probation_rules_validate(j, &e), 0);
	json_decref(j);
}

/* ---- database fixture ---- */


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
	if (dbfix_open("rules_life", &f->db, &f->e))
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

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 0, 0)",
	                           "iIsss", id, parent, path, name, type),
	                 0);
}

static int64_t member(fx *f, int64_t org_id, const char *path, const char *name, const char *category, const char *join,
                      const char *full, const char *status)
{
	int64_t id = 0;
	int rc = zb_db_int(f->db, &f->e, &id,
	                   "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
	                   "category, join_date, full_date, status, created_at, updated_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id",
	                   "issssbssss", org_id, path, name, name, name, name, strlen(name), category, join, full, status);
	if (rc)
		fail_msg("member: %s", f->e.msg);
	return id;
}

/* A theme day at org at a China wall-clock time on date. */
static void mk_meeting(fx *f, int64_t org_id, const char *date, int hh, int mm, zb_meeting *out)
{
	zb_meeting m = {0};
	m.org_id = org_id;
	m.type = ZB_MT_THEME_DAY;
	m.start_at = zb_md_time_of(date) + hh * 3600 + mm * 60;
	assert_int_equal(zb_meeting_check(f->db, &m, &f->a, &f->e), 0);
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	if (zb_meeting_insert(f->db, &m, &r, NULL, 0, 0, 1, &id, &f->e))
		fail_msg("insert: %s", f->e.msg);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	*out = m;
}

static void set_att(fx *f, zb_meeting *m, const zb_attend_item *items, int n)
{
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, m, &r, &f->e), 0);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	/* "now" well after every meeting */
	if (zb_meeting_set_attendance(f->db, m, &r, items, n, NULL, m->start_at + 86400 * 400, &f->e))
		fail_msg("attendance: %s (%s)", f->e.msg, f->e.field);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
}

static const zb_risk *risk_of(const zb_risk *v, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (v[i].member_id == id)
			return &v[i];
	return NULL;
}

/* county 1 > branch 2 (the member's), branch 3 (a 流动党员党支部) */
static void test_risk_months(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "branch", "东街村党支部");
	org(f, 3, 1, "/1/3/", "branch", "流动党员党支部");
	const char *P = "/1/2/";
	int64_t a = member(f, 2, P, "甲", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t b = member(f, 2, P, "乙", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t c = member(f, 2, P, "丙", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t d = member(f, 2, P, "丁", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t g = member(f, 2, P, "流", "full", "2010-07-01", "2011-07-01", "mobile");
	int64_t x = member(f, 2, P, "戊", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t s = member(f, 3, "/1/3/", "书记", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t ids[] = {a, b, c, d, g, x};
	const char *names[] = {"甲", "乙", "丙", "丁", "流", "戊"};
	/* branch 2 meets monthly from Dec 2025 to Jul 2026 except March: the
	 * December meeting late on the 31st, January's early on the 1st (China
	 * time decides the month) */
	struct {
		const char *date;
		int hh, mm, ym;
	} ms[] = {
		{"2025-12-31", 23, 30, 202512}, {"2026-01-01", 0, 30, 202601}, {"2026-02-10", 10, 0, 202602},
		{"2026-04-10", 10, 0, 202604},  {"2026-05-10", 10, 0, 202605}, {"2026-06-10", 10, 0, 202606},
		{"2026-07-10", 10, 0, 202607},
	};
	/* present in: 甲 Dec; 乙 Jan; 丙 Apr; 丁 Dec and 请假 in May; 流 Dec
	 * (and at the 流动党员党支部 in June); 戊 Dec, explained Jun-Jul */
	for (size_t k = 0; k < sizeof ms / sizeof ms[0]; k++) {
		zb_meeting m;
		mk_meeting(f, 2, ms[k].date, ms[k].hh, ms[k].mm, &m);
		assert_int_equal(m.held_ym, ms[k].ym);
		zb_attend_item it[6];
		for (int i = 0; i < 6; i++) {
			int ym = ms[k].ym;
			int pres = (ym == 202512 && (i == 0 || i == 3 || i == 4 || i == 5)) || (ym == 202601 && i == 1) ||
			           (ym == 202604 && i == 2);
			int leave = ym == 202605 && i == 3;
			it[i] = (zb_attend_item){ids[i], pres ? "present" : leave ? "leave" : "absent", leave ? "住院" : NULL, 0,
			                         names[i]};
		}
		set_att(f, &m, it, 6);
	}
	zb_meeting sm;
	mk_meeting(f, 3, "2026-06-20", 9, 0, &sm);
	zb_attend_item gi[2] = {{s, "present", NULL, 0, NULL}, {g, "present", NULL, 1, "流"}};
	set_att(f, &sm, gi, 2);
	assert_int_equal(sm.expected, 1);
	assert_int_equal(sm.present, 1);
	/* a guest's name must be the roster's */
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &sm, &r, &f->e), 0);
	zb_attend_item wrong = {x, "present", NULL, 1, "别人"};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_set_attendance(f->db, &sm, &r, &wrong, 1, NULL, sm.start_at + 60, &f->e), ZB_EINVAL);
	zb_db_rollback(f->db);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO risk_explanations (member_id, org_path, reason, from_on, to_on, from_ym, to_ym, "
	                           "created_at) VALUES (?, ?, '因病住院', '2026-06-01', '2026-07-31', 202606, 202607, 0)",
	                           "is", x, P),
	                 0);

	zb_risk *v;
	int n, scanned;
	/* on 1 Aug July is complete */
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-08-01", &f->a, &v, &n, &scanned, &f->e), 0);
	const zb_risk *ra = risk_of(v, n, a), *rb = risk_of(v, n, b), *rc = risk_of(v, n, c), *rd = risk_of(v, n, d);
	/* 甲: Jan, Feb, Apr-Jul = 6 (March held nothing: passed over) */
	assert_non_null(ra);
	assert_int_equal(ra->months, 6);
	assert_int_equal(ra->level, 6);
	assert_int_equal(ra->idle_months, 1);
	assert_int_equal(ra->since_ym, 202601);
	assert_int_equal(ra->last_present_ym, 202512);
	/* 乙: Feb, Apr-Jul = 5 */
	assert_non_null(rb);
	assert_int_equal(rb->months, 5);
	assert_int_equal(rb->level, 5);
	/* 丙: May-Jul = 3 */
	assert_non_null(rc);
	assert_int_equal(rc->months, 3);
	assert_int_equal(rc->level, 3);
	assert_int_equal(rc->idle_months, 0);
	/* 丁: the May leave is passed over: Jan, Feb, Apr, Jun, Jul = 5 */
	assert_non_null(rd);
	assert_int_equal(rd->months, 5);
	assert_int_equal(rd->excused_months, 1);
	assert_int_equal(rd->level, 5);
	/* 流: took part in June at the 流动党员党支部: only July counts */
	assert_null(risk_of(v, n, g));
	/* 戊: Jan, Feb, Apr, May counted, Jun-Jul explained = 4 */
	assert_non_null(risk_of(v, n, x));
	assert_int_equal(risk_of(v, n, x)->months, 4);
	assert_int_equal(risk_of(v, n, x)->excused_months, 2);
	assert_int_equal(risk_of(v, n, x)->explained_to_ym, 202607);
	/* worst first */
	assert_int_equal(v[0].member_id, a);

	/* the day before (31 Jul): July is not complete: 甲 has 5, 丙 2 */
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-07-31", &f->a, &v, &n, &scanned, &f->e), 0);
	assert_int_equal(risk_of(v, n, a)->months, 5);
	assert_int_equal(risk_of(v, n, a)->level, 5);
	assert_null(risk_of(v, n, c));

	/* the guest row removed: 流 counts from January again */
	zb_attend_item gone = {g, "absent", NULL, 1, "流"};
	set_att(f, &sm, &gone, 1);
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-08-01", &f->a, &v, &n, &scanned, &f->e), 0);
	assert_non_null(risk_of(v, n, g));
	assert_int_equal(risk_of(v, n, g)->months, 6);
}

static void test_probation_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "branch", "东街村党支部");
	const char *P = "/1/2/";
	zb_probation_rules r;
	/* by the 党章 in force on the join date */
	assert_int_equal(zb_probation_rules_get(f->db, P, "1955-06-01", &r, &f->e), 0);
	assert_int_equal(r.months, 0);
	assert_int_equal(zb_probation_rules_get(f->db, P, "1956-09-26", &r, &f->e), 0);
	assert_int_equal(r.months, 12);
	assert_int_equal(zb_probation_rules_get(f->db, P, "1972-05-01", &r, &f->e), 0);
	assert_int_equal(r.months, 0);
	assert_int_equal(zb_probation_rules_get(f->db, P, "1977-08-17", &r, &f->e), 0);
	assert_int_equal(r.months, 0);
	assert_int_equal(zb_probation_rules_get(f->db, P, "1977-08-18", &r, &f->e), 0);
	assert_int_equal(r.months, 12);
	assert_int_equal(r.ext_min, 6);
	assert_int_equal(r.ext_max, 12);

	int64_t due = member(f, 2, P, "甲", "probationary", "2025-08-14", NULL, "normal");
	int64_t leap = member(f, 2, P, "乙", "probationary", "2024-02-29", NULL, "normal");
	member(f, 2, P, "丙", "probationary", "2025-08-14", NULL, "removed");
	zb_probation_due *v;
	int n;
	/* 甲's year ends on 14 Aug 2026: listed from the 15th */
	assert_int_equal(zb_probation_overdue(f->db, "/1/", "2026-08-14", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 1); /* 乙 only, long overdue */
	assert_int_equal(v[0].member_id, leap);
	assert_string_equal(v[0].ends_on, "2025-02-28");
	assert_int_equal(zb_probation_overdue(f->db, "/1/", "2026-08-15", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].member_id, due);
	assert_int_equal(v[1].days_overdue, 1);
	/* 乙 (29 Feb): the day of the end is not overdue, the day after is */
	assert_int_equal(zb_probation_overdue(f->db, "/1/2/", "2025-02-28", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(zb_probation_overdue(f->db, "/1/2/", "2025-03-01", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 1);

	/* the extension: once, 6..12 months, decided after the join date */
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_probation_extend(f->db, due, 5, "2026-08-14", "x", "2026-08-20", 0, 1, &f->e), ZB_EINVAL);
	assert_int_equal(zb_probation_extend(f->db, due, 13, "2026-08-14", "x", "2026-08-20", 0, 1, &f->e), ZB_EINVAL);
	assert_int_equal(zb_probation_extend(f->db, due, 6, "2025-08-14", "x", "2026-08-20", 0, 1, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "decided_on");
	assert_int_equal(zb_probation_extend(f->db, due, 12, "2026-08-14", "继续考察", "2026-08-20", 0, 1, &f->e), 0);
	assert_int_equal(zb_probation_extend(f->db, due, 6, "2026-08-14", "再延", "2026-08-20", 0, 1, &f->e), ZB_ECONFLICT);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(zb_probation_overdue(f->db, "/1/2/", "2026-08-20", &f->a, &v, &n, &f->e), 0);
	assert_int_equal(n, 1); /* 甲 extended to 14 Aug 2027 */
	assert_int_equal(v[0].member_id, leap);

	/* the check on a member write: the extension is read for an update */
	zb_member old = {0}, nw = {0};
	old.id = due;
	old.category = "probationary";
	old.join_date = "2025-08-14";
	old.org_path = P;
	nw = old;
	nw.category = "full";
	nw.full_date = "2026-08-14";
	assert_int_equal(zb_member_check_probation(f->db, &old, &nw, &f->e), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "2027-08-14"));
	nw.full_date = "2027-08-14";
	assert_int_equal(zb_member_check_probation(f->db, &old, &nw, &f->e), 0);
	/* a new record has no extension; an unchanged historic one is not judged */
	nw.full_date = "2026-08-13";
	assert_int_equal(zb_member_check_probation(f->db, NULL, &nw, &f->e), ZB_EINVAL);
	old = nw;
	assert_int_equal(zb_member_check_probation(f->db, &old, &nw, &f->e), 0);
}

#define DB_TESTS                                                                                          \
	cmocka_unit_test_setup_teardown(test_risk_months, setup, teardown),                               \
		cmocka_unit_test_setup_teardown(test_probation_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_floors),
		cmocka_unit_test(test_rule_floors),
		cmocka_unit_test(test_written_opinions_in_the_tally),
		cmocka_unit_test(test_probation_dates),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("rules_life", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("rules_life_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("rules_life_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_rules_life: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
