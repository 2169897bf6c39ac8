/* committee.c - committees (班子): who holds which post from when to when,
 * and terms of office with their 换届 status from the 'terms' rule.  A
 * change re-evaluates the org's structure warnings (warnings.c); the
 * *_audited forms add the transaction and its audit row. */
#include "org/structure.h"
#include "core/date.h"
#include "core/grow.h"
#include "member/member.h" /* zb_status_name, zb_name_check */
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *code, *name;
} posts[] = {
	{"secretary", "书记"},         {"deputy_secretary", "副书记"}, {"organization", "组织委员"},
	{"propaganda", "宣传委员"},    {"discipline", "纪检委员"},     {"youth", "青年委员"},
	{"united_front", "统战委员"},  {"secrecy", "保密委员"},       {"member", "委员"},
};
#define NPOSTS (sizeof posts / sizeof posts[0])

const char *zb_post_name(const char *code)
{
	for (size_t i = 0; code && i < NPOSTS; i++)
		if (!strcmp(posts[i].code, code))
			return posts[i].name;
	return NULL;
}

const char *zb_post_from(const char *s)
{
	for (size_t i = 0; s && i < NPOSTS; i++)
		if (!strcmp(posts[i].code, s) || !strcmp(posts[i].name, s))
			return posts[i].code;
	return NULL;
}

static int post_rank(const char *code)
{
	for (size_t i = 0; code && i < NPOSTS; i++)
		if (!strcmp(posts[i].code, code))
			return (int)i;
	return (int)NPOSTS;
}

void zb_post_write(zb_jw *w, const zb_post *p)
{
	jw_obj(w);
	jw_kint(w, "id", p->id);
	jw_kint(w, "org_id", p->org_id);
	if (p->member_id)
		jw_kint(w, "member_id", p->member_id);
	else
		jw_knull(w, "member_id");
	jw_kstr(w, "person_name", p->person_name);
	jw_kstr(w, "post", p->post);
	jw_kstr(w, "post_name", zb_post_name(p->post));
	jw_kstr(w, "started_on", p->started_on);
	jw_kstr(w, "ended_on", p->ended_on);
	jw_kstr(w, "notes", p->notes);
	jw_obj_end(w);
}

#define POST_COLS \
	"cp.id, cp.org_id, cp.member_id, COALESCE(m.name, cp.person_name), cp.post, cp.started_on, cp.ended_on, cp.notes"
#define POST_FROM " FROM committee_posts cp LEFT JOIN members m ON m.id = cp.member_id"

static void post_read(zb_stmt *st, zb_arena *a, zb_post *p)
{
	p->id = zb_col_int(st, 0);
	p->org_id = zb_col_int(st, 1);
	p->member_id = zb_col_int(st, 2);
	p->person_name = zb_arena_strdup(a, zb_col_text(st, 3));
	p->post = zb_arena_strdup(a, zb_col_text(st, 4));
	p->started_on = zb_arena_strdup(a, zb_col_text(st, 5));
	p->ended_on = zb_arena_strdup(a, zb_col_text(st, 6));
	p->notes = zb_arena_strdup(a, zb_col_text(st, 7));
}

