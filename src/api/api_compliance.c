/* api_compliance.c - what a county looks for, over HTTP: compliance of
 * 三会一课 with its branch lists, the 待办 calendar, members at each risk
 * level, xlsx exports of both lists, and the one roll-up request the home
 * screen is drawn from (docs/MEETINGS.md "Compliance lists", docs/API.md).
 * The computing lives in src/meeting/compliance.c; handlers parse the
 * query, call it, filter, sort, page and write JSON or a workbook.
 */
#include "api/api.h"
#include "core/escape.h"
#include "core/jcache.h"
#include "core/date.h"
#include "io/xlsx_write.h"
#include "meeting/compliance.h"
#include "meeting/cstore.h"
#include "meeting/mdate.h"
#include "member/member.h"
#include "org/home.h"
#include "org/org.h"
#include "org/structure.h"
#include "recruit/alerts.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLSX_MEDIA_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* ---- helpers ---- */

static double share(int a, int b)
{
	return b ? (double)a / b : 1.0;
}

static void current_quarter(zb_req *r, char out[16])
{
	int t = zb_today_int(r->app);
	snprintf(out, 16, "%04uQ%u", (unsigned)(t / 10000) % 10000u, (unsigned)((t / 100 % 100 - 1) / 3 + 1) % 10u);
}

static void unit_label(const zb_cunit *u, char out[24])
{
	int n = zb_md_ym_diff(u->ym_to, u->ym_from) + 1, y = u->ym_to / 100, mon = u->ym_to % 100;
	if (n == 1)
		snprintf(out, 24, "%04u-%02u", (unsigned)y % 10000u, (unsigned)mon % 100u);
	else if (n == 3)
		snprintf(out, 24, "%04uQ%u", (unsigned)y % 10000u, (unsigned)(mon / 3) % 10u);
	else if (n == 6)
		snprintf(out, 24, "%04uH%u", (unsigned)y % 10000u, (unsigned)(mon / 6) % 10u);
	else if (n == 12)
		snprintf(out, 24, "%04u", (unsigned)y % 10000u);
	else
		snprintf(out, 24, "%04u-%02u~%02u", (unsigned)y % 10000u, (unsigned)(u->ym_from % 100) % 100u, (unsigned)mon % 100u);
}

static void write_unit(zb_jw *w, const zb_cunit *u)
{
	char lbl[24], from[11], to[11];
	unit_label(u, lbl);
	zb_md_ym_first(u->ym_from, from);
	zb_md_ym_last(u->ym_to, to);
	jw_obj(w);
	jw_kstr(w, "period", lbl);
	jw_kstr(w, "from", from);
	jw_kstr(w, "to", to);
	jw_kint(w, "org_id", u->org_id);
	jw_kstr(w, "org_name", u->org_name);
	jw_kint(w, "required", u->min);
	jw_kint(w, "held", u->held);
	jw_kint(w, "held_total", u->held_total);
	jw_kstr(w, "status", u->held >= u->min ? "ok" : u->due ? "missing" : "open");
	jw_kint(w, "rule_id", u->rule_id);
	jw_obj_end(w);
}

static void write_type_row(zb_jw *w, int t, const zb_ctype *c, int64_t org_id, const char *org_name, int branches,
                           int branches_ok)
{
	jw_obj(w);
	jw_kint(w, "org_id", org_id);
	jw_kstr(w, "org_name", org_name);
	jw_kstr(w, "type", zb_mtype_code(t));
	jw_kstr(w, "type_name", zb_mtype_name(t));
	jw_kint(w, "required", c->required);
	jw_kint(w, "held", c->held);
	jw_kint(w, "held_total", c->held_total);
	jw_kint(w, "missing", c->missing);
	jw_kint(w, "pending", c->pending);
	jw_kbool(w, "ok", c->missing == 0);
	if (branches >= 0) {
		jw_kint(w, "branches", branches);
		jw_kint(w, "branches_ok", branches_ok);
	}
}

/* ?period=, the current quarter when absent */
static int query_period(zb_req *r, zb_period *p, zb_err *e)
{
	const char *ps = zb_req_query(r, "period");
	char dflt[16];
	if (!ps || !*ps) {
		current_quarter(r, dflt);
		ps = dflt;
	}
	return zb_period_parse(ps, p, e);
}

static const char *org_name_of(zb_req *r, int64_t id, zb_err *e)
{
	zb_org o;
	return zb_org_get(r->db, id, &r->arena, &o, e) ? NULL : o.name;
}

/* ?org= narrows a list to a sub-org of the target: its path, NULL when
 * absent; an org outside the target's subtree answers like a missing one. */
static int query_under(zb_req *r, const char **under, zb_err *e)
{
	int64_t id;
	*under = NULL;
	if (zb_req_query_int(r, "org", 0, 0, INT64_MAX, &id, e))
		return e->code;
	if (!id)
		return 0;
	zb_org o;
	int rc = zb_org_get(r->db, id, &r->arena, &o, e);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	*under = rc ? NULL : o.path;
	if (!*under || !zb_path_within(*under, r->target_path))
		return zb_fail(e, ZB_ENOTFOUND, "org", "未找到该下级组织，或不在所查组织之下");
	return 0;
}

/* ?sort= among names; *out the index, 0 when absent */
static int query_choice(zb_req *r, const char *name, const char *const *names, int n, int *out, const char *msg,
                        zb_err *e)
{
	const char *s = zb_req_query(r, name);
	*out = 0;
	if (!s || !*s)
		return 0;
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	return zb_fail(e, ZB_EINVAL, name, "%s", msg);
}

static int query_desc(zb_req *r, int dflt, int *desc, zb_err *e)
{
	static const char *const orders[] = {"asc", "desc"};
	const char *s = zb_req_query(r, "order");
	*desc = dflt;
	if (!s || !*s)
		return 0;
	return query_choice(r, "order", orders, 2, desc, "参数 order 应为 asc（正序）或 desc（倒序）", e);
}

/* A workbook being written for the response: a temporary file under the
 * data directory, read into r->out by xbook_finish() and removed. */
typedef struct xbook {
	char path[600];
	zb_xlsx_writer *w;
} xbook;

static int xbook_open(zb_req *r, xbook *x, const char *sheet, const char *title, const zb_xlsx_col *cols, int ncols,
                      zb_err *e)
{
	const char *dir = r->app->data_dir && !access(r->app->data_dir, W_OK) ? r->app->data_dir : "/tmp";
	snprintf(x->path, sizeof x->path, "%s/zhibu-list-XXXXXX", dir);
	x->w = NULL;
	int fd = mkstemp(x->path);
	if (fd < 0)
		return zb_fail(e, ZB_EINTERNAL, NULL, "无法创建临时文件");
	close(fd);
	int rc = zb_xlsx_writer_open(&x->w, x->path, sheet, title, cols, ncols, e);
	if (rc)
		unlink(x->path);
	return rc;
}

/* Close the workbook (rc == 0) or abandon it, answer it as a download
 * named `name` (.xlsx added), and remove the file. */
static int xbook_finish(zb_req *r, xbook *x, int rc, const char *name, zb_err *e)
{
	if (rc)
		zb_xlsx_writer_free(x->w);
	else
		rc = zb_xlsx_writer_close(x->w, e);
	x->w = NULL;
	if (!rc)
		rc = zb_req_body_file(r, x->path, "导出文件过大，请按下级组织分别导出", e);
	else
		unlink(x->path);
	if (rc)
		return rc;
	char today[11];
	zb_today(r->app, today);
	const char *full = zb_arena_printf(&r->arena, "%s-%.4s%.2s%.2s.xlsx", name, today, today + 5, today + 8);
	zb_req_disposition(r, "attachment", "list.xlsx", full);
	r->content_type = XLSX_MEDIA_TYPE;
	return 0;
}

static const char *pct_text(zb_req *r, int a, int b)
{
	return zb_arena_printf(&r->arena, "%.1f%%", share(a, b) * 100.0);
}

/* ---- compliance ---- */

