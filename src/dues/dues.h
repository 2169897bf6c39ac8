/* dues.h - 党费: the dues base of a member, the monthly due by the bands
 * of the rules in force, payments and their reversal, reductions and
 * exemptions, a member's months, a branch's monthly sheet and the
 * roll-up of the subtree.  docs/DUES.md has the rules and their source.
 *
 * Money is integer fen (分) in memory, storage and arithmetic; text is
 * "15.00" (zb_money_text).  No floating point anywhere.  Months are
 * integers yyyymm (202601) inside, "2026-01" outside.
 *
 * The monthly due (《关于中国共产党党费收缴、使用和管理的规定》, 中组发
 * 〔2008〕3号, rule kind "dues"): salary and pension bases pay one rate on
 * the whole base, the band found by the base with band tops inclusive;
 * farmer, student, unemployed and relief pay the fixed sum of the rule.
 * Rounded half up to the fen: due = (base * permyriad + 5000) / 10000.
 * A month is owed when the member had joined by then (预备党员 owe from
 * the month the 支部大会 accepted them, the join date's month) and a base
 * was in force; an approved reduction sets the due of its months, an
 * approved exemption makes them owe nothing.
 */
#ifndef ZB_DUES_H
#define ZB_DUES_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "rules/rules.h"
#include "store/db.h"

/* ---- money and months ---- */

/* "3000", "3000.5", "3000.00" -> fen.  Strict: digits, at most one
 * point, at most two decimals, no sign, no spaces, at most 10 000 000
 * yuan.  ZB_EINVAL naming field, the message naming what (中文). */
int zb_money_parse(const char *s, const char *field, const char *what, int64_t *fen, zb_err *e);
/* fen -> "15.00" ("-15.00" below zero). */
void zb_money_text(int64_t fen, char out[24]);
/* "2026-01" -> 202601; ZB_EINVAL naming field. */
int zb_dues_ym_parse(const char *s, const char *field, int *ym, zb_err *e);
/* paid / due as a percentage with two decimals, rounded half up:
 * "93.75"; "100.00" when nothing was due. */
void zb_dues_rate_text(int64_t paid, int64_t due, char out[16]);

/* ---- the rule ---- */

enum zb_dues_kind {
	ZB_DK_SALARY,      /* 在职: monthly after-tax pay */
	ZB_DK_PENSION,     /* 离退休: monthly pension */
	ZB_DK_FARMER,      /* 农民 */
	ZB_DK_STUDENT,     /* 学生 */
	ZB_DK_UNEMPLOYED,  /* 下岗失业 */
	ZB_DK_RELIEF,      /* 依靠救济 */
	ZB_DK_COUNT
};
int zb_dues_kind_parse(const char *s);       /* code -> kind, -1 unknown */
const char *zb_dues_kind_code(int kind);     /* "salary" ... */
const char *zb_dues_kind_name(int kind);     /* "在职" ... */

#define ZB_DUES_MAX_BANDS 8
typedef struct zb_dues_band {
	int64_t upto_fen;  /* inclusive top; 0 = no top (the last band) */
	int permyriad;     /* 50 = 0.5% */
} zb_dues_band;

typedef struct zb_dues_rules {
	int64_t set_id;
	int nsalary, npension;
	zb_dues_band salary[ZB_DUES_MAX_BANDS], pension[ZB_DUES_MAX_BANDS];
	int64_t fixed_fen[ZB_DK_COUNT]; /* farmer, student, unemployed, relief */
	int64_t voluntary_min_fen;
} zb_dues_rules;

/* Validator of rule kind "dues" (registered in rules/rules.c). */
int zb_dues_rules_validate(json_t *data, zb_err *e);
/* The rules of a validated set. */
void zb_dues_rules_of(const zb_rule_set *s, zb_dues_rules *r);

/* The monthly due of a base, in fen (no reduction). */
int64_t zb_dues_monthly(const zb_dues_rules *r, int kind, int64_t base_fen);

/* Rule snapshots by month (the set in force on the month's first day),
 * loaded once per month asked for. */
typedef struct zb_dues_rcache zb_dues_rcache;
int zb_dues_rcache_new(zb_db *db, zb_dues_rcache **out, zb_err *e);
void zb_dues_rcache_free(zb_dues_rcache *c);
int zb_dues_rules_at(zb_dues_rcache *c, const char *org_path, int ym, zb_dues_rules *r, zb_err *e);

/* ---- one month of one member ---- */

typedef struct zb_dues_month {
	int ym;
	int owes;          /* joined and a base in force: the month is owed */
	int kind;          /* the base's kind, -1 none */
	int64_t base_fen;
	int64_t standard_fen; /* by the rule */
	int reduced;       /* 0; 1 reduced; 2 exempt */
	int64_t due_fen;   /* after a reduction */
	int64_t paid_fen;  /* net of reversals */
	int64_t owed_fen;  /* max(due - paid, 0) */
} zb_dues_month;

