/* metrics.c - request counters and the Prometheus exposition (metrics.h). */
#include "http/metrics.h"
#include "audit/audit.h"
#include "version.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define CLASSES 5 /* 1xx..5xx */
#define MAX_TABLES 64

/* latency buckets, seconds (upper bounds) */
static const double BUCKETS[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKETS (sizeof BUCKETS / sizeof BUCKETS[0])

static struct {
	pthread_once_t once;
	const zb_route *tab[MAX_TABLES];
	size_t tab_len[MAX_TABLES], tab_base[MAX_TABLES];
	size_t ntab, nroutes;          /* rows of all tables */
	atomic_uint_fast64_t *req;     /* [(nroutes + 2) * CLASSES]: routes, unmatched, static */
	atomic_uint_fast64_t hist[NBUCKETS + 1];
	atomic_uint_fast64_t sum_us, count;
} M = {.once = PTHREAD_ONCE_INIT};

static void init(void)
{
	size_t base = 0;
	for (const zb_route *const *t = zb_route_tables(); *t && M.ntab < MAX_TABLES; t++) {
		size_t n = 0;
		while ((*t)[n].method)
			n++;
		M.tab[M.ntab] = *t;
		M.tab_len[M.ntab] = n;
		M.tab_base[M.ntab] = base;
		M.ntab++;
		base += n;
	}
	M.nroutes = base;
	M.req = calloc((M.nroutes + 2) * CLASSES, sizeof *M.req);
}

static size_t route_index(const zb_route *rt, int api)
{
	if (!rt)
		return api ? M.nroutes : M.nroutes + 1;
	for (size_t i = 0; i < M.ntab; i++)
		if (rt >= M.tab[i] && rt < M.tab[i] + M.tab_len[i])
			return M.tab_base[i] + (size_t)(rt - M.tab[i]);
	return M.nroutes; /* a route outside the tables (in-process callers) */
}

void zb_metrics_request(const zb_route *rt, int api, int status, int64_t ns)
{
	pthread_once(&M.once, init);
	int cls = status / 100 - 1;
	if (cls < 0 || cls >= CLASSES)
		cls = CLASSES - 1;
	if (M.req)
		atomic_fetch_add_explicit(&M.req[route_index(rt, api) * CLASSES + (size_t)cls], 1, memory_order_relaxed);
	double s = (double)ns / 1e9;
	size_t b = 0;
	while (b < NBUCKETS && s > BUCKETS[b])
		b++;
	atomic_fetch_add_explicit(&M.hist[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&M.sum_us, (uint64_t)(ns > 0 ? ns / 1000 : 0), memory_order_relaxed);
	atomic_fetch_add_explicit(&M.count, 1, memory_order_relaxed);
}

/* The socket peer (never X-Forwarded-For) is a loopback address. */
static int peer_is_loopback(zb_req *r)
{
	if (!r->conn)
		return 0;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return 0;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_LOOPBACK(a))
			return 1;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return 0;
}

int zb_metrics_allowed(zb_req *r)
{
	const char *tok = r->app ? r->app->metrics_token : NULL;
	const char *authz = zb_req_header(r, "Authorization");
	if (tok && authz && !strncasecmp(authz, "Bearer ", 7)) {
		const char *got = authz + 7;
		while (*got == ' ')
			got++;
		size_t n = strlen(tok);
		return strlen(got) == n && !sodium_memcmp(got, tok, n);
	}
	/* a proxy on the same host makes every client look local: a request
	 * that names a forwarded client is not a local one */
	const char *xff = zb_req_header(r, "X-Forwarded-For");
	const char *fwd = zb_req_header(r, "Forwarded");
	return peer_is_loopback(r) && !xff && !fwd;
}

/* A label value: backslash, quote and newline escaped. */
static void label(zb_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			zb_buf_putc(b, '\\'), zb_buf_putc(b, *s);
		else if (*s == '\n')
			zb_buf_puts(b, "\\n");
		else
			zb_buf_putc(b, *s);
	}
}

static void req_rows(zb_buf *b, const char *method, const char *route, size_t idx)
{
	for (int c = 0; c < CLASSES; c++) {
		uint64_t v = atomic_load_explicit(&M.req[idx * CLASSES + (size_t)c], memory_order_relaxed);
		if (!v)
			continue;
		zb_buf_puts(b, "zhibu_http_requests_total{method=\"");
		label(b, method);
		zb_buf_puts(b, "\",route=\"");
		label(b, route);
		zb_buf_printf(b, "\",status=\"%dxx\"} %llu\n", c + 1, (unsigned long long)v);
	}
}