static void write_states(zb_jw *w, int branches, int done, int open, int missing)
{
	jw_kint(w, "branches", branches);
	jw_kint(w, "branches_done", done);
	jw_kint(w, "branches_open", open);
	jw_kint(w, "branches_missing", missing);
	/* 已落实: every requirement met; "ok": nothing overdue */
	jw_kdouble(w, "done_rate", share(done, branches));
	jw_kint(w, "branches_ok", branches - missing);
	jw_kdouble(w, "rate", share(branches - missing, branches));
}

/* A roll-up row per type (branches, branches_ok, branches_done, state). */
static void write_sum_row(zb_jw *w, int t, const zb_csum *s, int64_t id, const char *name)
{
	write_type_row(w, t, &s->t[t].sum, id, name, s->t[t].branches, s->t[t].branches - s->t[t].missing);
	jw_kint(w, "branches_done", s->t[t].done);
	jw_kstr(w, "state", zb_cstate_code(zb_ctype_state(&s->t[t].sum)));
	jw_obj_end(w);
}

/* ---- answers kept while the stored results stay the same ---- */

typedef int (*answer_fn)(zb_req *r, zb_jw *w, void *ctx, zb_err *e);

/* Write fn's answer: from the cache when it was made under key and the
 * stored results (meeting/cstore.h) have not changed since, else made now
 * and kept. */
static int cached_answer(zb_req *r, const char *key, answer_fn fn, void *ctx, zb_err *e)
{
	char version[40];
	int rc = zb_cstore_version(r->db, version, e);
	if (rc)
		return rc;
	if (*version && zb_jcache_get(key, version, &r->jw))
		return 0;
	zb_buf b;
	zb_buf_init(&b, 64u << 20);
	zb_jw tmp;
	jw_init(&tmp, &b);
	rc = fn(r, &tmp, ctx, e);
	if (!rc && jw_finish(&tmp))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "结果过大");
	if (!rc) {
		jw_raw(&r->jw, b.data);
		if (*version)
			zb_jcache_put(key, version, b.data);
	}
	zb_buf_release(&b);
	return rc;
}

typedef struct creq {
	zb_period p;
	int64_t limit;
	char today[11];
} creq;

static int compliance_json(zb_req *r, zb_jw *w, void *ctx, zb_err *e)
{
	const creq *q = ctx;
	const zb_period p = q->p;
	const int64_t limit = q->limit;
	const char *today = q->today;
	zb_creport rep;
	int rc = zb_compliance_report(r->db, r->target_id, r->target_path, &p, today, &r->arena, &rep, e);
	if (rc)
		return rc;
	const zb_csum *sum = &rep.sum;

	jw_obj(w);
	jw_kstr(w, "period", p.label);
	jw_kstr(w, "from", p.from);
	jw_kstr(w, "to", p.to);
	jw_kstr(w, "as_of", today);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "org_name", rep.org_name);
	write_states(w, sum->branches, sum->done, sum->open, sum->missing);
	jw_karr(w, "types");
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		if (!sum->t[t].branches)
			continue;
		jw_obj(w);
		jw_kstr(w, "type", zb_mtype_code(t));
		jw_kstr(w, "type_name", zb_mtype_name(t));
		write_states(w, sum->t[t].branches, sum->t[t].done, sum->t[t].open, sum->t[t].missing);
		jw_kint(w, "required", sum->t[t].sum.required);
		jw_kint(w, "held", sum->t[t].sum.held);
		jw_kint(w, "missing", sum->t[t].sum.missing);
		jw_kint(w, "pending", sum->t[t].sum.pending);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	/* items: per type for the org itself (a branch: with its units) */
	jw_karr(w, "items");
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		if (rep.root_branch >= 0) {
			const zb_cbranch *b = &rep.c.branches[rep.root_branch];
			if (!b->t[t].applies)
				continue;
			write_type_row(w, t, &b->t[t], b->org_id, b->name, -1, 0);
			jw_kstr(w, "state", zb_cstate_code(zb_ctype_state(&b->t[t])));
			jw_karr(w, "units");
			for (int i = 0; i < rep.c.nunits; i++)
				if (rep.c.units[i].branch == rep.root_branch && rep.c.units[i].type == t)
					write_unit(w, &rep.c.units[i]);
			jw_arr_end(w);
			jw_obj_end(w);
		} else if (sum->t[t].branches) {
			write_sum_row(w, t, sum, r->target_id, rep.org_name);
		}
	}
	jw_arr_end(w);
	/* roll-up per direct child that has branches below it */
	jw_karr(w, "orgs");
	for (int i = 0; rep.root_branch < 0 && i < rep.nchildren; i++) {
		const zb_cchild *k = &rep.children[i];
		jw_obj(w);
		jw_kint(w, "org_id", k->org_id);
		jw_kstr(w, "org_name", k->name);
		write_states(w, k->sum.branches, k->sum.done, k->sum.open, k->sum.missing);
		jw_karr(w, "items");
		for (int t = 0; t < ZB_MT_COUNT; t++)
			if (k->sum.t[t].branches)
				write_sum_row(w, t, &k->sum, k->org_id, k->name);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	/* non-compliant branches, worst first (the full list:
	 * /orgs/{id}/compliance/branches) */
	jw_kint(w, "noncompliant_total", rep.nworst);
	jw_karr(w, "noncompliant");
	for (int i = 0; i < rep.nworst && i < limit; i++) {
		const zb_cbranch *b = &rep.c.branches[rep.worst[i]];
		jw_obj(w);
		jw_kint(w, "org_id", b->org_id);
		jw_kstr(w, "org_name", b->name);
		jw_kstr(w, "org_path", b->path);
		jw_kint(w, "required", b->required);
		jw_kint(w, "held", b->held);
		jw_kint(w, "missing", b->missing);
		jw_kdouble(w, "rate", share(b->held, b->required));
		jw_karr(w, "missing_types");
		for (int t = 0; t < ZB_MT_COUNT; t++)
			if (b->t[t].missing) {
				jw_obj(w);
				jw_kstr(w, "type", zb_mtype_code(t));
				jw_kstr(w, "type_name", zb_mtype_name(t));
				jw_kint(w, "missing", b->t[t].missing);
				jw_obj_end(w);
			}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_compliance(zb_req *r, zb_err *e)
{
	creq q;
	int rc = query_period(r, &q.p, e);
	if (rc)
		return rc;
	if (zb_api_limit(r, &q.limit, e))
		return e->code;
	zb_today(r->app, q.today);
	const char *key = zb_arena_printf(&r->arena, "compliance/%lld/%s/%lld/%s", (long long)r->target_id, q.p.label,
	                                  (long long)q.limit, q.today);
	return cached_answer(r, key, compliance_json, &q, e);
}

/* ---- the list of branches ---- */

static const char *const state_names[] = {"missing", "open", "done", "notdone", "all"};
static const unsigned state_masks[] = {ZB_CS_MISSING, ZB_CS_OPEN, ZB_CS_DONE, ZB_CS_MISSING | ZB_CS_OPEN, 0};
static const char *const state_titles[] = {"有逾期未落实", "进行中", "已落实", "未完成", "全部"};
static const char *const csort_names[] = {"worst", "rate", "name", "tree"};

typedef struct blist {
	zb_period p;
	char today[11];
	zb_compliance c;
	int status, sort, desc, type;
	const char *under, *q;
	int *idx, n;
	zb_csum sum;
} blist;

static int blist_load(zb_req *r, blist *b, zb_err *e)
{
	memset(b, 0, sizeof *b);
	int rc = query_period(r, &b->p, e);
	if (rc)
		return rc;
	if ((rc = query_choice(r, "status", state_names, 5, &b->status,
	                       "参数 status 应为 missing（有逾期未落实）、open（进行中）、done（已落实）、notdone（未完成）或 all",
	                       e)) ||
	    (rc = query_choice(r, "sort", csort_names, 4, &b->sort,
	                       "参数 sort 应为 worst（问题最多）、rate（落实率）、name（名称）或 tree（组织顺序）", e)) ||
	    (rc = query_desc(r, 0, &b->desc, e)) || (rc = query_under(r, &b->under, e)))
		return rc;
	b->type = -1;
	const char *ts = zb_req_query(r, "type");
	if (ts && *ts && (b->type = zb_mtype_from(ts)) < 0)
		return zb_fail(e, ZB_EINVAL, "type", "会议类型不正确：应为 plenary、committee、group、lecture 等类型代码");
	b->q = zb_req_query(r, "q");
	if (b->q && strlen(b->q) > 100)
		return zb_fail(e, ZB_EINVAL, "q", "名称关键字过长（最多 100 字节）");
	zb_today(r->app, b->today);
	if ((rc = zb_compliance_load(r->db, r->target_path, &b->p, b->today, &r->arena, &b->c, e)))
		return rc;
	zb_cfilter f = {state_masks[b->status], b->type, b->under, b->q};
	b->idx = zb_compliance_select(&b->c, &f, b->sort, b->desc, &r->arena, &b->n);
	zb_compliance_sum(&b->c, b->under, &b->sum);
	return 0;
}

static int h_branches(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_api_limit(r, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT32_MAX, &after, e))
		return e->code;
	blist b;
	int rc = blist_load(r, &b, e);
	if (rc)
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "period", b.p.label);
	jw_kstr(w, "from", b.p.from);
	jw_kstr(w, "to", b.p.to);
	jw_kstr(w, "as_of", b.today);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "status", state_names[b.status]);
	jw_kstr(w, "sort", csort_names[b.sort]);
	jw_kstr(w, "order", b.desc ? "desc" : "asc");
	jw_kobj(w, "counts");
	write_states(w, b.sum.branches, b.sum.done, b.sum.open, b.sum.missing);
	jw_obj_end(w);
	jw_karr(w, "items");
	int64_t shown = 0;
	for (int64_t i = after; i < b.n && shown < limit; i++, shown++) {
		const zb_cbranch *x = &b.c.branches[b.idx[i]];
		jw_obj(w);
		jw_kint(w, "org_id", x->org_id);
		jw_kstr(w, "org_name", x->name);
		jw_kstr(w, "org_path", x->path);
		jw_kint(w, "parent_id", x->parent_id);
		jw_kstr(w, "parent_name", x->parent_name);
		jw_kstr(w, "state", zb_cstate_code(x->state));
		jw_kint(w, "required", x->required);
		jw_kint(w, "held", x->held);
		jw_kint(w, "missing", x->missing);
		jw_kint(w, "pending", x->pending);
		jw_kdouble(w, "rate", share(x->held, x->required));
		jw_karr(w, "types");
		for (int t = 0; t < ZB_MT_COUNT; t++) {
			const zb_ctype *ct = &x->t[t];
			if (!ct->applies)
				continue;
			jw_obj(w);
			jw_kstr(w, "type", zb_mtype_code(t));
			jw_kstr(w, "type_name", zb_mtype_name(t));
			jw_kstr(w, "state", zb_cstate_code(zb_ctype_state(ct)));
			jw_kint(w, "required", ct->required);
			jw_kint(w, "held", ct->held);
			jw_kint(w, "missing", ct->missing);
			jw_kint(w, "pending", ct->pending);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "total", b.n);
	if (after + shown < b.n)
		jw_kstr(w, "next", zb_arena_printf(&r->arena, "%lld", (long long)(after + shown)));
	jw_obj_end(w);
	return 0;
}

