/* http.h - requests, routes and the dispatcher contract.
 *
 * Routes are data (redis's command table): method, path pattern, handler,
 * the permission it needs, how to find the org the target object belongs
 * to, flags, a body cap and the body's fields.  http/dispatch.c checks, in
 * this order and before any handler runs.  When the headers arrive, before
 * a byte of the body is read (zb_dispatch_head): route match (404/405),
 * the declared Content-Length against the route's body cap (413), login
 * (401), CSRF for cookie sessions on state-changing routes (403), the
 * permission held somewhere (403) and, for scopes that do not come from the
 * body, within scope (404 for objects outside the caller's subtrees).  Once
 * the body is in (zb_dispatch_body): body cap (413), JSON body shape against
 * `fields` (400), scopes taken from the body (404).  Handlers never re-check
 * any of it.  Denials (scope 404s, 403s, CSRF failures, 401s for a token or
 * session presented but invalid) are audited as access.denied, rate-limited
 * (zb_deny_audit).
 *
 * Every route row ends with the declaration of its success answer (`resp`,
 * see zb_resp below); the OpenAPI document and the API tests read it.
 */
#ifndef ZB_HTTP_H
#define ZB_HTTP_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/jw.h"
#include "store/db.h"

struct MHD_Connection;

#define ZB_MAX_PARAMS 4
#define ZB_DEFAULT_MAX_BODY (64u * 1024)

enum zb_route_flags {
	R_PUBLIC = 1u << 0,  /* no login needed */
	R_WRITE = 1u << 1,   /* state-changing: CSRF for cookie sessions */
	R_JSON = 1u << 2,    /* body is a JSON object checked against fields */
	R_RAW = 1u << 3,     /* body is raw bytes (uploads) */
	R_NOLOG = 1u << 4,   /* keep out of the access log (health under load) */
	R_ANY = 1u << 5,     /* perm is a choice: any one of its bits held somewhere
	                      * lets the caller in; the handler decides per object
	                      * (S_NONE routes only) */
	R_NODB = 1u << 6,    /* the dispatcher opens no database connection: r->db
	                      * is NULL (liveness; readiness opens its own);
	                      * R_PUBLIC routes only */
	R_FORM = 1u << 7,    /* with R_JSON: the body may instead be
	                      * multipart/form-data, its part "json" the JSON
	                      * object and its parts "file" files (zb_form_read) */
};

