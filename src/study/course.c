/* course.c - courses published to a subtree, who studied them, the quiz
 * and its import.  See course.h. */
#include "study/course.h"

#include "core/date.h"
#include "core/grow.h"
#include "io/sheet.h"
#include "meeting/attach.h"
#include "member/import.h"
#include "member/member.h"
#include "org/org.h"
#include "study/study.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define COURSE_COLS                                                                                     \
	"c.id, c.org_id, c.org_path, o.name, c.title, c.body, c.link, c.published_on, c.hours10, c.pass_mark, " \
	"(SELECT COUNT(*) FROM course_questions q WHERE q.course_id = c.id), c.file_kind, c.file_name, "       \
	"c.file_stored, c.file_size"
#define COURSE_FROM " FROM courses c JOIN orgs o ON o.id = c.org_id "

static void read_course(zb_stmt *st, zb_arena *a, zb_course *c)
{
	memset(c, 0, sizeof *c);
	c->id = zb_col_int(st, 0);
	c->org_id = zb_col_int(st, 1);
	c->org_path = zb_arena_strdup(a, zb_col_text(st, 2));
	c->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	c->title = zb_arena_strdup(a, zb_col_text(st, 4));
	c->body = zb_arena_strdup(a, zb_col_text(st, 5));
	c->link = zb_arena_strdup(a, zb_col_text(st, 6));
	c->published_on = zb_arena_strdup(a, zb_col_text(st, 7));
	c->hours10 = (int)zb_col_int(st, 8);
	c->pass_mark = (int)zb_col_int(st, 9);
	c->nquestions = (int)zb_col_int(st, 10);
	c->file_kind = zb_arena_strdup(a, zb_col_text(st, 11));
	c->file_name = zb_arena_strdup(a, zb_col_text(st, 12));
	c->file_stored = zb_arena_strdup(a, zb_col_text(st, 13));
	c->file_size = zb_col_int(st, 14);
	c->score = -1;
}

typedef struct clist {
	zb_arena *a;
	zb_course *v;
	int n;
	size_t cap;
	int mine;                          /* + studied_on, score, attempts */
} clist;

static int on_course(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	clist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_course *c = &l->v[l->n++];
	read_course(st, l->a, c);
	if (l->mine) {
		c->studied_on = zb_arena_strdup(l->a, zb_col_text(st, 15));
		c->score = zb_col_is_null(st, 16) ? -1 : (int)zb_col_int(st, 16);
		c->attempts = (int)zb_col_int(st, 17);
	}
	return 0;
}

static int valid_link(const char *s)
{
	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			return 0;
	return 1;
}

static int publish_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_course_in *in, const zb_org *o,
                         const char *title, const char *kind, const char *name, const char *stored, zb_arena *a,
                         int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO courses (org_id, org_path, title, body, link, hours10, pass_mark, published_on, "
	                   "file_kind, file_name, file_stored, file_size, created_by, created_at) "
	                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "issssiissssIIi", o->id, o->path, title, in->body, in->link, (int64_t)in->hours10,
	                   (int64_t)in->pass_mark, today, kind, name, stored[0] ? stored : NULL,
	                   stored[0] ? (int64_t)in->len : 0, by ? by->user_id : 0,
	                   zb_now(app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "title", title);
	jw_kstr(w, "hours", zb_study_hours_text(in->hours10, a));
	if (kind)
		jw_kstr(w, "file", kind);
	return zb_audit_change_detail(db, app, by, "study.course.publish", "course", *id, o->path, &d, e);
}