static int cmp_post(const void *a, const void *b)
{
	const zb_post *x = a, *y = b;
	int c = post_rank(x->post) - post_rank(y->post);
	if (c)
		return c;
	if ((c = (x->ended_on != NULL) - (y->ended_on != NULL)))
		return c; /* current holders first */
	if ((c = strcmp(y->started_on ? y->started_on : "", x->started_on ? x->started_on : "")))
		return c; /* newest first */
	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct post_list {
	zb_arena *a;
	zb_post *rows;
	size_t n, cap;
} post_list;

static int add_post(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	post_list *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	post_read(st, l->a, &l->rows[l->n++]);
	return 0;
}

int zb_committee_list(zb_db *db, int64_t org_id, int all, zb_arena *a, zb_post **items, int *n, zb_err *e)
{
	post_list l = {a, NULL, 0, 0};
	int rc = all ? zb_db_each(db, e, add_post, &l, "SELECT " POST_COLS POST_FROM " WHERE cp.org_id = ? LIMIT 1000", "i",
	                          org_id)
	             : zb_db_each(db, e, add_post, &l,
	                          "SELECT " POST_COLS POST_FROM " WHERE cp.org_id = ? AND cp.ended_on IS NULL LIMIT 1000",
	                          "i", org_id);
	*items = l.rows;
	*n = (int)l.n;
	if (rc)
		return rc;
	if (*n)
		qsort(*items, (size_t)*n, sizeof **items, cmp_post);
	return 0;
}

typedef struct post_one {
	zb_arena *a;
	zb_post *p;
} post_one;

static void read_post(zb_stmt *st, void *ctx)
{
	post_one *o = ctx;
	post_read(st, o->a, o->p);
}

int zb_committee_get(zb_db *db, int64_t id, zb_arena *a, zb_post *out, zb_err *e)
{
	post_one o = {a, out};
	return zb_db_one(db, e, "未找到该职务记录", read_post, &o, "SELECT " POST_COLS POST_FROM " WHERE cp.id = ?", "i", id);
}

typedef struct org_row {
	char *path;
	size_t psz;
	int *dissolved;
} org_row;

static void read_org_state(zb_stmt *st, void *ctx)
{
	org_row *o = ctx;
	snprintf(o->path, o->psz, "%s", zb_col_text(st, 0));
	*o->dissolved = !zb_col_is_null(st, 1);
}

/* Org path and dissolved flag. */
static int org_state(zb_db *db, int64_t org_id, char *path, size_t psz, int *dissolved, zb_err *e)
{
	org_row o = {path, psz, dissolved};
	int rc = zb_db_one(db, e, NULL, read_org_state, &o, "SELECT path, dissolved_on FROM orgs WHERE id = ?", "i", org_id);
	return rc == ZB_ENOTFOUND ? zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到该组织") : rc;
}

/* Who may hold a post (every post of a committee is elected: 书记, 副书记
 * and 委员 alike).  A roster member must
 * - belong to the org or one of its sub-orgs: a committee is elected from
 *   the org's own members;
 * - be a full member on started_on: 党章 第七条 "预备党员的权利，除了没有
 *   表决权、选举权和被选举权以外，也同正式党员一样", and 选举条例 第五条
 *   "预备党员没有表决权、选举权和被选举权" - so category 'full' with
 *   full_date (转正日期) on or before started_on;
 * - while the post is current, be on the roll and reachable: status 正常
 *   or 流动; 失联, 出国（境）, 停止党籍, 出党 and 死亡 cannot hold a post.
 * A holder named only by person_name (上级党组织选派, not on this roster)
 * cannot be checked here. */
typedef struct holder {
	char mpath[600], name[200], cat[32], full[16], status[32];
} holder;

static void read_holder(zb_stmt *st, void *ctx)
{
	holder *h = ctx;
	snprintf(h->mpath, sizeof h->mpath, "%s", zb_col_text(st, 0));
	snprintf(h->name, sizeof h->name, "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
	snprintf(h->cat, sizeof h->cat, "%s", zb_col_text(st, 2) ? zb_col_text(st, 2) : "");
	snprintf(h->full, sizeof h->full, "%s", zb_col_text(st, 3) ? zb_col_text(st, 3) : "");
	snprintf(h->status, sizeof h->status, "%s", zb_col_text(st, 4) ? zb_col_text(st, 4) : "");
}

static int check_holder(zb_db *db, const zb_post *p, const char *path, zb_err *e)
{
	holder h = {"", "", "", "", ""};
	int rc = zb_db_one(db, e, NULL, read_holder, &h,
	                   "SELECT org_path, name, category, full_date, status FROM members WHERE id = ?", "i", p->member_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const char *name = h.name, *cat = h.cat, *full = h.full, *status = h.status;
	if (rc || strncmp(h.mpath, path, strlen(path)))
		return zb_fail(e, ZB_EINVAL, "member_id", "党员 %lld 不是本组织（含下级组织）的党员，不能担任本组织的职务",
		               (long long)p->member_id);
	const char *post = zb_post_name(p->post);
	if (strcmp(cat, "full"))
		return zb_fail(e, ZB_EINVAL, "member_id",
		               "%s是预备党员，没有被选举权，不能担任%s（党章第七条：预备党员没有表决权、选举权和被选举权）", name,
		               post);
	if (full[0] && strcmp(full, p->started_on) > 0)
		return zb_fail(e, ZB_EINVAL, "member_id",
		               "%s于 %s 转正，任职日期 %s 时还是预备党员，没有被选举权，不能担任%s（党章第七条）", name, full,
		               p->started_on, post);
	if (!p->ended_on && strcmp(status, "normal") && strcmp(status, "mobile"))
		return zb_fail(e, ZB_EINVAL, "member_id", "%s的党籍状态为“%s”，不能在任%s（在任职务须为正常或流动党员）", name,
		               zb_status_name(status) ? zb_status_name(status) : status, post);
	return 0;
}

/* Checks shared by add and update; p is the post as it will be stored. */
static int check_post(zb_db *db, const zb_post *p, const char *today, zb_err *e)
{
	char path[600];
	int dissolved = 0, rc;
	if ((rc = org_state(db, p->org_id, path, sizeof path, &dissolved, e)))
		return rc;
	if (dissolved)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该组织已撤销，只能查看");
	/* a 党小组 has a 组长 named by its branch, no elected committee
	 * (支部条例 第十三条) */
	int64_t group = 0;
	if ((rc = zb_db_int(db, e, &group, "SELECT COUNT(*) FROM orgs WHERE id = ? AND type = 'group'", "i", p->org_id)))
		return rc;
	if (group)
		return zb_fail(e, ZB_EINVAL, "org_id",
		               "党小组不设书记和委员，只设党小组组长（支部工作条例第十三条）；请在所属党支部登记职务");
	if (!p->post || !zb_post_name(p->post))
		return zb_fail(e, ZB_EINVAL, "post",
		               "职务无效：应为书记、副书记、组织委员、宣传委员、纪检委员、青年委员、统战委员、保密委员或委员");
	if (!p->member_id && (!p->person_name || !*p->person_name))
		return zb_fail(e, ZB_EINVAL, "member_id", "请指定任职的党员（member_id）或填写姓名（person_name）");
	if (!p->member_id && (rc = zb_name_check(p->person_name, "person_name", "任职人员姓名", e)))
		return rc;
	if (!p->started_on || !zb_date_valid(p->started_on))
		return zb_fail(e, ZB_EINVAL, "started_on", "任职日期无效（应为 YYYY-MM-DD）");
	if (p->member_id && (rc = check_holder(db, p, path, e)))
		return rc;
	/* no future dates: a post is recorded once it is held or ended, which
	 * keeps "current" free of the clock (the roll-ups rely on it) */
	if (strcmp(p->started_on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "started_on", "任职日期 %s 晚于今天", p->started_on);
	if (p->ended_on) {
		if (!zb_date_valid(p->ended_on))
			return zb_fail(e, ZB_EINVAL, "ended_on", "离任日期无效（应为 YYYY-MM-DD）");
		if (strcmp(p->ended_on, p->started_on) < 0)
			return zb_fail(e, ZB_EINVAL, "ended_on", "离任日期 %s 早于任职日期 %s", p->ended_on, p->started_on);
		if (strcmp(p->ended_on, today) > 0)
			return zb_fail(e, ZB_EINVAL, "ended_on", "离任日期 %s 晚于今天；请在离任后再填写", p->ended_on);
		return 0;
	}
	/* current posts: one secretary, and nobody twice in the same post */
	int64_t other = 0;
	if (!strcmp(p->post, "secretary")) {
		rc = zb_db_int(db, e, &other,
		               "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND post = 'secretary' AND ended_on IS NULL AND id <> ?",
		               "ii", p->org_id, p->id);
		if (rc)
			return rc;
		if (other)
			return zb_fail(e, ZB_ECONFLICT, "post", "本组织已有在任书记；请先为其填写离任日期");
	}
	if (p->member_id)
		rc = zb_db_int(db, e, &other,
		               "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND post = ? AND member_id = ? "
		               "AND ended_on IS NULL AND id <> ?",
		               "isii", p->org_id, p->post, p->member_id, p->id);
	else
		rc = zb_db_int(db, e, &other,
		               "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND post = ? AND member_id IS NULL "
		               "AND person_name = ? AND ended_on IS NULL AND id <> ?",
		               "issi", p->org_id, p->post, p->person_name, p->id);
	if (rc)
		return rc;
	if (other)
		return zb_fail(e, ZB_ECONFLICT, "post", "此人已在任该职务");
	return 0;
}

int zb_committee_add(zb_db *db, const zb_post *in, const char *today, int64_t now, int64_t *id, zb_err *e)
{
	zb_post p = *in;
	p.id = 0;
	if (p.member_id)
		p.person_name = NULL; /* the roster holds the name */
	int rc = check_post(db, &p, today, e);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO committee_posts (org_id, member_id, person_name, post, started_on, ended_on, notes, "
		               "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
		               "iIsssssii", p.org_id, p.member_id, p.person_name, p.post, p.started_on, p.ended_on, p.notes,
		               now, now);
	if (!rc)
		rc = zb_org_warn_refresh(db, p.org_id, e);
	return rc;
}

int zb_committee_update(zb_db *db, int64_t id, const zb_post *in, unsigned set, const char *today, int64_t now,
                        zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_post p;
	int rc = zb_committee_get(db, id, &a, &p, e);
	if (rc)
		goto out;
	if (set & ZB_POST_SET_MEMBER) {
		p.member_id = in->member_id;
		if (p.member_id)
			p.person_name = NULL;
	}
	if (set & ZB_POST_SET_PERSON) {
		p.person_name = in->person_name;
		if (p.person_name && !(set & ZB_POST_SET_MEMBER))
			p.member_id = 0;
	}
	if (p.member_id)
		p.person_name = NULL;
	if (set & ZB_POST_SET_POST)
		p.post = in->post;
	if (set & ZB_POST_SET_STARTED)
		p.started_on = in->started_on;
	if (set & ZB_POST_SET_ENDED)
		p.ended_on = in->ended_on;
	if (set & ZB_POST_SET_NOTES)
		p.notes = in->notes;
	if ((rc = check_post(db, &p, today, e)))
		goto out;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE committee_posts SET member_id = ?, person_name = ?, post = ?, started_on = ?, ended_on = ?, "
	               "notes = ?, updated_at = ? WHERE id = ?",
	               "Isssssii", p.member_id, p.person_name, p.post, p.started_on, p.ended_on, p.notes, now, id);
	if (!rc)
		rc = zb_org_warn_refresh(db, p.org_id, e);
out:
	zb_arena_free(&a);
	return rc;
}

int zb_committee_delete(zb_db *db, int64_t id, zb_err *e)
{
	int64_t org = 0;
	int rc = zb_db_int(db, e, &org, "SELECT org_id FROM committee_posts WHERE id = ?", "i", id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该职务记录");
	if (rc)
		return rc;
	char path[600];
	int dissolved = 0;
	if ((rc = org_state(db, org, path, sizeof path, &dissolved, e)))
		return rc;
	if (dissolved)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该组织已撤销，只能查看");
	if ((rc = zb_db_run(db, e, NULL, "DELETE FROM committee_posts WHERE id = ?", "i", id)))
		return rc;
	return zb_org_warn_refresh(db, org, e);
}

/* ---- terms ---- */

int zb_term_status(zb_db *db, const char *org_path, const char *ends_on, const char *today, const char **status,
                   int64_t *days_left, zb_err *e)
{
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "terms", today, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *T = zb_rules_for(rs, org_path);
	int m1 = 6, m2 = 1;
	if (T) {
		json_t *rm = json_object_get(T->data, "remind_months");
		m1 = (int)json_integer_value(json_array_get(rm, 0));
		m2 = (int)json_integer_value(json_array_get(rm, 1));
	}
	zb_rules_free(rs);
	if (!T)
		return zb_fail(e, ZB_EINTERNAL, NULL, "没有适用的任期规则（terms）");
	char d1[11], d2[11];
	zb_date_add_months(ends_on, -m1, d1);
	zb_date_add_months(ends_on, -m2, d2);
	*days_left = zb_date_days(ends_on) - zb_date_days(today);
	if (strcmp(today, ends_on) > 0)
		*status = "overdue";
	else if (strcmp(today, d2) >= 0)
		*status = "due_1m";
	else if (strcmp(today, d1) >= 0)
		*status = "due_6m";
	else
		*status = "ok";
	return 0;
}

typedef struct term_rows {
	zb_arena *a;
	zb_term *rows;
	size_t n, cap;
	char path[600]; /* of the org (zb_term_current) */
} term_rows;

/* id, org_id, years, started_on, ends_on, elected_how, notes */
static void term_read(zb_stmt *st, zb_arena *a, zb_term *t)
{
	t->id = zb_col_int(st, 0);
	t->org_id = zb_col_int(st, 1);
	t->years = zb_col_int(st, 2);
	t->started_on = zb_arena_strdup(a, zb_col_text(st, 3));
	t->ends_on = zb_arena_strdup(a, zb_col_text(st, 4));
	t->elected_how = zb_arena_strdup(a, zb_col_text(st, 5));
	t->notes = zb_arena_strdup(a, zb_col_text(st, 6));
}

static void read_term_path(zb_stmt *st, void *ctx)
{
	term_rows *l = ctx;
	term_read(st, l->a, l->rows);
	snprintf(l->path, sizeof l->path, "%s", zb_col_text(st, 7));
}

static int add_term(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	term_rows *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_term *t = &l->rows[l->n++];
	memset(t, 0, sizeof *t);
	term_read(st, l->a, t);
	return 0;
}

int zb_term_current(zb_db *db, int64_t org_id, const char *today, zb_arena *a, zb_term *out, int *found, zb_err *e)
{
	*found = 0;
	memset(out, 0, sizeof *out);
	term_rows l = {.a = a, .rows = out};
	int rc = zb_db_one(db, e, NULL, read_term_path, &l,
	                   "SELECT t.id, t.org_id, t.years, t.started_on, t.ends_on, t.elected_how, t.notes, o.path "
	                   "FROM org_terms t JOIN orgs o ON o.id = t.org_id WHERE t.org_id = ? "
	                   "ORDER BY t.started_on DESC, t.id DESC LIMIT 1",
	                   "i", org_id);
	if (rc == ZB_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	*found = 1;
	return zb_term_status(db, l.path, out->ends_on, today, &out->status, &out->days_left, e);
}

int zb_term_list(zb_db *db, int64_t org_id, const char *org_path, const char *today, zb_arena *a, zb_term **items,
                 int *n, zb_err *e)
{
	term_rows l = {.a = a};
	int rc = zb_db_each(db, e, add_term, &l,
	                    "SELECT id, org_id, years, started_on, ends_on, elected_how, notes FROM org_terms "
	                    "WHERE org_id = ? ORDER BY started_on DESC, id DESC LIMIT 200",
	                    "i", org_id);
	*items = l.rows;
	*n = (int)l.n;
	if (rc)
		return rc;
	/* only the newest term is current and has a status */
	if (*n)
		return zb_term_status(db, org_path, (*items)[0].ends_on, today, &(*items)[0].status, &(*items)[0].days_left, e);
	return 0;
}

int zb_term_add(zb_db *db, int64_t org_id, const char *started_on, int64_t years, const char *ends_on,
                const char *elected_how, const char *notes, int64_t now, int64_t by_user, int64_t *id, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_org o;
	zb_rules *rs = NULL;
	int rc = zb_org_get(db, org_id, &a, &o, e);
	if (rc)
		goto out;
	if (o.dissolved_on) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该组织已撤销，只能查看");
		goto out;
	}
	char today[11];
	zb_today(NULL, today);
	if (!started_on || !zb_date_valid(started_on)) {
		rc = zb_fail(e, ZB_EINVAL, "started_on", "本届起始日期无效（应为 YYYY-MM-DD）");
		goto out;
	}
	if (strcmp(started_on, today) > 0) {
		rc = zb_fail(e, ZB_EINVAL, "started_on", "本届起始日期 %s 晚于今天；请在选举后登记", started_on);
		goto out;
	}
	if (elected_how && strcmp(elected_how, "election") && strcmp(elected_how, "by_election") &&
	    strcmp(elected_how, "appointed")) {
		rc = zb_fail(e, ZB_EINVAL, "elected_how", "产生方式无效：应为 election（选举）、by_election（补选）或 appointed（上级指定）");
		goto out;
	}
	if ((rc = zb_rules_load(db, "terms", started_on, &rs, e)))
		goto out;
	const zb_rule_set *T = zb_rules_for(rs, o.path);
	int64_t rule_years = 0, ext = 0;
	if (!T) {
		rc = zb_fail(e, ZB_EINVAL, "started_on", "%s 时没有适用的任期规则", started_on);
		goto out;
	}
	if (!zb_rule_sub_int(T, "domain_years", o.domain, &rule_years) && !zb_rule_sub_int(T, "years", o.type, &rule_years)) {
		rc = zb_fail(e, ZB_EINVAL, "years", "任期规则没有规定%s的任期（党小组不实行任期制）", zb_org_type_name(o.type));
		goto out;
	}
	if ((rc = zb_rule_int(T, "max_extension_months", &ext, e)))
		goto out;
	/* the length is the rule's for the org's type and domain (中办《关于党的
	 * 基层组织任期的意见》2018: 基层委员会 5 年, 总支部委员会、支部委员会 3
	 * 年, 村和社区 5 年); an approved early or delayed election moves
	 * only the end, by at most max_extension_months (选举条例 第三条:
	 * 延长或者提前期限一般不超过1年) - both ways of entering a term are
	 * bounded by the same window around started_on + the rule's years */
	if (!years)
		years = rule_years;
	if (years != rule_years) {
		rc = zb_fail(e, ZB_EINVAL, "years",
		             "%s%s的任期为 %lld 年（%s），不能登记为 %lld 年；经上级批准提前或延期换届的，请填写届满日期"
		             "（与 %lld 年任期相差最多 %lld 个月）",
		             o.domain && zb_org_domain_name(o.domain) ? zb_org_domain_name(o.domain) : "",
		             zb_org_type_name(o.type), (long long)rule_years, zb_term_cite(T, 0, &a), (long long)years,
		             (long long)rule_years, (long long)ext);
		goto out;
	}
	char nominal[11], lo[11], hi[11];
	zb_date_add_years(started_on, (int)years, nominal);
	if (ends_on) {
		if (!zb_date_valid(ends_on)) {
			rc = zb_fail(e, ZB_EINVAL, "ends_on", "届满日期无效（应为 YYYY-MM-DD）");
			goto out;
		}
		zb_date_add_months(nominal, -(int)ext, lo);
		zb_date_add_months(nominal, (int)ext, hi);
		if (strcmp(ends_on, lo) < 0 || strcmp(ends_on, hi) > 0 || strcmp(ends_on, started_on) <= 0) {
			rc = zb_fail(e, ZB_EINVAL, "ends_on",
			             "届满日期 %s 超出允许范围 %s 至 %s：任期 %lld 年应于 %s 届满，提前或延期换届最多 %lld 个月（%s）",
			             ends_on, lo, hi, (long long)years, nominal, (long long)ext, zb_term_cite(T, 1, &a));
			goto out;
		}
	} else {
		ends_on = nominal;
	}
	rc = zb_db_int(db, e, id,
	               "INSERT INTO org_terms (org_id, started_on, years, ends_on, elected_how, notes, created_at, created_by) "
	               "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
	               "isisssiI", org_id, started_on, years, ends_on, elected_how, notes, now, by_user);
	if (!rc)
		rc = zb_org_warn_refresh(db, org_id, e);
out:
	zb_rules_free(rs);
	zb_arena_free(&a);
	return rc;
}

int zb_org_write_committee_term(zb_db *db, int64_t org_id, const char *today, zb_arena *a, zb_jw *w, zb_err *e)
{
	zb_post *items;
	int n;
	int rc = zb_committee_list(db, org_id, 0, a, &items, &n, e);
	if (rc)
		return rc;
	jw_karr(w, "committee");
	for (int i = 0; i < n; i++)
		zb_post_write(w, &items[i]);
	jw_arr_end(w);
	zb_term t;
	int found;
	if ((rc = zb_term_current(db, org_id, today, a, &t, &found, e)))
		return rc;
	if (!found) {
		jw_knull(w, "term");
		return 0;
	}
	jw_kobj(w, "term");
	jw_kint(w, "id", t.id);
	jw_kstr(w, "started_on", t.started_on);
	jw_kint(w, "years", t.years);
	jw_kstr(w, "ends_on", t.ends_on);
	jw_kstr(w, "elected_how", t.elected_how);
	jw_kstr(w, "notes", t.notes);
	jw_kstr(w, "status", t.status);
	jw_kint(w, "days_left", t.days_left);
	jw_obj_end(w);
	return 0;
}

/* ---- audited writes ---- */

/* The audit detail of a post. */
static const char *post_detail(const zb_post *p, zb_arena *a)
{
	zb_org_detail d;
	zb_org_detail_begin(&d);
	jw_kstr(&d.w, "post", p->post);
	if (p->member_id)
		jw_kint(&d.w, "member_id", p->member_id);
	if (p->person_name)
		jw_kstr(&d.w, "person_name", p->person_name);
	jw_kstr(&d.w, "started_on", p->started_on);
	jw_kstr(&d.w, "ended_on", p->ended_on);
	return zb_org_detail_end(&d, a);
}

int zb_committee_add_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_post *in, const char *path,
                             zb_arena *a, zb_post *out, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int64_t id = 0;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_committee_add(db, in, today, zb_now(app), &id, e);
	if (!rc)
		rc = zb_committee_get(db, id, a, out, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "committee.add", "committee_post", id, path, post_detail(out, a), e);
	return zb_db_end(db, rc, e);
}

int zb_committee_update_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const zb_post *in,
                                unsigned set, const char *path, zb_arena *a, zb_post *out, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_committee_update(db, id, in, set, today, zb_now(app), e);
	if (!rc)
		rc = zb_committee_get(db, id, a, out, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "committee.update", "committee_post", id, path, post_detail(out, a), e);
	return zb_db_end(db, rc, e);
}

int zb_committee_delete_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *path,
                                zb_arena *a, zb_err *e)
{
	zb_post got;
	int rc = zb_committee_get(db, id, a, &got, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_committee_delete(db, id, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "committee.delete", "committee_post", id, path, post_detail(&got, a), e);
	return zb_db_end(db, rc, e);
}

int zb_term_add_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *path,
                        const char *started_on, int64_t years, const char *ends_on, const char *elected_how,
                        const char *notes, zb_arena *a, int64_t *id, zb_term *current, int *found, zb_err *e)
{
	*id = 0;
	*found = 0;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_term_add(db, org_id, started_on, years, ends_on, elected_how, notes, zb_now(app), by ? by->user_id : 0, id,
	                 e);
	char today[11];
	zb_today(app, today);
	if (!rc)
		rc = zb_term_current(db, org_id, today, a, current, found, e);
	if (!rc) {
		zb_org_detail d;
		zb_org_detail_begin(&d);
		jw_kstr(&d.w, "started_on", started_on);
		jw_kint(&d.w, "years", years);
		jw_kstr(&d.w, "ends_on", ends_on);
		rc = zb_audit_change(db, app, by, "org.term", "org_term", *id, path, zb_org_detail_end(&d, a), e);
	}
	return zb_db_end(db, rc, e);
}
