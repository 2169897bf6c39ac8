/* Unit tests for 学习教育 and 学时 (docs/STUDY.md): the hours of a meeting
 * and of a training, the reference date, the rule's validator, the quiz's
 * letters, score and sheet rows, the import's row; through the database
 * the items of a year from each source, the 32/56 thresholds by role on
 * the reference date (a committee post that ended the day before: 32),
 * and a subtree's totals equal to the members' years.  Database tests run
 * on SQLite and, when ZB_TEST_PG holds a postgres:// URI, on PostgreSQL. */
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
#include "study/course.h"
#include "study/simport.h"
#include "study/study.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_meeting_hours(void **state)
{
	(void)state;
	zb_study_rules r;
	zb_study_rules_default(&r);
	/* whole half hours: 89 minutes is 1 学时, 90 is 1.5 */
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_LECTURE, 1000, 1000 + 89 * 60, &r), 10);
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_LECTURE, 1000, 1000 + 90 * 60, &r), 15);
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_THEME_DAY, 1000, 1000 + 29 * 60, &r), 0);
	/* at most meeting_max_hours */
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_THEME_DAY, 0, 12 * 3600, &r), 80);
	/* no end time (or one not after the start): the rule's default per type */
	r.lecture10 = 25;
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_LECTURE, 1000, 0, &r), 25);
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_THEME_DAY, 1000, 0, &r), 20);
	assert_int_equal(zb_study_meeting_hours10(ZB_MT_THEME_DAY, 1000, 1000, &r), 20);
	/* training: hours when given, else days of training_day_hours */
	assert_int_equal(zb_study_training_hours10(3, 0, &r), 240);
	assert_int_equal(zb_study_training_hours10(3, 26, &r), 260);
	assert_int_equal(zb_study_training_hours10(0, 0, &r), 0);
}

