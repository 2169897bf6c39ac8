/* cstore.c - see cstore.h. */
#include "meeting/cstore.h"
#include "auth/authz.h"
#include "core/buf.h"
#include "core/grow.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* more noted paths than this at once (a bulk load): drop everything */
#define DIRTY_ALL 2000
#define MAX_DEPTH 64

/* ---- helpers ---- */

/* The ids of "/1/5/23/", root first; the count. */
static int path_ids(const char *path, int64_t *ids, int max)
{
	int n = 0;
	for (const char *p = path; p && *p && n < max;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		ids[n++] = v;
		p = end;
	}
	return n;
}

static int64_t path_last_id(const char *path)
{
	int64_t ids[MAX_DEPTH];
	int n = path_ids(path, ids, MAX_DEPTH);
	return n ? ids[n - 1] : 0;
}

/* Good on today for period p (NULL: risks, good on its day only). */
static int valid_on(const char *as_of, const zb_period *p, const char *today)
{
	if (!as_of)
		return 0;
	if (!strcmp(as_of, today))
		return 1;
	return p && strcmp(p->to, as_of) < 0 && strcmp(p->to, today) < 0;
}

static int step_done(zb_stmt *st, int rc)
{
	zb_stmt_done(st);
	return rc < 0 ? -rc : 0;
}

/* ---- encodings: integers separated by spaces ---- */

static void put_ints(zb_buf *b, const int *v, int n)
{
	for (int i = 0; i < n; i++)
		zb_buf_printf(b, i ? " %d" : "%d", v[i]);
}

/* n integers written by put_ints (missing ones read 0) */
static void get_ints(const char *s, int *v, int n)
{
	for (int i = 0; i < n; i++) {
		while (s && *s == ' ')
			s++;
		int neg = s && *s == '-', x = 0;
		if (neg)
			s++;
		while (s && *s >= '0' && *s <= '9')
			x = x * 10 + (*s++ - '0');
		v[i] = neg ? -x : x;
	}
}

#define TYPE_INTS 6
static void type_ints(const zb_ctype *t, int *v)
{
	v[0] = t->applies, v[1] = t->required, v[2] = t->held;
	v[3] = t->held_total, v[4] = t->missing, v[5] = t->pending;
}
static void ints_type(const int *v, zb_ctype *t)
{
	t->applies = v[0], t->required = v[1], t->held = v[2];
	t->held_total = v[3], t->missing = v[4], t->pending = v[5];
}

#define SUM_INTS (6 + ZB_MT_COUNT * (4 + TYPE_INTS))
static const char *sum_text(const zb_csum *s, zb_buf *b)
{
	int v[SUM_INTS], k = 0;
	v[k++] = s->branches, v[k++] = s->done, v[k++] = s->open, v[k++] = s->missing;
	v[k++] = s->required, v[k++] = s->held;
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		v[k++] = s->t[t].branches, v[k++] = s->t[t].done, v[k++] = s->t[t].open, v[k++] = s->t[t].missing;
		type_ints(&s->t[t].sum, v + k);
		k += TYPE_INTS;
	}
	zb_buf_reset(b);
	put_ints(b, v, k);
	return b->data ? b->data : "";
}

static void text_sum(const char *text, zb_csum *s)
{
	int v[SUM_INTS], k = 0;
	get_ints(text, v, SUM_INTS);
	memset(s, 0, sizeof *s);
	s->branches = v[k++], s->done = v[k++], s->open = v[k++], s->missing = v[k++];
	s->required = v[k++], s->held = v[k++];
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		s->t[t].branches = v[k++], s->t[t].done = v[k++], s->t[t].open = v[k++], s->t[t].missing = v[k++];
		ints_type(v + k, &s->t[t].sum);
		k += TYPE_INTS;
	}
}

/* ---- the store, one context per refresh ---- */

typedef struct cctx {
	zb_db *db;
	const zb_period *p; /* NULL: risks */
	const char *today;
	zb_arena *a;
	zb_buf buf;
	zb_err *e;
} cctx;

