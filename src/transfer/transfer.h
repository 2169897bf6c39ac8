/* transfer.h - 组织关系转接 (a member's party relation moved to another
 * organisation, with the 介绍信, its 存根 and its 回执) and 流动党员 (members
 * away from home, registered with the organisation that takes care of
 * them).  No HTTP here: api/api_transfers.c parses and calls one function.
 * docs/TRANSFERS.md has the model, the states and the rules with their
 * sources.
 *
 * A transfer within the platform goes
 *   started (the sending branch) -> issued (the sending side's 党委 numbers
 *   the 介绍信) -> accepted (the receiving 党委; the member moves to the
 *   receiving branch through the member save path, dated the day of
 *   acceptance) -> closed (the 回执 received by the sending side);
 *   issued -> returned (the receiving 党委, with a reason).
 * Out of the platform: started -> issued -> closed when the paper 回执 is
 * recorded by the sending side (the member's status becomes 已转出 on the
 * date it states).  In from outside: the member is created from the
 * letter's facts (accepted) -> closed when the 回执 is sent.
 *
 * Every write is one transaction with its audit row (zb_audit_change),
 * except zb_transfer_in, which creates the member through
 * zb_member_create (its own transaction, the ID number checked, protected
 * and counted as any create) and then writes the transfer and its audit
 * row.  Errors are ZB_E* with a Chinese message naming the body field.
 */
#ifndef ZB_TRANSFER_H
#define ZB_TRANSFER_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "member/history.h"
#include "member/member.h"
#include "store/db.h"

/* ---- the rule (kind "transfer", registered in rules/rules.c) ---- */

typedef struct zb_transfer_rules {
	int64_t set_id;             /* 0: the built-in default */
	int letter_months;          /* 3: a 介绍信's validity */
	int letter_months_across;   /* 6: across provinces */
	int province_depth;         /* 0: the top-level orgs are the provinces */
	int stub_keep_years;        /* 10: how long the 存根 is kept */
	int certificate_months;     /* 3: away this long or more needs a 证明信 */
	int transfer_months;        /* 6: away this long or more needs a transfer */
	const char *source;         /* display only */
} zb_transfer_rules;

/* {"letter_months":1..12, "letter_months_across_provinces":letter_months..24,
 *  "province_depth":0..5, "stub_keep_years":1..100, "certificate_months":1..12,
 *  "transfer_months":certificate_months+1..24, "source":"..."}. */
int zb_transfer_rules_validate(json_t *data, zb_err *e);
/* The set in force for org_path on date. */
int zb_transfer_rules_get(zb_db *db, const char *org_path, const char *date, zb_transfer_rules *r, zb_err *e);

/* ---- pure rules ---- */

/* The last valid day of a letter issued on issued_on valid for months:
 * the day before the same date months later (issued 2026-01-15, 3 months:
 * valid through 2026-04-14; month ends by core/date.h). */
void zb_transfer_valid_until(const char *issued_on, int months, char out[11]);
/* 1 when a letter valid through valid_until can no longer be accepted on
 * day on (on > valid_until): valid on its last day, expired the day after. */
int zb_transfer_expired(const char *valid_until, const char *on);
/* 1 when the orgs at paths a and b lie under different orgs at depth
 * (0: the top-level orgs): different provinces. */
int zb_transfer_across(const char *a, const char *b, int depth);

/* Which paper a 流动党员 needs: "none" (away under certificate_months),
 * "activity_card" (流动党员活动证: no fixed place), "certificate" (证明信:
 * under transfer_months), "transfer" (away transfer_months or more with a
 * fixed place: a transfer of the relation, not a registration).  until_on
 * NULL: open-ended (counts as long).  Dates valid, until_on >= left_on. */
const char *zb_mobile_paper(const zb_transfer_rules *r, const char *left_on, const char *until_on, int no_fixed_place);
const char *zb_mobile_paper_name(const char *paper);

/* ---- transfers ---- */

typedef struct zb_transfer {
	int64_t id, member_id;
	const char *direction, *status;
	int64_t from_org_id, from_committee_id, to_org_id, to_committee_id;
	const char *from_path, *from_committee_path, *to_path, *to_committee_path;
	const char *from_org_name, *from_committee_name, *to_org_name, *to_committee_name;
	const char *outside_org, *outside_province;
	int across_provinces;
	const char *member_name, *reason, *dues_paid_to;
	const char *letter_no, *issued_on, *valid_until, *accepted_on, *returned_on, *return_reason, *receipt_on;
	int valid_months;
	const char *snapshot;       /* JSON text or NULL */
	int64_t moved_at, created_at, updated_at;
} zb_transfer;

int zb_transfer_get(zb_db *db, int64_t id, zb_arena *a, zb_transfer *t, zb_err *e);
/* Transfers whose sending or receiving branch lies under path, newest
 * first, at most limit. */
int zb_transfer_list(zb_db *db, const char *path, int limit, zb_arena *a, zb_transfer **out, int *n, zb_err *e);
/* Which side of t the caller holds perm on: "from", "to" (from first), or
 * NULL.  The scope resolver uses it to choose the path it reports. */
const char *zb_transfer_side(const zb_transfer *t, const zb_principal *who, unsigned perm);

/* A new transfer.  Within the platform the receiving branch is named by
 * to_org_id (a branch the caller may read: one outside is answered as a
 * missing one) or by to_org_code, its 组织编码, which names any branch on
 * the platform: the code is what the receiving side tells the member and
 * the sending side (docs/TRANSFERS.md, "Naming the receiving branch").
 * Neither: outside_org names the destination (direction out). */
