/* api_orgstruct.c - org structure routes: committee (班子) and terms,
 * moving and dissolving subtrees, structure warnings, coverage and
 * statistics of a subtree.  Domain logic lives in src/org/. */
#include "api/api.h"
#include "org/structure.h"

#include <string.h>

static void today_of(zb_req *r, char out[11])
{
	zb_today(r->app, out);
}

/* ---- committee ---- */

static int h_committee_list(zb_req *r, zb_err *e)
{
	const char *all = zb_req_query(r, "all");
	zb_post *items;
	int n;
	int rc = zb_committee_list(r->db, r->target_id, all && !strcmp(all, "1"), &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		zb_post_write(&r->jw, &items[i]);
	zb_list_end(r, n, NULL);
	return 0;
}

static int read_post(zb_req *r, zb_post *p, unsigned *set, zb_err *e)
{
	*set = 0;
	int64_t mid = 0;
	if (zb_body_has(r, "member_id")) {
		*set |= ZB_POST_SET_MEMBER;
		zb_body_int(r, "member_id", &mid);
		if (mid < 0)
			return zb_fail(e, ZB_EINVAL, "member_id", "党员编号无效");
		p->member_id = mid;
	}
	if (zb_body_has(r, "person_name")) {
		*set |= ZB_POST_SET_PERSON;
		p->person_name = zb_body_str(r, "person_name");
	}
	if (zb_body_has(r, "post")) {
		*set |= ZB_POST_SET_POST;
		const char *s = zb_body_str(r, "post");
		p->post = zb_post_from(s);
		if (!p->post)
			return zb_fail(e, ZB_EINVAL, "post",
			               "职务无效：%s（应为 secretary 书记、deputy_secretary 副书记、organization 组织委员、propaganda 宣传委员、"
			               "discipline 纪检委员、youth 青年委员、united_front 统战委员、secrecy 保密委员或 member 委员）",
			               s ? s : "");
	}
	if (zb_body_has(r, "started_on")) {
		*set |= ZB_POST_SET_STARTED;
		p->started_on = zb_body_str(r, "started_on");
	}
	if (zb_body_has(r, "ended_on")) {
		*set |= ZB_POST_SET_ENDED;
		p->ended_on = zb_body_str(r, "ended_on");
		if (p->ended_on && !*p->ended_on)
			p->ended_on = NULL;
	}
	if (zb_body_has(r, "notes")) {
		*set |= ZB_POST_SET_NOTES;
		p->notes = zb_body_str(r, "notes");
	}
	return 0;
}

static int h_committee_add(zb_req *r, zb_err *e)
{
	zb_post p = {.org_id = r->target_id}, got;
	unsigned set;
	int rc = read_post(r, &p, &set, e);
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_committee_add_audited(r->db, r->app, &by, &p, r->target_path, &r->arena, &got, e)))
		return rc;
	r->status = 201;
	zb_post_write(&r->jw, &got);
	return 0;
}

static int h_committee_patch(zb_req *r, zb_err *e)
{
	zb_post p = {0}, got;
	unsigned set;
	int rc = read_post(r, &p, &set, e);
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_committee_update_audited(r->db, r->app, &by, r->target_id, &p, set, r->target_path, &r->arena, &got,
	                                      e)))
		return rc;
	zb_post_write(&r->jw, &got);
	return 0;
}

static int h_committee_delete(zb_req *r, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_committee_delete_audited(r->db, r->app, &by, r->target_id, r->target_path, &r->arena, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "deleted", 1);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- terms ---- */

static void write_term(zb_req *r, const zb_term *t)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kint(w, "org_id", t->org_id);
	jw_kstr(w, "started_on", t->started_on);
	jw_kint(w, "years", t->years);
	jw_kstr(w, "ends_on", t->ends_on);
	jw_kstr(w, "elected_how", t->elected_how);
	jw_kstr(w, "notes", t->notes);
	if (t->status) {
		jw_kstr(w, "status", t->status);
		jw_kint(w, "days_left", t->days_left);
	}
	jw_obj_end(w);
}

