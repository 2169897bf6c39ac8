/* api_rules.c - dated rule sets: read the set in force for an org, add a
 * local dated set (validated by kind, audited). */
#include "api/api.h"
#include "rules/rules.h"

#include <stdlib.h>
#include <string.h>

static void write_set(zb_jw *w, const zb_rule_set *s)
{
	jw_obj(w);
	jw_kint(w, "id", s->id);
	if (s->org_id)
		jw_kint(w, "org_id", s->org_id);
	else
		jw_knull(w, "org_id");
	jw_kbool(w, "national", !s->org_id);
	jw_kstr(w, "kind", s->kind);
	jw_kstr(w, "effective_from", s->effective_from);
	jw_kstr(w, "name", s->name);
	char *text = json_dumps(s->data, JSON_COMPACT | JSON_SORT_KEYS);
	jw_key(w, "data");
	if (text)
		jw_raw(w, text);
	else
		jw_null(w);
	free(text);
	jw_obj_end(w);
}

/* GET /rules?kind=&org=&date= : the set in force, and the history of the
 * kind along the org's ancestors (national defaults included). */
static int h_rules_get(zb_req *r, zb_err *e)
{
	const char *kind = zb_req_query(r, "kind"), *date = zb_req_query(r, "date");
	char today[11];
	zb_today(r->app, today);
	if (!kind || !*kind)
		return zb_fail(e, ZB_EINVAL, "kind", "缺少参数 kind（规则类型，如 org_structure、terms）");
	if (date && *date && !zb_date_valid(date))
		return zb_fail(e, ZB_EINVAL, "date", "参数 date 不是有效日期（应为 YYYY-MM-DD）");
	if (!date || !*date)
		date = today;
	zb_rules *rs = NULL;
	int rc = zb_rules_load(r->db, kind, date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *s = zb_rules_for(rs, r->target_path);
	jw_obj(&r->jw);
	jw_kstr(&r->jw, "kind", kind);
	jw_kint(&r->jw, "org_id", r->target_id);
	jw_kstr(&r->jw, "date", date);
	jw_kbool(&r->jw, "validated", zb_rules_kind_known(kind));
	jw_key(&r->jw, "effective");
	if (s)
		write_set(&r->jw, s);
	else
		jw_null(&r->jw);
	zb_rules_free(rs);

	/* every set of the kind at the org or an ancestor, newest first */
	zb_rule_row *hist;
	int n;
	if ((rc = zb_rules_history(r->db, kind, r->target_path, &r->arena, &hist, &n, e)))
		return rc;
	jw_karr(&r->jw, "history");
	for (int i = 0; i < n; i++) {
		const zb_rule_row *h = &hist[i];
		jw_obj(&r->jw);
		jw_kint(&r->jw, "id", h->id);
		if (h->org_id)
			jw_kint(&r->jw, "org_id", h->org_id);
		else
			jw_knull(&r->jw, "org_id");
		jw_kstr(&r->jw, "effective_from", h->effective_from);
		jw_kstr(&r->jw, "name", h->name);
		json_t *data = json_loads(h->data, 0, NULL);
		char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		jw_key(&r->jw, "data");
		if (text)
			jw_raw(&r->jw, text);
		else
			jw_null(&r->jw);
		free(text);
		json_decref(data);
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

/* POST /rules {"kind","org_id","effective_from","name","data":{...}} */
static int h_rules_add(zb_req *r, zb_err *e)
{
	const char *kind = zb_body_str(r, "kind"), *from = zb_body_str(r, "effective_from");
	const char *name = zb_body_str(r, "name");
	json_t *data = json_object_get(r->json, "data");
	if (!zb_rules_kind_known(kind))
		return zb_rules_validate(kind, data, e);
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	char *merged = NULL;
	int rc = zb_rules_publish(r->app, r->db, &by, kind, r->target_id, r->target_path, from, name, data, &id, &merged, e);
	if (rc)
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "kind", kind);
	jw_kint(&r->jw, "org_id", r->target_id);
	jw_kstr(&r->jw, "effective_from", from);
	jw_kstr(&r->jw, "name", name && *name ? name : kind);
	jw_key(&r->jw, "data");
	jw_raw(&r->jw, merged);
	jw_obj_end(&r->jw);
	free(merged);
	return 0;
}

static const zb_field rule_fields[] = {
	{"kind", 's', 1, 40, "规则类型：org_structure（组织设置）、terms（任期）"},
	{"org_id", 'i', 1, 0, "适用的组织（含下级）"},
	{"effective_from", 'd', 1, 10, "生效日期"},
	{"name", 's', 0, 200, "名称"},
	{"data", 'o', 1, 0, "规则内容；未列出的项沿用上级或全国默认"},
	{0},
};

/* rule data: its keys are the kind's (docs/RULES.md), free-form here */
static const zb_shape rule_data = {"RuleData", NULL, 0, 'j', "规则内容（键由规则种类决定，见 docs/RULES.md）"};
static const zb_prop rule_set_props[] = {
	{"id", 'i', 0, NULL, "规则编号"},
	{"org_id", 'i', ZB_NULL, NULL, "制定规则的组织（全国规则为 null）"},
	{"national", 'b', 0, NULL, "全国规则"},
	{"kind", 's', 0, NULL, "规则种类"},
	{"effective_from", 'd', 0, NULL, "生效日期"},
	{"name", 's', ZB_NULL, NULL, "名称与依据"},
	{"data", 'o', ZB_NULL, &rule_data, "规则内容"},
	{0},
};
static const zb_shape rule_set = {"RuleSet", rule_set_props, 0, 0, "一套规则"};
static const zb_prop rule_hist_props[] = {
	{"id", 'i', 0, NULL, "规则编号"},
	{"org_id", 'i', ZB_NULL, NULL, "制定规则的组织（全国规则为 null）"},
	{"effective_from", 'd', 0, NULL, "生效日期"},
	{"name", 's', ZB_NULL, NULL, "名称与依据"},
	{"data", 'o', ZB_NULL, &rule_data, "规则内容"},
	{0},
};
static const zb_shape rule_hist = {NULL, rule_hist_props, 0, 0, NULL};
static const zb_prop rules_props[] = {
	{"kind", 's', 0, NULL, "规则种类"},
	{"org_id", 'i', 0, NULL, "组织"},
	{"date", 'd', 0, NULL, "查询日期"},
	{"validated", 'b', 0, NULL, "该种类的内容经程序校验"},
	{"effective", 'o', ZB_NULL, &rule_set, "该日期适用的规则（没有为 null）"},
	{"history", 'a', 0, &rule_hist, "组织及上级的该种类规则，新的在前"},
	{0},
};
static const zb_shape rules_shape = {"RulesInForce", rules_props, 0, 0, "适用的规则及历史"};
static const zb_prop rule_added_props[] = {
	{"id", 'i', 0, NULL, "规则编号"},
	{"kind", 's', 0, NULL, "规则种类"},
	{"org_id", 'i', 0, NULL, "组织"},
	{"effective_from", 'd', 0, NULL, "生效日期"},
	{"name", 's', 0, NULL, "名称"},
	{"data", 'o', 0, &rule_data, "合并后的规则内容"},
	{0},
};
static const zb_shape rule_added = {"RuleAdded", rule_added_props, 0, 0, NULL};

const zb_route zb_routes_rules[] = {
	{.method = "GET", .pattern = "/api/v1/rules", .fn = h_rules_get,
	 .perm = P_ORG_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&rules_shape),
	 .tag = "rules", .summary = "某组织当前适用的规则及历史",
	 .query_doc = "kind:string,org:integer,date:string"},
	{.method = "POST", .pattern = "/api/v1/rules", .fn = h_rules_add,
	 .perm = P_ORG_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = rule_fields, .resp = ZB_CREATED(&rule_added),
	 .tag = "rules", .summary = "新增本地规则（按日期生效）"},
	{0},
};
