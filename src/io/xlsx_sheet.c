/* xlsx_sheet.c - the worksheet, streamed: rows into the caller's
 * callback, cells rendered by type (shared or inline text, numbers without
 * exponent, dates by style, booleans, errors, cached formula results). */
#include "io/xlsx_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

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
	int rc = xl_row_charge(s->x, s->cptr, n);
	if (rc)
		return rc;
	s->rows++;
	if (s->info) {
		s->info->rows = s->rows;
		s->info->kinds = s->ckind;
	}
	rc = s->cb(s->ctx, s->rownum, s->cptr, n, s->x->e);
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
		vn = xl_decode_xesc(v, vn);
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
		locale_t cloc = xl_c_locale();
		locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
		char *end;
		double d = strtod(v, &end);
		if (*end || !isfinite(d)) {
			if (old)
				uselocale(old);
			break; /* not a number after all: pass the text through */
		}
		long y, sod;
		unsigned m, dd;
		if (fmt != FMT_NONE && !xl_serial_split(d, x->date1904, &y, &m, &dd, &sod)) {
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
			/* a pure time 0 <= d < 1 fails xl_serial_split in 1900 mode */
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
			xl_part_stop(p, xl_fail_bad(s->x, "工作表结构错误：单元格不在行内"));
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
		xl_part_stop(p, 0); /* nothing after sheetData is needed */
		return;
	}
	if (rc)
		xl_part_stop(p, rc); /* ours, or the row callback's own value */
}

static void sheet_text(part *p, const char *t, size_t n)
{
	sheet *s = p->ud;
	if (s->in_cell && (s->in_v || (s->in_is && s->in_t && !s->in_rph)) &&
	    zb_buf_append(&s->val, t, n))
		xl_part_stop(p, cell_too_big(s));
}

int xl_read_sheet(xl *x, zb_row_cb cb, void *ctx, zb_table_info *info)
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
		rc = xl_fail_oom(x);
		goto out;
	}
	part p = {.x = x, .name = x->sheet_path, .ud = &s, .start = sheet_start,
		  .end = sheet_end, .text = sheet_text};
	s.p = &p;
	rc = xl_part_parse(&p, 1);
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

