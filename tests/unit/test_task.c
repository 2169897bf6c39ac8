/* Unit tests for 工作任务 and 通知公告 (docs/TASKS.md): the title as the
 * duplicate check compares it; on a database: the resolution of targets
 * (all below, by type, by domain, chosen), the roll-up through a forward,
 * completion by a meeting held before or after the task was issued (and
 * not by one of another type or outside the window), the duplicate flag
 * and its confirmation, overdue at the due date's edge, reminders once a
 * day, the 大屏's subtree sum, and the receipts of a notice.  Database
 * tests run on SQLite and, when ZB_TEST_PG holds a postgres:// URI, on
 * PostgreSQL too. */
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
#include "task/task.h"
#include "task/tsql.h"
#include "dbfix.h"

static void test_title_norm(void **state)
{
	(void)state;
	char a[200], b[200];
	zb_task_title_norm("报送“两优一先” 推荐材料！", a, sizeof a);
	zb_task_title_norm("报送两优一先推荐材料", b, sizeof b);
	assert_string_equal(a, b);
	zb_task_title_norm("Report  (Q4), 2026.", a, sizeof a);
	assert_string_equal(a, "reportq42026");
	/* full-width letters, digits and signs are the ASCII ones; zero-width
	 * characters are nothing: a title typed on a phone keyboard, or pasted
	 * from a web page, is the same title */
	zb_task_title_norm("报送２０２６年第四季度ＱＡ表－－（汇总）", a, sizeof a);
	zb_task_title_norm("报送2026年第四季度qa表汇总", b, sizeof b);
	assert_string_equal(a, b);
	zb_task_title_norm("报送\u200b两优一先\ufeff推荐\u2060材料\u200d", a, sizeof a);
	assert_string_equal(a, "报送两优一先推荐材料");
	/* the last character counts: these are two things */
	zb_task_title_norm("报送党员名单", a, sizeof a);
	zb_task_title_norm("报送党员名册", b, sizeof b);
	assert_string_not_equal(a, b);
	assert_string_equal(a, "报送党员名单");
	/* cut to fit, never inside a character */
	zb_task_title_norm("党建工作", a, 8);
	assert_string_equal(a, "党建");
	zb_task_title_norm(NULL, a, sizeof a);
	assert_string_equal(a, "");
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
	zb_audit_ev by;
} fx;

static void org(fx *f, int64_t id, int64_t parent, const char *path, const char *type, const char *domain,
                const char *name)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 1, ?, ?, ?, 0, 0)",
	                           "iissss", id, parent, path, name, type, domain),
	                 0);
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	*state = f;
	zb_arena_init(&f->a);
	if (dbfix_open_empty("task", &f->db, &f->e))
		return -1;
	snprintf(f->key, sizeof f->key, "%s.key", dbfix_uri ? "/tmp/zb_test_task_pg" : dbfix_path);
	if (zb_app_init(&f->app, dbfix_uri ? dbfix_uri : dbfix_path, f->key, &f->e))
		return -1;
	f->app.now = fixed_now;
	setenv("ZHIBU_ADMIN_PASSWORD", "Zhibu-Test-Pass-2024x", 1);
	zb_init_result ir;
	if (zb_init_db(&f->app, f->db, "中共示范县委员会", "SFX", "test", &ir, &f->e)) {
		fprintf(stderr, "init: %s\n", f->e.msg);
		return -1;
	}
	/* /1/ county; /1/2/ a township with villages /1/2/3/ (and its group
	 * /1/2/3/4/) and /1/2/30/; /1/5/ a township with a community /1/5/6/ */
	org(f, 2, 1, "/1/2/", "committee", "rural", "甲镇党委");
	org(f, 3, 2, "/1/2/3/", "branch", "rural", "东村党支部");
	org(f, 30, 2, "/1/2/30/", "branch", "rural", "西村党支部");
	org(f, 4, 3, "/1/2/3/4/", "group", "rural", "东村第一党小组");
	org(f, 5, 1, "/1/5/", "committee", "rural", "乙镇党委");
	org(f, 6, 5, "/1/5/6/", "branch", "community", "南社区党支部");
	f->by = (zb_audit_ev){.user_id = 1, .username = "admin", .ip = "test"};
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

