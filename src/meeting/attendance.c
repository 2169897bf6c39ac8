/* attendance.c - who took part in which meeting (attendance.h). */
#include "meeting/attendance.h"
#include "core/grow.h"
#include "auth/authz.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"

#include <string.h>

/* Rows of (m.id, m.type, m.title, m.start_at, o.name, a.status, a.reason,
 * a.source[, a.signed_at]). */
typedef struct attended_rows {
	zb_arena *a;
	int with_signed;
	zb_attended *rows;
	size_t n, cap;
} attended_rows;

static int add_attended(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	attended_rows *l = ctx;
	zb_arena *a = l->a;
	ZB_AGROW(a, l->rows, l->n, l->cap);
	zb_attended *x = &l->rows[l->n++];
	x->meeting_id = zb_col_int(st, 0);
	x->type = zb_mtype_from(zb_col_text(st, 1));
	x->title = zb_arena_strdup(a, zb_col_text(st, 2));
	x->start_at = zb_col_int(st, 3);
	x->org_name = zb_arena_strdup(a, zb_col_text(st, 4));
	x->status = zb_arena_strdup(a, zb_col_text(st, 5));
	x->reason = zb_arena_strdup(a, zb_col_text(st, 6));
	x->source = zb_arena_strdup(a, zb_col_text(st, 7));
	x->signed_in = l->with_signed && !zb_col_is_null(st, 8);
	x->signed_at = x->signed_in ? zb_col_int(st, 8) : 0;
	return 0;
}

static int attended_done(int rc, attended_rows *l, zb_attended **out, int *n)
{
	*out = rc ? NULL : l->rows;
	*n = rc ? 0 : (int)l->n;
	return rc;
}

int zb_attended_list(zb_db *db, int64_t member_id, int from_ym, int to_ym, int64_t now, zb_arena *a,
                     zb_attended **out, int *n, zb_err *e)
{
	attended_rows l = {.a = a, .with_signed = 0};
	int rc = zb_db_each(db, e, add_attended, &l,
	                    "SELECT m.id, m.type, m.title, m.start_at, o.name, a.status, a.reason, a.source "
	                    "FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id JOIN orgs o ON o.id = m.org_id "
	                    "WHERE a.member_id = ? AND a.held_ym >= ? AND a.held_ym <= ? AND m.start_at <= ? "
	                    "ORDER BY m.start_at DESC, m.id DESC LIMIT 500",
	                    "iiii", member_id, (int64_t)from_ym, (int64_t)to_ym, now);
	return attended_done(rc, &l, out, n);
}

int zb_attended_mine(zb_db *db, int64_t member_id, int64_t limit, zb_arena *a, zb_attended **out, int *n,
                     zb_err *e)
{
	attended_rows l = {.a = a, .with_signed = 1};
	int rc = zb_db_each(db, e, add_attended, &l,
	                    "SELECT m.id, m.type, m.title, m.start_at, o.name, a.status, a.reason, a.source, a.signed_at "
	                    "FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id JOIN orgs o ON o.id = m.org_id "
	                    "WHERE a.member_id = ? ORDER BY m.start_at DESC, m.id DESC LIMIT ?",
	                    "ii", member_id, limit);
	return attended_done(rc, &l, out, n);
}

typedef struct member_atts {
	zb_arena *a;
	zb_member_att *rows;
	size_t n, cap;
} member_atts;

static int add_member_att(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	member_atts *l = ctx;
	zb_arena *a = l->a;
	ZB_AGROW(a, l->rows, l->n, l->cap);
	zb_member_att *x = &l->rows[l->n++];
	x->member_id = zb_col_int(st, 0);
	x->name = zb_arena_strdup(a, zb_col_text(st, 1));
	x->org_id = zb_col_int(st, 2);
	x->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	x->category = zb_arena_strdup(a, zb_col_text(st, 4));
	x->status = zb_arena_strdup(a, zb_col_text(st, 5));
	x->present = zb_col_int(st, 6);
	x->leave = zb_col_int(st, 7);
	x->absent = zb_col_int(st, 8);
	return 0;
}

int zb_member_att_list(zb_db *db, const char *root_path, int from_ym, int to_ym, int64_t now, int64_t after,
                       int64_t limit, zb_arena *a, zb_member_att **out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
#define CNT(s)                                                                                                    \
	"(SELECT COUNT(*) FROM meeting_attendance a JOIN meetings m ON m.id = a.meeting_id WHERE a.member_id = mb.id " \
	"AND a.status = '" s "' AND a.held_ym >= ? AND a.held_ym <= ? AND m.start_at <= ?)"
	member_atts l = {.a = a};
	int rc = zb_db_each(db, e, add_member_att, &l,
	                    "SELECT mb.id, mb.name, mb.org_id, o.name, mb.category, mb.status, " CNT("present") ", " CNT(
		                    "leave") ", " CNT("absent") " FROM members mb JOIN orgs o ON o.id = mb.org_id "
	                                                "WHERE mb.org_path >= ? AND mb.org_path < ? AND mb.id > ? ORDER BY mb.id LIMIT ?",
	                    "iiiiiiiiissii", (int64_t)from_ym, (int64_t)to_ym, now, (int64_t)from_ym, (int64_t)to_ym, now,
	                    (int64_t)from_ym, (int64_t)to_ym, now, root_path, upper, after, limit + 1);
#undef CNT
	if (rc)
		return rc;
	*out = l.rows;
	*n = (int)l.n;
	return 0;
}
