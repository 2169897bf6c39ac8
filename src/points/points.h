/* points.h - 积分制 for members and for branch secretaries (docs/POINTS.md).
 *
 * A person's ledger of a year is derived on read from the records the
 * platform holds: every event is a row with its date, the scheme's item
 * (key and name), the points, a reason and its source record
 * ("meeting:12", "payment:7", "session:3", "designation:4",
 * "aid_visit:9", "duty_report:2", "compliance:13:2026Q1", "rating:5",
 * "manual:3", and "scheme:<rule id>" for the base points).  Only the
 * manual items a scheme allows are stored (points_manual, migration
 * 0044), with who proposed and who decided; their points are the
 * scheme's.  Totals are the sum of the rows, never stored.
 *
 * Schemes are rule kinds "points" (members) and "points_secretary"; the
 * scheme in force on each event's date applies (the base: the scheme in
 * force on 1 January).  Caps are per item and period (month, quarter,
 * year of the event's date): a row past its cap shows 0 points (or what
 * is left under the cap) and says so.  Points are kept in tenths.
 */
#ifndef ZB_POINTS_POINTS_H
#define ZB_POINTS_POINTS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

enum zb_pts_which { ZB_PTS_MEMBER = 0, ZB_PTS_SECRETARY = 1 };

/* Source kinds of a scheme's items. */
enum zb_pts_src {
	ZB_PS_ATTENDANCE = 0, /* 出席 at a meeting of the item's types */
	ZB_PS_DUES,           /* a month's dues paid by the month's end */
	ZB_PS_STUDY,          /* a study record's 学时 (points per `per` hours) */
	ZB_PS_DESIGNATION,    /* a 先锋岗、示范岗 or 责任区 held in the year */
	ZB_PS_AID_VISIT,      /* a 帮扶 visit made */
	ZB_PS_DUTY_REPORT,    /* the secretary's 述职 grade */
	ZB_PS_COMPLIANCE,     /* the branch's 三会一课 done in a period */
	ZB_PS_RATING,         /* the branch's published stars (points per star) */
	ZB_PS_MANUAL,         /* proposed and approved by the branch */
	ZB_PS_COUNT
};
const char *zb_pts_src_code(int src);  /* "attendance" */
const char *zb_pts_src_name(int src);  /* "组织生活出席" */

enum zb_pts_period { ZB_PP_MONTH = 0, ZB_PP_QUARTER, ZB_PP_YEAR };

typedef struct zb_pts_item {
	const char *key, *name;
	int src, period;
	int points10;           /* per event (per `per` units for study; per star) */
	int per10;              /* study: hours per points, tenths; else 0 */
	int cap10;              /* per period, absolute; 0: no cap */
	unsigned types;         /* attendance: bit (1 << zb_mtype) */
	int grade10[4];         /* duty_report: good, fair, average, poor */
} zb_pts_item;

typedef struct zb_pts_scheme {
	int64_t rule_id;
	const char *from;       /* effective date of the segment it rules */
	int base10, ranking;
	zb_pts_item *items;
	int n;
} zb_pts_scheme;

/* Validators of rule kinds "points" and "points_secretary" (rules.c). */
int zb_points_rules_validate(json_t *data, zb_err *e);
int zb_points_secretary_rules_validate(json_t *data, zb_err *e);
/* Read a scheme of which (validated first; ZB_EINVAL naming the key). */
int zb_pts_scheme_parse(json_t *data, int which, zb_arena *a, zb_pts_scheme *out, zb_err *e);
/* The item of key in s, or NULL. */
const zb_pts_item *zb_pts_item_of(const zb_pts_scheme *s, const char *key);

/* ---- the ledger (pure part) ---- */

typedef struct zb_pts_event {
	char date[11];
	int src;
	int mtype;              /* attendance: zb_mtype; compliance: the period judged (zb_pts_period) */
	int units10;            /* study: hours10; rating: stars * 10; else 10 */
	int grade;              /* duty_report: 0 good .. 3 poor */
	const char *key;        /* manual: the item key */
	int pending;            /* manual: not yet approved */
	const char *reason, *source;
} zb_pts_event;

