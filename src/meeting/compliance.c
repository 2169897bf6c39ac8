/* compliance.c - see compliance.h for the definitions. */
#include "meeting/compliance.h"
#include "dues/dues.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- periods ---- */

int zb_period_parse(const char *s, zb_period *p, zb_err *e)
{
	static const char msg[] = "统计周期格式错误：应为 2026（全年）、2026H1（半年）、2026Q3（季度）或 2026-07（月份）";
	memset(p, 0, sizeof *p);
	if (!s || strlen(s) < 4 || strlen(s) > 7)
		return zb_fail(e, ZB_EINVAL, "period", msg);
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return zb_fail(e, ZB_EINVAL, "period", msg);
	int y = atoi(s);
	if (y < 2000 || y > 2100)
		return zb_fail(e, ZB_EINVAL, "period", "统计周期的年份应在 2000 到 2100 之间");
	int m0, m1;
	const char *rest = s + 4;
	if (!*rest) {
		m0 = 1, m1 = 12;
	} else if ((rest[0] == 'Q' || rest[0] == 'q') && rest[1] >= '1' && rest[1] <= '4' && !rest[2]) {
		m0 = (rest[1] - '1') * 3 + 1, m1 = m0 + 2;
	} else if ((rest[0] == 'H' || rest[0] == 'h') && (rest[1] == '1' || rest[1] == '2') && !rest[2]) {
		m0 = rest[1] == '1' ? 1 : 7, m1 = m0 + 5;
	} else if (rest[0] == '-' && rest[1] >= '0' && rest[1] <= '9' && rest[2] >= '0' && rest[2] <= '9' && !rest[3]) {
		m0 = m1 = atoi(rest + 1);
		if (m0 < 1 || m0 > 12)
			return zb_fail(e, ZB_EINVAL, "period", "统计周期的月份应为 01 到 12");
	} else {
		return zb_fail(e, ZB_EINVAL, "period", msg);
	}
	p->year = y;
	p->from_ym = y * 100 + m0;
	p->to_ym = y * 100 + m1;
	zb_md_ym_first(p->from_ym, p->from);
	zb_md_ym_last(p->to_ym, p->to);
	if (!*rest)
		snprintf(p->label, sizeof p->label, "%04u", (unsigned)y);
	else if (rest[0] == '-')
		snprintf(p->label, sizeof p->label, "%04u-%02u", (unsigned)y, (unsigned)m0 % 100u);
	else
		snprintf(p->label, sizeof p->label, "%04u%c%c", (unsigned)y, rest[0] == 'q' ? 'Q' : rest[0] == 'h' ? 'H' : rest[0],
		         rest[1]);
	return 0;
}

/* ---- the subtree ---- */

typedef struct corg {
	int64_t id, parent_id;
	const char *path, *name, *type, *founded_on, *dissolved_on;
	int branch;        /* index in branches, -1 */
	int parent_branch; /* for groups: the branch index, -1 */
	/* committee posts of a branch: [start, end) indices in posts */
	int post0, npost;
} corg;

typedef struct cpost {
	const char *from, *to; /* to NULL: current */
} cpost;

int zb_compliance_is_branch(const char *t)
{
	return t && (!strcmp(t, "branch") || !strcmp(t, "joint_branch") || !strcmp(t, "temp_branch") ||
	             !strcmp(t, "online_branch"));
}

static int find_org(corg *o, int n, const char *path)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(o[mid].path, path);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* The org whose path is `path` cut before its last id: the parent. */
static int find_parent(corg *o, int n, const char *path)
{
	char pp[512];
	size_t len = strlen(path);
	if (len < 2 || len >= sizeof pp)
		return -1;
	memcpy(pp, path, len + 1);
	pp[len - 1] = 0;
	char *slash = strrchr(pp, '/');
	if (!slash)
		return -1;
	slash[1] = 0;
	return find_org(o, n, pp);
}

/* held[org][type][month 1..12] */
typedef struct hcount {
	short q, all;
} hcount;

static int committee_posts_on(const corg *o, const cpost *posts, const char *date)
{
	int n = 0;
	for (int i = o->post0; i < o->post0 + o->npost; i++)
		if (strcmp(posts[i].from, date) <= 0 && (!posts[i].to || strcmp(posts[i].to, date) >= 0))
			n++;
	return n;
}

