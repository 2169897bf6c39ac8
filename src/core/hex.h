/* hex.h - hex text of bytes, through libsodium.
 *
 * Every hex encoding in zhibu is lowercase, two digits a byte, no
 * separators (sodium_bin2hex): audit MACs and anchors, blind indexes, key
 * fingerprints and files, list cursors, sort keys stored as text.  Code
 * with a fixed-size output calls sodium_bin2hex directly; these two cover
 * a growable buffer and a strict decode of a length-delimited run.
 */
#ifndef ZB_HEX_H
#define ZB_HEX_H

#include <stddef.h>

#include "core/buf.h"

/* Append the lowercase hex of p[0..n) to b.  0, or ZB_ETOOBIG /
 * ZB_EINTERNAL with b as it was. */
int zb_hex_append(zb_buf *b, const void *p, size_t n);

/* Decode s[0..n), which must be hex digits only (either case), an even
 * number of them, into out (at most outmax bytes).  0 with *outlen set,
 * or -1 for anything else: an odd length, a non-hex character, a result
 * longer than outmax.  Nothing is skipped. */
int zb_hex_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen);

#endif