static const char *types_text(zb_req *r, const zb_cbranch *x, int want)
{
	zb_buf t;
	zb_buf_init(&t, 4096);
	for (int k = 0; k < ZB_MT_COUNT; k++) {
		const zb_ctype *ct = &x->t[k];
		if (!ct->applies || zb_ctype_state(ct) != want)
			continue;
		zb_buf_printf(&t, "%s%s %d/%d", t.len ? "；" : "", zb_mtype_name(k), ct->held, ct->required);
	}
	const char *s = zb_arena_strdup(&r->arena, t.data ? t.data : "");
	zb_buf_release(&t);
	return s;
}

static int h_branches_export(zb_req *r, zb_err *e)
{
	blist b;
	int rc = blist_load(r, &b, e);
	if (rc)
		return rc;
	const char *root = org_name_of(r, r->target_id, e);
	if (e->code)
		return e->code;
	static const zb_xlsx_col cols[] = {
		{"序号", 6},       {"党组织", 30},     {"上级党组织", 28}, {"落实情况", 12},     {"应开展（次）", 12},
		{"已开展（次）", 12}, {"逾期未开展（次）", 16}, {"待开展（次）", 12}, {"落实率", 10},
		{"逾期未落实的项目", 40}, {"进行中的项目", 40},
	};
	const char *title = zb_arena_printf(&r->arena, "%s 组织生活落实情况（%s，%s%s%s）", root ? root : "", b.p.label,
	                                    state_titles[b.status], b.type >= 0 ? "，" : "",
	                                    b.type >= 0 ? zb_mtype_name(b.type) : "");
	xbook x;
	if ((rc = xbook_open(r, &x, "组织生活落实情况", title, cols, (int)(sizeof cols / sizeof cols[0]), e)))
		return rc;
	for (int i = 0; !rc && i < b.n; i++) {
		const zb_cbranch *br = &b.c.branches[b.idx[i]];
		const char *st = br->state == ZB_CS_DONE ? "已落实" : br->state == ZB_CS_MISSING ? "有逾期未落实" : "进行中";
		const char *cells[] = {
			zb_arena_printf(&r->arena, "%d", i + 1),
			br->name,
			br->parent_name,
			st,
			zb_arena_printf(&r->arena, "%d", br->required),
			zb_arena_printf(&r->arena, "%d", br->held),
			zb_arena_printf(&r->arena, "%d", br->missing),
			zb_arena_printf(&r->arena, "%d", br->pending),
			pct_text(r, br->held, br->required),
			types_text(r, br, ZB_CS_MISSING),
			types_text(r, br, ZB_CS_OPEN),
		};
		rc = zb_xlsx_writer_row(x.w, cells, (int)(sizeof cells / sizeof cells[0]), e);
	}
	return xbook_finish(r, &x, rc, zb_arena_printf(&r->arena, "%s组织生活落实情况%s", root ? root : "", b.p.label), e);
}

/* ---- 待办 ---- */

static int h_calendar(zb_req *r, zb_err *e)
{
	int64_t limit, after;
	if (zb_req_query_int(r, "limit", 200, 1, 1000, &limit, e) || zb_req_query_int(r, "after", 0, 0, INT32_MAX, &after, e))
		return e->code;
	char today[11];
	zb_today(r->app, today);
	zb_period p;
	char year[8];
	snprintf(year, sizeof year, "%.4s", today);
	int rc = zb_period_parse(year, &p, e);
	zb_compliance c;
	if (!rc)
		rc = zb_compliance_compute(r->db, r->target_path, &p, today, &r->arena, &c, e);
	/* 发展党员 reminders (谈话, 半年考察, 预备期将满): due ones after the
	 * meetings due, overdue ones after the meetings overdue; they name
	 * people in the pipeline, so only for a caller who may read them */
	zb_ritem *rv = NULL;
	int rn = 0;
	if (!rc && zb_authz_allows(r->who, P_MEMBER_READ, r->target_path))
		rc = zb_recruit_items(r->db, r->target_path, today, ZB_RITEMS_REMINDERS, &r->arena, &rv, &rn, e);
	if (rc)
		return rc;
	int tym = zb_md_ym(today);
	/* the current period first: units running now and not met (due),
	 * then earlier units not met (overdue), then units running now and
	 * met (done) */
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kstr(w, "today", today);
	char mon[8], q[16];
	zb_ym_text(tym, mon);
	current_quarter(r, q);
	jw_kstr(w, "month", mon);
	jw_kstr(w, "quarter", q);
	jw_karr(w, "items");
	int64_t shown = 0, total = 0;
	int counts[3] = {0, 0, 0};
	static const char *const kinds[] = {"due", "overdue", "done"};
	for (int pass = 0; pass < 3; pass++) {
		for (int i = 0; i < c.nunits; i++) {
			const zb_cunit *u = &c.units[i];
			int met = u->held >= u->min, current = u->ym_from <= tym && tym <= u->ym_to;
			int kind = current && !met ? 0 : !met && u->due ? 1 : current && met ? 2 : -1;
			if (kind != pass)
				continue;
			counts[pass]++;
			if (total++ < after || shown >= limit)
				continue;
			shown++;
			char lbl[24], from[11], to[11];
			unit_label(u, lbl);
			zb_md_ym_first(u->ym_from, from);
			zb_md_ym_last(u->ym_to, to);
			const zb_cbranch *b = &c.branches[u->branch];
			jw_obj(w);
			jw_kstr(w, "status", kinds[pass]);
			jw_kbool(w, "current", current);
			jw_kstr(w, "type", zb_mtype_code(u->type));
			jw_kstr(w, "type_name", zb_mtype_name(u->type));
			jw_kint(w, "org_id", u->org_id);
			jw_kstr(w, "org_name", u->org_name);
			jw_kint(w, "branch_id", b->org_id);
			jw_kstr(w, "branch_name", b->name);
			jw_kstr(w, "period", lbl);
			jw_kstr(w, "from", from);
			jw_kstr(w, "due_on", to);
			jw_kint(w, "required", u->min);
			jw_kint(w, "held", u->held);
			jw_obj_end(w);
		}
		for (int i = 0; pass < 2 && i < rn; i++) {
			if (!zb_ritem_reminder(rv[i].kind) || rv[i].overdue != pass)
				continue;
			counts[pass]++;
			if (total++ < after || shown >= limit)
				continue;
			shown++;
			zb_api_calendar_ritem(w, &rv[i]);
		}
	}
	jw_arr_end(w);
	jw_kint(w, "total", total);
	/* items not in this page after it: never dropped without saying so */
	jw_kint(w, "more", total - after - shown > 0 ? total - after - shown : 0);
	if (after + shown < total)
		jw_kstr(w, "next", zb_arena_printf(&r->arena, "%lld", (long long)(after + shown)));
	jw_kint(w, "due", counts[0]);
	jw_kint(w, "overdue", counts[1]);
	jw_kint(w, "done", counts[2]);
	jw_obj_end(w);
	return 0;
}

