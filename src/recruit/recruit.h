/* recruit.h - 发展党员: the 25 steps of the 发展细则 (2014), their order,
 * their time rules and what comes next, for one person in the pipeline.
 *
 * This header is the pure part: no database, no HTTP.  The engine
 * (recruit/engine.c) decides from what a caller gathered - the rules in
 * force (recruit/rules.c, rule kind "recruitment"), the working-day
 * calendar (recruit/workcal.h), the person's birth and application dates
 * and the steps already done - whether a step may be recorded, what is
 * next, and what is overdue.  The record and its storage
 * (recruit/applicant.h) gather those facts from the roster and the
 * meeting records and call it; the importer calls it too, to flag
 * historic steps that broke a rule instead of refusing them.
 *
 * Stages: applicant 申请人 (steps 1-2), activist 入党积极分子 (3-6),
 * candidate 发展对象 (7-16), probationary 预备党员 (17-23, from the 上级党委
 * 审批), full 正式党员 (24 with outcome "full", and 25).  Steps 6 and 21
 * (half-year 考察) repeat; after a step 24 approving an extension of the
 * 预备期, steps 21-24 run again once.
 *
 * Dates are "YYYY-MM-DD".  Months and years are added by the 民法典 rule
 * (core/date.h: 2026-01-31 + 1 month = 2026-02-28).
 */
#ifndef ZB_RECRUIT_H
#define ZB_RECRUIT_H

#include <stdint.h>

#include "core/err.h"
#include "recruit/workcal.h"

#define ZB_RSTEPS 25

typedef enum zb_rstage {
	ZB_RS_APPLICANT = 0,   /* 申请人 */
	ZB_RS_ACTIVIST,        /* 入党积极分子 */
	ZB_RS_CANDIDATE,       /* 发展对象 */
	ZB_RS_PROBATIONARY,    /* 预备党员 */
	ZB_RS_FULL,            /* 正式党员 */
	ZB_RS_COUNT
} zb_rstage;
/* "applicant", "activist", "candidate", "probationary", "full" */
const char *zb_rstage_code(int stage);
const char *zb_rstage_name(int stage);          /* 申请人 ... */
int zb_rstage_from(const char *code);           /* code or Chinese name -> stage, or -1 */

/* The name of step 1..25 as the 细则 numbers it ("递交入党申请书"), NULL
 * outside 1..25. */
const char *zb_rstep_name(int step);
/* 1 for steps the 上级党委 records (4, 8, 13, 16, 17, 18, 24): the caller
 * must hold the write permission at the approving 党委 (the branch's
 * nearest ancestor of type 党委) or above. */
int zb_rstep_by_superior(int step);
/* 1 for steps recorded more than once (6, 21). */
int zb_rstep_repeats(int step);

/* Outcomes of a 转正 discussion (step 23) and its approval (step 24). */
typedef enum zb_routcome {
	ZB_RO_NONE = 0,
	ZB_RO_FULL,            /* 按期转为正式党员 */
	ZB_RO_EXTEND,          /* 延长预备期 (6-12 months, once) */
	ZB_RO_CANCEL,          /* 取消预备党员资格 */
} zb_routcome;
const char *zb_routcome_code(int o);            /* "full", "extend", "cancel" */
int zb_routcome_from(const char *s);            /* code or Chinese -> outcome, or -1 */

/* The time and count rules (rule kind "recruitment", national default
 * from the 细则 of 2014-06-10; local sets may differ).  Source and edge
 * of each: docs/RULES.md "发展党员". */
typedef struct zb_recruit_rules {
	int64_t set_id;             /* 0: built-in default */
	int min_age;                /* 18: age on the application date (step 1) */
	int talk_within_months;     /* 1: step 2 within a month of step 1 */
	int activist_min_months;    /* 12: step 3 to step 7 at least a year */
	int assess_every_months;    /* 6: step 6 every half year while an activist */
	int contacts_min, contacts_max;   /* 1, 2 full members (step 5) */
	int introducers;            /* 2 full members (step 9) */
	int training_min_days;      /* 3 days ... */
	int training_min_hours;     /* ... or 24 学时 (step 11) */
	int publicity_workdays;     /* 5 working days of 公示 (step 13) */
	int approve_months;         /* 3: step 17 after step 15, step 24 after step 23 */
	int approve_max_months;     /* 6: with a recorded reason */
	int league_max_age;         /* 28: 共青团推优 is for members under 28 (a note, not a refusal) */
	const char *source;         /* the regulation, for messages and docs */
} zb_recruit_rules;
/* The national default, for tests and a database without the set. */
void zb_recruit_rules_default(zb_recruit_rules *r);

/* One person named by a step: 谈话人 (2, 16), 培养联系人 (5), 入党介绍人
 * (9).  From the roster as it stood on the step's date when on_roster. */
typedef struct zb_rperson {
	int64_t member_id;          /* 0: given by name only (e.g. a cadre of the 上级党委) */
	const char *name;
	const char *category;       /* "full" / "probationary" (on_roster only) */
	const char *full_date;      /* 转正日期 or NULL */
	const char *status;         /* roster status code on the date */
	int on_roster;
} zb_rperson;

