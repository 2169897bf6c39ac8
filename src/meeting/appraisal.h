/* appraisal.h - 民主评议党员 (yearly appraisal of members) and the yearly
 * 谈心谈话 coverage check.
 *
 * An appraisal belongs to a branch and a year.  Its members are the
 * roster of the branch's subtree on 31 December of that year (or today,
 * while the year runs), taken when it is opened.  Each member has a
 * self-assessment and the votes of the 民主测评 per grade; the grade comes
 * from the votes by the cumulative-majority rule: the best grade g such
 * that the votes for g or better are more than half of the votes cast
 * (so 6 of 10 for 优秀 gives 优秀; 4 优秀 + 5 合格 of 10 gives 合格).  A
 * grade set by hand must differ from the votes only with a note (e.g. the
 * plenary's decision).  Finalising applies the rule's cap on the share of
 * 优秀 (floor(cap x members)): grades set by hand beyond it are refused;
 * grades from votes beyond it are lowered to 合格 for those with the
 * fewest 优秀 votes, with a note.  A final appraisal is read-only.
 *
 * All writes run in the caller's write transaction.
 */
#ifndef ZB_MEETING_APPRAISAL_H
#define ZB_MEETING_APPRAISAL_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "meeting/mrules.h"
#include "store/db.h"

enum zb_grade { ZB_G_NONE = -1, ZB_G_EXCELLENT = 0, ZB_G_QUALIFIED, ZB_G_BASIC, ZB_G_UNQUALIFIED, ZB_G_COUNT };
const char *zb_grade_code(int g);   /* "excellent" ... */
const char *zb_grade_name(int g);   /* "优秀" ... */
int zb_grade_from(const char *s);   /* code or Chinese name, else ZB_G_NONE */
/* The grade the votes give (cumulative majority); ZB_G_NONE if no votes. */
int zb_grade_from_votes(const int64_t votes[ZB_G_COUNT]);
/* The most 优秀 grades allowed among n members under cap (0..1). */
int zb_grade_cap(int n, double cap);

typedef struct zb_appraisal_item {
	int64_t member_id;
	const char *self_assessment;    /* NULL: unchanged */
	int has_votes;
	int64_t votes[ZB_G_COUNT];
	int grade;                      /* ZB_G_NONE: from the votes */
	const char *grade_note;
} zb_appraisal_item;

/* The appraisal of org (a branch) for year; *id 0 when there is none. */
int zb_appraisal_find(zb_db *db, int64_t org_id, int year, int64_t *id, zb_err *e);
/* Open it (taking the roster) if it does not exist.  meeting_id may be 0;
 * else it must be an 'appraisal' meeting of the org in that year. */
int zb_appraisal_open(zb_db *db, int64_t org_id, const char *org_path, int year, const char *today,
                      int64_t meeting_id, int64_t now, int64_t *id, zb_err *e);
/* Update items (errors name items[i].<field>).  ZB_ECONFLICT when final. */
int zb_appraisal_set_items(zb_db *db, int64_t id, const zb_appraisal_item *items, int n, int64_t now, zb_err *e);
/* Compute the grades and apply the cap of r; make it final. */
int zb_appraisal_finalize(zb_db *db, int64_t id, const zb_mrules *r, int64_t by_user, int64_t now, zb_err *e);
/* Write the appraisal as a JSON object (with "items") to w. */
int zb_appraisal_write(zb_db *db, int64_t id, zb_jw *w, zb_err *e);

/* Refuse an org that is not a 党支部 (ZB_EINVAL, field "org_id"): the
 * appraisal and the talks are kept per branch. */
int zb_appraisal_branch_only(zb_db *db, int64_t org_id, zb_arena *a, zb_err *e);
/* Open the year's appraisal when needed and update items, in a
 * transaction of its own with the "appraisal.update" audit row (by: the
 * caller, as in meeting/record.h). */
int zb_appraisal_save(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *org_path, int year,
                      const char *today, int64_t meeting_id, const zb_appraisal_item *items, int n, int64_t now,
                      zb_arena *a, int64_t *id, zb_err *e);
/* zb_appraisal_finalize in a transaction of its own with the
 * "appraisal.finalize" audit row. */
int zb_appraisal_close(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *org_path, int year,
                       const zb_mrules *r, int64_t now, zb_arena *a, zb_err *e);

/* For the member record: a JSON array of the member's appraisals, newest
 * year first: [{"year","org_id","org_name","status","grade","grade_name",
 * "votes":{...},"self_assessment","grade_note"}].  The members module may
 * call this to show the outcome in a member's record. */
int zb_appraisal_member_json(zb_db *db, int64_t member_id, zb_jw *w, zb_err *e);

/* ---- 谈心谈话 coverage ---- */

typedef struct zb_talk_pair {
	int64_t a_id, b_id;
	const char *a_name, *b_name;
	const char *kind;      /* committee, secretary, member */
	int done;
} zb_talk_pair;

typedef struct zb_talk_coverage {
	int year;
	int64_t secretary_id;  /* 0: the branch has no secretary */
	int ncommittee;
	int npairs, ndone;
	zb_talk_pair *pairs;   /* required pairs, each once */
} zb_talk_coverage;

/* Required pairs for the year under rule r (talk.*): every two committee
 * members; the secretary with each committee member; each member with the
 * committee members "over" them - those in the same 党小组, or the
 * secretary when no committee member is in their group (members_under
 * "group_or_secretary"), or always the secretary ("secretary").  The
 * committee is the posts held on 31 December (or today).  A pair is done
 * when a 谈心谈话 between the two is recorded at the branch that year. */
int zb_talk_coverage_compute(zb_db *db, int64_t org_id, const char *org_path, int year, const char *today,
                             const zb_mrules *r, zb_arena *a, zb_talk_coverage *out, zb_err *e);

#endif
