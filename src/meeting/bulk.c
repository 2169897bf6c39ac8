/* bulk.c - many meetings at once (the demo's loads, meeting.h).
 *
 * The same records as zb_meeting_insert and zb_meeting_recount make, in
 * statements of up to a few hundred meetings each: the rows travel as one
 * JSON parameter (store/db.h ZB_JSON_ROWS_*), so a month of a county is a
 * few dozen round trips to the server, not several per meeting.
 *
 * The 应到 lists are computed by the server from member_history with the
 * rule of member/history.h, written out in SQL: a member's org, 党小组,
 * status or category on date D is the old value of the earliest change of
 * it effective after D ((effective_on, id) order; status and category
 * changes without an old value do not count), else today's; an org change
 * without an old value leaves no org.  Who is listed and with what vote is
 * then as in meeting.c roster_list.  onx is materialized so that the test
 * for changes after the date runs once per candidate; the three sources
 * of candidates do not overlap (those moved out are not in the subtree
 * today; committee lists are apart), so only the small ones are made
 * DISTINCT.
 *
 * These statements are large enough for PostgreSQL's JIT to compile them
 * (hundreds of milliseconds a statement, more than running them): a bulk
 * load runs with jit off (meeting/demo.c). */
#include "meeting/meeting.h"
#include "auth/authz.h"
#include "core/jw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEETINGS_PER_INSERT 200
#define LISTS_PER_INSERT 100
#define COUNTS_PER_UPDATE 300

static int run_json(zb_db *db, zb_err *e, const char *sql_pg, const char *sql_sqlite, zb_buf *b)
{
	return zb_db_run(db, e, NULL, zb_db_backend(db) == ZB_DB_PG ? sql_pg : sql_sqlite, "s", b->data);
}

static int jw_done(zb_jw *w, zb_err *e)
{
	jw_arr_end(w);
	return jw_finish(w) ? zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：批量写入的数据过大") : 0;
}

static void jw_id(zb_jw *w, int64_t v)
{
	if (v)
		jw_int(w, v);
	else
		jw_null(w);
}

/* ---- the meeting rows ---- */

#define J(i) "r.j ->> " #i
#define JI(i) "CAST(r.j ->> " #i " AS BIGINT)"
#define INS_MEETINGS(SRC)                                                                                            \
	"INSERT INTO meetings (org_id, org_path, type, title, start_at, end_at, held_on, held_ym, place, host, "     \
	"recorder, speaker, topic, agenda, minutes, is_election, talk_a_id, talk_a_name, talk_b_id, talk_b_name, "   \
	"created_by, created_at, updated_at) SELECT " JI(0) ", " J(1) ", " J(2) ", " J(3) ", " JI(4) ", " JI(5) ", " \
	J(6) ", " JI(7) ", " J(8) ", " J(9) ", " J(10) ", " J(11) ", " J(12) ", " J(13) ", " J(14) ", " JI(15) ", "   \
	JI(16) ", " J(17) ", " JI(18) ", " J(19) ", " JI(20) ", " JI(21) ", " JI(21) " FROM " SRC " AS r RETURNING id"

static int by_id(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return a < b ? -1 : a > b;
}

/* ms[0..n): one INSERT; the ids it returns, sorted, are those of the rows
 * in the order given (both backends number rows as they insert them) */
