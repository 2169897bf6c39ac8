/* structure.h - org structure: roll-up internals, structure warnings,
 * committees and terms, moving and dissolving subtrees, coverage of
 * economic and social units, alliances and subtree statistics.
 *
 * Everything here is core domain code: no HTTP.  Functions that write run
 * inside the caller's write transaction (zb_db_begin_write) and leave it to
 * the caller to commit or roll back; on failure nothing they did survives
 * the rollback.  The exceptions say so: a function named *_audited, and
 * the alliance writes, run a write transaction of their own, make the
 * change (for *_audited: with the function of the same name without the
 * suffix) and append its audit row (actor from by: user_id, username, ip)
 * before committing, so nothing changes without its row.  Strings handed
 * out live in the caller's arena.
 *
 * The files call only downwards: org.c, counts.c, coverage.c, record.c
 * call nothing else in org/; warnings.c reads counts.c and coverage.c;
 * tree.c, committee.c, units.c and after.c run counts and then warnings;
 * stats.c reads counts, coverage and warning counts.
 */
#ifndef ZB_ORG_STRUCTURE_H
#define ZB_ORG_STRUCTURE_H

#include <stdint.h>

#include "audit/audit.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jw.h"
#include "org/counts.h"
#include "org/org.h"
#include "rules/rules.h"
#include "store/db.h"

/* ---- audited writes (record.c) ---- */

/* A small JSON object for an audit detail, written with the one JSON
 * writer (so user text is escaped): begin, jw_k*(&d.w, ...), end copies it
 * into a (NULL if it grew too large). */
typedef struct zb_org_detail {
	zb_buf b;
	zb_jw w;
} zb_org_detail;
void zb_org_detail_begin(zb_org_detail *d);
const char *zb_org_detail_end(zb_org_detail *d, zb_arena *a);

/* ---- roll-ups (counts.c) ---- */

/* Add delta to (dim, key) of every org on path ("/1/5/23/": orgs 1, 5, 23).
 * Every operation that changes roll-ups also calls zb_counts_touch once in
 * its transaction: readers cache statistics by that version. */
int zb_counts_add(zb_db *db, const char *path, const char *dim, const char *key, int64_t delta, zb_err *e);
int zb_counts_touch(zb_db *db, zb_err *e);
/* The current roll-up version (settings 'counts_version', "0" if none). */
int zb_counts_version(zb_db *db, char out[24], zb_err *e);
/* Split a path into org ids (root first); returns the count (<= max). */
int zb_path_ids(const char *path, int64_t *ids, int max);
/* 1 for the dims kept for the ancestors of a member's org only
 * (birth_year, full_year; see counts.h). */
int zb_counts_dim_above(const char *dim);
/* The birth_year/full_year key of a date ("1975-03-04" -> "1975", else ""). */
void zb_counts_year_key(const char *date, char out[8]);
/* Subtree count of (dim, key) at org_id (0 if no row). */
int zb_counts_get(zb_db *db, int64_t org_id, const char *dim, const char *key, int64_t *n, zb_err *e);
/* Keys of member dimensions as the roll-ups store them (bounded length,
 * cut at a UTF-8 boundary) - shared by apply, rebuild and statistics. */
void zb_counts_key(const char *s, char out[48]);

/* ---- structure warnings (warnings.c) ---- */

typedef struct zb_warning {
	int64_t org_id;
	const char *org_name;
	const char *org_path;
	const char *kind;     /* no_branch, branch_too_few_full, over_max, no_committee,
	                         committee_not_allowed, too_many_deputies, committee_too_big,
	                         committee_over_cap, no_secretary, joint_too_many_units,
	                         unit_no_branch, term_overdue, term_due_1m, term_due_6m,
	                         no_lecture (docs/RULES.md names the article of each) */
	const char *level;    /* error, warn, info */
	const char *message;  /* Chinese, names the numbers and the rule */
	int64_t unit_id;      /* unit_no_branch: the unit; else 0 */
} zb_warning;

/* Every warning of the subtree at root_path on date today, in path order,
 * in one read transaction (of its own unless the caller has one open).
 * *items is in the arena.  The term_* kinds and no_lecture depend on the
 * date (no_lecture also on meeting records) and are evaluated for today
 * here; the roll-ups keep term dates instead, and no no_lecture at all. */
int zb_org_warnings(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_warning **items, int *n,
                    zb_err *e);
/* Re-evaluate one org (or every org of a subtree) and bring its share of
 * the 'warn' and 'term' roll-ups up to date. */
int zb_org_warn_refresh(zb_db *db, int64_t org_id, zb_err *e);
int zb_org_warn_refresh_tree(zb_db *db, const char *path, zb_err *e);
/* The same for the org of a member whose totals changed: also its branch
 * (parent_id) when the org is a 党小组, whose members the branch counts. */
