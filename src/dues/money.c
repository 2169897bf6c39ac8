/* money.c - fen, months, the rule of kind "dues" and the monthly due
 * (dues.h). */
#include "dues/dues.h"
#include "core/grow.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- money and months ---- */

#define MONEY_MAX_FEN 1000000000LL /* 10 000 000 yuan */

int zb_money_parse(const char *s, const char *field, const char *what, int64_t *fen, zb_err *e)
{
	*fen = 0;
	if (!s || !*s)
		return zb_fail(e, ZB_EINVAL, field, "请填写%s", what);
	int64_t yuan = 0, cents = 0;
	int digits = 0, decimals = -1;
	for (const char *p = s; *p; p++) {
		if (*p == '.') {
			if (decimals >= 0 || !digits)
				return zb_fail(e, ZB_EINVAL, field, "%s应为金额，如 3000.00", what);
			decimals = 0;
		} else if (*p >= '0' && *p <= '9') {
			if (decimals >= 0) {
				if (++decimals > 2)
					return zb_fail(e, ZB_EINVAL, field, "%s最多两位小数（精确到分）", what);
				cents = cents * 10 + (*p - '0');
			} else {
				if (++digits > 9)
					return zb_fail(e, ZB_EINVAL, field, "%s超出范围", what);
				yuan = yuan * 10 + (*p - '0');
			}
		} else if (*p == '-' && p == s) {
			return zb_fail(e, ZB_EINVAL, field, "%s不能为负数", what);
		} else {
			return zb_fail(e, ZB_EINVAL, field, "%s应为金额，如 3000.00", what);
		}
	}
	if (!digits || decimals == 0)
		return zb_fail(e, ZB_EINVAL, field, "%s应为金额，如 3000.00", what);
	if (decimals == 1)
		cents *= 10;
	int64_t v = yuan * 100 + cents;
	if (v > MONEY_MAX_FEN)
		return zb_fail(e, ZB_EINVAL, field, "%s超出范围", what);
	*fen = v;
	return 0;
}

void zb_money_text(int64_t fen, char out[24])
{
	const char *sign = fen < 0 ? "-" : "";
	int64_t a = fen < 0 ? -fen : fen;
	snprintf(out, 24, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
}

int zb_dues_ym_parse(const char *s, const char *field, int *ym, zb_err *e)
{
	*ym = 0;
	int ok = s && strlen(s) == 7 && s[4] == '-';
	for (int i = 0; ok && i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			ok = 0;
	int y = ok ? atoi(s) : 0, m = ok ? atoi(s + 5) : 0;
	if (!ok || y < 1921 || y > 2200 || m < 1 || m > 12)
		return zb_fail(e, ZB_EINVAL, field, "月份无效（应为 YYYY-MM，如 2026-01）");
	*ym = y * 100 + m;
	return 0;
}

void zb_dues_rate_text(int64_t paid, int64_t due, char out[16])
{
	if (due <= 0) {
		snprintf(out, 16, "100.00");
		return;
	}
	/* percent with two decimals = paid * 10000 / due, half up */
	int64_t p = paid < 0 ? 0 : paid;
	int64_t v = (p * 20000 / due + 1) / 2;
	if (v > 99999999)
		v = 99999999; /* no real sheet pays a million times its due */
	snprintf(out, 16, "%d.%02d", (int)(v / 100), (int)(v % 100));
}

/* ---- kinds ---- */

static const struct {
	const char *code, *name, *fixed_key;
} kinds[ZB_DK_COUNT] = {
	{"salary", "在职", NULL},
	{"pension", "离退休", NULL},
	{"farmer", "农民", "farmer_fen"},
	{"student", "学生", "student_fen"},
	{"unemployed", "下岗失业", "unemployed_fen"},
	{"relief", "依靠救济", "relief_fen"},
};

int zb_dues_kind_parse(const char *s)
{
	for (int i = 0; s && i < ZB_DK_COUNT; i++)
		if (!strcmp(kinds[i].code, s))
			return i;
	return -1;
}

const char *zb_dues_kind_code(int k)
{
	return k >= 0 && k < ZB_DK_COUNT ? kinds[k].code : "";
}

const char *zb_dues_kind_name(int k)
{
	return k >= 0 && k < ZB_DK_COUNT ? kinds[k].name : "";
}

/* ---- the rule ---- */

static int check_bands(json_t *data, const char *key, const char *what, zb_err *e)
{
	json_t *a = json_object_get(data, key);
	size_t n = json_array_size(a);
	if (!json_is_array(a) || n < 1 || n > ZB_DUES_MAX_BANDS)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 %s（%s交纳档次）应为 1 到 %d 个档次的数组", key, what,
		               ZB_DUES_MAX_BANDS);
	int64_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *b = json_array_get(a, i), *up = json_object_get(b, "upto_fen"), *pm = json_object_get(b, "permyriad");
		const char *k;
		json_t *v;
		if (!json_is_object(b))
			return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 的第 %zu 档应为对象", key, i + 1);
		json_object_foreach(b, k, v)
		{
			if (strcmp(k, "upto_fen") && strcmp(k, "permyriad"))
				return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 的第 %zu 档有不认识的项：%s", key, i + 1, k);
		}
		if (!json_is_integer(pm) || json_integer_value(pm) < 1 || json_integer_value(pm) > 1000)
			return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 第 %zu 档的比例 permyriad（万分之几）应为 1 到 1000 的整数",
			               key, i + 1);
		if (i + 1 == n) {
			if (up)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 的最后一档不设上限（不要 upto_fen）", key);
		} else if (!json_is_integer(up) || json_integer_value(up) <= prev || json_integer_value(up) > MONEY_MAX_FEN) {
			return zb_fail(e, ZB_EINVAL, "data", "规则项 %s 第 %zu 档的上限 upto_fen（分）应为递增的正整数", key,
			               i + 1);
		} else {
			prev = json_integer_value(up);
		}
	}
	return 0;
}

