/* steps.c - the steps of a person in the 发展党员 pipeline: what the engine
 * (recruit/engine.c, zb_recruit_check) needs is gathered here from the
 * database - the steps done, the people a step names as the roster stood
 * on its date (member/history.h), the meeting and resolution of a plenary
 * (meeting/meeting.h), the rules in force and the working-day calendar -
 * then the step is written with its people and facts, the record's stage
 * follows, and steps 19 and 24 write the roster.  Corrections, closing a
 * pipeline, the view of one case and the list.  Each write is one
 * transaction with its audit row. */
#include "recruit/applicant.h"
#include "recruit/rrules.h"
#include "core/date.h"
#include "core/jw.h"
#include "meeting/meeting.h"
#include "member/history.h"
#include "member/member.h"
#include "member/probation.h"
#include "org/org.h"
#include "org/structure.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading the steps ---------------------------------------------------- */

static const char *sdup(zb_arena *ar, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? zb_arena_strdup(ar, s) : NULL;
}

static int jint(json_t *o, const char *k, int dflt)
{
	json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

/* The engine's record of a step from its stored facts. */
static void rec_from_facts(zb_arena *ar, zb_rstep_row *r)
{
	json_t *o = json_loads(r->facts_json ? r->facts_json : "{}", 0, NULL);
	zb_rstep_rec *s = &r->rec;
	s->conclusion = sdup(ar, o, "conclusion");
	s->opinion = sdup(ar, o, "opinion");
	if (!s->opinion)
		s->opinion = sdup(ar, o, "note");
	s->training_days = jint(o, "training_days", 0);
	s->training_hours = jint(o, "training_hours", 0);
	s->certificate_no = sdup(ar, o, "certificate_no");
	s->publicity_from = sdup(ar, o, "publicity_from");
	s->volunteer_no = sdup(ar, o, "volunteer_no");
	s->delay_reason = sdup(ar, o, "delay_reason");
	s->recommended_by = sdup(ar, o, "recommended_by");
	const char *out = json_string_value(json_object_get(o, "outcome"));
	int oc = out ? zb_routcome_from(out) : ZB_RO_NONE;
	s->outcome = oc < 0 ? ZB_RO_NONE : oc;
	s->extend_months = jint(o, "extend_months", 0);
	json_decref(o);
}

void zb_rstep_row_facts(zb_arena *ar, zb_rstep_row *r)
{
	rec_from_facts(ar, r);
}

typedef struct rows_ctx {
	zb_arena *ar;
	zb_rstep_row *rows;
	int n, cap;
} rows_ctx;

static int read_step(zb_stmt *st, void *ctx, zb_err *e)
{
	rows_ctx *c = ctx;
	(void)e;
	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		zb_rstep_row *nr = zb_arena_alloc(c->ar, (size_t)cap * sizeof *nr);
		if (c->n)
			memcpy(nr, c->rows, (size_t)c->n * sizeof *nr);
		c->rows = nr;
		c->cap = cap;
	}
	zb_rstep_row *r = &c->rows[c->n++];
	memset(r, 0, sizeof *r);
	r->id = zb_col_int(st, 0);
	r->rec.step = (int)zb_col_int(st, 1);
	r->rec.done_on = zb_arena_strdup(c->ar, zb_col_text(st, 2));
	r->facts_json = zb_arena_strdup(c->ar, zb_col_text(st, 3));
	r->meeting_id = zb_col_int(st, 4);
	r->resolution_id = zb_col_int(st, 5);
	r->flag = zb_arena_strdup(c->ar, zb_col_text(st, 6));
	r->recorded_by = zb_col_int(st, 7);
	r->recorded_by_name = zb_arena_strdup(c->ar, zb_col_text(st, 8));
	r->recorded_at = zb_col_int(st, 9);
	r->replaced_by = zb_col_int(st, 10);
	r->reason = zb_arena_strdup(c->ar, zb_col_text(st, 11));
	rec_from_facts(c->ar, r);
	return 0;
}

typedef struct people_ctx {
	zb_arena *ar;
	zb_rstep_row *rows;
	int n;
} people_ctx;

static int read_person(zb_stmt *st, void *ctx, zb_err *e)
{
	people_ctx *c = ctx;
	(void)e;
	int64_t sid = zb_col_int(st, 0);
	for (int i = 0; i < c->n; i++) {
		zb_rstep_row *r = &c->rows[i];
		if (r->id != sid)
			continue;
		zb_rperson_in *p = zb_arena_alloc(c->ar, (size_t)(r->nnamed + 1) * sizeof *p);
		if (r->nnamed)
			memcpy(p, r->named, (size_t)r->nnamed * sizeof *p);
		p[r->nnamed].member_id = zb_col_int(st, 1);
		p[r->nnamed].name = zb_arena_strdup(c->ar, zb_col_text(st, 2));
		r->named = p;
		r->nnamed++;
		break;
	}
	return 0;
}

/* The current rows of an applicant in the order they happened (by date,
 * then step: steps are done in order, and after an extension 21-24 come
 * again after the first 24), with
 * the people each names (without roster facts: gather() adds those). */
static int load_rows(zb_db *db, int64_t id, zb_arena *ar, zb_rstep_row **out, int *n, zb_err *e)
{
	rows_ctx c = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_step, &c,
	                    "SELECT s.id, s.step, s.done_on, s.facts, s.meeting_id, s.resolution_id, s.flag, s.recorded_by, "
	                    "COALESCE(u.display_name, u.username), s.recorded_at, s.replaced_by, s.reason "
	                    "FROM applicant_steps s LEFT JOIN users u ON u.id = s.recorded_by "
	                    "WHERE s.applicant_id = ? AND s.replaced_by IS NULL ORDER BY s.done_on, s.step, s.id",
	                    "i", id);
	people_ctx p = {ar, c.rows, c.n};
	if (!rc && c.n)
		rc = zb_db_each(db, e, read_person, &p,
		                "SELECT p.step_id, p.member_id, p.name FROM applicant_step_people p "
		                "JOIN applicant_steps s ON s.id = p.step_id "
		                "WHERE s.applicant_id = ? AND s.replaced_by IS NULL ORDER BY p.step_id, p.seq",
		                "i", id);
	for (int i = 0; i < c.n; i++) {
		zb_rperson *pp = zb_arena_alloc(ar, (size_t)(c.rows[i].nnamed + 1) * sizeof *pp);
		for (int j = 0; j < c.rows[i].nnamed; j++)
			pp[j] = (zb_rperson){.member_id = c.rows[i].named[j].member_id, .name = c.rows[i].named[j].name};
		c.rows[i].rec.people = pp;
		c.rows[i].rec.npeople = c.rows[i].nnamed;
	}
	*out = c.rows;
	*n = c.n;
	return rc;
}

