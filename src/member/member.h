/* member.h - the roster (花名册): one party member's record, its rules and
 * its storage.  No HTTP here: the API handlers (api/api_members.c), the
 * importer (member/import.c) and the command line all go through it.
 *
 * Life of a record on every write:
 *   1. fill a zb_member with raw input (strings as typed) and a mask of the
 *      fields the input states (ZB_MF_*);
 *   2. zb_member_check(): cleans and normalises every field in place
 *      (codes, dates, the ID number with birth date and gender derived from
 *      it) and checks the rules; on failure it names the JSON field;
 *   3. zb_member_protect(): ciphertext, blind index and masked form of the
 *      ID number and phone (the plaintext never reaches the database);
 *   4. zb_member_insert() / zb_member_update(): pinyin, initials and ICU
 *      sort key are derived from the name, the row is written and every
 *      change of category, status or org gets a member_history row, all in
 *      the caller's write transaction.
 * zb_member_save() (member/save.c) is steps 2-4 with the comparison with
 * the stored row, and every writer goes through it.
 *
 * Strings in a zb_member live in the arena passed alongside it; a zb_member
 * never owns memory.  Which fields a member has, and what each is called,
 * is ZB_MEMBER_FIELDS below.  Codes stored are English (gender M/F, category
 * full/probationary, status normal/mobile/...); Chinese names are accepted
 * on input and given back for display by the *_name functions.
 */
#ifndef ZB_MEMBER_H
#define ZB_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/authz.h"
#include "app/app.h"
#include "core/arena.h"
#include "core/err.h"
#include "rules/rules.h"
#include "store/db.h"

struct zb_keys;

/* Fields an input states.  An input that does not state a field leaves the
 * stored value alone; one that states it as empty clears it. */
enum zb_mfield {
	ZB_MF_NAME = 1u << 0,
	ZB_MF_GENDER = 1u << 1,
	ZB_MF_ETHNICITY = 1u << 2,
	ZB_MF_BIRTH = 1u << 3,
	ZB_MF_ID = 1u << 4,
	ZB_MF_NATIVE = 1u << 5,
	ZB_MF_EDUCATION = 1u << 6,
	ZB_MF_DEGREE = 1u << 7,
	ZB_MF_WORK_UNIT = 1u << 8,
	ZB_MF_JOB = 1u << 9,
	ZB_MF_CATEGORY = 1u << 10,
	ZB_MF_JOIN = 1u << 11,
	ZB_MF_FULL = 1u << 12,
	ZB_MF_PHONE = 1u << 13,
	ZB_MF_ADDRESS = 1u << 14,
	ZB_MF_STATUS = 1u << 15,
	ZB_MF_SOURCE = 1u << 16,
	ZB_MF_REMARKS = 1u << 17,
	ZB_MF_ORG = 1u << 18,
	ZB_MF_GROUP = 1u << 19,
};

typedef struct zb_member {
	int64_t id;
	int64_t org_id;            /* a branch-type org (党支部 ...) */
	int64_t group_id;          /* 党小组 (an org of type group under org_id), 0 = none */
	const char *org_path, *org_name, *group_name;
	const char *name, *gender, *ethnicity, *birth_date;
	const char *id_number;     /* plaintext, normalised; in memory only */
	const char *id_enc, *id_index, *id_masked;
	const char *native_place, *education, *degree, *work_unit, *job_title;
	const char *category, *join_date, *full_date;
	const char *phone;         /* plaintext, normalised; in memory only */
	const char *phone_enc, *phone_masked;
	const char *address, *status, *source, *remarks;
	const char *pinyin, *initials;
	int64_t created_at, updated_at;
	/* Pinyin, initials and sort key made beforehand (a bulk write derives
	 * them outside its transactions): insert and update use pinyin,
	 * initials and sort_key only while name still equals derived_for, and
	 * derive them from the name otherwise. */
	const char *derived_for;
	const unsigned char *sort_key;
	size_t sort_key_len;
} zb_member;

