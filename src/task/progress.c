/* progress.c - reading tasks: one task, a target, the live roll-up of a
 * task tree, an org's lists and the 大屏's sum (task.h). */
#include "task/task.h"
#include "task/tsql.h"

#include "auth/authz.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TASK_COLS                                                                                                 \
	"t.id, t.org_id, t.org_path, o.name, t.parent_id, t.root_id, t.title, t.body, t.due_on, t.kind, "              \
	"t.form_fields, t.link_type, t.link_from, t.link_to, t.link_period, t.targets, t.created_by, "               \
	"COALESCE(u.display_name, u.username), t.created_at, "                                                        \
	"(SELECT MAX(r.sent_on) FROM task_reminders r WHERE r.task_id = t.id), "                                      \
	"(SELECT COUNT(*) FROM task_targets x WHERE x.task_id = t.id) "
#define TASK_NCOLS 21
#define TASK_FROM " FROM tasks t JOIN orgs o ON o.id = t.org_id LEFT JOIN users u ON u.id = t.created_by "
#define TARGET_COLS                                                                                               \
	", tt.id, tt.task_id, tt.org_id, tt.org_path, so.name, tt.forward_id, tt.replied_on, tt.replied_at, tt.reply, " \
	"tt.form_values, tt.reminded_on, " ZB_TASK_DONE_ON("tt", "t")
#define TARGET_JOIN " JOIN task_targets tt ON tt.task_id = t.id JOIN orgs so ON so.id = tt.org_id "

static void read_task(zb_stmt *st, zb_arena *a, zb_task *t)
{
	memset(t, 0, sizeof *t);
	t->id = zb_col_int(st, 0);
	t->org_id = zb_col_int(st, 1);
	t->org_path = zb_arena_strdup(a, zb_col_text(st, 2));
	t->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	t->parent_id = zb_col_int(st, 4);
	t->root_id = zb_col_int(st, 5);
	t->title = zb_arena_strdup(a, zb_col_text(st, 6));
	t->body = zb_arena_strdup(a, zb_col_text(st, 7));
	t->due_on = zb_arena_strdup(a, zb_col_text(st, 8));
	t->kind = zb_arena_strdup(a, zb_col_text(st, 9));
	t->form_fields = zb_arena_strdup(a, zb_col_text(st, 10));
	t->link_type = zb_arena_strdup(a, zb_col_text(st, 11));
	t->link_from = zb_arena_strdup(a, zb_col_text(st, 12));
	t->link_to = zb_arena_strdup(a, zb_col_text(st, 13));
	t->link_period = zb_arena_strdup(a, zb_col_text(st, 14));
	t->targets = zb_arena_strdup(a, zb_col_text(st, 15));
	t->created_by = zb_col_int(st, 16);
	t->created_by_name = zb_arena_strdup(a, zb_col_text(st, 17));
	t->created_at = zb_col_int(st, 18);
	t->last_reminded_on = zb_arena_strdup(a, zb_col_text(st, 19));
	t->ntargets = zb_col_int(st, 20);
}

static void read_target(zb_stmt *st, int c, zb_arena *a, zb_task_target *tt)
{
	memset(tt, 0, sizeof *tt);
	tt->id = zb_col_int(st, c);
	tt->task_id = zb_col_int(st, c + 1);
	tt->org_id = zb_col_int(st, c + 2);
	tt->org_path = zb_arena_strdup(a, zb_col_text(st, c + 3));
	tt->org_name = zb_arena_strdup(a, zb_col_text(st, c + 4));
	tt->forward_id = zb_col_int(st, c + 5);
	tt->replied_on = zb_arena_strdup(a, zb_col_text(st, c + 6));
	tt->replied_at = zb_col_int(st, c + 7);
	tt->reply = zb_arena_strdup(a, zb_col_text(st, c + 8));
	tt->form_values = zb_arena_strdup(a, zb_col_text(st, c + 9));
	tt->reminded_on = zb_arena_strdup(a, zb_col_text(st, c + 10));
	tt->done_on = zb_arena_strdup(a, zb_col_text(st, c + 11));
}

typedef struct one_task {
	zb_arena *a;
	zb_task *t;
	zb_task_target *tt;
} one_task;

static void read_one(zb_stmt *st, void *ctx)
{
	one_task *x = ctx;
	read_task(st, x->a, x->t);
	if (x->tt)
		read_target(st, TASK_NCOLS, x->a, x->tt);
}

int zb_task_get(zb_db *db, int64_t id, zb_arena *a, zb_task *t, zb_err *e)
{
	one_task x = {a, t, NULL};
	return zb_db_one(db, e, "未找到该任务", read_one, &x, "SELECT " TASK_COLS TASK_FROM "WHERE t.id = ?", "i", id);
}

/* The state of a target (and, passed down, its done day from below). */
static int settle(zb_db *db, const zb_task *t, zb_task_target *tt, const char *today, zb_arena *a, zb_err *e)
{
	int late = strcmp(today, t->due_on) > 0;
	if (!tt->forward_id) {
		tt->state = tt->done_on ? "done" : late ? "overdue" : "open";
		return 0;
	}
	zb_task_rollup p;
	int rc = zb_task_progress(db, tt->forward_id, 0, today, a, &p, e);
	if (rc)
		return rc;
	tt->state = p.done == p.assigned ? "done" : late ? "overdue" : "forwarded";
	return 0;
}

