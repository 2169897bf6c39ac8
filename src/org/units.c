/* units.c - writing economic and social units (and so their coverage),
 * listing them, and 党建联合体 (alliances of several orgs).  A unit write
 * runs the counts ('unit', 'unit_cov') and then the structure warnings of
 * the orgs it is located at or covered by; the *_audited forms and the
 * alliance writes run in a transaction of their own with their audit row. */
#include "org/structure.h"
#include "core/grow.h"

#include <stdio.h>
#include <string.h>

/* One text column of an org and whether it is dissolved. */
typedef struct org_text {
	char *out;
	size_t n;
	int dissolved;
} org_text;

static void read_org_text(zb_stmt *st, void *ctx)
{
	org_text *o = ctx;
	snprintf(o->out, o->n, "%s", zb_col_text(st, 0));
	o->dissolved = !zb_col_is_null(st, 1);
}

/* Validate in; fill *path with the located org's path. */
static int check_unit(zb_db *db, const zb_unit *in, char *path, size_t psz, zb_err *e)
{
	if (!in->name || !*in->name)
		return zb_fail(e, ZB_EINVAL, "name", "单位名称不能为空");
	if (!in->kind || !zb_unit_kind_name(in->kind))
		return zb_fail(e, ZB_EINVAL, "kind", "单位类别无效：应为 enterprise（企业）、social_org（社会组织）或 other（其他）");
	if (!in->coverage || !zb_coverage_from(in->coverage))
		return zb_fail(e, ZB_EINVAL, "coverage",
		               "覆盖方式无效：应为 single（单独建）、joint（联合建）、attached（挂靠建）或 none（未覆盖）");
	if (in->staff_count < 0)
		return zb_fail(e, ZB_EINVAL, "staff_count", "职工人数不能为负数");
	if (in->party_members < 0)
		return zb_fail(e, ZB_EINVAL, "party_members", "党员人数不能为负数");
	if (in->full_members < 0 || in->full_members > in->party_members)
		return zb_fail(e, ZB_EINVAL, "full_members", "正式党员人数（%lld）应在 0 到党员人数（%lld）之间",
		               (long long)in->full_members, (long long)in->party_members);
	org_text o = {path, psz, 0};
	int rc = zb_db_one(db, e, NULL, read_org_text, &o, "SELECT path, dissolved_on FROM orgs WHERE id = ?", "i",
	                   in->org_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所属组织不存在");
	if (rc)
		return rc;
	if (o.dissolved)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "所属组织已撤销");
	if (!strcmp(in->coverage, "none")) {
		if (in->covering_org_id)
			return zb_fail(e, ZB_EINVAL, "covering_org_id", "未覆盖的单位不应填写覆盖组织");
		return 0;
	}
	if (!in->covering_org_id)
		return zb_fail(e, ZB_EINVAL, "covering_org_id", "请填写覆盖该单位的党组织（covering_org_id）");
	char type[40] = "";
	o = (org_text){type, sizeof type, 0};
	rc = zb_db_one(db, e, NULL, read_org_text, &o, "SELECT type, dissolved_on FROM orgs WHERE id = ?", "i",
	               in->covering_org_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "covering_org_id", "覆盖组织不存在");
	if (rc)
		return rc;
	if (o.dissolved)
		return zb_fail(e, ZB_ECONFLICT, "covering_org_id", "覆盖组织已撤销");
	if (!strcmp(in->coverage, "joint") && strcmp(type, "joint_branch"))
		return zb_fail(e, ZB_EINVAL, "covering_org_id", "联合建的单位应由联合党支部覆盖，所选组织是%s", zb_org_type_name(type));
	if (!strcmp(type, "group"))
		return zb_fail(e, ZB_EINVAL, "covering_org_id", "党小组不能覆盖单位");
	return 0;
}

static int unit_counts(zb_db *db, const char *path, const char *kind, const char *coverage, int64_t d, zb_err *e)
{
	char kc[100], key[48];
	snprintf(kc, sizeof kc, "%s/%s", kind, coverage);
	zb_counts_key(kc, key);
	int rc = zb_counts_touch(db, e);
	if (!rc)
		rc = zb_counts_add(db, path, "unit", kind, d, e);
	return rc ? rc : zb_counts_add(db, path, "unit_cov", key, d, e);
}

