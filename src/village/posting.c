/* posting.c - the writes of village work: teams, postings and their end
 * (召回 included), the villages that must have a 第一书记, outcomes on a
 * cadre, evaluations and the team's work log (village/village.h). */
#include "village/village.h"
#include "village/cadre.h"
#include "village/vint.h"
#include "core/date.h"
#include "core/jw.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The village org: exists, not dissolved, a 党支部 or 党总支 (not a
 * 党小组 or 党委), and who (NULL: anyone) may write there. */
static int village_org(zb_db *db, const zb_principal *who, int64_t org_id, zb_arena *ar, zb_org *o, zb_err *e)
{
	int rc = zb_org_get(db, org_id, ar, o, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_WRITE, o->path)))
		return zb_fail(e, ZB_ENOTFOUND, "org_id", "所选村党组织不存在，或不在您的管理范围内");
	if (rc)
		return rc;
	if (o->dissolved_on)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已撤销", o->name);
	if (!zb_org_type_is_branch(o->type) || !strcmp(o->type, "group"))
		if (strcmp(o->type, "general_branch"))
			return zb_fail(e, ZB_EINVAL, "org_id", "驻村对象应为村党组织（党支部或党总支）：%s 是%s", o->name,
			               zb_org_type_name(o->type) ? zb_org_type_name(o->type) : o->type);
	return 0;
}

static int date_in(const char *d, const char *field, const char *label, zb_err *e)
{
	if (!d || !zb_date_valid(d))
		return zb_fail(e, ZB_EINVAL, field, "请填写%s（YYYY-MM-DD）", label);
	return 0;
}

static int text_in(const char *s, size_t max, const char *field, const char *label, zb_err *e)
{
	if (!s || !*s)
		return zb_fail(e, ZB_EINVAL, field, "请填写%s", label);
	if (strlen(s) > max)
		return zb_fail(e, ZB_EINVAL, field, "%s过长（最多 %zu 字节）", label, max);
	return 0;
}

/* ---- teams ---- */

static int team_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_org *o, const char *name,
                       const char *formed_on, int64_t *id, zb_err *e)
{
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO village_teams (org_id, org_path, name, formed_on, created_by, created_at) "
	                   "VALUES (?,?,?,?,?,?) RETURNING id",
	                   "isssIi", o->id, o->path, name, formed_on, ac->user_id, zb_now(app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "name", name);
	jw_kstr(w, "formed_on", formed_on);
	return zb_vaudit(db, app, ac, "vteam.create", "village_team", *id, o->path, &d, e);
}

int zb_vteam_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t org_id,
                    const char *name, const char *formed_on, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_org o;
	int rc = village_org(db, who, org_id, ar, &o, e);
	if (rc || (rc = date_in(formed_on, "formed_on", "组建日期", e)))
		return rc;
	if (!name || !*name)
		name = zb_arena_printf(ar, "%s驻村工作队", o.short_name && *o.short_name ? o.short_name : o.name);
	if ((rc = text_in(name, 300, "name", "工作队名称", e)))
		return rc;
	int64_t open = 0;
	if ((rc = zb_db_int(db, e, &open, "SELECT COUNT(*) FROM village_teams WHERE org_id = ? AND dissolved_on IS NULL",
	                    "i", o.id)))
		return rc;
	if (open)
		return zb_fail(e, ZB_ECONFLICT, "org_id", "%s 已有驻村工作队", o.name);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, team_insert(db, app, ac, &o, name, formed_on, id, e), e);
}

/* ---- postings ---- */

typedef struct posting_check {
	zb_org o;
	zb_cadre c;
	int64_t team_id;
	const char *role;
} posting_check;

