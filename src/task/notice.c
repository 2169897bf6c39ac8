/* notice.c - 通知公告 to a subtree with read receipts, and the 我的 list
 * (task.h). */
#include "task/task.h"
#include "task/tsql.h"

#include "core/escape.h"
#include "core/grow.h"
#include "core/jw.h"
#include "dues/dues.h"
#include "org/org.h"
#include "study/study.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who a notice reaches: accounts (not disabled) with a business role
 * granted at an org of the subtree, or linked to a member of an org of
 * it whose member is still on the roll; with types, at orgs of those
 * types only.  RCPT_SQL: (uid, oid) rows; parameters: path, path, types,
 * types, path, path, types, types. */
#define TYPES_OK(x) "(? = '[]' OR ? LIKE '%\"' || " x ".type || '\"%')"
#define RCPT_SQL                                                                                                   \
	"SELECT g.user_id AS uid, g.org_id AS oid FROM grants g JOIN orgs go ON go.id = g.org_id "                     \
	"JOIN users gu ON gu.id = g.user_id WHERE gu.disabled = 0 "                                                    \
	"AND g.role_id NOT IN ('sys_admin', 'sec_admin', 'audit_admin') AND go.path >= ? AND go.path < ? || '~' AND "  \
	TYPES_OK("go") " UNION SELECT uu.id, mm.org_id FROM users uu JOIN members mm ON mm.id = uu.member_id "          \
	"JOIN orgs mo ON mo.id = mm.org_id WHERE uu.disabled = 0 AND mm.status NOT IN ('removed', 'deceased') "       \
	"AND mo.path >= ? AND mo.path < ? || '~' AND " TYPES_OK("mo")
/* The same for one notice n and one account (parameters: uid, uid). */
#define N_TYPES_OK(x) "(n.types = '[]' OR n.types LIKE '%\"' || " x ".type || '\"%')"
#define IS_RCPT                                                                                                    \
	"(EXISTS (SELECT 1 FROM grants g JOIN orgs go ON go.id = g.org_id WHERE g.user_id = ? "                        \
	"AND g.role_id NOT IN ('sys_admin', 'sec_admin', 'audit_admin') AND go.path >= n.org_path "                    \
	"AND go.path < n.org_path || '~' AND " N_TYPES_OK("go") ") OR EXISTS (SELECT 1 FROM users uu "                 \
	"JOIN members mm ON mm.id = uu.member_id JOIN orgs mo ON mo.id = mm.org_id WHERE uu.id = ? "                   \
	"AND mm.status NOT IN ('removed', 'deceased') AND mo.path >= n.org_path AND mo.path < n.org_path || '~' AND " \
	N_TYPES_OK("mo") "))"

#define NOTICE_COLS                                                                                               \
	"n.id, n.org_id, n.org_path, o.name, n.title, n.body, n.types, n.created_by, "                                 \
	"COALESCE(u.display_name, u.username), n.created_at "
#define NOTICE_FROM " FROM notices n JOIN orgs o ON o.id = n.org_id LEFT JOIN users u ON u.id = n.created_by "

static void read_notice(zb_stmt *st, zb_arena *a, zb_notice *n)
{
	memset(n, 0, sizeof *n);
	n->id = zb_col_int(st, 0);
	n->org_id = zb_col_int(st, 1);
	n->org_path = zb_arena_strdup(a, zb_col_text(st, 2));
	n->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	n->title = zb_arena_strdup(a, zb_col_text(st, 4));
	n->body = zb_arena_strdup(a, zb_col_text(st, 5));
	n->types = zb_arena_strdup(a, zb_col_text(st, 6));
	n->created_by = zb_col_int(st, 7);
	n->created_by_name = zb_arena_strdup(a, zb_col_text(st, 8));
	n->created_at = zb_col_int(st, 9);
}

