/* review.c - 一述职、两测评、四联考 of a 驻村工作队 held on the platform
 * (village/village.h, docs/REVIEWS.md): the evaluation opened by the level
 * above, one-time codes for the two 测评 and the anonymous public vote,
 * the report's and the four examiners' scores, the final score by the
 * rule, and the outcomes that follow from it. */
#include "village/village.h"
#include "village/vint.h"
#include "auth/auth.h"
#include "core/date.h"
#include "core/grow.h"
#include "crypto/fieldprot.h"
#include "reserve/reserve.h"
#include "review/review.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The name the guess throttle counts wrong codes under (no account can
 * be called this: '#' is not allowed in a login name). */
#define VOTE_THROTTLE "#测评码"
#define CODE_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXYZ" /* no 0/O, 1/I */
#define CODE_CHARS 10
#define MAX_CODES 500

static int day_ok(zb_app *app, const char *d, const char *field, const char *label, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	if (!d || !zb_date_valid(d) || strcmp(d, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "请填写%s（YYYY-MM-DD，不晚于今天）", label);
	return 0;
}

/* ---- opening ---- */

int zb_vreview_open(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t team_id, int year,
                    const char *report_on, const char *summary, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_vteam t;
	int64_t above = 0, typed = 0;
	int rc = zb_vteam_get(db, team_id, ar, &t, e);
	if (rc || (rc = zb_review_above(who, t.org_path, "驻村工作队考核", &above, e)) ||
	    (rc = day_ok(app, report_on, "report_on", "述职日期", e)))
		return rc;
	if (!summary || !*summary || strlen(summary) > 8000)
		return zb_fail(e, ZB_EINVAL, "report_summary", "请填写述职摘要（最多 8000 字节）");
	if (year < 2000 || year > 2200 || atoi(report_on) < year)
		return zb_fail(e, ZB_EINVAL, "year", "考核年度应为 2000 到 2200 之间，且不晚于述职日期");
	if ((rc = zb_db_int(db, e, &typed, "SELECT COUNT(*) FROM village_evaluations WHERE team_id = ? AND year = ?", "ii",
	                    team_id, (int64_t)year)))
		return rc;
	if (typed)
		return zb_fail(e, ZB_ECONFLICT, "year", "%s 的 %d 年度考核已经录入", t.name, year);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO village_reviews (team_id, org_path, year, report_on, report_summary, created_by, "
	               "created_at) VALUES (?,?,?,?,?,?,?) RETURNING id",
	               "isissIi", team_id, t.org_path, (int64_t)year, report_on, summary, ac->user_id, zb_now(app));
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "year", "%s 的 %d 年度考核已经开始", t.name, year);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "review_id", *id);
		jw_kint(w, "year", year);
		jw_kstr(w, "report_on", report_on);
		rc = zb_vaudit(db, app, ac, "vreview.open", "village_team", team_id, t.org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- reading ---- */

#define REVIEW_COLS                                                                                            \
	"r.id, r.team_id, t.org_id, r.year, r.org_path, o.name, t.name, r.report_on, r.report_summary, r.status, " \
	"r.finalised_on, r.grade, COALESCE(r.final_score, 0), COALESCE(r.finalised_by, 0) "                       \
	"FROM village_reviews r JOIN village_teams t ON t.id = r.team_id JOIN orgs o ON o.id = t.org_id "

typedef struct review_list {
	zb_arena *ar;
	zb_vreview *items;
	size_t n, cap;
} review_list;

static void read_review(zb_stmt *st, zb_arena *ar, zb_vreview *v)
{
	memset(v, 0, sizeof *v);
#define T(c) zb_arena_strdup(ar, zb_col_text(st, c))
	v->id = zb_col_int(st, 0);
	v->team_id = zb_col_int(st, 1);
	v->org_id = zb_col_int(st, 2);
	v->year = (int)zb_col_int(st, 3);
	v->org_path = T(4);
	v->org_name = T(5);
	v->team_name = T(6);
	v->report_on = T(7);
	v->report_summary = T(8);
	v->status = T(9);
	v->finalised_on = T(10);
	v->grade = T(11);
#undef T
	v->final_score = zb_col_double(st, 12);
	v->finalised_by = zb_col_int(st, 13);
}

static void read_review_one(zb_stmt *st, void *ctx)
{
	review_list *l = ctx;
	read_review(st, l->ar, l->items);
}

static int read_review_many(zb_stmt *st, void *ctx, zb_err *e)
{
	review_list *l = ctx;
	(void)e;
	ZB_AGROW(l->ar, l->items, l->n, l->cap);
	read_review(st, l->ar, &l->items[l->n++]);
	return 0;
}

static int read_round(zb_stmt *st, void *ctx, zb_err *e)
{
	zb_vreview *v = ctx;
	(void)e;
	int r = !strcmp(zb_col_text(st, 0), "villagers");
	const char *what = zb_col_text(st, 1);
	int64_t n = zb_col_int(st, 2);
	if (!strcmp(what, "#codes"))
		v->rounds[r].codes = n;
	else if (!strcmp(what, "#used"))
		v->rounds[r].used = n;
	else if (zb_vgrade_index(what) >= 0)
		v->rounds[r].votes[zb_vgrade_index(what)] = n;
	return 0;
}

typedef struct exam_list {
	zb_arena *ar;
	zb_vreview *v;
	size_t n, cap;
} exam_list;

static int read_exam(zb_stmt *st, void *ctx, zb_err *e)
{
	exam_list *l = ctx;
	(void)e;
	ZB_AGROW(l->ar, l->v->exams, l->n, l->cap);
	zb_vreview_exam *x = &l->v->exams[l->n++];
	l->v->nexams = (int)l->n;
	x->examiner = zb_arena_strdup(l->ar, zb_col_text(st, 0));
	x->score = (int)zb_col_int(st, 1);
	x->examiner_name = zb_arena_strdup(l->ar, zb_col_text(st, 2));
	x->note = zb_arena_strdup(l->ar, zb_col_text(st, 3));
	x->entered_by = zb_col_int(st, 4);
	x->entered_at = zb_col_int(st, 5);
	return 0;
}

/* The counts of the two rounds and the scores entered. */
static int review_parts(zb_db *db, zb_vreview *v, zb_arena *ar, zb_err *e)
{
	int rc = zb_db_each(db, e, read_round, v,
	                    "SELECT round, '#codes', COUNT(*) FROM village_review_codes WHERE review_id = ? GROUP BY round "
	                    "UNION ALL SELECT round, '#used', COUNT(*) FROM village_review_codes WHERE review_id = ? "
	                    "AND used = 1 GROUP BY round "
	                    "UNION ALL SELECT round, grade, COUNT(*) FROM village_review_votes WHERE review_id = ? "
	                    "GROUP BY round, grade",
	                    "iii", v->id, v->id, v->id);
	exam_list x = {ar, v, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_exam, &x,
		                "SELECT examiner, score, examiner_name, note, COALESCE(entered_by, 0), entered_at "
		                "FROM village_review_exams WHERE review_id = ? ORDER BY id",
		                "i", v->id);
	return rc;
}

typedef struct outcome_ctx {
	zb_arena *ar;
	zb_vreview *v;
	size_t n, cap;
} outcome_ctx;

static int read_review_outcome(zb_stmt *st, void *ctx, zb_err *e)
{
	outcome_ctx *c = ctx;
	(void)e;
	ZB_AGROW(c->ar, c->v->outcomes, c->n, c->cap);
	zb_voutcome *o = &c->v->outcomes[c->n++];
	c->v->noutcomes = (int)c->n;
	memset(o, 0, sizeof *o);
	o->id = zb_col_int(st, 0);
	o->cadre_id = zb_col_int(st, 1);
	o->cadre_name = zb_arena_strdup(c->ar, zb_col_text(st, 2));
	o->kind = zb_arena_strdup(c->ar, zb_col_text(st, 3));
	o->on_date = zb_arena_strdup(c->ar, zb_col_text(st, 4));
	o->decided_by = zb_arena_strdup(c->ar, zb_col_text(st, 5));
	o->reason = zb_arena_strdup(c->ar, zb_col_text(st, 6));
	o->review_id = c->v->id;
	o->review_year = c->v->year;
	return 0;
}

int zb_vreview_get(zb_db *db, int64_t id, zb_arena *ar, zb_vreview *v, zb_err *e)
{
	review_list l = {ar, v, 0, 0};
	int rc = zb_db_one(db, e, "未找到该考核", read_review_one, &l, "SELECT " REVIEW_COLS "WHERE r.id = ?", "i", id);
	if (!rc)
		rc = review_parts(db, v, ar, e);
	outcome_ctx o = {ar, v, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_review_outcome, &o,
		                "SELECT o.id, o.cadre_id, c.name, o.kind, o.on_date, o.decided_by, o.reason FROM cadre_outcomes o "
		                "JOIN cadres c ON c.id = o.cadre_id WHERE o.review_id = ? ORDER BY o.on_date, o.id",
		                "i", id);
	return rc;
}

int zb_vreview_of_team(zb_db *db, int64_t team_id, zb_arena *ar, zb_vreview **out, int *n, zb_err *e)
{
	review_list l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_review_many, &l, "SELECT " REVIEW_COLS "WHERE r.team_id = ? ORDER BY r.year DESC",
	                    "i", team_id);
	*out = l.items;
	*n = (int)l.n;
	return rc;
}

