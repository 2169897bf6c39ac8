/* csv_read.c - RFC 4180 CSV from memory, with the encodings Excel writes.
 *
 * The whole input is first turned into UTF-8 text (copied only when it is
 * not UTF-8 already), then split into records in one pass.  Excel in China
 * saves "CSV (逗号分隔)" as GBK, "CSV UTF-8" with a BOM and "Unicode 文本"
 * as tab-separated UTF-16LE: all three are recognised.
 */
#include "io/table.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/escape.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HS(n) ZB_SIZE_TEXT(n)

/* 1-based line number of offset pos in UTF-8 text (CRLF, LF, CR). */
static int line_at(const char *s, size_t pos)
{
	int line = 1;
	for (size_t i = 0; i < pos; i++) {
		if (s[i] == '\n') {
			line++;
		} else if (s[i] == '\r') {
			line++;
			if (i + 1 < pos && s[i + 1] == '\n')
				i++;
		}
	}
	return line;
}

/* Offset of the first byte that does not start a valid UTF-8 sequence. */
static size_t first_bad_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		size_t k = ch < 0x80 ? 1 : (ch & 0xE0) == 0xC0 ? 2 : (ch & 0xF0) == 0xE0 ? 3
				     : (ch & 0xF8) == 0xF0 ? 4 : 0;
		if (!k || k > n - i || !zb_utf8_valid(s + i, k))
			return i;
		i += k;
	}
	return n;
}

static const char undecodable[] =
	"第 %d 行含有无法识别的字符：文件既不是 UTF-8 也不是 GBK 编码。"
	"请用 Excel 打开后“另存为”→“CSV UTF-8（逗号分隔）”再上传";

/* Convert in[0..n) from `from` to UTF-8 into a new malloc'd buffer. */
static int to_utf8(const char *from, const char *in, size_t n, size_t max,
		   char **out, size_t *outlen, zb_err *e)
{
	iconv_t cd = iconv_open("UTF-8", from);
	char *buf = NULL;
	int rc = 0;
	if (cd == (iconv_t)-1)
		return zb_fail(e, ZB_EINTERNAL, "file", "服务器不支持 %s 编码转换", from);
	/* every source unit of 2 bytes yields at most 3 UTF-8 bytes, 1 -> 1,
	 * 4 -> 4: 1.5 n + slack bounds the output */
	size_t cap = n / 2 * 3 + n % 2 + 8;
	if (cap > max + 1)
		cap = max + 1;
	buf = malloc(cap);
	if (!buf) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
		goto out;
	}
	char *ip = (char *)in, *op = buf;
	size_t il = n, ol = cap - 1;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		if (errno == E2BIG)
			rc = zb_fail(e, ZB_ETOOBIG, "file", "文件转换为 UTF-8 后超过 %s 的上限",
				     HS(max));
		else
			rc = zb_fail(e, ZB_EINVAL, "file", undecodable,
				     line_at(buf, (size_t)(op - buf)));
		goto out;
	}
	*op = '\0';
	*outlen = (size_t)(op - buf);
	*out = buf;
	buf = NULL;
out:
	free(buf);
	iconv_close(cd);
	return rc;
}

typedef struct csv {
	zb_table_limits lim;
	zb_err *e;
	zb_row_cb cb;
	void *ctx;
	zb_table_info *info;
	zb_buf rowbuf;
	size_t *off;          /* field offsets in rowbuf, max_cols of them */
	const char **cptr;
	unsigned char *kind;
	size_t nf;            /* fields stored in this record */
	size_t hi;            /* last non-empty field + 1 */
	size_t fstart;        /* offset of the field being built */
	int rownum;
	size_t rows;
} csv;

static int field_too_big(csv *c)
{
	return zb_fail(c->e, ZB_ETOOBIG, "file", "第 %d 行第 %zu 列的内容超过 %s 的上限",
		       c->rownum, c->nf + 1, HS(c->lim.max_cell_bytes));
}

