/* annual.c - the annual tables of party statistics (report/annual.h).
 *
 * One pass over what the subtree held on the date counts every cell; the
 * same pass, asked for one cell, lists what that cell counts (hit()), so
 * a number and its list cannot disagree.  Definitions (docs/STATISTICS.md):
 *   members      the roster on the date (member/history.h) whose status
 *                then was on the roll and not 停止党籍 (org/counts.c's
 *                roll without the suspended, who are reported apart);
 *   age, 党龄    years = the report year - the year of birth / of 转正,
 *                in the bands of org/stats.c (zb_stats_band_of);
 *   recruited    the current step 17 (上级党委审批, 接收预备党员) dated in
 *                the report year up to the date;
 *   left         a status change to 出党, 死亡, 停止党籍 or 已转出 dated
 *                in the year and still in force on the date, or a move
 *                of org out of the subtree dated in the year by a member
 *                not back in it on the date;
 *   orgs         founded (or, with no founding date, entered) by the
 *                date and not dissolved by it, with the type, domain and
 *                founding date they had then (org_history); committee
 *                posts and terms by their dates;
 *   units        entered by the date, with their coverage as recorded. */
#include "report/annual.h"

#include "core/date.h"
#include "core/grow.h"
#include "io/xlsx_write.h"
#include "member/history.h"
#include "member/member.h"
#include "org/org.h"
#include "org/structure.h"
#include "auth/authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { T_MEMBERS, T_AGE, T_EDU, T_PARTY_AGE, T_DOMAIN, T_ETHNIC, T_RECRUITED, T_LEFT, T_ORGS, T_ORG_DOMAIN, T_UNITS, T_MAX };
#define TOP_MINORITIES 5

typedef struct orgrec {
	int64_t id, parent_id, sort_order, created_at;
	const char *path, *name, *type, *domain, *founded_on, *dissolved_on;
	const char *term_end;      /* of the newest term started by the date */
	int has_secretary, has_other_post;
} orgrec;

/* One counted thing, as its list shows it. */
typedef struct ent {
	const char *kind;
	int64_t id;
	const char *name, *org_name, *detail;
} ent;

typedef struct run {
	zb_db *db;
	zb_arena *a;
	zb_report *r;
	const char *date, *path;
	char y0[11], upper[512];
	orgrec *orgs;              /* the subtree, by id */
	size_t norgs, ocap;
	const char **row_path;     /* of each row; NULL for 合计 and 本级 */
	/* one cell's list (want_t < 0: none) */
	int want_t, want_c, want_r;
	int64_t off, lim, seen;
	zb_report_item *items;
	size_t nitems, icap;
} run;

/* ---- rows and lookups ---- */