static int refresh_for(zb_db *db, const zb_unit *u, zb_err *e)
{
	int rc = zb_org_warn_refresh(db, u->org_id, e);
	if (!rc && u->covering_org_id && u->covering_org_id != u->org_id)
		rc = zb_org_warn_refresh(db, u->covering_org_id, e);
	return rc;
}

int zb_unit_insert(zb_db *db, const zb_unit *in, int64_t now, int64_t *id, zb_err *e)
{
	char path[600];
	int rc = check_unit(db, in, path, sizeof path, e);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO units (name, kind, subkind, credit_code, staff_count, party_members, full_members, "
		               "coverage, covering_org_id, org_id, org_path, address, remarks, created_at, updated_at) "
		               "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
		               "ssssiiisIisssii", in->name, in->kind, in->subkind, in->credit_code, in->staff_count,
		               in->party_members, in->full_members, in->coverage, in->covering_org_id, in->org_id, path,
		               in->address, in->remarks, now, now);
	if (!rc)
		rc = unit_counts(db, path, in->kind, in->coverage, 1, e);
	if (!rc)
		rc = refresh_for(db, in, e);
	return rc;
}

int zb_unit_update(zb_db *db, int64_t id, const zb_unit *in, int64_t now, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_unit old;
	char path[600];
	int rc = zb_unit_get(db, id, &a, &old, e);
	if (!rc)
		rc = check_unit(db, in, path, sizeof path, e);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE units SET name = ?, kind = ?, subkind = ?, credit_code = ?, staff_count = ?, "
		               "party_members = ?, full_members = ?, coverage = ?, covering_org_id = ?, org_id = ?, "
		               "org_path = ?, address = ?, remarks = ?, updated_at = ? WHERE id = ?",
		               "ssssiiisIisssii", in->name, in->kind, in->subkind, in->credit_code, in->staff_count,
		               in->party_members, in->full_members, in->coverage, in->covering_org_id, in->org_id, path,
		               in->address, in->remarks, now, id);
	if (!rc)
		rc = unit_counts(db, old.org_path, old.kind, old.coverage, -1, e);
	if (!rc)
		rc = unit_counts(db, path, in->kind, in->coverage, 1, e);
	if (!rc)
		rc = refresh_for(db, &old, e);
	if (!rc)
		rc = refresh_for(db, in, e);
	zb_arena_free(&a);
	return rc;
}

/* A page of units: up to limit rows; a row beyond them sets *more. */
typedef struct unit_page {
	zb_arena *a;
	zb_unit *rows;
	int *n;
	int64_t limit;
	int *more;
} unit_page;

static int add_unit(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	unit_page *p = ctx;
	if (*p->n < p->limit)
		zb_unit_read(st, p->a, &p->rows[(*p->n)++]);
	else
		*p->more = 1;
	return 0;
}

int zb_unit_list(zb_db *db, const char *path, int64_t after, const char *kind, const char *coverage, int64_t limit,
                 zb_arena *a, zb_unit **items, int *n, int *more, zb_err *e)
{
	*items = zb_arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*n = 0;
	*more = 0;
	char upper[600];
	zb_path_upper(path, upper, sizeof upper);
	unit_page p = {a, *items, n, limit, more};
	return zb_db_each(db, e, add_unit, &p,
	                  "SELECT " ZB_UNIT_COLS ZB_UNIT_FROM " WHERE u.org_path >= ? AND u.org_path < ? AND u.id > ? "
	                  "AND (CAST(? AS TEXT) IS NULL OR u.kind = ?) AND (CAST(? AS TEXT) IS NULL OR u.coverage = ?) "
	                  "ORDER BY u.id LIMIT ?",
	                  "ssissssi", path, upper, after, kind, kind, coverage, coverage, limit + 1);
}

/* The audit detail of a unit write. */
static const char *unit_detail(const zb_unit *u, zb_arena *a)
{
	zb_org_detail d;
	zb_org_detail_begin(&d);
	jw_kstr(&d.w, "name", u->name);
	jw_kstr(&d.w, "kind", u->kind);
	jw_kstr(&d.w, "coverage", u->coverage);
	jw_kint(&d.w, "covering_org_id", u->covering_org_id);
	jw_kint(&d.w, "org_id", u->org_id);
	jw_kint(&d.w, "full_members", u->full_members);
	return zb_org_detail_end(&d, a);
}

