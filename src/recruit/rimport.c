/* rimport.c - import of an existing 发展党员 pipeline (发展党员台账): the
 * columns, the rows as applicants and histories, batches through the
 * roster import's (member/import.h), one-transaction commit.  See
 * rimport.h. */
#include "recruit/rimport.h"

#include "audit/audit.h"
#include "core/date.h"
#include "core/grow.h"
#include "crypto/fieldprot.h"
#include "io/sheet.h"
#include "member/idcard.h"
#include "member/member.h"
#include "org/org.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the columns the "no header" messages name */
#define HEADER_HINT "“姓名”“公民身份号码”“申请入党日期”"
#define MAX_STEPS 16
#define MAX_ERRS 12

/* ---- columns ------------------------------------------------------------ */

static const struct {
	zb_rcol col;
	const char *names[9];
} headers[] = {
	{ZB_RC_NAME, {"姓名", "名字", "申请人姓名", "申请人"}},
	{ZB_RC_GENDER, {"性别"}},
	{ZB_RC_ID, {"公民身份号码", "身份证号", "身份证号码", "公民身份证号码", "居民身份证号码", "身份证", "证件号码"}},
	{ZB_RC_BIRTH, {"出生日期", "出生年月", "出生年月日", "生日"}},
	{ZB_RC_ETHNICITY, {"民族"}},
	{ZB_RC_EDUCATION, {"学历", "文化程度", "最高学历"}},
	{ZB_RC_WORK_UNIT, {"工作单位", "单位", "工作单位及职务", "单位及职务"}},
	{ZB_RC_PHONE, {"联系电话", "电话", "手机", "手机号码", "联系方式"}},
	{ZB_RC_ORG, {"所在支部", "所在党支部", "党支部", "所属支部", "所属党支部", "所在组织", "党组织"}},
	{ZB_RC_SOURCE, {"人员来源", "来源", "人员类别", "身份"}},
	{ZB_RC_LEAGUE, {"推优", "团组织推优", "共青团推优", "是否推优", "是否团员推优"}},
	{ZB_RC_APPLIED, {"申请入党日期", "递交入党申请书日期", "申请入党时间", "入党申请日期", "递交申请书日期", "申请日期"}},
	{ZB_RC_TALK, {"谈话日期", "谈话时间", "派人谈话日期", "入党申请人谈话日期"}},
	{ZB_RC_TALKER, {"谈话人"}},
	{ZB_RC_ACTIVIST, {"确定积极分子日期", "确定入党积极分子日期", "确定为积极分子日期", "列为积极分子日期", "积极分子日期",
	                  "确定积极分子时间"}},
	{ZB_RC_CONTACTS, {"培养联系人", "培养人", "联系人"}},
	{ZB_RC_CANDIDATE, {"确定发展对象日期", "确定为发展对象日期", "列为发展对象日期", "发展对象日期", "确定发展对象时间"}},
	{ZB_RC_INTRODUCERS, {"介绍人", "入党介绍人"}},
	{ZB_RC_VETTING, {"政审", "政治审查", "政审日期", "政治审查日期", "政审结论"}},
	{ZB_RC_TRAINING, {"培训", "集中培训", "培训日期", "集中培训日期", "培训结业日期"}},
	{ZB_RC_PLENARY, {"接收预备党员日期", "支部大会日期", "支部大会讨论日期", "支部大会", "接收为预备党员日期",
	                 "支部大会通过日期", "入党日期"}},
	{ZB_RC_APPROVED, {"上级审批日期", "上级党委审批日期", "审批日期", "党委审批日期"}},
	{ZB_RC_OATH, {"入党宣誓日期", "宣誓日期", "入党宣誓"}},
	{ZB_RC_FULL, {"转正日期", "转正时间", "转为正式党员日期"}},
};
#define NHEADERS (sizeof headers / sizeof headers[0])

zb_rcol zb_rimport_header_col(const char *h)
{
	char buf[256];
	const char *s = zb_import_header_key(h, buf, sizeof buf);
	if (!s)
		return ZB_RC_NONE;
	for (size_t i = 0; i < NHEADERS; i++)
		for (size_t j = 0; j < 9 && headers[i].names[j]; j++)
			if (!strcmp(headers[i].names[j], s))
				return headers[i].col;
	return ZB_RC_NONE;
}