static int put_sum(cctx *c, int64_t org_id, const zb_csum *s)
{
	return zb_db_run(c->db, c->e, NULL,
	                 "INSERT INTO compliance_sum (org_id, period, as_of, data) VALUES (?, ?, ?, ?) "
	                 "ON CONFLICT (org_id, period) DO UPDATE SET as_of = excluded.as_of, data = excluded.data",
	                 "isss", org_id, c->p->label, c->today, sum_text(s, &c->buf));
}

static int put_branch(cctx *c, const zb_cbranch *b)
{
	int v[ZB_MT_COUNT * TYPE_INTS];
	for (int t = 0; t < ZB_MT_COUNT; t++)
		type_ints(&b->t[t], v + t * TYPE_INTS);
	zb_buf_reset(&c->buf);
	put_ints(&c->buf, v, ZB_MT_COUNT * TYPE_INTS);
	return zb_db_run(c->db, c->e, NULL,
	                 "INSERT INTO compliance_branch (org_id, period, as_of, path, state, required, held, missing, pending, "
	                 "types) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, period) DO UPDATE SET "
	                 "as_of = excluded.as_of, path = excluded.path, state = excluded.state, required = excluded.required, "
	                 "held = excluded.held, missing = excluded.missing, pending = excluded.pending, types = excluded.types",
	                 "isssiiiiis", b->org_id, c->p->label, c->today, b->path, (int64_t)b->state, (int64_t)b->required,
	                 (int64_t)b->held, (int64_t)b->missing, (int64_t)b->pending, c->buf.data);
}

/* Columns read back into a zb_cbranch (read_branch), b = compliance_branch,
 * o = orgs. */
#define BRANCH_COLS "b.org_id, o.parent_id, o.path, o.name, o.type, b.state, b.required, b.held, b.missing, b.pending, b.types"
static void read_branch(zb_stmt *st, zb_arena *a, zb_cbranch *b)
{
	memset(b, 0, sizeof *b);
	b->org_id = zb_col_int(st, 0);
	b->parent_id = zb_col_int(st, 1);
	b->path = zb_arena_strdup(a, zb_col_text(st, 2));
	b->name = zb_arena_strdup(a, zb_col_text(st, 3));
	b->type = zb_arena_strdup(a, zb_col_text(st, 4));
	b->state = (int)zb_col_int(st, 5);
	b->required = (int)zb_col_int(st, 6);
	b->held = (int)zb_col_int(st, 7);
	b->missing = (int)zb_col_int(st, 8);
	b->pending = (int)zb_col_int(st, 9);
	b->ok = b->missing == 0;
	int v[ZB_MT_COUNT * TYPE_INTS];
	get_ints(zb_col_text(st, 10), v, ZB_MT_COUNT * TYPE_INTS);
	for (int t = 0; t < ZB_MT_COUNT; t++)
		ints_type(v + t * TYPE_INTS, &b->t[t]);
}

/* Add x to the sum of every org of the subtree (depth root_depth and
 * below) on path: pairs (org, index) for sort_sums(). */
typedef struct opair {
	int64_t org_id;
	int idx;
} opair;

static int cmp_pair(const void *x, const void *y)
{
	const opair *a = x, *b = y;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	return a->idx - b->idx;
}

/* Pairs (ancestor within the subtree, i) for each path[i]; *n gets their
 * count.  The caller frees. */
static opair *ancestor_pairs(const char *const *paths, int npaths, int root_depth, int *n)
{
	size_t cap = (size_t)npaths * 4 + 16;
	opair *v = malloc(sizeof *v * cap);
	*n = 0;
	for (int i = 0; v && i < npaths; i++) {
		int64_t ids[MAX_DEPTH];
		int k = path_ids(paths[i], ids, MAX_DEPTH);
		for (int d = root_depth - 1; d >= 0 && d < k; d++) {
			if (ZB_GROW(v, (size_t)*n, cap)) {
				free(v);
				return NULL;
			}
			v[(*n)++] = (opair){ids[d], i};
		}
	}
	if (v)
		qsort(v, (size_t)*n, sizeof *v, cmp_pair);
	return v;
}

/* ---- noted writes ---- */