static int insert_rows(zb_db *db, zb_meeting *ms, int n, int64_t by_user, zb_err *e)
{
	zb_buf b = {0};
	zb_jw w;
	jw_init(&w, &b);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		const zb_meeting *m = &ms[i];
		jw_arr(&w);
		jw_int(&w, m->org_id);
		jw_str(&w, m->org_path);
		jw_str(&w, zb_mtype_code(m->type));
		jw_str(&w, m->title);
		jw_int(&w, m->start_at);
		jw_id(&w, m->end_at);
		jw_str(&w, m->held_on);
		jw_int(&w, m->held_ym);
		jw_str(&w, m->place);
		jw_str(&w, m->host);
		jw_str(&w, m->recorder);
		jw_str(&w, m->speaker);
		jw_str(&w, m->topic);
		jw_str(&w, m->agenda);
		jw_str(&w, m->minutes);
		jw_int(&w, m->is_election);
		jw_id(&w, m->talk_a_id);
		jw_str(&w, m->talk_a_name);
		jw_id(&w, m->talk_b_id);
		jw_str(&w, m->talk_b_name);
		jw_id(&w, by_user);
		jw_int(&w, m->created_at);
		jw_arr_end(&w);
	}
	int rc = jw_done(&w, e);
	int64_t *ids = rc ? NULL : malloc(sizeof *ids * (size_t)n);
	if (!rc && !ids)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_stmt *st = NULL;
	if (!rc) {
		st = zb_db_query(db, e,
		                 zb_db_backend(db) == ZB_DB_PG ? INS_MEETINGS(ZB_JSON_ROWS_PG) : INS_MEETINGS(ZB_JSON_ROWS_SQLITE),
		                 "s", b.data);
		if (!st)
			rc = e->code;
	}
	int got = 0, s = 0;
	while (st && (s = zb_stmt_step(st, e)) == 1)
		if (got < n)
			ids[got++] = zb_col_int(st, 0);
	zb_stmt_done(st);
	if (!rc && s < 0)
		rc = -s;
	if (!rc && got != n)
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：批量写入会议记录 %d 条，只得到 %d 个编号", n, got);
	if (!rc) {
		qsort(ids, (size_t)n, sizeof *ids, by_id);
		for (int i = 0; i < n; i++) {
			ms[i].id = ids[i];
			ms[i].created_by = by_user;
			ms[i].updated_at = ms[i].created_at;
		}
	}
	free(ids);
	zb_buf_release(&b);
	return rc;
}

/* ---- the 应到 lists ---- */

/* The meetings are new: no rows to merge with (the upsert of meeting.c is
 * for re-syncs), and each person comes once per meeting (IN; the candidate sources apart). */
#define ATT_INS "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, has_vote, status, source, updated_at) "
/* talks: [meeting, held_ym, time, a, b]; both people present (meeting.c INS_TALK) */
#define INS_TALKS(SRC)                                                                                             \
	ATT_INS "SELECT " JI(0) ", mb.id, " JI(1) ", 0, 'present', 'manual', " JI(2) " FROM " SRC " AS r "          \
	"JOIN members mb ON mb.id IN (" JI(3) ", " JI(4) ")"

/* the others: [meeting, held_ym, time, subtree path, its upper bound, date,
 * committee org (0: by subtree), branch and group (0: not a group
 * meeting), roster statuses, no-vote statuses] */
#define LIST_HEAD                                                                                                    \
	"WITH mm AS MATERIALIZED (SELECT " JI(0) " AS mid, " JI(1) " AS ym, " JI(2) " AS t, " J(3) " AS p0, " J(4)     \
	" AS p1, " J(5) " AS d, " JI(6) " AS corg, " JI(7) " AS branch, " JI(8) " AS grp, " J(9) " AS rs, " J(10)      \
	" AS nv FROM "
/* candidates as member/history.c takes them: in the subtree today, or
 * moved out of it after the date, or holding a committee post then; with
 * whether any change of theirs is dated after it (hx) */
#define MB_COLS                                                                                                 \
	"mb.id, mb.org_id, mb.org_path, COALESCE(mb.group_id, 0) AS group_id, mb.status, mb.category, mb.join_date, " \
	"mb.full_date"
