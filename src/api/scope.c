#include "api/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int path_of(zb_req *r, const char *sql, int64_t id, zb_err *e)
{
	zb_stmt *st = zb_db_query(r->db, e, sql, "i", id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		r->target_path = zb_arena_strdup(&r->arena, zb_col_text(st, 0));
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (rc == 0 || !r->target_path)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内");
	r->target_id = id;
	return 0;
}

/* An object named by a body field.  Missing and outside the caller's scope
 * get the same answer, naming the field so that a form can mark it; the
 * dispatcher's own out-of-scope answer names no field, so the scope is
 * decided here for these kinds. */
static int body_path_of(zb_req *r, const char *sql, int64_t id, const char *field, zb_err *e)
{
	int rc = path_of(r, sql, id, e);
	if (!rc && !zb_authz_allows(r->who, r->route->perm, r->target_path))
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内");
	if (rc == ZB_ENOTFOUND)
		snprintf(e->field, sizeof e->field, "%s", field);
	return rc;
}

static int id_from(const char *s, int64_t *out)
{
	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	*out = strtoll(s, NULL, 10);
	return *out > 0;
}

int zb_scope_resolve(zb_req *r, zb_scope s, zb_err *e)
{
	int64_t id = 0;
	switch (s) {
	case S_NONE:
		return 0;
	case S_ORG:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT path FROM orgs WHERE id = ?", id, e);
	case S_MEMBER:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT org_path FROM members WHERE id = ?", id, e);
	case S_MEETING:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT o.path FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?", id, e);
	case S_IMPORT:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT o.path FROM import_batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = ?", id, e);
	case S_GRANT:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT o.path FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.id = ?", id, e);
	case S_POST:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT o.path FROM committee_posts p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?", id, e);
	case S_UNIT:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT org_path FROM units WHERE id = ?", id, e);
	case S_ALLIANCE:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT org_path FROM alliances WHERE id = ?", id, e);
	case S_ATTACHMENT:
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		return path_of(r, "SELECT m.org_path FROM meeting_attachments a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ?",
		               id, e);
	case S_BODY_MEMBER: {
		if (!zb_body_int(r, "member_id", &id))
			return zb_fail(e, ZB_EINVAL, "member_id", "缺少党员编号（member_id）");
		return body_path_of(r, "SELECT org_path FROM members WHERE id = ?", id, "member_id", e);
	}
	case S_QUERY_ORG: {
		const char *q = zb_req_query(r, "org");
		if (!q || !*q)
			return zb_fail(e, ZB_EINVAL, "org", "缺少参数 org（组织编号）");
		if (!id_from(q, &id))
			return zb_fail(e, ZB_ENOTFOUND, "org", "未找到该组织，或不在您的管理范围内");
		return path_of(r, "SELECT path FROM orgs WHERE id = ?", id, e);
	}
	case S_BODY_ORG: {
		if (!zb_body_int(r, "org_id", &id) && !zb_body_int(r, "parent_id", &id))
			return zb_fail(e, ZB_EINVAL, "org_id", "缺少所属组织（org_id）");
		return body_path_of(r, "SELECT path FROM orgs WHERE id = ?", id, zb_body_has(r, "org_id") ? "org_id" : "parent_id",
		                    e);
	}
	case S_USER: {
		if (zb_req_param_id(r, 0, &id, e))
			return e->code;
		/* a user belongs where their first grant is; users without
		 * grants belong to the root (only root-level admins see them) */
		int rc = path_of(r,
		                 "SELECT COALESCE((SELECT o.path FROM grants g JOIN orgs o ON o.id = g.org_id "
		                 "WHERE g.user_id = u.id ORDER BY length(o.path), g.id LIMIT 1), "
		                 "(SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1)) "
		                 "FROM users u WHERE u.id = ?",
		                 id, e);
		return rc;
	}
	case S_SCOPE_MAX:
		break;
	}
	return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：未知的范围类型");
}