typedef struct zb_pts_row {
	char date[11];
	const char *key, *rule, *reason, *source;
	const char *period;     /* "2026-03", "2026Q1", "2026" */
	const char *status;     /* counted, capped, pending */
	int points10;
} zb_pts_row;

typedef struct zb_pts_ledger {
	int year, which, ranking;
	int64_t total10;
	zb_pts_row *rows;       /* by date, then source; the base first */
	int n;
	const zb_pts_scheme *scheme; /* the last in force in the year (its manual items are what may be claimed), or NULL */
} zb_pts_ledger;

/* Apply schemes (ascending by from; schemes[0] rules from 1 January of
 * year) to the events: a row per event and matching item of the scheme
 * in force on its date, caps per item and period in date order, the
 * base row dated 1 January; total = the sum of the rows. */
void zb_pts_apply(const zb_pts_scheme *schemes, int nschemes, int year, zb_pts_event *ev, int nev, zb_arena *a,
                  zb_pts_ledger *out);

/* ---- a person's year ---- */

/* The scheme of which in force at path on date (*found 0: none). */
int zb_pts_scheme_at(zb_db *db, int which, const char *path, const char *date, zb_arena *a, zb_pts_scheme *s,
                     int *found, zb_err *e);

/* The ledger of member_id in year (up to today for the current year) by
 * the member's scheme or the secretary's.  The secretary's: ZB_ENOTFOUND
 * on "scheme" when the member held no 书记 post in the year.  ZB_EINVAL on
 * "year" out of 2000..today's year. */
int zb_points_ledger(zb_db *db, int64_t member_id, int which, int year, const char *today, zb_arena *a,
                     zb_pts_ledger *out, zb_err *e);

/* ---- manual items (manual.c) ---- */

typedef struct zb_pts_manual {
	int64_t id, member_id, org_id, proposed_by, decided_by;
	const char *scheme, *member_name, *item_key, *item_name, *happened_on, *reason, *status;
	const char *proposed_name, *decided_name, *decision_note;
	int points10;           /* the scheme's, on happened_on */
} zb_pts_manual;

typedef struct zb_pts_propose_in {
	int which;
	int64_t member_id;
	int64_t org_id;         /* 0: the member's branch (member) or the branch of their 书记 post */
	const char *item_key, *happened_on, *reason;
} zb_pts_propose_in;

/* Propose a manual item (its own transaction, audited "points.propose"):
 * the item a manual one of the scheme in force on happened_on (not
 * after today, in the last two years), the subject a member of the branch
 * (member scheme) or its 书记 on that date (secretary scheme).  who: the
 * proposer (user id and linked member). */
int zb_points_propose(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                      const zb_pts_propose_in *in, zb_arena *a, int64_t *id, zb_err *e);
/* Approve (approve 1) or reject a pending item (its own transaction,
 * audited "points.approve"/"points.reject"): only a member of the
 * branch's committee (the linked member holds a post of it today, or
 * the user holds member.write granted at the branch itself) who is
 * neither the proposer nor the subject (ZB_EFORBIDDEN). */
int zb_points_decide(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                     int approve, const char *note, zb_arena *a, zb_err *e);
/* The manual items of the branch at org_id (status NULL/"": all),
 * pending first, then newest. */
int zb_points_manual_list(zb_db *db, int64_t org_id, const char *status, zb_arena *a, zb_pts_manual **out, int *n,
                          zb_err *e);

/* ---- ranking ---- */

typedef struct zb_pts_rank {
	int64_t member_id;
	const char *name;
	int64_t total10;
	int rank;
} zb_pts_rank;
/* The member ranking of the branch org_id in year, for who: ZB_ENOTFOUND
 * unless the org is a branch (631/632), ranking is on in the scheme in
 * force for it and who is inside it (a member of it, a member of its
 * committee or the holder of a grant at the branch itself). */
int zb_points_ranking(zb_db *db, const zb_principal *who, int64_t org_id, int year, const char *today, zb_arena *a,
                      zb_pts_rank **out, int *n, zb_err *e);

/* The demo county's manual items (demo.c): in the demo branch (the
 * member account's member among them) and a few other branches of the
 * township, approved, pending and rejected, through propose and decide
 * by members of each branch's committee. */
int zb_points_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t township_id, int64_t branch_id, int64_t member_id,
                   zb_err *e);

#endif
