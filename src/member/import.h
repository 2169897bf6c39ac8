/* import.h - roster import (.xlsx / .csv) and export (花名册).
 *
 * Import is two steps so nothing is written that the user has not seen:
 *   zb_import_read()  reads the file with the io/ readers, finds the header
 *                     row, maps columns by header name (with synonyms),
 *                     cleans and checks every row with member.h and matches
 *                     existing members by ID number (blind index): each row
 *                     becomes new, update, unchanged or error;
 *   zb_import_save()  keeps the result as a batch (import_batches and
 *                     import_rows, 24 h) for the web preview;
 *   zb_import_apply() writes a batch in ONE transaction, all or nothing,
 *                     with history rows and an audit row per member plus
 *                     one for the batch.
 * The command line reads and applies at once (or only reads: --dry-run).
 *
 * Scope: `who` NULL means the command line (no limit); otherwise a member
 * matched by ID number must lie where who holds member.import, or the row
 * is an error that does not say where the record is.
 *
 * A zb_import owns everything it points to (its arena); free it with
 * zb_import_free().  Plaintext ID numbers and phones exist only while a
 * file is being read; a saved batch holds ciphertext, blind index and
 * masked forms.
 */
#ifndef ZB_MEMBER_IMPORT_H
#define ZB_MEMBER_IMPORT_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "io/table.h"
#include "member/member.h"
#include "store/db.h"

/* Columns the importer knows (and the exporter writes). */
typedef enum zb_icol {
	ZB_ICOL_NONE = -1,
	ZB_ICOL_NAME = 0,
	ZB_ICOL_GENDER,
	ZB_ICOL_ETHNICITY,
	ZB_ICOL_BIRTH,
	ZB_ICOL_ID,
	ZB_ICOL_NATIVE,
	ZB_ICOL_EDUCATION,
	ZB_ICOL_DEGREE,
	ZB_ICOL_WORK_AND_JOB,   /* 工作单位及职务: one cell for both */
	ZB_ICOL_WORK_UNIT,
	ZB_ICOL_JOB,
	ZB_ICOL_CATEGORY,
	ZB_ICOL_JOIN,
	ZB_ICOL_FULL,
	ZB_ICOL_PHONE,
	ZB_ICOL_ADDRESS,
	ZB_ICOL_ORG,
	ZB_ICOL_GROUP,
	ZB_ICOL_STATUS,
	ZB_ICOL_REMARKS,
	ZB_ICOL_COUNT
} zb_icol;

/* The template's sample row (zb_import_template) starts its 姓名 cell with
 * this mark; the importer skips every such row and counts it
 * (zb_import.samples_skipped), so a template filled in below the sample
 * imports as it is. */
#define ZB_IMPORT_SAMPLE_MARK "【示例】"

/* Map a header cell to a column: trims, drops blanks, a leading or
 * trailing '*' (required-field marks), a trailing colon and a note in
 * brackets ("出生日期（年月日）"), then looks the name and its synonyms up. */
zb_icol zb_import_header_col(const char *header);
/* The header the exporter writes for a column. */
const char *zb_import_col_header(zb_icol c);
/* The cleaning zb_import_header_col does, into buf (size bytes): the key
 * other importers (recruit/rimport.h) look their own names up by; NULL
 * for an empty cell. */
const char *zb_import_header_key(const char *header, char *buf, size_t size);

typedef enum zb_irow_status {
	ZB_IROW_NEW = 0,
	ZB_IROW_UPDATE,
	ZB_IROW_UNCHANGED,
	ZB_IROW_ERROR,
	ZB_IROW_NSTATUS
} zb_irow_status;
const char *zb_irow_status_code(int s);   /* "new", "update", "unchanged", "error" */

typedef struct zb_import_row {
	int rownum;                 /* as the user sees it in the file */
	int status;                 /* zb_irow_status */
	zb_member m;                /* the record as it will be written */
	unsigned given;             /* ZB_MF_* the file states */
	int64_t member_id;          /* update/unchanged: the matched record */
	int64_t member_version;     /* its updated_at when read */
	int nerr;
	const char **errors;        /* Chinese reasons */
	int nchanges;
	zb_member_diff *changes;    /* update: what changes */
} zb_import_row;

typedef struct zb_import {
	zb_arena arena;
	int64_t org_id;
	const char *org_path, *org_name;
	const char *filename, *format;  /* format "xlsx" / "csv" */
	const char *sheet, *encoding;
	int header_row;
	int ncols;
	const char **col_headers;       /* as found in the file */
	int *col_map;                   /* zb_icol per file column */
	zb_import_row *rows;
	int nrows;
	size_t cap;
	int64_t counts[ZB_IROW_NSTATUS];
	int64_t registered_elsewhere;   /* rows refused: ID registered outside the importer's scope */
	int64_t checked_outside;        /* rows whose ID matched no member in the importer's scope:
	                                 * new, or registered elsewhere; each answered a question
	                                 * about the register outside that scope */
	int samples_skipped;            /* rows marked ZB_IMPORT_SAMPLE_MARK, not imported */
	const char *org_trail;          /* the target org with its ancestors ("县委 / 镇党委 / 支部"),
	                                 * set by the caller for the preview; NULL: org_name only */
} zb_import;

