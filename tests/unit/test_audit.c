/* test_audit.c - the chained audit trail (audit/audit.h) on a real
 * database: SQLite in a temporary file and, when ZB_TEST_PG holds a
 * postgres:// URI, PostgreSQL.
 *
 * Tampering is done with plain SQL, as an attacker holding the database
 * (but not the key file) would: editing rows, deleting the newest rows and
 * moving the head back, deleting the head, restoring an older genuine
 * head.  Checkpoints (anchors) are written to a file outside the database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "crypto/sm.h"
#include "store/db.h"
#include "dbfix.h"

static char g_anchors[256];

static int64_t fixed_now(void) { return 1780000000; }

typedef struct fx {
	zb_db *db;
	zb_app app;
	zb_err e;
} fx;

static void rm_files(void)
{
	dbfix_remove();
	if (g_anchors[0])
		unlink(g_anchors);
}

static int open_db(zb_db **db, zb_err *e) { return dbfix_connect(db, e); }

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	int rc;
	snprintf(g_anchors, sizeof g_anchors, "/tmp/zb_test_anchors_XXXXXX");
	int afd = mkstemp(g_anchors);
	if (afd < 0)
		return -1;
	close(afd);
	unlink(g_anchors); /* anchor creates it */
	rc = dbfix_open("audit", &f->db, &f->e);
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)(i * 7 + 3);
	if (!rc)
		rc = zb_keys_from_master(master, sizeof master, (zb_keys **)&f->app.keys, &f->e);
	f->app.now = fixed_now;
	if (rc) {
		fprintf(stderr, "fixture: %s\n", f->e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	zb_keys_free(f->app.keys);
	rm_files();
	free(f);
	return 0;
}

static void append_n(fx *f, int n)
{
	for (int i = 0; i < n; i++) {
		char oid[16];
		snprintf(oid, sizeof oid, "%d", i);
		zb_audit_ev ev = {.user_id = 1, .username = "admin", .ip = "127.0.0.1", .action = "org.update",
		                  .object_type = "org", .object_id = oid, .detail = "{\"name\":\"x\"}"};
		if (zb_audit_append(f->db, &f->app, &ev, &f->e))
			fail_msg("append: %s", f->e.msg);
	}
}

static void sql(fx *f, const char *stmt) { assert_int_equal(zb_db_exec(f->db, stmt, &f->e), 0); }

static zb_audit_check verify(fx *f, const char *anchors)
{
	zb_audit_check c;
	int rc = zb_audit_verify(f->db, &f->app, anchors, &c, &f->e);
	if (rc)
		fail_msg("verify: %s", f->e.msg);
	return c;
}

static void text(fx *f, const char *q, char *out, size_t n)
{
	zb_stmt *st = zb_db_query(f->db, &f->e, q, "");
	assert_non_null(st);
	assert_int_equal(zb_stmt_step(st, &f->e), 1);
	const char *s = zb_col_text(st, 0);
	snprintf(out, n, "%s", s ? s : "");
	zb_stmt_done(st);
}

/* ---- the chain ---- */

static void test_fresh_and_appended_verify(void **state)
{
	fx *f = *state;
	zb_audit_check c = verify(f, NULL);
	assert_true(c.ok);
	assert_int_equal(c.rows, 0);
	append_n(f, 5);
	c = verify(f, NULL);
	assert_true(c.ok);
	assert_int_equal(c.rows, 5);
	assert_int_equal(c.head_id, 5);
	/* the head carries its MAC */
	char hm[80];
	text(f, "SELECT head_mac FROM audit_head WHERE id = 1", hm, sizeof hm);
	assert_int_equal(strlen(hm), 64);
}

static void test_edit_middle_row(void **state)
{
	fx *f = *state;
	append_n(f, 6);
	sql(f, "UPDATE audit_log SET detail = '{\"name\":\"y\"}' WHERE id = 3");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_int_equal(c.bad_id, 3);
	assert_non_null(strstr(c.why, "被改动"));
}

static void test_tail_deleted_head_moved_back(void **state)
{
	fx *f = *state;
	append_n(f, 6);
	/* everything an attacker without the key can do: delete the newest
	 * rows and point the head at the new last row */
	sql(f, "DELETE FROM audit_log WHERE id > 4");
	sql(f, "UPDATE audit_head SET last_id = 4, last_mac = (SELECT mac FROM audit_log WHERE id = 4) WHERE id = 1");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "链头签名不符"));
	/* the next append must not seal the cut with a valid head MAC */
	zb_audit_ev ev = {.action = "auth.login"};
	assert_int_equal(zb_audit_append(f->db, &f->app, &ev, &f->e), ZB_EINTERNAL);
	assert_non_null(strstr(f->e.msg, "链头签名不符"));
	c = verify(f, NULL);
	assert_false(c.ok);
	assert_int_equal(c.rows, 4);
}

