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

int zb_audit_list(zb_db *db, const zb_audit_filter *f, const char *const *roots, int nroots, int64_t limit,
                  zb_arena *a, zb_audit_row **rows, int64_t *n, int *more, zb_err *e)
{
	*rows = limit > 0 ? zb_arena_alloc(a, (size_t)limit * sizeof **rows) : NULL;
	*n = 0;
	*more = 0;
	const char *action = f->action;
	/* rows outside the reader's subtrees are skipped: read a few pages'
	 * worth so that a page is usually filled in one query */
	zb_stmt *st = zb_db_query(
		db, e,
		"SELECT id, at, user_id, username, ip, action, object_type, object_id, org_path, detail FROM audit_log "
		"WHERE id < ? AND at >= ? AND at <= ? AND (CAST(? AS BIGINT) = 0 OR user_id = ?) "
		"AND (CAST(? AS TEXT) IS NULL OR action = ? OR action LIKE ?) "
		"AND (CAST(? AS TEXT) IS NULL OR object_type = ?) AND (CAST(? AS TEXT) IS NULL OR object_id = ?) "
		"ORDER BY id DESC LIMIT ?",
		"iiiiisssssssi", f->before, f->from, f->to, f->user, f->user, action, action,
		action ? zb_arena_printf(a, "%s.%%", action) : NULL, f->object_type, f->object_type, f->object_id,
		f->object_id, limit * 4 + 1);
	if (!st)
		return e->code;
	int rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		const char *path = zb_col_text(st, 8);
		if (!within(path, roots, nroots))
			continue;
		if (*n == limit) {
			*more = 1;
			break;
		}
		zb_audit_row *w = &(*rows)[(*n)++];
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
	}
	if (rc == 1 && !*more && *n == limit)
		*more = 1;
	zb_stmt_done(st);
	return rc < 0 ? -rc : 0;
}