/* Issue a task of org as in json (title, due_on, targets, ...) on `today`;
 * the code; *id the task (0 when not created); *ndups the duplicates. */
static int issue(fx *f, int64_t org_id, const char *json, const char *today, int64_t *id, int *ndups)
{
	json_t *j = json_loads(json, 0, NULL);
	assert_non_null(j);
	zb_task_in in;
	zb_task_in_read(j, &in);
	in.org_id = org_id;
	zb_task_dup *d;
	int n = 0;
	int rc = zb_task_create(f->db, &f->app, &f->by, &in, today, fixed_now(), &f->a, id, &d, &n, &f->e);
	if (ndups)
		*ndups = n;
	json_decref(j);
	return rc;
}

static int64_t issued(fx *f, int64_t org_id, const char *json)
{
	int64_t id = 0;
	assert_int_equal(issue(f, org_id, json, "2026-12-07", &id, NULL), 0);
	assert_true(id > 0);
	return id;
}

static int64_t target_at(fx *f, int64_t task, int64_t org_id)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id, "SELECT id FROM task_targets WHERE task_id = ? AND org_id = ?", "ii",
	                           task, org_id),
	                 0);
	return id;
}

/* The task's targets as "3,30" (by org path). */
static const char *targets_of(fx *f, int64_t task)
{
	zb_task_target *t;
	int n;
	assert_int_equal(zb_task_targets(f->db, task, "2026-12-07", &f->a, &t, &n, &f->e), 0);
	char *s = zb_arena_alloc(&f->a, 200);
	for (int i = 0; i < n; i++)
		snprintf(s + strlen(s), 200 - strlen(s), "%s%lld", i ? "," : "", (long long)t[i].org_id);
	return s;
}

