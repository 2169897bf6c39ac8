/* api_recruit_views.c - 发展党员 as the county and the branch see it, over
 * HTTP: the funnel of a year (GET /orgs/{id}/recruitment), the list of
 * overdue approvals and broken rules (GET /orgs/{id}/recruitment/alerts)
 * and the two printables of an applicant (入党积极分子培养考察登记, 发展党员
 * 公示).  The counting lives in recruit/funnel.c, the lists in
 * recruit/alerts.c, the pages in recruit/print.c (docs/RECRUITMENT.md
 * "County views, printables and reminders").
 */
#include "api/api.h"
#include "recruit/alerts.h"
#include "recruit/funnel.h"
#include "recruit/print.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the funnel ---- */

static void write_keys(zb_jw *w, const char *name, const zb_rfkeys *k)
{
	jw_kobj(w, name);
	for (int i = 0; i < k->n; i++)
		jw_kint(w, k->v[i].key, k->v[i].n);
	jw_obj_end(w);
}

static int h_funnel(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t year;
	if (zb_req_query_int(r, "year", zb_today_int(r->app) / 10000, 1950, 2200, &year, e))
		return e->code;
	zb_rfunnel f;
	int rc = zb_recruit_funnel(r->db, r->target_id, r->target_path, (int)year, &r->arena, &f, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kint(w, "year", year);
	jw_kstr(w, "as_of", today);
	jw_karr(w, "funnel");
	for (int k = 0; k < ZB_RF_KINDS; k++) {
		const zb_rfstage *s = &f.k[k];
		jw_obj(w);
		jw_kstr(w, "key", zb_rf_kind_code(k));
		jw_kstr(w, "name", zb_rf_kind_name(k));
		jw_kint(w, "step", zb_rf_kind_step(k));
		jw_kint(w, "count", s->count);
		write_keys(w, "by_source", &s->source);
		jw_kobj(w, "by_age");
		for (int b = 0; b < ZB_RF_AGES; b++)
			jw_kint(w, zb_rf_age_code(b), s->age[b]);
		jw_obj_end(w);
		write_keys(w, "by_education", &s->education);
		write_keys(w, "by_gender", &s->gender);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	int np = f.k[3].count;
	jw_kobj(w, "young");
	jw_kint(w, "age_under", ZB_RF_YOUNG_AGE);
	jw_kint(w, "probationary", np);
	jw_kint(w, "young", f.young);
	jw_kdouble(w, "share", np ? (double)f.young / np : 0.0);
	jw_obj_end(w);
	jw_karr(w, "children");
	for (int i = 0; i < f.nchildren; i++) {
		const zb_rfchild *c = &f.children[i];
		jw_obj(w);
		jw_kint(w, "org_id", c->org_id);
		jw_kstr(w, "org_name", c->name);
		for (int k = 0; k < ZB_RF_KINDS; k++)
			jw_kint(w, zb_rf_kind_code(k), c->count[k]);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kobj(w, "pipeline");
	for (int s = 0; s < ZB_RS_COUNT; s++)
		jw_kint(w, zb_rstage_code(s), f.pipeline[s]);
	jw_obj_end(w);
	jw_kint(w, "open_total", f.open_total);
	jw_obj_end(w);
	return 0;
}

/* ---- overdue approvals and broken rules ---- */

/* One item of the county's list or of the branch calendar. */
static void write_item_fields(zb_jw *w, const zb_ritem *it)
{
	jw_kint(w, "applicant_id", it->applicant_id);
	jw_kstr(w, "applicant_name", it->name);
	jw_kstr(w, "stage", it->stage);
	jw_kint(w, "step", it->step);
	jw_kstr(w, "step_name", zb_rstep_name(it->step));
	jw_kstr(w, "alert", zb_ritem_code(it->kind));
	jw_kstr(w, "alert_name", zb_ritem_name(it->kind));
	jw_kstr(w, "text", it->text);
}

void zb_api_calendar_ritem(zb_jw *w, const zb_ritem *it)
{
	jw_obj(w);
	jw_kstr(w, "kind", "recruit");
	jw_kstr(w, "status", it->overdue ? "overdue" : "due");
	jw_kbool(w, "current", !it->overdue);
	jw_kint(w, "org_id", it->org_id);
	jw_kstr(w, "org_name", it->org_name);
	jw_kint(w, "branch_id", it->org_id);
	jw_kstr(w, "branch_name", it->org_name);
	jw_kstr(w, "due_on", it->due);
	write_item_fields(w, it);
	jw_obj_end(w);
}

static int h_alerts(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT32_MAX, &after, e))
		return e->code;
	char today[11];
	zb_today(r->app, today);
	zb_ritem *v;
	int n;
	int rc = zb_recruit_items(r->db, r->target_path, today, ZB_RITEMS_BREAKS, &r->arena, &v, &n, e);
	if (rc)
		return rc;
	int counts[ZB_RA_KINDS + 1] = {0}, broken = 0;
	for (int i = 0; i < n; i++) {
		counts[v[i].kind]++;
		broken += v[i].broken == 2;
	}
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "as_of", today);
	jw_kobj(w, "counts");
	for (int k = 0; k <= ZB_RA_KINDS; k++)
		jw_kint(w, zb_ritem_code(k), counts[k]);
	jw_kint(w, "approval_broken", broken);
	jw_obj_end(w);
	jw_karr(w, "items");
	int64_t shown = 0;
	for (int64_t i = after; i < n && shown < limit; i++, shown++) {
		const zb_ritem *it = &v[i];
		jw_obj(w);
		write_item_fields(w, it);
		jw_kint(w, "org_id", it->org_id);
		jw_kstr(w, "org_name", it->org_name);
		jw_kstr(w, "due_on", it->due);
		if (*it->since)
			jw_kstr(w, "since", it->since);
		else
			jw_knull(w, "since");
		jw_kint(w, "days_overdue", it->days);
		jw_kstr(w, "severity", it->kind == ZB_RA_FLAGGED ? "flagged" : it->broken == 2 ? "broken" : "overdue");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "total", n);
	if (after + shown < n)
		jw_kstr(w, "next", zb_arena_printf(&r->arena, "%lld", (long long)(after + shown)));
	jw_obj_end(w);
	return 0;
}

