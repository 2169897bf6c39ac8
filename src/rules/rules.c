/* rules.c - dated rule sets: lookup, validation by kind, local sets. */
#include "rules/rules.h"
#include "core/date.h"
#include "core/grow.h"
#include "dues/dues.h" /* validator of the dues kind */
#include "meeting/mrules.h" /* validators of the meeting kinds */
#include "member/member.h" /* validator of the membership kind */
#include "member/probation.h" /* validator of the probation kind */
#include "transfer/transfer.h" /* validator of the transfer kind */
#include "org/org.h"
#include "recruit/rrules.h" /* validator of the recruitment kind */
#include "reserve/reserve.h" /* validator of the reserve kind */
#include "village/village.h" /* validator of the village_work kind */
#include "rating/rating.h"   /* validator of the rating kind */
#include "disclose/disclose.h" /* validator of the disclosure kind */
#include "aid/aid.h"          /* validator of the aid_visits kind */
#include "study/study.h"      /* validator of the study kind */
#include "rectify/rectify.h"  /* validator of the weak_org kind */
#include "points/points.h"    /* validators of the points kinds */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct zb_rules {
	char *kind;
	int n;
	zb_rule_set *sets;     /* newest per org; national (org_id 0) included */
};


/* ---- validation by kind ---- */

typedef struct int_key {
	const char *key;
	int64_t min, max;
	const char *what;
} int_key;

static int check_int(json_t *data, const int_key *k, int64_t *out, zb_err *e)
{
	json_t *v = json_object_get(data, k->key);
	if (!v)
		return zb_fail(e, ZB_EINVAL, "data", "规则缺少 %s（%s）", k->key, k->what);
	if (!json_is_integer(v) || json_integer_value(v) < k->min || json_integer_value(v) > k->max)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 %s（%s）应为 %lld 到 %lld 之间的整数", k->key, k->what,
		               (long long)k->min, (long long)k->max);
	if (out)
		*out = json_integer_value(v);
	return 0;
}

static int check_source(json_t *data, zb_err *e)
{
	json_t *v = json_object_get(data, "source");
	if (v && (!json_is_string(v) || json_string_length(v) > 600))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 600 字节的文字");
	return 0;
}

static int unknown_keys(json_t *data, const char *const *allowed, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		const char *const *a = allowed;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a)
			return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	return 0;
}

static const int_key structure_keys[] = {
	{"branch_min_full", 1, 50, "单位正式党员达到几名应成立党支部"},
	{"branch_max_members", 3, 1000, "每个党支部党员人数上限"},
	{"committee_min_full", 1, 200, "正式党员达到几名应设支部委员会"},
	{"committee_size_min", 1, 30, "支部委员会最少人数"},
	{"committee_size_max", 1, 30, "支部委员会一般最多人数"},
	{"committee_size_cap", 1, 30, "支部委员会人数绝对上限"},
	{"general_branch_min_members", 2, 10000, "可成立党总支的党员人数"},
	{"party_committee_min_members", 2, 100000, "可成立基层党委的党员人数"},
	{"joint_branch_max_units", 2, 100, "联合党支部最多覆盖单位数"},
	{NULL, 0, 0, NULL},
};

static int validate_structure(json_t *data, zb_err *e)
{
	static const char *const allowed[] = {"branch_min_full", "branch_max_members", "committee_min_full",
	                                      "committee_size_min", "committee_size_max", "committee_size_cap",
	                                      "general_branch_min_members", "party_committee_min_members",
	                                      "joint_branch_max_units", "secretary_lectures_per_year", "source", NULL};
	/* optional (sets stored before it existed lack it): how many 党课 a
	 * 书记 gives a year, 0 = no warning; absent = 1 */
	static const int_key lectures = {"secretary_lectures_per_year", 0, 12, "书记每年至少讲几次党课（0 为不检查）"};
	int rc = unknown_keys(data, allowed, e);
	int64_t v[16];
	for (int i = 0; !rc && structure_keys[i].key; i++)
		rc = check_int(data, &structure_keys[i], &v[i], e);
	if (!rc && json_object_get(data, lectures.key))
		rc = check_int(data, &lectures, NULL, e);
	if (!rc && !(v[3] <= v[4] && v[4] <= v[5]))
		rc = zb_fail(e, ZB_EINVAL, "data",
		             "支部委员会人数应满足 最少（%lld）≤ 一般最多（%lld）≤ 绝对上限（%lld）", (long long)v[3],
		             (long long)v[4], (long long)v[5]);
	if (!rc && v[6] >= v[7])
		rc = zb_fail(e, ZB_EINVAL, "data", "可成立党委的人数（%lld）应大于可成立党总支的人数（%lld）",
		             (long long)v[7], (long long)v[6]);
	return rc ? rc : check_source(data, e);
}

