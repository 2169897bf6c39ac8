/* openapi.c - the OpenAPI 3.1 document, generated from the route tables
 * so it cannot drift from the code. */
#include "core/log.h"
#include "http/http.h"
#include "version.h"

#include <string.h>

static const char *schema_type(char t)
{
	switch (t) {
	case 'i': return "integer";
	case 'n': return "number";
	case 'b': return "boolean";
	case 'a': return "array";
	case 'o': return "object";
	}
	return "string";
}

static void write_params(zb_jw *w, const zb_route *rt)
{
	jw_karr(w, "parameters");
	for (const char *p = strchr(rt->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		if (!end)
			break;
		jw_obj(w);
		jw_key(w, "name");
		jw_strn(w, p + 1, (size_t)(end - p - 1));
		jw_kstr(w, "in", "path");
		jw_kbool(w, "required", 1);
		jw_kobj(w, "schema");
		jw_kstr(w, "type", "string");
		jw_obj_end(w);
		jw_obj_end(w);
	}
	/* query_doc: "name:type:说明,name2:type2:说明2" */
	const char *q = rt->query_doc;
	while (q && *q) {
		const char *end = strchr(q, ',');
		size_t n = end ? (size_t)(end - q) : strlen(q);
		const char *c1 = memchr(q, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - q)) : NULL;
		jw_obj(w);
		jw_key(w, "name");
		jw_strn(w, q, c1 ? (size_t)(c1 - q) : n);
		jw_kstr(w, "in", "query");
		jw_kbool(w, "required", 0);
		jw_kobj(w, "schema");
		jw_key(w, "type");
		if (c1)
			jw_strn(w, c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : n - (size_t)(c1 + 1 - q));
		else
			jw_str(w, "string");
		jw_obj_end(w);
		if (c2) {
			jw_key(w, "description");
			jw_strn(w, c2 + 1, n - (size_t)(c2 + 1 - q));
		}
		jw_obj_end(w);
		q += n + (end ? 1 : 0);
	}
	jw_arr_end(w);
}

