/* attach.c - photos and PDFs of a 三务公开 item (disclose.h): added and
 * removed while the item is a draft, each with a caption; the files kept
 * in the platform's attachment store (meeting/attach.h), which decides
 * the type from the content.  A file cannot be searched for ID numbers
 * the way text is, so the branch's approval of an item with attachments
 * needs the approver's confirmation that they were checked by eye
 * (zb_disclose_attach_confirm, used by item.c). */
#include "disclose/disclose.h"

#include "core/escape.h"
#include "core/grow.h"
#include "meeting/attach.h"

#include <stdio.h>
#include <string.h>

int zb_disclose_attach_confirm(int nfiles, int checked, zb_err *e)
{
	if (nfiles > 0 && !checked)
		return zb_fail(e, ZB_EINVAL, "attachments_checked",
		               "该事项有 %d 个附件，附件中的文字无法自动检查：请逐一核对附件不含身份证号、手机号等个人信息，"
		               "确认“已核对附件”后再审核",
		               nfiles);
	return 0;
}

/* The item's state and village path, in the caller's transaction;
 * ZB_ECONFLICT unless it is a draft. */
static int draft_of(zb_db *db, int64_t id, char path[256], zb_err *e)
{
	char st[32] = "";
	zb_text_buf b = {st, sizeof st};
	int rc = zb_db_one(db, e, "未找到该公开事项", zb_row_text, &b, "SELECT status FROM disclosures WHERE id = ?", "i", id);
	zb_text_buf p = {path, 256};
	if (!rc)
		rc = zb_db_one(db, e, "未找到该公开事项", zb_row_text, &p, "SELECT org_path FROM disclosures WHERE id = ?", "i",
		               id);
	if (!rc && strcmp(st, "draft"))
		rc = zb_fail(e, ZB_ECONFLICT, "status", "只有草稿可以添加或删除附件：如需修改请先退回");
	return rc;
}

static int check_caption(const char *caption, zb_err *e)
{
	size_t n = caption ? strlen(caption) : 0;
	size_t lead = 0;
	while (lead < n && (caption[lead] == ' ' || caption[lead] == '\t'))
		lead++;
	if (lead == n)
		return zb_fail(e, ZB_EINVAL, "caption", "请填写附件说明（如“3月收支单据”）");
	if (n > ZB_DISCLOSE_CAPTION_MAX || !zb_utf8_valid(caption, n))
		return zb_fail(e, ZB_EINVAL, "caption", "附件说明最多 %d 字节的文字", ZB_DISCLOSE_CAPTION_MAX);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)caption[i] < 0x20 || caption[i] == 0x7f)
			return zb_fail(e, ZB_EINVAL, "caption", "附件说明不能含控制字符");
	return 0;
}

static int add_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *filename,
                     const char *caption, const void *data, size_t len, int64_t now, zb_disclosure_file *out,
                     char stored[33], zb_err *e)
{
	char path[256];
	int rc = draft_of(db, id, path, e);
	const char *kind = NULL;
	if (!rc)
		rc = zb_attach_check(data, len, &kind, e);
	int64_t have = 0;
	if (!rc)
		rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM disclosure_attachments WHERE disclosure_id = ?", "i", id);
	if (!rc && have >= ZB_DISCLOSE_FILES_MAX)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "每个公开事项最多 %d 个附件，已达上限", ZB_DISCLOSE_FILES_MAX);
	if (rc)
		return rc;
	char name[ZB_ATTACH_NAME_MAX + 1], digest[65];
	zb_attach_clean_name(filename, name, sizeof name);
	if ((rc = zb_attach_write_new(app->data_dir, data, len, stored, digest, e)))
		return rc;
	if ((rc = zb_db_int(db, e, &out->id,
	                    "INSERT INTO disclosure_attachments (disclosure_id, kind, filename, caption, size, sm3, "
	                    "stored_name, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
	                    "isssissIi", id, kind, name, caption, (int64_t)len, digest, stored, by->user_id, now)))
		return rc;
	out->disclosure_id = id;
	out->kind = kind;
	out->size = (int64_t)len;
	out->created_at = now;
	char detail[200];
	snprintf(detail, sizeof detail, "{\"attachment_id\":%lld,\"kind\":\"%s\",\"size\":%lld}", (long long)out->id, kind,
	         (long long)len);
	return zb_audit_change(db, app, by, "disclosure.attachment", "disclosure", id, path, detail, e);
}

