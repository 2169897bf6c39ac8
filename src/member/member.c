/* member.c - the roster record: cleaning, rules, protection, storage. */
#include "member/member.h"
#include "member/history.h"
#include "member/probation.h"
#include "core/date.h"
#include "core/grow.h"

#include "audit/audit.h"
#include "auth/authz.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "io/table.h"
#include "member/idcard.h"
#include "org/after.h"
#include "org/org.h"
#include "rules/rules.h"
#include "text/pinyin.h"

#include <jansson.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define OFF(f) offsetof(zb_member, f)

#define FIELD_ROW(bit, json, label, type, bytes, chars, flags, editor, hint) \
	{bit, #json, label, OFF(json), type, bytes, chars, (flags) | ZB_MFF_EDITOR_##editor, hint},
const zb_member_field zb_member_fields[] = {
	ZB_MEMBER_FIELDS(FIELD_ROW){0, NULL, NULL, 0, 0, 0, 0, 0, NULL},
};
#undef FIELD_ROW

const zb_member_field *zb_member_field_of(unsigned bit)
{
	for (const zb_member_field *f = zb_member_fields; f->json; f++)
		if (f->bit == bit)
			return f;
	return NULL;
}

const char **zb_member_field_ptr(zb_member *m, const zb_member_field *f)
{
	return (const char **)((char *)m + f->off);
}

static const char *const *cfield(const zb_member *m, const zb_member_field *f)
{
	return (const char *const *)((const char *)m + f->off);
}

void zb_member_copy_given(zb_member *dst, const zb_member *src, unsigned given)
{
	for (const zb_member_field *f = zb_member_fields; f->json; f++)
		if (given & f->bit)
			*zb_member_field_ptr(dst, f) = *cfield(src, f);
}

/* ---- code tables ------------------------------------------------------- */

typedef struct {
	const char *code, *name;
	const char *alt[6];
} code_row;

static const code_row genders[] = {
	{"M", "男", {"m", "男性", "男士"}},
	{"F", "女", {"f", "女性", "女士"}},
};
static const code_row categories[] = {
	{"full", "正式党员", {"正式", "中共党员", "党员"}},
	{"probationary", "预备党员", {"预备", "中共预备党员"}},
};
static const code_row statuses[] = {
	{"normal", "正常", {"正常党员", "在册"}},
	{"mobile", "流动", {"流动党员"}},
	{"lost", "失联", {"失联党员", "失去联系"}},
	{"abroad", "出国（境）", {"出国(境)", "出国境", "出国", "出境", "出国（境）党员"}},
	{"suspended", "停止党籍", {"停止党籍党员"}},
	{"removed", "出党", {"除名", "开除党籍", "退党", "劝退"}},
	{"deceased", "死亡", {"去世", "已故", "病故", "逝世"}},
	{"transferred", "已转出", {"转出", "组织关系已转出"}},
};
static const code_row designations[] = {
	{"pioneer_post", "先锋岗", {"党员先锋岗"}},
	{"model_post", "示范岗", {"党员示范岗"}},
	{"duty_zone", "责任区", {"党员责任区"}},
};

static const char *code_from(const code_row *t, size_t n, const char *s)
{
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(t[i].code, s) || !strcmp(t[i].name, s))
			return t[i].code;
		for (size_t j = 0; j < N(t[i].alt) && t[i].alt[j]; j++)
			if (!strcmp(t[i].alt[j], s))
				return t[i].code;
	}
	return NULL;
}

static const char *code_name(const code_row *t, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(t[i].code, code))
			return t[i].name;
	return NULL;
}

const char *zb_gender_from(const char *s) { return code_from(genders, N(genders), s); }
const char *zb_gender_name(const char *c) { return code_name(genders, N(genders), c); }
const char *zb_category_from(const char *s) { return code_from(categories, N(categories), s); }
const char *zb_category_name(const char *c) { return code_name(categories, N(categories), c); }
const char *zb_status_from(const char *s) { return code_from(statuses, N(statuses), s); }
const char *zb_status_name(const char *c) { return code_name(statuses, N(statuses), c); }
const char *zb_designation_from(const char *s) { return code_from(designations, N(designations), s); }
const char *zb_designation_name(const char *c) { return code_name(designations, N(designations), c); }

/* The categories of the annual party statistics (党内统计), named as the
 * web app lists them; the variants are what rosters really contain. */
const char *const zb_educations[] = {"研究生", "大学本科", "大学专科", "中等专科", "高中", "初中", "小学及以下", NULL};
static const struct {
	const char *alias, *canon;
} education_alias[] = {
	{"博士研究生", "研究生"}, {"硕士研究生", "研究生"}, {"博士", "研究生"}, {"硕士", "研究生"},
	{"研究生及以上", "研究生"}, {"在职研究生", "研究生"}, {"本科", "大学本科"}, {"大学", "大学本科"},
	{"大本", "大学本科"}, {"专科", "大学专科"}, {"大专", "大学专科"}, {"高职", "大学专科"},
	{"中专", "中等专科"}, {"中技", "中等专科"}, {"技校", "中等专科"}, {"中专中技", "中等专科"},
	{"中等职业教育", "中等专科"}, {"普通高中", "高中"}, {"职高", "高中"}, {"职业高中", "高中"},
	{"高中中技", "高中"}, {"初中及以下", "初中"}, {"小学", "小学及以下"}, {"文盲", "小学及以下"},
	{"半文盲", "小学及以下"}, {"未上学", "小学及以下"}, {"不识字或识字很少", "小学及以下"},
};

const char *zb_education_from(const char *s)
{
	if (!s)
		return NULL;
	for (int i = 0; zb_educations[i]; i++)
		if (!strcmp(zb_educations[i], s))
			return zb_educations[i];
	for (size_t i = 0; i < N(education_alias); i++)
		if (!strcmp(education_alias[i].alias, s))
			return education_alias[i].canon;
	return NULL;
}

/* The 56 recognised ethnic groups: "汉" becomes "汉族". */
static const char *const ethnic_groups[] = {
	"汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜", "满", "侗", "瑶", "白",
	"土家", "哈尼", "哈萨克", "傣", "黎", "傈僳", "佤", "畲", "高山", "拉祜", "水", "东乡", "纳西",
	"景颇", "柯尔克孜", "土", "达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌",
	"普米", "塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
	"独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
};

/* ---- text -------------------------------------------------------------- */

/* Decode one UTF-8 character at s (n bytes left); invalid bytes are taken
 * one at a time as U+FFFD. */
static size_t u8_next(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0)
		k = 2;
	else if ((p[0] & 0xF0) == 0xE0)
		k = 3;
	else if ((p[0] & 0xF8) == 0xF0)
		k = 4;
	if (!k || k > n || !zb_utf8_valid(s, k)) {
		*cp = 0xFFFD;
		return 1;
	}
	unsigned c = p[0] & (0x7F >> k);
	for (size_t i = 1; i < k; i++)
		c = (c << 6) | (p[i] & 0x3F);
	*cp = c;
	return k;
}

static size_t u8_count(const char *s)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len; n++) {
		unsigned cp;
		i += u8_next(s + i, len - i, &cp);
	}
	return n;
}

static int is_blank(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' || cp == 0x3000 ||
	       cp == 0xA0 || cp == 0xFEFF || cp == 0x200B;
}

static int is_han(unsigned cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x3134F) ||
	       (cp >= 0xF900 && cp <= 0xFAFF);
}

static void put_cp(zb_buf *b, unsigned cp)
{
	char u[4];
	if (cp < 0x80) {
		zb_buf_putc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F));
		zb_buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		zb_buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F));
		zb_buf_append(b, u, 4);
	}
}

