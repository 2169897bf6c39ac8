/* cadre.c - 派出单位 and cadres: checks, protection of ID numbers and
 * phones, storage, create, read and lists (village/cadre.h). */
#include "village/cadre.h"
#include "village/vint.h"
#include "audit/audit.h"
#include "core/jw.h"
#include "crypto/fieldprot.h"
#include "org/org.h"
#include "org/scopefind.h"
#include "text/pinyin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int zb_vaudit(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, const char *object_type,
              int64_t object_id, const char *org_path, zb_audit_detail *d, zb_err *e)
{
	zb_audit_ev by = {.user_id = ac->user_id, .username = ac->username, .ip = ac->ip};
	return zb_audit_change_detail(db, app, &by, action, object_type, object_id, org_path, d, e);
}

/* ---- protection ------------------------------------------------------------- */

static const char *arena_buf(zb_arena *ar, zb_buf *b)
{
	const char *s = zb_arena_strndup(ar, b->data ? b->data : "", b->len);
	if (b->data)
		sodium_memzero(b->data, b->len);
	zb_buf_release(b);
	return s;
}

/* Ciphertext of plain bound to "<table>/<id>/<field>" and its mask. */
static int protect(const struct zb_keys *k, const char *table, int64_t id, const char *field, const char *plain,
                   int (*mask)(const char *, zb_buf *), zb_arena *ar, const char **enc, const char **masked)
{
	char ad[96];
	zb_buf c = {0}, m = {0};
	snprintf(ad, sizeof ad, "%s/%lld/%s", table, (long long)id, field);
	if (zb_fp_encrypt(k, plain, ad, &c) || mask(plain, &m)) {
		zb_buf_release(&c);
		zb_buf_release(&m);
		return -1;
	}
	*enc = arena_buf(ar, &c);
	*masked = arena_buf(ar, &m);
	return 0;
}

static int reveal(const struct zb_keys *k, const char *table, int64_t id, const char *field, const char *what,
                  const char *label, const char *text, zb_arena *ar, const char **out, zb_err *e)
{
	char ad[96];
	zb_buf b = {0};
	snprintf(ad, sizeof ad, "%s/%lld/%s", table, (long long)id, field);
	if (zb_fp_decrypt(k, text, ad, &b, e)) {
		zb_buf_release(&b);
		zb_err inner = *e;
		return zb_fail(e, inner.code, NULL, "无法读取%s（编号 %lld）的%s：%s", what, (long long)id, label, inner.msg);
	}
	*out = arena_buf(ar, &b);
	return 0;
}

static int pinyin_of(zb_arena *ar, const char *name, const char **out, zb_err *e)
{
	zb_buf py = {0}, ini = {0};
	int bad = zb_pinyin(name, &py, &ini);
	*out = bad ? NULL : zb_arena_strndup(ar, py.data ? py.data : "", py.len);
	zb_buf_release(&py);
	zb_buf_release(&ini);
	return bad ? zb_fail(e, ZB_EINTERNAL, "name", "内部错误：姓名的拼音过长") : 0;
}

/* The org that keeps a record: it exists, is not dissolved, and who may
 * write there. */
static int keeper(zb_db *db, const zb_principal *who, int64_t org_id, zb_arena *ar, zb_org *o, zb_err *e)
{
	int rc = zb_org_get(db, org_id, ar, o, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_WRITE, o->path)))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所属组织不存在，或不在您的管理范围内");
	if (!rc && o->dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o->name);
	return rc;
}

static char *clean_opt(zb_arena *ar, const char *s)
{
	char *c = s ? zb_member_clean(ar, s) : NULL;
	return c && *c ? c : NULL;
}

/* The member record's checks of a person's name, gender, ID number
 * (birth date and gender derived from it) and phone, into *m; the
 * membership fields (join dates) are not a cadre's. */