static void test_targets_db(void **state)
{
	fx *f = *state;
	assert_string_equal(targets_of(f, issued(f, 1, "{\"title\":\"a\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"all\"}}")),
	                    "2,5");
	assert_string_equal(
		targets_of(f, issued(f, 1, "{\"title\":\"b\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"type\",\"types\":[\"branch\"]}}")),
		"3,30,6");
	assert_string_equal(targets_of(f, issued(f, 1, "{\"title\":\"c\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"domain\","
	                                               "\"domains\":[\"rural\"],\"types\":[\"branch\",\"group\"]}}")),
	                    "3,4,30");
	assert_string_equal(targets_of(f, issued(f, 1, "{\"title\":\"d\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"domain\","
	                                               "\"domains\":[\"community\"]}}")),
	                    "6");
	assert_string_equal(targets_of(f, issued(f, 2, "{\"title\":\"e\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"orgs\","
	                                               "\"org_ids\":[30,3,30]}}")),
	                    "3,30");
	/* a dissolved org is no target */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE orgs SET dissolved_on = '2026-01-01' WHERE id = 30", ""), 0);
	assert_string_equal(targets_of(f, issued(f, 2, "{\"title\":\"f\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"all\"}}")),
	                    "3");
	int64_t id;
	struct {
		int64_t org;
		const char *json, *field;
		int rc;
	} bad[] = {
		{2, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"orgs\",\"org_ids\":[6]}}", "targets.org_ids", ZB_ENOTFOUND},
		{2, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"orgs\",\"org_ids\":[2]}}", "targets.org_ids", ZB_ENOTFOUND},
		{6, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"all\"}}", "targets", ZB_EINVAL},
		{1, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"type\",\"types\":[]}}", "targets.types", ZB_EINVAL},
		{1, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"domain\",\"domains\":[\"moon\"]}}", "targets.domains", ZB_EINVAL},
		{1, "{\"title\":\"x\",\"due_on\":\"2026-12-06\",\"targets\":{\"mode\":\"all\"}}", "due_on", ZB_EINVAL},
		{1, "{\"title\":\"x\",\"due_on\":\"2026-12-20\",\"kind\":\"dues\",\"link\":{\"period\":\"2026-13\"},\"targets\":{\"mode\":\"all\"}}", "link.period", ZB_EINVAL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(issue(f, bad[i].org, bad[i].json, "2026-12-07", &id, NULL), bad[i].rc);
		assert_string_equal(f->e.field, bad[i].field);
	}
	/* the due date may be today */
	assert_int_equal(issue(f, 1, "{\"title\":\"g\",\"due_on\":\"2026-12-07\",\"targets\":{\"mode\":\"all\"}}", "2026-12-07", &id, NULL),
	                 0);
}

static void progress(fx *f, int64_t task, int64_t under, const char *today, int64_t assigned, int64_t done,
                     int64_t overdue)
{
	zb_task_rollup p;
	assert_int_equal(zb_task_progress(f->db, task, under, today, &f->a, &p, &f->e), 0);
	assert_int_equal(p.assigned, assigned);
	assert_int_equal(p.done, done);
	assert_int_equal(p.overdue, overdue);
}

static void reply(fx *f, int64_t target, const char *text, int rc)
{
	assert_int_equal(zb_task_reply(f->db, &f->app, &f->by, target, text, NULL, "2026-12-07", fixed_now(), &f->e), rc);
}

static void test_forward_db(void **state)
{
	fx *f = *state;
	int64_t t = issued(f, 1, "{\"title\":\"冬训总结\",\"body\":\"请报送\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"all\"}}");
	progress(f, t, 0, "2026-12-07", 2, 0, 0);
	/* the township passes it to its villages */
	json_t *tg = json_pack("{s:s}", "mode", "all");
	zb_task_in in = {.targets = tg, .body = "镇里补充：附照片"};
	int64_t fw = 0;
	zb_task_dup *d;
	int nd;
	assert_int_equal(zb_task_forward(f->db, &f->app, &f->by, target_at(f, t, 2), &in, "2026-12-07", fixed_now(), &f->a,
	                                 &fw, &d, &nd, &f->e),
	                 0);
	assert_true(fw > 0);
	zb_task ft;
	assert_int_equal(zb_task_get(f->db, fw, &f->a, &ft, &f->e), 0);
	assert_int_equal(ft.parent_id, t);
	assert_int_equal(ft.root_id, t);
	assert_string_equal(ft.title, "冬训总结");
	assert_string_equal(ft.due_on, "2026-12-20");
	assert_non_null(strstr(ft.body, "镇里补充"));
	/* twice: refused; a due date after the county's: refused */
	int64_t x;
	assert_int_equal(zb_task_forward(f->db, &f->app, &f->by, target_at(f, t, 2), &in, "2026-12-07", fixed_now(), &f->a,
	                                 &x, &d, &nd, &f->e),
	                 ZB_ECONFLICT);
	in.due_on = "2026-12-21";
	assert_int_equal(zb_task_forward(f->db, &f->app, &f->by, target_at(f, t, 5), &in, "2026-12-07", fixed_now(), &f->a,
	                                 &x, &d, &nd, &f->e),
	                 ZB_EINVAL);
	assert_string_equal(f->e.field, "due_on");
	json_decref(tg);
	/* the county counts the villages instead of the township */
	progress(f, t, 0, "2026-12-07", 3, 0, 0);
	reply(f, target_at(f, t, 2), "转发了", ZB_ECONFLICT);
	reply(f, target_at(f, fw, 3), "", ZB_EINVAL);
	reply(f, target_at(f, fw, 3), "已报送", 0);
	progress(f, t, 0, "2026-12-07", 3, 1, 0);
	progress(f, t, 2, "2026-12-07", 2, 1, 0);
	progress(f, fw, 0, "2026-12-07", 2, 1, 0);
	zb_task_rollup p;
	assert_int_equal(zb_task_progress(f->db, t, 0, "2026-12-07", &f->a, &p, &f->e), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.rows[0].org_id, 2);
	assert_string_equal(p.rows[0].state, "forwarded");
	assert_true(p.rows[0].has_below);
	/* drill-down outside the task: not found */
	assert_int_equal(zb_task_progress(f->db, fw, 5, "2026-12-07", &f->a, &p, &f->e), ZB_ENOTFOUND);
	assert_string_equal(f->e.field, "under");
	/* all villages done: the township's own target is done */
	reply(f, target_at(f, fw, 30), "已报送", 0);
	reply(f, target_at(f, t, 5), "已报送", 0);
	zb_task tk;
	zb_task_target tt;
	assert_int_equal(zb_task_target_get(f->db, target_at(f, t, 2), "2026-12-07", &f->a, &tk, &tt, &f->e), 0);
	assert_string_equal(tt.state, "done");
	progress(f, t, 0, "2026-12-07", 3, 3, 0);
	/* a reply edited keeps its first day */
	assert_int_equal(zb_task_reply(f->db, &f->app, &f->by, target_at(f, t, 5), "改", NULL, "2026-12-09", fixed_now(), &f->e),
	                 0);
	assert_int_equal(zb_task_target_get(f->db, target_at(f, t, 5), "2026-12-09", &f->a, &tk, &tt, &f->e), 0);
	assert_string_equal(tt.replied_on, "2026-12-07");
	assert_string_equal(tt.reply, "改");
}

static void meeting(fx *f, int64_t org_id, const char *path, const char *type, const char *day)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO meetings (org_id, org_path, type, start_at, held_on, held_ym, created_at, "
	                           "updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)",
	                           "issisi", org_id, path, type, (int64_t)zb_date_days(day) * 86400, day,
	                           (int64_t)(atoi(day) * 100 + atoi(day + 5))),
	                 0);
}

