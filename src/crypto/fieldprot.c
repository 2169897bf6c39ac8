#include "crypto/fieldprot.h"

#include "core/escape.h"
#include "crypto/sm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

/* Derivation labels.  Changing any of them changes every key derived from
 * an existing key file, i.e. makes all stored data unreadable: never edit,
 * add new versions instead.  Listed in docs/SECURITY-FIELDS.md. */
#define LABEL_ENC "zhibu/fieldprot/v1/sm4-ctr"
#define LABEL_MAC "zhibu/fieldprot/v1/hmac-sm3"
#define LABEL_BIDX "zhibu/fieldprot/v1/blind-index"
#define LABEL_AUDIT "zhibu/audit/v1/chain"
#define LABEL_CHECK "zhibu/keys/v1/fingerprint"

/* The version tag is part of the MAC input, so a ciphertext cannot be
 * replayed under another format with different rules.  v1 (no associated
 * data) is only read; v2 is written. */
#define FP_PREFIX_V1 "v1:"
#define FP_PREFIX_V2 "v2:"
#define FP_PREFIX_LEN 3
#define FP_OVERHEAD (ZB_SM4_IV_LEN + ZB_SM3_LEN)

#define KEYFILE_HEX_LEN (ZB_KEYS_MASTER_LEN * 2)
#define KEYFILE_MAX_READ 512 /* anything larger is not a key file */

struct zb_keys {
	unsigned char enc[ZB_SM4_KEY_LEN];
	unsigned char mac[ZB_SM3_LEN];
	unsigned char bidx[ZB_SM3_LEN];
	unsigned char audit[ZB_SM3_LEN];
	unsigned char check[ZB_SM3_LEN];
	int audit_carried;   /* audit comes from an "audit" line, not derived */
};

static int derive(const unsigned char *master, size_t len, const char *label,
		  unsigned char out[ZB_SM3_LEN])
{
	return zb_hmac_sm3(master, len, label, strlen(label), out);
}

static int keys_make(const unsigned char *master, size_t len, const unsigned char *audit,
		     zb_keys **out, zb_err *e)
{
	unsigned char enc32[ZB_SM3_LEN];
	zb_keys *k = NULL;
	int rc;

	*out = NULL;
	if (len < ZB_KEYS_MASTER_MIN || len > ZB_KEYS_MASTER_MAX)
		return zb_fail(e, ZB_EINVAL, "", "主密钥长度应为 %d 到 %d 字节（当前 %zu 字节）",
			       ZB_KEYS_MASTER_MIN, ZB_KEYS_MASTER_MAX, len);
	rc = zb_crypto_init();
	if (rc)
		return zb_fail(e, rc, "", "加密库初始化失败（libsodium 或 OpenSSL SM3/SM4 不可用）");
	/* sodium_malloc: guard pages, mlock (best effort) and wipe on free. */
	k = sodium_malloc(sizeof *k);
	if (!k)
		return zb_fail(e, ZB_EINTERNAL, "", "内存不足，无法加载密钥");
	if ((rc = derive(master, len, LABEL_ENC, enc32)) ||
	    (rc = derive(master, len, LABEL_MAC, k->mac)) ||
	    (rc = derive(master, len, LABEL_BIDX, k->bidx)) ||
	    (rc = derive(master, len, LABEL_AUDIT, k->audit)) ||
	    (rc = derive(master, len, LABEL_CHECK, k->check))) {
		zb_fail(e, rc, "", "派生子密钥失败");
		goto fail;
	}
	memcpy(k->enc, enc32, sizeof k->enc);
	sodium_memzero(enc32, sizeof enc32);
	if (audit) { /* carried over from the key this one replaced */
		memcpy(k->audit, audit, sizeof k->audit);
		k->audit_carried = 1;
	}
	*out = k;
	return 0;
fail:
	sodium_memzero(enc32, sizeof enc32);
	zb_keys_free(k);
	return rc;
}

int zb_keys_from_master(const unsigned char *master, size_t len, zb_keys **out,
			zb_err *e)
{
	return keys_make(master, len, NULL, out, e);
}

