/* task.h - 工作任务 and 通知公告 down the org tree, and the 我的 list
 * (docs/TASKS.md).
 *
 * A task is issued by an org to orgs below it (resolved to rows when
 * issued), says what completes it (a reply, a filled form, or a record the
 * platform already holds: a meeting, a 三务公开 item, a dues month) and is
 * due on a day.  A target may pass it down again (a forward: a child task
 * of the same text to the orgs below the target); its own completion is
 * then its targets'.  Completion by a record is evaluated on read, from
 * the records themselves: a meeting held before or after the task was
 * issued completes it with nothing typed.  Progress counts the leaves of
 * the task tree (targets that did not pass it on): assigned, done, and
 * overdue (not done after the due date; the due date itself is on time).
 */
#ifndef ZB_TASK_H
#define ZB_TASK_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* What completes a task. */
typedef enum zb_task_kind {
	ZB_TK_REPLY,      /* a reply: text, photos or PDFs */
	ZB_TK_FORM,       /* the task's form filled in */
	ZB_TK_MEETING,    /* a meeting of link_type held in [link_from, link_to] */
	ZB_TK_DISCLOSURE, /* a 三务公开 item of kind link_type, period link_period, published */
	ZB_TK_DUES,       /* payments recorded for month link_period */
	ZB_TK_NKINDS
} zb_task_kind;
extern const char *const zb_task_kind_codes[ZB_TK_NKINDS];  /* "reply", ... */
extern const char *const zb_task_kind_names[ZB_TK_NKINDS];  /* "回复", ... */
int zb_task_kind_parse(const char *s);                      /* -1 unknown */

/* A task as asked for (POST /tasks; a forward takes targets, due_on,
 * body and confirm_duplicate only).  form: [{"key","label","type":
 * "text|number|date|choice","options":[...],"required"}]; link: {"type",
 * "from","to","period"}; targets: {"mode":"all|type|domain|orgs",
 * "types":[...],"domains":[...],"org_ids":[...]}. */
typedef struct zb_task_in {
	int64_t org_id;
	const char *title, *body, *due_on, *kind;
	json_t *form, *link, *targets;
	int confirm_duplicate;
} zb_task_in;

/* The members of in from a JSON object of those names (borrowed; the
 * others 0 or NULL). */
void zb_task_in_read(json_t *j, zb_task_in *in);

/* An open task for the same thing at one of the new targets. */
typedef struct zb_task_dup {
	int64_t org_id, task_id;
	const char *org_name, *title, *issuer_name, *due_on;
} zb_task_dup;

/* Issue a task (one transaction with its audit row).  With open tasks for
 * the same thing at any target (same link kind and type/period, or the
 * same title without spaces and punctuation due the same month) and
 * without confirm_duplicate, nothing is written: *id = 0 and *dups, *ndups
 * list them (arena a).  Errors name the field. */
int zb_task_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_task_in *in, const char *today, int64_t now,
                   zb_arena *a, int64_t *id, zb_task_dup **dups, int *ndups, zb_err *e);
/* Pass the task of target_id down to orgs below the target (in->targets,
 * in->due_on no later than the task's, default the same; in->body: a
 * note added to the text).  Duplicates as for zb_task_create. */
int zb_task_forward(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const zb_task_in *in,
                    const char *today, int64_t now, zb_arena *a, int64_t *id, zb_task_dup **dups, int *ndups, zb_err *e);
/* Reply to (or fill in) the task of target_id: text (reply tasks: text
 * or a file needed), values (form tasks: checked against the fields).
 * Again later: replaces the answer, keeps the first day. */
int zb_task_reply(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const char *text, json_t *values,
                  const char *today, int64_t now, zb_err *e);
/* A photo or PDF of a reply (stored as meeting/attach.h stores files). */
typedef struct zb_task_file {
	int64_t id, target_id, size, created_at;
	const char *kind, *filename;
} zb_task_file;
int zb_task_file_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const char *filename,
                     const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e);
int zb_task_file_find(zb_db *db, int64_t id, zb_arena *a, zb_task_file *f, const char **stored, zb_err *e);
/* Remind the targets not done of the task and of its forwards: recorded
 * (their reminded_on), audited, at most once a day per task
 * (ZB_ECONFLICT); *pending gets how many were reminded. */
int zb_task_remind(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t task_id, const char *today, int64_t now,
                   int64_t *pending, zb_err *e);

/* ---- reading ---- */

typedef struct zb_task {
	int64_t id, org_id, parent_id, root_id, created_by, created_at;
	const char *org_path, *org_name, *title, *body, *due_on, *kind;
	const char *form_fields, *targets;      /* JSON text */
	const char *link_type, *link_from, *link_to, *link_period; /* NULL when not a link */
	const char *created_by_name, *last_reminded_on;
	int64_t ntargets;                       /* its own targets */
} zb_task;

/* One target and where it stands.  state: "done", "open", "overdue",
 * "forwarded" (passed down, not all done yet). */
typedef struct zb_task_target {
	int64_t id, task_id, org_id, forward_id, replied_at;
	const char *org_path, *org_name, *replied_on, *reply, *form_values, *reminded_on;
	const char *done_on;                    /* the day it was done (a record's day), NULL */
	const char *state;
	int nfiles;
	zb_task_file *files;
} zb_task_target;

int zb_task_get(zb_db *db, int64_t id, zb_arena *a, zb_task *t, zb_err *e);
/* A target with its task (today decides overdue). */
int zb_task_target_get(zb_db *db, int64_t target_id, const char *today, zb_arena *a, zb_task *t, zb_task_target *tt,
                       zb_err *e);
/* A task's own targets (done or not as above), ordered by org path. */
int zb_task_targets(zb_db *db, int64_t task_id, const char *today, zb_arena *a, zb_task_target **out, int *n, zb_err *e);

