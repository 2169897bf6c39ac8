/* counts.c - subtree roll-ups (org_counts): incremental updates on every
 * member write, and a full recount computed in memory.  Nothing else: the
 * structure warnings that read these counts are re-evaluated by the caller
 * (org/after.c, tree.c, units.c, committee.c), never from here.
 *
 * The rebuild aggregates in a hash table in C instead of GROUP BY per
 * dimension: one pass over members (and orgs, units) gives each org's own
 * counts; adding each org's rows to its parent, deepest level first, gives
 * the subtree counts; the rows are then sorted and inserted in primary-key
 * order, which is what a WITHOUT ROWID table loads fastest. */
#include "org/counts.h"
#include "org/structure.h"
#include "core/jw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 32

int zb_path_ids(const char *path, int64_t *ids, int max)
{
	int n = 0;
	const char *p = path;
	while (p && *p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		int64_t v = 0;
		while (*p >= '0' && *p <= '9')
			v = v * 10 + (*p++ - '0');
		if (n < max && v > 0)
			ids[n++] = v;
		while (*p && *p != '/')
			p++;
	}
	return n;
}

void zb_counts_key(const char *s, char out[48])
{
	size_t n = s ? strlen(s) : 0;
	if (n > 47) {
		n = 47;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* do not cut a UTF-8 sequence */
	}
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
}

int zb_counts_add(zb_db *db, const char *path, const char *dim, const char *key, int64_t delta, zb_err *e)
{
	if (!delta)
		return 0;
	int64_t ids[MAX_DEPTH];
	int n = zb_path_ids(path, ids, MAX_DEPTH);
	for (int i = 0; i < n; i++) {
		int rc = zb_db_run(db, e, NULL,
		                   "INSERT INTO org_counts (org_id, dim, key, n) VALUES (?,?,?,?) "
		                   "ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_counts.n + excluded.n",
		                   "issi", ids[i], dim, key ? key : "", delta);
		if (rc)
			return rc;
	}
	return 0;
}

void zb_counts_year_key(const char *date, char out[8])
{
	int y = date && strlen(date) >= 4 ? atoi(date) : 0;
	if (y > 0)
		snprintf(out, 8, "%04d", y % 10000);
	else
		out[0] = '\0';
}

int zb_counts_touch(zb_db *db, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO settings (key, value) VALUES ('counts_version', '1') ON CONFLICT (key) "
	                 "DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT)",
	                 "");
}

int zb_counts_version(zb_db *db, char out[24], zb_err *e)
{
	out[0] = '0';
	out[1] = '\0';
	zb_stmt *st = zb_db_query(db, e, "SELECT value FROM settings WHERE key = 'counts_version'", "");
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		snprintf(out, 24, "%s", zb_col_text(st, 0));
	zb_stmt_done(st);
	return rc < 0 ? -rc : 0;
}

int zb_counts_get(zb_db *db, int64_t org_id, const char *dim, const char *key, int64_t *n, zb_err *e)
{
	*n = 0;
	int rc = zb_db_int(db, e, n, "SELECT n FROM org_counts WHERE org_id = ? AND dim = ? AND key = ?", "iss", org_id,
	                   dim, key ? key : "");
	if (rc == ZB_ENOTFOUND) {
		zb_err_clear(e);
		*n = 0;
		return 0;
	}
	return rc;
}

/* ---- member facts ---- */

void zb_member_facts_read(zb_stmt *st, int c, zb_arena *a, zb_member_facts *f)
{
	memset(f, 0, sizeof *f);
	f->org_path = zb_arena_strdup(a, zb_col_text(st, c));
	f->category = zb_arena_strdup(a, zb_col_text(st, c + 1));
	f->gender = zb_arena_strdup(a, zb_col_text(st, c + 2));
	f->ethnicity = zb_arena_strdup(a, zb_col_text(st, c + 3));
	const char *b = zb_col_text(st, c + 4);
	f->birth_year = b && strlen(b) >= 4 ? atoi(b) : 0;
	f->education = zb_arena_strdup(a, zb_col_text(st, c + 5));
	const char *fd = zb_col_text(st, c + 6);
	f->full_year = fd && strlen(fd) >= 4 ? atoi(fd) : 0;
	f->status = zb_arena_strdup(a, zb_col_text(st, c + 7));
}

