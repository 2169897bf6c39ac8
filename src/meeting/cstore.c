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
/* The marks, their org ids (every org on each path) and the subtrees. */
typedef struct dirty {
	zb_arena *a;
	int64_t *marks, *ids;
	const char **subtrees;
	int n, nids, nsub;
	size_t cap, icap, scap;
} dirty;

static int add_dirty(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dirty *d = ctx;
	ZB_AGROW(d->a, d->marks, (size_t)d->n, d->cap);
	ZB_AGROW(d->a, d->ids, (size_t)d->nids + MAX_DEPTH - 1, d->icap); /* room for a path's ids */
	d->marks[d->n++] = zb_col_int(st, 0);
	const char *path = zb_col_text(st, 1);
	if (zb_col_int(st, 2)) {
		ZB_AGROW(d->a, d->subtrees, (size_t)d->nsub, d->scap);
		d->subtrees[d->nsub++] = zb_arena_strdup(d->a, path);
	}
	d->nids += path_ids(path, d->ids + d->nids, MAX_DEPTH);
	return 0;
}

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
	dirty d = {.a = a};
	if ((rc = zb_db_each(db, e, add_dirty, &d, "SELECT id, path, subtree FROM compliance_dirty WHERE id <= ?", "i",
	                     max_id)))
		return rc;
	int64_t *marks = d.marks, *ids = d.ids;
	const char **subtrees = d.subtrees;
	int n = d.n, nids = d.nids, nsub = d.nsub;
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
typedef struct children {
	cctx *c;
	cchild *rows;
	size_t n, cap;
	int nvalid;
} children;

static int add_child(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	children *l = ctx;
	cctx *c = l->c;
	ZB_AGROW(c->a, l->rows, l->n, l->cap);
	cchild *k = &l->rows[l->n++];
	memset(k, 0, sizeof *k);
	k->id = zb_col_int(st, 0);
	k->path = zb_arena_strdup(c->a, zb_col_text(st, 1));
	k->type = zb_arena_strdup(c->a, zb_col_text(st, 2));
	k->valid = valid_on(zb_col_text(st, 3), c->p, c->today);
	if (k->valid) {
		l->nvalid++;
		if (c->p)
			text_sum(zb_col_text(st, 4), &k->sum);
		else
			k->sum.branches = (int)zb_col_int(st, 4);
	}
	return 0;
}