/* An open evaluation the caller may run (the level above). */
static int open_review(zb_db *db, const zb_principal *who, int64_t id, zb_arena *ar, zb_vreview *v, zb_err *e)
{
	review_list l = {ar, v, 0, 0};
	int64_t above;
	int rc = zb_db_one(db, e, "未找到该考核", read_review_one, &l, "SELECT " REVIEW_COLS "WHERE r.id = ?", "i", id);
	if (rc || (rc = zb_review_above(who, v->org_path, "驻村工作队考核", &above, e)))
		return rc;
	if (strcmp(v->status, "open"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该考核已于 %s 结束", v->finalised_on);
	return 0;
}

/* ---- codes ---- */

/* "abcde-fghjk", " ABCDEFGHJK " -> "ABCDEFGHJK"; NULL when not a code. */
static int code_norm(const char *in, char out[CODE_CHARS + 1])
{
	int n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		char c = (char)toupper((unsigned char)*p);
		if (n == CODE_CHARS || !strchr(CODE_ALPHABET, c) || !c)
			return 0;
		out[n++] = c;
	}
	out[n] = '\0';
	return n == CODE_CHARS;
}

static int code_digest(zb_app *app, const char *norm, char out[65], zb_err *e)
{
	char v[CODE_CHARS + 8];
	snprintf(v, sizeof v, "vote:%s", norm);
	if (zb_fp_blind_index(app->keys, v, out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法计算测评码摘要");
	return 0;
}

int zb_vreview_codes(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                     const char *round, int count, zb_arena *ar, const char ***codes, zb_err *e)
{
	zb_vreview v;
	const char *r = zb_vround_from(round);
	if (!r)
		return zb_fail(e, ZB_EINVAL, "round", "测评应为 cadres（乡镇干部测评）或 villagers（党员群众测评）");
	if (count < 1 || count > MAX_CODES)
		return zb_fail(e, ZB_EINVAL, "count", "测评码数量应为 1 到 %d", MAX_CODES);
	int rc = open_review(db, who, id, ar, &v, e);
	if (rc)
		return rc;
	const char **out = zb_arena_alloc(ar, sizeof *out * (size_t)count);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	for (int i = 0; !rc && i < count; i++) {
		char norm[CODE_CHARS + 1], dig[65];
		for (int k = 0; k < CODE_CHARS; k++)
			norm[k] = CODE_ALPHABET[randombytes_uniform(sizeof CODE_ALPHABET - 1)];
		norm[CODE_CHARS] = '\0';
		if ((rc = code_digest(app, norm, dig, e)))
			break;
		rc = zb_db_run(db, e, NULL, "INSERT INTO village_review_codes (review_id, round, code_hash) VALUES (?,?,?)",
		               "iss", id, r, dig);
		if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db)) {
			i--; /* 50 bits: a repeat is all but impossible; draw again */
			rc = 0;
			continue;
		}
		out[i] = zb_arena_printf(ar, "%.5s-%.5s", norm, norm + 5);
	}
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "review_id", id);
		jw_kstr(w, "round", r);
		jw_kint(w, "count", count);
		rc = zb_vaudit(db, app, ac, "vreview.codes", "village_team", v.team_id, v.org_path, &d, e);
	}
	if ((rc = zb_db_end(db, rc, e)))
		return rc;
	*codes = out;
	return 0;
}

