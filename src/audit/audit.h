/* audit.h - the tamper-evident audit trail.
 *
 * Each row carries mac = HMAC-SM3(audit key, prev_mac 0x1e row-content),
 * hex; the chain head (last id, last mac) lives in audit_head, whose row is
 * updated in the same transaction, which serialises appends across threads
 * and app nodes (row lock on PostgreSQL, the single writer on SQLite).
 * Editing, inserting or deleting any row breaks the chain at that row.
 *
 * Changes are audited synchronously inside the transaction that makes
 * them (nothing changes without its audit row).  Reads of personal data
 * are queued and written in batches by one writer thread (at most ~200 ms
 * later; flushed at shutdown) so a read does not cost a commit.
 */
#ifndef ZB_AUDIT_H
#define ZB_AUDIT_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_audit_ev {
	int64_t user_id;          /* 0: anonymous / system */
	const char *username;
	const char *ip;
	const char *action;       /* "member.update", "auth.login", ... */
	const char *object_type;
	const char *object_id;
	const char *org_path;
	const char *detail;       /* JSON summary, sensitive values masked */
	int64_t at;               /* 0: now */
} zb_audit_ev;

/* Append one row.  Inside the caller's write transaction if one is open,
 * otherwise in a transaction of its own. */
int zb_audit_append(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_err *e);

/* Queue a read event (copied).  Without a running writer it is appended
 * at once on the calling thread's connection. */
void zb_audit_enqueue(zb_app *app, const zb_audit_ev *ev);
int zb_audit_writer_start(zb_app *app);
void zb_audit_writer_stop(void);   /* flushes the queue */
void zb_audit_flush(void);         /* wait until the queue is written */

typedef struct zb_audit_check {
	int ok;
	int64_t rows;
	int64_t bad_id;           /* first bad row, 0 if ok */
	char why[200];
} zb_audit_check;

int zb_audit_verify(zb_db *db, zb_app *app, zb_audit_check *out, zb_err *e);

#endif
