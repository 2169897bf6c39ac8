/* aid.h - 帮扶 (docs/AID.md): the households a village helps, the helpers
 * paired with them (帮扶责任人, 党员联系户), the 责任区 of party members,
 * the visits, the exit (退出), and the coverage a township or county
 * reads.  No HTTP here: api/api_aid.c parses requests and calls these.
 *
 * A household is registered at its village's party organisation (a
 * village as org/org.h ZB_ORG_VILLAGE says).  The 户主's ID number and phone are
 * kept like a member's (member/member.h checks, crypto/fieldprot.h
 * protection bound to "aid_households/<id>/<field>", blind index for the
 * one-household-per-number check).  Every write is one transaction with
 * its audit row.
 *
 * When a visit is due (aid/coverage.c): a current pairing's clock starts
 * at the later of its start and the helper's last visit to the household
 * on or before today; the next visit is due that date plus the months of
 * the rule kind "aid_visits" for the household's status (a 党员联系户: the
 * contact months), by the month-end rule of core/date.h.  On the due date
 * the pairing is still on time; the day after it is overdue.
 */
#ifndef ZB_AID_AID_H
#define ZB_AID_AID_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

struct zb_keys;
struct zb_principal;

/* ---- codes -------------------------------------------------------------- */

/* category: tuopin 脱贫户, monitor 监测户, dibao 低保户, tekun 特困供养户,
 * other 其他; status: helping 在帮, lifted 已脱贫, monitor 监测户;
 * pair kind: helper 帮扶责任人, contact 党员联系户.  _from takes the code
 * or the Chinese name and returns the code (NULL: none). */
const char *zb_aid_category_from(const char *s);
const char *zb_aid_category_name(const char *code);
const char *zb_aid_status_from(const char *s);
const char *zb_aid_status_name(const char *code);
const char *zb_aid_kind_from(const char *s);
const char *zb_aid_kind_name(const char *code);

/* ---- the rule ------------------------------------------------------------ */

typedef struct zb_aid_rules {
	int helping_months, monitor_months, lifted_months, contact_months;
	int64_t set_id;              /* 0: the built-in default */
} zb_aid_rules;
void zb_aid_rules_default(zb_aid_rules *r);
/* Validator of rule kind "aid_visits" (rules/rules.c): the four months
 * as integers 1 to 12, plus "source" text. */
int zb_aid_rules_validate(json_t *data, zb_err *e);
int zb_aid_rules_get(zb_db *db, const char *org_path, const char *date, zb_aid_rules *r, zb_err *e);
/* The months between visits for a pairing of kind with a household of status. */
int zb_aid_interval(const zb_aid_rules *r, const char *kind, const char *status);
/* Pure: the day the next visit is due, from from_on (the pairing's start)
 * and last (the helper's last visit, NULL: none): max(from_on, last) +
 * months; *overdue 1 when today is after it. */
void zb_aid_due(const char *from_on, const char *last, int months, const char *today, char due[11], int *overdue);

/* ---- households ------------------------------------------------------------ */

typedef struct zb_aid_person {
	const char *name, *relation;
} zb_aid_person;

typedef struct zb_aid_household {
	int64_t id, org_id;
	const char *org_path, *org_name;
	const char *head_name;
	const char *id_number, *phone;       /* plaintext, in memory only */
	const char *id_enc, *id_index, *id_masked, *phone_enc, *phone_masked;
	const char *village_group, *address, *category, *status, *status_since;
	const char *exited_on, *exit_decision, *exit_doc, *exit_note;
	zb_aid_person *people;               /* 户主 first */
	int npeople;
	int64_t created_at, updated_at;
} zb_aid_household;

/* Clean and check h in place: head_name (required), id_number (GB 11643,
 * optional), phone, village_group, address, category and status as codes
 * (required), status_since a date not after today (default today),
 * people (at most 20, name and relation each).  Errors name the JSON
 * field (head_name, id_number, people[i].name ...). */
int zb_aid_household_check(zb_aid_household *h, const char *today, zb_arena *ar, zb_err *e);
/* Protected forms of id_number and phone (h->id set). */
int zb_aid_household_protect(zb_aid_household *h, const struct zb_keys *k, zb_arena *ar, zb_err *e);
/* Decrypt into id_number and phone. */
int zb_aid_household_reveal(zb_aid_household *h, const struct zb_keys *k, zb_arena *ar, zb_err *e);

/* The org a household may be registered at: a village (org/org.h
 * ZB_ORG_VILLAGE), not dissolved; ZB_EINVAL on field otherwise.  *path,
 * *name (arena). */
int zb_aid_village_check(zb_db *db, int64_t org_id, const char *field, zb_arena *ar, const char **path,
                         const char **name, zb_err *e);

/* Register a checked household in the caller's transaction: its ID
 * number not registered yet (ZB_ECONFLICT on id_number), the row, its
 * people, its first status row and the "aid.household.create" audit row.
 * h->org_path must be set; h->id and the protected forms get set. */