int zb_course_publish(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_course_in *in, zb_arena *a,
                      int64_t *id, zb_err *e)
{
	zb_org o;
	int rc = zb_org_get(db, in->org_id, a, &o, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到该组织");
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o.name);
	const char *title = in->title ? zb_member_clean(a, in->title) : NULL;
	if (!title || !*title || strlen(title) > 200)
		return zb_fail(e, ZB_EINVAL, "title", "请填写课程名称（至多 200 字节）");
	if (in->body && strlen(in->body) > 20000)
		return zb_fail(e, ZB_EINVAL, "body", "课程内容至多 20000 字节");
	if (in->link && *in->link && (strlen(in->link) > 1000 || !valid_link(in->link)))
		return zb_fail(e, ZB_EINVAL, "link", "链接应以 http:// 或 https:// 开头，不含空格");
	if (in->hours10 <= 0 || in->hours10 > 240)
		return zb_fail(e, ZB_EINVAL, "hours", "课程学时应大于 0、不超过 24");
	if (in->pass_mark < 1 || in->pass_mark > 100)
		return zb_fail(e, ZB_EINVAL, "pass_mark", "及格分应为 1 到 100 之间的整数（百分制）");
	if (!in->data && (!in->body || !*in->body) && (!in->link || !*in->link))
		return zb_fail(e, ZB_EINVAL, "body", "请填写课程内容，或给出链接，或上传 PDF");
	const char *kind = NULL;
	char name[ZB_ATTACH_NAME_MAX + 1] = "", sm3[65], stored[33] = "";
	if (in->data) {
		if ((rc = zb_attach_save_file(app->data_dir, in->filename, in->data, in->len, &kind, name, sm3, stored, e)))
			return rc;
		if (strcmp(kind, "pdf")) {
			zb_attach_remove_file(app->data_dir, stored);
			return zb_fail(e, ZB_EMEDIA, "file", "课程材料应为 PDF 文件");
		}
	}
	if ((rc = zb_db_begin_write(db, e)) ||
	    (rc = zb_db_end(db, publish_in_tx(db, app, by, in, &o, title, kind, kind ? name : NULL, stored, a, id, e), e))) {
		if (stored[0])
			zb_attach_remove_file(app->data_dir, stored);
		return rc;
	}
	return 0;
}

/* The deeper of two paths one of which lies under the other. */
static const char *deeper(const char *a, const char *b)
{
	return strlen(a) >= strlen(b) ? a : b;
}

static int counts_of(zb_db *db, zb_course *c, const char *path, zb_err *e)
{
	char upper[512];
	const char *p = deeper(path, c->org_path);
	zb_path_upper(p, upper, sizeof upper);
	int rc = zb_db_int(db, e, &c->assigned,
	                   "SELECT COUNT(*) FROM members WHERE org_path >= ? AND org_path < ? "
	                   "AND status IN ('normal', 'mobile', 'abroad')",
	                   "ss", p, upper);
	if (!rc)
		rc = zb_db_int(db, e, &c->studied,
		               "SELECT COUNT(*) FROM course_studies cs JOIN members mb ON mb.id = cs.member_id "
		               "WHERE cs.course_id = ? AND cs.studied_on IS NOT NULL AND mb.org_path >= ? AND mb.org_path < ? "
		               "AND mb.status IN ('normal', 'mobile', 'abroad')",
		               "iss", c->id, p, upper);
	return rc;
}

int zb_course_get(zb_db *db, int64_t id, const char *path, zb_arena *a, zb_course *out, zb_err *e)
{
	clist l = {.a = a};
	int rc = zb_db_each(db, e, on_course, &l, "SELECT " COURSE_COLS COURSE_FROM "WHERE c.id = ?", "i", id);
	if (rc)
		return rc;
	/* seen from path: published there, above it or in its subtree */
	if (!l.n || (strncmp(path, l.v[0].org_path, strlen(l.v[0].org_path)) &&
	             strncmp(l.v[0].org_path, path, strlen(path))))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该课程");
	*out = l.v[0];
	return counts_of(db, out, path, e);
}

