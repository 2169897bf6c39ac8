/* xlsx_write.c - roster exports through libxlsxwriter (see xlsx_write.h). */
#include "io/xlsx_write.h"

#include "core/escape.h"
#include "core/hex.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define XW_MAX_CHARS 32767 /* Excel's limit on characters in a cell */

struct zb_xlsx_writer {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *text;    /* data cells: number format "@" */
	int ncols;
	lxw_row_t header_row;
	lxw_row_t next_row;
	zb_buf scratch;      /* escaped copy of the cell being written */
};

/* p starts "_x": is it "_xHHHH_"? */
static int is_xesc(const char *p)
{
	unsigned char cp[2];
	size_t n;
	return strnlen(p + 2, 5) == 5 && p[6] == '_' && !zb_hex_decode(p + 2, 4, cp, sizeof cp, &n);
}

/* Spreadsheet readers (Excel, ours) decode "_xHHHH_" in string cells as
 * the character U+HHHH; libxlsxwriter 1.1.4 writes such user text as is,
 * so "_x0041_" would come back as "A".  Escape the underscore itself as
 * _x005F_, the OOXML way.  Returns s or a copy in w->scratch. */
static const char *xstr(zb_xlsx_writer *w, const char *s, int *rc)
{
	const char *p = strstr(s, "_x");
	*rc = 0;
	if (!p)
		return s;
	zb_buf_reset(&w->scratch);
	const char *run = s;
	for (; (p = strstr(p, "_x")) != NULL; p++) {
		if (!is_xesc(p))
			continue;
		if ((*rc = zb_buf_append(&w->scratch, run, (size_t)(p - run))) ||
		    (*rc = zb_buf_puts(&w->scratch, "_x005F_")))
			return NULL;
		run = p + 1; /* the 'x' onwards is copied literally */
	}
	if ((*rc = zb_buf_puts(&w->scratch, run)))
		return NULL;
	return w->scratch.data;
}

static int lxw_fail(zb_err *e, lxw_error err, const char *what)
{
	return zb_fail(e, ZB_EINTERNAL, "file", "生成 Excel 文件失败（%s：%s）", what,
		       lxw_strerror(err));
}

