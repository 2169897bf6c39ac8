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
 * This file keeps the counts and nothing else.  The member domain does not
 * call it for a write: it calls zb_org_after_roster_change() (org/after.h),
 * which runs these counts and then the structure warnings that read them.
 */
#ifndef ZB_ORG_COUNTS_H
#define ZB_ORG_COUNTS_H

#include <stddef.h>
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

/* Apply the change old -> new to the roll-ups.  old NULL = a new member;
 * new NULL = a deleted member.  Must run inside the caller's write
 * transaction; on failure the caller rolls back (the counters then stay as
 * they were).  Equal facts cost nothing.  The warnings are not touched:
 * zb_org_after_roster_change (org/after.h) runs this and then them. */
int zb_org_counts_apply(zb_db *db, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e);
/* 1 when the change old -> new moves the on-roll or full-member totals of
 * the member's org (old and new org when it moved): what the structure
 * warnings of those orgs read. */
int zb_counts_totals_changed(const zb_member_facts *old_f, const zb_member_facts *new_f);

/* The bulk form, for writes of many members in one transaction (the
 * roster import): zb_counts_acc_apply() takes the same facts as
 * zb_org_counts_apply() but only adds them up in memory, per (org, dim,
 * key), and notes the orgs whose totals changed (zb_counts_acc_org: the
 * i-th such org and its parent, 0 past the last); zb_counts_acc_flush()
 * writes the sums (one upsert per row touched, however many members moved
 * it) and zb_counts_acc_clear() empties the accumulator.  Flush in the SAME
 * write transaction as the member writes it sums; a failed transaction
 * drops the accumulator with zb_counts_acc_free().  The member domain
 * calls these through zb_org_after_roster_change / _flush (org/after.h). */
typedef struct zb_counts_acc zb_counts_acc;
zb_counts_acc *zb_counts_acc_new(void);
int zb_counts_acc_apply(zb_counts_acc *acc, const zb_member_facts *old_f, const zb_member_facts *new_f, zb_err *e);
int zb_counts_acc_flush(zb_db *db, zb_counts_acc *acc, zb_err *e);
int64_t zb_counts_acc_org(const zb_counts_acc *acc, size_t i, int64_t *parent);
void zb_counts_acc_clear(zb_counts_acc *acc);
void zb_counts_acc_free(zb_counts_acc *acc);

/* A recount in memory: sums per (org, dim, key) over whole subtrees.
 * zb_counts_recount counts members, orgs and units from the base tables;
 * zb_counts_tally_add adds n to (dim, key) of every org on path (a
 * zb_counts_sink: the structure warnings hand their rows to it, -1 when
 * out of memory); zb_counts_tally_insert writes every row into an emptied
 * org_counts; zb_counts_compare compares with the stored rows without
 * changing anything: *mismatches gets the number of (org, dim, key) rows
 * that differ (0 = consistent), the first described in *first (arena, may
 * be NULL).  A tally is sorted by insert and compare: use it for one. */
typedef int (*zb_counts_sink)(void *ctx, const char *path, const char *dim, const char *key, int64_t n);
typedef struct zb_counts_tally zb_counts_tally;
zb_counts_tally *zb_counts_tally_new(void);
int zb_counts_recount(zb_db *db, zb_counts_tally **out, zb_err *e);
int zb_counts_tally_add(void *tally, const char *path, const char *dim, const char *key, int64_t n);
int zb_counts_tally_insert(zb_db *db, zb_counts_tally *t, zb_err *e);
int zb_counts_compare(zb_db *db, zb_counts_tally *t, zb_arena *a, int64_t *mismatches, const char **first, zb_err *e);
void zb_counts_tally_free(zb_counts_tally *t);
/* Empty org_counts and write the recount of members, orgs and units (the
 * caller's write transaction).  The warnings' rows come after
 * (zb_org_warn_rebuild); zb_org_rollups_rebuild (org/after.h) does both. */
int zb_counts_rebuild(zb_db *db, zb_err *e);

#endif
