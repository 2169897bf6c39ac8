/* mobile.c - 流动党员: registering a member who is away, the paper the
 * absence needs, and the end of it (transfer.h). */
#include "transfer/transfer.h"

#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

static const char *dup_col(zb_stmt *st, int c, zb_arena *a)
{
	const char *s = zb_col_text(st, c);
	return s ? zb_arena_strdup(a, s) : NULL;
}

/* The member's status changes through the member save path, dated on. */
static int set_status(zb_db *db, zb_app *app, const zb_principal *who, int64_t member_id, const char *status,
                      const char *on, const char *reason, zb_arena *a, zb_err *e)
{
	zb_member old;
	int rc = zb_member_get_locked(db, member_id, a, &old, e);
	if (rc || (rc = zb_member_reveal(&old, app->keys, a, e)))
		return rc;
	zb_member nw = old;
	nw.status = status;
	char today[11];
	zb_today(app, today);
	zb_member_rules rules;
	if ((rc = zb_member_rules_load(db, nw.org_path, today, &rules, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = who->user_id,
	                       .today = today, .effective_on = on, .reason = reason};
	zb_member_write w = {.old = &old, .rules = &rules, .today = zb_today_int(app)};
	return zb_member_save(db, &ch, &nw, &w, e);
}

static int audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id, int64_t member_id,
                 const char *path, const char *paper, zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "member_id", member_id);
	if (paper)
		jw_kstr(w, "paper", paper);
	return zb_audit_change_detail(db, app, by, action, "mobile_member", id, path, &d, e);
}

static int check(zb_db *db, const zb_principal *who, zb_mobile *m, const char *today, const char *paper, zb_err *e)
{
	if (m->care_org_code) {
		int64_t cid = 0;
		int rc = zb_db_int(db, e, &cid, "SELECT id FROM orgs WHERE code = ? AND dissolved_on IS NULL ORDER BY id LIMIT 1",
		                   "s", m->care_org_code);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (rc)
			return zb_fail(e, ZB_ENOTFOUND, "care_org_code", "没有组织编码为 %s 的党组织，请向流入地党组织核对",
			               m->care_org_code);
		m->care_org_id = cid;
	} else if (m->care_org_id > 0) {
		char p[512] = "";
		zb_text_buf out = {p, sizeof p};
		int rc = zb_db_one(db, e, NULL, zb_row_text, &out,
		                   "SELECT path FROM orgs WHERE id = ? AND dissolved_on IS NULL", "i", m->care_org_id);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (rc || !*p || !zb_authz_allows(who, P_ORG_READ, p))
			return zb_fail(e, ZB_ENOTFOUND, "care_org_id", "流入地党组织不存在，或不在您可查看的范围内");
	}
	if (!m->left_on || !zb_date_valid(m->left_on))
		return zb_fail(e, ZB_EINVAL, "left_on", "请填写外出日期");
	if (strcmp(m->left_on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "left_on", "外出日期 %s 不能晚于今天", m->left_on);
	if (m->until_on && (!zb_date_valid(m->until_on) || strcmp(m->until_on, m->left_on) < 0))
		return zb_fail(e, ZB_EINVAL, "until_on", "预计返回日期应为不早于外出日期的有效日期");
	if (!m->until_on && !m->no_fixed_place)
		return zb_fail(e, ZB_EINVAL, "until_on", "请填写预计返回日期（无固定地点的请选择“无固定地点”）");
	if (!m->destination || !*m->destination || strlen(m->destination) > 400)
		return zb_fail(e, ZB_EINVAL, "destination", "请填写外出去向（不超过 400 字节）");
	if (m->contact && strlen(m->contact) > 200)
		return zb_fail(e, ZB_EINVAL, "contact", "联系方式过长（不超过 200 字节）");
	if (m->care_org_name && strlen(m->care_org_name) > 400)
		return zb_fail(e, ZB_EINVAL, "care_org_name", "流入地党组织名称过长（不超过 400 字节）");
	if (!strcmp(paper, "transfer"))
		return zb_fail(e, ZB_EINVAL, "until_on",
		               "外出 6 个月以上且地点固定，应将组织关系转接到流入地党组织，而不是登记为流动党员");
	int numbered = !strcmp(paper, "certificate") || !strcmp(paper, "activity_card");
	if (numbered && (!m->paper_no || !*m->paper_no))
		return zb_fail(e, ZB_EINVAL, "paper_no", "外出时间和地点需要%s，请填写其编号", zb_mobile_paper_name(paper));
	if (!numbered && m->paper_no && *m->paper_no)
		return zb_fail(e, ZB_EINVAL, "paper_no", "外出不足 3 个月无需证明，不应填写证明编号");
	if (m->paper_no && strlen(m->paper_no) > 100)
		return zb_fail(e, ZB_EINVAL, "paper_no", "证明编号过长（不超过 100 字节）");
	if (m->care_org_id <= 0 && (!m->care_org_name || !*m->care_org_name))
		return zb_fail(e, ZB_EINVAL, "care_org_name", "请填写流入地党组织（或流动党员党支部、网络支部）");
	return 0;
}

static int register_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_mobile *m,
                          const char *paper, zb_arena *a, int64_t *id, zb_err *e)
{
	zb_member mb;
	int rc = zb_member_get_locked(db, m->member_id, a, &mb, e);
	if (rc)
		return rc;
	const char *s = mb.status ? mb.status : "normal";
	if (strcmp(s, "normal") && strcmp(s, "mobile"))
		return zb_fail(e, ZB_ECONFLICT, "member_id", "该党员党籍状态为%s，不能登记为流动党员",
		               zb_status_name(s) ? zb_status_name(s) : s);
	int64_t open = 0;
	if ((rc = zb_db_int(db, e, &open, "SELECT COUNT(*) FROM mobile_members WHERE member_id = ? AND ended_on IS NULL",
	                    "i", m->member_id)))
		return rc;
	if (open)
		return zb_fail(e, ZB_ECONFLICT, "member_id", "该党员已登记为流动党员，请先登记返回");
	if ((rc = zb_db_int(db, e, id,
	                    "INSERT INTO mobile_members (member_id, home_path, left_on, until_on, no_fixed_place, "
	                    "destination, contact, care_org_id, care_org_name, paper, paper_no, created_by, created_at) "
	                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                    "isssissIsssIi", m->member_id, mb.org_path, m->left_on, m->until_on, (int64_t)m->no_fixed_place,
	                    m->destination, m->contact, m->care_org_id, m->care_org_name, paper,
	                    strcmp(paper, "none") ? m->paper_no : NULL, by->user_id, zb_now(app))))
		return rc;
	if (strcmp(s, "mobile") &&
	    (rc = set_status(db, app, who, m->member_id, "mobile", m->left_on, "外出流动（登记为流动党员）", a, e)))
		return rc;
	return audit(db, app, by, "mobile.register", *id, m->member_id, mb.org_path, paper, e);
}