static int posting_checks(zb_db *db, const zb_principal *who, const zb_vposting_input *in, zb_arena *ar,
                          posting_check *p, zb_err *e)
{
	int rc = village_org(db, who, in->org_id, ar, &p->o, e);
	if (rc)
		return rc;
	if (in->cadre_id <= 0)
		return zb_fail(e, ZB_EINVAL, "cadre_id", "请选择驻村的干部");
	rc = zb_cadre_get(db, in->cadre_id, ar, &p->c, e);
	if (rc == ZB_ENOTFOUND || (!rc && who && !zb_authz_allows(who, P_MEMBER_READ, p->c.org_path)))
		return zb_fail(e, ZB_ENOTFOUND, "cadre_id", "未找到该干部，或不在您的管理范围内");
	if (rc)
		return rc;
	if (!(p->role = zb_vrole_from(in->role)))
		return zb_fail(e, ZB_EINVAL, "role", "驻村职务应为 first_secretary（第一书记）、leader（队长）或 member（队员）");
	if ((rc = date_in(in->started_on, "started_on", "驻村开始日期", e)) ||
	    (rc = date_in(in->term_ends_on, "term_ends_on", "任期届满日期", e)))
		return rc;
	if (strcmp(in->term_ends_on, in->started_on) <= 0)
		return zb_fail(e, ZB_EINVAL, "term_ends_on", "任期届满日期应晚于驻村开始日期");
	p->team_id = in->team_id;
	if (!p->team_id && (rc = zb_db_int(db, e, &p->team_id,
	                                   "SELECT COALESCE(MAX(id), 0) FROM village_teams WHERE org_id = ? AND "
	                                   "dissolved_on IS NULL",
	                                   "i", p->o.id)))
		return rc;
	if (p->team_id) {
		zb_vteam t;
		rc = zb_vteam_get(db, p->team_id, ar, &t, e);
		if (rc == ZB_ENOTFOUND || (!rc && t.org_id != p->o.id))
			return zb_fail(e, ZB_ENOTFOUND, "team_id", "未找到该村的这支驻村工作队");
		if (rc)
			return rc;
	}
	int64_t n = 0;
	if ((rc = zb_db_int(db, e, &n, "SELECT COUNT(*) FROM village_postings WHERE cadre_id = ? AND ended_on IS NULL",
	                    "i", p->c.id)))
		return rc;
	if (n)
		return zb_fail(e, ZB_ECONFLICT, "cadre_id", "%s 正在驻村，请先结束其现在的驻村任职", p->c.name);
	if (!strcmp(p->role, "first_secretary")) {
		if ((rc = zb_db_int(db, e, &n,
		                    "SELECT COUNT(*) FROM village_postings WHERE org_id = ? AND role = 'first_secretary' "
		                    "AND ended_on IS NULL",
		                    "i", p->o.id)))
			return rc;
		if (n)
			return zb_fail(e, ZB_ECONFLICT, "role", "%s 已有在任的第一书记", p->o.name);
	}
	return 0;
}

static int posting_insert(zb_db *db, zb_app *app, const zb_actor *ac, const posting_check *p,
                          const zb_vposting_input *in, int64_t *id, zb_err *e)
{
	int64_t now = zb_now(app);
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO village_postings (cadre_id, org_id, org_path, team_id, role, started_on, "
	                   "term_ends_on, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "iisIsssIii", p->c.id, p->o.id, p->o.path, p->team_id, p->role, in->started_on,
	                   in->term_ends_on, ac->user_id, now, now);
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "cadre_id", p->c.id);
	jw_kstr(w, "name", p->c.name);
	jw_kstr(w, "role", p->role);
	jw_kstr(w, "started_on", in->started_on);
	jw_kstr(w, "term_ends_on", in->term_ends_on);
	return zb_vaudit(db, app, ac, "vposting.create", "village_posting", *id, p->o.path, &d, e);
}

int zb_vposting_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who,
                       const zb_vposting_input *in, zb_arena *ar, int64_t *id, zb_err *e)
{
	posting_check p;
	int rc = posting_checks(db, who, in, ar, &p, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, posting_insert(db, app, ac, &p, in, id, e), e);
}

