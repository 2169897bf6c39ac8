/* fixtures.h - shared by the spreadsheet unit tests: the fixture files are
 * written at test time by other software (openpyxl, LibreOffice, iconv)
 * through tests/fixtures/make-fixtures.sh.
 *
 * Set fixture_argv0 from main(), then use fixture_setup(what) and
 * fixture_teardown as the group setup/teardown.  ZB_FIXTURES names a
 * directory made already (the test runner makes it once for every layer);
 * otherwise the script runs into a temporary directory removed at the end
 * (kept with ZB_KEEP_FIXTURES). */
#ifndef ZB_TEST_FIXTURES_H
#define ZB_TEST_FIXTURES_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char fixture_dir[PATH_MAX];
static char fixture_tmp[PATH_MAX]; /* our own temp dir, removed at the end */
static const char *fixture_argv0 = "";

static int fixture_find_script(char *out, size_t n)
{
	const char *rel = "tests/fixtures/make-fixtures.sh";
	const char *src = getenv("ZB_SRCDIR");
	if (src) {
		snprintf(out, n, "%s/%s", src, rel);
		if (!access(out, R_OK))
			return 0;
	}
	if (!access(rel, R_OK)) {
		snprintf(out, n, "%s", rel);
		return 0;
	}
	/* build/tests/test_x -> ../../.. */
	char buf[PATH_MAX];
	snprintf(buf, sizeof buf, "%s", fixture_argv0);
	for (int up = 0; up < 3; up++) {
		char *s = strrchr(buf, '/');
		if (!s)
			return -1;
		*s = '\0';
	}
	snprintf(out, n, "%s/%s", buf[0] ? buf : ".", rel);
	return access(out, R_OK);
}

/* what: the fixture group the script makes ("csv", "xlsx"). */
static int fixture_setup(const char *what)
{
	const char *env = getenv("ZB_FIXTURES");
	if (env && *env) {
		snprintf(fixture_dir, sizeof fixture_dir, "%s", env);
		return 0;
	}
	char script[PATH_MAX + 64], cmd[3 * PATH_MAX];
	if (fixture_find_script(script, sizeof script)) {
		fprintf(stderr, "cannot find tests/fixtures/make-fixtures.sh (set ZB_SRCDIR)\n");
		return -1;
	}
	snprintf(fixture_tmp, sizeof fixture_tmp, "/tmp/zb-test-%s.XXXXXX", what);
	if (!mkdtemp(fixture_tmp))
		return -1;
	snprintf(fixture_dir, sizeof fixture_dir, "%s", fixture_tmp);
	snprintf(cmd, sizeof cmd, "sh '%s' '%s' %s", script, fixture_dir, what);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = system(cmd);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "[ fixtures ] generated in %.1f s into %s\n",
	        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, fixture_dir);
	/* on failure go on: each test whose fixture is missing fails on its
	 * own, naming the file, instead of the whole group failing blind */
	if (rc != 0)
		fprintf(stderr, "[ fixtures ] make-fixtures.sh failed (status %d)\n", rc);
	return 0;
}

static int fixture_teardown(void **state)
{
	(void)state;
	if (fixture_tmp[0] && !getenv("ZB_KEEP_FIXTURES")) {
		char cmd[PATH_MAX + 32];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fixture_tmp);
		if (system(cmd) != 0)
			return -1;
	}
	return 0;
}

#endif
