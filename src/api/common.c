/* common.c - what several handlers do alike: the items of a JSON array in
 * the body, error fields inside arrays, shares, the base URL QR codes point
 * at, ?full= and the read of a record with protected fields, uploaded
 * photos and PDFs, the imports' filename, skip_errors and commit answer
 * (api.h); a key or null. */
#include "api/api.h"
#include "core/escape.h"
#include "meeting/attach.h"
#include "member/import.h"
#include "member/member.h"

#include <stdio.h>
#include <string.h>

void zb_api_field_in(zb_err *e, const char *arr, size_t i, const char *sub)
{
	char f[sizeof e->field];
	snprintf(f, sizeof f, "%.16s[%zu]%s%.24s%s%.16s", arr, i, sub && *sub ? "." : "", sub ? sub : "",
	         e->field[0] ? "." : "", e->field);
	memcpy(e->field, f, sizeof f);
}

int zb_api_items(zb_req *r, const char *name, size_t max, const char *too_many, const zb_field *fields, json_t **arr,
                 size_t *n, zb_err *e)
{
	json_t *a = json_object_get(r->json, name);
	*arr = a;
	*n = json_is_array(a) ? json_array_size(a) : 0;
	if (*n > max) {
		*n = 0;
		return zb_fail(e, ZB_EINVAL, name, "%s", too_many);
	}
	for (size_t i = 0; i < *n; i++) {
		if (zb_json_check(json_array_get(a, i), fields, e)) {
			zb_api_field_in(e, name, i, NULL);
			*n = 0;
			return e->code;
		}
	}
	return 0;
}

const zb_field zb_api_no_fields[] = {{0}};

double zb_api_share(int a, int b)
{
	return b ? (double)a / b : 1.0;
}

const char *zb_api_base_url(zb_req *r)
{
	const char *host = zb_req_header(r, "Host");
	if (!host || !*host || strlen(host) > 255)
		return "";
	for (const char *p = host; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '-' || *p == ':' || *p == '[' || *p == ']'))
			return "";
	const char *proto = "http";
	const char *xfp = r->app->cfg.trust_proxy ? zb_req_header(r, "X-Forwarded-Proto") : NULL;
	if (xfp && !strcmp(xfp, "https"))
		proto = "https";
	return zb_arena_printf(&r->arena, "%s://%s", proto, host);
}

int zb_api_import_filename(zb_req *r, const char **fn, zb_err *e)
{
	*fn = zb_member_clean(&r->arena, zb_req_query(r, "filename"));
	if (*fn && (strlen(*fn) > 200 || !zb_utf8_valid(*fn, strlen(*fn))))
		return zb_fail(e, ZB_EINVAL, "filename", "文件名过长或含有无效字符");
	return 0;
}

int zb_api_skip_errors(zb_req *r)
{
	const char *skip = zb_req_query(r, "skip_errors");
	return skip && (!strcmp(skip, "1") || !strcmp(skip, "true"));
}

void zb_api_import_committed(zb_req *r, const int64_t *done, int with_update)
{
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", r->target_id);
	jw_kstr(&r->jw, "status", "committed");
	jw_kobj(&r->jw, "counts");
	jw_kint(&r->jw, "new", done[ZB_IROW_NEW]);
	if (with_update)
		jw_kint(&r->jw, "update", done[ZB_IROW_UPDATE]);
	jw_kint(&r->jw, "unchanged", done[ZB_IROW_UNCHANGED]);
	jw_kint(&r->jw, "skipped", done[ZB_IROW_ERROR]);
	jw_obj_end(&r->jw);
	jw_obj_end(&r->jw);
}

int zb_api_want_full(zb_req *r, const char *path, int *full, zb_err *e)
{
	const char *v = zb_req_query(r, "full");
	*full = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	if (*full && !zb_authz_allows(r->who, P_MEMBER_SENSITIVE, path))
		return zb_fail(e, ZB_EFORBIDDEN, "full", "查看完整身份证号和电话需要“敏感信息”权限");
	return 0;
}

int zb_api_get_full(zb_req *r, int (*answer)(zb_req *r, int64_t id, int full, zb_err *e), const char *action,
                    const char *type, zb_err *e)
{
	int full;
	int rc = zb_api_want_full(r, r->target_path, &full, e);
	if (rc)
		return rc;
	rc = answer(r, r->target_id, full, e);
	if (!rc)
		zb_req_audit_read(r, action, type, r->target_id, r->target_path, full ? "{\"full\":true}" : "{\"full\":false}");
	return rc;
}

int zb_api_upload_filename(zb_req *r, const char **fn, zb_err *e)
{
	*fn = zb_req_query(r, "filename");
	if (*fn && (strlen(*fn) > 1000 || !zb_utf8_valid(*fn, strlen(*fn))))
		return zb_fail(e, ZB_EINVAL, "filename", "文件名无效");
	return 0;
}

int zb_api_stored_file(zb_req *r, const char *kind, const char *name, const char *stored, const char *stem,
                       const char *action, const char *type, zb_err *e)
{
	zb_buf_reset(&r->out);
	int rc = zb_attach_read_file(r->app->data_dir, stored, &r->out, e);
	if (rc)
		return rc;
	r->content_type = zb_attach_content_type(kind);
	/* photos display inline; PDFs are downloaded, not rendered in our origin */
	zb_req_disposition(r, !strcmp(kind, "pdf") ? "attachment" : "inline",
	                   zb_arena_printf(&r->arena, "%s.%s", stem, !strcmp(kind, "jpeg") ? "jpg" : kind), name ? name : "");
	r->cache_control = "private, no-store";
	zb_req_audit_read(r, action, type, r->target_id, r->target_path, NULL);
	return 0;
}

void zb_api_kstr_or_null(zb_jw *w, const char *k, const char *v)
{
	if (v && *v)
		jw_kstr(w, k, v);
	else
		jw_knull(w, k);
}

void zb_api_kid_or_null(zb_jw *w, const char *k, int64_t v)
{
	if (v)
		jw_kint(w, k, v);
	else
		jw_knull(w, k);
}
