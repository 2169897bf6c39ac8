/* escape.h - all output escaping of zhibu lives here (cgit's html.c idea).
 *
 * JSON strings, HTML text and attributes, CSV fields and spreadsheet cells.
 * Nothing else in the tree escapes by hand.
 */
#ifndef ZB_ESCAPE_H
#define ZB_ESCAPE_H

#include "core/buf.h"

/* Append s as a JSON string literal, quotes included.  Invalid UTF-8 bytes
 * are replaced by U+FFFD so output is always valid JSON. */
int zb_esc_json(zb_buf *b, const char *s, size_t n);
/* Append s with & < > " ' escaped (safe in text and quoted attributes). */
int zb_esc_html(zb_buf *b, const char *s);
/* Append one CSV field (RFC 4180 quoting) that came from a user: a leading
 * = + - @ TAB or CR is neutralised with a leading apostrophe. */
int zb_esc_csv_cell(zb_buf *b, const char *s);
/* Append s percent-encoded for a header parameter such as RFC 6266
 * filename*=UTF-8''...: every byte but A-Z a-z 0-9 - . _ becomes %XX
 * (uppercase hex). */
int zb_esc_pct(zb_buf *b, const char *s);
/* 1 if a user-supplied cell value would start a formula in a spreadsheet. */
int zb_cell_is_formula(const char *s);
/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates). */
int zb_utf8_valid(const char *s, size_t n);

#endif