static void test_ref_date(void **state)
{
	(void)state;
	char d[11];
	zb_err e = {0};
	assert_int_equal(zb_study_ref_date(2025, "2026-03-01", d, &e), 0);
	assert_string_equal(d, "2025-12-31");
	assert_int_equal(zb_study_ref_date(2026, "2026-03-01", d, &e), 0);
	assert_string_equal(d, "2026-03-01");
	assert_int_equal(zb_study_ref_date(2027, "2026-03-01", d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "year");
	assert_int_equal(zb_study_ref_date(1999, "2026-03-01", d, &e), ZB_EINVAL);
}

static void test_validator(void **state)
{
	(void)state;
	zb_err e = {0};
	const char *good = "{\"member_hours\":32,\"leader_hours\":56,\"lecture_hours\":2,\"theme_day_hours\":1.5,"
	                   "\"training_day_hours\":8,\"meeting_max_hours\":8,\"source\":\"x\"}";
	json_t *d = json_loads(good, 0, NULL);
	assert_int_equal(zb_study_rules_validate(d, &e), 0);
	json_object_set_new(d, "member_hours", json_real(31.25));
	assert_int_equal(zb_study_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.member_hours");
	json_object_set_new(d, "member_hours", json_integer(60));
	assert_int_equal(zb_study_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.leader_hours");
	json_object_set_new(d, "member_hours", json_integer(32));
	json_object_set_new(d, "minutes", json_integer(1));
	assert_int_equal(zb_study_rules_validate(d, &e), ZB_EINVAL);
	json_object_del(d, "minutes");
	json_object_del(d, "lecture_hours");
	assert_int_equal(zb_study_rules_validate(d, &e), ZB_EINVAL);
	assert_string_equal(e.field, "data.lecture_hours");
	json_decref(d);
	int h;
	assert_int_equal(zb_study_hours_parse(31.5, 2000, "hours", &h, &e), 0);
	assert_int_equal(h, 315);
	assert_int_equal(zb_study_hours_parse(0.25, 240, "hours", &h, &e), ZB_EINVAL);
	assert_int_equal(zb_study_hours_parse(0, 240, "hours", &h, &e), ZB_EINVAL);
	assert_int_equal(zb_study_hours_parse(24.1, 240, "hours", &h, &e), ZB_EINVAL);
}

static void test_quiz(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(zb_quiz_letters("c, a", 4, out), 0);
	assert_string_equal(out, "AC");
	assert_int_equal(zb_quiz_letters("B、A", 4, out), 0);
	assert_string_equal(out, "AB");
	assert_int_equal(zb_quiz_letters("E", 4, out), -1);
	assert_int_equal(zb_quiz_letters("", 4, out), -1);
	assert_int_equal(zb_quiz_letters("A1", 4, out), -1);
	zb_quiz_q qs[3] = {{.nopt = 4, .answer = "B"}, {.nopt = 4, .multiple = 1, .answer = "AC"},
	                   {.nopt = 2, .answer = "A"}};
	const char *all[] = {"b", "CA", "A"}, *some[] = {"B", "A", NULL}, *two[] = {"AB", "AC", "A"};
	int right[3];
	assert_int_equal(zb_quiz_score(qs, 3, all, 3, right), 100);
	/* 1 of 3: 33 (half up of 33.3) */
	assert_int_equal(zb_quiz_score(qs, 3, some, 3, right), 33);
	assert_int_equal(right[0], 1);
	assert_int_equal(right[1], 0);
	/* two letters to a single choice question are wrong; 2 of 3 is 67 */
	assert_int_equal(zb_quiz_score(qs, 3, two, 3, right), 67);
	assert_int_equal(right[0], 0);
	assert_int_equal(zb_quiz_score(qs, 2, all, 2, NULL), 100);
	/* a sheet row */
	zb_arena a;
	zb_arena_init(&a);
	const char *errs[4];
	int nerr = 0;
	zb_quiz_q q;
	const char *opts[6] = {"甲", "乙", "丙", NULL, NULL, NULL};
	zb_quiz_row_parse("题", "多选", opts, "c a", &a, &q, errs, &nerr);
	assert_int_equal(nerr, 0);
	assert_string_equal(q.answer, "AC");
	assert_int_equal(q.nopt, 3);
	zb_quiz_row_parse("题", "单选", opts, "AB", &a, &q, errs, &nerr);
	assert_int_equal(nerr, 1);
	nerr = 0;
	const char *gap[6] = {"甲", NULL, "丙", NULL, NULL, NULL};
	zb_quiz_row_parse(NULL, "判断", gap, "D", &a, &q, errs, &nerr);
	assert_true(nerr >= 4);
	zb_arena_free(&a);
}

static void test_simport_row(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	const char *errs[ZB_SIMPORT_MAX_ERRS];
	int nerr = 0;
	zb_simport_parsed p;
	const char *v[ZB_SC_COUNT] = {"张三", "2026/3/5", "党校培训", "1.5学时", NULL, "县委党校", NULL};
	zb_simport_parse(v, 0, "2026-06-01", &a, &p, errs, &nerr);
	assert_int_equal(nerr, 0);
	assert_string_equal(p.held_on, "2026-03-05");
	assert_int_equal(p.hours10, 15);
	assert_string_equal(p.kind, "external");
	const char *w[ZB_SC_COUNT] = {"张三", "2026-07-01", NULL, "0.25", "自学", NULL, NULL};
	zb_simport_parse(w, 0, "2026-06-01", &a, &p, errs, &nerr);
	assert_int_equal(nerr, 4); /* content, kind, a date ahead, hours */
	nerr = 0;
	const char *x[ZB_SC_COUNT] = {"张三", "2026-05-01", "集中学习", "3", "远程教育", NULL, NULL};
	zb_simport_parse(x, 0, "2026-06-01", &a, &p, errs, &nerr);
	assert_int_equal(nerr, 0);
	assert_string_equal(p.kind, "remote");
	zb_arena_free(&a);
}

/* ---- database ---- */

typedef struct fx {
	zb_db *db;
	zb_err e;
	zb_arena a;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	zb_arena_init(&f->a);
	if (dbfix_open("study", &f->db, &f->e))
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

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 0, 0)",
	                           "iIsss", id, parent, path, path, type),
	                 0);
}

static int64_t member(fx *f, int64_t org_id, const char *path, const char *name)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
	                           "category, status, created_at, updated_at) "
	                           "VALUES (?, ?, ?, ?, ?, ?, 'full', 'normal', 0, 0) RETURNING id",
	                           "issssb", org_id, path, name, name, name, "k", (size_t)1),
	                 0);
	return id;
}

