/* dispatch.c - one function runs every policy check before a handler. */
#include "http/http.h"
#include "auth/auth.h"
#include "auth/pcache.h"
#include "core/escape.h"
#include "core/log.h"

#include <microhttpd.h>
#include <sodium.h>
#include <string.h>

int zb_route_match(const char *pattern, const char *path, const char **params, int *nparams, zb_arena *a)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			const char *se = strchr(s, '/');
			if (!pe)
				return 0;
			size_t n = se ? (size_t)(se - s) : strlen(s);
			if (!n || np >= ZB_MAX_PARAMS)
				return 0;
			if (params)
				params[np] = a ? zb_arena_strndup(a, s, n) : NULL;
			np++;
			p = pe + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++, s++;
	}
	if (*p || *s)
		return 0;
	if (nparams)
		*nparams = np;
	return 1;
}

static const zb_route *find_route(zb_req *r, int *method_mismatch)
{
	*method_mismatch = 0;
	for (const zb_route *const *t = zb_route_tables(); *t; t++) {
		for (const zb_route *rt = *t; rt->method; rt++) {
			if (!zb_route_match(rt->pattern, r->path, NULL, NULL, NULL))
				continue;
			if (strcmp(rt->method, r->method)) {
				*method_mismatch = 1;
				continue;
			}
			zb_route_match(rt->pattern, r->path, r->params, &r->nparams, &r->arena);
			return rt;
		}
	}
	return NULL;
}

void zb_dispatch_error(zb_req *r, const zb_err *e)
{
	zb_buf_reset(&r->out);
	jw_init(&r->jw, &r->out);
	r->status = zb_code_http(e->code);
	r->content_type = "application/json; charset=utf-8";
	r->disposition = NULL;
	jw_obj(&r->jw);
	jw_kobj(&r->jw, "error");
	jw_kstr(&r->jw, "code", zb_code_name(e->code));
	jw_kstr(&r->jw, "message", e->msg[0] ? e->msg : "请求失败");
	if (e->field[0])
		jw_kstr(&r->jw, "field", e->field);
	jw_obj_end(&r->jw);
	jw_obj_end(&r->jw);
}

/* A denial worth auditing: rate-limited rows (http/guard.c). */
static int denied(zb_req *r, const char *reason, int rc)
{
	zb_deny_audit(r, reason, zb_code_http(rc));
	return rc;
}

static int authenticate(zb_req *r, zb_err *e)
{
	const char *authz = zb_req_header(r, "Authorization");
	if (authz && !strncasecmp(authz, "Bearer ", 7)) {
		const char *tok = authz + 7;
		while (*tok == ' ')
			tok++;
		int rc = zb_token_resolve(r->app, r->db, tok, &r->arena, &r->who, e);
		return rc == ZB_EAUTH ? denied(r, "token", rc) : rc;
	}
	const char *cookie = r->conn ? MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "zhibu_session") : NULL;
	if (!cookie || !*cookie)
		return zb_fail(e, ZB_EAUTH, NULL, "未登录，请先登录");
	int rc = zb_session_resolve(r->app, r->db, cookie, &r->arena, &r->who, e);
	if (rc)
		return rc == ZB_EAUTH ? denied(r, "session", rc) : rc;
	if (r->route->flags & R_WRITE) {
		char want[64];
		zb_session_csrf(cookie, want);
		const char *got = zb_req_header(r, "X-CSRF-Token");
		if (!got || strlen(got) != strlen(want) || sodium_memcmp(got, want, strlen(want)))
			return denied(r, "csrf",
			              zb_fail(e, ZB_ECSRF, NULL, "安全校验失败（缺少或错误的 CSRF 令牌），请刷新页面后重试"));
	}
	return 0;
}

