/* api_members.c - the roster over HTTP: list and search, detail, create,
 * edit, history, designations, the member's own record, 政治生日, import
 * and export.  Domain rules live in member/; this file maps requests to
 * them, masks what the caller may not see and audits every read. */
#include "api/api.h"
#include "core/escape.h"
#include "core/hex.h"
#include "crypto/fieldprot.h"
#include "io/table.h"
#include "member/idcard.h"
#include "member/import.h"
#include "member/member.h"
#include "text/pinyin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- output ------------------------------------------------------------- */

static void write_designations(zb_req *r, int64_t member_id)
{
	zb_err e = {0};
	zb_jw *w = &r->jw;
	jw_karr(w, "designations");
	zb_stmt *st = zb_db_query(r->db, &e,
	                          "SELECT id, kind, title, started_on, ended_on FROM member_designations "
	                          "WHERE member_id = ? ORDER BY started_on DESC, id DESC",
	                          "i", member_id);
	char today[11];
	zb_today(r->app, today);
	while (st && zb_stmt_step(st, &e) == 1) {
		const char *kind = zb_col_text(st, 1), *title = zb_col_text(st, 2), *ended = zb_col_text(st, 4);
		const char *kn = zb_designation_name(kind);
		jw_obj(w);
		jw_kint(w, "id", zb_col_int(st, 0));
		jw_kstr(w, "kind", kind);
		jw_kstr(w, "kind_name", kn);
		jw_kstr(w, "title", title);
		jw_kstr(w, "name", zb_arena_printf(&r->arena, "%s：%s", kn ? kn : kind, title));
		jw_kstr(w, "started_on", zb_col_text(st, 3));
		jw_kstr(w, "ended_on", ended);
		jw_kbool(w, "active", !ended || strcmp(ended, today) >= 0);
		jw_obj_end(w);
	}
	zb_stmt_done(st);
	jw_arr_end(w);
}

/* One member as JSON.  full: ID number and phone in clear (the caller
 * checked P_MEMBER_SENSITIVE); otherwise the masked forms.  The birth date
 * and age are exact for callers who hold member.sensitive at the member's
 * org (and for the member themself), otherwise month only: what each role
 * sees is decided in docs/SECURITY.md, "What each role can see". */
static void write_member(zb_req *r, const zb_member *m, int full, int detail)
{
	zb_jw *w = &r->jw;
	int today = zb_today_int(r->app);
	int exact = full || (r->who->member_id && r->who->member_id == m->id) ||
	            zb_authz_allows(r->who, P_MEMBER_SENSITIVE, m->org_path);
	jw_obj(w);
	jw_kint(w, "id", m->id);
	jw_kint(w, "org_id", m->org_id);
	jw_kstr(w, "org_name", m->org_name);
	if (m->group_id)
		jw_kint(w, "group_id", m->group_id);
	else
		jw_knull(w, "group_id");
	jw_kstr(w, "group_name", m->group_name);
	jw_kstr(w, "name", m->name);
	jw_kstr(w, "pinyin", m->pinyin);
	jw_kstr(w, "initials", m->initials);
	jw_kstr(w, "gender", m->gender);
	jw_kstr(w, "ethnicity", m->ethnicity);
	jw_kstr(w, "birth_date", zb_member_birth_shown(&r->arena, m->birth_date, exact));
	int age = zb_member_age(m->birth_date, today, exact);
	if (age >= 0)
		jw_kint(w, "age", age);
	else
		jw_knull(w, "age");
	jw_kstr(w, "id_number", full && m->id_number ? m->id_number : m->id_masked);
	jw_kstr(w, "native_place", m->native_place);
	jw_kstr(w, "education", m->education);
	jw_kstr(w, "degree", m->degree);
	jw_kstr(w, "work_unit", m->work_unit);
	jw_kstr(w, "job_title", m->job_title);
	jw_kstr(w, "category", m->category);
	jw_kstr(w, "category_name", zb_category_name(m->category));
	jw_kstr(w, "join_date", m->join_date);
	jw_kstr(w, "full_date", m->full_date);
	int pa = zb_member_party_age(m->full_date, today);
	if (pa >= 0)
		jw_kint(w, "party_age", pa);
	else
		jw_knull(w, "party_age");
	jw_kstr(w, "phone", full && m->phone ? m->phone : m->phone_masked);
	jw_kstr(w, "address", m->address);
	jw_kstr(w, "status", m->status);
	jw_kstr(w, "status_name", zb_status_name(m->status));
	jw_kstr(w, "source", m->source);
	jw_kstr(w, "remarks", m->remarks);
	jw_kint(w, "created_at", m->created_at);
	jw_kint(w, "updated_at", m->updated_at);
	if (detail) {
		jw_kbool(w, "full", full);
		write_designations(r, m->id);
	}
	jw_obj_end(w);
}

/* ---- reading input ------------------------------------------------------ */

static const struct {
	const char *json;
	size_t off;
	unsigned bit;
} body_text[] = {
	{"name", offsetof(zb_member, name), ZB_MF_NAME},
	{"gender", offsetof(zb_member, gender), ZB_MF_GENDER},
	{"ethnicity", offsetof(zb_member, ethnicity), ZB_MF_ETHNICITY},
	{"birth_date", offsetof(zb_member, birth_date), ZB_MF_BIRTH},
	{"id_number", offsetof(zb_member, id_number), ZB_MF_ID},
	{"native_place", offsetof(zb_member, native_place), ZB_MF_NATIVE},
	{"education", offsetof(zb_member, education), ZB_MF_EDUCATION},
	{"degree", offsetof(zb_member, degree), ZB_MF_DEGREE},
	{"work_unit", offsetof(zb_member, work_unit), ZB_MF_WORK_UNIT},
	{"job_title", offsetof(zb_member, job_title), ZB_MF_JOB},
	{"category", offsetof(zb_member, category), ZB_MF_CATEGORY},
	{"join_date", offsetof(zb_member, join_date), ZB_MF_JOIN},
	{"full_date", offsetof(zb_member, full_date), ZB_MF_FULL},
	{"phone", offsetof(zb_member, phone), ZB_MF_PHONE},
	{"address", offsetof(zb_member, address), ZB_MF_ADDRESS},
	{"status", offsetof(zb_member, status), ZB_MF_STATUS},
	{"source", offsetof(zb_member, source), ZB_MF_SOURCE},
	{"remarks", offsetof(zb_member, remarks), ZB_MF_REMARKS},
};

/* Copy the fields present in the body over m; returns the ZB_MF_* mask. */
static unsigned read_body(zb_req *r, zb_member *m)
{
	unsigned given = 0;
	for (size_t i = 0; i < sizeof body_text / sizeof body_text[0]; i++) {
		if (!zb_body_has(r, body_text[i].json))
			continue;
		*(const char **)((char *)m + body_text[i].off) = zb_body_str(r, body_text[i].json);
		given |= body_text[i].bit;
	}
	return given;
}

static int reason_needed(const zb_member *old, const zb_member *nw)
{
	return strcmp(old->category, nw->category) || strcmp(old->status, nw->status) || old->org_id != nw->org_id;
}

static const char *changes_json(zb_req *r, const zb_member_diff *d, int n)
{
	zb_buf b;
	zb_buf_init(&b, 64 << 10);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_karr(&w, "changes");
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "field", d[i].field);
		jw_kstr(&w, "from", d[i].from);
		jw_kstr(&w, "to", d[i].to);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	const char *s = jw_finish(&w) ? "{}" : zb_arena_strdup(&r->arena, b.data);
	zb_buf_release(&b);
	return s;
}

/* ---- list and search ------------------------------------------------------ */

/* One hex run of s[0..n) decoded into the arena; NULL when it is not. */
static unsigned char *unhex(zb_arena *a, const char *s, size_t n, size_t *out_len)
{
	unsigned char *o = zb_arena_alloc(a, n / 2 + 1);
	return !o || zb_hex_decode(s, n, o, n / 2, out_len) ? NULL : o;
}

typedef struct cursor {
	const char *path;
	const void *key;
	size_t keylen;
	int64_t id;
} cursor;

