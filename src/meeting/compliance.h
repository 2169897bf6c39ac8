/* compliance.h - compliance, calendar and risks, computed from records only.
 *
 * Requirement units: a 'meeting_freq' item {"every_months":k,"min":n}
 * divides every calendar year into units of k months (k divides 12); each
 * unit needs n meetings of the type held with quorum.  A unit is governed
 * by the rule in force on its LAST day (its deadline), so a rule that
 * changes mid-year governs exactly the units that end after it takes
 * effect.  A period (month, quarter, year) requires the units whose
 * deadline falls inside it; meetings anywhere in such a unit count.  Units
 * are skipped for a branch founded after the unit began or dissolved
 * before it ended; 'group' items count per 党小组 of the branch;
 * 'committee' items apply only where min_posts or more committee posts are
 * held on the deadline (or today, for units not yet ended).  A unit whose
 * deadline has not passed is 'open' (pending, not missing).  Details and
 * the measured cost: docs/MEETINGS.md.
 *
 * Results live in the arena passed in.  Above a branch the routes read
 * these results from the store kept up to date by meeting/cstore.h.
 */
#ifndef ZB_MEETING_COMPLIANCE_H
#define ZB_MEETING_COMPLIANCE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "meeting/mrules.h"
#include "store/db.h"

typedef struct zb_period {
	char label[16];          /* "2026Q3", "2026", "2026-07" */
	char from[11], to[11];
	int from_ym, to_ym;
	int year;
} zb_period;

/* "2026" | "2026H1" | "2026Q3" | "2026-07".  ZB_EINVAL naming "period". */
int zb_period_parse(const char *s, zb_period *p, zb_err *e);

typedef struct zb_cunit {
	int branch;              /* index into zb_compliance.branches */
	int64_t org_id;          /* the branch, or its 党小组 for group units */
	const char *org_name;
	int type;                /* zb_mtype */
	int ym_from, ym_to;      /* the unit's months; ym_to is the deadline month */
	int min;                 /* meetings required */
	int held;                /* held with quorum (all of them, may exceed min) */
	int held_total;          /* recorded, with or without quorum */
	int due;                 /* the deadline has passed (else open) */
	int64_t rule_id;         /* the meeting_freq set that required it */
} zb_cunit;

typedef struct zb_ctype {
	int applies;             /* any unit required */
	int required;            /* sum of min */
	int held;                /* sum of min(held, min) */
	int held_total;          /* meetings recorded in the units */
	int missing;             /* shortfall in units whose deadline passed */
	int pending;             /* shortfall in open units */
} zb_ctype;

typedef struct zb_cbranch {
	int64_t org_id, parent_id;
	const char *path, *name, *type;
	const char *parent_name; /* read with stored results (zb_compliance_load) */
	zb_ctype t[ZB_MT_COUNT];
	int required, held, missing, pending;
	int ok;                  /* nothing missing */
	int state;               /* zb_cstate of the whole branch */
} zb_cbranch;

/* The state of a branch (or of one of its types) in the period:
 * DONE     every unit required has its meetings (held >= required);
 * MISSING  a unit whose deadline passed lacks meetings (missing > 0);
 * OPEN     neither: something is still to do before a deadline to come.
 * A headline "已落实" counts DONE only, so it never stands beside rows
 * with nothing held. */
enum zb_cstate { ZB_CS_DONE = 1, ZB_CS_OPEN = 2, ZB_CS_MISSING = 4 };
const char *zb_cstate_code(int state); /* "done" | "open" | "missing" */
int zb_ctype_state(const zb_ctype *t);

typedef struct zb_compliance {
	zb_period period;
	char today[11];
	int nbranches;
	zb_cbranch *branches;    /* ordered by path */
	int nunits;
	zb_cunit *units;
} zb_compliance;

/* 1 for the org types compliance is judged for: 党支部, 联合/临时/网络支部. */
int zb_compliance_is_branch(const char *type);

/* Compute for every branch-type org (党支部, 联合/临时/网络支部) in the
 * subtree at root_path (the root included) for period p, as of today.
 * The rules in force are loaded from rule_sets. */
int zb_compliance_compute(zb_db *db, const char *root_path, const zb_period *p, const char *today, zb_arena *a,
                          zb_compliance *out, zb_err *e);

/* Sort indices of non-compliant branches, worst first (most missing, then
 * lowest share held, then name).  *n gets their count. */
int *zb_compliance_worst(const zb_compliance *c, zb_arena *a, int *n);

