/* test_villages.c - one definition of a village (org/org.h ZB_ORG_VILLAGE,
 * docs/ORGS.md "Villages"): the four areas that work at villages (reserve,
 * disclose, village, aid) agree with it and with each other on one small
 * tree: a township committee with a rural branch, a rural 党总支 with two
 * branches, a rural joint branch, an organ branch and a group.  On SQLite
 * and, with ZB_TEST_PG, on PostgreSQL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "core/log.h"
#include "disclose/disclose.h"
#include "org/org.h"
#include "reserve/reserve.h"
#include "village/village.h"
#include "dbfix.h"

typedef struct fx {
	zb_db *db;
	zb_arena a;
	zb_err e;
} fx;

static int setup(void **state)
{
	fx *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	zb_arena_init(&f->a);
	if (dbfix_open("villages", &f->db, &f->e))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx *f = *state;
	zb_db_close(f->db);
	zb_arena_free(&f->a);
	dbfix_remove();
	free(f);
	return 0;
}

static const struct {
	int64_t id, parent;
	const char *path, *type, *domain;
	int village;
} tree[] = {
	{1, 0, "/1/", "committee", "organ", 0},            /* the county */
	{2, 1, "/1/2/", "committee", "rural", 0},          /* a 乡镇党委 */
	{3, 2, "/1/2/3/", "branch", "rural", 1},           /* a village's 党支部 */
	{4, 2, "/1/2/4/", "general_branch", "rural", 1},   /* a village's 党总支 */
	{5, 4, "/1/2/4/5/", "branch", "rural", 0},         /* its branches: part of it */
	{6, 4, "/1/2/4/6/", "branch", "rural", 0},
	{7, 2, "/1/2/7/", "joint_branch", "rural", 1},     /* a joint branch of villages */
	{8, 2, "/1/2/8/", "branch", "organ", 0},           /* the township's organ branch */
	{9, 3, "/1/2/3/9/", "group", "rural", 0},          /* a 党小组 */
};
#define NTREE (sizeof tree / sizeof tree[0])

static void world(fx *f)
{
	for (size_t i = 0; i < NTREE; i++)
		assert_int_equal(zb_db_run(f->db, &f->e, NULL,
		                           "INSERT INTO orgs (id, parent_id, path, depth, name, type, domain, created_at, "
		                           "updated_at) VALUES (?, ?, ?, 0, ?, ?, ?, 0, 0)",
		                           "iIssss", tree[i].id, tree[i].parent, tree[i].path, tree[i].path, tree[i].type,
		                           tree[i].domain),
		                 0);
}

static int want(int64_t id)
{
	for (size_t i = 0; i < NTREE; i++)
		if (tree[i].id == id)
			return tree[i].village;
	fail_msg("org %lld is not in the tree", (long long)id);
	return 0;
}

static void test_four_areas_agree_db(void **state)
{
	fx *f = *state;
	world(f);
	int nwant = 0;
	for (size_t i = 0; i < NTREE; i++) {
		nwant += tree[i].village;
		/* org: the definition */
		int yes = -1;
		assert_int_equal(zb_org_is_village(f->db, tree[i].id, &yes, &f->e), 0);
		assert_int_equal(yes, tree[i].village);
		/* disclose: a village's items and public page */
		zb_village v;
		int rc = zb_disclose_village(f->db, tree[i].id, &f->a, &v, &f->e);
		assert_int_equal(rc, tree[i].village ? 0 : ZB_EINVAL);
		/* aid: where a household is registered */
		const char *path = NULL;
		rc = zb_aid_village_check(f->db, tree[i].id, "org_id", &f->a, &path, NULL, &f->e);
		assert_int_equal(rc, tree[i].village ? 0 : ZB_EINVAL);
		/* village: the org page's section */
		zb_vvillage vv;
		int found = -1;
		assert_int_equal(zb_vvillage_get(f->db, tree[i].id, "2026-11", "2026-12-07", &f->a, &vv, &found, &f->e), 0);
		assert_int_equal(found, tree[i].village);
	}
	int yes = -1;
	assert_int_equal(zb_org_is_village(f->db, 99, &yes, &f->e), 0);
	assert_int_equal(yes, 0);
	assert_int_equal(nwant, 3);

	/* the lists of a subtree: the same villages in each */
	zb_village *dv;
	int dn;
	assert_int_equal(zb_disclose_villages(f->db, "/1/", &f->a, &dv, &dn, &f->e), 0);
	assert_int_equal(dn, nwant);
	for (int i = 0; i < dn; i++)
		assert_true(want(dv[i].id));
	zb_reserve_overview o;
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/", "2026-12-07", &f->a, &o, &f->e), 0);
	assert_int_equal(o.n, nwant);
	assert_int_equal(o.villages, nwant);
	for (int i = 0; i < o.n; i++)
		assert_true(want(o.items[i].org_id));
	zb_vvillage *vs;
	int vn;
	zb_vcounty sum;
	assert_int_equal(zb_vcounty_view(f->db, "/1/", "2026-11", "2026-12-07", NULL, &f->a, &vs, &vn, &sum, &f->e), 0);
	assert_int_equal(vn, nwant);
	assert_int_equal(sum.villages, nwant);
	for (int i = 0; i < vn; i++)
		assert_true(want(vs[i].org_id));
	/* under the township and under the 党总支 */
	assert_int_equal(zb_disclose_villages(f->db, "/1/2/4/", &f->a, &dv, &dn, &f->e), 0);
	assert_int_equal(dn, 1);
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/2/4/", "2026-12-07", &f->a, &o, &f->e), 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(zb_vcounty_view(f->db, "/1/2/4/", "2026-11", "2026-12-07", NULL, &f->a, &vs, &vn, &sum, &f->e), 0);
	assert_int_equal(vn, 1);

	/* a dissolved village is still one, but no area lists it or takes new work at it */
	assert_int_equal(zb_db_run(f->db, &f->e, NULL, "UPDATE orgs SET dissolved_on = '2026-01-01' WHERE id = 7", ""), 0);
	assert_int_equal(zb_org_is_village(f->db, 7, &yes, &f->e), 0);
	assert_int_equal(yes, 1);
	assert_int_equal(zb_disclose_villages(f->db, "/1/", &f->a, &dv, &dn, &f->e), 0);
	assert_int_equal(dn, nwant - 1);
	assert_int_equal(zb_reserve_overview_get(f->db, "/1/", "2026-12-07", &f->a, &o, &f->e), 0);
	assert_int_equal(o.n, nwant - 1);
	assert_int_equal(zb_vcounty_view(f->db, "/1/", "2026-11", "2026-12-07", NULL, &f->a, &vs, &vn, &sum, &f->e), 0);
	assert_int_equal(vn, nwant - 1);
	const char *path;
	assert_int_equal(zb_aid_village_check(f->db, 7, "org_id", &f->a, &path, NULL, &f->e), ZB_EINVAL);
}

int main(void)
{
	zb_log_set_verbose(0);
	const struct CMUnitTest db[] = {
		cmocka_unit_test_setup_teardown(test_four_areas_agree_db, setup, teardown),
	};
	dbfix_uri = NULL;
	int failed = cmocka_run_group_tests_name("villages_sqlite", db, NULL, NULL);
	const char *pg = getenv("ZB_TEST_PG");
	if (pg && *pg) {
		dbfix_uri = pg;
		failed += cmocka_run_group_tests_name("villages_pg", db, NULL, NULL);
	} else {
		fprintf(stderr, "test_villages: ZB_TEST_PG not set, PostgreSQL tests skipped\n");
	}
	return failed ? 1 : 0;
}
