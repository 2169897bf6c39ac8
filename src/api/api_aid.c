/* api_aid.c - 帮扶 over HTTP: households, their helpers and visits, exit,
 * 责任区, the coverage of a subtree, a helper's own households and the
 * import of households and pairings.  The records and rules live in aid/
 * (aid.h, aimport.h); this file reads requests, calls one domain
 * function, masks what the caller may not see and writes JSON. */
#include "aid/aid.h"
#include "aid/aimport.h"
#include "api/api.h"
#include "io/membudget.h"
#include "meeting/attach.h"
#include "member/member.h"
#include "village/cadre.h"

#include <string.h>

static void today_of(zb_req *r, char today[11])
{
	zb_today(r->app, today);
}

/* ---- coverage ---------------------------------------------------------------------- */

static int h_coverage(zb_req *r, zb_err *e)
{
	char today[11];
	today_of(r, today);
	zb_aid_coverage c;
	int rc = zb_aid_coverage_get(r->db, r->target_path, today, &r->arena, &c, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "as_of", today);
	jw_kint(w, "households", c.households);
	jw_kint(w, "with_helper", c.with_helper);
	jw_kint(w, "without_helper", c.without_helper);
	jw_kint(w, "visited_on_time", c.visited_on_time);
	jw_kint(w, "overdue", c.overdue);
	jw_kint(w, "exited", c.exited);
	jw_kobj(w, "by_status");
	jw_kint(w, "helping", c.by_status[0]);
	jw_kint(w, "lifted", c.by_status[1]);
	jw_kint(w, "monitor", c.by_status[2]);
	jw_obj_end(w);
	jw_kobj(w, "contacts");
	jw_kint(w, "households", c.contact_households);
	jw_kint(w, "pairs", c.contact_pairs);
	jw_kint(w, "on_time", c.contact_on_time);
	jw_obj_end(w);
	jw_kint(w, "in_area", c.in_area);
	jw_kint(w, "helpers", c.helpers);
	jw_kint(w, "helpers_with_overdue", c.helpers_with_overdue);
	jw_karr(w, "helpers_overdue");
	for (int i = 0; i < c.nhelpers_overdue; i++) {
		const zb_aid_helper_due *h = &c.helpers_overdue[i];
		jw_obj(w);
		zb_api_kid_or_null(w, "member_id", h->member_id);
		zb_api_kid_or_null(w, "cadre_id", h->cadre_id);
		jw_kstr(w, "name", h->name);
		jw_kstr(w, "org_name", h->org_name);
		jw_kint(w, "households", h->households);
		jw_kint(w, "overdue", h->overdue);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- lists ---------------------------------------------------------------------------- */

static int h_list(zb_req *r, zb_err *e)
{
	static const char *const filters[] = {"all", "no_helper", "overdue", "exited"};
	const char *f = zb_req_query(r, "filter"), *status = zb_req_query(r, "status"), *q = zb_req_query(r, "q");
	int fi = 0;
	if (f && *f) {
		while (fi < 4 && strcmp(filters[fi], f))
			fi++;
		if (fi == 4)
			return zb_fail(e, ZB_EINVAL, "filter", "筛选应为 all、no_helper（无帮扶责任人）、overdue（走访逾期）或 exited（已退出）");
	}
	if (status && *status) {
		if (!(status = zb_aid_status_from(status)))
			return zb_fail(e, ZB_EINVAL, "status", "帮扶状态应为 helping、lifted 或 monitor");
	} else {
		status = NULL;
	}
	if (q && strlen(q) > 100)
		return zb_fail(e, ZB_EINVAL, "q", "搜索词过长");
	int64_t limit, after = 0;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	char today[11];
	today_of(r, today);
	zb_aid_item *items;
	int n;
	int64_t next;
	int rc = zb_aid_list(r->db, r->target_path, (zb_aid_filter)fi, status, q && *q ? q : NULL, after, limit, today,
	                     &r->arena, &items, &n, &next, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		const zb_aid_item *it = &items[i];
		jw_obj(w);
		jw_kint(w, "id", it->id);
		jw_kint(w, "org_id", it->org_id);
		jw_kstr(w, "org_name", it->org_name);
		jw_kstr(w, "head_name", it->head_name);
		zb_api_kstr_or_null(w, "village_group", it->village_group);
		jw_kstr(w, "category", it->category);
		jw_kstr(w, "status", it->status);
		zb_api_kstr_or_null(w, "exited_on", it->exited_on);
		jw_kint(w, "helpers", it->helpers);
		jw_kint(w, "overdue", it->overdue);
		zb_api_kstr_or_null(w, "last_visit", it->last_visit);
		zb_api_kstr_or_null(w, "next_due", it->next_due);
		jw_obj_end(w);
	}
	zb_list_end(r, -1, next ? zb_arena_printf(&r->arena, "%lld", (long long)next) : NULL);
	zb_req_audit_read(r, "aid.household.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- one household ---------------------------------------------------------------------- */

static void write_pair(zb_jw *w, const zb_aid_pair *p)
{
	jw_obj(w);
	jw_kint(w, "id", p->id);
	jw_kstr(w, "kind", p->kind);
	zb_api_kid_or_null(w, "member_id", p->member_id);
	zb_api_kid_or_null(w, "cadre_id", p->cadre_id);
	jw_kstr(w, "name", p->name);
	zb_api_kstr_or_null(w, "org_name", p->org_name);
	jw_kstr(w, "from_on", p->from_on);
	zb_api_kstr_or_null(w, "to_on", p->to_on);
	zb_api_kstr_or_null(w, "end_reason", p->end_reason);
	jw_kbool(w, "current", p->current);
	zb_api_kstr_or_null(w, "last_visit", p->last_visit);
	zb_api_kstr_or_null(w, "due", p->current ? p->due : NULL);
	jw_kbool(w, "overdue", p->overdue);
	jw_obj_end(w);
}

static int answer_household(zb_req *r, int64_t id, int full, zb_err *e)
{
	char today[11];
	today_of(r, today);
	zb_aid_view v;
	int rc = zb_aid_view_get(r->db, id, today, &r->arena, &v, e);
	if (!rc && full)
		rc = zb_aid_household_reveal(&v.h, r->app->keys, &r->arena, e);
	if (rc)
		return rc;
	const zb_aid_household *h = &v.h;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", h->id);
	jw_kint(w, "org_id", h->org_id);
	jw_kstr(w, "org_name", h->org_name);
	jw_kstr(w, "head_name", h->head_name);
	zb_api_kstr_or_null(w, "id_number", full && h->id_number ? h->id_number : h->id_masked);
	zb_api_kstr_or_null(w, "phone", full && h->phone ? h->phone : h->phone_masked);
	jw_kbool(w, "full", full);
	zb_api_kstr_or_null(w, "village_group", h->village_group);
	zb_api_kstr_or_null(w, "address", h->address);
	jw_kstr(w, "category", h->category);
	jw_kstr(w, "category_name", zb_aid_category_name(h->category));
	jw_kstr(w, "status", h->status);
	jw_kstr(w, "status_name", zb_aid_status_name(h->status));
	jw_kstr(w, "status_since", h->status_since);
	zb_api_kstr_or_null(w, "area_member", v.area_member);
	jw_kobj(w, "exit");
	zb_api_kstr_or_null(w, "on", h->exited_on);
	zb_api_kstr_or_null(w, "decision", h->exit_decision);
	zb_api_kstr_or_null(w, "doc", h->exit_doc);
	zb_api_kstr_or_null(w, "note", h->exit_note);
	jw_obj_end(w);
	jw_karr(w, "people");
	for (int i = 0; i < h->npeople; i++) {
		jw_obj(w);
		jw_kstr(w, "name", h->people[i].name);
		jw_kstr(w, "relation", h->people[i].relation);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "history");
	for (int i = 0; i < v.nhistory; i++) {
		jw_obj(w);
		jw_kstr(w, "status", v.history[i].status);
		jw_kstr(w, "since", v.history[i].since);
		zb_api_kstr_or_null(w, "note", v.history[i].note);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "pairs");
	for (int i = 0; i < v.npairs; i++)
		write_pair(w, &v.pairs[i]);
	jw_arr_end(w);
	jw_karr(w, "visits");
	for (int i = 0; i < v.nvisits; i++) {
		const zb_aid_visit *x = &v.visits[i];
		jw_obj(w);
		jw_kint(w, "id", x->id);
		zb_api_kid_or_null(w, "member_id", x->member_id);
		zb_api_kid_or_null(w, "cadre_id", x->cadre_id);
		jw_kstr(w, "visitor", x->visitor);
		jw_kstr(w, "visited_on", x->visited_on);
		jw_kstr(w, "what", x->what);
		jw_kint(w, "recorded_at", x->recorded_at);
		jw_karr(w, "photos");
		for (int k = 0; k < x->nphotos; k++)
			jw_str(w, zb_arena_printf(&r->arena, "/api/v1/aid-photos/%lld", (long long)x->photos[k]));
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "created_at", h->created_at);
	jw_kint(w, "updated_at", h->updated_at);
	jw_obj_end(w);
	return 0;
}

static int h_get(zb_req *r, zb_err *e)
{
	return zb_api_get_full(r, answer_household, "aid.household.read", "aid_household", e);
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_aid_household h;
	memset(&h, 0, sizeof h);
	h.head_name = zb_body_str(r, "head_name");
	h.id_number = zb_body_str(r, "id_number");
	h.phone = zb_body_str(r, "phone");
	h.village_group = zb_body_str(r, "village_group");
	h.address = zb_body_str(r, "address");
	h.category = zb_body_str(r, "category");
	h.status = zb_body_str(r, "status");
	h.status_since = zb_body_str(r, "status_since");
	static const zb_field person_fields[] = {
		{"name", 's', 1, 150, "姓名"},
		{"relation", 's', 1, 30, "与户主关系"},
		{0},
	};
	json_t *arr;
	size_t n;
	int rc = zb_api_items(r, "people", 20, "家庭成员至多 20 人", person_fields, &arr, &n, e);
	if (rc)
		return rc;
	h.people = zb_arena_alloc(&r->arena, (n + 1) * sizeof *h.people);
	h.npeople = (int)n;
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		h.people[i].name = json_string_value(json_object_get(it, "name"));
		h.people[i].relation = json_string_value(json_object_get(it, "relation"));
	}
	int64_t org_id = 0, id;
	zb_body_int(r, "org_id", &org_id);
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_aid_household_create(r->db, r->app, &by, org_id, &h, &r->arena, &id, e)) ||
	    (rc = answer_household(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_status(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_status_set(r->db, r->app, &by, r->target_id, zb_body_str(r, "status"), zb_body_str(r, "on"),
	                           zb_body_str(r, "note"), &r->arena, e);
	return rc ? rc : answer_household(r, r->target_id, 0, e);
}

static int h_exit(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_exit(r->db, r->app, &by, r->target_id, zb_body_str(r, "on"), zb_body_str(r, "decision"),
	                     zb_body_str(r, "doc"), zb_body_str(r, "note"), &r->arena, e);
	return rc ? rc : answer_household(r, r->target_id, 0, e);
}

static int h_pair(zb_req *r, zb_err *e)
{
	int64_t member_id = 0, cadre_id = 0, pair_id;
	zb_body_int(r, "member_id", &member_id);
	zb_body_int(r, "cadre_id", &cadre_id);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_pair_add(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "kind"), member_id, cadre_id,
	                         zb_body_str(r, "from_on"), &r->arena, &pair_id, e);
	if (rc || (rc = answer_household(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_pair_end(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_pair_end(r->db, r->app, &by, r->target_id, zb_body_str(r, "to_on"), zb_body_str(r, "reason"),
	                         &r->arena, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_visit(zb_req *r, zb_err *e)
{
	int64_t member_id = 0, cadre_id = 0, visit_id;
	zb_body_int(r, "member_id", &member_id);
	zb_body_int(r, "cadre_id", &cadre_id);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_visit_add(r->db, r->app, &by, r->target_id, member_id, cadre_id, zb_body_str(r, "visited_on"),
	                          zb_body_str(r, "what"), &r->arena, &visit_id, e);
	if (rc || (rc = answer_household(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

/* ---- a helper's own households ----------------------------------------------------------- */

/* The caller as a helper: their member record, or the cadre record their
 * account is linked to (village/cadre.h). */
static int helper_of(zb_req *r, int64_t *member_id, int64_t *cadre_id, zb_err *e)
{
	*member_id = r->who->member_id;
	*cadre_id = 0;
	if (*member_id)
		return 0;
	int rc = zb_cadre_of_user(r->db, r->who->user_id, cadre_id, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员或干部信息");
	return rc;
}

static int h_mine(zb_req *r, zb_err *e)
{
	int64_t member_id, cadre_id;
	int rc = helper_of(r, &member_id, &cadre_id, e);
	if (rc)
		return rc;
	char today[11];
	today_of(r, today);
	zb_aid_mine_item *v;
	int n;
	rc = zb_aid_mine(r->db, member_id, cadre_id, today, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "household_id", v[i].household_id);
		jw_kint(w, "pair_id", v[i].pair_id);
		jw_kstr(w, "head_name", v[i].head_name);
		jw_kstr(w, "org_name", v[i].org_name);
		zb_api_kstr_or_null(w, "village_group", v[i].village_group);
		jw_kstr(w, "status", v[i].status);
		jw_kstr(w, "kind", v[i].kind);
		zb_api_kstr_or_null(w, "last_visit", v[i].last_visit);
		jw_kstr(w, "due", v[i].due);
		jw_kbool(w, "overdue", v[i].overdue);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_my_visit(zb_req *r, zb_err *e)
{
	int64_t member_id, cadre_id, household_id = 0, visit_id;
	int rc = helper_of(r, &member_id, &cadre_id, e);
	if (rc)
		return rc;
	zb_body_int(r, "household_id", &household_id);
	if (household_id <= 0)
		return zb_fail(e, ZB_EINVAL, "household_id", "请选择要记录走访的户");
	zb_audit_ev by = zb_req_actor(r);
	rc = zb_aid_visit_add(r->db, r->app, &by, household_id, member_id, cadre_id, zb_body_str(r, "visited_on"),
	                      zb_body_str(r, "what"), &r->arena, &visit_id, e);
	if (rc == ZB_ENOTFOUND || (rc == ZB_ECONFLICT && (!strcmp(e->field, "member_id") || !strcmp(e->field, "cadre_id"))))
		/* a household not theirs is not found, whether it exists or not */
		return zb_fail(e, ZB_ENOTFOUND, "household_id", "未找到该户，或您不是其帮扶责任人或联系人");
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", visit_id);
	jw_kint(&r->jw, "household_id", household_id);
	jw_obj_end(&r->jw);
	r->status = 201;
	return 0;
}

/* ---- photos of a visit ---------------------------------------------------------------------- */

static int photo_upload(zb_req *r, int64_t visit_id, int64_t member_id, int64_t cadre_id, zb_err *e)
{
	const char *filename;
	if (zb_api_upload_filename(r, &filename, e))
		return e->code;
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_aid_photo_add(r->db, r->app, &by, visit_id, member_id, cadre_id, filename, r->body.data, r->body.len,
	                          &id, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kint(&r->jw, "visit_id", visit_id);
	jw_kstr(&r->jw, "url", zb_arena_printf(&r->arena, "/api/v1/aid-photos/%lld", (long long)id));
	jw_obj_end(&r->jw);
	return 0;
}

static int h_photo(zb_req *r, zb_err *e)
{
	return photo_upload(r, r->target_id, 0, 0, e);
}

static int h_my_photo(zb_req *r, zb_err *e)
{
	int64_t member_id, cadre_id, visit_id;
	int rc = helper_of(r, &member_id, &cadre_id, e);
	if (!rc)
		rc = zb_req_param_id(r, 0, &visit_id, e);
	return rc ? rc : photo_upload(r, visit_id, member_id, cadre_id, e);
}

static int h_photo_get(zb_req *r, zb_err *e)
{
	const char *kind, *name, *stored;
	int rc = zb_aid_photo_find(r->db, r->target_id, &r->arena, &kind, &name, &stored, e);
	if (rc)
		return rc;
	/* photos only (aid/photo.c refuses PDFs): shown inline */
	return zb_api_stored_file(r, kind, name, stored, "photo", "aid.photo.read", "aid_photo", e);
}

/* ---- 责任区 -------------------------------------------------------------------------------- */

static int h_areas(zb_req *r, zb_err *e)
{
	zb_aid_area *v;
	int n;
	int rc = zb_aid_areas_list(r->db, r->target_path, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "id", v[i].id);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "name", v[i].name);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "member_name", v[i].member_name);
		jw_kstr(w, "from_on", v[i].from_on);
		zb_api_kstr_or_null(w, "to_on", v[i].to_on);
		jw_kint(w, "households", v[i].households);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_area_add(zb_req *r, zb_err *e)
{
	int64_t org_id = 0, member_id = 0, id;
	zb_body_int(r, "org_id", &org_id);
	zb_body_int(r, "member_id", &member_id);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_area_add(r->db, r->app, &by, r->who, org_id, zb_body_str(r, "name"), member_id,
	                         zb_body_str(r, "from_on"), &r->arena, &id, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_obj_end(&r->jw);
	r->status = 201;
	return 0;
}

static int h_area_end(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_aid_area_end(r->db, r->app, &by, r->target_id, zb_body_str(r, "to_on"), &r->arena, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

/* ---- import ------------------------------------------------------------------------------------ */

static zb_actor actor_of(zb_req *r)
{
	return (zb_actor){.user_id = r->who->user_id, .username = r->who->username, .ip = r->ip};
}

static int h_import(zb_req *r, zb_err *e)
{
	const char *fn;
	if (zb_api_import_filename(r, &fn, e))
		return e->code;
	zb_memcharge charge = {.b = r->app->import_budget};
	zb_table_limits lim = {.charge = &charge};
	zb_import_opts o = {.app = r->app, .db = r->db, .who = r->who, .org_id = r->target_id,
	                    .filename = fn ? fn : "帮扶户台账", .limits = &lim};
	zb_aimport *imp = NULL;
	zb_actor ac = actor_of(r);
	int64_t batch;
	int rc = zb_aimport_read(&o, r->body.data, r->body.len, &imp, e);
	if (!rc)
		rc = zb_aimport_save(r->app, r->db, imp, &ac, &batch, e);
	if (!rc) {
		r->status = 201;
		zb_aimport_preview_json(&r->jw, imp, batch);
	}
	zb_aimport_free(imp);
	zb_memcharge_release(&charge);
	return rc;
}

static int h_import_get(zb_req *r, zb_err *e)
{
	zb_aimport *imp;
	int rc = zb_aimport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	zb_aimport_preview_json(&r->jw, imp, r->target_id);
	zb_aimport_free(imp);
	zb_req_audit_read(r, "import.read", "import", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_import_commit(zb_req *r, zb_err *e)
{
	int skip_errors = zb_api_skip_errors(r);
	zb_aimport *imp;
	int rc = zb_aimport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	zb_actor ac = actor_of(r);
	int64_t done[ZB_IROW_NSTATUS];
	rc = zb_aimport_apply(r->app, r->db, imp, r->target_id, &ac, r->who, skip_errors, done, e);
	zb_aimport_free(imp);
	if (rc)
		return rc;
	zb_api_import_committed(r, done, 0);
	return 0;
}

/* ---- shapes ------------------------------------------------------------------------------------- */

static const zb_prop status_props[] = {
	{"helping", 'i', 0, NULL, "在帮"},
	{"lifted", 'i', 0, NULL, "已脱贫（巩固期）"},
	{"monitor", 'i', 0, NULL, "监测户"},
	{0},
};
static const zb_shape status_shape = {NULL, status_props, 0, 0, NULL};
static const zb_prop contact_props[] = {
	{"households", 'i', 0, NULL, "有党员联系人的户数"},
	{"pairs", 'i', 0, NULL, "党员联系户结对数"},
	{"on_time", 'i', 0, NULL, "按时走访的联系户结对数"},
	{0},
};
static const zb_shape contact_shape = {NULL, contact_props, 0, 0, NULL};
static const zb_prop helper_due_props[] = {
	{"member_id", 'i', ZB_NULL, NULL, "帮扶责任人：党员编号（干部为 null）"},
	{"cadre_id", 'i', ZB_NULL, NULL, "帮扶责任人：派出单位干部编号（党员为 null）"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_name", 's', ZB_NULL, NULL, "所在党组织或派出单位"},
	{"households", 'i', 0, NULL, "帮扶的户数"},
	{"overdue", 'i', 0, NULL, "走访逾期的户数"},
	{0},
};
static const zb_shape helper_due_shape = {"AidHelperDue", helper_due_props, 0, 0, "走访逾期的帮扶责任人"};
static const zb_prop coverage_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"as_of", 'd', 0, NULL, "统计日期（今天）"},
	{"households", 'i', 0, NULL, "帮扶户数（未退出）"},
	{"with_helper", 'i', 0, NULL, "有帮扶责任人的户数"},
	{"without_helper", 'i', 0, NULL, "没有帮扶责任人的户数"},
	{"visited_on_time", 'i', 0, NULL, "每位帮扶责任人都按规定走访的户数"},
	{"overdue", 'i', 0, NULL, "有帮扶责任人走访逾期的户数"},
	{"exited", 'i', 0, NULL, "已退出的户数（留存）"},
	{"by_status", 'o', 0, &status_shape, "按帮扶状态的户数"},
	{"contacts", 'o', 0, &contact_shape, "党员联系户"},
	{"in_area", 'i', 0, NULL, "所在村民小组有党员责任区的户数"},
	{"helpers", 'i', 0, NULL, "帮扶责任人数"},
	{"helpers_with_overdue", 'i', 0, NULL, "有走访逾期的帮扶责任人数"},
	{"helpers_overdue", 'a', 0, &helper_due_shape, "走访逾期的帮扶责任人（逾期户数多的在前，至多 50 人）"},
	{0},
};
static const zb_shape coverage_shape = {"AidCoverage", coverage_props, 0, 0, "帮扶覆盖与走访情况（组织及下级）"};

static const zb_prop item_props[] = {
	{"id", 'i', 0, NULL, "帮扶户编号"},
	{"org_id", 'i', 0, NULL, "所在村党组织"},
	{"org_name", 's', 0, NULL, "所在村党组织名称"},
	{"head_name", 's', 0, NULL, "户主"},
	{"village_group", 's', ZB_NULL, NULL, "村民小组"},
	{"category", 's', 0, NULL, "类别：tuopin、monitor、dibao、tekun、other"},
	{"status", 's', 0, NULL, "帮扶状态：helping、lifted、monitor"},
	{"exited_on", 'd', ZB_NULL, NULL, "退出日期"},
	{"helpers", 'i', 0, NULL, "当前帮扶责任人数"},
	{"overdue", 'i', 0, NULL, "走访逾期的帮扶责任人数"},
	{"last_visit", 'd', ZB_NULL, NULL, "最近一次走访"},
	{"next_due", 'd', ZB_NULL, NULL, "最早的下次走访期限"},
	{0},
};
static const zb_shape item_shape = {"AidHouseholdItem", item_props, 0, 0, "帮扶户名单中的一户"};
ZB_LIST_PAGED(household_list, "AidHouseholdList", &item_shape);

static const zb_prop exit_props[] = {
	{"on", 'd', ZB_NULL, NULL, "退出日期（未退出为 null）"},
	{"decision", 's', ZB_NULL, NULL, "退出的决定"},
	{"doc", 's', ZB_NULL, NULL, "文号"},
	{"note", 's', ZB_NULL, NULL, "说明"},
	{0},
};
static const zb_shape exit_shape = {NULL, exit_props, 0, 0, NULL};
static const zb_prop person_props[] = {
	{"name", 's', 0, NULL, "姓名"},
	{"relation", 's', 0, NULL, "与户主关系"},
	{0},
};
static const zb_shape person_shape = {NULL, person_props, 0, 0, NULL};
static const zb_prop history_props[] = {
	{"status", 's', 0, NULL, "帮扶状态"},
	{"since", 'd', 0, NULL, "起始日期"},
	{"note", 's', ZB_NULL, NULL, "说明"},
	{0},
};
static const zb_shape history_shape = {NULL, history_props, 0, 0, NULL};
static const zb_prop pair_props[] = {
	{"id", 'i', 0, NULL, "结对编号"},
	{"kind", 's', 0, NULL, "helper 帮扶责任人、contact 党员联系户"},
	{"member_id", 'i', ZB_NULL, NULL, "党员编号（干部为 null）"},
	{"cadre_id", 'i', ZB_NULL, NULL, "派出单位干部编号（党员为 null）"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_name", 's', ZB_NULL, NULL, "所在党组织或派出单位"},
	{"from_on", 'd', 0, NULL, "结对开始"},
	{"to_on", 'd', ZB_NULL, NULL, "结对结束"},
	{"end_reason", 's', ZB_NULL, NULL, "结束原因"},
	{"current", 'b', 0, NULL, "当前有效"},
	{"last_visit", 'd', ZB_NULL, NULL, "其最近一次走访"},
	{"due", 'd', ZB_NULL, NULL, "下次走访期限（当前结对）"},
	{"overdue", 'b', 0, NULL, "走访已逾期"},
	{0},
};
static const zb_shape pair_shape = {"AidPair", pair_props, 0, 0, "帮扶结对"};
static const zb_prop visit_props[] = {
	{"id", 'i', 0, NULL, "走访编号"},
	{"member_id", 'i', ZB_NULL, NULL, "走访人：党员编号（干部为 null）"},
	{"cadre_id", 'i', ZB_NULL, NULL, "走访人：派出单位干部编号（党员为 null）"},
	{"visitor", 's', 0, NULL, "走访人"},
	{"visited_on", 'd', 0, NULL, "走访日期"},
	{"what", 's', 0, NULL, "走访内容"},
	{"recorded_at", 'i', 0, NULL, "记录时间（Unix 秒）"},
	{"photos", 'a', 0, &zb_shape_string, "照片的地址"},
	{0},
};
static const zb_shape visit_shape = {"AidVisit", visit_props, 0, 0, "走访"};
static const zb_prop household_props[] = {
	{"id", 'i', 0, NULL, "帮扶户编号"},
	{"org_id", 'i', 0, NULL, "所在村党组织"},
	{"org_name", 's', 0, NULL, "所在村党组织名称"},
	{"head_name", 's', 0, NULL, "户主"},
	{"id_number", 's', ZB_NULL, NULL, "户主身份证号（默认隐去）"},
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"},
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"village_group", 's', ZB_NULL, NULL, "村民小组"},
	{"address", 's', ZB_NULL, NULL, "住址"},
	{"category", 's', 0, NULL, "类别代码"},
	{"category_name", 's', ZB_NULL, NULL, "类别"},
	{"status", 's', 0, NULL, "帮扶状态代码"},
	{"status_name", 's', ZB_NULL, NULL, "帮扶状态"},
	{"status_since", 'd', 0, NULL, "当前状态的起始日期"},
	{"area_member", 's', ZB_NULL, NULL, "所在责任区的负责党员"},
	{"exit", 'o', 0, &exit_shape, "退出"},
	{"people", 'a', 0, &person_shape, "家庭成员"},
	{"history", 'a', 0, &history_shape, "帮扶状态的历史"},
	{"pairs", 'a', 0, &pair_shape, "帮扶责任人和党员联系人（当前的在前）"},
	{"visits", 'a', 0, &visit_shape, "走访（最近的在前，至多 100 次）"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"},
	{0},
};
static const zb_shape household_shape = {"AidHousehold", household_props, 0, 0, "帮扶户"};

static const zb_prop mine_props[] = {
	{"household_id", 'i', 0, NULL, "帮扶户编号"},
	{"pair_id", 'i', 0, NULL, "结对编号"},
	{"head_name", 's', 0, NULL, "户主"},
	{"org_name", 's', 0, NULL, "所在村"},
	{"village_group", 's', ZB_NULL, NULL, "村民小组"},
	{"status", 's', 0, NULL, "帮扶状态"},
	{"kind", 's', 0, NULL, "helper 帮扶责任人、contact 党员联系户"},
	{"last_visit", 'd', ZB_NULL, NULL, "我最近一次走访"},
	{"due", 'd', 0, NULL, "下次走访期限"},
	{"overdue", 'b', 0, NULL, "已逾期"},
	{0},
};
static const zb_shape mine_shape = {"MyAidHousehold", mine_props, 0, 0, "我帮扶或联系的户"};
ZB_LIST_COUNTED(mine_list, "MyAidHouseholdList", &mine_shape);

static const zb_prop visit_done_props[] = {
	{"id", 'i', 0, NULL, "走访编号"},
	{"household_id", 'i', 0, NULL, "帮扶户编号"},
	{0},
};
static const zb_shape visit_done_shape = {"AidVisitRecorded", visit_done_props, 0, 0, "已记录的走访"};

static const zb_prop area_props[] = {
	{"id", 'i', 0, NULL, "责任区编号"},
	{"org_id", 'i', 0, NULL, "所在村党组织"},
	{"name", 's', 0, NULL, "责任区（村民小组）"},
	{"member_id", 'i', 0, NULL, "负责党员"},
	{"member_name", 's', 0, NULL, "负责党员姓名"},
	{"from_on", 'd', 0, NULL, "开始日期"},
	{"to_on", 'd', ZB_NULL, NULL, "结束日期"},
	{"households", 'i', 0, NULL, "区内帮扶户数（未退出）"},
	{0},
};
static const zb_shape area_shape = {"AidArea", area_props, 0, 0, "党员责任区"};
ZB_LIST_COUNTED(area_list, "AidAreaList", &area_shape);
static const zb_prop photo_props[] = {
	{"id", 'i', 0, NULL, "照片编号"},
	{"visit_id", 'i', 0, NULL, "走访编号"},
	{"url", 's', 0, NULL, "照片地址"},
	{0},
};
static const zb_shape photo_shape = {"AidPhotoUploaded", photo_props, 0, 0, "已上传的走访照片"};
static const zb_prop id_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{0},
};
static const zb_shape id_shape = {"AidCreated", id_props, 0, 0, "新建记录的编号"};

static const zb_prop irow_props[] = {
	{"row", 'i', 0, NULL, "文件中的行号"},
	{"status", 's', 0, NULL, "new（将导入）、unchanged（户主身份证号已登记，跳过）或 error"},
	{"head_name", 's', ZB_NULL, NULL, "户主"},
	{"id_masked", 's', ZB_NULL, NULL, "户主身份证号（隐去）"},
	{"org_id", 'i', 0, NULL, "所在村党组织（0：未能确定）"},
	{"org_name", 's', ZB_NULL, NULL, "所在村党组织名称"},
	{"village_group", 's', ZB_NULL, NULL, "村民小组"},
	{"category", 's', ZB_NULL, NULL, "类别代码"},
	{"household_status", 's', ZB_NULL, NULL, "帮扶状态代码"},
	{"status_since", 'd', ZB_NULL, NULL, "状态日期"},
	{"from_on", 'd', ZB_NULL, NULL, "结对日期"},
	{"people", 'a', 0, &person_shape, "家庭成员"},
	{"helpers", 'a', 0, &zb_shape_string, "帮扶责任人"},
	{"contacts", 'a', 0, &zb_shape_string, "联系党员"},
	{"errors", 'a', 0, &zb_shape_string, "不能导入的原因"},
	{0},
};
static const zb_shape irow_shape = {NULL, irow_props, 0, 0, NULL};
static const zb_prop icounts_props[] = {
	{"new", 'i', 0, NULL, "将导入"},
	{"unchanged", 'i', 0, NULL, "已登记，跳过"},
	{"error", 'i', 0, NULL, "有错误"},
	{0},
};
static const zb_shape icounts_shape = {NULL, icounts_props, 0, 0, NULL};
static const zb_prop import_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "preview"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"format", 's', 0, NULL, "aid-xlsx 或 aid-csv"},
	{"org_id", 'i', 0, NULL, "导入到的组织"},
	{"org_name", 's', ZB_NULL, NULL, "导入到的组织名称"},
	{"header_row", 'i', 0, NULL, "表头所在行"},
	{"counts", 'o', 0, &icounts_shape, "按状态计数"},
	{"rows", 'a', 0, &irow_shape, "各行"},
	{0},
};
static const zb_shape import_shape = {"AidImportBatch", import_props, 0, 0, "帮扶台账导入批次"};
static const zb_prop idone_counts_props[] = {
	{"new", 'i', 0, NULL, "新登记"},
	{"unchanged", 'i', 0, NULL, "已登记，跳过"},
	{"skipped", 'i', 0, NULL, "跳过的有错行"},
	{0},
};
static const zb_shape idone_counts = {NULL, idone_counts_props, 0, 0, NULL};
static const zb_prop import_done_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "committed"},
	{"counts", 'o', 0, &idone_counts, "写入的行数"},
	{0},
};
static const zb_shape import_done_shape = {"AidImportCommitted", import_done_props, 0, 0, "帮扶台账导入已提交"};

static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "所在村党组织"},
	{"head_name", 's', 1, 200, "户主姓名"},
	{"id_number", 's', 0, 64, "户主身份证号（18 位）"},
	{"phone", 's', 0, 64, "联系电话"},
	{"village_group", 's', 0, 100, "村民小组"},
	{"address", 's', 0, 400, "住址"},
	{"category", 's', 1, 32, "类别：tuopin 脱贫户、monitor 监测户、dibao 低保户、tekun 特困供养户、other 其他"},
	{"status", 's', 1, 32, "帮扶状态：helping 在帮、lifted 已脱贫、monitor 监测户"},
	{"status_since", 'd', 0, 10, "当前状态的起始日期（默认今天）"},
	{"people", 'a', 0, 0, "家庭成员：[{\"name\",\"relation\"}]"},
	{0},
};
static const zb_field status_fields[] = {
	{"status", 's', 1, 32, "新的帮扶状态：helping、lifted、monitor"},
	{"on", 'd', 1, 10, "变更日期"},
	{"note", 's', 0, 1000, "说明（如 经评议认定脱贫）"},
	{0},
};
static const zb_field exit_fields[] = {
	{"on", 'd', 1, 10, "退出日期"},
	{"decision", 's', 1, 400, "退出的决定（如 村民代表大会评议、乡镇审核、县审定）"},
	{"doc", 's', 0, 200, "文号"},
	{"note", 's', 0, 2000, "说明"},
	{0},
};
static const zb_field pair_fields[] = {
	{"kind", 's', 0, 16, "helper 帮扶责任人（默认）、contact 党员联系户（本村党员）"},
	{"member_id", 'i', 0, 0, "党员编号（与 cadre_id 二者选一）"},
	{"cadre_id", 'i', 0, 0, "派出单位干部编号（帮扶责任人；与 member_id 二者选一）"},
	{"from_on", 'd', 1, 10, "结对开始日期"},
	{0},
};
static const zb_field pair_end_fields[] = {
	{"to_on", 'd', 1, 10, "结对结束日期"},
	{"reason", 's', 1, 1000, "结束原因"},
	{0},
};
static const zb_field visit_fields[] = {
	{"member_id", 'i', 0, 0, "走访人：与该户结对的党员（与 cadre_id 二者选一）"},
	{"cadre_id", 'i', 0, 0, "走访人：与该户结对的派出单位干部"},
	{"visited_on", 'd', 1, 10, "走访日期"},
	{"what", 's', 1, 2000, "走访内容"},
	{0},
};
static const zb_field my_visit_fields[] = {
	{"household_id", 'i', 1, 0, "我帮扶或联系的户"},
	{"visited_on", 'd', 1, 10, "走访日期"},
	{"what", 's', 1, 2000, "走访内容"},
	{0},
};
static const zb_field area_fields[] = {
	{"org_id", 'i', 1, 0, "所在村党组织"},
	{"name", 's', 1, 100, "责任区（村民小组）名称"},
	{"member_id", 'i', 1, 0, "负责的党员（本村）"},
	{"from_on", 'd', 1, 10, "开始日期"},
	{0},
};
static const zb_field area_end_fields[] = {
	{"to_on", 'd', 1, 10, "结束日期"},
	{0},
};

const zb_route zb_routes_aid[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/aid-coverage", .fn = h_coverage,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&coverage_shape),
	 .tag = "aid", .summary = "帮扶覆盖：有无帮扶责任人、是否按时走访、按状态、逾期的帮扶责任人（组织及下级）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/aid-households", .fn = h_list,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&household_list),
	 .tag = "aid", .summary = "帮扶户名单（组织及下级；无帮扶责任人、走访逾期、已退出）",
	 .query_doc = "filter:string,status:string,q:string,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/aid-households", .fn = h_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 16384,
	 .fields = create_fields, .resp = ZB_CREATED(&household_shape), .tag = "aid", .summary = "登记帮扶户"},
	{.method = "GET", .pattern = "/api/v1/aid-households/{id}", .fn = h_get,
	 .perm = P_MEMBER_READ, .scope = S_AID_HOUSEHOLD, .resp = ZB_OK(&household_shape),
	 .tag = "aid", .summary = "帮扶户：家庭成员、状态历史、帮扶责任人、走访（审计）", .query_doc = "full:integer"},
	{.method = "POST", .pattern = "/api/v1/aid-households/{id}/status", .fn = h_status,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_HOUSEHOLD, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = status_fields, .resp = ZB_OK(&household_shape), .tag = "aid", .summary = "变更帮扶状态（留存历史）"},
	{.method = "POST", .pattern = "/api/v1/aid-households/{id}/exit", .fn = h_exit,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_HOUSEHOLD, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = exit_fields, .resp = ZB_OK(&household_shape), .tag = "aid", .summary = "退出帮扶（日期和决定；户留存）"},
	{.method = "POST", .pattern = "/api/v1/aid-households/{id}/pairs", .fn = h_pair,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_HOUSEHOLD, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = pair_fields, .resp = ZB_CREATED(&household_shape), .tag = "aid",
	 .summary = "结对：帮扶责任人或党员联系户"},
	{.method = "POST", .pattern = "/api/v1/aid-pairs/{id}/end", .fn = h_pair_end,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_PAIR, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = pair_end_fields, .resp = ZB_OK(&zb_shape_ok), .tag = "aid", .summary = "结束结对"},
	{.method = "POST", .pattern = "/api/v1/aid-households/{id}/visits", .fn = h_visit,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_HOUSEHOLD, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = visit_fields, .resp = ZB_CREATED(&household_shape), .tag = "aid",
	 .summary = "记录走访（走访人须当天与该户结对）"},
	{.method = "GET", .pattern = "/api/v1/me/aid-households", .fn = h_mine,
	 .perm = P_SELF_READ, .resp = ZB_OK(&mine_list), .tag = "aid",
	 .summary = "我帮扶或联系的户和下次走访期限（党员或派出单位干部的账号）"},
	{.method = "POST", .pattern = "/api/v1/me/aid-visits", .fn = h_my_visit,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = my_visit_fields,
	 .resp = ZB_CREATED(&visit_done_shape), .tag = "aid", .summary = "记录我对帮扶或联系户的走访"},
	{.method = "POST", .pattern = "/api/v1/aid-visits/{id}/photos", .fn = h_photo,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_VISIT, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES,
	 .resp = ZB_CREATED(&photo_shape), .tag = "aid", .summary = "上传走访照片（JPEG/PNG，每次走访至多 5 张）",
	 .query_doc = "filename:string"},
	{.method = "POST", .pattern = "/api/v1/me/aid-visits/{id}/photos", .fn = h_my_photo,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES,
	 .resp = ZB_CREATED(&photo_shape), .tag = "aid", .summary = "为我记录的走访上传照片",
	 .query_doc = "filename:string"},
	{.method = "GET", .pattern = "/api/v1/aid-photos/{id}", .fn = h_photo_get,
	 .perm = P_MEMBER_READ, .scope = S_AID_PHOTO, .resp = ZB_MEDIA("image/jpeg, image/png"), .tag = "aid",
	 .summary = "走访照片（审计）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/aid-areas", .fn = h_areas,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&area_list), .tag = "aid",
	 .summary = "党员责任区（组织及下级）"},
	{.method = "POST", .pattern = "/api/v1/aid-areas", .fn = h_area_add,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = area_fields, .resp = ZB_CREATED(&id_shape), .tag = "aid", .summary = "设立党员责任区"},
	{.method = "POST", .pattern = "/api/v1/aid-areas/{id}/end", .fn = h_area_end,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_AREA, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = area_end_fields, .resp = ZB_OK(&zb_shape_ok), .tag = "aid", .summary = "结束党员责任区"},
	{.method = "POST", .pattern = "/api/v1/aid-imports", .fn = h_import,
	 .perm = P_MEMBER_WRITE, .scope = S_QUERY_ORG, .flags = R_WRITE | R_RAW, .max_body = ZB_TABLE_MAX_FILE_BYTES,
	 .resp = ZB_CREATED(&import_shape), .tag = "aid",
	 .summary = "上传帮扶台账（xlsx/csv：帮扶户和结对）并预览：逐行列出问题", .query_doc = "org:integer,filename:string"},
	{.method = "GET", .pattern = "/api/v1/aid-imports/{id}", .fn = h_import_get,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_IMPORT, .resp = ZB_OK(&import_shape),
	 .tag = "aid", .summary = "帮扶台账导入批次预览"},
	{.method = "POST", .pattern = "/api/v1/aid-imports/{id}/commit", .fn = h_import_commit,
	 .perm = P_MEMBER_WRITE, .scope = S_AID_IMPORT, .flags = R_WRITE, .resp = ZB_OK(&import_done_shape),
	 .tag = "aid", .summary = "提交帮扶台账导入（全部成功或全部不写入）", .query_doc = "skip_errors:integer"},
	{0},
};
