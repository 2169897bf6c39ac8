/* item.c - 三务公开 items: villages, the drafts, the steps of the flow
 * with their history and audit rows, and the lists (disclose.h). */
#include "disclose/disclose.h"

#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "org/org.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- villages ---- */

#define VILLAGE_SQL                                                                                     \
	"SELECT o.id, o.path, o.name, o.code, p.path, p.name, CASE WHEN " ZB_ORG_VILLAGE("o", "p") " THEN 1 " \
	"ELSE 0 END, o.dissolved_on FROM orgs o LEFT JOIN orgs p ON p.id = o.parent_id "

typedef struct village_row {
	zb_arena *a;
	zb_village *v;
	int is_village;
} village_row;

static void read_village(zb_stmt *st, void *ctx)
{
	village_row *x = ctx;
	zb_arena *a = x->a;
	x->v->id = zb_col_int(st, 0);
	x->v->path = zb_arena_strdup(a, zb_col_text(st, 1));
	x->v->name = zb_arena_strdup(a, zb_col_text(st, 2));
	x->v->code = zb_arena_strdup(a, zb_col_text(st, 3));
	x->v->township_path = zb_arena_strdup(a, zb_col_text(st, 4));
	x->v->township_name = zb_arena_strdup(a, zb_col_text(st, 5));
	x->is_village = zb_col_int(st, 6) == 1 && zb_col_is_null(st, 7);
}

static int village_of(zb_db *db, const char *sql, const char *fmt, const void *arg, zb_arena *a, zb_village *v,
                      zb_err *e)
{
	memset(v, 0, sizeof *v);
	village_row x = {a, v, 0};
	int rc = *fmt == 'i' ? zb_db_one(db, e, "未找到该组织", read_village, &x, sql, fmt, *(const int64_t *)arg)
	                     : zb_db_one(db, e, "未找到该组织", read_village, &x, sql, fmt, (const char *)arg);
	if (rc)
		return rc;
	if (!x.is_village)
		return zb_fail(e, ZB_EINVAL, "org_id", "%s不是村级党组织：三务公开由村党支部（或村党总支）发布", v->name);
	return 0;
}

int zb_disclose_village(zb_db *db, int64_t org_id, zb_arena *a, zb_village *v, zb_err *e)
{
	return village_of(db, VILLAGE_SQL "WHERE o.id = ?", "i", &org_id, a, v, e);
}

int zb_disclose_village_by_ref(zb_db *db, const char *ref, zb_arena *a, zb_village *v, zb_err *e)
{
	size_t n = ref ? strlen(ref) : 0;
	int digits = n > 0 && n <= 18;
	for (size_t i = 0; digits && i < n; i++)
		digits = ref[i] >= '0' && ref[i] <= '9';
	int rc;
	if (digits) {
		int64_t id = strtoll(ref, NULL, 10);
		rc = zb_disclose_village(db, id, a, v, e);
	} else if (n > 0 && n <= 64) {
		rc = village_of(db, VILLAGE_SQL "WHERE o.code = ?", "s", ref, a, v, e);
	} else {
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该村");
	}
	/* the public side never tells an org that is not a village from none */
	if (rc == ZB_EINVAL || rc == ZB_ENOTFOUND)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该村的公开栏");
	return rc;
}

/* ---- history ---- */

static int step_row(zb_db *db, const zb_audit_ev *by, int64_t id, const char *action, const char *from,
                    const char *to, const char *reason, int checked, int64_t now, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO disclosure_steps (disclosure_id, action, from_status, to_status, reason, user_id, "
	                 "user_name, at, attachments_checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	                 "issssIsii", id, action, from, to, reason, by->user_id,
	                 by->username, now, (int64_t)(checked != 0));
}

static int audit_item(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id,
                      const char *path, const char *kind, const char *period, const char *status, const char *reason,
                      zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "kind", kind);
	jw_kstr(w, "period", period);
	jw_kstr(w, "status", status);
	if (reason)
		jw_kstr(w, "reason", reason);
	return zb_audit_change_detail(db, app, by, action, "disclosure", id, path, &d, e);
}

/* ---- drafts ---- */

