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
