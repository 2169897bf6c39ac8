/* server.c - libmicrohttpd glue: request lifecycle, access log, shutdown.
 *
 * The first call of the access handler has the method, URL and headers:
 * it runs every check that needs no body (zb_dispatch_head: route, declared
 * Content-Length against the route's cap, login, CSRF, permission, scope)
 * and counts the declared body against the per-address and total upload
 * limits, so an anonymous or unauthorised client never gets a byte of its
 * body buffered.  A refusal of a request whose body may be large (declared
 * over 64 KiB, chunked, or announced by Expect: 100-continue) is queued on
 * that first call: libmicrohttpd sends it at once instead of 100 Continue
 * and closes the connection without reading the body.  A refusal of a small
 * body is answered after the body was read and dropped, which keeps the
 * connection alive.  Successful responses are queued on the last call,
 * which keeps keep-alive working (docs/DEPENDENCIES.md).  Where the answer is queued it
 * is counted for /metrics (http/metrics.h) and, at ZHIBU_LOG=info, written
 * to the access log.  /api/ paths, /metrics and /gk/ (the villages' public
 * 三务公开 pages) go to the dispatcher.
 * JSON answers over GZIP_MIN bytes are gzip-compressed (zlib, level
 * GZIP_LEVEL) when the client's Accept-Encoding takes gzip, and say
 * Vary: Accept-Encoding either way; web files come precompressed
 * (static.c).  The cost is measured by bench/compress.sh.
 * SIGTERM/SIGINT: stop accepting, let in-flight requests finish (up to
 * 10 s), write pending denial summaries, flush the audit queue, close
 * databases.
 */
#include "http/http.h"
#include "http/metrics.h"
#include "audit/audit.h"
#include "core/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static atomic_int inflight;
static volatile sig_atomic_t stop_flag;

int zb_server_inflight(void) { return atomic_load(&inflight); }

/* Paths the dispatcher answers: the API, the metrics exposition and the
 * public pages of the villages' 三务公开 (/gk/, api/api_disclose.c). */
