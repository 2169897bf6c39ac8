/* Unit tests for src/auth: the password policy and its blocklist, generated
 * passwords, role classes (三员分立), password history and what a new
 * password ends, and the login throttles on a clock the test moves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "crypto/fieldprot.h"
#include "dbfix.h"

static int64_t fake_now = 1800000000;
static int64_t clock_fn(void)
{
	return fake_now;
}

typedef struct fx {
	zb_app app;
	zb_db *db;
	zb_err e;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (dbfix_open("auth", &f->db, &f->e))
		return -1;
	f->app.cfg = (zb_config){.lock_after_failures = 5, .lock_secs = 900, .ip_fail_limit = 30,
	                         .ip_fail_window_secs = 900, .hash_concurrency = 2};
	f->app.now = clock_fn;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	dbfix_remove();
	free(f);
	return 0;
}

static void policy_fails(const char *user, const char *pw, const char *needle)
{
	zb_err e = {0};
	int rc = zb_password_policy(user, pw, &e);
	if (rc != ZB_EINVAL || !strstr(e.msg, needle))
		fail_msg("%s: rc %d, message '%s' lacks '%s'", pw, rc, e.msg, needle);
	assert_string_equal(e.field, "password");
}

static void test_policy_rules(void **state)
{
	(void)state;
	zb_err e = {0};
	policy_fails("li", "Ab1!xyz", "至少需要 8 个字符");
	policy_fails("li", "密码密码密1a", "至少需要 8 个字符"); /* characters, not bytes */
	policy_fails("li", "密码密码密码12", "至少三类");
	policy_fails("li", "abcdefgh12", "至少三类");
	policy_fails("li", "ABCDEFGH!!", "至少三类");
	policy_fails("zhangsan", "xZhangSan-9", "用户名");
	policy_fails("zhangsan", "ZHANGSAN#2026", "用户名");
	policy_fails("x1", "Woaini1314", "常见");
	policy_fails("x1", "Aa123456", "常见");
	policy_fails("x1", "Aa123456!!", "常见");
	policy_fails("x1", "P@ssw0rd", "常见");
	policy_fails("x1", "Zhibu@2026", "常见");
	/* two-character usernames are refused only when equal */
	assert_int_equal(zb_password_policy("li", "Spring-li-2026", &e), 0);
	assert_int_equal(zb_password_policy("admin", "Root-Passw0rd", &e), 0);
	assert_int_equal(zb_password_policy("member", "Zhibu-Demo-2024", &e), 0);
	assert_int_equal(zb_password_policy("worker_a", "Test-pass-2026", &e), 0);
	assert_int_equal(zb_password_policy(NULL, "党建工作ab12", &e), 0); /* CJK counts as the fourth class */
	char big[300];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[0] = 'A';
	big[1] = '1';
	policy_fails(NULL, big, "过长");
}

static void test_blocklist(void **state)
{
	(void)state;
	const char *in[] = {"123456", "woaini1314", "qwe123", "aa123456", "p@ssw0rd", "!@#$%^&*", "zhibu@2026",
	                    "1qaz2wsx", "5201314", "admin@123", "zxcvbnm", "woaini520"};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		if (!zb_password_blocked(in[i]))
			fail_msg("%s should be on the blocklist", in[i]);
	assert_false(zb_password_blocked("Aa123456")); /* the list is lower case; the policy lowers */
	assert_false(zb_password_blocked("tq7-vexing-harbour"));
	assert_true(zb_password_blocklist_size() >= 300);
}

static void test_generated_passwords_pass(void **state)
{
	(void)state;
	for (int i = 0; i < 200; i++) {
		char pw[17];
		zb_err e = {0};
		zb_password_generate(pw);
		assert_int_equal(strlen(pw), 16);
		assert_int_equal(zb_password_policy("admin", pw, &e), 0);
	}
}

