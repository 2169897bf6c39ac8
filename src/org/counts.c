/* counts.c - subtree roll-ups (org_counts): incremental updates on every
 * member write, and a full rebuild/verify computed in memory.
 *
 * The rebuild aggregates in a hash table in C instead of GROUP BY per
 * dimension: one pass over members (and orgs, units) gives each org's own
 * counts; adding each org's rows to its parent, deepest level first, gives
 * the subtree counts; the rows are then sorted and inserted in primary-key
 * order, which is what a WITHOUT ROWID table loads fastest. */
#include "org/counts.h"
#include "org/structure.h"
#include "app/app.h"

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

/* A member is "on the roll" unless removed from the party or deceased:
 * those rows stay for history and only count under 'status'. */
static int on_roll(const char *status)
{
	return !status || (strcmp(status, "removed") && strcmp(status, "deceased"));
}

typedef struct fact_row {
	const char *dim;
	char key[48];
} fact_row;

/* The (dim, key) rows one member contributes; returns how many. */
static int fact_rows(const zb_member_facts *f, fact_row out[8])
{
	int n = 0;
	if (on_roll(f->status)) {
		out[n].dim = "total", out[n++].key[0] = '\0';
		out[n].dim = "category", zb_counts_key(f->category, out[n++].key);
		out[n].dim = "gender", zb_counts_key(f->gender, out[n++].key);
		out[n].dim = "ethnicity", zb_counts_key(f->ethnicity, out[n++].key);
		out[n].dim = "birth_year";
		if (f->birth_year > 0)
			snprintf(out[n].key, sizeof out[n].key, "%04d", f->birth_year % 10000);
		else
			out[n].key[0] = '\0';
		n++;
		out[n].dim = "education", zb_counts_key(f->education, out[n++].key);
		out[n].dim = "full_year";
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

int zb_org_counts_apply(zb_db *db, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e)
{
	if ((old_f && !old_f->org_path) || (new_f && !new_f->org_path))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：党员统计缺少所在组织");
	fact_row orows[8], nrows[8];
	int no = old_f ? fact_rows(old_f, orows) : 0, nn = new_f ? fact_rows(new_f, nrows) : 0;
	int same_path = old_f && new_f && !strcmp(old_f->org_path, new_f->org_path);
	int rc = 0;
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
				rc = zb_counts_add(db, old_f->org_path, orows[i].dim, orows[i].key, -1, e);
		for (int j = 0; !rc && j < nn; j++)
			if (!nused[j])
				rc = zb_counts_add(db, new_f->org_path, nrows[j].dim, nrows[j].key, 1, e);
	} else {
		for (int i = 0; !rc && i < no; i++)
			rc = zb_counts_add(db, old_f->org_path, orows[i].dim, orows[i].key, -1, e);
		for (int j = 0; !rc && j < nn; j++)
			rc = zb_counts_add(db, new_f->org_path, nrows[j].dim, nrows[j].key, 1, e);
	}
	if (rc)
		return rc;
	/* the structure warnings of the member's org read its total and full
	 * counts: re-evaluate when either may have changed */
	int changed = !same_path || on_roll(old_f->status) != on_roll(new_f->status) || is_full(old_f) != is_full(new_f);
	if (!changed)
		return 0;
	if (old_f && (rc = zb_org_warn_refresh(db, last_id(old_f->org_path), e)))
		return rc;
	if (new_f && !same_path && (rc = zb_org_warn_refresh(db, last_id(new_f->org_path), e)))
		return rc;
	return 0;
}

/* ---- in-memory roll-up for rebuild and verify ---- */

typedef struct entry {
	int64_t org;
	int64_t n;
	int64_t parent;      /* filled by ru_roll */
	int depth;           /* filled by ru_roll, -1 = unknown org */
	char dim[12];
	char key[48];
} entry;

typedef struct orgnode {
	int64_t id, parent;
	int depth;
} orgnode;

typedef struct rollup {
	entry *ents;
	size_t n, cap;
	uint32_t *slots;     /* index+1 into ents, 0 = empty */
	size_t nslots;
	orgnode *orgs;       /* sorted by id */
	size_t norgs;
	int oom;
} rollup;

static uint64_t ent_hash(int64_t org, const char *dim, const char *key)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)org * 0x9E3779B97F4A7C15ull;
	for (const char *p = dim; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return h;
}

