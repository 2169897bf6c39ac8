/* appraisal.c - 民主评议党员 and 谈心谈话 coverage (see appraisal.h). */
#include "meeting/appraisal.h"
#include "auth/authz.h"
#include "core/jw.h"
#include "core/grow.h"
#include "meeting/mdate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const gcode[ZB_G_COUNT] = {"excellent", "qualified", "basically_qualified", "unqualified"};
static const char *const gname[ZB_G_COUNT] = {"优秀", "合格", "基本合格", "不合格"};

const char *zb_grade_code(int g)
{
	return g >= 0 && g < ZB_G_COUNT ? gcode[g] : NULL;
}

const char *zb_grade_name(int g)
{
	return g >= 0 && g < ZB_G_COUNT ? gname[g] : NULL;
}

int zb_grade_from(const char *s)
{
	for (int g = 0; s && g < ZB_G_COUNT; g++)
		if (!strcmp(s, gcode[g]) || !strcmp(s, gname[g]))
			return g;
	return ZB_G_NONE;
}

int zb_grade_from_votes(const int64_t v[ZB_G_COUNT])
{
	int64_t total = 0, cum = 0;
	for (int g = 0; g < ZB_G_COUNT; g++)
		total += v[g];
	if (total <= 0)
		return ZB_G_NONE;
	for (int g = 0; g < ZB_G_COUNT; g++) {
		cum += v[g];
		if (cum * 2 > total)
			return g;
	}
	return ZB_G_UNQUALIFIED;
}

int zb_grade_cap(int n, double cap)
{
	/* floor, with a little slack so 0.3 x 10 is 3 and not 2.9999 */
	return (int)floor((double)n * cap + 1e-9);
}

static const char *year_end_or_today(int year, const char *today, char buf[11])
{
	snprintf(buf, 11, "%04u-12-31", (unsigned)year % 10000u);
	return strcmp(buf, today) < 0 ? buf : today;
}

int zb_appraisal_find(zb_db *db, int64_t org_id, int year, int64_t *id, zb_err *e)
{
	*id = 0;
	int rc = zb_db_int(db, e, id, "SELECT id FROM appraisals WHERE org_id = ? AND year = ?", "ii", org_id, (int64_t)year);
	if (rc == ZB_ENOTFOUND) {
		zb_err_clear(e);
		*id = 0;
		return 0;
	}
	return rc;
}

int zb_appraisal_open(zb_db *db, int64_t org_id, const char *org_path, int year, const char *today,
                      int64_t meeting_id, int64_t now, int64_t *id, zb_err *e)
{
	int rc = zb_appraisal_find(db, org_id, year, id, e);
	if (rc)
		return rc;
	if (meeting_id) {
		int64_t ok = 0;
		char y0[11], y1[11];
		snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)year % 10000u);
		snprintf(y1, sizeof y1, "%04u-12-31", (unsigned)year % 10000u);
		if ((rc = zb_db_int(db, e, &ok,
		                    "SELECT COUNT(*) FROM meetings WHERE id = ? AND org_id = ? AND type = 'appraisal' "
		                    "AND held_on >= ? AND held_on <= ?",
		                    "iiss", meeting_id, org_id, y0, y1)))
			return rc;
		if (!ok)
			return zb_fail(e, ZB_EINVAL, "meeting_id", "所选会议不是本支部 %d 年的民主评议党员会议", year);
	}
	if (*id) {
		if (meeting_id)
			rc = zb_db_run(db, e, NULL, "UPDATE appraisals SET meeting_id = ?, updated_at = ? WHERE id = ?", "iii",
			               meeting_id, now, *id);
		return rc;
	}
	char buf[11];
	const char *date = year_end_or_today(year, today, buf);
	zb_mrules r;
	if ((rc = zb_mrules_get(db, org_path, date, &r, e)))
		return rc;
	if ((rc = zb_db_int(db, e, id,
	                    "INSERT INTO appraisals (org_id, org_path, year, meeting_id, status, created_at, updated_at) "
	                    "VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
	                    "isiIii", org_id, org_path, (int64_t)year, meeting_id, now, now)))
		return rc;
	char upper[512];
	zb_path_upper(org_path, upper, sizeof upper);
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO appraisal_items (appraisal_id, member_id, updated_at) "
	                 "SELECT CAST(? AS BIGINT), mb.id, CAST(? AS BIGINT) FROM members mb "
	                 "WHERE mb.org_path >= ? AND mb.org_path < ? AND (mb.join_date IS NULL OR mb.join_date <= ?) "
	                 "AND CAST(? AS TEXT) LIKE '%,' || mb.status || ',%'",
	                 "iissss", *id, now, org_path, upper, date, r.roster_statuses);
}

