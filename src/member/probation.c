/* probation.c - see probation.h. */
#include "member/probation.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rule ---- */

static int int_in(json_t *data, const char *key, int min, int max, int *out)
{
	json_t *v = json_object_get(data, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return 0;
	if (out)
		*out = (int)json_integer_value(v);
	return 1;
}

int zb_probation_rules_validate(json_t *data, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		if (!strcmp(key, "months") || !strcmp(key, "extend_min_months") || !strcmp(key, "extend_max_months"))
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 200)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 200 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	int lo = 0;
	if (!int_in(data, "months", 0, 36, NULL))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 months（预备期月数，0 表示当时没有预备期）应为 0 到 36 之间的整数");
	if (!int_in(data, "extend_min_months", 1, 24, &lo))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 extend_min_months（延长预备期最少月数）应为 1 到 24 之间的整数");
	if (!int_in(data, "extend_max_months", lo, 24, NULL))
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 extend_max_months（延长预备期最多月数）应为不小于 extend_min_months、不大于 24 的整数");
	return 0;
}

static void rules_default(zb_probation_rules *r)
{
	memset(r, 0, sizeof *r);
	r->months = 12;
	r->ext_min = 6;
	r->ext_max = 12;
	r->source = "党章第七条；发展党员工作细则第三十二条";
}

int zb_probation_rules_get(zb_db *db, const char *org_path, const char *date, zb_probation_rules *r, zb_err *e)
{
	rules_default(r);
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "probation", date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	if (s) {
		int64_t m, lo, hi;
		if (!(rc = zb_rule_int(s, "months", &m, e)) && !(rc = zb_rule_int(s, "extend_min_months", &lo, e)) &&
		    !(rc = zb_rule_int(s, "extend_max_months", &hi, e))) {
			r->set_id = s->id;
			r->months = (int)m;
			r->ext_min = (int)lo;
			r->ext_max = (int)hi;
			r->source = "";
		}
	}
	zb_rules_free(rs);
	return rc;
}

/* ---- dates ---- */

void zb_probation_end(const char *join_date, int months, int ext_months, char out[11])
{
	zb_date_add_months(join_date, months + ext_months, out);
}

int zb_probation_check_dates(const char *join_date, const char *full_date, const zb_probation_rules *r,
                             int ext_months, zb_err *e)
{
	if (strcmp(full_date, join_date) < 0)
		return zb_fail(e, ZB_EINVAL, "full_date", "转正日期 %s 不能早于入党日期 %s", full_date, join_date);
	if (!r->months)
		return 0;
	char end[11];
	zb_probation_end(join_date, r->months, ext_months, end);
	if (strcmp(full_date, end) >= 0)
		return 0;
	if (ext_months)
		return zb_fail(e, ZB_EINVAL, "full_date",
		               "转正日期 %s 早于预备期满之日 %s：预备期 %d 个月、已延长 %d 个月，从入党日期（支部大会通过之日）%s 算起",
		               full_date, end, r->months, ext_months, join_date);
	return zb_fail(e, ZB_EINVAL, "full_date",
	               "转正日期 %s 早于预备期满之日 %s：预备期为%s，从入党日期（支部大会通过之日）%s 算起（党章第七条）",
	               full_date, end, r->months == 12 ? "一年" : "规定期限", join_date);
}

typedef struct ext_row {
	int *months;
	char *decided_on; /* [11] or NULL */
} ext_row;

