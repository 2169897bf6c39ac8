/* Unit tests for src/meeting: quorum and vote arithmetic at the edges, the
 * 应到 list of plenary, committee and group meetings from the roster on
 * the meeting date, period compliance under a local rule override and a
 * rule change mid-year, periods, grades, sign-in tokens and content
 * sniffing.  Database tests run on SQLite and, when ZB_TEST_PG holds a
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
#include <unistd.h>

#include "core/log.h"
#include "meeting/appraisal.h"
#include "meeting/attach.h"
#include "meeting/compliance.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"
#include "meeting/signin.h"
#include "member/history.h"
#include "rules/rules.h"
#include "dbfix.h"

/* ---- arithmetic ---- */

static const zb_frac MORE_HALF = {1, 2, 1}, HALF = {1, 2, 0}, FOUR_FIFTHS = {4, 5, 0}, MORE_FOUR_FIFTHS = {4, 5, 1};

static void test_more_than_half(void **state)
{
	(void)state;
	/* exactly half is not more than half */
	assert_false(zb_frac_met(4, 8, MORE_HALF));
	assert_true(zb_frac_met(5, 8, MORE_HALF));
	assert_int_equal(zb_frac_need(8, MORE_HALF), 5);
	assert_false(zb_frac_met(3, 7, MORE_HALF));
	assert_true(zb_frac_met(4, 7, MORE_HALF));
	assert_int_equal(zb_frac_need(7, MORE_HALF), 4);
	assert_int_equal(zb_frac_need(1, MORE_HALF), 1);
	assert_int_equal(zb_frac_need(2, MORE_HALF), 2);
	/* nobody to count: never met */
	assert_false(zb_frac_met(0, 0, MORE_HALF));
	assert_false(zb_frac_met(3, 0, HALF));
}

static void test_half_and_four_fifths(void **state)
{
	(void)state;
	/* a committee: at least half */
	assert_true(zb_frac_met(2, 4, HALF));
	assert_false(zb_frac_met(1, 4, HALF));
	assert_false(zb_frac_met(2, 5, HALF));
	assert_true(zb_frac_met(3, 5, HALF));
	assert_int_equal(zb_frac_need(5, HALF), 3);
	assert_int_equal(zb_frac_need(3, HALF), 2);
	/* an election: 4/5; 7 x 4/5 = 5.6 needs 6 */
	assert_false(zb_frac_met(5, 7, FOUR_FIFTHS));
	assert_true(zb_frac_met(6, 7, FOUR_FIFTHS));
	assert_int_equal(zb_frac_need(7, FOUR_FIFTHS), 6);
	assert_int_equal(zb_frac_need(10, FOUR_FIFTHS), 8);
	assert_true(zb_frac_met(8, 10, FOUR_FIFTHS));
	assert_false(zb_frac_met(7, 10, FOUR_FIFTHS));
	assert_int_equal(zb_frac_need(5, FOUR_FIFTHS), 4);
	assert_int_equal(zb_frac_need(3, FOUR_FIFTHS), 3); /* 2.4 -> 3 */
	/* the election rule is "超过五分之四": exactly 4/5 is not enough */
	assert_false(zb_frac_met(4, 5, MORE_FOUR_FIFTHS));
	assert_true(zb_frac_met(5, 5, MORE_FOUR_FIFTHS));
	assert_int_equal(zb_frac_need(5, MORE_FOUR_FIFTHS), 5);
	assert_false(zb_frac_met(8, 10, MORE_FOUR_FIFTHS));
	assert_true(zb_frac_met(9, 10, MORE_FOUR_FIFTHS));
	assert_int_equal(zb_frac_need(10, MORE_FOUR_FIFTHS), 9);
	assert_false(zb_frac_met(5, 7, MORE_FOUR_FIFTHS)); /* 5.6: just above needs 6 */
	assert_true(zb_frac_met(6, 7, MORE_FOUR_FIFTHS));
	assert_int_equal(zb_frac_need(6, MORE_FOUR_FIFTHS), 5); /* 4.8 -> 5 */
}

static zb_mrules default_rules(void)
{
	static const char *data =
		"{\"quorum\":{\"plenary\":{\"num\":1,\"den\":2,\"strict\":true},\"election\":{\"num\":4,\"den\":5,\"strict\":true},"
		"\"committee\":{\"num\":1,\"den\":2,\"strict\":false}},\"resolution\":{\"num\":1,\"den\":2,\"strict\":true},"
		"\"backfill_days\":30,\"unlock_days\":7,\"signin\":{\"ttl_minutes\":15,\"open_before_minutes\":120,\"default_minutes\":240},"
		"\"roster_statuses\":[\"normal\",\"mobile\",\"lost\",\"abroad\"],\"no_vote_statuses\":[\"abroad\"],"
		"\"risk\":{\"months\":[3,5,6],\"statuses\":[\"normal\",\"mobile\",\"lost\"]},\"appraisal\":{\"excellent_cap\":0.3},"
		"\"talk\":{\"committee_pairs\":true,\"secretary_with_committee\":true,\"members_under\":\"group_or_secretary\"}}";
	json_t *j = json_loads(data, 0, NULL);
	zb_mrules r;
	zb_err e = {0};
	assert_int_equal(zb_mrules_parse(j, &r, &e), 0);
	json_decref(j);
	return r;
}

static void test_resolution_of_those_entitled(void **state)
{
	(void)state;
	zb_mrules r = default_rules();
	zb_meeting m = {0};
	m.type = ZB_MT_PLENARY;
	m.voters = 8;           /* entitled */
	m.present_voters = 5;
	m.quorum_ok = 1;
	assert_int_equal(zb_meeting_entitled(&m), 8);
	/* 4 of 5 present is a majority of those present, not of the 8 entitled */
	zb_res_row x = {0};
	x.yes = 4;
	assert_false(zb_resolution_passed(&m, &r, &x));
	x.yes = 5;
	assert_true(zb_resolution_passed(&m, &r, &x));
	/* without quorum nothing passes */
	m.quorum_ok = 0;
	x.yes = 8;
	assert_false(zb_resolution_passed(&m, &r, &x));
	/* a committee: entitled are its members */
	m.type = ZB_MT_COMMITTEE;
	m.expected = 5;
	m.voters = 3;
	m.quorum_ok = 1;
	assert_int_equal(zb_meeting_entitled(&m), 5);
	x.yes = 2;
	assert_false(zb_resolution_passed(&m, &r, &x));
	x.yes = 3;
	assert_true(zb_resolution_passed(&m, &r, &x));
}

