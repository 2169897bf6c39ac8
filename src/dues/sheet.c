/* sheet.c - the monthly dues sheet of an org, its roll-up over the
 * subtree, the one-tap bulk entry and the 党费收缴 report (dues.h). */
#include "dues/dues.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "io/xlsx_write.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the statuses that owe dues: on the roster and not suspended */
#define OWING_STATUSES "('normal', 'mobile', 'lost', 'abroad')"

typedef struct sload {
	zb_arena *a;
	zb_dues_rcache *rc;
	zb_dues_sheet *s;
	int64_t org_id;
	const char *org_path;
	int all_rows;
	size_t cap;
} sload;

static void sum_add(zb_dues_sum *s, const zb_dues_month *m)
{
	s->members++;
	if (m->owes && m->due_fen)
		s->owing++;
	s->due_fen += m->due_fen;
	s->paid_fen += m->paid_fen;
	s->owed_fen += m->owed_fen;
}

/* the child whose subtree holds path, or NULL */
static zb_dues_child *child_of(zb_dues_sheet *s, const char *path)
{
	for (int i = 0; i < s->nchildren; i++)
		if (zb_path_within(path, s->children[i].path))
			return &s->children[i];
	return NULL;
}

static int add_row(zb_stmt *st, void *ctx, zb_err *e)
{
	sload *l = ctx;
	zb_dues_row row;
	memset(&row, 0, sizeof row);
	row.member_id = zb_col_int(st, 0);
	row.org_id = zb_col_int(st, 2);
	const char *path = zb_col_text(st, 3);
	const char *join = zb_col_text(st, 5);
	int join_ym = join && zb_date_valid(join) ? zb_md_ym(join) : 0;
	int has_base = !zb_col_is_null(st, 7);
	const char *red = zb_col_text(st, 10);
	zb_dues_rules r;
	int rc = zb_dues_rules_at(l->rc, path, l->s->ym, &r, e);
	if (rc)
		return rc;
	zb_dues_eval(&r, join_ym, l->s->ym, has_base, has_base ? zb_dues_kind_parse(zb_col_text(st, 7)) : -1,
	             zb_col_int(st, 8), !red ? 0 : !strcmp(red, "exempt") ? 2 : 1, zb_col_int(st, 11), zb_col_int(st, 9),
	             &row.m);
	sum_add(&l->s->total, &row.m);
	zb_dues_child *c = child_of(l->s, path);
	if (c)
		sum_add(&c->sum, &row.m);
	if (!l->all_rows && row.org_id != l->org_id)
		return 0;
	row.name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	row.org_path = zb_arena_strdup(l->a, path);
	row.category = zb_arena_strdup(l->a, zb_col_text(st, 4));
	row.org_name = zb_arena_strdup(l->a, zb_col_text(st, 6));
	ZB_AGROW(l->a, l->s->rows, (size_t)l->s->nrows, l->cap);
	l->s->rows[l->s->nrows++] = row;
	return 0;
}

static int add_child(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sload *l = ctx;
	ZB_AGROW(l->a, l->s->children, (size_t)l->s->nchildren, l->cap);
	zb_dues_child *c = &l->s->children[l->s->nchildren++];
	memset(c, 0, sizeof *c);
	c->org_id = zb_col_int(st, 0);
	c->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	c->path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	return 0;
}

static int add_voluntary(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sload *l = ctx;
	const char *path = zb_col_text(st, 0);
	int64_t v = zb_col_int(st, 1);
	l->s->total.voluntary_fen += v;
	zb_dues_child *c = child_of(l->s, path);
	if (c)
		c->sum.voluntary_fen += v;
	return 0;
}