static void test_tail_deleted_head_untouched(void **state)
{
	fx *f = *state;
	append_n(f, 6);
	sql(f, "DELETE FROM audit_log WHERE id > 4");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_int_equal(c.bad_id, 5);
	assert_non_null(strstr(c.why, "截断"));
}

static void test_head_deleted(void **state)
{
	fx *f = *state;
	append_n(f, 3);
	sql(f, "DELETE FROM audit_head");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "链头缺失"));
	zb_audit_ev ev = {.action = "auth.login"};
	assert_int_equal(zb_audit_append(f->db, &f->app, &ev, &f->e), ZB_EINTERNAL);
}

static void test_tail_and_head_deleted(void **state)
{
	fx *f = *state;
	append_n(f, 5);
	sql(f, "DELETE FROM audit_log WHERE id > 2");
	sql(f, "DELETE FROM audit_head");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "链头缺失"));
}

static void test_head_unsigned(void **state)
{
	fx *f = *state;
	append_n(f, 3);
	sql(f, "UPDATE audit_head SET head_mac = NULL");
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "没有签名"));
	zb_audit_ev ev = {.action = "auth.login"};
	assert_int_equal(zb_audit_append(f->db, &f->app, &ev, &f->e), ZB_EINTERNAL);
}

static void test_old_head_restored_rows_beyond(void **state)
{
	fx *f = *state;
	append_n(f, 3);
	char saved[400], q[600];
	text(f, "SELECT last_id || ',' || last_mac || ',' || head_mac FROM audit_head", saved, sizeof saved);
	append_n(f, 2);
	/* put back the genuine head of an earlier moment, rows left in place */
	char *mac = strchr(saved, ','), *hm = strrchr(saved, ',');
	*mac++ = '\0';
	*hm++ = '\0';
	snprintf(q, sizeof q, "UPDATE audit_head SET last_id = %s, last_mac = '%s', head_mac = '%s'", saved, mac, hm);
	sql(f, q);
	zb_audit_check c = verify(f, NULL);
	assert_false(c.ok);
	assert_int_equal(c.bad_id, 4);
}

static void test_seal(void **state)
{
	fx *f = *state;
	append_n(f, 4);
	zb_audit_ev who = {.username = "cli:root", .ip = "local"};
	zb_audit_check c;
	int sealed = -1;
	/* a sound head is left alone */
	assert_int_equal(zb_audit_seal(f->db, &f->app, &who, &c, &sealed, &f->e), 0);
	assert_true(c.ok);
	assert_int_equal(sealed, 0);
	/* an unsigned head (a database upgraded with rows) is signed, and the
	 * seal leaves its own row */
	sql(f, "UPDATE audit_head SET head_mac = NULL");
	assert_int_equal(zb_audit_seal(f->db, &f->app, &who, &c, &sealed, &f->e), 0);
	assert_true(c.ok);
	assert_int_equal(sealed, 1);
	c = verify(f, NULL);
	assert_true(c.ok);
	assert_int_equal(c.rows, 5);
	char act[64];
	text(f, "SELECT action FROM audit_log WHERE id = 5", act, sizeof act);
	assert_string_equal(act, "audit.seal");
	append_n(f, 1);
	assert_true(verify(f, NULL).ok);
	/* damaged rows are never sealed over */
	sql(f, "UPDATE audit_log SET ip = '10.0.0.1' WHERE id = 2");
	sql(f, "UPDATE audit_head SET head_mac = NULL");
	assert_int_equal(zb_audit_seal(f->db, &f->app, &who, &c, &sealed, &f->e), 0);
	assert_false(c.ok);
	assert_int_equal(sealed, 0);
	assert_int_equal(c.bad_id, 2);
}

