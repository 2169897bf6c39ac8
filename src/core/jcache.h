/* jcache.h - finished JSON answers kept in memory by key and version.
 *
 * For answers read from stored results that change only when a version
 * does (meeting/cstore.h zb_cstore_version): an entry is served only
 * while the version it was made under is the current one, so a stale
 * answer is never served.  Direct-mapped by a hash of the key (256
 * slots, so at most a few tens of MB of answers); a colliding key
 * replaces the entry.  Thread-safe.
 */
#ifndef ZB_JCACHE_H
#define ZB_JCACHE_H

#include "core/jw.h"

/* 1 and the answer written to w as raw JSON when key is cached under
 * version; else 0. */
int zb_jcache_get(const char *key, const char *version, zb_jw *w);
/* Keep json (copied) for key under version; a failed copy keeps nothing. */
void zb_jcache_put(const char *key, const char *version, const char *json);

#endif