typedef struct posting_row {
	zb_arena *ar;
	int64_t cadre_id;
	const char *path, *started_on, *ended_on;
} posting_row;

static void read_posting_row(zb_stmt *st, void *ctx)
{
	posting_row *p = ctx;
	p->cadre_id = zb_col_int(st, 0);
	p->path = zb_arena_strdup(p->ar, zb_col_text(st, 1));
	p->started_on = zb_arena_strdup(p->ar, zb_col_text(st, 2));
	p->ended_on = zb_arena_strdup(p->ar, zb_col_text(st, 3));
}

int zb_voutcome_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_voutcome_row *o, int64_t *id, zb_err *e)
{
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO cadre_outcomes (cadre_id, org_path, posting_id, kind, on_date, reason, decided_by, "
	                   "review_id, reserve_id, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "isIssssIIIi", o->cadre_id, o->path, o->posting_id, o->kind, o->on_date, o->reason, o->decided_by,
	                   o->review_id, o->reserve_id, ac->user_id, zb_now(app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "cadre_id", o->cadre_id);
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "on_date", o->on_date);
	jw_kstr(w, "reason", o->reason);
	if (o->decided_by)
		jw_kstr(w, "decided_by", o->decided_by);
	if (o->review_id)
		jw_kint(w, "review_id", o->review_id);
	if (o->reserve_id)
		jw_kint(w, "reserve_id", o->reserve_id);
	return zb_vaudit(db, app, ac, "cadre.outcome", "cadre", o->cadre_id, o->path, &d, e);
}

static int outcome_insert(zb_db *db, zb_app *app, const zb_actor *ac, int64_t cadre_id, const char *path,
                          int64_t posting_id, const char *kind, const char *on_date, const char *reason, int64_t *id,
                          zb_err *e)
{
	zb_voutcome_row o = {.cadre_id = cadre_id, .path = path, .posting_id = posting_id, .kind = kind,
	                     .on_date = on_date, .reason = reason};
	return zb_voutcome_insert(db, app, ac, &o, id, e);
}

static int end_in_tx(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const char *ended_on,
                     const char *reason, const char *note, zb_arena *ar, zb_err *e)
{
	posting_row p = {ar, 0, NULL, NULL, NULL};
	int rc = zb_db_one(db, e, "未找到该驻村任职", read_posting_row, &p,
	                   "SELECT cadre_id, org_path, started_on, ended_on FROM village_postings WHERE id = ?", "i", id);
	if (rc)
		return rc;
	if (p.ended_on)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该驻村任职已于 %s 结束", p.ended_on);
	if (strcmp(ended_on, p.started_on) < 0)
		return zb_fail(e, ZB_EINVAL, "ended_on", "结束日期不能早于驻村开始日期 %s", p.started_on);
	if ((rc = zb_db_run(db, e, NULL,
	                    "UPDATE village_postings SET ended_on = ?, end_reason = ?, end_note = ?, updated_at = ? "
	                    "WHERE id = ?",
	                    "sssii", ended_on, reason, note, zb_now(app), id)))
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "ended_on", ended_on);
	jw_kstr(w, "reason", reason);
	jw_kstr(w, "note", note);
	if ((rc = zb_vaudit(db, app, ac, "vposting.end", "village_posting", id, p.path, &d, e)))
		return rc;
	int64_t oid;
	if (!strcmp(reason, "recalled"))
		rc = outcome_insert(db, app, ac, p.cadre_id, p.path, id, "recall", ended_on, note, &oid, e);
	return rc;
}

int zb_vposting_end(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const char *ended_on,
                    const char *reason, const char *note, zb_arena *ar, zb_err *e)
{
	int rc = date_in(ended_on, "ended_on", "结束日期", e);
	const char *r = zb_vend_from(reason);
	if (!rc && !r)
		rc = zb_fail(e, ZB_EINVAL, "reason", "结束原因应为 term_end（期满）、recalled（召回）或 other（其他）");
	if (!rc && strcmp(r, "term_end") && (rc = text_in(note, 2000, "note", "说明（召回等须写明原因）", e)))
		return rc;
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, end_in_tx(db, app, ac, id, ended_on, r, note, ar, e), e);
}

