/* xlsx_int.h - what the parts of the .xlsx reader share (io/xlsx_*.c).
 * Not for use outside src/io: the interface is zb_xlsx_read in io/table.h.
 *
 *   xlsx_read.c     the entry point and the order parts are read in
 *   xlsx_zip.c      the zip container and every size check: file size,
 *                   entry count, the uncompressed budget counted as parts
 *                   are inflated (zip bombs), the shared memory budget;
 *                   one part streamed through a SAX2 parser
 *   xlsx_rels.c     package and workbook relationships: which sheet,
 *                   which shared strings and styles parts
 *   xlsx_strings.c  string lists, _xHHHH_ escapes, the shared strings
 *   xlsx_date.c     date serials, number formats, the styles part
 *   xlsx_sheet.c    the sheet, row by row, cell by cell
 */
#ifndef ZB_IO_XLSX_INT_H
#define ZB_IO_XLSX_INT_H

#include "io/table.h"

#include "core/buf.h"
#include "core/err.h"

#include <libxml/parser.h>
#include <locale.h>
#include <stddef.h>
#include <zip.h>

#define XL_MAX_ROW 1048576
#define XL_MAX_COL 16384

/* Sizes in messages for people (io/table.h). */
#define HS(n) ZB_SIZE_TEXT(n)

/* The C locale (numbers in cells use '.'), made once. */
locale_t xl_c_locale(void);

/* Strings stored back to back in one capped buffer, found by offset. */
typedef struct strlist {
	zb_buf buf;
	size_t *off;
	size_t n, cap;
} strlist;

int xl_sl_push_off(strlist *l, size_t off);
int xl_sl_add(strlist *l, const char *s);
void xl_sl_free(strlist *l);
static inline const char *sl_get(const strlist *l, size_t i)
{
	return l->buf.data + l->off[i];
}

/* Per-read state. */
typedef struct xl {
	zb_table_limits lim;
	zip_t *za;
	zb_err *e;
	size_t total; /* uncompressed bytes read so far, all parts */
	size_t reserved;    /* ZB_TABLE_READ_RESERVE, counted in lim.charge */
	size_t sst_charged; /* shared strings' bytes counted in lim.charge */
	int date1904;
	strlist sst;
	unsigned char *xf_fmt; /* FMT_* per cell style index */
	size_t xf_n;
	char wb_path[512];
	char sheet_path[512];
	char sst_path[512];
	char styles_path[512];
	char sheet_name[128];
} xl;

/* One zip entry parsed by a SAX2 push parser.  A SAX2 parser builds no
 * tree: on a 100k-row LibreOffice sheet it parsed in 0.40 s where an
 * xmlTextReader took 0.92 s.  Handlers see the element's local name (so
 * prefixed "x:c" and plain "c" are alike) and libxml2's attribute array. */
typedef struct part part;
typedef void (*start_fn)(part *p, const char *ln, int nattr, const xmlChar **attrs);
typedef void (*end_fn)(part *p, const char *ln);
typedef void (*text_fn)(part *p, const char *s, size_t n);

struct part {
	xl *x;
	const char *name;
	void *ud;             /* the handlers' own state */
	start_fn start;
	end_fn end;
	text_fn text;
	xmlParserCtxtPtr ctxt;
	int rc;               /* first failure, ours or the row callback's */
	int done;             /* a handler saw all it needs: stop, no error */
	int xml_line;         /* line of libxml2's first error */
	int doctype;          /* a DOCTYPE was met */
};

void xl_part_stop(part *p, int rc);

#define ABSENT (-1) /* xl_part_parse: an optional part is not in the package */

/* Stream part p->name through the handlers.  Every inflated byte counts
 * against lim.max_total_bytes as it is read: the sizes in the zip
 * directory are checked first but can lie.  Returns 0, ABSENT (when
 * !required) or a zb_code / the row callback's code. */
int xl_part_parse(part *p, int required);

/* Attribute `name` (local name) from a SAX2 array into out, NUL-ended;
 * 1 if found. */
int xl_sax_attr(int nattr, const xmlChar **at, const char *name, char *out, size_t outsz);

/* Failures with their Chinese messages (field "file"); return the code. */
int xl_fail_bad(xl *x, const char *why);
int xl_fail_budget(xl *x);
int xl_fail_oom(xl *x);

/* Open the zip held in data[0..len) into x->za after the checks that need
 * no inflating (file size, format, entry count) and take the parser
 * reserve from the shared budget.  xl_close undoes both and gives back
 * the shared strings' charge; delivered rows stay counted. */
int xl_open(xl *x, const void *data, size_t len);
void xl_close(xl *x);
/* Shared budget: the shared strings held so far (stops the part on
 * failure), and one delivered row. */
void xl_sst_charge(part *p);
int xl_row_charge(xl *x, const char *const *cells, int n);

/* Parse a positive decimal integer in s[0..len) up to max; 0 if invalid. */
static inline long parse_pos(const char *s, size_t len, long max)
{
	long v = 0;
	if (!s || !len)
		return 0;
	for (; len; s++, len--) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
		if (v > max)
			return 0;
	}
	return v;
}

/* Decode OOXML _xHHHH_ escapes in s[0..n) in place; returns the new length.
 * Output never grows: 7 input bytes give at most 4 output bytes. */
size_t xl_decode_xesc(char *s, size_t n);

enum { FMT_NONE = 0, FMT_DATE, FMT_DATETIME, FMT_TIME };

/* Split a serial into civil date and seconds of the day (rounded to the
 * second, as Excel displays).  -1 when out of range. */
int xl_serial_split(double serial, int date1904, long *y, unsigned *m, unsigned *d, long *sod);

/* The parts, in the order they are read. */
int xl_find_parts(xl *x);
int xl_read_styles(xl *x);
int xl_read_sst(xl *x);
int xl_read_sheet(xl *x, zb_row_cb cb, void *ctx, zb_table_info *info);

#endif
