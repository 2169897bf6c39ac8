/* save.c - the one write of a member record (zb_member_save) and the
 * writes made of it: a new member, an edit, the member's own edit, each in
 * a transaction of its own with its audit row. */
#include "member/member.h"

#include "core/jw.h"

#include <stdio.h>
#include <string.h>

static int reason_needed(const zb_member *old, const zb_member *nw)
{
	return strcmp(old->category, nw->category) || strcmp(old->status, nw->status) || old->org_id != nw->org_id;
}

int zb_member_save(zb_db *db, const zb_member_change *c, zb_member *nw, zb_member_write *w, zb_err *e)
{
	int rc;
	w->written = 0;
	if (w->rules && (rc = zb_member_check(nw, w->given, w->rules, w->today, c->arena, NULL, e)))
		return rc;
	if (w->old && !c->reason && reason_needed(w->old, nw))
		return zb_fail(e, ZB_EINVAL, "reason", "人员类别、党籍状态或所在组织变动时，请填写变动原因");
	if (w->rules) {
		if ((rc = zb_member_protect(nw, w->given | ZB_MF_ID | ZB_MF_PHONE, c->keys, c->arena, e)))
			return rc;
		w->ndiff = w->old ? zb_member_compare(w->old, nw, c->arena, &w->diff) : 0;
	}
	if (!w->old) {
		if ((rc = zb_member_insert(db, c, nw, &w->id, e)))
			return rc;
		w->written = 1;
		return 0;
	}
	w->id = w->old->id;
	if (!w->ndiff && !w->force)
		return 0;
	if ((rc = zb_member_update(db, c, w->old, nw, e)))
		return rc;
	w->written = 1;
	return 0;
}

/* {"changes":[{"field","from","to"}...]} for the audit row of an edit:
 * display values, the ID number and phone masked. */
static const char *changes_json(zb_arena *a, const zb_member_diff *d, int n)
{
	zb_buf b;
	zb_buf_init(&b, 64 << 10);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_karr(&w, "changes");
	for (int i = 0; i < n; i++) {
		jw_obj(&w);
		jw_kstr(&w, "field", d[i].field);
		jw_kstr(&w, "from", d[i].from);
		jw_kstr(&w, "to", d[i].to);
		jw_obj_end(&w);
	}
	jw_arr_end(&w);
	jw_obj_end(&w);
	const char *s = jw_finish(&w) ? "{}" : zb_arena_strdup(a, b.data);
	zb_buf_release(&b);
	return s;
}

/* A create or edit refused because the ID number is already registered
 * (perhaps in an org the caller cannot see) answered an ID lookup: it
 * counts against the caller's hourly budget and is audited, with the
 * record that holds the number and never the number itself.  In a
 * transaction of its own, after the refused one was rolled back. */
/* Who holds an ID number, and where. */
typedef struct id_holder {
	zb_arena *a;
	int64_t *id;
	const char **path;
} id_holder;

static void read_holder(zb_stmt *st, void *ctx)
{
	id_holder *h = ctx;
	*h->id = zb_col_int(st, 0);
	*h->path = zb_arena_strdup(h->a, zb_col_text(st, 1));
}

static void id_conflict(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const char *kind,
                        const char *id_index, zb_arena *a)
{
	zb_err e = {0};
	int64_t holder = 0;
	const char *path = NULL;
	if (zb_db_begin_write(db, &e))
		return;
	int rc = zb_id_lookup_note(db, who->user_id, zb_now(app), kind, 1, &e);
	id_holder h = {a, &holder, &path};
	if (!rc && id_index)
		zb_db_one(db, &e, NULL, read_holder, &h, "SELECT id, org_path FROM members WHERE id_index = ?", "s", id_index);
	if (!rc)
		rc = zb_member_audit(db, app, ac, "member.id_lookup", "member", holder, path,
		                     zb_arena_printf(a, "{\"kind\":\"%s\",\"result\":\"registered\",\"in_scope\":%s}", kind,
		                                     path && zb_authz_allows(who, P_MEMBER_READ, path) ? "true" : "false"),
		                     &e);
	zb_db_end(db, rc, &e);
}

static int is_dup(int rc, const zb_err *e)
{
	return rc == ZB_ECONFLICT && !strcmp(e->field, "id_number");
}

static unsigned text_given(const zb_member_input *in)
{
	return in->given & ~(unsigned)(ZB_MF_ORG | ZB_MF_GROUP);
}

