/* mrules.c - meeting types, rule parsing and validation, rule lookup. */
#include "meeting/mrules.h"
#include "rules/rules.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- types ---- */

static const struct {
	const char *code, *name, *alias;
} types[ZB_MT_COUNT] = {
	[ZB_MT_PLENARY] = {"plenary", "支部党员大会", "党员大会"},
	[ZB_MT_COMMITTEE] = {"committee", "支部委员会", "支委会"},
	[ZB_MT_GROUP] = {"group", "党小组会", NULL},
	[ZB_MT_LECTURE] = {"lecture", "党课", NULL},
	[ZB_MT_THEME_DAY] = {"theme_day", "主题党日", NULL},
	[ZB_MT_LIFE_MEETING] = {"life_meeting", "组织生活会", "life"},
	[ZB_MT_APPRAISAL] = {"appraisal", "民主评议党员", "民主评议"},
	[ZB_MT_TALK] = {"talk", "谈心谈话", NULL},
	[ZB_MT_OTHER] = {"other", "其他", NULL},
};

const char *zb_mtype_code(int t)
{
	return t >= 0 && t < ZB_MT_COUNT ? types[t].code : NULL;
}

const char *zb_mtype_name(int t)
{
	return t >= 0 && t < ZB_MT_COUNT ? types[t].name : NULL;
}

int zb_mtype_from(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < ZB_MT_COUNT; i++)
		if (!strcmp(s, types[i].code) || !strcmp(s, types[i].name) || (types[i].alias && !strcmp(s, types[i].alias)))
			return i;
	return -1;
}

const char *zb_mtype_codes(void)
{
	return "plenary、committee、group、lecture、theme_day、life_meeting、appraisal、talk、other";
}

/* ---- thresholds ---- */

int zb_frac_met(int64_t count, int64_t base, zb_frac f)
{
	if (base <= 0 || f.den <= 0)
		return 0;
	/* integers only: 7 voters x 4/5 = 5.6 needs 6, exactly half is not
	 * "more than half" */
	return f.strict ? count * f.den > (int64_t)f.num * base : count * f.den >= (int64_t)f.num * base;
}

int64_t zb_frac_need(int64_t base, zb_frac f)
{
	if (base <= 0 || f.den <= 0)
		return 1;
	int64_t prod = (int64_t)f.num * base;
	if (f.strict)
		return prod / f.den + 1;
	return (prod + f.den - 1) / f.den;
}

int zb_frac_at_least(zb_frac f, zb_frac floor)
{
	/* compare f.num/f.den with floor.num/floor.den by cross products */
	int64_t l = (int64_t)f.num * floor.den, r = (int64_t)floor.num * f.den;
	if (l != r)
		return l > r;
	return f.strict || !floor.strict;
}

/* ---- parsing ---- */

static int bad(zb_err *e, const char *key, const char *what)
{
	return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 无效：%s", key, what);
}

static int unknown_keys(json_t *obj, const char *where, const char *const *allowed, zb_err *e)
{
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v)
	{
		const char *const *a = allowed;
		while (*a && strcmp(*a, k))
			a++;
		if (!*a)
			return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s%s%s", where, *where ? "." : "", k);
	}
	return 0;
}

static int get_int(json_t *obj, const char *key, const char *label, int min, int max, int *out, zb_err *e)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		char what[160];
		snprintf(what, sizeof what, "应为 %d 到 %d 之间的整数", min, max);
		return bad(e, label, what);
	}
	*out = (int)json_integer_value(v);
	return 0;
}

static int check_source(json_t *data, zb_err *e)
{
	json_t *v = json_object_get(data, "source");
	if (v && (!json_is_string(v) || json_string_length(v) > 200))
		return bad(e, "source", "应为不超过 200 字节的文字（依据）");
	return 0;
}

