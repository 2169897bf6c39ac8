/* zhibu key status | rotate - the master key of the protected fields.
 *
 * Rotation (docs/SECURITY-FIELDS.md, "Key rotation"): a new key file is
 * written beside the old one (KEY.next, carrying the audit key on), the
 * database records that a rotation runs (settings key_rotation_next, the
 * new key's fingerprint, and key_rotation_cursor, the last member id done),
 * every member's ciphertexts and blind index are rewritten under the new
 * key in batches, each batch one transaction that also moves the cursor,
 * and a last transaction moves key_fingerprint to the new key.  Then the
 * old file is renamed KEY.retired-<fingerprint> and KEY.next becomes KEY.
 * Killed at any point, the next `zhibu key rotate` continues from where
 * the database says it stopped.  While it runs, no other process may use
 * the key: it holds an exclusive lock on the key file (and on PostgreSQL an
 * advisory lock) that every command using the key takes shared. */
#include "cli/cli.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "member/member.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define KEY_LOCK_PG 7406020 /* advisory lock id; 7406001 is the migrations' */
#define ROTATE_BATCH 500

static int held_fd = -1; /* kept open until the process ends */

int zb_key_lock(zb_app *app, zb_db *db, const char *path, int exclusive, zb_err *e)
{
	if (held_fd >= 0)
		return 0;
	if (!path)
		path = app->key_path;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return zb_fail(e, errno == ENOENT ? ZB_ENOTFOUND : ZB_EINTERNAL, "", "无法打开密钥文件 %s：%s", path,
		               strerror(errno));
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
		int err = errno;
		close(fd);
		if (err != EWOULDBLOCK)
			return zb_fail(e, ZB_EINTERNAL, "", "无法锁定密钥文件 %s：%s", path, strerror(err));
		goto busy;
	}
	if (zb_db_backend(db) == ZB_DB_PG) {
		int64_t got = 0;
		int rc = zb_db_int(db, e, &got,
		                   exclusive ? "SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END"
		                             : "SELECT CASE WHEN pg_try_advisory_lock_shared(?) THEN 1 ELSE 0 END",
		                   "i", (int64_t)KEY_LOCK_PG);
		if (rc || !got) {
			close(fd);
			if (rc)
				return rc;
			goto busy;
		}
	}
	held_fd = fd;
	return 0;
busy:
	if (exclusive)
		return zb_fail(e, ZB_ECONFLICT, "",
		               "密钥正被其他进程使用（zhibu serve、其他应用节点或其他 zhibu 命令）：轮换密钥前请先停止所有服务和命令");
	return zb_fail(e, ZB_ECONFLICT, "", "密钥轮换正在进行（zhibu key rotate），请等它完成后再启动");
}

/* What the database says: the key fingerprint in use, and of a rotation
 * under way the new key's fingerprint and the last member id done ("" when
 * none).  ZB_EINVAL for a database never initialised. */
static int rotation_state(zb_db *db, char fp_db[80], char next_db[80], char cur_db[32], zb_err *e)
{
	int rc;
	if ((rc = zb_cli_setting(db, "key_fingerprint", fp_db, 80, e)) ||
	    (rc = zb_cli_setting(db, "key_rotation_next", next_db, 80, e)) ||
	    (rc = zb_cli_setting(db, "key_rotation_cursor", cur_db, 32, e)))
		return rc;
	if (!fp_db[0])
		return zb_fail(e, ZB_EINVAL, "", "数据库尚未初始化：请先运行 zhibu init");
	return 0;
}

static int setting_put(zb_db *db, const char *key, const char *value, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                 "ss", key, value);
}

/* A key file's keys and fingerprint; *k NULL (and fp "") when absent. */
static int load_opt(const char *path, zb_keys **k, char fp[65], zb_err *e)
{
	fp[0] = '\0';
	*k = NULL;
	if (access(path, F_OK) != 0)
		return 0;
	int rc = zb_keys_load(path, k, e);
	if (!rc)
		zb_fp_key_fingerprint(*k, fp);
	return rc;
}

static int count(zb_db *db, const char *sql, int64_t *n, zb_err *e)
{
	return zb_db_int(db, e, n, sql, "");
}

typedef struct row {
	int64_t id;
	char *id_enc, *phone_enc;
} row;

/* Re-encrypt one field of member id under nk; *out malloc'd (NULL for
 * NULL), idx (if given) gets the new blind index of the value. */
