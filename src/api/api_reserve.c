/* api_reserve.c - 村级后备干部 over HTTP: a village's pool, a person with
 * their trainings and 试岗锻炼 periods, the assessment of a period,
 * removal, and a subtree's villages for "一村一名年轻干部".  The record
 * and the rules live in reserve/ (reserve.h); this file reads requests,
 * calls one domain function, masks what the caller may not see and writes
 * JSON.  A birth date is shown only beside a whole ID number (the caller
 * holds member.sensitive); everyone else sees the age. */
#include "api/api.h"
#include "org/org.h"
#include "reserve/reserve.h"

#include <stddef.h>
#include <string.h>

/* ---- output ------------------------------------------------------------------ */

static void kstr_or_null(zb_jw *w, const char *k, const char *v)
{
	if (v && *v)
		jw_kstr(w, k, v);
	else
		jw_knull(w, k);
}

static void kid_or_null(zb_jw *w, const char *k, int64_t v)
{
	if (v)
		jw_kint(w, k, v);
	else
		jw_knull(w, k);
}

/* What a list item and the whole record share. */
static void write_head(zb_jw *w, const zb_reserve *p, int age, int young)
{
	jw_kint(w, "id", p->id);
	jw_kint(w, "org_id", p->org_id);
	jw_kstr(w, "org_name", p->org_name);
	kid_or_null(w, "member_id", p->member_id);
	jw_kstr(w, "name", p->name);
	kstr_or_null(w, "gender", p->gender);
	if (age >= 0)
		jw_kint(w, "age", age);
	else
		jw_knull(w, "age");
	jw_kbool(w, "young", young);
	kstr_or_null(w, "education", p->education);
	jw_kstr(w, "political", p->political);
	jw_kstr(w, "political_name", zb_rpolitical_name(p->political));
	jw_kstr(w, "source", p->source);
	jw_kstr(w, "source_name", zb_rsource_name(p->source));
	jw_kstr(w, "entered_on", p->entered_on);
	kstr_or_null(w, "recommended_by", p->recommended_by);
	kstr_or_null(w, "removed_on", p->removed_on);
	kstr_or_null(w, "removed_kind", p->removed_kind);
	kstr_or_null(w, "removed_kind_name", zb_rremoval_name(p->removed_kind));
	kstr_or_null(w, "removed_reason", p->removed_reason);
}

/* The reference date: ?date= or today. */
static int ref_date(zb_req *r, char out[11], zb_err *e)
{
	const char *d = zb_req_query(r, "date");
	if (d && *d) {
		if (!zb_date_valid(d))
			return zb_fail(e, ZB_EINVAL, "date", "参考日期应为 YYYY-MM-DD");
		memcpy(out, d, 11);
		return 0;
	}
	zb_today(r->app, out);
	return 0;
}

/* The record as it is now.  full: ID number and phone in clear. */
static int answer(zb_req *r, int64_t id, int full, zb_err *e)
{
	zb_reserve p;
	zb_reserve_rules rules;
	char today[11];
	zb_today(r->app, today);
	int rc = zb_reserve_get(r->db, id, &r->arena, &p, e);
	if (!rc && full)
		rc = zb_reserve_reveal(&p, r->app->keys, &r->arena, e);
	if (!rc)
		rc = zb_reserve_rules_get(r->db, p.org_path, today, &rules, e);
	if (rc)
		return rc;
	int exact = full || zb_authz_allows(r->who, P_MEMBER_SENSITIVE, p.org_path);
	zb_jw *w = &r->jw;
	jw_obj(w);
	write_head(w, &p, zb_reserve_age(p.birth_date, today), zb_reserve_is_young(&rules, p.birth_date, today));
	/* the birth date only beside what may be seen whole */
	kstr_or_null(w, "birth_date", exact ? p.birth_date : NULL);
	kstr_or_null(w, "id_number", full && p.id_number ? p.id_number : p.id_masked);
	kstr_or_null(w, "phone", full && p.phone ? p.phone : p.phone_masked);
	jw_kbool(w, "full", full);
	jw_kint(w, "young_max_age", rules.young_max_age);
	jw_karr(w, "trainings");
	for (int i = 0; i < p.ntrainings; i++) {
		jw_obj(w);
		jw_kint(w, "id", p.trainings[i].id);
		jw_kstr(w, "held_on", p.trainings[i].held_on);
		jw_kstr(w, "course", p.trainings[i].course);
		jw_kint(w, "hours", p.trainings[i].hours);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "trials");
	for (int i = 0; i < p.ntrials; i++) {
		const zb_reserve_trial *t = &p.trials[i];
		jw_obj(w);
		jw_kint(w, "id", t->id);
		jw_kstr(w, "post", t->post);
		jw_kstr(w, "from_on", t->from_on);
		jw_kstr(w, "to_on", t->to_on);
		kstr_or_null(w, "mentor", t->mentor);
		jw_kstr(w, "state", t->result ? "assessed" : strcmp(t->to_on, today) < 0 ? "due"
		                                              : strcmp(t->from_on, today) <= 0 ? "current" : "planned");
		kstr_or_null(w, "result", t->result);
		kstr_or_null(w, "result_name", zb_rresult_name(t->result));
		kstr_or_null(w, "comment", t->comment);
		kstr_or_null(w, "assessed_on", t->assessed_on);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "created_at", p.created_at);
	jw_kint(w, "updated_at", p.updated_at);
	jw_obj_end(w);
	return 0;
}