/* ---- the public vote ---- */

typedef struct code_row {
	int64_t id, review_id, used;
	char round[16];
} code_row;

static void read_code(zb_stmt *st, void *ctx)
{
	code_row *c = ctx;
	c->id = zb_col_int(st, 0);
	c->review_id = zb_col_int(st, 1);
	snprintf(c->round, sizeof c->round, "%s", zb_col_text(st, 2) ? zb_col_text(st, 2) : "");
	c->used = zb_col_int(st, 3);
}

/* The code's row, throttled like a login: a malformed or unknown code is
 * a failure of the name VOTE_THROTTLE from ip. */
static int find_code(zb_db *db, zb_app *app, const char *code, const char *ip, code_row *c, zb_err *e)
{
	char norm[CODE_CHARS + 1], dig[65];
	int rc = zb_login_gate(app, db, VOTE_THROTTLE, ip, e);
	if (rc)
		return zb_fail(e, rc, NULL, "测评码输入错误次数过多，请稍后再试");
	int wellformed = code_norm(code, norm), found = wellformed && !code_digest(app, norm, dig, e);
	if (found) {
		rc = zb_db_one(db, e, NULL, read_code, c,
		               "SELECT id, review_id, round, used FROM village_review_codes WHERE code_hash = ?", "s", dig);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		found = !rc;
	}
	if (!found) {
		zb_err ig = {0};
		if (zb_login_failure(app, db, VOTE_THROTTLE, ip, &ig) == ZB_ELOCKED)
			return zb_fail(e, ZB_ELOCKED, NULL, "测评码输入错误次数过多，请稍后再试");
		if (!wellformed)
			return zb_fail(e, ZB_EINVAL, "code", "测评码应为 10 位字母和数字（如 AB3CD-EF4GH）");
		return zb_fail(e, ZB_ENOTFOUND, "code", "测评码无效，请核对后重新输入");
	}
	if (c->used)
		return zb_fail(e, ZB_ECONFLICT, "code", "该测评码已经使用过，每个测评码只能投票一次");
	return 0;
}

