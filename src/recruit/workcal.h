/* workcal.h - working days: Monday to Friday, except the days the State
 * Council's yearly notice (国务院办公厅关于部分节假日安排的通知) gives off,
 * plus the weekend days it makes working days (调休上班).  The days are
 * data (table work_calendar: day, kind 'off' or 'work', name, provisional,
 * source), with 2026 and 2027 filled in by migration and a year replaced
 * by the settings administrator when its notice is published.  A year
 * with no rows counts Monday to Friday and says so (zb_workcal_known).
 */
#ifndef ZB_WORKCAL_H
#define ZB_WORKCAL_H

#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_workcal zb_workcal;

/* Load the days of years from..to (inclusive) into a calendar the caller
 * frees; a test may build one with zb_workcal_new and zb_workcal_set. */
int zb_workcal_load(zb_db *db, int from_year, int to_year, zb_workcal **out, zb_err *e);
zb_workcal *zb_workcal_new(void);
/* kind 'off' (a holiday on a weekday or weekend) or 'work' (a weekend day
 * worked); name e.g. "国庆节".  0, or -1 for a bad date or kind. */
int zb_workcal_set(zb_workcal *c, const char *day, char kind, const char *name);
void zb_workcal_free(zb_workcal *c);      /* NULL ok */

/* 1 when day is a working day. */
int zb_workcal_is_workday(const zb_workcal *c, const char *day);
/* 1 when the calendar holds any day of that year (else weekends only). */
int zb_workcal_known(const zb_workcal *c, int year);
/* The n-th working day counted from `from` (from itself counts when it is
 * a working day): the last day of a 公示 of n working days starting on
 * from.  n >= 1. */
void zb_workcal_nth(const zb_workcal *c, const char *from, int n, char out[11]);
/* Working days from a to b inclusive (0 when b < a). */
int zb_workcal_count(const zb_workcal *c, const char *a, const char *b);

/* ---- the table (settings: GET/PUT /api/v1/work-calendar) ---- */

/* One row of work_calendar. */
typedef struct zb_workday {
	const char *day;            /* YYYY-MM-DD */
	char kind;                  /* 'o' off, 'w' work */
	const char *name;           /* 国庆节, 调休上班（国庆节） */
	int provisional;            /* 1: statutory days only, the year's notice not yet entered */
	const char *source;         /* the notice (or the statutory rule) the day comes from */
} zb_workday;

/* The rows of one year, by day; strings in a. */
int zb_workcal_list(zb_db *db, int year, zb_arena *a, zb_workday **rows, int *n, zb_err *e);
/* Check the rows of a year before they replace it: each day a real date
 * of that year, once; kind off or work; 'work' only on a Saturday or
 * Sunday; a name for every row (field "days[i].day" etc. on error). */
int zb_workcal_check(int year, const zb_workday *rows, int n, zb_err *e);
/* Replace the rows of a year (checked as above) in the caller's write
 * transaction; *removed gets how many rows were there before. */
int zb_workcal_replace(zb_db *db, int year, const zb_workday *rows, int n, int64_t *removed, zb_err *e);
/* The same in a write transaction of its own, by `by`, with the audit row
 * "workcal.replace" (the year, how many rows went and came). */
int zb_workcal_replace_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int year, const zb_workday *rows,
                               int n, zb_err *e);

#endif
