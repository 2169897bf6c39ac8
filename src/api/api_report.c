/* api_report.c - 党内统计: the annual tables of an org's subtree as of a
 * date (report/annual.c), as JSON or .xlsx, and the list behind any
 * number of them. */
#include "api/api.h"
#include "report/annual.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ?date= (default: the last 31 December) and today */
static const char *date_of(zb_req *r, char today[11])
{
	zb_today(r->app, today);
	const char *d = zb_req_query(r, "date");
	if (d && *d)
		return d;
	return zb_arena_printf(&r->arena, "%04d-12-31", atoi(today) - 1);
}

static int h_report(zb_req *r, zb_err *e)
{
	char today[11];
	const char *date = date_of(r, today);
	zb_report rep;
	int rc = zb_report_annual(r->db, r->target_id, date, today, &r->arena, &rep, e);
	if (rc)
		return rc;
	zb_report_json(&rep, &r->jw);
	return 0;
}

static int h_xlsx(zb_req *r, zb_err *e)
{
	char today[11], path[600] = "";
	const char *date = date_of(r, today);
	zb_report rep;
	int rc = zb_report_annual(r->db, r->target_id, date, today, &r->arena, &rep, e);
	if (!rc)
		rc = zb_req_tmpfile(r, "report", path, sizeof path, e);
	if (rc)
		return rc;
	if ((rc = zb_report_xlsx(&rep, path, e))) {
		unlink(path);
		return rc;
	}
	zb_buf_reset(&r->out);
	if ((rc = zb_req_body_file(r, path, "报表文件过大", e)))
		return rc;
	zb_req_disposition(r, "attachment", "annual-report.xlsx",
	                   zb_arena_printf(&r->arena, "%s党内统计年报-%s.xlsx", rep.org_name, rep.date));
	r->content_type = XLSX_TYPE;
	return 0;
}

