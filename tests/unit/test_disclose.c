/* Unit tests for 三务公开 (docs/DISCLOSURE.md): periods and their
 * deadlines at month, quarter and year ends, the rule's validator, the
 * search for ID and mobile numbers (a wrong check character, a masked
 * number and longer runs of digits pass), the tables' shape, and on a
 * database: the flow in its order (no publish without the approval and
 * the review, the approver another account, the review the township's),
 * refusal and withdrawal keeping every step, the public list of one
 * village only, the overdue periods at the deadline's edge, and the demo.
 * Database tests run on SQLite and, when ZB_TEST_PG holds a postgres://
 * URI, on PostgreSQL too. */
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

#include "app/init.h"
#include "core/date.h"
#include "core/log.h"
#include "disclose/disclose.h"
#include "member/idcard.h"
#include "meeting/attach.h"
#include "rules/rules.h"
#include "dbfix.h"

/* ---- pure ---- */

static void period_is(const char *p, char unit, const char *first, const char *last)
{
	char u, f[11], l[11];
	assert_int_equal(zb_disclose_period(p, &u, f, l), 0);
	assert_int_equal(u, unit);
	assert_string_equal(f, first);
	assert_string_equal(l, last);
}

static void test_periods(void **state)
{
	(void)state;
	period_is("2026-02", 'm', "2026-02-01", "2026-02-28");
	period_is("2024-02", 'm', "2024-02-01", "2024-02-29");
	period_is("2026-12", 'm', "2026-12-01", "2026-12-31");
	period_is("2026-Q1", 'q', "2026-01-01", "2026-03-31");
	period_is("2026-Q4", 'q', "2026-10-01", "2026-12-31");
	period_is("2026-03-15", 'e', "2026-03-15", "2026-03-15");
	char u, f[11], l[11];
	const char *bad[] = {"2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-01", "2026-1", "", "2026-02-30", "2026/01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(zb_disclose_period(bad[i], &u, f, l), -1);
	/* deadlines: the period's last day + 10, across a month and a year */
	char d[11];
	zb_disclose_deadline("2026-02-28", 10, d);
	assert_string_equal(d, "2026-03-10");
	zb_disclose_deadline("2024-02-29", 10, d);
	assert_string_equal(d, "2024-03-10");
	zb_disclose_deadline("2026-12-31", 10, d);
	assert_string_equal(d, "2027-01-10");
	zb_disclose_deadline("2026-03-31", 0, d);
	assert_string_equal(d, "2026-03-31");
	char p[16];
	zb_disclose_period_of('q', "2026-03-31", p);
	assert_string_equal(p, "2026-Q1");
	zb_disclose_period_of('q', "2026-04-01", p);
	assert_string_equal(p, "2026-Q2");
	zb_disclose_period_of('m', "2026-12-31", p);
	assert_string_equal(p, "2026-12");
}

static void test_period_check(void **state)
{
	(void)state;
	zb_disclose_rules r = {0, {'q', 'q', 'm'}, 10};
	zb_err e = {0};
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_FINANCE, "2026-03", &e), 0);
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_FINANCE, "2026-Q1", &e), ZB_EINVAL);
	assert_string_equal(e.field, "period");
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_VILLAGE, "2026-Q1", &e), 0);
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_VILLAGE, "2026-03", &e), ZB_EINVAL);
	/* events: 党务 only */
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_PARTY, "2026-03-15", &e), 0);
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_VILLAGE, "2026-03-15", &e), ZB_EINVAL);
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_FINANCE, "2026-03-15", &e), ZB_EINVAL);
	/* a local rule: 村务 monthly */
	r.unit[ZB_DK_VILLAGE] = 'm';
	assert_int_equal(zb_disclose_period_check(&r, ZB_DK_VILLAGE, "2026-03", &e), 0);
}

