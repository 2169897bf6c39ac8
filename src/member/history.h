/* history.h - the roster as it stood on a past date, from member_history.
 *
 * members holds each member as they are today; member_history holds every
 * change of org, 党小组, status and category with the date it took effect
 * (effective_on).  A member's value of one of those on date D is
 *   the old value of the earliest change of it effective AFTER D, or
 *   today's value when no change of it took effect after D.
 * So a change takes effect ON its effective date: a member moved to
 * another branch on D belongs to the new branch on D, and one whose
 * status became 死亡/出党 on D is no longer on the roster on D.
 *
 * Changes are read in (effective_on, id) order; zb_member_update refuses
 * a change whose stated effective date falls before the last recorded
 * change of the same kind, so the chain of old/new values stays
 * consistent and the rule above is the same as "the new value of the
 * latest change effective on or before D".  (A category change left to
 * its default date, the 转正 date, may fall earlier: a correction.)
 *
 * The party join date (入党日期) decides who was a member: one whose join
 * date (as it stood on D) is after D was not a party member on D and is
 * never listed.  The "created" history row records when the record was
 * entered, not when the member came to the org, and is not read here.
 *
 * The personal facts the statistics break down by (gender, ethnicity,
 * birth_date, education, join_date, full_date) are recorded too, each
 * change as a history row of that kind dated the day it was entered
 * (zb_member_update): a later correction does not change a past date's
 * figures.  Changes entered before these kinds were recorded left no row
 * and read as today's value (docs/STATISTICS.md).
 */
#ifndef ZB_MEMBER_HISTORY_H
#define ZB_MEMBER_HISTORY_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* One member as they stood on the date asked for. */
typedef struct zb_member_on {
	int64_t id;
	int64_t org_id, group_id;          /* on the date; group 0 = none */
	const char *org_path;              /* of org_id (today's path of that org) */
	const char *name;
	const char *status, *category;     /* codes, on the date */
	const char *join_date, *full_date; /* on the date (NULL if unknown) */
	const char *gender, *ethnicity;    /* on the date (NULL if unknown) */
	const char *birth_date, *education;
	int moved;                         /* org on the date differs from today's */
} zb_member_on;

/* Who to read. */
typedef struct zb_member_on_sel {
	const char *date;          /* YYYY-MM-DD */
	const char *path;          /* subtree: members whose org on date lies under this path */
	int64_t committee_org;     /* instead of path: holders of a post of this org's
	                              committee on date (committee_posts, dated) */
} zb_member_on_sel;

/* Members selected by s as they stood on s->date, whatever their status
 * (the caller filters by status), joined the party by then (join date on
 * or before the date, or unknown), in roster order (sort key, id).
 * Rows and strings in arena a. */
int zb_member_roster_on(zb_db *db, const zb_member_on_sel *s, zb_arena *a, zb_member_on **out, int *n, zb_err *e);

/* ZB_EINVAL (field "effective_on") when a change of kind (org, group,
 * status, category) for member_id dated on would fall before the last
 * recorded change of that kind: history is recorded in date order. */
int zb_member_history_check_order(zb_db *db, int64_t member_id, const char *kind, const char *on, zb_err *e);

/* Kinds of the personal facts recorded for the statistics, NULL-ended. */
extern const char *const zb_member_fact_kinds[];

/* The change record of one member, newest first: kind (created, org,
 * group, category, status; the fact kinds above are not listed), old
 * and new values as stored (org ids as
 * text for created, org and group), old_name / new_name the names of
 * those orgs (the id text when the org is gone; NULL for other kinds or
 * no value), who entered it (by 0: the command line).  In a. */
typedef struct zb_member_change_row {
	int64_t id, at, by;
	const char *kind, *old_value, *new_value, *old_name, *new_name;
	const char *effective_on, *reason, *by_username, *by_display;
} zb_member_change_row;
int zb_member_history_list(zb_db *db, int64_t member_id, zb_arena *a, zb_member_change_row **out, int *n, zb_err *e);

#endif