static void read_final(zb_stmt *st, void *ctx)
{
	*(int *)ctx = zb_col_text(st, 0) && !strcmp(zb_col_text(st, 0), "final");
}

static int check_final(zb_db *db, int64_t id, zb_err *e)
{
	int final = 0;
	int rc = zb_db_one(db, e, "未找到该民主评议", read_final, &final, "SELECT status FROM appraisals WHERE id = ?", "i",
	                   id);
	if (rc)
		return rc;
	if (final)
		return zb_fail(e, ZB_ECONFLICT, NULL, "民主评议已定档，不能再修改");
	return 0;
}

/* The name of a member of the appraisal's list (errors name people, never
 * ids), or a neutral phrase for anyone else. */
static const char *item_name(zb_db *db, int64_t appraisal_id, int64_t member_id, char *out, size_t cap)
{
	zb_err ign = {0};
	snprintf(out, cap, "所选党员");
	zb_text_buf b = {out, cap};
	zb_db_one(db, &ign, NULL, zb_row_text, &b,
	          "SELECT mb.name FROM appraisal_items ai JOIN members mb ON mb.id = ai.member_id "
	          "WHERE ai.appraisal_id = ? AND ai.member_id = ?",
	          "ii", appraisal_id, member_id);
	return out;
}

int zb_appraisal_set_items(zb_db *db, int64_t id, const zb_appraisal_item *items, int n, int64_t now, zb_err *e)
{
	int rc = check_final(db, id, e);
	if (rc)
		return rc;
	char field[64], nm[200];
	for (int i = 0; i < n; i++) {
		const zb_appraisal_item *it = &items[i];
		for (int j = 0; j < i; j++)
			if (items[j].member_id == it->member_id) {
				snprintf(field, sizeof field, "items[%d].member_id", i);
				return zb_fail(e, ZB_EINVAL, field, "%s 在名单中重复出现", item_name(db, id, it->member_id, nm, sizeof nm));
			}
		for (int g = 0; it->has_votes && g < ZB_G_COUNT; g++)
			if (it->votes[g] < 0 || it->votes[g] > 100000) {
				snprintf(field, sizeof field, "items[%d].votes.%s", i, gcode[g]);
				return zb_fail(e, ZB_EINVAL, field, "票数应为 0 到 100000 之间的整数");
			}
		if (it->grade != ZB_G_NONE) {
			int from_votes = it->has_votes ? zb_grade_from_votes(it->votes) : ZB_G_NONE;
			if (from_votes != it->grade && (!it->grade_note || !*it->grade_note)) {
				snprintf(field, sizeof field, "items[%d].grade_note", i);
				return zb_fail(e, ZB_EINVAL, field, "评定等次（%s）与测评票结果（%s）不同，须说明依据（如支部党员大会决定）",
				               gname[it->grade], from_votes == ZB_G_NONE ? "无票" : gname[from_votes]);
			}
		}
		int64_t changed = 0;
		if (it->has_votes)
			rc = zb_db_run(db, e, &changed,
			               "UPDATE appraisal_items SET self_assessment = COALESCE(?, self_assessment), v_excellent = ?, "
			               "v_qualified = ?, v_basic = ?, v_unqualified = ?, grade = ?, grade_note = ?, updated_at = ? "
			               "WHERE appraisal_id = ? AND member_id = ?",
			               "siiiissiii", it->self_assessment, it->votes[0], it->votes[1], it->votes[2], it->votes[3],
			               it->grade == ZB_G_NONE ? NULL : gcode[it->grade],
			               it->grade == ZB_G_NONE ? NULL : it->grade_note, now, id, it->member_id);
		else
			rc = zb_db_run(db, e, &changed,
			               "UPDATE appraisal_items SET self_assessment = COALESCE(?, self_assessment), "
			               "grade = ?, grade_note = ?, updated_at = ? WHERE appraisal_id = ? AND member_id = ?",
			               "sssiii", it->self_assessment, it->grade == ZB_G_NONE ? NULL : gcode[it->grade],
			               it->grade == ZB_G_NONE ? NULL : it->grade_note, now, id, it->member_id);
		if (rc)
			return rc;
		if (!changed) {
			snprintf(field, sizeof field, "items[%d].member_id", i);
			return zb_fail(e, ZB_EINVAL, field, "所选党员不在本次民主评议的党员名单中");
		}
	}
	return zb_db_run(db, e, NULL, "UPDATE appraisals SET updated_at = ? WHERE id = ?", "ii", now, id);
}