/* Characters (not bytes) in valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int check_text(const char *s, int row, int col, zb_err *e)
{
	size_t len = strlen(s);
	if (!zb_utf8_valid(s, len))
		return zb_fail(e, ZB_EINVAL, "file", "导出失败：第 %d 行第 %d 列不是有效的 UTF-8 文本",
			       row, col);
	if (len > XW_MAX_CHARS && utf8_chars(s) > XW_MAX_CHARS)
		return zb_fail(e, ZB_EINVAL, "file",
			       "导出失败：第 %d 行第 %d 列超过 Excel 单元格 %d 个字符的上限", row, col,
			       XW_MAX_CHARS);
	return 0;
}

void zb_xlsx_writer_free(zb_xlsx_writer *w)
{
	if (!w)
		return;
	if (w->wb)
		lxw_workbook_free(w->wb);
	zb_buf_release(&w->scratch);
	free(w);
}

int zb_xlsx_writer_open(zb_xlsx_writer **out, const char *path, const char *sheet_name,
			const char *title, const zb_xlsx_col *cols, int ncols, zb_err *e)
{
	zb_xlsx_writer *w = NULL;
	lxw_error err;
	int rc = 0;
	*out = NULL;
	if (!path || !cols || ncols < 1 || ncols > LXW_COL_MAX) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "导出参数错误");
		goto fail;
	}
	w = calloc(1, sizeof *w);
	if (!w) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
		goto fail;
	}
	w->ncols = ncols;
	zb_buf_init(&w->scratch, 0);
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	w->wb = workbook_new_opt(path, &opt);
	if (!w->wb) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "无法创建 Excel 文件");
		goto fail;
	}
	if (sheet_name && (err = workbook_validate_sheet_name(w->wb, sheet_name))) {
		rc = zb_fail(e, ZB_EINVAL, "sheet_name",
			     "工作表名称无效：最多 31 个字符，且不能含有 [ ] : * ? / \\");
		goto fail;
	}
	w->ws = workbook_add_worksheet(w->wb, sheet_name);
	if (!w->ws) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "无法创建工作表");
		goto fail;
	}

	lxw_format *title_f = workbook_add_format(w->wb);
	lxw_format *head_f = workbook_add_format(w->wb);
	w->text = workbook_add_format(w->wb);
	if (!title_f || !head_f || !w->text) {
		rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
		goto fail;
	}
	format_set_bold(title_f);
	format_set_font_size(title_f, 16);
	format_set_align(title_f, LXW_ALIGN_CENTER);
	format_set_align(title_f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bold(head_f);
	format_set_bg_color(head_f, 0xD9D9D9);
	format_set_pattern(head_f, LXW_PATTERN_SOLID);
	format_set_border(head_f, LXW_BORDER_THIN);
	format_set_align(head_f, LXW_ALIGN_CENTER);
	format_set_align(head_f, LXW_ALIGN_VERTICAL_CENTER);
	format_set_num_format(head_f, "@");
	format_set_num_format(w->text, "@");

	/* Column defaults carry the text format, so cells typed later are text. */
	for (int i = 0; i < ncols; i++) {
		double width = cols[i].width > 0 ? cols[i].width : 12;
		if ((err = worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, width, w->text))) {
			rc = lxw_fail(e, err, "列宽");
			goto fail;
		}
	}

	lxw_row_t row = 0;
	if (title && *title) {
		if ((rc = check_text(title, 1, 1, e)))
			goto fail;
		const char *t = xstr(w, title, &rc);
		if (rc) {
			rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
			goto fail;
		}
		err = worksheet_set_row(w->ws, 0, 30, NULL);
		if (!err)
			err = ncols > 1 ? worksheet_merge_range(w->ws, 0, 0, 0, (lxw_col_t)(ncols - 1),
								t, title_f)
					: worksheet_write_string(w->ws, 0, 0, t, title_f);
		if (err) {
			rc = lxw_fail(e, err, "标题");
			goto fail;
		}
		row = 1;
	}
	w->header_row = row;
	for (int i = 0; i < ncols; i++) {
		const char *h = cols[i].header ? cols[i].header : "";
		if ((rc = check_text(h, (int)row + 1, i + 1, e)))
			goto fail;
		h = xstr(w, h, &rc);
		if (rc) {
			rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
			goto fail;
		}
		if ((err = worksheet_write_string(w->ws, row, (lxw_col_t)i, h, head_f))) {
			rc = lxw_fail(e, err, "表头");
			goto fail;
		}
	}
	worksheet_freeze_panes(w->ws, row + 1, 0);
	/* IDs and phones are text on purpose: hide Excel's green triangles */
	worksheet_ignore_errors(w->ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
	w->next_row = row + 1;
	*out = w;
	return 0;
fail:
	zb_xlsx_writer_free(w);
	return rc;
}

int zb_xlsx_writer_row(zb_xlsx_writer *w, const char *const *cells, int ncells, zb_err *e)
{
	if (ncells > w->ncols)
		return zb_fail(e, ZB_EINTERNAL, "file", "导出失败：第 %u 行有 %d 列，多于表头的 %d 列",
			       (unsigned)w->next_row + 1, ncells, w->ncols);
	if (w->next_row >= LXW_ROW_MAX)
		return zb_fail(e, ZB_ETOOBIG, "file", "导出失败：超过 Excel 最多 %d 行的上限",
			       LXW_ROW_MAX);
	for (int i = 0; i < ncells; i++) {
		const char *s = cells[i];
		if (!s || !*s)
			continue; /* the column default already makes it text */
		int rc = check_text(s, (int)w->next_row + 1, i + 1, e);
		if (rc)
			return rc;
		s = xstr(w, s, &rc);
		if (rc)
			return zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
		/* A string cell even when zb_cell_is_formula(s): see header. */
		lxw_error err = worksheet_write_string(w->ws, w->next_row, (lxw_col_t)i, s, w->text);
		if (err)
			return lxw_fail(e, err, "写入单元格");
	}
	w->next_row++;
	return 0;
}

