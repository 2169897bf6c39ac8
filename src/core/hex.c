#include "core/hex.h"
#include "core/err.h"

#include <sodium.h>

int zb_hex_append(zb_buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t old = b->len;
	char chunk[2 * 128 + 1];
	while (n) {
		size_t k = n < 128 ? n : 128;
		sodium_bin2hex(chunk, sizeof chunk, s, k);
		int rc = zb_buf_append(b, chunk, 2 * k);
		if (rc) {
			b->len = old;
			if (b->data)
				b->data[old] = '\0';
			return rc;
		}
		s += k;
		n -= k;
	}
	return 0;
}

int zb_hex_decode(const char *s, size_t n, unsigned char *out, size_t outmax, size_t *outlen)
{
	const char *end = NULL;
	size_t len = 0;
	if (n % 2 || n / 2 > outmax)
		return -1;
	if (sodium_hex2bin(out, outmax, s, n, NULL, &len, &end) != 0 || end != s + n || len != n / 2)
		return -1;
	*outlen = len;
	return 0;
}
