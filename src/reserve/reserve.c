/* reserve.c - the record of a person in a village's reserve pool: codes,
 * the rule kind "reserve", age, checks, protection of a non-member's ID
 * number and phone, and the audited writes (add, training, 试岗 period,
 * assessment, removal).  Reading a pool and a subtree: reserve/pool.c. */
#include "reserve/reserve.h"
#include "reserve/rint.h"
#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "crypto/fieldprot.h"
#include "member/member.h"
#include "org/org.h"
#include "rules/rules.h"
#include "text/pinyin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- codes ------------------------------------------------------------------- */

typedef struct code {
	const char *code, *name;
} code;
#define N(x) (sizeof(x) / sizeof((x)[0]))

static const code sources[] = {
	{"achiever", "本村致富能手"}, {"graduate", "返乡大学生"},     {"veteran", "退役军人"},
	{"returnee", "外出务工返乡"}, {"group_leader", "村民小组长"}, {"other", "其他"},
};
/* the last two are a member's, read from the roster, never stated */
static const code politicals[] = {
	{"masses", "群众"},        {"league", "共青团员"},          {"activist", "入党积极分子"},
	{"democratic", "民主党派"}, {"probationary", "中共预备党员"}, {"member", "中共党员"},
};
#define N_STATED_POLITICAL 4
static const code removals[] = {
	{"disqualified", "取消后备干部资格"},
	{"elected", "已进入村“两委”"},
	{"away", "外出"},
	{"other", "其他"},
};
static const code results[] = {{"excellent", "优秀"}, {"pass", "合格"}, {"fail", "不合格"}};

static const char *code_from(const code *t, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(s, t[i].code) || !strcmp(s, t[i].name))
			return t[i].code;
	return NULL;
}

static const char *code_name(const code *t, size_t n, const char *c)
{
	for (size_t i = 0; c && i < n; i++)
		if (!strcmp(c, t[i].code))
			return t[i].name;
	return NULL;
}

const char *zb_rsource_from(const char *s) { return code_from(sources, N(sources), s); }
const char *zb_rsource_name(const char *c) { return code_name(sources, N(sources), c); }
const char *zb_rpolitical_from(const char *s) { return code_from(politicals, N_STATED_POLITICAL, s); }
const char *zb_rpolitical_name(const char *c) { return code_name(politicals, N(politicals), c); }
const char *zb_rremoval_from(const char *s) { return code_from(removals, N(removals), s); }
const char *zb_rremoval_name(const char *c) { return code_name(removals, N(removals), c); }
const char *zb_rresult_from(const char *s) { return code_from(results, N(results), s); }
const char *zb_rresult_name(const char *c) { return code_name(results, N(results), c); }

/* ---- rules and age -------------------------------------------------------------- */

#define YOUNG_MIN 25
#define YOUNG_MAX 45

int zb_reserve_rules_validate(json_t *data, zb_err *e)
{
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为对象");
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		if (!strcmp(key, "young_max_age"))
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 200)
				return zb_fail(e, ZB_EINVAL, "data.source", "规则项 source（依据）应为不超过 200 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	json_t *x = json_object_get(data, "young_max_age");
	if (!json_is_integer(x) || json_integer_value(x) < YOUNG_MIN || json_integer_value(x) > YOUNG_MAX)
		return zb_fail(e, ZB_EINVAL, "data.young_max_age",
		               "规则项 young_max_age（年轻干部的年龄界限：未满该周岁为年轻）应为 %d 到 %d 之间的整数",
		               YOUNG_MIN, YOUNG_MAX);
	return 0;
}

int zb_reserve_rules_get(zb_db *db, const char *org_path, const char *date, zb_reserve_rules *r, zb_err *e)
{
	r->young_max_age = 35;
	r->set_id = 0;
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "reserve", date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	int64_t v;
	if (s && !(rc = zb_rule_int(s, "young_max_age", &v, e))) {
		r->young_max_age = (int)v;
		r->set_id = s->id;
	}
	zb_rules_free(rs);
	return rc;
}

static int ymd(const char *s)
{
	return s && zb_date_valid(s) ? atoi(s) * 10000 + atoi(s + 5) * 100 + atoi(s + 8) : 0;
}