int zb_task_file_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_task_file_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_task_file *f = &l->v[l->n++];
	f->id = zb_col_int(st, 0);
	f->target_id = zb_col_int(st, 1);
	f->kind = zb_arena_strdup(l->a, zb_col_text(st, 2));
	f->filename = zb_arena_strdup(l->a, zb_col_text(st, 3));
	f->size = zb_col_int(st, 4);
	f->created_at = zb_col_int(st, 5);
	return 0;
}

int zb_task_target_get(zb_db *db, int64_t target_id, const char *today, zb_arena *a, zb_task *t, zb_task_target *tt,
                       zb_err *e)
{
	one_task x = {a, t, tt};
	int rc = zb_db_one(db, e, "未找到该任务", read_one, &x,
	                   "SELECT " TASK_COLS TARGET_COLS TASK_FROM TARGET_JOIN "WHERE tt.id = ?", "i", target_id);
	zb_task_file_list fl = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, zb_task_file_row, &fl,
		                "SELECT id, target_id, kind, filename, size, created_at FROM task_files WHERE target_id = ? "
		                "ORDER BY id",
		                "i", target_id);
	tt->files = fl.v;
	tt->nfiles = (int)fl.n;
	return rc ? rc : settle(db, t, tt, today, a, e);
}

/* ---- lists of tasks with targets ---- */

typedef struct item_list {
	zb_arena *a;
	zb_task_item *v;
	size_t n, cap;
	int with_target;
} item_list;

static int read_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	item_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_task_item *it = &l->v[l->n++];
	memset(it, 0, sizeof *it);
	read_task(st, l->a, &it->task);
	if (l->with_target)
		read_target(st, TASK_NCOLS, l->a, &it->target);
	return 0;
}

int zb_task_targets(zb_db *db, int64_t task_id, const char *today, zb_arena *a, zb_task_target **out, int *n, zb_err *e)
{
	item_list l = {a, NULL, 0, 0, 1};
	int rc = zb_db_each(db, e, read_item, &l,
	                    "SELECT " TASK_COLS TARGET_COLS TASK_FROM TARGET_JOIN "WHERE t.id = ? ORDER BY tt.org_path",
	                    "i", task_id);
	*out = zb_arena_alloc(a, (l.n + 1) * sizeof **out);
	for (size_t i = 0; !rc && i < l.n; i++) {
		(*out)[i] = l.v[i].target;
		rc = settle(db, &l.v[i].task, &(*out)[i], today, a, e);
	}
	*n = (int)l.n;
	return rc;
}

int zb_task_received(zb_db *db, int64_t org_id, const char *today, int limit, zb_arena *a, zb_task_item **out, int *n,
                     zb_err *e)
{
	item_list l = {a, NULL, 0, 0, 1};
	int rc = zb_db_each(db, e, read_item, &l,
	                    "SELECT " TASK_COLS TARGET_COLS TASK_FROM TARGET_JOIN "WHERE tt.org_id = ? ORDER BY CASE WHEN "
	                    "tt.forward_id IS NULL AND " ZB_TASK_DONE_ON("tt", "t") " IS NOT NULL THEN 1 ELSE 0 END, "
	                    "t.due_on, t.id LIMIT ?",
	                    "ii", org_id, (int64_t)limit);
	for (size_t i = 0; !rc && i < l.n; i++)
		rc = settle(db, &l.v[i].task, &l.v[i].target, today, a, e);
	*out = l.v;
	*n = (int)l.n;
	return rc;
}

int zb_task_issued(zb_db *db, int64_t org_id, const char *today, int limit, zb_arena *a, zb_task_item **out, int *n,
                   zb_err *e)
{
	item_list l = {a, NULL, 0, 0, 0};
	int rc = zb_db_each(db, e, read_item, &l, "SELECT " TASK_COLS TASK_FROM "WHERE t.org_id = ? ORDER BY t.id DESC LIMIT ?",
	                    "ii", org_id, (int64_t)limit);
	for (size_t i = 0; !rc && i < l.n; i++) {
		zb_task_rollup p;
		if (!(rc = zb_task_progress(db, l.v[i].task.id, 0, today, a, &p, e))) {
			l.v[i].assigned = p.assigned;
			l.v[i].done = p.done;
			l.v[i].overdue = p.overdue;
		}
	}
	*out = l.v;
	*n = (int)l.n;
	return rc;
}

/* ---- the roll-up ---- */

typedef struct leaf {
	int64_t target_id, forward_id;
	const char *path, *due_on, *done_on;
} leaf;

typedef struct leaf_list {
	zb_arena *a;
	leaf *v;
	size_t n, cap;
} leaf_list;

