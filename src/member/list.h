/* list.h - the roster of a subtree, page by page: filters, name search
 * (全拼, 首字母, Chinese prefix, a whole ID number through the blind
 * index) and the cursor of the next page.  Ordered as everywhere (org
 * path, ICU sort key of the name, id). */
#ifndef ZB_MEMBER_LIST_H
#define ZB_MEMBER_LIST_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

struct zb_keys;

/* The filters of a roster query, shared by the page and the count.  The
 * codes are the stored ones (zb_category_from ...), dates YYYY-MM-DD;
 * NULL: no filter. */
typedef struct zb_member_filter {
	int qmode;                    /* 0 none, 1 ID number, 2 pinyin/initials, 3 name */
	const char *q_lo, *q_hi;      /* prefix range on name_pinyin (and initials for 2) */
	const char *q_name;           /* 3: exact name prefix */
	int64_t q_chars;
	const char *id_index;
	const char *category, *status, *gender, *education;
	const char *born_to, *born_after;   /* birth_date <= born_to, > born_after */
	const char *joined_from, *joined_to;
} zb_member_filter;

/* The search text q (cleaned, may be NULL: no search) into f: a whole ID
 * number (qmode 1: the caller decides whether the lookup counts against
 * its budget, zb_id_lookup_take), letters (2) or Han characters (3).
 * ZB_EINVAL on field "q" for text over 100 bytes or not UTF-8. */
int zb_member_filter_q(zb_member_filter *f, const char *q, const struct zb_keys *k, int today, zb_arena *a,
                       zb_err *e);

/* Where a page starts: after (path, sort key, id); all empty: the first. */
typedef struct zb_member_cursor {
	const char *path;
	const void *key;
	size_t keylen;
	int64_t id;
} zb_member_cursor;
/* ?after= is "<hex org_path>.<hex sort key>.<id>" as a page's next gives
 * it; NULL or "": the first page.  ZB_EINVAL on field "after". */
int zb_member_cursor_parse(zb_arena *a, const char *s, zb_member_cursor *c, zb_err *e);

typedef struct zb_member_page {
	zb_member *items;
	int64_t n;
	int64_t total;        /* members matching the filters in the subtree */
	const char *next;     /* cursor of the next page, NULL on the last */
} zb_member_page;
/* At most limit members of the subtree of org_id (at path) matching f,
 * after c.  In a. */
int zb_member_list(zb_db *db, int64_t org_id, const char *path, const zb_member_filter *f,
                   const zb_member_cursor *c, int64_t limit, zb_arena *a, zb_member_page *out, zb_err *e);

#endif
