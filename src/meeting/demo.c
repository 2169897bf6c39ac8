/* demo.c - organisational-life records for the demo county (see demo.h).
 *
 * Meetings go through the meeting domain (zb_meeting_insert_bulk: the
 * 应到 list from the roster as zb_meeting_insert takes it, then
 * zb_meeting_recount_range for totals and quorum), so the demo data obey
 * the same rules as records typed in by a secretary.  A month of the
 * county is made in memory, then written set-based: its meetings in a few
 * statements, the marks in one UPDATE whose outcome is a hash of (member,
 * meeting, seed) against the rate of each meeting's branch (a temporary
 * table, demo_rate), then the totals.  Members chosen to be at risk are
 * held in a temporary table that the UPDATE consults too.
 */
#include "meeting/demo.h"
#include "core/arena.h"
#include "core/grow.h"
#include "core/rng.h"
#include "meeting/appraisal.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what exists ---- */

typedef struct dmem {
	int64_t id, org_id, group_id;
	const char *name;
} dmem;

typedef struct dgroup {
	int64_t id, parent;
	const char *path;
} dgroup;

typedef struct dbranch {
	int64_t id;
	const char *path, *name;
	int m0, nm;               /* members[m0 .. m0+nm) */
	int g0, ng;               /* groups[g0 .. g0+ng) */
	int64_t comm[8];          /* committee members, secretary first */
	const char *comm_name[8];
	char comm_from[8][11];    /* the day each took the post */
	int ncomm;
	char post_from[12][11];   /* every current post, named people too */
	int nposts;
	int weak;                 /* 0 diligent, 1 weak */
	int rate;                 /* permille present */
	int day;                  /* the fixed 主题党日 of the month */
	int plenary_skip[12];     /* weak: quarters skipped, by year-offset*4+q */
} dbranch;

typedef struct dg {
	zb_db *db;
	zb_app *app;
	uint64_t seed;
	zb_arena keep;            /* lives for the whole run */
	zb_arena tmp;             /* freed every month */
	dbranch *b;
	int nb;
	dmem *m;
	int nm;
	dgroup *g;
	int ng;
	zb_mrules_cache *rules;
	int64_t now;
	char today[11];
	int cur_ym;
	int64_t meetings, talks, appraisals;
	zb_meeting *ms;            /* the month's meetings, in the order of their ids */
	int *rate;                 /* of each: permille present */
	int nms;
	size_t capms, caprate;
} dg;

static const char *const TOPICS[] = {
	"学习贯彻党的二十大精神", "学习《中国共产党纪律处分条例》", "研究村集体经济发展项目", "讨论发展党员工作",
	"部署防汛防火安全工作", "开展“三务公开”情况通报", "学习习近平总书记重要讲话精神", "研究乡村振兴重点任务",
	"通报党费收缴情况", "组织党员志愿服务活动", "开展党史学习教育", "研究困难群众帮扶措施",
};
#define NTOPICS ((int)(sizeof TOPICS / sizeof TOPICS[0]))

static int grow(void **p, int n, int *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	int nc = *cap ? *cap * 2 : 256;
	void *np = realloc(*p, sz * (size_t)nc);
	if (!np)
		return ZB_EINTERNAL;
	*p = np;
	*cap = nc;
	return 0;
}

