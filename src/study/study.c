/* study.c - a member's year of study and a subtree's list of who is
 * short: the rule kind "study", the hours of a meeting and of a training,
 * the items read from meetings, the pipeline, sessions and courses.  See
 * study.h. */
#include "study/study.h"

#include "core/date.h"
#include "core/grow.h"
#include "meeting/mdate.h"
#include "meeting/mrules.h"
#include "rules/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rule --------------------------------------------------------------------------- */

static const struct {
	const char *key, *what;
	int min10, max10;
	size_t off;
} skeys[] = {
	{"member_hours", "党员每年集中学习培训学时", 10, 2000, offsetof(zb_study_rules, member10)},
	{"leader_hours", "基层党组织书记和班子成员每年集中学习培训学时", 10, 2000, offsetof(zb_study_rules, leader10)},
	{"lecture_hours", "未填结束时间的党课计入学时", 5, 240, offsetof(zb_study_rules, lecture10)},
	{"theme_day_hours", "未填结束时间的主题党日计入学时", 5, 240, offsetof(zb_study_rules, theme_day10)},
	{"training_day_hours", "培训一天计入学时", 10, 240, offsetof(zb_study_rules, training_day10)},
	{"meeting_max_hours", "一次会议至多计入学时", 10, 240, offsetof(zb_study_rules, meeting_max10)},
};
#define NSKEYS (sizeof skeys / sizeof skeys[0])

void zb_study_rules_default(zb_study_rules *r)
{
	*r = (zb_study_rules){.member10 = 320, .leader10 = 560, .lecture10 = 20, .theme_day10 = 20,
	                      .training_day10 = 80, .meeting_max10 = 80};
}

/* A JSON number with at most one decimal into tenths; -1 when it is not. */
static int tenths_of(json_t *v)
{
	if (!json_is_number(v))
		return -1;
	double x = json_number_value(v) * 10;
	double r = round(x);
	if (fabs(x - r) > 1e-6 || r < 0 || r > 1e6)
		return -1;
	return (int)r;
}

int zb_study_rules_validate(json_t *data, zb_err *e)
{
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为对象");
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		size_t i = 0;
		while (i < NSKEYS && strcmp(skeys[i].key, key))
			i++;
		if (i < NSKEYS)
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return zb_fail(e, ZB_EINVAL, "data.source", "规则项 source（依据）应为不超过 400 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	for (size_t i = 0; i < NSKEYS; i++) {
		int t = tenths_of(json_object_get(data, skeys[i].key));
		if (t < skeys[i].min10 || t > skeys[i].max10) {
			char field[64];
			snprintf(field, sizeof field, "data.%s", skeys[i].key);
			return zb_fail(e, ZB_EINVAL, field, "规则项 %s（%s）应为 %g 到 %g 之间、至多一位小数的数", skeys[i].key,
			               skeys[i].what, skeys[i].min10 / 10.0, skeys[i].max10 / 10.0);
		}
	}
	if (tenths_of(json_object_get(data, "leader_hours")) < tenths_of(json_object_get(data, "member_hours")))
		return zb_fail(e, ZB_EINVAL, "data.leader_hours", "书记和班子成员的学时（leader_hours）不应少于党员的学时（member_hours）");
	return 0;
}

static void rules_from(const zb_rules *rs, const char *org_path, zb_study_rules *r)
{
	zb_study_rules_default(r);
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	for (size_t i = 0; s && i < NSKEYS; i++) {
		int t = tenths_of(json_object_get(s->data, skeys[i].key));
		if (t > 0)
			*(int *)((char *)r + skeys[i].off) = t;
	}
}

int zb_study_rules_get(zb_db *db, const char *org_path, const char *date, zb_study_rules *r, zb_err *e)
{
	zb_rules *rs;
	int rc = zb_rules_load(db, "study", date, &rs, e);
	if (rc)
		return rc;
	rules_from(rs, org_path, r);
	zb_rules_free(rs);
	return 0;
}