int zb_mobile_register(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_mobile *m,
                       zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = (!m->left_on || !zb_date_valid(m->left_on)) ? zb_fail(e, ZB_EINVAL, "left_on", "请填写外出日期") : 0;
	zb_transfer_rules r;
	if (!rc)
		rc = zb_transfer_rules_get(db, NULL, m->left_on, &r, e);
	const char *paper = rc ? NULL : zb_mobile_paper(&r, m->left_on, m->until_on, m->no_fixed_place);
	if (rc || (rc = check(db, who, m, today, paper, e)) || (rc = zb_db_begin_write(db, e)))
		return rc;
	m->paper = paper;
	return zb_db_end(db, register_in_tx(db, app, by, who, m, paper, a, id, e), e);
}

static int end_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t member_id,
                     const char *on, const char *today, zb_arena *a, zb_err *e)
{
	int64_t v[2] = {0, 0};
	char left[11] = "";
	zb_text_buf tb = {left, sizeof left};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT id, member_id FROM mobile_members WHERE member_id = ? AND ended_on IS NULL", "i",
	                   member_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ECONFLICT, "member_id", "该党员没有未结束的流动党员登记");
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &tb, "SELECT left_on FROM mobile_members WHERE id = ?", "i", v[0]);
	if (rc)
		return rc;
	if (!zb_date_valid(on) || strcmp(on, today) > 0 || strcmp(on, left) < 0)
		return zb_fail(e, ZB_EINVAL, "ended_on", "返回日期应在外出日期 %s 与今天之间", left);
	if ((rc = zb_db_run(db, e, NULL, "UPDATE mobile_members SET ended_on = ? WHERE id = ?", "si", on, v[0])))
		return rc;
	zb_member mb;
	if ((rc = zb_member_get(db, member_id, a, &mb, e)))
		return rc;
	if (mb.status && !strcmp(mb.status, "mobile") &&
	    (rc = set_status(db, app, who, member_id, "normal", on, "流动党员返回", a, e)))
		return rc;
	return audit(db, app, by, "mobile.end", v[0], member_id, mb.org_path, NULL, e);
}