int zb_dues_sheet_get(zb_db *db, int64_t org_id, const char *org_path, int ym, int all_rows, zb_arena *a,
                  zb_dues_sheet *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->ym = ym;
	zb_dues_rcache *rc;
	int r = zb_dues_rcache_new(db, &rc, e);
	if (r)
		return r;
	char upper[512], first[11], last[11];
	zb_path_upper(org_path, upper, sizeof upper);
	zb_md_ym_first(ym, first);
	zb_md_ym_last(ym, last);
	sload l = {a, rc, out, org_id, org_path, all_rows, 0};
	r = zb_db_begin_read(db, e);
	if (!r)
		r = zb_db_each(db, e, add_child, &l, "SELECT id, name, path FROM orgs WHERE parent_id = ? ORDER BY sort_order, id",
		               "i", org_id);
	l.cap = 0;
	/* the base in force that month, the net paid for it, the newest
	 * approved reduction covering it */
	if (!r)
		r = zb_db_each(
		    db, e, add_row, &l,
		    "SELECT mb.id, mb.name, mb.org_id, mb.org_path, mb.category, mb.join_date, o.name, "
		    "(SELECT b.kind FROM dues_bases b WHERE b.member_id = mb.id AND b.from_ym <= ? ORDER BY b.from_ym DESC LIMIT 1), "
		    "(SELECT b.amount_fen FROM dues_bases b WHERE b.member_id = mb.id AND b.from_ym <= ? ORDER BY b.from_ym DESC LIMIT 1), "
		    "(SELECT COALESCE(SUM(x.amount_fen), 0) FROM dues_lines x WHERE x.member_id = mb.id AND x.ym = ?), "
		    "(SELECT d.kind FROM dues_reductions d WHERE d.member_id = mb.id AND d.state = 'approved' "
		    "AND d.from_ym <= ? AND d.to_ym >= ? ORDER BY d.id DESC LIMIT 1), "
		    "(SELECT d.amount_fen FROM dues_reductions d WHERE d.member_id = mb.id AND d.state = 'approved' "
		    "AND d.from_ym <= ? AND d.to_ym >= ? ORDER BY d.id DESC LIMIT 1) "
		    "FROM members mb JOIN orgs o ON o.id = mb.org_id "
		    "WHERE mb.org_path >= ? AND mb.org_path < ? AND mb.status IN " OWING_STATUSES " "
		    "ORDER BY mb.org_path, mb.sort_key, mb.id",
		    "iiiiiiiss", (int64_t)ym, (int64_t)ym, (int64_t)ym, (int64_t)ym, (int64_t)ym, (int64_t)ym, (int64_t)ym,
		    org_path, upper);
	if (!r)
		r = zb_db_each(db, e, add_voluntary, &l,
		               "SELECT mb.org_path, SUM(p.amount_fen) FROM dues_payments p JOIN members mb ON mb.id = p.member_id "
		               "WHERE p.kind = 'voluntary' AND p.paid_on >= ? AND p.paid_on <= ? "
		               "AND mb.org_path >= ? AND mb.org_path < ? GROUP BY mb.org_path",
		               "ssss", first, last, org_path, upper);
	zb_dues_rcache_free(rc);
	if (r) {
		zb_db_rollback(db);
		return r;
	}
	return zb_db_commit(db, e);
}

/* ---- several months at once ---- */

typedef struct span_member {
	int64_t id;
	const char *path;
	int join_ym, child;        /* child: index in children, -1 the org's own */
	int b0, nb, r0, nr, l0, nl; /* its rows in the arrays below */
} span_member;

typedef struct span_base {
	int m, from_ym, kind;     /* m: the member's index */
	int64_t amount_fen;
} span_base;

typedef struct span_red {
	int m, from_ym, to_ym, exempt;
	int64_t id, amount_fen;
} span_red;

typedef struct span_line {
	int m, ym;
	int64_t fen;
} span_line;

typedef struct span_load {
	zb_arena *a;
	zb_dues_span *s;
	span_member *m;
	size_t nm, mcap;
	span_base *b;
	size_t nb, bcap;
	span_red *r;
	size_t nr, rcap;
	span_line *l;
	size_t nl, lcap;
} span_load;

static int span_child(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	span_load *l = ctx;
	size_t cap = (size_t)l->s->nchildren;
	ZB_AGROW(l->a, l->s->children, (size_t)l->s->nchildren, cap);
	zb_dues_span_child *c = &l->s->children[l->s->nchildren++];
	memset(c, 0, sizeof *c);
	c->org_id = zb_col_int(st, 0);
	c->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	c->path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	return 0;
}

static int span_add_member(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	span_load *l = ctx;
	ZB_AGROW(l->a, l->m, l->nm, l->mcap);
	span_member *m = &l->m[l->nm++];
	memset(m, 0, sizeof *m);
	m->id = zb_col_int(st, 0);
	m->path = zb_arena_strdup(l->a, zb_col_text(st, 1));
	const char *join = zb_col_text(st, 2);
	m->join_ym = join && zb_date_valid(join) ? zb_md_ym(join) : 0;
	m->child = -1;
	for (int i = 0; i < l->s->nchildren; i++)
		if (zb_path_within(m->path, l->s->children[i].path))
			m->child = i;
	return 0;
}