static int person_check(zb_app *app, const char *name, const char *gender, const char *id_number,
                        const char *phone, zb_arena *ar, zb_member *m, zb_err *e)
{
	char today_s[11];
	zb_today(app, today_s);
	*m = (zb_member){.name = name, .gender = gender, .id_number = clean_opt(ar, id_number),
	                 .phone = clean_opt(ar, phone), .category = "full", .join_date = today_s, .full_date = today_s};
	zb_member_rules none = {.min_join_age = 0};
	unsigned given = ZB_MF_NAME | ZB_MF_CATEGORY | ZB_MF_JOIN | ZB_MF_FULL;
	if (gender)
		given |= ZB_MF_GENDER;
	if (m->id_number)
		given |= ZB_MF_ID;
	if (m->phone)
		given |= ZB_MF_PHONE;
	int rc = zb_member_check(m, given, &none, zb_today_int(app), ar, NULL, e);
	if (rc && (!strcmp(e->field, "join_date") || !strcmp(e->field, "full_date")))
		return zb_fail(e, ZB_EINVAL, "id_number", "身份证号中的出生日期不能是今天或以后");
	return rc;
}

/* ---- 派出单位 ------------------------------------------------------------------ */

#define UNIT_COLS                                                                                           \
	"u.id, u.org_id, u.org_path, o.name, u.name, u.contact_name, u.contact_phone_enc, "                 \
	"u.contact_phone_masked, (SELECT COUNT(*) FROM cadres c WHERE c.unit_id = u.id), u.created_at, " \
	"u.updated_at FROM dispatch_units u JOIN orgs o ON o.id = u.org_id "

static void unit_row(zb_stmt *st, zb_arena *ar, zb_dunit *u)
{
#define T(i) zb_arena_strdup(ar, zb_col_text(st, (i)))
	memset(u, 0, sizeof *u);
	u->id = zb_col_int(st, 0);
	u->org_id = zb_col_int(st, 1);
	u->org_path = T(2);
	u->org_name = T(3);
	u->name = T(4);
	u->contact_name = T(5);
	u->phone_enc = T(6);
	u->phone_masked = T(7);
	u->cadres = zb_col_int(st, 8);
	u->created_at = zb_col_int(st, 9);
	u->updated_at = zb_col_int(st, 10);
#undef T
}

typedef struct one_unit {
	zb_arena *ar;
	zb_dunit *u;
} one_unit;

static void read_unit(zb_stmt *st, void *ctx)
{
	one_unit *o = ctx;
	unit_row(st, o->ar, o->u);
}

int zb_dunit_get(zb_db *db, int64_t id, zb_arena *ar, zb_dunit *u, zb_err *e)
{
	one_unit o = {ar, u};
	return zb_db_one(db, e, "未找到该派出单位，或不在您的管理范围内", read_unit, &o, "SELECT " UNIT_COLS "WHERE u.id = ?",
	                 "i", id);
}

int zb_dunit_reveal(zb_dunit *u, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	if (!u->phone_enc || u->contact_phone)
		return 0;
	return reveal(k, "dispatch_units", u->id, "contact_phone", "派出单位", "联系电话", u->phone_enc, ar,
	              &u->contact_phone, e);
}

typedef struct unit_page {
	zb_arena *ar;
	zb_dunit *items;
	int n, cap;
} unit_page;

static int read_unit_page(zb_stmt *st, void *ctx, zb_err *e)
{
	unit_page *p = ctx;
	(void)e;
	if (p->n == p->cap)
		return ZB_DB_STOP;
	unit_row(st, p->ar, &p->items[p->n++]);
	return 0;
}

int zb_dunit_list(zb_db *db, const char *path, int64_t after, int64_t limit, zb_arena *ar, zb_dunit **out, int *n,
                  zb_err *e)
{
	unit_page p = {ar, zb_arena_alloc(ar, (size_t)(limit + 1) * sizeof(zb_dunit)), 0, (int)limit + 1};
	int rc = zb_db_each(db, e, read_unit_page, &p,
	                    "SELECT " UNIT_COLS "WHERE u.org_path LIKE ? AND u.id > ? ORDER BY u.id LIMIT ?", "sii",
	                    zb_arena_printf(ar, "%s%%", path), after, limit + 1);
	*out = p.items;
	*n = p.n;
	return rc;
}

/* A unit's name, contact and contact phone, cleaned and checked. */
static int unit_check(zb_app *app, const zb_dunit_input *in, zb_arena *ar, char **name, char **contact, char **phone,
                      zb_err *e)
{
	*name = clean_opt(ar, in->name);
	*contact = clean_opt(ar, in->contact_name);
	*phone = clean_opt(ar, in->contact_phone);
	if (!*name)
		return zb_fail(e, ZB_EINVAL, "name", "请填写派出单位的名称");
	if (strlen(*name) > 300)
		return zb_fail(e, ZB_EINVAL, "name", "派出单位的名称过长（最多 100 个字）");
	if (*contact && strlen(*contact) > 150)
		return zb_fail(e, ZB_EINVAL, "contact_name", "联系人姓名过长（最多 50 个字）");
	if (*phone) {
		zb_member m;
		int rc = person_check(app, *contact ? *contact : "联系人", NULL, NULL, *phone, ar, &m, e);
		if (rc) {
			if (!strcmp(e->field, "phone"))
				snprintf(e->field, sizeof e->field, "contact_phone");
			return rc;
		}
		*phone = (char *)m.phone;
	}
	return 0;
}

