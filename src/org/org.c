/* org.c - the org tree as it is: type and domain code tables, reading
 * orgs, their children, the caller's roots, search.  Changes of the tree
 * are in tree.c.  Calls nothing else in org/. */
#include "org/org.h"
#include "auth/authz.h"
#include "core/buf.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *name;
	int branch;
} types[] = {
	{"committee", "党委", 0},       {"general_branch", "党总支", 0}, {"branch", "党支部", 1},
	{"joint_branch", "联合党支部", 1}, {"temp_branch", "临时党支部", 1}, {"online_branch", "网络支部", 1},
	{"group", "党小组", 1},
};

static const struct {
	const char *code, *name;
} domains[] = {
	{"rural", "农村"},     {"community", "城市社区"}, {"organ", "机关"},     {"soe", "国有企业"},
	{"private", "非公企业"}, {"social", "社会组织"},  {"university", "高校"}, {"school", "中小学校"},
	{"research", "科研院所"}, {"hospital", "医院"},   {"internet", "互联网企业"}, {"other", "其他"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *zb_org_type_name(const char *code)
{
	for (size_t i = 0; code && i < N(types); i++)
		if (!strcmp(types[i].code, code))
			return types[i].name;
	return NULL;
}

const char *zb_org_type_from(const char *s)
{
	for (size_t i = 0; s && i < N(types); i++)
		if (!strcmp(types[i].code, s) || !strcmp(types[i].name, s))
			return types[i].code;
	return NULL;
}

int zb_org_type_is_branch(const char *code)
{
	for (size_t i = 0; code && i < N(types); i++)
		if (!strcmp(types[i].code, code))
			return types[i].branch;
	return 0;
}

const char *zb_org_domain_name(const char *code)
{
	for (size_t i = 0; code && i < N(domains); i++)
		if (!strcmp(domains[i].code, code))
			return domains[i].name;
	return NULL;
}

const char *zb_org_domain_from(const char *s)
{
	for (size_t i = 0; s && i < N(domains); i++)
		if (!strcmp(domains[i].code, s) || !strcmp(domains[i].name, s))
			return domains[i].code;
	return NULL;
}

void zb_org_read(zb_stmt *st, int c, zb_arena *a, zb_org *o)
{
	memset(o, 0, sizeof *o);
	o->id = zb_col_int(st, c + 0);
	o->parent_id = zb_col_int(st, c + 1);
	o->path = zb_arena_strdup(a, zb_col_text(st, c + 2));
	o->depth = (int)zb_col_int(st, c + 3);
	o->name = zb_arena_strdup(a, zb_col_text(st, c + 4));
	o->short_name = zb_arena_strdup(a, zb_col_text(st, c + 5));
	o->code = zb_arena_strdup(a, zb_col_text(st, c + 6));
	o->type = zb_arena_strdup(a, zb_col_text(st, c + 7));
	o->domain = zb_arena_strdup(a, zb_col_text(st, c + 8));
	o->founded_on = zb_arena_strdup(a, zb_col_text(st, c + 9));
	o->address = zb_arena_strdup(a, zb_col_text(st, c + 10));
	o->contact = zb_arena_strdup(a, zb_col_text(st, c + 11));
	o->dissolved_on = zb_arena_strdup(a, zb_col_text(st, c + 12));
	o->created_at = zb_col_int(st, c + 13);
	o->updated_at = zb_col_int(st, c + 14);
}

typedef struct org_one {
	zb_arena *a;
	zb_org *o;
} org_one;

static void read_org(zb_stmt *st, void *ctx)
{
	org_one *r = ctx;
	zb_org_read(st, 0, r->a, r->o);
}

static int get_where(zb_db *db, const char *sql, const char *fmt, const void *arg, zb_arena *a, zb_org *o, zb_err *e)
{
	org_one r = {a, o};
	return fmt[0] == 'i' ? zb_db_one(db, e, "未找到该组织", read_org, &r, sql, "i", *(const int64_t *)arg)
	                     : zb_db_one(db, e, "未找到该组织", read_org, &r, sql, "s", (const char *)arg);
}

int zb_org_get(zb_db *db, int64_t id, zb_arena *a, zb_org *o, zb_err *e)
{
	return get_where(db, "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.id = ?", "i", &id, a, o, e);
}

int zb_org_is_village(zb_db *db, int64_t org_id, int *yes, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_int(db, e, &n,
	                   "SELECT COUNT(*) FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.id = ? AND " ZB_ORG_VILLAGE("o", "p"),
	                   "i", org_id);
	*yes = !rc && n > 0;
	return rc;
}

int zb_org_get_by_code(zb_db *db, const char *code, zb_arena *a, zb_org *o, zb_err *e)
{
	return get_where(db, "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.code = ?", "s", code, a, o, e);
}

int zb_org_child_count(zb_db *db, int64_t id, int64_t *n, zb_err *e)
{
	return zb_db_int(db, e, n, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", "i", id);
}

/* The arena array that rows of "SELECT " ZB_ORG_COLS ", child count[,
 * parent name]" are appended to. */
typedef struct org_items {
	zb_arena *a;
	int with_parent;
	zb_org_item **rows;
	int *n;
	size_t cap;
} org_items;

static int add_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	org_items *l = ctx;
	ZB_AGROW(l->a, *l->rows, (size_t)*l->n, l->cap);
	zb_org_item *it = &(*l->rows)[(*l->n)++];
	memset(it, 0, sizeof *it);
	zb_org_read(st, 0, l->a, &it->org);
	it->child_count = zb_col_int(st, 15);
	if (l->with_parent)
		it->parent_name = zb_arena_strdup(l->a, zb_col_text(st, 16));
	return 0;
}

#define CHILD_COUNT "(SELECT COUNT(*) FROM orgs c WHERE c.parent_id = o.id)"

int zb_org_roots(zb_db *db, const char *const *paths, int npaths, zb_arena *a, zb_org_item **items, int *n, zb_err *e)
{
	*items = NULL;
	*n = 0;
	org_items l = {a, 0, items, n, 0};
	int rc = 0;
	for (int i = 0; !rc && i < npaths; i++)
		rc = zb_db_each(db, e, add_item, &l, "SELECT " ZB_ORG_COLS ", " CHILD_COUNT " FROM orgs o WHERE o.path = ?",
		                "s", paths[i]);
	return rc;
}

int zb_org_children(zb_db *db, int64_t parent_id, int live_only, zb_arena *a, zb_org_item **items, int *n, zb_err *e)
{
	*items = NULL;
	*n = 0;
	org_items l = {a, 0, items, n, 0};
	return live_only ? zb_db_each(db, e, add_item, &l,
	                              "SELECT " ZB_ORG_COLS ", " CHILD_COUNT " FROM orgs o WHERE o.parent_id = ? "
	                              "AND o.dissolved_on IS NULL ORDER BY o.sort_order, o.id LIMIT 1000",
	                              "i", parent_id)
	                 : zb_db_each(db, e, add_item, &l,
	                              "SELECT " ZB_ORG_COLS ", " CHILD_COUNT " FROM orgs o WHERE o.parent_id = ? "
	                              "ORDER BY o.sort_order, o.id",
	                              "i", parent_id);
}

static int cmp_org_id(const void *x, const void *y)
{
	int64_t a = ((const zb_org *)x)->id, b = ((const zb_org *)y)->id;
	return a < b ? -1 : a > b;
}

typedef struct org_many {
	zb_arena *a;
	zb_org *rows; /* room for max */
	int *n, max;
} org_many;

static int add_org(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	org_many *m = ctx;
	if (*m->n < m->max)
		zb_org_read(st, 0, m->a, &m->rows[(*m->n)++]);
	return 0;
}

int zb_org_get_many(zb_db *db, const int64_t *ids, int n, zb_arena *a, zb_org **out, int *nout, zb_err *e)
{
	*out = zb_arena_alloc(a, sizeof **out * (size_t)(n ? n : 1));
	*nout = 0;
	if (!n)
		return 0;
	int pg = zb_db_backend(db) == ZB_DB_PG;
	zb_buf b;
	zb_buf_init(&b, (size_t)n * 22 + 3);
	zb_buf_putc(&b, pg ? '{' : '[');
	for (int i = 0; i < n; i++)
		zb_buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	zb_buf_putc(&b, pg ? '}' : ']');
	org_many m = {a, *out, nout, n};
	int rc = pg ? zb_db_each(db, e, add_org, &m,
	                         "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.id = ANY(CAST(? AS BIGINT[]))", "s", b.data)
	            : zb_db_each(db, e, add_org, &m,
	                         "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.id IN (SELECT value FROM json_each(?))", "s",
	                         b.data);
	zb_buf_release(&b);
	if (rc)
		return rc;
	qsort(*out, (size_t)*nout, sizeof **out, cmp_org_id);
	return 0;
}

const zb_org *zb_org_find(const zb_org *orgs, int n, int64_t id)
{
	zb_org key = {.id = id};
	return bsearch(&key, orgs, (size_t)n, sizeof key, cmp_org_id);
}

#define MAX_TRAIL 32

/* The trail of every item: the names along its path that who may read
 * (org.read; NULL who: all), joined by " / ", NULL if none - the names of
 * the whole set from one statement. */
static int trails(zb_db *db, const zb_principal *who, zb_org_item *items, int n, zb_arena *a, zb_err *e)
{
	int64_t *ids = zb_arena_alloc(a, sizeof *ids * (size_t)(n ? n : 1) * MAX_TRAIL);
	int nids = 0;
	for (int i = 0; i < n; i++) {
		const char *path = items[i].org.path;
		for (const char *p = path ? path + 1 : ""; *p;) {
			const char *slash = strchr(p, '/');
			if (!slash)
				break;
			const char *prefix = zb_arena_strndup(a, path, (size_t)(slash - path) + 1);
			int64_t id = strtoll(p, NULL, 10);
			p = slash + 1;
			if ((!who || zb_authz_allows(who, P_ORG_READ, prefix)) && nids < n * MAX_TRAIL)
				ids[nids++] = id;
		}
	}
	zb_org *orgs;
	int norgs;
	int rc = zb_org_get_many(db, ids, nids, a, &orgs, &norgs, e);
	for (int i = 0; !rc && i < n; i++) {
		zb_buf b = {0};
		const char *path = items[i].org.path;
		for (const char *p = path ? path + 1 : ""; *p;) {
			const char *slash = strchr(p, '/');
			if (!slash)
				break;
			const char *prefix = zb_arena_strndup(a, path, (size_t)(slash - path) + 1);
			int64_t id = strtoll(p, NULL, 10);
			p = slash + 1;
			if (who && !zb_authz_allows(who, P_ORG_READ, prefix))
				continue;
			const zb_org *hit = zb_org_find(orgs, norgs, id);
			if (!hit)
				continue;
			if (b.len)
				zb_buf_puts(&b, " / ");
			zb_buf_puts(&b, hit->name);
		}
		items[i].trail = b.len ? zb_arena_strndup(a, b.data, b.len) : NULL;
		zb_buf_release(&b);
	}
	return rc;
}

int zb_org_search(zb_db *db, const zb_principal *who, const char *q, int64_t under, int64_t limit, zb_arena *a,
                  zb_org_item **items, int *n, zb_err *e)
{
	*items = NULL;
	*n = 0;
	const char *under_path = NULL;
	if (under) {
		zb_org u;
		if (zb_org_get(db, under, a, &u, e) || !zb_authz_allows(who, P_ORG_READ, u.path))
			return zb_fail(e, ZB_ENOTFOUND, "under", "未找到该组织，或不在您的管理范围内");
		under_path = u.path;
	}
	/* escape LIKE wildcards in the user's text */
	zb_buf pat;
	zb_buf_init(&pat, 512);
	zb_buf_putc(&pat, '%');
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			zb_buf_putc(&pat, '\\');
		zb_buf_putc(&pat, *p);
	}
	zb_buf_putc(&pat, '%');
	const char *like = zb_arena_strdup(a, pat.data);
	zb_buf_release(&pat);

	const char **roots;
	int nroots = zb_authz_roots(who, P_ORG_READ, a, &roots), rc = 0;
	org_items l = {a, 1, items, n, 0};
	for (int i = 0; !rc && i < nroots && *n < limit; i++) {
		const char *root = roots[i];
		if (under_path) {
			if (zb_path_within(under_path, root))
				root = under_path;             /* narrower: search under it */
			else if (!zb_path_within(root, under_path))
				continue;                      /* disjoint */
		}
		char upper[600];
		zb_path_upper(root, upper, sizeof upper);
		rc = zb_db_each(db, e, add_item, &l,
		                "SELECT " ZB_ORG_COLS ", " CHILD_COUNT ", "
		                "(SELECT p.name FROM orgs p WHERE p.id = o.parent_id) "
		                "FROM orgs o WHERE o.path >= ? AND o.path < ? AND (o.name LIKE ? ESCAPE '\\' "
		                "OR o.short_name LIKE ? ESCAPE '\\' OR o.code = ?) ORDER BY o.depth, o.path LIMIT ?",
		                "sssssi", root, upper, like, like, q, limit - *n);
		if (under_path && root == under_path)
			break;
	}
	return rc ? rc : trails(db, who, *items, *n, a, e);
}