int zb_notice_create(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t org_id, const char *title,
                     const char *body, json_t *types, int64_t now, int64_t *id, zb_err *e)
{
	if (!title || !*title || strlen(title) > 200 || !zb_utf8_valid(title, strlen(title)))
		return zb_fail(e, ZB_EINVAL, "title", "请填写通知标题（200 字节以内）");
	if (body && (strlen(body) > 20000 || !zb_utf8_valid(body, strlen(body))))
		return zb_fail(e, ZB_EINVAL, "body", "通知正文过长");
	if (types && !json_is_null(types)) {
		size_t i;
		json_t *v;
		if (!json_is_array(types))
			return zb_fail(e, ZB_EINVAL, "types", "组织类型应为数组");
		json_array_foreach(types, i, v)
		{
			const char *c = json_is_string(v) ? zb_org_type_from(json_string_value(v)) : NULL;
			if (!c || strcmp(c, json_string_value(v)))
				return zb_fail(e, ZB_EINVAL, "types", "未知的组织类型：%s", json_is_string(v) ? json_string_value(v) : "");
		}
	}
	char *tt = types && json_is_array(types) ? json_dumps(types, JSON_COMPACT) : NULL;
	char path[256] = "";
	zb_text_buf pb = {path, sizeof path};
	int rc = zb_db_one(db, e, "未找到该组织", zb_row_text, &pb, "SELECT path FROM orgs WHERE id = ?", "i", org_id);
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_int(db, e, id,
		               "INSERT INTO notices (org_id, org_path, title, body, types, created_by, created_at) "
		               "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		               "issssIi", org_id, path, title, body ? body : "", tt ? tt : "[]", by->user_id, now);
		if (!rc) {
			zb_audit_detail d;
			zb_jw *w = zb_audit_detail_begin(&d);
			jw_kstr(w, "title", title);
			jw_kstr(w, "types", tt ? tt : "[]");
			rc = zb_audit_change_detail(db, app, by, "notice.create", "notice", *id, path, &d, e);
		}
		rc = zb_db_end(db, rc, e);
	}
	free(tt);
	return rc;
}

typedef struct one_notice {
	zb_arena *a;
	zb_notice *n;
	int *recipient;
} one_notice;

static void read_one(zb_stmt *st, void *ctx)
{
	one_notice *x = ctx;
	read_notice(st, x->a, x->n);
	x->n->read_at = zb_col_int(st, 10);
	*x->recipient = zb_col_int(st, 11) != 0;
}

int zb_notice_get(zb_db *db, int64_t id, int64_t user_id, zb_arena *a, zb_notice *n, int *recipient, zb_err *e)
{
	one_notice x = {a, n, recipient};
	int rc = zb_db_one(db, e, "未找到该通知", read_one, &x,
	                   "SELECT " NOTICE_COLS ", COALESCE(nr.read_at, 0), CASE WHEN " IS_RCPT " THEN 1 ELSE 0 END"
	                   NOTICE_FROM "LEFT JOIN notice_reads nr ON nr.notice_id = n.id AND nr.user_id = ? WHERE n.id = ?",
	                   "iiii", user_id, user_id, user_id, id);
	zb_task_file_list fl = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, zb_task_file_row, &fl,
		                "SELECT id, notice_id, kind, filename, size, created_at FROM notice_files WHERE notice_id = ? "
		                "ORDER BY id",
		                "i", id);
	n->files = fl.v;
	n->nfiles = (int)fl.n;
	return rc;
}

int zb_notice_file_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t notice_id, const char *filename,
                       const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e)
{
	zb_notice n;
	int recipient;
	int rc = zb_notice_get(db, notice_id, 0, a, &n, &recipient, e);
	if (!rc && n.nfiles >= 10)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "每个通知最多 10 个附件");
	zb_file_owner o = {"INSERT INTO notice_files (notice_id, kind, filename, size, sm3, stored_name, created_by, "
	                   "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   notice_id, "notice.file", "notice", notice_id, n.org_path};
	return rc ? rc : zb_task_store_file(db, app, by, &o, filename, data, len, now, a, out, e);
}

int zb_notice_read(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, int64_t now, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_notice n;
	int recipient = 0;
	int64_t changed = 0;
	int rc = zb_notice_get(db, id, by->user_id, &a, &n, &recipient, e);
	if (!rc && recipient && !n.read_at && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_run(db, e, &changed,
		               "INSERT INTO notice_reads (notice_id, user_id, read_at) VALUES (?, ?, ?) "
		               "ON CONFLICT (notice_id, user_id) DO NOTHING",
		               "iii", id, by->user_id, now);
		if (!rc && changed) {
			zb_audit_detail d;
			zb_jw *w = zb_audit_detail_begin(&d);
			jw_kstr(w, "title", n.title);
			rc = zb_audit_change_detail(db, app, by, "notice.read", "notice", id, n.org_path, &d, e);
		}
		rc = zb_db_end(db, rc, e);
	}
	zb_arena_free(&a);
	return rc;
}

/* ---- receipts ---- */

typedef struct rcpt_list {
	zb_arena *a;
	zb_notice_rcpt *v;
	size_t n, cap;
} rcpt_list;

static int read_rcpt(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	rcpt_list *l = ctx;
	int64_t uid = zb_col_int(st, 0);
	if (l->n && l->v[l->n - 1].user_id == uid)
		return 0; /* one row a person: their first org */
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_notice_rcpt *r = &l->v[l->n++];
	r->user_id = uid;
	r->name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	r->org_id = zb_col_int(st, 2);
	r->org_name = zb_arena_strdup(l->a, zb_col_text(st, 3));
	r->read_at = zb_col_int(st, 4);
	return 0;
}

