/* Unit tests for 驻村第一书记 and 驻村工作队 (docs/VILLAGE.md): the cadre
 * registry (派出单位, cadres: ID number and phone protected like a
 * member's, one record per ID number, scope of the keeping org).  Database
 * tests run on SQLite and, when ZB_TEST_PG holds a postgres:// URI, on
 * PostgreSQL too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "crypto/fieldprot.h"
#include "village/cadre.h"
#include "village/village.h"
#include "rules/rules.h"
#include <jansson.h>
#include "dbfix.h"


/* ---- pure: presence, approval level, score, the rule's validator ---- */

static const zb_vwork_rules R = {.min_days = 20, .township_leave_days = 3, .ending_soon_days = 90, .w_report = 10,
                                 .w_rating_cadres = 15, .w_rating_villagers = 15, .w_exams = 60};

static zb_vpresence presence(const char *month, const char *start, const char *end, const zb_vspan *away, int n)
{
	zb_vpresence p;
	zb_err e;
	assert_int_equal(zb_vwork_presence(&R, month, start, end, "2026-12-07", away, n, &p, &e), 0);
	return p;
}

static void test_presence_edge(void **state)
{
	(void)state;
	/* November has 30 days: 10 away leaves 20 (不少于20天: ok), 11 away leaves 19 */
	zb_vspan ten = {"2026-11-01", "2026-11-10"}, eleven = {"2026-11-01", "2026-11-11"};
	zb_vpresence p = presence("2026-11", "2026-01-01", NULL, &ten, 1);
	assert_int_equal(p.days_in_month, 30);
	assert_int_equal(p.days_counted, 30);
	assert_int_equal(p.days_in_village, 20);
	assert_int_equal(p.required, 20);
	assert_true(p.ok);
	assert_false(p.partial);
	p = presence("2026-11", "2026-01-01", NULL, &eleven, 1);
	assert_int_equal(p.days_in_village, 19);
	assert_false(p.ok);
	/* overlapping absences count a day once */
	zb_vspan two[] = {{"2026-11-01", "2026-11-06"}, {"2026-11-05", "2026-11-10"}};
	p = presence("2026-11", "2026-01-01", NULL, two, 2);
	assert_int_equal(p.days_away, 10);
	assert_true(p.ok);
	/* a whole month away */
	zb_vspan all = {"2026-10-20", "2026-12-05"};
	p = presence("2026-11", "2026-01-01", NULL, &all, 1);
	assert_int_equal(p.days_in_village, 0);
	assert_false(p.ok);
	zb_err e;
	assert_int_equal(zb_vwork_presence(&R, "2026-13", "2026-01-01", NULL, "2026-12-07", NULL, 0, &p, &e), ZB_EINVAL);
	assert_string_equal(e.field, "month");
}

static void test_presence_month_end(void **state)
{
	(void)state;
	/* leave 29 Oct - 2 Nov: three days in October, two in November */
	zb_vspan leave = {"2026-10-29", "2026-11-02"};
	zb_vpresence oct = presence("2026-10", "2026-01-01", NULL, &leave, 1);
	zb_vpresence nov = presence("2026-11", "2026-01-01", NULL, &leave, 1);
	assert_int_equal(oct.days_away, 3);
	assert_int_equal(oct.days_in_village, 28);
	assert_int_equal(nov.days_away, 2);
	assert_int_equal(nov.days_in_village, 28);
	/* the month's last day and the next month's first day */
	zb_vspan last = {"2026-10-31", "2026-10-31"}, first = {"2026-11-01", "2026-11-01"};
	assert_int_equal(presence("2026-10", "2026-01-01", NULL, &last, 1).days_away, 1);
	assert_int_equal(presence("2026-11", "2026-01-01", NULL, &last, 1).days_away, 0);
	assert_int_equal(presence("2026-10", "2026-01-01", NULL, &first, 1).days_away, 0);
	assert_int_equal(presence("2026-11", "2026-01-01", NULL, &first, 1).days_away, 1);
	/* February 2028 (29 days) and 2027 (28): 20 required either way */
	zb_vspan nine = {"2028-02-01", "2028-02-09"};
	zb_vpresence feb = presence("2028-02", "2026-01-01", NULL, &nine, 1);
	assert_int_equal(feb.days_in_month, 29);
	(void)feb;
}

