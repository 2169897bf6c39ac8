/* api_transfers.c - 组织关系转接 and 流动党员 (transfer/transfer.h,
 * docs/TRANSFERS.md): start, issue, accept, return, the 回执, a transfer in
 * from outside, the printables, the sending side's read-only view, and the
 * registration of 流动党员. */
#include "api/api.h"
#include "transfer/transfer.h"

#include <string.h>

static const char *status_name(const char *s)
{
	static const struct {
		const char *code, *name;
	} t[] = {{"started", "待开具介绍信"}, {"issued", "介绍信已开具，待接收"}, {"accepted", "已接收，待回执"},
	         {"returned", "已退回"}, {"closed", "已办结"}};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(t[i].code, s))
			return t[i].name;
	return s;
}

static void kid(zb_jw *w, const char *k, int64_t v)
{
	if (v)
		jw_kint(w, k, v);
	else
		jw_knull(w, k);
}

static void write_transfer(zb_req *r, const zb_transfer *t)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kint(w, "member_id", t->member_id);
	jw_kstr(w, "member_name", t->member_name);
	jw_kstr(w, "direction", t->direction);
	jw_kstr(w, "status", t->status);
	jw_kstr(w, "status_name", status_name(t->status));
	kid(w, "from_org_id", t->from_org_id);
	jw_kstr(w, "from_org_name", t->from_org_name);
	jw_kstr(w, "from_committee_name", t->from_committee_name);
	kid(w, "to_org_id", t->to_org_id);
	jw_kstr(w, "to_org_name", t->to_org_name);
	jw_kstr(w, "to_committee_name", t->to_committee_name);
	jw_kstr(w, "outside_org", t->outside_org);
	jw_kstr(w, "outside_province", t->outside_province);
	jw_kbool(w, "across_provinces", t->across_provinces);
	jw_kstr(w, "reason", t->reason);
	jw_kstr(w, "dues_paid_to", t->dues_paid_to);
	jw_kstr(w, "letter_no", t->letter_no);
	jw_kstr(w, "issued_on", t->issued_on);
	if (t->valid_months)
		jw_kint(w, "valid_months", t->valid_months);
	else
		jw_knull(w, "valid_months");
	jw_kstr(w, "valid_until", t->valid_until);
	jw_kstr(w, "accepted_on", t->accepted_on);
	jw_kstr(w, "returned_on", t->returned_on);
	jw_kstr(w, "return_reason", t->return_reason);
	jw_kstr(w, "receipt_on", t->receipt_on);
	jw_kstr(w, "side", zb_transfer_side(t, r->who, P_MEMBER_READ));
	const char *acts[4];
	int n = zb_transfer_actions(t, r->who, acts);
	jw_karr(w, "actions");
	for (int i = 0; i < n; i++)
		jw_str(w, acts[i]);
	jw_arr_end(w);
	jw_kint(w, "created_at", t->created_at);
	jw_obj_end(w);
}

static int answer(zb_req *r, int64_t id, int status, zb_err *e)
{
	zb_transfer t;
	int rc = zb_transfer_get(r->db, id, &r->arena, &t, e);
	if (rc)
		return rc;
	r->status = status;
	write_transfer(r, &t);
	return 0;
}

/* ---- the steps ---- */

static const zb_field outside_fields[] = {
	{"org", 's', 1, 400, "接收组织名称（不在本平台）"},
	{"province", 's', 0, 100, "所在省份"},
	{"across_provinces", 'b', 0, 0, "是否跨省（介绍信有效期 6 个月）"},
	{0},
};

