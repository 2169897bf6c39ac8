/* aimport.c - import of households and pairings (帮扶台账): the columns,
 * one row as a household and its helpers, batches through the roster
 * import's (member/import.h), one-transaction commit.  See aimport.h. */
#include "aid/aimport.h"

#include "auth/authz.h"
#include "core/grow.h"
#include "crypto/fieldprot.h"
#include "io/sheet.h"
#include "member/member.h"
#include "org/org.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns --------------------------------------------------------------------- */

static const struct {
	zb_acol col;
	const char *names[8];
} acols[] = {
	{ZB_AC_HEAD, {"户主姓名", "户主", "姓名", "户主名称"}},
	{ZB_AC_ID, {"身份证号", "户主身份证号", "公民身份号码", "身份证号码", "户主身份证号码", "证件号码"}},
	{ZB_AC_PHONE, {"联系电话", "电话", "手机", "手机号码", "联系方式"}},
	{ZB_AC_VILLAGE, {"所在村", "村", "行政村", "村名", "所属村", "村党组织"}},
	{ZB_AC_GROUP, {"村民小组", "组", "村民组", "小组", "责任区"}},
	{ZB_AC_ADDRESS, {"住址", "家庭住址", "地址"}},
	{ZB_AC_CATEGORY, {"类别", "户类别", "帮扶类别", "户类型", "人口类型"}},
	{ZB_AC_STATUS, {"帮扶状态", "状态", "当前状态"}},
	{ZB_AC_SINCE, {"状态日期", "认定日期", "识别日期", "状态起始日期"}},
	{ZB_AC_PEOPLE, {"家庭成员", "家庭成员及关系", "成员"}},
	{ZB_AC_HELPERS, {"帮扶责任人", "帮扶人", "结对帮扶人", "帮扶干部"}},
	{ZB_AC_CONTACTS, {"联系党员", "党员联系人", "联系户党员"}},
	{ZB_AC_FROM, {"结对日期", "结对时间", "帮扶开始日期", "结对开始日期"}},
};
#define NACOLS (sizeof acols / sizeof acols[0])

zb_acol zb_aimport_header_col(const char *h)
{
	char buf[256];
	const char *s = zb_import_header_key(h, buf, sizeof buf);
	for (size_t i = 0; s && i < NACOLS; i++)
		for (size_t j = 0; j < 8 && acols[i].names[j]; j++)
			if (!strcmp(acols[i].names[j], s))
				return acols[i].col;
	return ZB_AC_NONE;
}

/* ---- one row, pure -------------------------------------------------------------------- */