/* ---- anchors ---- */

static zb_audit_check anchor(fx *f)
{
	zb_audit_check c;
	int rc = zb_audit_anchor(f->db, &f->app, g_anchors, &c, &f->e);
	if (rc)
		fail_msg("anchor: %s", f->e.msg);
	return c;
}

/* The stored text forms do not change: a row's MAC is the lowercase hex
 * (two digits a byte) of HMAC-SM3 over its documented content, and an
 * anchor line keeps its exact shape, so existing chains and anchor files
 * still verify. */
static void test_text_forms_pinned(void **state)
{
	fx *f = *state;
	append_n(f, 1);
	static const char row[] = "0000000000000000000000000000000000000000000000000000000000000000"
				  "\x1e" "1\x1f" "1780000000\x1f" "1\x1f" "admin\x1f" "127.0.0.1\x1f"
				  "org.update\x1f" "org\x1f" "0\x1f" "\x1f" "{\"name\":\"x\"}\x1f";
	size_t klen = 0;
	const unsigned char *key = zb_keys_audit_key(f->app.keys, &klen);
	unsigned char mac[ZB_SM3_LEN];
	assert_int_equal(zb_hmac_sm3(key, klen, row, sizeof row - 1, mac), 0);
	char want[2 * ZB_SM3_LEN + 1], got[80];
	for (size_t i = 0; i < sizeof mac; i++)
		snprintf(want + 2 * i, 3, "%02x", mac[i]);
	text(f, "SELECT mac FROM audit_log WHERE id = 1", got, sizeof got);
	assert_string_equal(got, want);
	assert_string_equal(got, "2dabc9f9e85c8cdb1753331bd1f1ef0b0a4cdca0d5f9b8bf2e452b9c0cd9dcb1");

	zb_audit_check c = anchor(f);
	assert_true(c.ok);
	char line[400] = "";
	FILE *af = fopen(g_anchors, "r");
	assert_non_null(af);
	assert_non_null(fgets(line, sizeof line, af));
	fclose(af);
	/* sig: HMAC-SM3 under the anchor key (derived from the audit key by
	 * its label) over the checkpoint, the same hex */
	static const char label[] = "zhibu audit anchor key v1";
	unsigned char akey[ZB_SM3_LEN], sig[ZB_SM3_LEN];
	assert_int_equal(zb_hmac_sm3(key, klen, label, sizeof label - 1, akey), 0);
	char msg[160], sighex[2 * ZB_SM3_LEN + 1], wantline[400];
	int n = snprintf(msg, sizeof msg, "zhibu-audit-anchor v1\x1e" "1\x1f" "1780000000\x1f%s", want);
	assert_int_equal(zb_hmac_sm3(akey, sizeof akey, msg, (size_t)n, sig), 0);
	for (size_t i = 0; i < sizeof sig; i++)
		snprintf(sighex + 2 * i, 3, "%02x", sig[i]);
	snprintf(wantline, sizeof wantline, "zhibu-audit-anchor v1 id=1 at=1780000000 mac=%s sig=%s\n", want, sighex);
	assert_string_equal(line, wantline);
	assert_string_equal(line, "zhibu-audit-anchor v1 id=1 at=1780000000 "
				  "mac=2dabc9f9e85c8cdb1753331bd1f1ef0b0a4cdca0d5f9b8bf2e452b9c0cd9dcb1 "
				  "sig=867c73ed94db85a625e614c9e3e40c0b5ae9b6d9a5143f35e0c25a24614de872\n");
}