/* ---- one row, pure ---------------------------------------------------------- */

static void err_add(const char **errs, int *nerr, zb_arena *ar, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void err_add(const char **errs, int *nerr, zb_arena *ar, const char *fmt, ...)
{
	if (*nerr >= MAX_ERRS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errs[(*nerr)++] = zb_arena_strdup(ar, msg);
}

static const char *col_label(zb_rcol c)
{
	for (size_t i = 0; i < NHEADERS; i++)
		if (headers[i].col == c)
			return headers[i].names[0];
	return "";
}

/* A date cell: NULL when empty or not a date (an error added). */
static const char *date_cell(const zb_rimport_cells *c, zb_rcol col, zb_arena *ar, const char **errs, int *nerr)
{
	const char *v = c->v[col];
	char out[11];
	int prec;
	if (!v || !*v)
		return NULL;
	if (zb_member_date_parse(v, c->date1904, out, &prec)) {
		err_add(errs, nerr, ar, "%s“%s”无法识别为日期（可写作 2020-01-02、2020/1/2、2020.1.2 或 2020年1月2日）",
		        col_label(col), v);
		return NULL;
	}
	return zb_arena_strdup(ar, out);
}

/* "张三、李四" / "张三,李四" / "张三 李四" -> names. */
static int split_names(const char *v, zb_arena *ar, zb_rperson_in **out)
{
	*out = NULL;
	if (!v || !*v)
		return 0;
	zb_rperson_in *p = zb_arena_alloc(ar, 8 * sizeof *p);
	int n = 0;
	const char *s = v;
	while (*s && n < 8) {
		size_t len = 0;
		while (s[len] && s[len] != ',' && s[len] != ' ' && s[len] != '/' && s[len] != ';' &&
		       strncmp(s + len, "、", 3) && strncmp(s + len, "，", 3) && strncmp(s + len, "；", 3))
			len++;
		if (len)
			p[n++] = (zb_rperson_in){0, zb_arena_strndup(ar, s, len)};
		s += len;
		if (*s)
			s += (unsigned char)*s >= 0x80 ? 3 : 1;
	}
	*out = p;
	return n;
}

static int yes_cell(const char *v)
{
	static const char *const yes[] = {"是", "共青团推优", "团组织推优", "推优", "√", "Y", "y", "1", "有"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!strcmp(v, yes[i]))
			return 1;
	return 0;
}

static int no_cell(const char *v)
{
	static const char *const no[] = {"否", "党员推荐", "无", "×", "N", "n", "0", "-"};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (!strcmp(v, no[i]))
			return 1;
	return 0;
}

static zb_rstep_input *add_step(zb_rstep_input *steps, int *n, int step, const char *on)
{
	zb_rstep_input *s = &steps[(*n)++];
	*s = (zb_rstep_input){.step = step, .done_on = on, .training_days = -1, .training_hours = -1,
	                      .extend_months = -1};
	return s;
}

void zb_rimport_parse(const zb_rimport_cells *c, zb_arena *ar, zb_applicant *a, unsigned *given, zb_rstep_input *steps,
                      int *n, const char **errs, int *nerr)
{
	static const struct {
		zb_rcol col;
		unsigned bit;
		size_t off;
	} plain[] = {
		{ZB_RC_NAME, ZB_AF_NAME, offsetof(zb_applicant, name)},
		{ZB_RC_GENDER, ZB_AF_GENDER, offsetof(zb_applicant, gender)},
		{ZB_RC_ID, ZB_AF_ID, offsetof(zb_applicant, id_number)},
		{ZB_RC_ETHNICITY, ZB_AF_ETHNICITY, offsetof(zb_applicant, ethnicity)},
		{ZB_RC_EDUCATION, ZB_AF_EDUCATION, offsetof(zb_applicant, education)},
		{ZB_RC_WORK_UNIT, ZB_AF_WORK_UNIT, offsetof(zb_applicant, work_unit)},
		{ZB_RC_PHONE, ZB_AF_PHONE, offsetof(zb_applicant, phone)},
		{ZB_RC_SOURCE, ZB_AF_SOURCE, offsetof(zb_applicant, source)},
	};
	*given = 0;
	*n = 0;
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		const char *v = c->v[plain[i].col];
		if (v && *v) {
			*(const char **)((char *)a + plain[i].off) = v;
			*given |= plain[i].bit;
		}
	}
	const char *birth = date_cell(c, ZB_RC_BIRTH, ar, errs, nerr);
	char bbuf[11];
	int bprec = 3;
	if (birth)
		zb_member_date_parse(c->v[ZB_RC_BIRTH], c->date1904, bbuf, &bprec);
	/* "1998.03": the day comes from the ID number */
	if (birth && bprec == 3) {
		a->birth_date = birth;
		*given |= ZB_AF_BIRTH;
	}
	const char *d[ZB_RC_COUNT] = {0};
	static const zb_rcol dated[] = {ZB_RC_APPLIED, ZB_RC_TALK,    ZB_RC_ACTIVIST, ZB_RC_CANDIDATE,
	                                ZB_RC_PLENARY, ZB_RC_APPROVED, ZB_RC_OATH,     ZB_RC_FULL};
	for (size_t i = 0; i < sizeof dated / sizeof dated[0]; i++)
		d[dated[i]] = date_cell(c, dated[i], ar, errs, nerr);
	a->applied_on = d[ZB_RC_APPLIED];
	*given |= ZB_AF_APPLIED;
	if (!d[ZB_RC_APPLIED]) {
		if (!c->v[ZB_RC_APPLIED] || !*c->v[ZB_RC_APPLIED])
			err_add(errs, nerr, ar, "缺少申请入党日期");
		return;
	}
	add_step(steps, n, 1, d[ZB_RC_APPLIED]);
	if (d[ZB_RC_TALK]) {
		zb_rstep_input *s = add_step(steps, n, 2, d[ZB_RC_TALK]);
		zb_rperson_in *p;
		s->npeople = split_names(c->v[ZB_RC_TALKER], ar, &p);
		s->people = p;
	}
	const char *league = c->v[ZB_RC_LEAGUE];
	const char *rec = "members";
	if (league && *league) {
		if (yes_cell(league))
			rec = "league";
		else if (!no_cell(league))
			err_add(errs, nerr, ar, "推优“%s”应填写“是”或“否”", league);
	}
	if (d[ZB_RC_ACTIVIST]) {
		add_step(steps, n, 3, d[ZB_RC_ACTIVIST])->recommended_by = rec;
		zb_rperson_in *p;
		int np = split_names(c->v[ZB_RC_CONTACTS], ar, &p);
		if (np) {
			zb_rstep_input *s = add_step(steps, n, 5, d[ZB_RC_ACTIVIST]);
			s->people = p;
			s->npeople = np;
		}
	}
	if (d[ZB_RC_CANDIDATE]) {
		add_step(steps, n, 7, d[ZB_RC_CANDIDATE]);
		zb_rperson_in *p;
		int np = split_names(c->v[ZB_RC_INTRODUCERS], ar, &p);
		if (np) {
			zb_rstep_input *s = add_step(steps, n, 9, d[ZB_RC_CANDIDATE]);
			s->people = p;
			s->npeople = np;
		}
	}
	/* 政审: a date (合格), or 合格/不合格 followed by the date */
	const char *v = c->v[ZB_RC_VETTING];
	if (v && *v) {
		const char *concl = "pass";
		if (!strncmp(v, "不合格", 9)) {
			concl = "fail";
			v += 9;
		} else if (!strncmp(v, "合格", 6)) {
			v += 6;
		}
		while (*v == ' ' || !strncmp(v, "，", 3) || *v == ',')
			v += *v == ' ' || *v == ',' ? 1 : 3;
		char out[11];
		int prec;
		if (zb_member_date_parse(v, c->date1904, out, &prec))
			err_add(errs, nerr, ar, "政审“%s”应填写政审日期（可在前面写“合格”或“不合格”）", c->v[ZB_RC_VETTING]);
		else
			add_step(steps, n, 10, zb_arena_strdup(ar, out))->conclusion = concl;
	}
	v = c->v[ZB_RC_TRAINING];
	if (v && *v) {
		char out[11];
		int prec;
		if (zb_member_date_parse(v, c->date1904, out, &prec))
			err_add(errs, nerr, ar, "培训“%s”应填写集中培训（结业）日期", v);
		else
			add_step(steps, n, 11, zb_arena_strdup(ar, out));
	}
	if (d[ZB_RC_PLENARY])
		add_step(steps, n, 15, d[ZB_RC_PLENARY]);
	if (d[ZB_RC_APPROVED]) {
		if (!d[ZB_RC_PLENARY])
			err_add(errs, nerr, ar, "有上级审批日期，缺少接收预备党员（支部大会）日期");
		add_step(steps, n, 17, d[ZB_RC_APPROVED]);
	}
	if (d[ZB_RC_OATH])
		add_step(steps, n, 20, d[ZB_RC_OATH]);
	if (d[ZB_RC_FULL]) {
		if (!d[ZB_RC_APPROVED])
			err_add(errs, nerr, ar, "有转正日期，缺少上级审批（接收预备党员）日期");
		add_step(steps, n, 24, d[ZB_RC_FULL])->outcome = "full";
	}
	/* the 政审 and 培训 columns are placed by step number */
	for (int i = 1; i < *n; i++)
		for (int j = i; j > 0 && steps[j - 1].step > steps[j].step; j--) {
			zb_rstep_input t = steps[j];
			steps[j] = steps[j - 1];
			steps[j - 1] = t;
		}
}

/* ---- reading ----------------------------------------------------------------- */

typedef struct raw {
	int rownum;
	const char *v[ZB_RC_COUNT];
} raw;

static int header_col(const char *cell)
{
	return zb_rimport_header_col(cell);
}

/* The sheet's rows as raw rows: the known columns, cleaned. */
static int raw_rows(const zb_sheet *sh, zb_arena *a, raw **out, zb_err *e)
{
	raw *rows = calloc((size_t)sh->n + 1, sizeof *rows);
	if (!rows)
		return zb_fail(e, ZB_EINTERNAL, "file", "内存不足");
	for (int k = 0; k < sh->n; k++) {
		const zb_sheet_row *sr = &sh->rows[k];
		rows[k].rownum = sr->rownum;
		for (int i = 0; i < sr->n; i++)
			if (sh->col_map[i] != ZB_RC_NONE && sr->cells[i][0])
				rows[k].v[sh->col_map[i]] = zb_member_clean(a, sr->cells[i]);
	}
	*out = rows;
	return 0;
}

typedef struct proc {
	const zb_import_opts *o;
	zb_rimport *imp;
	zb_arena *a;
	int today;
	char upper[512];
	const char **seen;          /* blind indexes of the rows so far */
	int nseen;
	int date1904;
} proc;

typedef struct org_ids {
	int n;
	int64_t ids[2];
} org_ids;

static int add_org_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	org_ids *o = ctx;
	if (o->n < 2)
		o->ids[o->n++] = zb_col_int(st, 0);
	return 0;
}