/* A meeting of type at org on day (start 09:00 China time), minutes long
 * (0: no end time), and the members present. */
static int64_t meeting(fx *f, int64_t org_id, const char *path, const char *type, const char *day, int minutes,
                       const int64_t *present, int n)
{
	int64_t id = 0, start = (zb_date_days(day) * 86400) + 3600; /* 09:00 China */
	char ym[7];
	snprintf(ym, sizeof ym, "%.4s%.2s", day, day + 5);
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO meetings (org_id, org_path, type, title, start_at, end_at, held_on, held_ym, "
	                           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id",
	                           "isssiIsi", org_id, path, type, type, start, minutes ? start + minutes * 60 : 0, day,
	                           (int64_t)atoi(ym)),
	                 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, status, source, "
		                           "updated_at) VALUES (?, ?, ?, ?, 'manual', 0)",
		                           "iiis", id, present[i] > 0 ? present[i] : -present[i], (int64_t)atoi(ym),
		                           present[i] > 0 ? "present" : "absent"),
		                 0);
	return id;
}

static void post(fx *f, int64_t org_id, int64_t m, const char *from, const char *to)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO committee_posts (org_id, member_id, post, started_on, ended_on, created_at, "
	                           "updated_at) VALUES (?, ?, 'member', ?, ?, 0, 0)",
	                           "iiss", org_id, m, from, to),
	                 0);
}

static double year_hours(fx *f, int64_t m, int year, const char *today, double *required)
{
	double h = -1;
	assert_int_equal(zb_study_year_sum(f->db, m, year, today, &h, required, &f->e), 0);
	return h;
}

/* Every source through the database, and the 32/56 edge on the
 * reference date. */