/* What one month is from its parts (has_base 0: no base in force;
 * red: 0, 1 reduce to red_fen, 2 exempt). */
void zb_dues_eval(const zb_dues_rules *r, int join_ym, int ym, int has_base, int kind, int64_t base_fen, int red,
                  int64_t red_fen, int64_t paid_fen, zb_dues_month *out);

/* ---- a member ---- */

typedef struct zb_dues_base {
	int64_t id;
	int from_ym, kind;
	int64_t amount_fen, monthly_fen; /* monthly_fen: by the rule of from_ym */
} zb_dues_base;

typedef struct zb_dues_reduction {
	int64_t id, member_id;
	const char *kind, *state, *reason, *decided_on, *approval_note;
	int from_ym, to_ym;
	int64_t amount_fen;
	int64_t decided_by, approved_by;
	const char *member_name, *org_path;
	int64_t org_id;            /* the member's org (zb_dues_reductions_of only) */
	const char *org_name;
} zb_dues_reduction;

typedef struct zb_dues_payment {
	int64_t id;
	const char *kind, *paid_on, *method, *note, *by_name;
	int64_t amount_fen, reverses, reversed_by;
	int nmonths;
	int *months;
} zb_dues_payment;

/* A member's dues, loaded once (bases, approved reductions, net paid per
 * month); months are evaluated from it. */
typedef struct zb_dues_member {
	int64_t id, org_id;
	const char *name, *org_path, *org_name, *join_date, *category, *status;
	int join_ym;       /* 0: no valid join date */
	int nbases;
	zb_dues_base *bases;       /* oldest first */
	int nred;
	zb_dues_reduction *red;    /* all states, newest first */
	int npaid;
	int *paid_ym;              /* months with lines, ascending */
	int64_t *paid_fen;
} zb_dues_member;

int zb_dues_member_load(zb_db *db, zb_dues_rcache *rc, int64_t member_id, zb_arena *a, zb_dues_member *m, zb_err *e);
int zb_dues_member_month(zb_dues_rcache *rc, const zb_dues_member *m, int ym, zb_dues_month *out, zb_err *e);
/* The last month up to which every owed month is paid in full (from the
 * first owed month on), looked at up to max(now_ym, the last month paid);
 * 0 when the first owed month is not paid (or nothing is owed yet). */
int zb_dues_paid_up_to(zb_dues_rcache *rc, const zb_dues_member *m, int now_ym, int *ym, zb_err *e);
/* The same for member_id, loading what it needs ("YYYY-MM" in out[8],
 * "" when nothing is paid up to). */
int zb_dues_paid_up_to_text(zb_db *db, int64_t member_id, int now_ym, zb_arena *a, char out[8], zb_err *e);

/* The payments of a member paid in year or paying a month of it (0:
 * all), newest first; a reversal shows beside what it reverses. */
int zb_dues_payments(zb_db *db, int64_t member_id, int year, zb_arena *a, zb_dues_payment **out, int *n, zb_err *e);

/* The consecutive months, back from last_ym, for which the member owed
 * dues and paid nothing (党章 第九条: 不交纳党费); months owing nothing
 * (no base, exempt) are passed over, a month paid ends the run; months
 * up to anchor are not looked at.  *since gets the earliest such month. */
int zb_dues_unpaid_run(zb_dues_rcache *rc, const zb_dues_member *m, int anchor, int last_ym, int *months, int *since,
                       zb_err *e);

/* ---- writes, each in its own transaction with its audit row ---- */

/* Set the base of member_id from from_ym on (the same month again
 * replaces it).  *monthly gets the due by the rule of that month. */
int zb_dues_base_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                     const char *kind, const char *amount, const char *from, int64_t *monthly, zb_err *e);

typedef struct zb_dues_pay_in {
	int64_t member_id;
	const char *org_path;      /* the member's */
	const char *const *months; /* "2026-01", ... (none for voluntary) */
	int nmonths;
	const char *amount, *paid_on, *method, *note;
	int voluntary;             /* 一次性自愿交纳: no months, >= the rule's minimum */
} zb_dues_pay_in;
/* Record a payment: the amount fills each month's owed in the order
 * given, what is left goes to the last month.  *id gets the payment. */
int zb_dues_pay(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_dues_pay_in *in, const char *today,
                int64_t *id, zb_err *e);
/* The pay step alone, in the caller's write transaction, with its audit
 * row. */