static void read_ext(zb_stmt *st, void *ctx)
{
	ext_row *x = ctx;
	*x->months = (int)zb_col_int(st, 0);
	if (x->decided_on)
		snprintf(x->decided_on, 11, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
}

int zb_probation_ext_get(zb_db *db, int64_t member_id, int *months, char decided_on[11], zb_err *e)
{
	*months = 0;
	if (decided_on)
		decided_on[0] = 0;
	if (member_id <= 0)
		return 0;
	ext_row x = {months, decided_on};
	int rc = zb_db_one(db, e, NULL, read_ext, &x, "SELECT months, decided_on FROM probation_extensions WHERE member_id = ?",
	                   "i", member_id);
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

int zb_member_check_probation(zb_db *db, const zb_member *old, const zb_member *nw, zb_err *e)
{
	if (!nw->category || strcmp(nw->category, "full") || !nw->join_date || !nw->full_date ||
	    !zb_date_valid(nw->join_date) || !zb_date_valid(nw->full_date))
		return 0; /* zb_member_check reports missing or malformed dates */
	if (old && same(old->join_date, nw->join_date) && same(old->full_date, nw->full_date) &&
	    same(old->category, nw->category))
		return 0;
	zb_probation_rules r;
	int ext = 0;
	int rc = zb_probation_rules_get(db, nw->org_path, nw->join_date, &r, e);
	if (!rc && old)
		rc = zb_probation_ext_get(db, old->id, &ext, NULL, e);
	return rc ? rc : zb_probation_check_dates(nw->join_date, nw->full_date, &r, ext, e);
}

/* ---- the extension ---- */

typedef struct probationer {
	char name[200], category[32], join[11], path[512];
} probationer;

static void read_probationer(zb_stmt *st, void *ctx)
{
	probationer *p = ctx;
	snprintf(p->name, sizeof p->name, "%s", zb_col_text(st, 0) ? zb_col_text(st, 0) : "");
	snprintf(p->category, sizeof p->category, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
	snprintf(p->join, sizeof p->join, "%s", zb_col_text(st, 2) ? zb_col_text(st, 2) : "");
	snprintf(p->path, sizeof p->path, "%s", zb_col_text(st, 3) ? zb_col_text(st, 3) : "");
}

int zb_probation_extend(zb_db *db, int64_t member_id, int months, const char *decided_on, const char *reason,
                        const char *today, int64_t by_user, int64_t now, zb_err *e)
{
	probationer p = {"", "", "", ""};
	int rc = zb_db_one(db, e, "未找到该党员", read_probationer, &p,
	                   "SELECT name, category, join_date, org_path FROM members WHERE id = ?", "i", member_id);
	if (rc)
		return rc;
	const char *name = p.name, *category = p.category, *join = p.join, *path = p.path;
	if (strcmp(category, "probationary"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 不是预备党员，不能延长预备期", name);
	if (!zb_date_valid(join))
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 没有入党日期，无法计算预备期", name);
	int had = 0;
	char had_on[11];
	if ((rc = zb_probation_ext_get(db, member_id, &had, had_on, e)))
		return rc;
	if (had)
		return zb_fail(e, ZB_ECONFLICT, "months", "预备期只能延长一次：%s 的预备期已于 %s 延长 %d 个月", name, had_on,
		               had);
	zb_probation_rules r;
	if ((rc = zb_probation_rules_get(db, path, join, &r, e)))
		return rc;
	if (!r.months)
		return zb_fail(e, ZB_ECONFLICT, NULL, "入党日期 %s 时的党章没有预备期，无从延长", join);
	if (months < r.ext_min || months > r.ext_max)
		return zb_fail(e, ZB_EINVAL, "months", "延长预备期不能少于 %d 个月，最长不超过 %d 个月（收到 %d）", r.ext_min,
		               r.ext_max, months);
	if (!decided_on || !zb_date_valid(decided_on))
		return zb_fail(e, ZB_EINVAL, "decided_on", "支部大会决定日期无效（应为 YYYY-MM-DD）");
	if (strcmp(decided_on, join) <= 0)
		return zb_fail(e, ZB_EINVAL, "decided_on", "支部大会决定延长预备期的日期 %s 应晚于入党日期 %s", decided_on,
		               join);
	if (strcmp(decided_on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "decided_on", "支部大会决定日期 %s 晚于今天", decided_on);
	if (!reason || !*reason)
		return zb_fail(e, ZB_EINVAL, "reason", "请填写延长预备期的原因");
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO probation_extensions (member_id, months, decided_on, reason, created_by, created_at) "
	                 "VALUES (?, ?, ?, ?, ?, ?)",
	                 "iissIi", member_id, (int64_t)months, decided_on, reason, by_user, now);
}

/* ---- the reminder ---- */

static int cmp_due(const void *x, const void *y)
{
	const zb_probation_due *a = x, *b = y;
	if (a->days_overdue != b->days_overdue)
		return b->days_overdue - a->days_overdue;
	return a->member_id < b->member_id ? -1 : a->member_id > b->member_id;
}

typedef struct dues {
	zb_arena *a;
	zb_probation_due *rows;
	const char **paths; /* of each row's member */
	size_t n, cap, pcap;
} dues;

static int add_due(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dues *l = ctx;
	zb_arena *a = l->a;
	ZB_AGROW(a, l->rows, l->n, l->cap);
	ZB_AGROW(a, l->paths, l->n, l->pcap);
	zb_probation_due *d = &l->rows[l->n];
	memset(d, 0, sizeof *d);
	d->member_id = zb_col_int(st, 0);
	d->org_id = zb_col_int(st, 1);
	d->name = zb_arena_strdup(a, zb_col_text(st, 2));
	d->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	d->join_date = zb_arena_strdup(a, zb_col_text(st, 4));
	d->status = zb_arena_strdup(a, zb_col_text(st, 5));
	l->paths[l->n] = zb_arena_strdup(a, zb_col_text(st, 6));
	d->ext_months = (int)zb_col_int(st, 7);
	l->n++;
	return 0;
}

int zb_probation_overdue(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_probation_due **out,
                         int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	/* read all first: the rule lookups run queries of their own */
	dues l = {.a = a};
	int rc = zb_db_each(db, e, add_due, &l,
	                    "SELECT mb.id, mb.org_id, mb.name, o.name, mb.join_date, mb.status, mb.org_path, "
	                    "COALESCE(x.months, 0) FROM members mb JOIN orgs o ON o.id = mb.org_id "
	                    "LEFT JOIN probation_extensions x ON x.member_id = mb.id "
	                    "WHERE mb.org_path >= ? AND mb.org_path < ? AND mb.category = 'probationary' "
	                    "AND mb.status NOT IN ('removed', 'deceased', 'suspended') AND mb.join_date IS NOT NULL "
	                    "ORDER BY mb.id",
	                    "ss", root_path, upper);
	if (rc)
		return rc;
	zb_probation_due *v = l.rows;
	const char **paths = l.paths;
	int cnt = (int)l.n;
	long t = zb_date_days(today);
	for (int i = 0; i < cnt; i++) {
		zb_probation_due *d = &v[i];
		if (!d->join_date || !zb_date_valid(d->join_date))
			continue;
		zb_probation_rules r;
		if ((rc = zb_probation_rules_get(db, paths[i], d->join_date, &r, e)))
			return rc;
		if (!r.months)
			continue;
		d->months = r.months;
		zb_probation_end(d->join_date, r.months, d->ext_months, d->ends_on);
		long late = t - zb_date_days(d->ends_on);
		if (late < 1)
			continue;
		d->days_overdue = (int)late;
		v[(*n)++] = *d;
	}
	if (*n > 1)
		qsort(v, (size_t)*n, sizeof *v, cmp_due);
	*out = v;
	return 0;
}
