/* alerts.h - the 发展党员 pipelines of a subtree as of today: what is due
 * (the branch calendar's reminders) and what breaks a rule (the county's
 * list).  One statement reads the open applicants of the subtree with
 * their current step rows; the engine (zb_recruit_alerts) decides each
 * person's reminders and breaks by omission.  Imported steps kept with
 * a flag (applicant_steps.flag) are breaks too.  docs/RECRUITMENT.md
 * "County views, printables and reminders".
 */
#ifndef ZB_RECRUIT_ALERTS_H
#define ZB_RECRUIT_ALERTS_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "recruit/recruit.h"
#include "store/db.h"

#define ZB_RA_FLAGGED ZB_RA_KINDS   /* an imported step that broke a rule */

typedef struct zb_ritem {
	int64_t applicant_id, org_id;
	const char *name, *org_name, *org_path, *stage;
	int kind;                   /* zb_ralert_kind, or ZB_RA_FLAGGED */
	int step;                   /* the step it is about */
	char due[11];               /* due (or, flagged, the step's date) */
	char since[11];             /* the date the time ran from: application, plenary, last 考察; "" */
	int overdue;                /* today is after due */
	int days;                   /* today - due (negative: days left) */
	int broken;                 /* a rule is broken: overdue, or past approve_max_months, or flagged */
	const char *text;           /* Chinese: the rule and the dates */
} zb_ritem;

/* Whose items: reminders (every alert the engine gives, for the
 * calendar) or breaks (overdue alerts and flagged steps, for the county). */
enum { ZB_RITEMS_REMINDERS = 1, ZB_RITEMS_BREAKS = 2 };

/* Items of the open applicants under path as of today, most overdue
 * first (then due date, applicant id). */
int zb_recruit_items(zb_db *db, const char *path, const char *today, int which, zb_arena *a, zb_ritem **out, int *n,
                     zb_err *e);

/* 1 for the kinds the branch calendar shows: 谈话 due, 半年考察 due,
 * 预备期 ending within 30 days or ended (转正 due).  The approval is the
 * 上级党委's (the county's list), a flagged step is history. */
int zb_ritem_reminder(int kind);

/* "talk_due" ... "probation_over", "flagged" */
const char *zb_ritem_code(int kind);
/* 谈话 ... (a short Chinese label of the kind) */
const char *zb_ritem_name(int kind);

#endif
