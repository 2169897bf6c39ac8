/* pinyin.h - pinyin for search and pinyin order for sorting, from ICU.
 *
 * Both come from ICU data, so they are only as good as ICU's tables and
 * change when ICU does: store zb_icu_version() next to derived columns and
 * rebuild them when it changes.
 *
 * Known readings (ICU 72; tests/unit/test_pinyin.c pins them): each
 * character gets its most common reading, with no surname or word context.
 * 曾 gives "ceng" (the surname is zeng), 单 "dan" (surname shan), 解 "jie"
 * (surname xie), 长 in 长江 "zhang" (chang).  ü loses its dots: 吕 gives "lu",
 * not "lv".  Search that must find such names should also accept what the
 * user actually types; that is the caller's business.
 *
 * All functions are safe to call from many threads at once: ICU objects
 * are kept one per thread (cloned from a shared prototype, released when
 * the thread exits).  Invalid UTF-8 in the input is read as U+FFFD.
 * Output buffers are appended to; on failure they are left as they were.
 * Inputs longer than ZB_TEXT_MAX_INPUT bytes give ZB_ETOOBIG.
 */
#ifndef ZB_TEXT_PINYIN_H
#define ZB_TEXT_PINYIN_H

#include "core/buf.h"

#define ZB_TEXT_MAX_INPUT 65536

/* Full pinyin and initials in lowercase ASCII, no tones, no spaces:
 * "张三" -> "zhangsan" and "zs".  Transliterator "Han-Latin; Latin-ASCII".
 * ASCII letters and digits in the input pass through lowercased
 * ("张三abc" -> "zhangsanabc", "zsa"); an initial is taken from each Han
 * syllable and from each run of letters or of digits; every other
 * character (punctuation, spaces, scripts ICU leaves alone) is dropped.
 * Accented Latin is folded ("José" -> "jose").  full or initials may be
 * NULL.  Returns 0, ZB_ETOOBIG or ZB_EINTERNAL (ICU failure). */
int zb_pinyin(const char *utf8, zb_buf *full, zb_buf *initials);

/* ICU collation sort key for locale "zh" (pinyin order: 阿 < 白 < 张),
 * appended as raw bytes for a BLOB/bytea column.  Compare keys with
 * memcmp, shorter first on a common prefix (SQLite BLOB and PostgreSQL
 * bytea order do exactly that).  The key has no trailing NUL byte (the
 * zb_buf adds one after len, as always).  Keys from different ICU major
 * versions must not be mixed. */
int zb_sortkey(const char *utf8, zb_buf *out);

/* The same key as lowercase hex text, for columns stored as text: the
 * byte order of the hex string equals the byte order of the raw key. */
int zb_sortkey_hex(const char *utf8, zb_buf *out);

/* ICU major version the process runs with, e.g. "72". Static string. */
const char *zb_icu_version(void);

#endif