static void problem(const char **errs, int *nerr, zb_arena *ar, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void problem(const char **errs, int *nerr, zb_arena *ar, const char *fmt, ...)
{
	if (*nerr >= ZB_AIMPORT_MAX_ERRS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errs[(*nerr)++] = zb_arena_strdup(ar, msg);
}

/* The next item of a list separated by 、，,；; or spaces: its start and
 * length, s moved past it; 0 at the end. */
static size_t next_item(const char **s)
{
	static const char *const seps[] = {"、", "，", "；", ",", ";", " ", "/"};
	for (;;) {
		const char *p = *s;
		size_t len = 0;
		while (p[len]) {
			size_t k = 0;
			while (k < sizeof seps / sizeof seps[0] && strncmp(p + len, seps[k], strlen(seps[k])))
				k++;
			if (k < sizeof seps / sizeof seps[0])
				break;
			len++;
		}
		if (!p[len] && !len)
			return 0;
		if (len)
			return len;
		/* a separator: skip it */
		size_t k = 0;
		while (strncmp(p, seps[k], strlen(seps[k])))
			k++;
		*s = p + strlen(seps[k]);
	}
}

static int names_of(const char *v, zb_arena *ar, const char **out, const char *label, const char **errs, int *nerr)
{
	int n = 0;
	const char *s = v;
	size_t len;
	while (s && (len = next_item(&s))) {
		if (n == ZB_AIMPORT_MAX_NAMES) {
			problem(errs, nerr, ar, "%s至多 %d 人", label, ZB_AIMPORT_MAX_NAMES);
			break;
		}
		out[n++] = zb_arena_strndup(ar, s, len);
		s += len;
	}
	return n;
}

/* "张三（妻子）" / "张三(妻子)" -> name and relation. */
static int person_of(const char *item, size_t len, zb_arena *ar, zb_aid_person *p)
{
	char *s = zb_arena_strndup(ar, item, len);
	char *open = strstr(s, "（");
	size_t ol = 3;
	if (!open) {
		open = strchr(s, '(');
		ol = 1;
	}
	if (!open || open == s)
		return -1;
	char *rel = open + ol;
	char *close = strstr(rel, "）");
	if (!close)
		close = strchr(rel, ')');
	if (!close || close == rel || close[(unsigned char)*close == ')' ? 1 : 3])
		return -1;
	*open = '\0';
	*close = '\0';
	p->name = s;
	p->relation = rel;
	return 0;
}

static const char *date_of(const zb_aimport_cells *c, zb_acol col, const char *label, zb_arena *ar,
                           const char **errs, int *nerr)
{
	const char *v = c->v[col];
	if (!v || !*v)
		return NULL;
	char out[11];
	int prec;
	if (zb_member_date_parse(v, c->date1904, out, &prec) || prec != 3) {
		problem(errs, nerr, ar, "%s“%s”无法识别为日期（可写作 2026-01-02、2026/1/2 或 2026年1月2日）", label, v);
		return NULL;
	}
	return zb_arena_strdup(ar, out);
}

void zb_aimport_parse(const zb_aimport_cells *c, zb_arena *ar, zb_aimport_parsed *out, const char **errs, int *nerr)
{
	memset(out, 0, sizeof *out);
	zb_aid_household *h = &out->h;
	h->head_name = c->v[ZB_AC_HEAD];
	h->id_number = c->v[ZB_AC_ID];
	h->phone = c->v[ZB_AC_PHONE];
	h->village_group = c->v[ZB_AC_GROUP];
	h->address = c->v[ZB_AC_ADDRESS];
	h->category = c->v[ZB_AC_CATEGORY];
	h->status = c->v[ZB_AC_STATUS];
	if (h->category && !zb_aid_category_from(h->category))
		problem(errs, nerr, ar, "类别“%s”应为 脱贫户、监测户、低保户、特困供养户 或 其他", h->category);
	if (h->status && !zb_aid_status_from(h->status))
		problem(errs, nerr, ar, "帮扶状态“%s”应为 在帮、已脱贫 或 监测户", h->status);
	h->status_since = date_of(c, ZB_AC_SINCE, "状态日期", ar, errs, nerr);
	out->from_on = date_of(c, ZB_AC_FROM, "结对日期", ar, errs, nerr);
	const char *s = c->v[ZB_AC_PEOPLE];
	size_t len, cap = 0;
	while (s && (len = next_item(&s))) {
		zb_aid_person p;
		if (h->npeople == 20) {
			problem(errs, nerr, ar, "家庭成员至多 20 人");
			break;
		}
		if (person_of(s, len, ar, &p)) {
			problem(errs, nerr, ar, "家庭成员“%.*s”应写作 姓名（与户主关系），如 王芳（妻子）", (int)len, s);
			break;
		}
		ZB_AGROW(ar, h->people, (size_t)h->npeople + 1, cap);
		h->people[h->npeople++] = p;
		s += len;
	}
	out->nhelpers = names_of(c->v[ZB_AC_HELPERS], ar, out->helpers, "帮扶责任人", errs, nerr);
	out->ncontacts = names_of(c->v[ZB_AC_CONTACTS], ar, out->contacts, "联系党员", errs, nerr);
}

/* ---- reading a file ------------------------------------------------------------------------ */

typedef struct reader {
	const zb_import_opts *o;
	zb_aimport *imp;
	zb_arena *a;
	char today[11];
	char upper[512];
	const char **seen;
	int nseen;
	int village_here;         /* the import's org is a village itself */
} reader;

typedef struct found {
	zb_arena *ar;
	int n;
	int64_t id[3];
	const char *path[3], *name[3];
} found;

static int add_found(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	found *f = ctx;
	if (f->n == 3)
		return ZB_DB_STOP;
	f->id[f->n] = zb_col_int(st, 0);
	f->path[f->n] = zb_arena_strdup(f->ar, zb_col_text(st, 1));
	f->name[f->n] = zb_arena_strdup(f->ar, zb_col_text(st, 2));
	f->n++;
	return 0;
}

/* The village a row names, or the import's org when it is one. */
static int row_village(reader *rd, const char *name, zb_aimport_row *r, zb_err *e)
{
	zb_aid_household *h = &r->p.h;
	if (!name) {
		if (!rd->village_here) {
			problem(r->errors, &r->nerr, rd->a, "未填写所在村：%s 不是村党组织，请在“所在村”列填写", rd->imp->org_name);
			return 0;
		}
		h->org_id = rd->imp->org_id;
		h->org_path = rd->imp->org_path;
		h->org_name = rd->imp->org_name;
		return 0;
	}
	found f = {.ar = rd->a};
	int rc = zb_db_each(rd->o->db, e, add_found, &f,
	                    "SELECT o.id, o.path, o.name FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.path >= ? "
	                    "AND o.path < ? AND o.dissolved_on IS NULL AND " ZB_ORG_VILLAGE("o", "p") " AND (o.name = ? "
	                    "OR o.short_name = ? OR o.code = ? OR o.name = ? OR o.name = ?) ORDER BY o.path LIMIT 3",
	                    "sssssss", rd->imp->org_path, rd->upper, name, name, name,
	                    zb_arena_printf(rd->a, "中共%s支部委员会", name),
	                    zb_arena_printf(rd->a, "中共%s总支部委员会", name));
	if (rc)
		return rc;
	if (f.n != 1) {
		problem(r->errors, &r->nerr, rd->a,
		        f.n ? "%s 下有不止一个“%s”：请填写村党组织的全称或编码" : "所在村“%s”不在 %s 下（或已撤销）",
		        f.n ? rd->imp->org_name : name, f.n ? name : rd->imp->org_name);
		return 0;
	}
	h->org_id = f.id[0];
	h->org_path = f.path[0];
	h->org_name = f.name[0];
	return 0;
}

/* Members on the roster by name for the helpers (anywhere the importer
 * may read, or cadres of the registry kept where the importer may read)
 * or the contacts (members in the village). */
static int row_people(reader *rd, zb_aimport_row *r, int contacts, zb_err *e)
{
	const char **names = contacts ? r->p.contacts : r->p.helpers;
	int n = contacts ? r->p.ncontacts : r->p.nhelpers;
	int64_t *ids = contacts ? r->contact_ids : r->helper_ids;
	const char *label = contacts ? "联系党员" : "帮扶责任人";
	for (int i = 0; i < n; i++) {
		found f = {.ar = rd->a};
		int rc = zb_db_each(rd->o->db, e, add_found, &f,
		                    "SELECT id, org_path, name FROM members WHERE name = ? AND status IN ('normal', 'mobile') "
		                    "ORDER BY id LIMIT 50",
		                    "s", names[i]);
		if (rc && rc != ZB_DB_STOP)
			return rc;
		int nmembers = f.n;
		if (!contacts && (rc = zb_db_each(rd->o->db, e, add_found, &f,
		                                  "SELECT id, org_path, name FROM cadres WHERE name = ? ORDER BY id LIMIT 50",
		                                  "s", names[i])) &&
		    rc != ZB_DB_STOP)
			return rc;
		int hit = -1, hits = 0;
		for (int k = 0; k < f.n; k++) {
			if (rd->o->who && !zb_authz_allows(rd->o->who, P_MEMBER_READ, f.path[k]))
				continue;
			if (contacts && strncmp(f.path[k], r->p.h.org_path, strlen(r->p.h.org_path)))
				continue;
			hit = k;
			hits++;
		}
		if (hits != 1)
			problem(r->errors, &r->nerr, rd->a,
			        hits ? "%s“%s”有重名：请在户的页面上结对" : contacts ? "%s“%s”不是本村党员名册中的党员"
			                                                     : "%s“%s”不在党员名册中（或不在您的管理范围内）",
			        label, names[i]);
		else
			ids[i] = f.id[hit];
		if (!contacts)
			r->helper_cadre[i] = hit >= nmembers;
	}
	return 0;
}

static int read_row(reader *rd, const zb_aimport_cells *c, int rownum, zb_aimport_row *r, zb_err *e)
{
	zb_arena *a = rd->a;
	r->rownum = rownum;
	r->errors = zb_arena_alloc(a, sizeof(char *) * ZB_AIMPORT_MAX_ERRS);
	zb_aimport_parse(c, a, &r->p, r->errors, &r->nerr);
	zb_aid_household *h = &r->p.h;
	int rc = row_village(rd, c->v[ZB_AC_VILLAGE], r, e);
	if (rc)
		return rc;
	if (!h->id_number)
		problem(r->errors, &r->nerr, a, "缺少户主身份证号（导入按身份证号识别帮扶户）");
	zb_err ce = {0};
	if (!r->nerr && zb_aid_household_check(h, rd->today, a, &ce))
		problem(r->errors, &r->nerr, a, "%s", ce.msg);
	if (!r->nerr && !r->p.from_on)
		r->p.from_on = h->status_since;
	if (r->nerr)
		goto bad;
	char idx[65];
	if (zb_fp_blind_index(rd->o->app->keys, h->id_number, idx))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法计算身份证号索引");
	for (int i = 0; i < rd->nseen; i++)
		if (!strcmp(rd->seen[i], idx)) {
			problem(r->errors, &r->nerr, a, "户主身份证号与上面某一行重复");
			goto bad;
		}
	rd->seen[rd->nseen++] = zb_arena_strdup(a, idx);
	int64_t existing = 0;
	if ((rc = zb_aid_household_find_id(rd->o->db, idx, &existing, e)))
		return rc;
	if (!existing && ((rc = row_people(rd, r, 0, e)) || (rc = row_people(rd, r, 1, e))))
		return rc;
	if (r->nerr)
		goto bad;
	r->status = existing ? ZB_IROW_UNCHANGED : ZB_IROW_NEW;
	/* bound to row 0 until the household has its id; the plaintext goes
	 * no further than this read */
	h->id = 0;
	if ((rc = zb_aid_household_protect(h, rd->o->app->keys, a, e)))
		return rc;
	h->id_number = h->phone = NULL;
	return 0;
bad:
	r->status = ZB_IROW_ERROR;
	h->id_number = h->phone = NULL;
	return 0;
}

static zb_aimport *aimport_new(void)
{
	zb_aimport *imp = calloc(1, sizeof *imp);
	if (imp)
		zb_arena_init(&imp->arena);
	return imp;
}

void zb_aimport_free(zb_aimport *imp)
{
	if (!imp)
		return;
	zb_arena_free(&imp->arena);
	free(imp);
}

static zb_aimport_row *new_row(zb_aimport *imp)
{
	ZB_AGROW(&imp->arena, imp->rows, (size_t)imp->nrows + 1, imp->cap);
	zb_aimport_row *r = &imp->rows[imp->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

static int col_of(const char *cell)
{
	return zb_aimport_header_col(cell);
}

int zb_aimport_read(const zb_import_opts *o, const void *data, size_t len, zb_aimport **out, zb_err *e)
{
	*out = NULL;
	zb_table_limits lim;
	zb_table_limits_resolve(o->limits, &lim);
	int rc = zb_sheet_check_size(&lim, len, e);
	if (rc)
		return rc;
	zb_aimport *imp = aimport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_sheet sh = {.arena = &imp->arena, .col = col_of, .key_col = ZB_AC_HEAD, .hint = "“户主姓名”“身份证号”“类别”"};
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
	if ((rc = zb_org_is_village(o->db, org.id, &rd.village_here, e)))
		goto fail;
	imp->filename = zb_arena_strdup(&imp->arena, o->filename ? o->filename : "");
	zb_path_upper(org.path, rd.upper, sizeof rd.upper);
	if ((rc = zb_sheet_read(&sh, data, len, &lim, e)))
		goto fail;
	imp->format = sh.format == ZB_TABLE_XLSX ? ZB_AIMPORT_KIND "-xlsx" : ZB_AIMPORT_KIND "-csv";
	imp->header_row = sh.header_row;
	int have[ZB_AC_COUNT] = {0};
	for (int i = 0; i < sh.ncols; i++)
		if (sh.col_map[i] >= 0)
			have[sh.col_map[i]] = 1;
	static const struct {
		zb_acol col;
		const char *name;
	} needed[] = {{ZB_AC_HEAD, "户主姓名"}, {ZB_AC_ID, "身份证号"}, {ZB_AC_CATEGORY, "类别"}, {ZB_AC_STATUS, "帮扶状态"}};
	for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++)
		if (!have[needed[k].col]) {
			rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行表头中没有“%s”列：导入需要户主姓名、身份证号、类别和帮扶状态四列",
			             imp->header_row, needed[k].name);
			goto fail;
		}
	rd.seen = zb_arena_alloc(&imp->arena, sizeof(char *) * (size_t)(sh.n + 1));
	for (int k = 0; k < sh.n; k++) {
		const zb_sheet_row *sr = &sh.rows[k];
		zb_aimport_cells c = {.date1904 = sh.info.date1904};
		int blank = 1;
		for (int i = 0; i < sr->n; i++)
			if (sh.col_map[i] >= 0 && sr->cells[i][0] && !c.v[sh.col_map[i]]) {
				c.v[sh.col_map[i]] = zb_member_clean(&imp->arena, sr->cells[i]);
				blank &= !c.v[sh.col_map[i]];
			}
		if (blank)
			continue;
		zb_aimport_row *r = new_row(imp);
		if ((rc = read_row(&rd, &c, sr->rownum, r, e)))
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
	zb_aimport_free(imp);
	return rc ? rc : ZB_EINTERNAL;
}

/* ---- batches ------------------------------------------------------------------------------ */

static void names_json(zb_jw *w, const char *k, const char *const *names, const int64_t *ids, const int *cadre, int n,
                       int stored)
{
	jw_karr(w, k);
	for (int i = 0; i < n; i++) {
		if (stored) {
			jw_obj(w);
			jw_kint(w, "id", ids[i]);
			jw_kstr(w, "name", names[i]);
			jw_kbool(w, "cadre", cadre && cadre[i]);
			jw_obj_end(w);
		} else {
			jw_str(w, names[i]);
		}
	}
	jw_arr_end(w);
}

/* A row as JSON: stored (with the protected forms) or for the preview. */
static void row_json(zb_jw *w, const zb_aimport_row *r, int stored)
{
	const zb_aid_household *h = &r->p.h;
	jw_obj(w);
	jw_kint(w, "row", r->rownum);
	jw_kstr(w, "status", zb_irow_status_code(r->status));
	jw_kstr(w, "head_name", h->head_name);
	jw_kstr(w, "id_masked", h->id_masked);
	jw_kint(w, "org_id", h->org_id);
	jw_kstr(w, "org_name", h->org_name);
	jw_kstr(w, "village_group", h->village_group);
	jw_kstr(w, "category", zb_aid_category_from(h->category));
	jw_kstr(w, "household_status", zb_aid_status_from(h->status));
	jw_kstr(w, "status_since", h->status_since);
	jw_kstr(w, "from_on", r->p.from_on);
	jw_karr(w, "people");
	for (int i = 0; i < h->npeople; i++) {
		jw_obj(w);
		jw_kstr(w, "name", h->people[i].name);
		jw_kstr(w, "relation", h->people[i].relation);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	names_json(w, "helpers", r->p.helpers, r->helper_ids, r->helper_cadre, r->p.nhelpers, stored);
	names_json(w, "contacts", r->p.contacts, r->contact_ids, NULL, r->p.ncontacts, stored);
	if (stored) {
		jw_kstr(w, "org_path", h->org_path);
#define S(f) jw_kstr(w, #f, h->f);
		S(id_enc) S(id_index) S(phone_enc) S(phone_masked) S(address)
#undef S
	}
	jw_karr(w, "errors");
	for (int i = 0; i < r->nerr; i++)
		jw_str(w, r->errors[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

static int stored_row(void *ctx, int i, zb_jw *w, zb_import_batch_row *out)
{
	zb_aimport *imp = ctx;
	const zb_aimport_row *r = &imp->rows[i];
	row_json(w, r, 1);
	*out = (zb_import_batch_row){r->rownum, r->status, 0, 0};
	return 0;
}

int zb_aimport_save(zb_app *app, zb_db *db, zb_aimport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e)
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

static int names_from(zb_arena *a, json_t *arr, const char **names, int64_t *ids, int *cadre)
{
	int n = 0;
	for (size_t i = 0; i < json_array_size(arr) && n < ZB_AIMPORT_MAX_NAMES; i++, n++) {
		json_t *x = json_array_get(arr, i);
		names[n] = jtext(a, x, "name");
		ids[n] = json_integer_value(json_object_get(x, "id"));
		if (cadre)
			cadre[n] = json_is_true(json_object_get(x, "cadre"));
	}
	return n;
}

static int load_row(zb_stmt *st, void *ctx, zb_err *e)
{
	zb_aimport *imp = ctx;
	zb_arena *a = &imp->arena;
	json_t *j = json_loads(zb_col_text(st, 0), 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return zb_fail(e, ZB_EINTERNAL, NULL, "导入批次数据已损坏，请重新上传");
	}
	zb_aimport_row *r = new_row(imp);
	zb_aid_household *h = &r->p.h;
	r->rownum = (int)json_integer_value(json_object_get(j, "row"));
	const char *code = json_string_value(json_object_get(j, "status"));
	r->status = ZB_IROW_ERROR;
	for (int k = 0; code && k < ZB_IROW_NSTATUS; k++)
		if (!strcmp(code, zb_irow_status_code(k)))
			r->status = k;
	h->org_id = json_integer_value(json_object_get(j, "org_id"));
	h->status = jtext(a, j, "household_status");
#define S(f) h->f = jtext(a, j, #f);
	S(head_name) S(id_masked) S(org_name) S(org_path) S(village_group) S(category) S(status_since) S(id_enc)
	S(id_index) S(phone_enc) S(phone_masked) S(address)
#undef S
	r->p.from_on = jtext(a, j, "from_on");
	json_t *people = json_object_get(j, "people");
	h->npeople = (int)json_array_size(people);
	h->people = zb_arena_alloc(a, ((size_t)h->npeople + 1) * sizeof *h->people);
	for (int i = 0; i < h->npeople; i++) {
		h->people[i].name = jtext(a, json_array_get(people, (size_t)i), "name");
		h->people[i].relation = jtext(a, json_array_get(people, (size_t)i), "relation");
	}
	r->p.nhelpers = names_from(a, json_object_get(j, "helpers"), r->p.helpers, r->helper_ids, r->helper_cadre);
	r->p.ncontacts = names_from(a, json_object_get(j, "contacts"), r->p.contacts, r->contact_ids, NULL);
	json_t *errs = json_object_get(j, "errors");
	r->errors = zb_arena_alloc(a, sizeof(char *) * (json_array_size(errs) + 1));
	for (size_t i = 0; i < json_array_size(errs); i++)
		r->errors[r->nerr++] = zb_arena_strdup(a, json_string_value(json_array_get(errs, i)));
	imp->counts[r->status]++;
	json_decref(j);
	return 0;
}

int zb_aimport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_aimport **out, zb_err *e)
{
	*out = NULL;
	zb_aimport *imp = aimport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_import_batch b;
	int rc = zb_import_batch_open(app, db, batch_id, user_id, ZB_AIMPORT_KIND, &imp->arena, &b, e);
	if (!rc) {
		imp->org_id = b.org_id;
		imp->org_path = b.org_path;
		imp->org_name = b.org_name;
		imp->filename = b.filename;
		imp->format = b.format;
		rc = zb_db_each(db, e, load_row, imp, "SELECT data FROM import_rows WHERE batch_id = ? ORDER BY seq", "i",
		                batch_id);
	}
	if (rc) {
		zb_aimport_free(imp);
		return rc;
	}
	*out = imp;
	return 0;
}

/* ---- commit ---------------------------------------------------------------------------------- */

static int write_row(zb_app *app, zb_db *db, const zb_audit_ev *by, const zb_principal *who, zb_aimport_row *r,
                     zb_arena *ar, zb_err *e)
{
	zb_aid_household h = r->p.h;
	const char *path;
	int rc = zb_aid_village_check(db, h.org_id, "org_id", ar, &path, NULL, e);
	if (!rc && who && !zb_authz_allows(who, P_MEMBER_WRITE, path))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "%s 不在您的管理范围内", h.org_name);
	h.id = 0;
	h.org_path = path;
	if (!rc)
		rc = zb_aid_household_reveal(&h, app->keys, ar, e);
	if (!rc)
		rc = zb_aid_household_insert(db, app, by, &h, ar, e);
	for (int i = 0; !rc && i < r->p.nhelpers + r->p.ncontacts; i++) {
		int c = i >= r->p.nhelpers, cadre = !c && r->helper_cadre[i];
		int64_t pair_id, id = c ? r->contact_ids[i - r->p.nhelpers] : r->helper_ids[i];
		rc = zb_aid_pair_insert(db, app, by, who, h.id, c ? "contact" : "helper", cadre ? 0 : id, cadre ? id : 0,
		                        r->p.from_on, ar, &pair_id, e);
	}
	return rc;
}

static int apply_in_tx(zb_app *app, zb_db *db, zb_aimport *imp, int64_t batch_id, const zb_actor *actor,
                       const zb_principal *who, int64_t *done, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n,
	                   "UPDATE import_batches SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'preview'",
	                   "ii", zb_now(app), batch_id);
	if (!rc && !n)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该导入批次已经提交过，不能重复提交");
	zb_audit_ev by = {.user_id = actor->user_id, .username = actor->username, .ip = actor->ip};
	for (int i = 0; !rc && i < imp->nrows; i++) {
		zb_aimport_row *r = &imp->rows[i];
		if (r->status != ZB_IROW_NEW) {
			done[r->status]++;
			continue;
		}
		zb_arena ar;
		zb_arena_init(&ar);
		if ((rc = write_row(app, db, &by, who, r, &ar, e))) {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e->msg);
			zb_fail(e, e->code ? e->code : ZB_EINTERNAL, NULL, "第 %d 行（%s）：%s", r->rownum,
			        r->p.h.head_name ? r->p.h.head_name : "", why);
		} else {
			done[ZB_IROW_NEW]++;
		}
		zb_arena_free(&ar);
	}
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM import_rows WHERE batch_id = ?", "i", batch_id);
	if (!rc)
		rc = zb_member_audit(db, app, actor, "import.commit", "import", batch_id, imp->org_path,
		                     zb_arena_printf(&imp->arena,
		                                     "{\"batch\":%lld,\"kind\":\"" ZB_AIMPORT_KIND "\",\"new\":%lld,"
		                                     "\"unchanged\":%lld,\"error\":%lld}",
		                                     (long long)batch_id, (long long)done[ZB_IROW_NEW],
		                                     (long long)done[ZB_IROW_UNCHANGED], (long long)done[ZB_IROW_ERROR]),
		                     e);
	return rc;
}

int zb_aimport_apply(zb_app *app, zb_db *db, zb_aimport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e)
{
	memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	if (imp->counts[ZB_IROW_ERROR] && !skip_errors)
		return zb_fail(e, ZB_EINVAL, NULL, "有 %lld 行有错误：请改正后重新上传，或选择跳过这些行再提交",
		               (long long)imp->counts[ZB_IROW_ERROR]);
	int rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = zb_db_end(db, apply_in_tx(app, db, imp, batch_id, actor, who, done, e), e);
	if (rc)
		memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	return rc;
}

void zb_aimport_preview_json(zb_jw *w, const zb_aimport *imp, int64_t batch_id)
{
	jw_obj(w);
	jw_kint(w, "id", batch_id);
	jw_kstr(w, "status", "preview");
	jw_kstr(w, "filename", imp->filename);
	jw_kstr(w, "format", imp->format);
	jw_kint(w, "org_id", imp->org_id);
	jw_kstr(w, "org_name", imp->org_name);
	jw_kint(w, "header_row", imp->header_row);
	jw_kobj(w, "counts");
	jw_kint(w, "new", imp->counts[ZB_IROW_NEW]);
	jw_kint(w, "unchanged", imp->counts[ZB_IROW_UNCHANGED]);
	jw_kint(w, "error", imp->counts[ZB_IROW_ERROR]);
	jw_obj_end(w);
	jw_karr(w, "rows");
	for (int i = 0; i < imp->nrows; i++)
		row_json(w, &imp->rows[i], 0);
	jw_arr_end(w);
	jw_obj_end(w);
}