/* What zb_compliance_compute reads: the orgs of the subtree (heap),
 * their committee posts (heap, each org's from post0) and the meetings
 * held per org, type and month. */
typedef struct cload {
	zb_arena *a;
	corg *orgs;
	int norg;
	size_t cap;
	cpost *posts;
	int np;
	size_t pcap;
	int64_t last_org; /* posts: the org of the row before, */
	int cur;          /* its index in orgs */
	hcount *held;
} cload;

static int add_corg(zb_stmt *st, void *ctx, zb_err *e)
{
	cload *L = ctx;
	zb_arena *a = L->a;
	if (ZB_GROW(L->orgs, (size_t)L->norg, L->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	corg *o = &L->orgs[L->norg++];
	memset(o, 0, sizeof *o);
	o->id = zb_col_int(st, 0);
	o->parent_id = zb_col_int(st, 1);
	o->path = zb_arena_strdup(a, zb_col_text(st, 2));
	o->name = zb_arena_strdup(a, zb_col_text(st, 3));
	o->type = zb_arena_strdup(a, zb_col_text(st, 4));
	o->founded_on = zb_arena_strdup(a, zb_col_text(st, 5));
	o->dissolved_on = zb_arena_strdup(a, zb_col_text(st, 6));
	o->branch = o->parent_branch = -1;
	return 0;
}

static int add_cpost(zb_stmt *st, void *ctx, zb_err *e)
{
	cload *L = ctx;
	int64_t org = zb_col_int(st, 0);
	if (org != L->last_org) {
		L->last_org = org;
		L->cur = find_org(L->orgs, L->norg, zb_col_text(st, 3));
		if (L->cur >= 0)
			L->orgs[L->cur].post0 = L->np;
	}
	if (L->cur < 0)
		return 0;
	if (ZB_GROW(L->posts, (size_t)L->np, L->pcap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	L->posts[L->np].from = zb_arena_strdup(L->a, zb_col_text(st, 1));
	L->posts[L->np].to = zb_arena_strdup(L->a, zb_col_text(st, 2));
	L->np++;
	L->orgs[L->cur].npost++;
	return 0;
}

static int add_held(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	cload *L = ctx;
	int oi = find_org(L->orgs, L->norg, zb_col_text(st, 0));
	int t = zb_mtype_from(zb_col_text(st, 1));
	const char *mm = zb_col_text(st, 2);
	int mon = mm ? atoi(mm) : 0;
	if (oi < 0 || t < 0 || mon < 1 || mon > 12)
		return 0;
	hcount *h = &L->held[((size_t)oi * ZB_MT_COUNT + (size_t)t) * 12 + (size_t)(mon - 1)];
	h->q = (short)zb_col_int(st, 3);
	h->all = (short)zb_col_int(st, 4);
	return 0;
}

int zb_compliance_compute(zb_db *db, const char *root_path, const zb_period *p, const char *today, zb_arena *a,
                          zb_compliance *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->period = *p;
	snprintf(out->today, sizeof out->today, "%s", today);
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	hcount *held = NULL;
	zb_mrules_cache *cache = NULL;

	/* 1. orgs of the subtree, by path */
	cload L = {.a = a, .cur = -1, .last_org = -1};
	int rc = zb_db_each(db, e, add_corg, &L,
	                    "SELECT id, COALESCE(parent_id, 0), path, name, type, founded_on, dissolved_on FROM orgs "
	                    "WHERE path >= ? AND path < ? ORDER BY path",
	                    "ss", root_path, upper);
	corg *orgs = L.orgs;
	int norg = L.norg;
	cpost *posts = NULL;
	if (rc)
		goto done;
	int nb = 0;
	for (int i = 0; i < norg; i++)
		if (zb_compliance_is_branch(orgs[i].type))
			orgs[i].branch = nb++;
	out->nbranches = nb;
	out->branches = zb_arena_alloc(a, sizeof *out->branches * (size_t)(nb ? nb : 1));
	for (int i = 0; i < norg; i++) {
		corg *o = &orgs[i];
		if (o->branch >= 0) {
			zb_cbranch *b = &out->branches[o->branch];
			b->org_id = o->id;
			b->parent_id = o->parent_id;
			b->path = o->path;
			b->name = o->name;
			b->type = o->type;
		} else if (o->type && !strcmp(o->type, "group")) {
			int pi = find_parent(orgs, norg, o->path);
			if (pi >= 0)
				o->parent_branch = orgs[pi].branch;
		}
	}
	if (!nb)
		goto done;

	/* 2. committee posts of the branches (committee items apply only
	 * where a committee exists) */
	{
		rc = zb_db_each(db, e, add_cpost, &L,
		                "SELECT cp.org_id, cp.started_on, cp.ended_on, o.path FROM committee_posts cp "
		                "JOIN orgs o ON o.id = cp.org_id WHERE o.path >= ? AND o.path < ? ORDER BY o.path",
		                "ss", root_path, upper);
		posts = L.posts;
		if (rc)
			goto done;
	}

	/* 3. meetings held in the year up to the period's end (units end in
	 * the period but may start earlier in the same year) */
	held = calloc((size_t)norg * ZB_MT_COUNT * 12, sizeof *held);
	if (!held) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		goto done;
	}
	{
		char from[11], to[11];
		zb_md_ym_first(p->year * 100 + 1, from);
		snprintf(to, sizeof to, "%s", strcmp(p->to, today) < 0 ? p->to : today);
		L.held = held;
		if ((rc = zb_db_each(db, e, add_held, &L,
		                     "SELECT org_path, type, substr(held_on, 6, 2), SUM(quorum_ok), COUNT(*) FROM meetings "
		                     "WHERE org_path >= ? AND org_path < ? AND held_on >= ? AND held_on <= ? "
		                     "GROUP BY org_path, type, substr(held_on, 6, 2)",
		                     "ssss", root_path, upper, from, to)))
			goto done;
	}

	/* 4. units: for every month-end in the period, the rule in force at
	 * each branch on that day */
	if ((rc = zb_mrules_cache_new(db, "meeting_freq", &cache, e)))
		goto done;
	size_t ucap = 0;
	int today_ym = zb_md_ym(today);
	for (int ym = p->from_ym; ym <= p->to_ym; ym = zb_md_ym_add(ym, 1)) {
		char deadline[11];
		zb_md_ym_last(ym, deadline);
		int month = ym % 100;
		const char *post_date = strcmp(deadline, today) < 0 ? deadline : today;
		for (int oi = 0; oi < norg; oi++) {
			corg *o = &orgs[oi];
			if (o->branch < 0)
				continue;
			zb_mfreq f;
			if ((rc = zb_mrules_cache_freq(cache, o->path, deadline, &f, e)))
				goto done;
			for (int t = 0; t < ZB_MT_COUNT; t++) {
				const zb_mfreq_item *it = &f.t[t];
				if (!it->every_months || !it->min || month % it->every_months)
					continue;
				int ym0 = zb_md_ym_add(ym, 1 - it->every_months);
				char start[11];
				zb_md_ym_first(ym0, start);
				if (it->scope == ZB_MS_COMMITTEE && committee_posts_on(o, posts, post_date) < it->min_posts)
					continue;
				/* the branch itself, or each of its groups: orgs are
				 * ordered by path, so the branch's subtree follows it */
				size_t plen = strlen(o->path);
				for (int gi = oi; gi < norg; gi++) {
					corg *u = &orgs[gi];
					if (gi > oi && strncmp(u->path, o->path, plen))
						break;
					if (it->scope == ZB_MS_GROUP ? u->parent_branch != o->branch : gi != oi)
						continue;
					if ((u->founded_on && strcmp(u->founded_on, start) > 0) ||
					    (u->dissolved_on && strcmp(u->dissolved_on, deadline) < 0))
						continue;
					ZB_AGROW(a, out->units, (size_t)out->nunits, ucap);
					zb_cunit *un = &out->units[out->nunits++];
					memset(un, 0, sizeof *un);
					un->branch = o->branch;
					un->org_id = u->id;
					un->org_name = u->name;
					un->type = t;
					un->ym_from = ym0;
					un->ym_to = ym;
					un->min = it->min;
					un->due = ym < today_ym;
					un->rule_id = f.set_id;
					for (int k = ym0; k <= ym; k = zb_md_ym_add(k, 1)) {
						const hcount *h = &held[((size_t)gi * ZB_MT_COUNT + (size_t)t) * 12 + (size_t)(k % 100 - 1)];
						un->held += h->q;
						un->held_total += h->all;
					}
					if (it->scope != ZB_MS_GROUP)
						break;
				}
			}
		}
	}

	/* 5. totals per branch and type */
	for (int i = 0; i < out->nunits; i++) {
		const zb_cunit *u = &out->units[i];
		zb_cbranch *b = &out->branches[u->branch];
		zb_ctype *ct = &b->t[u->type];
		int got = u->held < u->min ? u->held : u->min;
		ct->applies = 1;
		ct->required += u->min;
		ct->held += got;
		ct->held_total += u->held_total;
		if (u->due)
			ct->missing += u->min - got;
		else
			ct->pending += u->min - got;
	}
	for (int i = 0; i < nb; i++) {
		zb_cbranch *b = &out->branches[i];
		for (int t = 0; t < ZB_MT_COUNT; t++) {
			b->required += b->t[t].required;
			b->held += b->t[t].held;
			b->missing += b->t[t].missing;
			b->pending += b->t[t].pending;
		}
		b->ok = b->missing == 0;
		b->state = b->held >= b->required ? ZB_CS_DONE : b->missing ? ZB_CS_MISSING : ZB_CS_OPEN;
	}
done:
	zb_mrules_cache_free(cache);
	free(held);
	free(posts);
	free(orgs);
	return rc;
}

static int worse(const void *x, const void *y, void *ctx)
{
	const zb_compliance *c = ctx;
	const zb_cbranch *a = &c->branches[*(const int *)x], *b = &c->branches[*(const int *)y];
	if (a->missing != b->missing)
		return b->missing - a->missing;
	/* lower share held first: a.held/a.req < b.held/b.req */
	int64_t l = (int64_t)a->held * (b->required ? b->required : 1), r = (int64_t)b->held * (a->required ? a->required : 1);
	if (l != r)
		return l < r ? -1 : 1;
	return strcmp(a->path, b->path);
}

int *zb_compliance_worst(const zb_compliance *c, zb_arena *a, int *n)
{
	int *idx = zb_arena_alloc(a, sizeof *idx * (size_t)(c->nbranches ? c->nbranches : 1));
	*n = 0;
	for (int i = 0; i < c->nbranches; i++)
		if (!c->branches[i].ok)
			idx[(*n)++] = i;
	qsort_r(idx, (size_t)*n, sizeof *idx, worse, (void *)c);
	return idx;
}

const char *zb_cstate_code(int state)
{
	return state == ZB_CS_DONE ? "done" : state == ZB_CS_MISSING ? "missing" : "open";
}

int zb_ctype_state(const zb_ctype *t)
{
	return t->held >= t->required ? ZB_CS_DONE : t->missing ? ZB_CS_MISSING : ZB_CS_OPEN;
}

static void count_state(int state, int *done, int *open, int *missing)
{
	if (state == ZB_CS_DONE)
		(*done)++;
	else if (state == ZB_CS_MISSING)
		(*missing)++;
	else
		(*open)++;
}

void zb_csum_add_branch(zb_csum *out, const zb_cbranch *b)
{
	out->branches++;
	count_state(b->state, &out->done, &out->open, &out->missing);
	out->required += b->required;
	out->held += b->held;
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		const zb_ctype *x = &b->t[t];
		if (!x->applies)
			continue;
		out->t[t].branches++;
		count_state(zb_ctype_state(x), &out->t[t].done, &out->t[t].open, &out->t[t].missing);
		zb_ctype *s = &out->t[t].sum;
		s->applies = 1;
		s->required += x->required;
		s->held += x->held;
		s->held_total += x->held_total;
		s->missing += x->missing;
		s->pending += x->pending;
	}
}

void zb_csum_add(zb_csum *out, const zb_csum *x)
{
	out->branches += x->branches;
	out->done += x->done;
	out->open += x->open;
	out->missing += x->missing;
	out->required += x->required;
	out->held += x->held;
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		out->t[t].branches += x->t[t].branches;
		out->t[t].done += x->t[t].done;
		out->t[t].open += x->t[t].open;
		out->t[t].missing += x->t[t].missing;
		zb_ctype *s = &out->t[t].sum;
		const zb_ctype *y = &x->t[t].sum;
		s->applies |= y->applies;
		s->required += y->required;
		s->held += y->held;
		s->held_total += y->held_total;
		s->missing += y->missing;
		s->pending += y->pending;
	}
}

void zb_compliance_sum(const zb_compliance *c, const char *under, zb_csum *out)
{
	memset(out, 0, sizeof *out);
	for (int i = 0; i < c->nbranches; i++)
		if (!under || zb_path_within(c->branches[i].path, under))
			zb_csum_add_branch(out, &c->branches[i]);
}

typedef struct selctx {
	const zb_compliance *c;
	int sort, desc;
} selctx;

/* a.held/a.required against b's, without division; nothing required is 1 */
static int cmp_share(const zb_cbranch *a, const zb_cbranch *b)
{
	int64_t ar = a->required ? a->required : 1, ah = a->required ? a->held : 1;
	int64_t br = b->required ? b->required : 1, bh = b->required ? b->held : 1;
	int64_t l = ah * br, r = bh * ar;
	return l < r ? -1 : l > r;
}

static int cmp_sel(const void *x, const void *y, void *ctx)
{
	const selctx *s = ctx;
	const zb_cbranch *a = &s->c->branches[*(const int *)x], *b = &s->c->branches[*(const int *)y];
	int d = 0;
	switch (s->sort) {
	case ZB_CSORT_RATE:
		d = cmp_share(a, b);
		if (!d)
			d = b->missing - a->missing;
		break;
	case ZB_CSORT_NAME:
		d = strcmp(a->name ? a->name : "", b->name ? b->name : "");
		break;
	case ZB_CSORT_TREE:
		break;
	default:
		d = b->missing - a->missing;
		if (!d)
			d = cmp_share(a, b);
		break;
	}
	if (!d)
		d = strcmp(a->path, b->path);
	return s->desc ? -d : d;
}

int *zb_compliance_select(const zb_compliance *c, const zb_cfilter *f, int sort, int desc, zb_arena *a, int *n)
{
	int *idx = zb_arena_alloc(a, sizeof *idx * (size_t)(c->nbranches ? c->nbranches : 1));
	*n = 0;
	for (int i = 0; i < c->nbranches; i++) {
		const zb_cbranch *b = &c->branches[i];
		int state = b->state;
		if (f->type >= 0 && f->type < ZB_MT_COUNT) {
			if (!b->t[f->type].applies)
				continue;
			state = zb_ctype_state(&b->t[f->type]);
		}
		if (f->states && !(f->states & (unsigned)state))
			continue;
		if (f->under && !zb_path_within(b->path, f->under))
			continue;
		if (f->q && *f->q && (!b->name || !strstr(b->name, f->q)))
			continue;
		idx[(*n)++] = i;
	}
	selctx s = {c, sort, desc};
	qsort_r(idx, (size_t)*n, sizeof *idx, cmp_sel, &s);
	return idx;
}

/* ---- members ---- */

static int cmp_risk(const void *x, const void *y)
{
	const zb_risk *a = x, *b = y;
	if (a->months != b->months)
		return b->months - a->months;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	return a->member_id < b->member_id ? -1 : a->member_id > b->member_id;
}

void zb_risks_sort(zb_risk *v, int n)
{
	if (n > 1)
		qsort(v, (size_t)n, sizeof *v, cmp_risk);
}

/* A candidate: enough calendar months since the member last took part
 * that the run could reach the first threshold. */
typedef struct rcand {
	zb_risk k;
	int life, dues;  /* which runs can reach the first threshold */
	int dues_anchor; /* last month that ends the dues run (paid, or before the first base / the join month) */
	int anchor;      /* last month that ends the run (present, or before any record / the join month) */
	int first_level; /* the rule's first threshold for this member */
	int levels[3];
} rcand;

/* The months after c->anchor: what the member did (mon) and which are
 * explained (expl), span of them. */
typedef struct run {
	rcand *c;
	int span;
	unsigned char *mon, *expl;
} run;

static int add_month(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *r = ctx;
	int i = zb_md_ym_diff((int)zb_col_int(st, 0), r->c->anchor) - 1;
	const char *s = zb_col_text(st, 1);
	if (i < 0 || i >= r->span || !s)
		return 0;
	r->mon[i] |= !strcmp(s, "present") ? 1 : !strcmp(s, "leave") ? 4 : 2;
	return 0;
}

static int add_explained(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *r = ctx;
	int f = (int)zb_col_int(st, 0), t = (int)zb_col_int(st, 1);
	if (t > r->c->k.explained_to_ym)
		r->c->k.explained_to_ym = t;
	for (int i = 0; i < r->span; i++) {
		int ym = zb_md_ym_add(r->c->anchor, i + 1);
		if (ym >= f && ym <= t)
			r->expl[i] = 1;
	}
	return 0;
}

/* Walk the months after c->anchor up to last_ym and count the member's
 * (see compliance.h).  One grouped index read of the member's attendance
 * and one of their explanations. */
static int count_run(zb_db *db, rcand *c, int last_ym, zb_err *e)
{
	int span = zb_md_ym_diff(last_ym, c->anchor);
	if (span <= 0)
		return 0;
	/* per month: 1 present anywhere, 2 an unexcused absence, 4 a leave */
	unsigned char *mon = calloc((size_t)span, 1), *expl = calloc((size_t)span, 1);
	if (!mon || !expl) {
		free(mon);
		free(expl);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	run r = {c, span, mon, expl};
	int rc = zb_db_each(db, e, add_month, &r,
	                    "SELECT held_ym, status, COUNT(*) FROM meeting_attendance WHERE member_id = ? "
	                    "AND held_ym > ? AND held_ym <= ? GROUP BY held_ym, status",
	                    "iii", c->k.member_id, (int64_t)c->anchor, (int64_t)last_ym);
	if (!rc)
		rc = zb_db_each(db, e, add_explained, &r,
		                "SELECT from_ym, to_ym FROM risk_explanations WHERE member_id = ? AND to_ym > ? AND from_ym <= ?",
		                "iii", c->k.member_id, (int64_t)c->anchor, (int64_t)last_ym);
	if (rc)
		goto out;
	/* from the newest month back: a month present ends the run (the
	 * prefilter's anchor already is the last such month, so none is
	 * found here unless attendance moved); explained, leave-only and
	 * empty months are passed over; a month with an absence counts */
	c->k.months = c->k.idle_months = c->k.excused_months = 0;
	c->k.since_ym = 0;
	for (int i = span - 1; i >= 0; i--) {
		if (mon[i] & 1)
			break;
		int ym = zb_md_ym_add(c->anchor, i + 1);
		if (expl[i] || (mon[i] && !(mon[i] & 2))) {
			c->k.excused_months++;
		} else if (!mon[i]) {
			c->k.idle_months++;
		} else {
			c->k.months++;
			c->k.since_ym = ym;
		}
	}
out:
	free(mon);
	free(expl);
	return rc;
}

int zb_risks_run(zb_db *db, const char *root_path, int64_t own_org, const char *today, zb_arena *a, zb_risk **out,
                 int *n, zb_rscan **scans, int *nscans, zb_err *e)
{
	*out = NULL;
	*n = 0;
	*scans = NULL;
	*nscans = 0;
	size_t scap = 0;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	int last_ym = zb_md_ym_add(zb_md_ym(today), -1);
	zb_mrules_cache *cache = NULL;
	int rc;
	if ((rc = zb_mrules_cache_new(db, "meeting_rules", &cache, e)))
		return rc;

	/* prefilter, one index seek per member and status on
	 * meeting_attendance (member_id, status, held_ym): the last month
	 * present (anywhere: rows of other orgs' meetings count) and the first
	 * month on any list.  The run can only be as long as the calendar
	 * months since then. */
#define RISK_COLS                                                                                                   \
	"SELECT mb.id, mb.name, mb.org_id, mb.org_path, mb.status, mb.category, mb.join_date, o.name, "               \
	"(SELECT MAX(a.held_ym) FROM meeting_attendance a WHERE a.member_id = mb.id AND a.status = 'present' "        \
	"AND a.held_ym <= ?), "                                                                                     \
	"(SELECT MIN(a.held_ym) FROM meeting_attendance a WHERE a.member_id = mb.id AND a.status = 'present'), "     \
	"(SELECT MIN(a.held_ym) FROM meeting_attendance a WHERE a.member_id = mb.id AND a.status = 'leave'), "       \
	"(SELECT MIN(a.held_ym) FROM meeting_attendance a WHERE a.member_id = mb.id AND a.status = 'absent'), "      \
	"(SELECT MIN(b.from_ym) FROM dues_bases b WHERE b.member_id = mb.id), "                                      \
	"(SELECT MAX(l.ym) FROM dues_lines l WHERE l.member_id = mb.id AND l.ym <= ? AND l.amount_fen > 0 "          \
	"AND NOT EXISTS (SELECT 1 FROM dues_payments p WHERE p.reverses = l.payment_id)) "                            \
	"FROM members mb JOIN orgs o ON o.id = mb.org_id "
	/* by org, so the members scanned are counted org by org; the last
	 * two columns: the first dues base and the last month paid (a line
	 * of a payment not reversed) */
	zb_stmt *st = own_org ? zb_db_query(db, e, RISK_COLS "WHERE mb.org_id = ? ORDER BY mb.id", "iii", (int64_t)last_ym,
	                                    (int64_t)last_ym, own_org)
	                      : zb_db_query(db, e, RISK_COLS "WHERE mb.org_path >= ? AND mb.org_path < ? ORDER BY mb.org_path",
	                                    "iiss", (int64_t)last_ym, (int64_t)last_ym, root_path, upper);
#undef RISK_COLS
	if (!st) {
		rc = e->code;
		goto done;
	}
	int ncand = 0;
	size_t ccap = 0;
	rcand *cand = NULL;
	const char *rules_path = NULL;
	zb_mrules r;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		const char *path = zb_col_text(st, 3);
		if (!rules_path || strcmp(rules_path, path)) {
			rules_path = zb_arena_strdup(a, path);
			if ((rc = zb_mrules_cache_rules(cache, path, today, &r, e))) {
				rc = -rc;
				break;
			}
		}
		const char *status = zb_col_text(st, 4);
		char needle[40];
		snprintf(needle, sizeof needle, ",%s,", status ? status : "");
		if (!strstr(r.risk_statuses, needle))
			continue;
		int64_t org = zb_col_int(st, 2);
		if (!*nscans || (*scans)[*nscans - 1].org_id != org) {
			ZB_AGROW(a, *scans, (size_t)*nscans, scap);
			(*scans)[(*nscans)++] = (zb_rscan){org, rules_path, 0};
		}
		(*scans)[*nscans - 1].scanned++;
		int first = 0;
		for (int c = 9; c <= 11; c++)
			if (!zb_col_is_null(st, c) && (!first || zb_col_int(st, c) < first))
				first = (int)zb_col_int(st, c);
		const char *join = zb_col_text(st, 6);
		int join_ym = join && zb_date_valid(join) ? zb_md_ym(join) : 0;
		/* no attendance records yet: nothing to judge the life run by */
		int life = first && first <= last_ym;
		int last_present = zb_col_is_null(st, 8) ? 0 : (int)zb_col_int(st, 8);
		int anchor = zb_md_ym_add(first, -1);
		if (last_present > anchor)
			anchor = last_present;
		if (join_ym > anchor)
			anchor = join_ym; /* the join month itself is not judged */
		life = life && zb_md_ym_diff(last_ym, anchor) >= r.risk_months[0];
		/* dues: owed from the join month (预备党员 too) once a base is
		 * recorded; no valid join date, nothing owed */
		int dues = join_ym && !zb_col_is_null(st, 12);
		int danchor = 0;
		if (dues) {
			danchor = zb_md_ym_add((int)zb_col_int(st, 12), -1);
			if (zb_md_ym_add(join_ym, -1) > danchor)
				danchor = zb_md_ym_add(join_ym, -1);
			if (!zb_col_is_null(st, 13) && zb_col_int(st, 13) > danchor)
				danchor = (int)zb_col_int(st, 13);
			dues = zb_md_ym_diff(last_ym, danchor) >= r.risk_months[0];
		}
		if (!life && !dues)
			continue;
		ZB_AGROW(a, cand, (size_t)ncand, ccap);
		rcand *c = &cand[ncand++];
		memset(c, 0, sizeof *c);
		c->k.member_id = zb_col_int(st, 0);
		c->k.name = zb_arena_strdup(a, zb_col_text(st, 1));
		c->k.org_id = zb_col_int(st, 2);
		c->k.status = zb_arena_strdup(a, status);
		c->k.category = zb_arena_strdup(a, zb_col_text(st, 5));
		c->k.org_name = zb_arena_strdup(a, zb_col_text(st, 7));
		c->k.org_path = zb_arena_strdup(a, path);
		c->k.last_present_ym = last_present;
		c->anchor = anchor;
		c->life = life;
		c->dues = dues;
		c->dues_anchor = danchor;
		memcpy(c->levels, r.risk_months, sizeof c->levels);
	}
	zb_stmt_done(st);
	if (rc < 0) {
		rc = -rc;
		goto done;
	}
	rc = 0;
	/* the month by month count, for the candidates only */
	size_t cap = 0;
	zb_dues_rcache *dcache = NULL;
	if (ncand && (rc = zb_dues_rcache_new(db, &dcache, e)))
		goto done;
	for (int i = 0; !rc && i < ncand; i++) {
		rcand *c = &cand[i];
		if (c->life && (rc = count_run(db, c, last_ym, e)))
			break;
		c->k.life_months = c->k.months;
		if (c->dues) {
			zb_dues_member dm;
			if ((rc = zb_dues_member_load(db, dcache, c->k.member_id, a, &dm, e)) ||
			    (rc = zb_dues_unpaid_run(dcache, &dm, c->dues_anchor, last_ym, &c->k.dues_months, &c->k.dues_since_ym,
			                             e)))
				break;
		}
		if (c->k.dues_months > c->k.months)
			c->k.months = c->k.dues_months;
		if (c->k.months < c->levels[0])
			continue;
		c->k.level = c->k.months >= c->levels[2] ? c->levels[2] : c->k.months >= c->levels[1] ? c->levels[1] : c->levels[0];
		ZB_AGROW(a, *out, (size_t)*n, cap);
		(*out)[(*n)++] = c->k;
	}
	zb_dues_rcache_free(dcache);
	if (!rc)
		zb_risks_sort(*out, *n);
done:
	zb_mrules_cache_free(cache);
	return rc;
}

int zb_risks_compute(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_risk **out, int *n,
                     int *scanned, zb_err *e)
{
	zb_rscan *scans;
	int nscans;
	int rc = zb_risks_run(db, root_path, 0, today, a, out, n, &scans, &nscans, e);
	*scanned = 0;
	for (int i = 0; !rc && i < nscans; i++)
		*scanned += scans[i].scanned;
	return rc;
}

/* A count of the member's attendance rows of one status. */
static int add_status(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_mattend *out = ctx;
	const char *s = zb_col_text(st, 0);
	int c = (int)zb_col_int(st, 1);
	out->expected += c;
	if (s && !strcmp(s, "present"))
		out->present += c;
	else if (s && !strcmp(s, "leave"))
		out->leave += c;
	else
		out->absent += c;
	return 0;
}

int zb_member_attendance(zb_db *db, int64_t member_id, int from_ym, int to_ym, int64_t now, zb_mattend *out,
                         zb_err *e)
{
	memset(out, 0, sizeof *out);
	return zb_db_each(db, e, add_status, out,
	                  "SELECT a.status, COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id "
	                  "WHERE a.member_id = ? AND a.held_ym >= ? AND a.held_ym <= ? AND m.start_at <= ? "
	                  "GROUP BY a.status",
	                  "iiii", member_id, (int64_t)from_ym, (int64_t)to_ym, now);
}
