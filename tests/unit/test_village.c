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
#include "dbfix.h"

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
	/* nothing half-written */
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM cadres WHERE name = '孙干部'", ""), 0);
	assert_int_equal(n, 0);
}

#define DB_TESTS                                                            \
	cmocka_unit_test_setup_teardown(test_registry, setup, teardown),    \
	cmocka_unit_test_setup_teardown(test_registry_scope, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = 0;
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
