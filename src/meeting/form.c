/* form.c - the context of the form for recording a meeting (form.h). */
#include "meeting/form.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <string.h>

/* A row read for the form: its arena, the form, and what a row gives
 * beyond the form's own fields. */
typedef struct form_row {
	zb_arena *a;
	zb_meeting_form *f;
	const char *text, *path, *type, *dissolved;
	int64_t parent;
} form_row;

static void read_first_text(zb_stmt *st, void *ctx)
{
	form_row *r = ctx;
	if (zb_col_text(st, 0) && *zb_col_text(st, 0))
		r->text = zb_arena_strdup(r->a, zb_col_text(st, 0));
}

/* The first column of the first row of a query over (org id[, text]),
 * or NULL when there is none or it is empty. */
static const char *first_text(zb_db *db, zb_arena *a, const char *sql, int64_t id, const char *txt, zb_err *e,
                              int *rc)
{
	form_row r = {.a = a};
	int x = txt ? zb_db_one(db, e, NULL, read_first_text, &r, sql, "is", id, txt)
	            : zb_db_one(db, e, NULL, read_first_text, &r, sql, "i", id);
	if (x && x != ZB_ENOTFOUND)
		*rc = x;
	return r.text;
}

static void read_org(zb_stmt *st, void *ctx)
{
	form_row *r = ctx;
	r->path = zb_arena_strdup(r->a, zb_col_text(st, 0));
	r->f->org_name = zb_arena_strdup(r->a, zb_col_text(st, 1));
	r->type = zb_arena_strdup(r->a, zb_col_text(st, 2));
	r->parent = zb_col_int(st, 3);
	r->dissolved = zb_col_is_null(st, 4) ? NULL : zb_arena_strdup(r->a, zb_col_text(st, 4));
}

/* The org asked for; refused when missing or dissolved. */
static int load_org(zb_db *db, int64_t org_id, zb_arena *a, const char **path, const char **type, int64_t *parent,
                    zb_meeting_form *f, zb_err *e)
{
	form_row r = {.a = a, .f = f};
	int rc = zb_db_one(db, e, "未找到该组织", read_org, &r,
	                   "SELECT path, name, type, parent_id, dissolved_on FROM orgs WHERE id = ?", "i", org_id);
	if (rc)
		return rc;
	*path = r.path;
	*type = r.type;
	*parent = r.parent;
	if (r.dissolved)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已于 %s 撤销，不能再记录会议", f->org_name, r.dissolved);
	return 0;
}

static int add_group(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	form_row *r = ctx;
	zb_meeting_form *f = r->f;
	if (f->ngroups < ZB_FORM_MAX_GROUPS) {
		f->groups[f->ngroups].id = zb_col_int(st, 0);
		f->groups[f->ngroups++].name = zb_arena_strdup(r->a, zb_col_text(st, 1));
	}
	return 0;
}

/* The 党小组 of the branch (or the group itself) and its committee size. */
static int load_groups(zb_db *db, int64_t org_id, int64_t branch_id, const char *date, zb_arena *a,
                       zb_meeting_form *f, zb_err *e)
{
	if (f->at_group) {
		f->groups[0] = (zb_form_group){org_id, f->org_name};
		f->ngroups = 1;
		return 0;
	}
	form_row r = {.a = a, .f = f};
	int rc = zb_db_each(db, e, add_group, &r,
	                    "SELECT id, name FROM orgs WHERE parent_id = ? AND type = 'group' AND dissolved_on IS NULL "
	                    "ORDER BY id",
	                    "i", branch_id);
	if (rc)
		return rc;
	return zb_db_int(db, e, &f->committee,
	                 "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND member_id IS NOT NULL "
	                 "AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)",
	                 "iss", org_id, date, date);
}