static int api_path(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/metrics") || !strncmp(path, "/gk/", 4);
}

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
		/* the last entry is the one the trusted proxy wrote: a proxy that
		 * appends leaves the earlier entries to the client, who may send
		 * any (docs/DEPLOY.md: better, the proxy replaces the header) */
		const char *xff = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff && *xff) {
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ' || *last == '\t')
				last++;
			size_t n = strlen(last);
			while (n && (last[n - 1] == ' ' || last[n - 1] == '\t'))
				n--;
			if (n)
				return zb_arena_strndup(a, last, n);
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

/* Refusals of bodies up to this size are answered after reading them. */
#define DRAIN_MAX (64u * 1024)

static void add_common_headers(struct MHD_Response *resp, zb_req *r)
{
	/* only over HTTPS (a trusted proxy says so): on plain HTTP the
	 * header is meaningless and a spoofed one must not be echoed */
	if (zb_req_https(r))
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000; includeSubDomains");
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
	if (r->content_encoding)
		MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
	if (r->vary_encoding)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
}

/* JSON answers smaller than this go out as they are: the gzip header and
 * a round of deflate would cost more than the bytes they save. */
#define GZIP_MIN 2048
/* zlib level 3: on a roster page it costs what level 1 does and sends 6 %
 * fewer bytes; level 5 takes 1.8 times as long for 9 % fewer
 * (docs/PERFORMANCE.md, bench/compress.sh). */
#define GZIP_LEVEL 3

static int is_json(const zb_req *r)
{
	return !r->content_type || !strncmp(r->content_type, "application/json", 16);
}

/* Each worker thread keeps one deflate state and resets it per answer:
 * setting one up (256 KiB of tables) cost as much as compressing a roster
 * page. */
static pthread_key_t deflater_key;
static pthread_once_t deflater_once = PTHREAD_ONCE_INIT;

static void deflater_free(void *p)
{
	deflateEnd(p);
	free(p);
}

static void deflater_key_make(void)
{
	if (pthread_key_create(&deflater_key, deflater_free))
		zb_warn("gzip: no thread key, JSON answers go out uncompressed");
}

static z_stream *deflater(void)
{
	if (pthread_once(&deflater_once, deflater_key_make))
		return NULL;
	z_stream *zs = pthread_getspecific(deflater_key);
	if (zs)
		return deflateReset(zs) == Z_OK ? zs : NULL;
	zs = calloc(1, sizeof *zs);
	if (!zs)
		return NULL;
	if (deflateInit2(zs, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(zs);
		return NULL;
	}
	if (pthread_setspecific(deflater_key, zs)) {
		deflater_free(zs);
		return NULL;
	}
	return zs;
}

/* gzip r->out in place when the answer and the client allow it; on any
 * failure the answer goes out as it is. */
static void compress_json(struct MHD_Connection *c, zb_req *r)
{
	if (!is_json(r) || r->content_encoding || r->out.len < GZIP_MIN || r->status == 204 || r->status == 304)
		return;
	r->vary_encoding = 1;
	if (!zb_accepts_encoding(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding"), "gzip"))
		return;
	z_stream *zs = deflater();
	if (!zs)
		return;
	uLong bound = deflateBound(zs, (uLong)r->out.len);
	char *dst = malloc(bound);
	if (!dst)
		return;
	zs->next_in = (Bytef *)r->out.data;
	zs->avail_in = (uInt)r->out.len;
	zs->next_out = (Bytef *)dst;
	zs->avail_out = (uInt)bound;
	int zrc = deflate(zs, Z_FINISH);
	size_t n = zs->total_out;
	if (zrc != Z_STREAM_END || n >= r->out.len) {
		free(dst);
		return;
	}
	/* the compressed bytes become the body (zb_buf_detach hands them on) */
	zb_buf_release(&r->out);
	r->out.data = dst;
	r->out.len = n;
	r->out.cap = bound;
	r->content_encoding = "gzip";
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

static enum MHD_Result respond(struct MHD_Connection *c, zb_req *r)
{
	compress_json(c, r);
	/* a big answer is held until the client takes it: counted per
	 * address, and refused (it is already made, so freed at once) past
	 * the limits */
	if (api_path(r->path) && r->out.len >= ZB_ANSWER_COUNTED) {
		zb_err e = {0};
		if (zb_answer_reserve(r->app, r->ip, r->out.len, &e)) {
			zb_warn("%s %s: answer of %zu bytes refused for %s: %s", r->method, r->path, r->out.len, r->ip,
			        e.msg);
			zb_dispatch_error(r, &e);
			r->content_encoding = NULL;
		} else {
			r->answer_reserved = r->out.len;
		}
	}
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
	r->queued = 1;

	int64_t ns = mono_ns() - r->started_ns;
	zb_metrics_request(r->route, api_path(r->path), r->status, ns);
	if (zb_log_info_on() && !(r->route && (r->route->flags & R_NOLOG)) && strncmp(r->path, "/assets/", 8)) {
		/* the path only: query strings may carry search terms */
		zb_info("%s %s %d %.1fms user=%lld ip=%s", r->method, r->path, r->status, (double)ns / 1e6,
		        (long long)(r->who ? r->who->user_id : 0), r->ip);
	}
	return ret;
}

/* Declared body size: Content-Length, -1 for a chunked body (its size is
 * unknown until it ends), 0 for none. */
static int64_t declared_length(struct MHD_Connection *c)
{
	const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
	if (te && *te)
		return -1;
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (!cl)
		return 0;
	int64_t n = 0;
	for (; *cl >= '0' && *cl <= '9'; cl++) {
		if (n > (INT64_MAX - 9) / 10)
			return INT64_MAX;
		n = n * 10 + (*cl - '0');
	}
	return n;
}

/* First call: everything decided before the body.  Returns 0 to go on. */
static int begin(zb_app *app, zb_req *r)
{
	int api = api_path(r->path);
	int failed = api ? zb_dispatch_head(r) : zb_static_head(r);
	if (failed)
		return failed;
	size_t max = zb_route_max_body(r->route);
	if (r->content_length > 0) {
		zb_err e = {0};
		if (zb_upload_reserve(app, r->ip, (size_t)r->content_length, &e)) {
			zb_dispatch_error(r, &e);
			return e.code;
		}
		r->upload_reserved = (size_t)r->content_length;
		max = (size_t)r->content_length; /* at most the route's cap here */
	}
	zb_buf_init(&r->body, max);
	return 0;
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
		r->ip = client_ip(c, app, &r->arena);
		r->content_length = declared_length(c);
		zb_buf_init(&r->body, ZB_DEFAULT_MAX_BODY);
		zb_buf_init(&r->out, 256u << 20);
		atomic_fetch_add(&inflight, 1);
		*con_cls = r;
		if (!begin(app, r))
			return MHD_YES;
		r->head_failed = 1;
		const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
		if (r->content_length < 0 || r->content_length > (int64_t)DRAIN_MAX || (expect && *expect))
			return respond(c, r); /* sent now, instead of 100 Continue; body never read */
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->head_failed)
			return MHD_YES; /* a small refused body: read and dropped */
		if (r->content_length < 0) {
			/* chunked: counted as it comes; past a limit the
			 * connection is closed (no answer can be queued now) */
			zb_err e = {0};
			if (r->body.len + n > r->body.max || zb_upload_reserve(app, r->ip, n, &e)) {
				zb_warn("%s %s: chunked body over its limit from %s, connection closed", r->method, r->path,
				        r->ip);
				return MHD_NO;
			}
			r->upload_reserved += n;
		}
		if (!r->body_too_big && zb_buf_append(&r->body, upload, n))
			r->body_too_big = 1;
		return MHD_YES;
	}
	if (r->queued)
		return MHD_YES;
	if (!r->head_failed) {
		if (api_path(r->path))
			zb_dispatch_body(r);
		else
			zb_static_serve(r);
	}
	return respond(c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	zb_req *r = *con_cls;
	if (r) {
		zb_upload_release(r->ip, r->upload_reserved);
		zb_answer_release(r->ip, r->answer_reserved);
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

int zb_listen_check(const char *listen, zb_err *e)
{
	struct sockaddr_in sa;
	return parse_listen(listen, &sa, e);
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
		/* one address cannot take every connection (behind a proxy every
		 * connection comes from it: the proxy limits its clients) */
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(app->cfg.trust_proxy ? 0 : app->cfg.conn_per_ip),
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
	if (!d) {
		zb_audit_writer_stop();
		return zb_fail(e, ZB_EUNAVAIL, "listen", "无法在 %s 上监听（端口被占用或无权限）", listen);
	}
	zb_info("zhibu serving on http://%s/ (%d threads)", listen, app->cfg.threads);
	while (!stop_flag) {
		sleep(1); /* a signal ends it early */
		zb_deny_sweep(app, 0);
	}
	zb_info("shutting down: finishing %d in-flight requests", atomic_load(&inflight));
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 1000 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	zb_deny_sweep(app, 1);
	zb_audit_writer_stop();
	zb_app_db_close_thread();
	zb_info("stopped");
	return 0;
}
