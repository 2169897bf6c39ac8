/* table.h - one row-reader interface for tabular input (.xlsx and CSV).
 *
 * A reader parses a whole file held in memory and hands each non-blank row
 * to a callback as an array of UTF-8 strings.  Nothing is allocated in
 * proportion to a number taken from the file before that number has been
 * checked against zb_table_limits.
 *
 * What a row looks like to the callback:
 *   - rownum is what the user sees: the Excel row number (1-based, gaps
 *     kept) or, for CSV, the physical line on which the record starts.
 *   - cells[0..ncells) are never NULL; missing cells (sparse rows, merged
 *     areas, short CSV lines) are "".  Trailing empty cells are not counted,
 *     so ncells may be smaller than the header's width: treat
 *     cells[i >= ncells] as "".
 *   - Rows whose cells are all empty are not delivered (the row number
 *     still counts), so an importer never sees padding rows.
 *   - Values are returned as the file has them: no trimming, full-width
 *     characters untouched.  Cleaning is the importer's job.
 *   - The strings and the array are valid only during the callback.
 *
 * The callback returns 0 to go on; any other value stops the read and is
 * returned by the reader unchanged (the callback fills e itself).
 *
 * A reader may fail after some rows were delivered (a file cut short, a
 * limit reached on row 150 000): treat any non-zero return as "this file
 * failed as a whole", e.g. import inside one transaction.
 *
 * Formats, limits and pitfalls for people: docs/IMPORT-FORMATS.md.
 */
#ifndef ZB_IO_TABLE_H
#define ZB_IO_TABLE_H

#include <stddef.h>

#include "core/err.h"
#include "io/membudget.h"

typedef int (*zb_row_cb)(void *ctx, int rownum, const char *const *cells, int ncells,
			 zb_err *e);

/* Caps on what a reader accepts.  A zero field means "use the default". */
typedef struct zb_table_limits {
	size_t max_file_bytes;  /* the input as uploaded */
	size_t max_rows;        /* delivered (non-blank) rows */
	size_t max_cols;        /* highest column holding a value */
	size_t max_cell_bytes;  /* one decoded cell, UTF-8 */
	size_t max_total_bytes; /* xlsx: all zip entries read, uncompressed;
				 * CSV: the text after decoding to UTF-8 */
	zb_memcharge *charge;   /* NULL or a charge on a shared budget
				 * (io/membudget.h): the reader adds
				 * ZB_TABLE_READ_RESERVE while it runs, the
				 * shared strings / decoded text it holds, and
				 * every delivered row (its cell bytes plus a
				 * pointer and a kind byte per cell); it gives
				 * back what it frees itself, so on return the
				 * charge holds the delivered rows, which the
				 * owner releases when it frees what it kept.
				 * A failed add stops the read with its error. */
} zb_table_limits;

#define ZB_TABLE_MAX_FILE_BYTES ((size_t)20 << 20)   /* 20 MiB */
#define ZB_TABLE_MAX_ROWS ((size_t)200000)
#define ZB_TABLE_MAX_COLS ((size_t)200)
#define ZB_TABLE_MAX_CELL_BYTES ((size_t)32 << 10)   /* 32 KiB */
#define ZB_TABLE_MAX_TOTAL_BYTES ((size_t)200 << 20) /* 200 MiB */
/* Counted for a reader's own parser state (zip and XML parser buffers,
 * one row) while it runs: libxml2 buffers up to ~10 MB of one token. */
#define ZB_TABLE_READ_RESERVE ((size_t)16 << 20)     /* 16 MiB */

/* What each delivered cell was in the file.  Lets an importer say *why* a
 * value is wrong: an 18-digit ID of kind ZB_CELL_NUMBER was typed as a
 * number, and Excel keeps only 15 significant digits of a number, so its
 * last digits are already lost in the file. */
typedef enum zb_cell_kind {
	ZB_CELL_EMPTY = 0,
	ZB_CELL_TEXT,    /* a string (always, for CSV) */
	ZB_CELL_NUMBER,  /* a number, rendered without exponent */
	ZB_CELL_DATE,    /* a date-formatted number, rendered YYYY-MM-DD,
			  * "YYYY-MM-DD HH:MM:SS" or "HH:MM:SS" */
	ZB_CELL_BOOL,    /* "TRUE" or "FALSE" */
	ZB_CELL_ERROR,   /* a formula error such as "#N/A" */
	ZB_CELL_FORMULA_NOCACHE /* a formula the file holds no result for
				 * (never recalculated): value "" */
} zb_cell_kind;

/* Optional side channel filled by the readers.  Pass the same pointer in
 * your callback context: during each callback kinds[0..ncells) describes
 * cells (NULL outside callbacks).  The other fields are set before the
 * first callback and stay valid after the read returns. */
typedef struct zb_table_info {
	const unsigned char *kinds; /* zb_cell_kind per cell, callback only */
	char sheet[128];            /* xlsx: name of the sheet read */
	int date1904;               /* xlsx: workbook uses the 1904 date system */
	const char *encoding;       /* CSV: "UTF-8", "GB18030", "UTF-16LE",
				     * "UTF-16BE" (static string) */
	char delimiter;             /* CSV: ',', '\t' or ';' */
	size_t rows;                /* rows delivered so far */
} zb_table_info;