/* The org the record belongs to: the group of a group meeting or the org. */
static int meeting_org(zb_db *db, int64_t org_id, const char *org_path, int64_t group, zb_arena *a, zb_meeting_form *f,
                       zb_err *e)
{
	if (f->type == ZB_MT_GROUP) {
		if (f->at_group)
			f->group_id = org_id;
		else if (group) {
			for (int i = 0; i < f->ngroups; i++)
				if (f->groups[i].id == group)
					f->group_id = group;
			if (!f->group_id)
				return zb_fail(e, ZB_EINVAL, "group", "所选党小组不属于%s", f->org_name);
		} else if (f->ngroups == 1)
			f->group_id = f->groups[0].id;
	}
	zb_meeting *m = &f->m;
	m->type = f->type;
	m->org_id = f->group_id ? f->group_id : org_id;
	if (!f->group_id || f->at_group) {
		m->org_name = f->org_name;
		m->org_path = org_path;
		return 0;
	}
	for (int i = 0; i < f->ngroups; i++)
		if (f->groups[i].id == f->group_id)
			m->org_name = f->groups[i].name;
	m->org_path = zb_arena_printf(a, "%s%lld/", org_path, (long long)f->group_id);
	form_row r = {.a = a};
	int rc = zb_db_one(db, e, NULL, read_first_text, &r, "SELECT path FROM orgs WHERE id = ?", "i", f->group_id);
	if (!rc)
		m->org_path = r.text;
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

static void read_previous(zb_stmt *st, void *ctx)
{
	form_row *r = ctx;
	zb_meeting_form *f = r->f;
	zb_arena *a = r->a;
	f->prev_id = zb_col_int(st, 0);
	f->prev_title = zb_arena_strdup(a, zb_col_text(st, 1));
	f->prev_on = zb_arena_strdup(a, zb_col_text(st, 2));
	f->prev_agenda = zb_arena_strdup(a, zb_col_text(st, 3));
	f->prev_topic = zb_arena_strdup(a, zb_col_text(st, 4));
	f->prev_host = zb_arena_strdup(a, zb_col_text(st, 5));
	f->prev_start = zb_col_int(st, 6);
	f->prev_end = zb_col_int(st, 7);
}

/* The previous meeting of the type here: its agenda is the starting point. */
static int load_previous(zb_db *db, zb_arena *a, zb_meeting_form *f, zb_err *e)
{
	form_row r = {.a = a, .f = f};
	int rc = zb_db_one(db, e, NULL, read_previous, &r,
	                   "SELECT id, title, held_on, agenda, topic, host, start_at, end_at FROM meetings "
	                   "WHERE org_id = ? AND type = ? ORDER BY start_at DESC, id DESC LIMIT 1",
	                   "is", f->m.org_id, zb_mtype_code(f->type));
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

int zb_meeting_form_get(zb_db *db, int64_t org_id, const char *date, int type, int64_t group, zb_arena *a,
                        zb_meeting_form *f, zb_err *e)
{
	memset(f, 0, sizeof *f);
	const char *org_path = NULL, *org_type = NULL;
	int64_t parent = 0;
	int rc = load_org(db, org_id, a, &org_path, &org_type, &parent, f, e);
	if (rc)
		return rc;
	f->at_group = !strcmp(org_type, "group");
	int64_t branch_id = f->at_group ? parent : org_id;
	if ((rc = load_groups(db, org_id, branch_id, date, a, f, e)))
		return rc;
	f->type = type >= 0 ? type : f->at_group ? ZB_MT_GROUP : ZB_MT_THEME_DAY;
	if ((rc = meeting_org(db, org_id, org_path, group, a, f, e)))
		return rc;
	zb_meeting *m = &f->m;
	snprintf(m->held_on, sizeof m->held_on, "%s", date);
	m->held_ym = zb_md_ym(date);
	zb_mrules rules;
	zb_mfreq freq;
	if ((rc = zb_mrules_get(db, m->org_path, date, &rules, e)) || (rc = zb_mfreq_get(db, m->org_path, date, &freq, e)))
		return rc;
	f->need_group = f->type == ZB_MT_GROUP && !f->group_id;
	if (f->type != ZB_MT_TALK && !f->need_group &&
	    (rc = zb_meeting_expected_list(db, m, &rules, a, &f->rows, &f->nrows, e)))
		return rc;
	/* defaults: the secretary hosts, the last recorder records, the last place */
	f->secretary = first_text(db, a,
	                          "SELECT COALESCE(mb.name, cp.person_name) FROM committee_posts cp "
	                          "LEFT JOIN members mb ON mb.id = cp.member_id WHERE cp.org_id = ? "
	                          "AND cp.post = 'secretary' AND cp.started_on <= ? AND cp.ended_on IS NULL "
	                          "ORDER BY cp.started_on DESC LIMIT 1",
	                          branch_id, date, e, &rc);
	if (!rc)
		f->last_recorder = first_text(db, a,
		                              "SELECT recorder FROM meetings WHERE org_id = ? AND recorder IS NOT NULL "
		                              "AND recorder <> '' ORDER BY start_at DESC, id DESC LIMIT 1",
		                              m->org_id, NULL, e, &rc);
	if (!rc)
		f->last_place = first_text(db, a,
		                           "SELECT place FROM meetings WHERE org_id = ? AND place IS NOT NULL "
		                           "AND place <> '' ORDER BY start_at DESC, id DESC LIMIT 1",
		                           m->org_id, NULL, e, &rc);
	if (rc || (rc = load_previous(db, a, f, e)))
		return rc;
	/* the rule's unit containing the date, and what is recorded in it */
	f->unit = freq.t[f->type];
	if (f->unit.every_months > 0) {
		int y = m->held_ym / 100, mo = m->held_ym % 100, every = f->unit.every_months;
		int end = ((mo + every - 1) / every) * every;
		f->from_ym = y * 100 + end - every + 1;
		f->to_ym = y * 100 + end;
		if ((rc = zb_db_int(db, e, &f->held,
		                    "SELECT COUNT(*) FROM meetings WHERE org_id = ? AND type = ? AND held_ym >= ? AND held_ym <= ?",
		                    "isii", m->org_id, zb_mtype_code(f->type), (int64_t)f->from_ym, (int64_t)f->to_ym)))
			return rc;
	}
	return 0;
}