static int check_fen(json_t *data, const char *key, int64_t min, int64_t max, const char *what, zb_err *e)
{
	json_t *v = json_object_get(data, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 %s（%s，单位分）应为 %lld 到 %lld 之间的整数", key, what,
		               (long long)min, (long long)max);
	return 0;
}

int zb_dues_rules_validate(json_t *data, zb_err *e)
{
	static const char *const allowed[] = {"salary", "pension", "farmer_fen", "student_fen", "unemployed_fen",
	                                      "relief_fen", "voluntary_min_fen", "source", NULL};
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
	v = json_object_get(data, "source");
	if (v && (!json_is_string(v) || json_string_length(v) > 600))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 600 字节的文字");
	int rc;
	/* 中组发〔2008〕3号: 农民党员每月交纳党费0.2元至1元; 学生、下岗失业、
	 * 依靠救济的党员每月交纳0.2元 */
	if ((rc = check_bands(data, "salary", "在职党员", e)) || (rc = check_bands(data, "pension", "离退休党员", e)) ||
	    (rc = check_fen(data, "farmer_fen", 20, 100, "农民党员每月交纳（0.2 元至 1 元）", e)) ||
	    (rc = check_fen(data, "student_fen", 1, 100, "学生党员每月交纳", e)) ||
	    (rc = check_fen(data, "unemployed_fen", 1, 100, "下岗失业党员每月交纳", e)) ||
	    (rc = check_fen(data, "relief_fen", 1, 100, "依靠救济的党员每月交纳", e)) ||
	    (rc = check_fen(data, "voluntary_min_fen", 1, MONEY_MAX_FEN, "一次性自愿多交的最低金额", e)))
		return rc;
	return 0;
}

static int read_bands(json_t *a, zb_dues_band *out)
{
	int n = 0;
	for (size_t i = 0; i < json_array_size(a) && n < ZB_DUES_MAX_BANDS; i++, n++) {
		json_t *b = json_array_get(a, i);
		out[n].upto_fen = json_integer_value(json_object_get(b, "upto_fen"));
		out[n].permyriad = (int)json_integer_value(json_object_get(b, "permyriad"));
	}
	return n;
}