/* ---- risks ---- */

static const char *level_name(const zb_mrules *rules, int level)
{
	return level >= rules->risk_months[2] ? "自行脱党风险" : level >= rules->risk_months[1] ? "严重预警" : "预警";
}

static const char *const rsort_names[] = {"months", "name", "org"};

typedef struct rlist {
	char today[11];
	zb_mrules rules;
	zb_risk *all;
	int n, scanned;
	int counts[3];
	int64_t level, band;
	int sort, desc;
	const char *under, *q;
	int *idx, nsel;
} rlist;

typedef struct rctx {
	const zb_risk *all;
	int sort, desc;
} rctx;

static int cmp_rrow(const void *x, const void *y, void *ctx)
{
	const rctx *c = ctx;
	const zb_risk *a = &c->all[*(const int *)x], *b = &c->all[*(const int *)y];
	int d = 0;
	if (c->sort == 1)
		d = strcmp(a->name ? a->name : "", b->name ? b->name : "");
	else if (c->sort == 2)
		d = strcmp(a->org_path ? a->org_path : "", b->org_path ? b->org_path : "");
	else
		d = b->months - a->months;
	if (!d)
		d = *(const int *)x - *(const int *)y; /* the computed order: worst first */
	return c->desc ? -d : d;
}

/* The query of a risk list. */
static int rlist_parse(zb_req *r, rlist *l, zb_err *e)
{
	memset(l, 0, sizeof *l);
	int rc;
	if (zb_req_query_int(r, "level", 0, 0, 24, &l->level, e) || zb_req_query_int(r, "band", 0, 0, 24, &l->band, e))
		return e->code;
	if ((rc = query_choice(r, "sort", rsort_names, 3, &l->sort,
	                       "参数 sort 应为 months（未参加月数）、name（姓名）或 org（所在组织）", e)) ||
	    (rc = query_desc(r, 0, &l->desc, e)) || (rc = query_under(r, &l->under, e)))
		return rc;
	l->q = zb_req_query(r, "q");
	if (l->q && strlen(l->q) > 100)
		return zb_fail(e, ZB_EINVAL, "q", "姓名关键字过长（最多 100 字节）");
	zb_today(r->app, l->today);
	return 0;
}

/* The members at risk, filtered and sorted. */
static int rlist_fill(zb_req *r, rlist *l, zb_err *e)
{
	int rc;
	if ((rc = zb_risks_load(r->db, r->target_path, l->today, &r->arena, &l->all, &l->n, &l->scanned, e)) ||
	    (rc = zb_mrules_get(r->db, r->target_path, l->today, &l->rules, e)))
		return rc;
	if (l->band && l->band != l->rules.risk_months[0] && l->band != l->rules.risk_months[1] &&
	    l->band != l->rules.risk_months[2])
		return zb_fail(e, ZB_EINVAL, "band", "参数 band 应为预警档次之一：%d、%d 或 %d（个月）", l->rules.risk_months[0],
		               l->rules.risk_months[1], l->rules.risk_months[2]);
	l->idx = zb_arena_alloc(&r->arena, sizeof *l->idx * (size_t)(l->n ? l->n : 1));
	for (int i = 0; i < l->n; i++) {
		const zb_risk *k = &l->all[i];
		for (int b = 0; b < 3; b++)
			if (k->level == l->rules.risk_months[b] || (b == 2 && k->level > l->rules.risk_months[2]))
				l->counts[b]++;
		if (k->months < l->level || (l->band && k->level != l->band))
			continue;
		if (l->under && !(k->org_path && zb_path_within(k->org_path, l->under)))
			continue;
		if (l->q && *l->q && (!k->name || !strstr(k->name, l->q)))
			continue;
		l->idx[l->nsel++] = i;
	}
	rctx c = {l->all, l->sort, l->desc};
	qsort_r(l->idx, (size_t)l->nsel, sizeof *l->idx, cmp_rrow, &c);
	return 0;
}

static int rlist_load(zb_req *r, rlist *l, zb_err *e)
{
	int rc = rlist_parse(r, l, e);
	return rc ? rc : rlist_fill(r, l, e);
}

typedef struct rreq {
	rlist l;
	int64_t limit, after;
} rreq;

/* What the months count, each named (党章 第九条: 不参加党的组织生活、
 * 不交纳党费): "连续 4 个月未参加组织生活", "连续 5 个月未交纳党费". */
static void risk_reasons(zb_req *r, zb_jw *w, const zb_risk *k)
{
	if (k->life_months)
		jw_str(w, zb_arena_printf(&r->arena, "连续 %d 个月未参加组织生活", k->life_months));
	if (k->dues_months)
		jw_str(w, zb_arena_printf(&r->arena, "连续 %d 个月未交纳党费", k->dues_months));
}

static int risks_json(zb_req *r, zb_jw *w, void *ctx, zb_err *e)
{
	rreq *q = ctx;
	rlist l;
	int64_t limit = q->limit, after = q->after;
	int rc = rlist_fill(r, &q->l, e);
	if (rc)
		return rc;
	l = q->l;
	jw_obj(w);
	jw_kstr(w, "as_of", l.today);
	jw_karr(w, "thresholds");
	for (int k = 0; k < 3; k++)
		jw_int(w, l.rules.risk_months[k]);
	jw_arr_end(w);
	jw_kobj(w, "counts");
	for (int k = 0; k < 3; k++)
		jw_kint(w, zb_arena_printf(&r->arena, "%d", l.rules.risk_months[k]), l.counts[k]);
	jw_obj_end(w);
	jw_kint(w, "scanned", l.scanned);
	jw_kstr(w, "sort", rsort_names[l.sort]);
	jw_kstr(w, "order", l.desc ? "desc" : "asc");
	jw_karr(w, "items");
	int64_t shown = 0;
	for (int64_t i = after; i < l.nsel && shown < limit; i++, shown++) {
		const zb_risk *k = &l.all[l.idx[i]];
		char lp[8], since[8], ex[8];
		zb_ym_text(k->last_present_ym, lp);
		zb_ym_text(k->since_ym, since);
		zb_ym_text(k->explained_to_ym, ex);
		jw_obj(w);
		jw_kint(w, "member_id", k->member_id);
		jw_kstr(w, "name", k->name);
		jw_kint(w, "org_id", k->org_id);
		jw_kstr(w, "org_name", k->org_name);
		jw_kstr(w, "status", k->status);
		jw_kstr(w, "category", k->category);
		jw_kint(w, "months", k->months);
		jw_kint(w, "level", k->level);
		jw_kstr(w, "level_name", level_name(&l.rules, k->level));
		jw_kstr(w, "since", since);
		jw_kstr(w, "last_present", k->last_present_ym ? lp : NULL);
		jw_kstr(w, "explained_until", k->explained_to_ym ? ex : NULL);
		jw_kint(w, "excused_months", k->excused_months);
		jw_kint(w, "idle_months", k->idle_months);
		jw_kint(w, "life_months", k->life_months);
		jw_kint(w, "dues_months", k->dues_months);
		char ds[8];
		zb_ym_text(k->dues_since_ym, ds);
		jw_kstr(w, "dues_since", k->dues_since_ym ? ds : NULL);
		jw_karr(w, "reasons");
		risk_reasons(r, w, k);
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "total", l.nsel);
	if (after + shown < l.nsel)
		jw_kstr(w, "next", zb_arena_printf(&r->arena, "%lld", (long long)(after + shown)));
	jw_obj_end(w);
	return 0;
}