typedef void (*zb_import_progress)(void *ctx, const char *what, size_t done, size_t total);

typedef struct zb_import_opts {
	zb_app *app;
	zb_db *db;
	const zb_principal *who;        /* NULL: command line */
	int64_t org_id;                 /* import into this org's subtree */
	const char *filename;           /* for messages and the batch */
	const zb_table_limits *limits;  /* NULL: io/table.h defaults */
	zb_import_progress progress;    /* may be NULL */
	void *progress_ctx;
} zb_import_opts;

/* Read and check a file.  File-level problems (not a spreadsheet, damaged,
 * over a limit, no header row, no 姓名 or 身份证号 column, no data) fail
 * with a Chinese message and field "file"; row problems become error rows.
 * On success *out is the caller's to free. */
int zb_import_read(const zb_import_opts *o, const void *data, size_t len, zb_import **out, zb_err *e);
void zb_import_free(zb_import *imp);   /* NULL ok */

/* Save as a batch owned by actor->user_id, in a transaction of its own,
 * with an "import.upload" audit row; batches past their 24 hours are
 * expired (rows deleted) on the way.  *batch_id gets the new id. */
int zb_import_save(zb_app *app, zb_db *db, zb_import *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e);

/* ---- batches, shared with the pipeline import (recruit/rimport.h) ---- */

/* One stored row: the number the user sees, its zb_irow_status, the
 * record it matched and that record's version. */
typedef struct zb_import_batch_row {
	int rownum, status;
	int64_t member_id, member_version;
} zb_import_batch_row;

/* What zb_import_batch_store keeps: row(ctx, i, w, out) writes row i as
 * one JSON value into w and fills out. */
typedef struct zb_import_batch_in {
	int64_t org_id;
	const char *org_path, *filename;
	const char *format;             /* "xlsx"/"csv"; another kind of import: "<kind>-xlsx" */
	int nrows;
	const int64_t *counts;          /* ZB_IROW_NSTATUS */
	int64_t registered_elsewhere;
	int (*row)(void *ctx, int i, zb_jw *w, zb_import_batch_row *out);
	void *ctx;
} zb_import_batch_in;

/* Store a batch as zb_import_save does (uploading under a lease, rows a
 * chunk per transaction, then preview with an "import.upload" audit row;
 * expired batches go on the way). */
int zb_import_batch_store(zb_app *app, zb_db *db, const zb_import_batch_in *in, const zb_actor *actor,
                          int64_t *batch_id, zb_err *e);

/* A batch's header, checked as zb_import_load does: ZB_ENOTFOUND unless
 * user_id uploaded it and it is of kind (NULL: the roster; else formats
 * "<kind>-..."), ZB_ECONFLICT when committed, committing or expired. */
typedef struct zb_import_batch {
	zb_arena *arena;
	int64_t org_id, owner, expires;
	const char *org_path, *org_name, *filename, *format, *status;
} zb_import_batch;
int zb_import_batch_open(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, const char *kind, zb_arena *ar,
                         zb_import_batch *b, zb_err *e);

/* The commit of another kind of import (aid/aimport.h, recruit/rimport.h),
 * all or nothing: refused (ZB_EINVAL) while a row is in error unless
 * skip_errors; else in one write transaction the batch is marked committed
 * (ZB_ECONFLICT when it was already), each new row written by write (a
 * failure names the row: "第 N 行（name）：why"), the other rows counted
 * as they are, the stored rows deleted and an "import.commit" audit row of
 * kind noted.  done[] gets the rows per zb_irow_status (all 0 on failure). */
typedef struct zb_import_kind_commit {
	const char *kind;               /* ZB_AIMPORT_KIND, ZB_RIMPORT_KIND */
	int64_t batch_id;
	const char *org_path;
	const int64_t *counts;          /* the preview's, ZB_IROW_NSTATUS */
	int nrows;
	/* row i's zb_irow_status, the number the user sees and a name for messages */
	void (*row)(void *ctx, int i, int *status, int *rownum, const char **name);
	int (*write)(void *ctx, int i, const zb_audit_ev *by, zb_arena *ar, zb_err *e);
	void *ctx;
} zb_import_kind_commit;
int zb_import_kind_apply(zb_app *app, zb_db *db, const zb_import_kind_commit *c, const zb_actor *actor,
                         int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e);

/* A saved batch of another kind of import: zb_import_batch_open (kind)
 * into *b, then each stored row, a JSON object (else ZB_EINTERNAL: the
 * batch is damaged), to add(ctx, j, rownum, status, e) with its "row" and
 * zb_irow_status (an unknown one: error); j is freed after. */
