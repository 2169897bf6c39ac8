/* app.h - the runtime context shared by the server and the CLI.
 *
 * A zb_app is created once per process.  Database connections are not
 * shared between threads: zb_app_db() returns the calling thread's own
 * connection, opened on first use and closed when the thread ends.
 */
#ifndef ZB_APP_H
#define ZB_APP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/db.h"

struct zb_keys;
struct zb_membudget;

typedef struct zb_config {
	int session_idle_secs;      /* 30 min */
	int session_max_secs;       /* 12 h absolute */
	int lock_after_failures;    /* 5 */
	int lock_secs;              /* 15 min */
	int ip_fail_limit;          /* failed logins per IP per window */
	int ip_fail_window_secs;
	int threads;                /* HTTP worker threads */
	int hash_concurrency;       /* concurrent argon2id hashes */
	int trust_proxy;            /* take client IP and scheme from X-Forwarded-* */
	size_t upload_client_max;   /* request body bytes in flight per client address */
	size_t upload_total_max;    /* request body bytes in flight, all clients */
	size_t answer_client_max;   /* answer bytes not yet taken, per client address */
	size_t answer_total_max;    /* answer bytes not yet taken, all clients */
	size_t import_memory;       /* shared budget of concurrent file parses */
	int denied_audit_per_min;   /* access.denied rows per address+user a minute */
	int conn_per_ip;            /* open connections from one address (0: no limit) */
} zb_config;

typedef struct zb_app {
	char *db_uri;               /* owned */
	char *key_path;             /* owned */
	char *web_root;             /* owned, may be NULL */
	char *data_dir;             /* owned: attachments, imports */
	char *metrics_token;        /* owned, NULL: ZHIBU_METRICS_TOKEN, bearer token for /metrics */
	struct zb_keys *keys;       /* owned */
	zb_config cfg;
	struct zb_membudget *import_budget; /* owned: cfg.import_memory, shared by parses */
	int64_t (*now)(void);       /* clock; tests may replace it */
} zb_app;

/* db_uri and key_path are copied.  key_path NULL: derived from db_uri
 * (for a SQLite file "x.db" -> "x.key"; otherwise ./zhibu.key). */
int zb_app_init(zb_app *app, const char *db_uri, const char *key_path, zb_err *e);
/* Load the key file; fails loudly when missing or not matching the db. */
int zb_app_load_keys(zb_app *app, zb_err *e);
void zb_app_release(zb_app *app);
/* This thread's connection (opened on demand). */
int zb_app_db(zb_app *app, zb_db **out, zb_err *e);
/* Close this thread's connection now (CLI before exit, tests). */
void zb_app_db_close_thread(void);
int64_t zb_now(const zb_app *app);
/* Today's date as "YYYY-MM-DD" in China time (UTC+8) and yyyymmdd int. */
void zb_today(const zb_app *app, char out[11]);
int zb_today_int(const zb_app *app);

#endif
