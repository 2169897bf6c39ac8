/* plan.c - 软弱涣散 listings and their 整顿 plans: listing by an org
 * strictly above the branch, the plan's problems and leader, measures,
 * progress entries with a photo or PDF, the 销号 review by the level
 * above and the reopening by the listing org.  docs/RECTIFY.md. */
#include "rectify/rint.h"
#include "core/date.h"
#include "core/grow.h"
#include "meeting/attach.h"
#include "meeting/compliance.h"

#include <stdio.h>
#include <string.h>

#define TEXT_MAX 8000

const char *zb_weak_status_name(const char *s)
{
	return !s ? NULL : !strcmp(s, "closed") ? "已销号" : !strcmp(s, "rectifying") ? "整顿中" : s;
}

const char *zb_weak_measure_status_name(const char *s)
{
	return !s ? NULL : !strcmp(s, "done") ? "已完成" : !strcmp(s, "open") ? "未完成" : s;
}

const char *zb_weak_parent_path(const char *path, zb_arena *a)
{
	size_t n = path ? strlen(path) : 0;
	if (n < 2)
		return NULL;
	size_t i = n - 1;
	while (i > 0 && path[i - 1] != '/')
		i--;
	return i > 1 ? zb_arena_printf(a, "%.*s", (int)i, path) : NULL;
}

/* Text given and not over max bytes (field named). */
static int need_text(const char *s, size_t max, const char *field, const char *what, zb_err *e)
{
	if (!s || !*s)
		return zb_fail(e, ZB_EINVAL, field, "请填写%s", what);
	if (strlen(s) > max)
		return zb_fail(e, ZB_EINVAL, field, "%s不能超过 %zu 字节", what, max);
	return 0;
}