static int unit_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_org *o, const char *name,
                       const char *contact, const char *phone, zb_arena *ar, int64_t *id, zb_err *e)
{
	int64_t now = zb_now(app);
	const char *enc = NULL, *masked = NULL;
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO dispatch_units (org_id, org_path, name, contact_name, created_by, created_at, "
	                   "updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
	                   "isssIii", o->id, o->path, name, contact, ac->user_id, now, now);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "name", "%s 已有名为“%s”的派出单位", o->name, name);
	if (rc)
		return rc;
	if (phone && protect(app->keys, "dispatch_units", *id, "contact_phone", phone, zb_mask_phone, ar, &enc, &masked))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
	if (phone && (rc = zb_db_run(db, e, NULL,
	                             "UPDATE dispatch_units SET contact_phone_enc = ?, contact_phone_masked = ? WHERE id = ?",
	                             "ssi", enc, masked, *id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", name);
	jw_kstr(w, "contact_name", contact);
	jw_kstr(w, "contact_phone", masked);
	return zb_vaudit(db, app, ac, "dunit.create", "dispatch_unit", *id, o->path, &d, e);
}

int zb_dunit_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_dunit_input *in,
                    zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_org o;
	int rc = keeper(db, who, in->org_id, ar, &o, e);
	if (rc)
		return rc;
	char *name, *contact, *phone;
	if ((rc = unit_check(app, in, ar, &name, &contact, &phone, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, unit_insert(db, app, ac, &o, name, contact, phone, ar, id, e), e);
}

static int unit_update(zb_db *db, zb_app *app, const zb_actor *ac, const zb_dunit *u, const char *name,
                       const char *contact, const char *phone, int phone_given, zb_arena *ar, zb_err *e)
{
	const char *enc = u->phone_enc, *masked = u->phone_masked;
	if (phone_given) {
		enc = masked = NULL;
		if (phone && protect(app->keys, "dispatch_units", u->id, "contact_phone", phone, zb_mask_phone, ar, &enc,
		                     &masked))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
	}
	int rc = zb_db_run(db, e, NULL,
	                   "UPDATE dispatch_units SET name = ?, contact_name = ?, contact_phone_enc = ?, "
	                   "contact_phone_masked = ?, updated_at = ? WHERE id = ?",
	                   "ssssii", name, contact, enc, masked, zb_now(app), u->id);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "name", "%s 已有名为“%s”的派出单位", u->org_name, name);
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", name);
	jw_kstr(w, "contact_name", contact);
	jw_kstr(w, "contact_phone", masked);
	return zb_vaudit(db, app, ac, "dunit.update", "dispatch_unit", u->id, u->org_path, &d, e);
}

int zb_dunit_update(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const zb_dunit_input *in, zb_arena *ar,
                    zb_err *e)
{
	zb_dunit u;
	int rc = zb_dunit_get(db, id, ar, &u, e);
	if (rc)
		return rc;
	zb_dunit_input next = *in;
	if (!next.name)
		next.name = u.name;
	if (!next.contact_name)
		next.contact_name = u.contact_name;
	char *name, *contact, *phone;
	if ((rc = unit_check(app, &next, ar, &name, &contact, &phone, e)) || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, unit_update(db, app, ac, &u, name, contact, phone, in->contact_phone != NULL, ar, e), e);
}

/* ---- cadres -------------------------------------------------------------------- */

#define CADRE_COLS                                                                                               \
	"c.id, c.org_id, c.org_path, o.name, c.unit_id, u.name, c.user_id, c.name, c.name_pinyin, c.gender, "    \
	"c.birth_date, c.post, c.id_enc, c.id_index, c.id_masked, c.phone_enc, c.phone_masked, c.created_at, " \
	"c.updated_at FROM cadres c JOIN orgs o ON o.id = c.org_id LEFT JOIN dispatch_units u ON u.id = c.unit_id "

static void cadre_row(zb_stmt *st, zb_arena *ar, zb_cadre *c)
{
#define T(i) zb_arena_strdup(ar, zb_col_text(st, (i)))
	memset(c, 0, sizeof *c);
	c->id = zb_col_int(st, 0);
	c->org_id = zb_col_int(st, 1);
	c->org_path = T(2);
	c->org_name = T(3);
	c->unit_id = zb_col_int(st, 4);
	c->unit_name = T(5);
	c->user_id = zb_col_int(st, 6);
	c->name = T(7);
	c->pinyin = T(8);
	c->gender = T(9);
	c->birth_date = T(10);
	c->post = T(11);
	c->id_enc = T(12);
	c->id_index = T(13);
	c->id_masked = T(14);
	c->phone_enc = T(15);
	c->phone_masked = T(16);
	c->created_at = zb_col_int(st, 17);
	c->updated_at = zb_col_int(st, 18);
#undef T
}

typedef struct one_cadre {
	zb_arena *ar;
	zb_cadre *c;
} one_cadre;

static void read_cadre(zb_stmt *st, void *ctx)
{
	one_cadre *o = ctx;
	cadre_row(st, o->ar, o->c);
}

int zb_cadre_get(zb_db *db, int64_t id, zb_arena *ar, zb_cadre *c, zb_err *e)
{
	one_cadre o = {ar, c};
	return zb_db_one(db, e, "未找到该干部，或不在您的管理范围内", read_cadre, &o, "SELECT " CADRE_COLS "WHERE c.id = ?", "i",
	                 id);
}

int zb_cadre_reveal(zb_cadre *c, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	int rc = 0;
	if (c->id_enc && !c->id_number)
		rc = reveal(k, "cadres", c->id, "id_number", "干部", "身份证号", c->id_enc, ar, &c->id_number, e);
	if (!rc && c->phone_enc && !c->phone)
		rc = reveal(k, "cadres", c->id, "phone", "干部", "联系电话", c->phone_enc, ar, &c->phone, e);
	return rc;
}

int zb_cadre_of_user(zb_db *db, int64_t user_id, int64_t *id, zb_err *e)
{
	*id = 0;
	int rc = zb_db_int(db, e, id, "SELECT COALESCE(MAX(id), 0) FROM cadres WHERE user_id = ?", "i", user_id);
	if (!rc && !*id)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联驻村干部的记录");
	return rc;
}

typedef struct cadre_page {
	zb_arena *ar;
	zb_cadre *items;
	int n, cap;
} cadre_page;

static int read_cadre_page(zb_stmt *st, void *ctx, zb_err *e)
{
	cadre_page *p = ctx;
	(void)e;
	if (p->n == p->cap)
		return ZB_DB_STOP;
	cadre_row(st, p->ar, &p->items[p->n++]);
	return 0;
}

int zb_cadre_list(zb_db *db, const char *path, int64_t unit_id, const char *q, int64_t after, int64_t limit,
                  zb_arena *ar, zb_cadre **out, int *n, zb_err *e)
{
	cadre_page p = {ar, zb_arena_alloc(ar, (size_t)(limit + 1) * sizeof(zb_cadre)), 0, (int)limit + 1};
	const char *like = q && *q ? zb_arena_printf(ar, "%%%s%%", q) : NULL;
	int rc = zb_db_each(db, e, read_cadre_page, &p,
	                    "SELECT " CADRE_COLS "WHERE c.org_path LIKE ? AND c.id > ? AND (? = 0 OR c.unit_id = ?) "
	                    "AND (CAST(? AS TEXT) IS NULL OR c.name LIKE ? OR c.name_pinyin LIKE ?) ORDER BY c.id LIMIT ?",
	                    "siiisssi", zb_arena_printf(ar, "%s%%", path), after, unit_id, unit_id, like, like, like,
	                    limit + 1);
	*out = p.items;
	*n = p.n;
	return rc;
}

/* The record's own checks: the member record's for name, gender, ID
 * number (birth date and gender derived) and phone; the post's length. */
static int cadre_check(zb_app *app, const zb_cadre_input *in, zb_arena *ar, zb_cadre *c, zb_err *e)
{
	zb_member m;
	int rc = person_check(app, in->name, in->gender, in->id_number, in->phone, ar, &m, e);
	if (rc)
		return rc;
	const char *post = clean_opt(ar, in->post);
	if (post && strlen(post) > 300)
		return zb_fail(e, ZB_EINVAL, "post", "职务过长（最多 100 个字）");
	c->name = m.name;
	c->gender = m.gender;
	c->birth_date = m.birth_date;
	c->id_number = m.id_number;
	c->phone = m.phone;
	c->post = post;
	return 0;
}

static int cadre_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_org *o, zb_cadre *c, zb_arena *ar,
                        int64_t *id, zb_err *e)
{
	int64_t now = zb_now(app);
	const char *py;
	char idx[65] = "";
	int rc = pinyin_of(ar, c->name, &py, e);
	if (rc)
		return rc;
	if (c->id_number && zb_fp_blind_index(app->keys, c->id_number, idx))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
	int64_t linked = 0;
	if (c->user_id && (rc = zb_db_int(db, e, &linked, "SELECT COUNT(*) FROM cadres WHERE user_id = ?", "i", c->user_id)))
		return rc;
	if (linked)
		return zb_fail(e, ZB_ECONFLICT, "user_id", "该账号已关联另一名干部");
	rc = zb_db_int(db, e, id,
	               "INSERT INTO cadres (org_id, org_path, name, name_pinyin, gender, birth_date, id_index, unit_id, "
	               "post, user_id, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	               "issssssIsIIii", o->id, o->path, c->name, py, c->gender, c->birth_date, idx[0] ? idx : NULL,
	               c->unit_id, c->post, c->user_id, ac->user_id, now, now);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有干部登记，不能重复录入");
	if (rc)
		return rc;
	c->id = *id;
	if (c->id_number &&
	    protect(app->keys, "cadres", c->id, "id_number", c->id_number, zb_mask_id_number, ar, &c->id_enc, &c->id_masked))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
	if (c->phone && protect(app->keys, "cadres", c->id, "phone", c->phone, zb_mask_phone, ar, &c->phone_enc,
	                        &c->phone_masked))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE cadres SET id_enc = ?, id_masked = ?, phone_enc = ?, phone_masked = ? WHERE id = ?",
	                    "ssssi", c->id_enc, c->id_masked, c->phone_enc, c->phone_masked, c->id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "id_number", c->id_masked);
	jw_kstr(w, "phone", c->phone_masked);
	if (c->unit_id)
		jw_kint(w, "unit_id", c->unit_id);
	jw_kstr(w, "post", c->post);
	if (c->user_id)
		jw_kint(w, "user_id", c->user_id);
	return zb_vaudit(db, app, ac, "cadre.create", "cadre", c->id, o->path, &d, e);
}