static void test_quorum_rule_by_type(void **state)
{
	(void)state;
	zb_mrules r = default_rules();
	zb_meeting m = {0};
	int has, base, present;
	zb_frac f;
	m.type = ZB_MT_PLENARY;
	m.expected = 10, m.present = 6, m.voters = 8, m.present_voters = 4;
	zb_meeting_quorum_rule(&m, &r, &has, &f, &base, &present);
	assert_true(has);
	assert_int_equal(base, 8); /* voters, not everyone */
	assert_int_equal(present, 4);
	assert_true(f.strict);
	m.is_election = 1;
	zb_meeting_quorum_rule(&m, &r, &has, &f, &base, &present);
	assert_int_equal(f.num, 4);
	assert_int_equal(f.den, 5);
	m.type = ZB_MT_COMMITTEE;
	m.is_election = 0;
	zb_meeting_quorum_rule(&m, &r, &has, &f, &base, &present);
	assert_int_equal(base, 10);
	assert_false(f.strict);
	m.type = ZB_MT_THEME_DAY;
	zb_meeting_quorum_rule(&m, &r, &has, &f, &base, &present);
	assert_false(has);
}

static void test_rules_validation(void **state)
{
	(void)state;
	zb_err e = {0};
	json_t *j = json_loads("{\"lecture\":{\"every_months\":5,\"min\":1}}", 0, NULL);
	assert_int_equal(zb_mfreq_validate(j, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "lecture.every_months"));
	json_decref(j);
	j = json_loads("{\"lecture\":{\"every_months\":2,\"min\":1},\"party_day\":{\"every_months\":1,\"min\":1}}", 0, NULL);
	assert_int_equal(zb_mfreq_validate(j, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "party_day"));
	json_decref(j);
	j = json_loads("{\"committee\":{\"every_months\":1,\"min\":1,\"scope\":\"committee\"}}", 0, NULL);
	assert_int_equal(zb_mfreq_validate(j, &e), ZB_EINVAL); /* min_posts missing */
	json_decref(j);
	zb_mfreq f;
	j = json_loads("{\"lecture\":{\"every_months\":2,\"min\":1},\"group\":null}", 0, NULL);
	assert_int_equal(zb_mfreq_parse(j, &f, &e), 0);
	assert_int_equal(f.t[ZB_MT_LECTURE].every_months, 2);
	assert_int_equal(f.t[ZB_MT_GROUP].every_months, 0);
	json_decref(j);
	j = json_loads("{\"quorum\":{\"plenary\":{\"num\":3,\"den\":2,\"strict\":true}}}", 0, NULL);
	zb_mrules r;
	assert_int_equal(zb_mrules_parse(j, &r, &e), ZB_EINVAL);
	json_decref(j);
}

static void test_periods(void **state)
{
	(void)state;
	zb_period p;
	zb_err e = {0};
	assert_int_equal(zb_period_parse("2026Q3", &p, &e), 0);
	assert_string_equal(p.from, "2026-07-01");
	assert_string_equal(p.to, "2026-09-30");
	assert_string_equal(p.label, "2026Q3");
	assert_int_equal(zb_period_parse("2024-02", &p, &e), 0);
	assert_string_equal(p.to, "2024-02-29");
	assert_int_equal(zb_period_parse("2026", &p, &e), 0);
	assert_int_equal(p.from_ym, 202601);
	assert_int_equal(p.to_ym, 202612);
	assert_int_equal(zb_period_parse("2026h2", &p, &e), 0);
	assert_string_equal(p.label, "2026H2");
	assert_string_equal(p.from, "2026-07-01");
	const char *bad[] = {"2026Q5", "2026Q0", "2026-13", "2026-00", "2026-7", "26", "", "abcd", "2026Q3x", "1999", NULL};
	for (int i = 0; bad[i]; i++) {
		memset(&e, 0, sizeof e);
		assert_int_equal(zb_period_parse(bad[i], &p, &e), ZB_EINVAL);
		assert_string_equal(e.field, "period");
	}
}

static void test_dates(void **state)
{
	(void)state;
	char d[11];
	/* 2026-07-01 00:30 in China is 2026-06-30 16:30 UTC */
	zb_md_of_time(1782837000, d);
	assert_string_equal(d, "2026-07-01");
	assert_int_equal(zb_md_time_of("2026-07-01"), 1782835200);
	zb_md_add_days("2024-02-28", 1, d);
	assert_string_equal(d, "2024-02-29");
	zb_md_add_days("2026-12-31", 30, d);
	assert_string_equal(d, "2027-01-30");
	zb_md_ym_last(202402, d);
	assert_string_equal(d, "2024-02-29");
	assert_int_equal(zb_md_ym_add(202611, 3), 202702);
	assert_int_equal(zb_md_ym_add(202601, -1), 202512);
	assert_int_equal(zb_md_ym_diff(202702, 202611), 3);
}

static void test_grades(void **state)
{
	(void)state;
	int64_t v[4] = {6, 4, 0, 0};
	assert_int_equal(zb_grade_from_votes(v), ZB_G_EXCELLENT);
	int64_t w[4] = {5, 5, 0, 0}; /* exactly half 优秀 is not a majority */
	assert_int_equal(zb_grade_from_votes(w), ZB_G_QUALIFIED);
	int64_t x[4] = {0, 2, 3, 4};
	assert_int_equal(zb_grade_from_votes(x), ZB_G_BASIC);
	int64_t y[4] = {0, 0, 1, 6};
	assert_int_equal(zb_grade_from_votes(y), ZB_G_UNQUALIFIED);
	int64_t z[4] = {0, 0, 0, 0};
	assert_int_equal(zb_grade_from_votes(z), ZB_G_NONE);
	assert_int_equal(zb_grade_cap(10, 0.3), 3);
	assert_int_equal(zb_grade_cap(9, 0.3), 2);
	assert_int_equal(zb_grade_cap(3, 0.3), 0);
	assert_int_equal(zb_grade_from("优秀"), ZB_G_EXCELLENT);
	assert_int_equal(zb_grade_from("basically_qualified"), ZB_G_BASIC);
	assert_int_equal(zb_grade_from("good"), ZB_G_NONE);
}

