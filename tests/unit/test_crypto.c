/* Unit tests for src/crypto: SM3/SM4 wrappers, field protection, key files,
 * masking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/buf.h"
#include "core/err.h"
#include "crypto/fieldprot.h"
#include "crypto/sm.h"

static void hex_of(const unsigned char *p, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, p, n);
}

static zb_keys *keys_with_seed(unsigned char seed)
{
	unsigned char master[ZB_KEYS_MASTER_LEN];
	zb_keys *k = NULL;
	zb_err e = {0};
	for (size_t i = 0; i < sizeof master; i++)
		master[i] = (unsigned char)(seed + i * 7);
	assert_int_equal(zb_keys_from_master(master, sizeof master, &k, &e), 0);
	assert_non_null(k);
	return k;
}

/* ---- primitives -------------------------------------------------------- */

static void test_hmac_sm3_known_answer(void **state)
{
	(void)state;
	unsigned char mac[ZB_SM3_LEN];
	char hex[65];
	const char *msg = "what do ya want for nothing?";
	/* Value from `openssl mac -digest SM3 -macopt key:Jefe HMAC`, the
	 * RFC 2104 sample inputs: an independent implementation agrees. */
	assert_int_equal(zb_hmac_sm3("Jefe", 4, msg, strlen(msg), mac), 0);
	hex_of(mac, sizeof mac, hex);
	assert_string_equal(hex, "2e87f1d16862e6d964b50a5200bf2b10b764faa9680a296a2405f24bec39f882");

	/* Empty data under a one-byte zero key. */
	unsigned char zero = 0;
	assert_int_equal(zb_hmac_sm3(&zero, 1, NULL, 0, mac), 0);
	hex_of(mac, sizeof mac, hex);
	assert_string_equal(hex, "0d23f72ba15e9c189a879aefc70996b06091de6e64d31b7a84004356dd915261");
}

static void test_hmac_sm3_incremental_matches_oneshot(void **state)
{
	(void)state;
	unsigned char one[ZB_SM3_LEN], inc[ZB_SM3_LEN];
	const char *parts[] = {"what do ", "", "ya want", " for nothing?"};
	zb_hmac_sm3_ctx *c = NULL;

	assert_int_equal(zb_hmac_sm3("Jefe", 4, "what do ya want for nothing?", 28, one), 0);
	assert_int_equal(zb_hmac_sm3_init(&c, "Jefe", 4), 0);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(zb_hmac_sm3_update(c, parts[i], strlen(parts[i])), 0);
	assert_int_equal(zb_hmac_sm3_final(c, inc), 0);
	zb_hmac_sm3_free(c);
	assert_memory_equal(one, inc, sizeof one);

	/* A different key changes the result. */
	assert_int_equal(zb_hmac_sm3("Jeff", 4, "what do ya want for nothing?", 28, inc), 0);
	assert_memory_not_equal(one, inc, sizeof one);
	zb_hmac_sm3_free(NULL);
}

static void test_sm4_ctr_known_answer_and_inverse(void **state)
{
	(void)state;
	/* GB/T 32907 sample: E(K, P) = 681edf34... with K = P =
	 * 0123456789abcdeffedcba9876543210.  The first CTR keystream block is
	 * E(K, IV), so 16 zero bytes under IV = P encrypt to exactly that. */
	static const unsigned char k[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
					    0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10};
	unsigned char zeros[16] = {0}, ct[16], back[16];
	char hex[33];

	assert_int_equal(zb_sm4_ctr_encrypt(k, k, zeros, 16, ct), 0);
	hex_of(ct, 16, hex);
	assert_string_equal(hex, "681edf34d206965e86b3e94f536e4246");
	assert_int_equal(zb_sm4_ctr_decrypt(k, k, ct, 16, back), 0);
	assert_memory_equal(back, zeros, 16);

	/* In place, odd length (CTR is a stream mode, no padding). */
	unsigned char msg[37];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (unsigned char)i;
	unsigned char orig[37];
	memcpy(orig, msg, sizeof msg);
	assert_int_equal(zb_sm4_ctr_encrypt(k, k, msg, sizeof msg, msg), 0);
	assert_memory_not_equal(msg, orig, sizeof msg);
	assert_int_equal(zb_sm4_ctr_decrypt(k, k, msg, sizeof msg, msg), 0);
	assert_memory_equal(msg, orig, sizeof msg);
}