static int read_leaf(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	leaf_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	leaf *x = &l->v[l->n++];
	x->target_id = zb_col_int(st, 0);
	x->path = zb_arena_strdup(l->a, zb_col_text(st, 1));
	x->forward_id = zb_col_int(st, 2);
	x->due_on = zb_arena_strdup(l->a, zb_col_text(st, 3));
	x->done_on = zb_arena_strdup(l->a, zb_col_text(st, 4));
	return 0;
}

typedef struct org_row {
	zb_arena *a;
	zb_task_prow *v;
	size_t n, cap;
} org_row;

static int read_org(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	org_row *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_task_prow *r = &l->v[l->n++];
	memset(r, 0, sizeof *r);
	r->org_id = zb_col_int(st, 0);
	r->org_name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	r->org_path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	return 0;
}

/* Count the leaves of ls in row r: its own (exact: the org itself only)
 * or its subtree; the state of its own target. */
static void count_row(const leaf_list *ls, zb_task_prow *r, int exact, const char *today)
{
	size_t pn = strlen(r->org_path);
	const leaf *own = NULL;
	int64_t below = 0, below_done = 0;
	for (size_t i = 0; i < ls->n; i++) {
		const leaf *x = &ls->v[i];
		if (strncmp(x->path, r->org_path, pn))
			continue;
		int self = x->path[pn] == 0;
		if (self && (!own || own->forward_id))
			own = x;
		if (x->forward_id || (exact && !self))
			continue;
		r->assigned++;
		r->done += x->done_on != NULL;
		r->overdue += !x->done_on && strcmp(today, x->due_on) > 0;
		if (!self) {
			below++;
			below_done += x->done_on != NULL;
		}
	}
	r->has_below = below > 0 && !exact;
	if (!own)
		return;
	r->target_id = own->target_id;
	int late = strcmp(today, own->due_on) > 0;
	if (!own->forward_id)
		r->state = own->done_on ? "done" : late ? "overdue" : "open";
	else
		r->state = below_done == below ? "done" : late ? "overdue" : "forwarded";
}

int zb_task_progress(zb_db *db, int64_t task_id, int64_t under, const char *today, zb_arena *a, zb_task_rollup *p,
                     zb_err *e)
{
	memset(p, 0, sizeof *p);
	zb_task t;
	int rc = zb_task_get(db, task_id, a, &t, e);
	if (rc)
		return rc;
	org_row top = {a, NULL, 0, 0};
	rc = zb_db_each(db, e, read_org, &top, "SELECT id, name, path FROM orgs WHERE id = ?", "i", under ? under : t.org_id);
	if (!rc && (!top.n || !zb_path_within(top.v[0].org_path, t.org_path)))
		rc = zb_fail(e, ZB_ENOTFOUND, "under", "未找到该组织，或不在本任务的范围内");
	leaf_list ls = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_leaf, &ls,
		                "SELECT tt.id, tt.org_path, tt.forward_id, t.due_on, " ZB_TASK_DONE_ON("tt", "t") " "
		                "FROM task_targets tt JOIN tasks t ON t.id = tt.task_id WHERE tt.task_id IN (" ZB_TASK_TREE ") "
		                "ORDER BY tt.org_path, tt.task_id",
		                "i", task_id);
	org_row kids = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_org, &kids, "SELECT id, name, path FROM orgs WHERE parent_id = ? ORDER BY sort_order, id",
		                "i", top.v[0].org_id);
	if (rc)
		return rc;
	zb_task_prow whole = top.v[0];
	count_row(&ls, &whole, 0, today);
	p->assigned = whole.assigned;
	p->done = whole.done;
	p->overdue = whole.overdue;
	p->under_id = whole.org_id;
	p->under_name = whole.org_name;
	p->rows = zb_arena_alloc(a, (kids.n + 1) * sizeof *p->rows);
	zb_task_prow self = top.v[0];
	count_row(&ls, &self, 1, today);
	if (self.target_id)
		p->rows[p->n++] = self;
	for (size_t i = 0; i < kids.n; i++) {
		count_row(&ls, &kids.v[i], 0, today);
		if (kids.v[i].assigned || kids.v[i].target_id)
			p->rows[p->n++] = kids.v[i];
	}
	return 0;
}

int zb_task_subtree_sum(zb_db *db, const char *org_path, const char *today, int64_t *assigned, int64_t *done,
                        int64_t *overdue, zb_err *e)
{
	char from[11];
	snprintf(from, sizeof from, "%.4s-01-01", today);
	int64_t v[3] = {0, 0, 0};
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT COUNT(*), COALESCE(SUM(CASE WHEN d IS NOT NULL THEN 1 ELSE 0 END), 0), "
	                   "COALESCE(SUM(CASE WHEN d IS NULL AND due < ? THEN 1 ELSE 0 END), 0) FROM (SELECT t.due_on AS due, "
	                   ZB_TASK_DONE_ON("tt", "t") " AS d FROM task_targets tt JOIN tasks t ON t.id = tt.task_id "
	                   "WHERE tt.org_path >= ? AND tt.org_path < ? || '~' AND tt.forward_id IS NULL AND t.due_on >= ?) x",
	                   "ssss", today, org_path, org_path, from);
	*assigned = v[0];
	*done = v[1];
	*overdue = v[2];
	return rc;
}