static void test_link_db(void **state)
{
	fx *f = *state;
	/* held before the task was issued: done at once; one of another type,
	 * or outside the window, does not count */
	meeting(f, 3, "/1/2/3/", "theme_day", "2026-12-01");
	meeting(f, 30, "/1/2/30/", "lecture", "2026-12-02");
	meeting(f, 6, "/1/5/6/", "theme_day", "2026-11-30");
	int64_t t = issued(f, 1, "{\"title\":\"12月主题党日\",\"due_on\":\"2026-12-20\",\"kind\":\"meeting\","
	                         "\"link\":{\"type\":\"theme_day\",\"from\":\"2026-12-01\",\"to\":\"2026-12-31\"},"
	                         "\"targets\":{\"mode\":\"type\",\"types\":[\"branch\"]}}");
	progress(f, t, 0, "2026-12-07", 3, 1, 0);
	zb_task tk;
	zb_task_target tt;
	assert_int_equal(zb_task_target_get(f->db, target_at(f, t, 3), "2026-12-07", &f->a, &tk, &tt, &f->e), 0);
	assert_string_equal(tt.state, "done");
	assert_string_equal(tt.done_on, "2026-12-01");
	/* nothing to type for a task a record completes */
	reply(f, target_at(f, t, 30), "开了", ZB_ECONFLICT);
	/* held after it was issued, by a group of the branch: counts for the branch */
	meeting(f, 4, "/1/2/3/4/", "theme_day", "2026-12-10");
	meeting(f, 30, "/1/2/30/", "theme_day", "2026-12-15");
	progress(f, t, 0, "2026-12-16", 3, 2, 0);
	/* late is still done; the one without a meeting is overdue after the 20th */
	meeting(f, 6, "/1/5/6/", "theme_day", "2026-12-22");
	progress(f, t, 0, "2026-12-21", 3, 3, 0);

	/* dues: payments recorded for the month by the branch's members */
	int64_t d = issued(f, 2, "{\"title\":\"11月党费\",\"due_on\":\"2026-12-20\",\"kind\":\"dues\",\"link\":{\"period\":\"2026-11\"},"
	                         "\"targets\":{\"mode\":\"all\"}}");
	progress(f, d, 0, "2026-12-07", 2, 0, 0);
	int64_t m = 0, p = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &m,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, category, status, created_at, updated_at) "
	                           "VALUES (3, '/1/2/3/', '张三', 'zhangsan', 'zs', '', 'full', 'normal', 0, 0) RETURNING id",
	                           ""),
	                 0);
	assert_int_equal(zb_db_int(f->db, &f->e, &p,
	                           "INSERT INTO dues_payments (member_id, kind, amount_fen, paid_on, method, created_at) "
	                           "VALUES (?, 'monthly', 500, '2026-12-03', 'cash', 0) RETURNING id",
	                           "i", m),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO dues_lines (payment_id, member_id, ym, amount_fen) VALUES (?, ?, 202610, 500)",
	                           "ii", p, m),
	                 0);
	progress(f, d, 0, "2026-12-07", 2, 0, 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO dues_lines (payment_id, member_id, ym, amount_fen) VALUES (?, ?, 202611, 500)",
	                           "ii", p, m),
	                 0);
	progress(f, d, 0, "2026-12-07", 2, 1, 0);
}

