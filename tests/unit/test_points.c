/* Unit tests for 积分制 (docs/POINTS.md): the schemes' validator (no
 * time-online or check-in items), the ledger's caps at their edge, a
 * scheme changed mid-year, a pending item outside the total; through the
 * database an attendance marked 出席 at a scheme's type earning points
 * without anyone entering it, 缺席 and other types earning none, a
 * correction taking the item away, the defaults of migration 0044 and a
 * secretary's 述职 grade.  Database tests run on SQLite and, when
 * ZB_TEST_PG holds a postgres:// URI, on PostgreSQL. */
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
#include "points/points.h"
#include "dbfix.h"

/* ---- pure ---- */

static int refused(const char *json, const char *needle)
{
	json_t *d = json_loads(json, 0, NULL);
	assert_non_null(d);
	zb_err e = {0};
	int rc = zb_points_rules_validate(d, &e);
	json_decref(d);
	if (rc && needle && !strstr(e.msg, needle))
		fail_msg("message %s lacks %s", e.msg, needle);
	return rc == ZB_EINVAL;
}

static void test_validator(void **state)
{
	(void)state;
	const char *ok = "{\"base\":60,\"items\":[{\"key\":\"a\",\"name\":\"出席\",\"source\":\"attendance\","
	                 "\"types\":[\"plenary\",\"group\"],\"points\":2,\"cap\":8,\"period\":\"quarter\"},"
	                 "{\"key\":\"v\",\"name\":\"违纪\",\"source\":\"manual\",\"points\":-10}]}";
	assert_false(refused(ok, NULL));
	/* no time online, no check-ins, no log-ins */
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"t\",\"name\":\"在线\",\"source\":\"online_time\",\"points\":1}]}",
	                    "指尖上的形式主义"));
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"c\",\"name\":\"打卡\",\"source\":\"checkin\",\"points\":1}]}",
	                    "签到"));
	/* a secretary's source in the members' scheme; a deduction that is not manual */
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"d\",\"name\":\"述职\",\"source\":\"duty_report\","
	                    "\"grades\":{\"good\":1,\"fair\":1,\"average\":1,\"poor\":1}}]}", "党员积分的来源"));
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"d\",\"name\":\"欠费\",\"source\":\"dues\",\"points\":-1}]}",
	                    "扣分只能"));
	/* attendance without its types, a cap without its period, a key twice */
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"a\",\"name\":\"出席\",\"source\":\"attendance\",\"points\":2}]}",
	                    "会议类型"));
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"a\",\"name\":\"党费\",\"source\":\"dues\",\"points\":1,\"cap\":3}]}",
	                    "周期"));
	assert_true(refused("{\"base\":60,\"items\":[{\"key\":\"a\",\"name\":\"x\",\"source\":\"dues\",\"points\":1},"
	                    "{\"key\":\"a\",\"name\":\"y\",\"source\":\"aid_visit\",\"points\":1}]}", "重复"));
	assert_true(refused("{\"base\":60,\"ranking\":\"yes\",\"items\":[{\"key\":\"a\",\"name\":\"x\",\"source\":\"dues\",\"points\":1}]}",
	                    "ranking"));
	/* the secretaries' scheme takes duty_report with four ordered grades */
	json_t *d = json_loads("{\"base\":70,\"items\":[{\"key\":\"d\",\"name\":\"述职\",\"source\":\"duty_report\","
	                       "\"grades\":{\"good\":5,\"fair\":8,\"average\":1,\"poor\":0}}]}", 0, NULL);
	zb_err e = {0};
	assert_int_equal(zb_points_secretary_rules_validate(d, &e), ZB_EINVAL);
	json_decref(d);
}

static zb_pts_scheme scheme(zb_arena *a, const char *from, int points, int cap10, int base)
{
	char json[400], cap[40] = "";
	if (cap10)
		snprintf(cap, sizeof cap, "\"cap\":%g,", cap10 / 10.0);
	snprintf(json, sizeof json,
	         "{\"base\":%d,\"items\":[{\"key\":\"att\",\"name\":\"出席\",\"source\":\"attendance\",\"types\":[\"plenary\"],"
	         "\"points\":%d,%s\"period\":\"quarter\"},{\"key\":\"vol\",\"name\":\"志愿服务\",\"source\":\"manual\","
	         "\"points\":2}]}",
	         base, points, cap);
	json_t *d = json_loads(json, 0, NULL);
	zb_pts_scheme s;
	zb_err e = {0};
	assert_int_equal(zb_pts_scheme_parse(d, ZB_PTS_MEMBER, a, &s, &e), 0);
	json_decref(d);
	s.from = from;
	s.rule_id = points;
	return s;
}

