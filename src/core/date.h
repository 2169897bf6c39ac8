/* date.h - calendar dates as "YYYY-MM-DD" text, the form stored in both
 * databases and sent in JSON.  Only zb_date_valid checks its input; the
 * others expect valid dates. */
#ifndef ZB_DATE_H
#define ZB_DATE_H

/* 1 if s is a real calendar date YYYY-MM-DD between 1900 and 2200. */
int zb_date_valid(const char *s);
/* Add months or years by the month-end rule of 民法典 第二百零二条: the
 * same day of the month, or the month's last day when the month is shorter
 * (2024-01-31 + 1 month = 2024-02-29; 2024-02-29 + 1 year = 2025-02-28,
 * + 4 years = 2028-02-29).  Every addition of months or years to a date
 * goes through these two.  Or add days. */
void zb_date_add_months(const char *ymd, int months, char out[11]);
void zb_date_add_years(const char *ymd, int years, char out[11]);
void zb_date_add_days(const char *ymd, int days, char out[11]);
/* Days since 1970-01-01, and back. */
long zb_date_days(const char *ymd);
void zb_date_from_days(long days, char out[11]);
/* Whole years from a to b (b >= a): the largest n with
 * zb_date_add_years(a, n) <= b, so one born on 29 February completes a
 * year on 28 February of a common year. */
int zb_date_years_between(const char *a, const char *b);

/* A month held as the integer YYYYMM (the ym columns), as "YYYY-MM". */
void zb_ym_text(int ym, char out[8]);

#endif
