/* stats.c - subtree statistics from the roll-ups: a few hundred rows read
 * by primary key, whatever the size of the subtree.
 *
 * Ages and party ages are stored by year (birth_year, full_year) and put
 * into bands here, with the current year, so the stored counts never go
 * stale: age = this year - birth year (the age reached this year). */
#include "org/structure.h"
#include "core/grow.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct band {
	const char *label;
	int lo, hi;  /* inclusive years */
} band;

/* Reporting categories of the usual statistical tables. */
static const band age_bands[] = {
	{"≤30", 0, 30}, {"31–40", 31, 40}, {"41–50", 41, 50}, {"51–60", 51, 60}, {"61–70", 61, 70}, {">70", 71, 1000},
};
static const band party_age_bands[] = {
	{"<5", 0, 4}, {"5–10", 5, 10}, {"11–20", 11, 20}, {"21–30", 21, 30}, {"31–50", 31, 50}, {">50", 51, 1000},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

int zb_stats_band_count(int kind)
{
	return kind == ZB_BAND_AGE ? (int)N(age_bands) : (int)N(party_age_bands);
}

const char *zb_stats_band_label(int kind, int i)
{
	const band *b = kind == ZB_BAND_AGE ? age_bands : party_age_bands;
	return i >= 0 && i < zb_stats_band_count(kind) ? b[i].label : NULL;
}

int zb_stats_band_of(int kind, int years)
{
	const band *b = kind == ZB_BAND_AGE ? age_bands : party_age_bands;
	for (int k = 0; k < zb_stats_band_count(kind); k++)
		if (years >= b[k].lo && years <= b[k].hi)
			return k;
	return -1;
}

typedef struct kv {
	char key[48];
	int64_t n;
} kv;

typedef struct dimrows {
	kv *v;
	int n;
	size_t cap;
} dimrows;

enum { D_TOTAL, D_CATEGORY, D_GENDER, D_ETHNICITY, D_BIRTH, D_EDUCATION, D_FULL, D_STATUS, D_ORGTYPE, D_ORGDOMAIN, D_MAX };
static const char *const dim_names[D_MAX] = {"total",     "category",  "gender", "ethnicity", "birth_year",
                                             "education", "full_year", "status", "org_type",  "org_domain"};

static int push(dimrows *d, const char *key, int64_t n)
{
	if (ZB_GROW(d->v, (size_t)d->n, d->cap))
		return -1;
	snprintf(d->v[d->n].key, sizeof d->v[d->n].key, "%s", key);
	d->v[d->n++].n = n;
	return 0;
}

static int cmp_desc(const void *a, const void *b)
{
	const kv *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int64_t get(const dimrows *d, const char *key)
{
	for (int i = 0; i < d->n; i++)
		if (!strcmp(d->v[i].key, key))
			return d->v[i].n;
	return 0;
}

static void write_map(zb_jw *w, const char *name, const dimrows *d, const char *const *keys, int nkeys)
{
	jw_kobj(w, name);
	int64_t other = 0;
	for (int k = 0; k < nkeys; k++)
		jw_kint(w, keys[k], get(d, keys[k]));
	for (int i = 0; i < d->n; i++) {
		int known = 0;
		for (int k = 0; k < nkeys; k++)
			known |= !strcmp(d->v[i].key, keys[k]);
		if (!known)
			other += d->v[i].n;
	}
	if (other)
		jw_kint(w, "unknown", other);
	jw_obj_end(w);
}

static void write_list(zb_jw *w, const char *name, dimrows *d)
{
	if (d->n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(d->v, (size_t)d->n, sizeof *d->v, cmp_desc);
	jw_karr(w, name);
	for (int i = 0; i < d->n; i++) {
		jw_obj(w);
		jw_kstr(w, "name", d->v[i].key[0] ? d->v[i].key : "未填写");
		jw_kint(w, "n", d->v[i].n);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void write_bands(zb_jw *w, const char *name, const dimrows *d, const band *b, size_t nb, int year,
                        const char *unknown_label, int64_t unknown_extra)
{
	int64_t cnt[8] = {0}, unknown = unknown_extra;
	for (int i = 0; i < d->n; i++) {
		if (!d->v[i].key[0]) {
			unknown += d->v[i].n;
			continue;
		}
		int k = zb_stats_band_of(b == age_bands ? ZB_BAND_AGE : ZB_BAND_PARTY_AGE, year - atoi(d->v[i].key));
		if (k >= 0)
			cnt[k] += d->v[i].n;
		else
			unknown += d->v[i].n; /* a year in the future: bad data */
	}
	jw_karr(w, name);
	for (size_t k = 0; k < nb; k++) {
		jw_obj(w);
		jw_kstr(w, "band", b[k].label);
		jw_kint(w, "n", cnt[k]);
		jw_obj_end(w);
	}
	if (unknown) {
		jw_obj(w);
		jw_kstr(w, "band", unknown_label);
		jw_kint(w, "n", unknown);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* A row of org_counts (dim, key, n) into its dimension of d[D_MAX]. */
static int add_dim_row(zb_stmt *st, void *ctx, zb_err *e)
{
	dimrows *d = ctx;
	const char *dim = zb_col_text(st, 0);
	for (int k = 0; k < D_MAX; k++)
		if (!strcmp(dim, dim_names[k]))
			return push(&d[k], zb_col_text(st, 1), zb_col_int(st, 2)) ? zb_fail(e, ZB_EINTERNAL, NULL, "内存不足") : 0;
	return 0;
}

/* An own member's birth and full-membership dates, counted by year. */
static int add_own_ages(zb_stmt *st, void *ctx, zb_err *e)
{
	dimrows *d = ctx;
	for (int k = 0; k < 2; k++) {
		char key[8];
		zb_counts_year_key(zb_col_text(st, k), key);
		dimrows *dr = &d[k ? D_FULL : D_BIRTH];
		int at = -1;
		for (int i = 0; i < dr->n && at < 0; i++)
			if (!strcmp(dr->v[i].key, key))
				at = i;
		if (at >= 0)
			dr->v[at].n++;
		else if (push(dr, key, 1))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	return 0;
}

int zb_org_stats_json(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e)
{
	dimrows d[D_MAX];
	memset(d, 0, sizeof d);
	/* every dimension but 'term' (many date keys, summed separately) and
	 * the warn/unit dims written by their own modules */
	int rc = zb_db_each(db, e, add_dim_row, d,
	                    "SELECT dim, key, n FROM org_counts WHERE org_id = ? AND dim IN "
	                    "('total','category','gender','ethnicity','birth_year','education','full_year','status',"
	                    "'org_type','org_domain') AND n <> 0",
	                    "i", org_id);
	/* the org's own members' ages are not in its rows (see counts.h) */
	if (!rc)
		rc = zb_db_each(db, e, add_own_ages, d,
		                "SELECT birth_date, full_date FROM members WHERE org_id = ? AND status NOT IN ('removed', 'deceased')",
		                "i", org_id);
	if (rc)
		goto out;
	int year = atoi(today);
	int64_t total = get(&d[D_TOTAL], "");

	jw_obj(w);
	jw_kint(w, "org_id", org_id);
	jw_kstr(w, "as_of", today);
	jw_kobj(w, "members");
	jw_kint(w, "total", total);
	static const char *const cats[] = {"full", "probationary"};
	write_map(w, "category", &d[D_CATEGORY], cats, 2);
	static const char *const genders[] = {"M", "F"};
	write_map(w, "gender", &d[D_GENDER], genders, 2);

	/* 民族: 汉族 against all minorities, and the largest minorities */
	int64_t han = 0, minority = 0, unknown = 0;
	dimrows mins = {0};
	for (int i = 0; i < d[D_ETHNICITY].n; i++) {
		const kv *x = &d[D_ETHNICITY].v[i];
		if (!x->key[0])
			unknown += x->n;
		else if (!strcmp(x->key, "汉族") || !strcmp(x->key, "汉"))
			han += x->n;
		else {
			minority += x->n;
			push(&mins, x->key, x->n);
		}
	}
	jw_kobj(w, "ethnicity");
	jw_kint(w, "han", han);
	jw_kint(w, "minority", minority);
	if (unknown)
		jw_kint(w, "unknown", unknown);
	if (mins.n > 1)
		qsort(mins.v, (size_t)mins.n, sizeof *mins.v, cmp_desc);
	jw_karr(w, "top_minorities");
	for (int i = 0; i < mins.n && i < 10; i++) {
		jw_obj(w);
		jw_kstr(w, "name", mins.v[i].key);
		jw_kint(w, "n", mins.v[i].n);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	free(mins.v);

	write_bands(w, "age_bands", &d[D_BIRTH], age_bands, N(age_bands), year, "未知", 0);
	write_list(w, "education", &d[D_EDUCATION]);
	/* party age counts from 转正; probationary members have none yet */
	int64_t prob = get(&d[D_CATEGORY], "probationary");
	dimrows full_years = {0};
	int64_t no_date = 0;
	for (int i = 0; i < d[D_FULL].n; i++) {
		if (d[D_FULL].v[i].key[0])
			push(&full_years, d[D_FULL].v[i].key, d[D_FULL].v[i].n);
		else
			no_date += d[D_FULL].v[i].n;
	}
	write_bands(w, "party_age_bands", &full_years, party_age_bands, N(party_age_bands), year, "未知",
	            no_date - prob > 0 ? no_date - prob : 0);
	free(full_years.v);
	jw_kint(w, "probationary_no_party_age", prob);
	static const char *const statuses[] = {"normal", "mobile", "lost", "abroad", "suspended", "removed", "deceased"};
	write_map(w, "status", &d[D_STATUS], statuses, 7);
	jw_obj_end(w);

	jw_kobj(w, "orgs");
	int64_t norgs = 0;
	for (int i = 0; i < d[D_ORGTYPE].n; i++)
		norgs += d[D_ORGTYPE].v[i].n;
	jw_kint(w, "total", norgs);
	jw_kobj(w, "by_type");
	for (int i = 0; i < d[D_ORGTYPE].n; i++)
		jw_kint(w, d[D_ORGTYPE].v[i].key, d[D_ORGTYPE].v[i].n);
	jw_obj_end(w);
	jw_kobj(w, "by_domain");
	for (int i = 0; i < d[D_ORGDOMAIN].n; i++)
		jw_kint(w, d[D_ORGDOMAIN].v[i].key[0] ? d[D_ORGDOMAIN].v[i].key : "unknown", d[D_ORGDOMAIN].v[i].n);
	jw_obj_end(w);
	jw_obj_end(w);

	jw_key(w, "coverage");
	if ((rc = zb_coverage_json(db, org_id, w, e)))
		goto out;
	jw_key(w, "warnings");
	if ((rc = zb_org_warn_counts_json(db, org_id, today, w, e)))
		goto out;
	jw_obj_end(w);
out:
	for (int k = 0; k < D_MAX; k++)
		free(d[k].v);
	return rc;
}

/* ---- the cache ----
 *
 * Dashboards ask for the same subtree statistics far more often than the
 * roster changes.  Entries are keyed by org, date and the roll-up version
 * every change bumps (zb_counts_touch), read in the same snapshot as the
 * rows, so a stale answer is never served; a direct-mapped table bounds
 * the memory (2048 entries of a few KB). */

#define CACHE_SLOTS 2048

typedef struct centry {
	int64_t org;
	char date[11];
	char version[24];
	char *json;          /* malloc'd, owned by the cache */
} centry;

static centry cache[CACHE_SLOTS];
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static int stats_cached(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e);

int zb_org_stats_cached(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e)
{
	int own = !zb_db_in_tx(db);
	int rc = own ? zb_db_begin_read(db, e) : 0;
	if (!rc)
		rc = stats_cached(db, org_id, today, w, e);
	return own ? zb_db_end(db, rc, e) : rc;
}

static int stats_cached(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e)
{
	char version[24];
	int rc = zb_counts_version(db, version, e);
	if (rc)
		return rc;
	centry *c = &cache[(uint64_t)org_id % CACHE_SLOTS];
	pthread_mutex_lock(&cache_mu);
	if (c->json && c->org == org_id && !strcmp(c->date, today) && !strcmp(c->version, version)) {
		jw_raw(w, c->json);
		pthread_mutex_unlock(&cache_mu);
		return 0;
	}
	pthread_mutex_unlock(&cache_mu);
	zb_buf b;
	zb_buf_init(&b, 1u << 20);
	zb_jw tmp;
	jw_init(&tmp, &b);
	rc = zb_org_stats_json(db, org_id, today, &tmp, e);
	if (!rc && jw_finish(&tmp))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "统计结果过大");
	if (!rc) {
		jw_raw(w, b.data);
		char *copy = strdup(b.data);
		if (copy) {
			pthread_mutex_lock(&cache_mu);
			free(c->json);
			c->json = copy;
			c->org = org_id;
			snprintf(c->date, sizeof c->date, "%s", today);
			snprintf(c->version, sizeof c->version, "%s", version);
			pthread_mutex_unlock(&cache_mu);
		}
	}
	zb_buf_release(&b);
	return rc;
}
