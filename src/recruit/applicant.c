/* applicant.c - the record of a person in the 发展党员 pipeline: codes,
 * checks, protection of the ID number and phone, storage, create and edit.
 * The steps and the hand-over to the roster: recruit/steps.c. */
#include "recruit/applicant.h"
#include "recruit/rrules.h"
#include "core/date.h"
#include "core/jw.h"
#include "crypto/fieldprot.h"
#include "member/member.h"
#include "org/org.h"
#include "text/pinyin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- codes ---------------------------------------------------------------- */

static const struct {
	const char *code, *name;
} sources[] = {
	{"achiever", "致富能手"}, {"returnee", "返乡创业人员"}, {"veteran", "复转军人"},
	{"graduate", "大学生"},   {"young_farmer", "青年农民"},  {"other", "其他"},
}, recommends[] = {
	{"league", "共青团推优"},
	{"members", "党员推荐"},
};
#define N(x) (sizeof(x) / sizeof((x)[0]))

#define CODE_TABLE(fn_from, fn_name, table)                                        \
	const char *fn_from(const char *s)                                         \
	{                                                                          \
		for (size_t i = 0; s && i < N(table); i++)                         \
			if (!strcmp(s, table[i].code) || !strcmp(s, table[i].name)) \
				return table[i].code;                              \
		return NULL;                                                       \
	}                                                                          \
	const char *fn_name(const char *code)                                      \
	{                                                                          \
		for (size_t i = 0; code && i < N(table); i++)                      \
			if (!strcmp(code, table[i].code))                          \
				return table[i].name;                              \
		return NULL;                                                       \
	}
CODE_TABLE(zb_asource_from, zb_asource_name, sources)
CODE_TABLE(zb_arecommend_from, zb_arecommend_name, recommends)

/* ---- check ---------------------------------------------------------------- */

/* The personal fields as a member record, for zb_member_check. */
static const struct {
	unsigned af, mf;
} as_member[] = {
	{ZB_AF_NAME, ZB_MF_NAME},           {ZB_AF_GENDER, ZB_MF_GENDER},       {ZB_AF_BIRTH, ZB_MF_BIRTH},
	{ZB_AF_ID, ZB_MF_ID},               {ZB_AF_ETHNICITY, ZB_MF_ETHNICITY}, {ZB_AF_EDUCATION, ZB_MF_EDUCATION},
	{ZB_AF_WORK_UNIT, ZB_MF_WORK_UNIT}, {ZB_AF_PHONE, ZB_MF_PHONE},
};

int zb_applicant_check(zb_applicant *a, unsigned given, int today, zb_arena *ar, zb_err *e)
{
	char today_s[16];
	snprintf(today_s, sizeof today_s, "%04d-%02d-%02d", today / 10000 % 10000, today / 100 % 100, today % 100);
	/* The member record's checks, field for field: a person in the
	 * pipeline is not a member yet, so the membership rules (join date,
	 * category, minimum age) are not this record's; the age on the
	 * application date is the engine's rule (step 1). */
	zb_member m = {.name = a->name, .gender = a->gender, .birth_date = a->birth_date, .id_number = a->id_number,
	               .ethnicity = a->ethnicity, .education = a->education, .work_unit = a->work_unit,
	               .phone = a->phone, .category = "probationary", .join_date = today_s};
	zb_member_rules none = {.min_join_age = 0};
	unsigned mg = ZB_MF_CATEGORY | ZB_MF_JOIN;
	for (size_t i = 0; i < N(as_member); i++)
		if (given & as_member[i].af)
			mg |= as_member[i].mf;
	int rc = zb_member_check(&m, mg, &none, today, ar, NULL, e);
	if (rc) {
		if (!strcmp(e->field, "join_date")) /* born today */
			return zb_fail(e, ZB_ECONFLICT, "applied_on", "出生日期 %s 不能是今天", m.birth_date);
		return rc;
	}
	a->name = m.name;
	a->gender = m.gender;
	a->birth_date = m.birth_date;
	a->id_number = m.id_number;
	a->ethnicity = m.ethnicity;
	a->education = m.education;
	a->work_unit = m.work_unit;
	a->phone = m.phone;
	if (a->source) {
		const char *s = zb_asource_from(zb_member_clean(ar, a->source));
		if (!s)
			return zb_fail(e, ZB_EINVAL, "source",
			               "来源应为 致富能手、返乡创业人员、复转军人、大学生、青年农民 或 其他（收到“%s”）", a->source);
		a->source = s;
	} else {
		a->source = "other";
	}
	if (a->recommended_by) {
		const char *s = zb_arecommend_from(zb_member_clean(ar, a->recommended_by));
		if (!s)
			return zb_fail(e, ZB_EINVAL, "recommended_by", "推荐方式应为 league（共青团推优）或 members（党员推荐）");
		a->recommended_by = s;
	}
	if (!a->applied_on || !zb_date_valid(a->applied_on))
		return zb_fail(e, ZB_EINVAL, "applied_on", "请填写递交入党申请书的日期（YYYY-MM-DD）");
	if (strcmp(a->applied_on, today_s) > 0)
		return zb_fail(e, ZB_EINVAL, "applied_on", "递交入党申请书的日期 %s 晚于今天", a->applied_on);
	return 0;
}

