#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* 0 info, 1 warn, 2 error */
static int min_level = 0;

void zb_log_set_verbose(int on) { min_level = on ? 0 : 1; }

int zb_log_info_on(void) { return min_level == 0; }

int zb_log_set_level(const char *name)
{
	static const char *const names[] = {"info", "warn", "error"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(name, names[i])) {
			min_level = i;
			return 0;
		}
	return -1;
}

void zb_log(const char *level, const char *fmt, ...)
{
	int l = !strcmp(level, "info") ? 0 : !strcmp(level, "warn") ? 1 : 2;
	if (l < min_level)
		return;
	char line[2048];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	int n = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %s ", tm.tm_year + 1900,
	                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, level);
	va_list ap;
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < sizeof line)
		vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	/* one fputs of one line keeps concurrent threads' lines whole */
	size_t len = strlen(line);
	if (len + 1 < sizeof line) {
		line[len] = '\n';
		line[len + 1] = '\0';
	}
	fputs(line, stderr);
}
