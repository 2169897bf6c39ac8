/* disclose.h - 三务公开 (党务, 村务, 财务) of a village (docs/DISCLOSURE.md).
 *
 * An item reports one kind for one period: 党务 (kind "party") every
 * quarter and on events, 村务 ("village") every quarter, 财务 ("finance")
 * every month, by rule kind "disclosure" (when each kind is due and how
 * many days after the period's end it must be public).  It has a title,
 * a text and tables (rows and columns, e.g. the month's 财务收支).
 *
 * Flow, each step one write transaction with its history row and audit row:
 *   draft --submit--> submitted --approve--> approved --review--> reviewed
 *   --publish--> published --withdraw(reason)--> withdrawn
 * create, edit, submit, approve and publish are the village's
 * (meeting.write at the village, held by its party_worker; the approver a
 * different account than the drafter); review is the township's
 * (org.write at the village's superior committee), and so is refusing an
 * approved item; withdraw needs org.write at the village.  refuse (with a
 * reason) sends a submitted or approved item back to draft.  Only a
 * draft is edited.  Before an item leaves the draft (submit) and again at
 * approval, its title, text and every table cell are searched for a full
 * ID number (18 characters with a valid check character) or an 11-digit
 * mobile number; one found refuses the step naming where it is.
 *
 * A village is what org/org.h says it is (ZB_ORG_VILLAGE: a rural 党支部,
 * 联合党支部 or 党总支 whose parent is a 党委, the township): the org
 * whose public page (GET /gk/{id}) shows its items.
 */
#ifndef ZB_DISCLOSE_H
#define ZB_DISCLOSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

/* ---- the rule (rule kind "disclosure") ---- */

enum { ZB_DK_PARTY, ZB_DK_VILLAGE, ZB_DK_FINANCE, ZB_DK_MAX };
extern const char *const zb_disclose_kinds[ZB_DK_MAX];       /* "party", "village", "finance" */
extern const char *const zb_disclose_kind_names[ZB_DK_MAX];  /* 党务, 村务, 财务 */
/* The index of a kind name, or -1. */
int zb_disclose_kind(const char *kind);

typedef struct zb_disclose_rules {
	int64_t set_id;            /* 0: built-in defaults (no set found) */
	char unit[ZB_DK_MAX];      /* 'm' every month, 'q' every quarter */
	int deadline_days;         /* days after the period's last day */
} zb_disclose_rules;

int zb_disclose_rules_validate(json_t *data, zb_err *e);
/* The rule of a set (NULL: the national default's values). */
struct zb_rule_set;
void zb_disclose_rules_from(const struct zb_rule_set *s, zb_disclose_rules *r);
/* The rule for the org at path on date. */
int zb_disclose_rules_get(zb_db *db, const char *org_path, const char *date, zb_disclose_rules *r, zb_err *e);

/* ---- periods (pure) ---- */

/* Parse a period: "2026-03" (unit 'm'), "2026-Q1" ('q') or a date
 * "2026-03-15" ('e', an event); first and last day.  0, or -1 if malformed. */
int zb_disclose_period(const char *period, char *unit, char first[11], char last[11]);
/* The last day an item for a period ending on last is on time:
 * last + deadline_days. */
void zb_disclose_deadline(const char *last, int deadline_days, char out[11]);
/* The period of unit ('m'/'q') that contains date, as text (out >= 16). */
void zb_disclose_period_of(char unit, const char *date, char out[16]);
/* Whether a period fits a kind under the rule: the kind's unit, or an
 * event date for 党务.  0 ok, else ZB_EINVAL naming "period". */
int zb_disclose_period_check(const zb_disclose_rules *r, int kind, const char *period, zb_err *e);

/* ---- personal data (pure) ---- */

/* Look in s for what looks like personal data: a full ID number (17
 * digits and a digit or X, with a valid date and check character; a
 * wrong check character is not one) or a mobile number (11 digits
 * starting 13-19, also written 3-4-4 with spaces or hyphens), each not
 * part of a longer run of digits.  A number with its middle masked
 * (138****5678) is not found.  Full-width digits count as digits.
 * 1 and *what ("身份证号" / "手机号"), else 0. */
int zb_disclose_pii_find(const char *s, int today_ymd, const char **what);

/* ---- items ---- */

