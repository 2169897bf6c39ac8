/* Unit tests for the principal cache (src/auth/pcache.c) and the session
 * and token lookups that use it: a hit needs no change, a bump of
 * auth_version ends it, the cache never lets a session outlive its idle or
 * absolute limit nor a long member session outlive a wider role, tokens
 * expire and are revoked, and memory stays bounded. */
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
#include "auth/pcache.h"
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
	zb_arena a;
} fx;

static void run(fx *f, const char *sql)
{
	zb_err e = {0};
	if (zb_db_exec(f->db, sql, &e))
		fail_msg("%s: %s", sql, e.msg);
}

static int64_t one(fx *f, const char *sql)
{
	zb_err e = {0};
	int64_t v = -1;
	if (zb_db_int(f->db, &e, &v, sql, ""))
		fail_msg("%s: %s", sql, e.msg);
	return v;
}

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	if (dbfix_open("pcache", &f->db, &f->e))
		return -1;
	f->app.cfg = (zb_config){.lock_after_failures = 5, .lock_secs = 900, .ip_fail_limit = 30,
	                         .ip_fail_window_secs = 900, .hash_concurrency = 2, .session_idle_secs = 1800,
	                         .session_max_secs = 43200};
	f->app.now = clock_fn;
	zb_arena_init(&f->a);
	zb_pcache_clear();
	fake_now = 1800000000;
	run(f, "INSERT INTO orgs (path, depth, name, type, created_at, updated_at) VALUES ('/1/', 0, '县委', 'committee', 0, 0)");
	run(f, "INSERT INTO users (username, display_name, pw_hash, created_at, updated_at) VALUES ('u1', '甲', 'x', 0, 0)");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_arena_free(&f->a);
	zb_db_close(f->db);
	dbfix_remove();
	free(f);
	zb_pcache_clear();
	return 0;
}

/* A session of u1 with token tok, made now, lasting life seconds. */
static void session(fx *f, const char *tok, int64_t life)
{
	char th[ZB_HASH_HEX];
	zb_token_hash(tok, th);
	zb_err e = {0};
	assert_int_equal(zb_db_run(f->db, &e, NULL,
	                           "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) "
	                           "VALUES (?, 1, ?, ?, ?)",
	                           "siii", th, fake_now, fake_now, fake_now + life),
	                 0);
}

static int resolve(fx *f, const char *tok, zb_principal **p)
{
	zb_err e = {0};
	*p = NULL;
	return zb_session_resolve(&f->app, f->db, tok, &f->a, p, &e);
}

static void grant(fx *f, const char *role)
{
	zb_err e = {0};
	assert_int_equal(zb_db_run(f->db, &e, NULL, "INSERT INTO grants (user_id, role_id, org_id, created_at) VALUES (1, ?, 1, 0)",
	                           "s", role),
	                 0);
}

static void test_hit_until_the_version_moves(void **state)
{
	fx *f = *state;
	grant(f, "party_worker");
	session(f, "tok-a", 43200);
	zb_principal *p;
	int64_t v0 = one(f, "SELECT v FROM auth_version");
	assert_int_equal(resolve(f, "tok-a", &p), 0);
	assert_int_equal(p->ngrants, 1);
	assert_string_equal(p->grants[0].org_path, "/1/");
	assert_string_equal(p->display_name, "甲");
	assert_int_equal(zb_pcache_size(), 1);
	/* a change the triggers do not see is not seen: the answer came from
	 * the cache (the arena copy is the cached principal) */
	run(f, "DROP TRIGGER auth_v_grants_del");
	run(f, "DELETE FROM grants");
	assert_int_equal(one(f, "SELECT v FROM auth_version"), v0);
	assert_int_equal(resolve(f, "tok-a", &p), 0);
	assert_int_equal(p->ngrants, 1);
	assert_string_equal(p->grants[0].role, "party_worker");
	assert_non_null(p->token_hash);
	/* the version moves: read again */
	run(f, "UPDATE auth_version SET v = v + 1");
	assert_int_equal(resolve(f, "tok-a", &p), 0);
	assert_int_equal(p->ngrants, 0);
	/* each watched change moves it */
	int64_t v = one(f, "SELECT v FROM auth_version");
	grant(f, "party_worker");
	assert_true(one(f, "SELECT v FROM auth_version") > v);
	v = one(f, "SELECT v FROM auth_version");
	run(f, "UPDATE users SET disabled = 1");
	assert_true(one(f, "SELECT v FROM auth_version") > v);
	assert_int_equal(resolve(f, "tok-a", &p), ZB_EAUTH);
	/* and reads do not */
	run(f, "UPDATE users SET disabled = 0");
	v = one(f, "SELECT v FROM auth_version");
	run(f, "UPDATE sessions SET last_seen = last_seen + 1");
	run(f, "UPDATE users SET last_login_at = 5, failed_count = 1");
	run(f, "UPDATE users SET display_name = display_name, disabled = disabled"); /* rewritten unchanged */
	assert_int_equal(one(f, "SELECT v FROM auth_version"), v);
}

static void test_idle_limit_and_refresh(void **state)
{
	fx *f = *state;
	grant(f, "party_worker");
	session(f, "tok-b", 43200);
	int64_t t0 = fake_now;
	zb_principal *p;
	assert_int_equal(resolve(f, "tok-b", &p), 0);
	/* within a minute: no write */
	fake_now = t0 + 30;
	assert_int_equal(resolve(f, "tok-b", &p), 0);
	assert_int_equal(one(f, "SELECT last_seen FROM sessions"), t0);
	/* after a minute: the idle stamp is written, from a hit too */
	fake_now = t0 + 61;
	assert_int_equal(resolve(f, "tok-b", &p), 0);
	assert_int_equal(one(f, "SELECT last_seen FROM sessions"), t0 + 61);
	/* idle past the limit: ended, although cached */
	fake_now = t0 + 61 + 1801;
	assert_int_equal(resolve(f, "tok-b", &p), ZB_EAUTH);
	assert_int_equal(one(f, "SELECT COUNT(*) FROM sessions"), 0);
	assert_int_equal(resolve(f, "tok-b", &p), ZB_EAUTH);
}

