/* funnel.c - the county's funnel of 发展党员 for a year and a subtree
 * (recruit/funnel.h): one statement for the year's step rows, one for the
 * open applicants per stage.
 */
#include "recruit/funnel.h"
#include "auth/authz.h"
#include "core/date.h"
#include "org/org.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *name;
	int step;
} kinds[ZB_RF_KINDS] = {
	{"applications", "递交入党申请书", 1},
	{"activists", "确定为入党积极分子", 3},
	{"candidates", "确定为发展对象", 7},
	{"probationary", "接收为预备党员", 17},
	{"full", "转为正式党员", 24},
};

const char *zb_rf_kind_code(int k)
{
	return k >= 0 && k < ZB_RF_KINDS ? kinds[k].code : NULL;
}

const char *zb_rf_kind_name(int k)
{
	return k >= 0 && k < ZB_RF_KINDS ? kinds[k].name : NULL;
}

int zb_rf_kind_step(int k)
{
	return k >= 0 && k < ZB_RF_KINDS ? kinds[k].step : 0;
}

static const char *const age_codes[ZB_RF_AGES] = {"under25", "25-34", "35-44", "45-54", "55+", "unknown"};

const char *zb_rf_age_code(int band)
{
	return band >= 0 && band < ZB_RF_AGES ? age_codes[band] : NULL;
}

int zb_rf_age_band(int age)
{
	if (age < 0)
		return ZB_RF_AGES - 1;
	if (age < 25)
		return 0;
	if (age >= 55)
		return 4;
	return 1 + (age - 25) / 10;
}

static void key_add(zb_rfkeys *k, zb_arena *a, const char *key)
{
	if (!key || !*key)
		key = "unknown";
	for (int i = 0; i < k->n; i++)
		if (!strcmp(k->v[i].key, key)) {
			k->v[i].n++;
			return;
		}
	if (k->n == k->cap) {
		int cap = k->cap ? k->cap * 2 : 8;
		zb_rfkey *v = zb_arena_alloc(a, sizeof *v * (size_t)cap);
		if (k->n)
			memcpy(v, k->v, sizeof *v * (size_t)k->n);
		k->v = v;
		k->cap = cap;
	}
	k->v[k->n].key = zb_arena_strdup(a, key);
	k->v[k->n++].n = 1;
}

/* age in whole years on day, -1 when the birth date is unknown or later */
static int age_on(const char *birth, const char *day)
{
	if (!birth || !zb_date_valid(birth) || !day || strcmp(birth, day) > 0)
		return -1;
	return zb_date_years_between(birth, day);
}

/* 1 when a step's facts say outcome "full" (步骤 24) */
static int outcome_full(const char *facts)
{
	json_error_t je;
	json_t *j = facts ? json_loads(facts, 0, &je) : NULL;
	const char *o = j ? json_string_value(json_object_get(j, "outcome")) : NULL;
	int full = o && zb_routcome_from(o) == ZB_RO_FULL;
	json_decref(j);
	return full;
}

/* the direct sub-org an applicant's branch lies in, or NULL (the org itself) */
static zb_rfchild *child_of(zb_rfunnel *f, size_t rootlen, const char *path)
{
	if (!path || strlen(path) <= rootlen)
		return NULL;
	int64_t id = strtoll(path + rootlen, NULL, 10);
	for (int i = 0; i < f->nchildren; i++)
		if (f->children[i].org_id == id)
			return &f->children[i];
	return NULL;
}

typedef struct frow_ctx {
	zb_rfunnel *f;
	zb_arena *a;
	size_t rootlen;
} frow_ctx;

static int frow(zb_stmt *st, void *vctx, zb_err *e)
{
	(void)e;
	frow_ctx *c = vctx;
	int step = (int)zb_col_int(st, 0), k = -1;
	for (int i = 0; i < ZB_RF_KINDS; i++)
		if (kinds[i].step == step)
			k = i;
	if (k < 0 || (step == 24 && !outcome_full(zb_col_text(st, 2))))
		return 0;
	const char *done_on = zb_col_text(st, 1), *path = zb_col_text(st, 3), *birth = zb_col_text(st, 7);
	zb_rfstage *s = &c->f->k[k];
	s->count++;
	s->age[zb_rf_age_band(age_on(birth, done_on))]++;
	key_add(&s->source, c->a, zb_col_text(st, 4));
	key_add(&s->education, c->a, zb_col_text(st, 5));
	key_add(&s->gender, c->a, zb_col_text(st, 6));
	if (step == 17) {
		int age = age_on(birth, zb_col_text(st, 8));
		if (age >= 0 && age < ZB_RF_YOUNG_AGE)
			c->f->young++;
	}
	zb_rfchild *ch = child_of(c->f, c->rootlen, path);
	if (ch)
		ch->count[k]++;
	return 0;
}

static int stage_row(zb_stmt *st, void *vctx, zb_err *e)
{
	(void)e;
	zb_rfunnel *f = vctx;
	int s = zb_rstage_from(zb_col_text(st, 0));
	int n = (int)zb_col_int(st, 1);
	if (s >= 0)
		f->pipeline[s] += n;
	f->open_total += n;
	return 0;
}

int zb_recruit_funnel(zb_db *db, int64_t org_id, const char *org_path, int year, zb_arena *a, zb_rfunnel *out,
                      zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	zb_org_item *items;
	int n;
	int rc = zb_org_children(db, org_id, 0, a, &items, &n, e);
	if (rc)
		return rc;
	out->children = zb_arena_alloc(a, sizeof *out->children * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		out->children[i].org_id = items[i].org.id;
		out->children[i].name = items[i].org.name;
		out->children[i].path = items[i].org.path;
	}
	out->nchildren = n;
	char upper[256], from[11], to[11];
	zb_path_upper(org_path, upper, sizeof upper);
	snprintf(from, sizeof from, "%04u-01-01", (unsigned)year % 10000u);
	snprintf(to, sizeof to, "%04u-12-31", (unsigned)year % 10000u);
	frow_ctx c = {out, a, strlen(org_path)};
	/* the plenary date (step 15) rides along with step 17 for the
	 * young-member share */
	rc = zb_db_each(db, e, frow, &c,
	                "SELECT s.step, s.done_on, s.facts, a.org_path, a.source, a.education, a.gender, a.birth_date, "
	                "CASE WHEN s.step = 17 THEN (SELECT MIN(p.done_on) FROM applicant_steps p "
	                "WHERE p.applicant_id = a.id AND p.step = 15 AND p.replaced_by IS NULL) END "
	                "FROM applicant_steps s JOIN applicants a ON a.id = s.applicant_id "
	                "WHERE a.org_path >= ? AND a.org_path < ? AND s.replaced_by IS NULL "
	                "AND s.step IN (1, 3, 7, 17, 24) AND s.done_on >= ? AND s.done_on <= ?",
	                "ssss", org_path, upper, from, to);
	if (rc)
		return rc;
	return zb_db_each(db, e, stage_row, out,
	                  "SELECT stage, COUNT(*) FROM applicants WHERE org_path >= ? AND org_path < ? AND closed IS NULL "
	                  "GROUP BY stage",
	                  "ss", org_path, upper);
}
