/* session.c - 集中学习, 远程教育 and external study: a session with its
 * attendees, entered once by the branch or imported (simport.c).  See
 * study.h. */
#include "study/study.h"

#include "core/date.h"
#include "core/grow.h"
#include "member/member.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATTENDEES 500

static int session_kind(const char *k)
{
	return k && (!strcmp(k, "central") || !strcmp(k, "remote") || !strcmp(k, "external"));
}

typedef struct mem {
	zb_arena *a;
	const char *path, *name, *status;
} mem;

static void read_mem(zb_stmt *st, void *ctx)
{
	mem *m = ctx;
	m->path = zb_arena_strdup(m->a, zb_col_text(st, 0));
	m->name = zb_arena_strdup(m->a, zb_col_text(st, 1));
	m->status = zb_arena_strdup(m->a, zb_col_text(st, 2));
}

int zb_study_session_insert(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                            const zb_study_session_in *in, zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_org o;
	int rc = zb_org_get(db, in->org_id, a, &o, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "未找到该组织");
	if (rc)
		return rc;
	if (o.dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o.name);
	if (!session_kind(in->kind))
		return zb_fail(e, ZB_EINVAL, "kind", "类别应为 central（集中学习）、remote（远程教育）或 external（外部学习）");
	const char *title = in->title ? zb_member_clean(a, in->title) : NULL;
	if (!title || !*title || strlen(title) > 200)
		return zb_fail(e, ZB_EINVAL, "title", "请填写学习内容（至多 200 字节）");
	const char *provider = in->provider ? zb_member_clean(a, in->provider) : NULL;
	if (provider && strlen(provider) > 200)
		return zb_fail(e, ZB_EINVAL, "provider", "举办单位至多 200 字节");
	if (!in->held_on || !zb_date_valid(in->held_on) || strcmp(in->held_on, today) > 0 || strcmp(in->held_on, "2000-01-01") < 0)
		return zb_fail(e, ZB_EINVAL, "held_on", "请填写学习日期（YYYY-MM-DD，2000 年以后，不晚于今天 %s）", today);
	if (in->hours10 <= 0 || in->hours10 > 240)
		return zb_fail(e, ZB_EINVAL, "hours", "学时应大于 0、不超过 24");
	if (in->nmembers < 1 || in->nmembers > MAX_ATTENDEES)
		return zb_fail(e, ZB_EINVAL, "member_ids", "请选择参加的党员（1 到 %d 人）", MAX_ATTENDEES);
	size_t plen = strlen(o.path);
	for (int i = 0; i < in->nmembers; i++) {
		char field[40];
		snprintf(field, sizeof field, "member_ids[%d]", i);
		for (int k = 0; k < i; k++)
			if (in->member_ids[k] == in->member_ids[i])
				return zb_fail(e, ZB_EINVAL, field, "党员重复");
		mem m = {.a = a};
		rc = zb_db_one(db, e, NULL, read_mem, &m, "SELECT org_path, name, status FROM members WHERE id = ?", "i",
		               in->member_ids[i]);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (rc || strncmp(m.path, o.path, plen) || (who && !zb_authz_allows(who, P_MEMBER_WRITE, m.path)))
			return zb_fail(e, ZB_EINVAL, field, "该党员不在 %s 的党员名册中", o.name);
		if (strcmp(m.status, "normal") && strcmp(m.status, "mobile") && strcmp(m.status, "abroad"))
			return zb_fail(e, ZB_EINVAL, field, "%s 不在册（党籍状态不是正常、流动或出国（境））", m.name);
	}
	if ((rc = zb_db_int(db, e, id,
	                    "INSERT INTO study_sessions (org_id, org_path, kind, title, held_on, hours10, provider, batch_id, "
	                    "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                    "issssisIIi", in->org_id, o.path, in->kind, title, in->held_on, (int64_t)in->hours10, provider,
	                    in->batch_id, by ? by->user_id : 0, zb_now(app))))
		return rc;
	for (int i = 0; i < in->nmembers; i++)
		if ((rc = zb_db_run(db, e, NULL, "INSERT INTO study_attendees (session_id, member_id) VALUES (?, ?)", "ii",
		                    *id, in->member_ids[i])))
			return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "kind", in->kind);
	jw_kstr(w, "title", title);
	jw_kstr(w, "held_on", in->held_on);
	jw_kstr(w, "hours", zb_study_hours_text(in->hours10, a));
	jw_kint(w, "members", in->nmembers);
	if (in->batch_id)
		jw_kint(w, "batch_id", in->batch_id);
	return zb_audit_change_detail(db, app, by, "study.session.add", "study_session", *id, o.path, &d, e);
}

