/* screen.c - see screen.h. */
#include "screen/screen.h"
#include "auth/authz.h"
#include "core/grow.h"
#include "meeting/mdate.h"
#include "org/org.h"
#include "org/structure.h"
#include "task/task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct child_list {
	zb_arena *a;
	zb_screen *s;
	size_t cap;
} child_list;

static int add_child(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	child_list *l = ctx;
	ZB_AGROW(l->a, l->s->children, (size_t)l->s->nchildren, l->cap);
	zb_screen_child *c = &l->s->children[l->s->nchildren++];
	memset(c, 0, sizeof *c);
	c->org_id = zb_col_int(st, 0);
	c->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	c->path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	c->type = zb_arena_strdup(l->a, zb_col_text(st, 3));
	c->members = zb_col_int(st, 4);
	c->full = zb_col_int(st, 5);
	c->orgs = zb_col_int(st, 6);
	c->branches = zb_col_int(st, 7);
	return 0;
}

/* The direct sub-orgs not dissolved, with their subtrees' counts from
 * org_counts (a few rows by key each). */
static int load_children(zb_db *db, int64_t org_id, zb_arena *a, zb_screen *s, zb_err *e)
{
	child_list l = {a, s, 0};
	return zb_db_each(db, e, add_child, &l,
	                  "SELECT o.id, o.name, o.path, o.type, "
	                  "COALESCE((SELECT n FROM org_counts c WHERE c.org_id = o.id AND c.dim = 'total' AND c.key = ''), 0), "
	                  "COALESCE((SELECT n FROM org_counts c WHERE c.org_id = o.id AND c.dim = 'category' "
	                  "AND c.key = 'full'), 0), "
	                  "COALESCE((SELECT SUM(n) FROM org_counts c WHERE c.org_id = o.id AND c.dim = 'org_type'), 0), "
	                  "COALESCE((SELECT SUM(n) FROM org_counts c WHERE c.org_id = o.id AND c.dim = 'org_type' "
	                  "AND c.key IN ('branch', 'joint_branch')), 0) "
	                  "FROM orgs o WHERE o.parent_id = ? AND o.dissolved_on IS NULL ORDER BY o.sort_order, o.id",
	                  "i", org_id);
}

static zb_screen_child *child_by_id(zb_screen *s, int64_t id)
{
	for (int i = 0; i < s->nchildren; i++)
		if (s->children[i].org_id == id)
			return &s->children[i];
	return NULL;
}

static zb_screen_child *child_by_path(zb_screen *s, const char *path)
{
	for (int i = 0; i < s->nchildren; i++)
		if (zb_path_within(path, s->children[i].path))
			return &s->children[i];
	return NULL;
}

void zb_screen_dues_sum(const zb_dues_sum *months, int n, zb_dues_sum *out)
{
	memset(out, 0, sizeof *out);
	for (int k = 0; k < n; k++) {
		/* members and owing are head counts: the latest month's */
		out->members = months[k].members;
		out->owing = months[k].owing;
		out->due_fen += months[k].due_fen;
		out->paid_fen += months[k].paid_fen;
		out->owed_fen += months[k].owed_fen;
		out->voluntary_fen += months[k].voluntary_fen;
	}
}

static void disclose_add(zb_screen_disclose *d, const zb_disclose_vtime *v)
{
	d->villages++;
	d->villages_overdue += v->overdue > 0;
	d->due += v->due;
	d->on_time += v->on_time;
	d->late += v->late;
	d->overdue += v->overdue;
}