/* ---- the case as the engine sees it ----------------------------------------- */

typedef struct kase {
	zb_db *db;
	zb_arena *ar;
	zb_applicant a;
	zb_rstep_row *rows;
	int nrows;
	zb_recruit_rules rr;
	zb_probation_rules pr;
	zb_workcal *cal;
	char today[11];
	const char *roster_path;    /* where the people a step names are looked up */
	int match_names;            /* an import: people named only are looked up by name */
} kase;

static const char *date_of(const zb_rstep_row *rows, int n, int step)
{
	const char *d = NULL;
	for (int i = 0; i < n; i++)
		if (rows[i].rec.step == step)
			d = rows[i].rec.done_on;
	return d;
}

/* The recruitment rules on date, the probation rule on the plenary date
 * (or date), and the calendar from the application to next year. */
static int load_rules(kase *k, const char *date, zb_err *e)
{
	const char *plenary = date_of(k->rows, k->nrows, 15);
	int rc = zb_recruit_rules_get(k->db, k->a.org_path, date, &k->rr, e);
	if (!rc)
		rc = zb_probation_rules_get(k->db, k->a.org_path, plenary ? plenary : date, &k->pr, e);
	if (!rc && !k->cal)
		rc = zb_workcal_load(k->db, atoi(k->a.applied_on), atoi(k->today) + 1, &k->cal, e);
	return rc;
}

static void case_of(const kase *k, const zb_rstep_row *rows, int n, zb_rcase *c, zb_rstep_rec *buf)
{
	for (int i = 0; i < n; i++)
		buf[i] = rows[i].rec;
	*c = (zb_rcase){.birth_date = k->a.birth_date, .applied_on = k->a.applied_on, .done = buf, .ndone = n,
	                .probation_months = k->pr.months, .ext_min = k->pr.ext_min, .ext_max = k->pr.ext_max};
}

/* The nearest ancestor of the branch of type 党委 (committee): it approves
 * the steps of the 上级党委.  *found 0 when there is none. */
static int superior_of(zb_db *db, const char *path, zb_arena *ar, zb_org *out, int *found, zb_err *e)
{
	int64_t ids[64];
	int n = zb_path_ids(path, ids, 64);
	*found = 0;
	if (n < 2)
		return 0;
	zb_org *orgs;
	int no;
	int rc = zb_org_get_many(db, ids, n - 1, ar, &orgs, &no, e);
	if (rc)
		return rc;
	for (int i = n - 2; i >= 0; i--) {
		const zb_org *o = zb_org_find(orgs, no, ids[i]);
		if (o && !strcmp(o->type, "committee")) {
			*out = *o;
			*found = 1;
			return 0;
		}
	}
	return 0;
}

/* Where the people a step names are looked up: the approving 党委's
 * subtree, or the top org of the branch. */
static int roster_path_of(kase *k, zb_err *e)
{
	zb_org sup;
	int found;
	int rc = superior_of(k->db, k->a.org_path, k->ar, &sup, &found, e);
	if (rc)
		return rc;
	if (found) {
		k->roster_path = sup.path;
	} else {
		const char *end = strchr(k->a.org_path + 1, '/');
		k->roster_path = end ? zb_arena_strndup(k->ar, k->a.org_path, (size_t)(end - k->a.org_path + 1)) : "/";
	}
	return 0;
}

static int open_case(zb_db *db, zb_app *app, int64_t id, zb_arena *ar, kase *k, zb_err *e)
{
	memset(k, 0, sizeof *k);
	k->db = db;
	k->ar = ar;
	zb_today(app, k->today);
	int rc = zb_applicant_get(db, id, ar, &k->a, e);
	if (!rc)
		rc = load_rows(db, id, ar, &k->rows, &k->nrows, e);
	return rc ? rc : roster_path_of(k, e);
}

static void close_case(kase *k)
{
	zb_workcal_free(k->cal);
	k->cal = NULL;
}

/* ---- gathering the facts of one step ------------------------------------------ */

static const char *people_field(int step)
{
	switch (step) {
	case 2:
	case 16:
		return "talkers";
	case 5:
		return "contacts";
	case 9:
		return "introducers";
	default:
		return NULL;
	}
}

static const char *people_role(int step)
{
	switch (step) {
	case 5:
		return "contact";
	case 9:
		return "introducer";
	default:
		return "talker";
	}
}

/* The people of row r as the roster stood on its date. */
static int gather_people(kase *k, zb_rstep_row *r, zb_err *e)
{
	int any = 0;
	for (int i = 0; i < r->rec.npeople; i++)
		any |= r->rec.people[i].member_id != 0 || k->match_names;
	if (!any)
		return 0;
	zb_member_on *on;
	int non;
	zb_member_on_sel sel = {.date = r->rec.done_on, .path = k->roster_path};
	int rc = zb_member_roster_on(k->db, &sel, k->ar, &on, &non, e);
	if (rc)
		return rc;
	zb_rperson *pp = (zb_rperson *)r->rec.people;
	for (int i = 0; i < r->rec.npeople; i++) {
		if (!pp[i].member_id && k->match_names) {
			/* the one member of that name on the roster that day */
			int hits = 0;
			for (int j = 0; j < non; j++)
				if (pp[i].name && !strcmp(on[j].name, pp[i].name) && !hits++)
					pp[i].member_id = on[j].id;
			if (hits != 1)
				pp[i].member_id = 0;
			else if (i < r->nnamed)
				r->named[i].member_id = pp[i].member_id;
		}
		if (!pp[i].member_id)
			continue;
		for (int j = 0; j < non; j++) {
			if (on[j].id != pp[i].member_id)
				continue;
			pp[i].on_roster = 1;
			pp[i].category = on[j].category;
			pp[i].full_date = on[j].full_date;
			pp[i].status = on[j].status;
			if (!pp[i].name)
				pp[i].name = on[j].name;
			break;
		}
	}
	return 0;
}

