/* vrules.c - the rule kind "village_work" and the pure decisions of
 * village work: who approves a leave, presence in a month, the
 * evaluation's final score; the code tables (village/village.h). */
#include "village/village.h"
#include "core/date.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- codes ---- */

typedef struct code_name {
	const char *code, *name;
} code_name;

static const code_name roles[] = {{"first_secretary", "第一书记"}, {"leader", "队长"}, {"member", "队员"}, {0}},
		       reasons[] = {{"poverty", "脱贫村"},
	                            {"weak", "软弱涣散村"},
	                            {"collective", "集体经济薄弱村"},
	                            {"other", "其他"},
	                            {0}},
		       absences[] = {{"leave", "请假"}, {"training", "培训"}, {"trip", "因公出差"}, {0}},
		       ends[] = {{"term_end", "期满"}, {"recalled", "召回"}, {"other", "其他"}, {0}},
		       outcomes[] = {{"recall", "召回"},
	                             {"accountability", "问责"},
	                             {"talk", "约谈"},
	                             {"disqualify", "取消后备干部资格"},
	                             {"notify", "通报派出单位"},
	                             {0}},
		       vgrades[] = {{"excellent", "优秀"}, {"competent", "称职"}, {"basic", "基本称职"}, {"incompetent", "不称职"}, {0}},
		       rounds[] = {{"cadres", "乡镇干部测评"}, {"villagers", "党员群众测评"}, {0}},
		       examiners[] = {{"report", "述职"},
	                              {"county", "县委组织部"},
	                              {"revival", "乡村振兴部门"},
	                              {"township", "乡镇党委"},
	                              {"unit", "派出单位"},
	                              {0}};

static const char *code_from(const code_name *t, const char *s)
{
	for (; s && t->code; t++)
		if (!strcmp(s, t->code) || !strcmp(s, t->name))
			return t->code;
	return NULL;
}

static const char *name_of(const code_name *t, const char *code)
{
	for (; code && t->code; t++)
		if (!strcmp(code, t->code))
			return t->name;
	return NULL;
}

#define CODES(from, name, table)                  \
	const char *from(const char *s)           \
	{                                         \
		return code_from(table, s);       \
	}                                         \
	const char *name(const char *code)        \
	{                                         \
		return name_of(table, code);      \
	}
CODES(zb_vrole_from, zb_vrole_name, roles)
CODES(zb_vreason_from, zb_vreason_name, reasons)
CODES(zb_vabsence_from, zb_vabsence_name, absences)
CODES(zb_vend_from, zb_vend_name, ends)
CODES(zb_voutcome_from, zb_voutcome_name, outcomes)
CODES(zb_vgrade_from, zb_vgrade_name, vgrades)
CODES(zb_vround_from, zb_vround_name, rounds)
CODES(zb_vexaminer_from, zb_vexaminer_name, examiners)

int zb_vgrade_index(const char *code)
{
	for (int i = 0; code && vgrades[i].code; i++)
		if (!strcmp(code, vgrades[i].code))
			return i;
	return -1;
}

/* ---- the rule ---- */

static const char *const SOURCE = "中办《关于向重点乡镇和贫困村选派第一书记的通知》（2015）及各省驻村管理办法";

static void rules_default(zb_vwork_rules *r)
{
	*r = (zb_vwork_rules){.min_days = 20, .township_leave_days = 3, .ending_soon_days = 90, .w_report = 10,
	                      .w_rating_cadres = 15, .w_rating_villagers = 15, .w_exams = 60,
	                      .vote_points = {100, 80, 60, 0}, .grade_min = {90, 70, 60}, .source = SOURCE};
}

static const char *const top_keys[] = {"min_days", "township_leave_days", "ending_soon_days", NULL};
static const char *const weight_keys[] = {"report", "rating_cadres", "rating_villagers", "exams", NULL};
static int int_in(json_t *obj, const char *key, int min, int max, int *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return 0;
	if (out)
		*out = (int)json_integer_value(v);
	return 1;
}

static const char *const point_keys[] = {"excellent", "competent", "basic", "incompetent", NULL};
static const char *const grade_keys[] = {"excellent", "competent", "basic", NULL};