/* The one description of a member's stated fields: what each is called
 * in JSON and in Chinese, its type, how long it may be, whether it is
 * sensitive (ID number and phone: encrypted at rest, masked unless the
 * caller holds member.sensitive) and who may edit it (STAFF: member.write
 * only; SELF: also the member on their own record).  The roster tables
 * (zb_member_fields), the API's body tables (api/api_members.c), the
 * checks (zb_member_check), the comparison (zb_member_compare) and the
 * importer's columns (member/import.c) are all made from it.
 *
 * X(bit, json, label, type, bytes, chars, flags, editor, hint):
 *   type 's' text, 'd' date YYYY-MM-DD; bytes: most the API accepts;
 *   chars: most characters kept (0: the value is a code, a date or
 *   checked on its own); hint: the input help of the create form. */
#define ZB_MFF_REQUIRED 1u   /* a new record must state it */
#define ZB_MFF_SENSITIVE 2u  /* encrypted at rest, masked on output */
#define ZB_MFF_MULTILINE 4u  /* line breaks allowed */
#define ZB_MFF_SELF 8u       /* the member may edit it (editor SELF) */
#define ZB_MFF_EDITOR_STAFF 0u
#define ZB_MFF_EDITOR_SELF ZB_MFF_SELF
#define ZB_MEMBER_FIELDS(X)                                                                                         \
	X(ZB_MF_NAME, name, "姓名", 's', 200, 50, ZB_MFF_REQUIRED, STAFF, "姓名（1–50 个字）")                          \
	X(ZB_MF_GENDER, gender, "性别", 's', 16, 0, 0, STAFF, "性别：M/F 或 男/女（有身份证号时由其得出）")            \
	X(ZB_MF_ETHNICITY, ethnicity, "民族", 's', 100, 20, 0, STAFF, "民族")                                          \
	X(ZB_MF_BIRTH, birth_date, "出生日期", 'd', 10, 0, 0, STAFF, "出生日期（有身份证号时由其得出，不一致则报错）") \
	X(ZB_MF_ID, id_number, "身份证号", 's', 64, 0, ZB_MFF_SENSITIVE, STAFF, "身份证号（18 位，校验位按 GB 11643）") \
	X(ZB_MF_NATIVE, native_place, "籍贯", 's', 400, 100, 0, STAFF, "籍贯")                                         \
	X(ZB_MF_EDUCATION, education, "学历", 's', 64, 0, 0, STAFF,                                                   \
	  "学历：研究生/大学本科/大学专科/中等专科/高中/初中/小学及以下")                                               \
	X(ZB_MF_DEGREE, degree, "学位", 's', 120, 30, 0, STAFF, "学位")                                                \
	X(ZB_MF_WORK_UNIT, work_unit, "工作单位", 's', 800, 200, 0, STAFF, "工作单位")                                 \
	X(ZB_MF_JOB, job_title, "职务", 's', 400, 100, 0, STAFF, "职务")                                               \
	X(ZB_MF_CATEGORY, category, "人员类别", 's', 32, 0, 0, STAFF, "人员类别：full/probationary 或 正式党员/预备党员") \
	X(ZB_MF_JOIN, join_date, "入党日期", 'd', 10, 0, 0, STAFF, "入党日期")                                         \
	X(ZB_MF_FULL, full_date, "转正日期", 'd', 10, 0, 0, STAFF, "转正日期（正式党员必填）")                         \
	X(ZB_MF_PHONE, phone, "联系电话", 's', 64, 0, ZB_MFF_SENSITIVE, SELF, "联系电话")                              \
	X(ZB_MF_ADDRESS, address, "现居住地", 's', 800, 200, ZB_MFF_MULTILINE, SELF, "现居住地")                       \
	X(ZB_MF_STATUS, status, "党籍状态", 's', 32, 0, 0, STAFF,                                                     \
	  "党籍状态：normal/mobile/lost/abroad/suspended/removed/deceased 或中文")                                     \
	X(ZB_MF_SOURCE, source, "发展来源", 's', 200, 50, 0, STAFF, "发展来源")                                        \
	X(ZB_MF_REMARKS, remarks, "备注", 's', 4000, 1000, ZB_MFF_MULTILINE, SELF, "备注")

/* ZB_MEMBER_FIELDS as a table, in that order, ending with a NULL json.
 * off is the offsetof(zb_member, ...) of the field's const char * (the
 * plaintext id_number and phone for the two sensitive ones). */