/* The meeting a plenary step names and its resolution of the right kind. */
static int gather_meeting(kase *k, zb_rstep_row *r, zb_err *e)
{
	if (!r->meeting_id)
		return 0;
	zb_meeting_full f;
	int rc = zb_meeting_load_full(k->db, r->meeting_id, k->ar, &f, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "meeting_id", "未找到该会议记录（编号 %lld）", (long long)r->meeting_id);
	if (rc)
		return rc;
	zb_mrules mr;
	if ((rc = zb_meeting_rules(k->db, &f.m, &mr, e)))
		return rc;
	int kind = r->rec.step == 15 ? ZB_RES_ADMISSION : ZB_RES_FULL;
	const zb_res_row *x = NULL;
	int nkind = 0;
	for (int i = 0; i < f.nres; i++) {
		if (f.res[i].kind != kind)
			continue;
		nkind++;
		if (r->resolution_id ? f.res[i].id == r->resolution_id : !x)
			x = &f.res[i];
	}
	if (r->resolution_id && !x)
		return zb_fail(e, ZB_EINVAL, "resolution_id", "该会议没有编号为 %lld 的%s决议", (long long)r->resolution_id,
		               zb_res_kind_name(kind));
	if (!r->resolution_id && nkind > 1)
		return zb_fail(e, ZB_EINVAL, "resolution_id", "该会议有 %d 项%s决议，请指明是哪一项（resolution_id）", nkind,
		               zb_res_kind_name(kind));
	zb_rmeeting *m = zb_arena_alloc(k->ar, sizeof *m);
	*m = (zb_rmeeting){.id = f.m.id,
	                   .type = f.m.type,
	                   .same_branch = f.m.org_id == k->a.org_id,
	                   .held_on = zb_arena_strdup(k->ar, f.m.held_on),
	                   .has_resolution = x != NULL,
	                   .counted = x ? zb_resolution_counted(&f.m, x) : 0,
	                   .passed = x ? zb_resolution_passed(&f.m, &mr, x) : 0,
	                   .yes = x ? zb_resolution_yes(x) : 0,
	                   .entitled = zb_meeting_entitled(&f.m),
	                   .present_voters = f.m.present_voters,
	                   .quorum_need = f.m.quorum_need};
	if (x)
		r->resolution_id = x->id;
	r->rec.meeting = m;
	return 0;
}

static int gather(kase *k, zb_rstep_row *r, zb_err *e)
{
	int rc = gather_people(k, r, e);
	return rc ? rc : gather_meeting(k, r, e);
}

/* ---- a step as the caller states it ---------------------------------------------- */

