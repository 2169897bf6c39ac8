/* simport.h - external study imported from .xlsx or .csv (e.g. course
 * certificates with their hours), through the roster import's
 * preview-then-commit flow and batches (member/import.h: the same readers
 * through io/sheet.h, import_batches and import_rows, 24 h, creator only).
 *
 *   zb_simport_read()   maps the columns (姓名, 学习日期, 学习内容, 学时,
 *                       类别, 举办单位, 所在支部 with the usual variants),
 *                       finds each person by name on the roster of the
 *                       import's subtree (所在支部 tells two of one name
 *                       apart) and checks every row as a session of one
 *                       attendee (study.h): a row is new, unchanged (the
 *                       same person, date, content and hours are held
 *                       already: a second import of a file writes nothing)
 *                       or error, with its problems in Chinese;
 *   zb_simport_save()   keeps it as a batch of kind "study";
 *   zb_simport_apply()  writes every new row in ONE transaction, a session
 *                       each with its audit row, all or nothing.
 * Column list: docs/STUDY.md "导入".
 */
#ifndef ZB_STUDY_SIMPORT_H
#define ZB_STUDY_SIMPORT_H

#include <stdint.h>

#include "member/import.h"

#define ZB_SIMPORT_KIND "study"
#define ZB_SIMPORT_MAX_ERRS 6

typedef enum zb_scol {
	ZB_SC_NAME = 0, /* 姓名 */
	ZB_SC_DATE,     /* 学习日期 */
	ZB_SC_TITLE,    /* 学习内容 */
	ZB_SC_HOURS,    /* 学时 */
	ZB_SC_KIND,     /* 类别 */
	ZB_SC_PROVIDER, /* 举办单位 */
	ZB_SC_BRANCH,   /* 所在支部 */
	ZB_SC_COUNT
} zb_scol;
int zb_simport_header_col(const char *header);

/* Pure: the cells of one row (NULL: empty) into kind, date and hours;
 * problems appended to errs (room for ZB_SIMPORT_MAX_ERRS). */
typedef struct zb_simport_parsed {
	const char *name, *title, *provider, *branch, *kind;
	char held_on[11];
	int hours10;
} zb_simport_parsed;
void zb_simport_parse(const char *const *v, int date1904, const char *today, zb_arena *a, zb_simport_parsed *out,
                      const char **errs, int *nerr);

typedef struct zb_simport_row {
	int rownum, status;
	zb_simport_parsed p;
	int64_t member_id;
	const char *org_name;
	int nerr;
	const char **errors;
} zb_simport_row;

typedef struct zb_simport {
	zb_arena arena;
	int64_t org_id;
	const char *org_path, *org_name, *filename, *format;
	int header_row;
	zb_simport_row *rows;
	int nrows;
	size_t cap;
	int64_t counts[ZB_IROW_NSTATUS];
} zb_simport;

int zb_simport_read(const zb_import_opts *o, const void *data, size_t len, zb_simport **out, zb_err *e);
void zb_simport_free(zb_simport *imp);
int zb_simport_save(zb_app *app, zb_db *db, zb_simport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e);
int zb_simport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_simport **out, zb_err *e);
int zb_simport_apply(zb_app *app, zb_db *db, zb_simport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e);
/* {"id","status","filename","format","org_id","org_name","header_row",
 *  "counts":{"new","unchanged","error"},"rows":[...]} */
void zb_simport_preview_json(zb_jw *w, const zb_simport *imp, int64_t batch_id);

#endif