static int h_risks(zb_req *r, zb_err *e)
{
	rreq q;
	if (zb_req_query_int(r, "limit", 200, 1, 1000, &q.limit, e) ||
	    zb_req_query_int(r, "after", 0, 0, INT32_MAX, &q.after, e))
		return e->code;
	int rc = rlist_parse(r, &q.l, e);
	if (rc)
		return rc;
	const rlist *l = &q.l;
	const char *key = zb_arena_printf(&r->arena, "risks/%lld/%s/%lld/%lld/%d/%d/%lld/%lld/%s/%zu:%s", (long long)r->target_id,
	                                  l->today, (long long)l->level, (long long)l->band, l->sort, l->desc,
	                                  (long long)q.after, (long long)q.limit, l->under ? l->under : "",
	                                  l->q ? strlen(l->q) : 0, l->q ? l->q : "");
	if ((rc = cached_answer(r, key, risks_json, &q, e)))
		return rc;
	zb_req_audit_read(r, "meeting.risks", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static const char *category_text(const char *c)
{
	return !c ? "" : !strcmp(c, "full") ? "正式党员" : !strcmp(c, "probationary") ? "预备党员" : c;
}

static const char *status_text(const char *s)
{
	static const char *const map[][2] = {{"normal", "正常"},   {"mobile", "流动党员"}, {"lost", "失联党员"},
	                                     {"abroad", "出国（境）"}, {"suspended", "停止党籍"}, {"removed", "已出党"},
	                                     {"deceased", "已去世"}};
	for (size_t i = 0; s && i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(s, map[i][0]))
			return map[i][1];
	return s ? s : "";
}

/* The list as a workbook.  Its columns are the list's: name, org,
 * category, status and the months; no ID number, phone or birth date, so
 * nothing in it needs the masks of docs/SECURITY.md. */
static int h_risks_export(zb_req *r, zb_err *e)
{
	rlist l;
	int rc = rlist_load(r, &l, e);
	if (rc)
		return rc;
	const char *root = org_name_of(r, r->target_id, e);
	if (e->code)
		return e->code;
	static const zb_xlsx_col cols[] = {
		{"序号", 6},          {"姓名", 12},       {"所在党组织", 30},    {"类别", 10},
		{"状态", 10},         {"连续未参加（月）", 16}, {"预警级别", 14},      {"起始月份", 10},
		{"最近参加", 10},      {"情况说明至", 10},   {"请假或说明（月）", 16}, {"未安排（月）", 12},
		{"未参加组织生活（月）", 18}, {"未交纳党费（月）", 16},
	};
	const char *title = l.band ? zb_arena_printf(&r->arena, "%s 连续 %lld 个月未参加组织生活的党员（截至 %s）",
	                                             root ? root : "", (long long)l.band, l.today)
	                           : zb_arena_printf(&r->arena, "%s 未参加组织生活的党员（截至 %s）", root ? root : "", l.today);
	xbook x;
	if ((rc = xbook_open(r, &x, "未参加组织生活的党员", title, cols, (int)(sizeof cols / sizeof cols[0]), e)))
		return rc;
	for (int i = 0; !rc && i < l.nsel; i++) {
		const zb_risk *k = &l.all[l.idx[i]];
		char lp[8], since[8], ex[8];
		zb_ym_text(k->last_present_ym, lp);
		zb_ym_text(k->since_ym, since);
		zb_ym_text(k->explained_to_ym, ex);
		const char *cells[] = {
			zb_arena_printf(&r->arena, "%d", i + 1),
			k->name,
			k->org_name,
			category_text(k->category),
			status_text(k->status),
			zb_arena_printf(&r->arena, "%d", k->months),
			level_name(&l.rules, k->level),
			since,
			k->last_present_ym ? lp : "",
			k->explained_to_ym ? ex : "",
			zb_arena_printf(&r->arena, "%d", k->excused_months),
			zb_arena_printf(&r->arena, "%d", k->idle_months),
			zb_arena_printf(&r->arena, "%d", k->life_months),
			zb_arena_printf(&r->arena, "%d", k->dues_months),
		};
		rc = zb_xlsx_writer_row(x.w, cells, (int)(sizeof cells / sizeof cells[0]), e);
	}
	if ((rc = xbook_finish(r, &x, rc, zb_arena_printf(&r->arena, "%s未参加组织生活的党员", root ? root : ""), e)))
		return rc;
	zb_req_audit_read(r, "meeting.risks_export", "org", r->target_id, r->target_path,
	                  zb_arena_printf(&r->arena, "{\"band\":%lld,\"count\":%d}", (long long)l.band, l.nsel));
	return 0;
}

/* ---- the home screen's roll-up ---- */

/* Everything the home screen shows, in one answer: statistics, structure
 * warnings (counts and the first few), compliance of the current quarter
 * with each direct sub-org's share, the members at each risk level (counts
 * and the worst few) and the coming 政治生日.  A section the caller may not
 * read at this org is null. */
static int h_dashboard(zb_req *r, zb_err *e)
{
	int64_t top;
	if (zb_req_query_int(r, "top", 8, 1, 50, &top, e))
		return e->code;
	zb_period p;
	int rc = query_period(r, &p, e);
	if (rc)
		return rc;
	char today[11];
	zb_today(r->app, today);
	const char *root = org_name_of(r, r->target_id, e);
	if (e->code)
		return e->code;
	const zb_principal *who = r->who;
	const char *path = r->target_path;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "org_name", root);
	jw_kstr(w, "as_of", today);
	jw_kstr(w, "period", p.label);

	/* statistics and warnings read in one snapshot, after the rules
	 * dated in the future that took effect are caught up */
	jw_key(w, "stats");
	zb_warning *wv;
	int nw;
	int warn_ok = zb_authz_allows(who, P_ORG_READ, path);
	if ((rc = zb_org_home_read(r->db, r->target_id, path, today, warn_ok, w, &r->arena, &wv, &nw, e)))
		return rc;
	jw_key(w, "warnings");
	if (!warn_ok) {
		jw_null(w);
	} else {
		int by[3] = {0, 0, 0};
		for (int i = 0; i < nw; i++)
			by[!strcmp(wv[i].level, "error") ? 0 : !strcmp(wv[i].level, "warn") ? 1 : 2]++;
		jw_obj(w);
		jw_kint(w, "total", nw);
		jw_kobj(w, "counts");
		jw_kint(w, "error", by[0]);
		jw_kint(w, "warn", by[1]);
		jw_kint(w, "info", by[2]);
		jw_obj_end(w);
		/* the most serious first */
		jw_karr(w, "items");
		int shown = 0;
		for (int lv = 0; lv < 3; lv++)
			for (int i = 0; i < nw && shown < top; i++) {
				int l = !strcmp(wv[i].level, "error") ? 0 : !strcmp(wv[i].level, "warn") ? 1 : 2;
				if (l != lv)
					continue;
				shown++;
				jw_obj(w);
				jw_kint(w, "org_id", wv[i].org_id);
				jw_kstr(w, "org_name", wv[i].org_name);
				jw_kstr(w, "kind", wv[i].kind);
				jw_kstr(w, "level", wv[i].level);
				jw_kstr(w, "message", wv[i].message);
				jw_obj_end(w);
			}
		jw_arr_end(w);
		jw_obj_end(w);
	}

	int meet_ok = zb_authz_allows(who, P_MEETING_READ, path);
	jw_key(w, "compliance");
	if (!meet_ok) {
		jw_null(w);
	} else {
		zb_creport rep;
		if ((rc = zb_compliance_report(r->db, r->target_id, path, &p, today, &r->arena, &rep, e)))
			return rc;
		const zb_csum *sum = &rep.sum;
		jw_obj(w);
		jw_kstr(w, "period", p.label);
		jw_kstr(w, "from", p.from);
		jw_kstr(w, "to", p.to);
		write_states(w, sum->branches, sum->done, sum->open, sum->missing);
		jw_karr(w, "types");
		for (int t = 0; t < ZB_MT_COUNT; t++) {
			if (!sum->t[t].branches)
				continue;
			jw_obj(w);
			jw_kstr(w, "type", zb_mtype_code(t));
			jw_kstr(w, "type_name", zb_mtype_name(t));
			write_states(w, sum->t[t].branches, sum->t[t].done, sum->t[t].open, sum->t[t].missing);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_karr(w, "children");
		for (int i = 0; i < rep.nchildren; i++) {
			const zb_cchild *k = &rep.children[i];
			if (k->dissolved)
				continue;
			jw_obj(w);
			jw_kint(w, "org_id", k->org_id);
			jw_kstr(w, "org_name", k->name);
			write_states(w, k->sum.branches, k->sum.done, k->sum.open, k->sum.missing);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}

	jw_key(w, "risks");
	if (!meet_ok) {
		jw_null(w);
	} else {
		zb_risk *rv;
		int nr, scanned;
		zb_mrules rules;
		if ((rc = zb_risks_load(r->db, path, today, &r->arena, &rv, &nr, &scanned, e)) ||
		    (rc = zb_mrules_get(r->db, path, today, &rules, e)))
			return rc;
		int counts[3] = {0, 0, 0};
		for (int i = 0; i < nr; i++)
			for (int k = 0; k < 3; k++)
				if (rv[i].level == rules.risk_months[k] || (k == 2 && rv[i].level > rules.risk_months[2]))
					counts[k]++;
		jw_obj(w);
		jw_karr(w, "thresholds");
		for (int k = 0; k < 3; k++)
			jw_int(w, rules.risk_months[k]);
		jw_arr_end(w);
		jw_kobj(w, "counts");
		for (int k = 0; k < 3; k++)
			jw_kint(w, zb_arena_printf(&r->arena, "%d", rules.risk_months[k]), counts[k]);
		jw_obj_end(w);
		jw_kint(w, "total", nr);
		jw_karr(w, "items");
		for (int i = 0; i < nr && i < top; i++) {
			jw_obj(w);
			jw_kint(w, "member_id", rv[i].member_id);
			jw_kstr(w, "name", rv[i].name);
			jw_kint(w, "org_id", rv[i].org_id);
			jw_kstr(w, "org_name", rv[i].org_name);
			jw_kint(w, "months", rv[i].months);
			jw_kint(w, "level", rv[i].level);
			jw_kstr(w, "level_name", level_name(&rules, rv[i].level));
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
		zb_req_audit_read(r, "meeting.risks", "org", r->target_id, path, NULL);
	}

	jw_key(w, "birthdays");
	if (!zb_authz_allows(who, P_MEMBER_READ, path)) {
		jw_null(w);
	} else {
		zb_birthday *bv;
		int nb;
		if ((rc = zb_member_birthdays(r->db, path, zb_today_int(r->app), 30, 500, &r->arena, &bv, &nb, e)))
			return rc;
		jw_obj(w);
		jw_kint(w, "days", 30);
		jw_kint(w, "total", nb);
		jw_karr(w, "items");
		for (int i = 0; i < nb && i < top; i++) {
			jw_obj(w);
			jw_kint(w, "member_id", bv[i].member_id);
			jw_kstr(w, "name", bv[i].name);
			jw_kint(w, "org_id", bv[i].org_id);
			jw_kstr(w, "org_name", bv[i].org_name);
			jw_kstr(w, "date", bv[i].date);
			jw_kint(w, "years", bv[i].years);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
		zb_req_audit_read(r, "member.birthdays", "org", r->target_id, path,
		                  zb_arena_printf(&r->arena, "{\"days\":30,\"count\":%d}", nb < top ? nb : (int)top));
	}
	jw_key(w, "ratings");
	if (!warn_ok)
		jw_null(w);
	else if ((rc = zb_api_rating_summary(r, e)))
		return rc;
	jw_obj_end(w);
	return 0;
}

/* ---- response shapes ---- */

#define STATE_PROPS                                                                                        \
	{"branches", 'i', 0, NULL, "支部数"}, {"branches_done", 'i', 0, NULL, "已落实（应开展的都已开展）的支部数"}, \
		{"branches_open", 'i', 0, NULL, "进行中（无逾期、尚有待开展）的支部数"},                          \
		{"branches_missing", 'i', 0, NULL, "有逾期未落实的支部数"},                                       \
		{"done_rate", 'n', 0, NULL, "已落实支部占比（0–1）"},                                             \
		{"branches_ok", 'i', 0, NULL, "无逾期的支部数（已落实与进行中）"},                                \
		{"rate", 'n', 0, NULL, "无逾期的支部占比（0–1）"}

static const zb_prop states_props[] = {STATE_PROPS, {0}};
static const zb_shape states_shape = {"ComplianceCounts", states_props, 0, 0, "支部按落实情况计数"};

static const zb_prop unit_props[] = {
	{"period", 's', 0, NULL, "要求周期：2026-07、2026Q3、2026H1 或 2026"},
	{"from", 'd', 0, NULL, "周期首日"},
	{"to", 'd', 0, NULL, "周期末日（截止日）"},
	{"org_id", 'i', 0, NULL, "支部或党小组"},
	{"org_name", 's', 0, NULL, "名称"},
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "达到法定人数的次数"},
	{"held_total", 'i', 0, NULL, "记录的次数"},
	{"status", 's', 0, NULL, "ok 已开展、missing 逾期未开展、open 尚未到期"},
	{"rule_id", 'i', 0, NULL, "规定该要求的规则"},
	{0},
};
static const zb_shape unit_shape = {"ComplianceUnit", unit_props, 0, 0, "一个要求周期"};

static const zb_prop type_row_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "已开展次数（每个周期最多计应开展数）"},
	{"held_total", 'i', 0, NULL, "记录的次数"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{"pending", 'i', 0, NULL, "尚未到期、待开展次数"},
	{"ok", 'b', 0, NULL, "无逾期"},
	{"state", 's', 0, NULL, "done 已落实、open 进行中、missing 逾期未落实"},
	{"branches", 'i', ZB_OPT, NULL, "汇总行：该类型适用的支部数"},
	{"branches_ok", 'i', ZB_OPT, NULL, "汇总行：无逾期的支部数"},
	{"branches_done", 'i', ZB_OPT, NULL, "汇总行：已落实的支部数"},
	{"units", 'a', ZB_OPT, &unit_shape, "支部本身：各要求周期"},
	{0},
};
static const zb_shape type_row_shape = {"ComplianceRow", type_row_props, 0, 0, "一种会议的落实情况"};

static const zb_prop type_sum_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	STATE_PROPS,
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "已开展次数"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{"pending", 'i', 0, NULL, "待开展次数"},
	{0},
};
static const zb_shape type_sum_shape = {"ComplianceTypeSum", type_sum_props, 0, 0, "一种会议在整个范围内"};

static const zb_prop child_props[] = {
	{"org_id", 'i', 0, NULL, "直属下级组织"},
	{"org_name", 's', 0, NULL, "名称"},
	STATE_PROPS,
	{"items", 'a', 0, &type_row_shape, "各类会议"},
	{0},
};
static const zb_shape child_shape = {"ComplianceChild", child_props, 0, 0, "直属下级组织的汇总"};

static const zb_prop mtype_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{0},
};
static const zb_shape mtype_shape = {NULL, mtype_props, 0, 0, NULL};

static const zb_prop worst_props[] = {
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "名称"},
	{"org_path", 's', 0, NULL, "路径"},
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "已开展次数"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{"rate", 'n', 0, NULL, "已开展占应开展（0–1）"},
	{"missing_types", 'a', 0, &mtype_shape, "有逾期的会议类型"},
	{0},
};
static const zb_shape worst_shape = {"ComplianceWorst", worst_props, 0, 0, "有逾期未落实的支部"};