typedef struct fitem {
	int64_t member_id;
	const char *name;
	int64_t v[ZB_G_COUNT];
	int manual;      /* grade set by hand */
	int grade;
	const char *note;
} fitem;

static int cmp_excellent(const void *x, const void *y)
{
	const fitem *a = *(fitem *const *)x, *b = *(fitem *const *)y;
	/* more 优秀 votes (as a share of votes cast) keeps 优秀 first */
	int64_t ta = a->v[0] + a->v[1] + a->v[2] + a->v[3], tb = b->v[0] + b->v[1] + b->v[2] + b->v[3];
	int64_t l = a->v[0] * (tb ? tb : 1), r = b->v[0] * (ta ? ta : 1);
	if (l != r)
		return l > r ? -1 : 1;
	return a->member_id < b->member_id ? -1 : a->member_id > b->member_id;
}

#define SET_GRADES(SRC)                                                                                  \
	"UPDATE appraisal_items SET grade = r.j ->> 1, grade_note = r.j ->> 2, updated_at = ? FROM " SRC " AS r " \
	"WHERE appraisal_items.appraisal_id = ? AND appraisal_items.member_id = CAST(r.j ->> 0 AS BIGINT)"

typedef struct fitems {
	zb_arena *a;
	fitem *rows;
	size_t n, cap;
} fitems;

static int add_fitem(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	fitems *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	fitem *f = &l->rows[l->n++];
	f->member_id = zb_col_int(st, 0);
	f->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	for (int g = 0; g < ZB_G_COUNT; g++)
		f->v[g] = zb_col_int(st, 2 + g);
	int manual = zb_grade_from(zb_col_text(st, 6));
	f->manual = manual != ZB_G_NONE;
	f->grade = f->manual ? manual : zb_grade_from_votes(f->v);
	f->note = f->manual ? zb_arena_strdup(l->a, zb_col_text(st, 7)) : NULL;
	return 0;
}