/* How the dispatcher finds the org path of the object a route touches. */
typedef enum zb_scope {
	S_NONE = 0,     /* no single object: perm must be held somewhere */
	S_ORG,          /* path param 0 is an org id */
	S_MEMBER,       /* path param 0 is a member id */
	S_MEETING,      /* path param 0 is a meeting id */
	S_QUERY_ORG,    /* ?org= is an org id (required) */
	S_BODY_ORG,     /* JSON field org_id (or parent_id) is an org id */
	S_USER,         /* path param 0 is a user id: scope = the user's grants */
	S_IMPORT,       /* path param 0 is an import batch id */
	S_GRANT,        /* path param 0 is a grant id: scope = its org */
	S_POST,         /* path param 0 is a committee post id: scope = its org */
	S_UNIT,         /* path param 0 is a unit id: scope = where it is located */
	S_ALLIANCE,     /* path param 0 is an alliance id: scope = its lead org */
	S_ATTACHMENT,   /* path param 0 is a meeting attachment id */
	S_BODY_MEMBER,  /* JSON field member_id is a member id */
	S_TRANSFER,     /* path param 0 is a transfer id: scope = its sending
	                 * branch, or its receiving branch for a caller who holds
	                 * the permission only there */
	S_DUES_PAYMENT, /* path param 0 is a dues payment id: scope = its member's org */
	S_DUES_REDUCTION, /* path param 0 is a dues reduction id: scope = its member's org */
	S_APPLICANT,    /* path param 0 is a person in the 发展党员 pipeline: their branch */
	S_RIMPORT,      /* path param 0 is a pipeline import batch (an import batch of kind recruit) */
	S_RESERVE,      /* path param 0 is a person in a village's reserve pool: the village */
	S_DUNIT,        /* path param 0 is a 派出单位: scope = the org that keeps it */
	S_CADRE,        /* path param 0 is a cadre: scope = the org that keeps the record */
	S_VTEAM,        /* path param 0 is a 驻村工作队: scope = its village */
	S_VPOSTING,     /* path param 0 is a 驻村 posting: scope = its village */
	S_VLEAVE,       /* path param 0 is a 驻村 absence (leave): scope = its village */
	S_DISCLOSURE,   /* path param 0 is a 三务公开 item: its village */
	S_AID_HOUSEHOLD, /* path param 0 is a household to help: its village org */
	S_AID_PAIR,     /* path param 0 is a helper pairing: its household's village org */
	S_AID_AREA,     /* path param 0 is a 责任区: its village org */
	S_AID_IMPORT,   /* path param 0 is a households import batch (an import batch of kind aid) */
	S_AID_VISIT,    /* path param 0 is a visit to a household: its village org */
	S_AID_PHOTO,    /* path param 0 is a photo of a visit: its household's village org */
	S_VFILE,        /* path param 0 is a file of a 驻村工作队's log: scope = its village */
	S_STUDY_SESSION, /* path param 0 is a study session (学习记录): its org */
	S_STUDY_IMPORT, /* path param 0 is a study import batch (an import batch of kind study) */
	S_COURSE,       /* path param 0 is a course: the org that published it */
	S_TASK,         /* path param 0 is a 工作任务: scope = the org that issued it */
	S_TASK_TARGET,  /* path param 0 is an org a task was issued to (a target): that org */
	S_TASK_FILE,    /* path param 0 is a file of a task's reply: the target's org */
	S_NOTICE,       /* path param 0 is a 通知公告: the org that issued it */
	S_WEAK_LISTING, /* path param 0 is a 软弱涣散 listing (its 整顿 plan): the branch */
	S_WEAK_MEASURE, /* path param 0 is a measure of a 整顿 plan: the branch */
	S_WEAK_PROGRESS, /* path param 0 is a progress entry of a 整顿 plan: the branch */
	S_POINTS_ITEM,  /* path param 0 is a manual points item (积分制): its branch */
	S_DUTY_REPORT,  /* path param 0 is a secretary's 述职: the org of the post */
	S_DUTY_FILE,    /* path param 0 is a file of a 述职: the report's org */
	S_VREVIEW,      /* path param 0 is an evaluation of a 驻村工作队: its village */
	S_SCOPE_MAX
} zb_scope;

/* Scope resolvers: how the dispatcher finds, for a route's scope kind,
 * the org path of the object a request targets (r->target_path, and
 * r->target_id for the id it was named by).  One per kind, registered by
 * the owner of the route tables at start-up, before serving
 * (zb_api_register, api/routes.c); a kind without one is an internal
 * error.  A missing object is ZB_ENOTFOUND, answered exactly like an
 * object outside the caller's scope. */
typedef struct zb_req zb_req;
typedef int (*zb_scope_resolver)(zb_req *r, zb_scope kind, zb_err *e);
void zb_scope_register(zb_scope kind, zb_scope_resolver fn);

/* A JSON body field.  type: 's' string, 'i' integer, 'b' boolean,
 * 'd' date string YYYY-MM-DD, 'a' array, 'o' object, 'n' number.
 * A field not in the table is rejected; null is accepted for optional
 * fields and means "clear". */
typedef struct zb_field {
	const char *name;
	char type;
	unsigned char required;
	unsigned maxlen;          /* strings: max bytes (0 = 1000) */
	const char *doc;          /* one line for OpenAPI */
} zb_field;