int zb_course_list(zb_db *db, const char *path, zb_arena *a, zb_course **items, int *n, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	clist l = {.a = a};
	int rc = zb_db_each(db, e, on_course, &l,
	                    "SELECT " COURSE_COLS COURSE_FROM
	                    "WHERE (c.org_path >= ? AND c.org_path < ?) OR substr(CAST(? AS TEXT), 1, length(c.org_path)) = c.org_path "
	                    "ORDER BY c.published_on DESC, c.id DESC LIMIT 200",
	                    "sss", path, upper, path);
	for (int i = 0; !rc && i < l.n; i++)
		rc = counts_of(db, &l.v[i], path, e);
	*items = l.v;
	*n = l.n;
	return rc;
}

#define MINE_SQL                                                                                          \
	"SELECT " COURSE_COLS ", cs.studied_on, cs.score, COALESCE(cs.attempts, 0)" COURSE_FROM                \
	"JOIN members mb ON mb.id = ? LEFT JOIN course_studies cs ON cs.course_id = c.id AND cs.member_id = mb.id " \
	"WHERE substr(mb.org_path, 1, length(c.org_path)) = c.org_path "

int zb_course_mine(zb_db *db, int64_t member_id, zb_arena *a, zb_course **items, int *n, zb_err *e)
{
	clist l = {.a = a, .mine = 1};
	int rc = zb_db_each(db, e, on_course, &l, MINE_SQL "ORDER BY c.published_on DESC, c.id DESC LIMIT 200", "i",
	                    member_id);
	*items = l.v;
	*n = l.n;
	return rc;
}

int zb_course_for_member(zb_db *db, int64_t course_id, int64_t member_id, zb_arena *a, zb_course *out, zb_err *e)
{
	clist l = {.a = a, .mine = 1};
	int rc = zb_db_each(db, e, on_course, &l, MINE_SQL "AND c.id = ?", "ii", member_id, course_id);
	if (rc)
		return rc;
	if (!l.n)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该课程");
	*out = l.v[0];
	return 0;
}

typedef struct slist {
	zb_arena *a;
	zb_course_study *v;
	int n;
	size_t cap;
} slist;

static int on_study(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	slist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_course_study *s = &l->v[l->n++];
	s->member_id = zb_col_int(st, 0);
	s->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	s->org_name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	s->studied_on = zb_arena_strdup(l->a, zb_col_text(st, 3));
	s->score = zb_col_is_null(st, 4) ? -1 : (int)zb_col_int(st, 4);
	s->attempts = (int)zb_col_int(st, 5);
	return 0;
}

int zb_course_studies(zb_db *db, int64_t course_id, const char *path, zb_arena *a, zb_course_study **items, int *n,
                      zb_err *e)
{
	zb_course c;
	int rc = zb_course_get(db, course_id, path, a, &c, e);
	if (rc)
		return rc;
	char upper[512];
	const char *p = deeper(path, c.org_path);
	zb_path_upper(p, upper, sizeof upper);
	slist l = {.a = a};
	rc = zb_db_each(db, e, on_study, &l,
	                "SELECT mb.id, mb.name, o.name, cs.studied_on, cs.score, COALESCE(cs.attempts, 0) FROM members mb "
	                "JOIN orgs o ON o.id = mb.org_id LEFT JOIN course_studies cs ON cs.course_id = ? "
	                "AND cs.member_id = mb.id WHERE mb.org_path >= ? AND mb.org_path < ? "
	                "AND mb.status IN ('normal', 'mobile', 'abroad') "
	                "ORDER BY CASE WHEN cs.studied_on IS NULL THEN 1 ELSE 0 END, mb.org_path, mb.sort_key, mb.id LIMIT 1000",
	                "iss", course_id, p, upper);
	*items = l.v;
	*n = l.n;
	return rc;
}

/* ---- studied ---------------------------------------------------------------------------- */