static int find_branch(const dg *g, int64_t id)
{
	int lo = 0, hi = g->nb - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (g->b[mid].id == id)
			return mid;
		if (g->b[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int load(dg *g, const zb_mrules *r, zb_err *e)
{
	int rc, cap = 0;
	zb_stmt *st = zb_db_query(g->db, e,
	                          "SELECT id, path, name FROM orgs WHERE type IN ('branch', 'joint_branch', 'temp_branch', "
	                          "'online_branch') AND dissolved_on IS NULL ORDER BY id",
	                          "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (grow((void **)&g->b, g->nb, &cap, sizeof *g->b)) {
			rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		dbranch *b = &g->b[g->nb++];
		memset(b, 0, sizeof *b);
		b->id = zb_col_int(st, 0);
		b->path = zb_arena_strdup(&g->keep, zb_col_text(st, 1));
		b->name = zb_arena_strdup(&g->keep, zb_col_text(st, 2));
		b->m0 = -1;
		b->g0 = -1;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	cap = 0;
	st = zb_db_query(g->db, e,
	                 "SELECT id, org_id, COALESCE(group_id, 0), name FROM members "
	                 "WHERE CAST(? AS TEXT) LIKE '%,' || status || ',%' ORDER BY org_id, id",
	                 "s", r->roster_statuses);
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (grow((void **)&g->m, g->nm, &cap, sizeof *g->m)) {
			rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		dmem *m = &g->m[g->nm];
		m->id = zb_col_int(st, 0);
		m->org_id = zb_col_int(st, 1);
		m->group_id = zb_col_int(st, 2);
		m->name = zb_arena_strdup(&g->keep, zb_col_text(st, 3));
		int bi = find_branch(g, m->org_id);
		if (bi >= 0) {
			if (g->b[bi].m0 < 0)
				g->b[bi].m0 = g->nm;
			g->b[bi].nm++;
		}
		g->nm++;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	cap = 0;
	st = zb_db_query(g->db, e,
	                 "SELECT id, parent_id, path FROM orgs WHERE type = 'group' AND dissolved_on IS NULL ORDER BY parent_id, id", "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (grow((void **)&g->g, g->ng, &cap, sizeof *g->g)) {
			rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		dgroup *x = &g->g[g->ng];
		x->id = zb_col_int(st, 0);
		x->parent = zb_col_int(st, 1);
		x->path = zb_arena_strdup(&g->keep, zb_col_text(st, 2));
		int bi = find_branch(g, x->parent);
		if (bi >= 0) {
			if (g->b[bi].g0 < 0)
				g->b[bi].g0 = g->ng;
			g->b[bi].ng++;
		}
		g->ng++;
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	st = zb_db_query(g->db, e,
	                 "SELECT cp.org_id, cp.member_id, mb.name, cp.started_on FROM committee_posts cp JOIN members mb ON mb.id = cp.member_id "
	                 "WHERE cp.ended_on IS NULL ORDER BY cp.org_id, CASE WHEN cp.post = 'secretary' THEN 0 ELSE 1 END, cp.id",
	                 "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int bi = find_branch(g, zb_col_int(st, 0));
		if (bi < 0 || g->b[bi].ncomm >= 8)
			continue;
		dbranch *b = &g->b[bi];
		int64_t mid = zb_col_int(st, 1);
		int dup = 0;
		for (int i = 0; i < b->ncomm; i++)
			dup |= b->comm[i] == mid;
		if (dup)
			continue;
		b->comm[b->ncomm] = mid;
		snprintf(b->comm_from[b->ncomm], sizeof b->comm_from[0], "%s", zb_col_text(st, 3) ? zb_col_text(st, 3) : "");
		b->comm_name[b->ncomm++] = zb_arena_strdup(&g->keep, zb_col_text(st, 2));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	st = zb_db_query(g->db, e, "SELECT org_id, started_on FROM committee_posts WHERE ended_on IS NULL ORDER BY org_id, id", "");
	if (!st)
		return e->code;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		int bi = find_branch(g, zb_col_int(st, 0));
		if (bi < 0 || g->b[bi].nposts >= 12)
			continue;
		dbranch *b = &g->b[bi];
		snprintf(b->post_from[b->nposts++], sizeof b->post_from[0], "%s", zb_col_text(st, 1) ? zb_col_text(st, 1) : "");
	}
	zb_stmt_done(st);
	return rc < 0 ? -rc : 0;
}

/* committee members in office on the day of t */
static int in_office(const dbranch *b, int i, int64_t t)
{
	char d[11];
	zb_md_of_time(t, d);
	return strcmp(b->comm_from[i], d) <= 0;
}

/* posts held on the day of t (a committee exists from 3, as compliance
 * counts them: named people without a roster record too) */
static int committee_on(const dbranch *b, int64_t t)
{
	char d[11];
	zb_md_of_time(t, d);
	int n = 0;
	for (int i = 0; i < b->nposts; i++)
		n += strcmp(b->post_from[i], d) <= 0;
	return n;
}

/* ---- one meeting ---- */

/* The fields zb_meeting_check would fill, known here by construction:
 * the demo only makes meetings of the right type at the right org with
 * participants from the branch's own roster. */
static void prep(dg *g, zb_meeting *m, const char *org_path, const char *org_name)
{
	m->org_path = org_path;
	m->org_name = org_name;
	zb_md_of_time(m->start_at, m->held_on);
	m->held_ym = zb_md_ym(m->held_on);
	if (m->type == ZB_MT_TALK)
		m->title = zb_arena_printf(&g->tmp, "%s 谈心谈话：%s 与 %s", m->held_on, m->talk_a_name, m->talk_b_name);
	else
		m->title = zb_arena_printf(&g->tmp, "%s %s", m->held_on, zb_mtype_name(m->type));
}

static const char *member_name(const dg *g, const dbranch *b, int64_t id)
{
	for (int i = 0; i < b->nm; i++)
		if (g->m[b->m0 + i].id == id)
			return g->m[b->m0 + i].name;
	return "党员";
}

/* A meeting of the month (written by zb_meeting_insert_bulk once the
 * month is made); its index in g->ms is g->nms - 1. */
static int add(dg *g, dbranch *b, int64_t org_id, const char *org_path, int type, int64_t start, const char *topic,
               int64_t ta, int64_t tb, zb_err *e)
{
	if (ZB_GROW(g->ms, (size_t)g->nms, g->capms) || ZB_GROW(g->rate, (size_t)g->nms, g->caprate))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_meeting *m = &g->ms[g->nms];
	memset(m, 0, sizeof *m);
	m->org_id = org_id;
	m->type = type;
	m->start_at = start;
	m->end_at = start + (type == ZB_MT_TALK ? 40 : 100) * 60;
	m->place = type == ZB_MT_TALK ? "书记办公室" : "党群服务中心会议室";
	m->host = b->ncomm ? b->comm_name[0] : NULL;
	m->recorder = b->ncomm > 1 ? b->comm_name[1] : m->host;
	m->topic = topic;
	m->agenda = type == ZB_MT_COMMITTEE  ? "一、学习上级文件精神\n二、研究本月重点工作\n三、讨论党员教育管理事项"
	            : type == ZB_MT_THEME_DAY ? "一、重温入党誓词\n二、集中学习\n三、开展主题实践活动"
	            : type == ZB_MT_GROUP     ? "一、学习有关文件\n二、交流思想和工作情况\n三、安排下月工作"
	            : type == ZB_MT_PLENARY   ? "一、通报支部工作情况\n二、讨论决定有关事项\n三、布置下一阶段工作"
	                                      : NULL;
	m->speaker = type == ZB_MT_LECTURE ? (m->host ? m->host : "支部书记") : NULL;
	m->minutes = type == ZB_MT_TALK ? "交流思想和工作情况，提出意见建议，双方表示互相支持。"
	                                : "会议传达学习了有关精神，结合实际进行了讨论，明确了下一步工作安排。";
	if (type == ZB_MT_TALK) {
		m->talk_a_id = ta;
		m->talk_b_id = tb;
		m->talk_a_name = member_name(g, b, ta);
		m->talk_b_name = member_name(g, b, tb);
	}
	prep(g, m, org_path, b->name);
	m->created_at = m->start_at + 3600;
	g->rate[g->nms++] = b->rate;
	if (type == ZB_MT_TALK)
		g->talks++;
	else
		g->meetings++;
	return 0;
}

/* The marks of the month's meetings [first, last]: present by the rate
 * of each (demo_rate), some on leave with a reason, the rest absent;
 * members at risk absent after their last month.  Talks are inserted
 * present (source manual) and are left alone. */
#define HASH "((meeting_attendance.member_id * 2654435761 + meeting_attendance.meeting_id * 40503 + ?) % 1000)"
#define AT_RISK \
	"EXISTS (SELECT 1 FROM demo_risk k WHERE k.member_id = meeting_attendance.member_id " \
	"AND k.last_ym < meeting_attendance.held_ym)"
#define RATES(SRC) \
	"INSERT INTO demo_rate (meeting_id, p_rate, l_rate) SELECT CAST(r.j ->> 0 AS BIGINT), " \
	"CAST(r.j ->> 1 AS BIGINT), CAST(r.j ->> 2 AS BIGINT) FROM " SRC " AS r"

static int mark(dg *g, int64_t first, int64_t last, zb_err *e)
{
	int64_t salt = (int64_t)(g->seed & 0xffff);
	int rc = zb_db_exec(g->db, "DELETE FROM demo_rate", e);
	zb_buf b = {0};
	for (int i = 0; !rc && i < g->nms; i += 500) {
		zb_buf_reset(&b);
		for (int k = i; k < g->nms && k < i + 500; k++)
			if (zb_buf_printf(&b, "%c[%lld,%d,%d]", k > i ? ',' : '[', (long long)g->ms[k].id, g->rate[k],
			                  g->rate[k] + (1000 - g->rate[k]) / 2))
				rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		if (!rc && zb_buf_putc(&b, ']'))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		if (!rc)
			rc = zb_db_run(g->db, e, NULL,
			               zb_db_backend(g->db) == ZB_DB_PG ? RATES(ZB_JSON_ROWS_PG) : RATES(ZB_JSON_ROWS_SQLITE), "s",
			               b.data);
	}
	zb_buf_release(&b);
	if (rc)
		return rc;
	return zb_db_run(g->db, e, NULL,
	                 "UPDATE meeting_attendance SET source = 'manual', "
	                 "status = CASE WHEN " AT_RISK " THEN 'absent' WHEN " HASH " < r.p_rate THEN 'present' "
	                 "WHEN " HASH " < r.l_rate THEN 'leave' ELSE 'absent' END, "
	                 "reason = CASE WHEN " AT_RISK " THEN NULL WHEN " HASH " < r.p_rate THEN NULL "
	                 "WHEN " HASH " < r.l_rate THEN "
	                 "CASE (meeting_attendance.member_id + meeting_attendance.meeting_id) % 4 WHEN 0 THEN '因病请假' "
	                 "WHEN 1 THEN '外出务工' WHEN 2 THEN '因公出差' ELSE '家中有事' END ELSE NULL END "
	                 "FROM demo_rate r WHERE r.meeting_id = meeting_attendance.meeting_id "
	                 "AND meeting_attendance.meeting_id >= ? AND meeting_attendance.meeting_id <= ? "
	                 "AND meeting_attendance.source = 'roster'",
	                 "iiiiii", salt, salt, salt, salt, first, last);
}

static int64_t at(int ym, int day, int hour, int minute)
{
	char d[11];
	zb_md_ym_last(ym, d);
	if (day > atoi(d + 8))
		day = atoi(d + 8); /* stay inside the month, February too */
	zb_md_ym_first(ym, d);
	return zb_md_time_of(d) + (int64_t)(day - 1) * 86400 + hour * 3600 + minute * 60;
}

/* 民主评议 of the year: votes by hash, grades and the 优秀 cap by the domain */
static int appraise(dg *g, dbranch *b, int64_t mid, const char *held_on, int year, zb_err *e)
{
	int64_t aid = 0, v = 0;
	int rc = zb_db_int(g->db, e, &v, "SELECT present_count FROM meetings WHERE id = ?", "i", mid);
	if (!rc)
		rc = zb_appraisal_open(g->db, b->id, b->path, year, g->today, mid, g->now, &aid, e);
	if (v < 1)
		v = 1;
	int64_t salt = (int64_t)(g->seed & 0xffff) + year;
	if (!rc)
		rc = zb_db_run(g->db, e, NULL,
		               "UPDATE appraisal_items SET self_assessment = '对照党员标准，认真学习，积极参加组织生活，"
		               "在本职岗位上发挥先锋模范作用；不足是理论学习还不够深入。', "
		               "v_basic = CASE WHEN (member_id + ?) % 40 = 0 THEN ? ELSE 0 END, "
		               "v_excellent = CASE WHEN (member_id + ?) % 40 = 0 THEN 0 ELSE (? * ((member_id * 7919 + ?) % 70)) / 100 END, "
		               "v_qualified = ? - CASE WHEN (member_id + ?) % 40 = 0 THEN ? "
		               "ELSE (? * ((member_id * 7919 + ?) % 70)) / 100 END, "
		               "updated_at = ? WHERE appraisal_id = ?",
		               "iiiiiiiiiiii", salt, (v * 6) / 10, salt, v, salt, v, salt, (v * 6) / 10, v, salt, g->now, aid);
	zb_mrules r;
	if (!rc)
		rc = zb_mrules_cache_rules(g->rules, b->path, held_on, &r, e);
	if (!rc)
		rc = zb_appraisal_finalize(g->db, aid, &r, 0, g->now, e);
	g->appraisals += !rc;
	return rc;
}

/* 谈心谈话 of the year: committee pairs, the secretary with each member
 * of the committee, each member with the committee member of their group
 * (else the secretary); a weak branch does about half. */
static int talks(dg *g, dbranch *b, int ym, zb_rng *r, zb_err *e)
{
	int rc = 0, k = 0;
	if (!b->ncomm || !in_office(b, 0, at(ym, 1, 0, 0))) {
		/* no committee on the roster: members talk with each other */
		for (int i = 1; !rc && i < b->nm && i <= 3; i++) {
			int64_t t = at(ym, 5 + i, 19, 30);
			if (t < g->now - 600 && !(b->weak && zb_rng_chance(r, 50)))
				rc = add(g, b, b->id, b->path, ZB_MT_TALK, t, "交流思想和工作情况", g->m[b->m0].id, g->m[b->m0 + i].id, e);
		}
		return rc;
	}
	for (int i = 0; !rc && i < b->ncomm; i++)
		for (int j = i + 1; !rc && j < b->ncomm; j++, k++) {
			if (b->weak && zb_rng_chance(r, 50))
				continue;
			int64_t t = at(ym, 2 + k % 25, 15, 0);
			if (t < g->now - 600 && in_office(b, i, t) && in_office(b, j, t))
				rc = add(g, b, b->id, b->path, ZB_MT_TALK, t, "交流思想、工作和班子团结", b->comm[i], b->comm[j], e);
		}
	for (int i = 0; !rc && i < b->nm; i++) {
		const dmem *mm = &g->m[b->m0 + i];
		int incomm = 0;
		for (int c = 0; c < b->ncomm; c++)
			incomm |= b->comm[c] == mm->id;
		if (incomm)
			continue;
		int64_t t = at(zb_md_ym_add(ym, 1 + i % 2), 2 + i % 25, 19, 30);
		int64_t with = b->comm[0];
		int wi = 0;
		for (int c = 1; c < b->ncomm && mm->group_id; c++)
			for (int x = 0; x < b->nm; x++)
				if (g->m[b->m0 + x].id == b->comm[c] && g->m[b->m0 + x].group_id == mm->group_id &&
				    in_office(b, c, t))
					with = b->comm[c], wi = c;
		if (b->weak && zb_rng_chance(r, 50))
			continue;
		if (t < g->now - 600 && in_office(b, wi, t))
			rc = add(g, b, b->id, b->path, ZB_MT_TALK, t, "了解思想、工作和生活情况", with, mm->id, e);
	}
	return rc;
}

/* One branch's month, added to g->ms; *appraisal gets 1 + the index of a
 * 民主评议 meeting to grade once the month is counted (0 if none). */
static int month(dg *g, dbranch *b, int ym, int64_t *appraisal, zb_err *e)
{
	zb_rng r = zb_rng_for(g->seed, (uint64_t)b->id, (uint64_t)ym);
	int mon = ym % 100, yoff = zb_md_ym_diff(ym, g->cur_ym - 200) / 12, rc = 0;
	const char *topic = TOPICS[(b->id + ym) % NTOPICS];
	int64_t limit = g->now - 600;
	*appraisal = 0;
	int64_t t = at(ym, b->day, 9, 0);
	if (!rc && t < limit && !(b->weak && zb_rng_chance(&r, 30)))
		rc = add(g, b, b->id, b->path, ZB_MT_THEME_DAY, t, topic, 0, 0, e);
	t = at(ym, b->day > 1 ? b->day - 1 : 1, 19, 30);
	{
		/* a committee elected this month meets soon after */
		char end[11];
		zb_md_ym_last(ym, end);
		int64_t formed = 0;
		if (committee_on(b, t) < 3 && committee_on(b, zb_md_time_of(end)) >= 3)
			for (int d = 1; d <= atoi(end + 8) && !formed; d++)
				if (committee_on(b, at(ym, d, 0, 0)) >= 3)
					formed = at(ym, d, 19, 30);
		if (formed)
			t = formed;
	}
	if (!rc && committee_on(b, t) >= 3 && t < limit && !(b->weak && zb_rng_chance(&r, 35))) {
		rc = add(g, b, b->id, b->path, ZB_MT_COMMITTEE, t, topic, 0, 0, e);
		/* a diligent committee reschedules rather than meet short */
		if (!rc && !b->weak)
			g->rate[g->nms - 1] = 990;
	}
	for (int i = 0; !rc && i < b->ng; i++) {
		const dgroup *gr = &g->g[b->g0 + i];
		t = at(ym, b->day + 3 + i, 19, 0);
		if (t < limit && !(b->weak && zb_rng_chance(&r, 40)))
			rc = add(g, b, gr->id, gr->path, ZB_MT_GROUP, t, topic, 0, 0, e);
	}
	t = at(ym, b->day + 5, 14, 30);
	if (!rc && mon % 3 == 2 && t < limit && !b->plenary_skip[(yoff * 4 + (mon - 1) / 3) % 12])
		rc = add(g, b, b->id, b->path, ZB_MT_PLENARY, t, topic, 0, 0, e);
	t = at(ym, b->day + 7, 14, 30);
	if (!rc && (mon == 6 || mon == 11) && t < limit && !(b->weak && zb_rng_chance(&r, 50)))
		rc = add(g, b, b->id, b->path, ZB_MT_LECTURE, t, "党课：牢记初心使命，争做合格党员", 0, 0, e);
	if (!rc && mon == 12) {
		t = at(ym, 20, 9, 0);
		if (t < limit && !(b->weak && zb_rng_chance(&r, 40)))
			rc = add(g, b, b->id, b->path, ZB_MT_LIFE_MEETING, t, "年度组织生活会：对照检查，开展批评和自我批评", 0, 0, e);
		t = at(ym, 20, 14, 30);
		if (!rc && t < limit && !(b->weak && zb_rng_chance(&r, 40))) {
			rc = add(g, b, b->id, b->path, ZB_MT_APPRAISAL, t, "民主评议党员", 0, 0, e);
			*appraisal = g->nms;
		}
	}
	if (!rc && mon == 3)
		rc = talks(g, b, ym, &r, e);
	return rc;
}

/* ---- members at risk ---- */

static int pick_risks(dg *g, zb_err *e)
{
	static const int months[] = {3, 4, 5, 6, 7, 9};
	int rc = zb_db_exec(g->db,
	                    "CREATE TEMP TABLE IF NOT EXISTS demo_risk (member_id BIGINT PRIMARY KEY, last_ym BIGINT NOT NULL); "
	                    "CREATE TEMP TABLE IF NOT EXISTS demo_rate (meeting_id BIGINT PRIMARY KEY, p_rate BIGINT NOT NULL, "
	                    "l_rate BIGINT NOT NULL)",
	                    e);
	if (!rc)
		rc = zb_db_exec(g->db, "DELETE FROM demo_risk", e);
	for (int i = 0; !rc && i < g->nm; i++) {
		const dmem *m = &g->m[i];
		zb_rng r = zb_rng_for(g->seed, (uint64_t)m->id, 77);
		if (zb_rng_below(&r, 1000) >= 10)
			continue;
		int k = months[zb_rng_below(&r, 6)];
		/* present last in cur-k-1: k complete months without since */
		int last = zb_md_ym_add(g->cur_ym, -k - 1);
		rc = zb_db_run(g->db, e, NULL, "INSERT INTO demo_risk (member_id, last_ym) VALUES (?, ?)", "ii", m->id, (int64_t)last);
		/* one in four has a secretary's explanation (illness) */
		if (!rc && zb_rng_below(&r, 4) == 0) {
			char from[11], to[11];
			zb_md_ym_first(zb_md_ym_add(last, 1), from);
			zb_md_ym_last(g->cur_ym, to);
			rc = zb_db_run(g->db, e, NULL,
			               "INSERT INTO risk_explanations (member_id, org_path, reason, from_on, to_on, from_ym, to_ym, "
			               "created_at) SELECT id, org_path, '因病住院治疗，经支部同意请长假', ?, ?, ?, ?, ? FROM members WHERE id = ?",
			               "ssiiii", from, to, (int64_t)zb_md_ym(from), (int64_t)g->cur_ym, g->now, m->id);
		}
	}
	return rc;
}

int zb_meeting_demo(zb_db *db, zb_app *app, uint64_t seed, zb_err *e)
{
	dg g;
	memset(&g, 0, sizeof g);
	g.db = db;
	g.app = app;
	g.seed = seed;
	g.now = zb_now(app);
	zb_today(app, g.today);
	g.cur_ym = zb_md_ym(g.today);
	zb_arena_init(&g.keep);
	zb_arena_init(&g.tmp);
	zb_mrules root;
	/* a generator that can simply be run again: trade durability for
	 * speed while it runs (back to the connection's default after) */
	int sqlite = zb_db_backend(db) == ZB_DB_SQLITE;
	/* PostgreSQL: the month's set-based statements cost more to JIT-compile
	 * than to run (meeting/bulk.c) */
	int rc = zb_db_exec(db, sqlite ? "PRAGMA synchronous=OFF; PRAGMA cache_size=-500000" : "SET jit = off", e);
	if (!rc)
		rc = zb_mrules_cache_new(db, "meeting_rules", &g.rules, e);
	if (!rc)
		rc = zb_mrules_cache_rules(g.rules, NULL, g.today, &root, e);
	if (!rc)
		rc = load(&g, &root, e);
	for (int i = 0; !rc && i < g.nb; i++) {
		dbranch *b = &g.b[i];
		zb_rng r = zb_rng_for(seed, (uint64_t)b->id, 1);
		b->weak = zb_rng_below(&r, 100) < 18;
		b->rate = b->weak ? 500 + zb_rng_below(&r, 250) : 850 + zb_rng_below(&r, 120);
		b->day = 3 + zb_rng_below(&r, 18);
		for (int q = 0; q < 12; q++)
			b->plenary_skip[q] = b->weak && zb_rng_chance(&r, 40);
		if (b->m0 < 0)
			b->nm = 0;
		if (b->g0 < 0)
			b->ng = 0;
	}
	/* the two secondary indexes that every mark and recount would churn
	 * (status and quorum_ok are in them) are built once at the end;
	 * their definitions are those of migration 0005 */
	if (!rc)
		rc = zb_db_exec(db, "DROP INDEX IF EXISTS meeting_attendance_member; DROP INDEX IF EXISTS meetings_subtree", e);
	/* PostgreSQL: room on each page for the row's second version, so that
	 * the marks and the totals update in place (HOT: no index entry) */
	if (!rc && !sqlite)
		rc = zb_db_exec(db, "ALTER TABLE meeting_attendance SET (fillfactor = 50); ALTER TABLE meetings SET (fillfactor = 60)", e);
	if (!rc && (rc = zb_db_begin_write(db, e)) == 0) {
		rc = pick_risks(&g, e);
		if (!rc)
			rc = zb_db_commit(db, e);
		else
			zb_db_rollback(db);
	}
	/* month by month over two years, one transaction each: the rule
	 * snapshots of a month's dates stay in the cache.  Meetings are
	 * inserted with their 应到 lists, marked per branch, then counted
	 * for the whole month at once. */
	int64_t *apr = calloc((size_t)(g.nb ? g.nb : 1), sizeof *apr);
	if (!apr && !rc)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	for (int ym = zb_md_ym_add(g.cur_ym, -24); !rc && ym <= g.cur_ym; ym = zb_md_ym_add(ym, 1)) {
		if ((rc = zb_db_begin_write(db, e)))
			break;
		g.nms = 0;
		for (int i = 0; !rc && i < g.nb; i++)
			if (g.b[i].nm)
				rc = month(&g, &g.b[i], ym, &apr[i], e);
		if (!rc && g.nms)
			rc = zb_meeting_insert_bulk(db, g.ms, g.nms, g.rules, 0, e);
		int64_t first = g.nms ? g.ms[0].id : 0, last = g.nms ? g.ms[g.nms - 1].id : 0;
		if (!rc && first)
			rc = mark(&g, first, last, e);
		if (!rc && first)
			rc = zb_meeting_recount_range(db, first, last, g.rules, e);
		if (!rc && first)
			rc = zb_db_run(db, e, NULL,
			               "INSERT INTO meeting_resolutions (meeting_id, title, yes, no, abstain, created_at) "
			               "SELECT id, topic, present_voters - CASE WHEN id % 3 = 0 AND present_voters > 1 THEN 1 ELSE 0 END, "
			               "CASE WHEN id % 3 = 0 AND present_voters > 1 THEN 1 ELSE 0 END, 0, start_at + 3600 "
			               "FROM meetings WHERE id >= ? AND id <= ? AND type = 'plenary' AND present_voters > 0 ORDER BY id",
			               "ii", first, last);
		for (int i = 0; !rc && i < g.nb; i++)
			if (apr[i]) {
				char held[11];
				zb_md_ym_last(ym, held);
				rc = appraise(&g, &g.b[i], g.ms[apr[i] - 1].id, held, ym / 100, e);
				apr[i] = 0;
			}
		if (rc) {
			zb_db_rollback(db);
			break;
		}
		rc = zb_db_commit(db, e);
		zb_arena_free(&g.tmp);
		zb_arena_init(&g.tmp);
	}
	free(apr);
	if (!rc)
		rc = zb_db_exec(db, "DROP TABLE demo_risk; DROP TABLE demo_rate", e);
	{
		zb_err ie = {0};
		int irc = zb_db_exec(db,
		                     "CREATE INDEX IF NOT EXISTS meeting_attendance_member ON meeting_attendance(member_id, status, held_ym); "
		                     "CREATE INDEX IF NOT EXISTS meetings_subtree ON meetings(org_path, held_on, type, quorum_ok)",
		                     &ie);
		if (irc && !rc) {
			*e = ie;
			rc = irc;
		}
	}
	{
		zb_err ignore = {0};
		zb_db_exec(db,
		           sqlite ? "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536"
		                  : "RESET jit; ALTER TABLE meeting_attendance RESET (fillfactor); ALTER TABLE meetings RESET (fillfactor)",
		           &ignore);
	}
	zb_mrules_cache_free(g.rules);
	free(g.ms);
	free(g.rate);
	free(g.b);
	free(g.m);
	free(g.g);
	zb_arena_free(&g.keep);
	zb_arena_free(&g.tmp);
	return rc;
}
