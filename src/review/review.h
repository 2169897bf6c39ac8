/* review.h - 书记抓党建述职评议 (docs/REVIEWS.md): a secretary's yearly
 * 述职 report (duty_reports, migration 0041) with its photos and PDFs, the
 * grade the level above gives it (好/较好/一般/差), the lists of the level
 * above and a person's history.  Also the one check both kinds of review
 * share: who counts as "the level above".  No HTTP here: api/api_review.c
 * calls these.  Every write is one transaction with its audit row. */
#ifndef ZB_REVIEW_H
#define ZB_REVIEW_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

/* The org above path at which who holds org.write, nearest first: *org_id
 * gets its id.  None (or path a top org): ZB_EFORBIDDEN with `what`
 * ("述职", "考核") naming what only the level above may do. */
int zb_review_above(const zb_principal *who, const char *path, const char *what, int64_t *org_id, zb_err *e);

/* Grades: good 好, fair 较好, average 一般, poor 差 (code or name -> code). */
const char *zb_duty_grade_from(const char *s);
const char *zb_duty_grade_name(const char *code);

typedef struct zb_duty_file {
	int64_t id, size;
	const char *kind, *filename, *url;
} zb_duty_file;

typedef struct zb_duty_report {
	int64_t id, member_id, org_id, filed_by, rated_by, rater_org;
	int year;
	const char *org_path, *org_name, *member_name, *report, *filed_on;
	const char *grade, *comment, *rated_on, *rater_org_name; /* NULL until rated */
	zb_duty_file *files;
	int nfiles;
} zb_duty_report;

/* The 述职 of member_id for org_id's year: the member held the org's 书记
 * post (committee_posts, post secretary) on some day of the year (else
 * ZB_EINVAL on member_id; who files: member.write at the org, route
 * POST /duty-reports); filed_on a date not after today and not before
 * the year; report 1-20000 bytes; once per member, org and year (409). */
int zb_duty_file_report(zb_db *db, zb_app *app, const zb_actor *ac, int64_t org_id, int64_t member_id, int year,
                        const char *report, const char *filed_on, zb_arena *ar, int64_t *id, zb_err *e);
/* The grade of report id by who: org.write at an org strictly above the
 * report's org (zb_review_above), never the member who reported nor the
 * account that filed it (ZB_EFORBIDDEN); once (409); rated_on not before
 * the filing, not after today; comment required for 一般 and 差. */
int zb_duty_rate(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id, const char *grade,
                 const char *comment, const char *rated_on, zb_arena *ar, zb_err *e);
int zb_duty_get(zb_db *db, int64_t id, zb_arena *ar, zb_duty_report *r, zb_err *e);
/* A photo or PDF of report id (before it is rated), stored like a
 * meeting's; "duty.file" audited. */
int zb_duty_upload(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const char *filename, const void *data,
                   size_t len, zb_arena *ar, zb_duty_file *out, zb_err *e);
int zb_duty_file_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                      const char **stored_name, zb_err *e);

/* The list for year: the org at path and every org under it whose 书记
 * post was held by a member on some day of the year, with that member
 * and the report: status not_filed, filed or rated (the org's own
 * secretary files from here; the level above grades). */
typedef struct zb_duty_item {
	int64_t org_id, member_id, report_id;
	const char *org_path, *org_name, *member_name, *status, *filed_on, *grade;
} zb_duty_item;
int zb_duty_list(zb_db *db, const char *path, int year, zb_arena *ar, zb_duty_item **out, int *n, zb_err *e);

/* A person's 述职 history (newest year first), without report texts. */
int zb_duty_of_member(zb_db *db, int64_t member_id, zb_arena *ar, zb_duty_report **out, int *n, zb_err *e);

#endif