static void test_validator(void **state)
{
	(void)state;
	zb_err e = {0};
	const char *ok = "{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"month\",\"deadline_days\":10,\"source\":\"x\"}";
	json_t *j = json_loads(ok, 0, NULL);
	assert_int_equal(zb_rules_validate("disclosure", j, &e), 0);
	json_decref(j);
	const char *bad[] = {
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"week\",\"deadline_days\":10}",
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"month\",\"deadline_days\":61}",
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"month\",\"deadline_days\":-1}",
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"deadline_days\":10}",
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"month\"}",
		"{\"party\":\"quarter\",\"village\":\"quarter\",\"finance\":\"month\",\"deadline_days\":10,\"x\":1}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		j = json_loads(bad[i], 0, NULL);
		assert_int_equal(zb_rules_validate("disclosure", j, &e), ZB_EINVAL);
		json_decref(j);
	}
}

static void id_of(const char *body17, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;
	for (int i = 0; i < 17; i++)
		s += (body17[i] - '0') * w[i];
	memcpy(out, body17, 17);
	out[17] = "10X98765432"[s % 11];
	out[18] = '\0';
}

static int found(const char *s, const char **what)
{
	return zb_disclose_pii_find(s, 20261207, what);
}

static void test_pii(void **state)
{
	(void)state;
	const char *what = NULL;
	char id[19], buf[128];
	id_of("11010119900307123", id);
	snprintf(buf, sizeof buf, "领款人身份证%s，已核对", id);
	assert_true(found(buf, &what));
	assert_string_equal(what, "身份证号");
	/* a wrong check character is not an ID number */
	char wrong[19];
	memcpy(wrong, id, 19);
	wrong[17] = wrong[17] == '0' ? '1' : '0';
	snprintf(buf, sizeof buf, "编号%s", wrong);
	assert_false(found(buf, &what));
	/* one ending in X, also lower case */
	char x[19] = "";
	for (int seq = 0; seq < 1000 && !x[0]; seq++) {
		char body[32];
		snprintf(body, sizeof body, "110101199003%02u%03u", (unsigned)(1 + seq / 100 % 28), (unsigned)(seq % 1000));
		char c[19];
		id_of(body, c);
		if (c[17] == 'X')
			memcpy(x, c, 19);
	}
	assert_true(x[0]);
	assert_true(found(x, &what));
	x[17] = 'x';
	assert_true(found(x, &what));
	/* part of a longer run (a bank account): not an ID number */
	snprintf(buf, sizeof buf, "账号6%s", id);
	assert_false(found(buf, &what));
	/* a birth date that does not exist */
	id_of("11010119900230123", id);
	assert_false(found(id, &what));
	/* mobile numbers */
	assert_true(found("联系电话13912345678", &what));
	assert_string_equal(what, "手机号");
	assert_true(found("电话：139-1234-5678。", &what));
	assert_true(found("电话 139 1234 5678", &what));
	assert_true(found("Tel13912345678", &what));
	/* full-width digits */
	assert_true(found("１３９１２３４５６７８", &what));
	/* masked, too short, too long, not a mobile prefix, a landline, amounts */
	assert_false(found("联系电话139****5678", &what));
	assert_false(found("110101********1234", &what));
	assert_false(found("1391234567", &what));
	assert_false(found("139123456789", &what));
	assert_false(found("12912345678", &what));
	assert_false(found("0571-88123456", &what));
	assert_false(found("收入 120000.00 元，支出 35000 元，2026-03-15", &what));
	assert_false(found(NULL, &what));
	assert_false(found("", &what));
}

static void test_pii_check(void **state)
{
	(void)state;
	zb_err e = {0};
	const char *tables = "[{\"title\":\"明细\",\"columns\":[\"姓名\",\"电话\"],\"rows\":[[\"张三\",\"139****5678\"],"
	                     "[\"李四\",13912345678]]}]";
	assert_int_equal(zb_disclose_pii_check("标题", "正文", tables, 20261207, &e), ZB_EINVAL);
	assert_string_equal(e.field, "tables[0].rows[1][1]");
	assert_non_null(strstr(e.msg, "第 1 张表第 2 行第 2 列"));
	assert_non_null(strstr(e.msg, "手机号"));
	assert_int_equal(zb_disclose_pii_check("电话13912345678", "正文", "[]", 20261207, &e), ZB_EINVAL);
	assert_string_equal(e.field, "title");
	assert_int_equal(zb_disclose_pii_check("标题", "正文", "[{\"columns\":[\"a\"],\"rows\":[[\"ok\"]]}]", 20261207, &e), 0);
}