static void test_anchor_round_trip(void **state)
{
	fx *f = *state;
	zb_audit_check c;
	assert_int_equal(zb_audit_anchor(f->db, &f->app, g_anchors, &c, &f->e), ZB_ECONFLICT);
	append_n(f, 3);
	c = anchor(f);
	assert_true(c.ok);
	assert_int_equal(c.head_id, 3);
	append_n(f, 2);
	c = anchor(f);
	assert_true(c.ok);
	assert_int_equal(c.anchors, 1); /* the first one was checked */
	c = verify(f, g_anchors);
	assert_true(c.ok);
	assert_int_equal(c.anchors, 2);
	struct stat sb;
	assert_int_equal(stat(g_anchors, &sb), 0);
	/* a missing anchors file is an error for verify */
	assert_int_equal(zb_audit_verify(f->db, &f->app, "/nonexistent/anchors", &c, &f->e), ZB_EINVAL);
	assert_non_null(strstr(f->e.msg, "锚点文件"));
}

/* The attacker keeps an old copy of the head (say from a backup): cut back
 * to it, restore it, and everything inside the database is consistent. */
static void test_anchor_catches_rollback(void **state)
{
	fx *f = *state;
	append_n(f, 3);
	char saved[400], q[600];
	text(f, "SELECT last_id || ',' || last_mac || ',' || head_mac FROM audit_head", saved, sizeof saved);
	append_n(f, 3);
	assert_true(anchor(f).ok); /* at row 6 */
	sql(f, "DELETE FROM audit_log WHERE id > 3");
	char *mac = strchr(saved, ','), *hm = strrchr(saved, ',');
	*mac++ = '\0';
	*hm++ = '\0';
	snprintf(q, sizeof q, "UPDATE audit_head SET last_id = %s, last_mac = '%s', head_mac = '%s'", saved, mac, hm);
	sql(f, q);
	assert_true(verify(f, NULL).ok); /* nothing inside the database shows it */
	zb_audit_check c = verify(f, g_anchors);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "截断"));
	assert_int_equal(c.bad_id, 4);
	/* anchoring again refuses and writes nothing */
	long before = 0;
	FILE *fp = fopen(g_anchors, "r");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	before = ftell(fp);
	fclose(fp);
	assert_int_equal(zb_audit_anchor(f->db, &f->app, g_anchors, &c, &f->e), 0);
	assert_false(c.ok);
	fp = fopen(g_anchors, "r");
	fseek(fp, 0, SEEK_END);
	assert_int_equal(ftell(fp), before);
	fclose(fp);
	/* the application goes on writing past the anchored row: now the
	 * checkpoint names a row whose MAC differs (rewriting) */
	for (int i = 0; i < 4; i++) {
		zb_audit_ev ev = {.action = "auth.login", .username = "mallory"};
		assert_int_equal(zb_audit_append(f->db, &f->app, &ev, &f->e), 0);
	}
	assert_true(verify(f, NULL).ok);
	c = verify(f, g_anchors);
	assert_false(c.ok);
	assert_int_equal(c.bad_id, 6);
	assert_non_null(strstr(c.why, "改写"));
}

static void test_anchor_file_tampered(void **state)
{
	fx *f = *state;
	append_n(f, 4);
	assert_true(anchor(f).ok);
	/* move the checkpoint back to an earlier row, keeping its signature */
	FILE *fp = fopen(g_anchors, "r");
	char line[600];
	assert_non_null(fgets(line, sizeof line, fp));
	fclose(fp);
	char *p = strstr(line, "id=4 ");
	assert_non_null(p);
	p[3] = '2';
	fp = fopen(g_anchors, "w");
	fputs("# checkpoints\n", fp);
	fputs(line, fp);
	fclose(fp);
	zb_audit_check c = verify(f, g_anchors);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "第 2 行签名不符"));
	fp = fopen(g_anchors, "w");
	fputs("not an anchor\n", fp);
	fclose(fp);
	c = verify(f, g_anchors);
	assert_false(c.ok);
	assert_non_null(strstr(c.why, "第 1 行不是审计锚点"));
}

