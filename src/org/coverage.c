/* coverage.c - economic and social units (企业, 社会组织) and how party
 * organisation covers them (单独建, 联合建, 挂靠建, or not at all): the code
 * tables, reading a unit, and the rates per subtree from the roll-ups
 * ('unit' and 'unit_cov' dims).  Writes are in units.c.  Calls nothing
 * else in org/. */
#include "org/structure.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code, *name;
} unit_kinds[] = {
	{"enterprise", "企业"},
	{"social_org", "社会组织"},
	{"other", "其他"},
};
static const struct {
	const char *code, *name;
} modes[] = {
	{"single", "单独建"},
	{"joint", "联合建"},
	{"attached", "挂靠建"},
	{"none", "未覆盖"},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *zb_unit_kind_name(const char *c)
{
	for (size_t i = 0; c && i < N(unit_kinds); i++)
		if (!strcmp(unit_kinds[i].code, c))
			return unit_kinds[i].name;
	return NULL;
}

const char *zb_unit_kind_from(const char *s)
{
	for (size_t i = 0; s && i < N(unit_kinds); i++)
		if (!strcmp(unit_kinds[i].code, s) || !strcmp(unit_kinds[i].name, s))
			return unit_kinds[i].code;
	return NULL;
}

const char *zb_coverage_name(const char *c)
{
	for (size_t i = 0; c && i < N(modes); i++)
		if (!strcmp(modes[i].code, c))
			return modes[i].name;
	return "未覆盖";
}

const char *zb_coverage_from(const char *s)
{
	for (size_t i = 0; s && i < N(modes); i++)
		if (!strcmp(modes[i].code, s) || !strcmp(modes[i].name, s))
			return modes[i].code;
	return NULL;
}

void zb_unit_read(zb_stmt *st, zb_arena *a, zb_unit *u)
{
	memset(u, 0, sizeof *u);
	u->id = zb_col_int(st, 0);
	u->org_id = zb_col_int(st, 1);
	u->covering_org_id = zb_col_int(st, 2);
	u->staff_count = zb_col_int(st, 3);
	u->party_members = zb_col_int(st, 4);
	u->full_members = zb_col_int(st, 5);
	u->name = zb_arena_strdup(a, zb_col_text(st, 6));
	u->kind = zb_arena_strdup(a, zb_col_text(st, 7));
	u->subkind = zb_arena_strdup(a, zb_col_text(st, 8));
	u->credit_code = zb_arena_strdup(a, zb_col_text(st, 9));
	u->coverage = zb_arena_strdup(a, zb_col_text(st, 10));
	u->org_path = zb_arena_strdup(a, zb_col_text(st, 11));
	u->address = zb_arena_strdup(a, zb_col_text(st, 12));
	u->remarks = zb_arena_strdup(a, zb_col_text(st, 13));
	u->org_name = zb_arena_strdup(a, zb_col_text(st, 14));
	u->covering_org_name = zb_arena_strdup(a, zb_col_text(st, 15));
}

typedef struct unit_one {
	zb_arena *a;
	zb_unit *u;
} unit_one;

static void read_unit(zb_stmt *st, void *ctx)
{
	unit_one *o = ctx;
	zb_unit_read(st, o->a, o->u);
}

int zb_unit_get(zb_db *db, int64_t id, zb_arena *a, zb_unit *u, zb_err *e)
{
	unit_one o = {a, u};
	return zb_db_one(db, e, "未找到该单位", read_unit, &o, "SELECT " ZB_UNIT_COLS ZB_UNIT_FROM " WHERE u.id = ?", "i", id);
}

/* {"total","covered","rate","by_mode":{...}} from n per mode (single,
 * joint, attached, none) */
static void write_rate(zb_jw *w, const int64_t m[4])
{
	int64_t total = m[0] + m[1] + m[2] + m[3], covered = m[0] + m[1] + m[2];
	jw_kint(w, "total", total);
	jw_kint(w, "covered", covered);
	jw_kint(w, "uncovered", m[3]);
	/* percentage with one decimal; null when there is nothing to cover */
	if (total)
		jw_kdouble(w, "rate", (double)((covered * 1000 + total / 2) / total) / 10.0);
	else
		jw_knull(w, "rate");
	jw_kobj(w, "by_mode");
	for (int i = 0; i < 4; i++)
		jw_kint(w, modes[i].code, m[i]);
	jw_obj_end(w);
}

static int mode_index(const char *m)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(modes[i].code, m))
			return i;
	return 3;
}

/* Units per coverage mode, in all and by kind of unit. */
typedef struct cov_sums {
	int64_t all[4], by[N(unit_kinds)][4];
} cov_sums;

/* A row of org_counts: key "kind/mode", n. */
static int add_cov(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	cov_sums *s = ctx;
	char key[64];
	snprintf(key, sizeof key, "%s", zb_col_text(st, 0));
	char *slash = strchr(key, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	int mi = mode_index(slash + 1);
	int64_t n = zb_col_int(st, 1);
	s->all[mi] += n;
	for (size_t k = 0; k < N(unit_kinds); k++)
		if (!strcmp(unit_kinds[k].code, key))
			s->by[k][mi] += n;
	return 0;
}

int zb_coverage_json(zb_db *db, int64_t org_id, zb_jw *w, zb_err *e)
{
	cov_sums s;
	memset(&s, 0, sizeof s);
	int rc = zb_db_each(db, e, add_cov, &s,
	                    "SELECT key, n FROM org_counts WHERE org_id = ? AND dim = 'unit_cov' AND n <> 0", "i", org_id);
	if (rc)
		return rc;
	int64_t *all = s.all, (*by)[4] = s.by;
	jw_obj(w);
	write_rate(w, all);
	jw_kobj(w, "by_kind");
	for (size_t k = 0; k < N(unit_kinds); k++) {
		jw_kobj(w, unit_kinds[k].code);
		jw_kstr(w, "name", unit_kinds[k].name);
		write_rate(w, by[k]);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}