char *zb_member_clean(zb_arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	zb_buf b;
	zb_buf_init(&b, len * 2 + 16);
	size_t keep = 0; /* length of b up to the last non-blank character */
	int started = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = u8_next(s + i, len - i, &cp);
		if (cp == 0xFFFD && k == 1 && (unsigned char)s[i] >= 0x80) {
			zb_buf_append(&b, s + i, 1); /* keep invalid bytes for the caller to reject */
			keep = b.len;
			started = 1;
			i++;
			continue;
		}
		i += k;
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp = '0' + (cp - 0xFF10);
		else if (cp >= 0xFF21 && cp <= 0xFF3A)
			cp = 'A' + (cp - 0xFF21);
		else if (cp >= 0xFF41 && cp <= 0xFF5A)
			cp = 'a' + (cp - 0xFF41);
		if (is_blank(cp)) {
			if (started)
				put_cp(&b, cp);
			continue;
		}
		started = 1;
		put_cp(&b, cp);
		keep = b.len;
	}
	char *out = keep ? zb_arena_strndup(a, b.data, keep) : NULL;
	zb_buf_release(&b);
	return out;
}

/* Names: drop blanks between two Han characters ("王　五" is a name padded
 * to line up in a printed roster); other inner blanks stay ("John Smith"). */
static const char *clean_name(zb_arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t len = strlen(s);
	zb_buf b;
	zb_buf_init(&b, len + 1);
	unsigned prev = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = u8_next(s + i, len - i, &cp);
		/* zero-width blanks stay, for zb_name_check to refuse */
		if (is_blank(cp) && cp != 0x200B && cp != 0xFEFF) {
			size_t j = i + k;
			unsigned nx = 0;
			while (j < len) {
				size_t kk = u8_next(s + j, len - j, &nx);
				if (!is_blank(nx))
					break;
				j += kk;
			}
			if (is_han(prev) && is_han(nx)) {
				i = j;
				continue;
			}
		}
		zb_buf_append(&b, s + i, k);
		prev = cp;
		i += k;
	}
	const char *out = zb_arena_strndup(a, b.data ? b.data : "", b.len);
	zb_buf_release(&b);
	return out;
}

static int has_control(const char *s, int allow_newline)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(allow_newline && (*p == '\n' || *p == '\t'))) || *p == 0x7F)
			return 1;
	return 0;
}

/* Characters a person's name never contains and that make one string
 * look like another on screen or in a spreadsheet: bidirectional controls
 * (reorder what follows), zero-width characters (invisible, defeat
 * duplicate checks) and private-use characters (render as anything). */
static const char *invisible_kind(unsigned cp)
{
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
	    cp == 0x061C)
		return "文字方向控制字符";
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
		return "零宽字符";
	if ((cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xF0000 && cp <= 0x10FFFF))
		return "私用区字符";
	return NULL;
}

int zb_name_check(const char *s, const char *field, const char *label, zb_err *e)
{
	if (!s)
		return 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = u8_next(s + i, len - i, &cp);
		const char *kind = invisible_kind(cp);
		if (kind && !(cp == 0xFFFD && k == 1))
			return zb_fail(e, ZB_EINVAL, field,
			               "%s含有不可见或会改变显示顺序的%s（U+%04X，第 %zu 个字节处），请删除后重新输入", label,
			               kind, cp, i + 1);
		i += k;
	}
	return 0;
}

/* ---- dates ------------------------------------------------------------- */


static int ymd_int(const char *d)
{
	if (!d || !zb_date_valid(d))
		return 0;
	return atoi(d) * 10000 + atoi(d + 5) * 100 + atoi(d + 8);
}

static void ymd_str(int v, char out[11])
{
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", v / 10000 % 10000, v / 100 % 100, v % 100);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

static int all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int zb_member_date_parse(const char *in, int date1904, char out[11], int *precision)
{
	out[0] = '\0';
	if (precision)
		*precision = 0;
	if (!in)
		return -1;
	/* normalise: full-width digits and separators, drop blanks */
	char s[64];
	size_t n = 0, len = strlen(in);
	for (size_t i = 0; i < len;) {
		unsigned cp;
		i += u8_next(in + i, len - i, &cp);
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp = '0' + (cp - 0xFF10);
		else if (cp == 0xFF0D || cp == 0x2014 || cp == 0x2013 || cp == 0x2212)
			cp = '-';
		else if (cp == 0xFF0F)
			cp = '/';
		else if (cp == 0xFF0E || cp == 0x3002)
			cp = '.';
		else if (cp == 0x5E74 || cp == 0x6708) /* 年 月 */
			cp = '-';
		else if (cp == 0x65E5 || cp == 0x53F7) /* 日 号: end of the date */
			cp = ' ';
		else if (cp == 'T' && n >= 8)
			cp = ' ';
		if (is_blank(cp)) {
			if (n)
				break; /* a time part or trailing words follow */
			continue;
		}
		if (cp >= 0x80 || n + 1 >= sizeof s)
			return -1;
		s[n++] = (char)cp;
	}
	s[n] = '\0';
	while (n && (s[n - 1] == '-' || s[n - 1] == '.' || s[n - 1] == '/')) /* "2020年1月" */
		s[--n] = '\0';
	if (!n)
		return -1;
	int y, m, d = 1, prec = 3;
	if (all_digits(s, n)) {
		if (n == 8) {
			y = atoi(s) / 10000;
			m = atoi(s) / 100 % 100;
			d = atoi(s) % 100;
		} else if (n == 6 && (!strncmp(s, "19", 2) || !strncmp(s, "20", 2))) {
			y = atoi(s) / 100;
			m = atoi(s) % 100;
			prec = 2;
		} else if (n <= 7 && !(n == 4 && (!strncmp(s, "19", 2) || !strncmp(s, "20", 2)))) {
			double serial = strtod(s, NULL);
			if (zb_excel_serial_to_date(serial, date1904, out) || !zb_date_valid(out)) {
				out[0] = '\0';
				return -1;
			}
			if (precision)
				*precision = 3;
			return 0;
		} else {
			return -1;
		}
	} else {
		/* an Excel serial with a fraction typed as text: "43831.5" */
		char *end;
		double serial = strtod(s, &end);
		/* only 5 integer digits (1927..2173): "2020.01" is a month */
		if (!*end && strchr(s, '.') && strchr(s, '.') - s == 5 && all_digits(s, 5)) {
			if (zb_excel_serial_to_date(serial, date1904, out) || !zb_date_valid(out)) {
				out[0] = '\0';
				return -1;
			}
			if (precision)
				*precision = 3;
			return 0;
		}
		int part[3], np = 0;
		const char *p = s;
		char sep = 0;
		while (*p && np < 3) {
			const char *q = p;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q == p || q - p > 4)
				return -1;
			part[np++] = atoi(p);
			if (np == 1 && q - p != 4)
				return -1;
			if (np > 1 && q - p > 2)
				return -1;
			if (!*q)
				break;
			if (*q != '-' && *q != '/' && *q != '.')
				return -1;
			if (sep && *q != sep && !(sep == '-' && *q == '-'))
				return -1;
			sep = *q;
			p = q + 1;
			if (np == 3)
				return -1; /* "2020-1-2-3" */
		}
		if (np < 2)
			return -1;
		y = part[0];
		m = part[1];
		if (np == 3)
			d = part[2];
		else
			prec = 2;
	}
	char buf[16];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	if (!zb_date_valid(buf))
		return -1;
	memcpy(out, buf, 11);
	if (precision)
		*precision = prec;
	return 0;
}

/* ---- rules ------------------------------------------------------------- */

void zb_member_rules_default(zb_member_rules *r)
{
	r->min_join_age = 18;
}