static int rekey(const zb_keys *ok, const zb_keys *nk, int64_t id, const char *field, const char *label,
                 const char *text, char **out, char idx[65], int drop, int64_t *dropped, zb_err *e)
{
	*out = NULL;
	if (idx)
		idx[0] = '\0';
	if (!text)
		return 0;
	char ad[ZB_MEMBER_AD_LEN];
	zb_buf plain = {0}, enc = {0};
	zb_member_field_ad(id, field, ad);
	int rc = zb_fp_decrypt(ok, text, ad, &plain, e);
	if (rc && drop) {
		/* --drop-unreadable: the value is lost already; clear it */
		zb_buf_release(&plain);
		memset(e, 0, sizeof *e);
		printf("已清空党员（编号 %lld）无法解密的%s，请在系统中重新录入\n", (long long)id, label);
		(*dropped)++;
		return 0;
	}
	if (rc) {
		zb_err inner = *e;
		zb_buf_release(&plain);
		return zb_fail(e, rc, "",
		               "党员（编号 %lld）的%s无法用旧密钥解密：%s。轮换已停止，已完成的记录保持不变；"
		               "请从备份中恢复该记录，或运行 zhibu key rotate --drop-unreadable 清空无法解密的值后继续"
		               "（之后在系统中重新录入）",
		               (long long)id, label, inner.msg);
	}
	const char *p = plain.data ? plain.data : "";
	if ((rc = zb_fp_encrypt(nk, p, ad, &enc)) || (idx && (rc = zb_fp_blind_index(nk, p, idx)))) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "党员（编号 %lld）的%s用新密钥加密失败", (long long)id, label);
	} else {
		*out = strdup(enc.data);
		if (!*out)
			rc = zb_fail(e, ZB_EINTERNAL, "", "内存不足");
	}
	if (plain.data)
		sodium_memzero(plain.data, plain.len);
	zb_buf_release(&plain);
	zb_buf_release(&enc);
	return rc;
}

typedef struct batch_rows {
	row *rows;
	int n, max;
} batch_rows;

static int add_batch_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	batch_rows *l = ctx;
	if (l->n == l->max)
		return ZB_DB_STOP;
	const char *a = zb_col_text(st, 1), *b = zb_col_text(st, 2);
	row *r = &l->rows[l->n++];
	r->id = zb_col_int(st, 0);
	r->id_enc = a ? strdup(a) : NULL;
	r->phone_enc = b ? strdup(b) : NULL;
	return 0;
}

/* One batch after cursor: re-encrypt, move the cursor, commit.  *n rows. */
static int rotate_batch(zb_db *db, const zb_keys *ok, const zb_keys *nk, int64_t *cursor, int batch, int drop,
                        int64_t *dropped, int *n, zb_err *e)
{
	row *rows = calloc((size_t)batch, sizeof *rows);
	int rc, got = 0;
	*n = 0;
	if (!rows)
		return zb_fail(e, ZB_EINTERNAL, "", "内存不足");
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	batch_rows l = {rows, 0, batch};
	rc = zb_db_each(db, e, add_batch_row, &l, "SELECT id, id_enc, phone_enc FROM members WHERE id > ? ORDER BY id LIMIT ?",
	                "ii", *cursor, (int64_t)batch);
	got = l.n;
	if (rc)
		goto out;
	for (int i = 0; i < got && !rc; i++) {
		char *id_enc = NULL, *phone_enc = NULL, idx[65];
		rc = rekey(ok, nk, rows[i].id, "id_number", "身份证号", rows[i].id_enc, &id_enc, idx, drop, dropped, e);
		if (!rc)
			rc = rekey(ok, nk, rows[i].id, "phone", "联系电话", rows[i].phone_enc, &phone_enc, NULL, drop, dropped, e);
		if (!rc && rows[i].id_enc && !id_enc) /* dropped: the mask goes with it */
			rc = zb_db_run(db, e, NULL, "UPDATE members SET id_masked = NULL WHERE id = ?", "i", rows[i].id);
		if (!rc && rows[i].phone_enc && !phone_enc)
			rc = zb_db_run(db, e, NULL, "UPDATE members SET phone_masked = NULL WHERE id = ?", "i", rows[i].id);
		if (!rc)
			rc = zb_db_run(db, e, NULL, "UPDATE members SET id_enc = ?, id_index = ?, phone_enc = ? WHERE id = ?",
			               "sssi", id_enc, id_enc ? idx : NULL, phone_enc, rows[i].id);
		free(id_enc);
		free(phone_enc);
	}
	if (!rc && got) {
		char cur[24];
		snprintf(cur, sizeof cur, "%lld", (long long)rows[got - 1].id);
		rc = setting_put(db, "key_rotation_cursor", cur, e);
	}
	if (!rc && !(rc = zb_db_commit(db, e))) {
		if (got)
			*cursor = rows[got - 1].id;
		*n = got;
	}
out:
	if (rc)
		zb_db_rollback(db);
	for (int i = 0; i < got; i++) {
		free(rows[i].id_enc);
		free(rows[i].phone_enc);
	}
	free(rows);
	return rc;
}

