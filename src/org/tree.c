/* tree.c - changes of the org tree that the roll-ups must follow: a new
 * org, a changed type or domain, moving a subtree, dissolving an org.
 * Each runs the counts (counts.c) and then the warnings (warnings.c) it
 * sets off; the *_audited forms add the transaction and its audit row. */
#include "org/structure.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "rules/rules.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 32

/* ---- nesting ---- */

static int is_branch_kind(const char *t)
{
	return t && strcmp(t, "group") && zb_org_type_is_branch(t);
}

/* The one table of which type may sit under which: 党小组 only inside a
 * 党支部 (支部条例 第十三条: 党支部...应当划分若干党小组); a 党支部 of any
 * kind under a 党委 or 党总支; a 党总支 under a 党委; a 党委 under a 党委
 * (党章 第三十条: 根据工作需要和党员人数...分别设立党的基层委员会、总支部
 * 委员会、支部委员会 - the three levels nest in that order). */
int zb_org_nesting_check(const char *parent_type, const char *type, const char *field, zb_err *e)
{
	const char *tn = zb_org_type_name(type), *pn = zb_org_type_name(parent_type);
	if (!tn)
		return zb_fail(e, ZB_EINVAL, "type", "组织类型无效：%s", type ? type : "");
	if (!parent_type) {
		if (strcmp(type, "committee"))
			return zb_fail(e, ZB_EINVAL, field, "根组织应为党委，不能是%s", tn);
		return 0;
	}
	int ok;
	const char *rule;
	if (!strcmp(type, "group")) {
		ok = is_branch_kind(parent_type);
		rule = "党小组只能设在党支部（含联合党支部、临时党支部、网络支部）之内（支部条例第十三条）";
	} else if (is_branch_kind(type)) {
		ok = !strcmp(parent_type, "committee") || !strcmp(parent_type, "general_branch");
		rule = "党支部只能隶属于党委或党总支";
	} else if (!strcmp(type, "general_branch")) {
		ok = !strcmp(parent_type, "committee");
		rule = "党总支只能隶属于党委";
	} else {
		ok = !strcmp(parent_type, "committee");
		rule = "党委只能隶属于党委";
	}
	if (!ok)
		return zb_fail(e, ZB_EINVAL, field, "%s之下不能设%s：%s", pn ? pn : parent_type, tn, rule);
	return 0;
}

/* A live child (type, name) of an org about to become of type ctx. */
static int check_child(zb_stmt *st, void *ctx, zb_err *e)
{
	const char *type = ctx, *child = zb_col_text(st, 0);
	zb_err e2 = {0};
	if (!zb_org_nesting_check(type, child, "type", &e2))
		return 0;
	return zb_fail(e, ZB_EINVAL, "type", "不能改为%s：下级组织“%s”是%s，而%s之下不能设%s", zb_org_type_name(type),
	               zb_col_text(st, 1), zb_org_type_name(child), zb_org_type_name(type), zb_org_type_name(child));
}

int zb_org_nesting_check_children(zb_db *db, int64_t org_id, const char *type, zb_err *e)
{
	return zb_db_each(db, e, check_child, (void *)type,
	                  "SELECT type, name FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL ORDER BY id", "i",
	                  org_id);
}

/* Roll-ups and warnings of a new org. */
static int after_insert(zb_db *db, int64_t org_id, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org o;
	int rc = zb_org_get(db, org_id, &a, &o, e);
	if (!rc)
		rc = zb_counts_touch(db, e);
	if (!rc)
		rc = zb_counts_add(db, o.path, "org_type", o.type, 1, e);
	if (!rc)
		rc = zb_counts_add(db, o.path, "org_domain", o.domain ? o.domain : "", 1, e);
	if (!rc)
		rc = zb_org_warn_refresh(db, org_id, e);
	/* a new sub-org can settle the parent's "no branch" warning */
	if (!rc && o.parent_id)
		rc = zb_org_warn_refresh(db, o.parent_id, e);
	zb_arena_free(&a);
	return rc;
}

/* The parent of a new org: path[512], type[32], the new org's depth. */
typedef struct parent_row {
	char *path, *type;
	int64_t depth;
	int dissolved;
} parent_row;

static void read_parent(zb_stmt *st, void *ctx)
{
	parent_row *p = ctx;
	snprintf(p->path, 512, "%s", zb_col_text(st, 0));
	p->depth = zb_col_int(st, 1) + 1;
	p->dissolved = !zb_col_is_null(st, 2);
	snprintf(p->type, 32, "%s", zb_col_text(st, 3));
}