int zb_xlsx_writer_close(zb_xlsx_writer *w, zb_err *e)
{
	int rc = 0;
	lxw_error err = worksheet_autofilter(w->ws, w->header_row, 0,
					     w->next_row > w->header_row + 1 ? w->next_row - 1
									       : w->header_row,
					     (lxw_col_t)(w->ncols - 1));
	if (err)
		rc = lxw_fail(e, err, "筛选");
	/* workbook_close frees the workbook whatever it returns */
	err = workbook_close(w->wb);
	w->wb = NULL;
	if (err && !rc)
		rc = zb_fail(e, ZB_EINTERNAL, "file", "保存 Excel 文件失败（%s）", lxw_strerror(err));
	zb_xlsx_writer_free(w);
	return rc;
}

/* ---- statistical tables (xlsx_write.h) ---------------------------------- */

struct zb_xlsx_book {
	zb_xlsx_writer w;    /* workbook, current sheet, scratch */
	lxw_format *style[ZB_XS_MAX];
};

void zb_xlsx_book_free(zb_xlsx_book *b)
{
	if (!b)
		return;
	if (b->w.wb)
		lxw_workbook_free(b->w.wb);
	zb_buf_release(&b->w.scratch);
	free(b);
}

int zb_xlsx_book_open(zb_xlsx_book **out, const char *path, zb_err *e)
{
	*out = NULL;
	zb_xlsx_book *b = calloc(1, sizeof *b);
	if (!b)
		return zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
	zb_buf_init(&b->w.scratch, 0);
	b->w.wb = workbook_new(path);
	if (!b->w.wb) {
		zb_xlsx_book_free(b);
		return zb_fail(e, ZB_EINTERNAL, "file", "无法创建 Excel 文件");
	}
	for (int i = 0; i < ZB_XS_MAX; i++)
		if (!(b->style[i] = workbook_add_format(b->w.wb))) {
			zb_xlsx_book_free(b);
			return zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
		}
	lxw_format **f = b->style;
	format_set_bold(f[ZB_XS_TITLE]);
	format_set_font_size(f[ZB_XS_TITLE], 16);
	format_set_align(f[ZB_XS_TITLE], LXW_ALIGN_CENTER);
	format_set_align(f[ZB_XS_TITLE], LXW_ALIGN_VERTICAL_CENTER);
	format_set_bold(f[ZB_XS_HEAD]);
	format_set_bg_color(f[ZB_XS_HEAD], 0xD9D9D9);
	format_set_pattern(f[ZB_XS_HEAD], LXW_PATTERN_SOLID);
	format_set_text_wrap(f[ZB_XS_HEAD]);
	format_set_bold(f[ZB_XS_TOTAL]);
	for (int i = ZB_XS_HEAD; i < ZB_XS_MAX; i++) {
		format_set_border(f[i], LXW_BORDER_THIN);
		format_set_align(f[i], LXW_ALIGN_VERTICAL_CENTER);
	}
	format_set_align(f[ZB_XS_HEAD], LXW_ALIGN_CENTER);
	format_set_num_format(f[ZB_XS_NUMBER], "0");
	format_set_num_format(f[ZB_XS_TOTAL], "0");
	*out = b;
	return 0;
}

int zb_xlsx_book_sheet(zb_xlsx_book *b, const char *name, int freeze_row, int freeze_col, zb_err *e)
{
	if (name && workbook_validate_sheet_name(b->w.wb, name))
		return zb_fail(e, ZB_EINVAL, "sheet_name", "工作表名称无效：最多 31 个字符，且不能含有 [ ] : * ? / \\");
	if (!(b->w.ws = workbook_add_worksheet(b->w.wb, name)))
		return zb_fail(e, ZB_EINTERNAL, "file", "无法创建工作表");
	if (freeze_row > 0 || freeze_col > 0)
		worksheet_freeze_panes(b->w.ws, (lxw_row_t)freeze_row, (lxw_col_t)freeze_col);
	return 0;
}

static int book_cell(zb_xlsx_book *b, int row, int col, zb_err *e)
{
	if (!b->w.ws)
		return zb_fail(e, ZB_EINTERNAL, "file", "导出参数错误");
	if (row < 0 || col < 0 || row >= (int)LXW_ROW_MAX || col >= LXW_COL_MAX)
		return zb_fail(e, ZB_ETOOBIG, "file", "导出失败：超过 Excel 的行数或列数上限");
	return 0;
}

