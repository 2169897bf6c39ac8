/* xlsx_write.h - roster-style exports: .xlsx via libxlsxwriter, and CSV.
 *
 * The .xlsx writer streams (libxlsxwriter constant-memory mode): each row
 * is flushed to a temporary file when the next one starts, so memory does
 * not grow with the row count; rows can only be appended, in order.
 *
 * Layout: an optional title row merged across all columns (bold, 16 pt,
 * centred), a header row (bold, shaded, bordered) with an autofilter and
 * the panes frozen below it, then the data rows.
 *
 * Every data cell is written as TEXT with the text number format "@": an
 * ID number or a phone number stays exactly the string given, and a cell
 * the user later types into that column is text as well.  A value that
 * looks like a formula ("=1+1", "+86...", "-", "@x") is stored as a plain
 * string too: worksheet_write_string() always emits a string cell
 * (<c t="inlineStr"> in constant-memory mode) and never an <f> element --
 * tests/unit/test_xlsx.c checks the sheet XML for that -- so no formula
 * can run when the file is opened.  Values therefore round-trip through
 * zb_xlsx_read() unchanged.
 */
#ifndef ZB_IO_XLSX_WRITE_H
#define ZB_IO_XLSX_WRITE_H

#include "core/buf.h"
#include "core/err.h"

typedef struct zb_xlsx_writer zb_xlsx_writer;

typedef struct zb_xlsx_col {
	const char *header; /* UTF-8 header text */
	double width;       /* Excel character units; 0 means 12 */
} zb_xlsx_col;

/* Start a workbook at `path` with one sheet.  sheet_name may be NULL
 * ("Sheet1"; at most 31 characters, none of []:*?/\); title may be NULL or
 * "" for no title row.  The column descriptions are copied.  On success
 * *out owns the temporary files until zb_xlsx_writer_close() or
 * zb_xlsx_writer_free(). */
int zb_xlsx_writer_open(zb_xlsx_writer **out, const char *path, const char *sheet_name,
			const char *title, const zb_xlsx_col *cols, int ncols, zb_err *e);

/* Append one data row.  cells[i] may be NULL (empty).  ncells may be less
 * than the column count; more is an error.  Strings must be valid UTF-8
 * and at most 32767 characters (Excel's cell limit). */
int zb_xlsx_writer_row(zb_xlsx_writer *w, const char *const *cells, int ncells, zb_err *e);

/* Finish: add the autofilter over the written rows, write the file and
 * free w (also on failure; w is invalid after the call). */
int zb_xlsx_writer_close(zb_xlsx_writer *w, zb_err *e);

/* Abandon an unfinished workbook: frees w and its temporary files; the
 * file at path may be left incomplete.  Accepts NULL. */
void zb_xlsx_writer_free(zb_xlsx_writer *w);

/* ---- statistical tables ------------------------------------------------ */

/* A small workbook written cell by cell, any cell in any order, with
 * several sheets and merged ranges: the tables the organisation
 * departments fill in (a title, merged multi-level headers, numbers).
 * Held in memory until closed, so for tables of a few hundred rows, not
 * rosters.  Strings go through the same checks and escapes as the
 * roster writer and are never formulas; numbers are numeric cells. */
typedef struct zb_xlsx_book zb_xlsx_book;
enum zb_xlsx_style {
	ZB_XS_TITLE,   /* bold 16 pt, centred */
	ZB_XS_NOTE,    /* plain text, left */
	ZB_XS_HEAD,    /* bold, shaded, bordered, centred, wrapped */
	ZB_XS_LABEL,   /* bordered text, left */
	ZB_XS_NUMBER,  /* bordered integer */
	ZB_XS_TOTAL,   /* bordered, bold: the 合计 row */
	ZB_XS_MAX
};
int zb_xlsx_book_open(zb_xlsx_book **out, const char *path, zb_err *e);
/* Add a sheet and make it the one written to (name as for the roster
 * writer); freeze the rows above and the columns left of (row, col). */
int zb_xlsx_book_sheet(zb_xlsx_book *b, const char *name, int freeze_row, int freeze_col, zb_err *e);
int zb_xlsx_book_text(zb_xlsx_book *b, int row, int col, const char *text, int style, zb_err *e);
int zb_xlsx_book_number(zb_xlsx_book *b, int row, int col, double v, int style, zb_err *e);
/* Merge rows r1..r2, columns c1..c2 (inclusive) holding text. */
int zb_xlsx_book_merge(zb_xlsx_book *b, int r1, int c1, int r2, int c2, const char *text, int style, zb_err *e);
int zb_xlsx_book_width(zb_xlsx_book *b, int c1, int c2, double width, zb_err *e);
/* Write the file and free b (also on failure). */
int zb_xlsx_book_close(zb_xlsx_book *b, zb_err *e);
void zb_xlsx_book_free(zb_xlsx_book *b);

/* ---- CSV ---------------------------------------------------------------- */

/* Append the UTF-8 byte order mark: Excel then opens the UTF-8 CSV with
 * the right encoding instead of the ANSI code page (GBK in China). */
int zb_csv_write_bom(zb_buf *b);

/* Append one CSV record ending in CRLF.  Each cell goes through
 * zb_esc_csv_cell(): RFC 4180 quoting, and a value that would start a
 * formula gets a leading apostrophe, so it does NOT round-trip unchanged
 * (that is the point).  cells[i] may be NULL.  Fails only with ZB_ETOOBIG
 * (b's cap) or ZB_EINTERNAL; b is then left with a partial record. */
int zb_csv_write_row(zb_buf *b, const char *const *cells, int ncells, zb_err *e);

#endif