/* ?after= is "<hex org_path>.<hex sort key>.<id>" from the previous page. */
static int parse_cursor(zb_req *r, const char *s, cursor *c, zb_err *e)
{
	c->path = "";
	c->key = "";
	c->keylen = 0;
	c->id = 0;
	if (!s || !*s)
		return 0;
	const char *d1 = strchr(s, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	size_t plen;
	char *end;
	const unsigned char *path = d1 ? unhex(&r->arena, s, (size_t)(d1 - s), &plen) : NULL;
	const unsigned char *key = d2 ? unhex(&r->arena, d1 + 1, (size_t)(d2 - d1 - 1), &c->keylen) : NULL;
	errno = 0;
	c->id = d2 ? strtoll(d2 + 1, &end, 10) : 0;
	if (!path || !key || errno || *end || c->id <= 0)
		return zb_fail(e, ZB_EINVAL, "after", "翻页参数 after 无效，请从第一页重新查询");
	c->path = zb_arena_strndup(&r->arena, (const char *)path, plen);
	c->key = key;
	return 0;
}

/* The filters of a roster query, shared by the page and the count. */
typedef struct filters {
	int qmode;                    /* 0 none, 1 ID number, 2 pinyin/initials, 3 name */
	const char *q_lo, *q_hi;      /* prefix range on name_pinyin (and initials for 2) */
	const char *q_name;           /* 3: exact name prefix */
	int64_t q_chars;
	const char *id_index;
	const char *category, *status, *gender, *education;
	const char *born_to, *born_after;   /* from age_min / age_max */
	const char *joined_from, *joined_to;
} filters;

static int read_filters(zb_req *r, filters *f, zb_err *e)
{
	memset(f, 0, sizeof *f);
	const char *v;
	if ((v = zb_req_query(r, "category")) && *v && !(f->category = zb_category_from(v)))
		return zb_fail(e, ZB_EINVAL, "category", "人员类别应为 full（正式党员）或 probationary（预备党员）");
	if ((v = zb_req_query(r, "status")) && *v && !(f->status = zb_status_from(v)))
		return zb_fail(e, ZB_EINVAL, "status", "党籍状态无效：%s", v);
	if ((v = zb_req_query(r, "gender")) && *v && !(f->gender = zb_gender_from(v)))
		return zb_fail(e, ZB_EINVAL, "gender", "性别应为 M 或 F");
	if ((v = zb_req_query(r, "education")) && *v && !(f->education = zb_education_from(v)))
		return zb_fail(e, ZB_EINVAL, "education", "学历无效：%s", v);
	int64_t amin, amax;
	if (zb_req_query_int(r, "age_min", -1, 0, 150, &amin, e) || zb_req_query_int(r, "age_max", -1, 0, 150, &amax, e))
		return e->code;
	if (amin >= 0 && amax >= 0 && amin > amax)
		return zb_fail(e, ZB_EINVAL, "age_min", "年龄下限不能大于上限");
	int t = zb_today_int(r->app);
	/* Ages as the roster shows them (zb_member_age, by birth month): a
	 * filter at the day would tell the birth day of a member born in this
	 * month to a caller who sees the month only. */
	if (amin >= 0) /* born in or before this month amin years ago */
		f->born_to = zb_arena_printf(&r->arena, "%04d-%02d-31", t / 10000 - (int)amin, t / 100 % 100);
	if (amax >= 0) /* born after this month amax+1 years ago */
		f->born_after = zb_arena_printf(&r->arena, "%04d-%02d-31", t / 10000 - (int)amax - 1, t / 100 % 100);
	if ((v = zb_req_query(r, "joined_from")) && *v) {
		if (!zb_date_valid(v))
			return zb_fail(e, ZB_EINVAL, "joined_from", "joined_from 应为日期 YYYY-MM-DD");
		f->joined_from = v;
	}
	if ((v = zb_req_query(r, "joined_to")) && *v) {
		if (!zb_date_valid(v))
			return zb_fail(e, ZB_EINVAL, "joined_to", "joined_to 应为日期 YYYY-MM-DD");
		f->joined_to = v;
	}
	const char *q = zb_member_clean(&r->arena, zb_req_query(r, "q"));
	if (!q)
		return 0;
	if (strlen(q) > 100 || !zb_utf8_valid(q, strlen(q)))
		return zb_fail(e, ZB_EINVAL, "q", "搜索词过长或不是有效文字");
	/* a whole ID number: exact lookup through the blind index */
	zb_idcard card;
	zb_err ignore = {0};
	if (strlen(q) >= 18 && !zb_idcard_parse(q, t, &card, &ignore)) {
		char idx[65];
		if (zb_fp_blind_index(r->app->keys, card.number, idx))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误");
		/* a yes/no answer about one guessed number: for a caller who may
		 * not see ID numbers, one lookup of the hourly budget */
		if (!zb_authz_allows(r->who, P_MEMBER_SENSITIVE, r->target_path)) {
			int rc = zb_id_lookup_check(r->db, r->who->user_id, zb_now(r->app), e);
			if (!rc && !(rc = zb_db_begin_write(r->db, e))) {
				rc = zb_id_lookup_note(r->db, r->who->user_id, zb_now(r->app), "search", 1, e);
				rc = zb_req_end_tx(r, rc, e);
			}
			if (rc)
				return rc;
		}
		f->qmode = 1;
		f->id_index = zb_arena_strdup(&r->arena, idx);
		return 0;
	}
	int ascii = 1;
	for (const char *p = q; *p; p++)
		if ((unsigned char)*p >= 0x80)
			ascii = 0;
	zb_buf py = {0};
	if (ascii) {
		/* letters typed on a phone keyboard: "zs", "zhangs", "Zhang San" */
		for (const char *p = q; *p; p++)
			if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				zb_buf_putc(&py, (char)(*p | ((*p >= 'A' && *p <= 'Z') ? 0x20 : 0)));
		f->qmode = 2;
	} else {
		/* Han characters: the pinyin of the prefix narrows through the
		 * C-collated pinyin index, the name itself then decides */
		if (zb_pinyin(q, &py, NULL)) {
			zb_buf_release(&py);
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法生成拼音");
		}
		f->qmode = 3;
		f->q_name = q;
		f->q_chars = 0;
		for (const char *p = q; *p; p++)
			f->q_chars += ((unsigned char)*p & 0xC0) != 0x80;
	}
	const char *lo = py.data ? py.data : "";
	f->q_lo = zb_arena_strdup(&r->arena, lo);
	/* upper bound of the prefix range: "zs" -> "zs\x7f" (pinyin is ASCII) */
	f->q_hi = zb_arena_printf(&r->arena, "%s\x7f", lo);
	zb_buf_release(&py);
	if (f->qmode == 2 && !*f->q_lo)
		f->qmode = 0; /* nothing searchable: no filter */
	return 0;
}

#define FILTER_SQL \
	"AND (CAST(? AS TEXT) IS NULL OR m.category = ?) AND (CAST(? AS TEXT) IS NULL OR m.status = ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR m.gender = ?) AND (CAST(? AS TEXT) IS NULL OR m.education = ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR m.birth_date <= ?) AND (CAST(? AS TEXT) IS NULL OR m.birth_date > ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR m.join_date >= ?) AND (CAST(? AS TEXT) IS NULL OR m.join_date <= ?) "
#define FILTER_ARGS(f) \
	(f)->category, (f)->category, (f)->status, (f)->status, (f)->gender, (f)->gender, (f)->education, (f)->education, \
	(f)->born_to, (f)->born_to, (f)->born_after, (f)->born_after, (f)->joined_from, (f)->joined_from, (f)->joined_to, \
	(f)->joined_to

#define FILTER_FMT "ssssssssssssssss" /* 16 */

/* Name search.  Names are matched on the C-collated pinyin and initials
 * columns (a Han query also on the name itself), never through a trigram
 * index (docs/STACK.md).  Two plans, chosen by the size of the subtree (from
 * the org roll-ups), because no planner can know it:
 *  - a subtree of up to SEARCH_SUBTREE_MAX members: walk the roster index
 *    (org_path, sort_key, id, name_pinyin, name_initials; migration 0003)
 *    in page order, test the prefixes inside the index, read member rows
 *    only for matches and stop when the page is full (a county of 20k
 *    members: under 5 ms for the rarest prefix);
 *  - a larger one: range scans of members_pinyin / members_initials over
 *    the prefix, filtered by org path inside those indexes (cost ~ matches
 *    in the whole tree, which at that level is about the same set), then
 *    the matches are sorted into page order. */
#define SEARCH_SUBTREE_MAX 100000

/* The threshold, overridable with ZHIBU_SEARCH_SUBTREE_MAX (tuning, and
 * the API tests run both plans over the same data with it). */
static int64_t search_subtree_max(void)
{
	const char *v = getenv("ZHIBU_SEARCH_SUBTREE_MAX");
	char *end;
	long long n = v && *v ? strtoll(v, &end, 10) : -1;
	return v && *v && !*end && n >= 0 ? (int64_t)n : SEARCH_SUBTREE_MAX;
}

#define Q_ID "AND m.id_index = ? "
#define Q_ASCII_SUB "AND (substr(m.name_pinyin, 1, ?) = ? OR substr(m.name_initials, 1, ?) = ?) "
#define Q_ASCII_ALL                                                                                           \
	"AND m.id IN (SELECT id FROM members WHERE name_pinyin >= ? AND name_pinyin < ? AND org_path >= ? AND "    \
	"org_path < ? UNION ALL SELECT id FROM members WHERE name_initials >= ? AND name_initials < ? AND "          \
	"org_path >= ? AND org_path < ?) "
#define Q_HAN_SUB "AND substr(m.name_pinyin, 1, ?) = ? AND substr(m.name, 1, ?) = ? "
#define Q_HAN_ALL                                                                                          \
	"AND m.id IN (SELECT id FROM members WHERE name_pinyin >= ? AND name_pinyin < ? AND org_path >= ? AND " \
	"org_path < ?) AND substr(m.name, 1, ?) = ? "

#define LIST_HEAD "SELECT " ZB_MEMBER_COLS ", m.sort_key" ZB_MEMBER_FROM " WHERE m.org_path >= ? AND m.org_path < ? "
#define LIST_TAIL "AND (m.org_path, m.sort_key, m.id) > (?, ?, ?) " FILTER_SQL "ORDER BY m.org_path, m.sort_key, m.id LIMIT ?"
#define COUNT_HEAD "SELECT COUNT(*) FROM members m WHERE m.org_path >= ? AND m.org_path < ? "
#define CUR(c) (c)->path, (c)->key, (c)->keylen, (c)->id

static zb_stmt *list_query(zb_req *r, const filters *f, const char *root, const char *upper, const cursor *c,
                           int64_t limit, int big, zb_err *e)
{
	int64_t n = (int64_t)strlen(f->q_lo ? f->q_lo : "");
	switch (f->qmode * 2 + (big ? 1 : 0)) {
	case 2:
	case 3:
		return zb_db_query(r->db, e, LIST_HEAD Q_ID LIST_TAIL, "ss" "s" "sbi" FILTER_FMT "i", root, upper, f->id_index,
		                   CUR(c), FILTER_ARGS(f), limit);
	case 4:
		return zb_db_query(r->db, e, LIST_HEAD Q_ASCII_SUB LIST_TAIL, "ss" "isis" "sbi" FILTER_FMT "i", root, upper, n,
		                   f->q_lo, n, f->q_lo, CUR(c), FILTER_ARGS(f), limit);
	case 5:
		return zb_db_query(r->db, e, LIST_HEAD Q_ASCII_ALL LIST_TAIL, "ss" "ssssssss" "sbi" FILTER_FMT "i", root, upper,
		                   f->q_lo, f->q_hi, root, upper, f->q_lo, f->q_hi, root, upper, CUR(c), FILTER_ARGS(f), limit);
	case 6:
		return zb_db_query(r->db, e, LIST_HEAD Q_HAN_SUB LIST_TAIL, "ss" "isis" "sbi" FILTER_FMT "i", root, upper, n,
		                   f->q_lo, f->q_chars, f->q_name, CUR(c), FILTER_ARGS(f), limit);
	case 7:
		return zb_db_query(r->db, e, LIST_HEAD Q_HAN_ALL LIST_TAIL, "ss" "ssssis" "sbi" FILTER_FMT "i", root, upper,
		                   f->q_lo, f->q_hi, root, upper, f->q_chars, f->q_name, CUR(c), FILTER_ARGS(f), limit);
	default:
		return zb_db_query(r->db, e, LIST_HEAD LIST_TAIL, "ss" "sbi" FILTER_FMT "i", root, upper, CUR(c), FILTER_ARGS(f),
		                   limit);
	}
}

static int no_filters(const filters *f)
{
	return !f->qmode && !f->category && !f->status && !f->gender && !f->education && !f->born_to && !f->born_after &&
	       !f->joined_from && !f->joined_to;
}

/* Members on the whole roll of the subtree (every status), from the org
 * roll-ups (org/counts.h): no scan at any level. */
static int subtree_size(zb_req *r, int64_t *n, zb_err *e)
{
	return zb_db_int(r->db, e, n, "SELECT COALESCE(SUM(n), 0) FROM org_counts WHERE org_id = ? AND dim = 'status'", "i",
	                 r->target_id);
}

static int count_query(zb_req *r, const filters *f, const char *root, const char *upper, int big, int64_t *n,
                       zb_err *e)
{
	if (no_filters(f))
		return subtree_size(r, n, e);
	int64_t ql = (int64_t)strlen(f->q_lo ? f->q_lo : "");
	switch (f->qmode * 2 + (big ? 1 : 0)) {
	case 2:
	case 3:
		return zb_db_int(r->db, e, n, COUNT_HEAD Q_ID FILTER_SQL, "ss" "s" FILTER_FMT, root, upper, f->id_index,
		                 FILTER_ARGS(f));
	case 4:
		return zb_db_int(r->db, e, n, COUNT_HEAD Q_ASCII_SUB FILTER_SQL, "ss" "isis" FILTER_FMT, root, upper, ql, f->q_lo,
		                 ql, f->q_lo, FILTER_ARGS(f));
	case 5:
		return zb_db_int(r->db, e, n, COUNT_HEAD Q_ASCII_ALL FILTER_SQL, "ss" "ssssssss" FILTER_FMT, root, upper, f->q_lo,
		                 f->q_hi, root, upper, f->q_lo, f->q_hi, root, upper, FILTER_ARGS(f));
	case 6:
		return zb_db_int(r->db, e, n, COUNT_HEAD Q_HAN_SUB FILTER_SQL, "ss" "isis" FILTER_FMT, root, upper, ql, f->q_lo,
		                 f->q_chars, f->q_name, FILTER_ARGS(f));
	case 7:
		return zb_db_int(r->db, e, n, COUNT_HEAD Q_HAN_ALL FILTER_SQL, "ss" "ssssis" FILTER_FMT, root, upper, f->q_lo,
		                 f->q_hi, root, upper, f->q_chars, f->q_name, FILTER_ARGS(f));
	default:
		return zb_db_int(r->db, e, n, COUNT_HEAD FILTER_SQL, "ss" FILTER_FMT, root, upper, FILTER_ARGS(f));
	}
}

/* The search text as the audit keeps it: digits (and the X of an ID
 * number) become '*', so a search by ID or phone number is recorded as
 * one without the number; a search by name is kept. */
static const char *masked_query(zb_req *r, const char *q)
{
	char *c = zb_arena_strdup(&r->arena, q);
	unsigned char *u = (unsigned char *)c;
	int digits = 0;
	for (size_t i = 0; u[i]; i++) {
		if (u[i] >= '0' && u[i] <= '9') {
			u[i] = '*';
			digits++;
		} else if (u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 && u[i + 2] <= 0x99) {
			u[i] = u[i + 1] = u[i + 2] = '*'; /* full-width digit */
			digits++;
			i += 2;
		}
	}
	for (size_t i = 0; digits && u[i]; i++) {
		if (u[i] == 'x' || u[i] == 'X')
			u[i] = '*';
		else if (u[i] == 0xEF && ((u[i + 1] == 0xBC && u[i + 2] == 0xB8) || (u[i + 1] == 0xBD && u[i + 2] == 0x98)))
			u[i] = u[i + 1] = u[i + 2] = '*'; /* full-width X, x */
	}
	return c;
}

static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit;
	filters f;
	cursor c;
	if (zb_api_limit(r, &limit, e) || read_filters(r, &f, e) || parse_cursor(r, zb_req_query(r, "after"), &c, e))
		return e->code;
	const char *root = r->target_path;
	char upper[512];
	zb_path_upper(root, upper, sizeof upper);
	int64_t total = 0, size = 0;
	int rc = f.qmode >= 2 ? subtree_size(r, &size, e) : 0;
	int big = size > search_subtree_max();
	if (rc || (rc = count_query(r, &f, root, upper, big, &total, e)))
		return rc;
	zb_stmt *st = list_query(r, &f, root, upper, &c, limit + 1, big, e);
	if (!st)
		return e->code;
	zb_list_begin(r);
	int64_t n = 0;
	zb_buf next = {0};
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (n == limit) {
			/* one more row exists: the cursor is the last row shown */
			break;
		}
		zb_member m;
		zb_member_read(st, 0, &r->arena, &m);
		write_member(r, &m, 0, 0);
		size_t kl = 0;
		const void *key = zb_col_blob(st, ZB_MEMBER_NCOLS, &kl);
		zb_buf_reset(&next);
		zb_hex_append(&next, m.org_path, strlen(m.org_path));
		zb_buf_putc(&next, '.');
		zb_hex_append(&next, key, kl);
		zb_buf_printf(&next, ".%lld", (long long)m.id);
		n++;
	}
	int more = rc == 1;
	zb_stmt_done(st);
	if (rc < 0) {
		zb_buf_release(&next);
		return -rc;
	}
	zb_list_end(r, total, more && next.data ? zb_arena_strdup(&r->arena, next.data) : NULL);
	zb_buf_release(&next);

	/* one audit row per list request, with the filter */
	zb_buf d;
	zb_buf_init(&d, 8192);
	zb_jw w;
	jw_init(&w, &d);
	jw_obj(&w);
	static const char *const keys[] = {"q", "category", "status", "gender", "education", "age_min", "age_max",
	                                   "joined_from", "joined_to", "after"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *v = zb_req_query(r, keys[i]);
		if (v && *v)
			jw_kstr(&w, keys[i], i == 0 ? masked_query(r, v) : v);
	}
	jw_kint(&w, "count", n);
	jw_obj_end(&w);
	zb_req_audit_read(r, "member.list", "org", r->target_id, root, jw_finish(&w) ? NULL : d.data);
	zb_buf_release(&d);
	return 0;
}

