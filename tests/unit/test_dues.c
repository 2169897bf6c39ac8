/* Unit tests for 党费 (docs/DUES.md): money parsed and printed exactly,
 * the rule validator, the monthly due at every band edge and a fen either
 * side with the national default of migration 0029, a base change
 * mid-year, a 预备党员 from the join month, payments and their reversal,
 * the monthly sheet against a recount, and arrears in the 自行脱党 risk
 * months.  Database tests run on SQLite and, when ZB_TEST_PG holds a
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

#include "core/log.h"
#include "crypto/fieldprot.h"
#include "dues/dues.h"
#include "meeting/compliance.h"
#include "dbfix.h"

/* ---- pure ---- */

static void test_money(void **state)
{
	(void)state;
	zb_err e;
	int64_t f;
	static const struct {
		const char *s;
		int64_t fen;
	} good[] = {{"3000", 300000}, {"3000.5", 300050}, {"3000.00", 300000}, {"0", 0}, {"0.01", 1},
	            {"2999.99", 299999}, {"10000000", 1000000000}};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(zb_money_parse(good[i].s, "amount", "金额", &f, &e), 0);
		assert_int_equal(f, good[i].fen);
	}
	static const char *const bad[] = {"-1", "3000.001", "abc", "3000.", ".5", "", " 1", "1 ", "3,000", "1e3", "+5",
	                                  "10000000.01", "1.2.3", "１００"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(zb_money_parse(bad[i], "amount", "金额", &f, &e), ZB_EINVAL);
		assert_string_equal(e.field, "amount");
	}
	assert_int_equal(zb_money_parse(NULL, "amount", "金额", &f, &e), ZB_EINVAL);
	char t[24];
	zb_money_text(1500, t);
	assert_string_equal(t, "15.00");
	zb_money_text(-4505, t);
	assert_string_equal(t, "-45.05");
	zb_money_text(7, t);
	assert_string_equal(t, "0.07");
	char r[16];
	zb_dues_rate_text(1, 3, r); /* 33.333..% */
	assert_string_equal(r, "33.33");
	zb_dues_rate_text(2, 3, r); /* 66.666..% */
	assert_string_equal(r, "66.67");
	zb_dues_rate_text(1, 8, r); /* 12.5% exactly */
	assert_string_equal(r, "12.50");
	zb_dues_rate_text(0, 0, r);
	assert_string_equal(r, "100.00");
	int ym;
	assert_int_equal(zb_dues_ym_parse("2026-01", "from", &ym, &e), 0);
	assert_int_equal(ym, 202601);
	assert_int_equal(zb_dues_ym_parse("2026-13", "from", &ym, &e), ZB_EINVAL);
	assert_int_equal(zb_dues_ym_parse("2026-1", "from", &ym, &e), ZB_EINVAL);
	assert_int_equal(zb_dues_ym_parse("202601", "from", &ym, &e), ZB_EINVAL);
}

#define DEFAULT_RULE                                                                                                  \
	"{\"salary\":[{\"upto_fen\":300000,\"permyriad\":50},{\"upto_fen\":500000,\"permyriad\":100},"                     \
	"{\"upto_fen\":1000000,\"permyriad\":150},{\"permyriad\":200}],\"pension\":[{\"upto_fen\":500000,\"permyriad\":50}," \
	"{\"permyriad\":100}],\"farmer_fen\":20,\"student_fen\":20,\"unemployed_fen\":20,\"relief_fen\":20,"               \
	"\"voluntary_min_fen\":100000}"

static int valid(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	zb_err e;
	int rc = zb_dues_rules_validate(j, &e);
	json_decref(j);
	return rc;
}