int zb_org_insert(zb_db *db, int64_t now, int64_t parent_id, const zb_org *in, int64_t *id, zb_err *e)
{
	char ppath[512] = "/", ptype[32] = "";
	int64_t depth = 0;
	if (parent_id) {
		parent_row p = {ppath, ptype, 0, 0};
		int rc = zb_db_one(db, e, NULL, read_parent, &p, "SELECT path, depth, dissolved_on, type FROM orgs WHERE id = ?",
		                   "i", parent_id);
		if (rc == ZB_ENOTFOUND)
			return zb_fail(e, ZB_ENOTFOUND, "parent_id", "上级组织不存在");
		if (rc)
			return rc;
		depth = p.depth;
		if (p.dissolved)
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
	return after_insert(db, *id, e); /* roll-ups and warnings */
}

int zb_org_insert_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t parent_id, const zb_org *in,
                          zb_arena *a, zb_org *out, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	int64_t id;
	rc = zb_org_insert(db, zb_now(app), parent_id, in, &id, e);
	if (!rc)
		rc = zb_org_get(db, id, a, out, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "org.create", "org", id, out->path,
		                  zb_arena_printf(a, "{\"parent_id\":%lld}", (long long)parent_id), e);
	return zb_db_end(db, rc, e);
}

/* The stored type, domain and founding date of an org, read before an edit. */
typedef struct org_facts {
	zb_arena *a;
	const char *v[3];
} org_facts;

static void read_org_facts(zb_stmt *st, void *ctx)
{
	org_facts *f = ctx;
	for (int i = 0; i < 3; i++)
		f->v[i] = zb_arena_strdup(f->a, zb_col_text(st, i));
}

/* One org_history row (migration 0040) per fact the edit changes, dated
 * today: the annual statistics of a past date read the old value. */
static int org_history(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_org *o, const org_facts *was,
                       zb_err *e)
{
	static const char *const kinds[3] = {"type", "domain", "founded_on"};
	const char *now_v[3] = {o->type, o->domain, o->founded_on};
	char today[11];
	zb_today(app, today);
	for (int i = 0; i < 3; i++) {
		const char *a = was->v[i] && *was->v[i] ? was->v[i] : NULL, *b = now_v[i] && *now_v[i] ? now_v[i] : NULL;
		if ((!a && !b) || (a && b && !strcmp(a, b)))
			continue;
		int rc = zb_db_run(db, e, NULL,
		                   "INSERT INTO org_history (org_id, kind, old_value, new_value, effective_on, at, by_user) "
		                   "VALUES (?,?,?,?,?,?,?)",
		                   "issssiI", o->id, kinds[i], a, b, today, zb_now(app), by ? by->user_id : 0);
		if (rc)
			return rc;
	}
	return 0;
}

int zb_org_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_org *o, const char *old_type,
                          const char *old_domain, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	zb_arena fa;
	zb_arena_init(&fa);
	org_facts was = {&fa, {NULL, NULL, NULL}};
	rc = zb_db_one(db, e, "未找到该组织", read_org_facts, &was, "SELECT type, domain, founded_on FROM orgs WHERE id = ?",
	               "i", o->id);
	if (!rc)
		rc = org_history(db, app, by, o, &was, e);
	zb_arena_free(&fa);
	if (rc)
		return zb_db_end(db, rc, e);
	rc = zb_db_run(db, e, NULL,
	               "UPDATE orgs SET name = ?, short_name = ?, code = ?, type = ?, domain = ?, founded_on = ?, "
	               "address = ?, contact = ?, updated_at = ? WHERE id = ?",
	               "ssssssssii", o->name, o->short_name, o->code, o->type, o->domain, o->founded_on, o->address,
	               o->contact, zb_now(app), o->id);
	if (rc == ZB_ECONFLICT)
		zb_fail(e, ZB_ECONFLICT, "code", "组织编码 %s 已被使用", o->code ? o->code : "");
	if (!rc)
		rc = zb_org_after_update(db, o->id, old_type, old_domain, e); /* roll-ups, warnings */
	if (!rc)
		rc = zb_audit_change(db, app, by, "org.update", "org", o->id, o->path, NULL, e);
	return zb_db_end(db, rc, e);
}

