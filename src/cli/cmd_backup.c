/* zhibu backup / zhibu restore.
 *
 * A backup is a directory (created 0700, refused when it exists and is not
 * empty) holding:
 *   zhibu.db       SQLite: one consistent snapshot taken with the online
 *                  backup API while the server keeps writing (store/db.h
 *                  zb_db_backup_to); PostgreSQL: absent, the operator runs
 *                  pg_dump into the same directory (printed guidance)
 *   zhibu.key      the key file, 0600: without it the protected fields and
 *                  the audit chain of the copy are useless
 *   manifest.json  written last, so a directory without it is not a backup:
 *                  format, program version, backend, time, schema version,
 *                  key fingerprint, the audit head (last id and its MAC) of
 *                  the snapshot, and the SHA-256 of zhibu.db.
 *
 * Restore refuses to overwrite an existing database (or key file that
 * differs) unless --force, checks the manifest, the database file's hash,
 * the key fingerprint against the restored database and the manifest, the
 * audit head against the manifest, and verifies the audit chain, all on a
 * temporary copy next to the target; only then is the copy moved into
 * place.  On PostgreSQL the database is loaded with pg_restore first;
 * restore then checks it the same way and installs the key file.
 */
#include "audit/audit.h"
#include "cli/cli.h"
#include "crypto/fieldprot.h"
#include "version.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MANIFEST_FORMAT "zhibu-backup"
#define MANIFEST_VERSION 1
#define KEY_MAX (64 * 1024)

static int is_pg(const char *uri)
{
	return !strncmp(uri, "postgres://", 11) || !strncmp(uri, "postgresql://", 13);
}

static int join(char *out, size_t n, const char *dir, const char *name)
{
	int k = snprintf(out, n, "%s/%s", dir, name);
	return k < 0 || (size_t)k >= n ? -1 : 0;
}

/* Write data to a new file (O_EXCL, 0600) and sync it. */
static int write_new(const char *path, const void *data, size_t len, zb_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return zb_fail(e, ZB_EINVAL, NULL, "无法创建文件 %s：%s", path, strerror(errno));
	const char *p = data;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	int bad = off < len || fsync(fd) != 0;
	if (close(fd) != 0)
		bad = 1;
	if (bad) {
		int r = zb_fail(e, ZB_EINTERNAL, NULL, "写入文件 %s 失败：%s", path, strerror(errno));
		unlink(path);
		return r;
	}
	return 0;
}

/* Read a small file whole (the key file, the manifest). */
static int read_small(const char *path, char **out, size_t *len, zb_err *e)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return zb_fail(e, errno == ENOENT ? ZB_ENOTFOUND : ZB_EINVAL, NULL, "无法读取 %s：%s", path, strerror(errno));
	char *buf = malloc(KEY_MAX + 1);
	size_t n = buf ? fread(buf, 1, KEY_MAX + 1, f) : 0;
	int err = ferror(f);
	fclose(f);
	if (!buf || err || n > KEY_MAX) {
		free(buf);
		return zb_fail(e, ZB_EINVAL, NULL, "无法读取 %s（读取出错或文件过大）", path);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* SHA-256 of a file, hex. */
static int file_sha256(const char *path, char hex[65], zb_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return zb_fail(e, ZB_EINVAL, NULL, "无法读取 %s：%s", path, strerror(errno));
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	static unsigned char buf[1 << 16];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return zb_fail(e, ZB_EINVAL, NULL, "读取 %s 失败：%s", path, strerror(errno));
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 65, h, sizeof h);
	return 0;
}

/* What a manifest records about a database. */
typedef struct dbfacts {
	int schema;
	char fingerprint[80];
	int64_t head_id;
	char head_mac[80];
} dbfacts;