static void test_presence_partial(void **state)
{
	(void)state;
	/* posted from 16 Nov: 15 of 30 days, 10 required (ceil 20 * 15 / 30) */
	zb_vpresence p = presence("2026-11", "2026-11-16", NULL, NULL, 0);
	assert_int_equal(p.days_counted, 15);
	assert_int_equal(p.required, 10);
	assert_true(p.partial);
	assert_true(p.ok);
	zb_vspan six = {"2026-11-20", "2026-11-25"};
	p = presence("2026-11", "2026-11-16", NULL, &six, 1);
	assert_int_equal(p.days_in_village, 9);
	assert_false(p.ok);
	/* recalled on 10 Nov: 10 days counted, 7 required (ceil 200 / 30) */
	p = presence("2026-11", "2025-01-01", "2026-11-10", NULL, 0);
	assert_int_equal(p.days_counted, 10);
	assert_int_equal(p.required, 7);
	/* the month under way counts the days passed: 7 of December's 31, 5 required */
	p = presence("2026-12", "2025-01-01", NULL, NULL, 0);
	assert_int_equal(p.days_counted, 7);
	assert_int_equal(p.required, 5);
	assert_true(p.ok);
	/* not yet posted in the month */
	p = presence("2026-10", "2026-11-16", NULL, NULL, 0);
	assert_int_equal(p.days_counted, 0);
	assert_int_equal(p.required, 0);
}

static void test_leave_level_and_score(void **state)
{
	(void)state;
	assert_string_equal(zb_vwork_leave_level(&R, 1), "township");
	assert_string_equal(zb_vwork_leave_level(&R, 3), "township");
	assert_string_equal(zb_vwork_leave_level(&R, 4), "county");
	zb_veval_scores s = {.report = 90, .rating_cadres = 80, .rating_villagers = 70, .exam_county = 100,
	                     .exam_township = 90, .exam_unit = 80, .exam_village = 70};
	/* 9 + 12 + 10.5 + 0.6 * 85 = 82.5 */
	assert_true(zb_vwork_eval_score(&R, &s) > 82.49 && zb_vwork_eval_score(&R, &s) < 82.51);
	zb_err e;
	json_t *d = json_loads("{\"min_days\":20,\"township_leave_days\":3,\"ending_soon_days\":90,"
	                       "\"weights\":{\"report\":10,\"rating_cadres\":15,\"rating_villagers\":15,\"exams\":60}}",
	                       0, NULL);
	assert_int_equal(zb_rules_validate("village_work", d, &e), 0);
	json_object_set_new(d, "min_days", json_integer(19));
	assert_int_equal(zb_rules_validate("village_work", d, &e), ZB_EINVAL);
	json_object_set_new(d, "min_days", json_integer(22));
	json_object_set_new(json_object_get(d, "weights"), "exams", json_integer(50));
	assert_int_equal(zb_rules_validate("village_work", d, &e), ZB_EINVAL);
	json_decref(d);
}

typedef struct fx {
	zb_db *db;
	zb_app app;
	zb_arena a;
	zb_err e;
	zb_actor by;
} fx;

/* 2026-12-07 12:00 China time */
static int64_t fixed_now(void) { return 1796616000; }

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 'rural', 0, 0)",
	                           "iIsss", id, parent, path, name, type),
	                 0);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 7 + 3);
	if (dbfix_open("village", &f->db, &f->e) ||
	    zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e))
		return -1;
	f->app.now = fixed_now;
	f->by = (zb_actor){.user_id = 0, .username = "test", .ip = "127.0.0.1"};
	*state = f;
	/* county 1 > township 2 > villages 3, 4; another county 5 > village 6 */
	org(f, 1, 0, "/1/", "committee", "县委");
	org(f, 2, 1, "/1/2/", "committee", "镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "甲村党支部");
	org(f, 4, 2, "/1/2/4/", "branch", "乙村党支部");
	org(f, 5, 0, "/5/", "committee", "另一县委");
	org(f, 6, 5, "/5/6/", "branch", "丙村党支部");
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	zb_keys_free(f->app.keys);
	zb_arena_free(&f->a);
	dbfix_remove();
	free(f);
	return 0;
}