/* The branch a row names (in the import's subtree), or the import's org. */
static int row_branch(proc *p, const char *name, zb_rimport_row *r, zb_err *e)
{
	zb_rimport *imp = p->imp;
	zb_org o;
	int64_t id = imp->org_id;
	if (name) {
		org_ids f = {0};
		int rc = zb_db_each(p->o->db, e, add_org_id, &f,
		                    "SELECT id FROM orgs WHERE path >= ? AND path < ? AND dissolved_on IS NULL "
		                    "AND (name = ? OR short_name = ? OR code = ?) ORDER BY path LIMIT 2",
		                    "sssss", imp->org_path, p->upper, name, name, name);
		if (rc)
			return rc;
		int n = f.n;
		int64_t *ids = f.ids;
		if (!n) {
			err_add(r->errors, &r->nerr, p->a, "所在支部“%s”不在 %s 下（或已撤销）", name, imp->org_name);
			return 0;
		}
		if (n > 1) {
			err_add(r->errors, &r->nerr, p->a, "%s 下有不止一个“%s”：请填写支部的全称或编码", imp->org_name, name);
			return 0;
		}
		id = ids[0];
	}
	int rc = zb_org_get(p->o->db, id, p->a, &o, e);
	if (rc)
		return rc;
	if (!zb_org_type_is_branch(o.type) || !strcmp(o.type, "group")) {
		err_add(r->errors, &r->nerr, p->a, name ? "“%s”不是党支部：发展党员由党支部负责" :
		                                         "未填写所在支部：%s 不是党支部，请在“所在支部”列填写",
		        o.name);
		return 0;
	}
	r->a.org_id = o.id;
	r->a.org_path = o.path;
	r->a.org_name = o.name;
	return 0;
}

