/* pair.c - the helpers paired with a household, the 责任区 of party
 * members and the visits.  See aid.h. */
#include "aid/aid.h"
#include "auth/authz.h"
#include "core/date.h"
#include "member/member.h"
#include "village/cadre.h"

#include <stdio.h>
#include <string.h>

/* A member on the roster now (normal or 流动党员): their org path and
 * name; who (NULL: no limit) must be able to read them. */
typedef struct mrow {
	zb_arena *ar;
	const char *path, *name;
} mrow;

static void read_mrow(zb_stmt *st, void *ctx)
{
	mrow *m = ctx;
	m->path = zb_arena_strdup(m->ar, zb_col_text(st, 0));
	m->name = zb_arena_strdup(m->ar, zb_col_text(st, 1));
}

static int current_member(zb_db *db, const zb_principal *who, int64_t member_id, zb_arena *ar, const char **path,
                          const char **name, zb_err *e)
{
	mrow m = {ar, NULL, NULL};
	int rc = zb_db_one(db, e, NULL, read_mrow, &m,
	                   "SELECT org_path, name FROM members WHERE id = ? AND status IN ('normal', 'mobile')", "i",
	                   member_id);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_READ, m.path)))
		return zb_fail(e, ZB_ENOTFOUND, "member_id", "未找到该党员，或其不在您的管理范围内");
	if (rc)
		return rc;
	*path = m.path;
	*name = m.name;
	return 0;
}

static int in_subtree(const char *path, const char *root)
{
	return !strncmp(path, root, strlen(root));
}

static int date_field(const char *v, const char *today, const char *field, const char *what, zb_err *e)
{
	if (!v || !zb_date_valid(v))
		return zb_fail(e, ZB_EINVAL, field, "请填写%s（YYYY-MM-DD）", what);
	if (strcmp(v, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s %s 晚于今天", what, v);
	return 0;
}

/* ---- pairings -------------------------------------------------------------------- */

/* A cadre of the registry (village/cadre.h) who may read them: their org
 * path, name and unit. */
static int cadre_helper(zb_db *db, const zb_principal *who, int64_t cadre_id, zb_arena *ar, const char **name,
                        zb_err *e)
{
	zb_cadre c;
	int rc = zb_cadre_get(db, cadre_id, ar, &c, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_READ, c.org_path)))
		return zb_fail(e, ZB_ENOTFOUND, "cadre_id", "未找到该干部，或其不在您的管理范围内");
	if (!rc)
		*name = c.name;
	return rc;
}

int zb_aid_pair_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t household_id,
                       const char *kind, int64_t member_id, int64_t cadre_id, const char *from_on, zb_arena *ar,
                       int64_t *pair_id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_aid_household h;
	int rc = zb_aid_household_get(db, household_id, ar, &h, e);
	if (rc)
		return rc;
	if (h.exited_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 户已于 %s 退出帮扶", h.head_name, h.exited_on);
	const char *k = zb_aid_kind_from(kind ? zb_member_clean(ar, kind) : "helper");
	if (!k)
		return zb_fail(e, ZB_EINVAL, "kind", "结对类型应为 helper（帮扶责任人）或 contact（党员联系户）");
	if ((member_id > 0) == (cadre_id > 0))
		return zb_fail(e, ZB_EINVAL, member_id ? "cadre_id" : "member_id",
		               "请指定一名党员（member_id）或一名派出单位干部（cadre_id），二者选一");
	if (cadre_id && !strcmp(k, "contact"))
		return zb_fail(e, ZB_EINVAL, "cadre_id", "党员联系户须由本村党员联系，派出单位干部只能作帮扶责任人");
	if ((rc = date_field(from_on, today, "from_on", "结对开始日期", e)))
		return rc;
	const char *mpath = NULL, *name;
	if ((rc = cadre_id ? cadre_helper(db, who, cadre_id, ar, &name, e)
	                   : current_member(db, who, member_id, ar, &mpath, &name, e)))
		return rc;
	if (!strcmp(k, "contact") && !in_subtree(mpath, h.org_path))
		return zb_fail(e, ZB_EINVAL, "member_id", "党员联系户须由本村（%s）的党员联系：%s 不在本村党组织", h.org_name,
		               name);
	int64_t n = 0;
	if ((rc = zb_db_int(db, e, &n,
	                    "SELECT COUNT(*) FROM aid_pairs WHERE household_id = ? AND kind = ? AND "
	                    "(member_id = ? OR cadre_id = ?) AND to_on IS NULL",
	                    "isii", household_id, k, member_id, cadre_id)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已是 %s 户的%s", name, h.head_name, zb_aid_kind_name(k));
	if ((rc = zb_db_int(db, e, pair_id,
	                    "INSERT INTO aid_pairs (household_id, kind, member_id, cadre_id, from_on, created_by, "
	                    "created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
	                    "isIIsIi", household_id, k, member_id, cadre_id, from_on, by ? by->user_id : 0, zb_now(app))))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "pair_id", *pair_id);
	jw_kstr(w, "kind", k);
	jw_kint(w, cadre_id ? "cadre_id" : "member_id", cadre_id ? cadre_id : member_id);
	jw_kstr(w, "from_on", from_on);
	return zb_audit_change_detail(db, app, by, "aid.pair.add", "aid_household", household_id, h.org_path, &d, e);
}

int zb_aid_pair_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t household_id,
                    const char *kind, int64_t member_id, int64_t cadre_id, const char *from_on, zb_arena *ar,
                    int64_t *pair_id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc
	          : zb_db_end(db,
	                      zb_aid_pair_insert(db, app, by, who, household_id, kind, member_id, cadre_id, from_on, ar,
	                                         pair_id, e),
	                      e);
}