static int h_start(zb_req *r, zb_err *e)
{
	zb_transfer_start_in in = {0};
	zb_body_int(r, "member_id", &in.member_id);
	zb_body_int(r, "to_org_id", &in.to_org_id);
	in.to_org_code = zb_body_str(r, "to_org_code");
	if (in.to_org_code && in.to_org_id)
		return zb_fail(e, ZB_EINVAL, "to_org_code", "to_org_id 与 to_org_code 只能填一个");
	in.reason = zb_body_str(r, "reason");
	in.dues_paid_to = zb_body_str(r, "dues_paid_to");
	json_t *o = json_object_get(r->json, "to_outside");
	if (json_is_object(o)) {
		if (in.to_org_id || in.to_org_code)
			return zb_fail(e, ZB_EINVAL, "to_outside", "接收组织（to_org_id、to_org_code）与 to_outside 只能填一个");
		if (zb_json_check(o, outside_fields, e)) {
			zb_api_field_in(e, "to_outside", 0, NULL);
			return e->code;
		}
		in.outside_org = json_string_value(json_object_get(o, "org"));
		in.outside_province = json_string_value(json_object_get(o, "province"));
		in.across_provinces = json_is_true(json_object_get(o, "across_provinces"));
	} else if (in.to_org_id <= 0 && !in.to_org_code) {
		return zb_fail(e, ZB_EINVAL, "to_org_id",
		               "请选择接收党支部（to_org_id）或填写其组织编码（to_org_code），或填写系统外的接收组织（to_outside）");
	}
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	int rc = zb_transfer_start(r->db, r->app, &by, r->who, &in, &r->arena, &id, e);
	return rc ? rc : answer(r, id, 201, e);
}

static int h_issue(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_transfer_issue(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "issued_on"), &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 200, e);
}

static int h_accept(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_transfer_accept(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "accepted_on"), &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 200, e);
}

static int h_return(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_transfer_return(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "reason"), &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 200, e);
}

static int h_receipt(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_transfer_receipt(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "received_on"), &r->arena,
	                             e);
	return rc ? rc : answer(r, r->target_id, 200, e);
}

static int h_in(zb_req *r, zb_err *e)
{
	zb_transfer_in_in in;
	memset(&in, 0, sizeof in);
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (!zb_body_has(r, f->json))
			continue;
		*zb_member_field_ptr(&in.member.m, f) = zb_body_str(r, f->json);
		in.member.given |= f->bit;
	}
	zb_body_int(r, "org_id", &in.member.org_id);
	in.member.given |= ZB_MF_ORG;
	in.outside_org = zb_body_str(r, "from_org");
	in.outside_province = zb_body_str(r, "from_province");
	in.letter_no = zb_body_str(r, "letter_no");
	in.issued_on = zb_body_str(r, "issued_on");
	in.accepted_on = zb_body_str(r, "accepted_on");
	in.dues_paid_to = zb_body_str(r, "dues_paid_to");
	in.reason = zb_body_str(r, "reason");
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	int rc = zb_transfer_in(r->db, r->app, &by, r->who, &in, &r->arena, &id, e);
	return rc ? rc : answer(r, id, 201, e);
}

/* ---- reading ---- */

