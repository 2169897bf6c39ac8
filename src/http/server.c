/* server.c - libmicrohttpd glue: request lifecycle, access log, shutdown.
 *
 * The response is queued on the second call of the access handler (first
 * call only sets *con_cls), which keeps keep-alive working (STACK.md).
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to
 * 10 s), flush the audit queue, close databases.
 */
#include "http/http.h"
#include "audit/audit.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static atomic_int inflight;
static volatile sig_atomic_t stop_flag;

static const char CSP[] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
                          "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
                          "form-action 'self'; frame-ancestors 'none'";

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *client_ip(struct MHD_Connection *c, zb_app *app, zb_arena *a)
{
	if (app->cfg.trust_proxy) {
		const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff && *xff) {
			const char *comma = strchr(xff, ',');
			return zb_arena_strndup(a, xff, comma ? (size_t)(comma - xff) : strlen(xff));
		}
	}
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[64] = "?";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
	}
	return zb_arena_strdup(a, buf);
}

static void add_common_headers(struct MHD_Response *resp, zb_req *r)
{
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "application/json; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "geolocation=(self), camera=(self), microphone=()");
	MHD_add_response_header(resp, "Cache-Control", r->cache_control ? r->cache_control : "no-store");
	if (r->set_cookie)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
	if (r->disposition)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
}

static void request_free(zb_req *r)
{
	if (!r)
		return;
	zb_buf_release(&r->body);
	zb_buf_release(&r->out);
	if (r->json)
		json_decref(r->json);
	zb_arena_free(&r->arena);
	free(r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	zb_app *app = cls;
	zb_req *r = *con_cls;
	if (!r) {
		r = calloc(1, sizeof *r);
		if (!r)
			return MHD_NO;
		zb_arena_init(&r->arena);
		r->app = app;
		r->conn = c;
		r->started_ns = mono_ns();
		r->method = zb_arena_strdup(&r->arena, method);
		r->path = zb_arena_strdup(&r->arena, url);
		/* bodies are capped at the largest route cap (uploads); the
		 * route's own cap is enforced by the dispatcher */
		zb_buf_init(&r->body, 24u << 20);
		zb_buf_init(&r->out, 256u << 20);
		atomic_fetch_add(&inflight, 1);
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->body_too_big && zb_buf_append(&r->body, upload, *upload_size))
			r->body_too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	r->ip = client_ip(c, app, &r->arena);
	if (!strncmp(r->path, "/api/", 5))
		zb_dispatch(r);
	else
		zb_static_serve(r);

	/* hand the body to libmicrohttpd without copying it */
	size_t len = 0;
	char *body = zb_buf_detach(&r->out, &len);
	struct MHD_Response *resp = body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
	                                 : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	add_common_headers(resp, r);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);

	if (!(r->route && (r->route->flags & R_NOLOG)) && strncmp(r->path, "/assets/", 8)) {
		double ms = (double)(mono_ns() - r->started_ns) / 1e6;
		/* the path only: query strings may carry search terms */
		zb_info("%s %s %d %.1fms user=%lld ip=%s", r->method, r->path, r->status, ms,
		        (long long)(r->who ? r->who->user_id : 0), r->ip);
	}
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	zb_req *r = *con_cls;
	if (r) {
		request_free(r);
		*con_cls = NULL;
		atomic_fetch_sub(&inflight, 1);
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, zb_err *e)
{
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return zb_fail(e, ZB_EINVAL, "listen", "监听地址应为 主机:端口，例如 127.0.0.1:8080（收到 %s）", listen);
	char host[64];
	size_t hl = (size_t)(colon - listen);
	if (hl >= sizeof host)
		return zb_fail(e, ZB_EINVAL, "listen", "监听地址过长：%s", listen);
	memcpy(host, listen, hl);
	host[hl] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return zb_fail(e, ZB_EINVAL, "listen", "端口无效：%s", colon + 1);
	sa->sin_port = htons((uint16_t)port);
	if (!*host || !strcmp(host, "0.0.0.0"))
		sa->sin_addr.s_addr = htonl(INADDR_ANY);
	else if (!strcmp(host, "localhost"))
		sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	else if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		return zb_fail(e, ZB_EINVAL, "listen", "主机地址无效：%s", host);
	return 0;
}

int zb_server_run(zb_app *app, const char *listen, zb_err *e)
{
	struct sockaddr_in sa;
	int rc = parse_listen(listen, &sa, e);
	if (rc)
		return rc;
	struct sigaction act = {0};
	act.sa_handler = on_signal;
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);
	stop_flag = 0;

	if (zb_audit_writer_start(app))
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法启动审计写入线程");
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO, 0, NULL, NULL, on_request, app,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!d) {
		zb_audit_writer_stop();
		return zb_fail(e, ZB_EUNAVAIL, "listen", "无法在 %s 上监听（端口被占用或无权限）", listen);
	}
	zb_info("zhibu serving on http://%s/ (%d threads)", listen, app->cfg.threads);
	while (!stop_flag)
		pause();
	zb_info("shutting down: finishing %d in-flight requests", atomic_load(&inflight));
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	zb_audit_writer_stop();
	zb_app_db_close_thread();
	zb_info("stopped");
	return 0;
}