static int h_terms_list(zb_req *r, zb_err *e)
{
	char today[11];
	today_of(r, today);
	zb_term *ts;
	int n;
	int rc = zb_term_list(r->db, r->target_id, r->target_path, today, &r->arena, &ts, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_term(r, &ts[i]);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_terms_add(zb_req *r, zb_err *e)
{
	int64_t years = 0, id = 0;
	if (zb_body_int(r, "years", &years) && (years < 1 || years > 10))
		return zb_fail(e, ZB_EINVAL, "years", "任期年数应为 1 到 10");
	const char *started = zb_body_str(r, "started_on"), *ends = zb_body_str(r, "ends_on");
	if (ends && !*ends)
		ends = NULL;
	zb_audit_ev by = zb_req_actor(r);
	zb_term t;
	int found = 0;
	int rc = zb_term_add_audited(r->db, r->app, &by, r->target_id, r->target_path, started, years, ends,
	                             zb_body_str(r, "elected_how"), zb_body_str(r, "notes"), &r->arena, &id, &t, &found, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "current_started_on", found ? t.started_on : NULL);
	jw_key(&r->jw, "current");
	if (found)
		write_term(r, &t);
	else
		jw_null(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- move and dissolve ---- */

static int h_move(zb_req *r, zb_err *e)
{
	int64_t parent = 0;
	zb_body_int(r, "parent_id", &parent);
	/* the new parent must be inside the caller's own org.write scope,
	 * answered like a missing org otherwise */
	zb_org p, after;
	int rc = zb_org_get(r->db, parent, &r->arena, &p, e);
	if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(r->who, P_ORG_WRITE, p.path)))
		return zb_fail(e, ZB_ENOTFOUND, "parent_id", "未找到新的上级组织，或不在您的管理范围内");
	if (rc)
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_org_move_audited(r->db, r->app, &by, r->target_id, parent, &r->arena, &after, e)))
		return rc;
	jw_obj(&r->jw);
	zb_api_write_org(r, &after);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_dissolve(zb_req *r, zb_err *e)
{
	const char *reason = zb_body_str(r, "reason"), *on = zb_body_str(r, "dissolved_on");
	char today[11];
	today_of(r, today);
	if (!on || !*on)
		on = today;
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_org_dissolve_audited(r->db, r->app, &by, r->target_id, r->target_path, on, reason, &r->arena, e);
	if (rc)
		return rc;
	zb_org o;
	if ((rc = zb_org_get(r->db, r->target_id, &r->arena, &o, e)))
		return rc;
	jw_obj(&r->jw);
	zb_api_write_org(r, &o);
	jw_kstr(&r->jw, "dissolved_reason", reason);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- warnings, coverage, statistics ---- */

static int h_warnings(zb_req *r, zb_err *e)
{
	const char *level = zb_req_query(r, "level"), *kind = zb_req_query(r, "kind");
	if (level && *level && strcmp(level, "error") && strcmp(level, "warn") && strcmp(level, "info"))
		return zb_fail(e, ZB_EINVAL, "level", "参数 level 应为 error、warn 或 info");
	int64_t limit;
	char today[11];
	today_of(r, today);
	zb_warning *w;
	int n;
	/* rules dated in the future take effect by themselves: the roll-ups
	 * are brought up to the rules in force today first */
	int rc = zb_req_query_int(r, "limit", 1000, 1, 10000, &limit, e);
	if (rc || (rc = zb_org_rules_keep_current(r->db, today, e)) ||
	    (rc = zb_org_warnings(r->db, r->target_path, today, &r->arena, &w, &n, e)))
		return rc;
	int64_t shown = 0, by_level[3] = {0};
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		by_level[!strcmp(w[i].level, "error") ? 0 : !strcmp(w[i].level, "warn") ? 1 : 2]++;
		if (level && *level && strcmp(level, w[i].level))
			continue;
		if (kind && *kind && strcmp(kind, w[i].kind))
			continue;
		if (shown++ >= limit)
			continue; /* counted, not listed */
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", w[i].org_id);
		jw_kstr(&r->jw, "org_name", w[i].org_name);
		jw_kstr(&r->jw, "kind", w[i].kind);
		jw_kstr(&r->jw, "level", w[i].level);
		jw_kstr(&r->jw, "message", w[i].message);
		if (w[i].unit_id)
			jw_kint(&r->jw, "unit_id", w[i].unit_id);
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_kint(&r->jw, "total", shown);
	jw_kbool(&r->jw, "truncated", shown > limit);
	jw_kobj(&r->jw, "counts");
	jw_kint(&r->jw, "error", by_level[0]);
	jw_kint(&r->jw, "warn", by_level[1]);
	jw_kint(&r->jw, "info", by_level[2]);
	jw_obj_end(&r->jw);
	jw_kstr(&r->jw, "as_of", today);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_coverage(zb_req *r, zb_err *e)
{
	jw_obj(&r->jw);
	jw_kint(&r->jw, "org_id", r->target_id);
	jw_key(&r->jw, "subtree");
	int rc = zb_coverage_json(r->db, r->target_id, &r->jw, e);
	if (rc)
		return rc;
	/* each direct sub-org's subtree, for the drill-down table */
	zb_org_item *cs;
	int n;
	if ((rc = zb_org_children(r->db, r->target_id, 1, &r->arena, &cs, &n, e)))
		return rc;
	jw_karr(&r->jw, "children");
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", cs[i].org.id);
		jw_kstr(&r->jw, "org_name", cs[i].org.name);
		jw_key(&r->jw, "coverage");
		if ((rc = zb_coverage_json(r->db, cs[i].org.id, &r->jw, e)))
			return rc;
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_stats(zb_req *r, zb_err *e)
{
	char today[11];
	today_of(r, today);
	int rc = zb_org_rules_keep_current(r->db, today, e);
	return rc ? rc : zb_org_stats_cached(r->db, r->target_id, today, &r->jw, e);
}

static const zb_field post_fields[] = {
	{"member_id", 'i', 0, 0, "任职党员（花名册中的党员编号）"},
	{"person_name", 's', 0, 50, "不在本花名册中的任职人姓名"},
	{"post", 's', 1, 40, "职务：secretary/deputy_secretary/organization/propaganda/discipline/youth/united_front/secrecy/member 或中文名"},
	{"started_on", 'd', 1, 10, "任职日期"},
	{"ended_on", 'd', 0, 10, "离任日期（不晚于今天）"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field post_patch_fields[] = {
	{"member_id", 'i', 0, 0, "任职党员"},
	{"person_name", 's', 0, 50, "任职人姓名"},
	{"post", 's', 0, 40, "职务"},
	{"started_on", 'd', 0, 10, "任职日期"},
	{"ended_on", 'd', 0, 10, "离任日期（不晚于今天）"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field term_fields[] = {
	{"started_on", 'd', 1, 10, "本届起始（选举）日期"},
	{"years", 'i', 0, 0, "任期年数，省略时按任期规则"},
	{"ends_on", 'd', 0, 10, "届满日期（经批准提前或延期换届时填写）"},
	{"elected_how", 's', 0, 20, "产生方式：election/by_election/appointed"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field move_fields[] = {
	{"parent_id", 'i', 1, 0, "新的上级组织"},
	{0},
};
static const zb_field dissolve_fields[] = {
	{"reason", 's', 1, 500, "撤销原因"},
	{"dissolved_on", 'd', 0, 10, "撤销日期（默认今天）"},
	{0},
};

ZB_LIST_COUNTED(post_list, "CommitteePostList", &zb_shape_post);

static const zb_prop deleted_props[] = {
	{"deleted", 'b', 0, NULL, "总是 true"},
	{0},
};
static const zb_shape deleted_shape = {"Deleted", deleted_props, 0, 0, "已删除"};

static const zb_prop term_props[] = {
	{"id", 'i', 0, NULL, "任期编号"},
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"started_on", 'd', 0, NULL, "本届起始日期"},
	{"years", 'i', 0, NULL, "任期年数"},
	{"ends_on", 'd', 0, NULL, "届满日期"},
	{"elected_how", 's', ZB_NULL, NULL, "产生方式：election/by_election/appointed"},
	{"notes", 's', ZB_NULL, NULL, "备注"},
	{"status", 's', ZB_OPT, NULL, "本届的换届状态：ok/due_6m/due_1m/overdue（往届没有）"},
	{"days_left", 'i', ZB_OPT, NULL, "本届距届满天数"},
	{0},
};
static const zb_shape term_shape = {"Term", term_props, 0, 0, "一届任期"};
ZB_LIST_COUNTED(term_list, "TermList", &term_shape);

static const zb_prop term_added_props[] = {
	{"id", 'i', 0, NULL, "新任期编号"},
	{"current_started_on", 'd', ZB_NULL, NULL, "现在的本届起始日期"},
	{"current", 'o', ZB_NULL, &term_shape, "现在的本届任期"},
	{0},
};
static const zb_shape term_added = {"TermAdded", term_added_props, 0, 0, NULL};

static const zb_prop warning_props[] = {
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"kind", 's', 0, NULL, "预警类别，如 no_secretary"},
	{"level", 's', 0, NULL, "error、warn 或 info"},
	{"message", 's', 0, NULL, "说明"},
	{"unit_id", 'i', ZB_OPT, NULL, "相关单位（单位类预警）"},
	{0},
};
static const zb_shape warning_shape = {"OrgWarning", warning_props, 0, 0, "组织设置预警"};
static const zb_prop level_counts_props[] = {
	{"error", 'i', 0, NULL, "严重"},
	{"warn", 'i', 0, NULL, "警告"},
	{"info", 'i', 0, NULL, "提示"},
	{0},
};
static const zb_shape level_counts = {NULL, level_counts_props, 0, 0, NULL};
static const zb_prop warning_list_props[] = {
	{"items", 'a', 0, &warning_shape, "预警"},
	{"total", 'i', 0, NULL, "预警总数"},
	{"truncated", 'b', 0, NULL, "超过 limit 未全部列出"},
	{"counts", 'o', 0, &level_counts, "按级别计数"},
	{"as_of", 'd', 0, NULL, "日期"},
	{0},
};
static const zb_shape warning_list = {"OrgWarningList", warning_list_props, 0, 0, NULL};

/* zb_coverage_json (org/coverage.c) */
static const zb_prop by_mode_props[] = {
	{"single", 'i', 0, NULL, "单独组建"},
	{"joint", 'i', 0, NULL, "联合组建"},
	{"attached", 'i', 0, NULL, "挂靠"},
	{"none", 'i', 0, NULL, "未覆盖"},
	{0},
};
static const zb_shape by_mode = {NULL, by_mode_props, 0, 0, NULL};
#define RATE_PROPS                                                                     \
	{"total", 'i', 0, NULL, "单位数"}, {"covered", 'i', 0, NULL, "已覆盖"},             \
	{"uncovered", 'i', 0, NULL, "未覆盖"},                                                \
	{"rate", 'n', ZB_NULL, NULL, "覆盖率（百分数，一位小数；没有单位时为 null）"}, \
	{"by_mode", 'o', 0, &by_mode, "按覆盖方式计数"}
static const zb_prop kind_rate_props[] = {
	{"name", 's', 0, NULL, "单位类别名称"},
	RATE_PROPS,
	{0},
};
static const zb_shape kind_rate = {NULL, kind_rate_props, 0, 0, NULL};
static const zb_prop by_kind_props[] = {
	{"enterprise", 'o', 0, &kind_rate, "企业"},
	{"social_org", 'o', 0, &kind_rate, "社会组织"},
	{"other", 'o', 0, &kind_rate, "其他"},
	{0},
};
static const zb_shape by_kind = {NULL, by_kind_props, 0, 0, NULL};
static const zb_prop coverage_props[] = {
	RATE_PROPS,
	{"by_kind", 'o', 0, &by_kind, "按单位类别"},
	{0},
};
static const zb_shape coverage_shape = {"Coverage", coverage_props, 0, 0, "党组织覆盖情况"};
static const zb_prop coverage_child_props[] = {
	{"org_id", 'i', 0, NULL, "直接下级组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"coverage", 'o', 0, &coverage_shape, "其下的覆盖情况"},
	{0},
};
static const zb_shape coverage_child = {NULL, coverage_child_props, 0, 0, NULL};
static const zb_prop org_coverage_props[] = {
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"subtree", 'o', 0, &coverage_shape, "组织及下级"},
	{"children", 'a', 0, &coverage_child, "每个直接下级组织"},
	{0},
};
static const zb_shape org_coverage = {"OrgCoverage", org_coverage_props, 0, 0, "单位党组织覆盖率"};

/* zb_org_stats_json (org/stats.c) */
static const zb_prop category_counts_props[] = {
	{"full", 'i', 0, NULL, "正式党员"},
	{"probationary", 'i', 0, NULL, "预备党员"},
	{"unknown", 'i', ZB_OPT, NULL, "其他（有时）"},
	{0},
};
static const zb_shape category_counts = {NULL, category_counts_props, 0, 0, NULL};
static const zb_prop gender_counts_props[] = {
	{"M", 'i', 0, NULL, "男"},
	{"F", 'i', 0, NULL, "女"},
	{"unknown", 'i', ZB_OPT, NULL, "未填写（有时）"},
	{0},
};
static const zb_shape gender_counts = {NULL, gender_counts_props, 0, 0, NULL};
static const zb_prop name_n_props[] = {
	{"name", 's', 0, NULL, "名称"},
	{"n", 'i', 0, NULL, "人数"},
	{0},
};
static const zb_shape name_n = {"NameCount", name_n_props, 0, 0, NULL};
static const zb_prop band_n_props[] = {
	{"band", 's', 0, NULL, "区间"},
	{"n", 'i', 0, NULL, "人数"},
	{0},
};
static const zb_shape band_n = {"BandCount", band_n_props, 0, 0, NULL};
static const zb_prop ethnicity_props[] = {
	{"han", 'i', 0, NULL, "汉族"},
	{"minority", 'i', 0, NULL, "少数民族"},
	{"unknown", 'i', ZB_OPT, NULL, "未填写（有时）"},
	{"top_minorities", 'a', 0, &name_n, "人数最多的少数民族"},
	{0},
};
static const zb_shape ethnicity = {NULL, ethnicity_props, 0, 0, NULL};
static const zb_prop status_counts_props[] = {
	{"normal", 'i', 0, NULL, "正常"},
	{"mobile", 'i', 0, NULL, "流动"},
	{"lost", 'i', 0, NULL, "失联"},
	{"abroad", 'i', 0, NULL, "出国（境）"},
	{"suspended", 'i', 0, NULL, "停止党籍"},
	{"removed", 'i', 0, NULL, "出党"},
	{"deceased", 'i', 0, NULL, "去世"},
	{"unknown", 'i', ZB_OPT, NULL, "其他（有时）"},
	{0},
};
static const zb_shape status_counts = {NULL, status_counts_props, 0, 0, NULL};
static const zb_prop member_stats_props[] = {
	{"total", 'i', 0, NULL, "在册党员"},
	{"category", 'o', 0, &category_counts, "按类别"},
	{"gender", 'o', 0, &gender_counts, "按性别"},
	{"ethnicity", 'o', 0, &ethnicity, "按民族"},
	{"age_bands", 'a', 0, &band_n, "按年龄段"},
	{"education", 'a', 0, &name_n, "按学历"},
	{"party_age_bands", 'a', 0, &band_n, "按党龄段"},
	{"probationary_no_party_age", 'i', 0, NULL, "预备党员（尚无党龄）"},
	{"status", 'o', 0, &status_counts, "按党籍状态"},
	{0},
};
static const zb_shape member_stats = {NULL, member_stats_props, 0, 0, NULL};
static const zb_shape count_map = {NULL, NULL, 0, 'i', "代码到数目"};
static const zb_prop org_stats_props[] = {
	{"total", 'i', 0, NULL, "组织数"},
	{"by_type", 'o', 0, &count_map, "按组织类型代码"},
	{"by_domain", 'o', 0, &count_map, "按所属领域代码（未填为 unknown）"},
	{0},
};
static const zb_shape org_stats = {NULL, org_stats_props, 0, 0, NULL};
static const zb_prop warn_counts_props[] = {
	{"by_kind", 'o', 0, &count_map, "按预警类别"},
	{"total", 'i', 0, NULL, "总数"},
	{"error", 'i', 0, NULL, "严重"},
	{"warn", 'i', 0, NULL, "警告"},
	{"info", 'i', 0, NULL, "提示"},
	{0},
};
static const zb_shape warn_counts = {NULL, warn_counts_props, 0, 0, NULL};
static const zb_prop stats_props[] = {
	{"org_id", 'i', 0, NULL, "组织编号"},
	{"as_of", 'd', 0, NULL, "日期"},
	{"members", 'o', 0, &member_stats, "党员"},
	{"orgs", 'o', 0, &org_stats, "组织"},
	{"coverage", 'o', 0, &coverage_shape, "单位覆盖"},
	{"warnings", 'o', 0, &warn_counts, "预警"},
	{0},
};
const zb_shape zb_org_stats_shape = {"OrgStats", stats_props, 0, 0, "下辖统计"};

static const zb_prop dissolved_org_props[] = {
	ZB_ORG_PROPS,
	{"dissolved_reason", 's', 0, NULL, "撤销原因"},
	{0},
};
static const zb_shape dissolved_org = {"DissolvedOrg", dissolved_org_props, 0, 0, "已撤销的组织"};

const zb_route zb_routes_orgstruct[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/committee", .fn = h_committee_list,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&post_list),
	 .tag = "orgs", .summary = "班子成员（all=1 含已离任）",
	 .query_doc = "all:integer"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/committee", .fn = h_committee_add,
	 .perm = P_ORG_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = post_fields, .resp = ZB_CREATED(&zb_shape_post),
	 .tag = "orgs", .summary = "新增班子职务"},
	{.method = "PATCH", .pattern = "/api/v1/committee/{id}", .fn = h_committee_patch,
	 .perm = P_ORG_WRITE, .scope = S_POST, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = post_patch_fields, .resp = ZB_OK(&zb_shape_post),
	 .tag = "orgs", .summary = "修改班子职务（如填写离任日期）"},
	{.method = "DELETE", .pattern = "/api/v1/committee/{id}", .fn = h_committee_delete,
	 .perm = P_ORG_WRITE, .scope = S_POST, .flags = R_WRITE, .resp = ZB_OK(&deleted_shape),
	 .tag = "orgs", .summary = "删除误录的班子职务"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/terms", .fn = h_terms_list,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&term_list),
	 .tag = "orgs", .summary = "历届任期与换届状态"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/terms", .fn = h_terms_add,
	 .perm = P_ORG_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = term_fields, .resp = ZB_CREATED(&term_added),
	 .tag = "orgs", .summary = "登记新一届任期"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/move", .fn = h_move,
	 .perm = P_ORG_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = move_fields, .resp = ZB_OK(&zb_shape_org),
	 .tag = "orgs", .summary = "移动组织（连同下级和党员）"},
	{.method = "POST", .pattern = "/api/v1/orgs/{id}/dissolve", .fn = h_dissolve,
	 .perm = P_ORG_WRITE, .scope = S_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = dissolve_fields, .resp = ZB_OK(&dissolved_org),
	 .tag = "orgs", .summary = "撤销组织（保留历史，只读）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/warnings", .fn = h_warnings,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&warning_list),
	 .tag = "orgs", .summary = "组织设置预警（含下级）",
	 .query_doc = "level:string,kind:string,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/coverage", .fn = h_coverage,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&org_coverage),
	 .tag = "orgs", .summary = "单位党组织覆盖率"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/stats", .fn = h_stats,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_OK(&zb_org_stats_shape),
	 .tag = "orgs", .summary = "下辖统计"},
	{0},
};