/* ---- protection ------------------------------------------------------------ */

#define AD_LEN 64
static void field_ad(int64_t id, const char *field, char out[AD_LEN])
{
	snprintf(out, AD_LEN, "applicants/%lld/%s", (long long)id, field);
}

static const char *arena_buf(zb_arena *ar, zb_buf *b)
{
	const char *s = zb_arena_strndup(ar, b->data ? b->data : "", b->len);
	if (b->data)
		sodium_memzero(b->data, b->len);
	zb_buf_release(b);
	return s;
}

static int protect_one(const struct zb_keys *k, int64_t id, const char *field, const char *plain,
                       int (*mask)(const char *, zb_buf *), zb_arena *ar, const char **enc_out,
                       const char **masked_out)
{
	char ad[AD_LEN];
	zb_buf enc = {0}, m = {0};
	field_ad(id, field, ad);
	if (zb_fp_encrypt(k, plain, ad, &enc) || mask(plain, &m)) {
		zb_buf_release(&enc);
		zb_buf_release(&m);
		return -1;
	}
	*enc_out = arena_buf(ar, &enc);
	*masked_out = arena_buf(ar, &m);
	return 0;
}

int zb_applicant_protect(zb_applicant *a, unsigned given, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	if (a->id_number) {
		char idx[65];
		if (protect_one(k, a->id, "id_number", a->id_number, zb_mask_id_number, ar, &a->id_enc, &a->id_masked) ||
		    zb_fp_blind_index(k, a->id_number, idx))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：身份证号加密失败");
		a->id_index = zb_arena_strdup(ar, idx);
	} else if (given & ZB_AF_ID) {
		a->id_enc = a->id_index = a->id_masked = NULL;
	}
	if (a->phone) {
		if (protect_one(k, a->id, "phone", a->phone, zb_mask_phone, ar, &a->phone_enc, &a->phone_masked))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：电话号码加密失败");
	} else if (given & ZB_AF_PHONE) {
		a->phone_enc = a->phone_masked = NULL;
	}
	return 0;
}

static int reveal_one(const struct zb_keys *k, int64_t id, const char *field, const char *label, const char *text,
                      zb_arena *ar, const char **out, zb_err *e)
{
	char ad[AD_LEN];
	zb_buf b = {0};
	field_ad(id, field, ad);
	if (zb_fp_decrypt(k, text, ad, &b, e)) {
		zb_buf_release(&b);
		zb_err inner = *e;
		return zb_fail(e, inner.code, NULL, "无法读取发展对象（编号 %lld）的%s：%s", (long long)id, label, inner.msg);
	}
	*out = arena_buf(ar, &b);
	return 0;
}

int zb_applicant_reveal(zb_applicant *a, const struct zb_keys *k, zb_arena *ar, zb_err *e)
{
	int rc = 0;
	if (a->id_enc && !a->id_number)
		rc = reveal_one(k, a->id, "id_number", "身份证号", a->id_enc, ar, &a->id_number, e);
	if (!rc && a->phone_enc && !a->phone)
		rc = reveal_one(k, a->id, "phone", "联系电话", a->phone_enc, ar, &a->phone, e);
	return rc;
}

/* ---- storage ---------------------------------------------------------------- */

#define COLS                                                                                                      \
	"a.id, a.org_id, a.org_path, o.name, a.name, a.name_pinyin, a.gender, a.birth_date, a.id_enc, a.id_index, " \
	"a.id_masked, a.ethnicity, a.education, a.work_unit, a.phone_enc, a.phone_masked, a.source, "             \
	"a.recommended_by, a.applied_on, a.stage, a.step, a.step_on, a.member_id, a.closed, a.closed_on, "         \
	"a.closed_reason, a.created_by, a.created_at, a.updated_at FROM applicants a JOIN orgs o ON o.id = a.org_id "

