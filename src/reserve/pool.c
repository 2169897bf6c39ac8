/* pool.c - reading the reserve: one village's pool with what is derived
 * on a reference date (age, young, the 试岗 period under way, assessments
 * due), and every village of a subtree for the county's view of
 * "一村一名年轻干部". */
#include "reserve/reserve.h"
#include "reserve/rint.h"
#include "core/grow.h"
#include "org/org.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

/* ---- one village ------------------------------------------------------------------- */

typedef struct pool_ctx {
	zb_arena *ar;
	zb_reserve_pool *p;
	size_t cap;
	const char *ref;
} pool_ctx;

static int pool_row(zb_stmt *st, void *ctx, zb_err *e)
{
	pool_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->p->items, (size_t)c->p->n + 1, c->cap);
	zb_reserve_item *it = &c->p->items[c->p->n++];
	memset(it, 0, sizeof *it);
	zb_reserve_read_row(st, c->ar, &it->r);
	it->age = zb_reserve_age(it->r.birth_date, c->ref);
	it->young = zb_reserve_is_young(&c->p->rules, it->r.birth_date, c->ref);
	if (!it->r.removed_on) {
		c->p->size++;
		c->p->young += it->young;
	}
	return 0;
}

static zb_reserve_item *item_of(zb_reserve_pool *p, int64_t id)
{
	for (int i = 0; i < p->n; i++)
		if (p->items[i].r.id == id)
			return &p->items[i];
	return NULL;
}

static int training_sum(zb_stmt *st, void *ctx, zb_err *e)
{
	pool_ctx *c = ctx;
	(void)e;
	zb_reserve_item *it = item_of(c->p, zb_col_int(st, 0));
	if (it) {
		it->trainings = (int)zb_col_int(st, 1);
		it->training_hours = zb_col_int(st, 2);
	}
	return 0;
}

static int trial_row(zb_stmt *st, void *ctx, zb_err *e)
{
	pool_ctx *c = ctx;
	(void)e;
	zb_reserve_item *it = item_of(c->p, zb_col_int(st, 0));
	const char *from = zb_col_text(st, 2), *to = zb_col_text(st, 3);
	if (!it || it->r.removed_on)
		return 0;
	if (strcmp(from, c->ref) <= 0 && strcmp(c->ref, to) <= 0) {
		it->trial_post = zb_arena_strdup(c->ar, zb_col_text(st, 1));
		it->trial_to = zb_arena_strdup(c->ar, to);
	}
	if (strcmp(to, c->ref) < 0 && zb_col_is_null(st, 4))
		it->due++;
	return 0;
}

int zb_reserve_pool_get(zb_db *db, int64_t org_id, const char *org_path, const char *ref, int with_removed,
                        zb_arena *ar, zb_reserve_pool *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	pool_ctx c = {ar, out, 0, ref};
	int rc = zb_reserve_rules_get(db, org_path, ref, &out->rules, e);
	if (!rc)
		rc = zb_db_each(db, e, pool_row, &c,
		                "SELECT " ZB_RESERVE_COLS "WHERE r.org_id = ? AND (? = 1 OR r.removed_on IS NULL) "
		                "ORDER BY CASE WHEN r.removed_on IS NULL THEN 0 ELSE 1 END, r.entered_on, r.id",
		                "ii", org_id, (int64_t)(with_removed ? 1 : 0));
	if (!rc)
		rc = zb_db_each(db, e, training_sum, &c,
		                "SELECT t.cadre_id, COUNT(*), SUM(t.hours) FROM reserve_trainings t "
		                "JOIN reserve_cadres r ON r.id = t.cadre_id WHERE r.org_id = ? GROUP BY t.cadre_id",
		                "i", org_id);
	if (!rc)
		rc = zb_db_each(db, e, trial_row, &c,
		                "SELECT t.cadre_id, t.post, t.from_on, t.to_on, t.result FROM reserve_trials t "
		                "JOIN reserve_cadres r ON r.id = t.cadre_id WHERE r.org_id = ? ORDER BY t.from_on, t.id",
		                "i", org_id);
	return rc;
}

/* ---- a subtree ------------------------------------------------------------------ */

typedef struct ov_ctx {
	zb_arena *ar;
	zb_reserve_overview *o;
	size_t cap;
	zb_reserve_village **by_id;   /* the villages sorted by org id */
	int *young_age;               /* per village (index in o->items): the rule in force there */
	const char *ref;
} ov_ctx;

static int village_row(zb_stmt *st, void *ctx, zb_err *e)
{
	ov_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->o->items, (size_t)c->o->n + 1, c->cap);
	zb_reserve_village *v = &c->o->items[c->o->n++];
	memset(v, 0, sizeof *v);
	v->org_id = zb_col_int(st, 0);
	v->name = zb_arena_strdup(c->ar, zb_col_text(st, 1));
	v->path = zb_arena_strdup(c->ar, zb_col_text(st, 2));
	v->township = zb_arena_strdup(c->ar, zb_col_text(st, 3));
	return 0;
}