/* A valid date, not after today. */
static int past_date(const char *d, const char *today, const char *field, const char *what, zb_err *e)
{
	if (!d || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, field, "%s应为有效日期（YYYY-MM-DD）", what);
	if (strcmp(d, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s不能晚于今天", what);
	return 0;
}

/* ---- the listing's head: its branch, status and listing org ---- */

typedef struct head {
	zb_arena *a;
	int64_t org_id;
	const char *org_path, *status, *by_path, *listed_on;
	int year;
} head;

static void read_head(zb_stmt *st, void *ctx)
{
	head *h = ctx;
	h->org_id = zb_col_int(st, 0);
	h->org_path = zb_arena_strdup(h->a, zb_col_text(st, 1));
	h->status = zb_arena_strdup(h->a, zb_col_text(st, 2));
	h->by_path = zb_arena_strdup(h->a, zb_col_text(st, 3));
	h->year = (int)zb_col_int(st, 4);
	h->listed_on = zb_arena_strdup(h->a, zb_col_text(st, 5));
}

static int load_head(zb_db *db, int64_t id, zb_arena *a, head *h, zb_err *e)
{
	*h = (head){.a = a};
	return zb_db_one(db, e, "未找到该软弱涣散整顿记录", read_head, h,
	                 "SELECT l.org_id, l.org_path, l.status, o.path, l.year, l.listed_on FROM weak_listings l "
	                 "JOIN orgs o ON o.id = l.listed_by_org WHERE l.id = ?",
	                 "i", id);
}

static int open_plan(const head *h, zb_err *e)
{
	if (!strcmp(h->status, "closed"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该支部的整顿已销号，方案只读；如需继续整顿，须由县委重新打开");
	return 0;
}

/* who holds org.write strictly above the branch at path */
static int above(const zb_principal *who, const char *path, zb_arena *a)
{
	const char *up = zb_weak_parent_path(path, a);
	return who && up && zb_authz_allows(who, P_ORG_WRITE, up);
}

static int audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, const char *type, int64_t id,
                 const char *path, zb_audit_detail *d, zb_err *e)
{
	return zb_audit_change_detail(db, app, by, action, type, id, path, d, e);
}

/* ---- listing ---- */

typedef struct org_row {
	zb_arena *a;
	const char *path, *type, *name, *dissolved;
} org_row;

static void read_org_row(zb_stmt *st, void *ctx)
{
	org_row *o = ctx;
	o->path = zb_arena_strdup(o->a, zb_col_text(st, 0));
	o->type = zb_arena_strdup(o->a, zb_col_text(st, 1));
	o->name = zb_arena_strdup(o->a, zb_col_text(st, 2));
	o->dissolved = zb_arena_strdup(o->a, zb_col_text(st, 3));
}

int zb_weak_list(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                 const zb_weak_list_input *in, zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	if (in->year < 2000 || in->year > 2100)
		return zb_fail(e, ZB_EINVAL, "year", "年度应在 2000 到 2100 之间");
	const char *on = in->on_date && *in->on_date ? in->on_date : today;
	int rc = past_date(on, today, "listed_on", "认定日期", e);
	if (rc)
		return rc;
	if (in->reason && strlen(in->reason) > TEXT_MAX)
		return zb_fail(e, ZB_EINVAL, "reason", "理由不能超过 %d 字节", TEXT_MAX);
	org_row o = {.a = a};
	if ((rc = zb_db_one(db, e, "未找到该组织", read_org_row, &o,
	                    "SELECT path, type, name, dissolved_on FROM orgs WHERE id = ?", "i", in->org_id))) {
		if (rc == ZB_ENOTFOUND)
			snprintf(e->field, sizeof e->field, "org_id");
		return rc;
	}
	if (o.dissolved || !(zb_compliance_is_branch(o.type) || !strcmp(o.type, "general_branch")))
		return zb_fail(e, ZB_EINVAL, "org_id", "只有在册的党支部（含联合党支部）和党总支可列为软弱涣散");
	/* the listing org: the nearest org strictly above where who may write */
	int64_t by_org = 0;
	size_t best = 0, plen = strlen(o.path);
	for (int i = 0; who && i < who->ngrants; i++) {
		const zb_grant *g = &who->grants[i];
		size_t gl = strlen(g->org_path);
		if ((g->perms & P_ORG_WRITE) && gl < plen && !strncmp(g->org_path, o.path, gl) && gl > best) {
			best = gl;
			by_org = g->org_id;
		}
	}
	if (!by_org)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "软弱涣散须由上级党组织认定，您在%s的上级党组织没有组织管理权限", o.name);
	zb_weak_crit *c;
	int nc;
	if ((rc = zb_weak_check_org(db, in->org_id, in->year, today, a, &c, &nc, e)))
		return rc;
	if (!nc && (!in->reason || !*in->reason))
		return zb_fail(e, ZB_EINVAL, "reason", "%s %d 年不符合排查标准中的任何一项，手动列入须填写理由", o.name, in->year);
	const char *crit = zb_weak_crit_json(c, nc, a);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t have = 0;
	rc = zb_db_int(db, e, &have, "SELECT COUNT(*) FROM weak_listings WHERE org_id = ? AND year = ?", "ii", in->org_id,
	               (int64_t)in->year);
	if (!rc && have)
		rc = zb_fail(e, ZB_ECONFLICT, "org_id", "%s %d 年已列为软弱涣散", o.name, in->year);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO weak_listings (org_id, org_path, year, listed_by_org, listed_on, reason, criteria, "
		               "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
		               "isiisssIi", in->org_id, o.path, (int64_t)in->year, by_org, on,
		               in->reason && *in->reason ? in->reason : NULL, crit, by->user_id, zb_now(app));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "org_id", in->org_id);
		jw_kint(w, "year", in->year);
		jw_kint(w, "listed_by_org", by_org);
		jw_kint(w, "criteria", nc);
		jw_kstr(w, "reason", in->reason);
		rc = audit(db, app, by, "weak.list", "weak_listing", *id, o.path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- reading ---- */

#define LISTING_COLS                                                                                                \
	"l.id, l.org_id, o.name, l.org_path, l.year, l.listed_by_org, b.name, l.listed_on, l.reason, l.criteria, "      \
	"l.problems, l.leader_name, l.leader_post, l.leader_user_id, l.status, l.closed_on, l.closed_by_name, "        \
	"l.close_opinion, "                                                                                           \
	"(SELECT COUNT(*) FROM weak_measures m WHERE m.listing_id = l.id), "                                         \
	"(SELECT COUNT(*) FROM weak_measures m WHERE m.listing_id = l.id AND m.status = 'done'), "                   \
	"(SELECT COUNT(*) FROM weak_measures m WHERE m.listing_id = l.id AND m.status = 'open' AND m.due_on < ?), "    \
	"b.path, u.username "                                                                                         \
	"FROM weak_listings l JOIN orgs o ON o.id = l.org_id JOIN orgs b ON b.id = l.listed_by_org "                 \
	"LEFT JOIN users u ON u.id = l.leader_user_id "

typedef struct lrows {
	zb_arena *a;
	zb_weak_listing *v;
	size_t n, cap;
} lrows;

static void fill_listing(zb_stmt *st, zb_arena *a, zb_weak_listing *l)
{
	memset(l, 0, sizeof *l);
	const char **s[] = {&l->org_name, &l->org_path, NULL, NULL, &l->listed_by_name, &l->listed_on, &l->reason,
	                    &l->criteria, &l->problems, &l->leader_name, &l->leader_post, NULL, &l->status,
	                    &l->closed_on, &l->closed_by_name, &l->close_opinion};
	l->id = zb_col_int(st, 0);
	l->org_id = zb_col_int(st, 1);
	for (int c = 2; c < 18; c++)
		if (s[c - 2])
			*s[c - 2] = zb_arena_strdup(a, zb_col_text(st, c));
	l->year = (int)zb_col_int(st, 4);
	l->listed_by_org = zb_col_int(st, 5);
	l->measures = (int)zb_col_int(st, 18);
	l->measures_done = (int)zb_col_int(st, 19);
	l->measures_overdue = (int)zb_col_int(st, 20);
	l->listed_by_path = zb_arena_strdup(a, zb_col_text(st, 21));
	l->leader_account = zb_arena_strdup(a, zb_col_text(st, 22));
}

static int read_listing_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	lrows *r = ctx;
	ZB_AGROW(r->a, r->v, r->n, r->cap);
	fill_listing(st, r->a, &r->v[r->n++]);
	return 0;
}

int zb_weak_listings(zb_db *db, const char *root, int year, const char *today, zb_arena *a, zb_weak_listing **out,
                     int *n, zb_err *e)
{
	lrows r = {.a = a};
	int rc = zb_db_each(db, e, read_listing_row, &r,
	                    "SELECT " LISTING_COLS "WHERE l.org_path >= ? AND l.org_path < ? || '~' AND (? = 0 OR l.year = ?) "
	                    "ORDER BY l.year DESC, l.status DESC, l.org_path",
	                    "sssii", today, root, root, (int64_t)year, (int64_t)year);
	*out = r.v;
	*n = (int)r.n;
	return rc;
}

typedef struct orows {
	zb_arena *a;
	zb_weak_open *v;
	size_t n, cap;
} orows;

static int read_open_count(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	orows *r = ctx;
	ZB_AGROW(r->a, r->v, r->n, r->cap);
	r->v[r->n].org_id = zb_col_int(st, 0);
	r->v[r->n++].open = (int)zb_col_int(st, 1);
	return 0;
}

int zb_weak_open_measures(zb_db *db, const char *root, const char *ref, zb_arena *a, zb_weak_open **out, int *n,
                          zb_err *e)
{
	orows r = {.a = a};
	int rc = zb_db_each(db, e, read_open_count, &r,
	                    "SELECT l.org_id, COUNT(*) FROM weak_measures m JOIN weak_listings l ON l.id = m.listing_id "
	                    "WHERE l.org_path >= ? AND l.org_path < ? || '~' AND l.listed_on <= ? "
	                    "AND (m.status = 'open' OR m.done_on > ?) GROUP BY l.org_id",
	                    "ssss", root, root, ref, ref);
	*out = r.v;
	*n = (int)r.n;
	return rc;
}

typedef struct mrows {
	zb_arena *a;
	const char *today;
	zb_weak_measure *v;
	size_t n, cap;
} mrows;

static int read_measure(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	mrows *r = ctx;
	ZB_AGROW(r->a, r->v, r->n, r->cap);
	zb_weak_measure *m = &r->v[r->n++];
	m->id = zb_col_int(st, 0);
	m->listing_id = zb_col_int(st, 1);
	const char **s[] = {&m->what, &m->responsible, &m->due_on, &m->status, &m->done_on, &m->done_note};
	for (int c = 0; c < 6; c++)
		*s[c] = zb_arena_strdup(r->a, zb_col_text(st, c + 2));
	m->overdue = !strcmp(m->status, "open") && strcmp(r->today, m->due_on) > 0;
	return 0;
}

typedef struct prows {
	zb_arena *a;
	zb_weak_progress *v;
	size_t n, cap;
} prows;

static int read_progress(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	prows *r = ctx;
	ZB_AGROW(r->a, r->v, r->n, r->cap);
	zb_weak_progress *p = &r->v[r->n++];
	p->id = zb_col_int(st, 0);
	p->listing_id = zb_col_int(st, 1);
	p->on_date = zb_arena_strdup(r->a, zb_col_text(st, 2));
	p->text = zb_arena_strdup(r->a, zb_col_text(st, 3));
	p->file_kind = zb_arena_strdup(r->a, zb_col_text(st, 4));
	p->filename = zb_arena_strdup(r->a, zb_col_text(st, 5));
	p->created_at = zb_col_int(st, 6);
	return 0;
}

typedef struct rrows {
	zb_arena *a;
	zb_weak_review *v;
	size_t n, cap;
} rrows;

static int read_review(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	rrows *r = ctx;
	ZB_AGROW(r->a, r->v, r->n, r->cap);
	zb_weak_review *v = &r->v[r->n++];
	v->kind = zb_arena_strdup(r->a, zb_col_text(st, 0));
	v->on_date = zb_arena_strdup(r->a, zb_col_text(st, 1));
	v->by_name = zb_arena_strdup(r->a, zb_col_text(st, 2));
	v->opinion = zb_arena_strdup(r->a, zb_col_text(st, 3));
	return 0;
}

typedef struct one_listing {
	zb_arena *a;
	zb_weak_listing *l;
} one_listing;

static void read_one(zb_stmt *st, void *ctx)
{
	one_listing *o = ctx;
	fill_listing(st, o->a, o->l);
}

int zb_weak_get(zb_db *db, int64_t id, const char *today, zb_arena *a, zb_weak_listing *out, zb_err *e)
{
	one_listing o = {a, out};
	int rc = zb_db_one(db, e, "未找到该软弱涣散整顿记录", read_one, &o, "SELECT " LISTING_COLS "WHERE l.id = ?", "si",
	                   today, id);
	mrows m = {.a = a, .today = today};
	prows p = {.a = a};
	rrows r = {.a = a};
	if (!rc)
		rc = zb_db_each(db, e, read_measure, &m,
		                "SELECT id, listing_id, what, responsible, due_on, status, done_on, done_note FROM weak_measures "
		                "WHERE listing_id = ? ORDER BY due_on, id",
		                "i", id);
	if (!rc)
		rc = zb_db_each(db, e, read_progress, &p,
		                "SELECT id, listing_id, on_date, text, kind, filename, created_at FROM weak_progress "
		                "WHERE listing_id = ? ORDER BY on_date DESC, id DESC",
		                "i", id);
	if (!rc)
		rc = zb_db_each(db, e, read_review, &r,
		                "SELECT kind, on_date, by_name, opinion FROM weak_reviews WHERE listing_id = ? ORDER BY id", "i",
		                id);
	out->m = m.v;
	out->nm = (int)m.n;
	out->p = p.v;
	out->np = (int)p.n;
	out->rv = r.v;
	out->nrv = (int)r.n;
	return rc;
}

/* ---- writes on the plan ---- */

int zb_weak_plan_set(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                     const zb_weak_plan_input *in, zb_err *e)
{
	if (in->problems && strlen(in->problems) > TEXT_MAX)
		return zb_fail(e, ZB_EINVAL, "problems", "存在的问题不能超过 %d 字节", TEXT_MAX);
	if (in->leader_name && strlen(in->leader_name) > 100)
		return zb_fail(e, ZB_EINVAL, "leader_name", "包联领导姓名不能超过 100 字节");
	if (in->leader_post && strlen(in->leader_post) > 200)
		return zb_fail(e, ZB_EINVAL, "leader_post", "包联领导职务不能超过 200 字节");
	zb_arena a;
	zb_arena_init(&a);
	head h;
	int rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = load_head(db, id, &a, &h, e);
	if (!rc && !above(who, h.org_path, &a))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "整顿方案的问题和包联领导由上级党组织确定");
	if (!rc)
		rc = open_plan(&h, e);
	int64_t uid = in->leader_account ? -1 : 0; /* 0 kept, -1 removed */
	if (!rc && in->leader_account && *in->leader_account) {
		/* an account that reaches the branch (a grant at it or above):
		 * not any login name of the system, nor another township's */
		rc = zb_db_int(db, e, &uid,
		               "SELECT u.id FROM users u WHERE u.username = ? AND EXISTS (SELECT 1 FROM grants g "
		               "JOIN orgs o ON o.id = g.org_id WHERE g.user_id = u.id AND substr(?, 1, length(o.path)) = o.path)",
		               "ss", in->leader_account, h.org_path);
		if (rc == ZB_ENOTFOUND)
			rc = zb_fail(e, ZB_EINVAL, "leader_account", "未找到账号“%s”，或其不管理该支部", in->leader_account);
	}
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE weak_listings SET problems = COALESCE(?, problems), leader_name = COALESCE(?, leader_name), "
		               "leader_post = COALESCE(?, leader_post), leader_user_id = CASE WHEN ? = 0 THEN leader_user_id "
		               "WHEN ? < 0 THEN NULL ELSE ? END WHERE id = ?",
		               "sssiiii", in->problems, in->leader_name && *in->leader_name ? in->leader_name : NULL,
		               in->leader_post && *in->leader_post ? in->leader_post : NULL, uid, uid, uid, id);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kbool(w, "problems", in->problems != NULL);
		jw_kstr(w, "leader_name", in->leader_name);
		jw_kstr(w, "leader_post", in->leader_post);
		rc = audit(db, app, by, "weak.plan", "weak_listing", id, h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}

int zb_weak_measure_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t listing_id, const char *what,
                        const char *responsible, const char *due_on, int64_t *id, zb_err *e)
{
	int rc = need_text(what, 2000, "what", "整改措施", e);
	if (!rc)
		rc = need_text(responsible, 200, "responsible", "责任人", e);
	if (rc)
		return rc;
	if (!due_on || !zb_date_valid(due_on))
		return zb_fail(e, ZB_EINVAL, "due_on", "完成时限应为有效日期（YYYY-MM-DD）");
	zb_arena a;
	zb_arena_init(&a);
	head h;
	rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = load_head(db, listing_id, &a, &h, e);
	if (!rc)
		rc = open_plan(&h, e);
	if (!rc && strcmp(due_on, h.listed_on) < 0)
		rc = zb_fail(e, ZB_EINVAL, "due_on", "完成时限不能早于认定日期 %s", h.listed_on);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO weak_measures (listing_id, org_path, what, responsible, due_on, created_by, created_at) "
		               "VALUES (?,?,?,?,?,?,?) RETURNING id",
		               "issssIi", listing_id, h.org_path, what, responsible, due_on, by->user_id, zb_now(app));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "measure_id", *id);
		jw_kstr(w, "what", what);
		jw_kstr(w, "responsible", responsible);
		jw_kstr(w, "due_on", due_on);
		rc = audit(db, app, by, "weak.measure", "weak_listing", listing_id, h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}