/* ---- detail, create, edit ------------------------------------------------ */

static int want_full(zb_req *r, const char *path, int *full, zb_err *e)
{
	const char *v = zb_req_query(r, "full");
	*full = v && (!strcmp(v, "1") || !strcmp(v, "true"));
	if (*full && !zb_authz_allows(r->who, P_MEMBER_SENSITIVE, path))
		return zb_fail(e, ZB_EFORBIDDEN, "full", "查看完整身份证号和电话需要“敏感信息”权限");
	return 0;
}

static int h_get(zb_req *r, zb_err *e)
{
	zb_member m;
	int full, rc = zb_member_get(r->db, r->target_id, &r->arena, &m, e);
	if (rc || (rc = want_full(r, m.org_path, &full, e)))
		return rc;
	if (full && (rc = zb_member_reveal(&m, r->app->keys, &r->arena, e))) {
		/* a value that does not decrypt under this row (moved, edited,
		 * another key): the attempt is on record too */
		zb_req_audit_read(r, "member.read", "member", m.id, m.org_path, "{\"full\":true,\"error\":\"undecryptable\"}");
		return rc;
	}
	write_member(r, &m, full, 1);
	zb_req_audit_read(r, "member.read", "member", m.id, m.org_path, full ? "{\"full\":true}" : "{\"full\":false}");
	return 0;
}

static int load_rules(zb_req *r, const char *path, zb_member_rules *rules, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	return zb_member_rules_load(r->db, path, today, rules, e);
}

/* A create or edit refused because the ID number is already registered
 * (perhaps in an org the caller cannot see) answered an ID lookup: it
 * counts against the caller's hourly budget and is audited, with the
 * record that holds the number and never the number itself.  In a
 * transaction of its own, after the refused one was rolled back. */
static void id_conflict(zb_req *r, const char *kind, const char *id_index)
{
	zb_err e = {0};
	int64_t holder = 0;
	const char *path = NULL;
	if (zb_db_begin_write(r->db, &e))
		return;
	int rc = zb_id_lookup_note(r->db, r->who->user_id, zb_now(r->app), kind, 1, &e);
	zb_stmt *st = rc || !id_index ? NULL : zb_db_query(r->db, &e, "SELECT id, org_path FROM members WHERE id_index = ?", "s", id_index);
	if (st && zb_stmt_step(st, &e) == 1) {
		holder = zb_col_int(st, 0);
		path = zb_arena_strdup(&r->arena, zb_col_text(st, 1));
	}
	zb_stmt_done(st);
	if (!rc)
		rc = zb_req_audit(r, "member.id_lookup", "member", holder, path,
		                  zb_arena_printf(&r->arena, "{\"kind\":\"%s\",\"result\":\"registered\",\"in_scope\":%s}", kind,
		                                  path && zb_authz_allows(r->who, P_MEMBER_READ, path) ? "true" : "false"),
		                  &e);
	zb_req_end_tx(r, rc, &e);
}