static int check_year_map(json_t *data, const char *key, int is_type, zb_err *e)
{
	json_t *m = json_object_get(data, key);
	if (!m)
		return zb_fail(e, ZB_EINVAL, "data", "规则缺少 %s", key);
	if (!json_is_object(m))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 应为对象", key);
	const char *k;
	json_t *v;
	json_object_foreach(m, k, v)
	{
		if (is_type ? !zb_org_type_name(k) : !zb_org_domain_name(k))
			return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 中的 %s 不是%s代码", key, k, is_type ? "组织类型" : "领域");
		/* 党章 第三十一条: 基层委员会、总支部委员会、支部委员会每届任期三年
		 * 至五年 (earlier 党章: two or three years) - never more than 5 */
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)
			return zb_fail(e, ZB_EINVAL, "data", "规则项 %s.%s（任期年数）应为 1 到 5 之间的整数（党章第三十一条：每届任期三年至五年）",
			               key, k);
	}
	return 0;
}

static int validate_terms(json_t *data, zb_err *e)
{
	static const char *const allowed[] = {"years", "domain_years", "max_extension_months", "remind_months", "source",
	                                      NULL};
	/* 选举条例 第三条: 延长或者提前期限一般不超过1年 */
	static const int_key ext = {"max_extension_months", 0, 12, "延期或提前换届最多几个月（选举条例第三条：一般不超过1年）"};
	int rc = unknown_keys(data, allowed, e);
	if (!rc)
		rc = check_year_map(data, "years", 1, e);
	if (!rc)
		rc = check_year_map(data, "domain_years", 0, e);
	if (!rc && !json_object_get(json_object_get(data, "years"), "branch"))
		rc = zb_fail(e, ZB_EINVAL, "data", "规则项 years 至少要有 branch（党支部任期）");
	if (!rc)
		rc = check_int(data, &ext, NULL, e);
	if (rc)
		return rc;
	/* remind_months: e.g. [6,1] - the windows "due in 6 months" and
	 * "due in 1 month"; strictly decreasing so the windows nest */
	json_t *rm = json_object_get(data, "remind_months");
	if (!json_is_array(rm) || json_array_size(rm) != 2)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 remind_months（换届提醒提前月数）应为两个整数，如 [6,1]");
	int64_t a = json_integer_value(json_array_get(rm, 0)), b = json_integer_value(json_array_get(rm, 1));
	if (!json_is_integer(json_array_get(rm, 0)) || !json_is_integer(json_array_get(rm, 1)) || b < 1 || a <= b ||
	    a > 24)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 remind_months 应为递减的两个月数（1 到 24），如 [6,1]");
	return check_source(data, e);
}