typedef struct one_ctx {
	zb_arena *ar;
	zb_applicant *a;
} one_ctx;

static void read_row(zb_stmt *st, zb_arena *ar, zb_applicant *a)
{
#define T(i) zb_arena_strdup(ar, zb_col_text(st, (i)))
	memset(a, 0, sizeof *a);
	a->id = zb_col_int(st, 0);
	a->org_id = zb_col_int(st, 1);
	a->org_path = T(2);
	a->org_name = T(3);
	a->name = T(4);
	a->pinyin = T(5);
	a->gender = T(6);
	a->birth_date = T(7);
	a->id_enc = T(8);
	a->id_index = T(9);
	a->id_masked = T(10);
	a->ethnicity = T(11);
	a->education = T(12);
	a->work_unit = T(13);
	a->phone_enc = T(14);
	a->phone_masked = T(15);
	a->source = T(16);
	a->recommended_by = T(17);
	a->applied_on = T(18);
	a->stage = T(19);
	a->step = (int)zb_col_int(st, 20);
	a->step_on = T(21);
	a->member_id = zb_col_int(st, 22);
	a->closed = T(23);
	a->closed_on = T(24);
	a->closed_reason = T(25);
	a->created_by = zb_col_int(st, 26);
	a->created_at = zb_col_int(st, 27);
	a->updated_at = zb_col_int(st, 28);
#undef T
}

static void read_one(zb_stmt *st, void *ctx)
{
	one_ctx *o = ctx;
	read_row(st, o->ar, o->a);
}

int zb_applicant_get(zb_db *db, int64_t id, zb_arena *ar, zb_applicant *a, zb_err *e)
{
	one_ctx o = {ar, a};
	return zb_db_one(db, e, "未找到该发展对象，或不在您的管理范围内", read_one, &o, "SELECT " COLS "WHERE a.id = ?", "i",
	                 id);
}

typedef struct page_ctx {
	zb_arena *ar;
	zb_applicant_item *items;
	int n, cap;
} page_ctx;

static int read_page_row(zb_stmt *st, void *ctx, zb_err *e)
{
	page_ctx *p = ctx;
	if (p->n == p->cap)
		return ZB_DB_STOP;
	(void)e;
	read_row(st, p->ar, &p->items[p->n++].a);
	return 0;
}

int zb_applicant_page(zb_db *db, const char *path, const char *stage, const char *q, int64_t after, int64_t limit,
                      zb_arena *ar, zb_applicant_item **out, int *n, zb_err *e)
{
	page_ctx p = {ar, zb_arena_alloc(ar, (size_t)(limit + 1) * sizeof(zb_applicant_item)), 0, (int)limit + 1};
	const char *like = q && *q ? zb_arena_printf(ar, "%%%s%%", q) : NULL;
	int rc = zb_db_each(db, e, read_page_row, &p,
	                    "SELECT " COLS "WHERE a.org_path LIKE ? AND a.id > ? AND (CAST(? AS TEXT) IS NULL OR a.stage = ?) "
	                    "AND (CAST(? AS TEXT) IS NULL OR a.name LIKE ? OR a.name_pinyin LIKE ?) ORDER BY a.id LIMIT ?",
	                    "sisssssi", zb_arena_printf(ar, "%s%%", path), after, stage, stage, like, like,
	                    like ? zb_arena_printf(ar, "%%%s%%", q) : NULL, limit + 1);
	*out = p.items;
	*n = p.n;
	return rc;
}

/* ---- create and edit ---------------------------------------------------------- */

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

/* An ID number on the roster or in the pipeline (another record than
 * self) is refused, naming where. */
static int id_taken(zb_db *db, const char *idx, int64_t self, int64_t member, zb_err *e)
{
	int64_t n = 0;
	if (!idx)
		return 0;
	int rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM members WHERE id_index = ? AND id <> ?", "si", idx, member);
	if (rc)
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已有党员登记，已是党员的不能再列入发展对象");
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM applicants WHERE id_index = ? AND id <> ?", "si", idx,
	                    self)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已在发展党员工作中登记，不能重复录入");
	return 0;
}