/* 1 if a Content-Type names JSON: application/json, with parameters. */
static int is_json_ct(const char *ct)
{
	if (!ct)
		return 0;
	while (*ct == ' ')
		ct++;
	size_t n = strlen("application/json");
	return !strncasecmp(ct, "application/json", n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int parse_body(zb_req *r, zb_err *e)
{
	if (!r->body.len)
		return zb_fail(e, ZB_EJSON, NULL, "请求体为空，应为 JSON 对象");
	if (!zb_utf8_valid(r->body.data, r->body.len))
		return zb_fail(e, ZB_EJSON, NULL, "请求体不是有效的 UTF-8 文本");
	json_error_t je;
	r->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
	if (!r->json)
		return zb_fail(e, ZB_EJSON, NULL, "请求体不是有效的 JSON（第 %d 行第 %d 列：%s）", je.line, je.column, je.text);
	return zb_json_check(r->json, r->route->fields, e);
}

size_t zb_route_max_body(const zb_route *rt)
{
	return rt && rt->max_body ? rt->max_body : ZB_DEFAULT_MAX_BODY;
}

/* The cap of this request: a route that takes a form or JSON takes JSON
 * only up to ZB_FORM_JSON_MAX. */
static size_t req_max_body(zb_req *r)
{
	const zb_route *rt = r->route;
	if ((rt->flags & R_FORM) && !zb_req_is_form(r) && zb_route_max_body(rt) > ZB_FORM_JSON_MAX)
		return ZB_FORM_JSON_MAX;
	return zb_route_max_body(rt);
}

static int body_scope(zb_scope s)
{
	return s == S_BODY_ORG || s == S_BODY_MEMBER;
}

static int too_big(size_t max, zb_err *e)
{
	return zb_fail(e, ZB_ETOOBIG, NULL, "请求内容过大（上限 %zu KB）", max / 1024);
}

static zb_scope_resolver resolvers[S_SCOPE_MAX];

static const zb_route *const no_tables[] = {NULL};
static const zb_route *const *route_tables = no_tables;

void zb_routes_register(const zb_route *const *tables)
{
	route_tables = tables ? tables : no_tables;
}

const zb_route *const *zb_route_tables(void)
{
	return route_tables;
}

void zb_scope_register(zb_scope kind, zb_scope_resolver fn)
{
	if (kind > S_NONE && kind < S_SCOPE_MAX)
		resolvers[kind] = fn;
}

/* The object's org, found by the resolver of the route's scope kind, must
 * lie within a subtree where the caller holds the route's permission. */
static int check_scope(zb_req *r, zb_err *e)
{
	zb_scope kind = r->route->scope;
	if (kind <= S_NONE || kind >= S_SCOPE_MAX || !resolvers[kind])
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：未知的范围类型");
	int rc = resolvers[kind](r, kind, e);
	if (rc)
		return rc;
	if (!zb_authz_allows(r->who, r->route->perm, r->target_path))
		return denied(r, "scope", zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内"));
	return 0;
}

/* Everything decided by method, URL and headers: no body byte read yet. */
static int head(zb_req *r, zb_err *e)
{
	int mismatch;
	r->route = find_route(r, &mismatch);
	if (!r->route) {
		if (mismatch)
			return zb_fail(e, ZB_EMETHOD, NULL, "不支持的请求方法 %s", r->method);
		return zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个接口：%s", r->path);
	}
	const zb_route *rt = r->route;
	size_t max = req_max_body(r);
	if (r->content_length > 0 && (uint64_t)r->content_length > max)
		return too_big(max, e);
	int rc;
	if ((rt->flags & (R_NODB | R_PUBLIC)) == (R_NODB | R_PUBLIC))
		return 0;
	if ((rc = zb_app_db(r->app, &r->db, e)))
		return rc;
	if (!(rt->flags & R_PUBLIC)) {
		/* r->who is preset only by in-process callers (the fuzzer);
		 * the server always starts a request with who == NULL */
		if (!r->who && (rc = authenticate(r, e)))
			return rc;
	}
	/* a permission held nowhere is a plain 403: it reveals nothing about
	 * objects; held somewhere but not over this object is a 404 */
	if (rt->perm && (rt->flags & R_ANY) && !(r->who && (r->who->all_perms & rt->perm)))
		return denied(r, "permission", zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有执行此操作的权限"));
	if (rt->perm && !(rt->flags & R_ANY) && !zb_authz_allows(r->who, rt->perm, NULL))
		return denied(r, "permission", zb_fail(e, ZB_EFORBIDDEN, NULL, "您没有执行此操作的权限"));
	if (rt->scope != S_NONE && !body_scope(rt->scope))
		return check_scope(r, e);
	return 0;
}

static int body(zb_req *r, zb_err *e)
{
	const zb_route *rt = r->route;
	size_t max = req_max_body(r);
	if (r->body_too_big || r->body.len > max)
		return too_big(max, e);
	int rc;
	if ((rt->flags & R_FORM) && zb_req_is_form(r) && (rc = zb_form_read(r, e)))
		return rc;
	if (rt->flags & R_JSON) {
		/* a JSON body says so: a form or text/plain POST from another
		 * site (login CSRF) is refused before it is read as JSON */
		if (!((rt->flags & R_FORM) && zb_req_is_form(r)) && !is_json_ct(zb_req_header(r, "Content-Type")))
			return zb_fail(e, ZB_EMEDIA, NULL, "请求体应为 JSON（Content-Type: application/json）");
		if ((rc = parse_body(r, e)))
			return rc;
	}
	if (body_scope(rt->scope) && (rc = check_scope(r, e)))
		return rc;
	jw_init(&r->jw, &r->out);
	rc = rt->fn(r, e);
	if (!rc && jw_finish(&r->jw))
		return zb_fail(e, ZB_EINTERNAL, NULL, "响应过大或格式错误");
	return rc;
}

/* Turn a failed step into the error answer. */
static void finish(zb_req *r, int rc, zb_err *e)
{
	if (r->db && zb_db_in_tx(r->db)) {
		/* a handler that returns inside a transaction loses its writes */
		zb_db_rollback(r->db);
		if (!rc) {
			zb_error("handler %s %s returned inside a transaction", r->method, r->path);
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内部错误");
		}
	}
	if (rc) {
		if (!e->code)
			e->code = rc;
		zb_dispatch_error(r, e);
	}
	if (r->json) {
		json_decref(r->json);
		r->json = NULL;
	}
	zb_form_free(r);
}

int zb_dispatch_head(zb_req *r)
{
	zb_err e = {0};
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
	int rc = head(r, &e);
	if (rc)
		finish(r, rc, &e);
	return rc;
}

void zb_dispatch_body(zb_req *r)
{
	zb_err e = {0};
	int rc = body(r, &e);
	finish(r, rc, &e);
	/* a write may have changed who may do what: this node sees it at once
	 * (auth/pcache.h; PostgreSQL only, SQLite reads it per request) */
	if (r->db && r->route && (r->route->flags & R_WRITE))
		zb_pcache_after_write(r->db);
}

void zb_dispatch(zb_req *r)
{
	if (!zb_dispatch_head(r))
		zb_dispatch_body(r);
}
