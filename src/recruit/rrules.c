/* rrules.c - see rrules.h. */
#include "recruit/rrules.h"
#include "rules/rules.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Each key, its range and what it means.  The ranges keep a local set
 * within the 细则: no younger applicants, no shorter 培养考察, no fewer
 * introducers, no shorter 公示 or longer approval. */
static const struct rkey {
	const char *key;
	int min, max;
	size_t off;
	const char *what;
} keys[] = {
	{"min_age", 18, 40, offsetof(zb_recruit_rules, min_age), "申请入党的最低年龄"},
	{"talk_within_months", 1, 1, offsetof(zb_recruit_rules, talk_within_months), "收到申请书后谈话的期限（月）"},
	{"activist_min_months", 12, 60, offsetof(zb_recruit_rules, activist_min_months), "积极分子培养考察的最短月数"},
	{"assess_every_months", 1, 6, offsetof(zb_recruit_rules, assess_every_months), "考察的间隔（月）"},
	{"contacts_min", 1, 2, offsetof(zb_recruit_rules, contacts_min), "培养联系人最少人数"},
	{"contacts_max", 1, 2, offsetof(zb_recruit_rules, contacts_max), "培养联系人最多人数"},
	{"introducers", 2, 2, offsetof(zb_recruit_rules, introducers), "入党介绍人人数"},
	{"training_min_days", 3, 30, offsetof(zb_recruit_rules, training_min_days), "集中培训最少天数"},
	{"training_min_hours", 24, 240, offsetof(zb_recruit_rules, training_min_hours), "集中培训最少学时"},
	{"publicity_workdays", 5, 30, offsetof(zb_recruit_rules, publicity_workdays), "公示的工作日数"},
	{"approve_months", 1, 3, offsetof(zb_recruit_rules, approve_months), "上级党委审批的期限（月）"},
	{"approve_max_months", 1, 6, offsetof(zb_recruit_rules, approve_max_months), "特殊情况下审批的最长期限（月）"},
	{"league_max_age", 14, 35, offsetof(zb_recruit_rules, league_max_age), "共青团推优的年龄上限"},
};
#define NKEYS (sizeof keys / sizeof keys[0])

int zb_recruit_rules_validate(json_t *data, zb_err *e)
{
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为对象");
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		size_t i = 0;
		while (i < NKEYS && strcmp(keys[i].key, key))
			i++;
		if (i < NKEYS)
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 200)
				return zb_fail(e, ZB_EINVAL, "data.source", "规则项 source（依据）应为不超过 200 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	char field[64];
	for (size_t i = 0; i < NKEYS; i++) {
		json_t *x = json_object_get(data, keys[i].key);
		int min = keys[i].min;
		if (!strcmp(keys[i].key, "contacts_max"))
			min = (int)json_integer_value(json_object_get(data, "contacts_min"));
		if (!strcmp(keys[i].key, "approve_max_months"))
			min = (int)json_integer_value(json_object_get(data, "approve_months"));
		if (!json_is_integer(x) || json_integer_value(x) < min || json_integer_value(x) > keys[i].max) {
			snprintf(field, sizeof field, "data.%s", keys[i].key);
			return zb_fail(e, ZB_EINVAL, field, "规则项 %s（%s）应为 %d 到 %d 之间的整数（不得宽于发展党员工作细则）",
			               keys[i].key, keys[i].what, min, keys[i].max);
		}
	}
	return 0;
}

int zb_recruit_rules_get(zb_db *db, const char *org_path, const char *date, zb_recruit_rules *r, zb_err *e)
{
	zb_recruit_rules_default(r);
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "recruitment", date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	if (s) {
		zb_recruit_rules got = *r;
		for (size_t i = 0; i < NKEYS && !rc; i++) {
			int64_t v;
			if (!(rc = zb_rule_int(s, keys[i].key, &v, e)))
				*(int *)((char *)&got + keys[i].off) = (int)v;
		}
		if (!rc) {
			got.set_id = s->id;
			*r = got; /* source: the static default (the set's own text dies with the snapshot) */
		}
	}
	zb_rules_free(rs);
	return rc;
}
