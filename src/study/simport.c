/* simport.c - external study from a spreadsheet: the columns, one row as
 * a session of one attendee, batches through the roster import's
 * (member/import.h), one-transaction commit.  See simport.h. */
#include "study/simport.h"

#include "auth/authz.h"
#include "core/grow.h"
#include "io/sheet.h"
#include "member/member.h"
#include "org/org.h"
#include "study/study.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	zb_scol col;
	const char *names[6];
} scols[] = {
	{ZB_SC_NAME, {"姓名", "党员姓名", "学员姓名"}},
	{ZB_SC_DATE, {"学习日期", "日期", "培训日期", "结业日期", "发证日期", "完成日期"}},
	{ZB_SC_TITLE, {"学习内容", "课程名称", "课程", "培训内容", "培训班名称", "内容"}},
	{ZB_SC_HOURS, {"学时", "学时数", "课时", "培训学时"}},
	{ZB_SC_KIND, {"类别", "学习类别", "学习形式", "形式"}},
	{ZB_SC_PROVIDER, {"举办单位", "主办单位", "培训机构", "发证单位", "证书颁发单位"}},
	{ZB_SC_BRANCH, {"所在支部", "所在党组织", "支部", "党支部"}},
};
#define NSCOLS (sizeof scols / sizeof scols[0])

int zb_simport_header_col(const char *h)
{
	char buf[256];
	const char *s = zb_import_header_key(h, buf, sizeof buf);
	for (size_t i = 0; s && i < NSCOLS; i++)
		for (size_t j = 0; j < 6 && scols[i].names[j]; j++)
			if (!strcmp(scols[i].names[j], s))
				return scols[i].col;
	return -1;
}