static int unit_readable(zb_db *db, const zb_principal *who, int64_t unit_id, zb_arena *ar, zb_err *e);

int zb_cadre_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_cadre_input *in,
                    zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_org o;
	zb_cadre c = {.unit_id = in->unit_id, .user_id = in->user_id};
	int rc = keeper(db, who, in->org_id, ar, &o, e);
	if (rc || (rc = cadre_check(app, in, ar, &c, e)))
		return rc;
	if (c.unit_id && (rc = unit_readable(db, who, c.unit_id, ar, e)))
		return rc;
	if (c.user_id) {
		/* an account the caller could manage members for: where its grants are */
		const char *upath;
		rc = zb_obj_path(db, ZB_OBJ_USER, c.user_id, ar, &upath, e);
		if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_WRITE, upath)))
			return zb_fail(e, ZB_ENOTFOUND, "user_id", "未找到该账号，或不在您的管理范围内");
		if (rc)
			return rc;
	}
	if (c.id_number && who && (rc = zb_id_lookup_check(db, who->user_id, zb_now(app), e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, cadre_insert(db, app, ac, &o, &c, ar, id, e), e);
}

int zb_cadre_link_user(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, int64_t user_id, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_cadre c;
	int rc = zb_cadre_get(db, id, &a, &c, e);
	if (!rc && (rc = zb_db_begin_write(db, e)) == 0) {
		rc = zb_db_run(db, e, NULL, "UPDATE cadres SET user_id = ?, updated_at = ? WHERE id = ?", "Iii", user_id,
		               zb_now(app), id);
		if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
			rc = zb_fail(e, ZB_ECONFLICT, "user_id", "该账号已关联另一名干部");
		if (!rc) {
			zb_audit_detail d;
			zb_jw *w = zb_audit_detail_begin(&d);
			jw_kint(w, "user_id", user_id);
			rc = zb_vaudit(db, app, ac, "cadre.link_user", "cadre", id, c.org_path, &d, e);
		}
		rc = zb_db_end(db, rc, e);
	}
	zb_arena_free(&a);
	return rc;
}

/* The unit a cadre names: one the caller may read (404 on unit_id). */
static int unit_readable(zb_db *db, const zb_principal *who, int64_t unit_id, zb_arena *ar, zb_err *e)
{
	zb_dunit u;
	int rc = zb_dunit_get(db, unit_id, ar, &u, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_READ, u.org_path)))
		return zb_fail(e, ZB_ENOTFOUND, "unit_id", "未找到该派出单位，或不在您的管理范围内");
	return rc;
}

