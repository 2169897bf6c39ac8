/* Unit tests for the administration of accounts (src/auth/users.h) and
 * the org path of objects (src/org/scopefind.h): grants and their
 * refusals, dual control with its second administrator, the account
 * list by subtree, and each change's audit row.  On SQLite, and on
 * PostgreSQL when ZB_TEST_PG is set. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/users.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "dbfix.h"
#include "org/org.h"
#include "org/scopefind.h"
#include "org/structure.h"

static int64_t clock_fn(void) { return 1800000000; }

/* Two orgs, /1/ and /1/2/; two security administrators and a system
 * administrator at the top, and bob without a grant. */
typedef struct fx {
	int64_t root, branch;
	int64_t sec1, sec2, sys1, bob;
	zb_db *db;
	zb_app app;
	zb_arena a;
	zb_err e;
} fx;

static int64_t add_user(fx *f, const char *name)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO users (username, display_name, pw_hash, created_at, updated_at) "
	                           "VALUES (?,?,'x',1,1) RETURNING id",
	                           "ss", name, name),
	                 0);
	return id;
}

static void add_grant(fx *f, int64_t uid, const char *role, int64_t org)
{
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?,?,?,1)", "isi", uid,
	                           role, org),
	                 0);
}

static int64_t count(fx *f, const char *sql, const char *fmt, int64_t arg)
{
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, sql, fmt, arg), 0);
	return n;
}

static int64_t audit_rows(fx *f, const char *action)
{
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "s", action), 0);
	return n;
}

static zb_principal *who(fx *f, int64_t uid)
{
	zb_principal *p = NULL;
	assert_int_equal(zb_principal_load(f->db, uid, &f->a, &p, &f->e), 0);
	return p;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f || dbfix_open("admin", &f->db, &f->e))
		return -1;
	f->app.cfg = (zb_config){.hash_concurrency = 2};
	f->app.now = clock_fn;
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 3 + 11);
	if (zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e))
		return -1;
	zb_arena_init(&f->a);
	zb_org root = {.name = "县委", .type = "committee"}, branch = {.name = "一支部", .type = "branch"};
	if (zb_org_insert(f->db, 1, 0, &root, &f->root, &f->e) ||
	    zb_org_insert(f->db, 1, f->root, &branch, &f->branch, &f->e)) {
		fprintf(stderr, "fixture: %s\n", f->e.msg);
		return -1;
	}
	*state = f;
	f->sec1 = add_user(f, "sec1");
	f->sec2 = add_user(f, "sec2");
	f->sys1 = add_user(f, "sys1");
	f->bob = add_user(f, "bob");
	add_grant(f, f->sec1, "sec_admin", f->root);
	add_grant(f, f->sec2, "sec_admin", f->root);
	add_grant(f, f->sys1, "sys_admin", f->root);
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

/* Each kind finds its object's org; a missing object is the 404 of one
 * outside the caller's scope; an account lies where its nearest-the-top
 * grant is, or at the root without one. */
static void test_obj_path(void **state)
{
	fx *f = *state;
	const char *path = NULL;
	zb_err e = {0};
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_ORG, f->branch, &f->a, &path, &e), 0);
	assert_string_equal(path, "/1/2/");
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_MEMBER, 999, &f->a, &path, &e), ZB_ENOTFOUND);
	assert_null(path);
	assert_string_equal(e.msg, "未找到该对象，或不在您的管理范围内");
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_USER, f->bob, &f->a, &path, &e), 0);
	assert_string_equal(path, "/1/");
	add_grant(f, f->bob, "party_worker", f->branch);
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_USER, f->bob, &f->a, &path, &e), 0);
	assert_string_equal(path, "/1/2/");
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_USER, 999, &f->a, &path, &e), ZB_ENOTFOUND);
	int64_t gid = count(f, "SELECT id FROM grants WHERE user_id = ?", "i", f->bob);
	assert_int_equal(zb_obj_path(f->db, ZB_OBJ_GRANT, gid, &f->a, &path, &e), 0);
	assert_string_equal(path, "/1/2/");
}

/* Grants: never to oneself, never an administrator role, not twice; a
 * business grant is made at once and audited; an administrator's grant is
 * not revoked through here. */
