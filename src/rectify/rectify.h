/* rectify.h - 软弱涣散 branches and their 整顿 (docs/RECTIFY.md).
 *
 * Identification: the criteria of the rule kind weak_org (the set in
 * force for the branch on the reference date of the year: its last day,
 * or today for the current year) are checked against the records: the
 * 书记 post, the stored 三会一课 compliance per quarter, the published
 * ratings (org_ratings) and the terms.  Each criterion met names the
 * records behind it (sources such as "post:12", "compliance:13:2026Q1",
 * "rating:7", "term:4", "org:13").
 *
 * Listing and plan (migration 0043): an org strictly above a branch lists
 * it for a year (weak_listings), from the criteria or by hand with a
 * reason; the 整顿 plan on the listing holds the problems, the
 * responsible leader (县级领导包联), measures with deadlines, progress
 * entries and the 销号 review by the level above, refused while a measure
 * is open.  A closed plan is read-only until the listing org reopens it
 * with a reason.
 *
 * Every write runs in a write transaction of its own with its audit row;
 * who (the caller) decides what the caller may do beyond the route's
 * permission (the level above, the listing org).  Strings in the arena.
 */
#ifndef ZB_RECTIFY_H
#define ZB_RECTIFY_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- the rule kind weak_org (wrules.c) ---- */

typedef struct zb_weak_rules {
	int vacant_months;      /* 书记 vacant more than this many months */
	int min_percent;        /* a quarter's 三会一课 held under this share of required */
	int quarters;           /* ... in at least this many quarters of the year */
	int lagging_years;      /* published tier 后进 in each of this many years before */
	int term_overdue_days;  /* the term ended more than this many days ago */
	int64_t rule_id;
	const char *source;
} zb_weak_rules;

int zb_weak_rules_validate(json_t *data, zb_err *e);
/* The set in force for org path on date (rules.h lookup). */
int zb_weak_rules_for(zb_db *db, const char *path, const char *date, zb_arena *a, zb_weak_rules *out, zb_err *e);

/* The edges of the criteria, pure: vacant since `since` for more than
 * `months` months on ref (exactly that many months is not more); the
 * term that ended on ends_on overdue more than `days` days on ref; held
 * out of required under min_percent (nothing required: not under). */
int zb_weak_vacant_over(const char *since, int months, const char *ref);
int zb_weak_overdue_over(const char *ends_on, int days, const char *ref);
int zb_weak_share_under(int held, int required, int min_percent);
/* The reference date of a year: its last day, or today while it runs. */
void zb_weak_ref_date(int year, const char *today, char out[11]);

/* ---- identification (ident.c) ---- */

typedef struct zb_weak_crit {
	const char *key;        /* secretary_vacant, compliance_low, lagging, term_overdue, manual */
	const char *name;       /* Chinese */
	const char *detail;     /* what was found, with the figures */
	const char **sources;
	int nsources;
} zb_weak_crit;

typedef struct zb_weak_cand {
	int64_t org_id;
	const char *org_name, *org_path;
	zb_weak_crit *crit;
	int ncrit;
	int64_t listing_id;     /* listed for the year already: its id, else 0 */
	const char *listing_status;
} zb_weak_cand;

/* The branches of the subtree at root meeting at least one criterion for
 * year, in path order. */
int zb_weak_candidates(zb_db *db, const char *root, int year, const char *today, zb_arena *a, zb_weak_cand **out,
                       int *n, zb_err *e);
/* The criteria one org meets for year (*c NULL, *n 0 when none). */
int zb_weak_check_org(zb_db *db, int64_t org_id, int year, const char *today, zb_arena *a, zb_weak_crit **c, int *n,
                      zb_err *e);
/* Criteria as the JSON array stored with a listing (arena). */
const char *zb_weak_crit_json(const zb_weak_crit *c, int n, zb_arena *a);

/* ---- listings and plans (plan.c) ---- */

typedef struct zb_weak_measure {
	int64_t id, listing_id;
	const char *what, *responsible, *due_on, *status, *done_on, *done_note;
	int overdue;            /* open and past due_on (the day itself is not) */
} zb_weak_measure;

typedef struct zb_weak_progress {
	int64_t id, listing_id;
	const char *on_date, *text, *file_kind, *filename;
	int64_t created_at;
} zb_weak_progress;

typedef struct zb_weak_review {
	const char *kind, *on_date, *by_name, *opinion;
} zb_weak_review;