/* Response shapes: what a route answers, declared beside what it takes,
 * so the OpenAPI document describes every answer and the API tests can
 * hold each handler to its declaration.
 *
 * A zb_shape describes one JSON object (or, with `type` set, a scalar used
 * as the items of an array).  Its properties are rows of zb_prop:
 *   name, type, flags, shape, doc
 * type: 's' string, 'i' integer, 'n' number, 'b' boolean, 'd' date string
 * YYYY-MM-DD, 'o' object of `shape`, 'a' array whose items are `shape`
 * (an object shape, or zb_shape_string / zb_shape_integer / ... for
 * scalars), 'j' any JSON value (use sparingly: free-form rule data).
 * flags: ZB_OPT the key may be absent, ZB_NULL the value may be null.
 * An object admits no key it does not list, unless `extra` names the type
 * of the values of its other keys (a map keyed by data, e.g. counts per
 * category).  A shape with a name is an OpenAPI component
 * (#/components/schemas/<name>) referenced wherever it is used; names are
 * unique (zb_openapi_write fails on two different shapes with one name). */
enum zb_prop_flags {
	ZB_OPT = 1u << 0,   /* may be absent */
	ZB_NULL = 1u << 1,  /* may be null */
};

typedef struct zb_shape zb_shape;
typedef struct zb_prop {
	const char *name;
	char type;
	unsigned char flags;
	const zb_shape *shape;    /* 'o': the object; 'a': the items */
	const char *doc;          /* Chinese, one line */
} zb_prop;

struct zb_shape {
	const char *name;         /* component name; NULL = written inline */
	const zb_prop *props;     /* NULL-name terminated */
	char type;                /* 0: an object; else a scalar type (items of arrays) */
	char extra;               /* objects: type of the values of unlisted keys; 0 = none allowed */
	const char *doc;
};

/* Scalars as array items, and shapes shared by many routes (openapi.c). */
extern const zb_shape zb_shape_string, zb_shape_integer, zb_shape_number, zb_shape_boolean, zb_shape_date,
	zb_shape_any;
extern const zb_shape zb_shape_ok;       /* {"ok":true}, zb_req_ok() */
extern const zb_shape zb_shape_pending;  /* 202: waits for a second administrator */

/* A success answer of a route: its status, the shape of its JSON body (NULL
 * for 204 or a body that is not JSON), the media type of a body that is not
 * JSON, and another success answer the route may give instead. */
typedef struct zb_resp {
	int status;               /* 200, 201, 202, 204 */
	const zb_shape *shape;
	const char *media;        /* e.g. "text/html", "application/octet-stream" */
	const struct zb_resp *also;
	const char *doc;
} zb_resp;

/* A route row's .resp (compound literals of static storage). */
#define ZB_OK(shp) (&(const zb_resp){200, (shp), NULL, NULL, NULL})
#define ZB_CREATED(shp) (&(const zb_resp){201, (shp), NULL, NULL, NULL})
#define ZB_NO_CONTENT (&(const zb_resp){204, NULL, NULL, NULL, NULL})
#define ZB_MEDIA(type) (&(const zb_resp){200, NULL, (type), NULL, NULL})

/* A paged list {"items":[<item>...],"total"?:N,"next"?:"after"}, as written
 * by zb_list_begin/zb_list_end: `static` shape VAR and its props VAR_props. */
