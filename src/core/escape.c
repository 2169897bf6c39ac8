#include "core/escape.h"

#include <string.h>

static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len;
	unsigned min;
	unsigned cp;
	if ((c & 0xE0) == 0xC0) {
		len = 2, min = 0x80, cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, min = 0x800, cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int zb_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

/* Bytes that need attention in a JSON string: 1 = escape, 2 = start of a
 * multi-byte UTF-8 sequence to validate, 0 = copy as is. */
static const unsigned char json_class[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, [0x7f] = 1,
	[0x80 ... 0xff] = 2,
};

int zb_esc_json(zb_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	int rc = zb_buf_putc(b, '"');
	size_t i = 0, run = 0;
	while (!rc && i < n) {
		unsigned c = p[i];
		unsigned cls = json_class[c];
		if (!cls) {
			run++;
			i++;
			continue;
		}
		size_t k = 1;
		const char *rep = NULL;
		char u[7];
		if (cls == 2) {
			k = utf8_seq(p + i, n - i);
			if (k) {
				run += k;
				i += k;
				continue;
			}
			rep = "\xEF\xBF\xBD";
			k = 1;
		} else if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c == '\t') {
			rep = "\\t";
		} else {
			/* other controls, DEL, and < > (keeps JSON safe inside HTML) */
			u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
			u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = 0;
			rep = u;
		}
		if (run)
			rc = zb_buf_append(b, s + i - run, run);
		run = 0;
		if (!rc)
			rc = zb_buf_puts(b, rep);
		i += k;
	}
	if (!rc && run)
		rc = zb_buf_append(b, s + i - run, run);
	if (!rc)
		rc = zb_buf_putc(b, '"');
	return rc;
}

int zb_esc_html(zb_buf *b, const char *s)
{
	int rc = 0;
	for (const char *p = s; !rc && p && *p; p++) {
		switch (*p) {
		case '&': rc = zb_buf_puts(b, "&amp;"); break;
		case '<': rc = zb_buf_puts(b, "&lt;"); break;
		case '>': rc = zb_buf_puts(b, "&gt;"); break;
		case '"': rc = zb_buf_puts(b, "&quot;"); break;
		case '\'': rc = zb_buf_puts(b, "&#39;"); break;
		default: rc = zb_buf_putc(b, *p);
		}
	}
	return rc;
}

int zb_cell_is_formula(const char *s)
{
	return s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r');
}

int zb_esc_csv_cell(zb_buf *b, const char *s)
{
	if (!s)
		s = "";
	int guard = zb_cell_is_formula(s);
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	int rc = 0;
	if (quote)
		rc = zb_buf_putc(b, '"');
	if (!rc && guard)
		rc = zb_buf_putc(b, '\'');
	for (const char *p = s; !rc && *p; p++) {
		rc = zb_buf_putc(b, *p);
		if (!rc && *p == '"')
			rc = zb_buf_putc(b, '"');
	}
	if (!rc && quote)
		rc = zb_buf_putc(b, '"');
	return rc;
}

int zb_esc_pct(zb_buf *b, const char *s)
{
	int rc = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && !rc; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		    *p == '.' || *p == '_')
			rc = zb_buf_putc(b, (char)*p);
		else
			rc = zb_buf_printf(b, "%%%02X", *p);
	}
	return rc;
}