int zb_org_after_update(zb_db *db, int64_t org_id, const char *old_type, const char *old_domain, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org o, p;
	int rc = zb_org_get(db, org_id, &a, &o, e);
	const char *od = old_domain ? old_domain : "", *nd = o.domain ? o.domain : "";
	/* a new type must fit under the parent and over every sub-org */
	if (!rc && strcmp(old_type, o.type)) {
		rc = o.parent_id ? zb_org_get(db, o.parent_id, &a, &p, e) : 0;
		if (!rc)
			rc = zb_org_nesting_check(o.parent_id ? p.type : NULL, o.type, "type", e);
		if (!rc)
			rc = zb_org_nesting_check_children(db, org_id, o.type, e);
	}
	if (!rc && (strcmp(old_type, o.type) || strcmp(od, nd)))
		rc = zb_counts_touch(db, e);
	if (!rc && strcmp(old_type, o.type)) {
		rc = zb_counts_add(db, o.path, "org_type", old_type, -1, e);
		if (!rc)
			rc = zb_counts_add(db, o.path, "org_type", o.type, 1, e);
	}
	if (!rc && strcmp(od, nd)) {
		rc = zb_counts_add(db, o.path, "org_domain", od, -1, e);
		if (!rc)
			rc = zb_counts_add(db, o.path, "org_domain", nd, 1, e);
	}
	if (!rc && (strcmp(old_type, o.type) || strcmp(od, nd))) {
		rc = zb_org_warn_refresh(db, org_id, e);
		if (!rc && o.parent_id)
			rc = zb_org_warn_refresh(db, o.parent_id, e);
	}
	zb_arena_free(&a);
	return rc;
}

/* What a moved subtree takes with it: its roll-up rows and the year keys
 * (birth, full membership) of the org's own members. */
typedef struct count_row {
	char *dim, *key;
	int64_t n;
} count_row;

typedef struct shifted {
	zb_arena *a;
	count_row *rows;
	size_t nrows, cap;
	char (*keys)[2][8];
	size_t nk, kcap;
} shifted;

static int add_count_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	shifted *s = ctx;
	ZB_AGROW(s->a, s->rows, s->nrows, s->cap);
	count_row *r = &s->rows[s->nrows++];
	r->dim = zb_arena_strdup(s->a, zb_col_text(st, 0));
	r->key = zb_arena_strdup(s->a, zb_col_text(st, 1));
	r->n = zb_col_int(st, 2);
	return 0;
}

static int add_year_keys(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	shifted *s = ctx;
	ZB_AGROW(s->a, s->keys, s->nk, s->kcap);
	zb_counts_year_key(zb_col_text(st, 0), s->keys[s->nk][0]);
	zb_counts_year_key(zb_col_text(st, 1), s->keys[s->nk][1]);
	s->nk++;
	return 0;
}

/* Move the subtree roll-up rows of org (its dims at all levels below and
 * including it) from the ancestors only on old_path to those only on
 * new_path; common ancestors keep their totals. */
static int shift_counts(zb_db *db, int64_t org, const char *old_parent_path, const char *new_parent_path, zb_arena *a,
                        zb_err *e)
{
	int64_t oid[MAX_DEPTH], nid[MAX_DEPTH];
	int no = zb_path_ids(old_parent_path, oid, MAX_DEPTH), nn = zb_path_ids(new_parent_path, nid, MAX_DEPTH);
	int common = 0;
	while (common < no && common < nn && oid[common] == nid[common])
		common++;
	/* the ancestor paths below the common part, as paths for zb_counts_add */
	char *only_old = zb_arena_alloc(a, 600), *only_new = zb_arena_alloc(a, 600);
	size_t lo = 0, ln = 0;
	only_old[0] = only_new[0] = '\0';
	for (int i = common; i < no; i++)
		lo += (size_t)snprintf(only_old + lo, 600 - lo, "/%lld", (long long)oid[i]);
	for (int i = common; i < nn; i++)
		ln += (size_t)snprintf(only_new + ln, 600 - ln, "/%lld", (long long)nid[i]);
	if (lo)
		snprintf(only_old + lo, 600 - lo, "/");
	if (ln)
		snprintf(only_new + ln, 600 - ln, "/");

	shifted s = {.a = a};
	int rc = zb_db_each(db, e, add_count_row, &s, "SELECT dim, key, n FROM org_counts WHERE org_id = ? AND n <> 0", "i",
	                    org);
	if (rc)
		return rc;
	const count_row *rows = s.rows;
	for (size_t i = 0; i < s.nrows; i++) {
		if (lo && (rc = zb_counts_add(db, only_old, rows[i].dim, rows[i].key, -rows[i].n, e)))
			return rc;
		if (ln && (rc = zb_counts_add(db, only_new, rows[i].dim, rows[i].key, rows[i].n, e)))
			return rc;
	}
	/* ages of org's own members are not in its rows (kept from the parent
	 * up, see counts.h): move them too */
	if ((rc = zb_db_each(db, e, add_year_keys, &s,
	                     "SELECT birth_date, full_date FROM members WHERE org_id = ? AND status NOT IN ('removed', 'deceased')",
	                     "i", org)))
		return rc;
	char(*keys)[2][8] = s.keys;
	static const char *const dims[2] = {"birth_year", "full_year"};
	for (size_t i = 0; i < s.nk; i++)
		for (int d = 0; d < 2; d++) {
			if (lo && (rc = zb_counts_add(db, only_old, dims[d], keys[i][d], -1, e)))
				return rc;
			if (ln && (rc = zb_counts_add(db, only_new, dims[d], keys[i][d], 1, e)))
				return rc;
		}
	return 0;
}