int zb_member_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, const zb_member_input *in,
                     zb_arena *a, int64_t *id, zb_err *e)
{
	zb_member m = in->m;
	char today[11];
	zb_today(app, today);
	int rc = m.id_number ? zb_id_lookup_check(db, who->user_id, zb_now(app), e) : 0;
	if (!rc)
		rc = zb_member_place(db, who, in->org_id, &m, a, e);
	if (!rc && !zb_authz_allows(who, P_MEMBER_WRITE, m.org_path))
		rc = zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	if (!rc && (in->given & ZB_MF_GROUP))
		rc = zb_member_set_group(db, in->group_id, &m, a, e);
	zb_member_rules rules;
	if (!rc)
		rc = zb_member_rules_load(db, m.org_path, today, &rules, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = who->user_id, .today = today,
	                       .reason = in->reason ? in->reason : "新增党员", .effective_on = in->effective_on};
	zb_member_write w = {.given = text_given(in), .rules = &rules, .today = zb_today_int(app)};
	rc = zb_member_save(db, &ch, &m, &w, e);
	int dup = is_dup(rc, e);
	if (!rc)
		rc = zb_member_audit(db, app, ac, "member.create", "member", w.id, m.org_path,
		                     zb_arena_printf(a, "{\"org_id\":%lld}", (long long)m.org_id), e);
	if ((rc = zb_db_end(db, rc, e))) {
		if (dup)
			id_conflict(db, app, ac, who, "create", m.id_index, a);
		return rc;
	}
	*id = w.id;
	return 0;
}

/* The read-modify-write of an edit, inside the write transaction: the old
 * row is read after the lock is taken, so the roll-ups, the history and
 * the audit's "from" values are computed from the row this edit replaces,
 * whatever other edits of the same member run at the same time. */
static int edit_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                      const zb_member_input *in, zb_arena *a, zb_member *nw, zb_err *e)
{
	zb_member old;
	int repair = 0;
	int rc = zb_member_get_locked(db, id, a, &old, e);
	if (rc)
		return rc;
	if ((rc = zb_member_reveal(&old, app->keys, a, e))) {
		/* a stored value that does not decrypt (damaged, or copied from
		 * another row or field: docs/SECURITY-FIELDS.md) is repaired by
		 * stating it again; otherwise the edit keeps the error */
		if ((old.id_enc && !old.id_number && !(in->given & ZB_MF_ID)) ||
		    (old.phone_enc && !old.phone && !(in->given & ZB_MF_PHONE)))
			return rc;
		memset(e, 0, sizeof *e);
		repair = 1;
	}
	*nw = old;
	zb_member_copy_given(nw, &in->m, in->given);
	if ((in->given & ZB_MF_ORG) && in->org_id != old.org_id && in->org_id != old.group_id) {
		if ((rc = zb_member_place(db, who, in->org_id, nw, a, e)))
			return rc;
		if (!zb_authz_allows(who, P_MEMBER_WRITE, nw->org_path))
			return zb_fail(e, ZB_ENOTFOUND, "org_id", "所在组织不存在，或不在您的管理范围内");
	}
	if ((in->given & ZB_MF_GROUP) && (rc = zb_member_set_group(db, in->group_id, nw, a, e)))
		return rc;
	char today[11];
	zb_today(app, today);
	zb_member_rules rules;
	if ((rc = zb_member_rules_load(db, nw->org_path, today, &rules, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = who->user_id, .today = today,
	                       .reason = zb_member_clean(a, in->reason), .effective_on = in->effective_on};
	zb_member_write w = {.old = &old, .given = text_given(in), .rules = &rules, .today = zb_today_int(app),
	                     .force = repair};
	if ((rc = zb_member_save(db, &ch, nw, &w, e)) || !w.written)
		return rc;
	return zb_member_audit(db, app, ac, "member.update", "member", old.id, nw->org_path, changes_json(a, w.diff, w.ndiff),
	                       e);
}

int zb_member_edit(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                   const zb_member_input *in, zb_arena *a, zb_err *e)
{
	int rc = (in->given & ZB_MF_ID) ? zb_id_lookup_check(db, who->user_id, zb_now(app), e) : 0;
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	zb_member nw = {0};
	rc = edit_in_tx(db, app, ac, who, id, in, a, &nw, e);
	int dup = is_dup(rc, e);
	if ((rc = zb_db_end(db, rc, e)) && dup)
		id_conflict(db, app, ac, who, "update", nw.id_index, a);
	return rc;
}

static int self_edit_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const zb_member_input *in,
                           zb_arena *a, zb_err *e)
{
	zb_member old;
	int rc = zb_member_get_locked(db, member_id, a, &old, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, NULL, "您的账号关联的党员档案不存在");
	if (rc || (rc = zb_member_reveal(&old, app->keys, a, e)))
		return rc;
	zb_member nw = old;
	unsigned given = 0;
	for (const zb_member_field *f = zb_member_fields; f->json; f++)
		if (f->flags & ZB_MFF_SELF)
			given |= in->given & f->bit;
	zb_member_copy_given(&nw, &in->m, given);
	char today[11];
	zb_today(app, today);
	zb_member_rules rules;
	if ((rc = zb_member_rules_load(db, nw.org_path, today, &rules, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = ac->user_id, .today = today,
	                       .reason = "本人修改"};
	zb_member_write w = {.old = &old, .given = given, .rules = &rules, .today = zb_today_int(app)};
	if ((rc = zb_member_save(db, &ch, &nw, &w, e)) || !w.written)
		return rc;
	return zb_member_audit(db, app, ac, "member.self_update", "member", old.id, old.org_path,
	                       changes_json(a, w.diff, w.ndiff), e);
}

int zb_member_self_edit(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const zb_member_input *in,
                        zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, self_edit_in_tx(db, app, ac, member_id, in, a, e), e);
}
