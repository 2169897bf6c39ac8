/* api_recruit.c - 发展党员 over HTTP: the people in the pipeline, their 25
 * steps, corrections and 终止培养.  The record and the rules live in
 * recruit/ (applicant.h, recruit.h); this file reads requests, calls one
 * domain function, masks what the caller may not see and writes JSON. */
#include "api/api.h"
#include "member/member.h"
#include "recruit/applicant.h"

#include <string.h>

/* ---- output ------------------------------------------------------------------ */

static void write_next(zb_jw *w, const zb_rnext *n)
{
	jw_kobj(w, "next");
	jw_kint(w, "step", n->step);
	zb_api_kstr_or_null(w, "name", n->step ? zb_rstep_name(n->step) : NULL);
	zb_api_kstr_or_null(w, "earliest", n->earliest);
	zb_api_kstr_or_null(w, "due", n->due);
	zb_api_kstr_or_null(w, "needs", n->needs);
	jw_obj_end(w);
}

/* The fields of the record every answer carries. */
static void write_head(zb_req *r, const zb_applicant *a)
{
	zb_jw *w = &r->jw;
	jw_kint(w, "id", a->id);
	jw_kint(w, "org_id", a->org_id);
	jw_kstr(w, "org_name", a->org_name);
	jw_kstr(w, "name", a->name);
	jw_kstr(w, "gender", a->gender);
	jw_kstr(w, "stage", a->stage);
	jw_kstr(w, "stage_name", zb_rstage_name(zb_rstage_from(a->stage)));
	jw_kint(w, "step", a->step);
	jw_kstr(w, "step_name", zb_rstep_name(a->step));
	jw_kstr(w, "step_on", a->step_on);
	jw_kstr(w, "applied_on", a->applied_on);
	jw_kstr(w, "source", a->source);
	jw_kstr(w, "closed", a->closed);
}