/* ---- requirements ---- */

static int req_insert(zb_db *db, zb_app *app, const zb_actor *ac, const zb_org *o, const char *reason,
                      const char *note, const char *from_on, const char *until_on, int64_t *id, zb_err *e)
{
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO village_requirements (org_id, org_path, reason, note, from_on, until_on, "
	                   "created_by, created_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
	                   "isssssIi", o->id, o->path, reason, note, from_on, until_on, ac->user_id, zb_now(app));
	if (rc)
		return rc;
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kstr(w, "reason", reason);
	jw_kstr(w, "from_on", from_on);
	jw_kstr(w, "until_on", until_on);
	return zb_vaudit(db, app, ac, "vreq.add", "org", o->id, o->path, &d, e);
}

int zb_vreq_add(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t org_id,
                const char *reason, const char *note, const char *from_on, const char *until_on, zb_arena *ar,
                int64_t *id, zb_err *e)
{
	zb_org o;
	int rc = village_org(db, who, org_id, ar, &o, e);
	const char *r = rc ? NULL : zb_vreason_from(reason);
	if (!rc && !r)
		rc = zb_fail(e, ZB_EINVAL, "reason",
		             "原因应为 poverty（脱贫村）、weak（软弱涣散村）、collective（集体经济薄弱村）或 other（其他）");
	if (!rc)
		rc = date_in(from_on, "from_on", "开始日期", e);
	if (!rc && until_on && (rc = date_in(until_on, "until_on", "截止日期", e)) == 0 && strcmp(until_on, from_on) < 0)
		rc = zb_fail(e, ZB_EINVAL, "until_on", "截止日期不能早于开始日期");
	if (!rc && note && strlen(note) > 2000)
		rc = zb_fail(e, ZB_EINVAL, "note", "说明过长");
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	return zb_db_end(db, req_insert(db, app, ac, &o, r, note, from_on, until_on, id, e), e);
}

/* ---- outcomes ---- */

int zb_voutcome_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t cadre_id, const char *kind,
                    const char *on_date, const char *reason, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_cadre c;
	const char *k = zb_voutcome_from(kind);
	/* the later kinds follow from an evaluation (review.c) */
	if (k && strcmp(k, "recall") && strcmp(k, "accountability") && strcmp(k, "talk"))
		k = NULL;
	int rc = zb_cadre_get(db, cadre_id, ar, &c, e);
	if (!rc && !k)
		rc = zb_fail(e, ZB_EINVAL, "kind", "处理结果应为 recall（召回）、accountability（问责）或 talk（约谈）");
	if (!rc)
		rc = date_in(on_date, "on_date", "日期", e);
	if (!rc)
		rc = text_in(reason, 2000, "reason", "原因", e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t posting = 0;
	rc = zb_db_int(db, e, &posting,
	               "SELECT COALESCE(MAX(id), 0) FROM village_postings WHERE cadre_id = ? AND started_on <= ?", "is",
	               cadre_id, on_date);
	if (!rc)
		rc = outcome_insert(db, app, ac, cadre_id, c.org_path, posting, k, on_date, reason, id, e);
	return zb_db_end(db, rc, e);
}

/* ---- evaluations ---- */