static void test_validator(void **state)
{
	(void)state;
	assert_int_equal(valid(DEFAULT_RULE), 0);
	/* tops not rising, the last band with a top, a farmer sum under 0.2
	 * yuan, an unknown key, a rate of 0 */
	assert_int_equal(valid("{\"salary\":[{\"upto_fen\":500000,\"permyriad\":50},{\"upto_fen\":300000,\"permyriad\":100},"
	                       "{\"permyriad\":200}],\"pension\":[{\"permyriad\":100}],\"farmer_fen\":20,\"student_fen\":20,"
	                       "\"unemployed_fen\":20,\"relief_fen\":20,\"voluntary_min_fen\":100000}"),
	                 ZB_EINVAL);
	assert_int_equal(valid("{\"salary\":[{\"upto_fen\":300000,\"permyriad\":50}],\"pension\":[{\"permyriad\":100}],"
	                       "\"farmer_fen\":20,\"student_fen\":20,\"unemployed_fen\":20,\"relief_fen\":20,"
	                       "\"voluntary_min_fen\":100000}"),
	                 ZB_EINVAL);
	assert_int_equal(valid("{\"salary\":[{\"permyriad\":50}],\"pension\":[{\"permyriad\":100}],\"farmer_fen\":10,"
	                       "\"student_fen\":20,\"unemployed_fen\":20,\"relief_fen\":20,\"voluntary_min_fen\":100000}"),
	                 ZB_EINVAL);
	assert_int_equal(valid("{\"salary\":[{\"permyriad\":50}],\"pension\":[{\"permyriad\":100}],\"farmer_fen\":20,"
	                       "\"student_fen\":20,\"unemployed_fen\":20,\"relief_fen\":20,\"voluntary_min_fen\":100000,"
	                       "\"x\":1}"),
	                 ZB_EINVAL);
	assert_int_equal(valid("{\"salary\":[{\"permyriad\":0}],\"pension\":[{\"permyriad\":100}],\"farmer_fen\":20,"
	                       "\"student_fen\":20,\"unemployed_fen\":20,\"relief_fen\":20,\"voluntary_min_fen\":100000}"),
	                 ZB_EINVAL);
	/* registered with the rule kinds */
	assert_true(zb_rules_kind_known("dues"));
}

static void test_eval(void **state)
{
	(void)state;
	json_error_t je;
	json_t *j = json_loads(DEFAULT_RULE, 0, &je);
	zb_rule_set s = {.id = 1, .data = j};
	zb_dues_rules r;
	zb_dues_rules_of(&s, &r);
	zb_dues_month m;
	/* before the join month: not owed; the join month: owed */
	zb_dues_eval(&r, 202503, 202502, 1, ZB_DK_SALARY, 400000, 0, 0, 0, &m);
	assert_false(m.owes);
	assert_int_equal(m.due_fen, 0);
	zb_dues_eval(&r, 202503, 202503, 1, ZB_DK_SALARY, 400000, 0, 0, 1000, &m);
	assert_true(m.owes);
	assert_int_equal(m.due_fen, 4000);
	assert_int_equal(m.owed_fen, 3000);
	/* no base: not owed */
	zb_dues_eval(&r, 202001, 202503, 0, -1, 0, 0, 0, 0, &m);
	assert_false(m.owes);
	/* exempt, reduced (never above the standard), overpaid */
	zb_dues_eval(&r, 202001, 202503, 1, ZB_DK_SALARY, 300000, 2, 0, 0, &m);
	assert_int_equal(m.due_fen, 0);
	assert_int_equal(m.reduced, 2);
	zb_dues_eval(&r, 202001, 202503, 1, ZB_DK_SALARY, 300000, 1, 500, 0, &m);
	assert_int_equal(m.due_fen, 500);
	zb_dues_eval(&r, 202001, 202503, 1, ZB_DK_SALARY, 300000, 1, 9000, 0, &m);
	assert_int_equal(m.due_fen, 1500);
	assert_int_equal(m.reduced, 0);
	zb_dues_eval(&r, 202001, 202503, 1, ZB_DK_SALARY, 300000, 0, 0, 2000, &m);
	assert_int_equal(m.owed_fen, 0);
	json_decref(j);
}

/* ---- database ---- */