static int mark_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                      zb_arena *a, zb_err *e)
{
	zb_course c;
	int rc = zb_course_for_member(db, course_id, member_id, a, &c, e);
	if (rc)
		return rc;
	if (c.nquestions)
		return zb_fail(e, ZB_ECONFLICT, NULL, "本课程有测验：测验合格即记为已学");
	if (c.studied_on)
		return 0;
	char today[11];
	zb_today(app, today);
	if ((rc = zb_db_run(db, e, NULL,
	                    "INSERT INTO course_studies (course_id, member_id, studied_on, updated_at) VALUES (?,?,?,?)", "iisi",
	                    course_id, member_id, today, zb_now(app))))
		return rc;
	const char *path = NULL;
	zb_text_buf t = {zb_arena_alloc(a, 512), 512};
	if (!(rc = zb_db_one(db, e, NULL, zb_row_text, &t, "SELECT org_path FROM members WHERE id = ?", "i", member_id)))
		path = t.out;
	return rc ? rc : zb_audit_change(db, app, by, "study.course.studied", "course", course_id, path,
	                                 zb_arena_printf(a, "{\"member_id\":%lld}", (long long)member_id), e);
}

int zb_course_mark(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                   zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, mark_in_tx(db, app, by, course_id, member_id, a, e), e);
}

/* ---- the quiz --------------------------------------------------------------------------- */

typedef struct qlist {
	zb_arena *a;
	zb_quiz_q *v;
	int n;
	size_t cap;
} qlist;

static int on_q(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	qlist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_quiz_q *q = &l->v[l->n++];
	memset(q, 0, sizeof *q);
	q->id = zb_col_int(st, 0);
	q->pos = (int)zb_col_int(st, 1);
	q->multiple = !strcmp(zb_col_text(st, 2), "multiple");
	q->text = zb_arena_strdup(l->a, zb_col_text(st, 3));
	json_t *o = json_loads(zb_col_text(st, 4), 0, NULL);
	for (size_t i = 0; i < json_array_size(o) && q->nopt < ZB_QUIZ_MAX_OPTIONS; i++)
		q->options[q->nopt++] = zb_arena_strdup(l->a, json_string_value(json_array_get(o, i)));
	json_decref(o);
	q->answer = zb_arena_strdup(l->a, zb_col_text(st, 5));
	return 0;
}

int zb_quiz_questions(zb_db *db, int64_t course_id, zb_arena *a, zb_quiz_q **qs, int *n, zb_err *e)
{
	qlist l = {.a = a};
	int rc = zb_db_each(db, e, on_q, &l,
	                    "SELECT id, pos, kind, text, options, answer FROM course_questions WHERE course_id = ? ORDER BY pos",
	                    "i", course_id);
	*qs = l.v;
	*n = l.n;
	return rc;
}

int zb_quiz_letters(const char *in, int nopt, char *out)
{
	int seen[ZB_QUIZ_MAX_OPTIONS] = {0}, any = 0;
	for (const unsigned char *p = (const unsigned char *)in; p && *p; p++) {
		int c = *p;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c >= 'A' && c <= 'Z') {
			if (c - 'A' >= nopt || c - 'A' >= ZB_QUIZ_MAX_OPTIONS)
				return -1;
			seen[c - 'A'] = 1;
			any = 1;
		} else if (c < 0x80 && c != ' ' && c != ',' && c != ';' && c != '/') {
			return -1; /* separators: space , ; / and any full-width one (、，) */
		}
	}
	if (!any)
		return -1;
	int k = 0;
	for (int i = 0; i < ZB_QUIZ_MAX_OPTIONS; i++)
		if (seen[i])
			out[k++] = (char)('A' + i);
	out[k] = '\0';
	return 0;
}

int zb_quiz_score(const zb_quiz_q *qs, int n, const char *const *answers, int nanswers, int *right)
{
	if (n <= 0)
		return 0;
	int ok = 0;
	for (int i = 0; i < n; i++) {
		char got[ZB_QUIZ_MAX_OPTIONS + 1];
		int r = i < nanswers && answers[i] && !zb_quiz_letters(answers[i], qs[i].nopt, got) &&
		        !strcmp(got, qs[i].answer) && (qs[i].multiple || strlen(got) == 1);
		if (right)
			right[i] = r;
		ok += r;
	}
	return (ok * 200 + n) / (2 * n); /* half up */
}

