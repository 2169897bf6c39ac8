/* api_members.c - the roster over HTTP: list and search, detail, create,
 * edit, history, designations, the member's own record, 政治生日, import
 * and export.  Domain rules live in member/; this file maps requests to
 * them, masks what the caller may not see and audits every read. */
#include "api/api.h"
#include "io/table.h"
#include "member/designation.h"
#include "member/history.h"
#include "member/import.h"
#include "member/list.h"
#include "member/member.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- output ------------------------------------------------------------- */

static void write_designations(zb_req *r, int64_t member_id)
{
	zb_err e = {0};
	zb_jw *w = &r->jw;
	zb_designation *d;
	int n;
	char today[11];
	zb_today(r->app, today);
	zb_designation_list(r->db, member_id, &r->arena, &d, &n, &e);
	jw_karr(w, "designations");
	for (int i = 0; i < n; i++) {
		const char *kn = zb_designation_name(d[i].kind), *ended = d[i].ended_on;
		jw_obj(w);
		jw_kint(w, "id", d[i].id);
		jw_kstr(w, "kind", d[i].kind);
		jw_kstr(w, "kind_name", kn);
		jw_kstr(w, "title", d[i].title);
		jw_kstr(w, "name", zb_arena_printf(&r->arena, "%s：%s", kn ? kn : d[i].kind, d[i].title));
		jw_kstr(w, "started_on", d[i].started_on);
		jw_kstr(w, "ended_on", ended);
		jw_kbool(w, "active", !ended || strcmp(ended, today) >= 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* One member as JSON.  full: ID number and phone in clear (the caller
 * checked P_MEMBER_SENSITIVE); otherwise the masked forms.  The birth date
 * and age are exact for callers who hold member.sensitive at the member's
 * org (and for the member themself), otherwise month only: what each role
 * sees is decided in docs/SECURITY.md, "What each role can see". */
static void write_member(zb_req *r, const zb_member *m, int full, int detail)
{
	zb_jw *w = &r->jw;
	int today = zb_today_int(r->app);
	int exact = full || (r->who->member_id && r->who->member_id == m->id) ||
	            zb_authz_allows(r->who, P_MEMBER_SENSITIVE, m->org_path);
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "org_id", m->org_id);
	jw_kstr(w, "org_name", m->org_name);
	if (m->group_id)
		jw_kint(w, "group_id", m->group_id);
	else
		jw_knull(w, "group_id");
	jw_kstr(w, "group_name", m->group_name);
	jw_kstr(w, "name", m->name);
	jw_kstr(w, "pinyin", m->pinyin);
	jw_kstr(w, "initials", m->initials);
	jw_kstr(w, "gender", m->gender);
	jw_kstr(w, "ethnicity", m->ethnicity);
	jw_kstr(w, "birth_date", zb_member_birth_shown(&r->arena, m->birth_date, exact));
	int age = zb_member_age(m->birth_date, today, exact);
	if (age >= 0)
		jw_kint(w, "age", age);
	else
		jw_knull(w, "age");
	jw_kstr(w, "id_number", full && m->id_number ? m->id_number : m->id_masked);
	jw_kstr(w, "native_place", m->native_place);
	jw_kstr(w, "education", m->education);
	jw_kstr(w, "degree", m->degree);
	jw_kstr(w, "work_unit", m->work_unit);
	jw_kstr(w, "job_title", m->job_title);
	jw_kstr(w, "category", m->category);
	jw_kstr(w, "category_name", zb_category_name(m->category));
	jw_kstr(w, "join_date", m->join_date);
	jw_kstr(w, "full_date", m->full_date);
	int pa = zb_member_party_age(m->full_date, today);
	if (pa >= 0)
		jw_kint(w, "party_age", pa);
	else
		jw_knull(w, "party_age");
	jw_kstr(w, "phone", full && m->phone ? m->phone : m->phone_masked);
	jw_kstr(w, "address", m->address);
	jw_kstr(w, "status", m->status);
	jw_kstr(w, "status_name", zb_status_name(m->status));
	jw_kstr(w, "source", m->source);
	jw_kstr(w, "remarks", m->remarks);
	jw_kint(w, "created_at", m->created_at);
	jw_kint(w, "updated_at", m->updated_at);
	if (detail) {
		jw_kbool(w, "full", full);
		write_designations(r, m->id);
	}
	jw_obj_end(w);
}

/* ---- reading input ------------------------------------------------------ */

/* The member fields present in the body (the route's table allows only
 * those it lists) over m; returns their ZB_MF_* mask. */
static unsigned read_body(zb_req *r, zb_member *m)
{
	unsigned given = 0;
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (!zb_body_has(r, f->json))
			continue;
		*zb_member_field_ptr(m, f) = zb_body_str(r, f->json);
		given |= f->bit;
	}
	return given;
}

/* ---- list and search ------------------------------------------------------ */

static int read_filters(zb_req *r, zb_member_filter *f, zb_err *e)
{
	memset(f, 0, sizeof *f);
	const char *v;
	if ((v = zb_req_query(r, "category")) && *v && !(f->category = zb_category_from(v)))
		return zb_fail(e, ZB_EINVAL, "category", "人员类别应为 full（正式党员）或 probationary（预备党员）");
	if ((v = zb_req_query(r, "status")) && *v && !(f->status = zb_status_from(v)))
		return zb_fail(e, ZB_EINVAL, "status", "党籍状态无效：%s", v);
	if ((v = zb_req_query(r, "gender")) && *v && !(f->gender = zb_gender_from(v)))
		return zb_fail(e, ZB_EINVAL, "gender", "性别应为 M 或 F");
	if ((v = zb_req_query(r, "education")) && *v && !(f->education = zb_education_from(v)))
		return zb_fail(e, ZB_EINVAL, "education", "学历无效：%s", v);
	int64_t amin, amax;
	if (zb_req_query_int(r, "age_min", -1, 0, 150, &amin, e) || zb_req_query_int(r, "age_max", -1, 0, 150, &amax, e))
		return e->code;
	if (amin >= 0 && amax >= 0 && amin > amax)
		return zb_fail(e, ZB_EINVAL, "age_min", "年龄下限不能大于上限");
	int t = zb_today_int(r->app);
	/* Ages as the roster shows them (zb_member_age, by birth month): a
	 * filter at the day would tell the birth day of a member born in this
	 * month to a caller who sees the month only. */
	if (amin >= 0) /* born in or before this month amin years ago */
		f->born_to = zb_arena_printf(&r->arena, "%04d-%02d-31", t / 10000 - (int)amin, t / 100 % 100);
	if (amax >= 0) /* born after this month amax+1 years ago */
		f->born_after = zb_arena_printf(&r->arena, "%04d-%02d-31", t / 10000 - (int)amax - 1, t / 100 % 100);
	if ((v = zb_req_query(r, "joined_from")) && *v) {
		if (!zb_date_valid(v))
			return zb_fail(e, ZB_EINVAL, "joined_from", "joined_from 应为日期 YYYY-MM-DD");
		f->joined_from = v;
	}
	if ((v = zb_req_query(r, "joined_to")) && *v) {
		if (!zb_date_valid(v))
			return zb_fail(e, ZB_EINVAL, "joined_to", "joined_to 应为日期 YYYY-MM-DD");
		f->joined_to = v;
	}
	int rc = zb_member_filter_q(f, zb_member_clean(&r->arena, zb_req_query(r, "q")), r->app->keys, t, &r->arena, e);
	/* a yes/no answer about one guessed number: for a caller who may not
	 * see ID numbers, one lookup of the hourly budget */
	if (!rc && f->qmode == 1 && !zb_authz_allows(r->who, P_MEMBER_SENSITIVE, r->target_path))
		rc = zb_id_lookup_take(r->db, r->who->user_id, zb_now(r->app), "search", e);
	return rc;
}

/* The search text as the audit keeps it: digits (and the X of an ID
 * number) become '*', so a search by ID or phone number is recorded as
 * one without the number; a search by name is kept. */
static const char *masked_query(zb_req *r, const char *q)
{
	char *c = zb_arena_strdup(&r->arena, q);
	unsigned char *u = (unsigned char *)c;
	int digits = 0;
	for (size_t i = 0; u[i]; i++) {
		if (u[i] >= '0' && u[i] <= '9') {
			u[i] = '*';
			digits++;
		} else if (u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 && u[i + 2] <= 0x99) {
			u[i] = u[i + 1] = u[i + 2] = '*'; /* full-width digit */
			digits++;
			i += 2;
		}
	}
	for (size_t i = 0; digits && u[i]; i++) {
		if (u[i] == 'x' || u[i] == 'X')
			u[i] = '*';
		else if (u[i] == 0xEF && ((u[i + 1] == 0xBC && u[i + 2] == 0xB8) || (u[i + 1] == 0xBD && u[i + 2] == 0x98)))
			u[i] = u[i + 1] = u[i + 2] = '*'; /* full-width X, x */
	}
	return c;
}

static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit;
	zb_member_filter f;
	zb_member_cursor c;
	zb_member_page page;
	if (zb_api_limit(r, &limit, e) || read_filters(r, &f, e) ||
	    zb_member_cursor_parse(&r->arena, zb_req_query(r, "after"), &c, e) ||
	    zb_member_list(r->db, r->target_id, r->target_path, &f, &c, limit, &r->arena, &page, e))
		return e->code;
	const char *root = r->target_path;
	int64_t n = page.n;
	zb_list_begin(r);
	for (int64_t i = 0; i < n; i++)
		write_member(r, &page.items[i], 0, 0);
	zb_list_end(r, page.total, page.next);

	/* one audit row per list request, with the filter */
	zb_buf d;
	zb_buf_init(&d, 8192);
	zb_jw w;
	jw_init(&w, &d);
	jw_obj(&w);
	static const char *const keys[] = {"q", "category", "status", "gender", "education", "age_min", "age_max",
	                                   "joined_from", "joined_to", "after"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = zb_req_query(r, keys[i]);
		if (v && *v)
			jw_kstr(&w, keys[i], i == 0 ? masked_query(r, v) : v);
	}
	jw_kint(&w, "count", n);
	jw_obj_end(&w);
	zb_req_audit_read(r, "member.list", "org", r->target_id, root, jw_finish(&w) ? NULL : d.data);
	zb_buf_release(&d);
	return 0;
}

