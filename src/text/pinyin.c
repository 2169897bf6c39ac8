#include "text/pinyin.h"

#include "core/err.h"
#include "core/hex.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

/* ICU transliterators and collators must not be used by two threads at
 * once.  Opening a transliterator parses its rules (milliseconds), so a
 * prototype is opened once and each thread clones its own on first use.
 * Cloning only reads the prototype, but it is serialised anyway because it
 * happens once per thread and ICU does not document clone as thread-safe. */
static pthread_once_t proto_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t proto_lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *trans_proto;
static UCollator *coll_proto;
static pthread_key_t tls_key;
static int tls_ok;
static char icu_major[16];

struct tls {
	UTransliterator *trans;
	UCollator *coll;
};

static void tls_free(void *p)
{
	struct tls *t = p;
	if (!t)
		return;
	if (t->trans)
		utrans_close(t->trans);
	if (t->coll)
		ucol_close(t->coll);
	free(t);
}

static void proto_init(void)
{
	static const UChar id[] = u"Han-Latin; Latin-ASCII";
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	UVersionInfo v;

	u_getVersion(v);
	snprintf(icu_major, sizeof icu_major, "%u", (unsigned)v[0]);

	tls_ok = pthread_key_create(&tls_key, tls_free) == 0;
	trans_proto = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
	if (U_FAILURE(st))
		trans_proto = NULL;
	st = U_ZERO_ERROR;
	coll_proto = ucol_open("zh", &st);
	if (U_FAILURE(st))
		coll_proto = NULL;
}