static int by_org_id(const void *a, const void *b)
{
	int64_t x = (*(zb_reserve_village *const *)a)->org_id, y = (*(zb_reserve_village *const *)b)->org_id;
	return x < y ? -1 : x > y;
}

static zb_reserve_village *village_of(ov_ctx *c, int64_t org_id)
{
	zb_reserve_village key = {.org_id = org_id}, *kp = &key;
	zb_reserve_village **f = bsearch(&kp, c->by_id, (size_t)c->o->n, sizeof *c->by_id, by_org_id);
	return f ? *f : NULL;
}

/* an active person: org, birth date */
static int cadre_row(zb_stmt *st, void *ctx, zb_err *e)
{
	ov_ctx *c = ctx;
	(void)e;
	zb_reserve_village *v = village_of(c, zb_col_int(st, 0));
	if (!v)
		return 0;
	const char *removed = zb_col_text(st, 2);
	if (removed) {
		v->removed += !strncmp(removed, c->ref, 4);
		return 0;
	}
	v->pool++;
	zb_reserve_rules r = {.young_max_age = c->young_age[v - c->o->items]};
	v->young += zb_reserve_is_young(&r, zb_col_text(st, 1), c->ref);
	return 0;
}

/* a period of an active person: org, from, to, assessed */
static int ov_trial_row(zb_stmt *st, void *ctx, zb_err *e)
{
	ov_ctx *c = ctx;
	(void)e;
	zb_reserve_village *v = village_of(c, zb_col_int(st, 0));
	const char *from = zb_col_text(st, 1), *to = zb_col_text(st, 2);
	if (!v)
		return 0;
	if (strcmp(from, c->ref) <= 0 && strcmp(c->ref, to) <= 0)
		v->in_trial++;
	if (strcmp(to, c->ref) < 0 && zb_col_is_null(st, 3))
		v->due++;
	return 0;
}

int zb_reserve_overview_get(zb_db *db, const char *path, const char *ref, zb_arena *ar, zb_reserve_overview *out,
                            zb_err *e)
{
	memset(out, 0, sizeof *out);
	ov_ctx c = {ar, out, 0, NULL, NULL, ref};
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	int rc = zb_reserve_rules_get(db, path, ref, &out->rules, e);
	if (!rc)
		rc = zb_db_each(db, e, village_row, &c,
		                "SELECT o.id, o.name, o.path, p.name FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id "
		                "WHERE o.path >= ? AND o.path < ? AND o.dissolved_on IS NULL AND " ZB_ORG_VILLAGE("o", "p") " "
		                "ORDER BY o.path",
		                "ss", path, upper);
	if (rc || !out->n)
		return rc;
	c.by_id = zb_arena_alloc(ar, (size_t)out->n * sizeof *c.by_id);
	c.young_age = zb_arena_alloc(ar, (size_t)out->n * sizeof *c.young_age);
	zb_rules *rs = NULL;
	if ((rc = zb_rules_load(db, "reserve", ref, &rs, e)))
		return rc;
	for (int i = 0; i < out->n && !rc; i++) {
		c.by_id[i] = &out->items[i];
		const zb_rule_set *s = zb_rules_for(rs, out->items[i].path);
		int64_t v = out->rules.young_max_age;
		if (s)
			rc = zb_rule_int(s, "young_max_age", &v, e);
		c.young_age[i] = (int)v;
	}
	zb_rules_free(rs);
	qsort(c.by_id, (size_t)out->n, sizeof *c.by_id, by_org_id);
	if (!rc)
		rc = zb_db_each(db, e, cadre_row, &c,
		                "SELECT r.org_id, COALESCE(m.birth_date, r.birth_date), r.removed_on FROM reserve_cadres r "
		                "LEFT JOIN members m ON m.id = r.member_id WHERE r.org_path >= ? AND r.org_path < ?",
		                "ss", path, upper);
	if (!rc)
		rc = zb_db_each(db, e, ov_trial_row, &c,
		                "SELECT r.org_id, t.from_on, t.to_on, t.result FROM reserve_trials t "
		                "JOIN reserve_cadres r ON r.id = t.cadre_id "
		                "WHERE r.org_path >= ? AND r.org_path < ? AND r.removed_on IS NULL",
		                "ss", path, upper);
	for (int i = 0; !rc && i < out->n; i++) {
		const zb_reserve_village *v = &out->items[i];
		out->villages++;
		out->with_young += v->young > 0;
		out->without_young += v->young == 0;
		out->without_any += v->pool == 0;
		out->pool += v->pool;
		out->in_trial += v->in_trial;
		out->due += v->due;
		out->removed += v->removed;
	}
	return rc;
}
