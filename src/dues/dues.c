/* dues.c - one member's dues: loading, months, payments, reductions, and
 * the audited writes (dues.h). */
#include "dues/dues.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- loading a member ---- */

typedef struct mload {
	zb_arena *a;
	zb_dues_member *m;
	size_t cap;
} mload;

static void read_member(zb_stmt *st, void *ctx)
{
	mload *l = ctx;
	zb_dues_member *m = l->m;
	m->name = zb_arena_strdup(l->a, zb_col_text(st, 0));
	m->org_id = zb_col_int(st, 1);
	m->org_path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	m->org_name = zb_arena_strdup(l->a, zb_col_text(st, 3));
	m->join_date = zb_arena_strdup(l->a, zb_col_text(st, 4));
	m->category = zb_arena_strdup(l->a, zb_col_text(st, 5));
	m->status = zb_arena_strdup(l->a, zb_col_text(st, 6));
}

static int add_base(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	mload *l = ctx;
	ZB_AGROW(l->a, l->m->bases, (size_t)l->m->nbases, l->cap);
	zb_dues_base *b = &l->m->bases[l->m->nbases++];
	b->id = zb_col_int(st, 0);
	b->from_ym = (int)zb_col_int(st, 1);
	b->kind = zb_dues_kind_parse(zb_col_text(st, 2));
	b->amount_fen = zb_col_int(st, 3);
	b->monthly_fen = 0;
	return 0;
}

#define RED_COLS                                                                                                     \
	"r.id, r.member_id, r.kind, r.state, r.reason, r.decided_on, r.approval_note, r.from_ym, r.to_ym, r.amount_fen, " \
	"r.decided_by, r.approved_by, mb.name, mb.org_path "

static void read_red(zb_stmt *st, zb_arena *a, zb_dues_reduction *r)
{
	r->id = zb_col_int(st, 0);
	r->member_id = zb_col_int(st, 1);
	r->kind = zb_arena_strdup(a, zb_col_text(st, 2));
	r->state = zb_arena_strdup(a, zb_col_text(st, 3));
	r->reason = zb_arena_strdup(a, zb_col_text(st, 4));
	r->decided_on = zb_arena_strdup(a, zb_col_text(st, 5));
	r->approval_note = zb_arena_strdup(a, zb_col_text(st, 6));
	r->from_ym = (int)zb_col_int(st, 7);
	r->to_ym = (int)zb_col_int(st, 8);
	r->amount_fen = zb_col_int(st, 9);
	r->decided_by = zb_col_int(st, 10);
	r->approved_by = zb_col_int(st, 11);
	r->member_name = zb_arena_strdup(a, zb_col_text(st, 12));
	r->org_path = zb_arena_strdup(a, zb_col_text(st, 13));
}

static int add_red(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	mload *l = ctx;
	ZB_AGROW(l->a, l->m->red, (size_t)l->m->nred, l->cap);
	read_red(st, l->a, &l->m->red[l->m->nred++]);
	return 0;
}

static int add_paid(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	mload *l = ctx;
	size_t c2 = l->cap;
	ZB_AGROW(l->a, l->m->paid_ym, (size_t)l->m->npaid, c2);
	ZB_AGROW(l->a, l->m->paid_fen, (size_t)l->m->npaid, l->cap);
	l->m->paid_ym[l->m->npaid] = (int)zb_col_int(st, 0);
	l->m->paid_fen[l->m->npaid++] = zb_col_int(st, 1);
	return 0;
}

