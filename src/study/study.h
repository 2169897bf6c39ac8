/* study.h - 学习教育 and 学时 (docs/STUDY.md): a member's year of study
 * derived from the records the platform holds, against rule kind "study".
 *
 * What counts, each read where it was entered and never copied:
 *   lecture, theme_day  党课 and 主题党日 (meetings) the member attended
 *                       (meeting_attendance status present), with the hours
 *                       the record states: end_at - start_at floored to the
 *                       half hour, at most meeting_max_hours; without an
 *                       end time the rule's lecture_hours / theme_day_hours;
 *   training            the 发展对象 集中培训 (applicant step 11, its
 *                       training_hours, else training_days times
 *                       training_day_hours) for the member the applicant
 *                       became (applicants.member_id), in the year it ended;
 *   central, remote,    sessions of this module (study_sessions) with their
 *   external            attendees: 集中学习 and 远程教育（固定活动日） of a
 *                       branch, external study entered or imported;
 *   course              courses a member studied (course_studies), with the
 *                       course's stated hours.
 * Hours are kept in tenths (hours10) so that "不少于32学时" is an integer
 * comparison: 320 is enough, 315 is short.
 *
 * Required: member_hours, or leader_hours for a member who on the
 * reference date holds a post of a 基层党组织's committee (committee_posts
 * of an org that is not a 党小组, started_on <= date <= ended_on or not
 * ended).  The reference date of a year is its last day, or today for the
 * current year.  Rules: the set of kind "study" for the member's org on
 * the reference date.
 */
#ifndef ZB_STUDY_STUDY_H
#define ZB_STUDY_STUDY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- the rule (pure) ---- */

typedef struct zb_study_rules {
	int member10, leader10;            /* required per year, tenths */
	int lecture10, theme_day10;        /* a meeting without an end time */
	int training_day10;                /* one day of training */
	int meeting_max10;                 /* at most, one meeting */
} zb_study_rules;
void zb_study_rules_default(zb_study_rules *r);
/* The validator of rule kind "study" (rules/rules.c). */
int zb_study_rules_validate(json_t *data, zb_err *e);
/* The set for org_path on date (the default when none). */
int zb_study_rules_get(zb_db *db, const char *org_path, const char *date, zb_study_rules *r, zb_err *e);

/* zb_mtype type, seconds; end_at 0 = not given. */
int zb_study_meeting_hours10(int type, int64_t start_at, int64_t end_at, const zb_study_rules *r);
/* step 11's facts: hours when > 0, else days times training_day10. */
int zb_study_training_hours10(int days, int hours, const zb_study_rules *r);
/* The reference date of year (its last day, or today for the current
 * year); ZB_EINVAL on "year" for a year before 2000 or after today's. */
int zb_study_ref_date(int year, const char *today, char out[11], zb_err *e);
/* "lecture" -> 党课; NULL for an unknown kind. */
const char *zb_study_kind_name(const char *kind);
/* "12.5" for 125 */
const char *zb_study_hours_text(int hours10, zb_arena *a);
/* A number of hours (e.g. 2.5) into tenths: ZB_EINVAL on field unless
 * 0 < hours <= max10/10 with at most one decimal. */
int zb_study_hours_parse(double hours, int max10, const char *field, int *hours10, zb_err *e);

/* ---- a member's year ---- */

typedef struct zb_study_item {
	char date[11];
	const char *kind;                  /* lecture, theme_day, training, central, remote, external, course */
	const char *title;
	int hours10;
	const char *source;                /* "meeting:12", "applicant:3", "session:7", "course:4" */
	int64_t source_id, batch_id;       /* batch_id: the import a session came from, else 0 */
} zb_study_item;

typedef struct zb_study_year {
	int year;
	char ref_date[11];
	int hours10, required10;
	int leader;                        /* holds a committee post on ref_date */
	zb_study_item *items;              /* by date, then kind */
	int n;
} zb_study_year;

/* The year of member_id (any status): items, total, required. */
int zb_study_member_year(zb_db *db, int64_t member_id, int year, const char *today, zb_arena *a, zb_study_year *out,
                         zb_err *e);

/* For the 我的 page: the member's 学时 of year and what the rule requires
 * of them (member_hours or leader_hours), in hours (e.g. 31.5 and 32);
 * today: the China date (zb_today) that decides the reference date of the
 * current year.  ZB_ENOTFOUND for an unknown member, ZB_EINVAL on "year". */
int zb_study_year_sum(zb_db *db, int64_t member_id, int year, const char *today, double *hours, double *required,
                      zb_err *e);

/* ---- who is short, in a subtree ---- */

typedef struct zb_study_row {
	int64_t member_id, org_id;
	const char *name, *org_name, *category;
	int leader, hours10, required10;
} zb_study_row;

typedef struct zb_study_orgsum {
	int64_t org_id;
	const char *name;
	int members, short_count, leaders;
	int64_t hours10;                   /* sum over its members */
	int64_t short10;                   /* sum of what its short members lack */
} zb_study_orgsum;

/* The members of the subtree at path on the roster (正常, 流动, 出国(境))
 * with their year, those short first by what they lack (then name) when
 * short_only, else by org then name; and per org holding members the
 * totals, by path.  Rows and orgs in a. */
int zb_study_org_year(zb_db *db, const char *path, int year, const char *today, int short_only, zb_arena *a,
                      zb_study_row **rows, int *n, zb_study_orgsum **orgs, int *norgs, zb_err *e);

/* ---- sessions: 集中学习, 远程教育, external study ---- */

typedef struct zb_study_session_in {
	int64_t org_id;
	const char *kind;                  /* central, remote, external */
	const char *title, *held_on, *provider;
	int hours10;
	const int64_t *member_ids;
	int nmembers;
	int64_t batch_id;                  /* 0: entered by hand */
} zb_study_session_in;

/* Check and write a session in the caller's write transaction, with its
 * audit row: the org (not dissolved), the kind, a title, a date not after
 * today and in the org's time, 0 < hours <= 24, 1..500 distinct members
 * of the org's subtree on the roster (member_ids[i] out of it: ZB_EINVAL
 * on "member_ids[i]").  who non-NULL: each member within who's member.write. */
int zb_study_session_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                            const zb_study_session_in *in, zb_arena *a, int64_t *id, zb_err *e);
int zb_study_session_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                         const zb_study_session_in *in, zb_arena *a, int64_t *id, zb_err *e);
/* Remove a session entered by mistake (its own transaction, audited). */
int zb_study_session_delete(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, zb_arena *a, zb_err *e);

typedef struct zb_study_session {
	int64_t id, org_id, batch_id;
	const char *org_name, *kind, *title, *held_on, *provider;
	int hours10, nmembers;
	const char **names;                /* up to 20 attendees' names */
	int nnames;
} zb_study_session;
/* The sessions held in year at the orgs of the subtree at path, newest first. */
int zb_study_session_list(zb_db *db, const char *path, int year, zb_arena *a, zb_study_session **items, int *n,
                          zb_err *e);

#endif