typedef struct zb_member_field {
	unsigned bit;        /* ZB_MF_* */
	const char *json;    /* "ethnicity" */
	const char *label;   /* "民族" */
	size_t off;
	char type;           /* 's' or 'd' */
	unsigned bytes, chars;
	unsigned flags;      /* ZB_MFF_* */
	const char *hint;
} zb_member_field;
extern const zb_member_field zb_member_fields[];
const zb_member_field *zb_member_field_of(unsigned bit);   /* NULL if none */
const char **zb_member_field_ptr(zb_member *m, const zb_member_field *f);
/* Copy the fields of src stated in given (ZB_MF_*) over dst. */
void zb_member_copy_given(zb_member *dst, const zb_member *src, unsigned given);

/* Rules that are data (rule_sets kind "membership"). */
typedef struct zb_member_rules {
	int min_join_age;          /* national default 18 */
} zb_member_rules;
void zb_member_rules_default(zb_member_rules *r);
/* Validator of rule kind "membership" (registered in rules/rules.c):
 * {"min_join_age":14..40, "probation_years":1..3, "source":"..."}. */
int zb_member_rules_validate(json_t *data, zb_err *e);
/* The "membership" rule set in force on date (YYYY-MM-DD) for org_path,
 * through the one loader (rules/rules.h: nearest ancestor, newest
 * effective set, else the national default); the built-in default only if
 * no set exists at all. */
int zb_member_rules_load(zb_db *db, const char *org_path, const char *date, zb_member_rules *r, zb_err *e);
/* The same from a snapshot loaded once (zb_rules_load(db, "membership",
 * date, ...)), for callers that check many records (the importer). */
int zb_member_rules_from(const zb_rules *rs, const char *org_path, zb_member_rules *r, zb_err *e);

/* Several problems of one record, for the import preview (which lists
 * them all); the API reports the first. */
#define ZB_MEMBER_MAX_ERRS 8
typedef struct zb_member_errs {
	int n;
	zb_err err[ZB_MEMBER_MAX_ERRS];
} zb_member_errs;

/* Clean and check m in place.  given: the fields the input stated (a
 * mismatch between a stated birth date or gender and the ID number is an
 * error naming both values; unstated ones are simply derived from the ID).
 * today: YYYYMMDD.  Returns 0, or the first error's code with e (may be
 * NULL) filled and every error found in errs (may be NULL). */
int zb_member_check(zb_member *m, unsigned given, const zb_member_rules *rules, int today, zb_arena *a,
                    zb_member_errs *errs, zb_err *e);

/* Encrypt ID number and phone (when m->id_number / m->phone are set) into
 * id_enc/id_index/id_masked and phone_enc/phone_masked; clear those when
 * the plaintext is NULL and the fields were stated in given.  Each
 * ciphertext is bound (associated data, zb_member_field_ad) to row m->id
 * and its field, so a value copied to another row or field does not
 * decrypt.  With m->id 0 (a row not inserted yet) it is bound to
 * "members/new/<field>" and zb_member_insert rebinds it to the new id in
 * the same transaction (the change must then carry keys and arena). */
int zb_member_protect(zb_member *m, unsigned given, const struct zb_keys *k, zb_arena *a, zb_err *e);
/* Decrypt id_enc and phone_enc of row m->id into id_number and phone.  A
 * ciphertext that is not this row's and field's (copied, edited, another
 * key) is ZB_EINTERNAL naming the member id and the field; never a wrong
 * value.  Both fields are tried: on failure e describes the first that
 * failed and the one that decrypted (if any) is set.  v1 ciphertexts (no
 * associated data) are still read. */
int zb_member_reveal(zb_member *m, const struct zb_keys *k, zb_arena *a, zb_err *e);
/* The associated data of a field of member id: "members/<id>/<field>"
 * ("members/new/<field>" for id 0); field "id_number" or "phone". */
#define ZB_MEMBER_AD_LEN 64
void zb_member_field_ad(int64_t id, const char *field, char out[ZB_MEMBER_AD_LEN]);

/* Where a member may be placed: a branch-type org, not dissolved.  A 党小组
 * (type group) places the member in the group's parent branch with
 * group_id set.  Fills org_id, group_id, org_path, org_name, group_name.
 * ZB_ENOTFOUND / ZB_EINVAL / ZB_ECONFLICT with field "org_id".
 * With who non-NULL, an org outside every subtree where who holds
 * member.write is answered exactly as a missing one, before its type or
 * state is looked at (neither may be told about an org out of scope). */