static int review_for_vote(zb_db *db, int64_t review_id, zb_arena *ar, zb_vreview *v, zb_err *e)
{
	review_list l = {ar, v, 0, 0};
	int rc = zb_db_one(db, e, "测评码无效，请核对后重新输入", read_review_one, &l, "SELECT " REVIEW_COLS "WHERE r.id = ?",
	                   "i", review_id);
	if (!rc && strcmp(v->status, "open"))
		rc = zb_fail(e, ZB_ECONFLICT, "code", "该考核已经结束，不能再投票");
	return rc;
}

int zb_vvote_check(zb_db *db, zb_app *app, const char *code, const char *ip, zb_arena *ar, zb_vreview *v,
                   const char **round, zb_err *e)
{
	code_row c;
	int rc = find_code(db, app, code, ip, &c, e);
	if (!rc)
		rc = review_for_vote(db, c.review_id, ar, v, e);
	if (!rc)
		*round = zb_vround_from(c.round);
	return rc;
}

int zb_vvote_cast(zb_db *db, zb_app *app, const char *code, const char *grade, const char *ip, zb_arena *ar, zb_err *e)
{
	const char *g = zb_vgrade_from(grade);
	if (!g)
		return zb_fail(e, ZB_EINVAL, "grade", "请选择评价：优秀、称职、基本称职 或 不称职");
	code_row c;
	zb_vreview v;
	int rc = find_code(db, app, code, ip, &c, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	/* open, looked at inside the write: a vote never lands after the
	 * evaluation was finalised with the counts it recorded */
	rc = review_for_vote(db, c.review_id, ar, &v, e);
	/* the code marked used and the vote stored apart: the vote names
	 * neither the code nor when, and no audit row is written (it would
	 * carry the time and address beside it) */
	int64_t changed = 0;
	if (!rc)
		rc = zb_db_run(db, e, &changed, "UPDATE village_review_codes SET used = 1 WHERE id = ? AND used = 0", "i", c.id);
	if (!rc && changed != 1)
		rc = zb_fail(e, ZB_ECONFLICT, "code", "该测评码已经使用过，每个测评码只能投票一次");
	/* a drawn id, not the next one: the order of the rows would
	 * otherwise line each vote up with the request log's time and
	 * address of the vote that cast it */
	for (int tries = 0; !rc; tries++) {
		uint64_t r64;
		randombytes_buf(&r64, sizeof r64);
		int64_t vid = (int64_t)((r64 >> 2) | ((uint64_t)1 << 40));
		rc = zb_db_run(db, e, NULL, "INSERT INTO village_review_votes (id, review_id, round, grade) VALUES (?,?,?,?)",
		               "iiss", vid, c.review_id, c.round, g);
		if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db) && tries < 8)
			rc = 0;
		else
			break;
	}
	return zb_db_end(db, rc, e);
}

