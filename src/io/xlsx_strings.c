/* xlsx_strings.c - string lists, OOXML _xHHHH_ escapes, and the shared
 * strings part (<si> = <t> | (<r><t>)*, phonetic runs dropped), the one
 * part held in memory whole. */
#include "io/xlsx_int.h"

#include "core/grow.h"
#include "core/hex.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int xl_sl_push_off(strlist *l, size_t off)
{
	if (ZB_GROW(l->off, l->n, l->cap))
		return ZB_EINTERNAL;
	l->off[l->n++] = off;
	return 0;
}

int xl_sl_add(strlist *l, const char *s)
{
	size_t off = l->buf.len;
	int rc = zb_buf_append(&l->buf, s ? s : "", (s ? strlen(s) : 0) + 1);
	return rc ? rc : xl_sl_push_off(l, off);
}

void xl_sl_free(strlist *l)
{
	zb_buf_release(&l->buf);
	free(l->off);
	l->off = NULL;
	l->n = l->cap = 0;
}

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

static int xesc_at(const char *s, size_t i, size_t n, unsigned *cp)
{
	unsigned char b[2];
	size_t got;
	if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_' ||
	    zb_hex_decode(s + i + 2, 4, b, sizeof b, &got))
		return 0;
	*cp = (unsigned)b[0] << 8 | b[1];
	return 1;
}

size_t xl_decode_xesc(char *s, size_t n)
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

/* shared strings: <si> = <t> | (<r><t>)* ; <rPh> phonetic runs ignored */
typedef struct sst_ctx {
	int in_si, in_t, in_rph;
	size_t start;
} sst_ctx;

static void sst_fail(part *p, int rc)
{
	xl_part_stop(p, rc == ZB_ETOOBIG ? xl_fail_budget(p->x) : xl_fail_oom(p->x));
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
		size_t n = xl_decode_xesc(l->buf.data + c->start, l->buf.len - c->start);
		l->buf.len = c->start + n;
		int rc = zb_buf_putc(&l->buf, '\0');
		if (!rc)
			rc = xl_sl_push_off(l, c->start);
		if (rc)
			sst_fail(p, rc);
		else
			xl_sst_charge(p);
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
			xl_sst_charge(p);
	}
}

int xl_read_sst(xl *x)
{
	sst_ctx c;
	memset(&c, 0, sizeof c);
	part p = {.x = x, .name = x->sst_path, .ud = &c, .start = sst_start, .end = sst_end,
		  .text = sst_text};
	int rc = xl_part_parse(&p, 0);
	return rc == ABSENT ? 0 : rc;
}