/* Overdue: not done after the due date; on the due date itself not yet. */
static void test_overdue_db(void **state)
{
	fx *f = *state;
	int64_t t = issued(f, 2, "{\"title\":\"报送材料\",\"due_on\":\"2026-12-10\",\"targets\":{\"mode\":\"all\"}}");
	progress(f, t, 0, "2026-12-10", 2, 0, 0);
	progress(f, t, 0, "2026-12-11", 2, 0, 2);
	reply(f, target_at(f, t, 3), "已报送", 0);
	progress(f, t, 0, "2026-12-11", 2, 1, 1);
	int64_t a, d, o;
	assert_int_equal(zb_task_subtree_sum(f->db, "/1/", "2026-12-11", &a, &d, &o, &f->e), 0);
	assert_int_equal(a, 2);
	assert_int_equal(d, 1);
	assert_int_equal(o, 1);
	assert_int_equal(zb_task_subtree_sum(f->db, "/1/2/30/", "2026-12-11", &a, &d, &o, &f->e), 0);
	assert_int_equal(a, 1);
	assert_int_equal(o, 1);
	assert_int_equal(zb_task_subtree_sum(f->db, "/1/5/", "2026-12-11", &a, &d, &o, &f->e), 0);
	assert_int_equal(a, 0);
	/* tasks due in an earlier year are left out */
	assert_int_equal(zb_task_subtree_sum(f->db, "/1/", "2027-01-02", &a, &d, &o, &f->e), 0);
	assert_int_equal(a, 0);
	/* reminders: the ones not done, once a day */
	int64_t pending = 0;
	assert_int_equal(zb_task_remind(f->db, &f->app, &f->by, t, "2026-12-11", fixed_now(), &pending, &f->e), 0);
	assert_int_equal(pending, 1);
	assert_int_equal(zb_task_remind(f->db, &f->app, &f->by, t, "2026-12-11", fixed_now(), &pending, &f->e), ZB_ECONFLICT);
	zb_task tk;
	zb_task_target tt;
	assert_int_equal(zb_task_target_get(f->db, target_at(f, t, 30), "2026-12-11", &f->a, &tk, &tt, &f->e), 0);
	assert_string_equal(tt.reminded_on, "2026-12-11");
	assert_string_equal(tt.state, "overdue");
	assert_int_equal(zb_task_target_get(f->db, target_at(f, t, 3), "2026-12-11", &f->a, &tk, &tt, &f->e), 0);
	assert_null(tt.reminded_on);
	assert_int_equal(zb_task_remind(f->db, &f->app, &f->by, t, "2026-12-12", fixed_now(), &pending, &f->e), 0);
}