/* The facts JSON of an input (what is stored beside the step). */
static const char *facts_of(zb_arena *ar, const zb_rstep_input *in, const zb_rstep_rec *prev23)
{
	zb_buf b = {0};
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
#define S(k)                               \
	if (in->k)                         \
		jw_kstr(&w, #k, in->k);
	S(conclusion)
	S(opinion)
	S(note)
	S(certificate_no)
	S(publicity_from)
	S(volunteer_no)
	S(delay_reason)
	S(recommended_by)
#undef S
#define I(k)                               \
	if (in->k >= 0)                    \
		jw_kint(&w, #k, in->k);
	I(training_days)
	I(training_hours)
#undef I
	if (in->group_id > 0)
		jw_kint(&w, "group_id", in->group_id);
	/* step 24 approves what step 23 decided */
	const char *outcome = in->outcome;
	int64_t ext = in->extend_months;
	if (in->step == 24 && !outcome && prev23) {
		outcome = prev23->outcome ? zb_routcome_code(prev23->outcome) : NULL;
		ext = prev23->extend_months;
	}
	if (outcome)
		jw_kstr(&w, "outcome", outcome);
	if (ext > 0)
		jw_kint(&w, "extend_months", ext);
	jw_obj_end(&w);
	const char *s = jw_finish(&w) ? "{}" : zb_arena_strdup(ar, b.data);
	zb_buf_release(&b);
	return s;
}

static const zb_rstep_rec *last_of(const zb_rstep_row *rows, int n, int step)
{
	const zb_rstep_rec *r = NULL;
	for (int i = 0; i < n; i++)
		if (rows[i].rec.step == step)
			r = &rows[i].rec;
	return r;
}

/* A meeting, resolution or 党小组 an input names must be the applicant's
 * branch's (or under it): another org's, like one that does not exist, is
 * not found.  Only steps 15 and 23 keep the meeting, only 19 the 党小组. */
static int refs_in_branch(kase *k, const zb_rstep_input *in, zb_err *e)
{
	const char *under = zb_arena_printf(k->ar, "%s%%", k->a.org_path);
	int64_t n = 0;
	int rc = 0;
	if (in->meeting_id &&
	    ((rc = zb_db_int(k->db, e, &n, "SELECT COUNT(*) FROM meetings WHERE id = ? AND org_path LIKE ?", "is",
	                     in->meeting_id, under)) ||
	     !n))
		return rc ? rc : zb_fail(e, ZB_ENOTFOUND, "meeting_id", "未找到该会议记录（编号 %lld）", (long long)in->meeting_id);
	if (in->resolution_id &&
	    ((rc = zb_db_int(k->db, e, &n,
	                     "SELECT COUNT(*) FROM meeting_resolutions r JOIN meetings m ON m.id = r.meeting_id "
	                     "WHERE r.id = ? AND m.org_path LIKE ?",
	                     "is", in->resolution_id, under)) ||
	     !n))
		return rc ? rc : zb_fail(e, ZB_ENOTFOUND, "resolution_id", "未找到该决议（编号 %lld）", (long long)in->resolution_id);
	if (in->group_id > 0 &&
	    ((rc = zb_db_int(k->db, e, &n, "SELECT COUNT(*) FROM orgs WHERE id = ? AND path LIKE ? AND id <> ?", "isi",
	                     in->group_id, under, k->a.org_id)) ||
	     !n))
		return rc ? rc : zb_fail(e, ZB_ENOTFOUND, "group_id", "未找到该党小组（编号 %lld）", (long long)in->group_id);
	return 0;
}

/* The row an input makes (people resolved by the caller's read scope). */
static int row_of_input(kase *k, const zb_principal *who, const zb_rstep_input *in, zb_rstep_row *r, zb_err *e)
{
	memset(r, 0, sizeof *r);
	if (in->step < 1 || in->step > ZB_RSTEPS)
		return zb_fail(e, ZB_EINVAL, "step", "步骤应为 1 到 %d", ZB_RSTEPS);
	if (!in->done_on || !zb_date_valid(in->done_on))
		return zb_fail(e, ZB_EINVAL, "done_on", "请填写完成日期（YYYY-MM-DD）");
	if (in->outcome && zb_routcome_from(in->outcome) < 0)
		return zb_fail(e, ZB_EINVAL, "outcome", "结论应为 full（转为正式党员）、extend（延长预备期）或 cancel（取消预备党员资格）");
	if (in->recommended_by && !zb_arecommend_from(in->recommended_by))
		return zb_fail(e, ZB_EINVAL, "recommended_by", "推荐方式应为 league（共青团推优）或 members（党员推荐）");
	if (refs_in_branch(k, in, e))
		return e->code;
	const char *pf = people_field(in->step);
	if (in->npeople && !pf)
		return zb_fail(e, ZB_EINVAL, "step", "第 %d 步“%s”不填写人员", in->step, zb_rstep_name(in->step));
	r->rec.step = in->step;
	r->rec.done_on = in->done_on;
	zb_rstep_input norm = *in;
	if (in->recommended_by)
		norm.recommended_by = zb_arecommend_from(in->recommended_by);
	if (in->outcome)
		norm.outcome = zb_routcome_code(zb_routcome_from(in->outcome));
	r->facts_json = facts_of(k->ar, &norm, last_of(k->rows, k->nrows, 23));
	rec_from_facts(k->ar, r);
	int plenary = in->step == 15 || in->step == 23;
	r->meeting_id = plenary ? in->meeting_id : 0;
	r->resolution_id = plenary ? in->resolution_id : 0;
	zb_rperson *pp = zb_arena_alloc(k->ar, (size_t)(in->npeople + 1) * sizeof *pp);
	r->named = zb_arena_alloc(k->ar, (size_t)(in->npeople + 1) * sizeof *r->named);
	for (int i = 0; i < in->npeople; i++) {
		const zb_rperson_in *p = &in->people[i];
		const char *name = p->name ? zb_member_clean(k->ar, p->name) : NULL;
		if (p->member_id) {
			zb_member m;
			int rc = zb_member_get(k->db, p->member_id, k->ar, &m, e);
			if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(who, P_MEMBER_READ, m.org_path)))
				return zb_fail(e, ZB_ENOTFOUND, zb_arena_printf(k->ar, "%s[%d]", pf, i),
				               "未找到该党员，或不在您的管理范围内");
			if (rc)
				return rc;
			name = m.name;
		} else if (!name || !*name) {
			return zb_fail(e, ZB_EINVAL, zb_arena_printf(k->ar, "%s[%d]", pf, i), "请填写党员编号或姓名");
		} else if (zb_name_check(name, pf, "姓名", e)) {
			return e->code;
		}
		pp[i] = (zb_rperson){.member_id = p->member_id, .name = name};
		r->named[i] = (zb_rperson_in){.member_id = p->member_id, .name = name};
	}
	r->rec.people = pp;
	r->rec.npeople = in->npeople;
	r->nnamed = in->npeople;
	return gather(k, r, e);
}

/* ---- writing ------------------------------------------------------------------- */

static int lock_applicant(zb_db *db, int64_t id, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n, "UPDATE applicants SET updated_at = updated_at WHERE id = ?", "i", id);
	if (!rc && !n)
		rc = zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该发展对象，或不在您的管理范围内");
	return rc;
}

static int insert_row(kase *k, const zb_rstep_row *r, int64_t by_user, int64_t now, const char *reason, int64_t *id,
                      zb_err *e)
{
	int rc = zb_db_int(k->db, e, id,
	                   "INSERT INTO applicant_steps (applicant_id, step, done_on, facts, meeting_id, resolution_id, "
	                   "recorded_by, recorded_at, reason, flag) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "iissIIIiss", k->a.id, (int64_t)r->rec.step, r->rec.done_on, r->facts_json, r->meeting_id,
	                   r->resolution_id, by_user, now, reason, r->flag);
	for (int i = 0; !rc && i < r->nnamed; i++)
		rc = zb_db_run(k->db, e, NULL,
		               "INSERT INTO applicant_step_people (step_id, role, seq, member_id, name) VALUES (?,?,?,?,?)",
		               "isiIs", *id, people_role(r->rec.step), (int64_t)i, r->named[i].member_id, r->named[i].name);
	return rc;
}

