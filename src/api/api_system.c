/* api_system.c - health and the API description. */
#include "api/api.h"
#include "version.h"

static int h_health(zb_req *r, zb_err *e)
{
	int rc = zb_db_ping(r->db, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kstr(&r->jw, "status", "ok");
	jw_kstr(&r->jw, "version", ZB_VERSION);
	jw_kstr(&r->jw, "db", zb_db_backend(r->db) == ZB_DB_PG ? "postgresql" : "sqlite");
	jw_obj_end(&r->jw);
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
static const zb_shape health_shape = {"Health", health_props, 0, 0, "服务状态"};

/* the document itself: an object whose members OpenAPI defines */
static const zb_shape openapi_shape = {"OpenApiDocument", NULL, 0, 'j', "OpenAPI 3.1 文档"};

const zb_route zb_routes_system[] = {
	{"GET", "/api/v1/health", h_health, 0, S_NONE, R_PUBLIC | R_NOLOG, 0, NULL, "system", "健康检查", NULL,
	 ZB_OK(&health_shape)},
	{"GET", "/api/v1/openapi.json", h_openapi, 0, S_NONE, R_PUBLIC, 0, NULL, "system", "接口描述（OpenAPI 3.1）", NULL,
	 ZB_OK(&openapi_shape)},
	{0},
};
