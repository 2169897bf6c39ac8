/* scheme.c - the points schemes (rule kinds "points", "points_secretary")
 * and the pure ledger: which item an event earns, caps per period. */
#include "points/points.h"
#include "meeting/mrules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *name;
	unsigned which;          /* bit 1: members, bit 2: secretaries */
} srcs[ZB_PS_COUNT] = {
	[ZB_PS_ATTENDANCE] = {"attendance", "组织生活出席", 1},
	[ZB_PS_DUES] = {"dues", "按时交纳党费", 1},
	[ZB_PS_STUDY] = {"study", "学习教育学时", 1},
	[ZB_PS_DESIGNATION] = {"designation", "先锋岗、责任区", 1},
	[ZB_PS_AID_VISIT] = {"aid_visit", "帮扶走访", 1},
	[ZB_PS_DUTY_REPORT] = {"duty_report", "述职评议等次", 2},
	[ZB_PS_COMPLIANCE] = {"compliance", "三会一课落实", 2},
	[ZB_PS_RATING] = {"rating", "支部星级", 2},
	[ZB_PS_MANUAL] = {"manual", "人工认定（支部委员会审核）", 3},
};

/* Sources a scheme may never count: time online, check-ins, log-ins. */
static const char *const refused[] = {"online", "online_time", "time_online", "checkin", "check_in", "daily",
                                      "daily_checkin", "signin", "sign_in", "login", "reading_time", "clicks", NULL};

const char *zb_pts_src_code(int src)
{
	return src >= 0 && src < ZB_PS_COUNT ? srcs[src].code : NULL;
}

const char *zb_pts_src_name(int src)
{
	return src >= 0 && src < ZB_PS_COUNT ? srcs[src].name : NULL;
}

static const char *const grade_keys[4] = {"good", "fair", "average", "poor"};
static const char *const period_codes[3] = {"month", "quarter", "year"};

/* A number with at most one decimal within [lo, hi] into tenths. */
static int tenths(json_t *v, int lo10, int hi10, int *out)
{
	if (!json_is_number(v))
		return -1;
	double x = json_number_value(v) * 10, r = round(x);
	if (fabs(x - r) > 1e-6 || r < lo10 || r > hi10)
		return -1;
	*out = (int)r;
	return 0;
}

static int bad(zb_err *e, int i, const char *key, const char *msg)
{
	char field[48];
	snprintf(field, sizeof field, "data.items[%d].%s", i, key);
	return zb_fail(e, ZB_EINVAL, field, "积分项第 %d 项的 %s：%s", i + 1, key, msg);
}