int zb_weak_measure_done(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t measure_id, const char *done_on,
                         const char *note, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = past_date(done_on, today, "done_on", "完成日期", e);
	if (rc)
		return rc;
	if (note && strlen(note) > 2000)
		return zb_fail(e, ZB_EINVAL, "note", "完成情况不能超过 2000 字节");
	zb_arena a;
	zb_arena_init(&a);
	head h;
	int64_t lm[1] = {0};
	zb_text_buf st = {.out = zb_arena_alloc(&a, 16), .n = 16};
	if (!(rc = zb_db_begin_write(db, e)))
		rc = zb_db_one(db, e, "未找到该整改措施", zb_row_ints, lm, "SELECT listing_id FROM weak_measures WHERE id = ?",
		               "i", measure_id);
	if (!rc)
		rc = load_head(db, lm[0], &a, &h, e);
	if (!rc)
		rc = open_plan(&h, e);
	if (!rc)
		rc = zb_db_one(db, e, NULL, zb_row_text, &st, "SELECT status FROM weak_measures WHERE id = ?", "i", measure_id);
	if (!rc && !strcmp(st.out, "done"))
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该整改措施已完成");
	if (!rc && strcmp(done_on, h.listed_on) < 0)
		rc = zb_fail(e, ZB_EINVAL, "done_on", "完成日期不能早于认定日期 %s", h.listed_on);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE weak_measures SET status = 'done', done_on = ?, done_note = ?, done_by = ? WHERE id = ?",
		               "ssIi", done_on, note && *note ? note : NULL, by->user_id, measure_id);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "measure_id", measure_id);
		jw_kstr(w, "done_on", done_on);
		jw_kstr(w, "note", note);
		rc = audit(db, app, by, "weak.measure_done", "weak_listing", lm[0], h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}

