/* ident.c - 软弱涣散 identification: the criteria of weak_org checked
 * against the records of every branch of a subtree, each criterion met
 * with the records behind it.  A handful of range queries per subtree,
 * never one per branch.  docs/RECTIFY.md "Identification". */
#include "rectify/rint.h"
#include "core/date.h"
#include "core/escape.h"
#include "core/grow.h"
#include "meeting/cstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNDER "o.path >= ? AND o.path < ? || '~'"
#define BRANCH_TYPES "('branch', 'joint_branch', 'temp_branch', 'online_branch', 'general_branch')"

typedef struct borg {
	zb_weak_cand c;
	const char *founded_on;
	int branch;              /* a branch type the criteria are checked for */
	zb_weak_rules r;
	/* facts */
	int has_sec;             /* a secretary in office on the reference date */
	const char *sec_ended;   /* the last secretary's end, post id */
	int64_t sec_post;
	int low_q;
	const char *low_src[4];
	const char *low_txt[4];
	int lag_n;
	const char *lag_src[8];
	int64_t term_id;
	const char *term_end;
	size_t ccap;
} borg;

struct oid {
	int64_t id;
	size_t i;
};

typedef struct ident {
	zb_arena *a;
	borg *o;
	size_t n, cap;
	struct oid *by_id;       /* the orgs' ids with their index in o, by id */
	const char *only;        /* a single org's path, or NULL */
	int year;
} ident;

static int read_org(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ident *d = ctx;
	const char *path = zb_col_text(st, 2);
	if (d->only && strcmp(d->only, path))
		return 0;
	ZB_AGROW(d->a, d->o, d->n, d->cap);
	borg *b = &d->o[d->n++];
	memset(b, 0, sizeof *b);
	b->c.org_id = zb_col_int(st, 0);
	b->c.org_name = zb_arena_strdup(d->a, zb_col_text(st, 1));
	b->c.org_path = zb_arena_strdup(d->a, path);
	b->founded_on = zb_arena_strdup(d->a, zb_col_text(st, 3));
	b->branch = zb_compliance_is_branch(zb_col_text(st, 4));
	return 0;
}

static int by_org_id(const void *x, const void *y)
{
	int64_t a = ((const struct oid *)x)->id, b = ((const struct oid *)y)->id;
	return a < b ? -1 : a > b;
}

