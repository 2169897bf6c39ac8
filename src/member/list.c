/* list.c - the roster page by page (member/list.h). */
#include "member/list.h"

#include "auth/authz.h"
#include "core/escape.h"
#include "core/hex.h"
#include "crypto/fieldprot.h"
#include "member/idcard.h"
#include "text/pinyin.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* One hex run of s[0..n) decoded into the arena; NULL when it is not. */
static unsigned char *unhex(zb_arena *a, const char *s, size_t n, size_t *out_len)
{
	unsigned char *o = zb_arena_alloc(a, n / 2 + 1);
	return !o || zb_hex_decode(s, n, o, n / 2, out_len) ? NULL : o;
}

int zb_member_cursor_parse(zb_arena *a, const char *s, zb_member_cursor *c, zb_err *e)
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
	const unsigned char *path = d1 ? unhex(a, s, (size_t)(d1 - s), &plen) : NULL;
	const unsigned char *key = d2 ? unhex(a, d1 + 1, (size_t)(d2 - d1 - 1), &c->keylen) : NULL;
	errno = 0;
	c->id = d2 ? strtoll(d2 + 1, &end, 10) : 0;
	if (!path || !key || errno || *end || c->id <= 0)
		return zb_fail(e, ZB_EINVAL, "after", "翻页参数 after 无效，请从第一页重新查询");
	c->path = zb_arena_strndup(a, (const char *)path, plen);
	c->key = key;
	return 0;
}

int zb_member_filter_q(zb_member_filter *f, const char *q, const struct zb_keys *k, int today, zb_arena *a,
                       zb_err *e)
{
	if (!q)
		return 0;
	if (strlen(q) > 100 || !zb_utf8_valid(q, strlen(q)))
		return zb_fail(e, ZB_EINVAL, "q", "搜索词过长或不是有效文字");
	/* a whole ID number: exact lookup through the blind index */
	zb_idcard card;
	zb_err ignore = {0};
	if (strlen(q) >= 18 && !zb_idcard_parse(q, today, &card, &ignore)) {
		char idx[65];
		if (zb_fp_blind_index(k, card.number, idx))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误");
		f->qmode = 1;
		f->id_index = zb_arena_strdup(a, idx);
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
	f->q_lo = zb_arena_strdup(a, lo);
	/* upper bound of the prefix range: "zs" -> "zs\x7f" (pinyin is ASCII) */
	f->q_hi = zb_arena_printf(a, "%s\x7f", lo);
	zb_buf_release(&py);
	if (f->qmode == 2 && !*f->q_lo)
		f->qmode = 0; /* nothing searchable: no filter */
	return 0;
}

/* Members on the whole roll of the subtree (every status), from the org
 * roll-ups (org/counts.h): no scan at any level. */
static int subtree_size(zb_db *db, int64_t org_id, int64_t *n, zb_err *e)
{
	return zb_db_int(db, e, n, "SELECT COALESCE(SUM(n), 0) FROM org_counts WHERE org_id = ? AND dim = 'status'", "i",
	                 org_id);
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
 * index (docs/DEPENDENCIES.md).  Two plans, chosen by the size of the subtree (from
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

static int list_query(zb_db *db, const zb_member_filter *f, const char *root, const char *upper, const zb_member_cursor *c,
                      int64_t limit, int big, zb_each_fn fn, void *ctx, zb_err *e)
{
	int64_t n = (int64_t)strlen(f->q_lo ? f->q_lo : "");
	switch (f->qmode * 2 + (big ? 1 : 0)) {
	case 2:
	case 3:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD Q_ID LIST_TAIL, "ss" "s" "sbi" FILTER_FMT "i", root, upper, f->id_index,
		                   CUR(c), FILTER_ARGS(f), limit);
	case 4:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD Q_ASCII_SUB LIST_TAIL, "ss" "isis" "sbi" FILTER_FMT "i", root, upper, n,
		                   f->q_lo, n, f->q_lo, CUR(c), FILTER_ARGS(f), limit);
	case 5:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD Q_ASCII_ALL LIST_TAIL, "ss" "ssssssss" "sbi" FILTER_FMT "i", root, upper,
		                   f->q_lo, f->q_hi, root, upper, f->q_lo, f->q_hi, root, upper, CUR(c), FILTER_ARGS(f), limit);
	case 6:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD Q_HAN_SUB LIST_TAIL, "ss" "isis" "sbi" FILTER_FMT "i", root, upper, n,
		                   f->q_lo, f->q_chars, f->q_name, CUR(c), FILTER_ARGS(f), limit);
	case 7:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD Q_HAN_ALL LIST_TAIL, "ss" "ssssis" "sbi" FILTER_FMT "i", root, upper,
		                   f->q_lo, f->q_hi, root, upper, f->q_chars, f->q_name, CUR(c), FILTER_ARGS(f), limit);
	default:
		return zb_db_each(db, e, fn, ctx, LIST_HEAD LIST_TAIL, "ss" "sbi" FILTER_FMT "i", root, upper, CUR(c), FILTER_ARGS(f),
		                   limit);
	}
}

