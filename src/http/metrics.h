/* metrics.h - counters for GET /metrics (Prometheus text format 0.0.4).
 *
 * The server records every answered request once (zb_metrics_request, from
 * http/server.c where the access-log line is written): by route pattern,
 * method and status class, and in one latency histogram.  The counters are
 * process-wide atomics: recording takes no lock and no allocation.
 * zb_metrics_render writes the exposition: those counters, the in-flight
 * gauges (requests, upload bytes, audit queue), database time
 * (store/db.h zb_db_stats), active sessions (one COUNT on db) and build
 * information.
 *
 * Access (zb_metrics_allowed): a client connected from a loopback address
 * that did not come through a proxy (no X-Forwarded-For header), or one
 * presenting `Authorization: Bearer <ZHIBU_METRICS_TOKEN>` when that
 * setting is present; everyone else gets the 404 of an unknown path.
 */
#ifndef ZB_METRICS_H
#define ZB_METRICS_H

#include <stdint.h>

#include "http/http.h"

/* rt NULL: no route (api 1: an unknown API path; api 0: a web file). */
void zb_metrics_request(const zb_route *rt, int api, int status, int64_t ns);
/* 1 if this request may read /metrics. */
int zb_metrics_allowed(zb_req *r);
/* Append the exposition to out; db may be NULL (sessions then omitted). */
int zb_metrics_render(zb_buf *out, zb_app *app, zb_db *db);
/* Requests between their first call and completion (http/server.c). */
int zb_server_inflight(void);

#endif