int zb_unit_insert_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_unit *in, const char *path,
                           zb_arena *a, int64_t *id, zb_err *e)
{
	*id = 0;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_unit_insert(db, in, zb_now(app), id, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "unit.create", "unit", *id, path, unit_detail(in, a), e);
	return zb_db_end(db, rc, e);
}

int zb_unit_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_unit *in,
                           const char *path, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_unit_update(db, id, in, zb_now(app), e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "unit.update", "unit", id, path, unit_detail(in, a), e);
	return zb_db_end(db, rc, e);
}

/* ---- alliances ---- */

typedef struct alliance_rows {
	zb_arena *a;
	zb_alliance *one; /* zb_alliance_get */
	size_t n, cap;
	zb_alliance *rows; /* zb_alliance_list */
} alliance_rows;

/* id, name, org_id, org name, theme, founded_on */
static void alliance_read(zb_stmt *st, zb_arena *a, zb_alliance *x)
{
	x->id = zb_col_int(st, 0);
	x->name = zb_arena_strdup(a, zb_col_text(st, 1));
	x->org_id = zb_col_int(st, 2);
	x->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	x->theme = zb_arena_strdup(a, zb_col_text(st, 4));
	x->founded_on = zb_arena_strdup(a, zb_col_text(st, 5));
}

static void read_alliance(zb_stmt *st, void *ctx)
{
	alliance_rows *l = ctx;
	alliance_read(st, l->a, l->one);
}

static int add_alliance_member(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	alliance_rows *l = ctx;
	zb_alliance *out = l->one;
	ZB_AGROW(l->a, out->members, l->n, l->cap);
	zb_alliance_member *m = &out->members[l->n++];
	m->org_id = zb_col_int(st, 0);
	m->org_name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	m->org_type = zb_arena_strdup(l->a, zb_col_text(st, 2));
	m->role = zb_arena_strdup(l->a, zb_col_text(st, 3));
	m->joined_on = zb_arena_strdup(l->a, zb_col_text(st, 4));
	return 0;
}

int zb_alliance_get(zb_db *db, int64_t id, zb_arena *a, zb_alliance *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	alliance_rows l = {.a = a, .one = out};
	int rc = zb_db_one(db, e, "未找到该联合体", read_alliance, &l,
	                   "SELECT a.id, a.name, a.org_id, o.name, a.theme, a.founded_on FROM alliances a "
	                   "JOIN orgs o ON o.id = a.org_id WHERE a.id = ?",
	                   "i", id);
	if (rc)
		return rc;
	rc = zb_db_each(db, e, add_alliance_member, &l,
	                "SELECT m.org_id, o.name, o.type, m.role, m.joined_on FROM alliance_members m "
	                "JOIN orgs o ON o.id = m.org_id WHERE m.alliance_id = ? ORDER BY m.joined_on, m.org_id",
	                "i", id);
	out->member_count = out->nmembers = (int)l.n;
	return rc;
}

static int add_alliance(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	alliance_rows *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_alliance *x = &l->rows[l->n++];
	memset(x, 0, sizeof *x);
	alliance_read(st, l->a, x);
	x->member_count = zb_col_int(st, 6);
	return 0;
}

int zb_alliance_list(zb_db *db, const zb_principal *who, zb_arena *a, zb_alliance **items, int *n, zb_err *e)
{
	const char **roots;
	int nroots = zb_authz_roots(who, P_ORG_READ, a, &roots), rc = 0;
	alliance_rows l = {.a = a};
	for (int i = 0; !rc && i < nroots; i++) {
		char upper[600];
		zb_path_upper(roots[i], upper, sizeof upper);
		rc = zb_db_each(db, e, add_alliance, &l,
		                "SELECT a.id, a.name, a.org_id, o.name, a.theme, a.founded_on, "
		                "(SELECT COUNT(*) FROM alliance_members m WHERE m.alliance_id = a.id) "
		                "FROM alliances a JOIN orgs o ON o.id = a.org_id "
		                "WHERE a.org_path >= ? AND a.org_path < ? ORDER BY a.id LIMIT 1000",
		                "ss", roots[i], upper);
	}
	*items = l.rows;
	*n = (int)l.n;
	return rc;
}