int zb_metrics_render(zb_buf *b, zb_app *app, zb_db *db)
{
	pthread_once(&M.once, init);
	if (!M.req)
		return -1;
	zb_buf_puts(b, "# HELP zhibu_build_info 程序版本与数据库类型。\n# TYPE zhibu_build_info gauge\n");
	int pg = app && app->db_uri && (!strncmp(app->db_uri, "postgres://", 11) || !strncmp(app->db_uri, "postgresql://", 13));
	zb_buf_printf(b, "zhibu_build_info{version=\"%s\",backend=\"%s\"} 1\n", ZB_VERSION, pg ? "postgresql" : "sqlite");

	zb_buf_puts(b, "# HELP zhibu_http_requests_total 已回答的请求，按路由模式、方法和状态类别。\n"
	               "# TYPE zhibu_http_requests_total counter\n");
	size_t i = 0;
	for (size_t t = 0; t < M.ntab; t++)
		for (size_t k = 0; k < M.tab_len[t]; k++, i++)
			req_rows(b, M.tab[t][k].method, M.tab[t][k].pattern, i);
	req_rows(b, "any", "unmatched", M.nroutes);
	req_rows(b, "any", "static", M.nroutes + 1);

	zb_buf_puts(b, "# HELP zhibu_http_request_duration_seconds 请求处理时间（收到请求头到排队发送回答）。\n"
	               "# TYPE zhibu_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t k = 0; k <= NBUCKETS; k++) {
		cum += atomic_load_explicit(&M.hist[k], memory_order_relaxed);
		if (k < NBUCKETS)
			zb_buf_printf(b, "zhibu_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", BUCKETS[k],
			              (unsigned long long)cum);
		else
			zb_buf_printf(b, "zhibu_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	zb_buf_printf(b, "zhibu_http_request_duration_seconds_sum %.6f\n",
	              (double)atomic_load_explicit(&M.sum_us, memory_order_relaxed) / 1e6);
	/* the count is the +Inf bucket: the same number, by definition */
	zb_buf_printf(b, "zhibu_http_request_duration_seconds_count %llu\n", (unsigned long long)cum);

	zb_buf_printf(b, "# HELP zhibu_http_requests_in_flight 正在处理的请求。\n# TYPE zhibu_http_requests_in_flight gauge\n"
	                 "zhibu_http_requests_in_flight %d\n", zb_server_inflight());
	zb_buf_printf(b, "# HELP zhibu_upload_bytes_in_flight 正在接收的请求体字节数（所有客户端）。\n"
	                 "# TYPE zhibu_upload_bytes_in_flight gauge\nzhibu_upload_bytes_in_flight %zu\n",
	              zb_upload_in_flight());
	zb_buf_printf(b, "# HELP zhibu_answer_bytes_in_flight 已生成、客户端尚未取完的大应答字节数（所有客户端）。\n"
	                 "# TYPE zhibu_answer_bytes_in_flight gauge\nzhibu_answer_bytes_in_flight %zu\n",
	              zb_answer_in_flight());
	zb_buf_printf(b, "# HELP zhibu_audit_queue_length 等待写入的读取审计记录。\n# TYPE zhibu_audit_queue_length gauge\n"
	                 "zhibu_audit_queue_length %d\n", zb_audit_queue_len());
	uint64_t ns, calls;
	zb_db_stats(&ns, &calls);
	zb_buf_printf(b, "# HELP zhibu_db_seconds_total 等待数据库的时间（准备、执行、提交），本进程所有连接合计。\n"
	                 "# TYPE zhibu_db_seconds_total counter\nzhibu_db_seconds_total %.6f\n", (double)ns / 1e9);
	zb_buf_printf(b, "# HELP zhibu_db_calls_total 数据库调用次数。\n# TYPE zhibu_db_calls_total counter\n"
	                 "zhibu_db_calls_total %llu\n", (unsigned long long)calls);
	if (db && app) {
		int64_t now = zb_now(app), n = 0;
		zb_err e = {0};
		if (!zb_db_int(db, &e, &n, "SELECT COUNT(*) FROM sessions WHERE expires_at > ? AND last_seen > ?", "ii", now,
		               now - app->cfg.session_idle_secs))
			zb_buf_printf(b, "# HELP zhibu_sessions_active 未过期的登录会话（所有节点）。\n"
			                 "# TYPE zhibu_sessions_active gauge\nzhibu_sessions_active %lld\n", (long long)n);
	}
	return 0;
}
