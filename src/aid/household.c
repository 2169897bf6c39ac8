/* household.c - the record of a household to help: codes, checks,
 * protection of the 户主's ID number and phone, registration, status
 * changes and exit (退出).  See aid.h. */
#include "aid/aid.h"
#include "core/date.h"
#include "core/grow.h"
#include "crypto/fieldprot.h"
#include "member/member.h"
#include "org/org.h"
#include "text/pinyin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- codes ------------------------------------------------------------------ */

typedef struct code_name {
	const char *code, *name;
} code_name;
static const code_name categories[] = {
	{"tuopin", "脱贫户"}, {"monitor", "监测户"}, {"dibao", "低保户"}, {"tekun", "特困供养户"}, {"other", "其他"},
};
static const code_name statuses[] = {{"helping", "在帮"}, {"lifted", "已脱贫"}, {"monitor", "监测户"}};
static const code_name kinds[] = {{"helper", "帮扶责任人"}, {"contact", "党员联系户"}};
#define N(x) (sizeof(x) / sizeof((x)[0]))

static const char *code_from(const code_name *t, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, t[i].code) || !strcmp(s, t[i].name))
			return t[i].code;
	return NULL;
}
static const char *name_of(const code_name *t, size_t n, const char *code)
{
	for (size_t i = 0; code && i < n; i++)
		if (!strcmp(code, t[i].code))
			return t[i].name;
	return NULL;
}
const char *zb_aid_category_from(const char *s) { return code_from(categories, N(categories), s); }
const char *zb_aid_category_name(const char *c) { return name_of(categories, N(categories), c); }
const char *zb_aid_status_from(const char *s) { return code_from(statuses, N(statuses), s); }
const char *zb_aid_status_name(const char *c) { return name_of(statuses, N(statuses), c); }
const char *zb_aid_kind_from(const char *s) { return code_from(kinds, N(kinds), s); }
const char *zb_aid_kind_name(const char *c) { return name_of(kinds, N(kinds), c); }

/* ---- check ------------------------------------------------------------------- */

static int today_int(const char *today)
{
	return atoi(today) * 10000 + atoi(today + 5) * 100 + atoi(today + 8);
}

/* Optional text: cleaned, NULL when empty, at most max bytes. */
static int opt_text(zb_arena *ar, const char **v, size_t max, const char *field, const char *label, zb_err *e)
{
	if (!*v)
		return 0;
	*v = zb_member_clean(ar, *v);
	if (*v && strlen(*v) > max)
		return zb_fail(e, ZB_EINVAL, field, "%s过长（至多 %zu 字节）", label, max);
	return 0;
}