int zb_mfreq_parse(json_t *data, zb_mfreq *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为 JSON 对象");
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v)
	{
		if (!strcmp(k, "source"))
			continue;
		int t = -1;
		for (int i = 0; i < ZB_MT_COUNT; i++)
			if (!strcmp(k, types[i].code))
				t = i;
		if (t < 0)
			return zb_fail(e, ZB_EINVAL, "data", "不认识的会议类型：%s（可用：%s）", k, zb_mtype_codes());
		if (json_is_null(v))
			continue; /* explicitly not required */
		if (!json_is_object(v))
			return bad(e, k, "应为对象，如 {\"every_months\":3,\"min\":1}");
		static const char *const allowed[] = {"every_months", "min", "scope", "min_posts", NULL};
		int rc = unknown_keys(v, k, allowed, e);
		char label[64];
		snprintf(label, sizeof label, "%s.every_months", k);
		if (!rc)
			rc = get_int(v, "every_months", label, 0, 12, &out->t[t].every_months, e);
		if (!rc && out->t[t].every_months && 12 % out->t[t].every_months)
			rc = bad(e, label, "应为 0（不要求）、1、2、3、4、6 或 12（按自然年对齐的月数）");
		snprintf(label, sizeof label, "%s.min", k);
		if (!rc)
			rc = get_int(v, "min", label, 0, 100, &out->t[t].min, e);
		if (rc)
			return rc;
		json_t *sc = json_object_get(v, "scope");
		if (sc) {
			const char *s = json_string_value(sc);
			if (s && !strcmp(s, "branch"))
				out->t[t].scope = ZB_MS_BRANCH;
			else if (s && !strcmp(s, "group"))
				out->t[t].scope = ZB_MS_GROUP;
			else if (s && !strcmp(s, "committee"))
				out->t[t].scope = ZB_MS_COMMITTEE;
			else
				return bad(e, k, "scope 应为 branch、group 或 committee");
		}
		if (out->t[t].scope == ZB_MS_COMMITTEE) {
			snprintf(label, sizeof label, "%s.min_posts", k);
			if ((rc = get_int(v, "min_posts", label, 1, 30, &out->t[t].min_posts, e)))
				return rc;
		} else if (json_object_get(v, "min_posts")) {
			return bad(e, k, "min_posts 只用于 scope 为 committee 的要求");
		}
		if (!out->t[t].min)
			out->t[t].every_months = 0;
	}
	return check_source(data, e);
}

static int get_frac(json_t *obj, const char *label, zb_frac *out, zb_err *e)
{
	if (!json_is_object(obj))
		return bad(e, label, "应为 {\"num\":1,\"den\":2,\"strict\":true}");
	static const char *const allowed[] = {"num", "den", "strict", NULL};
	int rc = unknown_keys(obj, label, allowed, e);
	if (!rc)
		rc = get_int(obj, "num", label, 0, 1000, &out->num, e);
	if (!rc)
		rc = get_int(obj, "den", label, 1, 1000, &out->den, e);
	if (rc)
		return rc;
	if (out->num > out->den)
		return bad(e, label, "num 不能大于 den");
	json_t *s = json_object_get(obj, "strict");
	if (!json_is_boolean(s))
		return bad(e, label, "strict 应为 true（超过）或 false（达到）");
	out->strict = json_is_true(s);
	return 0;
}

static int get_statuses(json_t *data, const char *key, char *out, zb_err *e)
{
	static const char *const known[] = {"normal", "mobile", "lost", "abroad", "suspended", "removed", "deceased", NULL};
	json_t *a = json_object_get(data, key);
	if (!json_is_array(a))
		return bad(e, key, "应为党员状态代码的数组，如 [\"normal\",\"mobile\"]");
	size_t i;
	json_t *v;
	snprintf(out, ZB_MR_STATUSES, ",");
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);
		const char *const *k = known;
		while (s && *k && strcmp(*k, s))
			k++;
		if (!s || !*k)
			return bad(e, key, "含有不认识的党员状态（可用：normal、mobile、lost、abroad、suspended、removed、deceased）");
		size_t n = strlen(out);
		snprintf(out + n, ZB_MR_STATUSES - n, "%s,", s);
	}
	return 0;
}