static int check_input(zb_db *db, const char *path, const zb_disclosure_in *in, int creating, const char *today,
                       zb_err *e)
{
	int kind = zb_disclose_kind(in->kind);
	if (kind < 0)
		return zb_fail(e, ZB_EINVAL, "kind", "公开类别应为 party（党务）、village（村务）或 finance（财务）");
	if (in->title && !*in->title)
		return zb_fail(e, ZB_EINVAL, "title", "请填写标题");
	if (creating && !in->title)
		return zb_fail(e, ZB_EINVAL, "title", "请填写标题");
	int rc = zb_disclose_tables_check(in->tables, e);
	if (rc || !in->period)
		return rc;
	zb_disclose_rules r;
	if ((rc = zb_disclose_rules_get(db, path, today, &r, e)))
		return rc;
	return zb_disclose_period_check(&r, kind, in->period, e);
}

static char *tables_text(json_t *tables)
{
	return tables && json_is_array(tables) ? json_dumps(tables, JSON_COMPACT) : strdup("[]");
}

static void today_of(zb_app *app, char out[11])
{
	zb_today(app, out);
}

int zb_disclosure_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const zb_disclosure_in *in,
                         int64_t now, int64_t *id, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_village v;
	char today[11];
	today_of(app, today);
	int rc = zb_disclose_village(db, org_id, &a, &v, e);
	if (!rc && !in->period)
		rc = zb_fail(e, ZB_EINVAL, "period", "请填写公开期间（如 2026-03 或 2026-Q1）");
	if (!rc)
		rc = check_input(db, v.path, in, 1, today, e);
	char *tables = rc ? NULL : tables_text(in->tables);
	if (!rc && !tables)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_int(db, e, id,
		               "INSERT INTO disclosures (org_id, org_path, kind, period, title, body, tables, status, created_by, "
		               "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?) RETURNING id",
		               "issssssIii", v.id, v.path, in->kind, in->period, in->title, in->body ? in->body : "", tables,
		               by->user_id, now, now);
		if (!rc)
			rc = step_row(db, by, *id, "create", NULL, "draft", NULL, 0, now, e);
		if (!rc)
			rc = audit_item(db, app, by, "disclosure.create", *id, v.path, in->kind, in->period, "draft", NULL, e);
		rc = zb_db_end(db, rc, e);
	}
	free(tables);
	zb_arena_free(&a);
	return rc;
}

/* ---- reading ---- */

#define ITEM_COLS                                                                                               \
	"d.id, d.org_id, d.org_path, o.name, d.kind, d.period, d.title, d.body, d.tables, d.status, d.created_by, " \
	"d.created_at, d.updated_at, d.published_at, d.withdrawn_at, u.display_name, d.published_on, "            \
	"d.withdraw_reason "
#define ITEM_FROM " FROM disclosures d JOIN orgs o ON o.id = d.org_id LEFT JOIN users u ON u.id = d.created_by "

typedef struct item_list {
	zb_arena *a;
	zb_disclosure *rows;
	size_t n, cap;
	int full;          /* with body and tables */
} item_list;

static void read_item(zb_stmt *st, zb_arena *a, zb_disclosure *d, int full)
{
	d->id = zb_col_int(st, 0);
	d->org_id = zb_col_int(st, 1);
	d->org_path = zb_arena_strdup(a, zb_col_text(st, 2));
	d->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	d->kind = zb_arena_strdup(a, zb_col_text(st, 4));
	d->period = zb_arena_strdup(a, zb_col_text(st, 5));
	d->title = zb_arena_strdup(a, zb_col_text(st, 6));
	d->body = full ? zb_arena_strdup(a, zb_col_text(st, 7)) : "";
	d->tables = full ? zb_arena_strdup(a, zb_col_text(st, 8)) : "[]";
	d->status = zb_arena_strdup(a, zb_col_text(st, 9));
	d->created_by = zb_col_int(st, 10);
	d->created_at = zb_col_int(st, 11);
	d->updated_at = zb_col_int(st, 12);
	d->published_at = zb_col_int(st, 13);
	d->withdrawn_at = zb_col_int(st, 14);
	d->created_by_name = zb_arena_strdup(a, zb_col_text(st, 15));
	d->published_on = zb_arena_strdup(a, zb_col_text(st, 16));
	d->withdraw_reason = zb_arena_strdup(a, zb_col_text(st, 17));
	d->deadline = "";
	d->files = NULL;
	d->nfiles = 0;
}