int zb_member_place(zb_db *db, const zb_principal *who, int64_t org_id, zb_member *m, zb_arena *a, zb_err *e);
/* Set group_id from a group org (must be a 党小组 directly under m->org_id). */
int zb_member_set_group(zb_db *db, int64_t group_id, zb_member *m, zb_arena *a, zb_err *e);

/* SELECT list for zb_member_read: "SELECT " ZB_MEMBER_COLS " FROM members m
 * JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs g ON g.id = m.group_id" */
#define ZB_MEMBER_COLS \
	"m.id, m.org_id, m.group_id, m.org_path, o.name, g.name, m.name, m.gender, m.ethnicity, m.birth_date, " \
	"m.id_enc, m.id_index, m.id_masked, m.native_place, m.education, m.degree, m.work_unit, m.job_title, " \
	"m.category, m.join_date, m.full_date, m.phone_enc, m.phone_masked, m.address, m.status, m.source, " \
	"m.remarks, m.name_pinyin, m.name_initials, m.created_at, m.updated_at"
#define ZB_MEMBER_FROM " FROM members m JOIN orgs o ON o.id = m.org_id LEFT JOIN orgs g ON g.id = m.group_id"
#define ZB_MEMBER_NCOLS 31
void zb_member_read(zb_stmt *st, int col0, zb_arena *a, zb_member *m);
int zb_member_get(zb_db *db, int64_t id, zb_arena *a, zb_member *m, zb_err *e);
/* The same inside the caller's write transaction, for a read-modify-write:
 * the row is read after the write lock is held (SQLite: BEGIN IMMEDIATE
 * holds the one writer lock; PostgreSQL: SELECT ... FOR UPDATE of the row
 * waits for its other writers, then a second statement reads its newest
 * committed version),
 * so the old values a change is computed from (roll-ups, history, audit
 * "from") are the ones it replaces.  ZB_EINTERNAL outside a transaction. */
int zb_member_get_locked(zb_db *db, int64_t id, zb_arena *a, zb_member *m, zb_err *e);

/* Who made a write, for history rows. */
typedef struct zb_member_change {
	int64_t now;               /* unix seconds */
	int64_t by_user;           /* 0: command line / system */
	const char *reason;        /* why category/status/org changed */
	const char *effective_on;  /* YYYY-MM-DD, NULL: today (see .c) */
	const char *today;         /* YYYY-MM-DD */
	/* Field keys and an arena for the rebound ciphertexts: insert and
	 * update bind ciphertexts made before the row had an id (and v1 ones)
	 * to the row (zb_member_protect).  NULL: they are written as given. */
	const struct zb_keys *keys;
	zb_arena *arena;
	/* NULL: each write updates the org roll-ups itself.  Set (a bulk
	 * write): the roll-up changes are summed here, and the caller flushes
	 * them (zb_counts_acc_flush) before its transaction commits. */
	struct zb_counts_acc *counts;
} zb_member_change;

/* Insert a checked and protected record (pinyin and sort key derived
 * here) with a "created" history row.  Inside the caller's transaction.
 * A duplicate ID number is ZB_ECONFLICT on field id_number, without saying
 * where the other record is.  *id gets the new id. */
int zb_member_insert(zb_db *db, const zb_member_change *c, zb_member *m, int64_t *id, zb_err *e);
/* Write nw over old (same id) and add history rows for changes of
 * category, status and org.  Inside the caller's transaction. */
int zb_member_update(zb_db *db, const zb_member_change *c, const zb_member *old, zb_member *nw, zb_err *e);

/* Who does a write, for audit rows (the HTTP request's user, or
 * "cli:<login>" with user_id 0). */
typedef struct zb_actor {
	int64_t user_id;
	const char *username;
	const char *ip;
} zb_actor;
/* One audit row by actor on an object (object_id 0: none), in the
 * caller's write transaction if one is open (audit/audit.h). */
int zb_member_audit(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, const char *object_type,
                    int64_t object_id, const char *org_path, const char *detail, zb_err *e);

/* The fields that differ between old and nw, as display values (masked ID
 * and phone, Chinese names of codes, org names).  Compares ID numbers by
 * blind index and phones by plaintext when both are revealed. */