static void test_signin_token(void **state)
{
	(void)state;
	unsigned char key[32], other[32], nonce[16];
	memset(key, 7, sizeof key);
	memset(other, 8, sizeof other);
	memset(nonce, 0x5a, sizeof nonce);
	char tok[ZB_SIGNIN_TOKEN_LEN + 1], hex[33];
	zb_signin_token_make(key, 4242, nonce, 1790000000, tok);
	assert_int_equal(strlen(tok), ZB_SIGNIN_TOKEN_LEN);
	int64_t id = 0, exp = 0;
	zb_err e = {0};
	assert_int_equal(zb_signin_token_parse(key, tok, &id, hex, &exp, &e), 0);
	assert_int_equal(id, 4242);
	assert_int_equal(exp, 1790000000);
	assert_string_equal(hex, "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
	/* another key, any changed character, a short token: all refused */
	assert_int_equal(zb_signin_token_parse(other, tok, &id, hex, &exp, &e), ZB_EINVAL);
	assert_string_equal(e.field, "token");
	for (size_t i = 0; i < ZB_SIGNIN_TOKEN_LEN; i += 7) {
		char t2[ZB_SIGNIN_TOKEN_LEN + 1];
		memcpy(t2, tok, sizeof t2);
		t2[i] = t2[i] == 'A' ? 'B' : 'A';
		assert_int_equal(zb_signin_token_parse(key, t2, &id, hex, &exp, &e), ZB_EINVAL);
	}
	tok[40] = '\0';
	assert_int_equal(zb_signin_token_parse(key, tok, &id, hex, &exp, &e), ZB_EINVAL);
	assert_int_equal(zb_signin_token_parse(key, NULL, &id, hex, &exp, &e), ZB_EINVAL);
}

static void test_qr_svg(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 1 << 20);
	zb_err e = {0};
	assert_int_equal(zb_qr_svg("http://example.org/#/signin?token=abc", &b, &e), 0);
	assert_non_null(strstr(b.data, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(b.data, "<path fill=\"#000\" d=\"M4 4h7"));  /* finder pattern row */
	assert_non_null(strstr(b.data, "</svg>"));
	zb_buf_release(&b);
}

static void test_sniff(void **state)
{
	(void)state;
	const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 0xFF, 0xD9};
	assert_string_equal(zb_attach_sniff(jpg, sizeof jpg), "jpeg");
	assert_null(zb_attach_sniff(jpg, sizeof jpg - 2)); /* no end marker */
	unsigned char png[40] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
	assert_string_equal(zb_attach_sniff(png, sizeof png), "png");
	png[12] = 'X';
	assert_null(zb_attach_sniff(png, sizeof png));
	const char pdf[] = "%PDF-1.7\nstuff\n%%EOF\n";
	assert_string_equal(zb_attach_sniff(pdf, sizeof pdf - 1), "pdf");
	const char nopdf[] = "%PDF-1.7\nstuff, truncated";
	assert_null(zb_attach_sniff(nopdf, sizeof nopdf - 1));
	const char exe[] = "MZ\x90\0\3\0\0\0";
	assert_null(zb_attach_sniff(exe, sizeof exe - 1));
	char name[ZB_ATTACH_NAME_MAX + 1];
	zb_attach_clean_name("../../etc/会议\n照片.jpg", name, sizeof name);
	assert_string_equal(name, "会议照片.jpg");
	zb_attach_clean_name("C:\\x\\\"a\".pdf", name, sizeof name);
	assert_string_equal(name, "a.pdf");
	zb_attach_clean_name(NULL, name, sizeof name);
	assert_string_equal(name, "附件");
}

/* The checks a save with photos runs on every file before it writes one,
 * and the shape of a client key. */
static void test_save_checks(void **state)
{
	(void)state;
	zb_err e = {0};
	const char *kind = "x";
	const unsigned char jpg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 0xFF, 0xD9};
	assert_int_equal(zb_attach_check(jpg, sizeof jpg, &kind, &e), 0);
	assert_string_equal(kind, "jpeg");
	assert_int_equal(zb_attach_check(jpg, 0, &kind, &e), ZB_EINVAL);
	assert_null(kind);
	assert_int_equal(zb_attach_check(jpg, (size_t)ZB_ATTACH_MAX_BYTES + 1, &kind, &e), ZB_ETOOBIG);
	const char exe[] = "MZ\x90\0\3\0\0\0";
	assert_int_equal(zb_attach_check(exe, sizeof exe - 1, &kind, &e), ZB_EMEDIA);
	assert_non_null(strstr(e.msg, "JPEG"));

	assert_true(zb_meeting_key_valid("0f8fad5b-d9cb-469f-a165-70867728950e"));
	assert_true(zb_meeting_key_valid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
	assert_false(zb_meeting_key_valid(NULL));
	assert_false(zb_meeting_key_valid(""));
	assert_false(zb_meeting_key_valid("0f8fad5bd9cb469fa16570867728950e"));      /* no dashes */
	assert_false(zb_meeting_key_valid("0f8fad5b-d9cb-469f-a165-70867728950e0")); /* too long */
	assert_false(zb_meeting_key_valid("0f8fad5b-d9cb-469f-a165-70867728950g"));  /* not hex */
	assert_false(zb_meeting_key_valid("0f8fad5b-d9cb-469f-a165_70867728950e"));  /* dash misplaced */
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
	if (dbfix_open("meeting", &f->db, &f->e))
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

static int64_t member(fx *f, int64_t org_id, const char *path, int64_t group, const char *name, const char *category,
                      const char *join, const char *full, const char *status)
{
	int64_t id = 0;
	int rc = zb_db_int(f->db, &f->e, &id,
	                   "INSERT INTO members (org_id, org_path, group_id, name, name_pinyin, name_initials, sort_key, "
	                   "category, join_date, full_date, status, created_at, updated_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id",
	                   "isIsssbssss", org_id, path, group, name, name, name, name, strlen(name), category, join, full,
	                   status);
	if (rc)
		fail_msg("member: %s", f->e.msg);
	return id;
}

static void post(fx *f, int64_t org_id, int64_t member_id, const char *person, const char *p, const char *from,
                 const char *to)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO committee_posts (org_id, member_id, person_name, post, started_on, ended_on, "
	                           "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
	                           "iIssss", org_id, member_id, person, p, from, to),
	                 0);
}

/* A meeting at org on date (12:00 China time) of a type. */
static int64_t mk_meeting(fx *f, int64_t org_id, int type, const char *date, zb_meeting *out)
{
	zb_meeting m = {0};
	m.org_id = org_id;
	m.type = type;
	m.start_at = zb_md_time_of(date) + 12 * 3600;
	if (type == ZB_MT_LECTURE)
		m.speaker = "书记";
	assert_int_equal(zb_meeting_check(f->db, &m, &f->a, &f->e), 0);
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	if (zb_meeting_insert(f->db, &m, &r, NULL, 0, 0, 1, &id, &f->e))
		fail_msg("insert: %s", f->e.msg);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	if (out)
		*out = m;
	return id;
}

static int has_row(fx *f, int64_t meeting, int64_t member, int *vote)
{
	zb_stmt *st = zb_db_query(f->db, &f->e, "SELECT has_vote FROM meeting_attendance WHERE meeting_id = ? AND member_id = ?",
	                          "ii", meeting, member);
	assert_non_null(st);
	int rc = zb_stmt_step(st, &f->e);
	if (rc == 1 && vote)
		*vote = (int)zb_col_int(st, 0);
	zb_stmt_done(st);
	return rc == 1;
}

