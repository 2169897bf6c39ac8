/* api_review.c - 书记抓党建述职评议 and 一述职、两测评、四联考 over HTTP:
 * the secretary's 述职 and its grade by the level above (review/), a
 * person's 述职 and outcomes (the member page), a 驻村工作队's evaluation
 * held on the platform with its one-time codes, and the public vote
 * (village/review.c).  docs/REVIEWS.md. */
#include "api/api.h"
#include "meeting/attach.h"
#include "meeting/signin.h"
#include "review/review.h"
#include "village/village.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static zb_actor actor_of(zb_req *r)
{
	zb_audit_ev by = zb_req_actor(r);
	return (zb_actor){.user_id = by.user_id, .username = by.username, .ip = by.ip};
}

static void kname(zb_jw *w, const char *k, const char *v)
{
	zb_api_kstr_or_null(w, k, v);
}

/* ---- 述职 ----------------------------------------------------------------- */

static const char *status_name(const char *s)
{
	return !strcmp(s, "rated") ? "已评定" : !strcmp(s, "filed") ? "待评定" : "未提交";
}

static void write_duty(zb_req *r, const zb_duty_report *d, int with_text)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", d->id);
	jw_kint(w, "member_id", d->member_id);
	jw_kstr(w, "member_name", d->member_name);
	jw_kint(w, "org_id", d->org_id);
	jw_kstr(w, "org_name", d->org_name);
	jw_kint(w, "year", d->year);
	if (with_text)
		jw_kstr(w, "report", d->report);
	jw_kstr(w, "filed_on", d->filed_on);
	jw_kstr(w, "status", d->grade ? "rated" : "filed");
	jw_kstr(w, "status_name", d->grade ? "已评定" : "待评定");
	kname(w, "grade", d->grade);
	kname(w, "grade_name", zb_duty_grade_name(d->grade));
	kname(w, "comment", d->comment);
	kname(w, "rated_on", d->rated_on);
	kname(w, "rater_org_name", d->rater_org_name);
	if (with_text) {
		jw_karr(w, "files");
		for (int i = 0; i < d->nfiles; i++) {
			jw_obj(w);
			jw_kint(w, "id", d->files[i].id);
			jw_kstr(w, "kind", d->files[i].kind);
			jw_kstr(w, "filename", d->files[i].filename);
			jw_kint(w, "size", d->files[i].size);
			jw_kstr(w, "url", d->files[i].url);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		/* may the caller grade it: the level above, not the reporter */
		int64_t above;
		zb_err ig = {0};
		int own = (r->who->member_id && r->who->member_id == d->member_id) || r->who->user_id == d->filed_by;
		jw_kbool(w, "can_rate", !d->grade && !own && !zb_review_above(r->who, d->org_path, "", &above, &ig));
	}
	jw_obj_end(w);
}

static int answer_duty(zb_req *r, int64_t id, zb_err *e)
{
	zb_duty_report d;
	int rc = zb_duty_get(r->db, id, &r->arena, &d, e);
	if (!rc)
		write_duty(r, &d, 1);
	return rc;
}