int zb_dues_member_load(zb_db *db, zb_dues_rcache *rc, int64_t member_id, zb_arena *a, zb_dues_member *m, zb_err *e)
{
	memset(m, 0, sizeof *m);
	m->id = member_id;
	mload l = {a, m, 0};
	int r = zb_db_one(db, e, "未找到该党员", read_member, &l,
	                  "SELECT mb.name, mb.org_id, mb.org_path, o.name, mb.join_date, mb.category, mb.status "
	                  "FROM members mb JOIN orgs o ON o.id = mb.org_id WHERE mb.id = ?",
	                  "i", member_id);
	if (r)
		return r;
	m->join_ym = m->join_date && zb_date_valid(m->join_date) ? zb_md_ym(m->join_date) : 0;
	if ((r = zb_db_each(db, e, add_base, &l,
	                    "SELECT id, from_ym, kind, amount_fen FROM dues_bases WHERE member_id = ? ORDER BY from_ym",
	                    "i", member_id)))
		return r;
	for (int i = 0; i < m->nbases; i++) {
		zb_dues_rules rules;
		if ((r = zb_dues_rules_at(rc, m->org_path, m->bases[i].from_ym, &rules, e)))
			return r;
		m->bases[i].monthly_fen = zb_dues_monthly(&rules, m->bases[i].kind, m->bases[i].amount_fen);
	}
	l.cap = 0;
	if ((r = zb_db_each(db, e, add_red, &l,
	                    "SELECT " RED_COLS "FROM dues_reductions r JOIN members mb ON mb.id = r.member_id "
	                    "WHERE r.member_id = ? ORDER BY r.id DESC",
	                    "i", member_id)))
		return r;
	l.cap = 0;
	return zb_db_each(db, e, add_paid, &l,
	                  "SELECT ym, SUM(amount_fen) FROM dues_lines WHERE member_id = ? GROUP BY ym ORDER BY ym", "i",
	                  member_id);
}

int zb_dues_member_month(zb_dues_rcache *rc, const zb_dues_member *m, int ym, zb_dues_month *out, zb_err *e)
{
	const zb_dues_base *b = NULL;
	for (int i = 0; i < m->nbases && m->bases[i].from_ym <= ym; i++)
		b = &m->bases[i];
	int red = 0;
	int64_t red_fen = 0;
	for (int i = 0; i < m->nred; i++) {
		const zb_dues_reduction *x = &m->red[i];
		if (!strcmp(x->state, "approved") && x->from_ym <= ym && x->to_ym >= ym) {
			red = !strcmp(x->kind, "exempt") ? 2 : 1;
			red_fen = x->amount_fen;
			break;
		}
	}
	int64_t paid = 0;
	for (int i = 0; i < m->npaid; i++)
		if (m->paid_ym[i] == ym)
			paid = m->paid_fen[i];
	zb_dues_rules r;
	int rc2 = zb_dues_rules_at(rc, m->org_path, ym, &r, e);
	if (rc2)
		return rc2;
	zb_dues_eval(&r, m->join_ym, ym, b != NULL, b ? b->kind : -1, b ? b->amount_fen : 0, red, red_fen, paid, out);
	return 0;
}

int zb_dues_paid_up_to(zb_dues_rcache *rc, const zb_dues_member *m, int now_ym, int *ym, zb_err *e)
{
	*ym = 0;
	if (!m->nbases || !m->join_ym)
		return 0;
	int start = m->bases[0].from_ym > m->join_ym ? m->bases[0].from_ym : m->join_ym;
	int end = now_ym;
	if (m->npaid && m->paid_ym[m->npaid - 1] > end)
		end = m->paid_ym[m->npaid - 1];
	for (int y = start; y <= end; y = zb_md_ym_add(y, 1)) {
		zb_dues_month mo;
		int r = zb_dues_member_month(rc, m, y, &mo, e);
		if (r)
			return r;
		if (mo.owes && mo.paid_fen < mo.due_fen)
			break;
		*ym = y;
	}
	return 0;
}

int zb_dues_paid_up_to_text(zb_db *db, int64_t member_id, int now_ym, zb_arena *a, char out[8], zb_err *e)
{
	out[0] = 0;
	zb_dues_rcache *rc;
	int r = zb_dues_rcache_new(db, &rc, e);
	if (r)
		return r;
	zb_dues_member m;
	int ym = 0;
	if (!(r = zb_dues_member_load(db, rc, member_id, a, &m, e)))
		r = zb_dues_paid_up_to(rc, &m, now_ym, &ym, e);
	zb_dues_rcache_free(rc);
	if (!r && ym) {
		char t[24];
		snprintf(t, sizeof t, "%04d-%02d", ym / 100, ym % 100);
		memcpy(out, t, 7);
		out[7] = 0;
	}
	return r;
}