int zb_aid_household_check(zb_aid_household *h, const char *today, zb_arena *ar, zb_err *e)
{
	/* the member record's checks of name, ID number and phone */
	zb_member m = {.name = h->head_name, .id_number = h->id_number, .phone = h->phone, .category = "probationary",
	               .join_date = today};
	zb_member_rules none = {.min_join_age = 0};
	unsigned given = ZB_MF_NAME | ZB_MF_CATEGORY | ZB_MF_JOIN | (h->id_number ? ZB_MF_ID : 0) |
	                 (h->phone ? ZB_MF_PHONE : 0);
	int rc = zb_member_check(&m, given, &none, today_int(today), ar, NULL, e);
	if (rc) {
		if (!strcmp(e->field, "name"))
			snprintf(e->field, sizeof e->field, "head_name");
		else if (!strcmp(e->field, "join_date"))
			return zb_fail(e, ZB_EINVAL, "id_number", "身份证号的出生日期不能是今天");
		return rc;
	}
	h->head_name = m.name;
	h->id_number = m.id_number;
	h->phone = m.phone;
	if ((rc = opt_text(ar, &h->village_group, 100, "village_group", "村民小组", e)) ||
	    (rc = opt_text(ar, &h->address, 400, "address", "住址", e)))
		return rc;
	const char *c = zb_aid_category_from(h->category ? zb_member_clean(ar, h->category) : NULL);
	if (!c)
		return zb_fail(e, ZB_EINVAL, "category", "类别应为 脱贫户、监测户、低保户、特困供养户 或 其他");
	h->category = c;
	const char *s = zb_aid_status_from(h->status ? zb_member_clean(ar, h->status) : NULL);
	if (!s)
		return zb_fail(e, ZB_EINVAL, "status", "帮扶状态应为 在帮、已脱贫 或 监测户");
	h->status = s;
	if (!h->status_since || !*h->status_since)
		h->status_since = zb_arena_strdup(ar, today);
	if (!zb_date_valid(h->status_since) || strcmp(h->status_since, today) > 0)
		return zb_fail(e, ZB_EINVAL, "status_since", "状态日期应为不晚于今天的日期（YYYY-MM-DD）");
	if (h->npeople > 20)
		return zb_fail(e, ZB_EINVAL, "people", "家庭成员至多 20 人");
	for (int i = 0; i < h->npeople; i++) {
		zb_aid_person *p = &h->people[i];
		p->name = p->name ? zb_member_clean(ar, p->name) : NULL;
		p->relation = p->relation ? zb_member_clean(ar, p->relation) : NULL;
		if (!p->name || strlen(p->name) > 150)
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(ar, "people[%d].name", i), "第 %d 位家庭成员的姓名未填或过长",
			               i + 1);
		if (!p->relation || strlen(p->relation) > 30)
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(ar, "people[%d].relation", i),
			               "第 %d 位家庭成员（%s）的与户主关系未填或过长", i + 1, p->name);
	}
	return 0;
}

/* ---- protection ------------------------------------------------------------------ */

/* The fields protected, by what they are called in the bound data. */
enum { F_ID, F_PHONE };
static const char *const pfield[] = {"id_number", "phone"};

static const char *bound(zb_arena *ar, int64_t id, int f)
{
	return zb_arena_printf(ar, "aid_households/%lld/%s", (long long)id, pfield[f]);
}

/* b's bytes into the arena, then wiped. */
static const char *take(zb_arena *ar, zb_buf *b)
{
	const char *s = zb_arena_strndup(ar, b->data ? b->data : "", b->len);
	if (b->data)
		sodium_memzero(b->data, b->len);
	zb_buf_release(b);
	return s;
}

int zb_aid_household_protect(zb_aid_household *h, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	const char *plain[2] = {h->id_number, h->phone};
	const char **enc[2] = {&h->id_enc, &h->phone_enc}, **masked[2] = {&h->id_masked, &h->phone_masked};
	int (*mask[2])(const char *, zb_buf *) = {zb_mask_id_number, zb_mask_phone};
	for (int f = F_ID; f <= F_PHONE; f++) {
		*enc[f] = *masked[f] = NULL;
		if (!plain[f])
			continue;
		zb_buf c = {0}, m = {0};
		int bad = zb_fp_encrypt(k, plain[f], bound(ar, h->id, f), &c) || mask[f](plain[f], &m);
		*enc[f] = take(ar, &c);
		*masked[f] = take(ar, &m);
		if (bad)
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：帮扶户的%s加密失败", f == F_ID ? "身份证号" : "电话");
	}
	h->id_index = NULL;
	if (h->id_number) {
		char idx[65];
		if (zb_fp_blind_index(k, h->id_number, idx))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号索引失败");
		h->id_index = zb_arena_strdup(ar, idx);
	}
	return 0;
}

int zb_aid_household_reveal(zb_aid_household *h, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	const char *enc[2] = {h->id_enc, h->phone_enc};
	const char **plain[2] = {&h->id_number, &h->phone};
	for (int f = F_ID; f <= F_PHONE; f++) {
		if (!enc[f] || *plain[f])
			continue;
		zb_buf b = {0};
		if (zb_fp_decrypt(k, enc[f], bound(ar, h->id, f), &b, e)) {
			zb_buf_release(&b);
			zb_err inner = *e;
			return zb_fail(e, inner.code, NULL, "无法读取帮扶户（编号 %lld）的%s：%s", (long long)h->id,
			               f == F_ID ? "身份证号" : "联系电话", inner.msg);
		}
		*plain[f] = take(ar, &b);
	}
	return 0;
}