/* A checksum-valid fictional ID number (region 99xxxx) born on ymd. */
static const char *idno(zb_arena *a, const char *ymd, int seq)
{
	static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	char body[18];
	snprintf(body, sizeof body, "990101%s%03d", ymd, seq % 1000);
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (body[i] - '0') * W[i];
	return zb_arena_printf(a, "%s%c", body, "10X98765432"[sum % 11]);
}

static zb_principal *writer_at(zb_arena *a, const char *path, unsigned perms)
{
	zb_principal *p = zb_arena_alloc(a, sizeof *p);
	memset(p, 0, sizeof *p);
	p->user_id = 0;
	p->ngrants = 1;
	p->grants = zb_arena_alloc(a, sizeof *p->grants);
	memset(p->grants, 0, sizeof *p->grants);
	p->grants[0].org_path = path;
	p->grants[0].perms = perms;
	p->all_perms = perms;
	return p;
}

static void test_registry(void **state)
{
	fx *f = *state;
	int64_t unit, cadre;
	zb_dunit_input ui = {.org_id = 1, .name = " 县农业农村局 ", .contact_name = "王联络", .contact_phone = "13812345678"};
	if (zb_dunit_create(f->db, &f->app, &f->by, NULL, &ui, &f->a, &unit, &f->e)) fail_msg("%s %s", f->e.field, f->e.msg);
	/* the same name again at the same org */
	int64_t again;
	assert_int_equal(zb_dunit_create(f->db, &f->app, &f->by, NULL, &ui, &f->a, &again, &f->e), ZB_ECONFLICT);
	assert_string_equal(f->e.field, "name");
	zb_dunit u;
	assert_int_equal(zb_dunit_get(f->db, unit, &f->a, &u, &f->e), 0);
	assert_string_equal(u.name, "县农业农村局");
	assert_string_equal(u.phone_masked, "138****5678");
	assert_null(u.contact_phone);
	assert_int_equal(zb_dunit_reveal(&u, f->app.keys, &f->a, &f->e), 0);
	assert_string_equal(u.contact_phone, "13812345678");

	const char *id = idno(&f->a, "19850312", 11);
	zb_cadre_input ci = {.org_id = 1, .unit_id = unit, .name = "李驻村", .id_number = id, .phone = "13900001111",
	                     .post = "副科长"};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &ci, &f->a, &cadre, &f->e), 0);
	zb_cadre c;
	assert_int_equal(zb_cadre_get(f->db, cadre, &f->a, &c, &f->e), 0);
	/* derived from the ID number; stored encrypted, masked, indexed */
	assert_string_equal(c.birth_date, "1985-03-12");
	assert_string_equal(c.gender, "M");
	assert_string_equal(c.id_masked, "******************");
	assert_string_equal(c.phone_masked, "139****1111");
	assert_null(strstr(c.id_enc, id));
	assert_int_equal((int)strlen(c.id_index), 64);
	assert_string_equal(c.unit_name, "县农业农村局");
	assert_int_equal(zb_cadre_reveal(&c, f->app.keys, &f->a, &f->e), 0);
	assert_string_equal(c.id_number, id);
	assert_string_equal(c.phone, "13900001111");
	/* a ciphertext copied to another row does not decrypt */
	int64_t other;
	zb_cadre_input c2 = {.org_id = 1, .name = "赵队员", .gender = "女"};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &c2, &f->a, &other, &f->e), 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE cadres SET id_enc = ? WHERE id = ?", "si", c.id_enc, other), 0);
	zb_cadre o;
	assert_int_equal(zb_cadre_get(f->db, other, &f->a, &o, &f->e), 0);
	assert_string_equal(o.gender, "F");
	assert_int_equal(zb_cadre_reveal(&o, f->app.keys, &f->a, &f->e), ZB_EINTERNAL);
	/* one record per ID number */
	int64_t dup;
	ci.name = "李重复";
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &ci, &f->a, &dup, &f->e), ZB_ECONFLICT);
	assert_string_equal(f->e.field, "id_number");
	/* a bad ID number names the field */
	ci.id_number = "990101198503120000";
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &ci, &f->a, &dup, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "id_number");
	/* the list and the audit rows (masked values only) */
	zb_cadre *items;
	int n;
	assert_int_equal(zb_cadre_list(f->db, "/1/", unit, NULL, 0, 50, &f->a, &items, &n, &f->e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(zb_cadre_list(f->db, "/1/", 0, "zhao", 0, 50, &f->a, &items, &n, &f->e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].name, "赵队员");
	int64_t leaks = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &leaks, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE ?", "s",
	                           zb_arena_printf(&f->a, "%%%s%%", id)),
	                 0);
	assert_int_equal(leaks, 0);
}