/* county 1 > town 2 > branch 3 > group 4; county 1 > town 5 > branch 6 */
static void tree(fx *f)
{
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "committee", "城关镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "东街村党支部");
	org(f, 4, 3, "/1/2/3/4/", "group", "第一党小组");
	org(f, 5, 1, "/1/5/", "committee", "河口镇党委");
	org(f, 6, 5, "/1/5/6/", "branch", "河口村党支部");
}

static void test_expected_by_type(void **state)
{
	fx *f = *state;
	tree(f);
	const char *A = "/1/2/3/";
	int64_t m1 = member(f, 3, A, 0, "甲", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t m2 = member(f, 3, A, 0, "乙", "probationary", "2025-01-01", NULL, "normal");
	int64_t m3 = member(f, 3, A, 0, "丙", "full", "2024-06-01", "2025-06-01", "normal"); /* 预备 on the day */
	int64_t m4 = member(f, 3, A, 0, "丁", "full", "2025-05-01", "2025-05-01", "normal"); /* joined later */
	int64_t m5 = member(f, 3, A, 0, "戊", "full", "2000-01-01", "2001-01-01", "removed");
	int64_t m6 = member(f, 3, A, 0, "己", "full", "2000-01-01", "2001-01-01", "abroad"); /* no vote */
	int64_t m7 = member(f, 3, A, 4, "庚", "full", "2000-01-01", "2001-01-01", "normal");
	int64_t m8 = member(f, 3, A, 4, "辛", "probationary", "2024-12-01", NULL, "mobile");
	int64_t other = member(f, 6, "/1/5/6/", 0, "壬", "full", "2000-01-01", "2001-01-01", "normal");
	post(f, 3, m1, NULL, "secretary", "2020-01-01", NULL);
	post(f, 3, m7, NULL, "organization", "2020-01-01", "2025-01-31"); /* ended before */
	post(f, 3, m3, NULL, "propaganda", "2024-01-01", NULL);
	post(f, 3, m4, NULL, "discipline", "2025-04-01", NULL); /* began after */
	post(f, 3, 0, "外单位人员", "member", "2020-01-01", NULL);

	zb_meeting pl;
	int64_t p = mk_meeting(f, 3, ZB_MT_PLENARY, "2025-03-10", &pl);
	int vote = -1;
	int64_t in[] = {m1, m2, m3, m6, m7, m8};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		assert_true(has_row(f, p, in[i], NULL));
	assert_false(has_row(f, p, m4, NULL));
	assert_false(has_row(f, p, m5, NULL));
	assert_false(has_row(f, p, other, NULL));
	assert_int_equal(pl.expected, 6);
	assert_int_equal(pl.voters, 2);
	has_row(f, p, m3, &vote);
	assert_int_equal(vote, 0); /* full only from 2025-06-01 */
	has_row(f, p, m6, &vote);
	assert_int_equal(vote, 0);
	has_row(f, p, m1, &vote);
	assert_int_equal(vote, 1);

	zb_meeting cm;
	int64_t c = mk_meeting(f, 3, ZB_MT_COMMITTEE, "2025-03-10", &cm);
	assert_int_equal(cm.expected, 2);
	assert_true(has_row(f, c, m1, &vote));
	assert_int_equal(vote, 1);
	assert_true(has_row(f, c, m3, &vote));
	assert_int_equal(vote, 1); /* a committee member votes in the committee */
	assert_false(has_row(f, c, m7, NULL));
	assert_false(has_row(f, c, m4, NULL));

	zb_meeting gm;
	int64_t g = mk_meeting(f, 4, ZB_MT_GROUP, "2025-03-10", &gm);
	assert_int_equal(gm.expected, 2);
	assert_true(has_row(f, g, m7, NULL));
	assert_true(has_row(f, g, m8, NULL));
	assert_false(has_row(f, g, m1, NULL));

	/* marks survive a re-sync; the date moving past m4's joining adds m4 */
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &pl, &r, &f->e), 0);
	zb_attend_item it[] = {{m1, "present", NULL}, {m7, "present", NULL}, {m2, "leave", "病假"}};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_set_attendance(f->db, &pl, &r, it, 3, NULL, 2000000000, &f->e), 0);
	assert_int_equal(pl.present, 2);
	assert_int_equal(pl.present_voters, 2);
	assert_true(pl.quorum_ok); /* 2 of 2 voters */
	zb_meeting moved = pl;
	moved.start_at = zb_md_time_of("2025-07-10") + 12 * 3600;
	assert_int_equal(zb_meeting_check(f->db, &moved, &f->a, &f->e), 0);
	assert_int_equal(zb_meeting_update(f->db, &pl, &moved, &r, NULL, 0, 3, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_true(has_row(f, p, m4, &vote));
	assert_int_equal(vote, 1);
	has_row(f, p, m3, &vote);
	assert_int_equal(vote, 1); /* full by July */
	assert_int_equal(moved.expected, 7);
	assert_int_equal(moved.voters, 4);
	assert_int_equal(moved.present, 2);
	assert_false(moved.quorum_ok); /* 2 of 4 is exactly half: not more */

	/* changing the type to committee drops the others */
	zb_meeting asc = moved;
	asc.type = ZB_MT_COMMITTEE;
	assert_int_equal(zb_meeting_check(f->db, &asc, &f->a, &f->e), 0);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_update(f->db, &moved, &asc, &r, NULL, 0, 4, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(asc.expected, 3); /* m1, m3 and m4 (from April) */
	assert_false(has_row(f, p, m2, NULL));
	assert_true(has_row(f, p, m1, NULL));
	assert_int_equal(asc.present, 1); /* m1's mark kept */
	assert_true(asc.quorum_ok == 0);  /* 1 of 3: less than half */

	/* someone not on the list cannot be marked; nothing half-written */
	zb_attend_item bad[] = {{m3, "present", NULL}, {other, "present", NULL}};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_set_attendance(f->db, &asc, &r, bad, 2, NULL, 2000000000, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "items[1].member_id");
	zb_db_rollback(f->db);
	zb_meeting again;
	assert_int_equal(zb_meeting_get(f->db, p, &f->a, &again, &f->e), 0);
	assert_int_equal(again.present, 1);
}

/* The form's 应到 list is the list a save makes, person by person and vote
 * by vote, for every kind of list; a save that marks attendance must mark
 * everyone on it, and the refusal names who is missing with their status. */
static void test_expected_list_is_the_saved_list(void **state)
{
	fx *f = *state;
	tree(f);
	const char *A = "/1/2/3/";
	int64_t m1 = member(f, 3, A, 0, "甲", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t m2 = member(f, 3, A, 0, "乙", "probationary", "2025-01-01", NULL, "normal");
	member(f, 3, A, 0, "丙", "full", "2024-06-01", "2025-06-01", "normal");
	member(f, 3, A, 0, "丁", "full", "2025-05-01", "2025-05-01", "normal");
	member(f, 3, A, 0, "戊", "full", "2000-01-01", "2001-01-01", "removed");
	member(f, 3, A, 0, "己", "full", "2000-01-01", "2001-01-01", "abroad");
	int64_t m7 = member(f, 3, A, 4, "庚", "full", "2000-01-01", "2001-01-01", "normal");
	int64_t m8 = member(f, 3, A, 4, "辛", "full", "2000-01-01", "2001-01-01", "mobile");
	post(f, 3, m1, NULL, "secretary", "2020-01-01", NULL);
	post(f, 3, m2, NULL, "propaganda", "2024-01-01", NULL);
	const struct {
		int64_t org;
		int type;
	} cases[] = {{3, ZB_MT_PLENARY}, {3, ZB_MT_THEME_DAY}, {3, ZB_MT_COMMITTEE}, {4, ZB_MT_GROUP}};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		zb_meeting m = {0};
		m.org_id = cases[c].org;
		m.type = cases[c].type;
		m.start_at = zb_md_time_of("2025-03-10") + 12 * 3600;
		assert_int_equal(zb_meeting_check(f->db, &m, &f->a, &f->e), 0);
		zb_mrules r;
		assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
		zb_expected_row *rows;
		int n;
		assert_int_equal(zb_meeting_expected_list(f->db, &m, &r, &f->a, &rows, &n, &f->e), 0);
		int64_t id = mk_meeting(f, cases[c].org, cases[c].type, "2025-03-10", NULL);
		int64_t saved = 0;
		assert_int_equal(zb_db_int(f->db, &f->e, &saved, "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?",
		                           "i", id),
		                 0);
		assert_int_equal(n, (int)saved);
		assert_true(n > 0);
		for (int i = 0; i < n; i++) {
			int vote = -1;
			assert_true(has_row(f, id, rows[i].member_id, &vote));
			assert_int_equal(vote, rows[i].has_vote);
		}
	}
	/* the group list carries the 流动 status */
	zb_meeting g = {0};
	g.org_id = 4;
	g.type = ZB_MT_GROUP;
	g.start_at = zb_md_time_of("2025-03-10") + 12 * 3600;
	assert_int_equal(zb_meeting_check(f->db, &g, &f->a, &f->e), 0);
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &g, &r, &f->e), 0);
	zb_expected_row *rows;
	int n;
	assert_int_equal(zb_meeting_expected_list(f->db, &g, &r, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 2);
	int seen_mobile = 0;
	for (int i = 0; i < n; i++)
		seen_mobile |= rows[i].member_id == m8 && !strcmp(rows[i].status, "mobile");
	assert_true(seen_mobile);
	/* marking only 庚 leaves 辛 out: refused, naming 辛 and the status */
	zb_meeting saved;
	mk_meeting(f, 4, ZB_MT_GROUP, "2025-03-11", &saved);
	zb_attend_item only[] = {{m7, "present", NULL}};
	assert_int_equal(zb_meeting_check_complete(f->db, &saved, only, 1, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "attendance");
	assert_non_null(strstr(f->e.msg, "辛（流动）"));
	assert_null(strstr(f->e.msg, "庚"));
	zb_attend_item both[] = {{m7, "present", NULL}, {m8, "absent", NULL}};
	assert_int_equal(zb_meeting_check_complete(f->db, &saved, both, 2, &f->e), 0);
	/* someone off the list is named when of the org, with the reason */
	zb_attend_item off[] = {{m1, "present", NULL}};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_set_attendance(f->db, &saved, &r, off, 1, NULL, 2000000000, &f->e), ZB_EINVAL);
	zb_db_rollback(f->db);
	assert_null(strstr(f->e.msg, "编号"));
	assert_non_null(strstr(f->e.msg, "不是第一党小组的成员"));
}

/* A change as zb_member_update records it (the member row already holds
 * the new value). */
static void hist(fx *f, int64_t member_id, const char *kind, const char *old, const char *nw, const char *on)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO member_history (member_id, kind, old_value, new_value, effective_on, reason, at) "
	                           "VALUES (?, ?, ?, ?, ?, '测试', 0)",
	                           "issss", member_id, kind, old, nw, on),
	                 0);
}