#define LIST_TAIL                                                                                                    \
	" AS r), "                                                                                                       \
	"moved AS MATERIALIZED (SELECT h.member_id, h.effective_on, o.path FROM member_history h "                    \
	"JOIN orgs o ON o.id = (CASE WHEN h.kind = 'org' THEN CAST(h.old_value AS BIGINT) END) WHERE h.kind = 'org'), " \
	"cand AS (SELECT mm.mid AS cmid, " MB_COLS " FROM mm JOIN members mb ON mb.org_path >= mm.p0 "                 \
	"AND mb.org_path < mm.p1 WHERE mm.corg = 0 "                                                                     \
	"UNION ALL SELECT DISTINCT mm.mid, " MB_COLS " FROM mm JOIN moved v ON v.effective_on > mm.d "                  \
	"AND v.path >= mm.p0 AND v.path < mm.p1 JOIN members mb ON mb.id = v.member_id WHERE mm.corg = 0 "             \
	"AND NOT (mb.org_path >= mm.p0 AND mb.org_path < mm.p1) "                                                       \
	"UNION ALL SELECT DISTINCT mm.mid, " MB_COLS " FROM mm JOIN committee_posts cp ON cp.org_id = mm.corg "         \
	"JOIN members mb ON mb.id = cp.member_id WHERE mm.corg <> 0 AND cp.started_on <= mm.d "                        \
	"AND (cp.ended_on IS NULL OR cp.ended_on >= mm.d)), "                                                          \
	"onx AS MATERIALIZED (SELECT mm.*, c.id, c.org_id, c.org_path, c.group_id, c.status, c.category, c.join_date, " \
	"c.full_date, EXISTS (SELECT 1 FROM member_history h WHERE h.member_id = c.id AND h.effective_on > mm.d "      \
	"AND h.kind IN ('org', 'group', 'status', 'category')) AS hx FROM cand c JOIN mm ON mm.mid = c.cmid), "         \
	"ond AS (SELECT onx.*, "                                                                                        \
	"CASE WHEN hx THEN (SELECT COALESCE(h.old_value, '') FROM member_history h WHERE h.member_id = onx.id "        \
	"AND h.kind = 'org' AND h.effective_on > onx.d ORDER BY h.effective_on, h.id LIMIT 1) END AS xorg, "           \
	"CASE WHEN hx THEN (SELECT COALESCE(h.old_value, '') FROM member_history h WHERE h.member_id = onx.id "        \
	"AND h.kind = 'group' AND h.effective_on > onx.d ORDER BY h.effective_on, h.id LIMIT 1) END AS xgroup, "       \
	"CASE WHEN hx THEN (SELECT h.old_value FROM member_history h WHERE h.member_id = onx.id AND h.kind = 'status' " \
	"AND h.old_value IS NOT NULL AND h.effective_on > onx.d ORDER BY h.effective_on, h.id LIMIT 1) END AS xstatus, " \
	"CASE WHEN hx THEN (SELECT h.old_value FROM member_history h WHERE h.member_id = onx.id "                      \
	"AND h.kind = 'category' AND h.old_value IS NOT NULL AND h.effective_on > onx.d "                              \
	"ORDER BY h.effective_on, h.id LIMIT 1) END AS xcat FROM onx), "                                               \
	"fin AS (SELECT mid, ym, t, p0, p1, d, corg, branch, grp, rs, nv, id, join_date, full_date, "                  \
	"CASE WHEN xorg IS NULL THEN org_id WHEN xorg = '' THEN 0 ELSE CAST(xorg AS BIGINT) END AS org_on, "             \
	"CASE WHEN xorg IS NULL THEN org_path WHEN xorg = '' THEN NULL "                                               \
	"ELSE (SELECT o.path FROM orgs o WHERE o.id = CAST(xorg AS BIGINT)) END AS path_on, "                          \
	"CASE WHEN xgroup IS NULL THEN group_id WHEN xgroup = '' THEN 0 ELSE CAST(xgroup AS BIGINT) END AS group_on, "   \
	"COALESCE(xstatus, status) AS status_on, COALESCE(xcat, category) AS cat_on FROM ond) "                        \
	ATT_INS "SELECT mid, id, ym, CASE WHEN corg <> 0 OR (cat_on = 'full' AND (full_date IS NULL OR full_date <= d) " \
	"AND NOT (nv LIKE '%,' || status_on || ',%')) THEN 1 ELSE 0 END, 'absent', 'roster', t FROM fin "              \
	"WHERE (join_date IS NULL OR join_date <= d) AND status_on <> '' AND rs LIKE '%,' || status_on || ',%' "        \
	"AND (corg <> 0 OR (path_on >= p0 AND path_on < p1 AND (grp = 0 OR (org_on = branch AND group_on = grp))))"