static int h_get(zb_req *r, zb_err *e)
{
	int rc = answer(r, r->target_id, 200, e);
	if (!rc)
		zb_req_audit_read(r, "transfer.read", "transfer", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	zb_transfer *v;
	int n;
	int rc = zb_transfer_list(r->db, r->target_path, (int)limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_transfer(r, &v[i]);
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "transfer.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* The transfer for a view of the sending side: a caller who may not read
 * the sending branch is answered as for a missing transfer. */
static int sending_side(zb_req *r, zb_transfer *t, zb_err *e)
{
	int rc = zb_transfer_get(r->db, r->target_id, &r->arena, t, e);
	if (rc)
		return rc;
	if (!t->from_path || !zb_authz_allows(r->who, P_MEMBER_READ, t->from_path))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内");
	return 0;
}

static int h_member(zb_req *r, zb_err *e)
{
	zb_transfer t;
	const char *record;
	zb_member_change_row *rows;
	int n;
	int rc = sending_side(r, &t, e);
	if (!rc)
		rc = zb_transfer_record(r->db, &t, &r->arena, &record, e);
	if (!rc)
		rc = zb_transfer_history(r->db, &t, &r->arena, &rows, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "transfer_id", t.id);
	jw_kint(w, "member_id", t.member_id);
	jw_kstr(w, "as_of", t.moved_at ? t.accepted_on : NULL);
	jw_kbool(w, "read_only", 1);
	jw_key(w, "record");
	jw_raw(w, record);
	jw_karr(w, "history");
	for (int i = 0; i < n; i++) {
		const zb_member_change_row *h = &rows[i];
		int org = !strcmp(h->kind, "org") || !strcmp(h->kind, "created") || !strcmp(h->kind, "group");
		jw_obj(w);
		jw_kstr(w, "kind", h->kind);
		jw_kstr(w, "from", org ? h->old_name : h->old_value);
		jw_kstr(w, "to", org ? h->new_name : h->new_value);
		jw_kstr(w, "date", h->effective_on);
		jw_kstr(w, "reason", h->reason);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "transfer.member", "member", t.member_id, t.from_path, NULL);
	return 0;
}

static int h_letter(zb_req *r, zb_err *e)
{
	zb_transfer t;
	zb_transfer_rules rules;
	int rc = sending_side(r, &t, e);
	if (!rc && !t.letter_no)
		rc = zb_fail(e, ZB_ECONFLICT, "status", "介绍信尚未开具");
	if (!rc)
		rc = zb_transfer_rules_get(r->db, t.from_path, t.issued_on, &rules, e);
	if (rc)
		return rc;
	zb_buf_reset(&r->out);
	if (zb_transfer_letter_html(&t, &rules, &r->out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "介绍信过大，无法生成打印页");
	r->content_type = "text/html; charset=utf-8";
	zb_req_audit_read(r, "transfer.print", "transfer", t.id, r->target_path, "{\"what\":\"letter\"}");
	return 0;
}

static int h_receipt_print(zb_req *r, zb_err *e)
{
	zb_transfer t;
	int rc = zb_transfer_get(r->db, r->target_id, &r->arena, &t, e);
	if (rc)
		return rc;
	if (!t.accepted_on)
		return zb_fail(e, ZB_ECONFLICT, "status", "尚未接收，没有回执");
	zb_buf_reset(&r->out);
	if (zb_transfer_receipt_html(&t, &r->out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "回执过大，无法生成打印页");
	r->content_type = "text/html; charset=utf-8";
	zb_req_audit_read(r, "transfer.print", "transfer", t.id, r->target_path, "{\"what\":\"receipt\"}");
	return 0;
}

/* ---- 流动党员 ---- */

static void write_mobile(zb_req *r, const zb_mobile *m)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "member_id", m->member_id);
	jw_kstr(w, "member_name", m->member_name);
	jw_kstr(w, "left_on", m->left_on);
	jw_kstr(w, "until_on", m->until_on);
	jw_kbool(w, "no_fixed_place", m->no_fixed_place);
	jw_kstr(w, "destination", m->destination);
	jw_kstr(w, "contact", m->contact);
	kid(w, "care_org_id", m->care_org_id);
	jw_kstr(w, "care_org_name", m->care_org_name);
	jw_kstr(w, "paper", m->paper);
	jw_kstr(w, "paper_name", zb_mobile_paper_name(m->paper));
	jw_kstr(w, "paper_no", m->paper_no);
	jw_kstr(w, "ended_on", m->ended_on);
	jw_obj_end(w);
}

static int write_mobiles(zb_req *r, const char *path, int64_t member_id, zb_err *e)
{
	zb_mobile *v;
	int n;
	int rc = zb_mobile_list(r->db, path, member_id, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_mobile(r, &v[i]);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_mobile_register(zb_req *r, zb_err *e)
{
	zb_mobile m = {0};
	m.member_id = r->target_id;
	m.left_on = zb_body_str(r, "left_on");
	m.until_on = zb_body_str(r, "until_on");
	json_t *nf = json_object_get(r->json, "no_fixed_place");
	m.no_fixed_place = json_is_true(nf);
	m.destination = zb_body_str(r, "destination");
	m.contact = zb_body_str(r, "contact");
	zb_body_int(r, "care_org_id", &m.care_org_id);
	m.care_org_name = zb_body_str(r, "care_org_name");
	m.care_org_code = zb_body_str(r, "care_org_code");
	m.paper_no = zb_body_str(r, "paper_no");
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	int rc = zb_mobile_register(r->db, r->app, &by, r->who, &m, &r->arena, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_mobiles(r, NULL, r->target_id, e);
}

static int h_mobile_end(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_mobile_end(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "ended_on"), &r->arena, e);
	return rc ? rc : write_mobiles(r, NULL, r->target_id, e);
}

static int h_mobile_member(zb_req *r, zb_err *e)
{
	int rc = write_mobiles(r, NULL, r->target_id, e);
	if (!rc)
		zb_req_audit_read(r, "mobile.read", "member", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_mobile_paper(zb_req *r, zb_err *e)
{
	int64_t id = 0;
	zb_buf_reset(&r->out);
	int rc = zb_mobile_paper_print(r->db, r->target_id, &r->arena, &r->out, &id, e);
	if (rc)
		return rc;
	r->content_type = "text/html; charset=utf-8";
	zb_req_audit_read(r, "mobile.print", "mobile_member", id, r->target_path, NULL);
	return 0;
}

static int h_mobile_org(zb_req *r, zb_err *e)
{
	int rc = write_mobiles(r, r->target_path, 0, e);
	if (!rc)
		zb_req_audit_read(r, "mobile.list", "org", r->target_id, r->target_path, NULL);
	return rc;
}

/* ---- request bodies ---- */

static const zb_field start_fields[] = {
	{"member_id", 'i', 1, 0, "党员编号"},
	{"to_org_id", 'i', 0, 0, "接收党支部（本平台内、您可查看的）"},
	{"to_org_code", 's', 0, 64, "接收党支部的组织编码（本平台内任何党支部，由接收方告知）"},
	{"to_outside", 'o', 0, 0, "系统外的接收组织：{org, province, across_provinces}"},
	{"reason", 's', 1, 1000, "转接原因"},
	{"dues_paid_to", 's', 0, 7, "党费交到的月份 YYYY-MM（不填：按本平台党费记录）"},
	{0},
};
static const zb_field issue_fields[] = {
	{"issued_on", 'd', 0, 10, "开具日期（默认今天）"},
	{0},
};
static const zb_field accept_fields[] = {
	{"accepted_on", 'd', 0, 10, "接收日期（默认今天；组织关系从这一天起转入）"},
	{0},
};
static const zb_field return_fields[] = {
	{"reason", 's', 1, 1000, "退回原因"},
	{0},
};
static const zb_field receipt_fields[] = {
	{"received_on", 'd', 0, 10, "回执日期（系统外转出：回执上的接收日期；默认今天）"},
	{0},
};
static const zb_field in_fields[] = {
	{"org_id", 'i', 1, 0, "接收党支部"},
	{"name", 's', 1, 200, "姓名"},
	{"id_number", 's', 1, 64, "身份证号"},
	{"gender", 's', 0, 16, "性别"},
	{"ethnicity", 's', 0, 100, "民族"},
	{"education", 's', 0, 64, "学历"},
	{"work_unit", 's', 0, 800, "工作单位"},
	{"phone", 's', 0, 64, "联系电话"},
	{"category", 's', 1, 32, "人员类别"},
	{"join_date", 'd', 1, 10, "入党日期"},
	{"full_date", 'd', 0, 10, "转正日期"},
	{"from_org", 's', 1, 400, "原所在组织（开具介绍信的党组织）"},
	{"from_province", 's', 0, 100, "原所在省份"},
	{"letter_no", 's', 1, 100, "介绍信编号"},
	{"issued_on", 'd', 1, 10, "介绍信开具日期"},
	{"accepted_on", 'd', 0, 10, "接收日期（默认今天）"},
	{"dues_paid_to", 's', 0, 7, "党费交到的月份 YYYY-MM（不填：按本平台党费记录）"},
	{"reason", 's', 1, 1000, "转接原因"},
	{0},
};
static const zb_field mobile_fields[] = {
	{"left_on", 'd', 1, 10, "外出日期"},
	{"until_on", 'd', 0, 10, "预计返回日期"},
	{"no_fixed_place", 'b', 0, 0, "无固定地点"},
	{"destination", 's', 1, 400, "外出去向"},
	{"contact", 's', 0, 200, "联系方式"},
	{"care_org_id", 'i', 0, 0, "流入地党组织（本平台内）"},
	{"care_org_code", 's', 0, 64, "流入地党组织的组织编码（本平台内任何党组织）"},
	{"care_org_name", 's', 0, 400, "流入地党组织或流动党员党支部、网络支部名称"},
	{"paper_no", 's', 0, 100, "证明信或活动证编号"},
	{0},
};
static const zb_field mobile_end_fields[] = {
	{"ended_on", 'd', 0, 10, "返回日期（默认今天）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop transfer_props[] = {
	{"id", 'i', 0, NULL, "转接编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"member_name", 's', 0, NULL, "姓名"},
	{"direction", 's', 0, NULL, "within 平台内 / out 转往系统外 / in 从系统外转入"},
	{"status", 's', 0, NULL, "started / issued / accepted / returned / closed"},
	{"status_name", 's', 0, NULL, "状态名称"},
	{"from_org_id", 'i', ZB_NULL, NULL, "发出党支部"},
	{"from_org_name", 's', ZB_NULL, NULL, "发出党支部名称"},
	{"from_committee_name", 's', ZB_NULL, NULL, "开具介绍信的党委"},
	{"to_org_id", 'i', ZB_NULL, NULL, "接收党支部"},
	{"to_org_name", 's', ZB_NULL, NULL, "接收党支部名称"},
	{"to_committee_name", 's', ZB_NULL, NULL, "接收方党委"},
	{"outside_org", 's', ZB_NULL, NULL, "系统外组织名称"},
	{"outside_province", 's', ZB_NULL, NULL, "系统外组织所在省份"},
	{"across_provinces", 'b', 0, NULL, "跨省"},
	{"reason", 's', 0, NULL, "转接原因"},
	{"dues_paid_to", 's', 0, NULL, "党费交到的月份"},
	{"letter_no", 's', ZB_NULL, NULL, "介绍信编号"},
	{"issued_on", 'd', ZB_NULL, NULL, "开具日期"},
	{"valid_months", 'i', ZB_NULL, NULL, "有效月数"},
	{"valid_until", 'd', ZB_NULL, NULL, "有效期至（含当天）"},
	{"accepted_on", 'd', ZB_NULL, NULL, "接收日期"},
	{"returned_on", 'd', ZB_NULL, NULL, "退回日期"},
	{"return_reason", 's', ZB_NULL, NULL, "退回原因"},
	{"receipt_on", 'd', ZB_NULL, NULL, "回执日期"},
	{"side", 's', ZB_NULL, NULL, "调用者所在一方：from 发出方 / to 接收方"},
	{"actions", 'a', 0, &zb_shape_string, "调用者现在可办理的步骤：issue / accept / return / receipt"},
	{"created_at", 'i', 0, NULL, "发起时间（Unix 秒）"},
	{0},
};
static const zb_shape transfer_shape = {"Transfer", transfer_props, 0, 0, "组织关系转接"};
ZB_LIST_COUNTED(transfer_list, "TransferList", &transfer_shape);

static const zb_prop record_props[] = {
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"gender", 's', ZB_NULL, NULL, "性别"},
	{"ethnicity", 's', ZB_NULL, NULL, "民族"},
	{"birth_month", 's', ZB_NULL, NULL, "出生年月"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（隐去）"},
	{"education", 's', ZB_NULL, NULL, "学历"},
	{"work_unit", 's', ZB_NULL, NULL, "工作单位"},
	{"job_title", 's', ZB_NULL, NULL, "职务"},
	{"category", 's', ZB_NULL, NULL, "人员类别"},
	{"join_date", 'd', ZB_NULL, NULL, "入党日期"},
	{"full_date", 'd', ZB_NULL, NULL, "转正日期"},
	{"status", 's', ZB_NULL, NULL, "党籍状态"},
	{"org_name", 's', ZB_NULL, NULL, "所在党支部"},
	{0},
};
static const zb_shape record_shape = {NULL, record_props, 0, 0, NULL};
static const zb_prop change_props[] = {
	{"kind", 's', 0, NULL, "变动类别"},
	{"from", 's', ZB_NULL, NULL, "变动前"},
	{"to", 's', ZB_NULL, NULL, "变动后"},
	{"date", 'd', ZB_NULL, NULL, "生效日期"},
	{"reason", 's', ZB_NULL, NULL, "原因"},
	{0},
};
static const zb_shape change_shape = {NULL, change_props, 0, 0, NULL};
static const zb_prop view_props[] = {
	{"transfer_id", 'i', 0, NULL, "转接编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"as_of", 'd', ZB_NULL, NULL, "转出日期（尚未转出为 null）"},
	{"read_only", 'b', 0, NULL, "只读"},
	{"record", 'o', 0, &record_shape, "转出时的档案"},
	{"history", 'a', 0, &change_shape, "转出之前的变动记录"},
	{0},
};
static const zb_shape view_shape = {"TransferMemberView", view_props, 0, 0, "发出方保留的只读档案与变动记录"};

static const zb_prop mobile_props[] = {
	{"id", 'i', 0, NULL, "登记编号"},
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"member_name", 's', 0, NULL, "姓名"},
	{"left_on", 'd', 0, NULL, "外出日期"},
	{"until_on", 'd', ZB_NULL, NULL, "预计返回日期"},
	{"no_fixed_place", 'b', 0, NULL, "无固定地点"},
	{"destination", 's', 0, NULL, "外出去向"},
	{"contact", 's', ZB_NULL, NULL, "联系方式"},
	{"care_org_id", 'i', ZB_NULL, NULL, "流入地党组织（本平台内）"},
	{"care_org_name", 's', ZB_NULL, NULL, "流入地党组织名称"},
	{"paper", 's', 0, NULL, "none / certificate 证明信 / activity_card 活动证"},
	{"paper_name", 's', 0, NULL, "所需证明"},
	{"paper_no", 's', ZB_NULL, NULL, "证明编号"},
	{"ended_on", 'd', ZB_NULL, NULL, "返回日期"},
	{0},
};
static const zb_shape mobile_shape = {"MobileMember", mobile_props, 0, 0, "流动党员登记"};
ZB_LIST_COUNTED(mobile_list, "MobileMemberList", &mobile_shape);

const zb_route zb_routes_transfers[] = {
	{.method = "POST", .pattern = "/api/v1/transfers", .fn = h_start,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = start_fields, .resp = ZB_CREATED(&transfer_shape),
	 .tag = "transfers", .summary = "发起组织关系转接（发出党支部）"},
	{.method = "POST", .pattern = "/api/v1/transfers/in", .fn = h_in,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = in_fields, .resp = ZB_CREATED(&transfer_shape),
	 .tag = "transfers", .summary = "从系统外转入：按介绍信建立党员档案"},
	{.method = "GET", .pattern = "/api/v1/transfers/{id}", .fn = h_get,
	 .perm = P_MEMBER_READ, .scope = S_TRANSFER, .resp = ZB_OK(&transfer_shape),
	 .tag = "transfers", .summary = "组织关系转接详情"},
	{.method = "POST", .pattern = "/api/v1/transfers/{id}/issue", .fn = h_issue,
	 .perm = P_MEMBER_WRITE, .scope = S_TRANSFER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = issue_fields, .resp = ZB_OK(&transfer_shape),
	 .tag = "transfers", .summary = "开具介绍信（发出方党委）"},
	{.method = "POST", .pattern = "/api/v1/transfers/{id}/accept", .fn = h_accept,
	 .perm = P_MEMBER_WRITE, .scope = S_TRANSFER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = accept_fields, .resp = ZB_OK(&transfer_shape),
	 .tag = "transfers", .summary = "接收介绍信（接收方党委），党员转入接收党支部"},
	{.method = "POST", .pattern = "/api/v1/transfers/{id}/return", .fn = h_return,
	 .perm = P_MEMBER_WRITE, .scope = S_TRANSFER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = return_fields, .resp = ZB_OK(&transfer_shape),
	 .tag = "transfers", .summary = "退回介绍信（接收方党委，说明原因）"},
	{.method = "POST", .pattern = "/api/v1/transfers/{id}/receipt", .fn = h_receipt,
	 .perm = P_MEMBER_WRITE, .scope = S_TRANSFER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = receipt_fields, .resp = ZB_OK(&transfer_shape),
	 .tag = "transfers", .summary = "登记回执，办结"},
	{.method = "GET", .pattern = "/api/v1/transfers/{id}/receipt", .fn = h_receipt_print,
	 .perm = P_MEMBER_READ, .scope = S_TRANSFER, .resp = ZB_MEDIA("text/html"),
	 .tag = "transfers", .summary = "打印回执（HTML）"},
	{.method = "GET", .pattern = "/api/v1/transfers/{id}/letter", .fn = h_letter,
	 .perm = P_MEMBER_READ, .scope = S_TRANSFER, .resp = ZB_MEDIA("text/html"),
	 .tag = "transfers", .summary = "打印介绍信及存根、回执联（HTML，发出方）"},
	{.method = "GET", .pattern = "/api/v1/transfers/{id}/member", .fn = h_member,
	 .perm = P_MEMBER_READ, .scope = S_TRANSFER, .resp = ZB_OK(&view_shape),
	 .tag = "transfers", .summary = "发出方保留的只读档案与转出前的变动记录"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/transfers", .fn = h_list,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&transfer_list),
	 .tag = "transfers", .summary = "组织（含下级）转出与转入的组织关系转接",
	 .query_doc = "limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/mobile-members", .fn = h_mobile_org,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&mobile_list),
	 .tag = "transfers", .summary = "组织（含下级）的流动党员登记"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/mobile", .fn = h_mobile_member,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&mobile_list),
	 .tag = "transfers", .summary = "党员的流动党员登记"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/mobile/paper", .fn = h_mobile_paper,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_MEDIA("text/html"),
	 .tag = "transfers", .summary = "打印流动党员证明信或活动证（HTML，最近一次登记）"},
	{.method = "POST", .pattern = "/api/v1/members/{id}/mobile", .fn = h_mobile_register,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = mobile_fields, .resp = ZB_CREATED(&mobile_list),
	 .tag = "transfers", .summary = "登记流动党员（按外出时间和地点确定所需证明）"},
	{.method = "POST", .pattern = "/api/v1/members/{id}/mobile/end", .fn = h_mobile_end,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = mobile_end_fields, .resp = ZB_OK(&mobile_list),
	 .tag = "transfers", .summary = "流动党员返回，结束登记"},
	{0},
};
