/* export.c - the 花名册 of a subtree as .xlsx or CSV (see import.h). */
#include "member/import.h"

#include "auth/authz.h"
#include "crypto/fieldprot.h"
#include "io/xlsx_write.h"
#include "member/idcard.h"
#include "org/org.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* Column order of the usual roster; every header is one the importer maps
 * (序号 excepted, which it ignores), so an export imports back unchanged. */
static const struct {
	zb_icol col;
	double width;
} layout[] = {
	{ZB_ICOL_NONE, 6},       {ZB_ICOL_NAME, 10},      {ZB_ICOL_GENDER, 6},    {ZB_ICOL_ETHNICITY, 8},
	{ZB_ICOL_BIRTH, 12},     {ZB_ICOL_ID, 21},        {ZB_ICOL_NATIVE, 12},   {ZB_ICOL_EDUCATION, 11},
	{ZB_ICOL_DEGREE, 8},     {ZB_ICOL_WORK_UNIT, 26}, {ZB_ICOL_JOB, 14},      {ZB_ICOL_CATEGORY, 10},
	{ZB_ICOL_JOIN, 12},      {ZB_ICOL_FULL, 12},      {ZB_ICOL_PHONE, 14},    {ZB_ICOL_ADDRESS, 28},
	{ZB_ICOL_ORG, 24},       {ZB_ICOL_GROUP, 12},     {ZB_ICOL_STATUS, 10},   {ZB_ICOL_REMARKS, 24},
};
#define NCOLS ((int)(sizeof layout / sizeof layout[0]))

/* Without o->full the export shows what a role without member.sensitive
 * sees (docs/SECURITY.md): masked ID and phone, the birth month only. */
static const char *cell_of(const zb_member *m, zb_icol c, const char *seq, int full, zb_arena *a)
{
	switch (c) {
	case ZB_ICOL_NONE: return seq;
	case ZB_ICOL_NAME: return m->name;
	case ZB_ICOL_GENDER: return zb_gender_name(m->gender);
	case ZB_ICOL_ETHNICITY: return m->ethnicity;
	case ZB_ICOL_BIRTH: return zb_member_birth_shown(a, m->birth_date, full);
	case ZB_ICOL_ID: return m->id_number ? m->id_number : m->id_masked;
	case ZB_ICOL_NATIVE: return m->native_place;
	case ZB_ICOL_EDUCATION: return m->education;
	case ZB_ICOL_DEGREE: return m->degree;
	case ZB_ICOL_WORK_UNIT: return m->work_unit;
	case ZB_ICOL_JOB: return m->job_title;
	case ZB_ICOL_CATEGORY: return zb_category_name(m->category);
	case ZB_ICOL_JOIN: return m->join_date;
	case ZB_ICOL_FULL: return m->full_date;
	case ZB_ICOL_PHONE: return m->phone ? m->phone : m->phone_masked;
	case ZB_ICOL_ADDRESS: return m->address;
	case ZB_ICOL_ORG: return m->org_name;
	case ZB_ICOL_GROUP: return m->group_name;
	case ZB_ICOL_STATUS: return zb_status_name(m->status);
	case ZB_ICOL_REMARKS: return m->remarks;
	default: return NULL;
	}
}

