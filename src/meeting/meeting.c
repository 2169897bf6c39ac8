/* meeting.c - meeting records, the 应到 list, totals and quorum. */
#include "meeting/meeting.h"
#include "member/history.h"
#include "auth/authz.h"
#include "meeting/mdate.h"
#include "core/grow.h"
#include "member/member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dup_col(zb_stmt *st, int c, zb_arena *a)
{
	return zb_arena_strdup(a, zb_col_text(st, c));
}

const char *zb_att_status_name(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "present"))
		return "出席";
	if (!strcmp(s, "leave"))
		return "请假";
	if (!strcmp(s, "absent"))
		return "缺席";
	return s;
}

void zb_meeting_read(zb_stmt *st, int c, zb_arena *a, zb_meeting *m)
{
	memset(m, 0, sizeof *m);
	m->id = zb_col_int(st, c + 0);
	m->org_id = zb_col_int(st, c + 1);
	m->org_path = dup_col(st, c + 2, a);
	m->org_name = dup_col(st, c + 3, a);
	m->org_type = dup_col(st, c + 4, a);
	m->type = zb_mtype_from(zb_col_text(st, c + 5));
	m->title = dup_col(st, c + 6, a);
	m->start_at = zb_col_int(st, c + 7);
	m->end_at = zb_col_int(st, c + 8);
	snprintf(m->held_on, sizeof m->held_on, "%s", zb_col_text(st, c + 9) ? zb_col_text(st, c + 9) : "");
	m->held_ym = (int)zb_col_int(st, c + 10);
	m->place = dup_col(st, c + 11, a);
	m->host = dup_col(st, c + 12, a);
	m->recorder = dup_col(st, c + 13, a);
	m->speaker = dup_col(st, c + 14, a);
	m->topic = dup_col(st, c + 15, a);
	m->agenda = dup_col(st, c + 16, a);
	m->minutes = dup_col(st, c + 17, a);
	m->is_election = (int)zb_col_int(st, c + 18);
	m->talk_a_id = zb_col_int(st, c + 19);
	m->talk_a_name = dup_col(st, c + 20, a);
	m->talk_b_id = zb_col_int(st, c + 21);
	m->talk_b_name = dup_col(st, c + 22, a);
	m->expected = (int)zb_col_int(st, c + 23);
	m->present = (int)zb_col_int(st, c + 24);
	m->leave = (int)zb_col_int(st, c + 25);
	m->absent = (int)zb_col_int(st, c + 26);
	m->voters = (int)zb_col_int(st, c + 27);
	m->present_voters = (int)zb_col_int(st, c + 28);
	m->quorum_base = (int)zb_col_int(st, c + 29);
	m->quorum_present = (int)zb_col_int(st, c + 30);
	m->quorum_need = (int)zb_col_int(st, c + 31);
	m->quorum_ok = (int)zb_col_int(st, c + 32);
	m->unlocked_until = zb_col_int(st, c + 33);
	m->created_by = zb_col_int(st, c + 34);
	m->created_at = zb_col_int(st, c + 35);
	m->updated_at = zb_col_int(st, c + 36);
}

/* A meeting, or a row of other columns, read into an arena. */
typedef struct meeting_row {
	zb_arena *a;
	zb_meeting *m;
	const char *s[4]; /* text columns of other rows */
} meeting_row;

static void read_meeting(zb_stmt *st, void *ctx)
{
	meeting_row *r = ctx;
	zb_meeting_read(st, 0, r->a, r->m);
}

/* Up to four text columns into r->s. */
static void read_texts(zb_stmt *st, void *ctx)
{
	meeting_row *r = ctx;
	for (int c = 0; c < 4 && c < zb_col_count(st); c++)
		r->s[c] = dup_col(st, c, r->a);
}

int zb_meeting_get(zb_db *db, int64_t id, zb_arena *a, zb_meeting *m, zb_err *e)
{
	meeting_row r = {.a = a, .m = m};
	return zb_db_one(db, e, "未找到该会议记录，或不在您的管理范围内", read_meeting, &r,
	                 "SELECT " ZB_MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?", "i",
	                 id);
}

int zb_meeting_rules(zb_db *db, const zb_meeting *m, zb_mrules *r, zb_err *e)
{
	return zb_mrules_get(db, m->org_path, m->held_on, r, e);
}

int zb_meeting_get_ruled(zb_db *db, int64_t id, zb_arena *a, zb_meeting *m, zb_mrules *r, zb_err *e)
{
	int rc = zb_meeting_get(db, id, a, m, e);
	return rc ? rc : zb_meeting_rules(db, m, r, e);
}

/* ---- checks ---- */

static int empty(const char *s)
{
	return !s || !*s;
}

typedef struct shown_name {
	const zb_meeting *m;
	char *out;
	size_t cap;
} shown_name;

static void read_shown_name(zb_stmt *st, void *ctx)
{
	shown_name *s = ctx;
	const char *path = zb_col_text(st, 1);
	if (zb_col_text(st, 0) &&
	    (zb_col_int(st, 2) > 0 || (s->m->org_path && path && zb_path_within(path, s->m->org_path))))
		snprintf(s->out, s->cap, "%s", zb_col_text(st, 0));
}

/* The name of a person for an error message: a member of the meeting's
 * org subtree or of its attendance list; anyone else is "所选党员" (an id
 * from the caller must not reveal names outside the caller's orgs). */
static const char *person_name(zb_db *db, const zb_meeting *m, int64_t id, char *out, size_t cap)
{
	zb_err ign = {0};
	snprintf(out, cap, "所选党员");
	shown_name s = {m, out, cap};
	zb_db_one(db, &ign, NULL, read_shown_name, &s,
	          "SELECT mb.name, mb.org_path, (SELECT COUNT(*) FROM meeting_attendance a "
	          "WHERE a.meeting_id = ? AND a.member_id = mb.id) FROM members mb WHERE mb.id = ?",
	          "ii", m->id, id);
	return out;
}

/* One talk participant: a member of the org's subtree (name taken from
 * the roster) or a person named by the caller. */