int zb_dues_unpaid_run(zb_dues_rcache *rc, const zb_dues_member *m, int anchor, int last_ym, int *months, int *since,
                       zb_err *e)
{
	*months = *since = 0;
	for (int y = last_ym; y > anchor; y = zb_md_ym_add(y, -1)) {
		zb_dues_month mo;
		int r = zb_dues_member_month(rc, m, y, &mo, e);
		if (r)
			return r;
		if (mo.paid_fen > 0)
			break;
		if (!mo.owes || !mo.due_fen)
			continue;
		(*months)++;
		*since = y;
	}
	return 0;
}

/* ---- payments of a member ---- */

typedef struct pload {
	zb_arena *a;
	zb_dues_payment **v;
	int *n;
	size_t cap;
} pload;

static int add_payment(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	pload *l = ctx;
	ZB_AGROW(l->a, *l->v, (size_t)*l->n, l->cap);
	zb_dues_payment *p = &(*l->v)[(*l->n)++];
	memset(p, 0, sizeof *p);
	p->id = zb_col_int(st, 0);
	p->kind = zb_arena_strdup(l->a, zb_col_text(st, 1));
	p->amount_fen = zb_col_int(st, 2);
	p->paid_on = zb_arena_strdup(l->a, zb_col_text(st, 3));
	p->method = zb_arena_strdup(l->a, zb_col_text(st, 4));
	p->reverses = zb_col_is_null(st, 5) ? 0 : zb_col_int(st, 5);
	p->note = zb_arena_strdup(l->a, zb_col_text(st, 6));
	p->by_name = zb_arena_strdup(l->a, zb_col_text(st, 7));
	p->reversed_by = zb_col_is_null(st, 8) ? 0 : zb_col_int(st, 8);
	return 0;
}

typedef struct lload {
	zb_dues_payment *v;
	int n;
	zb_arena *a;
	size_t *caps;
} lload;

static int add_line(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	lload *l = ctx;
	int64_t pid = zb_col_int(st, 0);
	for (int i = 0; i < l->n; i++)
		if (l->v[i].id == pid) {
			ZB_AGROW(l->a, l->v[i].months, (size_t)l->v[i].nmonths, l->caps[i]);
			l->v[i].months[l->v[i].nmonths++] = (int)zb_col_int(st, 1);
			break;
		}
	return 0;
}

int zb_dues_payments(zb_db *db, int64_t member_id, int year, zb_arena *a, zb_dues_payment **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year ? year : 1);
	snprintf(to, sizeof to, "%04d-12-31", year ? year : 9999);
	pload l = {a, out, n, 0};
	int rc = zb_db_each(db, e, add_payment, &l,
	                    "SELECT p.id, p.kind, p.amount_fen, p.paid_on, p.method, p.reverses, p.note, "
	                    "COALESCE(u.display_name, u.username), x.id FROM dues_payments p "
	                    "LEFT JOIN users u ON u.id = p.created_by LEFT JOIN dues_payments x ON x.reverses = p.id "
	                    "WHERE p.member_id = ? AND ((p.paid_on >= ? AND p.paid_on <= ?) OR EXISTS (SELECT 1 FROM "
	                    "dues_lines l WHERE l.payment_id = p.id AND l.ym >= ? AND l.ym <= ?)) "
	                    "ORDER BY p.paid_on DESC, p.id DESC",
	                    "issii", member_id, from, to, (int64_t)(year ? year * 100 + 1 : 0),
	                    (int64_t)(year ? year * 100 + 12 : 999999));
	if (rc || !*n)
		return rc;
	size_t *caps = zb_arena_alloc(a, sizeof *caps * (size_t)*n);
	memset(caps, 0, sizeof *caps * (size_t)*n);
	lload ll = {*out, *n, a, caps};
	return zb_db_each(db, e, add_line, &ll, "SELECT payment_id, ym FROM dues_lines WHERE member_id = ? ORDER BY payment_id, ym",
	                  "i", member_id);
}