static const char *const drop_sql[] = {
	"DELETE FROM compliance_branch WHERE org_id = ?",
	"DELETE FROM compliance_sum WHERE org_id = ?",
	"DELETE FROM risk_store WHERE org_id = ?",
	"DELETE FROM risk_sum WHERE org_id = ?",
};

static int drop_subtree(zb_db *db, const char *path, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	int rc = zb_db_run(db, e, NULL, "DELETE FROM compliance_branch WHERE path >= ? AND path < ?", "ss", path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM compliance_sum WHERE org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)", "ss",
		               path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM risk_store WHERE org_path >= ? AND org_path < ?", "ss", path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM risk_sum WHERE org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)", "ss", path,
		               upper);
	return rc;
}

int zb_cstore_clear(zb_db *db, zb_err *e)
{
	static const char *const sql[] = {"DELETE FROM compliance_branch", "DELETE FROM compliance_sum",
	                                  "DELETE FROM risk_store", "DELETE FROM risk_sum"};
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof sql / sizeof sql[0]; i++)
		rc = zb_db_run(db, e, NULL, sql[i], "");
	return rc;
}

static int cmp_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Drop what the noted writes made stale; in the caller's write
 * transaction.  Only the marks read are removed: a writer's mark that
 * commits meanwhile waits for the next refresh. */
static int apply_dirty(zb_db *db, zb_arena *a, zb_err *e)
{
	int64_t max_id = 0, nmarks = 0;
	int rc = zb_db_int(db, e, &nmarks, "SELECT COUNT(*) FROM compliance_dirty", "");
	if (rc || !nmarks)
		return rc;
	if ((rc = zb_db_int(db, e, &max_id, "SELECT MAX(id) FROM compliance_dirty", "")))
		return rc;
	if (nmarks > DIRTY_ALL) {
		if ((rc = zb_cstore_clear(db, e)))
			return rc;
		return zb_db_run(db, e, NULL, "DELETE FROM compliance_dirty WHERE id <= ?", "i", max_id);
	}
	/* the marks, their org ids (every org on each path) and the subtrees */
	int n = 0, nids = 0, nsub = 0;
	size_t cap = 0, icap = 0, scap = 0;
	int64_t *marks = NULL, *ids = NULL;
	const char **subtrees = NULL;
	zb_stmt *st = zb_db_query(db, e, "SELECT id, path, subtree FROM compliance_dirty WHERE id <= ?", "i", max_id);
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		ZB_AGROW(a, marks, (size_t)n, cap);
		ZB_AGROW(a, ids, (size_t)nids + MAX_DEPTH - 1, icap); /* room for a path's ids */
		marks[n++] = zb_col_int(st, 0);
		const char *path = zb_col_text(st, 1);
		if (zb_col_int(st, 2)) {
			ZB_AGROW(a, subtrees, (size_t)nsub, scap);
			subtrees[nsub++] = zb_arena_strdup(a, path);
		}
		nids += path_ids(path, ids + nids, MAX_DEPTH);
	}
	if ((rc = step_done(st, rc)))
		return rc;
	qsort(ids, (size_t)nids, sizeof *ids, cmp_id);
	for (int i = 0; !rc && i < nids; i++) {
		if (i && ids[i] == ids[i - 1])
			continue;
		for (size_t k = 0; !rc && k < sizeof drop_sql / sizeof drop_sql[0]; k++)
			rc = zb_db_run(db, e, NULL, drop_sql[k], "i", ids[i]);
	}
	for (int i = 0; !rc && i < nsub; i++)
		rc = drop_subtree(db, subtrees[i], e);
	for (int i = 0; !rc && i < n; i++)
		rc = zb_db_run(db, e, NULL, "DELETE FROM compliance_dirty WHERE id = ?", "i", marks[i]);
	return rc;
}

/* ---- compliance ---- */

typedef struct cchild {
	int64_t id;
	const char *path, *type;
	int valid;
	zb_csum sum;
} cchild;

/* The children of org id with their stored sums (risks: only whether one
 * is good and the count scanned, in sum.branches). */
