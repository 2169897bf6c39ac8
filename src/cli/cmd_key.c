/* zhibu key status | rotate - the master key of the protected fields.
 *
 * Rotation (docs/SECURITY-FIELDS.md, "Key rotation"): a new key file is
 * written beside the old one (KEY.next, carrying the audit key on), the
 * database records that a rotation runs (settings key_rotation_next, the
 * new key's fingerprint, and key_rotation_cursor, "<table>:<id>" of the
 * last record done), the ciphertexts and blind indexes of every table in
 * key_tables are rewritten under the new key in batches, table by table,
 * each batch one transaction that also moves the cursor, and a last
 * transaction moves key_fingerprint to the new key.  Then the
 * old file is renamed KEY.retired-<fingerprint> and KEY.next becomes KEY.
 * Killed at any point, the next `zhibu key rotate` continues from where
 * the database says it stopped.  While it runs, no other process may use
 * the key: it holds an exclusive lock on the key file (and on PostgreSQL an
 * advisory lock) that every command using the key takes shared. */
#include "cli/cli.h"
#include "core/log.h"
#include "crypto/fieldprot.h"

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
static int rotation_state(zb_db *db, char fp_db[80], char next_db[80], char cur_db[80], zb_err *e)
{
	int rc;
	if ((rc = zb_cli_setting(db, "key_fingerprint", fp_db, 80, e)) ||
	    (rc = zb_cli_setting(db, "key_rotation_next", next_db, 80, e)) ||
	    (rc = zb_cli_setting(db, "key_rotation_cursor", cur_db, 80, e)))
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

/* Every table that holds protected fields (crypto/fieldprot.h), in the
 * order a rotation walks them.  A module that stores a protected value adds
 * its row here, and the rotation, its precheck, --drop-unreadable, the
 * resumable cursor and `zhibu key status` cover it.  Each value is bound to
 * "<table>/<id>/<bound>", the associated data its module encrypts it with
 * (only rows with an id hold values: staged import rows are expired by the
 * switch instead).  A field with an index column has its blind index there,
 * derived from the value by index_of (the value is stored normalised). */
#define KEY_FIELDS 2

typedef struct key_field {
	const char *column; /* the ciphertext, NULL: no more fields */
	const char *bound;  /* the field's name in the associated data */
	const char *label;  /* in messages */
	const char *masked; /* the masked copy, cleared with a dropped value */
	const char *index;  /* the blind index column, NULL: none */
	int (*index_of)(const zb_keys *k, const char *value, char out[65]);
} key_field;

typedef struct key_table {
	const char *table; /* also the first part of the associated data */
	const char *what;  /* one of its rows, in messages */
	key_field f[KEY_FIELDS];
} key_table;

#define KEY_ID_NUMBER {"id_enc", "id_number", "身份证号", "id_masked", "id_index", zb_fp_blind_index}
#define KEY_PHONE {"phone_enc", "phone", "联系电话", "phone_masked", NULL, NULL}

static const key_table key_tables[] = {
	{"members", "党员", {KEY_ID_NUMBER, KEY_PHONE}},          /* member/member.c */
	{"applicants", "发展对象", {KEY_ID_NUMBER, KEY_PHONE}},   /* recruit/applicant.c */
	{"cadres", "干部", {KEY_ID_NUMBER, KEY_PHONE}},           /* village/cadre.c */
	{"dispatch_units", "派出单位", /* village/cadre.c */
	 {{"contact_phone_enc", "contact_phone", "联系电话", "contact_phone_masked", NULL, NULL}}},
	{"aid_households", "帮扶户", {KEY_ID_NUMBER, KEY_PHONE}}, /* aid/household.c */
	{"reserve_cadres", "后备干部", {KEY_ID_NUMBER, KEY_PHONE}}, /* reserve/reserve.c */
};
#define KEY_TABLES ((int)(sizeof key_tables / sizeof key_tables[0]))

static int nfields(const key_table *t)
{
	int n = 0;
	while (n < KEY_FIELDS && t->f[n].column)
		n++;
	return n;
}

/* "SELECT <what> FROM <table> WHERE (<a field is set>)<tail>" */
static void table_sql(const key_table *t, const char *what, const char *tail, char *sql, size_t cap)
{
	size_t used = (size_t)snprintf(sql, cap, "SELECT %s FROM %s WHERE (", what, t->table);
	for (int f = 0; f < nfields(t) && used < cap; f++)
		used += (size_t)snprintf(sql + used, cap - used, "%s%s IS NOT NULL", f ? " OR " : "", t->f[f].column);
	if (used < cap)
		snprintf(sql + used, cap - used, ")%s", tail);
}

/* The columns a batch and the precheck read: id, then each ciphertext. */
static void columns(const key_table *t, char *out, size_t cap)
{
	size_t used = (size_t)snprintf(out, cap, "id");
	for (int f = 0; f < nfields(t) && used < cap; f++)
		used += (size_t)snprintf(out + used, cap - used, ", %s", t->f[f].column);
}

static void field_ad(const key_table *t, int64_t id, const key_field *f, char ad[128])
{
	snprintf(ad, 128, "%s/%lld/%s", t->table, (long long)id, f->bound);
}

/* "<table>:<id>", the last row done; the form written before other tables
 * were covered, a bare member id, is read as "members:<id>". */
static int cursor_parse(const char *text, int *ti, int64_t *id, zb_err *e)
{
	const char *colon = strchr(text, ':'), *num = colon ? colon + 1 : text;
	*ti = -1;
	for (int i = 0; i < KEY_TABLES && colon; i++)
		if (strlen(key_tables[i].table) == (size_t)(colon - text) &&
		    !strncmp(key_tables[i].table, text, (size_t)(colon - text)))
			*ti = i;
	if (!colon)
		*ti = 0;
	char *end;
	errno = 0;
	*id = strtoll(num, &end, 10);
	if (*ti < 0 || !*num || *end || errno || *id < 0)
		return zb_fail(e, ZB_EINVAL, "", "数据库中的密钥轮换进度“%s”无法识别", text);
	return 0;
}

typedef struct row {
	int64_t id;
	char *enc[KEY_FIELDS];
} row;

/* Re-encrypt one field of row id of t under nk; *out malloc'd (NULL for
 * NULL or dropped), idx (when the field has an index) its new blind index. */
static int rekey(const key_table *t, const key_field *f, const zb_keys *ok, const zb_keys *nk, int64_t id,
                 const char *text, char **out, char idx[65], int drop, int64_t *dropped, zb_err *e)
{
	*out = NULL;
	idx[0] = '\0';
	if (!text)
		return 0;
	char ad[128];
	zb_buf plain = {0}, enc = {0};
	field_ad(t, id, f, ad);
	int rc = zb_fp_decrypt(ok, text, ad, &plain, e);
	if (rc && drop) {
		/* --drop-unreadable: the value is lost already; clear it */
		zb_buf_release(&plain);
		memset(e, 0, sizeof *e);
		printf("已清空%s（编号 %lld）无法解密的%s，请在系统中重新录入\n", t->what, (long long)id, f->label);
		(*dropped)++;
		return 0;
	}
	if (rc) {
		zb_err inner = *e;
		zb_buf_release(&plain);
		return zb_fail(e, rc, "",
		               "%s（编号 %lld）的%s无法用旧密钥解密：%s。轮换已停止，已完成的记录保持不变；"
		               "请从备份中恢复该记录，或运行 zhibu key rotate --drop-unreadable 清空无法解密的值后继续"
		               "（之后在系统中重新录入）",
		               t->what, (long long)id, f->label, inner.msg);
	}
	const char *p = plain.data ? plain.data : "";
	if ((rc = zb_fp_encrypt(nk, p, ad, &enc)) || (f->index && (rc = f->index_of(nk, p, idx)))) {
		rc = zb_fail(e, ZB_EINTERNAL, "", "%s（编号 %lld）的%s用新密钥加密失败", t->what, (long long)id, f->label);
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

/* Write one re-encrypted field (NULL: dropped, its mask and index go too). */
static int store_field(zb_db *db, const key_table *t, const key_field *f, int64_t id, const char *enc,
                       const char *idx, zb_err *e)
{
	char sql[256];
	int n = snprintf(sql, sizeof sql, "UPDATE %s SET %s = ?", t->table, f->column);
	if (!enc && f->masked)
		n += snprintf(sql + n, sizeof sql - (size_t)n, ", %s = NULL", f->masked);
	if (f->index)
		n += snprintf(sql + n, sizeof sql - (size_t)n, ", %s = ?", f->index);
	snprintf(sql + n, sizeof sql - (size_t)n, " WHERE id = ?");
	if (f->index)
		return zb_db_run(db, e, NULL, sql, "ssi", enc, enc ? idx : NULL, id);
	return zb_db_run(db, e, NULL, sql, "si", enc, id);
}

typedef struct batch_rows {
	row *rows;
	int n, max, nf;
} batch_rows;

static int add_batch_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	batch_rows *l = ctx;
	if (l->n == l->max)
		return ZB_DB_STOP;
	row *r = &l->rows[l->n++];
	r->id = zb_col_int(st, 0);
	for (int f = 0; f < l->nf; f++) {
		const char *text = zb_col_text(st, 1 + f);
		r->enc[f] = text ? strdup(text) : NULL;
	}
	return 0;
}

/* One batch of table ti after *cursor: re-encrypt, move the cursor to
 * "<table>:<last id>", commit.  *n rows. */
static int rotate_batch(zb_db *db, int ti, const zb_keys *ok, const zb_keys *nk, int64_t *cursor, int batch,
                        int drop, int64_t *dropped, int *n, zb_err *e)
{
	const key_table *t = &key_tables[ti];
	int nf = nfields(t);
	row *rows = calloc((size_t)batch, sizeof *rows);
	char cols[160], sql[512];
	int rc, got = 0;
	*n = 0;
	if (!rows)
		return zb_fail(e, ZB_EINTERNAL, "", "内存不足");
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	batch_rows l = {rows, 0, batch, nf};
	columns(t, cols, sizeof cols);
	table_sql(t, cols, " AND id > ? ORDER BY id LIMIT ?", sql, sizeof sql);
	rc = zb_db_each(db, e, add_batch_row, &l, sql, "ii", *cursor, (int64_t)batch);
	got = l.n;
	for (int i = 0; i < got && !rc; i++) {
		for (int f = 0; f < nf && !rc; f++) {
			char *enc = NULL, idx[65];
			if (!rows[i].enc[f])
				continue;
			rc = rekey(t, &t->f[f], ok, nk, rows[i].id, rows[i].enc[f], &enc, idx, drop, dropped, e);
			if (!rc)
				rc = store_field(db, t, &t->f[f], rows[i].id, enc, idx, e);
			free(enc);
		}
	}
	if (!rc && got) {
		char cur[80];
		snprintf(cur, sizeof cur, "%s:%lld", t->table, (long long)rows[got - 1].id);
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
	for (int i = 0; i < got; i++)
		for (int f = 0; f < nf; f++)
			free(rows[i].enc[f]);
	free(rows);
	return rc;
}

/* Before a rotation starts: every stored value must decrypt under the key
 * in use, so that a damaged or moved value is repaired while the server
 * can still run rather than found halfway. */
typedef struct precheck_state {
	const zb_keys *ok;
	const key_table *t;
	char list[900]; /* the first ten that do not decrypt */
	size_t used;
	int64_t bad;
} precheck_state;

static int check_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	precheck_state *p = ctx;
	const key_table *t = p->t;
	int64_t id = zb_col_int(st, 0);
	for (int f = 0; f < nfields(t); f++) {
		const char *text = zb_col_text(st, 1 + f);
		if (!text)
			continue;
		char ad[128];
		zb_buf plain = {0};
		zb_err ignore = {0};
		field_ad(t, id, &t->f[f], ad);
		int bad_one = zb_fp_decrypt(p->ok, text, ad, &plain, &ignore) != 0;
		if (plain.data)
			sodium_memzero(plain.data, plain.len);
		zb_buf_release(&plain);
		if (!bad_one)
			continue;
		if (p->bad++ < 10 && p->used < sizeof p->list - 100) {
			int n = snprintf(p->list + p->used, sizeof p->list - p->used, "%s%s编号 %lld 的%s",
			                 p->used ? "、" : "", t->what, (long long)id, t->f[f].label);
			if (n > 0)
				p->used += (size_t)n;
		}
	}
	return 0;
}

static int precheck(zb_db *db, const zb_keys *ok, zb_err *e)
{
	precheck_state p = {.ok = ok};
	for (int ti = 0; ti < KEY_TABLES; ti++) {
		char cols[160], sql[512];
		p.t = &key_tables[ti];
		columns(p.t, cols, sizeof cols);
		table_sql(p.t, cols, " ORDER BY id", sql, sizeof sql);
		int rc = zb_db_each(db, e, check_row, &p, sql, "");
		if (rc)
			return rc;
	}
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

/* Rows of table ti holding a protected value, those with an id up to
 * upto (-1: all). */
static int count_rows(zb_db *db, int ti, int64_t upto, int64_t *n, zb_err *e)
{
	char sql[512];
	table_sql(&key_tables[ti], "COUNT(*)", upto < 0 ? "" : " AND id <= ?", sql, sizeof sql);
	return upto < 0 ? zb_db_int(db, e, n, sql, "") : zb_db_int(db, e, n, sql, "i", upto);
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
	char next[4200], fp_db[80], next_db[80], cur_db[80], fp_old[65], fp_new[65];
	zb_keys *ok = NULL, *nk = NULL;
	int rc, resumed = 0;
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
		snprintf(cur_db, sizeof cur_db, "%s:0", key_tables[0].table);
		if (!rc)
			rc = setting_put(db, "key_rotation_cursor", cur_db, e);
		if (!rc)
			zb_cli_audit(app, db, "key.rotate_start", NULL, 0, NULL);
		if (!rc)
			rc = zb_db_commit(db, e);
		if (rc) {
			zb_db_rollback(db);
			goto out;
		}
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
		resumed = 1;
	}

	int ti;
	int64_t cursor, done = 0, total = 0, kill_after = 0, dropped = 0, rows[KEY_TABLES];
	if ((rc = cursor_parse(cur_db, &ti, &cursor, e)))
		goto out;
	if (resumed)
		printf("继续未完成的密钥轮换（已完成到%s编号 %lld）\n", key_tables[ti].what, (long long)cursor);
	const char *hook = getenv("ZHIBU_TEST_ROTATE_KILL_AFTER"); /* tests: die like kill -9 */
	if (hook && *hook)
		kill_after = strtoll(hook, NULL, 10);
	for (int i = 0; i < KEY_TABLES; i++) {
		if ((rc = count_rows(db, i, -1, &rows[i], e)))
			goto out;
		total += rows[i];
	}
	for (; ti < KEY_TABLES; ti++, cursor = 0) {
		for (;;) {
			int n = 0;
			if ((rc = rotate_batch(db, ti, ok, nk, &cursor, batch, drop, &dropped, &n, e)))
				goto out;
			done += n;
			if (kill_after > 0 && done >= kill_after)
				raise(SIGKILL);
			if (n < batch)
				break;
		}
	}

	/* The switch: one transaction moves the fingerprint and ends the
	 * rotation.  Import previews (of every area: the roster, recruitment,
	 * 帮扶) staged under the old key expire. */
	char counts[400];
	size_t used = 0;
	counts[0] = '\0';
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	rc = setting_put(db, "key_fingerprint", fp_new, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM settings WHERE key IN ('key_rotation_next', 'key_rotation_cursor')", "");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "DELETE FROM import_rows WHERE batch_id IN "
		               "(SELECT id FROM import_batches WHERE status IN ('preview', 'uploading'))",
		               "");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE import_batches SET status = 'expired' WHERE status IN ('preview', 'uploading')", "");
	if (!rc) {
		char detail[600];
		int n = snprintf(detail, sizeof detail, "{\"from\":\"%.16s\",\"to\":\"%.16s\"", fp_old, fp_new);
		for (int i = 0; i < KEY_TABLES; i++) {
			n += snprintf(detail + n, sizeof detail - (size_t)n, ",\"%s\":%lld", key_tables[i].table,
			              (long long)rows[i]);
			if (rows[i] && used < sizeof counts)
				used += (size_t)snprintf(counts + used, sizeof counts - used, "%s%s %lld", used ? "、" : "",
				                         key_tables[i].what, (long long)rows[i]);
		}
		snprintf(detail + n, sizeof detail - (size_t)n, ",\"dropped\":%lld}", (long long)dropped);
		zb_cli_audit(app, db, "key.rotate", NULL, 0, detail);
	}
	if (!rc)
		rc = zb_db_commit(db, e);
	if (rc) {
		zb_db_rollback(db);
		goto out;
	}
	printf("已用新密钥重新加密 %lld 条记录的身份证号和联系电话（%s；本次 %lld 条）\n", (long long)total,
	       used ? counts : "无", (long long)done);
	rc = swap_files(app->key_path, next, fp_old, e);
out:
	if (app->keys == ok)
		app->keys = NULL;
	zb_keys_free(ok);
	zb_keys_free(nk);
	return rc;
}

/* Of every protected column, the values stored in format ver ("v1", "v2"). */
static int count_format(zb_db *db, const char *ver, int64_t *n, zb_err *e)
{
	*n = 0;
	for (int ti = 0; ti < KEY_TABLES; ti++) {
		const key_table *t = &key_tables[ti];
		for (int f = 0; f < nfields(t); f++) {
			char sql[256];
			int64_t c = 0;
			snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s LIKE ?", t->table, t->f[f].column);
			int rc = zb_db_int(db, e, &c, sql, "s", ver);
			if (rc)
				return rc;
			*n += c;
		}
	}
	return 0;
}

static int status(zb_app *app, zb_db *db, zb_err *e)
{
	char fp_db[80], next_db[80], cur_db[80], fp[65];
	zb_keys *k = NULL;
	int64_t v1 = 0, v2 = 0, done = 0, total = 0;
	int rc;
	if ((rc = rotation_state(db, fp_db, next_db, cur_db, e)))
		return rc;
	if ((rc = load_opt(app->key_path, &k, fp, e)))
		return rc;
	printf("密钥文件：%s（%s）\n", app->key_path,
	       !k ? "不存在" : !strcmp(fp, fp_db) ? "与数据库一致" : "与数据库不匹配");
	printf("数据库中的密钥指纹：%.16s\n", fp_db);
	zb_keys_free(k);
	if ((rc = count_format(db, "v1:%", &v1, e)) || (rc = count_format(db, "v2:%", &v2, e)))
		return rc;
	printf("加密字段：v2（绑定记录）%lld 个，v1（旧格式，未绑定记录）%lld 个%s\n", (long long)v2, (long long)v1,
	       v1 ? "：运行 zhibu key rotate 可全部改写为 v2" : "");
	if (next_db[0]) {
		int ti;
		int64_t cursor;
		if ((rc = cursor_parse(cur_db, &ti, &cursor, e)))
			return rc;
		for (int i = 0; i < KEY_TABLES; i++) {
			int64_t n = 0, upto = 0;
			if ((rc = count_rows(db, i, -1, &n, e)) || (i == ti && (rc = count_rows(db, i, cursor, &upto, e))))
				return rc;
			total += n;
			done += i < ti ? n : upto;
		}
		printf("密钥轮换：进行中，新密钥指纹 %.16s，已完成 %lld / %lld 条记录（到%s编号 %lld）；"
		       "运行 zhibu key rotate 继续\n",
		       next_db, (long long)done, (long long)total, key_tables[ti].what, (long long)cursor);
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