static int parse_item(json_t *o, int i, int which, zb_arena *a, zb_pts_item *it, zb_err *e)
{
	static const char *const allowed[] = {"key", "name", "source", "points", "per", "cap", "period", "types",
	                                      "grades", NULL};
	if (!json_is_object(o))
		return zb_fail(e, ZB_EINVAL, "data.items", "积分项第 %d 项应为对象", i + 1);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		const char *const *p = allowed;
		while (*p && strcmp(*p, k))
			p++;
		if (!*p)
			return bad(e, i, k, "不认识的字段");
	}
	const char *key = json_string_value(json_object_get(o, "key"));
	size_t kl = key ? strlen(key) : 0;
	if (!kl || kl > 32 || strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_") != kl)
		return bad(e, i, "key", "应为 1 到 32 个小写字母、数字或下划线");
	const char *name = json_string_value(json_object_get(o, "name"));
	if (!name || !*name || strlen(name) > 120)
		return bad(e, i, "name", "请填写积分项名称（至多 120 字节）");
	const char *src = json_string_value(json_object_get(o, "source"));
	if (!src)
		return bad(e, i, "source", "请填写来源类型");
	for (const char *const *r = refused; *r; r++)
		if (!strcmp(*r, src))
			return bad(e, i, "source",
			           "不设在线时长、每日签到、登录一类的积分项（防止“指尖上的形式主义”：不得设置强制打卡、在线时长等）");
	int s = 0;
	while (s < ZB_PS_COUNT && strcmp(srcs[s].code, src))
		s++;
	if (s == ZB_PS_COUNT || !(srcs[s].which & (which == ZB_PTS_SECRETARY ? 2u : 1u)))
		return bad(e, i, "source",
		           which == ZB_PTS_SECRETARY ? "书记积分的来源应为 duty_report、compliance、rating 或 manual"
		                                     : "党员积分的来源应为 attendance、dues、study、designation、aid_visit 或 manual");
	memset(it, 0, sizeof *it);
	it->key = zb_arena_strdup(a, key);
	it->name = zb_arena_strdup(a, name);
	it->src = s;
	it->period = ZB_PP_YEAR;
	json_t *pv = json_object_get(o, "period");
	if (pv) {
		const char *p = json_string_value(pv);
		int j = 0;
		while (p && j < 3 && strcmp(period_codes[j], p))
			j++;
		if (!p || j == 3)
			return bad(e, i, "period", "周期应为 month（月）、quarter（季度）或 year（年度）");
		it->period = j;
	} else if (json_object_get(o, "cap") || s == ZB_PS_COMPLIANCE)
		return bad(e, i, "period", "设上限或按期评定的积分项须写明周期（month、quarter、year）");
	if (s == ZB_PS_COMPLIANCE && it->period == ZB_PP_MONTH)
		return bad(e, i, "period", "三会一课按季度或年度评定");
	if (s == ZB_PS_DUTY_REPORT) {
		json_t *g = json_object_get(o, "grades");
		if (!json_is_object(g) || json_object_size(g) != 4)
			return bad(e, i, "grades", "应为四个等次的分值：good（好）、fair（较好）、average（一般）、poor（差）");
		for (int j = 0; j < 4; j++)
			if (tenths(json_object_get(g, grade_keys[j]), -1000, 1000, &it->grade10[j]))
				return bad(e, i, "grades", "每个等次的分值应为 -100 到 100 之间、至多一位小数的数");
		if (!(it->grade10[0] >= it->grade10[1] && it->grade10[1] >= it->grade10[2] && it->grade10[2] >= it->grade10[3]))
			return bad(e, i, "grades", "等次越高分值应不低于下一等次（好 ≥ 较好 ≥ 一般 ≥ 差）");
		if (json_object_get(o, "points"))
			return bad(e, i, "points", "述职评议按等次计分（grades），不另设 points");
	} else {
		if (json_object_get(o, "grades"))
			return bad(e, i, "grades", "只有述职评议（duty_report）按等次计分");
		if (tenths(json_object_get(o, "points"), -1000, 1000, &it->points10) || !it->points10)
			return bad(e, i, "points", "应为 -100 到 100 之间、不为 0、至多一位小数的数");
		if (it->points10 < 0 && s != ZB_PS_MANUAL)
			return bad(e, i, "points", "扣分只能是人工认定的项（source manual），由支部委员会审核");
	}
	json_t *per = json_object_get(o, "per");
	if (s == ZB_PS_STUDY) {
		it->per10 = 10;
		if (per && (tenths(per, 1, 1000, &it->per10)))
			return bad(e, i, "per", "每多少学时计一次分：0.1 到 100 之间、至多一位小数");
	} else if (per)
		return bad(e, i, "per", "只有学时（study）按学时数计分");
	json_t *cap = json_object_get(o, "cap");
	if (cap && tenths(cap, 1, 10000, &it->cap10))
		return bad(e, i, "cap", "每期上限应为 0.1 到 1000 之间、至多一位小数的数（扣分项按扣分的绝对值）");
	json_t *types = json_object_get(o, "types");
	if (s == ZB_PS_ATTENDANCE) {
		if (!json_is_array(types) || !json_array_size(types))
			return bad(e, i, "types", "请列出计分的会议类型（如 plenary、group、lecture、theme_day）");
		size_t j;
		json_t *t;
		json_array_foreach(types, j, t)
		{
			int mt = zb_mtype_from(json_string_value(t));
			if (mt < 0 || mt == ZB_MT_TALK)
				return bad(e, i, "types", "会议类型应为组织生活的类型（plenary、committee、group、lecture、theme_day、life_meeting、appraisal、other）");
			it->types |= 1u << mt;
		}
	} else if (types)
		return bad(e, i, "types", "只有组织生活出席（attendance）按会议类型计分");
	return 0;
}

