/* extension.h - one member's 预备期 as the member record shows it, and the
 * recording of its one extension with the audit row (member/probation.h
 * holds the rules and the checks). */
#ifndef ZB_MEMBER_EXTENSION_H
#define ZB_MEMBER_EXTENSION_H

#include <stdint.h>

#include "audit/audit.h"
#include "member/probation.h"

typedef struct zb_probation_view {
	const char *name, *category, *join_date, *full_date, *org_path;
	int has_rules;                  /* the join date is a real date: rules below */
	zb_probation_rules rules;
	char ends_on[11];               /* "" when there is no 预备期 or no rules */
	int ext_months;                 /* 0: not extended */
	const char *ext_on, *ext_reason;
	int overdue;                    /* a 预备党员 whose 预备期 ended before today */
} zb_probation_view;

/* The 预备期 of member_id as of today; ZB_ENOTFOUND with no such member. */
int zb_probation_view_get(zb_db *db, int64_t member_id, const char *today, zb_arena *a, zb_probation_view *v,
                          zb_err *e);

/* zb_probation_extend in a transaction of its own with the
 * "member.probation_extend" audit row (by: the caller's user, name and
 * address; org_path: the member's). */
int zb_probation_extension_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                               int months, const char *decided_on, const char *reason, const char *today,
                               int64_t now, zb_err *e);

#endif
