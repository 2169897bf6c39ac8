/* api_disclose.c - 三务公开 (disclose/disclose.h, docs/DISCLOSURE.md): a
 * village's items and their flow, the approval queue, the county's overdue
 * list, the board sheet with its QR code, and the two routes anyone may
 * read without logging in: the published items of one village as JSON
 * and as the page the QR code opens (/gk/{id or code}). */
#include "api/api.h"
#include "core/escape.h"
#include "disclose/disclose.h"
#include "meeting/attach.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most items a public answer carries: a village publishes about 25 a
 * year (12 财务, 4 党务, 4 村务 and events), so two years and more. */
#define PUBLIC_MAX 60

/* ---- the public routes' bound: requests per client address a minute ----
 * A fixed window per address in a small table (addresses that share a slot
 * share its budget).  Enough for a village behind one address reading its
 * board all day; a client that walks the ids is slowed to a crawl. */
#define PUB_SLOTS 512
#define PUB_PER_MIN 120

static struct {
	pthread_mutex_t mu;
	struct {
		uint64_t key;
		int64_t minute;
		int n;
	} slot[PUB_SLOTS];
} pub = {.mu = PTHREAD_MUTEX_INITIALIZER};

static int pub_allow(zb_req *r, zb_err *e)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = r->ip ? r->ip : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	int64_t minute = zb_now(r->app) / 60;
	pthread_mutex_lock(&pub.mu);
	unsigned i = (unsigned)(h % PUB_SLOTS);
	if (pub.slot[i].minute != minute || pub.slot[i].key != h) {
		pub.slot[i].minute = minute;
		pub.slot[i].key = h;
		pub.slot[i].n = 0;
	}
	int ok = ++pub.slot[i].n <= PUB_PER_MIN;
	pthread_mutex_unlock(&pub.mu);
	return ok ? 0 : zb_fail(e, ZB_ERATE, NULL, "访问过于频繁，请稍后再试");
}

/* ---- writing items ---- */

static const char *kind_name(const char *kind)
{
	int k = zb_disclose_kind(kind);
	return k < 0 ? "" : zb_disclose_kind_names[k];
}

static void write_tables(zb_jw *w, const char *text)
{
	json_t *t = json_loads(text && *text ? text : "[]", 0, NULL);
	char *s = t ? json_dumps(t, JSON_COMPACT) : NULL;
	jw_raw(w, s ? s : "[]");
	free(s);
	json_decref(t);
}

/* An item's attachments: inside the app by the item's route (with the
 * uploaded name), to the public by the public route (caption only). */
