#include "core/buf.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void zb_buf_init(zb_buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

void zb_buf_release(zb_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void zb_buf_reset(zb_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(zb_buf *b, size_t need)
{
	size_t max = b->max ? b->max : ZB_BUF_DEFAULT_MAX;
	if (need > max || b->len + need + 1 > max + 1)
		return ZB_ETOOBIG;
	size_t want = b->len + need + 1;
	if (want <= b->cap)
		return 0;
	size_t ncap = b->cap ? b->cap : 256;
	while (ncap < want)
		ncap *= 2;
	if (ncap > max + 1)
		ncap = max + 1;
	char *p = realloc(b->data, ncap);
	if (!p)
		return ZB_EINTERNAL;
	b->data = p;
	b->cap = ncap;
	return 0;
}

int zb_buf_append_slow(zb_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int zb_buf_puts(zb_buf *b, const char *s)
{
	return zb_buf_append(b, s, strlen(s));
}


int zb_buf_vprintf(zb_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return ZB_EINTERNAL;
	if ((size_t)n < sizeof small)
		return zb_buf_append(b, small, (size_t)n);
	int rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int zb_buf_printf(zb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = zb_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *zb_buf_detach(zb_buf *b, size_t *len)
{
	if (!b->data)
		zb_buf_append(b, "", 0);
	char *p = b->data;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
