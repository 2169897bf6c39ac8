/* attach.h - photos and PDFs of a meeting.
 *
 * The type is decided from the content only (magic bytes plus a structural
 * check: JPEG SOI..EOI, PNG signature and IHDR chunk, PDF header and an
 * %%EOF trailer); the uploaded name is kept for display and never decides
 * anything.  Files live under <data dir>/attachments/ with a random
 * 32-hex-character name, mode 0600, written to a temporary name and
 * renamed, so a half-written file is never served.
 */
#ifndef ZB_MEETING_ATTACH_H
#define ZB_MEETING_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "store/db.h"

#define ZB_ATTACH_MAX_BYTES (10u << 20)   /* per file */
#define ZB_ATTACH_MAX_PER_MEETING 20
#define ZB_ATTACH_NAME_MAX 200            /* bytes of the display name */

/* "jpeg", "png", "pdf", or NULL when the content is none of them. */
const char *zb_attach_sniff(const void *data, size_t len);
const char *zb_attach_content_type(const char *kind); /* image/jpeg ... */

/* Clean a display name: the last path component, control characters
 * removed, at most ZB_ATTACH_NAME_MAX bytes of valid UTF-8.  NULL or empty
 * gives "附件".  Result in out (size >= ZB_ATTACH_NAME_MAX + 1). */
void zb_attach_clean_name(const char *in, char *out, size_t outsz);

typedef struct zb_attachment {
	int64_t id, meeting_id;
	const char *kind, *filename, *sm3, *stored_name;
	int64_t size, created_by, created_at;
} zb_attachment;

/* A file as received, before it is checked and stored. */
typedef struct zb_attach_in {
	const char *filename;
	const void *data;
	size_t len;
} zb_attach_in;

/* The content checks of zb_attach_store, writing nothing: not empty, at
 * most ZB_ATTACH_MAX_BYTES, JPEG/PNG/PDF by content (*kind).  Errors:
 * ZB_EINVAL (empty), ZB_ETOOBIG, ZB_EMEDIA.  A save with several files
 * checks them all before it writes the first. */
int zb_attach_check(const void *data, size_t len, const char **kind, zb_err *e);

/* Store data for a meeting (caller's write transaction): checks type,
 * size and the per-meeting cap, writes the file, inserts the row.  If the
 * transaction is rolled back afterwards the caller removes the file with
 * zb_attach_remove_file(data_dir, stored_name).  Errors: ZB_EMEDIA (not
 * JPEG/PNG/PDF), ZB_ETOOBIG, ZB_ECONFLICT (cap), ZB_EINVAL (empty). */
int zb_attach_store(zb_db *db, const char *data_dir, int64_t meeting_id, const char *filename, const void *data,
                    size_t len, int64_t by_user, int64_t now, zb_attachment *out, char stored_name[33], zb_err *e);
void zb_attach_remove_file(const char *data_dir, const char *stored_name);
/* The file part of zb_attach_store, for other records that keep photos in
 * the same store (aid/photo.c): data (checked already) written under a
 * new random name, its SM3 digest as hex. */
int zb_attach_write_new(const char *data_dir, const void *data, size_t len, char stored_name[33], char digest[65],
                        zb_err *e);
/* zb_attach_write_new with the checks first, for other records that keep
 * photos (the 驻村 work log, village/): checks the content (*kind), cleans the
 * display name (name), digests it (sm3, hex) and writes it under a new
 * random stored_name; the caller inserts its own row and removes the file
 * with zb_attach_remove_file when that fails. */
int zb_attach_save_file(const char *data_dir, const char *filename, const void *data, size_t len, const char **kind,
                        char name[ZB_ATTACH_NAME_MAX + 1], char sm3[65], char stored_name[33], zb_err *e);

/* zb_attach_save_file and the caller's row in one write transaction:
 * row(db, ctx, f, e) inserts the record's row and its audit row; on any
 * failure the transaction is rolled back and the file removed.  *f holds
 * what was saved (the 述职's files, the 驻村 log's). */
typedef struct zb_attach_saved {
	const char *kind;
	char name[ZB_ATTACH_NAME_MAX + 1], sm3[65], stored[33];
	size_t len;
} zb_attach_saved;
int zb_attach_save_row(zb_db *db, const char *data_dir, const char *filename, const void *data, size_t len,
                       int (*row)(zb_db *db, void *ctx, const zb_attach_saved *f, zb_err *e), void *ctx,
                       zb_attach_saved *f, zb_err *e);

/* Read a stored file into out (at most ZB_ATTACH_MAX_BYTES). */
int zb_attach_read_file(const char *data_dir, const char *stored_name, zb_buf *out, zb_err *e);


/* The kind, display name and stored name of attachment id (arena a);
 * ZB_ENOTFOUND when there is none. */
int zb_attach_find(zb_db *db, int64_t id, zb_arena *a, const char **kind, const char **filename,
                   const char **stored_name, zb_err *e);
/* The meeting an attachment belongs to. */
int zb_attach_meeting_of(zb_db *db, int64_t id, int64_t *meeting_id, zb_err *e);
/* Store a file for the meeting (org path org_path) in a transaction of
 * its own with the "meeting.attachment" audit row (by: the caller, as in
 * meeting/record.h; late: a late edit); a refused upload leaves no file. */
int zb_attach_upload(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t meeting_id, const char *org_path,
                     const zb_attach_in *f, int late, int64_t now, zb_arena *a, zb_attachment *out, zb_err *e);
/* Delete an attachment of the meeting with its audit row, then its file. */
int zb_attach_delete(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t meeting_id,
                     const char *org_path, zb_arena *a, zb_err *e);

#endif