/* ---- storage ------------------------------------------------------------------- */

int zb_aid_village_check(zb_db *db, int64_t org_id, const char *field, zb_arena *ar, const char **path,
                         const char **name, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(db, org_id, ar, &o, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, field, "未找到该组织，或不在您的管理范围内");
	if (rc)
		return rc;
	int village = 0;
	if ((rc = zb_org_is_village(db, org_id, &village, e)))
		return rc;
	if (!village || o.dissolved_on)
		return zb_fail(e, ZB_EINVAL, field, "%s 不是村党组织：帮扶户登记在所在村的党组织（农村党支部或党总支）下", o.name);
	*path = o.path;
	if (name)
		*name = o.name;
	return 0;
}

#define HCOLS                                                                                                   \
	"h.id, h.org_id, h.org_path, o.name, h.head_name, h.id_enc, h.id_index, h.id_masked, h.phone_enc, "      \
	"h.phone_masked, h.village_group, h.address, h.category, h.status, h.status_since, h.exited_on, "        \
	"h.exit_decision, h.exit_doc, h.exit_note, h.created_at, h.updated_at "                                  \
	"FROM aid_households h JOIN orgs o ON o.id = h.org_id "

typedef struct hctx {
	zb_arena *ar;
	zb_aid_household *h;
} hctx;

static void read_household(zb_stmt *st, void *ctx)
{
	hctx *c = ctx;
	zb_aid_household *h = c->h;
#define T(i) zb_arena_strdup(c->ar, zb_col_text(st, i))
	h->id = zb_col_int(st, 0);
	h->org_id = zb_col_int(st, 1);
	h->org_path = T(2);
	h->org_name = T(3);
	h->head_name = T(4);
	h->id_enc = T(5);
	h->id_index = T(6);
	h->id_masked = T(7);
	h->phone_enc = T(8);
	h->phone_masked = T(9);
	h->village_group = T(10);
	h->address = T(11);
	h->category = T(12);
	h->status = T(13);
	h->status_since = T(14);
	h->exited_on = T(15);
	h->exit_decision = T(16);
	h->exit_doc = T(17);
	h->exit_note = T(18);
	h->created_at = zb_col_int(st, 19);
	h->updated_at = zb_col_int(st, 20);
#undef T
}

typedef struct people_ctx {
	zb_arena *ar;
	zb_aid_household *h;
	size_t cap;
} people_ctx;

static int read_person(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	people_ctx *p = ctx;
	ZB_AGROW(p->ar, p->h->people, (size_t)p->h->npeople + 1, p->cap);
	zb_aid_person *x = &p->h->people[p->h->npeople++];
	x->name = zb_arena_strdup(p->ar, zb_col_text(st, 0));
	x->relation = zb_arena_strdup(p->ar, zb_col_text(st, 1));
	return 0;
}

int zb_aid_household_get(zb_db *db, int64_t id, zb_arena *ar, zb_aid_household *h, zb_err *e)
{
	memset(h, 0, sizeof *h);
	hctx c = {ar, h};
	int rc = zb_db_one(db, e, "未找到该帮扶户", read_household, &c, "SELECT " HCOLS "WHERE h.id = ?", "i", id);
	people_ctx p = {ar, h, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_person, &p,
		                "SELECT name, relation FROM aid_household_people WHERE household_id = ? ORDER BY seq", "i",
		                id);
	return rc;
}