/* Before a rotation starts: every stored value must decrypt under the key
 * in use, so that a damaged or moved value is repaired while the server
 * can still run rather than found halfway. */
typedef struct precheck_state {
	const zb_keys *ok;
	char list[600]; /* the first ten that do not decrypt */
	size_t used;
	int64_t bad;
} precheck_state;

static int check_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	precheck_state *p = ctx;
	int64_t id = zb_col_int(st, 0);
	for (int f = 0; f < 2; f++) {
		const char *text = zb_col_text(st, 1 + f);
		if (!text)
			continue;
		char ad[ZB_MEMBER_AD_LEN];
		zb_buf plain = {0};
		zb_err ignore = {0};
		zb_member_field_ad(id, f ? "phone" : "id_number", ad);
		int bad_one = zb_fp_decrypt(p->ok, text, ad, &plain, &ignore) != 0;
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		zb_buf_release(&plain);
		if (!bad_one)
			continue;
		if (p->bad++ < 10 && p->used < sizeof p->list - 80) {
			int n = snprintf(p->list + p->used, sizeof p->list - p->used, "%s编号 %lld 的%s", p->used ? "、" : "",
			                 (long long)id, f ? "联系电话" : "身份证号");
			if (n > 0)
				p->used += (size_t)n;
		}
	}
	return 0;
}

static int precheck(zb_db *db, const zb_keys *ok, zb_err *e)
{
	precheck_state p = {.ok = ok};
	int rc = zb_db_each(db, e, check_row, &p, "SELECT id, id_enc, phone_enc FROM members ORDER BY id", "");
	if (rc)
		return rc;
	int64_t bad = p.bad;
	const char *list = p.list;
	if (bad)
		return zb_fail(e, ZB_ECONFLICT, "",
		               "有 %lld 个加密字段无法用当前密钥解密（被篡改，或从其他记录、字段复制而来）：%s%s。"
		               "未开始轮换：请启动服务，在系统中重新录入这些值后再轮换，"
		               "或运行 zhibu key rotate --drop-unreadable 清空它们",
		               (long long)bad, list, bad > 10 ? " 等" : "");
	return 0;
}

/* KEY.retired-<first 8 of its fingerprint>, then KEY.next -> KEY. */
static int swap_files(const char *key, const char *next, const char *old_fp, zb_err *e)
{
	char retired[4200], dir[4096];
	if (old_fp[0] && access(key, F_OK) == 0) {
		snprintf(retired, sizeof retired, "%s.retired-%.8s", key, old_fp);
		if (rename(key, retired) != 0)
			return zb_fail(e, ZB_EINTERNAL, "", "无法把旧密钥文件 %s 改名为 %s：%s", key, retired, strerror(errno));
		printf("旧密钥文件已改名为 %s：它只能解密轮换前的数据库备份，请移到离线介质保存或销毁\n", retired);
	}
	if (rename(next, key) != 0)
		return zb_fail(e, ZB_EINTERNAL, "", "无法把新密钥文件 %s 改名为 %s：%s", next, key, strerror(errno));
	zb_fsync_dir_of(key, dir, sizeof dir);
	printf("新密钥文件：%s（请立即备份；旧的密钥文件不再能打开此数据库）\n", key);
	return 0;
}

