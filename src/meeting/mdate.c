/* mdate.c - see mdate.h; day arithmetic is core/date.c. */
#include "meeting/mdate.h"
#include "core/date.h"

#include <stdio.h>
#include <stdlib.h>

int64_t zb_md_days(const char *ymd)
{
	return zb_date_days(ymd);
}

void zb_md_from_days(int64_t z, char out[11])
{
	zb_date_from_days((long)z, out);
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
