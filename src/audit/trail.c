/* trail.c - reading the audit trail: filtered, newest first, limited to
 * the org subtrees the reader holds audit.read in. */
#include "audit/audit.h"
#include "auth/authz.h"

#include <stdio.h>

static int within(const char *path, const char *const *roots, int nroots)
{
	for (int i = 0; i < nroots; i++)
		if (path ? zb_path_within(path, roots[i]) : zb_path_is_top(roots[i]))
			return 1;
	return 0;
}

/* A page of the trail within roots: up to limit rows; one more within
 * them sets *more. */
typedef struct audit_page {
	zb_arena *a;
	const char *const *roots;
	int nroots;
	zb_audit_row *rows;
	int64_t *n, limit;
	int *more;
} audit_page;

static int add_audit_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	audit_page *p = ctx;
	const char *path = zb_col_text(st, 8);
	if (!within(path, p->roots, p->nroots))
		return 0;
	if (*p->n == p->limit) {
		*p->more = 1;
		return ZB_DB_STOP;
	}
	zb_arena *a = p->a;
	zb_audit_row *w = &p->rows[(*p->n)++];
	w->id = zb_col_int(st, 0);
	w->at = zb_col_int(st, 1);
	w->user_id = zb_col_int(st, 2);
	w->username = zb_arena_strdup(a, zb_col_text(st, 3));
	w->ip = zb_arena_strdup(a, zb_col_text(st, 4));
	w->action = zb_arena_strdup(a, zb_col_text(st, 5));
	w->object_type = zb_arena_strdup(a, zb_col_text(st, 6));
	w->object_id = zb_arena_strdup(a, zb_col_text(st, 7));
	w->org_path = zb_arena_strdup(a, path);
	w->detail = zb_arena_strdup(a, zb_col_text(st, 9));
	return 0;
}

int zb_audit_list(zb_db *db, const zb_audit_filter *f, const char *const *roots, int nroots, int64_t limit,
                  zb_arena *a, zb_audit_row **rows, int64_t *n, int *more, zb_err *e)
{
	*rows = limit > 0 ? zb_arena_alloc(a, (size_t)limit * sizeof **rows) : NULL;
	*n = 0;
	*more = 0;
	const char *action = f->action;
	/* rows outside the reader's subtrees are skipped: read a few pages'
	 * worth so that a page is usually filled in one query */
	audit_page p = {a, roots, nroots, *rows, n, limit, more};
	return zb_db_each(
		db, e, add_audit_row, &p,
		"SELECT id, at, user_id, username, ip, action, object_type, object_id, org_path, detail FROM audit_log "
		"WHERE id < ? AND at >= ? AND at <= ? AND (CAST(? AS BIGINT) = 0 OR user_id = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR action = ? OR action LIKE ?) "
		"AND (CAST(? AS TEXT) IS NULL OR object_type = ?) AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
		"ORDER BY id DESC LIMIT ?",
		"iiiiisssssssi", f->before, f->from, f->to, f->user, f->user, action, action,
		action ? zb_arena_printf(a, "%s.%%", action) : NULL, f->object_type, f->object_type, f->object_id,
		f->object_id, limit * 4 + 1);
}