/* The optional objects vote_points (four grades, 0-100, not rising) and
 * grades (three thresholds 1-100, falling); absent: the defaults. */
static int optional_tables(json_t *data, zb_err *e)
{
	json_t *p = json_object_get(data, "vote_points"), *g = json_object_get(data, "grades");
	int prev = 101;
	if (p && (!json_is_object(p) || json_object_size(p) != 4))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 vote_points（测评每票分值）应含 excellent、competent、basic、incompetent 四项");
	for (int i = 0; p && point_keys[i]; i++) {
		int x;
		if (!int_in(p, point_keys[i], 0, 100, &x) || x > prev)
			return zb_fail(e, ZB_EINVAL, "data", "规则项 vote_points.%s 应为 0 到 100 之间的整数，且不高于上一等次",
			               point_keys[i]);
		prev = x;
	}
	prev = 101;
	if (g && (!json_is_object(g) || json_object_size(g) != 3))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 grades（等次分数线）应含 excellent、competent、basic 三项");
	for (int i = 0; g && grade_keys[i]; i++) {
		int x;
		if (!int_in(g, grade_keys[i], 1, 100, &x) || x >= prev)
			return zb_fail(e, ZB_EINVAL, "data", "规则项 grades.%s 应为 1 到 100 之间的整数，且低于上一等次", grade_keys[i]);
		prev = x;
	}
	return 0;
}


int zb_vwork_rules_validate(json_t *data, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		int known = !strcmp(key, "weights") || !strcmp(key, "vote_points") || !strcmp(key, "grades");
		for (int i = 0; top_keys[i]; i++)
			known |= !strcmp(key, top_keys[i]);
		if (known)
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 400 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	/* 每月驻村不少于 20 天: a local set may ask more, never less */
	if (!int_in(data, "min_days", 20, 31, NULL))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 min_days（每月驻村天数下限）应为 20 到 31 之间的整数");
	if (!int_in(data, "township_leave_days", 1, 30, NULL))
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 township_leave_days（乡镇党委可批准的最长请假天数）应为 1 到 30 之间的整数");
	if (!int_in(data, "ending_soon_days", 1, 366, NULL))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 ending_soon_days（任期即将届满的提前天数）应为 1 到 366 之间的整数");
	json_t *w = json_object_get(data, "weights");
	if (!json_is_object(w) || json_object_size(w) != 4)
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 weights（考核权重）应含 report、rating_cadres、rating_villagers、exams 四项");
	int sum = 0;
	for (int i = 0; weight_keys[i]; i++) {
		int x;
		if (!int_in(w, weight_keys[i], 0, 100, &x))
			return zb_fail(e, ZB_EINVAL, "data", "规则项 weights.%s（百分比）应为 0 到 100 之间的整数", weight_keys[i]);
		sum += x;
	}
	if (sum != 100)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 weights 的四项之和应为 100（现为 %d）", sum);
	return optional_tables(data, e);
}

int zb_vwork_rules_get(zb_db *db, const char *org_path, const char *date, zb_vwork_rules *r, zb_err *e)
{
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "village_work", date, &rs, e);
	if (!rc)
		rc = zb_vwork_rules_from(rs, org_path, r, e);
	zb_rules_free(rs);
	return rc;
}

int zb_vwork_rules_from(const zb_rules *rs, const char *org_path, zb_vwork_rules *r, zb_err *e)
{
	int rc = 0;
	rules_default(r);
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	int64_t v[3];
	for (int i = 0; s && !rc && top_keys[i]; i++)
		rc = zb_rule_int(s, top_keys[i], &v[i], e);
	int64_t w[4] = {0};
	for (int i = 0; s && !rc && weight_keys[i]; i++)
		if (!zb_rule_sub_int(s, "weights", weight_keys[i], &w[i]))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "规则 village_work 缺少 weights.%s", weight_keys[i]);
	if (s && !rc) {
		r->min_days = (int)v[0];
		r->township_leave_days = (int)v[1];
		r->ending_soon_days = (int)v[2];
		r->w_report = (int)w[0];
		r->w_rating_cadres = (int)w[1];
		r->w_rating_villagers = (int)w[2];
		r->w_exams = (int)w[3];
		int64_t x;
		for (int i = 0; point_keys[i]; i++)
			if (zb_rule_sub_int(s, "vote_points", point_keys[i], &x))
				r->vote_points[i] = (int)x;
		for (int i = 0; grade_keys[i]; i++)
			if (zb_rule_sub_int(s, "grades", grade_keys[i], &x))
				r->grade_min[i] = (int)x;
	}
	return rc;
}

