/* req.c - request helpers: query, headers, params, JSON body checks. */
#include "http/http.h"
#include "audit/audit.h"
#include "core/escape.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *zb_req_query(zb_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *zb_req_header(zb_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static int parse_id(const char *s, int64_t *out)
{
	if (!s || !*s || *s == '0' || strlen(s) > 18)
		return 0;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	*out = strtoll(s, NULL, 10);
	return *out > 0;
}

int zb_req_param_id(zb_req *r, int i, int64_t *out, zb_err *e)
{
	if (i >= r->nparams || !parse_id(r->params[i], out))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象");
	return 0;
}

int zb_req_query_int(zb_req *r, const char *name, int64_t dflt, int64_t min, int64_t max, int64_t *out,
                     zb_err *e)
{
	const char *s = zb_req_query(r, name);
	if (!s || !*s) {
		*out = dflt;
		return 0;
	}
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return zb_fail(e, ZB_EINVAL, name, "参数 %s 应为 %lld 到 %lld 之间的整数", name, (long long)min,
		               (long long)max);
	*out = v;
	return 0;
}

const char *zb_body_str(zb_req *r, const char *name)
{
	json_t *v = r->json ? json_object_get(r->json, name) : NULL;
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int zb_body_has(zb_req *r, const char *name)
{
	return r->json && json_object_get(r->json, name) != NULL;
}

int zb_body_int(zb_req *r, const char *name, int64_t *out)
{
	json_t *v = r->json ? json_object_get(r->json, name) : NULL;
	if (!json_is_integer(v))
		return 0;
	*out = json_integer_value(v);
	return 1;
}


static const char *type_name(char t)
{
	switch (t) {
	case 's': return "字符串";
	case 'd': return "日期（YYYY-MM-DD）";
	case 'i': return "整数";
	case 'n': return "数字";
	case 'b': return "布尔值";
	case 'a': return "数组";
	case 'o': return "对象";
	}
	return "?";
}

int zb_json_check(json_t *obj, const zb_field *fields, zb_err *e)
{
	if (!json_is_object(obj))
		return zb_fail(e, ZB_EJSON, NULL, "请求体应为 JSON 对象");
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		const zb_field *f = fields;
		while (f && f->name && strcmp(f->name, key))
			f++;
		if (!f || !f->name)
			return zb_fail(e, ZB_EINVAL, key, "不认识的字段：%s", key);
		if (json_is_null(v)) {
			if (f->required)
				return zb_fail(e, ZB_EINVAL, key, "字段 %s 不能为空", key);
			continue;
		}
		int ok;
		switch (f->type) {
		case 's':
		case 'd': ok = json_is_string(v); break;
		case 'i': ok = json_is_integer(v); break;
		case 'n': ok = json_is_number(v); break;
		case 'b': ok = json_is_boolean(v); break;
		case 'a': ok = json_is_array(v); break;
		case 'o': ok = json_is_object(v); break;
		default: ok = 0;
		}
		if (!ok)
			return zb_fail(e, ZB_EINVAL, key, "字段 %s 应为%s", key, type_name(f->type));
		if (f->type == 's') {
			size_t max = f->maxlen ? f->maxlen : 1000;
			if (json_string_length(v) > max)
				return zb_fail(e, ZB_EINVAL, key, "字段 %s 过长（最多 %zu 字节）", key, max);
			if (memchr(json_string_value(v), 0, json_string_length(v)))
				return zb_fail(e, ZB_EINVAL, key, "字段 %s 含有非法字符", key);
		}
		if (f->type == 'd' && json_string_length(v) && !zb_date_valid(json_string_value(v)))
			return zb_fail(e, ZB_EINVAL, key, "字段 %s 不是有效日期（应为 YYYY-MM-DD）", key);
	}
	for (const zb_field *f = fields; f && f->name; f++) {
		json_t *x = json_object_get(obj, f->name);
		if (f->required && (!x || json_is_null(x) || (json_is_string(x) && !json_string_length(x))))
			return zb_fail(e, ZB_EINVAL, f->name, "缺少必填字段：%s", f->name);
	}
	return 0;
}