/* the index of member id (members are read ordered by id), -1 if not listed */
static int span_find(const span_load *l, int64_t id)
{
	size_t lo = 0, hi = l->nm;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->m[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->nm && l->m[lo].id == id ? (int)lo : -1;
}

static int span_add_base(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	span_load *l = ctx;
	int m = span_find(l, zb_col_int(st, 0));
	if (m < 0)
		return 0;
	ZB_AGROW(l->a, l->b, l->nb, l->bcap);
	l->b[l->nb++] = (span_base){m, (int)zb_col_int(st, 1), zb_dues_kind_parse(zb_col_text(st, 2)), zb_col_int(st, 3)};
	return 0;
}

static int span_add_red(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	span_load *l = ctx;
	int m = span_find(l, zb_col_int(st, 0));
	if (m < 0)
		return 0;
	ZB_AGROW(l->a, l->r, l->nr, l->rcap);
	const char *kind = zb_col_text(st, 1);
	l->r[l->nr++] = (span_red){m, (int)zb_col_int(st, 3), (int)zb_col_int(st, 4), kind && !strcmp(kind, "exempt"),
	                           zb_col_int(st, 5), zb_col_int(st, 2)};
	return 0;
}

static int span_add_line(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	span_load *l = ctx;
	int m = span_find(l, zb_col_int(st, 0));
	if (m < 0)
		return 0;
	ZB_AGROW(l->a, l->l, l->nl, l->lcap);
	l->l[l->nl++] = (span_line){m, (int)zb_col_int(st, 1), zb_col_int(st, 2)};
	return 0;
}

/* Rows by member, then: bases by month, reductions newest first, lines
 * by month.  The reads come in the order of their index on both backends
 * as a rule; sorted here only when they do not. */
static int cmp_base(const void *x, const void *y)
{
	const span_base *a = x, *b = y;
	return a->m != b->m ? (a->m < b->m ? -1 : 1) : (a->from_ym > b->from_ym) - (a->from_ym < b->from_ym);
}
static int cmp_red(const void *x, const void *y)
{
	const span_red *a = x, *b = y;
	return a->m != b->m ? (a->m < b->m ? -1 : 1) : (a->id < b->id) - (a->id > b->id);
}
static int cmp_line(const void *x, const void *y)
{
	const span_line *a = x, *b = y;
	return a->m != b->m ? (a->m < b->m ? -1 : 1) : (a->ym > b->ym) - (a->ym < b->ym);
}

static void span_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	for (size_t i = 1; i < n; i++)
		if (cmp((char *)v + (i - 1) * size, (char *)v + i * size) > 0) {
			qsort(v, n, size, cmp);
			return;
		}
}

/* Each member's first row and count in the sorted arrays. */
static void span_index(span_load *l)
{
	span_sort(l->b, l->nb, sizeof *l->b, cmp_base);
	span_sort(l->r, l->nr, sizeof *l->r, cmp_red);
	span_sort(l->l, l->nl, sizeof *l->l, cmp_line);
	for (size_t i = l->nb; i-- > 0;) {
		l->m[l->b[i].m].b0 = (int)i;
		l->m[l->b[i].m].nb++;
	}
	for (size_t i = l->nr; i-- > 0;) {
		l->m[l->r[i].m].r0 = (int)i;
		l->m[l->r[i].m].nr++;
	}
	for (size_t i = l->nl; i-- > 0;) {
		l->m[l->l[i].m].l0 = (int)i;
		l->m[l->l[i].m].nl++;
	}
}

/* One member's month as zb_dues_sheet_get's row query finds it: the base
 * in force that month, the newest approved reduction covering it, the
 * net paid for it. */
static int span_month(const span_load *l, zb_dues_rcache *rc, const span_member *m, int ym, zb_dues_month *out,
                      zb_err *e)
{
	const span_base *b = NULL;
	for (int i = 0; i < m->nb && l->b[m->b0 + i].from_ym <= ym; i++)
		b = &l->b[m->b0 + i];
	const span_red *red = NULL;
	for (int i = 0; i < m->nr && !red; i++)
		if (l->r[m->r0 + i].from_ym <= ym && l->r[m->r0 + i].to_ym >= ym)
			red = &l->r[m->r0 + i];
	int64_t paid = 0;
	for (int i = 0; i < m->nl; i++)
		if (l->l[m->l0 + i].ym == ym)
			paid += l->l[m->l0 + i].fen;
	zb_dues_rules r;
	int rc2 = zb_dues_rules_at(rc, m->path, ym, &r, e);
	if (rc2)
		return rc2;
	zb_dues_eval(&r, m->join_ym, ym, b != NULL, b ? b->kind : -1, b ? b->amount_fen : 0, !red ? 0 : red->exempt ? 2 : 1,
	             red ? red->amount_fen : 0, paid, out);
	return 0;
}