static void test_year_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	org(f, 3, 2, "/1/2/3/", "group");
	int64_t a = member(f, 2, "/1/2/", "甲"), b = member(f, 2, "/1/2/", "乙"), c = member(f, 2, "/1/2/", "丙");
	int64_t both[] = {a, -b}, ab[] = {a, b};
	meeting(f, 2, "/1/2/", "lecture", "2025-03-10", 95, both, 2);   /* a 1.5, b absent */
	meeting(f, 2, "/1/2/", "theme_day", "2025-05-10", 0, ab, 2);    /* 2 each */
	meeting(f, 2, "/1/2/", "plenary", "2025-06-10", 120, ab, 2);    /* not study */
	meeting(f, 2, "/1/2/", "lecture", "2024-12-31", 120, ab, 2);    /* last year */
	/* the 发展对象 training of the applicant c was: 3 days, no hours */
	int64_t ap = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &ap,
	                           "INSERT INTO applicants (org_id, org_path, name, name_pinyin, source, applied_on, stage, "
	                           "step, step_on, member_id, created_at, updated_at) VALUES (2, '/1/2/', '丙', 'bing', "
	                           "'other', '2023-01-01', 'probationary', 19, '2025-09-01', ?, 0, 0) RETURNING id",
	                           "i", c),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO applicant_steps (applicant_id, step, done_on, facts, recorded_at) VALUES "
	                           "(?, 11, '2025-04-03', '{\"training_days\":3}', 0), "
	                           "(?, 11, '2025-04-01', '{\"training_days\":9}', 0)",
	                           "ii", ap, ap),
	                 0);
	/* the second row was corrected: replaced by the first */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "UPDATE applicant_steps SET replaced_by = (SELECT MIN(id) FROM applicant_steps) "
	                           "WHERE id = (SELECT MAX(id) FROM applicant_steps)",
	                           ""),
	                 0);
	/* a session of a and c */
	int64_t sid = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &sid,
	                           "INSERT INTO study_sessions (org_id, org_path, kind, title, held_on, hours10, created_at) "
	                           "VALUES (2, '/1/2/', 'central', '集中学习', '2025-07-01', 280, 0) RETURNING id",
	                           ""),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO study_attendees (session_id, member_id) VALUES (?, ?), (?, ?)", "iiii", sid, a,
	                           sid, c),
	                 0);
	zb_study_year y;
	assert_int_equal(zb_study_member_year(f->db, a, 2025, "2026-03-01", &f->a, &y, &f->e), 0);
	assert_int_equal(y.n, 3);
	assert_string_equal(y.items[0].kind, "lecture");
	assert_int_equal(y.items[0].hours10, 15);
	assert_string_equal(y.items[1].kind, "theme_day");
	assert_string_equal(y.items[2].source, zb_arena_printf(&f->a, "session:%lld", (long long)sid));
	assert_int_equal(y.hours10, 15 + 20 + 280);
	assert_int_equal(y.required10, 320);
	assert_int_equal(y.leader, 0);
	/* c: the training counts (24) in the year it ended, for the member it became */
	assert_int_equal(zb_study_member_year(f->db, c, 2025, "2026-03-01", &f->a, &y, &f->e), 0);
	assert_int_equal(y.hours10, 240 + 280);
	assert_string_equal(y.items[0].kind, "training");
	assert_string_equal(y.items[0].source, zb_arena_printf(&f->a, "applicant:%lld", (long long)ap));
	double req;
	assert_true(year_hours(f, b, 2025, "2026-03-01", &req) == 2.0);
	assert_true(req == 32.0);
	/* 2024: only the lecture of 31 December */
	assert_true(year_hours(f, b, 2024, "2026-03-01", &req) == 2.0);

	/* 32/56 on the reference date: a post that ended the day before is 32,
	 * one that ends on it 56; a 党小组's post is not a committee's */
	post(f, 2, b, "2020-01-01", "2025-12-30");
	year_hours(f, b, 2025, "2026-03-01", &req);
	assert_true(req == 32.0);
	post(f, 3, b, "2020-01-01", NULL);
	year_hours(f, b, 2025, "2026-03-01", &req);
	assert_true(req == 32.0);
	post(f, 2, b, "2025-12-31", "2025-12-31");
	year_hours(f, b, 2025, "2026-03-01", &req);
	assert_true(req == 56.0);
	/* the current year: today is the reference date */
	post(f, 2, c, "2026-03-02", NULL);
	year_hours(f, c, 2026, "2026-03-01", &req);
	assert_true(req == 32.0);
	year_hours(f, c, 2026, "2026-03-02", &req);
	assert_true(req == 56.0);

	/* 不少于: 32 is enough, 31.5 short (a has 31.5) */
	zb_study_row *rows;
	zb_study_orgsum *orgs;
	int n, no;
	assert_int_equal(zb_study_org_year(f->db, "/1/", 2025, "2026-03-01", 1, &f->a, &rows, &n, &orgs, &no, &f->e), 0);
	int found_a = 0;
	for (int i = 0; i < n; i++)
		if (rows[i].member_id == a) {
			found_a = 1;
			assert_int_equal(rows[i].hours10, 315);
		}
	assert_true(found_a);
	/* half an hour of 远程教育 more: 32, enough */
	int64_t sid2 = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &sid2,
	                           "INSERT INTO study_sessions (org_id, org_path, kind, title, held_on, hours10, created_at) "
	                           "VALUES (2, '/1/2/', 'remote', '远程教育', '2025-08-01', 5, 0) RETURNING id",
	                           ""),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "INSERT INTO study_attendees (session_id, member_id) VALUES (?, ?)",
	                           "ii", sid2, a),
	                 0);
	assert_int_equal(zb_study_org_year(f->db, "/1/", 2025, "2026-03-01", 1, &f->a, &rows, &n, &orgs, &no, &f->e), 0);
	for (int i = 0; i < n; i++)
		assert_true(rows[i].member_id != a);
	/* the list's totals are the members' years added up */
	assert_int_equal(zb_study_org_year(f->db, "/1/", 2025, "2026-03-01", 0, &f->a, &rows, &n, &orgs, &no, &f->e), 0);
	assert_int_equal(n, 3);
	assert_int_equal(no, 1);
	int64_t sum = 0;
	for (int i = 0; i < n; i++) {
		zb_study_year one;
		assert_int_equal(zb_study_member_year(f->db, rows[i].member_id, 2025, "2026-03-01", &f->a, &one, &f->e), 0);
		assert_int_equal(rows[i].hours10, one.hours10);
		assert_int_equal(rows[i].required10, one.required10);
		sum += one.hours10;
	}
	assert_int_equal(orgs[0].hours10, sum);
	assert_int_equal(orgs[0].members, 3);
	assert_int_equal(orgs[0].leaders, 1);
	/* a county's own rule: 40 for members from 2025 */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES "
	                           "('study', 1, '2025-01-01', '县', '{\"member_hours\":40,\"leader_hours\":60,"
	                           "\"lecture_hours\":3,\"theme_day_hours\":2,\"training_day_hours\":8,"
	                           "\"meeting_max_hours\":8}', 0)",
	                           ""),
	                 0);
	year_hours(f, a, 2025, "2026-03-01", &req);
	assert_true(req == 40.0);
	year_hours(f, b, 2025, "2026-03-01", &req);
	assert_true(req == 60.0);
	year_hours(f, a, 2024, "2026-03-01", &req);
	assert_true(req == 32.0);
}