/* Stage, last step and its date from the current rows. */
static int update_stage(kase *k, const zb_rstep_row *rows, int n, int64_t now, zb_err *e)
{
	zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(n + 1) * sizeof *buf);
	zb_rcase c;
	case_of(k, rows, n, &c, buf);
	int stage = zb_recruit_stage(&c);
	const zb_rstep_row *last = &rows[n - 1];
	return zb_db_run(k->db, e, NULL,
	                 "UPDATE applicants SET stage = ?, step = ?, step_on = ?, applied_on = ?, updated_at = ? WHERE id = ?",
	                 "sissii", zb_rstage_code(stage), (int64_t)last->rec.step, last->rec.done_on,
	                 date_of(rows, n, 1) ? date_of(rows, n, 1) : k->a.applied_on, now, k->a.id);
}

/* Step 19: the person on the roster as a 预备党员, everything entered carried
 * over, 入党日期 = the plenary's date (step 15). */
static int hand_over(kase *k, zb_app *app, const zb_principal *who, const zb_rstep_row *r, int64_t group_id, zb_err *e)
{
	zb_applicant *a = &k->a;
	int rc = zb_applicant_reveal(a, app->keys, k->ar, e);
	if (rc)
		return rc;
	zb_member m = {0};
	if ((rc = zb_member_place(k->db, NULL, a->org_id, &m, k->ar, e)))
		return rc;
	if (group_id > 0 && (rc = zb_member_set_group(k->db, group_id, &m, k->ar, e))) {
		snprintf(e->field, sizeof e->field, "group_id");
		return rc;
	}
	m.name = a->name;
	m.gender = a->gender;
	m.birth_date = a->birth_date;
	m.id_number = a->id_number;
	m.ethnicity = a->ethnicity;
	m.education = a->education;
	m.work_unit = a->work_unit;
	m.phone = a->phone;
	m.source = zb_asource_name(a->source);
	m.category = "probationary";
	m.join_date = date_of(k->rows, k->nrows, 15);
	unsigned given = ZB_MF_NAME | ZB_MF_CATEGORY | ZB_MF_JOIN | ZB_MF_SOURCE;
	if (a->gender)
		given |= ZB_MF_GENDER;
	if (a->birth_date)
		given |= ZB_MF_BIRTH;
	if (a->id_number)
		given |= ZB_MF_ID;
	if (a->ethnicity)
		given |= ZB_MF_ETHNICITY;
	if (a->education)
		given |= ZB_MF_EDUCATION;
	if (a->work_unit)
		given |= ZB_MF_WORK_UNIT;
	if (a->phone)
		given |= ZB_MF_PHONE;
	zb_member_rules mr;
	if ((rc = zb_member_rules_load(k->db, m.org_path, k->today, &mr, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = k->ar, .by_user = who->user_id,
	                       .today = k->today, .reason = "发展党员：编入党支部和党小组", .effective_on = r->rec.done_on};
	zb_member_write w = {.given = given, .rules = &mr, .today = zb_today_int(app)};
	if ((rc = zb_member_save(k->db, &ch, &m, &w, e)))
		return rc;
	a->member_id = w.id;
	return zb_db_run(k->db, e, NULL, "UPDATE applicants SET member_id = ? WHERE id = ?", "ii", w.id, a->id);
}

/* Step 24 on the roster: 转正 (category full, 转正日期 = the end of the
 * 预备期), the one extension, or 取消预备党员资格. */
static int approve_on_roster(kase *k, zb_app *app, const zb_principal *who, const zb_rstep_row *r, zb_err *e)
{
	if (!k->a.member_id)
		return zb_fail(e, ZB_ECONFLICT, "step", "%s 尚未编入党员名册（第 19 步）", k->a.name);
	const zb_rstep_rec *d23 = last_of(k->rows, k->nrows, 23);
	int outcome = r->rec.outcome;
	if (outcome == ZB_RO_EXTEND)
		return zb_probation_extend(k->db, k->a.member_id, r->rec.extend_months, d23 ? d23->done_on : r->rec.done_on,
		                           "延长预备期（发展党员第 24 步上级党委审批）", k->today, who->user_id, zb_now(app), e);
	zb_member old, nw;
	int rc = zb_member_get_locked(k->db, k->a.member_id, k->ar, &old, e);
	if (rc || (rc = zb_member_reveal(&old, app->keys, k->ar, e)))
		return rc;
	nw = old;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = k->ar, .by_user = who->user_id,
	                       .today = k->today};
	unsigned given;
	if (outcome == ZB_RO_FULL) {
		zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(k->nrows + 2) * sizeof *buf);
		zb_rcase c;
		case_of(k, k->rows, k->nrows, &c, buf);
		char end[11];
		zb_recruit_probation_end(&c, end);
		nw.category = "full";
		nw.full_date = zb_arena_strdup(k->ar, end);
		ch.reason = "按期转为正式党员";
		ch.effective_on = nw.full_date;
		given = ZB_MF_CATEGORY | ZB_MF_FULL;
	} else if (outcome == ZB_RO_CANCEL) {
		nw.status = "removed";
		ch.reason = "取消预备党员资格";
		ch.effective_on = r->rec.done_on;
		given = ZB_MF_STATUS;
	} else {
		return zb_fail(e, ZB_EINVAL, "outcome", "第 23 步未记录讨论结论（outcome）");
	}
	zb_member_rules mr;
	if ((rc = zb_member_rules_load(k->db, old.org_path, k->today, &mr, e)))
		return rc;
	zb_member_write w = {.old = &old, .given = given, .rules = &mr, .today = zb_today_int(app), .force = 1};
	return zb_member_save(k->db, &ch, &nw, &w, e);
}

static int superior_check(kase *k, const zb_principal *who, int step, zb_err *e)
{
	if (!zb_rstep_by_superior(step))
		return 0;
	zb_org sup;
	int found;
	int rc = superior_of(k->db, k->a.org_path, k->ar, &sup, &found, e);
	if (rc)
		return rc;
	if (!found)
		return zb_fail(e, ZB_EFORBIDDEN, "step", "第 %d 步“%s”由上级党委办理，%s 没有上级党委", step,
		               zb_rstep_name(step), k->a.org_name);
	if (!zb_authz_allows(who, P_MEMBER_WRITE, sup.path))
		return zb_fail(e, ZB_EFORBIDDEN, "step", "第 %d 步“%s”由上级党委办理，须由 %s 记录", step, zb_rstep_name(step),
		               sup.name);
	return 0;
}