int zb_org_warn_refresh_member_org(zb_db *db, int64_t org_id, int64_t parent_id, zb_err *e);
/* Rebuild support: evaluate every org, write org_warn_state and hand each
 * org's contributions to add(ctx, path, dim, key, n). */
int zb_org_warn_evaluate_all(zb_db *db, zb_counts_sink add, void *ctx, int write_state, zb_err *e);
/* Empty org_warn_state, evaluate every org and write its 'warn' and 'term'
 * rows (into org_counts emptied of them, after zb_counts_rebuild) and mark
 * the rules caught up today. */
int zb_org_warn_rebuild(zb_db *db, zb_err *e);
/* Rule sets dated in the future come into force by themselves: *pending
 * is 1 when the roll-ups were last brought up to date before today;
 * catch_up (in a write transaction) re-evaluates the subtrees of the
 * 'org_structure'/'terms' sets that took effect since then and records
 * today; mark records today (after a rebuild). */
int zb_org_rules_pending(zb_db *db, const char *today, int64_t *pending, zb_err *e);
int zb_org_rules_catch_up(zb_db *db, const char *today, zb_err *e);
int zb_org_rules_mark(zb_db *db, const char *today, zb_err *e);
/* pending and catch_up together: when pending, the catch-up in a write
 * transaction of its own.  Called before reading warnings or statistics. */
int zb_org_rules_keep_current(zb_db *db, const char *today, zb_err *e);
/* Warning counts of a subtree from the roll-ups: by kind, and term
 * statuses on date today.  Writes {"total":N,"error":N,"warn":N,"info":N,
 * "by_kind":{...}} as the value of the current key. */
int zb_org_warn_counts_json(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e);

/* ---- tree changes (tree.c) ---- */

/* Whether an org of type may sit under an org of parent_type (NULL: a
 * root, which must be a 党委): 党小组 only in a 党支部 of any kind, 党支部
 * under a 党委 or 党总支, 党总支 under a 党委, 党委 under a 党委.
 * ZB_EINVAL with field and a Chinese message naming both types.  Checked
 * on create (zb_org_insert), move (zb_org_move) and type change
 * (zb_org_after_update, which also checks the sub-orgs). */
int zb_org_nesting_check(const char *parent_type, const char *type, const char *field, zb_err *e);
/* Every undissolved sub-org of org_id fits under type. */
int zb_org_nesting_check_children(zb_db *db, int64_t org_id, const char *type, zb_err *e);

/* Create under parent (0 = a new root), with its roll-ups and warnings. */
int zb_org_insert(zb_db *db, int64_t now, int64_t parent_id, const zb_org *in, int64_t *id, zb_err *e);
/* The same audited ("org.create"); *out gets the new org. */
int zb_org_insert_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t parent_id, const zb_org *in,
                          zb_arena *a, zb_org *out, zb_err *e);
/* Store the editable fields of o (by o->id; o->path names the audit row's
 * org) and follow with zb_org_after_update, audited ("org.update"). */
int zb_org_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_org *o, const char *old_type,
                          const char *old_domain, zb_err *e);
/* After an edit of type or domain: old values of the org before the edit.
 * Refuses (ZB_EINVAL, field "type") a type that no longer fits the tree;
 * the caller rolls back. */
int zb_org_after_update(zb_db *db, int64_t org_id, const char *old_type, const char *old_domain, zb_err *e);
/* Move org_id under new_parent: paths and depths of every descendant org,
 * members.org_path, units.org_path, alliances.org_path, roll-ups along the
 * old and new ancestors, warnings.  Refuses a move into its own subtree, to
 * or from a dissolved org, and moving a root. */
int zb_org_move(zb_db *db, int64_t org_id, int64_t new_parent, zb_err *e);
/* Dissolve (撤销): refuses while members or undissolved sub-orgs remain;
 * ends current committee posts on that date; keeps the row read-only. */
int zb_org_dissolve(zb_db *db, int64_t org_id, const char *dissolved_on, const char *reason, zb_err *e);
/* Audited ("org.move", *after: the org at its new place; "org.dissolve",
 * filed under path). */
int zb_org_move_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, int64_t new_parent, zb_arena *a,
                        zb_org *after, zb_err *e);
int zb_org_dissolve_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                            const char *dissolved_on, const char *reason, zb_arena *a, zb_err *e);

/* ---- committees and terms (committee.c) ---- */

const char *zb_post_name(const char *code);        /* secretary -> 书记 */
const char *zb_post_from(const char *code_or_name);

