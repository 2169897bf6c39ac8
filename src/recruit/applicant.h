/* applicant.h - a person in the 发展党员 pipeline: the record, its steps
 * as recorded, and the writes that move it along (recruit/steps.c).  No
 * HTTP here: api/api_recruit.c parses requests and calls these.
 *
 * The record is kept like a member's (member/member.h): the ID number is
 * validated by member/idcard.h with birth date and gender derived from it
 * (a stated one that differs is refused), and the ID number and phone are
 * protected by crypto/fieldprot.h, bound to "applicants/<id>/<field>"; a
 * number already on the roster or already in the pipeline is refused.
 *
 * The 25 steps, their order and rules are decided by the engine
 * (recruit/recruit.h, zb_recruit_check); steps.c gathers what the engine
 * needs from the database (the steps done, the roster as it stood on a
 * step's date, the meeting and resolution of a plenary, the rules and the
 * working-day calendar), writes the step and hands the person over to the
 * roster at step 19 (预备党员) and step 24 (转正, extension or
 * cancellation).  Every write is one transaction with its audit row.
 */
#ifndef ZB_RECRUIT_APPLICANT_H
#define ZB_RECRUIT_APPLICANT_H

#include <stdint.h>

#include "audit/audit.h"
#include "auth/authz.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/err.h"
#include "recruit/recruit.h"
#include "store/db.h"

struct zb_keys;

/* Fields an input states (a PATCH leaves the others alone). */
enum zb_afield {
	ZB_AF_NAME = 1u << 0,
	ZB_AF_GENDER = 1u << 1,
	ZB_AF_BIRTH = 1u << 2,
	ZB_AF_ID = 1u << 3,
	ZB_AF_ETHNICITY = 1u << 4,
	ZB_AF_EDUCATION = 1u << 5,
	ZB_AF_WORK_UNIT = 1u << 6,
	ZB_AF_PHONE = 1u << 7,
	ZB_AF_SOURCE = 1u << 8,
	ZB_AF_RECOMMENDED = 1u << 9,
	ZB_AF_APPLIED = 1u << 10,
};

typedef struct zb_applicant {
	int64_t id, org_id, member_id;
	const char *org_path, *org_name;
	const char *name, *pinyin, *gender, *birth_date;
	const char *id_number;             /* plaintext, in memory only */
	const char *id_enc, *id_index, *id_masked;
	const char *ethnicity, *education, *work_unit;
	const char *phone;                 /* plaintext, in memory only */
	const char *phone_enc, *phone_masked;
	const char *source;                /* achiever, returnee, veteran, graduate, young_farmer, other */
	const char *recommended_by;        /* league, members, NULL */
	const char *applied_on, *stage;
	int step;
	const char *step_on;
	const char *closed, *closed_on, *closed_reason;   /* closed: NULL, stopped, cancelled, done */
	int64_t created_by, created_at, updated_at;
} zb_applicant;

/* Code tables: code or Chinese name -> code (NULL if none), code -> name. */
const char *zb_asource_from(const char *s);
const char *zb_asource_name(const char *code);
const char *zb_arecommend_from(const char *s);
const char *zb_arecommend_name(const char *code);

/* Clean and check a in place (given: ZB_AF_* stated), with the member
 * record's own checks (zb_member_check) for name, gender, ethnicity, birth
 * date, ID number, education, work unit and phone; source and
 * recommended_by as codes; applied_on a date not after today (YYYYMMDD).
 * Errors name the JSON field. */
int zb_applicant_check(zb_applicant *a, unsigned given, int today, zb_arena *ar, zb_err *e);
/* Ciphertext (bound to "applicants/<a->id>/<field>"), blind index and
 * masked form of the ID number and phone; cleared when stated empty. */
int zb_applicant_protect(zb_applicant *a, unsigned given, const struct zb_keys *k, zb_arena *ar, zb_err *e);
/* Decrypt into id_number and phone; ZB_EINTERNAL naming the record and
 * field when a value is not this row's. */
int zb_applicant_reveal(zb_applicant *a, const struct zb_keys *k, zb_arena *ar, zb_err *e);

int zb_applicant_get(zb_db *db, int64_t id, zb_arena *ar, zb_applicant *a, zb_err *e);

/* A new person in the pipeline at branch org_id (a branch-type org, not a
 * 党小组 or 党委: field org_id), with step 1 (递交入党申请书) on applied_on
 * checked by the engine (age: field applied_on).  An ID number on the
 * roster or already in the pipeline is refused on field id_number.
 * who must hold member.write at the branch.  *id gets the new id. */
int zb_applicant_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id,
                        const zb_applicant *in, unsigned given, zb_arena *ar, int64_t *id, zb_err *e);
/* The insert of zb_applicant_create inside the caller's transaction, for
 * a record already checked and placed (org_id, org_path set): ID number on
 * the roster or in the pipeline refused, step 1 and the audit row
 * written; a->id and the protected forms set. */
int zb_applicant_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t user_id, zb_applicant *a,
                        unsigned given, zb_arena *ar, zb_err *e);
/* Who holds the ID number of blind index idx: *applicant the record in
 * the pipeline, *member the roster's (0: none). */