static void problem(const char **errs, int *nerr, zb_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(const char **errs, int *nerr, zb_arena *a, const char *fmt, ...)
{
	if (*nerr >= ZB_SIMPORT_MAX_ERRS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errs[(*nerr)++] = zb_arena_strdup(a, msg);
}

static const struct {
	const char *code, *names[3];
} skinds[] = {
	{"external", {"外部学习", "外部培训", "证书"}},
	{"central", {"集中学习", "集中培训", "集中学习培训"}},
	{"remote", {"远程教育", "固定活动日", "远程教育固定活动日"}},
};

void zb_simport_parse(const char *const *v, int date1904, const char *today, zb_arena *a, zb_simport_parsed *out,
                      const char **errs, int *nerr)
{
	memset(out, 0, sizeof *out);
	out->name = v[ZB_SC_NAME];
	out->title = v[ZB_SC_TITLE];
	out->provider = v[ZB_SC_PROVIDER];
	out->branch = v[ZB_SC_BRANCH];
	if (!out->name)
		problem(errs, nerr, a, "缺少姓名");
	if (!out->title)
		problem(errs, nerr, a, "缺少学习内容");
	else if (strlen(out->title) > 200)
		problem(errs, nerr, a, "学习内容至多 200 字节");
	if (out->provider && strlen(out->provider) > 200)
		problem(errs, nerr, a, "举办单位至多 200 字节");
	out->kind = "external";
	const char *k = v[ZB_SC_KIND];
	if (k) {
		out->kind = NULL;
		for (size_t i = 0; i < sizeof skinds / sizeof skinds[0] && !out->kind; i++)
			for (int j = 0; j < 3; j++)
				if (!strcmp(k, skinds[i].names[j]) || !strcmp(k, skinds[i].code))
					out->kind = skinds[i].code;
		if (!out->kind)
			problem(errs, nerr, a, "类别“%s”应为 外部学习、集中学习 或 远程教育", k);
	}
	int prec;
	const char *d = v[ZB_SC_DATE];
	if (!d)
		problem(errs, nerr, a, "缺少学习日期");
	else if (zb_member_date_parse(d, date1904, out->held_on, &prec) || prec != 3)
		problem(errs, nerr, a, "学习日期“%s”无法识别为日期（可写作 2026-01-02、2026/1/2 或 2026年1月2日）", d);
	else if (strcmp(out->held_on, today) > 0 || strcmp(out->held_on, "2000-01-01") < 0)
		problem(errs, nerr, a, "学习日期 %s 应在 2000 年以后、不晚于今天", out->held_on);
	const char *h = v[ZB_SC_HOURS];
	if (!h) {
		problem(errs, nerr, a, "缺少学时");
		return;
	}
	char *end;
	double x = strtod(h, &end);
	while (*end == ' ')
		end++;
	if (end == h || (*end && strcmp(end, "学时") && strcmp(end, "小时") && strcmp(end, "课时")) ||
	    !isfinite(x) || x <= 0 || x > 24 || fabs(x * 10 - round(x * 10)) > 1e-6)
		problem(errs, nerr, a, "学时“%s”应为大于 0、不超过 24、至多一位小数的数，如 2 或 1.5", h);
	else
		out->hours10 = (int)round(x * 10);
}

/* ---- reading ---- */

typedef struct reader {
	const zb_import_opts *o;
	zb_simport *imp;
	zb_arena *a;
	char today[11], upper[512];
} reader;

typedef struct found {
	zb_arena *a;
	int n;
	int64_t id[3];
	const char *path[3], *org[3];
} found;

static int add_found(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	found *f = ctx;
	if (f->n == 3)
		return ZB_DB_STOP;
	f->id[f->n] = zb_col_int(st, 0);
	f->path[f->n] = zb_arena_strdup(f->a, zb_col_text(st, 1));
	f->org[f->n] = zb_arena_strdup(f->a, zb_col_text(st, 2));
	f->n++;
	return 0;
}

static int read_row(reader *rd, const char *const *v, int date1904, int rownum, zb_simport_row *r, zb_err *e)
{
	zb_arena *a = rd->a;
	r->rownum = rownum;
	r->errors = zb_arena_alloc(a, sizeof(char *) * ZB_SIMPORT_MAX_ERRS);
	zb_simport_parse(v, date1904, rd->today, a, &r->p, r->errors, &r->nerr);
	if (r->p.name) {
		found f = {.a = a};
		int rc = zb_db_each(rd->o->db, e, add_found, &f,
		                    "SELECT mb.id, mb.org_path, o.name FROM members mb JOIN orgs o ON o.id = mb.org_id "
		                    "WHERE mb.name = ? AND mb.org_path >= ? AND mb.org_path < ? "
		                    "AND mb.status IN ('normal', 'mobile', 'abroad') "
		                    "AND (CAST(? AS TEXT) IS NULL OR o.name = ? OR o.short_name = ?) ORDER BY mb.id LIMIT 3",
		                    "ssssss", r->p.name, rd->imp->org_path, rd->upper, r->p.branch, r->p.branch, r->p.branch);
		if (rc && rc != ZB_DB_STOP)
			return rc;
		int hit = -1, hits = 0;
		for (int k = 0; k < f.n; k++)
			if (!rd->o->who || zb_authz_allows(rd->o->who, P_MEMBER_WRITE, f.path[k])) {
				hit = k;
				hits++;
			}
		if (hits == 1) {
			r->member_id = f.id[hit];
			r->org_name = f.org[hit];
		} else if (hits) {
			problem(r->errors, &r->nerr, a, "%s 下有不止一名“%s”：请填写“所在支部”", rd->imp->org_name, r->p.name);
		} else {
			problem(r->errors, &r->nerr, a, "“%s”不在 %s 的党员名册中%s", r->p.name, rd->imp->org_name,
			        r->p.branch ? "（或所在支部不符）" : "");
		}
	}
	if (r->nerr) {
		r->status = ZB_IROW_ERROR;
		return 0;
	}
	/* the file once more: the same rows above, or held already */
	for (int i = 0; i < rd->imp->nrows - 1; i++) {
		const zb_simport_row *x = &rd->imp->rows[i];
		if (x->member_id == r->member_id && !strcmp(x->p.held_on, r->p.held_on) && !strcmp(x->p.title, r->p.title) &&
		    x->status != ZB_IROW_ERROR) {
			problem(r->errors, &r->nerr, a, "与第 %d 行重复", x->rownum);
			r->status = ZB_IROW_ERROR;
			return 0;
		}
	}
	int64_t n = 0;
	int rc = zb_db_int(rd->o->db, e, &n,
	                   "SELECT COUNT(*) FROM study_sessions s JOIN study_attendees t ON t.session_id = s.id "
	                   "WHERE t.member_id = ? AND s.held_on = ? AND s.title = ? AND s.hours10 = ?",
	                   "issi", r->member_id, r->p.held_on, r->p.title, (int64_t)r->p.hours10);
	if (rc)
		return rc;
	r->status = n ? ZB_IROW_UNCHANGED : ZB_IROW_NEW;
	return 0;
}

static zb_simport *simport_new(void)
{
	zb_simport *imp = calloc(1, sizeof *imp);
	if (imp)
		zb_arena_init(&imp->arena);
	return imp;
}

void zb_simport_free(zb_simport *imp)
{
	if (!imp)
		return;
	zb_arena_free(&imp->arena);
	free(imp);
}

static zb_simport_row *new_row(zb_simport *imp)
{
	ZB_AGROW(&imp->arena, imp->rows, (size_t)imp->nrows + 1, imp->cap);
	zb_simport_row *r = &imp->rows[imp->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

int zb_simport_read(const zb_import_opts *o, const void *data, size_t len, zb_simport **out, zb_err *e)
{
	*out = NULL;
	zb_table_limits lim;
	zb_table_limits_resolve(o->limits, &lim);
	int rc = zb_sheet_check_size(&lim, len, e);
	if (rc)
		return rc;
	zb_simport *imp = simport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_sheet sh = {.arena = &imp->arena, .col = zb_simport_header_col, .key_col = ZB_SC_NAME,
	               .hint = "“姓名”“学习日期”“学习内容”“学时”"};
	reader rd = {.o = o, .imp = imp, .a = &imp->arena};
	zb_today(o->app, rd.today);
	zb_org org;
	if ((rc = zb_org_get(o->db, o->org_id, &imp->arena, &org, e))) {
		if (rc == ZB_ENOTFOUND)
			zb_fail(e, ZB_ENOTFOUND, "org", "未找到导入到的组织");
		goto fail;
	}
	imp->org_id = org.id;
	imp->org_path = org.path;
	imp->org_name = org.name;
	imp->filename = zb_arena_strdup(&imp->arena, o->filename ? o->filename : "");
	zb_path_upper(org.path, rd.upper, sizeof rd.upper);
	if ((rc = zb_sheet_read(&sh, data, len, &lim, e)))
		goto fail;
	imp->format = sh.format == ZB_TABLE_XLSX ? ZB_SIMPORT_KIND "-xlsx" : ZB_SIMPORT_KIND "-csv";
	imp->header_row = sh.header_row;
	int have[ZB_SC_COUNT] = {0};
	for (int i = 0; i < sh.ncols; i++)
		if (sh.col_map[i] >= 0)
			have[sh.col_map[i]] = 1;
	static const struct {
		zb_scol col;
		const char *name;
	} needed[] = {{ZB_SC_NAME, "姓名"}, {ZB_SC_DATE, "学习日期"}, {ZB_SC_TITLE, "学习内容"}, {ZB_SC_HOURS, "学时"}};
	for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++)
		if (!have[needed[k].col]) {
			rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行表头中没有“%s”列：导入需要姓名、学习日期、学习内容和学时四列",
			             imp->header_row, needed[k].name);
			goto fail;
		}
	for (int k = 0; k < sh.n; k++) {
		const zb_sheet_row *sr = &sh.rows[k];
		const char *v[ZB_SC_COUNT] = {0};
		int blank = 1;
		for (int i = 0; i < sr->n; i++)
			if (sh.col_map[i] >= 0 && sr->cells[i][0] && !v[sh.col_map[i]]) {
				v[sh.col_map[i]] = zb_member_clean(&imp->arena, sr->cells[i]);
				blank &= !v[sh.col_map[i]];
			}
		if (blank)
			continue;
		zb_simport_row *r = new_row(imp);
		if ((rc = read_row(&rd, v, sh.info.date1904, sr->rownum, r, e)))
			goto fail;
		imp->counts[r->status]++;
	}
	if (!imp->nrows) {
		rc = zb_fail(e, ZB_EINVAL, "file", "文件中表头（第 %d 行）以下没有数据", imp->header_row);
		goto fail;
	}
	zb_sheet_free(&sh);
	*out = imp;
	return 0;
fail:
	zb_sheet_free(&sh);
	zb_simport_free(imp);
	return rc ? rc : ZB_EINTERNAL;
}

/* ---- batches ---- */

static void row_json(zb_jw *w, const zb_simport_row *r, int stored, zb_arena *a)
{
	jw_obj(w);
	jw_kint(w, "row", r->rownum);
	jw_kstr(w, "status", zb_irow_status_code(r->status));
	jw_kstr(w, "name", r->p.name);
	if (r->member_id)
		jw_kint(w, "member_id", r->member_id);
	else
		jw_knull(w, "member_id");
	jw_kstr(w, "org_name", r->org_name);
	jw_kstr(w, "held_on", r->p.held_on[0] ? r->p.held_on : NULL);
	jw_kstr(w, "kind", r->p.kind);
	jw_kstr(w, "title", r->p.title);
	if (r->p.hours10)
		jw_kdouble(w, "hours", r->p.hours10 / 10.0);
	else
		jw_knull(w, "hours");
	jw_kstr(w, "provider", r->p.provider);
	if (stored)
		jw_kint(w, "hours10", r->p.hours10);
	(void)a;
	jw_karr(w, "errors");
	for (int i = 0; i < r->nerr; i++)
		jw_str(w, r->errors[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

static int stored_row(void *ctx, int i, zb_jw *w, zb_import_batch_row *out)
{
	zb_simport *imp = ctx;
	const zb_simport_row *r = &imp->rows[i];
	row_json(w, r, 1, &imp->arena);
	*out = (zb_import_batch_row){r->rownum, r->status, 0, 0};
	return 0;
}

int zb_simport_save(zb_app *app, zb_db *db, zb_simport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e)
{
	zb_import_batch_in in = {.org_id = imp->org_id, .org_path = imp->org_path, .filename = imp->filename,
	                         .format = imp->format, .nrows = imp->nrows, .counts = imp->counts, .row = stored_row,
	                         .ctx = imp};
	return zb_import_batch_store(app, db, &in, actor, batch_id, e);
}

static const char *jtext(zb_arena *a, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? zb_arena_strdup(a, s) : NULL;
}

static int load_row(void *ctx, json_t *j, int rownum, int status, zb_err *e)
{
	(void)e;
	zb_simport *imp = ctx;
	zb_arena *a = &imp->arena;
	zb_simport_row *r = new_row(imp);
	r->rownum = rownum;
	r->status = status;
	r->member_id = json_integer_value(json_object_get(j, "member_id"));
	r->org_name = jtext(a, j, "org_name");
	r->p.name = jtext(a, j, "name");
	r->p.kind = jtext(a, j, "kind");
	r->p.title = jtext(a, j, "title");
	r->p.provider = jtext(a, j, "provider");
	snprintf(r->p.held_on, sizeof r->p.held_on, "%s", json_string_value(json_object_get(j, "held_on")) ?: "");
	r->p.hours10 = (int)json_integer_value(json_object_get(j, "hours10"));
	zb_import_kind_errors(j, a, &r->errors, &r->nerr);
	imp->counts[r->status]++;
	return 0;
}

int zb_simport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_simport **out, zb_err *e)
{
	*out = NULL;
	zb_simport *imp = simport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_import_batch b;
	int rc = zb_import_kind_load(app, db, batch_id, user_id, ZB_SIMPORT_KIND, &imp->arena, &b, load_row, imp, e);
	imp->org_id = b.org_id;
	imp->org_path = b.org_path;
	imp->org_name = b.org_name;
	imp->filename = b.filename;
	imp->format = b.format;
	if (rc) {
		zb_simport_free(imp);
		return rc;
	}
	*out = imp;
	return 0;
}

typedef struct commit_ctx {
	zb_app *app;
	zb_db *db;
	const zb_principal *who;
	zb_simport *imp;
	int64_t batch_id;
} commit_ctx;

static void commit_row(void *ctx, int i, int *status, int *rownum, const char **name)
{
	const zb_simport_row *r = &((commit_ctx *)ctx)->imp->rows[i];
	*status = r->status;
	*rownum = r->rownum;
	*name = r->p.name;
}

static int commit_write(void *ctx, int i, const zb_audit_ev *by, zb_arena *ar, zb_err *e)
{
	commit_ctx *c = ctx;
	const zb_simport_row *r = &c->imp->rows[i];
	/* the session belongs to the member's own org */
	int64_t org_id = 0;
	int rc = zb_db_int(c->db, e, &org_id, "SELECT org_id FROM members WHERE id = ?", "i", r->member_id);
	if (rc)
		return rc;
	zb_study_session_in in = {.org_id = org_id, .kind = r->p.kind, .title = r->p.title, .held_on = r->p.held_on,
	                          .provider = r->p.provider, .hours10 = r->p.hours10, .member_ids = &r->member_id,
	                          .nmembers = 1, .batch_id = c->batch_id};
	int64_t id;
	return zb_study_session_insert(c->db, c->app, by, c->who, &in, ar, &id, e);
}

int zb_simport_apply(zb_app *app, zb_db *db, zb_simport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e)
{
	commit_ctx ctx = {app, db, who, imp, batch_id};
	zb_import_kind_commit c = {.kind = ZB_SIMPORT_KIND, .batch_id = batch_id, .org_path = imp->org_path,
	                           .counts = imp->counts, .nrows = imp->nrows, .row = commit_row,
	                           .write = commit_write, .ctx = &ctx};
	return zb_import_kind_apply(app, db, &c, actor, skip_errors, done, e);
}

void zb_simport_preview_json(zb_jw *w, const zb_simport *imp, int64_t batch_id)
{
	zb_import_kind_preview_head(w, batch_id, imp->filename, imp->format, imp->org_id, imp->org_name);
	jw_kint(w, "header_row", imp->header_row);
	zb_import_kind_counts_json(w, imp->counts);
	jw_karr(w, "rows");
	for (int i = 0; i < imp->nrows; i++)
		row_json(w, &imp->rows[i], 0, NULL);
	jw_arr_end(w);
	jw_obj_end(w);
}
