/* wrules.c - the rule kind weak_org (the criteria of 软弱涣散) and the
 * edges of each criterion.  docs/RULES.md "weak_org". */
#include "rectify/rectify.h"
#include "core/date.h"
#include "rectify/rint.h"

#include <stdio.h>
#include <string.h>

static int int_key(json_t *obj, const char *key, int min, int max)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) && json_integer_value(v) >= min && json_integer_value(v) <= max;
}

int zb_weak_rules_validate(json_t *data, zb_err *e)
{
	static const char *const known[] = {"secretary_vacant_months", "compliance", "lagging_years",
	                                    "term_overdue_days", "source", NULL};
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		int ok = 0;
		for (int i = 0; known[i]; i++)
			ok |= !strcmp(key, known[i]);
		if (!ok)
			return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	if (!int_key(data, "secretary_vacant_months", 1, 24))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 secretary_vacant_months（书记空缺超过的月数）应为 1 到 24 之间的整数");
	json_t *c = json_object_get(data, "compliance");
	if (!json_is_object(c) || json_object_size(c) != 2 || !int_key(c, "min_percent", 1, 100) ||
	    !int_key(c, "quarters", 1, 4))
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 compliance 应为 {\"min_percent\": 1–100（三会一课落实率下限，百分比）, \"quarters\": 1–4（一年中低于下限的季度数）}");
	if (!int_key(data, "lagging_years", 1, 5))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 lagging_years（连续评为后进的年数）应为 1 到 5 之间的整数");
	if (!int_key(data, "term_overdue_days", 0, 3650))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 term_overdue_days（任期届满逾期未换届超过的天数）应为 0 到 3650 之间的整数");
	json_t *s = json_object_get(data, "source");
	if (!json_is_string(s) || !json_string_length(s) || json_string_length(s) > 400)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 400 字节的文字");
	return 0;
}

int zb_weak_rules_of(const zb_rule_set *s, zb_arena *a, zb_weak_rules *out, zb_err *e)
{
	int64_t v[5] = {0};
	int rc = 0;
	if (!s)
		return zb_fail(e, ZB_EINTERNAL, NULL, "没有软弱涣散排查标准（规则 weak_org）");
	if (!(rc = zb_rule_int(s, "secretary_vacant_months", &v[0], e)) && !(rc = zb_rule_int(s, "lagging_years", &v[1], e)) &&
	    !(rc = zb_rule_int(s, "term_overdue_days", &v[2], e)) &&
	    (!zb_rule_sub_int(s, "compliance", "min_percent", &v[3]) || !zb_rule_sub_int(s, "compliance", "quarters", &v[4])))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "规则 weak_org 缺少 compliance");
	if (!rc)
		*out = (zb_weak_rules){.vacant_months = (int)v[0], .lagging_years = (int)v[1], .term_overdue_days = (int)v[2],
		                       .min_percent = (int)v[3], .quarters = (int)v[4], .rule_id = s->id,
		                       .source = zb_arena_strdup(a, zb_rule_source(s))};
	return rc;
}

int zb_weak_rules_for(zb_db *db, const char *path, const char *date, zb_arena *a, zb_weak_rules *out, zb_err *e)
{
	zb_rules *rs;
	int rc = zb_rules_load(db, "weak_org", date, &rs, e);
	if (rc)
		return rc;
	rc = zb_weak_rules_of(zb_rules_for(rs, path), a, out, e);
	zb_rules_free(rs);
	return rc;
}

int zb_weak_vacant_over(const char *since, int months, const char *ref)
{
	char end[11];
	zb_date_add_months(since, months, end);
	return strcmp(ref, end) > 0;
}

int zb_weak_overdue_over(const char *ends_on, int days, const char *ref)
{
	return zb_date_days(ref) - zb_date_days(ends_on) > days;
}

int zb_weak_share_under(int held, int required, int min_percent)
{
	return required > 0 && (long)held * 100 < (long)min_percent * required;
}

void zb_weak_ref_date(int year, const char *today, char out[11])
{
	char y[12];
	snprintf(y, sizeof y, "%04d-12-31", (year % 10000 + 10000) % 10000);
	memcpy(out, y, 11);
	out[10] = 0;
	if (strcmp(today, out) < 0)
		memcpy(out, today, 11);
}
