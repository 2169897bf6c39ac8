/* api_attach.c - the photos and PDFs of a meeting: upload, download,
 * delete (meeting/attach.h). */
#include "api/api.h"
#include "meeting/attach.h"
#include "meeting/record.h"

#include <string.h>

static int h_attach_upload(zb_req *r, zb_err *e)
{
	zb_meeting m;
	zb_mrules rules;
	int late;
	int rc = zb_meeting_open_change(r->db, r->target_id, zb_now(r->app), &r->arena, &m, &rules, &late, e);
	if (rc)
		return rc;
	const char *filename;
	if ((rc = zb_api_upload_filename(r, &filename, e)))
		return rc;
	int64_t now = zb_now(r->app);
	zb_attach_in f = {filename, r->body.data, r->body.len};
	zb_attachment a = {0};
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_attach_upload(r->db, r->app, &by, m.id, m.org_path, &f, late, now, &r->arena, &a, e)))
		return rc;
	char name[ZB_ATTACH_NAME_MAX + 1];
	zb_attach_clean_name(filename, name, sizeof name);
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", a.id);
	jw_kint(&r->jw, "meeting_id", m.id);
	jw_kstr(&r->jw, "kind", a.kind);
	jw_kstr(&r->jw, "content_type", zb_attach_content_type(a.kind));
	jw_kstr(&r->jw, "filename", name);
	jw_kint(&r->jw, "size", a.size);
	jw_kstr(&r->jw, "url", zb_arena_printf(&r->arena, "/api/v1/attachments/%lld", (long long)a.id));
	jw_kint(&r->jw, "created_at", now);
	jw_obj_end(&r->jw);
	return 0;
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266). */
static int h_attach_get(zb_req *r, zb_err *e)
{
	const char *kind, *name, *stored;
	int rc = zb_attach_find(r->db, r->target_id, &r->arena, &kind, &name, &stored, e);
	if (rc)
		return rc;
	return zb_api_stored_file(r, kind, name, stored, "attachment", "meeting.attachment_read", "attachment", e);
}

static int h_attach_delete(zb_req *r, zb_err *e)
{
	int64_t mid = 0;
	int rc = zb_attach_meeting_of(r->db, r->target_id, &mid, e);
	if (rc)
		return rc;
	zb_meeting m;
	zb_mrules rules;
	if ((rc = zb_meeting_open_change(r->db, mid, zb_now(r->app), &r->arena, &m, &rules, NULL, e)))
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_attach_delete(r->db, r->app, &by, r->target_id, m.id, m.org_path, &r->arena, e)))
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- response shapes ---- */

static const zb_prop uploaded_props[] = {
	{"id", 'i', 0, NULL, "附件编号"},
	{"meeting_id", 'i', 0, NULL, "会议编号"},
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf"},
	{"content_type", 's', 0, NULL, "媒体类型"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"size", 'i', 0, NULL, "字节数"},
	{"url", 's', 0, NULL, "下载地址"},
	{"created_at", 'i', 0, NULL, "上传时间（Unix 秒）"},
	{0},
};
static const zb_shape uploaded = {"AttachmentUploaded", uploaded_props, 0, 0, "已上传的附件"};

const zb_route zb_routes_attachments[] = {
	{.method = "POST", .pattern = "/api/v1/meetings/{id}/attachments", .fn = h_attach_upload,
	 .perm = P_MEETING_WRITE, .scope = S_MEETING, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES, .resp = ZB_CREATED(&uploaded),
	 .tag = "meetings", .summary = "上传照片或 PDF（请求体为文件内容）",
	 .query_doc = "filename:string"},
	{.method = "GET", .pattern = "/api/v1/attachments/{id}", .fn = h_attach_get,
	 .perm = P_MEETING_READ, .scope = S_ATTACHMENT, .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf, application/octet-stream"),
	 .tag = "meetings", .summary = "下载附件"},
	{.method = "DELETE", .pattern = "/api/v1/attachments/{id}", .fn = h_attach_delete,
	 .perm = P_MEETING_WRITE, .scope = S_ATTACHMENT, .flags = R_WRITE, .resp = ZB_OK(&zb_shape_ok),
	 .tag = "meetings", .summary = "删除附件"},
	{0},
};