static int process_row(proc *p, const raw *rw, zb_rimport_row *r, zb_err *e)
{
	zb_arena *a = p->a;
	const zb_import_opts *o = p->o;
	memset(r, 0, sizeof *r);
	r->rownum = rw->rownum;
	r->errors = zb_arena_alloc(a, sizeof(char *) * MAX_ERRS);
	r->steps = zb_arena_alloc(a, sizeof *r->steps * MAX_STEPS);
	zb_rimport_cells c = {.date1904 = p->date1904};
	memcpy(c.v, rw->v, sizeof c.v);
	zb_rimport_parse(&c, a, &r->a, &r->given, r->steps, &r->nsteps, r->errors, &r->nerr);
	int rc = row_branch(p, rw->v[ZB_RC_ORG], r, e);
	if (rc)
		return rc;
	if (!r->a.name)
		err_add(r->errors, &r->nerr, a, "缺少姓名");
	if (!r->a.id_number)
		err_add(r->errors, &r->nerr, a, "缺少公民身份号码（导入按身份证号识别申请人）");
	zb_err ce = {0};
	if (r->a.name && r->a.applied_on && zb_applicant_check(&r->a, r->given, p->today, a, &ce))
		err_add(r->errors, &r->nerr, a, "%s", ce.msg);
	if (r->nerr || !r->a.org_id)
		goto done;
	/* the age rule needs the birth date: from the ID number when not stated */
	zb_idcard card;
	if (!r->a.birth_date && !zb_idcard_parse(r->a.id_number, p->today, &card, &ce)) {
		r->a.birth_date = zb_arena_strdup(a, card.birth);
		r->given |= ZB_AF_BIRTH;
	}
	/* the ID number: once per file, not yet in the pipeline, on the
	 * roster only for a 预备党员 or 正式党员 per the sheet */
	char idx[65];
	if (zb_fp_blind_index(o->app->keys, r->a.id_number, idx))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法计算身份证号索引");
	for (int i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], idx)) {
			err_add(r->errors, &r->nerr, a, "公民身份号码与上面某一行重复");
			goto done;
		}
	p->seen[p->nseen++] = zb_arena_strdup(a, idx);
	int64_t in_pipeline = 0, member = 0;
	if ((rc = zb_applicant_find_id(o->db, idx, &in_pipeline, &member, e)))
		return rc;
	if (in_pipeline) {
		r->status = ZB_IROW_UNCHANGED; /* imported before */
		goto protect;
	}
	const char *flags_buf[MAX_STEPS] = {0};
	zb_err je = {0};
	if (zb_recruit_historic_judge(o->db, o->app, &r->a, r->steps, r->nsteps, a, flags_buf, &je)) {
		if (je.code == ZB_EINTERNAL)
			return *e = je, je.code;
		err_add(r->errors, &r->nerr, a, "%s", je.msg);
		goto done;
	}
	r->flags = zb_arena_alloc(a, sizeof(char *) * MAX_STEPS);
	memcpy(r->flags, flags_buf, sizeof flags_buf);
	int stage = ZB_RS_APPLICANT;
	for (int i = 0; i < r->nsteps; i++) {
		int s = r->steps[i].step;
		stage = s >= 24 ? ZB_RS_FULL
		        : s >= 17 ? ZB_RS_PROBATIONARY
		        : s >= 7  ? ZB_RS_CANDIDATE
		        : s >= 3  ? ZB_RS_ACTIVIST
		                  : stage;
	}
	r->stage = zb_rstage_code(stage);
	if (member) {
		if (stage < ZB_RS_PROBATIONARY) {
			err_add(r->errors, &r->nerr, a, "该身份证号已有党员登记，已是党员的不能再列入发展对象");
			goto done;
		}
		r->member_id = member;
	}