void zb_keys_free(zb_keys *k)
{
	if (!k)
		return;
	sodium_memzero(k, sizeof *k);
	sodium_free(k);
}

const unsigned char *zb_keys_audit_key(const zb_keys *k, size_t *len)
{
	if (len)
		*len = sizeof k->audit;
	return k->audit;
}

/* The whole text to a new key file, mode exactly 0600 (the umask may only
 * clear bits; zb_keys_load checks the mode), and on disk.  -1 with errno. */
static int write_key_text(int fd, const char *text, size_t n)
{
	if (fchmod(fd, 0600) != 0)
		return -1;
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, text + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		off += (size_t)w;
	}
	return fsync(fd);
}

int zb_keys_create(const char *path, zb_err *e)
{
	unsigned char master[ZB_KEYS_MASTER_LEN];
	char hex[KEYFILE_HEX_LEN + 2]; /* hex, '\n', NUL */
	int fd = -1, rc;
	size_t n;

	rc = zb_random_bytes(master, sizeof master);
	if (rc) {
		zb_fail(e, rc, "", "无法生成随机密钥（libsodium 初始化失败）");
		goto fail;
	}
	sodium_bin2hex(hex, sizeof hex, master, sizeof master);
	n = KEYFILE_HEX_LEN;
	hex[n++] = '\n';

	/* O_EXCL refuses an existing file, O_NOFOLLOW a planted symlink: a
	 * key must never replace another key (that would orphan every value
	 * encrypted under it). */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = zb_fail(e, ZB_ECONFLICT, "", "密钥文件 %s 已存在，拒绝覆盖", path);
		else
			rc = zb_fail(e, ZB_EINTERNAL, "", "无法创建密钥文件 %s：%s", path,
				     strerror(errno));
		goto fail;
	}
	if (write_key_text(fd, hex, n))
		goto io_fail;
	if (close(fd) != 0) {
		fd = -1;
		goto io_fail;
	}
	sodium_memzero(master, sizeof master);
	sodium_memzero(hex, sizeof hex);
	return 0;
