/* alerts.c - reminders and breaks of the open 发展党员 pipelines of a
 * subtree (recruit/alerts.h): one statement for the applicants and their
 * current step rows, the engine for each person's alerts.
 */
#include "recruit/alerts.h"
#include "auth/authz.h"
#include "core/date.h"
#include "member/probation.h"
#include "recruit/applicant.h"
#include "recruit/rrules.h"

#include <stdlib.h>
#include <string.h>

static const char *const codes[ZB_RA_KINDS + 1] = {
	"talk_due", "assess_due", "approval_due", "probation_ending", "probation_over", "flagged",
};
static const char *const names[ZB_RA_KINDS + 1] = {
	"入党谈话", "半年考察", "上级党委审批", "预备期将满", "预备期已满未讨论转正", "不符合规定的步骤",
};

const char *zb_ritem_code(int kind)
{
	return kind >= 0 && kind <= ZB_RA_KINDS ? codes[kind] : NULL;
}

const char *zb_ritem_name(int kind)
{
	return kind >= 0 && kind <= ZB_RA_KINDS ? names[kind] : NULL;
}

int zb_ritem_reminder(int kind)
{
	return kind == ZB_RA_TALK_DUE || kind == ZB_RA_ASSESS_DUE || kind == ZB_RA_PROBATION_ENDING ||
	       kind == ZB_RA_PROBATION_OVER;
}

/* ---- the rules of each branch, read once per request ---- */

typedef struct rules_of {
	const char *path;
	zb_recruit_rules r;
	zb_probation_rules p;
} rules_of;

typedef struct acc {
	zb_db *db;
	zb_arena *a;
	const char *today;
	int which;
	rules_of *rules;
	int nrules, caprules;
	/* the applicant being read */
	int64_t id, org_id;
	const char *name, *org_name, *org_path, *stage, *birth, *applied;
	zb_rstep_rec *steps;
	int nsteps, capsteps;
	/* flagged rows of that applicant: indices into steps, with the flag */
	const char **flags;
	/* out */
	zb_ritem *items;
	int n, cap;
} acc;

static const rules_of *rules_for(acc *c, const char *path, zb_err *e)
{
	for (int i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].path, path))
			return &c->rules[i];
	if (c->nrules == c->caprules) {
		int cap = c->caprules ? c->caprules * 2 : 16;
		rules_of *v = zb_arena_alloc(c->a, sizeof *v * (size_t)cap);
		if (c->nrules)
			memcpy(v, c->rules, sizeof *v * (size_t)c->nrules);
		c->rules = v;
		c->caprules = cap;
	}
	rules_of *r = &c->rules[c->nrules];
	r->path = zb_arena_strdup(c->a, path);
	if (zb_recruit_rules_get(c->db, path, c->today, &r->r, e) || zb_probation_rules_get(c->db, path, c->today, &r->p, e))
		return NULL;
	c->nrules++;
	return r;
}

static zb_ritem *new_item(acc *c)
{
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		zb_ritem *v = zb_arena_alloc(c->a, sizeof *v * (size_t)cap);
		if (c->n)
			memcpy(v, c->items, sizeof *v * (size_t)c->n);
		c->items = v;
		c->cap = cap;
	}
	zb_ritem *it = &c->items[c->n++];
	memset(it, 0, sizeof *it);
	it->applicant_id = c->id;
	it->org_id = c->org_id;
	it->name = c->name;
	it->org_name = c->org_name;
	it->org_path = c->org_path;
	it->stage = c->stage;
	return it;
}

/* the date of the last current row of step before index `before` */
static const char *last_date(const acc *c, int step, int before)
{
	const char *d = NULL;
	for (int i = 0; i < before && i < c->nsteps; i++)
		if (c->steps[i].step == step)
			d = c->steps[i].done_on;
	return d;
}