/* ---- writes ---- */

static int method_ok(const char *m)
{
	return m && (!strcmp(m, "cash") || !strcmp(m, "transfer") || !strcmp(m, "online"));
}

static int check_day(const char *d, const char *field, const char *what, const char *today, zb_err *e)
{
	if (!d || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, field, "%s无效（应为 YYYY-MM-DD）", what);
	if (strcmp(d, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s不能晚于今天", what);
	return 0;
}

int zb_dues_base_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                     const char *kind, const char *amount, const char *from, int64_t *monthly, zb_err *e)
{
	*monthly = 0;
	int k = zb_dues_kind_parse(kind);
	if (k < 0)
		return zb_fail(e, ZB_EINVAL, "kind",
		               "党费基数类别应为 salary（在职）、pension（离退休）、farmer（农民）、student（学生）、"
		               "unemployed（下岗失业）或 relief（依靠救济）");
	int64_t fen;
	int ym, rc;
	if ((rc = zb_money_parse(amount, "amount", "党费基数（月收入）", &fen, e)) || (rc = zb_dues_ym_parse(from, "from", &ym, e)))
		return rc;
	zb_dues_rcache *cache;
	if ((rc = zb_dues_rcache_new(db, &cache, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e))) {
		zb_dues_rcache_free(cache);
		return rc;
	}
	int64_t old[2] = {0, 0}; /* id, amount */
	char old_kind[16] = "";
	zb_text_buf ob = {old_kind, sizeof old_kind};
	rc = zb_db_one(db, e, NULL, zb_row_ints, old, "SELECT id, amount_fen FROM dues_bases WHERE member_id = ? AND from_ym = ?",
	               "ii", member_id, (int64_t)ym);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &ob, "SELECT kind FROM dues_bases WHERE id = ?", "i", old[0]);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE dues_bases SET kind = ?, amount_fen = ?, created_by = ?, created_at = ? "
		                            "WHERE id = ?",
		               "siIii", kind, fen, by->user_id, zb_now(app), old[0]);
	else if (rc == ZB_ENOTFOUND)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO dues_bases (member_id, from_ym, kind, amount_fen, created_by, created_at) "
		               "VALUES (?,?,?,?,?,?)",
		               "iisiIi", member_id, (int64_t)ym, kind, fen, by->user_id, zb_now(app));
	zb_dues_rules r;
	if (!rc && !(rc = zb_dues_rules_at(cache, org_path, ym, &r, e)))
		*monthly = zb_dues_monthly(&r, k, fen);
	if (!rc) {
		char a[24], d[24];
		zb_money_text(fen, a);
		zb_money_text(*monthly, d);
		zb_audit_detail det;
		zb_jw *w = zb_audit_detail_begin(&det);
		jw_kstr(w, "kind", kind);
		jw_kstr(w, "amount", a);
		jw_kstr(w, "from", from);
		jw_kstr(w, "monthly_due", d);
		if (old[0]) {
			char oa[24];
			zb_money_text(old[1], oa);
			jw_kstr(w, "old_kind", old_kind);
			jw_kstr(w, "old_amount", oa);
		}
		rc = zb_audit_change_detail(db, app, by, "dues.base_set", "member", member_id, org_path, &det, e);
	}
	zb_dues_rcache_free(cache);
	return zb_db_end(db, rc, e);
}

static int insert_payment(zb_db *db, int64_t member_id, const char *kind, int64_t amount, const char *paid_on,
                          const char *method, int64_t reverses, const char *note, int64_t by_user, int64_t now,
                          int64_t *id, zb_err *e)
{
	return zb_db_int(db, e, id,
	                 "INSERT INTO dues_payments (member_id, kind, amount_fen, paid_on, method, reverses, note, created_by, "
	                 "created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
	                 "isissIsIi", member_id, kind, amount, paid_on, method, reverses, note, by_user, now);
}