static int h_create(zb_req *r, zb_err *e)
{
	zb_member m = {0};
	unsigned given = read_body(r, &m);
	int64_t org_id = 0, group_id = 0;
	zb_body_int(r, "org_id", &org_id);
	int rc = m.id_number ? zb_id_lookup_check(r->db, r->who->user_id, zb_now(r->app), e) : 0;
	if (!rc)
		rc = zb_member_place(r->db, r->who, org_id, &m, &r->arena, e);
	if (!rc && !zb_authz_allows(r->who, P_MEMBER_WRITE, m.org_path))
		rc = zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	if (!rc && zb_body_int(r, "group_id", &group_id))
		rc = zb_member_set_group(r->db, group_id, &m, &r->arena, e);
	zb_member_rules rules;
	if (!rc)
		rc = load_rules(r, m.org_path, &rules, e);
	if (!rc)
		rc = zb_member_check(&m, given, &rules, zb_today_int(r->app), &r->arena, NULL, e);
	if (!rc)
		rc = zb_member_protect(&m, given | ZB_MF_ID | ZB_MF_PHONE, r->app->keys, &r->arena, e);
	if (rc)
		return rc;
	char today[11];
	zb_today(r->app, today);
	zb_member_change ch = {.now = zb_now(r->app), .keys = r->app->keys, .arena = &r->arena, .by_user = r->who->user_id, .today = today,
	                       .reason = zb_body_str(r, "reason") ? zb_body_str(r, "reason") : "新增党员",
	                       .effective_on = zb_body_str(r, "effective_on")};
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	int64_t id;
	rc = zb_member_insert(r->db, &ch, &m, &id, e);
	int dup = rc == ZB_ECONFLICT && !strcmp(e->field, "id_number");
	if (!rc)
		rc = zb_req_audit(r, "member.create", "member", id, m.org_path,
		                  zb_arena_printf(&r->arena, "{\"org_id\":%lld}", (long long)m.org_id), e);
	if ((rc = zb_req_end_tx(r, rc, e))) {
		if (dup)
			id_conflict(r, "create", m.id_index);
		return rc;
	}
	zb_member got;
	if ((rc = zb_member_get(r->db, id, &r->arena, &got, e)))
		return rc;
	r->status = 201;
	write_member(r, &got, 0, 1);
	return 0;
}

/* The read-modify-write of an edit, inside the write transaction: the old
 * row is read after the lock is taken, so the roll-ups, the history and
 * the audit's "from" values are computed from the row this edit replaces,
 * whatever other edits of the same member run at the same time. */
static int patch_in_tx(zb_req *r, zb_member *nw, zb_err *e)
{
	zb_member old;
	int repair = 0;
	int rc = zb_member_get_locked(r->db, r->target_id, &r->arena, &old, e);
	if (rc)
		return rc;
	if ((rc = zb_member_reveal(&old, r->app->keys, &r->arena, e))) {
		/* a stored value that does not decrypt (damaged, or copied from
		 * another row or field: docs/SECURITY-FIELDS.md) is repaired by
		 * stating it again; otherwise the edit keeps the error */
		if ((old.id_enc && !old.id_number && !zb_body_has(r, "id_number")) ||
		    (old.phone_enc && !old.phone && !zb_body_has(r, "phone")))
			return rc;
		memset(e, 0, sizeof *e);
		repair = 1;
	}
	*nw = old;
	unsigned given = read_body(r, nw);
	int64_t org_id = 0, group_id = 0;
	if (zb_body_int(r, "org_id", &org_id) && org_id != old.org_id && org_id != old.group_id) {
		if ((rc = zb_member_place(r->db, r->who, org_id, nw, &r->arena, e)))
			return rc;
		if (!zb_authz_allows(r->who, P_MEMBER_WRITE, nw->org_path))
			return zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	}
	if (zb_body_has(r, "group_id")) {
		zb_body_int(r, "group_id", &group_id);
		if ((rc = zb_member_set_group(r->db, group_id, nw, &r->arena, e)))
			return rc;
	}
	zb_member_rules rules;
	if ((rc = load_rules(r, nw->org_path, &rules, e)) ||
	    (rc = zb_member_check(nw, given, &rules, zb_today_int(r->app), &r->arena, NULL, e)))
		return rc;
	const char *reason = zb_member_clean(&r->arena, zb_body_str(r, "reason"));
	if (reason_needed(&old, nw) && !reason)
		return zb_fail(e, ZB_EINVAL, "reason", "人员类别、党籍状态或所在组织变动时，请填写变动原因");
	if ((rc = zb_member_protect(nw, given | ZB_MF_ID | ZB_MF_PHONE, r->app->keys, &r->arena, e)))
		return rc;
	zb_member_diff *d;
	int nd = zb_member_compare(&old, nw, &r->arena, &d);
	if (!nd && !repair)
		return 0;
	char today[11];
	zb_today(r->app, today);
	zb_member_change ch = {.now = zb_now(r->app), .keys = r->app->keys, .arena = &r->arena, .by_user = r->who->user_id, .today = today, .reason = reason,
	                       .effective_on = zb_body_str(r, "effective_on")};
	rc = zb_member_update(r->db, &ch, &old, nw, e);
	if (!rc)
		rc = zb_req_audit(r, "member.update", "member", old.id, nw->org_path, changes_json(r, d, nd), e);
	return rc;
}

static int h_patch(zb_req *r, zb_err *e)
{
	int rc = zb_body_has(r, "id_number") ? zb_id_lookup_check(r->db, r->who->user_id, zb_now(r->app), e) : 0;
	if (rc || (rc = zb_db_begin_write(r->db, e)))
		return rc;
	zb_member nw = {0};
	rc = patch_in_tx(r, &nw, e);
	int dup = rc == ZB_ECONFLICT && !strcmp(e->field, "id_number");
	if ((rc = zb_req_end_tx(r, rc, e))) {
		if (dup)
			id_conflict(r, "update", nw.id_index);
		return rc;
	}
	zb_member got;
	if ((rc = zb_member_get(r->db, r->target_id, &r->arena, &got, e)))
		return rc;
	write_member(r, &got, 0, 1);
	return 0;
}

/* ---- history ------------------------------------------------------------ */

static const char *org_name_of(zb_req *r, const char *id_text)
{
	if (!id_text)
		return NULL;
	zb_err e = {0};
	zb_stmt *st = zb_db_query(r->db, &e, "SELECT name FROM orgs WHERE id = ?", "i", strtoll(id_text, NULL, 10));
	const char *name = NULL;
	if (st && zb_stmt_step(st, &e) == 1)
		name = zb_arena_strdup(&r->arena, zb_col_text(st, 0));
	zb_stmt_done(st);
	return name ? name : id_text;
}

