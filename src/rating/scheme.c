/* scheme.c - the rule kind "rating" and the pure decisions of a rating:
 * points of an indicator, stars by thresholds and caps, tiers, change
 * against last year (rating/rating.h). */
#include "rating/rating.h"
#include "rules/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The computed indicators: what each counts and which modes fit it. */
static const struct {
	const char *key;
	int count;                /* 1: a count (deduct), 0: a share in % (rate, steps) */
} computed[] = {
	{"compliance", 0}, {"attendance", 0}, {"dues", 0},      {"study", 0},
	{"disclose", 0},   {"recruit", 1},    {"structure", 1}, {"rectify", 1},
};
#define NCOMPUTED (sizeof computed / sizeof computed[0])

static int computed_kind(const char *key)
{
	for (size_t i = 0; i < NCOMPUTED; i++)
		if (!strcmp(key, computed[i].key))
			return computed[i].count;
	return -1;
}

static const char *const modes[] = {NULL, "rate", "steps", "deduct", "manual"};

static int mode_of(const char *s)
{
	for (int i = 1; s && i <= ZB_RM_MANUAL; i++)
		if (!strcmp(s, modes[i]))
			return i;
	return 0;
}

static int num_in(json_t *v, double min, double max, double *out)
{
	if (!json_is_number(v))
		return 0;
	double x = json_number_value(v);
	if (!(x >= min && x <= max))
		return 0;
	if (out)
		*out = x;
	return 1;
}

#define BAD(field, ...) zb_fail(e, ZB_EINVAL, field, __VA_ARGS__)

static int parse_ind(json_t *o, size_t i, zb_rind_rule *ir, zb_err *e)
{
	char f[48];
	memset(ir, 0, sizeof *ir);
	if (!json_is_object(o))
		return BAD("data.indicators", "规则项 indicators[%zu] 应为对象", i);
	const char *key = json_string_value(json_object_get(o, "key"));
	snprintf(f, sizeof f, "data.indicators[%zu].key", i);
	if (!key || !*key || strlen(key) >= sizeof ir->key || strspn(key, "abcdefghijklmnopqrstuvwxyz_") != strlen(key))
		return BAD(f, "规则项 indicators[%zu].key（指标代码）应为小写字母和下划线", i);
	snprintf(ir->key, sizeof ir->key, "%s", key);
	const char *name = json_string_value(json_object_get(o, "name"));
	snprintf(f, sizeof f, "data.indicators[%zu].name", i);
	if (!name || !*name || strlen(name) >= sizeof ir->name)
		return BAD(f, "规则项 indicators[%zu].name（指标 %s 的名称）应为不超过 60 字节的文字", i, key);
	snprintf(ir->name, sizeof ir->name, "%s", name);
	snprintf(f, sizeof f, "data.indicators[%zu].mode", i);
	ir->mode = mode_of(json_string_value(json_object_get(o, "mode")));
	int kind = computed_kind(key);
	if (!ir->mode)
		return BAD(f, "规则项 indicators[%zu].mode（指标 %s 的计分方式）应为 rate、steps、deduct 或 manual", i, key);
	if (ir->mode == ZB_RM_MANUAL ? kind >= 0
	                             : kind < 0 || (kind == 1) != (ir->mode == ZB_RM_DEDUCT))
		return BAD(f,
		           kind < 0 ? "指标 %s 不是平台可计算的指标，只能为 manual（人工评分）"
		           : kind == 1 ? "指标 %s 是计数（扣分项），计分方式应为 deduct"
		           : ir->mode == ZB_RM_MANUAL ? "指标 %s 由平台计算，不能人工评分"
		                                      : "指标 %s 是百分比，计分方式应为 rate 或 steps",
		           key);
	snprintf(f, sizeof f, "data.indicators[%zu].%s", i, ir->mode == ZB_RM_MANUAL ? "max" : "weight");
	if (!num_in(json_object_get(o, ir->mode == ZB_RM_MANUAL ? "max" : "weight"), 0, 100, &ir->weight))
		return BAD(f, "规则项 %s（指标 %s 的分值）应为 0 到 100 之间的数", f + 5, key);
	if (ir->mode == ZB_RM_DEDUCT) {
		snprintf(f, sizeof f, "data.indicators[%zu].per", i);
		if (!num_in(json_object_get(o, "per"), 0.01, 100, &ir->per))
			return BAD(f, "规则项 indicators[%zu].per（指标 %s 每项扣分）应为 0.01 到 100 之间的数", i, key);
	}
	if (ir->mode == ZB_RM_STEPS) {
		json_t *st = json_object_get(o, "steps");
		snprintf(f, sizeof f, "data.indicators[%zu].steps", i);
		size_t n = json_array_size(st);
		if (!json_is_array(st) || n < 1 || n > ZB_RATING_MAX_STEPS)
			return BAD(f, "规则项 indicators[%zu].steps（指标 %s 的分档）应为 1 到 8 档，如 [[95,30],[80,20]]", i, key);
		for (size_t k = 0; k < n; k++) {
			json_t *p = json_array_get(st, k);
			double mn, pt;
			if (json_array_size(p) != 2 || !num_in(json_array_get(p, 0), 0, 100, &mn) ||
			    !num_in(json_array_get(p, 1), 0, ir->weight, &pt) ||
			    (k && (mn >= ir->step_min[k - 1] || pt > ir->step_pts[k - 1])))
				return BAD(f,
				           "规则项 indicators[%zu].steps[%zu]（指标 %s）应为 [达到的百分比, 得分]，百分比逐档递减，"
				           "得分不超过 weight 且逐档不增",
				           i, k, key);
			ir->step_min[k] = mn;
			ir->step_pts[k] = pt;
		}
		ir->nsteps = (int)n;
	}
	return 0;
}

