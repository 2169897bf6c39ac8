/* xlsx_read.c - stream the first worksheet of an .xlsx held in memory.
 *
 * Layout of the work: libzip opens the buffer; each XML part is inflated
 * in 64 KiB chunks by zip_fread() and pushed into a libxml2 SAX2 push
 * parser (part_parse).  Every inflated byte counts against the
 * uncompressed budget as it is read, because the sizes a zip declares can
 * lie.  Parts are read in this order:
 *   _rels/.rels -> workbook (sheets, date1904) -> workbook rels -> styles
 *   (which cell styles are dates) -> shared strings -> the sheet, streamed
 *   row by row into the caller's callback.
 * Only the shared strings are held in memory whole; the sheet never is.
 * With lim.charge set, the shared strings and every delivered row are
 * counted in a budget shared with concurrent reads (io/membudget.h), so
 * several lying zips at once cannot add up past it.
 *
 * Why SAX2 and not xmlTextReader: the reader builds and frees a node per
 * element; on a 100k-row sheet written by LibreOffice the whole read took
 * 1.8 s with the reader and 0.7 s with SAX2 (same machine, same file).
 *
 * XML safety: XML_PARSE_NONET, never XML_PARSE_NOENT / DTDLOAD / DTDATTR,
 * no entity handlers, and any DOCTYPE stops the parse at once: real xlsx
 * parts never have one.
 */
#include "io/table.h"

#include "core/buf.h"
#include "core/err.h"

#include <libxml/parser.h>
#include <libxml/SAX2.h>
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