static void write_files(zb_req *r, const zb_disclosure *d, int internal)
{
	zb_jw *w = &r->jw;
	jw_karr(w, "attachments");
	for (int i = 0; i < d->nfiles; i++) {
		const zb_disclosure_file *f = &d->files[i];
		jw_obj(w);
		jw_kint(w, "id", f->id);
		jw_kstr(w, "kind", f->kind);
		jw_kstr(w, "content_type", zb_attach_content_type(f->kind));
		jw_kstr(w, "caption", f->caption);
		jw_kint(w, "size", f->size);
		if (internal) {
			jw_kstr(w, "filename", f->filename);
			jw_kint(w, "created_at", f->created_at);
			jw_kstr(w, "url", zb_arena_printf(&r->arena, "/api/v1/disclosures/%lld/attachments/%lld", (long long)d->id,
			                                  (long long)f->id));
		} else {
			jw_kstr(w, "url", zb_arena_printf(&r->arena, "/api/v1/public/disclosure-files/%lld", (long long)f->id));
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* The members of an item; full: with text and tables. */
static void write_item(zb_jw *w, const zb_disclosure *d, int full, int internal)
{
	jw_kint(w, "id", d->id);
	jw_kint(w, "org_id", d->org_id);
	jw_kstr(w, "org_name", d->org_name);
	jw_kstr(w, "kind", d->kind);
	jw_kstr(w, "kind_name", kind_name(d->kind));
	jw_kstr(w, "period", d->period);
	jw_kstr(w, "title", d->title);
	if (full) {
		jw_kstr(w, "body", d->body);
		jw_key(w, "tables");
		write_tables(w, d->tables);
	}
	if (d->published_on)
		jw_kstr(w, "published_on", d->published_on);
	else
		jw_knull(w, "published_on");
	if (!internal)
		return;
	jw_kstr(w, "status", d->status);
	if (*d->deadline)
		jw_kstr(w, "deadline", d->deadline);
	else
		jw_knull(w, "deadline");
	jw_kbool(w, "late", d->published_on && *d->deadline && strcmp(d->published_on, d->deadline) > 0);
	jw_kint(w, "created_by", d->created_by);
	jw_kstr(w, "created_by_name", d->created_by_name ? d->created_by_name : "");
	jw_kint(w, "updated_at", d->updated_at);
	if (d->withdraw_reason)
		jw_kstr(w, "withdraw_reason", d->withdraw_reason);
	else
		jw_knull(w, "withdraw_reason");
}

static int write_one(zb_req *r, int64_t id, zb_err *e)
{
	zb_disclosure d;
	zb_disclosure_step *steps;
	int n;
	int rc = zb_disclosure_get(r->db, id, &r->arena, &d, &steps, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	write_item(w, &d, 1, 1);
	write_files(r, &d, 1);
	jw_karr(w, "history");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kstr(w, "action", steps[i].action);
		if (steps[i].from_status)
			jw_kstr(w, "from_status", steps[i].from_status);
		else
			jw_knull(w, "from_status");
		jw_kstr(w, "to_status", steps[i].to_status);
		if (steps[i].reason)
			jw_kstr(w, "reason", steps[i].reason);
		else
			jw_knull(w, "reason");
		jw_kstr(w, "by", steps[i].user_name ? steps[i].user_name : "");
		jw_kbool(w, "attachments_checked", steps[i].attachments_checked);
		jw_kint(w, "at", steps[i].at);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- handlers ---- */

static void read_input(zb_req *r, zb_disclosure_in *in)
{
	in->kind = zb_body_str(r, "kind");
	in->period = zb_body_str(r, "period");
	in->title = zb_body_str(r, "title");
	in->body = zb_body_str(r, "body");
	json_t *t = json_object_get(r->json, "tables");
	in->tables = t && !json_is_null(t) ? t : NULL;
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_disclosure_in in;
	read_input(r, &in);
	int64_t org = 0, id = 0;
	zb_body_int(r, "org_id", &org);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_disclosure_create(r->db, r->app, &by, org, &in, zb_now(r->app), &id, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_one(r, id, e);
}

static int h_get(zb_req *r, zb_err *e)
{
	return write_one(r, r->target_id, e);
}

static int h_patch(zb_req *r, zb_err *e)
{
	zb_disclosure_in in;
	read_input(r, &in);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_disclosure_edit(r->db, r->app, &by, r->target_id, &in, zb_now(r->app), e);
	return rc ? rc : write_one(r, r->target_id, e);
}

static int h_step(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int checked = json_is_true(json_object_get(r->json, "attachments_checked"));
	int rc = zb_disclosure_step_checked(r->db, r->app, &by, r->who, r->target_id, zb_body_str(r, "action"),
	                                    zb_body_str(r, "reason"), checked, today, zb_now(r->app), e);
	return rc ? rc : write_one(r, r->target_id, e);
}

/* ---- attachments ---- */

static int h_attach_upload(zb_req *r, zb_err *e)
{
	const char *filename = zb_req_query(r, "filename"), *caption = zb_req_query(r, "caption");
	if (filename && (strlen(filename) > 1000 || !zb_utf8_valid(filename, strlen(filename))))
		return zb_fail(e, ZB_EINVAL, "filename", "文件名无效");
	zb_audit_ev by = zb_req_actor(r);
	zb_disclosure_file f;
	int rc = zb_disclosure_attach_add(r->db, r->app, &by, r->target_id, filename, caption, r->body.data, r->body.len,
	                                  zb_now(r->app), &r->arena, &f, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_one(r, r->target_id, e);
}

/* One stored file as the answer: photos inline, PDFs as a download (not
 * rendered in this origin); the type from the stored kind, never the name. */
static int send_file(zb_req *r, const zb_disclosure_file *f, const char *stored, zb_err *e)
{
	zb_buf_reset(&r->out);
	int rc = zb_attach_read_file(r->app->data_dir, stored, &r->out, e);
	if (rc)
		return rc;
	r->content_type = zb_attach_content_type(f->kind);
	const char *ext = !strcmp(f->kind, "jpeg") ? "jpg" : f->kind;
	zb_req_disposition(r, !strcmp(f->kind, "pdf") ? "attachment" : "inline",
	                   zb_arena_printf(&r->arena, "gk-%lld.%s", (long long)f->id, ext),
	                   zb_arena_printf(&r->arena, "%s.%s", f->caption ? f->caption : "附件", ext));
	return 0;
}

static int h_attach_get(zb_req *r, zb_err *e)
{
	int64_t fid;
	int rc = zb_req_param_id(r, 1, &fid, e);
	zb_disclosure_file f;
	const char *stored;
	if (rc || (rc = zb_disclosure_attach_find(r->db, r->target_id, fid, &r->arena, &f, &stored, e)) ||
	    (rc = send_file(r, &f, stored, e)))
		return rc;
	r->cache_control = "private, no-store";
	return 0;
}

static int h_attach_delete(zb_req *r, zb_err *e)
{
	int64_t fid;
	int rc = zb_req_param_id(r, 1, &fid, e);
	zb_audit_ev by = zb_req_actor(r);
	if (rc || (rc = zb_disclosure_attach_remove(r->db, r->app, &by, r->target_id, fid, e)))
		return rc;
	return write_one(r, r->target_id, e);
}

/* A published item's file, to anyone: 404 alike for an unknown id, a
 * draft's file and a withdrawn item's, so that drafts are not found by
 * walking the ids. */
static int h_public_file(zb_req *r, zb_err *e)
{
	int rc = pub_allow(r, e);
	int64_t fid;
	zb_disclosure_file f;
	const char *stored;
	if (rc || (rc = zb_req_param_id(r, 0, &fid, e)) ||
	    (rc = zb_disclosure_attach_find(r->db, 0, fid, &r->arena, &f, &stored, e)) ||
	    (rc = send_file(r, &f, stored, e)))
		return rc;
	r->cache_control = "public, max-age=60";
	return 0;
}

static int status_query(zb_req *r, const char **status, const char **kind, zb_err *e)
{
	static const char *const st[] = {"draft", "submitted", "approved", "reviewed", "published", "withdrawn"};
	*status = zb_req_query(r, "status");
	*kind = zb_req_query(r, "kind");
	int ok = !*status;
	for (size_t i = 0; !ok && i < sizeof st / sizeof st[0]; i++)
		ok = !strcmp(*status, st[i]);
	if (!ok)
		return zb_fail(e, ZB_EINVAL, "status", "状态应为 draft、submitted、approved、reviewed、published 或 withdrawn");
	if (*kind && zb_disclose_kind(*kind) < 0)
		return zb_fail(e, ZB_EINVAL, "kind", "公开类别应为 party（党务）、village（村务）或 finance（财务）");
	return 0;
}

static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	const char *status, *kind;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e) ||
	    status_query(r, &status, &kind, e))
		return e->code;
	zb_disclosure *v;
	int n;
	int rc = zb_disclosure_list(r->db, r->target_path, status, kind, after, limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(&r->jw);
		write_item(&r->jw, &v[i], 0, 1);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)v[limit - 1].id) : NULL);
	return 0;
}

static int h_queue(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_disclosure *v;
	int n;
	int rc = zb_disclosure_queue(r->db, r->target_path, after, limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(&r->jw);
		write_item(&r->jw, &v[i], 0, 1);
		/* what this caller may do with it (the domain decides again) */
		int approve = !strcmp(v[i].status, "submitted") && v[i].created_by != r->who->user_id;
		int review = 0;
		if (!strcmp(v[i].status, "approved")) {
			zb_village vil;
			zb_err ignore = {0};
			review = !zb_disclose_village(r->db, v[i].org_id, &r->arena, &vil, &ignore) &&
			         zb_authz_allows(r->who, P_ORG_WRITE, vil.township_path);
		}
		jw_kbool(&r->jw, "can_approve", approve);
		jw_kbool(&r->jw, "can_review", review);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)v[limit - 1].id) : NULL);
	return 0;
}