/* ---- pure decisions ---- */

const char *zb_vwork_leave_level(const zb_vwork_rules *r, int days)
{
	return days <= r->township_leave_days ? "township" : "county";
}

static int month_ok(const char *m)
{
	char d[11];
	return m && strlen(m) == 7 && snprintf(d, sizeof d, "%s-01", m) == 10 && zb_date_valid(d);
}

int zb_vwork_presence(const zb_vwork_rules *r, const char *month, const char *started_on, const char *ended_on,
                      const char *today, const zb_vspan *away, int naway, zb_vpresence *p, zb_err *e)
{
	memset(p, 0, sizeof *p);
	if (!month_ok(month))
		return zb_fail(e, ZB_EINVAL, "month", "月份应为 YYYY-MM");
	char first[11], next[11];
	snprintf(first, sizeof first, "%s-01", month);
	zb_date_add_months(first, 1, next);
	long m0 = zb_date_days(first), m1 = zb_date_days(next) - 1; /* the month's days */
	p->days_in_month = (int)(m1 - m0 + 1);
	long lo = zb_date_days(started_on), hi = m1;
	if (ended_on && zb_date_days(ended_on) < hi)
		hi = zb_date_days(ended_on);
	if (today && zb_date_days(today) < hi)
		hi = zb_date_days(today);
	if (lo < m0)
		lo = m0;
	if (hi >= lo) {
		p->days_counted = (int)(hi - lo + 1);
		/* each counted day away at most once */
		for (long d = lo; d <= hi; d++)
			for (int i = 0; i < naway; i++)
				if (zb_date_days(away[i].from) <= d && d <= zb_date_days(away[i].to)) {
					p->days_away++;
					break;
				}
	}
	p->days_in_village = p->days_counted - p->days_away;
	p->required = (r->min_days * p->days_counted + p->days_in_month - 1) / p->days_in_month;
	p->partial = p->days_counted < p->days_in_month;
	p->ok = p->days_in_village >= p->required;
	return 0;
}

double zb_vwork_eval_score(const zb_vwork_rules *r, const zb_veval_scores *s)
{
	double exams = (s->exam_county + s->exam_township + s->exam_unit + s->exam_village) / 4.0;
	double v = (r->w_report * s->report + r->w_rating_cadres * s->rating_cadres +
	            r->w_rating_villagers * s->rating_villagers + r->w_exams * exams) /
	           100.0;
	return (double)(long)(v * 10 + 0.5) / 10; /* one decimal */
}

int64_t zb_vwork_hundredths(int64_t num, int64_t den)
{
	return (num * 200 + den) / (2 * den);
}

const char *zb_vwork_grade(const zb_vwork_rules *r, int64_t final)
{
	int i = 0;
	while (i < 3 && final < (int64_t)r->grade_min[i] * 100)
		i++;
	return vgrades[i].code;
}

void zb_vwork_review_score(const zb_vwork_rules *r, const zb_vreview_tally *t, zb_vreview_result *out)
{
	int64_t nc = t->cadre_votes > 0 ? t->cadre_votes : 1, nv = t->villager_votes > 0 ? t->villager_votes : 1;
	/* final x 100 = sum of weight x part; over the common denominator 4 nc nv */
	int64_t den = 4 * nc * nv;
	int64_t num = r->w_report * t->report * den + r->w_rating_cadres * t->cadre_points * 4 * nv +
	              r->w_rating_villagers * t->villager_points * 4 * nc + r->w_exams * t->exam_sum * nc * nv;
	out->rating_cadres = zb_vwork_hundredths(t->cadre_points, nc);
	out->rating_villagers = zb_vwork_hundredths(t->villager_points, nv);
	out->exams = zb_vwork_hundredths(t->exam_sum, 4);
	out->final = zb_vwork_hundredths(num, den * 100);
	out->grade = zb_vwork_grade(r, out->final);
}