typedef struct zb_transfer_start_in {
	int64_t member_id, to_org_id;
	const char *to_org_code;
	const char *outside_org, *outside_province;
	int across_provinces;       /* out: as stated */
	const char *reason, *dues_paid_to;
} zb_transfer_start_in;
int zb_transfer_start(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                      const zb_transfer_start_in *in, zb_arena *a, int64_t *id, zb_err *e);
/* The sending 党委 issues the letter (who holds member.write at that 党委
 * or above, else ZB_EFORBIDDEN): numbered per 党委 and year, valid by the
 * rule on issued_on (NULL: today). */
int zb_transfer_issue(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                      const char *issued_on, zb_arena *a, zb_err *e);
/* The receiving 党委 accepts on accepted_on (NULL: today; not after today,
 * not before the issue, not after the letter's last valid day): the member
 * moves to the receiving branch, dated accepted_on. */
int zb_transfer_accept(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       const char *accepted_on, zb_arena *a, zb_err *e);
/* The receiving 党委 returns the letter with a reason. */
int zb_transfer_return(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       const char *reason, zb_arena *a, zb_err *e);
/* The 回执: within, received by the sending side after acceptance; out,
 * the paper 回执 recorded by the sending side (on: the day the receiving
 * organisation took the relation in; the member's status becomes 已转出
 * then); in, sent by the receiving side.  Closes the case. */
int zb_transfer_receipt(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                        const char *on, zb_arena *a, zb_err *e);

/* In from outside: the member created at org_id from the letter's facts
 * (in->m, through zb_member_create), the transfer recorded as accepted. */
typedef struct zb_transfer_in_in {
	zb_member_input member;     /* org_id and the record's fields */
	const char *outside_org, *outside_province, *letter_no, *issued_on, *accepted_on, *dues_paid_to, *reason;
} zb_transfer_in_in;
int zb_transfer_in(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_transfer_in_in *in,
                   zb_arena *a, int64_t *id, zb_err *e);

/* The sending side's read-only view: the record as it stood when the
 * member moved (masked; t->snapshot, or the record now when not moved yet)
 * and the history rows effective on or before the move.  rows in a. */
int zb_transfer_history(zb_db *db, const zb_transfer *t, zb_arena *a, zb_member_change_row **rows, int *n,
                        zb_err *e);

/* The steps the caller may take now ("issue", "accept", "return",
 * "receipt"), into out; returns how many. */
int zb_transfer_actions(const zb_transfer *t, const zb_principal *who, const char *out[4]);
/* The record for the read-only view, as JSON text (masked values): the
 * one kept when the member moved, or the record now when not moved yet. */
int zb_transfer_record(zb_db *db, const zb_transfer *t, zb_arena *a, const char **json, zb_err *e);

/* Printables (print.c): the 介绍信 with its 存根 and the 回执 form; the 回执
 * as returned.  HTML, every user text escaped.  Nonzero when b is full. */
int zb_transfer_letter_html(const zb_transfer *t, const zb_transfer_rules *r, zb_buf *b);
int zb_transfer_receipt_html(const zb_transfer *t, zb_buf *b);

/* ---- 流动党员 ---- */

typedef struct zb_mobile {
	int64_t id, member_id, care_org_id;
	const char *member_name, *home_path, *left_on, *until_on, *destination, *contact, *care_org_name, *paper,
		*paper_no, *ended_on;
	int no_fixed_place;
	int64_t created_at;
	const char *care_org_code;  /* input: the care org by its 组织编码 (any org on the platform) */
} zb_mobile;

/* Register member m->member_id as a 流动党员 (in m: left_on, until_on,
 * no_fixed_place, destination, contact, care_org_id (0: none; a branch the
 * caller may read) or care_org_name, paper_no).  The paper is computed
 * (zb_mobile_paper); a certificate or activity card needs its number; one
 * needing a transfer is refused.  The member's status becomes 流动 from
 * left_on through the member save path.  *id the registration. */
int zb_mobile_register(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_mobile *m,
                       zb_arena *a, int64_t *id, zb_err *e);
/* Back home on ended_on: the registration ends and the status is 正常. */
int zb_mobile_end(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t member_id,
                  const char *ended_on, zb_arena *a, zb_err *e);
/* Registrations of the members of a subtree (open ones first), or of
 * one member (member_id > 0, path NULL). */
int zb_mobile_list(zb_db *db, const char *path, int64_t member_id, zb_arena *a, zb_mobile **out, int *n, zb_err *e);
/* The printable paper of a member's latest registration (print.c): the
 * 证明信 addressed to the org taking care of them, or the 流动党员活动证.
 * ZB_ENOTFOUND when never registered, ZB_ECONFLICT when the absence needs
 * no paper.  HTML, every user text escaped. */
int zb_mobile_paper_print(zb_db *db, int64_t member_id, zb_arena *a, zb_buf *b, int64_t *reg_id, zb_err *e);
/* The page itself, for registration m of a member of branch home_name
 * (m->paper "certificate" or "activity_card").  Nonzero when b is full. */
int zb_mobile_paper_html(const zb_mobile *m, const char *home_name, zb_buf *b);
/* The demo's registrations (demo.c): one for every member with status
 * 流动, through zb_mobile_register.  *made counts them. */
int zb_mobile_demo(zb_db *db, zb_app *app, int *made, zb_err *e);

#endif
