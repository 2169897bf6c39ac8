/* mdate.c - see mdate.h.  Civil-from-days after Howard Hinnant. */
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t zb_md_days(const char *ymd)
{
	return days_from_civil(atoi(ymd), atoi(ymd + 5), atoi(ymd + 8));
}

void zb_md_from_days(int64_t z, char out[11])
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)((y % 10000 + 10000) % 10000), (unsigned)m % 100u, (unsigned)d % 100u);
}

void zb_md_of_time(int64_t t, char out[11])
{
	int64_t s = t + ZB_CHINA_UTC_OFFSET;
	int64_t days = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
	zb_md_from_days(days, out);
}

int64_t zb_md_time_of(const char *ymd)
{
	return zb_md_days(ymd) * 86400 - ZB_CHINA_UTC_OFFSET;
}

int zb_md_ym(const char *ymd)
{
	return atoi(ymd) * 100 + atoi(ymd + 5);
}

void zb_md_ym_first(int ym, char out[11])
{
	snprintf(out, 11, "%04u-%02u-01", (unsigned)(ym / 100) % 10000u, (unsigned)(ym % 100) % 100u);
}

void zb_md_ym_last(int ym, char out[11])
{
	char first[11];
	zb_md_ym_first(zb_md_ym_add(ym, 1), first);
	zb_md_from_days(zb_md_days(first) - 1, out);
}

int zb_md_ym_add(int ym, int months)
{
	int t = (ym / 100) * 12 + (ym % 100 - 1) + months;
	return (t / 12) * 100 + t % 12 + 1;
}

int zb_md_ym_diff(int later, int earlier)
{
	return ((later / 100) * 12 + later % 100) - ((earlier / 100) * 12 + earlier % 100);
}

void zb_md_add_days(const char *ymd, int n, char out[11])
{
	zb_md_from_days(zb_md_days(ymd) + n, out);
}