typedef struct fx {
	zb_db *db;
	zb_app app;
	zb_arena a;
	zb_err e;
	zb_audit_ev by;
} fx;

static int64_t fixed_now(void) { return 1780000000; }

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 5 + 1);
	if (dbfix_open("dues", &f->db, &f->e) || zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e))
		return -1;
	f->app.now = fixed_now;
	f->by = (zb_audit_ev){.user_id = 0, .username = "test", .ip = "127.0.0.1"};
	*state = f;
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

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 0, ?, ?, 0, 0)",
	                           "iIsss", id, parent, path, path, type),
	                 0);
}

static int64_t member(fx *f, int64_t org_id, const char *path, const char *name, const char *category, const char *join)
{
	int64_t id = 0;
	int rc = zb_db_int(f->db, &f->e, &id,
	                   "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, "
	                   "category, join_date, status, created_at, updated_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'normal', 0, 0) RETURNING id",
	                   "issssbss", org_id, path, name, name, name, name, strlen(name), category, join);
	if (rc)
		fail_msg("member: %s", f->e.msg);
	return id;
}

static void world(fx *f)
{
	org(f, 1, 0, "/1/", "committee");
	org(f, 2, 1, "/1/2/", "branch");
	org(f, 3, 1, "/1/3/", "branch");
}

static int64_t base(fx *f, int64_t m, const char *kind, const char *amount, const char *from)
{
	int64_t monthly = -1;
	int rc = zb_dues_base_set(f->db, &f->app, &f->by, m, "/1/2/", kind, amount, from, &monthly, &f->e);
	if (rc)
		fail_msg("base %s %s: %s", kind, amount, f->e.msg);
	return monthly;
}

static void month_of(fx *f, int64_t m, int ym, zb_dues_month *out)
{
	zb_dues_rcache *rc;
	assert_int_equal(zb_dues_rcache_new(f->db, &rc, &f->e), 0);
	zb_dues_member dm;
	assert_int_equal(zb_dues_member_load(f->db, rc, m, &f->a, &dm, &f->e), 0);
	assert_int_equal(zb_dues_member_month(rc, &dm, ym, out, &f->e), 0);
	zb_dues_rcache_free(rc);
}

static int64_t pay(fx *f, int64_t m, const char *const *months, int n, const char *amount, const char *on)
{
	zb_dues_pay_in in = {m, "/1/2/", months, n, amount, on, "cash", NULL, 0};
	int64_t id = 0;
	if (zb_dues_pay(f->db, &f->app, &f->by, &in, "2026-06-30", &id, &f->e))
		fail_msg("pay: %s", f->e.msg);
	return id;
}

/* the national default of migration 0029 at every band edge */
static void test_band_edges(void **state)
{
	fx *f = *state;
	world(f);
	int64_t m = member(f, 2, "/1/2/", "甲", "full", "2010-07-01");
	static const struct {
		const char *kind, *amount;
		int64_t fen;
	} v[] = {
		{"salary", "2999.99", 1500}, {"salary", "3000", 1500},     {"salary", "3000.01", 3000},
		{"salary", "5000", 5000},    {"salary", "5000.01", 7500},  {"salary", "10000", 15000},
		{"salary", "10000.01", 20000}, {"salary", "0.99", 0},      {"salary", "1.00", 1},
		{"pension", "4999.99", 2500}, {"pension", "5000", 2500},   {"pension", "5000.01", 5000},
		{"farmer", "1000", 20},      {"student", "0", 20},         {"unemployed", "0", 20},
		{"relief", "0", 20},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int64_t got = base(f, m, v[i].kind, v[i].amount, "2026-01");
		if (got != v[i].fen)
			fail_msg("%s %s: %lld fen, want %lld", v[i].kind, v[i].amount, (long long)got, (long long)v[i].fen);
	}
}

