/* audit.h - the tamper-evident audit trail.
 *
 * Each row carries mac = HMAC-SM3(audit key, prev_mac 0x1e row-content),
 * hex; the chain head (last id, last mac) lives in audit_head, whose row is
 * updated in the same transaction, which serialises appends across threads
 * and app nodes (row lock on PostgreSQL, the single writer on SQLite).
 * Editing, inserting or deleting any row breaks the chain at that row.
 * The head itself carries head_mac = HMAC-SM3(audit key, "zhibu-audit-head"
 * 0x1e last_id 0x1f last_mac), so deleting the last rows and moving the
 * head back shows; an append refuses (ZB_EINTERNAL) to extend a head that
 * is missing or whose MAC is absent or wrong, so a write can never launder
 * such a cut.  Returning the whole database to an older genuine state is
 * caught only by checkpoints kept outside it (zb_audit_anchor).
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
#include "core/buf.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
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
/* Append n events, in order, inside the caller's open write transaction:
 * the chain head is read, checked and written once for all of them (a
 * bulk write such as the roster import).  ZB_EINTERNAL outside one. */
int zb_audit_append_many(zb_db *db, zb_app *app, const zb_audit_ev *const *evs, size_t n, zb_err *e);

/* A domain write's audit row: who's user, name and address (the rest of
 * *who is ignored) with the action, object and detail given; inside the
 * caller's write transaction. */
int zb_audit_change(zb_db *db, zb_app *app, const zb_audit_ev *who, const char *action, const char *object_type,
                    int64_t object_id, const char *org_path, const char *detail, zb_err *e);
/* The JSON object detail of such a row, built member by member:
 *   zb_audit_detail d;
 *   zb_jw *w = zb_audit_detail_begin(&d);
 *   jw_kint(w, "months", 6); ...
 *   rc = zb_audit_change_detail(db, app, by, action, type, id, path, &d, e);
 * which closes the object, appends the row and frees the buffer. */
typedef struct zb_audit_detail {
	zb_buf b;
	zb_jw w;
} zb_audit_detail;
zb_jw *zb_audit_detail_begin(zb_audit_detail *d);
int zb_audit_change_detail(zb_db *db, zb_app *app, const zb_audit_ev *who, const char *action,
                           const char *object_type, int64_t object_id, const char *org_path, zb_audit_detail *d,
                           zb_err *e);

/* Queue a read event (copied).  Without a running writer it is appended
 * at once on the calling thread's connection. */
void zb_audit_enqueue(zb_app *app, const zb_audit_ev *ev);
int zb_audit_writer_start(zb_app *app);
void zb_audit_writer_stop(void);   /* flushes the queue */
void zb_audit_flush(void);         /* wait until the queue is written */
int zb_audit_queue_len(void);      /* read events waiting for the writer (/metrics) */

/* Reading the trail, newest first (trail.c).  A row is listed when its
 * org path lies within one of roots[0..nroots) (org paths); rows without
 * an org (logins, accounts) only for a root that is the top of a tree.
 * Filters: id < before, from <= at <= to, user (0: any), action (NULL:
 * any; "member" also matches "member.update"), object_type and object_id
 * (NULL: any).  At most limit rows into *rows (arena); *more = 1 when
 * there are more past the last one. */
typedef struct zb_audit_row {
	int64_t id, at, user_id;
	const char *username, *ip, *action, *object_type, *object_id, *org_path, *detail;
} zb_audit_row;
typedef struct zb_audit_filter {
	int64_t before, from, to, user;
	const char *action, *object_type, *object_id;
} zb_audit_filter;
int zb_audit_list(zb_db *db, const zb_audit_filter *f, const char *const *roots, int nroots, int64_t limit,
                  zb_arena *a, zb_audit_row **rows, int64_t *n, int *more, zb_err *e);

typedef struct zb_audit_check {
	int ok;
	int64_t rows;             /* rows read */
	int64_t head_id;          /* last row the head names (0: none) */
	int64_t bad_id;           /* first bad row; 0 if ok or not one row */
	int64_t anchors;          /* checkpoints compared with their row */
	int64_t anchor_at;        /* zb_audit_anchor: time of the new one */
	char why[400];            /* the first problem, Chinese; "" if ok */
} zb_audit_check;

/* Verify the whole trail: head and rows are read in one snapshot (a read
 * transaction of its own: zb_db_begin_read, deferred on SQLite, REPEATABLE
 * READ on PostgreSQL), so a writer committing meanwhile changes nothing;
 * the answer is about the chain up to the head of that snapshot.  A caller
 * with a transaction open must make it a snapshot itself (a write
 * transaction holding the head, or zb_db_begin_read).  Checked: ids contiguous from 1, each row
 * linked to the one before and its MAC right, the head present, naming
 * the last row, with a valid head MAC (an unsigned head is accepted only
 * in the state a fresh schema starts in).
 *
 * anchors_path (NULL: none) names a file written by zb_audit_anchor; it
 * is read before the snapshot begins.  Every line must carry a valid
 * signature; a checkpoint whose row has another MAC means rewriting, one
 * past the last row means truncation.  A file that cannot be read is an
 * error (ZB_EINVAL); a bad line fails the check.
 *
 * Returns 0 with out filled (out->ok), or an error code with e filled. */
int zb_audit_verify(zb_db *db, zb_app *app, const char *anchors_path, zb_audit_check *out, zb_err *e);

/* Verify as above with the checkpoints already in path (a missing file
 * has none), then append one line for the verified head to path:
 *   zhibu-audit-anchor v1 id=ROW at=UNIXTIME mac=ROWMAC sig=HMAC
 * sig = HMAC-SM3(anchor key, "zhibu-audit-anchor v1" 0x1e id 0x1f at 0x1f
 * mac); the anchor key is derived from the audit key with its own label.
 * Nothing is written when the check fails (out->ok 0, return 0).  An
 * empty trail gives ZB_ECONFLICT. */
int zb_audit_anchor(zb_db *db, zb_app *app, const char *path, zb_audit_check *out, zb_err *e);

/* Re-seal a head that is missing, unsigned, wrong or not at the last
 * row, after the rows themselves verify: in one write transaction the
 * head is set to the last row with a fresh head MAC and an "audit.seal"
 * row (from ev's user and address) records the previous head id.
 * *sealed 0 with out->ok 1: the head was fine, nothing written.
 * out->ok 0: the rows are damaged (out->why), nothing written.  After a
 * seal out->why says what was wrong with the head.  Truncation sealed
 * this way stays visible to checkpoints taken before it. */
int zb_audit_seal(zb_db *db, zb_app *app, const zb_audit_ev *ev, zb_audit_check *out, int *sealed, zb_err *e);

#endif