static int add_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	item_list *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	read_item(st, l->a, &l->rows[l->n++], l->full);
	return 0;
}

/* The deadline of each item, by the rule at its village on its period's
 * last day (one snapshot per distinct day). */
static int set_deadlines(zb_db *db, zb_arena *a, zb_disclosure *rows, size_t n, zb_err *e)
{
	zb_rules *rs = NULL;
	char at[11] = "";
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		char unit, first[11], last[11];
		if (zb_disclose_period(rows[i].period, &unit, first, last) || unit == 'e')
			continue;
		if (strcmp(at, last)) {
			zb_rules_free(rs);
			rs = NULL;
			memcpy(at, last, 11);
			if ((rc = zb_rules_load(db, "disclosure", last, &rs, e)))
				break;
		}
		zb_disclose_rules r;
		zb_disclose_rules_from(zb_rules_for(rs, rows[i].org_path), &r);
		char dl[11];
		zb_disclose_deadline(last, r.deadline_days, dl);
		rows[i].deadline = zb_arena_strdup(a, dl);
	}
	zb_rules_free(rs);
	return rc;
}

typedef struct step_list {
	zb_arena *a;
	zb_disclosure_step *rows;
	size_t n, cap;
} step_list;

static int add_step(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	step_list *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_disclosure_step *s = &l->rows[l->n++];
	s->id = zb_col_int(st, 0);
	s->action = zb_arena_strdup(l->a, zb_col_text(st, 1));
	s->from_status = zb_arena_strdup(l->a, zb_col_text(st, 2));
	s->to_status = zb_arena_strdup(l->a, zb_col_text(st, 3));
	s->reason = zb_arena_strdup(l->a, zb_col_text(st, 4));
	s->user_id = zb_col_int(st, 5);
	s->user_name = zb_arena_strdup(l->a, zb_col_text(st, 6));
	s->at = zb_col_int(st, 7);
	s->attachments_checked = zb_col_int(st, 8) != 0;
	return 0;
}

static int get_item(zb_db *db, int64_t id, zb_arena *a, zb_disclosure *d, zb_err *e)
{
	item_list l = {a, NULL, 0, 0, 1};
	int rc = zb_db_each(db, e, add_item, &l, "SELECT " ITEM_COLS ITEM_FROM "WHERE d.id = ?", "i", id);
	if (rc)
		return rc;
	if (!l.n)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该公开事项");
	*d = l.rows[0];
	return 0;
}

int zb_disclosure_get(zb_db *db, int64_t id, zb_arena *a, zb_disclosure *d, zb_disclosure_step **steps, int *nsteps,
                      zb_err *e)
{
	int rc = get_item(db, id, a, d, e);
	if (!rc)
		rc = set_deadlines(db, a, d, 1, e);
	if (!rc)
		rc = zb_disclosure_attach_fill(db, d, 1, a, e);
	step_list l = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, add_step, &l,
		                "SELECT s.id, s.action, s.from_status, s.to_status, s.reason, s.user_id, "
		                "COALESCE(u.display_name, s.user_name), s.at, s.attachments_checked FROM disclosure_steps s "
		                "LEFT JOIN users u ON u.id = s.user_id WHERE s.disclosure_id = ? ORDER BY s.id",
		                "i", id);
	*steps = l.rows;
	*nsteps = (int)l.n;
	return rc;
}

int zb_disclosure_edit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_disclosure_in *in,
                       int64_t now, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_disclosure d;
	char today[11];
	today_of(app, today);
	char *tables = NULL;
	int rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = get_item(db, id, &a, &d, e);
	if (!rc && strcmp(d.status, "draft"))
		rc = zb_fail(e, ZB_ECONFLICT, "status", "只能修改草稿：该事项已%s，如需修改请先退回", d.status);
	/* the kind and period are checked together: a new kind against the
	 * period kept, a new period against the kind kept */
	zb_disclosure_in merged = *in;
	if (!rc && !merged.kind)
		merged.kind = d.kind;
	if (!rc && !merged.period)
		merged.period = d.period;
	if (!rc)
		rc = check_input(db, d.org_path, &merged, 0, today, e);
	if (!rc && in->tables && !(tables = tables_text(in->tables)))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE disclosures SET kind = ?, period = COALESCE(?, period), title = COALESCE(?, title), "
		               "body = COALESCE(?, body), tables = COALESCE(?, tables), updated_at = ? WHERE id = ?",
		               "sssssii", merged.kind, in->period, in->title, in->body, tables, now, id);
	if (!rc)
		rc = step_row(db, by, id, "edit", "draft", "draft", NULL, 0, now, e);
	if (!rc)
		rc = audit_item(db, app, by, "disclosure.edit", id, d.org_path, merged.kind, in->period ? in->period : d.period,
		                "draft", NULL, e);
	rc = zb_db_end(db, rc, e);
	free(tables);
	zb_arena_free(&a);
	return rc;
}

