/* history.c - the roster on a past date (member/history.h). */
#include "member/history.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/authz.h"

/* The ids of the members a selection may concern, as a derived table c
 * (no OR, so both backends read indexes).  Subtree: those in it today,
 * and those whose org before a change effective after the date lay in it
 * (params: path, upper, date, path, upper).  The CASE keeps PostgreSQL
 * from casting values of other kinds. */
#define CAND_SUBTREE \
	"(SELECT m2.id AS id FROM members m2 WHERE m2.org_path >= ? AND m2.org_path < ? " \
	"UNION SELECT h2.member_id AS id FROM member_history h2 " \
	"JOIN orgs o2 ON o2.id = (CASE WHEN h2.kind = 'org' THEN CAST(h2.old_value AS BIGINT) END) " \
	"WHERE h2.kind = 'org' AND h2.effective_on > ? AND o2.path >= ? AND o2.path < ?) c"
/* committee: org_id, date, date */
#define CAND_COMMITTEE \
	"(SELECT DISTINCT cp.member_id AS id FROM committee_posts cp WHERE cp.org_id = ? AND cp.member_id IS NOT NULL " \
	"AND cp.started_on <= ? AND (cp.ended_on IS NULL OR cp.ended_on >= ?)) c"

/* One read: each member with the changes effective after the date
 * (index member_history (member_id, effective_on)), newest first, so the
 * last one applied is the earliest.  Params: the selection's, then the
 * date. */
#define ON_HEAD \
	"SELECT mb.id, mb.name, mb.org_id, mb.org_path, mb.group_id, mb.status, mb.category, mb.join_date, " \
	"mb.full_date, h.kind, h.old_value, o.path, mb.gender, mb.ethnicity, mb.birth_date, mb.education FROM "
#define ON_TAIL \
	" JOIN members mb ON mb.id = c.id " \
	"LEFT JOIN member_history h ON h.member_id = mb.id AND h.effective_on > ? " \
	"AND h.kind IN ('org', 'group', 'status', 'category', 'gender', 'ethnicity', 'birth_date', 'education', " \
	"'join_date', 'full_date') " \
	"LEFT JOIN orgs o ON o.id = (CASE WHEN h.kind = 'org' THEN CAST(h.old_value AS BIGINT) END) " \
	"ORDER BY mb.sort_key, mb.id, h.effective_on DESC, h.id DESC"

static int query_sel(zb_db *db, const zb_member_on_sel *s, const char *upper, zb_each_fn fn, void *ctx, zb_err *e)
{
	const char *d = s->date;
	if (s->committee_org)
		return zb_db_each(db, e, fn, ctx, ON_HEAD CAND_COMMITTEE ON_TAIL, "isss", s->committee_org, d, d, d);
	return zb_db_each(db, e, fn, ctx, ON_HEAD CAND_SUBTREE ON_TAIL, "ssssss", s->path, upper, d, s->path, upper, d);
}

static int in_subtree(const char *p, const char *path, const char *upper)
{
	return p && strcmp(p, path) >= 0 && strcmp(p, upper) < 0;
}

const char *const zb_member_fact_kinds[] = {"gender", "ethnicity", "birth_date", "education", "join_date", "full_date", NULL};

/* Undo one change of a personal fact: kind k of zb_member_fact_kinds. */
static void undo_fact(zb_member_on *x, int k, const char *old, zb_arena *a)
{
	const char **f[] = {&x->gender, &x->ethnicity, &x->birth_date, &x->education, &x->join_date, &x->full_date};
	*f[k] = old ? zb_arena_strdup(a, old) : NULL;
}

/* Undo one change (columns 9-11 of ON_SQL) on x. */
static void undo(zb_stmt *st, zb_member_on *x, zb_arena *a)
{
	const char *kind = zb_col_text(st, 9), *old = zb_col_text(st, 10);
	if (!kind)
		return;
	for (int k = 0; zb_member_fact_kinds[k]; k++)
		if (!strcmp(kind, zb_member_fact_kinds[k])) {
			undo_fact(x, k, old, a);
			return;
		}
	if (!strcmp(kind, "org")) {
		x->org_id = old ? strtoll(old, NULL, 10) : 0;
		x->org_path = zb_arena_strdup(a, zb_col_text(st, 11));
		x->moved = 1;
	} else if (!strcmp(kind, "group")) {
		x->group_id = old ? strtoll(old, NULL, 10) : 0;
	} else if (!strcmp(kind, "status") && old) {
		x->status = zb_arena_strdup(a, old);
	} else if (!strcmp(kind, "category") && old) {
		x->category = zb_arena_strdup(a, old);
	}
}

/* x is kept when it belongs to the selection on the date */
static int keep(const zb_member_on_sel *s, const char *upper, const zb_member_on *x)
{
	if (x->join_date && strcmp(x->join_date, s->date) > 0)
		return 0;
	return s->committee_org || in_subtree(x->org_path, s->path, upper);
}

typedef struct roster {
	const zb_member_on_sel *s;
	const char *upper;
	zb_arena *a;
	zb_member_on *rows;
	size_t n, cap;
} roster;