#define ZB_LIST(var, cname, item)                                                                     \
	static const zb_prop var##_props[] = {                                                        \
		{"items", 'a', 0, (item), "条目"},                                                      \
		{"total", 'i', ZB_OPT, NULL, "总数（给出时）"},                                      \
		{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},                   \
		{0},                                                                                  \
	};                                                                                            \
	static const zb_shape var = {(cname), var##_props, 0, 0, NULL}
/* Stricter lists: ZB_LIST_COUNTED always has "total" (zb_list_end with a
 * count), ZB_LIST_PAGED never does (zb_list_end with -1). */
#define ZB_LIST_COUNTED(var, cname, item)                                                             \
	static const zb_prop var##_props[] = {                                                        \
		{"items", 'a', 0, (item), "条目"},                                                      \
		{"total", 'i', 0, NULL, "总数"},                                                        \
		{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},                   \
		{0},                                                                                  \
	};                                                                                            \
	static const zb_shape var = {(cname), var##_props, 0, 0, NULL}
#define ZB_LIST_PAGED(var, cname, item)                                                               \
	static const zb_prop var##_props[] = {                                                        \
		{"items", 'a', 0, (item), "条目"},                                                      \
		{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},                   \
		{0},                                                                                  \
	};                                                                                            \
	static const zb_shape var = {(cname), var##_props, 0, 0, NULL}

typedef int (*zb_handler)(zb_req *r, zb_err *e);

/* One row of a route table, written with designated initializers: the
 * fields left out are 0 (any logged-in user, no scope, no flags, the
 * default body cap, no body fields, no query documentation).
 *   {.method = "GET", .pattern = "/api/v1/orgs/{id}", .fn = h_get,
 *    .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&zb_shape_org_detail),
 *    .tag = "orgs", .summary = "组织详情"},
 * tests/security/matrix-lib.mjs reads the rows by these names. */
typedef struct zb_route {
	const char *method;
	const char *pattern;      /* "/api/v1/orgs/{id}/children" */
	zb_handler fn;
	unsigned perm;            /* zb_perm mask, 0 = any logged-in user */
	zb_scope scope;
	unsigned flags;
	size_t max_body;          /* 0 = ZB_DEFAULT_MAX_BODY */
	const zb_field *fields;   /* NULL-name terminated, for R_JSON */
	const char *tag;          /* OpenAPI tag */
	const char *summary;      /* Chinese one-liner */
	const char *query_doc;    /* "org:integer,q:string,..." for OpenAPI */
	const zb_resp *resp;      /* the success answer: ZB_OK(&shape), ZB_CREATED(&shape), ... */
} zb_route;

struct zb_req {
	zb_arena arena;
	zb_app *app;
	zb_db *db;
	struct MHD_Connection *conn;
	const zb_route *route;
	const char *method;
	const char *path;
	const char *params[ZB_MAX_PARAMS];
	int nparams;
	const char *ip;
	zb_buf body;
	int body_too_big;
	int64_t content_length;   /* declared by the client; -1 unknown (chunked) */
	size_t upload_reserved;   /* body bytes counted by zb_upload_reserve */
	size_t answer_reserved;   /* answer bytes counted by zb_answer_reserve */
	int head_failed;          /* head checks answered; the body is dropped */
	int queued;               /* response queued (early or final) */
	json_t *json;             /* parsed body for R_JSON routes, owned */
	struct zb_part *files;    /* R_FORM multipart bodies: the files, in order */
	int nfiles;
	zb_principal *who;        /* NULL on public routes without a session */
	const char *target_path;  /* org path resolved by the route's scope */
	int64_t target_id;        /* id from path param 0 or ?org= */
	int64_t started_ns;
	/* response */
	int status;
	zb_buf out;
	zb_jw jw;                 /* writes into out; handlers use r->jw */
	const char *content_type; /* default application/json */
	const char *set_cookie;
	const char *disposition;  /* Content-Disposition for downloads */
	const char *cache_control;
	const char *content_encoding; /* "br"/"gzip" when out is compressed */
	int vary_encoding;        /* answer depends on Accept-Encoding */
};

/* Request helpers (http/req.c). */
const char *zb_req_query(zb_req *r, const char *name);     /* NULL if absent */
const char *zb_req_header(zb_req *r, const char *name);
const char *zb_req_cookie(zb_req *r, const char *name);
int zb_req_param_id(zb_req *r, int i, int64_t *out, zb_err *e);   /* 404 if bad */
int zb_req_query_int(zb_req *r, const char *name, int64_t dflt, int64_t min, int64_t max,
                     int64_t *out, zb_err *e);
/* JSON body accessors; the shape was already checked by the dispatcher. */
const char *zb_body_str(zb_req *r, const char *name);       /* NULL if absent/null */
int zb_body_has(zb_req *r, const char *name);               /* present, even if null */
int zb_body_int(zb_req *r, const char *name, int64_t *out); /* 1 if present */
/* Check a JSON object against a field table (used by the dispatcher and
 * for nested objects). */
int zb_json_check(json_t *obj, const zb_field *fields, zb_err *e);

/* Audit helpers bound to the request (who, ip).  zb_req_actor is the
 * request's user and address, the actor domain writes take. */
zb_audit_ev zb_req_actor(zb_req *r);
int zb_req_audit(zb_req *r, const char *action, const char *object_type, int64_t object_id,
                 const char *org_path, const char *detail, zb_err *e);
/* A read of personal data: buffered, written by the audit writer thread. */
void zb_req_audit_read(zb_req *r, const char *action, const char *object_type, int64_t object_id,
                       const char *org_path, const char *detail);

/* End a write transaction begun by the handler: with rc != 0 roll back and
 * return rc; otherwise commit and return the commit's result.  Use as
 * `return zb_req_end_tx(r, rc, e);` or `if ((rc = zb_req_end_tx(r, rc, e)))`. */
int zb_req_end_tx(zb_req *r, int rc, zb_err *e);
/* Answer {"ok":true}. */
void zb_req_ok(zb_req *r);

/* multipart/form-data bodies of R_FORM routes (http/form.c, over
 * libmicrohttpd's post processor).  The form has exactly one part "json"
 * without a file name (the JSON object, at most ZB_FORM_JSON_MAX bytes, put
 * into r->body in place of the whole body) and 0..ZB_FORM_MAX_FILES parts
 * "file" with a file name (into r->files, in order).  Any other part, a
 * second "json", a missing "json", a truncated or malformed body is a
 * ZB_EINVAL with a Chinese message; too many files ZB_ETOOBIG.  The whole
 * body is already within the route's cap.  The dispatcher calls it and
 * frees the parts (zb_form_free) when the request ends. */
#define ZB_FORM_MAX_FILES 9
#define ZB_FORM_JSON_MAX (256u * 1024)
typedef struct zb_part {
	const char *filename;     /* as sent (not cleaned), in the arena */
	zb_buf data;
} zb_part;
int zb_req_is_form(zb_req *r);            /* Content-Type multipart/form-data */
int zb_form_read(zb_req *r, zb_err *e);
void zb_form_free(zb_req *r);

/* Begin a JSON answer {"items":[ ... ; end with zb_list_end(). */
/* Downloads.  zb_req_tmpfile creates an empty file (0600) for one in the
 * data directory (or /tmp) and fills path; zb_req_body_file makes the whole
 * file the answer body and removes it, whatever happens (ZB_ETOOBIG with
 * too_big over the answer cap); zb_req_disposition names the download:
 * how "attachment" or "inline", an ASCII fallback name and the real one
 * (UTF-8, percent-escaped as RFC 6266 asks). */
int zb_req_tmpfile(zb_req *r, const char *tag, char *path, size_t n, zb_err *e);
int zb_req_body_file(zb_req *r, const char *path, const char *too_big, zb_err *e);
void zb_req_disposition(zb_req *r, const char *how, const char *ascii, const char *name);

void zb_list_begin(zb_req *r);
void zb_list_end(zb_req *r, int64_t total, const char *next);

/* The route tables, NULL-terminated, in the order the dispatcher tries
 * them: handed over once at start-up by their owner (zb_api_register,
 * api/routes.c), before serving; until then there are none. */
void zb_routes_register(const zb_route *const *tables);
const zb_route *const *zb_route_tables(void);

/* 1 if the request came over HTTPS: only a trusted proxy (cfg.trust_proxy)
 * can say so, with X-Forwarded-Proto: https. */
int zb_req_https(zb_req *r);

/* Dispatcher (http/dispatch.c).  zb_dispatch_head runs every check that
 * needs only the method, URL and headers (r->content_length is the declared
 * body size, -1 if unknown); on failure it fills the error response and
 * returns its code, else 0.  zb_dispatch_body then runs the rest and the
 * handler once the body is in r->body.  zb_dispatch does both (in-process
 * callers, the fuzzer). */
int zb_dispatch_head(zb_req *r);
void zb_dispatch_body(zb_req *r);
void zb_dispatch(zb_req *r);
/* Replace r's answer by the JSON error e. */
void zb_dispatch_error(zb_req *r, const zb_err *e);
/* The body cap of the request's route (after zb_dispatch_head). */
size_t zb_route_max_body(const zb_route *rt);
int zb_route_match(const char *pattern, const char *path, const char **params, int *nparams,
                   zb_arena *a);
/* Build the OpenAPI document (http/openapi.c). */
int zb_openapi_write(zb_buf *out);
/* Serve a static file from app->web_root (http/static.c).  Fills r. */
void zb_static_serve(zb_req *r);
/* Before the body: web files are GET/HEAD without a body (405, 413).
 * Non-zero when it filled the answer. */
int zb_static_head(zb_req *r);
/* 1 if an Accept-Encoding header value (may be NULL) takes coding with a
 * q value above 0, named or through "*" (http/static.c). */
int zb_accepts_encoding(const char *accept_encoding, const char *coding);

/* Guards against hostile clients (http/guard.c).
 *
 * Request bodies in flight: zb_upload_reserve counts n body bytes of client
 * address ip before they are read; it refuses with ZB_ERATE (429) when the
 * address would pass cfg.upload_client_max and ZB_EUNAVAIL (503) when all
 * clients together would pass cfg.upload_total_max, counting nothing.
 * zb_upload_release gives them back when the request ends. */
int zb_upload_reserve(zb_app *app, const char *ip, size_t n, zb_err *e);
void zb_upload_release(const char *ip, size_t n);
size_t zb_upload_in_flight(void);
/* Answers in flight: an answer of ZB_ANSWER_COUNTED bytes or more (an
 * export, a big list) is held until the client has taken it; a client that
 * asks and never reads would otherwise make the server hold every answer.
 * zb_answer_reserve counts it for ip before it is queued, refusing with
 * ZB_ERATE past cfg.answer_client_max and ZB_EUNAVAIL past
 * cfg.answer_total_max; zb_answer_release (with the same n) gives the bytes
 * back when the request ends.  Smaller answers are not counted. */
#define ZB_ANSWER_COUNTED ((size_t)256 << 10)
int zb_answer_reserve(zb_app *app, const char *ip, size_t n, zb_err *e);
void zb_answer_release(const char *ip, size_t n);
size_t zb_answer_in_flight(void);
/* Audit a denied request (reason: "scope", "permission", "csrf", "token",
 * "session"; status: the answer) as access.denied with route, method, user
 * if known, client address -- never a token, cookie or query string.  Per
 * client address and user at most cfg.denied_audit_per_min rows a minute;
 * the rest are counted and written as one access.denied.suppressed row when
 * the minute is over (zb_deny_sweep, called every second by the server and
 * with all = 1 at shutdown). */
void zb_deny_audit(zb_req *r, const char *reason, int status);
void zb_deny_sweep(zb_app *app, int all);

/* Server (http/server.c) */
int zb_server_run(zb_app *app, const char *listen, zb_err *e);
/* 0 if listen is an address zb_server_run accepts (HOST:PORT). */
int zb_listen_check(const char *listen, zb_err *e);

#endif