int zb_member_rules_validate(json_t *data, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		if (!strcmp(key, "min_join_age") || !strcmp(key, "probation_years"))
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 200)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 200 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	v = json_object_get(data, "min_join_age");
	if (!json_is_integer(v) || json_integer_value(v) < 14 || json_integer_value(v) > 40)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 min_join_age（入党最低年龄）应为 14 到 40 之间的整数");
	v = json_object_get(data, "probation_years");
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 3)
		return zb_fail(e, ZB_EINVAL, "data", "规则项 probation_years（预备期年数）应为 1 到 3 之间的整数");
	return 0;
}

int zb_member_rules_from(const zb_rules *rs, const char *org_path, zb_member_rules *r, zb_err *e)
{
	zb_member_rules_default(r);
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	int64_t v;
	if (!s)
		return 0;
	int rc = zb_rule_int(s, "min_join_age", &v, e);
	if (!rc)
		r->min_join_age = (int)v;
	return rc;
}

int zb_member_rules_load(zb_db *db, const char *org_path, const char *date, zb_member_rules *r, zb_err *e)
{
	zb_member_rules_default(r);
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "membership", date, &rs, e);
	if (!rc)
		rc = zb_member_rules_from(rs, org_path, r, e);
	zb_rules_free(rs);
	return rc;
}

/* ---- checking ---------------------------------------------------------- */

typedef struct checker {
	zb_member_errs *errs;
	zb_err first;
	int nerr;
} checker;

__attribute__((format(printf, 4, 5))) static void bad(checker *c, zb_code code, const char *field, const char *fmt,
                                                      ...)
{
	zb_err tmp = {0};
	va_list ap;
	va_start(ap, fmt);
	tmp.code = code;
	snprintf(tmp.field, sizeof tmp.field, "%s", field ? field : "");
	vsnprintf(tmp.msg, sizeof tmp.msg, fmt, ap);
	va_end(ap);
	if (!c->nerr)
		c->first = tmp;
	c->nerr++;
	if (c->errs && c->errs->n < ZB_MEMBER_MAX_ERRS)
		c->errs->err[c->errs->n++] = tmp;
}

static void bad_from(checker *c, const zb_err *e)
{
	bad(c, e->code ? e->code : ZB_EINVAL, e->field, "%s", e->msg);
}

/* Phones: an 11-digit mobile number (a +86/0086 prefix dropped), or a
 * landline of 7-8 digits with an optional area code and extension. */
static const char *clean_phone(zb_arena *a, const char *s)
{
	char d[40];
	size_t n = 0;
	int dash = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n + 1 >= sizeof d)
				return NULL;
			d[n++] = *p;
		} else if (*p == '-' && n && d[n - 1] != '-') {
			if (n + 1 >= sizeof d)
				return NULL;
			d[n++] = '-';
			dash++;
		} else if (*p == '+' && p == s) {
			continue;
		} else if (*p != ' ' && *p != '(' && *p != ')') {
			return NULL;
		}
	}
	while (n && d[n - 1] == '-')
		n--, dash--;
	d[n] = '\0';
	/* digits only, to recognise a mobile number */
	char digits[40];
	size_t nd = 0;
	for (size_t i = 0; i < n; i++)
		if (d[i] != '-')
			digits[nd++] = d[i];
	digits[nd] = '\0';
	const char *mob = digits;
	if (nd == 13 && !strncmp(digits, "86", 2))
		mob = digits + 2;
	else if (nd == 15 && !strncmp(digits, "0086", 4))
		mob = digits + 4;
	if (strlen(mob) == 11 && mob[0] == '1')
		return zb_arena_strdup(a, mob);
	if (nd < 7 || nd > 16 || dash > 2)
		return NULL;
	if (nd >= 10 && digits[0] != '0' && !dash)
		return NULL;
	return zb_arena_strdup(a, d);
}

static const char *ethnicity_norm(zb_arena *a, const char *s)
{
	for (size_t i = 0; i < N(ethnic_groups); i++)
		if (!strcmp(ethnic_groups[i], s))
			return zb_arena_printf(a, "%s族", s);
	return s;
}

