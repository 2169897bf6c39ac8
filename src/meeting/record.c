/* record.c - the audited writes to a meeting record and the lists of
 * records (record.h). */
#include "meeting/record.h"
#include "core/grow.h"
#include "core/jw.h"
#include "meeting/mdate.h"

#include <stdio.h>
#include <string.h>

/* "resolutions[3]" + the nested field of an item's error */
static void field_in(zb_err *e, const char *arr, int i)
{
	char f[sizeof e->field];
	snprintf(f, sizeof f, "%.16s[%d]%s%.16s", arr, i, e->field[0] ? "." : "", e->field);
	memcpy(e->field, f, sizeof f);
}

int zb_meeting_open_change(zb_db *db, int64_t id, int64_t now, zb_arena *a, zb_meeting *m, zb_mrules *r, int *late,
                           zb_err *e)
{
	int rc = zb_meeting_get(db, id, a, m, e);
	if (!rc)
		rc = zb_meeting_rules(db, m, r, e);
	if (!rc)
		rc = zb_meeting_check_open(m, r, now, e);
	if (!rc && late) {
		zb_backfill b;
		zb_meeting_backfill(m, r, now, &b);
		*late = b.past;
	}
	return rc;
}

/* After a write that failed with a unique violation on the client key:
 * the record the concurrent twin saved, or ZB_ECONFLICT. */
static int key_race(zb_db *db, int64_t org_id, const zb_meeting_new *in, int64_t *id, int *replayed, zb_err *e)
{
	zb_err e2 = {0};
	int rc = zb_meeting_key_find(db, org_id, in->client_key, in->digest, id, &e2);
	if (!rc) {
		*replayed = 1;
		return 0;
	}
	if (rc != ZB_ENOTFOUND) {
		*e = e2;
		return rc;
	}
	return zb_fail(e, ZB_ECONFLICT, "client_key", "同一份草稿正在保存，请稍后刷新查看");
}

static int create_audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, const zb_meeting_new *in,
                        int64_t id, zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "type", zb_mtype_code(m->type));
	jw_kstr(w, "held_on", m->held_on);
	jw_kint(w, "expected", m->expected);
	if (in->has_att) {
		jw_kint(w, "present", m->present);
		jw_kint(w, "leave", m->leave);
		jw_kint(w, "absent", m->absent);
		jw_kbool(w, "quorum_ok", m->quorum_ok);
	}
	jw_kint(w, "resolutions", in->nres);
	jw_kint(w, "attachments", in->nfiles);
	jw_kbool(w, "late", in->late);
	int rc = zb_audit_change_detail(db, app, by, "meeting.create", "meeting", id, m->org_path, &d, e);
	return rc;
}

int zb_meeting_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_meeting *m,
                      const zb_mrules *r, const zb_meeting_new *in, int64_t now, zb_arena *a, int64_t *id,
                      int *replayed, zb_err *e)
{
	*replayed = 0;
	*id = 0;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	char(*stored)[33] = zb_arena_alloc(a, sizeof *stored * (size_t)(in->nfiles + 1));
	for (int i = 0; i < in->nfiles; i++)
		stored[i][0] = '\0';
	rc = zb_meeting_insert(db, m, r, in->guests, in->nguests, by->user_id, now, id, e);
	if (!rc && in->client_key &&
	    (rc = zb_meeting_key_insert(db, m->org_id, in->client_key, in->digest, *id, by->user_id, now, e)) &&
	    zb_db_last_was_unique(db)) {
		/* the same save, sent twice at once: the other one won */
		zb_db_rollback(db);
		return key_race(db, m->org_id, in, id, replayed, e);
	}
	for (int i = 0; !rc && i < in->nfiles; i++) {
		zb_attachment x = {0};
		rc = zb_attach_store(db, app->data_dir, *id, in->files[i].filename, in->files[i].data, in->files[i].len,
		                     by->user_id, now, &x, stored[i], e);
		if (rc)
			snprintf(e->field, sizeof e->field, "files[%d]", i);
	}
	if (!rc && in->has_att && !(rc = zb_meeting_check_complete(db, m, in->att, in->natt, e)))
		rc = zb_meeting_set_attendance(db, m, r, in->att, in->natt, who, now, e);
	for (int i = 0; !rc && i < in->nres; i++) {
		rc = zb_resolution_insert(db, m, &in->res[i], NULL, 0, by->user_id, now, e);
		if (rc)
			field_in(e, "resolutions", i);
	}
	if (!rc)
		rc = create_audit(db, app, by, m, in, *id, e);
	if ((rc = zb_db_end(db, rc, e))) {
		/* nothing of the save stays: the files go with the rows */
		for (int i = 0; i < in->nfiles; i++)
			if (stored[i][0])
				zb_attach_remove_file(app->data_dir, stored[i]);
		return rc;
	}
	return 0;
}