/* ---- the flow ---- */

static const struct {
	const char *action, *from, *to, *name;
} flow[] = {
	{"submit", "draft", "submitted", "提交审核"},
	{"approve", "submitted", "approved", "支部审核"},
	{"refuse", "submitted", "draft", "退回"},
	{"review", "approved", "reviewed", "乡镇审核"},
	{"refuse", "approved", "draft", "退回"},
	{"publish", "reviewed", "published", "公开"},
	{"withdraw", "published", "withdrawn", "撤回"},
};
#define NFLOW (sizeof flow / sizeof flow[0])

static const char *status_name(const char *s)
{
	static const char *const names[][2] = {{"draft", "草稿"},         {"submitted", "待支部审核"}, {"approved", "待乡镇审核"},
	                                       {"reviewed", "待公开"},      {"published", "已公开"},     {"withdrawn", "已撤回"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(s, names[i][0]))
			return names[i][1];
	return s;
}

int zb_disclosure_step_do(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                          const char *action, const char *reason, const char *today, int64_t now, zb_err *e)
{
	return zb_disclosure_step_checked(db, app, by, who, id, action, reason, 0, today, now, e);
}

/* The captions of an item's attachments are text the public page shows:
 * searched like the rest (field attachments[i].caption). */
static int captions_check(const zb_disclosure *d, int today_ymd, zb_err *e)
{
	for (int i = 0; i < d->nfiles; i++) {
		const char *what;
		char f[48];
		snprintf(f, sizeof f, "attachments[%d].caption", i);
		if (zb_disclose_pii_find(d->files[i].caption, today_ymd, &what))
			return zb_fail(e, ZB_EINVAL, f, "第 %d 个附件的说明含有疑似%s的内容：公开前请删除或打码", i + 1, what);
	}
	return 0;
}

int zb_disclosure_step_checked(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                               const char *action, const char *reason, int attachments_checked, const char *today,
                               int64_t now, zb_err *e)
{
	int known = 0;
	for (size_t i = 0; i < NFLOW; i++)
		known |= !strcmp(action ? action : "", flow[i].action);
	if (!known)
		return zb_fail(e, ZB_EINVAL, "action", "不支持的操作：%s（可用：submit、approve、refuse、review、publish、withdraw）",
		               action ? action : "");
	if ((!strcmp(action, "refuse") || !strcmp(action, "withdraw")) && (!reason || !*reason))
		return zb_fail(e, ZB_EINVAL, "reason", "%s须写明原因", !strcmp(action, "refuse") ? "退回" : "撤回");
	zb_arena a;
	zb_arena_init(&a);
	zb_disclosure d;
	zb_village v;
	int rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = get_item(db, id, &a, &d, e);
	if (!rc)
		rc = zb_disclose_village(db, d.org_id, &a, &v, e);
	size_t i = 0;
	while (!rc && i < NFLOW && !(!strcmp(flow[i].action, action) && !strcmp(flow[i].from, d.status)))
		i++;
	if (!rc && i == NFLOW)
		rc = zb_fail(e, ZB_ECONFLICT, "action", "该事项%s，不能%s", status_name(d.status),
		             !strcmp(action, "publish") ? "公开：公开前须经支部审核与乡镇审核" :
		             !strcmp(action, "review") ? "进行乡镇审核：须先经支部审核" :
		             !strcmp(action, "approve") ? "进行支部审核：须先提交审核" :
		             !strcmp(action, "withdraw") ? "撤回：只能撤回已公开的事项" : "执行此操作");
	int64_t today_ymd = today ? atoi(today) * 10000 + atoi(today + 5) * 100 + atoi(today + 8) : 0;
	/* what the township decides: review, and refusing an approved item */
	int township = !rc && (!strcmp(action, "review") || (!strcmp(action, "refuse") && !strcmp(d.status, "approved")));
	if (township && !zb_authz_allows(who, P_ORG_WRITE, v.township_path))
		rc = zb_fail(e, ZB_EFORBIDDEN, "action", "乡镇审核须由%s进行", v.township_name ? v.township_name : "乡镇党委");
	/* withdrawing what the village published: org.write at the village */
	if (!rc && !strcmp(action, "withdraw") && !zb_authz_allows(who, P_ORG_WRITE, v.path))
		rc = zb_fail(e, ZB_EFORBIDDEN, "action", "撤回已公开的事项须由本村党组织的管理员（组织管理权限）进行");
	if (!rc && !strcmp(action, "approve") && d.created_by && by->user_id == d.created_by)
		rc = zb_fail(e, ZB_EFORBIDDEN, "action", "支部审核须由起草人以外的人进行");
	if (!rc && (!strcmp(action, "submit") || !strcmp(action, "approve")))
		rc = zb_disclose_pii_check(d.title, d.body, d.tables, (int)today_ymd, e);
	if (!rc && (!strcmp(action, "submit") || !strcmp(action, "approve")))
		rc = zb_disclosure_attach_fill(db, &d, 1, &a, e);
	if (!rc && (!strcmp(action, "submit") || !strcmp(action, "approve")))
		rc = captions_check(&d, (int)today_ymd, e);
	int approve = !strcmp(action, "approve");
	if (!rc && approve)
		rc = zb_disclose_attach_confirm(d.nfiles, attachments_checked, e);
	if (!rc) {
		int pub = !strcmp(action, "publish"), wd = !strcmp(action, "withdraw");
		rc = zb_db_run(db, e, NULL,
		               "UPDATE disclosures SET status = ?, updated_at = ?, "
		               "published_on = CASE WHEN ? = 1 THEN ? ELSE published_on END, "
		               "published_at = CASE WHEN ? = 1 THEN ? ELSE published_at END, "
		               "withdrawn_at = CASE WHEN ? = 1 THEN ? ELSE withdrawn_at END, "
		               "withdraw_reason = CASE WHEN ? = 1 THEN ? ELSE withdraw_reason END WHERE id = ? AND status = ?",
		               "siisiiiiisis", flow[i].to, now, (int64_t)pub, today, (int64_t)pub, now, (int64_t)wd, now,
		               (int64_t)wd, reason, id, d.status);
	}
	if (!rc)
		rc = step_row(db, by, id, action, d.status, flow[i].to, reason, approve && d.nfiles && attachments_checked,
		              now, e);
	if (!rc) {
		char act[40];
		snprintf(act, sizeof act, "disclosure.%s", action);
		rc = audit_item(db, app, by, act, id, d.org_path, d.kind, d.period, flow[i].to, reason, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}

/* ---- lists ---- */

int zb_disclosure_list(zb_db *db, const char *path, const char *status, const char *kind, int64_t after, int64_t limit,
                       zb_arena *a, zb_disclosure **rows, int *n, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	item_list l = {a, NULL, 0, 0, 0};
	int rc = zb_db_each(db, e, add_item, &l,
	                    "SELECT " ITEM_COLS ITEM_FROM
	                    "WHERE d.org_path >= ? AND d.org_path < ? AND (CAST(? AS TEXT) IS NULL OR d.status = ?) "
	                    "AND (CAST(? AS TEXT) IS NULL OR d.kind = ?) AND (? = 0 OR d.id < ?) ORDER BY d.id DESC LIMIT ?",
	                    "ssssssiii", path, upper, status, status, kind, kind, after, after, limit + 1);
	if (!rc)
		rc = set_deadlines(db, a, l.rows, l.n, e);
	*rows = l.rows;
	*n = (int)l.n;
	return rc;
}

int zb_disclosure_queue(zb_db *db, const char *path, int64_t after, int64_t limit, zb_arena *a, zb_disclosure **rows,
                        int *n, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	item_list l = {a, NULL, 0, 0, 0};
	int rc = zb_db_each(db, e, add_item, &l,
	                    "SELECT " ITEM_COLS ITEM_FROM
	                    "WHERE d.org_path >= ? AND d.org_path < ? AND d.status IN ('submitted', 'approved') "
	                    "AND d.id > ? ORDER BY d.id LIMIT ?",
	                    "ssii", path, upper, after, limit + 1);
	if (!rc)
		rc = set_deadlines(db, a, l.rows, l.n, e);
	*rows = l.rows;
	*n = (int)l.n;
	return rc;
}

int zb_disclosure_public(zb_db *db, int64_t village_id, int64_t limit, zb_arena *a, zb_disclosure **rows, int *n,
                         zb_err *e)
{
	item_list l = {a, NULL, 0, 0, 1};
	int rc = zb_db_each(db, e, add_item, &l,
	                    "SELECT " ITEM_COLS ITEM_FROM
	                    "WHERE d.org_id = ? AND d.status = 'published' ORDER BY d.published_at DESC, d.id DESC LIMIT ?",
	                    "ii", village_id, limit);
	if (!rc)
		rc = set_deadlines(db, a, l.rows, l.n, e);
	*rows = l.rows;
	*n = (int)l.n;
	return rc;
}

/* ---- overdue ---- */

typedef struct vlist {
	zb_arena *a;
	zb_village *v;
	size_t n, cap;
} vlist;

static int add_village(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	vlist *l = ctx;
	ZB_AGROW(l->a, l->v, l->n, l->cap);
	zb_village *r = &l->v[l->n++];
	r->id = zb_col_int(st, 0);
	r->path = zb_arena_strdup(l->a, zb_col_text(st, 1));
	r->name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	r->code = zb_arena_strdup(l->a, zb_col_text(st, 3));
	r->township_path = zb_arena_strdup(l->a, zb_col_text(st, 4));
	r->township_name = zb_arena_strdup(l->a, zb_col_text(st, 5));
	return 0;
}

int zb_disclose_villages(zb_db *db, const char *path, zb_arena *a, zb_village **rows, int *n, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	vlist l = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, add_village, &l,
	                    "SELECT o.id, o.path, o.name, o.code, p.path, p.name FROM orgs o JOIN orgs p ON p.id = o.parent_id "
	                    "WHERE o.path >= ? AND o.path < ? AND " ZB_ORG_VILLAGE("o", "p") " AND o.dissolved_on IS NULL "
	                    "ORDER BY o.path",
	                    "ss", path, upper);
	*rows = l.v;
	*n = (int)l.n;
	return rc;
}

typedef struct pub_row {
	int64_t org_id;
	int kind;
	char period[16];
	char published_on[11];  /* the earliest of the period's published items */
} pub_row;

typedef struct pub_list {
	zb_arena *a;
	pub_row *rows;
	size_t n, cap;
} pub_list;

static int add_pub(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	pub_list *l = ctx;
	const char *p = zb_col_text(st, 2), *on = zb_col_text(st, 3);
	if (!p || strlen(p) != 7)
		return 0;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	pub_row *r = &l->rows[l->n++];
	r->org_id = zb_col_int(st, 0);
	r->kind = zb_disclose_kind(zb_col_text(st, 1));
	memcpy(r->period, p, 8);
	snprintf(r->published_on, sizeof r->published_on, "%s", on ? on : "");
	return 0;
}

/* The published item l (ordered by org) holds for org, kind and period,
 * the earliest published when several: a binary search for the org's
 * first row, then its rows.  NULL when none. */
static const pub_row *published(const pub_list *l, int64_t org, int kind, const char *period)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->rows[mid].org_id < org)
			lo = mid + 1;
		else
			hi = mid;
	}
	const pub_row *best = NULL;
	for (size_t i = lo; i < l->n && l->rows[i].org_id == org; i++)
		if (l->rows[i].kind == kind && !strcmp(l->rows[i].period, period) &&
		    (!best || strcmp(l->rows[i].published_on, best->published_on) < 0))
			best = &l->rows[i];
	return best;
}