typedef struct pair_row {
	int64_t household_id;
	char from_on[11], to_on[11];
	char path[256];
} pair_row;

static void read_pair_row(zb_stmt *st, void *ctx)
{
	pair_row *p = ctx;
	p->household_id = zb_col_int(st, 0);
	snprintf(p->from_on, sizeof p->from_on, "%s", zb_col_text(st, 1));
	snprintf(p->to_on, sizeof p->to_on, "%s", zb_col_is_null(st, 2) ? "" : zb_col_text(st, 2));
	snprintf(p->path, sizeof p->path, "%s", zb_col_text(st, 3));
}

static int end_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t pair_id, const char *to_on,
                     const char *reason, zb_arena *ar, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	pair_row p;
	int rc = zb_db_one(db, e, "未找到该结对", read_pair_row, &p,
	                   "SELECT p.household_id, p.from_on, p.to_on, h.org_path FROM aid_pairs p "
	                   "JOIN aid_households h ON h.id = p.household_id WHERE p.id = ?",
	                   "i", pair_id);
	if (rc)
		return rc;
	if (*p.to_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该结对已于 %s 结束", p.to_on);
	if (!to_on || !zb_date_valid(to_on))
		return zb_fail(e, ZB_EINVAL, "to_on", "请填写结对结束日期（YYYY-MM-DD）");
	if (strcmp(to_on, p.from_on) < 0)
		return zb_fail(e, ZB_EINVAL, "to_on", "结束日期 %s 早于结对开始日期 %s", to_on, p.from_on);
	reason = reason ? zb_member_clean(ar, reason) : NULL;
	if (!reason || strlen(reason) > 1000)
		return zb_fail(e, ZB_EINVAL, "reason", "请说明结对结束的原因（如 帮扶责任人调整、工作调动）");
	if ((rc = zb_db_run(db, e, NULL, "UPDATE aid_pairs SET to_on = ?, end_reason = ? WHERE id = ?", "ssi", to_on,
	                    reason, pair_id)))
		return rc;
	return zb_audit_change(db, app, by, "aid.pair.end", "aid_household", p.household_id, p.path,
	                       zb_arena_printf(ar, "{\"pair_id\":%lld,\"to_on\":\"%s\"}", (long long)pair_id, to_on), e);
}

int zb_aid_pair_end(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t pair_id, const char *to_on,
                    const char *reason, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, end_in_tx(db, app, by, pair_id, to_on, reason, ar, e), e);
}

/* ---- 责任区 ---------------------------------------------------------------------- */

int zb_aid_area_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id, const char *name,
                      int64_t member_id, const char *from_on, zb_arena *ar, int64_t *area_id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	const char *path, *oname, *mpath, *mname;
	int rc = zb_aid_village_check(db, org_id, "org_id", ar, &path, &oname, e);
	if (rc)
		return rc;
	name = name ? zb_member_clean(ar, name) : NULL;
	if (!name || strlen(name) > 100)
		return zb_fail(e, ZB_EINVAL, "name", "请填写责任区（村民小组）的名称，至多 100 字节");
	if ((rc = date_field(from_on, today, "from_on", "开始日期", e)) ||
	    (rc = current_member(db, who, member_id, ar, &mpath, &mname, e)))
		return rc;
	if (!in_subtree(mpath, path))
		return zb_fail(e, ZB_EINVAL, "member_id", "责任区由本村（%s）的党员负责：%s 不在本村党组织", oname, mname);
	int64_t n = 0;
	if ((rc = zb_db_int(db, e, &n,
	                    "SELECT COUNT(*) FROM aid_areas WHERE org_id = ? AND name = ? AND member_id = ? AND to_on IS NULL",
	                    "isi", org_id, name, member_id)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "member_id", "%s 已负责责任区 %s", mname, name);
	if ((rc = zb_db_int(db, e, area_id,
	                    "INSERT INTO aid_areas (org_id, org_path, name, member_id, from_on, created_by, created_at) "
	                    "VALUES (?,?,?,?,?,?,?) RETURNING id",
	                    "issisIi", org_id, path, name, member_id, from_on, by ? by->user_id : 0, zb_now(app))))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", name);
	jw_kint(w, "member_id", member_id);
	jw_kstr(w, "from_on", from_on);
	return zb_audit_change_detail(db, app, by, "aid.area.add", "aid_area", *area_id, path, &d, e);
}