/* The 应到 list at org of type on date: n rows, and whether who is on it
 * (with its vote in *vote). */
static int listed(fx *f, int64_t org_id, int type, const char *date, int64_t who, int *vote, int *n)
{
	zb_meeting m = {0};
	m.org_id = org_id;
	m.type = type;
	m.start_at = zb_md_time_of(date) + 12 * 3600;
	assert_int_equal(zb_meeting_check(f->db, &m, &f->a, &f->e), 0);
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
	zb_expected_row *rows;
	int nr;
	assert_int_equal(zb_meeting_expected_list(f->db, &m, &r, &f->a, &rows, &nr, &f->e), 0);
	if (n)
		*n = nr;
	for (int i = 0; i < nr; i++)
		if (rows[i].member_id == who) {
			if (vote)
				*vote = rows[i].has_vote;
			return 1;
		}
	return 0;
}

/* Past meetings list the members as they stood on the meeting date, from
 * member_history: org, 党小组, status and category then.  A change takes
 * effect on its date: the day before, of and after. */
/* The people of test_expected_from_history: each changed on 2025-03-10. */
typedef struct hpeople {
	int64_t mv, in, dead, back, prob, out, grp, sec;
} hpeople;

static void history_people(fx *f, hpeople *h)
{
	tree(f);
	const char *A = "/1/2/3/", *B = "/1/5/6/";
	/* in branch 3, group 4 until 2025-03-10, then branch 6 */
	h->mv = member(f, 6, B, 0, "甲", "full", "2010-07-01", "2011-07-01", "normal");
	hist(f, h->mv, "org", "3", "6", "2025-03-10");
	hist(f, h->mv, "group", "4", NULL, "2025-03-10");
	/* from branch 6 to branch 3 (no group) on 2025-03-10 */
	h->in = member(f, 3, A, 0, "乙", "full", "2010-07-01", "2011-07-01", "normal");
	hist(f, h->in, "org", "6", "3", "2025-03-10");
	/* died on 2025-03-10 */
	h->dead = member(f, 3, A, 0, "丙", "full", "2000-01-01", "2001-01-01", "deceased");
	hist(f, h->dead, "status", "normal", "deceased", "2025-03-10");
	/* back from abroad (no vote) on 2025-03-10 */
	h->back = member(f, 3, A, 0, "丁", "full", "2000-01-01", "2001-01-01", "normal");
	hist(f, h->back, "status", "abroad", "normal", "2025-03-10");
	/* 预备 until 2025-03-10 */
	h->prob = member(f, 3, A, 0, "戊", "full", "2024-03-01", "2025-03-10", "normal");
	hist(f, h->prob, "category", "probationary", "full", "2025-03-10");
	/* 取消预备党员资格 recorded as 出党 on 2025-03-10: a vote never */
	h->out = member(f, 3, A, 0, "己", "probationary", "2024-03-01", NULL, "removed");
	hist(f, h->out, "status", "normal", "removed", "2025-03-10");
	/* joined the 党小组 on 2025-03-10 */
	h->grp = member(f, 3, A, 4, "庚", "full", "2000-01-01", "2001-01-01", "normal");
	hist(f, h->grp, "group", NULL, "4", "2025-03-10");
	/* a secretary who left the party on 2025-03-10 with the post still open */
	h->sec = member(f, 3, A, 0, "辛", "full", "2000-01-01", "2001-01-01", "removed");
	hist(f, h->sec, "status", "normal", "removed", "2025-03-10");
	post(f, 3, h->sec, NULL, "secretary", "2020-01-01", NULL);
}