int zb_appraisal_finalize(zb_db *db, int64_t id, const zb_mrules *r, int64_t by_user, int64_t now, zb_err *e)
{
	int rc = check_final(db, id, e);
	if (rc)
		return rc;
	zb_arena a;
	zb_arena_init(&a);
	fitems l = {.a = &a};
	rc = zb_db_each(db, e, add_fitem, &l,
	                "SELECT i.member_id, mb.name, i.v_excellent, i.v_qualified, i.v_basic, i.v_unqualified, "
	                "i.grade, i.grade_note FROM appraisal_items i JOIN members mb ON mb.id = i.member_id "
	                "WHERE i.appraisal_id = ? ORDER BY i.member_id",
	                "i", id);
	if (rc)
		goto out;
	fitem *it = l.rows;
	int n = (int)l.n;
	if (!n) {
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "民主评议没有党员，不能定档");
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (it[i].grade == ZB_G_NONE) {
			rc = zb_fail(e, ZB_ECONFLICT, "items", "%s 还没有测评票，也没有评定等次，不能定档", it[i].name);
			goto out;
		}
	int allowed = zb_grade_cap(n, r->excellent_cap), manual_exc = 0, voted_exc = 0;
	for (int i = 0; i < n; i++)
		if (it[i].grade == ZB_G_EXCELLENT)
			it[i].manual ? manual_exc++ : voted_exc++;
	if (manual_exc > allowed) {
		rc = zb_fail(e, ZB_ECONFLICT, "items", "评定为优秀的有 %d 人，超过优秀比例上限（%d 人中最多 %d 人，%.0f%%）", manual_exc, n,
		             allowed, r->excellent_cap * 100);
		goto out;
	}
	if (manual_exc + voted_exc > allowed) {
		fitem **v = zb_arena_alloc(&a, sizeof *v * (size_t)voted_exc);
		int k = 0;
		for (int i = 0; i < n; i++)
			if (it[i].grade == ZB_G_EXCELLENT && !it[i].manual)
				v[k++] = &it[i];
		qsort(v, (size_t)k, sizeof *v, cmp_excellent);
		for (int i = allowed - manual_exc; i < k; i++) {
			v[i]->grade = ZB_G_QUALIFIED;
			v[i]->note = zb_arena_printf(&a, "测评为优秀，超出优秀比例上限（%.0f%%，%d 人中最多 %d 人），按得票排序定为合格",
			                             r->excellent_cap * 100, n, allowed);
		}
	}
	/* the grades, a few hundred members per UPDATE: [member, grade, note] */
	for (int i = 0; i < n && !rc; i += 500) {
		zb_buf b = {0};
		zb_jw w;
		jw_init(&w, &b);
		jw_arr(&w);
		for (int k = i; k < n && k < i + 500; k++) {
			jw_arr(&w);
			jw_int(&w, it[k].member_id);
			jw_str(&w, gcode[it[k].grade]);
			jw_str(&w, it[k].note);
			jw_arr_end(&w);
		}
		jw_arr_end(&w);
		if (jw_finish(&w))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		else
			rc = zb_db_run(db, e, NULL, zb_db_backend(db) == ZB_DB_PG ? SET_GRADES(ZB_JSON_ROWS_PG) : SET_GRADES(ZB_JSON_ROWS_SQLITE),
			               "isi", now, b.data, id);
		zb_buf_release(&b);
	}
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE appraisals SET status = 'final', excellent_cap = ?, finalized_at = ?, finalized_by = ?, "
		               "updated_at = ? WHERE id = ?",
		               "diIii", r->excellent_cap, now, by_user, now, id);
out:
	zb_arena_free(&a);
	return rc;
}

static void write_votes(zb_jw *w, zb_stmt *st, int c0)
{
	jw_kobj(w, "votes");
	for (int g = 0; g < ZB_G_COUNT; g++)
		jw_kint(w, gcode[g], zb_col_int(st, c0 + g));
	jw_obj_end(w);
}

static void write_header(zb_stmt *st, void *ctx)
{
	zb_jw *w = ctx;
	jw_obj(w);
	jw_kint(w, "id", zb_col_int(st, 0));
	jw_kint(w, "org_id", zb_col_int(st, 1));
	jw_kstr(w, "org_name", zb_col_text(st, 2));
	jw_kint(w, "year", zb_col_int(st, 3));
	if (zb_col_is_null(st, 4))
		jw_knull(w, "meeting_id");
	else
		jw_kint(w, "meeting_id", zb_col_int(st, 4));
	jw_kstr(w, "status", zb_col_text(st, 5));
	if (zb_col_is_null(st, 6))
		jw_knull(w, "excellent_cap");
	else
		jw_kdouble(w, "excellent_cap", zb_col_double(st, 6));
	if (zb_col_is_null(st, 7))
		jw_knull(w, "finalized_at");
	else
		jw_kint(w, "finalized_at", zb_col_int(st, 7));
	jw_kint(w, "created_at", zb_col_int(st, 8));
	jw_kint(w, "updated_at", zb_col_int(st, 9));
}