static const char *const cap_keys[] = {"five", "four", "three"};

/* The whole object, into r when it is valid. */
static int parse(json_t *data, zb_rating_rules *r, zb_err *e)
{
	memset(r, 0, sizeof *r);
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v)
	{
		if (!strcmp(k, "indicators") || !strcmp(k, "stars") || !strcmp(k, "caps") || !strcmp(k, "tiers"))
			continue;
		if (!strcmp(k, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return BAD("data.source", "规则项 source（依据）应为不超过 400 字节的文字");
			continue;
		}
		return BAD("data", "不认识的规则项：%s", k);
	}
	json_t *ind = json_object_get(data, "indicators");
	size_t n = json_array_size(ind);
	if (!json_is_array(ind) || n < 1 || n > ZB_RATING_MAX_IND)
		return BAD("data.indicators", "规则项 indicators（评星指标）应为 1 到 %d 项", ZB_RATING_MAX_IND);
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		int rc = parse_ind(json_array_get(ind, i), i, &r->ind[i], e);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(r->ind[j].key, r->ind[i].key)) {
				char f[48];
				snprintf(f, sizeof f, "data.indicators[%zu].key", i);
				return BAD(f, "规则项 indicators 中指标 %s 重复", r->ind[i].key);
			}
		total += r->ind[i].weight;
	}
	r->nind = (int)n;
	if (total <= 0 || total > 200)
		return BAD("data.indicators", "规则项 indicators 的分值合计应大于 0、不超过 200（现为 %.2f）", total);
	json_t *st = json_object_get(data, "stars");
	if (json_array_size(st) != 4)
		return BAD("data.stars", "规则项 stars（五星、四星、三星、二星的最低分）应为 4 个递减的分数，如 [90,80,70,60]");
	for (int i = 0; i < 4; i++)
		if (!num_in(json_array_get(st, (size_t)i), 0, total, &r->stars_min[i]) ||
		    (i && r->stars_min[i] >= r->stars_min[i - 1]))
			return BAD("data.stars", "规则项 stars 应为 4 个递减的分数，且不超过指标分值合计 %.2f", total);
	json_t *caps = json_object_get(data, "caps");
	if (!json_is_object(caps) || json_object_size(caps) != 3)
		return BAD("data.caps", "规则项 caps（五星、四星、三星至多占参评支部的百分比）应含 five、four、three 三项");
	for (int i = 0; i < 3; i++) {
		double x;
		char f[32];
		snprintf(f, sizeof f, "data.caps.%s", cap_keys[i]);
		json_t *c = json_object_get(caps, cap_keys[i]);
		if (!json_is_integer(c) || !num_in(c, 0, 100, &x))
			return BAD(f, "规则项 caps.%s（百分比）应为 0 到 100 之间的整数", cap_keys[i]);
		r->cap_pct[i] = (int)x;
	}
	json_t *t = json_object_get(data, "tiers");
	json_t *adv = json_object_get(t, "advanced"), *lag = json_object_get(t, "lagging");
	if (!json_is_object(t) || json_object_size(t) != 2 || !json_is_integer(adv) || !json_is_integer(lag) ||
	    json_integer_value(adv) < 2 || json_integer_value(adv) > 5 || json_integer_value(lag) < 0 ||
	    json_integer_value(lag) >= json_integer_value(adv))
		return BAD("data.tiers",
		           "规则项 tiers 应含 advanced（达到几星为先进，2 到 5）和 lagging（几星及以下为后进，0 为不设，小于 advanced）");
	r->advanced_stars = (int)json_integer_value(adv);
	r->lagging_stars = (int)json_integer_value(lag);
	return 0;
}

