/* xlsx_date.c - dates in an .xlsx: serials of the 1900 and 1904 date
 * systems, which number formats are dates or times (built-in ids and
 * custom format codes), and the styles part that maps cell styles to them. */
#include "io/xlsx_int.h"
#include "core/grow.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int xl_serial_split(double serial, int date1904, long *y, unsigned *m, unsigned *d,
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
	if (xl_serial_split(serial, date1904, &y, &m, &d, &sod))
		return ZB_EINVAL;
	snprintf(out, 11, "%04ld-%02u-%02u", y, m, d);
	return 0;
}

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

/* styles: which cellXfs entries carry a date/time number format */
typedef struct styles_ctx {
	unsigned *xf_id;        /* numFmtId per cellXfs entry */
	size_t nxf, capxf;
	unsigned *cf_id;        /* custom format ids ... */
	unsigned char *cf_kind; /* ... and their kinds */
	size_t ncf, capcf, capkind;
	int in_xfs;
} styles_ctx;

static void styles_start(part *p, const char *ln, int na, const xmlChar **at)
{
	styles_ctx *c = p->ud;
	char v[64];
	if (!strcmp(ln, "cellXfs")) {
		c->in_xfs = 1;
	} else if (c->in_xfs && !strcmp(ln, "xf")) {
		if (ZB_GROW(c->xf_id, c->nxf, c->capxf)) {
			xl_part_stop(p, xl_fail_oom(p->x));
			return;
		}
		c->xf_id[c->nxf++] = xl_sax_attr(na, at, "numFmtId", v, sizeof v)
					     ? (unsigned)parse_pos(v, strlen(v), 100000) : 0;
	} else if (!strcmp(ln, "numFmt")) {
		char code[1024];
		if (!xl_sax_attr(na, at, "numFmtId", v, sizeof v) ||
		    !xl_sax_attr(na, at, "formatCode", code, sizeof code))
			return;
		if (ZB_GROW(c->cf_id, c->ncf, c->capcf) || ZB_GROW(c->cf_kind, c->ncf, c->capkind)) {
			xl_part_stop(p, xl_fail_oom(p->x));
			return;
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
		xl_part_stop(p, 0); /* fonts, fills, dxfs... are not needed */
	}
}

int xl_read_styles(xl *x)
{
	styles_ctx c;
	memset(&c, 0, sizeof c);
	part p = {.x = x, .name = x->styles_path, .ud = &c, .start = styles_start,
		  .end = styles_end};
	int rc = xl_part_parse(&p, 0);
	if (rc == ABSENT) {
		rc = 0;
	} else if (!rc && c.nxf) {
		x->xf_fmt = calloc(c.nxf, 1);
		if (!x->xf_fmt) {
			rc = xl_fail_oom(x);
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