typedef struct item_json {
	zb_jw *w;
	int counts[ZB_G_COUNT], n;
} item_json;

static int write_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	item_json *x = ctx;
	zb_jw *w = x->w;
	int64_t v[ZB_G_COUNT];
	for (int g = 0; g < ZB_G_COUNT; g++)
		v[g] = zb_col_int(st, 4 + g);
	int grade = zb_grade_from(zb_col_text(st, 8));
	int by_votes = zb_grade_from_votes(v);
	jw_obj(w);
	jw_kint(w, "member_id", zb_col_int(st, 0));
	jw_kstr(w, "name", zb_col_text(st, 1));
	jw_kstr(w, "category", zb_col_text(st, 2));
	jw_kstr(w, "self_assessment", zb_col_text(st, 3));
	write_votes(w, st, 4);
	jw_kstr(w, "grade_by_votes", zb_grade_code(by_votes));
	jw_kstr(w, "grade", zb_grade_code(grade));
	jw_kstr(w, "grade_name", zb_grade_name(grade));
	jw_kstr(w, "grade_note", zb_col_text(st, 9));
	jw_obj_end(w);
	if (grade != ZB_G_NONE)
		x->counts[grade]++;
	x->n++;
	return 0;
}

int zb_appraisal_write(zb_db *db, int64_t id, zb_jw *w, zb_err *e)
{
	int rc = zb_db_one(db, e, "未找到该民主评议", write_header, w,
	                   "SELECT a.id, a.org_id, o.name, a.year, a.meeting_id, a.status, a.excellent_cap, "
	                   "a.finalized_at, a.created_at, a.updated_at FROM appraisals a JOIN orgs o ON o.id = a.org_id "
	                   "WHERE a.id = ?",
	                   "i", id);
	if (rc)
		return rc;
	item_json x = {.w = w};
	jw_karr(w, "items");
	if ((rc = zb_db_each(db, e, write_item, &x,
	                     "SELECT i.member_id, mb.name, mb.category, i.self_assessment, i.v_excellent, i.v_qualified, "
	                     "i.v_basic, i.v_unqualified, i.grade, i.grade_note FROM appraisal_items i "
	                     "JOIN members mb ON mb.id = i.member_id WHERE i.appraisal_id = ? ORDER BY mb.sort_key, mb.id",
	                     "i", id)))
		return rc;
	jw_arr_end(w);
	jw_kint(w, "total", x.n);
	jw_kobj(w, "grade_counts");
	for (int g = 0; g < ZB_G_COUNT; g++)
		jw_kint(w, gcode[g], x.counts[g]);
	jw_obj_end(w);
	jw_obj_end(w);
	return 0;
}

static int write_member_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_jw *w = ctx;
	int grade = zb_grade_from(zb_col_text(st, 5));
	jw_obj(w);
	jw_kint(w, "appraisal_id", zb_col_int(st, 0));
	jw_kint(w, "year", zb_col_int(st, 1));
	jw_kint(w, "org_id", zb_col_int(st, 2));
	jw_kstr(w, "org_name", zb_col_text(st, 3));
	jw_kstr(w, "status", zb_col_text(st, 4));
	jw_kstr(w, "grade", zb_grade_code(grade));
	jw_kstr(w, "grade_name", zb_grade_name(grade));
	jw_kstr(w, "grade_note", zb_col_text(st, 6));
	jw_kstr(w, "self_assessment", zb_col_text(st, 7));
	write_votes(w, st, 8);
	if (zb_col_is_null(st, 12))
		jw_knull(w, "meeting_id");
	else
		jw_kint(w, "meeting_id", zb_col_int(st, 12));
	jw_obj_end(w);
	return 0;
}