int zb_weak_progress_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t listing_id, const char *on_date,
                         const char *text, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = past_date(on_date, today, "on_date", "日期", e);
	if (!rc)
		rc = need_text(text, TEXT_MAX, "text", "整顿进展", e);
	if (rc)
		return rc;
	zb_arena a;
	zb_arena_init(&a);
	head h;
	if (!(rc = zb_db_begin_write(db, e)))
		rc = load_head(db, listing_id, &a, &h, e);
	if (!rc)
		rc = open_plan(&h, e);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO weak_progress (listing_id, org_path, on_date, text, created_by, created_at) "
		               "VALUES (?,?,?,?,?,?) RETURNING id",
		               "isssIi", listing_id, h.org_path, on_date, text, by->user_id, zb_now(app));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "progress_id", *id);
		jw_kstr(w, "on_date", on_date);
		rc = audit(db, app, by, "weak.progress", "weak_listing", listing_id, h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}

int zb_weak_progress_file(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t progress_id, const char *filename,
                          const void *data, size_t len, zb_err *e)
{
	const char *kind = NULL;
	char name[ZB_ATTACH_NAME_MAX + 1], sm3[65], stored[33] = "";
	int rc = zb_attach_save_file(app->data_dir, filename, data, len, &kind, name, sm3, stored, e);
	if (rc)
		return rc;
	zb_arena a;
	zb_arena_init(&a);
	head h;
	int64_t row[2] = {0, 0};
	if (!(rc = zb_db_begin_write(db, e)))
		rc = zb_db_one(db, e, "未找到该整顿进展", zb_row_ints, row,
		               "SELECT listing_id, CASE WHEN kind IS NULL THEN 0 ELSE 1 END FROM weak_progress WHERE id = ?", "i",
		               progress_id);
	if (!rc)
		rc = load_head(db, row[0], &a, &h, e);
	if (!rc)
		rc = open_plan(&h, e);
	if (!rc && row[1])
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "这条进展已有附件");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE weak_progress SET kind = ?, filename = ?, size = ?, sm3 = ?, stored_name = ? WHERE id = ?",
		               "ssissi", kind, name, (int64_t)len, sm3, stored, progress_id);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "progress_id", progress_id);
		jw_kstr(w, "kind", kind);
		jw_kint(w, "size", (int64_t)len);
		rc = audit(db, app, by, "weak.progress_file", "weak_listing", row[0], h.org_path, &d, e);
	}
	if ((rc = zb_db_end(db, rc, e)))
		zb_attach_remove_file(app->data_dir, stored);
	zb_arena_free(&a);
	return rc;
}