int zb_mobile_end(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t member_id,
                  const char *ended_on, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, end_in_tx(db, app, by, who, member_id, ended_on ? ended_on : today, today, a, e), e);
}

typedef struct m_list {
	zb_arena *a;
	zb_mobile *v;
	int n;
	size_t cap;
} m_list;

static int add_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	m_list *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	zb_mobile *m = &l->v[l->n++];
	memset(m, 0, sizeof *m);
	m->id = zb_col_int(st, 0);
	m->member_id = zb_col_int(st, 1);
	m->home_path = dup_col(st, 2, l->a);
	m->left_on = dup_col(st, 3, l->a);
	m->until_on = dup_col(st, 4, l->a);
	m->no_fixed_place = (int)zb_col_int(st, 5);
	m->destination = dup_col(st, 6, l->a);
	m->contact = dup_col(st, 7, l->a);
	m->care_org_id = zb_col_int(st, 8);
	m->care_org_name = dup_col(st, 9, l->a);
	m->paper = dup_col(st, 10, l->a);
	m->paper_no = dup_col(st, 11, l->a);
	m->ended_on = dup_col(st, 12, l->a);
	m->created_at = zb_col_int(st, 13);
	m->member_name = dup_col(st, 14, l->a);
	if (!m->care_org_name)
		m->care_org_name = dup_col(st, 15, l->a);
	return 0;
}

#define M_SELECT                                                                                                   \
	"SELECT mm.id, mm.member_id, mm.home_path, mm.left_on, mm.until_on, mm.no_fixed_place, mm.destination, "   \
	"mm.contact, mm.care_org_id, mm.care_org_name, mm.paper, mm.paper_no, mm.ended_on, mm.created_at, mb.name, " \
	"co.name FROM mobile_members mm JOIN members mb ON mb.id = mm.member_id LEFT JOIN orgs co ON co.id = mm.care_org_id "

int zb_mobile_list(zb_db *db, const char *path, int64_t member_id, zb_arena *a, zb_mobile **out, int *n, zb_err *e)
{
	m_list l = {a, NULL, 0, 0};
	int rc;
	if (path) {
		char upper[512];
		zb_path_upper(path, upper, sizeof upper);
		rc = zb_db_each(db, e, add_row, &l,
		                M_SELECT "WHERE mm.home_path >= ? AND mm.home_path < ? "
		                         "ORDER BY CASE WHEN mm.ended_on IS NULL THEN 0 ELSE 1 END, mm.id DESC LIMIT 500",
		                "ss", path, upper);
	} else {
		rc = zb_db_each(db, e, add_row, &l, M_SELECT "WHERE mm.member_id = ? ORDER BY mm.id DESC", "i", member_id);
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

int zb_mobile_paper_print(zb_db *db, int64_t member_id, zb_arena *a, zb_buf *b, int64_t *reg_id, zb_err *e)
{
	zb_mobile *v;
	int n;
	int rc = zb_mobile_list(db, NULL, member_id, a, &v, &n, e);
	if (rc)
		return rc;
	if (!n)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "该党员没有流动党员登记");
	const zb_mobile *m = &v[0];
	if (strcmp(m->paper, "certificate") && strcmp(m->paper, "activity_card"))
		return zb_fail(e, ZB_ECONFLICT, "paper", "该党员外出不足 3 个月，无需证明信或活动证");
	int64_t home = 0;
	zb_org o;
	rc = zb_db_int(db, e, &home, "SELECT id FROM orgs WHERE path = ?", "s", m->home_path);
	if (rc || (rc = zb_org_get(db, home, a, &o, e)))
		return rc;
	*reg_id = m->id;
	if (zb_mobile_paper_html(m, o.name, b))
		return zb_fail(e, ZB_EINTERNAL, NULL, "证明过大，无法生成打印页");
	return 0;
}
