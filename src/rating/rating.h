/* rating.h - 评星晋级: a branch's yearly star rating computed from the
 * records the platform holds (docs/RATINGS.md).
 *
 * The scheme is rule data (kind "rating", validated by
 * zb_rating_rules_validate, registered in rules/rules.c): indicators with
 * how their points come from the value (rate: weight x share; steps:
 * points by thresholds of the share; deduct: weight less `per` for each
 * count; manual: entered by the rating org up to max), star thresholds by
 * score, caps per star as a share of the branches rated, and the tiers
 * (先进/中间/后进) by stars.  The scheme in force at the rating org on the
 * year's reference date (31 December, or today for the current year)
 * applies to the whole year.
 *
 * Rated: 党支部 and 联合党支部 (types branch, joint_branch) not dissolved
 * by the reference date.  A draft is computed and saved into org_ratings
 * by an org strictly above the branches (org.write there), reviewed and
 * published; a branch never rates itself.  A manual score entered voids
 * the draft of its year (saved again before publishing).  Every indicator carries its
 * value, points and a source naming the records it was counted from.
 */
#ifndef ZB_RATING_H
#define ZB_RATING_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* ---- the scheme (scheme.c) ---- */

enum zb_rmode { ZB_RM_RATE = 1, ZB_RM_STEPS, ZB_RM_DEDUCT, ZB_RM_MANUAL };

#define ZB_RATING_MAX_IND 16
#define ZB_RATING_MAX_STEPS 8

typedef struct zb_rind_rule {
	char key[32];
	char name[64];
	int mode;                 /* zb_rmode */
	double weight;            /* rate, steps, deduct: the most points; manual: max */
	double per;               /* deduct: points off per count */
	int nsteps;               /* steps: [min share, points], descending */
	double step_min[ZB_RATING_MAX_STEPS], step_pts[ZB_RATING_MAX_STEPS];
} zb_rind_rule;

typedef struct zb_rating_rules {
	int64_t rule_id;          /* the set (0: the built-in default) */
	int nind;
	zb_rind_rule ind[ZB_RATING_MAX_IND];
	double stars_min[4];      /* minimum score of 五星, 四星, 三星, 二星 */
	int cap_pct[3];           /* 五星, 四星, 三星: at most this % of the branches rated */
	int advanced_stars;       /* stars >= this: 先进 */
	int lagging_stars;        /* stars <= this: 后进 (0: none) */
} zb_rating_rules;

/* Validator of rule kind "rating" (rules/rules.c). */
int zb_rating_rules_validate(json_t *data, zb_err *e);
/* The scheme in force at org_path on date (the national default when no
 * set is stored). */
int zb_rating_rules_get(zb_db *db, const char *org_path, const char *date, zb_rating_rules *r, zb_err *e);
/* A validated data object into r (rule_id 0). */
int zb_rating_rules_parse(json_t *data, zb_rating_rules *r, zb_err *e);

/* Points of a computed indicator from its value (has_value 0: the
 * indicator does not apply to the branch, full points), rounded to
 * hundredths. */
double zb_rating_points(const zb_rind_rule *ir, int has_value, double value);
/* The stars a score earns by the thresholds alone (1..5). */
int zb_rating_stars_by_score(const zb_rating_rules *r, double score);
/* Caps: at most floor(pct x n / 100) branches of a star, n the branches
 * rated.  Those over the cap drop to the next star in score order (best
 * kept); branches tied on score at the cut all drop, so no branch keeps a
 * star refused to another of the same score.  stars[] holds the stars by
 * score on entry and the final stars on return. */
int zb_rating_cap(int pct, int n);
void zb_rating_apply_caps(const zb_rating_rules *r, const double *score, int *stars, int n);
/* "advanced" | "middle" | "lagging" */
const char *zb_rating_tier(const zb_rating_rules *r, int stars);
const char *zb_rating_tier_name(const char *tier);        /* 先进 ... */
/* Against last year's published stars (0: none): "up" 晋级, "down" 降级,
 * "same" 持平, "new" 首次评定. */
const char *zb_rating_change(int stars, int last_stars);
const char *zb_rating_change_name(const char *change);

/* ---- a rating (compute.c, store.c) ---- */

typedef struct zb_rind {
	const char *key, *name, *mode;  /* mode: rate, steps, deduct, manual */
	int has_value;                  /* 0: not applicable (full points) or manual not entered */
	double value;                   /* share in % (rate, steps), count (deduct), points (manual) */
	double points, max;
	const char *source;             /* "compliance:org:13:2026", "manual:3", ... ("" none) */
	const char *explain;            /* Chinese: what was counted */
} zb_rind;