/* Fill l with the defaults above. */
static inline void zb_table_limits_default(zb_table_limits *l)
{
	l->max_file_bytes = ZB_TABLE_MAX_FILE_BYTES;
	l->max_rows = ZB_TABLE_MAX_ROWS;
	l->max_cols = ZB_TABLE_MAX_COLS;
	l->max_cell_bytes = ZB_TABLE_MAX_CELL_BYTES;
	l->max_total_bytes = ZB_TABLE_MAX_TOTAL_BYTES;
	l->charge = NULL;
}

/* Copy lim (may be NULL) into out, replacing zero fields by defaults. */
static inline void zb_table_limits_resolve(const zb_table_limits *lim, zb_table_limits *out)
{
	zb_table_limits_default(out);
	if (!lim)
		return;
	if (lim->max_file_bytes)
		out->max_file_bytes = lim->max_file_bytes;
	if (lim->max_rows)
		out->max_rows = lim->max_rows;
	if (lim->max_cols)
		out->max_cols = lim->max_cols;
	if (lim->max_cell_bytes)
		out->max_cell_bytes = lim->max_cell_bytes;
	if (lim->max_total_bytes)
		out->max_total_bytes = lim->max_total_bytes;
	out->charge = lim->charge;
}

typedef enum zb_table_format {
	ZB_TABLE_UNKNOWN = 0, /* treat as CSV text */
	ZB_TABLE_XLSX,        /* zip container */
	ZB_TABLE_XLS,         /* OLE2 container: old .xls or encrypted .xlsx */
} zb_table_format;

/* Guess the container from the first bytes; never fails. */
static inline zb_table_format zb_table_sniff(const void *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' &&
	    ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return ZB_TABLE_XLSX;
	if (len >= 4 && p[0] == 0xD0 && p[1] == 0xCF && p[2] == 0x11 && p[3] == 0xE0)
		return ZB_TABLE_XLS;
	return ZB_TABLE_UNKNOWN;
}

/* Read the first visible worksheet (tab order, chart sheets skipped) of an
 * .xlsx held in data[0..len).  lim and info may be NULL.
 *
 * Cell values: shared and inline strings (rich-text runs joined, phonetic
 * runs dropped, _xHHHH_ escapes decoded); numbers rendered plainly (integers
 * with up to 17 significant digits and no exponent, others with 15
 * significant digits as Excel shows them); numbers whose style is a date
 * format converted per the workbook's date system; formula cells give their
 * cached result.
 *
 * Pitfall the caller must report: an ID typed as a number arrives as e.g.
 * "110105199001011000" (kind ZB_CELL_NUMBER) because Excel stored only 15
 * significant digits.  The reader cannot recover them; tell the user to
 * format the column as text and type the IDs again.
 *
 * Errors (Chinese messages naming row and column where there is one):
 * ZB_ETOOBIG for limits, ZB_EMEDIA for .xls, encrypted or non-xlsx input,
 * ZB_EINVAL for a damaged file; or the callback's own code. */
int zb_xlsx_read(const void *data, size_t len, const zb_table_limits *lim,
		 zb_row_cb cb, void *ctx, zb_table_info *info, zb_err *e);

/* Read RFC 4180 CSV held in data[0..len).  lim and info may be NULL.
 * Encoding: a UTF-8 BOM is stripped; a UTF-16 BOM selects UTF-16; else
 * valid UTF-8 is taken as is and anything else is decoded as GB18030 (a
 * superset of GBK, which Excel in China writes).  The delimiter is ','
 * unless the first line has none but has tabs or semicolons, or starts
 * with Excel's "sep=X" line.  Quoted fields may hold delimiters, doubled
 * quotes and line breaks (CRLF, LF or CR; returned as "\n").
 *
 * Errors: ZB_ETOOBIG for limits; ZB_EINVAL for undecodable bytes, NUL
 * bytes or an unclosed quote (message names the line); ZB_EMEDIA for an
 * Excel file given as CSV; or the callback's own code. */
int zb_csv_read(const void *data, size_t len, const zb_table_limits *lim,
		zb_row_cb cb, void *ctx, zb_table_info *info, zb_err *e);

/* n bytes as people read a size in a message: "20 MB", "1.5 MB", "32 KB",
 * "100 字节".  Returns out.  ZB_SIZE_TEXT gives each use its own buffer,
 * so one message can show two sizes. */
const char *zb_size_text(size_t n, char out[32]);
#define ZB_SIZE_TEXT(n) zb_size_text((n), (char[32]){0})

/* Excel date serial to "YYYY-MM-DD" (time of day dropped after rounding to
 * the second).  1900 system: 1 is 1900-01-01 and Excel's phantom
 * 1900-02-29 (serial 60) is refused; 1904 system: 0 is 1904-01-01.
 * Returns 0, or ZB_EINVAL (out is "") for NaN, serials before the epoch or
 * after 9999-12-31.  Importers also meet serials typed into text cells. */
int zb_excel_serial_to_date(double serial, int date1904, char out[11]);

#endif