protect:
	/* the plaintext goes no further than this read */
	if ((rc = zb_applicant_protect(&r->a, r->given, o->app->keys, a, e)))
		return rc;
	r->a.id_number = r->a.phone = NULL;
	if (r->status != ZB_IROW_UNCHANGED)
		r->status = ZB_IROW_NEW;
	return 0;
done:
	r->status = ZB_IROW_ERROR;
	r->a.id_number = r->a.phone = NULL;
	return 0;
}

void zb_rimport_free(zb_rimport *imp)
{
	if (!imp)
		return;
	zb_arena_free(&imp->arena);
	free(imp);
}

static zb_rimport *rimport_new(void)
{
	zb_rimport *imp = calloc(1, sizeof *imp);
	if (imp)
		zb_arena_init(&imp->arena);
	return imp;
}

static zb_rimport_row *add_row(zb_rimport *imp)
{
	ZB_AGROW(&imp->arena, imp->rows, (size_t)imp->nrows, imp->cap);
	zb_rimport_row *r = &imp->rows[imp->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

static void count_row(zb_rimport *imp, const zb_rimport_row *r)
{
	imp->counts[r->status]++;
	for (int i = 0; r->flags && i < r->nsteps; i++)
		if (r->flags[i]) {
			imp->flagged++;
			break;
		}
}

int zb_rimport_read(const zb_import_opts *o, const void *data, size_t len, zb_rimport **out, zb_err *e)
{
	*out = NULL;
	zb_table_limits lim;
	zb_table_limits_resolve(o->limits, &lim);
	int rc = zb_sheet_check_size(&lim, len, e);
	if (rc)
		return rc;
	zb_rimport *imp = rimport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_sheet rd = {.arena = &imp->arena, .col = header_col, .key_col = -1, .hint = HEADER_HINT};
	raw *rows = NULL;
	zb_org org;
	rc = zb_org_get(o->db, o->org_id, &imp->arena, &org, e);
	if (rc) {
		if (rc == ZB_ENOTFOUND)
			zb_fail(e, ZB_ENOTFOUND, "org", "未找到导入到的组织");
		goto fail;
	}
	imp->org_id = org.id;
	imp->org_path = org.path;
	imp->org_name = org.name;
	imp->filename = zb_arena_strdup(&imp->arena, o->filename ? o->filename : "");
	if ((rc = zb_sheet_read(&rd, data, len, &lim, e)))
		goto fail;
	imp->format = rd.format == ZB_TABLE_XLSX ? ZB_RIMPORT_KIND "-xlsx" : ZB_RIMPORT_KIND "-csv";
	imp->header_row = rd.header_row;
	int have[ZB_RC_COUNT] = {0};
	for (int i = 0; i < rd.ncols; i++)
		if (rd.col_map[i] != ZB_RC_NONE)
			have[rd.col_map[i]] = 1;
	if (!have[ZB_RC_NAME] || !have[ZB_RC_ID] || !have[ZB_RC_APPLIED]) {
		rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行表头中没有“%s”列：导入需要姓名、公民身份号码和申请入党日期三列",
		             imp->header_row, !have[ZB_RC_NAME] ? "姓名" : !have[ZB_RC_ID] ? "公民身份号码" : "申请入党日期");
		goto fail;
	}
	proc p = {.o = o, .imp = imp, .a = &imp->arena, .today = zb_today_int(o->app), .date1904 = rd.info.date1904};
	zb_path_upper(imp->org_path, p.upper, sizeof p.upper);
	p.seen = zb_arena_alloc(&imp->arena, sizeof(char *) * (size_t)(rd.n + 1));
	if ((rc = raw_rows(&rd, &imp->arena, &rows, e)))
		goto fail;
	for (int i = 0; i < rd.n; i++) {
		int blank = 1;
		for (int k = 0; k < ZB_RC_COUNT; k++)
			blank &= !rows[i].v[k];
		if (blank)
			continue;
		zb_rimport_row *r = add_row(imp);
		if ((rc = process_row(&p, &rows[i], r, e)))
			goto fail;
		count_row(imp, r);
	}
	if (!imp->nrows) {
		rc = zb_fail(e, ZB_EINVAL, "file", "文件中表头（第 %d 行）以下没有数据", imp->header_row);
		goto fail;
	}
	free(rows);
	zb_sheet_free(&rd);
	*out = imp;
	return 0;
fail:
	free(rows);
	zb_sheet_free(&rd);
	zb_rimport_free(imp);
	return rc ? rc : ZB_EINTERNAL;
}

/* ---- batches ------------------------------------------------------------------- */

/* A row as JSON: stored (with the protected forms) or for the preview. */
static void row_json(zb_jw *w, const zb_rimport_row *r, int stored)
{
	const zb_applicant *a = &r->a;
	jw_obj(w);
	jw_kint(w, "row", r->rownum);
	jw_kstr(w, "status", zb_irow_status_code(r->status));
	jw_kstr(w, "name", a->name);
	jw_kstr(w, "id_masked", a->id_masked);
	jw_kint(w, "org_id", a->org_id);
	jw_kstr(w, "org_name", a->org_name);
	jw_kstr(w, "stage", r->stage);
	if (r->member_id)
		jw_kint(w, "member_id", r->member_id);
	if (stored) {
		jw_kint(w, "given", r->given);
		jw_kstr(w, "org_path", a->org_path);
#define S(f) jw_kstr(w, #f, a->f);
		S(gender) S(birth_date) S(id_enc) S(id_index) S(ethnicity) S(education) S(work_unit) S(phone_enc)
		S(phone_masked) S(source) S(applied_on)
#undef S
	}
	jw_karr(w, "steps");
	for (int i = 0; i < r->nsteps; i++) {
		const zb_rstep_input *s = &r->steps[i];
		jw_obj(w);
		jw_kint(w, "step", s->step);
		jw_kstr(w, "name", zb_rstep_name(s->step));
		jw_kstr(w, "done_on", s->done_on);
		jw_kstr(w, "flag", r->flags ? r->flags[i] : NULL);
		if (s->npeople) {
			jw_karr(w, "people");
			for (int k = 0; k < s->npeople; k++)
				jw_str(w, s->people[k].name);
			jw_arr_end(w);
		}
		if (stored) {
			jw_kstr(w, "recommended_by", s->recommended_by);
			jw_kstr(w, "conclusion", s->conclusion);
			jw_kstr(w, "outcome", s->outcome);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "errors");
	for (int i = 0; i < r->nerr; i++)
		jw_str(w, r->errors[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

static int stored_row(void *ctx, int i, zb_jw *w, zb_import_batch_row *out)
{
	zb_rimport *imp = ctx;
	const zb_rimport_row *r = &imp->rows[i];
	row_json(w, r, 1);
	*out = (zb_import_batch_row){r->rownum, r->status, r->member_id, 0};
	return 0;
}

int zb_rimport_save(zb_app *app, zb_db *db, zb_rimport *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e)
{
	zb_import_batch_in in = {.org_id = imp->org_id, .org_path = imp->org_path, .filename = imp->filename,
	                         .format = imp->format, .nrows = imp->nrows, .counts = imp->counts, .row = stored_row,
	                         .ctx = imp};
	return zb_import_batch_store(app, db, &in, actor, batch_id, e);
}

static const char *jstr(zb_arena *a, json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? zb_arena_strdup(a, s) : NULL;
}

static int add_stored(void *ctx, json_t *j, int rownum, int status, zb_err *e)
{
	zb_rimport *imp = ctx;
	zb_arena *a = &imp->arena;
	(void)e;
	zb_rimport_row *r = add_row(imp);
	zb_applicant *ap = &r->a;
	r->rownum = rownum;
	r->status = status;
	r->given = (unsigned)json_integer_value(json_object_get(j, "given"));
	r->member_id = json_integer_value(json_object_get(j, "member_id"));
	r->stage = jstr(a, j, "stage");
	ap->org_id = json_integer_value(json_object_get(j, "org_id"));
#define S(f) ap->f = jstr(a, j, #f);
	S(org_path) S(org_name) S(name) S(gender) S(birth_date) S(id_enc) S(id_index) S(id_masked) S(ethnicity)
	S(education) S(work_unit) S(phone_enc) S(phone_masked) S(source) S(applied_on)
#undef S
	json_t *steps = json_object_get(j, "steps");
	size_t n = json_array_size(steps);
	r->steps = zb_arena_alloc(a, sizeof *r->steps * (n + 1));
	r->flags = zb_arena_alloc(a, sizeof(char *) * (n + 1));
	for (size_t i = 0; i < n; i++) {
		json_t *s = json_array_get(steps, i);
		zb_rstep_input *in = add_step(r->steps, &r->nsteps, (int)json_integer_value(json_object_get(s, "step")),
		                              jstr(a, s, "done_on"));
		in->recommended_by = jstr(a, s, "recommended_by");
		in->conclusion = jstr(a, s, "conclusion");
		in->outcome = jstr(a, s, "outcome");
		r->flags[i] = jstr(a, s, "flag");
		json_t *pp = json_object_get(s, "people");
		size_t np = json_array_size(pp);
		zb_rperson_in *p = zb_arena_alloc(a, sizeof *p * (np + 1));
		for (size_t k = 0; k < np; k++)
			p[k] = (zb_rperson_in){0, zb_arena_strdup(a, json_string_value(json_array_get(pp, k)))};
		in->people = p;
		in->npeople = (int)np;
	}
	zb_import_kind_errors(j, a, &r->errors, &r->nerr);
	count_row(imp, r);
	return 0;
}

int zb_rimport_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, zb_rimport **out, zb_err *e)
{
	*out = NULL;
	zb_rimport *imp = rimport_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_import_batch b;
	int rc = zb_import_kind_load(app, db, batch_id, user_id, ZB_RIMPORT_KIND, &imp->arena, &b, add_stored, imp, e);
	imp->org_id = b.org_id;
	imp->org_path = b.org_path;
	imp->org_name = b.org_name;
	imp->filename = b.filename;
	imp->format = b.format;
	if (rc) {
		zb_rimport_free(imp);
		return rc;
	}
	*out = imp;
	return 0;
}

/* ---- commit ---------------------------------------------------------------------- */

typedef struct commit_ctx {
	zb_app *app;
	zb_db *db;
	const zb_principal *who;
	const zb_actor *actor;
	zb_rimport *imp;
} commit_ctx;

static void commit_row(void *ctx, int i, int *status, int *rownum, const char **name)
{
	const zb_rimport_row *r = &((commit_ctx *)ctx)->imp->rows[i];
	*status = r->status;
	*rownum = r->rownum;
	*name = r->a.name;
}

static int commit_write(void *ctx, int i, const zb_audit_ev *by, zb_arena *ar, zb_err *e)
{
	commit_ctx *c = ctx;
	zb_app *app = c->app;
	zb_db *db = c->db;
	const zb_rimport_row *r = &c->imp->rows[i];
	zb_org o;
	zb_applicant a = r->a;
	a.member_id = r->member_id;
	int rc = zb_org_get(db, a.org_id, ar, &o, e);
	if (!rc && o.dissolved_on)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "%s 已撤销", o.name);
	if (!rc && !zb_authz_allows(c->who, P_MEMBER_WRITE, o.path))
		rc = zb_fail(e, ZB_EFORBIDDEN, NULL, "%s 不在您的管理范围内", o.name);
	if (!rc)
		rc = zb_applicant_reveal(&a, app->keys, ar, e);
	if (!rc)
		rc = zb_applicant_insert(db, app, by, c->actor->user_id, &a, r->given | ZB_AF_ID | ZB_AF_PHONE, ar, e);
	if (!rc)
		rc = zb_recruit_historic_write(db, app, by, c->who, a.id, r->steps, r->nsteps, r->member_id, ar, e);
	return rc;
}

int zb_rimport_apply(zb_app *app, zb_db *db, zb_rimport *imp, int64_t batch_id, const zb_actor *actor,
                     const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e)
{
	commit_ctx ctx = {app, db, who, actor, imp};
	zb_import_kind_commit c = {.kind = ZB_RIMPORT_KIND, .batch_id = batch_id, .org_path = imp->org_path,
	                           .counts = imp->counts, .nrows = imp->nrows, .row = commit_row,
	                           .write = commit_write, .ctx = &ctx};
	return zb_import_kind_apply(app, db, &c, actor, skip_errors, done, e);
}

void zb_rimport_preview_json(zb_jw *w, const zb_rimport *imp, int64_t batch_id)
{
	zb_import_kind_preview_head(w, batch_id, imp->filename, imp->format, imp->org_id, imp->org_name);
	jw_kstr(w, "org_trail", imp->org_trail);
	zb_import_kind_counts_json(w, imp->counts);
	jw_kint(w, "flagged", imp->flagged);
	jw_karr(w, "rows");
	for (int i = 0; i < imp->nrows; i++)
		row_json(w, &imp->rows[i], 0);
	jw_arr_end(w);
	jw_obj_end(w);
}