int zb_pts_scheme_parse(json_t *data, int which, zb_arena *a, zb_pts_scheme *out, zb_err *e)
{
	static const char *const allowed[] = {"base", "ranking", "items", "source", NULL};
	memset(out, 0, sizeof *out);
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为 JSON 对象");
	const char *k;
	json_t *v;
	json_object_foreach(data, k, v)
	{
		const char *const *p = allowed;
		while (*p && strcmp(*p, k))
			p++;
		if (!*p)
			return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", k);
	}
	if (tenths(json_object_get(data, "base"), 0, 10000, &out->base10))
		return zb_fail(e, ZB_EINVAL, "data.base", "规则项 base（基础分）应为 0 到 1000 之间、至多一位小数的数");
	json_t *r = json_object_get(data, "ranking");
	if (r && !json_is_boolean(r))
		return zb_fail(e, ZB_EINVAL, "data.ranking", "规则项 ranking（支部内积分排名）应为 true 或 false");
	out->ranking = json_is_true(r);
	json_t *s = json_object_get(data, "source");
	if (s && (!json_is_string(s) || json_string_length(s) > 800))
		return zb_fail(e, ZB_EINVAL, "data.source", "规则项 source（依据）应为不超过 800 字节的文字");
	json_t *items = json_object_get(data, "items");
	if (!json_is_array(items) || !json_array_size(items) || json_array_size(items) > 40)
		return zb_fail(e, ZB_EINVAL, "data.items", "规则项 items（积分项）应为 1 到 40 项的数组");
	out->n = (int)json_array_size(items);
	out->items = zb_arena_alloc(a, sizeof *out->items * (size_t)out->n);
	for (int i = 0; i < out->n; i++) {
		int rc = parse_item(json_array_get(items, (size_t)i), i, which, a, &out->items[i], e);
		if (rc)
			return rc;
		for (int j = 0; j < i; j++)
			if (!strcmp(out->items[j].key, out->items[i].key))
				return bad(e, i, "key", "与前面的积分项重复");
	}
	return 0;
}

static int validate(json_t *data, int which, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_pts_scheme s;
	int rc = zb_pts_scheme_parse(data, which, &a, &s, e);
	zb_arena_free(&a);
	return rc;
}

int zb_points_rules_validate(json_t *data, zb_err *e)
{
	return validate(data, ZB_PTS_MEMBER, e);
}

int zb_points_secretary_rules_validate(json_t *data, zb_err *e)
{
	return validate(data, ZB_PTS_SECRETARY, e);
}

const zb_pts_item *zb_pts_item_of(const zb_pts_scheme *s, const char *key)
{
	for (int i = 0; s && key && i < s->n; i++)
		if (!strcmp(s->items[i].key, key))
			return &s->items[i];
	return NULL;
}

/* ---- the ledger ---- */

static int by_date(const void *x, const void *y)
{
	const zb_pts_event *a = x, *b = y;
	int c = strcmp(a->date, b->date);
	return c ? c : strcmp(a->source ? a->source : "", b->source ? b->source : "");
}

static const char *period_label(int period, const char *date, zb_arena *a)
{
	if (period == ZB_PP_MONTH)
		return zb_arena_printf(a, "%.7s", date);
	if (period == ZB_PP_QUARTER)
		return zb_arena_printf(a, "%.4sQ%d", date, (atoi(date + 5) - 1) / 3 + 1);
	return zb_arena_printf(a, "%.4s", date);
}

static const char *const period_names[3] = {"本月", "本季度", "本年度"};

/* What an event earns from an item before the cap, or 0 when it does not
 * match (attendance at another type). */
static int earn(const zb_pts_item *it, const zb_pts_event *ev, int *match)
{
	*match = it->src == ev->src;
	if (!*match)
		return 0;
	switch (ev->src) {
	case ZB_PS_ATTENDANCE:
		*match = ev->mtype >= 0 && (it->types & (1u << ev->mtype));
		return *match ? it->points10 : 0;
	case ZB_PS_STUDY:
		return (int)((int64_t)ev->units10 * it->points10 / it->per10);
	case ZB_PS_COMPLIANCE:
		*match = ev->mtype == it->period;
		return *match ? it->points10 : 0;
	case ZB_PS_RATING:
		return ev->units10 * it->points10 / 10;
	case ZB_PS_DUTY_REPORT:
		return ev->grade >= 0 && ev->grade < 4 ? it->grade10[ev->grade] : 0;
	case ZB_PS_MANUAL:
		*match = ev->key && !strcmp(ev->key, it->key);
		return *match ? it->points10 : 0;
	default:
		return it->points10;
	}
}

