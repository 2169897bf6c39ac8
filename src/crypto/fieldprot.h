/* fieldprot.h - protection of sensitive field values (ID numbers, phones).
 *
 * A master key lives in a key file outside the database; the database holds
 * only ciphertext (for display after decryption), a blind index (for exact
 * lookup without decryption) and a key fingerprint (to notice at start that
 * the key file does not belong to this database).  Format and rationale:
 * docs/SECURITY-FIELDS.md.
 *
 * A zb_keys is immutable after it is made, so one instance may be shared by
 * every thread without locking.  Output buffers are appended to, never
 * reset; on failure they are left exactly as they were.
 */
#ifndef ZB_CRYPTO_FIELDPROT_H
#define ZB_CRYPTO_FIELDPROT_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define ZB_KEYS_MASTER_LEN 64        /* bytes of randomness in a key file */
#define ZB_KEYS_MASTER_MIN 32        /* shortest master zb_keys_from_master takes */
#define ZB_KEYS_MASTER_MAX 1024
#define ZB_FP_MAX_PLAINTEXT 65536    /* bytes; larger values are not "fields" */
#define ZB_FP_MAX_AD 1024            /* bytes of associated data */

typedef struct zb_keys zb_keys;

/* Write a new key file at path: 64 random bytes as 128 lowercase hex
 * characters and a newline, mode 0600.  The file is created with O_EXCL, so
 * an existing file (or a symlink at path) is never overwritten: that gives
 * ZB_ECONFLICT.  I/O failures give ZB_EINTERNAL and remove the partial file.
 * The caller must back the file up: data encrypted under it cannot be
 * recovered without it. */
int zb_keys_create(const char *path, zb_err *e);

/* Write the key file that replaces old in a rotation (zhibu key rotate):
 * a new random master key as above, then a line "audit <64 hex>" carrying
 * old's audit key, so the audit chain, its checkpoints and the keys derived
 * from it continue unchanged (docs/SECURITY-FIELDS.md, "Key rotation").
 * Atomic: written to path.tmp (a stale one is removed first), synced, then
 * linked to path, which never replaces an existing file (ZB_ECONFLICT);
 * the directory is synced.  Mode 0600. */
int zb_keys_create_next(const char *path, const struct zb_keys *old, zb_err *e);

/* fsync the directory holding path (buf: scratch of cap bytes for its
 * name).  Best effort: makes a rename or link in it durable. */
void zb_fsync_dir_of(const char *path, char *buf, size_t cap);

/* Read a key file and derive the subkeys.  Refuses (ZB_EINVAL, message
 * naming the path) a file that is not a regular file, that group or other
 * users may access in any way (mode must be 0600 or stricter), or whose
 * content is not exactly 128 hex characters (one trailing newline allowed),
 * optionally followed by one line "audit <64 hex>" (a rotated key file: the
 * audit key is then that value rather than derived from the master).
 * On success *out is a new object the caller frees with zb_keys_free; on
 * failure *out is NULL. */
int zb_keys_load(const char *path, zb_keys **out, zb_err *e);

/* The same derivation from a master key held in memory (tests, fuzzing,
 * tools).  len must be ZB_KEYS_MASTER_MIN..ZB_KEYS_MASTER_MAX (ZB_EINVAL
 * otherwise).  The caller keeps ownership of master and should wipe it. */
int zb_keys_from_master(const unsigned char *master, size_t len, zb_keys **out,
			zb_err *e);

/* Wipes and frees; NULL is fine. */
void zb_keys_free(zb_keys *k);

/* The 32-byte key for the tamper-evident audit chain (HMAC-SM3 over each
 * entry).  Valid as long as k is; *len receives its length.  The other
 * subkeys are not exposed: only this module uses them. */
const unsigned char *zb_keys_audit_key(const zb_keys *k, size_t *len);

/* Encrypt a NUL-terminated value (at most ZB_FP_MAX_PLAINTEXT bytes, else
 * ZB_ETOOBIG) bound to the associated data ad (NUL-terminated, at most
 * ZB_FP_MAX_AD bytes, "" allowed; not stored, the caller must give the same
 * again to decrypt: where the value lives, e.g. "members/42/id_number") and
 * append its text form "v2:<base64url>" to out.  Each call uses a fresh
 * random IV, so equal values give different ciphertexts: use
 * zb_fp_blind_index to look values up.  Fails only with ZB_ETOOBIG (value,
 * ad or out cap) or ZB_EINTERNAL. */
int zb_fp_encrypt(const zb_keys *k, const char *plaintext, const char *ad, zb_buf *out);

/* Verify and decrypt text made by zb_fp_encrypt with the same ad, appending
 * the value to out.  The MAC is checked (in constant time) before anything
 * is decrypted, so a wrong key, another ad (a value copied from another row
 * or field), an edited character or a truncated value always fails and
 * never yields garbage.  Text in the older "v1:" format has no associated
 * data: it is read under the same key whatever ad is (until a rotation
 * rewrites it as v2).  Any failure is ZB_EINTERNAL with a Chinese message
 * (naming ad for a v2 MAC failure): the text normally comes from our own
 * database, so a failure means a wrong key file or damaged or moved data,
 * a server-side problem rather than bad input.  The caller owns the
 * plaintext in out and should wipe it when done if it lives long
 * (sodium_memzero). */
int zb_fp_decrypt(const zb_keys *k, const char *text, const char *ad, zb_buf *out, zb_err *e);

/* Format version of a stored text: 1 ("v1:"), 2 ("v2:"), 0 otherwise. */
int zb_fp_version(const char *text);

/* Deterministic keyed index of a value for exact-match lookup: lowercase
 * hex of HMAC-SM3(blind-index key, value), 64 characters plus NUL.  The
 * caller must normalise first (zb_idcard_parse for ID numbers, digits only
 * for phones), otherwise "110105...x" and "110105...X" index differently.
 * Returns 0 or ZB_EINTERNAL. */
int zb_fp_blind_index(const zb_keys *k, const char *normalized_value,
		      char out_hex[65]);

/* A value derived from the master key by a fixed label, as lowercase hex.
 * Store it in the database when the key is first used; compare it at every
 * start with zb_fp_key_verify.  It reveals nothing about the subkeys. */
void zb_fp_key_fingerprint(const zb_keys *k, char out_hex[65]);

/* 0 if stored_hex is this key's fingerprint (constant-time comparison),
 * else ZB_EINVAL with a message saying the key file does not match. */
int zb_fp_key_verify(const zb_keys *k, const char *stored_hex, zb_err *e);

/* Masking for display: append a copy of the value with its middle replaced
 * by '*' (one per character).  Counting is by UTF-8 character; a value that
 * is not valid UTF-8 is masked entirely (one '*' per byte).  NULL is taken
 * as "".  Return 0 or ZB_ETOOBIG (out's cap).
 *
 * ID number: nothing is kept, one '*' per character
 * ("******************"), because the region, the birth date and the
 * checksum can be narrowed from what lists show beside it (see
 * docs/SECURITY.md, "What each role can see").  Phone: n >= 11 keeps the
 * first 3 and last 4
 * ("138****5678"); 7..10 keeps 2 and 2 (landlines); 3..6 keeps 1 and 1;
 * shorter is all '*'. */
int zb_mask_id_number(const char *id, zb_buf *out);
int zb_mask_phone(const char *phone, zb_buf *out);

#endif