int zb_aid_area_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t org_id, const char *name,
                    int64_t member_id, const char *from_on, zb_arena *ar, int64_t *area_id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, zb_aid_area_insert(db, app, by, who, org_id, name, member_id, from_on, ar, area_id, e), e);
}

static int area_end_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t area_id, const char *to_on,
                          zb_arena *ar, zb_err *e)
{
	pair_row p;
	int rc = zb_db_one(db, e, "未找到该责任区", read_pair_row, &p,
	                   "SELECT org_id, from_on, to_on, org_path FROM aid_areas WHERE id = ?", "i", area_id);
	if (rc)
		return rc;
	if (*p.to_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该责任区已于 %s 结束", p.to_on);
	if (!to_on || !zb_date_valid(to_on) || strcmp(to_on, p.from_on) < 0)
		return zb_fail(e, ZB_EINVAL, "to_on", "请填写不早于开始日期 %s 的结束日期（YYYY-MM-DD）", p.from_on);
	if ((rc = zb_db_run(db, e, NULL, "UPDATE aid_areas SET to_on = ? WHERE id = ?", "si", to_on, area_id)))
		return rc;
	return zb_audit_change(db, app, by, "aid.area.end", "aid_area", area_id, p.path,
	                       zb_arena_printf(ar, "{\"to_on\":\"%s\"}", to_on), e);
}

int zb_aid_area_end(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t area_id, const char *to_on, zb_arena *ar,
                    zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, area_end_in_tx(db, app, by, area_id, to_on, ar, e), e);
}

/* ---- visits ---------------------------------------------------------------------- */

int zb_aid_visit_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t household_id, int64_t member_id,
                        int64_t cadre_id, const char *visited_on, const char *what, zb_arena *ar, int64_t *visit_id,
                        zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_aid_household h;
	int rc = zb_aid_household_get(db, household_id, ar, &h, e);
	if (rc || (rc = date_field(visited_on, today, "visited_on", "走访日期", e)))
		return rc;
	if (h.exited_on && strcmp(visited_on, h.exited_on) > 0)
		return zb_fail(e, ZB_ECONFLICT, "visited_on", "%s 户已于 %s 退出帮扶", h.head_name, h.exited_on);
	what = what ? zb_member_clean(ar, what) : NULL;
	if (!what)
		return zb_fail(e, ZB_EINVAL, "what", "请填写走访做了什么（如 了解收入、落实政策、解决困难）");
	if (strlen(what) > 2000)
		return zb_fail(e, ZB_EINVAL, "what", "走访内容过长（至多 2000 字节）");
	if ((member_id > 0) == (cadre_id > 0))
		return zb_fail(e, ZB_EINVAL, member_id ? "cadre_id" : "member_id",
		               "请指定走访人：一名党员（member_id）或一名派出单位干部（cadre_id），二者选一");
	int64_t n = 0;
	if ((rc = zb_db_int(db, e, &n,
	                    "SELECT COUNT(*) FROM aid_pairs WHERE household_id = ? AND (member_id = ? OR cadre_id = ?) "
	                    "AND from_on <= ? AND (to_on IS NULL OR to_on >= ?)",
	                    "iiiss", household_id, member_id, cadre_id, visited_on, visited_on)))
		return rc;
	if (!n)
		return zb_fail(e, ZB_ECONFLICT, cadre_id ? "cadre_id" : "member_id",
		               "走访人在走访当天不是该户的帮扶责任人或联系人，不能记为其走访");
	if ((rc = zb_db_int(db, e, visit_id,
	                    "INSERT INTO aid_visits (household_id, member_id, cadre_id, visited_on, what, recorded_by, "
	                    "recorded_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
	                    "iIIssIi", household_id, member_id, cadre_id, visited_on, what, by ? by->user_id : 0,
	                    zb_now(app))))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "visit_id", *visit_id);
	jw_kint(w, cadre_id ? "cadre_id" : "member_id", cadre_id ? cadre_id : member_id);
	jw_kstr(w, "visited_on", visited_on);
	return zb_audit_change_detail(db, app, by, "aid.visit", "aid_household", household_id, h.org_path, &d, e);
}

int zb_aid_visit_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t household_id, int64_t member_id,
                     int64_t cadre_id, const char *visited_on, const char *what, zb_arena *ar, int64_t *visit_id,
                     zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc
	          : zb_db_end(db,
	                      zb_aid_visit_insert(db, app, by, household_id, member_id, cadre_id, visited_on, what, ar,
	                                          visit_id, e),
	                      e);
}