static int load_children(cctx *c, int64_t id, cchild **out, int *n, int *nvalid)
{
	zb_stmt *st = c->p ? zb_db_query(c->db, c->e,
	                                 "SELECT o.id, o.path, o.type, s.as_of, s.data FROM orgs o LEFT JOIN compliance_sum s "
	                                 "ON s.org_id = o.id AND s.period = ? WHERE o.parent_id = ?",
	                                 "si", c->p->label, id)
	                   : zb_db_query(c->db, c->e,
	                                 "SELECT o.id, o.path, o.type, s.as_of, s.scanned FROM orgs o LEFT JOIN risk_sum s "
	                                 "ON s.org_id = o.id WHERE o.parent_id = ?",
	                                 "i", id);
	if (!st)
		return c->e->code;
	int rc;
	size_t cap = 0;
	*out = NULL;
	*n = *nvalid = 0;
	while ((rc = zb_stmt_step(st, c->e)) == 1) {
		ZB_AGROW(c->a, *out, (size_t)*n, cap);
		cchild *k = &(*out)[(*n)++];
		memset(k, 0, sizeof *k);
		k->id = zb_col_int(st, 0);
		k->path = zb_arena_strdup(c->a, zb_col_text(st, 1));
		k->type = zb_arena_strdup(c->a, zb_col_text(st, 2));
		k->valid = valid_on(zb_col_text(st, 3), c->p, c->today);
		if (k->valid) {
			(*nvalid)++;
			if (c->p)
				text_sum(zb_col_text(st, 4), &k->sum);
			else
				k->sum.branches = (int)zb_col_int(st, 4);
		}
	}
	return step_done(st, rc);
}

/* Compute the subtree of id in one pass and store every branch and the
 * sum of every org with branches below (and of id itself). */
static int cbulk(cctx *c, int64_t id, const char *path, zb_csum *out)
{
	memset(out, 0, sizeof *out);
	zb_compliance cc;
	int rc = zb_compliance_compute(c->db, path, c->p, c->today, c->a, &cc, c->e);
	if (rc)
		return rc;
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	if ((rc = zb_db_run(c->db, c->e, NULL, "DELETE FROM compliance_branch WHERE period = ? AND path >= ? AND path < ?",
	                    "sss", c->p->label, path, upper)) ||
	    (rc = zb_db_run(c->db, c->e, NULL,
	                    "DELETE FROM compliance_sum WHERE period = ? AND org_id IN "
	                    "(SELECT id FROM orgs WHERE path >= ? AND path < ?)",
	                    "sss", c->p->label, path, upper)))
		return rc;
	const char **paths = zb_arena_alloc(c->a, sizeof *paths * (size_t)(cc.nbranches + 1));
	for (int i = 0; !rc && i < cc.nbranches; i++) {
		paths[i] = cc.branches[i].path;
		rc = put_branch(c, &cc.branches[i]);
	}
	if (rc)
		return rc;
	int64_t rids[MAX_DEPTH];
	int depth = path_ids(path, rids, MAX_DEPTH), np;
	opair *pairs = ancestor_pairs(paths, cc.nbranches, depth, &np);
	if (!pairs)
		return zb_fail(c->e, ZB_EINTERNAL, NULL, "内存不足");
	int root_put = 0;
	for (int i = 0; !rc && i < np;) {
		zb_csum s;
		memset(&s, 0, sizeof s);
		int j = i;
		for (; j < np && pairs[j].org_id == pairs[i].org_id; j++)
			zb_csum_add_branch(&s, &cc.branches[pairs[j].idx]);
		if (pairs[i].org_id == id) {
			*out = s;
			root_put = 1;
		}
		rc = put_sum(c, pairs[i].org_id, &s);
		i = j;
	}
	free(pairs);
	if (!rc && !root_put)
		rc = put_sum(c, id, out);
	return rc;
}

/* The sum of org id made good: its own branch and its children's sums,
 * computing only what is not stored. */
