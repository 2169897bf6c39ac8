/* sheet.c - a table read through its header row.  See sheet.h. */
#include "io/sheet.h"

#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>

static int count_known(const zb_sheet *s, const char *const *cells, int n)
{
	int k = 0;
	unsigned seen = 0;
	for (int i = 0; i < n; i++) {
		int c = s->col(cells[i]);
		if (c >= 0 && !(seen & (1u << c))) {
			seen |= 1u << c;
			k++;
		}
	}
	return k;
}

static int map_header(zb_sheet *s, int rownum, const char *const *cells, int ncells)
{
	s->header_found = 1;
	s->header_row = rownum;
	s->ncols = ncells;
	s->col_headers = zb_arena_alloc(s->arena, sizeof(char *) * (size_t)(ncells + 1));
	s->col_map = zb_arena_alloc(s->arena, sizeof(int) * (size_t)(ncells + 1));
	unsigned seen = 0;
	for (int i = 0; i < ncells; i++) {
		s->col_headers[i] = zb_arena_strdup(s->arena, cells[i]);
		int c = s->col(cells[i]);
		/* a repeated column: the first one counts */
		if (c >= 0 && (seen & (1u << c)))
			c = -1;
		if (c >= 0)
			seen |= 1u << c;
		if (c >= 0 && c == s->key_col)
			s->key_file_col = i;
		s->col_map[i] = c < 0 ? -1 : c;
	}
	return 0;
}

static int on_row(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	zb_sheet *s = ctx;
	if (!s->header_found) {
		if (count_known(s, cells, ncells) >= 3)
			return map_header(s, rownum, cells, ncells);
		if (++s->scanned >= ZB_SHEET_SCAN_ROWS)
			return zb_fail(e, ZB_EINVAL, "file", "前 %d 行中没有找到表头：表头行应至少包含%s等列名中的 3 个",
			               ZB_SHEET_SCAN_ROWS, s->hint);
		return 0;
	}
	/* a printed list repeats its header on every page */
	if (s->key_col < 0 || (s->key_file_col >= 0 && s->key_file_col < ncells &&
	                       s->col(cells[s->key_file_col]) == s->key_col))
		if (count_known(s, cells, ncells) >= 3)
			return 0;
	if (ZB_GROW(s->rows, (size_t)s->n, s->cap))
		return zb_fail(e, ZB_EINTERNAL, "file", "内存不足");
	zb_sheet_row *r = &s->rows[s->n++];
	r->rownum = rownum;
	r->n = ncells < s->ncols ? ncells : s->ncols;
	r->cells = zb_arena_alloc(s->arena, sizeof(char *) * (size_t)(r->n + 1));
	r->kinds = zb_arena_alloc(s->arena, (size_t)(r->n + 1));
	for (int i = 0; i < r->n; i++) {
		r->cells[i] = s->col_map[i] < 0 ? "" : zb_arena_strdup(s->arena, cells[i]);
		r->kinds[i] = s->info.kinds ? s->info.kinds[i] : ZB_CELL_TEXT;
	}
	return 0;
}

int zb_sheet_check_size(const zb_table_limits *lim, size_t len, zb_err *e)
{
	if (len > lim->max_file_bytes)
		return zb_fail(e, ZB_ETOOBIG, "file", "文件过大（上限 %zu MB），请拆分后再导入", lim->max_file_bytes >> 20);
	if (!len)
		return zb_fail(e, ZB_EINVAL, "file", "文件是空的");
	return 0;
}

int zb_sheet_read(zb_sheet *s, const void *data, size_t len, const zb_table_limits *lim, zb_err *e)
{
	s->key_file_col = -1;
	s->format = zb_table_sniff(data, len);
	if (s->format == ZB_TABLE_XLS)
		return zb_fail(e, ZB_EMEDIA, "file",
		               "这是旧版 Excel（.xls）文件或加密的表格：请在 Excel 中“另存为” .xlsx 格式（不设密码）后再导入");
	if (s->progress)
		s->progress(s->progress_ctx, "读取文件", 0, 0);
	int rc = s->format == ZB_TABLE_XLSX ? zb_xlsx_read(data, len, lim, on_row, s, &s->info, e)
	                                    : zb_csv_read(data, len, lim, on_row, s, &s->info, e);
	if (rc) {
		if (!e->field[0])
			snprintf(e->field, sizeof e->field, "file");
		return rc;
	}
	if (!s->header_found)
		return zb_fail(e, ZB_EINVAL, "file", "没有找到表头行：表头应至少包含%s等列名中的 3 个", s->hint);
	return 0;
}

void zb_sheet_free(zb_sheet *s)
{
	free(s->rows);
	s->rows = NULL;
	s->n = 0;
	s->cap = 0;
}
