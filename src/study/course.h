/* course.h - courses and materials an org publishes to its subtree
 * (docs/STUDY.md): text, a link and a PDF (kept in the meeting
 * attachments' file store, meeting/attach.h), the 学时 the course states,
 * an optional quiz imported from a spreadsheet, and who has studied it.
 *
 * A member sees the courses published at their org or an ancestor.  A
 * course without a quiz is studied when the member marks it; one with a
 * quiz when the member passes it (score >= pass_mark, in per cent).
 * Either way it becomes one item of the member's year (study.h) with the
 * course's hours on that day: no time online is counted, nothing daily.
 * The answer key never leaves the server before an answer is submitted.
 */
#ifndef ZB_STUDY_COURSE_H
#define ZB_STUDY_COURSE_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "io/table.h"
#include "store/db.h"

#define ZB_QUIZ_MAX_QUESTIONS 50
#define ZB_QUIZ_MAX_OPTIONS 6

typedef struct zb_course {
	int64_t id, org_id;
	const char *org_path, *org_name, *title, *body, *link, *published_on;
	int hours10, pass_mark, nquestions;
	const char *file_kind, *file_name, *file_stored;
	int64_t file_size;
	/* a member's view: studied_on NULL when not yet; score -1 when none */
	const char *studied_on;
	int score, attempts;
	/* a manager's view: members of the subtree seen, and those who studied it */
	int64_t assigned, studied;
} zb_course;

typedef struct zb_course_in {
	int64_t org_id;
	const char *title, *body, *link;
	int hours10, pass_mark;
	const char *filename;              /* the PDF, or data NULL */
	const void *data;
	size_t len;
} zb_course_in;

/* Publish in a transaction of its own with the audit row: a title (at
 * most 200 bytes), text (at most 20000 bytes), a link (http or https),
 * 0 < hours <= 24, pass mark 1..100, a PDF by content (meeting/attach.h). */
int zb_course_publish(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_course_in *in, zb_arena *a,
                      int64_t *id, zb_err *e);

/* The course as a manager of path sees it (ZB_ENOTFOUND unless it was
 * published at path, above it or in its subtree), with the counts over
 * the subtree of the deeper of path and the course's own org. */
int zb_course_get(zb_db *db, int64_t id, const char *path, zb_arena *a, zb_course *out, zb_err *e);
/* The courses a manager of path sees: published at path, above it or in
 * its subtree, newest first, with their counts. */
int zb_course_list(zb_db *db, const char *path, zb_arena *a, zb_course **items, int *n, zb_err *e);
/* The courses assigned to member_id (published at the member's org or an
 * ancestor), newest first, with the member's own state. */
int zb_course_mine(zb_db *db, int64_t member_id, zb_arena *a, zb_course **items, int *n, zb_err *e);
/* One of them; ZB_ENOTFOUND when the course is not the member's. */
int zb_course_for_member(zb_db *db, int64_t course_id, int64_t member_id, zb_arena *a, zb_course *out, zb_err *e);

/* Who of the subtree at path (the deeper of path and the course's) has
 * studied it: members on the roster, those who did first. */
typedef struct zb_course_study {
	int64_t member_id;
	const char *name, *org_name, *studied_on;
	int score, attempts;               /* score -1: none */
} zb_course_study;
int zb_course_studies(zb_db *db, int64_t course_id, const char *path, zb_arena *a, zb_course_study **items, int *n,
                      zb_err *e);

/* The member marks a course without a quiz studied (today); again: no change. */
int zb_course_mark(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                   zb_arena *a, zb_err *e);

/* ---- the quiz ---- */

typedef struct zb_quiz_q {
	int64_t id;
	int pos, multiple;
	const char *text;
	const char *options[ZB_QUIZ_MAX_OPTIONS];
	int nopt;
	const char *answer;                /* letters in order, e.g. "AC" */
} zb_quiz_q;
int zb_quiz_questions(zb_db *db, int64_t course_id, zb_arena *a, zb_quiz_q **qs, int *n, zb_err *e);

/* Pure: an answer "c, a" / "AC" / "ac" into sorted distinct letters
 * within nopt options (out, at least ZB_QUIZ_MAX_OPTIONS + 1 bytes);
 * -1 when it names no option or one out of range. */
int zb_quiz_letters(const char *in, int nopt, char *out);
/* Pure: the per cent of questions answered exactly (answers[i] NULL: not
 * answered), rounded half up; right[i] (may be NULL) 1 per exact answer. */
int zb_quiz_score(const zb_quiz_q *qs, int n, const char *const *answers, int nanswers, int *right);

typedef struct zb_quiz_result {
	int score, passed, pass_mark, right_count, n;
	int *right;
	const char *studied_on;            /* set once passed, now or before */
} zb_quiz_result;
/* Score a submission, keep the best score and the attempt, and on a pass
 * mark the course studied today (once); one transaction, audited. */
int zb_quiz_submit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                   const char *const *answers, int nanswers, zb_arena *a, zb_quiz_result *out, zb_err *e);

/* Replace the course's questions by qs (checked already, e.g. by
 * zb_quiz_row_parse) in the caller's write transaction, with the audit
 * row. */
int zb_quiz_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, const zb_quiz_q *qs, int n,
                zb_err *e);

/* Pure: one row of a quiz sheet (题目, 题型 单选/多选, options A..F, 答案)
 * into q; problems in Chinese appended to errs (room for 4). */
void zb_quiz_row_parse(const char *text, const char *kind, const char *const *opts, const char *answer, zb_arena *a,
                       zb_quiz_q *q, const char **errs, int *nerr);

typedef struct zb_quiz_row {
	int rownum;
	zb_quiz_q q;
	const char *errors[4];
	int nerr;
} zb_quiz_row;
typedef struct zb_quiz_import {
	int header_row, nrows, nerrors;
	zb_quiz_row *rows;
} zb_quiz_sheet;
/* Read a quiz sheet (.xlsx or .csv) for the course; every row checked,
 * within limits (NULL: the defaults; the API passes the shared parse
 * budget's charge, as every import does).
 * commit: when no row is in error, the course's questions are replaced by
 * these in one transaction with the audit row (a row in error: ZB_EINVAL
 * naming the first, nothing written).  The preview (commit 0) writes
 * nothing. */
int zb_quiz_import(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, const void *data, size_t len,
                   const zb_table_limits *limits, int commit, zb_arena *a, zb_quiz_sheet *out, zb_err *e);

/* The demo county's 学习教育 (demo.c): three courses of the county, one
 * with a quiz; in the township of township_id every branch's 集中学习 and
 * 远程教育 with most of its members, a township training of the
 * secretaries and committee members, some external study; in branch_id
 * courses studied and quizzes taken, except by keep_member (the demo
 * member, who takes the quiz in the browser tests).  Through the
 * functions above. */
int zb_study_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county_id, int64_t township_id, int64_t branch_id,
                  int64_t keep_member, zb_err *e);

#endif