int zb_aid_household_find_id(zb_db *db, const char *idx, int64_t *id, zb_err *e)
{
	*id = 0;
	int rc = zb_db_int(db, e, id, "SELECT id FROM aid_households WHERE id_index = ?", "s", idx);
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

static int audit_row(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id, const char *path,
                     const char *detail, zb_err *e)
{
	return zb_audit_change(db, app, by, action, "aid_household", id, path, detail, e);
}

int zb_aid_household_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, zb_aid_household *h, zb_arena *ar,
                            zb_err *e)
{
	zb_buf py = {0}, ini = {0};
	if (zb_pinyin(h->head_name, &py, &ini)) {
		zb_buf_release(&py);
		zb_buf_release(&ini);
		return zb_fail(e, ZB_EINTERNAL, "head_name", "内部错误：姓名的拼音过长");
	}
	const char *pinyin = zb_arena_strndup(ar, py.data ? py.data : "", py.len);
	zb_buf_release(&py);
	zb_buf_release(&ini);
	int64_t now = zb_now(app), user = by ? by->user_id : 0;
	h->id = 0;
	/* the index and masks first; the ciphertexts once the row has its id */
	int rc = zb_aid_household_protect(h, app->keys, ar, e);
	if (!rc)
		rc = zb_db_int(db, e, &h->id,
		               "INSERT INTO aid_households (org_id, org_path, head_name, head_pinyin, id_index, id_masked, "
		               "phone_masked, village_group, address, category, status, status_since, created_by, "
		               "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
		               "isssssssssssIii", h->org_id, h->org_path, h->head_name, pinyin, h->id_index, h->id_masked,
		               h->phone_masked, h->village_group, h->address, h->category, h->status, h->status_since,
		               user, now, now);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已登记为帮扶户的户主，不能重复登记");
	if (!rc)
		rc = zb_aid_household_protect(h, app->keys, ar, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE aid_households SET id_enc = ?, phone_enc = ? WHERE id = ?", "ssi",
		               h->id_enc, h->phone_enc, h->id);
	for (int i = 0; !rc && i < h->npeople; i++)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO aid_household_people (household_id, seq, name, relation) VALUES (?,?,?,?)",
		               "iiss", h->id, (int64_t)i, h->people[i].name, h->people[i].relation);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO aid_status_history (household_id, status, since, note, recorded_by, "
		               "recorded_at) VALUES (?,?,?,'登记',?,?)",
		               "issIi", h->id, h->status, h->status_since, user, now);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "org_id", h->org_id);
		jw_kstr(w, "category", h->category);
		jw_kstr(w, "status", h->status);
		jw_kint(w, "people", h->npeople);
		rc = zb_audit_change_detail(db, app, by, "aid.household.create", "aid_household", h->id, h->org_path, &d, e);
	}
	return rc;
}