int zb_dues_span_get(zb_db *db, int64_t org_id, const char *org_path, int from, int to, zb_arena *a,
                     zb_dues_span *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	int n = zb_md_ym_diff(to, from) + 1;
	if (n < 1 || n > ZB_DUES_SPAN_MAX)
		return zb_fail(e, ZB_EINVAL, "month", "月份范围应为 1 到 %d 个月", ZB_DUES_SPAN_MAX);
	out->from = from;
	out->to = to;
	out->nmonths = n;
	zb_dues_rcache *rc;
	int r = zb_dues_rcache_new(db, &rc, e);
	if (r)
		return r;
	char upper[512];
	zb_path_upper(org_path, upper, sizeof upper);
	span_load l;
	memset(&l, 0, sizeof l);
	l.a = a;
	l.s = out;
	r = zb_db_begin_read(db, e);
	if (!r)
		r = zb_db_each(db, e, span_child, &l, "SELECT id, name, path FROM orgs WHERE parent_id = ? ORDER BY sort_order, id",
		               "i", org_id);
	if (!r)
		r = zb_db_each(db, e, span_add_member, &l,
		               "SELECT mb.id, mb.org_path, mb.join_date FROM members mb "
		               "WHERE mb.org_path >= ? AND mb.org_path < ? AND mb.status IN " OWING_STATUSES " ORDER BY mb.id",
		               "ss", org_path, upper);
	if (!r)
		r = zb_db_each(db, e, span_add_base, &l,
		               "SELECT b.member_id, b.from_ym, b.kind, b.amount_fen FROM dues_bases b "
		               "JOIN members mb ON mb.id = b.member_id WHERE mb.org_path >= ? AND mb.org_path < ? "
		               "AND b.from_ym <= ?",
		               "ssi", org_path, upper, (int64_t)to);
	if (!r)
		r = zb_db_each(db, e, span_add_red, &l,
		               "SELECT d.member_id, d.kind, d.amount_fen, d.from_ym, d.to_ym, d.id FROM dues_reductions d "
		               "JOIN members mb ON mb.id = d.member_id WHERE mb.org_path >= ? AND mb.org_path < ? "
		               "AND d.state = 'approved' AND d.from_ym <= ? AND d.to_ym >= ?",
		               "ssii", org_path, upper, (int64_t)to, (int64_t)from);
	if (!r)
		r = zb_db_each(db, e, span_add_line, &l,
		               "SELECT x.member_id, x.ym, x.amount_fen FROM dues_lines x "
		               "JOIN members mb ON mb.id = x.member_id WHERE mb.org_path >= ? AND mb.org_path < ? "
		               "AND x.ym >= ? AND x.ym <= ?",
		               "ssii", org_path, upper, (int64_t)from, (int64_t)to);
	r = zb_db_end(db, r, e);
	if (!r)
		span_index(&l);
	for (size_t i = 0; !r && i < l.nm; i++) {
		const span_member *m = &l.m[i];
		for (int k = 0; !r && k < n; k++) {
			zb_dues_month mo;
			if ((r = span_month(&l, rc, m, zb_md_ym_add(from, k), &mo, e)))
				break;
			sum_add(&out->months[k], &mo);
			if (m->child >= 0)
				sum_add(&out->children[m->child].months[k], &mo);
		}
	}
	zb_dues_rcache_free(rc);
	return r;
}