static int h_history(zb_req *r, zb_err *e)
{
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT h.id, h.kind, h.old_value, h.new_value, h.effective_on, h.reason, h.at, h.by_user, "
	                          "u.username, u.display_name FROM member_history h LEFT JOIN users u ON u.id = h.by_user "
	                          "WHERE h.member_id = ? ORDER BY h.id DESC",
	                          "i", r->target_id);
	if (!st)
		return e->code;
	/* read all rows first: the org names below use the same connection */
	typedef struct hrow {
		int64_t id, at, by;
		const char *kind, *old, *nw, *on, *reason, *user, *display;
	} hrow;
	int cap = 16, n = 0, rc;
	hrow *rows = zb_arena_alloc(&r->arena, sizeof *rows * (size_t)cap);
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (n == cap) {
			hrow *nr = zb_arena_alloc(&r->arena, sizeof *nr * (size_t)cap * 2);
			memcpy(nr, rows, sizeof *rows * (size_t)cap);
			rows = nr;
			cap *= 2;
		}
		zb_arena *a = &r->arena;
		rows[n++] = (hrow){zb_col_int(st, 0),
		                   zb_col_int(st, 6),
		                   zb_col_int(st, 7),
		                   zb_arena_strdup(a, zb_col_text(st, 1)),
		                   zb_arena_strdup(a, zb_col_text(st, 2)),
		                   zb_arena_strdup(a, zb_col_text(st, 3)),
		                   zb_arena_strdup(a, zb_col_text(st, 4)),
		                   zb_arena_strdup(a, zb_col_text(st, 5)),
		                   zb_arena_strdup(a, zb_col_text(st, 8)),
		                   zb_arena_strdup(a, zb_col_text(st, 9))};
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	zb_list_begin(r);
	zb_jw *w = &r->jw;
	for (int i = 0; i < n; i++) {
		hrow *h = &rows[i];
		const char *from = h->old, *to = h->nw, *summary;
		if (!strcmp(h->kind, "org") || !strcmp(h->kind, "created") || !strcmp(h->kind, "group")) {
			from = org_name_of(r, h->old);
			to = org_name_of(r, h->nw);
		}
		if (!strcmp(h->kind, "created"))
			summary = zb_arena_printf(&r->arena, "建立党员档案（%s）", to ? to : "");
		else if (!strcmp(h->kind, "category"))
			summary = zb_arena_printf(&r->arena, "人员类别：%s → %s", zb_category_name(h->old) ? zb_category_name(h->old) : "—",
			                          zb_category_name(h->nw) ? zb_category_name(h->nw) : "—");
		else if (!strcmp(h->kind, "status"))
			summary = zb_arena_printf(&r->arena, "党籍状态：%s → %s", zb_status_name(h->old) ? zb_status_name(h->old) : "—",
			                          zb_status_name(h->nw) ? zb_status_name(h->nw) : "—");
		else if (!strcmp(h->kind, "group"))
			summary = zb_arena_printf(&r->arena, "所在党小组：%s → %s", from ? from : "—", to ? to : "—");
		else
			summary = zb_arena_printf(&r->arena, "所在组织：%s → %s", from ? from : "—", to ? to : "—");
		jw_obj(w);
		jw_kint(w, "id", h->id);
		jw_kstr(w, "kind", h->kind);
		jw_kstr(w, "field", h->kind);
		jw_kstr(w, "from", from);
		jw_kstr(w, "to", to);
		if (!strcmp(h->kind, "org")) {
			jw_kstr(w, "from_id", h->old);
			jw_kstr(w, "to_id", h->nw);
		}
		jw_kstr(w, "summary", summary);
		jw_kstr(w, "date", h->on);
		jw_kstr(w, "reason", h->reason);
		jw_kint(w, "at", h->at);
		if (h->by)
			jw_kint(w, "by_user", h->by);
		else
			jw_knull(w, "by_user");
		jw_kstr(w, "by_name", h->display ? h->display : h->user);
		jw_obj_end(w);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "member.history", "member", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- designations (先锋岗 / 示范岗 / 责任区) ------------------------------ */

static int designation_fields(zb_req *r, const char **kind, const char **title, const char **started,
                              const char **ended, zb_err *e)
{
	if (zb_body_has(r, "kind") && !(*kind = zb_designation_from(zb_body_str(r, "kind"))))
		return zb_fail(e, ZB_EINVAL, "kind", "类型应为 先锋岗（pioneer_post）、示范岗（model_post）或 责任区（duty_zone）");
	if (zb_body_has(r, "title")) {
		*title = zb_member_clean(&r->arena, zb_body_str(r, "title"));
		if (!*title)
			return zb_fail(e, ZB_EINVAL, "title", "请填写岗位或责任区名称");
	}
	if (zb_body_has(r, "started_on"))
		*started = zb_body_str(r, "started_on");
	if (zb_body_has(r, "ended_on"))
		*ended = zb_body_str(r, "ended_on");
	if (*started && !**started)
		*started = NULL;
	if (*ended && !**ended)
		*ended = NULL;
	if (!*started)
		return zb_fail(e, ZB_EINVAL, "started_on", "请填写开始日期");
	if (*ended && strcmp(*ended, *started) < 0)
		return zb_fail(e, ZB_EINVAL, "ended_on", "结束日期不能早于开始日期");
	return 0;
}

static int designation_done(zb_req *r, const char *action, int64_t did, zb_err *e)
{
	int rc = zb_req_audit(r, action, "member", r->target_id, r->target_path,
	                      zb_arena_printf(&r->arena, "{\"designation\":%lld}", (long long)did), e);
	if (rc || (rc = zb_db_commit(r->db, e))) {
		zb_db_rollback(r->db);
		return rc;
	}
	zb_member m;
	if ((rc = zb_member_get(r->db, r->target_id, &r->arena, &m, e)))
		return rc;
	write_member(r, &m, 0, 1);
	return 0;
}

static int h_desig_add(zb_req *r, zb_err *e)
{
	const char *kind = NULL, *title = NULL, *started = NULL, *ended = NULL;
	int rc = designation_fields(r, &kind, &title, &started, &ended, e);
	if (rc)
		return rc;
	int64_t id;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_db_int(r->db, e, &id,
	               "INSERT INTO member_designations (member_id, kind, title, started_on, ended_on) VALUES (?,?,?,?,?) "
	               "RETURNING id",
	               "issss", r->target_id, kind, title, started, ended);
	if (rc) {
		zb_db_rollback(r->db);
		return rc;
	}
	r->status = 201;
	return designation_done(r, "member.designation_add", id, e);
}

static int get_designation(zb_req *r, int64_t *did, const char **kind, const char **title, const char **started,
                           const char **ended, zb_err *e)
{
	if (zb_req_param_id(r, 1, did, e))
		return e->code;
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT kind, title, started_on, ended_on FROM member_designations WHERE id = ? AND member_id = ?",
	                          "ii", *did, r->target_id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1) {
		*kind = zb_arena_strdup(&r->arena, zb_col_text(st, 0));
		*title = zb_arena_strdup(&r->arena, zb_col_text(st, 1));
		*started = zb_arena_strdup(&r->arena, zb_col_text(st, 2));
		*ended = zb_arena_strdup(&r->arena, zb_col_text(st, 3));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return rc ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该岗位记录");
}

static int h_desig_patch(zb_req *r, zb_err *e)
{
	int64_t did;
	const char *kind, *title, *started, *ended;
	int rc = get_designation(r, &did, &kind, &title, &started, &ended, e);
	if (rc || (rc = designation_fields(r, &kind, &title, &started, &ended, e)))
		return rc;
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_db_run(r->db, e, NULL,
	               "UPDATE member_designations SET kind = ?, title = ?, started_on = ?, ended_on = ? WHERE id = ?", "ssssi",
	               kind, title, started, ended, did);
	if (rc) {
		zb_db_rollback(r->db);
		return rc;
	}
	return designation_done(r, "member.designation_update", did, e);
}

static int h_desig_delete(zb_req *r, zb_err *e)
{
	int64_t did;
	const char *kind, *title, *started, *ended;
	int rc = get_designation(r, &did, &kind, &title, &started, &ended, e);
	if (rc || (rc = zb_db_begin_write(r->db, e)))
		return rc;
	rc = zb_db_run(r->db, e, NULL, "DELETE FROM member_designations WHERE id = ?", "i", did);
	if (rc) {
		zb_db_rollback(r->db);
		return rc;
	}
	return designation_done(r, "member.designation_delete", did, e);
}

/* ---- the member's own record -------------------------------------------- */

static int h_me_get(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	zb_member m;
	int rc = zb_member_get(r->db, r->who->member_id, &r->arena, &m, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号关联的党员档案不存在");
	if (rc)
		return rc;
	write_member(r, &m, 0, 1);
	zb_req_audit_read(r, "member.self_read", "member", m.id, m.org_path, NULL);
	return 0;
}

static int me_patch_in_tx(zb_req *r, zb_err *e)
{
	zb_member old;
	int rc = zb_member_get_locked(r->db, r->who->member_id, &r->arena, &old, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号关联的党员档案不存在");
	if (rc || (rc = zb_member_reveal(&old, r->app->keys, &r->arena, e)))
		return rc;
	zb_member nw = old;
	/* the body table allows phone, address and remarks only */
	unsigned given = read_body(r, &nw);
	zb_member_rules rules;
	if ((rc = load_rules(r, nw.org_path, &rules, e)) ||
	    (rc = zb_member_check(&nw, given, &rules, zb_today_int(r->app), &r->arena, NULL, e)) ||
	    (rc = zb_member_protect(&nw, given | ZB_MF_ID | ZB_MF_PHONE, r->app->keys, &r->arena, e)))
		return rc;
	zb_member_diff *d;
	int nd = zb_member_compare(&old, &nw, &r->arena, &d);
	if (!nd)
		return 0;
	char today[11];
	zb_today(r->app, today);
	zb_member_change ch = {.now = zb_now(r->app), .keys = r->app->keys, .arena = &r->arena, .by_user = r->who->user_id, .today = today, .reason = "本人修改"};
	rc = zb_member_update(r->db, &ch, &old, &nw, e);
	if (!rc)
		rc = zb_req_audit(r, "member.self_update", "member", old.id, old.org_path, changes_json(r, d, nd), e);
	return rc;
}

static int h_me_patch(zb_req *r, zb_err *e)
{
	if (!r->who->member_id)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号没有关联党员档案");
	int rc = zb_db_begin_write(r->db, e);
	if (rc || (rc = zb_req_end_tx(r, me_patch_in_tx(r, e), e)))
		return rc;
	zb_member got;
	if ((rc = zb_member_get(r->db, r->who->member_id, &r->arena, &got, e)))
		return rc;
	write_member(r, &got, 0, 1);
	return 0;
}

/* ---- 政治生日 -------------------------------------------------------------- */

static int h_birthdays(zb_req *r, zb_err *e)
{
	int64_t days, limit;
	if (zb_req_query_int(r, "days", 30, 1, 366, &days, e) || zb_req_query_int(r, "limit", 100, 1, 500, &limit, e))
		return e->code;
	zb_birthday *b;
	int n;
	int rc = zb_member_birthdays(r->db, r->target_path, zb_today_int(r->app), (int)days, (int)limit, &r->arena, &b, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "member_id", b[i].member_id);
		jw_kstr(&r->jw, "name", b[i].name);
		jw_kint(&r->jw, "org_id", b[i].org_id);
		jw_kstr(&r->jw, "org_name", b[i].org_name);
		jw_kstr(&r->jw, "join_date", b[i].join_date);
		jw_kstr(&r->jw, "date", b[i].date);
		jw_kint(&r->jw, "years", b[i].years);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "member.birthdays", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"days\":%lld,\"count\":%d}", (long long)days, n));
	return 0;
}

/* ---- import ---------------------------------------------------------------- */

static zb_actor actor_of(zb_req *r)
{
	return (zb_actor){.user_id = r->who->user_id, .username = r->who->username, .ip = r->ip};
}

/* The ID lookups an upload answered, for a caller without member.sensitive
 * at the register's root (h_import): refused whole (ZB_ERATE, nothing
 * noted) when they exceed what is left of the budgets, else noted. */
static int import_lookups(zb_req *r, const zb_import *imp, zb_err *e)
{
	int64_t now = zb_now(r->app), left = 0;
	int sens_here = zb_authz_allows(r->who, P_MEMBER_SENSITIVE, imp->org_path);
	int rc = 0;
	if (!sens_here && (rc = zb_id_import_check(r->db, r->who->user_id, now, imp->nrows, e)))
		return rc;
	if ((rc = zb_id_lookup_left(r->db, r->who->user_id, now, &left, e)))
		return rc;
	if (imp->checked_outside > left)
		return zb_fail(e, ZB_ERATE, "file",
		               "本文件有 %lld 行的身份证号不属于您管理范围内的党员（新党员，或已在其他组织登记），每一行都要在全县名册中核对："
		               "没有全县“敏感信息”权限的账号每小时最多核对 %d 个（还剩 %lld 个）。请分批导入新党员，或请县委组织部管理员导入；"
		               "本次没有保存任何数据",
		               (long long)imp->checked_outside, ZB_ID_LOOKUP_LIMIT, (long long)left);
	if ((rc = zb_db_begin_write(r->db, e)))
		return rc;
	if (!sens_here)
		rc = zb_id_lookup_note(r->db, r->who->user_id, now, "import_rows", imp->nrows, e);
	/* the rows registered elsewhere are noted by zb_import_save */
	if (!rc)
		rc = zb_id_lookup_note(r->db, r->who->user_id, now, "import", imp->checked_outside - imp->registered_elsewhere, e);
	return zb_req_end_tx(r, rc, e);
}

static int h_import(zb_req *r, zb_err *e)
{
	const char *fn = zb_member_clean(&r->arena, zb_req_query(r, "filename"));
	if (fn && (strlen(fn) > 200 || !zb_utf8_valid(fn, strlen(fn))))
		return zb_fail(e, ZB_EINVAL, "filename", "文件名过长或含有无效字符");
	/* the parse and the rows it keeps count in the budget shared by all
	 * concurrent imports (ZHIBU_IMPORT_MEMORY_MB) until they are freed */
	zb_memcharge charge = {.b = r->app->import_budget};
	zb_table_limits lim = {.charge = &charge};
	zb_import_opts o = {.app = r->app, .db = r->db, .who = r->who, .org_id = r->target_id, .filename = fn ? fn : "名册",
	                    .limits = &lim};
	zb_import *imp;
	/* rows refused as registered elsewhere are ID lookups (zb_import_save
	 * counts them): no upload once the budget is spent */
	int rc = zb_id_lookup_check(r->db, r->who->user_id, zb_now(r->app), e);
	if (rc) {
		zb_memcharge_release(&charge);
		return rc;
	}
	rc = zb_import_read(&o, r->body.data, r->body.len, &imp, e);
	if (rc) {
		zb_memcharge_release(&charge);
		return rc;
	}
	/* Every row's number was checked against the whole register.  A row
	 * whose number matches no member within the caller's scope (a new
	 * member, or one registered elsewhere) answers a question about the
	 * register outside that scope: unless the caller holds
	 * member.sensitive at the register's root, each such row is an ID
	 * lookup of the hourly budget, and a file with more of them than the
	 * budget has left is refused whole (the refusal depends on the count
	 * of such rows, not on how many are registered).  For a caller who may
	 * not see ID numbers at the import org, every row also counts in the
	 * daily row budget: a row that matches a member in scope confirms
	 * that member's number. */
	char root[64];
	const char *slash = imp->org_path ? strchr(imp->org_path + 1, '/') : NULL;
	snprintf(root, sizeof root, "%.*s", slash ? (int)(slash - imp->org_path + 1) : 0, slash ? imp->org_path : "");
	if (!zb_authz_allows(r->who, P_MEMBER_SENSITIVE, root)) {
		rc = import_lookups(r, imp, e);
		if (rc) {
			zb_import_free(imp);
			zb_memcharge_release(&charge);
			return rc;
		}
	}
	zb_actor ac = actor_of(r);
	int64_t batch;
	rc = zb_import_save(r->app, r->db, imp, &ac, &batch, e);
	if (!rc) {
		r->status = 201;
		imp->org_trail = zb_api_org_trail(r, imp->org_path);
		zb_import_preview_json(&r->jw, imp, batch, 2000);
	}
	zb_import_free(imp);
	zb_memcharge_release(&charge);
	return rc;
}

static int h_import_get(zb_req *r, zb_err *e)
{
	zb_import *imp;
	int rc = zb_import_load(r->app, r->db, r->target_id, r->who->user_id, 0, &imp, e);
	if (rc == ZB_ECONFLICT) {
		/* committed or expired: the batch itself is still worth showing */
		zb_stmt *st = zb_db_query(r->db, e,
		                          "SELECT status, filename, n_new, n_update, n_unchanged, n_error, committed_at "
		                          "FROM import_batches WHERE id = ?",
		                          "i", r->target_id);
		if (!st)
			return e->code;
		if (zb_stmt_step(st, e) == 1) {
			jw_obj(&r->jw);
			jw_kint(&r->jw, "id", r->target_id);
			jw_kstr(&r->jw, "status", zb_col_text(st, 0));
			jw_kstr(&r->jw, "filename", zb_col_text(st, 1));
			jw_kobj(&r->jw, "counts");
			jw_kint(&r->jw, "new", zb_col_int(st, 2));
			jw_kint(&r->jw, "update", zb_col_int(st, 3));
			jw_kint(&r->jw, "unchanged", zb_col_int(st, 4));
			jw_kint(&r->jw, "error", zb_col_int(st, 5));
			jw_obj_end(&r->jw);
			jw_obj_end(&r->jw);
			rc = 0;
		}
		zb_stmt_done(st);
		return rc;
	}
	if (rc)
		return rc;
	imp->org_trail = zb_api_org_trail(r, imp->org_path);
	zb_import_preview_json(&r->jw, imp, r->target_id, 2000);
	zb_import_free(imp);
	zb_req_audit_read(r, "import.read", "import", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_import_commit(zb_req *r, zb_err *e)
{
	const char *skip = zb_req_query(r, "skip_errors");
	int skip_errors = skip && (!strcmp(skip, "1") || !strcmp(skip, "true"));
	zb_import *imp;
	int rc = zb_import_load(r->app, r->db, r->target_id, r->who->user_id, 1, &imp, e);
	if (rc)
		return rc;
	zb_actor ac = actor_of(r);
	int64_t done[ZB_IROW_NSTATUS];
	rc = zb_import_apply(r->app, r->db, imp, r->target_id, &ac, r->who, skip_errors, done, e);
	zb_import_free(imp);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", r->target_id);
	jw_kstr(&r->jw, "status", "committed");
	jw_kobj(&r->jw, "counts");
	jw_kint(&r->jw, "new", done[ZB_IROW_NEW]);
	jw_kint(&r->jw, "update", done[ZB_IROW_UPDATE]);
	jw_kint(&r->jw, "unchanged", done[ZB_IROW_UNCHANGED]);
	jw_kint(&r->jw, "skipped", done[ZB_IROW_ERROR]);
	jw_obj_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

/* The import template (member/export.c), generated per request: a few KB,
 * nothing personal in it. */
static int h_import_template(zb_req *r, zb_err *e)
{
	char path[600];
	int rc = zb_req_tmpfile(r, "template", path, sizeof path, e);
	if (rc)
		return rc;
	if ((rc = zb_import_template(path, e))) {
		unlink(path);
		return rc;
	}
	if ((rc = zb_req_body_file(r, path, "模板文件过大", e)))
		return rc;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	zb_req_disposition(r, "attachment", "roster-template.xlsx", "党员名册导入模板.xlsx");
	return 0;
}

/* The target org with the ancestors the caller may read, "县委 / 镇党委 /
 * 支部": three branches of one name in three towns are told apart.  NULL
 * on a database error (the caller then names the org alone). */
const char *zb_api_org_trail(zb_req *r, const char *path)
{
	zb_buf b = {0};
	zb_err e = {0};
	const char *out = NULL;
	for (const char *p = path ? path + 1 : ""; *p;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break;
		const char *prefix = zb_arena_strndup(&r->arena, path, (size_t)(slash - path) + 1);
		p = slash + 1;
		if (r->who && !zb_authz_allows(r->who, P_ORG_READ, prefix))
			continue;
		zb_stmt *st = zb_db_query(r->db, &e, "SELECT name FROM orgs WHERE path = ?", "s", prefix);
		if (!st)
			goto out;
		int rc = zb_stmt_step(st, &e);
		if (rc == 1) {
			if (b.len)
				zb_buf_puts(&b, " / ");
			zb_buf_puts(&b, zb_col_text(st, 0));
		}
		zb_stmt_done(st);
		if (rc < 0)
			goto out;
	}
	out = b.len ? zb_arena_strndup(&r->arena, b.data, b.len) : NULL;
out:
	zb_buf_release(&b);
	return out;
}

/* ---- export ---------------------------------------------------------------- */

static int h_export(zb_req *r, zb_err *e)
{
	const char *fmt = zb_req_query(r, "format");
	if (!fmt || !*fmt)
		fmt = "xlsx";
	if (strcmp(fmt, "xlsx") && strcmp(fmt, "csv"))
		return zb_fail(e, ZB_EINVAL, "format", "导出格式应为 xlsx 或 csv");
	int csv = !strcmp(fmt, "csv");
	int full;
	int rc = want_full(r, r->target_path, &full, e);
	if (rc) {
		snprintf(e->msg, sizeof e->msg, "导出完整身份证号和电话需要在该组织拥有“敏感信息”权限");
		return rc;
	}
	zb_export_opts o = {.app = r->app, .db = r->db, .org_id = r->target_id, .full = full, .csv = csv};
	char path[600] = "";
	int64_t count = 0;
	zb_buf_reset(&r->out);
	if (csv) {
		o.csv_out = &r->out;
		rc = zb_roster_export(&o, &count, e);
	} else {
		if ((rc = zb_req_tmpfile(r, "export", path, sizeof path, e)))
			return rc;
		o.xlsx_path = path;
		rc = zb_roster_export(&o, &count, e);
		if (!rc)
			rc = zb_req_body_file(r, path, "导出文件过大，请按下级组织分别导出", e);
		else
			unlink(path);
	}
	if (rc) {
		zb_buf_reset(&r->out);
		return rc;
	}
	zb_stmt *st = zb_db_query(r->db, e, "SELECT name FROM orgs WHERE id = ?", "i", r->target_id);
	const char *org = "组织";
	if (st && zb_stmt_step(st, e) == 1)
		org = zb_arena_strdup(&r->arena, zb_col_text(st, 0));
	zb_stmt_done(st);
	char today[11];
	zb_today(r->app, today);
	const char *name = zb_arena_printf(&r->arena, "%s党员花名册-%.4s%.2s%.2s.%s", org, today, today + 5, today + 8, fmt);
	zb_req_disposition(r, "attachment", zb_arena_printf(&r->arena, "roster.%s", fmt), name);
	r->content_type = csv ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	zb_req_audit_read(r, "member.export", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"format\":\"%s\",\"full\":%s,\"count\":%lld}", fmt,
	                                  full ? "true" : "false", (long long)count));
	return 0;
}

/* ---- routes ---------------------------------------------------------------- */

#define MEMBER_BODY_FIELDS                                                                            \
	{"group_id", 'i', 0, 0, "党小组（所在党支部下的党小组组织编号）"},                             \
	{"name", 's', 1, 200, "姓名（1–50 个字）"},                                                    \
	{"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},                          \
	{"ethnicity", 's', 0, 100, "民族"},                                                             \
	{"birth_date", 'd', 0, 10, "出生日期（有身份证号时由其得出，不一致则报错）"},                  \
	{"id_number", 's', 0, 64, "身份证号（18 位，校验位按 GB 11643）"},                              \
	{"native_place", 's', 0, 400, "籍贯"},                                                          \
	{"education", 's', 0, 64, "学历：研究生/大学本科/大学专科/中等专科/高中/初中/小学及以下"},      \
	{"degree", 's', 0, 120, "学位"},                                                                \
	{"work_unit", 's', 0, 800, "工作单位"},                                                         \
	{"job_title", 's', 0, 400, "职务"},                                                             \
	{"category", 's', 0, 32, "人员类别：full/probationary 或 正式党员/预备党员"},                  \
	{"join_date", 'd', 0, 10, "入党日期"},                                                          \
	{"full_date", 'd', 0, 10, "转正日期（正式党员必填）"},                                          \
	{"phone", 's', 0, 64, "联系电话"},                                                              \
	{"address", 's', 0, 800, "现居住地"},                                                           \
	{"status", 's', 0, 32, "党籍状态：normal/mobile/lost/abroad/suspended/removed/deceased 或中文"}, \
	{"source", 's', 0, 200, "发展来源"},                                                            \
	{"remarks", 's', 0, 4000, "备注"},                                                              \
	{"reason", 's', 0, 400, "变动原因（类别、状态、组织变动时必填）"},                              \
	{"effective_on", 'd', 0, 10, "变动生效日期（默认今天）"},

static const zb_field create_fields[] = {
	{"org_id", 'i', 1, 0, "所在组织（党支部或党小组）"},
	MEMBER_BODY_FIELDS{0},
};
static const zb_field patch_fields[] = {
	{"org_id", 'i', 0, 0, "所在组织（党支部或党小组）"},
	{"group_id", 'i', 0, 0, "党小组"},
	{"name", 's', 0, 200, "姓名"},
	{"gender", 's', 0, 16, "性别"},
	{"ethnicity", 's', 0, 100, "民族"},
	{"birth_date", 'd', 0, 10, "出生日期"},
	{"id_number", 's', 0, 64, "身份证号"},
	{"native_place", 's', 0, 400, "籍贯"},
	{"education", 's', 0, 64, "学历"},
	{"degree", 's', 0, 120, "学位"},
	{"work_unit", 's', 0, 800, "工作单位"},
	{"job_title", 's', 0, 400, "职务"},
	{"category", 's', 0, 32, "人员类别"},
	{"join_date", 'd', 0, 10, "入党日期"},
	{"full_date", 'd', 0, 10, "转正日期"},
	{"phone", 's', 0, 64, "联系电话"},
	{"address", 's', 0, 800, "现居住地"},
	{"status", 's', 0, 32, "党籍状态"},
	{"source", 's', 0, 200, "发展来源"},
	{"remarks", 's', 0, 4000, "备注"},
	{"reason", 's', 0, 400, "变动原因（类别、状态、组织变动时必填）"},
	{"effective_on", 'd', 0, 10, "变动生效日期（默认今天）"},
	{0},
};
static const zb_field self_fields[] = {
	{"phone", 's', 0, 64, "联系电话"},
	{"address", 's', 0, 800, "现居住地"},
	{"remarks", 's', 0, 4000, "备注"},
	{0},
};
static const zb_field desig_fields[] = {
	{"kind", 's', 1, 32, "pioneer_post 先锋岗 / model_post 示范岗 / duty_zone 责任区"},
	{"title", 's', 1, 300, "岗位或责任区名称"},
	{"started_on", 'd', 1, 10, "开始日期"},
	{"ended_on", 'd', 0, 10, "结束日期"},
	{0},
};
static const zb_field desig_patch_fields[] = {
	{"kind", 's', 0, 32, "类型"},
	{"title", 's', 0, 300, "名称"},
	{"started_on", 'd', 0, 10, "开始日期"},
	{"ended_on", 'd', 0, 10, "结束日期（null 清除）"},
	{0},
};

#define LIST_QUERY \
	"org:integer,q:string,category:string,status:string,gender:string,education:string,age_min:integer," \
	"age_max:integer,joined_from:string,joined_to:string,after:string,limit:integer"

/* write_member() */
#define MEMBER_PROPS                                                                                   \
	{"id", 'i', 0, NULL, "党员编号"}, {"org_id", 'i', 0, NULL, "所在党组织"},                            \
	{"org_name", 's', 0, NULL, "所在党组织名称"}, {"group_id", 'i', ZB_NULL, NULL, "所在党小组"},        \
	{"group_name", 's', ZB_NULL, NULL, "所在党小组名称"}, {"name", 's', 0, NULL, "姓名"},                \
	{"pinyin", 's', ZB_NULL, NULL, "姓名全拼"}, {"initials", 's', ZB_NULL, NULL, "姓名首字母"},          \
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"}, {"ethnicity", 's', ZB_NULL, NULL, "民族"},           \
	{"birth_date", 's', ZB_NULL, NULL, "出生日期（无权查看全部时只到年月）"},                             \
	{"age", 'i', ZB_NULL, NULL, "年龄"},                                                               \
	{"id_number", 's', ZB_NULL, NULL, "身份证号（默认隐去中间部分）"},                                  \
	{"native_place", 's', ZB_NULL, NULL, "籍贯"}, {"education", 's', ZB_NULL, NULL, "学历"},            \
	{"degree", 's', ZB_NULL, NULL, "学位"}, {"work_unit", 's', ZB_NULL, NULL, "工作单位"},               \
	{"job_title", 's', ZB_NULL, NULL, "职务"}, {"category", 's', 0, NULL, "类别：full 或 probationary"}, \
	{"category_name", 's', ZB_NULL, NULL, "类别名称"}, {"join_date", 'd', ZB_NULL, NULL, "入党日期"},   \
	{"full_date", 'd', ZB_NULL, NULL, "转正日期"}, {"party_age", 'i', ZB_NULL, NULL, "党龄（年）"},      \
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"}, {"address", 's', ZB_NULL, NULL, "住址"}, \
	{"status", 's', 0, NULL, "党籍状态代码，如 normal"}, {"status_name", 's', ZB_NULL, NULL, "党籍状态名称"}, \
	{"source", 's', ZB_NULL, NULL, "来源"}, {"remarks", 's', ZB_NULL, NULL, "备注"},                     \
	{"created_at", 'i', 0, NULL, "建档时间（Unix 秒）"}, {"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"}
static const zb_prop member_item_props[] = {
	MEMBER_PROPS,
	{0},
};
static const zb_shape member_item = {"MemberItem", member_item_props, 0, 0, "党员（名册中）"};
ZB_LIST_COUNTED(member_list, "MemberList", &member_item);

static const zb_prop designation_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"kind", 's', 0, NULL, "类别代码"},
	{"kind_name", 's', ZB_NULL, NULL, "类别名称：先锋岗、示范岗、责任区"},
	{"title", 's', 0, NULL, "岗位或责任区名称"},
	{"name", 's', 0, NULL, "类别与名称，如 先锋岗：…"},
	{"started_on", 'd', ZB_NULL, NULL, "设立日期"},
	{"ended_on", 'd', ZB_NULL, NULL, "撤销日期"},
	{"active", 'b', 0, NULL, "今天仍在设"},
	{0},
};
static const zb_shape designation = {"Designation", designation_props, 0, 0, "党员先锋岗、示范岗或责任区"};
static const zb_prop member_props[] = {
	MEMBER_PROPS,
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"},
	{"designations", 'a', 0, &designation, "岗位与责任区"},
	{0},
};
static const zb_shape member_shape = {"Member", member_props, 0, 0, "党员档案"};

static const zb_prop history_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"kind", 's', 0, NULL, "变动类别：created 建档、org 所在组织、group 所在党小组、category 人员类别、status 党籍状态"},
	{"field", 's', 0, NULL, "同 kind"},
	{"from", 's', ZB_NULL, NULL, "变动前"},
	{"to", 's', ZB_NULL, NULL, "变动后"},
	{"from_id", 's', ZB_OPT | ZB_NULL, NULL, "变动前的组织编号（组织变动时）"},
	{"to_id", 's', ZB_OPT | ZB_NULL, NULL, "变动后的组织编号（组织变动时）"},
	{"summary", 's', ZB_NULL, NULL, "一句话说明"},
	{"date", 'd', ZB_NULL, NULL, "变动日期"},
	{"reason", 's', ZB_NULL, NULL, "原因"},
	{"at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"by_user", 'i', ZB_NULL, NULL, "登记人账号"},
	{"by_name", 's', ZB_NULL, NULL, "登记人"},
	{0},
};
static const zb_shape history_item = {"MemberChange", history_props, 0, 0, "党员变动记录"};
ZB_LIST_COUNTED(history_list, "MemberChangeList", &history_item);

