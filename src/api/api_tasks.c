/* api_tasks.c - 工作任务 down the tree (issue, forward, reply, progress,
 * reminders), 通知公告 with read receipts, and the 我的 list
 * (task/task.h, docs/TASKS.md). */
#include "api/api.h"
#include "meeting/attach.h"
#include "task/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_name(const char *kind)
{
	int k = zb_task_kind_parse(kind);
	return k < 0 ? "" : zb_task_kind_names[k];
}

static void write_json_text(zb_jw *w, const char *k, const char *text, const char *dflt)
{
	json_t *t = text ? json_loads(text, 0, NULL) : NULL;
	char *s = t ? json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	jw_key(w, k);
	jw_raw(w, s ? s : dflt);
	free(s);
	json_decref(t);
}

/* What a task asks for: text, form and link (in an open object). */
static void write_brief(zb_jw *w, const zb_task *t)
{
	jw_kint(w, "id", t->id);
	jw_kint(w, "org_id", t->org_id);
	jw_kstr(w, "org_name", t->org_name);
	jw_kstr(w, "title", t->title);
	jw_kstr(w, "body", t->body);
	jw_kstr(w, "due_on", t->due_on);
	jw_kstr(w, "kind", t->kind);
	jw_kstr(w, "kind_name", kind_name(t->kind));
	write_json_text(w, "form", t->form_fields, "[]");
	if (t->link_type || t->link_period) {
		jw_kobj(w, "link");
		zb_api_kstr_or_null(w, "type", t->link_type);
		zb_api_kstr_or_null(w, "from", t->link_from);
		zb_api_kstr_or_null(w, "to", t->link_to);
		zb_api_kstr_or_null(w, "period", t->link_period);
		jw_obj_end(w);
	} else {
		jw_knull(w, "link");
	}
}

