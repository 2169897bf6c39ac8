/* rule.c - 三务公开: the rule (kind "disclosure"), periods and deadlines,
 * and the search for personal data (disclose.h).  Pure but for the rule's
 * lookup. */
#include "disclose/disclose.h"

#include "core/date.h"
#include "member/idcard.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const zb_disclose_kinds[ZB_DK_MAX] = {"party", "village", "finance"};
const char *const zb_disclose_kind_names[ZB_DK_MAX] = {"党务", "村务", "财务"};

int zb_disclose_kind(const char *kind)
{
	for (int i = 0; kind && i < ZB_DK_MAX; i++)
		if (!strcmp(kind, zb_disclose_kinds[i]))
			return i;
	return -1;
}

/* ---- the rule ---- */

static char unit_of(json_t *v)
{
	const char *s = json_string_value(v);
	return !s ? 0 : !strcmp(s, "month") ? 'm' : !strcmp(s, "quarter") ? 'q' : 0;
}

int zb_disclose_rules_validate(json_t *data, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		if (zb_disclose_kind(key) >= 0) {
			if (!unit_of(v))
				return zb_fail(e, ZB_EINVAL, "data", "规则项 %s（公开周期）应为 \"month\"（每月）或 \"quarter\"（每季度）", key);
		} else if (!strcmp(key, "deadline_days")) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 60)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 deadline_days（期满后几日内公开）应为 0 到 60 之间的整数");
		} else if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 400 字节的文字");
		} else {
			return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
		}
	}
	for (int k = 0; k < ZB_DK_MAX; k++)
		if (!json_object_get(data, zb_disclose_kinds[k]))
			return zb_fail(e, ZB_EINVAL, "data", "缺少规则项 %s（%s的公开周期）", zb_disclose_kinds[k],
			               zb_disclose_kind_names[k]);
	if (!json_object_get(data, "deadline_days"))
		return zb_fail(e, ZB_EINVAL, "data", "缺少规则项 deadline_days（期满后几日内公开）");
	return 0;
}

void zb_disclose_rules_from(const zb_rule_set *s, zb_disclose_rules *r)
{
	/* the national default of migration 0033, should no set be found */
	*r = (zb_disclose_rules){0, {'q', 'q', 'm'}, 10};
	if (!s)
		return;
	r->set_id = s->id;
	json_t *days = json_object_get(s->data, "deadline_days");
	if (json_is_integer(days))
		r->deadline_days = (int)json_integer_value(days);
	for (int k = 0; k < ZB_DK_MAX; k++)
		if (unit_of(json_object_get(s->data, zb_disclose_kinds[k])))
			r->unit[k] = unit_of(json_object_get(s->data, zb_disclose_kinds[k]));
}

int zb_disclose_rules_get(zb_db *db, const char *org_path, const char *date, zb_disclose_rules *r, zb_err *e)
{
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "disclosure", date, &rs, e);
	if (!rc)
		zb_disclose_rules_from(zb_rules_for(rs, org_path), r);
	zb_rules_free(rs);
	return rc;
}

/* ---- periods ---- */

static int all_digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static void month_end(int y, int m, char out[11])
{
	char first[11];
	snprintf(first, sizeof first, "%04d-%02d-01", y, m);
	char next[11];
	zb_date_add_months(first, 1, next);
	zb_date_add_days(next, -1, out);
}

int zb_disclose_period(const char *p, char *unit, char first[11], char last[11])
{
	size_t n = p ? strlen(p) : 0;
	if (n == 10 && zb_date_valid(p)) {
		*unit = 'e';
		memcpy(first, p, 11);
		memcpy(last, p, 11);
		return 0;
	}
	if (n != 7 || !all_digits(p, 4) || p[4] != '-')
		return -1;
	int y = atoi(p);
	if (y < 1990 || y > 2200)
		return -1;
	if (p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
		int q = p[6] - '0';
		*unit = 'q';
		snprintf(first, 11, "%04d-%02d-01", y, q * 3 - 2);
		month_end(y, q * 3, last);
		return 0;
	}
	if (!all_digits(p + 5, 2))
		return -1;
	int m = atoi(p + 5);
	if (m < 1 || m > 12)
		return -1;
	*unit = 'm';
	snprintf(first, 11, "%04d-%02d-01", y, m);
	month_end(y, m, last);
	return 0;
}

void zb_disclose_deadline(const char *last, int deadline_days, char out[11])
{
	zb_date_add_days(last, deadline_days, out);
}

void zb_disclose_period_of(char unit, const char *date, char out[16])
{
	int y = atoi(date), m = atoi(date + 5);
	if (unit == 'q')
		snprintf(out, 16, "%04d-Q%d", y % 10000, (m + 2) / 3 % 10);
	else
		snprintf(out, 16, "%04d-%02d", y % 10000, m % 100);
}