static borg *find(ident *d, int64_t id)
{
	size_t lo = 0, hi = d->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int64_t v = d->by_id[mid].id;
		if (v == id)
			return &d->o[d->by_id[mid].i];
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int read_post(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ident *d = ctx;
	borg *b = find(d, zb_col_int(st, 0));
	if (!b)
		return 0;
	if (zb_col_is_null(st, 2)) {
		b->has_sec = 1;
	} else if (!b->sec_ended || strcmp(zb_col_text(st, 2), b->sec_ended) > 0) {
		b->sec_ended = zb_arena_strdup(d->a, zb_col_text(st, 2));
		b->sec_post = zb_col_int(st, 1);
	}
	return 0;
}

static int read_rating(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ident *d = ctx;
	borg *b = find(d, zb_col_int(st, 0));
	/* newest first: the run of consecutive years ending the year before */
	if (b && b->lag_n < 8 && zb_col_int(st, 2) == d->year - 1 - b->lag_n)
		b->lag_src[b->lag_n++] = zb_arena_printf(d->a, "rating:%lld", (long long)zb_col_int(st, 1));
	return 0;
}

static int read_term(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ident *d = ctx;
	borg *b = find(d, zb_col_int(st, 0));
	if (b) { /* ordered by start: the last one read is the current term */
		b->term_id = zb_col_int(st, 1);
		b->term_end = zb_arena_strdup(d->a, zb_col_text(st, 2));
	}
	return 0;
}

static int read_listing(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ident *d = ctx;
	borg *b = find(d, zb_col_int(st, 0));
	if (b) {
		b->c.listing_id = zb_col_int(st, 1);
		b->c.listing_status = zb_arena_strdup(d->a, zb_col_text(st, 2));
	}
	return 0;
}

static void add_crit(ident *d, borg *b, const char *key, const char *name, const char *detail, const char **src,
                     int nsrc)
{
	ZB_AGROW(d->a, b->c.crit, (size_t)b->c.ncrit, b->ccap);
	zb_weak_crit *c = &b->c.crit[b->c.ncrit++];
	c->key = key;
	c->name = name;
	c->detail = detail;
	c->nsources = nsrc;
	c->sources = zb_arena_alloc(d->a, sizeof *c->sources * (nsrc ? (size_t)nsrc : 1));
	for (int i = 0; i < nsrc; i++)
		c->sources[i] = src[i];
}

/* The quarters of the year ended by ref: each branch's held out of
 * required from the stored compliance. */
static int load_compliance(zb_db *db, ident *d, const char *root, int year, const char *ref, const char *today,
                           zb_err *e)
{
	for (int q = 1; q <= 4; q++) {
		zb_period p;
		char label[16];
		snprintf(label, sizeof label, "%dQ%d", year, q);
		int rc = zb_period_parse(label, &p, e);
		if (rc)
			return rc;
		if (strcmp(p.to, ref) > 0)
			break;
		zb_compliance c;
		if ((rc = zb_compliance_load(db, root, &p, today, d->a, &c, e)))
			return rc;
		for (int i = 0; i < c.nbranches; i++) {
			borg *b = find(d, c.branches[i].org_id);
			if (!b || !b->branch || !zb_weak_share_under(c.branches[i].held, c.branches[i].required, b->r.min_percent))
				continue;
			b->low_src[b->low_q] = zb_arena_printf(d->a, "compliance:%lld:%s", (long long)b->c.org_id, p.label);
			b->low_txt[b->low_q++] = zb_arena_printf(d->a, "第 %d 季度应开 %d 次、按期开 %d 次", q,
			                                         c.branches[i].required, c.branches[i].held);
		}
	}
	return 0;
}

static void judge(ident *d, borg *b, int year, const char *ref)
{
	const zb_weak_rules *r = &b->r;
	if (!b->has_sec) {
		const char *since = b->sec_ended ? b->sec_ended : b->founded_on;
		if (since && zb_date_valid(since) && zb_weak_vacant_over(since, r->vacant_months, ref)) {
			const char *src = b->sec_ended ? zb_arena_printf(d->a, "post:%lld", (long long)b->sec_post)
			                               : zb_arena_printf(d->a, "org:%lld", (long long)b->c.org_id);
			add_crit(d, b, "secretary_vacant", zb_arena_printf(d->a, "书记空缺超过 %d 个月", r->vacant_months),
			         zb_arena_printf(d->a, "书记自 %s 起空缺，至 %s 已超过 %d 个月%s", since, ref, r->vacant_months,
			                         b->sec_ended ? "" : "（成立以来未配书记）"),
			         &src, 1);
		}
	}
	if (b->low_q >= r->quarters) {
		zb_buf t;
		zb_buf_init(&t, 0);
		for (int i = 0; i < b->low_q; i++)
			zb_buf_printf(&t, "%s%s", i ? "；" : "", b->low_txt[i]);
		add_crit(d, b, "compliance_low", "三会一课落实率低",
		         zb_arena_printf(d->a, "%d 年有 %d 个季度落实率低于 %d%%（标准：%d 个季度）：%s", year, b->low_q,
		                         r->min_percent, r->quarters, t.data ? t.data : ""),
		         b->low_src, b->low_q);
		zb_buf_release(&t);
	}
	if (b->lag_n >= r->lagging_years)
		add_crit(d, b, "lagging", zb_arena_printf(d->a, "连续 %d 年评为后进", r->lagging_years),
		         zb_arena_printf(d->a, "%d 至 %d 年的评星定级均为后进", year - r->lagging_years, year - 1), b->lag_src,
		         b->lag_n);
	if (b->term_end && zb_weak_overdue_over(b->term_end, r->term_overdue_days, ref)) {
		const char *src = zb_arena_printf(d->a, "term:%lld", (long long)b->term_id);
		add_crit(d, b, "term_overdue", zb_arena_printf(d->a, "任期届满超过 %d 天未换届", r->term_overdue_days),
		         zb_arena_printf(d->a, "任期于 %s 届满，至 %s 逾期 %ld 天未换届", b->term_end, ref,
		                         zb_date_days(ref) - zb_date_days(b->term_end)),
		         &src, 1);
	}
}

/* Check every org of the subtree at root (only: that org alone) for year. */
static int check(zb_db *db, const char *root, const char *only, int year, const char *today, zb_arena *a, ident *d,
                 zb_err *e)
{
	*d = (ident){.a = a, .only = only, .year = year};
	char ref[11];
	zb_weak_ref_date(year, today, ref);
	int rc = zb_db_each(db, e, read_org, d,
	                    "SELECT o.id, o.name, o.path, o.founded_on, o.type FROM orgs o WHERE " UNDER
	                    " AND o.dissolved_on IS NULL AND o.type IN " BRANCH_TYPES " ORDER BY o.path",
	                    "ss", root, root);
	if (rc || !d->n)
		return rc;
	d->by_id = zb_arena_alloc(a, sizeof *d->by_id * d->n);
	for (size_t i = 0; i < d->n; i++)
		d->by_id[i] = (struct oid){d->o[i].c.org_id, i};
	qsort(d->by_id, d->n, sizeof *d->by_id, by_org_id);
	zb_rules *rs;
	if ((rc = zb_rules_load(db, "weak_org", ref, &rs, e)))
		return rc;
	for (size_t i = 0; i < d->n && !rc; i++)
		rc = zb_weak_rules_of(zb_rules_for(rs, d->o[i].c.org_path), a, &d->o[i].r, e);
	zb_rules_free(rs);
	if (!rc)
		rc = zb_db_each(db, e, read_post, d,
		                "SELECT p.org_id, p.id, CASE WHEN p.ended_on IS NULL OR p.ended_on > ? THEN NULL ELSE p.ended_on "
		                "END FROM committee_posts p JOIN orgs o ON o.id = p.org_id WHERE " UNDER
		                " AND p.post = 'secretary' AND p.started_on <= ?",
		                "ssss", ref, root, root, ref);
	/* 后进 in the years before the year (a set asks at most five) */
	if (!rc)
		rc = zb_db_each(db, e, read_rating, d,
		                "SELECT o.id, r.id, r.year FROM org_ratings r JOIN orgs o ON o.id = r.org_id WHERE " UNDER
		                " AND r.status = 'published' AND r.tier = 'lagging' AND r.year BETWEEN ? AND ? "
		                "ORDER BY o.id, r.year DESC",
		                "ssii", root, root, (int64_t)year - 5, (int64_t)year - 1);
	if (!rc)
		rc = zb_db_each(db, e, read_term, d,
		                "SELECT t.org_id, t.id, t.ends_on FROM org_terms t JOIN orgs o ON o.id = t.org_id WHERE " UNDER
		                " AND t.started_on <= ? ORDER BY t.org_id, t.started_on, t.id",
		                "sss", root, root, ref);
	if (!rc)
		rc = zb_db_each(db, e, read_listing, d,
		                "SELECT o.id, l.id, l.status FROM weak_listings l JOIN orgs o ON o.id = l.org_id WHERE " UNDER
		                " AND l.year = ?",
		                "ssi", root, root, (int64_t)year);
	if (!rc)
		rc = load_compliance(db, d, root, year, ref, today, e);
	for (size_t i = 0; i < d->n && !rc; i++) {
		borg *b = &d->o[i];
		if (b->branch)
			judge(d, b, year, ref);
	}
	return rc;
}

int zb_weak_candidates(zb_db *db, const char *root, int year, const char *today, zb_arena *a, zb_weak_cand **out,
                       int *n, zb_err *e)
{
	ident d;
	*out = NULL;
	*n = 0;
	int rc = check(db, root, NULL, year, today, a, &d, e);
	if (rc)
		return rc;
	*out = zb_arena_alloc(a, sizeof **out * (d.n ? d.n : 1));
	for (size_t i = 0; i < d.n; i++)
		if (d.o[i].c.ncrit)
			(*out)[(*n)++] = d.o[i].c;
	return 0;
}

int zb_weak_check_org(zb_db *db, int64_t org_id, int year, const char *today, zb_arena *a, zb_weak_crit **c, int *n,
                      zb_err *e)
{
	*c = NULL;
	*n = 0;
	const char *path;
	zb_text_buf tb = {.out = zb_arena_alloc(a, 4096), .n = 4096};
	int rc = zb_db_one(db, e, "未找到该组织", zb_row_text, &tb, "SELECT path FROM orgs WHERE id = ?", "i", org_id);
	if (rc)
		return rc;
	path = tb.out;
	ident d;
	if ((rc = check(db, path, path, year, today, a, &d, e)))
		return rc;
	if (d.n) {
		*c = d.o[0].c.crit;
		*n = d.o[0].c.ncrit;
	}
	return 0;
}

const char *zb_weak_crit_json(const zb_weak_crit *c, int n, zb_arena *a)
{
	zb_buf b;
	zb_jw w;
	zb_buf_init(&b, 0);
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "key", c[i].key);
		jw_kstr(&w, "name", c[i].name);
		jw_kstr(&w, "detail", c[i].detail);
		jw_karr(&w, "sources");
		for (int k = 0; k < c[i].nsources; k++)
			jw_str(&w, c[i].sources[k]);
		jw_arr_end(&w);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	const char *s = zb_arena_strdup(a, b.data ? b.data : "[]");
	zb_buf_release(&b);
	return s;
}
