#include "core/jw.h"
#include "core/err.h"
#include "core/escape.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(zb_jw *w, zb_buf *b)
{
	memset(w, 0, sizeof *w);
	w->b = b;
}

int jw_finish(zb_jw *w)
{
	if (!w->err && w->depth != 0)
		w->err = ZB_EINTERNAL;
	return w->err;
}

static void put(zb_jw *w, const char *s, size_t n)
{
	if (!w->err)
		w->err = zb_buf_append(w->b, s, n);
}

static void before_value(zb_jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth])
			put(w, ",", 1);
		w->need_comma[w->depth] = 1;
	}
}

static void open(zb_jw *w, char c)
{
	before_value(w);
	put(w, &c, 1);
	if (w->depth + 1 >= JW_MAX_DEPTH) {
		w->err = ZB_EINTERNAL;
		return;
	}
	w->depth++;
	w->need_comma[w->depth] = 0;
}

static void close_(zb_jw *w, char c)
{
	put(w, &c, 1);
	if (w->depth > 0)
		w->depth--;
}

void jw_obj(zb_jw *w) { open(w, '{'); }
void jw_obj_end(zb_jw *w) { close_(w, '}'); }
void jw_arr(zb_jw *w) { open(w, '['); }
void jw_arr_end(zb_jw *w) { close_(w, ']'); }

void jw_key(zb_jw *w, const char *k)
{
	before_value(w);
	if (!w->err)
		w->err = zb_esc_json(w->b, k, strlen(k));
	put(w, ":", 1);
	w->after_key = 1;
}

void jw_strn(zb_jw *w, const char *s, size_t n)
{
	before_value(w);
	if (!s) {
		put(w, "null", 4);
		return;
	}
	if (!w->err)
		w->err = zb_esc_json(w->b, s, n);
}

void jw_str(zb_jw *w, const char *s)
{
	jw_strn(w, s, s ? strlen(s) : 0);
}

void jw_int(zb_jw *w, int64_t v)
{
	char t[32];
	int n = snprintf(t, sizeof t, "%" PRId64, v);
	before_value(w);
	put(w, t, (size_t)n);
}

void jw_double(zb_jw *w, double v)
{
	char t[64];
	before_value(w);
	if (!isfinite(v)) {
		put(w, "null", 4);
		return;
	}
	int n = snprintf(t, sizeof t, "%.10g", v);
	put(w, t, (size_t)n);
}

void jw_bool(zb_jw *w, int v)
{
	before_value(w);
	if (v)
		put(w, "true", 4);
	else
		put(w, "false", 5);
}

void jw_null(zb_jw *w)
{
	before_value(w);
	put(w, "null", 4);
}

void jw_raw(zb_jw *w, const char *json)
{
	before_value(w);
	put(w, json, strlen(json));
}

void jw_kstr(zb_jw *w, const char *k, const char *s) { jw_key(w, k); jw_str(w, s); }
void jw_kint(zb_jw *w, const char *k, int64_t v) { jw_key(w, k); jw_int(w, v); }
void jw_kdouble(zb_jw *w, const char *k, double v) { jw_key(w, k); jw_double(w, v); }
void jw_kbool(zb_jw *w, const char *k, int v) { jw_key(w, k); jw_bool(w, v); }
void jw_knull(zb_jw *w, const char *k) { jw_key(w, k); jw_null(w); }
void jw_kobj(zb_jw *w, const char *k) { jw_key(w, k); jw_obj(w); }
void jw_karr(zb_jw *w, const char *k) { jw_key(w, k); jw_arr(w); }
