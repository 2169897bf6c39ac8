/* attach.c - see attach.h. */
#include "meeting/attach.h"
#include "core/escape.h"
#include "crypto/sm.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int has_tail(const unsigned char *p, size_t len, const char *needle, size_t window)
{
	size_t n = strlen(needle);
	size_t start = len > window ? len - window : 0;
	for (size_t i = start; i + n <= len; i++)
		if (!memcmp(p + i, needle, n))
			return 1;
	return 0;
}

const char *zb_attach_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		/* EOI near the end (cameras may append a few bytes) */
		size_t start = len > 4096 ? len - 4096 : 2;
		for (size_t i = len - 2; i + 1 > start; i--)
			if (p[i] == 0xFF && p[i + 1] == 0xD9)
				return "jpeg";
		return NULL;
	}
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (len >= 33 && !memcmp(p, png, 8) && !memcmp(p + 8, "\0\0\0\x0dIHDR", 8))
		return "png";
	if (len >= 8 && !memcmp(p, "%PDF-", 5) && p[5] >= '1' && p[5] <= '2' && has_tail(p, len, "%%EOF", 1024))
		return "pdf";
	return NULL;
}

const char *zb_attach_content_type(const char *kind)
{
	if (!kind)
		return "application/octet-stream";
	if (!strcmp(kind, "jpeg"))
		return "image/jpeg";
	if (!strcmp(kind, "png"))
		return "image/png";
	if (!strcmp(kind, "pdf"))
		return "application/pdf";
	return "application/octet-stream";
}

void zb_attach_clean_name(const char *in, char *out, size_t outsz)
{
	out[0] = '\0';
	if (!in)
		in = "";
	const char *base = in;
	for (const char *s = in; *s; s++)
		if (*s == '/' || *s == '\\')
			base = s + 1;
	size_t n = 0, max = outsz - 1 < ZB_ATTACH_NAME_MAX ? outsz - 1 : ZB_ATTACH_NAME_MAX;
	for (const unsigned char *s = (const unsigned char *)base; *s && n < max; s++) {
		if (*s < 0x20 || *s == 0x7f || *s == '"')
			continue;
		out[n++] = (char)*s;
	}
	out[n] = '\0';
	/* cut back to a whole UTF-8 sequence */
	while (n && !zb_utf8_valid(out, n))
		out[--n] = '\0';
	if (!n)
		snprintf(out, outsz, "附件");
}

static int path_of(const char *dir, const char *name, const char *suffix, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, "%s/attachments/%s%s", dir, name, suffix);
	return n < 0 || (size_t)n >= outsz;
}

void zb_attach_remove_file(const char *data_dir, const char *stored_name)
{
	char p[4096];
	if (stored_name && *stored_name && !path_of(data_dir, stored_name, "", p, sizeof p))
		unlink(p);
}

static int sm3_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	const EVP_MD *sm3 = EVP_get_digestbyname("SM3");
	if (!sm3 || !EVP_Digest(data, len, md, &mdlen, sm3, NULL) || mdlen != 32)
		return ZB_EINTERNAL;
	sodium_bin2hex(out, 65, md, 32);
	return 0;
}

static int write_file(const char *data_dir, const char *name, const void *data, size_t len, zb_err *e)
{
	char dir[4096], tmp[4096], fin[4096];
	snprintf(dir, sizeof dir, "%s/attachments", data_dir);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法创建附件目录（%s）", strerror(errno));
	if (path_of(data_dir, name, ".tmp", tmp, sizeof tmp) || path_of(data_dir, name, "", fin, sizeof fin))
		return zb_fail(e, ZB_EINTERNAL, NULL, "附件目录路径过长");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法保存附件（%s）", strerror(errno));
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return zb_fail(e, ZB_EINTERNAL, NULL, "保存附件时写入失败（%s）", strerror(errno));
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) || close(fd) || rename(tmp, fin)) {
		unlink(tmp);
		return zb_fail(e, ZB_EINTERNAL, NULL, "保存附件失败（%s）", strerror(errno));
	}
	return 0;
}