/* Parse "B12" style reference in s[0..len): column (1-based), 0 if invalid. */
static int ref_col(const char *s, size_t len)
{
	int col = 0, n = 0;
	for (; len; s++, len--, n++) {
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

/* Parse a positive decimal integer in s[0..len) up to max; 0 if invalid. */
static long parse_pos(const char *s, size_t len, long max)
{
	long v = 0;
	if (!s || !len)
		return 0;
	for (; len; s++, len--) {
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
	size_t reserved;    /* ZB_TABLE_READ_RESERVE, counted in lim.charge */
	size_t sst_charged; /* shared strings' bytes counted in lim.charge */
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

/* ---- streaming one part ------------------------------------------------- */

/* One zip entry parsed by a SAX2 push parser.  A SAX2 parser builds no
 * tree: on a 100k-row LibreOffice sheet it parsed in 0.40 s where an
 * xmlTextReader took 0.92 s.  Handlers see the element's local name (so
 * prefixed "x:c" and plain "c" are alike) and libxml2's attribute array. */
typedef struct part part;
typedef void (*start_fn)(part *p, const char *ln, int nattr, const xmlChar **attrs);
typedef void (*end_fn)(part *p, const char *ln);
typedef void (*text_fn)(part *p, const char *s, size_t n);

struct part {
	xl *x;
	const char *name;
	void *ud;             /* the handlers' own state */
	start_fn start;
	end_fn end;
	text_fn text;
	xmlParserCtxtPtr ctxt;
	int rc;               /* first failure, ours or the row callback's */
	int done;             /* a handler saw all it needs: stop, no error */
	int xml_line;         /* line of libxml2's first error */
	int doctype;          /* a DOCTYPE was met */
};

/* Stop parsing with rc (already reported in e) or, rc == 0, as finished. */
static void part_stop(part *p, int rc)
{
	if (rc && !p->rc)
		p->rc = rc;
	if (!rc)
		p->done = 1;
	xmlStopParser(p->ctxt);
}

static void sax_start(void *ud, const xmlChar *ln, const xmlChar *prefix, const xmlChar *uri,
		      int nns, const xmlChar **ns, int nattr, int ndefaulted,
		      const xmlChar **attrs)
{
	part *p = ud;
	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	if (!p->rc && !p->done && p->start)
		p->start(p, (const char *)ln, nattr, attrs);
}

static void sax_end(void *ud, const xmlChar *ln, const xmlChar *prefix, const xmlChar *uri)
{
	part *p = ud;
	(void)prefix, (void)uri;
	if (!p->rc && !p->done && p->end)
		p->end(p, (const char *)ln);
}

static void sax_text(void *ud, const xmlChar *s, int n)
{
	part *p = ud;
	if (!p->rc && !p->done && p->text && n > 0)
		p->text(p, (const char *)s, (size_t)n);
}

/* Real xlsx parts never carry a DTD; refusing it before any declaration
 * is read closes entity expansion (billion laughs) and XXE for good. */
static void sax_doctype(void *ud, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
	part *p = ud;
	(void)name, (void)eid, (void)sid;
	p->doctype = 1;
	xmlStopParser(p->ctxt);
}

/* Keep libxml2 off stderr; remember where the first error was. */
static void sax_error(void *ud, xmlErrorPtr err)
{
	part *p = ud;
	if (p && !p->xml_line && err)
		p->xml_line = err->line > 0 ? err->line : 1;
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

static int fail_oom(xl *x)
{
	return zb_fail(x->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
}

static int fail_encrypted(xl *x)
{
	return zb_fail(x->e, ZB_EMEDIA, "file",
		       "文件内容被加密，无法读取：请取消密码后另存为 .xlsx 再上传");
}

static int fail_method(xl *x)
{
	return zb_fail(x->e, ZB_EMEDIA, "file",
		       "文件使用了不支持的压缩方式，无法读取：请用 Excel 或 WPS 重新另存为 .xlsx 再上传");
}

#define ABSENT (-1) /* part_parse: an optional part is not in the package */
#define CHUNK 65536

/* Stream part p->name through the handlers.  Every inflated byte counts
 * against lim.max_total_bytes as it is read: the sizes in the zip
 * directory are checked first but can lie.  Returns 0, ABSENT (when
 * !required) or a zb_code / the row callback's code. */
static int part_parse(part *p, int required)
{
	xl *x = p->x;
	zip_file_t *zf = NULL;
	char *buf = NULL;
	int rc = 0;
	p->ctxt = NULL;

	zip_int64_t idx = zip_name_locate(x->za, p->name, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (!required)
			return ABSENT;
		char why[600];
		snprintf(why, sizeof why, "缺少 %s", p->name);
		return fail_bad(x, why);
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
		return fail_bad(x, "压缩包已损坏");
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return fail_encrypted(x);
	if ((st.valid & ZIP_STAT_COMP_METHOD) &&
	    !zip_compression_method_supported((zip_int32_t)st.comp_method, 0))
		return fail_method(x);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_total_bytes - x->total)
		return fail_budget(x);

	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(x->za));
		if (ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
			return fail_encrypted(x);
		if (ze == ZIP_ER_COMPNOTSUPP)
			return fail_method(x);
		return fail_bad(x, "压缩包已损坏");
	}
	buf = malloc(CHUNK);
	xmlSAXHandler h;
	memset(&h, 0, sizeof h);
	h.initialized = XML_SAX2_MAGIC;
	h.startElementNs = sax_start;
	h.endElementNs = sax_end;
	h.characters = sax_text;
	h.ignorableWhitespace = sax_text;
	h.cdataBlock = sax_text;
	h.internalSubset = sax_doctype;
	h.externalSubset = sax_doctype;
	h.serror = sax_error;
	/* no getEntity / entityDecl: no entity but the five predefined ones */
	p->ctxt = buf ? xmlCreatePushParserCtxt(&h, p, NULL, 0, p->name) : NULL;
	if (!p->ctxt) {
		rc = fail_oom(x);
		goto out;
	}
	/* NONET: never fetch anything; NOERROR/NOWARNING: no stderr noise.
	 * Deliberately absent: NOENT, DTDLOAD, DTDATTR, XINCLUDE, HUGE. */
	xmlCtxtUseOptions(p->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

	int ioerr = 0, xmlerr = 0;
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, CHUNK);
		if (n < 0) {
			ioerr = 1;
			break;
		}
		if ((size_t)n > x->lim.max_total_bytes - x->total) {
			rc = fail_budget(x);
			goto out;
		}
		x->total += (size_t)n;
		xmlerr = xmlParseChunk(p->ctxt, buf, (int)n, n == 0);
		if (p->rc || p->done || p->doctype || xmlerr || n == 0)
			break;
	}
	if (p->rc) {
		rc = p->rc;
	} else if (p->doctype) {
		char why[600];
		snprintf(why, sizeof why, "%s 含有不允许的 DOCTYPE 声明", p->name);
		rc = fail_bad(x, why);
	} else if (p->done) {
		rc = 0;
	} else if (ioerr) {
		char why[640];
		snprintf(why, sizeof why, "压缩包已损坏或不完整，读取 %s 失败，可能上传中断", p->name);
		rc = fail_bad(x, why);
	} else if (xmlerr || !p->ctxt->wellFormed) {
		char why[640];
		snprintf(why, sizeof why, "%s 第 %d 行 XML 格式错误", p->name,
			 p->xml_line ? p->xml_line : xmlSAX2GetLineNumber(p->ctxt));
		rc = fail_bad(x, why);
	}
out:
	if (p->ctxt) {
		if (p->ctxt->myDoc) /* never built by our handlers; be sure */
			xmlFreeDoc(p->ctxt->myDoc);
		xmlFreeParserCtxt(p->ctxt);
		p->ctxt = NULL;
	}
	free(buf);
	zip_fclose(zf);
	return rc;
}

/* Attribute `name` (local name) from a SAX2 array into out, NUL-ended.
 * libxml2 hands '&' in attribute values over as "&#38;" when entities are
 * not substituted (and we never substitute): decoded here.  1 if found. */
static int sax_attr(int nattr, const xmlChar **at, const char *name, char *out, size_t outsz)
{
	for (int i = 0; i < nattr; i++, at += 5) {
		if (strcmp((const char *)at[0], name))
			continue;
		const char *v = (const char *)at[3], *end = (const char *)at[4];
		size_t o = 0;
		while (v < end && o + 1 < outsz) {
			if (*v == '&' && end - v >= 5 && !memcmp(v, "&#38;", 5)) {
				out[o++] = '&';
				v += 5;
			} else {
				out[o++] = *v++;
			}
		}
		out[o] = '\0';
		return 1;
	}
	return 0;
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

typedef struct list_ctx {
	strlist *l;
	int oom;
} list_ctx;

static void list_add(part *p, list_ctx *c, const char *s)
{
	int rc = sl_add(c->l, s);
	if (rc)
		part_stop(p, rc == ZB_ETOOBIG ? fail_budget(p->x) : fail_oom(p->x));
}

/* .rels: triples (Id, Type, Target), external targets skipped */
static void rels_start(part *p, const char *ln, int na, const xmlChar **at)
{
	list_ctx *c = p->ud;
	char id[256], type[256], target[1024], mode[32];
	if (strcmp(ln, "Relationship"))
		return;
	if (!sax_attr(na, at, "Id", id, sizeof id) ||
	    !sax_attr(na, at, "Target", target, sizeof target))
		return;
	if (!sax_attr(na, at, "Type", type, sizeof type))
		type[0] = '\0';
	if (sax_attr(na, at, "TargetMode", mode, sizeof mode) && !strcmp(mode, "External"))
		return;
	list_add(p, c, id);
	list_add(p, c, type);
	list_add(p, c, target);
}

/* Returns 0, ABSENT or a zb_code. */
static int read_rels(xl *x, const char *name, strlist *rels)
{
	list_ctx c = {rels, 0};
	part p = {.x = x, .name = name, .ud = &c, .start = rels_start};
	return part_parse(&p, 0);
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

/* workbook: date system, and the sheets in tab order as triples
 * (name, r:id, state) */
static void workbook_start(part *p, const char *ln, int na, const xmlChar **at)
{
	list_ctx *c = p->ud;
	char v[256];
	if (!strcmp(ln, "workbookPr")) {
		if (sax_attr(na, at, "date1904", v, sizeof v))
			p->x->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
	} else if (!strcmp(ln, "sheet")) {
		char name[256], rid[256], state[32];
		/* r:id is the only attribute of <sheet> whose local name is "id" */
		if (!sax_attr(na, at, "id", rid, sizeof rid))
			return;
		if (!sax_attr(na, at, "name", name, sizeof name))
			name[0] = '\0';
		if (!sax_attr(na, at, "state", state, sizeof state))
			state[0] = '\0';
		list_add(p, c, name);
		list_add(p, c, rid);
		list_add(p, c, state);
	}
}

static void workbook_end(part *p, const char *ln)
{
	if (!strcmp(ln, "sheets"))
		part_stop(p, 0); /* nothing we need comes after <sheets> */
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

	list_ctx c = {&sheets, 0};
	part p = {.x = x, .name = x->wb_path, .ud = &c, .start = workbook_start,
		  .end = workbook_end};
	if ((rc = part_parse(&p, 1)))
		goto out;
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

	/* first visible worksheet in tab order, else the first worksheet;
	 * chart sheets and dialog sheets hold no cells */
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

/* styles: which cellXfs entries carry a date/time number format */
typedef struct styles_ctx {
	unsigned *xf_id;        /* numFmtId per cellXfs entry */
	size_t nxf, capxf;
	unsigned *cf_id;        /* custom format ids ... */
	unsigned char *cf_kind; /* ... and their kinds */
	size_t ncf, capcf;
	int in_xfs;
} styles_ctx;

static void styles_start(part *p, const char *ln, int na, const xmlChar **at)
{
	styles_ctx *c = p->ud;
	char v[64];
	if (!strcmp(ln, "cellXfs")) {
		c->in_xfs = 1;
	} else if (c->in_xfs && !strcmp(ln, "xf")) {
		if (c->nxf == c->capxf) {
			size_t nc = c->capxf ? c->capxf * 2 : 64;
			unsigned *np = realloc(c->xf_id, nc * sizeof *np);
			if (!np) {
				part_stop(p, fail_oom(p->x));
				return;
			}
			c->xf_id = np;
			c->capxf = nc;
		}
		c->xf_id[c->nxf++] = sax_attr(na, at, "numFmtId", v, sizeof v)
					     ? (unsigned)parse_pos(v, strlen(v), 100000) : 0;
	} else if (!strcmp(ln, "numFmt")) {
		char code[1024];
		if (!sax_attr(na, at, "numFmtId", v, sizeof v) ||
		    !sax_attr(na, at, "formatCode", code, sizeof code))
			return;
		if (c->ncf == c->capcf) {
			size_t nc = c->capcf ? c->capcf * 2 : 16;
			unsigned *np = realloc(c->cf_id, nc * sizeof *np);
			if (np)
				c->cf_id = np;
			unsigned char *nk = np ? realloc(c->cf_kind, nc) : NULL;
			if (!nk) {
				part_stop(p, fail_oom(p->x));
				return;
			}
			c->cf_kind = nk;
			c->capcf = nc;
		}
		c->cf_id[c->ncf] = (unsigned)parse_pos(v, strlen(v), 100000);
		c->cf_kind[c->ncf++] = (unsigned char)custom_fmt(code);
	}
}

static void styles_end(part *p, const char *ln)
{
	styles_ctx *c = p->ud;
	if (!strcmp(ln, "cellXfs")) {
		c->in_xfs = 0;
		part_stop(p, 0); /* fonts, fills, dxfs... are not needed */
	}
}

static int read_styles(xl *x)
{
	styles_ctx c;
	memset(&c, 0, sizeof c);
	part p = {.x = x, .name = x->styles_path, .ud = &c, .start = styles_start,
		  .end = styles_end};
	int rc = part_parse(&p, 0);
	if (rc == ABSENT) {
		rc = 0;
	} else if (!rc && c.nxf) {
		x->xf_fmt = calloc(c.nxf, 1);
		if (!x->xf_fmt) {
			rc = fail_oom(x);
		} else {
			x->xf_n = c.nxf;
			for (size_t i = 0; i < c.nxf; i++) {
				int k = builtin_fmt(c.xf_id[i]);
				for (size_t j = 0; j < c.ncf; j++)
					if (c.cf_id[j] == c.xf_id[i])
						k = c.cf_kind[j];
				x->xf_fmt[i] = (unsigned char)k;
			}
		}
	}
	free(c.xf_id);
	free(c.cf_id);
	free(c.cf_kind);
	return rc;
}

/* shared strings: <si> = <t> | (<r><t>)* ; <rPh> phonetic runs ignored */
typedef struct sst_ctx {
	int in_si, in_t, in_rph;
	size_t start;
} sst_ctx;

static void sst_fail(part *p, int rc)
{
	part_stop(p, rc == ZB_ETOOBIG ? fail_budget(p->x) : fail_oom(p->x));
}

#define SST_CHARGE_STEP ((size_t)256 << 10)

/* Count the shared strings held so far in the shared budget, in steps. */
static void sst_charge(part *p)
{
	xl *x = p->x;
	size_t now = x->sst.buf.len + x->sst.n * sizeof *x->sst.off;
	if (!x->lim.charge || now <= x->sst_charged)
		return;
	size_t add = now - x->sst_charged;
	add = (add + SST_CHARGE_STEP - 1) / SST_CHARGE_STEP * SST_CHARGE_STEP;
	int rc = zb_memcharge_add(x->lim.charge, add, x->e);
	if (rc)
		part_stop(p, rc);
	else
		x->sst_charged += add;
}

static void sst_start(part *p, const char *ln, int na, const xmlChar **at)
{
	sst_ctx *c = p->ud;
	(void)na, (void)at;
	if (!strcmp(ln, "si")) {
		c->start = p->x->sst.buf.len;
		c->in_si = 1;
	} else if (!strcmp(ln, "t")) {
		c->in_t = 1;
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph = 1;
	}
}

static void sst_end(part *p, const char *ln)
{
	sst_ctx *c = p->ud;
	strlist *l = &p->x->sst;
	if (!strcmp(ln, "t")) {
		c->in_t = 0;
	} else if (!strcmp(ln, "rPh")) {
		c->in_rph = 0;
	} else if (!strcmp(ln, "si") && c->in_si) {
		c->in_si = 0;
		if (!l->buf.data) { /* <si/> first: make sure data exists */
			int rc = zb_buf_append(&l->buf, "", 0);
			if (rc) {
				sst_fail(p, rc);
				return;
			}
		}
		size_t n = decode_xesc(l->buf.data + c->start, l->buf.len - c->start);
		l->buf.len = c->start + n;
		int rc = zb_buf_putc(&l->buf, '\0');
		if (!rc)
			rc = sl_push_off(l, c->start);
		if (rc)
			sst_fail(p, rc);
		else
			sst_charge(p);
	}
}

static void sst_text(part *p, const char *s, size_t n)
{
	sst_ctx *c = p->ud;
	if (c->in_si && c->in_t && !c->in_rph) {
		int rc = zb_buf_append(&p->x->sst.buf, s, n);
		if (rc)
			sst_fail(p, rc);
		else
			sst_charge(p);
	}
}

static int read_sst(xl *x)
{
	sst_ctx c;
	memset(&c, 0, sizeof c);
	part p = {.x = x, .name = x->sst_path, .ud = &c, .start = sst_start, .end = sst_end,
		  .text = sst_text};
	int rc = part_parse(&p, 0);
	return rc == ABSENT ? 0 : rc;
}

/* ---- the sheet ---------------------------------------------------------- */

enum { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D };

typedef struct sheet {
	xl *x;
	part *p;
	zb_row_cb cb;
	void *ctx;
	zb_table_info *info;
	int maxcols;           /* columns we store (<= XL_MAX_COL) */
	size_t *coff;          /* offset in rowbuf per column, NONE if empty */
	unsigned char *ckind;  /* zb_cell_kind per column */
	const char **cptr;
	zb_buf rowbuf;
	int row_hi;            /* highest column stored in this row */
	int rownum, lastcol, lastrow;
	int in_data, in_row, in_cell;
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
	if (s->x->lim.charge) {
		/* what a caller keeping the row holds: text, pointer, kind */
		size_t keep = (size_t)n * (sizeof(char *) + 2);
		for (int i = 0; i < n; i++)
			keep += strlen(s->cptr[i]);
		int rc = zb_memcharge_add(s->x->lim.charge, keep, s->x->e);
		if (rc)
			return rc;
	}
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

/* One pass over the attributes (the hot path: once per cell).  SAX2
 * attribute values are not NUL-terminated: at[3]..at[4]. */
static void cell_begin(sheet *s, int na, const xmlChar **at)
{
	s->col = 0;
	s->type = T_N;
	s->style = 0;
	for (int i = 0; i < na; i++, at += 5) {
		const char *ln = (const char *)at[0];
		const char *v = (const char *)at[3];
		size_t n = (size_t)(at[4] - at[3]);
		if (ln[0] == '\0' || ln[1] != '\0')
			continue;
		if (ln[0] == 'r') {
			s->col = ref_col(v, n);
		} else if (ln[0] == 's') {
			s->style = (int)parse_pos(v, n, 1000000);
		} else if (ln[0] == 't') {
			if (n == 1 && v[0] == 's')
				s->type = T_S;
			else if (n == 3 && !memcmp(v, "str", 3))
				s->type = T_STR;
			else if (n == 9 && !memcmp(v, "inlineStr", 9))
				s->type = T_INLINE;
			else if (n == 1 && v[0] == 'b')
				s->type = T_B;
			else if (n == 1 && v[0] == 'e')
				s->type = T_E;
			else if (n == 1 && v[0] == 'd')
				s->type = T_D;
		}
	}
	if (!s->col)
		s->col = s->lastcol + 1;
	s->lastcol = s->col;
	s->has_v = s->has_f = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
	zb_buf_reset(&s->val);
}

static void sheet_start(part *p, const char *ln, int na, const xmlChar **at)
{
	sheet *s = p->ud;
	if (!s->in_data) {
		if (!strcmp(ln, "sheetData"))
			s->in_data = 1;
		return;
	}
	if (ln[0] == 'c' && !ln[1]) {
		if (!s->in_row) {
			part_stop(p, fail_bad(s->x, "工作表结构错误：单元格不在行内"));
			return;
		}
		cell_begin(s, na, at);
		s->in_cell = 1;
	} else if (s->in_cell) {
		if (!strcmp(ln, "v")) {
			s->has_v = 1;
			s->in_v = 1;
		} else if (!strcmp(ln, "f")) {
			s->has_f = 1;
		} else if (!strcmp(ln, "is")) {
			s->in_is = 1;
		} else if (!strcmp(ln, "t")) {
			s->in_t = 1;
		} else if (!strcmp(ln, "rPh")) {
			s->in_rph = 1;
		}
	} else if (!strcmp(ln, "row")) {
		long r = 0;
		for (int i = 0; i < na; i++)
			if (!strcmp((const char *)at[5 * i], "r"))
				r = parse_pos((const char *)at[5 * i + 3],
					      (size_t)(at[5 * i + 4] - at[5 * i + 3]), XL_MAX_ROW);
		if (!r)
			r = s->lastrow + 1;
		s->lastrow = (int)r;
		row_begin(s, (int)r);
		s->in_row = 1;
	}
}

static void sheet_end(part *p, const char *ln)
{
	sheet *s = p->ud;
	int rc = 0;
	if (!s->in_data)
		return;
	if (ln[0] == 'c' && !ln[1]) {
		s->in_cell = 0;
		rc = cell_end(s);
	} else if (!strcmp(ln, "v")) {
		s->in_v = 0;
	} else if (!strcmp(ln, "row")) {
		s->in_row = 0;
		rc = row_end(s);
		row_begin(s, 0);
	} else if (!strcmp(ln, "t")) {
		s->in_t = 0;
	} else if (!strcmp(ln, "is")) {
		s->in_is = 0;
	} else if (!strcmp(ln, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(ln, "sheetData")) {
		part_stop(p, 0); /* nothing after sheetData is needed */
		return;
	}
	if (rc)
		part_stop(p, rc); /* ours, or the row callback's own value */
}

static void sheet_text(part *p, const char *t, size_t n)
{
	sheet *s = p->ud;
	if (s->in_cell && (s->in_v || (s->in_is && s->in_t && !s->in_rph)) &&
	    zb_buf_append(&s->val, t, n))
		part_stop(p, cell_too_big(s));
}

static int read_sheet(xl *x, zb_row_cb cb, void *ctx, zb_table_info *info)
{
	sheet s;
	memset(&s, 0, sizeof s);
	s.x = x;
	s.cb = cb;
	s.ctx = ctx;
	s.info = info;
	s.maxcols = x->lim.max_cols > XL_MAX_COL ? XL_MAX_COL : (int)x->lim.max_cols;
	size_t cellmax = x->lim.max_cell_bytes;
	zb_buf_init(&s.val, cellmax + 16);
	zb_buf_init(&s.rowbuf, (size_t)s.maxcols * (cellmax + 1) + 1);
	int rc = zb_buf_append(&s.val, "", 0); /* always allocated: cell_end writes a NUL */
	s.coff = malloc((size_t)s.maxcols * sizeof *s.coff);
	s.ckind = calloc((size_t)s.maxcols, 1);
	s.cptr = malloc((size_t)s.maxcols * sizeof *s.cptr);
	if (rc || !s.coff || !s.ckind || !s.cptr) {
		rc = fail_oom(x);
		goto out;
	}
	part p = {.x = x, .name = x->sheet_path, .ud = &s, .start = sheet_start,
		  .end = sheet_end, .text = sheet_text};
	s.p = &p;
	rc = part_parse(&p, 1);
	/* rows already delivered before a late error stay delivered: callers
	 * treat any non-zero return as "the file as a whole failed" */
out:
	zb_buf_release(&s.val);
	zb_buf_release(&s.rowbuf);
	free(s.coff);
	free(s.ckind);
	free(s.cptr);
	return rc;
}

/* ---- entry point -------------------------------------------------------- */

/* libzip reads the whole central directory when it opens a zip, ~300 bytes
 * of memory per entry: a 20 MB upload of empty entries would cost ~70 MB
 * before any budget is asked.  Real workbooks have tens of parts. */
#define XL_MAX_ENTRIES 10000

static uint64_t le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The entry count the zip's end record declares (ZIP64 too), 0 if there is
 * no end record that ends exactly at the end of the data. */
static uint64_t declared_entries(const unsigned char *p, size_t len)
{
	if (len < 22)
		return 0;
	size_t lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
	for (size_t i = len - 22 + 1; i-- > lo;) {
		if (p[i] != 'P' || p[i + 1] != 'K' || p[i + 2] != 5 || p[i + 3] != 6)
			continue;
		if (i + 22 + le(p + i + 20, 2) != len)
			continue;
		uint64_t n = le(p + i + 10, 2);
		if (n == 0xFFFF && i >= 20 && !memcmp(p + i - 20, "PK\x06\x07", 4)) {
			uint64_t off = le(p + i - 20 + 8, 8);
			if (off < len && len - off >= 56 && !memcmp(p + off, "PK\x06\x06", 4))
				n = le(p + off + 32, 8);
		}
		return n;
	}
	return 0;
}

static int fail_entries(xl *x, uint64_t n)
{
	return zb_fail(x->e, ZB_ETOOBIG, "file",
		       "压缩包中有 %llu 个文件，远超 Excel 文件的正常数量（上限 %d 个）：这不是正常的 .xlsx 文件，请用 Excel 或 WPS 重新另存为 .xlsx 再上传",
		       (unsigned long long)n, XL_MAX_ENTRIES);
}

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
	uint64_t nent = declared_entries(data, len);
	if (nent > XL_MAX_ENTRIES) {
		rc = fail_entries(&x, nent);
		goto out;
	}
	if ((rc = zb_memcharge_add(x.lim.charge, ZB_TABLE_READ_RESERVE, e)))
		goto out;
	x.reserved = x.lim.charge ? ZB_TABLE_READ_RESERVE : 0;
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
	if (zip_get_num_entries(x.za, 0) > XL_MAX_ENTRIES) { /* an end record we did not see */
		rc = fail_entries(&x, (uint64_t)zip_get_num_entries(x.za, 0));
		goto out;
	}

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
	/* what was freed here is given back; delivered rows stay counted */
	zb_memcharge_sub(x.lim.charge, x.reserved + x.sst_charged);
	if (info)
		info->kinds = NULL;
	return rc;
}
