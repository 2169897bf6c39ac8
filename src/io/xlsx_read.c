/* xlsx_read.c - stream the first worksheet of an .xlsx held in memory.
 *
 * Layout of the work: libzip opens the buffer; each XML part is parsed by a
 * libxml2 xmlTextReader pulling decompressed bytes through entry_read(),
 * which counts every byte against the uncompressed budget (the sizes a zip
 * declares can lie).  Parts are read in this order:
 *   _rels/.rels -> workbook (sheets, date1904) -> workbook rels -> styles
 *   (which cell styles are dates) -> shared strings -> the sheet, streamed
 *   row by row into the caller's callback.
 * Only the shared strings are held in memory whole; the sheet is never.
 *
 * XML safety: XML_PARSE_NONET, never XML_PARSE_NOENT / DTDLOAD / DTDATTR,
 * and any DOCTYPE is refused outright: real xlsx parts never have one.
 */
#include "io/table.h"

#include "core/buf.h"
#include "core/err.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XL_MAX_ROW 1048576
#define XL_MAX_COL 16384
#define NONE ((size_t)-1)
/* "20 MB", "32 KB", "100 字节": sizes in messages for people. */
static const char *human_size(size_t n, char *out)
{
	if (n >= ((size_t)1 << 20) && !(n & (((size_t)1 << 20) - 1)))
		snprintf(out, 32, "%zu MB", n >> 20);
	else if (n >= ((size_t)1 << 20))
		snprintf(out, 32, "%.1f MB", (double)n / 1048576.0);
	else if (n >= 1024)
		snprintf(out, 32, "%zu KB", n >> 10);
	else
		snprintf(out, 32, "%zu 字节", n);
	return out;
}
/* each use gets its own buffer, so one message can show two sizes */
#define HS(n) human_size((n), (char[32]){0})

/* ---- small helpers ------------------------------------------------------ */

static pthread_once_t xl_once = PTHREAD_ONCE_INIT;
static locale_t xl_cloc;

