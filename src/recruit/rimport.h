/* rimport.h - import of an existing 发展党员 pipeline (the 发展党员台账)
 * from .xlsx or .csv, through the roster import's preview-then-commit
 * flow and its batches (member/import.h: the same readers, header
 * cleaning, import_batches and import_rows, 24 h, creator only).
 *
 *   zb_rimport_read()   maps the columns (姓名, 公民身份号码, 所在支部, 申请入党
 *                       日期, 谈话日期, 确定积极分子日期 ... 转正日期, with the
 *                       usual variants), checks every row as a new
 *                       applicant (zb_applicant_check) and its history as
 *                       the engine judges a history (zb_recruit_historic_
 *                       judge): a row is new, unchanged (the ID number is
 *                       already in the pipeline: a second import of a
 *                       file writes nothing) or error, with its problems
 *                       in Chinese; a step that broke a time rule is
 *                       kept with the rule's message as its flag;
 *   zb_rimport_save()   keeps it as a batch of kind "recruit";
 *   zb_rimport_apply()  writes every new row in ONE transaction (the
 *                       applicant, its steps with their flags, the roster
 *                       for those already 预备党员 or 正式党员 per the sheet),
 *                       with audit rows, all or nothing.
 *
 * Steps come from the sheet only: 1 申请, 2 谈话, 3 积极分子 (推优: 共青团
 * 推优 or 党员推荐), 5 培养联系人 (names; dated with step 3), 7 发展对象,
 * 9 介绍人 (names; dated with step 7), 10 政审, 11 培训, 15 支部大会,
 * 17 上级审批, 20 宣誓, 24 转正 (outcome full).  Column list:
 * docs/IMPORT-FORMATS.md "发展党员台账".
 */
#ifndef ZB_RECRUIT_RIMPORT_H
#define ZB_RECRUIT_RIMPORT_H

#include <stdint.h>

#include "member/import.h"
#include "recruit/applicant.h"

/* The kind of a pipeline batch (its format is "recruit-xlsx" / "recruit-csv"). */
#define ZB_RIMPORT_KIND "recruit"

/* Columns of the 台账. */
typedef enum zb_rcol {
	ZB_RC_NONE = -1,
	ZB_RC_NAME = 0,
	ZB_RC_GENDER,
	ZB_RC_ID,
	ZB_RC_BIRTH,
	ZB_RC_ETHNICITY,
	ZB_RC_EDUCATION,
	ZB_RC_WORK_UNIT,
	ZB_RC_PHONE,
	ZB_RC_ORG,
	ZB_RC_SOURCE,
	ZB_RC_LEAGUE,       /* 推优 */
	ZB_RC_APPLIED,      /* step 1 */
	ZB_RC_TALK,         /* 2 */
	ZB_RC_TALKER,
	ZB_RC_ACTIVIST,     /* 3 */
	ZB_RC_CONTACTS,     /* 5 */
	ZB_RC_CANDIDATE,    /* 7 */
	ZB_RC_INTRODUCERS,  /* 9 */
	ZB_RC_VETTING,      /* 10 */
	ZB_RC_TRAINING,     /* 11 */
	ZB_RC_PLENARY,      /* 15 */
	ZB_RC_APPROVED,     /* 17 */
	ZB_RC_OATH,         /* 20 */
	ZB_RC_FULL,         /* 24 */
	ZB_RC_COUNT
} zb_rcol;
/* A header cell -> column (cleaned as zb_import_header_key does). */
zb_rcol zb_rimport_header_col(const char *header);

/* The cells of one row, by column (NULL: empty or no such column), as
 * the pure part turns them into an applicant and its steps. */
typedef struct zb_rimport_cells {
	const char *v[ZB_RC_COUNT];
	int date1904;
} zb_rimport_cells;

/* Pure: the personal fields into a (given: ZB_AF_*) and the steps the
 * cells record, in step order, into steps (room for 16); *n how many.
 * Problems a person must fix (a date that is not one, 推优 not yes/no, a
 * 政审 that is neither a date nor 合格/不合格 with one) are appended to
 * errs (room for 12), *nerr how many. */
void zb_rimport_parse(const zb_rimport_cells *c, zb_arena *ar, zb_applicant *a, unsigned *given, zb_rstep_input *steps,
                      int *n, const char **errs, int *nerr);

typedef struct zb_rimport_row {
	int rownum;
	int status;                 /* zb_irow_status: new, unchanged, error */
	zb_applicant a;             /* org, personal fields (protected forms once read) */
	unsigned given;
	zb_rstep_input *steps;
	int nsteps;
	const char **flags;         /* per step: the rule it broke, or NULL */
	int64_t member_id;          /* a 预备党员/正式党员 matched on the roster by ID number */
	const char *stage;          /* the stage the history reaches */
	int nerr;
	const char **errors;
} zb_rimport_row;

typedef struct zb_rimport {
	zb_arena arena;
	int64_t org_id;
	const char *org_path, *org_name, *org_trail;
	const char *filename, *format;
	int header_row;
	zb_rimport_row *rows;
	int nrows;
	size_t cap;
	int64_t counts[ZB_IROW_NSTATUS];
	int64_t flagged;            /* rows with a flagged step */
} zb_rimport;

/* Read and check a file (o as for zb_import_read; o->who NULL: no limit).
 * File-level problems fail with field "file"; row problems become error
 * rows. */
int zb_rimport_read(const zb_import_opts *o, const void *data, size_t len, zb_rimport **out, zb_err *e);
void zb_rimport_free(zb_rimport *imp);
int zb_rimport_save(zb_app *app, zb_db *db, zb_rimport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e);
/* A saved pipeline batch of user_id (errors as zb_import_batch_open). */
int zb_rimport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_rimport **out, zb_err *e);
/* Write the new rows in one transaction; refused (ZB_EINVAL) while a row is
 * in error unless skip_errors; a row that no longer fits (its ID number
 * registered meanwhile, its branch dissolved) aborts all naming the row.
 * done[] per zb_irow_status. */
int zb_rimport_apply(zb_app *app, zb_db *db, zb_rimport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e);
/* {"id","filename","format","org_id","org_name","org_trail","header_row",
 *  "counts":{"new","unchanged","error"},"flagged","rows":[...]} */
void zb_rimport_preview_json(zb_jw *w, const zb_rimport *imp, int64_t batch_id);

#endif
