/* demo.c - the demo's dues (dues.h zb_dues_demo): a base for every member
 * owing dues, and two years of payments.  Most members pay each month
 * around the 10th; about one in ten pays by the quarter; about one in
 * twenty-five stopped paying 3 to 8 months ago (the arrears of the 自行脱党
 * risk list); half of this month is still open, so the bulk sheet has
 * work.  Deterministic for the members and today's date. */
#include "dues/dues.h"
#include "core/date.h"
#include "core/rng.h"
#include "core/grow.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dmember {
	int64_t id;
	char path[256];
	int join_ym;
} dmember;

typedef struct dlist {
	dmember *v;
	size_t n, cap;
} dlist;

static int add_dmember(zb_stmt *st, void *ctx, zb_err *e)
{
	dlist *l = ctx;
	if (ZB_GROW(l->v, l->n, l->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	dmember *m = &l->v[l->n++];
	m->id = zb_col_int(st, 0);
	snprintf(m->path, sizeof m->path, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
	const char *j = zb_col_text(st, 2);
	m->join_ym = j && zb_date_valid(j) ? zb_md_ym(j) : 0;
	return 0;
}

static int demo_pay(zb_db *db, int64_t member, int ym_from, int ym_to, int64_t fen_each, int day, const char *today,
                    int64_t now, zb_err *e)
{
	int n = zb_md_ym_diff(ym_to, ym_from) + 1;
	char paid_on[11];
	zb_md_ym_first(ym_to, paid_on);
	paid_on[8] = (char)('0' + day / 10);
	paid_on[9] = (char)('0' + day % 10);
	if (strcmp(paid_on, today) > 0)
		memcpy(paid_on, today, sizeof paid_on);
	static const char *const methods[] = {"cash", "transfer", "online"};
	int64_t id;
	int rc = zb_db_int(db, e, &id,
	                   "INSERT INTO dues_payments (member_id, kind, amount_fen, paid_on, method, created_at) "
	                   "VALUES (?, 'monthly', ?, ?, ?, ?) RETURNING id",
	                   "iissi", member, fen_each * n, paid_on, methods[(uint64_t)member % 3], now);
	for (int y = ym_from; !rc && y <= ym_to; y = zb_md_ym_add(y, 1))
		rc = zb_db_run(db, e, NULL, "INSERT INTO dues_lines (payment_id, member_id, ym, amount_fen) VALUES (?,?,?,?)",
		               "iiii", id, member, (int64_t)y, fen_each);
	return rc;
}

int zb_dues_demo(zb_db *db, const char *today, int64_t now, zb_err *e)
{
	dlist l = {0};
	int rc = zb_db_each(db, e, add_dmember, &l,
	                    "SELECT id, org_path, join_date FROM members WHERE status IN ('normal', 'mobile', 'lost', 'abroad') "
	                    "ORDER BY id",
	                    "");
	zb_dues_rcache *cache = NULL;
	if (!rc)
		rc = zb_dues_rcache_new(db, &cache, e);
	if (!rc)
		rc = zb_db_begin_write(db, e);
	int now_ym = zb_md_ym(today), last = zb_md_ym_add(now_ym, -1);
	for (size_t i = 0; !rc && i < l.n; i++) {
		dmember *m = &l.v[i];
		if (!m->join_ym)
			continue;
		uint64_t h = zb_mix64((uint64_t)m->id);
		int kind;
		int64_t base;
		unsigned k = (unsigned)(h % 100);
		if (k < 70) {
			kind = ZB_DK_SALARY;
			base = 180000 + (int64_t)(h >> 8) % 1000000; /* 1800 to 11800 yuan, to the fen */
		} else if (k < 90) {
			kind = ZB_DK_PENSION;
			base = 200000 + (int64_t)(h >> 8) % 500000;
		} else if (k < 98) {
			kind = ZB_DK_FARMER;
			base = 0;
		} else {
			kind = ZB_DK_STUDENT;
			base = 0;
		}
		int from = zb_md_ym_add(now_ym, -24);
		if (m->join_ym > from)
			from = m->join_ym;
		if ((rc = zb_db_run(db, e, NULL,
		                    "INSERT INTO dues_bases (member_id, from_ym, kind, amount_fen, created_at) VALUES (?,?,?,?,?)",
		                    "iisii", m->id, (int64_t)from, zb_dues_kind_code(kind), base, now)))
			break;
		zb_dues_rules r;
		if ((rc = zb_dues_rules_at(cache, m->path, from, &r, e)))
			break;
		int64_t due = zb_dues_monthly(&r, kind, base);
		/* who stopped, and when; who pays by the quarter */
		int stop = (h >> 40) % 25 == 0 ? zb_md_ym_add(last, -(int)(3 + (h >> 44) % 6)) : 0;
		int quarterly = (h >> 48) % 10 == 0;
		int upto = stop ? stop : (h >> 52) % 2 ? now_ym : last;
		if (quarterly) {
			for (int y = from; !rc && y <= upto; y = zb_md_ym_add(y, 3)) {
				int end = zb_md_ym_add(y, 2);
				if (end > upto)
					end = upto;
				rc = demo_pay(db, m->id, y, end, due, 5 + (int)(h % 10), today, now, e);
			}
		} else {
			for (int y = from; !rc && y <= upto; y = zb_md_ym_add(y, 1))
				rc = demo_pay(db, m->id, y, y, due, 5 + (int)(h % 10), today, now, e);
		}
	}
	if (!rc)
		rc = zb_db_commit(db, e);
	else
		zb_db_rollback(db);
	zb_dues_rcache_free(cache);
	free(l.v);
	return rc;
}