int zb_reserve_age(const char *birth, const char *ref)
{
	int b = ymd(birth), t = ymd(ref);
	if (!b || !t || t < b)
		return -1;
	/* whole years: the birthday's month and day reached (29 February is
	 * reached on 1 March of a common year) */
	return (t - b) / 10000;
}

int zb_reserve_is_young(const zb_reserve_rules *r, const char *birth, const char *ref)
{
	int age = zb_reserve_age(birth, ref);
	return age >= 0 && age < r->young_max_age;
}

/* ---- protection --------------------------------------------------------------- */

#define AD_LEN 64
static void field_ad(int64_t id, const char *field, char out[AD_LEN])
{
	snprintf(out, AD_LEN, "reserve_cadres/%lld/%s", (long long)id, field);
}

/* b's text into the arena, b wiped and released */
static const char *take(zb_arena *ar, zb_buf *b)
{
	const char *s = zb_arena_strndup(ar, b->data ? b->data : "", b->len);
	if (b->data)
		sodium_memzero(b->data, b->len);
	zb_buf_release(b);
	return s;
}

/* The ciphertext of plain bound to the row, and its masked form. */
static int seal(const struct zb_keys *k, int64_t id, const char *field, const char *plain,
                int (*mask)(const char *, zb_buf *), zb_arena *ar, const char **enc, const char **masked, zb_err *e)
{
	char ad[AD_LEN];
	zb_buf c = {0}, m = {0};
	field_ad(id, field, ad);
	if (zb_fp_encrypt(k, plain, ad, &c) || mask(plain, &m)) {
		zb_buf_release(&c);
		zb_buf_release(&m);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：%s加密失败", !strcmp(field, "phone") ? "联系电话" : "身份证号");
	}
	*enc = take(ar, &c);
	*masked = take(ar, &m);
	return 0;
}

static int unseal(const struct zb_keys *k, int64_t id, const char *field, const char *label, const char *text,
                  zb_arena *ar, const char **out, zb_err *e)
{
	char ad[AD_LEN];
	zb_buf b = {0};
	field_ad(id, field, ad);
	if (zb_fp_decrypt(k, text, ad, &b, e)) {
		zb_buf_release(&b);
		zb_err inner = *e;
		return zb_fail(e, inner.code, NULL, "无法读取后备干部（编号 %lld）的%s：%s", (long long)id, label, inner.msg);
	}
	*out = take(ar, &b);
	return 0;
}

int zb_reserve_reveal(zb_reserve *r, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	int rc = 0;
	if (r->id_enc && !r->id_number)
		rc = unseal(k, r->id, "id_number", "身份证号", r->id_enc, ar, &r->id_number, e);
	if (!rc && r->phone_enc && !r->phone)
		rc = unseal(k, r->id, "phone", "联系电话", r->phone_enc, ar, &r->phone, e);
	return rc;
}

/* ---- reading ------------------------------------------------------------------- */

void zb_reserve_read_row(zb_stmt *st, zb_arena *ar, zb_reserve *r)
{
#define T(i) zb_arena_strdup(ar, zb_col_text(st, (i)))
	memset(r, 0, sizeof *r);
	r->id = zb_col_int(st, 0);
	r->org_id = zb_col_int(st, 1);
	r->org_path = T(2);
	r->org_name = T(3);
	r->member_id = zb_col_int(st, 4);
	r->name = T(5);
	r->gender = T(6);
	r->birth_date = T(7);
	r->id_enc = T(8);
	r->id_index = T(9);
	r->id_masked = T(10);
	r->phone_enc = T(11);
	r->phone_masked = T(12);
	r->education = T(13);
	r->political = T(14);
	r->source = T(15);
	r->entered_on = T(16);
	r->recommended_by = T(17);
	r->removed_on = T(18);
	r->removed_kind = T(19);
	r->removed_reason = T(20);
	r->created_at = zb_col_int(st, 21);
	r->updated_at = zb_col_int(st, 22);
#undef T
}

typedef struct one_ctx {
	zb_arena *ar;
	zb_reserve *r;
	size_t tcap, pcap;
} one_ctx;

static void read_one(zb_stmt *st, void *ctx)
{
	one_ctx *o = ctx;
	zb_reserve_read_row(st, o->ar, o->r);
}