static void test_random_bytes(void **state)
{
	(void)state;
	unsigned char a[32], b[32], zero[32] = {0};
	assert_int_equal(zb_random_bytes(a, sizeof a), 0);
	assert_int_equal(zb_random_bytes(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
	assert_memory_not_equal(a, zero, sizeof a);
}

/* ---- field encryption --------------------------------------------------- */

/* Associated data of the samples: where a value lives. */
#define AD "members/7/id_number"

static void roundtrip_one(const zb_keys *k, const char *value)
{
	zb_buf ct = {0}, pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_encrypt(k, value, AD, &ct), 0);
	assert_true(strncmp(ct.data, "v2:", 3) == 0);
	/* iv 16 + mac 32 + value, base64 without padding */
	size_t bin = 48 + strlen(value);
	assert_int_equal(ct.len, 3 + (bin * 4 + 2) / 3);
	assert_null(strpbrk(ct.data + 3, "+/="));
	assert_int_equal(zb_fp_decrypt(k, ct.data, AD, &pt, &e), 0);
	assert_int_equal(pt.len, strlen(value));
	assert_string_equal(pt.data ? pt.data : "", value);
	zb_buf_release(&ct);
	zb_buf_release(&pt);
}

static void test_fp_roundtrip(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(1);
	char big[3000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	roundtrip_one(k, "11010519491231002X");
	roundtrip_one(k, "13812345678");
	roundtrip_one(k, "");
	roundtrip_one(k, "张三 北京市东城区");
	roundtrip_one(k, big);
	zb_keys_free(k);
}

static void test_fp_fresh_iv(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(1);
	zb_buf a = {0}, b = {0};
	assert_int_equal(zb_fp_encrypt(k, "11010519491231002X", AD, &a), 0);
	assert_int_equal(zb_fp_encrypt(k, "11010519491231002X", AD, &b), 0);
	assert_string_not_equal(a.data, b.data);
	zb_buf_release(&a);
	zb_buf_release(&b);
	zb_keys_free(k);
}

static void test_fp_appends(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(1);
	zb_buf ct = {0}, pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_encrypt(k, "abc", AD, &ct), 0);
	zb_buf_puts(&pt, "id=");
	assert_int_equal(zb_fp_decrypt(k, ct.data, AD, &pt, &e), 0);
	assert_string_equal(pt.data, "id=abc");
	zb_buf_release(&ct);
	zb_buf_release(&pt);
	zb_keys_free(k);
}

/* Decryption must fail and leave out untouched. */
static void expect_reject(const zb_keys *k, const char *text)
{
	zb_buf pt = {0};
	zb_err e = {0};
	zb_buf_puts(&pt, "keep");
	int rc = zb_fp_decrypt(k, text, AD, &pt, &e);
	if (rc == 0)
		fail_msg("accepted tampered text %s -> %s", text, pt.data);
	assert_int_equal(rc, ZB_EINTERNAL);
	assert_true(e.msg[0] != '\0');
	assert_string_equal(pt.data, "keep");
	zb_buf_release(&pt);
}

static void test_fp_tamper_every_byte(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(2);
	zb_buf ct = {0};
	unsigned char bin[256];
	size_t binlen = 0;
	char text[512];

	assert_int_equal(zb_fp_encrypt(k, "11010519491231002X", AD, &ct), 0);
	assert_int_equal(sodium_base642bin(bin, sizeof bin, ct.data + 3, ct.len - 3, NULL,
					   &binlen, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			 0);
	assert_int_equal(binlen, 16 + 18 + 32);

	/* Every byte of iv | ciphertext | mac, each bit pattern change. */
	for (size_t i = 0; i < binlen; i++) {
		for (unsigned flip = 1; flip < 256; flip <<= 1) {
			bin[i] ^= (unsigned char)flip;
			memcpy(text, "v2:", 3);
			sodium_bin2base64(text + 3, sizeof text - 3, bin, binlen,
					  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
			expect_reject(k, text);
			bin[i] ^= (unsigned char)flip;
		}
	}

	/* Every character of the text form, replaced by every other
	 * base64url character (covers the padding bits of the last one). */
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	for (size_t i = 0; i < ct.len; i++) {
		snprintf(text, sizeof text, "%s", ct.data);
		for (size_t a = 0; a < sizeof alphabet - 1; a++) {
			if (alphabet[a] == ct.data[i])
				continue;
			text[i] = alphabet[a];
			expect_reject(k, text);
		}
	}

	/* Truncation, extension, prefix games. */
	for (size_t cut = 0; cut < ct.len; cut++) {
		snprintf(text, sizeof text, "%.*s", (int)cut, ct.data);
		expect_reject(k, text);
	}
	snprintf(text, sizeof text, "%sA", ct.data);
	expect_reject(k, text);
	snprintf(text, sizeof text, "%sAAAA", ct.data);
	expect_reject(k, text);
	snprintf(text, sizeof text, "v1:%s", ct.data + 3);
	expect_reject(k, text);
	snprintf(text, sizeof text, "%s", ct.data + 3);
	expect_reject(k, text);
	snprintf(text, sizeof text, "%s=", ct.data);
	expect_reject(k, text);
	snprintf(text, sizeof text, " %s", ct.data);
	expect_reject(k, text);
	expect_reject(k, "");
	expect_reject(k, "v1:");

	/* The original still decrypts: the loop restored every byte. */
	zb_buf pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_decrypt(k, ct.data, AD, &pt, &e), 0);
	assert_string_equal(pt.data, "11010519491231002X");
	zb_buf_release(&pt);
	zb_buf_release(&ct);
	zb_keys_free(k);
}

static void test_fp_wrong_key(void **state)
{
	(void)state;
	zb_keys *k1 = keys_with_seed(3), *k2 = keys_with_seed(4);
	zb_buf ct = {0}, pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_encrypt(k1, "13812345678", AD, &ct), 0);
	assert_int_equal(zb_fp_decrypt(k2, ct.data, AD, &pt, &e), ZB_EINTERNAL);
	assert_non_null(strstr(e.msg, "密钥文件与数据不匹配"));
	assert_int_equal(pt.len, 0);
	zb_buf_release(&ct);
	zb_keys_free(k1);
	zb_keys_free(k2);
}

static void test_fp_limits(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(5);
	char *huge = malloc(ZB_FP_MAX_PLAINTEXT + 2);
	assert_non_null(huge);
	memset(huge, 'x', ZB_FP_MAX_PLAINTEXT + 1);
	huge[ZB_FP_MAX_PLAINTEXT + 1] = '\0';
	zb_buf ct = {0};
	assert_int_equal(zb_fp_encrypt(k, huge, AD, &ct), ZB_ETOOBIG);
	assert_int_equal(ct.len, 0);
	huge[ZB_FP_MAX_PLAINTEXT] = '\0';
	assert_int_equal(zb_fp_encrypt(k, huge, AD, &ct), 0);
	zb_buf pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_decrypt(k, ct.data, AD, &pt, &e), 0);
	assert_int_equal(pt.len, ZB_FP_MAX_PLAINTEXT);

	/* Output cap: out is left as it was. */
	zb_buf small;
	zb_buf_init(&small, 20);
	zb_buf_puts(&small, "pre");
	assert_int_equal(zb_fp_encrypt(k, "11010519491231002X", AD, &small), ZB_ETOOBIG);
	assert_string_equal(small.data, "pre");
	zb_buf_release(&small);

	/* An absurdly long text is refused before decoding. */
	char *longtext = malloc(200000);
	assert_non_null(longtext);
	memcpy(longtext, "v1:", 3);
	memset(longtext + 3, 'A', 200000 - 4);
	longtext[200000 - 1] = '\0';
	zb_buf_reset(&pt);
	assert_int_equal(zb_fp_decrypt(k, longtext, AD, &pt, &e), ZB_EINTERNAL);
	assert_int_equal(pt.len, 0);

	free(longtext);
	free(huge);
	zb_buf_release(&ct);
	zb_buf_release(&pt);
	zb_keys_free(k);
}

