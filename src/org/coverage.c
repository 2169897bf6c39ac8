/* coverage.c - economic and social units (企业, 社会组织) and how party
 * organisation covers them (单独建, 联合建, 挂靠建, or not at all); rates
 * per subtree come from the roll-ups ('unit' and 'unit_cov' dims). */
#include "org/structure.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *code, *name;
} unit_kinds[] = {
	{"enterprise", "企业"},
	{"social_org", "社会组织"},
	{"other", "其他"},
};
static const struct {
	const char *code, *name;
} modes[] = {
	{"single", "单独建"},
	{"joint", "联合建"},
	{"attached", "挂靠建"},
	{"none", "未覆盖"},
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *zb_unit_kind_name(const char *c)
{
	for (size_t i = 0; c && i < N(unit_kinds); i++)
		if (!strcmp(unit_kinds[i].code, c))
			return unit_kinds[i].name;
	return NULL;
}

const char *zb_unit_kind_from(const char *s)
{
	for (size_t i = 0; s && i < N(unit_kinds); i++)
		if (!strcmp(unit_kinds[i].code, s) || !strcmp(unit_kinds[i].name, s))
			return unit_kinds[i].code;
	return NULL;
}

const char *zb_coverage_name(const char *c)
{
	for (size_t i = 0; c && i < N(modes); i++)
		if (!strcmp(modes[i].code, c))
			return modes[i].name;
	return "未覆盖";
}

const char *zb_coverage_from(const char *s)
{
	for (size_t i = 0; s && i < N(modes); i++)
		if (!strcmp(modes[i].code, s) || !strcmp(modes[i].name, s))
			return modes[i].code;
	return NULL;
}

void zb_unit_read(zb_stmt *st, zb_arena *a, zb_unit *u)
{
	memset(u, 0, sizeof *u);
	u->id = zb_col_int(st, 0);
	u->org_id = zb_col_int(st, 1);
	u->covering_org_id = zb_col_int(st, 2);
	u->staff_count = zb_col_int(st, 3);
	u->party_members = zb_col_int(st, 4);
	u->full_members = zb_col_int(st, 5);
	u->name = zb_arena_strdup(a, zb_col_text(st, 6));
	u->kind = zb_arena_strdup(a, zb_col_text(st, 7));
	u->subkind = zb_arena_strdup(a, zb_col_text(st, 8));
	u->credit_code = zb_arena_strdup(a, zb_col_text(st, 9));
	u->coverage = zb_arena_strdup(a, zb_col_text(st, 10));
	u->org_path = zb_arena_strdup(a, zb_col_text(st, 11));
	u->address = zb_arena_strdup(a, zb_col_text(st, 12));
	u->remarks = zb_arena_strdup(a, zb_col_text(st, 13));
	u->org_name = zb_arena_strdup(a, zb_col_text(st, 14));
	u->covering_org_name = zb_arena_strdup(a, zb_col_text(st, 15));
}

int zb_unit_get(zb_db *db, int64_t id, zb_arena *a, zb_unit *u, zb_err *e)
{
	zb_stmt *st = zb_db_query(db, e, "SELECT " ZB_UNIT_COLS ZB_UNIT_FROM " WHERE u.id = ?", "i", id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e);
	if (rc == 1)
		zb_unit_read(st, a, u);
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	return rc ? 0 : zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该单位");
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
	zb_stmt *st = zb_db_query(db, e, "SELECT path, dissolved_on FROM orgs WHERE id = ?", "i", in->org_id);
	if (!st)
		return e->code;
	int rc = zb_stmt_step(st, e), dissolved = 0;
	if (rc == 1) {
		snprintf(path, psz, "%s", zb_col_text(st, 0));
		dissolved = !zb_col_is_null(st, 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!rc)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所属组织不存在");
	if (dissolved)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "所属组织已撤销");
	if (!strcmp(in->coverage, "none")) {
		if (in->covering_org_id)
			return zb_fail(e, ZB_EINVAL, "covering_org_id", "未覆盖的单位不应填写覆盖组织");
		return 0;
	}
	if (!in->covering_org_id)
		return zb_fail(e, ZB_EINVAL, "covering_org_id", "请填写覆盖该单位的党组织（covering_org_id）");
	st = zb_db_query(db, e, "SELECT type, dissolved_on FROM orgs WHERE id = ?", "i", in->covering_org_id);
	if (!st)
		return e->code;
	char type[40] = "";
	rc = zb_stmt_step(st, e);
	if (rc == 1) {
		snprintf(type, sizeof type, "%s", zb_col_text(st, 0));
		dissolved = !zb_col_is_null(st, 1);
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!rc)
		return zb_fail(e, ZB_ENOTFOUND, "covering_org_id", "覆盖组织不存在");
	if (dissolved)
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

/* {"total","covered","rate","by_mode":{...}} from n per mode (single,
 * joint, attached, none) */
static void write_rate(zb_jw *w, const int64_t m[4])
{
	int64_t total = m[0] + m[1] + m[2] + m[3], covered = m[0] + m[1] + m[2];
	jw_kint(w, "total", total);
	jw_kint(w, "covered", covered);
	jw_kint(w, "uncovered", m[3]);
	/* percentage with one decimal; null when there is nothing to cover */
	if (total)
		jw_kdouble(w, "rate", (double)((covered * 1000 + total / 2) / total) / 10.0);
	else
		jw_knull(w, "rate");
	jw_kobj(w, "by_mode");
	for (int i = 0; i < 4; i++)
		jw_kint(w, modes[i].code, m[i]);
	jw_obj_end(w);
}

static int mode_index(const char *m)
{
	for (int i = 0; i < 4; i++)
		if (!strcmp(modes[i].code, m))
			return i;
	return 3;
}

int zb_coverage_json(zb_db *db, int64_t org_id, zb_jw *w, zb_err *e)
{
	int64_t all[4] = {0}, by[N(unit_kinds)][4];
	memset(by, 0, sizeof by);
	zb_stmt *st = zb_db_query(db, e, "SELECT key, n FROM org_counts WHERE org_id = ? AND dim = 'unit_cov' AND n <> 0", "i",
	                          org_id);
	if (!st)
		return e->code;
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		char key[64];
		snprintf(key, sizeof key, "%s", zb_col_text(st, 0));
		char *slash = strchr(key, '/');
		if (!slash)
			continue;
		*slash = '\0';
		int mi = mode_index(slash + 1);
		int64_t n = zb_col_int(st, 1);
		all[mi] += n;
		for (size_t k = 0; k < N(unit_kinds); k++)
			if (!strcmp(unit_kinds[k].code, key))
				by[k][mi] += n;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	jw_obj(w);
	write_rate(w, all);
	jw_kobj(w, "by_kind");
	for (size_t k = 0; k < N(unit_kinds); k++) {
		jw_kobj(w, unit_kinds[k].code);
		jw_kstr(w, "name", unit_kinds[k].name);
		write_rate(w, by[k]);
		jw_obj_end(w);
	}
	jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}