static int read_training(zb_stmt *st, void *ctx, zb_err *e)
{
	one_ctx *o = ctx;
	(void)e;
	zb_reserve *r = o->r;
	ZB_AGROW(o->ar, r->trainings, (size_t)r->ntrainings + 1, o->tcap);
	zb_reserve_training *t = &r->trainings[r->ntrainings++];
	t->id = zb_col_int(st, 0);
	t->held_on = zb_arena_strdup(o->ar, zb_col_text(st, 1));
	t->course = zb_arena_strdup(o->ar, zb_col_text(st, 2));
	t->hours = zb_col_int(st, 3);
	return 0;
}

static int read_trial(zb_stmt *st, void *ctx, zb_err *e)
{
	one_ctx *o = ctx;
	(void)e;
	zb_reserve *r = o->r;
	ZB_AGROW(o->ar, r->trials, (size_t)r->ntrials + 1, o->pcap);
	zb_reserve_trial *t = &r->trials[r->ntrials++];
#define T(i) zb_arena_strdup(o->ar, zb_col_text(st, (i)))
	t->id = zb_col_int(st, 0);
	t->post = T(1);
	t->from_on = T(2);
	t->to_on = T(3);
	t->mentor = T(4);
	t->result = T(5);
	t->comment = T(6);
	t->assessed_on = T(7);
#undef T
	return 0;
}

int zb_reserve_get(zb_db *db, int64_t id, zb_arena *ar, zb_reserve *r, zb_err *e)
{
	one_ctx o = {ar, r, 0, 0};
	int rc = zb_db_one(db, e, "未找到该后备干部，或不在您的管理范围内", read_one, &o, "SELECT " ZB_RESERVE_COLS "WHERE r.id = ?",
	                   "i", id);
	if (!rc)
		rc = zb_db_each(db, e, read_training, &o,
		                "SELECT id, held_on, course, hours FROM reserve_trainings WHERE cadre_id = ? "
		                "ORDER BY held_on, id",
		                "i", id);
	if (!rc)
		rc = zb_db_each(db, e, read_trial, &o,
		                "SELECT id, post, from_on, to_on, mentor, result, comment, assessed_on FROM reserve_trials "
		                "WHERE cadre_id = ? ORDER BY from_on, id",
		                "i", id);
	return rc;
}

/* ---- writes --------------------------------------------------------------------- */

static int audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id, const char *path,
                 const char *detail, zb_err *e)
{
	return zb_audit_change(db, app, by, action, "reserve_cadre", id, path, detail, e);
}

static const char *clean(zb_arena *ar, const char *s)
{
	if (!s)
		return NULL;
	const char *c = zb_member_clean(ar, s);
	return c && *c ? c : NULL;
}