static void test_role_classes(void **state)
{
	(void)state;
	assert_int_equal(zb_role_class_of("sys_admin"), ZB_RC_SYS_ADMIN);
	assert_int_equal(zb_role_class_of("sec_admin"), ZB_RC_SEC_ADMIN);
	assert_int_equal(zb_role_class_of("audit_admin"), ZB_RC_AUDIT_ADMIN);
	assert_int_equal(zb_role_class_of("org_admin"), ZB_RC_BUSINESS);
	assert_int_equal(zb_role_class_of("member"), ZB_RC_BUSINESS);
	assert_true(zb_role_is_privileged("org_admin", 0));
	assert_true(zb_role_is_privileged("audit_admin", 0));
	assert_true(zb_role_is_privileged("local_role", P_MEMBER_SENSITIVE));
	assert_false(zb_role_is_privileged("party_worker", zb_perms_parse("org.read,member.read,member.write")));
	assert_false(zb_role_is_privileged("member", zb_perms_parse("self.read,self.write,meeting.signin")));
}

static int64_t add_user(fx *f, const char *name, const char *role)
{
	int64_t id = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &id,
	                           "INSERT INTO users (username, pw_hash, created_at, updated_at) VALUES (?, 'x', 1, 1) RETURNING id",
	                           "s", name),
	                 0);
	if (role) {
		int64_t org = 0;
		if (zb_db_int(f->db, &f->e, &org, "SELECT id FROM orgs ORDER BY id LIMIT 1", "") == ZB_ENOTFOUND)
			assert_int_equal(zb_db_int(f->db, &f->e, &org,
			                           "INSERT INTO orgs (path, depth, name, type, created_at, updated_at) "
			                           "VALUES ('/1/', 0, '县委', 'committee', 1, 1) RETURNING id",
			                           ""),
			                 0);
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (?,?,?,1)", "isi", id,
		                           role, org),
		                 0);
	}
	return id;
}

static void test_grant_classes(void **state)
{
	fx *f = *state;
	int64_t a = add_user(f, "cls_sys", "sys_admin"), b = add_user(f, "cls_org", "org_admin");
	int holds = 0;
	zb_err e = {0};
	assert_int_equal(zb_grant_class_check(f->db, a, "sec_admin", &holds, &e), ZB_ECONFLICT);
	assert_true(holds);
	assert_non_null(strstr(e.msg, "三员分立"));
	assert_int_equal(zb_grant_class_check(f->db, a, "org_admin", NULL, &e), ZB_ECONFLICT);
	assert_int_equal(zb_grant_class_check(f->db, a, "sys_admin", NULL, &e), 0);
	assert_int_equal(zb_grant_class_check(f->db, b, "audit_admin", &holds, &e), ZB_ECONFLICT);
	assert_false(holds);
	assert_int_equal(zb_grant_class_check(f->db, b, "party_worker", NULL, &e), 0);
}

static void test_history_and_what_a_new_password_ends(void **state)
{
	fx *f = *state;
	int64_t u = add_user(f, "hist_user", NULL);
	const char *pws[] = {"Hist-Passw0rd-1", "Hist-Passw0rd-2", "Hist-Passw0rd-3", "Hist-Passw0rd-4",
	                     "Hist-Passw0rd-5", "Hist-Passw0rd-6"};
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) "
	                           "VALUES (?, 't', 'h1', 'zb_x', 1, 99999999999)",
	                           "i", u),
	                 0);
	assert_int_equal(zb_db_run(f->db, &f->e, NULL,
	                           "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) "
	                           "VALUES ('s1', ?, 1, 1, 99999999999), ('s2', ?, 1, 1, 99999999999)",
	                           "ii", u, u),
	                 0);
	for (int i = 0; i < 6; i++) {
		char h[256];
		assert_int_equal(zb_password_hash(&f->app, pws[i], h, sizeof h, &f->e), 0);
		assert_int_equal(zb_db_begin_write(f->db, &f->e), 0);
		assert_int_equal(zb_password_store(&f->app, f->db, u, h, i == 5, i == 0 ? "s2" : NULL, &f->e), 0);
		assert_int_equal(zb_db_commit(f->db, &f->e), 0);
		if (i == 0) {
			int64_t n = 0;
			assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM sessions WHERE user_id = ?", "i", u), 0);
			assert_int_equal(n, 1); /* the kept session */
			assert_int_equal(zb_db_int(f->db, &f->e, &n,
			                           "SELECT COUNT(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL", "i", u),
			                 0);
			assert_int_equal(n, 0);
		}
	}
	int64_t n = 0, must = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM password_history WHERE user_id = ?", "i", u), 0);
	assert_int_equal(n, ZB_PW_HISTORY);
	assert_int_equal(zb_db_int(f->db, &f->e, &must, "SELECT must_change_pw FROM users WHERE id = ?", "i", u), 0);
	assert_int_equal(must, 1);
	for (int i = 0; i < 6; i++) {
		int reused = -1;
		assert_int_equal(zb_password_reused(&f->app, f->db, u, pws[i], &reused, &f->e), 0);
		assert_int_equal(reused, i >= 1); /* the oldest has left the history */
	}
}