#define INS_LISTS(SRC) LIST_HEAD SRC LIST_TAIL

/* one meeting's row of the list statement; 0 = nobody to list */
static int list_row(zb_jw *w, const zb_meeting *m, const zb_mrules *r)
{
	char p0[512], p1[512];
	int64_t corg = 0, branch = 0;
	const char *path = m->org_path;
	size_t len = path ? strlen(path) : 0;
	if (m->type == ZB_MT_COMMITTEE) {
		corg = m->org_id;
		len = 0;
	} else if (m->type == ZB_MT_GROUP && !(branch = zb_meeting_group_branch(path, &len))) {
		return 0;
	}
	if (!corg && (!path || len >= sizeof p0))
		return 0;
	snprintf(p0, sizeof p0, "%.*s", (int)len, path ? path : "");
	zb_path_upper(p0, p1, sizeof p1);
	jw_arr(w);
	jw_int(w, m->id);
	jw_int(w, m->held_ym);
	jw_int(w, m->created_at);
	jw_str(w, p0);
	jw_str(w, p1);
	jw_str(w, m->held_on);
	jw_int(w, corg);
	jw_int(w, branch);
	jw_int(w, m->type == ZB_MT_GROUP ? m->org_id : 0);
	jw_str(w, r->roster_statuses);
	jw_str(w, r->no_vote_statuses);
	jw_arr_end(w);
	return 1;
}

static int write_lists(zb_db *db, const zb_meeting *ms, int n, zb_mrules_cache *rules, zb_err *e)
{
	zb_buf talks = {0}, lists = {0};
	zb_jw tw, lw;
	int rc = 0, nt = 0, nl = 0;
	jw_init(&tw, &talks);
	jw_init(&lw, &lists);
	jw_arr(&tw);
	jw_arr(&lw);
	for (int i = 0; !rc && i < n; i++) {
		const zb_meeting *m = &ms[i];
		if (m->type == ZB_MT_TALK) {
			jw_arr(&tw);
			jw_int(&tw, m->id);
			jw_int(&tw, m->held_ym);
			jw_int(&tw, m->created_at);
			jw_id(&tw, m->talk_a_id);
			jw_id(&tw, m->talk_b_id);
			jw_arr_end(&tw);
			nt++;
		} else {
			zb_mrules r;
			rc = zb_mrules_cache_rules(rules, m->org_path, m->held_on, &r, e);
			if (!rc)
				nl += list_row(&lw, m, &r);
		}
		if (!rc && (nl == LISTS_PER_INSERT || (i == n - 1 && nl))) {
			rc = jw_done(&lw, e);
			if (!rc)
				rc = run_json(db, e, INS_LISTS(ZB_JSON_ROWS_PG), INS_LISTS(ZB_JSON_ROWS_SQLITE), &lists);
			zb_buf_reset(&lists);
			jw_init(&lw, &lists);
			jw_arr(&lw);
			nl = 0;
		}
		if (!rc && (nt == MEETINGS_PER_INSERT || (i == n - 1 && nt))) {
			rc = jw_done(&tw, e);
			if (!rc)
				rc = run_json(db, e, INS_TALKS(ZB_JSON_ROWS_PG), INS_TALKS(ZB_JSON_ROWS_SQLITE), &talks);
			zb_buf_reset(&talks);
			jw_init(&tw, &talks);
			jw_arr(&tw);
			nt = 0;
		}
	}
	zb_buf_release(&talks);
	zb_buf_release(&lists);
	return rc;
}

int zb_meeting_insert_bulk(zb_db *db, zb_meeting *ms, int n, zb_mrules_cache *rules, int64_t by_user, zb_err *e)
{
	int rc = 0;
	for (int i = 0; !rc && i < n; i += MEETINGS_PER_INSERT)
		rc = insert_rows(db, ms + i, n - i < MEETINGS_PER_INSERT ? n - i : MEETINGS_PER_INSERT, by_user, e);
	return rc ? rc : write_lists(db, ms, n, rules, e);
}