/* A date stated for field: valid, not after today, not before floor. */
static int check_date(const char *v, const char *field, const char *label, const char *today, const char *floor,
                      const char *floor_label, zb_err *e)
{
	if (!v || !zb_date_valid(v))
		return zb_fail(e, ZB_EINVAL, field, "请填写%s（YYYY-MM-DD）", label);
	if (strcmp(v, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s %s 晚于今天", label, v);
	if (floor && strcmp(v, floor) < 0)
		return zb_fail(e, ZB_ECONFLICT, field, "%s %s 早于%s %s", label, v, floor_label, floor);
	return 0;
}

/* The personal fields of a non-member with the member record's checks. */
static int check_person(zb_reserve *r, const char *today, zb_arena *ar, zb_err *e)
{
	zb_member m = {.name = r->name, .gender = r->gender, .birth_date = r->birth_date, .id_number = r->id_number,
	               .education = r->education, .phone = r->phone, .category = "probationary", .join_date = today};
	zb_member_rules none = {.min_join_age = 0};
	unsigned given = ZB_MF_NAME | ZB_MF_GENDER | ZB_MF_BIRTH | ZB_MF_ID | ZB_MF_EDUCATION | ZB_MF_PHONE |
	                 ZB_MF_CATEGORY | ZB_MF_JOIN;
	int rc = zb_member_check(&m, given, &none, atoi(today) * 10000 + atoi(today + 5) * 100 + atoi(today + 8), ar,
	                         NULL, e);
	if (rc) {
		if (!strcmp(e->field, "join_date")) /* born today */
			return zb_fail(e, ZB_EINVAL, "birth_date", "出生日期 %s 不能是今天", m.birth_date);
		return rc;
	}
	if (!m.birth_date)
		return zb_fail(e, ZB_EINVAL, "birth_date", "请填写身份证号或出生日期（用于计算年龄）");
	r->name = m.name;
	r->gender = m.gender;
	r->birth_date = m.birth_date;
	r->id_number = m.id_number;
	r->education = m.education;
	r->phone = m.phone;
	if (r->political) {
		const char *p = zb_rpolitical_from(clean(ar, r->political));
		if (!p)
			return zb_fail(e, ZB_EINVAL, "political", "政治面貌应为 群众、共青团员、入党积极分子 或 民主党派（党员请按党员编号选择）");
		r->political = p;
	} else {
		r->political = "masses";
	}
	return 0;
}

typedef struct name_ctx {
	zb_arena *ar;
	const char *name;
} name_ctx;

static void read_name(zb_stmt *st, void *ctx)
{
	name_ctx *c = ctx;
	c->name = zb_arena_strdup(c->ar, zb_col_text(st, 0));
}

/* Member id of the village at path: its name into *name (arena). */
static int village_member(zb_db *db, int64_t id, const char *path, zb_arena *ar, const char **name, zb_err *e)
{
	name_ctx c = {ar, NULL};
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	int rc = zb_db_one(db, e, "未找到该党员，或该党员不属于本村", read_name, &c,
	                   "SELECT name FROM members WHERE id = ? AND org_path >= ? AND org_path < ?", "iss", id, path,
	                   upper);
	if (rc == ZB_ENOTFOUND)
		snprintf(e->field, sizeof e->field, "member_id");
	*name = c.name;
	return rc;
}

static int pinyin_of(zb_arena *ar, const char *name, const char **out, zb_err *e)
{
	zb_buf py = {0}, ini = {0};
	if (zb_pinyin(name, &py, &ini)) {
		zb_buf_release(&py);
		zb_buf_release(&ini);
		return zb_fail(e, ZB_EINTERNAL, "name", "内部错误：姓名的拼音过长");
	}
	*out = zb_arena_strndup(ar, py.data ? py.data : "", py.len);
	zb_buf_release(&py);
	zb_buf_release(&ini);
	return 0;
}

/* Someone already in an active pool (another record than r->id), or an ID
 * number on the roster. */
static int taken(zb_db *db, const zb_reserve *r, zb_err *e)
{
	int64_t n = 0;
	int rc;
	if (r->member_id) {
		if ((rc = zb_db_int(db, e, &n,
		                    "SELECT COUNT(*) FROM reserve_cadres WHERE member_id = ? AND removed_on IS NULL AND id <> ?",
		                    "ii", r->member_id, r->id)))
			return rc;
		if (n)
			return zb_fail(e, ZB_ECONFLICT, "member_id", "%s 已在后备干部队伍中", r->name);
		return 0;
	}
	if (!r->id_index)
		return 0;
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM members WHERE id_index = ?", "s", r->id_index)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有党员登记：党员请按党员编号（member_id）选择");
	if ((rc = zb_db_int(db, e, &n,
	                    "SELECT COUNT(*) FROM reserve_cadres WHERE id_index = ? AND removed_on IS NULL AND id <> ?",
	                    "si", r->id_index, r->id)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已在后备干部队伍中登记");
	return 0;
}

/* r->id_index from r->id_number (NULL without one). */
static int index_of(zb_app *app, zb_reserve *r, char idx[65], zb_arena *ar, zb_err *e)
{
	r->id_index = NULL;
	if (!r->id_number)
		return 0;
	if (zb_fp_blind_index(app->keys, r->id_number, idx))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
	r->id_index = zb_arena_strdup(ar, idx);
	return 0;
}

/* The ciphertexts and masks of r's ID number and phone (cleared when NULL),
 * bound to the row r->id, written to it. */
static int store_sealed(zb_db *db, zb_app *app, zb_reserve *r, zb_arena *ar, zb_err *e)
{
	int rc = 0;
	r->id_enc = r->id_masked = r->phone_enc = r->phone_masked = NULL;
	if (r->id_number)
		rc = seal(app->keys, r->id, "id_number", r->id_number, zb_mask_id_number, ar, &r->id_enc, &r->id_masked, e);
	if (!rc && r->phone)
		rc = seal(app->keys, r->id, "phone", r->phone, zb_mask_phone, ar, &r->phone_enc, &r->phone_masked, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE reserve_cadres SET id_enc = ?, id_masked = ?, phone_enc = ?, phone_masked = ? "
		               "WHERE id = ?",
		               "ssssi", r->id_enc, r->id_masked, r->phone_enc, r->phone_masked, r->id);
	return rc;
}

static int add_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, zb_reserve *r, const char *today, zb_arena *ar,
                     zb_err *e)
{
	const char *py = NULL;
	char idx[65];
	int rc = pinyin_of(ar, r->name, &py, e);
	if (rc || (rc = index_of(app, r, idx, ar, e)))
		return rc;
	if ((rc = taken(db, r, e)))
		return rc;
	int64_t now = zb_now(app);
	rc = zb_db_int(db, e, &r->id,
	               "INSERT INTO reserve_cadres (org_id, org_path, member_id, name, name_pinyin, gender, birth_date, "
	               "id_index, education, political, source, entered_on, recommended_by, created_by, created_at, "
	               "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	               "isIssssssssssIii", r->org_id, r->org_path, r->member_id, r->name, py, r->gender, r->birth_date,
	               r->id_index, r->education, r->political, r->source, r->entered_on, r->recommended_by,
	               by->user_id, now, now);
	if (!rc && (r->id_number || r->phone))
		rc = store_sealed(db, app, r, ar, e);
	(void)today;
	if (!rc)
		rc = audit(db, app, by, "reserve.add", r->id, r->org_path,
		           zb_arena_printf(ar, "{\"org_id\":%lld,\"member_id\":%lld,\"source\":\"%s\",\"entered_on\":\"%s\"}",
		                           (long long)r->org_id, (long long)r->member_id, r->source, r->entered_on),
		           e);
	return rc;
}

int zb_reserve_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_reserve *in, zb_arena *ar, int64_t *id,
                   zb_err *e)
{
	zb_reserve r = *in;
	zb_org o;
	char today[11];
	zb_today(app, today);
	int rc = zb_org_get(db, r.org_id, ar, &o, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所在村不存在，或不在您的管理范围内");
	if (rc)
		return rc;
	r.org_path = o.path;
	r.org_name = o.name;
	/* the member first: one outside the village is answered like one
	 * that does not exist, whatever the org */
	if (r.member_id > 0) {
		if ((rc = village_member(db, r.member_id, o.path, ar, &r.name, e)))
			return rc;
		r.gender = r.birth_date = r.id_number = r.phone = r.education = NULL;
		r.political = "member";
	} else {
		r.member_id = 0;
	}
	int village;
	if ((rc = zb_org_is_village(db, o.id, &village, e)))
		return rc;
	if (!village)
		return zb_fail(e, ZB_EINVAL, "org_id", "后备干部按行政村建立：%s 不是农村的村党组织（村党支部或村党总支）", o.name);
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o.name);
	if (!r.member_id && (rc = check_person(&r, today, ar, e)))
		return rc;
	const char *s = zb_rsource_from(clean(ar, r.source));
	if (!s)
		return zb_fail(e, ZB_EINVAL, "source",
		               "来源应为 本村致富能手、返乡大学生、退役军人、外出务工返乡、村民小组长 或 其他（或其代码）");
	r.source = s;
	r.recommended_by = clean(ar, r.recommended_by);
	if ((rc = check_date(r.entered_on, "entered_on", "进入后备干部队伍的日期", today, NULL, NULL, e)))
		return rc;
	if (r.id_number && (rc = zb_id_lookup_check(db, by->user_id, zb_now(app), e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = add_in_tx(db, app, by, &r, today, ar, e);
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	*id = r.id;
	return 0;
}

/* The record for a write to it, in the write transaction. */
static int load(zb_db *db, int64_t id, zb_arena *ar, zb_reserve *r, zb_err *e)
{
	return zb_reserve_get(db, id, ar, r, e);
}

static int training_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_training *t,
                          zb_arena *ar, zb_err *e)
{
	zb_reserve r;
	char today[11];
	zb_today(app, today);
	int rc = load(db, id, ar, &r, e);
	if (rc)
		return rc;
	const char *course = clean(ar, t->course);
	if ((rc = check_date(t->held_on, "held_on", "培训日期", today, r.entered_on, "进入后备干部队伍的日期", e)))
		return rc;
	if (!course || strlen(course) > 600)
		return zb_fail(e, ZB_EINVAL, "course", "请填写培训内容（不超过 200 个字）");
	if (t->hours < 1 || t->hours > 1000)
		return zb_fail(e, ZB_EINVAL, "hours", "学时应为 1 到 1000 之间的整数");
	int64_t tid = 0;
	rc = zb_db_int(db, e, &tid,
	               "INSERT INTO reserve_trainings (cadre_id, held_on, course, hours, created_by, created_at) "
	               "VALUES (?,?,?,?,?,?) RETURNING id",
	               "issiIi", id, t->held_on, course, t->hours, by->user_id, zb_now(app));
	return rc ? rc
	          : audit(db, app, by, "reserve.training", id, r.org_path,
	                  zb_arena_printf(ar, "{\"training_id\":%lld,\"held_on\":\"%s\",\"hours\":%lld}", (long long)tid,
	                                  t->held_on, (long long)t->hours),
	                  e);
}

int zb_reserve_training_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_training *t,
                            zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, training_in_tx(db, app, by, id, t, ar, e), e);
}

static int trial_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_trial *t,
                       zb_arena *ar, int64_t *trial_id, zb_err *e)
{
	zb_reserve r;
	int rc = load(db, id, ar, &r, e);
	if (rc)
		return rc;
	if (r.removed_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已于 %s 移出后备干部队伍，不能再安排试岗", r.name, r.removed_on);
	const char *post = clean(ar, t->post), *mentor = clean(ar, t->mentor);
	if (!post || strlen(post) > 300)
		return zb_fail(e, ZB_EINVAL, "post", "请填写试岗的岗位（不超过 100 个字），如 村委会主任助理");
	if (!t->from_on || !zb_date_valid(t->from_on))
		return zb_fail(e, ZB_EINVAL, "from_on", "请填写试岗开始日期（YYYY-MM-DD）");
	if (!t->to_on || !zb_date_valid(t->to_on))
		return zb_fail(e, ZB_EINVAL, "to_on", "请填写试岗结束日期（YYYY-MM-DD）");
	if (strcmp(t->from_on, r.entered_on) < 0)
		return zb_fail(e, ZB_ECONFLICT, "from_on", "试岗开始日期 %s 早于进入后备干部队伍的日期 %s", t->from_on,
		               r.entered_on);
	if (strcmp(t->to_on, t->from_on) < 0)
		return zb_fail(e, ZB_EINVAL, "to_on", "试岗结束日期 %s 早于开始日期 %s", t->to_on, t->from_on);
	if (mentor && strlen(mentor) > 150)
		return zb_fail(e, ZB_EINVAL, "mentor", "导师姓名不超过 50 个字");
	for (int i = 0; i < r.ntrials; i++)
		if (strcmp(r.trials[i].from_on, t->to_on) <= 0 && strcmp(t->from_on, r.trials[i].to_on) <= 0)
			return zb_fail(e, ZB_ECONFLICT, "from_on", "与已有的试岗（%s，%s 至 %s）时间重叠", r.trials[i].post,
			               r.trials[i].from_on, r.trials[i].to_on);
	rc = zb_db_int(db, e, trial_id,
	               "INSERT INTO reserve_trials (cadre_id, post, from_on, to_on, mentor, created_by, created_at) "
	               "VALUES (?,?,?,?,?,?,?) RETURNING id",
	               "issssIi", id, post, t->from_on, t->to_on, mentor, by->user_id, zb_now(app));
	return rc ? rc
	          : audit(db, app, by, "reserve.trial", id, r.org_path,
	                  zb_arena_printf(ar, "{\"trial_id\":%lld,\"from_on\":\"%s\",\"to_on\":\"%s\"}",
	                                  (long long)*trial_id, t->from_on, t->to_on),
	                  e);
}

int zb_reserve_trial_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve_trial *t,
                         zb_arena *ar, int64_t *trial_id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, trial_in_tx(db, app, by, id, t, ar, trial_id, e), e);
}