/* ---- detail, create, edit ------------------------------------------------ */

static int h_get(zb_req *r, zb_err *e)
{
	zb_member m;
	int full, rc = zb_member_get(r->db, r->target_id, &r->arena, &m, e);
	if (rc || (rc = zb_api_want_full(r, m.org_path, &full, e)))
		return rc;
	if (full && (rc = zb_member_reveal(&m, r->app->keys, &r->arena, e))) {
		/* a value that does not decrypt under this row (moved, edited,
		 * another key): the attempt is on record too */
		zb_req_audit_read(r, "member.read", "member", m.id, m.org_path, "{\"full\":true,\"error\":\"undecryptable\"}");
		return rc;
	}
	write_member(r, &m, full, 1);
	zb_req_audit_read(r, "member.read", "member", m.id, m.org_path, full ? "{\"full\":true}" : "{\"full\":false}");
	return 0;
}

static zb_actor actor_of(zb_req *r)
{
	return (zb_actor){.user_id = r->who->user_id, .username = r->who->username, .ip = r->ip};
}

/* The body of a create or edit as the member domain takes it. */
static void read_input(zb_req *r, zb_member_input *in, int patch)
{
	memset(in, 0, sizeof *in);
	in->given = read_body(r, &in->m);
	if (zb_body_int(r, "org_id", &in->org_id))
		in->given |= ZB_MF_ORG;
	/* an edit that states group_id as null leaves the 党小组 */
	if (patch ? zb_body_has(r, "group_id") : zb_body_int(r, "group_id", &in->group_id)) {
		zb_body_int(r, "group_id", &in->group_id);
		in->given |= ZB_MF_GROUP;
	}
	in->reason = zb_body_str(r, "reason");
	in->effective_on = zb_body_str(r, "effective_on");
}

