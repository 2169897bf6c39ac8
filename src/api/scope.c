/* scope.c - the scope resolvers of the API's route kinds: where in the
 * request the target object is named (path, query or body) and which
 * org path it lies under (org/scopefind.h).  Registered with the
 * dispatcher at start-up (zb_api_register). */
#include "api/scope.h"
#include "org/scopefind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int path_of(zb_req *r, zb_obj kind, int64_t id, zb_err *e)
{
	const char *path;
	int rc = zb_obj_path(r->db, kind, id, &r->arena, &path, e);
	if (rc)
		return rc;
	r->target_path = path;
	r->target_id = id;
	return 0;
}

/* Kinds whose object is named by path parameter 0, and what it is. */
static const struct {
	zb_scope scope;
	zb_obj obj;
} by_param_kinds[] = {
	{S_ORG, ZB_OBJ_ORG},
	{S_MEMBER, ZB_OBJ_MEMBER},
	{S_MEETING, ZB_OBJ_MEETING},
	{S_IMPORT, ZB_OBJ_IMPORT},
	{S_GRANT, ZB_OBJ_GRANT},
	{S_POST, ZB_OBJ_POST},
	{S_UNIT, ZB_OBJ_UNIT},
	{S_ALLIANCE, ZB_OBJ_ALLIANCE},
	{S_ATTACHMENT, ZB_OBJ_ATTACHMENT},
	{S_USER, ZB_OBJ_USER},
	{S_DUES_PAYMENT, ZB_OBJ_DUES_PAYMENT},
	{S_DUES_REDUCTION, ZB_OBJ_DUES_REDUCTION},
	{S_APPLICANT, ZB_OBJ_APPLICANT},
	{S_RIMPORT, ZB_OBJ_IMPORT},
	{S_RESERVE, ZB_OBJ_RESERVE},
	{S_DUNIT, ZB_OBJ_DUNIT},
	{S_CADRE, ZB_OBJ_CADRE},
	{S_VTEAM, ZB_OBJ_VTEAM},
	{S_VPOSTING, ZB_OBJ_VPOSTING},
	{S_VLEAVE, ZB_OBJ_VLEAVE},
	{S_DISCLOSURE, ZB_OBJ_DISCLOSURE},
	{S_AID_HOUSEHOLD, ZB_OBJ_AID_HOUSEHOLD},
	{S_AID_PAIR, ZB_OBJ_AID_PAIR},
	{S_AID_AREA, ZB_OBJ_AID_AREA},
	{S_AID_IMPORT, ZB_OBJ_IMPORT},
	{S_AID_VISIT, ZB_OBJ_AID_VISIT},
	{S_AID_PHOTO, ZB_OBJ_AID_PHOTO},
	{S_VFILE, ZB_OBJ_VFILE},
	{S_STUDY_SESSION, ZB_OBJ_STUDY_SESSION},
	{S_STUDY_IMPORT, ZB_OBJ_IMPORT},
	{S_COURSE, ZB_OBJ_COURSE},
	{S_TASK, ZB_OBJ_TASK},
	{S_TASK_TARGET, ZB_OBJ_TASK_TARGET},
	{S_TASK_FILE, ZB_OBJ_TASK_FILE},
	{S_NOTICE, ZB_OBJ_NOTICE},
	{S_WEAK_LISTING, ZB_OBJ_WEAK_LISTING},
	{S_WEAK_MEASURE, ZB_OBJ_WEAK_MEASURE},
	{S_WEAK_PROGRESS, ZB_OBJ_WEAK_PROGRESS},
	{S_POINTS_ITEM, ZB_OBJ_POINTS_ITEM},
	{S_DUTY_REPORT, ZB_OBJ_DUTY_REPORT},
	{S_DUTY_FILE, ZB_OBJ_DUTY_FILE},
	{S_VREVIEW, ZB_OBJ_VREVIEW},
};
#define NPARAM_KINDS (sizeof by_param_kinds / sizeof by_param_kinds[0])

static int by_param(zb_req *r, zb_scope kind, zb_err *e)
{
	size_t i = 0;
	while (i < NPARAM_KINDS && by_param_kinds[i].scope != kind)
		i++;
	if (i == NPARAM_KINDS)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：未知的范围类型");
	int64_t id = 0;
	if (zb_req_param_id(r, 0, &id, e))
		return e->code;
	return path_of(r, by_param_kinds[i].obj, id, e);
}

/* An object named by a body field.  Missing and outside the caller's scope
 * get the same answer, naming the field so that a form can mark it; the
 * dispatcher's own out-of-scope answer names no field, so the scope is
 * decided here for these kinds. */
static int body_path_of(zb_req *r, zb_obj kind, int64_t id, const char *field, zb_err *e)
{
	int rc = path_of(r, kind, id, e);
	if (!rc && !zb_authz_allows(r->who, r->route->perm, r->target_path))
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内");
	if (rc == ZB_ENOTFOUND)
		snprintf(e->field, sizeof e->field, "%s", field);
	return rc;
}

static int body_member(zb_req *r, zb_scope kind, zb_err *e)
{
	(void)kind;
	int64_t id = 0;
	if (!zb_body_int(r, "member_id", &id))
		return zb_fail(e, ZB_EINVAL, "member_id", "缺少党员编号（member_id）");
	return body_path_of(r, ZB_OBJ_MEMBER, id, "member_id", e);
}

static int body_org(zb_req *r, zb_scope kind, zb_err *e)
{
	(void)kind;
	int64_t id = 0;
	if (!zb_body_int(r, "org_id", &id) && !zb_body_int(r, "parent_id", &id))
		return zb_fail(e, ZB_EINVAL, "org_id", "缺少所属组织（org_id）");
	return body_path_of(r, ZB_OBJ_ORG, id, zb_body_has(r, "org_id") ? "org_id" : "parent_id", e);
}

/* A transfer has two sides: the sending branch, and the receiving branch
 * for a caller who holds the route's permission only there (what each side
 * may do is the domain's decision, transfer/transfer.h). */
static int transfer_side(zb_req *r, zb_scope kind, zb_err *e)
{
	(void)kind;
	int64_t id = 0;
	if (zb_req_param_id(r, 0, &id, e))
		return e->code;
	int rc = path_of(r, ZB_OBJ_TRANSFER, id, e);
	if (!rc && !zb_authz_allows(r->who, r->route->perm, r->target_path))
		rc = path_of(r, ZB_OBJ_TRANSFER_TO, id, e);
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

static int query_org(zb_req *r, zb_scope kind, zb_err *e)
{
	(void)kind;
	int64_t id = 0;
	const char *q = zb_req_query(r, "org");
	if (!q || !*q)
		return zb_fail(e, ZB_EINVAL, "org", "缺少参数 org（组织编号）");
	if (!id_from(q, &id))
		return zb_fail(e, ZB_ENOTFOUND, "org", "未找到该组织，或不在您的管理范围内");
	return path_of(r, ZB_OBJ_ORG, id, e);
}

void zb_scope_resolvers_register(void)
{
	for (size_t i = 0; i < NPARAM_KINDS; i++)
		zb_scope_register(by_param_kinds[i].scope, by_param);
	zb_scope_register(S_BODY_MEMBER, body_member);
	zb_scope_register(S_BODY_ORG, body_org);
	zb_scope_register(S_QUERY_ORG, query_org);
	zb_scope_register(S_TRANSFER, transfer_side);
}