int zb_rating_rules_validate(json_t *data, zb_err *e)
{
	zb_rating_rules r;
	return parse(data, &r, e);
}

int zb_rating_rules_parse(json_t *data, zb_rating_rules *r, zb_err *e)
{
	return parse(data, r, e);
}

int zb_rating_rules_get(zb_db *db, const char *org_path, const char *date, zb_rating_rules *r, zb_err *e)
{
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "rating", date, &rs, e);
	const zb_rule_set *s = rc ? NULL : zb_rules_for(rs, org_path);
	if (!rc && !s)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "没有 %s 有效的评星晋级规则（rating）", date);
	if (!rc && (rc = parse(s->data, r, e)))
		e->code = rc = ZB_EINTERNAL;
	if (!rc)
		r->rule_id = s->id;
	zb_rules_free(rs);
	return rc;
}

static double cents(double x)
{
	return round(x * 100.0) / 100.0;
}

double zb_rating_points(const zb_rind_rule *ir, int has_value, double value)
{
	if (ir->mode == ZB_RM_MANUAL)
		return has_value ? cents(value) : 0;
	if (!has_value)
		return cents(ir->weight);
	switch (ir->mode) {
	case ZB_RM_RATE:
		return cents(ir->weight * (value > 100 ? 100 : value) / 100.0);
	case ZB_RM_STEPS:
		for (int k = 0; k < ir->nsteps; k++)
			if (value >= ir->step_min[k])
				return cents(ir->step_pts[k]);
		return 0;
	default: {
		double p = ir->weight - ir->per * value;
		return p > 0 ? cents(p) : 0;
	}
	}
}

int zb_rating_stars_by_score(const zb_rating_rules *r, double score)
{
	for (int i = 0; i < 4; i++)
		if (score >= r->stars_min[i])
			return 5 - i;
	return 1;
}

int zb_rating_cap(int pct, int n)
{
	return (int)((int64_t)pct * n / 100); /* 至多: the floor */
}

void zb_rating_apply_caps(const zb_rating_rules *r, const double *score, int *stars, int n)
{
	for (int s = 5; s >= 3; s--) {
		int cap = zb_rating_cap(r->cap_pct[5 - s], n), have = 0;
		for (int i = 0; i < n; i++)
			have += stars[i] == s;
		while (have > cap) {
			/* the lowest score holding s, and every branch tied with it, drop */
			double low = 0;
			int first = 1;
			for (int i = 0; i < n; i++)
				if (stars[i] == s && (first || score[i] < low)) {
					low = score[i];
					first = 0;
				}
			for (int i = 0; i < n; i++)
				if (stars[i] == s && score[i] == low) {
					stars[i] = s - 1;
					have--;
				}
		}
	}
}

const char *zb_rating_tier(const zb_rating_rules *r, int stars)
{
	return stars >= r->advanced_stars ? "advanced" : stars <= r->lagging_stars ? "lagging" : "middle";
}

const char *zb_rating_tier_name(const char *tier)
{
	return !tier ? NULL
	       : !strcmp(tier, "advanced") ? "先进"
	       : !strcmp(tier, "lagging")  ? "后进"
	       : !strcmp(tier, "middle")   ? "中间"
	                                   : NULL;
}

const char *zb_rating_change(int stars, int last_stars)
{
	return !last_stars ? "new" : stars > last_stars ? "up" : stars < last_stars ? "down" : "same";
}

const char *zb_rating_change_name(const char *c)
{
	return !strcmp(c, "up") ? "晋级" : !strcmp(c, "down") ? "降级" : !strcmp(c, "same") ? "持平" : "首次评定";
}