int zb_member_check(zb_member *m, unsigned given, const zb_member_rules *rules, int today, zb_arena *a,
                    zb_member_errs *errs, zb_err *e)
{
	checker c = {.errs = errs};
	if (errs)
		errs->n = 0;
	zb_member_rules dflt;
	if (!rules) {
		zb_member_rules_default(&dflt);
		rules = &dflt;
	}
	char today_s[11];
	ymd_str(today, today_s);

	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (f->flags & ZB_MFF_SENSITIVE)
			continue; /* cleaned below */
		const char **p = zb_member_field_ptr(m, f);
		*p = zb_member_clean(a, *p);
		if (*p && !zb_utf8_valid(*p, strlen(*p)))
			bad(&c, ZB_EINVAL, f->json, "%s含有无效字符（不是 UTF-8 文本）", f->label);
	}
	m->id_number = zb_member_clean(a, m->id_number);
	m->phone = zb_member_clean(a, m->phone);
	/* The birth date is the caller's own only if this input states a
	 * value for it (or an ID number, which holds it): an edit that
	 * clears either (null or "") still checks the stored date, or the one
	 * of the stored number, and must not name its day.  Decided here,
	 * before the ID number below rewrites birth_date. */
	int birth_typed = (given & ZB_MF_BIRTH) && m->birth_date;
	int typed = birth_typed || ((given & ZB_MF_ID) && m->id_number);

	/* name */
	m->name = clean_name(a, m->name);
	if (!m->name || !*m->name) {
		m->name = NULL;
		bad(&c, ZB_EINVAL, "name", "请填写姓名");
	} else if (u8_count(m->name) > 50) {
		bad(&c, ZB_EINVAL, "name", "姓名过长（最多 50 个字）");
	} else if (has_control(m->name, 0)) {
		bad(&c, ZB_EINVAL, "name", "姓名含有控制字符");
	} else {
		zb_err ne = {0};
		if (zb_name_check(m->name, "name", "姓名", &ne))
			bad_from(&c, &ne);
	}
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		const char *v = *cfield(m, f);
		if (!v || !f->chars || f->bit == ZB_MF_NAME) /* the name: above */
			continue;
		if (u8_count(v) > f->chars)
			bad(&c, ZB_EINVAL, f->json, "%s过长（最多 %u 个字）", f->label, f->chars);
		else if (has_control(v, (f->flags & ZB_MFF_MULTILINE) != 0))
			bad(&c, ZB_EINVAL, f->json, "%s含有控制字符", f->label);
	}
	if (m->ethnicity)
		m->ethnicity = ethnicity_norm(a, m->ethnicity);

	/* codes */
	if (m->gender) {
		const char *g = zb_gender_from(m->gender);
		if (!g)
			bad(&c, ZB_EINVAL, "gender", "性别应为 男 或 女（收到“%s”）", m->gender);
		m->gender = g;
	}
	if (m->status) {
		const char *s = zb_status_from(m->status);
		if (!s)
			bad(&c, ZB_EINVAL, "status", "党籍状态应为 正常、流动、失联、出国（境）、停止党籍、出党 或 死亡（收到“%s”）",
			    m->status);
		m->status = s;
	} else {
		m->status = "normal";
	}
	if (m->education) {
		const char *ed = zb_education_from(m->education);
		if (!ed)
			bad(&c, ZB_EINVAL, "education",
			    "学历应为 研究生、大学本科、大学专科、中等专科（中专）、高中、初中 或 小学及以下（收到“%s”）",
			    m->education);
		m->education = ed;
	}
	int cat_ok = 1;
	if (m->category) {
		const char *k = zb_category_from(m->category);
		if (!k) {
			bad(&c, ZB_EINVAL, "category", "人员类别应为 正式党员 或 预备党员（收到“%s”）", m->category);
			cat_ok = 0;
		}
		m->category = k;
	} else {
		/* a record with a 转正日期 is a full member by definition */
		m->category = m->full_date ? "full" : "probationary";
	}

	/* dates */
	int dates_ok = 1;
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		const char *v = f->type == 'd' ? *cfield(m, f) : NULL;
		if (!v)
			continue;
		if (!zb_date_valid(v)) {
			bad(&c, ZB_EINVAL, f->json, "%s“%s”不是有效日期（应为 YYYY-MM-DD）", f->label, v);
			dates_ok = 0;
		} else if (strcmp(v, today_s) > 0) {
			bad(&c, ZB_EINVAL, f->json, "%s %s 晚于今天", f->label, v);
			dates_ok = 0;
		}
	}

	/* the ID number decides birth date and gender */
	if (m->id_number) {
		zb_idcard card;
		zb_err ie = {0};
		if (zb_idcard_parse(m->id_number, today, &card, &ie)) {
			bad_from(&c, &ie);
			typed = birth_typed; /* a malformed number types no date */
		} else {
			m->id_number = zb_arena_strdup(a, card.number);
			if (m->birth_date && (given & ZB_MF_BIRTH) && !(given & ZB_MF_ID)) {
				/* Comparing with a stored number the input did not
				 * state would tell its birth date day by day. */
				bad(&c, ZB_EINVAL, "birth_date",
				    "该党员已登记身份证号，出生日期由身份证号得出，不能单独修改；如需更正，请同时填写正确的身份证号");
				dates_ok = 0;
			} else if (m->birth_date && (given & ZB_MF_BIRTH) && zb_date_valid(m->birth_date) &&
			           strcmp(m->birth_date, card.birth)) {
				bad(&c, ZB_EINVAL, "birth_date", "出生日期 %s 与身份证号中的 %s 不一致", m->birth_date, card.birth);
				dates_ok = 0;
			}
			m->birth_date = zb_arena_strdup(a, card.birth);
			const char *cg = card.gender == 'M' ? "M" : "F";
			if (m->gender && (given & ZB_MF_GENDER) && strcmp(m->gender, cg))
				bad(&c, ZB_EINVAL, "gender", "性别 %s 与身份证号中的 %s 不一致", zb_gender_name(m->gender),
				    zb_gender_name(cg));
			m->gender = cg;
		}
	}
	if (m->phone) {
		const char *p = clean_phone(a, m->phone);
		if (!p)
			bad(&c, ZB_EINVAL, "phone", "联系电话格式不正确：应为 11 位手机号，或带区号的固定电话");
		m->phone = p;
	}

	if (!m->join_date) {
		if (dates_ok)
			bad(&c, ZB_EINVAL, "join_date", "请填写入党日期");
		dates_ok = 0;
	}
	if (dates_ok) {
		int b = ymd_int(m->birth_date), j = ymd_int(m->join_date), f = ymd_int(m->full_date);
		/* A birth date the input did not state (stored, or from a stored
		 * ID number) is named by its month only: what every role may
		 * see (docs/SECURITY.md). */
		const char *bs = typed ? m->birth_date : zb_arena_printf(a, "%.7s", m->birth_date ? m->birth_date : "");
		/* Nor is the age rule decided at the day for such a date: by
		 * trying join dates one day apart, a caller who sees the birth
		 * month only would learn the day.  In the month of the 18th
		 * birthday (say) the answer is the same on every day: state the
		 * ID number (or birth date) in the same edit to be checked by day. */
		int months = (j / 10000 * 12 + j / 100 % 100) - (b / 10000 * 12 + b / 100 % 100);
		if (b && typed && j <= b) {
			bad(&c, ZB_EINVAL, "join_date", "入党日期 %s 应晚于出生日期 %s", m->join_date, bs);
		} else if (b && typed && zb_date_years_between(m->birth_date, m->join_date) < rules->min_join_age) {
			bad(&c, ZB_EINVAL, "join_date", "入党时未满 %d 周岁（出生日期 %s，入党日期 %s）", rules->min_join_age, bs,
			    m->join_date);
		} else if (b && !typed && months <= 0) {
			bad(&c, ZB_EINVAL, "join_date", "入党日期 %s 应晚于出生日期 %s", m->join_date, bs);
		} else if (b && !typed && months < rules->min_join_age * 12) {
			bad(&c, ZB_EINVAL, "join_date", "入党时未满 %d 周岁（出生日期 %s，入党日期 %s）", rules->min_join_age, bs,
			    m->join_date);
		} else if (b && !typed && months == rules->min_join_age * 12) {
			bad(&c, ZB_EINVAL, "join_date",
			    "入党日期 %s 与年满 %d 周岁在同一个月，须按日核对：请在本次修改中同时填写身份证号（没有身份证号的填写出生日期）",
			    m->join_date, rules->min_join_age);
		}
		if (cat_ok && !strcmp(m->category, "full")) {
			if (!f)
				bad(&c, ZB_EINVAL, "full_date", "正式党员应填写转正日期");
			else if (f < j)
				bad(&c, ZB_EINVAL, "full_date", "转正日期 %s 不能早于入党日期 %s", m->full_date, m->join_date);
		} else if (cat_ok && f) {
			bad(&c, ZB_EINVAL, "full_date", "预备党员不应有转正日期（%s）：已转正的请把人员类别改为正式党员",
			    m->full_date);
		}
	}
	if (c.nerr) {
		if (e)
			*e = c.first;
		return c.first.code ? (int)c.first.code : ZB_EINVAL;
	}
	return 0;
}

/* ---- protection -------------------------------------------------------- */

static const char *arena_buf(zb_arena *a, zb_buf *b)
{
	const char *s = zb_arena_strndup(a, b->data ? b->data : "", b->len);
	if (b->data)
		sodium_memzero(b->data, b->len);
	zb_buf_release(b);
	return s;
}

void zb_member_field_ad(int64_t id, const char *field, char out[ZB_MEMBER_AD_LEN])
{
	if (id > 0)
		snprintf(out, ZB_MEMBER_AD_LEN, "members/%lld/%s", (long long)id, field);
	else
		snprintf(out, ZB_MEMBER_AD_LEN, "members/new/%s", field);
}

static int encrypt_field(const struct zb_keys *k, int64_t id, const char *field, const char *plain, zb_buf *out)
{
	char ad[ZB_MEMBER_AD_LEN];
	zb_member_field_ad(id, field, ad);
	return zb_fp_encrypt(k, plain, ad, out);
}

int zb_member_protect(zb_member *m, unsigned given, const struct zb_keys *k, zb_arena *a, zb_err *e)
{
	if (m->id_number) {
		zb_buf enc = {0}, mask = {0};
		char idx[65];
		if (encrypt_field(k, m->id, "id_number", m->id_number, &enc) || zb_fp_blind_index(k, m->id_number, idx) ||
		    zb_mask_id_number(m->id_number, &mask)) {
			zb_buf_release(&enc);
			zb_buf_release(&mask);
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
		}
		m->id_enc = arena_buf(a, &enc);
		m->id_masked = arena_buf(a, &mask);
		m->id_index = zb_arena_strdup(a, idx);
	} else if (given & ZB_MF_ID) {
		m->id_enc = m->id_index = m->id_masked = NULL;
	}
	if (m->phone) {
		zb_buf enc = {0}, mask = {0};
		if (encrypt_field(k, m->id, "phone", m->phone, &enc) || zb_mask_phone(m->phone, &mask)) {
			zb_buf_release(&enc);
			zb_buf_release(&mask);
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
		}
		m->phone_enc = arena_buf(a, &enc);
		m->phone_masked = arena_buf(a, &mask);
	} else if (given & ZB_MF_PHONE) {
		m->phone_enc = m->phone_masked = NULL;
	}
	return 0;
}