int zb_applicant_find_id(zb_db *db, const char *idx, int64_t *applicant, int64_t *member, zb_err *e);
/* Edit of the personal details stated in given. */
int zb_applicant_update(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_applicant *in,
                        unsigned given, zb_arena *ar, zb_err *e);

/* ---- steps (recruit/steps.c) ---- */

struct zb_rstep_input;
/* A history from an import (recruit/rimport.h), step 1 first, dates in
 * order: each step judged by zb_recruit_check_historic against those
 * before it, the people it names by name matched on the roster as it
 * stood on its date; flags[i] gets the message of the rule step i broke,
 * or NULL.  An error is a step that cannot be imported (ZB_EINVAL: a date
 * going backwards, under 18, a malformed fact). */
int zb_recruit_historic_judge(zb_db *db, zb_app *app, const zb_applicant *a, const struct zb_rstep_input *steps,
                              int n, zb_arena *ar, const char **flags, zb_err *e);
/* Write that history for applicant id (just inserted with its step 1) in
 * the caller's transaction, each step with its flag and audit row; then
 * the roster: member_id > 0 links the member already there; otherwise a
 * history that reached step 17 is handed over as step 19 does (入党日期 =
 * the plenary, step 15) and a step 24 with outcome full 转正s as step 24
 * does. */
int zb_recruit_historic_write(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                              const struct zb_rstep_input *steps, int n, int64_t member_id, zb_arena *ar, zb_err *e);

/* A person named by a step as the caller gives them. */
typedef struct zb_rperson_in {
	int64_t member_id;          /* 0: by name */
	const char *name;
} zb_rperson_in;

/* A step as the caller states it; unstated numbers are -1, strings NULL. */
typedef struct zb_rstep_input {
	int step;
	const char *done_on;
	const zb_rperson_in *people;      /* talkers (2, 16), contacts (5), introducers (9) */
	int npeople;
	const char *conclusion, *opinion, *note, *certificate_no, *publicity_from, *volunteer_no, *delay_reason,
		*recommended_by, *outcome;
	int64_t training_days, training_hours, extend_months;
	int64_t meeting_id, resolution_id, group_id;   /* 0: none */
	const char *reason;               /* corrections: why */
} zb_rstep_input;

/* A step row as stored, with what the engine decided of it. */
typedef struct zb_rstep_row {
	int64_t id;
	zb_rstep_rec rec;                 /* step, done_on, facts, people (with roster facts when gathered) */
	const char *facts_json;
	int64_t meeting_id, resolution_id;
	const char *flag, *reason, *recorded_by_name;
	int64_t recorded_by, recorded_at, replaced_by;
	zb_rperson_in *named;             /* the people as stored */
	int nnamed;
} zb_rstep_row;
/* Fill r->rec's facts (conclusion, opinion, outcome, ...) from r->facts_json. */
void zb_rstep_row_facts(zb_arena *ar, zb_rstep_row *r);

/* The whole case of one person: the record, its current steps in order,
 * what is next, the alerts as of today and the end of the 预备期. */
typedef struct zb_rcase_view {
	zb_applicant a;
	zb_rstep_row *rows;
	int nrows;
	zb_rnext next;
	zb_ralert alerts[8];
	int nalerts;
	char probation_end[11];
} zb_rcase_view;
int zb_recruit_view(zb_db *db, int64_t applicant_id, const char *today, zb_arena *ar, zb_rcase_view *v, zb_err *e);

/* Record step in->step of applicant id by who (member.write at the branch;
 * steps of the 上级党委 need member.write at the branch's nearest ancestor
 * of type 党委: ZB_EFORBIDDEN naming it).  A broken rule: ZB_ECONFLICT
 * with the engine's message.  Steps 19 and 24 write the roster. */
int zb_recruit_record(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                      const zb_rstep_input *in, zb_arena *ar, zb_err *e);
/* Correct step row step_id (current) of applicant id: in->reason required;
 * the corrected version is checked against the steps before it and every
 * later step again against the corrected history. */
int zb_recruit_correct(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       int64_t step_id, const zb_rstep_input *in, zb_arena *ar, zb_err *e);
/* 终止培养: close an open pipeline not yet on the roster, with a reason. */
int zb_recruit_close(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *reason,
                     zb_arena *ar, zb_err *e);

/* A page of the pipeline under path (stage: a stage code or NULL; q: part
 * of the name or pinyin, or NULL), ordered by id, after id `after`. */
typedef struct zb_applicant_item {
	zb_applicant a;
	zb_rnext next;
	int nalerts;
} zb_applicant_item;
int zb_applicant_list(zb_db *db, const char *path, const char *stage, const char *q, int64_t after, int64_t limit,
                      const char *today, zb_arena *ar, zb_applicant_item **out, int *n, int64_t *next_after,
                      zb_err *e);

/* The records of such a page without the engine's view (one more than
 * limit when there is a next page). */
int zb_applicant_page(zb_db *db, const char *path, const char *stage, const char *q, int64_t after, int64_t limit,
                      zb_arena *ar, zb_applicant_item **out, int *n, zb_err *e);

#endif