/* Totals over the branches at or under `under` (NULL: all of them). */
typedef struct zb_csum {
	int branches, done, open, missing;     /* branches by state */
	int required, held;
	struct {
		int branches, done, open, missing; /* branches where the type applies, by its state */
		zb_ctype sum;                      /* applies, required, held, held_total, missing, pending */
	} t[ZB_MT_COUNT];
} zb_csum;
void zb_compliance_sum(const zb_compliance *c, const char *under, zb_csum *out);
/* Add one branch, or the totals of another set of branches, to out. */
void zb_csum_add_branch(zb_csum *out, const zb_cbranch *b);
void zb_csum_add(zb_csum *out, const zb_csum *x);

/* Choosing and ordering branches for the lists. */
typedef struct zb_cfilter {
	unsigned states;         /* mask of zb_cstate; 0 = all */
	int type;                /* zb_mtype: judge by that type's state (and
	                          * only branches where it applies); -1 = the
	                          * whole branch */
	const char *under;       /* path of a sub-org, NULL = all */
	const char *q;           /* part of the name, NULL = any */
} zb_cfilter;

enum zb_csort {
	ZB_CSORT_WORST,          /* most missing, lowest share held, path */
	ZB_CSORT_RATE,           /* lowest share held first, then worst */
	ZB_CSORT_NAME,           /* name (code point order), then path */
	ZB_CSORT_TREE,           /* path: the org tree's order */
};
/* Indices of the branches passing f, ordered by sort (desc reverses it).
 * *n gets their count. */
int *zb_compliance_select(const zb_compliance *c, const zb_cfilter *f, int sort, int desc, zb_arena *a, int *n);

/* ---- members ---- */

typedef struct zb_risk {
	int64_t member_id, org_id;
	const char *name, *org_name, *org_path, *status, *category;
	int months;              /* the longer of the two runs below: what the levels judge */
	int life_months;         /* months without organisational life in the current run */
	int dues_months;         /* months owing dues with nothing paid (dues/dues.h) */
	int dues_since_ym;       /* first month of the dues run; 0 none */
	int level;               /* 3, 5 or 6 (the rule's thresholds); 0 below */
	int last_present_ym;     /* 0: never in the records */
	int explained_to_ym;     /* 0: none */
	int since_ym;            /* first month counted in the run */
	int excused_months;      /* passed over: 请假 with a reason, or explained */
	int idle_months;         /* passed over: on no 应到 list (the branch held nothing) */
} zb_risk;

/* Members of the subtree (statuses per the 'meeting_rules' risk rule) with
 * at least the rule's first threshold of months, worst first.
 *
 * 党章 第九条: 没有正当理由，连续六个月不参加党的组织生活 ... 被认为是自行
 * 脱党.  The run is read month by month back from the last complete month
 * (the current month does not count) and ends at the last month the member
 * took part in any meeting - of their own org or of another (a 流动党员 at
 * a 流动党员党支部, a guest at another branch: rows with on_roster 0).
 * Within it a month:
 *   - counts when the member was expected at a meeting and absent
 *     without a recorded 请假;
 *   - is passed over (neither counts nor ends the run) when every meeting
 *     the member missed that month has a 请假 with its reason, or an
 *     explanation (risk_explanations) covers the month: a good reason;
 *   - is passed over when the member was on no 应到 list at all: the
 *     branch held nothing, which is the branch's failure (it shows in
 *     compliance), not the member's.
 * Months up to and including the join month and before the first 应到
 * record are not judged.
 *
 * 党章 第九条 names 不交纳党费 beside it: the dues run is read the same
 * way back from the last complete month (zb_dues_unpaid_run): a month
 * the member owed dues for and paid nothing counts, a month owing nothing
 * (no base, exempt) is passed over, a month paid ends the run; months
 * before the join month and before the first dues base are not judged.
 * A member's months are the longer of the two runs (life_months,
 * dues_months); the list names each.  *scanned gets the members looked
 * at. */
int zb_risks_compute(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_risk **out, int *n,
                     int *scanned, zb_err *e);

/* The same for the members of one org only (own_org > 0) or of the
 * subtree (own_org 0), with the members scanned per org (*scans, in the
 * order met; an org with none scanned is left out). */
typedef struct zb_rscan {
	int64_t org_id;
	const char *org_path;
	int scanned;
} zb_rscan;
int zb_risks_run(zb_db *db, const char *root_path, int64_t own_org, const char *today, zb_arena *a, zb_risk **out,
                 int *n, zb_rscan **scans, int *nscans, zb_err *e);

/* Worst first: most months, then org id, then member id. */
void zb_risks_sort(zb_risk *v, int n);

/* Attendance of one member in [from_ym, to_ym]: meetings expected at
 * (rows in meeting_attendance of meetings already started) and how many
 * present / leave / absent. */
typedef struct zb_mattend {
	int expected, present, leave, absent;
} zb_mattend;
int zb_member_attendance(zb_db *db, int64_t member_id, int from_ym, int to_ym, int64_t now, zb_mattend *out,
                         zb_err *e);

#endif