static int cfill(cctx *c, int64_t id, const char *path, const char *type, zb_csum *out)
{
	cchild *kids;
	int nk, nvalid;
	int rc = load_children(c, id, &kids, &nk, &nvalid);
	if (rc)
		return rc;
	if (nk && !nvalid)
		return cbulk(c, id, path, out);
	memset(out, 0, sizeof *out);
	if (zb_compliance_is_branch(type)) {
		zb_cbranch own;
		int have = 0;
		zb_stmt *st = zb_db_query(c->db, c->e,
		                          "SELECT " BRANCH_COLS ", b.as_of FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
		                          "WHERE b.org_id = ? AND b.period = ?",
		                          "is", id, c->p->label);
		if (!st)
			return c->e->code;
		if ((rc = zb_stmt_step(st, c->e)) == 1 && valid_on(zb_col_text(st, 11), c->p, c->today)) {
			read_branch(st, c->a, &own);
			have = 1;
		}
		if ((rc = step_done(st, rc)))
			return rc;
		if (!have) {
			zb_compliance cc;
			if ((rc = zb_compliance_compute(c->db, path, c->p, c->today, c->a, &cc, c->e)))
				return rc;
			for (int i = 0; i < cc.nbranches; i++)
				if (cc.branches[i].org_id == id) {
					own = cc.branches[i];
					have = 1;
					if ((rc = put_branch(c, &own)))
						return rc;
				}
		}
		if (have)
			zb_csum_add_branch(out, &own);
	}
	for (int i = 0; i < nk; i++) {
		if (!kids[i].valid && (rc = cfill(c, kids[i].id, kids[i].path, kids[i].type, &kids[i].sum)))
			return rc;
		zb_csum_add(out, &kids[i].sum);
	}
	return put_sum(c, id, out);
}

/* ---- risks ---- */

static int put_risk(cctx *c, const zb_risk *k)
{
	return zb_db_run(c->db, c->e, NULL,
	                 "INSERT INTO risk_store (member_id, org_id, org_path, months, level, last_present_ym, explained_to_ym, "
	                 "since_ym, excused_months, idle_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	                 "ON CONFLICT (member_id) DO UPDATE SET org_id = excluded.org_id, org_path = excluded.org_path, "
	                 "months = excluded.months, level = excluded.level, last_present_ym = excluded.last_present_ym, "
	                 "explained_to_ym = excluded.explained_to_ym, since_ym = excluded.since_ym, "
	                 "excused_months = excluded.excused_months, idle_months = excluded.idle_months",
	                 "iisiiiiiii", k->member_id, k->org_id, k->org_path, (int64_t)k->months, (int64_t)k->level,
	                 (int64_t)k->last_present_ym, (int64_t)k->explained_to_ym, (int64_t)k->since_ym,
	                 (int64_t)k->excused_months, (int64_t)k->idle_months);
}

static int put_rsum(cctx *c, int64_t org_id, int scanned)
{
	return zb_db_run(c->db, c->e, NULL,
	                 "INSERT INTO risk_sum (org_id, as_of, scanned) VALUES (?, ?, ?) "
	                 "ON CONFLICT (org_id) DO UPDATE SET as_of = excluded.as_of, scanned = excluded.scanned",
	                 "isi", org_id, c->today, (int64_t)scanned);
}

/* Compute the members of the subtree (own_org 0) or of one org, store
 * those at risk; *scans the members scanned per org. */
static int rcompute(cctx *c, const char *path, int64_t own_org, zb_rscan **scans, int *nscans)
{
	zb_risk *rv;
	int n;
	int rc = zb_risks_run(c->db, path, own_org, c->today, c->a, &rv, &n, scans, nscans, c->e);
	for (int i = 0; !rc && i < n; i++)
		rc = put_risk(c, &rv[i]);
	return rc;
}