typedef struct zb_post {
	int64_t id, org_id, member_id;
	const char *person_name;   /* the member's name when member_id is set */
	const char *post;
	const char *started_on, *ended_on, *notes;
} zb_post;

typedef struct zb_term {
	int64_t id, org_id, years;
	const char *started_on, *ends_on, *elected_how, *notes;
	const char *status;        /* ok, due_6m, due_1m, overdue */
	int64_t days_left;         /* negative when overdue */
} zb_term;

/* Current posts (ended_on NULL) or all when all != 0, ordered by post rank. */
int zb_committee_list(zb_db *db, int64_t org_id, int all, zb_arena *a, zb_post **items, int *n, zb_err *e);
/* Add and update check the holder (org/committee.c check_holder): a roster
 * member of the org's subtree, a full member (转正) on started_on - 预备党员
 * have no 被选举权 - and, while the post is current, 正常 or 流动. */
int zb_committee_add(zb_db *db, const zb_post *in, const char *today, int64_t now, int64_t *id, zb_err *e);
/* Apply the fields marked in set ('member_id','person_name','post',
 * 'started_on','ended_on','notes' by name) from in. */
int zb_committee_update(zb_db *db, int64_t id, const zb_post *in, unsigned set, const char *today, int64_t now,
                        zb_err *e);
int zb_committee_delete(zb_db *db, int64_t id, zb_err *e);
#define ZB_POST_SET_MEMBER 1u
#define ZB_POST_SET_PERSON 2u
#define ZB_POST_SET_POST 4u
#define ZB_POST_SET_STARTED 8u
#define ZB_POST_SET_ENDED 16u
#define ZB_POST_SET_NOTES 32u
int zb_committee_get(zb_db *db, int64_t id, zb_arena *a, zb_post *out, zb_err *e);
/* Audited ("committee.add", "committee.update", "committee.delete"; filed
 * under path, the org's), today and now from app; *out: the post as
 * stored. */
int zb_committee_add_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_post *in, const char *path,
                             zb_arena *a, zb_post *out, zb_err *e);
int zb_committee_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_post *in,
                                unsigned set, const char *path, zb_arena *a, zb_post *out, zb_err *e);
int zb_committee_delete_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *path,
                                zb_arena *a, zb_err *e);

/* The current term (newest started_on) with its status on today; *found 0
 * if the org has no term yet. */
int zb_term_current(zb_db *db, int64_t org_id, const char *today, zb_arena *a, zb_term *out, int *found, zb_err *e);
/* Start a new term.  The length is the 'terms' rule's for the org's type
 * and domain on started_on: years 0 takes it, any other value is ZB_EINVAL
 * (field "years").  ends_on NULL = started_on + years (month-end rule),
 * else it may differ from that by at most the rule's max_extension_months
 * either way (approved early or delayed election; field "ends_on"). */
int zb_term_add(zb_db *db, int64_t org_id, const char *started_on, int64_t years, const char *ends_on,
                const char *elected_how, const char *notes, int64_t now, int64_t by_user, int64_t *id, zb_err *e);
/* Audited ("org.term", filed under path); then *current is the current
 * term (*found 0 if none). */
int zb_term_add_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                        const char *started_on, int64_t years, const char *ends_on, const char *elected_how,
                        const char *notes, zb_arena *a, int64_t *id, zb_term *current, int *found, zb_err *e);
/* The org's terms, newest first (at most 200); the newest, the current
 * one, with its status on today (org_path: the org's, for the rules). */
int zb_term_list(zb_db *db, int64_t org_id, const char *org_path, const char *today, zb_arena *a, zb_term **items,
                 int *n, zb_err *e);
/* (warnings.c) A short citation for a 'terms' set, for messages (which must stay under
 * the 384 bytes of an error): the article of the length (what 0) or of the
 * early/delayed window (what 1) for the national sets, the set's name and
 * date for a local one.  Static or in the arena a. */
const char *zb_term_cite(const zb_rule_set *T, int what, zb_arena *a);
/* Status of a term ending ends_on for the org on today (rule windows). */
int zb_term_status(zb_db *db, const char *org_path, const char *ends_on, const char *today, const char **status,
                   int64_t *days_left, zb_err *e);
/* Write "committee":[...] and "term":{...}|null for GET /orgs/{id}. */
int zb_org_write_committee_term(zb_db *db, int64_t org_id, const char *today, zb_arena *a, zb_jw *w, zb_err *e);
void zb_post_write(zb_jw *w, const zb_post *p);

/* ---- coverage (coverage.c) ---- */

const char *zb_unit_kind_name(const char *code);
const char *zb_unit_kind_from(const char *s);
const char *zb_coverage_name(const char *code);
const char *zb_coverage_from(const char *s);

