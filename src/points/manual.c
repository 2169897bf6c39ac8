/* manual.c - the manual points items a scheme allows: proposed by the
 * branch, decided by its committee (points/points.h); the ranking inside
 * a branch. */
#include "points/points.h"
#include "core/date.h"
#include "core/grow.h"
#include "meeting/compliance.h"
#include "member/member.h"
#include "study/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *scheme_code(int which)
{
	return which == ZB_PTS_SECRETARY ? "secretary" : "member";
}

typedef struct who_row {
	int64_t org_id;
	char path[600], name[200], status[32];
} who_row;

static void read_member(zb_stmt *st, void *ctx)
{
	who_row *w = ctx;
	w->org_id = zb_col_int(st, 0);
	snprintf(w->path, sizeof w->path, "%s", zb_col_text(st, 1));
	snprintf(w->name, sizeof w->name, "%s", zb_col_text(st, 2));
	snprintf(w->status, sizeof w->status, "%s", zb_col_text(st, 3) ? zb_col_text(st, 3) : "");
}

/* Does who sit on the committee of org_id today: the linked member holds
 * a post of it, or a grant with member.write at the org itself (the
 * branch's 党务 account). */
static int on_committee(zb_db *db, const zb_principal *who, int64_t org_id, const char *today, int *yes, zb_err *e)
{
	*yes = 0;
	for (int i = 0; who && i < who->ngrants; i++)
		if (who->grants[i].org_id == org_id && (who->grants[i].perms & P_MEMBER_WRITE))
			*yes = 1;
	if (*yes || !who || !who->member_id)
		return 0;
	int64_t n = 0;
	int rc = zb_db_int(db, e, &n,
	                   "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND member_id = ? AND started_on <= ? "
	                   "AND (ended_on IS NULL OR ended_on >= ?)",
	                   "iiss", org_id, who->member_id, today, today);
	*yes = n > 0;
	return rc;
}

/* The name a proposal or decision shows: the account's display name. */
static const char *name_of(const zb_principal *who, const zb_audit_ev *by)
{
	if (who->display_name && *who->display_name)
		return who->display_name;
	return by && by->username ? by->username : "";
}