typedef struct file_row {
	zb_arena *a;
	const char *s[3];
} file_row;

static void read_file_row(zb_stmt *st, void *ctx)
{
	file_row *r = ctx;
	for (int c = 0; c < 3; c++)
		r->s[c] = zb_arena_strdup(r->a, zb_col_text(st, c));
}

int zb_weak_progress_file_find(zb_db *db, int64_t progress_id, zb_arena *a, const char **kind, const char **filename,
                               const char **stored_name, zb_err *e)
{
	file_row r = {a, {NULL, NULL, NULL}};
	int rc = zb_db_one(db, e, "这条进展没有附件", read_file_row, &r,
	                   "SELECT kind, filename, stored_name FROM weak_progress WHERE id = ? AND kind IS NOT NULL", "i",
	                   progress_id);
	*kind = r.s[0];
	*filename = r.s[1];
	*stored_name = r.s[2];
	return rc;
}

/* ---- 销号 and reopening ---- */

typedef struct open_list {
	zb_buf b;
	int n;
} open_list;

static int read_open(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	open_list *o = ctx;
	if (o->n < 5)
		zb_buf_printf(&o->b, "%s“%s”", o->n ? "、" : "", zb_col_text(st, 0));
	o->n++;
	return 0;
}

static const char *name_of(const zb_principal *who, const zb_audit_ev *by)
{
	return who && who->display_name && *who->display_name ? who->display_name : by->username;
}