static void read_head(zb_stmt *st, void *ctx)
{
	dbfacts *f = ctx;
	f->head_id = zb_col_int(st, 0);
	snprintf(f->head_mac, sizeof f->head_mac, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
}

/* Schema version, then stored key fingerprint and audit head in one snapshot. */
static int read_facts(zb_db *db, dbfacts *f, zb_err *e)
{
	memset(f, 0, sizeof *f);
	/* the version first: reading it may create the bookkeeping table,
	 * which a read-only snapshot (PostgreSQL) refuses */
	int rc = zb_db_schema_version(db, &f->schema, e);
	if (rc || (rc = zb_db_begin_read(db, e)))
		return rc;
	if ((rc = zb_cli_setting(db, "key_fingerprint", f->fingerprint, sizeof f->fingerprint, e)))
		goto out;
	rc = zb_db_one(db, e, NULL, read_head, f, "SELECT last_id, last_mac FROM audit_head WHERE id = 1", "");
	if (rc == ZB_ENOTFOUND)
		rc = 0;
	if (!rc && !f->fingerprint[0])
		rc = zb_fail(e, ZB_EINVAL, "db", "数据库尚未初始化（没有密钥指纹）");
out:
	zb_db_rollback(db);
	return rc;
}

/* An empty directory at dir, made 0700 if missing. */
static int prepare_dir(const char *dir, zb_err *e)
{
	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return zb_fail(e, ZB_EINVAL, "output", "无法创建备份目录 %s：%s", dir, strerror(errno));
	DIR *d = opendir(dir);
	if (!d)
		return zb_fail(e, ZB_EINVAL, "output", "%s 已存在且不是可用的目录：%s", dir, strerror(errno));
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	if (!empty)
		return zb_fail(e, ZB_ECONFLICT, "output", "备份目录 %s 已存在且不为空：每次备份请用新的目录", dir);
	return 0;
}

static void iso_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int do_backup(zb_app *app, zb_db *db, const char *dir, zb_err *e)
{
	char dbpath[4096], keypath[4096], manpath[4096], tmppath[4096];
	if (join(dbpath, sizeof dbpath, dir, "zhibu.db") || join(keypath, sizeof keypath, dir, "zhibu.key") ||
	    join(manpath, sizeof manpath, dir, "manifest.json") || join(tmppath, sizeof tmppath, dir, ".manifest.tmp"))
		return zb_fail(e, ZB_EINVAL, "output", "备份目录路径过长");
	int rc = prepare_dir(dir, e);
	if (rc)
		return rc;
	int pg = zb_db_backend(db) == ZB_DB_PG;
	int64_t started = zb_now(app);
	dbfacts f;
	char sha[65] = "";
	if (!pg) {
		if ((rc = zb_db_backup_to(db, dbpath, e)))
			return rc;
		/* the manifest describes the copy itself, not the live database */
		zb_db *copy = NULL;
		rc = zb_db_open(dbpath, &copy, e);
		if (!rc)
			rc = read_facts(copy, &f, e);
		zb_db_close(copy);
		if (!rc)
			rc = file_sha256(dbpath, sha, e);
	} else {
		rc = read_facts(db, &f, e);
	}
	if (rc)
		return rc;
	/* the key file: the one that opened this database (checked by zb_cli_open) */
	char *key = NULL;
	size_t keylen = 0;
	if ((rc = read_small(app->key_path, &key, &keylen, e)))
		return rc;
	rc = write_new(keypath, key, keylen, e);
	sodium_memzero(key, keylen);
	free(key);
	if (rc)
		return rc;
	char when[32];
	iso_time(started, when);
	json_t *m = json_pack("{s:s, s:i, s:s, s:s, s:s, s:I, s:i, s:s, s:{s:I, s:s}, s:s, s:s, s:s?}", "format",
	                      MANIFEST_FORMAT, "format_version", MANIFEST_VERSION, "zhibu_version", ZB_VERSION, "backend",
	                      pg ? "postgresql" : "sqlite", "created_at", when, "created_unix", (json_int_t)started,
	                      "schema_version", f.schema, "key_fingerprint", f.fingerprint, "audit_head", "id",
	                      (json_int_t)f.head_id, "mac", f.head_mac, "key_file", "zhibu.key", "db_file",
	                      pg ? "zhibu.pgdump" : "zhibu.db", "db_sha256", pg ? NULL : sha);
	if (m && pg)
		json_object_del(m, "db_sha256"); /* the dump is the operator's; no hash of it here */
	char *text = m ? json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(m);
	if (!text)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	size_t tl = strlen(text);
	char *withnl = realloc(text, tl + 2);
	if (!withnl) {
		free(text);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	withnl[tl] = '\n';
	withnl[tl + 1] = '\0';
	rc = write_new(tmppath, withnl, tl + 1, e);
	free(withnl);
	if (rc)
		return rc;
	if (rename(tmppath, manpath) != 0) {
		unlink(tmppath);
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法写入 %s：%s", manpath, strerror(errno));
	}
	sync_dir(dir);
	char detail[200];
	snprintf(detail, sizeof detail, "{\"backend\":\"%s\",\"audit_head\":%lld}", pg ? "postgresql" : "sqlite",
	         (long long)f.head_id);
	zb_cli_audit(app, db, "system.backup", "system", 0, detail);
	if (pg) {
		printf("已把密钥文件和清单写入 %s（结构版本 %d，审计链头 %lld）。\n"
		       "PostgreSQL 的数据请用 pg_dump 备份到同一目录（一致的快照，服务不必停）：\n"
		       "  pg_dump --format=custom --file %s/zhibu.pgdump \"$ZHIBU_DB\"\n"
		       "恢复：先 createdb 一个空库，再\n"
		       "  pg_restore --no-owner --dbname \"$ZHIBU_DB\" %s/zhibu.pgdump\n"
		       "  zhibu restore --from %s --db \"$ZHIBU_DB\"\n"
		       "（后者核对密钥指纹和审计链，并安装密钥文件）\n",
		       dir, f.schema, (long long)f.head_id, dir, dir, dir);
	} else {
		printf("备份完成：%s（结构版本 %d，审计链头 %lld，数据库 SHA-256 %.16s…）\n", dir, f.schema,
		       (long long)f.head_id, sha);
	}
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"output", 1, NULL}, {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	const char *dir = zb_cli_get(opts, "output");
	if (!dir)
		return zb_cli_failf("用法：zhibu backup --db DB -o 备份目录（目录须不存在或为空）");
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 1, 1, &db);
	if (!rc) {
		zb_err e = {0};
		if (do_backup(&app, db, dir, &e))
			rc = zb_cli_fail(&e);
	}
	zb_app_release(&app);
	return rc;
}

/* ---- restore ----------------------------------------------------------- */

typedef struct manifest {
	json_t *j;
	const char *backend, *fingerprint, *head_mac, *sha;
	int64_t head_id;
	int schema;
} manifest;

static int load_manifest(const char *dir, manifest *m, zb_err *e)
{
	memset(m, 0, sizeof *m);
	char path[4096];
	if (join(path, sizeof path, dir, "manifest.json"))
		return zb_fail(e, ZB_EINVAL, "from", "备份目录路径过长");
	char *text;
	size_t len;
	int rc = read_small(path, &text, &len, e);
	if (rc)
		return zb_fail(e, ZB_EINVAL, "from", "%s 不是完整的备份：没有可读的 manifest.json", dir);
	json_error_t je;
	m->j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	const char *fmt = NULL;
	json_int_t fv = 0, hid = 0, schema = 0;
	if (!m->j || json_unpack(m->j, "{s:s, s:I, s:s, s:s, s:I, s:{s:I, s:s}, s?s}", "format", &fmt, "format_version",
	                         &fv, "backend", &m->backend, "key_fingerprint", &m->fingerprint, "schema_version",
	                         &schema, "audit_head", "id", &hid, "mac", &m->head_mac, "db_sha256", &m->sha))
		return zb_fail(e, ZB_EINVAL, "from", "%s/manifest.json 格式不对（缺少字段或不是 JSON）", dir);
	if (strcmp(fmt, MANIFEST_FORMAT) || fv != MANIFEST_VERSION)
		return zb_fail(e, ZB_EINVAL, "from", "%s/manifest.json 不是本程序能读的备份清单（%s 版本 %lld）", dir, fmt,
		               (long long)fv);
	if (strcmp(m->backend, "sqlite") && strcmp(m->backend, "postgresql"))
		return zb_fail(e, ZB_EINVAL, "from", "备份清单中的数据库类型不认识：%s", m->backend);
	m->head_id = hid;
	m->schema = (int)schema;
	return 0;
}

/* The checks every restored database must pass: key fingerprint stored in
 * it = the backup key's = the manifest's; the audit row the manifest names
 * carries the MAC it recorded; the whole chain verifies. */
static int check_restored(zb_app *app, zb_db *db, const manifest *m, int exact_head, zb_audit_check *c, zb_err *e)
{
	dbfacts f;
	int rc = read_facts(db, &f, e);
	if (rc)
		return rc;
	if (strcmp(f.fingerprint, m->fingerprint))
		return zb_fail(e, ZB_ECONFLICT, "from", "数据库中的密钥指纹与备份清单不符：这不是该备份的数据库");
	if (zb_fp_key_verify(app->keys, f.fingerprint, e))
		return zb_fail(e, ZB_ECONFLICT, "from", "备份中的密钥文件与恢复的数据库不匹配");
	if (f.schema < m->schema)
		return zb_fail(e, ZB_ECONFLICT, "from", "恢复的数据库结构版本 %d 低于备份时的 %d", f.schema, m->schema);
	if (exact_head && (f.head_id != m->head_id || strcmp(f.head_mac, m->head_mac)))
		return zb_fail(e, ZB_ECONFLICT, "from", "恢复的数据库的审计链头（%lld）与备份清单（%lld）不符",
		               (long long)f.head_id, (long long)m->head_id);
	if (m->head_id > 0) {
		char mac[80] = "";
		zb_text_buf b = {mac, sizeof mac};
		rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT mac FROM audit_log WHERE id = ?", "i", m->head_id);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (strcmp(mac, m->head_mac))
			return zb_fail(e, ZB_ECONFLICT, "from", "审计记录 %lld 与备份清单不符：这不是该备份的数据", (long long)m->head_id);
	}
	if ((rc = zb_audit_verify(db, app, NULL, c, e)))
		return rc;
	if (!c->ok)
		return zb_fail(e, ZB_ECONFLICT, "from", "恢复的数据库审计链校验失败：%s（记录 id=%lld）", c->why, (long long)c->bad_id);
	return 0;
}

/* Install the backup's key file at dest: nothing to do when the same key is
 * there; a different one is replaced only with force. */
static int install_key(const char *src, const char *dest, int force, int dry, zb_err *e)
{
	char *k = NULL, *old = NULL;
	size_t kl = 0, ol = 0;
	int rc = read_small(src, &k, &kl, e);
	if (rc)
		return rc;
	int same = 0;
	if (!read_small(dest, &old, &ol, e))
		same = ol == kl && !sodium_memcmp(old, k, kl);
	else if (e->code != ZB_ENOTFOUND) {
		rc = e->code;
		goto out;
	} else {
		old = NULL;
	}
	memset(e, 0, sizeof *e);
	if (old && !same && !force) {
		rc = zb_fail(e, ZB_ECONFLICT, "key-file", "密钥文件 %s 已存在且与备份中的不同；确需替换请加 --force", dest);
		goto out;
	}
	if (dry || same)
		goto out;
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s.restore-%ld", dest, (long)getpid()) >= (int)sizeof tmp) {
		rc = zb_fail(e, ZB_EINVAL, "key-file", "密钥文件路径过长");
		goto out;
	}
	unlink(tmp);
	if ((rc = write_new(tmp, k, kl, e)))
		goto out;
	if (rename(tmp, dest) != 0) {
		rc = zb_fail(e, ZB_EINTERNAL, "key-file", "无法写入密钥文件 %s：%s", dest, strerror(errno));
		unlink(tmp);
	}
out:
	if (k)
		sodium_memzero(k, kl);
	if (old)
		sodium_memzero(old, ol);
	free(k);
	free(old);
	return rc;
}