static int rbulk(cctx *c, int64_t id, const char *path, int *scanned)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	zb_rscan *scans;
	int ns, rc;
	*scanned = 0;
	if ((rc = zb_db_run(c->db, c->e, NULL, "DELETE FROM risk_store WHERE org_path >= ? AND org_path < ?", "ss", path,
	                    upper)) ||
	    (rc = zb_db_run(c->db, c->e, NULL,
	                    "DELETE FROM risk_sum WHERE org_id IN (SELECT id FROM orgs WHERE path >= ? AND path < ?)", "ss", path,
	                    upper)) ||
	    (rc = rcompute(c, path, 0, &scans, &ns)))
		return rc;
	const char **paths = zb_arena_alloc(c->a, sizeof *paths * (size_t)(ns + 1));
	for (int i = 0; i < ns; i++)
		paths[i] = scans[i].org_path;
	int64_t rids[MAX_DEPTH];
	int depth = path_ids(path, rids, MAX_DEPTH), np;
	opair *pairs = ancestor_pairs(paths, ns, depth, &np);
	if (!pairs)
		return zb_fail(c->e, ZB_EINTERNAL, NULL, "内存不足");
	int root_put = 0;
	for (int i = 0; !rc && i < np;) {
		int s = 0, j = i;
		for (; j < np && pairs[j].org_id == pairs[i].org_id; j++)
			s += scans[pairs[j].idx].scanned;
		if (pairs[i].org_id == id) {
			*scanned = s;
			root_put = 1;
		}
		rc = put_rsum(c, pairs[i].org_id, s);
		i = j;
	}
	free(pairs);
	if (!rc && !root_put)
		rc = put_rsum(c, id, 0);
	return rc;
}

static int rfill(cctx *c, int64_t id, const char *path, int *scanned)
{
	cchild *kids;
	int nk, nvalid;
	int rc = load_children(c, id, &kids, &nk, &nvalid);
	if (rc)
		return rc;
	if (nk && !nvalid)
		return rbulk(c, id, path, scanned);
	zb_rscan *scans;
	int ns;
	*scanned = 0;
	if ((rc = zb_db_run(c->db, c->e, NULL, "DELETE FROM risk_store WHERE org_id = ?", "i", id)) ||
	    (rc = rcompute(c, path, id, &scans, &ns)))
		return rc;
	for (int i = 0; i < ns; i++)
		*scanned += scans[i].scanned;
	for (int i = 0; i < nk; i++) {
		if (!kids[i].valid && (rc = rfill(c, kids[i].id, kids[i].path, &kids[i].sum.branches)))
			return rc;
		*scanned += kids[i].sum.branches;
	}
	return put_rsum(c, id, *scanned);
}

/* ---- refresh ---- */

/* 1 if the stored result of org id is good (p NULL: risks) and nothing
 * is noted; *scanned (risks) gets its count. */
static int store_good(cctx *c, int64_t id, int *good)
{
	int64_t marks = 0;
	*good = 0;
	int rc = zb_db_int(c->db, c->e, &marks, "SELECT COUNT(*) FROM (SELECT id FROM compliance_dirty LIMIT 1) d", "");
	if (rc || marks)
		return rc;
	zb_stmt *st = c->p ? zb_db_query(c->db, c->e, "SELECT as_of FROM compliance_sum WHERE org_id = ? AND period = ?",
	                                 "is", id, c->p->label)
	                   : zb_db_query(c->db, c->e, "SELECT as_of FROM risk_sum WHERE org_id = ?", "i", id);
	if (!st)
		return c->e->code;
	if ((rc = zb_stmt_step(st, c->e)) == 1)
		*good = valid_on(zb_col_text(st, 0), c->p, c->today);
	return step_done(st, rc);
}

/* Make the store good for org id at path: without a write when it is;
 * else drop what noted writes made stale and fill, one refresh at a
 * time. */
static int refresh(cctx *c, int64_t id, const char *path)
{
	int good, rc = store_good(c, id, &good);
	if (rc || good)
		return rc;
	if ((rc = zb_db_begin_write(c->db, c->e)))
		return rc;
	rc = zb_db_run(c->db, c->e, NULL, "UPDATE compliance_lock SET n = n + 1 WHERE id = 1", "");
	if (!rc)
		rc = apply_dirty(c->db, c->a, c->e);
	zb_stmt *st = rc ? NULL : zb_db_query(c->db, c->e, "SELECT type FROM orgs WHERE id = ?", "i", id);
	const char *type = NULL;
	if (st) {
		if ((rc = zb_stmt_step(st, c->e)) == 1)
			type = zb_arena_strdup(c->a, zb_col_text(st, 0));
		rc = step_done(st, rc);
	} else if (!rc) {
		rc = c->e->code;
	}
	if (!rc && !type)
		rc = zb_fail(c->e, ZB_ENOTFOUND, "org", "组织不存在");
	if (!rc)
		rc = store_good(c, id, &good);
	if (!rc && !good) {
		int scanned;
		zb_csum s;
		rc = c->p ? cfill(c, id, path, type, &s) : rfill(c, id, path, &scanned);
	}
	if (rc) {
		zb_db_rollback(c->db);
		return rc;
	}
	return zb_db_commit(c->db, c->e);
}