int zb_screen_load(zb_db *db, int64_t org_id, const char *path, const char *today, unsigned sections, zb_arena *a,
                   zb_screen *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->sections = sections;
	int t = atoi(today) * 10000 + atoi(today + 5) * 100 + atoi(today + 8);
	out->year = t / 10000;
	out->ym = t / 100;
	char q[16];
	snprintf(q, sizeof q, "%04uQ%u", (unsigned)out->year % 10000u, (unsigned)((out->ym % 100 - 1) / 3 + 1) % 10u);
	int rc = zb_period_parse(q, &out->period, e);
	if (!rc)
		rc = zb_org_rules_keep_current(db, today, e);
	zb_org o;
	if (!rc)
		rc = zb_org_get(db, org_id, a, &o, e);
	if (rc)
		return rc;
	out->org_name = o.name;
	if ((rc = load_children(db, org_id, a, out, e)))
		return rc;

	if (sections & ZB_SCREEN_COMPLIANCE) {
		if ((rc = zb_compliance_report(db, org_id, path, &out->period, today, a, &out->compliance, e)))
			return rc;
		for (int i = 0; i < out->compliance.nchildren; i++) {
			zb_screen_child *c = child_by_id(out, out->compliance.children[i].org_id);
			if (c)
				c->compliance = &out->compliance.children[i].sum;
		}
	}

	if ((rc = zb_recruit_funnel(db, org_id, path, out->year, a, &out->funnel, e)))
		return rc;
	for (int i = 0; i < out->funnel.nchildren; i++) {
		zb_screen_child *c = child_by_id(out, out->funnel.children[i].org_id);
		if (c)
			memcpy(c->recruit, out->funnel.children[i].count, sizeof c->recruit);
	}

	if (sections & ZB_SCREEN_DUES) {
		int from = out->year * 100 + 1;
		if ((rc = zb_dues_span_get(db, org_id, path, from, out->ym, a, &out->dues, e)))
			return rc;
		int n = out->dues.nmonths;
		zb_screen_dues_sum(out->dues.months, n, &out->dues_year);
		for (int i = 0; i < out->dues.nchildren; i++) {
			zb_screen_child *c = child_by_id(out, out->dues.children[i].org_id);
			if (!c)
				continue;
			c->dues_month = &out->dues.children[i].months[n - 1];
			zb_screen_dues_sum(out->dues.children[i].months, n, &c->dues_year);
		}
	}

	if (sections & ZB_SCREEN_DISCLOSE) {
		zb_disclose_vtime *v;
		int nv;
		if ((rc = zb_disclosure_timeliness(db, path, out->year, today, a, &v, &nv, e)))
			return rc;
		for (int i = 0; i < nv; i++) {
			disclose_add(&out->disclose, &v[i]);
			zb_screen_child *c = child_by_path(out, v[i].org_path);
			if (c)
				disclose_add(&c->disclose, &v[i]);
		}
	}

	if (sections & ZB_SCREEN_TASKS) {
		zb_screen_tasks *ts = &out->tasks;
		rc = zb_task_subtree_sum(db, path, today, &ts->assigned, &ts->done, &ts->overdue, e);
		for (int i = 0; !rc && i < out->nchildren; i++) {
			ts = &out->children[i].tasks;
			rc = zb_task_subtree_sum(db, out->children[i].path, today, &ts->assigned, &ts->done, &ts->overdue, e);
		}
	}

	if (!rc && (sections & ZB_SCREEN_RATINGS)) {
		int y;
		rc = zb_rating_latest_year(db, path, out->year, &y, e);
		if (!rc)
			rc = zb_rating_sum_get(db, path, y, &out->ratings, e);
		for (int i = 0; !rc && i < out->nchildren; i++)
			rc = zb_rating_sum_get(db, out->children[i].path, y, &out->children[i].ratings, e);
	}
	return rc;
}

int zb_screen_version(zb_db *db, char out[128], zb_err *e)
{
	out[0] = 0;
	char counts[24], cstore[40];
	int64_t v[6] = {0, 0, 0, 0, 0, 0}, rated = 0, rated_at = 0;
	int rc = zb_counts_version(db, counts, e);
	if (!rc)
		rc = zb_rating_version(db, &rated, &rated_at, e);
	if (!rc)
		rc = zb_cstore_version(db, cstore, e);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_ints, v,
		               "SELECT (SELECT COALESCE(MAX(id), 0) FROM applicant_steps), "
		               "(SELECT COUNT(*) FROM applicants WHERE closed IS NULL), "
		               "(SELECT COALESCE(MAX(id), 0) FROM disclosure_steps), "
		               "(SELECT COALESCE(MAX(id), 0) FROM task_targets), "
		               "(SELECT COUNT(replied_on) FROM task_targets), "
		               "(SELECT COALESCE(MAX(replied_at), 0) FROM task_targets)",
		               "");
	if (rc || !*cstore)
		return rc;
	snprintf(out, 128, "%s/%s/%lld/%lld/%lld/%lld/%lld/%lld/%lld/%lld", counts, cstore, (long long)v[0],
	         (long long)v[1], (long long)v[2], (long long)v[3], (long long)v[4], (long long)v[5], (long long)rated,
	         (long long)rated_at);
	return 0;
}