int zb_applicant_find_id(zb_db *db, const char *idx, int64_t *applicant, int64_t *member, zb_err *e)
{
	*applicant = *member = 0;
	int rc = zb_db_int(db, e, applicant, "SELECT COALESCE(MAX(id), 0) FROM applicants WHERE id_index = ?", "s", idx);
	return rc ? rc : zb_db_int(db, e, member, "SELECT COALESCE(MAX(id), 0) FROM members WHERE id_index = ?", "s", idx);
}

static int audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id, const char *path,
                 const char *detail, zb_err *e)
{
	return zb_audit_change(db, app, by, action, "applicant", id, path, detail, e);
}

/* Step 1 as the engine sees it: the age on the application date. */
static int check_step1(zb_db *db, const zb_applicant *a, const char *today, zb_err *e)
{
	zb_recruit_rules rr;
	zb_workcal *cal = NULL;
	int rc = zb_recruit_rules_get(db, a->org_path, a->applied_on, &rr, e);
	if (rc)
		return rc;
	if ((rc = zb_workcal_load(db, atoi(a->applied_on), atoi(a->applied_on), &cal, e)))
		return rc;
	zb_rcase c = {.birth_date = a->birth_date, .applied_on = a->applied_on, .probation_months = 12, .ext_min = 6,
	              .ext_max = 12};
	zb_rstep_rec s1 = {.step = 1, .done_on = a->applied_on};
	rc = zb_recruit_check(&rr, cal, &c, &s1, today, e);
	zb_workcal_free(cal);
	return rc;
}

int zb_applicant_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id,
                        const zb_applicant *in, unsigned given, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_applicant a = *in;
	zb_org o;
	char today[11];
	zb_today(app, today);
	int rc = zb_org_get(db, org_id, ar, &o, e);
	if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(who, P_MEMBER_WRITE, o.path)))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o.name);
	if (!zb_org_type_is_branch(o.type) || !strcmp(o.type, "group"))
		return zb_fail(e, ZB_EINVAL, "org_id", "发展党员由党支部负责：%s 是%s，请选择党支部", o.name,
		               zb_org_type_name(o.type) ? zb_org_type_name(o.type) : o.type);
	a.org_id = o.id;
	a.org_path = o.path;
	a.org_name = o.name;
	if ((rc = zb_applicant_check(&a, given, zb_today_int(app), ar, e)) || (rc = check_step1(db, &a, today, e)))
		return rc;
	if (a.id_number && (rc = zb_id_lookup_check(db, who->user_id, zb_now(app), e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_applicant_insert(db, app, by, who->user_id, &a, given, ar, e);
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	*id = a.id;
	return 0;
}

int zb_applicant_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t user_id, zb_applicant *ap,
                        unsigned given, zb_arena *ar, zb_err *e)
{
	zb_applicant a = *ap;
	const char *py;
	int rc = pinyin_of(ar, a.name, &py, e);
	/* the index and masks first; the ciphertexts once the row has its id */
	if (rc || (rc = zb_applicant_protect(&a, given, app->keys, ar, e)))
		return rc;
	int64_t now = zb_now(app);
	/* an import links a 预备党员 already on the roster (a.member_id) */
	rc = id_taken(db, a.id_index, 0, a.member_id, e);
	if (!rc)
		rc = zb_db_int(db, e, &a.id,
		               "INSERT INTO applicants (org_id, org_path, name, name_pinyin, gender, birth_date, id_index, "
		               "id_masked, ethnicity, education, work_unit, phone_masked, source, recommended_by, applied_on, "
		               "stage, step, step_on, created_by, created_at, updated_at) "
		               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'applicant',1,?,?,?,?) RETURNING id",
		               "isssssssssssssssIii", a.org_id, a.org_path, a.name, py, a.gender, a.birth_date, a.id_index,
		               a.id_masked, a.ethnicity, a.education, a.work_unit, a.phone_masked, a.source,
		               a.recommended_by, a.applied_on, a.applied_on, user_id, now, now);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已在发展党员工作中登记，不能重复录入");
	if (!rc)
		rc = zb_applicant_protect(&a, given, app->keys, ar, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE applicants SET id_enc = ?, phone_enc = ? WHERE id = ?", "ssi", a.id_enc,
		               a.phone_enc, a.id);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO applicant_steps (applicant_id, step, done_on, facts, recorded_by, recorded_at) "
		               "VALUES (?, 1, ?, '{}', ?, ?)",
		               "isIi", a.id, a.applied_on, user_id, now);
	if (!rc)
		rc = audit(db, app, by, "applicant.create", a.id, a.org_path,
		           zb_arena_printf(ar, "{\"org_id\":%lld,\"applied_on\":\"%s\"}", (long long)a.org_id, a.applied_on),
		           e);
	if (!rc)
		*ap = a;
	return rc;
}