int zb_dues_bulk_pay(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *org_path,
                     const char *month, const char *paid_on, const char *method, const int64_t *member_ids, int n,
                     const char *today, int *recorded, zb_err *e)
{
	*recorded = 0;
	int ym, r;
	if ((r = zb_dues_ym_parse(month, "month", &ym, e)))
		return r;
	if (n < 1)
		return zb_fail(e, ZB_EINVAL, "member_ids", "请勾选已交纳党费的党员");
	zb_dues_rcache *rc;
	if ((r = zb_dues_rcache_new(db, &rc, e)))
		return r;
	zb_arena a;
	zb_arena_init(&a);
	if ((r = zb_db_begin_write(db, e)))
		goto out;
	for (int i = 0; !r && i < n; i++) {
		int64_t in_org = 0;
		r = zb_db_int(db, e, &in_org, "SELECT COUNT(*) FROM members WHERE id = ? AND org_id = ?", "ii", member_ids[i],
		              org_id);
		if (!r && !in_org) {
			r = zb_fail(e, ZB_ENOTFOUND, "member_ids", "未找到该对象，或不在您的管理范围内");
			break;
		}
		zb_dues_member m;
		zb_dues_month mo;
		if (r || (r = zb_dues_member_load(db, rc, member_ids[i], &a, &m, e)) ||
		    (r = zb_dues_member_month(rc, &m, ym, &mo, e)))
			break;
		if (!mo.owes) {
			r = zb_fail(e, ZB_EINVAL, "member_ids", "%s %s 不需交纳党费（当月尚未入党或未登记党费基数）", m.name, month);
			break;
		}
		if (!mo.owed_fen)
			continue;
		char amount[24];
		zb_money_text(mo.owed_fen, amount);
		const char *months[] = {month};
		zb_dues_pay_in in = {member_ids[i], org_path, months, 1, amount, paid_on, method, NULL, 0};
		int64_t id;
		if (!(r = zb_dues_pay_tx(db, app, rc, by, &in, today, &id, e)))
			(*recorded)++;
	}
	r = zb_db_end(db, r, e);
out:
	zb_arena_free(&a);
	zb_dues_rcache_free(rc);
	return r;
}

/* ---- the report ---- */

int zb_dues_report_xlsx(zb_db *db, int64_t org_id, const char *org_path, const char *org_name, int ym,
                        const char *path, zb_arena *a, zb_err *e)
{
	zb_dues_sheet s;
	int r = zb_dues_sheet_get(db, org_id, org_path, ym, 1, a, &s, e);
	if (r)
		return r;
	char mtext[8], due[24], paid[24], owed[24], rate[16], vol[24];
	zb_ym_text(ym, mtext);
	zb_money_text(s.total.due_fen, due);
	zb_money_text(s.total.paid_fen, paid);
	zb_money_text(s.total.owed_fen, owed);
	zb_money_text(s.total.voluntary_fen, vol);
	zb_dues_rate_text(s.total.paid_fen, s.total.due_fen, rate);
	const char *title = zb_arena_printf(a, "%s 党费收缴情况（%s）：应交 %s 元，实交 %s 元，欠交 %s 元，收缴率 %s%%，"
	                                       "一次性自愿交纳 %s 元",
	                                    org_name ? org_name : "", mtext, due, paid, owed, rate, vol);
	static const zb_xlsx_col cols[] = {
		{"序号", 6},     {"所在党组织", 30}, {"姓名", 12},     {"类别", 10},     {"基数类别", 10},
		{"党费基数", 12}, {"应交", 10},     {"实交", 10},     {"欠交", 10},     {"减免", 8},
	};
	zb_xlsx_writer *w;
	if ((r = zb_xlsx_writer_open(&w, path, "党费收缴", title, cols, (int)(sizeof cols / sizeof cols[0]), e)))
		return r;
	for (int i = 0; !r && i < s.nrows; i++) {
		const zb_dues_row *x = &s.rows[i];
		char b[24], d[24], p[24], o[24];
		zb_money_text(x->m.base_fen, b);
		zb_money_text(x->m.due_fen, d);
		zb_money_text(x->m.paid_fen, p);
		zb_money_text(x->m.owed_fen, o);
		const char *cells[] = {
			zb_arena_printf(a, "%d", i + 1),
			x->org_name,
			x->name,
			x->category && !strcmp(x->category, "probationary") ? "预备党员" : "正式党员",
			x->m.kind >= 0 ? zb_dues_kind_name(x->m.kind) : "未登记",
			x->m.kind >= 0 ? b : "",
			x->m.owes ? d : "",
			p,
			x->m.owes ? o : "",
			x->m.reduced == 2 ? "免交" : x->m.reduced == 1 ? "减交" : "",
		};
		r = zb_xlsx_writer_row(w, cells, (int)(sizeof cells / sizeof cells[0]), e);
	}
	if (r) {
		zb_xlsx_writer_free(w);
		return r;
	}
	return zb_xlsx_writer_close(w, e);
}