void zb_dues_rules_of(const zb_rule_set *s, zb_dues_rules *r)
{
	memset(r, 0, sizeof *r);
	r->set_id = s->id;
	r->nsalary = read_bands(json_object_get(s->data, "salary"), r->salary);
	r->npension = read_bands(json_object_get(s->data, "pension"), r->pension);
	for (int k = 0; k < ZB_DK_COUNT; k++)
		if (kinds[k].fixed_key)
			r->fixed_fen[k] = json_integer_value(json_object_get(s->data, kinds[k].fixed_key));
	r->voluntary_min_fen = json_integer_value(json_object_get(s->data, "voluntary_min_fen"));
}

static int64_t by_bands(const zb_dues_band *b, int n, int64_t base)
{
	for (int i = 0; i < n; i++)
		if (!b[i].upto_fen || base <= b[i].upto_fen || i + 1 == n)
			return (base * b[i].permyriad + 5000) / 10000;
	return 0;
}

int64_t zb_dues_monthly(const zb_dues_rules *r, int kind, int64_t base_fen)
{
	if (kind == ZB_DK_SALARY)
		return by_bands(r->salary, r->nsalary, base_fen);
	if (kind == ZB_DK_PENSION)
		return by_bands(r->pension, r->npension, base_fen);
	return kind >= 0 && kind < ZB_DK_COUNT ? r->fixed_fen[kind] : 0;
}

void zb_dues_eval(const zb_dues_rules *r, int join_ym, int ym, int has_base, int kind, int64_t base_fen, int red,
                  int64_t red_fen, int64_t paid_fen, zb_dues_month *out)
{
	memset(out, 0, sizeof *out);
	out->ym = ym;
	out->kind = has_base ? kind : -1;
	out->paid_fen = paid_fen;
	out->owes = has_base && join_ym && ym >= join_ym;
	if (has_base)
		out->base_fen = base_fen;
	if (out->owes) {
		out->standard_fen = zb_dues_monthly(r, kind, base_fen);
		out->due_fen = out->standard_fen;
		if (red == 2) {
			out->reduced = 2;
			out->due_fen = 0;
		} else if (red == 1 && red_fen < out->due_fen) {
			out->reduced = 1;
			out->due_fen = red_fen;
		}
	}
	out->owed_fen = out->due_fen > paid_fen ? out->due_fen - paid_fen : 0;
}

/* ---- rule snapshots by month ---- */

typedef struct rc_entry {
	int ym;
	zb_rules *rs;
} rc_entry;

struct zb_dues_rcache {
	zb_db *db;
	size_t n, cap;
	rc_entry *v;
};

int zb_dues_rcache_new(zb_db *db, zb_dues_rcache **out, zb_err *e)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	(*out)->db = db;
	return 0;
}

void zb_dues_rcache_free(zb_dues_rcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		zb_rules_free(c->v[i].rs);
	free(c->v);
	free(c);
}

/* The national default when no set is stored at all (a database without
 * migration 0029's row cannot exist, so this is only a guard). */
static const zb_dues_rules national = {
	0, 4, 2,
	{{300000, 50}, {500000, 100}, {1000000, 150}, {0, 200}},
	{{500000, 50}, {0, 100}},
	{0, 0, 20, 20, 20, 20},
	100000,
};

int zb_dues_rules_at(zb_dues_rcache *c, const char *org_path, int ym, zb_dues_rules *r, zb_err *e)
{
	size_t i = 0;
	while (i < c->n && c->v[i].ym != ym)
		i++;
	if (i == c->n) {
		char date[11];
		zb_md_ym_first(ym, date);
		zb_rules *rs;
		int rc = zb_rules_load(c->db, "dues", date, &rs, e);
		if (rc)
			return rc;
		if (ZB_GROW(c->v, c->n, c->cap)) {
			zb_rules_free(rs);
			return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		}
		c->v[c->n++] = (rc_entry){ym, rs};
	}
	const zb_rule_set *s = zb_rules_for(c->v[i].rs, org_path);
	if (s)
		zb_dues_rules_of(s, r);
	else
		*r = national;
	return 0;
}