static const zb_prop report_props[] = {
	{"period", 's', 0, NULL, "统计周期"},
	{"from", 'd', 0, NULL, "周期首日"},
	{"to", 'd', 0, NULL, "周期末日"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"org_name", 's', 0, NULL, "名称"},
	STATE_PROPS,
	{"types", 'a', 0, &type_sum_shape, "各类会议在整个范围内"},
	{"items", 'a', 0, &type_row_shape, "所查组织本身（支部：含各周期）或其范围的汇总"},
	{"orgs", 'a', 0, &child_shape, "各直属下级组织（所查组织是支部时为空）"},
	{"noncompliant_total", 'i', 0, NULL, "有逾期未落实的支部数"},
	{"noncompliant", 'a', 0, &worst_shape, "其中问题最多的（至多 limit 个；全部见 compliance/branches）"},
	{0},
};
static const zb_shape report_shape = {"Compliance", report_props, 0, 0, "组织生活落实情况"};

static const zb_prop btype_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	{"state", 's', 0, NULL, "done、open 或 missing"},
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "已开展次数"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{"pending", 'i', 0, NULL, "待开展次数"},
	{0},
};
static const zb_shape btype_shape = {NULL, btype_props, 0, 0, NULL};

static const zb_prop branch_props[] = {
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "名称"},
	{"org_path", 's', 0, NULL, "路径"},
	{"parent_id", 'i', 0, NULL, "上级组织"},
	{"parent_name", 's', ZB_NULL, NULL, "上级组织名称"},
	{"state", 's', 0, NULL, "done 已落实、open 进行中、missing 逾期未落实"},
	{"required", 'i', 0, NULL, "应开展次数"},
	{"held", 'i', 0, NULL, "已开展次数"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{"pending", 'i', 0, NULL, "待开展次数"},
	{"rate", 'n', 0, NULL, "已开展占应开展（0–1）"},
	{"types", 'a', 0, &btype_shape, "适用的各类会议"},
	{0},
};
static const zb_shape branch_shape = {"ComplianceBranch", branch_props, 0, 0, "名单中的一个支部"};