static void test_registry_scope(void **state)
{
	fx *f = *state;
	int64_t unit, id;
	zb_dunit_input ui = {.org_id = 5, .name = "另一县教育局"};
	if (zb_dunit_create(f->db, &f->app, &f->by, NULL, &ui, &f->a, &unit, &f->e)) fail_msg("%s %s", f->e.field, f->e.msg);
	/* a township writer: not at the county, not with the other county's unit */
	zb_principal *town = writer_at(&f->a, "/1/2/", P_MEMBER_READ | P_MEMBER_WRITE);
	zb_dunit_input at_county = {.org_id = 1, .name = "县财政局"};
	assert_int_equal(zb_dunit_create(f->db, &f->app, &f->by, town, &at_county, &f->a, &id, &f->e), ZB_ENOTFOUND);
	assert_string_equal(f->e.field, "org_id");
	zb_cadre_input ci = {.org_id = 2, .unit_id = unit, .name = "钱干部", .gender = "M"};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, town, &ci, &f->a, &id, &f->e), ZB_ENOTFOUND);
	assert_string_equal(f->e.field, "unit_id");
	ci.unit_id = 0;
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, town, &ci, &f->a, &id, &f->e), 0);
	/* an account that does not exist */
	zb_cadre_input cu = {.org_id = 2, .name = "孙干部", .gender = "M", .user_id = 999};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &cu, &f->a, &id, &f->e), ZB_ENOTFOUND);
	assert_string_equal(f->e.field, "user_id");
	/* one cadre per account */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO users (id, username, pw_hash, created_at, updated_at) VALUES (50, 'u50', 'x', 0, 0)",
	                           ""),
	                 0);
	zb_cadre_input l1 = {.org_id = 2, .name = "甲账号", .gender = "M", .user_id = 50},
	               l2 = {.org_id = 2, .name = "乙账号", .gender = "F", .user_id = 50};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &l1, &f->a, &id, &f->e), 0);
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &l2, &f->a, &id, &f->e), ZB_ECONFLICT);
	assert_string_equal(f->e.field, "user_id");
	int64_t of;
	assert_int_equal(zb_cadre_of_user(f->db, 50, &of, &f->e), 0);
	assert_int_equal(zb_cadre_link_user(f->db, &f->app, &f->by, id, 50, &f->e), 0); /* the same link again */
	/* nothing half-written */
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM cadres WHERE name = '孙干部'", ""), 0);
	assert_int_equal(n, 0);
}


