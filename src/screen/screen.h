/* screen.h - the county 大屏: everything the wall screen of an org shows,
 * read from the roll-ups and stored results of the areas it draws on
 * (docs/SCREEN.md):
 *   members and orgs   org_counts (org/counts.h), the statistics' cache
 *   三会一课            the stored compliance (meeting/cstore.h), this quarter
 *   发展党员            the funnel of this year (recruit/funnel.h)
 *   党费                this month and the year to date (dues/dues.h
 *                      zb_dues_span_get: the monthly sheets, summed)
 *   三务公开            periods due this year, published by the deadline,
 *                      late, overdue (disclose/disclose.h)
 *   工作任务            the targets of tasks due this year or later:
 *                      assigned, done, overdue (task/task.h)
 *   评星晋级            the newest published year: stars, tiers,
 *                      晋级/降级 (rating/rating.h)
 * and a line per direct sub-org joining all of them.
 *
 * The dues and the funnel are computed from their records, not from
 * roll-ups; the finished answer is therefore kept by version
 * (zb_screen_version, core/jcache.h), so a wall screen refreshing every
 * minute costs a few one-row reads until something it shows is written.
 */
#ifndef ZB_SCREEN_H
#define ZB_SCREEN_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "disclose/disclose.h"
#include "dues/dues.h"
#include "meeting/cstore.h"
#include "rating/rating.h"
#include "recruit/funnel.h"
#include "store/db.h"

/* The sections a caller may read (what the route leaves null otherwise). */
enum {
	ZB_SCREEN_COMPLIANCE = 1, /* meeting.read */
	ZB_SCREEN_DUES = 2,       /* member.read */
	ZB_SCREEN_DISCLOSE = 4,   /* org.read */
	ZB_SCREEN_TASKS = 8,      /* org.read */
	ZB_SCREEN_RATINGS = 16,   /* org.read */
};

/* Tasks issued to the orgs of a subtree (task/task.h zb_task_subtree_sum). */
typedef struct zb_screen_tasks {
	int64_t assigned, done, overdue;
} zb_screen_tasks;

typedef struct zb_screen_disclose {
	int villages;             /* villages with a period due so far */
	int villages_overdue;     /* of them, with a period overdue */
	int due, on_time, late, overdue;
} zb_screen_disclose;

typedef struct zb_screen_child {
	int64_t org_id;
	const char *name, *path, *type;
	int64_t members, full, orgs, branches;       /* org_counts of its subtree */
	const zb_csum *compliance;                   /* NULL: no branches below, or not read */
	int recruit[ZB_RF_KINDS];                    /* this year's funnel */
	const zb_dues_sum *dues_month;               /* NULL when not read */
	zb_dues_sum dues_year;
	zb_screen_disclose disclose;
	zb_screen_tasks tasks;
	zb_rating_sum ratings;                       /* its subtree's, of the screen's ratings year */
} zb_screen_child;

typedef struct zb_screen {
	unsigned sections;        /* ZB_SCREEN_* read */
	const char *org_name;
	int year, ym;             /* this year, this month (yyyymm) */
	zb_period period;         /* this quarter */
	zb_creport compliance;    /* ZB_SCREEN_COMPLIANCE */
	zb_rfunnel funnel;
	zb_dues_span dues;        /* ZB_SCREEN_DUES: January to this month */
	zb_dues_sum dues_year;    /* the span's months summed */
	zb_screen_disclose disclose; /* ZB_SCREEN_DISCLOSE */
	zb_screen_tasks tasks;    /* ZB_SCREEN_TASKS */
	zb_rating_sum ratings;    /* ZB_SCREEN_RATINGS: the newest published year (0: none) */
	int nchildren;
	zb_screen_child *children; /* not dissolved, in display order */
} zb_screen;

/* Read the screen of the org (id, path) on today, the sections asked for
 * (the rules dated in the future that took effect are caught up first,
 * as for the statistics). */
int zb_screen_load(zb_db *db, int64_t org_id, const char *path, const char *today, unsigned sections, zb_arena *a,
                   zb_screen *out, zb_err *e);

/* The version of everything the screen reads: the roll-ups' version, the
 * stored results' (which note meetings, attendance, the roster's org,
 * status and dates, dues, the org tree and rule sets), the newest step of
 * 发展党员 and of 三务公开 with the count of open applicants, the newest
 * task target and reply, the published ratings (count, newest).  "" while
 * writes wait to be noted in the stored results: keep nothing then. */
int zb_screen_version(zb_db *db, char out[128], zb_err *e);

/* Sum of a dues span's months (the year to date). */
void zb_screen_dues_sum(const zb_dues_sum *months, int n, zb_dues_sum *out);

#endif