static int assess_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t trial_id,
                        const char *result, const char *comment, const char *on, zb_arena *ar, zb_err *e)
{
	zb_reserve r;
	char today[11];
	zb_today(app, today);
	int rc = load(db, id, ar, &r, e);
	if (rc)
		return rc;
	const zb_reserve_trial *t = NULL;
	for (int i = 0; i < r.ntrials; i++)
		if (r.trials[i].id == trial_id)
			t = &r.trials[i];
	if (!t)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该试岗记录，或不在您的管理范围内");
	if (t->result)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该试岗已于 %s 考核（%s），不能重复考核", t->assessed_on,
		               zb_rresult_name(t->result));
	const char *res = zb_rresult_from(clean(ar, result));
	if (!res)
		return zb_fail(e, ZB_EINVAL, "result", "考核结果应为 优秀、合格 或 不合格（excellent、pass、fail）");
	comment = clean(ar, comment);
	if (!strcmp(res, "fail") && !comment)
		return zb_fail(e, ZB_EINVAL, "comment", "考核不合格须写明评语");
	if (comment && strlen(comment) > 3000)
		return zb_fail(e, ZB_EINVAL, "comment", "评语不超过 1000 个字");
	if (!on)
		on = today;
	if ((rc = check_date(on, "assessed_on", "考核日期", today, NULL, NULL, e)))
		return rc;
	if (strcmp(on, t->to_on) <= 0)
		return zb_fail(e, ZB_ECONFLICT, "assessed_on", "试岗 %s 至 %s 尚未结束：结束之后才能考核（最早 %s 的次日）",
		               t->from_on, t->to_on, t->to_on);
	rc = zb_db_run(db, e, NULL,
	               "UPDATE reserve_trials SET result = ?, comment = ?, assessed_on = ?, assessed_by = ? "
	               "WHERE id = ? AND result IS NULL",
	               "sssIi", res, comment, on, by->user_id, trial_id);
	return rc ? rc
	          : audit(db, app, by, "reserve.assess", id, r.org_path,
	                  zb_arena_printf(ar, "{\"trial_id\":%lld,\"result\":\"%s\",\"assessed_on\":\"%s\"}",
	                                  (long long)trial_id, res, on),
	                  e);
}