static void test_tables(void **state)
{
	(void)state;
	zb_err e = {0};
	struct {
		const char *json, *field;
	} cases[] = {
		{"[{\"columns\":[\"a\",\"b\"],\"rows\":[[1,\"x\"]]}]", NULL},
		{"[]", NULL},
		{"{}", "tables"},
		{"[1]", "tables[0]"},
		{"[{\"columns\":[],\"rows\":[]}]", "tables[0]"},
		{"[{\"columns\":[\"a\",\"b\"],\"rows\":[[1]]}]", "tables[0].rows[0]"},
		{"[{\"columns\":[\"a\"],\"rows\":[[{\"x\":1}]]}]", "tables[0].rows[0]"},
		{"[{\"columns\":[\"a\"],\"rows\":[],\"style\":1}]", "tables[0]"},
		{"[{\"columns\":[1],\"rows\":[]}]", "tables[0]"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		json_t *j = json_loads(cases[i].json, 0, NULL);
		int rc = zb_disclose_tables_check(j, &e);
		json_decref(j);
		if (!cases[i].field) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, ZB_EINVAL);
			assert_string_equal(e.field, cases[i].field);
		}
	}
}

/* An item with attachments is approved only with the confirmation that
 * they were checked; without attachments the flag is not needed. */
static void test_attach_confirm(void **state)
{
	(void)state;
	zb_err e = {0};
	assert_int_equal(zb_disclose_attach_confirm(0, 0, &e), 0);
	assert_int_equal(zb_disclose_attach_confirm(0, 1, &e), 0);
	assert_int_equal(zb_disclose_attach_confirm(1, 1, &e), 0);
	assert_int_equal(zb_disclose_attach_confirm(3, 0, &e), ZB_EINVAL);
	assert_string_equal(e.field, "attachments_checked");
	assert_non_null(strstr(e.msg, "3 个附件"));
	assert_non_null(strstr(e.msg, "身份证号、手机号"));
	assert_int_equal(zb_disclose_attach_confirm(1, 0, &e), ZB_EINVAL);
}

/* ---- database ---- */

/* 2026-12-07 10:00 China time */
static int64_t fixed_now(void)
{
	return 1796608800;
}

typedef struct fx {
	zb_app app;
	zb_db *db;
	zb_arena a;
	zb_err e;
	char key[300];
	zb_grant g_village, g_other, g_town;
	zb_principal drafter, approver, town;
	zb_audit_ev by_d, by_a, by_t;
} fx;

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 1, ?, ?, 'rural', 0, 0)",
	                           "iisss", id, parent, path, name, type),
	                 0);
}