int zb_mrules_parse(json_t *data, zb_mrules *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为 JSON 对象");
	static const char *const allowed[] = {"quorum", "resolution", "backfill_days", "unlock_days", "signin",
	                                      "roster_statuses", "no_vote_statuses", "risk", "appraisal", "talk",
	                                      "source", NULL};
	int rc = unknown_keys(data, "", allowed, e);
	if (rc)
		return rc;
	json_t *q = json_object_get(data, "quorum");
	if (!json_is_object(q))
		return bad(e, "quorum", "应为对象（按会议类型的法定人数）");
	const char *k;
	json_t *v;
	json_object_foreach(q, k, v)
	{
		char label[64];
		snprintf(label, sizeof label, "quorum.%s", k);
		if (!strcmp(k, "election")) {
			if ((rc = get_frac(v, label, &out->election, e)))
				return rc;
			continue;
		}
		int t = -1;
		for (int i = 0; i < ZB_MT_COUNT; i++)
			if (!strcmp(k, types[i].code))
				t = i;
		if (t < 0)
			return zb_fail(e, ZB_EINVAL, "data", "规则项 quorum 中不认识的会议类型：%s", k);
		if ((rc = get_frac(v, label, &out->quorum[t], e)))
			return rc;
		out->has_quorum[t] = 1;
	}
	if (!json_object_get(q, "election"))
		return bad(e, "quorum.election", "缺少选举时的到会比例");
	/* national floors no local set may go under: 选举条例 超过五分之四;
	 * 发展细则 第二十一条 赞成人数超过应到会有表决权的正式党员的半数 */
	if (!zb_frac_at_least(out->election, ZB_FRAC_ELECTION_MIN))
		return bad(e, "quorum.election",
		           "选举时有选举权的到会人数必须超过应到会人数的五分之四（选举条例），不能低于 {\"num\":4,\"den\":5,\"strict\":true}");
	if ((rc = get_frac(json_object_get(data, "resolution"), "resolution", &out->resolution, e)))
		return rc;
	if (!zb_frac_at_least(out->resolution, ZB_FRAC_MORE_HALF))
		return bad(e, "resolution", "表决通过须超过应到会有表决权人数的半数，不能低于 {\"num\":1,\"den\":2,\"strict\":true}");
	if ((rc = get_int(data, "backfill_days", "backfill_days", 0, 3650, &out->backfill_days, e)) ||
	    (rc = get_int(data, "unlock_days", "unlock_days", 1, 365, &out->unlock_days, e)))
		return rc;
	json_t *s = json_object_get(data, "signin");
	static const char *const signin_keys[] = {"ttl_minutes", "open_before_minutes", "default_minutes", NULL};
	if (!json_is_object(s))
		return bad(e, "signin", "应为对象");
	if ((rc = unknown_keys(s, "signin", signin_keys, e)) ||
	    (rc = get_int(s, "ttl_minutes", "signin.ttl_minutes", 1, 240, &out->signin_ttl_min, e)) ||
	    (rc = get_int(s, "open_before_minutes", "signin.open_before_minutes", 0, 1440, &out->signin_before_min, e)) ||
	    (rc = get_int(s, "default_minutes", "signin.default_minutes", 10, 1440, &out->default_min, e)))
		return rc;
	if ((rc = get_statuses(data, "roster_statuses", out->roster_statuses, e)) ||
	    (rc = get_statuses(data, "no_vote_statuses", out->no_vote_statuses, e)))
		return rc;
	json_t *risk = json_object_get(data, "risk");
	static const char *const risk_keys[] = {"months", "statuses", NULL};
	if (!json_is_object(risk))
		return bad(e, "risk", "应为对象");
	if ((rc = unknown_keys(risk, "risk", risk_keys, e)) || (rc = get_statuses(risk, "statuses", out->risk_statuses, e)))
		return rc;
	json_t *rm = json_object_get(risk, "months");
	if (!json_is_array(rm) || json_array_size(rm) != 3)
		return bad(e, "risk.months", "应为三个递增的月数，如 [3,5,6]");
	for (int i = 0; i < 3; i++) {
		json_t *x = json_array_get(rm, (size_t)i);
		if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 24 ||
		    (i && json_integer_value(x) <= out->risk_months[i - 1]))
			return bad(e, "risk.months", "应为三个递增的月数（1 到 24），如 [3,5,6]");
		out->risk_months[i] = (int)json_integer_value(x);
	}
	json_t *ap = json_object_get(data, "appraisal");
	static const char *const ap_keys[] = {"excellent_cap", NULL};
	if (!json_is_object(ap) || (rc = unknown_keys(ap, "appraisal", ap_keys, e)))
		return rc ? rc : bad(e, "appraisal", "应为对象");
	json_t *cap = json_object_get(ap, "excellent_cap");
	if (!json_is_number(cap) || json_number_value(cap) < 0 || json_number_value(cap) > 1)
		return bad(e, "appraisal.excellent_cap", "应为 0 到 1 之间的比例，如 0.3");
	out->excellent_cap = json_number_value(cap);
	json_t *tk = json_object_get(data, "talk");
	static const char *const tk_keys[] = {"committee_pairs", "secretary_with_committee", "members_under", NULL};
	if (!json_is_object(tk) || (rc = unknown_keys(tk, "talk", tk_keys, e)))
		return rc ? rc : bad(e, "talk", "应为对象");
	json_t *cp = json_object_get(tk, "committee_pairs"), *sw = json_object_get(tk, "secretary_with_committee");
	const char *mu = json_string_value(json_object_get(tk, "members_under"));
	if (!json_is_boolean(cp) || !json_is_boolean(sw))
		return bad(e, "talk", "committee_pairs 与 secretary_with_committee 应为 true 或 false");
	if (!mu || (strcmp(mu, "group_or_secretary") && strcmp(mu, "secretary") && strcmp(mu, "none")))
		return bad(e, "talk.members_under", "应为 group_or_secretary、secretary 或 none");
	out->talk_committee_pairs = json_is_true(cp);
	out->talk_secretary = json_is_true(sw);
	snprintf(out->talk_members_under, sizeof out->talk_members_under, "%s", mu);
	return check_source(data, e);
}

int zb_mfreq_validate(json_t *data, zb_err *e)
{
	zb_mfreq f;
	return zb_mfreq_parse(data, &f, e);
}