/* An anchor signed with another installation's key file does not pass. */
static void test_anchor_other_key(void **state)
{
	fx *f = *state;
	append_n(f, 2);
	assert_true(anchor(f).ok);
	unsigned char master[64];
	memset(master, 0x5a, sizeof master);
	zb_app other = {.now = fixed_now};
	assert_int_equal(zb_keys_from_master(master, sizeof master, (zb_keys **)&other.keys, &f->e), 0);
	zb_audit_check c;
	assert_int_equal(zb_audit_verify(f->db, &other, g_anchors, &c, &f->e), 0);
	assert_false(c.ok);
	zb_keys_free(other.keys);
}

/* ---- verify while another connection writes ---- */

typedef struct writer_arg {
	zb_app *app;
	volatile int stop;
	int n, failed;
	char msg[400];
} writer_arg;

static void *writer(void *p)
{
	writer_arg *w = p;
	zb_db *db = NULL;
	zb_err e = {0};
	if (open_db(&db, &e)) {
		w->failed = 1;
		snprintf(w->msg, sizeof w->msg, "%s", e.msg);
		return NULL;
	}
	while (!w->stop) {
		zb_audit_ev ev = {.action = "member.read", .object_type = "member", .object_id = "1"};
		if (zb_audit_append(db, w->app, &ev, &e)) {
			w->failed = 1;
			snprintf(w->msg, sizeof w->msg, "%s", e.msg);
			break;
		}
		w->n++;
	}
	zb_db_close(db);
	return NULL;
}

static void test_verify_while_writing(void **state)
{
	fx *f = *state;
	append_n(f, 20);
	writer_arg w = {.app = &f->app};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, writer, &w), 0);
	int bad = 0, rounds = 0;
	char why[500] = "";
	/* keep verifying until the writer has committed plenty in between */
	for (; rounds < 400 && (rounds < 40 || w.n < 200) && !w.failed; rounds++) {
		zb_audit_check c;
		if (zb_audit_verify(f->db, &f->app, NULL, &c, &f->e)) {
			snprintf(why, sizeof why, "error: %s", f->e.msg);
			bad++;
		} else if (!c.ok) {
			snprintf(why, sizeof why, "%s", c.why);
			bad++;
		}
		if (rounds % 10 == 9) {
			zb_audit_check a;
			if (zb_audit_anchor(f->db, &f->app, g_anchors, &a, &f->e) || !a.ok)
				bad++;
		}
	}
	w.stop = 1;
	pthread_join(th, NULL);
	if (w.failed)
		fail_msg("writer: %s", w.msg);
	if (bad)
		fail_msg("%d of %d verifies failed while writing (%d rows written), last: %s", bad, rounds, w.n, why);
	assert_true(w.n > 0);
	assert_true(verify(f, g_anchors).ok);
}

#define DB_TESTS                                                                                                  \
	cmocka_unit_test_setup_teardown(test_fresh_and_appended_verify, setup, teardown),                         \
		cmocka_unit_test_setup_teardown(test_text_forms_pinned, setup, teardown),                          \
		cmocka_unit_test_setup_teardown(test_edit_middle_row, setup, teardown),                           \
		cmocka_unit_test_setup_teardown(test_tail_deleted_head_moved_back, setup, teardown),              \
		cmocka_unit_test_setup_teardown(test_tail_deleted_head_untouched, setup, teardown),               \
		cmocka_unit_test_setup_teardown(test_head_deleted, setup, teardown),                              \
		cmocka_unit_test_setup_teardown(test_tail_and_head_deleted, setup, teardown),                     \
		cmocka_unit_test_setup_teardown(test_head_unsigned, setup, teardown),                             \
		cmocka_unit_test_setup_teardown(test_old_head_restored_rows_beyond, setup, teardown),             \
		cmocka_unit_test_setup_teardown(test_seal, setup, teardown),                                      \
		cmocka_unit_test_setup_teardown(test_anchor_round_trip, setup, teardown),                         \
		cmocka_unit_test_setup_teardown(test_anchor_catches_rollback, setup, teardown),                   \
		cmocka_unit_test_setup_teardown(test_anchor_file_tampered, setup, teardown),                      \
		cmocka_unit_test_setup_teardown(test_anchor_other_key, setup, teardown),                          \
		cmocka_unit_test_setup_teardown(test_verify_while_writing, setup, teardown)

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest db[] = {DB_TESTS};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("audit_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("audit_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_audit: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