int zb_study_meeting_hours10(int type, int64_t start_at, int64_t end_at, const zb_study_rules *r)
{
	int h;
	if (end_at > start_at)
		h = (int)((end_at - start_at) / 1800) * 5; /* whole half hours */
	else
		h = type == ZB_MT_LECTURE ? r->lecture10 : r->theme_day10;
	return h > r->meeting_max10 ? r->meeting_max10 : h;
}

int zb_study_training_hours10(int days, int hours, const zb_study_rules *r)
{
	if (hours > 0)
		return hours * 10;
	return days > 0 ? days * r->training_day10 : 0;
}

int zb_study_ref_date(int year, const char *today, char out[11], zb_err *e)
{
	int now = atoi(today);
	if (year < 2000 || year > now)
		return zb_fail(e, ZB_EINVAL, "year", "年度应在 2000 到 %d 之间", now);
	if (year == now)
		snprintf(out, 11, "%s", today);
	else
		snprintf(out, 11, "%04u-12-31", (unsigned)year % 10000u);
	return 0;
}

static const struct {
	const char *code, *name;
} kinds[] = {
	{"lecture", "党课"},       {"theme_day", "主题党日"}, {"training", "发展对象集中培训"}, {"central", "集中学习"},
	{"remote", "远程教育"},    {"external", "外部学习"},  {"course", "课程学习"},
};

const char *zb_study_kind_name(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].code, kind))
			return kinds[i].name;
	return NULL;
}

const char *zb_study_hours_text(int hours10, zb_arena *a)
{
	return hours10 % 10 ? zb_arena_printf(a, "%d.%d", hours10 / 10, abs(hours10 % 10))
	                    : zb_arena_printf(a, "%d", hours10 / 10);
}

int zb_study_hours_parse(double hours, int max10, const char *field, int *hours10, zb_err *e)
{
	double x = hours * 10, r = round(x);
	if (!(hours > 0) || fabs(x - r) > 1e-6 || r > max10)
		return zb_fail(e, ZB_EINVAL, field, "学时应大于 0、不超过 %g，至多一位小数", max10 / 10.0);
	*hours10 = (int)r;
	return 0;
}

/* ---- the items of a year ------------------------------------------------------------------ */

/* The members a walk adds items to: one member, or every member of a
 * subtree (sorted by id, found by bsearch). */
typedef struct acc {
	zb_arena *a;
	const zb_rules *rs;
	int64_t one;                       /* one member: its id; else 0 */
	const char *one_path;
	zb_study_year *year;               /* one member's items */
	size_t cap;                        /* of year->items */
	char last_path[256];               /* the rules of the last org path asked */
	zb_study_rules last;
	zb_study_row *rows;                /* subtree: by member id */
	int n;
} acc;