static int cadre_update(zb_db *db, zb_app *app, const zb_actor *ac, const zb_cadre *old, zb_cadre *c, int id_given,
                        int phone_given, zb_arena *ar, zb_err *e)
{
	const char *py;
	char idx[65] = "";
	int rc = pinyin_of(ar, c->name, &py, e);
	if (rc)
		return rc;
	c->id_index = old->id_index;
	c->id_enc = old->id_enc;
	c->id_masked = old->id_masked;
	c->phone_enc = old->phone_enc;
	c->phone_masked = old->phone_masked;
	if (id_given) {
		c->id_index = c->id_enc = c->id_masked = NULL;
		if (c->id_number && (zb_fp_blind_index(app->keys, c->id_number, idx) ||
		                     protect(app->keys, "cadres", old->id, "id_number", c->id_number, zb_mask_id_number, ar,
		                             &c->id_enc, &c->id_masked)))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
		c->id_index = idx[0] ? idx : NULL;
	}
	if (phone_given) {
		c->phone_enc = c->phone_masked = NULL;
		if (c->phone &&
		    protect(app->keys, "cadres", old->id, "phone", c->phone, zb_mask_phone, ar, &c->phone_enc, &c->phone_masked))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
	}
	rc = zb_db_run(db, e, NULL,
	               "UPDATE cadres SET name = ?, name_pinyin = ?, gender = ?, birth_date = ?, id_index = ?, id_enc = ?, "
	               "id_masked = ?, phone_enc = ?, phone_masked = ?, unit_id = ?, post = ?, updated_at = ? WHERE id = ?",
	               "sssssssssIsii", c->name, py, c->gender, c->birth_date, c->id_index, c->id_enc, c->id_masked,
	               c->phone_enc, c->phone_masked, c->unit_id, c->post, zb_now(app), old->id);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有干部登记，不能重复录入");
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "id_number", c->id_masked);
	jw_kstr(w, "phone", c->phone_masked);
	if (c->unit_id)
		jw_kint(w, "unit_id", c->unit_id);
	jw_kstr(w, "post", c->post);
	return zb_vaudit(db, app, ac, "cadre.update", "cadre", old->id, old->org_path, &d, e);
}

