/* db.h - the one storage interface.  Domain code and handlers see only this.
 *
 * A zb_db is one connection, used by one thread at a time (the HTTP server
 * keeps one per worker thread, see http/server.c).  SQL is written once,
 * with `?` placeholders, in the dialect SQLite 3.40 and PostgreSQL 15 share
 * (RETURNING, ON CONFLICT, LIMIT ?, || ...); the PostgreSQL backend rewrites
 * `?` to `$n`.  Values: integers are int64, text is UTF-8, timestamps are
 * int64 unix seconds, dates are 'YYYY-MM-DD' text, booleans 0/1 integers.
 *
 * Statements are cached per connection, keyed by the SQL text, so callers
 * prepare on every use and pay for parsing once.
 *
 * Ownership: text/blob pointers returned by zb_col_* stay valid until the
 * next zb_stmt_step/zb_stmt_done on that statement.
 */
#ifndef ZB_DB_H
#define ZB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

typedef struct zb_db zb_db;
typedef struct zb_stmt zb_stmt;

typedef enum zb_db_kind { ZB_DB_SQLITE = 1, ZB_DB_PG = 2 } zb_db_kind;

/* uri: a file path (SQLite) or postgres://... / postgresql://... */
int zb_db_open(const char *uri, zb_db **out, zb_err *e);
void zb_db_close(zb_db *db); /* NULL ok */
zb_db_kind zb_db_backend(const zb_db *db);
/* Checks the connection and reconnects if the server dropped it (PG). */
int zb_db_ping(zb_db *db, zb_err *e);

/* Run one or more statements without parameters (DDL, pragmas). */
int zb_db_exec(zb_db *db, const char *sql, zb_err *e);

/* Prepare (or fetch from cache) and bind in one call.  fmt has one char
 * per `?`: 'i' int64_t, 'I' int64_t where 0 binds NULL (optional ids),
 * 's' const char* (NULL binds NULL), 'b' blob
 * (const void*, size_t), 'n' NULL (no argument), 'd' double.
 * Returns NULL and fills e on failure. */
zb_stmt *zb_db_query(zb_db *db, zb_err *e, const char *sql, const char *fmt, ...);
/* 1 = a row is ready, 0 = done, <0 = error (e filled, code negated). */
int zb_stmt_step(zb_stmt *st, zb_err *e);
/* Release the statement back to the cache.  NULL ok. */
void zb_stmt_done(zb_stmt *st);

int zb_col_count(zb_stmt *st);
int zb_col_is_null(zb_stmt *st, int col);
int64_t zb_col_int(zb_stmt *st, int col);
double zb_col_double(zb_stmt *st, int col);
const char *zb_col_text(zb_stmt *st, int col);   /* NULL for SQL NULL */
const void *zb_col_blob(zb_stmt *st, int col, size_t *len);

/* Run a statement that returns no rows (or ignore them).  Returns 0 or the
 * error code; *changes (may be NULL) gets the number of rows affected. */
int zb_db_run(zb_db *db, zb_err *e, int64_t *changes, const char *sql, const char *fmt, ...);
/* Run a query expected to return one integer (e.g. RETURNING id, COUNT(*)).
 * ZB_ENOTFOUND if no row. */
int zb_db_int(zb_db *db, zb_err *e, int64_t *out, const char *sql, const char *fmt, ...);

/* One row or not found: run the query and hand its first row to fn, which
 * copies the columns it needs into ctx (strings into an arena: they die
 * with the statement).  No row: ZB_ENOTFOUND with the message `missing`
 * (NULL: "未找到记录").  Returns 0 or the error code, never a negated one.
 * fn may be NULL (does a row exist?). */
typedef void (*zb_row_fn)(zb_stmt *st, void *ctx);
int zb_db_one(zb_db *db, zb_err *e, const char *missing, zb_row_fn fn, void *ctx, const char *sql, const char *fmt,
              ...);
/* A zb_row_fn for rows of numbers: every column, as an integer, into the
 * int64_t array ctx (one element per column of the query). */
void zb_row_ints(zb_stmt *st, void *ctx);
/* A zb_row_fn for one text value: the first column into the buffer ctx
 * names (left as it is when the value is NULL, cut to fit). */
typedef struct zb_text_buf {
	char *out;
	size_t n;
} zb_text_buf;
void zb_row_text(zb_stmt *st, void *ctx);
/* Each row: run the query and call fn on every row in order.  fn returns
 * 0 to go on, ZB_DB_STOP to end the walk early with nothing wrong (a page
 * is full), or an error code (having filled e) that stops the walk and
 * is returned.  Returns 0 or the error code, never a negated one. */
typedef int (*zb_each_fn)(zb_stmt *st, void *ctx, zb_err *e);
#define ZB_DB_STOP (-1)
int zb_db_each(zb_db *db, zb_err *e, zb_each_fn fn, void *ctx, const char *sql, const char *fmt, ...);

/* Set-based writes pass many rows as one parameter: a JSON array of
 * arrays, read as a derived table of one column j (one element each), its
 * fields j ->> 0, j ->> 1, ... on both backends (CAST them to BIGINT;
 * NULL for a JSON null).  Write the statement once with a macro taking
 * the source and pick the text by zb_db_backend.  (PostgreSQL reads it as
 * jsonb: parsed once, where each ->> on json would parse the row again.) */
#define ZB_JSON_ROWS_PG "(SELECT value AS j FROM jsonb_array_elements(CAST(? AS JSONB)))"
#define ZB_JSON_ROWS_SQLITE "(SELECT value AS j FROM json_each(?))"

/* Transactions.  begin_write takes the single writer lock at once
 * (BEGIN IMMEDIATE on SQLite) so a transaction never fails half-way on
 * lock upgrade.  Nested begin is an error. */
int zb_db_begin_write(zb_db *db, zb_err *e);
int zb_db_begin_read(zb_db *db, zb_err *e);
int zb_db_commit(zb_db *db, zb_err *e);
void zb_db_rollback(zb_db *db); /* safe to call when no transaction */
int zb_db_in_tx(const zb_db *db);
/* End a write transaction: with rc != 0 roll back and return rc, else
 * commit and return the commit's result (`return zb_db_end(db, rc, e);`). */
int zb_db_end(zb_db *db, int rc, zb_err *e);

/* 1 if the last failure on this connection was a unique-key violation. */
int zb_db_last_was_unique(const zb_db *db);

/* Schema: apply pending migrations (zb_db_migrate) or report whether the
 * schema is current (zb_db_schema_check: ZB_ECONFLICT if behind/ahead). */
int zb_db_migrate(zb_db *db, int *applied, zb_err *e);
int zb_db_schema_check(zb_db *db, zb_err *e);
int zb_db_schema_version(zb_db *db, int *version, zb_err *e);

/* Wall time spent waiting on the database by every connection of this
 * process (prepare, step, exec, commit), and the number of such calls:
 * monotonic counters for /metrics. */
void zb_db_stats(uint64_t *ns, uint64_t *calls);

/* SQLite only: copy the database of db's connection, as one consistent
 * snapshot, into a new file dest_path (which must not exist) with the
 * online backup API; writers on other connections go on meanwhile (WAL).
 * The copy is a self-contained database file (journal mode DELETE), synced
 * to disk.  ZB_EINVAL on PostgreSQL. */
int zb_db_backup_to(zb_db *db, const char *dest_path, zb_err *e);

#endif