int zb_appraisal_member_json(zb_db *db, int64_t member_id, zb_jw *w, zb_err *e)
{
	jw_arr(w);
	int rc = zb_db_each(db, e, write_member_item, w,
	                    "SELECT a.id, a.year, a.org_id, o.name, a.status, i.grade, i.grade_note, i.self_assessment, "
	                    "i.v_excellent, i.v_qualified, i.v_basic, i.v_unqualified, a.meeting_id "
	                    "FROM appraisal_items i JOIN appraisals a ON a.id = i.appraisal_id JOIN orgs o ON o.id = a.org_id "
	                    "WHERE i.member_id = ? ORDER BY a.year DESC, a.id DESC",
	                    "i", member_id);
	jw_arr_end(w);
	return rc;
}

/* ---- 谈心谈话 coverage ---- */

typedef struct person {
	int64_t id;
	const char *name;
	int64_t group_id;
	int committee;
} person;

static int add_pair(zb_talk_coverage *c, size_t *cap, zb_arena *a, const person *x, const person *y, const char *kind)
{
	int64_t lo = x->id < y->id ? x->id : y->id, hi = x->id < y->id ? y->id : x->id;
	for (int i = 0; i < c->npairs; i++)
		if (c->pairs[i].a_id == lo && c->pairs[i].b_id == hi)
			return 0;
	ZB_AGROW(a, c->pairs, (size_t)c->npairs, *cap);
	zb_talk_pair *p = &c->pairs[c->npairs++];
	p->a_id = lo;
	p->b_id = hi;
	p->a_name = x->id == lo ? x->name : y->name;
	p->b_name = x->id == lo ? y->name : x->name;
	p->kind = kind;
	p->done = 0;
	return 0;
}

/* The roster of the coverage, committee members flagged. */
typedef struct people {
	zb_arena *a;
	zb_talk_coverage *out;
	person *rows;
	size_t n, cap;
} people;

static int add_person(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	people *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	person *p = &l->rows[l->n++];
	p->id = zb_col_int(st, 0);
	p->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	p->group_id = zb_col_int(st, 2);
	p->committee = zb_col_is_null(st, 3) ? 0 : (int)zb_col_int(st, 3);
	if (p->committee == 1 && !l->out->secretary_id)
		l->out->secretary_id = p->id;
	if (p->committee)
		l->out->ncommittee++;
	return 0;
}

/* A talk recorded (talk_a_id, talk_b_id): its pair is done. */
static int mark_talk(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_talk_coverage *out = ctx;
	int64_t x = zb_col_int(st, 0), y = zb_col_int(st, 1);
	int64_t lo = x < y ? x : y, hi = x < y ? y : x;
	for (int i = 0; i < out->npairs; i++)
		if (out->pairs[i].a_id == lo && out->pairs[i].b_id == hi)
			out->pairs[i].done = 1;
	return 0;
}