static int copy_file(const char *src, const char *dest, zb_err *e)
{
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return zb_fail(e, ZB_EINVAL, "from", "无法读取 %s：%s", src, strerror(errno));
	int out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return zb_fail(e, ZB_EINVAL, "db", "无法创建 %s：%s", dest, strerror(errno));
	}
	static char buf[1 << 16];
	ssize_t n;
	int bad = 0;
	while (!bad && (n = read(in, buf, sizeof buf)) != 0) {
		if (n < 0) {
			bad = errno != EINTR;
			continue;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				bad = 1;
				break;
			}
			off += w;
		}
	}
	if (fsync(out) != 0)
		bad = 1;
	close(in);
	if (close(out) != 0)
		bad = 1;
	if (bad) {
		unlink(dest);
		return zb_fail(e, ZB_EINTERNAL, "db", "复制到 %s 失败：%s", dest, strerror(errno));
	}
	return 0;
}

static int exists(const char *p)
{
	struct stat st;
	return lstat(p, &st) == 0;
}

static void unlink_db_files(const char *db)
{
	char side[4200];
	if (snprintf(side, sizeof side, "%s-wal", db) < (int)sizeof side)
		unlink(side);
	if (snprintf(side, sizeof side, "%s-shm", db) < (int)sizeof side)
		unlink(side);
	if (snprintf(side, sizeof side, "%s-journal", db) < (int)sizeof side)
		unlink(side);
}