int zb_cadre_update(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                    const zb_cadre_input *in, int unit_given, zb_arena *ar, zb_err *e)
{
	zb_cadre old;
	int rc = zb_cadre_get(db, id, ar, &old, e);
	if (rc)
		return rc;
	const char *idn = clean_opt(ar, in->id_number);
	int id_given = in->id_number != NULL, phone_given = in->phone != NULL;
	/* the ID number kept: its gender and birth date stay; a new one: derived again */
	zb_cadre_input next = {.name = in->name ? in->name : old.name,
	                       .gender = in->gender ? in->gender : idn || (old.id_enc && !id_given) ? NULL : old.gender,
	                       .id_number = id_given ? idn : NULL, .phone = phone_given ? in->phone : NULL,
	                       .post = in->post ? in->post : old.post};
	zb_cadre c = {.unit_id = unit_given ? in->unit_id : old.unit_id};
	if ((rc = cadre_check(app, &next, ar, &c, e)))
		return rc;
	if (!id_given && old.id_enc) {
		c.gender = old.gender;
		c.birth_date = old.birth_date;
	}
	if (c.unit_id && unit_given && (rc = unit_readable(db, who, c.unit_id, ar, e)))
		return rc;
	if (c.id_number && who && (rc = zb_id_lookup_check(db, who->user_id, zb_now(app), e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, cadre_update(db, app, ac, &old, &c, id_given, phone_given, ar, e), e);
}