/* ---- scores and the final ---- */

int zb_vreview_score(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                     const char *examiner, int score, const char *examiner_name, const char *note, zb_arena *ar,
                     zb_err *e)
{
	zb_vreview v;
	const char *x = zb_vexaminer_from(examiner);
	int rc;
	if (!x)
		return zb_fail(e, ZB_EINVAL, "examiner",
		               "评分方应为 report（述职）、county（县委组织部）、revival（乡村振兴部门）、township（乡镇党委）或 "
		               "unit（派出单位）");
	if (score < 0 || score > 100)
		return zb_fail(e, ZB_EINVAL, "score", "分数应为 0 到 100 之间的整数");
	if (!examiner_name || !*examiner_name || strlen(examiner_name) > 200)
		return zb_fail(e, ZB_EINVAL, "examiner_name", "请填写评分人（姓名或单位）");
	if (note && strlen(note) > 2000)
		return zb_fail(e, ZB_EINVAL, "note", "说明过长（最多 2000 字节）");
	if ((rc = open_review(db, who, id, ar, &v, e)) || (rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "INSERT INTO village_review_exams (review_id, examiner, score, examiner_name, note, entered_by, "
	               "entered_at) VALUES (?,?,?,?,?,?,?)",
	               "isissIi", id, x, (int64_t)score, examiner_name, note, ac->user_id, zb_now(app));
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "examiner", "%s的评分已经录入", zb_vexaminer_name(x));
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "review_id", id);
		jw_kstr(w, "examiner", x);
		jw_kint(w, "score", score);
		jw_kstr(w, "examiner_name", examiner_name);
		rc = zb_vaudit(db, app, ac, "vreview.score", "village_team", v.team_id, v.org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

static int64_t round_points(const zb_vwork_rules *r, const zb_vreview_round *x, int64_t *votes)
{
	int64_t p = 0;
	*votes = 0;
	for (int g = 0; g < 4; g++) {
		p += x->votes[g] * r->vote_points[g];
		*votes += x->votes[g];
	}
	return p;
}

static int finalise_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                          const char *on, zb_arena *ar, zb_vreview_result *out, zb_err *e)
{
	zb_vreview v;
	int rc = open_review(db, who, id, ar, &v, e);
	if (rc || (rc = review_parts(db, &v, ar, e)))
		return rc;
	if (strcmp(on, v.report_on) < 0)
		return zb_fail(e, ZB_EINVAL, "on", "考核完成日期不能早于述职日期 %s", v.report_on);
	zb_vreview_tally t = {0};
	static const char *const parts[] = {"report", "county", "revival", "township", "unit"};
	for (int p = 0; p < 5; p++) {
		int found = 0;
		for (int i = 0; i < v.nexams; i++)
			if (!strcmp(v.exams[i].examiner, parts[p])) {
				found = 1;
				if (p)
					t.exam_sum += v.exams[i].score;
				else
					t.report = v.exams[i].score;
			}
		if (!found)
			return zb_fail(e, ZB_ECONFLICT, NULL, "尚缺%s的评分，不能完成考核", zb_vexaminer_name(parts[p]));
	}
	zb_vwork_rules r;
	if ((rc = zb_vwork_rules_get(db, v.org_path, v.report_on, &r, e)))
		return rc;
	t.cadre_points = round_points(&r, &v.rounds[0], &t.cadre_votes);
	t.villager_points = round_points(&r, &v.rounds[1], &t.villager_votes);
	for (int k = 0; k < 2; k++)
		if (!(k ? t.villager_votes : t.cadre_votes))
			return zb_fail(e, ZB_ECONFLICT, NULL, "%s尚无投票，不能完成考核", zb_vround_name(k ? "villagers" : "cadres"));
	zb_vwork_review_score(&r, &t, out);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE village_reviews SET status = 'final', rating_cadres = ?, rating_villagers = ?, exams = ?, "
	                    "final_score = ?, grade = ?, finalised_on = ?, finalised_by = ? WHERE id = ? AND status = 'open'",
	                    "ddddssIi", out->rating_cadres / 100.0, out->rating_villagers / 100.0, out->exams / 100.0,
	                    out->final / 100.0, out->grade, on, ac->user_id, id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "review_id", id);
	jw_kint(w, "cadre_votes", t.cadre_votes);
	jw_kint(w, "villager_votes", t.villager_votes);
	jw_kdouble(w, "final_score", out->final / 100.0);
	jw_kstr(w, "grade", out->grade);
	return zb_vaudit(db, app, ac, "vreview.finalise", "village_team", v.team_id, v.org_path, &d, e);
}

