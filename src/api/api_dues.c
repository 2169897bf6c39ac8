/* api_dues.c - 党费: a member's base and months, payments and their
 * reversal, reductions and their approval by the level above, the
 * monthly sheet of an org with its roll-up, the one-tap bulk entry and
 * the 党费收缴 report (dues/dues.h, docs/DUES.md). */
#include "api/api.h"
#include "auth/authz.h"
#include "core/date.h"
#include "dues/dues.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <string.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static void kmoney(zb_jw *w, const char *key, int64_t fen)
{
	char t[24];
	zb_money_text(fen, t);
	jw_kstr(w, key, t);
}

static void kym(zb_jw *w, const char *key, int ym)
{
	char t[8];
	zb_ym_text(ym, t);
	if (ym)
		jw_kstr(w, key, t);
	else
		jw_knull(w, key);
}

static int this_ym(zb_req *r)
{
	char today[11];
	zb_today(r->app, today);
	return zb_md_ym(today);
}

/* ---- a member ---- */

static void reduction_keys(zb_jw *w, const zb_dues_reduction *x)
{
	jw_kint(w, "id", x->id);
	jw_kint(w, "member_id", x->member_id);
	jw_kstr(w, "kind", x->kind);
	kym(w, "from", x->from_ym);
	kym(w, "to", x->to_ym);
	kmoney(w, "amount", x->amount_fen);
	jw_kstr(w, "reason", x->reason);
	jw_kstr(w, "decided_on", x->decided_on);
	jw_kstr(w, "state", x->state);
	jw_kstr(w, "approval_note", x->approval_note);
}

static void write_reduction(zb_jw *w, const zb_dues_reduction *x)
{
	jw_obj(w);
	reduction_keys(w, x);
	jw_obj_end(w);
}

/* The member's dues of a year: the months, paid up to, bases, payments
 * and reductions. */