int zb_member_facts_load(zb_db *db, int64_t member_id, zb_arena *a, zb_member_facts *f, zb_err *e)
{
	zb_stmt *st = zb_db_query(db, e, "SELECT " ZB_MEMBER_FACTS_COLS " FROM members m WHERE m.id = ?", "i", member_id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		zb_member_facts_read(st, 0, a, f);
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return rc ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该党员");
}

/* A member is "on the roll" unless removed from the party, deceased or
 * transferred out of the platform (已转出, docs/TRANSFERS.md):
 * those rows stay for history and only count under 'status'. */
static int on_roll(const char *status)
{
	return !status || (strcmp(status, "removed") && strcmp(status, "deceased") && strcmp(status, "transferred"));
}

typedef struct fact_row {
	const char *dim;
	char key[48];
	int above;           /* kept for the ancestors of the member's org only */
} fact_row;

/* The dims kept above the member's own org (see counts.h). */
int zb_counts_dim_above(const char *dim)
{
	return !strcmp(dim, "birth_year") || !strcmp(dim, "full_year");
}

/* The (dim, key) rows one member contributes; returns how many. */
static int fact_rows(const zb_member_facts *f, fact_row out[8])
{
	int n = 0;
	memset(out, 0, sizeof(fact_row) * 8);
	if (on_roll(f->status)) {
		out[n].dim = "total", out[n++].key[0] = '\0';
		out[n].dim = "category", zb_counts_key(f->category, out[n++].key);
		out[n].dim = "gender", zb_counts_key(f->gender, out[n++].key);
		out[n].dim = "ethnicity", zb_counts_key(f->ethnicity, out[n++].key);
		out[n].dim = "birth_year";
		out[n].above = 1;
		if (f->birth_year > 0)
			snprintf(out[n].key, sizeof out[n].key, "%04d", f->birth_year % 10000);
		else
			out[n].key[0] = '\0';
		n++;
		out[n].dim = "education", zb_counts_key(f->education, out[n++].key);
		out[n].dim = "full_year";
		out[n].above = 1;
		if (f->full_year > 0)
			snprintf(out[n].key, sizeof out[n].key, "%04d", f->full_year % 10000);
		else
			out[n].key[0] = '\0';
		n++;
	}
	out[n].dim = "status", zb_counts_key(f->status ? f->status : "normal", out[n++].key);
	return n;
}

static int is_full(const zb_member_facts *f)
{
	return f && on_roll(f->status) && f->category && !strcmp(f->category, "full");
}

static int64_t last_id(const char *path)
{
	int64_t ids[MAX_DEPTH];
	int n = zb_path_ids(path, ids, MAX_DEPTH);
	return n ? ids[n - 1] : 0;
}

/* ---- the accumulator of a bulk write (see counts.h) ---- */

typedef struct acc_ent {
	int64_t org;
	const char *dim;      /* a literal of fact_rows */
	char key[48];
	int64_t n;
} acc_ent;

typedef struct acc_org {
	int64_t org, parent;
} acc_org;

struct zb_counts_acc {
	acc_ent *ents;
	size_t n, cap;
	uint32_t *slots;      /* index+1 into ents, 0 = empty */
	size_t nslots;
	acc_org *orgs;        /* orgs whose warnings to re-evaluate */
	size_t norgs, orgcap;
	int oom;
};

zb_counts_acc *zb_counts_acc_new(void) { return calloc(1, sizeof(zb_counts_acc)); }

void zb_counts_acc_free(zb_counts_acc *a)
{
	if (!a)
		return;
	free(a->ents);
	free(a->slots);
	free(a->orgs);
	free(a);
}

static uint64_t acc_hash(int64_t org, const char *dim, const char *key)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)org;
	for (const char *p = dim; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0x1f) * 1099511628211ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static int acc_rehash(zb_counts_acc *a, size_t nslots)
{
	uint32_t *s = calloc(nslots, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < a->n; i++) {
		size_t j = acc_hash(a->ents[i].org, a->ents[i].dim, a->ents[i].key) & (nslots - 1);
		while (s[j])
			j = (j + 1) & (nslots - 1);
		s[j] = (uint32_t)(i + 1);
	}
	free(a->slots);
	a->slots = s;
	a->nslots = nslots;
	return 0;
}