int zb_points_propose(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                      const zb_pts_propose_in *in, zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11], earliest[11];
	zb_today(app, today);
	zb_date_add_years(today, -2, earliest);
	const char *d = in->happened_on;
	if (!d || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, "date", "请填写事项发生的日期（YYYY-MM-DD）");
	if (strcmp(d, today) > 0 || strcmp(d, earliest) < 0)
		return zb_fail(e, ZB_EINVAL, "date", "事项日期应在 %s 到今天之间", earliest);
	const char *reason = in->reason ? zb_member_clean(a, in->reason) : NULL;
	if (!reason || !*reason)
		return zb_fail(e, ZB_EINVAL, "reason", "请写明事由（做了什么、何时何地）");
	if (strlen(reason) > 1000)
		return zb_fail(e, ZB_EINVAL, "reason", "事由过长（至多 1000 字节）");
	who_row m = {0};
	int rc = zb_db_one(db, e, "未找到该党员", read_member, &m,
	                   "SELECT org_id, org_path, name, status FROM members WHERE id = ?", "i", in->member_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "member_id",
		               in->which == ZB_PTS_SECRETARY ? "未找到该党员，或其不是本组织的书记" : "未找到该党员，或其不是本支部的党员");
	if (rc)
		return rc;
	int64_t org_id = m.org_id;
	char org_path[600];
	snprintf(org_path, sizeof org_path, "%s", m.path);
	if (in->which == ZB_PTS_SECRETARY) {
		who_row p = {0};
		rc = zb_db_one(db, e, NULL, read_member, &p,
		               "SELECT o.id, o.path, o.name, o.type FROM committee_posts c JOIN orgs o ON o.id = c.org_id "
		               "WHERE c.member_id = ? AND c.post = 'secretary' AND c.started_on <= ? "
		               "AND (c.ended_on IS NULL OR c.ended_on >= ?) AND (? = 0 OR c.org_id = ?) "
		               "ORDER BY c.started_on DESC, c.id DESC LIMIT 1",
		               "issii", in->member_id, d, d, in->org_id, in->org_id);
		if (rc == ZB_ENOTFOUND)
			return in->org_id ? zb_fail(e, ZB_ENOTFOUND, "member_id", "未找到该党员，或其不是本组织的书记")
			                  : zb_fail(e, ZB_EINVAL, "member_id", "%s 在 %s 不是党组织书记，不能记书记积分", m.name, d);
		if (rc)
			return rc;
		org_id = p.org_id;
		snprintf(org_path, sizeof org_path, "%s", p.path);
	}
	/* a member of another org is answered as one that does not exist */
	if (in->org_id && in->org_id != org_id)
		return zb_fail(e, ZB_ENOTFOUND, "member_id",
		               in->which == ZB_PTS_SECRETARY ? "未找到该党员，或其不是本组织的书记" : "未找到该党员，或其不是本支部的党员");
	zb_pts_scheme s;
	int found;
	if ((rc = zb_pts_scheme_at(db, in->which, m.path, d, a, &s, &found, e)))
		return rc;
	const zb_pts_item *it = found ? zb_pts_item_of(&s, in->item_key) : NULL;
	if (!it || it->src != ZB_PS_MANUAL)
		return zb_fail(e, ZB_EINVAL, "item_key", "%s 适用的积分方案中没有人工认定的积分项“%s”", d,
		               in->item_key ? in->item_key : "");
	if (it->points10 < 0 && who->member_id == in->member_id)
		return zb_fail(e, ZB_EINVAL, "item_key", "扣分项由支部提出，不能由本人申报");
	rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO points_manual (scheme, member_id, org_id, org_path, item_key, happened_on, reason, "
	               "status, proposed_by, proposed_member, proposed_name, proposed_at) VALUES (?,?,?,?,?,?,?,'pending',?,?,?,?) "
	               "RETURNING id",
	               "siissssiIsi", scheme_code(in->which), in->member_id, org_id, org_path, it->key, d, reason,
	               who->user_id, who->member_id, name_of(who, by), zb_now(app));
	if (!rc) {
		zb_audit_detail ad;
		zb_jw *w = zb_audit_detail_begin(&ad);
		jw_kstr(w, "scheme", scheme_code(in->which));
		jw_kint(w, "member_id", in->member_id);
		jw_kstr(w, "item_key", it->key);
		jw_kstr(w, "date", d);
		rc = zb_audit_change_detail(db, app, by, "points.propose", "points_item", *id, org_path, &ad, e);
	}
	return zb_db_end(db, rc, e);
}

typedef struct item_row {
	int64_t member_id, org_id, proposed_by, proposed_member;
	char path[600], status[16];
} item_row;

static void read_item(zb_stmt *st, void *ctx)
{
	item_row *r = ctx;
	r->member_id = zb_col_int(st, 0);
	r->org_id = zb_col_int(st, 1);
	snprintf(r->path, sizeof r->path, "%s", zb_col_text(st, 2));
	snprintf(r->status, sizeof r->status, "%s", zb_col_text(st, 3));
	r->proposed_by = zb_col_int(st, 4);
	r->proposed_member = zb_col_int(st, 5);
}