static int h_overdue(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t year;
	if (zb_req_query_int(r, "year", atoi(today), 2000, 2200, &year, e))
		return e->code;
	zb_disclose_overdue *v;
	int n, villages;
	int rc = zb_disclosure_overdue(r->db, r->target_path, (int)year, today, &r->arena, &v, &n, &villages, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kstr(w, "today", today);
	jw_kint(w, "villages_overdue", villages);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kstr(w, "township_name", v[i].township_name ? v[i].township_name : "");
		jw_kstr(w, "kind", v[i].kind);
		jw_kstr(w, "kind_name", kind_name(v[i].kind));
		jw_kstr(w, "period", v[i].period);
		jw_kstr(w, "deadline", v[i].deadline);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* The public page's address for the village: the org's code when it has
 * one (stable when ids change across a move of the data), else its id. */
static const char *page_url(zb_req *r, const zb_village *v)
{
	if (v->code && *v->code) {
		zb_buf b = {0};
		zb_esc_pct(&b, v->code);
		const char *u = zb_arena_printf(&r->arena, "%s/gk/%s", zb_api_base_url(r), b.data ? b.data : "");
		zb_buf_release(&b);
		return u;
	}
	return zb_arena_printf(&r->arena, "%s/gk/%lld", zb_api_base_url(r), (long long)v->id);
}

static int h_board(zb_req *r, zb_err *e)
{
	zb_village v;
	int rc = zb_disclose_village(r->db, r->target_id, &r->arena, &v, e);
	if (rc)
		return rc;
	rc = zb_disclose_board_html(&v, page_url(r, &v), &r->out, e);
	if (rc)
		return rc;
	r->content_type = "text/html; charset=utf-8";
	return 0;
}

static int h_public_list(zb_req *r, zb_err *e)
{
	int rc = pub_allow(r, e);
	if (rc)
		return rc;
	const char *org = zb_req_query(r, "org");
	if (!org || !*org)
		return zb_fail(e, ZB_EINVAL, "org", "缺少村的组织编号（org）");
	zb_village v;
	if ((rc = zb_disclose_village_by_ref(r->db, org, &r->arena, &v, e)))
		return rc;
	zb_disclosure *rows;
	int n;
	if ((rc = zb_disclosure_public(r->db, v.id, PUBLIC_MAX, &r->arena, &rows, &n, e)) ||
	    (rc = zb_disclosure_attach_fill(r->db, rows, n, &r->arena, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kobj(w, "org");
	jw_kint(w, "id", v.id);
	jw_kstr(w, "name", v.name);
	jw_kstr(w, "township_name", v.township_name ? v.township_name : "");
	jw_obj_end(w);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		write_item(w, &rows[i], 1, 0);
		write_files(r, &rows[i], 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	r->cache_control = "public, max-age=60";
	return 0;
}

static void page_404(zb_req *r)
{
	r->status = 404;
	r->content_type = "text/html; charset=utf-8";
	r->cache_control = "public, max-age=60";
	zb_buf_reset(&r->out);
	zb_buf_puts(&r->out, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                     "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>未找到</title>"
	                     "</head><body><p>未找到该村的公开栏。</p></body></html>");
}

static int h_public_page(zb_req *r, zb_err *e)
{
	int rc = pub_allow(r, e);
	if (rc)
		return rc;
	zb_village v;
	rc = zb_disclose_village_by_ref(r->db, r->nparams > 0 ? r->params[0] : "", &r->arena, &v, e);
	if (rc == ZB_ENOTFOUND) {
		page_404(r);
		return 0;
	}
	zb_disclosure *rows;
	int n;
	if (rc || (rc = zb_disclosure_public(r->db, v.id, PUBLIC_MAX, &r->arena, &rows, &n, e)) ||
	    (rc = zb_disclosure_attach_fill(r->db, rows, n, &r->arena, e)))
		return rc;
	char today[11];
	zb_today(r->app, today);
	zb_disclose_page_html(&v, rows, n, today, &r->out);
	r->content_type = "text/html; charset=utf-8";
	r->cache_control = "public, max-age=60";
	return 0;
}

/* ---- request bodies ---- */

#define ITEM_FIELDS(req)                                                                                         \
	{"kind", 's', (req), 20, "类别：party 党务 / village 村务 / finance 财务"},                                  \
	{"period", 's', (req), 10, "公开期间：2026-03（月）、2026-Q1（季度），党务事项也可为日期 2026-03-15"},       \
	{"title", 's', (req), 200, "标题"},                                                                         \
	{"body", 's', 0, 20000, "正文"},                                                                            \
	{"tables", 'a', 0, 0, "表格：[{title, columns:[列名...], rows:[[格...]...]}]，格为文字或数字"}

static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "村党组织编号"},
	ITEM_FIELDS(1),
	{0},
};
static const zb_field patch_fields[] = {
	ITEM_FIELDS(0),
	{0},
};
static const zb_field step_fields[] = {
	{"action", 's', 1, 20, "submit 提交审核 / approve 支部审核通过 / refuse 退回 / review 乡镇审核通过 / publish 公开 / withdraw 撤回"},
	{"reason", 's', 0, 500, "原因（退回、撤回时必填）"},
	{"attachments_checked", 'b', 0, 0, "已核对附件不含身份证号、手机号等个人信息（有附件的事项支部审核时必填 true）"},
	{0},
};

/* ---- response shapes ---- */

#define ITEM_PROPS                                                                                   \
	{"id", 'i', 0, NULL, "事项编号"}, {"org_id", 'i', 0, NULL, "村党组织"},                         \
	{"org_name", 's', 0, NULL, "村党组织名称"}, {"kind", 's', 0, NULL, "party / village / finance"},    \
	{"kind_name", 's', 0, NULL, "党务 / 村务 / 财务"}, {"period", 's', 0, NULL, "公开期间"},            \
	{"title", 's', 0, NULL, "标题"}, {"published_on", 'd', ZB_NULL, NULL, "公开日期（未公开为 null）"}
#define INTERNAL_PROPS                                                                               \
	{"status", 's', 0, NULL, "draft 草稿 / submitted 待支部审核 / approved 待乡镇审核 / reviewed 待公开 / " \
	                         "published 已公开 / withdrawn 已撤回"},                                 \
	{"deadline", 'd', ZB_NULL, NULL, "该期应公开的最后一天（事项类为 null）"},                       \
	{"late", 'b', 0, NULL, "公开晚于期限"}, {"created_by", 'i', 0, NULL, "起草人账号（0：系统）"},   \
	{"created_by_name", 's', 0, NULL, "起草人"}, {"updated_at", 'i', 0, NULL, "最后修改时间（Unix 秒）"}, \
	{"withdraw_reason", 's', ZB_NULL, NULL, "撤回原因"}

static const zb_shape table_shape = {
	NULL,
	(const zb_prop[]){
		{"title", 's', ZB_OPT | ZB_NULL, NULL, "表名"},
		{"columns", 'a', 0, &zb_shape_string, "列名"},
		{"rows", 'a', 0, &zb_shape_any, "行：每行一个数组，格为文字或数字"},
		{0},
	},
	0, 0, "一张表"};
static const zb_prop step_props[] = {
	{"action", 's', 0, NULL, "create / edit / submit / approve / refuse / review / publish / withdraw"},
	{"from_status", 's', ZB_NULL, NULL, "之前的状态"},
	{"to_status", 's', 0, NULL, "之后的状态"},
	{"reason", 's', ZB_NULL, NULL, "原因（退回、撤回）"},
	{"by", 's', 0, NULL, "操作人"},
	{"at", 'i', 0, NULL, "时间（Unix 秒）"},
	{"attachments_checked", 'b', 0, NULL, "支部审核时确认已核对附件不含个人信息"},
	{0},
};
static const zb_shape step_shape = {NULL, step_props, 0, 0, NULL};
#define FILE_PROPS                                                                                     \
	{"id", 'i', 0, NULL, "附件编号"}, {"kind", 's', 0, NULL, "jpeg、png 或 pdf（按内容判断）"},           \
	{"content_type", 's', 0, NULL, "媒体类型"}, {"caption", 's', 0, NULL, "附件说明"},                 \
	{"size", 'i', 0, NULL, "字节数"}
static const zb_prop file_props[] = {
	FILE_PROPS,
	{"filename", 's', 0, NULL, "上传时的文件名"},
	{"created_at", 'i', 0, NULL, "上传时间（Unix 秒）"},
	{"url", 's', 0, NULL, "查看地址（需登录）"},
	{0},
};
static const zb_shape file_shape = {"DisclosureAttachment", file_props, 0, 0, "三务公开事项的附件"};
static const zb_prop public_file_props[] = {
	FILE_PROPS,
	{"url", 's', 0, NULL, "公开地址（无需登录）"},
	{0},
};
static const zb_shape public_file_shape = {"PublicDisclosureAttachment", public_file_props, 0, 0, "已公开事项的附件"};
static const zb_prop detail_props[] = {
	ITEM_PROPS,
	{"body", 's', 0, NULL, "正文"},
	{"tables", 'a', 0, &table_shape, "表格"},
	INTERNAL_PROPS,
	{"attachments", 'a', 0, &file_shape, "附件：照片和 PDF"},
	{"history", 'a', 0, &step_shape, "每一步：起草、修改、提交、审核、退回、公开、撤回"},
	{0},
};
static const zb_shape detail_shape = {"Disclosure", detail_props, 0, 0, "三务公开事项"};
static const zb_prop row_props[] = {ITEM_PROPS, INTERNAL_PROPS, {0}};
static const zb_shape row_shape = {"DisclosureRow", row_props, 0, 0, "三务公开事项（列表）"};
ZB_LIST_PAGED(row_list, "DisclosureList", &row_shape);
static const zb_prop queue_props[] = {
	ITEM_PROPS,
	INTERNAL_PROPS,
	{"can_approve", 'b', 0, NULL, "本人可作支部审核（起草人以外）"},
	{"can_review", 'b', 0, NULL, "本人可作乡镇审核"},
	{0},
};
static const zb_shape queue_shape = {"DisclosureQueued", queue_props, 0, 0, "待审核的三务公开事项"};
ZB_LIST_PAGED(queue_list, "DisclosureQueue", &queue_shape);
static const zb_prop overdue_item_props[] = {
	{"org_id", 'i', 0, NULL, "村党组织"},
	{"org_name", 's', 0, NULL, "村党组织名称"},
	{"township_name", 's', 0, NULL, "所属乡镇党委"},
	{"kind", 's', 0, NULL, "party / village / finance"},
	{"kind_name", 's', 0, NULL, "党务 / 村务 / 财务"},
	{"period", 's', 0, NULL, "逾期未公开的期间"},
	{"deadline", 'd', 0, NULL, "应公开的最后一天"},
	{0},
};
static const zb_shape overdue_item = {NULL, overdue_item_props, 0, 0, NULL};
static const zb_prop overdue_props[] = {
	{"year", 'i', 0, NULL, "年份"},
	{"today", 'd', 0, NULL, "按哪一天计算"},
	{"villages_overdue", 'i', 0, NULL, "有逾期未公开的村数"},
	{"items", 'a', 0, &overdue_item, "逾期未公开的村、类别与期间"},
	{0},
};
static const zb_shape overdue_shape = {"DisclosureOverdue", overdue_props, 0, 0, "逾期未公开的三务"};
static const zb_prop public_item_props[] = {
	ITEM_PROPS,
	{"body", 's', 0, NULL, "正文"},
	{"tables", 'a', 0, &table_shape, "表格"},
	{"attachments", 'a', 0, &public_file_shape, "附件：照片和 PDF"},
	{0},
};
static const zb_shape public_item = {"PublicDisclosure", public_item_props, 0, 0, "已公开的三务公开事项"};
static const zb_prop public_org_props[] = {
	{"id", 'i', 0, NULL, "村党组织编号"},
	{"name", 's', 0, NULL, "名称"},
	{"township_name", 's', 0, NULL, "所属乡镇党委"},
	{0},
};
static const zb_shape public_org = {NULL, public_org_props, 0, 0, NULL};
static const zb_prop public_props[] = {
	{"org", 'o', 0, &public_org, "村"},
	{"items", 'a', 0, &public_item, "已公开的事项，最近公开的在前（最多 60 项）"},
	{0},
};
static const zb_shape public_shape = {"PublicDisclosures", public_props, 0, 0, "一个村已公开的三务"};

const zb_route zb_routes_disclose[] = {
	{.method = "GET", .pattern = "/api/v1/public/disclosures", .fn = h_public_list, .flags = R_PUBLIC,
	 .resp = ZB_OK(&public_shape), .query_doc = "org:string:村党组织编号或组织编码",
	 .tag = "disclosure", .summary = "一个村已公开的三务（无需登录）"},
	{.method = "GET", .pattern = "/gk/{ref}", .fn = h_public_page, .flags = R_PUBLIC, .resp = ZB_MEDIA("text/html"),
	 .tag = "disclosure", .summary = "村务公开栏页面（无需登录，扫公开栏上的二维码打开）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/disclosures", .fn = h_list, .perm = P_ORG_READ, .scope = S_ORG,
	 .resp = ZB_OK(&row_list), .query_doc = "status:string,kind:string,after:integer,limit:integer",
	 .tag = "disclosure", .summary = "组织及下级的三务公开事项（含草稿与撤回）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/disclosure-queue", .fn = h_queue, .perm = P_MEETING_WRITE,
	 .scope = S_ORG, .resp = ZB_OK(&queue_list), .query_doc = "after:integer,limit:integer",
	 .tag = "disclosure", .summary = "待支部审核与待乡镇审核的三务公开事项"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/disclosure-overdue", .fn = h_overdue, .perm = P_ORG_READ,
	 .scope = S_ORG, .resp = ZB_OK(&overdue_shape), .query_doc = "year:integer:年份（默认今年）",
	 .tag = "disclosure", .summary = "逾期未公开的村与期间"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/disclosure-board", .fn = h_board, .perm = P_ORG_READ,
	 .scope = S_ORG, .resp = ZB_MEDIA("text/html"), .tag = "disclosure", .summary = "公开栏二维码（打印张贴）"},
	{.method = "POST", .pattern = "/api/v1/disclosures", .fn = h_create, .perm = P_MEETING_WRITE, .scope = S_BODY_ORG,
	 .flags = R_WRITE | R_JSON, .max_body = 256u << 10, .fields = create_fields, .resp = ZB_CREATED(&detail_shape),
	 .tag = "disclosure", .summary = "起草三务公开事项"},
	{.method = "GET", .pattern = "/api/v1/disclosures/{id}", .fn = h_get, .perm = P_ORG_READ, .scope = S_DISCLOSURE,
	 .resp = ZB_OK(&detail_shape), .tag = "disclosure", .summary = "三务公开事项及其每一步"},
	{.method = "PATCH", .pattern = "/api/v1/disclosures/{id}", .fn = h_patch, .perm = P_MEETING_WRITE,
	 .scope = S_DISCLOSURE, .flags = R_WRITE | R_JSON, .max_body = 256u << 10, .fields = patch_fields,
	 .resp = ZB_OK(&detail_shape), .tag = "disclosure", .summary = "修改草稿"},
	{.method = "POST", .pattern = "/api/v1/disclosures/{id}/steps", .fn = h_step, .perm = P_MEETING_WRITE,
	 .scope = S_DISCLOSURE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = step_fields,
	 .resp = ZB_OK(&detail_shape), .tag = "disclosure",
	 .summary = "提交、支部审核、乡镇审核、公开、退回或撤回"},
	{.method = "POST", .pattern = "/api/v1/disclosures/{id}/attachments", .fn = h_attach_upload, .perm = P_MEETING_WRITE,
	 .scope = S_DISCLOSURE, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES, .resp = ZB_CREATED(&detail_shape),
	 .query_doc = "filename:string,caption:string:附件说明（必填）", .tag = "disclosure",
	 .summary = "为草稿上传照片或 PDF（请求体为文件内容）"},
	{.method = "GET", .pattern = "/api/v1/disclosures/{id}/attachments/{fid}", .fn = h_attach_get, .perm = P_ORG_READ,
	 .scope = S_DISCLOSURE, .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf"), .tag = "disclosure",
	 .summary = "查看事项的附件"},
	{.method = "DELETE", .pattern = "/api/v1/disclosures/{id}/attachments/{fid}", .fn = h_attach_delete,
	 .perm = P_MEETING_WRITE, .scope = S_DISCLOSURE, .flags = R_WRITE, .resp = ZB_OK(&detail_shape), .tag = "disclosure",
	 .summary = "删除草稿的附件"},
	{.method = "GET", .pattern = "/api/v1/public/disclosure-files/{fid}", .fn = h_public_file, .flags = R_PUBLIC,
	 .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf"), .tag = "disclosure",
	 .summary = "已公开事项的附件（无需登录）"},
	{0},
};