static void principal(zb_principal *p, zb_grant *g, zb_audit_ev *by, int64_t uid, const char *name, const char *path)
{
	*g = (zb_grant){.role = "org_admin", .org_path = path, .perms = P_ORG_READ | P_ORG_WRITE};
	*p = (zb_principal){.user_id = uid, .username = name, .ngrants = 1, .grants = g, .all_perms = g->perms};
	*by = (zb_audit_ev){.user_id = uid, .username = name, .ip = "test"};
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	zb_arena_init(&f->a);
	if (dbfix_open_empty("disclose", &f->db, &f->e))
		return -1;
	snprintf(f->key, sizeof f->key, "%s.key", dbfix_uri ? "/tmp/zb_test_disclose_pg" : dbfix_path);
	if (zb_app_init(&f->app, dbfix_uri ? dbfix_uri : dbfix_path, f->key, &f->e))
		return -1;
	f->app.now = fixed_now;
	setenv("ZHIBU_ADMIN_PASSWORD", "Zhibu-Test-Pass-2024x", 1);
	zb_init_result ir;
	if (zb_init_db(&f->app, f->db, "中共示范县委员会", "SFX", "test", &ir, &f->e)) {
		fprintf(stderr, "init: %s\n", f->e.msg);
		return -1;
	}
	/* /1/ county, /1/2/ township, /1/2/3/ and /1/2/30/ villages, /1/2/3/4/
	 * a group, /1/5/ another township with its village /1/5/6/ */
	org(f, 2, 1, "/1/2/", "committee", "甲镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "东村党支部");
	org(f, 30, 2, "/1/2/30/", "branch", "西村党支部");
	org(f, 4, 3, "/1/2/3/4/", "group", "东村第一党小组");
	org(f, 5, 1, "/1/5/", "committee", "乙镇党委");
	org(f, 6, 5, "/1/5/6/", "branch", "南村党支部");
	principal(&f->drafter, &f->g_village, &f->by_d, 101, "drafter", "/1/2/3/");
	principal(&f->approver, &f->g_other, &f->by_a, 102, "approver", "/1/2/3/");
	principal(&f->town, &f->g_town, &f->by_t, 103, "town", "/1/2/");
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_arena_free(&f->a);
	zb_db_close(f->db);
	zb_app_release(&f->app);
	unlink(f->key);
	dbfix_remove();
	free(f);
	return 0;
}

static int64_t mk(fx *f, int64_t org_id, const char *kind, const char *period, const char *title)
{
	zb_disclosure_in in = {kind, period, title, "正文", NULL};
	int64_t id = 0;
	assert_int_equal(zb_disclosure_create(f->db, &f->app, &f->by_d, org_id, &in, fixed_now(), &id, &f->e), 0);
	return id;
}

static int act(fx *f, const zb_audit_ev *by, const zb_principal *who, int64_t id, const char *action, const char *reason,
               const char *day)
{
	return zb_disclosure_step_do(f->db, &f->app, by, who, id, action, reason, day, fixed_now(), &f->e);
}

static const char *status(fx *f, int64_t id, int *nsteps)
{
	zb_disclosure d;
	zb_disclosure_step *s;
	assert_int_equal(zb_disclosure_get(f->db, id, &f->a, &d, &s, nsteps, &f->e), 0);
	return d.status;
}

static void publish(fx *f, int64_t id, const char *day)
{
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "submit", NULL, day), 0);
	assert_int_equal(act(f, &f->by_a, &f->approver, id, "approve", NULL, day), 0);
	assert_int_equal(act(f, &f->by_t, &f->town, id, "review", NULL, day), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, day), 0);
}

static const unsigned char PNG1[] = {
	0x89, 'P',  'N',  'G',  '\r', '\n', 0x1a, '\n', 0,    0,    0,    0x0d, 'I',  'H',  'D',  'R',  0,    0,
	0,    1,    0,    0,    0,    1,    8,    6,    0,    0,    0,    0x1f, 0x15, 0xc4, 0x89, 0,    0,    0,
	0x0d, 'I',  'D',  'A',  'T',  0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0,    0x02, 0x87, 0x01, 0x80,
	0xeb, 0x47, 0xba, 0x92, 0,    0,    0,    0,    'I',  'E',  'N',  'D',  0xae, 0x42, 0x60, 0x82,
};

static int checked_step(fx *f, int64_t id, int checked)
{
	return zb_disclosure_step_checked(f->db, &f->app, &f->by_a, &f->approver, id, "approve", NULL, checked, "2026-12-07",
	                                  fixed_now(), &f->e);
}