/* Decrypt one field of member id; the error names the member and field. */
static int reveal_field(const struct zb_keys *k, int64_t id, const char *field, const char *label,
                        const char *text, zb_arena *a, const char **out, zb_err *e)
{
	char ad[ZB_MEMBER_AD_LEN];
	zb_buf b = {0};
	zb_member_field_ad(id, field, ad);
	if (zb_fp_decrypt(k, text, ad, &b, e)) {
		zb_buf_release(&b);
		zb_err inner = *e;
		zb_error("党员（编号 %lld）的%s无法解密：%s", (long long)id, label, inner.msg);
		return zb_fail(e, inner.code, NULL, "无法读取党员（编号 %lld）的%s：%s", (long long)id, label, inner.msg);
	}
	*out = arena_buf(a, &b);
	return 0;
}

int zb_member_reveal(zb_member *m, const struct zb_keys *k, zb_arena *a, zb_err *e)
{
	int rc = 0;
	zb_err second = {0};
	if (m->id_enc && !m->id_number)
		rc = reveal_field(k, m->id, "id_number", "身份证号", m->id_enc, a, &m->id_number, e);
	if (m->phone_enc && !m->phone) {
		int rc2 = reveal_field(k, m->id, "phone", "联系电话", m->phone_enc, a, &m->phone, rc ? &second : e);
		if (!rc)
			rc = rc2;
	}
	return rc;
}

/* A stored text needs rebinding to row id when it is v1 (no associated
 * data) or was made before the row had an id ("members/new/..."). */
static int rebind_field(const zb_member_change *c, int64_t id, const char *field, const char **text, int *changed,
                        zb_err *e)
{
	if (!*text)
		return 0;
	char ad[ZB_MEMBER_AD_LEN];
	zb_buf plain = {0}, enc = {0};
	zb_err ignore = {0};
	int v = zb_fp_version(*text);
	if (v == 2) {
		if (!c->keys) /* cannot tell; the caller made it bound */
			return 0;
		zb_member_field_ad(0, field, ad);
		if (zb_fp_decrypt(c->keys, *text, ad, &plain, &ignore)) {
			zb_buf_release(&plain);
			return 0; /* bound already (or damaged: reading will say so) */
		}
	} else if (v == 1) {
		if (!c->keys || zb_fp_decrypt(c->keys, *text, "", &plain, &ignore)) {
			zb_buf_release(&plain);
			return 0; /* stays readable as before */
		}
	} else {
		return 0;
	}
	if (!c->arena || encrypt_field(c->keys, id, field, plain.data ? plain.data : "", &enc)) {
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		zb_buf_release(&plain);
		zb_buf_release(&enc);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法把加密字段绑定到党员记录");
	}
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	zb_buf_release(&plain);
	*text = arena_buf(c->arena, &enc);
	*changed = 1;
	return 0;
}

static int rebind(const zb_member_change *c, zb_member *m, int *changed, zb_err *e)
{
	int rc = rebind_field(c, m->id, "id_number", &m->id_enc, changed, e);
	return rc ? rc : rebind_field(c, m->id, "phone", &m->phone_enc, changed, e);
}

/* ---- placement --------------------------------------------------------- */

int zb_member_place(zb_db *db, const zb_principal *who, int64_t org_id, zb_member *m, zb_arena *a, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(db, org_id, a, &o, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_WRITE, o.path)))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销，不能再编入党员", o.name);
	if (!zb_org_type_is_branch(o.type))
		return zb_fail(e, ZB_EINVAL, "org_id", "党员只能编入党支部或党小组：%s 是%s", o.name,
		               zb_org_type_name(o.type) ? zb_org_type_name(o.type) : o.type);
	if (!strcmp(o.type, "group")) {
		zb_org p;
		if (!o.parent_id || (rc = zb_org_get(db, o.parent_id, a, &p, e)))
			return rc ? rc : zb_fail(e, ZB_EINVAL, "org_id", "党小组 %s 没有上级党支部", o.name);
		if (!zb_org_type_is_branch(p.type) || !strcmp(p.type, "group") || p.dissolved_on)
			return zb_fail(e, ZB_EINVAL, "org_id", "党小组 %s 的上级不是有效的党支部", o.name);
		m->org_id = p.id;
		m->org_path = p.path;
		m->org_name = p.name;
		m->group_id = o.id;
		m->group_name = o.name;
		return 0;
	}
	m->org_id = o.id;
	m->org_path = o.path;
	m->org_name = o.name;
	m->group_id = 0;
	m->group_name = NULL;
	return 0;
}

int zb_member_set_group(zb_db *db, int64_t group_id, zb_member *m, zb_arena *a, zb_err *e)
{
	if (!group_id) {
		m->group_id = 0;
		m->group_name = NULL;
		return 0;
	}
	zb_org g;
	int rc = zb_org_get(db, group_id, a, &g, e);
	if (rc == ZB_ENOTFOUND || (!rc && (strcmp(g.type, "group") || g.parent_id != m->org_id)))
		return zb_fail(e, ZB_EINVAL, "group_id", "党小组应为所在党支部下属的党小组");
	if (rc)
		return rc;
	if (g.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "group_id", "党小组 %s 已撤销", g.name);
	m->group_id = g.id;
	m->group_name = g.name;
	return 0;
}

/* ---- storage ----------------------------------------------------------- */

void zb_member_read(zb_stmt *st, int c, zb_arena *a, zb_member *m)
{
	memset(m, 0, sizeof *m);
#define T(i) zb_arena_strdup(a, zb_col_text(st, c + (i)))
	m->id = zb_col_int(st, c + 0);
	m->org_id = zb_col_int(st, c + 1);
	m->group_id = zb_col_int(st, c + 2);
	m->org_path = T(3);
	m->org_name = T(4);
	m->group_name = T(5);
	m->name = T(6);
	m->gender = T(7);
	m->ethnicity = T(8);
	m->birth_date = T(9);
	m->id_enc = T(10);
	m->id_index = T(11);
	m->id_masked = T(12);
	m->native_place = T(13);
	m->education = T(14);
	m->degree = T(15);
	m->work_unit = T(16);
	m->job_title = T(17);
	m->category = T(18);
	m->join_date = T(19);
	m->full_date = T(20);
	m->phone_enc = T(21);
	m->phone_masked = T(22);
	m->address = T(23);
	m->status = T(24);
	m->source = T(25);
	m->remarks = T(26);
	m->pinyin = T(27);
	m->initials = T(28);
	m->created_at = zb_col_int(st, c + 29);
	m->updated_at = zb_col_int(st, c + 30);
#undef T
}

typedef struct member_one {
	zb_arena *a;
	zb_member *m;
} member_one;

static void read_member(zb_stmt *st, void *ctx)
{
	member_one *o = ctx;
	zb_member_read(st, 0, o->a, o->m);
}

int zb_member_get(zb_db *db, int64_t id, zb_arena *a, zb_member *m, zb_err *e)
{
	member_one o = {a, m};
	return zb_db_one(db, e, "未找到该党员，或不在您的管理范围内", read_member, &o,
	                 "SELECT " ZB_MEMBER_COLS ZB_MEMBER_FROM " WHERE m.id = ?", "i", id);
}

