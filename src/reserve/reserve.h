/* reserve.h - 村级后备干部: the reserve pool of a village, its trainings,
 * 试岗锻炼 periods with their assessment, removal, and the county's view
 * of the goal "一村一名年轻干部" (docs/RESERVE.md).  No HTTP here:
 * api/api_reserve.c parses requests and calls these.
 *
 * A person in a pool is either a party member of the roster (member_id:
 * name, gender, birth date, education and political status are the
 * roster's) or a villager who is not a member, kept like an applicant
 * (recruit/applicant.h): the ID number validated by member/idcard.h with
 * birth date and gender derived from it, the ID number and phone
 * protected by crypto/fieldprot.h, bound to "reserve_cadres/<id>/<field>",
 * and found by their blind index.  Age is derived from the birth date on
 * a reference date; the answers show the age, the birth date only to
 * those who may see the whole ID number.
 *
 * A village is what org/org.h says it is (ZB_ORG_VILLAGE,
 * zb_org_is_village): the org a village's committee is.  Every write
 * is one transaction with its audit row. */
#ifndef ZB_RESERVE_H
#define ZB_RESERVE_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- rule kind "reserve" (docs/RULES.md "村级后备干部") ---- */

typedef struct zb_reserve_rules {
	int young_max_age;   /* young: age on the reference date below this */
	int64_t set_id;      /* 0: the built-in default */
} zb_reserve_rules;

/* Validator of rule kind "reserve" (registered in rules/rules.c):
 * young_max_age an integer 25-45, "source" text. */
int zb_reserve_rules_validate(json_t *data, zb_err *e);
/* The set in force for org_path on date (the built-in default, 35, when
 * none is stored). */
int zb_reserve_rules_get(zb_db *db, const char *org_path, const char *date, zb_reserve_rules *r, zb_err *e);

/* Age in whole years on ref (both YYYY-MM-DD): a year more on each
 * birthday (born 29 February: on 1 March in other years); -1 when either
 * date is not valid or ref is before birth. */
int zb_reserve_age(const char *birth, const char *ref);
/* 1 when a person born on birth is young on ref under r: age below
 * r->young_max_age (the day of that birthday is no longer young); 0
 * otherwise or without a birth date. */
int zb_reserve_is_young(const zb_reserve_rules *r, const char *birth, const char *ref);

/* ---- code tables: code or Chinese name -> code (NULL if none), code -> name ---- */
const char *zb_rsource_from(const char *s);
const char *zb_rsource_name(const char *code);
const char *zb_rpolitical_from(const char *s);   /* non-members' statuses */
const char *zb_rpolitical_name(const char *code); /* also member, probationary */
const char *zb_rremoval_from(const char *s);
const char *zb_rremoval_name(const char *code);
const char *zb_rresult_from(const char *s);
const char *zb_rresult_name(const char *code);

/* ---- the record ---- */

typedef struct zb_reserve_training {
	int64_t id;
	const char *held_on, *course;
	int64_t hours;
} zb_reserve_training;

typedef struct zb_reserve_trial {
	int64_t id;
	const char *post, *from_on, *to_on, *mentor;
	const char *result, *comment, *assessed_on;   /* NULL until assessed */
} zb_reserve_trial;

typedef struct zb_reserve {
	int64_t id, org_id, member_id;
	const char *org_path, *org_name;
	const char *name, *gender, *birth_date;         /* a member's: the roster's */
	const char *id_number;                          /* plaintext, in memory only */
	const char *id_enc, *id_index, *id_masked;
	const char *phone;                              /* plaintext, in memory only */
	const char *phone_enc, *phone_masked;
	const char *education, *political, *source, *entered_on, *recommended_by;
	const char *removed_on, *removed_kind, *removed_reason;
	int64_t created_at, updated_at;
	zb_reserve_training *trainings;                 /* zb_reserve_get only */
	int ntrainings;
	zb_reserve_trial *trials;
	int ntrials;
} zb_reserve;

/* The record with its trainings and trials (by date). */
int zb_reserve_get(zb_db *db, int64_t id, zb_arena *ar, zb_reserve *r, zb_err *e);
/* Decrypt a non-member's ID number and phone into id_number and phone. */
int zb_reserve_reveal(zb_reserve *r, const struct zb_keys *k, zb_arena *ar, zb_err *e);

