/* duty.c - 书记抓党建述职评议: the secretary's yearly report, its files,
 * the level above's grade, the lists and a person's history
 * (review/review.h, docs/REVIEWS.md). */
#include "review/review.h"
#include "audit/audit.h"
#include "core/date.h"
#include "core/grow.h"
#include "meeting/attach.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the level above ---- */

int zb_review_above(const zb_principal *who, const char *path, const char *what, int64_t *org_id, zb_err *e)
{
	/* path "/1/5/13/": the ancestors "/1/5/" and "/1/", nearest first */
	size_t n = path ? strlen(path) : 0;
	char buf[512];
	if (who && n > 1 && n < sizeof buf) {
		memcpy(buf, path, n + 1);
		for (size_t end = n - 1; end > 0;) {
			while (end > 0 && buf[end - 1] != '/')
				end--;
			if (end <= 1)
				break;
			buf[end] = '\0'; /* "/1/5/" */
			if (zb_authz_allows(who, P_ORG_WRITE, buf)) {
				size_t s = end - 1;
				while (s > 0 && buf[s - 1] != '/')
					s--;
				*org_id = strtoll(buf + s, NULL, 10);
				return 0;
			}
			end--;
		}
	}
	return zb_fail(e, ZB_EFORBIDDEN, NULL, "%s只能由上级党组织评定，本级不能评定自己", what);
}

/* ---- grades ---- */

static const struct {
	const char *code, *name;
} grades[] = {{"good", "好"}, {"fair", "较好"}, {"average", "一般"}, {"poor", "差"}};

const char *zb_duty_grade_from(const char *s)
{
	for (size_t i = 0; s && i < sizeof grades / sizeof grades[0]; i++)
		if (!strcmp(s, grades[i].code) || !strcmp(s, grades[i].name))
			return grades[i].code;
	return NULL;
}

const char *zb_duty_grade_name(const char *code)
{
	for (size_t i = 0; code && i < sizeof grades / sizeof grades[0]; i++)
		if (!strcmp(code, grades[i].code))
			return grades[i].name;
	return NULL;
}

static int audit_duty(zb_db *db, zb_app *app, const zb_actor *ac, const char *action, int64_t id, const char *path,
                      zb_audit_detail *d, zb_err *e)
{
	zb_audit_ev by = {.user_id = ac->user_id, .username = ac->username, .ip = ac->ip};
	return zb_audit_change_detail(db, app, &by, action, "duty_report", id, path, d, e);
}

static int day_in(zb_app *app, const char *d, const char *field, const char *label, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	if (!d || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, field, "请填写%s（YYYY-MM-DD）", label);
	if (strcmp(d, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s %s 晚于今天", label, d);
	return 0;
}

/* ---- filing ---- */

int zb_duty_file_report(zb_db *db, zb_app *app, const zb_actor *ac, int64_t org_id, int64_t member_id, int year,
                        const char *report, const char *filed_on, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(db, org_id, ar, &o, e);
	if (rc)
		return rc;
	if (year < 2000 || year > 2200)
		return zb_fail(e, ZB_EINVAL, "year", "述职年度应为 2000 到 2200 之间的年份");
	if (!report || !*report || strlen(report) > 20000)
		return zb_fail(e, ZB_EINVAL, "report", "请填写述职报告（最多 20000 字节）");
	if ((rc = day_in(app, filed_on, "filed_on", "提交日期", e)))
		return rc;
	if (atoi(filed_on) < year)
		return zb_fail(e, ZB_EINVAL, "filed_on", "提交日期不能早于述职年度 %d 年", year);
	char y0[11], y1[11];
	snprintf(y0, sizeof y0, "%04d-01-01", year);
	snprintf(y1, sizeof y1, "%04d-12-31", year);
	int64_t held = 0;
	if ((rc = zb_db_int(db, e, &held,
	                    "SELECT COUNT(*) FROM committee_posts WHERE org_id = ? AND member_id = ? AND post = 'secretary' "
	                    "AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)",
	                    "iiss", org_id, member_id, y1, y0)))
		return rc;
	if (!held)
		return zb_fail(e, ZB_EINVAL, "member_id", "该党员 %d 年未担任%s书记，不能提交该组织的书记述职", year, o.name);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO duty_reports (member_id, org_id, org_path, year, report, filed_on, filed_by, "
	               "created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
	               "iisissIi", member_id, org_id, o.path, (int64_t)year, report, filed_on, ac->user_id, zb_now(app));
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "year", "该书记 %d 年的述职已经提交", year);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "member_id", member_id);
		jw_kint(w, "year", year);
		jw_kstr(w, "filed_on", filed_on);
		rc = audit_duty(db, app, ac, "duty.file", *id, o.path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- reading ---- */

#define DUTY_COLS                                                                                                 \
	"d.id, d.member_id, d.org_id, d.year, d.org_path, o.name, m.name, d.report, d.filed_on, d.grade, d.comment, " \
	"d.rated_on, ro.name, COALESCE(d.filed_by, 0), COALESCE(d.rated_by, 0), COALESCE(d.rater_org, 0) "        \
	"FROM duty_reports d JOIN orgs o ON o.id = d.org_id JOIN members m ON m.id = d.member_id "                 \
	"LEFT JOIN orgs ro ON ro.id = d.rater_org "

typedef struct duty_ctx {
	zb_arena *ar;
	zb_duty_report *items;
	size_t n, cap;
} duty_ctx;

static void read_duty(zb_stmt *st, zb_arena *ar, zb_duty_report *r)
{
	memset(r, 0, sizeof *r);
#define T(c) zb_arena_strdup(ar, zb_col_text(st, c))
	r->id = zb_col_int(st, 0);
	r->member_id = zb_col_int(st, 1);
	r->org_id = zb_col_int(st, 2);
	r->year = (int)zb_col_int(st, 3);
	r->org_path = T(4);
	r->org_name = T(5);
	r->member_name = T(6);
	r->report = T(7);
	r->filed_on = T(8);
	r->grade = T(9);
	r->comment = T(10);
	r->rated_on = T(11);
	r->rater_org_name = T(12);
#undef T
	r->filed_by = zb_col_int(st, 13);
	r->rated_by = zb_col_int(st, 14);
	r->rater_org = zb_col_int(st, 15);
}

static void read_one(zb_stmt *st, void *ctx)
{
	duty_ctx *c = ctx;
	read_duty(st, c->ar, c->items);
}

static int read_many(zb_stmt *st, void *ctx, zb_err *e)
{
	duty_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->items, c->n, c->cap);
	read_duty(st, c->ar, &c->items[c->n++]);
	return 0;
}

typedef struct file_ctx {
	zb_arena *ar;
	zb_duty_report *r;
	size_t n, cap;
} file_ctx;

static int read_file(zb_stmt *st, void *ctx, zb_err *e)
{
	file_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->r->files, c->n, c->cap);
	zb_duty_file *f = &c->r->files[c->n++];
	c->r->nfiles = (int)c->n;
	f->id = zb_col_int(st, 0);
	f->kind = zb_arena_strdup(c->ar, zb_col_text(st, 1));
	f->filename = zb_arena_strdup(c->ar, zb_col_text(st, 2));
	f->size = zb_col_int(st, 3);
	f->url = zb_arena_printf(c->ar, "/api/v1/duty-report-files/%lld", (long long)f->id);
	return 0;
}