int zb_org_move(zb_db *db, int64_t org_id, int64_t new_parent, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org o, p, oldp;
	int rc = zb_org_get(db, org_id, &a, &o, e);
	if (rc)
		goto out;
	if (!o.parent_id) {
		rc = zb_fail(e, ZB_EINVAL, "parent_id", "不能移动根组织");
		goto out;
	}
	if (o.dissolved_on) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该组织已撤销，只能查看");
		goto out;
	}
	if ((rc = zb_org_get(db, new_parent, &a, &p, e))) {
		if (rc == ZB_ENOTFOUND)
			rc = zb_fail(e, ZB_ENOTFOUND, "parent_id", "新的上级组织不存在");
		goto out;
	}
	if (zb_path_within(p.path, o.path)) {
		rc = zb_fail(e, ZB_EINVAL, "parent_id", "不能把“%s”移到它自己或它的下级组织之下", o.name);
		goto out;
	}
	if (p.dissolved_on) {
		rc = zb_fail(e, ZB_ECONFLICT, "parent_id", "新的上级组织“%s”已撤销", p.name);
		goto out;
	}
	if ((rc = zb_org_nesting_check(p.type, o.type, "parent_id", e)))
		goto out;
	if (new_parent == o.parent_id)
		goto out; /* already there */
	if ((rc = zb_org_get(db, o.parent_id, &a, &oldp, e)))
		goto out;
	char np[600], upper[600];
	int n = snprintf(np, sizeof np, "%s%lld/", p.path, (long long)org_id);
	int64_t maxdepth = 0;
	zb_path_upper(o.path, upper, sizeof upper);
	if ((rc = zb_db_int(db, e, &maxdepth, "SELECT COALESCE(MAX(LENGTH(path)), 0) FROM orgs WHERE path >= ? AND path < ?",
	                    "ss", o.path, upper)))
		goto out;
	if (n >= (int)sizeof np || maxdepth - (int64_t)strlen(o.path) + n > 480) {
		rc = zb_fail(e, ZB_EINVAL, "parent_id", "组织层级过深");
		goto out;
	}
	/* roll-ups first, while org_id's rows still describe the subtree */
	if ((rc = zb_counts_touch(db, e)) || (rc = shift_counts(db, org_id, oldp.path, p.path, &a, e)))
		goto out;
	int64_t cut = (int64_t)strlen(o.path) + 1, ddepth = p.depth + 1 - o.depth;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE orgs SET path = CAST(? AS TEXT) || substr(path, CAST(? AS INTEGER)), "
	               "depth = depth + CAST(? AS INTEGER) WHERE path >= ? AND path < ?",
	               "siiss", np, cut, ddepth, o.path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE orgs SET parent_id = ? WHERE id = ?", "ii",
		               new_parent, org_id);
	/* every copy of the path: members, units, alliances */
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE members SET org_path = CAST(? AS TEXT) || substr(org_path, CAST(? AS INTEGER)) "
		               "WHERE org_path >= ? AND org_path < ?",
		               "siss", np, cut, o.path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE units SET org_path = CAST(? AS TEXT) || substr(org_path, CAST(? AS INTEGER)) "
		               "WHERE org_path >= ? AND org_path < ?",
		               "siss", np, cut, o.path, upper);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE alliances SET org_path = CAST(? AS TEXT) || substr(org_path, CAST(? AS INTEGER)) "
		               "WHERE org_path >= ? AND org_path < ?",
		               "siss", np, cut, o.path, upper);
	/* local rules may differ at the new place: re-evaluate the subtree,
	 * and both parents ("no branch" depends on children) */
	if (!rc)
		rc = zb_org_warn_refresh_tree(db, np, e);
	if (!rc)
		rc = zb_org_warn_refresh(db, o.parent_id, e);
	if (!rc)
		rc = zb_org_warn_refresh(db, new_parent, e);
out:
	zb_arena_free(&a);
	return rc;
}