int zb_talk_coverage_compute(zb_db *db, int64_t org_id, const char *org_path, int year, const char *today,
                             const zb_mrules *r, zb_arena *a, zb_talk_coverage *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	char buf[11], y0[11], upper[512];
	const char *date = year_end_or_today(year, today, buf);
	snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)year % 10000u);
	zb_path_upper(org_path, upper, sizeof upper);

	/* the roster, committee members flagged (secretary first) */
	people l = {.a = a, .out = out};
	int rc = zb_db_each(db, e, add_person, &l,
	                    "SELECT mb.id, mb.name, COALESCE(mb.group_id, 0), "
	                    "(SELECT MIN(CASE WHEN cp.post = 'secretary' THEN 1 ELSE 2 END) FROM committee_posts cp "
	                    "WHERE cp.org_id = ? AND cp.member_id = mb.id AND cp.started_on <= ? "
	                    "AND (cp.ended_on IS NULL OR cp.ended_on >= ?)) "
	                    "FROM members mb WHERE mb.org_path >= ? AND mb.org_path < ? "
	                    "AND (mb.join_date IS NULL OR mb.join_date <= ?) AND CAST(? AS TEXT) LIKE '%,' || mb.status || ',%' "
	                    "ORDER BY mb.id",
	                    "issssss", org_id, date, date, org_path, upper, date, r->roster_statuses);
	if (rc)
		return rc;
	person *ps = l.rows;
	int n = (int)l.n;
	const person *sec = NULL;
	for (int i = 0; i < n; i++)
		if (ps[i].id == out->secretary_id)
			sec = &ps[i];
	size_t pcap = 0;
	for (int i = 0; i < n; i++) {
		if (!ps[i].committee)
			continue;
		for (int j = i + 1; j < n; j++) {
			if (!ps[j].committee)
				continue;
			int with_sec = sec && (&ps[i] == sec || &ps[j] == sec);
			if (r->talk_committee_pairs || (r->talk_secretary && with_sec))
				add_pair(out, &pcap, a, &ps[i], &ps[j], with_sec ? "secretary" : "committee");
		}
	}
	if (strcmp(r->talk_members_under, "none")) {
		int by_group = !strcmp(r->talk_members_under, "group_or_secretary");
		for (int i = 0; i < n; i++) {
			if (ps[i].committee)
				continue;
			int found = 0;
			for (int j = 0; by_group && ps[i].group_id && j < n; j++)
				if (ps[j].committee && ps[j].group_id == ps[i].group_id) {
					add_pair(out, &pcap, a, &ps[j], &ps[i], "member");
					found = 1;
				}
			if (!found && sec)
				add_pair(out, &pcap, a, sec, &ps[i], "member");
		}
	}
	/* talks recorded at the branch that year */
	if ((rc = zb_db_each(db, e, mark_talk, out,
	                     "SELECT talk_a_id, talk_b_id FROM meetings WHERE org_id = ? AND type = 'talk' AND held_on >= ? "
	                     "AND held_on <= ? AND talk_a_id IS NOT NULL AND talk_b_id IS NOT NULL",
	                     "iss", org_id, y0, date)))
		return rc;
	for (int i = 0; i < out->npairs; i++)
		out->ndone += out->pairs[i].done;
	return 0;
}

typedef struct branch_row {
	zb_arena *a;
	int ok; /* a 党支部 of some kind */
	const char *name;
} branch_row;

static void read_branch(zb_stmt *st, void *ctx)
{
	branch_row *b = ctx;
	const char *t = zb_col_text(st, 0);
	b->ok = t && (!strcmp(t, "branch") || !strcmp(t, "joint_branch") || !strcmp(t, "temp_branch") ||
	              !strcmp(t, "online_branch"));
	b->name = zb_arena_strdup(b->a, zb_col_text(st, 1));
}

int zb_appraisal_branch_only(zb_db *db, int64_t org_id, zb_arena *a, zb_err *e)
{
	branch_row b = {a, 0, NULL};
	int rc = zb_db_one(db, e, NULL, read_branch, &b, "SELECT type, name FROM orgs WHERE id = ?", "i", org_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	const char *name = b.name;
	if (!b.ok)
		return zb_fail(e, ZB_EINVAL, "org_id", "%s 不是党支部：民主评议和谈心谈话以党支部为单位", name ? name : "该组织");
	return 0;
}

int zb_appraisal_save(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *org_path, int year,
                      const char *today, int64_t meeting_id, const zb_appraisal_item *items, int n, int64_t now,
                      zb_arena *a, int64_t *id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_appraisal_open(db, org_id, org_path, year, today, meeting_id, now, id, e);
	if (!rc && n)
		rc = zb_appraisal_set_items(db, *id, items, n, now, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "appraisal.update", "appraisal", *id, org_path,
		                     zb_arena_printf(a, "{\"year\":%d,\"items\":%d}", year, n), e);
	return zb_db_end(db, rc, e);
}

int zb_appraisal_close(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, const char *org_path, int year,
                       const zb_mrules *r, int64_t now, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_appraisal_finalize(db, id, r, by->user_id, now, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "appraisal.finalize", "appraisal", id, org_path,
		                     zb_arena_printf(a, "{\"year\":%d,\"excellent_cap\":%.4f}", year, r->excellent_cap), e);
	return zb_db_end(db, rc, e);
}