/* ---- reads ---------------------------------------------------------------------- */

static int h_pool(zb_req *r, zb_err *e)
{
	char ref[11];
	int64_t removed = 0;
	int village, rc;
	if ((rc = ref_date(r, ref, e)) || (rc = zb_req_query_int(r, "removed", 0, 0, 1, &removed, e)) ||
	    (rc = zb_org_is_village(r->db, r->target_id, &village, e)))
		return rc;
	zb_reserve_pool p;
	if ((rc = zb_reserve_pool_get(r->db, r->target_id, r->target_path, ref, (int)removed, &r->arena, &p, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kbool(w, "village", village);
	jw_kstr(w, "reference_date", ref);
	jw_kint(w, "young_max_age", p.rules.young_max_age);
	jw_kint(w, "size", p.size);
	jw_kint(w, "young", p.young);
	jw_karr(w, "items");
	for (int i = 0; i < p.n; i++) {
		const zb_reserve_item *it = &p.items[i];
		jw_obj(w);
		write_head(w, &it->r, it->age, it->young);
		jw_kint(w, "trainings", it->trainings);
		jw_kint(w, "training_hours", it->training_hours);
		kstr_or_null(w, "trial_post", it->trial_post);
		kstr_or_null(w, "trial_to", it->trial_to);
		jw_kint(w, "due", it->due);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "reserve.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_overview(zb_req *r, zb_err *e)
{
	char ref[11];
	int64_t lacking = 0;
	int rc;
	if ((rc = ref_date(r, ref, e)) || (rc = zb_req_query_int(r, "lacking", 0, 0, 1, &lacking, e)))
		return rc;
	zb_reserve_overview o;
	if ((rc = zb_reserve_overview_get(r->db, r->target_path, ref, &r->arena, &o, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "reference_date", ref);
	jw_kint(w, "young_max_age", o.rules.young_max_age);
	jw_kint(w, "villages", o.villages);
	jw_kint(w, "with_young", o.with_young);
	jw_kint(w, "without_young", o.without_young);
	jw_kint(w, "without_any", o.without_any);
	jw_kint(w, "pool", o.pool);
	jw_kint(w, "in_trial", o.in_trial);
	jw_kint(w, "due", o.due);
	jw_kint(w, "removed", o.removed);
	jw_karr(w, "items");
	for (int i = 0; i < o.n; i++) {
		const zb_reserve_village *v = &o.items[i];
		if (lacking && v->young)
			continue;
		jw_obj(w);
		jw_kint(w, "org_id", v->org_id);
		jw_kstr(w, "name", v->name);
		kstr_or_null(w, "township", v->township);
		jw_kint(w, "pool", v->pool);
		jw_kint(w, "young", v->young);
		jw_kint(w, "in_trial", v->in_trial);
		jw_kint(w, "due", v->due);
		jw_kint(w, "removed", v->removed);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_get(zb_req *r, zb_err *e)
{
	const char *v = zb_req_query(r, "full");
	int full = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	if (full && !zb_authz_allows(r->who, P_MEMBER_SENSITIVE, r->target_path))
		return zb_fail(e, ZB_EFORBIDDEN, "full", "查看完整身份证号和电话需要“敏感信息”权限");
	int rc = answer(r, r->target_id, full, e);
	if (!rc)
		zb_req_audit_read(r, "reserve.read", "reserve_cadre", r->target_id, r->target_path,
		                  full ? "{\"full\":true}" : "{\"full\":false}");
	return rc;
}

/* ---- writes ------------------------------------------------------------------ */

static int h_add(zb_req *r, zb_err *e)
{
	zb_reserve in = {0};
	zb_body_int(r, "org_id", &in.org_id);
	zb_body_int(r, "member_id", &in.member_id);
	in.name = zb_body_str(r, "name");
	in.gender = zb_body_str(r, "gender");
	in.birth_date = zb_body_str(r, "birth_date");
	in.id_number = zb_body_str(r, "id_number");
	in.phone = zb_body_str(r, "phone");
	in.education = zb_body_str(r, "education");
	in.political = zb_body_str(r, "political");
	in.source = zb_body_str(r, "source");
	in.entered_on = zb_body_str(r, "entered_on");
	in.recommended_by = zb_body_str(r, "recommended_by");
	if (!in.member_id && !in.name)
		return zb_fail(e, ZB_EINVAL, "name", "请填写姓名，或选择本村的党员（member_id）");
	zb_audit_ev by = zb_req_actor(r);
	int64_t id;
	int rc = zb_reserve_add(r->db, r->app, &by, &in, &r->arena, &id, e);
	if (rc || (rc = answer(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_patch(zb_req *r, zb_err *e)
{
	static const struct {
		const char *json;
		unsigned bit;
		size_t off;
	} fields[] = {
		{"name", ZB_RF_NAME, offsetof(zb_reserve, name)},
		{"gender", ZB_RF_GENDER, offsetof(zb_reserve, gender)},
		{"birth_date", ZB_RF_BIRTH, offsetof(zb_reserve, birth_date)},
		{"id_number", ZB_RF_ID, offsetof(zb_reserve, id_number)},
		{"phone", ZB_RF_PHONE, offsetof(zb_reserve, phone)},
		{"education", ZB_RF_EDUCATION, offsetof(zb_reserve, education)},
		{"political", ZB_RF_POLITICAL, offsetof(zb_reserve, political)},
		{"source", ZB_RF_SOURCE, offsetof(zb_reserve, source)},
		{"recommended_by", ZB_RF_RECOMMENDED, offsetof(zb_reserve, recommended_by)},
	};
	zb_reserve in = {0};
	unsigned given = 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (zb_body_has(r, fields[i].json)) {
			given |= fields[i].bit;
			*(const char **)((char *)&in + fields[i].off) = zb_body_str(r, fields[i].json);
		}
	if (!given)
		return zb_fail(e, ZB_EINVAL, NULL, "没有要修改的内容");
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_reserve_update(r->db, r->app, &by, r->target_id, &in, given, &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 0, e);
}

static int h_training(zb_req *r, zb_err *e)
{
	zb_reserve_training t = {.held_on = zb_body_str(r, "held_on"), .course = zb_body_str(r, "course")};
	zb_body_int(r, "hours", &t.hours);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_reserve_training_add(r->db, r->app, &by, r->target_id, &t, &r->arena, e);
	if (rc || (rc = answer(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_trial(zb_req *r, zb_err *e)
{
	zb_reserve_trial t = {.post = zb_body_str(r, "post"), .from_on = zb_body_str(r, "from_on"),
	                      .to_on = zb_body_str(r, "to_on"), .mentor = zb_body_str(r, "mentor")};
	zb_audit_ev by = zb_req_actor(r);
	int64_t tid;
	int rc = zb_reserve_trial_add(r->db, r->app, &by, r->target_id, &t, &r->arena, &tid, e);
	if (rc || (rc = answer(r, r->target_id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_assess(zb_req *r, zb_err *e)
{
	int64_t tid;
	int rc = zb_req_param_id(r, 1, &tid, e);
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	rc = zb_reserve_trial_assess(r->db, r->app, &by, r->target_id, tid, zb_body_str(r, "result"),
	                             zb_body_str(r, "comment"), zb_body_str(r, "assessed_on"), &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 0, e);
}

static int h_remove(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_reserve_remove(r->db, r->app, &by, r->target_id, zb_body_str(r, "on"), zb_body_str(r, "kind"),
	                           zb_body_str(r, "reason"), &r->arena, e);
	return rc ? rc : answer(r, r->target_id, 0, e);
}

/* ---- route table ------------------------------------------------------------------- */

static const zb_field add_fields[] = {
	{"org_id", 'i', 1, 0, "村党组织（村党支部或村党总支）"},
	{"member_id", 'i', 0, 0, "本村党员的编号（党员不填下列个人信息）"},
	{"name", 's', 0, 200, "姓名（非党员）"},
	{"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},
	{"id_number", 's', 0, 64, "身份证号（18 位；加密保存）"},
	{"birth_date", 'd', 0, 10, "出生日期（有身份证号时由其得出）"},
	{"phone", 's', 0, 64, "联系电话（加密保存）"},
	{"education", 's', 0, 64, "学历"},
	{"political", 's', 0, 32, "政治面貌：masses 群众、league 共青团员、activist 入党积极分子、democratic 民主党派"},
	{"source", 's', 1, 32,
	 "来源：achiever 本村致富能手、graduate 返乡大学生、veteran 退役军人、returnee 外出务工返乡、group_leader 村民小组长、other 其他"},
	{"entered_on", 'd', 1, 10, "进入后备干部队伍的日期"},
	{"recommended_by", 's', 0, 200, "推荐人或推荐方式"},
	{0},
};
static const zb_field patch_fields[] = {
	{"name", 's', 0, 200, "姓名（非党员）"},
	{"gender", 's', 0, 16, "性别（非党员；有身份证号时由其得出）"},
	{"id_number", 's', 0, 64, "身份证号（非党员；null 清除）"},
	{"birth_date", 'd', 0, 10, "出生日期（非党员）"},
	{"phone", 's', 0, 64, "联系电话（非党员；null 清除）"},
	{"education", 's', 0, 64, "学历（非党员）"},
	{"political", 's', 0, 32, "政治面貌（非党员）"},
	{"source", 's', 0, 32, "来源"},
	{"recommended_by", 's', 0, 200, "推荐人"},
	{0},
};
static const zb_field training_fields[] = {
	{"held_on", 'd', 1, 10, "培训日期"},
	{"course", 's', 1, 600, "培训内容"},
	{"hours", 'i', 1, 0, "学时"},
	{0},
};
static const zb_field trial_fields[] = {
	{"post", 's', 1, 300, "试岗岗位，如 村委会主任助理"},
	{"from_on", 'd', 1, 10, "开始日期"},
	{"to_on", 'd', 1, 10, "结束日期"},
	{"mentor", 's', 0, 150, "导师"},
	{0},
};
static const zb_field assess_fields[] = {
	{"result", 's', 1, 16, "考核结果：excellent 优秀、pass 合格、fail 不合格"},
	{"comment", 's', 0, 3000, "评语（不合格时必填）"},
	{"assessed_on", 'd', 0, 10, "考核日期（默认今天；须在试岗结束之后）"},
	{0},
};
static const zb_field remove_fields[] = {
	{"on", 'd', 1, 10, "移出日期"},
	{"kind", 's', 1, 32, "情形：disqualified 取消后备干部资格、elected 已进入村“两委”、away 外出、other 其他"},
	{"reason", 's', 1, 3000, "原因"},
	{0},
};

#define HEAD_PROPS                                                                                              \
	{"id", 'i', 0, NULL, "编号"}, {"org_id", 'i', 0, NULL, "所在村党组织"},                                     \
	{"org_name", 's', 0, NULL, "所在村党组织名称"},                                                            \
	{"member_id", 'i', ZB_NULL, NULL, "党员编号（非党员为 null）"}, {"name", 's', 0, NULL, "姓名"},             \
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"}, {"age", 'i', ZB_NULL, NULL, "年龄（周岁，参考日期）"},      \
	{"young", 'b', 0, NULL, "是年轻干部（未满规则的年龄界限）"}, {"education", 's', ZB_NULL, NULL, "学历"},    \
	{"political", 's', 0, NULL, "政治面貌代码"}, {"political_name", 's', ZB_NULL, NULL, "政治面貌"},            \
	{"source", 's', 0, NULL, "来源代码"}, {"source_name", 's', ZB_NULL, NULL, "来源"},                           \
	{"entered_on", 'd', 0, NULL, "进入后备干部队伍的日期"},                                                    \
	{"recommended_by", 's', ZB_NULL, NULL, "推荐人"}, {"removed_on", 'd', ZB_NULL, NULL, "移出日期"},           \
	{"removed_kind", 's', ZB_NULL, NULL, "移出情形代码"},                                                       \
	{"removed_kind_name", 's', ZB_NULL, NULL, "移出情形"}, {"removed_reason", 's', ZB_NULL, NULL, "移出原因"}

static const zb_prop item_props[] = {
	HEAD_PROPS,
	{"trainings", 'i', 0, NULL, "培训次数"},
	{"training_hours", 'i', 0, NULL, "培训学时合计"},
	{"trial_post", 's', ZB_NULL, NULL, "参考日期正在试岗的岗位"},
	{"trial_to", 'd', ZB_NULL, NULL, "该试岗的结束日期"},
	{"due", 'i', 0, NULL, "已结束待考核的试岗数"},
	{0},
};
static const zb_shape item_shape = {"ReserveItem", item_props, 0, 0, "后备干部名单中的一人"};
static const zb_prop pool_props[] = {
	{"org_id", 'i', 0, NULL, "村党组织"},
	{"village", 'b', 0, NULL, "是行政村的党组织（可建后备干部队伍）"},
	{"reference_date", 'd', 0, NULL, "参考日期（年龄、是否年轻、试岗按此计算）"},
	{"young_max_age", 'i', 0, NULL, "年轻干部的年龄界限（未满该周岁）"},
	{"size", 'i', 0, NULL, "在库人数"},
	{"young", 'i', 0, NULL, "其中年轻干部人数"},
	{"items", 'a', 0, &item_shape, "在库的人（removed=1 时含已移出的）"},
	{0},
};
static const zb_shape pool_shape = {"ReservePool", pool_props, 0, 0, "一个村的后备干部队伍"};

static const zb_prop village_props[] = {
	{"org_id", 'i', 0, NULL, "村党组织"},
	{"name", 's', 0, NULL, "名称"},
	{"township", 's', ZB_NULL, NULL, "所属乡镇（上级组织）"},
	{"pool", 'i', 0, NULL, "在库人数"},
	{"young", 'i', 0, NULL, "年轻干部人数"},
	{"in_trial", 'i', 0, NULL, "正在试岗的人数"},
	{"due", 'i', 0, NULL, "待考核的试岗数"},
	{"removed", 'i', 0, NULL, "参考日期当年移出的人数"},
	{0},
};
static const zb_shape village_shape = {"ReserveVillage", village_props, 0, 0, "一个村的后备干部情况"};
static const zb_prop overview_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"reference_date", 'd', 0, NULL, "参考日期"},
	{"young_max_age", 'i', 0, NULL, "年轻干部的年龄界限"},
	{"villages", 'i', 0, NULL, "行政村数"},
	{"with_young", 'i', 0, NULL, "有年轻后备干部的村数（一村一名年轻干部）"},
	{"without_young", 'i', 0, NULL, "没有年轻后备干部的村数"},
	{"without_any", 'i', 0, NULL, "没有任何后备干部的村数"},
	{"pool", 'i', 0, NULL, "在库总人数"},
	{"in_trial", 'i', 0, NULL, "正在试岗的人数"},
	{"due", 'i', 0, NULL, "待考核的试岗数"},
	{"removed", 'i', 0, NULL, "当年移出的人数"},
	{"items", 'a', 0, &village_shape, "各村（lacking=1：只列没有年轻后备干部的村）"},
	{0},
};
static const zb_shape overview_shape = {"ReserveOverview", overview_props, 0, 0, "下辖各村的后备干部情况"};

static const zb_prop training_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"held_on", 'd', 0, NULL, "培训日期"},
	{"course", 's', 0, NULL, "培训内容"},
	{"hours", 'i', 0, NULL, "学时"},
	{0},
};
static const zb_shape training_shape = {"ReserveTraining", training_props, 0, 0, "培训"};
static const zb_prop trial_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"post", 's', 0, NULL, "试岗岗位"},
	{"from_on", 'd', 0, NULL, "开始日期"},
	{"to_on", 'd', 0, NULL, "结束日期"},
	{"mentor", 's', ZB_NULL, NULL, "导师"},
	{"state", 's', 0, NULL, "planned 未开始、current 进行中、due 已结束待考核、assessed 已考核"},
	{"result", 's', ZB_NULL, NULL, "考核结果代码：excellent、pass、fail"},
	{"result_name", 's', ZB_NULL, NULL, "考核结果：优秀、合格、不合格"},
	{"comment", 's', ZB_NULL, NULL, "评语"},
	{"assessed_on", 'd', ZB_NULL, NULL, "考核日期"},
	{0},
};
static const zb_shape trial_shape = {"ReserveTrial", trial_props, 0, 0, "试岗锻炼"};
static const zb_prop reserve_props[] = {
	HEAD_PROPS,
	{"birth_date", 'd', ZB_NULL, NULL, "出生日期（只对有“敏感信息”权限者显示）"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（非党员；默认隐去）"},
	{"phone", 's', ZB_NULL, NULL, "联系电话（非党员；默认隐去中间部分）"},
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"young_max_age", 'i', 0, NULL, "年轻干部的年龄界限"},
	{"trainings", 'a', 0, &training_shape, "培训"},
	{"trials", 'a', 0, &trial_shape, "试岗锻炼"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"},
	{0},
};
static const zb_shape reserve_shape = {"ReserveCadre", reserve_props, 0, 0, "村级后备干部：一人的记录、培训和试岗"};

const zb_route zb_routes_reserve[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/reserve-cadres", .fn = h_pool,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&pool_shape),
	 .tag = "reserve", .summary = "一个村的后备干部队伍（年龄、是否年轻、培训、试岗）",
	 .query_doc = "date:string,removed:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/reserve-overview", .fn = h_overview,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&overview_shape),
	 .tag = "reserve", .summary = "下辖各村的后备干部：一村一名年轻干部、试岗、待考核、当年移出",
	 .query_doc = "date:string,lacking:integer"},
	{.method = "POST", .pattern = "/api/v1/reserve-cadres", .fn = h_add,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = add_fields,
	 .resp = ZB_CREATED(&reserve_shape), .tag = "reserve", .summary = "把一人列入村后备干部队伍"},
	{.method = "GET", .pattern = "/api/v1/reserve-cadres/{id}", .fn = h_get,
	 .perm = P_MEMBER_READ, .scope = S_RESERVE, .resp = ZB_OK(&reserve_shape),
	 .tag = "reserve", .summary = "后备干部：一人的记录、培训和试岗（审计）", .query_doc = "full:integer"},
	{.method = "PATCH", .pattern = "/api/v1/reserve-cadres/{id}", .fn = h_patch,
	 .perm = P_MEMBER_WRITE, .scope = S_RESERVE, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = patch_fields,
	 .resp = ZB_OK(&reserve_shape), .tag = "reserve",
	 .summary = "修改后备干部的信息（党员的个人信息以党员档案为准）"},
	{.method = "POST", .pattern = "/api/v1/reserve-cadres/{id}/trainings", .fn = h_training,
	 .perm = P_MEMBER_WRITE, .scope = S_RESERVE, .flags = R_WRITE | R_JSON, .max_body = 4096,
	 .fields = training_fields, .resp = ZB_CREATED(&reserve_shape), .tag = "reserve", .summary = "记录一次培训"},
	{.method = "POST", .pattern = "/api/v1/reserve-cadres/{id}/trials", .fn = h_trial,
	 .perm = P_MEMBER_WRITE, .scope = S_RESERVE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = trial_fields,
	 .resp = ZB_CREATED(&reserve_shape), .tag = "reserve", .summary = "安排一段试岗锻炼"},
	{.method = "POST", .pattern = "/api/v1/reserve-cadres/{id}/trials/{tid}/assessment", .fn = h_assess,
	 .perm = P_MEMBER_WRITE, .scope = S_RESERVE, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = assess_fields, .resp = ZB_OK(&reserve_shape), .tag = "reserve",
	 .summary = "试岗考核（试岗结束之后；优秀、合格、不合格）"},
	{.method = "POST", .pattern = "/api/v1/reserve-cadres/{id}/remove", .fn = h_remove,
	 .perm = P_MEMBER_WRITE, .scope = S_RESERVE, .flags = R_WRITE | R_JSON, .max_body = 8192,
	 .fields = remove_fields, .resp = ZB_OK(&reserve_shape), .tag = "reserve",
	 .summary = "移出后备干部队伍（取消资格、进入村“两委”、外出等；记录保留）"},
	{0},
};
