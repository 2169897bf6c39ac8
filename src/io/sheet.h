/* sheet.h - a table read through its header row (io/table.h underneath).
 *
 * The importers (member/import.c, recruit/rimport.c) read the same way:
 * the file is sniffed (.xls refused), read with the xlsx or CSV reader,
 * the header row is the first of the first ZB_SHEET_SCAN_ROWS rows in
 * which at least 3 distinct known columns stand (known: the importer's
 * col() says so), every column is mapped (a repeated column: the first
 * one counts), and the rows below are kept in the caller's arena.  A row
 * repeating the header (a printed list repeats it on every page) is
 * skipped.  What differs per importer is col() and the column names the
 * "no header" messages give as examples (hint).
 */
#ifndef ZB_IO_SHEET_H
#define ZB_IO_SHEET_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "io/table.h"

#define ZB_SHEET_SCAN_ROWS 50

typedef struct zb_sheet_row {
	int rownum;
	int n;                      /* cells kept: at most the header's width */
	const char **cells;         /* "" for a column not mapped */
	unsigned char *kinds;       /* zb_cell_kind per cell */
} zb_sheet_row;

typedef struct zb_sheet {
	/* set by the caller */
	zb_arena *arena;            /* headers and cells */
	int (*col)(const char *cell);   /* the column (0..31) a header cell names, < 0: none */
	int key_col;                /* >= 0: a row repeats the header only if its cell under
	                             * this column names it too; < 0: any row with 3 known columns */
	const char *hint;           /* "“姓名”“身份证号”...": the names the messages give */
	void (*progress)(void *ctx, const char *what, size_t done, size_t total);  /* may be NULL */
	void *progress_ctx;
	/* filled by zb_sheet_read */
	zb_table_format format;     /* ZB_TABLE_XLSX, else CSV */
	zb_table_info info;
	int header_found, scanned, header_row, ncols;
	const char **col_headers;   /* as found in the file */
	int *col_map;               /* column per file column, -1: none */
	int key_file_col;           /* file column of key_col, -1: none */
	zb_sheet_row *rows;         /* malloc'd: zb_sheet_free */
	int n;
	size_t cap;
} zb_sheet;

/* The file-size checks done before anything else: too big (ZB_ETOOBIG)
 * or empty (ZB_EINVAL), field "file". */
int zb_sheet_check_size(const zb_table_limits *lim, size_t len, zb_err *e);

/* Read data as above.  Fails with field "file": .xls (ZB_EMEDIA), the
 * reader's errors, no header row (ZB_EINVAL). */
int zb_sheet_read(zb_sheet *s, const void *data, size_t len, const zb_table_limits *lim, zb_err *e);

void zb_sheet_free(zb_sheet *s);

#endif