typedef struct best {
	int found, score;
	const char *studied_on;
	zb_arena *a;
} best;

static void read_best(zb_stmt *st, void *ctx)
{
	best *b = ctx;
	b->found = 1;
	b->score = zb_col_is_null(st, 0) ? -1 : (int)zb_col_int(st, 0);
	b->studied_on = zb_arena_strdup(b->a, zb_col_text(st, 1));
}

static int submit_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                        const char *const *answers, int nanswers, zb_arena *a, zb_quiz_result *out, zb_err *e)
{
	zb_course c;
	int rc = zb_course_for_member(db, course_id, member_id, a, &c, e);
	if (rc)
		return rc;
	zb_quiz_q *qs;
	int n;
	if ((rc = zb_quiz_questions(db, course_id, a, &qs, &n, e)))
		return rc;
	if (!n)
		return zb_fail(e, ZB_ECONFLICT, NULL, "本课程没有测验");
	if (nanswers != n)
		return zb_fail(e, ZB_EINVAL, "answers", "请回答全部 %d 道题（收到 %d 个答案）", n, nanswers);
	memset(out, 0, sizeof *out);
	out->n = n;
	out->right = zb_arena_alloc(a, sizeof(int) * (size_t)n);
	out->score = zb_quiz_score(qs, n, answers, nanswers, out->right);
	for (int i = 0; i < n; i++)
		out->right_count += out->right[i];
	out->pass_mark = c.pass_mark;
	out->passed = out->score >= c.pass_mark;
	char today[11];
	zb_today(app, today);
	best b = {.a = a};
	rc = zb_db_one(db, e, NULL, read_best, &b,
	               "SELECT score, studied_on FROM course_studies WHERE course_id = ? AND member_id = ?", "ii", course_id,
	               member_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const char *studied = b.studied_on ? b.studied_on : out->passed ? today : NULL;
	int keep = b.score > out->score ? b.score : out->score;
	if (b.found)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE course_studies SET studied_on = ?, score = ?, attempts = attempts + 1, updated_at = ? "
		               "WHERE course_id = ? AND member_id = ?",
		               "siiii", studied, (int64_t)keep, zb_now(app), course_id, member_id);
	else
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO course_studies (course_id, member_id, studied_on, score, attempts, updated_at) "
		               "VALUES (?,?,?,?,1,?)",
		               "iisii", course_id, member_id, studied, (int64_t)keep, zb_now(app));
	if (rc)
		return rc;
	out->studied_on = zb_arena_strdup(a, studied);
	zb_text_buf t = {zb_arena_alloc(a, 512), 512};
	if ((rc = zb_db_one(db, e, NULL, zb_row_text, &t, "SELECT org_path FROM members WHERE id = ?", "i", member_id)))
		return rc;
	return zb_audit_change(db, app, by, "study.quiz.submit", "course", course_id, t.out,
	                       zb_arena_printf(a, "{\"member_id\":%lld,\"score\":%d,\"passed\":%s}", (long long)member_id,
	                                       out->score, out->passed ? "true" : "false"),
	                       e);
}

int zb_quiz_submit(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, int64_t member_id,
                   const char *const *answers, int nanswers, zb_arena *a, zb_quiz_result *out, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, submit_in_tx(db, app, by, course_id, member_id, answers, nanswers, a, out, e), e);
}

/* ---- the quiz sheet --------------------------------------------------------------------- */

static void qproblem(const char **errs, int *nerr, zb_arena *a, const char *msg)
{
	if (*nerr < 4)
		errs[(*nerr)++] = zb_arena_strdup(a, msg);
}