/* A row of ON_HEAD: a member (the first row of each) and one change. */
static int add_change(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	roster *r = ctx;
	zb_arena *a = r->a;
	int64_t id = zb_col_int(st, 0);
	if (!r->n || r->rows[r->n - 1].id != id) {
		/* the previous member is complete: drop it if not selected */
		if (r->n && !keep(r->s, r->upper, &r->rows[r->n - 1]))
			r->n--;
		ZB_AGROW(a, r->rows, r->n, r->cap);
		zb_member_on *x = &r->rows[r->n++];
		memset(x, 0, sizeof *x);
		x->id = id;
		x->name = zb_arena_strdup(a, zb_col_text(st, 1));
		x->org_id = zb_col_int(st, 2);
		x->org_path = zb_arena_strdup(a, zb_col_text(st, 3));
		x->group_id = zb_col_int(st, 4);
		x->status = zb_arena_strdup(a, zb_col_text(st, 5));
		x->category = zb_arena_strdup(a, zb_col_text(st, 6));
		x->join_date = zb_arena_strdup(a, zb_col_text(st, 7));
		x->full_date = zb_arena_strdup(a, zb_col_text(st, 8));
		x->gender = zb_arena_strdup(a, zb_col_text(st, 12));
		x->ethnicity = zb_arena_strdup(a, zb_col_text(st, 13));
		x->birth_date = zb_arena_strdup(a, zb_col_text(st, 14));
		x->education = zb_arena_strdup(a, zb_col_text(st, 15));
	}
	undo(st, &r->rows[r->n - 1], a);
	return 0;
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
	roster r = {s, upper, a, NULL, 0, 0};
	int rc = query_sel(db, s, upper, add_change, &r, e);
	if (rc)
		return rc;
	if (r.n && !keep(s, upper, &r.rows[r.n - 1]))
		r.n--;
	*out = r.rows;
	*n = (int)r.n;
	return 0;
}

int zb_member_history_check_order(zb_db *db, int64_t member_id, const char *kind, const char *on, zb_err *e)
{
	char last[11] = "";
	zb_text_buf b = {last, sizeof last};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b,
	                   "SELECT MAX(effective_on) FROM member_history WHERE member_id = ? AND kind = ?", "is", member_id,
	                   kind);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
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

typedef struct history_rows {
	zb_arena *a;
	zb_member_change_row *rows;
	size_t n, cap;
	const char *name; /* org_name_of */
} history_rows;

static void read_org_name(zb_stmt *st, void *ctx)
{
	history_rows *h = ctx;
	h->name = zb_arena_strdup(h->a, zb_col_text(st, 0));
}

static int add_history(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	history_rows *h = ctx;
	zb_arena *a = h->a;
	ZB_AGROW(a, h->rows, h->n, h->cap);
	h->rows[h->n++] = (zb_member_change_row){.id = zb_col_int(st, 0),
	                                         .at = zb_col_int(st, 6),
	                                         .by = zb_col_int(st, 7),
	                                         .kind = zb_arena_strdup(a, zb_col_text(st, 1)),
	                                         .old_value = zb_arena_strdup(a, zb_col_text(st, 2)),
	                                         .new_value = zb_arena_strdup(a, zb_col_text(st, 3)),
	                                         .effective_on = zb_arena_strdup(a, zb_col_text(st, 4)),
	                                         .reason = zb_arena_strdup(a, zb_col_text(st, 5)),
	                                         .by_username = zb_arena_strdup(a, zb_col_text(st, 8)),
	                                         .by_display = zb_arena_strdup(a, zb_col_text(st, 9))};
	return 0;
}

/* The name of org id_text, or the text itself when there is none. */
static const char *org_name_of(zb_db *db, const char *id_text, zb_arena *a)
{
	if (!id_text)
		return NULL;
	zb_err e = {0};
	history_rows h = {.a = a};
	zb_db_one(db, &e, NULL, read_org_name, &h, "SELECT name FROM orgs WHERE id = ?", "i", strtoll(id_text, NULL, 10));
	return h.name ? h.name : id_text;
}

int zb_member_history_list(zb_db *db, int64_t member_id, zb_arena *a, zb_member_change_row **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	/* read all rows first: the org names below use the same connection */
	history_rows l = {.a = a};
	int rc = zb_db_each(db, e, add_history, &l,
	                    "SELECT h.id, h.kind, h.old_value, h.new_value, h.effective_on, h.reason, h.at, h.by_user, "
	                    "u.username, u.display_name FROM member_history h LEFT JOIN users u ON u.id = h.by_user "
	                    "WHERE h.member_id = ? AND h.kind IN ('created', 'org', 'group', 'category', 'status') "
	                    "ORDER BY h.id DESC",
	                    "i", member_id);
	if (rc)
		return rc;
	zb_member_change_row *rows = l.rows;
	*n = (int)l.n;
	for (int i = 0; i < *n; i++) {
		zb_member_change_row *h = &rows[i];
		if (!strcmp(h->kind, "org") || !strcmp(h->kind, "created") || !strcmp(h->kind, "group")) {
			h->old_name = org_name_of(db, h->old_value, a);
			h->new_name = org_name_of(db, h->new_value, a);
		}
	}
	*out = rows;
	return 0;
}
