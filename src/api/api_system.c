/* api_system.c - liveness, readiness, metrics and the API description.
 *
 * Liveness (/api/v1/health) answers from the process alone, without a
 * database round trip, the same on both backends: a load balancer or
 * systemd watchdog restarting a node because PostgreSQL is slow would not
 * help.  Readiness (/api/v1/ready) touches the database and names the
 * check that failed.  /metrics (Prometheus text) answers only loopback
 * clients not behind a proxy, or the bearer of ZHIBU_METRICS_TOKEN; others
 * get the 404 of an unknown path (http/metrics.h).
 */
#include "api/api.h"
#include "app/ready.h"
#include "http/metrics.h"
#include "version.h"

#include <string.h>

static const char *backend_name(const zb_app *app)
{
	const char *u = app->db_uri ? app->db_uri : "";
	return !strncmp(u, "postgres://", 11) || !strncmp(u, "postgresql://", 13) ? "postgresql" : "sqlite";
}

static int h_health(zb_req *r, zb_err *e)
{
	(void)e;
	jw_obj(&r->jw);
	jw_kstr(&r->jw, "status", "ok");
	jw_kstr(&r->jw, "version", ZB_VERSION);
	jw_kstr(&r->jw, "db", backend_name(r->app));
	jw_obj_end(&r->jw);
	return 0;
}

/* A failed readiness check: 503 naming the check in `field`. */
static int not_ready(zb_err *e, const char *check, const char *what)
{
	char why[sizeof e->msg];
	snprintf(why, sizeof why, "%s", e->msg[0] ? e->msg : "未知原因");
	return zb_fail(e, ZB_EUNAVAIL, check, "未就绪：%s：%s", what, why);
}

static int h_ready(zb_req *r, zb_err *e)
{
	zb_ready rd;
	if (zb_app_ready(r->app, &r->db, &rd, e))
		return not_ready(e, rd.check, rd.what);
	jw_obj(&r->jw);
	jw_kstr(&r->jw, "status", "ready");
	jw_kstr(&r->jw, "db", backend_name(r->app));
	jw_kint(&r->jw, "schema_version", rd.schema_version);
	jw_karr(&r->jw, "checks");
	jw_str(&r->jw, "database");
	jw_str(&r->jw, "schema");
	jw_str(&r->jw, "key");
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_metrics(zb_req *r, zb_err *e)
{
	if (!zb_metrics_allowed(r))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "没有这个接口：%s", r->path);
	/* the database is optional here: without it only the session count
	 * is missing, and the counters still tell what is going on */
	zb_err dbe = {0};
	if (zb_app_db(r->app, &r->db, &dbe))
		r->db = NULL;
	if (zb_metrics_render(&r->out, r->app, r->db))
		return zb_fail(e, ZB_EINTERNAL, NULL, "生成监控指标失败");
	jw_init(&r->jw, &r->out); /* written directly, not through r->jw */
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->cache_control = "no-store";
	return 0;
}

static int h_openapi(zb_req *r, zb_err *e)
{
	if (zb_openapi_write(&r->out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "生成接口文档失败");
	/* written directly, not through r->jw */
	jw_init(&r->jw, &r->out);
	r->cache_control = "no-cache";
	return 0;
}

static const zb_prop health_props[] = {
	{"status", 's', 0, NULL, "总是 ok"},
	{"version", 's', 0, NULL, "程序版本"},
	{"db", 's', 0, NULL, "数据库：sqlite 或 postgresql"},
	{0},
};
static const zb_shape health_shape = {"Health", health_props, 0, 0, "进程存活（不访问数据库）"};

static const zb_prop ready_props[] = {
	{"status", 's', 0, NULL, "总是 ready"},
	{"db", 's', 0, NULL, "数据库：sqlite 或 postgresql"},
	{"schema_version", 'i', 0, NULL, "数据库结构版本"},
	{"checks", 'a', 0, &zb_shape_string, "通过的检查：database、schema、key"},
	{0},
};
static const zb_shape ready_shape = {"Ready", ready_props, 0, 0,
                                     "可以接收请求；未就绪时回答 503，error.field 指明未通过的检查"};

/* the document itself: an object whose members OpenAPI defines */
static const zb_shape openapi_shape = {"OpenApiDocument", NULL, 0, 'j', "OpenAPI 3.1 文档"};

const zb_route zb_routes_system[] = {
	{.method = "GET", .pattern = "/api/v1/health", .fn = h_health,
	 .flags = R_PUBLIC | R_NOLOG | R_NODB, .resp = ZB_OK(&health_shape),
	 .tag = "system", .summary = "存活检查（不访问数据库）"},
	{.method = "GET", .pattern = "/api/v1/ready", .fn = h_ready,
	 .flags = R_PUBLIC | R_NOLOG | R_NODB, .resp = ZB_OK(&ready_shape),
	 .tag = "system", .summary = "就绪检查（数据库连接、结构版本、密钥文件）"},
	{.method = "GET", .pattern = "/metrics", .fn = h_metrics,
	 .flags = R_PUBLIC | R_NOLOG | R_NODB, .resp = ZB_MEDIA("text/plain"),
	 .tag = "system", .summary = "监控指标（Prometheus 文本格式；仅本机或持 ZHIBU_METRICS_TOKEN，其余回答 404）"},
	{.method = "GET", .pattern = "/api/v1/openapi.json", .fn = h_openapi,
	 .flags = R_PUBLIC, .resp = ZB_OK(&openapi_shape),
	 .tag = "system", .summary = "接口描述（OpenAPI 3.1）"},
	{0},
};