io_fail:
	rc = zb_fail(e, ZB_EINTERNAL, "", "写入密钥文件 %s 失败：%s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(path); /* we created it (O_EXCL): a partial key is worse than none */
fail:
	if (fd >= 0)
		close(fd);
	sodium_memzero(master, sizeof master);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

int zb_keys_create_next(const char *path, const zb_keys *old, zb_err *e)
{
	unsigned char master[ZB_KEYS_MASTER_LEN];
	/* master hex, '\n', "audit ", audit hex, '\n', NUL */
	char text[KEYFILE_HEX_LEN + 1 + 6 + ZB_SM3_LEN * 2 + 2];
	char tmp[4096], dir[4096];
	int fd = -1, rc;
	size_t n;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return zb_fail(e, ZB_EINVAL, "", "密钥文件路径过长：%s", path);
	rc = zb_random_bytes(master, sizeof master);
	if (rc) {
		zb_fail(e, rc, "", "无法生成随机密钥（libsodium 初始化失败）");
		goto fail;
	}
	sodium_bin2hex(text, KEYFILE_HEX_LEN + 1, master, sizeof master);
	n = KEYFILE_HEX_LEN;
	memcpy(text + n, "\naudit ", 7);
	n += 7;
	sodium_bin2hex(text + n, ZB_SM3_LEN * 2 + 1, old->audit, sizeof old->audit);
	n += ZB_SM3_LEN * 2;
	text[n++] = '\n';

	/* A temporary file left by an earlier attempt was never linked to
	 * path, so nothing was encrypted under it. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "无法创建密钥文件 %s：%s", tmp, strerror(errno));
		goto fail;
	}
	if (write_key_text(fd, text, n))
		goto io_fail;
	if (close(fd) != 0) {
		fd = -1;
		goto io_fail;
	}
	fd = -1;
	/* link, unlike rename, never replaces an existing file: the whole
	 * file appears at path at once, or nothing does. */
	if (link(tmp, path) != 0) {
		if (errno == EEXIST)
			rc = zb_fail(e, ZB_ECONFLICT, "", "密钥文件 %s 已存在，拒绝覆盖", path);
		else
			rc = zb_fail(e, ZB_EINTERNAL, "", "无法创建密钥文件 %s：%s", path, strerror(errno));
		unlink(tmp);
		goto fail;
	}
	unlink(tmp);
	zb_fsync_dir_of(path, dir, sizeof dir);
	sodium_memzero(master, sizeof master);
	sodium_memzero(text, sizeof text);
	return 0;
io_fail:
	rc = zb_fail(e, ZB_EINTERNAL, "", "写入密钥文件 %s 失败：%s", tmp, strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = -1;
	unlink(tmp);
fail:
	sodium_memzero(master, sizeof master);
	sodium_memzero(text, sizeof text);
	return rc;
}

void zb_fsync_dir_of(const char *path, char *buf, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, cap, ".");
	else if (slash == path)
		snprintf(buf, cap, "/");
	else
		snprintf(buf, cap, "%.*s", (int)(slash - path), path);
	int dfd = open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
}

/* One line of n hex characters (then "\n", "\r\n" or the end) at *p. */
static int hex_line(const char **p, const char *end, size_t n, unsigned char *out)
{
	size_t binlen = 0;
	const char *stop = NULL;
	if ((size_t)(end - *p) < n ||
	    sodium_hex2bin(out, n / 2, *p, n, NULL, &binlen, &stop) != 0 || binlen != n / 2 ||
	    stop != *p + n)
		return -1;
	*p += n;
	if (*p < end && **p == '\r')
		(*p)++;
	if (*p < end) {
		if (**p != '\n')
			return -1;
		(*p)++;
	}
	return 0;
}

/* Key file text: the master key as hex, optionally followed by
 * "audit <64 hex>" (written by a rotation, see zb_keys_create_next). */
static int parse_keyfile(const char *text, size_t len, unsigned char master[ZB_KEYS_MASTER_LEN],
			 unsigned char audit[ZB_SM3_LEN], int *has_audit)
{
	const char *p = text, *end = text + len;
	*has_audit = 0;
	if (hex_line(&p, end, KEYFILE_HEX_LEN, master))
		return -1;
	if (p == end)
		return 0;
	if ((size_t)(end - p) < 6 || memcmp(p, "audit ", 6) != 0)
		return -1;
	p += 6;
	if (hex_line(&p, end, ZB_SM3_LEN * 2, audit) || p != end)
		return -1;
	*has_audit = 1;
	return 0;
}

int zb_keys_load(const char *path, zb_keys **out, zb_err *e)
{
	unsigned char master[ZB_KEYS_MASTER_LEN], audit[ZB_SM3_LEN];
	int has_audit = 0;
	char text[KEYFILE_MAX_READ + 1];
	size_t len = 0;
	struct stat st;
	int fd = -1, rc;

	*out = NULL;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer forever; the checks below refuse it before any read. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		rc = zb_fail(e, errno == ENOENT ? ZB_ENOTFOUND : ZB_EINTERNAL, "",
			     "无法打开密钥文件 %s：%s", path, strerror(errno));
		goto fail;
	}
	/* fstat on the open descriptor, not stat on the path: checks the
	 * file we actually read. */
	if (fstat(fd, &st) != 0) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "无法读取密钥文件 %s 的属性：%s", path,
			     strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		const char *what = S_ISDIR(st.st_mode)    ? "目录"
		                   : S_ISFIFO(st.st_mode) ? "命名管道（FIFO）"
		                   : S_ISCHR(st.st_mode)  ? "字符设备"
		                   : S_ISBLK(st.st_mode)  ? "块设备"
		                   : S_ISSOCK(st.st_mode) ? "套接字"
		                                          : "特殊文件";
		rc = zb_fail(e, ZB_EINVAL, "", "密钥文件 %s 不是普通文件（它是%s），拒绝启动：请指定 zhibu init 生成的密钥文件",
			     path, what);
		goto fail;
	}
	if (st.st_mode & 077) {
		rc = zb_fail(e, ZB_EINVAL, "",
			     "密钥文件 %s 的权限为 %04o，同组或其他用户可以访问；"
			     "权限必须为 0600（执行 chmod 600 %s）",
			     path, (unsigned)(st.st_mode & 07777), path);
		goto fail;
	}
	for (;;) {
		ssize_t r = read(fd, text + len, sizeof text - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = zb_fail(e, ZB_EINTERNAL, "", "读取密钥文件 %s 失败：%s", path,
				     strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len == sizeof text - 1)
			break; /* too long: rejected below */
	}
	text[len] = '\0';
	if (parse_keyfile(text, len, master, audit, &has_audit)) {
		rc = zb_fail(e, ZB_EINVAL, "",
			     "密钥文件 %s 格式错误：第一行应为 %d 个十六进制字符（%d 字节），"
			     "其后可有一行“audit ”加 %d 个十六进制字符（轮换后沿用的审计密钥）；"
			     "可用 zb_keys_create 重新生成（会导致已加密数据无法解密）",
			     path, KEYFILE_HEX_LEN, ZB_KEYS_MASTER_LEN, ZB_SM3_LEN * 2);
		goto fail;
	}
	rc = keys_make(master, sizeof master, has_audit ? audit : NULL, out, e);
fail:
	if (fd >= 0)
		close(fd);
	sodium_memzero(master, sizeof master);
	sodium_memzero(audit, sizeof audit);
	sodium_memzero(text, sizeof text);
	return rc;
}

