/* api_orgstruct.c - org structure routes: committee (班子) and terms,
 * moving and dissolving subtrees, structure warnings, coverage and
 * statistics of a subtree.  Domain logic lives in src/org/. */
#include "api/api.h"
#include "org/structure.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A small JSON object for audit details, built with the one JSON writer
 * (so user text is escaped), copied into the request arena. */
typedef struct detail {
	zb_buf b;
	zb_jw w;
} detail;

static void detail_begin(detail *d)
{
	zb_buf_init(&d->b, 16384);
	jw_init(&d->w, &d->b);
	jw_obj(&d->w);
}

static const char *detail_end(detail *d, zb_arena *a)
{
	jw_obj_end(&d->w);
	const char *s = jw_finish(&d->w) ? NULL : zb_arena_strdup(a, d->b.data);
	zb_buf_release(&d->b);
	return s;
}

/* Run the write part of a handler in one transaction with its audit row. */
#define TX_BEGIN(r, e)                                 \
	do {                                           \
		int rc_ = zb_db_begin_write((r)->db, e); \
		if (rc_)                                 \
			return rc_;                      \
	} while (0)

static int tx_end(zb_req *r, int rc, zb_err *e)
{
	if (rc) {
		zb_db_rollback(r->db);
		return rc;
	}
	return zb_db_commit(r->db, e);
}

static void today_of(zb_req *r, char out[11])
{
	zb_today(r->app, out);
}

/* ---- committee ---- */

