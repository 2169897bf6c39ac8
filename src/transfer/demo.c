/* demo.c - the demo's 流动党员 (transfer.h zb_mobile_demo): every member
 * the roster shows as 流动 gets the registration behind that status, made
 * through zb_mobile_register so the paper follows the rule: about two in
 * ten away for a short while (no paper), half away three to six months (a
 * numbered 证明信), the rest with no fixed place (a numbered 活动证).
 * Deterministic for the members and today's date. */
#include "transfer/transfer.h"

#include "core/date.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct ids {
	int64_t *v;
	size_t n, cap;
} ids;

static int add_id(zb_stmt *st, void *ctx, zb_err *e)
{
	ids *l = ctx;
	if (ZB_GROW(l->v, l->n, l->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	l->v[l->n++] = zb_col_int(st, 0);
	return 0;
}

static const char *const PLACES[] = {"广东省深圳市", "浙江省杭州市", "江苏省苏州市", "上海市浦东新区",
                                     "福建省厦门市", "北京市朝阳区",  "广东省东莞市", "浙江省宁波市"};
static const char *const CARE[] = {"流动党员党支部", "工业园区联合党支部", "建筑企业党支部", "物流园区党支部"};

int zb_mobile_demo(zb_db *db, zb_app *app, int *made, zb_err *e)
{
	*made = 0;
	ids l = {0};
	int rc = zb_db_each(db, e, add_id, &l, "SELECT id FROM members WHERE status = 'mobile' ORDER BY id", "");
	zb_grant g = {.role = "org_admin", .org_id = 1, .org_path = "/1/", .perms = P_MEMBER_READ | P_MEMBER_WRITE};
	zb_principal who = {.username = "demo", .display_name = "演示数据", .ngrants = 1, .grants = &g, .all_perms = g.perms};
	zb_audit_ev by = {.username = "demo", .ip = "local"};
	char today[11];
	zb_today(app, today);
	int year = atoi(today);
	for (size_t i = 0; !rc && i < l.n; i++) {
		uint32_t h = (uint32_t)((uint64_t)l.v[i] * 2654435761u >> 7);
		int kind = (int)(h % 10); /* 0-1 short, 2-6 证明信, 7-9 no fixed place */
		char left[11], until[11], no[40], dest[64], care[96], contact[32];
		zb_arena a;
		zb_arena_init(&a);
		zb_mobile m = {.member_id = l.v[i]};
		snprintf(dest, sizeof dest, "%s", PLACES[h / 10 % (sizeof PLACES / sizeof PLACES[0])]);
		snprintf(care, sizeof care, "%s%s", dest, CARE[h / 80 % (sizeof CARE / sizeof CARE[0])]);
		snprintf(contact, sizeof contact, "手机 139%08u", (unsigned)(h % 100000000u));
		if (kind < 2) {
			zb_date_add_days(today, -(int)(10 + h / 7 % 30), left);
			zb_date_add_months(left, 2, until);
		} else if (kind < 7) {
			zb_date_add_days(today, -(int)(30 + h / 7 % 60), left);
			zb_date_add_months(left, 4 + (int)(h / 3 % 2), until);
			snprintf(no, sizeof no, "证明〔%d〕%03zu号", year, i + 1);
			m.paper_no = no;
		} else {
			zb_date_add_days(today, -(int)(60 + h / 7 % 300), left);
			m.no_fixed_place = 1;
			snprintf(no, sizeof no, "流活证%d%04zu", year, i + 1);
			m.paper_no = no;
		}
		m.left_on = left;
		m.until_on = kind < 7 ? until : NULL;
		m.destination = dest;
		m.contact = contact;
		m.care_org_name = care;
		int64_t id = 0;
		rc = zb_mobile_register(db, app, &by, &who, &m, &a, &id, e);
		zb_arena_free(&a);
		if (!rc)
			(*made)++;
	}
	free(l.v);
	return rc;
}