/* MAC input.  v1: "v1:" || iv || ct.  v2: "v2:" || u32be(len(ad)) || ad ||
 * iv || ct; the length prefix keeps (ad, iv || ct) splits apart. */
static int fp_mac(const zb_keys *k, int version, const char *ad, const unsigned char *iv_ct, size_t n,
		  unsigned char mac[ZB_SM3_LEN])
{
	zb_hmac_sm3_ctx *c = NULL;
	int rc = zb_hmac_sm3_init(&c, k->mac, sizeof k->mac);
	if (!rc && version == 1)
		rc = zb_hmac_sm3_update(c, FP_PREFIX_V1, FP_PREFIX_LEN);
	if (!rc && version == 2) {
		size_t adn = strlen(ad);
		unsigned char len4[4] = {(unsigned char)(adn >> 24), (unsigned char)(adn >> 16),
					 (unsigned char)(adn >> 8), (unsigned char)adn};
		rc = zb_hmac_sm3_update(c, FP_PREFIX_V2, FP_PREFIX_LEN);
		if (!rc)
			rc = zb_hmac_sm3_update(c, len4, sizeof len4);
		if (!rc)
			rc = zb_hmac_sm3_update(c, ad, adn);
	}
	if (!rc)
		rc = zb_hmac_sm3_update(c, iv_ct, n);
	if (!rc)
		rc = zb_hmac_sm3_final(c, mac);
	zb_hmac_sm3_free(c);
	return rc;
}