/* A subtree's list reads the 党课 and 主题党日 by another path than one
 * member's year (the subtree's meetings in memory, those outside looked
 * up after): the hours of every row equal the member's year, whether the
 * meeting is of the subtree, of the org above it or of the branch the
 * member left, and a meeting later in the month than today does not
 * count yet. */
static void test_subtree_meetings_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	org(f, 4, 1, "/1/4/", "branch");
	int64_t a = member(f, 2, "/1/2/", "甲"), b = member(f, 2, "/1/2/", "乙"), d = member(f, 4, "/1/4/", "丁");
	int64_t ab[] = {a, b}, only_a[] = {a}, ad[] = {a, -d}, bd[] = {b, d};
	meeting(f, 2, "/1/2/", "theme_day", "2026-01-10", 100, ab, 2); /* 1.5 each */
	meeting(f, 1, "/1/", "lecture", "2026-02-03", 0, only_a, 1);    /* above the branch: 2 */
	meeting(f, 4, "/1/4/", "lecture", "2026-02-05", 60, ad, 2);     /* another branch: a 1, d absent */
	meeting(f, 4, "/1/4/", "theme_day", "2026-02-06", 180, bd, 2);  /* b 3, d 3 */
	meeting(f, 2, "/1/2/", "talk", "2026-02-07", 60, ab, 2);        /* not study */
	meeting(f, 2, "/1/2/", "lecture", "2026-03-20", 120, ab, 2);    /* later this month than today */
	meeting(f, 2, "/1/2/", "lecture", "2025-12-31", 120, ab, 2);    /* last year */
	const struct {
		const char *path;
		int64_t id;
		int hours10;
	} want[] = {{"/1/2/", a, 45}, {"/1/2/", b, 45}, {"/1/", a, 45}, {"/1/", b, 45}, {"/1/", d, 30}, {"/1/4/", d, 30}};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		zb_study_row *rows;
		zb_study_orgsum *orgs;
		int n, no, found = 0;
		assert_int_equal(zb_study_org_year(f->db, want[k].path, 2026, "2026-03-01", 0, &f->a, &rows, &n, &orgs, &no,
		                                   &f->e),
		                 0);
		for (int i = 0; i < n; i++) {
			zb_study_year one;
			assert_int_equal(zb_study_member_year(f->db, rows[i].member_id, 2026, "2026-03-01", &f->a, &one, &f->e),
			                 0);
			assert_int_equal(rows[i].hours10, one.hours10);
			if (rows[i].member_id == want[k].id) {
				found = 1;
				assert_int_equal(rows[i].hours10, want[k].hours10);
			}
		}
		assert_true(found);
	}
}

#define DB_TESTS                                                                                      \
	cmocka_unit_test_setup_teardown(test_year_db, setup, teardown),                               \
	    cmocka_unit_test_setup_teardown(test_subtree_meetings_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_meeting_hours), cmocka_unit_test(test_ref_date), cmocka_unit_test(test_validator),
		cmocka_unit_test(test_quiz),          cmocka_unit_test(test_simport_row),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("study", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("study_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("study_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_study: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