int zb_dues_pay_tx(zb_db *db, zb_app *app, zb_dues_rcache *rc, const zb_audit_ev *by, const zb_dues_pay_in *in,
                   const char *today, int64_t *id, zb_err *e);
/* Reverse payment_id with a reason; once, never a reversal.  *id gets
 * the reversing row; *member_id the payment's member. */
int zb_dues_reverse(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t payment_id, const char *org_path,
                    const char *reason, const char *today, int64_t *id, int64_t *member_id, zb_err *e);

/* The branch's decision on a reduction or exemption, pending approval. */
int zb_dues_reduction_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t member_id, const char *org_path,
                          const char *kind, const char *from, const char *to, const char *amount, const char *reason,
                          const char *decided_on, const char *today, int64_t *id, zb_err *e);
/* The level above approves or rejects (the caller checked that `by`
 * holds the power there).  ZB_ECONFLICT when already decided. */
int zb_dues_reduction_decide(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *org_path,
                             int approve, const char *note, zb_err *e);
int zb_dues_reduction_get(zb_db *db, int64_t id, zb_arena *a, zb_dues_reduction *out, zb_err *e);
/* The reductions of the members of the subtree at path, newest first, at
 * most limit; state "pending", "approved" or "rejected" (NULL or "": all;
 * anything else ZB_EINVAL naming "state").  Each with its member's org. */
int zb_dues_reductions_of(zb_db *db, const char *path, const char *state, int limit, zb_arena *a,
                          zb_dues_reduction **out, int *n, zb_err *e);

/* ---- the sheet of an org for a month ---- */

typedef struct zb_dues_row {
	int64_t member_id, org_id;
	const char *name, *category, *org_name, *org_path;
	zb_dues_month m;
} zb_dues_row;

typedef struct zb_dues_sum {
	int members, owing;        /* members listed; members owing that month */
	int64_t due_fen, paid_fen, owed_fen;
	int64_t voluntary_fen;     /* one-off voluntary payments paid that month */
} zb_dues_sum;

typedef struct zb_dues_child {
	int64_t org_id;
	const char *name, *path;
	zb_dues_sum sum;
} zb_dues_child;

typedef struct zb_dues_sheet {
	int ym;
	zb_dues_sum total;         /* the whole subtree */
	int nrows;
	zb_dues_row *rows;         /* the org's own members (all of the subtree when all_rows) */
	int nchildren;
	zb_dues_child *children;   /* each direct sub-org's subtree */
} zb_dues_sheet;

/* Members owing in the statuses normal, mobile, lost and abroad.
 * all_rows: list every member of the subtree (the report), else the org's
 * own. */
int zb_dues_sheet_get(zb_db *db, int64_t org_id, const char *org_path, int ym, int all_rows, zb_arena *a,
                  zb_dues_sheet *out, zb_err *e);

/* The sheets of the months from..to (at most 12) of the subtree, summed
 * per month, without the member rows and the voluntary payments: what
 * zb_dues_sheet_get() gives as total and children for each month, from
 * four range reads (members, bases, lines, reductions) instead of one
 * read per month.  months[k] is the month from + k. */
#define ZB_DUES_SPAN_MAX 12
typedef struct zb_dues_span_child {
	int64_t org_id;
	const char *name, *path;
	zb_dues_sum months[ZB_DUES_SPAN_MAX];
} zb_dues_span_child;

typedef struct zb_dues_span {
	int from, to, nmonths;
	zb_dues_sum months[ZB_DUES_SPAN_MAX];  /* the whole subtree */
	int nchildren;
	zb_dues_span_child *children;          /* each direct sub-org's subtree */
} zb_dues_span;

int zb_dues_span_get(zb_db *db, int64_t org_id, const char *org_path, int from, int to, zb_arena *a,
                     zb_dues_span *out, zb_err *e);

/* 一键登记: for each member of member_ids (all of the org's own members),
 * a payment of that month's owed, in one transaction.  Members owing
 * nothing that month are skipped; *recorded gets the payments made.
 * A member not of the org: ZB_ENOTFOUND naming "member_ids". */
int zb_dues_bulk_pay(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *org_path,
                     const char *month, const char *paid_on, const char *method, const int64_t *member_ids, int n,
                     const char *today, int *recorded, zb_err *e);

/* The 党费收缴 report as an .xlsx file at path: sheet of members of the
 * subtree for the month, with the totals as title. */
int zb_dues_report_xlsx(zb_db *db, int64_t org_id, const char *org_path, const char *org_name, int ym,
                        const char *path, zb_arena *a, zb_err *e);

/* The demo's dues: a base for every member on the roster and payments
 * for most of the last months (deterministic). */
int zb_dues_demo(zb_db *db, const char *today, int64_t now, zb_err *e);

#endif
