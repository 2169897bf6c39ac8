/* date.c - calendar dates as "YYYY-MM-DD" text (civil-from-days after
 * Howard Hinnant). */
#include "core/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int zb_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}


static int days_in_month(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return md[m - 1] + (m == 2 && leap);
}

/* The month-end rule of 民法典 第二百零二条 (按照年、月计算期间的，到期月的
 * 对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日): a date
 * plus months keeps its day of the month, or falls on the last day of a
 * shorter month - 01-31 + 1 month is 02-28 (02-29 in a leap year), and a
 * 29 February plus a year is 28 February of a common year. */
void zb_date_add_months(const char *ymd, int months, char out[11])
{
	int y = atoi(ymd), m = atoi(ymd + 5), d = atoi(ymd + 8);
	int t = y * 12 + (m - 1) + months;
	y = t / 12;
	m = t % 12 + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

/* days since 1970-01-01 (civil from days, Howard Hinnant's algorithm) */
static long days_from_civil(long y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long zb_date_days(const char *ymd)
{
	return days_from_civil(atoi(ymd), atoi(ymd + 5), atoi(ymd + 8));
}

void zb_date_add_days(const char *ymd, int days, char out[11])
{
	long z = days_from_civil(atoi(ymd), atoi(ymd + 5), atoi(ymd + 8)) + days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(y + (m <= 2)) % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

void zb_date_add_years(const char *ymd, int years, char out[11])
{
	zb_date_add_months(ymd, years * 12, out);
}

int zb_date_years_between(const char *a, const char *b)
{
	/* the largest n with a + n years <= b, by the same month-end rule:
	 * from 29 February a year is complete on 28 February of a common year */
	int years = atoi(b) - atoi(a);
	char at[11];
	zb_date_add_years(a, years, at);
	if (strcmp(b, at) < 0)
		years--;
	return years;
}

void zb_date_from_days(long z, char out[11])
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)((y % 10000 + 10000) % 10000), (unsigned)m % 100u, (unsigned)d % 100u);
}

void zb_ym_text(int ym, char out[8])
{
	snprintf(out, 8, "%04u-%02u", (unsigned)(ym / 100) % 10000u, (unsigned)(ym % 100) % 100u);
}