static void ctx_init(cctx *c, zb_db *db, const zb_period *p, const char *today, zb_arena *a, zb_err *e)
{
	c->db = db;
	c->p = p;
	c->today = today;
	c->a = a;
	c->e = e;
	zb_buf_init(&c->buf, 4096);
}

/* ---- reads ---- */

int zb_compliance_report(zb_db *db, int64_t org_id, const char *path, const zb_period *p, const char *today,
                         zb_arena *a, zb_creport *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->root_branch = -1;
	zb_org o;
	int rc = zb_org_get(db, org_id, a, &o, e);
	if (rc)
		return rc;
	out->org_name = o.name;
	if (zb_compliance_is_branch(o.type)) {
		/* a branch: computed now, with its units (a few milliseconds) */
		out->is_branch = 1;
		if ((rc = zb_compliance_compute(db, path, p, today, a, &out->c, e)))
			return rc;
		for (int i = 0; i < out->c.nbranches; i++)
			if (out->c.branches[i].org_id == org_id)
				out->root_branch = i;
		zb_compliance_sum(&out->c, NULL, &out->sum);
		out->worst = zb_compliance_worst(&out->c, a, &out->nworst);
		return 0;
	}
	cctx c;
	ctx_init(&c, db, p, today, a, e);
	if ((rc = refresh(&c, org_id, path)) || (rc = zb_db_begin_read(db, e)))
		goto out;
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT o.id, o.name, o.dissolved_on, s.data FROM orgs o JOIN compliance_sum s "
	                          "ON s.org_id = o.id AND s.period = ? WHERE o.id = ? OR o.parent_id = ? "
	                          "ORDER BY o.id <> ?, o.sort_order, o.id",
	                          "siii", p->label, org_id, org_id, org_id);
	if (!st) {
		rc = e->code;
		goto rollback;
	}
	out->children = zb_arena_alloc(a, sizeof *out->children * 64);
	size_t cap = 64;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int64_t id = zb_col_int(st, 0);
		zb_csum s;
		text_sum(zb_col_text(st, 3), &s);
		if (id == org_id) {
			out->sum = s;
			continue;
		}
		if (!s.branches)
			continue;
		ZB_AGROW(a, out->children, (size_t)out->nchildren, cap);
		zb_cchild *k = &out->children[out->nchildren++];
		k->org_id = id;
		k->name = zb_arena_strdup(a, zb_col_text(st, 1));
		k->dissolved = !zb_col_is_null(st, 2);
		k->sum = s;
	}
	if ((rc = step_done(st, rc)))
		goto rollback;
	/* the non-compliant branches, to rank */
	st = zb_db_query(db, e,
	                 "SELECT " BRANCH_COLS " FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
	                 "WHERE b.period = ? AND b.path >= ? AND b.path < ? AND b.missing > 0 ORDER BY b.path",
	                 "sss", p->label, path, upper);
	if (!st) {
		rc = e->code;
		goto rollback;
	}
	zb_compliance *cc = &out->c;
	cc->period = *p;
	snprintf(cc->today, sizeof cc->today, "%s", today);
	cap = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		ZB_AGROW(a, cc->branches, (size_t)cc->nbranches, cap);
		read_branch(st, a, &cc->branches[cc->nbranches++]);
	}
	if ((rc = step_done(st, rc)))
		goto rollback;
	rc = zb_db_commit(db, e);
	out->worst = zb_compliance_worst(cc, a, &out->nworst);
	goto out;
