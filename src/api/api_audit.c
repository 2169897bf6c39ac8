/* api_audit.c - the audit trail, for the audit administrator only. */
#include "api/api.h"
#include "audit/audit.h"

static int h_audit_list(zb_req *r, zb_err *e)
{
	int64_t limit;
	zb_audit_filter f = {0};
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", INT64_MAX, 1, INT64_MAX, &f.before, e) ||
	    zb_req_query_int(r, "from", 0, 0, INT64_MAX, &f.from, e) ||
	    zb_req_query_int(r, "to", INT64_MAX, 0, INT64_MAX, &f.to, e) ||
	    zb_req_query_int(r, "user", 0, 0, INT64_MAX, &f.user, e))
		return e->code;
	f.action = zb_req_query(r, "action");
	f.object_type = zb_req_query(r, "object_type");
	f.object_id = zb_req_query(r, "object_id");
	const char **roots;
	int nroots = zb_authz_roots(r->who, P_AUDIT_READ, &r->arena, &roots);
	zb_audit_row *rows;
	int64_t n;
	int more;
	int rc = zb_audit_list(r->db, &f, roots, nroots, limit, &r->arena, &rows, &n, &more, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int64_t i = 0; i < n; i++) {
		const zb_audit_row *a = &rows[i];
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", a->id);
		jw_kint(&r->jw, "at", a->at);
		jw_kint(&r->jw, "user_id", a->user_id);
		jw_kstr(&r->jw, "username", a->username);
		jw_kstr(&r->jw, "ip", a->ip);
		jw_kstr(&r->jw, "action", a->action);
		jw_kstr(&r->jw, "object_type", a->object_type);
		jw_kstr(&r->jw, "object_id", a->object_id);
		jw_kstr(&r->jw, "org_path", a->org_path);
		jw_key(&r->jw, "detail");
		if (a->detail && *a->detail == '{')
			jw_raw(&r->jw, a->detail);
		else
			jw_str(&r->jw, a->detail);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, more && n ? zb_arena_printf(&r->arena, "%lld", (long long)rows[n - 1].id) : NULL);
	return 0;
}

static int h_audit_verify(zb_req *r, zb_err *e)
{
	zb_audit_flush();
	zb_audit_check c;
	int rc = zb_audit_verify(r->db, r->app, NULL, &c, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", c.ok);
	jw_kint(&r->jw, "rows", c.rows);
	jw_kint(&r->jw, "head_id", c.head_id);
	if (!c.ok) {
		if (c.bad_id)
			jw_kint(&r->jw, "bad_id", c.bad_id);
		jw_kstr(&r->jw, "reason", c.why);
	}
	jw_obj_end(&r->jw);
	return 0;
}

static const zb_prop audit_props[] = {
	{"id", 'i', 0, NULL, "审计记录编号"},
	{"at", 'i', 0, NULL, "时间（Unix 秒）"},
	{"user_id", 'i', 0, NULL, "操作者账号编号（0 为系统或未登录）"},
	{"username", 's', ZB_NULL, NULL, "操作者用户名"},
	{"ip", 's', ZB_NULL, NULL, "客户端地址"},
	{"action", 's', 0, NULL, "操作，如 member.update"},
	{"object_type", 's', ZB_NULL, NULL, "对象类别"},
	{"object_id", 's', ZB_NULL, NULL, "对象编号"},
	{"org_path", 's', ZB_NULL, NULL, "对象所属组织路径"},
	{"detail", 'j', ZB_NULL, NULL, "详情：JSON 对象或文字"},
	{0},
};
static const zb_shape audit_shape = {"AuditEntry", audit_props, 0, 0, "一条审计记录"};
ZB_LIST_PAGED(audit_list, "AuditList", &audit_shape);

static const zb_prop verify_props[] = {
	{"ok", 'b', 0, NULL, "审计链完好"},
	{"rows", 'i', 0, NULL, "校验的记录数"},
	{"head_id", 'i', 0, NULL, "链头记录编号"},
	{"bad_id", 'i', ZB_OPT, NULL, "第一条不符的记录（不完好时）"},
	{"reason", 's', ZB_OPT | ZB_NULL, NULL, "不完好的原因"},
	{0},
};
static const zb_shape verify_shape = {"AuditVerify", verify_props, 0, 0, "审计链校验结果"};

const zb_route zb_routes_audit[] = {
	{.method = "GET", .pattern = "/api/v1/audit", .fn = h_audit_list,
	 .perm = P_AUDIT_READ, .resp = ZB_OK(&audit_list),
	 .tag = "audit", .summary = "审计日志",
	 .query_doc = "user:integer,action:string,object_type:string,object_id:string,from:integer,to:integer,after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/audit/verify", .fn = h_audit_verify,
	 .perm = P_AUDIT_READ, .resp = ZB_OK(&verify_shape),
	 .tag = "audit", .summary = "校验审计链"},
	{0},
};