static zb_pts_event attend(const char *date, int mtype, const char *src)
{
	zb_pts_event ev = {.src = ZB_PS_ATTENDANCE, .mtype = mtype, .units10 = 10, .reason = "出席", .source = src};
	snprintf(ev.date, sizeof ev.date, "%s", date);
	return ev;
}

static int64_t sum(const zb_pts_ledger *l)
{
	int64_t t = 0;
	for (int i = 0; i < l->n; i++)
		t += l->rows[i].points10;
	return t;
}

/* cap 6 a quarter at 2 a meeting: the third reaches it, the fourth is
 * beyond (0 points, said why), the next quarter starts again; a cap of
 * 5 gives the third only what is left */
static void test_cap_edge(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	zb_pts_scheme s = scheme(&a, "2026-01-01", 2, 60, 60);
	zb_pts_event ev[] = {attend("2026-01-05", ZB_MT_PLENARY, "meeting:1"), attend("2026-02-05", ZB_MT_PLENARY, "meeting:2"),
	                     attend("2026-03-05", ZB_MT_PLENARY, "meeting:3"), attend("2026-03-31", ZB_MT_PLENARY, "meeting:4"),
	                     attend("2026-04-01", ZB_MT_PLENARY, "meeting:5"), attend("2026-04-02", ZB_MT_COMMITTEE, "meeting:6")};
	zb_pts_ledger l;
	zb_pts_apply(&s, 1, 2026, ev, 6, &a, &l);
	assert_int_equal(l.n, 6); /* base + 5 plenaries; the committee meeting is not a scheme type */
	assert_string_equal(l.rows[0].key, "base");
	assert_int_equal(l.rows[0].points10, 600);
	assert_int_equal(l.rows[3].points10, 20);
	assert_string_equal(l.rows[3].status, "counted");
	assert_int_equal(l.rows[4].points10, 0);
	assert_string_equal(l.rows[4].status, "capped");
	assert_non_null(strstr(l.rows[4].reason, "超出本季度上限 6 分"));
	assert_string_equal(l.rows[4].period, "2026Q1");
	assert_int_equal(l.rows[5].points10, 20);
	assert_string_equal(l.rows[5].period, "2026Q2");
	assert_int_equal(l.total10, 600 + 80);
	assert_int_equal(l.total10, sum(&l));

	zb_pts_scheme s5 = scheme(&a, "2026-01-01", 2, 50, 60);
	zb_pts_event ev5[] = {attend("2026-01-05", ZB_MT_PLENARY, "meeting:1"), attend("2026-02-05", ZB_MT_PLENARY, "meeting:2"),
	                      attend("2026-03-05", ZB_MT_PLENARY, "meeting:3")};
	zb_pts_apply(&s5, 1, 2026, ev5, 3, &a, &l);
	assert_int_equal(l.rows[3].points10, 10);
	assert_non_null(strstr(l.rows[3].reason, "只计 1 分"));
	assert_int_equal(l.total10, 650);
	zb_arena_free(&a);
}

/* A scheme changed on 1 July: what happened before keeps the old points,
 * the base is the one of 1 January; a pending manual item shows and is
 * not in the total. */
static void test_mid_year(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	zb_pts_scheme s[] = {scheme(&a, "2026-01-01", 2, 0, 60), scheme(&a, "2026-07-01", 3, 0, 70)};
	zb_pts_event ev[] = {attend("2026-07-01", ZB_MT_PLENARY, "meeting:2"), attend("2026-06-30", ZB_MT_PLENARY, "meeting:1"),
	                     {.date = "2026-08-01", .src = ZB_PS_MANUAL, .key = "vol", .pending = 1, .reason = "志愿服务",
	                      .source = "manual:1"},
	                     {.date = "2026-08-02", .src = ZB_PS_MANUAL, .key = "vol", .reason = "志愿服务", .source = "manual:2"}};
	zb_pts_ledger l;
	zb_pts_apply(s, 2, 2026, ev, 4, &a, &l);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.rows[0].points10, 600);
	assert_string_equal(l.rows[1].date, "2026-06-30");
	assert_int_equal(l.rows[1].points10, 20);
	assert_int_equal(l.rows[2].points10, 30);
	assert_string_equal(l.rows[3].status, "pending");
	assert_int_equal(l.rows[3].points10, 0);
	assert_non_null(strstr(l.rows[3].reason, "待支部委员会审核"));
	assert_int_equal(l.rows[4].points10, 20);
	assert_int_equal(l.total10, 600 + 20 + 30 + 20);
	assert_int_equal(l.total10, sum(&l));
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
	if (dbfix_open("points", &f->db, &f->e))
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

