/* api_recruit_import.c - import of an existing 发展党员 pipeline (台账):
 * upload and preview, the preview again, commit.  The same flow and
 * batches as the roster import (api_members.c, member/import.h); the
 * rows are applicants and their steps (recruit/rimport.h). */
#include "api/api.h"
#include "io/membudget.h"
#include "member/member.h"
#include "recruit/rimport.h"

#include <string.h>

static zb_actor actor_of(zb_req *r)
{
	return (zb_actor){.user_id = r->who->user_id, .username = r->who->username, .ip = r->ip};
}

static int h_upload(zb_req *r, zb_err *e)
{
	const char *fn;
	if (zb_api_import_filename(r, &fn, e))
		return e->code;
	/* the parse counts in the budget of all concurrent imports */
	zb_memcharge charge = {.b = r->app->import_budget};
	zb_table_limits lim = {.charge = &charge};
	zb_import_opts o = {.app = r->app, .db = r->db, .who = r->who, .org_id = r->target_id,
	                    .filename = fn ? fn : "发展党员台账", .limits = &lim};
	zb_rimport *imp = NULL;
	zb_actor ac = actor_of(r);
	int64_t batch;
	int rc = zb_rimport_read(&o, r->body.data, r->body.len, &imp, e);
	if (!rc)
		rc = zb_rimport_save(r->app, r->db, imp, &ac, &batch, e);
	if (!rc) {
		r->status = 201;
		imp->org_trail = zb_api_org_trail(r, imp->org_path);
		zb_rimport_preview_json(&r->jw, imp, batch);
	}
	zb_rimport_free(imp);
	zb_memcharge_release(&charge);
	return rc;
}

static int h_get(zb_req *r, zb_err *e)
{
	zb_rimport *imp;
	int rc = zb_rimport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	imp->org_trail = zb_api_org_trail(r, imp->org_path);
	zb_rimport_preview_json(&r->jw, imp, r->target_id);
	zb_rimport_free(imp);
	zb_req_audit_read(r, "import.read", "import", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_commit(zb_req *r, zb_err *e)
{
	int skip_errors = zb_api_skip_errors(r);
	zb_rimport *imp;
	int rc = zb_rimport_load(r->app, r->db, r->target_id, r->who->user_id, &imp, e);
	if (rc)
		return rc;
	zb_actor ac = actor_of(r);
	int64_t done[ZB_IROW_NSTATUS];
	rc = zb_rimport_apply(r->app, r->db, imp, r->target_id, &ac, r->who, skip_errors, done, e);
	zb_rimport_free(imp);
	if (rc)
		return rc;
	zb_api_import_committed(r, done, 0);
	return 0;
}

static const zb_prop step_props[] = {
	{"step", 'i', 0, NULL, "步骤编号（细则 1-25）"},
	{"name", 's', 0, NULL, "步骤名称"},
	{"done_on", 'd', 0, NULL, "台账记载的日期"},
	{"flag", 's', ZB_NULL, NULL, "该步骤违反的规定（照录并标注，不拒绝）"},
	{"people", 'a', ZB_OPT, &zb_shape_string, "谈话人、培养联系人或入党介绍人"},
	{0},
};
static const zb_shape step_shape = {NULL, step_props, 0, 0, NULL};
static const zb_prop row_props[] = {
	{"row", 'i', 0, NULL, "文件中的行号"},
	{"status", 's', 0, NULL, "new（将导入）、unchanged（已在发展党员工作中登记，跳过）或 error"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"id_masked", 's', ZB_NULL, NULL, "公民身份号码（隐去中间部分）"},
	{"org_id", 'i', 0, NULL, "所在党支部（0：未能确定）"},
	{"org_name", 's', ZB_NULL, NULL, "所在党支部名称"},
	{"stage", 's', ZB_NULL, NULL, "按台账所处阶段：applicant、activist、candidate、probationary、full"},
	{"member_id", 'i', ZB_OPT, NULL, "名册上已有的党员（按身份证号匹配，不重复登记）"},
	{"steps", 'a', 0, &step_shape, "台账记载的步骤"},
	{"errors", 'a', 0, &zb_shape_string, "不能导入的原因"},
	{0},
};
static const zb_shape row_shape = {NULL, row_props, 0, 0, NULL};
static const zb_prop counts_props[] = {
	{"new", 'i', 0, NULL, "将导入"},
	{"unchanged", 'i', 0, NULL, "已登记，跳过"},
	{"error", 'i', 0, NULL, "有错误"},
	{0},
};
static const zb_shape counts_shape = {NULL, counts_props, 0, 0, NULL};
static const zb_prop batch_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "preview"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"format", 's', 0, NULL, "recruit-xlsx 或 recruit-csv"},
	{"org_id", 'i', 0, NULL, "导入到的组织"},
	{"org_name", 's', ZB_NULL, NULL, "导入到的组织名称"},
	{"org_trail", 's', ZB_NULL, NULL, "导入到的组织及其上级（调用者可见的部分）"},
	{"counts", 'o', 0, &counts_shape, "按状态计数"},
	{"flagged", 'i', 0, NULL, "有步骤违反规定（标注）的行数"},
	{"rows", 'a', 0, &row_shape, "各行"},
	{0},
};
static const zb_shape batch_shape = {"RecruitImportBatch", batch_props, 0, 0, "发展党员台账导入批次"};
static const zb_prop done_counts_props[] = {
	{"new", 'i', 0, NULL, "新登记"},
	{"unchanged", 'i', 0, NULL, "已登记，跳过"},
	{"skipped", 'i', 0, NULL, "跳过的有错行"},
	{0},
};
static const zb_shape done_counts = {NULL, done_counts_props, 0, 0, NULL};
static const zb_prop done_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "committed"},
	{"counts", 'o', 0, &done_counts, "写入的行数"},
	{0},
};
static const zb_shape done_shape = {"RecruitImportCommitted", done_props, 0, 0, "发展党员台账导入已提交"};

const zb_route zb_routes_recruit_import[] = {
	{.method = "POST", .pattern = "/api/v1/applicant-imports", .fn = h_upload,
	 .perm = P_MEMBER_WRITE, .scope = S_QUERY_ORG, .flags = R_WRITE | R_RAW, .max_body = ZB_TABLE_MAX_FILE_BYTES,
	 .resp = ZB_CREATED(&batch_shape), .tag = "recruit",
	 .summary = "上传发展党员台账（xlsx/csv）并预览：逐行列出问题，违反规定的历史步骤照录并标注",
	 .query_doc = "org:integer,filename:string"},
	{.method = "GET", .pattern = "/api/v1/applicant-imports/{id}", .fn = h_get,
	 .perm = P_MEMBER_WRITE, .scope = S_RIMPORT, .resp = ZB_OK(&batch_shape),
	 .tag = "recruit", .summary = "发展党员台账导入批次预览"},
	{.method = "POST", .pattern = "/api/v1/applicant-imports/{id}/commit", .fn = h_commit,
	 .perm = P_MEMBER_WRITE, .scope = S_RIMPORT, .flags = R_WRITE, .resp = ZB_OK(&done_shape),
	 .tag = "recruit", .summary = "提交发展党员台账导入（全部成功或全部不写入）", .query_doc = "skip_errors:integer"},
	{0},
};