/* ---- blind index, fingerprint, subkeys ---------------------------------- */

static void test_blind_index(void **state)
{
	(void)state;
	zb_keys *k1 = keys_with_seed(6), *k1b = keys_with_seed(6), *k2 = keys_with_seed(7);
	char a[65], b[65], c[65], d[65];
	assert_int_equal(zb_fp_blind_index(k1, "11010519491231002X", a), 0);
	assert_int_equal(zb_fp_blind_index(k1b, "11010519491231002X", b), 0);
	assert_int_equal(zb_fp_blind_index(k2, "11010519491231002X", c), 0);
	assert_int_equal(zb_fp_blind_index(k1, "110105194912310029", d), 0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_string_equal(a, b);      /* deterministic */
	assert_string_not_equal(a, c);  /* key-dependent */
	assert_string_not_equal(a, d);  /* value-dependent */

	/* It is not the MAC key or the audit key in disguise: HMAC under the
	 * audit key of the same value differs. */
	size_t alen = 0;
	const unsigned char *ak = zb_keys_audit_key(k1, &alen);
	unsigned char m[ZB_SM3_LEN];
	char mh[65];
	assert_int_equal(zb_hmac_sm3(ak, alen, "11010519491231002X", 18, m), 0);
	hex_of(m, sizeof m, mh);
	assert_string_not_equal(a, mh);
	zb_keys_free(k1);
	zb_keys_free(k1b);
	zb_keys_free(k2);
}

static void test_audit_key_and_fingerprint(void **state)
{
	(void)state;
	zb_keys *k1 = keys_with_seed(8), *k1b = keys_with_seed(8), *k2 = keys_with_seed(9);
	size_t l1 = 0, l2 = 0;
	const unsigned char *a1 = zb_keys_audit_key(k1, &l1);
	const unsigned char *a1b = zb_keys_audit_key(k1b, &l2);
	assert_int_equal(l1, 32);
	assert_memory_equal(a1, a1b, 32);
	assert_memory_not_equal(a1, zb_keys_audit_key(k2, NULL), 32);

	char f1[65], f2[65];
	zb_fp_key_fingerprint(k1, f1);
	zb_fp_key_fingerprint(k2, f2);
	assert_int_equal(strlen(f1), 64);
	assert_string_not_equal(f1, f2);

	zb_err e = {0};
	assert_int_equal(zb_fp_key_verify(k1b, f1, &e), 0);
	assert_int_equal(zb_fp_key_verify(k2, f1, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "密钥文件与数据库不匹配"));
	assert_int_equal(zb_fp_key_verify(k1, "", &e), ZB_EINVAL);
	assert_int_equal(zb_fp_key_verify(k1, NULL, &e), ZB_EINVAL);
	f1[63] = '\0';
	assert_int_equal(zb_fp_key_verify(k1, f1, &e), ZB_EINVAL);

	/* Known answer: the fingerprint is HMAC-SM3(master, fixed label), so
	 * the derivation cannot change silently (that would orphan data). */
	unsigned char master[ZB_KEYS_MASTER_LEN];
	for (size_t i = 0; i < sizeof master; i++)
		master[i] = (unsigned char)(8 + i * 7);
	unsigned char m[ZB_SM3_LEN];
	char mh[65];
	const char *label = "zhibu/keys/v1/fingerprint";
	assert_int_equal(zb_hmac_sm3(master, sizeof master, label, strlen(label), m), 0);
	hex_of(m, sizeof m, mh);
	zb_fp_key_fingerprint(k1, f1);
	assert_string_equal(f1, mh);
	zb_keys_free(k1);
	zb_keys_free(k1b);
	zb_keys_free(k2);
}

static void test_from_master_bounds(void **state)
{
	(void)state;
	unsigned char m[ZB_KEYS_MASTER_MAX + 1] = {0};
	zb_keys *k = (zb_keys *)1;
	zb_err e = {0};
	assert_int_equal(zb_keys_from_master(m, ZB_KEYS_MASTER_MIN - 1, &k, &e), ZB_EINVAL);
	assert_null(k);
	assert_non_null(strstr(e.msg, "主密钥长度"));
	assert_int_equal(zb_keys_from_master(m, ZB_KEYS_MASTER_MAX + 1, &k, &e), ZB_EINVAL);
	assert_int_equal(zb_keys_from_master(m, ZB_KEYS_MASTER_MIN, &k, &e), 0);
	assert_non_null(k);
	zb_keys_free(k);
	zb_keys_free(NULL);
}

/* ---- key files ---------------------------------------------------------- */

static char tmpdir[64];

static int setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/zb-test-crypto-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_in_tmp(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const char *content, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	size_t n = strlen(content);
	assert_int_equal(write(fd, content, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void test_keyfile_create_load(void **state)
{
	(void)state;
	char path[128], content[256];
	struct stat st;
	zb_err e = {0};
	zb_keys *k = NULL;

	path_in_tmp(path, sizeof path, "master.key");
	mode_t old = umask(0); /* even with a permissive umask the file is 0600 */
	int rc = zb_keys_create(path, &e);
	umask(old);
	assert_int_equal(rc, 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 129);

	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(content, 1, sizeof content - 1, f);
	fclose(f);
	content[n] = '\0';
	assert_int_equal(n, 129);
	assert_int_equal(strspn(content, "0123456789abcdef"), 128);
	assert_int_equal(content[128], '\n');

	assert_int_equal(zb_keys_load(path, &k, &e), 0);
	assert_non_null(k);

	/* Loading the file is the same as deriving from its bytes. */
	unsigned char master[64];
	size_t binlen = 0;
	assert_int_equal(sodium_hex2bin(master, sizeof master, content, 128, NULL, &binlen, NULL), 0);
	zb_keys *k2 = NULL;
	assert_int_equal(zb_keys_from_master(master, sizeof master, &k2, &e), 0);
	char f1[65], f2[65];
	zb_fp_key_fingerprint(k, f1);
	zb_fp_key_fingerprint(k2, f2);
	assert_string_equal(f1, f2);

	/* Data encrypted under the loaded key decrypts under the same file. */
	zb_buf ct = {0}, pt = {0};
	assert_int_equal(zb_fp_encrypt(k, "13812345678", AD, &ct), 0);
	assert_int_equal(zb_fp_decrypt(k2, ct.data, AD, &pt, &e), 0);
	assert_string_equal(pt.data, "13812345678");
	zb_buf_release(&ct);
	zb_buf_release(&pt);
	zb_keys_free(k);
	zb_keys_free(k2);

	/* A second key file is a different key. */
	char path2[128];
	path_in_tmp(path2, sizeof path2, "other.key");
	assert_int_equal(zb_keys_create(path2, &e), 0);
	assert_int_equal(zb_keys_load(path2, &k2, &e), 0);
	zb_fp_key_fingerprint(k2, f2);
	assert_string_not_equal(f1, f2);
	zb_keys_free(k2);
}

static void test_keyfile_no_overwrite(void **state)
{
	(void)state;
	char path[128], link[128];
	zb_err e = {0};
	struct stat st;

	path_in_tmp(path, sizeof path, "existing.key");
	write_file(path, "not a key but precious\n", 0600);
	assert_int_equal(zb_keys_create(path, &e), ZB_ECONFLICT);
	assert_non_null(strstr(e.msg, "已存在"));
	assert_non_null(strstr(e.msg, path));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 23); /* untouched */

	/* A symlink at the path is not followed (the target would be
	 * created or clobbered otherwise). */
	char target[128];
	path_in_tmp(link, sizeof link, "link.key");
	path_in_tmp(target, sizeof target, "target-does-not-exist");
	assert_int_equal(symlink(target, link), 0);
	assert_int_not_equal(zb_keys_create(link, &e), 0);
	assert_int_equal(access(target, F_OK), -1);

	/* Missing directory: an internal error naming the path. */
	path_in_tmp(path, sizeof path, "no/such/dir.key");
	assert_int_equal(zb_keys_create(path, &e), ZB_EINTERNAL);
	assert_non_null(strstr(e.msg, path));
}

static void test_keyfile_permissions(void **state)
{
	(void)state;
	char path[128];
	zb_err e = {0};
	zb_keys *k = NULL;
	static const mode_t bad[] = {0644, 0640, 0604, 0660, 0606, 0610, 0601};

	path_in_tmp(path, sizeof path, "perm.key");
	assert_int_equal(zb_keys_create(path, &e), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(chmod(path, bad[i]), 0);
		zb_err_clear(&e);
		assert_int_equal(zb_keys_load(path, &k, &e), ZB_EINVAL);
		assert_null(k);
		assert_non_null(strstr(e.msg, path));
		assert_non_null(strstr(e.msg, "0600"));
	}
	assert_int_equal(chmod(path, 0400), 0); /* stricter is fine */
	assert_int_equal(zb_keys_load(path, &k, &e), 0);
	zb_keys_free(k);
	k = NULL;

	/* A directory is not a key file. */
	assert_int_equal(zb_keys_load(tmpdir, &k, &e), ZB_EINVAL);
	assert_null(k);
	assert_non_null(strstr(e.msg, "目录"));

	/* Neither is a FIFO: refused at once (opening one for reading would
	 * wait for a writer forever), nor a symlink to a device. */
	char fifo[128], link[128];
	path_in_tmp(fifo, sizeof fifo, "fifo.key");
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	zb_err_clear(&e);
	assert_int_equal(zb_keys_load(fifo, &k, &e), ZB_EINVAL);
	assert_null(k);
	assert_non_null(strstr(e.msg, "FIFO"));
	assert_non_null(strstr(e.msg, fifo));
	unlink(fifo);
	path_in_tmp(link, sizeof link, "zero.key");
	unlink(link);
	assert_int_equal(symlink("/dev/zero", link), 0);
	zb_err_clear(&e);
	assert_int_equal(zb_keys_load(link, &k, &e), ZB_EINVAL);
	assert_null(k);
	assert_non_null(strstr(e.msg, "字符设备"));
	unlink(link);

	path_in_tmp(path, sizeof path, "missing.key");
	assert_int_equal(zb_keys_load(path, &k, &e), ZB_ENOTFOUND);
	assert_non_null(strstr(e.msg, path));
}

static void test_keyfile_malformed(void **state)
{
	(void)state;
	char path[128], good[129], text[400];
	zb_err e = {0};
	zb_keys *k = NULL;

	path_in_tmp(path, sizeof path, "bad.key");
	for (size_t i = 0; i < 128; i++)
		good[i] = "0123456789abcdef"[i % 16];
	good[128] = '\0';

	/* Accepted variants: trailing LF, CRLF, none, upper case. */
	const char *ok_end[] = {"\n", "\r\n", "", "\n"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(text, sizeof text, "%s%s", good, ok_end[i]);
		if (i == 3)
			for (char *p = text; *p; p++)
				if (*p >= 'a' && *p <= 'f')
					*p = (char)(*p - 'a' + 'A');
		write_file(path, text, 0600);
		assert_int_equal(zb_keys_load(path, &k, &e), 0);
		zb_keys_free(k);
		k = NULL;
	}

	const char *bad[8];
	char shortk[200], longk[200], nonhex[200], twolines[300], spaced[200];
	snprintf(shortk, sizeof shortk, "%.126s\n", good);
	snprintf(longk, sizeof longk, "%s00\n", good);
	snprintf(nonhex, sizeof nonhex, "%s\n", good);
	nonhex[17] = 'g';
	snprintf(twolines, sizeof twolines, "%s\n%s\n", good, good);
	snprintf(spaced, sizeof spaced, " %.127s\n", good);
	bad[0] = "";
	bad[1] = "\n";
	bad[2] = shortk;
	bad[3] = longk;
	bad[4] = nonhex;
	bad[5] = twolines;
	bad[6] = spaced;
	bad[7] = "-----BEGIN PRIVATE KEY-----\n";
	for (size_t i = 0; i < 8; i++) {
		write_file(path, bad[i], 0600);
		zb_err_clear(&e);
		assert_int_equal(zb_keys_load(path, &k, &e), ZB_EINVAL);
		assert_null(k);
		assert_non_null(strstr(e.msg, "格式错误"));
		assert_non_null(strstr(e.msg, path));
	}

	/* Large file: read is bounded, still a format error. */
	char *large = malloc(10000);
	assert_non_null(large);
	memset(large, 'a', 9999);
	large[9999] = '\0';
	write_file(path, large, 0600);
	free(large);
	assert_int_equal(zb_keys_load(path, &k, &e), ZB_EINVAL);
	assert_non_null(strstr(e.msg, "格式错误"));
}

/* ---- masking ------------------------------------------------------------ */

static void check_mask(int (*fn)(const char *, zb_buf *), const char *in, const char *want)
{
	zb_buf b = {0};
	assert_int_equal(fn(in, &b), 0);
	assert_string_equal(b.data ? b.data : "", want);
	zb_buf_release(&b);
}

static void test_mask_id_number(void **state)
{
	(void)state;
	/* nothing of an ID number survives: region, birth date, sequence and
	 * checksum would each narrow the numbers that fit the shown facts */
	check_mask(zb_mask_id_number, "110105194912310021", "******************");
	check_mask(zb_mask_id_number, "11010519491231002X", "******************");
	check_mask(zb_mask_id_number, "110105491231002", "***************");     /* 15 */
	check_mask(zb_mask_id_number, "1101054912", "**********");             /* 10 */
	check_mask(zb_mask_id_number, "12345", "*****");
	check_mask(zb_mask_id_number, "12", "**");
	check_mask(zb_mask_id_number, "", "");
	check_mask(zb_mask_id_number, NULL, "");
	check_mask(zb_mask_id_number, "\xff\xfe\x31", "***");                    /* not UTF-8 */
	check_mask(zb_mask_id_number, "中华人民共和国万岁", "*********");        /* by character */
}

static void test_mask_phone(void **state)
{
	(void)state;
	check_mask(zb_mask_phone, "13812345678", "138****5678");
	check_mask(zb_mask_phone, "+8613812345678", "+86*******5678");
	check_mask(zb_mask_phone, "65123456", "65****56");
	check_mask(zb_mask_phone, "12345", "1***5");
	check_mask(zb_mask_phone, "1", "*");
	check_mask(zb_mask_phone, "", "");

	/* Appends, and leaves out untouched when the cap is hit. */
	zb_buf b;
	zb_buf_init(&b, 8);
	zb_buf_puts(&b, "tel:");
	assert_int_equal(zb_mask_phone("13812345678", &b), ZB_ETOOBIG);
	assert_string_equal(b.data, "tel:");
	zb_buf_release(&b);
	zb_buf_init(&b, 64);
	zb_buf_puts(&b, "tel:");
	assert_int_equal(zb_mask_phone("13812345678", &b), 0);
	assert_string_equal(b.data, "tel:138****5678");
	zb_buf_release(&b);
}


/* ---- associated data, the v1 format, rotated key files ----------------- */

static void test_fp_ad_binding(void **state)
{
	(void)state;
	zb_keys *k = keys_with_seed(6);
	zb_buf ct = {0}, pt = {0};
	zb_err e = {0};
	assert_int_equal(zb_fp_encrypt(k, "11010519491231002X", "members/7/id_number", &ct), 0);
	assert_int_equal(zb_fp_version(ct.data), 2);
	/* Another row, another field, no context, a prefix of it: refused,
	 * never another value, and the message names where it was read. */
	static const char *const others[] = {"members/8/id_number", "members/7/phone", "",
	                                     "members/7/id_numbe", "members/7/id_number ",
	                                     "members/new/id_number", "members/70/id_number"};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
		zb_buf_reset(&pt);
		memset(&e, 0, sizeof e);
		assert_int_equal(zb_fp_decrypt(k, ct.data, others[i], &pt, &e), ZB_EINTERNAL);
		assert_int_equal(pt.len, 0);
		if (others[i][0])
			assert_non_null(strstr(e.msg, others[i]));
	}
	zb_buf_reset(&pt);
	assert_int_equal(zb_fp_decrypt(k, ct.data, "members/7/id_number", &pt, &e), 0);
	assert_string_equal(pt.data, "11010519491231002X");
	/* The length prefix keeps the split of ad and body apart: "ab" + "c"
	 * and "a" + "bc" are different MAC inputs. */
	zb_buf_reset(&ct);
	assert_int_equal(zb_fp_encrypt(k, "x", "members/1", &ct), 0);
	zb_buf_reset(&pt);
	assert_int_equal(zb_fp_decrypt(k, ct.data, "members/", &pt, &e), ZB_EINTERNAL);
	/* Associated data has a limit. */
	char big[ZB_FP_MAX_AD + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	zb_buf_reset(&ct);
	assert_int_equal(zb_fp_encrypt(k, "x", big, &ct), ZB_ETOOBIG);
	assert_int_equal(ct.len, 0);
	zb_buf_release(&ct);
	zb_buf_release(&pt);
	zb_keys_free(k);
}

/* Texts written by the v1 format (before associated data) under the master
 * key 00 01 .. 3f: they must stay readable, whatever the context asked. */
static void test_fp_v1_still_read(void **state)
{
	(void)state;
	static const struct {
		const char *plain, *text;
	} v1[] = {
		{"11010519491231002X", "v1:o8-9ESpCSFP08eoLPiHyc57xl6u0-YpD2F95CQwQaAiFs1nwZkdW6HEJze6zPofeiJLuOntrv1-bkNLKx_iOGH2_"},
		{"13812345678", "v1:j8nzsz5_UAjqVqWoK--CjgEZ-Zve1xMqy-HQuZ3LxVjQdTBm0ZVvcUgMGMtyjlQfnJBHYuOSP0ueG90"},
	};
	unsigned char master[64];
	for (int i = 0; i < 64; i++)
		master[i] = (unsigned char)i;
	zb_keys *k = NULL;
	zb_err e = {0};
	assert_int_equal(zb_keys_from_master(master, sizeof master, &k, &e), 0);
	for (size_t i = 0; i < 2; i++) {
		zb_buf pt = {0};
		assert_int_equal(zb_fp_version(v1[i].text), 1);
		assert_int_equal(zb_fp_decrypt(k, v1[i].text, "members/3/phone", &pt, &e), 0);
		assert_string_equal(pt.data, v1[i].plain);
		zb_buf_release(&pt);
		/* relabelled as v2 it is refused */
		char relabel[256];
		snprintf(relabel, sizeof relabel, "v2:%s", v1[i].text + 3);
		expect_reject(k, relabel);
	}
	/* The blind index did not change with the format. */
	char idx[65];
	assert_int_equal(zb_fp_blind_index(k, "11010519491231002X", idx), 0);
	assert_string_equal(idx, "0f1889b50c897bde3894dbbfb1a1f24bb75d0be03e8a239c8aecddd4bbfa81a0");
	zb_keys_free(k);
}

static void test_keyfile_rotated(void **state)
{
	(void)state;
	char path[128], next[128], tmp[160];
	zb_err e = {0};
	struct stat st;
	path_in_tmp(path, sizeof path, "rot.key");
	path_in_tmp(next, sizeof next, "rot.key.next");
	assert_int_equal(zb_keys_create(path, &e), 0);
	zb_keys *k1 = NULL, *k2 = NULL, *k3 = NULL;
	assert_int_equal(zb_keys_load(path, &k1, &e), 0);
	/* a stale temporary file from an interrupted attempt is replaced */
	snprintf(tmp, sizeof tmp, "%s.tmp", next);
	FILE *f = fopen(tmp, "w");
	assert_non_null(f);
	fputs("garbage", f);
	fclose(f);
	assert_int_equal(zb_keys_create_next(next, k1, &e), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_int_equal(stat(next, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(zb_keys_load(next, &k2, &e), 0);

	/* New field keys, the same audit key. */
	char f1[65], f2[65];
	zb_fp_key_fingerprint(k1, f1);
	zb_fp_key_fingerprint(k2, f2);
	assert_string_not_equal(f1, f2);
	size_t l1 = 0, l2 = 0;
	const unsigned char *a1 = zb_keys_audit_key(k1, &l1), *a2 = zb_keys_audit_key(k2, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a1, a2, l1);
	char i1[65], i2[65];
	zb_fp_blind_index(k1, "11010519491231002X", i1);
	zb_fp_blind_index(k2, "11010519491231002X", i2);
	assert_string_not_equal(i1, i2);
	zb_buf ct = {0}, pt = {0};
	assert_int_equal(zb_fp_encrypt(k1, "13812345678", AD, &ct), 0);
	assert_int_equal(zb_fp_decrypt(k2, ct.data, AD, &pt, &e), ZB_EINTERNAL);
	zb_buf_release(&ct);
	zb_buf_release(&pt);

	/* Rotating again carries the same audit key on. */
	char third[128];
	path_in_tmp(third, sizeof third, "rot.key.third");
	assert_int_equal(zb_keys_create_next(third, k2, &e), 0);
	assert_int_equal(zb_keys_load(third, &k3, &e), 0);
	assert_memory_equal(zb_keys_audit_key(k3, &l2), a1, l1);

	/* Never over an existing file. */
	assert_int_equal(zb_keys_create_next(next, k1, &e), ZB_ECONFLICT);
	zb_keys_free(k3);
	k3 = NULL;
	assert_int_equal(zb_keys_load(next, &k3, &e), 0);
	char f3[65];
	zb_fp_key_fingerprint(k3, f3);
	assert_string_equal(f2, f3);

	/* A damaged audit line is refused. */
	char bad[128];
	path_in_tmp(bad, sizeof bad, "rot-bad.key");
	int fd = open(bad, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	char text[300];
	memset(text, 'a', 128);
	snprintf(text + 128, sizeof text - 128, "\naudit %.63s\n", f1);
	assert_true(write(fd, text, strlen(text)) > 0);
	close(fd);
	zb_keys *kb = NULL;
	assert_int_equal(zb_keys_load(bad, &kb, &e), ZB_EINVAL);
	assert_null(kb);
	assert_non_null(strstr(e.msg, "audit"));
	zb_keys_free(k1);
	zb_keys_free(k2);
	zb_keys_free(k3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hmac_sm3_known_answer),
		cmocka_unit_test(test_hmac_sm3_incremental_matches_oneshot),
		cmocka_unit_test(test_sm4_ctr_known_answer_and_inverse),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_fp_roundtrip),
		cmocka_unit_test(test_fp_fresh_iv),
		cmocka_unit_test(test_fp_appends),
		cmocka_unit_test(test_fp_tamper_every_byte),
		cmocka_unit_test(test_fp_wrong_key),
		cmocka_unit_test(test_fp_limits),
		cmocka_unit_test(test_blind_index),
		cmocka_unit_test(test_audit_key_and_fingerprint),
		cmocka_unit_test(test_from_master_bounds),
		cmocka_unit_test(test_keyfile_create_load),
		cmocka_unit_test(test_keyfile_no_overwrite),
		cmocka_unit_test(test_keyfile_permissions),
		cmocka_unit_test(test_keyfile_malformed),
		cmocka_unit_test(test_mask_id_number),
		cmocka_unit_test(test_mask_phone),
		cmocka_unit_test(test_fp_ad_binding),
		cmocka_unit_test(test_fp_v1_still_read),
		cmocka_unit_test(test_keyfile_rotated),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