static const zb_prop branches_props[] = {
	{"period", 's', 0, NULL, "统计周期"},
	{"from", 'd', 0, NULL, "周期首日"},
	{"to", 'd', 0, NULL, "周期末日"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"status", 's', 0, NULL, "筛选：missing、open、done、notdone 或 all"},
	{"sort", 's', 0, NULL, "排序：worst、rate、name 或 tree"},
	{"order", 's', 0, NULL, "asc 或 desc"},
	{"counts", 'o', 0, &states_shape, "范围内（含 org 筛选）支部按落实情况计数"},
	{"items", 'a', 0, &branch_shape, "本页"},
	{"total", 'i', 0, NULL, "符合筛选的支部数"},
	{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},
	{0},
};
static const zb_shape branches_shape = {"ComplianceBranchPage", branches_props, 0, 0, "支部名单的一页"};

static const zb_prop calendar_item_props[] = {
	{"kind", 's', ZB_OPT, NULL, "无：组织生活；recruit：发展党员提醒（谈话、半年考察、预备期将满）"},
	{"status", 's', 0, NULL, "due 本期待开展、overdue 此前逾期、done 本期已完成"},
	{"current", 'b', ZB_OPT, NULL, "属于当前周期（组织生活）"},
	{"type", 's', ZB_OPT, NULL, "会议类型代码（组织生活）"},
	{"type_name", 's', ZB_OPT, NULL, "会议类型（组织生活）"},
	{"org_id", 'i', 0, NULL, "支部或党小组"},
	{"org_name", 's', 0, NULL, "名称"},
	{"branch_id", 'i', 0, NULL, "所属支部"},
	{"branch_name", 's', 0, NULL, "支部名称"},
	{"period", 's', ZB_OPT, NULL, "要求周期（组织生活）"},
	{"from", 'd', ZB_OPT, NULL, "周期首日（组织生活）"},
	{"due_on", 'd', 0, NULL, "截止日"},
	{"required", 'i', ZB_OPT, NULL, "应开展次数（组织生活）"},
	{"held", 'i', ZB_OPT, NULL, "已开展次数（组织生活）"},
	{"applicant_id", 'i', ZB_OPT, NULL, "发展党员提醒：档案（GET /applicants/{id}）"},
	{"applicant_name", 's', ZB_OPT, NULL, "发展党员提醒：姓名"},
	{"stage", 's', ZB_OPT, NULL, "发展党员提醒：阶段"},
	{"step", 'i', ZB_OPT, NULL, "发展党员提醒：所涉步骤（1-25）"},
	{"step_name", 's', ZB_OPT, NULL, "发展党员提醒：步骤名称"},
	{"alert", 's', ZB_OPT, NULL, "发展党员提醒：talk_due、assess_due、probation_ending、probation_over"},
	{"alert_name", 's', ZB_OPT, NULL, "发展党员提醒：类别"},
	{"text", 's', ZB_OPT, NULL, "发展党员提醒：规定与日期"},
	{0},
};
static const zb_shape calendar_item_shape = {"CalendarItem", calendar_item_props, 0, 0, "一项待开展或已完成的组织生活，或一项发展党员提醒"};

static const zb_prop calendar_props[] = {
	{"today", 'd', 0, NULL, "今天"},
	{"month", 's', 0, NULL, "本月 2026-07"},
	{"quarter", 's', 0, NULL, "本季度 2026Q3"},
	{"items", 'a', 0, &calendar_item_shape, "本页：本期待开展、此前逾期、本期已完成，依次"},
	{"total", 'i', 0, NULL, "全部条数"},
	{"more", 'i', 0, NULL, "本页之后还有的条数"},
	{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},
	{"due", 'i', 0, NULL, "本期待开展条数"},
	{"overdue", 'i', 0, NULL, "此前逾期条数"},
	{"done", 'i', 0, NULL, "本期已完成条数"},
	{0},
};
static const zb_shape calendar_shape = {"Calendar", calendar_props, 0, 0, "组织生活日程"};

static const zb_prop risk_props[] = {
	{"member_id", 'i', 0, NULL, "党员"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "所在组织名称"},
	{"status", 's', 0, NULL, "党员状态"},
	{"category", 's', ZB_NULL, NULL, "类别"},
	{"months", 'i', 0, NULL, "计入自行脱党风险的月数：未参加组织生活与未交纳党费两者中较长的"},
	{"level", 'i', 0, NULL, "预警档次（月）"},
	{"level_name", 's', 0, NULL, "预警、严重预警或自行脱党风险"},
	{"since", 's', 0, NULL, "起始月份"},
	{"last_present", 's', ZB_NULL, NULL, "最近参加的月份"},
	{"explained_until", 's', ZB_NULL, NULL, "情况说明覆盖到的月份"},
	{"excused_months", 'i', 0, NULL, "请假或有说明而不计的月数"},
	{"idle_months", 'i', 0, NULL, "支部未安排而不计的月数"},
	{"life_months", 'i', 0, NULL, "连续未参加组织生活的月数"},
	{"dues_months", 'i', 0, NULL, "连续未交纳党费的月数"},
	{"dues_since", 's', ZB_NULL, NULL, "未交纳党费的起始月份"},
	{"reasons", 'a', 0, &zb_shape_string, "计入的原因，如“连续 4 个月未参加组织生活”“连续 5 个月未交纳党费”"},
	{0},
};
static const zb_shape risk_shape = {"AttendanceRisk", risk_props, 0, 0, "未参加组织生活的党员"};