typedef struct used {
	const char *key, *period;
	int sum10;
} used;

static char *pts_text(int p10, zb_arena *a)
{
	return p10 % 10 ? zb_arena_printf(a, "%d.%d", p10 / 10, abs(p10 % 10)) : zb_arena_printf(a, "%d", p10 / 10);
}

void zb_pts_apply(const zb_pts_scheme *schemes, int nschemes, int year, zb_pts_event *ev, int nev, zb_arena *a,
                  zb_pts_ledger *out)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	if (nev)
		qsort(ev, (size_t)nev, sizeof *ev, by_date);
	size_t cap = (size_t)nev + 1;
	out->rows = zb_arena_alloc(a, sizeof *out->rows * cap);
	used *u = zb_arena_alloc(a, sizeof *u * cap);
	int nu = 0;
	if (nschemes > 0) {
		out->scheme = &schemes[nschemes - 1];
		out->ranking = schemes[nschemes - 1].ranking;
		zb_pts_row *b = &out->rows[out->n++];
		snprintf(b->date, sizeof b->date, "%04u-01-01", (unsigned)year % 10000u);
		b->key = "base";
		b->rule = "基础分";
		b->reason = "积分方案的基础分（每年一次，计入总分）";
		b->source = zb_arena_printf(a, "scheme:%lld", (long long)schemes[0].rule_id);
		b->period = period_label(ZB_PP_YEAR, b->date, a);
		b->status = "counted";
		b->points10 = schemes[0].base10;
		out->total10 += b->points10;
	}
	for (int i = 0; i < nev; i++) {
		const zb_pts_scheme *s = NULL;
		for (int j = 0; j < nschemes; j++)
			if (j == 0 || strcmp(schemes[j].from, ev[i].date) <= 0)
				s = &schemes[j];
		for (int k = 0; s && k < s->n; k++) {
			const zb_pts_item *it = &s->items[k];
			int match, p = earn(it, &ev[i], &match);
			if (!match)
				continue;
			if ((size_t)out->n == cap) {
				zb_pts_row *more = zb_arena_alloc(a, sizeof *more * cap * 2);
				memcpy(more, out->rows, sizeof *more * cap);
				used *mu = zb_arena_alloc(a, sizeof *mu * cap * 2);
				memcpy(mu, u, sizeof *mu * cap);
				out->rows = more;
				u = mu;
				cap *= 2;
			}
			zb_pts_row *r = &out->rows[out->n++];
			snprintf(r->date, sizeof r->date, "%s", ev[i].date);
			r->key = it->key;
			r->rule = it->name;
			r->source = ev[i].source;
			r->period = period_label(it->period, ev[i].date, a);
			r->reason = ev[i].reason;
			r->status = "counted";
			if (ev[i].pending) {
				r->status = "pending";
				r->reason = zb_arena_printf(a, "%s（待支部委员会审核，通过后计 %s 分，现不计入总分）", ev[i].reason,
				                            pts_text(p, a));
				continue;
			}
			if (it->cap10) {
				int j = 0;
				while (j < nu && (strcmp(u[j].key, it->key) || strcmp(u[j].period, r->period)))
					j++;
				if (j == nu)
					u[nu++] = (used){it->key, r->period, 0};
				int left = it->cap10 - abs(u[j].sum10);
				if (left <= 0) {
					r->status = "capped";
					r->reason = zb_arena_printf(a, "%s（超出%s上限 %s 分，不计分）", ev[i].reason,
					                            period_names[it->period], pts_text(it->cap10, a));
					p = 0;
				} else if (abs(p) > left) {
					r->status = "capped";
					r->reason = zb_arena_printf(a, "%s（达到%s上限 %s 分，只计 %s 分）", ev[i].reason,
					                            period_names[it->period], pts_text(it->cap10, a),
					                            pts_text(p < 0 ? -left : left, a));
					p = p < 0 ? -left : left;
				}
				u[j].sum10 += p;
			}
			r->points10 = p;
			out->total10 += p;
		}
	}
}