int zb_disclosure_attach_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *filename,
                             const char *caption, const void *data, size_t len, int64_t now, zb_arena *a,
                             zb_disclosure_file *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	int rc = check_caption(caption, e);
	if (rc)
		return rc;
	char stored[33] = "";
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = add_in_tx(db, app, by, id, filename, caption, data, len, now, out, stored, e);
	if ((rc = zb_db_end(db, rc, e))) {
		if (stored[0])
			zb_attach_remove_file(app->data_dir, stored);
		return rc;
	}
	char name[ZB_ATTACH_NAME_MAX + 1];
	zb_attach_clean_name(filename, name, sizeof name);
	out->filename = zb_arena_strdup(a, name);
	out->caption = zb_arena_strdup(a, caption);
	return 0;
}

int zb_disclosure_attach_remove(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t fid, zb_err *e)
{
	char stored[64] = "", path[256];
	zb_text_buf b = {stored, sizeof stored};
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_one(db, e, "未找到该附件", zb_row_text, &b,
	               "SELECT stored_name FROM disclosure_attachments WHERE id = ? AND disclosure_id = ?", "ii", fid, id);
	if (!rc)
		rc = draft_of(db, id, path, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM disclosure_attachments WHERE id = ?", "i", fid);
	if (!rc) {
		char detail[64];
		snprintf(detail, sizeof detail, "{\"attachment_id\":%lld}", (long long)fid);
		rc = zb_audit_change(db, app, by, "disclosure.attachment_delete", "disclosure", id, path, detail, e);
	}
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	zb_attach_remove_file(app->data_dir, stored);
	return 0;
}

typedef struct file_list {
	zb_arena *a;
	zb_disclosure_file *rows;
	size_t n, cap;
	const char *stored;
} file_list;

#define FILE_COLS "a.id, a.disclosure_id, a.kind, a.filename, a.caption, a.size, a.created_at, a.stored_name "

static int add_file(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	file_list *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_disclosure_file *f = &l->rows[l->n++];
	f->id = zb_col_int(st, 0);
	f->disclosure_id = zb_col_int(st, 1);
	f->kind = zb_arena_strdup(l->a, zb_col_text(st, 2));
	f->filename = zb_arena_strdup(l->a, zb_col_text(st, 3));
	f->caption = zb_arena_strdup(l->a, zb_col_text(st, 4));
	f->size = zb_col_int(st, 5);
	f->created_at = zb_col_int(st, 6);
	l->stored = zb_arena_strdup(l->a, zb_col_text(st, 7));
	return 0;
}

int zb_disclosure_attach_fill(zb_db *db, zb_disclosure *rows, int n, zb_arena *a, zb_err *e)
{
	int rc = 0;
	for (int i = 0; !rc && i < n; i++) {
		file_list l = {a, NULL, 0, 0, NULL};
		rc = zb_db_each(db, e, add_file, &l,
		                "SELECT " FILE_COLS "FROM disclosure_attachments a WHERE a.disclosure_id = ? ORDER BY a.id", "i",
		                rows[i].id);
		rows[i].files = l.rows;
		rows[i].nfiles = (int)l.n;
	}
	return rc;
}

int zb_disclosure_attach_find(zb_db *db, int64_t id, int64_t fid, zb_arena *a, zb_disclosure_file *f,
                              const char **stored_name, zb_err *e)
{
	file_list l = {a, NULL, 0, 0, NULL};
	int rc = zb_db_each(db, e, add_file, &l,
	                    "SELECT " FILE_COLS "FROM disclosure_attachments a JOIN disclosures d ON d.id = a.disclosure_id "
	                    "WHERE a.id = ? AND (? > 0 AND a.disclosure_id = ? OR ? = 0 AND d.status = 'published')",
	                    "iiii", fid, id, id, id);
	if (rc)
		return rc;
	if (!l.n)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该附件");
	*f = l.rows[0];
	*stored_name = l.stored;
	return 0;
}