static const zb_prop band_counts_props[] = {{0}};
static const zb_shape band_counts_shape = {NULL, band_counts_props, 0, 'i', "各档人数，键为档次月数"};

static const zb_prop risks_props[] = {
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"thresholds", 'a', 0, &zb_shape_integer, "预警档次（月），升序"},
	{"counts", 'o', 0, &band_counts_shape, "各档人数（不受筛选影响）"},
	{"scanned", 'i', 0, NULL, "查看的党员数"},
	{"sort", 's', 0, NULL, "排序：months、name 或 org"},
	{"order", 's', 0, NULL, "asc 或 desc"},
	{"items", 'a', 0, &risk_shape, "本页"},
	{"total", 'i', 0, NULL, "符合筛选的人数"},
	{"next", 's', ZB_OPT, NULL, "还有下一页时：下一页请求的 after 参数"},
	{0},
};
static const zb_shape risks_shape = {"AttendanceRisks", risks_props, 0, 0, "未参加组织生活的党员名单的一页"};

static const zb_prop dwarn_item_props[] = {
	{"org_id", 'i', 0, NULL, "组织"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"kind", 's', 0, NULL, "预警种类"},
	{"level", 's', 0, NULL, "error、warn 或 info"},
	{"message", 's', 0, NULL, "预警内容"},
	{0},
};
static const zb_shape dwarn_item_shape = {NULL, dwarn_item_props, 0, 0, NULL};
static const zb_prop dwarn_counts_props[] = {
	{"error", 'i', 0, NULL, "严重"},
	{"warn", 'i', 0, NULL, "预警"},
	{"info", 'i', 0, NULL, "提示"},
	{0},
};
static const zb_shape dwarn_counts_shape = {NULL, dwarn_counts_props, 0, 0, NULL};
static const zb_prop dwarn_props[] = {
	{"total", 'i', 0, NULL, "预警条数"},
	{"counts", 'o', 0, &dwarn_counts_shape, "各级别条数"},
	{"items", 'a', 0, &dwarn_item_shape, "最严重的前 top 条"},
	{0},
};
static const zb_shape dwarn_shape = {NULL, dwarn_props, 0, 0, NULL};

static const zb_prop dtype_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	STATE_PROPS,
	{0},
};
static const zb_shape dtype_shape = {NULL, dtype_props, 0, 0, NULL};
static const zb_prop dchild_props[] = {
	{"org_id", 'i', 0, NULL, "直属下级组织"},
	{"org_name", 's', 0, NULL, "名称（全称；图表标签由前端缩短）"},
	STATE_PROPS,
	{0},
};
static const zb_shape dchild_shape = {NULL, dchild_props, 0, 0, NULL};
static const zb_prop dcomp_props[] = {
	{"period", 's', 0, NULL, "统计周期"},
	{"from", 'd', 0, NULL, "周期首日"},
	{"to", 'd', 0, NULL, "周期末日"},
	STATE_PROPS,
	{"types", 'a', 0, &dtype_shape, "各类会议"},
	{"children", 'a', 0, &dchild_shape, "有支部的直属下级组织"},
	{0},
};
static const zb_shape dcomp_shape = {NULL, dcomp_props, 0, 0, NULL};

static const zb_prop drisk_item_props[] = {
	{"member_id", 'i', 0, NULL, "党员"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "所在组织名称"},
	{"months", 'i', 0, NULL, "连续未参加的月数"},
	{"level", 'i', 0, NULL, "预警档次（月）"},
	{"level_name", 's', 0, NULL, "预警级别"},
	{0},
};
static const zb_shape drisk_item_shape = {NULL, drisk_item_props, 0, 0, NULL};
static const zb_prop drisk_props[] = {
	{"thresholds", 'a', 0, &zb_shape_integer, "预警档次（月）"},
	{"counts", 'o', 0, &band_counts_shape, "各档人数"},
	{"total", 'i', 0, NULL, "人数"},
	{"items", 'a', 0, &drisk_item_shape, "最久未参加的前 top 人"},
	{0},
};
static const zb_shape drisk_shape = {NULL, drisk_props, 0, 0, NULL};

static const zb_prop dbd_item_props[] = {
	{"member_id", 'i', 0, NULL, "党员"},
	{"name", 's', 0, NULL, "姓名"},
	{"org_id", 'i', 0, NULL, "所在组织"},
	{"org_name", 's', 0, NULL, "所在组织名称"},
	{"date", 'd', 0, NULL, "政治生日"},
	{"years", 'i', 0, NULL, "入党周年"},
	{0},
};
static const zb_shape dbd_item_shape = {NULL, dbd_item_props, 0, 0, NULL};
static const zb_prop dbd_props[] = {
	{"days", 'i', 0, NULL, "向后看的天数"},
	{"total", 'i', 0, NULL, "人数（至多 500）"},
	{"items", 'a', 0, &dbd_item_shape, "最近的前 top 人"},
	{0},
};
static const zb_shape dbd_shape = {NULL, dbd_props, 0, 0, NULL};

static const zb_prop dash_props[] = {
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"period", 's', 0, NULL, "组织生活的统计周期"},
	{"stats", 'o', 0, &zb_org_stats_shape, "与 GET /orgs/{id}/stats 的回答相同"},
	{"warnings", 'o', ZB_NULL, &dwarn_shape, "组织设置预警；无 org.read 时为 null"},
	{"compliance", 'o', ZB_NULL, &dcomp_shape, "组织生活落实；无 meeting.read 时为 null"},
	{"risks", 'o', ZB_NULL, &drisk_shape, "未参加组织生活的党员；无 meeting.read 时为 null"},
	{"birthdays", 'o', ZB_NULL, &dbd_shape, "近期政治生日；无 member.read 时为 null"},
	{"ratings", 'o', ZB_NULL, &zb_shape_rating_summary, "评星晋级：最近已发布年度的汇总（与 GET /orgs/{id}/ratings/summary 相同）；无 org.read 时为 null"},
	{0},
};
static const zb_shape dash_shape = {"HomeRollup", dash_props, 0, 0, "首页汇总"};

#define XLSX_MEDIA XLSX_MEDIA_TYPE

/* ---- routes ---- */

#define LIST_QUERY "period:string,status:string,type:string,org:integer,q:string,sort:string,order:string"
#define RISK_QUERY "level:integer,band:integer,org:integer,q:string,sort:string,order:string"

const zb_route zb_routes_compliance[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/dashboard", .fn = h_dashboard,
	 .perm = P_STATS_READ, .scope = S_ORG, .resp = ZB_OK(&dash_shape),
	 .tag = "orgs", .summary = "首页汇总：统计、预警、本季度组织生活落实、未参加组织生活的党员、政治生日（一次请求）",
	 .query_doc = "period:string,top:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/compliance", .fn = h_compliance,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&report_shape),
	 .tag = "meetings", .summary = "组织生活落实情况",
	 .query_doc = "period:string,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/compliance/branches", .fn = h_branches,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&branches_shape),
	 .tag = "meetings", .summary = "组织生活落实情况的支部名单（筛选、排序、分页）",
	 .query_doc = LIST_QUERY ",after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/compliance/branches/export", .fn = h_branches_export,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_MEDIA(XLSX_MEDIA),
	 .tag = "meetings", .summary = "导出组织生活落实情况的支部名单（xlsx）",
	 .query_doc = LIST_QUERY},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/calendar", .fn = h_calendar,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&calendar_shape),
	 .tag = "meetings", .summary = "待办：本期待开展、此前逾期和本期已完成的组织生活，及发展党员提醒",
	 .query_doc = "after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/risks", .fn = h_risks,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&risks_shape),
	 .tag = "meetings", .summary = "连续 3/5/6 个月未参加组织生活的党员（筛选、排序、分页）",
	 .query_doc = RISK_QUERY ",after:integer,limit:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/risks/export", .fn = h_risks_export,
	 .perm = P_MEMBER_EXPORT, .scope = S_ORG, .resp = ZB_MEDIA(XLSX_MEDIA),
	 .tag = "meetings", .summary = "导出未参加组织生活的党员名单（xlsx）",
	 .query_doc = RISK_QUERY},
	{0},
};