static void test_duplicate_db(void **state)
{
	fx *f = *state;
	int64_t first = issued(f, 2, "{\"title\":\"报送“两优一先”推荐材料\",\"due_on\":\"2026-12-20\",\"targets\":{\"mode\":\"orgs\",\"org_ids\":[30]}}");
	int64_t id = 0;
	int nd = 0;
	const char *again = "{\"title\":\"报送 两优一先 推荐材料\",\"due_on\":\"2026-12-28\",\"targets\":{\"mode\":\"type\",\"types\":[\"branch\"]}";
	assert_int_equal(issue(f, 1, zb_arena_printf(&f->a, "%s}", again), "2026-12-07", &id, &nd), 0);
	assert_int_equal(id, 0);
	assert_int_equal(nd, 1);
	/* nothing was written */
	int64_t n = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM tasks", ""), 0);
	assert_int_equal(n, 1);
	assert_int_equal(issue(f, 1, zb_arena_printf(&f->a, "%s,\"confirm_duplicate\":true}", again), "2026-12-07", &id, &nd), 0);
	assert_true(id > first);
	assert_int_equal(nd, 1);
	/* another month, or once done: no longer the same open task */
	assert_int_equal(issue(f, 2, "{\"title\":\"报送两优一先推荐材料\",\"due_on\":\"2027-01-05\",\"targets\":{\"mode\":\"orgs\",\"org_ids\":[30]}}",
	                       "2026-12-07", &id, &nd),
	                 0);
	assert_int_equal(nd, 0);
	reply(f, target_at(f, first, 30), "已报送", 0);
	assert_int_equal(issue(f, 2, "{\"title\":\"报送两优一先推荐材料\",\"due_on\":\"2026-12-31\",\"targets\":{\"mode\":\"orgs\",\"org_ids\":[30]}}",
	                       "2026-12-07", &id, &nd),
	                 0);
	assert_int_equal(nd, 1); /* the county's (open at /1/2/30/) still is */
	/* the same link kind and period, whatever the title */
#define DUES(title)                                                                                     \
	"{\"title\":\"" title "\",\"due_on\":\"2026-12-20\",\"kind\":\"dues\",\"link\":{\"period\":\"2026-11\"}," \
	"\"targets\":{\"mode\":\"orgs\",\"org_ids\":[6]}}"
	issued(f, 5, DUES("收缴11月党费"));
	assert_int_equal(issue(f, 1, DUES("党费收缴情况"), "2026-12-07", &id, &nd), 0);
	assert_int_equal(id, 0);
	assert_int_equal(nd, 1);
}

static void test_form_db(void **state)
{
	fx *f = *state;
	int64_t t = issued(f, 2, "{\"title\":\"冬训情况\",\"due_on\":\"2026-12-20\",\"kind\":\"form\",\"targets\":{\"mode\":\"orgs\","
	                         "\"org_ids\":[3]},\"form\":[{\"label\":\"人数\",\"type\":\"number\",\"required\":true},"
	                         "{\"key\":\"way\",\"label\":\"形式\",\"type\":\"choice\",\"options\":[\"线上\",\"线下\"]}]}");
	int64_t tg = target_at(f, t, 3);
	json_t *v = json_pack("{s:s}", "way", "线下");
	assert_int_equal(zb_task_reply(f->db, &f->app, &f->by, tg, NULL, v, "2026-12-07", fixed_now(), &f->e), ZB_EINVAL);
	assert_string_equal(f->e.field, "values.f1");
	assert_non_null(strstr(f->e.msg, "人数"));
	json_object_set_new(v, "f1", json_string("3.5"));
	assert_int_equal(zb_task_reply(f->db, &f->app, &f->by, tg, NULL, v, "2026-12-07", fixed_now(), &f->e), 0);
	zb_task tk;
	zb_task_target tt;
	assert_int_equal(zb_task_target_get(f->db, tg, "2026-12-07", &f->a, &tk, &tt, &f->e), 0);
	assert_string_equal(tt.form_values, "{\"f1\":3.5,\"way\":\"线下\"}");
	assert_string_equal(tt.state, "done");
	json_decref(v);
}

static void user(fx *f, int64_t id, const char *name, const char *role, int64_t org, int64_t member)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO users (id, username, display_name, pw_hash, member_id, created_at, updated_at) "
	                           "VALUES (?, ?, ?, 'x', ?, 0, 0)",
	                           "issI", id, name, name, member),
	                 0);
	if (role)
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?, ?, ?, 0)", "isi",
		                           id, role, org),
		                 0);
}