/* ---- totals ---- */

#define SET_COUNTS(SRC)                                                                                               \
	"UPDATE meetings SET expected_count = " JI(1) ", present_count = " JI(2) ", leave_count = " JI(3) ", "         \
	"absent_count = " JI(4) ", voters = " JI(5) ", present_voters = " JI(6) ", quorum_base = " JI(7) ", "           \
	"quorum_present = " JI(8) ", quorum_need = " JI(9) ", quorum_ok = " JI(10) " FROM " SRC " AS r "               \
	"WHERE meetings.id = " JI(0)

int zb_meeting_recount_range(zb_db *db, int64_t first_id, int64_t last_id, zb_mrules_cache *rules, zb_err *e)
{
	zb_stmt *st = zb_db_query(db, e,
	                          "SELECT m.id, m.type, m.is_election, m.org_path, m.held_on, COUNT(a.member_id), "
	                          "COALESCE(SUM(CASE WHEN a.status = 'present' THEN 1 ELSE 0 END), 0), "
	                          "COALESCE(SUM(CASE WHEN a.status = 'leave' THEN 1 ELSE 0 END), 0), "
	                          "COALESCE(SUM(CASE WHEN a.status = 'absent' THEN 1 ELSE 0 END), 0), "
	                          "COALESCE(SUM(a.has_vote), 0), "
	                          "COALESCE(SUM(CASE WHEN a.status = 'present' AND a.has_vote = 1 THEN 1 ELSE 0 END), 0) "
	                          "FROM meetings m LEFT JOIN meeting_attendance a ON a.meeting_id = m.id AND a.on_roster = 1 "
	                          "WHERE m.id >= ? AND m.id <= ? GROUP BY m.id, m.type, m.is_election, m.org_path, m.held_on "
	                          "ORDER BY m.id",
	                          "ii", first_id, last_id);
	if (!st)
		return e->code;
	/* the totals of each, in the rows of the UPDATEs; written once the
	 * read is done (no statement runs inside an open cursor) */
	zb_buf b = {0};
	int rc, n = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		zb_meeting m;
		zb_mrules r;
		memset(&m, 0, sizeof m);
		m.id = zb_col_int(st, 0);
		m.type = zb_mtype_from(zb_col_text(st, 1));
		m.is_election = (int)zb_col_int(st, 2);
		snprintf(m.held_on, sizeof m.held_on, "%s", zb_col_text(st, 4) ? zb_col_text(st, 4) : "");
		m.expected = (int)zb_col_int(st, 5);
		m.present = (int)zb_col_int(st, 6);
		m.leave = (int)zb_col_int(st, 7);
		m.absent = (int)zb_col_int(st, 8);
		m.voters = (int)zb_col_int(st, 9);
		m.present_voters = (int)zb_col_int(st, 10);
		if ((rc = zb_mrules_cache_rules(rules, zb_col_text(st, 3), m.held_on, &r, e))) {
			rc = -rc;
			break;
		}
		zb_meeting_quorum_set(&m, &r);
		if (zb_buf_printf(&b, "%c[%lld,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d]%s", n ? ',' : '[', (long long)m.id, m.expected,
		                  m.present, m.leave, m.absent, m.voters, m.present_voters, m.quorum_base, m.quorum_present,
		                  m.quorum_need, m.quorum_ok, n + 1 == COUNTS_PER_UPDATE ? "]\n" : "")) {
			rc = -zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
			break;
		}
		n = (n + 1) % COUNTS_PER_UPDATE;
	}
	zb_stmt_done(st);
	rc = rc < 0 ? -rc : 0;
	if (!rc && n && zb_buf_puts(&b, "]\n"))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	/* one UPDATE per line */
	for (char *p = b.data, *nl; !rc && p && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = 0;
		rc = zb_db_run(db, e, NULL, zb_db_backend(db) == ZB_DB_PG ? SET_COUNTS(ZB_JSON_ROWS_PG) : SET_COUNTS(ZB_JSON_ROWS_SQLITE),
		               "s", p);
	}
	zb_buf_release(&b);
	return rc;
}