static int load_children(cctx *c, int64_t id, cchild **out, int *n, int *nvalid)
{
	children l = {.c = c};
	int rc = c->p ? zb_db_each(c->db, c->e, add_child, &l,
	                           "SELECT o.id, o.path, o.type, s.as_of, s.data FROM orgs o LEFT JOIN compliance_sum s "
	                           "ON s.org_id = o.id AND s.period = ? WHERE o.parent_id = ?",
	                           "si", c->p->label, id)
	              : zb_db_each(c->db, c->e, add_child, &l,
	                           "SELECT o.id, o.path, o.type, s.as_of, s.scanned FROM orgs o LEFT JOIN risk_sum s "
	                           "ON s.org_id = o.id WHERE o.parent_id = ?",
	                           "i", id);
	*out = l.rows;
	*n = (int)l.n;
	*nvalid = l.nvalid;
	return rc;
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

/* A branch as stored, if still good. */
typedef struct stored_branch {
	cctx *c;
	zb_cbranch *b;
	int have;
} stored_branch;

static void read_stored_branch(zb_stmt *st, void *ctx)
{
	stored_branch *s = ctx;
	if (valid_on(zb_col_text(st, 11), s->c->p, s->c->today)) {
		read_branch(st, s->c->a, s->b);
		s->have = 1;
	}
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
		stored_branch sb = {c, &own, 0};
		rc = zb_db_one(c->db, c->e, NULL, read_stored_branch, &sb,
		               "SELECT " BRANCH_COLS ", b.as_of FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
		               "WHERE b.org_id = ? AND b.period = ?",
		               "is", id, c->p->label);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		int have = sb.have;
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
	                 "since_ym, excused_months, idle_months, life_months, dues_months, dues_since_ym) "
	                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
	                 "ON CONFLICT (member_id) DO UPDATE SET org_id = excluded.org_id, org_path = excluded.org_path, "
	                 "months = excluded.months, level = excluded.level, last_present_ym = excluded.last_present_ym, "
	                 "explained_to_ym = excluded.explained_to_ym, since_ym = excluded.since_ym, "
	                 "excused_months = excluded.excused_months, idle_months = excluded.idle_months, "
	                 "life_months = excluded.life_months, dues_months = excluded.dues_months, "
	                 "dues_since_ym = excluded.dues_since_ym",
	                 "iisiiiiiiiiii", k->member_id, k->org_id, k->org_path, (int64_t)k->months, (int64_t)k->level,
	                 (int64_t)k->last_present_ym, (int64_t)k->explained_to_ym, (int64_t)k->since_ym,
	                 (int64_t)k->excused_months, (int64_t)k->idle_months, (int64_t)k->life_months,
	                 (int64_t)k->dues_months, (int64_t)k->dues_since_ym);
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
	char as_of[16] = "";
	zb_text_buf b = {as_of, sizeof as_of};
	rc = c->p ? zb_db_one(c->db, c->e, NULL, zb_row_text, &b,
	                      "SELECT as_of FROM compliance_sum WHERE org_id = ? AND period = ?", "is", id, c->p->label)
	          : zb_db_one(c->db, c->e, NULL, zb_row_text, &b, "SELECT as_of FROM risk_sum WHERE org_id = ?", "i", id);
	if (rc)
		return rc == ZB_ENOTFOUND ? 0 : rc;
	*good = valid_on(as_of[0] ? as_of : NULL, c->p, c->today);
	return 0;
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
	char type_s[40] = "";
	zb_text_buf tb = {type_s, sizeof type_s};
	if (!rc && (rc = zb_db_one(c->db, c->e, NULL, zb_row_text, &tb, "SELECT type FROM orgs WHERE id = ?", "i", id)) ==
	            ZB_ENOTFOUND)
		rc = zb_fail(c->e, ZB_ENOTFOUND, "org", "组织不存在");
	const char *type = type_s;
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

/* A report's rows: its children (and the org's own sum), then its
 * non-compliant branches. */
typedef struct view_rows {
	zb_arena *a;
	zb_creport *out;
	int64_t org_id;
	size_t cap, bcap;
} view_rows;

static int add_view_child(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	view_rows *v = ctx;
	zb_creport *out = v->out;
	int64_t id = zb_col_int(st, 0);
	zb_csum s;
	text_sum(zb_col_text(st, 3), &s);
	if (id == v->org_id) {
		out->sum = s;
		return 0;
	}
	if (!s.branches)
		return 0;
	ZB_AGROW(v->a, out->children, (size_t)out->nchildren, v->cap);
	zb_cchild *k = &out->children[out->nchildren++];
	k->org_id = id;
	k->name = zb_arena_strdup(v->a, zb_col_text(st, 1));
	k->dissolved = !zb_col_is_null(st, 2);
	k->sum = s;
	return 0;
}

static int add_view_branch(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	view_rows *v = ctx;
	zb_compliance *cc = &v->out->c;
	ZB_AGROW(v->a, cc->branches, (size_t)cc->nbranches, v->bcap);
	read_branch(st, v->a, &cc->branches[cc->nbranches++]);
	return 0;
}

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
	out->children = zb_arena_alloc(a, sizeof *out->children * 64);
	view_rows v = {a, out, org_id, 64, 0};
	if ((rc = zb_db_each(db, e, add_view_child, &v,
	                     "SELECT o.id, o.name, o.dissolved_on, s.data FROM orgs o JOIN compliance_sum s "
	                     "ON s.org_id = o.id AND s.period = ? WHERE o.id = ? OR o.parent_id = ? "
	                     "ORDER BY o.id <> ?, o.sort_order, o.id",
	                     "siii", p->label, org_id, org_id, org_id)))
		goto rollback;
	/* the non-compliant branches, to rank */
	zb_compliance *cc = &out->c;
	cc->period = *p;
	snprintf(cc->today, sizeof cc->today, "%s", today);
	if ((rc = zb_db_each(db, e, add_view_branch, &v,
	                     "SELECT " BRANCH_COLS " FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
	                     "WHERE b.period = ? AND b.path >= ? AND b.path < ? AND b.missing > 0 ORDER BY b.path",
	                     "sss", p->label, path, upper)))
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

typedef struct branch_rows {
	zb_arena *a;
	zb_compliance *out;
	size_t cap;
} branch_rows;

/* A branch with its parent's name (column 11). */
static int add_named_branch(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	branch_rows *l = ctx;
	zb_compliance *out = l->out;
	ZB_AGROW(l->a, out->branches, (size_t)out->nbranches, l->cap);
	zb_cbranch *b = &out->branches[out->nbranches++];
	read_branch(st, l->a, b);
	b->parent_name = zb_arena_strdup(l->a, zb_col_text(st, 11));
	return 0;
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
	branch_rows l = {a, out, 0};
	rc = zb_db_each(db, e, add_named_branch, &l,
	                "SELECT " BRANCH_COLS ", po.name FROM compliance_branch b JOIN orgs o ON o.id = b.org_id "
	                "LEFT JOIN orgs po ON po.id = o.parent_id "
	                "WHERE b.period = ? AND b.path >= ? AND b.path < ? ORDER BY b.path",
	                "sss", p->label, root_path, upper);
	if (!out->branches)
		out->branches = zb_arena_alloc(a, sizeof *out->branches);
	return rc;
}

typedef struct risk_rows {
	zb_arena *a;
	zb_risk **rows;
	int *n;
	size_t cap;
} risk_rows;

static int add_risk(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	risk_rows *l = ctx;
	zb_arena *a = l->a;
	ZB_AGROW(a, *l->rows, (size_t)*l->n, l->cap);
	zb_risk *k = &(*l->rows)[(*l->n)++];
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
	k->life_months = (int)zb_col_int(st, 14);
	k->dues_months = (int)zb_col_int(st, 15);
	k->dues_since_ym = (int)zb_col_int(st, 16);
	return 0;
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
	risk_rows l = {a, out, n, 0};
	if ((rc = zb_db_each(db, e, add_risk, &l,
	                     "SELECT r.member_id, m.name, r.org_id, o.name, r.org_path, m.status, m.category, r.months, "
	                     "r.level, r.last_present_ym, r.explained_to_ym, r.since_ym, r.excused_months, r.idle_months, "
	                     "r.life_months, r.dues_months, r.dues_since_ym "
	                     "FROM risk_store r JOIN members m ON m.id = r.member_id JOIN orgs o ON o.id = r.org_id "
	                     "WHERE r.org_path >= ? AND r.org_path < ?",
	                     "ss", root_path, upper)))
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
	int64_t v[2] = {0, 1}; /* n, whether a write is noted */
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT n, (SELECT COUNT(*) FROM (SELECT id FROM compliance_dirty LIMIT 1) d) "
	                   "FROM compliance_lock WHERE id = 1",
	                   "");
	if (!rc && !v[1])
		snprintf(out, 40, "%lld", (long long)v[0]);
	return rc == ZB_ENOTFOUND ? 0 : rc;
}
