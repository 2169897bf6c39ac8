/* warnings.c - structure warnings computed from the roster counts, the
 * committees, terms and units, and the dated 'org_structure' and 'terms'
 * rules.
 *
 * One evaluator (eval_org) serves three uses: the warnings list of a
 * subtree (with messages), the incremental refresh of one org's share of
 * the 'warn'/'term' roll-ups (so statistics count warnings of a whole
 * province from a few rows), and the full rebuild.  Facts are loaded in
 * bulk for a set of orgs - a subtree, or one org with its children - with
 * a handful of range queries, never one query per org.
 *
 * Term warnings depend on the date, so the roll-ups do not store them as
 * warnings: each org contributes the three dates from which its current
 * term is "due in 6 months", "due in 1 month" and "overdue" (dim 'term',
 * keys "a:DATE", "b:DATE", "o:DATE", and by month "A:YYYY-MM" ...), and
 * a count on any day is a range sum over those keys. */
#include "org/structure.h"
#include "rules/rules.h"
#include "auth/authz.h"
#include "app/app.h"
#include "core/date.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ofacts {
	int64_t id, parent;
	const char *path, *name, *type, *domain;
	int dissolved;
	int64_t tree_total, tree_full, own_total, own_full;
	int has_branch_child;
	int persons;            /* distinct holders of current posts */
	int has_secretary;
	int deputies;           /* current 副书记 posts */
	int others;             /* current posts other than 书记 and 副书记 */
	const char *sec_name;   /* the current secretary's name and since when */
	const char *sec_since;
	int lectures;           /* 党课 the secretary gave in the last calendar year */
	const char *term_end;   /* current term's ends_on */
	int64_t joint_units;
	int first_unit;         /* index into units, -1 = none */
	int target;             /* evaluate this org */
} ofacts;

typedef struct uwarn {
	int64_t id, org, full;
	const char *name, *coverage;
	int next;
} uwarn;

typedef struct loaded {
	ofacts *o;
	int n;
	int *by_id;             /* indexes of o sorted by id */
	uwarn *u;
	int nu;
	zb_rules *rs, *rt;      /* org_structure, terms */
	zb_arena *a;
	char lecture_year[8];   /* the calendar year the 党课 counts cover, or "" */
} loaded;

static const struct {
	const char *kind, *level;
} kinds[] = {
	{"no_branch", "error"},        {"unit_no_branch", "error"},     {"committee_over_cap", "error"},
	{"term_overdue", "error"},     {"over_max", "warn"},            {"no_committee", "warn"},
	{"committee_too_big", "warn"}, {"no_secretary", "warn"},        {"joint_too_many_units", "warn"},
	{"term_due_1m", "warn"},       {"term_due_6m", "info"},         {"branch_too_few_full", "warn"},
	{"committee_not_allowed", "warn"}, {"no_lecture", "warn"},     {"too_many_deputies", "warn"},
};

/* Kinds that depend on the date and on records the roll-ups do not
 * follow: listed when evaluated for a day, never kept in 'warn'. */
static int is_live(const char *kind)
{
	return !strncmp(kind, "term_", 5) || !strcmp(kind, "no_lecture");
}

/* The articles each warning rests on (the numbers come from the rule
 * set; a local set is named after the article). */
#define ART_BRANCH "支部工作条例第四条：凡是有正式党员3人以上的，都应当成立党支部"
#define ART_BRANCH_MAX "支部工作条例第四条：党支部党员人数一般不超过50人"
#define ART_JOINT "支部工作条例第五条：正式党员不足3人的单位……成立联合党支部；联合党支部覆盖单位一般不超过5个"
#define ART_COMMITTEE "支部工作条例第二十条：有正式党员7人以上的党支部，应当设立党支部委员会。党支部委员会由3至5人组成，一般不超过7人"
#define ART_DEPUTY "支部工作条例第二十条：党支部委员会设书记和组织委员、宣传委员、纪检委员等，必要时可以设1名副书记"
#define ART_SMALL "支部工作条例第二十条：正式党员不足7人的党支部，设1名书记，必要时可以设1名副书记"
#define ART_SECRETARY_BRANCH "支部工作条例第二十条：党支部委员会设书记……正式党员不足7人的党支部，设1名书记"
#define ART_SECRETARY_COMMITTEE "党章第三十一条：基层委员会、总支部委员会、支部委员会的书记、副书记选举产生后，应报上级党组织批准"
#define ART_LECTURE "支部工作条例“三会一课”条款：党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课"
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* A short citation of a 'terms' set for messages (here and in
 * committee.c zb_term_add). */
const char *zb_term_cite(const zb_rule_set *T, int what, zb_arena *a)
{
	if (!T)
		return "";
	if (T->org_id)
		return zb_arena_printf(a, "本地规则“%s”，%s 起", T->name ? T->name : "", T->effective_from ? T->effective_from : "");
	if (T->effective_from && strcmp(T->effective_from, "2018-01-01") >= 0)
		return what ? "基层组织选举工作条例第三条：延长或者提前期限一般不超过1年"
		            : "中办《关于党的基层组织任期的意见》：基层委员会5年，总支部委员会、支部委员会3年，村和社区5年";
	return what ? "基层组织选举工作暂行条例（1990）第三条：延长期限一般不超过一年"
	            : "2017 年修正前的党章：基层委员会三年或四年，总支部委员会、支部委员会两年或三年";
}

static const char *level_of(const char *kind)
{
	for (size_t i = 0; i < NKINDS; i++)
		if (!strcmp(kinds[i].kind, kind))
			return kinds[i].level;
	return "warn";
}

static int is_branch_type(const char *t)
{
	return t && (!strcmp(t, "branch") || !strcmp(t, "joint_branch") || !strcmp(t, "temp_branch") ||
	             !strcmp(t, "online_branch"));
}

/* ---- loading ---- */