static int h_duty_list(zb_req *r, zb_err *e)
{
	int64_t year;
	if (zb_req_query_int(r, "year", 0, 2000, 2200, &year, e))
		return e->code;
	if (!year)
		return zb_fail(e, ZB_EINVAL, "year", "请指定述职年度 year");
	zb_duty_item *items;
	int n;
	int rc = zb_duty_list(r->db, r->target_path, (int)year, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	int filed = 0, rated = 0;
	for (int i = 0; i < n; i++) {
		filed += items[i].report_id != 0;
		rated += items[i].grade != NULL;
	}
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "year", year);
	jw_kobj(w, "summary");
	jw_kint(w, "secretaries", n);
	jw_kint(w, "filed", filed);
	jw_kint(w, "not_filed", n - filed);
	jw_kint(w, "rated", rated);
	jw_obj_end(w);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		jw_kint(w, "org_id", items[i].org_id);
		jw_kstr(w, "org_name", items[i].org_name);
		jw_kint(w, "member_id", items[i].member_id);
		jw_kstr(w, "member_name", items[i].member_name);
		jw_kstr(w, "status", items[i].status);
		jw_kstr(w, "status_name", status_name(items[i].status));
		zb_api_kid_or_null(w, "report_id", items[i].report_id);
		kname(w, "filed_on", items[i].filed_on);
		kname(w, "grade", items[i].grade);
		kname(w, "grade_name", zb_duty_grade_name(items[i].grade));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_duty_file(zb_req *r, zb_err *e)
{
	int64_t org = 0, member = 0, year = 0;
	zb_body_int(r, "org_id", &org);
	zb_body_int(r, "member_id", &member);
	zb_body_int(r, "year", &year);
	if (year < 0 || year > 100000)
		return zb_fail(e, ZB_EINVAL, "year", "述职年度应为 2000 到 2200 之间的年份");
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_duty_file_report(r->db, r->app, &ac, org, member, (int)year, zb_body_str(r, "report"),
	                             zb_body_str(r, "filed_on"), &r->arena, &id, e);
	if (!rc && !(rc = answer_duty(r, id, e)))
		r->status = 201;
	return rc;
}

static int h_duty_get(zb_req *r, zb_err *e)
{
	return answer_duty(r, r->target_id, e);
}

static int h_duty_rate(zb_req *r, zb_err *e)
{
	zb_actor ac = actor_of(r);
	int rc = zb_duty_rate(r->db, r->app, &ac, r->who, r->target_id, zb_body_str(r, "grade"), zb_body_str(r, "comment"),
	                      zb_body_str(r, "rated_on"), &r->arena, e);
	return rc ? rc : answer_duty(r, r->target_id, e);
}

static int h_duty_upload(zb_req *r, zb_err *e)
{
	const char *filename;
	if (zb_api_upload_filename(r, &filename, e))
		return e->code;
	zb_actor ac = actor_of(r);
	zb_duty_file f;
	int rc = zb_duty_upload(r->db, r->app, &ac, r->target_id, filename, r->body.data, r->body.len, &r->arena, &f, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", f.id);
	jw_kstr(w, "kind", f.kind);
	jw_kstr(w, "filename", f.filename);
	jw_kint(w, "size", f.size);
	jw_kstr(w, "url", f.url);
	jw_obj_end(w);
	r->status = 201;
	return 0;
}

static int h_duty_file_get(zb_req *r, zb_err *e)
{
	const char *kind, *name, *stored;
	int rc = zb_duty_file_find(r->db, r->target_id, &r->arena, &kind, &name, &stored, e);
	return rc ? rc : zb_api_stored_file(r, kind, name, stored, "述职附件", "duty.file_read", "duty_report_file", e);
}

/* A person's 述职 and the outcomes on their cadre record (the member page). */
static int h_member_reviews(zb_req *r, zb_err *e)
{
	zb_duty_report *ds;
	zb_voutcome *os;
	int nd, no;
	int rc = zb_duty_of_member(r->db, r->target_id, &r->arena, &ds, &nd, e);
	if (!rc)
		rc = zb_voutcomes_of_member(r->db, r->target_id, &r->arena, &os, &no, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_karr(w, "duty_reports");
	for (int i = 0; i < nd; i++)
		write_duty(r, &ds[i], 0);
	jw_arr_end(w);
	jw_karr(w, "outcomes");
	for (int i = 0; i < no; i++)
		zb_api_voutcome(w, &os[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- 驻村工作队考核 ------------------------------------------------------------- */

static const char *const grade_codes[] = {"excellent", "competent", "basic", "incompetent"};
static const char *const part_codes[] = {"report", "county", "revival", "township", "unit"};

/* One 测评 round.  While the evaluation is open only the codes handed out
 * and used are told: counts by grade, read between two votes, would tell
 * the evaluator who handed out a code how its holder voted; they and the
 * score come with the final. */
static void write_round(zb_jw *w, const zb_vwork_rules *rules, const zb_vreview_round *x, const char *code, int final)
{
	int64_t votes = 0, points = 0;
	jw_obj(w);
	jw_kstr(w, "round", code);
	jw_kstr(w, "round_name", zb_vround_name(code));
	jw_kint(w, "codes", x->codes);
	jw_kint(w, "used", x->used);
	jw_karr(w, "votes");
	for (int g = 0; final && g < 4; g++) {
		jw_obj(w);
		jw_kstr(w, "grade", grade_codes[g]);
		jw_kstr(w, "grade_name", zb_vgrade_name(grade_codes[g]));
		jw_kint(w, "count", x->votes[g]);
		jw_obj_end(w);
		votes += x->votes[g];
		points += x->votes[g] * rules->vote_points[g];
	}
	jw_arr_end(w);
	if (votes)
		jw_kdouble(w, "score", zb_vwork_hundredths(points, votes) / 100.0);
	else
		jw_knull(w, "score");
	jw_obj_end(w);
}

static int answer_review(zb_req *r, int64_t id, zb_err *e)
{
	zb_vreview v;
	zb_vwork_rules rules;
	zb_vposting *ps;
	int np;
	char today[11], month[8];
	zb_today(r->app, today);
	snprintf(month, sizeof month, "%.7s", today);
	int rc = zb_vreview_get(r->db, id, &r->arena, &v, e);
	if (!rc)
		rc = zb_vwork_rules_get(r->db, v.org_path, v.report_on, &rules, e);
	if (!rc)
		rc = zb_vteam_postings(r->db, v.team_id, month, today, &r->arena, &ps, &np, e);
	if (rc)
		return rc;
	int64_t above;
	zb_err ig = {0};
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", v.id);
	jw_kint(w, "team_id", v.team_id);
	jw_kstr(w, "team_name", v.team_name);
	jw_kint(w, "org_id", v.org_id);
	jw_kstr(w, "org_name", v.org_name);
	jw_kint(w, "year", v.year);
	jw_kstr(w, "report_on", v.report_on);
	jw_kstr(w, "report_summary", v.report_summary);
	jw_kstr(w, "status", v.status);
	jw_kstr(w, "status_name", strcmp(v.status, "final") ? "进行中" : "已完成");
	jw_kbool(w, "can_manage", !zb_review_above(r->who, v.org_path, "", &above, &ig));
	jw_kobj(w, "weights");
	jw_kint(w, "report", rules.w_report);
	jw_kint(w, "rating_cadres", rules.w_rating_cadres);
	jw_kint(w, "rating_villagers", rules.w_rating_villagers);
	jw_kint(w, "exams", rules.w_exams);
	jw_obj_end(w);
	jw_karr(w, "rounds");
	int final = !strcmp(v.status, "final");
	write_round(w, &rules, &v.rounds[0], "cadres", final);
	write_round(w, &rules, &v.rounds[1], "villagers", final);
	jw_arr_end(w);
	jw_karr(w, "parts");
	for (int p = 0; p < 5; p++) {
		const zb_vreview_exam *x = NULL;
		for (int i = 0; i < v.nexams; i++)
			if (!strcmp(v.exams[i].examiner, part_codes[p]))
				x = &v.exams[i];
		jw_obj(w);
		jw_kstr(w, "examiner", part_codes[p]);
		jw_kstr(w, "examiner_label", zb_vexaminer_name(part_codes[p]));
		if (x) {
			jw_kint(w, "score", x->score);
			jw_kstr(w, "examiner_name", x->examiner_name);
			kname(w, "note", x->note);
			jw_kint(w, "entered_at", x->entered_at);
		} else {
			jw_knull(w, "score");
			jw_knull(w, "examiner_name");
			jw_knull(w, "note");
			jw_knull(w, "entered_at");
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	int fin = !strcmp(v.status, "final");
	if (fin) {
		jw_kdouble(w, "final_score", v.final_score);
		jw_kstr(w, "grade", v.grade);
		jw_kstr(w, "grade_name", zb_vgrade_name(v.grade));
	} else {
		jw_knull(w, "final_score");
		jw_knull(w, "grade");
		jw_knull(w, "grade_name");
	}
	kname(w, "finalised_on", v.finalised_on);
	jw_karr(w, "cadres");
	for (int i = 0; i < np; i++) {
		jw_obj(w);
		jw_kint(w, "cadre_id", ps[i].cadre_id);
		jw_kstr(w, "name", ps[i].cadre_name);
		jw_kstr(w, "role_name", zb_vrole_name(ps[i].role));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "outcomes");
	for (int i = 0; i < v.noutcomes; i++)
		zb_api_voutcome(w, &v.outcomes[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_review_open(zb_req *r, zb_err *e)
{
	int64_t year = 0, id;
	zb_body_int(r, "year", &year);
	if (year < 0 || year > 100000)
		return zb_fail(e, ZB_EINVAL, "year", "考核年度应为 2000 到 2200 之间");
	zb_actor ac = actor_of(r);
	int rc = zb_vreview_open(r->db, r->app, &ac, r->who, r->target_id, (int)year, zb_body_str(r, "report_on"),
	                         zb_body_str(r, "report_summary"), &r->arena, &id, e);
	if (!rc && !(rc = answer_review(r, id, e)))
		r->status = 201;
	return rc;
}

static int h_team_reviews(zb_req *r, zb_err *e)
{
	zb_vreview *items;
	int n;
	int rc = zb_vreview_of_team(r->db, r->target_id, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		int fin = !strcmp(items[i].status, "final");
		jw_obj(w);
		jw_kint(w, "id", items[i].id);
		jw_kint(w, "year", items[i].year);
		jw_kstr(w, "report_on", items[i].report_on);
		jw_kstr(w, "status", items[i].status);
		jw_kstr(w, "status_name", fin ? "已完成" : "进行中");
		if (fin)
			jw_kdouble(w, "final_score", items[i].final_score);
		else
			jw_knull(w, "final_score");
		kname(w, "grade_name", fin ? zb_vgrade_name(items[i].grade) : NULL);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_review_get(zb_req *r, zb_err *e)
{
	return answer_review(r, r->target_id, e);
}

static int h_review_codes(zb_req *r, zb_err *e)
{
	int64_t count = 0;
	zb_body_int(r, "count", &count);
	if (count < 0 || count > 100000)
		return zb_fail(e, ZB_EINVAL, "count", "测评码数量应为 1 到 500");
	const char *round = zb_body_str(r, "round");
	const char **codes;
	zb_actor ac = actor_of(r);
	int rc = zb_vreview_codes(r->db, r->app, &ac, r->who, r->target_id, round, (int)count, &r->arena, &codes, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "round", zb_vround_from(round));
	jw_kstr(w, "round_name", zb_vround_name(zb_vround_from(round)));
	/* each code with the public page's address and that address as a QR
	 * (SVG) for the printed sheet: scanned, the page opens with the code */
	const char *base = zb_api_base_url(r);
	jw_karr(w, "codes");
	for (int i = 0; i < count && !rc; i++) {
		const char *url = zb_arena_printf(&r->arena, "%s/#/vote?c=%s", base, codes[i]);
		zb_buf svg;
		zb_buf_init(&svg, 1u << 20);
		if (!(rc = zb_qr_svg(url, &svg, e))) {
			jw_obj(w);
			jw_kstr(w, "code", codes[i]);
			jw_kstr(w, "url", url);
			jw_key(w, "qr_svg");
			jw_strn(w, svg.data, svg.len);
			jw_obj_end(w);
		}
		zb_buf_release(&svg);
	}
	if (rc)
		return rc;
	jw_arr_end(w);
	jw_obj_end(w);
	r->status = 201;
	return 0;
}

static int h_review_score(zb_req *r, zb_err *e)
{
	int64_t score = -1;
	zb_body_int(r, "score", &score);
	if (score < 0 || score > 100)
		return zb_fail(e, ZB_EINVAL, "score", "分数应为 0 到 100 之间的整数");
	zb_actor ac = actor_of(r);
	int rc = zb_vreview_score(r->db, r->app, &ac, r->who, r->target_id, zb_body_str(r, "examiner"), (int)score,
	                          zb_body_str(r, "examiner_name"), zb_body_str(r, "note"), &r->arena, e);
	return rc ? rc : answer_review(r, r->target_id, e);
}

static int h_review_finalise(zb_req *r, zb_err *e)
{
	zb_actor ac = actor_of(r);
	zb_vreview_result res;
	int rc = zb_vreview_finalise(r->db, r->app, &ac, r->who, r->target_id, zb_body_str(r, "on"), &r->arena, &res, e);
	return rc ? rc : answer_review(r, r->target_id, e);
}

static int h_review_outcome(zb_req *r, zb_err *e)
{
	int64_t cadre = 0, id, reserve = 0;
	zb_body_int(r, "cadre_id", &cadre);
	zb_actor ac = actor_of(r);
	int rc = zb_vreview_outcome(r->db, r->app, &ac, r->who, r->target_id, cadre, zb_body_str(r, "kind"),
	                            zb_body_str(r, "on_date"), zb_body_str(r, "decided_by"), zb_body_str(r, "reason"),
	                            &r->arena, &id, &reserve, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	zb_api_kid_or_null(&r->jw, "reserve_id", reserve);
	jw_obj_end(&r->jw);
	r->status = 201;
	return 0;
}

/* ---- the public vote (no login) ---------------------------------------------- */

static int h_vote_check(zb_req *r, zb_err *e)
{
	zb_vreview v;
	const char *round;
	int rc = zb_vvote_check(r->db, r->app, zb_body_str(r, "code"), r->ip, &r->arena, &v, &round, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "org_name", v.org_name);
	jw_kstr(w, "team_name", v.team_name);
	jw_kint(w, "year", v.year);
	jw_kstr(w, "round", round);
	jw_kstr(w, "round_name", zb_vround_name(round));
	jw_karr(w, "grades");
	for (int g = 0; g < 4; g++) {
		jw_obj(w);
		jw_kstr(w, "grade", grade_codes[g]);
		jw_kstr(w, "grade_name", zb_vgrade_name(grade_codes[g]));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	r->cache_control = "no-store";
	return 0;
}

static int h_vote_cast(zb_req *r, zb_err *e)
{
	int rc = zb_vvote_cast(r->db, r->app, zb_body_str(r, "code"), zb_body_str(r, "grade"), r->ip, &r->arena, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_kstr(&r->jw, "message", "投票成功，感谢参与");
	jw_obj_end(&r->jw);
	r->status = 201;
	r->cache_control = "no-store";
	return 0;
}

/* ---- shapes and routes ----------------------------------------------------------- */

static const zb_prop dfile_props[] = {
	{"id", 'i', 0, NULL, "附件编号"},
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf"},
	{"filename", 's', 0, NULL, "文件名"},
	{"size", 'i', 0, NULL, "字节数"},
	{"url", 's', 0, NULL, "下载地址"},
	{0},
};
static const zb_shape dfile_shape = {"DutyReportFile", dfile_props, 0, 0, "述职的附件"};
#define DUTY_PROPS                                                                                      \
	{"id", 'i', 0, NULL, "述职编号"}, {"member_id", 'i', 0, NULL, "述职的书记（党员）"},               \
	{"member_name", 's', 0, NULL, "姓名"}, {"org_id", 'i', 0, NULL, "所任书记的组织"},                 \
	{"org_name", 's', 0, NULL, "组织名称"}, {"year", 'i', 0, NULL, "述职年度"},                         \
	{"filed_on", 'd', 0, NULL, "提交日期"}, {"status", 's', 0, NULL, "filed 待评定、rated 已评定"},     \
	{"status_name", 's', 0, NULL, "状态"}, {"grade", 's', ZB_NULL, NULL, "good、fair、average、poor"}, \
	{"grade_name", 's', ZB_NULL, NULL, "好、较好、一般、差"}, {"comment", 's', ZB_NULL, NULL, "评语"}, \
	{"rated_on", 'd', ZB_NULL, NULL, "评定日期"}, {"rater_org_name", 's', ZB_NULL, NULL, "评定的上级党组织"}
static const zb_prop duty_props[] = {
	DUTY_PROPS,
	{"report", 's', 0, NULL, "述职报告"},
	{"files", 'a', 0, &dfile_shape, "附件（照片、PDF）"},
	{"can_rate", 'b', 0, NULL, "调用者可以评定（上级党组织，且不是本人）"},
	{0},
};
static const zb_shape duty_shape = {"DutyReport", duty_props, 0, 0, "书记抓党建述职及其评定"};
static const zb_prop duty_brief_props[] = {DUTY_PROPS, {0}};
static const zb_shape duty_brief = {"DutyReportBrief", duty_brief_props, 0, 0, "述职（不含报告全文）"};
static const zb_prop duty_item_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"member_id", 'i', 0, NULL, "该年度任书记的党员"},
	{"member_name", 's', 0, NULL, "姓名"},
	{"status", 's', 0, NULL, "not_filed 未提交、filed 待评定、rated 已评定"},
	{"status_name", 's', 0, NULL, "状态"},
	{"report_id", 'i', ZB_NULL, NULL, "述职编号"},
	{"filed_on", 'd', ZB_NULL, NULL, "提交日期"},
	{"grade", 's', ZB_NULL, NULL, "评定等次代码"},
	{"grade_name", 's', ZB_NULL, NULL, "好、较好、一般、差"},
	{0},
};
static const zb_shape duty_item = {"DutyListItem", duty_item_props, 0, 0, NULL};
static const zb_prop duty_sum_props[] = {
	{"secretaries", 'i', 0, NULL, "该年度任书记的人次"},
	{"filed", 'i', 0, NULL, "已提交"},
	{"not_filed", 'i', 0, NULL, "未提交"},
	{"rated", 'i', 0, NULL, "已评定"},
	{0},
};
static const zb_shape duty_sum = {NULL, duty_sum_props, 0, 0, NULL};
static const zb_prop duty_list_props[] = {
	{"year", 'i', 0, NULL, "述职年度"},
	{"summary", 'o', 0, &duty_sum, "合计"},
	{"items", 'a', 0, &duty_item, "本组织及下级组织的书记及其述职（按组织）"},
	{0},
};
static const zb_shape duty_list = {"DutyList", duty_list_props, 0, 0, "上级党组织的述职评议一览"};
static const zb_prop member_reviews_props[] = {
	{"duty_reports", 'a', 0, &duty_brief, "历年书记述职（新的在前）"},
	{"outcomes", 'a', 0, &zb_voutcome_shape, "作为驻村干部受到的处理（新的在前）"},
	{0},
};
static const zb_shape member_reviews = {"MemberReviews", member_reviews_props, 0, 0, "一个人的述职评议和处理"};

static const zb_prop vote_count_props[] = {
	{"grade", 's', 0, NULL, "excellent、competent、basic、incompetent"},
	{"grade_name", 's', 0, NULL, "优秀、称职、基本称职、不称职"},
	{"count", 'i', 0, NULL, "票数"},
	{0},
};
static const zb_shape vote_count = {"ReviewVoteCount", vote_count_props, 0, 0, NULL};
static const zb_prop round_props[] = {
	{"round", 's', 0, NULL, "cadres 乡镇干部测评、villagers 党员群众测评"},
	{"round_name", 's', 0, NULL, "名称"},
	{"codes", 'i', 0, NULL, "已发测评码"},
	{"used", 'i', 0, NULL, "已使用"},
	{"votes", 'a', 0, &vote_count, "各等次票数（不含投票人；考核完成后公布，进行中为空）"},
	{"score", 'n', ZB_NULL, NULL, "按规则每票分值的平均分（两位小数；考核完成后公布）"},
	{0},
};
static const zb_shape round_shape = {"ReviewRound", round_props, 0, 0, "一项测评"};
static const zb_prop part_props[] = {
	{"examiner", 's', 0, NULL, "report、county、revival、township、unit"},
	{"examiner_label", 's', 0, NULL, "述职、县委组织部、乡村振兴部门、乡镇党委、派出单位"},
	{"score", 'i', ZB_NULL, NULL, "分数 0–100（未录入为空）"},
	{"examiner_name", 's', ZB_NULL, NULL, "评分人"},
	{"note", 's', ZB_NULL, NULL, "说明"},
	{"entered_at", 'i', ZB_NULL, NULL, "录入时间（Unix 秒）"},
	{0},
};
static const zb_shape part_shape = {"ReviewPart", part_props, 0, 0, "述职得分或一方联考得分"};
static const zb_prop weights_props[] = {
	{"report", 'i', 0, NULL, "述职 %"},
	{"rating_cadres", 'i', 0, NULL, "乡镇干部测评 %"},
	{"rating_villagers", 'i', 0, NULL, "党员群众测评 %"},
	{"exams", 'i', 0, NULL, "四联考 %"},
	{0},
};
static const zb_shape weights_shape = {NULL, weights_props, 0, 0, NULL};
static const zb_prop rcadre_props[] = {
	{"cadre_id", 'i', 0, NULL, "干部"},
	{"name", 's', 0, NULL, "姓名"},
	{"role_name", 's', ZB_NULL, NULL, "第一书记、队长、队员"},
	{0},
};
static const zb_shape rcadre_shape = {"ReviewCadre", rcadre_props, 0, 0, NULL};
static const zb_prop review_props[] = {
	{"id", 'i', 0, NULL, "考核编号"},
	{"team_id", 'i', 0, NULL, "工作队"},
	{"team_name", 's', 0, NULL, "工作队名称"},
	{"org_id", 'i', 0, NULL, "村党组织"},
	{"org_name", 's', 0, NULL, "村"},
	{"year", 'i', 0, NULL, "考核年度"},
	{"report_on", 'd', 0, NULL, "述职日期"},
	{"report_summary", 's', 0, NULL, "述职摘要"},
	{"status", 's', 0, NULL, "open 进行中、final 已完成"},
	{"status_name", 's', 0, NULL, "状态"},
	{"can_manage", 'b', 0, NULL, "调用者是上级党组织，可以发码、录分、完成和记录处理"},
	{"weights", 'o', 0, &weights_shape, "规则的权重"},
	{"rounds", 'a', 0, &round_shape, "两测评"},
	{"parts", 'a', 0, &part_shape, "述职和四联考的得分"},
	{"final_score", 'n', ZB_NULL, NULL, "综合得分（两位小数，四舍五入）"},
	{"grade", 's', ZB_NULL, NULL, "excellent、competent、basic、incompetent"},
	{"grade_name", 's', ZB_NULL, NULL, "优秀、称职、基本称职、不称职"},
	{"finalised_on", 'd', ZB_NULL, NULL, "完成日期"},
	{"cadres", 'a', 0, &rcadre_shape, "在该工作队任职过的干部"},
	{"outcomes", 'a', 0, &zb_voutcome_shape, "依据本次考核作出的处理"},
	{0},
};
static const zb_shape review_shape = {"VillageReview", review_props, 0, 0, "驻村工作队考核：一述职、两测评、四联考"};
static const zb_prop review_item_props[] = {
	{"id", 'i', 0, NULL, "考核编号"},
	{"year", 'i', 0, NULL, "年度"},
	{"report_on", 'd', 0, NULL, "述职日期"},
	{"status", 's', 0, NULL, "open、final"},
	{"status_name", 's', 0, NULL, "状态"},
	{"final_score", 'n', ZB_NULL, NULL, "综合得分"},
	{"grade_name", 's', ZB_NULL, NULL, "等次"},
	{0},
};
static const zb_shape review_item = {"VillageReviewItem", review_item_props, 0, 0, NULL};
ZB_LIST_COUNTED(review_list, "VillageReviewList", &review_item);
static const zb_prop code_props[] = {
	{"code", 's', 0, NULL, "测评码"},
	{"url", 's', 0, NULL, "投票页地址（含测评码）"},
	{"qr_svg", 's', 0, NULL, "该地址的二维码（SVG）"},
	{0},
};
static const zb_shape code_shape = {"ReviewCode", code_props, 0, 0, NULL};
static const zb_prop codes_props[] = {
	{"round", 's', 0, NULL, "cadres、villagers"},
	{"round_name", 's', 0, NULL, "名称"},
	{"codes", 'a', 0, &code_shape, "测评码（只显示这一次，请打印）"},
	{0},
};
static const zb_shape codes_shape = {"ReviewCodes", codes_props, 0, 0, "新发的一次性测评码"};
static const zb_prop outcome_created_props[] = {
	{"id", 'i', 0, NULL, "处理编号"},
	{"reserve_id", 'i', ZB_NULL, NULL, "同时移出后备干部队伍的人员"},
	{0},
};
static const zb_shape outcome_created = {"ReviewOutcomeCreated", outcome_created_props, 0, 0, NULL};
static const zb_prop grade_props[] = {
	{"grade", 's', 0, NULL, "代码"},
	{"grade_name", 's', 0, NULL, "优秀、称职、基本称职、不称职"},
	{0},
};
static const zb_shape grade_shape = {"VoteGrade", grade_props, 0, 0, NULL};
static const zb_prop vote_info_props[] = {
	{"org_name", 's', 0, NULL, "村"},
	{"team_name", 's', 0, NULL, "工作队"},
	{"year", 'i', 0, NULL, "考核年度"},
	{"round", 's', 0, NULL, "cadres、villagers"},
	{"round_name", 's', 0, NULL, "测评名称"},
	{"grades", 'a', 0, &grade_shape, "可选的评价"},
	{0},
};
static const zb_shape vote_info = {"PublicVoteInfo", vote_info_props, 0, 0, "测评码对应的测评"};
static const zb_prop voted_props[] = {
	{"ok", 'b', 0, NULL, "已记录"},
	{"message", 's', 0, NULL, "提示"},
	{0},
};
static const zb_shape voted_shape = {"PublicVoted", voted_props, 0, 0, NULL};

static const zb_field duty_fields[] = {
	{"org_id", 'i', 1, 0, "所任书记的组织"},
	{"member_id", 'i', 1, 0, "该年度任书记的党员"},
	{"year", 'i', 1, 0, "述职年度"},
	{"report", 's', 1, 20000, "述职报告"},
	{"filed_on", 'd', 1, 10, "提交日期"},
	{0},
};
static const zb_field rate_fields[] = {
	{"grade", 's', 1, 16, "好、较好、一般、差（或 good、fair、average、poor）"},
	{"comment", 's', 0, 4000, "评语（一般、差须填写）"},
	{"rated_on", 'd', 1, 10, "评定日期"},
	{0},
};
static const zb_field open_fields[] = {
	{"year", 'i', 1, 0, "考核年度"},
	{"report_on", 'd', 1, 10, "述职日期"},
	{"report_summary", 's', 1, 8000, "述职摘要"},
	{0},
};
static const zb_field codes_fields[] = {
	{"round", 's', 1, 32, "cadres 乡镇干部测评、villagers 党员群众测评"},
	{"count", 'i', 1, 0, "数量 1–500"},
	{0},
};
static const zb_field score_fields[] = {
	{"examiner", 's', 1, 32, "report 述职、county 县委组织部、revival 乡村振兴部门、township 乡镇党委、unit 派出单位"},
	{"score", 'i', 1, 0, "分数 0–100"},
	{"examiner_name", 's', 1, 200, "评分人（姓名或单位）"},
	{"note", 's', 0, 2000, "说明"},
	{0},
};
static const zb_field finalise_fields[] = {
	{"on", 'd', 1, 10, "完成日期"},
	{0},
};
static const zb_field routcome_fields[] = {
	{"cadre_id", 'i', 1, 0, "在该工作队任职的干部"},
	{"kind", 's', 1, 32, "recall 召回、accountability 问责、disqualify 取消后备干部资格、talk 约谈、notify 通报派出单位"},
	{"on_date", 'd', 1, 10, "日期"},
	{"decided_by", 's', 1, 200, "决定机关或决定人"},
	{"reason", 's', 1, 2000, "原因"},
	{0},
};
static const zb_field vcheck_fields[] = {
	{"code", 's', 1, 32, "测评码"},
	{0},
};
static const zb_field vote_fields[] = {
	{"code", 's', 1, 32, "测评码"},
	{"grade", 's', 1, 16, "excellent 优秀、competent 称职、basic 基本称职、incompetent 不称职"},
	{0},
};

const zb_route zb_routes_review[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/duty-reports", .fn = h_duty_list,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&duty_list), .tag = "review",
	 .summary = "本组织及下级组织书记的述职：已提交、未提交、已评定", .query_doc = "year:integer"},
	{.method = "POST", .pattern = "/api/v1/duty-reports", .fn = h_duty_file,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = duty_fields,
	 .resp = ZB_CREATED(&duty_shape), .tag = "review", .summary = "提交书记抓党建述职"},
	{.method = "GET", .pattern = "/api/v1/duty-reports/{id}", .fn = h_duty_get,
	 .perm = P_ORG_READ, .scope = S_DUTY_REPORT, .resp = ZB_OK(&duty_shape), .tag = "review",
	 .summary = "一份述职及其评定"},
	{.method = "POST", .pattern = "/api/v1/duty-reports/{id}/rate", .fn = h_duty_rate,
	 .perm = P_ORG_WRITE, .scope = S_DUTY_REPORT, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = rate_fields,
	 .resp = ZB_OK(&duty_shape), .tag = "review", .summary = "上级党组织评定述职（好、较好、一般、差）"},
	{.method = "POST", .pattern = "/api/v1/duty-reports/{id}/files", .fn = h_duty_upload,
	 .perm = P_MEMBER_WRITE, .scope = S_DUTY_REPORT, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES,
	 .resp = ZB_CREATED(&dfile_shape), .tag = "review", .summary = "为述职上传照片或 PDF（请求体为文件内容）",
	 .query_doc = "filename:string"},
	{.method = "GET", .pattern = "/api/v1/duty-report-files/{id}", .fn = h_duty_file_get,
	 .perm = P_ORG_READ, .scope = S_DUTY_FILE,
	 .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf, application/octet-stream"), .tag = "review",
	 .summary = "述职的附件"},
	{.method = "GET", .pattern = "/api/v1/members/{id}/reviews", .fn = h_member_reviews,
	 .perm = P_MEMBER_READ, .scope = S_MEMBER, .resp = ZB_OK(&member_reviews), .tag = "review",
	 .summary = "一个人的历年书记述职和驻村考核处理"},
	{.method = "POST", .pattern = "/api/v1/village-teams/{id}/reviews", .fn = h_review_open,
	 .perm = P_ORG_WRITE, .scope = S_VTEAM, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = open_fields,
	 .resp = ZB_CREATED(&review_shape), .tag = "review", .summary = "开始工作队年度考核（上级党组织）"},
	{.method = "GET", .pattern = "/api/v1/village-teams/{id}/reviews", .fn = h_team_reviews,
	 .perm = P_ORG_READ, .scope = S_VTEAM, .resp = ZB_OK(&review_list), .tag = "review",
	 .summary = "工作队历年在平台上进行的考核"},
	{.method = "GET", .pattern = "/api/v1/village-reviews/{id}", .fn = h_review_get,
	 .perm = P_ORG_READ, .scope = S_VREVIEW, .resp = ZB_OK(&review_shape), .tag = "review",
	 .summary = "一次考核：测评票数（不含投票人）、各方得分、综合得分、处理"},
	{.method = "POST", .pattern = "/api/v1/village-reviews/{id}/codes", .fn = h_review_codes,
	 .perm = P_ORG_WRITE, .scope = S_VREVIEW, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = codes_fields,
	 .resp = ZB_CREATED(&codes_shape), .tag = "review", .summary = "生成一次性测评码（只显示一次）"},
	{.method = "POST", .pattern = "/api/v1/village-reviews/{id}/scores", .fn = h_review_score,
	 .perm = P_ORG_WRITE, .scope = S_VREVIEW, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = score_fields,
	 .resp = ZB_OK(&review_shape), .tag = "review", .summary = "录入述职得分或一方联考得分"},
	{.method = "POST", .pattern = "/api/v1/village-reviews/{id}/finalise", .fn = h_review_finalise,
	 .perm = P_ORG_WRITE, .scope = S_VREVIEW, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = finalise_fields,
	 .resp = ZB_OK(&review_shape), .tag = "review", .summary = "完成考核：按规则计算综合得分和等次"},
	{.method = "POST", .pattern = "/api/v1/village-reviews/{id}/outcomes", .fn = h_review_outcome,
	 .perm = P_ORG_WRITE, .scope = S_VREVIEW, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = routcome_fields,
	 .resp = ZB_CREATED(&outcome_created), .tag = "review",
	 .summary = "依据考核记录处理：召回、问责、取消后备干部资格、约谈、通报派出单位"},
	{.method = "POST", .pattern = "/api/v1/public/vote-codes", .fn = h_vote_check, .flags = R_PUBLIC | R_JSON,
	 .max_body = 1024, .fields = vcheck_fields, .resp = ZB_OK(&vote_info), .tag = "review",
	 .summary = "测评码对应的测评（无须登录；错误次数受限）"},
	{.method = "POST", .pattern = "/api/v1/public/votes", .fn = h_vote_cast, .flags = R_PUBLIC | R_JSON,
	 .max_body = 1024, .fields = vote_fields, .resp = ZB_CREATED(&voted_shape), .tag = "review",
	 .summary = "凭一次性测评码投票（匿名：不记录投票人和时间）"},
	{0},
};
