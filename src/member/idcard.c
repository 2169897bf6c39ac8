#include "member/idcard.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define FIELD "id_number"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static char checksum(const char *d17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (d17[i] - '0') * weights[i];
	return check_chars[sum % 11];
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int date_exists(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* Width in bytes of a space to trim at p (ASCII whitespace or U+3000
 * IDEOGRAPHIC SPACE, which Chinese input methods type in full-width mode),
 * or 0. */
static size_t space_at(const unsigned char *p, const unsigned char *end)
{
	if (p < end && (*p == ' ' || (*p >= '\t' && *p <= '\r')))
		return 1;
	if (end - p >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;
	return 0;
}

static size_t space_before(const unsigned char *start, const unsigned char *end)
{
	if (end > start && (end[-1] == ' ' || (end[-1] >= '\t' && end[-1] <= '\r')))
		return 1;
	if (end - start >= 3 && end[-3] == 0xE3 && end[-2] == 0x80 && end[-1] == 0x80)
		return 3;
	return 0;
}

int zb_idcard_parse(const char *in, int today_yyyymmdd, zb_idcard *out, zb_err *e)
{
	const unsigned char *s, *end;
	char norm[18];
	size_t count = 0, w;
	int y, m, d, ymd;

	memset(out, 0, sizeof *out);
	if (!date_exists(today_yyyymmdd / 10000, today_yyyymmdd / 100 % 100,
			 today_yyyymmdd % 100) ||
	    today_yyyymmdd < 19000101 || today_yyyymmdd > 99991231)
		return zb_fail(e, ZB_EINTERNAL, "", "内部错误：当前日期参数 %d 无效",
			       today_yyyymmdd);

	s = (const unsigned char *)(in ? in : "");
	end = s + strlen((const char *)s);
	while ((w = space_at(s, end)))
		s += w;
	while ((w = space_before(s, end)))
		end -= w;
	if (s == end)
		return zb_fail(e, ZB_EINVAL, FIELD, "请填写身份证号");

	while (s < end) {
		char c;
		if (*s >= '0' && *s <= '9') {
			c = (char)*s;
			s += 1;
		} else if (*s == 'x' || *s == 'X') {
			c = 'X';
			s += 1;
		} else if (end - s >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 &&
			   s[2] <= 0x99) { /* U+FF10..U+FF19 full-width digits */
			c = (char)('0' + (s[2] - 0x90));
			s += 3;
		} else if (end - s >= 3 && s[0] == 0xEF &&
			   ((s[1] == 0xBC && s[2] == 0xB8) ||   /* U+FF38 Ｘ */
			    (s[1] == 0xBD && s[2] == 0x98))) {  /* U+FF58 ｘ */
			c = 'X';
			s += 3;
		} else if (space_at(s, end)) {
			return zb_fail(e, ZB_EINVAL, FIELD,
				       "身份证号中间不能有空格（第 %zu 个字符）", count + 1);
		} else {
			return zb_fail(e, ZB_EINVAL, FIELD,
				       "身份证号含有非法字符（第 %zu 个字符），只能是数字和最后一位的 X",
				       count + 1);
		}
		if (count < sizeof norm)
			norm[count] = c;
		count++;
	}

	if (count == 15)
		return zb_fail(e, ZB_EINVAL, FIELD,
			       "身份证号应为 18 位（当前 15 位）；15 位旧号码请先升级为 18 位");
	if (count != 18)
		return zb_fail(e, ZB_EINVAL, FIELD, "身份证号应为 18 位（当前 %zu 位）", count);
	for (int i = 0; i < 17; i++)
		if (norm[i] == 'X')
			return zb_fail(e, ZB_EINVAL, FIELD,
				       "身份证号只有最后一位可以是 X（第 %d 位是 X）", i + 1);
	if (norm[0] == '0')
		return zb_fail(e, ZB_EINVAL, FIELD,
			       "身份证号前 6 位地区码 %.6s 无效：地区码不以 0 开头", norm);

	y = digits(norm + 6, 4);
	m = digits(norm + 10, 2);
	d = digits(norm + 12, 2);
	ymd = y * 10000 + m * 100 + d;
	if (!date_exists(y, m, d))
		return zb_fail(e, ZB_EINVAL, FIELD, "身份证号中的出生日期 %.8s 不存在", norm + 6);
	if (y < 1900)
		return zb_fail(e, ZB_EINVAL, FIELD, "身份证号中的出生日期 %.8s 早于 1900 年",
			       norm + 6);
	if (ymd > today_yyyymmdd)
		return zb_fail(e, ZB_EINVAL, FIELD, "身份证号中的出生日期 %.8s 晚于今天",
			       norm + 6);

	/* The message never names the check character that would pass: it
	 * would turn any mistyped number into one that is accepted. */
	if (norm[17] != checksum(norm))
		return zb_fail(e, ZB_EINVAL, FIELD, ZB_IDCARD_MSG_CHECKSUM);

	memcpy(out->number, norm, 18);
	out->number[18] = '\0';
	snprintf(out->birth, sizeof out->birth, "%.4s-%.2s-%.2s", norm + 6, norm + 10,
		 norm + 12);
	out->gender = (norm[16] - '0') % 2 ? 'M' : 'F';
	return 0;
}

int zb_idcard_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return 0;
	return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static int all_digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

void zb_idcard_make(const char *region6, const char *birth_yyyymmdd, int seq3,
		    char gender, char out[19])
{
	int seq;

	out[0] = '\0';
	if (!all_digits(region6, 6) || !all_digits(birth_yyyymmdd, 8))
		return;
	seq = seq3 % 1000;
	if (seq < 0)
		seq += 1000;
	if ((gender == 'M' && seq % 2 == 0) || (gender == 'F' && seq % 2 == 1))
		seq ^= 1; /* stays within 0..999 */
	memcpy(out, region6, 6);
	memcpy(out + 6, birth_yyyymmdd, 8);
	out[14] = (char)('0' + seq / 100);
	out[15] = (char)('0' + seq / 10 % 10);
	out[16] = (char)('0' + seq % 10);
	out[17] = checksum(out);
	out[18] = '\0';
}