/* Each period of year whose deadline is before today, for every village
 * under path, handed to fn with the published item of it (NULL: none). */
typedef int (*due_fn)(void *ctx, const zb_village *v, int kind, const char *period, const char *deadline,
                      const pub_row *pub, zb_err *e);

static int walk_due(zb_db *db, const char *path, int year, const char *today, zb_arena *a, due_fn fn, void *ctx,
                    zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	zb_village *vs;
	int nv;
	int rc = zb_disclose_villages(db, path, a, &vs, &nv, e);
	pub_list pl = {a, NULL, 0, 0};
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-", year % 10000);
	snprintf(to, sizeof to, "%04d-", (year + 1) % 10000);
	if (!rc)
		rc = zb_db_each(db, e, add_pub, &pl,
		                "SELECT org_id, kind, period, published_on FROM disclosures WHERE org_path >= ? AND org_path < ? "
		                "AND status = 'published' AND period >= ? AND period < ? ORDER BY org_id",
		                "ssss", path, upper, from, to);
	char dec[16];
	snprintf(dec, sizeof dec, "%04d-12-31", year % 10000);
	zb_rules *rs = NULL;
	if (!rc)
		rc = zb_rules_load(db, "disclosure", strcmp(dec, today) < 0 ? dec : today, &rs, e);
	for (int i = 0; !rc && i < nv; i++) {
		zb_disclose_rules r;
		zb_disclose_rules_from(zb_rules_for(rs, vs[i].path), &r);
		for (int k = 0; !rc && k < ZB_DK_MAX; k++) {
			int nper = r.unit[k] == 'm' ? 12 : 4;
			for (int p = 1; !rc && p <= nper; p++) {
				char per[32], unit, first[11], last[11], dl[11];
				if (r.unit[k] == 'm')
					snprintf(per, sizeof per, "%04d-%02d", year % 10000, p);
				else
					snprintf(per, sizeof per, "%04d-Q%d", year % 10000, p);
				zb_disclose_period(per, &unit, first, last);
				zb_disclose_deadline(last, r.deadline_days, dl);
				if (strcmp(dl, today) < 0)
					rc = fn(ctx, &vs[i], k, per, dl, published(&pl, vs[i].id, k, per), e);
			}
		}
	}
	zb_rules_free(rs);
	return rc;
}