int zb_mrules_validate(json_t *data, zb_err *e)
{
	zb_mrules r;
	return zb_mrules_parse(data, &r, e);
}

/* ---- lookup ----
 *
 * Through the one rule loader (rules/rules.h): a snapshot per date of the
 * sets in force, resolved per org path in memory.  Compliance asks for at
 * most one date per month-end of a period, so the cache keeps the
 * snapshots by date and the parsed form by set id. */

#define CACHE_DATES 64

typedef struct parsed {
	int64_t id;
	zb_mfreq freq;
	zb_mrules rules;
} parsed;

struct zb_mrules_cache {
	zb_db *db;
	int is_freq;
	int ndates;
	char dates[CACHE_DATES][11];
	zb_rules *snap[CACHE_DATES];
	int nparsed;
	size_t cap;
	parsed *p;
};

void zb_mrules_cache_free(zb_mrules_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->ndates; i++)
		zb_rules_free(c->snap[i]);
	free(c->p);
	free(c);
}

int zb_mrules_cache_new(zb_db *db, const char *kind, zb_mrules_cache **out, zb_err *e)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	(*out)->db = db;
	(*out)->is_freq = !strcmp(kind, "meeting_freq");
	return 0;
}

static int resolve_parsed(zb_mrules_cache *c, const char *path, const char *date, parsed **out, zb_err *e)
{
	const char *kind = c->is_freq ? "meeting_freq" : "meeting_rules";
	zb_rules *rs = NULL;
	for (int i = 0; i < c->ndates; i++)
		if (!strcmp(c->dates[i], date))
			rs = c->snap[i];
	if (!rs) {
		int rc = zb_rules_load(c->db, kind, date, &rs, e);
		if (rc)
			return rc;
		if (c->ndates == CACHE_DATES) {
			/* a long period: drop the oldest snapshot */
			zb_rules_free(c->snap[0]);
			memmove(c->snap, c->snap + 1, sizeof c->snap[0] * (CACHE_DATES - 1));
			memmove(c->dates, c->dates + 1, sizeof c->dates[0] * (CACHE_DATES - 1));
			c->ndates--;
		}
		snprintf(c->dates[c->ndates], sizeof c->dates[0], "%s", date);
		c->snap[c->ndates++] = rs;
	}
	const zb_rule_set *s = zb_rules_for(rs, path);
	if (!s)
		return zb_fail(e, ZB_EINTERNAL, NULL, "缺少%s的全国默认规则（请运行 zhibu migrate）",
		               c->is_freq ? "组织生活频次" : "会议规则");
	for (int i = 0; i < c->nparsed; i++)
		if (c->p[i].id == s->id) {
			*out = &c->p[i];
			return 0;
		}
	if (ZB_GROW(c->p, (size_t)c->nparsed, c->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	parsed *p = &c->p[c->nparsed];
	memset(p, 0, sizeof *p);
	zb_err pe = {0};
	int rc = c->is_freq ? zb_mfreq_parse(s->data, &p->freq, &pe) : zb_mrules_parse(s->data, &p->rules, &pe);
	if (rc)
		return zb_fail(e, ZB_EINTERNAL, NULL, "规则集 %lld（%s）无效：%s", (long long)s->id, s->name ? s->name : "",
		               pe.msg);
	p->id = p->freq.set_id = p->rules.set_id = s->id;
	c->nparsed++;
	*out = p;
	return 0;
}

int zb_mrules_cache_freq(zb_mrules_cache *c, const char *org_path, const char *date, zb_mfreq *out, zb_err *e)
{
	parsed *p;
	int rc = resolve_parsed(c, org_path, date, &p, e);
	if (!rc)
		*out = p->freq;
	return rc;
}

int zb_mrules_cache_rules(zb_mrules_cache *c, const char *org_path, const char *date, zb_mrules *out, zb_err *e)
{
	parsed *p;
	int rc = resolve_parsed(c, org_path, date, &p, e);
	if (!rc)
		*out = p->rules;
	return rc;
}

int zb_mfreq_get(zb_db *db, const char *org_path, const char *date, zb_mfreq *out, zb_err *e)
{
	zb_mrules_cache *c;
	int rc = zb_mrules_cache_new(db, "meeting_freq", &c, e);
	if (!rc)
		rc = zb_mrules_cache_freq(c, org_path, date, out, e);
	zb_mrules_cache_free(c);
	return rc;
}

int zb_mrules_get(zb_db *db, const char *org_path, const char *date, zb_mrules *out, zb_err *e)
{
	zb_mrules_cache *c;
	int rc = zb_mrules_cache_new(db, "meeting_rules", &c, e);
	if (!rc)
		rc = zb_mrules_cache_rules(c, org_path, date, out, e);
	zb_mrules_cache_free(c);
	return rc;
}