void zb_quiz_row_parse(const char *text, const char *kind, const char *const *opts, const char *answer, zb_arena *a,
                       zb_quiz_q *q, const char **errs, int *nerr)
{
	memset(q, 0, sizeof *q);
	if (!text || !*text)
		qproblem(errs, nerr, a, "缺少题目");
	else if (strlen(text) > 1000)
		qproblem(errs, nerr, a, "题目至多 1000 字节");
	q->text = text;
	if (!kind || !*kind || !strcmp(kind, "单选") || !strcmp(kind, "单选题") || !strcmp(kind, "single"))
		q->multiple = 0;
	else if (!strcmp(kind, "多选") || !strcmp(kind, "多选题") || !strcmp(kind, "multiple"))
		q->multiple = 1;
	else
		qproblem(errs, nerr, a, zb_arena_printf(a, "题型“%s”应为 单选 或 多选", kind));
	int gap = 0;
	for (int i = 0; i < ZB_QUIZ_MAX_OPTIONS; i++) {
		if (!opts[i] || !*opts[i]) {
			gap = 1;
			continue;
		}
		if (gap) {
			qproblem(errs, nerr, a, "选项应从 A 起连续填写");
			break;
		}
		if (strlen(opts[i]) > 500) {
			qproblem(errs, nerr, a, "选项至多 500 字节");
			break;
		}
		q->options[q->nopt++] = opts[i];
	}
	if (q->nopt < 2)
		qproblem(errs, nerr, a, "至少需要两个选项（A、B）");
	char letters[ZB_QUIZ_MAX_OPTIONS + 1];
	if (!answer || !*answer)
		qproblem(errs, nerr, a, "缺少答案");
	else if (zb_quiz_letters(answer, q->nopt, letters))
		qproblem(errs, nerr, a, zb_arena_printf(a, "答案“%s”应为选项字母（A 到 %c）", answer, 'A' + (q->nopt ? q->nopt - 1 : 0)));
	else if (!q->multiple && strlen(letters) != 1)
		qproblem(errs, nerr, a, zb_arena_printf(a, "单选题只能有一个答案，写的是“%s”", answer));
	else
		q->answer = zb_arena_strdup(a, letters);
}

enum { QC_TEXT = 0, QC_KIND, QC_A, QC_B, QC_C, QC_D, QC_E, QC_F, QC_ANSWER, QC_COUNT };

static int qcol(const char *h)
{
	static const struct {
		int col;
		const char *names[4];
	} cols[] = {
		{QC_TEXT, {"题目", "题干", "试题", "问题"}},
		{QC_KIND, {"题型", "类型", "题目类型"}},
		{QC_A, {"A", "选项A", "A选项"}},
		{QC_B, {"B", "选项B", "B选项"}},
		{QC_C, {"C", "选项C", "C选项"}},
		{QC_D, {"D", "选项D", "D选项"}},
		{QC_E, {"E", "选项E", "E选项"}},
		{QC_F, {"F", "选项F", "F选项"}},
		{QC_ANSWER, {"答案", "正确答案", "标准答案"}},
	};
	char buf[128];
	const char *s = zb_import_header_key(h, buf, sizeof buf);
	for (size_t i = 0; s && i < sizeof cols / sizeof cols[0]; i++)
		for (int j = 0; j < 4 && cols[i].names[j]; j++)
			if (!strcasecmp(cols[i].names[j], s))
				return cols[i].col;
	return -1;
}

int zb_quiz_set(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, const zb_quiz_q *qs, int n,
                zb_err *e)
{
	char path[512] = "";
	zb_text_buf t = {path, sizeof path};
	int rc = zb_db_one(db, e, "未找到该课程", zb_row_text, &t, "SELECT org_path FROM courses WHERE id = ?", "i",
	                   course_id);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM course_questions WHERE course_id = ?", "i", course_id);
	for (int i = 0; !rc && i < n; i++) {
		json_t *o = json_array();
		for (int k = 0; k < qs[i].nopt; k++)
			json_array_append_new(o, json_string(qs[i].options[k]));
		char *opts = json_dumps(o, JSON_COMPACT);
		json_decref(o);
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO course_questions (course_id, pos, kind, text, options, answer) VALUES (?,?,?,?,?,?)",
		               "iissss", course_id, (int64_t)(i + 1), qs[i].multiple ? "multiple" : "single", qs[i].text,
		               opts, qs[i].answer);
		free(opts);
	}
	char detail[40];
	snprintf(detail, sizeof detail, "{\"questions\":%d}", n);
	return rc ? rc : zb_audit_change(db, app, by, "study.quiz.set", "course", course_id, path, detail, e);
}