typedef struct overdue_list {
	zb_arena *a;
	zb_disclose_overdue *v;
	size_t n, cap;
	int villages;
	int64_t last;  /* the village of the last row */
} overdue_list;

static int add_overdue(void *ctx, const zb_village *v, int kind, const char *period, const char *deadline,
                       const pub_row *pub, zb_err *e)
{
	(void)e;
	overdue_list *l = ctx;
	if (pub)
		return 0;
	ZB_AGROW(l->a, l->v, l->n, l->cap);
	l->v[l->n++] = (zb_disclose_overdue){v->id, v->name, v->path, v->township_name, zb_disclose_kinds[kind],
	                                     zb_arena_strdup(l->a, period), zb_arena_strdup(l->a, deadline)};
	l->villages += l->last != v->id;
	l->last = v->id;
	return 0;
}

int zb_disclosure_overdue(zb_db *db, const char *path, int year, const char *today, zb_arena *a,
                          zb_disclose_overdue **rows, int *n, int *villages, zb_err *e)
{
	overdue_list l = {a, NULL, 0, 0, 0, 0};
	int rc = walk_due(db, path, year, today, a, add_overdue, &l, e);
	*rows = l.v;
	*n = (int)l.n;
	*villages = l.villages;
	return rc;
}

typedef struct time_list {
	zb_arena *a;
	zb_disclose_vtime *v;
	size_t n, cap;
} time_list;

static int add_time(void *ctx, const zb_village *v, int kind, const char *period, const char *deadline,
                    const pub_row *pub, zb_err *e)
{
	(void)kind;
	(void)period;
	(void)e;
	time_list *l = ctx;
	if (!l->n || l->v[l->n - 1].org_id != v->id) {
		ZB_AGROW(l->a, l->v, l->n, l->cap);
		l->v[l->n++] = (zb_disclose_vtime){v->id, v->path, 0, 0, 0, 0};
	}
	zb_disclose_vtime *t = &l->v[l->n - 1];
	t->due++;
	if (!pub)
		t->overdue++;
	else if (pub->published_on[0] && strcmp(pub->published_on, deadline) <= 0)
		t->on_time++;
	else
		t->late++;
	return 0;
}

int zb_disclosure_timeliness(zb_db *db, const char *path, int year, const char *today, zb_arena *a,
                             zb_disclose_vtime **rows, int *n, zb_err *e)
{
	time_list l = {a, NULL, 0, 0};
	int rc = walk_due(db, path, year, today, a, add_time, &l, e);
	*rows = l.v;
	*n = (int)l.n;
	return rc;
}