typedef struct zb_member_diff {
	const char *field, *label, *from, *to;
} zb_member_diff;
int zb_member_compare(const zb_member *old, const zb_member *nw, zb_arena *a, zb_member_diff **out);

/* The one write of a record (member/save.c): every writer (the API's
 * create, edit and the member's own edit, the importer's commit) goes
 * through zb_member_save, inside its write transaction:
 *   1. zb_member_check against w->rules (a prepared record: skipped);
 *   2. a change of category, status or org without c->reason is
 *      ZB_EINVAL on field "reason";
 *   3. zb_member_protect of ID number and phone (prepared: skipped);
 *   4. zb_member_compare with w->old into w->diff (prepared: the diff
 *      made when the record was prepared is kept as given);
 *   5. zb_member_insert (w->old NULL) or, when something differs or
 *      w->force is set, zb_member_update; w->written says which.
 * A prepared record (w->rules NULL) is an import batch row: checked,
 * protected and compared when the file was read (member/import.c). */
typedef struct zb_member_write {
	const zb_member *old;          /* the stored row, read under the write lock; NULL: new */
	unsigned given;                /* ZB_MF_* the input states */
	const zb_member_rules *rules;  /* NULL: a prepared record */
	int today;                     /* YYYYMMDD, for the check */
	int force;                     /* write even when nothing differs (a repair) */
	zb_member_diff *diff;          /* out: what changed (prepared: in) */
	int ndiff;
	int64_t id;                    /* out: the record's id */
	int written;                   /* out: a row was written */
} zb_member_write;
int zb_member_save(zb_db *db, const zb_member_change *c, zb_member *nw, zb_member_write *w, zb_err *e);

/* A write as the caller states it: the fields as typed in m (those named
 * in given), ZB_MF_ORG / ZB_MF_GROUP in given for org_id / group_id (0:
 * no 党小组), and why and since when category, status or org change. */
typedef struct zb_member_input {
	zb_member m;
	unsigned given;
	int64_t org_id, group_id;
	const char *reason, *effective_on;
} zb_member_input;

/* New member from in (org_id required), placed where who holds
 * member.write, in a transaction of its own with a "member.create" audit
 * row.  *id gets the new id.  A duplicate ID number also notes the lookup
 * it answered (zb_id_lookup_note, "member.id_lookup" audit row). */
int zb_member_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_member_input *in,
                     zb_arena *a, int64_t *id, zb_err *e);
/* Edit of member id by who (member.write where it is and where it goes):
 * the stated fields over the stored row, read under the write lock; a
 * stored value that does not decrypt is repaired by stating it again.
 * "member.update" audit row with the changes; nothing written when
 * nothing changes.  A transaction of its own. */
int zb_member_edit(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                   const zb_member_input *in, zb_arena *a, zb_err *e);
/* The member's own edit (the SELF fields of in) of record member_id,
 * "member.self_update" audit row; ZB_ENOTFOUND "您的账号关联的党员档案不存在"
 * when the record is gone.  A transaction of its own. */
int zb_member_self_edit(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const zb_member_input *in,
                        zb_arena *a, zb_err *e);

/* The org at path with the ancestors who may read (P_ORG_READ; who NULL:
 * all), "县委 / 镇党委 / 支部", so branches of one name in different towns
 * are told apart.  NULL on a database error or when none is readable. */
const char *zb_member_org_trail(zb_db *db, const zb_principal *who, const char *path, zb_arena *a);

/* The birth date as a caller may see it (docs/SECURITY.md, "What each
 * role can see"): exact, the date itself; otherwise the month only,
 * "YYYY-MM", so that with everything else shown beside it at least ~14,000
 * ID numbers stay possible.  NULL stays NULL.  In a. */
const char *zb_member_birth_shown(zb_arena *a, const char *birth, int exact);
/* Age in whole years on today (YYYYMMDD), -1 if no valid birth date.  Not
 * exact: counted from the first of the birth month, so it tells nothing
 * the month does not. */
int zb_member_age(const char *birth, int today, int exact);

/* Names of people (members, users, committee holders): refuses
 * bidirectional controls (U+202A-202E, U+2066-2069, U+200E/F, U+061C),
 * zero-width characters (U+200B-200D, U+2060, U+FEFF) and private-use
 * characters (U+E000-F8FF, planes 15-16) with ZB_EINVAL on field and a
 * message naming label.  NULL is fine. */