int zb_attach_write_new(const char *data_dir, const void *data, size_t len, char stored_name[33], char digest[65],
                        zb_err *e)
{
	stored_name[0] = '\0';
	unsigned char rnd[16];
	if (zb_random_bytes(rnd, sizeof rnd) || sm3_hex(data, len, digest))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法保存附件");
	sodium_bin2hex(stored_name, 33, rnd, sizeof rnd);
	int rc = write_file(data_dir, stored_name, data, len, e);
	if (rc)
		stored_name[0] = '\0';
	return rc;
}

int zb_attach_check(const void *data, size_t len, const char **kind, zb_err *e)
{
	*kind = NULL;
	if (!len)
		return zb_fail(e, ZB_EINVAL, NULL, "上传的文件是空的");
	if (len > ZB_ATTACH_MAX_BYTES)
		return zb_fail(e, ZB_ETOOBIG, NULL, "文件过大：每个附件最多 %u MB", ZB_ATTACH_MAX_BYTES >> 20);
	*kind = zb_attach_sniff(data, len);
	if (!*kind)
		return zb_fail(e, ZB_EMEDIA, "filename", "只能上传 JPEG、PNG 照片或 PDF 文件（按文件内容判断，与扩展名无关）");
	return 0;
}

int zb_attach_save_file(const char *data_dir, const char *filename, const void *data, size_t len, const char **kind,
                        char name[ZB_ATTACH_NAME_MAX + 1], char sm3[65], char stored_name[33], zb_err *e)
{
	stored_name[0] = '\0';
	int rc = zb_attach_check(data, len, kind, e);
	if (rc)
		return rc;
	zb_attach_clean_name(filename, name, ZB_ATTACH_NAME_MAX + 1);
	return zb_attach_write_new(data_dir, data, len, stored_name, sm3, e);
}

int zb_attach_save_row(zb_db *db, const char *data_dir, const char *filename, const void *data, size_t len,
                       int (*row)(zb_db *db, void *ctx, const zb_attach_saved *f, zb_err *e), void *ctx,
                       zb_attach_saved *f, zb_err *e)
{
	f->len = len;
	int rc = zb_attach_save_file(data_dir, filename, data, len, &f->kind, f->name, f->sm3, f->stored, e);
	if (rc)
		return rc;
	if (!(rc = zb_db_begin_write(db, e)))
		rc = zb_db_end(db, row(db, ctx, f, e), e);
	if (rc)
		zb_attach_remove_file(data_dir, f->stored);
	return rc;
}

int zb_attach_store(zb_db *db, const char *data_dir, int64_t meeting_id, const char *filename, const void *data,
                    size_t len, int64_t by_user, int64_t now, zb_attachment *out, char stored_name[33], zb_err *e)
{
	stored_name[0] = '\0';
	const char *kind = NULL;
	int rc = zb_attach_check(data, len, &kind, e);
	if (rc)
		return rc;
	int64_t have = 0;
	rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM meeting_attachments WHERE meeting_id = ?", "i", meeting_id);
	if (rc)
		return rc;
	if (have >= ZB_ATTACH_MAX_PER_MEETING)
		return zb_fail(e, ZB_ECONFLICT, NULL, "每次会议最多 %d 个附件，已达上限", ZB_ATTACH_MAX_PER_MEETING);
	char name[ZB_ATTACH_NAME_MAX + 1], digest[65];
	zb_attach_clean_name(filename, name, sizeof name);
	if ((rc = zb_attach_write_new(data_dir, data, len, stored_name, digest, e)))
		return rc;
	rc = zb_db_int(db, e, &out->id,
	               "INSERT INTO meeting_attachments (meeting_id, kind, filename, size, sm3, stored_name, created_by, "
	               "created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
	               "ississIi", meeting_id, kind, name, (int64_t)len, digest,
	               stored_name, by_user, now);
	if (rc) {
		zb_attach_remove_file(data_dir, stored_name);
		stored_name[0] = '\0';
		return rc;
	}
	out->meeting_id = meeting_id;
	out->kind = kind;
	out->size = (int64_t)len;
	out->created_by = by_user;
	out->created_at = now;
	return 0;
}