static void write_dups(zb_jw *w, const zb_task_dup *d, int n)
{
	jw_karr(w, "duplicates");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", d[i].org_id);
		jw_kstr(w, "org_name", d[i].org_name);
		jw_kint(w, "task_id", d[i].task_id);
		jw_kstr(w, "title", d[i].title);
		jw_kstr(w, "issuer_name", d[i].issuer_name);
		jw_kstr(w, "due_on", d[i].due_on);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static int write_task(zb_req *r, int64_t id, const zb_task_dup *dups, int ndups, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_task t;
	zb_task_target *tt;
	zb_task_rollup p;
	int n;
	int rc = zb_task_get(r->db, id, &r->arena, &t, e);
	if (rc || (rc = zb_task_targets(r->db, id, today, &r->arena, &tt, &n, e)) ||
	    (rc = zb_task_progress(r->db, id, 0, today, &r->arena, &p, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	write_brief(w, &t);
	zb_api_kid_or_null(w, "parent_id", t.parent_id);
	jw_kint(w, "root_id", t.root_id ? t.root_id : t.id);
	write_json_text(w, "targets_spec", t.targets, "{}");
	jw_kstr(w, "created_by_name", t.created_by_name ? t.created_by_name : "");
	jw_kint(w, "created_at", t.created_at);
	zb_api_kstr_or_null(w, "last_reminded_on", t.last_reminded_on);
	jw_kint(w, "assigned", p.assigned);
	jw_kint(w, "done", p.done);
	jw_kint(w, "overdue", p.overdue);
	jw_karr(w, "targets");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "id", tt[i].id);
		jw_kint(w, "org_id", tt[i].org_id);
		jw_kstr(w, "org_name", tt[i].org_name);
		jw_kstr(w, "state", tt[i].state);
		zb_api_kstr_or_null(w, "done_on", tt[i].done_on);
		zb_api_kid_or_null(w, "forward_id", tt[i].forward_id);
		zb_api_kstr_or_null(w, "reminded_on", tt[i].reminded_on);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (ndups)
		write_dups(w, dups, ndups);
	jw_obj_end(w);
	return 0;
}

/* ---- tasks ---- */


/* Created (201, with the duplicates confirmed), or not created and the
 * duplicates to confirm (200). */
static int answer_created(zb_req *r, int64_t id, zb_task_dup *dups, int ndups, zb_err *e)
{
	if (!id) {
		jw_obj(&r->jw);
		jw_kbool(&r->jw, "created", 0);
		write_dups(&r->jw, dups, ndups);
		jw_obj_end(&r->jw);
		return 0;
	}
	r->status = 201;
	return write_task(r, id, dups, ndups, e);
}

static int h_create(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_task_in in;
	zb_task_in_read(r->json, &in);
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	zb_task_dup *dups;
	int ndups;
	int rc = zb_task_create(r->db, r->app, &by, &in, today, zb_now(r->app), &r->arena, &id, &dups, &ndups, e);
	return rc ? rc : answer_created(r, id, dups, ndups, e);
}

static int h_forward(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_task_in in;
	zb_task_in_read(r->json, &in);
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	zb_task_dup *dups;
	int ndups;
	int rc = zb_task_forward(r->db, r->app, &by, r->target_id, &in, today, zb_now(r->app), &r->arena, &id, &dups, &ndups,
	                         e);
	return rc ? rc : answer_created(r, id, dups, ndups, e);
}

static int h_get(zb_req *r, zb_err *e)
{
	return write_task(r, r->target_id, NULL, 0, e);
}

static int h_progress(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t under;
	if (zb_req_query_int(r, "under", 0, 0, INT64_MAX, &under, e))
		return e->code;
	zb_task t;
	zb_task_rollup p;
	int rc = zb_task_get(r->db, r->target_id, &r->arena, &t, e);
	if (rc || (rc = zb_task_progress(r->db, r->target_id, under, today, &r->arena, &p, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "task_id", t.id);
	jw_kstr(w, "title", t.title);
	jw_kstr(w, "due_on", t.due_on);
	jw_kstr(w, "today", today);
	jw_kint(w, "under_id", p.under_id);
	jw_kstr(w, "under_name", p.under_name);
	jw_kint(w, "assigned", p.assigned);
	jw_kint(w, "done", p.done);
	jw_kint(w, "overdue", p.overdue);
	jw_karr(w, "orgs");
	for (int i = 0; i < p.n; i++) {
		const zb_task_prow *x = &p.rows[i];
		jw_obj(w);
		jw_kint(w, "org_id", x->org_id);
		jw_kstr(w, "org_name", x->org_name);
		jw_kbool(w, "self", x->org_id == p.under_id);
		jw_kint(w, "assigned", x->assigned);
		jw_kint(w, "done", x->done);
		jw_kint(w, "overdue", x->overdue);
		jw_kbool(w, "has_below", x->has_below);
		zb_api_kid_or_null(w, "target_id", x->target_id);
		zb_api_kstr_or_null(w, "state", x->state);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_remind(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int64_t pending = 0;
	int rc = zb_task_remind(r->db, r->app, &by, r->target_id, today, zb_now(r->app), &pending, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kstr(&r->jw, "sent_on", today);
	jw_kint(&r->jw, "pending", pending);
	jw_obj_end(&r->jw);
	return 0;
}

/* received: an item of the tasks issued to an org (its target's state);
 * else one the org issued (its roll-up). */
static void write_item(zb_jw *w, const zb_task_item *it, int received)
{
	jw_obj(w);
	jw_kint(w, "id", it->task.id);
	jw_kstr(w, "title", it->task.title);
	jw_kstr(w, "due_on", it->task.due_on);
	jw_kstr(w, "kind", it->task.kind);
	jw_kstr(w, "kind_name", kind_name(it->task.kind));
	jw_kint(w, "org_id", it->task.org_id);
	jw_kstr(w, "org_name", it->task.org_name);
	if (received) {
		jw_kint(w, "target_id", it->target.id);
		jw_kstr(w, "target_org_name", it->target.org_name);
		jw_kstr(w, "state", it->target.state);
		zb_api_kstr_or_null(w, "done_on", it->target.done_on);
		zb_api_kstr_or_null(w, "reminded_on", it->target.reminded_on);
	} else {
		jw_kint(w, "assigned", it->assigned);
		jw_kint(w, "done", it->done);
		jw_kint(w, "overdue", it->overdue);
		zb_api_kid_or_null(w, "parent_id", it->task.parent_id);
	}
	jw_obj_end(w);
}

static int h_org_tasks(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	/* box: todo 待办 (the default: tasks issued to the org) or issued 已下发 */
	const char *box = zb_req_query(r, "box");
	int received = !box || !strcmp(box, "todo");
	if (!received && strcmp(box, "issued"))
		return zb_fail(e, ZB_EINVAL, "box", "box 应为 todo（待办）或 issued（已下发）");
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	zb_task_item *v;
	int n;
	int rc = (received ? zb_task_received : zb_task_issued)(r->db, r->target_id, today, (int)limit, &r->arena, &v, &n,
	                                                         e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_item(&r->jw, &v[i], received);
	zb_list_end(r, -1, NULL);
	return 0;
}

/* ---- targets ---- */

/* A stored file of a reply ("task-files") or a notice ("notice-files"). */
static void write_file(zb_req *r, const zb_task_file *f, const char *route)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", f->id);
	jw_kstr(w, "kind", f->kind);
	jw_kstr(w, "content_type", zb_attach_content_type(f->kind));
	jw_kstr(w, "filename", f->filename);
	jw_kint(w, "size", f->size);
	jw_kint(w, "created_at", f->created_at);
	jw_kstr(w, "url", zb_arena_printf(&r->arena, "/api/v1/%s/%lld", route, (long long)f->id));
	jw_obj_end(w);
}

static int write_target(zb_req *r, int64_t id, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_task t;
	zb_task_target tt;
	int rc = zb_task_target_get(r->db, id, today, &r->arena, &t, &tt, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", tt.id);
	jw_kint(w, "org_id", tt.org_id);
	jw_kstr(w, "org_name", tt.org_name);
	jw_kstr(w, "state", tt.state);
	zb_api_kstr_or_null(w, "done_on", tt.done_on);
	zb_api_kstr_or_null(w, "replied_on", tt.replied_on);
	zb_api_kstr_or_null(w, "reply", tt.reply);
	if (tt.form_values)
		write_json_text(w, "values", tt.form_values, "{}");
	else
		jw_knull(w, "values");
	zb_api_kid_or_null(w, "forward_id", tt.forward_id);
	zb_api_kstr_or_null(w, "reminded_on", tt.reminded_on);
	int kind = zb_task_kind_parse(t.kind);
	jw_kbool(w, "answerable", kind < ZB_TK_MEETING && !tt.forward_id);
	jw_karr(w, "files");
	for (int i = 0; i < tt.nfiles; i++)
		write_file(r, &tt.files[i], "task-files");
	jw_arr_end(w);
	jw_kobj(w, "task");
	write_brief(w, &t);
	jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_target(zb_req *r, zb_err *e)
{
	return write_target(r, r->target_id, e);
}

static int h_reply(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_task_reply(r->db, r->app, &by, r->target_id, zb_body_str(r, "text"), json_object_get(r->json, "values"),
	                       today, zb_now(r->app), e);
	return rc ? rc : write_target(r, r->target_id, e);
}

/* The body stored as a file of the route's object by add (a reply's or
 * a notice's); 201 with the file, its address under route. */
typedef int (*file_add_fn)(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t owner, const char *filename,
                           const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e);
static int upload(zb_req *r, file_add_fn add, const char *route, zb_err *e)
{
	const char *filename;
	int rc = zb_api_upload_filename(r, &filename, e);
	zb_audit_ev by = zb_req_actor(r);
	zb_task_file f;
	if (rc || (rc = add(r->db, r->app, &by, r->target_id, filename, r->body.data, r->body.len, zb_now(r->app),
	                    &r->arena, &f, e)))
		return rc;
	r->status = 201;
	write_file(r, &f, route);
	return 0;
}

static int h_file_upload(zb_req *r, zb_err *e)
{
	return upload(r, zb_task_file_add, "task-files", e);
}

static int h_file_get(zb_req *r, zb_err *e)
{
	zb_task_file f;
	const char *stored;
	int rc = zb_task_file_find(r->db, r->target_id, &r->arena, &f, &stored, e);
	return rc ? rc : zb_api_stored_file(r, f.kind, f.filename, stored, "task-file", "task.file.read", "task_file", e);
}

/* ---- notices ---- */

/* A notice the caller may see: a recipient, or org.read at the issuer;
 * else not found, like one that does not exist. */
static int visible_notice(zb_req *r, int64_t id, zb_notice *n, int *recipient, zb_err *e)
{
	int rc = zb_notice_get(r->db, id, r->who->user_id, &r->arena, n, recipient, e);
	if (rc == ZB_ENOTFOUND || (!rc && !*recipient && !zb_authz_allows(r->who, P_ORG_READ, n->org_path)))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该通知");
	return rc;
}

static int write_notice(zb_req *r, int64_t id, zb_err *e)
{
	zb_notice n;
	int recipient = 0;
	int rc = visible_notice(r, id, &n, &recipient, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", n.id);
	jw_kint(w, "org_id", n.org_id);
	jw_kstr(w, "org_name", n.org_name);
	jw_kstr(w, "title", n.title);
	jw_kstr(w, "body", n.body);
	write_json_text(w, "types", n.types, "[]");
	jw_kstr(w, "created_by_name", n.created_by_name ? n.created_by_name : "");
	jw_kint(w, "created_at", n.created_at);
	jw_kbool(w, "recipient", recipient);
	if (n.read_at)
		jw_kint(w, "read_at", n.read_at);
	else
		jw_knull(w, "read_at");
	jw_karr(w, "files");
	for (int i = 0; i < n.nfiles; i++)
		write_file(r, &n.files[i], "notice-files");
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_notice_create(zb_req *r, zb_err *e)
{
	int64_t org = 0, id = 0;
	zb_body_int(r, "org_id", &org);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_notice_create(r->db, r->app, &by, org, zb_body_str(r, "title"), zb_body_str(r, "body"),
	                          json_object_get(r->json, "types"), zb_now(r->app), &id, e);
	if (rc)
		return rc;
	r->status = 201;
	return write_notice(r, id, e);
}

static int h_notice_get(zb_req *r, zb_err *e)
{
	int64_t id;
	int rc = zb_req_param_id(r, 0, &id, e);
	return rc ? rc : write_notice(r, id, e);
}

static int h_notice_read(zb_req *r, zb_err *e)
{
	int64_t id;
	int rc = zb_req_param_id(r, 0, &id, e);
	zb_notice n;
	int recipient = 0;
	if (!rc)
		rc = visible_notice(r, id, &n, &recipient, e);
	zb_audit_ev by = zb_req_actor(r);
	if (rc || (rc = zb_notice_read(r->db, r->app, &by, id, zb_now(r->app), e)))
		return rc;
	return write_notice(r, id, e);
}

static int h_notice_file_upload(zb_req *r, zb_err *e)
{
	return upload(r, zb_notice_file_add, "notice-files", e);
}

/* A notice's file, to whoever may see the notice (else not found). */
static int h_notice_file_get(zb_req *r, zb_err *e)
{
	int64_t id;
	zb_task_file f;
	zb_notice n;
	int recipient;
	const char *stored;
	int rc = zb_req_param_id(r, 0, &id, e);
	if (!rc)
		rc = zb_notice_file_find(r->db, id, &r->arena, &f, &stored, e);
	if (rc == ZB_ENOTFOUND || (!rc && (rc = visible_notice(r, f.target_id, &n, &recipient, e))))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该通知");
	return rc ? rc
	          : zb_api_stored_file(r, f.kind, f.filename, stored, "notice-file", "notice.file.read", "notice_file", e);
}

static int h_receipts(zb_req *r, zb_err *e)
{
	zb_notice_rcpt *v;
	zb_notice_org *g;
	int n, ng;
	int rc = zb_notice_receipts(r->db, r->target_id, &r->arena, &v, &n, &g, &ng, e);
	if (rc)
		return rc;
	int nread = 0;
	for (int i = 0; i < n; i++)
		nread += v[i].read_at != 0;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "notice_id", r->target_id);
	jw_kint(w, "recipients", n);
	jw_kint(w, "read", nread);
	jw_kint(w, "unread", n - nread);
	jw_karr(w, "unread_orgs");
	for (int i = 0; i < ng; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", g[i].org_id);
		jw_kstr(w, "org_name", g[i].org_name);
		jw_kint(w, "unread", g[i].unread);
		jw_kint(w, "total", g[i].total);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "people");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "user_id", v[i].user_id);
		jw_kstr(w, "name", v[i].name ? v[i].name : "");
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		if (v[i].read_at)
			jw_kint(w, "read_at", v[i].read_at);
		else
			jw_knull(w, "read_at");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	/* a list of people, with when each read it */
	zb_req_audit_read(r, "notice.receipts", "notice", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_org_notices(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	zb_notice *v;
	int n;
	int rc = zb_notice_list(r->db, r->target_id, (int)limit, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", v[i].id);
		jw_kstr(&r->jw, "title", v[i].title);
		jw_kstr(&r->jw, "org_name", v[i].org_name);
		jw_kint(&r->jw, "created_at", v[i].created_at);
		jw_kint(&r->jw, "recipients", v[i].recipients);
		jw_kint(&r->jw, "read", v[i].nread);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, -1, NULL);
	return 0;
}

/* ---- 我的 ---- */

static int h_inbox(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t *orgs = zb_arena_alloc(&r->arena, ((size_t)r->who->ngrants + 1) * sizeof *orgs);
	int norgs = 0;
	for (int i = 0; i < r->who->ngrants; i++) {
		const zb_grant *g = &r->who->grants[i];
		int seen = 0;
		for (int k = 0; k < norgs; k++)
			seen |= orgs[k] == g->org_id;
		if ((g->perms & P_MEETING_WRITE) && !seen)
			orgs[norgs++] = g->org_id;
	}
	zb_inbox in;
	int rc = zb_inbox_get(r->db, r->who->user_id, r->who->member_id, orgs, norgs, today, zb_now(r->app), &r->arena, &in,
	                      e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "today", today);
	jw_kint(w, "unread_notices", in.unread);
	jw_karr(w, "notices");
	for (int i = 0; i < in.nnotices; i++) {
		jw_obj(w);
		jw_kint(w, "id", in.notices[i].id);
		jw_kstr(w, "title", in.notices[i].title);
		jw_kstr(w, "org_name", in.notices[i].org_name);
		jw_kint(w, "created_at", in.notices[i].created_at);
		jw_kbool(w, "read", in.notices[i].read_at != 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "tasks");
	for (int i = 0; i < in.ntasks; i++)
		write_item(w, &in.tasks[i], 1);
	jw_arr_end(w);
	jw_karr(w, "meetings");
	for (int i = 0; i < in.nmeetings; i++) {
		const zb_inbox_meeting *m = &in.meetings[i];
		jw_obj(w);
		jw_kint(w, "id", m->id);
		jw_kint(w, "org_id", m->org_id);
		jw_kstr(w, "org_name", m->org_name);
		jw_kstr(w, "type", m->type);
		jw_kstr(w, "title", m->title);
		jw_kstr(w, "held_on", m->held_on);
		jw_kint(w, "start_at", m->start_at);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "dues");
	for (int i = 0; i < in.ndues; i++) {
		char ym[8];
		zb_ym_text(in.dues[i].ym, ym);
		jw_obj(w);
		jw_kstr(w, "month", ym);
		jw_kint(w, "owed_fen", in.dues[i].owed_fen);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "study");
	if (in.has_study) {
		jw_obj(w);
		jw_kint(w, "year", atoi(today));
		jw_kdouble(w, "hours", in.study_hours);
		jw_kdouble(w, "required", in.study_required);
		jw_kdouble(w, "short", in.study_hours < in.study_required ? in.study_required - in.study_hours : 0);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_obj_end(w);
	return 0;
}

/* ---- request bodies ---- */

#define TASK_FIELDS                                                                                                \
	{"title", 's', 1, 200, "任务标题"}, {"body", 's', 0, 20000, "任务内容"},                                      \
	{"due_on", 'd', 1, 0, "截止日期（当天完成不算逾期）"},                                                      \
	{"kind", 's', 0, 20, "完成方式：reply 回复（默认）/ form 填表 / meeting 会议记录 / disclosure 三务公开 / dues 党费收缴"}, \
	{"form", 'a', 0, 0, "填表任务的填报项：[{key, label, type: text|number|date|choice, options, required}]"},     \
	{"link", 'o', 0, 0, "由记录完成：会议 {type, from, to}；三务公开 {type: party|village|finance, period}；党费 {period: YYYY-MM}"}
static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "下发任务的组织"},
	TASK_FIELDS,
	{"targets", 'o', 1, 0, "下发对象：{mode: all 全部直属下级 | type 按类型 | domain 按领域 | orgs 指定组织, types, domains, org_ids}"},
	{"confirm_duplicate", 'b', 0, 0, "已知有重复的任务，仍要下发"},
	{0},
};
static const zb_field forward_fields[] = {
	{"targets", 'o', 1, 0, "转发对象：{mode, types, domains, org_ids}（本组织之下）"},
	{"due_on", 'd', 0, 0, "截止日期（不晚于上级的，默认与上级相同）"},
	{"body", 's', 0, 20000, "转发说明（附在任务内容后）"},
	{"confirm_duplicate", 'b', 0, 0, "已知有重复的任务，仍要转发"},
	{0},
};
static const zb_field reply_fields[] = {
	{"text", 's', 0, 20000, "回复内容"},
	{"values", 'o', 0, 0, "填表任务：各填报项的值 {key: 值}"},
	{0},
};
static const zb_field notice_fields[] = {
	{"org_id", 'i', 1, 0, "发布通知的组织（发给其下的账号与党员）"},
	{"title", 's', 1, 200, "标题"},
	{"body", 's', 0, 20000, "正文"},
	{"types", 'a', 0, 0, "只发给这些类型的组织，如 [\"branch\"]（不填：全部）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop field_props[] = {
	{"key", 's', 0, NULL, "填报项代码"},
	{"label", 's', 0, NULL, "名称"},
	{"type", 's', 0, NULL, "text / number / date / choice"},
	{"required", 'b', 0, NULL, "必填"},
	{"options", 'a', ZB_OPT, &zb_shape_string, "选项（choice）"},
	{0},
};
static const zb_shape field_shape = {"TaskFormField", field_props, 0, 0, "任务的填报项"};
static const zb_prop link_props[] = {
	{"type", 's', ZB_NULL, NULL, "会议类型或公开类别"},
	{"from", 'd', ZB_NULL, NULL, "会议时间范围开始"},
	{"to", 'd', ZB_NULL, NULL, "会议时间范围结束"},
	{"period", 's', ZB_NULL, NULL, "公开期间或党费月份"},
	{0},
};
static const zb_shape link_shape = {"TaskLink", link_props, 0, 0, "完成任务的记录"};
#define BRIEF_PROPS                                                                                                \
	{"id", 'i', 0, NULL, "任务编号"}, {"org_id", 'i', 0, NULL, "下发组织"}, {"org_name", 's', 0, NULL, "下发组织名称"}, \
	{"title", 's', 0, NULL, "标题"}, {"body", 's', 0, NULL, "内容"}, {"due_on", 'd', 0, NULL, "截止日期"},          \
	{"kind", 's', 0, NULL, "完成方式代码"}, {"kind_name", 's', 0, NULL, "完成方式"},                              \
	{"form", 'a', 0, &field_shape, "填报项（填表任务）"},                                                      \
	{"link", 'o', ZB_NULL, &link_shape, "由哪项记录完成（记录类任务）"}
static const zb_prop brief_props[] = {BRIEF_PROPS, {0}};
static const zb_shape brief_shape = {"TaskBrief", brief_props, 0, 0, "任务的要求"};
static const zb_prop dup_props[] = {
	{"org_id", 'i', 0, NULL, "已有同类任务的组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"task_id", 'i', 0, NULL, "已有的任务"},
	{"title", 's', 0, NULL, "已有任务的标题"},
	{"issuer_name", 's', 0, NULL, "已有任务的下发组织"},
	{"due_on", 'd', 0, NULL, "已有任务的截止日期"},
	{0},
};
static const zb_shape dup_shape = {"TaskDuplicate", dup_props, 0, 0, "下发对象已有的未完成同类任务"};
static const zb_prop target_row_props[] = {
	{"id", 'i', 0, NULL, "下发对象编号"},
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"state", 's', 0, NULL, "done 已完成 / open 未完成 / overdue 逾期未完成 / forwarded 已转发下级"},
	{"done_on", 'd', ZB_NULL, NULL, "完成日期"},
	{"forward_id", 'i', ZB_NULL, NULL, "转发给下级的任务"},
	{"reminded_on", 'd', ZB_NULL, NULL, "最近被提醒的日期"},
	{0},
};
static const zb_shape target_row = {"TaskTargetRow", target_row_props, 0, 0, "任务的下发对象"};
static const zb_prop task_props[] = {
	BRIEF_PROPS,
	{"parent_id", 'i', ZB_NULL, NULL, "转发自哪个任务"},
	{"root_id", 'i', 0, NULL, "最初下发的任务"},
	{"targets_spec", 'j', 0, NULL, "下发对象的选择方式"},
	{"created_by_name", 's', 0, NULL, "下发人"},
	{"created_at", 'i', 0, NULL, "下发时间（Unix 秒）"},
	{"last_reminded_on", 'd', ZB_NULL, NULL, "最近提醒的日期"},
	{"assigned", 'i', 0, NULL, "应完成的组织数（含转发后的下级）"},
	{"done", 'i', 0, NULL, "已完成"},
	{"overdue", 'i', 0, NULL, "逾期未完成"},
	{"targets", 'a', 0, &target_row, "下发对象"},
	{"duplicates", 'a', ZB_OPT, &dup_shape, "确认后仍下发的重复任务"},
	{0},
};
static const zb_shape task_shape = {"Task", task_props, 0, 0, "工作任务"};
static const zb_prop dups_props[] = {
	{"created", 'b', 0, NULL, "false：未下发"},
	{"duplicates", 'a', 0, &dup_shape, "下发对象已有的未完成同类任务；确认后带 confirm_duplicate: true 重发"},
	{0},
};
static const zb_shape dups_shape = {"TaskDuplicates", dups_props, 0, 0, "有重复任务，未下发"};
#define CREATED_OR_DUPS (&(const zb_resp){201, &task_shape, NULL, &(const zb_resp){200, &dups_shape, NULL, NULL, "有重复任务，未下发"}, NULL})
static const zb_prop prow_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"self", 'b', 0, NULL, "查看的这一级本身"},
	{"assigned", 'i', 0, NULL, "应完成"},
	{"done", 'i', 0, NULL, "已完成"},
	{"overdue", 'i', 0, NULL, "逾期未完成"},
	{"has_below", 'b', 0, NULL, "下级也有任务：可下钻（?under=组织）"},
	{"target_id", 'i', ZB_NULL, NULL, "该组织本身是下发对象时的编号"},
	{"state", 's', ZB_NULL, NULL, "该组织本身的完成情况"},
	{0},
};
static const zb_shape prow_shape = {"TaskProgressOrg", prow_props, 0, 0, "一个组织及其下级的完成情况"};
static const zb_prop progress_props[] = {
	{"task_id", 'i', 0, NULL, "任务"},
	{"title", 's', 0, NULL, "标题"},
	{"due_on", 'd', 0, NULL, "截止日期"},
	{"today", 'd', 0, NULL, "按哪一天计算逾期"},
	{"under_id", 'i', 0, NULL, "查看的这一级"},
	{"under_name", 's', 0, NULL, "这一级的名称"},
	{"assigned", 'i', 0, NULL, "应完成的组织数（不含已转发的中间层级）"},
	{"done", 'i', 0, NULL, "已完成"},
	{"overdue", 'i', 0, NULL, "截止日期后仍未完成"},
	{"orgs", 'a', 0, &prow_shape, "按直属下级汇总"},
	{0},
};
static const zb_shape progress_shape = {"TaskProgress", progress_props, 0, 0, "任务完成情况（实时汇总）"};
static const zb_prop remind_props[] = {
	{"sent_on", 'd', 0, NULL, "提醒日期"},
	{"pending", 'i', 0, NULL, "提醒了多少个未完成的组织"},
	{0},
};
static const zb_shape remind_shape = {"TaskReminder", remind_props, 0, 0, "已提醒"};
static const zb_prop item_props[] = {
	{"id", 'i', 0, NULL, "任务编号"},
	{"title", 's', 0, NULL, "标题"},
	{"due_on", 'd', 0, NULL, "截止日期"},
	{"kind", 's', 0, NULL, "完成方式代码"},
	{"kind_name", 's', 0, NULL, "完成方式"},
	{"org_id", 'i', 0, NULL, "下发组织"},
	{"org_name", 's', 0, NULL, "下发组织名称"},
	{"target_id", 'i', ZB_OPT, NULL, "待办：本组织的下发对象编号"},
	{"target_org_name", 's', ZB_OPT, NULL, "待办：承办组织"},
	{"state", 's', ZB_OPT, NULL, "待办：done / open / overdue / forwarded"},
	{"done_on", 'd', ZB_OPT | ZB_NULL, NULL, "待办：完成日期"},
	{"reminded_on", 'd', ZB_OPT | ZB_NULL, NULL, "待办：最近被提醒的日期"},
	{"assigned", 'i', ZB_OPT, NULL, "已下发：应完成"},
	{"done", 'i', ZB_OPT, NULL, "已下发：已完成"},
	{"overdue", 'i', ZB_OPT, NULL, "已下发：逾期未完成"},
	{"parent_id", 'i', ZB_OPT | ZB_NULL, NULL, "已下发：转发自哪个任务"},
	{0},
};
static const zb_shape item_shape = {"TaskItem", item_props, 0, 0, "任务列表的一项"};
ZB_LIST_PAGED(item_list, "TaskList", &item_shape);
static const zb_prop file_props[] = {
	{"id", 'i', 0, NULL, "附件编号"},
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf（按内容判断）"},
	{"content_type", 's', 0, NULL, "媒体类型"},
	{"filename", 's', 0, NULL, "上传时的文件名"},
	{"size", 'i', 0, NULL, "字节数"},
	{"created_at", 'i', 0, NULL, "上传时间（Unix 秒）"},
	{"url", 's', 0, NULL, "查看地址"},
	{0},
};
static const zb_shape file_shape = {"TaskFile", file_props, 0, 0, "回复或通知的附件"};
static const zb_prop target_props[] = {
	{"id", 'i', 0, NULL, "下发对象编号"},
	{"org_id", 'i', 0, NULL, "承办组织"},
	{"org_name", 's', 0, NULL, "承办组织名称"},
	{"state", 's', 0, NULL, "done / open / overdue / forwarded"},
	{"done_on", 'd', ZB_NULL, NULL, "完成日期（回复日或记录的日期）"},
	{"replied_on", 'd', ZB_NULL, NULL, "首次回复日期"},
	{"reply", 's', ZB_NULL, NULL, "回复内容"},
	{"values", 'j', ZB_NULL, NULL, "填表的值 {key: 值}"},
	{"forward_id", 'i', ZB_NULL, NULL, "转发给下级的任务"},
	{"reminded_on", 'd', ZB_NULL, NULL, "最近被提醒的日期"},
	{"answerable", 'b', 0, NULL, "可回复或填表（记录类任务与已转发的不可）"},
	{"files", 'a', 0, &file_shape, "附件"},
	{"task", 'o', 0, &brief_shape, "任务的要求"},
	{0},
};
static const zb_shape target_shape = {"TaskTarget", target_props, 0, 0, "本组织承办的任务"};
static const zb_prop notice_props[] = {
	{"id", 'i', 0, NULL, "通知编号"},
	{"org_id", 'i', 0, NULL, "发布组织"},
	{"org_name", 's', 0, NULL, "发布组织名称"},
	{"title", 's', 0, NULL, "标题"},
	{"body", 's', 0, NULL, "正文"},
	{"types", 'a', 0, &zb_shape_string, "只发给这些类型的组织（空：全部）"},
	{"created_by_name", 's', 0, NULL, "发布人"},
	{"created_at", 'i', 0, NULL, "发布时间（Unix 秒）"},
	{"recipient", 'b', 0, NULL, "本人是接收人"},
	{"read_at", 'i', ZB_NULL, NULL, "本人阅读时间（未读为 null）"},
	{"files", 'a', 0, &file_shape, "附件：照片和 PDF"},
	{0},
};
static const zb_shape notice_shape = {"Notice", notice_props, 0, 0, "通知公告"};
static const zb_prop notice_row_props[] = {
	{"id", 'i', 0, NULL, "通知编号"},
	{"title", 's', 0, NULL, "标题"},
	{"org_name", 's', 0, NULL, "发布组织"},
	{"created_at", 'i', 0, NULL, "发布时间"},
	{"recipients", 'i', 0, NULL, "接收人数"},
	{"read", 'i', 0, NULL, "已读人数"},
	{0},
};
static const zb_shape notice_row = {"NoticeRow", notice_row_props, 0, 0, "已发布的通知"};
ZB_LIST_PAGED(notice_list, "NoticeList", &notice_row);
static const zb_prop uorg_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"unread", 'i', 0, NULL, "未读人数"},
	{"total", 'i', 0, NULL, "接收人数"},
	{0},
};
static const zb_shape uorg_shape = {NULL, uorg_props, 0, 0, NULL};
static const zb_prop person_props[] = {
	{"user_id", 'i', 0, NULL, "账号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "所在组织名称"},
	{"read_at", 'i', ZB_NULL, NULL, "阅读时间（未读为 null）"},
	{0},
};
static const zb_shape person_shape = {NULL, person_props, 0, 0, NULL};
static const zb_prop receipts_props[] = {
	{"notice_id", 'i', 0, NULL, "通知"},
	{"recipients", 'i', 0, NULL, "接收人数"},
	{"read", 'i', 0, NULL, "已读"},
	{"unread", 'i', 0, NULL, "未读"},
	{"unread_orgs", 'a', 0, &uorg_shape, "有未读的组织"},
	{"people", 'a', 0, &person_shape, "接收人，未读的在前"},
	{0},
};
static const zb_shape receipts_shape = {"NoticeReceipts", receipts_props, 0, 0, "阅读回执"};
static const zb_prop inote_props[] = {
	{"id", 'i', 0, NULL, "通知编号"},
	{"title", 's', 0, NULL, "标题"},
	{"org_name", 's', 0, NULL, "发布组织"},
	{"created_at", 'i', 0, NULL, "发布时间"},
	{"read", 'b', 0, NULL, "已读"},
	{0},
};
static const zb_shape inote_shape = {NULL, inote_props, 0, 0, NULL};
static const zb_prop imeet_props[] = {
	{"id", 'i', 0, NULL, "会议编号"},
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"type", 's', 0, NULL, "会议类型"},
	{"title", 's', 0, NULL, "主题"},
	{"held_on", 'd', 0, NULL, "日期"},
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"},
	{0},
};
static const zb_shape imeet_shape = {NULL, imeet_props, 0, 0, NULL};
static const zb_prop idues_props[] = {
	{"month", 's', 0, NULL, "月份 YYYY-MM"},
	{"owed_fen", 'i', 0, NULL, "应交未交（分）"},
	{0},
};
static const zb_shape idues_shape = {NULL, idues_props, 0, 0, NULL};
static const zb_prop istudy_props[] = {
	{"year", 'i', 0, NULL, "年份（今年）"},
	{"hours", 'n', 0, NULL, "今年已有学时（由会议、培训、学习记录和课程得出）"},
	{"required", 'n', 0, NULL, "规定学时（党员 32，书记和委员 56，或本地规定）"},
	{"short", 'n', 0, NULL, "还差的学时（已达到为 0）"},
	{0},
};
static const zb_shape istudy_shape = {NULL, istudy_props, 0, 0, NULL};
static const zb_prop inbox_props[] = {
	{"today", 'd', 0, NULL, "今天"},
	{"unread_notices", 'i', 0, NULL, "未读通知数"},
	{"notices", 'a', 0, &inote_shape, "通知，未读的在前"},
	{"tasks", 'a', 0, &item_shape, "本人承办组织的任务，未完成的在前"},
	{"meetings", 'a', 0, &imeet_shape, "将要召开的会议"},
	{"dues", 'a', 0, &idues_shape, "今年应交未交的党费月份"},
	{"study", 'o', ZB_NULL, &istudy_shape, "今年的学时；账号未关联党员档案时为 null"},
	{0},
};
static const zb_shape inbox_shape = {"Inbox", inbox_props, 0, 0, "我的：通知、任务、会议、党费和学时"};

const zb_route zb_routes_tasks[] = {
	{.method = "POST", .pattern = "/api/v1/tasks", .fn = h_create, .perm = P_ORG_WRITE, .scope = S_BODY_ORG,
	 .flags = R_WRITE | R_JSON, .max_body = 256u << 10, .fields = create_fields, .resp = CREATED_OR_DUPS,
	 .tag = "tasks", .summary = "向下级组织下发工作任务（有重复时先列出，确认后再下发）"},
	{.method = "GET", .pattern = "/api/v1/tasks/{id}", .fn = h_get, .perm = P_ORG_READ, .scope = S_TASK,
	 .resp = ZB_OK(&task_shape), .tag = "tasks", .summary = "任务及其下发对象"},
	{.method = "GET", .pattern = "/api/v1/tasks/{id}/progress", .fn = h_progress, .perm = P_ORG_READ, .scope = S_TASK,
	 .resp = ZB_OK(&progress_shape), .query_doc = "under:integer:下钻到的组织（默认下发组织）", .tag = "tasks",
	 .summary = "任务完成情况：应完成、已完成、逾期，按组织汇总"},
	{.method = "POST", .pattern = "/api/v1/tasks/{id}/remind", .fn = h_remind, .perm = P_ORG_WRITE, .scope = S_TASK,
	 .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = zb_api_no_fields, .resp = ZB_OK(&remind_shape),
	 .tag = "tasks", .summary = "提醒未完成的组织（每个任务每天一次）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/tasks", .fn = h_org_tasks, .perm = P_ORG_READ, .scope = S_ORG,
	 .resp = ZB_OK(&item_list), .query_doc = "box:string:todo 待办（默认）/ issued 已下发,limit:integer",
	 .tag = "tasks", .summary = "组织的任务：待办或已下发"},
	{.method = "GET", .pattern = "/api/v1/task-targets/{id}", .fn = h_target, .perm = P_MEETING_READ,
	 .scope = S_TASK_TARGET, .resp = ZB_OK(&target_shape), .tag = "tasks", .summary = "本组织承办的任务及回复"},
	{.method = "POST", .pattern = "/api/v1/task-targets/{id}/reply", .fn = h_reply, .perm = P_MEETING_WRITE,
	 .scope = S_TASK_TARGET, .flags = R_WRITE | R_JSON, .max_body = 128u << 10, .fields = reply_fields,
	 .resp = ZB_OK(&target_shape), .tag = "tasks", .summary = "回复任务或填表"},
	{.method = "POST", .pattern = "/api/v1/task-targets/{id}/forward", .fn = h_forward, .perm = P_ORG_WRITE,
	 .scope = S_TASK_TARGET, .flags = R_WRITE | R_JSON, .max_body = 128u << 10, .fields = forward_fields,
	 .resp = CREATED_OR_DUPS, .tag = "tasks", .summary = "把任务转发给本组织的下级（不必重新录入）"},
	{.method = "POST", .pattern = "/api/v1/task-targets/{id}/files", .fn = h_file_upload, .perm = P_MEETING_WRITE,
	 .scope = S_TASK_TARGET, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES, .resp = ZB_CREATED(&file_shape),
	 .query_doc = "filename:string", .tag = "tasks", .summary = "为回复上传照片或 PDF（请求体为文件内容）"},
	{.method = "GET", .pattern = "/api/v1/task-files/{id}", .fn = h_file_get, .perm = P_MEETING_READ, .scope = S_TASK_FILE,
	 .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf"), .tag = "tasks", .summary = "查看回复的附件"},
	{.method = "POST", .pattern = "/api/v1/notices", .fn = h_notice_create, .perm = P_ORG_WRITE, .scope = S_BODY_ORG,
	 .flags = R_WRITE | R_JSON, .max_body = 64u << 10, .fields = notice_fields, .resp = ZB_CREATED(&notice_shape),
	 .tag = "notices", .summary = "发布通知公告（发给组织及下级的账号与党员）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/notices", .fn = h_org_notices, .perm = P_ORG_READ, .scope = S_ORG,
	 .resp = ZB_OK(&notice_list), .query_doc = "limit:integer", .tag = "notices",
	 .summary = "组织发布的通知及已读人数"},
	{.method = "GET", .pattern = "/api/v1/notices/{id}", .fn = h_notice_get, .perm = P_ORG_READ | P_SELF_READ,
	 .flags = R_ANY, .resp = ZB_OK(&notice_shape), .tag = "notices",
	 .summary = "通知（接收人，或能查看发布组织的人）"},
	{.method = "POST", .pattern = "/api/v1/notices/{id}/read", .fn = h_notice_read, .perm = P_ORG_READ | P_SELF_WRITE,
	 .flags = R_ANY | R_WRITE | R_JSON, .max_body = 1024, .fields = zb_api_no_fields, .resp = ZB_OK(&notice_shape),
	 .tag = "notices", .summary = "标记已读（阅读回执）"},
	{.method = "POST", .pattern = "/api/v1/notices/{id}/files", .fn = h_notice_file_upload, .perm = P_ORG_WRITE,
	 .scope = S_NOTICE, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES, .resp = ZB_CREATED(&file_shape),
	 .query_doc = "filename:string", .tag = "notices", .summary = "为通知上传照片或 PDF（请求体为文件内容）"},
	{.method = "GET", .pattern = "/api/v1/notice-files/{id}", .fn = h_notice_file_get, .perm = P_ORG_READ | P_SELF_READ,
	 .flags = R_ANY, .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf"), .tag = "notices",
	 .summary = "通知的附件（能看通知的人）"},
	{.method = "GET", .pattern = "/api/v1/notices/{id}/receipts", .fn = h_receipts, .perm = P_MEMBER_READ,
	 .scope = S_NOTICE, .resp = ZB_OK(&receipts_shape), .tag = "notices",
	 .summary = "阅读回执：已读、未读人数，未读的组织和人（名单，member.read）"},
	{.method = "GET", .pattern = "/api/v1/me/inbox", .fn = h_inbox, .resp = ZB_OK(&inbox_shape), .tag = "tasks",
	 .summary = "我的：未读通知、承办的任务、将召开的会议、欠交的党费"},
	{0},
};
