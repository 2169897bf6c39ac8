/* demo.c - the demo county's manual points items (points/points.h):
 * proposed and decided through the same steps as the API, by members of
 * each branch's committee acting in their own name. */
#include "points/points.h"
#include "core/date.h"
#include "core/grow.h"

#include <stdio.h>
#include <string.h>

typedef struct ids {
	zb_arena *a;
	int64_t *v;
	const char **names;
	int n;
	size_t cap, ncap;
} ids;

static int add_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ids *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	ZB_AGROW(l->a, l->names, (size_t)l->n + 1, l->ncap);
	l->v[l->n] = zb_col_int(st, 0);
	l->names[l->n++] = zb_col_count(st) > 1 ? zb_arena_strdup(l->a, zb_col_text(st, 1)) : NULL;
	return 0;
}

static zb_principal as_member(int64_t member_id, const char *name)
{
	return (zb_principal){.member_id = member_id, .display_name = name, .username = "demo"};
}

typedef struct plan {
	const char *key, *reason;
	int days_back, outcome;  /* 0 pending, 1 approved, 2 rejected */
} plan;

static const plan plans[] = {
	{"volunteer", "参加村里的人居环境整治志愿服务，清理河道垃圾", 40, 1},
	{"good_deed", "拾到村民钱包并归还失主", 25, 1},
	{"volunteer", "为独居老人代购生活用品", 12, 0},
	{"good_deed", "在防汛值守中主动报名值夜班", 60, 2},
	{"violation", "无正当理由连续两个月未参加组织生活", 90, 1},
	{"volunteer", "参加义务植树", 8, 0},
};

/* The items of one branch: subjects among its members, proposed by its
 * secretary (or the member), decided by another committee member. */
static int demo_branch(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, int64_t self_member, int first,
                       const char *today, zb_arena *a, zb_err *e)
{
	ids com = {.a = a}, mem = {.a = a};
	int rc = zb_db_each(db, e, add_id, &com,
	                    "SELECT p.member_id, m.name FROM committee_posts p JOIN members m ON m.id = p.member_id "
	                    "WHERE p.org_id = ? AND p.ended_on IS NULL AND m.status IN ('normal', 'mobile', 'abroad') "
	                    "ORDER BY CASE p.post WHEN 'secretary' THEN 0 ELSE 1 END, p.id",
	                    "i", org_id);
	if (!rc)
		rc = zb_db_each(db, e, add_id, &mem,
		                "SELECT id, name FROM members WHERE org_id = ? AND status = 'normal' ORDER BY id LIMIT 12", "i",
		                org_id);
	/* the member account's own claim, waiting for the committee */
	if (!rc && self_member) {
		char on[11];
		zb_date_add_days(today, -5, on);
		if (strncmp(on, today, 4))
			snprintf(on, sizeof on, "%.4s-01-02", today);
		zb_text_buf nm = {zb_arena_alloc(a, 200), 200};
		rc = zb_db_one(db, e, NULL, zb_row_text, &nm, "SELECT name FROM members WHERE id = ?", "i", self_member);
		zb_principal me = as_member(self_member, nm.out);
		zb_pts_propose_in in = {ZB_PTS_MEMBER, self_member, 0, "volunteer", on, "参加社区义诊志愿服务，协助老人登记"};
		int64_t id;
		if (!rc)
			rc = zb_points_propose(db, app, by, &me, &in, a, &id, e);
	}
	if (rc || com.n < 2 || mem.n < 4)
		return rc;
	zb_principal sec = as_member(com.v[0], com.names[0]);
	int k = 0;
	for (int i = first; !rc && i < (int)(sizeof plans / sizeof plans[0]) && k < mem.n; i++, k++) {
		int64_t subject = mem.v[k];
		if (subject == com.v[0] || subject == com.v[1])
			subject = mem.v[(k + 3) % mem.n];
		if (subject == com.v[0] || subject == com.v[1])
			continue;
		char on[11];
		zb_date_add_days(today, -plans[i].days_back, on);
		if (strncmp(on, today, 4))
			snprintf(on, sizeof on, "%.4s-01-02", today);
		zb_pts_propose_in in = {ZB_PTS_MEMBER, subject, org_id, plans[i].key, on, plans[i].reason};
		int64_t id;
		rc = zb_points_propose(db, app, by, &sec, &in, a, &id, e);
		if (!rc && plans[i].outcome) {
			zb_principal dec = as_member(com.v[1], com.names[1]);
			rc = zb_points_decide(db, app, by, &dec, id, plans[i].outcome == 1,
			                      plans[i].outcome == 2 ? "值守属于本职安排，不另计好人好事" : "经支部委员会核实", a, e);
		}
	}
	/* the secretary's 完成重点工作, proposed by one committee member and
	 * decided by another, when the first of the committee is the 书记 on
	 * that date */
	char on[11];
	zb_date_add_days(today, -30, on);
	if (strncmp(on, today, 4))
		snprintf(on, sizeof on, "%.4s-01-02", today);
	int64_t is_sec = 0;
	if (!rc && com.n >= 3)
		rc = zb_db_int(db, e, &is_sec,
		               "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND member_id = ? AND post = 'secretary' "
		               "AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)",
		               "iiss", org_id, com.v[0], on, on);
	if (!rc && is_sec) {
		zb_principal p1 = as_member(com.v[1], com.names[1]), p2 = as_member(com.v[2], com.names[2]);
		zb_pts_propose_in in = {ZB_PTS_SECRETARY, com.v[0], org_id, "key_work", on,
		                        "牵头完成村集体经济合作社清产核资"};
		int64_t id;
		rc = zb_points_propose(db, app, by, &p1, &in, a, &id, e);
		if (!rc)
			rc = zb_points_decide(db, app, by, &p2, id, 1, "经支部委员会核实", a, e);
	}
	return rc;
}

int zb_points_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t township_id, int64_t branch_id, int64_t member_id,
                   zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	char today[11];
	zb_today(app, today);
	ids br = {.a = &a};
	int rc = zb_db_each(db, e, add_id, &br,
	                    "SELECT id FROM orgs WHERE parent_id = ? AND type IN ('branch', 'joint_branch') "
	                    "AND dissolved_on IS NULL AND id <> ? ORDER BY id LIMIT 4",
	                    "ii", township_id, branch_id);
	if (!rc)
		rc = demo_branch(db, app, &by, branch_id, member_id, 0, today, &a, e);
	for (int i = 0; !rc && i < br.n; i++)
		rc = demo_branch(db, app, &by, br.v[i], 0, (int)((seed + (uint64_t)i) % 3), today, &a, e);
	zb_arena_free(&a);
	return rc;
}