int zb_reserve_trial_assess(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t trial_id,
                            const char *result, const char *comment, const char *assessed_on, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc
	          : zb_db_end(db, assess_in_tx(db, app, by, id, trial_id, result, comment, assessed_on, ar, e), e);
}

static int remove_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *kind,
                        const char *reason, zb_arena *ar, zb_err *e)
{
	zb_reserve r;
	char today[11];
	zb_today(app, today);
	int rc = load(db, id, ar, &r, e);
	if (rc)
		return rc;
	if (r.removed_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已于 %s 移出后备干部队伍（%s）", r.name, r.removed_on,
		               zb_rremoval_name(r.removed_kind));
	const char *k = zb_rremoval_from(clean(ar, kind));
	if (!k)
		return zb_fail(e, ZB_EINVAL, "kind", "移出的情形应为 取消后备干部资格、已进入村“两委”、外出 或 其他（disqualified、elected、away、other）");
	reason = clean(ar, reason);
	if (!reason || strlen(reason) > 3000)
		return zb_fail(e, ZB_EINVAL, "reason", "请写明移出的原因（不超过 1000 个字）");
	if ((rc = check_date(on, "on", "移出日期", today, r.entered_on, "进入后备干部队伍的日期", e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE reserve_cadres SET removed_on = ?, removed_kind = ?, removed_reason = ?, updated_at = ? "
	               "WHERE id = ? AND removed_on IS NULL",
	               "sssii", on, k, reason, zb_now(app), id);
	return rc ? rc
	          : audit(db, app, by, "reserve.remove", id, r.org_path,
	                  zb_arena_printf(ar, "{\"on\":\"%s\",\"kind\":\"%s\"}", on, k), e);
}

int zb_reserve_remove_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *kind,
                         const char *reason, zb_arena *ar, zb_err *e)
{
	return remove_in_tx(db, app, by, id, on, kind, reason, ar, e);
}

int zb_reserve_remove(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *kind,
                      const char *reason, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, remove_in_tx(db, app, by, id, on, kind, reason, ar, e), e);
}