static int rcpt_cmp(const void *x, const void *y)
{
	const zb_notice_rcpt *a = x, *b = y;
	if ((a->read_at == 0) != (b->read_at == 0))
		return a->read_at == 0 ? -1 : 1;
	if (a->org_id != b->org_id)
		return a->org_id < b->org_id ? -1 : 1;
	return a->user_id < b->user_id ? -1 : a->user_id > b->user_id;
}

int zb_notice_receipts(zb_db *db, int64_t id, zb_arena *a, zb_notice_rcpt **out, int *n, zb_notice_org **orgs,
                       int *norgs, zb_err *e)
{
	zb_notice nt;
	int recipient;
	int rc = zb_notice_get(db, id, 0, a, &nt, &recipient, e);
	rcpt_list l = {a, NULL, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_rcpt, &l,
		                "SELECT r.uid, COALESCE(u.display_name, u.username), r.oid, o.name, COALESCE(nr.read_at, 0) "
		                "FROM (" RCPT_SQL ") r JOIN users u ON u.id = r.uid JOIN orgs o ON o.id = r.oid "
		                "LEFT JOIN notice_reads nr ON nr.notice_id = ? AND nr.user_id = r.uid ORDER BY r.uid, o.path",
		                "ssssssssi", nt.org_path, nt.org_path, nt.types, nt.types, nt.org_path, nt.org_path, nt.types,
		                nt.types, id);
	if (rc)
		return rc;
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, rcpt_cmp);
	*out = l.v;
	*n = (int)l.n;
	/* the orgs with unread, most unread first */
	zb_notice_org *g = zb_arena_alloc(a, (l.n + 1) * sizeof *g);
	int ng = 0;
	for (size_t i = 0; i < l.n; i++) {
		int k = 0;
		while (k < ng && g[k].org_id != l.v[i].org_id)
			k++;
		if (k == ng) {
			g[ng].org_id = l.v[i].org_id;
			g[ng].org_name = l.v[i].org_name;
			ng++;
		}
		g[k].total++;
		g[k].unread += l.v[i].read_at == 0;
	}
	int w = 0;
	for (int k = 0; k < ng; k++)
		if (g[k].unread)
			g[w++] = g[k];
	*orgs = g;
	*norgs = w;
	return 0;
}

typedef struct notice_list {
	zb_arena *a;
	zb_notice *v;
	size_t n, cap;
} notice_list;

static int read_list(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	notice_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	read_notice(st, l->a, &l->v[l->n]);
	if (zb_col_count(st) > 10)
		l->v[l->n].read_at = zb_col_int(st, 10);
	l->n++;
	return 0;
}

int zb_notice_list(zb_db *db, int64_t org_id, int limit, zb_arena *a, zb_notice **out, int *n, zb_err *e)
{
	notice_list l = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_list, &l, "SELECT " NOTICE_COLS NOTICE_FROM "WHERE n.org_id = ? ORDER BY n.id DESC LIMIT ?",
	                    "ii", org_id, (int64_t)limit);
	for (size_t i = 0; !rc && i < l.n; i++) {
		zb_notice_rcpt *r;
		zb_notice_org *g;
		int nr, ng;
		if (!(rc = zb_notice_receipts(db, l.v[i].id, a, &r, &nr, &g, &ng, e))) {
			l.v[i].recipients = nr;
			for (int k = 0; k < nr; k++)
				l.v[i].nread += r[k].read_at != 0;
		}
	}
	*out = l.v;
	*n = (int)l.n;
	return rc;
}

/* ---- 我的 ---- */

typedef struct meet_list {
	zb_arena *a;
	zb_inbox_meeting *v;
	size_t n, cap;
} meet_list;

static int read_meeting(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	meet_list *l = ctx;
	int64_t id = zb_col_int(st, 0);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].id == id)
			return 0;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_inbox_meeting *m = &l->v[l->n++];
	m->id = id;
	m->org_id = zb_col_int(st, 1);
	m->org_name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	m->type = zb_arena_strdup(l->a, zb_col_text(st, 3));
	m->title = zb_arena_strdup(l->a, zb_col_text(st, 4));
	m->held_on = zb_arena_strdup(l->a, zb_col_text(st, 5));
	m->start_at = zb_col_int(st, 6);
	return 0;
}

static int meeting_cmp(const void *x, const void *y)
{
	const zb_inbox_meeting *a = x, *b = y;
	return a->start_at < b->start_at ? -1 : a->start_at > b->start_at;
}