static void write_body(zb_jw *w, const zb_route *rt)
{
	if (rt->flags & R_RAW) {
		jw_kobj(w, "requestBody");
		jw_kbool(w, "required", 1);
		jw_kobj(w, "content");
		jw_kobj(w, "application/octet-stream");
		jw_kobj(w, "schema");
		jw_kstr(w, "type", "string");
		jw_kstr(w, "format", "binary");
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
		return;
	}
	if (!(rt->flags & R_JSON) || !rt->fields)
		return;
	jw_kobj(w, "requestBody");
	jw_kbool(w, "required", 1);
	jw_kobj(w, "content");
	jw_kobj(w, "application/json");
	jw_kobj(w, "schema");
	jw_kstr(w, "type", "object");
	jw_kbool(w, "additionalProperties", 0);
	jw_karr(w, "required");
	for (const zb_field *f = rt->fields; f->name; f++)
		if (f->required)
			jw_str(w, f->name);
	jw_arr_end(w);
	jw_kobj(w, "properties");
	for (const zb_field *f = rt->fields; f->name; f++) {
		jw_kobj(w, f->name);
		jw_kstr(w, "type", schema_type(f->type));
		if (f->type == 'd')
			jw_kstr(w, "format", "date");
		if (f->type == 's' || f->type == 'd')
			jw_kint(w, "maxLength", f->maxlen ? f->maxlen : 1000);
		if (f->doc)
			jw_kstr(w, "description", f->doc);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	jw_obj_end(w);
	if (rt->flags & R_FORM) {
		/* the same object as the part "json", with files beside it */
		jw_kobj(w, "multipart/form-data");
		jw_kobj(w, "schema");
		jw_kstr(w, "type", "object");
		jw_kbool(w, "additionalProperties", 0);
		jw_karr(w, "required");
		jw_str(w, "json");
		jw_arr_end(w);
		jw_kobj(w, "properties");
		jw_kobj(w, "json");
		jw_kstr(w, "type", "string");
		jw_kint(w, "maxLength", ZB_FORM_JSON_MAX);
		jw_kstr(w, "description", "JSON 对象，字段与 application/json 请求体相同");
		jw_obj_end(w);
		jw_kobj(w, "file");
		jw_kstr(w, "type", "array");
		jw_kint(w, "maxItems", ZB_FORM_MAX_FILES);
		jw_kobj(w, "items");
		jw_kstr(w, "type", "string");
		jw_kstr(w, "format", "binary");
		jw_obj_end(w);
		jw_kstr(w, "description", "文件（带文件名），按顺序");
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

/* ---- response shapes ---- */

const zb_shape zb_shape_string = {NULL, NULL, 's', 0, NULL};
const zb_shape zb_shape_integer = {NULL, NULL, 'i', 0, NULL};
const zb_shape zb_shape_number = {NULL, NULL, 'n', 0, NULL};
const zb_shape zb_shape_boolean = {NULL, NULL, 'b', 0, NULL};
const zb_shape zb_shape_date = {NULL, NULL, 'd', 0, NULL};
const zb_shape zb_shape_any = {NULL, NULL, 'j', 0, NULL};

static const zb_prop ok_props[] = {
	{"ok", 'b', 0, NULL, "总是 true"},
	{0},
};
const zb_shape zb_shape_ok = {"Ok", ok_props, 0, 0, "操作成功"};

static const zb_prop pending_props[] = {
	{"ok", 'b', 0, NULL, "总是 true"},
	{"pending", 'b', 0, NULL, "总是 true：尚未生效"},
	{"approval_id", 'i', 0, NULL, "待复核申请的编号"},
	{"message", 's', 0, NULL, "给操作者的说明"},
	{0},
};
const zb_shape zb_shape_pending = {"Pending", pending_props, 0, 0, "已提交，需另一名管理员复核后生效"};

static const zb_prop error_detail_props[] = {
	{"code", 's', 0, NULL, "错误类别，如 invalid_input、not_found"},
	{"message", 's', 0, NULL, "中文说明"},
	{"field", 's', ZB_OPT, NULL, "出错的字段（给出时）"},
	{0},
};
static const zb_shape error_detail = {NULL, error_detail_props, 0, 0, NULL};
static const zb_prop error_props[] = {
	{"error", 'o', 0, &error_detail, NULL},
	{0},
};
static const zb_shape error_shape = {"Error", error_props, 0, 0, "错误"};

/* Named shapes, each once, in the order the route tables reach them. */
#define MAX_NAMED 512
typedef struct named {
	const zb_shape *s[MAX_NAMED];
	int n;
	int clash;
} named;

static void collect(named *ns, const zb_shape *s)
{
	if (!s)
		return;
	if (s->name) {
		for (int i = 0; i < ns->n; i++) {
			if (ns->s[i] == s)
				return;
			if (!strcmp(ns->s[i]->name, s->name)) {
				zb_error("openapi: two different response shapes are named %s", s->name);
				ns->clash = 1;
				return;
			}
		}
		if (ns->n == MAX_NAMED) {
			zb_error("openapi: more than %d named response shapes", MAX_NAMED);
			ns->clash = 1;
			return;
		}
		ns->s[ns->n++] = s;
	}
	for (const zb_prop *p = s->props; p && p->name; p++)
		collect(ns, p->shape);
}

static const char *shape_json_type(char t)
{
	switch (t) {
	case 'i': return "integer";
	case 'n': return "number";
	case 'b': return "boolean";
	case 'a': return "array";
	case 'o': return "object";
	case 'j': return NULL;
	}
	return "string";
}

/* "type": "x" or, nullable, "type": ["x","null"] */
static void write_type(zb_jw *w, char t, int nullable)
{
	const char *name = shape_json_type(t);
	if (!name)
		return;
	if (nullable) {
		jw_karr(w, "type");
		jw_str(w, name);
		jw_str(w, "null");
		jw_arr_end(w);
	} else {
		jw_kstr(w, "type", name);
	}
	if (t == 'd')
		jw_kstr(w, "format", "date");
}

static void write_ref(zb_jw *w, const zb_shape *s)
{
	char ref[160];
	snprintf(ref, sizeof ref, "#/components/schemas/%s", s->name);
	jw_kstr(w, "$ref", ref);
}

static void write_shape(zb_jw *w, const zb_shape *s, int define);

/* the members of the schema of a value of shape s, inside an open object */
static void write_shape_members(zb_jw *w, const zb_shape *s, int nullable, int define)
{
	if (s->type) {
		write_type(w, s->type, nullable);
		return;
	}
	if (s->name && !define) {
		if (nullable) {
			jw_karr(w, "anyOf");
			jw_obj(w);
			write_ref(w, s);
			jw_obj_end(w);
			jw_obj(w);
			jw_kstr(w, "type", "null");
			jw_obj_end(w);
			jw_arr_end(w);
		} else {
			write_ref(w, s);
		}
		return;
	}
	write_type(w, 'o', nullable);
	if (s->doc)
		jw_kstr(w, "description", s->doc);
	if (!s->props || !s->props->name) {
		/* a map keyed by data: only the type of its values */
		if (!s->extra) {
			jw_kbool(w, "additionalProperties", 0);
			return;
		}
		jw_kobj(w, "additionalProperties");
		write_type(w, s->extra, 0);
		jw_obj_end(w);
		return;
	}
	jw_kobj(w, "properties");
	for (const zb_prop *p = s->props; p && p->name; p++) {
		jw_kobj(w, p->name);
		int nul = (p->flags & ZB_NULL) != 0;
		if (p->type == 'o' && p->shape) {
			write_shape_members(w, p->shape, nul, 0);
		} else if (p->type == 'a') {
			write_type(w, 'a', nul);
			if (p->shape) {
				jw_kobj(w, "items");
				write_shape_members(w, p->shape, 0, 0);
				jw_obj_end(w);
			}
		} else {
			write_type(w, p->type, nul);
		}
		if (p->doc)
			jw_kstr(w, "description", p->doc);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_karr(w, "required");
	for (const zb_prop *p = s->props; p && p->name; p++)
		if (!(p->flags & ZB_OPT))
			jw_str(w, p->name);
	jw_arr_end(w);
	if (s->extra) {
		jw_kobj(w, "additionalProperties");
		write_type(w, s->extra, 0);
		jw_obj_end(w);
	} else {
		jw_kbool(w, "additionalProperties", 0);
	}
}

static void write_shape(zb_jw *w, const zb_shape *s, int define)
{
	jw_obj(w);
	write_shape_members(w, s, 0, define);
	jw_obj_end(w);
}

static void write_json_content(zb_jw *w, const zb_shape *s)
{
	jw_kobj(w, "content");
	jw_kobj(w, "application/json");
	jw_key(w, "schema");
	write_shape(w, s, 0);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void write_responses(zb_jw *w, const zb_route *rt)
{
	jw_kobj(w, "responses");
	for (const zb_resp *a = rt->resp; a; a = a->also) {
		char st[8];
		snprintf(st, sizeof st, "%d", a->status);
		jw_kobj(w, st);
		jw_kstr(w, "description", a->doc ? a->doc : a->status == 204 ? "成功，无内容" : a->status == 201 ? "已创建" :
		                          a->status == 202 ? "已受理" : "成功");
		if (a->shape) {
			write_json_content(w, a->shape);
		} else if (a->media) {
			/* "type1, type2": one of several */
			jw_kobj(w, "content");
			for (const char *m = a->media; *m;) {
				size_t n = strcspn(m, ",");
				char t[128];
				snprintf(t, sizeof t, "%.*s", (int)n, m);
				jw_key(w, t);
				jw_obj(w);
				jw_kobj(w, "schema");
				jw_kstr(w, "type", "string");
				if (strncmp(m, "text/", 5))
					jw_kstr(w, "format", "binary");
				jw_obj_end(w);
				jw_obj_end(w);
				m += n;
				while (*m == ',' || *m == ' ')
					m++;
			}
			jw_obj_end(w);
		}
		jw_obj_end(w);
	}
	jw_kobj(w, "default");
	jw_kstr(w, "description", "错误");
	write_json_content(w, &error_shape);
	jw_obj_end(w);
	jw_obj_end(w);
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int zb_openapi_write(zb_buf *out)
{
	zb_jw w;
	jw_init(&w, out);
	jw_obj(&w);
	jw_kstr(&w, "openapi", "3.1.0");
	jw_kobj(&w, "info");
	jw_kstr(&w, "title", "zhibu 支部 API");
	jw_kstr(&w, "version", ZB_VERSION);
	jw_kstr(&w, "description", "智慧党建平台接口。每个接口的成功应答按状态码给出其结构；错误体均为 Error：{\"error\":{\"code\",\"message\",\"field\"}}。");
	jw_obj_end(&w);
	jw_karr(&w, "servers");
	jw_obj(&w);
	jw_kstr(&w, "url", "/");
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_kobj(&w, "components");
	jw_kobj(&w, "securitySchemes");
	jw_kobj(&w, "session");
	jw_kstr(&w, "type", "apiKey");
	jw_kstr(&w, "in", "cookie");
	jw_kstr(&w, "name", "zhibu_session");
	jw_obj_end(&w);
	jw_kobj(&w, "token");
	jw_kstr(&w, "type", "http");
	jw_kstr(&w, "scheme", "bearer");
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_kobj(&w, "schemas");
	named ns = {{0}, 0, 0};
	collect(&ns, &error_shape);
	for (const zb_route *const *t = zb_route_tables(); *t; t++)
		for (const zb_route *rt = *t; rt->method; rt++)
			for (const zb_resp *a = rt->resp; a; a = a->also)
				collect(&ns, a->shape);
	if (ns.clash)
		return -1;
	for (int i = 0; i < ns.n; i++) {
		jw_key(&w, ns.s[i]->name);
		write_shape(&w, ns.s[i], 1);
	}
	jw_obj_end(&w);
	jw_obj_end(&w);

	jw_kobj(&w, "paths");
	/* group operations by path: paths may appear in several tables */
	const zb_route *const *tables = zb_route_tables();
	for (const zb_route *const *t = tables; *t; t++) {
		for (const zb_route *rt = *t; rt->method; rt++) {
			int seen = 0;
			for (const zb_route *const *t2 = tables; *t2 && !seen; t2++)
				for (const zb_route *r2 = *t2; r2->method && r2 != rt && !seen; r2++)
					if (!strcmp(r2->pattern, rt->pattern))
						seen = 1;
			if (seen)
				continue;
			jw_kobj(&w, rt->pattern);
			for (const zb_route *const *t3 = tables; *t3; t3++) {
				for (const zb_route *op = *t3; op->method; op++) {
					if (strcmp(op->pattern, rt->pattern))
						continue;
					char m[8];
					snprintf(m, sizeof m, "%s", op->method);
					lower(m);
					jw_kobj(&w, m);
					if (op->tag) {
						jw_karr(&w, "tags");
						jw_str(&w, op->tag);
						jw_arr_end(&w);
					}
					jw_kstr(&w, "summary", op->summary ? op->summary : "");
					if (op->perm) {
						jw_key(&w, "x-permission");
						jw_arr(&w);
						for (unsigned b = 1; b; b <<= 1)
							if ((op->perm & b) && zb_perm_name(b))
								jw_str(&w, zb_perm_name(b));
						jw_arr_end(&w);
					}
					if (op->flags & R_PUBLIC) {
						jw_karr(&w, "security");
						jw_arr_end(&w);
					} else {
						jw_karr(&w, "security");
						jw_obj(&w);
						jw_karr(&w, "session");
						jw_arr_end(&w);
						jw_obj_end(&w);
						jw_obj(&w);
						jw_karr(&w, "token");
						jw_arr_end(&w);
						jw_obj_end(&w);
						jw_arr_end(&w);
					}
					write_params(&w, op);
					write_body(&w, op);
					write_responses(&w, op);
					jw_obj_end(&w);
				}
			}
			jw_obj_end(&w);
		}
	}
	jw_obj_end(&w);
	jw_obj_end(&w);
	return jw_finish(&w);
}