/* A posted 第一书记 at village 3 with a team; returns the posting. */
static int64_t post_first(fx *f, int64_t *cadre_out)
{
	int64_t cadre, team, posting;
	zb_cadre_input ci = {.org_id = 1, .name = "周书记", .gender = "M"};
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &ci, &f->a, &cadre, &f->e), 0);
	assert_int_equal(zb_vteam_create(f->db, &f->app, &f->by, NULL, 3, NULL, "2026-01-01", &f->a, &team, &f->e), 0);
	zb_vposting_input pi = {.cadre_id = cadre, .org_id = 3, .role = "第一书记", .started_on = "2026-01-01",
	                        .term_ends_on = "2028-01-01"};
	assert_int_equal(zb_vposting_create(f->db, &f->app, &f->by, NULL, &pi, &f->a, &posting, &f->e), 0);
	if (cadre_out)
		*cadre_out = cadre;
	return posting;
}

static void test_leave_approval(void **state)
{
	fx *f = *state;
	int64_t posting = post_first(f, NULL), three, four, one;
	zb_principal *town = writer_at(&f->a, "/1/2/", P_MEMBER_READ | P_MEMBER_WRITE);
	zb_principal *county = writer_at(&f->a, "/1/", P_MEMBER_READ | P_MEMBER_WRITE);
	zb_principal *village = writer_at(&f->a, "/1/2/3/", P_MEMBER_READ | P_MEMBER_WRITE);
	/* filed by the village's worker; 3 days: the township, 4 days: the county */
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, village, posting, "leave", "2026-11-02", "2026-11-04",
	                                  "家中有事", &f->a, &three, &f->e),
	                 0);
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, village, posting, "请假", "2026-11-09", "2026-11-12",
	                                  "就医", &f->a, &four, &f->e),
	                 0);
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, village, posting, "leave", "2026-11-20", "2026-11-20",
	                                  "办事", &f->a, &one, &f->e),
	                 0);
	zb_vabsence a;
	assert_int_equal(zb_vabsence_get(f->db, three, &f->a, &a, &f->e), 0);
	assert_string_equal(a.level, "township");
	assert_int_equal(a.level_org_id, 2);
	assert_int_equal(a.days, 3);
	assert_string_equal(a.status, "pending");
	assert_int_equal(zb_vabsence_get(f->db, four, &f->a, &a, &f->e), 0);
	assert_string_equal(a.level, "county");
	assert_int_equal(a.level_org_id, 1);
	/* the wrong level is refused: the township on 4 days, the village on 1 */
	assert_int_equal(zb_vabsence_decide(f->db, &f->app, &f->by, town, four, 1, NULL, &f->a, &f->e), ZB_EFORBIDDEN);
	assert_non_null(strstr(f->e.msg, "县委组织部"));
	assert_int_equal(zb_vabsence_decide(f->db, &f->app, &f->by, village, one, 1, NULL, &f->a, &f->e), ZB_EFORBIDDEN);
	/* the right levels */
	assert_int_equal(zb_vabsence_decide(f->db, &f->app, &f->by, town, three, 1, "同意", &f->a, &f->e), 0);
	assert_int_equal(zb_vabsence_decide(f->db, &f->app, &f->by, county, four, 0, "不同意", &f->a, &f->e), 0);
	assert_int_equal(zb_vabsence_decide(f->db, &f->app, &f->by, town, three, 1, NULL, &f->a, &f->e), ZB_ECONFLICT);
	/* November: 3 approved days away (the refused 4 and the pending 1 are not) */
	zb_vposting *ps;
	int n;
	assert_int_equal(zb_vfirst_secretaries(f->db, "/1/", "2026-11", "2026-12-07", &f->a, &ps, &n, &f->e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(ps[0].cadre_name, "周书记");
	assert_int_equal(ps[0].presence.days_away, 3);
	assert_int_equal(ps[0].presence.days_in_village, 27);
	assert_true(ps[0].presence.ok);
	/* overlapping a leave on record; outside the posting; another county's writer */
	int64_t x;
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, village, posting, "training", "2026-11-04", "2026-11-05",
	                                  "培训", &f->a, &x, &f->e),
	                 ZB_ECONFLICT);
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, village, posting, "trip", "2025-12-30", "2026-01-02",
	                                  "出差", &f->a, &x, &f->e),
	                 ZB_EINVAL);
	zb_principal *other = writer_at(&f->a, "/5/", P_MEMBER_READ | P_MEMBER_WRITE);
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, other, posting, "trip", "2026-11-25", "2026-11-26",
	                                  "出差", &f->a, &x, &f->e),
	                 ZB_ENOTFOUND);
}