static int check_party(zb_db *db, const zb_meeting *m, int64_t id, const char **name, const char *field, zb_arena *a,
                       zb_err *e)
{
	if (!id) {
		if (empty(*name))
			return zb_fail(e, ZB_EINVAL, field, "谈心谈话应填写双方：请选择党员或填写姓名");
		return 0;
	}
	meeting_row r = {.a = a};
	int rc = zb_db_one(db, e, NULL, read_texts, &r, "SELECT name, org_path FROM members WHERE id = ?", "i", id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (!rc)
		*name = r.s[0];
	if (rc || !zb_path_within(r.s[1], m->org_path))
		return zb_fail(e, ZB_EINVAL, field, "所选谈话对象不是%s的党员", m->org_name ? m->org_name : "本组织");
	return 0;
}

int zb_meeting_check(zb_db *db, zb_meeting *m, zb_arena *a, zb_err *e)
{
	if (m->type < 0 || m->type >= ZB_MT_COUNT)
		return zb_fail(e, ZB_EINVAL, "type", "会议类型无效，应为 %s 或中文名称", zb_mtype_codes());
	meeting_row r = {.a = a};
	int rc = zb_db_one(db, e, NULL, read_texts, &r, "SELECT path, name, type, dissolved_on FROM orgs WHERE id = ?", "i",
	                   m->org_id);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到该组织");
	if (rc)
		return rc;
	m->org_path = r.s[0];
	m->org_name = r.s[1];
	m->org_type = r.s[2];
	const char *dissolved = r.s[3];
	if (dissolved)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已于 %s 撤销，不能再记录会议", m->org_name, dissolved);
	int at_group = m->org_type && !strcmp(m->org_type, "group");
	if (m->type == ZB_MT_GROUP && !at_group)
		return zb_fail(e, ZB_EINVAL, "org_id", "党小组会应记录在党小组下：请选择召开会议的党小组");
	if (at_group && m->type != ZB_MT_GROUP && m->type != ZB_MT_OTHER)
		return zb_fail(e, ZB_EINVAL, "type", "党小组只能记录党小组会（%s 请记录在所在党支部）", zb_mtype_name(m->type));
	/* 2000-01-01 .. 2100-01-01: catches milliseconds and typos */
	if (m->start_at < 946656000 || m->start_at > 4102416000)
		return zb_fail(e, ZB_EINVAL, "start_at", "开始时间无效（应为 Unix 秒数）");
	if (m->end_at && (m->end_at <= m->start_at || m->end_at - m->start_at > 24 * 3600))
		return zb_fail(e, ZB_EINVAL, "end_at", "结束时间应晚于开始时间，且会议不超过 24 小时");
	if (m->is_election && m->type != ZB_MT_PLENARY)
		return zb_fail(e, ZB_EINVAL, "is_election", "只有支部党员大会可以进行选举");
	if (m->type == ZB_MT_LECTURE && empty(m->speaker))
		return zb_fail(e, ZB_EINVAL, "speaker", "党课应填写授课人");
	if (zb_name_check(m->host, "host", "主持人", e) || zb_name_check(m->recorder, "recorder", "记录人", e) ||
	    zb_name_check(m->speaker, "speaker", "授课人", e))
		return e->code;
	if (m->type == ZB_MT_TALK) {
		if ((rc = check_party(db, m, m->talk_a_id, &m->talk_a_name, "participants", a, e)) ||
		    (rc = check_party(db, m, m->talk_b_id, &m->talk_b_name, "participants", a, e)))
			return rc;
		if ((m->talk_a_id && m->talk_a_id == m->talk_b_id) ||
		    (!m->talk_a_id && !m->talk_b_id && !strcmp(m->talk_a_name, m->talk_b_name)))
			return zb_fail(e, ZB_EINVAL, "participants", "谈心谈话应在两个人之间进行");
		if (!m->talk_a_id && !m->talk_b_id)
			return zb_fail(e, ZB_EINVAL, "participants", "谈心谈话至少一方应是本组织的党员");
	} else {
		m->talk_a_id = m->talk_b_id = 0;
		m->talk_a_name = m->talk_b_name = NULL;
	}
	zb_md_of_time(m->start_at, m->held_on);
	m->held_ym = zb_md_ym(m->held_on);
	if (empty(m->title)) {
		if (m->type == ZB_MT_TALK)
			m->title = zb_arena_printf(a, "%s 谈心谈话：%s 与 %s", m->held_on, m->talk_a_name, m->talk_b_name);
		else
			m->title = zb_arena_printf(a, "%s %s", m->held_on, zb_mtype_name(m->type));
	}
	return 0;
}

/* ---- the 应到 list ---- */

/* s is a ",a,b," list of status codes */
static int status_in(const char *list, const char *status)
{
	if (!list || !status || !*status)
		return 0;
	size_t n = strlen(status);
	for (const char *p = strstr(list, status); p; p = strstr(p + 1, status))
		if (p > list && p[-1] == ',' && p[n] == ',')
			return 1;
	return 0;
}

/* The talk's two people: both are present by the record (no roster rule). */
#define COND_TALK "mb.id IN (?, ?)"
#define INS_TALK \
	"INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, has_vote, status, source, updated_at) " \
	"SELECT CAST(? AS BIGINT), mb.id, CAST(? AS BIGINT), 0, 'present', 'manual', CAST(? AS BIGINT) FROM members mb " \
	"WHERE " COND_TALK " ON CONFLICT (meeting_id, member_id) DO UPDATE SET has_vote = excluded.has_vote, " \
	"held_ym = excluded.held_ym, on_roster = 1"

int64_t zb_meeting_group_branch(const char *group_path, size_t *len)
{
	/* "/1/5/23/40/" -> "/1/5/23/", org 23 */
	size_t n = group_path ? strlen(group_path) : 0;
	size_t cut = n >= 2 ? n - 2 : 0;
	while (cut > 0 && group_path[cut] != '/')
		cut--;
	size_t from = cut > 0 ? cut - 1 : 0;
	while (from > 0 && group_path[from] != '/')
		from--;
	*len = cut + 1;
	if (cut == 0 || group_path[from] != '/')
		return 0;
	return strtoll(group_path + from + 1, NULL, 10);
}

/* Everyone on the list on the meeting date, as the members stood then
 * (member/history.h): org (or 党小组, or committee post) on the date, the
 * status on the date among the rule's roster statuses, a vote when full on
 * the date (category then, 转正 date reached) and not in a no-vote status
 * then.  The one computation behind the form's preview and every save. */
static int roster_list(zb_db *db, const zb_meeting *m, const zb_mrules *r, zb_arena *a, zb_expected_row **out, int *n,
                       zb_err *e)
{
	*out = NULL;
	*n = 0;
	zb_member_on_sel sel = {.date = m->held_on, .path = m->org_path};
	int64_t branch = 0;
	if (m->type == ZB_MT_COMMITTEE) {
		sel.path = NULL;
		sel.committee_org = m->org_id;
	} else if (m->type == ZB_MT_GROUP) {
		size_t len;
		branch = zb_meeting_group_branch(m->org_path, &len);
		if (!branch)
			return 0; /* a group at the root: no branch, nobody */
		sel.path = zb_arena_strndup(a, m->org_path, len);
	}
	zb_member_on *on;
	int non, rc = zb_member_roster_on(db, &sel, a, &on, &non, e);
	if (rc)
		return rc;
	*out = non ? zb_arena_alloc(a, sizeof **out * (size_t)non) : NULL;
	for (int i = 0; i < non; i++) {
		const zb_member_on *x = &on[i];
		if (!status_in(r->roster_statuses, x->status))
			continue;
		if (m->type == ZB_MT_GROUP && (x->org_id != branch || x->group_id != m->org_id))
			continue;
		int vote = m->type == ZB_MT_COMMITTEE ||
		           (x->category && !strcmp(x->category, "full") && (!x->full_date || strcmp(x->full_date, m->held_on) <= 0) &&
		            !status_in(r->no_vote_statuses, x->status));
		(*out)[(*n)++] = (zb_expected_row){x->id, x->name, x->status, x->category, vote};
	}
	return 0;
}

static int by_member(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* Write the list in one statement: the people go as one array parameter
 * (SQLite json_each, PostgreSQL unnest) of member id * 2 + has_vote, so a
 * list costs one statement, not one per person.  New rows are 'absent'
 * (source 'roster'); rows already there keep their marks. */
static int write_list(zb_db *db, int64_t meeting, int64_t ym, const zb_expected_row *rows, int n, int64_t now,
                      zb_arena *a, zb_err *e)
{
	if (!n)
		return 0;
	int pg = zb_db_backend(db) == ZB_DB_PG;
	size_t cap = (size_t)n * 22 + 3, len = 0;
	char *ids = zb_arena_alloc(a, cap);
	ids[len++] = pg ? '{' : '[';
	for (int i = 0; i < n; i++) {
		int w = snprintf(ids + len, cap - len, "%s%lld", i ? "," : "",
		                 (long long)(rows[i].member_id * 2 + (rows[i].has_vote ? 1 : 0)));
		if (w < 0 || (size_t)w >= cap - len)
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：应到名单过长");
		len += (size_t)w;
	}
	ids[len++] = pg ? '}' : ']';
	ids[len] = 0;
#define ATT_INS \
	"INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, has_vote, status, source, updated_at) "
#define ATT_UPSERT \
	" ON CONFLICT (meeting_id, member_id) DO UPDATE SET has_vote = excluded.has_vote, held_ym = excluded.held_ym, " \
	"on_roster = 1"
	if (pg)
		return zb_db_run(db, e, NULL,
		                 ATT_INS "SELECT CAST(? AS BIGINT), x / 2, CAST(? AS BIGINT), x % 2, 'absent', 'roster', "
		                         "CAST(? AS BIGINT) FROM unnest(CAST(? AS BIGINT[])) AS x" ATT_UPSERT,
		                 "iiis", meeting, ym, now, ids);
	return zb_db_run(db, e, NULL,
	                 ATT_INS "SELECT ?, value / 2, ?, value % 2, 'absent', 'roster', ? FROM json_each(?) WHERE 1" ATT_UPSERT,
	                 "iiis", meeting, ym, now, ids);
#undef ATT_INS
#undef ATT_UPSERT
}

/* fresh: a meeting just inserted has no rows to drop; recount: derive
 * the totals now (bulk loads recount a range later) */
static int sync_expected(zb_db *db, zb_meeting *m, const zb_mrules *r, int64_t now, int fresh, int recount, zb_err *e)
{
	int rc = 0;
	int64_t ym = m->held_ym;
	if (m->type == ZB_MT_TALK) {
		if (!fresh)
			rc = zb_db_run(db, e, NULL,
			               "DELETE FROM meeting_attendance WHERE meeting_id = ? AND on_roster = 1 AND member_id NOT IN "
			               "(SELECT mb.id FROM members mb WHERE " COND_TALK ")",
			               "iII", m->id, m->talk_a_id, m->talk_b_id);
		if (!rc)
			rc = zb_db_run(db, e, NULL, INS_TALK, "iiiII", m->id, ym, now, m->talk_a_id, m->talk_b_id);
	} else {
		zb_arena a;
		zb_arena_init(&a);
		zb_expected_row *rows;
		int n;
		rc = roster_list(db, m, r, &a, &rows, &n, e);
		int64_t *ids = !rc && n ? zb_arena_alloc(&a, sizeof *ids * (size_t)n) : NULL;
		for (int i = 0; !rc && i < n; i++)
			ids[i] = rows[i].member_id;
		if (ids)
			qsort(ids, (size_t)n, sizeof *ids, by_member);
		if (!rc && !fresh) {
			/* drop the rows of people no longer expected; rows of people
			 * from other orgs (on_roster 0) are kept */
			zb_stmt *st = zb_db_query(db, e, "SELECT member_id FROM meeting_attendance WHERE meeting_id = ? AND on_roster = 1",
			                          "i", m->id);
			int64_t *gone = NULL;
			int ng = 0, cap = 0, s;
			if (!st)
				rc = e->code;
			while (!rc && (s = zb_stmt_step(st, e)) != 0) {
				if (s < 0) {
					rc = -s;
					break;
				}
				int64_t id = zb_col_int(st, 0);
				if (ids && bsearch(&id, ids, (size_t)n, sizeof *ids, by_member))
					continue;
				if (ng == cap) {
					cap = cap ? cap * 2 : 16;
					int64_t *ng2 = zb_arena_alloc(&a, sizeof *ng2 * (size_t)cap);
					if (ng)
						memcpy(ng2, gone, sizeof *gone * (size_t)ng);
					gone = ng2;
				}
				gone[ng++] = id;
			}
			zb_stmt_done(st);
			for (int i = 0; !rc && i < ng; i++)
				rc = zb_db_run(db, e, NULL, "DELETE FROM meeting_attendance WHERE meeting_id = ? AND member_id = ?", "ii",
				               m->id, gone[i]);
		}
		if (!rc)
			rc = write_list(db, m->id, ym, rows, n, now, &a, e);
		zb_arena_free(&a);
	}
	if (!rc && recount)
		rc = zb_meeting_recount(db, m, r, e);
	return rc;
}

int zb_meeting_sync_expected(zb_db *db, zb_meeting *m, const zb_mrules *r, int64_t now, zb_err *e)
{
	return sync_expected(db, m, r, now, 0, 1, e);
}

typedef struct talk_pair {
	zb_arena *a;
	zb_expected_row *rows; /* room for 2 */
	int *n;
} talk_pair;

static int add_talk_party(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	talk_pair *p = ctx;
	if (*p->n == 2)
		return 0;
	zb_expected_row *x = &p->rows[(*p->n)++];
	x->member_id = zb_col_int(st, 0);
	x->name = dup_col(st, 1, p->a);
	x->status = dup_col(st, 2, p->a);
	x->category = dup_col(st, 3, p->a);
	x->has_vote = 0;
	return 0;
}

int zb_meeting_expected_list(zb_db *db, const zb_meeting *m, const zb_mrules *r, zb_arena *a, zb_expected_row **out,
                             int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	if (m->type != ZB_MT_TALK)
		return roster_list(db, m, r, a, out, n, e);
	*out = zb_arena_alloc(a, sizeof **out * 2);
	talk_pair p = {a, *out, n};
	return zb_db_each(db, e, add_talk_party, &p,
	                  "SELECT mb.id, mb.name, mb.status, mb.category FROM members mb WHERE " COND_TALK
	                  " ORDER BY mb.sort_key, mb.id",
	                  "II", m->talk_a_id, m->talk_b_id);
}

/* The roster members the attendance items leave out: how many, and the
 * first five named. */
typedef struct unmarked {
	const zb_attend_item *items;
	int nitems;
	char names[600];
	size_t len;
	int missing;
} unmarked;

static int add_unmarked(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	unmarked *u = ctx;
	int64_t id = zb_col_int(st, 0);
	for (int i = 0; i < u->nitems; i++)
		if (!u->items[i].guest && u->items[i].member_id == id)
			return 0;
	if (u->missing++ < 5 && u->len < sizeof u->names - 200) {
		const char *status = zb_col_text(st, 2);
		int plain = !status || !strcmp(status, "normal");
		size_t room = sizeof u->names - u->len;
		int w = snprintf(u->names + u->len, room, "%s%s%s%s%s", u->len ? "、" : "",
		                 zb_col_text(st, 1) ? zb_col_text(st, 1) : "", plain ? "" : "（",
		                 plain ? "" : zb_status_name(status), plain ? "" : "）");
		if (w > 0)
			u->len += (size_t)w < room ? (size_t)w : room - 1;
	}
	return 0;
}

int zb_meeting_check_complete(zb_db *db, const zb_meeting *m, const zb_attend_item *items, int n, zb_err *e)
{
	unmarked u = {items, n, "", 0, 0};
	int rc = zb_db_each(db, e, add_unmarked, &u,
	                    "SELECT a.member_id, mb.name, mb.status FROM meeting_attendance a "
	                    "JOIN members mb ON mb.id = a.member_id WHERE a.meeting_id = ? AND a.on_roster = 1 "
	                    "ORDER BY mb.sort_key, mb.id",
	                    "i", m->id);
	if (rc)
		return rc;
	const char *names = u.names;
	int missing = u.missing;
	if (missing > 5)
		return zb_fail(e, ZB_EINVAL, "attendance", "应到人员 %s 等 %d 人未登记出席情况：请为每一位选择出席、请假或缺席",
		               names, missing);
	if (missing)
		return zb_fail(e, ZB_EINVAL, "attendance", "应到人员 %s 未登记出席情况：请为每一位选择出席、请假或缺席", names);
	return 0;
}

void zb_meeting_quorum_rule(const zb_meeting *m, const zb_mrules *r, int *has, zb_frac *f, int *base, int *present)
{
	*has = 0;
	memset(f, 0, sizeof *f);
	*base = m->expected;
	*present = m->present;
	if (m->type == ZB_MT_PLENARY) {
		*base = m->voters;
		*present = m->present_voters;
		if (m->is_election) {
			*has = 1;
			*f = r->election;
			return;
		}
	}
	if (m->type >= 0 && m->type < ZB_MT_COUNT && r->has_quorum[m->type]) {
		*has = 1;
		*f = r->quorum[m->type];
	}
}

int zb_meeting_entitled(const zb_meeting *m)
{
	return m->type == ZB_MT_COMMITTEE ? m->expected : m->voters;
}

static const struct {
	const char *code, *name, *alias;
} res_kinds[ZB_RES_KINDS] = {
	[ZB_RES_GENERAL] = {"general", "一般事项", NULL},
	[ZB_RES_ADMISSION] = {"admission", "接收预备党员", "发展党员"},
	[ZB_RES_FULL] = {"full", "预备党员转正", "转正"},
};

int zb_res_kind_from(const char *s)
{
	for (int i = 0; s && i < ZB_RES_KINDS; i++)
		if (!strcmp(s, res_kinds[i].code) || !strcmp(s, res_kinds[i].name) ||
		    (res_kinds[i].alias && !strcmp(s, res_kinds[i].alias)))
			return i;
	return -1;
}

const char *zb_res_kind_code(int k)
{
	return k >= 0 && k < ZB_RES_KINDS ? res_kinds[k].code : "general";
}

const char *zb_res_kind_name(int k)
{
	return k >= 0 && k < ZB_RES_KINDS ? res_kinds[k].name : res_kinds[0].name;
}

int64_t zb_resolution_yes(const zb_res_row *x)
{
	return x->yes + x->w_yes;
}

int zb_resolution_counted(const zb_meeting *m, const zb_res_row *x)
{
	if (!m->quorum_ok)
		return 0;
	/* 发展细则 第二十条: 有表决权的到会人数必须超过应到会有表决权人数的半数 */
	if (x->kind != ZB_RES_GENERAL)
		return m->type == ZB_MT_PLENARY && zb_frac_met(m->present_voters, m->voters, ZB_FRAC_MORE_HALF);
	return 1;
}

int zb_resolution_passed(const zb_meeting *m, const zb_mrules *r, const zb_res_row *x)
{
	return zb_resolution_counted(m, x) && zb_frac_met(zb_resolution_yes(x), zb_meeting_entitled(m), r->resolution);
}

static const char *opinion_code(const char *s)
{
	if (!s)
		return NULL;
	if (!strcmp(s, "yes") || !strcmp(s, "赞成") || !strcmp(s, "同意"))
		return "yes";
	if (!strcmp(s, "no") || !strcmp(s, "不赞成") || !strcmp(s, "反对") || !strcmp(s, "不同意"))
		return "no";
	if (!strcmp(s, "abstain") || !strcmp(s, "弃权"))
		return "abstain";
	return NULL;
}

/* A member of the roster giving a written opinion. */
typedef struct voter {
	int vote, was_present;
	char name[200];
} voter;

static void read_voter(zb_stmt *st, void *ctx)
{
	voter *v = ctx;
	v->vote = (int)zb_col_int(st, 0);
	v->was_present = zb_col_text(st, 1) && !strcmp(zb_col_text(st, 1), "present");
	snprintf(v->name, sizeof v->name, "%s", zb_col_text(st, 2) ? zb_col_text(st, 2) : "");
}

int zb_resolution_insert(zb_db *db, const zb_meeting *m, zb_res_row *x, const zb_opinion *ops, int nops,
                         int64_t by_user, int64_t now, zb_err *e)
{
	char field[64], nm[200];
	if (x->kind < 0 || x->kind >= ZB_RES_KINDS)
		return zb_fail(e, ZB_EINVAL, "kind", "表决事项类型应为 general（一般事项）、admission（接收预备党员）或 full（预备党员转正）");
	if (x->kind != ZB_RES_GENERAL && m->type != ZB_MT_PLENARY)
		return zb_fail(e, ZB_EINVAL, "kind", "%s须由支部党员大会讨论表决，不能记录在%s", zb_res_kind_name(x->kind),
		               zb_mtype_name(m->type));
	const char *names[3] = {"yes", "no", "abstain"};
	int64_t vals[3] = {x->yes, x->no, x->abstain};
	for (int i = 0; i < 3; i++)
		if (vals[i] < 0 || vals[i] > 100000)
			return zb_fail(e, ZB_EINVAL, names[i], "票数应为不小于 0 的整数");
	/* in the room: those with a vote who are present (a committee: its
	 * members); 预备党员 and guests from other orgs do not vote */
	int present = m->type == ZB_MT_COMMITTEE ? m->present : m->present_voters;
	if (x->yes + x->no + x->abstain > present)
		return zb_fail(e, ZB_EINVAL, "yes", "赞成、反对、弃权合计 %lld 票，超过到会的有表决权人数 %d（请先登记出席情况）",
		               (long long)(x->yes + x->no + x->abstain), present);
	if (nops && x->kind == ZB_RES_GENERAL)
		return zb_fail(e, ZB_EINVAL, "written_opinions",
		               "书面意见只统计在接收预备党员和预备党员转正的表决中（发展党员工作细则第二十一、三十三条）");
	for (int i = 0; i < nops; i++) {
		snprintf(field, sizeof field, "written_opinions[%d].opinion", i);
		if (!opinion_code(ops[i].opinion))
			return zb_fail(e, ZB_EINVAL, field, "书面意见应为 yes（赞成）、no（不赞成）或 abstain（弃权）");
		for (int j = 0; j < i; j++)
			if (ops[j].member_id == ops[i].member_id) {
				snprintf(field, sizeof field, "written_opinions[%d].member_id", i);
				return zb_fail(e, ZB_EINVAL, field, "%s 的书面意见重复出现",
				               person_name(db, m, ops[i].member_id, nm, sizeof nm));
			}
	}
	int rc = zb_db_int(db, e, &x->id,
	                   "INSERT INTO meeting_resolutions (meeting_id, title, kind, yes, no, abstain, created_by, created_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   "issiiiIi", m->id, x->title, zb_res_kind_code(x->kind), x->yes, x->no, x->abstain, by_user, now);
	x->w_yes = x->w_no = x->w_abstain = 0;
	for (int i = 0; !rc && i < nops; i++) {
		snprintf(field, sizeof field, "written_opinions[%d].member_id", i);
		voter v = {0, 0, ""};
		int found = zb_db_one(db, e, NULL, read_voter, &v,
		                      "SELECT a.has_vote, a.status, mb.name FROM meeting_attendance a "
		                      "JOIN members mb ON mb.id = a.member_id "
		                      "WHERE a.meeting_id = ? AND a.member_id = ? AND a.on_roster = 1",
		                      "ii", m->id, ops[i].member_id);
		if (found == ZB_ENOTFOUND)
			return zb_fail(e, ZB_EINVAL, field, "%s 不在本次会议的应到名单中，其书面意见不能统计",
			               person_name(db, m, ops[i].member_id, nm, sizeof nm));
		if (found)
			return found;
		int vote = v.vote, was_present = v.was_present;
		const char *name = v.name;
		if (!vote)
			return zb_fail(e, ZB_EINVAL, field, "%s 在会议当日没有表决权（预备党员或不参加表决），书面意见不能统计", name);
		if (was_present)
			return zb_fail(e, ZB_EINVAL, field, "%s 已到会表决，不能再提交书面意见", name);
		const char *op = opinion_code(ops[i].opinion);
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO meeting_written_opinions (resolution_id, member_id, opinion, created_by, created_at) "
		               "VALUES (?, ?, ?, ?, ?)",
		               "iisIi", x->id, ops[i].member_id, op, by_user, now);
		if (!rc)
			*(!strcmp(op, "yes") ? &x->w_yes : !strcmp(op, "no") ? &x->w_no : &x->w_abstain) += 1;
	}
	x->created_at = now;
	return rc;
}

void zb_meeting_quorum_set(zb_meeting *m, const zb_mrules *r)
{
	int has, base, present;
	zb_frac f;
	zb_meeting_quorum_rule(m, r, &has, &f, &base, &present);
	m->quorum_base = base;
	m->quorum_present = present;
	if (has) {
		m->quorum_need = (int)zb_frac_need(base, f);
		m->quorum_ok = zb_frac_met(present, base, f);
	} else {
		/* no quorum rule for the type: held when anyone was there */
		m->quorum_need = 1;
		m->quorum_ok = present > 0;
	}
}

/* quorum from the counts in m, then the row */
static int store_counts(zb_db *db, zb_meeting *m, const zb_mrules *r, zb_err *e)
{
	zb_meeting_quorum_set(m, r);
	return zb_db_run(db, e, NULL,
	                 "UPDATE meetings SET expected_count = ?, present_count = ?, leave_count = ?, absent_count = ?, "
	                 "voters = ?, present_voters = ?, quorum_base = ?, quorum_present = ?, quorum_need = ?, "
	                 "quorum_ok = ? WHERE id = ?",
	                 "iiiiiiiiiii", (int64_t)m->expected, (int64_t)m->present, (int64_t)m->leave, (int64_t)m->absent,
	                 (int64_t)m->voters, (int64_t)m->present_voters, (int64_t)m->quorum_base,
	                 (int64_t)m->quorum_present, (int64_t)m->quorum_need, (int64_t)m->quorum_ok, m->id);
}

int zb_meeting_recount(zb_db *db, zb_meeting *m, const zb_mrules *r, zb_err *e)
{
	int64_t v[6];
	int rc = zb_db_one(db, e, NULL, zb_row_ints, v,
	                   "SELECT COUNT(*), "
	                   "COALESCE(SUM(CASE WHEN status = 'present' THEN 1 ELSE 0 END), 0), "
	                   "COALESCE(SUM(CASE WHEN status = 'leave' THEN 1 ELSE 0 END), 0), "
	                   "COALESCE(SUM(CASE WHEN status = 'absent' THEN 1 ELSE 0 END), 0), "
	                   "COALESCE(SUM(has_vote), 0), "
	                   "COALESCE(SUM(CASE WHEN status = 'present' AND has_vote = 1 THEN 1 ELSE 0 END), 0) "
	                   "FROM meeting_attendance WHERE meeting_id = ? AND on_roster = 1",
	                   "i", m->id);
	if (rc)
		return rc; /* an aggregate always has its row */
	m->expected = (int)v[0];
	m->present = (int)v[1];
	m->leave = (int)v[2];
	m->absent = (int)v[3];
	m->voters = (int)v[4];
	m->present_voters = (int)v[5];
	return store_counts(db, m, r, e);
}

/* ---- writes ---- */

static int write_guests(zb_db *db, int64_t id, const char *const *guests, int n, zb_err *e)
{
	for (int i = 0; i < n; i++)
		if (zb_name_check(guests[i], "guests", "列席人员姓名", e))
			return e->code;
	int rc = zb_db_run(db, e, NULL, "DELETE FROM meeting_guests WHERE meeting_id = ?", "i", id);
	for (int i = 0; !rc && i < n; i++)
		rc = zb_db_run(db, e, NULL, "INSERT INTO meeting_guests (meeting_id, pos, name) VALUES (?, ?, ?)", "iis", id,
		               (int64_t)i, guests[i]);
	return rc;
}

static int insert_row(zb_db *db, zb_meeting *m, int64_t by_user, int64_t now, zb_err *e)
{
	int rc = zb_db_int(db, e, &m->id,
	                   "INSERT INTO meetings (org_id, org_path, type, title, start_at, end_at, held_on, held_ym, place, "
	                   "host, recorder, speaker, topic, agenda, minutes, is_election, talk_a_id, talk_a_name, "
	                   "talk_b_id, talk_b_name, created_by, created_at, updated_at) "
	                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "isssiIsisssssssiIsIsIii", m->org_id, m->org_path, zb_mtype_code(m->type), m->title,
	                   m->start_at, m->end_at, m->held_on, (int64_t)m->held_ym, m->place, m->host, m->recorder,
	                   m->speaker, m->topic, m->agenda, m->minutes, (int64_t)m->is_election, m->talk_a_id,
	                   m->talk_a_name, m->talk_b_id, m->talk_b_name, by_user, now, now);
	if (rc)
		return rc;
	m->created_by = by_user;
	m->created_at = m->updated_at = now;
	return 0;
}

int zb_meeting_key_valid(const char *key)
{
	if (!key || strlen(key) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		char c = key[i];
		if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return 0;
	}
	return 1;
}

typedef struct saved_key {
	const char *digest;
	int64_t *meeting_id;
	int same; /* the stored digest is this one */
} saved_key;

static void read_saved_key(zb_stmt *st, void *ctx)
{
	saved_key *k = ctx;
	*k->meeting_id = zb_col_int(st, 0);
	const char *d = zb_col_text(st, 1);
	k->same = d && !strcmp(d, k->digest);
}

int zb_meeting_key_find(zb_db *db, int64_t org_id, const char *key, const char *digest, int64_t *meeting_id,
                        zb_err *e)
{
	saved_key k = {digest, meeting_id, 0};
	int rc = zb_db_one(db, e, NULL, read_saved_key, &k,
	                   "SELECT meeting_id, digest FROM meeting_save_keys WHERE org_id = ? AND client_key = ?", "is",
	                   org_id, key);
	if (rc || k.same)
		return rc;
	/* named by its title and date, never by an internal id */
	zb_arena a;
	zb_arena_init(&a);
	meeting_row r = {.a = &a};
	rc = zb_db_one(db, e, NULL, read_texts, &r, "SELECT title, held_on FROM meetings WHERE id = ?", "i", *meeting_id);
	char title[200], held[16];
	snprintf(title, sizeof title, "%s", r.s[0] ? r.s[0] : "");
	snprintf(held, sizeof held, "%s", r.s[1] ? r.s[1] : "");
	zb_arena_free(&a);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	return zb_fail(e, ZB_ECONFLICT, "client_key",
	               "这份草稿已保存为会议记录“%s”（%s），内容与本次提交不同：请刷新后查看已保存的记录，或清空重填",
	               title[0] ? title : "未命名", held);
}

int zb_meeting_key_insert(zb_db *db, int64_t org_id, const char *key, const char *digest, int64_t meeting_id,
                          int64_t by_user, int64_t now, zb_err *e)
{
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO meeting_save_keys (org_id, client_key, digest, meeting_id, created_by, created_at) "
	                 "VALUES (?,?,?,?,?,?)",
	                 "issiIi", org_id, key, digest, meeting_id, by_user, now);
}

int zb_meeting_insert(zb_db *db, zb_meeting *m, const zb_mrules *r, const char *const *guests, int nguests,
                      int64_t by_user, int64_t now, int64_t *id, zb_err *e)
{
	int rc = insert_row(db, m, by_user, now, e);
	if (rc)
		return rc;
	*id = m->id;
	if (nguests && (rc = write_guests(db, m->id, guests, nguests, e)))
		return rc;
	return sync_expected(db, m, r, now, 1, 1, e);
}

int zb_meeting_update(zb_db *db, const zb_meeting *old, zb_meeting *m, const zb_mrules *r,
                      const char *const *guests, int nguests, int64_t now, zb_err *e)
{
	int rc = zb_db_run(db, e, NULL,
	                   "UPDATE meetings SET type = ?, title = ?, start_at = ?, end_at = ?, held_on = ?, held_ym = ?, "
	                   "place = ?, host = ?, recorder = ?, speaker = ?, topic = ?, agenda = ?, minutes = ?, "
	                   "is_election = ?, talk_a_id = ?, talk_a_name = ?, talk_b_id = ?, talk_b_name = ?, "
	                   "updated_at = ? WHERE id = ?",
	                   "ssiIsisssssssiIsIsii", zb_mtype_code(m->type), m->title, m->start_at, m->end_at, m->held_on,
	                   (int64_t)m->held_ym, m->place, m->host, m->recorder, m->speaker, m->topic, m->agenda,
	                   m->minutes, (int64_t)m->is_election, m->talk_a_id, m->talk_a_name, m->talk_b_id,
	                   m->talk_b_name, now, m->id);
	if (!rc && guests)
		rc = write_guests(db, m->id, guests, nguests, e);
	if (rc)
		return rc;
	m->updated_at = now;
	if (strcmp(old->held_on, m->held_on) || old->type != m->type || old->talk_a_id != m->talk_a_id ||
	    old->talk_b_id != m->talk_b_id) {
		if (old->held_ym != m->held_ym &&
		    (rc = zb_db_run(db, e, NULL, "UPDATE meeting_attendance SET held_ym = ? WHERE meeting_id = ?", "ii",
		                    (int64_t)m->held_ym, m->id)))
			return rc;
		return zb_meeting_sync_expected(db, m, r, now, e);
	}
	/* election flag or rules changed the quorum */
	return zb_meeting_recount(db, m, r, e);
}

static int status_ok(const char *s)
{
	return s && (!strcmp(s, "present") || !strcmp(s, "leave") || !strcmp(s, "absent"));
}

/* A member of another org who took part (on_roster 0): present adds the
 * row, absent removes it.  The member is looked up only within who's
 * member.read scope (who NULL: no limit), and the name must match the
 * roster's; a missing id, a wrong name and a member outside that scope
 * get one answer, which names neither, so member ids cannot be used to
 * look names or existence up. */
/* A member marked as a guest, as far as who may see them. */
typedef struct guest_row {
	const zb_attend_item *it;
	const zb_principal *who;
	int same_name, removed, on_roster;
} guest_row;

static void read_guest(zb_stmt *st, void *ctx)
{
	guest_row *g = ctx;
	/* a 流动党员 registered with the meeting's org (or an org above it) as
	 * the one that takes care of them may be marked there by its people
	 * (mobile_members, docs/TRANSFERS.md) */
	if (g->who && !zb_authz_allows(g->who, P_MEMBER_READ, zb_col_text(st, 3)) && !zb_col_int(st, 4))
		return;
	const char *name = zb_col_text(st, 0), *status = zb_col_text(st, 1);
	g->same_name = g->it->name && name && !strcmp(g->it->name, name);
	g->removed = status && (!strcmp(status, "removed") || !strcmp(status, "deceased"));
	g->on_roster = !zb_col_is_null(st, 2) && zb_col_int(st, 2);
}

static int mark_guest(zb_db *db, const zb_meeting *m, const zb_attend_item *it, int i, const zb_principal *who,
                      int64_t now, zb_err *e)
{
	char field[48];
	snprintf(field, sizeof field, "items[%d].member_id", i);
	guest_row g = {it, who, 0, 0, 0};
	int rc = zb_db_one(db, e, NULL, read_guest, &g,
	                   "SELECT mb.name, mb.status, a.on_roster, mb.org_path, (SELECT COUNT(*) FROM mobile_members mm "
	                   "JOIN orgs co ON co.id = mm.care_org_id WHERE mm.member_id = mb.id AND mm.ended_on IS NULL "
	                   "AND substr(?, 1, length(co.path)) = co.path) FROM members mb "
	                   "LEFT JOIN meeting_attendance a ON a.meeting_id = ? AND a.member_id = mb.id WHERE mb.id = ?",
	                   "sii", m->org_path, m->id, it->member_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	int removed = g.removed, on_roster = g.on_roster;
	if (!g.same_name) {
		snprintf(field, sizeof field, "items[%d].name", i);
		return zb_fail(e, ZB_EINVAL, field,
		               "第 %d 位外单位参加人员：在您可查看的党员中没有编号和姓名都相符的党员（请核对）；"
		               "您管理范围以外的党员，请由能查看其名册的上级党组织登记",
		               i + 1);
	}
	if (removed)
		return zb_fail(e, ZB_EINVAL, field, "%s 已不是党员，不能登记参加组织生活", it->name);
	if (on_roster)
		return zb_fail(e, ZB_EINVAL, field, "%s 在本次会议的应到名单中，请按应到人员登记，不要标为外单位参加", it->name);
	if (!strcmp(it->status, "absent"))
		return zb_db_run(db, e, NULL, "DELETE FROM meeting_attendance WHERE meeting_id = ? AND member_id = ? AND on_roster = 0",
		                 "ii", m->id, it->member_id);
	if (strcmp(it->status, "present")) {
		snprintf(field, sizeof field, "items[%d].status", i);
		return zb_fail(e, ZB_EINVAL, field, "外单位参加人员只登记出席（present），取消登记用 absent");
	}
	return zb_db_run(db, e, NULL,
	                 "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, has_vote, status, source, updated_at, "
	                 "on_roster) VALUES (?, ?, ?, 0, 'present', 'manual', ?, 0) "
	                 "ON CONFLICT (meeting_id, member_id) DO UPDATE SET status = 'present', updated_at = excluded.updated_at",
	                 "iiii", m->id, it->member_id, (int64_t)m->held_ym, now);
}

int zb_meeting_set_attendance(zb_db *db, zb_meeting *m, const zb_mrules *r, const zb_attend_item *items, int n,
                              const zb_principal *who, int64_t now, zb_err *e)
{
	char field[48], nm[200];
	if (m->type == ZB_MT_TALK)
		return zb_fail(e, ZB_EINVAL, "items", "谈心谈话的参加人就是谈话双方，无需登记出席");
	for (int i = 0; i < n; i++) {
		snprintf(field, sizeof field, "items[%d].status", i);
		if (!status_ok(items[i].status))
			return zb_fail(e, ZB_EINVAL, field, "出席情况应为 present（出席）、leave（请假）或 absent（缺席）");
		if (!strcmp(items[i].status, "leave") && empty(items[i].reason)) {
			snprintf(field, sizeof field, "items[%d].reason", i);
			return zb_fail(e, ZB_EINVAL, field, "请假须填写原因");
		}
		if (!strcmp(items[i].status, "present") && now < m->start_at)
			return zb_fail(e, ZB_EINVAL, field, "会议尚未开始，不能登记出席");
		for (int j = 0; j < i; j++)
			if (items[j].member_id == items[i].member_id) {
				snprintf(field, sizeof field, "items[%d].member_id", i);
				return zb_fail(e, ZB_EINVAL, field, "%s 在出席名单中重复出现",
				               person_name(db, m, items[i].member_id, nm, sizeof nm));
			}
	}
	for (int i = 0; i < n; i++) {
		int leave = !strcmp(items[i].status, "leave");
		int64_t changed = 0;
		if (items[i].guest) {
			int rc = mark_guest(db, m, &items[i], i, who, now, e);
			if (rc)
				return rc;
			continue;
		}
		int rc = zb_db_run(db, e, &changed,
		                   "UPDATE meeting_attendance SET "
		                   "source = CASE WHEN source = 'qr' AND status = ? THEN 'qr' ELSE 'manual' END, "
		                   "status = ?, reason = ?, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
		                   "sssiii", items[i].status, items[i].status, leave ? items[i].reason : NULL, now, m->id,
		                   items[i].member_id);
		if (rc)
			return rc;
		if (!changed) {
			snprintf(field, sizeof field, "items[%d].member_id", i);
			person_name(db, m, items[i].member_id, nm, sizeof nm);
			if (m->type == ZB_MT_COMMITTEE)
				return zb_fail(e, ZB_EINVAL, field, "%s 不是支部委员，不在本次支部委员会的应到名单中（支委会只登记委员）", nm);
			if (m->type == ZB_MT_GROUP)
				return zb_fail(e, ZB_EINVAL, field, "%s 不是%s的成员，不在本次党小组会的应到名单中", nm, m->org_name);
			return zb_fail(e, ZB_EINVAL, field, "%s 不在本次会议的应到名单中", nm);
		}
	}
	return zb_meeting_recount(db, m, r, e);
}

/* ---- back-fill window ---- */

void zb_meeting_backfill(const zb_meeting *m, const zb_mrules *r, int64_t now, zb_backfill *out)
{
	memset(out, 0, sizeof *out);
	zb_md_add_days(m->held_on, r->backfill_days, out->deadline);
	char today[11];
	zb_md_of_time(now, today);
	out->past = strcmp(today, out->deadline) > 0;
	out->unlocked = m->unlocked_until && m->unlocked_until >= now;
	out->locked = out->past && !out->unlocked;
}

int zb_meeting_check_open(const zb_meeting *m, const zb_mrules *r, int64_t now, zb_err *e)
{
	zb_backfill b;
	zb_meeting_backfill(m, r, now, &b);
	if (b.locked)
		return zb_fail(e, ZB_ECONFLICT, NULL,
		               "该记录已过补录期限（会议后 %d 天，截至 %s），如需修改请由上级组织解锁", r->backfill_days,
		               b.deadline);
	return 0;
}

/* ---- reading a whole record ---- */

void zb_meeting_fmt_time(int64_t t, char out[20])
{
	char d[11];
	zb_md_of_time(t, d);
	int64_t s = ((t + ZB_CHINA_UTC_OFFSET) % 86400 + 86400) % 86400;
	snprintf(out, 20, "%s %02u:%02u", d, (unsigned)(s / 3600) % 100u, (unsigned)(s / 60 % 60));
}

/* The lists of a full meeting, one query each (cap: of the list read). */
typedef struct full_rows {
	zb_arena *a;
	zb_meeting_full *f;
	size_t cap;
} full_rows;

static int add_att(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	full_rows *l = ctx;
	zb_meeting_full *f = l->f;
	zb_arena *a = l->a;
	ZB_AGROW(a, f->att, (size_t)f->natt, l->cap);
	zb_att_row *r = &f->att[f->natt++];
	r->member_id = zb_col_int(st, 0);
	r->name = dup_col(st, 1, a);
	r->category = dup_col(st, 2, a);
	r->status = dup_col(st, 3, a);
	r->reason = dup_col(st, 4, a);
	r->source = dup_col(st, 5, a);
	r->has_vote = (int)zb_col_int(st, 6);
	r->signed_at = zb_col_int(st, 7);
	r->has_loc = !zb_col_is_null(st, 8) && !zb_col_is_null(st, 9);
	r->lat = zb_col_double(st, 8);
	r->lng = zb_col_double(st, 9);
	r->guest = !zb_col_int(st, 10);
	return 0;
}

static int add_res(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	full_rows *l = ctx;
	zb_meeting_full *f = l->f;
	ZB_AGROW(l->a, f->res, (size_t)f->nres, l->cap);
	zb_res_row *r = &f->res[f->nres++];
	r->id = zb_col_int(st, 0);
	r->title = dup_col(st, 1, l->a);
	r->yes = zb_col_int(st, 2);
	r->no = zb_col_int(st, 3);
	r->abstain = zb_col_int(st, 4);
	r->created_at = zb_col_int(st, 5);
	r->kind = zb_res_kind_from(zb_col_text(st, 6));
	if (r->kind < 0)
		r->kind = ZB_RES_GENERAL;
	r->w_yes = zb_col_int(st, 7);
	r->w_no = zb_col_int(st, 8);
	r->w_abstain = zb_col_int(st, 9);
	return 0;
}

static int add_guest(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	full_rows *l = ctx;
	zb_meeting_full *f = l->f;
	ZB_AGROW(l->a, f->guests, (size_t)f->nguests, l->cap);
	f->guests[f->nguests++] = dup_col(st, 0, l->a);
	return 0;
}

static int add_file(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	full_rows *l = ctx;
	zb_meeting_full *f = l->f;
	ZB_AGROW(l->a, f->files, (size_t)f->nfiles, l->cap);
	zb_att_file *x = &f->files[f->nfiles++];
	x->id = zb_col_int(st, 0);
	x->kind = dup_col(st, 1, l->a);
	x->filename = dup_col(st, 2, l->a);
	x->size = zb_col_int(st, 3);
	x->created_at = zb_col_int(st, 4);
	return 0;
}

int zb_meeting_load_full(zb_db *db, int64_t id, zb_arena *a, zb_meeting_full *f, zb_err *e)
{
	memset(f, 0, sizeof *f);
	int rc = zb_meeting_get(db, id, a, &f->m, e);
	if (rc)
		return rc;
	full_rows l = {a, f, 0};
	/* attendance: voters first, then by the roster's Chinese order */
	if ((rc = zb_db_each(db, e, add_att, &l,
	                     "SELECT a.member_id, mb.name, mb.category, a.status, a.reason, a.source, a.has_vote, "
	                     "a.signed_at, a.lat, a.lng, a.on_roster FROM meeting_attendance a "
	                     "JOIN members mb ON mb.id = a.member_id "
	                     "WHERE a.meeting_id = ? ORDER BY a.on_roster DESC, mb.sort_key, mb.id",
	                     "i", id)))
		return rc;
	l.cap = 0;
	if ((rc = zb_db_each(db, e, add_res, &l,
	                     "SELECT r.id, r.title, r.yes, r.no, r.abstain, r.created_at, r.kind, "
	                     "COALESCE(SUM(CASE WHEN w.opinion = 'yes' THEN 1 ELSE 0 END), 0), "
	                     "COALESCE(SUM(CASE WHEN w.opinion = 'no' THEN 1 ELSE 0 END), 0), "
	                     "COALESCE(SUM(CASE WHEN w.opinion = 'abstain' THEN 1 ELSE 0 END), 0) "
	                     "FROM meeting_resolutions r LEFT JOIN meeting_written_opinions w ON w.resolution_id = r.id "
	                     "WHERE r.meeting_id = ? GROUP BY r.id, r.title, r.yes, r.no, r.abstain, r.created_at, r.kind "
	                     "ORDER BY r.id",
	                     "i", id)))
		return rc;
	l.cap = 0;
	if ((rc = zb_db_each(db, e, add_guest, &l, "SELECT name FROM meeting_guests WHERE meeting_id = ? ORDER BY pos, id",
	                     "i", id)))
		return rc;
	l.cap = 0;
	return zb_db_each(db, e, add_file, &l,
	                  "SELECT id, kind, filename, size, created_at FROM meeting_attachments WHERE meeting_id = ? ORDER BY id",
	                  "i", id);
}