int zb_weak_close(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                  const char *on_date, const char *opinion, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	const char *on = on_date && *on_date ? on_date : today;
	int rc = past_date(on, today, "on_date", "销号日期", e);
	if (!rc)
		rc = need_text(opinion, TEXT_MAX, "opinion", "审核意见", e);
	if (rc)
		return rc;
	zb_arena a;
	zb_arena_init(&a);
	head h;
	open_list o = {.n = 0};
	zb_buf_init(&o.b, 0);
	int64_t total = 0;
	if (!(rc = zb_db_begin_write(db, e)))
		rc = load_head(db, id, &a, &h, e);
	if (!rc && !above(who, h.org_path, &a))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "销号须由上级党组织审核，支部不能为自己销号");
	if (!rc && !strcmp(h.status, "closed"))
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该支部的整顿已销号");
	if (!rc && strcmp(on, h.listed_on) < 0)
		rc = zb_fail(e, ZB_EINVAL, "on_date", "销号日期不能早于认定日期 %s", h.listed_on);
	if (!rc)
		rc = zb_db_int(db, e, &total, "SELECT COUNT(*) FROM weak_measures WHERE listing_id = ?", "i", id);
	if (!rc && !total)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "整顿方案还没有整改措施，不能销号");
	if (!rc)
		rc = zb_db_each(db, e, read_open, &o,
		                "SELECT what FROM weak_measures WHERE listing_id = ? AND status = 'open' ORDER BY due_on, id", "i",
		                id);
	if (!rc && o.n)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "还有 %d 项整改措施未完成，不能销号：%s%s", o.n, o.b.data,
		             o.n > 5 ? "等" : "");
	const char *nm = name_of(who, by);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE weak_listings SET status = 'closed', closed_on = ?, closed_by = ?, closed_by_name = ?, "
		               "close_opinion = ? WHERE id = ?",
		               "sIssi", on, by->user_id, nm, opinion, id);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO weak_reviews (listing_id, kind, on_date, by_user, by_name, opinion, created_at) "
		               "VALUES (?, 'close', ?, ?, ?, ?, ?)",
		               "isIssi", id, on, by->user_id, nm, opinion, zb_now(app));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "on_date", on);
		jw_kint(w, "measures", total);
		rc = audit(db, app, by, "weak.close", "weak_listing", id, h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_buf_release(&o.b);
	zb_arena_free(&a);
	return rc;
}