int zb_disclose_period_check(const zb_disclose_rules *r, int kind, const char *period, zb_err *e)
{
	char unit, first[11], last[11];
	if (zb_disclose_period(period, &unit, first, last))
		return zb_fail(e, ZB_EINVAL, "period", "公开期间格式不对：%s（应为 2026-03 这样的月份、2026-Q1 这样的季度，或党务事项的日期 2026-03-15）",
		               period ? period : "");
	if (unit == 'e' && kind == ZB_DK_PARTY)
		return 0;
	if (unit != r->unit[kind])
		return zb_fail(e, ZB_EINVAL, "period", "%s按%s公开：期间应写作 %s", zb_disclose_kind_names[kind],
		               r->unit[kind] == 'm' ? "月" : "季度", r->unit[kind] == 'm' ? "2026-03 这样的月份" : "2026-Q1 这样的季度");
	return 0;
}

/* ---- personal data ---- */

/* The digit at s (ASCII or full-width U+FF10..U+FF19) and its width in
 * bytes; 0 if none. */
static int digit_at(const unsigned char *s, char *d)
{
	if (*s >= '0' && *s <= '9') {
		*d = (char)*s;
		return 1;
	}
	if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
		*d = (char)('0' + (s[2] - 0x90));
		return 3;
	}
	return 0;
}

/* An X or x as an ID number's last character (ASCII or full-width). */
static int x_at(const unsigned char *s)
{
	if (*s == 'X' || *s == 'x')
		return 1;
	if (s[0] == 0xEF && s[1] == 0xBC && s[2] == 0xB8)
		return 3;
	if (s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x98)
		return 3;
	return 0;
}

/* A run of digits at s: up to max digits into out, separators (one space
 * or hyphen between groups) allowed when sep; returns the bytes read and
 * the digits in *nd, the group lengths in groups[] (at most 4). */
static size_t run_at(const unsigned char *s, char *out, int max, int *nd, int sep, int *groups, int *ngroups)
{
	size_t at = 0;
	int n = 0, g = 0, glen = 0;
	for (;;) {
		char d;
		int w = digit_at(s + at, &d);
		if (w) {
			if (n < max)
				out[n] = d;
			n++;
			glen++;
			at += (size_t)w;
			continue;
		}
		if (sep && glen && (s[at] == ' ' || s[at] == '-') && digit_at(s + at + 1, &d)) {
			if (g < 4)
				groups[g] = glen;
			g++;
			glen = 0;
			at++;
			continue;
		}
		break;
	}
	if (g < 4)
		groups[g] = glen;
	*ngroups = g + 1;
	*nd = n;
	return at;
}

static int is_mobile(const char *d)
{
	return d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

static int valid_id(const char *id, int today_ymd)
{
	zb_idcard c;
	zb_err ignore = {0};
	return !zb_idcard_parse(id, today_ymd, &c, &ignore);
}

int zb_disclose_pii_find(const char *s, int today_ymd, const char **what)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		char d;
		if (!digit_at(p, &d)) {
			p++;
			continue;
		}
		/* a run of digits, bounded by what is not a digit */
		char dig[24], id[19];
		int nd, groups[4], ng;
		size_t len = run_at(p, dig, 20, &nd, 0, groups, &ng);
		int xw = nd == 17 ? x_at(p + len) : 0;
		if (xw && !digit_at(p + len + xw, &d)) {
			memcpy(id, dig, 17);
			memcpy(id + 17, "X", 2);
			if (valid_id(id, today_ymd))
				return *what = "身份证号", 1;
		}
		if (nd == 18) {
			memcpy(id, dig, 18);
			id[18] = '\0';
			if (valid_id(id, today_ymd))
				return *what = "身份证号", 1;
		}
		if (nd == 11 && is_mobile(dig))
			return *what = "手机号", 1;
		/* 138 1234 5678, 138-1234-5678 */
		run_at(p, dig, 20, &nd, 1, groups, &ng);
		if (nd == 11 && ng == 3 && groups[0] == 3 && groups[1] == 4 && groups[2] == 4 && is_mobile(dig))
			return *what = "手机号", 1;
		p += len;
	}
	return 0;
}

/* ---- tables ---- */

#define MAX_TABLES 10
#define MAX_COLS 30
#define MAX_ROWS 500
#define MAX_CELL 500

static int cell_ok(json_t *c)
{
	return json_is_number(c) || (json_is_string(c) && json_string_length(c) <= MAX_CELL);
}

