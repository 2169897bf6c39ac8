/* api_village.c - 驻村第一书记 and 驻村工作队 over HTTP: the cadre registry
 * (派出单位, cadres).  The records and rules live in village/ (cadre.h);
 * this file reads requests, calls one domain function, masks what the
 * caller may not see and writes JSON.  docs/VILLAGE.md. */
#include "api/api.h"
#include "meeting/attach.h"
#include "member/member.h"
#include "village/cadre.h"
#include "village/village.h"

#include <stdio.h>
#include <stdlib.h>

#include <string.h>

static zb_actor actor_of(zb_req *r)
{
	zb_audit_ev by = zb_req_actor(r);
	return (zb_actor){.user_id = by.user_id, .username = by.username, .ip = by.ip};
}

/* ---- 派出单位 ------------------------------------------------------------------- */

static void write_unit(zb_req *r, const zb_dunit *u, int full)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", u->id);
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kstr(w, "name", u->name);
	jw_kstr(w, "contact_name", u->contact_name);
	jw_kstr(w, "contact_phone", full && u->contact_phone ? u->contact_phone : u->phone_masked);
	jw_kint(w, "cadres", u->cadres);
	jw_kint(w, "created_at", u->created_at);
	jw_obj_end(w);
}

static int answer_unit(zb_req *r, int64_t id, int full, zb_err *e)
{
	zb_dunit u;
	int rc = zb_dunit_get(r->db, id, &r->arena, &u, e);
	if (!rc && full)
		rc = zb_dunit_reveal(&u, r->app->keys, &r->arena, e);
	if (!rc)
		write_unit(r, &u, full);
	return rc;
}

static int h_units(zb_req *r, zb_err *e)
{
	int64_t limit, after = 0;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e))
		return e->code;
	zb_dunit *items;
	int n;
	int rc = zb_dunit_list(r->db, r->target_path, after, limit, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++)
		write_unit(r, &items[i], 0);
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)items[limit - 1].id) : NULL);
	return 0;
}

static int h_unit(zb_req *r, zb_err *e)
{
	int full;
	int rc = zb_api_want_full(r, r->target_path, &full, e);
	if (!rc && (rc = answer_unit(r, r->target_id, full, e)) == 0 && full)
		zb_req_audit_read(r, "dunit.read", "dispatch_unit", r->target_id, r->target_path, "{\"full\":true}");
	return rc;
}

