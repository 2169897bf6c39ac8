/* jw.h - streaming JSON writer into a zb_buf (our own builder, see
 * docs/DEPENDENCIES.md: several times faster than building a tree and dumping it).
 *
 * Commas are inserted automatically.  Errors (buffer cap) are sticky in
 * w->err and reported once by jw_finish().  Strings NULL are written as null.
 */
#ifndef ZB_JW_H
#define ZB_JW_H

#include <stdint.h>

#include "core/buf.h"

#define JW_MAX_DEPTH 32

typedef struct zb_jw {
	zb_buf *b;
	int depth;
	int err;
	unsigned char need_comma[JW_MAX_DEPTH];
	unsigned char after_key;
} zb_jw;

void jw_init(zb_jw *w, zb_buf *b);
int jw_finish(zb_jw *w); /* 0, or the first error */
void jw_obj(zb_jw *w);
void jw_obj_end(zb_jw *w);
void jw_arr(zb_jw *w);
void jw_arr_end(zb_jw *w);
void jw_key(zb_jw *w, const char *k);
void jw_str(zb_jw *w, const char *s);
void jw_strn(zb_jw *w, const char *s, size_t n);
void jw_int(zb_jw *w, int64_t v);
void jw_double(zb_jw *w, double v);
void jw_bool(zb_jw *w, int v);
void jw_null(zb_jw *w);
void jw_raw(zb_jw *w, const char *json); /* caller guarantees valid JSON */

/* key + value shorthands */
void jw_kstr(zb_jw *w, const char *k, const char *s);
void jw_kint(zb_jw *w, const char *k, int64_t v);
void jw_kdouble(zb_jw *w, const char *k, double v);
void jw_kbool(zb_jw *w, const char *k, int v);
void jw_knull(zb_jw *w, const char *k);
void jw_kobj(zb_jw *w, const char *k);
void jw_karr(zb_jw *w, const char *k);

#endif