int zb_name_check(const char *s, const char *field, const char *label, zb_err *e);

/* ID-number lookups whose answer tells something about records the caller
 * cannot see: a search by a whole ID number, a create, edit or import
 * refused because the number is already registered (maybe in another
 * org).  At most ZB_ID_LOOKUP_LIMIT per user in ZB_ID_LOOKUP_WINDOW
 * seconds.  zb_id_lookup_check: ZB_ERATE (429, Chinese message) when the
 * budget is spent; zb_id_lookup_note records n lookups (inside the
 * caller's write transaction; the number itself is never stored).
 * user_id 0 (the command line) is not limited. */
#define ZB_ID_LOOKUP_LIMIT 20
#define ZB_ID_LOOKUP_WINDOW 3600
int zb_id_lookup_check(zb_db *db, int64_t user_id, int64_t now, zb_err *e);
/* zb_id_lookup_check, then one lookup of kind noted in a transaction of
 * its own (a search by a whole ID number). */
int zb_id_lookup_take(zb_db *db, int64_t user_id, int64_t now, const char *kind, zb_err *e);
/* How many lookups of the hourly budget are left (INT64_MAX for user 0). */
int zb_id_lookup_left(zb_db *db, int64_t user_id, int64_t now, int64_t *left, zb_err *e);
/* kind "import_rows" is the other budget: the ID numbers of uploaded rows,
 * each checked against the whole register (new, update or elsewhere tells
 * whether the number is registered), at most ZB_ID_IMPORT_ROWS_LIMIT per
 * user per day for callers without member.sensitive at the import org.
 * zb_id_import_check: ZB_ERATE when rows more would pass it. */
#define ZB_ID_IMPORT_ROWS_LIMIT 1000
int zb_id_import_check(zb_db *db, int64_t user_id, int64_t now, int64_t rows, zb_err *e);
int zb_id_lookup_note(zb_db *db, int64_t user_id, int64_t now, const char *kind, int64_t n, zb_err *e);

/* 党龄 in whole years from full_date to today (YYYYMMDD), -1 if none. */
int zb_member_party_age(const char *full_date, int today);

/* Code tables: *_from accepts the code or a Chinese name (and common
 * variants) and returns the code, or NULL. */
const char *zb_gender_from(const char *s);
const char *zb_gender_name(const char *code);
const char *zb_category_from(const char *s);
const char *zb_category_name(const char *code);
const char *zb_status_from(const char *s);
const char *zb_status_name(const char *code);
const char *zb_education_from(const char *s);   /* canonical Chinese name */
const char *zb_designation_from(const char *s);
const char *zb_designation_name(const char *code);
/* The canonical list (for messages and docs), NULL-terminated. */
extern const char *const zb_educations[];

/* Text cleaning shared with the importer: trims ASCII whitespace, U+3000,
 * U+00A0, U+FEFF and U+200B at both ends and turns full-width digits and
 * Latin letters into ASCII.  Returns NULL for an empty result.  In a. */
char *zb_member_clean(zb_arena *a, const char *s);

/* A date as people type it: 2020-01-02, 2020/1/2, 2020.1.2, 2020年1月2日,
 * 20200102, month precision 2020-01 / 2020.1 / 2020年1月 / 202001, an
 * Excel serial (1..2958465; date1904 selects the Mac epoch), with an
 * optional time part.  out gets YYYY-MM-DD (day 01 for month precision)
 * and *precision 3 (day) or 2 (month).  Returns 0, or -1 if it is not a
 * date (out ""). */
int zb_member_date_parse(const char *in, int date1904, char out[11], int *precision);

/* Upcoming 政治生日 (anniversaries of join_date) between today and today +
 * days in the subtree, ordered by date; at most limit.  Only members whose
 * status is normal, mobile or abroad.  Writes {"items":[...]} items via cb. */
typedef struct zb_birthday {
	int64_t member_id, org_id;
	const char *name, *org_name, *join_date;
	char date[11];             /* the anniversary */
	int years;
} zb_birthday;
int zb_member_birthdays(zb_db *db, const char *root_path, int today, int days, int limit, zb_arena *a,
                        zb_birthday **out, int *n, zb_err *e);

#endif