static int h_cells(zb_req *r, zb_err *e)
{
	char today[11];
	const char *date = date_of(r, today), *cell = zb_req_query(r, "cell");
	int64_t limit, after;
	int rc = zb_req_query_int(r, "limit", 50, 1, 500, &limit, e);
	if (!rc)
		rc = zb_req_query_int(r, "after", 0, 0, 100000000, &after, e);
	if (rc)
		return rc;
	zb_report_cell c;
	if ((rc = zb_report_cell_list(r->db, r->target_id, date, today, cell, after, limit, &r->arena, &c, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "cell", c.key);
	jw_kstr(w, "date", date);
	jw_kstr(w, "table", c.table);
	jw_kstr(w, "column", c.column);
	jw_kstr(w, "row", c.row);
	jw_kstr(w, "counts", c.counts);
	jw_kint(w, "n", c.n);
	jw_karr(w, "items");
	for (int i = 0; i < c.nitems; i++) {
		const zb_report_item *it = &c.items[i];
		jw_obj(w);
		jw_kstr(w, "kind", it->kind);
		jw_kint(w, "id", it->id);
		jw_kstr(w, "name", it->name);
		jw_kstr(w, "org_name", it->org_name);
		jw_kstr(w, "detail", it->detail);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (after + c.nitems < c.n)
		jw_kstr(w, "next", zb_arena_printf(&r->arena, "%lld", (long long)(after + c.nitems)));
	jw_obj_end(w);
	if (!strcmp(c.counts, "members") || !strcmp(c.counts, "applicants"))
		zb_req_audit_read(r, "report.cells", "org", r->target_id, r->target_path,
		                  zb_arena_printf(&r->arena, "{\"cell\":\"%s\",\"date\":\"%s\"}", c.key, date));
	return 0;
}

static const zb_prop cell_props[] = {
	{"key", 's', 0, NULL, "单元格编号：表.列.行，查看名单时作 cell 参数"},
	{"n", 'i', 0, NULL, "数目"},
	{0},
};
static const zb_shape cell_shape = {"ReportCell", cell_props, 0, 0, "报表的一个数"};
static const zb_prop row_props[] = {
	{"key", 's', 0, NULL, "行：total 合计、o<组织编号> 下级组织、self 本级"},
	{"label", 's', 0, NULL, "行名"},
	{"org_id", 'i', ZB_NULL, NULL, "该行的组织（合计为 null）"},
	{"cells", 'a', 0, &cell_shape, "各列的数，与 columns 同序"},
	{0},
};
static const zb_shape row_shape = {"ReportRow", row_props, 0, 0, "报表的一行"};
static const zb_prop column_props[] = {
	{"key", 's', 0, NULL, "列编号"},
	{"group", 's', ZB_NULL, NULL, "上一级表头（无则 null）"},
	{"label", 's', 0, NULL, "列名"},
	{0},
};
static const zb_shape column_shape = {"ReportColumn", column_props, 0, 0, "报表的一列"};
static const zb_prop table_props[] = {
	{"key", 's', 0, NULL, "表编号：members、age、education、party_age、domain、ethnic、recruited、left、orgs、org_domain、coverage"},
	{"title", 's', 0, NULL, "表名"},
	{"counts", 's', 0, NULL, "所计的对象：members 党员、applicants 发展对象、orgs 党组织、units 单位"},
	{"note", 's', 0, NULL, "统计口径"},
	{"columns", 'a', 0, &column_shape, "列"},
	{"rows", 'a', 0, &row_shape, "行：合计在前"},
	{0},
};
static const zb_shape table_shape = {"ReportTable", table_props, 0, 0, "一张统计表"};
static const zb_prop report_props[] = {
	{"org_id", 'i', 0, NULL, "填报组织"},
	{"org_name", 's', 0, NULL, "填报单位"},
	{"org_code", 's', ZB_NULL, NULL, "组织编码"},
	{"date", 'd', 0, NULL, "截至日期"},
	{"year", 'i', 0, NULL, "统计年度"},
	{"provisional", 'b', 0, NULL, "截至日期晚于今天：数字以后还会变化"},
	{"tables", 'a', 0, &table_shape, "统计表"},
	{0},
};
static const zb_shape report_shape = {"AnnualReport", report_props, 0, 0, "党内统计年报"};
static const zb_prop item_props[] = {
	{"kind", 's', 0, NULL, "member 党员、applicant 发展党员、org 党组织、unit 单位"},
	{"id", 'i', 0, NULL, "编号"},
	{"name", 's', 0, NULL, "姓名或名称"},
	{"org_name", 's', ZB_NULL, NULL, "所在（上级）组织"},
	{"detail", 's', ZB_NULL, NULL, "类别、类型或变动"},
	{0},
};
static const zb_shape item_shape = {"ReportItem", item_props, 0, 0, "一个数所计的一项（不含身份证号和出生日期）"};
static const zb_prop cell_list_props[] = {
	{"cell", 's', 0, NULL, "单元格编号"},
	{"date", 'd', 0, NULL, "截至日期"},
	{"table", 's', 0, NULL, "表名"},
	{"column", 's', 0, NULL, "列名"},
	{"row", 's', 0, NULL, "行名"},
	{"counts", 's', 0, NULL, "所计的对象"},
	{"n", 'i', 0, NULL, "该单元格的数，即名单的总条数"},
	{"items", 'a', 0, &item_shape, "名单（本页）"},
	{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},
	{0},
};
static const zb_shape cell_list_shape = {"AnnualReportCellList", cell_list_props, 0, 0, "报表中一个数的名单"};

const zb_route zb_routes_report[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/annual-report", .fn = h_report,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_OK(&report_shape),
	 .tag = "report", .summary = "党内统计年报（截至日期，默认上一年 12 月 31 日）",
	 .query_doc = "date:string:截至日期 YYYY-MM-DD"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/annual-report/xlsx", .fn = h_xlsx,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_MEDIA(XLSX_TYPE),
	 .tag = "report", .summary = "下载党内统计年报（xlsx，每张表一个工作表）",
	 .query_doc = "date:string:截至日期 YYYY-MM-DD"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/annual-report/cells", .fn = h_cells,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&cell_list_shape),
	 .tag = "report", .summary = "年报中一个数的名单（姓名、组织、类别；分页）",
	 .query_doc = "date:string:截至日期 YYYY-MM-DD,cell:string:单元格编号,after:integer,limit:integer"},
	{0},
};
