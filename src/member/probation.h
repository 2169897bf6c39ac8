/* probation.h - the 预备期 of a 预备党员: its length as dated rule data,
 * its one extension, the earliest 转正日期, and the reminder when a 预备期
 * has run out without a decision.
 *
 * 党章 第七条 and 发展细则 第三十二条: the 预备期 is one year, counted
 * from the day the 支部大会 accepted the member (入党日期, join_date); it
 * may be extended once, by no less than six months and at most a year.
 * The length depends on the 党章 in force on the join date (rule kind
 * "probation", national sets dated by the 党章 that set them; months 0:
 * that 党章 had no 预备期, so a 转正日期 only may not precede the join
 * date).  Dates are "YYYY-MM-DD"; adding months keeps the day, or takes
 * the month's last day when the month is shorter (29 Feb + 1 year = 28 Feb
 * in a common year: core/date.h).
 */
#ifndef ZB_MEMBER_PROBATION_H
#define ZB_MEMBER_PROBATION_H

#include <jansson.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

typedef struct zb_probation_rules {
	int64_t set_id;            /* 0: built-in default (no set stored) */
	int months;                /* 12; 0 = no 预备期 */
	int ext_min, ext_max;      /* extension in months: 6, 12 */
	const char *source;        /* static or owned by nobody: display only */
} zb_probation_rules;

/* Validator of rule kind "probation" (registered in rules/rules.c):
 * {"months":0..36, "extend_min_months":1..24, "extend_max_months":
 * extend_min_months..24, "source":"..."}. */
int zb_probation_rules_validate(json_t *data, zb_err *e);
/* The set in force for an org on date (the join date). */
int zb_probation_rules_get(zb_db *db, const char *org_path, const char *date, zb_probation_rules *r, zb_err *e);

/* The day the 预备期 ends: join_date + months + ext_months. */
void zb_probation_end(const char *join_date, int months, int ext_months, char out[11]);

/* ZB_EINVAL on field "full_date" when full_date precedes the end of the
 * 预备期 (join_date + r->months + ext_months).  Both dates valid. */
int zb_probation_check_dates(const char *join_date, const char *full_date, const zb_probation_rules *r,
                             int ext_months, zb_err *e);

/* The recorded extension of a member: *months 0 when none; decided_on
 * (may be NULL) gets the date of the 支部大会 that decided it. */
int zb_probation_ext_get(zb_db *db, int64_t member_id, int *months, char decided_on[11], zb_err *e);

/* The check on every write of a member (zb_member_insert,
 * zb_member_update, the import preview): a full member's 转正日期 may not
 * precede the end of the 预备期 under the rule on the join date, with the
 * member's recorded extension.  old: the stored record of an update (NULL
 * for a new one); the check runs only when join_date, full_date or
 * category is new or changed, so an unrelated edit of a historic record is
 * not refused. */
int zb_member_check_probation(zb_db *db, const zb_member *old, const zb_member *nw, zb_err *e);

/* Record the one extension of a 预备期, in the caller's write
 * transaction: the member must be a 预备党员 and not extended before;
 * months within the rule's range; decided_on a real date between the join
 * date and today.  Errors name the body fields. */
int zb_probation_extend(zb_db *db, int64_t member_id, int months, const char *decided_on, const char *reason,
                        const char *today, int64_t by_user, int64_t now, zb_err *e);

/* 预备党员 of the subtree whose 预备期 (with its extension) ended before
 * today and who are still 预备党员 (no 转正 recorded; status not removed,
 * deceased or suspended): the branch owes a decision.  Most overdue
 * first.  Strings in a. */
typedef struct zb_probation_due {
	int64_t member_id, org_id;
	const char *name, *org_name, *join_date, *status;
	char ends_on[11];          /* the day the 预备期 is complete: the earliest 转正日期 */
	int months, ext_months;
	int days_overdue;          /* today - ends_on, >= 1 */
} zb_probation_due;
int zb_probation_overdue(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_probation_due **out,
                         int *n, zb_err *e);

#endif
