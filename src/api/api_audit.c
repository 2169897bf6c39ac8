/* api_audit.c - the audit trail, for the audit administrator only. */
#include "api/api.h"
#include "audit/audit.h"

#include <string.h>

static int h_audit_list(zb_req *r, zb_err *e)
{
	int64_t limit, after, from, to, user;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", INT64_MAX, 1, INT64_MAX, &after, e) ||
	    zb_req_query_int(r, "from", 0, 0, INT64_MAX, &from, e) ||
	    zb_req_query_int(r, "to", INT64_MAX, 0, INT64_MAX, &to, e) ||
	    zb_req_query_int(r, "user", 0, 0, INT64_MAX, &user, e))
		return e->code;
	const char *action = zb_req_query(r, "action");
	const char *otype = zb_req_query(r, "object_type");
	const char *oid = zb_req_query(r, "object_id");
	const char **roots;
	int nroots = zb_authz_roots(r->who, P_AUDIT_READ, &r->arena, &roots);
	/* rows without an org (logins, accounts) belong to the root */
	zb_stmt *st = zb_db_query(
		r->db, e,
		"SELECT id, at, user_id, username, ip, action, object_type, object_id, org_path, detail FROM audit_log "
		"WHERE id < ? AND at >= ? AND at <= ? AND (CAST(? AS BIGINT) = 0 OR user_id = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR action = ? OR action LIKE ?) "
		"AND (CAST(? AS TEXT) IS NULL OR object_type = ?) AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
		"ORDER BY id DESC LIMIT ?",
		"iiiiisssssssi", after, from, to, user, user, action, action,
		action ? zb_arena_printf(&r->arena, "%s.%%", action) : NULL, otype, otype, oid, oid, limit * 4 + 1);
	if (!st)
		return e->code;
	zb_list_begin(r);
	int64_t n = 0, last = 0;
	int rc, more = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		const char *path = zb_col_text(st, 8);
		int ok = 0;
		for (int i = 0; i < nroots && !ok; i++)
			ok = path ? zb_path_within(path, roots[i]) : strchr(roots[i] + 1, '/') == roots[i] + strlen(roots[i]) - 1;
		if (!ok)
			continue;
		if (n == limit) {
			more = 1;
			break;
		}
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", zb_col_int(st, 0));
		jw_kint(&r->jw, "at", zb_col_int(st, 1));
		jw_kint(&r->jw, "user_id", zb_col_int(st, 2));
		jw_kstr(&r->jw, "username", zb_col_text(st, 3));
		jw_kstr(&r->jw, "ip", zb_col_text(st, 4));
		jw_kstr(&r->jw, "action", zb_col_text(st, 5));
		jw_kstr(&r->jw, "object_type", zb_col_text(st, 6));
		jw_kstr(&r->jw, "object_id", zb_col_text(st, 7));
		jw_kstr(&r->jw, "org_path", path);
		jw_key(&r->jw, "detail");
		const char *d = zb_col_text(st, 9);
		if (d && *d == '{')
			jw_raw(&r->jw, d);
		else
			jw_str(&r->jw, d);
		jw_obj_end(&r->jw);
		last = zb_col_int(st, 0);
		n++;
	}
	if (rc == 1 && !more && n == limit)
		more = 1;
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_end(r, -1, more ? zb_arena_printf(&r->arena, "%lld", (long long)last) : NULL);
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
	{"GET", "/api/v1/audit", h_audit_list, P_AUDIT_READ, S_NONE, 0, 0, NULL, "audit", "审计日志",
	 "user:integer,action:string,object_type:string,object_id:string,from:integer,to:integer,after:integer,limit:integer",
	 ZB_OK(&audit_list)},
	{"GET", "/api/v1/audit/verify", h_audit_verify, P_AUDIT_READ, S_NONE, 0, 0, NULL, "audit", "校验审计链", NULL,
	 ZB_OK(&verify_shape)},
	{0},
};