int zb_attach_read_file(const char *data_dir, const char *stored_name, zb_buf *out, zb_err *e)
{
	char p[4096];
	if (path_of(data_dir, stored_name, "", p, sizeof p))
		return zb_fail(e, ZB_EINTERNAL, NULL, "附件路径过长");
	FILE *f = fopen(p, "rb");
	if (!f)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "附件文件不存在（可能已被管理员清理）");
	char chunk[65536];
	size_t n;
	int rc = 0;
	while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (out->len + n > ZB_ATTACH_MAX_BYTES + 1024)
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "附件文件异常（超过大小上限）");
		else if (zb_buf_append(out, chunk, n))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	if (!rc && ferror(f))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "读取附件失败");
	fclose(f);
	return rc;
}

typedef struct attach_row {
	zb_arena *a;
	const char *s[3];
} attach_row;

static void read_attach(zb_stmt *st, void *ctx)
{
	attach_row *r = ctx;
	for (int c = 0; c < 3; c++)
		r->s[c] = zb_arena_strdup(r->a, zb_col_text(st, c));
}

int zb_attach_find(zb_db *db, int64_t id, zb_arena *a, const char **kind, const char **filename,
                   const char **stored_name, zb_err *e)
{
	attach_row r = {a, {NULL, NULL, NULL}};
	int rc = zb_db_one(db, e, NULL, read_attach, &r,
	                   "SELECT kind, filename, stored_name FROM meeting_attachments WHERE id = ?", "i", id);
	*kind = r.s[0];
	*filename = r.s[1];
	*stored_name = r.s[2];
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (rc || !*kind || !*stored_name)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该附件");
	return 0;
}

int zb_attach_meeting_of(zb_db *db, int64_t id, int64_t *meeting_id, zb_err *e)
{
	*meeting_id = 0;
	return zb_db_int(db, e, meeting_id, "SELECT meeting_id FROM meeting_attachments WHERE id = ?", "i", id);
}

int zb_attach_upload(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t meeting_id, const char *org_path,
                     const zb_attach_in *f, int late, int64_t now, zb_arena *a, zb_attachment *out, zb_err *e)
{
	char stored[33] = "";
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_attach_store(db, app->data_dir, meeting_id, f->filename, f->data, f->len, by->user_id, now, out, stored, e);
	if (!rc) {
		char *d = zb_arena_printf(a, "{\"attachment_id\":%lld,\"kind\":\"%s\",\"size\":%lld,\"late\":%s}",
		                          (long long)out->id, out->kind, (long long)out->size, late ? "true" : "false");
		rc = zb_audit_change(db, app, by, "meeting.attachment", "meeting", meeting_id, org_path, d, e);
	}
	if ((rc = zb_db_end(db, rc, e)) && stored[0])
		zb_attach_remove_file(app->data_dir, stored);
	return rc;
}

int zb_attach_delete(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t meeting_id,
                     const char *org_path, zb_arena *a, zb_err *e)
{
	char stored[64] = "";
	zb_text_buf b = {stored, sizeof stored};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT stored_name FROM meeting_attachments WHERE id = ?", "i", id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_run(db, e, NULL, "DELETE FROM meeting_attachments WHERE id = ?", "i", id);
	if (!rc)
		rc = zb_audit_change(db, app, by, "meeting.attachment_delete", "meeting", meeting_id, org_path,
		                     zb_arena_printf(a, "{\"attachment_id\":%lld}", (long long)id), e);
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	zb_attach_remove_file(app->data_dir, stored);
	return 0;
}