static int fld_append(csv *c, const char *p, size_t n)
{
	if (c->rowbuf.len - c->fstart + n > c->lim.max_cell_bytes)
		return field_too_big(c);
	int rc = zb_buf_append(&c->rowbuf, p, n);
	if (rc == ZB_ETOOBIG)
		return zb_fail(c->e, ZB_ETOOBIG, "file", "第 %d 行的内容过多，超过上限", c->rownum);
	if (rc)
		return zb_fail(c->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
	return 0;
}

static int fld_end(csv *c)
{
	size_t flen = c->rowbuf.len - c->fstart;
	if (c->nf >= c->lim.max_cols) {
		if (flen)
			return zb_fail(c->e, ZB_ETOOBIG, "file",
				       "第 %d 行第 %zu 列有内容，超出了最多 %zu 列的限制：请删除多余的列后再导入",
				       c->rownum, c->nf + 1, c->lim.max_cols);
		c->nf++; /* trailing empty fields past the cap are harmless */
		return 0;
	}
	int rc = zb_buf_putc(&c->rowbuf, '\0');
	if (rc)
		return rc == ZB_ETOOBIG ? zb_fail(c->e, ZB_ETOOBIG, "file",
						  "第 %d 行的内容过多，超过上限", c->rownum)
					: zb_fail(c->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
	c->off[c->nf] = c->fstart;
	c->kind[c->nf] = flen ? ZB_CELL_TEXT : ZB_CELL_EMPTY;
	c->nf++;
	if (flen)
		c->hi = c->nf;
	c->fstart = c->rowbuf.len;
	return 0;
}

static int rec_end(csv *c)
{
	int rc = 0;
	if (c->hi) {
		if (c->rows >= c->lim.max_rows)
			return zb_fail(c->e, ZB_ETOOBIG, "file",
				       "表格超过 %zu 行的上限（第 %d 行起超出）：请分批导入",
				       c->lim.max_rows, c->rownum);
		size_t keep = c->hi * (sizeof(char *) + 2);
		for (size_t i = 0; i < c->hi; i++) {
			c->cptr[i] = c->rowbuf.data + c->off[i];
			keep += strlen(c->cptr[i]);
		}
		/* what a caller keeping the row holds (see table.h) */
		if ((rc = zb_memcharge_add(c->lim.charge, keep, c->e)))
			return rc;
		c->rows++;
		if (c->info) {
			c->info->rows = c->rows;
			c->info->kinds = c->kind;
		}
		rc = c->cb(c->ctx, c->rownum, c->cptr, (int)c->hi, c->e);
		if (c->info)
			c->info->kinds = NULL;
	}
	zb_buf_reset(&c->rowbuf);
	c->nf = c->hi = c->fstart = 0;
	return rc;
}

static char guess_delim(const char *s, size_t n)
{
	size_t comma = 0, tab = 0, semi = 0;
	int inq = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '"')
			inq = !inq;
		else if (inq)
			continue;
		else if (ch == '\n' || ch == '\r')
			break;
		else if (ch == ',')
			comma++;
		else if (ch == '\t')
			tab++;
		else if (ch == ';')
			semi++;
	}
	if (comma)
		return ',';
	if (tab && tab >= semi)
		return '\t';
	if (semi)
		return ';';
	return ',';
}

/* Split text[0..n) into records. */
static int parse(csv *c, const char *t, size_t n, char delim, int line)
{
	size_t i = 0;
	int rc = 0;
	while (!rc && i < n) {
		c->rownum = line;
		for (;;) { /* one field per iteration */
			if (i < n && t[i] == '"') {
				int qline = line;
				i++;
				for (;;) {
					size_t j = i;
					while (j < n && t[j] != '"' && t[j] != '\r' && t[j] != '\n')
						j++;
					if ((rc = fld_append(c, t + i, j - i)))
						return rc;
					i = j;
					if (i >= n)
						return zb_fail(c->e, ZB_EINVAL, "file",
							       "第 %d 行第 %zu 列的引号没有闭合（从这里到文件末尾都被当成了一个单元格）：请检查该处多余或缺少的英文双引号",
							       qline, c->nf + 1);
					if (t[i] == '"') {
						if (i + 1 < n && t[i + 1] == '"') {
							rc = fld_append(c, "\"", 1);
							i += 2;
						} else {
							i++;
							break;
						}
					} else { /* line break inside quotes: store as \n */
						rc = fld_append(c, "\n", 1);
						if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
							i++;
						i++;
						line++;
					}
					if (rc)
						return rc;
				}
			}
			/* unquoted text, or stray text after a closing quote:
			 * kept literally, as Excel does */
			size_t j = i;
			while (j < n && t[j] != delim && t[j] != '\r' && t[j] != '\n')
				j++;
			if ((rc = fld_append(c, t + i, j - i)) || (rc = fld_end(c)))
				return rc;
			i = j;
			if (i < n && t[i] == delim) {
				i++;
				if (i < n)
					continue;
				/* delimiter at end of input: one more empty field */
				if ((rc = fld_end(c)))
					return rc;
				break;
			}
			if (i < n) { /* line break */
				if (t[i] == '\r' && i + 1 < n && t[i + 1] == '\n')
					i++;
				i++;
				line++;
			}
			break;
		}
		rc = rec_end(c);
	}
	return rc;
}