static void xl_init(void)
{
	xmlInitParser();
	xl_cloc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

/* "A".."XFD" for 1-based col. */
static void col_name(int col, char out[8])
{
	char tmp[8];
	int n = 0;
	if (col < 1)
		col = 1;
	while (col > 0 && n < 7) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Parse "B12" style reference: returns column (1-based) or 0 if invalid. */
static int ref_col(const char *s)
{
	int col = 0, n = 0;
	for (; *s; s++, n++) {
		char c = *s;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			break;
		if (n == 3)
			return 0;
		col = col * 26 + (c - 'A' + 1);
	}
	if (n == 0 || col > XL_MAX_COL)
		return 0;
	return col;
}

/* Parse a positive decimal integer up to max; 0 if invalid. */
static long parse_pos(const char *s, long max)
{
	long v = 0;
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
		if (v > max)
			return 0;
	}
	return v;
}

/* Decode OOXML _xHHHH_ escapes in s[0..n) in place; returns the new length.
 * Output never grows: 7 input bytes give at most 4 output bytes. */
static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int xesc_at(const char *s, size_t i, size_t n, unsigned *cp)
{
	if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_')
		return 0;
	unsigned v = 0;
	for (size_t k = 2; k < 6; k++) {
		int h = hexval(s[i + k]);
		if (h < 0)
			return 0;
		v = v * 16 + (unsigned)h;
	}
	*cp = v;
	return 1;
}

static size_t decode_xesc(char *s, size_t n)
{
	if (!memchr(s, '_', n))
		return n;
	size_t i = 0, o = 0;
	while (i < n) {
		unsigned cp, lo;
		if (xesc_at(s, i, n, &cp)) {
			i += 7;
			if (cp >= 0xD800 && cp <= 0xDBFF && xesc_at(s, i, n, &lo) &&
			    lo >= 0xDC00 && lo <= 0xDFFF) {
				i += 7;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			if (cp) /* _x0000_ would end the C string: dropped */
				o += put_utf8(s + o, cp);
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

/* ---- numbers and dates -------------------------------------------------- */

static long days_from_civil(long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long)yoe + era * 400 + (*m <= 2);
}

/* Split a serial into civil date and seconds of the day (rounded to the
 * second, as Excel displays).  -1 when out of range. */
static int serial_split(double serial, int date1904, long *y, unsigned *m, unsigned *d,
			long *sod)
{
	if (!(serial >= 0.0) || serial > 3000000.0) /* also rejects NaN */
		return -1;
	long long secs = llround(serial * 86400.0);
	long day = (long)(secs / 86400);
	*sod = (long)(secs % 86400);
	long epoch;
	if (date1904) {
		epoch = days_from_civil(1904, 1, 1) + day;
	} else {
		if (day < 1 || day == 60) /* 1900-01-00 and phantom 1900-02-29 */
			return -1;
		if (day > 60)
			day--;
		epoch = days_from_civil(1899, 12, 31) + day;
	}
	civil_from_days(epoch, y, m, d);
	if (*y > 9999)
		return -1;
	return 0;
}

int zb_excel_serial_to_date(double serial, int date1904, char out[11])
{
	long y, sod;
	unsigned m, d;
	out[0] = '\0';
	if (serial_split(serial, date1904, &y, &m, &d, &sod))
		return ZB_EINVAL;
	snprintf(out, 11, "%04ld-%02u-%02u", y, m, d);
	return 0;
}

enum { FMT_NONE = 0, FMT_DATE, FMT_DATETIME, FMT_TIME };

static int builtin_fmt(unsigned id)
{
	if (id >= 14 && id <= 17)
		return FMT_DATE;
	if (id == 22)
		return FMT_DATETIME;
	if (id >= 18 && id <= 21)
		return FMT_TIME;
	/* East Asian built-ins (zh-CN meanings): 27-31, 36, 50-54, 57, 58 are
	 * dates such as yyyy"年"m"月"d"日"; 32-35, 55, 56 are times. */
	if ((id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 ||
	    id == 58)
		return FMT_DATE;
	if ((id >= 32 && id <= 35) || id == 55 || id == 56)
		return FMT_TIME;
	return FMT_NONE; /* 45-47 are durations: left as numbers */
}

/* Classify a custom number format code.  Quoted text, \-escapes, _x and *x
 * fillers and [..] sections (colours, locales, conditions) are skipped;
 * elapsed-time brackets [h] [mm] [ss] mean a duration, not a date. */
static int custom_fmt(const char *f)
{
	int y = 0, d = 0, h = 0, s = 0, elapsed = 0;
	for (const char *p = f; *p; p++) {
		switch (*p) {
		case '"':
			p++;
			while (*p && *p != '"')
				p++;
			if (!*p)
				p--;
			continue;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			continue;
		case '[': {
			const char *q = p + 1;
			while (*q && *q != ']')
				q++;
			size_t n = (size_t)(q - p - 1);
			if (n > 0) {
				char c = p[1] | 0x20;
				size_t k = 1;
				while (k < n && (p[1 + k] | 0x20) == c)
					k++;
				if (k == n && (c == 'h' || c == 'm' || c == 's'))
					elapsed = 1;
			}
			p = *q ? q : q - 1;
			continue;
		}
		default:
			break;
		}
		switch (*p | 0x20) {
		case 'y': y = 1; break;
		case 'd': d = 1; break;
		case 'h': h = 1; break;
		case 's': s = 1; break;
		default: break;
		}
	}
	if (y || d)
		return h || s ? FMT_DATETIME : FMT_DATE;
	if ((h || s) && !elapsed)
		return FMT_TIME;
	return FMT_NONE;
}

static int is_int_literal(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Render x plainly (no exponent) from p significant digits.  out needs
 * 340 bytes at most for a double. */
static void render_digits(double x, int p, char *out, size_t outsz)
{
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
	char dig[24];
	size_t nd = 0;
	const char *q = tmp;
	int neg = 0;
	if (*q == '-') {
		neg = 1;
		q++;
	}
	for (; *q && *q != 'e' && nd < sizeof dig - 1; q++)
		if (*q >= '0' && *q <= '9')
			dig[nd++] = *q;
	int ex = *q == 'e' ? atoi(q + 1) : 0;
	while (nd > 1 && dig[nd - 1] == '0')
		nd--;
	zb_buf b;
	zb_buf_init(&b, outsz - 1);
	int rc = 0;
	if (neg)
		rc |= zb_buf_putc(&b, '-');
	if (ex >= (int)nd - 1) {
		rc |= zb_buf_append(&b, dig, nd);
		for (int i = 0; i < ex - ((int)nd - 1) && !rc; i++)
			rc |= zb_buf_putc(&b, '0');
	} else if (ex >= 0) {
		rc |= zb_buf_append(&b, dig, (size_t)ex + 1);
		rc |= zb_buf_putc(&b, '.');
		rc |= zb_buf_append(&b, dig + ex + 1, nd - (size_t)ex - 1);
	} else {
		rc |= zb_buf_puts(&b, "0.");
		for (int i = 0; i < -ex - 1 && !rc; i++)
			rc |= zb_buf_putc(&b, '0');
		rc |= zb_buf_append(&b, dig, nd);
	}
	snprintf(out, outsz, "%s", rc ? tmp : (b.data ? b.data : "0"));
	zb_buf_release(&b);
}

/* Integers: the shortest of 15, 16, 17 digits that reads back exactly
 * (so 1.10105199001011E+17 gives 110105199001011000, never ...008).
 * Fractions: 15 significant digits, as Excel shows them. */
static void render_number(double x, char *out, size_t outsz)
{
	if (x == 0.0) {
		snprintf(out, outsz, "0");
		return;
	}
	int p = 15;
	if (x == trunc(x)) {
		for (; p < 17; p++) {
			char tmp[40];
			snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
			if (strtod(tmp, NULL) == x)
				break;
		}
	}
	render_digits(x, p, out, outsz);
}

/* ---- per-read state ----------------------------------------------------- */

/* Strings stored back to back in one capped buffer, found by offset. */
typedef struct strlist {
	zb_buf buf;
	size_t *off;
	size_t n, cap;
} strlist;

static int sl_push_off(strlist *l, size_t off)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		if (ncap > SIZE_MAX / sizeof *l->off)
			return ZB_ETOOBIG;
		size_t *p = realloc(l->off, ncap * sizeof *p);
		if (!p)
			return ZB_EINTERNAL;
		l->off = p;
		l->cap = ncap;
	}
	l->off[l->n++] = off;
	return 0;
}

static int sl_add(strlist *l, const char *s)
{
	size_t off = l->buf.len;
	int rc = zb_buf_append(&l->buf, s ? s : "", (s ? strlen(s) : 0) + 1);
	return rc ? rc : sl_push_off(l, off);
}

static const char *sl_get(const strlist *l, size_t i)
{
	return l->buf.data + l->off[i];
}

static void sl_free(strlist *l)
{
	zb_buf_release(&l->buf);
	free(l->off);
	l->off = NULL;
	l->n = l->cap = 0;
}

typedef struct xl {
	zb_table_limits lim;
	zip_t *za;
	zb_err *e;
	size_t total; /* uncompressed bytes read so far, all parts */
	int date1904;
	strlist sst;
	unsigned char *xf_fmt; /* FMT_* per cell style index */
	size_t xf_n;
	char wb_path[512];
	char sheet_path[512];
	char sst_path[512];
	char styles_path[512];
	char sheet_name[128];
} xl;

/* One zip entry being parsed. */
typedef struct entry {
	xl *x;
	zip_file_t *zf;
	xmlTextReaderPtr r;
	const char *name;
	int over;   /* uncompressed budget exhausted */
	int ioerr;  /* libzip reported an error (CRC, truncated data...) */
	int err;    /* zb_code after entry_next() returned -1 */
} entry;

#define ABSENT (-1) /* entry_open: optional part not in the package */

static int entry_read(void *ctx, char *buf, int len)
{
	entry *en = ctx;
	xl *x = en->x;
	if (len <= 0)
		return 0;
	zip_int64_t n = zip_fread(en->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		en->ioerr = 1;
		return -1;
	}
	if ((size_t)n > x->lim.max_total_bytes - x->total) {
		en->over = 1;
		return -1;
	}
	x->total += (size_t)n;
	return (int)n;
}

static int fail_bad(xl *x, const char *why)
{
	return zb_fail(x->e, ZB_EINVAL, "file",
		       "文件不是有效的 Excel（.xlsx）文件（%s）：请用 Excel 或 WPS 打开后重新另存为 .xlsx 再上传",
		       why);
}

static int fail_budget(xl *x)
{
	return zb_fail(x->e, ZB_ETOOBIG, "file",
		       "文件解压后的内容超过 %s 的上限（文件过大或异常）：请删除无关的工作表和内容，或分批导入",
		       HS(x->lim.max_total_bytes));
}

static void entry_close(entry *en)
{
	if (en->r)
		xmlFreeTextReader(en->r);
	if (en->zf)
		zip_fclose(en->zf);
	en->r = NULL;
	en->zf = NULL;
}

/* Errors are reported through entry_next(); keep libxml2 off stderr. */
static void xml_quiet(void *arg, xmlErrorPtr err)
{
	(void)arg;
	(void)err;
}

/* Open part `name` for streaming.  Returns 0, ABSENT if absent and
 * !required, or a zb_code (e filled). */
static int entry_open(xl *x, entry *en, const char *name, int required)
{
	memset(en, 0, sizeof *en);
	en->x = x;
	en->name = name;
	zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return ABSENT;
		char why[600];
		snprintf(why, sizeof why, "缺少 %s", name);
		return fail_bad(x, why);
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
		return fail_bad(x, "压缩包已损坏");
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return zb_fail(x->e, ZB_EMEDIA, "file",
			       "文件内容被加密，无法读取：请取消密码后另存为 .xlsx 再上传");
	if ((st.valid & ZIP_STAT_COMP_METHOD) &&
	    !zip_compression_method_supported((zip_int32_t)st.comp_method, 0))
		return zb_fail(x->e, ZB_EMEDIA, "file",
			       "文件使用了不支持的压缩方式，无法读取：请用 Excel 或 WPS 重新另存为 .xlsx 再上传");
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_total_bytes - x->total)
		return fail_budget(x);
	en->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!en->zf) {
		int ze = zip_error_code_zip(zip_get_error(x->za));
		if (ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
			return zb_fail(x->e, ZB_EMEDIA, "file",
				       "文件内容被加密，无法读取：请取消密码后另存为 .xlsx 再上传");
		if (ze == ZIP_ER_COMPNOTSUPP)
			return zb_fail(x->e, ZB_EMEDIA, "file",
				       "文件使用了不支持的压缩方式，无法读取：请用 Excel 或 WPS 重新另存为 .xlsx 再上传");
		return fail_bad(x, "压缩包已损坏");
	}
	/* NONET: never fetch anything; NOERROR/NOWARNING: no stderr noise.
	 * Deliberately absent: NOENT, DTDLOAD, DTDATTR, XINCLUDE, HUGE. */
	en->r = xmlReaderForIO(entry_read, NULL, en, NULL, NULL,
			       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (en->r)
		xmlTextReaderSetStructuredErrorHandler(en->r, xml_quiet, NULL);
	if (!en->r) {
		int over = en->over;
		entry_close(en);
		if (over)
			return fail_budget(x);
		char why[600];
		snprintf(why, sizeof why, "读取 %s 失败", name);
		return fail_bad(x, why);
	}
	return 0;
}

/* Next node: 1 node, 0 end of part, -1 error (e filled, code in en->err). */
static int entry_next(entry *en)
{
	int rc = xmlTextReaderRead(en->r);
	if (rc == 1) {
		if (xmlTextReaderNodeType(en->r) == XML_READER_TYPE_DOCUMENT_TYPE) {
			char why[600];
			snprintf(why, sizeof why, "%s 含有不允许的 DOCTYPE 声明", en->name);
			en->err = fail_bad(en->x, why);
			return -1;
		}
		return 1;
	}
	if (rc == 0)
		return 0;
	if (en->over) {
		en->err = fail_budget(en->x);
		return -1;
	}
	char why[640];
	if (en->ioerr)
		snprintf(why, sizeof why, "压缩包已损坏或不完整，读取 %s 失败，可能上传中断", en->name);
	else
		snprintf(why, sizeof why, "%s 第 %d 行 XML 格式错误", en->name,
			 xmlTextReaderGetParserLineNumber(en->r));
	en->err = fail_bad(en->x, why);
	return -1;
}

static const char *local_name(entry *en)
{
	return (const char *)xmlTextReaderConstLocalName(en->r);
}

static int is_text_node(int t)
{
	return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
	       t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Copy attribute `name` (local name) of the current element into out;
 * returns 1 if found.  Leaves the reader on the element. */
static int attr(entry *en, const char *name, char *out, size_t outsz)
{
	int found = 0;
	if (xmlTextReaderMoveToFirstAttribute(en->r) == 1) {
		do {
			const char *ln = (const char *)xmlTextReaderConstLocalName(en->r);
			if (ln && !strcmp(ln, name)) {
				const char *v = (const char *)xmlTextReaderConstValue(en->r);
				snprintf(out, outsz, "%s", v ? v : "");
				found = 1;
				break;
			}
		} while (xmlTextReaderMoveToNextAttribute(en->r) == 1);
		xmlTextReaderMoveToElement(en->r);
	}
	return found;
}

/* Resolve an OPC relationship target against the part that owns the rels.
 * Handles absolute "/xl/..", "./", "../" and %XX escapes. */
static int resolve(const char *base_part, const char *target, char *out, size_t outsz)
{
	char raw[1024];
	size_t n = 0;
	if (target[0] == '/') {
		target++;
	} else {
		const char *slash = strrchr(base_part, '/');
		size_t dl = slash ? (size_t)(slash - base_part) + 1 : 0;
		if (dl >= sizeof raw)
			return -1;
		memcpy(raw, base_part, dl);
		n = dl;
	}
	for (const char *p = target; *p; p++) {
		char c = *p;
		if (c == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			c = (char)(hexval(p[1]) * 16 + hexval(p[2]));
			p += 2;
		}
		if (c == '\\')
			c = '/';
		if (n + 1 >= sizeof raw)
			return -1;
		raw[n++] = c;
	}
	raw[n] = '\0';
	/* normalise segments */
	size_t o = 0;
	char *seg = raw;
	while (seg) {
		char *next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		if (!*seg || !strcmp(seg, ".")) {
			/* skip */
		} else if (!strcmp(seg, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			size_t sl = strlen(seg);
			if (o + sl + 2 > outsz)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, seg, sl);
			o += sl;
		}
		seg = next;
	}
	if (!o)
		return -1;
	out[o] = '\0';
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* ---- package structure -------------------------------------------------- */

/* Read a .rels part into rels as triples (Id, Type, Target).
 * Returns 0, ABSENT or a zb_code. */
static int read_rels(xl *x, const char *name, strlist *rels)
{
	entry en;
	int n, rc = entry_open(x, &en, name, 0);
	if (rc)
		goto out;
	while ((n = entry_next(&en)) == 1) {
		if (xmlTextReaderNodeType(en.r) != XML_READER_TYPE_ELEMENT ||
		    strcmp(local_name(&en), "Relationship"))
			continue;
		char id[256], type[256], target[1024], mode[32];
		if (!attr(&en, "Id", id, sizeof id) || !attr(&en, "Target", target, sizeof target))
			continue;
		if (!attr(&en, "Type", type, sizeof type))
			type[0] = '\0';
		if (attr(&en, "TargetMode", mode, sizeof mode) && !strcmp(mode, "External"))
			continue;
		if ((rc = sl_add(rels, id)) || (rc = sl_add(rels, type)) ||
		    (rc = sl_add(rels, target))) {
			rc = rc == ZB_ETOOBIG ? fail_budget(x)
					      : zb_fail(x->e, rc, "file", "内存不足，无法读取文件");
			goto out;
		}
	}
	rc = n < 0 ? en.err : 0;
out:
	entry_close(&en);
	return rc;
}

static const char *rel_find(const strlist *rels, const char *id, const char **type)
{
	for (size_t i = 0; i + 2 < rels->n; i += 3) {
		if (!strcmp(sl_get(rels, i), id)) {
			*type = sl_get(rels, i + 1);
			return sl_get(rels, i + 2);
		}
	}
	return NULL;
}

static const char *rel_by_type(const strlist *rels, const char *suffix)
{
	for (size_t i = 0; i + 2 < rels->n; i += 3)
		if (ends_with(sl_get(rels, i + 1), suffix))
			return sl_get(rels, i + 2);
	return NULL;
}

static int find_parts(xl *x)
{
	strlist rels = {0}, sheets = {0};
	int rc;
	zb_buf_init(&rels.buf, x->lim.max_total_bytes);
	zb_buf_init(&sheets.buf, x->lim.max_total_bytes);

	/* package rels -> workbook part */
	snprintf(x->wb_path, sizeof x->wb_path, "xl/workbook.xml");
	rc = read_rels(x, "_rels/.rels", &rels);
	if (rc && rc != ABSENT)
		goto out;
	if (rc == 0) {
		const char *t = rel_by_type(&rels, "/officeDocument");
		if (t && resolve("", t, x->wb_path, sizeof x->wb_path))
			snprintf(x->wb_path, sizeof x->wb_path, "xl/workbook.xml");
	}
	sl_free(&rels);
	zb_buf_init(&rels.buf, x->lim.max_total_bytes);

	/* workbook: sheets in tab order as triples (name, r:id, state) */
	entry en;
	int n;
	rc = entry_open(x, &en, x->wb_path, 1);
	if (rc)
		goto out;
	while ((n = entry_next(&en)) == 1) {
		if (xmlTextReaderNodeType(en.r) != XML_READER_TYPE_ELEMENT)
			continue;
		const char *ln = local_name(&en);
		char v[256];
		if (!strcmp(ln, "workbookPr")) {
			if (attr(&en, "date1904", v, sizeof v))
				x->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
		} else if (!strcmp(ln, "sheet")) {
			char name[256], rid[256], state[32];
			if (!attr(&en, "id", rid, sizeof rid))
				continue;
			if (!attr(&en, "name", name, sizeof name))
				name[0] = '\0';
			if (!attr(&en, "state", state, sizeof state))
				state[0] = '\0';
			if ((rc = sl_add(&sheets, name)) || (rc = sl_add(&sheets, rid)) ||
			    (rc = sl_add(&sheets, state))) {
				entry_close(&en);
				rc = fail_budget(x);
				goto out;
			}
		}
	}
	entry_close(&en);
	if (n < 0) {
		rc = en.err;
		goto out;
	}
	if (!sheets.n) {
		rc = fail_bad(x, "工作簿中没有工作表");
		goto out;
	}

	/* workbook rels: dir/_rels/name.rels */
	char rels_path[600];
	const char *slash = strrchr(x->wb_path, '/');
	if (slash)
		snprintf(rels_path, sizeof rels_path, "%.*s/_rels/%s.rels",
			 (int)(slash - x->wb_path), x->wb_path, slash + 1);
	else
		snprintf(rels_path, sizeof rels_path, "_rels/%s.rels", x->wb_path);
	rc = read_rels(x, rels_path, &rels);
	if (rc == ABSENT) {
		rc = fail_bad(x, "缺少工作簿关系文件");
		goto out;
	}
	if (rc)
		goto out;

	/* first visible worksheet in tab order, else the first worksheet */
	x->sheet_path[0] = '\0';
	for (int pass = 0; pass < 2 && !x->sheet_path[0]; pass++) {
		for (size_t i = 0; i + 2 < sheets.n; i += 3) {
			const char *type = "";
			const char *target = rel_find(&rels, sl_get(&sheets, i + 1), &type);
			const char *state = sl_get(&sheets, i + 2);
			if (!target || !ends_with(type, "/worksheet"))
				continue;
			if (pass == 0 && (!strcmp(state, "hidden") || !strcmp(state, "veryHidden")))
				continue;
			if (resolve(x->wb_path, target, x->sheet_path, sizeof x->sheet_path)) {
				x->sheet_path[0] = '\0';
				continue;
			}
			snprintf(x->sheet_name, sizeof x->sheet_name, "%s", sl_get(&sheets, i));
			break;
		}
	}
	if (!x->sheet_path[0]) {
		rc = fail_bad(x, "工作簿中没有可读取的工作表");
		goto out;
	}

	const char *t = rel_by_type(&rels, "/sharedStrings");
	if (!t || resolve(x->wb_path, t, x->sst_path, sizeof x->sst_path))
		resolve(x->wb_path, "sharedStrings.xml", x->sst_path, sizeof x->sst_path);
	t = rel_by_type(&rels, "/styles");
	if (!t || resolve(x->wb_path, t, x->styles_path, sizeof x->styles_path))
		resolve(x->wb_path, "styles.xml", x->styles_path, sizeof x->styles_path);
	rc = 0;
out:
	sl_free(&rels);
	sl_free(&sheets);
	return rc;
}

/* styles: which cellXfs entries carry a date/time number format. */
static int read_styles(xl *x)
{
	entry en;
	unsigned *xf_id = NULL;         /* numFmtId per cellXfs entry */
	size_t nxf = 0, capxf = 0;
	unsigned *cf_id = NULL;         /* custom format ids ... */
	unsigned char *cf_kind = NULL;  /* ... and their kinds */
	size_t ncf = 0, capcf = 0;
	int in_xfs = 0, n;
	int rc = entry_open(x, &en, x->styles_path, 0);
	if (rc == ABSENT)
		return 0;
	if (rc)
		return rc;
	while ((n = entry_next(&en)) == 1) {
		int nt = xmlTextReaderNodeType(en.r);
		const char *ln = local_name(&en);
		if (nt == XML_READER_TYPE_END_ELEMENT) {
			if (!strcmp(ln, "cellXfs"))
				in_xfs = 0;
			continue;
		}
		if (nt != XML_READER_TYPE_ELEMENT)
			continue;
		char v[64];
		if (!strcmp(ln, "cellXfs")) {
			in_xfs = !xmlTextReaderIsEmptyElement(en.r);
		} else if (in_xfs && !strcmp(ln, "xf")) {
			if (nxf == capxf) {
				size_t nc = capxf ? capxf * 2 : 64;
				unsigned *p = realloc(xf_id, nc * sizeof *p);
				if (!p)
					goto oom;
				xf_id = p;
				capxf = nc;
			}
			xf_id[nxf++] = attr(&en, "numFmtId", v, sizeof v)
					       ? (unsigned)parse_pos(v, 100000) : 0;
		} else if (!strcmp(ln, "numFmt")) {
			char *code = malloc(4096);
			if (!code)
				goto oom;
			if (attr(&en, "numFmtId", v, sizeof v) &&
			    attr(&en, "formatCode", code, 4096)) {
				if (ncf == capcf) {
					size_t nc = capcf ? capcf * 2 : 16;
					unsigned *p = realloc(cf_id, nc * sizeof *p);
					unsigned char *k = p ? realloc(cf_kind, nc) : NULL;
					if (p)
						cf_id = p;
					if (!k) {
						free(code);
						goto oom;
					}
					cf_kind = k;
					capcf = nc;
				}
				cf_id[ncf] = (unsigned)parse_pos(v, 100000);
				cf_kind[ncf++] = (unsigned char)custom_fmt(code);
			}
			free(code);
		}
	}
	if (n < 0) {
		rc = en.err;
		goto out;
	}
	if (nxf) {
		x->xf_fmt = calloc(nxf, 1);
		if (!x->xf_fmt)
			goto oom;
		x->xf_n = nxf;
		for (size_t i = 0; i < nxf; i++) {
			int k = builtin_fmt(xf_id[i]);
			for (size_t j = 0; j < ncf; j++)
				if (cf_id[j] == xf_id[i])
					k = cf_kind[j];
			x->xf_fmt[i] = (unsigned char)k;
		}
	}
	goto out;
oom:
	rc = zb_fail(x->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
out:
	entry_close(&en);
	free(xf_id);
	free(cf_id);
	free(cf_kind);
	return rc;
}

/* shared strings: <si> = <t> | (<r><t>)* ; <rPh> phonetic runs ignored. */
static int read_sst(xl *x)
{
	entry en;
	int in_si = 0, in_t = 0, in_rph = 0;
	size_t start = 0;
	int n;
	int rc = entry_open(x, &en, x->sst_path, 0);
	if (rc == ABSENT)
		return 0;
	if (rc)
		return rc;
	while ((n = entry_next(&en)) == 1) {
		int nt = xmlTextReaderNodeType(en.r);
		if (nt == XML_READER_TYPE_ELEMENT) {
			const char *ln = local_name(&en);
			int empty = xmlTextReaderIsEmptyElement(en.r);
			if (!strcmp(ln, "si")) {
				start = x->sst.buf.len;
				in_si = !empty;
				if (empty && ((rc = zb_buf_putc(&x->sst.buf, '\0')) ||
					      (rc = sl_push_off(&x->sst, start))))
					break;
			} else if (!strcmp(ln, "t")) {
				in_t = !empty;
			} else if (!strcmp(ln, "rPh")) {
				in_rph = !empty;
			}
		} else if (nt == XML_READER_TYPE_END_ELEMENT) {
			const char *ln = local_name(&en);
			if (!strcmp(ln, "t")) {
				in_t = 0;
			} else if (!strcmp(ln, "rPh")) {
				in_rph = 0;
			} else if (!strcmp(ln, "si") && in_si) {
				in_si = 0;
				size_t dn = decode_xesc(x->sst.buf.data + start, x->sst.buf.len - start);
				x->sst.buf.len = start + dn;
				if ((rc = zb_buf_putc(&x->sst.buf, '\0')) ||
				    (rc = sl_push_off(&x->sst, start)))
					break;
			}
		} else if (in_si && in_t && !in_rph && is_text_node(nt)) {
			const char *v = (const char *)xmlTextReaderConstValue(en.r);
			if (v && (rc = zb_buf_puts(&x->sst.buf, v)))
				break;
		}
	}
	if (rc) /* from zb_buf / sl_push_off */
		rc = rc == ZB_ETOOBIG ? fail_budget(x)
				      : zb_fail(x->e, rc, "file", "内存不足，无法读取文件");
	else if (n < 0)
		rc = en.err;
	entry_close(&en);
	return rc;
}

/* ---- the sheet ---------------------------------------------------------- */

enum { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D };

typedef struct sheet {
	xl *x;
	zb_row_cb cb;
	void *ctx;
	zb_table_info *info;
	int maxcols;           /* columns we store (<= XL_MAX_COL) */
	size_t *coff;          /* offset in rowbuf per column, NONE if empty */
	unsigned char *ckind;  /* zb_cell_kind per column */
	const char **cptr;
	zb_buf rowbuf;
	int row_hi;            /* highest column stored in this row */
	int rownum, lastcol;
	/* current cell */
	int col, type, style, has_v, has_f, in_v, in_is, in_t, in_rph;
	zb_buf val;
	size_t rows;
} sheet;

static int cell_too_big(sheet *s)
{
	char cn[8];
	col_name(s->col, cn);
	return zb_fail(s->x->e, ZB_ETOOBIG, "file", "第 %d 行 %s 列的内容超过 %s 的上限",
		       s->rownum, cn, HS(s->x->lim.max_cell_bytes));
}

static void row_begin(sheet *s, int rownum)
{
	for (int i = 0; i < s->row_hi; i++)
		s->coff[i] = NONE;
	s->row_hi = 0;
	s->rownum = rownum;
	s->lastcol = 0;
	zb_buf_reset(&s->rowbuf);
}

static int row_end(sheet *s)
{
	int n = 0;
	for (int i = 0; i < s->row_hi; i++) {
		if (s->coff[i] == NONE) {
			s->cptr[i] = "";
			s->ckind[i] = ZB_CELL_EMPTY;
		} else {
			s->cptr[i] = s->rowbuf.data + s->coff[i];
		}
		if (s->cptr[i][0])
			n = i + 1;
	}
	if (!n)
		return 0;
	if (s->rows >= s->x->lim.max_rows)
		return zb_fail(s->x->e, ZB_ETOOBIG, "file",
			       "表格超过 %zu 行的上限（第 %d 行起超出）：请分批导入",
			       s->x->lim.max_rows, s->rownum);
	s->rows++;
	if (s->info) {
		s->info->rows = s->rows;
		s->info->kinds = s->ckind;
	}
	int rc = s->cb(s->ctx, s->rownum, s->cptr, n, s->x->e);
	if (s->info)
		s->info->kinds = NULL;
	return rc;
}

/* One pass over the attributes (the hot path: once per cell). */
static void cell_begin(sheet *s, entry *en)
{
	s->col = 0;
	s->type = T_N;
	s->style = 0;
	if (xmlTextReaderMoveToFirstAttribute(en->r) == 1) {
		do {
			const char *ln = (const char *)xmlTextReaderConstLocalName(en->r);
			const char *v = (const char *)xmlTextReaderConstValue(en->r);
			if (!ln || !v || ln[1])
				continue;
			if (ln[0] == 'r') {
				s->col = ref_col(v);
			} else if (ln[0] == 's') {
				s->style = (int)parse_pos(v, 1000000);
			} else if (ln[0] == 't') {
				if (!strcmp(v, "s"))
					s->type = T_S;
				else if (!strcmp(v, "str"))
					s->type = T_STR;
				else if (!strcmp(v, "inlineStr"))
					s->type = T_INLINE;
				else if (!strcmp(v, "b"))
					s->type = T_B;
				else if (!strcmp(v, "e"))
					s->type = T_E;
				else if (!strcmp(v, "d"))
					s->type = T_D;
			}
		} while (xmlTextReaderMoveToNextAttribute(en->r) == 1);
		xmlTextReaderMoveToElement(en->r);
	}
	if (!s->col)
		s->col = s->lastcol + 1;
	s->lastcol = s->col;
	s->has_v = s->has_f = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
	zb_buf_reset(&s->val);
}

static void trim(char **p, size_t *n)
{
	while (*n && (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r'))
		(*p)++, (*n)--;
	while (*n && ((*p)[*n - 1] == ' ' || (*p)[*n - 1] == '\t' || (*p)[*n - 1] == '\n' ||
		      (*p)[*n - 1] == '\r'))
		(*n)--;
}

/* ISO 8601 t="d" value to our date / datetime rendering. */
static void iso_date(const char *v, char *out, size_t outsz)
{
	size_t n = strlen(v);
	if (n >= 10 && v[4] == '-' && v[7] == '-') {
		if (n >= 19 && v[10] == 'T' && strncmp(v + 11, "00:00:00", 8))
			snprintf(out, outsz, "%.10s %.8s", v, v + 11);
		else
			snprintf(out, outsz, "%.10s", v);
	} else {
		snprintf(out, outsz, "%s", v);
	}
}

static int cell_end(sheet *s)
{
	xl *x = s->x;
	char num[400];
	const char *out = "";
	size_t outlen = 0;
	int kind = ZB_CELL_EMPTY;
	char *v = s->val.data ? s->val.data : (char *)"";
	size_t vn = s->val.len;

	switch (s->type) {
	case T_S: {
		trim(&v, &vn);
		if (!s->has_v || !vn)
			break;
		size_t idx = 0, k = 0;
		for (; k < vn && v[k] >= '0' && v[k] <= '9' && idx < x->sst.n; k++)
			idx = idx * 10 + (size_t)(v[k] - '0');
		if (k < vn || idx >= x->sst.n) {
			char cn[8];
			col_name(s->col, cn);
			return zb_fail(x->e, ZB_EINVAL, "file",
				       "文件已损坏：第 %d 行 %s 列引用了不存在的文本（编号 %.20s）：请用 Excel 打开后重新保存再上传",
				       s->rownum, cn, v);
		}
		out = sl_get(&x->sst, idx);
		outlen = strlen(out);
		kind = ZB_CELL_TEXT;
		break;
	}
	case T_INLINE:
	case T_STR:
	case T_E:
		if (s->type == T_STR && s->has_f && !s->has_v) {
			kind = ZB_CELL_FORMULA_NOCACHE;
			break;
		}
		vn = decode_xesc(v, vn);
		out = v;
		outlen = vn;
		kind = s->type == T_E ? ZB_CELL_ERROR : ZB_CELL_TEXT;
		break;
	case T_B:
		trim(&v, &vn);
		if (!vn) {
			kind = s->has_f ? ZB_CELL_FORMULA_NOCACHE : ZB_CELL_EMPTY;
			break;
		}
		out = (vn == 1 && v[0] == '0') || (vn == 5 && !strncmp(v, "false", 5)) ? "FALSE"
											    : "TRUE";
		outlen = strlen(out);
		kind = ZB_CELL_BOOL;
		break;
	case T_D:
		trim(&v, &vn);
		v[vn] = '\0';
		if (!vn)
			break;
		iso_date(v, num, sizeof num);
		out = num;
		outlen = strlen(num);
		kind = ZB_CELL_DATE;
		break;
	default: { /* T_N */
		trim(&v, &vn);
		v[vn] = '\0';
		if (!vn) {
			kind = s->has_f ? ZB_CELL_FORMULA_NOCACHE : ZB_CELL_EMPTY;
			break;
		}
		int fmt = s->style >= 0 && (size_t)s->style < x->xf_n ? x->xf_fmt[s->style]
								       : FMT_NONE;
		kind = ZB_CELL_NUMBER;
		out = v;
		outlen = vn;
		if (fmt == FMT_NONE && is_int_literal(v)) {
			/* exact as stored: no trip through a double */
			const char *p = v;
			int neg = *p == '-';
			p += neg;
			while (p[0] == '0' && p[1])
				p++;
			snprintf(num, sizeof num, "%s%s", neg && strcmp(p, "0") ? "-" : "", p);
			out = num;
			outlen = strlen(num);
			break;
		}
		locale_t old = xl_cloc ? uselocale(xl_cloc) : (locale_t)0;
		char *end;
		double d = strtod(v, &end);
		if (*end || !isfinite(d)) {
			if (old)
				uselocale(old);
			break; /* not a number after all: pass the text through */
		}
		long y, sod;
		unsigned m, dd;
		if (fmt != FMT_NONE && !serial_split(d, x->date1904, &y, &m, &dd, &sod)) {
			kind = ZB_CELL_DATE;
			if (fmt == FMT_TIME)
				snprintf(num, sizeof num, "%02ld:%02ld:%02ld", sod / 3600,
					 sod / 60 % 60, sod % 60);
			else if (fmt == FMT_DATETIME && sod)
				snprintf(num, sizeof num, "%04ld-%02u-%02u %02ld:%02ld:%02ld", y, m,
					 dd, sod / 3600, sod / 60 % 60, sod % 60);
			else
				snprintf(num, sizeof num, "%04ld-%02u-%02u", y, m, dd);
		} else if (fmt == FMT_TIME && d >= 0 && d < 1) {
			/* a pure time 0 <= d < 1 fails serial_split in 1900 mode */
			long sec = (long)llround(d * 86400.0) % 86400;
			kind = ZB_CELL_DATE;
			snprintf(num, sizeof num, "%02ld:%02ld:%02ld", sec / 3600, sec / 60 % 60,
				 sec % 60);
		} else {
			render_number(d, num, sizeof num);
		}
		if (old)
			uselocale(old);
		out = num;
		outlen = strlen(num);
		break;
	}
	}

	if (outlen > x->lim.max_cell_bytes)
		return cell_too_big(s);
	if (s->col > s->maxcols) {
		if (!outlen)
			return 0;
		char cn[8];
		col_name(s->col, cn);
		return zb_fail(x->e, ZB_ETOOBIG, "file",
			       "第 %d 行 %s 列有内容，超出了最多 %zu 列的限制：请删除多余的列后再导入",
			       s->rownum, cn, x->lim.max_cols);
	}
	size_t off = s->rowbuf.len;
	int rc = zb_buf_append(&s->rowbuf, out, outlen);
	if (!rc)
		rc = zb_buf_putc(&s->rowbuf, '\0');
	if (rc)
		return rc == ZB_ETOOBIG
			       ? zb_fail(x->e, ZB_ETOOBIG, "file", "第 %d 行的内容过多，超过上限",
					 s->rownum)
			       : zb_fail(x->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
	s->coff[s->col - 1] = off;
	s->ckind[s->col - 1] = (unsigned char)kind;
	if (s->col > s->row_hi) {
		for (int i = s->row_hi; i < s->col - 1; i++)
			s->coff[i] = NONE;
		s->row_hi = s->col;
	}
	return 0;
}

static int read_sheet(xl *x, zb_row_cb cb, void *ctx, zb_table_info *info)
{
	sheet s;
	entry en;
	memset(&s, 0, sizeof s);
	memset(&en, 0, sizeof en);
	s.x = x;
	s.cb = cb;
	s.ctx = ctx;
	s.info = info;
	s.maxcols = x->lim.max_cols > XL_MAX_COL ? XL_MAX_COL : (int)x->lim.max_cols;
	size_t cellmax = x->lim.max_cell_bytes;
	zb_buf_init(&s.val, cellmax > SIZE_MAX / 2 ? SIZE_MAX / 2 : cellmax + 16);
	zb_buf_init(&s.rowbuf, (size_t)s.maxcols * (cellmax + 1) + 1);
	int rc = zb_buf_append(&s.val, "", 0); /* always allocated: cell_end writes a NUL */
	s.coff = malloc((size_t)s.maxcols * sizeof *s.coff);
	s.ckind = calloc((size_t)s.maxcols, 1);
	s.cptr = malloc((size_t)s.maxcols * sizeof *s.cptr);
	if (rc || !s.coff || !s.ckind || !s.cptr) {
		rc = zb_fail(x->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
		goto out;
	}
	rc = entry_open(x, &en, x->sheet_path, 1);
	if (rc)
		goto out;
	int in_data = 0, in_row = 0, in_cell = 0, lastrow = 0, n = 0;
	/* rc collects the first failure of our own or of the callback (any
	 * non-zero value, returned unchanged); n is entry_next()'s state. */
	while (!rc && (n = entry_next(&en)) == 1) {
		int nt = xmlTextReaderNodeType(en.r);
		if (nt == XML_READER_TYPE_ELEMENT) {
			const char *ln = local_name(&en);
			int empty = xmlTextReaderIsEmptyElement(en.r);
			if (!in_data) {
				if (!strcmp(ln, "sheetData")) {
					if (empty)
						break;
					in_data = 1;
				}
				continue;
			}
			if (!strcmp(ln, "row")) {
				char v[32];
				long r = attr(&en, "r", v, sizeof v) ? parse_pos(v, XL_MAX_ROW) : 0;
				if (!r)
					r = lastrow + 1;
				lastrow = (int)r;
				row_begin(&s, (int)r);
				in_row = !empty; /* <row/> is blank by definition */
			} else if (!strcmp(ln, "c")) {
				if (!in_row) {
					rc = fail_bad(x, "工作表结构错误：单元格不在行内");
					break;
				}
				cell_begin(&s, &en);
				in_cell = !empty;
				if (empty)
					rc = cell_end(&s);
			} else if (in_cell) {
				if (!strcmp(ln, "v")) {
					s.has_v = 1;
					s.in_v = !empty;
				} else if (!strcmp(ln, "f")) {
					s.has_f = 1;
				} else if (!strcmp(ln, "is")) {
					s.in_is = !empty;
				} else if (!strcmp(ln, "t")) {
					s.in_t = !empty;
				} else if (!strcmp(ln, "rPh")) {
					s.in_rph = !empty;
				}
			}
		} else if (nt == XML_READER_TYPE_END_ELEMENT) {
			if (!in_data)
				continue;
			const char *ln = local_name(&en);
			if (!strcmp(ln, "sheetData")) {
				break; /* nothing after sheetData is needed */
			} else if (!strcmp(ln, "row")) {
				in_row = 0;
				rc = row_end(&s);
				row_begin(&s, 0);
			} else if (!strcmp(ln, "c")) {
				in_cell = 0;
				rc = cell_end(&s);
			} else if (!strcmp(ln, "v")) {
				s.in_v = 0;
			} else if (!strcmp(ln, "is")) {
				s.in_is = 0;
			} else if (!strcmp(ln, "t")) {
				s.in_t = 0;
			} else if (!strcmp(ln, "rPh")) {
				s.in_rph = 0;
			}
		} else if (in_cell && is_text_node(nt) &&
			   (s.in_v || (s.in_is && s.in_t && !s.in_rph))) {
			const char *v = (const char *)xmlTextReaderConstValue(en.r);
			if (v && zb_buf_puts(&s.val, v))
				rc = cell_too_big(&s);
		}
	}
	if (!rc && n < 0)
		rc = en.err;
	/* a row still open here means the part was cut short: that is an XML
	 * error already reported above, never a silently delivered row */
out:
	entry_close(&en);
	zb_buf_release(&s.val);
	zb_buf_release(&s.rowbuf);
	free(s.coff);
	free(s.ckind);
	free(s.cptr);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

static int not_xlsx(xl *x, const void *data, size_t len)
{
	const unsigned char *p = data;
	zb_table_format f = zb_table_sniff(data, len);
	if (f == ZB_TABLE_XLS) {
		/* an encrypted .xlsx is an OLE2 file with an EncryptionInfo stream */
		static const char enc[] = "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o";
		if (memmem(data, len, enc, sizeof enc - 1))
			return zb_fail(x->e, ZB_EMEDIA, "file",
				       "文件设置了打开密码，无法读取：请在 Excel 中取消密码，再另存为 .xlsx 后上传");
		return zb_fail(x->e, ZB_EMEDIA, "file",
			       "这是旧版 Excel（.xls）文件，不能直接导入：请用 Excel 或 WPS 打开，"
			       "选择“另存为”→“Excel 工作簿（*.xlsx）”后再上传");
	}
	size_t n = len < 512 ? len : 512;
	char head[513];
	for (size_t i = 0; i < n; i++)
		head[i] = (char)((p[i] >= 'A' && p[i] <= 'Z') ? p[i] + 32 : p[i]);
	head[n] = '\0';
	if (memmem(head, n, "<html", 5) || memmem(head, n, "<table", 6) ||
	    memmem(head, n, "<!doctype html", 14))
		return zb_fail(x->e, ZB_EMEDIA, "file",
			       "文件实际上是网页（HTML）格式，并不是 Excel 文件：请用 Excel 打开后，"
			       "“另存为”→“Excel 工作簿（*.xlsx）”再上传");
	return zb_fail(x->e, ZB_EMEDIA, "file",
		       "文件不是有效的 Excel（.xlsx）文件：请确认上传的是用 Excel 或 WPS 保存的 .xlsx 文件");
}

int zb_xlsx_read(const void *data, size_t len, const zb_table_limits *lim,
		 zb_row_cb cb, void *ctx, zb_table_info *info, zb_err *e)
{
	xl x;
	zip_source_t *src = NULL;
	int rc;
	memset(&x, 0, sizeof x);
	x.e = e;
	zb_table_limits_resolve(lim, &x.lim);
	if (x.lim.max_cell_bytes > ((size_t)1 << 24)) /* keeps row buffer caps finite */
		x.lim.max_cell_bytes = (size_t)1 << 24;
	zb_buf_init(&x.sst.buf, x.lim.max_total_bytes);
	if (info) {
		memset(info, 0, sizeof *info);
		info->encoding = "UTF-8";
	}
	pthread_once(&xl_once, xl_init);

	if (len > x.lim.max_file_bytes) {
		rc = zb_fail(e, ZB_ETOOBIG, "file", "文件大小 %s，超过 %s 的上限：请分批导入",
			     HS(len), HS(x.lim.max_file_bytes));
		goto out;
	}
	if (!data || zb_table_sniff(data, len) != ZB_TABLE_XLSX) {
		rc = not_xlsx(&x, data ? data : "", data ? len : 0);
		goto out;
	}
	zip_error_t zerr;
	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
		goto out;
	}
	x.za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	zip_error_fini(&zerr);
	if (!x.za) {
		rc = fail_bad(&x, "压缩包已损坏或不完整，可能上传中断");
		goto out;
	}
	src = NULL; /* owned by x.za now */

	if ((rc = find_parts(&x)) || (rc = read_styles(&x)) || (rc = read_sst(&x)))
		goto out;
	if (info) {
		info->date1904 = x.date1904;
		snprintf(info->sheet, sizeof info->sheet, "%s", x.sheet_name);
	}
	rc = read_sheet(&x, cb, ctx, info);
out:
	if (x.za)
		zip_discard(x.za);
	if (src)
		zip_source_free(src);
	sl_free(&x.sst);
	free(x.xf_fmt);
	if (info)
		info->kinds = NULL;
	return rc;
}