int zb_dues_pay_tx(zb_db *db, zb_app *app, zb_dues_rcache *rc, const zb_audit_ev *by, const zb_dues_pay_in *in,
                   const char *today, int64_t *id, zb_err *e)
{
	*id = 0;
	int r;
	int64_t amount;
	if ((r = zb_money_parse(in->amount, "amount", "交纳金额", &amount, e)))
		return r;
	if (!amount)
		return zb_fail(e, ZB_EINVAL, "amount", "交纳金额应大于 0");
	if ((r = check_day(in->paid_on, "paid_on", "交纳日期", today, e)))
		return r;
	if (!method_ok(in->method))
		return zb_fail(e, ZB_EINVAL, "method", "交纳方式应为 cash（现金）、transfer（转账）或 online（线上）");
	zb_arena a;
	zb_arena_init(&a);
	zb_dues_member m;
	if ((r = zb_dues_member_load(db, rc, in->member_id, &a, &m, e)))
		goto out;
	if (in->voluntary) {
		zb_dues_rules rules;
		if (in->nmonths) {
			r = zb_fail(e, ZB_EINVAL, "months", "一次性自愿交纳的党费不按月份登记，请不要选择月份");
			goto out;
		}
		if ((r = zb_dues_rules_at(rc, m.org_path, zb_md_ym(in->paid_on), &rules, e)))
			goto out;
		if (amount < rules.voluntary_min_fen) {
			char t[24];
			zb_money_text(rules.voluntary_min_fen, t);
			r = zb_fail(e, ZB_EINVAL, "amount", "一次性自愿交纳的党费应不少于 %s 元", t);
			goto out;
		}
		r = insert_payment(db, in->member_id, "voluntary", amount, in->paid_on, in->method, 0, in->note, by->user_id,
		                   zb_now(app), id, e);
	} else {
		if (in->nmonths < 1 || in->nmonths > 120) {
			r = zb_fail(e, ZB_EINVAL, "months", "请选择交纳的月份（1 到 120 个月）");
			goto out;
		}
		int *yms = zb_arena_alloc(&a, sizeof *yms * (size_t)in->nmonths);
		int64_t *owed = zb_arena_alloc(&a, sizeof *owed * (size_t)in->nmonths);
		for (int i = 0; i < in->nmonths; i++) {
			char field[32];
			snprintf(field, sizeof field, "months[%d]", i);
			if ((r = zb_dues_ym_parse(in->months[i], field, &yms[i], e)))
				goto out;
			for (int j = 0; j < i; j++)
				if (yms[j] == yms[i]) {
					r = zb_fail(e, ZB_EINVAL, field, "月份 %s 重复", in->months[i]);
					goto out;
				}
			zb_dues_month mo;
			if ((r = zb_dues_member_month(rc, &m, yms[i], &mo, e)))
				goto out;
			if (!mo.owes) {
				r = zb_fail(e, ZB_EINVAL, field, "%s 不需交纳党费（当月尚未入党或未登记党费基数）", in->months[i]);
				goto out;
			}
			owed[i] = mo.owed_fen;
		}
		if ((r = insert_payment(db, in->member_id, "monthly", amount, in->paid_on, in->method, 0, in->note,
		                        by->user_id, zb_now(app), id, e)))
			goto out;
		int64_t left = amount;
		for (int i = 0; !r && i < in->nmonths; i++) {
			int64_t part = i + 1 == in->nmonths ? left : owed[i] < left ? owed[i] : left;
			left -= part;
			r = zb_db_run(db, e, NULL, "INSERT INTO dues_lines (payment_id, member_id, ym, amount_fen) VALUES (?,?,?,?)",
			              "iiii", *id, in->member_id, (int64_t)yms[i], part);
		}
	}
	if (!r) {
		char t[24];
		zb_money_text(amount, t);
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "payment_id", *id);
		jw_kstr(w, "kind", in->voluntary ? "voluntary" : "monthly");
		jw_kstr(w, "amount", t);
		jw_kstr(w, "paid_on", in->paid_on);
		jw_kstr(w, "method", in->method);
		jw_karr(w, "months");
		for (int i = 0; i < in->nmonths; i++)
			jw_str(w, in->months[i]);
		jw_arr_end(w);
		r = zb_audit_change_detail(db, app, by, "dues.pay", "member", in->member_id, m.org_path, &d, e);
	}