/* A photo or PDF of an item (attach.c): kept in the meeting attachments'
 * file store (meeting/attach.h), with a caption shown beside it. */
typedef struct zb_disclosure_file {
	int64_t id, disclosure_id, size, created_at;
	const char *kind, *filename, *caption;
} zb_disclosure_file;

typedef struct zb_disclosure {
	int64_t id, org_id;
	const char *org_path, *org_name;
	const char *kind, *period, *title, *body;
	const char *tables;        /* JSON text: [{"title","columns":[..],"rows":[[..]..]}] */
	const char *status;        /* draft submitted approved reviewed published withdrawn */
	int64_t created_by, created_at, updated_at, published_at, withdrawn_at;
	const char *created_by_name, *published_on, *withdraw_reason;
	const char *deadline;      /* the period's deadline ("" for events) */
	zb_disclosure_file *files; /* its attachments, where the reader filled them */
	int nfiles;
} zb_disclosure;

typedef struct zb_disclosure_step {
	int64_t id, user_id, at;
	int attachments_checked;   /* an approval that confirmed the attachments checked */
	const char *action, *from_status, *to_status, *reason, *user_name;
} zb_disclosure_step;

typedef struct zb_disclosure_in {
	const char *kind, *period, *title, *body;
	json_t *tables;            /* array or NULL (none) */
} zb_disclosure_in;

/* Check a tables value: at most 10 tables of at most 30 columns and 500
 * rows, each row as long as the columns, cells strings (≤ 500 bytes) or
 * numbers.  ZB_EINVAL naming e.g. "tables[0].rows[3]". */
int zb_disclose_tables_check(json_t *tables, zb_err *e);
/* The personal-data search over an item's title, text and cells: ZB_EINVAL
 * naming the place ("第 1 张表第 3 行第 2 列" and field tables[0].rows[2][1]). */
int zb_disclose_pii_check(const char *title, const char *body, const char *tables_json, int today_ymd, zb_err *e);

/* The village org id: its path, name and its township's path (arena a).
 * ZB_EINVAL (field org_id) when the org is not a village, ZB_ENOTFOUND when
 * there is none. */
typedef struct zb_village {
	int64_t id;
	const char *path, *name, *code, *township_path, *township_name;
} zb_village;
int zb_disclose_village(zb_db *db, int64_t org_id, zb_arena *a, zb_village *v, zb_err *e);
/* Every village under path (the org and its subtree), by path. */
int zb_disclose_villages(zb_db *db, const char *path, zb_arena *a, zb_village **rows, int *n, zb_err *e);
/* The village named by an id or an org code (the public page's address). */
int zb_disclose_village_by_ref(zb_db *db, const char *ref, zb_arena *a, zb_village *v, zb_err *e);

/* Create a draft at a village (its own write transaction, history and
 * audit row "disclosure.create"). */
int zb_disclosure_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const zb_disclosure_in *in,
                         int64_t now, int64_t *id, zb_err *e);
/* Change a draft (fields left NULL stay); ZB_ECONFLICT past the draft. */
int zb_disclosure_edit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_disclosure_in *in,
                       int64_t now, zb_err *e);

/* A step of the flow: action submit, approve, refuse, review, publish,
 * withdraw.  who decides the township's review (org.write at the
 * township) and the approver's being another account; reason is required
 * for refuse and withdraw.  today: the date of the step (YYYY-MM-DD). */
int zb_disclosure_step_do(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                          const char *action, const char *reason, const char *today, int64_t now, zb_err *e);
/* The same with the approver's confirmation that the item's attachments
 * were checked by eye (attachments_checked): an approval of an item with
 * attachments is refused without it (zb_disclose_attach_confirm) and
 * records it in the history. */
int zb_disclosure_step_checked(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                               const char *action, const char *reason, int attachments_checked, const char *today,
                               int64_t now, zb_err *e);

/* ---- attachments (attach.c) ---- */

#define ZB_DISCLOSE_FILES_MAX 20       /* per item */
#define ZB_DISCLOSE_CAPTION_MAX 200    /* bytes */

/* The approval rule (pure): an item with nfiles attachments is approved
 * only with checked set; 0, else ZB_EINVAL naming attachments_checked. */