/* The member's record as it is now, after a write. */
static int write_saved(zb_req *r, int64_t id, zb_err *e)
{
	zb_member got;
	int rc = zb_member_get(r->db, id, &r->arena, &got, e);
	if (!rc)
		write_member(r, &got, 0, 1);
	return rc;
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_member_input in;
	read_input(r, &in, 0);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_member_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (rc || (rc = write_saved(r, id, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_patch(zb_req *r, zb_err *e)
{
	zb_member_input in;
	read_input(r, &in, 1);
	zb_actor ac = actor_of(r);
	int rc = zb_member_edit(r->db, r->app, &ac, r->who, r->target_id, &in, &r->arena, e);
	return rc ? rc : write_saved(r, r->target_id, e);
}

/* ---- history ------------------------------------------------------------ */

static int h_history(zb_req *r, zb_err *e)
{
	zb_member_change_row *rows;
	int n;
	int rc = zb_member_history_list(r->db, r->target_id, &r->arena, &rows, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	zb_jw *w = &r->jw;
	for (int i = 0; i < n; i++) {
		zb_member_change_row *h = &rows[i];
		const char *from = h->old_value, *to = h->new_value, *summary;
		if (!strcmp(h->kind, "org") || !strcmp(h->kind, "created") || !strcmp(h->kind, "group")) {
			from = h->old_name;
			to = h->new_name;
		}
		if (!strcmp(h->kind, "created"))
			summary = zb_arena_printf(&r->arena, "建立党员档案（%s）", to ? to : "");
		else if (!strcmp(h->kind, "category"))
			summary = zb_arena_printf(&r->arena, "人员类别：%s → %s",
			                          zb_category_name(h->old_value) ? zb_category_name(h->old_value) : "—",
			                          zb_category_name(h->new_value) ? zb_category_name(h->new_value) : "—");
		else if (!strcmp(h->kind, "status"))
			summary = zb_arena_printf(&r->arena, "党籍状态：%s → %s",
			                          zb_status_name(h->old_value) ? zb_status_name(h->old_value) : "—",
			                          zb_status_name(h->new_value) ? zb_status_name(h->new_value) : "—");
		else if (!strcmp(h->kind, "group"))
			summary = zb_arena_printf(&r->arena, "所在党小组：%s → %s", from ? from : "—", to ? to : "—");
		else
			summary = zb_arena_printf(&r->arena, "所在组织：%s → %s", from ? from : "—", to ? to : "—");
		jw_obj(w);
		jw_kint(w, "id", h->id);
		jw_kstr(w, "kind", h->kind);
		jw_kstr(w, "field", h->kind);
		jw_kstr(w, "from", from);
		jw_kstr(w, "to", to);
		if (!strcmp(h->kind, "org")) {
			jw_kstr(w, "from_id", h->old_value);
			jw_kstr(w, "to_id", h->new_value);
		}
		jw_kstr(w, "summary", summary);
		jw_kstr(w, "date", h->effective_on);
		jw_kstr(w, "reason", h->reason);
		jw_kint(w, "at", h->at);
		if (h->by)
			jw_kint(w, "by_user", h->by);
		else
			jw_knull(w, "by_user");
		jw_kstr(w, "by_name", h->by_display ? h->by_display : h->by_username);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "member.history", "member", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- designations (先锋岗 / 示范岗 / 责任区) ------------------------------ */

static int designation_fields(zb_req *r, zb_designation *d, zb_err *e)
{
	if (zb_body_has(r, "kind") && !(d->kind = zb_designation_from(zb_body_str(r, "kind"))))
		return zb_fail(e, ZB_EINVAL, "kind", "类型应为 先锋岗（pioneer_post）、示范岗（model_post）或 责任区（duty_zone）");
	if (zb_body_has(r, "title")) {
		d->title = zb_member_clean(&r->arena, zb_body_str(r, "title"));
		if (!d->title)
			return zb_fail(e, ZB_EINVAL, "title", "请填写岗位或责任区名称");
	}
	if (zb_body_has(r, "started_on"))
		d->started_on = zb_body_str(r, "started_on");
	if (zb_body_has(r, "ended_on"))
		d->ended_on = zb_body_str(r, "ended_on");
	if (d->started_on && !*d->started_on)
		d->started_on = NULL;
	if (d->ended_on && !*d->ended_on)
		d->ended_on = NULL;
	if (!d->started_on)
		return zb_fail(e, ZB_EINVAL, "started_on", "请填写开始日期");
	if (d->ended_on && strcmp(d->ended_on, d->started_on) < 0)
		return zb_fail(e, ZB_EINVAL, "ended_on", "结束日期不能早于开始日期");
	return 0;
}

static int h_desig_add(zb_req *r, zb_err *e)
{
	zb_designation d = {0};
	zb_actor ac = actor_of(r);
	int rc = designation_fields(r, &d, e);
	if (rc || (rc = zb_designation_add(r->db, r->app, &ac, r->target_id, r->target_path, &d, e)))
		return rc;
	r->status = 201;
	return write_saved(r, r->target_id, e);
}

/* The designation named by the path, of the member it names. */
static int get_designation(zb_req *r, zb_designation *d, zb_err *e)
{
	int64_t did;
	if (zb_req_param_id(r, 1, &did, e))
		return e->code;
	return zb_designation_get(r->db, r->target_id, did, &r->arena, d, e);
}

static int h_desig_patch(zb_req *r, zb_err *e)
{
	zb_designation d;
	zb_actor ac = actor_of(r);
	int rc = get_designation(r, &d, e);
	if (rc || (rc = designation_fields(r, &d, e)) ||
	    (rc = zb_designation_update(r->db, r->app, &ac, r->target_id, r->target_path, &d, e)))
		return rc;
	return write_saved(r, r->target_id, e);
}

static int h_desig_delete(zb_req *r, zb_err *e)
{
	zb_designation d;
	zb_actor ac = actor_of(r);
	int rc = get_designation(r, &d, e);
	if (rc || (rc = zb_designation_delete(r->db, r->app, &ac, r->target_id, r->target_path, d.id, e)))
		return rc;
	return write_saved(r, r->target_id, e);
}

/* ---- the member's own record -------------------------------------------- */

static int h_me_get(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	zb_member m;
	int rc = zb_member_get(r->db, r->who->member_id, &r->arena, &m, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号关联的党员档案不存在");
	if (rc)
		return rc;
	write_member(r, &m, 0, 1);
	zb_req_audit_read(r, "member.self_read", "member", m.id, m.org_path, NULL);
	return 0;
}

static int h_me_patch(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	zb_member_input in;
	read_input(r, &in, 1);
	zb_actor ac = actor_of(r);
	int rc = zb_member_self_edit(r->db, r->app, &ac, r->who->member_id, &in, &r->arena, e);
	return rc ? rc : write_saved(r, r->who->member_id, e);
}

/* ---- 政治生日 -------------------------------------------------------------- */

static int h_birthdays(zb_req *r, zb_err *e)
{
	int64_t days, limit;
	if (zb_req_query_int(r, "days", 30, 1, 366, &days, e) || zb_req_query_int(r, "limit", 100, 1, 500, &limit, e))
		return e->code;
	zb_birthday *b;
	int n;
	int rc = zb_member_birthdays(r->db, r->target_path, zb_today_int(r->app), (int)days, (int)limit, &r->arena, &b, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "member_id", b[i].member_id);
		jw_kstr(&r->jw, "name", b[i].name);
		jw_kint(&r->jw, "org_id", b[i].org_id);
		jw_kstr(&r->jw, "org_name", b[i].org_name);
		jw_kstr(&r->jw, "join_date", b[i].join_date);
		jw_kstr(&r->jw, "date", b[i].date);
		jw_kint(&r->jw, "years", b[i].years);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "member.birthdays", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"days\":%lld,\"count\":%d}", (long long)days, n));
	return 0;
}

/* ---- import ---------------------------------------------------------------- */

static int h_import(zb_req *r, zb_err *e)
{
	const char *fn;
	if (zb_api_import_filename(r, &fn, e))
		return e->code;
	/* the parse and the rows it keeps count in the budget shared by all
	 * concurrent imports (ZHIBU_IMPORT_MEMORY_MB) until they are freed */
	zb_memcharge charge = {.b = r->app->import_budget};
	zb_table_limits lim = {.charge = &charge};
	zb_import_opts o = {.app = r->app, .db = r->db, .who = r->who, .org_id = r->target_id, .filename = fn ? fn : "名册",
	                    .limits = &lim};
	zb_import *imp;
	/* rows refused as registered elsewhere are ID lookups (zb_import_save
	 * counts them): no upload once the budget is spent */
	int rc = zb_id_lookup_check(r->db, r->who->user_id, zb_now(r->app), e);
	if (rc) {
		zb_memcharge_release(&charge);
		return rc;
	}
	rc = zb_import_read(&o, r->body.data, r->body.len, &imp, e);
	if (rc) {
		zb_memcharge_release(&charge);
		return rc;
	}
	rc = zb_import_lookups(r->db, imp, r->who, zb_now(r->app), e);
	if (rc) {
		zb_import_free(imp);
		zb_memcharge_release(&charge);
		return rc;
	}
	zb_actor ac = actor_of(r);
	int64_t batch;
	rc = zb_import_save(r->app, r->db, imp, &ac, &batch, e);
	if (!rc) {
		r->status = 201;
		imp->org_trail = zb_api_org_trail(r, imp->org_path);
		zb_import_preview_json(&r->jw, imp, batch, 2000);
	}
	zb_import_free(imp);
	zb_memcharge_release(&charge);
	return rc;
}

static int h_import_get(zb_req *r, zb_err *e)
{
	zb_import *imp;
	int rc = zb_import_load(r->app, r->db, r->target_id, r->who->user_id, 0, &imp, e);
	if (rc == ZB_ECONFLICT) {
		/* committed or expired: the batch itself is still worth showing */
		zb_import_brief b;
		int found = 0;
		zb_err be = {0};
		if (zb_import_brief_get(r->db, r->target_id, &r->arena, &b, &found, &be)) {
			*e = be;
			return be.code;
		}
		if (found) {
			jw_obj(&r->jw);
			jw_kint(&r->jw, "id", r->target_id);
			jw_kstr(&r->jw, "status", b.status);
			jw_kstr(&r->jw, "filename", b.filename);
			jw_kobj(&r->jw, "counts");
			jw_kint(&r->jw, "new", b.counts[ZB_IROW_NEW]);
			jw_kint(&r->jw, "update", b.counts[ZB_IROW_UPDATE]);
			jw_kint(&r->jw, "unchanged", b.counts[ZB_IROW_UNCHANGED]);
			jw_kint(&r->jw, "error", b.counts[ZB_IROW_ERROR]);
			jw_obj_end(&r->jw);
			jw_obj_end(&r->jw);
			rc = 0;
		}
		return rc;
	}
	if (rc)
		return rc;
	imp->org_trail = zb_api_org_trail(r, imp->org_path);
	zb_import_preview_json(&r->jw, imp, r->target_id, 2000);
	zb_import_free(imp);
	zb_req_audit_read(r, "import.read", "import", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_import_commit(zb_req *r, zb_err *e)
{
	int skip_errors = zb_api_skip_errors(r);
	zb_import *imp;
	int rc = zb_import_load(r->app, r->db, r->target_id, r->who->user_id, 1, &imp, e);
	if (rc)
		return rc;
	zb_actor ac = actor_of(r);
	int64_t done[ZB_IROW_NSTATUS];
	rc = zb_import_apply(r->app, r->db, imp, r->target_id, &ac, r->who, skip_errors, done, e);
	zb_import_free(imp);
	if (rc)
		return rc;
	zb_api_import_committed(r, done, 1);
	return 0;
}

/* The import template (member/export.c), generated per request: a few KB,
 * nothing personal in it. */
static int h_import_template(zb_req *r, zb_err *e)
{
	char path[600];
	int rc = zb_req_tmpfile(r, "template", path, sizeof path, e);
	if (rc)
		return rc;
	if ((rc = zb_import_template(path, e))) {
		unlink(path);
		return rc;
	}
	if ((rc = zb_req_body_file(r, path, "模板文件过大", e)))
		return rc;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	zb_req_disposition(r, "attachment", "roster-template.xlsx", "党员名册导入模板.xlsx");
	return 0;
}

/* The target org with the ancestors the caller may read, "县委 / 镇党委 /
 * 支部": three branches of one name in three towns are told apart.  NULL
 * on a database error (the caller then names the org alone). */
const char *zb_api_org_trail(zb_req *r, const char *path)
{
	return zb_member_org_trail(r->db, r->who, path, &r->arena);
}

/* ---- export ---------------------------------------------------------------- */

static int h_export(zb_req *r, zb_err *e)
{
	const char *fmt = zb_req_query(r, "format");
	if (!fmt || !*fmt)
		fmt = "xlsx";
	if (strcmp(fmt, "xlsx") && strcmp(fmt, "csv"))
		return zb_fail(e, ZB_EINVAL, "format", "导出格式应为 xlsx 或 csv");
	int csv = !strcmp(fmt, "csv");
	int full;
	int rc = zb_api_want_full(r, r->target_path, &full, e);
	if (rc) {
		snprintf(e->msg, sizeof e->msg, "导出完整身份证号和电话需要在该组织拥有“敏感信息”权限");
		return rc;
	}
	zb_export_opts o = {.app = r->app, .db = r->db, .org_id = r->target_id, .full = full, .csv = csv};
	char path[600] = "";
	int64_t count = 0;
	zb_buf_reset(&r->out);
	if (csv) {
		o.csv_out = &r->out;
		rc = zb_roster_export(&o, &count, e);
	} else {
		if ((rc = zb_req_tmpfile(r, "export", path, sizeof path, e)))
			return rc;
		o.xlsx_path = path;
		rc = zb_roster_export(&o, &count, e);
		if (!rc)
			rc = zb_req_body_file(r, path, "导出文件过大，请按下级组织分别导出", e);
		else
			unlink(path);
	}
	if (rc) {
		zb_buf_reset(&r->out);
		return rc;
	}
	zb_org og;
	zb_err oe = {0};
	const char *org = zb_org_get(r->db, r->target_id, &r->arena, &og, &oe) ? "组织" : og.name;
	char today[11];
	zb_today(r->app, today);
	const char *name = zb_arena_printf(&r->arena, "%s党员花名册-%.4s%.2s%.2s.%s", org, today, today + 5, today + 8, fmt);
	zb_req_disposition(r, "attachment", zb_arena_printf(&r->arena, "roster.%s", fmt), name);
	r->content_type = csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	zb_req_audit_read(r, "member.export", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"format\":\"%s\",\"full\":%s,\"count\":%lld}", fmt,
	                                  full ? "true" : "false", (long long)count));
	return 0;
}

/* ---- routes ---------------------------------------------------------------- */

/* The member fields of the bodies, from the one description
 * (ZB_MEMBER_FIELDS, member/member.h): a create documents each with its
 * input help, an edit with its label; the member's own edit takes the
 * fields whose editor is SELF. */
#define CREATE_FIELD(bit, json, label, type, bytes, chars, flags, editor, hint) \
	{#json, type, ((flags) & ZB_MFF_REQUIRED) != 0, bytes, hint},
#define PATCH_FIELD(bit, json, label, type, bytes, chars, flags, editor, hint) {#json, type, 0, bytes, label},
#define SELF_FIELD_SELF(json, type, bytes, label) {#json, type, 0, bytes, label},
#define SELF_FIELD_STAFF(json, type, bytes, label)
#define SELF_FIELD(bit, json, label, type, bytes, chars, flags, editor, hint) \
	SELF_FIELD_##editor(json, type, bytes, label)

static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "所在组织（党支部或党小组）"},
	{"group_id", 'i', 0, 0, "党小组（所在党支部下的党小组组织编号）"},
	ZB_MEMBER_FIELDS(CREATE_FIELD)
	{"reason", 's', 0, 400, "变动原因（类别、状态、组织变动时必填）"},
	{"effective_on", 'd', 0, 10, "变动生效日期（默认今天）"},
	{0},
};
static const zb_field patch_fields[] = {
	{"org_id", 'i', 0, 0, "所在组织（党支部或党小组）"},
	{"group_id", 'i', 0, 0, "党小组"},
	ZB_MEMBER_FIELDS(PATCH_FIELD)
	{"reason", 's', 0, 400, "变动原因（类别、状态、组织变动时必填）"},
	{"effective_on", 'd', 0, 10, "变动生效日期（默认今天）"},
	{0},
};
static const zb_field self_fields[] = {
	ZB_MEMBER_FIELDS(SELF_FIELD){0},
};
static const zb_field desig_fields[] = {
	{"kind", 's', 1, 32, "pioneer_post 先锋岗 / model_post 示范岗 / duty_zone 责任区"},
	{"title", 's', 1, 300, "岗位或责任区名称"},
	{"started_on", 'd', 1, 10, "开始日期"},
	{"ended_on", 'd', 0, 10, "结束日期"},
	{0},
};
static const zb_field desig_patch_fields[] = {
	{"kind", 's', 0, 32, "类型"},
	{"title", 's', 0, 300, "名称"},
	{"started_on", 'd', 0, 10, "开始日期"},
	{"ended_on", 'd', 0, 10, "结束日期（null 清除）"},
	{0},
};

#define LIST_QUERY \
	"org:integer,q:string,category:string,status:string,gender:string,education:string,age_min:integer," \
	"age_max:integer,joined_from:string,joined_to:string,after:string,limit:integer"

/* write_member() */
#define MEMBER_PROPS                                                                                   \
	{"id", 'i', 0, NULL, "党员编号"}, {"org_id", 'i', 0, NULL, "所在党组织"},                            \
	{"org_name", 's', 0, NULL, "所在党组织名称"}, {"group_id", 'i', ZB_NULL, NULL, "所在党小组"},        \
	{"group_name", 's', ZB_NULL, NULL, "所在党小组名称"}, {"name", 's', 0, NULL, "姓名"},                \
	{"pinyin", 's', ZB_NULL, NULL, "姓名全拼"}, {"initials", 's', ZB_NULL, NULL, "姓名首字母"},          \
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"}, {"ethnicity", 's', ZB_NULL, NULL, "民族"},           \
	{"birth_date", 's', ZB_NULL, NULL, "出生日期（无权查看全部时只到年月）"},                             \
	{"age", 'i', ZB_NULL, NULL, "年龄"},                                                               \
	{"id_number", 's', ZB_NULL, NULL, "身份证号（默认隐去中间部分）"},                                  \
	{"native_place", 's', ZB_NULL, NULL, "籍贯"}, {"education", 's', ZB_NULL, NULL, "学历"},            \
	{"degree", 's', ZB_NULL, NULL, "学位"}, {"work_unit", 's', ZB_NULL, NULL, "工作单位"},               \
	{"job_title", 's', ZB_NULL, NULL, "职务"}, {"category", 's', 0, NULL, "类别：full 或 probationary"}, \
	{"category_name", 's', ZB_NULL, NULL, "类别名称"}, {"join_date", 'd', ZB_NULL, NULL, "入党日期"},   \
	{"full_date", 'd', ZB_NULL, NULL, "转正日期"}, {"party_age", 'i', ZB_NULL, NULL, "党龄（年）"},      \
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"}, {"address", 's', ZB_NULL, NULL, "住址"}, \
	{"status", 's', 0, NULL, "党籍状态代码，如 normal"}, {"status_name", 's', ZB_NULL, NULL, "党籍状态名称"}, \
	{"source", 's', ZB_NULL, NULL, "来源"}, {"remarks", 's', ZB_NULL, NULL, "备注"},                     \
	{"created_at", 'i', 0, NULL, "建档时间（Unix 秒）"}, {"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"}
static const zb_prop member_item_props[] = {
	MEMBER_PROPS,
	{0},
};
static const zb_shape member_item = {"MemberItem", member_item_props, 0, 0, "党员（名册中）"};
ZB_LIST_COUNTED(member_list, "MemberList", &member_item);

static const zb_prop designation_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"kind", 's', 0, NULL, "类别代码"},
	{"kind_name", 's', ZB_NULL, NULL, "类别名称：先锋岗、示范岗、责任区"},
	{"title", 's', 0, NULL, "岗位或责任区名称"},
	{"name", 's', 0, NULL, "类别与名称，如 先锋岗：…"},
	{"started_on", 'd', ZB_NULL, NULL, "设立日期"},
	{"ended_on", 'd', ZB_NULL, NULL, "撤销日期"},
	{"active", 'b', 0, NULL, "今天仍在设"},
	{0},
};
static const zb_shape designation = {"Designation", designation_props, 0, 0, "党员先锋岗、示范岗或责任区"};
static const zb_prop member_props[] = {
	MEMBER_PROPS,
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"designations", 'a', 0, &designation, "岗位与责任区"},
	{0},
};
static const zb_shape member_shape = {"Member", member_props, 0, 0, "党员档案"};

static const zb_prop history_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"kind", 's', 0, NULL, "变动类别：created 建档、org 所在组织、group 所在党小组、category 人员类别、status 党籍状态"},
	{"field", 's', 0, NULL, "同 kind"},
	{"from", 's', ZB_NULL, NULL, "变动前"},
	{"to", 's', ZB_NULL, NULL, "变动后"},
	{"from_id", 's', ZB_OPT | ZB_NULL, NULL, "变动前的组织编号（组织变动时）"},
	{"to_id", 's', ZB_OPT | ZB_NULL, NULL, "变动后的组织编号（组织变动时）"},
	{"summary", 's', ZB_NULL, NULL, "一句话说明"},
	{"date", 'd', ZB_NULL, NULL, "变动日期"},
	{"reason", 's', ZB_NULL, NULL, "原因"},
	{"at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"by_user", 'i', ZB_NULL, NULL, "登记人账号"},
	{"by_name", 's', ZB_NULL, NULL, "登记人"},
	{0},
};
static const zb_shape history_item = {"MemberChange", history_props, 0, 0, "党员变动记录"};
ZB_LIST_COUNTED(history_list, "MemberChangeList", &history_item);

static const zb_prop birthday_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在党组织"},
	{"org_name", 's', 0, NULL, "所在党组织名称"},
	{"join_date", 'd', 0, NULL, "入党日期"},
	{"date", 'd', 0, NULL, "政治生日"},
	{"years", 'i', 0, NULL, "入党周年数"},
	{0},
};
static const zb_shape birthday = {"PoliticalBirthday", birthday_props, 0, 0, "政治生日"};
ZB_LIST_COUNTED(birthday_list, "PoliticalBirthdayList", &birthday);