static int restore_sqlite(const char *from, const manifest *m, const char *target, const char *keyopt, int force,
                          zb_err *e)
{
	char src[4096], bkey[4096], tmp[4200];
	if (join(src, sizeof src, from, "zhibu.db") || join(bkey, sizeof bkey, from, "zhibu.key") ||
	    snprintf(tmp, sizeof tmp, "%s.restore-%ld", target, (long)getpid()) >= (int)sizeof tmp)
		return zb_fail(e, ZB_EINVAL, "from", "路径过长");
	char wal[4200];
	snprintf(wal, sizeof wal, "%s-wal", target);
	if (!force && (exists(target) || exists(wal))) {
		return zb_fail(e, ZB_ECONFLICT, "db",
		               "数据库 %s 已存在：恢复不会覆盖现有数据库（确需覆盖请先停止服务，再加 --force）", target);
	}
	if (!m->sha)
		return zb_fail(e, ZB_EINVAL, "from", "备份清单缺少 db_sha256");
	char sha[65];
	int rc = file_sha256(src, sha, e);
	if (rc)
		return zb_fail(e, ZB_EINVAL, "from", "%s 中没有可读的 zhibu.db", from);
	if (strcmp(sha, m->sha))
		return zb_fail(e, ZB_ECONFLICT, "from", "%s/zhibu.db 的 SHA-256 与清单不符：备份已损坏或被改动", from);

	/* the key path the restored database will be opened with */
	zb_app final;
	if ((rc = zb_app_init(&final, target, keyopt, e))) {
		zb_app_release(&final);
		return rc;
	}
	char keydest[4096];
	snprintf(keydest, sizeof keydest, "%s", final.key_path);
	zb_app_release(&final);
	if ((rc = install_key(bkey, keydest, force, 1, e)))
		return rc;

	/* everything is checked on a copy beside the target */
	unlink(tmp);
	unlink_db_files(tmp);
	if ((rc = copy_file(src, tmp, e)))
		return rc;
	zb_app app;
	zb_audit_check c = {0};
	rc = zb_app_init(&app, tmp, bkey, e);
	zb_db *db = NULL;
	if (!rc)
		rc = zb_app_load_keys(&app, e);
	if (!rc)
		rc = zb_app_db(&app, &db, e);
	if (!rc)
		rc = check_restored(&app, db, m, 1, &c, e);
	zb_app_release(&app); /* closes the connection: the copy is one file again */
	if (!rc) {
		if (force)
			unlink_db_files(target); /* a stale -wal would be replayed onto the restored file */
		if (rename(tmp, target) != 0)
			rc = zb_fail(e, ZB_EINTERNAL, "db", "无法把恢复的数据库移到 %s：%s", target, strerror(errno));
	}
	if (rc) {
		unlink(tmp);
		unlink_db_files(tmp);
		return rc;
	}
	if ((rc = install_key(bkey, keydest, force, 0, e)))
		return rc;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", target);
	char *slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		sync_dir(*dir ? dir : "/");
	} else {
		sync_dir(".");
	}
	printf("已恢复到 %s（密钥文件 %s）：结构版本 %d，审计链完整：%lld 条记录\n", target, keydest, m->schema,
	       (long long)c.rows);
	return 0;
}

