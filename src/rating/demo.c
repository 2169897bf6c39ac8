/* demo.c - the demo county's ratings through the domain functions: a
 * few 特色创新 scores, last year's ratings drafted and published, this
 * year's draft waiting for review. */
#include "rating/rating.h"
#include "auth/authz.h"
#include "core/grow.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const reasons[] = {
	"创建“党建+产业”示范点，带动集体经济增收",
	"“村民说事”议事机制被县委组织部推广",
	"党员志愿服务队常态化开展助老服务",
};

typedef struct ids {
	zb_arena *a;
	int64_t *v;
	int n;
	size_t cap;
} ids;

static int add_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ids *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	l->v[l->n++] = zb_col_int(st, 0);
	return 0;
}

int zb_rating_demo(zb_db *db, zb_app *app, int64_t county_id, const char *today, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org c;
	ids b = {&a, NULL, 0, 0};
	int rc = zb_org_get(db, county_id, &a, &c, e);
	char upper[512];
	if (!rc) {
		zb_path_upper(c.path, upper, sizeof upper);
		rc = zb_db_each(db, e, add_id, &b,
		                "SELECT id FROM orgs WHERE path > ? AND path < ? AND type IN ('branch', 'joint_branch') "
		                "AND dissolved_on IS NULL ORDER BY path",
		                "ss", c.path, upper);
	}
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	int year = atoi(today), saved = 0, published = 0;
	/* 特色创新 for about one branch in fifteen each year */
	for (int y = year - 1; !rc && y <= year; y++)
		for (int i = (y - year + 1) * 7; !rc && i < b.n; i += 15) {
			zb_rating_manual_in in = {.branch_id = b.v[i], .year = y, .key = "innovation",
			                          .reason = reasons[(size_t)i % 3], .points = 2 + i % 4};
			int64_t id;
			rc = zb_rating_manual_set(db, app, &by, county_id, c.path, &in, today, &id, e);
		}
	if (!rc)
		rc = zb_rating_draft(db, app, &by, county_id, c.path, year - 1, today, &saved, e);
	if (!rc)
		rc = zb_rating_publish(db, app, &by, county_id, c.path, year - 1, &published, e);
	zb_arena_free(&a);
	return rc;
}

int zb_rating_demo_draft(zb_db *db, zb_app *app, int64_t county_id, const char *today, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org c;
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	int saved = 0;
	int rc = zb_org_get(db, county_id, &a, &c, e);
	if (!rc)
		rc = zb_rating_draft(db, app, &by, county_id, c.path, atoi(today), today, &saved, e);
	zb_arena_free(&a);
	return rc;
}