static int open_check(const kase *k, zb_err *e)
{
	if (k->a.closed && !strcmp(k->a.closed, "stopped"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 已于 %s 终止培养", k->a.name, k->a.closed_on ? k->a.closed_on : "");
	if (k->a.closed)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 的发展党员工作已结束（%s）", k->a.name,
		               !strcmp(k->a.closed, "done") ? "材料已归档" : "已取消预备党员资格");
	return 0;
}

static int step_audit(kase *k, zb_app *app, const zb_audit_ev *by, const char *action, const zb_rstep_row *r,
                      int64_t row_id, const char *reason, zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "step", r->rec.step);
	jw_kstr(w, "name", zb_rstep_name(r->rec.step));
	jw_kint(w, "step_id", row_id);
	jw_kstr(w, "done_on", r->rec.done_on);
	if (reason)
		jw_kstr(w, "reason", reason);
	if (k->a.member_id)
		jw_kint(w, "member_id", k->a.member_id);
	return zb_audit_change_detail(k->db, app, by, action, "applicant", k->a.id, k->a.org_path, &d, e);
}

static int record_in_tx(kase *k, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                        const zb_rstep_input *in, zb_err *e)
{
	int rc = open_check(k, e);
	if (rc || (rc = superior_check(k, who, in->step, e)))
		return rc;
	if (in->step == 1)
		return zb_fail(e, ZB_ECONFLICT, "step", "第 1 步随登记入党申请人一并记录；如需更正，请更正该步骤");
	zb_rstep_row r;
	if ((rc = row_of_input(k, who, in, &r, e)) || (rc = load_rules(k, in->done_on, e)))
		return rc;
	zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *buf);
	zb_rcase c;
	case_of(k, k->rows, k->nrows, &c, buf);
	if ((rc = zb_recruit_check(&k->rr, k->cal, &c, &r.rec, k->today, e)))
		return rc;
	int64_t now = zb_now(app), row_id;
	if ((rc = insert_row(k, &r, who->user_id, now, NULL, &row_id, e)))
		return rc;
	r.id = row_id;
	zb_rstep_row *all = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *all);
	if (k->nrows)
		memcpy(all, k->rows, (size_t)k->nrows * sizeof *all);
	all[k->nrows] = r;
	if (in->step == 3 && r.rec.recommended_by &&
	    (rc = zb_db_run(k->db, e, NULL, "UPDATE applicants SET recommended_by = ? WHERE id = ?", "si",
	                    r.rec.recommended_by, k->a.id)))
		return rc;
	if (in->step == 19 && !k->a.member_id)
		rc = hand_over(k, app, who, &r, in->group_id, e);
	else if (in->step == 19 && in->group_id > 0)
		rc = zb_fail(e, ZB_ECONFLICT, "group_id", "%s 已在党员名册上（导入时已编入），党小组请在党员档案中调整", k->a.name);
	k->rows = all;
	k->nrows++;
	if (!rc && in->step == 24)
		rc = approve_on_roster(k, app, who, &r, e);
	if (!rc)
		rc = update_stage(k, k->rows, k->nrows, now, e);
	const char *closed = in->step == 25                                  ? "done"
	                     : in->step == 24 && r.rec.outcome == ZB_RO_CANCEL ? "cancelled"
	                                                                         : NULL;
	if (!rc && closed)
		rc = zb_db_run(k->db, e, NULL,
		               "UPDATE applicants SET closed = ?, closed_on = ?, closed_reason = ? WHERE id = ?", "sssi",
		               closed, r.rec.done_on, !strcmp(closed, "done") ? "材料归档" : "取消预备党员资格", k->a.id);
	return rc ? rc : step_audit(k, app, by, "applicant.step", &r, row_id, NULL, e);
}

int zb_recruit_record(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                      const zb_rstep_input *in, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	kase k;
	if (!(rc = lock_applicant(db, id, e)) && !(rc = open_case(db, app, id, ar, &k, e))) {
		rc = record_in_tx(&k, app, by, who, in, e);
		close_case(&k);
	}
	return zb_db_end(db, rc, e);
}

/* ---- a history from an import ---------------------------------------------------- */

/* Row i of the history: judged against rows 0..i-1 (the rules on its
 * date); a broken rule becomes r->flag. */
static int historic_row(kase *k, const zb_rstep_input *in, zb_rstep_row *r, zb_err *e)
{
	int rc = row_of_input(k, NULL, in, r, e);
	if (rc || (rc = load_rules(k, in->done_on, e)))
		return rc;
	zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *buf);
	zb_rcase c;
	case_of(k, k->rows, k->nrows, &c, buf);
	zb_err ce = {0};
	rc = zb_recruit_check_historic(&k->rr, &c, &r->rec, k->today, &ce);
	if (rc == ZB_ECONFLICT) {
		r->flag = zb_arena_strdup(k->ar, ce.msg);
		return 0;
	}
	if (rc)
		*e = ce;
	return rc;
}

static void push_row(kase *k, const zb_rstep_row *r)
{
	zb_rstep_row *all = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *all);
	if (k->nrows)
		memcpy(all, k->rows, (size_t)k->nrows * sizeof *all);
	all[k->nrows++] = *r;
	k->rows = all;
}

int zb_recruit_historic_judge(zb_db *db, zb_app *app, const zb_applicant *a, const zb_rstep_input *steps, int n,
                              zb_arena *ar, const char **flags, zb_err *e)
{
	kase k;
	memset(&k, 0, sizeof k);
	k.db = db;
	k.ar = ar;
	k.a = *a;
	k.match_names = 1;
	zb_today(app, k.today);
	int rc = roster_path_of(&k, e);
	for (int i = 0; !rc && i < n; i++) {
		zb_rstep_row r;
		if (!(rc = historic_row(&k, &steps[i], &r, e))) {
			flags[i] = r.flag;
			push_row(&k, &r);
		}
	}
	close_case(&k);
	return rc;
}

