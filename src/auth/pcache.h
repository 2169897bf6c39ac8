/* pcache.h - the principal cache of one node.
 *
 * Resolving a session or API token costs a session row, the account, its
 * grants with their org paths and, for member-only sessions, a count of
 * roles: several queries on every request.  This cache keeps, per node and
 * by token hash, what they answered: the user id, the session's times (or
 * the token's expiry) and a copy of the principal.
 *
 * Freshness: the database holds one number, auth_version (migration 0023),
 * which triggers bump on every write that changes who may do what (grants,
 * account columns a principal reads, sessions ended, tokens revoked, role
 * permissions, org paths and names, a member's org), whoever writes it.  An
 * entry is used only while the current number is the one it was loaded
 * under; the number is read before the rows it stands for, so an entry is
 * never older than its number.
 *   - SQLite (one node): the number is read on every request, one indexed
 *     row on a cached statement, so a change is seen at once, also one
 *     written by a command such as `zhibu user revoke`.
 *   - PostgreSQL (several nodes): the node reads it at most once a second
 *     (zb_pcache_version), and again after every write request it served
 *     (zb_pcache_after_write), so its own changes are seen at once and the
 *     others' within a second.
 *
 * Time limits are checked on every hit against the cached times and never
 * extended by the cache: an entry whose session looks expired or idle is
 * not trusted but read again (another node may have refreshed the idle
 * stamp), and the slow path decides.  Entries also expire after
 * ZB_PCACHE_TTL seconds.  Memory is bounded: ZB_PCACHE_SETS sets of
 * ZB_PCACHE_WAYS entries, least recently used replaced.
 */
#ifndef ZB_PCACHE_H
#define ZB_PCACHE_H

#include <stdint.h>

#include "auth/authz.h"
#include "core/arena.h"
#include "store/db.h"

#define ZB_PCACHE_SETS 1024
#define ZB_PCACHE_WAYS 4
#define ZB_PCACHE_TTL 300

typedef enum zb_pc_kind { ZB_PC_SESSION = 1, ZB_PC_TOKEN = 2 } zb_pc_kind;

/* What a session or token lookup found, besides the principal. */
typedef struct zb_pc_info {
	int64_t user_id;
	int64_t last_seen;   /* session last_seen / token last_used_at */
	int64_t expires_at;
	int64_t created_at;  /* sessions */
	int member_only;     /* sessions: the account holds only the member role */
} zb_pc_info;

/* The current auth version for a lookup on db: 0 when it cannot be read
 * (then the cache is not used for this request). */
int64_t zb_pcache_version(zb_db *db);
/* After a write request on this node (PostgreSQL): read the version now. */
void zb_pcache_after_write(zb_db *db);

/* Look up hash (hex) of kind under version ver: on a hit, *info is filled
 * and *out is a copy of the principal in the arena; returns 1.  0 on a
 * miss (absent, another version, older than ZB_PCACHE_TTL, ver 0). */
int zb_pcache_get(const char *hash, zb_pc_kind kind, int64_t ver, zb_arena *a, zb_pc_info *info, zb_principal **out);
/* Store (or replace) the entry of hash; p is copied.  ver 0: nothing. */
void zb_pcache_put(const char *hash, zb_pc_kind kind, int64_t ver, const zb_pc_info *info, const zb_principal *p);
/* Update the idle stamp of an entry after it was written to the database. */
void zb_pcache_touch(const char *hash, zb_pc_kind kind, int64_t last_seen);
/* Forget an entry (logout, a session found expired). */
void zb_pcache_drop(const char *hash);
/* Forget everything (tests). */
void zb_pcache_clear(void);
/* Entries held now (tests). */
int zb_pcache_size(void);

#endif