int zb_aid_household_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, zb_aid_household *h,
                            zb_arena *ar, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_aid_village_check(db, org_id, "org_id", ar, &h->org_path, &h->org_name, e);
	if (rc || (rc = zb_aid_household_check(h, today, ar, e)))
		return rc;
	h->org_id = org_id;
	if (h->id_number && by && (rc = zb_id_lookup_check(db, by->user_id, zb_now(app), e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_aid_household_insert(db, app, by, h, ar, e);
	if (rc == ZB_ECONFLICT && !strcmp(e->field, "id_number") && by && by->user_id) {
		/* a refusal that says the number exists is a lookup */
		zb_err keep = *e;
		zb_db_rollback(db);
		if (!zb_db_begin_write(db, e))
			zb_db_end(db, zb_id_lookup_note(db, by->user_id, zb_now(app), "create", 1, e), e);
		*e = keep;
		return keep.code;
	}
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	*id = h->id;
	return 0;
}

/* The household locked for a change (PostgreSQL: a row lock; SQLite holds
 * the single writer lock already) and read. */
static int lock_get(zb_db *db, int64_t id, zb_arena *ar, zb_aid_household *h, zb_err *e)
{
	int rc = zb_db_run(db, e, NULL, "UPDATE aid_households SET updated_at = updated_at WHERE id = ?", "i", id);
	return rc ? rc : zb_aid_household_get(db, id, ar, h, e);
}

static int change_date(const char *on, const char *today, const zb_aid_household *h, const char *what, zb_err *e)
{
	if (!on || !zb_date_valid(on))
		return zb_fail(e, ZB_EINVAL, "on", "请填写%s日期（YYYY-MM-DD）", what);
	if (strcmp(on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "on", "%s日期 %s 晚于今天", what, on);
	if (strcmp(on, h->status_since) < 0)
		return zb_fail(e, ZB_EINVAL, "on", "%s日期 %s 早于当前状态的日期 %s", what, on, h->status_since);
	if (h->exited_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 户已于 %s 退出帮扶", h->head_name, h->exited_on);
	return 0;
}

static int status_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *status,
                        const char *on, const char *note, zb_arena *ar, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_aid_household h;
	int rc = lock_get(db, id, ar, &h, e);
	if (rc || (rc = change_date(on, today, &h, "状态变更", e)))
		return rc;
	const char *s = zb_aid_status_from(status ? zb_member_clean(ar, status) : NULL);
	if (!s)
		return zb_fail(e, ZB_EINVAL, "status", "帮扶状态应为 在帮、已脱贫 或 监测户");
	if (!strcmp(s, h.status))
		return zb_fail(e, ZB_ECONFLICT, "status", "%s 户的状态已是%s", h.head_name, zb_aid_status_name(s));
	note = note ? zb_member_clean(ar, note) : NULL;
	int64_t now = zb_now(app);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE aid_households SET status = ?, status_since = ?, updated_at = ? WHERE id = ?", "ssii",
	                    s, on, now, id)) ||
	    (rc = zb_db_run(db, e, NULL,
	                    "INSERT INTO aid_status_history (household_id, status, since, note, recorded_by, recorded_at) "
	                    "VALUES (?,?,?,?,?,?)",
	                    "isssIi", id, s, on, note, by ? by->user_id : 0, now)))
		return rc;
	return audit_row(db, app, by, "aid.household.status", id, h.org_path,
	                 zb_arena_printf(ar, "{\"from\":\"%s\",\"to\":\"%s\",\"on\":\"%s\"}", h.status, s, on), e);
}

int zb_aid_status_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *status, const char *on,
                      const char *note, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, status_in_tx(db, app, by, id, status, on, note, ar, e), e);
}

int zb_aid_exit_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *decision,
                      const char *doc, const char *note, zb_arena *ar, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_aid_household h;
	int rc = lock_get(db, id, ar, &h, e);
	if (rc || (rc = change_date(on, today, &h, "退出", e)))
		return rc;
	decision = decision ? zb_member_clean(ar, decision) : NULL;
	if (!decision)
		return zb_fail(e, ZB_EINVAL, "decision", "请填写退出的决定（如 村民代表大会评议、乡镇审核、县审定）");
	if ((rc = opt_text(ar, &decision, 400, "decision", "退出的决定", e)) ||
	    (rc = opt_text(ar, &doc, 200, "doc", "文号", e)) || (rc = opt_text(ar, &note, 2000, "note", "说明", e)))
		return rc;
	int64_t now = zb_now(app);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE aid_households SET exited_on = ?, exit_decision = ?, exit_doc = ?, exit_note = ?, "
	                    "updated_at = ? WHERE id = ?",
	                    "ssssii", on, decision, doc, note, now, id)) ||
	    (rc = zb_db_run(db, e, NULL,
	                    "UPDATE aid_pairs SET to_on = ?, end_reason = '户退出帮扶' WHERE household_id = ? AND "
	                    "(to_on IS NULL OR to_on > ?)",
	                    "sis", on, id, on)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "on", on);
	jw_kstr(w, "decision", decision);
	jw_kstr(w, "doc", doc);
	return zb_audit_change_detail(db, app, by, "aid.household.exit", "aid_household", id, h.org_path, &d, e);
}

int zb_aid_exit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *decision,
                const char *doc, const char *note, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, zb_aid_exit_insert(db, app, by, id, on, decision, doc, note, ar, e), e);
}