int zb_duty_get(zb_db *db, int64_t id, zb_arena *ar, zb_duty_report *r, zb_err *e)
{
	duty_ctx c = {ar, r, 0, 0};
	int rc = zb_db_one(db, e, "未找到该述职", read_one, &c, "SELECT " DUTY_COLS "WHERE d.id = ?", "i", id);
	if (rc)
		return rc;
	file_ctx f = {ar, r, 0, 0};
	return zb_db_each(db, e, read_file, &f,
	                  "SELECT id, kind, filename, size FROM duty_report_files WHERE report_id = ? ORDER BY id", "i", id);
}

int zb_duty_of_member(zb_db *db, int64_t member_id, zb_arena *ar, zb_duty_report **out, int *n, zb_err *e)
{
	duty_ctx c = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_many, &c, "SELECT " DUTY_COLS "WHERE d.member_id = ? ORDER BY d.year DESC, d.id",
	                    "i", member_id);
	*out = c.items;
	*n = (int)c.n;
	return rc;
}

/* ---- rating ---- */

static int rate_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                      const char *g, const char *comment, const char *rated_on, zb_arena *ar, zb_err *e)
{
	zb_duty_report r;
	int64_t above = 0;
	int rc = zb_duty_get(db, id, ar, &r, e);
	if (rc || (rc = zb_review_above(who, r.org_path, "书记述职", &above, e)))
		return rc;
	if ((who->member_id && who->member_id == r.member_id) || ac->user_id == r.filed_by)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "不能评定本人提交或本人所作的述职");
	if (r.grade)
		return zb_fail(e, ZB_ECONFLICT, "grade", "该述职已于 %s 评定为“%s”", r.rated_on, zb_duty_grade_name(r.grade));
	if (strcmp(rated_on, r.filed_on) < 0)
		return zb_fail(e, ZB_EINVAL, "rated_on", "评定日期不能早于提交日期 %s", r.filed_on);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE duty_reports SET grade = ?, comment = ?, rated_on = ?, rated_by = ?, rater_org = ? "
	                    "WHERE id = ? AND grade IS NULL",
	                    "sssIii", g, comment, rated_on, ac->user_id, above, id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "grade", g);
	jw_kstr(w, "rated_on", rated_on);
	jw_kint(w, "rater_org", above);
	return audit_duty(db, app, ac, "duty.rate", id, r.org_path, &d, e);
}

int zb_duty_rate(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id, const char *grade,
                 const char *comment, const char *rated_on, zb_arena *ar, zb_err *e)
{
	const char *g = zb_duty_grade_from(grade);
	if (!g)
		return zb_fail(e, ZB_EINVAL, "grade", "评定等次应为 好、较好、一般 或 差");
	if (comment && strlen(comment) > 4000)
		return zb_fail(e, ZB_EINVAL, "comment", "评语过长（最多 4000 字节）");
	if ((!strcmp(g, "average") || !strcmp(g, "poor")) && (!comment || !*comment))
		return zb_fail(e, ZB_EINVAL, "comment", "评定为“%s”须写明评语", zb_duty_grade_name(g));
	int rc = day_in(app, rated_on, "rated_on", "评定日期", e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, rate_in_tx(db, app, ac, who, id, g, comment, rated_on, ar, e), e);
}