int zb_vreview_finalise(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                        const char *on, zb_arena *ar, zb_vreview_result *out, zb_err *e)
{
	int rc = day_ok(app, on, "on", "考核完成日期", e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, finalise_in_tx(db, app, ac, who, id, on, ar, out, e), e);
}

/* ---- outcomes ---- */

typedef struct posting_of {
	int64_t id;
	int open;
	const char *path;
	zb_arena *ar;
} posting_of;

static void read_posting_of(zb_stmt *st, void *ctx)
{
	posting_of *p = ctx;
	p->id = zb_col_int(st, 0);
	p->open = zb_col_is_null(st, 1);
	p->path = zb_arena_strdup(p->ar, zb_col_text(st, 2));
}

static int outcome_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, const zb_vreview *v, const char *reach,
                         int64_t cadre_id, const char *kind, const char *on_date, const char *decided_by,
                         const char *reason, zb_arena *ar, int64_t *oid, int64_t *reserve_id, zb_err *e)
{
	posting_of p = {0, 0, NULL, ar};
	int rc = zb_db_one(db, e, NULL, read_posting_of, &p,
	                   "SELECT id, ended_on, org_path FROM village_postings WHERE cadre_id = ? AND team_id = ? "
	                   "ORDER BY started_on DESC, id DESC LIMIT 1",
	                   "ii", cadre_id, v->team_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "cadre_id", "该干部未在%s任职", v->team_name);
	if (rc)
		return rc;
	zb_audit_ev by = {.user_id = ac->user_id, .username = ac->username, .ip = ac->ip};
	*reserve_id = 0;
	if (!strcmp(kind, "disqualify")) {
		/* the same person in a reserve pool: by the cadre's ID number,
		 * as a villager or as a member; a pool under the deciding org
		 * only (not another township's) */
		char upper[512];
		zb_path_upper(reach, upper, sizeof upper);
		rc = zb_db_int(db, e, reserve_id,
		               "SELECT COALESCE(MIN(r.id), 0) FROM reserve_cadres r JOIN cadres c ON c.id = ? "
		               "LEFT JOIN members m ON m.id = r.member_id WHERE r.removed_on IS NULL AND c.id_index IS NOT NULL "
		               "AND (r.id_index = c.id_index OR m.id_index = c.id_index) AND r.org_path >= ? AND r.org_path < ?",
		               "iss", cadre_id, reach, upper);
		if (!rc && *reserve_id)
			rc = zb_reserve_remove_tx(db, app, &by, *reserve_id, on_date, "disqualified",
			                          zb_arena_printf(ar, "%d 年度驻村考核：%s", v->year, reason), ar, e);
	}
	if (!rc && !strcmp(kind, "recall") && p.open) {
		rc = zb_db_run(db, e, NULL,
		               "UPDATE village_postings SET ended_on = ?, end_reason = 'recalled', end_note = ?, updated_at = ? "
		               "WHERE id = ? AND ended_on IS NULL",
		               "ssii", on_date, reason, zb_now(app), p.id);
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "ended_on", on_date);
		jw_kstr(w, "reason", "recalled");
		jw_kint(w, "review_id", v->id);
		if (!rc)
			rc = zb_vaudit(db, app, ac, "vposting.end", "village_posting", p.id, p.path, &d, e);
		else
			zb_buf_release(&d.b);
	}
	zb_voutcome_row o = {.cadre_id = cadre_id, .posting_id = p.id, .review_id = v->id, .reserve_id = *reserve_id,
	                     .path = v->org_path, .kind = kind, .on_date = on_date, .reason = reason,
	                     .decided_by = decided_by};
	if (!rc)
		rc = zb_voutcome_insert(db, app, ac, &o, oid, e);
	return rc;
}