static int acc_add1(zb_counts_acc *a, int64_t org, const char *dim, const char *key, int64_t delta)
{
	if ((a->n + 1) * 2 > a->nslots && acc_rehash(a, a->nslots ? a->nslots * 2 : 1024))
		return -1;
	size_t mask = a->nslots - 1;
	for (size_t j = acc_hash(org, dim, key) & mask;; j = (j + 1) & mask) {
		if (!a->slots[j]) {
			if (a->n == a->cap) {
				size_t cap = a->cap ? a->cap * 2 : 512;
				acc_ent *ne = realloc(a->ents, cap * sizeof *ne);
				if (!ne)
					return -1;
				a->ents = ne;
				a->cap = cap;
			}
			acc_ent *x = &a->ents[a->n];
			x->org = org;
			x->dim = dim;
			snprintf(x->key, sizeof x->key, "%s", key);
			x->n = delta;
			a->slots[j] = (uint32_t)(++a->n);
			return 0;
		}
		acc_ent *x = &a->ents[a->slots[j] - 1];
		if (x->org == org && !strcmp(x->dim, dim) && !strcmp(x->key, key)) {
			x->n += delta;
			return 0;
		}
	}
}

static int acc_org_add(zb_counts_acc *a, const char *path)
{
	int64_t ids[MAX_DEPTH];
	int n = zb_path_ids(path, ids, MAX_DEPTH);
	if (!n)
		return 0;
	for (size_t i = a->norgs; i-- > 0;)
		if (a->orgs[i].org == ids[n - 1])
			return 0;
	if (a->norgs == a->orgcap) {
		size_t cap = a->orgcap ? a->orgcap * 2 : 64;
		acc_org *no = realloc(a->orgs, cap * sizeof *no);
		if (!no)
			return -1;
		a->orgs = no;
		a->orgcap = cap;
	}
	a->orgs[a->norgs++] = (acc_org){ids[n - 1], n >= 2 ? ids[n - 2] : 0};
	return 0;
}