int zb_points_decide(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                     int approve, const char *note, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	note = note ? zb_member_clean(a, note) : NULL;
	if (!approve && (!note || !*note))
		return zb_fail(e, ZB_EINVAL, "note", "请写明不予认定的理由");
	if (note && strlen(note) > 1000)
		return zb_fail(e, ZB_EINVAL, "note", "审核意见过长（至多 1000 字节）");
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	item_row it = {0};
	rc = zb_db_one(db, e, "未找到该积分项", read_item, &it,
	               "SELECT member_id, org_id, org_path, status, proposed_by, COALESCE(proposed_member, 0) FROM points_manual "
	               "WHERE id = ?", "i", id);
	int yes = 0;
	if (!rc && strcmp(it.status, "pending"))
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该积分项已经审核（%s），不能再次审核",
		             !strcmp(it.status, "approved") ? "已认定" : "未认定");
	if (!rc && ((who->user_id && who->user_id == it.proposed_by) ||
	            (who->member_id && who->member_id == it.proposed_member)))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "不能审核自己提出的积分项，应由支部委员会其他成员审核");
	if (!rc && who->member_id && who->member_id == it.member_id)
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "不能审核自己的积分项，应由支部委员会其他成员审核");
	if (!rc)
		rc = on_committee(db, who, it.org_id, today, &yes, e);
	if (!rc && !yes)
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "只有本支部委员会成员可以审核积分项");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE points_manual SET status = ?, decided_by = ?, decided_member = ?, decided_name = ?, "
		               "decided_at = ?, decision_note = ? WHERE id = ? AND status = 'pending'",
		               "siIsisi", approve ? "approved" : "rejected", who->user_id, who->member_id, name_of(who, by),
		               zb_now(app), note && *note ? note : NULL, id);
	if (!rc) {
		zb_audit_detail ad;
		zb_jw *w = zb_audit_detail_begin(&ad);
		jw_kint(w, "member_id", it.member_id);
		if (note && *note)
			jw_kstr(w, "note", note);
		rc = zb_audit_change_detail(db, app, by, approve ? "points.approve" : "points.reject", "points_item", id,
		                            it.path, &ad, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- the branch's list ---- */

typedef struct mlist {
	zb_db *db;
	zb_arena *a;
	zb_pts_manual *v;
	int n;
	size_t cap;
} mlist;

static int on_manual_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	mlist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_pts_manual *m = &l->v[l->n++];
	memset(m, 0, sizeof *m);
	m->id = zb_col_int(st, 0);
	m->member_id = zb_col_int(st, 1);
	m->member_name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	m->scheme = zb_arena_strdup(l->a, zb_col_text(st, 3));
	m->item_key = zb_arena_strdup(l->a, zb_col_text(st, 4));
	m->happened_on = zb_arena_strdup(l->a, zb_col_text(st, 5));
	m->reason = zb_arena_strdup(l->a, zb_col_text(st, 6));
	m->status = zb_arena_strdup(l->a, zb_col_text(st, 7));
	m->proposed_by = zb_col_int(st, 8);
	m->proposed_name = zb_arena_strdup(l->a, zb_col_text(st, 9));
	m->decided_by = zb_col_int(st, 10);
	m->decided_name = zb_arena_strdup(l->a, zb_col_text(st, 11));
	m->decision_note = zb_arena_strdup(l->a, zb_col_text(st, 12));
	m->org_id = zb_col_int(st, 13);
	m->item_name = zb_arena_strdup(l->a, zb_col_text(st, 14)); /* the org path, replaced below */
	return 0;
}

/* A scheme read for a list, kept per (which, date). */
typedef struct scache {
	int which;
	const char *date;
	zb_pts_scheme s;
	int found;
} scache;

int zb_points_manual_list(zb_db *db, int64_t org_id, const char *status, zb_arena *a, zb_pts_manual **out, int *n,
                          zb_err *e)
{
	mlist l = {db, a, NULL, 0, 0};
	int all = !status || !*status;
	if (!all && strcmp(status, "pending") && strcmp(status, "approved") && strcmp(status, "rejected"))
		return zb_fail(e, ZB_EINVAL, "status", "状态应为 pending（待审核）、approved（已认定）或 rejected（未认定）");
	int rc = zb_db_each(db, e, on_manual_row, &l,
	                    "SELECT p.id, p.member_id, m.name, p.scheme, p.item_key, p.happened_on, p.reason, p.status, "
	                    "p.proposed_by, p.proposed_name, p.decided_by, p.decided_name, p.decision_note, p.org_id, "
	                    "m.org_path FROM points_manual p JOIN members m ON m.id = p.member_id "
	                    "WHERE p.org_id = ? AND (? = 1 OR p.status = ?) "
	                    "ORDER BY CASE p.status WHEN 'pending' THEN 0 ELSE 1 END, p.happened_on DESC, p.id DESC "
	                    "LIMIT 500",
	                    "iis", org_id, (int64_t)all, all ? "" : status);
	scache *c = zb_arena_alloc(a, sizeof *c * (size_t)(l.n + 1));
	int nc = 0;
	for (int i = 0; !rc && i < l.n; i++) {
		zb_pts_manual *m = &l.v[i];
		int which = !strcmp(m->scheme, "secretary") ? ZB_PTS_SECRETARY : ZB_PTS_MEMBER, j = 0;
		while (j < nc && (c[j].which != which || strcmp(c[j].date, m->happened_on)))
			j++;
		if (j == nc) {
			c[nc].which = which;
			c[nc].date = m->happened_on;
			if ((rc = zb_pts_scheme_at(db, which, m->item_name, m->happened_on, a, &c[nc].s, &c[nc].found, e)))
				break;
			nc++;
		}
		const zb_pts_item *it = c[j].found ? zb_pts_item_of(&c[j].s, m->item_key) : NULL;
		m->item_name = it ? it->name : m->item_key;
		m->points10 = it && it->src == ZB_PS_MANUAL ? it->points10 : 0;
	}
	*out = l.v;
	*n = l.n;
	return rc;
}

/* ---- the ranking inside a branch ---- */

typedef struct rlist {
	zb_arena *a;
	zb_pts_rank *v;
	int n;
	size_t cap;
} rlist;

static int on_rank_member(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	rlist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	l->v[l->n++] = (zb_pts_rank){zb_col_int(st, 0), zb_arena_strdup(l->a, zb_col_text(st, 1)), 0, 0};
	return 0;
}

static int by_total(const void *x, const void *y)
{
	const zb_pts_rank *a = x, *b = y;
	if (a->total10 != b->total10)
		return a->total10 < b->total10 ? 1 : -1;
	return a->member_id < b->member_id ? -1 : a->member_id > b->member_id;
}

int zb_points_ranking(zb_db *db, const zb_principal *who, int64_t org_id, int year, const char *today, zb_arena *a,
                      zb_pts_rank **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	who_row o = {0};
	int rc = zb_db_one(db, e, NULL, read_member, &o, "SELECT id, path, name, type FROM orgs WHERE id = ?", "i", org_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (rc || !zb_compliance_is_branch(o.status))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "积分排名只在一个党支部之内查看，未找到该党支部");
	int inside = 0;
	if ((rc = on_committee(db, who, org_id, today, &inside, e)))
		return rc;
	for (int i = 0; who && i < who->ngrants; i++)
		inside |= who->grants[i].org_id == org_id;
	if (!inside && who && who->member_id) {
		int64_t mine = 0;
		if ((rc = zb_db_int(db, e, &mine, "SELECT COUNT(*) FROM members WHERE id = ? AND org_id = ?", "ii",
		                    who->member_id, org_id)))
			return rc;
		inside = mine > 0;
	}
	if (!inside)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "积分排名只对本支部的党员和支部委员会可见");
	char ref[11];
	if ((rc = zb_study_ref_date(year, today, ref, e)))
		return rc;
	zb_pts_scheme s;
	int found;
	if ((rc = zb_pts_scheme_at(db, ZB_PTS_MEMBER, o.path, ref, a, &s, &found, e)))
		return rc;
	if (!found || !s.ranking)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "本支部适用的积分方案未开启支部内排名（默认关闭，由县级在积分方案中开启）");
	rlist l = {a, NULL, 0, 0};
	rc = zb_db_each(db, e, on_rank_member, &l,
	                "SELECT id, name FROM members WHERE org_id = ? AND status IN ('normal', 'mobile', 'abroad') "
	                "ORDER BY id",
	                "i", org_id);
	for (int i = 0; !rc && i < l.n; i++) {
		zb_pts_ledger led;
		rc = zb_points_ledger(db, l.v[i].member_id, ZB_PTS_MEMBER, year, today, a, &led, e);
		l.v[i].total10 = led.total10;
	}
	if (rc)
		return rc;
	if (l.n)
		qsort(l.v, (size_t)l.n, sizeof *l.v, by_total);
	for (int i = 0; i < l.n; i++)
		l.v[i].rank = i && l.v[i].total10 == l.v[i - 1].total10 ? l.v[i - 1].rank : i + 1;
	*out = l.v;
	*n = l.n;
	return 0;
}