/* ---- files ---- */

typedef struct dfile_ctx {
	zb_app *app;
	const zb_actor *ac;
	const zb_duty_report *r;
	int64_t id;
} dfile_ctx;

static int dfile_row(zb_db *db, void *ctx, const zb_attach_saved *f, zb_err *e)
{
	dfile_ctx *c = ctx;
	int rc = zb_db_int(db, e, &c->id,
	                   "INSERT INTO duty_report_files (report_id, org_path, kind, filename, size, sm3, stored_name, "
	                   "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "isssissIi", c->r->id, c->r->org_path, f->kind, f->name, (int64_t)f->len, f->sm3, f->stored,
	                   c->ac->user_id, zb_now(c->app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "file_id", c->id);
	jw_kstr(w, "kind", f->kind);
	return audit_duty(db, c->app, c->ac, "duty.file_add", c->r->id, c->r->org_path, &d, e);
}

int zb_duty_upload(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const char *filename, const void *data,
                   size_t len, zb_arena *ar, zb_duty_file *out, zb_err *e)
{
	zb_duty_report r;
	int rc = zb_duty_get(db, id, ar, &r, e);
	if (rc)
		return rc;
	if (r.grade)
		return zb_fail(e, ZB_ECONFLICT, NULL, "述职已评定，不能再添加附件");
	dfile_ctx c = {app, ac, &r, 0};
	zb_attach_saved f;
	if ((rc = zb_attach_save_row(db, app->data_dir, filename, data, len, dfile_row, &c, &f, e)))
		return rc;
	out->id = c.id;
	out->kind = f.kind;
	out->filename = zb_arena_strdup(ar, f.name);
	out->size = (int64_t)len;
	out->url = zb_arena_printf(ar, "/api/v1/duty-report-files/%lld", (long long)out->id);
	return 0;
}

static void read_stored(zb_stmt *st, void *ctx)
{
	void **c = ctx;
	zb_arena *ar = c[0];
	for (int i = 0; i < 3; i++)
		*(const char **)c[i + 1] = zb_arena_strdup(ar, zb_col_text(st, i));
}

int zb_duty_file_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                      const char **stored_name, zb_err *e)
{
	void *c[4] = {ar, kind, filename, stored_name};
	return zb_db_one(db, e, "未找到该附件", read_stored, c,
	                 "SELECT kind, filename, stored_name FROM duty_report_files WHERE id = ?", "i", id);
}

/* ---- the level above's list ---- */

typedef struct list_ctx {
	zb_arena *ar;
	zb_duty_item *items;
	size_t n, cap;
} list_ctx;

static int read_item(zb_stmt *st, void *ctx, zb_err *e)
{
	list_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->items, c->n, c->cap);
	zb_duty_item *it = &c->items[c->n++];
	it->org_id = zb_col_int(st, 0);
	it->org_name = zb_arena_strdup(c->ar, zb_col_text(st, 1));
	it->member_id = zb_col_int(st, 2);
	it->member_name = zb_arena_strdup(c->ar, zb_col_text(st, 3));
	it->report_id = zb_col_is_null(st, 4) ? 0 : zb_col_int(st, 4);
	it->filed_on = zb_arena_strdup(c->ar, zb_col_text(st, 5));
	it->grade = zb_arena_strdup(c->ar, zb_col_text(st, 6));
	it->org_path = zb_arena_strdup(c->ar, zb_col_text(st, 7));
	it->status = !it->report_id ? "not_filed" : it->grade ? "rated" : "filed";
	return 0;
}

int zb_duty_list(zb_db *db, const char *path, int year, zb_arena *ar, zb_duty_item **out, int *n, zb_err *e)
{
	char y0[11], y1[11], upper[512];
	snprintf(y0, sizeof y0, "%04d-01-01", year);
	snprintf(y1, sizeof y1, "%04d-12-31", year);
	zb_path_upper(path, upper, sizeof upper);
	list_ctx c = {ar, NULL, 0, 0};
	int rc = zb_db_each(
		db, e, read_item, &c,
		"SELECT o.id, o.name, m.id, m.name, d.id, d.filed_on, d.grade, o.path FROM "
		"(SELECT DISTINCT org_id, member_id FROM committee_posts WHERE post = 'secretary' AND member_id IS NOT NULL "
		"AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)) p "
		"JOIN orgs o ON o.id = p.org_id JOIN members m ON m.id = p.member_id "
		"LEFT JOIN duty_reports d ON d.org_id = p.org_id AND d.member_id = p.member_id AND d.year = ? "
		"WHERE o.path >= ? AND o.path < ? ORDER BY o.path, m.id",
		"ssiss", y1, y0, (int64_t)year, path, upper);
	*out = c.items;
	*n = (int)c.n;
	return rc;
}