int zb_vreview_outcome(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                       int64_t cadre_id, const char *kind, const char *on_date, const char *decided_by,
                       const char *reason, zb_arena *ar, int64_t *outcome_id, int64_t *reserve_id, zb_err *e)
{
	zb_vreview v;
	review_list l = {ar, &v, 0, 0};
	int64_t above;
	const char *k = zb_voutcome_from(kind);
	int rc = zb_db_one(db, e, "未找到该考核", read_review_one, &l, "SELECT " REVIEW_COLS "WHERE r.id = ?", "i", id);
	if (rc || (rc = zb_review_above(who, v.org_path, "驻村工作队考核", &above, e)))
		return rc;
	if (strcmp(v.status, "final"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "考核尚未完成，不能据此作出处理");
	if (!k)
		return zb_fail(e, ZB_EINVAL, "kind", "处理应为 召回、问责、取消后备干部资格、约谈 或 通报派出单位");
	if ((rc = day_ok(app, on_date, "on_date", "处理日期", e)))
		return rc;
	if (strcmp(on_date, v.finalised_on) < 0)
		return zb_fail(e, ZB_EINVAL, "on_date", "处理日期不能早于考核完成日期 %s", v.finalised_on);
	if (!decided_by || !*decided_by || strlen(decided_by) > 200)
		return zb_fail(e, ZB_EINVAL, "decided_by", "请填写决定机关或决定人");
	if (!reason || !*reason || strlen(reason) > 2000)
		return zb_fail(e, ZB_EINVAL, "reason", "请填写原因（最多 2000 字节）");
	/* the deciding org's path: v.org_path up to "/<above>/" */
	char seg[32];
	snprintf(seg, sizeof seg, "/%lld/", (long long)above);
	const char *at = strstr(v.org_path, seg);
	const char *reach = at ? zb_arena_printf(ar, "%.*s", (int)(at - v.org_path) + (int)strlen(seg), v.org_path) : v.org_path;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, outcome_in_tx(db, app, ac, &v, reach, cadre_id, k, on_date, decided_by, reason, ar,
	                                   outcome_id, reserve_id, e),
	                 e);
}