int zb_import_kind_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, const char *kind, zb_arena *ar,
                        zb_import_batch *b, int (*add)(void *ctx, json_t *j, int rownum, int status, zb_err *e),
                        void *ctx, zb_err *e);
/* A stored row's "errors" into *errors (in ar) and *nerr. */
void zb_import_kind_errors(json_t *j, zb_arena *ar, const char ***errors, int *nerr);

/* The head of another kind of import's preview answer: opens the object
 * with "id", "status":"preview", "filename", "format", "org_id",
 * "org_name"; then "counts":{"new","unchanged","error"}. */
void zb_import_kind_preview_head(zb_jw *w, int64_t batch_id, const char *filename, const char *format,
                                 int64_t org_id, const char *org_name);
void zb_import_kind_counts_json(zb_jw *w, const int64_t *counts);

/* The ID lookups an upload by who answered (the API, before
 * zb_import_save): nothing for a caller with member.sensitive at the
 * register's root; otherwise refused whole (ZB_ERATE, nothing noted) when
 * they exceed what is left of the hourly and daily budgets, else noted in
 * a transaction of its own. */
int zb_import_lookups(zb_db *db, const zb_import *imp, const zb_principal *who, int64_t now, zb_err *e);

/* A batch as it was saved, whatever its state: status, filename and the
 * counts per zb_irow_status; *found 0 when there is none. */
typedef struct zb_import_brief {
	const char *status, *filename;
	int64_t counts[ZB_IROW_NSTATUS];
} zb_import_brief;
int zb_import_brief_get(zb_db *db, int64_t batch_id, zb_arena *a, zb_import_brief *b, int *found, zb_err *e);

/* Load a saved batch.  ZB_ENOTFOUND when it does not exist or belongs to
 * another user (the creator alone may see and commit it); ZB_ECONFLICT
 * when it was committed already or has expired (if for_commit). */
int zb_import_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, int for_commit, zb_import **out,
                   zb_err *e);

/* Write every row, all or nothing.  Refuses (ZB_EINVAL) when a row is in
 * error unless skip_errors.  Without a batch (batch_id 0, the command
 * line) everything is one transaction.  With batch_id > 0 the batch is
 * claimed (status committing, under a lease; a second commit is
 * ZB_ECONFLICT), its new members are written a chunk of rows per
 * transaction, each created id noted on its import row, so other writers
 * never wait long; the updates, the "import.commit" audit row and the
 * batch marked committed then go in one last short transaction.  Any
 * failure undoes the chunks already written (the batch returns to
 * preview); a process killed midway leaves the batch committing, undone by
 * zb_import_recover().  A row that no longer fits (the ID number was
 * registered meanwhile, the record changed since the preview, the org was
 * dissolved) aborts everything with a message naming the row.  done[]
 * gets the number of rows per zb_irow_status that were written/skipped. */
int zb_import_apply(zb_app *app, zb_db *db, zb_import *imp, int64_t batch_id, const zb_actor *actor,
                    const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e);

/* Undo batches left committing by a process that died (see
 * zb_import_apply): all of them (all = 1: at start, when no commit of
 * this database can be running) or those whose lease has run out.  Each
 * returns to preview with an "import.revert" audit row; *reverted (may be
 * NULL) gets how many. */
int zb_import_recover(zb_app *app, zb_db *db, int all, int64_t *reverted, zb_err *e);

/* The preview answer: {"id","filename","org_id","org_name","org_trail",...,
 * "counts":{},"samples_skipped","rows":[...]}; all error and update rows,
 * the others up to max_rows. */
void zb_import_preview_json(zb_jw *w, const zb_import *imp, int64_t batch_id, int max_rows);

/* ---- template ---------------------------------------------------------- */

/* The import template as .xlsx at path: a title row saying how to fill it
 * in, a header row of the columns the importer reads (the ones it needs
 * marked with *), and one sample row whose 姓名 starts with
 * ZB_IMPORT_SAMPLE_MARK (a made-up person with a checksum-valid ID number)
 * that the importer skips.  ID number, phone and date columns are text. */
int zb_import_template(const char *xlsx_path, zb_err *e);

/* ---- export ----------------------------------------------------------- */

typedef struct zb_export_opts {
	zb_app *app;
	zb_db *db;
	int64_t org_id;             /* the subtree to export */
	int full;                   /* 1: ID numbers and phones in clear */
	int csv;                    /* 0: .xlsx at xlsx_path; 1: CSV into csv_out */
	const char *xlsx_path;
	zb_buf *csv_out;
	zb_import_progress progress;
	void *progress_ctx;
} zb_export_opts;

/* The 花名册 of a subtree, ordered as the roster list (org path, pinyin).
 * Title row "<org>党员花名册" (xlsx), a frozen header row whose names the
 * importer maps, ID numbers and phones as text and masked unless full.
 * *count gets the number of members written. */
int zb_roster_export(const zb_export_opts *o, int64_t *count, zb_err *e);

#endif