/* Add a person to the pool of village in->org_id (field org_id: not a
 * village, dissolved).  in->member_id > 0: that member, who must belong
 * to the village (else ZB_ENOTFOUND on member_id, the answer of a member
 * that does not exist); otherwise name, and an ID number or a birth date,
 * are required, gender, phone, education and political status optional.
 * Always: source (code), entered_on (not after today), recommended_by.
 * A person already in an active pool, or an ID number on the roster, is
 * refused.  *id gets the new id. */
int zb_reserve_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_reserve *in, zb_arena *ar, int64_t *id,
                   zb_err *e);
/* Fields an edit states (the others are left alone). */
enum zb_rfield {
	ZB_RF_NAME = 1u << 0,
	ZB_RF_GENDER = 1u << 1,
	ZB_RF_BIRTH = 1u << 2,
	ZB_RF_ID = 1u << 3,
	ZB_RF_PHONE = 1u << 4,
	ZB_RF_EDUCATION = 1u << 5,
	ZB_RF_POLITICAL = 1u << 6,
	ZB_RF_SOURCE = 1u << 7,
	ZB_RF_RECOMMENDED = 1u << 8,
};
/* Edit of person id: the fields of in stated in given, checked as when
 * added (a new ID number: the birth date and gender are derived from it
 * again unless stated, and it is refused when on the roster or in another
 * active pool).  A member's personal fields are the roster's: stating one
 * is ZB_ECONFLICT on that field; source and recommended_by may change for
 * anyone.  Refused for a person removed from the pool.  "reserve.update"
 * audit row naming the fields. */
int zb_reserve_update(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve *in,
                      unsigned given, zb_arena *ar, zb_err *e);
/* A training of person id: held_on (not after today, not before entering
 * the pool), course, hours 1-1000. */
int zb_reserve_training_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_training *t,
                            zb_arena *ar, zb_err *e);
/* A 试岗锻炼 period of person id: post, from_on <= to_on, not before
 * entering the pool, not overlapping another period; mentor optional.
 * Refused for a person removed from the pool. */
int zb_reserve_trial_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_trial *t,
                         zb_arena *ar, int64_t *trial_id, zb_err *e);
/* The assessment of period trial_id of person id (ZB_ENOTFOUND when the
 * period is not this person's): result excellent/pass/fail (or 优秀/合格/
 * 不合格), comment required for 不合格, assessed_on (NULL: today) after
 * the period's last day and not after today; once only. */
int zb_reserve_trial_assess(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t trial_id,
                            const char *result, const char *comment, const char *assessed_on, zb_arena *ar, zb_err *e);
/* Removal of person id from the pool on date `on` (not before entering,
 * not after today) with kind (disqualified, elected, away, other) and a
 * reason.  The row, its trainings and trials stay. */
int zb_reserve_remove(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *kind,
                      const char *reason, zb_arena *ar, zb_err *e);
/* The same inside the caller's write transaction (a 取消后备干部资格
 * recorded as an outcome of a 驻村 evaluation, village/review.c). */
int zb_reserve_remove_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *kind,
                         const char *reason, zb_arena *ar, zb_err *e);

/* ---- reading a village and a subtree ---- */

/* One person in a list, with what is derived on the reference date. */
typedef struct zb_reserve_item {
	zb_reserve r;                 /* without trainings and trials */
	int age;                      /* -1: no birth date */
	int young;
	int trainings;                /* how many */
	int64_t training_hours;
	const char *trial_post;       /* the period on the reference date, or NULL */
	const char *trial_to;
	int due;                      /* periods ended and not assessed */
} zb_reserve_item;

/* The pool of village org_id on ref: the people in it (removed too when
 * with_removed), active first, by entry date. */
typedef struct zb_reserve_pool {
	zb_reserve_rules rules;
	int size, young;              /* active people, of them young */
	zb_reserve_item *items;
	int n;
} zb_reserve_pool;
int zb_reserve_pool_get(zb_db *db, int64_t org_id, const char *org_path, const char *ref, int with_removed,
                        zb_arena *ar, zb_reserve_pool *out, zb_err *e);

/* Every village under path (rural, not dissolved) on ref. */
typedef struct zb_reserve_village {
	int64_t org_id;
	const char *name, *path, *township;   /* township: the parent's name */
	int pool, young, in_trial, due, removed;   /* removed: in ref's year */
} zb_reserve_village;
typedef struct zb_reserve_overview {
	zb_reserve_rules rules;
	int villages, with_young, without_young, without_any, pool, in_trial, due, removed;
	zb_reserve_village *items;
	int n;
} zb_reserve_overview;
int zb_reserve_overview_get(zb_db *db, const char *path, const char *ref, zb_arena *ar, zb_reserve_overview *out,
                            zb_err *e);

#endif