int zb_org_dissolve(zb_db *db, int64_t org_id, const char *dissolved_on, const char *reason, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org o;
	char today[11], upper[600];
	zb_today(NULL, today);
	int rc = zb_org_get(db, org_id, &a, &o, e);
	if (rc)
		goto out;
	if (o.dissolved_on) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该组织已于 %s 撤销", o.dissolved_on);
		goto out;
	}
	if (!o.parent_id) {
		rc = zb_fail(e, ZB_EINVAL, NULL, "不能撤销根组织");
		goto out;
	}
	if (!reason || !*reason) {
		rc = zb_fail(e, ZB_EINVAL, "reason", "请填写撤销原因");
		goto out;
	}
	if (!dissolved_on || !zb_date_valid(dissolved_on)) {
		rc = zb_fail(e, ZB_EINVAL, "dissolved_on", "撤销日期无效（应为 YYYY-MM-DD）");
		goto out;
	}
	if (strcmp(dissolved_on, today) > 0) {
		rc = zb_fail(e, ZB_EINVAL, "dissolved_on", "撤销日期 %s 晚于今天", dissolved_on);
		goto out;
	}
	if (o.founded_on && strcmp(dissolved_on, o.founded_on) < 0) {
		rc = zb_fail(e, ZB_EINVAL, "dissolved_on", "撤销日期 %s 早于成立日期 %s", dissolved_on, o.founded_on);
		goto out;
	}
	int64_t n = 0;
	zb_path_upper(o.path, upper, sizeof upper);
	if ((rc = zb_db_int(db, e, &n,
	                    "SELECT COUNT(*) FROM (SELECT 1 FROM members WHERE org_path >= ? AND org_path < ? "
	                    "AND status NOT IN ('removed', 'deceased') LIMIT 1) x",
	                    "ss", o.path, upper)))
		goto out;
	if (n) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "“%s”还有党员，请先将党员转出或调整到其他组织后再撤销", o.name);
		goto out;
	}
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL", "i", org_id)))
		goto out;
	if (n) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "“%s”还有 %lld 个未撤销的下级组织，请先撤销或移走", o.name, (long long)n);
		goto out;
	}
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM units WHERE org_id = ? OR covering_org_id = ?", "ii", org_id,
	                    org_id)))
		goto out;
	if (n) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "还有 %lld 个单位登记在“%s”下或由其覆盖，请先调整这些单位", (long long)n, o.name);
		goto out;
	}
	rc = zb_db_run(db, e, NULL, "UPDATE orgs SET dissolved_on = ?, dissolved_reason = ? WHERE id = ?", "ssi",
	               dissolved_on, reason, org_id);
	/* the committee leaves office with the org */
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE committee_posts SET ended_on = ? WHERE org_id = ? AND ended_on IS NULL", "si",
		               dissolved_on, org_id);
	if (!rc)
		rc = zb_counts_touch(db, e);
	if (!rc)
		rc = zb_counts_add(db, o.path, "org_type", o.type, -1, e);
	if (!rc)
		rc = zb_counts_add(db, o.path, "org_domain", o.domain ? o.domain : "", -1, e);
	if (!rc)
		rc = zb_org_warn_refresh(db, org_id, e);
	if (!rc)
		rc = zb_org_warn_refresh(db, o.parent_id, e);
out:
	zb_arena_free(&a);
	return rc;
}

int zb_org_move_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, int64_t new_parent, zb_arena *a,
                        zb_org *after, zb_err *e)
{
	zb_org before;
	int rc = zb_org_get(db, org_id, a, &before, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_org_move(db, org_id, new_parent, e);
	if (!rc)
		rc = zb_org_get(db, org_id, a, after, e);
	if (!rc) {
		zb_org_detail d;
		zb_org_detail_begin(&d);
		jw_kint(&d.w, "from_parent_id", before.parent_id);
		jw_kint(&d.w, "to_parent_id", new_parent);
		jw_kstr(&d.w, "from_path", before.path);
		jw_kstr(&d.w, "to_path", after->path);
		rc = zb_audit_change(db, app, by, "org.move", "org", org_id, after->path, zb_org_detail_end(&d, a), e);
	}
	return zb_db_end(db, rc, e);
}

int zb_org_dissolve_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                            const char *dissolved_on, const char *reason, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_org_dissolve(db, org_id, dissolved_on, reason, e);
	if (!rc) {
		zb_org_detail d;
		zb_org_detail_begin(&d);
		jw_kstr(&d.w, "dissolved_on", dissolved_on);
		jw_kstr(&d.w, "reason", reason);
		rc = zb_audit_change(db, app, by, "org.dissolve", "org", org_id, path, zb_org_detail_end(&d, a), e);
	}
	return zb_db_end(db, rc, e);
}
