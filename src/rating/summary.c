/* summary.c - published ratings summed over a subtree: stars, tiers and
 * 晋级/降级 against the year before (the 大屏 and the home page). */
#include "rating/rating.h"
#include "auth/authz.h"

#include <string.h>

int zb_rating_latest_year(zb_db *db, const char *path, int max_year, int *year, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	int64_t y = 0;
	int rc = zb_db_int(db, e, &y,
	                   "SELECT COALESCE(MAX(year), 0) FROM org_ratings WHERE org_path >= ? AND org_path < ? "
	                   "AND year <= ? AND status = 'published'",
	                   "ssi", path, upper, (int64_t)max_year);
	*year = (int)y;
	return rc;
}

typedef struct sum_ctx {
	zb_rating_sum *s;
	const char *path;
} sum_ctx;

static int add_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sum_ctx *c = ctx;
	zb_rating_sum *s = c->s;
	int stars = (int)zb_col_int(st, 0), last = (int)zb_col_int(st, 2);
	const char *tier = zb_col_text(st, 1);
	s->branches++;
	if (stars >= 1 && stars <= 5)
		s->stars[stars]++;
	s->tiers[!strcmp(tier, "advanced") ? 0 : !strcmp(tier, "lagging") ? 2 : 1]++;
	const char *ch = zb_rating_change(stars, last);
	s->up += !strcmp(ch, "up");
	s->down += !strcmp(ch, "down");
	s->same += !strcmp(ch, "same");
	s->fresh += !strcmp(ch, "new");
	if (!strcmp(zb_col_text(st, 3), c->path)) {
		s->own_stars = stars;
		s->own_tier = !strcmp(tier, "advanced") ? "advanced" : !strcmp(tier, "lagging") ? "lagging" : "middle";
		s->own_change = ch;
	}
	return 0;
}

int zb_rating_sum_get(zb_db *db, const char *path, int year, zb_rating_sum *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	if (!year)
		return 0;
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	sum_ctx c = {out, path};
	return zb_db_each(db, e, add_row, &c,
	                  "SELECT r.stars, r.tier, COALESCE(p.stars, 0), r.org_path FROM org_ratings r "
	                  "LEFT JOIN org_ratings p ON p.org_id = r.org_id AND p.year = r.year - 1 AND p.status = 'published' "
	                  "WHERE r.org_path >= ? AND r.org_path < ? AND r.year = ? AND r.status = 'published'",
	                  "ssi", path, upper, (int64_t)year);
}

int zb_rating_version(zb_db *db, int64_t *published, int64_t *newest, zb_err *e)
{
	int64_t v[2] = {0, 0};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT COUNT(*), COALESCE(MAX(published_at), 0) FROM org_ratings WHERE status = 'published'",
	                   "");
	*published = v[0];
	*newest = v[1];
	return rc;
}