/* ---- printables ---- */

static int print_done(zb_req *r, int rc, const char *action)
{
	if (rc)
		return rc;
	r->content_type = "text/html; charset=utf-8";
	zb_req_audit_read(r, action, "applicant", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_print_record(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_buf_reset(&r->out);
	return print_done(r, zb_recruit_print_record(r->db, r->target_id, today, &r->arena, &r->out, e),
	                  "applicant.print_record");
}

static int h_print_publicity(zb_req *r, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_buf_reset(&r->out);
	return print_done(r,
	                  zb_recruit_print_publicity(r->db, r->target_id, zb_req_query(r, "from"), today, &r->arena,
	                                             &r->out, e),
	                  "applicant.print_publicity");
}

/* ---- shapes ---- */

static const zb_prop age_props[] = {
	{"under25", 'i', 0, NULL, "25 岁以下"},
	{"25-34", 'i', 0, NULL, "25 至 34 岁"},
	{"35-44", 'i', 0, NULL, "35 至 44 岁"},
	{"45-54", 'i', 0, NULL, "45 至 54 岁"},
	{"55+", 'i', 0, NULL, "55 岁及以上"},
	{"unknown", 'i', 0, NULL, "出生日期不详"},
	{0},
};
static const zb_shape age_shape = {NULL, age_props, 0, 0, "按该步骤当日的周岁分段"};
static const zb_prop nokeys[] = {{0}};
static const zb_shape count_map = {NULL, nokeys, 0, 'i', "各值的人数（值来自数据；空值记为 unknown）"};

static const zb_prop fstage_props[] = {
	{"key", 's', 0, NULL, "applications、activists、candidates、probationary、full"},
	{"name", 's', 0, NULL, "环节名称"},
	{"step", 'i', 0, NULL, "所计的步骤（1、3、7、17、24）"},
	{"count", 'i', 0, NULL, "本年度人数"},
	{"by_source", 'o', 0, &count_map, "按来源（achiever、returnee、veteran、graduate、young_farmer、other）"},
	{"by_age", 'o', 0, &age_shape, "按年龄段"},
	{"by_education", 'o', 0, &count_map, "按学历"},
	{"by_gender", 'o', 0, &count_map, "按性别（M、F、unknown）"},
	{0},
};
static const zb_shape fstage_shape = {"RecruitFunnelStage", fstage_props, 0, 0, "漏斗的一个环节"};

static const zb_prop young_props[] = {
	{"age_under", 'i', 0, NULL, "青年的年龄上限（不含）：35"},
	{"probationary", 'i', 0, NULL, "本年度新接收的预备党员"},
	{"young", 'i', 0, NULL, "其中支部大会讨论时未满 35 周岁的"},
	{"share", 'n', 0, NULL, "青年占比（0 到 1；无新预备党员时为 0）"},
	{0},
};
static const zb_shape young_shape = {NULL, young_props, 0, 0, NULL};

static const zb_prop fchild_props[] = {
	{"org_id", 'i', 0, NULL, "直属下级组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"applications", 'i', 0, NULL, "递交入党申请书"},
	{"activists", 'i', 0, NULL, "确定为入党积极分子"},
	{"candidates", 'i', 0, NULL, "确定为发展对象"},
	{"probationary", 'i', 0, NULL, "接收为预备党员"},
	{"full", 'i', 0, NULL, "转为正式党员"},
	{0},
};
static const zb_shape fchild_shape = {"RecruitFunnelChild", fchild_props, 0, 0, "直属下级组织的漏斗"};

static const zb_prop pipeline_props[] = {
	{"applicant", 'i', 0, NULL, "申请人"},
	{"activist", 'i', 0, NULL, "入党积极分子"},
	{"candidate", 'i', 0, NULL, "发展对象"},
	{"probationary", 'i', 0, NULL, "预备党员"},
	{"full", 'i', 0, NULL, "正式党员（未归档）"},
	{0},
};
static const zb_shape pipeline_shape = {NULL, pipeline_props, 0, 0, NULL};

static const zb_prop funnel_props[] = {
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"year", 'i', 0, NULL, "年度"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"funnel", 'a', 0, &fstage_shape, "申请 → 积极分子 → 发展对象 → 预备党员 → 转正，依次"},
	{"young", 'o', 0, &young_shape, "新预备党员中的青年（35 岁以下）"},
	{"children", 'a', 0, &fchild_shape, "各直属下级组织"},
	{"pipeline", 'o', 0, &pipeline_shape, "当前在培养的人数（未终止、未归档），按阶段"},
	{"open_total", 'i', 0, NULL, "当前在培养的总人数"},
	{0},
};
static const zb_shape funnel_shape = {"RecruitFunnel", funnel_props, 0, 0, "发展党员漏斗"};

static const zb_prop acounts_props[] = {
	{"talk_due", 'i', 0, NULL, "入党谈话逾期"},
	{"assess_due", 'i', 0, NULL, "半年考察逾期"},
	{"approval_due", 'i', 0, NULL, "上级党委审批逾期"},
	{"probation_ending", 'i', 0, NULL, "（不计入本表）"},
	{"probation_over", 'i', 0, NULL, "预备期已满未讨论转正"},
	{"flagged", 'i', 0, NULL, "导入的不符合规定的步骤"},
	{"approval_broken", 'i', 0, NULL, "审批超过最长期限（approve_max_months）"},
	{0},
};
static const zb_shape acounts_shape = {NULL, acounts_props, 0, 0, NULL};

#define RITEM_PROPS                                                                                        \
	{"applicant_id", 'i', 0, NULL, "发展对象档案（GET /applicants/{id}）"},                                \
	{"applicant_name", 's', 0, NULL, "姓名"},                                                         \
	{"stage", 's', 0, NULL, "阶段：applicant、activist、candidate、probationary、full"},                   \
	{"step", 'i', 0, NULL, "所涉步骤（1-25）"},                                                        \
	{"step_name", 's', 0, NULL, "步骤名称"},                                                          \
	{"alert", 's', 0, NULL, "talk_due、assess_due、approval_due、probation_ending、probation_over、flagged"}, \
	{"alert_name", 's', 0, NULL, "提醒类别"},                                                          \
	{"text", 's', 0, NULL, "规定与日期"}

static const zb_prop aitem_props[] = {
	RITEM_PROPS,
	{"org_id", 'i', 0, NULL, "所在支部"},
	{"org_name", 's', 0, NULL, "支部名称"},
	{"due_on", 'd', 0, NULL, "应完成日期（flagged：该步骤的日期）"},
	{"since", 'd', ZB_NULL, NULL, "期限起算日：申请、支部大会或预备期起算"},
	{"days_overdue", 'i', 0, NULL, "逾期天数"},
	{"severity", 's', 0, NULL, "overdue 逾期、broken 超过最长期限、flagged 导入时已违反规定"},
	{0},
};
static const zb_shape aitem_shape = {"RecruitBreak", aitem_props, 0, 0, "逾期或违反规定的发展程序"};

static const zb_prop alerts_props[] = {
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"counts", 'o', 0, &acounts_shape, "各类条数"},
	{"items", 'a', 0, &aitem_shape, "本页，逾期最久的在前"},
	{"total", 'i', 0, NULL, "总条数"},
	{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},
	{0},
};
static const zb_shape alerts_shape = {"RecruitBreakPage", alerts_props, 0, 0, "发展党员预警的一页"};

/* ---- routes ---- */

const zb_route zb_routes_recruit_views[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/recruitment", .fn = h_funnel,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_OK(&funnel_shape),
	 .tag = "recruitment", .summary = "发展党员漏斗：本年度申请、积极分子、发展对象、预备党员、转正（含下级）",
	 .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/recruitment/alerts", .fn = h_alerts,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&alerts_shape),
	 .tag = "recruitment", .summary = "发展党员预警：审批逾期、谈话与考察逾期、预备期满未讨论转正、导入的违规步骤（含下级）",
	 .query_doc = "after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/applicants/{id}/print/record", .fn = h_print_record,
	 .perm = P_MEMBER_READ, .scope = S_APPLICANT, .resp = ZB_MEDIA("text/html"),
	 .tag = "recruitment", .summary = "打印入党积极分子培养考察登记表（HTML）"},
	{.method = "GET", .pattern = "/api/v1/applicants/{id}/print/publicity", .fn = h_print_publicity,
	 .perm = P_MEMBER_READ, .scope = S_APPLICANT, .resp = ZB_MEDIA("text/html"),
	 .tag = "recruitment", .summary = "打印发展党员公示（HTML；公示期自第 13 步的公示首日或 from 起 5 个工作日）",
	 .query_doc = "from:string"},
	{0},
};