static void test_notice_db(void **state)
{
	fx *f = *state;
	int64_t m = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &m,
	                           "INSERT INTO members (org_id, org_path, name, name_pinyin, name_initials, sort_key, category, status, created_at, updated_at) "
	                           "VALUES (3, '/1/2/3/', '李四', 'lisi', 'ls', '', 'full', 'normal', 0, 0) RETURNING id",
	                           ""),
	                 0);
	user(f, 101, "town", "org_admin", 2, 0);
	user(f, 102, "sec3", "party_worker", 3, 0);
	user(f, 103, "sec30", "party_worker", 30, 0);
	user(f, 104, "mem", "member", 3, m);
	user(f, 105, "other", "party_worker", 6, 0);
	user(f, 106, "sys", "sys_admin", 2, 0);
	int64_t id = 0;
	assert_int_equal(zb_notice_create(f->db, &f->app, &f->by, 2, "冬训通知", "正文", NULL, fixed_now(), &id, &f->e), 0);
	zb_notice_rcpt *r;
	zb_notice_org *g;
	int n, ng;
	assert_int_equal(zb_notice_receipts(f->db, id, &f->a, &r, &n, &g, &ng, &f->e), 0);
	assert_int_equal(n, 4); /* town, sec3, sec30, mem: not the other township, not an administrator */
	assert_int_equal(ng, 3);
	zb_audit_ev mem = {.user_id = 104, .username = "mem", .ip = "test"};
	assert_int_equal(zb_notice_read(f->db, &f->app, &mem, id, fixed_now(), &f->e), 0);
	assert_int_equal(zb_notice_read(f->db, &f->app, &mem, id, fixed_now() + 60, &f->e), 0);
	zb_audit_ev other = {.user_id = 105, .username = "other", .ip = "test"};
	assert_int_equal(zb_notice_read(f->db, &f->app, &other, id, fixed_now(), &f->e), 0);
	assert_int_equal(zb_notice_receipts(f->db, id, &f->a, &r, &n, &g, &ng, &f->e), 0);
	assert_int_equal(n, 4);
	assert_int_equal(r[3].user_id, 104); /* read: last */
	assert_int_equal(r[3].read_at, fixed_now());
	assert_int_equal(r[0].read_at, 0);
	/* by type: the committees only */
	json_t *types = json_pack("[s]", "committee");
	assert_int_equal(zb_notice_create(f->db, &f->app, &f->by, 1, "致各镇", NULL, types, fixed_now(), &id, &f->e), 0);
	assert_int_equal(zb_notice_receipts(f->db, id, &f->a, &r, &n, &g, &ng, &f->e), 0);
	assert_int_equal(n, 2); /* the township's account and the county's first administrator */
	assert_int_equal(r[0].user_id + r[1].user_id, 101 + 1);
	json_decref(types);
	zb_inbox in;
	assert_int_equal(zb_inbox_get(f->db, 104, m, NULL, 0, "2026-12-07", fixed_now(), &f->a, &in, &f->e), 0);
	assert_int_equal(in.nnotices, 1);
	assert_int_equal(in.unread, 0);
	assert_int_equal(zb_inbox_get(f->db, 101, 0, NULL, 0, "2026-12-07", fixed_now(), &f->a, &in, &f->e), 0);
	assert_int_equal(in.nnotices, 2);
	assert_int_equal(in.unread, 2);
}

#define DB_TESTS                                                                                   \
	cmocka_unit_test_setup_teardown(test_targets_db, setup, teardown),                         \
		cmocka_unit_test_setup_teardown(test_forward_db, setup, teardown),                 \
		cmocka_unit_test_setup_teardown(test_link_db, setup, teardown),                    \
		cmocka_unit_test_setup_teardown(test_overdue_db, setup, teardown),                 \
		cmocka_unit_test_setup_teardown(test_duplicate_db, setup, teardown),               \
		cmocka_unit_test_setup_teardown(test_form_db, setup, teardown),                    \
		cmocka_unit_test_setup_teardown(test_notice_db, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest pure[] = {cmocka_unit_test(test_title_norm)};
	const struct CMUnitTest db[] = {DB_TESTS};
	int failed = cmocka_run_group_tests_name("task", pure, NULL, NULL);
	dbfix_uri = NULL;
	failed += cmocka_run_group_tests_name("task_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("task_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_task: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