static void test_current_password_without_history(void **state)
{
	fx *f = *state;
	/* as `zhibu init` and `zhibu demo` write accounts: no history row */
	char h[256];
	assert_int_equal(zb_password_hash(&f->app, "Init-Passw0rd-1", h, sizeof h, &f->e), 0);
	int64_t u = 0;
	assert_int_equal(zb_db_int(f->db, &f->e, &u,
	                           "INSERT INTO users (username, pw_hash, created_at, updated_at) VALUES ('init_like', ?, 1, 1) "
	                           "RETURNING id",
	                           "s", h),
	                 0);
	int reused = -1;
	assert_int_equal(zb_password_reused(&f->app, f->db, u, "Init-Passw0rd-1", &reused, &f->e), 0);
	assert_int_equal(reused, 1);
	assert_int_equal(zb_password_reused(&f->app, f->db, u, "Init-Passw0rd-2", &reused, &f->e), 0);
	assert_int_equal(reused, 0);
}

static void test_throttles(void **state)
{
	fx *f = *state;
	zb_err e = {0};
	add_user(f, "real_name", "party_worker");
	const char *names[] = {"real_name", "no_such_name"};
	for (int k = 0; k < 2; k++) {
		const char *nm = names[k];
		fake_now += 100000;
		/* one address: four failures pass, the fifth locks that address out */
		for (int i = 0; i < 4; i++) {
			assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.0.1", &e), 0);
			assert_int_equal(zb_login_failure(&f->app, f->db, nm, "10.0.0.1", &e), 0);
		}
		assert_int_equal(zb_login_failure(&f->app, f->db, nm, "10.0.0.1", &e), ZB_ELOCKED);
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.0.1", &e), ZB_ELOCKED);
		assert_non_null(strstr(e.msg, "15 分钟"));
		/* ... but not the owner at another address */
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.0.2", &e), 0);
		fake_now += 901;
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.0.1", &e), 0);
		/* many addresses: from the 10th failure of the name, a growing wait */
		for (int i = 5; i < 10; i++)
			assert_int_equal(zb_login_failure(&f->app, f->db, nm, i % 2 ? "10.0.1.1" : "10.0.1.2", &e), 0);
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.9.9", &e), ZB_ERATE);
		assert_non_null(strstr(e.msg, "2 秒"));
		fake_now += 2;
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.9.9", &e), 0);
		assert_int_equal(zb_login_failure(&f->app, f->db, nm, "10.0.9.9", &e), 0);
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.9.8", &e), ZB_ERATE);
		assert_non_null(strstr(e.msg, "4 秒"));
		/* 50 failures lock the name for everybody */
		for (int i = 11; i < 50; i++) {
			fake_now += 400;
			int rc = zb_login_failure(&f->app, f->db, nm, i % 2 ? "10.0.2.1" : "10.0.2.2", &e);
			assert_int_equal(rc, i < 49 ? 0 : ZB_ELOCKED);
		}
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.3.3", &e), ZB_ELOCKED);
		/* an administrator's unlock (or a login) forgets it all */
		assert_int_equal(zb_login_clear(f->db, nm, &e), 0);
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.0.1", &e), 0);
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.3.3", &e), 0);
	}
}

/* One or two patient addresses (failures spaced past the 5-in-15-minutes
 * address lock) neither slow nor lock the name for its owner elsewhere;
 * a third address brings the name-wide delay. */
