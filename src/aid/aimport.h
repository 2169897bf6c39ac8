/* aimport.h - import of households and their pairings (帮扶台账) from
 * .xlsx or .csv, through the roster import's preview-then-commit flow and
 * batches (member/import.h: the same readers through io/sheet.h, the
 * header cleaning, import_batches and import_rows, 24 h, creator only).
 *
 *   zb_aimport_read()   maps the columns (户主姓名, 身份证号, 所在村, 村民小组,
 *                       类别, 帮扶状态, 家庭成员, 帮扶责任人, 联系党员 ...
 *                       with the usual variants), checks every row as a new
 *                       household (zb_aid_household_check), finds the village
 *                       and the helpers by name (党员 on the roster or
 *                       cadres of the registry): a row is new, unchanged
 *                       (the 户主's ID number is registered already: a
 *                       second import of a file writes nothing) or error,
 *                       with its problems in Chinese;
 *   zb_aimport_save()   keeps it as a batch of kind "aid";
 *   zb_aimport_apply()  writes every new row in ONE transaction (the
 *                       household, its people, its pairings), with audit
 *                       rows, all or nothing.
 * Column list: docs/IMPORT-FORMATS.md "帮扶台账".
 */
#ifndef ZB_AID_AIMPORT_H
#define ZB_AID_AIMPORT_H

#include <stdint.h>

#include "aid/aid.h"
#include "member/import.h"

#define ZB_AIMPORT_KIND "aid"

typedef enum zb_acol {
	ZB_AC_NONE = -1,
	ZB_AC_HEAD = 0,     /* 户主姓名 */
	ZB_AC_ID,           /* 身份证号 */
	ZB_AC_PHONE,
	ZB_AC_VILLAGE,      /* 所在村 */
	ZB_AC_GROUP,        /* 村民小组 */
	ZB_AC_ADDRESS,
	ZB_AC_CATEGORY,
	ZB_AC_STATUS,
	ZB_AC_SINCE,        /* 状态日期 */
	ZB_AC_PEOPLE,       /* 家庭成员: 名字（关系）、... */
	ZB_AC_HELPERS,      /* 帮扶责任人: names */
	ZB_AC_CONTACTS,     /* 联系党员: names */
	ZB_AC_FROM,         /* 结对日期 */
	ZB_AC_COUNT
} zb_acol;
zb_acol zb_aimport_header_col(const char *header);

#define ZB_AIMPORT_MAX_NAMES 4
#define ZB_AIMPORT_MAX_ERRS 10

/* Pure: the cells of one row (NULL: empty) into a household, the names
 * of its helpers and contacts and the pairings' start; problems a person
 * must fix appended to errs (room for ZB_AIMPORT_MAX_ERRS). */
typedef struct zb_aimport_cells {
	const char *v[ZB_AC_COUNT];
	int date1904;
} zb_aimport_cells;
typedef struct zb_aimport_parsed {
	zb_aid_household h;
	const char *helpers[ZB_AIMPORT_MAX_NAMES], *contacts[ZB_AIMPORT_MAX_NAMES];
	int nhelpers, ncontacts;
	const char *from_on;
} zb_aimport_parsed;
void zb_aimport_parse(const zb_aimport_cells *c, zb_arena *ar, zb_aimport_parsed *out, const char **errs, int *nerr);

typedef struct zb_aimport_row {
	int rownum, status;         /* zb_irow_status: new, unchanged, error */
	zb_aimport_parsed p;        /* village placed, protected forms once read */
	int64_t helper_ids[ZB_AIMPORT_MAX_NAMES], contact_ids[ZB_AIMPORT_MAX_NAMES];
	int helper_cadre[ZB_AIMPORT_MAX_NAMES];   /* 1: helper_ids[i] is a cadre of a 派出单位 */
	int nerr;
	const char **errors;
} zb_aimport_row;

typedef struct zb_aimport {
	zb_arena arena;
	int64_t org_id;
	const char *org_path, *org_name, *filename, *format;
	int header_row;
	zb_aimport_row *rows;
	int nrows;
	size_t cap;
	int64_t counts[ZB_IROW_NSTATUS];
} zb_aimport;

/* Read and check a file (o as for zb_import_read; o->who NULL: the
 * helpers looked up anywhere).  File-level problems fail with field
 * "file"; row problems become error rows. */
int zb_aimport_read(const zb_import_opts *o, const void *data, size_t len, zb_aimport **out, zb_err *e);
void zb_aimport_free(zb_aimport *imp);
int zb_aimport_save(zb_app *app, zb_db *db, zb_aimport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e);
int zb_aimport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_aimport **out, zb_err *e);
/* Write the new rows in one transaction; refused (ZB_EINVAL) while a row
 * is in error unless skip_errors; a row that no longer fits aborts all
 * naming the row.  done[] per zb_irow_status. */
int zb_aimport_apply(zb_app *app, zb_db *db, zb_aimport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e);
/* {"id","status","filename","format","org_id","org_name","header_row",
 *  "counts":{"new","unchanged","error"},"rows":[...]} */
void zb_aimport_preview_json(zb_jw *w, const zb_aimport *imp, int64_t batch_id);

#endif