/* What the caller found of the meeting a plenary step (15, 23) names. */
typedef struct zb_rmeeting {
	int64_t id;
	int type;                   /* zb_mtype: must be ZB_MT_PLENARY */
	int same_branch;            /* the meeting is the applicant's branch's */
	const char *held_on;
	int has_resolution;         /* a resolution of the right kind (admission for 15, full for 23) */
	int counted;                /* zb_resolution_counted */
	int passed;                 /* zb_resolution_passed */
	int64_t yes, entitled, present_voters, quorum_need;
} zb_rmeeting;

/* One step as recorded (current version), or as proposed. */
typedef struct zb_rstep_rec {
	int step;                   /* 1..25 */
	const char *done_on;
	int npeople;
	const zb_rperson *people;
	const char *conclusion;     /* 10, 12, 13: "pass" / "fail" */
	const char *opinion;        /* 6, 21: 考察意见 text; others: a note */
	int training_days, training_hours;  /* 11 */
	const char *certificate_no; /* 11 */
	const char *publicity_from; /* 13: first day of the 公示 */
	const char *volunteer_no;   /* 14: 入党志愿书编号 */
	const zb_rmeeting *meeting; /* 15, 23 */
	const char *delay_reason;   /* 17, 24 later than approve_months */
	int outcome;                /* 23, 24: zb_routcome */
	int extend_months;          /* 23 with ZB_RO_EXTEND */
	const char *recommended_by; /* 3: "league" / "members" */
} zb_rstep_rec;

/* What the engine knows of one person. */
typedef struct zb_rcase {
	const char *birth_date;     /* may be NULL when unknown */
	const char *applied_on;     /* step 1's date */
	const zb_rstep_rec *done;   /* current rows, in recording order (steps ascending, repeats by date) */
	int ndone;
	int probation_months;       /* the probation rule on the plenary date (member/probation.h), 12 */
	int ext_min, ext_max;       /* extension range in months, 6 and 12 */
} zb_rcase;

/* May `next` be recorded now?  0, or ZB_ECONFLICT with a Chinese message
 * that names the rule and the dates (e.g. "确定为发展对象须经一年以上培养考察：
 * 2025-03-01 确定为积极分子，至 2026-02-28 不满一年") and e->field naming the
 * body field ("done_on", "introducers", "meeting_id", ...); ZB_EINVAL for a
 * malformed fact (missing certificate number, unknown conclusion).  Checks
 * the order (no step skipped; a repeat only where allowed), dates not
 * before the previous step's and not after today, and every time and
 * count rule of the step. */
int zb_recruit_check(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, const zb_rstep_rec *next,
                     const char *today, zb_err *e);

/* A step of the history an import brings (recruit/rimport.h), where the
 * 台账 records some steps and not others: the order is not checked (steps
 * the sheet lacks are not invented), nor facts it has no column for; the
 * time and count rules between the steps it has are (talk within a month,
 * a year as 积极分子, 介绍人 and 培养联系人 full members on the day when
 * found on the roster, training length when stated, approval within
 * approve_max_months or approve_months with no reason, 转正 not before the
 * end of the 预备期).  0, or ZB_ECONFLICT with the rule's message: the
 * importer keeps the step and flags it.  The age rule (step 1) and dates
 * going backwards are ZB_EINVAL: the row cannot be imported. */
int zb_recruit_check_historic(const zb_recruit_rules *r, const zb_rcase *c, const zb_rstep_rec *next, const char *today,
                              zb_err *e);

/* The stage after the steps of c (ZB_RS_APPLICANT with none). */
int zb_recruit_stage(const zb_rcase *c);

/* What comes next: the step, the earliest day it may be recorded, the
 * last day it is due by ("" when no deadline), and what it needs, in
 * Chinese ("两名正式党员作入党介绍人").  step 0: the pipeline is complete
 * or closed. */
typedef struct zb_rnext {
	int step;
	char earliest[11];
	char due[11];
	const char *needs;          /* static text */
} zb_rnext;
void zb_recruit_next(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, zb_rnext *out);

/* Reminders and breaks by omission as of today (calendar reminders and
 * the county's list): 谈话 due or overdue, 半年考察 due, approval past
 * approve_months (overdue) or past approve_max_months (a break), 预备期
 * ending within 30 days (转正 due) or ended without a step 23. */
typedef enum zb_ralert_kind {
	ZB_RA_TALK_DUE = 0,         /* step 2 not done; due = applied_on + talk_within_months */
	ZB_RA_ASSESS_DUE,           /* an activist or probationary member's last 考察 is 6 months old */
	ZB_RA_APPROVAL_DUE,         /* step 17/24 not done; due = plenary + approve_months */
	ZB_RA_PROBATION_ENDING,     /* 预备期 ends within 30 days: prepare 转正 */
	ZB_RA_PROBATION_OVER,       /* 预备期 ended, no step 23 */
	ZB_RA_KINDS
} zb_ralert_kind;
const char *zb_ralert_code(int kind);           /* "talk_due", ... */
typedef struct zb_ralert {
	int kind;
	int step;                   /* the step it is about */
	char due[11];               /* the day it is (or was) due */
	int overdue;                /* today is after due: a rule broken by omission */
	char text[160];             /* Chinese, names the dates */
} zb_ralert;
/* Up to max alerts into out; returns how many. */
int zb_recruit_alerts(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, const char *today,
                      zb_ralert *out, int max);

/* The day the 预备期 ends (plenary date + probation months + extension),
 * "" before step 15; the 转正日期 of a 转正 on time. */
void zb_recruit_probation_end(const zb_rcase *c, char out[11]);

#endif