/* Add to the ancestors of the last org on path (not to the last org). */
static int counts_add_above(zb_db *db, const char *path, const char *dim, const char *key, int64_t delta, zb_err *e)
{
	if (!delta)
		return 0;
	int64_t ids[MAX_DEPTH];
	int n = zb_path_ids(path, ids, MAX_DEPTH);
	for (int i = 0; i + 1 < n; i++) {
		int rc = zb_db_run(db, e, NULL,
		                   "INSERT INTO org_counts (org_id, dim, key, n) VALUES (?,?,?,?) "
		                   "ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_counts.n + excluded.n",
		                   "issi", ids[i], dim, key ? key : "", delta);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_fact(zb_db *db, zb_counts_acc *acc, const char *path, const fact_row *f, int64_t delta, zb_err *e)
{
	if (acc) {
		int64_t ids[MAX_DEPTH];
		int n = zb_path_ids(path, ids, MAX_DEPTH);
		for (int i = 0; i < n - (f->above ? 1 : 0); i++)
			if (acc_add1(acc, ids[i], f->dim, f->key, delta))
				return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		return 0;
	}
	return f->above ? counts_add_above(db, path, f->dim, f->key, delta, e) : zb_counts_add(db, path, f->dim, f->key, delta, e);
}

static int counts_apply(zb_db *db, zb_counts_acc *acc, const zb_member_facts *old_f, const zb_member_facts *new_f,
                        zb_err *e);

int zb_org_counts_apply(zb_db *db, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e)
{
	return counts_apply(db, NULL, old_f, new_f, e);
}

int zb_counts_acc_apply(zb_counts_acc *acc, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e)
{
	if (acc->oom)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	return counts_apply(NULL, acc, old_f, new_f, e);
}

int zb_counts_acc_flush(zb_db *db, zb_counts_acc *acc, zb_err *e)
{
	int rc = 0;
	size_t nz = 0;
	for (size_t i = 0; i < acc->n; i++)
		nz += acc->ents[i].n != 0;
	if (nz || acc->norgs)
		rc = zb_counts_touch(db, e);
	for (size_t i = 0; !rc && i < acc->n; i++) {
		const acc_ent *x = &acc->ents[i];
		if (!x->n)
			continue;
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO org_counts (org_id, dim, key, n) VALUES (?,?,?,?) "
		               "ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_counts.n + excluded.n",
		               "issi", x->org, x->dim, x->key, x->n);
	}
	return rc;
}

int64_t zb_counts_acc_org(const zb_counts_acc *acc, size_t i, int64_t *parent)
{
	if (i >= acc->norgs)
		return 0;
	*parent = acc->orgs[i].parent;
	return acc->orgs[i].org;
}

void zb_counts_acc_clear(zb_counts_acc *acc)
{
	acc->n = 0;
	acc->norgs = 0;
	if (acc->slots)
		memset(acc->slots, 0, acc->nslots * sizeof *acc->slots);
}

static int counts_apply(zb_db *db, zb_counts_acc *acc, const zb_member_facts *old_f, const zb_member_facts *new_f,
                        zb_err *e)
{
	if ((old_f && !old_f->org_path) || (new_f && !new_f->org_path))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：党员统计缺少所在组织");
	fact_row orows[8], nrows[8];
	int no = old_f ? fact_rows(old_f, orows) : 0, nn = new_f ? fact_rows(new_f, nrows) : 0;
	int same_path = old_f && new_f && !strcmp(old_f->org_path, new_f->org_path);
	int rc = 0;
	if (same_path) {
		/* nothing a roll-up counts changed: no write at all */
		int differ = no != nn;
		for (int i = 0; i < no && !differ; i++)
			differ = strcmp(orows[i].dim, nrows[i].dim) || strcmp(orows[i].key, nrows[i].key);
		if (!differ)
			return 0;
	}
	if (!acc && (rc = zb_counts_touch(db, e)))
		return rc;
	if (same_path) {
		/* only the rows that differ move, on the common ancestors */
		int oused[8] = {0}, nused[8] = {0};
		for (int i = 0; i < no; i++)
			for (int j = 0; j < nn; j++)
				if (!nused[j] && !strcmp(orows[i].dim, nrows[j].dim) && !strcmp(orows[i].key, nrows[j].key)) {
					oused[i] = nused[j] = 1;
					break;
				}
		for (int i = 0; !rc && i < no; i++)
			if (!oused[i])
				rc = add_fact(db, acc, old_f->org_path, &orows[i], -1, e);
		for (int j = 0; !rc && j < nn; j++)
			if (!nused[j])
				rc = add_fact(db, acc, new_f->org_path, &nrows[j], 1, e);
	} else {
		for (int i = 0; !rc && i < no; i++)
			rc = add_fact(db, acc, old_f->org_path, &orows[i], -1, e);
		for (int j = 0; !rc && j < nn; j++)
			rc = add_fact(db, acc, new_f->org_path, &nrows[j], 1, e);
	}
	if (rc)
		return rc;
	/* the bulk form notes the orgs whose totals changed, for the caller's
	 * re-evaluation of their warnings after the flush */
	if (!acc || !zb_counts_totals_changed(old_f, new_f))
		return 0;
	if (old_f && acc_org_add(acc, old_f->org_path))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	if (new_f && !same_path && acc_org_add(acc, new_f->org_path))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	return 0;
}

int zb_counts_totals_changed(const zb_member_facts *old_f, const zb_member_facts *new_f)
{
	int same_path = old_f && new_f && !strcmp(old_f->org_path, new_f->org_path);
	return !same_path || on_roll(old_f->status) != on_roll(new_f->status) || is_full(old_f) != is_full(new_f);
}

/* ---- in-memory roll-up for rebuild and verify ----
 *
 * Every (dim, key) string is interned once into a small table, so the
 * millions of increments work on integers: entry = (org, dim id, key id).
 * Before writing or comparing, ids are replaced by their rank in byte
 * order, which is the order of the table's primary key. */

typedef struct strtab {
	char **s;
	uint32_t n, cap;
	uint32_t *slots;     /* id+1, 0 = empty */
	uint32_t nslots;
	uint32_t *rank;      /* byte-order rank of each id, after strtab_rank */
} strtab;

typedef struct entry {
	int64_t org;
	int64_t n;
	int64_t parent;      /* filled by ru_roll */
	int32_t depth;       /* filled by ru_roll, -1 = unknown org */
	uint32_t dim, key;   /* interned */
} entry;

typedef struct orgnode {
	int64_t id, parent;
	int depth;
} orgnode;

typedef struct zb_counts_tally {
	entry *ents;
	size_t n, cap;
	uint32_t *slots;     /* index+1 into ents, 0 = empty */
	size_t nslots;
	orgnode *orgs;       /* sorted by id */
	size_t norgs;
	strtab dims, keys;
	int oom;
} rollup;

static uint64_t str_hash(const char *p)
{
	uint64_t h = 1469598103934665603ull;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

/* Id of s in t (added if new); UINT32_MAX when out of memory. */
static uint32_t intern(strtab *t, const char *s)
{
	if ((t->n + 1) * 2 > t->nslots) {
		uint32_t ns = t->nslots ? t->nslots * 2 : 256;
		uint32_t *slots = calloc(ns, sizeof *slots);
		if (!slots)
			return UINT32_MAX;
		for (uint32_t i = 0; i < t->n; i++) {
			uint32_t k = (uint32_t)str_hash(t->s[i]) & (ns - 1);
			while (slots[k])
				k = (k + 1) & (ns - 1);
			slots[k] = i + 1;
		}
		free(t->slots);
		t->slots = slots;
		t->nslots = ns;
	}
	uint32_t k = (uint32_t)str_hash(s) & (t->nslots - 1);
	while (t->slots[k]) {
		if (!strcmp(t->s[t->slots[k] - 1], s))
			return t->slots[k] - 1;
		k = (k + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 64;
		char **ns = realloc(t->s, sizeof *ns * nc);
		if (!ns)
			return UINT32_MAX;
		t->s = ns;
		t->cap = nc;
	}
	t->s[t->n] = strdup(s);
	if (!t->s[t->n])
		return UINT32_MAX;
	t->slots[k] = t->n + 1;
	return t->n++;
}

static int cmp_ids(const void *a, const void *b, void *ctx)
{
	const strtab *t = ctx;
	return strcmp(t->s[*(const uint32_t *)a], t->s[*(const uint32_t *)b]);
}

static int strtab_rank(strtab *t)
{
	uint32_t *order = malloc(sizeof *order * (t->n ? t->n : 1));
	free(t->rank);
	t->rank = malloc(sizeof *t->rank * (t->n ? t->n : 1));
	if (!order || !t->rank) {
		free(order);
		return -1;
	}
	for (uint32_t i = 0; i < t->n; i++)
		order[i] = i;
	qsort_r(order, t->n, sizeof *order, cmp_ids, t);
	for (uint32_t i = 0; i < t->n; i++)
		t->rank[order[i]] = i;
	free(order);
	return 0;
}

static void strtab_free(strtab *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slots);
	free(t->rank);
	memset(t, 0, sizeof *t);
}

static uint64_t ent_hash(int64_t org, uint32_t dim, uint32_t key)
{
	uint64_t h = (uint64_t)org * 0x9E3779B97F4A7C15ull;
	h ^= ((uint64_t)dim << 32 | key) * 0xC2B2AE3D27D4EB4Full;
	return h ^ (h >> 29);
}

static int ru_grow(rollup *r)
{
	size_t ns = r->nslots ? r->nslots * 2 : 1u << 16;
	uint32_t *slots = calloc(ns, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		size_t s = ent_hash(r->ents[i].org, r->ents[i].dim, r->ents[i].key) & (ns - 1);
		while (slots[s])
			s = (s + 1) & (ns - 1);
		slots[s] = (uint32_t)(i + 1);
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = ns;
	return 0;
}

/* Add n to (org, dim, key); returns the entry's index or -1. */
static long ru_addi(rollup *r, int64_t org, uint32_t dim, uint32_t key, int64_t n)
{
	if (r->oom || dim == UINT32_MAX || key == UINT32_MAX) {
		r->oom = 1;
		return -1;
	}
	if ((r->n + 1) * 2 > r->nslots && ru_grow(r)) {
		r->oom = 1;
		return -1;
	}
	size_t s = ent_hash(org, dim, key) & (r->nslots - 1);
	while (r->slots[s]) {
		entry *x = &r->ents[r->slots[s] - 1];
		if (x->org == org && x->dim == dim && x->key == key) {
			x->n += n;
			return (long)(r->slots[s] - 1);
		}
		s = (s + 1) & (r->nslots - 1);
	}
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 1u << 15;
		entry *ne = realloc(r->ents, nc * sizeof *ne);
		if (!ne) {
			r->oom = 1;
			return -1;
		}
		r->ents = ne;
		r->cap = nc;
	}
	entry *x = &r->ents[r->n];
	memset(x, 0, sizeof *x);
	x->org = org;
	x->n = n;
	x->dim = dim;
	x->key = key;
	x->depth = -1;
	r->slots[s] = (uint32_t)(r->n + 1);
	return (long)r->n++;
}

static int ru_add(rollup *r, int64_t org, const char *dim, const char *key, int64_t n)
{
	return ru_addi(r, org, intern(&r->dims, dim), intern(&r->keys, key ? key : ""), n) < 0 ? -1 : 0;
}

static void ru_free(rollup *r)
{
	free(r->ents);
	free(r->slots);
	free(r->orgs);
	strtab_free(&r->dims);
	strtab_free(&r->keys);
	memset(r, 0, sizeof *r);
}

static int cmp_orgnode(const void *a, const void *b)
{
	int64_t x = ((const orgnode *)a)->id, y = ((const orgnode *)b)->id;
	return x < y ? -1 : x > y;
}

static const orgnode *ru_org(const rollup *r, int64_t id)
{
	orgnode k = {.id = id};
	return bsearch(&k, r->orgs, r->norgs, sizeof k, cmp_orgnode);
}

/* Primary-key order: org, then dim and key in byte order (their ranks,
 * which the caller has put into dim/key with ru_rank). */
static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	if (x->dim != y->dim)
		return x->dim < y->dim ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Replace interned ids by byte-order ranks and sort; the hash index is
 * stale afterwards (dropped).  Ranks map back to strings with rank_str. */
typedef struct ranked {
	char **dim, **key;   /* rank -> string */
} ranked;

static int ru_rank(rollup *r, ranked *out)
{
	if (strtab_rank(&r->dims) || strtab_rank(&r->keys))
		return -1;
	out->dim = malloc(sizeof(char *) * (r->dims.n ? r->dims.n : 1));
	out->key = malloc(sizeof(char *) * (r->keys.n ? r->keys.n : 1));
	if (!out->dim || !out->key)
		return -1;
	for (uint32_t i = 0; i < r->dims.n; i++)
		out->dim[r->dims.rank[i]] = r->dims.s[i];
	for (uint32_t i = 0; i < r->keys.n; i++)
		out->key[r->keys.rank[i]] = r->keys.s[i];
	for (size_t i = 0; i < r->n; i++) {
		r->ents[i].dim = r->dims.rank[r->ents[i].dim];
		r->ents[i].key = r->keys.rank[r->ents[i].key];
	}
	free(r->slots);
	r->slots = NULL;
	r->nslots = 0;
	qsort(r->ents, r->n, sizeof *r->ents, cmp_entry);
	return 0;
}

static void ranked_free(ranked *k)
{
	free(k->dim);
	free(k->key);
}

static void year_key(int y, char out[8])
{
	if (y <= 0) {
		out[0] = '\0';
		return;
	}
	y %= 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '\0';
}

/* Direct (own) counts of members, orgs and units into r, keyed by the
 * org each row belongs to. */
static int ru_load(zb_db *db, rollup *r, zb_err *e)
{
	int rc;
	zb_stmt *st = zb_db_query(db, e, "SELECT id, COALESCE(parent_id, 0), depth, type, domain, dissolved_on FROM orgs ORDER BY id", "");
	if (!st)
		return e->code;
	size_t cap = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (r->norgs == cap) {
			cap = cap ? cap * 2 : 4096;
			orgnode *no = realloc(r->orgs, cap * sizeof *no);
			if (!no) {
				r->oom = 1;
				break;
			}
			r->orgs = no;
		}
		orgnode *o = &r->orgs[r->norgs++];
		o->id = zb_col_int(st, 0);
		o->parent = zb_col_int(st, 1);
		o->depth = (int)zb_col_int(st, 2);
		if (zb_col_is_null(st, 5)) {
			char k[48];
			zb_counts_key(zb_col_text(st, 3), k);
			ru_add(r, o->id, "org_type", k, 1);
			zb_counts_key(zb_col_text(st, 4), k);
			ru_add(r, o->id, "org_domain", k, 1);
		}
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;

	/* members: read the columns in place (no copies), intern each value;
	 * the same rows as fact_rows() gives, which the tests compare */
	uint32_t d_total = intern(&r->dims, "total"), d_cat = intern(&r->dims, "category"),
	         d_gender = intern(&r->dims, "gender"), d_eth = intern(&r->dims, "ethnicity"),
	         d_birth = intern(&r->dims, "birth_year"), d_edu = intern(&r->dims, "education"),
	         d_full = intern(&r->dims, "full_year"), d_status = intern(&r->dims, "status"),
	         k_empty = intern(&r->keys, "");
	st = zb_db_query(db, e, "SELECT m.org_path, m.category, m.gender, m.ethnicity, m.birth_date, m.education, "
	                        "m.full_date, m.status FROM members m", "");
	if (!st)
		return e->code;
	int64_t last_org = -1, parent = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t org = last_id(zb_col_text(st, 0));
		const char *status = zb_col_text(st, 7);
		char k[48];
		zb_counts_key(status ? status : "normal", k);
		ru_addi(r, org, d_status, intern(&r->keys, k), 1);
		if (!on_roll(status))
			continue;
		ru_addi(r, org, d_total, k_empty, 1);
		static const int cols[] = {1, 2, 3, 5};
		uint32_t dims[] = {d_cat, d_gender, d_eth, d_edu};
		for (int i = 0; i < 4; i++) {
			zb_counts_key(zb_col_text(st, cols[i]), k);
			ru_addi(r, org, dims[i], intern(&r->keys, k), 1);
		}
		/* ages are kept from the parent up (see counts.h) */
		if (org != last_org) {
			const orgnode *o = ru_org(r, org);
			last_org = org;
			parent = o ? o->parent : 0;
		}
		if (!parent)
			continue;
		const char *b = zb_col_text(st, 4), *f = zb_col_text(st, 6);
		year_key(b && strlen(b) >= 4 ? atoi(b) : 0, k);
		ru_addi(r, parent, d_birth, intern(&r->keys, k), 1);
		year_key(f && strlen(f) >= 4 ? atoi(f) : 0, k);
		ru_addi(r, parent, d_full, intern(&r->keys, k), 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;

	st = zb_db_query(db, e, "SELECT org_path, kind, coverage FROM units", "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		char k[48], kc[100];
		int64_t org = last_id(zb_col_text(st, 0));
		zb_counts_key(zb_col_text(st, 1), k);
		ru_add(r, org, "unit", k, 1);
		snprintf(kc, sizeof kc, "%s/%s", k, zb_col_text(st, 2) ? zb_col_text(st, 2) : "none");
		zb_counts_key(kc, k);
		ru_add(r, org, "unit_cov", k, 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return r->oom ? zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计") : 0;
}

/* Own counts -> subtree counts: deepest orgs first, each org's rows are
 * added to its parent (new parent rows are appended and handled when
 * their depth comes). */
static int ru_roll(rollup *r, zb_err *e)
{
	int maxd = 0;
	for (size_t i = 0; i < r->n; i++) {
		const orgnode *o = ru_org(r, r->ents[i].org);
		r->ents[i].depth = o ? o->depth : -1;
		r->ents[i].parent = o ? o->parent : 0;
		if (r->ents[i].depth > maxd)
			maxd = r->ents[i].depth;
	}
	for (int d = maxd; d >= 1; d--) {
		size_t end = r->n;
		for (size_t i = 0; i < end; i++) {
			if (r->ents[i].depth != d || !r->ents[i].parent || !r->ents[i].n)
				continue;
			entry x = r->ents[i]; /* ru_addi may move ents */
			size_t before = r->n;
			long at = ru_addi(r, x.parent, x.dim, x.key, x.n);
			if (at < 0)
				return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
			if (r->n > before) {
				const orgnode *o = ru_org(r, x.parent);
				r->ents[at].depth = o ? o->depth : -1;
				r->ents[at].parent = o ? o->parent : 0;
			}
		}
	}
	return 0;
}

zb_counts_tally *zb_counts_tally_new(void) { return calloc(1, sizeof(zb_counts_tally)); }

void zb_counts_tally_free(zb_counts_tally *t)
{
	if (!t)
		return;
	ru_free(t);
	free(t);
}

int zb_counts_tally_add(void *ctx, const char *path, const char *dim, const char *key, int64_t n)
{
	rollup *r = ctx;
	int64_t ids[MAX_DEPTH];
	int k = zb_path_ids(path, ids, MAX_DEPTH);
	uint32_t di = intern(&r->dims, dim), ki = intern(&r->keys, key ? key : "");
	for (int i = 0; i < k; i++)
		if (ru_addi(r, ids[i], di, ki, n) < 0)
			return -1;
	return 0;
}

#define INSERT_COUNTS(SRC)                                                                                    \
	"INSERT INTO org_counts (org_id, dim, key, n) SELECT CAST(r.j ->> 0 AS BIGINT), r.j ->> 1, r.j ->> 2, " \
	"CAST(r.j ->> 3 AS BIGINT) FROM " SRC " AS r"

int zb_counts_tally_insert(zb_db *db, zb_counts_tally *r, zb_err *e)
{
	ranked names = {0};
	if (r->oom || ru_rank(r, &names)) {
		ranked_free(&names);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
	}
	/* a few hundred rows per INSERT: [org, dim, key, n] */
	int rc = 0;
	zb_buf b = {0};
	for (size_t i = 0; !rc && i < r->n;) {
		zb_jw w;
		int rows = 0;
		zb_buf_reset(&b);
		jw_init(&w, &b);
		jw_arr(&w);
		for (; i < r->n && rows < 500; i++) {
			if (!r->ents[i].n)
				continue;
			jw_arr(&w);
			jw_int(&w, r->ents[i].org);
			jw_str(&w, names.dim[r->ents[i].dim]);
			jw_str(&w, names.key[r->ents[i].key]);
			jw_int(&w, r->ents[i].n);
			jw_arr_end(&w);
			rows++;
		}
		jw_arr_end(&w);
		if (jw_finish(&w))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
		else if (rows)
			rc = zb_db_run(db, e, NULL,
			               zb_db_backend(db) == ZB_DB_PG ? INSERT_COUNTS(ZB_JSON_ROWS_PG) : INSERT_COUNTS(ZB_JSON_ROWS_SQLITE),
			               "s", b.data);
	}
	zb_buf_release(&b);
	ranked_free(&names);
	return rc;
}

int zb_counts_recount(zb_db *db, zb_counts_tally **out, zb_err *e)
{
	*out = zb_counts_tally_new();
	if (!*out)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
	int rc = ru_load(db, *out, e);
	if (!rc)
		rc = ru_roll(*out, e);
	if (rc) {
		zb_counts_tally_free(*out);
		*out = NULL;
	}
	return rc;
}

int zb_counts_rebuild(zb_db *db, zb_err *e)
{
	zb_counts_tally *r = NULL;
	int rc = zb_db_run(db, e, NULL, "DELETE FROM org_counts", "");
	if (!rc)
		rc = zb_counts_recount(db, &r, e);
	if (!rc)
		rc = zb_counts_tally_insert(db, r, e);
	zb_counts_tally_free(r);
	return rc;
}

int zb_counts_compare(zb_db *db, zb_counts_tally *r, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e)
{
	*mismatches = 0;
	if (first)
		*first = NULL;
	ranked names = {0};
	if (r->oom || ru_rank(r, &names)) {
		ranked_free(&names);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法核对统计");
	}
	zb_stmt *st = zb_db_query(db, e, "SELECT org_id, dim, key, n FROM org_counts WHERE n <> 0 ORDER BY org_id, dim, key", "");
	if (!st) {
		ranked_free(&names);
		return e->code;
	}
	size_t i = 0;
	int more = zb_stmt_step(st, e);
	int64_t bad = 0;
	char desc[300] = "";
#define NOTE(org, dim, key, want, got)                                                                          \
	do {                                                                                                    \
		if (!bad++)                                                                                     \
			snprintf(desc, sizeof desc, "组织 %lld 的 %s=%s：应为 %lld，记录为 %lld", (long long)(org), \
			         dim, key, (long long)(want), (long long)(got));                              \
	} while (0)
	while (more == 1 || i < r->n) {
		if (i < r->n && !r->ents[i].n) {
			i++;
			continue;
		}
		const entry *x = i < r->n ? &r->ents[i] : NULL;
		if (more != 1) {
			NOTE(x->org, names.dim[x->dim], names.key[x->key], x->n, 0);
			i++;
			continue;
		}
		int64_t org = zb_col_int(st, 0), n = zb_col_int(st, 3);
		const char *dim = zb_col_text(st, 1), *key = zb_col_text(st, 2);
		int c;
		if (!x)
			c = 1;
		else if (x->org != org)
			c = x->org < org ? -1 : 1;
		else if ((c = strcmp(names.dim[x->dim], dim)) == 0)
			c = strcmp(names.key[x->key], key);
		if (c < 0) {
			NOTE(x->org, names.dim[x->dim], names.key[x->key], x->n, 0);
			i++;
		} else if (c > 0) {
			NOTE(org, dim, key, 0, n);
			more = zb_stmt_step(st, e);
		} else {
			if (n != x->n)
				NOTE(org, dim, key, x->n, n);
			i++;
			more = zb_stmt_step(st, e);
		}
	}
#undef NOTE
	zb_stmt_done(st);
	ranked_free(&names);
	if (more < 0)
		return -more;
	*mismatches = bad;
	if (first && bad)
		*first = zb_arena_strdup(a, desc);
	return 0;
}