static int h_unit_create(zb_req *r, zb_err *e)
{
	zb_dunit_input in = {.name = zb_body_str(r, "name"), .contact_name = zb_body_str(r, "contact_name"),
	                     .contact_phone = zb_body_str(r, "contact_phone")};
	zb_body_int(r, "org_id", &in.org_id);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_dunit_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (rc || (rc = answer_unit(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

/* PATCH: the fields sent change (null or absent: kept; "" removes an
 * optional one), the answer is the unit as now. */
static int h_unit_update(zb_req *r, zb_err *e)
{
	zb_dunit_input in = {.name = zb_body_str(r, "name"), .contact_name = zb_body_str(r, "contact_name"),
	                     .contact_phone = zb_body_str(r, "contact_phone")};
	zb_actor ac = actor_of(r);
	int rc = zb_dunit_update(r->db, r->app, &ac, r->target_id, &in, &r->arena, e);
	return rc ? rc : answer_unit(r, r->target_id, 0, e);
}

static void write_posting(zb_jw *w, const zb_vposting *p);

/* ---- cadres ---------------------------------------------------------------------- */

/* The cadre's fields in an object left open. */
static void write_cadre_open(zb_req *r, const zb_cadre *c, int full)
{
	zb_jw *w = &r->jw;
	int exact = full || zb_authz_allows(r->who, P_MEMBER_SENSITIVE, c->org_path);
	jw_obj(w);
	jw_kint(w, "id", c->id);
	jw_kint(w, "org_id", c->org_id);
	jw_kstr(w, "org_name", c->org_name);
	jw_kstr(w, "name", c->name);
	jw_kstr(w, "gender", c->gender);
	jw_kstr(w, "birth_date", zb_member_birth_shown(&r->arena, c->birth_date, exact));
	jw_kstr(w, "id_number", full && c->id_number ? c->id_number : c->id_masked);
	jw_kstr(w, "phone", full && c->phone ? c->phone : c->phone_masked);
	zb_api_kid_or_null(w, "unit_id", c->unit_id);
	jw_kstr(w, "unit_name", c->unit_name);
	jw_kstr(w, "post", c->post);
	zb_api_kid_or_null(w, "user_id", c->user_id);
	jw_kbool(w, "full", full);
	jw_kint(w, "created_at", c->created_at);
}

static void write_cadre(zb_req *r, const zb_cadre *c, int full)
{
	write_cadre_open(r, c, full);
	jw_obj_end(&r->jw);
}

static int answer_cadre(zb_req *r, int64_t id, int full, zb_err *e)
{
	zb_cadre c;
	int rc = zb_cadre_get(r->db, id, &r->arena, &c, e);
	if (!rc && full)
		rc = zb_cadre_reveal(&c, r->app->keys, &r->arena, e);
	if (!rc)
		write_cadre(r, &c, full);
	return rc;
}

static int h_cadres(zb_req *r, zb_err *e)
{
	int64_t limit, after = 0, unit = 0;
	const char *q = zb_req_query(r, "q");
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT64_MAX, &after, e) ||
	    zb_req_query_int(r, "unit", 0, 0, INT64_MAX, &unit, e))
		return e->code;
	zb_cadre *items;
	int n;
	int rc = zb_cadre_list(r->db, r->target_path, unit, q && *q ? q : NULL, after, limit, &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++)
		write_cadre(r, &items[i], 0);
	zb_list_end(r, -1, n > limit ? zb_arena_printf(&r->arena, "%lld", (long long)items[limit - 1].id) : NULL);
	zb_req_audit_read(r, "cadre.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* An outcome on a cadre (the cadre's page, a member's page, an
 * evaluation's page). */
void zb_api_voutcome(zb_jw *w, const zb_voutcome *o)
{
	jw_obj(w);
	jw_kint(w, "id", o->id);
	jw_kstr(w, "kind", o->kind);
	jw_kstr(w, "kind_name", zb_voutcome_name(o->kind));
	jw_kstr(w, "on_date", o->on_date);
	jw_kstr(w, "reason", o->reason);
	zb_api_kstr_or_null(w, "decided_by", o->decided_by);
	zb_api_kid_or_null(w, "review_id", o->review_id);
	if (o->review_year)
		jw_kint(w, "review_year", o->review_year);
	else
		jw_knull(w, "review_year");
	jw_kint(w, "cadre_id", o->cadre_id);
	zb_api_kstr_or_null(w, "cadre_name", o->cadre_name);
	jw_obj_end(w);
}

/* The cadre with the postings and the outcomes on record. */
static int h_cadre(zb_req *r, zb_err *e)
{
	int full;
	char today[11];
	zb_today(r->app, today);
	zb_cadre c;
	zb_vposting *ps;
	zb_voutcome *os;
	int np, no;
	int rc = zb_api_want_full(r, r->target_path, &full, e);
	if (!rc)
		rc = zb_cadre_get(r->db, r->target_id, &r->arena, &c, e);
	if (!rc && full)
		rc = zb_cadre_reveal(&c, r->app->keys, &r->arena, e);
	if (!rc)
		rc = zb_vcadre_record(r->db, c.id, zb_arena_printf(&r->arena, "%.7s", today), today, &r->arena, &ps, &np, &os,
		                      &no, e);
	if (!rc) {
		zb_jw *w = &r->jw;
		write_cadre_open(r, &c, full);
		jw_karr(w, "postings");
		for (int i = 0; i < np; i++)
			write_posting(w, &ps[i]);
		jw_arr_end(w);
		jw_karr(w, "outcomes");
		for (int i = 0; i < no; i++)
			zb_api_voutcome(w, &os[i]);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	if (!rc)
		zb_req_audit_read(r, "cadre.read", "cadre", r->target_id, r->target_path,
		                  full ? "{\"full\":true}" : "{\"full\":false}");
	return rc;
}

static int h_cadre_create(zb_req *r, zb_err *e)
{
	zb_cadre_input in = {.name = zb_body_str(r, "name"), .gender = zb_body_str(r, "gender"),
	                     .id_number = zb_body_str(r, "id_number"), .phone = zb_body_str(r, "phone"),
	                     .post = zb_body_str(r, "post")};
	zb_body_int(r, "org_id", &in.org_id);
	zb_body_int(r, "unit_id", &in.unit_id);
	zb_body_int(r, "user_id", &in.user_id);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_cadre_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (rc || (rc = answer_cadre(r, id, 0, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_cadre_update(zb_req *r, zb_err *e)
{
	zb_cadre_input in = {.name = zb_body_str(r, "name"), .gender = zb_body_str(r, "gender"),
	                     .id_number = zb_body_str(r, "id_number"), .phone = zb_body_str(r, "phone"),
	                     .post = zb_body_str(r, "post")};
	int unit_given = json_object_get(r->json, "unit_id") != NULL;
	zb_body_int(r, "unit_id", &in.unit_id);
	zb_actor ac = actor_of(r);
	int rc = zb_cadre_update(r->db, r->app, &ac, r->who, r->target_id, &in, unit_given, &r->arena, e);
	return rc ? rc : answer_cadre(r, r->target_id, 0, e);
}

/* ---- village work ------------------------------------------------------------------ */

/* ?month=YYYY-MM, default the current month */
static const char *month_of(zb_req *r, char today[11])
{
	zb_today(r->app, today);
	const char *m = zb_req_query(r, "month");
	return m && *m ? m : zb_arena_printf(&r->arena, "%.7s", today);
}

static void write_presence(zb_jw *w, const zb_vpresence *p)
{
	jw_kint(w, "days_counted", p->days_counted);
	jw_kint(w, "days_away", p->days_away);
	jw_kint(w, "days_in_village", p->days_in_village);
	jw_kint(w, "required", p->required);
	jw_kbool(w, "ok", p->ok);
	jw_kbool(w, "partial", p->partial);
}

static void write_posting(zb_jw *w, const zb_vposting *p)
{
	jw_obj(w);
	jw_kint(w, "posting_id", p->id);
	jw_kint(w, "cadre_id", p->cadre_id);
	jw_kstr(w, "name", p->cadre_name);
	jw_kstr(w, "role", p->role);
	jw_kstr(w, "role_name", zb_vrole_name(p->role));
	jw_kint(w, "org_id", p->org_id);
	jw_kstr(w, "org_name", p->org_name);
	zb_api_kid_or_null(w, "team_id", p->team_id);
	jw_kstr(w, "team_name", p->team_name);
	jw_kstr(w, "unit_name", p->unit_name);
	jw_kstr(w, "started_on", p->started_on);
	jw_kstr(w, "term_ends_on", p->term_ends_on);
	jw_kstr(w, "ended_on", p->ended_on);
	jw_kstr(w, "end_reason", p->end_reason);
	jw_kbool(w, "ending_soon", p->ending_soon);
	write_presence(w, &p->presence);
	jw_obj_end(w);
}

static int h_first_secretaries(zb_req *r, zb_err *e)
{
	char today[11];
	const char *month = month_of(r, today);
	zb_vposting *ps;
	int n;
	int rc = zb_vfirst_secretaries(r->db, r->target_path, month, today, &r->arena, &ps, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "month", month);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++)
		write_posting(w, &ps[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_villages(zb_req *r, zb_err *e)
{
	char today[11];
	const char *month = month_of(r, today), *only = zb_req_query(r, "only");
	zb_vvillage *vs;
	int n;
	zb_vcounty sum;
	int rc = zb_vcounty_view(r->db, r->target_path, month, today, only && *only ? only : NULL, &r->arena, &vs, &n,
	                         &sum, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "month", month);
	jw_kobj(w, "summary");
	jw_kint(w, "villages", sum.villages);
	jw_kint(w, "required", sum.required);
	jw_kint(w, "covered", sum.covered);
	jw_kint(w, "uncovered_required", sum.uncovered_required);
	jw_kint(w, "ending_soon", sum.ending_soon);
	jw_kint(w, "under_rule", sum.under_rule);
	jw_kint(w, "teams", sum.teams);
	jw_kint(w, "cadres_posted", sum.cadres_posted);
	jw_obj_end(w);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++) {
		const zb_vvillage *v = &vs[i];
		jw_obj(w);
		jw_kint(w, "org_id", v->org_id);
		jw_kstr(w, "org_name", v->org_name);
		jw_kstr(w, "town_name", v->town_name);
		jw_kstr(w, "required_reason", v->required_reason);
		jw_kstr(w, "required_reason_name", zb_vreason_name(v->required_reason));
		jw_key(w, "first_secretary");
		if (v->first.id)
			write_posting(w, &v->first);
		else
			jw_null(w);
		zb_api_kid_or_null(w, "team_id", v->team_id);
		jw_kstr(w, "team_name", v->team_name);
		jw_kint(w, "team_size", v->team_size);
		if (v->eval_score >= 0) {
			jw_kdouble(w, "eval_score", v->eval_score);
			jw_kint(w, "eval_year", v->eval_year);
		} else {
			jw_knull(w, "eval_score");
			jw_knull(w, "eval_year");
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* The org page's village-work section: the 第一书记 and team now. */
static int h_org_village(zb_req *r, zb_err *e)
{
	char today[11];
	const char *month = month_of(r, today);
	zb_vvillage vv;
	int found;
	int rc = zb_vvillage_get(r->db, r->target_id, month, today, &r->arena, &vv, &found, e);
	if (rc)
		return rc;
	const zb_vvillage *v = found ? &vv : NULL;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_key(w, "first_secretary");
	if (v && v->first.id && !v->first.ended_on)
		write_posting(w, &v->first);
	else
		jw_null(w);
	zb_api_kid_or_null(w, "team_id", v ? v->team_id : 0);
	jw_kstr(w, "team_name", v ? v->team_name : NULL);
	jw_kint(w, "team_size", v ? v->team_size : 0);
	jw_kstr(w, "required_reason", v ? v->required_reason : NULL);
	jw_kstr(w, "required_reason_name", v ? zb_vreason_name(v->required_reason) : NULL);
	jw_obj_end(w);
	return 0;
}

static void write_absence(zb_req *r, const zb_vabsence *a)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", a->id);
	jw_kint(w, "posting_id", a->posting_id);
	jw_kstr(w, "name", a->cadre_name);
	jw_kstr(w, "kind", a->kind);
	jw_kstr(w, "kind_name", zb_vabsence_name(a->kind));
	jw_kstr(w, "from_on", a->from_on);
	jw_kstr(w, "to_on", a->to_on);
	jw_kint(w, "days", a->days);
	jw_kstr(w, "reason", a->reason);
	jw_kstr(w, "status", a->status);
	jw_kstr(w, "level", a->level);
	jw_kstr(w, "level_org_name", a->level_org_name);
	jw_kstr(w, "decision_note", a->decision_note);
	jw_kint(w, "filed_at", a->filed_at);
	/* a pending leave the caller's level approves */
	jw_kbool(w, "can_decide", !strcmp(a->status, "pending") && a->level_org_path &&
	                              zb_authz_allows(r->who, P_MEMBER_WRITE, a->level_org_path));
	jw_obj_end(w);
}

static int answer_absence(zb_req *r, int64_t id, zb_err *e)
{
	zb_vabsence a;
	int rc = zb_vabsence_get(r->db, id, &r->arena, &a, e);
	if (!rc)
		write_absence(r, &a);
	return rc;
}

static int h_team(zb_req *r, zb_err *e)
{
	char today[11], first[11], from[11];
	const char *month = month_of(r, today);
	zb_vteam t;
	int rc = zb_vteam_get(r->db, r->target_id, &r->arena, &t, e);
	zb_vposting *ps;
	int n;
	if (rc || (rc = zb_vteam_postings(r->db, t.id, month, today, &r->arena, &ps, &n, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", t.id);
	jw_kstr(w, "name", t.name);
	jw_kint(w, "org_id", t.org_id);
	jw_kstr(w, "org_name", t.org_name);
	jw_kstr(w, "formed_on", t.formed_on);
	jw_kstr(w, "month", month);
	jw_karr(w, "postings");
	for (int i = 0; i < n; i++)
		write_posting(w, &ps[i]);
	jw_arr_end(w);
	/* the six months up to the one asked for, each posting's presence */
	jw_karr(w, "months");
	snprintf(first, sizeof first, "%.7s-01", month);
	for (int k = 5; k >= 0; k--) {
		char d[11];
		zb_date_add_months(first, -k, d);
		const char *m = zb_arena_printf(&r->arena, "%.7s", d);
		zb_vposting *mp;
		int mn;
		if ((rc = zb_vteam_postings(r->db, t.id, m, today, &r->arena, &mp, &mn, e)))
			return rc;
		jw_obj(w);
		jw_kstr(w, "month", m);
		jw_karr(w, "items");
		for (int i = 0; i < mn; i++) {
			if (!mp[i].presence.days_counted)
				continue;
			jw_obj(w);
			jw_kint(w, "posting_id", mp[i].id);
			jw_kstr(w, "name", mp[i].cadre_name);
			write_presence(w, &mp[i].presence);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	/* the log and the absences of those months */
	zb_date_add_months(first, -5, from);
	char next[11], to[11];
	zb_date_add_months(first, 1, next);
	zb_date_add_days(next, -1, to);
	zb_vlog_item *log;
	zb_vabsence *ab;
	int nlog, nab;
	if ((rc = zb_vteam_log(r->db, t.id, from, to, &r->arena, &log, &nlog, e)) ||
	    (rc = zb_vteam_absences(r->db, t.id, from, to, &r->arena, &ab, &nab, e)))
		return rc;
	jw_karr(w, "log");
	for (int i = 0; i < nlog; i++) {
		jw_obj(w);
		jw_kint(w, "id", log[i].id);
		jw_kstr(w, "kind", log[i].kind);
		jw_kstr(w, "on_date", log[i].on_date);
		jw_kstr(w, "what", log[i].what);
		jw_key(w, "attachments");
		jw_raw(w, log[i].attachments && *log[i].attachments ? log[i].attachments : "[]");
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "absences");
	for (int i = 0; i < nab; i++)
		write_absence(r, &ab[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "vteam.read", "village_team", t.id, t.org_path, NULL);
	return 0;
}

static int h_team_create(zb_req *r, zb_err *e)
{
	int64_t org_id = 0, id;
	zb_body_int(r, "org_id", &org_id);
	zb_actor ac = actor_of(r);
	int rc = zb_vteam_create(r->db, r->app, &ac, r->who, org_id, zb_body_str(r, "name"), zb_body_str(r, "formed_on"),
	                         &r->arena, &id, e);
	if (rc)
		return rc;
	zb_vteam t;
	if ((rc = zb_vteam_get(r->db, id, &r->arena, &t, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", t.id);
	jw_kstr(w, "name", t.name);
	jw_kint(w, "org_id", t.org_id);
	jw_kstr(w, "org_name", t.org_name);
	jw_kstr(w, "formed_on", t.formed_on);
	jw_obj_end(w);
	r->status = 201;
	return 0;
}

static void write_id(zb_req *r, int64_t id)
{
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_obj_end(&r->jw);
	r->status = 201;
}

static int h_log_add(zb_req *r, zb_err *e)
{
	json_t *att = json_object_get(r->json, "attachments");
	char *att_text = NULL;
	if (json_is_array(att)) {
		size_t i;
		json_t *it;
		json_array_foreach(att, i, it) {
			json_t *nm = json_object_get(it, "name");
			if (!json_is_object(it) || !json_is_string(nm) || json_string_length(nm) > 200 ||
			    json_object_size(it) > 2 || (json_object_size(it) == 2 && !json_is_string(json_object_get(it, "note"))))
				return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "attachments[%zu]", i),
				               "附件应为 {\"name\": 名称, \"note\": 说明}");
		}
		if (json_array_size(att) > 20)
			return zb_fail(e, ZB_EINVAL, "attachments", "附件最多 20 个");
		char *d = json_dumps(att, JSON_COMPACT);
		att_text = zb_arena_strdup(&r->arena, d);
		free(d);
	}
	/* files: ids of photos uploaded for the team (POST .../files) */
	json_t *fj = json_object_get(r->json, "files");
	int64_t *files = NULL;
	int nfiles = 0;
	if (json_is_array(fj)) {
		size_t i;
		json_t *it;
		if (json_array_size(fj) > ZB_ATTACH_MAX_PER_MEETING)
			return zb_fail(e, ZB_EINVAL, "files", "每条工作记录最多 %d 个附件", ZB_ATTACH_MAX_PER_MEETING);
		files = zb_arena_alloc(&r->arena, (json_array_size(fj) + 1) * sizeof *files);
		json_array_foreach(fj, i, it) {
			if (!json_is_integer(it) || json_integer_value(it) <= 0)
				return zb_fail(e, ZB_EINVAL, zb_arena_printf(&r->arena, "files[%zu]", i), "附件应为上传后得到的编号");
			files[nfiles++] = json_integer_value(it);
		}
	}
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_vlog_add(r->db, r->app, &ac, r->target_id, zb_body_str(r, "on_date"), zb_body_str(r, "what"), att_text,
	                     files, nfiles, &r->arena, &id, e);
	if (!rc)
		write_id(r, id);
	return rc;
}

/* A photo or PDF for the team's log: the body is the file. */
static int h_file_upload(zb_req *r, zb_err *e)
{
	const char *filename;
	if (zb_api_upload_filename(r, &filename, e))
		return e->code;
	zb_actor ac = actor_of(r);
	zb_vfile f;
	int rc = zb_vfile_upload(r->db, r->app, &ac, r->target_id, filename, r->body.data, r->body.len, &r->arena, &f, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", f.id);
	jw_kint(w, "team_id", f.team_id);
	jw_kstr(w, "kind", f.kind);
	jw_kstr(w, "content_type", zb_attach_content_type(f.kind));
	jw_kstr(w, "filename", f.filename);
	jw_kint(w, "size", f.size);
	jw_kstr(w, "url", f.url);
	jw_kint(w, "created_at", f.created_at);
	jw_obj_end(w);
	r->status = 201;
	return 0;
}

static int h_file_get(zb_req *r, zb_err *e)
{
	const char *kind, *name, *stored;
	int rc = zb_vfile_find(r->db, r->target_id, &r->arena, &kind, &name, &stored, e);
	if (rc)
		return rc;
	return zb_api_stored_file(r, kind, name, stored, "attachment", "vlog.file_read", "village_log_file", e);
}

static int h_eval_add(zb_req *r, zb_err *e)
{
	zb_veval_scores s;
	int64_t v[8] = {0};
	static const char *const keys[] = {"year", "report_score", "rating_cadres", "rating_villagers", "exam_county",
	                                   "exam_township", "exam_unit", "exam_village"};
	for (int i = 0; i < 8; i++) {
		zb_body_int(r, keys[i], &v[i]);
		if (v[i] < -1 || v[i] > 100000)
			return zb_fail(e, ZB_EINVAL, keys[i], "数值超出范围");
	}
	s = (zb_veval_scores){(int)v[1], (int)v[2], (int)v[3], (int)v[4], (int)v[5], (int)v[6], (int)v[7]};
	zb_actor ac = actor_of(r);
	int64_t id;
	double final;
	int rc = zb_veval_add(r->db, r->app, &ac, r->target_id, (int)v[0], zb_body_str(r, "report_on"),
	                      zb_body_str(r, "report_summary"), &s, &r->arena, &id, &final, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kdouble(&r->jw, "final_score", final);
	jw_obj_end(&r->jw);
	r->status = 201;
	return 0;
}

static int h_posting_create(zb_req *r, zb_err *e)
{
	zb_vposting_input in = {.role = zb_body_str(r, "role"), .started_on = zb_body_str(r, "started_on"),
	                        .term_ends_on = zb_body_str(r, "term_ends_on")};
	zb_body_int(r, "cadre_id", &in.cadre_id);
	zb_body_int(r, "org_id", &in.org_id);
	zb_body_int(r, "team_id", &in.team_id);
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_vposting_create(r->db, r->app, &ac, r->who, &in, &r->arena, &id, e);
	if (!rc)
		write_id(r, id);
	return rc;
}

static int h_posting_end(zb_req *r, zb_err *e)
{
	zb_actor ac = actor_of(r);
	int rc = zb_vposting_end(r->db, r->app, &ac, r->target_id, zb_body_str(r, "ended_on"), zb_body_str(r, "reason"),
	                         zb_body_str(r, "note"), &r->arena, e);
	if (!rc)
		zb_req_ok(r);
	return rc;
}

static int h_req_add(zb_req *r, zb_err *e)
{
	int64_t org_id = 0, id;
	zb_body_int(r, "org_id", &org_id);
	zb_actor ac = actor_of(r);
	int rc = zb_vreq_add(r->db, r->app, &ac, r->who, org_id, zb_body_str(r, "reason"), zb_body_str(r, "note"),
	                     zb_body_str(r, "from_on"), zb_body_str(r, "until_on"), &r->arena, &id, e);
	if (!rc)
		write_id(r, id);
	return rc;
}

static int h_outcome_add(zb_req *r, zb_err *e)
{
	zb_actor ac = actor_of(r);
	int64_t id;
	int rc = zb_voutcome_add(r->db, r->app, &ac, r->target_id, zb_body_str(r, "kind"), zb_body_str(r, "on_date"),
	                         zb_body_str(r, "reason"), &r->arena, &id, e);
	if (!rc)
		write_id(r, id);
	return rc;
}

static int h_leave_file(zb_req *r, zb_err *e)
{
	int64_t posting = 0, id;
	zb_body_int(r, "posting_id", &posting);
	zb_actor ac = actor_of(r);
	int rc = zb_vabsence_file(r->db, r->app, &ac, r->who, posting, zb_body_str(r, "kind"), zb_body_str(r, "from_on"),
	                          zb_body_str(r, "to_on"), zb_body_str(r, "reason"), &r->arena, &id, e);
	if (rc || (rc = answer_absence(r, id, e)))
		return rc;
	r->status = 201;
	return 0;
}

static int h_leave_decide(zb_req *r, zb_err *e)
{
	zb_actor ac = actor_of(r);
	int rc = zb_vabsence_decide(r->db, r->app, &ac, r->who, r->target_id,
	                            json_is_true(json_object_get(r->json, "approve")), zb_body_str(r, "note"), &r->arena, e);
	return rc ? rc : answer_absence(r, r->target_id, e);
}

static int h_leaves_pending(zb_req *r, zb_err *e)
{
	zb_vabsence *ab;
	int n;
	int rc = zb_vleaves_pending(r->db, r->target_path, &r->arena, &ab, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_absence(r, &ab[i]);
	zb_list_end(r, -1, NULL);
	return 0;
}

static int h_my_postings(zb_req *r, zb_err *e)
{
	char today[11];
	const char *month = month_of(r, today);
	zb_vposting *ps;
	int n;
	int rc = zb_vmy_postings(r->db, r->who->user_id, month, today, &r->arena, &ps, &n, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "month", month);
	jw_karr(w, "items");
	for (int i = 0; i < n; i++)
		write_posting(w, &ps[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

/* ---- route table ------------------------------------------------------------------- */

static const zb_field unit_fields[] = {
	{"org_id", 'i', 1, 0, "保存该记录的组织（一般为县委）"},
	{"name", 's', 1, 400, "派出单位名称"},
	{"contact_name", 's', 0, 200, "联系人"},
	{"contact_phone", 's', 0, 64, "联系电话"},
	{0},
};
static const zb_field cadre_fields[] = {
	{"org_id", 'i', 1, 0, "保存该记录的组织（一般为县委）"},
	{"name", 's', 1, 200, "姓名"},
	{"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},
	{"id_number", 's', 0, 64, "身份证号（18 位）"},
	{"phone", 's', 0, 64, "联系电话"},
	{"unit_id", 'i', 0, 0, "派出单位"},
	{"post", 's', 0, 400, "在派出单位的职务"},
	{"user_id", 'i', 0, 0, "干部登录用的账号（可不填）"},
	{0},
};
static const zb_field unit_patch_fields[] = {
	{"name", 's', 0, 400, "派出单位名称"},
	{"contact_name", 's', 0, 200, "联系人（空字符串：删除）"},
	{"contact_phone", 's', 0, 64, "联系电话（空字符串：删除）"},
	{0},
};
static const zb_field cadre_patch_fields[] = {
	{"name", 's', 0, 200, "姓名"},
	{"gender", 's', 0, 16, "性别：M/F 或 男/女（有身份证号时由其得出）"},
	{"id_number", 's', 0, 64, "新的身份证号（不改时不发送；空字符串：删除）"},
	{"phone", 's', 0, 64, "新的联系电话（不改时不发送；空字符串：删除）"},
	{"unit_id", 'i', 0, 0, "派出单位（null：无）"},
	{"post", 's', 0, 400, "在派出单位的职务（空字符串：删除）"},
	{0},
};

static const zb_prop unit_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"org_id", 'i', 0, NULL, "保存该记录的组织"},
	{"org_name", 's', 0, NULL, "该组织名称"},
	{"name", 's', 0, NULL, "派出单位名称"},
	{"contact_name", 's', ZB_NULL, NULL, "联系人"},
	{"contact_phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"},
	{"cadres", 'i', 0, NULL, "登记的该单位干部人数"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{0},
};
static const zb_shape unit_shape = {"DispatchUnit", unit_props, 0, 0, "派出单位"};
ZB_LIST_PAGED(unit_list, "DispatchUnitList", &unit_shape);

#define CADRE_PROPS \
	{"id", 'i', 0, NULL, "编号"}, \
	{"org_id", 'i', 0, NULL, "保存该记录的组织"}, \
	{"org_name", 's', 0, NULL, "该组织名称"}, \
	{"name", 's', 0, NULL, "姓名"}, \
	{"gender", 's', ZB_NULL, NULL, "性别：M 或 F"}, \
	{"birth_date", 's', ZB_NULL, NULL, "出生日期（无权查看全部时只到年月）"}, \
	{"id_number", 's', ZB_NULL, NULL, "身份证号（默认隐去）"}, \
	{"phone", 's', ZB_NULL, NULL, "联系电话（默认隐去中间部分）"}, \
	{"unit_id", 'i', ZB_NULL, NULL, "派出单位"}, \
	{"unit_name", 's', ZB_NULL, NULL, "派出单位名称"}, \
	{"post", 's', ZB_NULL, NULL, "在派出单位的职务"}, \
	{"user_id", 'i', ZB_NULL, NULL, "关联的登录账号"}, \
	{"full", 'b', 0, NULL, "身份证号和电话是否完整显示"}, \
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"}
static const zb_prop cadre_props[] = {
	CADRE_PROPS,
	{0},
};
static const zb_shape cadre_shape = {"Cadre", cadre_props, 0, 0, "干部（派驻、帮扶）"};
ZB_LIST_PAGED(cadre_list, "CadreList", &cadre_shape);


#define PRESENCE_PROPS                                                                                        \
	{"days_counted", 'i', 0, NULL, "本月计入的驻村任职天数（任职起止、截至今天）"},                            \
	{"days_away", 'i', 0, NULL, "其中请假（已批准）、培训、出差的天数"},                                        \
	{"days_in_village", 'i', 0, NULL, "在村天数"},                                                          \
	{"required", 'i', 0, NULL, "应在村天数（每月不少于 20 天，不满月按天数折算，向上取整）"},                 \
	{"ok", 'b', 0, NULL, "达到规定"}, {"partial", 'b', 0, NULL, "不满整月（任职起止或本月未过完）"}

static const zb_prop posting_props[] = {
	{"posting_id", 'i', 0, NULL, "驻村任职编号"},
	{"cadre_id", 'i', 0, NULL, "干部编号"},
	{"name", 's', 0, NULL, "姓名"},
	{"role", 's', 0, NULL, "first_secretary 第一书记、leader 队长、member 队员"},
	{"role_name", 's', ZB_NULL, NULL, "驻村职务名称"},
	{"org_id", 'i', 0, NULL, "所驻村党组织"},
	{"org_name", 's', 0, NULL, "所驻村党组织名称"},
	{"team_id", 'i', ZB_NULL, NULL, "驻村工作队"},
	{"team_name", 's', ZB_NULL, NULL, "驻村工作队名称"},
	{"unit_name", 's', ZB_NULL, NULL, "派出单位"},
	{"started_on", 'd', 0, NULL, "驻村开始日期"},
	{"term_ends_on", 'd', 0, NULL, "任期届满日期"},
	{"ended_on", 'd', ZB_NULL, NULL, "结束日期（在任为 null）"},
	{"end_reason", 's', ZB_NULL, NULL, "结束原因：term_end、recalled、other"},
	{"ending_soon", 'b', 0, NULL, "任期即将届满（规则所定天数内）"},
	PRESENCE_PROPS,
	{0},
};
static const zb_shape posting_shape = {"VillagePosting", posting_props, 0, 0, "驻村任职及其当月在村情况"};
static const zb_prop fs_props[] = {
	{"month", 's', 0, NULL, "月份 YYYY-MM"},
	{"items", 'a', 0, &posting_shape, "当月在任的第一书记"},
	{0},
};
static const zb_shape fs_shape = {"FirstSecretaryList", fs_props, 0, 0, "第一书记及其当月驻村天数"};

static const zb_prop county_sum_props[] = {
	{"villages", 'i', 0, NULL, "村数"},
	{"required", 'i', 0, NULL, "须选派第一书记的村数"},
	{"covered", 'i', 0, NULL, "其中已有第一书记的"},
	{"uncovered_required", 'i', 0, NULL, "其中尚无第一书记的"},
	{"ending_soon", 'i', 0, NULL, "任期即将届满的第一书记"},
	{"under_rule", 'i', 0, NULL, "当月驻村天数不足的第一书记"},
	{"teams", 'i', 0, NULL, "驻村工作队数"},
	{"cadres_posted", 'i', 0, NULL, "当月在任的驻村干部人数"},
	{0},
};
static const zb_shape county_sum_shape = {"VillageSummary", county_sum_props, 0, 0, "全县汇总"};
static const zb_prop village_props[] = {
	{"org_id", 'i', 0, NULL, "村党组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"town_name", 's', 0, NULL, "所属乡镇党委"},
	{"required_reason", 's', ZB_NULL, NULL, "须选派第一书记的原因代码（不须选派为 null）"},
	{"required_reason_name", 's', ZB_NULL, NULL, "原因：脱贫村、软弱涣散村、集体经济薄弱村、其他"},
	{"first_secretary", 'o', ZB_NULL, &posting_shape, "第一书记（无为 null）"},
	{"team_id", 'i', ZB_NULL, NULL, "驻村工作队"},
	{"team_name", 's', ZB_NULL, NULL, "工作队名称"},
	{"team_size", 'i', 0, NULL, "工作队在任人数"},
	{"eval_score", 'n', ZB_NULL, NULL, "最近一次考核的综合得分"},
	{"eval_year", 'i', ZB_NULL, NULL, "其年度"},
	{0},
};
static const zb_shape village_shape = {"VillageWork", village_props, 0, 0, "一个村的第一书记和工作队"};
static const zb_prop villages_props[] = {
	{"month", 's', 0, NULL, "月份 YYYY-MM"},
	{"summary", 'o', 0, &county_sum_shape, "汇总（全部村，不受 only 筛选影响）"},
	{"items", 'a', 0, &village_shape, "村"},
	{0},
};
static const zb_shape villages_shape = {"VillageList", villages_props, 0, 0, "县的驻村工作一览"};
static const zb_prop org_village_props[] = {
	{"first_secretary", 'o', ZB_NULL, &posting_shape, "在任第一书记（无为 null）"},
	{"team_id", 'i', ZB_NULL, NULL, "驻村工作队"},
	{"team_name", 's', ZB_NULL, NULL, "工作队名称"},
	{"team_size", 'i', 0, NULL, "工作队在任人数"},
	{"required_reason", 's', ZB_NULL, NULL, "须选派第一书记的原因代码"},
	{"required_reason_name", 's', ZB_NULL, NULL, "原因名称"},
	{0},
};
static const zb_shape org_village_shape = {"OrgVillageWork", org_village_props, 0, 0, "组织页的驻村工作部分"};

static const zb_prop absence_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"posting_id", 'i', 0, NULL, "驻村任职"},
	{"name", 's', 0, NULL, "干部姓名"},
	{"kind", 's', 0, NULL, "leave 请假、training 培训、trip 因公出差"},
	{"kind_name", 's', ZB_NULL, NULL, "类型名称"},
	{"from_on", 'd', 0, NULL, "开始日期"},
	{"to_on", 'd', 0, NULL, "结束日期（含）"},
	{"days", 'i', 0, NULL, "天数"},
	{"reason", 's', 0, NULL, "事由"},
	{"status", 's', 0, NULL, "pending 待审批、approved 已批准、refused 未批准"},
	{"level", 's', ZB_NULL, NULL, "请假的审批层级：township 乡镇党委、county 县委组织部"},
	{"level_org_name", 's', ZB_NULL, NULL, "审批的党委"},
	{"decision_note", 's', ZB_NULL, NULL, "审批意见"},
	{"filed_at", 'i', 0, NULL, "提交时间（Unix 秒）"},
	{"can_decide", 'b', 0, NULL, "待审批且由调用者这一级审批"},
	{0},
};
static const zb_shape absence_shape = {"VillageAbsence", absence_props, 0, 0, "请假、培训或出差"};
ZB_LIST(absence_list, "VillageAbsenceList", &absence_shape);

static const zb_prop month_item_props[] = {
	{"posting_id", 'i', 0, NULL, "驻村任职"},
	{"name", 's', 0, NULL, "姓名"},
	PRESENCE_PROPS,
	{0},
};
static const zb_shape month_item_shape = {"VillageMonthItem", month_item_props, 0, 0, NULL};
static const zb_prop month_props[] = {
	{"month", 's', 0, NULL, "月份"},
	{"items", 'a', 0, &month_item_shape, "当月在任者的在村天数"},
	{0},
};
static const zb_shape month_shape = {"VillageMonth", month_props, 0, 0, NULL};
static const zb_prop log_props[] = {
	{"id", 'i', 0, NULL, "记录编号（会议：会议编号；帮扶走访：走访编号）"},
	{"kind", 's', 0, NULL, "log 工作记录、meeting 列席的会议、visit 帮扶走访（只读）"},
	{"on_date", 'd', 0, NULL, "日期"},
	{"what", 's', 0, NULL, "内容"},
	{"attachments", 'j', 0, NULL,
	 "附件：上传的文件 {name, file_id, kind, url}（url 为下载和缩略图地址），较早的记录为 {name, note}"},
	{0},
};
static const zb_shape log_shape = {"VillageLogItem", log_props, 0, 0, "工作队的工作记录"};
static const zb_prop team_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"name", 's', 0, NULL, "名称"},
	{"org_id", 'i', 0, NULL, "所驻村党组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"formed_on", 'd', 0, NULL, "组建日期"},
	{"month", 's', ZB_OPT, NULL, "月份"},
	{"postings", 'a', ZB_OPT, &posting_shape, "队员（在任在前）及其当月在村天数"},
	{"months", 'a', ZB_OPT, &month_shape, "近六个月每月的在村天数"},
	{"log", 'a', ZB_OPT, &log_shape, "近六个月的工作记录（含列席的会议）"},
	{"absences", 'a', ZB_OPT, &absence_shape, "近六个月的请假、培训、出差"},
	{0},
};
static const zb_shape team_shape = {"VillageTeam", team_props, 0, 0, "驻村工作队"};
static const zb_prop created_props[] = {
	{"id", 'i', 0, NULL, "新记录的编号"},
	{"final_score", 'n', ZB_OPT, NULL, "考核的综合得分"},
	{0},
};
static const zb_prop outcome_props[] = {
	{"id", 'i', 0, NULL, "编号"},
	{"kind", 's', 0, NULL, "recall 召回、accountability 问责、talk 约谈、disqualify 取消后备干部资格、notify 通报派出单位"},
	{"kind_name", 's', ZB_NULL, NULL, "名称"},
	{"on_date", 'd', 0, NULL, "日期"},
	{"reason", 's', 0, NULL, "原因"},
	{"decided_by", 's', ZB_NULL, NULL, "决定机关或决定人"},
	{"review_id", 'i', ZB_NULL, NULL, "所依据的驻村考核"},
	{"review_year", 'i', ZB_NULL, NULL, "该考核的年度"},
	{"cadre_id", 'i', 0, NULL, "干部"},
	{"cadre_name", 's', ZB_NULL, NULL, "干部姓名"},
	{0},
};
const zb_shape zb_voutcome_shape = {"CadreOutcome", outcome_props, 0, 0, "对干部的处理"};
#define outcome_shape zb_voutcome_shape
static const zb_prop cadre_detail_props[] = {
	CADRE_PROPS,
	{"postings", 'a', 0, &posting_shape, "驻村任职（新的在前）及本月在村天数"},
	{"outcomes", 'a', 0, &outcome_shape, "召回、问责、约谈（新的在前）"},
	{0},
};
static const zb_shape cadre_detail_shape = {"CadreDetail", cadre_detail_props, 0, 0, "干部及其驻村任职和处理"};
static const zb_shape created_shape = {"VillageCreated", created_props, 0, 0, NULL};
static const zb_prop vfile_props[] = {
	{"id", 'i', 0, NULL, "附件编号（工作记录的 files 中引用）"},
	{"team_id", 'i', 0, NULL, "驻村工作队"},
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf"},
	{"content_type", 's', 0, NULL, "媒体类型"},
	{"filename", 's', 0, NULL, "文件名"},
	{"size", 'i', 0, NULL, "字节数"},
	{"url", 's', 0, NULL, "下载地址"},
	{"created_at", 'i', 0, NULL, "上传时间（Unix 秒）"},
	{0},
};
static const zb_shape vfile_shape = {"VillageFileUploaded", vfile_props, 0, 0, "已上传的工作记录附件"};

static const zb_field team_fields[] = {
	{"org_id", 'i', 1, 0, "所驻村党组织"},
	{"name", 's', 0, 400, "名称（默认：村名 + 驻村工作队）"},
	{"formed_on", 'd', 1, 10, "组建日期"},
	{0},
};
static const zb_field posting_fields[] = {
	{"cadre_id", 'i', 1, 0, "干部"},
	{"org_id", 'i', 1, 0, "所驻村党组织"},
	{"team_id", 'i', 0, 0, "驻村工作队（默认：该村现有的工作队）"},
	{"role", 's', 1, 32, "first_secretary 第一书记、leader 队长、member 队员"},
	{"started_on", 'd', 1, 10, "驻村开始日期"},
	{"term_ends_on", 'd', 1, 10, "任期届满日期"},
	{0},
};
static const zb_field end_fields[] = {
	{"ended_on", 'd', 1, 10, "结束日期"},
	{"reason", 's', 1, 32, "term_end 期满、recalled 召回、other 其他"},
	{"note", 's', 0, 2000, "说明（召回、其他须填写）"},
	{0},
};
static const zb_field req_fields[] = {
	{"org_id", 'i', 1, 0, "村党组织"},
	{"reason", 's', 1, 32, "poverty 脱贫村、weak 软弱涣散村、collective 集体经济薄弱村、other 其他"},
	{"note", 's', 0, 2000, "说明"},
	{"from_on", 'd', 1, 10, "开始日期"},
	{"until_on", 'd', 0, 10, "截止日期（可不填）"},
	{0},
};
static const zb_field outcome_fields[] = {
	{"kind", 's', 1, 32, "recall 召回、accountability 问责、talk 约谈"},
	{"on_date", 'd', 1, 10, "日期"},
	{"reason", 's', 1, 2000, "原因"},
	{0},
};
static const zb_field leave_fields[] = {
	{"posting_id", 'i', 1, 0, "驻村任职"},
	{"kind", 's', 1, 32, "leave 请假、training 培训、trip 因公出差"},
	{"from_on", 'd', 1, 10, "开始日期"},
	{"to_on", 'd', 1, 10, "结束日期（含）"},
	{"reason", 's', 1, 2000, "事由"},
	{0},
};
static const zb_field decide_fields[] = {
	{"approve", 'b', 1, 0, "true 批准，false 不批准"},
	{"note", 's', 0, 2000, "审批意见"},
	{0},
};
static const zb_field log_fields[] = {
	{"on_date", 'd', 1, 10, "日期"},
	{"what", 's', 1, 8000, "工作内容"},
	{"attachments", 'a', 0, 0, "附件名称 [{\"name\", \"note\"}]（不上传文件时）"},
	{"files", 'a', 0, 0, "上传到本工作队的照片或 PDF 的编号（POST /village-teams/{id}/files 所得）"},
	{0},
};
static const zb_field eval_fields[] = {
	{"year", 'i', 1, 0, "考核年度"},
	{"report_on", 'd', 1, 10, "述职日期"},
	{"report_summary", 's', 1, 8000, "述职摘要"},
	{"report_score", 'i', 1, 0, "述职得分 0–100"},
	{"rating_cadres", 'i', 1, 0, "干部测评 0–100"},
	{"rating_villagers", 'i', 1, 0, "群众测评 0–100"},
	{"exam_county", 'i', 1, 0, "县委组织部考核 0–100"},
	{"exam_township", 'i', 1, 0, "乡镇党委考核 0–100"},
	{"exam_unit", 'i', 1, 0, "派出单位考核 0–100"},
	{"exam_village", 'i', 1, 0, "村党组织考核 0–100"},
	{0},
};

const zb_route zb_routes_village[] = {
	{.method = "GET", .pattern = "/api/v1/dispatch-units", .fn = h_units,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&unit_list),
	 .tag = "village", .summary = "派出单位（组织及下级保存的）", .query_doc = "org:integer,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/dispatch-units", .fn = h_unit_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = unit_fields,
	 .resp = ZB_CREATED(&unit_shape), .tag = "village", .summary = "登记派出单位"},
	{.method = "GET", .pattern = "/api/v1/dispatch-units/{id}", .fn = h_unit,
	 .perm = P_MEMBER_READ, .scope = S_DUNIT, .resp = ZB_OK(&unit_shape),
	 .tag = "village", .summary = "派出单位", .query_doc = "full:integer"},
	{.method = "PATCH", .pattern = "/api/v1/dispatch-units/{id}", .fn = h_unit_update,
	 .perm = P_MEMBER_WRITE, .scope = S_DUNIT, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = unit_patch_fields,
	 .resp = ZB_OK(&unit_shape), .tag = "village", .summary = "修改派出单位及其联系人"},
	{.method = "GET", .pattern = "/api/v1/cadres", .fn = h_cadres,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&cadre_list),
	 .tag = "village", .summary = "干部名单（组织及下级保存的；按派出单位、姓名筛选）",
	 .query_doc = "org:integer,unit:integer,q:string,after:integer,limit:integer"},
	{.method = "POST", .pattern = "/api/v1/cadres", .fn = h_cadre_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = cadre_fields,
	 .resp = ZB_CREATED(&cadre_shape), .tag = "village", .summary = "登记干部（非本村党员的驻村、帮扶干部）"},
	{.method = "GET", .pattern = "/api/v1/cadres/{id}", .fn = h_cadre,
	 .perm = P_MEMBER_READ, .scope = S_CADRE, .resp = ZB_OK(&cadre_detail_shape),
	 .tag = "village", .summary = "干部及其驻村任职和处理（审计）", .query_doc = "full:integer"},
	{.method = "PATCH", .pattern = "/api/v1/cadres/{id}", .fn = h_cadre_update,
	 .perm = P_MEMBER_WRITE, .scope = S_CADRE, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = cadre_patch_fields,
	 .resp = ZB_OK(&cadre_shape), .tag = "village", .summary = "修改干部（身份证号、电话只在发送时更换）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/first-secretaries", .fn = h_first_secretaries,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&fs_shape),
	 .tag = "village", .summary = "第一书记及其当月驻村天数（组织及下级）", .query_doc = "month:string"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/villages", .fn = h_villages,
	 .perm = P_MEMBER_READ, .scope = S_ORG, .resp = ZB_OK(&villages_shape),
	 .tag = "village", .summary = "驻村工作一览：每个村的第一书记、工作队、须选派、任期届满、驻村天数、考核",
	 .query_doc = "month:string,only:string"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/village-work", .fn = h_org_village,
	 .perm = P_ORG_READ, .scope = S_ORG, .resp = ZB_OK(&org_village_shape),
	 .tag = "village", .summary = "组织页的驻村工作：在任第一书记和工作队"},
	{.method = "POST", .pattern = "/api/v1/village-requirements", .fn = h_req_add,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = req_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "village", .summary = "登记须选派第一书记的村（原因、起止日期）"},
	{.method = "POST", .pattern = "/api/v1/village-teams", .fn = h_team_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = team_fields,
	 .resp = ZB_CREATED(&team_shape), .tag = "village", .summary = "组建驻村工作队"},
	{.method = "GET", .pattern = "/api/v1/village-teams/{id}", .fn = h_team,
	 .perm = P_MEMBER_READ, .scope = S_VTEAM, .resp = ZB_OK(&team_shape), .tag = "village",
	 .summary = "驻村工作队：队员、近六个月每月在村天数、工作记录、请假外出", .query_doc = "month:string"},
	{.method = "POST", .pattern = "/api/v1/village-teams/{id}/log", .fn = h_log_add,
	 .perm = P_MEMBER_WRITE, .scope = S_VTEAM, .flags = R_WRITE | R_JSON, .max_body = 32768, .fields = log_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "village", .summary = "记录工作队的一项工作"},
	{.method = "POST", .pattern = "/api/v1/village-teams/{id}/files", .fn = h_file_upload,
	 .perm = P_MEMBER_WRITE, .scope = S_VTEAM, .flags = R_WRITE | R_RAW, .max_body = ZB_ATTACH_MAX_BYTES,
	 .resp = ZB_CREATED(&vfile_shape), .tag = "village",
	 .summary = "为工作记录上传照片或 PDF（请求体为文件内容；记录时在 files 中引用）", .query_doc = "filename:string"},
	{.method = "GET", .pattern = "/api/v1/village-files/{id}", .fn = h_file_get,
	 .perm = P_MEMBER_READ, .scope = S_VFILE,
	 .resp = ZB_MEDIA("image/jpeg, image/png, application/pdf, application/octet-stream"), .tag = "village",
	 .summary = "工作记录的附件（照片、PDF）"},
	{.method = "POST", .pattern = "/api/v1/village-teams/{id}/evaluations", .fn = h_eval_add,
	 .perm = P_ORG_WRITE, .scope = S_VTEAM, .flags = R_WRITE | R_JSON, .max_body = 16384, .fields = eval_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "village", .summary = "工作队年度考核（一述职、两测评、四联考）"},
	{.method = "POST", .pattern = "/api/v1/village-postings", .fn = h_posting_create,
	 .perm = P_MEMBER_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = posting_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "village", .summary = "选派干部驻村（第一书记、队长、队员）"},
	{.method = "POST", .pattern = "/api/v1/village-postings/{id}/end", .fn = h_posting_end,
	 .perm = P_MEMBER_WRITE, .scope = S_VPOSTING, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = end_fields,
	 .resp = ZB_OK(&zb_shape_ok), .tag = "village", .summary = "结束驻村任职（期满、召回、其他）"},
	{.method = "POST", .pattern = "/api/v1/cadres/{id}/outcomes", .fn = h_outcome_add,
	 .perm = P_ORG_WRITE, .scope = S_CADRE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = outcome_fields,
	 .resp = ZB_CREATED(&created_shape), .tag = "village", .summary = "记录对干部的处理：召回、问责、约谈"},
	{.method = "GET", .pattern = "/api/v1/village-leaves", .fn = h_leaves_pending,
	 .perm = P_MEMBER_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&absence_list),
	 .tag = "village", .summary = "待审批的驻村干部请假（组织及下级）", .query_doc = "org:integer"},
	{.method = "POST", .pattern = "/api/v1/village-leaves", .fn = h_leave_file,
	 .perm = P_MEMBER_WRITE | P_SELF_WRITE, .flags = R_WRITE | R_JSON | R_ANY, .max_body = 4096, .fields = leave_fields,
	 .resp = ZB_CREATED(&absence_shape), .tag = "village",
	 .summary = "请假（按天数由乡镇党委或县委组织部审批）、登记培训或出差：本人或村的党务工作者"},
	{.method = "POST", .pattern = "/api/v1/village-leaves/{id}/decide", .fn = h_leave_decide,
	 .perm = P_MEMBER_WRITE, .scope = S_VLEAVE, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = decide_fields,
	 .resp = ZB_OK(&absence_shape), .tag = "village", .summary = "审批请假（3 天以内乡镇党委，超过 3 天县委组织部）"},
	{.method = "GET", .pattern = "/api/v1/village/me", .fn = h_my_postings,
	 .resp = ZB_OK(&fs_shape), .tag = "village", .summary = "本人（关联的驻村干部）的驻村任职及当月在村天数",
	 .query_doc = "month:string"},
	{0},
};
