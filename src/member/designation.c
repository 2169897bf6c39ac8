/* designation.c - 先锋岗、示范岗、责任区 (member/designation.h). */
#include "member/designation.h"
#include "core/grow.h"

#include <stdio.h>
#include <string.h>

static zb_designation read_row(zb_stmt *st, int c, zb_arena *a)
{
	return (zb_designation){.id = c ? zb_col_int(st, 0) : 0,
	                        .kind = zb_arena_strdup(a, zb_col_text(st, c)),
	                        .title = zb_arena_strdup(a, zb_col_text(st, c + 1)),
	                        .started_on = zb_arena_strdup(a, zb_col_text(st, c + 2)),
	                        .ended_on = zb_arena_strdup(a, zb_col_text(st, c + 3))};
}

typedef struct designations {
	zb_arena *a;
	zb_designation *rows, *one;
	size_t n, cap;
} designations;

static int add_designation(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	designations *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	l->rows[l->n++] = read_row(st, 1, l->a);
	return 0;
}

static void read_designation(zb_stmt *st, void *ctx)
{
	designations *l = ctx;
	*l->one = read_row(st, 0, l->a);
}

int zb_designation_list(zb_db *db, int64_t member_id, zb_arena *a, zb_designation **out, int *n, zb_err *e)
{
	designations l = {.a = a};
	int rc = zb_db_each(db, e, add_designation, &l,
	                    "SELECT id, kind, title, started_on, ended_on FROM member_designations "
	                    "WHERE member_id = ? ORDER BY started_on DESC, id DESC",
	                    "i", member_id);
	*out = l.rows;
	*n = (int)l.n;
	return rc;
}

int zb_designation_get(zb_db *db, int64_t member_id, int64_t id, zb_arena *a, zb_designation *d, zb_err *e)
{
	designations l = {.a = a, .one = d};
	int rc = zb_db_one(db, e, "未找到该岗位记录", read_designation, &l,
	                   "SELECT kind, title, started_on, ended_on FROM member_designations WHERE id = ? AND member_id = ?",
	                   "ii", id, member_id);
	if (!rc)
		d->id = id;
	return rc;
}

/* The audit row of a designation write and the commit; rc != 0: roll back. */
static int done(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, int64_t member_id,
                const char *org_path, int64_t id, int rc, zb_err *e)
{
	char detail[64];
	snprintf(detail, sizeof detail, "{\"designation\":%lld}", (long long)id);
	if (!rc)
		rc = zb_member_audit(db, app, ac, action, "member", member_id, org_path, detail, e);
	return zb_db_end(db, rc, e);
}

int zb_designation_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                       zb_designation *d, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_int(db, e, &d->id,
	               "INSERT INTO member_designations (member_id, kind, title, started_on, ended_on) VALUES (?,?,?,?,?) "
	               "RETURNING id",
	               "issss", member_id, d->kind, d->title, d->started_on, d->ended_on);
	return done(db, app, ac, "member.designation_add", member_id, org_path, d->id, rc, e);
}

int zb_designation_update(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                          const zb_designation *d, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE member_designations SET kind = ?, title = ?, started_on = ?, ended_on = ? WHERE id = ?", "ssssi",
	               d->kind, d->title, d->started_on, d->ended_on, d->id);
	return done(db, app, ac, "member.designation_update", member_id, org_path, d->id, rc, e);
}

int zb_designation_delete(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                          int64_t id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_run(db, e, NULL, "DELETE FROM member_designations WHERE id = ?", "i", id);
	return done(db, app, ac, "member.designation_delete", member_id, org_path, id, rc, e);
}