typedef struct zb_weak_listing {
	int64_t id, org_id, listed_by_org;
	const char *org_name, *org_path, *listed_by_name, *listed_by_path, *listed_on, *reason, *criteria, *problems;
	const char *leader_name, *leader_post, *leader_account, *status, *closed_on, *closed_by_name, *close_opinion;
	int year;
	int measures, measures_done, measures_overdue;
	/* the plan (zb_weak_get only) */
	zb_weak_measure *m;
	int nm;
	zb_weak_progress *p;
	int np;
	zb_weak_review *rv;
	int nrv;
} zb_weak_listing;

typedef struct zb_weak_list_input {
	int64_t org_id;
	int year;
	const char *reason;     /* required when no criterion is met */
	const char *on_date;    /* NULL: today */
} zb_weak_list_input;

/* List org as 软弱涣散 for the year.  who must hold org.write strictly
 * above it (the listing org is the nearest such grant); one listing per
 * org and year (ZB_ECONFLICT). */
int zb_weak_list(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                 const zb_weak_list_input *in, zb_arena *a, int64_t *id, zb_err *e);
/* The listings of the subtree (year 0: every year), with measure counts. */
int zb_weak_listings(zb_db *db, const char *root, int year, const char *today, zb_arena *a, zb_weak_listing **out,
                     int *n, zb_err *e);
/* The 整顿 measures of the branches in the subtree at root still open on
 * date ref (not done, or done after it), per branch: the 评星晋级
 * indicator "rectify" counts them. */
typedef struct zb_weak_open {
	int64_t org_id;
	int open;
} zb_weak_open;
int zb_weak_open_measures(zb_db *db, const char *root, const char *ref, zb_arena *a, zb_weak_open **out, int *n,
                          zb_err *e);
/* One listing with its plan. */
int zb_weak_get(zb_db *db, int64_t id, const char *today, zb_arena *a, zb_weak_listing *out, zb_err *e);

/* The plan's problems and leader (NULL: kept), by the level above. */
typedef struct zb_weak_plan_input {
	const char *problems, *leader_name, *leader_post;
	const char *leader_account; /* the leader's login name: NULL kept, "" removed */
} zb_weak_plan_input;
int zb_weak_plan_set(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                     const zb_weak_plan_input *in, zb_err *e);
/* A measure (what, responsible, due_on), by the branch or above. */
int zb_weak_measure_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t listing_id, const char *what,
                        const char *responsible, const char *due_on, int64_t *id, zb_err *e);
/* Mark a measure done on done_on (not in the future) with a note. */
int zb_weak_measure_done(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t measure_id, const char *done_on,
                         const char *note, zb_err *e);
/* A progress entry (not dated in the future). */
int zb_weak_progress_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t listing_id, const char *on_date,
                         const char *text, int64_t *id, zb_err *e);
/* A photo or PDF for a progress entry that has none yet. */
int zb_weak_progress_file(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t progress_id, const char *filename,
                          const void *data, size_t len, zb_err *e);
/* The stored file of a progress entry (ZB_ENOTFOUND when none). */
int zb_weak_progress_file_find(zb_db *db, int64_t progress_id, zb_arena *a, const char **kind, const char **filename,
                               const char **stored_name, zb_err *e);
/* 销号 by the level above (who: org.write strictly above the branch):
 * ZB_ECONFLICT naming the open measures while any is open. */
int zb_weak_close(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                  const char *on_date, const char *opinion, zb_err *e);
/* Reopen a closed plan: org.write at the listing org, with a reason. */
int zb_weak_reopen(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                   const char *reason, zb_err *e);

/* The demo (demo.c), once the accounts exist: as the county (its first
 * organisation administrator), branch (the demo secretary's) listed by
 * hand and in progress with an overdue measure, a candidate of the
 * county listed from the criteria and 销号'd, the other candidates left. */
int zb_rectify_demo(zb_db *db, zb_app *app, int64_t county, int64_t branch, zb_err *e);

/* The org path just above path ("/1/5/23/" -> "/1/5/"; the root: NULL):
 * who holds org.write there is the level above the branch. */
const char *zb_weak_parent_path(const char *path, zb_arena *a);

/* Chinese names of the codes. */
const char *zb_weak_status_name(const char *status);   /* rectifying, closed */
const char *zb_weak_measure_status_name(const char *status); /* open, done */

#endif
