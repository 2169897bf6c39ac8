#include "crypto/sm.h"

#include "core/err.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <sodium.h>

/* Fetching an algorithm walks OpenSSL's provider tables under a lock; the
 * fetched objects are immutable and reference-counted, so one fetch per
 * process is shared by every thread.  They live until exit on purpose. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int sodium_ok, ossl_ok;
static EVP_MAC *hmac_alg;
static EVP_CIPHER *sm4_ctr_alg;

static void init_once_fn(void)
{
	sodium_ok = sodium_init() >= 0;
	hmac_alg = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
	sm4_ctr_alg = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
	/* SM3 is fetched lazily by HMAC through the digest name; check once
	 * here that the provider has it, so a build without SM3 fails at
	 * start instead of on the first encrypted field. */
	EVP_MD *sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
	ossl_ok = hmac_alg && sm4_ctr_alg && sm3;
	EVP_MD_free(sm3);
	ERR_clear_error();
}

int zb_crypto_init(void)
{
	if (pthread_once(&init_once, init_once_fn) != 0)
		return ZB_EINTERNAL;
	return sodium_ok && ossl_ok ? 0 : ZB_EINTERNAL;
}

/* OpenSSL keeps a per-thread error queue; other users of OpenSSL in the
 * same thread (libpq's TLS) read it, so a failure here must not leave
 * stale entries behind. */
static int ossl_fail(void)
{
	ERR_clear_error();
	return ZB_EINTERNAL;
}

struct zb_hmac_sm3_ctx {
	EVP_MAC_CTX *mac;
};

int zb_hmac_sm3_init(zb_hmac_sm3_ctx **out, const void *key, size_t keylen)
{
	/* OpenSSL treats a NULL key as "keep the previous key"; an empty key
	 * must be a non-NULL pointer with length 0. */
	static const unsigned char empty_key[1];
	zb_hmac_sm3_ctx *c = NULL;
	int rc = zb_crypto_init();

	*out = NULL;
	if (rc)
		return rc;
	c = calloc(1, sizeof *c);
	if (!c)
		return ZB_EINTERNAL;
	c->mac = EVP_MAC_CTX_new(hmac_alg);
	if (!c->mac)
		goto fail;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0),
		OSSL_PARAM_construct_end(),
	};
	if (!EVP_MAC_init(c->mac, keylen ? key : empty_key, keylen, params))
		goto fail;
	*out = c;
	return 0;
fail:
	zb_hmac_sm3_free(c);
	return ossl_fail();
}

int zb_hmac_sm3_update(zb_hmac_sm3_ctx *c, const void *data, size_t len)
{
	if (!len)
		return 0;
	if (!EVP_MAC_update(c->mac, data, len))
		return ossl_fail();
	return 0;
}

int zb_hmac_sm3_final(zb_hmac_sm3_ctx *c, unsigned char out[ZB_SM3_LEN])
{
	size_t outl = 0;
	if (!EVP_MAC_final(c->mac, out, &outl, ZB_SM3_LEN) || outl != ZB_SM3_LEN)
		return ossl_fail();
	return 0;
}

void zb_hmac_sm3_free(zb_hmac_sm3_ctx *c)
{
	if (!c)
		return;
	EVP_MAC_CTX_free(c->mac); /* OpenSSL cleanses the key schedule */
	free(c);
}

int zb_hmac_sm3(const void *key, size_t keylen, const void *data, size_t len,
		unsigned char out[ZB_SM3_LEN])
{
	zb_hmac_sm3_ctx *c = NULL;
	int rc = zb_hmac_sm3_init(&c, key, keylen);
	if (rc)
		goto done;
	rc = zb_hmac_sm3_update(c, data, len);
	if (rc)
		goto done;
	rc = zb_hmac_sm3_final(c, out);
done:
	zb_hmac_sm3_free(c);
	return rc;
}

static int sm4_ctr(const unsigned char key[ZB_SM4_KEY_LEN],
		   const unsigned char iv[ZB_SM4_IV_LEN],
		   const void *in, size_t len, void *out)
{
	EVP_CIPHER_CTX *ctx = NULL;
	int outl = 0, finl = 0;
	int rc = zb_crypto_init();

	if (rc)
		return rc;
	if (len > INT_MAX)
		return ZB_ETOOBIG;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		goto fail;
	if (!EVP_EncryptInit_ex2(ctx, sm4_ctr_alg, key, iv, NULL))
		goto fail;
	if (len && !EVP_EncryptUpdate(ctx, out, &outl, in, (int)len))
		goto fail;
	if (!EVP_EncryptFinal_ex(ctx, (unsigned char *)out + outl, &finl))
		goto fail;
	if ((size_t)outl + (size_t)finl != len)
		goto fail;
	EVP_CIPHER_CTX_free(ctx);
	return 0;
fail:
	EVP_CIPHER_CTX_free(ctx);
	return ossl_fail();
}

int zb_sm4_ctr_encrypt(const unsigned char key[ZB_SM4_KEY_LEN],
		       const unsigned char iv[ZB_SM4_IV_LEN],
		       const void *in, size_t len, void *out)
{
	return sm4_ctr(key, iv, in, len, out);
}

int zb_sm4_ctr_decrypt(const unsigned char key[ZB_SM4_KEY_LEN],
		       const unsigned char iv[ZB_SM4_IV_LEN],
		       const void *in, size_t len, void *out)
{
	return sm4_ctr(key, iv, in, len, out);
}

int zb_random_bytes(void *buf, size_t n)
{
	/* Only libsodium matters here: random bytes must not depend on the
	 * SM algorithms being present. */
	if (pthread_once(&init_once, init_once_fn) != 0 || !sodium_ok) {
		if (n)
			memset(buf, 0, n);
		return ZB_EINTERNAL;
	}
	randombytes_buf(buf, n);
	return 0;
}