int zb_recruit_historic_write(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                              const zb_rstep_input *steps, int n, int64_t member_id, zb_arena *ar, zb_err *e)
{
	kase k;
	int rc = open_case(db, app, id, ar, &k, e);
	if (rc)
		return rc;
	k.match_names = 1;
	int64_t now = zb_now(app);
	const zb_rstep_row *s17 = NULL, *s24 = NULL;
	for (int i = 0; !rc && i < n; i++) {
		if (steps[i].step == 1)
			continue; /* written with the record */
		zb_rstep_row r;
		int64_t row_id;
		if ((rc = historic_row(&k, &steps[i], &r, e)) || (rc = insert_row(&k, &r, who->user_id, now, NULL, &row_id, e)))
			break;
		r.id = row_id;
		push_row(&k, &r);
		if (r.rec.step == 17)
			s17 = &k.rows[k.nrows - 1];
		if (r.rec.step == 24)
			s24 = &k.rows[k.nrows - 1];
		if (r.rec.step == 3 && r.rec.recommended_by)
			rc = zb_db_run(db, e, NULL, "UPDATE applicants SET recommended_by = ? WHERE id = ?", "si",
			               r.rec.recommended_by, id);
		if (!rc)
			rc = step_audit(&k, app, by, "applicant.step", &r, row_id, "导入", e);
	}
	if (!rc)
		rc = update_stage(&k, k.rows, k.nrows, now, e);
	/* a 预备党员 per the sheet is on the roster: the member it names, or
	 * handed over as step 19 does (and 转正 as step 24) */
	if (!rc && member_id) {
		k.a.member_id = member_id;
		rc = zb_db_run(db, e, NULL, "UPDATE applicants SET member_id = ? WHERE id = ?", "ii", member_id, id);
	} else if (!rc && s17) {
		/* pointers into k.rows stay valid: push_row copies, never frees */
		if (!(rc = hand_over(&k, app, who, s17, 0, e)) && s24 && s24->rec.outcome == ZB_RO_FULL)
			rc = approve_on_roster(&k, app, who, s24, e);
	}
	close_case(&k);
	return rc;
}

/* ---- corrections --------------------------------------------------------------- */

static int cmp_rows(const void *x, const void *y)
{
	const zb_rstep_row *a = x, *b = y;
	int c = strcmp(a->rec.done_on, b->rec.done_on);
	if (c)
		return c;
	if (a->rec.step != b->rec.step)
		return a->rec.step - b->rec.step;
	return (a->id > b->id) - (a->id < b->id);
}

static int correct_in_tx(kase *k, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t step_id,
                         const zb_rstep_input *in, zb_err *e)
{
	int at = -1;
	for (int i = 0; i < k->nrows; i++)
		if (k->rows[i].id == step_id)
			at = i;
	if (at < 0) {
		int64_t n = 0;
		int rc = zb_db_int(k->db, e, &n, "SELECT COUNT(*) FROM applicant_steps WHERE id = ? AND applicant_id = ?", "ii",
		                   step_id, k->a.id);
		if (rc)
			return rc;
		return n ? zb_fail(e, ZB_ECONFLICT, NULL, "该步骤记录已被更正，请更正最新的记录")
		         : zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该步骤记录");
	}
	const char *reason = in->reason ? zb_member_clean(k->ar, in->reason) : NULL;
	if (!reason)
		return zb_fail(e, ZB_EINVAL, "reason", "更正须说明原因");
	int step = k->rows[at].rec.step;
	if (in->step && in->step != step)
		return zb_fail(e, ZB_EINVAL, "step", "更正不能改变步骤：该记录是第 %d 步", step);
	int rc = open_check(k, e);
	if (rc || (rc = superior_check(k, who, step, e)))
		return rc;
	if (k->a.member_id && (step == 15 || step == 19 || step >= 23))
		return zb_fail(e, ZB_ECONFLICT, "step",
		               "%s 已编入党员名册，第 %d 步“%s”的结果已记入党员档案，请在党员档案中更正", k->a.name, step,
		               zb_rstep_name(step));
	zb_rstep_input fixed = *in;
	fixed.step = step;
	zb_rstep_row r;
	if ((rc = row_of_input(k, who, &fixed, &r, e)) || (rc = load_rules(k, in->done_on, e)))
		return rc;
	r.id = INT64_MAX; /* after the row it replaces among repeats */
	/* the history with the corrected version in place */
	zb_rstep_row *h = zb_arena_alloc(k->ar, (size_t)k->nrows * sizeof *h);
	memcpy(h, k->rows, (size_t)k->nrows * sizeof *h);
	h[at] = r;
	qsort(h, (size_t)k->nrows, sizeof *h, cmp_rows);
	zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *buf);
	zb_rcase c;
	for (int i = 0; i < k->nrows; i++) {
		int mine = h[i].id == INT64_MAX;
		if (!mine && h[i].rec.step < step)
			continue;
		if (!mine && (rc = gather(k, &h[i], e)))
			return rc;
		case_of(k, h, i, &c, buf);
		if (step == 1) /* step 1 is the application: its date is applied_on */
			c.applied_on = r.rec.done_on;
		if ((rc = zb_recruit_check(&k->rr, k->cal, &c, &h[i].rec, k->today, e))) {
			if (mine)
				return rc;
			return zb_fail(e, ZB_ECONFLICT, e->field[0] ? e->field : "done_on",
			               "更正后，第 %d 步“%s”（%s）不再符合规定：%s", h[i].rec.step, zb_rstep_name(h[i].rec.step),
			               h[i].rec.done_on, e->msg);
		}
	}
	int64_t now = zb_now(app), row_id;
	if ((rc = insert_row(k, &r, who->user_id, now, reason, &row_id, e)) ||
	    (rc = zb_db_run(k->db, e, NULL, "UPDATE applicant_steps SET replaced_by = ? WHERE id = ?", "ii", row_id,
	                    step_id)))
		return rc;
	for (int i = 0; i < k->nrows; i++)
		if (h[i].id == INT64_MAX)
			h[i].id = row_id;
	if (step == 1)
		k->a.applied_on = r.rec.done_on;
	if (step == 3 && r.rec.recommended_by &&
	    (rc = zb_db_run(k->db, e, NULL, "UPDATE applicants SET recommended_by = ? WHERE id = ?", "si",
	                    r.rec.recommended_by, k->a.id)))
		return rc;
	if ((rc = update_stage(k, h, k->nrows, now, e)))
		return rc;
	return step_audit(k, app, by, "applicant.step_correct", &r, row_id, reason, e);
}