int zb_member_get_locked(zb_db *db, int64_t id, zb_arena *a, zb_member *m, zb_err *e)
{
	if (!zb_db_in_tx(db))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：读取待修改的党员记录须在写事务内");
	/* SQLite: BEGIN IMMEDIATE already holds the one write lock.
	 * PostgreSQL: lock the row alone first, then read it with a statement
	 * of its own, which (READ COMMITTED) sees the newest committed version.
	 * Locking in the joined SELECT would re-check the join against the
	 * org row read before the wait and lose a member another edit moved. */
	if (zb_db_backend(db) == ZB_DB_PG) {
		int64_t got = 0;
		int rc = zb_db_int(db, e, &got, "SELECT id FROM members WHERE id = ? FOR UPDATE", "i", id);
		if (rc == ZB_ENOTFOUND)
			return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该党员，或不在您的管理范围内");
		if (rc)
			return rc;
	}
	return zb_member_get(db, id, a, m, e);
}

typedef struct derived {
	zb_buf py, ini, key;
} derived;

static void derived_release(derived *d)
{
	zb_buf_release(&d->py);
	zb_buf_release(&d->ini);
	zb_buf_release(&d->key);
}

static int derive(const zb_member *m, derived *d, zb_err *e)
{
	memset(d, 0, sizeof *d);
	if (m->derived_for && m->name && !strcmp(m->derived_for, m->name) && m->pinyin && m->initials && m->sort_key) {
		if (zb_buf_append(&d->py, m->pinyin, strlen(m->pinyin)) ||
		    zb_buf_append(&d->ini, m->initials, strlen(m->initials)) ||
		    zb_buf_append(&d->key, m->sort_key, m->sort_key_len)) {
			derived_release(d);
			return zb_fail(e, ZB_EINTERNAL, "name", "内部错误：姓名的拼音或排序键过长");
		}
		return 0;
	}
	if (zb_pinyin(m->name, &d->py, &d->ini) || zb_sortkey(m->name, &d->key)) {
		derived_release(d);
		return zb_fail(e, ZB_EINTERNAL, "name", "内部错误：无法生成姓名的拼音或排序键");
	}
	return 0;
}

/* What the org roll-ups (org/counts.h) count of a record. */
static void facts_of(const zb_member *m, zb_member_facts *f)
{
	memset(f, 0, sizeof *f);
	f->org_path = m->org_path;
	f->category = m->category;
	f->gender = m->gender;
	f->ethnicity = m->ethnicity;
	f->birth_year = m->birth_date ? atoi(m->birth_date) : 0;
	f->education = m->education;
	f->full_year = m->full_date ? atoi(m->full_date) : 0;
	f->status = m->status;
}

static int history(zb_db *db, const zb_member_change *c, int64_t member_id, const char *kind, const char *old,
                   const char *nw, const char *on, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO member_history (member_id, kind, old_value, new_value, effective_on, reason, at, by_user) "
	                 "VALUES (?,?,?,?,?,?,?,?)",
	                 "isssssiI", member_id, kind, old, nw, on, c->reason, c->now, c->by_user);
}

/* A stated effective date must not fall before the last recorded change
 * of the kind (member/history.h); dates left to the default (today, or
 * the 转正 date for becoming full) are not checked: a correction of the
 * category may well be dated at an earlier 转正 date. */
static int check_order(zb_db *db, const zb_member_change *c, int64_t member_id, const char *kind, const char *on,
                       zb_err *e)
{
	return c->effective_on ? zb_member_history_check_order(db, member_id, kind, on, e) : 0;
}