int zb_fp_encrypt(const zb_keys *k, const char *plaintext, const char *ad, zb_buf *out)
{
	size_t n = strlen(plaintext);
	unsigned char *bin = NULL;
	char *text = NULL;
	size_t binlen, textlen;
	int rc;

	if (n > ZB_FP_MAX_PLAINTEXT || strlen(ad) > ZB_FP_MAX_AD)
		return ZB_ETOOBIG;
	binlen = ZB_SM4_IV_LEN + n + ZB_SM3_LEN;
	textlen = FP_PREFIX_LEN +
		  sodium_base64_ENCODED_LEN(binlen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	bin = malloc(binlen);
	text = malloc(textlen);
	if (!bin || !text) {
		rc = ZB_EINTERNAL;
		goto done;
	}
	/* layout: iv | ciphertext | mac */
	if ((rc = zb_random_bytes(bin, ZB_SM4_IV_LEN)))
		goto done;
	if ((rc = zb_sm4_ctr_encrypt(k->enc, bin, plaintext, n, bin + ZB_SM4_IV_LEN)))
		goto done;
	if ((rc = fp_mac(k, 2, ad, bin, ZB_SM4_IV_LEN + n, bin + ZB_SM4_IV_LEN + n)))
		goto done;
	memcpy(text, FP_PREFIX_V2, FP_PREFIX_LEN);
	sodium_bin2base64(text + FP_PREFIX_LEN, textlen - FP_PREFIX_LEN, bin, binlen,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	rc = zb_buf_puts(out, text);
done:
	free(bin);
	free(text);
	return rc;
}

int zb_fp_version(const char *text)
{
	if (!text)
		return 0;
	if (!strncmp(text, FP_PREFIX_V1, FP_PREFIX_LEN))
		return 1;
	if (!strncmp(text, FP_PREFIX_V2, FP_PREFIX_LEN))
		return 2;
	return 0;
}

int zb_fp_decrypt(const zb_keys *k, const char *text, const char *ad, zb_buf *out, zb_err *e)
{
	static const char bad_format[] = "加密字段格式错误，无法解密（数据可能已损坏）";
	unsigned char mac[ZB_SM3_LEN];
	unsigned char *bin = NULL, *plain = NULL;
	size_t tlen = strnlen(text, ZB_FP_MAX_PLAINTEXT * 2);
	size_t maxbin = 0, binlen = 0, n = 0;
	const char *b64end = NULL;
	int rc, version = zb_fp_version(text);

	if (tlen < FP_PREFIX_LEN || !version)
		return zb_fail(e, ZB_EINTERNAL, "", "加密字段版本不受支持（应以 %s 或 %s 开头）",
			       FP_PREFIX_V2, FP_PREFIX_V1);
	if (strlen(ad) > ZB_FP_MAX_AD)
		return zb_fail(e, ZB_EINTERNAL, "", "加密字段的关联数据过长");
	text += FP_PREFIX_LEN;
	tlen -= FP_PREFIX_LEN;
	/* Bound the work before allocating: a base64 text longer than the
	 * largest value we encrypt cannot be ours. */
	if (tlen > sodium_base64_ENCODED_LEN(FP_OVERHEAD + ZB_FP_MAX_PLAINTEXT,
					    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return zb_fail(e, ZB_EINTERNAL, "", "%s", bad_format);
	maxbin = tlen / 4 * 3 + 3;
	bin = malloc(maxbin);
	if (!bin)
		return zb_fail(e, ZB_EINTERNAL, "", "内存不足，无法解密");
	/* libsodium rejects non-zero padding bits, so each text has exactly
	 * one decoding and every character is covered by the MAC. */
	if (sodium_base642bin(bin, maxbin, text, tlen, NULL, &binlen, &b64end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    b64end != text + tlen || binlen < FP_OVERHEAD) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "%s", bad_format);
		goto done;
	}
	n = binlen - FP_OVERHEAD;
	if ((rc = fp_mac(k, version, ad, bin, ZB_SM4_IV_LEN + n, mac))) {
		zb_fail(e, rc, "", "计算校验码失败");
		goto done;
	}
	if (sodium_memcmp(mac, bin + ZB_SM4_IV_LEN + n, ZB_SM3_LEN) != 0) {
		if (version == 2 && *ad)
			rc = zb_fail(e, ZB_EINTERNAL, "",
				     "加密字段校验失败：密文不属于%s（从其他记录或字段复制而来，或已被篡改），"
				     "或密钥文件与数据不匹配",
				     ad);
		else
			rc = zb_fail(e, ZB_EINTERNAL, "",
				     "加密字段校验失败：密钥文件与数据不匹配，或数据已被篡改");
		goto done;
	}
	plain = malloc(n + 1);
	if (!plain) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "内存不足，无法解密");
		goto done;
	}
	if ((rc = zb_sm4_ctr_decrypt(k->enc, bin, bin + ZB_SM4_IV_LEN, n, plain))) {
		zb_fail(e, rc, "", "解密失败");
		goto done;
	}
	if ((rc = zb_buf_append(out, plain, n)))
		zb_fail(e, rc, "", "解密结果超出缓冲区上限");
done:
	if (plain) {
		sodium_memzero(plain, n + 1);
		free(plain);
	}
	free(bin);
	return rc;
}

int zb_fp_blind_index(const zb_keys *k, const char *normalized_value, char out_hex[65])
{
	unsigned char mac[ZB_SM3_LEN];
	int rc = zb_hmac_sm3(k->bidx, sizeof k->bidx, normalized_value,
			     strlen(normalized_value), mac);
	if (rc) {
		out_hex[0] = '\0';
		return rc;
	}
	sodium_bin2hex(out_hex, 65, mac, sizeof mac);
	return 0;
}

void zb_fp_key_fingerprint(const zb_keys *k, char out_hex[65])
{
	sodium_bin2hex(out_hex, 65, k->check, sizeof k->check);
}

int zb_fp_key_verify(const zb_keys *k, const char *stored_hex, zb_err *e)
{
	char mine[65];
	zb_fp_key_fingerprint(k, mine);
	/* Length first (public), then content in constant time. */
	if (!stored_hex || strlen(stored_hex) != 64 ||
	    sodium_memcmp(mine, stored_hex, 64) != 0)
		return zb_fail(e, ZB_EINVAL, "",
			       "密钥文件与数据库不匹配：数据库中的加密数据不是用此密钥加密的，"
			       "请检查密钥文件路径");
	return 0;
}

/* Number of UTF-8 characters (lead bytes) in valid UTF-8 s. */
static size_t utf8_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Byte offset of character number idx in valid UTF-8 s. */
static size_t utf8_offset(const char *s, size_t n, size_t idx)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (c == idx)
				return i;
			c++;
		}
	}
	return n;
}