/* zb_import_preview_json (member/import.c); a committed or expired batch
 * answers id, status, filename and counts only */
static const zb_prop import_col_props[] = {
	{"header", 's', 0, NULL, "文件中的列名"},
	{"maps_to", 's', ZB_NULL, NULL, "对应的花名册字段（不导入为 null）"},
	{0},
};
static const zb_shape import_col = {NULL, import_col_props, 0, 0, NULL};
static const zb_prop import_counts_props[] = {
	{"new", 'i', 0, NULL, "新增"},
	{"update", 'i', 0, NULL, "修改"},
	{"unchanged", 'i', 0, NULL, "不变"},
	{"error", 'i', 0, NULL, "有错"},
	{"total", 'i', ZB_OPT, NULL, "行数（预览时）"},
	{0},
};
static const zb_shape import_counts = {NULL, import_counts_props, 0, 0, NULL};
static const zb_prop import_change_props[] = {
	{"field", 's', 0, NULL, "字段"},
	{"label", 's', ZB_NULL, NULL, "字段名称"},
	{"from", 's', ZB_NULL, NULL, "原值"},
	{"to", 's', ZB_NULL, NULL, "新值"},
	{0},
};
static const zb_shape import_change = {NULL, import_change_props, 0, 0, NULL};
static const zb_prop import_row_props[] = {
	{"row", 'i', 0, NULL, "文件中的行号"},
	{"status", 's', 0, NULL, "new、update、unchanged 或 error"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（隐去中间部分）"},
	{"org_name", 's', ZB_NULL, NULL, "所在党组织"},
	{"errors", 'a', 0, &zb_shape_string, "错误"},
	{"changes", 'a', 0, &import_change, "将修改的字段"},
	{0},
};
static const zb_shape import_row = {NULL, import_row_props, 0, 0, NULL};
static const zb_prop import_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', ZB_OPT | ZB_NULL, NULL, "已提交或已过期的批次：committed、expired"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"format", 's', ZB_OPT, NULL, "xlsx 或 csv"},
	{"org_id", 'i', ZB_OPT, NULL, "导入到的组织"},
	{"org_name", 's', ZB_OPT | ZB_NULL, NULL, "导入到的组织名称"},
	{"org_trail", 's', ZB_OPT, NULL, "导入到的组织及其上级（调用者可见的部分），如“某县委 / 某镇党委 / 某村党支部”"},
	{"samples_skipped", 'i', ZB_OPT, NULL, "跳过的模板示例行数（姓名以“【示例】”开头）"},
	{"sheet", 's', ZB_OPT, NULL, "工作表"},
	{"encoding", 's', ZB_OPT, NULL, "CSV 的编码"},
	{"header_row", 'i', ZB_OPT, NULL, "表头所在行"},
	{"columns", 'a', ZB_OPT, &import_col, "列的对应"},
	{"counts", 'o', 0, &import_counts, "按状态计数"},
	{"rows", 'a', ZB_OPT, &import_row, "各行（最多 2000 行，有错的行总列出）"},
	{"rows_omitted", 'i', ZB_OPT, NULL, "未列出的行数"},
	{0},
};
static const zb_shape import_shape = {"ImportBatch", import_props, 0, 0, "导入批次"};
static const zb_prop import_done_counts_props[] = {
	{"new", 'i', 0, NULL, "新增"},
	{"update", 'i', 0, NULL, "修改"},
	{"unchanged", 'i', 0, NULL, "不变"},
	{"skipped", 'i', 0, NULL, "跳过的有错行"},
	{0},
};
static const zb_shape import_done_counts = {NULL, import_done_counts_props, 0, 0, NULL};
static const zb_prop import_done_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "committed"},
	{"counts", 'o', 0, &import_done_counts, "写入的行数"},
	{0},
};
static const zb_shape import_done = {"ImportCommitted", import_done_props, 0, 0, "导入已提交"};

