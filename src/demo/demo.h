/* demo.h - a deterministic fictional county or province (zhibu demo).
 *
 * The generator builds an org tree, members with checksum-valid fictional
 * ID numbers (region codes 99xxxx, which no real region has), committees,
 * terms, units with their coverage and alliances, then rebuilds the
 * roll-ups.  Everything random comes from one seeded generator and dates
 * are counted back from the first day of the current month, so the same
 * seed gives the same names and ID numbers (ciphertexts differ: each
 * encryption has a fresh IV).
 *
 * Member rows go through the member domain's own cleaning and field
 * protection (zb_member_check, zb_member_protect) and get pinyin and sort
 * keys from the same text functions; they are inserted in big
 * transactions without per-row roll-up updates, which a single
 * zb_org_counts_rebuild replaces at the end.
 */
#ifndef ZB_DEMO_H
#define ZB_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_demo_weighted {
	const char *s;
	int w;
} zb_demo_weighted;

extern const zb_demo_weighted zb_demo_surnames[];
extern const zb_demo_weighted zb_demo_minorities[];
extern const char *const zb_demo_given_m[];
extern const char *const zb_demo_given_f[];
extern const char *const zb_demo_place_a[];
extern const char *const zb_demo_place_b[];
extern const char *const zb_demo_organs[];
extern const char *const zb_demo_firm_words[];
extern const char *const zb_demo_firm_kinds[];
extern const char *const zb_demo_social_orgs[];

typedef struct zb_demo_opts {
	int province;           /* cities -> counties instead of one county */
	int64_t members;        /* target number of members */
	uint64_t seed;
	int progress;           /* print progress to stderr */
} zb_demo_opts;

typedef struct zb_demo_result {
	int64_t orgs, members, units, posts, terms, alliances;
	int64_t root_id, county_id, township_id, branch_id, member_id; /* nodes for demo accounts */
	double secs_tree, secs_members, secs_extras, secs_counts;
} zb_demo_result;

/* Generate into db, which zb_init_db has just initialised (root org 1 and
 * the admin account exist).  app->keys must be loaded. */
int zb_demo_generate(zb_app *app, zb_db *db, const zb_demo_opts *o, zb_demo_result *res, zb_err *e);

#endif