static int rotate(zb_app *app, zb_db *db, int batch, int drop, zb_err *e)
{
	char next[4200], fp_db[80], next_db[80], cur_db[32], fp_old[65], fp_new[65];
	zb_keys *ok = NULL, *nk = NULL;
	int rc;
	snprintf(next, sizeof next, "%s.next", app->key_path);

	/* Lock the key in use (or, after a crash between the two renames,
	 * the new one) before reading any state. */
	if ((rc = zb_key_lock(app, db, access(app->key_path, F_OK) == 0 ? app->key_path : next, 1, e)))
		return rc;
	if ((rc = rotation_state(db, fp_db, next_db, cur_db, e)))
		return rc;
	if ((rc = load_opt(app->key_path, &ok, fp_old, e)) || (rc = load_opt(next, &nk, fp_new, e)))
		goto out;

	if (!next_db[0]) {
		if (nk && !strcmp(fp_new, fp_db)) {
			/* the database moved already; only the files were left */
			rc = swap_files(app->key_path, next, ok ? fp_old : "", e);
			goto out;
		}
		if (!ok || strcmp(fp_old, fp_db)) {
			rc = zb_fail(e, ZB_EINVAL, "", "密钥文件 %s 与数据库不匹配，不能轮换：请指定数据库当前使用的密钥文件",
			             app->key_path);
			goto out;
		}
		if (!drop && (rc = precheck(db, ok, e)))
			goto out;
		if (nk) {
			/* written by a run that stopped before recording it:
			 * nothing was encrypted under it */
			zb_keys_free(nk);
			nk = NULL;
			if (unlink(next) != 0) {
				rc = zb_fail(e, ZB_EINTERNAL, "", "无法删除未使用的新密钥文件 %s：%s", next, strerror(errno));
				goto out;
			}
		}
		if ((rc = zb_keys_create_next(next, ok, e)) || (rc = load_opt(next, &nk, fp_new, e)))
			goto out;
		app->keys = ok; /* the audit key (the same in both files) */
		if ((rc = zb_db_begin_write(db, e)))
			goto out;
		rc = setting_put(db, "key_rotation_next", fp_new, e);
		if (!rc)
			rc = setting_put(db, "key_rotation_cursor", "0", e);
		if (!rc)
			zb_cli_audit(app, db, "key.rotate_start", NULL, 0, NULL);
		if (!rc)
			rc = zb_db_commit(db, e);
		if (rc) {
			zb_db_rollback(db);
			goto out;
		}
		snprintf(cur_db, sizeof cur_db, "0");
		printf("开始轮换密钥：新密钥文件 %s\n", next);
	} else {
		if (!ok || strcmp(fp_old, fp_db)) {
			rc = zb_fail(e, ZB_EINVAL, "", "密钥轮换进行中，但密钥文件 %s 不是数据库当前使用的密钥", app->key_path);
			goto out;
		}
		if (!nk || strcmp(fp_new, next_db)) {
			rc = zb_fail(e, ZB_EINVAL, "",
			             "密钥轮换进行中，但新密钥文件 %s %s：已轮换的记录只能用它解密，请从备份恢复该文件后重新运行",
			             next, nk ? "与数据库记录的不一致" : "不存在");
			goto out;
		}
		app->keys = ok;
		printf("继续未完成的密钥轮换（已完成到党员编号 %s）\n", cur_db);
	}

	int64_t cursor = strtoll(cur_db, NULL, 10), done = 0, total = 0, kill_after = 0, dropped = 0;
	const char *hook = getenv("ZHIBU_TEST_ROTATE_KILL_AFTER"); /* tests: die like kill -9 */
	if (hook && *hook)
		kill_after = strtoll(hook, NULL, 10);
	if ((rc = count(db, "SELECT COUNT(*) FROM members", &total, e)))
		goto out;
	for (;;) {
		int n = 0;
		if ((rc = rotate_batch(db, ok, nk, &cursor, batch, drop, &dropped, &n, e)))
			goto out;
		done += n;
		if (kill_after > 0 && done >= kill_after)
			raise(SIGKILL);
		if (n < batch)
			break;
	}

	/* The switch: one transaction moves the fingerprint and ends the
	 * rotation.  Import previews staged under the old key expire. */
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	rc = setting_put(db, "key_fingerprint", fp_new, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM settings WHERE key IN ('key_rotation_next', 'key_rotation_cursor')", "");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM import_rows WHERE batch_id IN (SELECT id FROM import_batches WHERE status = 'preview')",
		               "");
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE import_batches SET status = 'expired' WHERE status = 'preview'", "");
	if (!rc) {
		char detail[160];
		snprintf(detail, sizeof detail, "{\"from\":\"%.16s\",\"to\":\"%.16s\",\"members\":%lld,\"dropped\":%lld}",
		         fp_old, fp_new, (long long)total, (long long)dropped);
		zb_cli_audit(app, db, "key.rotate", NULL, 0, detail);
	}
	if (!rc)
		rc = zb_db_commit(db, e);
	if (rc) {
		zb_db_rollback(db);
		goto out;
	}
	printf("已用新密钥重新加密 %lld 名党员的身份证号和联系电话（本次 %lld 名）\n", (long long)total, (long long)done);
	rc = swap_files(app->key_path, next, fp_old, e);
out:
	if (app->keys == ok)
		app->keys = NULL;
	zb_keys_free(ok);
	zb_keys_free(nk);
	return rc;
}