/* A meeting of type at org on day with a present and b absent. */
static int64_t meeting(fx *f, const char *type, const char *day, int64_t a, int64_t b)
{
	int64_t id = 0, start = zb_date_days(day) * 86400 + 3600;
	int64_t ym = atoi(day) * 100 + atoi(day + 5);
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO meetings (org_id, org_path, type, title, start_at, held_on, held_ym, "
	                           "created_at, updated_at) VALUES (2, '/1/2/', ?, '学习贯彻', ?, ?, ?, 0, 0) RETURNING id",
	                           "sisi", type, start, day, ym),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, status, source, updated_at) "
	                           "VALUES (?, ?, ?, 'present', 'manual', 0), (?, ?, ?, 'absent', 'manual', 0)",
	                           "iiiiii", id, a, ym, id, b, ym),
	                 0);
	return id;
}

static const zb_pts_row *row_of(const zb_pts_ledger *l, const char *source)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->rows[i].source, source))
			return &l->rows[i];
	return NULL;
}

static void test_ledger_db(void **state)
{
	fx *f = *state;
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	int64_t a = member(f, 2, "/1/2/", "甲"), b = member(f, 2, "/1/2/", "乙");
	int64_t pl = meeting(f, "plenary", "2026-03-10", a, b);
	meeting(f, "committee", "2026-03-11", a, b); /* not a type of the default scheme */
	zb_pts_ledger l;
	assert_int_equal(zb_points_ledger(f->db, a, ZB_PTS_MEMBER, 2026, "2026-06-01", &f->a, &l, &f->e), 0);
	char src[32];
	snprintf(src, sizeof src, "meeting:%lld", (long long)pl);
	const zb_pts_row *r = row_of(&l, src);
	assert_non_null(r);
	assert_string_equal(r->rule, "参加组织生活");
	assert_int_equal(r->points10, 20);
	assert_string_equal(r->date, "2026-03-10");
	assert_int_equal(l.n, 2);                  /* base (the default of 0044: 60) and the plenary */
	assert_int_equal(l.total10, 600 + 20);
	/* 缺席 earns nothing */
	assert_int_equal(zb_points_ledger(f->db, b, ZB_PTS_MEMBER, 2026, "2026-06-01", &f->a, &l, &f->e), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.total10, 600);
	/* corrected to 缺席: the item is gone */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "UPDATE meeting_attendance SET status = 'absent' WHERE meeting_id = ? AND member_id = ?",
	                           "ii", pl, a),
	                 0);
	assert_int_equal(zb_points_ledger(f->db, a, ZB_PTS_MEMBER, 2026, "2026-06-01", &f->a, &l, &f->e), 0);
	assert_null(row_of(&l, src));
	assert_int_equal(l.total10, 600);
	/* the secretaries' ledger: only for one who held the post in the year */
	assert_int_equal(zb_points_ledger(f->db, a, ZB_PTS_SECRETARY, 2025, "2026-06-01", &f->a, &l, &f->e), ZB_ENOTFOUND);
	assert_string_equal(f->e.field, "scheme");
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO committee_posts (org_id, member_id, post, started_on, created_at, updated_at) "
	                           "VALUES (2, ?, 'secretary', '2024-01-01', 0, 0)",
	                           "i", a),
	                 0);
	int64_t dr = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &dr,
	                           "INSERT INTO duty_reports (member_id, org_id, org_path, year, report, filed_on, grade, "
	                           "rated_on, rater_org, created_at) VALUES (?, 2, '/1/2/', 2025, '述职', '2026-01-10', "
	                           "'fair', '2026-01-20', 1, 0) RETURNING id",
	                           "i", a),
	                 0);
	assert_int_equal(zb_points_ledger(f->db, a, ZB_PTS_SECRETARY, 2025, "2026-06-01", &f->a, &l, &f->e), 0);
	snprintf(src, sizeof src, "duty_report:%lld", (long long)dr);
	r = row_of(&l, src);
	assert_non_null(r);
	assert_int_equal(r->points10, 150);        /* 较好 in the default: 15 */
	assert_int_equal(l.rows[0].points10, 700); /* the secretaries' base */
	assert_int_equal(l.total10, sum(&l));
}

#define DB_TESTS cmocka_unit_test_setup_teardown(test_ledger_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_cap_edge),
		cmocka_unit_test(test_mid_year),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("points", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("points_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("points_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_points: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