static int h_committee_list(zb_req *r, zb_err *e)
{
	const char *all = zb_req_query(r, "all");
	zb_post *items;
	int n;
	int rc = zb_committee_list(r->db, r->target_id, all && !strcmp(all, "1"), &r->arena, &items, &n, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		zb_post_write(&r->jw, &items[i]);
	zb_list_end(r, n, NULL);
	return 0;
}

static int read_post(zb_req *r, zb_post *p, unsigned *set, zb_err *e)
{
	*set = 0;
	int64_t mid = 0;
	if (zb_body_has(r, "member_id")) {
		*set |= ZB_POST_SET_MEMBER;
		zb_body_int(r, "member_id", &mid);
		if (mid < 0)
			return zb_fail(e, ZB_EINVAL, "member_id", "党员编号无效");
		p->member_id = mid;
	}
	if (zb_body_has(r, "person_name")) {
		*set |= ZB_POST_SET_PERSON;
		p->person_name = zb_body_str(r, "person_name");
	}
	if (zb_body_has(r, "post")) {
		*set |= ZB_POST_SET_POST;
		const char *s = zb_body_str(r, "post");
		p->post = zb_post_from(s);
		if (!p->post)
			return zb_fail(e, ZB_EINVAL, "post",
			               "职务无效：%s（应为 secretary 书记、deputy_secretary 副书记、organization 组织委员、propaganda 宣传委员、"
			               "discipline 纪检委员、youth 青年委员、united_front 统战委员、secrecy 保密委员或 member 委员）",
			               s ? s : "");
	}
	if (zb_body_has(r, "started_on")) {
		*set |= ZB_POST_SET_STARTED;
		p->started_on = zb_body_str(r, "started_on");
	}
	if (zb_body_has(r, "ended_on")) {
		*set |= ZB_POST_SET_ENDED;
		p->ended_on = zb_body_str(r, "ended_on");
		if (p->ended_on && !*p->ended_on)
			p->ended_on = NULL;
	}
	if (zb_body_has(r, "notes")) {
		*set |= ZB_POST_SET_NOTES;
		p->notes = zb_body_str(r, "notes");
	}
	return 0;
}

static void audit_post(detail *d, const zb_post *p)
{
	jw_kstr(&d->w, "post", p->post);
	if (p->member_id)
		jw_kint(&d->w, "member_id", p->member_id);
	if (p->person_name)
		jw_kstr(&d->w, "person_name", p->person_name);
	jw_kstr(&d->w, "started_on", p->started_on);
	jw_kstr(&d->w, "ended_on", p->ended_on);
}

static int h_committee_add(zb_req *r, zb_err *e)
{
	zb_post p = {.org_id = r->target_id};
	unsigned set;
	int rc = read_post(r, &p, &set, e);
	if (rc)
		return rc;
	char today[11];
	today_of(r, today);
	int64_t id = 0;
	TX_BEGIN(r, e);
	rc = zb_committee_add(r->db, &p, today, zb_now(r->app), &id, e);
	zb_post got;
	if (!rc)
		rc = zb_committee_get(r->db, id, &r->arena, &got, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		audit_post(&d, &got);
		rc = zb_req_audit(r, "committee.add", "committee_post", id, r->target_path, detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	r->status = 201;
	zb_post_write(&r->jw, &got);
	return 0;
}

static int h_committee_patch(zb_req *r, zb_err *e)
{
	zb_post p = {0};
	unsigned set;
	int rc = read_post(r, &p, &set, e);
	if (rc)
		return rc;
	char today[11];
	today_of(r, today);
	TX_BEGIN(r, e);
	rc = zb_committee_update(r->db, r->target_id, &p, set, today, zb_now(r->app), e);
	zb_post got;
	if (!rc)
		rc = zb_committee_get(r->db, r->target_id, &r->arena, &got, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		audit_post(&d, &got);
		rc = zb_req_audit(r, "committee.update", "committee_post", r->target_id, r->target_path,
		                  detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	zb_post_write(&r->jw, &got);
	return 0;
}

static int h_committee_delete(zb_req *r, zb_err *e)
{
	zb_post got;
	int rc = zb_committee_get(r->db, r->target_id, &r->arena, &got, e);
	if (rc)
		return rc;
	TX_BEGIN(r, e);
	rc = zb_committee_delete(r->db, r->target_id, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		audit_post(&d, &got);
		rc = zb_req_audit(r, "committee.delete", "committee_post", r->target_id, r->target_path,
		                  detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "deleted", 1);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- terms ---- */

static void write_term(zb_req *r, const zb_term *t)
{
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "id", t->id);
	jw_kint(w, "org_id", t->org_id);
	jw_kstr(w, "started_on", t->started_on);
	jw_kint(w, "years", t->years);
	jw_kstr(w, "ends_on", t->ends_on);
	jw_kstr(w, "elected_how", t->elected_how);
	jw_kstr(w, "notes", t->notes);
	if (t->status) {
		jw_kstr(w, "status", t->status);
		jw_kint(w, "days_left", t->days_left);
	}
	jw_obj_end(w);
}

static int h_terms_list(zb_req *r, zb_err *e)
{
	char today[11];
	today_of(r, today);
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT id, org_id, years, started_on, ends_on, elected_how, notes FROM org_terms "
	                          "WHERE org_id = ? ORDER BY started_on DESC, id DESC LIMIT 200",
	                          "i", r->target_id);
	if (!st)
		return e->code;
	zb_term *ts = NULL;
	int n = 0, cap = 0, rc;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			zb_term *nt = zb_arena_alloc(&r->arena, sizeof *nt * (size_t)cap);
			if (n)
				memcpy(nt, ts, sizeof *nt * (size_t)n);
			ts = nt;
		}
		zb_term *t = &ts[n++];
		memset(t, 0, sizeof *t);
		t->id = zb_col_int(st, 0);
		t->org_id = zb_col_int(st, 1);
		t->years = zb_col_int(st, 2);
		t->started_on = zb_arena_strdup(&r->arena, zb_col_text(st, 3));
		t->ends_on = zb_arena_strdup(&r->arena, zb_col_text(st, 4));
		t->elected_how = zb_arena_strdup(&r->arena, zb_col_text(st, 5));
		t->notes = zb_arena_strdup(&r->arena, zb_col_text(st, 6));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	/* only the newest term is current and has a status */
	if (n && (rc = zb_term_status(r->db, r->target_path, ts[0].ends_on, today, &ts[0].status, &ts[0].days_left, e)))
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++)
		write_term(r, &ts[i]);
	zb_list_end(r, n, NULL);
	return 0;
}

static int h_terms_add(zb_req *r, zb_err *e)
{
	int64_t years = 0, id = 0;
	if (zb_body_int(r, "years", &years) && (years < 1 || years > 10))
		return zb_fail(e, ZB_EINVAL, "years", "任期年数应为 1 到 10");
	const char *started = zb_body_str(r, "started_on"), *ends = zb_body_str(r, "ends_on");
	if (ends && !*ends)
		ends = NULL;
	TX_BEGIN(r, e);
	int rc = zb_term_add(r->db, r->target_id, started, years, ends, zb_body_str(r, "elected_how"),
	                     zb_body_str(r, "notes"), zb_now(r->app), r->who ? r->who->user_id : 0, &id, e);
	zb_term t;
	int found = 0;
	char today[11];
	today_of(r, today);
	if (!rc)
		rc = zb_term_current(r->db, r->target_id, today, &r->arena, &t, &found, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		jw_kstr(&d.w, "started_on", started);
		jw_kint(&d.w, "years", years);
		jw_kstr(&d.w, "ends_on", ends);
		rc = zb_req_audit(r, "org.term", "org_term", id, r->target_path, detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	r->status = 201;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "id", id);
	jw_kstr(&r->jw, "current_started_on", found ? t.started_on : NULL);
	jw_key(&r->jw, "current");
	if (found)
		write_term(r, &t);
	else
		jw_null(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- move and dissolve ---- */

static int h_move(zb_req *r, zb_err *e)
{
	int64_t parent = 0;
	zb_body_int(r, "parent_id", &parent);
	/* the new parent must be inside the caller's own org.write scope,
	 * answered like a missing org otherwise */
	zb_org p;
	int rc = zb_org_get(r->db, parent, &r->arena, &p, e);
	if (rc == ZB_ENOTFOUND || (!rc && !zb_authz_allows(r->who, P_ORG_WRITE, p.path)))
		return zb_fail(e, ZB_ENOTFOUND, "parent_id", "未找到新的上级组织，或不在您的管理范围内");
	if (rc)
		return rc;
	zb_org before;
	if ((rc = zb_org_get(r->db, r->target_id, &r->arena, &before, e)))
		return rc;
	TX_BEGIN(r, e);
	rc = zb_org_move(r->db, r->target_id, parent, e);
	zb_org after;
	if (!rc)
		rc = zb_org_get(r->db, r->target_id, &r->arena, &after, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		jw_kint(&d.w, "from_parent_id", before.parent_id);
		jw_kint(&d.w, "to_parent_id", parent);
		jw_kstr(&d.w, "from_path", before.path);
		jw_kstr(&d.w, "to_path", after.path);
		rc = zb_req_audit(r, "org.move", "org", r->target_id, after.path, detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	jw_obj(&r->jw);
	zb_api_write_org(r, &after);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_dissolve(zb_req *r, zb_err *e)
{
	const char *reason = zb_body_str(r, "reason"), *on = zb_body_str(r, "dissolved_on");
	char today[11];
	today_of(r, today);
	if (!on || !*on)
		on = today;
	TX_BEGIN(r, e);
	int rc = zb_org_dissolve(r->db, r->target_id, on, reason, e);
	if (!rc) {
		detail d;
		detail_begin(&d);
		jw_kstr(&d.w, "dissolved_on", on);
		jw_kstr(&d.w, "reason", reason);
		rc = zb_req_audit(r, "org.dissolve", "org", r->target_id, r->target_path, detail_end(&d, &r->arena), e);
	}
	if ((rc = tx_end(r, rc, e)))
		return rc;
	zb_org o;
	if ((rc = zb_org_get(r->db, r->target_id, &r->arena, &o, e)))
		return rc;
	jw_obj(&r->jw);
	zb_api_write_org(r, &o);
	jw_kstr(&r->jw, "dissolved_reason", reason);
	jw_obj_end(&r->jw);
	return 0;
}

/* Run a read-only body in one read transaction: one consistent snapshot,
 * and SQLite takes its locks once instead of once per statement (at a
 * few dozen thousand requests a second the per-statement locking was a
 * quarter of the time). */
static int in_read_tx(zb_req *r, int rc, zb_err *e)
{
	if (rc) {
		zb_db_rollback(r->db);
		return rc;
	}
	return zb_db_commit(r->db, e);
}

/* ---- warnings, coverage, statistics ---- */

/* Rules dated in the future take effect by themselves; before reading
 * warning counts, bring the roll-ups up to the rules in force today. */
static int catch_up(zb_req *r, zb_err *e)
{
	char today[11];
	today_of(r, today);
	int64_t pending = 0;
	int rc = zb_org_rules_pending(r->db, today, &pending, e);
	if (rc || !pending)
		return rc;
	TX_BEGIN(r, e);
	return tx_end(r, zb_org_rules_catch_up(r->db, today, e), e);
}

static int h_warnings(zb_req *r, zb_err *e)
{
	const char *level = zb_req_query(r, "level"), *kind = zb_req_query(r, "kind");
	if (level && *level && strcmp(level, "error") && strcmp(level, "warn") && strcmp(level, "info"))
		return zb_fail(e, ZB_EINVAL, "level", "参数 level 应为 error、warn 或 info");
	int64_t limit;
	int rc = zb_req_query_int(r, "limit", 1000, 1, 10000, &limit, e);
	if (rc || (rc = catch_up(r, e)))
		return rc;
	char today[11];
	today_of(r, today);
	zb_warning *w;
	int n;
	if ((rc = zb_db_begin_read(r->db, e)))
		return rc;
	if ((rc = in_read_tx(r, zb_org_warnings(r->db, r->target_path, today, &r->arena, &w, &n, e), e)))
		return rc;
	int64_t shown = 0, by_level[3] = {0};
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		by_level[!strcmp(w[i].level, "error") ? 0 : !strcmp(w[i].level, "warn") ? 1 : 2]++;
		if (level && *level && strcmp(level, w[i].level))
			continue;
		if (kind && *kind && strcmp(kind, w[i].kind))
			continue;
		if (shown++ >= limit)
			continue; /* counted, not listed */
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", w[i].org_id);
		jw_kstr(&r->jw, "org_name", w[i].org_name);
		jw_kstr(&r->jw, "kind", w[i].kind);
		jw_kstr(&r->jw, "level", w[i].level);
		jw_kstr(&r->jw, "message", w[i].message);
		if (w[i].unit_id)
			jw_kint(&r->jw, "unit_id", w[i].unit_id);
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_kint(&r->jw, "total", shown);
	jw_kbool(&r->jw, "truncated", shown > limit);
	jw_kobj(&r->jw, "counts");
	jw_kint(&r->jw, "error", by_level[0]);
	jw_kint(&r->jw, "warn", by_level[1]);
	jw_kint(&r->jw, "info", by_level[2]);
	jw_obj_end(&r->jw);
	jw_kstr(&r->jw, "as_of", today);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_coverage(zb_req *r, zb_err *e)
{
	jw_obj(&r->jw);
	jw_kint(&r->jw, "org_id", r->target_id);
	jw_key(&r->jw, "subtree");
	int rc = zb_coverage_json(r->db, r->target_id, &r->jw, e);
	if (rc)
		return rc;
	/* each direct sub-org's subtree, for the drill-down table */
	zb_stmt *st = zb_db_query(r->db, e,
	                          "SELECT id, name FROM orgs WHERE parent_id = ? AND dissolved_on IS NULL "
	                          "ORDER BY sort_order, id LIMIT 1000",
	                          "i", r->target_id);
	if (!st)
		return e->code;
	typedef struct child {
		int64_t id;
		const char *name;
	} child;
	child *cs = NULL;
	int n = 0, cap = 0;
	while ((rc = zb_stmt_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			child *nc = zb_arena_alloc(&r->arena, sizeof *nc * (size_t)cap);
			if (n)
				memcpy(nc, cs, sizeof *nc * (size_t)n);
			cs = nc;
		}
		cs[n].id = zb_col_int(st, 0);
		cs[n++].name = zb_arena_strdup(&r->arena, zb_col_text(st, 1));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	jw_karr(&r->jw, "children");
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		jw_kint(&r->jw, "org_id", cs[i].id);
		jw_kstr(&r->jw, "org_name", cs[i].name);
		jw_key(&r->jw, "coverage");
		if ((rc = zb_coverage_json(r->db, cs[i].id, &r->jw, e)))
			return rc;
		jw_obj_end(&r->jw);
	}
	jw_arr_end(&r->jw);
	jw_obj_end(&r->jw);
	return 0;
}

static int h_stats(zb_req *r, zb_err *e)
{
	int rc = catch_up(r, e);
	if (rc)
		return rc;
	char today[11];
	today_of(r, today);
	if ((rc = zb_db_begin_read(r->db, e)))
		return rc;
	return in_read_tx(r, zb_org_stats_cached(r->db, r->target_id, today, &r->jw, e), e);
}

static const zb_field post_fields[] = {
	{"member_id", 'i', 0, 0, "任职党员（花名册中的党员编号）"},
	{"person_name", 's', 0, 50, "不在本花名册中的任职人姓名"},
	{"post", 's', 1, 40, "职务：secretary/deputy_secretary/organization/propaganda/discipline/youth/united_front/secrecy/member 或中文名"},
	{"started_on", 'd', 1, 10, "任职日期"},
	{"ended_on", 'd', 0, 10, "离任日期（不晚于今天）"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field post_patch_fields[] = {
	{"member_id", 'i', 0, 0, "任职党员"},
	{"person_name", 's', 0, 50, "任职人姓名"},
	{"post", 's', 0, 40, "职务"},
	{"started_on", 'd', 0, 10, "任职日期"},
	{"ended_on", 'd', 0, 10, "离任日期（不晚于今天）"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field term_fields[] = {
	{"started_on", 'd', 1, 10, "本届起始（选举）日期"},
	{"years", 'i', 0, 0, "任期年数，省略时按任期规则"},
	{"ends_on", 'd', 0, 10, "届满日期（经批准提前或延期换届时填写）"},
	{"elected_how", 's', 0, 20, "产生方式：election/by_election/appointed"},
	{"notes", 's', 0, 500, "备注"},
	{0},
};
static const zb_field move_fields[] = {
	{"parent_id", 'i', 1, 0, "新的上级组织"},
	{0},
};
static const zb_field dissolve_fields[] = {
	{"reason", 's', 1, 500, "撤销原因"},
	{"dissolved_on", 'd', 0, 10, "撤销日期（默认今天）"},
	{0},
};

const zb_route zb_routes_orgstruct[] = {
	{"GET", "/api/v1/orgs/{id}/committee", h_committee_list, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "班子成员（all=1 含已离任）", "all:integer"},
	{"POST", "/api/v1/orgs/{id}/committee", h_committee_add, P_ORG_WRITE, S_ORG, R_WRITE | R_JSON, 8192, post_fields, "orgs", "新增班子职务", NULL},
	{"PATCH", "/api/v1/committee/{id}", h_committee_patch, P_ORG_WRITE, S_POST, R_WRITE | R_JSON, 8192, post_patch_fields, "orgs", "修改班子职务（如填写离任日期）", NULL},
	{"DELETE", "/api/v1/committee/{id}", h_committee_delete, P_ORG_WRITE, S_POST, R_WRITE, 0, NULL, "orgs", "删除误录的班子职务", NULL},
	{"GET", "/api/v1/orgs/{id}/terms", h_terms_list, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "历届任期与换届状态", NULL},
	{"POST", "/api/v1/orgs/{id}/terms", h_terms_add, P_ORG_WRITE, S_ORG, R_WRITE | R_JSON, 4096, term_fields, "orgs", "登记新一届任期", NULL},
	{"POST", "/api/v1/orgs/{id}/move", h_move, P_ORG_WRITE, S_ORG, R_WRITE | R_JSON, 1024, move_fields, "orgs", "移动组织（连同下级和党员）", NULL},
	{"POST", "/api/v1/orgs/{id}/dissolve", h_dissolve, P_ORG_WRITE, S_ORG, R_WRITE | R_JSON, 4096, dissolve_fields, "orgs", "撤销组织（保留历史，只读）", NULL},
	{"GET", "/api/v1/orgs/{id}/warnings", h_warnings, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "组织设置预警（含下级）", "level:string,kind:string,limit:integer"},
	{"GET", "/api/v1/orgs/{id}/coverage", h_coverage, P_ORG_READ, S_ORG, 0, 0, NULL, "orgs", "单位党组织覆盖率", NULL},
	{"GET", "/api/v1/orgs/{id}/stats", h_stats, P_STATS_READ, S_ORG, 0, 0, NULL, "orgs", "下辖统计", NULL},
	{0},
};
