/* annual.h - 党内统计: the annual tables of party statistics for a subtree
 * as of a date (normally 12-31), derived from the roster, its history and
 * the records; nobody types a number.  docs/STATISTICS.md has the tables,
 * the definitions and what is reconstructed for a past date.
 *
 * Every table has the same rows: 合计 (row 0), then each direct
 * sub-organisation of the subject that existed on the date (党小组 are
 * not rows), then 本级 (what lies at the subject itself) when it holds
 * anything.  A cell counts members, applicants, orgs or units; its key is
 * "<table>.<column>.<row>" and zb_report_cell lists what it counts, by
 * the same pass that counted it, so a list always has as many entries as
 * its number.
 *
 * Reproducible: the members are the roster as it stood on the date
 * (member/history.h: org, status, category and the personal facts), the
 * orgs those founded and not dissolved by then, committees and terms by
 * their dated rows, recruitment by the dated steps.  No HTTP here:
 * api/api_report.c and cli/cmd_report.c call it. */
#ifndef ZB_REPORT_ANNUAL_H
#define ZB_REPORT_ANNUAL_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "store/db.h"

typedef struct zb_report_col {
	const char *key, *group, *label;   /* group: upper header (NULL: none) */
} zb_report_col;

typedef struct zb_report_row {
	const char *key, *label;           /* "total" 合计, "o<id>", "self" 本级 */
	int64_t org_id;                    /* 0 for 合计 */
} zb_report_row;

typedef struct zb_report_table {
	const char *key, *title, *counts;  /* counts: members, applicants, orgs, units */
	const char *note;                  /* how it is counted, one line */
	zb_report_col *cols;
	int ncols;
	int64_t *n;                        /* [row * ncols + col], rows of the report */
} zb_report_table;

typedef struct zb_report {
	int64_t org_id;
	const char *org_name, *org_code, *date;
	int year;
	int provisional;                   /* date after today: may still change */
	zb_report_row *rows;
	int nrows;
	zb_report_table *tables;
	int ntables;
} zb_report;

/* date: YYYY-MM-DD, not after 12-31 of today's year (ZB_EINVAL, field
 * "date", with a Chinese message). */
int zb_report_check_date(const char *date, const char *today, zb_err *e);

/* The annual tables of the subtree of org_id on date, in a. */
int zb_report_annual(zb_db *db, int64_t org_id, const char *date, const char *today, zb_arena *a, zb_report *out,
                     zb_err *e);

/* One entry of a cell's list: no ID number, no birth date. */
typedef struct zb_report_item {
	const char *kind;                  /* member, applicant, org, unit */
	int64_t id;
	const char *name, *org_name, *detail;
} zb_report_item;

typedef struct zb_report_cell {
	const char *key, *table, *column, *row;   /* titles */
	const char *counts;
	int64_t n;                                /* the cell's number */
	zb_report_item *items;                    /* entries offset .. offset+limit */
	int nitems;
} zb_report_cell;

/* The entries cell counts, in counting order, from offset, at most limit.
 * An unknown key is ZB_EINVAL (field "cell"). */
int zb_report_cell_list(zb_db *db, int64_t org_id, const char *date, const char *today, const char *cell,
                        int64_t offset, int64_t limit, zb_arena *a, zb_report_cell *out, zb_err *e);

/* The report as JSON (GET /api/v1/orgs/{id}/annual-report). */
void zb_report_json(const zb_report *r, zb_jw *w);

/* The report as an .xlsx at path: one sheet per table, a title row,
 * 填报单位 and 截至日期, two header rows merged where a group spans
 * columns, the 合计 row first. */
int zb_report_xlsx(const zb_report *r, const char *path, zb_err *e);

#endif
