/* cstore.h - compliance and the risk list kept up to date.
 *
 * What meeting/compliance.h computes from the records, stored (migration
 * 0026) so a county or a province answers from a few rows:
 *   compliance_branch  per branch and period: the branch's totals and
 *                      those of each meeting type (no units);
 *   compliance_sum     per org and period: the zb_csum of its subtree;
 *   risk_store         per member at risk: the zb_risk figures;
 *   risk_sum           per org: members scanned in its subtree.
 * A stored row is good for the date it was computed on (as_of), and for
 * ever when its period ended before that date and before today.
 *
 * Staying correct: triggers note every write that can change a result,
 * whoever makes it (meetings, attendance, risk explanations, members'
 * org, status and joining date, the org tree, committee posts, rule sets)
 * as the org path it touches (compliance_dirty).  A read first drops the
 * stored rows of the orgs on each noted path (the org and its ancestors;
 * a rule set: its whole subtree), then fills what is missing for the org
 * asked about: an org's sum is its own branch plus its children's sums,
 * so after one meeting only the orgs on that meeting's path are computed
 * again; where nothing below is stored (first read, a new day for the
 * current period) the subtree is computed in one pass.  The filling runs
 * in a write transaction, one at a time (compliance_lock); reads of a
 * valid store take no write lock.  Details and figures: docs/MEETINGS.md
 * "Kept up to date".
 */
#ifndef ZB_MEETING_CSTORE_H
#define ZB_MEETING_CSTORE_H

#include "meeting/compliance.h"

typedef struct zb_cchild {
	int64_t org_id;
	const char *name;
	int dissolved;           /* dissolved_on is set */
	zb_csum sum;
} zb_cchild;

/* What GET /orgs/{id}/compliance shows. */
typedef struct zb_creport {
	const char *org_name;
	int is_branch;           /* the org is itself a branch */
	zb_compliance c;         /* is_branch: computed now, with units; else the
	                          * non-compliant branches only, without units */
	int root_branch;         /* index of the org in c.branches, -1 */
	zb_csum sum;             /* the whole subtree */
	zb_cchild *children;     /* direct children with branches below, in tree order */
	int nchildren;
	int *worst;              /* non-compliant branches, worst first */
	int nworst;
} zb_creport;

int zb_compliance_report(zb_db *db, int64_t org_id, const char *path, const zb_period *p, const char *today,
                         zb_arena *a, zb_creport *out, zb_err *e);

/* Every branch of the subtree with its totals and parent name, without
 * units, ordered by path: zb_compliance_compute's branches, from the
 * store. */
int zb_compliance_load(zb_db *db, const char *root_path, const zb_period *p, const char *today, zb_arena *a,
                       zb_compliance *out, zb_err *e);

/* zb_risks_compute's answer, from the store. */
int zb_risks_load(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_risk **out, int *n,
                  int *scanned, zb_err *e);

/* The version of what is stored: the count of refreshes, or "" while
 * noted writes wait for one.  An answer made from the store (or from the
 * records these triggers watch) under a version is still right while the
 * version is the same (core/jcache.h); "" means: keep nothing. */
int zb_cstore_version(zb_db *db, char out[40], zb_err *e);

/* Drop every stored result (after a bulk load that marked everything). */
int zb_cstore_clear(zb_db *db, zb_err *e);

#endif