const zb_route zb_routes_members[] = {
	/* before /members/{id}, which would match "export" */
	{.method = "GET", .pattern = "/api/v1/members/export", .fn = h_export,
	 .perm = P_MEMBER_EXPORT, .scope = S_QUERY_ORG, .resp = ZB_MEDIA("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv"),
	 .tag = "members", .summary = "导出党员花名册（xlsx/csv，默认隐去身份证号和电话）",
	 .query_doc = "org:integer,format:string,full:integer"},
	{.method = "GET", .pattern = "/api/v1/members", .fn = h_list,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&member_list),
	 .tag = "members", .summary = "党员名册（组织及下级；按姓名、全拼、首字母搜索）",
	 .query_doc = LIST_QUERY},
	{.method = "POST", .pattern = "/api/v1/members", .fn = h_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = create_fields, .resp = ZB_CREATED(&member_shape),
	 .tag = "members", .summary = "新增党员"},
	{.method = "GET", .pattern = "/api/v1/members/{id}", .fn = h_get,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "党员详情（审计）",
	 .query_doc = "full:integer"},
	{.method = "PATCH", .pattern = "/api/v1/members/{id}", .fn = h_patch,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = patch_fields, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "修改党员信息"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/history", .fn = h_history,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&history_list),
	 .tag = "members", .summary = "党员变动记录"},
	{.method = "POST", .pattern = "/api/v1/members/{id}/designations", .fn = h_desig_add,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = desig_fields, .resp = ZB_CREATED(&member_shape),
	 .tag = "members", .summary = "设立先锋岗、示范岗或责任区"},
	{.method = "PATCH", .pattern = "/api/v1/members/{id}/designations/{did}", .fn = h_desig_patch,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = desig_patch_fields, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "修改岗位或责任区"},
	{.method = "DELETE", .pattern = "/api/v1/members/{id}/designations/{did}", .fn = h_desig_delete,
	 .perm = P_MEMBER_WRITE, .scope = S_MEMBER, .flags = R_WRITE, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "删除岗位或责任区"},
	{.method = "GET", .pattern = "/api/v1/me/member", .fn = h_me_get,
	 .perm = P_SELF_READ, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "本人的党员档案"},
	{.method = "PATCH", .pattern = "/api/v1/me/member", .fn = h_me_patch,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = self_fields, .resp = ZB_OK(&member_shape),
	 .tag = "members", .summary = "修改本人的联系电话、住址、备注"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/birthdays", .fn = h_birthdays,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&birthday_list),
	 .tag = "members", .summary = "近期政治生日（入党纪念日）",
	 .query_doc = "days:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/imports", .fn = h_import,
	 .perm = P_MEMBER_IMPORT, .scope = S_QUERY_ORG, .flags = R_WRITE | R_RAW, .max_body = ZB_TABLE_MAX_FILE_BYTES, .resp = ZB_CREATED(&import_shape),
	 .tag = "members", .summary = "上传名册文件（xlsx/csv）并预览",
	 .query_doc = "org:integer,filename:string"},
	/* before /imports/{id}, which would match "template" */
	{.method = "GET", .pattern = "/api/v1/imports/template", .fn = h_import_template,
	 .perm = P_MEMBER_IMPORT, .resp = ZB_MEDIA("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
	 .tag = "members", .summary = "下载名册导入模板（xlsx，含表头和一行示例，示例行不会导入）"},
	{.method = "GET", .pattern = "/api/v1/imports/{id}", .fn = h_import_get,
	 .perm = P_MEMBER_IMPORT, .scope = S_IMPORT, .resp = ZB_OK(&import_shape),
	 .tag = "members", .summary = "导入批次预览"},
	{.method = "POST", .pattern = "/api/v1/imports/{id}/commit", .fn = h_import_commit,
	 .perm = P_MEMBER_IMPORT, .scope = S_IMPORT, .flags = R_WRITE, .resp = ZB_OK(&import_done),
	 .tag = "members", .summary = "提交导入（全部成功或全部不写入）",
	 .query_doc = "skip_errors:integer"},
	{0},
};
