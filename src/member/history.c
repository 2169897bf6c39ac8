/* history.c - the roster on a past date (member/history.h). */
#include "member/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/authz.h"

/* The members a selection may concern, over members mb.  Subtree: those
 * in it today, and those whose org before a change effective after the
 * date lay in it (params: path, upper, date, path, upper).  The CASE keeps
 * PostgreSQL from casting values of other kinds. */
#define CAND_SUBTREE \
	"(mb.org_path >= ? AND mb.org_path < ? OR mb.id IN (SELECT h.member_id FROM member_history h " \
	"JOIN orgs o ON o.id = (CASE WHEN h.kind = 'org' THEN CAST(h.old_value AS BIGINT) END) " \
	"WHERE h.kind = 'org' AND h.effective_on > ? AND o.path >= ? AND o.path < ?))"
/* committee: org_id, date, date */
#define CAND_COMMITTEE \
	"mb.id IN (SELECT cp.member_id FROM committee_posts cp WHERE cp.org_id = ? AND cp.member_id IS NOT NULL " \
	"AND cp.started_on <= ? AND (cp.ended_on IS NULL OR cp.ended_on >= ?))"

#define BASE_SQL \
	"SELECT mb.id, mb.name, mb.org_id, mb.org_path, mb.group_id, mb.status, mb.category, mb.join_date, " \
	"mb.full_date FROM members mb WHERE "
#define BASE_TAIL " ORDER BY mb.sort_key, mb.id"
/* newest first per member: the last one applied is the earliest.  Driven
 * from the members (index member_history (member_id, effective_on)); kinds
 * other than the four are skipped in C. */
#define HIST_SQL \
	"SELECT h.member_id, h.kind, h.old_value, o.path FROM members mb " \
	"JOIN member_history h ON h.member_id = mb.id AND h.effective_on > ? " \
	"LEFT JOIN orgs o ON o.id = (CASE WHEN h.kind = 'org' THEN CAST(h.old_value AS BIGINT) END) WHERE "
#define HIST_TAIL " ORDER BY h.member_id, h.effective_on DESC, h.id DESC"

static int by_id(const void *x, const void *y)
{
	const zb_member_on *a = *(const zb_member_on *const *)x, *b = *(const zb_member_on *const *)y;
	return a->id < b->id ? -1 : a->id > b->id;
}

static zb_member_on *find(zb_member_on **idx, int n, int64_t id)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (idx[mid]->id == id)
			return idx[mid];
		if (idx[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static zb_stmt *query_sel(zb_db *db, const zb_member_on_sel *s, const char *upper, int hist, zb_err *e)
{
	const char *d = s->date;
	if (s->committee_org) {
		if (hist)
			return zb_db_query(db, e, HIST_SQL CAND_COMMITTEE HIST_TAIL, "siss", d, s->committee_org, d, d);
		return zb_db_query(db, e, BASE_SQL CAND_COMMITTEE BASE_TAIL, "iss", s->committee_org, d, d);
	}
	if (hist)
		return zb_db_query(db, e, HIST_SQL CAND_SUBTREE HIST_TAIL, "ssssss", d, s->path, upper, d, s->path, upper);
	return zb_db_query(db, e, BASE_SQL CAND_SUBTREE BASE_TAIL, "sssss", s->path, upper, d, s->path, upper);
}

static int in_subtree(const char *p, const char *path, const char *upper)
{
	return p && strcmp(p, path) >= 0 && strcmp(p, upper) < 0;
}

int zb_member_roster_on(zb_db *db, const zb_member_on_sel *s, zb_arena *a, zb_member_on **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char upper[512] = "";
	if (!s->committee_org) {
		if (!s->path || strlen(s->path) >= sizeof upper - 1)
			return zb_fail(e, ZB_EINVAL, NULL, "组织路径无效");
		zb_path_upper(s->path, upper, sizeof upper);
	}
	zb_stmt *st = query_sel(db, s, upper, 0, e);
	if (!st)
		return e->code;
	int rc, cap = 0, cnt = 0;
	zb_member_on *rows = NULL;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			zb_member_on *nr = zb_arena_alloc(a, sizeof *nr * (size_t)cap);
			if (cnt)
				memcpy(nr, rows, sizeof *nr * (size_t)cnt);
			rows = nr;
		}
		zb_member_on *x = &rows[cnt++];
		x->id = zb_col_int(st, 0);
		x->name = zb_arena_strdup(a, zb_col_text(st, 1));
		x->org_id = zb_col_int(st, 2);
		x->org_path = zb_arena_strdup(a, zb_col_text(st, 3));
		x->group_id = zb_col_int(st, 4);
		x->status = zb_arena_strdup(a, zb_col_text(st, 5));
		x->category = zb_arena_strdup(a, zb_col_text(st, 6));
		x->join_date = zb_arena_strdup(a, zb_col_text(st, 7));
		x->full_date = zb_arena_strdup(a, zb_col_text(st, 8));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (!cnt)
		return 0;
	zb_member_on **idx = zb_arena_alloc(a, sizeof *idx * (size_t)cnt);
	for (int i = 0; i < cnt; i++)
		idx[i] = &rows[i];
	qsort(idx, (size_t)cnt, sizeof *idx, by_id);
	/* undo, newest first, every change effective after the date */
	if (!(st = query_sel(db, s, upper, 1, e)))
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		zb_member_on *x = find(idx, cnt, zb_col_int(st, 0));
		const char *kind = zb_col_text(st, 1), *old = zb_col_text(st, 2);
		if (!x || !kind)
			continue;
		if (!strcmp(kind, "org")) {
			x->org_id = old ? strtoll(old, NULL, 10) : 0;
			x->org_path = zb_arena_strdup(a, zb_col_text(st, 3));
			x->moved = 1;
		} else if (!strcmp(kind, "group")) {
			x->group_id = old ? strtoll(old, NULL, 10) : 0;
		} else if (!strcmp(kind, "status") && old) {
			x->status = zb_arena_strdup(a, old);
		} else if (!strcmp(kind, "category") && old) {
			x->category = zb_arena_strdup(a, old);
		}
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	/* keep those in the selection on the date, in roster order */
	int k = 0;
	for (int i = 0; i < cnt; i++) {
		zb_member_on *x = &rows[i];
		if (x->join_date && strcmp(x->join_date, s->date) > 0)
			continue;
		if (!s->committee_org && !in_subtree(x->org_path, s->path, upper))
			continue;
		rows[k++] = *x;
	}
	*out = rows;
	*n = k;
	return 0;
}

int zb_member_history_check_order(zb_db *db, int64_t member_id, const char *kind, const char *on, zb_err *e)
{
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT MAX(effective_on) FROM member_history WHERE member_id = ? AND kind = ?", "is",
	                          member_id, kind);
	if (!st)
		return e->code;
	char last[11] = "";
	int rc = zb_stmt_step(st, e);
	if (rc == 1 && zb_col_text(st, 0))
		snprintf(last, sizeof last, "%s", zb_col_text(st, 0));
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	if (last[0] && on && strcmp(on, last) < 0) {
		const char *what = !strcmp(kind, "org")      ? "所在组织"
		                   : !strcmp(kind, "group")  ? "所在党小组"
		                   : !strcmp(kind, "status") ? "党籍状态"
		                                             : "人员类别";
		return zb_fail(e, ZB_EINVAL, "effective_on",
		               "变动生效日期 %s 早于该党员上一次%s变动的生效日期 %s：变动须按时间顺序登记，请核对生效日期", on,
		               what, last);
	}
	return 0;
}
