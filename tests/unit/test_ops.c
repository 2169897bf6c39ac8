/* test_ops.c - log levels (ZHIBU_LOG), database time counters, the online
 * SQLite backup (store/db.h zb_db_backup_to) and the metrics exposition. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "core/log.h"
#include "http/metrics.h"
#include "store/db.h"

static char g_dir[128];

static void path_in(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", g_dir, name);
}

/* What zb_log wrote to stderr while fn ran. */
static void capture(void (*fn)(void), char *out, size_t n)
{
	char p[256];
	path_in(p, sizeof p, "stderr.txt");
	fflush(stderr);
	int saved = dup(2);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 2);
	close(fd);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	FILE *f = fopen(p, "r");
	size_t got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
}

static void three_lines(void)
{
	zb_info("an info line");
	zb_warn("a warning");
	zb_error("an error");
}

static void log_levels(void **state)
{
	(void)state;
	char out[4096];
	assert_int_equal(zb_log_set_level("info"), 0);
	assert_true(zb_log_info_on());
	capture(three_lines, out, sizeof out);
	assert_non_null(strstr(out, " info an info line"));
	assert_non_null(strstr(out, " warn a warning"));
	assert_non_null(strstr(out, " error an error"));

	assert_int_equal(zb_log_set_level("warn"), 0);
	assert_false(zb_log_info_on());
	capture(three_lines, out, sizeof out);
	assert_null(strstr(out, "an info line"));
	assert_non_null(strstr(out, "a warning"));
	assert_non_null(strstr(out, "an error"));

	assert_int_equal(zb_log_set_level("error"), 0);
	capture(three_lines, out, sizeof out);
	assert_null(strstr(out, "a warning"));
	assert_non_null(strstr(out, "an error"));

	/* an unknown name changes nothing */
	assert_int_equal(zb_log_set_level("debug"), -1);
	assert_int_equal(zb_log_set_level("INFO"), -1);
	capture(three_lines, out, sizeof out);
	assert_null(strstr(out, "a warning"));
	zb_log_set_verbose(0);
}

static void backup_is_a_snapshot(void **state)
{
	(void)state;
	char src[256], dst[256], wal[300];
	path_in(src, sizeof src, "live.db");
	path_in(dst, sizeof dst, "copy.db");
	zb_err e = {0};
	zb_db *a, *b;
	assert_int_equal(zb_db_open(src, &a, &e), 0);
	assert_int_equal(zb_db_open(src, &b, &e), 0);
	assert_int_equal(zb_db_exec(a, "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (1), (2), (3)", &e), 0);

	uint64_t ns0, calls0, ns1, calls1;
	zb_db_stats(&ns0, &calls0);
	/* another connection holds uncommitted writes while the copy is made */
	assert_int_equal(zb_db_begin_write(b, &e), 0);
	assert_int_equal(zb_db_run(b, &e, NULL, "INSERT INTO t VALUES (?)", "i", (int64_t)4), 0);
	assert_int_equal(zb_db_backup_to(a, dst, &e), 0);
	assert_int_equal(zb_db_commit(b, &e), 0);
	zb_db_stats(&ns1, &calls1);
	assert_true(calls1 >= calls0 + 2);
	assert_true(ns1 > ns0);

	struct stat st;
	assert_int_equal(stat(dst, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(wal, sizeof wal, "%s-wal", dst);
	assert_int_not_equal(access(wal, F_OK), 0);

	/* the copy: committed rows only, journal mode DELETE (one file) */
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(dst, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT COUNT(*), SUM(v) FROM t", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 3);
	assert_int_equal(sqlite3_column_int(q, 1), 6);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "delete");
	sqlite3_finalize(q);
	sqlite3_close(c);

	/* an existing destination is never overwritten */
	e = (zb_err){0};
	assert_int_not_equal(zb_db_backup_to(a, dst, &e), 0);
	assert_non_null(strstr(e.msg, "无法创建备份文件"));
	/* nor taken inside a transaction */
	unlink(dst);
	assert_int_equal(zb_db_begin_read(a, &e), 0);
	e = (zb_err){0};
	assert_int_equal(zb_db_backup_to(a, dst, &e), ZB_EINTERNAL);
	zb_db_rollback(a);
	assert_int_not_equal(access(dst, F_OK), 0);
	zb_db_close(a);
	zb_db_close(b);
}

static void metrics_count_requests(void **state)
{
	(void)state;
	zb_buf before, after;
	zb_buf_init(&before, 1u << 20);
	zb_buf_init(&after, 1u << 20);
	assert_int_equal(zb_metrics_render(&before, NULL, NULL), 0);
	const zb_route *health = NULL;
	for (const zb_route *const *t = zb_route_tables(); *t && !health; t++)
		for (const zb_route *r = *t; r->method; r++)
			if (!strcmp(r->pattern, "/api/v1/health"))
				health = r;
	assert_non_null(health);
	zb_metrics_request(health, 1, 200, 2000000);    /* 2 ms */
	zb_metrics_request(health, 1, 200, 30000000);   /* 30 ms */
	zb_metrics_request(NULL, 1, 404, 100000);
	zb_metrics_request(NULL, 0, 304, 100000);
	assert_int_equal(zb_metrics_render(&after, NULL, NULL), 0);
	assert_null(strstr(before.data, "route=\"/api/v1/health\""));
	assert_non_null(strstr(after.data, "zhibu_http_requests_total{method=\"GET\",route=\"/api/v1/health\",status=\"2xx\"} 2\n"));
	assert_non_null(strstr(after.data, "zhibu_http_requests_total{method=\"any\",route=\"unmatched\",status=\"4xx\"} 1\n"));
	assert_non_null(strstr(after.data, "zhibu_http_requests_total{method=\"any\",route=\"static\",status=\"3xx\"} 1\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_bucket{le=\"0.001\"} 2\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_bucket{le=\"0.005\"} 3\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_bucket{le=\"0.05\"} 4\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_bucket{le=\"+Inf\"} 4\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_count 4\n"));
	assert_non_null(strstr(after.data, "zhibu_http_request_duration_seconds_sum 0.032200\n"));
	/* no database: no session gauge rather than a wrong one */
	assert_null(strstr(after.data, "zhibu_sessions_active"));
	zb_buf_release(&before);
	zb_buf_release(&after);
}

int main(void)
{
	snprintf(g_dir, sizeof g_dir, "/tmp/zhibu-test-ops.XXXXXX");
	if (!mkdtemp(g_dir))
		return 1;
	zb_api_register();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(log_levels),
		cmocka_unit_test(backup_is_a_snapshot),
		cmocka_unit_test(metrics_count_requests),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
