/* mdate.h - calendar arithmetic for organisational life.
 *
 * Dates are "YYYY-MM-DD" text in China time (UTC+8, no DST); months are
 * yyyymm integers (202607).  Inputs must be valid (zb_date_valid); these
 * functions do not fail.
 */
#ifndef ZB_MEETING_MDATE_H
#define ZB_MEETING_MDATE_H

#include <stdint.h>

#define ZB_CHINA_UTC_OFFSET (8 * 3600)

/* Days since 1970-01-01 of a date, and back. */
int64_t zb_md_days(const char *ymd);
void zb_md_from_days(int64_t days, char out[11]);
/* China date of a unix time, and the unix time of 00:00 China time. */
void zb_md_of_time(int64_t t, char out[11]);
int64_t zb_md_time_of(const char *ymd);
/* yyyymm of a date; first and last day of a yyyymm; months between. */
int zb_md_ym(const char *ymd);
void zb_md_ym_first(int ym, char out[11]);
void zb_md_ym_last(int ym, char out[11]);
int zb_md_ym_add(int ym, int months);
int zb_md_ym_diff(int later, int earlier); /* later - earlier in months */
/* A date plus n days. */
void zb_md_add_days(const char *ymd, int n, char out[11]);

#endif
