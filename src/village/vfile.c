/* vfile.c - the photos and PDFs of a 驻村工作队's work log: stored like a
 * meeting's (meeting/attach.h), uploaded for the team, then linked to the
 * log entry that names them (zb_vlog_add).  docs/VILLAGE.md "The work log". */
#include "village/village.h"
#include "village/vint.h"
#include "meeting/attach.h"
#include "core/escape.h"

#include <string.h>

typedef struct vfile_ctx {
	zb_app *app;
	const zb_actor *ac;
	const zb_vteam *t;
	int64_t id, now;
} vfile_ctx;

static int vfile_row(zb_db *db, void *ctx, const zb_attach_saved *f, zb_err *e)
{
	vfile_ctx *c = ctx;
	int rc = zb_db_int(db, e, &c->id,
	                   "INSERT INTO village_log_files (team_id, org_path, kind, filename, size, sm3, stored_name, created_by, "
	                   "created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "isssissIi", c->t->id, c->t->org_path, f->kind, f->name, (int64_t)f->len, f->sm3, f->stored,
	                   c->ac->user_id, c->now);
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "file_id", c->id);
	jw_kstr(w, "kind", f->kind);
	jw_kint(w, "size", (int64_t)f->len);
	return zb_vaudit(db, c->app, c->ac, "vlog.file", "village_team", c->t->id, c->t->org_path, &d, e);
}

int zb_vfile_upload(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, const char *filename, const void *data,
                    size_t len, zb_arena *ar, zb_vfile *out, zb_err *e)
{
	zb_vteam t;
	int rc = zb_vteam_get(db, team_id, ar, &t, e);
	if (rc)
		return rc;
	vfile_ctx c = {app, ac, &t, 0, zb_now(app)};
	zb_attach_saved f;
	if ((rc = zb_attach_save_row(db, app->data_dir, filename, data, len, vfile_row, &c, &f, e)))
		return rc;
	out->id = c.id;
	out->team_id = team_id;
	out->kind = f.kind;
	out->filename = zb_arena_strdup(ar, f.name);
	out->size = (int64_t)len;
	out->url = zb_vfile_url(ar, out->id);
	out->created_at = c.now;
	return 0;
}

const char *zb_vfile_url(zb_arena *ar, int64_t id)
{
	return zb_arena_printf(ar, "/api/v1/village-files/%lld", (long long)id);
}

typedef struct file_row {
	zb_arena *a;
	const char *s[3];
	int64_t team_id, log_id;
} file_row;

static void read_file_row(zb_stmt *st, void *ctx)
{
	file_row *r = ctx;
	for (int c = 0; c < 3; c++)
		r->s[c] = zb_arena_strdup(r->a, zb_col_text(st, c));
	r->team_id = zb_col_int(st, 3);
	r->log_id = zb_col_is_null(st, 4) ? 0 : zb_col_int(st, 4);
}

int zb_vfile_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                  const char **stored_name, zb_err *e)
{
	file_row r = {ar, {NULL, NULL, NULL}, 0, 0};
	int rc = zb_db_one(db, e, "未找到该附件", read_file_row, &r,
	                   "SELECT kind, filename, stored_name, team_id, log_id FROM village_log_files WHERE id = ?", "i", id);
	*kind = r.s[0];
	*filename = r.s[1];
	*stored_name = r.s[2];
	return rc;
}

/* In zb_vlog_add's transaction: link the team's files not yet linked to
 * log entry log_id, and *json = the entry's attachments: the {name, note}
 * given (old form, kept) followed by {name, file_id, kind, url}. */
int zb_vlog_link_files(zb_db *db, int64_t team_id, int64_t log_id, const char *given, const int64_t *files, int n,
                       zb_arena *ar, const char **json, zb_err *e)
{
	*json = given;
	if (!n)
		return 0;
	if (n > ZB_ATTACH_MAX_PER_MEETING)
		return zb_fail(e, ZB_EINVAL, "files", "每条工作记录最多 %d 个附件", ZB_ATTACH_MAX_PER_MEETING);
	zb_buf b;
	zb_buf_init(&b, 0);
	size_t gl = given ? strlen(given) : 0;
	int rc = 0;
	if (gl > 2 && given[gl - 1] == ']') {
		zb_buf_append(&b, given, gl - 1);
		zb_buf_putc(&b, ',');
	} else {
		zb_buf_putc(&b, '[');
	}
	for (int i = 0; i < n && !rc; i++) {
		file_row r = {ar, {NULL, NULL, NULL}, 0, 0};
		rc = zb_db_one(db, e, NULL, read_file_row, &r,
		               "SELECT kind, filename, stored_name, team_id, log_id FROM village_log_files WHERE id = ?", "i",
		               files[i]);
		if ((rc == ZB_ENOTFOUND) || (!rc && (r.team_id != team_id || r.log_id))) {
			rc = zb_fail(e, ZB_EINVAL, zb_arena_printf(ar, "files[%d]", i), "附件 %lld 不是本工作队上传且未用过的文件",
			             (long long)files[i]);
			break;
		}
		if (!rc)
			rc = zb_db_run(db, e, NULL, "UPDATE village_log_files SET log_id = ? WHERE id = ? AND log_id IS NULL", "ii",
			               log_id, files[i]);
		if (rc)
			break;
		zb_buf_printf(&b, "%s{\"name\":", i ? "," : "");
		zb_esc_json(&b, r.s[1], strlen(r.s[1]));
		zb_buf_printf(&b, ",\"file_id\":%lld,\"kind\":\"%s\",\"url\":\"%s\"}", (long long)files[i], r.s[0],
		              zb_vfile_url(ar, files[i]));
	}
	zb_buf_putc(&b, ']');
	if (!rc)
		*json = zb_arena_strdup(ar, b.data);
	zb_buf_release(&b);
	return rc;
}