/* The applicant read so far is complete: its items. */
static int finish(acc *c, zb_err *e)
{
	if (!c->id)
		return 0;
	const rules_of *ru = rules_for(c, c->org_path, e);
	if (!ru)
		return e->code ? e->code : ZB_EINTERNAL;
	long today = zb_date_days(c->today);
	if (c->which & ZB_RITEMS_BREAKS)
		for (int i = 0; i < c->nsteps; i++) {
			if (!c->flags[i])
				continue;
			zb_ritem *it = new_item(c);
			it->kind = ZB_RA_FLAGGED;
			it->step = c->steps[i].step;
			snprintf(it->due, sizeof it->due, "%s", c->steps[i].done_on);
			it->overdue = 1;
			it->broken = 1;
			it->days = (int)(today - zb_date_days(it->due));
			it->text = c->flags[i];
		}
	zb_rcase cs = {c->birth, c->applied, c->steps, c->nsteps, ru->p.months, ru->p.ext_min, ru->p.ext_max};
	zb_ralert al[8];
	int na = zb_recruit_alerts(&ru->r, NULL, &cs, c->today, al, 8);
	for (int i = 0; i < na; i++) {
		if (!(c->which & ZB_RITEMS_REMINDERS) && !al[i].overdue)
			continue;
		zb_ritem *it = new_item(c);
		it->kind = al[i].kind;
		it->step = al[i].step;
		memcpy(it->due, al[i].due, sizeof it->due);
		it->overdue = al[i].overdue;
		it->broken = al[i].overdue;
		it->days = (int)(today - zb_date_days(it->due));
		it->text = zb_arena_strdup(c->a, al[i].text);
		const char *since = NULL;
		if (al[i].kind == ZB_RA_TALK_DUE)
			since = c->applied;
		else if (al[i].kind == ZB_RA_APPROVAL_DUE)
			since = last_date(c, it->step == 17 ? 15 : 23, c->nsteps);
		else if (al[i].kind == ZB_RA_PROBATION_ENDING || al[i].kind == ZB_RA_PROBATION_OVER)
			since = last_date(c, 15, c->nsteps);
		if (since)
			snprintf(it->since, sizeof it->since, "%s", since);
		/* an approval past approve_max_months: no reason makes it right */
		if (al[i].kind == ZB_RA_APPROVAL_DUE && since) {
			char max_day[11];
			zb_date_add_months(since, ru->r.approve_max_months, max_day);
			it->broken = strcmp(c->today, max_day) > 0 ? 2 : it->overdue;
		}
	}
	c->id = 0;
	c->nsteps = 0;
	return 0;
}

static int row(zb_stmt *st, void *vctx, zb_err *e)
{
	acc *c = vctx;
	int64_t id = zb_col_int(st, 0);
	if (id != c->id) {
		int rc = finish(c, e);
		if (rc)
			return rc;
		c->id = id;
		c->org_id = zb_col_int(st, 1);
		c->org_path = zb_arena_strdup(c->a, zb_col_text(st, 2));
		c->name = zb_arena_strdup(c->a, zb_col_text(st, 3));
		c->stage = zb_arena_strdup(c->a, zb_col_text(st, 4));
		c->birth = zb_arena_strdup(c->a, zb_col_text(st, 5));
		c->applied = zb_arena_strdup(c->a, zb_col_text(st, 6));
		c->org_name = zb_arena_strdup(c->a, zb_col_text(st, 7));
	}
	if (zb_col_is_null(st, 8))
		return 0;
	if (c->nsteps == c->capsteps) {
		int cap = c->capsteps ? c->capsteps * 2 : 32;
		zb_rstep_rec *v = zb_arena_alloc(c->a, sizeof *v * (size_t)cap);
		const char **f = zb_arena_alloc(c->a, sizeof *f * (size_t)cap);
		if (c->nsteps) {
			memcpy(v, c->steps, sizeof *v * (size_t)c->nsteps);
			memcpy(f, c->flags, sizeof *f * (size_t)c->nsteps);
		}
		c->steps = v;
		c->flags = f;
		c->capsteps = cap;
	}
	zb_rstep_row r;
	memset(&r, 0, sizeof r);
	r.rec.step = (int)zb_col_int(st, 8);
	r.rec.done_on = zb_arena_strdup(c->a, zb_col_text(st, 9));
	r.facts_json = zb_col_text(st, 10);
	zb_rstep_row_facts(c->a, &r);
	c->steps[c->nsteps] = r.rec;
	const char *flag = zb_col_text(st, 11);
	c->flags[c->nsteps++] = flag && *flag ? zb_arena_strdup(c->a, flag) : NULL;
	return 0;
}

static int cmp_item(const void *x, const void *y)
{
	const zb_ritem *a = x, *b = y;
	if (a->days != b->days)
		return a->days > b->days ? -1 : 1;
	int k = strcmp(a->due, b->due);
	if (k)
		return k;
	if (a->applicant_id != b->applicant_id)
		return a->applicant_id < b->applicant_id ? -1 : 1;
	return a->kind - b->kind;
}

int zb_recruit_items(zb_db *db, const char *path, const char *today, int which, zb_arena *a, zb_ritem **out, int *n,
                     zb_err *e)
{
	acc c;
	memset(&c, 0, sizeof c);
	c.db = db;
	c.a = a;
	c.today = today;
	c.which = which;
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	/* each applicant's current rows in the order the timeline reads them
	 * (recruit/steps.c: by date, then step) */
	int rc = zb_db_each(db, e, row, &c,
	                    "SELECT a.id, a.org_id, a.org_path, a.name, a.stage, a.birth_date, a.applied_on, o.name, "
	                    "s.step, s.done_on, s.facts, s.flag "
	                    "FROM applicants a JOIN orgs o ON o.id = a.org_id "
	                    "LEFT JOIN applicant_steps s ON s.applicant_id = a.id AND s.replaced_by IS NULL "
	                    "WHERE a.org_path >= ? AND a.org_path < ? AND a.closed IS NULL "
	                    "ORDER BY a.id, s.done_on, s.step, s.id",
	                    "ss", path, upper);
	if (!rc)
		rc = finish(&c, e);
	if (rc)
		return rc;
	if (c.n > 1)
		qsort(c.items, (size_t)c.n, sizeof *c.items, cmp_item);
	*out = c.items;
	*n = c.n;
	return 0;
}