/* Progress, live: the leaves of the task tree (targets that did not pass
 * it on, of the task and of its forwards), by the orgs directly below
 * `under` (0: the issuing org; else an org within it, ZB_ENOTFOUND on
 * "under" otherwise); the under org's own leaf, if any, first. */
typedef struct zb_task_prow {
	int64_t org_id, assigned, done, overdue;
	const char *org_name, *org_path;
	int has_below;                          /* leaves below it: drill down */
	int64_t target_id;                      /* the org is a target of the tree (else 0) */
	const char *state;                      /* its target's state, or NULL */
} zb_task_prow;
typedef struct zb_task_progress {
	int64_t assigned, done, overdue, under_id;
	const char *under_name;
	int n;
	zb_task_prow *rows;
} zb_task_rollup;
int zb_task_progress(zb_db *db, int64_t task_id, int64_t under, const char *today, zb_arena *a, zb_task_rollup *p,
                     zb_err *e);

/* The county 大屏's figures: the leaf targets under org_path of tasks due
 * in today's year or later: assigned, done, overdue.  One query over the
 * targets and the records they link to; no roster scan. */
int zb_task_subtree_sum(zb_db *db, const char *org_path, const char *today, int64_t *assigned, int64_t *done,
                        int64_t *overdue, zb_err *e);

/* An org's two lists: the tasks issued to it (each with its target) and
 * the tasks it issued (each with its progress counts). */
typedef struct zb_task_item {
	zb_task task;
	zb_task_target target;                  /* zb_task_received only */
	int64_t assigned, done, overdue;        /* zb_task_issued only */
} zb_task_item;
/* The tasks issued to org_id, the open ones first (by due date), then
 * the done ones; at most limit. */
int zb_task_received(zb_db *db, int64_t org_id, const char *today, int limit, zb_arena *a, zb_task_item **out, int *n,
                     zb_err *e);
/* The tasks org_id issued, newest first, with their roll-ups; at most limit. */
int zb_task_issued(zb_db *db, int64_t org_id, const char *today, int limit, zb_arena *a, zb_task_item **out, int *n,
                   zb_err *e);

/* ---- notices ---- */

typedef struct zb_notice {
	int64_t id, org_id, created_by, created_at, read_at;
	const char *org_path, *org_name, *title, *body, *types, *created_by_name;
	int64_t recipients, nread;              /* zb_notice_list only */
	int nfiles;                             /* zb_notice_get: its photos and PDFs */
	zb_task_file *files;                    /* (target_id: the notice) */
} zb_notice;

/* A notice to the accounts under org_id (types: JSON array of org type
 * codes, NULL or [] for all). */
int zb_notice_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *title,
                     const char *body, json_t *types, int64_t now, int64_t *id, zb_err *e);
/* A notice as seen by user_id: *recipient 1 when it is addressed to them
 * (read_at: when they read it, 0 not yet). */
int zb_notice_get(zb_db *db, int64_t id, int64_t user_id, zb_arena *a, zb_notice *n, int *recipient, zb_err *e);
/* A photo or PDF of a notice (at most 10); the file of one. */
int zb_notice_file_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t notice_id, const char *filename,
                       const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e);
int zb_notice_file_find(zb_db *db, int64_t id, zb_arena *a, zb_task_file *f, const char **stored, zb_err *e);
/* Record that user_id read it (the first time only, audited). */
int zb_notice_read(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t now, zb_err *e);
/* The notices an org issued, newest first, with recipients and reads. */
int zb_notice_list(zb_db *db, int64_t org_id, int limit, zb_arena *a, zb_notice **out, int *n, zb_err *e);

/* Read receipts: every recipient with their org and when they read it
 * (0: not yet), unread first; the counts per org of the unread. */
typedef struct zb_notice_rcpt {
	int64_t user_id, org_id, read_at;
	const char *name, *org_name;
} zb_notice_rcpt;
typedef struct zb_notice_org {
	int64_t org_id, unread, total;
	const char *org_name;
} zb_notice_org;
int zb_notice_receipts(zb_db *db, int64_t id, zb_arena *a, zb_notice_rcpt **out, int *n, zb_notice_org **orgs,
                       int *norgs, zb_err *e);

/* ---- 我的 ---- */

/* The signed-in person's one list.  orgs: the orgs they answer tasks
 * for (grants with meeting.write, exact orgs); member_id: their member
 * record (0 none): their meetings, the dues months they owe and this
 * year's 学时 against what the rule requires of them. */
typedef struct zb_inbox_meeting {
	int64_t id, org_id, start_at;
	const char *org_name, *type, *title, *held_on;
} zb_inbox_meeting;
typedef struct zb_inbox_dues {
	int ym;
	int64_t owed_fen;
} zb_inbox_dues;
typedef struct zb_inbox {
	int nnotices, ntasks, nmeetings, ndues;
	zb_notice *notices;                     /* read_at 0: unread (first) */
	zb_task_item *tasks;                    /* not done first */
	zb_inbox_meeting *meetings;
	zb_inbox_dues *dues;
	int64_t unread;
	int has_study;                          /* a member: this year's 学时 (study/study.h) */
	double study_hours, study_required;
} zb_inbox;
int zb_inbox_get(zb_db *db, int64_t user_id, int64_t member_id, const int64_t *orgs, int norgs, const char *today,
                 int64_t now, zb_arena *a, zb_inbox *out, zb_err *e);

/* The demo (after its accounts exist): the county's tasks (one forwarded
 * by the townships, one done by meetings already held, one overdue with
 * replies partly in, one the demo township has still to forward) and
 * notices with some read; branch (the demo secretary's) left to reply. */
int zb_task_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county, int64_t township, int64_t branch, zb_err *e);

#endif