static int no_filters(const zb_member_filter *f)
{
	return !f->qmode && !f->category && !f->status && !f->gender && !f->education && !f->born_to && !f->born_after &&
	       !f->joined_from && !f->joined_to;
}

static int count_query(zb_db *db, int64_t org_id, const zb_member_filter *f, const char *root, const char *upper, int big, int64_t *n,
                       zb_err *e)
{
	if (no_filters(f))
		return subtree_size(db, org_id, n, e);
	int64_t ql = (int64_t)strlen(f->q_lo ? f->q_lo : "");
	switch (f->qmode * 2 + (big ? 1 : 0)) {
	case 2:
	case 3:
		return zb_db_int(db, e, n, COUNT_HEAD Q_ID FILTER_SQL, "ss" "s" FILTER_FMT, root, upper, f->id_index,
		                 FILTER_ARGS(f));
	case 4:
		return zb_db_int(db, e, n, COUNT_HEAD Q_ASCII_SUB FILTER_SQL, "ss" "isis" FILTER_FMT, root, upper, ql, f->q_lo,
		                 ql, f->q_lo, FILTER_ARGS(f));
	case 5:
		return zb_db_int(db, e, n, COUNT_HEAD Q_ASCII_ALL FILTER_SQL, "ss" "ssssssss" FILTER_FMT, root, upper, f->q_lo,
		                 f->q_hi, root, upper, f->q_lo, f->q_hi, root, upper, FILTER_ARGS(f));
	case 6:
		return zb_db_int(db, e, n, COUNT_HEAD Q_HAN_SUB FILTER_SQL, "ss" "isis" FILTER_FMT, root, upper, ql, f->q_lo,
		                 f->q_chars, f->q_name, FILTER_ARGS(f));
	case 7:
		return zb_db_int(db, e, n, COUNT_HEAD Q_HAN_ALL FILTER_SQL, "ss" "ssssis" FILTER_FMT, root, upper, f->q_lo,
		                 f->q_hi, root, upper, f->q_chars, f->q_name, FILTER_ARGS(f));
	default:
		return zb_db_int(db, e, n, COUNT_HEAD FILTER_SQL, "ss" FILTER_FMT, root, upper, FILTER_ARGS(f));
	}
}

typedef struct member_page {
	zb_arena *a;
	zb_member_page *out;
	int64_t limit;
	zb_buf next; /* the cursor after the last row shown */
	int more;
} member_page;

static int add_member(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	member_page *p = ctx;
	zb_member_page *out = p->out;
	if (out->n == p->limit) {
		/* one more row exists: the cursor is the last row shown */
		p->more = 1;
		return 0;
	}
	zb_member *m = &out->items[out->n++];
	zb_member_read(st, 0, p->a, m);
	size_t kl = 0;
	const void *key = zb_col_blob(st, ZB_MEMBER_NCOLS, &kl);
	zb_buf_reset(&p->next);
	zb_hex_append(&p->next, m->org_path, strlen(m->org_path));
	zb_buf_putc(&p->next, '.');
	zb_hex_append(&p->next, key, kl);
	zb_buf_printf(&p->next, ".%lld", (long long)m->id);
	return 0;
}

int zb_member_list(zb_db *db, int64_t org_id, const char *root, const zb_member_filter *f,
                   const zb_member_cursor *c, int64_t limit, zb_arena *a, zb_member_page *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	char upper[512];
	zb_path_upper(root, upper, sizeof upper);
	int64_t size = 0;
	int rc = f->qmode >= 2 ? subtree_size(db, org_id, &size, e) : 0;
	int big = size > search_subtree_max();
	if (rc || (rc = count_query(db, org_id, f, root, upper, big, &out->total, e)))
		return rc;
	out->items = zb_arena_alloc(a, sizeof *out->items * (size_t)(limit > 0 ? limit : 1));
	member_page p = {a, out, limit, {0}, 0};
	rc = list_query(db, f, root, upper, c, limit + 1, big, add_member, &p, e);
	if (!rc)
		out->next = p.more && p.next.data ? zb_arena_strdup(a, p.next.data) : NULL;
	zb_buf_release(&p.next);
	return rc;
}