static int cmp_by_id(const void *a, const void *b, void *ctx)
{
	const loaded *L = ctx;
	int64_t x = L->o[*(const int *)a].id, y = L->o[*(const int *)b].id;
	return x < y ? -1 : x > y;
}

static ofacts *find(loaded *L, int64_t id)
{
	int lo = 0, hi = L->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		ofacts *f = &L->o[L->by_id[mid]];
		if (f->id == id)
			return f;
		if (f->id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

typedef struct scope {
	int single;             /* 1: org id and its children; 0: subtree range */
	int64_t id;
	char lo[600], hi[600];
} scope;

/* Run sql whose "%s" is replaced by the scope's condition on orgs o, fn
 * on each row. */
static int scoped(zb_db *db, zb_arena *a, const scope *s, const char *sqlfmt, zb_each_fn fn, void *ctx, zb_err *e)
{
	const char *cond = s->single ? "(o.id = ? OR o.parent_id = ?)" : "(o.path >= ? AND o.path < ?)";
	const char *at = strstr(sqlfmt, "%s");
	char *sql = zb_arena_printf(a, "%.*s%s%s", (int)(at - sqlfmt), sqlfmt, cond, at + 2);
	return s->single ? zb_db_each(db, e, fn, ctx, sql, "ii", s->id, s->id)
	                 : zb_db_each(db, e, fn, ctx, sql, "ss", s->lo, s->hi);
}

/* What load() keeps while the rows come. */
typedef struct loading {
	loaded *L;
	const scope *s;
	size_t cap, ucap;
	int64_t last_org;       /* committee posts: the row before */
	char last_who[200];
} loading;

static int add_ofacts(zb_stmt *st, void *ctx, zb_err *e)
{
	loading *g = ctx;
	loaded *L = g->L;
	if (ZB_GROW(L->o, (size_t)L->n, g->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	ofacts *f = &L->o[L->n++];
	memset(f, 0, sizeof *f);
	f->id = zb_col_int(st, 0);
	f->parent = zb_col_int(st, 1);
	f->path = zb_arena_strdup(L->a, zb_col_text(st, 2));
	f->name = zb_arena_strdup(L->a, zb_col_text(st, 3));
	f->type = zb_arena_strdup(L->a, zb_col_text(st, 4));
	f->domain = zb_arena_strdup(L->a, zb_col_text(st, 5));
	f->dissolved = !zb_col_is_null(st, 6);
	f->first_unit = -1;
	f->target = g->s->single ? f->id == g->s->id : 1;
	return 0;
}

static int add_tree_counts(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ofacts *f = find(((loading *)ctx)->L, zb_col_int(st, 0));
	if (!f)
		return 0;
	if (!strcmp(zb_col_text(st, 1), "total"))
		f->tree_total = zb_col_int(st, 2);
	else
		f->tree_full = zb_col_int(st, 2);
	return 0;
}

static int add_post(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	loading *g = ctx;
	ofacts *f = find(g->L, zb_col_int(st, 0));
	const char *who = zb_col_text(st, 2) ? zb_col_text(st, 2) : "";
	if (!f)
		return 0;
	const char *post = zb_col_text(st, 1);
	if (!strcmp(post, "secretary")) {
		f->has_secretary = 1;
		f->sec_name = zb_arena_strdup(g->L->a, zb_col_text(st, 3));
		f->sec_since = zb_arena_strdup(g->L->a, zb_col_text(st, 4));
	} else if (!strcmp(post, "deputy_secretary")) {
		f->deputies++;
	} else {
		f->others++;
	}
	if (f->id != g->last_org || strcmp(who, g->last_who))
		f->persons++;
	g->last_org = f->id;
	snprintf(g->last_who, sizeof g->last_who, "%s", who);
	return 0;
}

static int add_term(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	loaded *L = ((loading *)ctx)->L;
	ofacts *f = find(L, zb_col_int(st, 0));
	if (f && !f->term_end)
		f->term_end = zb_arena_strdup(L->a, zb_col_text(st, 1));
	return 0;
}

static int add_joint(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	ofacts *f = find(((loading *)ctx)->L, zb_col_int(st, 0));
	if (f)
		f->joint_units = zb_col_int(st, 1);
	return 0;
}

static int add_uwarn(zb_stmt *st, void *ctx, zb_err *e)
{
	loading *g = ctx;
	loaded *L = g->L;
	ofacts *f = find(L, zb_col_int(st, 1));
	if (!f)
		return 0;
	if (ZB_GROW(L->u, (size_t)L->nu, g->ucap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	uwarn *u = &L->u[L->nu];
	u->id = zb_col_int(st, 0);
	u->org = f->id;
	u->full = zb_col_int(st, 2);
	u->name = zb_arena_strdup(L->a, zb_col_text(st, 3));
	u->coverage = zb_arena_strdup(L->a, zb_col_text(st, 4));
	u->next = f->first_unit; /* rows come in descending id: the list ends up ascending */
	f->first_unit = L->nu++;
	return 0;
}

static void loaded_free(loaded *L)
{
	if (!L)
		return;
	free(L->o);
	free(L->by_id);
	free(L->u);
	zb_rules_free(L->rs);
	zb_rules_free(L->rt);
}

static int load(zb_db *db, const scope *s, const char *today, zb_arena *a, loaded *L, zb_err *e)
{
	memset(L, 0, sizeof *L);
	L->a = a;
	loading g = {.L = L, .s = s};
	int rc = scoped(db, a, s,
	                "SELECT o.id, COALESCE(o.parent_id, 0), o.path, o.name, o.type, o.domain, o.dissolved_on "
	                "FROM orgs o WHERE %s ORDER BY o.path",
	                add_ofacts, &g, e);
	if (rc)
		return rc;
	L->by_id = malloc(sizeof *L->by_id * (size_t)(L->n ? L->n : 1));
	if (!L->by_id)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	for (int i = 0; i < L->n; i++)
		L->by_id[i] = i;
	qsort_r(L->by_id, (size_t)L->n, sizeof *L->by_id, cmp_by_id, L);

	/* subtree counts of members on the roll and of full members */
	if ((rc = scoped(db, a, s,
	                 "SELECT c.org_id, c.dim, c.n FROM org_counts c JOIN orgs o ON o.id = c.org_id "
	                 "WHERE %s AND ((c.dim = 'total' AND c.key = '') OR (c.dim = 'category' AND c.key = 'full'))",
	                 add_tree_counts, &g, e)))
		return rc;
	for (int i = 0; i < L->n; i++) {
		L->o[i].own_total += L->o[i].tree_total;
		L->o[i].own_full += L->o[i].tree_full;
		ofacts *p = L->o[i].parent ? find(L, L->o[i].parent) : NULL;
		if (!p)
			continue;
		p->own_total -= L->o[i].tree_total;
		p->own_full -= L->o[i].tree_full;
		if (!L->o[i].dissolved && strcmp(L->o[i].type, "group"))
			p->has_branch_child = 1;
	}

	/* current committee posts: distinct holders and the secretary */
	if ((rc = scoped(db, a, s,
	                 "SELECT cp.org_id, cp.post, COALESCE(CAST(cp.member_id AS TEXT), 'n:' || cp.person_name) AS who, "
	                 "COALESCE(m.name, cp.person_name), cp.started_on "
	                 "FROM committee_posts cp JOIN orgs o ON o.id = cp.org_id LEFT JOIN members m ON m.id = cp.member_id "
	                 "WHERE %s AND cp.ended_on IS NULL ORDER BY cp.org_id, who",
	                 add_post, &g, e)))
		return rc;

	/* the current term is the newest started_on */
	if ((rc = scoped(db, a, s,
	                 "SELECT t.org_id, t.ends_on FROM org_terms t JOIN orgs o ON o.id = t.org_id WHERE %s "
	                 "ORDER BY t.org_id, t.started_on DESC, t.id DESC",
	                 add_term, &g, e)))
		return rc;

	/* units covered by a joint branch, per branch */
	if ((rc = scoped(db, a, s,
	                 "SELECT u.covering_org_id, COUNT(*) FROM units u JOIN orgs o ON o.id = u.covering_org_id "
	                 "WHERE %s AND u.coverage = 'joint' GROUP BY u.covering_org_id",
	                 add_joint, &g, e)))
		return rc;

	/* units located here that have full members and no branch of their own */
	if ((rc = scoped(db, a, s,
	                 "SELECT u.id, u.org_id, u.full_members, u.name, u.coverage FROM units u JOIN orgs o ON o.id = u.org_id "
	                 "WHERE %s AND u.coverage <> 'single' AND u.full_members > 0 ORDER BY u.org_id DESC, u.id DESC",
	                 add_uwarn, &g, e)))
		return rc;

	if ((rc = zb_rules_load(db, "org_structure", today, &L->rs, e)))
		return rc;
	return zb_rules_load(db, "terms", today, &L->rt, e);
}

/* 党课 of the last calendar year before today in the subtree [lo, hi),
 * counted for each org's current secretary: a lecture held in the org or
 * in any org below it counts when its 授课人 (meetings.speaker, a name)
 * contains the secretary's name. */
typedef struct lrow {
	const char *path, *speaker;
} lrow;

typedef struct lecture_rows {
	zb_arena *a;
	lrow *rows;
	size_t n, cap;
} lecture_rows;

static int add_lecture(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	lecture_rows *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	l->rows[l->n].path = zb_arena_strdup(l->a, zb_col_text(st, 0));
	l->rows[l->n].speaker = zb_arena_strdup(l->a, zb_col_text(st, 1));
	l->n++;
	return 0;
}

static int load_lectures(zb_db *db, const char *lo, const char *hi, const char *today, loaded *L, zb_err *e)
{
	int y = atoi(today) - 1;
	char from[16], to[16];
	snprintf(L->lecture_year, sizeof L->lecture_year, "%04d", y % 10000);
	snprintf(from, sizeof from, "%s-01-01", L->lecture_year);
	snprintf(to, sizeof to, "%s-12-31", L->lecture_year);
	lecture_rows l = {.a = L->a};
	int rc = zb_db_each(db, e, add_lecture, &l,
	                    "SELECT org_path, speaker FROM meetings WHERE org_path >= ? AND org_path < ? "
	                    "AND type = 'lecture' AND held_on >= ? AND held_on <= ? AND speaker IS NOT NULL "
	                    "ORDER BY org_path",
	                    "ssss", lo, hi, from, to);
	if (rc)
		return rc;
	const lrow *rows = l.rows;
	int n = (int)l.n;
	for (int i = 0; i < L->n; i++) {
		ofacts *f = &L->o[i];
		if (!f->sec_name || !*f->sec_name)
			continue;
		size_t pl = strlen(f->path);
		int b = 0, t = n; /* first row with path >= f->path */
		while (b < t) {
			int mid = (b + t) / 2;
			if (strcmp(rows[mid].path, f->path) < 0)
				b = mid + 1;
			else
				t = mid;
		}
		for (int j = b; j < n && !strncmp(rows[j].path, f->path, pl); j++)
			if (strstr(rows[j].speaker, f->sec_name))
				f->lectures++;
	}
	return 0;
}

/* ---- evaluation ---- */

/* An optional integer of a rule set (sets stored before the key existed
 * lack it): *out keeps its default when absent. */
static void opt_int(const zb_rule_set *R, const char *key, int64_t *out)
{
	json_t *v = json_object_get(R->data, key);
	if (json_is_integer(v))
		*out = json_integer_value(v);
}

#define MAX_OUT 64
#define NTERM 6

typedef struct result {
	const char *kind[MAX_OUT];     /* structural warnings (a kind may repeat) */
	int nkinds;
	char term[NTERM][16];          /* "a:DATE", "b:DATE", "o:DATE", then the
	                                  same by month "A:YYYY-MM" ..., or "" */
	zb_warning w[MAX_OUT];         /* with messages (when asked) */
	int nw;
} result;

static void emit(result *r, zb_arena *a, const ofacts *f, const char *kind, int64_t unit_id, const char *msg)
{
	if (r->nkinds < MAX_OUT && !is_live(kind))
		r->kind[r->nkinds++] = kind;
	if (!a || r->nw >= MAX_OUT)
		return;
	zb_warning *w = &r->w[r->nw++];
	w->org_id = f->id;
	w->org_name = f->name;
	w->org_path = f->path;
	w->kind = kind;
	w->level = level_of(kind);
	w->message = msg;
	w->unit_id = unit_id;
}

static long days_between(const char *a, const char *b)
{
	return zb_date_days(b) - zb_date_days(a);
}

/* Evaluate one org.  a NULL: kinds and term keys only (no messages);
 * today NULL: no term warnings (their keys are always filled). */
static int eval_org(loaded *L, const ofacts *f, const char *today, zb_arena *a, result *r, zb_err *e)
{
	memset(r, 0, sizeof *r);
	if (f->dissolved)
		return 0;
	const zb_rule_set *R = zb_rules_for(L->rs, f->path);
	int rc;
	if (R) {
		int64_t min_full, max_members, com_min_full, size_min, size_max, size_cap, gb_min, pc_min, joint_max;
		if ((rc = zb_rule_int(R, "branch_min_full", &min_full, e)) ||
		    (rc = zb_rule_int(R, "branch_max_members", &max_members, e)) ||
		    (rc = zb_rule_int(R, "committee_min_full", &com_min_full, e)) ||
		    (rc = zb_rule_int(R, "committee_size_min", &size_min, e)) ||
		    (rc = zb_rule_int(R, "committee_size_max", &size_max, e)) ||
		    (rc = zb_rule_int(R, "committee_size_cap", &size_cap, e)) ||
		    (rc = zb_rule_int(R, "general_branch_min_members", &gb_min, e)) ||
		    (rc = zb_rule_int(R, "party_committee_min_members", &pc_min, e)) ||
		    (rc = zb_rule_int(R, "joint_branch_max_units", &joint_max, e)))
			return rc;
		int64_t lectures = 1;
		opt_int(R, "secretary_lectures_per_year", &lectures);
		/* a local set is named after the article it changes the number of */
		const char *loc = R->org_id && a ? zb_arena_printf(a, "；本地规则“%s”（%s 起）", R->name ? R->name : "",
		                                                   R->effective_from ? R->effective_from : "")
		                                 : "";
		int branch = is_branch_type(f->type);
		/* a branch's members include those of its 党小组 (its subtree);
		 * a 党委's or 总支's own members are those attached to it directly */
		int64_t total = branch ? f->tree_total : f->own_total, full = branch ? f->tree_full : f->own_full;
		if ((!strcmp(f->type, "committee") || !strcmp(f->type, "general_branch")) && full >= min_full &&
		    !f->has_branch_child)
			emit(r, a, f, "no_branch", 0,
			     a ? zb_arena_printf(a, "有正式党员 %lld 名直接隶属本组织，但没有下设党支部；正式党员 %lld 名以上的应当成立党支部（%s%s）",
			                         (long long)full, (long long)min_full, ART_BRANCH, loc)
			       : NULL);
		if (branch) {
			if (full < min_full)
				emit(r, a, f, "branch_too_few_full", 0,
				     a ? zb_arena_printf(a, "正式党员只有 %lld 名，不足 %lld 名；有正式党员 %lld 名以上才成立党支部，不足的单位应与邻近单位成立联合党支部（%s；%s%s）",
				                         (long long)full, (long long)min_full, (long long)min_full, ART_BRANCH, ART_JOINT, loc)
				       : NULL);
			if (total > max_members)
				emit(r, a, f, "over_max", 0,
				     a ? zb_arena_printf(a, "党员 %lld 名，超过每个党支部一般不超过 %lld 名的规定（%s%s）；应分设党支部%s",
				                         (long long)total, (long long)max_members, ART_BRANCH_MAX, loc,
				                         total >= pc_min ? "，或按规定成立基层党委"
				                         : total >= gb_min ? "，或按规定成立党总支" : "")
				       : NULL);
			if (full >= com_min_full && f->persons < size_min)
				emit(r, a, f, "no_committee", 0,
				     a ? zb_arena_printf(a, "正式党员 %lld 名，达到 %lld 名应设支部委员会（%lld 至 %lld 人），现有委员 %d 名（%s%s）",
				                         (long long)full, (long long)com_min_full, (long long)size_min,
				                         (long long)size_max, f->persons, ART_COMMITTEE, loc)
				       : NULL);
			if (full < com_min_full && (f->others > 0 || f->deputies > 1))
				emit(r, a, f, "committee_not_allowed", 0,
				     a ? zb_arena_printf(a, "正式党员 %lld 名，不足 %lld 名的党支部不设支部委员会，只设书记 1 名、必要时副书记 1 名；现有副书记 %d 名、其他委员 %d 名（%s%s）",
				                         (long long)full, (long long)com_min_full, f->deputies, f->others, ART_SMALL, loc)
				       : NULL);
			if (full >= com_min_full && f->deputies > 1)
				emit(r, a, f, "too_many_deputies", 0,
				     a ? zb_arena_printf(a, "支部委员会有副书记 %d 名；必要时可以设 1 名副书记（%s）", f->deputies,
				                         ART_DEPUTY)
				       : NULL);
			if (f->persons > size_cap)
				emit(r, a, f, "committee_over_cap", 0,
				     a ? zb_arena_printf(a, "支部委员会 %d 人，超过一般不超过 %lld 人的规定（%s%s）", f->persons,
				                         (long long)size_cap, ART_COMMITTEE, loc)
				       : NULL);
			else if (f->persons > size_max && full >= com_min_full)
				emit(r, a, f, "committee_too_big", 0,
				     a ? zb_arena_printf(a, "支部委员会 %d 人，应由 %lld 至 %lld 人组成（%s%s）", f->persons,
				                         (long long)size_min, (long long)size_max, ART_COMMITTEE, loc)
				       : NULL);
			if (!strcmp(f->type, "joint_branch") && f->joint_units > joint_max)
				emit(r, a, f, "joint_too_many_units", 0,
				     a ? zb_arena_printf(a, "联合党支部覆盖 %lld 个单位，超过一般不超过 %lld 个的规定（%s%s）",
				                         (long long)f->joint_units, (long long)joint_max, ART_JOINT, loc)
				       : NULL);
		}
		if ((branch || !strcmp(f->type, "committee") || !strcmp(f->type, "general_branch")) && !f->has_secretary)
			emit(r, a, f, "no_secretary", 0,
			     a ? zb_arena_printf(a, "没有在任的书记（%s）", branch ? ART_SECRETARY_BRANCH : ART_SECRETARY_COMMITTEE)
			       : NULL);
		/* 党课 by the secretary: listed for a day only (today and the
		 * lecture counts loaded), for a secretary in office through the
		 * whole of last year */
		if (today && a && L->lecture_year[0] && lectures > 0 && f->has_secretary && f->sec_name && *f->sec_name &&
		    f->sec_since && strcmp(f->sec_since, zb_arena_printf(a, "%s-01-01", L->lecture_year)) <= 0 &&
		    f->lectures < lectures)
			emit(r, a, f, "no_lecture", 0,
			     zb_arena_printf(a, "书记%s %s 年讲党课 %d 次，少于每年 %lld 次（%s%s；按授课人姓名统计本组织及下级组织的党课记录）",
			                     f->sec_name, L->lecture_year, f->lectures, (long long)lectures, ART_LECTURE, loc));
		for (int i = f->first_unit; i >= 0; i = L->u[i].next) {
			const uwarn *u = &L->u[i];
			if (u->full < min_full)
				continue;
			emit(r, a, f, "unit_no_branch", u->id,
			     a ? zb_arena_printf(a, "单位“%s”有正式党员 %lld 名，尚未单独建立党支部（现为%s）；正式党员 %lld 名以上的应当成立党支部（%s%s）",
			                         u->name, (long long)u->full, zb_coverage_name(u->coverage),
			                         (long long)min_full, ART_BRANCH, loc)
			       : NULL);
		}
	}

	const zb_rule_set *T = f->term_end ? zb_rules_for(L->rt, f->path) : NULL;
	if (T && zb_date_valid(f->term_end)) {
		json_t *rm = json_object_get(T->data, "remind_months");
		int m1 = (int)json_integer_value(json_array_get(rm, 0)), m2 = (int)json_integer_value(json_array_get(rm, 1));
		char d1[11], d2[11], d3[11];
		zb_date_add_months(f->term_end, -m1, d1);
		zb_date_add_months(f->term_end, -m2, d2);
		zb_date_add_days(f->term_end, 1, d3);
		snprintf(r->term[0], sizeof r->term[0], "a:%s", d1);
		snprintf(r->term[1], sizeof r->term[1], "b:%s", d2);
		snprintf(r->term[2], sizeof r->term[2], "o:%s", d3);
		/* the same dates by month: a count on a day sums whole months
		 * before it and the days of its own month (a few hundred rows
		 * at a province root instead of a key per day) */
		snprintf(r->term[3], sizeof r->term[3], "A:%.7s", d1);
		snprintf(r->term[4], sizeof r->term[4], "B:%.7s", d2);
		snprintf(r->term[5], sizeof r->term[5], "O:%.7s", d3);
		if (today) {
			const char *src = a ? zb_term_cite(T, 1, a) : "";
			if (strcmp(today, d3) >= 0)
				emit(r, a, f, "term_overdue", 0,
				     a ? zb_arena_printf(a, "任期已于 %s 届满，逾期 %ld 天未换届（%s）", f->term_end,
				                         days_between(f->term_end, today), src)
				       : NULL);
			else if (strcmp(today, d2) >= 0)
				emit(r, a, f, "term_due_1m", 0,
				     a ? zb_arena_printf(a, "任期将于 %s 届满（还有 %ld 天），应在 %d 个月内完成换届（%s）",
				                         f->term_end, days_between(today, f->term_end), m2, src)
				       : NULL);
			else if (strcmp(today, d1) >= 0)
				emit(r, a, f, "term_due_6m", 0,
				     a ? zb_arena_printf(a, "任期将于 %s 届满（还有 %ld 天），请着手准备换届（提前 %d 个月提醒，%s）",
				                         f->term_end, days_between(today, f->term_end), m1, src)
				       : NULL);
		}
	}
	return 0;
}

static int list_warnings(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_warning **items, int *n,
                         zb_err *e);

int zb_org_warnings(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_warning **items, int *n,
                    zb_err *e)
{
	*items = NULL;
	*n = 0;
	/* one read transaction unless the caller has one: one consistent
	 * snapshot, and SQLite takes its locks once instead of per statement */
	int own = !zb_db_in_tx(db);
	int rc = own ? zb_db_begin_read(db, e) : 0;
	if (!rc)
		rc = list_warnings(db, root_path, today, a, items, n, e);
	return own ? zb_db_end(db, rc, e) : rc;
}

static int list_warnings(zb_db *db, const char *root_path, const char *today, zb_arena *a, zb_warning **items, int *n,
                         zb_err *e)
{
	scope s = {0};
	snprintf(s.lo, sizeof s.lo, "%s", root_path);
	zb_path_upper(root_path, s.hi, sizeof s.hi);
	loaded L;
	int rc = load(db, &s, today, a, &L, e);
	if (!rc)
		rc = load_lectures(db, s.lo, s.hi, today, &L, e);
	size_t cap = 0;
	for (int i = 0; !rc && i < L.n; i++) {
		result r;
		if ((rc = eval_org(&L, &L.o[i], today, a, &r, e)))
			break;
		for (int k = 0; k < r.nw; k++) {
			ZB_AGROW(a, *items, (size_t)*n, cap);
			(*items)[(*n)++] = r.w[k];
		}
	}
	loaded_free(&L);
	return rc;
}

/* ---- roll-up state ---- */

static void join_state(const result *r, char *warn, size_t wsz, char *term, size_t tsz)
{
	/* kinds sorted so equal sets give equal strings */
	const char *k[MAX_OUT];
	int n = r->nkinds;
	memcpy(k, r->kind, sizeof k[0] * (size_t)n);
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(k[j - 1], k[j]) > 0; j--) {
			const char *t = k[j];
			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	size_t off = 0;
	warn[0] = '\0';
	for (int i = 0; i < n && off + 40 < wsz; i++)
		off += (size_t)snprintf(warn + off, wsz - off, "%s%s", i ? "," : "", k[i]);
	term[0] = '\0';
	if (r->term[0][0])
		snprintf(term, tsz, "%s,%s,%s,%s,%s,%s", r->term[0], r->term[1], r->term[2], r->term[3], r->term[4],
		         r->term[5]);
}

/* Apply -1 for every item of old and +1 for every item of new (comma
 * lists) to dim on path, skipping items present in both. */
static int apply_diff(zb_db *db, const char *path, const char *dim, const char *old, const char *neu, zb_err *e)
{
	if (!strcmp(old, neu))
		return 0;
	char a[2048], b[2048];
	snprintf(a, sizeof a, "%s", old);
	snprintf(b, sizeof b, "%s", neu);
	/* split into items; mark matched pairs */
	char *ai[MAX_OUT], *bi[MAX_OUT];
	int na = 0, nb = 0;
	for (char *p = a; *p && na < MAX_OUT;) {
		ai[na++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	for (char *p = b; *p && nb < MAX_OUT;) {
		bi[nb++] = p;
		char *c = strchr(p, ',');
		if (!c)
			break;
		*c = '\0';
		p = c + 1;
	}
	int bused[MAX_OUT] = {0};
	int rc = zb_counts_touch(db, e);
	for (int i = 0; !rc && i < na; i++) {
		int found = 0;
		for (int j = 0; j < nb && !found; j++)
			if (!bused[j] && !strcmp(ai[i], bi[j]))
				bused[j] = found = 1;
		if (!found)
			rc = zb_counts_add(db, path, dim, ai[i], -1, e);
	}
	for (int j = 0; !rc && j < nb; j++)
		if (!bused[j])
			rc = zb_counts_add(db, path, dim, bi[j], 1, e);
	return rc;
}

static int store_state(zb_db *db, int64_t org, const char *warn, const char *term, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO org_warn_state (org_id, warn, term) VALUES (?,?,?) "
	                 "ON CONFLICT (org_id) DO UPDATE SET warn = excluded.warn, term = excluded.term",
	                 "iss", org, warn, term);
}

typedef struct old_state {
	char warn[2048], term[160];
} old_state;

static void read_old_state(zb_stmt *st, void *ctx)
{
	old_state *o = ctx;
	snprintf(o->warn, sizeof o->warn, "%s", zb_col_text(st, 0));
	snprintf(o->term, sizeof o->term, "%s", zb_col_text(st, 1));
}

int zb_org_warn_refresh(zb_db *db, int64_t org_id, zb_err *e)
{
	if (org_id <= 0)
		return 0;
	/* take the state row first: on PostgreSQL the UPDATE holds its row
	 * lock until commit, so two writers refreshing the same org apply
	 * their differences one after the other */
	int rc = zb_db_run(db, e, NULL,
	                   "INSERT INTO org_warn_state (org_id, warn, term) VALUES (?, '', '') ON CONFLICT (org_id) DO NOTHING",
	                   "i", org_id);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE org_warn_state SET warn = warn WHERE org_id = ?", "i", org_id);
	if (rc)
		return rc;
	old_state o = {"", ""};
	rc = zb_db_one(db, e, NULL, read_old_state, &o, "SELECT warn, term FROM org_warn_state WHERE org_id = ?", "i",
	               org_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const char *old_warn = o.warn, *old_term = o.term;

	zb_arena a;
	zb_arena_init(&a);
	char today[11];
	zb_today(NULL, today);
	scope s = {.single = 1, .id = org_id};
	loaded L;
	rc = load(db, &s, today, &a, &L, e);
	ofacts *f = rc ? NULL : find(&L, org_id);
	result r;
	memset(&r, 0, sizeof r);
	if (!rc && f)
		rc = eval_org(&L, f, NULL, NULL, &r, e);
	char warn[2048], term[160];
	join_state(&r, warn, sizeof warn, term, sizeof term);
	if (!rc && f) {
		rc = apply_diff(db, f->path, "warn", old_warn, warn, e);
		if (!rc)
			rc = apply_diff(db, f->path, "term", old_term, term, e);
		if (!rc)
			rc = store_state(db, org_id, warn, term, e);
	}
	loaded_free(&L);
	zb_arena_free(&a);
	return rc;
}

int zb_org_warn_refresh_member_org(zb_db *db, int64_t org_id, int64_t parent_id, zb_err *e)
{
	int rc = zb_org_warn_refresh(db, org_id, e);
	if (rc || !parent_id)
		return rc;
	int64_t group = 0;
	if ((rc = zb_db_int(db, e, &group, "SELECT COUNT(*) FROM orgs WHERE id = ? AND type = 'group'", "i", org_id)))
		return rc;
	return group ? zb_org_warn_refresh(db, parent_id, e) : 0;
}

typedef struct state_row {
	int64_t org;
	char *warn, *term;
} state_row;

typedef struct state_rows {
	zb_arena *a;
	state_row *rows; /* heap */
	size_t n, cap;
} state_rows;

static int add_state(zb_stmt *st, void *ctx, zb_err *e)
{
	state_rows *l = ctx;
	if (ZB_GROW(l->rows, l->n, l->cap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	state_row *r = &l->rows[l->n++];
	r->org = zb_col_int(st, 0);
	r->warn = zb_arena_strdup(l->a, zb_col_text(st, 1));
	r->term = zb_arena_strdup(l->a, zb_col_text(st, 2));
	return 0;
}

static int cmp_state(const void *a, const void *b)
{
	int64_t x = ((const state_row *)a)->org, y = ((const state_row *)b)->org;
	return x < y ? -1 : x > y;
}

int zb_org_warn_refresh_tree(zb_db *db, const char *path, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	char today[11];
	zb_today(NULL, today);
	scope s = {0};
	snprintf(s.lo, sizeof s.lo, "%s", path);
	zb_path_upper(path, s.hi, sizeof s.hi);
	loaded L;
	int rc = load(db, &s, today, &a, &L, e);
	state_rows l = {.a = &a};
	if (!rc)
		rc = scoped(db, &a, &s,
		            "SELECT w.org_id, w.warn, w.term FROM org_warn_state w JOIN orgs o ON o.id = w.org_id WHERE %s",
		            add_state, &l, e);
	state_row *sr = l.rows;
	size_t ns = l.n;
	if (sr)
		qsort(sr, ns, sizeof *sr, cmp_state);
	for (int i = 0; !rc && i < L.n; i++) {
		result r;
		if ((rc = eval_org(&L, &L.o[i], NULL, NULL, &r, e)))
			break;
		char warn[2048], term[160];
		join_state(&r, warn, sizeof warn, term, sizeof term);
		state_row key = {.org = L.o[i].id};
		state_row *old = sr ? bsearch(&key, sr, ns, sizeof key, cmp_state) : NULL;
		const char *ow = old ? old->warn : "", *ot = old ? old->term : "";
		if (!strcmp(ow, warn) && !strcmp(ot, term))
			continue;
		rc = apply_diff(db, L.o[i].path, "warn", ow, warn, e);
		if (!rc)
			rc = apply_diff(db, L.o[i].path, "term", ot, term, e);
		if (!rc)
			rc = store_state(db, L.o[i].id, warn, term, e);
	}
	free(sr);
	loaded_free(&L);
	zb_arena_free(&a);
	return rc;
}

/* Org paths, at most max of them; a NULL path or one too many sets all. */
typedef struct path_list {
	zb_arena *a;
	const char **paths;
	int n, max, all;
} path_list;

static int add_path(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	path_list *l = ctx;
	if (zb_col_is_null(st, 0) || l->n == l->max)
		l->all = 1;
	else
		l->paths[l->n++] = zb_arena_strdup(l->a, zb_col_text(st, 0));
	return 0;
}

int zb_org_warn_evaluate_all(zb_db *db, zb_counts_sink add, void *ctx, int write_state, zb_err *e)
{
	/* one root at a time: a province has one, tests may have several */
	zb_arena ra;
	zb_arena_init(&ra);
	char today[11];
	zb_today(NULL, today);
	const char *roots[64];
	path_list pl = {&ra, roots, 0, 64, 0};
	int rc = zb_db_each(db, e, add_path, &pl, "SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id", "");
	for (int k = 0; !rc && k < pl.n; k++) {
		zb_arena a;
		zb_arena_init(&a);
		scope s = {0};
		snprintf(s.lo, sizeof s.lo, "%s", roots[k]);
		zb_path_upper(roots[k], s.hi, sizeof s.hi);
		loaded L;
		rc = load(db, &s, today, &a, &L, e);
		for (int i = 0; !rc && i < L.n; i++) {
			result r;
			if ((rc = eval_org(&L, &L.o[i], NULL, NULL, &r, e)))
				break;
			for (int j = 0; j < r.nkinds && !rc; j++)
				if (add(ctx, L.o[i].path, "warn", r.kind[j], 1))
					rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			for (int j = 0; j < NTERM && !rc && r.term[0][0]; j++)
				if (add(ctx, L.o[i].path, "term", r.term[j], 1))
					rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			if (!rc && write_state && (r.nkinds || r.term[0][0])) {
				char warn[2048], term[160];
				join_state(&r, warn, sizeof warn, term, sizeof term);
				rc = store_state(db, L.o[i].id, warn, term, e);
			}
		}
		loaded_free(&L);
		zb_arena_free(&a);
	}
	zb_arena_free(&ra);
	return rc;
}

int zb_org_warn_rebuild(zb_db *db, zb_err *e)
{
	zb_counts_tally *w = zb_counts_tally_new();
	if (!w)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足：无法汇总统计");
	int rc = zb_db_run(db, e, NULL, "DELETE FROM org_warn_state", "");
	if (!rc)
		rc = zb_org_warn_evaluate_all(db, zb_counts_tally_add, w, 1, e);
	if (!rc)
		rc = zb_counts_tally_insert(db, w, e);
	zb_counts_tally_free(w);
	char today[11];
	zb_today(NULL, today);
	return rc ? rc : zb_org_rules_mark(db, today, e);
}

/* ---- counts for statistics ---- */

/* Orgs whose term passed each date kind (a, b, o) by today: whole months
 * before this one (one scan of the month keys, a few hundred at a
 * province root), then the days of this month (three short ranges). */
typedef struct term_sums {
	const char *cur; /* this month, YYYY-MM */
	int64_t *out;    /* [3] */
} term_sums;

/* A month row "A:YYYY-MM" (upper case: by month) before this month. */
static int add_term_month(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	term_sums *s = ctx;
	const char *k = zb_col_text(st, 0);
	if (!k || strlen(k) < 9 || k[1] != ':' || strcmp(k + 2, s->cur) >= 0)
		return 0;
	for (int i = 0; i < 3; i++)
		if (k[0] == "abo"[i] - 'a' + 'A')
			s->out[i] += zb_col_int(st, 1);
	return 0;
}

static int sum_terms(zb_db *db, int64_t org, const char *today, int64_t out[3], zb_err *e)
{
	static const char tk[3] = {'a', 'b', 'o'};
	out[0] = out[1] = out[2] = 0;
	char cur[8];
	snprintf(cur, sizeof cur, "%.7s", today);
	term_sums s = {cur, out};
	int rc = zb_db_each(db, e, add_term_month, &s,
	                    "SELECT key, n FROM org_counts WHERE org_id = ? AND dim = 'term' AND key >= 'A:' AND key < 'P'",
	                    "i", org);
	if (rc)
		return rc;
	for (int i = 0; i < 3; i++) {
		char lo[20], hi[20];
		int64_t days = 0;
		snprintf(lo, sizeof lo, "%c:%s-01", tk[i], cur);
		snprintf(hi, sizeof hi, "%c:%s", tk[i], today);
		if ((rc = zb_db_int(db, e, &days,
		                    "SELECT COALESCE(SUM(n), 0) FROM org_counts WHERE org_id = ? AND dim = 'term' AND key >= ? AND key <= ?",
		                    "iss", org, lo, hi)))
			return rc;
		out[i] += days;
	}
	return 0;
}

typedef struct warn_sums {
	zb_jw *w;
	int64_t *by_level, *total;
} warn_sums;

static int add_warn_kind(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	warn_sums *s = ctx;
	const char *k = zb_col_text(st, 0);
	int64_t n = zb_col_int(st, 1);
	jw_kint(s->w, k, n);
	const char *lv = level_of(k);
	s->by_level[!strcmp(lv, "error") ? 0 : !strcmp(lv, "warn") ? 1 : 2] += n;
	*s->total += n;
	return 0;
}

int zb_org_warn_counts_json(zb_db *db, int64_t org_id, const char *today, zb_jw *w, zb_err *e)
{
	int64_t by_level[3] = {0}, total = 0;
	int64_t sums[3];
	int rc = sum_terms(db, org_id, today, sums, e);
	if (rc)
		return rc;
	int64_t na = sums[0], nb = sums[1], no = sums[2];
	jw_obj(w);
	jw_kobj(w, "by_kind");
	warn_sums ws = {w, by_level, &total};
	if ((rc = zb_db_each(db, e, add_warn_kind, &ws,
	                     "SELECT key, n FROM org_counts WHERE org_id = ? AND dim = 'warn' AND n <> 0 ORDER BY key", "i",
	                     org_id)))
		return rc;
	int64_t t[3] = {no, nb - no, na - nb};
	static const char *const tk[3] = {"term_overdue", "term_due_1m", "term_due_6m"};
	for (int i = 0; i < 3; i++)
		if (t[i]) {
			jw_kint(w, tk[i], t[i]);
			by_level[i] += t[i]; /* overdue error, 1m warn, 6m info */
			total += t[i];
		}
	jw_obj_end(w);
	jw_kint(w, "total", total);
	jw_kint(w, "error", by_level[0]);
	jw_kint(w, "warn", by_level[1]);
	jw_kint(w, "info", by_level[2]);
	jw_obj_end(w);
	return 0;
}

/* ---- rules that become effective with the date ---- */

static int read_asof(zb_db *db, char out[16], zb_err *e)
{
	out[0] = '\0';
	zb_text_buf b = {out, 16};
	int rc = zb_db_one(db, e, NULL, zb_row_text, &b, "SELECT value FROM settings WHERE key = 'org_rules_asof'", "");
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

int zb_org_rules_pending(zb_db *db, const char *today, int64_t *pending, zb_err *e)
{
	char asof[16];
	int rc = read_asof(db, asof, e);
	*pending = !rc && strcmp(asof, today) != 0;
	return rc;
}

int zb_org_rules_mark(zb_db *db, const char *today, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO settings (key, value) VALUES ('org_rules_asof', ?) "
	                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                 "s", today);
}

int zb_org_rules_catch_up(zb_db *db, const char *today, zb_err *e)
{
	/* lock the marker row (PostgreSQL) and look again: another request
	 * may have caught up meanwhile */
	int rc = zb_db_run(db, e, NULL, "UPDATE settings SET value = value WHERE key = 'org_rules_asof'", "");
	char asof[16];
	if (!rc)
		rc = read_asof(db, asof, e);
	if (rc || !strcmp(asof, today))
		return rc;
	if (asof[0]) {
		zb_arena a;
		zb_arena_init(&a);
		const char *paths[256];
		path_list pl = {&a, paths, 0, 256, 0};
		rc = zb_db_each(db, e, add_path, &pl,
		                "SELECT o.path FROM rule_sets r LEFT JOIN orgs o ON o.id = r.org_id "
		                "WHERE r.kind IN ('org_structure', 'terms') AND r.effective_from > ? AND r.effective_from <= ?",
		                "ss", asof, today);
		if (!rc && pl.all) {
			pl = (path_list){&a, paths, 0, 256, 0};
			rc = zb_db_each(db, e, add_path, &pl, "SELECT path FROM orgs WHERE parent_id IS NULL", "");
		}
		for (int i = 0; !rc && i < pl.n; i++)
			rc = zb_org_warn_refresh_tree(db, paths[i], e);
		zb_arena_free(&a);
	}
	return rc ? rc : zb_org_rules_mark(db, today, e);
}

int zb_org_rules_keep_current(zb_db *db, const char *today, zb_err *e)
{
	int64_t pending = 0;
	int rc = zb_org_rules_pending(db, today, &pending, e);
	if (rc || !pending || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, zb_org_rules_catch_up(db, today, e), e);
}