static zb_study_row *row_of(acc *c, int64_t id)
{
	int lo = 0, hi = c->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (c->rows[mid].member_id == id)
			return &c->rows[mid];
		if (c->rows[mid].member_id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void add(acc *c, int64_t member_id, const char *date, const char *kind, const char *title,
                int hours10, const char *src, int64_t src_id, int64_t batch_id)
{
	if (!c->one) {
		zb_study_row *r = row_of(c, member_id);
		if (r)
			r->hours10 += hours10;
		return;
	}
	zb_study_year *y = c->year;
	ZB_AGROW(c->a, y->items, (size_t)y->n + 1, c->cap);
	zb_study_item *it = &y->items[y->n++];
	snprintf(it->date, sizeof it->date, "%s", date);
	it->kind = kind;
	it->title = zb_arena_strdup(c->a, title);
	it->hours10 = hours10;
	it->source = zb_arena_printf(c->a, "%s:%lld", src, (long long)src_id);
	it->source_id = src_id;
	it->batch_id = batch_id;
	y->hours10 += hours10;
}

/* The rules for a member's org path (the walk's rows come grouped by
 * org, so the last answer is kept). */
static const zb_study_rules *rules_at(acc *c, const char *member_path)
{
	const char *p = member_path ? member_path : c->one_path;
	if (!p || strcmp(p, c->last_path)) {
		rules_from(c->rs, p, &c->last);
		snprintf(c->last_path, sizeof c->last_path, "%s", p ? p : "");
	}
	return &c->last;
}

static int on_meeting(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	acc *c = ctx;
	int type = zb_mtype_from(zb_col_text(st, 2));
	int h = zb_study_meeting_hours10(type, zb_col_int(st, 3), zb_col_int(st, 4), rules_at(c, zb_col_text(st, 7)));
	const char *title = zb_col_text(st, 5);
	if (!title || !*title)
		title = zb_col_text(st, 6);
	if (!title || !*title)
		title = zb_mtype_name(type);
	add(c, zb_col_int(st, 0), zb_col_text(st, 8), type == ZB_MT_LECTURE ? "lecture" : "theme_day", title, h,
	    "meeting", zb_col_int(st, 1), 0);
	return 0;
}

static int on_training(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	acc *c = ctx;
	json_t *f = json_loads(zb_col_text(st, 3) ? zb_col_text(st, 3) : "{}", 0, NULL);
	json_t *d = json_object_get(f, "training_days"), *h = json_object_get(f, "training_hours");
	int hours10 = zb_study_training_hours10(json_is_integer(d) ? (int)json_integer_value(d) : 0,
	                                        json_is_integer(h) ? (int)json_integer_value(h) : 0,
	                                        rules_at(c, zb_col_text(st, 4)));
	json_decref(f);
	if (hours10 > 0)
		add(c, zb_col_int(st, 0), zb_col_text(st, 2), "training", "发展对象集中培训", hours10, "applicant",
		    zb_col_int(st, 1), 0);
	return 0;
}

static int on_session(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	acc *c = ctx;
	add(c, zb_col_int(st, 0), zb_col_text(st, 2), zb_arena_strdup(c->a, zb_col_text(st, 3)),
	    zb_col_text(st, 4), (int)zb_col_int(st, 5), "session", zb_col_int(st, 1), zb_col_int(st, 6));
	return 0;
}

static int on_course(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	acc *c = ctx;
	add(c, zb_col_int(st, 0), zb_col_text(st, 2), "course", zb_col_text(st, 3), (int)zb_col_int(st, 4),
	    "course", zb_col_int(st, 1), 0);
	return 0;
}

/* The WHERE of the members a walk covers: one member (?1 id) or a
 * subtree (?1 ?2 the path range) on the roster. */
#define ONE_MEMBER "mb.id = ?"
#define SUBTREE "mb.org_path >= ? AND mb.org_path < ? AND mb.status IN ('normal', 'mobile', 'abroad')"

static int walk(zb_db *db, acc *c, const char *from, const char *to, const char *who, int64_t id, const char *lo,
                const char *hi, zb_err *e)
{
	char sql[1024];
#define BIND()                                                                                        \
	(c->one ? zb_db_each(db, e, cb, c, sql, "iss", id, from, to) : zb_db_each(db, e, cb, c, sql, "ssss", lo, hi, from, to))
	int rc;
	zb_each_fn cb;
	/* 党课 and 主题党日 attended (a subtree: subtree_meetings) */
	if (c->one) {
		cb = on_meeting;
		snprintf(sql, sizeof sql,
		         "SELECT a.member_id, m.id, m.type, m.start_at, m.end_at, m.title, m.topic, mb.org_path, m.held_on "
		         "FROM meeting_attendance a JOIN members mb ON mb.id = a.member_id JOIN meetings m ON m.id = a.meeting_id "
		         "WHERE %s AND a.status = 'present' AND m.type IN ('lecture', 'theme_day') AND m.held_on >= ? "
		         "AND m.held_on <= ? ORDER BY m.held_on, m.id",
		         who);
		if ((rc = BIND()))
			return rc;
	}
	/* the 发展对象 集中培训 of the applicant the member was */
	cb = on_training;
	snprintf(sql, sizeof sql,
	         "SELECT mb.id, ap.id, s.done_on, s.facts, mb.org_path FROM applicants ap "
	         "JOIN members mb ON mb.id = ap.member_id JOIN applicant_steps s ON s.applicant_id = ap.id "
	         "WHERE %s AND s.step = 11 AND s.replaced_by IS NULL AND s.done_on >= ? AND s.done_on <= ? "
	         "ORDER BY s.done_on, s.id",
	         who);
	if ((rc = BIND()))
		return rc;
	/* sessions */
	cb = on_session;
	snprintf(sql, sizeof sql,
	         "SELECT t.member_id, s.id, s.held_on, s.kind, s.title, s.hours10, s.batch_id FROM study_attendees t "
	         "JOIN members mb ON mb.id = t.member_id JOIN study_sessions s ON s.id = t.session_id "
	         "WHERE %s AND s.held_on >= ? AND s.held_on <= ? ORDER BY s.held_on, s.id",
	         who);
	if ((rc = BIND()))
		return rc;
	/* courses studied */
	cb = on_course;
	snprintf(sql, sizeof sql,
	         "SELECT cs.member_id, c.id, cs.studied_on, c.title, c.hours10 FROM course_studies cs "
	         "JOIN members mb ON mb.id = cs.member_id JOIN courses c ON c.id = cs.course_id "
	         "WHERE %s AND cs.studied_on IS NOT NULL AND cs.studied_on >= ? AND cs.studied_on <= ? "
	         "ORDER BY cs.studied_on, c.id",
	         who);
	return BIND();
#undef BIND
}

/* ---- a subtree's 党课 and 主题党日 ---------------------------------------------------------- */

/* The subtree's sums read the attendance through its member index
 * (member_id, status, held_ym: the year's months only) and find each
 * meeting in memory among the subtree's meetings of those months, read
 * once by their path index: no lookup of the meeting per attendance row
 * (a county's year is some 370,000 rows).  A meeting outside the subtree
 * (a member at the township's 党课, or at the branch they left) is looked
 * up by its id afterwards, once per meeting.  The same rows and hours as
 * the one member's walk. */
typedef struct smeeting {
	int64_t id, start_at, end_at;
	int type;                          /* ZB_MT_LECTURE, ZB_MT_THEME_DAY; 0: not study, or not in the year */
} smeeting;

typedef struct sm_ctx {
	acc *c;
	zb_arena *a;
	const char *from, *to;             /* the year's days counted */
	smeeting *ms;                      /* by id */
	int n;
	size_t cap;
	struct pend {
		int64_t member_id, meeting_id;
		const char *path;
	} *pend;                           /* attendance at meetings outside the subtree */
	int npend;
	size_t pcap;
} sm_ctx;

static int study_type(const char *type, const char *held_on, const sm_ctx *s)
{
	int t = zb_mtype_from(type);
	if ((t != ZB_MT_LECTURE && t != ZB_MT_THEME_DAY) || !held_on || strcmp(held_on, s->from) < 0 ||
	    strcmp(held_on, s->to) > 0)
		return 0;
	return t;
}

static int on_sub_meeting(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sm_ctx *s = ctx;
	ZB_AGROW(s->a, s->ms, (size_t)s->n + 1, s->cap);
	s->ms[s->n++] = (smeeting){.id = zb_col_int(st, 0), .type = study_type(zb_col_text(st, 1), zb_col_text(st, 4), s),
	                           .start_at = zb_col_int(st, 2), .end_at = zb_col_int(st, 3)};
	return 0;
}

static const smeeting *smeeting_of(const sm_ctx *s, int64_t id)
{
	int lo = 0, hi = s->n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (s->ms[mid].id == id)
			return &s->ms[mid];
		if (s->ms[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void add_meeting(acc *c, int64_t member_id, const char *path, const smeeting *m)
{
	if (m->type)
		add(c, member_id, "", "", "", zb_study_meeting_hours10(m->type, m->start_at, m->end_at, rules_at(c, path)),
		    "meeting", m->id, 0);
}

static int on_sub_att(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sm_ctx *s = ctx;
	int64_t mid = zb_col_int(st, 1);
	const smeeting *m = smeeting_of(s, mid);
	if (m) {
		add_meeting(s->c, zb_col_int(st, 0), zb_col_text(st, 2), m);
		return 0;
	}
	ZB_AGROW(s->a, s->pend, (size_t)s->npend + 1, s->pcap);
	s->pend[s->npend++] = (struct pend){zb_col_int(st, 0), mid, zb_arena_strdup(s->a, zb_col_text(st, 2))};
	return 0;
}

static int pend_cmp(const void *a, const void *b)
{
	const struct pend *x = a, *y = b;
	return x->meeting_id < y->meeting_id ? -1 : x->meeting_id > y->meeting_id;
}

typedef struct one_meeting {
	const sm_ctx *s;
	smeeting m;
} one_meeting;

static void read_one_meeting(zb_stmt *st, void *ctx)
{
	one_meeting *o = ctx;
	o->m.type = study_type(zb_col_text(st, 0), zb_col_text(st, 3), o->s);
	o->m.start_at = zb_col_int(st, 1);
	o->m.end_at = zb_col_int(st, 2);
}

static int subtree_meetings(zb_db *db, acc *c, const char *from, const char *to, const char *lo, const char *hi,
                            zb_err *e)
{
	sm_ctx s = {.c = c, .a = c->a, .from = from, .to = to};
	/* every meeting of the subtree in the months of the attendance read */
	int64_t ym_from = zb_md_ym(from), ym_to = zb_md_ym(to);
	char month_end[11];
	zb_md_ym_last((int)ym_to, month_end);
	int rc = zb_db_each(db, e, on_sub_meeting, &s,
	                    "SELECT id, type, start_at, end_at, held_on FROM meetings WHERE org_path >= ? AND "
	                    "org_path < ? AND held_on >= ? AND held_on <= ? ORDER BY id",
	                    "ssss", lo, hi, from, month_end);
	if (!rc)
		rc = zb_db_each(db, e, on_sub_att, &s,
		                "SELECT a.member_id, a.meeting_id, mb.org_path FROM meeting_attendance a "
		                "JOIN members mb ON mb.id = a.member_id WHERE " SUBTREE " AND a.status = 'present' "
		                "AND a.held_ym >= ? AND a.held_ym <= ?",
		                "ssii", lo, hi, ym_from, ym_to);
	if (rc)
		return rc;
	if (s.npend > 1)
		qsort(s.pend, (size_t)s.npend, sizeof *s.pend, pend_cmp);
	one_meeting o = {.s = &s};
	for (int i = 0; i < s.npend; i++) {
		if (!i || s.pend[i].meeting_id != s.pend[i - 1].meeting_id) {
			o.m = (smeeting){.id = s.pend[i].meeting_id};
			rc = zb_db_one(db, e, NULL, read_one_meeting, &o,
			               "SELECT type, start_at, end_at, held_on FROM meetings WHERE id = ?", "i", o.m.id);
			if (rc == ZB_ENOTFOUND)
				rc = 0;
			if (rc)
				return rc;
		}
		add_meeting(c, s.pend[i].member_id, s.pend[i].path, &o.m);
	}
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const zb_study_item *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->source, y->source);
}

/* ---- who holds a post ---- */

#define LEADER_POSTS                                                                                  \
	"SELECT DISTINCT cp.member_id FROM committee_posts cp JOIN orgs o ON o.id = cp.org_id "        \
	"WHERE o.type <> 'group' AND cp.member_id IS NOT NULL AND cp.started_on <= ? "                 \
	"AND (cp.ended_on IS NULL OR cp.ended_on >= ?) "

static int year_range(int year, const char *today, char ref[11], char from[11], zb_err *e)
{
	int rc = zb_study_ref_date(year, today, ref, e);
	snprintf(from, 11, "%04u-01-01", (unsigned)year % 10000u);
	return rc;
}

typedef struct mrow {
	const char *path;
	int found;
} mrow;

static void read_mrow(zb_stmt *st, void *ctx)
{
	mrow *m = ctx;
	m->found = 1;
	m->path = zb_col_text(st, 0) ? strdup(zb_col_text(st, 0)) : NULL;
}

int zb_study_member_year(zb_db *db, int64_t member_id, int year, const char *today, zb_arena *a, zb_study_year *out,
                         zb_err *e)
{
	memset(out, 0, sizeof *out);
	char from[11];
	int rc = year_range(year, today, out->ref_date, from, e);
	if (rc)
		return rc;
	out->year = year;
	mrow m = {0};
	if ((rc = zb_db_one(db, e, "未找到该党员", read_mrow, &m, "SELECT org_path FROM members WHERE id = ?", "i",
	                    member_id)))
		return rc;
	const char *path = zb_arena_strdup(a, m.path);
	free((void *)m.path);
	zb_rules *rs;
	if ((rc = zb_rules_load(db, "study", out->ref_date, &rs, e)))
		return rc;
	acc c = {.a = a, .rs = rs, .one = member_id, .one_path = path, .year = out};
	rc = walk(db, &c, from, out->ref_date, ONE_MEMBER, member_id, NULL, NULL, e);
	zb_study_rules r;
	rules_from(rs, path, &r);
	zb_rules_free(rs);
	if (rc)
		return rc;
	if (out->n > 1)
		qsort(out->items, (size_t)out->n, sizeof *out->items, item_cmp);
	int64_t lead = 0;
	if ((rc = zb_db_int(db, e, &lead,
	                    "SELECT COUNT(*) FROM (" LEADER_POSTS "AND cp.member_id = ?) x", "ssi", out->ref_date,
	                    out->ref_date, member_id)))
		return rc;
	out->leader = lead > 0;
	out->required10 = out->leader ? r.leader10 : r.member10;
	return 0;
}

int zb_study_year_sum(zb_db *db, int64_t member_id, int year, const char *today, double *hours, double *required,
                      zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_study_year y;
	int rc = zb_study_member_year(db, member_id, year, today, &a, &y, e);
	if (!rc) {
		*hours = y.hours10 / 10.0;
		*required = y.required10 / 10.0;
	}
	zb_arena_free(&a);
	return rc;
}

/* ---- a subtree ---------------------------------------------------------------------------- */

typedef struct list_ctx {
	zb_arena *a;
	zb_study_row *rows;
	int n;
	size_t cap;
	const char **paths;
	size_t pcap;
} list_ctx;

static int on_member(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	list_ctx *l = ctx;
	ZB_AGROW(l->a, l->rows, (size_t)l->n + 1, l->cap);
	ZB_AGROW(l->a, l->paths, (size_t)l->n + 1, l->pcap);
	zb_study_row *r = &l->rows[l->n];
	memset(r, 0, sizeof *r);
	r->member_id = zb_col_int(st, 0);
	r->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	r->org_id = zb_col_int(st, 2);
	r->org_name = zb_arena_strdup(l->a, zb_col_text(st, 3));
	r->category = zb_arena_strdup(l->a, zb_col_text(st, 4));
	l->paths[l->n] = zb_arena_strdup(l->a, zb_col_text(st, 5));
	l->n++;
	return 0;
}

static int on_leader(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_study_row *r = row_of(ctx, zb_col_int(st, 0));
	if (r)
		r->leader = 1;
	return 0;
}

static int by_short(const void *a, const void *b)
{
	const zb_study_row *x = a, *y = b;
	int sx = x->required10 - x->hours10, sy = y->required10 - y->hours10;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	int c = strcmp(x->org_name, y->org_name);
	return c ? c : strcmp(x->name, y->name);
}

static int by_org(const void *a, const void *b)
{
	const zb_study_row *x = a, *y = b;
	if (x->org_id != y->org_id) {
		int c = strcmp(x->org_name, y->org_name);
		if (c)
			return c;
		return x->org_id < y->org_id ? -1 : 1;
	}
	return strcmp(x->name, y->name);
}

int zb_study_org_year(zb_db *db, const char *path, int year, const char *today, int short_only, zb_arena *a,
                      zb_study_row **rows, int *n, zb_study_orgsum **orgs, int *norgs, zb_err *e)
{
	*rows = NULL;
	*orgs = NULL;
	*n = *norgs = 0;
	char ref[11], from[11], upper[512];
	int rc = year_range(year, today, ref, from, e);
	if (rc)
		return rc;
	zb_path_upper(path, upper, sizeof upper);
	list_ctx l = {.a = a};
	if ((rc = zb_db_each(db, e, on_member, &l,
	                     "SELECT mb.id, mb.name, mb.org_id, o.name, mb.category, mb.org_path FROM members mb "
	                     "JOIN orgs o ON o.id = mb.org_id WHERE " SUBTREE " ORDER BY mb.id",
	                     "ss", path, upper)))
		return rc;
	zb_rules *rs;
	if ((rc = zb_rules_load(db, "study", ref, &rs, e)))
		return rc;
	acc c = {.a = a, .rs = rs, .rows = l.rows, .n = l.n};
	rc = walk(db, &c, from, ref, SUBTREE, 0, path, upper, e);
	if (!rc)
		rc = subtree_meetings(db, &c, from, ref, path, upper, e);
	if (!rc)
		rc = zb_db_each(db, e, on_leader, &c,
		                LEADER_POSTS "AND cp.member_id IN (SELECT mb.id FROM members mb WHERE " SUBTREE ")", "ssss",
		                ref, ref, path, upper);
	for (int i = 0; !rc && i < l.n; i++) {
		zb_study_rules r;
		rules_from(rs, l.paths[i], &r);
		l.rows[i].required10 = l.rows[i].leader ? r.leader10 : r.member10;
	}
	zb_rules_free(rs);
	if (rc)
		return rc;
	/* per org, in the order of the org names */
	if (l.n)
		qsort(l.rows, (size_t)l.n, sizeof *l.rows, by_org);
	size_t ocap = 0;
	for (int i = 0; i < l.n; i++) {
		zb_study_row *r = &l.rows[i];
		if (!*norgs || (*orgs)[*norgs - 1].org_id != r->org_id) {
			ZB_AGROW(a, *orgs, (size_t)*norgs + 1, ocap);
			(*orgs)[(*norgs)++] = (zb_study_orgsum){.org_id = r->org_id, .name = r->org_name};
		}
		zb_study_orgsum *o = &(*orgs)[*norgs - 1];
		o->members++;
		o->leaders += r->leader;
		o->hours10 += r->hours10;
		if (r->hours10 < r->required10) {
			o->short_count++;
			o->short10 += r->required10 - r->hours10;
		}
	}
	if (short_only) {
		int k = 0;
		for (int i = 0; i < l.n; i++)
			if (l.rows[i].hours10 < l.rows[i].required10)
				l.rows[k++] = l.rows[i];
		l.n = k;
		if (l.n)
			qsort(l.rows, (size_t)l.n, sizeof *l.rows, by_short);
	}
	*rows = l.rows;
	*n = l.n;
	return 0;
}