static int status(zb_app *app, zb_db *db, zb_err *e)
{
	char fp_db[80], next_db[80], cur_db[32], fp[65];
	zb_keys *k = NULL;
	int64_t v1 = 0, v2 = 0, left = 0, total = 0;
	int rc;
	if ((rc = rotation_state(db, fp_db, next_db, cur_db, e)))
		return rc;
	if ((rc = load_opt(app->key_path, &k, fp, e)))
		return rc;
	printf("密钥文件：%s（%s）\n", app->key_path,
	       !k ? "不存在" : !strcmp(fp, fp_db) ? "与数据库一致" : "与数据库不匹配");
	printf("数据库中的密钥指纹：%.16s\n", fp_db);
	zb_keys_free(k);
	if ((rc = count(db,
	                "SELECT (SELECT COUNT(*) FROM members WHERE id_enc LIKE 'v1:%') + "
	                "(SELECT COUNT(*) FROM members WHERE phone_enc LIKE 'v1:%')",
	                &v1, e)) ||
	    (rc = count(db,
	                "SELECT (SELECT COUNT(*) FROM members WHERE id_enc LIKE 'v2:%') + "
	                "(SELECT COUNT(*) FROM members WHERE phone_enc LIKE 'v2:%')",
	                &v2, e)) ||
	    (rc = count(db, "SELECT COUNT(*) FROM members", &total, e)))
		return rc;
	printf("加密字段：v2（绑定记录）%lld 个，v1（旧格式，未绑定记录）%lld 个%s\n", (long long)v2, (long long)v1,
	       v1 ? "：运行 zhibu key rotate 可全部改写为 v2" : "");
	if (next_db[0]) {
		if ((rc = zb_db_int(db, e, &left, "SELECT COUNT(*) FROM members WHERE id > ?", "i",
		                    strtoll(cur_db, NULL, 10))))
			return rc;
		printf("密钥轮换：进行中，新密钥指纹 %.16s，已完成 %lld / %lld 名党员；运行 zhibu key rotate 继续\n", next_db,
		       (long long)(total - left), (long long)total);
	} else {
		printf("密钥轮换：无\n");
	}
	return 0;
}

int cmd_key(int argc, char **argv)
{
	zb_opt opts[] = {{"db", 1, "ZHIBU_DB"}, {"key-file", 1, "ZHIBU_KEY_FILE"}, {"batch", 1, NULL},
	                 {"drop-unreadable", 0, NULL}, {0}};
	const char *pos[2];
	int npos;
	if (zb_cli_parse(argc, argv, opts, pos, 1, &npos))
		return 2;
	if (npos != 1 || (strcmp(pos[0], "rotate") && strcmp(pos[0], "status"))) {
		fprintf(stderr, "zhibu: 用法：zhibu key rotate|status --db DB [--key-file 文件] [--batch N] [--drop-unreadable]\n");
		return 2;
	}
	int batch = ROTATE_BATCH;
	const char *b = zb_cli_get(opts, "batch");
	if (b) {
		char *end;
		long v = strtol(b, &end, 10);
		if (*end || v < 1 || v > 100000) {
			fprintf(stderr, "zhibu: --batch 应为 1 到 100000 之间的整数（收到 %s）\n", b);
			return 2;
		}
		batch = (int)v;
	}
	zb_app app;
	zb_db *db;
	int rc = zb_cli_open(&app, opts, 0, 1, &db);
	if (!rc) {
		zb_err e = {0};
		int drop = zb_cli_get(opts, "drop-unreadable") != NULL;
		if (!strcmp(pos[0], "rotate") ? rotate(&app, db, batch, drop, &e) : status(&app, db, &e))
			rc = zb_cli_fail(&e);
	}
	zb_app_release(&app);
	return rc;
}