static void write_steps(zb_jw *w, const zb_rcase_view *v)
{
	jw_karr(w, "steps");
	for (int i = 0; i < v->nrows; i++) {
		const zb_rstep_row *s = &v->rows[i];
		jw_obj(w);
		jw_kint(w, "id", s->id);
		jw_kint(w, "step", s->rec.step);
		jw_kstr(w, "name", zb_rstep_name(s->rec.step));
		jw_kstr(w, "done_on", s->rec.done_on);
		jw_karr(w, "people");
		for (int j = 0; j < s->nnamed; j++) {
			jw_obj(w);
			if (s->named[j].member_id)
				jw_kint(w, "member_id", s->named[j].member_id);
			else
				jw_knull(w, "member_id");
			jw_kstr(w, "name", s->named[j].name);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_key(w, "facts");
		jw_raw(w, s->facts_json && *s->facts_json ? s->facts_json : "{}");
		if (s->meeting_id)
			jw_kint(w, "meeting_id", s->meeting_id);
		else
			jw_knull(w, "meeting_id");
		if (s->resolution_id)
			jw_kint(w, "resolution_id", s->resolution_id);
		else
			jw_knull(w, "resolution_id");
		jw_kstr(w, "flag", s->flag);
		jw_kstr(w, "recorded_by_name", s->recorded_by_name);
		jw_kint(w, "recorded_at", s->recorded_at);
		jw_kbool(w, "corrected", s->reason != NULL);
		jw_kstr(w, "reason", s->reason);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* One case.  full: ID number and phone in clear (revealed by the caller). */
static void write_case(zb_req *r, const zb_rcase_view *v, int full)
{
	zb_jw *w = &r->jw;
	const zb_applicant *a = &v->a;
	int exact = full || zb_authz_allows(r->who, P_MEMBER_SENSITIVE, a->org_path);
	jw_obj(w);
	write_head(r, a);
	jw_kstr(w, "birth_date", zb_member_birth_shown(&r->arena, a->birth_date, exact));
	jw_kstr(w, "id_number", full && a->id_number ? a->id_number : a->id_masked);
	jw_kstr(w, "ethnicity", a->ethnicity);
	jw_kstr(w, "education", a->education);
	jw_kstr(w, "work_unit", a->work_unit);
	jw_kstr(w, "phone", full && a->phone ? a->phone : a->phone_masked);
	jw_kstr(w, "source_name", zb_asource_name(a->source));
	jw_kstr(w, "recommended_by", a->recommended_by);
	if (a->member_id)
		jw_kint(w, "member_id", a->member_id);
	else
		jw_knull(w, "member_id");
	jw_kstr(w, "closed_on", a->closed_on);
	jw_kstr(w, "closed_reason", a->closed_reason);
	zb_api_kstr_or_null(w, "probation_end", v->probation_end);
	jw_kbool(w, "full", full);
	write_steps(w, v);
	write_next(w, &v->next);
	jw_karr(w, "alerts");
	for (int i = 0; i < v->nalerts; i++) {
		const zb_ralert *al = &v->alerts[i];
		jw_obj(w);
		jw_kstr(w, "kind", zb_ralert_code(al->kind));
		jw_kint(w, "step", al->step);
		zb_api_kstr_or_null(w, "due", al->due);
		jw_kbool(w, "overdue", al->overdue);
		jw_kstr(w, "text", al->text);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "created_at", a->created_at);
	jw_kint(w, "updated_at", a->updated_at);
	jw_obj_end(w);
}

/* The case as it is now, after a write or for a read. */
static int answer_case(zb_req *r, int64_t id, int full, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	zb_rcase_view v;
	int rc = zb_recruit_view(r->db, id, today, &r->arena, &v, e);
	if (!rc && full)
		rc = zb_applicant_reveal(&v.a, r->app->keys, &r->arena, e);
	if (rc)
		return rc;
	write_case(r, &v, full);
	return 0;
}

/* ---- list and detail ------------------------------------------------------------ */

static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit, after = 0;
	const char *stage = zb_req_query(r, "stage"), *q = zb_req_query(r, "q"), *af = zb_req_query(r, "after");
	if (stage && *stage) {
		int s = zb_rstage_from(stage);
		if (s < 0)
			return zb_fail(e, ZB_EINVAL, "stage",
			               "阶段应为 applicant、activist、candidate、probationary 或 full");
		stage = zb_rstage_code(s);
	} else {
		stage = NULL;
	}
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	(void)af;
	char today[11];
	zb_today(r->app, today);
	zb_applicant_item *items;
	int n;
	int64_t next;
	int rc = zb_applicant_list(r->db, r->target_path, stage, q && *q ? q : NULL, after, limit, today, &r->arena, &items,
	                           &n, &next, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(w);
		write_head(r, &items[i].a);
		write_next(w, &items[i].next);
		jw_kint(w, "alerts", items[i].nalerts);
		jw_obj_end(w);
	}
	zb_list_end(r, -1, next ? zb_arena_printf(&r->arena, "%lld", (long long)next) : NULL);
	zb_req_audit_read(r, "applicant.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_get(zb_req *r, zb_err *e)
{
	return zb_api_get_full(r, answer_case, "applicant.read", "applicant", e);
}

/* ---- the record ------------------------------------------------------------------ */

static const struct {
	const char *json;
	unsigned bit;
	size_t off;
} afields[] = {
	{"name", ZB_AF_NAME, offsetof(zb_applicant, name)},
	{"gender", ZB_AF_GENDER, offsetof(zb_applicant, gender)},
	{"birth_date", ZB_AF_BIRTH, offsetof(zb_applicant, birth_date)},
	{"id_number", ZB_AF_ID, offsetof(zb_applicant, id_number)},
	{"ethnicity", ZB_AF_ETHNICITY, offsetof(zb_applicant, ethnicity)},
	{"education", ZB_AF_EDUCATION, offsetof(zb_applicant, education)},
	{"work_unit", ZB_AF_WORK_UNIT, offsetof(zb_applicant, work_unit)},
	{"phone", ZB_AF_PHONE, offsetof(zb_applicant, phone)},
	{"source", ZB_AF_SOURCE, offsetof(zb_applicant, source)},
	{"recommended_by", ZB_AF_RECOMMENDED, offsetof(zb_applicant, recommended_by)},
	{"applied_on", ZB_AF_APPLIED, offsetof(zb_applicant, applied_on)},
};

static unsigned read_record(zb_req *r, zb_applicant *a)
{
	unsigned given = 0;
	memset(a, 0, sizeof *a);
	for (size_t i = 0; i < sizeof afields / sizeof afields[0]; i++) {
		if (!zb_body_has(r, afields[i].json))
			continue;
		*(const char **)((char *)a + afields[i].off) = zb_body_str(r, afields[i].json);
		given |= afields[i].bit;
	}
	return given;
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_applicant in;
	unsigned given = read_record(r, &in);
	int64_t org_id = 0, id;
	zb_body_int(r, "org_id", &org_id);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_applicant_create(r->db, r->app, &by, r->who, org_id, &in, given, &r->arena, &id, e);
	if (rc || (rc = answer_case(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_patch(zb_req *r, zb_err *e)
{
	zb_applicant in;
	unsigned given = read_record(r, &in);
	if (given & ZB_AF_APPLIED)
		return zb_fail(e, ZB_EINVAL, "applied_on", "递交入党申请书的日期是第 1 步的日期，请更正第 1 步");
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_applicant_update(r->db, r->app, &by, r->target_id, &in, given, &r->arena, e);
	return rc ? rc : answer_case(r, r->target_id, 0, e);
}

/* ---- steps ----------------------------------------------------------------------- */

/* talkers [{member_id}|{name}], contacts / introducers [member_id...] */
static int read_people(zb_req *r, zb_rstep_input *in, zb_err *e)
{
	static const char *const keys[] = {"talkers", "contacts", "introducers"};
	for (size_t k = 0; k < 3; k++) {
		json_t *arr = json_object_get(r->json, keys[k]);
		if (!json_is_array(arr))
			continue;
		size_t n = json_array_size(arr);
		if (in->npeople || n > 10)
			return zb_fail(e, ZB_EINVAL, keys[k], "人员过多，或同时填写了多类人员");
		zb_rperson_in *p = zb_arena_alloc(&r->arena, (n + 1) * sizeof *p);
		for (size_t i = 0; i < n; i++) {
			json_t *it = json_array_get(arr, i);
			json_t *mid = json_is_object(it) ? json_object_get(it, "member_id") : it;
			json_t *nm = json_is_object(it) ? json_object_get(it, "name") : NULL;
			if (json_is_integer(mid) && json_integer_value(mid) > 0)
				p[i].member_id = json_integer_value(mid);
			else if (json_is_string(nm) && json_string_length(nm) <= 200)
				p[i].name = json_string_value(nm);
			else
				return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "%s[%zu]", keys[k], i),
				               "应为党员编号（member_id）或姓名（name）");
		}
		in->people = p;
		in->npeople = (int)n;
	}
	return 0;
}

static int read_step(zb_req *r, zb_rstep_input *in, zb_err *e)
{
	memset(in, 0, sizeof *in);
	int64_t v = 0;
	if (zb_body_int(r, "step", &v))
		in->step = v < 0 || v > 100 ? -1 : (int)v;
	in->done_on = zb_body_str(r, "done_on");
#define S(k) in->k = zb_body_str(r, #k);
	S(conclusion)
	S(opinion)
	S(note)
	S(certificate_no)
	S(publicity_from)
	S(volunteer_no)
	S(delay_reason)
	S(recommended_by)
	S(outcome)
	S(reason)
#undef S
#define I(k) in->k = zb_body_int(r, #k, &v) ? v : -1;
	I(training_days)
	I(training_hours)
	I(extend_months)
#undef I
	zb_body_int(r, "meeting_id", &in->meeting_id);
	zb_body_int(r, "resolution_id", &in->resolution_id);
	zb_body_int(r, "group_id", &in->group_id);
	if (in->training_days > 1000 || in->training_hours > 10000 || in->extend_months > 100)
		return zb_fail(e, ZB_EINVAL, in->extend_months > 100 ? "extend_months" : "training_days", "数值过大");
	return read_people(r, in, e);
}

static int h_step(zb_req *r, zb_err *e)
{
	zb_rstep_input in;
	int rc = read_step(r, &in, e);
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_recruit_record(r->db, r->app, &by, r->who, r->target_id, &in, &r->arena, e)) ||
	    (rc = answer_case(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_correct(zb_req *r, zb_err *e)
{
	int64_t step_id;
	zb_rstep_input in;
	int rc = zb_req_param_id(r, 1, &step_id, e);
	if (rc || (rc = read_step(r, &in, e)))
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_recruit_correct(r->db, r->app, &by, r->who, r->target_id, step_id, &in, &r->arena, e)) ||
	    (rc = answer_case(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_close(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_recruit_close(r->db, r->app, &by, r->target_id, zb_body_str(r, "on"), zb_body_str(r, "reason"),
	                          &r->arena, e);
	return rc ? rc : answer_case(r, r->target_id, 0, e);
}

/* ---- route table ------------------------------------------------------------------- */

#define RECORD_FIELDS(req)                                                                                  \
	{"name", 's', req, 200, "姓名"}, {"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},        \
	{"id_number", 's', 0, 64, "身份证号（18 位）"},                                                          \
	{"birth_date", 'd', 0, 10, "出生日期（有身份证号时由其得出，不一致则报错）"},                             \
	{"ethnicity", 's', 0, 100, "民族"}, {"education", 's', 0, 64, "学历"},                                     \
	{"work_unit", 's', 0, 800, "工作单位"}, {"phone", 's', 0, 64, "联系电话"},                                   \
	{"source", 's', 0, 32,                                                                                    \
	 "来源：achiever 致富能手、returnee 返乡创业人员、veteran 复转军人、graduate 大学生、young_farmer 青年农民、other 其他"}, \
	{"recommended_by", 's', 0, 32, "推荐方式：league 共青团推优、members 党员推荐"}

static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "所在党支部"},
	RECORD_FIELDS(1),
	{"applied_on", 'd', 1, 10, "递交入党申请书的日期（第 1 步）"},
	{0},
};
static const zb_field patch_fields[] = {
	RECORD_FIELDS(0),
	{"applied_on", 'd', 0, 10, "（不可修改：请更正第 1 步）"},
	{0},
};

#define STEP_FACTS                                                                                                     \
	{"done_on", 'd', 1, 10, "完成日期"},                                                                              \
	{"talkers", 'a', 0, 0, "谈话人（第 2、16 步）：[{\"member_id\"} 或 {\"name\"}]"},                                  \
	{"contacts", 'a', 0, 0, "培养联系人（第 5 步）：[党员编号]"},                                                      \
	{"introducers", 'a', 0, 0, "入党介绍人（第 9 步）：[党员编号, 党员编号]"},                                        \
	{"recommended_by", 's', 0, 32, "第 3 步：league 共青团推优 / members 党员推荐"},                                  \
	{"opinion", 's', 0, 4000, "考察意见（第 6、21 步）"},                                                             \
	{"conclusion", 's', 0, 16, "结论（第 10、12、13 步）：pass / fail"},                                              \
	{"training_days", 'i', 0, 0, "集中培训天数（第 11 步）"},                                                          \
	{"training_hours", 'i', 0, 0, "集中培训学时（第 11 步）"},                                                         \
	{"certificate_no", 's', 0, 100, "结业证书编号（第 11 步）"},                                                       \
	{"publicity_from", 'd', 0, 10, "公示开始日期（第 13 步）"},                                                        \
	{"volunteer_no", 's', 0, 100, "入党志愿书编号（第 14 步）"},                                                      \
	{"meeting_id", 'i', 0, 0, "支部党员大会会议记录（第 15、23 步）"},                                                 \
	{"resolution_id", 'i', 0, 0, "该会议的决议（会议只有一项接收/转正决议时可省略）"},                                \
	{"delay_reason", 's', 0, 1000, "超过三个月审批的原因（第 17、24 步）"},                                           \
	{"group_id", 'i', 0, 0, "编入的党小组（第 19 步）"},                                                               \
	{"outcome", 's', 0, 16, "转正讨论结论（第 23 步）：full / extend / cancel"},                                      \
	{"extend_months", 'i', 0, 0, "延长预备期的月数（第 23 步，6–12）"},                                               \
	{"note", 's', 0, 4000, "备注"}

static const zb_field step_fields[] = {
	{"step", 'i', 1, 0, "步骤编号 1–25（发展党员工作细则）"},
	STEP_FACTS,
	{0},
};
static const zb_field correct_fields[] = {
	{"step", 'i', 0, 0, "步骤编号（可省略：与被更正的记录相同）"},
	STEP_FACTS,
	{"reason", 's', 1, 1000, "更正原因"},
	{0},
};
static const zb_field close_fields[] = {
	{"on", 'd', 1, 10, "终止日期"},
	{"reason", 's', 1, 1000, "终止培养的原因"},
	{0},
};

static const zb_prop next_props[] = {
	{"step", 'i', 0, NULL, "下一步的编号（0：已完成或已终止）"},
	{"name", 's', ZB_NULL, NULL, "下一步的名称"},
	{"earliest", 'd', ZB_NULL, NULL, "最早可办理的日期"},
	{"due", 'd', ZB_NULL, NULL, "最迟办理的日期"},
	{"needs", 's', ZB_NULL, NULL, "需要什么"},
	{0},
};
static const zb_shape next_shape = {"RecruitNext", next_props, 0, 0, "下一步"};

#define HEAD_PROPS                                                                                              \
	{"id", 'i', 0, NULL, "编号"}, {"org_id", 'i', 0, NULL, "所在党支部"},                                       \
	{"org_name", 's', 0, NULL, "所在党支部名称"}, {"name", 's', 0, NULL, "姓名"},                                \
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"},                                                            \
	{"stage", 's', 0, NULL, "阶段：applicant、activist、candidate、probationary、full"},                          \
	{"stage_name", 's', ZB_NULL, NULL, "阶段名称"}, {"step", 'i', 0, NULL, "最近完成的步骤"},                    \
	{"step_name", 's', ZB_NULL, NULL, "该步骤的名称"}, {"step_on", 'd', 0, NULL, "该步骤的日期"},                 \
	{"applied_on", 'd', 0, NULL, "递交入党申请书的日期"}, {"source", 's', 0, NULL, "来源代码"},                   \
	{"closed", 's', ZB_NULL, NULL, "结束：stopped 终止培养、cancelled 取消预备党员资格、done 已归档；null 进行中"}

static const zb_prop item_props[] = {
	HEAD_PROPS,
	{"next", 'o', 0, &next_shape, "下一步"},
	{"alerts", 'i', 0, NULL, "提醒和逾期的条数"},
	{0},
};
static const zb_shape item_shape = {"ApplicantItem", item_props, 0, 0, "发展党员名单中的一人"};
ZB_LIST_PAGED(applicant_list, "ApplicantList", &item_shape);

static const zb_prop person_props[] = {
	{"member_id", 'i', ZB_NULL, NULL, "党员编号（只填姓名时为 null）"},
	{"name", 's', 0, NULL, "姓名"},
	{0},
};
static const zb_shape person_shape = {"RecruitPerson", person_props, 0, 0, "步骤中的人员"};
static const zb_prop step_props[] = {
	{"id", 'i', 0, NULL, "记录编号"},
	{"step", 'i', 0, NULL, "步骤编号"},
	{"name", 's', 0, NULL, "步骤名称"},
	{"done_on", 'd', 0, NULL, "完成日期"},
	{"people", 'a', 0, &person_shape, "谈话人、培养联系人或入党介绍人"},
	{"facts", 'j', 0, NULL, "该步骤的事实：结论、考察意见、培训天数和学时、证书和志愿书编号、公示开始日期、延长审批原因、转正结论等"},
	{"meeting_id", 'i', ZB_NULL, NULL, "支部党员大会会议记录"},
	{"resolution_id", 'i', ZB_NULL, NULL, "决议"},
	{"flag", 's', ZB_NULL, NULL, "导入的历史步骤违反的规定"},
	{"recorded_by_name", 's', ZB_NULL, NULL, "记录人"},
	{"recorded_at", 'i', 0, NULL, "记录时间（Unix 秒）"},
	{"corrected", 'b', 0, NULL, "是更正后的记录"},
	{"reason", 's', ZB_NULL, NULL, "更正原因"},
	{0},
};
static const zb_shape step_shape = {"RecruitStep", step_props, 0, 0, "已完成的步骤"};
static const zb_prop alert_props[] = {
	{"kind", 's', 0, NULL, "talk_due、assess_due、approval_due、probation_ending、probation_over"},
	{"step", 'i', 0, NULL, "涉及的步骤"},
	{"due", 'd', ZB_NULL, NULL, "到期日"},
	{"overdue", 'b', 0, NULL, "已逾期"},
	{"text", 's', 0, NULL, "说明"},
	{0},
};
static const zb_shape alert_shape = {"RecruitAlert", alert_props, 0, 0, "提醒"};
static const zb_prop case_props[] = {
	HEAD_PROPS,
	{"birth_date", 's', ZB_NULL, NULL, "出生日期（无权查看全部时只到年月）"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（默认隐去）"},
	{"ethnicity", 's', ZB_NULL, NULL, "民族"},
	{"education", 's', ZB_NULL, NULL, "学历"},
	{"work_unit", 's', ZB_NULL, NULL, "工作单位"},
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"},
	{"source_name", 's', ZB_NULL, NULL, "来源"},
	{"recommended_by", 's', ZB_NULL, NULL, "推荐方式：league、members"},
	{"member_id", 'i', ZB_NULL, NULL, "编入党员名册后的党员编号（第 19 步起）"},
	{"closed_on", 'd', ZB_NULL, NULL, "结束日期"},
	{"closed_reason", 's', ZB_NULL, NULL, "结束原因"},
	{"probation_end", 'd', ZB_NULL, NULL, "预备期满之日（第 15 步起）"},
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"steps", 'a', 0, &step_shape, "已完成的步骤（当前记录）"},
	{"next", 'o', 0, &next_shape, "下一步"},
	{"alerts", 'a', 0, &alert_shape, "提醒和逾期"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"},
	{0},
};
static const zb_shape case_shape = {"Applicant", case_props, 0, 0, "发展党员：一人的记录和 25 个步骤"};

const zb_route zb_routes_recruit[] = {
	{.method = "GET", .pattern = "/api/v1/applicants", .fn = h_list,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&applicant_list),
	 .tag = "recruit", .summary = "发展党员名单（组织及下级；按阶段、姓名筛选）",
	 .query_doc = "org:integer,stage:string,q:string,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/applicants", .fn = h_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = create_fields,
	 .resp = ZB_CREATED(&case_shape), .tag = "recruit", .summary = "登记入党申请人（第 1 步：递交入党申请书）"},
	{.method = "GET", .pattern = "/api/v1/applicants/{id}", .fn = h_get,
	 .perm = P_MEMBER_READ, .scope = S_APPLICANT, .resp = ZB_OK(&case_shape),
	 .tag = "recruit", .summary = "发展党员：一人的记录、步骤、下一步和提醒（审计）", .query_doc = "full:integer"},
	{.method = "PATCH", .pattern = "/api/v1/applicants/{id}", .fn = h_patch,
	 .perm = P_MEMBER_WRITE, .scope = S_APPLICANT, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = patch_fields,
	 .resp = ZB_OK(&case_shape), .tag = "recruit", .summary = "修改发展对象的个人信息"},
	{.method = "POST", .pattern = "/api/v1/applicants/{id}/steps", .fn = h_step,
	 .perm = P_MEMBER_WRITE, .scope = S_APPLICANT, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = step_fields,
	 .resp = ZB_CREATED(&case_shape), .tag = "recruit", .summary = "记录发展党员的一个步骤（按细则检查顺序和时限）"},
	{.method = "POST", .pattern = "/api/v1/applicants/{id}/steps/{sid}/correct", .fn = h_correct,
	 .perm = P_MEMBER_WRITE, .scope = S_APPLICANT, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = correct_fields,
	 .resp = ZB_CREATED(&case_shape), .tag = "recruit", .summary = "更正一个步骤（须说明原因；其后步骤重新检查）"},
	{.method = "POST", .pattern = "/api/v1/applicants/{id}/close", .fn = h_close,
	 .perm = P_MEMBER_WRITE, .scope = S_APPLICANT, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = close_fields,
	 .resp = ZB_OK(&case_shape), .tag = "recruit", .summary = "终止培养"},
	{0},
};
