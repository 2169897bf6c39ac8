/* libFuzzer target: zb_fp_decrypt on arbitrary text under a fixed test key.
 *
 * The key is derived in memory from a constant master (zb_keys_from_master),
 * so seeds in fuzz/corpus/fieldprot/ made with the same master reach the
 * MAC and decryption paths.  Also feeds the masking functions, the other
 * code here that walks untrusted strings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "crypto/fieldprot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Test-only master: bytes 0, 1, ..., 63.  Never a real key. */
static zb_keys *test_keys(void)
{
	static zb_keys *k;
	if (!k) {
		unsigned char master[ZB_KEYS_MASTER_LEN];
		zb_err e = {0};
		for (size_t i = 0; i < sizeof master; i++)
			master[i] = (unsigned char)i;
		if (zb_keys_from_master(master, sizeof master, &k, &e) != 0)
			abort();
	}
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zb_keys *k = test_keys();
	zb_buf pt = {0}, ct = {0}, back = {0}, m = {0};
	zb_err e = {0};
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	zb_buf_puts(&pt, "x");
	if (zb_fp_decrypt(k, s, "members/1/id_number", &pt, &e) == 0) {
		/* Only our own ciphertexts get here; they must round-trip. */
		if (zb_fp_encrypt(k, pt.data + 1, "members/1/id_number", &ct) != 0 ||
		    zb_fp_decrypt(k, ct.data, "members/1/id_number", &back, &e) != 0 ||
		    strcmp(back.data, pt.data + 1) != 0)
			abort();
	} else if (pt.len != 1 || e.msg[0] == '\0') {
		abort(); /* failure must leave out untouched and explain */
	}

	if (zb_mask_id_number(s, &m) != 0 || zb_mask_phone(s, &m) != 0)
		abort();

	zb_buf_release(&pt);
	zb_buf_release(&ct);
	zb_buf_release(&back);
	zb_buf_release(&m);
	free(s);
	return 0;
}