static void copy_given(zb_applicant *dst, const zb_applicant *src, unsigned given)
{
#define C(bit, f)              \
	if (given & (bit))     \
		dst->f = src->f;
	C(ZB_AF_NAME, name)
	C(ZB_AF_GENDER, gender)
	C(ZB_AF_BIRTH, birth_date)
	C(ZB_AF_ID, id_number)
	C(ZB_AF_ETHNICITY, ethnicity)
	C(ZB_AF_EDUCATION, education)
	C(ZB_AF_WORK_UNIT, work_unit)
	C(ZB_AF_PHONE, phone)
	C(ZB_AF_SOURCE, source)
	C(ZB_AF_RECOMMENDED, recommended_by)
#undef C
}

static int update_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_applicant *in,
                        unsigned given, zb_arena *ar, zb_err *e)
{
	zb_applicant old, nw;
	int rc = zb_applicant_get(db, id, ar, &old, e);
	if (rc || (rc = zb_applicant_reveal(&old, app->keys, ar, e)))
		return rc;
	if (old.member_id)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已编入党员名册，个人信息请在党员档案中修改", old.name);
	nw = old;
	copy_given(&nw, in, given);
	if ((rc = zb_applicant_check(&nw, given, zb_today_int(app), ar, e)))
		return rc;
	if ((given & (ZB_AF_ID | ZB_AF_BIRTH)) && (rc = check_step1(db, &nw, old.applied_on, e)))
		return rc;
	const char *py = old.pinyin;
	if ((given & ZB_AF_NAME) && (rc = pinyin_of(ar, nw.name, &py, e)))
		return rc;
	if ((rc = zb_applicant_protect(&nw, given | ZB_AF_ID | ZB_AF_PHONE, app->keys, ar, e)))
		return rc;
	if ((given & ZB_AF_ID) && (rc = id_taken(db, nw.id_index, id, 0, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE applicants SET name = ?, name_pinyin = ?, gender = ?, birth_date = ?, id_enc = ?, "
	               "id_index = ?, id_masked = ?, ethnicity = ?, education = ?, work_unit = ?, phone_enc = ?, "
	               "phone_masked = ?, source = ?, recommended_by = ?, updated_at = ? WHERE id = ?",
	               "ssssssssssssssii", nw.name, py, nw.gender, nw.birth_date, nw.id_enc, nw.id_index, nw.id_masked,
	               nw.ethnicity, nw.education, nw.work_unit, nw.phone_enc, nw.phone_masked, nw.source,
	               nw.recommended_by, zb_now(app), id);
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		return zb_fail(e, ZB_ECONFLICT, "id_number", "该身份证号已在发展党员工作中登记，不能重复录入");
	if (rc)
		return rc;
	zb_buf d = {0};
	zb_jw w;
	jw_init(&w, &d);
	jw_obj(&w);
	jw_karr(&w, "fields");
	static const struct {
		unsigned bit;
		const char *json;
	} names[] = {{ZB_AF_NAME, "name"},           {ZB_AF_GENDER, "gender"},       {ZB_AF_BIRTH, "birth_date"},
	             {ZB_AF_ID, "id_number"},        {ZB_AF_ETHNICITY, "ethnicity"}, {ZB_AF_EDUCATION, "education"},
	             {ZB_AF_WORK_UNIT, "work_unit"}, {ZB_AF_PHONE, "phone"},         {ZB_AF_SOURCE, "source"},
	             {ZB_AF_RECOMMENDED, "recommended_by"}};
	for (size_t i = 0; i < N(names); i++)
		if (given & names[i].bit)
			jw_str(&w, names[i].json);
	jw_arr_end(&w);
	jw_obj_end(&w);
	const char *detail = jw_finish(&w) ? "{}" : zb_arena_strdup(ar, d.data);
	zb_buf_release(&d);
	return audit(db, app, by, "applicant.update", id, old.org_path, detail, e);
}

int zb_applicant_update(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_applicant *in,
                        unsigned given, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, update_in_tx(db, app, by, id, in, given, ar, e), e);
}
