/* org.h - the organisation tree (组织).
 *
 * Materialized paths: an org's path is its ancestors' ids and its own,
 * "/1/5/23/".  A subtree is the range [path, upper(path)) (see authz.h),
 * which both backends answer from the unique index on path.
 */
#ifndef ZB_ORG_H
#define ZB_ORG_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_org {
	int64_t id, parent_id;
	const char *path;
	int depth;
	const char *name, *short_name, *code, *type, *domain;
	const char *founded_on, *address, *contact, *dissolved_on;
	int64_t created_at, updated_at;
} zb_org;

/* Code tables: value <-> Chinese name.  zb_org_type_from accepts either
 * and returns the code or NULL. */
const char *zb_org_type_name(const char *code);
const char *zb_org_type_from(const char *code_or_name);
const char *zb_org_domain_name(const char *code);
const char *zb_org_domain_from(const char *code_or_name);
/* 1 for types that hold members directly (branches and groups). */
int zb_org_type_is_branch(const char *code);

/* A village (村级党组织): an org of domain rural, of type branch,
 * joint_branch or general_branch, whose parent is a committee (the
 * 乡镇党委).  A 党支部 under a 村党总支 is part of that village, not a
 * village.  The one definition (docs/ORGS.md "Villages") for every area:
 * ZB_ORG_VILLAGE(o, p) is the SQL predicate over an orgs alias o and the
 * alias p of its parent (joined on p.id = o.parent_id; under a LEFT JOIN
 * an org without a parent is no village).  Dissolving is the caller's
 * matter.  zb_org_is_village sets *yes for one org (0 if there is none). */
#define ZB_ORG_VILLAGE(o, p)                                                                             \
	"(" o ".domain = 'rural' AND " o ".type IN ('branch', 'joint_branch', 'general_branch') AND " p \
	".type = 'committee')"
int zb_org_is_village(zb_db *db, int64_t org_id, int *yes, zb_err *e);

/* SELECT list matching zb_org_read(): use as "SELECT " ZB_ORG_COLS " FROM orgs o" */
#define ZB_ORG_COLS \
	"o.id, o.parent_id, o.path, o.depth, o.name, o.short_name, o.code, o.type, o.domain, " \
	"o.founded_on, o.address, o.contact, o.dissolved_on, o.created_at, o.updated_at"
void zb_org_read(zb_stmt *st, int col0, zb_arena *a, zb_org *o);

int zb_org_get(zb_db *db, int64_t id, zb_arena *a, zb_org *o, zb_err *e);
int zb_org_get_by_code(zb_db *db, const char *code, zb_arena *a, zb_org *o, zb_err *e);
/* The orgs ids[0..n) in one statement (the ids go as one array parameter:
 * SQLite json_each, PostgreSQL unnest), sorted by id into *out; ids
 * without an org are left out.  zb_org_find looks one up in them. */
int zb_org_get_many(zb_db *db, const int64_t *ids, int n, zb_arena *a, zb_org **out, int *nout, zb_err *e);
const zb_org *zb_org_find(const zb_org *orgs, int n, int64_t id);

/* An org in a list: with the number of its direct sub-orgs; from
 * zb_org_search also the parent's name and the trail (the names along its
 * path that the caller may read, joined by " / "; NULL if none). */
typedef struct zb_org_item {
	zb_org org;
	int64_t child_count;
	const char *parent_name, *trail;
} zb_org_item;

int zb_org_child_count(zb_db *db, int64_t id, int64_t *n, zb_err *e);
/* The org at each of paths (a caller's roots), in that order; a path
 * without an org is left out. */
int zb_org_roots(zb_db *db, const char *const *paths, int npaths, zb_arena *a, zb_org_item **items, int *n, zb_err *e);
/* Direct sub-orgs in display order; live_only: undissolved ones, at most
 * 1000. */
int zb_org_children(zb_db *db, int64_t parent_id, int live_only, zb_arena *a, zb_org_item **items, int *n, zb_err *e);
/* Orgs whose name or short name contains q, or whose code is q, within
 * who's org.read subtrees (under != 0: only under that org, which who
 * must be able to read, else ZB_ENOTFOUND on field "under"), shallowest
 * first, at most limit; the trails of all of them come from one statement. */
int zb_org_search(zb_db *db, const zb_principal *who, const char *q, int64_t under, int64_t limit, zb_arena *a,
                  zb_org_item **items, int *n, zb_err *e);

#endif
