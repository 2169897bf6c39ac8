/* record.h - the writes to a meeting record, each in one transaction with
 * its audit row, and the lists of records (a subtree's meetings, its
 * 谈心谈话 of a year).
 *
 * The writes take the caller's identity as an audit event template (`by`:
 * user_id, username and ip; the rest is ignored) and write the audit row
 * themselves: a refused write leaves nothing behind, files included.
 */
#ifndef ZB_MEETING_RECORD_H
#define ZB_MEETING_RECORD_H

#include <stdint.h>

#include "audit/audit.h"
#include "meeting/attach.h"
#include "meeting/meeting.h"

/* What a new record is saved with, in the same transaction. */
typedef struct zb_meeting_new {
	const char *client_key;          /* NULL: none; else with digest */
	const char *digest;              /* of the save's content (64 hex) */
	const char *const *guests;
	int nguests;
	int has_att;                     /* attendance given (may be empty) */
	const zb_attend_item *att;
	int natt;
	zb_res_row *res;                 /* ids and written counts filled in */
	int nres;
	const zb_attach_in *files;
	int nfiles;
	int late;                        /* past the window, by the level above */
} zb_meeting_new;

/* Load meeting id and its rules for a change, refused when the record is
 * locked (zb_meeting_check_open); *late (may be NULL): past the window but
 * unlocked, so the change is a late edit. */
int zb_meeting_open_change(zb_db *db, int64_t id, int64_t now, zb_arena *a, zb_meeting *m, zb_mrules *r, int *late,
                           zb_err *e);

/* Insert m (checked by zb_meeting_check) with everything in `in` and the
 * "meeting.create" audit row.  A client key already saved by a concurrent
 * twin of this save gives *replayed 1 and *id that record, writing
 * nothing.  Errors name their field: files[i], items[i]... (attendance,
 * as zb_meeting_set_attendance), resolutions[i]. */
int zb_meeting_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_meeting *m,
                      const zb_mrules *r, const zb_meeting_new *in, int64_t now, zb_arena *a, int64_t *id,
                      int *replayed, zb_err *e);

/* Save the edit of old into m with the "meeting.update" audit row naming
 * the fields sent (fields[0..nfields)). */
int zb_meeting_change(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *old, zb_meeting *m,
                      const zb_mrules *r, const char *const *guests, int nguests, const char *const *fields,
                      int nfields, int late, int64_t now, zb_err *e);

/* Set the attendance (zb_meeting_set_attendance) with its audit row. */
int zb_meeting_attend(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_meeting *m,
                      const zb_mrules *r, const zb_attend_item *items, int n, int late, int64_t now, zb_arena *a,
                      zb_err *e);

/* Record one resolution (zb_resolution_insert) with its audit row. */
int zb_meeting_resolve(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, const zb_mrules *r,
                       zb_res_row *x, const zb_opinion *ops, int nops, int late, int64_t now, zb_arena *a,
                       zb_err *e);

/* Unlock a record past its window until `until`, by the level above
 * (by_org), with the reason and its audit row (deadline: the window's). */
int zb_meeting_unlock(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, int64_t by_org,
                      const char *reason, const char *deadline, int64_t until, int64_t now, zb_err *e);

/* A page of the meetings of a subtree, newest first. */
typedef struct zb_meeting_filter {
	const char *type;                /* code or NULL */
	const char *from, *to;           /* held_on range or NULL */
	int64_t after_start, after_id;   /* keyset: INT64_MAX for the first page */
	int64_t limit;
} zb_meeting_filter;
/* *total counts all that match; out gets up to limit + 1 records (one more
 * than limit: there is a next page). */
int zb_meeting_list(zb_db *db, const char *root_path, const zb_meeting_filter *f, zb_arena *a, zb_meeting **out,
                    int *n, int64_t *total, zb_err *e);

/* The 谈心谈话 of a subtree held in a year, newest first (at most 1000). */
int zb_meeting_talks(zb_db *db, const char *root_path, int year, zb_arena *a, zb_meeting **out, int *n, zb_err *e);

#endif