static void test_mid_year_and_probation(void **state)
{
	fx *f = *state;
	world(f);
	int64_t m = member(f, 2, "/1/2/", "乙", "full", "2010-07-01");
	base(f, m, "salary", "3000", "2025-01");
	base(f, m, "salary", "6000", "2025-07");
	zb_dues_month mo;
	month_of(f, m, 202506, &mo);
	assert_int_equal(mo.due_fen, 1500);
	month_of(f, m, 202507, &mo);
	assert_int_equal(mo.due_fen, 9000);
	month_of(f, m, 202412, &mo);
	assert_false(mo.owes);
	/* a 预备党员 accepted on 2025-03-20 owes from March */
	int64_t p = member(f, 2, "/1/2/", "丙", "probationary", "2025-03-20");
	base(f, p, "salary", "4000", "2025-01");
	month_of(f, p, 202502, &mo);
	assert_false(mo.owes);
	month_of(f, p, 202503, &mo);
	assert_true(mo.owes);
	assert_int_equal(mo.due_fen, 4000);
	const char *feb[] = {"2025-02"};
	zb_dues_pay_in in = {p, "/1/2/", feb, 1, "40.00", "2025-03-25", "cash", NULL, 0};
	int64_t id;
	assert_int_equal(zb_dues_pay(f->db, &f->app, &f->by, &in, "2026-06-30", &id, &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "months[0]");
}

static void test_reversal(void **state)
{
	fx *f = *state;
	world(f);
	int64_t m = member(f, 2, "/1/2/", "丁", "full", "2010-07-01");
	base(f, m, "salary", "3000", "2026-01");
	const char *three[] = {"2026-01", "2026-02", "2026-03"};
	int64_t p = pay(f, m, three, 3, "45.00", "2026-03-10");
	zb_dues_month mo;
	month_of(f, m, 202602, &mo);
	assert_int_equal(mo.paid_fen, 1500);
	int64_t rid, mid;
	assert_int_equal(zb_dues_reverse(f->db, &f->app, &f->by, p, "/1/2/", "错记", "2026-06-30", &rid, &mid, &f->e), 0);
	assert_int_equal(mid, m);
	month_of(f, m, 202602, &mo);
	assert_int_equal(mo.paid_fen, 0);
	assert_int_equal(mo.owed_fen, 1500);
	/* the original row is untouched, the reversal negates it */
	int64_t amounts[2] = {0, 0};
	assert_int_equal(zb_db_one(f->db, &f->e, NULL, zb_row_ints, amounts,
	                           "SELECT (SELECT amount_fen FROM dues_payments WHERE id = ?), "
	                           "(SELECT amount_fen FROM dues_payments WHERE reverses = ?)",
	                           "ii", p, p),
	                 0);
	assert_int_equal(amounts[0], 4500);
	assert_int_equal(amounts[1], -4500);
	assert_int_equal(zb_dues_reverse(f->db, &f->app, &f->by, p, "/1/2/", "再次", "2026-06-30", &rid, &mid, &f->e),
	                 ZB_ECONFLICT);
	int64_t audits = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &audits, "SELECT COUNT(*) FROM audit_log WHERE action = 'dues.reverse'", ""),
	                 0);
	assert_int_equal(audits, 1);
}