int zb_disclose_attach_confirm(int nfiles, int checked, zb_err *e);
/* Add a file to a draft (its own write transaction with the audit row
 * "disclosure.attachment"): JPEG, PNG or PDF by content, at most
 * ZB_ATTACH_MAX_BYTES and ZB_DISCLOSE_FILES_MAX per item, a caption
 * required.  ZB_ECONFLICT past the draft; a refused upload leaves no file. */
int zb_disclosure_attach_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *filename,
                             const char *caption, const void *data, size_t len, int64_t now, zb_arena *a,
                             zb_disclosure_file *out, zb_err *e);
/* Remove file fid of draft id (audit "disclosure.attachment_delete"),
 * then its file.  ZB_ENOTFOUND when fid is not id's, ZB_ECONFLICT past
 * the draft. */
int zb_disclosure_attach_remove(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t fid, zb_err *e);
/* Fill the files of each of rows (one query per row, at most 60 rows). */
int zb_disclosure_attach_fill(zb_db *db, zb_disclosure *rows, int n, zb_arena *a, zb_err *e);
/* The stored file of fid: of item id when id > 0; when id is 0, only of
 * an item that is published now (the public route).  ZB_ENOTFOUND alike
 * for an unknown id and one not shown. */
int zb_disclosure_attach_find(zb_db *db, int64_t id, int64_t fid, zb_arena *a, zb_disclosure_file *f,
                              const char **stored_name, zb_err *e);

/* One item with its history (arena a). */
int zb_disclosure_get(zb_db *db, int64_t id, zb_arena *a, zb_disclosure *d, zb_disclosure_step **steps, int *nsteps,
                      zb_err *e);

/* Items under path (the org and its subtree), newest first, status NULL
 * for all; after: the id below which to continue (0 from the top); at
 * most limit + 1 rows (one more tells there is a next page). */
int zb_disclosure_list(zb_db *db, const char *path, const char *status, const char *kind, int64_t after, int64_t limit,
                       zb_arena *a, zb_disclosure **rows, int *n, zb_err *e);
/* Items waiting for a step under path: submitted (the branch approves)
 * and approved (the township reviews), oldest first, from the id after
 * (0: the first), at most limit + 1 (one more: there is a next page). */
int zb_disclosure_queue(zb_db *db, const char *path, int64_t after, int64_t limit, zb_arena *a, zb_disclosure **rows,
                        int *n, zb_err *e);
/* Published items of one village only (not its children), newest period
 * first, at most limit. */
int zb_disclosure_public(zb_db *db, int64_t village_id, int64_t limit, zb_arena *a, zb_disclosure **rows, int *n,
                         zb_err *e);

/* Overdue: for every village under path, each period of year that ended
 * and whose deadline is before today with no published item of the kind. */
typedef struct zb_disclose_overdue {
	int64_t org_id;
	const char *org_name, *org_path, *township_name;
	const char *kind, *period, *deadline;
} zb_disclose_overdue;
int zb_disclosure_overdue(zb_db *db, const char *path, int year, const char *today, zb_arena *a,
                          zb_disclose_overdue **rows, int *n, int *villages, zb_err *e);

/* On time: for every village under path with a period of year whose
 * deadline is before today, the periods due so far (each kind), those
 * published by the deadline (published_on no later than it), those
 * published after it, and those not published (overdue, as in
 * zb_disclosure_overdue), by path.  Villages with nothing due yet (early
 * in the year) are left out. */
typedef struct zb_disclose_vtime {
	int64_t org_id;
	const char *org_path;
	int due, on_time, late, overdue;
} zb_disclose_vtime;
int zb_disclosure_timeliness(zb_db *db, const char *path, int year, const char *today, zb_arena *a,
                             zb_disclose_vtime **rows, int *n, zb_err *e);

/* The public page of a village (HTML, no script): its published items with
 * their tables, a print stylesheet for the 公开栏. */
int zb_disclose_page_html(const zb_village *v, const zb_disclosure *rows, int n, const char *today, zb_buf *out);
/* The printable board sheet: the village's name, the QR code (SVG, made
 * by meeting/signin.h zb_qr_svg) of url and the url in words. */
int zb_disclose_board_html(const zb_village *v, const char *url, zb_buf *out, zb_err *e);

/* The demo county's items over the demo year (demo.c): most villages
 * publish on time, some periods overdue, a draft and a withdrawal. */
int zb_disclose_demo(zb_db *db, zb_app *app, uint64_t seed, int *made, zb_err *e);

#endif