int zb_csv_read(const void *data, size_t len, const zb_table_limits *lim,
		zb_row_cb cb, void *ctx, zb_table_info *info, zb_err *e)
{
	csv c;
	char *owned = NULL;
	const char *text = data;
	size_t n = len;
	size_t reserved = 0; /* counted in lim.charge and given back here */
	int rc;
	memset(&c, 0, sizeof c);
	zb_table_limits_resolve(lim, &c.lim);
	c.e = e;
	c.cb = cb;
	c.ctx = ctx;
	c.info = info;
	if (info)
		memset(info, 0, sizeof *info);
	if (!data) {
		text = "";
		n = len = 0;
	}

	if (len > c.lim.max_file_bytes) {
		rc = zb_fail(e, ZB_ETOOBIG, "file", "文件大小 %s，超过 %s 的上限：请分批导入",
			     HS(len), HS(c.lim.max_file_bytes));
		goto out;
	}
	if ((rc = zb_memcharge_add(c.lim.charge, ZB_TABLE_READ_RESERVE, e)))
		goto out;
	reserved = c.lim.charge ? ZB_TABLE_READ_RESERVE : 0;
	switch (zb_table_sniff(text, len)) {
	case ZB_TABLE_XLSX:
		rc = zb_fail(e, ZB_EMEDIA, "file",
			     "这是 Excel（.xlsx）文件而不是 CSV 文件：请按 Excel 文件导入");
		goto out;
	case ZB_TABLE_XLS:
		rc = zb_fail(e, ZB_EMEDIA, "file",
			     "这是旧版 Excel（.xls）文件而不是 CSV 文件：请用 Excel 或 WPS 打开，"
			     "“另存为”→“Excel 工作簿（*.xlsx）”或“CSV UTF-8（逗号分隔）”后再上传");
		goto out;
	default:
		break;
	}

	/* encoding */
	const unsigned char *u = (const unsigned char *)text;
	const char *enc = "UTF-8";
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		text += 3;
		n -= 3;
		if (!zb_utf8_valid(text, n)) {
			size_t bad = first_bad_utf8(text, n);
			rc = zb_fail(e, ZB_EINVAL, "file",
				     "第 %d 行含有无效的 UTF-8 字符：请用 Excel 打开后“另存为”→“CSV UTF-8（逗号分隔）”再上传",
				     line_at(text, bad));
			goto out;
		}
	} else if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
		if ((rc = to_utf8(enc, text + 2, n - 2, c.lim.max_total_bytes, &owned, &n, e)))
			goto out;
		text = owned;
	} else if (!zb_utf8_valid(text, n)) {
		enc = "GB18030";
		if ((rc = to_utf8(enc, text, n, c.lim.max_total_bytes, &owned, &n, e)))
			goto out;
		text = owned;
	}
	if (owned) {
		if ((rc = zb_memcharge_add(c.lim.charge, n, e)))
			goto out;
		reserved += c.lim.charge ? n : 0;
	}
	if (n > c.lim.max_total_bytes) {
		rc = zb_fail(e, ZB_ETOOBIG, "file", "文件转换为 UTF-8 后超过 %s 的上限",
			     HS(c.lim.max_total_bytes));
		goto out;
	}
	/* a BOM that survived decoding (GB18030 has one too) */
	if (n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
		text += 3;
		n -= 3;
	}
	/* "Excel" exports of web systems are often an HTML table named .xls */
	{
		size_t k = 0;
		while (k < n && k < 64 && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' ||
					   text[k] == '\n'))
			k++;
		if (n - k >= 5 && (!strncasecmp(text + k, "<html", 5) ||
				   !strncasecmp(text + k, "<!doc", 5) ||
				   !strncasecmp(text + k, "<table", n - k >= 6 ? 6 : 5) ||
				   !strncasecmp(text + k, "<?xml", 5))) {
			rc = zb_fail(e, ZB_EMEDIA, "file",
				     "文件实际上是网页（HTML/XML）格式，不是 CSV 或 Excel 文件：请用 Excel 打开后，"
				     "“另存为”→“Excel 工作簿（*.xlsx）”再上传");
			goto out;
		}
	}
	const char *nul = memchr(text, '\0', n);
	if (nul) {
		rc = zb_fail(e, ZB_EINVAL, "file",
			     "第 %d 行含有空字符（\\0），这可能不是文本文件：请确认上传的是 CSV 文件",
			     line_at(text, (size_t)(nul - text)));
		goto out;
	}

	/* delimiter: Excel's "sep=X" first line, else guess from line 1 */
	int line = 1;
	char delim;
	if (n >= 5 && !memcmp(text, "sep=", 4) && text[4] != '\r' && text[4] != '\n' &&
	    (n == 5 || text[5] == '\r' || text[5] == '\n')) {
		delim = text[4];
		size_t skip = 5;
		if (skip < n && text[skip] == '\r')
			skip++;
		if (skip < n && text[skip] == '\n' && text[skip - 1] != '\n')
			skip++;
		text += skip;
		n -= skip;
		line = 2;
	} else {
		delim = guess_delim(text, n);
	}
	if (info) {
		info->encoding = enc;
		info->delimiter = delim;
	}

	size_t cols = c.lim.max_cols;
	if (cols > SIZE_MAX / sizeof(size_t) / 2 || c.lim.max_cell_bytes >= SIZE_MAX / (cols + 1)) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "读取限制设置错误");
		goto out;
	}
	zb_buf_init(&c.rowbuf, cols * (c.lim.max_cell_bytes + 1) + 1);
	c.off = malloc(cols * sizeof *c.off);
	c.cptr = malloc(cols * sizeof *c.cptr);
	c.kind = calloc(cols, 1);
	if (!c.off || !c.cptr || !c.kind) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
		goto out;
	}
	rc = parse(&c, text, n, delim, line);
out:
	free(owned);
	zb_buf_release(&c.rowbuf);
	free(c.off);
	free(c.cptr);
	free(c.kind);
	zb_memcharge_sub(c.lim.charge, reserved);
	if (info)
		info->kinds = NULL;
	return rc;
}