int zb_recruit_correct(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       int64_t step_id, const zb_rstep_input *in, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	kase k;
	if (!(rc = lock_applicant(db, id, e)) && !(rc = open_case(db, app, id, ar, &k, e))) {
		rc = correct_in_tx(&k, app, by, who, step_id, in, e);
		close_case(&k);
	}
	return zb_db_end(db, rc, e);
}

/* ---- closing ------------------------------------------------------------------- */

static int close_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *reason,
                       zb_arena *ar, zb_err *e)
{
	zb_applicant a;
	char today[11];
	zb_today(app, today);
	int rc = lock_applicant(db, id, e);
	if (rc || (rc = zb_applicant_get(db, id, ar, &a, e)))
		return rc;
	if (a.closed)
		return zb_fail(e, ZB_ECONFLICT, NULL, "%s 的发展党员工作已结束", a.name);
	if (a.member_id)
		return zb_fail(e, ZB_ECONFLICT, NULL,
		               "%s 已编入党员名册（预备党员），不能终止培养：请经支部大会讨论后报上级党委审批取消预备党员资格（第 23、24 步）",
		               a.name);
	reason = reason ? zb_member_clean(ar, reason) : NULL;
	if (!reason)
		return zb_fail(e, ZB_EINVAL, "reason", "终止培养须说明原因");
	if (!on || !zb_date_valid(on))
		return zb_fail(e, ZB_EINVAL, "on", "请填写终止日期（YYYY-MM-DD）");
	if (strcmp(on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "on", "终止日期 %s 晚于今天", on);
	if (strcmp(on, a.step_on) < 0)
		return zb_fail(e, ZB_EINVAL, "on", "终止日期 %s 早于最近一步的日期 %s", on, a.step_on);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE applicants SET closed = 'stopped', closed_on = ?, closed_reason = ?, updated_at = ? "
	                    "WHERE id = ?",
	                    "ssii", on, reason, zb_now(app), id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "on", on);
	jw_kstr(w, "reason", reason);
	return zb_audit_change_detail(db, app, by, "applicant.close", "applicant", id, a.org_path, &d, e);
}

int zb_recruit_close(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *on, const char *reason,
                     zb_arena *ar, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, close_in_tx(db, app, by, id, on, reason, ar, e), e);
}

/* ---- reading ------------------------------------------------------------------- */

/* What comes next and what is overdue for the case k holds. */
static int judge(kase *k, zb_rnext *next, zb_ralert *alerts, int max, int *nalerts, char pend[11], zb_err *e)
{
	int rc = load_rules(k, k->today, e);
	if (rc)
		return rc;
	zb_rstep_rec *buf = zb_arena_alloc(k->ar, (size_t)(k->nrows + 1) * sizeof *buf);
	zb_rcase c;
	case_of(k, k->rows, k->nrows, &c, buf);
	if (k->a.closed) {
		memset(next, 0, sizeof *next);
		*nalerts = 0;
	} else {
		zb_recruit_next(&k->rr, k->cal, &c, next);
		*nalerts = zb_recruit_alerts(&k->rr, k->cal, &c, k->today, alerts, max);
	}
	if (pend)
		zb_recruit_probation_end(&c, pend);
	return 0;
}

int zb_recruit_view(zb_db *db, int64_t applicant_id, const char *today, zb_arena *ar, zb_rcase_view *v, zb_err *e)
{
	kase k;
	memset(v, 0, sizeof *v);
	memset(&k, 0, sizeof k);
	k.db = db;
	k.ar = ar;
	snprintf(k.today, sizeof k.today, "%s", today);
	int rc = zb_applicant_get(db, applicant_id, ar, &k.a, e);
	if (!rc)
		rc = load_rows(db, applicant_id, ar, &k.rows, &k.nrows, e);
	if (!rc)
		rc = judge(&k, &v->next, v->alerts, (int)(sizeof v->alerts / sizeof v->alerts[0]), &v->nalerts,
		           v->probation_end, e);
	close_case(&k);
	v->a = k.a;
	v->rows = k.rows;
	v->nrows = k.nrows;
	return rc;
}

int zb_applicant_list(zb_db *db, const char *path, const char *stage, const char *q, int64_t after, int64_t limit,
                      const char *today, zb_arena *ar, zb_applicant_item **out, int *n, int64_t *next_after,
                      zb_err *e)
{
	int rc = zb_applicant_page(db, path, stage, q, after, limit, ar, out, n, e);
	*next_after = 0;
	if (rc)
		return rc;
	if (*n > limit) {
		*n = (int)limit;
		*next_after = (*out)[*n - 1].a.id;
	}
	/* one calendar for the page, from the first year the rules may reach */
	zb_workcal *cal = NULL;
	if ((rc = zb_workcal_load(db, 2014, atoi(today) + 1, &cal, e)))
		return rc;
	for (int i = 0; !rc && i < *n; i++) {
		kase k = {.db = db, .ar = ar, .a = (*out)[i].a, .cal = cal};
		snprintf(k.today, sizeof k.today, "%s", today);
		zb_ralert al[8];
		if (!(rc = load_rows(db, k.a.id, ar, &k.rows, &k.nrows, e)))
			rc = judge(&k, &(*out)[i].next, al, 8, &(*out)[i].nalerts, NULL, e);
	}
	zb_workcal_free(cal);
	return rc;
}