/* ---- edit ---------------------------------------------------------------------- */

static int update_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve *in,
                        unsigned given, zb_arena *ar, zb_err *e)
{
	zb_reserve old, r;
	char today[11], idx[65];
	zb_today(app, today);
	int rc = load(db, id, ar, &old, e);
	if (rc || (rc = zb_reserve_reveal(&old, app->keys, ar, e)))
		return rc;
	if (old.removed_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已于 %s 移出后备干部队伍，记录不再修改", old.name, old.removed_on);
	static const struct {
		unsigned bit;
		const char *json;
	} personal[] = {{ZB_RF_NAME, "name"},   {ZB_RF_GENDER, "gender"},       {ZB_RF_BIRTH, "birth_date"},
	                {ZB_RF_ID, "id_number"}, {ZB_RF_PHONE, "phone"},         {ZB_RF_EDUCATION, "education"},
	                {ZB_RF_POLITICAL, "political"}};
	for (size_t i = 0; old.member_id && i < N(personal); i++)
		if (given & personal[i].bit)
			return zb_fail(e, ZB_ECONFLICT, personal[i].json, "%s 是党员：个人信息请在党员档案中修改", old.name);
	r = old;
#define C(bit, f)          \
	if (given & (bit)) \
		r.f = in->f;
	C(ZB_RF_NAME, name)
	C(ZB_RF_GENDER, gender)
	C(ZB_RF_BIRTH, birth_date)
	C(ZB_RF_ID, id_number)
	C(ZB_RF_PHONE, phone)
	C(ZB_RF_EDUCATION, education)
	C(ZB_RF_POLITICAL, political)
	C(ZB_RF_SOURCE, source)
	C(ZB_RF_RECOMMENDED, recommended_by)
#undef C
	/* an ID number stated anew speaks for birth date and gender */
	if ((given & ZB_RF_ID) && !(given & ZB_RF_BIRTH))
		r.birth_date = NULL;
	if ((given & ZB_RF_ID) && !(given & ZB_RF_GENDER))
		r.gender = NULL;
	if (!r.member_id && (rc = check_person(&r, today, ar, e)))
		return rc;
	const char *s = zb_rsource_from(clean(ar, r.source));
	if (!s)
		return zb_fail(e, ZB_EINVAL, "source",
		               "来源应为 本村致富能手、返乡大学生、退役军人、外出务工返乡、村民小组长 或 其他（或其代码）");
	r.source = s;
	r.recommended_by = clean(ar, r.recommended_by);
	const char *py = NULL;
	if ((rc = pinyin_of(ar, r.name, &py, e)) || (rc = index_of(app, &r, idx, ar, e)))
		return rc;
	if ((given & ZB_RF_ID) && (rc = taken(db, &r, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE reserve_cadres SET name = ?, name_pinyin = ?, gender = ?, birth_date = ?, id_index = ?, "
	               "education = ?, political = ?, source = ?, recommended_by = ?, updated_at = ? WHERE id = ?",
	               "sssssssssii", r.member_id ? old.name : r.name, py, r.member_id ? NULL : r.gender,
	               r.member_id ? NULL : r.birth_date, r.id_index, r.member_id ? NULL : r.education, r.political,
	               r.source, r.recommended_by, zb_now(app), id);
	if (!rc && !r.member_id)
		rc = store_sealed(db, app, &r, ar, e);
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_karr(w, "fields");
	for (size_t i = 0; i < N(personal); i++)
		if (given & personal[i].bit)
			jw_str(w, personal[i].json);
	if (given & ZB_RF_SOURCE)
		jw_str(w, "source");
	if (given & ZB_RF_RECOMMENDED)
		jw_str(w, "recommended_by");
	jw_arr_end(w);
	return zb_audit_change_detail(db, app, by, "reserve.update", "reserve_cadre", id, old.org_path, &d, e);
}

int zb_reserve_update(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_reserve *in,
                      unsigned given, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, update_in_tx(db, app, by, id, in, given, ar, e), e);
}