typedef struct zb_unit {
	int64_t id, org_id, covering_org_id, staff_count, party_members, full_members;
	const char *name, *kind, *subkind, *credit_code, *coverage, *org_path, *address, *remarks;
	const char *org_name, *covering_org_name;
} zb_unit;

#define ZB_UNIT_COLS \
	"u.id, u.org_id, u.covering_org_id, u.staff_count, u.party_members, u.full_members, u.name, u.kind, " \
	"u.subkind, u.credit_code, u.coverage, u.org_path, u.address, u.remarks, o.name, c.name"
#define ZB_UNIT_FROM " FROM units u JOIN orgs o ON o.id = u.org_id LEFT JOIN orgs c ON c.id = u.covering_org_id"
void zb_unit_read(zb_stmt *st, zb_arena *a, zb_unit *u);
int zb_unit_get(zb_db *db, int64_t id, zb_arena *a, zb_unit *u, zb_err *e);
/* Coverage of a subtree as JSON members (overall and per kind). */
int zb_coverage_json(zb_db *db, int64_t org_id, zb_jw *w, zb_err *e);

/* ---- units and alliances (units.c) ---- */

/* Validate (kind, coverage vs covering org, counts) and insert/update,
 * keeping roll-ups and warnings current.  update: in holds every field. */
int zb_unit_insert(zb_db *db, const zb_unit *in, int64_t now, int64_t *id, zb_err *e);
int zb_unit_update(zb_db *db, int64_t id, const zb_unit *in, int64_t now, zb_err *e);
/* Audited ("unit.create", "unit.update"; filed under path). */
int zb_unit_insert_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_unit *in, const char *path,
                           zb_arena *a, int64_t *id, zb_err *e);
int zb_unit_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_unit *in,
                           const char *path, zb_arena *a, zb_err *e);
/* Units located in the subtree at path, by id after `after`, of kind and
 * coverage when not NULL; at most limit, *more when there are others. */
int zb_unit_list(zb_db *db, const char *path, int64_t after, const char *kind, const char *coverage, int64_t limit,
                 zb_arena *a, zb_unit **items, int *n, int *more, zb_err *e);

typedef struct zb_alliance_member {
	int64_t org_id;
	const char *org_name, *org_type, *role, *joined_on;
} zb_alliance_member;

typedef struct zb_alliance {
	int64_t id, org_id, member_count;
	const char *name, *org_name, *theme, *founded_on;
	zb_alliance_member *members;   /* zb_alliance_get only */
	int nmembers;
} zb_alliance;

/* One alliance with its members (ZB_ENOTFOUND "未找到该联合体"). */
int zb_alliance_get(zb_db *db, int64_t id, zb_arena *a, zb_alliance *out, zb_err *e);
/* The alliances led from who's org.read subtrees (at most 1000 a subtree). */
int zb_alliance_list(zb_db *db, const zb_principal *who, zb_arena *a, zb_alliance **items, int *n, zb_err *e);
/* Each in a transaction of its own with its audit row ("alliance.create",
 * "alliance.member_add", "alliance.member_remove"; filed under path, the
 * lead org's).  A member org must be one who can read, not dissolved, not
 * a member already; create adds the lead org (org_id) first, then
 * member_ids (the orgs read in one statement; a refused one names field
 * "member_org_ids"). */
int zb_alliance_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id,
                       const char *path, const char *name, const char *theme, const char *founded_on,
                       const int64_t *member_ids, int nmembers, zb_arena *a, int64_t *id, zb_err *e);
int zb_alliance_add_member(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t alliance,
                           const char *path, int64_t org_id, const char *role, const char *joined_on, zb_arena *a,
                           zb_err *e);
int zb_alliance_remove_member(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t alliance, const char *path,
                              int64_t org_id, zb_arena *a, zb_err *e);

/* ---- statistics (stats.c) ---- */

/* The age and party-age bands of every statistic (the dashboards and the
 * annual report, report/annual.c): years = the year of the date asked
 * for - the year of birth (age) or of 转正 (party age).  Band index of
 * years, -1 if in none (a year in the future). */
enum { ZB_BAND_AGE, ZB_BAND_PARTY_AGE };
int zb_stats_band_count(int kind);
const char *zb_stats_band_label(int kind, int i);
int zb_stats_band_of(int kind, int years);

/* The statistics object for the subtree of org_id on date today. */
int zb_org_stats_json(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e);
/* The same, from a process-wide cache keyed by (org, today, roll-up
 * version), in one read transaction (of its own unless the caller has one
 * open) so the version and the rows are one snapshot.  Bounded (a slot per
 * org id modulo 2048). */
int zb_org_stats_cached(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e);

#endif