/* text checked and escaped, in scratch or as given */
static const char *book_str(zb_xlsx_book *b, int row, int col, const char *text, int *rc, zb_err *e)
{
	if ((*rc = check_text(text, row + 1, col + 1, e)))
		return NULL;
	const char *t = xstr(&b->w, text, rc);
	if (*rc)
		*rc = zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法生成 Excel 文件");
	return t;
}

static lxw_format *book_style(zb_xlsx_book *b, int style)
{
	return style >= 0 && style < ZB_XS_MAX ? b->style[style] : NULL;
}

int zb_xlsx_book_text(zb_xlsx_book *b, int row, int col, const char *text, int style, zb_err *e)
{
	int rc = book_cell(b, row, col, e);
	const char *t = rc ? NULL : book_str(b, row, col, text ? text : "", &rc, e);
	if (rc)
		return rc;
	lxw_error err = worksheet_write_string(b->w.ws, (lxw_row_t)row, (lxw_col_t)col, t, book_style(b, style));
	return err ? lxw_fail(e, err, "写入单元格") : 0;
}

int zb_xlsx_book_number(zb_xlsx_book *b, int row, int col, double v, int style, zb_err *e)
{
	int rc = book_cell(b, row, col, e);
	if (rc)
		return rc;
	lxw_error err = worksheet_write_number(b->w.ws, (lxw_row_t)row, (lxw_col_t)col, v, book_style(b, style));
	return err ? lxw_fail(e, err, "写入单元格") : 0;
}

int zb_xlsx_book_merge(zb_xlsx_book *b, int r1, int c1, int r2, int c2, const char *text, int style, zb_err *e)
{
	if (r1 == r2 && c1 == c2)
		return zb_xlsx_book_text(b, r1, c1, text, style, e);
	int rc = book_cell(b, r2, c2, e);
	const char *t = rc ? NULL : book_str(b, r1, c1, text ? text : "", &rc, e);
	if (rc)
		return rc;
	lxw_error err = worksheet_merge_range(b->w.ws, (lxw_row_t)r1, (lxw_col_t)c1, (lxw_row_t)r2, (lxw_col_t)c2, t,
	                                      book_style(b, style));
	return err ? lxw_fail(e, err, "合并单元格") : 0;
}

int zb_xlsx_book_width(zb_xlsx_book *b, int c1, int c2, double width, zb_err *e)
{
	int rc = book_cell(b, 0, c2, e);
	if (rc)
		return rc;
	lxw_error err = worksheet_set_column(b->w.ws, (lxw_col_t)c1, (lxw_col_t)c2, width, NULL);
	return err ? lxw_fail(e, err, "列宽") : 0;
}

int zb_xlsx_book_close(zb_xlsx_book *b, zb_err *e)
{
	lxw_error err = workbook_close(b->w.wb);
	b->w.wb = NULL;
	zb_xlsx_book_free(b);
	return err ? zb_fail(e, ZB_EINTERNAL, "file", "保存 Excel 文件失败（%s）", lxw_strerror(err)) : 0;
}

/* ---- CSV ---------------------------------------------------------------- */

static int buf_fail(zb_err *e, int rc)
{
	if (rc == ZB_ETOOBIG)
		return zb_fail(e, ZB_ETOOBIG, "file", "导出内容超过上限，请缩小范围后分批导出");
	return zb_fail(e, ZB_EINTERNAL, "file", "内存不足，无法导出");
}

int zb_csv_write_bom(zb_buf *b)
{
	return zb_buf_append(b, "\xEF\xBB\xBF", 3);
}

int zb_csv_write_row(zb_buf *b, const char *const *cells, int ncells, zb_err *e)
{
	int rc = 0;
	for (int i = 0; i < ncells && !rc; i++) {
		if (i)
			rc = zb_buf_putc(b, ',');
		if (!rc)
			rc = zb_esc_csv_cell(b, cells[i] ? cells[i] : "");
	}
	if (!rc)
		rc = zb_buf_append(b, "\r\n", 2);
	return rc ? buf_fail(e, rc) : 0;
}