/* The audit event of a request: who, from where, on what. */
static zb_audit_ev req_event(zb_req *r, const char *action, const char *object_type, const char *object_id,
                             const char *org_path, const char *detail)
{
	return (zb_audit_ev){
		.user_id = r->who ? r->who->user_id : 0,
		.username = r->who ? r->who->username : NULL,
		.ip = r->ip,
		.action = action,
		.object_type = object_type,
		.object_id = object_id,
		.org_path = org_path,
		.detail = detail,
	};
}

zb_audit_ev zb_req_actor(zb_req *r)
{
	return req_event(r, NULL, NULL, NULL, NULL, NULL);
}

int zb_req_audit(zb_req *r, const char *action, const char *object_type, int64_t object_id,
                 const char *org_path, const char *detail, zb_err *e)
{
	zb_audit_ev by = zb_req_actor(r);
	return zb_audit_change(r->db, r->app, &by, action, object_type, object_id, org_path, detail, e);
}

void zb_req_audit_read(zb_req *r, const char *action, const char *object_type, int64_t object_id,
                       const char *org_path, const char *detail)
{
	char idbuf[24];
	snprintf(idbuf, sizeof idbuf, "%lld", (long long)object_id);
	zb_audit_ev ev = req_event(r, action, object_type, object_id ? idbuf : NULL, org_path, detail);
	zb_audit_enqueue(r->app, &ev);
}

int zb_req_tmpfile(zb_req *r, const char *tag, char *path, size_t n, zb_err *e)
{
	const char *dir = r->app->data_dir && !access(r->app->data_dir, W_OK) ? r->app->data_dir : "/tmp";
	snprintf(path, n, "%s/zhibu-%s-XXXXXX", dir, tag);
	int fd = mkstemp(path);
	if (fd < 0)
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法创建临时文件");
	close(fd);
	return 0;
}

int zb_req_body_file(zb_req *r, const char *path, const char *too_big, zb_err *e)
{
	int rc = 0;
	zb_buf_reset(&r->out);
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "无法读取导出文件");
	} else {
		char buf[65536];
		size_t n;
		while (!rc && (n = fread(buf, 1, sizeof buf, f)) > 0)
			if (zb_buf_append(&r->out, buf, n))
				rc = zb_fail(e, ZB_ETOOBIG, NULL, "%s", too_big);
		fclose(f);
	}
	unlink(path);
	if (rc)
		zb_buf_reset(&r->out);
	return rc;
}

void zb_req_disposition(zb_req *r, const char *how, const char *ascii, const char *name)
{
	zb_buf d;
	zb_buf_init(&d, 4096);
	zb_buf_printf(&d, "%s; filename=\"%s\"; filename*=UTF-8''", how, ascii);
	zb_esc_pct(&d, name);
	r->disposition = zb_arena_strdup(&r->arena, d.data ? d.data : "");
	zb_buf_release(&d);
}

void zb_list_begin(zb_req *r)
{
	jw_obj(&r->jw);
	jw_karr(&r->jw, "items");
}

void zb_list_end(zb_req *r, int64_t total, const char *next)
{
	jw_arr_end(&r->jw);
	if (total >= 0)
		jw_kint(&r->jw, "total", total);
	if (next)
		jw_kstr(&r->jw, "next", next);
	jw_obj_end(&r->jw);
}

const char *zb_req_cookie(zb_req *r, const char *name)
{
	if (!r->conn)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int zb_req_end_tx(zb_req *r, int rc, zb_err *e)
{
	return zb_db_end(r->db, rc, e);
}

void zb_req_ok(zb_req *r)
{
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_obj_end(&r->jw);
}

int zb_req_https(zb_req *r)
{
	if (!r->app || !r->app->cfg.trust_proxy)
		return 0;
	const char *p = zb_req_header(r, "X-Forwarded-Proto");
	if (!p)
		return 0;
	while (*p == ' ')
		p++;
	/* a chain of proxies lists the first hop first */
	return !strncasecmp(p, "https", 5) && (p[5] == '\0' || p[5] == ',' || p[5] == ' ');
}
