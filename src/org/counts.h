/* counts.h - precomputed member and org counts per subtree (roll-ups).
 *
 * Statistics must answer at any level of a province (250k orgs, 5M
 * members) without scanning members.  Table org_counts(org_id, dim, key, n)
 * holds, for every org, the counts of its WHOLE SUBTREE (the org and all
 * its descendants) per dimension value: a member write updates the rows of
 * its org and of every ancestor (depth <= ~7, so a handful of upserts per
 * dimension).  A read of any subtree is then a few dozen rows by primary
 * key.  Why this and not "own counts + sum over the subtree range":
 * docs/ORGS.md (measured).
 *
 * Dimensions (dim -> key):
 *   total       ""                  members on the roll (see below)
 *   category    full|probationary
 *   gender      M|F|""              ("" = unknown)
 *   ethnicity   "汉族", "回族", ... | ""
 *   birth_year  "1975" | ""         (age bands are computed at read time,
 *   full_year   "2001" | ""          so counts never go stale with the date)
 *   education   as stored | ""
 *   status      normal|mobile|...   (every member row, including removed
 *                                    and deceased, so they stay visible)
 * "On the roll" = status not removed/deceased: every dimension but status
 * counts only those.  birth_year and full_year are the bulk of the rows
 * (a key per year), so they are kept for the ANCESTORS of a member's org
 * only: an org's own members are counted live from members(org_id) when
 * its statistics are read (a branch holds a few dozen).  Org and unit dimensions (org_type, org_domain,
 * unit_*, warn, term_*) are maintained by the org module itself.
 *
 * Contract for the member domain: call zb_org_counts_apply() in the SAME
 * write transaction as every insert, update, delete or org move of a member
 * row, with the facts before (NULL for an insert) and after (NULL for a
 * delete).  Equal facts cost nothing.  The easiest way to get facts is
 * zb_member_facts_load() before and after the write.
 */
#ifndef ZB_ORG_COUNTS_H
#define ZB_ORG_COUNTS_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_member_facts {
	const char *org_path;   /* members.org_path, "/1/5/23/" (required) */
	const char *category;   /* "full" / "probationary" */
	const char *gender;     /* "M" / "F" / NULL */
	const char *ethnicity;  /* NULL = unknown */
	int birth_year;         /* 0 = unknown */
	const char *education;  /* NULL = unknown */
	int full_year;          /* year of full_date (转正); 0 = none */
	const char *status;     /* "normal", "mobile", ... (NULL = normal) */
} zb_member_facts;

/* SELECT list for zb_member_facts_read(), members aliased m:
 * "SELECT " ZB_MEMBER_FACTS_COLS " FROM members m WHERE ..." */
#define ZB_MEMBER_FACTS_COLS \
	"m.org_path, m.category, m.gender, m.ethnicity, m.birth_date, m.education, m.full_date, m.status"
#define ZB_MEMBER_FACTS_NCOLS 8
/* Fill f from a row selected with ZB_MEMBER_FACTS_COLS starting at col0;
 * strings are copied into a. */
void zb_member_facts_read(zb_stmt *st, int col0, zb_arena *a, zb_member_facts *f);
/* Facts of member id as stored now.  ZB_ENOTFOUND if no such member. */
int zb_member_facts_load(zb_db *db, int64_t member_id, zb_arena *a, zb_member_facts *f, zb_err *e);

/* Apply the change old -> new to the roll-ups (and to the structure
 * warnings that depend on them).  old NULL = a new member; new NULL = a
 * deleted member.  Must run inside the caller's write transaction; on
 * failure the caller rolls back (the counters then stay as they were). */
int zb_org_counts_apply(zb_db *db, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e);

/* The bulk form, for writes of many members in one transaction (the
 * roster import): zb_counts_acc_apply() takes the same facts as
 * zb_org_counts_apply() but only adds them up in memory, per (org, dim,
 * key), and notes the orgs whose structure warnings depend on them;
 * zb_counts_acc_flush() writes the sums (one upsert per row touched,
 * however many members moved it), re-evaluates those warnings once each,
 * and empties the accumulator.  Flush in the SAME write transaction as the
 * member writes it sums; a failed transaction drops the accumulator with
 * zb_counts_acc_free() (or flushes nothing into the next one). */
typedef struct zb_counts_acc zb_counts_acc;
zb_counts_acc *zb_counts_acc_new(void);
int zb_counts_acc_apply(zb_counts_acc *acc, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e);
int zb_counts_acc_flush(zb_db *db, zb_counts_acc *acc, zb_err *e);
void zb_counts_acc_free(zb_counts_acc *acc);

/* Recompute every roll-up (members, orgs, units, structure warnings) from
 * the base tables.  Runs in the caller's write transaction if one is open,
 * otherwise in one of its own.  Used after bulk loads (zhibu demo) and to
 * repair. */
int zb_org_counts_rebuild(zb_db *db, zb_err *e);

/* Compare the stored roll-ups with a recount without changing anything:
 * *mismatches gets the number of (org, dim, key) rows that differ (0 =
 * consistent); the first few are described in *first (arena, may be NULL). */
int zb_org_counts_verify(zb_db *db, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e);

#endif