static void test_stamp_refreshed_elsewhere(void **state)
{
	fx *f = *state;
	grant(f, "party_worker");
	session(f, "tok-c", 43200);
	int64_t t0 = fake_now;
	zb_principal *p;
	assert_int_equal(resolve(f, "tok-c", &p), 0);
	/* another node kept the session alive: the cached stamp is old, the
	 * row is not, and the row decides */
	fake_now = t0 + 1700;
	run(f, "UPDATE sessions SET last_seen = last_seen + 1700");
	fake_now = t0 + 1700 + 1000;
	assert_int_equal(resolve(f, "tok-c", &p), 0);
}

static void test_absolute_limit(void **state)
{
	fx *f = *state;
	grant(f, "party_worker");
	session(f, "tok-d", 43200);
	int64_t t0 = fake_now;
	zb_principal *p;
	for (fake_now = t0; fake_now < t0 + 43200; fake_now += 1200)
		assert_int_equal(resolve(f, "tok-d", &p), 0);
	fake_now = t0 + 43200;
	assert_int_equal(resolve(f, "tok-d", &p), ZB_EAUTH);
}

static void test_member_session_loses_its_length(void **state)
{
	fx *f = *state;
	grant(f, "member");
	session(f, "tok-e", ZB_MEMBER_SESSION_SECS);
	int64_t t0 = fake_now;
	zb_principal *p;
	assert_int_equal(resolve(f, "tok-e", &p), 0);
	/* idle for hours: a member's session lasts */
	fake_now = t0 + 7200;
	assert_int_equal(resolve(f, "tok-e", &p), 0);
	/* the account gains a wider role: the short limits apply at once */
	grant(f, "party_worker");
	fake_now = t0 + 7200 + 1801;
	assert_int_equal(resolve(f, "tok-e", &p), ZB_EAUTH);
}

static void test_tokens(void **state)
{
	fx *f = *state;
	grant(f, "party_worker");
	zb_err e = {0};
	char tok[64];
	int64_t id = 0;
	assert_int_equal(zb_token_create(f->db, &f->app, 1, "t", 1, tok, &id, &e), 0);
	zb_principal *p;
	assert_int_equal(zb_token_resolve(&f->app, f->db, tok, &f->a, &p, &e), 0);
	assert_true(p->via_token);
	assert_int_equal(p->ngrants, 1);
	assert_int_equal(zb_token_resolve(&f->app, f->db, tok, &f->a, &p, &e), 0);
	/* expiry is checked on a hit */
	int64_t t0 = fake_now;
	fake_now = t0 + 86400;
	assert_int_equal(zb_token_resolve(&f->app, f->db, tok, &f->a, &p, &e), ZB_EAUTH);
	fake_now = t0;
	char tok2[64];
	assert_int_equal(zb_token_create(f->db, &f->app, 1, "t2", 1, tok2, &id, &e), 0);
	assert_int_equal(zb_token_resolve(&f->app, f->db, tok2, &f->a, &p, &e), 0);
	assert_int_equal(zb_token_revoke(f->db, id, &e), 0);
	assert_int_equal(zb_token_resolve(&f->app, f->db, tok2, &f->a, &p, &e), ZB_EAUTH);
}

static void test_bounded(void **state)
{
	(void)state;
	zb_principal pr = {.user_id = 7, .username = "u", .display_name = NULL};
	zb_pc_info in = {.user_id = 7};
	char h[ZB_PCACHE_WAYS + 1][65];
	/* hashes with the same leading digits fall into one set */
	for (int i = 0; i < ZB_PCACHE_WAYS + 1; i++) {
		snprintf(h[i], sizeof h[i], "00000000%056d", i);
		zb_pcache_put(h[i], ZB_PC_SESSION, 3, &in, &pr);
		if (i == 1) {
			/* the first is used again: the second is the oldest now */
			zb_arena a;
			zb_arena_init(&a);
			zb_pc_info got;
			zb_principal *p;
			assert_int_equal(zb_pcache_get(h[0], ZB_PC_SESSION, 3, &a, &got, &p), 1);
			assert_string_equal(p->username, "u");
			assert_null(p->display_name);
			zb_arena_free(&a);
		}
	}
	assert_int_equal(zb_pcache_size(), ZB_PCACHE_WAYS);
	zb_arena a;
	zb_arena_init(&a);
	zb_pc_info got;
	zb_principal *p;
	assert_int_equal(zb_pcache_get(h[0], ZB_PC_SESSION, 3, &a, &got, &p), 1);
	assert_int_equal(zb_pcache_get(h[1], ZB_PC_SESSION, 3, &a, &got, &p), 0);
	assert_int_equal(zb_pcache_get(h[ZB_PCACHE_WAYS], ZB_PC_SESSION, 3, &a, &got, &p), 1);
	/* another version or another kind is a miss */
	assert_int_equal(zb_pcache_get(h[ZB_PCACHE_WAYS], ZB_PC_TOKEN, 3, &a, &got, &p), 0);
	assert_int_equal(zb_pcache_get(h[0], ZB_PC_SESSION, 4, &a, &got, &p), 0);
	assert_int_equal(zb_pcache_get(h[0], ZB_PC_SESSION, 0, &a, &got, &p), 0);
	zb_arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hit_until_the_version_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idle_limit_and_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stamp_refreshed_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_member_session_loses_its_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
