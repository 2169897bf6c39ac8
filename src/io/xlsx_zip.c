/* xlsx_zip.c - the zip container of an .xlsx and every size check on it.
 *
 * Before anything is inflated: the upload's size, the format (an .xls, an
 * encrypted workbook or a web page saved as .xlsx get their own message)
 * and the entry count the zip declares.  While parts are inflated in 64 KiB
 * chunks by zip_fread() into a libxml2 SAX2 push parser (xl_part_parse),
 * every byte counts against the uncompressed budget as it is read, because
 * the sizes a zip declares can lie.  With lim.charge set, the parser
 * reserve, the shared strings and every delivered row are counted in a
 * budget shared with concurrent reads (io/membudget.h), so several lying
 * zips at once cannot add up past it.  All of that lives here.
 *
 * XML safety: XML_PARSE_NONET, never XML_PARSE_NOENT / DTDLOAD / DTDATTR,
 * no entity handlers, and any DOCTYPE stops the parse at once: real xlsx
 * parts never have one.
 */
#include "io/xlsx_int.h"

#include <libxml/SAX2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stop parsing with rc (already reported in e) or, rc == 0, as finished. */
void xl_part_stop(part *p, int rc)
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

int xl_fail_bad(xl *x, const char *why)
{
	return zb_fail(x->e, ZB_EINVAL, "file",
		       "文件不是有效的 Excel（.xlsx）文件（%s）：请用 Excel 或 WPS 打开后重新另存为 .xlsx 再上传",
		       why);
}

int xl_fail_budget(xl *x)
{
	return zb_fail(x->e, ZB_ETOOBIG, "file",
		       "文件解压后的内容超过 %s 的上限（文件过大或异常）：请删除无关的工作表和内容，或分批导入",
		       HS(x->lim.max_total_bytes));
}

int xl_fail_oom(xl *x)
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

#define CHUNK 65536

int xl_part_parse(part *p, int required)
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
		return xl_fail_bad(x, why);
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) != 0)
		return xl_fail_bad(x, "压缩包已损坏");
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
		return fail_encrypted(x);
	if ((st.valid & ZIP_STAT_COMP_METHOD) &&
	    !zip_compression_method_supported((zip_int32_t)st.comp_method, 0))
		return fail_method(x);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_total_bytes - x->total)
		return xl_fail_budget(x);

	zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf) {
		int ze = zip_error_code_zip(zip_get_error(x->za));
		if (ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD)
			return fail_encrypted(x);
		if (ze == ZIP_ER_COMPNOTSUPP)
			return fail_method(x);
		return xl_fail_bad(x, "压缩包已损坏");
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
		rc = xl_fail_oom(x);
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
			rc = xl_fail_budget(x);
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
		rc = xl_fail_bad(x, why);
	} else if (p->done) {
		rc = 0;
	} else if (ioerr) {
		char why[640];
		snprintf(why, sizeof why, "压缩包已损坏或不完整，读取 %s 失败，可能上传中断", p->name);
		rc = xl_fail_bad(x, why);
	} else if (xmlerr || !p->ctxt->wellFormed) {
		char why[640];
		snprintf(why, sizeof why, "%s 第 %d 行 XML 格式错误", p->name,
			 p->xml_line ? p->xml_line : xmlSAX2GetLineNumber(p->ctxt));
		rc = xl_fail_bad(x, why);
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
int xl_sax_attr(int nattr, const xmlChar **at, const char *name, char *out, size_t outsz)
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

#define SST_CHARGE_STEP ((size_t)256 << 10)

/* Count the shared strings held so far in the shared budget, in steps. */
void xl_sst_charge(part *p)
{
	xl *x = p->x;
	size_t now = x->sst.buf.len + x->sst.n * sizeof *x->sst.off;
	if (!x->lim.charge || now <= x->sst_charged)
		return;
	size_t add = now - x->sst_charged;
	add = (add + SST_CHARGE_STEP - 1) / SST_CHARGE_STEP * SST_CHARGE_STEP;
	int rc = zb_memcharge_add(x->lim.charge, add, x->e);
	if (rc)
		xl_part_stop(p, rc);
	else
		x->sst_charged += add;
}

/* Count a delivered row in the shared budget: what a caller keeping it
 * holds (text, a pointer and a kind byte per cell). */
int xl_row_charge(xl *x, const char *const *cells, int n)
{
	if (!x->lim.charge)
		return 0;
	size_t keep = (size_t)n * (sizeof(char *) + 2);
	for (int i = 0; i < n; i++)
		keep += strlen(cells[i]);
	return zb_memcharge_add(x->lim.charge, keep, x->e);
}

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

int xl_open(xl *x, const void *data, size_t len)
{
	zip_source_t *src;
	zip_error_t zerr;
	int rc;
	if (len > x->lim.max_file_bytes)
		return zb_fail(x->e, ZB_ETOOBIG, "file", "文件大小 %s，超过 %s 的上限：请分批导入", HS(len),
			       HS(x->lim.max_file_bytes));
	if (!data || zb_table_sniff(data, len) != ZB_TABLE_XLSX)
		return not_xlsx(x, data ? data : "", data ? len : 0);
	uint64_t nent = declared_entries(data, len);
	if (nent > XL_MAX_ENTRIES)
		return fail_entries(x, nent);
	if ((rc = zb_memcharge_add(x->lim.charge, ZB_TABLE_READ_RESERVE, x->e)))
		return rc;
	x->reserved = x->lim.charge ? ZB_TABLE_READ_RESERVE : 0;
	zip_error_init(&zerr);
	src = zip_source_buffer_create(data, len, 0, &zerr);
	if (!src) {
		zip_error_fini(&zerr);
		return zb_fail(x->e, ZB_EINTERNAL, "file", "内存不足，无法读取文件");
	}
	x->za = zip_open_from_source(src, ZIP_RDONLY, &zerr);
	zip_error_fini(&zerr);
	if (!x->za) {
		zip_source_free(src);
		return xl_fail_bad(x, "压缩包已损坏或不完整，可能上传中断");
	}
	/* src is owned by x->za now */
	if (zip_get_num_entries(x->za, 0) > XL_MAX_ENTRIES) /* an end record we did not see */
		return fail_entries(x, (uint64_t)zip_get_num_entries(x->za, 0));
	return 0;
}

void xl_close(xl *x)
{
	if (x->za)
		zip_discard(x->za);
	x->za = NULL;
	zb_memcharge_sub(x->lim.charge, x->reserved + x->sst_charged);
	x->reserved = x->sst_charged = 0;
}