int zb_roster_export(const zb_export_opts *o, int64_t *count, zb_err *e)
{
	*count = 0;
	zb_arena a;
	zb_arena_init(&a);
	zb_xlsx_writer *xw = NULL;
	zb_stmt *st = NULL;
	int rc;
	zb_org org;
	if ((rc = zb_org_get(o->db, o->org_id, &a, &org, e)))
		goto out;
	int64_t total = 0;
	char upper[512];
	zb_path_upper(org.path, upper, sizeof upper);
	if ((rc = zb_db_int(o->db, e, &total, "SELECT COUNT(*) FROM members WHERE org_path >= ? AND org_path < ?", "ss",
	                    org.path, upper)))
		goto out;
	zb_xlsx_col cols[NCOLS];
	const char *hdr[NCOLS];
	for (int i = 0; i < NCOLS; i++) {
		hdr[i] = layout[i].col == ZB_ICOL_NONE ? "序号" : zb_import_col_header(layout[i].col);
		cols[i] = (zb_xlsx_col){hdr[i], layout[i].width};
	}
	if (o->csv) {
		if ((rc = zb_csv_write_bom(o->csv_out)) || (rc = zb_csv_write_row(o->csv_out, hdr, NCOLS, e))) {
			if (!e->code)
				zb_fail(e, rc, "file", "导出文件过大");
			goto out;
		}
	} else {
		const char *title = zb_arena_printf(&a, "%s党员花名册", org.name);
		if ((rc = zb_xlsx_writer_open(&xw, o->xlsx_path, "党员花名册", title, cols, NCOLS, e)))
			goto out;
	}
	st = zb_db_query(o->db, e,
	                 "SELECT " ZB_MEMBER_COLS ZB_MEMBER_FROM
	                 " WHERE m.org_path >= ? AND m.org_path < ? ORDER BY m.org_path, m.sort_key, m.id",
	                 "ss", org.path, upper);
	if (!st) {
		rc = e->code;
		goto out;
	}
	int step;
	while ((step = zb_stmt_step(st, e)) == 1) {
		zb_arena row;
		zb_arena_init(&row);
		zb_member m;
		zb_member_read(st, 0, &row, &m);
		if (o->full && (rc = zb_member_reveal(&m, o->app->keys, &row, e))) {
			zb_arena_free(&row);
			goto out;
		}
		char seq[24];
		snprintf(seq, sizeof seq, "%lld", (long long)(*count + 1));
		const char *cells[NCOLS];
		for (int i = 0; i < NCOLS; i++)
			cells[i] = cell_of(&m, layout[i].col, seq, o->full, &row);
		rc = o->csv ? zb_csv_write_row(o->csv_out, cells, NCOLS, e) : zb_xlsx_writer_row(xw, cells, NCOLS, e);
		if (m.id_number)
			sodium_memzero((void *)m.id_number, strlen(m.id_number));
		zb_arena_free(&row);
		if (rc) {
			if (!e->code)
				zb_fail(e, rc, "file", "导出文件过大");
			goto out;
		}
		(*count)++;
		if (o->progress && (*count % 1000 == 0 || *count == total))
			o->progress(o->progress_ctx, "导出", (size_t)*count, (size_t)(total > *count ? total : *count));
	}
	zb_stmt_done(st);
	st = NULL;
	if (step < 0) {
		rc = -step;
		goto out;
	}
	if (xw) {
		rc = zb_xlsx_writer_close(xw, e);
		xw = NULL;
	}
out:
	zb_stmt_done(st);
	zb_xlsx_writer_free(xw);
	zb_arena_free(&a);
	return rc;
}

/* ---- template ------------------------------------------------------------ */

/* The template's columns: every one the importer reads, in the export's
 * order; a * marks what a row needs (the importer drops the marks and the
 * bracketed notes). */
static const struct {
	const char *header;
	double width;
	const char *sample;
} tpl[] = {
	{"*姓名", 14, ZB_IMPORT_SAMPLE_MARK "张三"},
	{"性别", 6, "男"},
	{"民族", 8, "汉族"},
	{"出生日期", 12, "1985-06-15"},
	{"*身份证号", 21, NULL}, /* made at run time: checksum-valid */
	{"籍贯", 12, "河北保定"},
	{"学历", 11, "大学本科"},
	{"学位", 8, "学士"},
	{"工作单位", 26, "临河口村村民委员会"},
	{"职务", 14, "村委会委员"},
	{"人员类别（正式党员/预备党员）", 16, "正式党员"},
	{"*入党日期", 12, "2010-07-01"},
	{"转正日期（正式党员必填）", 14, "2011-07-01"},
	{"联系电话", 14, "13800138000"},
	{"现居住地", 28, "临河口村三组"},
	{"所在党支部（导入到党委、总支时必填）", 24, ""},
	{"党小组", 12, ""},
	{"党籍状态", 10, "正常"},
	{"备注", 30, "这是示例行：姓名以“【示例】”开头的行不会导入，可以删除"},
};
#define NTPL ((int)(sizeof tpl / sizeof tpl[0]))

int zb_import_template(const char *xlsx_path, zb_err *e)
{
	zb_xlsx_col cols[NTPL];
	const char *cells[NTPL];
	char id[19];
	zb_idcard_make("110105", "19850615", 123, 'M', id);
	for (int i = 0; i < NTPL; i++) {
		cols[i] = (zb_xlsx_col){tpl[i].header, tpl[i].width};
		cells[i] = tpl[i].sample ? tpl[i].sample : id;
	}
	zb_xlsx_writer *w = NULL;
	int rc = zb_xlsx_writer_open(&w, xlsx_path, "党员名册",
	                             "党员名册导入模板：带 * 的列必须填写；第 3 行是示例（姓名以“【示例】”开头），导入时自动跳过；"
	                             "请从第 4 行起每行填写一名党员，日期写作 2010-07-01",
	                             cols, NTPL, e);
	if (rc)
		return rc;
	if ((rc = zb_xlsx_writer_row(w, cells, NTPL, e))) {
		zb_xlsx_writer_free(w);
		return rc;
	}
	return zb_xlsx_writer_close(w, e);
}