/* the sheet's totals equal the members' months, one by one */
static void test_sheet_recount(void **state)
{
	fx *f = *state;
	world(f);
	static const char *const kinds[] = {"salary", "salary", "pension", "farmer", "salary"};
	static const char *const amounts[] = {"2800", "4500", "6000", "0", "12000"};
	int64_t ids[5];
	for (int i = 0; i < 5; i++) {
		char name[24];
		snprintf(name, sizeof name, "员%d", i);
		ids[i] = member(f, i < 3 ? 2 : 3, i < 3 ? "/1/2/" : "/1/3/", name, "full", "2010-07-01");
		base(f, ids[i], kinds[i], amounts[i], "2026-01");
	}
	const char *may[] = {"2026-05"};
	pay(f, ids[0], may, 1, "14.00", "2026-05-05");
	pay(f, ids[1], may, 1, "20.00", "2026-05-05");
	pay(f, ids[4], may, 1, "240.00", "2026-05-05");
	zb_dues_sheet s;
	assert_int_equal(zb_dues_sheet_get(f->db, 1, "/1/", 202605, 1, &f->a, &s, &f->e), 0);
	assert_int_equal(s.nrows, 5);
	int64_t due = 0, paid = 0, owed = 0;
	for (int i = 0; i < s.nrows; i++) {
		zb_dues_month mo;
		month_of(f, s.rows[i].member_id, 202605, &mo);
		assert_int_equal(s.rows[i].m.due_fen, mo.due_fen);
		assert_int_equal(s.rows[i].m.paid_fen, mo.paid_fen);
		due += mo.due_fen;
		paid += mo.paid_fen;
		owed += mo.owed_fen;
	}
	assert_int_equal(s.total.due_fen, due);
	assert_int_equal(s.total.paid_fen, paid);
	assert_int_equal(s.total.owed_fen, owed);
	assert_int_equal(due, 1400 + 4500 + 6000 + 20 + 24000);
	assert_int_equal(owed, 2500 + 6000 + 20);
	assert_int_equal(s.nchildren, 2);
	assert_int_equal(s.children[0].sum.due_fen + s.children[1].sum.due_fen, due);
	assert_int_equal(s.children[1].sum.paid_fen, 24000);
}

/* 自行脱党: five months owing nothing paid count, a payment ends the run */
static void test_arrears_risk(void **state)
{
	fx *f = *state;
	world(f);
	int64_t m = member(f, 2, "/1/2/", "戊", "full", "2010-07-01");
	base(f, m, "salary", "3000", "2026-01");
	zb_risk *rv;
	int n, scanned;
	/* today 2026-06-15: last complete month May, January to May unpaid */
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-06-15", &f->a, &rv, &n, &scanned, &f->e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rv[0].member_id, m);
	assert_int_equal(rv[0].dues_months, 5);
	assert_int_equal(rv[0].life_months, 0);
	assert_int_equal(rv[0].months, 5);
	assert_int_equal(rv[0].level, 5);
	assert_int_equal(rv[0].dues_since_ym, 202601);
	/* April paid: the run is May alone */
	const char *apr[] = {"2026-04"};
	pay(f, m, apr, 1, "15.00", "2026-05-02");
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-06-15", &f->a, &rv, &n, &scanned, &f->e), 0);
	assert_int_equal(n, 0);
	/* a month under an approved exemption is passed over, not counted */
	int64_t r;
	assert_int_equal(zb_dues_reduction_add(f->db, &f->app, &f->by, m, "/1/2/", "exempt", "2026-06", "2026-09", NULL,
	                                       "困难", "2026-06-01", "2026-06-30", &r, &f->e),
	                 0);
	assert_int_equal(zb_dues_reduction_decide(f->db, &f->app, &f->by, r, "/1/2/", 1, NULL, &f->e), 0);
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-10-15", &f->a, &rv, &n, &scanned, &f->e), 0);
	assert_int_equal(n, 0); /* May only, June to September exempt */
	assert_int_equal(zb_risks_compute(f->db, "/1/", "2026-12-15", &f->a, &rv, &n, &scanned, &f->e), 0);
	assert_int_equal(n, 1); /* May, October, November */
	assert_int_equal(rv[0].dues_months, 3);
	assert_int_equal(rv[0].level, 3);
}

#define DB_TESTS                                                                                   \
	cmocka_unit_test_setup_teardown(test_band_edges, setup, teardown),                             \
	cmocka_unit_test_setup_teardown(test_mid_year_and_probation, setup, teardown),                 \
	cmocka_unit_test_setup_teardown(test_reversal, setup, teardown),                               \
	cmocka_unit_test_setup_teardown(test_sheet_recount, setup, teardown),                          \
	cmocka_unit_test_setup_teardown(test_arrears_risk, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_eval),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("dues", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("dues_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("dues_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_dues: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