static struct tls *tls_get(void)
{
	struct tls *t;
	if (pthread_once(&proto_once, proto_init) != 0 || !tls_ok)
		return NULL;
	t = pthread_getspecific(tls_key);
	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (pthread_setspecific(tls_key, t) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

static UTransliterator *thread_trans(void)
{
	struct tls *t = tls_get();
	UErrorCode st = U_ZERO_ERROR;
	if (!t || !trans_proto)
		return NULL;
	if (!t->trans) {
		pthread_mutex_lock(&proto_lock);
		t->trans = utrans_clone(trans_proto, &st);
		pthread_mutex_unlock(&proto_lock);
		if (U_FAILURE(st))
			t->trans = NULL;
	}
	return t->trans;
}

static UCollator *thread_coll(void)
{
	struct tls *t = tls_get();
	UErrorCode st = U_ZERO_ERROR;
	if (!t || !coll_proto)
		return NULL;
	if (!t->coll) {
		pthread_mutex_lock(&proto_lock);
#if U_ICU_VERSION_MAJOR_NUM >= 71
		t->coll = ucol_clone(coll_proto, &st);
#else
		t->coll = ucol_safeClone(coll_proto, NULL, NULL, &st);
#endif
		pthread_mutex_unlock(&proto_lock);
		if (U_FAILURE(st))
			t->coll = NULL;
	}
	return t->coll;
}

const char *zb_icu_version(void)
{
	pthread_once(&proto_once, proto_init);
	return icu_major;
}

/* UTF-8 -> freshly malloc'd UTF-16 with room for `factor` units per input
 * byte.  Invalid UTF-8 becomes U+FFFD rather than an error: names
 * come from imports of uneven quality and a key is still useful. */
static int to_utf16(const char *utf8, size_t factor, UChar **out, int32_t *len, int32_t *cap)
{
	size_t n = strlen(utf8);
	UErrorCode st = U_ZERO_ERROR;

	*out = NULL;
	if (n > ZB_TEXT_MAX_INPUT)
		return ZB_ETOOBIG;
	/* UTF-16 never needs more units than UTF-8 has bytes, so factor 1
	 * always holds the conversion. */
	*cap = (int32_t)(n * factor + 16);
	*out = malloc((size_t)*cap * sizeof(UChar));
	if (!*out)
		return ZB_EINTERNAL;
	u_strFromUTF8WithSub(*out, *cap, len, utf8, (int32_t)n, 0xFFFD, NULL, &st);
	if (U_FAILURE(st)) {
		free(*out);
		*out = NULL;
		return ZB_EINTERNAL;
	}
	return 0;
}

static int is_alpha(UChar c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(UChar c)
{
	return c >= '0' && c <= '9';
}

int zb_pinyin(const char *utf8, zb_buf *full, zb_buf *initials)
{
	UTransliterator *tr = thread_trans();
	UChar *text = NULL, *copy = NULL;
	int32_t len = 0, cap = 0, limit, newlen;
	size_t full_old = full ? full->len : 0, ini_old = initials ? initials->len : 0;
	int rc, prev = 0; /* class of previous char: 0 none, 1 letter, 2 digit */

	if (!tr)
		return ZB_EINTERNAL;
	/* Two units per input byte covers Han text (3 bytes become at most
	 * "zhuang ") and ASCII; rarer expansions (U+337F becomes 15 units) go
	 * through the retry below. */
	if ((rc = to_utf16(utf8 ? utf8 : "", 2, &text, &len, &cap)))
		return rc;
	copy = malloc((size_t)len * sizeof(UChar) + 1);
	if (!copy) {
		rc = ZB_EINTERNAL;
		goto done;
	}
	memcpy(copy, text, (size_t)len * sizeof(UChar));
	for (;;) {
		UErrorCode st = U_ZERO_ERROR;
		newlen = len;
		limit = len;
		utrans_transUChars(tr, text, &newlen, cap, 0, &limit, &st);
		if (st == U_BUFFER_OVERFLOW_ERROR || (U_SUCCESS(st) && newlen > cap)) {
			/* Truncated: start again from the input with the size ICU
			 * reported. */
			UChar *bigger = realloc(text, ((size_t)newlen + 16) * sizeof(UChar));
			if (!bigger) {
				rc = ZB_EINTERNAL;
				goto done;
			}
			text = bigger;
			cap = newlen + 16;
			memcpy(text, copy, (size_t)len * sizeof(UChar));
			continue;
		}
		if (U_FAILURE(st)) {
			rc = ZB_EINTERNAL;
			goto done;
		}
		break;
	}

	for (int32_t i = 0; i < newlen; i++) {
		UChar c = text[i];
		int cls = is_alpha(c) ? 1 : is_digit(c) ? 2 : 0;
		if (cls) {
			char ch = (char)(cls == 1 ? (c | 0x20) : c); /* ASCII lowercase */
			if (full && (rc = zb_buf_putc(full, ch)))
				goto fail;
			if (initials && cls != prev && (rc = zb_buf_putc(initials, ch)))
				goto fail;
		}
		prev = cls;
	}
	rc = 0;
	goto done;
fail:
	if (full) {
		full->len = full_old;
		if (full->data)
			full->data[full_old] = '\0';
	}
	if (initials) {
		initials->len = ini_old;
		if (initials->data)
			initials->data[ini_old] = '\0';
	}
done:
	free(text);
	free(copy);
	return rc;
}

/* Raw sort key into a malloc'd buffer (without ICU's trailing 0 byte). */
static int sortkey_raw(const char *utf8, uint8_t **key, size_t *keylen)
{
	UCollator *coll = thread_coll();
	UChar *text = NULL;
	int32_t len = 0, cap = 0, need, kcap;
	uint8_t *k = NULL;
	int rc;

	*key = NULL;
	*keylen = 0;
	if (!coll)
		return ZB_EINTERNAL;
	if ((rc = to_utf16(utf8 ? utf8 : "", 1, &text, &len, &cap)))
		return rc;
	kcap = len * 4 + 32;
	for (;;) {
		uint8_t *bigger = realloc(k, (size_t)kcap);
		if (!bigger) {
			rc = ZB_EINTERNAL;
			goto fail;
		}
		k = bigger;
		need = ucol_getSortKey(coll, text, len, k, kcap);
		if (need <= 0) {
			rc = ZB_EINTERNAL;
			goto fail;
		}
		if (need <= kcap)
			break;
		kcap = need;
	}
	free(text);
	*key = k;
	*keylen = (size_t)need - 1; /* ICU terminates keys with a 0 byte */
	return 0;
fail:
	free(text);
	free(k);
	return rc;
}

int zb_sortkey(const char *utf8, zb_buf *out)
{
	uint8_t *k;
	size_t n;
	int rc = sortkey_raw(utf8, &k, &n);
	if (rc)
		return rc;
	rc = zb_buf_append(out, k, n);
	free(k);
	return rc;
}

int zb_sortkey_hex(const char *utf8, zb_buf *out)
{
	uint8_t *k;
	size_t n;
	int rc = sortkey_raw(utf8, &k, &n);
	if (rc)
		return rc;
	/* Fixed width per byte and '0'-'9' < 'a'-'f' in ASCII, so comparing
	 * the text compares the bytes. */
	rc = zb_hex_append(out, k, n);
	free(k);
	return rc;
}