int zb_aid_household_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, zb_aid_household *h, zb_arena *ar,
                            zb_err *e);
/* Check, place at org_id and insert, in a transaction of its own. */
int zb_aid_household_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, zb_aid_household *h,
                            zb_arena *ar, int64_t *id, zb_err *e);
int zb_aid_household_get(zb_db *db, int64_t id, zb_arena *ar, zb_aid_household *h, zb_err *e);
/* The household whose ID number has blind index idx (0: none). */
int zb_aid_household_find_id(zb_db *db, const char *idx, int64_t *id, zb_err *e);

/* A status change on date on (not before the current status's date, not
 * after today, not the same status), with a note; kept in the history. */
int zb_aid_status_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *status, const char *on,
                      const char *note, zb_arena *ar, zb_err *e);
/* 退出: on (not after today, not before the current status's date), the
 * decision (required: who decided, e.g. 村民代表大会评议、乡镇审核、县审定)
 * and its document number; the current pairings end that day. */
int zb_aid_exit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *decision,
                const char *doc, const char *note, zb_arena *ar, zb_err *e);
/* The same inside the caller's write transaction. */
int zb_aid_exit_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on,
                       const char *decision, const char *doc, const char *note, zb_arena *ar, zb_err *e);

/* ---- pairings, 责任区 and visits ------------------------------------------------ */

/* Pair a helper with a household from from_on: a party member
 * (member_id) or a cadre of a 派出单位 (cadre_id, village/cadre.h), one of
 * the two; kind helper, or contact (a party member of the household's
 * village, its org's subtree); the member must be on the roster (normal
 * or 流动) and not already paired with it in that kind; who (NULL: the
 * command line or the demo) must hold member.read where the member or
 * the cadre's record is, else it is not found.  *pair_id gets the id. */
int zb_aid_pair_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const struct zb_principal *who,
                    int64_t household_id, const char *kind, int64_t member_id, int64_t cadre_id, const char *from_on,
                    zb_arena *ar, int64_t *pair_id, zb_err *e);
/* The same inside the caller's write transaction (the import, the demo). */
int zb_aid_pair_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const struct zb_principal *who,
                       int64_t household_id, const char *kind, int64_t member_id, int64_t cadre_id,
                       const char *from_on, zb_arena *ar, int64_t *pair_id, zb_err *e);
/* End a current pairing on to_on (not before its start) with a reason. */
int zb_aid_pair_end(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t pair_id, const char *to_on,
                    const char *reason, zb_arena *ar, zb_err *e);

/* A 责任区: member (of the village's subtree) responsible for the
 * households of 村民小组 name at village org_id from from_on. */
int zb_aid_area_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const struct zb_principal *who, int64_t org_id,
                    const char *name,
                    int64_t member_id, const char *from_on, zb_arena *ar, int64_t *area_id, zb_err *e);
int zb_aid_area_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const struct zb_principal *who, int64_t org_id,
                       const char *name, int64_t member_id, const char *from_on, zb_arena *ar, int64_t *area_id,
                       zb_err *e);
int zb_aid_area_end(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t area_id, const char *to_on, zb_arena *ar,
                    zb_err *e);

/* A visit to a household by member_id on visited_on (not after today, not
 * after the household's exit) doing what
 * (required, at most 2000 bytes).  The visitor must hold a pairing with
 * the household current on that day (ZB_ECONFLICT otherwise). */
int zb_aid_visit_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t household_id, int64_t member_id,
                     int64_t cadre_id, const char *visited_on, const char *what, zb_arena *ar, int64_t *visit_id,
                     zb_err *e);
int zb_aid_visit_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t household_id, int64_t member_id,
                        int64_t cadre_id, const char *visited_on, const char *what, zb_arena *ar, int64_t *visit_id,
                        zb_err *e);

/* ---- photos of a visit (photo.c) ------------------------------------------------ */

#define ZB_AID_MAX_PHOTOS 5
/* A photo of visit visit_id (JPEG or PNG by content, at most
 * ZB_ATTACH_MAX_BYTES, at most ZB_AID_MAX_PHOTOS a visit) in the meeting
 * attachments' file store (meeting/attach.h), with its audit row, in a
 * transaction of its own; a refused one leaves no file.  member_id or
 * cadre_id (0 and 0: staff): the visit must be theirs, else ZB_ENOTFOUND. */
int zb_aid_photo_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t visit_id, int64_t member_id,
                     int64_t cadre_id, const char *filename, const void *data, size_t len, int64_t *photo_id,
                     zb_err *e);
/* The kind, display name and stored file name of photo id. */
int zb_aid_photo_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                      const char **stored_name, zb_err *e);

/* ---- reading ------------------------------------------------------------------ */

typedef struct zb_aid_status_row {
	const char *status, *since, *note;
} zb_aid_status_row;