static int task_cmp(const void *x, const void *y)
{
	const zb_task_item *a = x, *b = y;
	int da = !strcmp(a->target.state, "done"), db = !strcmp(b->target.state, "done");
	if (da != db)
		return da - db;
	int c = strcmp(a->task.due_on, b->task.due_on);
	return c ? c : (a->target.id < b->target.id ? -1 : a->target.id > b->target.id);
}

#define INBOX_MEETINGS 10
#define INBOX_TASKS 30
#define INBOX_NOTICES 30

int zb_inbox_get(zb_db *db, int64_t user_id, int64_t member_id, const int64_t *orgs, int norgs, const char *today,
                 int64_t now, zb_arena *a, zb_inbox *out, zb_err *e)
{
	memset(out, 0, sizeof *out);
	notice_list nl = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_list, &nl,
	                    "SELECT " NOTICE_COLS ", COALESCE(nr.read_at, 0)" NOTICE_FROM
	                    "LEFT JOIN notice_reads nr ON nr.notice_id = n.id AND nr.user_id = ? WHERE " IS_RCPT
	                    " ORDER BY CASE WHEN nr.read_at IS NULL THEN 0 ELSE 1 END, n.id DESC LIMIT ?",
	                    "iiii", user_id, user_id, user_id, (int64_t)INBOX_NOTICES);
	if (!rc)
		rc = zb_db_int(db, e, &out->unread,
		               "SELECT COUNT(*) FROM notices n WHERE " IS_RCPT
		               " AND NOT EXISTS (SELECT 1 FROM notice_reads nr WHERE nr.notice_id = n.id AND nr.user_id = ?)",
		               "iii", user_id, user_id, user_id);
	out->notices = nl.v;
	out->nnotices = (int)nl.n;
	/* tasks of the orgs they answer for */
	size_t cap = 0, nt = 0;
	for (int i = 0; !rc && i < norgs; i++) {
		zb_task_item *v;
		int n;
		if ((rc = zb_task_received(db, orgs[i], today, INBOX_TASKS, a, &v, &n, e)))
			break;
		for (int k = 0; k < n; k++) {
			zb_arena_grow(a, (void **)&out->tasks, nt + 1, &cap, sizeof *out->tasks);
			out->tasks[nt++] = v[k];
		}
	}
	if (nt)
		qsort(out->tasks, nt, sizeof *out->tasks, task_cmp);
	out->ntasks = (int)(nt > INBOX_TASKS ? INBOX_TASKS : nt);
	/* meetings to come: of their own branch and of the orgs they answer for */
	meet_list ml = {a, NULL, 0, 0};
#define MEETING_SQL                                                                                               \
	"SELECT m.id, m.org_id, o.name, m.type, COALESCE(m.topic, m.title, ''), m.held_on, m.start_at FROM meetings m " \
	"JOIN orgs o ON o.id = m.org_id WHERE m.start_at >= ? AND "
	if (!rc && member_id)
		rc = zb_db_each(db, e, read_meeting, &ml,
		                MEETING_SQL "m.org_id = (SELECT org_id FROM members WHERE id = ?) ORDER BY m.start_at LIMIT ?", "iii",
		                now, member_id, (int64_t)INBOX_MEETINGS);
	for (int i = 0; !rc && i < norgs; i++)
		rc = zb_db_each(db, e, read_meeting, &ml, MEETING_SQL "m.org_id = ? ORDER BY m.start_at LIMIT ?", "iii", now,
		                orgs[i], (int64_t)INBOX_MEETINGS);
	if (ml.n)
		qsort(ml.v, ml.n, sizeof *ml.v, meeting_cmp);
	out->meetings = ml.v;
	out->nmeetings = (int)(ml.n > INBOX_MEETINGS ? INBOX_MEETINGS : ml.n);
	/* dues owed this year, month by month */
	if (!rc && member_id) {
		zb_dues_rcache *rcache = NULL;
		zb_dues_member m;
		int year = atoi(today), now_ym = year * 100 + atoi(today + 5);
		rc = zb_dues_rcache_new(db, &rcache, e);
		if (!rc)
			rc = zb_dues_member_load(db, rcache, member_id, a, &m, e);
		out->dues = zb_arena_alloc(a, 13 * sizeof *out->dues);
		for (int ym = year * 100 + 1; !rc && ym <= now_ym; ym++) {
			zb_dues_month dm;
			if (!(rc = zb_dues_member_month(rcache, &m, ym, &dm, e)) && dm.owes && dm.owed_fen > 0)
				out->dues[out->ndues++] = (zb_inbox_dues){ym, dm.owed_fen};
		}
		zb_dues_rcache_free(rcache);
	}
	/* this year's 学时 so far */
	if (!rc && member_id && !(rc = zb_study_year_sum(db, member_id, atoi(today), today, &out->study_hours,
	                                                  &out->study_required, e)))
		out->has_study = 1;
	return rc;
}
