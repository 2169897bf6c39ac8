/* rules.h - dated rule sets (rules are data).
 *
 * A rule set is a JSON object of one kind ('org_structure', 'terms', ...)
 * set at an org node (org_id NULL: the national default) and effective
 * from a date.  The set that applies to an org on a date is the newest one
 * with effective_from <= date at the NEAREST ancestor-or-self that has any
 * such set, else the newest national default.  Local sets are stored
 * complete: zb_rules_add() fills keys the caller left out from the set
 * inherited at that date, then validates the whole object by its kind.
 *
 * Ownership: a zb_rules snapshot owns every set and JSON value it hands
 * out; they stay valid until zb_rules_free().
 */
#ifndef ZB_RULES_H
#define ZB_RULES_H

#include "core/date.h"

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_rule_set {
	int64_t id;
	int64_t org_id;            /* 0 = national default */
	char *org_path;            /* NULL for national */
	char *kind;
	char *effective_from;      /* YYYY-MM-DD */
	char *name;
	json_t *data;              /* object, owned by the snapshot */
} zb_rule_set;

typedef struct zb_rules zb_rules;

/* Snapshot of the sets of one kind effective on date (the newest per
 * org).  Any kind name ([a-z0-9_], up to 40) may be read, including kinds
 * other modules own; ZB_EINVAL for a malformed name. */
int zb_rules_load(zb_db *db, const char *kind, const char *date, zb_rules **out, zb_err *e);
void zb_rules_free(zb_rules *rs);   /* NULL ok */
/* The set for an org path ("/1/5/"; NULL = national), or NULL if none. */
const zb_rule_set *zb_rules_for(const zb_rules *rs, const char *org_path);

/* Read values from a set; a missing or mistyped key is ZB_EINTERNAL naming
 * the kind and key (validated sets never miss one). */
int zb_rule_int(const zb_rule_set *s, const char *key, int64_t *out, zb_err *e);
/* data[key][sub] if present: 1 and *out, else 0. */
int zb_rule_sub_int(const zb_rule_set *s, const char *key, const char *sub, int64_t *out);
/* data["source"] or "" */
const char *zb_rule_source(const zb_rule_set *s);

/* Known kinds and their validators (rules.c holds the table). */
int zb_rules_kind_known(const char *kind);
/* Validate a complete data object of a kind; ZB_EINVAL names the key as
 * field "data.<key>". */
int zb_rules_validate(const char *kind, json_t *data, zb_err *e);

/* Add a local set at org_id (> 0), effective from date, in the caller's
 * write transaction.  partial is merged over the set inherited at that
 * date (one level deep for object values) and validated; *id gets the new
 * row's id and *merged (may be NULL) the stored JSON text (malloc'd, the
 * caller frees).  Same kind, org and date twice is ZB_ECONFLICT. */
int zb_rules_add(zb_db *db, const char *kind, int64_t org_id, const char *effective_from, const char *name,
                 json_t *partial, int64_t now, int64_t by_user, int64_t *id, char **merged, zb_err *e);

/* zb_rules_add in a write transaction of its own (publish.c), by `by`,
 * with the "rules.add" audit row (kind, date, the merged data); a set of
 * org_structure or terms already in force refreshes the structure warnings
 * below the org (org_path) at once.  name NULL or "": the kind.  *merged
 * as for zb_rules_add (NULL on failure). */
int zb_rules_publish(zb_app *app, zb_db *db, const zb_audit_ev *by, const char *kind, int64_t org_id,
                     const char *org_path, const char *from, const char *name, json_t *data, int64_t *id,
                     char **merged, zb_err *e);

/* Every set of a kind at the org of path or an ancestor, national
 * defaults included, newest first (publish.c); data is the stored JSON
 * text.  Rows in the arena. */
typedef struct zb_rule_row {
	int64_t id;
	int64_t org_id;            /* 0 = national default */
	const char *effective_from, *name, *data;
} zb_rule_row;
int zb_rules_history(zb_db *db, const char *kind, const char *path, zb_arena *a, zb_rule_row **rows, int *n,
                     zb_err *e);


#endif
