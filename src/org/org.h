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

/* SELECT list matching zb_org_read(): use as "SELECT " ZB_ORG_COLS " FROM orgs o" */
#define ZB_ORG_COLS \
	"o.id, o.parent_id, o.path, o.depth, o.name, o.short_name, o.code, o.type, o.domain, " \
	"o.founded_on, o.address, o.contact, o.dissolved_on, o.created_at, o.updated_at"
void zb_org_read(zb_stmt *st, int col0, zb_arena *a, zb_org *o);

int zb_org_get(zb_db *db, int64_t id, zb_arena *a, zb_org *o, zb_err *e);
int zb_org_get_by_code(zb_db *db, const char *code, zb_arena *a, zb_org *o, zb_err *e);

/* Create under parent (0 = a new root).  In the caller's transaction. */
int zb_org_insert(zb_db *db, int64_t now, int64_t parent_id, const zb_org *in, int64_t *id, zb_err *e);

#endif