int zb_disclose_tables_check(json_t *tables, zb_err *e)
{
	if (!tables || json_is_null(tables))
		return 0;
	if (!json_is_array(tables))
		return zb_fail(e, ZB_EINVAL, "tables", "表格应为数组：[{title, columns, rows}]");
	if (json_array_size(tables) > MAX_TABLES)
		return zb_fail(e, ZB_EINVAL, "tables", "一个公开事项最多 %d 张表", MAX_TABLES);
	size_t i, j, k;
	json_t *t;
	json_array_foreach(tables, i, t)
	{
		char f[96];
		snprintf(f, sizeof f, "tables[%zu]", i);
		if (!json_is_object(t))
			return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表应为对象 {title, columns, rows}", i + 1);
		const char *key;
		json_t *v;
		json_object_foreach(t, key, v)
		{
			if (strcmp(key, "title") && strcmp(key, "columns") && strcmp(key, "rows"))
				return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表有不认识的项：%s", i + 1, key);
		}
		json_t *title = json_object_get(t, "title"), *cols = json_object_get(t, "columns"),
		       *rows = json_object_get(t, "rows");
		if (title && !json_is_null(title) && (!json_is_string(title) || json_string_length(title) > 200))
			return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表的标题应为不超过 200 字节的文字", i + 1);
		size_t nc = json_array_size(cols);
		if (!json_is_array(cols) || nc < 1 || nc > MAX_COLS)
			return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表应有 1 到 %d 列（columns）", i + 1, MAX_COLS);
		json_array_foreach(cols, j, v)
		{
			if (!json_is_string(v) || json_string_length(v) > 100)
				return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表第 %zu 列的列名应为不超过 100 字节的文字", i + 1, j + 1);
		}
		if (!json_is_array(rows) || json_array_size(rows) > MAX_ROWS)
			return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表的行（rows）应为数组，最多 %d 行", i + 1, MAX_ROWS);
		json_t *row;
		json_array_foreach(rows, j, row)
		{
			snprintf(f, sizeof f, "tables[%zu].rows[%zu]", i, j);
			if (!json_is_array(row) || json_array_size(row) != nc)
				return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表第 %zu 行应有 %zu 格，与列数相同", i + 1, j + 1, nc);
			json_array_foreach(row, k, v)
			{
				if (!cell_ok(v))
					return zb_fail(e, ZB_EINVAL, f, "第 %zu 张表第 %zu 行第 %zu 列应为数字或不超过 %d 字节的文字",
					               i + 1, j + 1, k + 1, MAX_CELL);
			}
		}
	}
	return 0;
}

static int pii_fail(zb_err *e, const char *field, const char *where, const char *what)
{
	return zb_fail(e, ZB_EINVAL, field, "%s含有疑似%s的内容：公开前请删除或打码（如 %s）",
	               where, what, !strcmp(what, "手机号") ? "138****5678" : "110101********1234");
}

int zb_disclose_pii_check(const char *title, const char *body, const char *tables_json, int today_ymd, zb_err *e)
{
	const char *what;
	if (zb_disclose_pii_find(title, today_ymd, &what))
		return pii_fail(e, "title", "标题", what);
	if (zb_disclose_pii_find(body, today_ymd, &what))
		return pii_fail(e, "body", "正文", what);
	json_t *tables = tables_json ? json_loads(tables_json, 0, NULL) : NULL;
	size_t i, j, k;
	json_t *t, *row, *c;
	int rc = 0;
	json_array_foreach(tables, i, t)
	{
		if (!rc && zb_disclose_pii_find(json_string_value(json_object_get(t, "title")), today_ymd, &what)) {
			char f[96], where[128];
			snprintf(f, sizeof f, "tables[%zu].title", i);
			snprintf(where, sizeof where, "第 %zu 张表的标题", i + 1);
			rc = pii_fail(e, f, where, what);
		}
		json_array_foreach(json_object_get(t, "columns"), j, c)
		{
			if (!rc && zb_disclose_pii_find(json_string_value(c), today_ymd, &what)) {
				char f[96], where[128];
				snprintf(f, sizeof f, "tables[%zu].columns[%zu]", i, j);
				snprintf(where, sizeof where, "第 %zu 张表第 %zu 列的列名", i + 1, j + 1);
				rc = pii_fail(e, f, where, what);
			}
		}
		json_array_foreach(json_object_get(t, "rows"), j, row)
		{
			json_array_foreach(row, k, c)
			{
				char num[32];
				const char *s = json_string_value(c);
				if (json_is_integer(c)) {
					snprintf(num, sizeof num, "%lld", (long long)json_integer_value(c));
					s = num;
				}
				if (!rc && zb_disclose_pii_find(s, today_ymd, &what)) {
					char f[96], where[128];
					snprintf(f, sizeof f, "tables[%zu].rows[%zu][%zu]", i, j, k);
					snprintf(where, sizeof where, "第 %zu 张表第 %zu 行第 %zu 列", i + 1, j + 1, k + 1);
					rc = pii_fail(e, f, where, what);
				}
			}
		}
	}
	json_decref(tables);
	return rc;
}