static int write_member_dues(zb_req *r, int64_t member_id, zb_err *e)
{
	int64_t year;
	int now = this_ym(r);
	if (zb_req_query_int(r, "year", now / 100, 1921, 2200, &year, e))
		return e->code;
	zb_dues_rcache *rc;
	int rv = zb_dues_rcache_new(r->db, &rc, e);
	if (rv)
		return rv;
	zb_dues_member m;
	zb_dues_month mo[12];
	int upto = 0;
	zb_dues_payment *pays = NULL;
	int npays = 0;
	if (!(rv = zb_dues_member_load(r->db, rc, member_id, &r->arena, &m, e)))
		for (int i = 0; !rv && i < 12; i++)
			rv = zb_dues_member_month(rc, &m, (int)year * 100 + i + 1, &mo[i], e);
	if (!rv)
		rv = zb_dues_paid_up_to(rc, &m, now, &upto, e);
	if (!rv)
		rv = zb_dues_payments(r->db, member_id, (int)year, &r->arena, &pays, &npays, e);
	zb_dues_rcache_free(rc);
	if (rv)
		return rv;
	zb_jw *w = &r->jw;
	int64_t due = 0, paid = 0, owed = 0;
	jw_obj(w);
	jw_kint(w, "member_id", member_id);
	jw_kstr(w, "name", m.name);
	jw_kint(w, "org_id", m.org_id);
	jw_kstr(w, "org_name", m.org_name);
	jw_kstr(w, "category", m.category);
	jw_kstr(w, "join_date", m.join_date);
	jw_kint(w, "year", year);
	jw_karr(w, "months");
	for (int i = 0; i < 12; i++) {
		/* a month to come is not owed yet */
		int64_t o = mo[i].ym <= now ? mo[i].owed_fen : 0;
		jw_obj(w);
		kym(w, "month", mo[i].ym);
		if (mo[i].owes)
			kmoney(w, "due", mo[i].due_fen);
		else
			jw_knull(w, "due");
		kmoney(w, "paid", mo[i].paid_fen);
		kmoney(w, "owed", o);
		jw_kstr(w, "kind", mo[i].kind >= 0 ? zb_dues_kind_code(mo[i].kind) : NULL);
		if (mo[i].kind >= 0)
			kmoney(w, "base", mo[i].base_fen);
		else
			jw_knull(w, "base");
		jw_kstr(w, "reduced", mo[i].reduced == 2 ? "exempt" : mo[i].reduced == 1 ? "reduce" : NULL);
		jw_obj_end(w);
		if (mo[i].ym <= now) {
			due += mo[i].due_fen;
			owed += o;
		}
		paid += mo[i].paid_fen;
	}
	jw_arr_end(w);
	kym(w, "paid_up_to", upto);
	kmoney(w, "due_total", due);
	kmoney(w, "paid_total", paid);
	kmoney(w, "owed_total", owed);
	jw_karr(w, "bases");
	for (int i = m.nbases - 1; i >= 0; i--) {
		jw_obj(w);
		jw_kstr(w, "kind", zb_dues_kind_code(m.bases[i].kind));
		kmoney(w, "amount", m.bases[i].amount_fen);
		kym(w, "from", m.bases[i].from_ym);
		kmoney(w, "monthly_due", m.bases[i].monthly_fen);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "payments");
	for (int i = 0; i < npays; i++) {
		const zb_dues_payment *p = &pays[i];
		jw_obj(w);
		jw_kint(w, "id", p->id);
		jw_kstr(w, "kind", p->kind);
		kmoney(w, "amount", p->amount_fen);
		jw_kstr(w, "paid_on", p->paid_on);
		jw_kstr(w, "method", p->method);
		jw_karr(w, "months");
		for (int k = 0; k < p->nmonths; k++) {
			char t[8];
			zb_ym_text(p->months[k], t);
			jw_str(w, t);
		}
		jw_arr_end(w);
		jw_kstr(w, "recorded_by", p->by_name);
		if (p->reverses)
			jw_kint(w, "reverses", p->reverses);
		else
			jw_knull(w, "reverses");
		if (p->reversed_by)
			jw_kint(w, "reversed_by", p->reversed_by);
		else
			jw_knull(w, "reversed_by");
		jw_kstr(w, "note", p->note);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "reductions");
	for (int i = 0; i < m.nred; i++)
		write_reduction(w, &m.red[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_member_dues(zb_req *r, zb_err *e)
{
	int rc = write_member_dues(r, r->target_id, e);
	if (!rc)
		zb_req_audit_read(r, "dues.read", "member", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_my_dues(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	int rc = write_member_dues(r, r->who->member_id, e);
	if (!rc)
		zb_req_audit_read(r, "dues.self_read", "member", r->who->member_id, r->who->member_org_path, NULL);
	return rc;
}

static int h_base_put(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int64_t monthly;
	const char *kind = zb_body_str(r, "kind"), *amount = zb_body_str(r, "amount"), *from = zb_body_str(r, "from");
	int rc = zb_dues_base_set(r->db, r->app, &by, r->target_id, r->target_path, kind, amount, from, &monthly, e);
	if (rc)
		return rc;
	int64_t fen = 0;
	zb_money_parse(amount, "amount", "", &fen, e);
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", r->target_id);
	jw_kstr(w, "kind", kind);
	kmoney(w, "amount", fen);
	jw_kstr(w, "from", from);
	kmoney(w, "monthly_due", monthly);
	jw_obj_end(w);
	return 0;
}

/* ---- payments ---- */

static void write_payment_made(zb_req *r, int64_t id, int64_t member_id, const char *amount_text, int64_t reverses)
{
	int64_t fen = 0;
	zb_err ignore;
	zb_money_parse(amount_text, "amount", "", &fen, &ignore);
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", id);
	jw_kint(w, "member_id", member_id);
	kmoney(w, "amount", reverses ? -fen : fen);
	if (reverses)
		jw_kint(w, "reverses", reverses);
	else
		jw_knull(w, "reverses");
	jw_obj_end(w);
}

static int h_pay(zb_req *r, zb_err *e)
{
	json_t *months = json_object_get(r->json, "months");
	size_t n = json_array_size(months);
	if (n > 120)
		return zb_fail(e, ZB_EINVAL, "months", "一次最多交纳 120 个月");
	const char **mv = zb_arena_alloc(&r->arena, sizeof *mv * (n + 1));
	for (size_t i = 0; i < n; i++) {
		mv[i] = json_string_value(json_array_get(months, i));
		if (!mv[i])
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "months[%zu]", i), "月份应为 YYYY-MM 文字");
	}
	char today[11];
	zb_today(r->app, today);
	zb_dues_pay_in in = {r->target_id, r->target_path, mv, (int)n, zb_body_str(r, "amount"), zb_body_str(r, "paid_on"),
	                     zb_body_str(r, "method"), zb_body_str(r, "note"),
	                     json_is_true(json_object_get(r->json, "voluntary"))};
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_dues_pay(r->db, r->app, &by, &in, today, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	write_payment_made(r, id, r->target_id, in.amount, 0);
	return 0;
}

static int h_reverse(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int64_t id, member;
	int rc = zb_dues_reverse(r->db, r->app, &by, r->target_id, r->target_path, zb_body_str(r, "reason"), today, &id,
	                         &member, e);
	if (rc)
		return rc;
	zb_arena *a = &r->arena;
	zb_dues_payment *p;
	int n;
	if ((rc = zb_dues_payments(r->db, member, 0, a, &p, &n, e)))
		return rc;
	for (int i = 0; i < n; i++)
		if (p[i].id == r->target_id) {
			char t[24];
			zb_money_text(p[i].amount_fen, t);
			r->status = 201;
			write_payment_made(r, id, member, t, r->target_id);
			return 0;
		}
	return zb_fail(e, ZB_EINTERNAL, NULL, "冲正后未找到原缴费记录");
}

/* ---- reductions ---- */

static int write_reduction_of(zb_req *r, int64_t id, zb_err *e)
{
	zb_dues_reduction x;
	int rc = zb_dues_reduction_get(r->db, id, &r->arena, &x, e);
	if (!rc)
		write_reduction(&r->jw, &x);
	return rc;
}

static int h_reduction_add(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_dues_reduction_add(r->db, r->app, &by, r->target_id, r->target_path, zb_body_str(r, "kind"),
	                               zb_body_str(r, "from"), zb_body_str(r, "to"), zb_body_str(r, "amount"),
	                               zb_body_str(r, "reason"), zb_body_str(r, "decided_on"), today, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_reduction_of(r, id, e);
}

/* The org above the member's org ("/1/5/23/" -> "/1/5/"); the org itself
 * at the root, which has none above. */
static const char *parent_path(zb_req *r, const char *path)
{
	size_t n = strlen(path);
	if (n < 2)
		return path;
	size_t i = n - 1;
	while (i > 0 && path[i - 1] != '/')
		i--;
	return i > 1 ? zb_arena_printf(&r->arena, "%.*s", (int)i, path) : path;
}

static int h_reduction_decide(zb_req *r, zb_err *e)
{
	/* 减免: the branch decides, the level above approves */
	if (!zb_authz_allows(r->who, P_MEMBER_WRITE, parent_path(r, r->target_path)))
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "党费减免须由上级党组织审批，您在上级党组织没有这项权限");
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_dues_reduction_decide(r->db, r->app, &by, r->target_id, r->target_path,
	                                  json_is_true(json_object_get(r->json, "approve")), zb_body_str(r, "note"), e);
	return rc ? rc : write_reduction_of(r, r->target_id, e);
}

/* The reductions of the members of an org's subtree (?state=pending: those
 * waiting for approval); can_decide tells whether the caller is the level
 * above the member's org, who approves or rejects. */
static int h_org_reductions(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	zb_dues_reduction *v;
	int n;
	int rc = zb_dues_reductions_of(r->db, r->target_path, zb_req_query(r, "state"), (int)limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		zb_jw *w = &r->jw;
		jw_obj(w);
		reduction_keys(w, &v[i]);
		jw_kstr(w, "member_name", v[i].member_name);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kbool(w, "can_decide", zb_authz_allows(r->who, P_MEMBER_WRITE, parent_path(r, v[i].org_path)));
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "dues.reductions", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- the sheet of an org ---- */

static int month_query(zb_req *r, int *ym, zb_err *e)
{
	const char *q = zb_req_query(r, "month");
	if (!q || !*q) {
		*ym = this_ym(r);
		return 0;
	}
	return zb_dues_ym_parse(q, "month", ym, e);
}

static void write_sum(zb_jw *w, const zb_dues_sum *s)
{
	char rate[16];
	zb_dues_rate_text(s->paid_fen, s->due_fen, rate);
	jw_kint(w, "members", s->members);
	jw_kint(w, "owing", s->owing);
	kmoney(w, "due", s->due_fen);
	kmoney(w, "paid", s->paid_fen);
	kmoney(w, "owed", s->owed_fen);
	jw_kstr(w, "rate", rate);
	kmoney(w, "voluntary", s->voluntary_fen);
}

static int write_sheet(zb_req *r, int ym, int recorded, zb_err *e)
{
	zb_dues_sheet s;
	int rc = zb_dues_sheet_get(r->db, r->target_id, r->target_path, ym, 0, &r->arena, &s, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	kym(w, "month", ym);
	if (recorded >= 0)
		jw_kint(w, "recorded", recorded);
	jw_kobj(w, "total");
	write_sum(w, &s.total);
	jw_obj_end(w);
	jw_karr(w, "members");
	for (int i = 0; i < s.nrows; i++) {
		const zb_dues_row *x = &s.rows[i];
		jw_obj(w);
		jw_kint(w, "member_id", x->member_id);
		jw_kstr(w, "name", x->name);
		jw_kstr(w, "category", x->category);
		jw_kstr(w, "kind", x->m.kind >= 0 ? zb_dues_kind_code(x->m.kind) : NULL);
		if (x->m.owes)
			kmoney(w, "due", x->m.due_fen);
		else
			jw_knull(w, "due");
		kmoney(w, "paid", x->m.paid_fen);
		kmoney(w, "owed", x->m.owed_fen);
		jw_kstr(w, "reduced", x->m.reduced == 2 ? "exempt" : x->m.reduced == 1 ? "reduce" : NULL);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "children");
	for (int i = 0; i < s.nchildren; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", s.children[i].org_id);
		jw_kstr(w, "name", s.children[i].name);
		write_sum(w, &s.children[i].sum);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_org_dues(zb_req *r, zb_err *e)
{
	int ym, rc;
	if ((rc = month_query(r, &ym, e)) || (rc = write_sheet(r, ym, -1, e)))
		return rc;
	zb_req_audit_read(r, "dues.sheet", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_bulk(zb_req *r, zb_err *e)
{
	json_t *ids = json_object_get(r->json, "member_ids");
	size_t n = json_array_size(ids);
	if (n > 2000)
		return zb_fail(e, ZB_EINVAL, "member_ids", "一次最多登记 2000 人");
	int64_t *v = zb_arena_alloc(&r->arena, sizeof *v * (n + 1));
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(ids, i);
		if (!json_is_integer(x))
			return zb_fail(e, ZB_EINVAL, "member_ids", "member_ids 应为党员编号的数组");
		v[i] = json_integer_value(x);
	}
	const char *month = zb_body_str(r, "month");
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int recorded, ym, rc;
	if ((rc = zb_dues_bulk_pay(r->db, r->app, &by, r->target_id, r->target_path, month, zb_body_str(r, "paid_on"),
	                           zb_body_str(r, "method"), v, (int)n, today, &recorded, e)) ||
	    (rc = zb_dues_ym_parse(month, "month", &ym, e)))
		return rc;
	return write_sheet(r, ym, recorded, e);
}

static int h_report(zb_req *r, zb_err *e)
{
	int ym, rc;
	if ((rc = month_query(r, &ym, e)))
		return rc;
	char name[600] = "";
	const char *trail = zb_api_org_trail(r, r->target_path);
	if (trail) {
		const char *last = strrchr(trail, '/');
		snprintf(name, sizeof name, "%s", last ? last + 2 : trail);
	}
	char path[600];
	if ((rc = zb_req_tmpfile(r, "dues", path, sizeof path, e)))
		return rc;
	rc = zb_dues_report_xlsx(r->db, r->target_id, r->target_path, name, ym, path, &r->arena, e);
	if (!rc)
		rc = zb_req_body_file(r, path, "导出文件过大，请按下级组织分别导出", e);
	else
		remove(path);
	if (rc)
		return rc;
	char mt[8];
	zb_ym_text(ym, mt);
	zb_req_disposition(r, "attachment", "dues.xlsx", zb_arena_printf(&r->arena, "%s党费收缴%s.xlsx", name, mt));
	r->content_type = XLSX_TYPE;
	zb_req_audit_read(r, "dues.report", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"month\":\"%s\"}", mt));
	return 0;
}

/* ---- request bodies ---- */

static const zb_field base_fields[] = {
	{"kind", 's', 1, 16, "salary 在职 / pension 离退休 / farmer 农民 / student 学生 / unemployed 下岗失业 / relief 依靠救济"},
	{"amount", 's', 1, 20, "每月党费基数（元，如 \"3000.00\"）：在职为税后工资等相对固定收入，离退休为养老金"},
	{"from", 's', 1, 7, "起始月份 YYYY-MM（从该月起按此基数交纳）"},
	{0},
};
static const zb_field pay_fields[] = {
	{"member_id", 'i', 1, 0, "党员编号"},
	{"months", 'a', 0, 0, "交纳的月份 [\"2026-01\", ...]（一次性自愿交纳时不填）"},
	{"amount", 's', 1, 20, "金额（元，如 \"45.00\"）"},
	{"paid_on", 'd', 1, 10, "交纳日期"},
	{"method", 's', 1, 16, "cash 现金 / transfer 转账 / online 线上"},
	{"note", 's', 0, 500, "备注"},
	{"voluntary", 'b', 0, 0, "一次性自愿交纳（1000 元以上，不分月份）"},
	{0},
};
static const zb_field reverse_fields[] = {
	{"reason", 's', 1, 500, "冲正原因"},
	{0},
};
static const zb_field reduction_fields[] = {
	{"kind", 's', 1, 16, "reduce 减交 / exempt 免交"},
	{"from", 's', 1, 7, "起始月份 YYYY-MM"},
	{"to", 's', 1, 7, "截止月份 YYYY-MM"},
	{"amount", 's', 0, 20, "减交后每月交纳的金额（元；减交时必填）"},
	{"reason", 's', 1, 500, "原因"},
	{"decided_on", 'd', 1, 10, "支部讨论决定的日期"},
	{0},
};
static const zb_field decide_fields[] = {
	{"approve", 'b', 1, 0, "true 批准 / false 不批准"},
	{"note", 's', 0, 500, "审批意见"},
	{0},
};
static const zb_field bulk_fields[] = {
	{"month", 's', 1, 7, "月份 YYYY-MM"},
	{"paid_on", 'd', 1, 10, "交纳日期"},
	{"method", 's', 1, 16, "cash 现金 / transfer 转账 / online 线上"},
	{"member_ids", 'a', 1, 0, "已交纳的党员（按当月应交金额登记）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop base_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"kind", 's', 0, NULL, "基数类别"},
	{"amount", 's', 0, NULL, "每月党费基数（元）"},
	{"from", 's', 0, NULL, "起始月份"},
	{"monthly_due", 's', 0, NULL, "每月应交党费（元）"},
	{0},
};
static const zb_shape base_shape = {"DuesBase", base_props, 0, 0, "党费基数"};

static const zb_prop month_props[] = {
	{"month", 's', 0, NULL, "月份 YYYY-MM"},
	{"due", 's', ZB_NULL, NULL, "应交（元）；未入党或未登记基数为 null"},
	{"paid", 's', 0, NULL, "实交（元）"},
	{"owed", 's', 0, NULL, "欠交（元）；未到的月份为 0"},
	{"kind", 's', ZB_NULL, NULL, "当月基数类别"},
	{"base", 's', ZB_NULL, NULL, "当月基数（元）"},
	{"reduced", 's', ZB_NULL, NULL, "reduce 减交、exempt 免交或 null"},
	{0},
};
static const zb_shape month_shape = {"DuesMonth", month_props, 0, 0, "一个月的党费"};
static const zb_prop base_row_props[] = {
	{"kind", 's', 0, NULL, "基数类别"},
	{"amount", 's', 0, NULL, "基数（元）"},
	{"from", 's', 0, NULL, "起始月份"},
	{"monthly_due", 's', 0, NULL, "按起始月份的规则每月应交（元）"},
	{0},
};
static const zb_shape base_row_shape = {NULL, base_row_props, 0, 0, NULL};
static const zb_prop payment_props[] = {
	{"id", 'i', 0, NULL, "缴费记录编号"},
	{"kind", 's', 0, NULL, "monthly 按月交纳 / voluntary 一次性自愿交纳"},
	{"amount", 's', 0, NULL, "金额（元；冲正为负数）"},
	{"paid_on", 'd', 0, NULL, "交纳日期（冲正为冲正日期）"},
	{"method", 's', 0, NULL, "cash、transfer 或 online"},
	{"months", 'a', 0, &zb_shape_string, "交纳的月份"},
	{"recorded_by", 's', ZB_NULL, NULL, "登记人"},
	{"reverses", 'i', ZB_NULL, NULL, "冲正的缴费记录"},
	{"reversed_by", 'i', ZB_NULL, NULL, "冲正它的记录"},
	{"note", 's', ZB_NULL, NULL, "备注或冲正原因"},
	{0},
};
static const zb_shape payment_shape = {"DuesPayment", payment_props, 0, 0, "缴费记录"};
#define REDUCTION_PROPS \
	{"id", 'i', 0, NULL, "减免记录编号"}, \
	{"member_id", 'i', 0, NULL, "党员编号"}, \
	{"kind", 's', 0, NULL, "reduce 减交 / exempt 免交"}, \
	{"from", 's', 0, NULL, "起始月份"}, \
	{"to", 's', 0, NULL, "截止月份"}, \
	{"amount", 's', 0, NULL, "减交后每月金额（元）"}, \
	{"reason", 's', 0, NULL, "原因"}, \
	{"decided_on", 'd', 0, NULL, "支部决定日期"}, \
	{"state", 's', 0, NULL, "pending 待上级审批 / approved 已批准 / rejected 未批准"}, \
	{"approval_note", 's', ZB_NULL, NULL, "审批意见"}
static const zb_prop reduction_props[] = {REDUCTION_PROPS, {0}};
static const zb_shape reduction_shape = {"DuesReduction", reduction_props, 0, 0, "党费减免"};
static const zb_prop reduction_item_props[] = {
	REDUCTION_PROPS,
	{"member_name", 's', 0, NULL, "党员姓名"},
	{"org_id", 'i', 0, NULL, "党员所在组织"},
	{"org_name", 's', 0, NULL, "党员所在组织名称"},
	{"can_decide", 'b', 0, NULL, "本人能否审批（在党员所在组织的上级党组织有党员管理权限）"},
	{0},
};
static const zb_shape reduction_item_shape = {"DuesReductionItem", reduction_item_props, 0, 0, "组织的党费减免"};
ZB_LIST_COUNTED(reduction_list, "DuesReductionList", &reduction_item_shape);
static const zb_prop member_dues_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "所在组织名称"},
	{"category", 's', 0, NULL, "类别"},
	{"join_date", 'd', ZB_NULL, NULL, "入党日期"},
	{"year", 'i', 0, NULL, "年份"},
	{"months", 'a', 0, &month_shape, "1 至 12 月"},
	{"paid_up_to", 's', ZB_NULL, NULL, "交清到的月份"},
	{"due_total", 's', 0, NULL, "本年到本月应交合计（元）"},
	{"paid_total", 's', 0, NULL, "本年各月实交合计（元）"},
	{"owed_total", 's', 0, NULL, "本年到本月欠交合计（元）"},
	{"bases", 'a', 0, &base_row_shape, "党费基数，新的在前"},
	{"payments", 'a', 0, &payment_shape, "本年缴费记录，新的在前"},
	{"reductions", 'a', 0, &reduction_shape, "减免记录，新的在前"},
	{0},
};
static const zb_shape member_dues_shape = {"MemberDues", member_dues_props, 0, 0, "党员的党费"};
static const zb_prop made_props[] = {
	{"id", 'i', 0, NULL, "缴费记录编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"amount", 's', 0, NULL, "金额（元）"},
	{"reverses", 'i', ZB_NULL, NULL, "冲正的缴费记录"},
	{0},
};
static const zb_shape made_shape = {"DuesPaymentMade", made_props, 0, 0, "登记的缴费"};
#define SUM_PROPS                                                                                      \
	{"members", 'i', 0, NULL, "党员数"}, {"owing", 'i', 0, NULL, "当月应交党费的人数"},                 \
	{"due", 's', 0, NULL, "应交（元）"}, {"paid", 's', 0, NULL, "实交（元）"},                         \
	{"owed", 's', 0, NULL, "欠交（元）"}, {"rate", 's', 0, NULL, "收缴率（%，两位小数）"},            \
	{"voluntary", 's', 0, NULL, "一次性自愿交纳（元）"}
static const zb_prop sum_props[] = {SUM_PROPS, {0}};
static const zb_shape sum_shape = {"DuesSum", sum_props, 0, 0, "党费收缴合计"};
static const zb_prop child_props[] = {
	{"org_id", 'i', 0, NULL, "下级组织"},
	{"name", 's', 0, NULL, "名称"},
	SUM_PROPS,
	{0},
};
static const zb_shape child_shape = {NULL, child_props, 0, 0, NULL};
static const zb_prop row_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"category", 's', 0, NULL, "类别"},
	{"kind", 's', ZB_NULL, NULL, "基数类别（未登记为 null）"},
	{"due", 's', ZB_NULL, NULL, "应交（元）"},
	{"paid", 's', 0, NULL, "实交（元）"},
	{"owed", 's', 0, NULL, "欠交（元）"},
	{"reduced", 's', ZB_NULL, NULL, "reduce、exempt 或 null"},
	{0},
};
static const zb_shape row_shape = {NULL, row_props, 0, 0, NULL};
static const zb_prop sheet_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"month", 's', 0, NULL, "月份"},
	{"recorded", 'i', ZB_OPT, NULL, "一键登记：本次登记的人数"},
	{"total", 'o', 0, &sum_shape, "本组织及下级合计"},
	{"members", 'a', 0, &row_shape, "本组织的党员"},
	{"children", 'a', 0, &child_shape, "各直属下级组织（含其下级）"},
	{0},
};
static const zb_shape sheet_shape = {"DuesSheet", sheet_props, 0, 0, "党费收缴月表"};

const zb_route zb_routes_dues[] = {
	{.method = "PUT", .pattern = "/api/v1/members/{id}/dues-base", .fn = h_base_put,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = base_fields,
	 .resp = ZB_OK(&base_shape), .tag = "dues", .summary = "登记党费基数（从起始月份起生效）"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/dues", .fn = h_member_dues,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&member_dues_shape),
	 .tag = "dues", .summary = "党员一年的党费：每月应交、实交、欠交，交清到的月份", .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/me/dues", .fn = h_my_dues,
	 .perm = P_SELF_READ, .resp = ZB_OK(&member_dues_shape),
	 .tag = "dues", .summary = "本人的党费", .query_doc = "year:integer"},
	{.method = "POST", .pattern = "/api/v1/dues/payments", .fn = h_pay,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = pay_fields,
	 .resp = ZB_CREATED(&made_shape), .tag = "dues", .summary = "登记交纳党费（一个或几个月，或一次性自愿交纳）"},
	{.method = "POST", .pattern = "/api/v1/dues/payments/{id}/reverse", .fn = h_reverse,
	 .perm = P_MEMBER_WRITE, .scope = S_DUES_PAYMENT, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = reverse_fields, .resp = ZB_CREATED(&made_shape), .tag = "dues",
	 .summary = "冲正一笔缴费（记一笔相反的记录，原记录不改）"},
	{.method = "POST", .pattern = "/api/v1/members/{id}/dues-reductions", .fn = h_reduction_add,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = reduction_fields, .resp = ZB_CREATED(&reduction_shape), .tag = "dues",
	 .summary = "登记支部讨论决定的党费减免，待上级党组织审批"},
	{.method = "POST", .pattern = "/api/v1/dues/reductions/{id}/decision", .fn = h_reduction_decide,
	 .perm = P_MEMBER_WRITE, .scope = S_DUES_REDUCTION, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = decide_fields, .resp = ZB_OK(&reduction_shape), .tag = "dues",
	 .summary = "上级党组织审批党费减免"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/dues-reductions", .fn = h_org_reductions,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&reduction_list), .tag = "dues",
	 .summary = "组织（含下级）党员的党费减免；state=pending 为待上级审批的",
	 .query_doc = "state:string,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/dues", .fn = h_org_dues,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&sheet_shape),
	 .tag = "dues", .summary = "党费收缴月表：应交、实交、欠交、收缴率，及各下级组织", .query_doc = "month:string"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/dues/bulk", .fn = h_bulk,
	 .perm = P_MEMBER_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 65536, .fields = bulk_fields,
	 .resp = ZB_OK(&sheet_shape), .tag = "dues", .summary = "按月一键登记：勾选的党员按当月应交金额登记"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/dues/report", .fn = h_report,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_MEDIA(XLSX_TYPE),
	 .tag = "dues", .summary = "党费收缴报表（xlsx）", .query_doc = "month:string"},
	{0},
};
