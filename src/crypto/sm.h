/* sm.h - thin wrappers over the Chinese national algorithms (SM3, SM4) in
 * OpenSSL 3.0, plus random bytes from libsodium.
 *
 * Nothing here knows about keys on disk or ciphertext formats; that is
 * fieldprot.h.  These primitives return 0 or a zb_code and do not fill a
 * zb_err: their only failures are internal (library failure, out of memory,
 * absurd lengths), so the caller, who knows what was being done, words the
 * user-facing message.  All functions are safe to call from many threads.
 */
#ifndef ZB_CRYPTO_SM_H
#define ZB_CRYPTO_SM_H

#include <stddef.h>

#define ZB_SM3_LEN 32      /* SM3 digest and HMAC-SM3 output, bytes */
#define ZB_SM4_KEY_LEN 16
#define ZB_SM4_IV_LEN 16   /* initial counter block for CTR mode */

/* Initialise libsodium once per process (pthread_once); every function in
 * this module calls it, so callers need not.  Returns ZB_EINTERNAL if
 * libsodium cannot start (no entropy source) or OpenSSL lacks SM3/SM4. */
int zb_crypto_init(void);

/* HMAC-SM3 of data[0..len) under key[0..keylen) into out (32 bytes).
 * key and data may be NULL when their length is 0. */
int zb_hmac_sm3(const void *key, size_t keylen, const void *data, size_t len,
		unsigned char out[ZB_SM3_LEN]);

/* Incremental HMAC-SM3 over several parts:
 *   zb_hmac_sm3_ctx *c;  zb_hmac_sm3_init(&c, key, keylen);
 *   zb_hmac_sm3_update(c, p1, n1); zb_hmac_sm3_update(c, p2, n2);
 *   zb_hmac_sm3_final(c, out);  zb_hmac_sm3_free(c);
 * The result equals zb_hmac_sm3 over the concatenation.  A context is used
 * by one thread at a time and not reused after final; free it on every
 * path (free accepts NULL, and *out is NULL after a failed init). */
typedef struct zb_hmac_sm3_ctx zb_hmac_sm3_ctx;
int zb_hmac_sm3_init(zb_hmac_sm3_ctx **out, const void *key, size_t keylen);
int zb_hmac_sm3_update(zb_hmac_sm3_ctx *c, const void *data, size_t len);
int zb_hmac_sm3_final(zb_hmac_sm3_ctx *c, unsigned char out[ZB_SM3_LEN]);
void zb_hmac_sm3_free(zb_hmac_sm3_ctx *c);

/* SM4 in CTR mode: out[0..len) = in[0..len) XOR keystream(key, iv).
 * in and out may be the same buffer (not partially overlapping).  CTR
 * gives no integrity and must never reuse an (key, iv) pair: use a fresh
 * random IV per message and MAC the result (fieldprot does both).
 * Encrypt and decrypt are the same operation; both names exist so call
 * sites read right.  len is limited to INT_MAX (ZB_ETOOBIG beyond). */
int zb_sm4_ctr_encrypt(const unsigned char key[ZB_SM4_KEY_LEN],
		       const unsigned char iv[ZB_SM4_IV_LEN],
		       const void *in, size_t len, void *out);
int zb_sm4_ctr_decrypt(const unsigned char key[ZB_SM4_KEY_LEN],
		       const unsigned char iv[ZB_SM4_IV_LEN],
		       const void *in, size_t len, void *out);

/* n cryptographically secure random bytes (libsodium randombytes_buf).
 * Fails only if zb_crypto_init fails; buf is then zero-filled, never left
 * holding predictable "random" data the caller might use by mistake. */
int zb_random_bytes(void *buf, size_t n);

#endif