int zb_study_session_add(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                         const zb_study_session_in *in, zb_arena *a, int64_t *id, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, zb_study_session_insert(db, app, by, who, in, a, id, e), e);
}

static int delete_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, zb_arena *a, zb_err *e)
{
	zb_text_buf t = {zb_arena_alloc(a, 512), 512};
	int rc = zb_db_one(db, e, "未找到该学习记录", zb_row_text, &t, "SELECT org_path FROM study_sessions WHERE id = ?",
	                   "i", id);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM study_attendees WHERE session_id = ?", "i", id);
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM study_sessions WHERE id = ?", "i", id);
	return rc ? rc : zb_audit_change(db, app, by, "study.session.delete", "study_session", id, t.out, NULL, e);
}

int zb_study_session_delete(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t id, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, delete_in_tx(db, app, by, id, a, e), e);
}

typedef struct slist {
	zb_arena *a;
	zb_study_session *v;
	int n;
	size_t cap;
} slist;

static int on_session(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	slist *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n + 1, l->cap);
	zb_study_session *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
	s->id = zb_col_int(st, 0);
	s->org_id = zb_col_int(st, 1);
	s->org_name = zb_arena_strdup(l->a, zb_col_text(st, 2));
	s->kind = zb_arena_strdup(l->a, zb_col_text(st, 3));
	s->title = zb_arena_strdup(l->a, zb_col_text(st, 4));
	s->held_on = zb_arena_strdup(l->a, zb_col_text(st, 5));
	s->hours10 = (int)zb_col_int(st, 6);
	s->provider = zb_arena_strdup(l->a, zb_col_text(st, 7));
	s->batch_id = zb_col_int(st, 8);
	s->nmembers = (int)zb_col_int(st, 9);
	return 0;
}

typedef struct names_ctx {
	zb_arena *a;
	zb_study_session *s;
} names_ctx;

static int on_name(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	names_ctx *c = ctx;
	if (!c->s->names)
		c->s->names = zb_arena_alloc(c->a, 20 * sizeof(char *));
	c->s->names[c->s->nnames++] = zb_arena_strdup(c->a, zb_col_text(st, 0));
	return 0;
}

int zb_study_session_list(zb_db *db, const char *path, int year, zb_arena *a, zb_study_session **items, int *n,
                          zb_err *e)
{
	char upper[512], from[11], to[11];
	zb_path_upper(path, upper, sizeof upper);
	snprintf(from, sizeof from, "%04u-01-01", (unsigned)year % 10000u);
	snprintf(to, sizeof to, "%04u-12-31", (unsigned)year % 10000u);
	slist l = {.a = a};
	int rc = zb_db_each(db, e, on_session, &l,
	                    "SELECT s.id, s.org_id, o.name, s.kind, s.title, s.held_on, s.hours10, s.provider, s.batch_id, "
	                    "(SELECT COUNT(*) FROM study_attendees t WHERE t.session_id = s.id) FROM study_sessions s "
	                    "JOIN orgs o ON o.id = s.org_id WHERE s.org_path >= ? AND s.org_path < ? AND s.held_on >= ? "
	                    "AND s.held_on <= ? ORDER BY s.held_on DESC, s.id DESC LIMIT 500",
	                    "ssss", path, upper, from, to);
	for (int i = 0; !rc && i < l.n; i++) {
		names_ctx c = {a, &l.v[i]};
		rc = zb_db_each(db, e, on_name, &c,
		                "SELECT mb.name FROM study_attendees t JOIN members mb ON mb.id = t.member_id "
		                "WHERE t.session_id = ? ORDER BY mb.sort_key, mb.id LIMIT 20",
		                "i", l.v[i].id);
	}
	*items = l.v;
	*n = l.n;
	return rc;
}