typedef struct zb_rating {
	int64_t org_id;
	const char *org_name, *org_path;
	int64_t rated_by_org, rule_id;
	double score;
	int stars, stars_by_score;
	const char *tier;
	int last_stars;                 /* last year's published stars, 0 none */
	const char *change;
	const char *status;             /* "draft", "published", "preview" */
	const char *published_at;       /* YYYY-MM-DD or NULL */
	zb_rind *ind;
	int nind;
} zb_rating;

/* The reference date of year: 31 December, or today for the current
 * year; ZB_EINVAL naming "year" outside 2000 .. this year. */
int zb_rating_ref_date(int year, const char *today, char out[11], zb_err *e);
/* Last year's published stars of each rating and the change. */
int zb_rating_last_year(zb_db *db, zb_rating *v, int n, int year, zb_err *e);
/* The branch at path computed alone (thresholds, no caps); ZB_EINVAL
 * when it is not a branch that is rated. */
int zb_rating_compute_branch(zb_db *db, const char *path, int year, const char *today, zb_arena *a, zb_rating *out,
                             zb_err *e);

/* Compute the ratings of the branches strictly below the org at path
 * (the rating org) for year as of today: every indicator, the scores,
 * stars by thresholds then caps, tiers, and the change against last
 * year's published rating.  Read-only. */
int zb_rating_compute(zb_db *db, int64_t org_id, const char *path, int year, const char *today, zb_arena *a,
                      zb_rating **out, int *n, zb_err *e);

/* The ratings of year of the branches of the subtree at path: the saved
 * rows if any branch of it was rated that year (*preview 0), else
 * zb_rating_compute (*preview 1, status "preview").  tier NULL: all. */
int zb_rating_list(zb_db *db, int64_t org_id, const char *path, int year, const char *today, const char *tier,
                   zb_arena *a, zb_rating **out, int *n, int *preview, zb_err *e);

/* One branch: its saved rating of year, else computed now with the
 * thresholds alone (caps apply when the level above rates; status
 * "preview").  ZB_EINVAL when the org is not a branch that is rated. */
int zb_rating_of_branch(zb_db *db, int64_t org_id, int year, const char *today, zb_arena *a, zb_rating *out,
                        zb_err *e);

/* Save the draft of year for the branches below the org (id, path), in
 * a write transaction of its own with its audit row ("rating.draft").
 * Refused (ZB_ECONFLICT) once the year is published for any of them, or
 * when an org above already rated one; ZB_EINVAL with no branch below. */
int zb_rating_draft(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path, int year,
                    const char *today, int *saved, zb_err *e);

/* Publish the drafts of year the org rated ("rating.publish");
 * ZB_ECONFLICT when it has none. */
int zb_rating_publish(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path, int year,
                      int *published, zb_err *e);

/* A manual indicator of branch_id (strictly below the org at path) for
 * year: the scheme's key of mode manual, 0 <= points <= max, a reason;
 * entered again it replaces the earlier entry (audited "rating.manual"
 * with both).  The draft of the year holding the branch is deleted (it
 * no longer says what was entered).  Refused once the year is published. */
typedef struct zb_rating_manual_in {
	int64_t branch_id;
	int year;
	const char *key, *reason;
	double points;
} zb_rating_manual_in;
int zb_rating_manual_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                         const zb_rating_manual_in *in, const char *today, int64_t *id, zb_err *e);

/* ---- published ratings summed (summary.c): the 大屏, the home page ---- */

typedef struct zb_rating_sum {
	int year;                       /* 0: nothing published in the subtree */
	int branches;
	int stars[6];                   /* [1..5] */
	int tiers[3];                   /* advanced, middle, lagging */
	int up, down, same, fresh;      /* against the year before */
	/* the org itself when it is a rated branch (own_stars 0: not rated) */
	int own_stars;
	const char *own_tier, *own_change;
} zb_rating_sum;

/* The newest year up to max_year with a published rating in the subtree
 * at path (0 none). */
int zb_rating_latest_year(zb_db *db, const char *path, int max_year, int *year, zb_err *e);
/* The published ratings of year in the subtree at path summed (year 0:
 * out->year 0, nothing counted).  Strings are static. */
int zb_rating_sum_get(zb_db *db, const char *path, int year, zb_rating_sum *out, zb_err *e);
/* The count of published ratings and the newest publishing time: what
 * the 大屏's version adds for them. */
int zb_rating_version(zb_db *db, int64_t *published, int64_t *newest, zb_err *e);

/* The demo county: last year's ratings published, this year's draft. */
int zb_rating_demo(zb_db *db, zb_app *app, int64_t county_id, const char *today, zb_err *e);
/* The demo's draft of this year, made after 整顿 and the points so that it
 * counts the records the demo made after zb_rating_demo. */
int zb_rating_demo_draft(zb_db *db, zb_app *app, int64_t county_id, const char *today, zb_err *e);

#endif