static void test_attach_db(void **state)
{
	fx *f = *state;
	char dir[] = "/tmp/zb_test_disclose_files_XXXXXX";
	assert_non_null(mkdtemp(dir));
	free(f->app.data_dir);
	f->app.data_dir = strdup(dir);
	int64_t id = mk(f, 3, "finance", "2026-10", "10月财务");
	zb_disclosure_file fl;
	/* not JPEG/PNG/PDF, no caption: refused, nothing stored */
	assert_int_equal(zb_disclosure_attach_add(f->db, &f->app, &f->by_d, id, "a.png", "单据", "<html>", 6, fixed_now(),
	                                          &f->a, &fl, &f->e),
	                 ZB_EMEDIA);
	assert_int_equal(zb_disclosure_attach_add(f->db, &f->app, &f->by_d, id, "a.png", " ", PNG1, sizeof PNG1,
	                                          fixed_now(), &f->a, &fl, &f->e),
	                 ZB_EINVAL);
	assert_string_equal(f->e.field, "caption");
	assert_int_equal(zb_disclosure_attach_add(f->db, &f->app, &f->by_d, id, "dir/单据.png", "10月收支单据", PNG1,
	                                          sizeof PNG1, fixed_now(), &f->a, &fl, &f->e),
	                 0);
	assert_string_equal(fl.kind, "png");
	assert_string_equal(fl.filename, "单据.png");
	zb_disclosure_file got;
	const char *stored;
	assert_int_equal(zb_disclosure_attach_find(f->db, id, fl.id, &f->a, &got, &stored, &f->e), 0);
	assert_string_equal(got.caption, "10月收支单据");
	zb_buf b = {0};
	assert_int_equal(zb_attach_read_file(f->app.data_dir, stored, &b, &f->e), 0);
	assert_int_equal(b.len, sizeof PNG1);
	zb_buf_release(&b);
	/* not public while a draft; not found under another item */
	assert_int_equal(zb_disclosure_attach_find(f->db, 0, fl.id, &f->a, &got, &stored, &f->e), ZB_ENOTFOUND);
	assert_int_equal(zb_disclosure_attach_find(f->db, id + 1, fl.id, &f->a, &got, &stored, &f->e), ZB_ENOTFOUND);
	/* submitted: no more changes */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "submit", NULL, "2026-12-07"), 0);
	assert_int_equal(zb_disclosure_attach_remove(f->db, &f->app, &f->by_d, id, fl.id, &f->e), ZB_ECONFLICT);
	assert_int_equal(zb_disclosure_attach_add(f->db, &f->app, &f->by_d, id, "b.png", "再一张", PNG1, sizeof PNG1,
	                                          fixed_now(), &f->a, &got, &f->e),
	                 ZB_ECONFLICT);
	/* the approval without the confirmation writes nothing */
	int before, after;
	assert_string_equal(status(f, id, &before), "submitted");
	assert_int_equal(act(f, &f->by_a, &f->approver, id, "approve", NULL, "2026-12-07"), ZB_EINVAL);
	assert_string_equal(f->e.field, "attachments_checked");
	assert_int_equal(checked_step(f, id, 0), ZB_EINVAL);
	assert_string_equal(status(f, id, &after), "submitted");
	assert_int_equal(after, before);
	assert_int_equal(checked_step(f, id, 1), 0);
	zb_disclosure d;
	zb_disclosure_step *s;
	int n;
	assert_int_equal(zb_disclosure_get(f->db, id, &f->a, &d, &s, &n, &f->e), 0);
	assert_string_equal(s[n - 1].action, "approve");
	assert_int_equal(s[n - 1].attachments_checked, 1);
	assert_int_equal(s[n - 2].attachments_checked, 0);
	assert_int_equal(d.nfiles, 1);
	/* published: public; withdrawn: not */
	assert_int_equal(act(f, &f->by_t, &f->town, id, "review", NULL, "2026-12-07"), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, "2026-12-07"), 0);
	assert_int_equal(zb_disclosure_attach_find(f->db, 0, fl.id, &f->a, &got, &stored, &f->e), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "withdraw", "单据有误", "2026-12-07"), 0);
	assert_int_equal(zb_disclosure_attach_find(f->db, 0, fl.id, &f->a, &got, &stored, &f->e), ZB_ENOTFOUND);
	/* a draft's file removed: its row and its file */
	int64_t id2 = mk(f, 3, "finance", "2026-11", "11月财务");
	assert_int_equal(zb_disclosure_attach_add(f->db, &f->app, &f->by_d, id2, NULL, "照片", PNG1, sizeof PNG1, fixed_now(),
	                                          &f->a, &fl, &f->e),
	                 0);
	assert_int_equal(zb_disclosure_attach_find(f->db, id2, fl.id, &f->a, &got, &stored, &f->e), 0);
	char path[512];
	snprintf(path, sizeof path, "%s/attachments/%s", dir, stored);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(zb_disclosure_attach_remove(f->db, &f->app, &f->by_d, id2, fl.id, &f->e), 0);
	assert_int_not_equal(access(path, F_OK), 0);
	assert_int_equal(zb_disclosure_attach_remove(f->db, &f->app, &f->by_d, id2, fl.id, &f->e), ZB_ENOTFOUND);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_flow_db(void **state)
{
	fx *f = *state;
	int n;
	int64_t id = mk(f, 3, "finance", "2026-10", "十月财务");
	const char *D = "2026-11-05";
	/* no publish, no review before the approval */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, D), ZB_ECONFLICT);
	assert_int_equal(act(f, &f->by_t, &f->town, id, "review", NULL, D), ZB_ECONFLICT);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "approve", NULL, D), ZB_ECONFLICT); /* not submitted */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "submit", NULL, D), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "approve", NULL, D), ZB_EFORBIDDEN); /* the drafter */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, D), ZB_ECONFLICT);
	assert_int_equal(act(f, &f->by_a, &f->approver, id, "approve", NULL, D), 0);
	assert_int_equal(act(f, &f->by_a, &f->approver, id, "publish", NULL, D), ZB_ECONFLICT); /* not reviewed */
	assert_int_equal(act(f, &f->by_a, &f->approver, id, "review", NULL, D), ZB_EFORBIDDEN); /* not the township */
	assert_string_equal(status(f, id, &n), "approved");
	assert_int_equal(act(f, &f->by_t, &f->town, id, "review", NULL, D), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, D), 0);
	zb_disclosure d;
	zb_disclosure_step *s;
	assert_int_equal(zb_disclosure_get(f->db, id, &f->a, &d, &s, &n, &f->e), 0);
	assert_string_equal(d.status, "published");
	assert_string_equal(d.published_on, D);
	assert_string_equal(d.deadline, "2026-11-10");
	assert_int_equal(n, 5);
	const char *want[] = {"create", "submit", "approve", "review", "publish"};
	int64_t users[] = {101, 101, 102, 103, 101};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(s[i].action, want[i]);
		assert_int_equal(s[i].user_id, users[i]);
	}
	/* the failed steps wrote nothing: five audit rows of this item */
	int64_t rows = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &rows,
	                           "SELECT count(*) FROM audit_log WHERE object_type = 'disclosure' AND object_id = ?", "s",
	                           "1"),
	                 0);
	assert_int_equal(rows, 5);
	/* withdrawal: only with a reason, keeps every step */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "withdraw", NULL, D), ZB_EINVAL);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "withdraw", "", D), ZB_EINVAL);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "withdraw", "金额有误", D), 0);
	assert_int_equal(zb_disclosure_get(f->db, id, &f->a, &d, &s, &n, &f->e), 0);
	assert_string_equal(d.status, "withdrawn");
	assert_string_equal(d.withdraw_reason, "金额有误");
	assert_int_equal(n, 6);
	assert_string_equal(s[5].reason, "金额有误");
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "publish", NULL, D), ZB_ECONFLICT);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "withdraw", "再撤", D), ZB_ECONFLICT);
	/* refusal returns it to draft, by the branch or by the township */
	int64_t id2 = mk(f, 3, "village", "2026-Q3", "三季度村务");
	assert_int_equal(act(f, &f->by_d, &f->drafter, id2, "submit", NULL, D), 0);
	assert_int_equal(act(f, &f->by_a, &f->approver, id2, "refuse", NULL, D), ZB_EINVAL);
	assert_int_equal(act(f, &f->by_a, &f->approver, id2, "refuse", "缺附表", D), 0);
	assert_string_equal(status(f, id2, &n), "draft");
	assert_int_equal(act(f, &f->by_d, &f->drafter, id2, "submit", NULL, D), 0);
	assert_int_equal(act(f, &f->by_a, &f->approver, id2, "approve", NULL, D), 0);
	assert_int_equal(act(f, &f->by_a, &f->approver, id2, "refuse", "村里退回", D), ZB_EFORBIDDEN);
	assert_int_equal(act(f, &f->by_t, &f->town, id2, "refuse", "数据不符", D), 0);
	assert_string_equal(status(f, id2, &n), "draft");
	assert_int_equal(n, 6); /* create, submit, refuse, submit, approve, refuse */
	/* an unknown action */
	assert_int_equal(act(f, &f->by_d, &f->drafter, id2, "delete", NULL, D), ZB_EINVAL);
}