int zb_member_insert(zb_db *db, const zb_member_change *c, zb_member *m, int64_t *id, zb_err *e)
{
	derived d;
	int rc = zb_member_check_probation(db, NULL, m, e);
	if (rc)
		return rc;
	rc = derive(m, &d, e);
	if (rc)
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO members (org_id, org_path, group_id, name, name_pinyin, name_initials, sort_key, gender, "
	               "ethnicity, birth_date, id_enc, id_index, id_masked, native_place, education, degree, work_unit, "
	               "job_title, category, join_date, full_date, phone_enc, phone_masked, address, status, source, remarks, "
	               "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	               "isIsssbssssssssssssssssssssii", m->org_id, m->org_path, m->group_id, m->name,
	               d.py.data ? d.py.data : "", d.ini.data ? d.ini.data : "", (const void *)(d.key.data ? d.key.data : ""),
	               d.key.len, m->gender, m->ethnicity, m->birth_date, m->id_enc, m->id_index, m->id_masked,
	               m->native_place, m->education, m->degree, m->work_unit, m->job_title, m->category, m->join_date,
	               m->full_date, m->phone_enc, m->phone_masked, m->address, m->status, m->source, m->remarks, c->now,
	               c->now);
	derived_release(&d);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有党员登记，不能重复录入");
	if (rc)
		return rc;
	m->id = *id;
	m->created_at = m->updated_at = c->now;
	/* The row id is known only now: ciphertexts made before
	 * ("members/new/...") are bound to it in the same transaction. */
	int bound = 0;
	if ((rc = rebind(c, m, &bound, e)))
		return rc;
	if (bound && (rc = zb_db_run(db, e, NULL, "UPDATE members SET id_enc = ?, phone_enc = ? WHERE id = ?", "ssi",
	                             m->id_enc, m->phone_enc, m->id)))
		return rc;
	zb_member_facts nf;
	facts_of(m, &nf);
	if ((rc = zb_org_after_roster_change(db, c->counts, NULL, &nf, e)))
		return rc;
	char org[24];
	snprintf(org, sizeof org, "%lld", (long long)m->org_id);
	return history(db, c, *id, "created", NULL, org, c->effective_on ? c->effective_on : c->today, e);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int zb_member_update(zb_db *db, const zb_member_change *c, const zb_member *old, zb_member *nw, zb_err *e)
{
	derived d;
	int rc = zb_member_check_probation(db, old, nw, e);
	if (rc)
		return rc;
	int bound = 0;
	nw->id = old->id;
	if ((rc = rebind(c, nw, &bound, e)))
		return rc;
	rc = derive(nw, &d, e);
	if (rc)
		return rc;
	int64_t changed = 0;
	rc = zb_db_run(db, e, &changed,
	               "UPDATE members SET org_id = ?, org_path = ?, group_id = ?, name = ?, name_pinyin = ?, name_initials = ?, "
	               "sort_key = ?, gender = ?, ethnicity = ?, birth_date = ?, id_enc = ?, id_index = ?, id_masked = ?, "
	               "native_place = ?, education = ?, degree = ?, work_unit = ?, job_title = ?, category = ?, "
	               "join_date = ?, full_date = ?, phone_enc = ?, phone_masked = ?, address = ?, status = ?, source = ?, "
	               "remarks = ?, updated_at = ? WHERE id = ?",
	               "isIsssbssssssssssssssssssssii", nw->org_id, nw->org_path, nw->group_id, nw->name,
	               d.py.data ? d.py.data : "", d.ini.data ? d.ini.data : "", (const void *)(d.key.data ? d.key.data : ""),
	               d.key.len, nw->gender, nw->ethnicity, nw->birth_date, nw->id_enc, nw->id_index, nw->id_masked,
	               nw->native_place, nw->education, nw->degree, nw->work_unit, nw->job_title, nw->category,
	               nw->join_date, nw->full_date, nw->phone_enc, nw->phone_masked, nw->address, nw->status, nw->source,
	               nw->remarks, c->now, old->id);
	derived_release(&d);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有党员登记，不能重复录入");
	if (rc)
		return rc;
	if (!changed)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该党员");
	nw->id = old->id;
	nw->updated_at = c->now;
	zb_member_facts of, nf;
	facts_of(old, &of);
	facts_of(nw, &nf);
	if ((rc = zb_org_after_roster_change(db, c->counts, &of, &nf, e)))
		return rc;
	const char *on = c->effective_on ? c->effective_on : c->today;
	if (!same(old->category, nw->category)) {
		/* becoming a full member takes effect on the 转正 date */
		const char *when = c->effective_on ? c->effective_on
		                                   : (!strcmp(nw->category, "full") && nw->full_date ? nw->full_date : c->today);
		if ((rc = check_order(db, c, old->id, "category", when, e)) ||
		    (rc = history(db, c, old->id, "category", old->category, nw->category, when, e)))
			return rc;
	}
	if (!same(old->status, nw->status) &&
	    ((rc = check_order(db, c, old->id, "status", on, e)) ||
	     (rc = history(db, c, old->id, "status", old->status, nw->status, on, e))))
		return rc;
	if (old->org_id != nw->org_id) {
		char a[24], b[24];
		snprintf(a, sizeof a, "%lld", (long long)old->org_id);
		snprintf(b, sizeof b, "%lld", (long long)nw->org_id);
		if ((rc = check_order(db, c, old->id, "org", on, e)) ||
		    (rc = history(db, c, old->id, "org", a, b, on, e)))
			return rc;
	}
	/* the personal facts the statistics break down by, dated the day the
	 * change is entered: a later correction leaves a past date's figures
	 * alone (member/history.h, docs/STATISTICS.md) */
	const char *const was[] = {old->gender, old->ethnicity, old->birth_date, old->education, old->join_date, old->full_date};
	const char *const now_v[] = {nw->gender, nw->ethnicity, nw->birth_date, nw->education, nw->join_date, nw->full_date};
	for (int k = 0; zb_member_fact_kinds[k]; k++) {
		if (same(was[k], now_v[k]))
			continue;
		/* the 转正 date given with the 转正 itself takes effect with it */
		const char *when = c->today;
		if (!strcmp(zb_member_fact_kinds[k], "full_date") && !same(old->category, nw->category))
			when = c->effective_on ? c->effective_on : (!strcmp(nw->category, "full") && nw->full_date ? nw->full_date : c->today);
		if ((rc = history(db, c, old->id, zb_member_fact_kinds[k], was[k], now_v[k], when, e)))
			return rc;
	}
	/* the 党小组 on a past date decides group meetings' 应到 (member/history.h) */
	if (old->group_id != nw->group_id) {
		char a[24], b[24];
		snprintf(a, sizeof a, "%lld", (long long)old->group_id);
		snprintf(b, sizeof b, "%lld", (long long)nw->group_id);
		if ((rc = check_order(db, c, old->id, "group", on, e)) ||
		    (rc = history(db, c, old->id, "group", old->group_id ? a : NULL, nw->group_id ? b : NULL, on, e)))
			return rc;
	}
	return 0;
}

/* ---- comparing --------------------------------------------------------- */

static const char *display(zb_arena *a, const zb_member_field *f, const char *v)
{
	if (!v)
		return NULL;
	if (f->bit == ZB_MF_BIRTH)
		return zb_member_birth_shown(a, v, 0);
	if (f->bit == ZB_MF_GENDER)
		return zb_gender_name(v) ? zb_gender_name(v) : v;
	if (f->bit == ZB_MF_CATEGORY)
		return zb_category_name(v) ? zb_category_name(v) : v;
	if (f->bit == ZB_MF_STATUS)
		return zb_status_name(v) ? zb_status_name(v) : v;
	return v;
}

static const char *masked_phone(zb_arena *a, const zb_member *m)
{
	if (m->phone_masked)
		return m->phone_masked;
	if (!m->phone)
		return NULL;
	zb_buf b = {0};
	zb_mask_phone(m->phone, &b);
	return arena_buf(a, &b);
}

static int phone_differs(const zb_member *o, const zb_member *n)
{
	int ho = o->phone || o->phone_enc, hn = n->phone || n->phone_enc;
	if (!ho || !hn)
		return ho != hn;
	if (o->phone && n->phone)
		return strcmp(o->phone, n->phone) != 0;
	if (o->phone_enc && n->phone_enc)
		return strcmp(o->phone_enc, n->phone_enc) != 0;
	return 1; /* one side not revealed: cannot tell, say it changed */
}

int zb_member_compare(const zb_member *old, const zb_member *nw, zb_arena *a, zb_member_diff **out)
{
	int cap = 24, n = 0;
	zb_member_diff *d = zb_arena_alloc(a, sizeof *d * (size_t)cap);
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (f->flags & ZB_MFF_SENSITIVE)
			continue; /* compared below, masked */
		const char *x = *cfield(old, f), *y = *cfield(nw, f);
		if (same(x, y))
			continue;
		d[n++] = (zb_member_diff){f->json, f->label, display(a, f, x), display(a, f, y)};
	}
	if (!same(old->id_index, nw->id_index))
		d[n++] = (zb_member_diff){"id_number", zb_member_field_of(ZB_MF_ID)->label, old->id_masked, nw->id_masked};
	if (phone_differs(old, nw))
		d[n++] = (zb_member_diff){"phone", zb_member_field_of(ZB_MF_PHONE)->label, masked_phone(a, old), masked_phone(a, nw)};
	if (old->org_id != nw->org_id)
		d[n++] = (zb_member_diff){"org_id", "所在组织", old->org_name, nw->org_name};
	if (old->group_id != nw->group_id)
		d[n++] = (zb_member_diff){"group_id", "党小组", old->group_name, nw->group_name};
	*out = d;
	return n;
}

const char *zb_member_birth_shown(zb_arena *a, const char *birth, int exact)
{
	if (!birth || exact || strlen(birth) < 7)
		return birth;
	return zb_arena_strndup(a, birth, 7);
}

int zb_member_age(const char *birth, int today, int exact)
{
	int b = ymd_int(birth);
	if (!b)
		return -1;
	if (!exact) /* born on the first of the month, as far as anyone can tell */
		b = b / 100 * 100 + 1;
	return today >= b ? (today - b) / 10000 : 0;
}

int zb_member_party_age(const char *full_date, int today)
{
	int f = ymd_int(full_date);
	if (!f || today < f)
		return -1;
	char t[11];
	ymd_str(today, t);
	return zb_date_years_between(full_date, t); /* 29 February: complete on 28 February */
}

/* ---- 政治生日 ------------------------------------------------------------ */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int add_days(int ymd, int days)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
	while (days-- > 0) {
		int dim = md[m - 1] + (m == 2 && is_leap(y));
		if (++d > dim) {
			d = 1;
			if (++m > 12)
				m = 1, y++;
		}
	}
	return y * 10000 + m * 100 + d;
}

static int cmp_bday(const void *x, const void *y)
{
	const zb_birthday *a = x, *b = y;
	int c = strcmp(a->date, b->date);
	return c ? c : (a->member_id < b->member_id ? -1 : a->member_id > b->member_id);
}

typedef struct bdays {
	zb_arena *a;
	int today, end; /* YYYYMMDD */
	zb_birthday *rows;
	size_t n, cap;
} bdays;

/* A member whose anniversary of joining falls in [today, end]. */
static int add_bday(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	bdays *l = ctx;
	int today = l->today;
	const char *jd = zb_col_text(st, 4);
	int j = ymd_int(jd);
	if (!j)
		return 0;
	int mmdd = j % 10000;
	int y = today / 10000;
	if (mmdd < today % 10000 && !(mmdd == 229 && today % 10000 == 228 && !is_leap(y)))
		y++;
	int day = mmdd == 229 && !is_leap(y) ? 28 : mmdd % 100; /* 民法典 第二百零二条: the month's last day */
	int ann = y * 10000 + (mmdd / 100) * 100 + day;
	if (ann < today || ann > l->end || y <= j / 10000)
		return 0;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_birthday *b = &l->rows[l->n++];
	b->member_id = zb_col_int(st, 0);
	b->org_id = zb_col_int(st, 1);
	b->name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	b->org_name = zb_arena_strdup(l->a, zb_col_text(st, 3));
	b->join_date = zb_arena_strdup(l->a, jd);
	ymd_str(ann, b->date);
	b->years = y - j / 10000;
	return 0;
}