static const zb_prop birthday_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在党组织"},
	{"org_name", 's', 0, NULL, "所在党组织名称"},
	{"join_date", 'd', 0, NULL, "入党日期"},
	{"date", 'd', 0, NULL, "政治生日"},
	{"years", 'i', 0, NULL, "入党周年数"},
	{0},
};
static const zb_shape birthday = {"PoliticalBirthday", birthday_props, 0, 0, "政治生日"};
ZB_LIST_COUNTED(birthday_list, "PoliticalBirthdayList", &birthday);

/* zb_import_preview_json (member/import.c); a committed or expired batch
 * answers id, status, filename and counts only */
static const zb_prop import_col_props[] = {
	{"header", 's', 0, NULL, "文件中的列名"},
	{"maps_to", 's', ZB_NULL, NULL, "对应的花名册字段（不导入为 null）"},
	{0},
};
static const zb_shape import_col = {NULL, import_col_props, 0, 0, NULL};
static const zb_prop import_counts_props[] = {
	{"new", 'i', 0, NULL, "新增"},
	{"update", 'i', 0, NULL, "修改"},
	{"unchanged", 'i', 0, NULL, "不变"},
	{"error", 'i', 0, NULL, "有错"},
	{"total", 'i', ZB_OPT, NULL, "行数（预览时）"},
	{0},
};
static const zb_shape import_counts = {NULL, import_counts_props, 0, 0, NULL};
static const zb_prop import_change_props[] = {
	{"field", 's', 0, NULL, "字段"},
	{"label", 's', ZB_NULL, NULL, "字段名称"},
	{"from", 's', ZB_NULL, NULL, "原值"},
	{"to", 's', ZB_NULL, NULL, "新值"},
	{0},
};
static const zb_shape import_change = {NULL, import_change_props, 0, 0, NULL};
static const zb_prop import_row_props[] = {
	{"row", 'i', 0, NULL, "文件中的行号"},
	{"status", 's', 0, NULL, "new、update、unchanged 或 error"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"id_number", 's', ZB_NULL, NULL, "身份证号（隐去中间部分）"},
	{"org_name", 's', ZB_NULL, NULL, "所在党组织"},
	{"errors", 'a', 0, &zb_shape_string, "错误"},
	{"changes", 'a', 0, &import_change, "将修改的字段"},
	{0},
};
static const zb_shape import_row = {NULL, import_row_props, 0, 0, NULL};
static const zb_prop import_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', ZB_OPT | ZB_NULL, NULL, "已提交或已过期的批次：committed、expired"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"format", 's', ZB_OPT, NULL, "xlsx 或 csv"},
	{"org_id", 'i', ZB_OPT, NULL, "导入到的组织"},
	{"org_name", 's', ZB_OPT | ZB_NULL, NULL, "导入到的组织名称"},
	{"org_trail", 's', ZB_OPT, NULL, "导入到的组织及其上级（调用者可见的部分），如“某县委 / 某镇党委 / 某村党支部”"},
	{"samples_skipped", 'i', ZB_OPT, NULL, "跳过的模板示例行数（姓名以“【示例】”开头）"},
	{"sheet", 's', ZB_OPT, NULL, "工作表"},
	{"encoding", 's', ZB_OPT, NULL, "CSV 的编码"},
	{"header_row", 'i', ZB_OPT, NULL, "表头所在行"},
	{"columns", 'a', ZB_OPT, &import_col, "列的对应"},
	{"counts", 'o', 0, &import_counts, "按状态计数"},
	{"rows", 'a', ZB_OPT, &import_row, "各行（最多 2000 行，有错的行总列出）"},
	{"rows_omitted", 'i', ZB_OPT, NULL, "未列出的行数"},
	{0},
};
static const zb_shape import_shape = {"ImportBatch", import_props, 0, 0, "导入批次"};
static const zb_prop import_done_counts_props[] = {
	{"new", 'i', 0, NULL, "新增"},
	{"update", 'i', 0, NULL, "修改"},
	{"unchanged", 'i', 0, NULL, "不变"},
	{"skipped", 'i', 0, NULL, "跳过的有错行"},
	{0},
};
static const zb_shape import_done_counts = {NULL, import_done_counts_props, 0, 0, NULL};
static const zb_prop import_done_props[] = {
	{"id", 'i', 0, NULL, "批次编号"},
	{"status", 's', 0, NULL, "committed"},
	{"counts", 'o', 0, &import_done_counts, "写入的行数"},
	{0},
};
static const zb_shape import_done = {"ImportCommitted", import_done_props, 0, 0, "导入已提交"};