static void test_expected_from_history(void **state)
{
	fx *f = *state;
	hpeople h;
	history_people(f, &h);
	int64_t mv = h.mv, in = h.in, dead = h.dead, back = h.back, prob = h.prob, out = h.out, grp = h.grp, sec = h.sec;
	const char *A = "/1/2/3/";
	int vote = -1, n = 0;
	/* the day before: the old state */
	const char *before = "2025-03-09";
	assert_true(listed(f, 3, ZB_MT_PLENARY, before, mv, &vote, &n));
	assert_int_equal(vote, 1);
	assert_false(listed(f, 6, ZB_MT_PLENARY, before, mv, NULL, NULL));
	assert_false(listed(f, 3, ZB_MT_PLENARY, before, in, NULL, NULL));
	assert_true(listed(f, 6, ZB_MT_PLENARY, before, in, NULL, NULL));
	assert_true(listed(f, 3, ZB_MT_PLENARY, before, dead, &vote, NULL));
	assert_int_equal(vote, 1);
	assert_true(listed(f, 3, ZB_MT_PLENARY, before, back, &vote, NULL));
	assert_int_equal(vote, 0); /* abroad then */
	assert_true(listed(f, 3, ZB_MT_PLENARY, before, prob, &vote, NULL));
	assert_int_equal(vote, 0); /* 预备党员 then */
	assert_true(listed(f, 3, ZB_MT_PLENARY, before, out, &vote, NULL));
	assert_int_equal(vote, 0);
	assert_int_equal(n, 7); /* mv dead back prob out grp sec */
	assert_true(listed(f, 4, ZB_MT_GROUP, before, mv, NULL, &n));
	assert_false(listed(f, 4, ZB_MT_GROUP, before, grp, NULL, NULL));
	assert_int_equal(n, 1);
	assert_true(listed(f, 3, ZB_MT_COMMITTEE, before, sec, &vote, &n));
	assert_int_equal(n, 1);

	/* the day of and the day after: the new state */
	const char *days[] = {"2025-03-10", "2025-03-11"};
	for (int d = 0; d < 2; d++) {
		assert_false(listed(f, 3, ZB_MT_PLENARY, days[d], mv, NULL, &n));
		assert_int_equal(n, 4); /* in back prob grp */
		assert_true(listed(f, 6, ZB_MT_PLENARY, days[d], mv, &vote, NULL));
		assert_int_equal(vote, 1);
		assert_true(listed(f, 3, ZB_MT_PLENARY, days[d], in, NULL, NULL));
		assert_false(listed(f, 6, ZB_MT_PLENARY, days[d], in, NULL, NULL));
		assert_false(listed(f, 3, ZB_MT_PLENARY, days[d], dead, NULL, NULL));
		assert_false(listed(f, 3, ZB_MT_PLENARY, days[d], out, NULL, NULL));
		assert_true(listed(f, 3, ZB_MT_PLENARY, days[d], back, &vote, NULL));
		assert_int_equal(vote, 1);
		assert_true(listed(f, 3, ZB_MT_PLENARY, days[d], prob, &vote, NULL));
		assert_int_equal(vote, 1);
		assert_false(listed(f, 4, ZB_MT_GROUP, days[d], mv, NULL, NULL));
		assert_true(listed(f, 4, ZB_MT_GROUP, days[d], grp, NULL, &n));
		assert_int_equal(n, 1);
		assert_false(listed(f, 3, ZB_MT_COMMITTEE, days[d], sec, NULL, &n));
		assert_int_equal(n, 0);
	}

	/* the save makes the same list, and moving the date re-takes it */
	zb_meeting pl;
	int64_t p = mk_meeting(f, 3, ZB_MT_PLENARY, before, &pl);
	assert_int_equal(pl.expected, 7);
	assert_int_equal(pl.voters, 4); /* mv dead grp sec */
	assert_true(has_row(f, p, mv, NULL));
	assert_false(has_row(f, p, in, NULL));
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &pl, &r, &f->e), 0);
	zb_meeting later = pl;
	later.start_at = zb_md_time_of("2025-03-10") + 12 * 3600;
	assert_int_equal(zb_meeting_check(f->db, &later, &f->a, &f->e), 0);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_update(f->db, &pl, &later, &r, NULL, 0, 3, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_int_equal(later.expected, 4);
	assert_false(has_row(f, p, mv, NULL));
	assert_true(has_row(f, p, in, NULL));

	/* a member not yet in the party on the date is never listed */
	int64_t young = member(f, 3, A, 0, "壬", "probationary", "2025-03-11", NULL, "normal");
	assert_false(listed(f, 3, ZB_MT_PLENARY, "2025-03-10", young, NULL, NULL));
	assert_true(listed(f, 3, ZB_MT_PLENARY, "2025-03-11", young, &vote, NULL));
	assert_int_equal(vote, 0);
	/* nor on a 支委会 list, whatever a committee post says */
	post(f, 3, young, NULL, "propaganda", "2025-01-01", NULL);
	assert_false(listed(f, 3, ZB_MT_COMMITTEE, "2025-03-10", young, NULL, NULL));
	assert_true(listed(f, 3, ZB_MT_COMMITTEE, "2025-03-11", young, &vote, NULL));
	assert_int_equal(vote, 1);

	/* history recorded out of date order is refused */
	assert_int_equal(zb_member_history_check_order(f->db, mv, "org", "2025-03-09", &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "effective_on");
	assert_non_null(strstr(f->e.msg, "2025-03-10"));
	assert_int_equal(zb_member_history_check_order(f->db, mv, "org", "2025-03-10", &f->e), 0);
	assert_int_equal(zb_member_history_check_order(f->db, mv, "status", "2020-01-01", &f->e), 0);
}

/* One meeting's rows and derived columns as text, to compare two saves. */
static char *saved_as_text(fx *f, int64_t id)
{
	zb_buf b = {0};
	zb_stmt *st = zb_db_query(f->db, &f->e,
	                          "SELECT member_id, has_vote, status, source, held_ym, on_roster, updated_at "
	                          "FROM meeting_attendance WHERE meeting_id = ? ORDER BY member_id",
	                          "i", id);
	assert_non_null(st);
	while (zb_stmt_step(st, &f->e) == 1)
		zb_buf_printf(&b, "%lld %lld %s %s %lld %lld %lld;", (long long)zb_col_int(st, 0), (long long)zb_col_int(st, 1),
		              zb_col_text(st, 2), zb_col_text(st, 3), (long long)zb_col_int(st, 4), (long long)zb_col_int(st, 5),
		              (long long)zb_col_int(st, 6));
	zb_stmt_done(st);
	st = zb_db_query(f->db, &f->e,
	                 "SELECT expected_count, present_count, leave_count, absent_count, voters, present_voters, quorum_base, "
	                 "quorum_present, quorum_need, quorum_ok, title, held_on, held_ym, org_path, type, "
	                 "COALESCE(talk_a_name, ''), COALESCE(talk_b_name, ''), created_at, updated_at FROM meetings WHERE id = ?",
	                 "i", id);
	assert_non_null(st);
	assert_int_equal(zb_stmt_step(st, &f->e), 1);
	for (int c = 0; c < 19; c++)
		zb_buf_printf(&b, "|%s", zb_col_text(st, c) ? zb_col_text(st, c) : "");
	zb_stmt_done(st);
	return b.data;
}

/* zb_meeting_insert_bulk and zb_meeting_recount_range make, meeting by
 * meeting, what zb_meeting_insert makes: the same lists from history
 * (before, on and after the changes), votes, totals and quorum. */
static void test_bulk_is_the_single_save(void **state)
{
	fx *f = *state;
	hpeople h;
	history_people(f, &h);
	const char *A = "/1/2/3/";
	/* abroad until 03-05, then 流动 until 03-10: the earliest change counts */
	int64_t two = member(f, 3, A, 4, "癸", "full", "2000-01-01", "2001-01-01", "normal");
	hist(f, two, "status", "abroad", "mobile", "2025-03-05");
	hist(f, two, "status", "mobile", "normal", "2025-03-10");
	/* a category change without an old value does not count */
	int64_t nocat = member(f, 3, A, 0, "子", "full", "2000-01-01", "2001-01-01", "normal");
	hist(f, nocat, "category", NULL, "full", "2025-03-10");
	post(f, 3, h.back, NULL, "propaganda", "2025-03-05", "2025-03-10");
	const char *days[] = {"2025-03-04", "2025-03-09", "2025-03-10", "2025-03-11"};
	const struct {
		int64_t org;
		int type;
	} kinds[] = {{3, ZB_MT_PLENARY}, {3, ZB_MT_COMMITTEE}, {4, ZB_MT_GROUP},
	             {6, ZB_MT_PLENARY}, {1, ZB_MT_THEME_DAY}, {3, ZB_MT_TALK}};
	enum { N = 4 * 6 };
	zb_meeting ms[N];
	int64_t single[N];
	int n = 0;
	for (int d = 0; d < 4; d++)
		for (int k = 0; k < 6; k++, n++) {
			zb_meeting m = {0};
			m.org_id = kinds[k].org;
			m.type = kinds[k].type;
			m.start_at = zb_md_time_of(days[d]) + 12 * 3600;
			if (m.type == ZB_MT_TALK) {
				m.talk_a_id = h.in;
				m.talk_b_id = h.back;
			}
			assert_int_equal(zb_meeting_check(f->db, &m, &f->a, &f->e), 0);
			m.created_at = 1;
			ms[n] = m;
			zb_mrules r;
			assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
			assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
			if (zb_meeting_insert(f->db, &m, &r, NULL, 0, 0, 1, &single[n], &f->e))
				fail_msg("insert: %s", f->e.msg);
			assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		}
	zb_mrules_cache *rules;
	assert_int_equal(zb_mrules_cache_new(f->db, "meeting_rules", &rules, &f->e), 0);
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	if (zb_meeting_insert_bulk(f->db, ms, n, rules, 0, &f->e) ||
	    zb_meeting_recount_range(f->db, ms[0].id, ms[n - 1].id, rules, &f->e))
		fail_msg("bulk: %s", f->e.msg);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	zb_mrules_cache_free(rules);
	int listed_somewhere = 0;
	for (int i = 0; i < n; i++) {
		assert_true(i == 0 || ms[i].id == ms[i - 1].id + 1);
		char *one = saved_as_text(f, single[i]), *bulk = saved_as_text(f, ms[i].id);
		if (strcmp(one, bulk))
			fail_msg("meeting %d:\n single %s\n bulk   %s", i, one, bulk);
		listed_somewhere += one[0] != '|';
		free(one);
		free(bulk);
	}
	assert_true(listed_somewhere >= N - 2);
}

static void add_rule(fx *f, int64_t org_id, const char *from, const char *partial)
{
	json_t *j = json_loads(partial, 0, NULL);
	assert_non_null(j);
	int64_t id;
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	if (zb_rules_add(f->db, "meeting_freq", org_id, from, "测试规则", j, 0, 0, &id, NULL, &f->e))
		fail_msg("rule: %s (%s)", f->e.msg, f->e.field);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	json_decref(j);
}

static void held(fx *f, int64_t org_id, int type, const char *date, int64_t who)
{
	zb_meeting m;
	int64_t id = mk_meeting(f, org_id, type, date, &m);
	zb_mrules r;
	assert_int_equal(zb_meeting_rules(f->db, &m, &r, &f->e), 0);
	zb_attend_item it = {who, "present", NULL};
	assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
	assert_int_equal(zb_meeting_set_attendance(f->db, &m, &r, &it, 1, NULL, 2000000000, &f->e), 0);
	assert_int_equal(zb_db_commit(f->db, &f->e), 0);
	assert_true(m.quorum_ok);
	(void)id;
}

static const zb_cbranch *branch_of(const zb_compliance *c, int64_t id)
{
	for (int i = 0; i < c->nbranches; i++)
		if (c->branches[i].org_id == id)
			return &c->branches[i];
	fail_msg("branch %lld not in result", (long long)id);
	return NULL;
}

static void test_compliance_override_and_midyear_change(void **state)
{
	fx *f = *state;
	tree(f);
	int64_t a = member(f, 3, "/1/2/3/", 0, "甲", "full", "2010-07-01", "2011-07-01", "normal");
	int64_t c = member(f, 6, "/1/5/6/", 0, "乙", "full", "2010-07-01", "2011-07-01", "normal");
	/* the county: 主题党日 every two months from 2025; the town of A makes
	 * 党课 every two months from July 2025 (its set inherits the county's) */
	add_rule(f, 1, "2025-01-01", "{\"theme_day\":{\"every_months\":2,\"min\":1}}");
	add_rule(f, 2, "2025-07-01", "{\"lecture\":{\"every_months\":2,\"min\":1}}");
	held(f, 3, ZB_MT_LECTURE, "2025-03-01", a); /* in no unit under the rule in force at the deadlines */
	held(f, 3, ZB_MT_LECTURE, "2025-07-15", a);
	held(f, 3, ZB_MT_LECTURE, "2025-11-10", a);
	held(f, 6, ZB_MT_LECTURE, "2025-03-01", c);
	held(f, 3, ZB_MT_THEME_DAY, "2025-02-10", a);
	held(f, 6, ZB_MT_THEME_DAY, "2025-02-10", c);
	/* a theme day nobody attended is recorded but not held */
	mk_meeting(f, 3, ZB_MT_THEME_DAY, "2025-04-10", NULL);

	zb_period p;
	zb_compliance cc;
	assert_int_equal(zb_period_parse("2025", &p, &f->e), 0);
	assert_int_equal(zb_compliance_compute(f->db, "/1/", &p, "2026-01-15", &f->a, &cc, &f->e), 0);
	assert_int_equal(cc.nbranches, 2);
	const zb_cbranch *A = branch_of(&cc, 3), *C = branch_of(&cc, 6);
	/* A: Jul-Aug, Sep-Oct, Nov-Dec under the town's rule */
	assert_int_equal(A->t[ZB_MT_LECTURE].required, 3);
	assert_int_equal(A->t[ZB_MT_LECTURE].held, 2);
	assert_int_equal(A->t[ZB_MT_LECTURE].missing, 1);
	/* C: the county's set keeps 党课 yearly */
	assert_int_equal(C->t[ZB_MT_LECTURE].required, 1);
	assert_int_equal(C->t[ZB_MT_LECTURE].missing, 0);
	/* theme days every two months for both all year */
	assert_int_equal(A->t[ZB_MT_THEME_DAY].required, 6);
	assert_int_equal(A->t[ZB_MT_THEME_DAY].held, 1);
	assert_int_equal(A->t[ZB_MT_THEME_DAY].held_total, 2);
	assert_int_equal(C->t[ZB_MT_THEME_DAY].required, 6);
	/* national rest: plenary quarterly; no committee (no posts); group
	 * meetings per group (A has one, C none) */
	assert_int_equal(A->t[ZB_MT_PLENARY].required, 4);
	assert_false(A->t[ZB_MT_COMMITTEE].applies);
	assert_int_equal(A->t[ZB_MT_GROUP].required, 12);
	assert_false(C->t[ZB_MT_GROUP].applies);
	assert_false(A->ok);

	/* the same year seen in mid-August: Jul-Aug is open, not missing */
	assert_int_equal(zb_compliance_compute(f->db, "/1/", &p, "2025-08-15", &f->a, &cc, &f->e), 0);
	A = branch_of(&cc, 3);
	assert_int_equal(A->t[ZB_MT_LECTURE].required, 3);
	assert_int_equal(A->t[ZB_MT_LECTURE].held, 1);
	assert_int_equal(A->t[ZB_MT_LECTURE].missing, 0);
	assert_int_equal(A->t[ZB_MT_LECTURE].pending, 2);

	/* a quarter counts the units whose deadline falls in it */
	assert_int_equal(zb_period_parse("2025Q3", &p, &f->e), 0);
	assert_int_equal(zb_compliance_compute(f->db, "/1/2/", &p, "2026-01-15", &f->a, &cc, &f->e), 0);
	assert_int_equal(cc.nbranches, 1);
	A = branch_of(&cc, 3);
	assert_int_equal(A->t[ZB_MT_LECTURE].required, 1); /* Jul-Aug; Sep-Oct ends in Q4 */
	assert_int_equal(A->t[ZB_MT_LECTURE].held, 1);
	assert_int_equal(A->t[ZB_MT_THEME_DAY].required, 1); /* Jul-Aug */

	/* a committee of three posts makes monthly committee meetings due */
	post(f, 3, a, NULL, "secretary", "2020-01-01", NULL);
	post(f, 3, 0, "张", "organization", "2020-01-01", NULL);
	assert_int_equal(zb_compliance_compute(f->db, "/1/2/", &p, "2026-01-15", &f->a, &cc, &f->e), 0);
	assert_false(branch_of(&cc, 3)->t[ZB_MT_COMMITTEE].applies);
	post(f, 3, 0, "李", "propaganda", "2020-01-01", NULL);
	assert_int_equal(zb_compliance_compute(f->db, "/1/2/", &p, "2026-01-15", &f->a, &cc, &f->e), 0);
	assert_int_equal(branch_of(&cc, 3)->t[ZB_MT_COMMITTEE].required, 3);

	int n;
	int *worst = zb_compliance_worst(&cc, &f->a, &n);
	assert_int_equal(n, 1);
	assert_int_equal(cc.branches[worst[0]].org_id, 3);
}

#define DB_TESTS                                                                                          \
	cmocka_unit_test_setup_teardown(test_expected_by_type, setup, teardown),                          \
		cmocka_unit_test_setup_teardown(test_expected_list_is_the_saved_list, setup, teardown),   \
		cmocka_unit_test_setup_teardown(test_expected_from_history, setup, teardown),             \
		cmocka_unit_test_setup_teardown(test_bulk_is_the_single_save, setup, teardown),           \
		cmocka_unit_test_setup_teardown(test_compliance_override_and_midyear_change, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_more_than_half),
		cmocka_unit_test(test_half_and_four_fifths),
		cmocka_unit_test(test_resolution_of_those_entitled),
		cmocka_unit_test(test_quorum_rule_by_type),
		cmocka_unit_test(test_rules_validation),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_grades),
		cmocka_unit_test(test_signin_token),
		cmocka_unit_test(test_qr_svg),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_save_checks),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("meeting", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("meeting_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("meeting_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_meeting: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