static int mask(const char *s, zb_buf *out, const size_t rules[4][3])
{
	size_t bytes, chars, head = 0, tail = 0, h_end, t_start;
	size_t old = out->len;
	int rc = 0;

	if (!s)
		s = "";
	bytes = strlen(s);
	if (!zb_utf8_valid(s, bytes)) {
		chars = bytes;
		goto stars_only;
	}
	chars = utf8_count(s, bytes);
	/* rules: {min length, keep head, keep tail}, longest first */
	for (int i = 0; i < 4; i++) {
		if (chars >= rules[i][0]) {
			head = rules[i][1];
			tail = rules[i][2];
			break;
		}
	}
	if (head + tail == 0)
		goto stars_only;
	h_end = utf8_offset(s, bytes, head);
	t_start = utf8_offset(s, bytes, chars - tail);
	if ((rc = zb_buf_append(out, s, h_end)))
		goto fail;
	for (size_t i = head; i < chars - tail; i++)
		if ((rc = zb_buf_putc(out, '*')))
			goto fail;
	if ((rc = zb_buf_append(out, s + t_start, bytes - t_start)))
		goto fail;
	return 0;
stars_only:
	for (size_t i = 0; i < chars; i++)
		if ((rc = zb_buf_putc(out, '*')))
			goto fail;
	return 0;
fail:
	out->len = old;
	if (out->data)
		out->data[old] = '\0';
	return rc;
}

int zb_mask_id_number(const char *id, zb_buf *out)
{
	/* Nothing is kept: the region, birth date, sequence and checksum are
	 * all guessable from what is shown beside the mask (native place,
	 * birth month, gender), so every kept character shrinks the set of
	 * numbers that fit.  docs/SECURITY.md "What each role can see". */
	static const size_t rules[4][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
	return mask(id, out, rules);
}

int zb_mask_phone(const char *phone, zb_buf *out)
{
	static const size_t rules[4][3] = {{11, 3, 4}, {7, 2, 2}, {3, 1, 1}, {0, 0, 0}};
	return mask(phone, out, rules);
}