rollback:
	zb_db_rollback(db);
out:
	zb_buf_release(&c.buf);
	return rc;
}

int zb_compliance_load(zb_db *db, const char *root_path, const zb_period *p, const char *today, zb_arena *a,
                       zb_compliance *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->period = *p;
	snprintf(out->today, sizeof out->today, "%s", today);
	cctx c;
	ctx_init(&c, db, p, today, a, e);
	int rc = refresh(&c, path_last_id(root_path), root_path);
	zb_buf_release(&c.buf);
	if (rc)
		return rc;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT " BRANCH_COLS ", po.name FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
	                          "LEFT JOIN orgs po ON po.id = o.parent_id "
	                          "WHERE b.period = ? AND b.path >= ? AND b.path < ? ORDER BY b.path",
	                          "sss", p->label, root_path, upper);
	if (!st)
		return e->code;
	size_t cap = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		ZB_AGROW(a, out->branches, (size_t)out->nbranches, cap);
		zb_cbranch *b = &out->branches[out->nbranches++];
		read_branch(st, a, b);
		b->parent_name = zb_arena_strdup(a, zb_col_text(st, 11));
	}
	if (!out->branches)
		out->branches = zb_arena_alloc(a, sizeof *out->branches);
	return step_done(st, rc);
}

int zb_risks_load(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_risk **out, int *n,
                  int *scanned, zb_err *e)
{
	*out = NULL;
	*n = *scanned = 0;
	int64_t id = path_last_id(root_path);
	cctx c;
	ctx_init(&c, db, NULL, today, a, e);
	int rc = refresh(&c, id, root_path);
	zb_buf_release(&c.buf);
	if (rc || (rc = zb_db_begin_read(db, e)))
		return rc;
	int64_t sc = 0;
	if ((rc = zb_db_int(db, e, &sc, "SELECT scanned FROM risk_sum WHERE org_id = ?", "i", id)))
		goto fail;
	*scanned = (int)sc;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT r.member_id, m.name, r.org_id, o.name, r.org_path, m.status, m.category, r.months, "
	                          "r.level, r.last_present_ym, r.explained_to_ym, r.since_ym, r.excused_months, r.idle_months "
	                          "FROM risk_store r JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = r.org_id "
	                          "WHERE r.org_path >= ? AND r.org_path < ?",
	                          "ss", root_path, upper);
	if (!st) {
		rc = e->code;
		goto fail;
	}
	size_t cap = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		ZB_AGROW(a, *out, (size_t)*n, cap);
		zb_risk *k = &(*out)[(*n)++];
		k->member_id = zb_col_int(st, 0);
		k->name = zb_arena_strdup(a, zb_col_text(st, 1));
		k->org_id = zb_col_int(st, 2);
		k->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
		k->org_path = zb_arena_strdup(a, zb_col_text(st, 4));
		k->status = zb_arena_strdup(a, zb_col_text(st, 5));
		k->category = zb_arena_strdup(a, zb_col_text(st, 6));
		k->months = (int)zb_col_int(st, 7);
		k->level = (int)zb_col_int(st, 8);
		k->last_present_ym = (int)zb_col_int(st, 9);
		k->explained_to_ym = (int)zb_col_int(st, 10);
		k->since_ym = (int)zb_col_int(st, 11);
		k->excused_months = (int)zb_col_int(st, 12);
		k->idle_months = (int)zb_col_int(st, 13);
	}
	if ((rc = step_done(st, rc)))
		goto fail;
	zb_risks_sort(*out, *n);
	return zb_db_commit(db, e);
fail:
	zb_db_rollback(db);
	return rc;
}

int zb_cstore_version(zb_db *db, char out[40], zb_err *e)
{
	out[0] = 0;
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT n, (SELECT COUNT(*) FROM (SELECT id FROM compliance_dirty LIMIT 1) d) "
	                          "FROM compliance_lock WHERE id = 1",
	                          "");
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1 && !zb_col_int(st, 1))
		snprintf(out, 40, "%lld", (long long)zb_col_int(st, 0));
	return step_done(st, rc);
}