static int restore_pg(const char *from, const manifest *m, const char *uri, const char *keyopt, int force,
                      zb_err *e)
{
	char bkey[4096];
	if (join(bkey, sizeof bkey, from, "zhibu.key"))
		return zb_fail(e, ZB_EINVAL, "from", "路径过长");
	zb_app app;
	int rc = zb_app_init(&app, uri, bkey, e);
	zb_db *db = NULL;
	zb_audit_check c = {0};
	if (!rc)
		rc = zb_app_load_keys(&app, e);
	if (!rc)
		rc = zb_app_db(&app, &db, e);
	if (!rc) {
		int64_t n = 0;
		zb_err e2 = {0};
		if (zb_db_int(db, &e2, &n, "SELECT COUNT(*) FROM settings WHERE key = 'key_fingerprint'", "") || !n) {
			zb_app_release(&app);
			return zb_fail(e, ZB_EINVAL, "db",
			               "目标数据库中还没有数据：请先用 pg_restore 载入备份，例如 pg_restore --no-owner "
			               "--dbname \"$ZHIBU_DB\" %s/zhibu.pgdump，再运行本命令核对并安装密钥文件",
			               from);
		}
		/* pg_dump is taken after the manifest: the head may have moved on,
		 * but the row the manifest names must be there, unchanged */
		rc = check_restored(&app, db, m, 0, &c, e);
	}
	zb_app_release(&app);
	if (rc)
		return rc;
	zb_app final;
	if ((rc = zb_app_init(&final, uri, keyopt, e))) {
		zb_app_release(&final);
		return rc;
	}
	char keydest[4096];
	snprintf(keydest, sizeof keydest, "%s", final.key_path);
	zb_app_release(&final);
	if ((rc = install_key(bkey, keydest, force, 0, e)))
		return rc;
	printf("PostgreSQL 数据库核对无误，密钥文件已安装到 %s：审计链完整：%lld 条记录\n", keydest, (long long)c.rows);
	return 0;
}

int cmd_restore(int argc, char **argv)
{
	zb_opt opts[] = {{"from", 1, NULL}, {"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"force", 0, NULL},
	                 {0}};
	const char *pos[1];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 0, &npos))
		return 2;
	const char *from = zb_cli_get(opts, "from"), *target = zb_cli_get(opts, "db");
	if (!from || !target)
		return zb_cli_failf("用法：zhibu restore --from 备份目录 --db DB [--key-file 密钥文件] [--force]");
	int force = zb_cli_get(opts, "force") != NULL;
	zb_err e = {0};
	manifest m;
	int rc = load_manifest(from, &m, &e);
	if (!rc) {
		if (is_pg(target) != !strcmp(m.backend, "postgresql"))
			rc = zb_fail(&e, ZB_EINVAL, "db", "备份来自 %s，不能恢复到另一种数据库", m.backend);
		else if (is_pg(target))
			rc = restore_pg(from, &m, target, zb_cli_get(opts, "key-file"), force, &e);
		else
			rc = restore_sqlite(from, &m, target, zb_cli_get(opts, "key-file"), force, &e);
	}
	json_decref(m.j);
	return rc ? zb_cli_fail(&e) : 0;
}