out:
	zb_arena_free(&a);
	return r;
}

int zb_dues_pay(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_dues_pay_in *in, const char *today,
                int64_t *id, zb_err *e)
{
	zb_dues_rcache *rc;
	int r = zb_dues_rcache_new(db, &rc, e);
	if (r)
		return r;
	if (!(r = zb_db_begin_write(db, e)))
		r = zb_db_end(db, zb_dues_pay_tx(db, app, rc, by, in, today, id, e), e);
	zb_dues_rcache_free(rc);
	return r;
}

int zb_dues_reverse(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t payment_id, const char *org_path,
                    const char *reason, const char *today, int64_t *id, int64_t *member_id, zb_err *e)
{
	*id = 0;
	if (!reason || !*reason)
		return zb_fail(e, ZB_EINVAL, "reason", "请填写冲正原因");
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	/* member, amount, reverses (0 none), reversals of it */
	int64_t v[4] = {0, 0, 0, 0};
	char kind[16] = "", method[16] = "";
	zb_text_buf kb = {kind, sizeof kind}, mb = {method, sizeof method};
	rc = zb_db_one(db, e, "未找到该缴费记录", zb_row_ints, v,
	               "SELECT member_id, amount_fen, COALESCE(reverses, 0), "
	               "(SELECT COUNT(*) FROM dues_payments x WHERE x.reverses = p.id) FROM dues_payments p WHERE p.id = ?",
	               "i", payment_id);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &kb, "SELECT kind FROM dues_payments WHERE id = ?", "i", payment_id);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &mb, "SELECT method FROM dues_payments WHERE id = ?", "i", payment_id);
	if (!rc && v[2])
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "冲正记录不能再冲正");
	if (!rc && v[3])
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该缴费记录已经冲正过");
	*member_id = v[0];
	if (!rc)
		rc = insert_payment(db, v[0], kind, -v[1], today, method, payment_id, reason, by->user_id, zb_now(app), id, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO dues_lines (payment_id, member_id, ym, amount_fen) "
		               "SELECT ?, member_id, ym, -amount_fen FROM dues_lines WHERE payment_id = ?",
		               "ii", *id, payment_id);
	if (!rc) {
		char t[24];
		zb_money_text(-v[1], t);
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "payment_id", *id);
		jw_kint(w, "reverses", payment_id);
		jw_kstr(w, "amount", t);
		jw_kstr(w, "reason", reason);
		rc = zb_audit_change_detail(db, app, by, "dues.reverse", "member", v[0], org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- reductions ---- */

int zb_dues_reduction_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                          const char *kind, const char *from, const char *to, const char *amount, const char *reason,
                          const char *decided_on, const char *today, int64_t *id, zb_err *e)
{
	*id = 0;
	int exempt = kind && !strcmp(kind, "exempt");
	if (!exempt && !(kind && !strcmp(kind, "reduce")))
		return zb_fail(e, ZB_EINVAL, "kind", "类别应为 reduce（减交）或 exempt（免交）");
	int f, t, rc;
	int64_t fen = 0;
	if ((rc = zb_dues_ym_parse(from, "from", &f, e)) || (rc = zb_dues_ym_parse(to, "to", &t, e)))
		return rc;
	if (t < f)
		return zb_fail(e, ZB_EINVAL, "to", "截止月份不能早于起始月份");
	if (zb_md_ym_diff(t, f) >= 60)
		return zb_fail(e, ZB_EINVAL, "to", "减免期限一次最长 60 个月");
	if (!exempt && (rc = zb_money_parse(amount, "amount", "减交后每月交纳的金额", &fen, e)))
		return rc;
	if (!reason || !*reason)
		return zb_fail(e, ZB_EINVAL, "reason", "请填写减免原因");
	if ((rc = check_day(decided_on, "decided_on", "支部讨论决定的日期", today, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO dues_reductions (member_id, kind, from_ym, to_ym, amount_fen, reason, decided_on, "
	               "decided_by, state, created_at) VALUES (?,?,?,?,?,?,?,?,'pending',?) RETURNING id",
	               "isiiissIi", member_id, exempt ? "exempt" : "reduce", (int64_t)f, (int64_t)t, fen, reason,
	               decided_on, by->user_id, zb_now(app));
	if (!rc) {
		char a[24];
		zb_money_text(fen, a);
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "reduction_id", *id);
		jw_kstr(w, "kind", exempt ? "exempt" : "reduce");
		jw_kstr(w, "from", from);
		jw_kstr(w, "to", to);
		jw_kstr(w, "amount", a);
		jw_kstr(w, "decided_on", decided_on);
		jw_kstr(w, "reason", reason);
		rc = zb_audit_change_detail(db, app, by, "dues.reduction_add", "member", member_id, org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

typedef struct rget {
	zb_arena *a;
	zb_dues_reduction *r;
} rget;

static void read_one_red(zb_stmt *st, void *ctx)
{
	rget *g = ctx;
	read_red(st, g->a, g->r);
}

int zb_dues_reduction_get(zb_db *db, int64_t id, zb_arena *a, zb_dues_reduction *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	rget g = {a, out};
	return zb_db_one(db, e, "未找到该减免记录", read_one_red, &g,
	                 "SELECT " RED_COLS "FROM dues_reductions r JOIN members mb ON mb.id = r.member_id WHERE r.id = ?",
	                 "i", id);
}

int zb_dues_reduction_decide(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *org_path,
                             int approve, const char *note, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	int64_t member = 0, changed = 0;
	rc = zb_db_int(db, e, &member, "SELECT member_id FROM dues_reductions WHERE id = ?", "i", id);
	if (!rc)
		rc = zb_db_run(db, e, &changed,
		               "UPDATE dues_reductions SET state = ?, approved_by = ?, approved_at = ?, approval_note = ? "
		               "WHERE id = ? AND state = 'pending'",
		               "sIisi", approve ? "approved" : "rejected", by->user_id, zb_now(app), note, id);
	if (!rc && !changed)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该减免申请已经审批过");
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "reduction_id", id);
		jw_kstr(w, "note", note);
		rc = zb_audit_change_detail(db, app, by, approve ? "dues.reduction_approve" : "dues.reduction_reject", "member",
		                            member, org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

typedef struct rlist {
	zb_arena *a;
	zb_dues_reduction *v;
	int n;
	size_t cap;
} rlist;

static int add_listed(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	rlist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	zb_dues_reduction *x = &l->v[l->n++];
	read_red(st, l->a, x);
	x->org_id = zb_col_int(st, 14);
	x->org_name = zb_arena_strdup(l->a, zb_col_text(st, 15));
	return 0;
}

int zb_dues_reductions_of(zb_db *db, const char *path, const char *state, int limit, zb_arena *a,
                          zb_dues_reduction **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	int all = !state || !*state;
	if (!all && strcmp(state, "pending") && strcmp(state, "approved") && strcmp(state, "rejected"))
		return zb_fail(e, ZB_EINVAL, "state", "状态应为 pending（待审批）、approved（已批准）或 rejected（未批准）");
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	rlist l = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, add_listed, &l,
	                    "SELECT " RED_COLS ", o.id, o.name FROM dues_reductions r "
	                    "JOIN members mb ON mb.id = r.member_id JOIN orgs o ON o.id = mb.org_id "
	                    "WHERE mb.org_path >= ? AND mb.org_path < ? AND (? = 1 OR r.state = ?) "
	                    "ORDER BY r.id DESC LIMIT ?",
	                    "ssisi", path, upper, (int64_t)all, all ? "" : state, (int64_t)limit);
	*out = l.v;
	*n = l.n;
	return rc;
}