int zb_meeting_change(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *old, zb_meeting *m,
                      const zb_mrules *r, const char *const *guests, int nguests, const char *const *fields,
                      int nfields, int late, int64_t now, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_meeting_update(db, old, m, r, guests, nguests, now, e);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_karr(w, "fields");
		for (int i = 0; i < nfields; i++)
			jw_str(w, fields[i]);
		jw_arr_end(w);
		jw_kbool(w, "late", late);
		rc = zb_audit_change_detail(db, app, by, "meeting.update", "meeting", m->id, m->org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

int zb_meeting_attend(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_meeting *m,
                      const zb_mrules *r, const zb_attend_item *items, int n, int late, int64_t now, zb_arena *a,
                      zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_meeting_set_attendance(db, m, r, items, n, who, now, e);
	if (!rc) {
		char *d = zb_arena_printf(a,
		                          "{\"items\":%d,\"expected\":%d,\"present\":%d,\"leave\":%d,\"absent\":%d,"
		                          "\"quorum_ok\":%s,\"late\":%s}",
		                          n, m->expected, m->present, m->leave, m->absent, m->quorum_ok ? "true" : "false",
		                          late ? "true" : "false");
		rc = zb_audit_change(db, app, by, "meeting.attendance", "meeting", m->id, m->org_path, d, e);
	}
	return zb_db_end(db, rc, e);
}

int zb_meeting_resolve(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, const zb_mrules *r,
                       zb_res_row *x, const zb_opinion *ops, int nops, int late, int64_t now, zb_arena *a,
                       zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_resolution_insert(db, m, x, ops, nops, by->user_id, now, e);
	if (!rc) {
		char *d = zb_arena_printf(a,
		                          "{\"resolution_id\":%lld,\"kind\":\"%s\",\"yes\":%lld,\"no\":%lld,\"abstain\":%lld,"
		                          "\"written\":{\"yes\":%lld,\"no\":%lld,\"abstain\":%lld},\"entitled\":%d,"
		                          "\"passed\":%s,\"late\":%s}",
		                          (long long)x->id, zb_res_kind_code(x->kind), (long long)x->yes, (long long)x->no,
		                          (long long)x->abstain, (long long)x->w_yes, (long long)x->w_no,
		                          (long long)x->w_abstain, zb_meeting_entitled(m),
		                          zb_resolution_passed(m, r, x) ? "true" : "false", late ? "true" : "false");
		rc = zb_audit_change(db, app, by, "meeting.resolution", "meeting", m->id, m->org_path, d, e);
	}
	return zb_db_end(db, rc, e);
}

int zb_meeting_unlock(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, int64_t by_org,
                      const char *reason, const char *deadline, int64_t until, int64_t now, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_db_run(db, e, NULL, "UPDATE meetings SET unlocked_until = ?, updated_at = ? WHERE id = ?", "iii", until, now,
	               m->id);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO meeting_unlocks (meeting_id, by_user, by_org_id, reason, at, until_at) "
		               "VALUES (?, ?, ?, ?, ?, ?)",
		               "iIisii", m->id, by->user_id, by_org, reason, now, until);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "reason", reason);
		jw_kint(w, "until", until);
		jw_kint(w, "by_org_id", by_org);
		jw_kstr(w, "deadline", deadline);
		rc = zb_audit_change_detail(db, app, by, "meeting.unlock", "meeting", m->id, m->org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* The records of a query selecting ZB_MEETING_COLS, at most max. */
typedef struct meeting_rows {
	zb_arena *a;
	size_t max;
	zb_meeting *rows;
	size_t n, cap;
} meeting_rows;

static int add_meeting(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	meeting_rows *l = ctx;
	if (l->n == l->max)
		return 0;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_meeting_read(st, 0, l->a, &l->rows[l->n++]);
	return 0;
}

static int meetings_done(int rc, const meeting_rows *l, zb_meeting **out, int *n)
{
	*out = rc ? NULL : l->rows;
	*n = rc ? 0 : (int)l->n;
	return rc;
}

int zb_meeting_list(zb_db *db, const char *root_path, const zb_meeting_filter *f, zb_arena *a, zb_meeting **out,
                    int *n, int64_t *total, zb_err *e)
{
	*out = NULL;
	*n = 0;
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
#define LIST_WHERE \
	"m.org_path >= ? AND m.org_path < ? AND (CAST(? AS TEXT) IS NULL OR m.type = ?) " \
	"AND (CAST(? AS TEXT) IS NULL OR m.held_on >= ?) AND (CAST(? AS TEXT) IS NULL OR m.held_on <= ?)"
	int rc = zb_db_int(db, e, total, "SELECT COUNT(*) FROM meetings m WHERE " LIST_WHERE, "ssssssss", root_path, upper,
	                   f->type, f->type, f->from, f->from, f->to, f->to);
	if (rc)
		return rc;
	/* A small subtree: its range on meetings_subtree, then sort.  A large
	 * one (a township, a county): newest first along meetings_start,
	 * filtering by a prefix test no index can serve, so a page stops
	 * after about limit rows instead of sorting the whole subtree. */
	meeting_rows l = {.a = a, .max = (size_t)(f->limit + 1)};
	if (*total <= 2000)
		rc = zb_db_each(db, e, add_meeting, &l,
		                "SELECT " ZB_MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE " LIST_WHERE
		                " AND (m.start_at < ? OR (m.start_at = ? AND m.id < ?)) "
		                "ORDER BY m.start_at DESC, m.id DESC LIMIT ?",
		                "ssssssssiiii", root_path, upper, f->type, f->type, f->from, f->from, f->to, f->to,
		                f->after_start, f->after_start, f->after_id, f->limit + 1);
	else
		rc = zb_db_each(db, e, add_meeting, &l,
		                "SELECT " ZB_MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id "
		                "WHERE substr(m.org_path, 1, ?) = ? AND (CAST(? AS TEXT) IS NULL OR m.type = ?) "
		                "AND (CAST(? AS TEXT) IS NULL OR m.held_on >= ?) AND (CAST(? AS TEXT) IS NULL OR m.held_on <= ?) "
		                "AND (m.start_at < ? OR (m.start_at = ? AND m.id < ?)) "
		                "ORDER BY m.start_at DESC, m.id DESC LIMIT ?",
		                "isssssssiiii", (int64_t)strlen(root_path), root_path, f->type, f->type, f->from, f->from,
		                f->to, f->to, f->after_start, f->after_start, f->after_id, f->limit + 1);
#undef LIST_WHERE
	return meetings_done(rc, &l, out, n);
}

int zb_meeting_talks(zb_db *db, const char *root_path, int year, zb_arena *a, zb_meeting **out, int *n, zb_err *e)
{
	char y0[11], y1[11];
	snprintf(y0, sizeof y0, "%04u-01-01", (unsigned)year % 10000u);
	snprintf(y1, sizeof y1, "%04u-12-31", (unsigned)year % 10000u);
	char upper[512];
	zb_path_upper(root_path, upper, sizeof upper);
	meeting_rows l = {.a = a, .max = 1000};
	int rc = zb_db_each(db, e, add_meeting, &l,
	                    "SELECT " ZB_MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id "
	                    "WHERE m.org_path >= ? AND m.org_path < ? AND m.type = 'talk' AND m.held_on >= ? "
	                    "AND m.held_on <= ? ORDER BY m.start_at DESC, m.id DESC LIMIT 1000",
	                    "ssss", root_path, upper, y0, y1);
	return meetings_done(rc, &l, out, n);
}
