/* api_study.c - 学习教育 and 学时: a member's year (and the caller's own),
 * a subtree's list of who is short, 集中学习/远程教育/external sessions,
 * the import of external study, courses with their quiz.  The records
 * and rules live in study/ (study.h, course.h, simport.h); this file
 * reads requests, calls one domain function and writes JSON. */
#include "api/api.h"
#include "io/table.h"
#include "meeting/attach.h"
#include "study/course.h"
#include "study/simport.h"
#include "study/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int year_of(zb_req *r, char today[11], int *year, zb_err *e)
{
	zb_today(r->app, today);
	int64_t y;
	if (zb_req_query_int(r, "year", atoi(today), 2000, 9999, &y, e))
		return e->code;
	*year = (int)y;
	return 0;
}

static void kv_hours(zb_jw *w, const char *k, int hours10)
{
	jw_kdouble(w, k, hours10 / 10.0);
}

/* ---- a member's year ---- */

static int answer_year(zb_req *r, int64_t member_id, zb_err *e)
{
	char today[11];
	int year;
	if (year_of(r, today, &year, e))
		return e->code;
	zb_study_year y;
	int rc = zb_study_member_year(r->db, member_id, year, today, &r->arena, &y, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "member_id", member_id);
	jw_kint(w, "year", year);
	jw_kstr(w, "ref_date", y.ref_date);
	kv_hours(w, "hours", y.hours10);
	kv_hours(w, "required", y.required10);
	kv_hours(w, "short_by", y.hours10 < y.required10 ? y.required10 - y.hours10 : 0);
	jw_kbool(w, "leader", y.leader);
	jw_karr(w, "items");
	for (int i = 0; i < y.n; i++) {
		const zb_study_item *it = &y.items[i];
		jw_obj(w);
		jw_kstr(w, "date", it->date);
		jw_kstr(w, "kind", it->kind);
		jw_kstr(w, "kind_name", zb_study_kind_name(it->kind));
		jw_kstr(w, "title", it->title);
		kv_hours(w, "hours", it->hours10);
		jw_kstr(w, "source", it->source);
		jw_kint(w, "source_id", it->source_id);
		zb_api_kid_or_null(w, "batch_id", it->batch_id);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_member_year(zb_req *r, zb_err *e)
{
	int rc = answer_year(r, r->target_id, e);
	if (!rc)
		zb_req_audit_read(r, "study.read", "member", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_my_year(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	return answer_year(r, r->who->member_id, e);
}

/* ---- who is short ---- */

static int h_org_year(zb_req *r, zb_err *e)
{
	char today[11];
	int year;
	int64_t limit, short_only;
	if (year_of(r, today, &year, e) || zb_req_query_int(r, "short", 0, 0, 1, &short_only, e) ||
	    zb_req_query_int(r, "limit", 500, 1, 5000, &limit, e))
		return e->code;
	zb_study_row *v;
	zb_study_orgsum *o;
	int n, no;
	int rc = zb_study_org_year(r->db, r->target_path, year, today, (int)short_only, &r->arena, &v, &n, &o, &no, e);
	if (rc)
		return rc;
	char ref[11];
	zb_study_ref_date(year, today, ref, e);
	int nshort = 0, members = 0;
	for (int i = 0; i < no; i++) {
		nshort += o[i].short_count;
		members += o[i].members;
	}
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kint(w, "year", year);
	jw_kstr(w, "ref_date", ref);
	jw_kint(w, "members", members);
	jw_kint(w, "short", nshort);
	jw_kint(w, "total", n);
	jw_karr(w, "items");
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(w);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "name", v[i].name);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kstr(w, "category", v[i].category);
		jw_kbool(w, "leader", v[i].leader);
		kv_hours(w, "hours", v[i].hours10);
		kv_hours(w, "required", v[i].required10);
		kv_hours(w, "short_by", v[i].hours10 < v[i].required10 ? v[i].required10 - v[i].hours10 : 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "orgs");
	for (int i = 0; i < no; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", o[i].org_id);
		jw_kstr(w, "name", o[i].name);
		jw_kint(w, "members", o[i].members);
		jw_kint(w, "leaders", o[i].leaders);
		jw_kint(w, "short", o[i].short_count);
		kv_hours(w, "hours", (int)o[i].hours10);
		kv_hours(w, "average", o[i].members ? (int)(o[i].hours10 / o[i].members) : 0);
		kv_hours(w, "short_by", (int)o[i].short10);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "study.list", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"year\":%d}", year));
	return 0;
}

/* ---- sessions ---- */

static int h_session_add(zb_req *r, zb_err *e)
{
	json_t *ids = json_object_get(r->json, "member_ids");
	size_t n = json_array_size(ids);
	if (n > 500)
		return zb_fail(e, ZB_EINVAL, "member_ids", "一次至多登记 500 人");
	int64_t *v = zb_arena_alloc(&r->arena, sizeof(int64_t) * (n + 1));
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(ids, i);
		if (!json_is_integer(x))
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "member_ids[%zu]", i), "应为党员编号");
		v[i] = json_integer_value(x);
	}
	zb_study_session_in in = {.kind = zb_body_str(r, "kind"), .title = zb_body_str(r, "title"),
	                          .held_on = zb_body_str(r, "held_on"), .provider = zb_body_str(r, "provider"),
	                          .member_ids = v, .nmembers = (int)n};
	zb_body_int(r, "org_id", &in.org_id);
	if (zb_study_hours_parse(json_number_value(json_object_get(r->json, "hours")), 240, "hours", &in.hours10, e))
		return e->code;
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_study_session_add(r->db, r->app, &by, r->who, &in, &r->arena, &id, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kint(&r->jw, "members", (int64_t)n);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_session_delete(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_study_session_delete(r->db, r->app, &by, r->target_id, &r->arena, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_sessions(zb_req *r, zb_err *e)
{
	char today[11], ref[11];
	int year;
	if (year_of(r, today, &year, e) || zb_study_ref_date(year, today, ref, e))
		return e->code;
	zb_study_session *v;
	int n;
	int rc = zb_study_session_list(r->db, r->target_path, year, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		zb_jw *w = &r->jw;
		jw_obj(w);
		jw_kint(w, "id", v[i].id);
		jw_kint(w, "org_id", v[i].org_id);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kstr(w, "kind", v[i].kind);
		jw_kstr(w, "kind_name", zb_study_kind_name(v[i].kind));
		jw_kstr(w, "title", v[i].title);
		jw_kstr(w, "held_on", v[i].held_on);
		kv_hours(w, "hours", v[i].hours10);
		jw_kstr(w, "provider", v[i].provider);
		zb_api_kid_or_null(w, "batch_id", v[i].batch_id);
		jw_kint(w, "members", v[i].nmembers);
		jw_karr(w, "names");
		for (int k = 0; k < v[i].nnames; k++)
			jw_str(w, v[i].names[k]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "study.sessions", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- import ---- */

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
	                    .filename = fn ? fn : "学习记录", .limits = &lim};
	zb_simport *imp = NULL;
	zb_actor ac = actor_of(r);
	int64_t batch;
	int rc = zb_simport_read(&o, r->body.data, r->body.len, &imp, e);
	if (!rc)
		rc = zb_simport_save(r->app, r->db, imp, &ac, &batch, e);
	if (!rc) {
		r->status = 201;
		zb_simport_preview_json(&r->jw, imp, batch);
	}
	zb_simport_free(imp);
	zb_memcharge_release(&charge);
	return rc;
}

static int h_import_get(zb_req *r, zb_err *e)
{
	zb_simport *imp;
	int rc = zb_simport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	zb_simport_preview_json(&r->jw, imp, r->target_id);
	zb_simport_free(imp);
	zb_req_audit_read(r, "import.read", "import", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_import_commit(zb_req *r, zb_err *e)
{
	int skip_errors = zb_api_skip_errors(r);
	zb_simport *imp;
	int rc = zb_simport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	zb_actor ac = actor_of(r);
	int64_t done[ZB_IROW_NSTATUS];
	rc = zb_simport_apply(r->app, r->db, imp, r->target_id, &ac, r->who, skip_errors, done, e);
	zb_simport_free(imp);
	if (rc)
		return rc;
	zb_api_import_committed(r, done, 0);
	return 0;
}

/* ---- courses ---- */

static void write_course(zb_jw *w, const zb_course *c, int mine)
{
	jw_kint(w, "id", c->id);
	jw_kint(w, "org_id", c->org_id);
	jw_kstr(w, "org_name", c->org_name);
	jw_kstr(w, "title", c->title);
	jw_kstr(w, "body", c->body);
	jw_kstr(w, "link", c->link);
	jw_kstr(w, "published_on", c->published_on);
	kv_hours(w, "hours", c->hours10);
	jw_kint(w, "pass_mark", c->pass_mark);
	jw_kint(w, "questions", c->nquestions);
	jw_kstr(w, "file_name", c->file_name);
	if (mine) {
		jw_kstr(w, "studied_on", c->studied_on);
		if (c->score >= 0)
			jw_kint(w, "score", c->score);
		else
			jw_knull(w, "score");
		jw_kint(w, "attempts", c->attempts);
	} else {
		jw_kint(w, "assigned", c->assigned);
		jw_kint(w, "studied", c->studied);
	}
}

static int h_course_publish(zb_req *r, zb_err *e)
{
	if (r->nfiles > 1)
		return zb_fail(e, ZB_EINVAL, "file", "一门课程只能上传一个 PDF");
	zb_course_in in = {.title = zb_body_str(r, "title"), .body = zb_body_str(r, "body"), .link = zb_body_str(r, "link"),
	                   .pass_mark = 60};
	zb_body_int(r, "org_id", &in.org_id);
	int64_t pm;
	if (zb_body_int(r, "pass_mark", &pm))
		in.pass_mark = pm < 0 || pm > 1000 ? 0 : (int)pm;
	if (zb_study_hours_parse(json_number_value(json_object_get(r->json, "hours")), 240, "hours", &in.hours10, e))
		return e->code;
	if (r->nfiles) {
		in.filename = r->files[0].filename;
		in.data = r->files[0].data.data;
		in.len = r->files[0].data.len;
	}
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_course_publish(r->db, r->app, &by, &in, &r->arena, &id, e);
	if (rc)
		return rc;
	zb_course c;
	if ((rc = zb_course_get(r->db, id, r->target_path, &r->arena, &c, e)))
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	write_course(&r->jw, &c, 0);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_courses(zb_req *r, zb_err *e)
{
	zb_course *v;
	int n;
	int rc = zb_course_list(r->db, r->target_path, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		write_course(&r->jw, &v[i], 0);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static void write_questions(zb_jw *w, const zb_quiz_q *qs, int n, int with_key)
{
	jw_karr(w, "quiz");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "pos", qs[i].pos);
		jw_kstr(w, "kind", qs[i].multiple ? "multiple" : "single");
		jw_kstr(w, "text", qs[i].text);
		jw_karr(w, "options");
		for (int k = 0; k < qs[i].nopt; k++)
			jw_str(w, qs[i].options[k]);
		jw_arr_end(w);
		if (with_key)
			jw_kstr(w, "answer", qs[i].answer);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static int h_org_course(zb_req *r, zb_err *e)
{
	int64_t cid;
	if (zb_req_param_id(r, 1, &cid, e))
		return e->code;
	zb_course c;
	zb_course_study *v;
	zb_quiz_q *qs;
	int n, nq;
	int rc = zb_course_get(r->db, cid, r->target_path, &r->arena, &c, e);
	if (!rc)
		rc = zb_course_studies(r->db, cid, r->target_path, &r->arena, &v, &n, e);
	if (!rc)
		rc = zb_quiz_questions(r->db, cid, &r->arena, &qs, &nq, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	write_course(w, &c, 0);
	/* the key to those who manage the org that published it */
	write_questions(w, qs, nq, zb_authz_allows(r->who, P_ORG_WRITE, c.org_path));
	jw_karr(w, "members");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "member_id", v[i].member_id);
		jw_kstr(w, "name", v[i].name);
		jw_kstr(w, "org_name", v[i].org_name);
		jw_kstr(w, "studied_on", v[i].studied_on);
		if (v[i].score >= 0)
			jw_kint(w, "score", v[i].score);
		else
			jw_knull(w, "score");
		jw_kint(w, "attempts", v[i].attempts);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "study.course.studies", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"course_id\":%lld}", (long long)cid));
	return 0;
}

static int h_course_file(zb_req *r, zb_err *e)
{
	zb_course c;
	int rc = zb_course_get(r->db, r->target_id, r->target_path, &r->arena, &c, e);
	if (rc)
		return rc;
	if (!c.file_stored)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "该课程没有 PDF 材料");
	return zb_api_stored_file(r, c.file_kind, c.file_name, c.file_stored, "course", "study.course.file", "course", e);
}

static int h_quiz_import(zb_req *r, zb_err *e)
{
	int64_t commit;
	if (zb_req_query_int(r, "commit", 0, 0, 1, &commit, e))
		return e->code;
	zb_audit_ev by = zb_req_actor(r);
	zb_quiz_sheet q;
	zb_memcharge charge = {.b = r->app->import_budget};
	zb_table_limits lim = {.charge = &charge};
	int rc = zb_quiz_import(r->db, r->app, &by, r->target_id, r->body.data, r->body.len, &lim, (int)commit, &r->arena,
	                        &q, e);
	zb_memcharge_release(&charge);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "course_id", r->target_id);
	jw_kstr(w, "status", commit ? "committed" : "preview");
	jw_kint(w, "header_row", q.header_row);
	jw_kint(w, "questions", q.nrows);
	jw_kint(w, "errors", q.nerrors);
	jw_karr(w, "rows");
	for (int i = 0; i < q.nrows; i++) {
		const zb_quiz_row *x = &q.rows[i];
		jw_obj(w);
		jw_kint(w, "row", x->rownum);
		jw_kstr(w, "text", x->q.text);
		jw_kstr(w, "kind", x->q.multiple ? "multiple" : "single");
		jw_kint(w, "options", x->q.nopt);
		jw_kstr(w, "answer", x->q.answer);
		jw_karr(w, "errors");
		for (int k = 0; k < x->nerr; k++)
			jw_str(w, x->errors[k]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- the member's courses ---- */

static int my_member(zb_req *r, zb_err *e)
{
	return r->who->member_id ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
}

static int h_my_courses(zb_req *r, zb_err *e)
{
	if (my_member(r, e))
		return e->code;
	zb_course *v;
	int n;
	int rc = zb_course_mine(r->db, r->who->member_id, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		write_course(&r->jw, &v[i], 1);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int my_course(zb_req *r, zb_course *c, zb_err *e)
{
	int64_t id;
	if (my_member(r, e) || zb_req_param_id(r, 0, &id, e))
		return e->code;
	return zb_course_for_member(r->db, id, r->who->member_id, &r->arena, c, e);
}

static int h_my_course(zb_req *r, zb_err *e)
{
	zb_course c;
	zb_quiz_q *qs;
	int nq;
	int rc = my_course(r, &c, e);
	if (!rc)
		rc = zb_quiz_questions(r->db, c.id, &r->arena, &qs, &nq, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	write_course(&r->jw, &c, 1);
	write_questions(&r->jw, qs, nq, 0); /* never the key */
	jw_obj_end(&r->jw);
	return 0;
}

static int h_my_course_file(zb_req *r, zb_err *e)
{
	zb_course c;
	int rc = my_course(r, &c, e);
	if (rc)
		return rc;
	if (!c.file_stored)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "该课程没有 PDF 材料");
	return zb_api_stored_file(r, c.file_kind, c.file_name, c.file_stored, "course", "study.course.file", "course", e);
}

static int h_my_studied(zb_req *r, zb_err *e)
{
	zb_course c;
	int rc = my_course(r, &c, e);
	zb_audit_ev by = zb_req_actor(r);
	if (!rc)
		rc = zb_course_mark(r->db, r->app, &by, c.id, r->who->member_id, &r->arena, e);
	if (!rc)
		rc = zb_course_for_member(r->db, c.id, r->who->member_id, &r->arena, &c, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	write_course(&r->jw, &c, 1);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_my_quiz(zb_req *r, zb_err *e)
{
	zb_course c;
	int rc = my_course(r, &c, e);
	if (rc)
		return rc;
	json_t *arr = json_object_get(r->json, "answers");
	size_t n = json_array_size(arr);
	if (n > ZB_QUIZ_MAX_QUESTIONS)
		return zb_fail(e, ZB_EINVAL, "answers", "答案至多 %d 个", ZB_QUIZ_MAX_QUESTIONS);
	const char **v = zb_arena_alloc(&r->arena, sizeof(char *) * (n + 1));
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(arr, i);
		if (!json_is_string(x) && !json_is_null(x))
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "answers[%zu]", i), "答案应为选项字母，如 A 或 AC");
		v[i] = json_string_value(x);
	}
	zb_audit_ev by = zb_req_actor(r);
	zb_quiz_result q;
	if ((rc = zb_quiz_submit(r->db, r->app, &by, c.id, r->who->member_id, v, (int)n, &r->arena, &q, e)))
		return rc;
	zb_quiz_q *qs;
	int nq;
	if ((rc = zb_quiz_questions(r->db, c.id, &r->arena, &qs, &nq, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "course_id", c.id);
	jw_kint(w, "score", q.score);
	jw_kint(w, "pass_mark", q.pass_mark);
	jw_kbool(w, "passed", q.passed);
	jw_kint(w, "right", q.right_count);
	jw_kint(w, "questions", q.n);
	jw_kstr(w, "studied_on", q.studied_on);
	kv_hours(w, "hours", c.hours10);
	/* each question's key and whether it was right, once the course is
	 * passed: a failed attempt that carried them would let the next one
	 * copy the key, and which questions were wrong narrows it to a few
	 * guesses */
	jw_karr(w, "results");
	for (int i = 0; q.studied_on && i < nq && i < q.n; i++) {
		jw_obj(w);
		jw_kint(w, "pos", qs[i].pos);
		jw_kbool(w, "right", q.right[i]);
		jw_kstr(w, "answer", qs[i].answer);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- shapes ---- */

static const zb_prop item_props[] = {
	{"date", 'd', 0, NULL, "日期"},
	{"kind", 's', 0, NULL, "lecture、theme_day、training、central、remote、external 或 course"},
	{"kind_name", 's', 0, NULL, "党课、主题党日、发展对象集中培训、集中学习、远程教育、外部学习、课程学习"},
	{"title", 's', ZB_NULL, NULL, "内容"},
	{"hours", 'n', 0, NULL, "计入学时"},
	{"source", 's', 0, NULL, "出处：meeting:会议编号、applicant:发展党员编号、session:学习记录编号、course:课程编号"},
	{"source_id", 'i', 0, NULL, "出处记录的编号"},
	{"batch_id", 'i', ZB_NULL, NULL, "导入批次（导入的学习记录）"},
	{0},
};
static const zb_shape item_shape = {"StudyItem", item_props, 0, 0, "计入学时的一项学习"};
static const zb_prop year_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"year", 'i', 0, NULL, "年度"},
	{"ref_date", 'd', 0, NULL, "认定书记、班子成员的日期（年末，本年为今天）"},
	{"hours", 'n', 0, NULL, "全年学时"},
	{"required", 'n', 0, NULL, "应达到的学时（32 或 56，依规则）"},
	{"short_by", 'n', 0, NULL, "差多少学时（达到为 0）"},
	{"leader", 'b', 0, NULL, "是否为基层党组织书记或班子成员"},
	{"items", 'a', 0, &item_shape, "各项学习"},
	{0},
};
static const zb_shape year_shape = {"StudyYear", year_props, 0, 0, "一名党员一年的学时"};
static const zb_prop row_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"category", 's', ZB_NULL, NULL, "类别"},
	{"leader", 'b', 0, NULL, "书记或班子成员"},
	{"hours", 'n', 0, NULL, "学时"},
	{"required", 'n', 0, NULL, "应达到"},
	{"short_by", 'n', 0, NULL, "差多少（达到为 0）"},
	{0},
};
static const zb_shape row_shape = {NULL, row_props, 0, 0, NULL};
static const zb_prop orgsum_props[] = {
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"name", 's', 0, NULL, "组织名称"},
	{"members", 'i', 0, NULL, "在册党员"},
	{"leaders", 'i', 0, NULL, "其中书记和班子成员"},
	{"short", 'i', 0, NULL, "未达到的人数"},
	{"hours", 'n', 0, NULL, "学时合计"},
	{"average", 'n', 0, NULL, "人均学时"},
	{"short_by", 'n', 0, NULL, "未达到者共差学时"},
	{0},
};
static const zb_shape orgsum_shape = {NULL, orgsum_props, 0, 0, NULL};
static const zb_prop org_year_props[] = {
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"year", 'i', 0, NULL, "年度"},
	{"ref_date", 'd', 0, NULL, "认定日期"},
	{"members", 'i', 0, NULL, "在册党员"},
	{"short", 'i', 0, NULL, "未达到的人数"},
	{"total", 'i', 0, NULL, "名单人数（short=1 时为未达到者）"},
	{"items", 'a', 0, &row_shape, "名单（short=1：差得多的在前）"},
	{"orgs", 'a', 0, &orgsum_shape, "各党组织合计"},
	{0},
};
static const zb_shape org_year_shape = {"StudyOrgYear", org_year_props, 0, 0, "组织及下级党员的学时（管理名单，不公开排名）"};
static const zb_prop session_props[] = {
	{"id", 'i', 0, NULL, "学习记录编号"},
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"kind", 's', 0, NULL, "central、remote 或 external"},
	{"kind_name", 's', 0, NULL, "集中学习、远程教育、外部学习"},
	{"title", 's', 0, NULL, "学习内容"},
	{"held_on", 'd', 0, NULL, "日期"},
	{"hours", 'n', 0, NULL, "学时"},
	{"provider", 's', ZB_NULL, NULL, "举办单位"},
	{"batch_id", 'i', ZB_NULL, NULL, "导入批次"},
	{"members", 'i', 0, NULL, "参加人数"},
	{"names", 'a', 0, &zb_shape_string, "参加者（至多 20 人）"},
	{0},
};
static const zb_shape session_shape = {"StudySession", session_props, 0, 0, "集中学习、远程教育或外部学习记录"};
ZB_LIST_COUNTED(session_list, "StudySessionList", &session_shape);
static const zb_prop made_props[] = {
	{"id", 'i', 0, NULL, "学习记录编号"},
	{"members", 'i', 0, NULL, "参加人数"},
	{0},
};
static const zb_shape made_shape = {"StudySessionCreated", made_props, 0, 0, "已登记的学习记录"};

static const zb_prop irow_props[] = {
	{"row", 'i', 0, NULL, "文件中的行号"},
	{"status", 's', 0, NULL, "new（将导入）、unchanged（已有同样的记录，跳过）或 error"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"member_id", 'i', ZB_NULL, NULL, "找到的党员"},
	{"org_name", 's', ZB_NULL, NULL, "所在党组织"},
	{"held_on", 'd', ZB_NULL, NULL, "学习日期"},
	{"kind", 's', ZB_NULL, NULL, "类别代码"},
	{"title", 's', ZB_NULL, NULL, "学习内容"},
	{"hours", 'n', ZB_NULL, NULL, "学时"},
	{"provider", 's', ZB_NULL, NULL, "举办单位"},
	{"errors", 'a', 0, &zb_shape_string, "不能导入的原因"},
	{0},
};
static const zb_shape irow_shape = {NULL, irow_props, 0, 0, NULL};
static const zb_prop icounts_props[] = {
	{"new", 'i', 0, NULL, "将导入"},
	{"unchanged", 'i', 0, NULL, "已有，跳过"},
	{"error", 'i', 0, NULL, "有错误"},
	{0},
};
static const zb_shape icounts_shape = {NULL, icounts_props, 0, 0, NULL};
static const zb_prop import_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "preview"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"format", 's', 0, NULL, "study-xlsx 或 study-csv"},
	{"org_id", 'i', 0, NULL, "导入到的组织"},
	{"org_name", 's', ZB_NULL, NULL, "导入到的组织名称"},
	{"header_row", 'i', 0, NULL, "表头所在行"},
	{"counts", 'o', 0, &icounts_shape, "按状态计数"},
	{"rows", 'a', 0, &irow_shape, "各行"},
	{0},
};
static const zb_shape import_shape = {"StudyImportBatch", import_props, 0, 0, "学习记录导入批次"};
static const zb_prop idone_counts_props[] = {
	{"new", 'i', 0, NULL, "新登记"},
	{"unchanged", 'i', 0, NULL, "已有，跳过"},
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
static const zb_shape import_done_shape = {"StudyImportCommitted", import_done_props, 0, 0, "学习记录导入已提交"};

#define COURSE_PROPS                                                                                     \
	{"id", 'i', 0, NULL, "课程编号"}, {"org_id", 'i', 0, NULL, "发布的组织（面向其下级）"},                  \
	{"org_name", 's', 0, NULL, "发布的组织名称"}, {"title", 's', 0, NULL, "课程名称"},                        \
	{"body", 's', ZB_NULL, NULL, "内容"}, {"link", 's', ZB_NULL, NULL, "链接"},                              \
	{"published_on", 'd', 0, NULL, "发布日期"}, {"hours", 'n', 0, NULL, "学时"},                             \
	{"pass_mark", 'i', 0, NULL, "测验及格分（百分制）"}, {"questions", 'i', 0, NULL, "测验题数（0：无测验）"}, \
	{"file_name", 's', ZB_NULL, NULL, "PDF 材料的文件名"}
static const zb_prop course_props[] = {
	COURSE_PROPS,
	{"assigned", 'i', 0, NULL, "所管范围内应学的党员"},
	{"studied", 'i', 0, NULL, "其中已学"},
	{0},
};
static const zb_shape course_shape = {"Course", course_props, 0, 0, "课程（管理者所见）"};
ZB_LIST_COUNTED(course_list, "CourseList", &course_shape);
static const zb_prop question_props[] = {
	{"pos", 'i', 0, NULL, "题号"},
	{"kind", 's', 0, NULL, "single 单选 或 multiple 多选"},
	{"text", 's', 0, NULL, "题目"},
	{"options", 'a', 0, &zb_shape_string, "选项（依次为 A、B、C ...）"},
	{"answer", 's', ZB_OPT, NULL, "答案（仅发布组织的管理者可见）"},
	{0},
};
static const zb_shape question_shape = {"QuizQuestion", question_props, 0, 0, "测验题"};
static const zb_prop cstudy_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_name", 's', 0, NULL, "所在组织"},
	{"studied_on", 'd', ZB_NULL, NULL, "学完日期（未学为 null）"},
	{"score", 'i', ZB_NULL, NULL, "测验最好成绩"},
	{"attempts", 'i', 0, NULL, "测验次数"},
	{0},
};
static const zb_shape cstudy_shape = {NULL, cstudy_props, 0, 0, NULL};
static const zb_prop course_detail_props[] = {
	COURSE_PROPS,
	{"assigned", 'i', 0, NULL, "所管范围内应学的党员"},
	{"studied", 'i', 0, NULL, "其中已学"},
	{"quiz", 'a', 0, &question_shape, "测验题"},
	{"members", 'a', 0, &cstudy_shape, "所管范围内的党员及学习情况（已学在前）"},
	{0},
};
static const zb_shape course_detail_shape = {"CourseStudies", course_detail_props, 0, 0, "课程及谁已学"};
static const zb_prop my_course_props[] = {
	COURSE_PROPS,
	{"studied_on", 'd', ZB_NULL, NULL, "我学完的日期"},
	{"score", 'i', ZB_NULL, NULL, "我的测验最好成绩"},
	{"attempts", 'i', 0, NULL, "我的测验次数"},
	{0},
};
static const zb_shape my_course_shape = {"MyCourse", my_course_props, 0, 0, "我的课程"};
ZB_LIST_COUNTED(my_course_list, "MyCourseList", &my_course_shape);
static const zb_prop my_course_detail_props[] = {
	COURSE_PROPS,
	{"studied_on", 'd', ZB_NULL, NULL, "我学完的日期"},
	{"score", 'i', ZB_NULL, NULL, "我的测验最好成绩"},
	{"attempts", 'i', 0, NULL, "我的测验次数"},
	{"quiz", 'a', 0, &question_shape, "测验题（不含答案）"},
	{0},
};
static const zb_shape my_course_detail_shape = {"MyCourseDetail", my_course_detail_props, 0, 0, "我的课程及测验题"};
static const zb_prop qresult_props[] = {
	{"pos", 'i', 0, NULL, "题号"},
	{"right", 'b', 0, NULL, "是否答对"},
	{"answer", 's', 0, NULL, "答案"},
	{0},
};
static const zb_shape qresult_shape = {NULL, qresult_props, 0, 0, NULL};
static const zb_prop quiz_done_props[] = {
	{"course_id", 'i', 0, NULL, "课程编号"},
	{"score", 'i', 0, NULL, "本次成绩（百分制）"},
	{"pass_mark", 'i', 0, NULL, "及格分"},
	{"passed", 'b', 0, NULL, "是否合格"},
	{"right", 'i', 0, NULL, "答对题数"},
	{"questions", 'i', 0, NULL, "题数"},
	{"studied_on", 'd', ZB_NULL, NULL, "计为已学的日期（未合格为 null）"},
	{"hours", 'n', 0, NULL, "课程学时"},
	{"results", 'a', 0, &qresult_shape, "各题答案与对错（合格后才给出；未合格为空）"},
	{0},
};
static const zb_shape quiz_done_shape = {"QuizResult", quiz_done_props, 0, 0, "测验成绩"};
static const zb_prop qrow_props[] = {
	{"row", 'i', 0, NULL, "行号"},
	{"text", 's', ZB_NULL, NULL, "题目"},
	{"kind", 's', 0, NULL, "single 或 multiple"},
	{"options", 'i', 0, NULL, "选项数"},
	{"answer", 's', ZB_NULL, NULL, "答案"},
	{"errors", 'a', 0, &zb_shape_string, "问题"},
	{0},
};
static const zb_shape qrow_shape = {NULL, qrow_props, 0, 0, NULL};
static const zb_prop qimport_props[] = {
	{"course_id", 'i', 0, NULL, "课程编号"},
	{"status", 's', 0, NULL, "preview 或 committed"},
	{"header_row", 'i', 0, NULL, "表头所在行"},
	{"questions", 'i', 0, NULL, "题数"},
	{"errors", 'i', 0, NULL, "有错误的行数"},
	{"rows", 'a', 0, &qrow_shape, "各行"},
	{0},
};
static const zb_shape qimport_shape = {"QuizImport", qimport_props, 0, 0, "测验题导入"};

static const zb_field session_fields[] = {
	{"org_id", 'i', 1, 0, "登记的党组织"},
	{"kind", 's', 1, 20, "central 集中学习、remote 远程教育（固定活动日）、external 外部学习"},
	{"title", 's', 1, 200, "学习内容"},
	{"held_on", 'd', 1, 0, "日期"},
	{"hours", 'n', 1, 0, "学时（至多一位小数）"},
	{"provider", 's', 0, 200, "举办单位"},
	{"member_ids", 'a', 1, 0, "参加的党员（编号）"},
	{NULL, 0, 0, 0, NULL},
};
static const zb_field course_fields[] = {
	{"org_id", 'i', 1, 0, "发布的组织：课程面向其下级"},
	{"title", 's', 1, 200, "课程名称"},
	{"body", 's', 0, 20000, "内容"},
	{"link", 's', 0, 1000, "链接（http/https）"},
	{"hours", 'n', 1, 0, "学时"},
	{"pass_mark", 'i', 0, 0, "测验及格分（百分制，默认 60）"},
	{NULL, 0, 0, 0, NULL},
};
static const zb_field quiz_fields[] = {
	{"answers", 'a', 1, 0, "各题答案，如 [\"A\",\"BD\"]"},
	{NULL, 0, 0, 0, NULL},
};

const zb_route zb_routes_study[] = {
	{.method = "GET", .pattern = "/api/v1/members/{id}/study", .fn = h_member_year,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&year_shape),
	 .tag = "study", .summary = "一名党员一年的学时（由组织生活、培训、学习记录和课程得出）", .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/me/study", .fn = h_my_year,
	 .perm = P_SELF_READ, .resp = ZB_OK(&year_shape),
	 .tag = "study", .summary = "我的学习：本人一年的学时", .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/study", .fn = h_org_year,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&org_year_shape),
	 .tag = "study", .summary = "组织及下级党员的学时：谁未达到、差多少",
	 .query_doc = "year:integer,short:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/study-sessions", .fn = h_sessions,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&session_list),
	 .tag = "study", .summary = "组织及下级登记的集中学习、远程教育和外部学习", .query_doc = "year:integer"},
	{.method = "POST", .pattern = "/api/v1/study-sessions", .fn = h_session_add,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 32768,
	 .fields = session_fields, .resp = ZB_CREATED(&made_shape),
	 .tag = "study", .summary = "登记集中学习、远程教育或外部学习（参加者只录一次）"},
	{.method = "DELETE", .pattern = "/api/v1/study-sessions/{id}", .fn = h_session_delete,
	 .perm = P_MEMBER_WRITE, .scope = S_STUDY_SESSION, .flags = R_WRITE, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "study", .summary = "删除登记错的学习记录"},
	{.method = "POST", .pattern = "/api/v1/study-imports", .fn = h_import,
	 .perm = P_MEMBER_WRITE, .scope = S_QUERY_ORG, .flags = R_WRITE | R_RAW, .max_body = ZB_TABLE_MAX_FILE_BYTES,
	 .resp = ZB_CREATED(&import_shape), .tag = "study",
	 .summary = "上传学习记录（xlsx/csv：外部学习、证书学时）并预览：逐行列出问题", .query_doc = "org:integer,filename:string"},
	{.method = "GET", .pattern = "/api/v1/study-imports/{id}", .fn = h_import_get,
	 .perm = P_MEMBER_WRITE, .scope = S_STUDY_IMPORT, .resp = ZB_OK(&import_shape),
	 .tag = "study", .summary = "学习记录导入批次预览"},
	{.method = "POST", .pattern = "/api/v1/study-imports/{id}/commit", .fn = h_import_commit,
	 .perm = P_MEMBER_WRITE, .scope = S_STUDY_IMPORT, .flags = R_WRITE, .resp = ZB_OK(&import_done_shape),
	 .tag = "study", .summary = "提交学习记录导入（全部成功或全部不写入）", .query_doc = "skip_errors:integer"},
	{.method = "POST", .pattern = "/api/v1/courses", .fn = h_course_publish,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON | R_FORM,
	 .max_body = ZB_ATTACH_MAX_BYTES + (64u << 10), .fields = course_fields, .resp = ZB_CREATED(&course_shape),
	 .tag = "study", .summary = "发布课程（文字、链接、PDF；面向本组织及下级）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/courses", .fn = h_courses,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&course_list),
	 .tag = "study", .summary = "组织所见的课程（上级发布的与本级及下级发布的）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/courses/{cid}", .fn = h_org_course,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&course_detail_shape),
	 .tag = "study", .summary = "课程及组织内谁已学"},
	{.method = "GET", .pattern = "/api/v1/courses/{id}/file", .fn = h_course_file,
	 .perm = P_ORG_READ, .scope = S_COURSE, .resp = ZB_MEDIA("application/pdf"),
	 .tag = "study", .summary = "课程的 PDF 材料"},
	{.method = "POST", .pattern = "/api/v1/courses/{id}/quiz", .fn = h_quiz_import,
	 .perm = P_ORG_WRITE, .scope = S_COURSE, .flags = R_WRITE | R_RAW, .max_body = ZB_TABLE_MAX_FILE_BYTES,
	 .resp = ZB_OK(&qimport_shape), .tag = "study",
	 .summary = "导入测验题（xlsx/csv；commit=1 时全部无误才替换原题）", .query_doc = "commit:integer"},
	{.method = "GET", .pattern = "/api/v1/me/courses", .fn = h_my_courses,
	 .perm = P_SELF_READ, .resp = ZB_OK(&my_course_list), .tag = "study", .summary = "我的课程"},
	{.method = "GET", .pattern = "/api/v1/me/courses/{id}", .fn = h_my_course,
	 .perm = P_SELF_READ, .resp = ZB_OK(&my_course_detail_shape), .tag = "study", .summary = "我的课程：内容与测验题"},
	{.method = "GET", .pattern = "/api/v1/me/courses/{id}/file", .fn = h_my_course_file,
	 .perm = P_SELF_READ, .resp = ZB_MEDIA("application/pdf"), .tag = "study", .summary = "我的课程的 PDF 材料"},
	{.method = "POST", .pattern = "/api/v1/me/courses/{id}/studied", .fn = h_my_studied,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = zb_api_no_fields,
	 .resp = ZB_OK(&my_course_shape), .tag = "study", .summary = "标记课程已学（无测验的课程）"},
	{.method = "POST", .pattern = "/api/v1/me/courses/{id}/quiz", .fn = h_my_quiz,
	 .perm = P_SELF_WRITE, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = quiz_fields,
	 .resp = ZB_OK(&quiz_done_shape), .tag = "study", .summary = "提交测验（合格即记为已学）"},
	{0},
};