int zb_weak_reopen(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                   const char *reason, zb_err *e)
{
	int rc = need_text(reason, TEXT_MAX, "reason", "重新打开的理由", e);
	if (rc)
		return rc;
	char today[11];
	zb_today(app, today);
	zb_arena a;
	zb_arena_init(&a);
	head h;
	if (!(rc = zb_db_begin_write(db, e)))
		rc = load_head(db, id, &a, &h, e);
	if (!rc && strcmp(h.status, "closed"))
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该支部的整顿尚未销号");
	if (!rc && !(who && zb_authz_allows(who, P_ORG_WRITE, h.by_path)))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "已销号的整顿只能由认定它的党组织重新打开");
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE weak_listings SET status = 'rectifying', closed_on = NULL, closed_by = NULL, "
		               "closed_by_name = NULL, close_opinion = NULL WHERE id = ?",
		               "i", id);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO weak_reviews (listing_id, kind, on_date, by_user, by_name, opinion, created_at) "
		               "VALUES (?, 'reopen', ?, ?, ?, ?, ?)",
		               "isIssi", id, today, by->user_id, name_of(who, by), reason, zb_now(app));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "reason", reason);
		rc = audit(db, app, by, "weak.reopen", "weak_listing", id, h.org_path, &d, e);
	}
	rc = zb_db_end(db, rc, e);
	zb_arena_free(&a);
	return rc;
}
