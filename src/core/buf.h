/* buf.h - growable byte buffer with a hard maximum size.
 *
 * Every growable buffer in zhibu has a cap (curl's dynbuf idea): an append
 * that would pass `max` fails with ZB_ETOOBIG and leaves the buffer as it
 * was.  The data is always NUL-terminated (the NUL is not counted in len).
 * A zero-initialised zb_buf is valid and empty with the default cap.
 */
#ifndef ZB_BUF_H
#define ZB_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#define ZB_BUF_DEFAULT_MAX (64u << 20) /* 64 MiB */

typedef struct zb_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max; /* 0 means ZB_BUF_DEFAULT_MAX */
} zb_buf;

void zb_buf_init(zb_buf *b, size_t max);
void zb_buf_release(zb_buf *b);               /* frees data; b reusable */
void zb_buf_reset(zb_buf *b);                 /* len = 0, keeps memory */
int zb_buf_append_slow(zb_buf *b, const void *p, size_t n);
int zb_buf_puts(zb_buf *b, const char *s);

/* Inline fast paths (JSON building calls these per token); the cap was
 * checked when the buffer grew, so room within cap is always allowed. */
static inline int zb_buf_append(zb_buf *b, const void *p, size_t n)
{
	if (b->data && b->len + n + 1 <= b->cap) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return zb_buf_append_slow(b, p, n);
}

static inline int zb_buf_putc(zb_buf *b, char c)
{
	if (b->data && b->len + 2 <= b->cap) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return zb_buf_append_slow(b, &c, 1);
}
int zb_buf_printf(zb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int zb_buf_vprintf(zb_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Hand the data to the caller (malloc'd, caller frees); b becomes empty. */
char *zb_buf_detach(zb_buf *b, size_t *len);

#endif
