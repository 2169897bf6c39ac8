/* photo.c - photos of a visit, kept in the meeting attachments' file
 * store (meeting/attach.h).  See aid.h. */
#include "aid/aid.h"
#include "meeting/attach.h"

#include <stdio.h>
#include <string.h>

typedef struct vrow {
	int64_t household_id, member_id, cadre_id;
	char path[256];
} vrow;

static void read_vrow(zb_stmt *st, void *ctx)
{
	vrow *v = ctx;
	v->household_id = zb_col_int(st, 0);
	v->member_id = zb_col_int(st, 1);
	v->cadre_id = zb_col_int(st, 2);
	snprintf(v->path, sizeof v->path, "%s", zb_col_text(st, 3));
}

static int photo_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t visit_id, int64_t member_id,
                       int64_t cadre_id, const char *filename, const void *data, size_t len, int64_t *photo_id,
                       char stored[33], zb_err *e)
{
	vrow v;
	int rc = zb_db_one(db, e, "未找到该走访，或不是您记录的走访", read_vrow, &v,
	                   "SELECT v.household_id, COALESCE(v.member_id, 0), COALESCE(v.cadre_id, 0), h.org_path "
	                   "FROM aid_visits v JOIN aid_households h ON h.id = v.household_id WHERE v.id = ?",
	                   "i", visit_id);
	if (rc)
		return rc;
	if ((member_id || cadre_id) && (member_id != v.member_id || cadre_id != v.cadre_id))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该走访，或不是您记录的走访");
	const char *kind;
	if ((rc = zb_attach_check(data, len, &kind, e)))
		return rc;
	if (!strcmp(kind, "pdf"))
		return zb_fail(e, ZB_EMEDIA, "filename", "走访照片只能是 JPEG 或 PNG（按文件内容判断，与扩展名无关）");
	int64_t have = 0;
	if ((rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM aid_visit_photos WHERE visit_id = ?", "i", visit_id)))
		return rc;
	if (have >= ZB_AID_MAX_PHOTOS)
		return zb_fail(e, ZB_ECONFLICT, NULL, "每次走访最多 %d 张照片，已达上限", ZB_AID_MAX_PHOTOS);
	char name[ZB_ATTACH_NAME_MAX + 1], digest[65];
	zb_attach_clean_name(filename, name, sizeof name);
	if ((rc = zb_attach_write_new(app->data_dir, data, len, stored, digest, e)))
		return rc;
	if ((rc = zb_db_int(db, e, photo_id,
	                    "INSERT INTO aid_visit_photos (visit_id, kind, filename, size, sm3, stored_name, created_by, "
	                    "created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
	                    "ississIi", visit_id, kind, name, (int64_t)len, digest, stored, by ? by->user_id : 0,
	                    zb_now(app))))
		return rc;
	char detail[160];
	snprintf(detail, sizeof detail, "{\"visit_id\":%lld,\"photo_id\":%lld,\"kind\":\"%s\",\"size\":%lld}",
	         (long long)visit_id, (long long)*photo_id, kind, (long long)len);
	return zb_audit_change(db, app, by, "aid.visit.photo", "aid_household", v.household_id, v.path, detail, e);
}

int zb_aid_photo_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t visit_id, int64_t member_id,
                     int64_t cadre_id, const char *filename, const void *data, size_t len, int64_t *photo_id,
                     zb_err *e)
{
	char stored[33] = "";
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = photo_in_tx(db, app, by, visit_id, member_id, cadre_id, filename, data, len, photo_id, stored, e);
	if ((rc = zb_db_end(db, rc, e)) && stored[0])
		zb_attach_remove_file(app->data_dir, stored);
	return rc;
}

typedef struct prow {
	zb_arena *ar;
	const char *kind, *filename, *stored;
} prow;

static void read_prow(zb_stmt *st, void *ctx)
{
	prow *p = ctx;
	p->kind = zb_arena_strdup(p->ar, zb_col_text(st, 0));
	p->filename = zb_arena_strdup(p->ar, zb_col_text(st, 1));
	p->stored = zb_arena_strdup(p->ar, zb_col_text(st, 2));
}

int zb_aid_photo_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                      const char **stored_name, zb_err *e)
{
	prow p = {ar, NULL, NULL, NULL};
	int rc = zb_db_one(db, e, "未找到该照片", read_prow, &p,
	                   "SELECT kind, filename, stored_name FROM aid_visit_photos WHERE id = ?", "i", id);
	*kind = p.kind;
	*filename = p.filename;
	*stored_name = p.stored;
	return rc;
}
