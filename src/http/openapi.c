/* openapi.c - the OpenAPI 3.1 document, generated from the route tables
 * so it cannot drift from the code. */
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
	jw_kstr(&w, "description", "智慧党建平台接口。错误体均为 {\"error\":{\"code\",\"message\",\"field\"}}。");
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
	jw_kobj(&w, "Error");
	jw_kstr(&w, "type", "object");
	jw_kobj(&w, "properties");
	jw_kobj(&w, "error");
	jw_kstr(&w, "type", "object");
	jw_kobj(&w, "properties");
	jw_kobj(&w, "code");
	jw_kstr(&w, "type", "string");
	jw_obj_end(&w);
	jw_kobj(&w, "message");
	jw_kstr(&w, "type", "string");
	jw_obj_end(&w);
	jw_kobj(&w, "field");
	jw_kstr(&w, "type", "string");
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
	jw_obj_end(&w);
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
					jw_kobj(&w, "responses");
					jw_kobj(&w, "200");
					jw_kstr(&w, "description", "成功");
					jw_obj_end(&w);
					jw_kobj(&w, "default");
					jw_kstr(&w, "description", "错误");
					jw_kobj(&w, "content");
					jw_kobj(&w, "application/json");
					jw_kobj(&w, "schema");
					jw_kstr(&w, "$ref", "#/components/schemas/Error");
					jw_obj_end(&w);
					jw_obj_end(&w);
					jw_obj_end(&w);
					jw_obj_end(&w);
					jw_obj_end(&w);
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