static void test_pii_db(void **state)
{
	fx *f = *state;
	char id_no[19], body[96];
	id_of("11010119900307123", id_no);
	snprintf(body, sizeof body, "领款人 %s", id_no);
	zb_disclosure_in in = {"finance", "2026-10", "十月", body, NULL};
	int64_t id;
	assert_int_equal(zb_disclosure_create(f->db, &f->app, &f->by_d, 3, &in, fixed_now(), &id, &f->e), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "submit", NULL, "2026-11-02"), ZB_EINVAL);
	assert_string_equal(f->e.field, "body");
	zb_disclosure_in fix = {.body = "领款人 110101********1234"};
	assert_int_equal(zb_disclosure_edit(f->db, &f->app, &f->by_d, id, &fix, fixed_now(), &f->e), 0);
	/* a kind that does not exist, or one the period kept does not fit */
	zb_disclosure_in k1 = {.kind = "money"};
	assert_int_equal(zb_disclosure_edit(f->db, &f->app, &f->by_d, id, &k1, fixed_now(), &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "kind");
	zb_disclosure_in k2 = {.kind = "village"};
	assert_int_equal(zb_disclosure_edit(f->db, &f->app, &f->by_d, id, &k2, fixed_now(), &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "period");
	zb_disclosure_in k3 = {.kind = "village", .period = "2026-Q3"};
	assert_int_equal(zb_disclosure_edit(f->db, &f->app, &f->by_d, id, &k3, fixed_now(), &f->e), 0);
	assert_int_equal(act(f, &f->by_d, &f->drafter, id, "submit", NULL, "2026-11-02"), 0);
	/* only a draft is edited */
	assert_int_equal(zb_disclosure_edit(f->db, &f->app, &f->by_d, id, &fix, fixed_now(), &f->e), ZB_ECONFLICT);
	/* only a village drafts */
	zb_disclosure_in g = {"finance", "2026-10", "小组", "", NULL};
	assert_int_equal(zb_disclosure_create(f->db, &f->app, &f->by_d, 4, &g, fixed_now(), &id, &f->e), ZB_EINVAL);
	assert_int_equal(zb_disclosure_create(f->db, &f->app, &f->by_d, 2, &g, fixed_now(), &id, &f->e), ZB_EINVAL);
}

static void test_public_and_overdue_db(void **state)
{
	fx *f = *state;
	/* 东村: 2025 财务 every month on its deadline, but November a day late
	 * and December not at all; 西村: nothing but a draft */
	for (int m = 1; m <= 11; m++) {
		char per[32], title[32], unit, first[11], last[11], dl[11];
		snprintf(per, sizeof per, "2025-%02d", m);
		snprintf(title, sizeof title, "2025年%d月财务", m);
		zb_disclose_period(per, &unit, first, last);
		zb_disclose_deadline(last, 10, dl);
		if (m == 11)
			zb_date_add_days(dl, 1, dl);
		publish(f, mk(f, 3, "finance", per, title), dl);
	}
	int64_t draft = mk(f, 30, "finance", "2025-01", "西村草稿");
	int64_t south = mk(f, 6, "finance", "2025-01", "南村一月");
	zb_principal county;
	zb_grant cg;
	zb_audit_ev cby;
	principal(&county, &cg, &cby, 104, "county", "/1/");
	assert_int_equal(act(f, &cby, &county, south, "submit", NULL, "2025-02-01"), 0);
	/* the public list: one village, published only */
	zb_disclosure *rows;
	int n;
	assert_int_equal(zb_disclosure_public(f->db, 3, 60, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 11);
	for (int i = 0; i < n; i++) {
		assert_int_equal(rows[i].org_id, 3);
		assert_string_equal(rows[i].status, "published");
	}
	assert_int_equal(zb_disclosure_public(f->db, 30, 60, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 0);
	(void)draft;
	/* the list of the township: both villages, late marked by the deadline */
	assert_int_equal(zb_disclosure_list(f->db, "/1/2/", NULL, "finance", 0, 50, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 12);
	assert_string_equal(rows[1].period, "2025-11");
	assert_true(strcmp(rows[1].published_on, rows[1].deadline) > 0);
	/* overdue on 2026-01-10 (December's deadline): nothing of December yet */
	zb_disclose_overdue *o;
	int villages;
	assert_int_equal(zb_disclosure_overdue(f->db, "/1/2/", 2025, "2026-01-10", &f->a, &o, &n, &villages, &f->e), 0);
	int east_fin = 0, west = 0;
	for (int i = 0; i < n; i++) {
		if (o[i].org_id == 3 && !strcmp(o[i].kind, "finance"))
			east_fin++;
		west += o[i].org_id == 30;
		assert_true(o[i].org_id == 3 || o[i].org_id == 30); /* not the group, not 南村 */
	}
	assert_int_equal(east_fin, 0);   /* November published late is not overdue */
	assert_int_equal(west, 11 + 3 + 3); /* every period but those ending in December */
	/* a day later December is overdue */
	assert_int_equal(zb_disclosure_overdue(f->db, "/1/2/", 2025, "2026-01-11", &f->a, &o, &n, &villages, &f->e), 0);
	east_fin = 0;
	for (int i = 0; i < n; i++)
		if (o[i].org_id == 3 && !strcmp(o[i].kind, "finance")) {
			east_fin++;
			assert_string_equal(o[i].period, "2025-12");
			assert_string_equal(o[i].deadline, "2026-01-10");
		}
	assert_int_equal(east_fin, 1);
	assert_int_equal(villages, 2);
	/* the queue of the county: 南村's submitted item */
	assert_int_equal(zb_disclosure_queue(f->db, "/1/", 0, 50, &f->a, &rows, &n, &f->e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, south);
}

static void test_demo_db(void **state)
{
	fx *f = *state;
	/* three villages under the township are enough to see the variety */
	int made = 0;
	assert_int_equal(zb_disclose_demo(f->db, &f->app, 1, &made, &f->e), 0);
	assert_true(made > 3 * 15);
	int64_t v[6];
	assert_int_equal(zb_db_one(f->db, &f->e, NULL, zb_row_ints, v,
	                           "SELECT (SELECT count(*) FROM disclosures WHERE status = 'published'), "
	                           "(SELECT count(*) FROM disclosures WHERE status = 'draft'), "
	                           "(SELECT count(*) FROM disclosures WHERE status = 'withdrawn'), "
	                           "(SELECT count(*) FROM disclosures WHERE org_id = 4), "
	                           "(SELECT count(*) FROM disclosure_steps), "
	                           "(SELECT count(*) FROM audit_log WHERE action LIKE 'disclosure.%')",
	                           ""),
	                 0);
	assert_true(v[0] > 3 * 12);
	assert_int_equal(v[1], 1);
	assert_int_equal(v[2], 1);
	assert_int_equal(v[3], 0); /* not the group */
	assert_int_equal(v[4], v[5]);
	/* the public list holds no ID or mobile number */
	zb_disclosure *rows;
	int n;
	assert_int_equal(zb_disclosure_public(f->db, 3, 60, &f->a, &rows, &n, &f->e), 0);
	assert_true(n > 10);
	for (int i = 0; i < n; i++)
		assert_int_equal(zb_disclose_pii_check(rows[i].title, rows[i].body, rows[i].tables, 20261207, &f->e), 0);
}

#define DB_TESTS                                                                                          \
	cmocka_unit_test_setup_teardown(test_flow_db, setup, teardown),                                   \
		cmocka_unit_test_setup_teardown(test_pii_db, setup, teardown),                            \
		cmocka_unit_test_setup_teardown(test_attach_db, setup, teardown),                            \
		cmocka_unit_test_setup_teardown(test_public_and_overdue_db, setup, teardown),             \
		cmocka_unit_test_setup_teardown(test_demo_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_periods),   cmocka_unit_test(test_period_check), cmocka_unit_test(test_validator),
		cmocka_unit_test(test_pii),       cmocka_unit_test(test_pii_check),    cmocka_unit_test(test_tables),
		cmocka_unit_test(test_attach_confirm),
	};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("disclose", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("disclose_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("disclose_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_disclose: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