static void test_grant_and_revoke(void **state)
{
	fx *f = *state;
	zb_principal *sec1 = who(f, f->sec1);
	int64_t gid = -1, pending = -1;
	zb_err e = {0};
	assert_int_equal(zb_grant_add(&f->app, f->db, sec1, "10.0.0.1", f->sec1, "party_worker", f->branch, "/1/2/", &gid,
	                              &pending, &e),
	                 ZB_EFORBIDDEN);
	memset(&e, 0, sizeof e);
	assert_int_equal(zb_grant_add(&f->app, f->db, sec1, "10.0.0.1", f->bob, "sys_admin", f->root, "/1/", &gid, &pending,
	                              &e),
	                 ZB_EFORBIDDEN);
	assert_string_equal(e.field, "role");
	int64_t created = audit_rows(f, "grant.create");
	memset(&e, 0, sizeof e);
	assert_int_equal(zb_grant_add(&f->app, f->db, sec1, "10.0.0.1", f->bob, "party_worker", f->branch, "/1/2/", &gid,
	                              &pending, &e),
	                 0);
	assert_true(gid > 0);
	assert_int_equal(pending, 0);
	assert_int_equal(audit_rows(f, "grant.create"), created + 1);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM grants WHERE id = ?", "i", gid), 1);
	int64_t again = -1;
	assert_int_equal(zb_grant_add(&f->app, f->db, sec1, "10.0.0.1", f->bob, "party_worker", f->branch, "/1/2/", &again,
	                              &pending, &e),
	                 ZB_ECONFLICT);
	assert_int_equal(again, 0);
	assert_int_equal(zb_grant_revoke(&f->app, f->db, sec1, "10.0.0.1", gid, "/1/2/", &e), 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM grants WHERE id = ?", "i", gid), 0);
	assert_int_equal(audit_rows(f, "grant.delete"), 1);
	int64_t admin_grant = count(f, "SELECT id FROM grants WHERE user_id = ?", "i", f->sec2);
	assert_int_equal(zb_grant_revoke(&f->app, f->db, sec1, "10.0.0.1", admin_grant, "/1/", &e), ZB_EFORBIDDEN);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM grants WHERE id = ?", "i", admin_grant), 1);
	assert_false(zb_db_in_tx(f->db));
}

/* Dual control: a privileged grant waits; its requester can neither
 * confirm it nor be shown it as another's; a second administrator sees
 * and confirms it once. */
static void test_dual_control(void **state)
{
	fx *f = *state;
	zb_principal *sec1 = who(f, f->sec1), *sec2 = who(f, f->sec2);
	int64_t gid = -1, pending = 0;
	zb_err e = {0};
	assert_int_equal(zb_grant_add(&f->app, f->db, sec1, "10.0.0.1", f->bob, "org_admin", f->root, "/1/", &gid,
	                              &pending, &e),
	                 0);
	assert_int_equal(gid, 0);
	assert_true(pending > 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM grants WHERE user_id = ?", "i", f->bob), 0);
	assert_int_equal(zb_approval_confirm(&f->app, f->db, sec1, "10.0.0.1", pending, &gid, &e), ZB_EFORBIDDEN);
	int dual = 0, n = 0;
	zb_approval *rows = NULL;
	assert_int_equal(zb_approvals_list(&f->app, f->db, sec2, &f->a, &dual, &rows, &n, &e), 0);
	assert_int_equal(dual, 1);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, pending);
	assert_string_equal(rows[0].role, "org_admin");
	assert_string_equal(rows[0].requester, "sec1");
	assert_int_equal(zb_approval_confirm(&f->app, f->db, sec2, "10.0.0.2", pending, &gid, &e), 0);
	assert_true(gid > 0);
	assert_int_equal(count(f, "SELECT COUNT(*) FROM grants WHERE user_id = ?", "i", f->bob), 1);
	int64_t other = -1;
	assert_int_equal(zb_approval_confirm(&f->app, f->db, sec2, "10.0.0.2", pending, &other, &e), ZB_ECONFLICT);
	assert_int_equal(other, 0);
	assert_int_equal(zb_approvals_list(&f->app, f->db, sec2, &f->a, &dual, &rows, &n, &e), 0);
	assert_int_equal(n, 0);
}

/* The account list of a manager at the top shows every account, those
 * without a grant too, a page at a time. */
static void test_accounts_list(void **state)
{
	fx *f = *state;
	zb_principal *sys1 = who(f, f->sys1);
	zb_account *rows = NULL;
	int n = 0, more = 0;
	zb_err e = {0};
	assert_int_equal(zb_accounts_list(f->db, sys1, 0, 3, &f->a, &rows, &n, &more, &e), 0);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_string_equal(rows[0].username, "sec1");
	assert_int_equal(zb_accounts_list(f->db, sys1, rows[2].id, 3, &f->a, &rows, &n, &more, &e), 0);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(rows[0].username, "bob");
	assert_int_equal(rows[0].member_id, 0);
	assert_int_equal(rows[0].last_login_at, 0);
}

#define DB_TESTS                                                                                                       \
	cmocka_unit_test_setup_teardown(test_obj_path, setup, teardown),                                               \
		cmocka_unit_test_setup_teardown(test_grant_and_revoke, setup, teardown),                               \
		cmocka_unit_test_setup_teardown(test_dual_control, setup, teardown),                                   \
		cmocka_unit_test_setup_teardown(test_accounts_list, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest db[] = {DB_TESTS};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("admin_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("admin_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_admin: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