const zb_route zb_routes_members[] = {
	/* before /members/{id}, which would match "export" */
	{"GET", "/api/v1/members/export", h_export, P_MEMBER_EXPORT, S_QUERY_ORG, 0, 0, NULL, "members",
	 "导出党员花名册（xlsx/csv，默认隐去身份证号和电话）", "org:integer,format:string,full:integer",
	 ZB_MEDIA("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, text/csv")},
	{"GET", "/api/v1/members", h_list, P_MEMBER_READ, S_QUERY_ORG, 0, 0, NULL, "members",
	 "党员名册（组织及下级；按姓名、全拼、首字母搜索）", LIST_QUERY, ZB_OK(&member_list)},
	{"POST", "/api/v1/members", h_create, P_MEMBER_WRITE, S_BODY_ORG, R_WRITE | R_JSON, 32768, create_fields, "members",
	 "新增党员", NULL, ZB_CREATED(&member_shape)},
	{"GET", "/api/v1/members/{id}", h_get, P_MEMBER_READ, S_MEMBER, 0, 0, NULL, "members", "党员详情（审计）",
	 "full:integer", ZB_OK(&member_shape)},
	{"PATCH", "/api/v1/members/{id}", h_patch, P_MEMBER_WRITE, S_MEMBER, R_WRITE | R_JSON, 32768, patch_fields,
	 "members", "修改党员信息", NULL, ZB_OK(&member_shape)},
	{"GET", "/api/v1/members/{id}/history", h_history, P_MEMBER_READ, S_MEMBER, 0, 0, NULL, "members",
	 "党员变动记录", NULL, ZB_OK(&history_list)},
	{"POST", "/api/v1/members/{id}/designations", h_desig_add, P_MEMBER_WRITE, S_MEMBER, R_WRITE | R_JSON, 4096,
	 desig_fields, "members", "设立先锋岗、示范岗或责任区", NULL, ZB_CREATED(&member_shape)},
	{"PATCH", "/api/v1/members/{id}/designations/{did}", h_desig_patch, P_MEMBER_WRITE, S_MEMBER, R_WRITE | R_JSON,
	 4096, desig_patch_fields, "members", "修改岗位或责任区", NULL, ZB_OK(&member_shape)},
	{"DELETE", "/api/v1/members/{id}/designations/{did}", h_desig_delete, P_MEMBER_WRITE, S_MEMBER, R_WRITE, 0, NULL,
	 "members", "删除岗位或责任区", NULL, ZB_OK(&member_shape)},
	{"GET", "/api/v1/me/member", h_me_get, P_SELF_READ, S_NONE, 0, 0, NULL, "members", "本人的党员档案", NULL, ZB_OK(&member_shape)},
	{"PATCH", "/api/v1/me/member", h_me_patch, P_SELF_WRITE, S_NONE, R_WRITE | R_JSON, 8192, self_fields, "members",
	 "修改本人的联系电话、住址、备注", NULL, ZB_OK(&member_shape)},
	{"GET", "/api/v1/orgs/{id}/birthdays", h_birthdays, P_MEMBER_READ, S_ORG, 0, 0, NULL, "members",
	 "近期政治生日（入党纪念日）", "days:integer,limit:integer", ZB_OK(&birthday_list)},
	{"POST", "/api/v1/imports", h_import, P_MEMBER_IMPORT, S_QUERY_ORG, R_WRITE | R_RAW, ZB_TABLE_MAX_FILE_BYTES, NULL,
	 "members", "上传名册文件（xlsx/csv）并预览", "org:integer,filename:string", ZB_CREATED(&import_shape)},
	/* before /imports/{id}, which would match "template" */
	{"GET", "/api/v1/imports/template", h_import_template, P_MEMBER_IMPORT, S_NONE, 0, 0, NULL, "members",
	 "下载名册导入模板（xlsx，含表头和一行示例，示例行不会导入）", NULL,
	 ZB_MEDIA("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
	{"GET", "/api/v1/imports/{id}", h_import_get, P_MEMBER_IMPORT, S_IMPORT, 0, 0, NULL, "members", "导入批次预览",
	 NULL, ZB_OK(&import_shape)},
	{"POST", "/api/v1/imports/{id}/commit", h_import_commit, P_MEMBER_IMPORT, S_IMPORT, R_WRITE, 0, NULL, "members",
	 "提交导入（全部成功或全部不写入）", "skip_errors:integer", ZB_OK(&import_done)},
	{0},
};