int zb_veval_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, int year, const char *report_on,
                 const char *summary, const zb_veval_scores *s, zb_arena *ar, int64_t *id, double *final,
                 zb_err *e)
{
	zb_vteam t;
	int rc = zb_vteam_get(db, team_id, ar, &t, e);
	if (rc || (rc = date_in(report_on, "report_on", "述职日期", e)) ||
	    (rc = text_in(summary, 8000, "report_summary", "述职摘要", e)))
		return rc;
	if (year < 2000 || year > 2200 || atoi(report_on) < year)
		return zb_fail(e, ZB_EINVAL, "year", "考核年度应为 2000 到 2200 之间，且不晚于述职日期");
	const struct {
		int v;
		const char *field;
	} sc[] = {{s->report, "report_score"},      {s->rating_cadres, "rating_cadres"},
	          {s->rating_villagers, "rating_villagers"}, {s->exam_county, "exam_county"},
	          {s->exam_township, "exam_township"}, {s->exam_unit, "exam_unit"},
	          {s->exam_village, "exam_village"}};
	for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++)
		if (sc[i].v < 0 || sc[i].v > 100)
			return zb_fail(e, ZB_EINVAL, sc[i].field, "分数应为 0 到 100 之间的整数");
	int64_t held = 0;
	if ((rc = zb_db_int(db, e, &held, "SELECT COUNT(*) FROM village_reviews WHERE team_id = ? AND year = ?", "ii",
	                    team_id, (int64_t)year)))
		return rc;
	if (held)
		return zb_fail(e, ZB_ECONFLICT, "year", "%s 的 %d 年度考核正在平台上进行，不能再录入分数", t.name, year);
	zb_vwork_rules r;
	if ((rc = zb_vwork_rules_get(db, t.org_path, report_on, &r, e)))
		return rc;
	*final = zb_vwork_eval_score(&r, s);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO village_evaluations (team_id, org_path, year, report_on, report_summary, report_score, "
	               "rating_cadres, rating_villagers, exam_county, exam_township, exam_unit, exam_village, "
	               "final_score, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	               "isissiiiiiiidIi", team_id, t.org_path, (int64_t)year, report_on, summary, (int64_t)s->report,
	               (int64_t)s->rating_cadres, (int64_t)s->rating_villagers, (int64_t)s->exam_county,
	               (int64_t)s->exam_township, (int64_t)s->exam_unit, (int64_t)s->exam_village, *final,
	               ac->user_id, zb_now(app));
	if (rc == ZB_ECONFLICT && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "year", "%s 的 %d 年度考核已经录入", t.name, year);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "year", year);
		jw_kdouble(w, "final_score", *final);
		rc = zb_vaudit(db, app, ac, "veval.add", "village_team", team_id, t.org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}

/* ---- the work log ---- */

int zb_vlog_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, const char *on_date, const char *what,
                const char *attachments, const int64_t *files, int nfiles, zb_arena *ar, int64_t *id, zb_err *e)
{
	zb_vteam t;
	int rc = zb_vteam_get(db, team_id, ar, &t, e);
	if (rc || (rc = date_in(on_date, "on_date", "日期", e)) || (rc = text_in(what, 8000, "what", "工作内容", e)))
		return rc;
	char today[11];
	zb_today(app, today);
	if (strcmp(on_date, today) > 0)
		return zb_fail(e, ZB_EINVAL, "on_date", "日期 %s 晚于今天", on_date);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	rc = zb_db_int(db, e, id,
	               "INSERT INTO village_logs (team_id, org_path, on_date, what, attachments, created_by, created_at) "
	               "VALUES (?,?,?,?,?,?,?) RETURNING id",
	               "issssIi", team_id, t.org_path, on_date, what, attachments, ac->user_id, zb_now(app));
	const char *all = attachments;
	if (!rc && nfiles && !(rc = zb_vlog_link_files(db, team_id, *id, attachments, files, nfiles, ar, &all, e)))
		rc = zb_db_run(db, e, NULL, "UPDATE village_logs SET attachments = ? WHERE id = ?", "si", all, *id);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kstr(w, "on_date", on_date);
		rc = zb_vaudit(db, app, ac, "vlog.add", "village_team", team_id, t.org_path, &d, e);
	}
	return zb_db_end(db, rc, e);
}