static void test_presence_from_records(void **state)
{
	fx *f = *state;
	int64_t cadre, x;
	int64_t posting = post_first(f, &cadre);
	/* 11 days of training in November: 19 in the village, under the rule */
	assert_int_equal(zb_vabsence_file(f->db, &f->app, &f->by, NULL, posting, "training", "2026-11-10", "2026-11-20",
	                                  "省委党校培训", &f->a, &x, &f->e),
	                 0);
	zb_vvillage *vs;
	int n;
	zb_vcounty sum;
	assert_int_equal(zb_vcounty_view(f->db, "/1/", "2026-11", "2026-12-07", NULL, &f->a, &vs, &n, &sum, &f->e), 0);
	assert_int_equal(sum.villages, 2);
	assert_int_equal(sum.under_rule, 1);
	assert_int_equal(zb_vcounty_view(f->db, "/1/", "2026-11", "2026-12-07", "under", &f->a, &vs, &n, &sum, &f->e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(vs[0].first.presence.days_in_village, 19);
	assert_int_equal(vs[0].first.presence.required, 20);
	/* required villages and coverage */
	int64_t r;
	assert_int_equal(zb_vreq_add(f->db, &f->app, &f->by, NULL, 4, "软弱涣散村", NULL, "2026-01-01", NULL, &f->a, &r, &f->e),
	                 0);
	assert_int_equal(zb_vreq_add(f->db, &f->app, &f->by, NULL, 3, "poverty", NULL, "2026-01-01", NULL, &f->a, &r, &f->e),
	                 0);
	assert_int_equal(zb_vcounty_view(f->db, "/1/", "2026-11", "2026-12-07", NULL, &f->a, &vs, &n, &sum, &f->e), 0);
	assert_int_equal(sum.required, 2);
	assert_int_equal(sum.covered, 1);
	assert_int_equal(sum.uncovered_required, 1);
	/* a second 第一书记 for the same village is refused; a recall ends the posting and records 召回 */
	zb_cadre_input ci = {.org_id = 1, .name = "吴书记", .gender = "F"};
	int64_t c2, p2;
	assert_int_equal(zb_cadre_create(f->db, &f->app, &f->by, NULL, &ci, &f->a, &c2, &f->e), 0);
	zb_vposting_input pi = {.cadre_id = c2, .org_id = 3, .role = "first_secretary", .started_on = "2026-06-01",
	                        .term_ends_on = "2028-06-01"};
	assert_int_equal(zb_vposting_create(f->db, &f->app, &f->by, NULL, &pi, &f->a, &p2, &f->e), ZB_ECONFLICT);
	assert_string_equal(f->e.field, "role");
	assert_int_equal(zb_vposting_end(f->db, &f->app, &f->by, posting, "2026-11-30", "召回", "驻村时间不足", &f->a, &f->e), 0);
	int64_t recalls = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &recalls, "SELECT COUNT(*) FROM cadre_outcomes WHERE cadre_id = ? AND kind = 'recall'",
	                           "i", cadre),
	                 0);
	assert_int_equal(recalls, 1);
	assert_int_equal(zb_vposting_create(f->db, &f->app, &f->by, NULL, &pi, &f->a, &p2, &f->e), 0);
}

#define DB_TESTS                                                            \
	cmocka_unit_test_setup_teardown(test_registry, setup, teardown),    \
	cmocka_unit_test_setup_teardown(test_registry_scope, setup, teardown),  \
	cmocka_unit_test_setup_teardown(test_leave_approval, setup, teardown),  \
	cmocka_unit_test_setup_teardown(test_presence_from_records, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_presence_edge),
		cmocka_unit_test(test_presence_month_end),
		cmocka_unit_test(test_presence_partial),
		cmocka_unit_test(test_leave_level_and_score),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("village", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("village_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("village_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_village: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