int zb_member_birthdays(zb_db *db, const char *root, int today, int days, int limit, zb_arena *a, zb_birthday **out,
                        int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	int end = add_days(today, days);
	char from[16], to[16], from2[16] = "99-99", to2[16] = "00-00";
	snprintf(from, sizeof from, "%02d-%02d", today / 100 % 100, today % 100);
	if (end / 10000 == today / 10000) {
		snprintf(to, sizeof to, "%02d-%02d", end / 100 % 100, end % 100);
	} else { /* the window crosses New Year */
		snprintf(to, sizeof to, "12-31");
		snprintf(from2, sizeof from2, "01-01");
		snprintf(to2, sizeof to2, "%02d-%02d", end / 100 % 100, end % 100);
	}
	/* 29 February anniversaries fall on 28 February in common years */
	if (!strcmp(to, "02-28") && !is_leap(today / 10000))
		snprintf(to, sizeof to, "02-29");
	if (!strcmp(to2, "02-28") && !is_leap(end / 10000))
		snprintf(to2, sizeof to2, "02-29");
	char upper[512];
	zb_path_upper(root, upper, sizeof upper);
	bdays b = {a, today, end, NULL, 0, 0};
	int rc = zb_db_each(db, e, add_bday, &b,
	                    "SELECT m.id, m.org_id, m.name, o.name, m.join_date FROM members m "
	                    "JOIN orgs o ON o.id = m.org_id "
	                    "WHERE m.org_path >= ? AND m.org_path < ? AND m.status IN ('normal', 'mobile', 'abroad') "
	                    "AND m.join_date IS NOT NULL AND ((substr(m.join_date, 6, 5) >= ? AND "
	                    "substr(m.join_date, 6, 5) <= ?) OR (substr(m.join_date, 6, 5) >= ? AND "
	                    "substr(m.join_date, 6, 5) <= ?))",
	                    "ssssss", root, upper, from, to, from2, to2);
	if (rc)
		return rc;
	int cnt = (int)b.n;
	if (cnt)
		qsort(b.rows, (size_t)cnt, sizeof *b.rows, cmp_bday);
	*out = b.rows;
	*n = cnt < limit ? cnt : limit;
	return 0;
}

/* ---- ID-number lookups ------------------------------------------------- */

static int lookups_since(zb_db *db, int64_t user_id, int64_t since, int rows, int64_t *n, zb_err *e)
{
	return zb_db_int(db, e, n,
	                 rows ? "SELECT COALESCE(SUM(n), 0) FROM id_lookups WHERE user_id = ? AND at > ? AND kind = 'import_rows'"
	                      : "SELECT COALESCE(SUM(n), 0) FROM id_lookups WHERE user_id = ? AND at > ? AND kind <> 'import_rows'",
	                 "ii", user_id, since);
}

int zb_id_lookup_check(zb_db *db, int64_t user_id, int64_t now, zb_err *e)
{
	if (!user_id)
		return 0; /* the command line: the operator of the server */
	int64_t n = 0;
	int rc = lookups_since(db, user_id, now - ZB_ID_LOOKUP_WINDOW, 0, &n, e);
	if (rc)
		return rc;
	if (n >= ZB_ID_LOOKUP_LIMIT)
		return zb_fail(e, ZB_ERATE, "id_number",
		               "按身份证号查询过于频繁：每个账号每小时最多 %d 次（按身份证号搜索，以及因身份证号已登记而被拒绝的录入、修改和导入），请稍后再试",
		               ZB_ID_LOOKUP_LIMIT);
	return 0;
}

int zb_id_lookup_left(zb_db *db, int64_t user_id, int64_t now, int64_t *left, zb_err *e)
{
	*left = ZB_ID_LOOKUP_LIMIT;
	if (!user_id) {
		*left = INT64_MAX;
		return 0;
	}
	int64_t n = 0;
	int rc = lookups_since(db, user_id, now - ZB_ID_LOOKUP_WINDOW, 0, &n, e);
	if (!rc)
		*left = n >= ZB_ID_LOOKUP_LIMIT ? 0 : ZB_ID_LOOKUP_LIMIT - n;
	return rc;
}

int zb_id_import_check(zb_db *db, int64_t user_id, int64_t now, int64_t rows, zb_err *e)
{
	if (!user_id || rows <= 0)
		return 0;
	int64_t n = 0;
	int rc = lookups_since(db, user_id, now - 24 * 3600, 1, &n, e);
	if (rc)
		return rc;
	if (n + rows > ZB_ID_IMPORT_ROWS_LIMIT)
		return zb_fail(e, ZB_ERATE, "file",
		               "导入核对的身份证号过多：没有“敏感信息”权限的账号每天最多核对 %d 个（已核对 %lld 个，本文件 %lld 个），"
		               "请明天再试，或请有该权限的管理员导入",
		               ZB_ID_IMPORT_ROWS_LIMIT, (long long)n, (long long)rows);
	return 0;
}

int zb_id_lookup_note(zb_db *db, int64_t user_id, int64_t now, const char *kind, int64_t n, zb_err *e)
{
	if (!user_id || n <= 0)
		return 0;
	int rc = zb_db_run(db, e, NULL, "DELETE FROM id_lookups WHERE at < ?", "i", now - 24 * 3600);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "INSERT INTO id_lookups (user_id, at, kind, n) VALUES (?,?,?,?)", "iisi", user_id,
		               now, kind, n);
	return rc;
}

int zb_id_lookup_take(zb_db *db, int64_t user_id, int64_t now, const char *kind, zb_err *e)
{
	int rc = zb_id_lookup_check(db, user_id, now, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, zb_id_lookup_note(db, user_id, now, kind, 1, e), e);
}

/* ---- audit and transactions ------------------------------------------- */

int zb_member_audit(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, const char *object_type,
                    int64_t object_id, const char *org_path, const char *detail, zb_err *e)
{
	zb_audit_ev by = {.user_id = ac->user_id, .username = ac->username, .ip = ac->ip};
	return zb_audit_change(db, app, &by, action, object_type, object_id, org_path, detail, e);
}

/* ---- org names ---------------------------------------------------------- */

const char *zb_member_org_trail(zb_db *db, const zb_principal *who, const char *path, zb_arena *a)
{
	zb_buf b = {0};
	zb_err e = {0};
	const char *out = NULL;
	for (const char *p = path ? path + 1 : ""; *p;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		const char *prefix = zb_arena_strndup(a, path, (size_t)(slash - path) + 1);
		p = slash + 1;
		if (who && !zb_authz_allows(who, P_ORG_READ, prefix))
			continue;
		char name[1024] = "";
		zb_text_buf nb = {name, sizeof name};
		int rc = zb_db_one(db, &e, NULL, zb_row_text, &nb, "SELECT name FROM orgs WHERE path = ?", "s", prefix);
		if (rc && rc != ZB_ENOTFOUND)
			goto out;
		if (!rc) {
			if (b.len)
				zb_buf_puts(&b, " / ");
			zb_buf_puts(&b, name);
		}
	}
	out = b.len ? zb_arena_strndup(a, b.data, b.len) : NULL;
out:
	zb_buf_release(&b);
	return out;
}