static int ru_grow(rollup *r)
{
	size_t ns = r->nslots ? r->nslots * 2 : 1u << 16;
	uint32_t *slots = calloc(ns, sizeof *slots);
	if (!slots)
		return -1;
	for (size_t i = 0; i < r->n; i++) {
		uint64_t h = ent_hash(r->ents[i].org, r->ents[i].dim, r->ents[i].key);
		size_t s = h & (ns - 1);
		while (slots[s])
			s = (s + 1) & (ns - 1);
		slots[s] = (uint32_t)(i + 1);
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = ns;
	return 0;
}

static int ru_add(rollup *r, int64_t org, const char *dim, const char *key, int64_t n)
{
	if (r->oom)
		return -1;
	if ((r->n + 1) * 2 > r->nslots && ru_grow(r)) {
		r->oom = 1;
		return -1;
	}
	uint64_t h = ent_hash(org, dim, key);
	size_t s = h & (r->nslots - 1);
	while (r->slots[s]) {
		entry *x = &r->ents[r->slots[s] - 1];
		if (x->org == org && !strcmp(x->dim, dim) && !strcmp(x->key, key)) {
			x->n += n;
			return 0;
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
	x->org = org;
	x->n = n;
	snprintf(x->dim, sizeof x->dim, "%s", dim);
	snprintf(x->key, sizeof x->key, "%s", key);
	r->slots[s] = (uint32_t)(++r->n);
	return 0;
}

static void ru_free(rollup *r)
{
	free(r->ents);
	free(r->slots);
	free(r->orgs);
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

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	if (x->org != y->org)
		return x->org < y->org ? -1 : 1;
	int c = strcmp(x->dim, y->dim);
	return c ? c : strcmp(x->key, y->key);
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

	zb_arena a;
	zb_arena_init(&a);
	st = zb_db_query(db, e, "SELECT " ZB_MEMBER_FACTS_COLS " FROM members m", "");
	if (!st) {
		zb_arena_free(&a);
		return e->code;
	}
	int64_t rows = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		zb_member_facts f;
		zb_member_facts_read(st, 0, &a, &f);
		fact_row fr[8];
		int nf = fact_rows(&f, fr);
		int64_t org = last_id(f.org_path);
		for (int i = 0; i < nf; i++)
			ru_add(r, org, fr[i].dim, fr[i].key, 1);
		if (++rows % 4096 == 0) {
			zb_arena_free(&a);
			zb_arena_init(&a);
		}
	}
	zb_stmt_done(st);
	zb_arena_free(&a);
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
	/* entries appended while a level is handled belong to the next
	 * shallower level and are picked up by its pass */
	for (int d = maxd; d >= 1; d--) {
		size_t end = r->n;
		for (size_t i = 0; i < end; i++) {
			if (r->ents[i].depth != d || !r->ents[i].parent || !r->ents[i].n)
				continue;
			entry x = r->ents[i]; /* ru_add may move ents */
			size_t before = r->n;
			if (ru_add(r, x.parent, x.dim, x.key, x.n))
				return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
			if (r->n > before) {
				const orgnode *o = ru_org(r, x.parent);
				r->ents[r->n - 1].depth = o ? o->depth : -1;
				r->ents[r->n - 1].parent = o ? o->parent : 0;
			}
		}
	}
	return 0;
}

static int sink_add(void *ctx, const char *path, const char *dim, const char *key, int64_t n)
{
	rollup *r = ctx;
	int64_t ids[MAX_DEPTH];
	int k = zb_path_ids(path, ids, MAX_DEPTH);
	for (int i = 0; i < k; i++)
		if (ru_add(r, ids[i], dim, key ? key : "", n))
			return -1;
	return 0;
}

static int insert_all(zb_db *db, rollup *r, zb_err *e)
{
	qsort(r->ents, r->n, sizeof *r->ents, cmp_entry);
	free(r->slots); /* indexes are stale after sorting */
	r->slots = NULL;
	r->nslots = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (!r->ents[i].n)
			continue;
		int rc = zb_db_run(db, e, NULL, "INSERT INTO org_counts (org_id, dim, key, n) VALUES (?,?,?,?)", "issi",
		                   r->ents[i].org, r->ents[i].dim, r->ents[i].key, r->ents[i].n);
		if (rc)
			return rc;
	}
	return 0;
}

int zb_org_counts_rebuild(zb_db *db, zb_err *e)
{
	int own_tx = !zb_db_in_tx(db), rc;
	if (own_tx && (rc = zb_db_begin_write(db, e)))
		return rc;
	rollup r = {0}, w = {0};
	rc = zb_db_run(db, e, NULL, "DELETE FROM org_counts", "");
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM org_warn_state", "");
	if (!rc)
		rc = ru_load(db, &r, e);
	if (!rc)
		rc = ru_roll(&r, e);
	if (!rc)
		rc = insert_all(db, &r, e);
	ru_free(&r);
	/* warnings read the member counts just written */
	if (!rc)
		rc = zb_org_warn_evaluate_all(db, sink_add, &w, 1, e);
	if (!rc && w.oom)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
	if (!rc)
		rc = insert_all(db, &w, e);
	ru_free(&w);
	char today[11];
	zb_today(NULL, today);
	if (!rc)
		rc = zb_org_rules_mark(db, today, e);
	if (own_tx) {
		if (rc)
			zb_db_rollback(db);
		else
			rc = zb_db_commit(db, e);
	}
	return rc;
}

int zb_org_counts_verify(zb_db *db, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e)
{
	*mismatches = 0;
	if (first)
		*first = NULL;
	rollup r = {0};
	int rc = ru_load(db, &r, e);
	if (!rc)
		rc = ru_roll(&r, e);
	if (!rc)
		rc = zb_org_warn_evaluate_all(db, sink_add, &r, 0, e);
	if (!rc && r.oom)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法核对统计");
	if (rc) {
		ru_free(&r);
		return rc;
	}
	qsort(r.ents, r.n, sizeof *r.ents, cmp_entry);
	zb_stmt *st = zb_db_query(db, e, "SELECT org_id, dim, key, n FROM org_counts WHERE n <> 0 ORDER BY org_id, dim, key", "");
	if (!st) {
		ru_free(&r);
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
	while (more == 1 || i < r.n) {
		if (i < r.n && !r.ents[i].n) {
			i++;
			continue;
		}
		if (more != 1) {
			NOTE(r.ents[i].org, r.ents[i].dim, r.ents[i].key, r.ents[i].n, 0);
			i++;
			continue;
		}
		entry got = {.org = zb_col_int(st, 0), .n = zb_col_int(st, 3)};
		snprintf(got.dim, sizeof got.dim, "%s", zb_col_text(st, 1));
		snprintf(got.key, sizeof got.key, "%s", zb_col_text(st, 2));
		int c = i < r.n ? cmp_entry(&r.ents[i], &got) : 1;
		if (c < 0) {
			NOTE(r.ents[i].org, r.ents[i].dim, r.ents[i].key, r.ents[i].n, 0);
			i++;
		} else if (c > 0) {
			NOTE(got.org, got.dim, got.key, 0, got.n);
			more = zb_stmt_step(st, e);
		} else {
			if (got.n != r.ents[i].n)
				NOTE(got.org, got.dim, got.key, r.ents[i].n, got.n);
			i++;
			more = zb_stmt_step(st, e);
		}
	}
#undef NOTE
	zb_stmt_done(st);
	ru_free(&r);
	if (more < 0)
		return -more;
	*mismatches = bad;
	if (first && bad)
		*first = zb_arena_strdup(a, desc);
	return 0;
}
