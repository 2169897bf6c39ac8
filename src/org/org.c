#include "org/org.h"
#include "org/structure.h"

#include <stdio.h>
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

static int get_where(zb_db *db, const char *sql, const char *fmt, const void *arg, zb_arena *a, zb_org *o, zb_err *e)
{
	zb_stmt *st = fmt[0] == 'i' ? zb_db_query(db, e, sql, "i", *(const int64_t *)arg)
	                            : zb_db_query(db, e, sql, "s", (const char *)arg);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		zb_org_read(st, 0, a, o);
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return rc ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该组织");
}

int zb_org_get(zb_db *db, int64_t id, zb_arena *a, zb_org *o, zb_err *e)
{
	return get_where(db, "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.id = ?", "i", &id, a, o, e);
}

int zb_org_get_by_code(zb_db *db, const char *code, zb_arena *a, zb_org *o, zb_err *e)
{
	return get_where(db, "SELECT " ZB_ORG_COLS " FROM orgs o WHERE o.code = ?", "s", code, a, o, e);
}

int zb_org_insert(zb_db *db, int64_t now, int64_t parent_id, const zb_org *in, int64_t *id, zb_err *e)
{
	char ppath[512] = "/", ptype[32] = "";
	int64_t depth = 0;
	if (parent_id) {
		zb_stmt *st = zb_db_query(db, e, "SELECT path, depth, dissolved_on, type FROM orgs WHERE id = ?", "i", parent_id);
		if (!st)
			return e->code;
		int rc = zb_stmt_step(st, e);
		int dissolved = rc == 1 && !zb_col_is_null(st, 2);
		if (rc == 1) {
			snprintf(ppath, sizeof ppath, "%s", zb_col_text(st, 0));
			depth = zb_col_int(st, 1) + 1;
			snprintf(ptype, sizeof ptype, "%s", zb_col_text(st, 3));
		}
		zb_stmt_done(st);
		if (rc < 0)
			return -rc;
		if (!rc)
			return zb_fail(e, ZB_ENOTFOUND, "parent_id", "上级组织不存在");
		if (dissolved)
			return zb_fail(e, ZB_ECONFLICT, "parent_id", "上级组织已撤销，不能再新建下级组织");
		if (strlen(ppath) > 400)
			return zb_fail(e, ZB_EINVAL, "parent_id", "组织层级过深");
	}
	int nrc = zb_org_nesting_check(parent_id ? ptype : NULL, in->type, "type", e);
	if (nrc)
		return nrc;
	/* the path needs the new id: insert with a unique temporary path first */
	char tmp[600];
	snprintf(tmp, sizeof tmp, "%snew-%lld-%p", ppath, (long long)now, (void *)in);
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO orgs (parent_id, path, depth, name, short_name, code, type, domain, founded_on, "
	                   "address, contact, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "Isissssssssii", parent_id, tmp, depth, in->name, in->short_name, in->code,
	                   in->type, in->domain, in->founded_on, in->address, in->contact, now, now);
	if (rc == ZB_ECONFLICT && in->code)
		return zb_fail(e, ZB_ECONFLICT, "code", "组织编码 %s 已被使用", in->code);
	if (rc)
		return rc;
	char path[600];
	snprintf(path, sizeof path, "%s%lld/", ppath, (long long)*id);
	if ((rc = zb_db_run(db, e, NULL, "UPDATE orgs SET path = ? WHERE id = ?", "si", path, *id)))
		return rc;
	return zb_org_after_insert(db, *id, e); /* roll-ups and warnings */
}