/* Add org_id (o: its row, NULL if there is none) to an alliance: an org
 * who can see, not dissolved, not a member yet (have). */
static int add_member(zb_db *db, const zb_principal *who, int64_t alliance, int64_t org_id, const zb_org *o, int have,
                      const char *role, const char *joined, zb_err *e)
{
	if (!o || !zb_authz_allows(who, P_ORG_READ, o->path))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到组织 %lld，或不在您的管理范围内", (long long)org_id);
	if (o->dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "“%s”已撤销", o->name);
	if (have)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "“%s”已是该联合体成员", o->name);
	return zb_db_run(db, e, NULL, "INSERT INTO alliance_members (alliance_id, org_id, role, joined_on) VALUES (?,?,?,?)",
	                 "iiss", alliance, org_id, role, joined);
}

int zb_alliance_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id,
                       const char *path, const char *name, const char *theme, const char *founded_on,
                       const int64_t *member_ids, int nmembers, zb_arena *a, int64_t *id, zb_err *e)
{
	*id = 0;
	/* the lead org and every member org, read in one statement */
	int64_t *ids = zb_arena_alloc(a, sizeof *ids * (size_t)(nmembers + 1));
	ids[0] = org_id;
	for (int i = 0; i < nmembers; i++)
		ids[i + 1] = member_ids[i];
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	zb_org *orgs;
	int norgs;
	rc = zb_org_get_many(db, ids, nmembers + 1, a, &orgs, &norgs, e);
	int64_t now = zb_now(app);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO alliances (name, org_id, org_path, theme, founded_on, created_at, updated_at) "
		               "VALUES (?,?,?,?,?,?,?) RETURNING id",
		               "sisssii", name, org_id, path, theme, founded_on, now, now);
	/* the lead org is the first member */
	if (!rc)
		rc = add_member(db, who, *id, org_id, zb_org_find(orgs, norgs, org_id), 0, "牵头单位", founded_on, e);
	for (int i = 0; !rc && i < nmembers; i++) {
		if (member_ids[i] == org_id)
			continue;
		int have = 0; /* added earlier in this list (the lead is skipped above) */
		for (int j = 0; j < i && !have; j++)
			have = member_ids[j] == member_ids[i];
		rc = add_member(db, who, *id, member_ids[i], zb_org_find(orgs, norgs, member_ids[i]), have, "成员单位",
		                founded_on, e);
		if (rc)
			snprintf(e->field, sizeof e->field, "member_org_ids");
	}
	if (!rc)
		rc = zb_audit_change(db, app, by, "alliance.create", "alliance", *id, path, NULL, e);
	return zb_db_end(db, rc, e);
}

int zb_alliance_add_member(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t alliance,
                           const char *path, int64_t org_id, const char *role, const char *joined_on, zb_arena *a,
                           zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	zb_org o;
	int64_t have = 0;
	rc = zb_org_get(db, org_id, a, &o, e);
	int found = !rc;
	if (rc == ZB_ENOTFOUND)
		rc = 0;
	if (!rc && found)
		rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM alliance_members WHERE alliance_id = ? AND org_id = ?", "ii",
		               alliance, org_id);
	if (!rc)
		rc = add_member(db, who, alliance, org_id, found ? &o : NULL, have != 0, role, joined_on, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "alliance.member_add", "alliance", alliance, path,
		                  zb_arena_printf(a, "{\"org_id\":%lld}", (long long)org_id), e);
	return zb_db_end(db, rc, e);
}

int zb_alliance_remove_member(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t alliance, const char *path,
                              int64_t org_id, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	int64_t changes = 0;
	rc = zb_db_run(db, e, &changes, "DELETE FROM alliance_members WHERE alliance_id = ? AND org_id = ?", "ii", alliance,
	               org_id);
	if (!rc && !changes)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "该组织不是联合体成员");
	if (!rc)
		rc = zb_audit_change(db, app, by, "alliance.member_remove", "alliance", alliance, path,
		                  zb_arena_printf(a, "{\"org_id\":%lld}", (long long)org_id), e);
	return zb_db_end(db, rc, e);
}