static const struct {
	const char *kind, *name;
	int (*validate)(json_t *data, zb_err *e);
} kinds[] = {
	{"org_structure", "基层组织设置", validate_structure},
	{"terms", "任期与换届提醒", validate_terms},
	{"meeting_freq", "组织生活频次", zb_mfreq_validate},
	{"meeting_rules", "会议规则（法定人数、表决、补录期限、签到、预警、评议、谈心谈话）", zb_mrules_validate},
	{"membership", "党员基本条件（入党最低年龄、预备期）", zb_member_rules_validate},
	{"probation", "预备期（期限、延长的最短与最长月数）", zb_probation_rules_validate},
	{"transfer", "组织关系转接与流动党员（介绍信有效期、存根保存年限、外出证明）", zb_transfer_rules_validate},
	{"dues", "党费交纳比例（在职、离退休的档次与比例，农民、学生等的定额）", zb_dues_rules_validate},
	{"recruitment", "发展党员（年龄、谈话、培养考察、介绍人、培训、公示、审批的时限与人数）", zb_recruit_rules_validate},
	{"reserve", "村级后备干部（一村一名年轻干部的年龄界限）", zb_reserve_rules_validate},
	{"village_work", "驻村工作（第一书记每月驻村天数、请假审批层级、任期届满提醒、考核权重）", zb_vwork_rules_validate},
	{"disclosure", "三务公开（党务、村务、财务的公开周期与期满后的公开期限）", zb_disclose_rules_validate},
	{"aid_visits", "帮扶走访频次（在帮户、监测户、已脱贫户、党员联系户的走访间隔）", zb_aid_rules_validate},
	{"study", "学时（党员、书记和班子成员每年集中学习培训学时，会议与培训计入学时）", zb_study_rules_validate},
	{"weak_org", "软弱涣散排查标准（书记空缺、三会一课落实率、连续后进、逾期未换届）", zb_weak_rules_validate},
	{"points", "党员积分制（基础分、积分项、每期上限、支部内排名开关）", zb_points_rules_validate},
	{"points_secretary", "党支部书记积分制（基础分、述职评议等次、三会一课、星级、人工认定项）", zb_points_secretary_rules_validate},
	{"rating", "评星晋级（指标与计分、星级分数线、各星级比例上限、先进中间后进）", zb_rating_rules_validate},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

int zb_rules_kind_known(const char *kind)
{
	for (size_t i = 0; kind && i < NKINDS; i++)
		if (!strcmp(kinds[i].kind, kind))
			return 1;
	return 0;
}

int zb_rules_validate(const char *kind, json_t *data, zb_err *e)
{
	for (size_t i = 0; kind && i < NKINDS; i++)
		if (!strcmp(kinds[i].kind, kind)) {
			if (!json_is_object(data))
				return zb_fail(e, ZB_EINVAL, "data", "规则内容应为 JSON 对象");
			return kinds[i].validate(data, e);
		}
	char known[512] = "";
	size_t n = 0;
	for (size_t i = 0; i < NKINDS && n < sizeof known; i++)
		n += (size_t)snprintf(known + n, sizeof known - n, "%s%s", i ? "、" : "", kinds[i].kind);
	return zb_fail(e, ZB_EINVAL, "kind", "不支持的规则类型：%s（可用：%s）", kind ? kind : "", known);
}

/* ---- lookup ---- */

static void set_release(zb_rule_set *s)
{
	free(s->org_path);
	free(s->kind);
	free(s->effective_from);
	free(s->name);
	json_decref(s->data);
}

void zb_rules_free(zb_rules *rs)
{
	if (!rs)
		return;
	for (int i = 0; i < rs->n; i++)
		set_release(&rs->sets[i]);
	free(rs->sets);
	free(rs->kind);
	free(rs);
}

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

typedef struct rule_sets {
	zb_rules *rs;
	size_t cap;
	const char *kind;
} rule_sets;

/* A stored set, newest first per org: the first of each org is kept. */
static int add_rule_set(zb_stmt *st, void *ctx, zb_err *e)
{
	rule_sets *l = ctx;
	zb_rules *rs = l->rs;
	int64_t org = zb_col_int(st, 1);
	if (rs->n && rs->sets[rs->n - 1].org_id == org)
		return 0;
	json_error_t je;
	json_t *data = json_loads(zb_col_text(st, 5), 0, &je);
	if (!json_is_object(data)) {
		json_decref(data);
		return zb_fail(e, ZB_EINTERNAL, NULL, "规则集 %lld 的内容不是有效的 JSON 对象", (long long)zb_col_int(st, 0));
	}
	if (ZB_GROW(rs->sets, (size_t)rs->n, l->cap)) {
		json_decref(data);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	zb_rule_set *s = &rs->sets[rs->n++];
	s->id = zb_col_int(st, 0);
	s->org_id = org;
	s->org_path = dup(zb_col_text(st, 2));
	s->kind = strdup(l->kind);
	s->effective_from = dup(zb_col_text(st, 3));
	s->name = dup(zb_col_text(st, 4));
	s->data = data;
	return 0;
}

int zb_rules_load(zb_db *db, const char *kind, const char *date, zb_rules **out, zb_err *e)
{
	*out = NULL;
	/* any stored kind may be read; only writes need a validator */
	size_t kl = kind ? strlen(kind) : 0;
	if (!kl || kl > 40 || strspn(kind, "abcdefghijklmnopqrstuvwxyz_0123456789") != kl)
		return zb_fail(e, ZB_EINVAL, "kind", "规则类型无效：%s", kind ? kind : "");
	/* newest first per org, so the first row of each org wins */
	rule_sets l = {calloc(1, sizeof *l.rs), 0, kind};
	if (!l.rs)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	l.rs->kind = strdup(kind);
	int rc = zb_db_each(db, e, add_rule_set, &l,
	                    "SELECT r.id, COALESCE(r.org_id, 0), o.path, r.effective_from, r.name, r.data "
	                    "FROM rule_sets r LEFT JOIN orgs o ON o.id = r.org_id "
	                    "WHERE r.kind = ? AND r.effective_from <= ? "
	                    "ORDER BY COALESCE(r.org_id, 0), r.effective_from DESC, r.id DESC",
	                    "ss", kind, date);
	if (rc) {
		zb_rules_free(l.rs);
		return rc;
	}
	*out = l.rs;
	return 0;
}

const zb_rule_set *zb_rules_for(const zb_rules *rs, const char *org_path)
{
	const zb_rule_set *best = NULL;
	size_t best_len = 0;
	for (int i = 0; rs && i < rs->n; i++) {
		const zb_rule_set *s = &rs->sets[i];
		if (!s->org_id) {
			if (!best)
				best = s;
			continue;
		}
		if (!org_path || !s->org_path)
			continue;
		size_t l = strlen(s->org_path);
		if (l > best_len && !strncmp(org_path, s->org_path, l)) {
			best = s;
			best_len = l;
		}
	}
	return best;
}

int zb_rule_int(const zb_rule_set *s, const char *key, int64_t *out, zb_err *e)
{
	json_t *v = s ? json_object_get(s->data, key) : NULL;
	if (!json_is_integer(v))
		return zb_fail(e, ZB_EINTERNAL, NULL, "规则集（%s）缺少整数项 %s", s ? s->kind : "?", key);
	*out = json_integer_value(v);
	return 0;
}

int zb_rule_sub_int(const zb_rule_set *s, const char *key, const char *sub, int64_t *out)
{
	json_t *v = s && sub ? json_object_get(json_object_get(s->data, key), sub) : NULL;
	if (!json_is_integer(v))
		return 0;
	*out = json_integer_value(v);
	return 1;
}

const char *zb_rule_source(const zb_rule_set *s)
{
	json_t *v = s ? json_object_get(s->data, "source") : NULL;
	return json_is_string(v) ? json_string_value(v) : "";
}

/* ---- local sets ---- */

int zb_rules_add(zb_db *db, const char *kind, int64_t org_id, const char *effective_from, const char *name,
                 json_t *partial, int64_t now, int64_t by_user, int64_t *id, char **merged, zb_err *e)
{
	if (merged)
		*merged = NULL;
	if (!zb_rules_kind_known(kind))
		return zb_rules_validate(kind, NULL, e);
	if (!json_is_object(partial))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为 JSON 对象");
	if (!effective_from || !zb_date_valid(effective_from))
		return zb_fail(e, ZB_EINVAL, "effective_from", "生效日期无效（应为 YYYY-MM-DD）");
	char path[600] = "";
	zb_text_buf b = {path, sizeof path};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT path FROM orgs WHERE id = ?", "i", org_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到该组织");
	if (rc)
		return rc;

	zb_rules *rs = NULL;
	if ((rc = zb_rules_load(db, kind, effective_from, &rs, e)))
		return rc;
	const zb_rule_set *base = zb_rules_for(rs, path);
	json_t *data = base ? json_deep_copy(base->data) : json_object();
	const char *k;
	json_t *v;
	json_object_foreach(partial, k, v)
	{
		json_t *old = json_object_get(data, k);
		if (json_is_object(old) && json_is_object(v))
			json_object_update(old, v);   /* one level deep: "years":{"branch":4} */
		else
			json_object_set(data, k, v);
	}
	zb_rules_free(rs);
	char *text = NULL;
	rc = zb_rules_validate(kind, data, e);
	if (!rc) {
		text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
		if (!text)
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	json_decref(data);
	int64_t dupes = 0;
	if (!rc)
		rc = zb_db_int(db, e, &dupes, "SELECT COUNT(*) FROM rule_sets WHERE kind = ? AND org_id = ? AND effective_from = ?",
		               "sis", kind, org_id, effective_from);
	if (!rc && dupes)
		rc = zb_fail(e, ZB_ECONFLICT, "effective_from", "该组织已有 %s 生效的同类规则，请换一个生效日期", effective_from);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at, created_by) "
		               "VALUES (?,?,?,?,?,?,?) RETURNING id",
		               "sisssiI", kind, org_id, effective_from, name, text, now, by_user);
	if (!rc && merged)
		*merged = text;
	else
		free(text);
	return rc;
}
