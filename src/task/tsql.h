/* tsql.h - the SQL the task module shares between its files (task.h). */
#ifndef ZB_TASK_TSQL_H
#define ZB_TASK_TSQL_H

#include <stddef.h>
#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* The day target tt of task t was done, or NULL: the first answer of a
 * reply or form task; for a link, the record itself (evaluated on read):
 * the first meeting of the type held in the window by the target or an
 * org below it, the first publication of the 三务公开 item of the kind
 * and period, the first payment of the month by its members. */
#define ZB_TASK_UNDER(col, tt) "(" col " >= " tt ".org_path AND " col " < " tt ".org_path || '~')"
#define ZB_TASK_DONE_ON(tt, t)                                                                                       \
	"(CASE " t ".kind WHEN 'reply' THEN " tt ".replied_on WHEN 'form' THEN " tt ".replied_on "                    \
	"WHEN 'meeting' THEN (SELECT MIN(m.held_on) FROM meetings m WHERE " ZB_TASK_UNDER("m.org_path", tt)              \
	" AND m.type = " t ".link_type AND m.held_on >= " t ".link_from AND m.held_on <= " t ".link_to) "               \
	"WHEN 'disclosure' THEN (SELECT MIN(d.published_on) FROM disclosures d WHERE " ZB_TASK_UNDER("d.org_path", tt)   \
	" AND d.kind = " t ".link_type AND d.period = " t ".link_period AND d.status = 'published') "                    \
	"WHEN 'dues' THEN (SELECT MIN(p.paid_on) FROM members mm JOIN dues_lines l ON l.member_id = mm.id "             \
	"JOIN dues_payments p ON p.id = l.payment_id WHERE " ZB_TASK_UNDER("mm.org_path", tt)                           \
	" AND l.ym = CAST(REPLACE(" t ".link_period, '-', '') AS BIGINT) AND l.amount_fen > 0) END)"

/* The ids of a task and of every task passed down from it (one ? : the task). */
#define ZB_TASK_TREE                                                                                                 \
	"WITH RECURSIVE tree(id) AS (SELECT CAST(? AS BIGINT) UNION ALL SELECT k.id FROM tasks k JOIN tree "           \
	"ON k.parent_id = tree.id) SELECT id FROM tree"

/* The title as the duplicate check compares it. */
void zb_task_title_norm(const char *in, char *out, size_t n);

/* A photo or PDF stored for its owner (a reply's target, a notice):
 * checked and written as meeting/attach.h writes files, its row inserted
 * by insert_sql (owner, kind, filename, size, sm3, stored_name,
 * created_by, created_at; RETURNING id) with the audit row (action on
 * object type/audit_id at path) in one transaction; a refused file is
 * removed again. */
typedef struct zb_file_owner {
	const char *insert_sql;
	int64_t owner_id;
	const char *action, *type;
	int64_t audit_id;
	const char *path;
} zb_file_owner;
struct zb_task_file;
int zb_task_store_file(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_file_owner *o, const char *filename,
                       const void *data, size_t len, int64_t now, zb_arena *a, struct zb_task_file *out, zb_err *e);

/* Rows (id, owner, kind, filename, size, created_at) of files into a
 * list (a zb_each_fn). */
typedef struct zb_task_file_list {
	zb_arena *a;
	struct zb_task_file *v;
	size_t n, cap;
} zb_task_file_list;
int zb_task_file_row(zb_stmt *st, void *ctx, zb_err *e);

#endif