static int replace_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, const zb_quiz_sheet *q,
                         zb_arena *a, zb_err *e)
{
	zb_quiz_q *qs = zb_arena_alloc(a, sizeof *qs * (size_t)(q->nrows + 1));
	for (int i = 0; i < q->nrows; i++)
		qs[i] = q->rows[i].q;
	return zb_quiz_set(db, app, by, course_id, qs, q->nrows, e);
}

int zb_quiz_import(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t course_id, const void *data, size_t len,
                   const zb_table_limits *limits, int commit, zb_arena *a, zb_quiz_sheet *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	zb_table_limits lim;
	zb_table_limits_resolve(limits, &lim);
	int rc = zb_sheet_check_size(&lim, len, e);
	if (rc)
		return rc;
	zb_sheet sh = {.arena = a, .col = qcol, .key_col = QC_TEXT, .hint = "“题目”“题型”“A”“B”“答案”"};
	if ((rc = zb_sheet_read(&sh, data, len, &lim, e)))
		goto done;
	out->header_row = sh.header_row;
	int have[QC_COUNT] = {0};
	for (int i = 0; i < sh.ncols; i++)
		if (sh.col_map[i] >= 0)
			have[sh.col_map[i]] = 1;
	if (!have[QC_TEXT] || !have[QC_A] || !have[QC_B] || !have[QC_ANSWER]) {
		rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行表头应有“题目”“A”“B”“答案”列（可另有“题型”和 C 到 F）",
		             sh.header_row);
		goto done;
	}
	size_t cap = 0;
	for (int k = 0; k < sh.n; k++) {
		const zb_sheet_row *sr = &sh.rows[k];
		const char *v[QC_COUNT] = {0};
		int blank = 1;
		for (int i = 0; i < sr->n; i++)
			if (sh.col_map[i] >= 0 && sr->cells[i][0] && !v[sh.col_map[i]]) {
				v[sh.col_map[i]] = zb_member_clean(a, sr->cells[i]);
				blank &= !v[sh.col_map[i]] || !*v[sh.col_map[i]];
			}
		if (blank)
			continue;
		if (out->nrows == ZB_QUIZ_MAX_QUESTIONS) {
			rc = zb_fail(e, ZB_EINVAL, "file", "一门课程的测验至多 %d 道题", ZB_QUIZ_MAX_QUESTIONS);
			goto done;
		}
		ZB_AGROW(a, out->rows, (size_t)out->nrows + 1, cap);
		zb_quiz_row *r = &out->rows[out->nrows++];
		memset(r, 0, sizeof *r);
		r->rownum = sr->rownum;
		zb_quiz_row_parse(v[QC_TEXT], v[QC_KIND], &v[QC_A], v[QC_ANSWER], a, &r->q, r->errors, &r->nerr);
		out->nerrors += r->nerr > 0;
	}
	if (!out->nrows) {
		rc = zb_fail(e, ZB_EINVAL, "file", "文件中表头（第 %d 行）以下没有题目", sh.header_row);
		goto done;
	}
	if (!commit)
		goto done;
	for (int i = 0; i < out->nrows; i++)
		if (out->rows[i].nerr) {
			rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行：%s（有错误的行改正后再导入，未导入任何题目）",
			             out->rows[i].rownum, out->rows[i].errors[0]);
			goto done;
		}
	if (!(rc = zb_db_begin_write(db, e)))
		rc = zb_db_end(db, replace_in_tx(db, app, by, course_id, out, a, e), e);
done:
	zb_sheet_free(&sh);
	return rc;
}