static const orgrec *org_by_id(const run *x, int64_t id)
{
	size_t lo = 0, hi = x->norgs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->orgs[mid].id == id)
			return &x->orgs[mid];
		if (x->orgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *org_name_of(const run *x, int64_t id)
{
	const orgrec *o = org_by_id(x, id);
	return o ? o->name : NULL;
}

/* The row of what lies at path: the sub-org row holding it, else 本级. */
static int row_of(const run *x, const char *path)
{
	int self = x->r->nrows - 1;
	for (int i = 1; path && i < self; i++)
		if (!strncmp(path, x->row_path[i], strlen(x->row_path[i])))
			return i;
	return self;
}

/* The day (China time) of a stored timestamp. */
static void day_of(int64_t at, char out[11])
{
	time_t t = (time_t)(at + 8 * 3600);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int alive_on(const orgrec *o, const char *date)
{
	char made[11];
	if (o->founded_on && *o->founded_on) {
		if (strcmp(o->founded_on, date) > 0)
			return 0;
	} else {
		day_of(o->created_at, made);
		if (strcmp(made, date) > 0)
			return 0;
	}
	return !o->dissolved_on || strcmp(o->dissolved_on, date) > 0;
}

static int is_branch_type(const char *t)
{
	return !strcmp(t, "branch") || !strcmp(t, "joint_branch") || !strcmp(t, "temp_branch") ||
	       !strcmp(t, "online_branch");
}

/* ---- tables ---- */

typedef struct tbuild {
	zb_arena *a;
	zb_report_col *cols;
	size_t n, cap;
} tbuild;

static void col(tbuild *b, const char *key, const char *group, const char *label)
{
	ZB_AGROW(b->a, b->cols, b->n, b->cap);
	b->cols[b->n++] = (zb_report_col){key, group, label};
}

static void table_set(run *x, int t, const char *key, const char *title, const char *counts, const char *note,
                      tbuild *b)
{
	zb_report_table *T = &x->r->tables[t];
	T->key = key;
	T->title = title;
	T->counts = counts;
	T->note = note;
	T->cols = b->cols;
	T->ncols = (int)b->n;
	T->n = zb_arena_alloc(x->a, sizeof *T->n * (size_t)T->ncols * (size_t)x->r->nrows);
	memset(T->n, 0, sizeof *T->n * (size_t)T->ncols * (size_t)x->r->nrows);
	memset(b, 0, sizeof *b);
	b->a = x->a;
}

static void band_cols(tbuild *b, int kind, const char *prefix, const char *group)
{
	for (int i = 0; i < zb_stats_band_count(kind); i++)
		col(b, zb_arena_printf(b->a, "%s%d", prefix, i), group,
		    zb_arena_printf(b->a, "%s%s", zb_stats_band_label(kind, i), kind == ZB_BAND_AGE ? "岁" : "年"));
	col(b, zb_arena_printf(b->a, "%s_unknown", prefix), group, "不详");
}

static void edu_cols(tbuild *b, const char *group)
{
	for (int i = 0; zb_educations[i]; i++)
		col(b, zb_arena_printf(b->a, "e%d", i), group, zb_educations[i]);
	col(b, "e_unknown", group, "未填");
}

static const char *const domain_codes[] = {"rural",    "community", "organ",    "soe",    "private",  "social",
                                           "university", "school",  "research", "hospital", "internet", "other", NULL};

static void domain_cols(tbuild *b, const char *group)
{
	for (int i = 0; domain_codes[i]; i++)
		col(b, zb_arena_printf(b->a, "d_%s", domain_codes[i]), group, zb_org_domain_name(domain_codes[i]));
	col(b, "d_unknown", group, "未填");
}

static int is_han(const char *eth)
{
	return !strcmp(eth, "汉族") || !strcmp(eth, "汉");
}

typedef struct mcount {
	const char *name;
	int64_t n;
} mcount;

static int cmp_mcount(const void *p, const void *q)
{
	const mcount *a = p, *b = q;
	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int member_counted(const zb_member_on *m)
{
	const char *s = m->status;
	return !s || (strcmp(s, "removed") && strcmp(s, "deceased") && strcmp(s, "transferred") && strcmp(s, "suspended"));
}

/* The minorities with most members in the subtree, by count then name. */
static void top_minorities(run *x, const zb_member_on *ms, int n, const char **top, int *ntop)
{
	mcount *c = NULL;
	size_t nc = 0, cap = 0;
	for (int i = 0; i < n; i++) {
		const char *eth = ms[i].ethnicity;
		if (!member_counted(&ms[i]) || !eth || !*eth || is_han(eth))
			continue;
		size_t k = 0;
		while (k < nc && strcmp(c[k].name, eth))
			k++;
		if (k == nc) {
			ZB_AGROW(x->a, c, nc, cap);
			c[nc++] = (mcount){eth, 0};
		}
		c[k].n++;
	}
	if (nc > 1)
		qsort(c, nc, sizeof *c, cmp_mcount);
	*ntop = 0;
	for (size_t k = 0; k < nc && k < TOP_MINORITIES; k++)
		top[(*ntop)++] = c[k].name;
}

static void build_tables(run *x, const zb_member_on *ms, int n, const char **top, int ntop)
{
	zb_arena *a = x->a;
	tbuild b = {a, NULL, 0, 0};
	col(&b, "total", NULL, "党员总数");
	col(&b, "full", "人员类别", "正式党员");
	col(&b, "prob", "人员类别", "预备党员");
	col(&b, "male", "性别", "男");
	col(&b, "female", "性别", "女");
	col(&b, "g_unknown", "性别", "未填");
	col(&b, "han", "民族", "汉族");
	col(&b, "minority", "民族", "少数民族");
	col(&b, "eth_unknown", "民族", "未填");
	table_set(x, T_MEMBERS, "members", "党员数量及构成", "members",
	          "截至日期在册的党员（不含停止党籍）；人员类别、性别、民族均为截至日期的记录", &b);

	col(&b, "total", NULL, "党员总数");
	band_cols(&b, ZB_BAND_AGE, "a", "年龄");
	table_set(x, T_AGE, "age", "党员年龄", "members", "年龄 = 统计年份 − 出生年份", &b);

	col(&b, "total", NULL, "党员总数");
	edu_cols(&b, "学历");
	table_set(x, T_EDU, "education", "党员学历", "members", "截至日期记录的学历", &b);

	col(&b, "total", NULL, "党员总数");
	col(&b, "prob", NULL, "预备党员（尚无党龄）");
	band_cols(&b, ZB_BAND_PARTY_AGE, "p", "正式党员党龄");
	table_set(x, T_PARTY_AGE, "party_age", "党员党龄", "members", "党龄从转正日期算起：统计年份 − 转正年份", &b);

	col(&b, "total", NULL, "党员总数");
	domain_cols(&b, "所在党组织的领域");
	table_set(x, T_DOMAIN, "domain", "党员所在领域", "members",
	          "按党员截至日期所在党组织（或其最近的上级）登记的领域", &b);

	col(&b, "minority", NULL, "少数民族党员");
	for (int i = 0; i < ntop; i++)
		col(&b, zb_arena_printf(a, "n%d", i), "其中", top[i]);
	col(&b, "other", "其中", "其他少数民族");
	table_set(x, T_ETHNIC, "ethnic", "少数民族党员", "members", "人数最多的少数民族单列，其余合为其他", &b);

	col(&b, "total", NULL, "发展党员数");
	col(&b, "female", NULL, "女");
	col(&b, "minority", NULL, "少数民族");
	band_cols(&b, ZB_BAND_AGE, "a", "年龄");
	edu_cols(&b, "学历");
	table_set(x, T_RECRUITED, "recruited", "发展党员", "applicants",
	          "统计年度 1 月 1 日至截至日期经上级党委审批接收的预备党员（发展党员第 17 步）", &b);

	col(&b, "total", NULL, "减少党员数");
	col(&b, "removed", NULL, "出党");
	col(&b, "deceased", NULL, "死亡");
	col(&b, "suspended", NULL, "停止党籍");
	col(&b, "moved_out", NULL, "组织关系转出");
	table_set(x, T_LEFT, "left", "党员减少", "members",
	          "统计年度 1 月 1 日至截至日期生效、截至日期仍然有效的党籍变动，及转到本组织以外的组织关系", &b);

	col(&b, "total", NULL, "党组织总数");
	col(&b, "committee", "类型", "党委");
	col(&b, "general_branch", "类型", "党总支");
	col(&b, "branch", "类型", "党支部");
	col(&b, "joint_branch", "类型", "联合党支部");
	col(&b, "other_branch", "类型", "临时、网络党支部");
	col(&b, "with_committee", "支部班子", "设支部委员会");
	col(&b, "secretary_only", "支部班子", "只设书记");
	col(&b, "no_secretary", "支部班子", "未配书记");
	col(&b, "term_ok", "换届", "在任期内");
	col(&b, "term_overdue", "换届", "届满未换届");
	col(&b, "term_none", "换届", "未登记任期");
	col(&b, "group", NULL, "党小组");
	table_set(x, T_ORGS, "orgs", "党组织", "orgs",
	          "截至日期已成立、未撤销的党组织（党小组单列，不计入总数）；班子和任期按截至日期的任职和届次记录", &b);

	col(&b, "total", NULL, "党组织总数");
	domain_cols(&b, "领域");
	table_set(x, T_ORG_DOMAIN, "org_domain", "党组织所在领域", "orgs", "党组织登记的领域（不含党小组）", &b);

	col(&b, "total", NULL, "单位数");
	col(&b, "single", "覆盖方式", "单独建");
	col(&b, "joint", "覆盖方式", "联合建");
	col(&b, "attached", "覆盖方式", "挂靠建");
	col(&b, "none", "覆盖方式", "未覆盖");
	table_set(x, T_UNITS, "coverage", "单位党组织覆盖", "units", "截至日期已登记的单位，覆盖方式为登记的现状", &b);
	(void)ms;
	(void)n;
}

static int col_index(const zb_report_table *T, const char *key)
{
	for (int c = 0; c < T->ncols; c++)
		if (!strcmp(T->cols[c].key, key))
			return c;
	return -1;
}

/* Count x's entity en in table t, column key, row row (and 合计). */
static void hit(run *x, int t, const char *key, int row, const ent *en)
{
	zb_report_table *T = &x->r->tables[t];
	int c = col_index(T, key);
	if (c < 0)
		return;
	T->n[(size_t)row * (size_t)T->ncols + (size_t)c]++;
	if (row)
		T->n[c]++;
	if (x->want_t != t || x->want_c != c || (x->want_r && x->want_r != row))
		return;
	if (x->seen++ < x->off || (int64_t)x->nitems >= x->lim)
		return;
	ZB_AGROW(x->a, x->items, x->nitems, x->icap);
	x->items[x->nitems++] = (zb_report_item){en->kind, en->id, en->name, en->org_name, en->detail};
}

/* column prefix followed by the number i ("e3") */
static void hitf(run *x, int t, int row, const ent *en, const char *prefix, int i)
{
	char key[32];
	snprintf(key, sizeof key, "%s%d", prefix, i);
	hit(x, t, key, row, en);
}

static int year_of(const char *d)
{
	return d && strlen(d) >= 4 ? atoi(d) : 0;
}

static void hit_band(run *x, int t, int kind, const char *prefix, const char *from, int row, const ent *en)
{
	int y = year_of(from), k = y ? zb_stats_band_of(kind, x->r->year - y) : -1;
	char key[32];
	if (k >= 0)
		snprintf(key, sizeof key, "%s%d", prefix, k);
	else
		snprintf(key, sizeof key, "%s_unknown", prefix);
	hit(x, t, key, row, en);
}

static void hit_edu(run *x, int t, const char *edu, int row, const ent *en)
{
	for (int i = 0; edu && zb_educations[i]; i++)
		if (!strcmp(edu, zb_educations[i])) {
			hitf(x, t, row, en, "e", i);
			return;
		}
	hit(x, t, "e_unknown", row, en);
}

/* The domain of org id, or of its nearest ancestor that has one. */
static const char *domain_of(const run *x, int64_t id)
{
	for (const orgrec *o = org_by_id(x, id); o; o = org_by_id(x, o->parent_id))
		if (o->domain && *o->domain)
			return o->domain;
	return NULL;
}

static void hit_domain(run *x, int t, const char *d, int row, const ent *en)
{
	for (int i = 0; d && domain_codes[i]; i++)
		if (!strcmp(d, domain_codes[i])) {
			char key[32];
			snprintf(key, sizeof key, "d_%s", d);
			hit(x, t, key, row, en);
			return;
		}
	hit(x, t, "d_unknown", row, en);
}

static void count_member(run *x, const zb_member_on *m, const char **top, int ntop)
{
	int row = row_of(x, m->org_path);
	ent en = {"member", m->id, m->name, org_name_of(x, m->org_id), zb_category_name(m->category)};
	int full = m->category && !strcmp(m->category, "full");
	const char *g = m->gender, *eth = m->ethnicity;

	hit(x, T_MEMBERS, "total", row, &en);
	hit(x, T_MEMBERS, full ? "full" : "prob", row, &en);
	hit(x, T_MEMBERS, g && !strcmp(g, "M") ? "male" : g && !strcmp(g, "F") ? "female" : "g_unknown", row, &en);
	int minority = eth && *eth && !is_han(eth);
	hit(x, T_MEMBERS, !eth || !*eth ? "eth_unknown" : minority ? "minority" : "han", row, &en);

	hit(x, T_AGE, "total", row, &en);
	hit_band(x, T_AGE, ZB_BAND_AGE, "a", m->birth_date, row, &en);
	hit(x, T_EDU, "total", row, &en);
	hit_edu(x, T_EDU, m->education, row, &en);
	hit(x, T_PARTY_AGE, "total", row, &en);
	if (full)
		hit_band(x, T_PARTY_AGE, ZB_BAND_PARTY_AGE, "p", m->full_date, row, &en);
	else
		hit(x, T_PARTY_AGE, "prob", row, &en);
	hit(x, T_DOMAIN, "total", row, &en);
	hit_domain(x, T_DOMAIN, domain_of(x, m->org_id), row, &en);
	if (minority) {
		hit(x, T_ETHNIC, "minority", row, &en);
		int k = 0;
		while (k < ntop && strcmp(top[k], eth))
			k++;
		if (k < ntop)
			hitf(x, T_ETHNIC, row, &en, "n", k);
		else
			hit(x, T_ETHNIC, "other", row, &en);
	}
}

/* ---- loading ---- */

static int add_org(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	zb_arena *a = x->a;
	ZB_AGROW(a, x->orgs, x->norgs, x->ocap);
	x->orgs[x->norgs++] = (orgrec){.id = zb_col_int(st, 0),
	                               .parent_id = zb_col_int(st, 1),
	                               .path = zb_arena_strdup(a, zb_col_text(st, 2)),
	                               .name = zb_arena_strdup(a, zb_col_text(st, 3)),
	                               .type = zb_arena_strdup(a, zb_col_text(st, 4)),
	                               .domain = zb_arena_strdup(a, zb_col_text(st, 5)),
	                               .founded_on = zb_arena_strdup(a, zb_col_text(st, 6)),
	                               .dissolved_on = zb_arena_strdup(a, zb_col_text(st, 7)),
	                               .sort_order = zb_col_int(st, 8),
	                               .created_at = zb_col_int(st, 9)};
	return 0;
}

static int add_post(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	orgrec *o = (orgrec *)org_by_id(x, zb_col_int(st, 0));
	const char *post = zb_col_text(st, 1);
	if (o && post) {
		if (!strcmp(post, "secretary"))
			o->has_secretary = 1;
		else
			o->has_other_post = 1;
	}
	return 0;
}

static int add_term(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	orgrec *o = (orgrec *)org_by_id(x, zb_col_int(st, 0));
	if (o) /* in started_on order: the last is the newest */
		o->term_end = zb_arena_strdup(x->a, zb_col_text(st, 1));
	return 0;
}

/* A change of an org's type, domain or founding date entered after the
 * date (org_history, newest first): undone, so the org is as it stood. */
static int undo_org(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	orgrec *o = (orgrec *)org_by_id(x, zb_col_int(st, 0));
	const char *kind = zb_col_text(st, 1), *old = zb_arena_strdup(x->a, zb_col_text(st, 2));
	if (!o || !kind)
		return 0;
	if (!strcmp(kind, "type") && old)
		o->type = old;
	else if (!strcmp(kind, "domain"))
		o->domain = old;
	else if (!strcmp(kind, "founded_on"))
		o->founded_on = old;
	return 0;
}

static int cmp_child(const void *p, const void *q)
{
	const orgrec *a = *(const orgrec *const *)p, *b = *(const orgrec *const *)q;
	if (a->sort_order != b->sort_order)
		return a->sort_order < b->sort_order ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Rows: 合计, the sub-orgs (not 党小组) founded by the date and not
 * dissolved by it, 本级. */
static void make_rows(run *x, const orgrec *subject)
{
	zb_arena *a = x->a;
	const orgrec **kids = zb_arena_alloc(a, sizeof *kids * (x->norgs + 1));
	size_t nk = 0;
	for (size_t i = 0; i < x->norgs; i++) {
		const orgrec *o = &x->orgs[i];
		if (o->parent_id == subject->id && strcmp(o->type, "group") && alive_on(o, x->date))
			kids[nk++] = o;
	}
	if (nk > 1)
		qsort(kids, nk, sizeof *kids, cmp_child);
	zb_report *r = x->r;
	r->nrows = (int)nk + 2;
	r->rows = zb_arena_alloc(a, sizeof *r->rows * (size_t)r->nrows);
	x->row_path = zb_arena_alloc(a, sizeof *x->row_path * (size_t)r->nrows);
	r->rows[0] = (zb_report_row){"total", "合计", 0};
	x->row_path[0] = NULL;
	for (size_t i = 0; i < nk; i++) {
		r->rows[i + 1] = (zb_report_row){zb_arena_printf(a, "o%lld", (long long)kids[i]->id), kids[i]->name, kids[i]->id};
		x->row_path[i + 1] = kids[i]->path;
	}
	r->rows[nk + 1] = (zb_report_row){"self", zb_arena_printf(a, "%s本级", subject->name), subject->id};
	x->row_path[nk + 1] = NULL;
}

static int add_recruit(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	zb_arena *a = x->a;
	int row = row_of(x, zb_col_text(st, 3));
	ent en = {"applicant", zb_col_int(st, 0), zb_arena_strdup(a, zb_col_text(st, 1)), org_name_of(x, zb_col_int(st, 2)),
	          zb_arena_printf(a, "%s 接收为预备党员", zb_col_text(st, 8))};
	const char *g = zb_col_text(st, 4), *birth = zb_col_text(st, 5), *eth = zb_col_text(st, 6),
	           *edu = zb_col_text(st, 7);
	hit(x, T_RECRUITED, "total", row, &en);
	if (g && !strcmp(g, "F"))
		hit(x, T_RECRUITED, "female", row, &en);
	if (eth && *eth && !is_han(eth))
		hit(x, T_RECRUITED, "minority", row, &en);
	hit_band(x, T_RECRUITED, ZB_BAND_AGE, "a", birth, row, &en);
	hit_edu(x, T_RECRUITED, edu, row, &en);
	return 0;
}

/* status changes into a leaving status dated in the year */
typedef struct leave {
	int64_t member_id;
	const char *status, *on;
} leave;

typedef struct leaves {
	zb_arena *a;
	leave *v;
	size_t n, cap;
} leaves;

static int add_leave(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	leaves *l = ctx;
	ZB_AGROW(l->a, l->v, l->n, l->cap);
	l->v[l->n++] = (leave){zb_col_int(st, 0), zb_arena_strdup(l->a, zb_col_text(st, 1)),
	                       zb_arena_strdup(l->a, zb_col_text(st, 2))};
	return 0;
}

/* The latest change of m into its status on the date, dated in the year. */
static const leave *left_by_status(const leaves *l, const zb_member_on *m)
{
	const leave *found = NULL;
	for (size_t i = 0; i < l->n; i++) /* in date order */
		if (l->v[i].member_id == m->id && !strcmp(l->v[i].status, m->status))
			found = &l->v[i];
	return found;
}

typedef struct moves {
	run *x;
	const zb_member_on *ms;
	int nms;
	int64_t last;              /* the member last counted */
} moves;

static int on_roster(const zb_member_on *ms, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (ms[i].id == id)
			return 1;
	return 0;
}

/* A move of org dated in the year: member_id, old org, new org, date,
 * name, category; ordered by member, newest first. */
static int add_move(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	moves *mv = ctx;
	run *x = mv->x;
	int64_t id = zb_col_int(st, 0);
	if (id == mv->last)
		return 0;
	const char *from = zb_col_text(st, 1), *to = zb_col_text(st, 2);
	const orgrec *of = from ? org_by_id(x, strtoll(from, NULL, 10)) : NULL;
	const orgrec *nf = to ? org_by_id(x, strtoll(to, NULL, 10)) : NULL;
	if (!of || nf || on_roster(mv->ms, mv->nms, id))
		return 0;
	mv->last = id;
	ent en = {"member", id, zb_arena_strdup(x->a, zb_col_text(st, 4)), of->name,
	          zb_arena_printf(x->a, "%s 组织关系转出", zb_col_text(st, 3))};
	int row = row_of(x, of->path);
	hit(x, T_LEFT, "total", row, &en);
	hit(x, T_LEFT, "moved_out", row, &en);
	return 0;
}

static int add_unit(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	run *x = ctx;
	char made[11];
	day_of(zb_col_int(st, 4), made);
	if (strcmp(made, x->date) > 0)
		return 0;
	const char *cov = zb_col_text(st, 2);
	ent en = {"unit", zb_col_int(st, 0), zb_arena_strdup(x->a, zb_col_text(st, 1)), org_name_of(x, zb_col_int(st, 5)),
	          zb_coverage_name(cov)};
	int row = row_of(x, zb_col_text(st, 3));
	hit(x, T_UNITS, "total", row, &en);
	hit(x, T_UNITS, cov && (!strcmp(cov, "single") || !strcmp(cov, "joint") || !strcmp(cov, "attached")) ? cov : "none",
	    row, &en);
	return 0;
}

static void count_org(run *x, const orgrec *o)
{
	if (!alive_on(o, x->date))
		return;
	int row = row_of(x, o->path);
	ent en = {"org", o->id, o->name, org_name_of(x, o->parent_id), zb_org_type_name(o->type)};
	if (!strcmp(o->type, "group")) {
		hit(x, T_ORGS, "group", row, &en);
		return;
	}
	hit(x, T_ORGS, "total", row, &en);
	const char *t = o->type;
	hit(x, T_ORGS,
	    !strcmp(t, "committee") || !strcmp(t, "general_branch") || !strcmp(t, "branch") || !strcmp(t, "joint_branch")
	        ? t
	        : "other_branch",
	    row, &en);
	if (is_branch_type(t))
		hit(x, T_ORGS, o->has_other_post ? "with_committee" : o->has_secretary ? "secretary_only" : "no_secretary", row,
		    &en);
	hit(x, T_ORGS, !o->term_end ? "term_none" : strcmp(x->date, o->term_end) <= 0 ? "term_ok" : "term_overdue", row, &en);
	hit(x, T_ORG_DOMAIN, "total", row, &en);
	hit_domain(x, T_ORG_DOMAIN, o->domain, row, &en);
}

int zb_report_check_date(const char *date, const char *today, zb_err *e)
{
	if (!date || !*date)
		return zb_fail(e, ZB_EINVAL, "date", "请给出统计截止日期（YYYY-MM-DD，如 2026-12-31）");
	if (strlen(date) != 10 || !zb_date_valid(date))
		return zb_fail(e, ZB_EINVAL, "date", "统计截止日期“%.20s”无效，应为 YYYY-MM-DD 格式的日期，如 2026-12-31", date);
	if (strcmp(date, "1921-07-01") < 0)
		return zb_fail(e, ZB_EINVAL, "date", "统计截止日期 %s 早于 1921-07-01", date);
	if (today && year_of(date) > year_of(today))
		return zb_fail(e, ZB_EINVAL, "date", "统计截止日期 %s 晚于今年 12 月 31 日，无法统计", date);
	return 0;
}

/* The whole pass: x->want_* set for one cell's list, or -1. */
static int report_run(run *x, int64_t org_id, const char *today, const char *cell, zb_err *e)
{
	zb_report *r = x->r;
	zb_arena *a = x->a;
	int rc = zb_report_check_date(x->date, today, e);
	if (rc)
		return rc;
	zb_org subject;
	if ((rc = zb_org_get(x->db, org_id, a, &subject, e)))
		return rc;
	x->path = subject.path;
	zb_path_upper(subject.path, x->upper, sizeof x->upper);
	snprintf(x->y0, sizeof x->y0, "%.4s-01-01", x->date);
	r->org_id = org_id;
	r->org_name = subject.name;
	r->org_code = subject.code;
	r->date = zb_arena_strdup(a, x->date);
	r->year = year_of(x->date);
	r->provisional = today && strcmp(x->date, today) > 0;

	if ((rc = zb_db_each(x->db, e, add_org, x,
	                     "SELECT id, parent_id, path, name, type, domain, founded_on, dissolved_on, sort_order, created_at "
	                     "FROM orgs WHERE path >= ? AND path < ? ORDER BY id",
	                     "ss", x->path, x->upper)))
		return rc;
	if ((rc = zb_db_each(x->db, e, undo_org, x,
	                     "SELECT h.org_id, h.kind, h.old_value FROM org_history h JOIN orgs o ON o.id = h.org_id "
	                     "WHERE o.path >= ? AND o.path < ? AND h.effective_on > ? ORDER BY h.effective_on DESC, h.id DESC",
	                     "sss", x->path, x->upper, x->date)))
		return rc;
	const orgrec *subj = org_by_id(x, org_id);
	if (!subj)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该组织");
	make_rows(x, subj);

	zb_member_on *ms;
	int nms;
	zb_member_on_sel sel = {.date = x->date, .path = x->path};
	if ((rc = zb_member_roster_on(x->db, &sel, a, &ms, &nms, e)))
		return rc;
	const char *top[TOP_MINORITIES];
	int ntop;
	top_minorities(x, ms, nms, top, &ntop);
	r->ntables = T_MAX;
	r->tables = zb_arena_alloc(a, sizeof *r->tables * T_MAX);
	build_tables(x, ms, nms, top, ntop);

	x->want_t = -1;
	if (cell) {
		char t[40], c[40], w[40];
		if (strlen(cell) > 100 || sscanf(cell, "%39[^.].%39[^.].%39s", t, c, w) != 3)
			return zb_fail(e, ZB_EINVAL, "cell", "单元格编号“%.100s”无效，应为 表.列.行", cell);
		for (int i = 0; i < T_MAX; i++)
			if (!strcmp(r->tables[i].key, t))
				x->want_t = i;
		x->want_c = x->want_t >= 0 ? col_index(&r->tables[x->want_t], c) : -1;
		x->want_r = -1;
		for (int i = 0; i < r->nrows; i++)
			if (!strcmp(r->rows[i].key, w))
				x->want_r = i;
		if (x->want_t < 0 || x->want_c < 0 || x->want_r < 0)
			return zb_fail(e, ZB_EINVAL, "cell", "报表中没有单元格“%.100s”", cell);
	}

	for (int i = 0; i < nms; i++)
		if (member_counted(&ms[i]))
			count_member(x, &ms[i], top, ntop);

	/* left in the year: status changes still in force, then moves out */
	leaves l = {a, NULL, 0, 0};
	if ((rc = zb_db_each(x->db, e, add_leave, &l,
	                     "SELECT member_id, new_value, effective_on FROM member_history WHERE kind = 'status' "
	                     "AND effective_on >= ? AND effective_on <= ? "
	                     "AND new_value IN ('removed', 'deceased', 'suspended', 'transferred') ORDER BY effective_on, id",
	                     "ss", x->y0, x->date)))
		return rc;
	for (int i = 0; i < nms; i++) {
		const zb_member_on *m = &ms[i];
		const leave *lv = m->status ? left_by_status(&l, m) : NULL;
		if (!lv)
			continue;
		const char *st = m->status, *why = zb_status_name(st);
		ent en = {"member", m->id, m->name, org_name_of(x, m->org_id), zb_arena_printf(a, "%s %s", lv->on, why)};
		int row = row_of(x, m->org_path);
		hit(x, T_LEFT, "total", row, &en);
		hit(x, T_LEFT, !strcmp(st, "transferred") ? "moved_out" : st, row, &en);
	}
	moves mv = {x, ms, nms, 0};
	if ((rc = zb_db_each(x->db, e, add_move, &mv,
	                     "SELECT h.member_id, h.old_value, h.new_value, h.effective_on, m.name FROM member_history h "
	                     "JOIN members m ON m.id = h.member_id WHERE h.kind = 'org' AND h.effective_on >= ? "
	                     "AND h.effective_on <= ? ORDER BY h.member_id, h.effective_on DESC, h.id DESC",
	                     "ss", x->y0, x->date)))
		return rc;

	if ((rc = zb_db_each(x->db, e, add_recruit, x,
	                     "SELECT a.id, a.name, a.org_id, a.org_path, a.gender, a.birth_date, a.ethnicity, a.education, "
	                     "s.done_on FROM applicant_steps s JOIN applicants a ON a.id = s.applicant_id "
	                     "WHERE s.step = 17 AND s.replaced_by IS NULL AND s.done_on >= ? AND s.done_on <= ? "
	                     "AND a.org_path >= ? AND a.org_path < ? ORDER BY s.done_on, a.id",
	                     "ssss", x->y0, x->date, x->path, x->upper)))
		return rc;

	if ((rc = zb_db_each(x->db, e, add_post, x,
	                     "SELECT cp.org_id, cp.post FROM committee_posts cp JOIN orgs o ON o.id = cp.org_id "
	                     "WHERE o.path >= ? AND o.path < ? AND cp.started_on <= ? "
	                     "AND (cp.ended_on IS NULL OR cp.ended_on >= ?)",
	                     "ssss", x->path, x->upper, x->date, x->date)) ||
	    (rc = zb_db_each(x->db, e, add_term, x,
	                     "SELECT t.org_id, t.ends_on FROM org_terms t JOIN orgs o ON o.id = t.org_id "
	                     "WHERE o.path >= ? AND o.path < ? AND t.started_on <= ? ORDER BY t.org_id, t.started_on, t.id",
	                     "sss", x->path, x->upper, x->date)))
		return rc;
	for (size_t i = 0; i < x->norgs; i++)
		count_org(x, &x->orgs[i]);

	return zb_db_each(x->db, e, add_unit, x,
	                  "SELECT id, name, coverage, org_path, created_at, org_id FROM units "
	                  "WHERE org_path >= ? AND org_path < ? ORDER BY org_path, id",
	                  "ss", x->path, x->upper);
}

/* Drop the 本级 row when nothing lies at the subject itself. */
static void drop_empty_self(zb_report *r)
{
	int self = r->nrows - 1;
	for (int t = 0; t < r->ntables; t++)
		for (int c = 0; c < r->tables[t].ncols; c++)
			if (r->tables[t].n[(size_t)self * (size_t)r->tables[t].ncols + (size_t)c])
				return;
	r->nrows--;
}

static int in_read(zb_db *db, zb_err *e, run *x, int64_t org_id, const char *today, const char *cell)
{
	/* one snapshot: the roster, its history and the records agree */
	int own = !zb_db_in_tx(db);
	int rc = own ? zb_db_begin_read(db, e) : 0;
	if (!rc)
		rc = report_run(x, org_id, today, cell, e);
	return own ? zb_db_end(db, rc, e) : rc;
}

int zb_report_annual(zb_db *db, int64_t org_id, const char *date, const char *today, zb_arena *a, zb_report *out,
                     zb_err *e)
{
	memset(out, 0, sizeof *out);
	run x = {.db = db, .a = a, .r = out, .date = date};
	int rc = in_read(db, e, &x, org_id, today, NULL);
	if (!rc)
		drop_empty_self(out);
	return rc;
}

int zb_report_cell_list(zb_db *db, int64_t org_id, const char *date, const char *today, const char *cell,
                        int64_t offset, int64_t limit, zb_arena *a, zb_report_cell *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	zb_report r;
	memset(&r, 0, sizeof r);
	if (!cell || !*cell)
		return zb_fail(e, ZB_EINVAL, "cell", "请给出要查看的单元格（cell）");
	run x = {.db = db, .a = a, .r = &r, .date = date, .off = offset, .lim = limit};
	int rc = in_read(db, e, &x, org_id, today, cell);
	if (rc)
		return rc;
	const zb_report_table *T = &r.tables[x.want_t];
	out->key = zb_arena_strdup(a, cell);
	out->table = T->title;
	out->column = T->cols[x.want_c].group
	                  ? zb_arena_printf(a, "%s·%s", T->cols[x.want_c].group, T->cols[x.want_c].label)
	                  : T->cols[x.want_c].label;
	out->row = r.rows[x.want_r].label;
	out->counts = T->counts;
	out->n = T->n[(size_t)x.want_r * (size_t)T->ncols + (size_t)x.want_c];
	out->items = x.items;
	out->nitems = (int)x.nitems;
	return 0;
}

/* ---- output ---- */

void zb_report_json(const zb_report *r, zb_jw *w)
{
	char key[160];
	jw_obj(w);
	jw_kint(w, "org_id", r->org_id);
	jw_kstr(w, "org_name", r->org_name);
	jw_kstr(w, "org_code", r->org_code);
	jw_kstr(w, "date", r->date);
	jw_kint(w, "year", r->year);
	jw_kbool(w, "provisional", r->provisional);
	jw_karr(w, "tables");
	for (int t = 0; t < r->ntables; t++) {
		const zb_report_table *T = &r->tables[t];
		jw_obj(w);
		jw_kstr(w, "key", T->key);
		jw_kstr(w, "title", T->title);
		jw_kstr(w, "counts", T->counts);
		jw_kstr(w, "note", T->note);
		jw_karr(w, "columns");
		for (int c = 0; c < T->ncols; c++) {
			jw_obj(w);
			jw_kstr(w, "key", T->cols[c].key);
			jw_kstr(w, "group", T->cols[c].group);
			jw_kstr(w, "label", T->cols[c].label);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_karr(w, "rows");
		for (int i = 0; i < r->nrows; i++) {
			jw_obj(w);
			jw_kstr(w, "key", r->rows[i].key);
			jw_kstr(w, "label", r->rows[i].label);
			if (r->rows[i].org_id)
				jw_kint(w, "org_id", r->rows[i].org_id);
			else
				jw_knull(w, "org_id");
			jw_karr(w, "cells");
			for (int c = 0; c < T->ncols; c++) {
				jw_obj(w);
				snprintf(key, sizeof key, "%s.%s.%s", T->key, T->cols[c].key, r->rows[i].key);
				jw_kstr(w, "key", key);
				jw_kint(w, "n", T->n[(size_t)i * (size_t)T->ncols + (size_t)c]);
				jw_obj_end(w);
			}
			jw_arr_end(w);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

/* Header rows 3 and 4 (0-based 3, 4): a column without a group spans
 * both; a run of columns with one group gets it merged above them. */
static int xlsx_head(zb_xlsx_book *b, const zb_report_table *T, zb_err *e)
{
	int rc = zb_xlsx_book_merge(b, 3, 0, 4, 0, "单位", ZB_XS_HEAD, e);
	for (int c = 0; !rc && c < T->ncols;) {
		const char *g = T->cols[c].group;
		if (!g) {
			rc = zb_xlsx_book_merge(b, 3, c + 1, 4, c + 1, T->cols[c].label, ZB_XS_HEAD, e);
			c++;
			continue;
		}
		int end = c;
		while (end + 1 < T->ncols && T->cols[end + 1].group && !strcmp(T->cols[end + 1].group, g))
			end++;
		rc = zb_xlsx_book_merge(b, 3, c + 1, 3, end + 1, g, ZB_XS_HEAD, e);
		for (int k = c; !rc && k <= end; k++)
			rc = zb_xlsx_book_text(b, 4, k + 1, T->cols[k].label, ZB_XS_HEAD, e);
		c = end + 1;
	}
	return rc;
}

int zb_report_xlsx(const zb_report *r, const char *path, zb_err *e)
{
	zb_xlsx_book *b;
	int rc = zb_xlsx_book_open(&b, path, e);
	if (rc)
		return rc;
	char unit[600], asof[64];
	snprintf(unit, sizeof unit, "填报单位：%s", r->org_name);
	snprintf(asof, sizeof asof, "截至日期：%s", r->date);
	for (int t = 0; !rc && t < r->ntables; t++) {
		const zb_report_table *T = &r->tables[t];
		char name[64], title[512];
		snprintf(name, sizeof name, "表%d %s", t + 1, T->title);
		snprintf(title, sizeof title, "%s统计表（%d 年度）", T->title, r->year);
		int last = T->ncols, mid = last / 2 > 0 ? last / 2 : 0;
		rc = zb_xlsx_book_sheet(b, name, 5, 1, e);
		if (!rc)
			rc = zb_xlsx_book_merge(b, 0, 0, 0, last, title, ZB_XS_TITLE, e);
		if (!rc)
			rc = zb_xlsx_book_merge(b, 1, 0, 1, mid, unit, ZB_XS_NOTE, e);
		if (!rc && mid + 1 <= last)
			rc = zb_xlsx_book_merge(b, 1, mid + 1, 1, last, asof, ZB_XS_NOTE, e);
		if (!rc)
			rc = zb_xlsx_book_merge(b, 2, 0, 2, last, T->note, ZB_XS_NOTE, e);
		if (!rc)
			rc = xlsx_head(b, T, e);
		for (int i = 0; !rc && i < r->nrows; i++) {
			int style = i ? ZB_XS_NUMBER : ZB_XS_TOTAL;
			rc = zb_xlsx_book_text(b, 5 + i, 0, r->rows[i].label, i ? ZB_XS_LABEL : ZB_XS_TOTAL, e);
			for (int c = 0; !rc && c < T->ncols; c++)
				rc = zb_xlsx_book_number(b, 5 + i, c + 1, (double)T->n[(size_t)i * (size_t)T->ncols + (size_t)c],
				                         style, e);
		}
		if (!rc)
			rc = zb_xlsx_book_width(b, 0, 0, 30, e);
		if (!rc && last >= 1)
			rc = zb_xlsx_book_width(b, 1, last, 10, e);
	}
	if (rc) {
		zb_xlsx_book_free(b);
		return rc;
	}
	return zb_xlsx_book_close(b, e);
}