static void test_patient_address(void **state)
{
	fx *f = *state;
	zb_err e = {0};
	add_user(f, "patient_target", "party_worker");
	const char *nm = "patient_target";
	fake_now += 100000;
	for (int i = 0; i < 60; i++) {
		fake_now += 230;
		const char *ip = i % 2 ? "10.0.5.1" : "10.0.5.2";
		assert_int_equal(zb_login_gate(&f->app, f->db, nm, ip, &e), 0);
		assert_int_equal(zb_login_failure(&f->app, f->db, nm, ip, &e), 0);
	}
	/* a longer typed name beginning with the name and '|' is not an address */
	assert_int_equal(zb_login_failure(&f->app, f->db, "patient_target|x", "10.0.5.1", &e), 0);
	assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.6.6", &e), 0);
	/* a third address: the name-wide count applies */
	assert_int_equal(zb_login_failure(&f->app, f->db, nm, "10.0.5.3", &e), ZB_ELOCKED);
	assert_int_equal(zb_login_gate(&f->app, f->db, nm, "10.0.6.6", &e), ZB_ELOCKED);
	assert_int_equal(zb_login_clear(f->db, nm, &e), 0);
}

static int64_t audit_count(fx *f, const char *action)
{
	int64_t n = -1;
	assert_int_equal(zb_db_int(f->db, &f->e, &n, "SELECT COUNT(*) FROM audit_log WHERE action = ?", "s", action), 0);
	return n;
}

/* Refused logins (here: a locked name at one address) write at most
 * denied_audit_per_min auth.login_failed rows per address a minute; the
 * rest are counted in one auth.login_failed.suppressed row when the
 * address's next minute begins. */
static void test_refused_login_audit_limit(void **state)
{
	fx *f = *state;
	zb_err e = {0};
	const char *nm = "flood_name", *ip = "10.0.7.7";
	int keep = f->app.cfg.denied_audit_per_min;
	f->app.cfg.denied_audit_per_min = 3;
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 5 + 1);
	assert_int_equal(zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e), 0);
	fake_now += 100000;
	for (int i = 0; i < 5; i++)
		zb_login_failure(&f->app, f->db, nm, ip, &e);
	int64_t rows0 = audit_count(f, "auth.login_failed"), sum0 = audit_count(f, "auth.login_failed.suppressed");
	int64_t uid = 0;
	char tok[64], csrf[64];
	for (int i = 0; i < 10; i++)
		assert_int_equal(zb_login(&f->app, f->db, nm, "Wrong-Passw0rd-1", ip, &uid, tok, csrf, &e), ZB_ELOCKED);
	assert_int_equal(audit_count(f, "auth.login_failed") - rows0, 3);
	assert_int_equal(audit_count(f, "auth.login_failed.suppressed") - sum0, 0);
	fake_now += 61;
	assert_int_equal(zb_login(&f->app, f->db, nm, "Wrong-Passw0rd-1", ip, &uid, tok, csrf, &e), ZB_ELOCKED);
	assert_int_equal(audit_count(f, "auth.login_failed") - rows0, 4);
	assert_int_equal(audit_count(f, "auth.login_failed.suppressed") - sum0, 1);
	char detail[256] = "";
	zb_stmt *st = zb_db_query(f->db, &f->e,
	                          "SELECT detail FROM audit_log WHERE action = 'auth.login_failed.suppressed' ORDER BY id DESC", "");
	assert_non_null(st);
	assert_int_equal(zb_stmt_step(st, &f->e), 1);
	snprintf(detail, sizeof detail, "%s", zb_col_text(st, 0));
	zb_stmt_done(st);
	assert_non_null(strstr(detail, "\"suppressed\":7"));
	assert_non_null(strstr(detail, "\"locked\":7"));
	f->app.cfg.denied_audit_per_min = keep;
	zb_keys_free(f->app.keys);
	f->app.keys = NULL;
	assert_int_equal(zb_login_clear(f->db, nm, &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_rules),
		cmocka_unit_test(test_patient_address),
		cmocka_unit_test(test_refused_login_audit_limit),
		cmocka_unit_test(test_blocklist),
		cmocka_unit_test(test_generated_passwords_pass),
		cmocka_unit_test(test_role_classes),
		cmocka_unit_test(test_grant_classes),
		cmocka_unit_test(test_history_and_what_a_new_password_ends),
		cmocka_unit_test(test_current_password_without_history),
		cmocka_unit_test(test_throttles),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