typedef struct zb_aid_pair {
	int64_t id, household_id, member_id, cadre_id;   /* one of member_id, cadre_id */
	const char *kind, *name, *org_name;  /* the helper's name, and org or 派出单位 */
	const char *from_on, *to_on, *end_reason;
	const char *last_visit;              /* NULL: none */
	char due[11];                        /* current pairings only */
	int current, overdue, months;
} zb_aid_pair;

typedef struct zb_aid_visit {
	int64_t id, member_id, cadre_id;
	int64_t *photos;                     /* photo ids */
	int nphotos;
	const char *visited_on, *what, *visitor;
	int64_t recorded_at;
} zb_aid_visit;

typedef struct zb_aid_area {
	int64_t id, org_id, member_id;
	const char *name, *member_name, *from_on, *to_on;
	int64_t households;                  /* households of that group, not exited */
} zb_aid_area;

typedef struct zb_aid_view {
	zb_aid_household h;
	zb_aid_status_row *history;
	int nhistory;
	zb_aid_pair *pairs;                  /* current first, then ended */
	int npairs;
	zb_aid_visit *visits;                /* newest first, at most 100 */
	int nvisits;
	const char *area_member;             /* the 责任区's member, NULL: none */
} zb_aid_view;
int zb_aid_view_get(zb_db *db, int64_t id, const char *today, zb_arena *ar, zb_aid_view *v, zb_err *e);

/* One household of a list, with what the coverage says of it. */
typedef struct zb_aid_item {
	int64_t id, org_id;
	const char *org_name, *head_name, *village_group, *category, *status, *exited_on;
	int helpers, overdue;                /* current helper pairings, those overdue */
	const char *last_visit;
	char next_due[11];                   /* the earliest due date of its pairings */
} zb_aid_item;

/* Which households a list holds. */
typedef enum zb_aid_filter {
	ZB_AID_ALL = 0,       /* not exited */
	ZB_AID_NO_HELPER,     /* not exited, no current helper */
	ZB_AID_OVERDUE,       /* not exited, a helper pairing overdue */
	ZB_AID_EXITED,        /* exited */
} zb_aid_filter;
/* A page of households under path, by id after `after`; status: a status
 * code or NULL; q: part of the 户主's name or pinyin, or NULL.
 * *next_after: the id to continue after, 0 at the end. */
int zb_aid_list(zb_db *db, const char *path, zb_aid_filter f, const char *status, const char *q, int64_t after,
                int64_t limit, const char *today, zb_arena *ar, zb_aid_item **out, int *n, int64_t *next_after,
                zb_err *e);

/* A helper with overdue households. */
typedef struct zb_aid_helper_due {
	int64_t member_id, cadre_id;
	const char *name, *org_name;
	int households, overdue;
} zb_aid_helper_due;

/* The coverage of the households under path (not exited), today. */
typedef struct zb_aid_coverage {
	int64_t households, with_helper, without_helper, visited_on_time, overdue;
	int64_t exited;
	int64_t by_status[3];                /* helping, lifted, monitor */
	int64_t contact_households, contact_pairs, contact_on_time;
	int64_t in_area;                     /* households whose 村民小组 has a current 责任区 */
	zb_aid_helper_due *helpers_overdue;  /* most overdue first, at most 50 */
	int nhelpers_overdue;
	int64_t helpers, helpers_with_overdue;
} zb_aid_coverage;
int zb_aid_coverage_get(zb_db *db, const char *path, const char *today, zb_arena *ar, zb_aid_coverage *c, zb_err *e);

/* The households member_id or cadre_id (one of the two) is paired with
 * now (helper or contact), with the due date of each: what the visitor
 * picks from. */
typedef struct zb_aid_mine_item {
	int64_t household_id, pair_id;
	const char *head_name, *org_name, *village_group, *status, *kind, *last_visit;
	char due[11];
	int overdue;
} zb_aid_mine_item;
int zb_aid_mine(zb_db *db, int64_t member_id, int64_t cadre_id, const char *today, zb_arena *ar, zb_aid_mine_item **out, int *n,
                zb_err *e);

/* The 责任区 of a village's subtree. */
int zb_aid_areas_list(zb_db *db, const char *path, zb_arena *ar, zb_aid_area **out, int *n, zb_err *e);

/* ---- demo (aid/demo.c) -------------------------------------------------------- */

/* Households in every rural village of the demo county, with categories
 * and statuses, 派出单位 and their cadres (village/cadre.h, about 21
 * cadres a unit as in the seed county's 2,314 of 107, scaled to the
 * households), pairings with those cadres and with party members of the
 * village and of the county's organs, 党员联系户, 责任区, visits over 2026
 * with some helpers behind, some exits; through the functions above.  keep_member (0:
 * none), the demo's member account, helps three households of their
 * village (one overdue) and contacts a fourth; the last household of that
 * village has no helper.  *made may be NULL. */
int zb_aid_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t keep_member, int64_t *made, zb_err *e);

#endif
