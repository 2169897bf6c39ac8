/* date.h - calendar dates as "YYYY-MM-DD" text, the form stored in both
 * databases and sent in JSON.  Only zb_date_valid checks its input; the
 * others expect valid dates. */
#ifndef ZB_DATE_H
#define ZB_DATE_H

/* 1 if s is a real calendar date YYYY-MM-DD between 1900 and 2200. */
int zb_date_valid(const char *s);
/* Add months (the day clamped to the month's end) or days. */
void zb_date_add_months(const char *ymd, int months, char out[11]);
void zb_date_add_days(const char *ymd, int days, char out[11]);
/* Days since 1970-01-01, and back. */
long zb_date_days(const char *ymd);
void zb_date_from_days(long days, char out[11]);
/* Whole years from a to b (b >= a), as people count age. */
int zb_date_years_between(const char *a, const char *b);

#endif
