/* demo.c - the demo's 党员减少 of this year (report/demo.h).  Members are
 * chosen by a hash of their id and the seed among full members with no
 * other role in the demo (no post, account, applicant record, 帮扶 pair
 * or area, reserve or transfer), so the other demo steps keep theirs:
 * about one normal member in 400 died, three in 10,000 were expelled (出党),
 * one in eight of those 失联 had their membership suspended (停止党籍).
 * Each is an edit through zb_member_edit (audited, history row with the
 * effective date, roll-ups), dated on a day of this year before today. */
#include "report/demo.h"

#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "member/member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cand {
	int64_t id;
	int lost;
} cand;

typedef struct cands {
	cand *v;
	size_t n, cap;
} cands;

static int add_cand(zb_stmt *st, void *ctx, zb_err *e)
{
	cands *l = ctx;
	if (ZB_GROW(l->v, l->n, l->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	const char *s = zb_col_text(st, 1);
	l->v[l->n++] = (cand){zb_col_int(st, 0), s && !strcmp(s, "lost")};
	return 0;
}

int zb_report_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t keep, int *made, zb_err *e)
{
	int n = 0;
	if (made)
		*made = 0;
	char today[11], y0[11];
	zb_today(app, today);
	snprintf(y0, sizeof y0, "%.4s-01-01", today);
	long days = zb_date_days(today) - zb_date_days(y0); /* days of the year before today */
	if (days < 1)
		return 0;
	cands l = {0};
	int rc = zb_db_each(db, e, add_cand, &l,
	                    "SELECT m.id, m.status FROM members m WHERE m.status IN ('normal', 'lost') AND m.category = 'full' "
	                    "AND NOT EXISTS (SELECT 1 FROM committee_posts x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM users x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM applicants x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM aid_pairs x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM aid_areas x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM reserve_cadres x WHERE x.member_id = m.id) "
	                    "AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.member_id = m.id) ORDER BY m.id",
	                    "");
	zb_grant g = {.role = "org_admin", .org_id = 1, .org_path = "/1/", .perms = P_MEMBER_READ | P_MEMBER_WRITE};
	zb_principal who = {.username = "demo", .display_name = "演示数据", .ngrants = 1, .grants = &g, .all_perms = g.perms};
	zb_actor ac = {0, "demo", "local"};
	for (size_t i = 0; !rc && i < l.n; i++) {
		uint64_t h = ((uint64_t)l.v[i].id + seed * 7919u) * 2654435761u >> 7;
		const char *status = NULL, *reason = NULL;
		if (l.v[i].id == keep)
			continue;
		if (l.v[i].lost && h % 8 == 0) {
			status = "suspended";
			reason = "与党组织失去联系超过六个月，按规定停止党籍";
		} else if (!l.v[i].lost && h / 8 % 10000 < 25) {
			status = "deceased";
			reason = "病故";
		} else if (!l.v[i].lost && h / 8 % 10000 < 28) {
			status = "removed";
			reason = "严重违纪，给予开除党籍处分";
		}
		if (!status)
			continue;
		char on[11];
		zb_date_add_days(y0, (int)(h / 4001 % (uint64_t)days), on);
		zb_member_input in;
		memset(&in, 0, sizeof in);
		in.m.status = status;
		in.given = ZB_MF_STATUS;
		in.reason = reason;
		in.effective_on = on;
		zb_arena a;
		zb_arena_init(&a);
		rc = zb_member_edit(db, app, &ac, &who, l.v[i].id, &in, &a, e);
		zb_arena_free(&a);
		if (!rc)
			n++;
	}
	free(l.v);
	if (made)
		*made = n;
	return rc;
}
