/* import.c - roster import: header mapping, row checking, matching,
 * batches, all-or-nothing apply.  See import.h for the contract. */
#include "member/import.h"
#include "member/probation.h"

#include "audit/audit.h"
#include "core/buf.h"
#include "core/escape.h"
#include "core/grow.h"
#include "core/log.h"
#include "crypto/fieldprot.h"
#include "io/sheet.h"
#include "member/idcard.h"
#include "org/after.h"
#include "org/org.h"
#include "text/pinyin.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_TTL (24 * 3600)
/* Rows written per transaction of a batch commit: small enough that
 * other writers wait well under a second for each, large enough that the
 * chain head and roll-ups are written once for many rows. */
#define CHUNK_ROWS 500
/* A batch uploading or committing whose lease (expires_at) has run out was
 * abandoned by a process that died: expired, or reverted, by the next
 * upload (or, on SQLite, at the start of zhibu serve). */
#define COMMIT_LEASE 120
/* the columns the "no header" messages name */
#define HEADER_HINT "“姓名”“身份证号”“性别”“入党日期”"
#define SKIP_ROW (-1) /* process_row: not a member row */

/* ---- header names ------------------------------------------------------ */

/* bit: the member field of the column (its label is the header the
 * exporter writes); header: the exporter's header of the others. */
static const struct {
	zb_icol col;
	unsigned bit;
	const char *header;
	const char *names[8];
} headers[] = {
	{ZB_ICOL_NAME, ZB_MF_NAME, NULL, {"姓名", "党员姓名", "名字"}},
	{ZB_ICOL_GENDER, ZB_MF_GENDER, NULL, {"性别"}},
	{ZB_ICOL_ETHNICITY, ZB_MF_ETHNICITY, NULL, {"民族"}},
	{ZB_ICOL_BIRTH, ZB_MF_BIRTH, NULL, {"出生日期", "出生年月", "出生年月日", "出生时间", "生日"}},
	{ZB_ICOL_ID, ZB_MF_ID, NULL, {"身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证", "居民身份证号码"}},
	{ZB_ICOL_NATIVE, ZB_MF_NATIVE, NULL, {"籍贯"}},
	{ZB_ICOL_EDUCATION, ZB_MF_EDUCATION, NULL, {"学历", "文化程度", "最高学历", "全日制学历"}},
	{ZB_ICOL_DEGREE, ZB_MF_DEGREE, NULL, {"学位", "最高学位"}},
	{ZB_ICOL_WORK_AND_JOB, 0, "工作单位及职务", {"工作单位及职务", "单位职务", "单位及职务", "工作单位及职务职称"}},
	{ZB_ICOL_WORK_UNIT, ZB_MF_WORK_UNIT, NULL, {"工作单位", "单位", "单位名称"}},
	{ZB_ICOL_JOB, ZB_MF_JOB, NULL, {"职务", "现任职务", "职务职称", "岗位"}},
	{ZB_ICOL_CATEGORY, ZB_MF_CATEGORY, NULL, {"人员类别", "党员类别", "类别", "党员类型", "党员身份"}},
	{ZB_ICOL_JOIN, ZB_MF_JOIN, NULL, {"入党日期", "入党时间", "入党年月"}},
	{ZB_ICOL_FULL, ZB_MF_FULL, NULL, {"转正日期", "转正时间", "转正年月"}},
	{ZB_ICOL_PHONE, ZB_MF_PHONE, NULL, {"联系电话", "手机号码", "电话", "手机号", "手机", "联系方式", "电话号码"}},
	{ZB_ICOL_ADDRESS, ZB_MF_ADDRESS, NULL, {"现居住地", "住址", "家庭住址", "现住址", "居住地", "现居住地址"}},
	{ZB_ICOL_ORG, 0, "所在党支部", {"所在党支部", "所在组织", "党组织", "所在支部", "所属党支部", "所属支部", "党支部", "所在党组织"}},
	{ZB_ICOL_GROUP, 0, "党小组", {"党小组", "所在党小组", "所属党小组"}},
	{ZB_ICOL_STATUS, ZB_MF_STATUS, NULL, {"状态", "党籍状态", "党员状态"}},
	{ZB_ICOL_REMARKS, ZB_MF_REMARKS, NULL, {"备注", "说明"}},
};
#define NHEADERS (sizeof headers / sizeof headers[0])

const char *zb_import_col_header(zb_icol c)
{
	for (size_t i = 0; i < NHEADERS; i++)
		if (headers[i].col == c)
			return headers[i].bit ? zb_member_field_of(headers[i].bit)->label : headers[i].header;
	return NULL;
}

const char *zb_import_header_key(const char *h, char *buf, size_t size)
{
	if (!h || size < 8)
		return NULL;
	zb_arena a;
	zb_arena_init(&a);
	char *c = zb_member_clean(&a, h);
	if (!c) {
		zb_arena_free(&a);
		return NULL;
	}
	/* drop every blank and bracketed note: "出 生 日 期（年月日）" */
	size_t n = 0;
	int depth = 0;
	for (const char *p = c; *p && n + 4 < size;) {
		if (!strncmp(p, "（", 3) || *p == '(') {
			depth++;
			p += *p == '(' ? 1 : 3;
			continue;
		}
		if (!strncmp(p, "）", 3) || *p == ')') {
			if (depth)
				depth--;
			p += *p == ')' ? 1 : 3;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		if (!strncmp(p, "\u3000", 3)) {
			p += 3;
			continue;
		}
		if (depth) {
			p++;
			continue;
		}
		buf[n++] = *p++;
	}
	buf[n] = '\0';
	zb_arena_free(&a);
	char *s = buf;
	while (*s == '*')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == '*')
		s[--n] = '\0';
	if (n >= 3 && !strcmp(s + n - 3, "："))
		s[n -= 3] = '\0';
	if (n && s[n - 1] == ':')
		s[--n] = '\0';
	return s;
}

zb_icol zb_import_header_col(const char *h)
{
	char buf[256];
	const char *s = zb_import_header_key(h, buf, sizeof buf);
	if (!s)
		return ZB_ICOL_NONE;
	for (size_t i = 0; i < NHEADERS; i++)
		for (size_t j = 0; j < 8 && headers[i].names[j]; j++)
			if (!strcmp(headers[i].names[j], s))
				return headers[i].col;
	return ZB_ICOL_NONE;
}

const char *zb_irow_status_code(int s)
{
	static const char *const names[] = {"new", "update", "unchanged", "error"};
	return s >= 0 && s < ZB_IROW_NSTATUS ? names[s] : "error";
}

/* ---- reading ----------------------------------------------------------- */

static int header_col(const char *cell)
{
	return zb_import_header_col(cell);
}

/* ---- row processing ----------------------------------------------------- */

typedef struct org_hit {
	const char *key;
	int n;                 /* matches (up to 8) */
	int64_t ids[8];
} org_hit;

typedef struct proc {
	const zb_import_opts *o;
	zb_import *imp;
	zb_arena *a;
	int today;
	char today_s[11];
	char upper[512];
	/* ID numbers seen: open addressing on the blind index */
	const char **seen_key;
	int *seen_row;
	size_t seen_cap;
	org_hit *orgs;
	int norgs;
	zb_rules *rules;          /* "membership" rule sets on today */
	size_t orgs_cap;          /* org_hit hash table size (power of 2) */
	int date1904;
} proc;

static void row_err(zb_import *imp, zb_import_row *r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void row_err(zb_import *imp, zb_import_row *r, const char *fmt, ...)
{
	if (r->nerr >= 12)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	for (int i = 0; i < r->nerr; i++)
		if (!strcmp(r->errors[i], msg))
			return;
	if (!r->errors)
		r->errors = zb_arena_alloc(&imp->arena, sizeof(char *) * 12);
	r->errors[r->nerr++] = zb_arena_strdup(&imp->arena, msg);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* 0 if new; else the row number that had it first. */
static int seen_check(proc *p, const char *key, int rownum)
{
	size_t mask = p->seen_cap - 1;
	for (size_t i = hash_str(key) & mask;; i = (i + 1) & mask) {
		if (!p->seen_key[i]) {
			p->seen_key[i] = key;
			p->seen_row[i] = rownum;
			return 0;
		}
		if (!strcmp(p->seen_key[i], key))
			return p->seen_row[i];
	}
}

typedef struct org_ids {
	int64_t ids[8];
	int n;
} org_ids;

static int add_org_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	org_ids *o = ctx;
	if (o->n < 8)
		o->ids[o->n++] = zb_col_int(st, 0);
	return 0;
}

/* Orgs of the import subtree named (or coded) key, cached per file in an
 * open-addressing table (a county file names a thousand branches). */
static int org_lookup(proc *p, const char *key, org_hit **out, zb_err *e)
{
	if ((size_t)(p->norgs + 1) * 2 > p->orgs_cap) {
		size_t cap = p->orgs_cap ? p->orgs_cap * 2 : 64;
		org_hit *n = zb_arena_alloc(p->a, sizeof *n * cap);
		for (size_t i = 0; i < p->orgs_cap; i++) {
			if (!p->orgs[i].key)
				continue;
			size_t j = hash_str(p->orgs[i].key) & (cap - 1);
			while (n[j].key)
				j = (j + 1) & (cap - 1);
			n[j] = p->orgs[i];
		}
		p->orgs = n;
		p->orgs_cap = cap;
	}
	size_t mask = p->orgs_cap - 1, i = hash_str(key) & mask;
	for (; p->orgs[i].key; i = (i + 1) & mask)
		if (!strcmp(p->orgs[i].key, key)) {
			*out = &p->orgs[i];
			return 0;
		}
	org_hit *h = &p->orgs[i];
	memset(h, 0, sizeof *h);
	org_ids found = {.n = 0};
	int rc = zb_db_each(p->o->db, e, add_org_id, &found,
	                    "SELECT id FROM orgs WHERE path >= ? AND path < ? AND dissolved_on IS NULL "
	                    "AND (name = ? OR short_name = ? OR code = ?) ORDER BY path LIMIT 8",
	                    "sssss", p->imp->org_path, p->upper, key, key, key);
	if (rc)
		return rc;
	h->key = zb_arena_strdup(p->a, key);
	h->n = found.n;
	memcpy(h->ids, found.ids, sizeof found.ids[0] * (size_t)found.n);
	p->norgs++;
	*out = h;
	return 0;
}

/* "N 列" (xlsx) or "第 14 列" (CSV) of file column i (0-based). */
static const char *col_name(zb_import *imp, int i, char *buf, size_t n)
{
	if (imp->format && !strcmp(imp->format, "csv")) {
		snprintf(buf, n, "第 %d 列", i + 1);
		return buf;
	}
	char letters[8];
	int k = 0;
	for (int c = i + 1; c > 0 && k < 7; c = (c - 1) / 26)
		letters[k++] = (char)('A' + (c - 1) % 26);
	size_t o = 0;
	while (k && o + 1 < n)
		buf[o++] = letters[--k];
	snprintf(buf + o, n - o, " 列");
	return buf;
}

/* The file column of c and its header as written in the file; -1 if none. */
static int file_col(const zb_import *imp, zb_icol c, const char **header)
{
	for (int i = 0; i < imp->ncols; i++)
		if (imp->col_map[i] == c) {
			*header = imp->col_headers[i];
			return i;
		}
	*header = zb_import_col_header(c);
	return -1;
}

/* 正式党员 without 转正日期: say where in the file and what to write. */
static void full_date_missing(zb_import *imp, zb_import_row *r)
{
	const char *fh, *ch;
	int fc = file_col(imp, ZB_ICOL_FULL, &fh);
	int cc = file_col(imp, ZB_ICOL_CATEGORY, &ch);
	char fcol[24], ccol[24];
	const char *cat = cc >= 0 ? zb_arena_printf(&imp->arena, "“%s”（%s）", ch, col_name(imp, cc, ccol, sizeof ccol))
	                          : "人员类别";
	if (fc >= 0)
		row_err(imp, r,
		        "第 %d 行%s是正式党员，但“%s”（%s）是空的：请在第 %d 行 %s填写转正日期，如 2013-07-01；"
		        "尚未转正的，请把%s改为预备党员",
		        r->rownum, cat, fh, col_name(imp, fc, fcol, sizeof fcol), r->rownum, fcol, cat);
	else
		row_err(imp, r,
		        "第 %d 行%s是正式党员，但文件中没有“转正日期”列：请在表头加一列“转正日期”，并在第 %d 行填写转正日期，"
		        "如 2013-07-01；尚未转正的，请把%s改为预备党员",
		        r->rownum, cat, r->rownum, cat);
}

static int may_import(const zb_import_opts *o, const char *path)
{
	return !o->who || zb_authz_allows(o->who, P_MEMBER_IMPORT, path);
}

static int is_sci(const char *s)
{
	/* 1.10105E+17 as a CSV or a text cell keeps it */
	if (!s || !(*s >= '0' && *s <= '9'))
		return 0;
	const char *e = strpbrk(s, "eE");
	return e && strspn(s, "0123456789.") == (size_t)(e - s) && (e[1] == '+' || (e[1] >= '0' && e[1] <= '9'));
}

/* A row read into an arena: a member, a brief. */
typedef struct arena_row {
	zb_arena *a;
	void *row;
} arena_row;

static void read_old_member(zb_stmt *st, void *ctx)
{
	arena_row *r = ctx;
	zb_member_read(st, 0, r->a, r->row);
}

static void read_group(zb_stmt *st, void *ctx)
{
	arena_row *r = ctx;
	zb_member *m = r->row;
	m->group_id = zb_col_int(st, 0);
	m->group_name = zb_arena_strdup(r->a, zb_col_text(st, 1));
}

static int process_row(proc *p, const zb_sheet_row *raw, zb_import_row *r, zb_err *e)
{
	zb_import *imp = p->imp;
	zb_arena *a = p->a;
	const zb_import_opts *o = p->o;
	zb_member in = {0};
	unsigned given = 0;
	const char *cell[ZB_ICOL_COUNT] = {0};
	unsigned char kind[ZB_ICOL_COUNT] = {0};
	int present[ZB_ICOL_COUNT] = {0};
	memset(r, 0, sizeof *r);
	r->rownum = raw->rownum;
	for (int i = 0; i < imp->ncols; i++) {
		int c = imp->col_map[i];
		if (c == ZB_ICOL_NONE || c >= ZB_ICOL_COUNT)
			continue;
		present[c] = 1;
		if (i < raw->n) {
			cell[c] = zb_member_clean(a, raw->cells[i]);
			kind[c] = raw->kinds[i];
		}
	}
	/* the template's sample row: never imported */
	if (cell[ZB_ICOL_NAME] && !strncmp(cell[ZB_ICOL_NAME], ZB_IMPORT_SAMPLE_MARK, strlen(ZB_IMPORT_SAMPLE_MARK))) {
		imp->samples_skipped++;
		return SKIP_ROW;
	}
	/* a footer line ("制表人：…", "注：…") is not a member: no ID number
	 * and a single cell, empty name or a "label：" note */
	if (!cell[ZB_ICOL_ID]) {
		int nonempty = 0;
		for (int i = 0; i < raw->n; i++)
			nonempty += raw->cells[i][0] != '\0' && imp->col_map[i] != ZB_ICOL_NONE;
		const char *nm = cell[ZB_ICOL_NAME];
		if (nonempty <= 1 && (!nm || strstr(nm, "：") || strchr(nm, ':')))
			return SKIP_ROW;
	}
	/* the cells of member fields: text as it is, dates as people type
	 * them (or Excel serials); the ID number below */
	int birth_prec = 3;
	for (size_t i = 0; i < NHEADERS; i++) {
		const zb_member_field *f = headers[i].bit ? zb_member_field_of(headers[i].bit) : NULL;
		zb_icol col = headers[i].col;
		if (!f || f->bit == ZB_MF_ID || !present[col])
			continue;
		given |= f->bit;
		const char *v = cell[col];
		if (f->type != 'd') {
			*zb_member_field_ptr(&in, f) = v;
			continue;
		}
		if (!v)
			continue;
		char out[11];
		int prec;
		if (zb_member_date_parse(v, p->date1904, out, &prec)) {
			row_err(imp, r, "%s“%s”无法识别为日期（可写作 2020-01-02、2020/1/2、2020.1.2 或 2020年1月2日）",
			        f->label, v);
			given &= ~f->bit;
			continue;
		}
		*zb_member_field_ptr(&in, f) = zb_arena_strdup(a, out);
		if (col == ZB_ICOL_BIRTH)
			birth_prec = prec;
	}
	if (present[ZB_ICOL_STATUS] && !cell[ZB_ICOL_STATUS])
		given &= ~(unsigned)ZB_MF_STATUS; /* an empty status cell keeps the status */
	if (present[ZB_ICOL_CATEGORY] && !cell[ZB_ICOL_CATEGORY])
		given &= ~(unsigned)ZB_MF_CATEGORY;
	/* 工作单位及职务 in one cell: kept whole as the work unit */
	if (present[ZB_ICOL_WORK_AND_JOB] && !present[ZB_ICOL_WORK_UNIT]) {
		in.work_unit = cell[ZB_ICOL_WORK_AND_JOB];
		given |= ZB_MF_WORK_UNIT;
	}

	/* the ID number: required, it is how rows match members */
	zb_member *old = NULL;
	const char *id_raw = cell[ZB_ICOL_ID];
	given |= ZB_MF_ID;
	zb_idcard card;
	int id_ok = 0;
	if (!id_raw) {
		row_err(imp, r, "缺少身份证号（导入按身份证号匹配党员）");
	} else if (is_sci(id_raw)) {
		row_err(imp, r, "身份证号是科学计数法形式，后几位已经丢失：请把身份证号列设为“文本”格式后重新录入");
	} else if (kind[ZB_ICOL_ID] == ZB_CELL_NUMBER && strlen(id_raw) >= 16 && strspn(id_raw, "0123456789") == strlen(id_raw) &&
	           !strcmp(id_raw + strlen(id_raw) - 3, "000")) {
		/* Excel keeps 15 significant digits: an 18-digit number typed
		 * into a number cell ends in 000, whatever the checksum says */
		row_err(imp, r,
		        "身份证号被存成了数字，Excel 只保留 15 位有效数字，末尾几位已经丢失：请把身份证号列设为“文本”格式后重新录入");
	} else {
		zb_err ie = {0};
		if (zb_idcard_parse(id_raw, p->today, &card, &ie)) {
			if (kind[ZB_ICOL_ID] == ZB_CELL_NUMBER && strlen(id_raw) >= 15)
				row_err(imp, r,
				        "身份证号被存成了数字，Excel 只保留 15 位有效数字，末尾几位已经丢失：请把身份证号列设为“文本”格式后重新录入");
			else
				row_err(imp, r, "%s", ie.msg);
		} else {
			id_ok = 1;
			in.id_number = zb_arena_strdup(a, card.number);
		}
	}
	char idx[65] = "";
	if (id_ok) {
		if (zb_fp_blind_index(o->app->keys, card.number, idx))
			return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法计算身份证号索引");
		int first = seen_check(p, zb_arena_strdup(a, idx), r->rownum);
		if (first) {
			row_err(imp, r, "身份证号与第 %d 行重复", first);
			id_ok = 0;
		}
	}
	if (id_ok) {
		zb_member *m = zb_arena_alloc(a, sizeof *m);
		arena_row ar = {a, m};
		int rc = zb_db_one(o->db, e, NULL, read_old_member, &ar,
		                   "SELECT " ZB_MEMBER_COLS ZB_MEMBER_FROM " WHERE m.id_index = ?", "s", idx);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (!rc)
			old = m;
		if (old && !may_import(o, old->org_path)) {
			row_err(imp, r, "该身份证号已在其他组织登记，不在您的管理范围内");
			imp->registered_elsewhere++;
			old = NULL;
			id_ok = 0;
		}
		if (!old)
			imp->checked_outside++;
	}
	/* month precision (出生年月 1990.01): the ID gives the day */
	if (id_ok && in.birth_date && birth_prec == 2) {
		if (strncmp(in.birth_date, card.birth, 7))
			row_err(imp, r, "出生日期 %.7s 与身份证号中的 %s 不一致", in.birth_date, card.birth);
		in.birth_date = NULL;
		given &= ~(unsigned)ZB_MF_BIRTH;
	}

	/* the record as it would be written */
	zb_member *nw = &r->m;
	if (old) {
		*nw = *old;
		if (zb_member_reveal(old, o->app->keys, a, e))
			return e->code;
		nw->phone = old->phone;
		r->member_id = old->id;
		r->member_version = old->updated_at;
	}
	zb_member_copy_given(nw, &in, given);
	if (present[ZB_ICOL_WORK_AND_JOB] && !present[ZB_ICOL_WORK_UNIT] && !present[ZB_ICOL_JOB]) {
		/* one cell for both: unchanged when it equals "unit job" as stored */
		const char *was = old ? (old->job_title ? zb_arena_printf(a, "%s %s", old->work_unit ? old->work_unit : "",
		                                                          old->job_title)
		                                        : old->work_unit)
		                      : NULL;
		if (old && was && in.work_unit && !strcmp(was, in.work_unit)) {
			nw->work_unit = old->work_unit;
			nw->job_title = old->job_title;
		} else {
			nw->job_title = NULL;
		}
	}

	/* where the member goes */
	int placed = 0;
	const char *org_cell = cell[ZB_ICOL_ORG];
	int64_t target = 0;
	if (org_cell) {
		org_hit *h = NULL;
		int rc = org_lookup(p, org_cell, &h, e);
		if (rc)
			return rc;
		if (!h->n) {
			row_err(imp, r, "所在党支部“%s”不在%s之内（按组织名称或编码查找）", org_cell, imp->org_name);
		} else if (h->n == 1) {
			target = h->ids[0];
		} else {
			for (int i = 0; i < h->n && old; i++)
				if (h->ids[i] == old->org_id || h->ids[i] == old->group_id)
					target = h->ids[i];
			if (!target)
				row_err(imp, r, "%s之内有多个名为“%s”的组织，请改填组织编码", imp->org_name, org_cell);
		}
	} else if (old && zb_path_within(old->org_path, imp->org_path)) {
		target = old->org_id;
		placed = 1; /* stays where it is, group included */
		nw->org_id = old->org_id;
		nw->org_path = old->org_path;
		nw->org_name = old->org_name;
	} else {
		target = imp->org_id;
	}
	if (target && !placed) {
		zb_err pe = {0};
		int64_t keep_group = nw->group_id;
		if (zb_member_place(o->db, NULL, target, nw, a, &pe)) {
			if (pe.code == ZB_EDB || pe.code == ZB_EINTERNAL || pe.code == ZB_EUNAVAIL) {
				*e = pe;
				return pe.code;
			}
			if (!org_cell && target == imp->org_id)
				row_err(imp, r, "%s：请在“所在党支部”列填写党员所在的党支部", pe.msg);
			else
				row_err(imp, r, "%s", pe.msg);
			target = 0;
		} else {
			placed = 1;
			/* the same branch again keeps its 党小组 unless the file says */
			if (old && nw->org_id == old->org_id && !nw->group_id && !present[ZB_ICOL_GROUP]) {
				nw->group_id = keep_group;
				nw->group_name = old->group_name;
			}
		}
	}
	if (placed && !may_import(o, nw->org_path)) {
		row_err(imp, r, "所在党支部不在您的管理范围内");
		placed = 0;
	}
	if (placed && present[ZB_ICOL_GROUP]) {
		const char *g = cell[ZB_ICOL_GROUP];
		if (!g) {
			if (!(org_cell && nw->group_id)) /* "所在党支部" named a group itself */
				nw->group_id = 0, nw->group_name = NULL;
		} else {
			arena_row ar = {a, nw};
			int rc = zb_db_one(o->db, e, NULL, read_group, &ar,
			                   "SELECT id, name FROM orgs WHERE parent_id = ? AND type = 'group' "
			                   "AND dissolved_on IS NULL AND (name = ? OR short_name = ? OR code = ?)",
			                   "isss", nw->org_id, g, g, g);
			if (rc == ZB_ENOTFOUND)
				row_err(imp, r, "党小组“%s”不在%s之下", g, nw->org_name);
			else if (rc)
				return rc;
		}
	}

	/* the roster rules on the whole record */
	zb_member_rules rules;
	if (zb_member_rules_from(p->rules, placed ? nw->org_path : imp->org_path, &rules, e))
		return e->code;
	zb_member_errs errs;
	if (!id_ok)
		nw->id_number = NULL;
	zb_member_check(nw, given, &rules, p->today, a, &errs, NULL);
	for (int i = 0; i < errs.n; i++) {
		if (!strcmp(errs.err[i].field, "full_date") && !nw->full_date && nw->category &&
		    !strcmp(nw->category, "full"))
			full_date_missing(imp, r);
		else
			row_err(imp, r, "%s", errs.err[i].msg);
	}
	if (!errs.n) {
		zb_err pe = {0};
		int prc = zb_member_check_probation(o->db, old, nw, &pe);
		if (prc == ZB_EINVAL)
			row_err(imp, r, "%s", pe.msg);
		else if (prc)
			return zb_fail(e, (zb_code)prc, pe.field, "%s", pe.msg);
	}
	if (!nw->name && cell[ZB_ICOL_NAME])
		nw->name = cell[ZB_ICOL_NAME];
	r->given = given;
	if (r->nerr || !placed || !id_ok) {
		if (!r->nerr)
			row_err(imp, r, "无法确定所在党支部");
		r->status = ZB_IROW_ERROR;
		if (nw->id_number || id_raw) {
			zb_buf mb = {0};
			zb_mask_id_number(nw->id_number ? nw->id_number : id_raw, &mb);
			nw->id_masked = zb_arena_strndup(a, mb.data ? mb.data : "", mb.len);
			zb_buf_release(&mb);
		}
		nw->id_number = nw->phone = NULL;
		return 0;
	}
	if (zb_member_protect(nw, given, o->app->keys, a, e))
		return e->code;
	if (old) {
		r->nchanges = zb_member_compare(old, nw, a, &r->changes);
		r->status = r->nchanges ? ZB_IROW_UPDATE : ZB_IROW_UNCHANGED;
		if (!r->nchanges) { /* keep the stored ciphertexts: nothing to write */
			nw->id_enc = old->id_enc;
			nw->phone_enc = old->phone_enc;
		}
	} else {
		r->status = ZB_IROW_NEW;
	}
	/* plaintext ends here: a batch holds ciphertext only */
	nw->id_number = nw->phone = NULL;
	return 0;
}

void zb_import_free(zb_import *imp)
{
	if (!imp)
		return;
	zb_arena_free(&imp->arena);
	free(imp);
}

static zb_import *import_new(void)
{
	zb_import *imp = calloc(1, sizeof *imp);
	if (imp)
		zb_arena_init(&imp->arena);
	return imp;
}

static int add_row(zb_import *imp, zb_import_row **out)
{
	ZB_AGROW(&imp->arena, imp->rows, (size_t)imp->nrows, imp->cap);
	*out = &imp->rows[imp->nrows++];
	memset(*out, 0, sizeof **out);
	return 0;
}

int zb_import_read(const zb_import_opts *o, const void *data, size_t len, zb_import **out, zb_err *e)
{
	*out = NULL;
	zb_table_limits lim;
	zb_table_limits_resolve(o->limits, &lim);
	int rc = zb_sheet_check_size(&lim, len, e);
	if (rc)
		return rc;
	zb_import *imp = import_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_sheet rd = {.arena = &imp->arena, .col = header_col, .key_col = ZB_ICOL_NAME, .hint = HEADER_HINT,
	               .progress = o->progress, .progress_ctx = o->progress_ctx};
	proc p = {.o = o, .imp = imp, .a = &imp->arena};
	zb_org org;
	if ((rc = zb_org_get(o->db, o->org_id, &imp->arena, &org, e))) {
		if (rc == ZB_ENOTFOUND)
			zb_fail(e, ZB_ENOTFOUND, "org", "未找到导入到的组织");
		goto fail;
	}
	if (!strcmp(org.type, "group")) {
		/* members belong to branches; a 党小组 is a column of the file */
		rc = zb_fail(e, ZB_EINVAL, "org", "%s 是党小组：请导入到所在的党支部，并在“党小组”列填写 %s", org.name, org.name);
		goto fail;
	}
	imp->org_id = org.id;
	imp->org_path = org.path;
	imp->org_name = org.name;
	imp->filename = zb_arena_strdup(&imp->arena, o->filename ? o->filename : "");
	if ((rc = zb_sheet_read(&rd, data, len, &lim, e)))
		goto fail;
	imp->format = rd.format == ZB_TABLE_XLSX ? "xlsx" : "csv";
	imp->sheet = rd.info.sheet[0] ? zb_arena_strdup(&imp->arena, rd.info.sheet) : NULL;
	imp->encoding = rd.info.encoding;
	imp->header_row = rd.header_row;
	imp->ncols = rd.ncols;
	imp->col_headers = rd.col_headers;
	imp->col_map = rd.col_map;
	int have_name = 0, have_id = 0;
	for (int i = 0; i < imp->ncols; i++) {
		have_name |= imp->col_map[i] == ZB_ICOL_NAME;
		have_id |= imp->col_map[i] == ZB_ICOL_ID;
	}
	if (!have_name || !have_id) {
		rc = zb_fail(e, ZB_EINVAL, "file", "第 %d 行表头中没有“%s”列：导入需要姓名和身份证号两列", imp->header_row,
		             !have_name ? "姓名" : "身份证号");
		goto fail;
	}
	if (!rd.n) {
		rc = zb_fail(e, ZB_EINVAL, "file", "文件中表头（第 %d 行）以下没有党员数据", imp->header_row);
		goto fail;
	}
	p.date1904 = rd.info.date1904;
	p.today = zb_today_int(o->app);
	zb_today(o->app, p.today_s);
	zb_path_upper(imp->org_path, p.upper, sizeof p.upper);
	if ((rc = zb_rules_load(o->db, "membership", p.today_s, &p.rules, e)))
		goto fail;
	p.seen_cap = 64;
	while (p.seen_cap < (size_t)rd.n * 2)
		p.seen_cap *= 2;
	p.seen_key = zb_arena_alloc(&imp->arena, sizeof(char *) * p.seen_cap);
	p.seen_row = zb_arena_alloc(&imp->arena, sizeof(int) * p.seen_cap);
	for (int i = 0; i < rd.n; i++) {
		zb_import_row *r;
		add_row(imp, &r);
		rc = process_row(&p, &rd.rows[i], r, e);
		if (rc == SKIP_ROW) {
			imp->nrows--;
			rc = 0;
			continue;
		}
		if (rc)
			goto fail;
		imp->counts[r->status]++;
		if (o->progress && (i % 500 == 499 || i == rd.n - 1))
			o->progress(o->progress_ctx, "检查", (size_t)i + 1, (size_t)rd.n);
	}
	if (!imp->nrows) {
		if (imp->samples_skipped)
			rc = zb_fail(e, ZB_EINVAL, "file",
			             "文件中只有示例行（姓名以“%s”开头的行不会导入）：请在示例行下面逐行填写党员信息后再上传",
			             ZB_IMPORT_SAMPLE_MARK);
		else
			rc = zb_fail(e, ZB_EINVAL, "file", "文件中表头（第 %d 行）以下没有党员数据", imp->header_row);
		goto fail;
	}
	zb_sheet_free(&rd);
	zb_rules_free(p.rules);
	*out = imp;
	return 0;
fail:
	zb_rules_free(p.rules);
	zb_sheet_free(&rd);
	zb_import_free(imp);
	return rc ? rc : ZB_EINTERNAL;
}

/* ---- batches ------------------------------------------------------------ */

static void counts_json(zb_jw *w, const int64_t *c)
{
	jw_kint(w, "new", c[ZB_IROW_NEW]);
	jw_kint(w, "update", c[ZB_IROW_UPDATE]);
	jw_kint(w, "unchanged", c[ZB_IROW_UNCHANGED]);
	jw_kint(w, "error", c[ZB_IROW_ERROR]);
}

static void row_json(zb_jw *w, const zb_import_row *r)
{
	const zb_member *m = &r->m;
	jw_obj(w);
	jw_kint(w, "given", r->given);
	jw_kint(w, "org_id", m->org_id);
	jw_kint(w, "group_id", m->group_id);
	jw_kstr(w, "org_name", m->org_name);
	jw_kstr(w, "group_name", m->group_name);
	jw_kobj(w, "f");
	for (const zb_member_field *f = zb_member_fields; f->json; f++) {
		if (f->flags & ZB_MFF_SENSITIVE)
			continue; /* ciphertext below */
		const char *v = *zb_member_field_ptr((zb_member *)m, f);
		if (v)
			jw_kstr(w, f->json, v);
	}
	jw_obj_end(w);
	jw_kstr(w, "id_enc", m->id_enc);
	jw_kstr(w, "id_index", m->id_index);
	jw_kstr(w, "id_masked", m->id_masked);
	jw_kstr(w, "phone_enc", m->phone_enc);
	jw_kstr(w, "phone_masked", m->phone_masked);
	if (m->derived_for && m->sort_key) {
		/* derived at upload: the commit needs no transliteration */
		jw_kstr(w, "py_for", m->derived_for);
		jw_kstr(w, "py", m->pinyin);
		jw_kstr(w, "ini", m->initials);
		char *hx = malloc(m->sort_key_len * 2 + 1);
		if (hx) {
			static const char digits[] = "0123456789abcdef";
			for (size_t i = 0; i < m->sort_key_len; i++) {
				hx[2 * i] = digits[m->sort_key[i] >> 4];
				hx[2 * i + 1] = digits[m->sort_key[i] & 15];
			}
			hx[m->sort_key_len * 2] = '\0';
			jw_kstr(w, "sk", hx);
			free(hx);
		}
	}
	jw_karr(w, "errors");
	for (int i = 0; i < r->nerr; i++)
		jw_str(w, r->errors[i]);
	jw_arr_end(w);
	jw_karr(w, "changes");
	for (int i = 0; i < r->nchanges; i++) {
		jw_obj(w);
		jw_kstr(w, "field", r->changes[i].field);
		jw_kstr(w, "label", r->changes[i].label);
		jw_kstr(w, "from", r->changes[i].from);
		jw_kstr(w, "to", r->changes[i].to);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static const char *jstr(zb_arena *a, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? zb_arena_strdup(a, json_string_value(v)) : NULL;
}

static int row_from_json(zb_import *imp, zb_import_row *r, const char *text, zb_err *e)
{
	zb_arena *a = &imp->arena;
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		return zb_fail(e, ZB_EINTERNAL, NULL, "导入批次数据已损坏，请重新上传");
	}
	zb_member *m = &r->m;
	r->given = (unsigned)json_integer_value(json_object_get(j, "given"));
	m->org_id = json_integer_value(json_object_get(j, "org_id"));
	m->group_id = json_integer_value(json_object_get(j, "group_id"));
	m->org_name = jstr(a, j, "org_name");
	m->group_name = jstr(a, j, "group_name");
	json_t *f = json_object_get(j, "f");
	for (const zb_member_field *d = zb_member_fields; d->json; d++)
		if (!(d->flags & ZB_MFF_SENSITIVE))
			*zb_member_field_ptr(m, d) = jstr(a, f, d->json);
	m->id_enc = jstr(a, j, "id_enc");
	m->id_index = jstr(a, j, "id_index");
	m->id_masked = jstr(a, j, "id_masked");
	m->phone_enc = jstr(a, j, "phone_enc");
	m->phone_masked = jstr(a, j, "phone_masked");
	const char *sk = jstr(a, j, "sk");
	size_t skn = sk ? strlen(sk) : 0;
	if (sk && skn % 2 == 0 && strspn(sk, "0123456789abcdef") == skn) {
		unsigned char *k = zb_arena_alloc(a, skn / 2 + 1);
		for (size_t i = 0; i < skn / 2; i++) {
			int hi = sk[2 * i] <= '9' ? sk[2 * i] - '0' : sk[2 * i] - 'a' + 10;
			int lo = sk[2 * i + 1] <= '9' ? sk[2 * i + 1] - '0' : sk[2 * i + 1] - 'a' + 10;
			k[i] = (unsigned char)(hi << 4 | lo);
		}
		m->sort_key = k;
		m->sort_key_len = skn / 2;
		m->derived_for = jstr(a, j, "py_for");
		m->pinyin = jstr(a, j, "py");
		m->initials = jstr(a, j, "ini");
	}
	json_t *errs = json_object_get(j, "errors");
	size_t n = json_array_size(errs);
	if (n) {
		r->errors = zb_arena_alloc(a, sizeof(char *) * n);
		for (size_t i = 0; i < n; i++)
			if (json_is_string(json_array_get(errs, i)))
				r->errors[r->nerr++] = zb_arena_strdup(a, json_string_value(json_array_get(errs, i)));
	}
	json_t *ch = json_object_get(j, "changes");
	n = json_array_size(ch);
	if (n) {
		r->changes = zb_arena_alloc(a, sizeof *r->changes * n);
		for (size_t i = 0; i < n; i++) {
			json_t *c = json_array_get(ch, i);
			r->changes[r->nchanges++] = (zb_member_diff){jstr(a, c, "field"), jstr(a, c, "label"), jstr(a, c, "from"),
			                                             jstr(a, c, "to")};
		}
	}
	json_decref(j);
	return 0;
}

static int expire(zb_db *db, int64_t now, zb_err *e)
{
	/* previews past their 24 hours, and uploads a process that died left
	 * unfinished past their lease */
	int rc = zb_db_run(db, e, NULL,
	                   "DELETE FROM import_rows WHERE batch_id IN (SELECT id FROM import_batches "
	                   "WHERE status IN ('preview', 'uploading') AND expires_at < ?)",
	                   "i", now);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE import_batches SET status = 'expired' WHERE status IN ('preview', 'uploading') "
		               "AND expires_at < ?",
		               "i", now);
	return rc;
}

/* Pinyin, initials and sort key of every row to be written (ICU
 * transliteration is the slowest step of a write): made here, outside any
 * transaction, and carried by the row (zb_member.derived_for). */
static int prederive(zb_import *imp, zb_err *e)
{
	zb_buf py, ini, key;
	zb_buf_init(&py, 0);
	zb_buf_init(&ini, 0);
	zb_buf_init(&key, 0);
	int rc = 0;
	for (int i = 0; !rc && i < imp->nrows; i++) {
		zb_member *m = &imp->rows[i].m;
		int st = imp->rows[i].status;
		if ((st != ZB_IROW_NEW && st != ZB_IROW_UPDATE) || !m->name)
			continue;
		if (m->derived_for && !strcmp(m->derived_for, m->name) && m->sort_key)
			continue;
		zb_buf_reset(&py);
		zb_buf_reset(&ini);
		zb_buf_reset(&key);
		if (zb_pinyin(m->name, &py, &ini) || zb_sortkey(m->name, &key)) {
			rc = zb_fail(e, ZB_EINTERNAL, "name", "内部错误：无法生成第 %d 行姓名的拼音或排序键", imp->rows[i].rownum);
			break;
		}
		m->pinyin = zb_arena_strdup(&imp->arena, py.data ? py.data : "");
		m->initials = zb_arena_strdup(&imp->arena, ini.data ? ini.data : "");
		unsigned char *k = zb_arena_alloc(&imp->arena, key.len + 1);
		if (key.len)
			memcpy(k, key.data, key.len);
		m->sort_key = k;
		m->sort_key_len = key.len;
		m->derived_for = m->name;
	}
	zb_buf_release(&py);
	zb_buf_release(&ini);
	zb_buf_release(&key);
	return rc;
}

/* A roster row of imp as stored (zb_import_batch_in.row). */
static int roster_row(void *ctx, int i, zb_jw *w, zb_import_batch_row *out)
{
	zb_import *imp = ctx;
	const zb_import_row *r = &imp->rows[i];
	row_json(w, r);
	*out = (zb_import_batch_row){r->rownum, r->status, r->member_id, r->member_version};
	return 0;
}

int zb_import_save(zb_app *app, zb_db *db, zb_import *imp, const zb_actor *actor, int64_t *batch_id, zb_err *e)
{
	/* a commit abandoned by a process that died: undone first */
	int rc = zb_import_recover(app, db, 0, NULL, e);
	if (!rc)
		rc = prederive(imp, e);
	if (rc)
		return rc;
	zb_import_batch_in in = {.org_id = imp->org_id, .org_path = imp->org_path, .filename = imp->filename,
	                         .format = imp->format, .nrows = imp->nrows, .counts = imp->counts,
	                         .registered_elsewhere = imp->registered_elsewhere, .row = roster_row, .ctx = imp};
	return zb_import_batch_store(app, db, &in, actor, batch_id, e);
}

int zb_import_batch_store(zb_app *app, zb_db *db, const zb_import_batch_in *in, const zb_actor *actor,
                          int64_t *batch_id, zb_err *e)
{
	int64_t now = zb_now(app);
	int rc;
	/* 1. the batch, "uploading" under a lease: nobody sees it yet */
	zb_buf b;
	zb_buf_init(&b, 4u << 20);
	int created = 0;
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	if (!(rc = expire(db, now, e)))
		rc = zb_db_int(db, e, batch_id,
		               "INSERT INTO import_batches (user_id, org_id, filename, format, status, n_rows, n_new, n_update, "
		               "n_unchanged, n_error, created_at, expires_at) VALUES (?,?,?,?,'uploading',?,?,?,?,?,?,?) "
		               "RETURNING id",
		               "Iissiiiiiii", actor->user_id, in->org_id, in->filename, in->format, (int64_t)in->nrows,
		               in->counts[ZB_IROW_NEW], in->counts[ZB_IROW_UPDATE], in->counts[ZB_IROW_UNCHANGED],
		               in->counts[ZB_IROW_ERROR], now, now + COMMIT_LEASE);
	if (!rc)
		rc = zb_db_commit(db, e);
	if (rc) {
		zb_db_rollback(db);
		goto out;
	}
	created = 1;
	/* 2. its rows, a few thousand per transaction: other writers go on */
	for (int i = 0; !rc && i < in->nrows;) {
		if ((rc = zb_db_begin_write(db, e)))
			break;
		for (int k = 0; !rc && i < in->nrows && k < 4 * CHUNK_ROWS; i++, k++) {
			zb_import_batch_row r;
			zb_jw w;
			zb_buf_reset(&b);
			jw_init(&w, &b);
			if ((rc = in->row(in->ctx, i, &w, &r)))
				break;
			if ((rc = jw_finish(&w))) {
				zb_fail(e, ZB_ETOOBIG, "file", "第 %d 行数据过大", r.rownum);
				break;
			}
			rc = zb_db_run(db, e, NULL,
			               "INSERT INTO import_rows (batch_id, seq, row_no, status, member_id, member_version, data) "
			               "VALUES (?,?,?,?,?,?,?)",
			               "iiisIIs", *batch_id, (int64_t)i, (int64_t)r.rownum, zb_irow_status_code(r.status),
			               r.member_id, r.member_version, b.data);
		}
		if (!rc)
			rc = zb_db_commit(db, e);
		if (rc)
			zb_db_rollback(db);
	}
	/* 3. the batch becomes a preview, with its audit row */
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_run(db, e, NULL, "UPDATE import_batches SET status = 'preview', expires_at = ? WHERE id = ?", "ii",
		               now + BATCH_TTL, *batch_id);
		if (!rc) {
			zb_jw w;
			zb_buf_reset(&b);
			jw_init(&w, &b);
			jw_obj(&w);
			jw_kstr(&w, "filename", in->filename);
			jw_kint(&w, "rows", in->nrows);
			counts_json(&w, in->counts);
			/* each such row answered "registered elsewhere": ID lookups */
			if (in->registered_elsewhere)
				jw_kint(&w, "registered_elsewhere", in->registered_elsewhere);
			jw_obj_end(&w);
			jw_finish(&w);
			rc = zb_member_audit(db, app, actor, "import.upload", "import", *batch_id, in->org_path, b.data, e);
		}
		if (!rc)
			rc = zb_id_lookup_note(db, actor->user_id, now, "import", in->registered_elsewhere, e);
		if (!rc)
			rc = zb_db_commit(db, e);
		if (rc)
			zb_db_rollback(db);
	}
	if (rc && created) {
		/* the unfinished batch goes; one left by a process that died
		 * expires with its lease (expire) */
		zb_err de = {0};
		if (!zb_db_begin_write(db, &de)) {
			if (zb_db_run(db, &de, NULL, "DELETE FROM import_rows WHERE batch_id = ?", "i", *batch_id) ||
			    zb_db_run(db, &de, NULL, "UPDATE import_batches SET status = 'expired' WHERE id = ?", "i", *batch_id) ||
			    zb_db_commit(db, &de))
				zb_db_rollback(db);
		}
	}
out:
	zb_buf_release(&b);
	return rc;
}

/* The batch as stored. */
static void read_batch(zb_stmt *st, void *ctx)
{
	zb_import_batch *b = ctx;
	zb_arena *a = b->arena;
	b->owner = zb_col_int(st, 0);
	b->org_id = zb_col_int(st, 1);
	b->org_path = zb_arena_strdup(a, zb_col_text(st, 2));
	b->org_name = zb_arena_strdup(a, zb_col_text(st, 3));
	b->filename = zb_arena_strdup(a, zb_col_text(st, 4));
	b->format = zb_arena_strdup(a, zb_col_text(st, 5));
	b->status = zb_arena_strdup(a, zb_col_text(st, 6));
	b->expires = zb_col_int(st, 7);
}

int zb_import_batch_open(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, const char *kind, zb_arena *ar,
                         zb_import_batch *b, zb_err *e)
{
	memset(b, 0, sizeof *b);
	b->arena = ar;
	int rc = zb_db_one(db, e, NULL, read_batch, b,
	                   "SELECT b.user_id, b.org_id, o.path, o.name, b.filename, b.format, b.status, b.expires_at "
	                   "FROM import_batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = ?",
	                   "i", batch_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	/* a batch of the other kind (roster / pipeline) is not found here */
	size_t kl = kind ? strlen(kind) : 0;
	int other = !rc && (kind ? strncmp(b->format, kind, kl) || b->format[kl] != '-' : strchr(b->format, '-') != NULL);
	if (rc || other || b->owner != user_id || !strcmp(b->status, "uploading"))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该导入批次（只有上传者本人可以查看和提交）");
	if (!strcmp(b->status, "committed"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该导入批次已经提交过，不能重复提交");
	if (!strcmp(b->status, "committing") || !strcmp(b->status, "reverting"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该导入批次正在提交，请稍后刷新查看结果");
	if (!strcmp(b->status, "expired") || b->expires < zb_now(app))
		return zb_fail(e, ZB_ECONFLICT, NULL, "导入批次已过期（保留 24 小时），请重新上传文件");
	return 0;
}

/* A stored row of the batch (row_no, status, member_id, member_version,
 * data) back into imp. */
static int add_stored_row(zb_stmt *st, void *ctx, zb_err *e)
{
	zb_import *imp = ctx;
	zb_import_row *r;
	add_row(imp, &r);
	r->rownum = (int)zb_col_int(st, 0);
	const char *s = zb_col_text(st, 1);
	r->status = ZB_IROW_ERROR;
	for (int k = 0; k < ZB_IROW_NSTATUS; k++)
		if (!strcmp(s, zb_irow_status_code(k)))
			r->status = k;
	r->member_id = zb_col_int(st, 2);
	r->member_version = zb_col_int(st, 3);
	int rc = row_from_json(imp, r, zb_col_text(st, 4), e);
	if (!rc)
		imp->counts[r->status]++;
	return rc;
}

int zb_import_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, int for_commit, zb_import **out,
                   zb_err *e)
{
	*out = NULL;
	zb_import *imp = import_new();
	if (!imp)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	zb_import_batch b;
	int rc = zb_import_batch_open(app, db, batch_id, user_id, NULL, &imp->arena, &b, e);
	if (rc)
		goto fail;
	imp->org_id = b.org_id;
	imp->org_path = b.org_path;
	imp->org_name = b.org_name;
	imp->filename = b.filename;
	imp->format = b.format;
	(void)for_commit;
	if ((rc = zb_db_each(db, e, add_stored_row, imp,
	                     "SELECT row_no, status, member_id, member_version, data FROM import_rows WHERE batch_id = ? "
	                     "ORDER BY seq",
	                     "i", batch_id)))
		goto fail;
	*out = imp;
	return 0;
fail:
	zb_import_free(imp);
	return rc;
}

/* ---- other kinds of import: commit and preview head --------------------- */

static int kind_apply_in_tx(zb_app *app, zb_db *db, const zb_import_kind_commit *c, const zb_actor *actor,
                            int64_t *done, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n,
	                   "UPDATE import_batches SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'preview'",
	                   "ii", zb_now(app), c->batch_id);
	if (!rc && !n)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "该导入批次已经提交过，不能重复提交");
	zb_audit_ev by = {.user_id = actor->user_id, .username = actor->username, .ip = actor->ip};
	for (int i = 0; !rc && i < c->nrows; i++) {
		int status, rownum;
		const char *name;
		c->row(c->ctx, i, &status, &rownum, &name);
		if (status != ZB_IROW_NEW) {
			done[status]++;
			continue;
		}
		zb_arena ar;
		zb_arena_init(&ar);
		if ((rc = c->write(c->ctx, i, &by, &ar, e))) {
			char why[sizeof e->msg];
			snprintf(why, sizeof why, "%s", e->msg);
			zb_fail(e, e->code ? e->code : ZB_EINTERNAL, NULL, "第 %d 行（%s）：%s", rownum, name ? name : "", why);
		} else {
			done[ZB_IROW_NEW]++;
		}
		zb_arena_free(&ar);
	}
	if (!rc)
		rc = zb_db_run(db, e, NULL, "DELETE FROM import_rows WHERE batch_id = ?", "i", c->batch_id);
	if (!rc) {
		char detail[256];
		snprintf(detail, sizeof detail,
		         "{\"batch\":%lld,\"kind\":\"%s\",\"new\":%lld,\"unchanged\":%lld,\"error\":%lld}",
		         (long long)c->batch_id, c->kind, (long long)done[ZB_IROW_NEW], (long long)done[ZB_IROW_UNCHANGED],
		         (long long)done[ZB_IROW_ERROR]);
		rc = zb_member_audit(db, app, actor, "import.commit", "import", c->batch_id, c->org_path, detail, e);
	}
	return rc;
}

int zb_import_kind_apply(zb_app *app, zb_db *db, const zb_import_kind_commit *c, const zb_actor *actor,
                         int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e)
{
	memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	if (c->counts[ZB_IROW_ERROR] && !skip_errors)
		return zb_fail(e, ZB_EINVAL, NULL, "有 %lld 行有错误：请改正后重新上传，或选择跳过这些行再提交",
		               (long long)c->counts[ZB_IROW_ERROR]);
	int rc = zb_db_begin_write(db, e);
	if (!rc)
		rc = zb_db_end(db, kind_apply_in_tx(app, db, c, actor, done, e), e);
	if (rc)
		memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	return rc;
}

typedef struct kind_load {
	int (*add)(void *ctx, json_t *j, int rownum, int status, zb_err *e);
	void *ctx;
} kind_load;

static int kind_load_row(zb_stmt *st, void *ctx, zb_err *e)
{
	kind_load *l = ctx;
	json_t *j = json_loads(zb_col_text(st, 0), 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		return zb_fail(e, ZB_EINTERNAL, NULL, "导入批次数据已损坏，请重新上传");
	}
	const char *code = json_string_value(json_object_get(j, "status"));
	int status = ZB_IROW_ERROR;
	for (int k = 0; code && k < ZB_IROW_NSTATUS; k++)
		if (!strcmp(code, zb_irow_status_code(k)))
			status = k;
	int rc = l->add(l->ctx, j, (int)json_integer_value(json_object_get(j, "row")), status, e);
	json_decref(j);
	return rc;
}

int zb_import_kind_load(zb_app *app, zb_db *db, int64_t batch_id, int64_t user_id, const char *kind, zb_arena *ar,
                        zb_import_batch *b, int (*add)(void *ctx, json_t *j, int rownum, int status, zb_err *e),
                        void *ctx, zb_err *e)
{
	kind_load l = {add, ctx};
	int rc = zb_import_batch_open(app, db, batch_id, user_id, kind, ar, b, e);
	if (!rc)
		rc = zb_db_each(db, e, kind_load_row, &l, "SELECT data FROM import_rows WHERE batch_id = ? ORDER BY seq", "i",
		                batch_id);
	return rc;
}

void zb_import_kind_errors(json_t *j, zb_arena *ar, const char ***errors, int *nerr)
{
	json_t *errs = json_object_get(j, "errors");
	size_t n = json_array_size(errs);
	*errors = zb_arena_alloc(ar, sizeof(char *) * (n + 1));
	*nerr = 0;
	for (size_t i = 0; i < n; i++)
		(*errors)[(*nerr)++] = zb_arena_strdup(ar, json_string_value(json_array_get(errs, i)));
}

void zb_import_kind_preview_head(zb_jw *w, int64_t batch_id, const char *filename, const char *format,
                                 int64_t org_id, const char *org_name)
{
	jw_obj(w);
	jw_kint(w, "id", batch_id);
	jw_kstr(w, "status", "preview");
	jw_kstr(w, "filename", filename);
	jw_kstr(w, "format", format);
	jw_kint(w, "org_id", org_id);
	jw_kstr(w, "org_name", org_name);
}

void zb_import_kind_counts_json(zb_jw *w, const int64_t *counts)
{
	jw_kobj(w, "counts");
	jw_kint(w, "new", counts[ZB_IROW_NEW]);
	jw_kint(w, "unchanged", counts[ZB_IROW_UNCHANGED]);
	jw_kint(w, "error", counts[ZB_IROW_ERROR]);
	jw_obj_end(w);
}

/* ---- apply -------------------------------------------------------------- */

static int row_fail(zb_err *e, zb_code code, const zb_import_row *r, const char *why)
{
	return zb_fail(e, code, "file", "第 %d 行：%s（没有写入任何数据，请修改文件后重新上传）", r->rownum, why);
}


typedef struct applier {
	zb_app *app;
	zb_db *db;
	zb_import *imp;
	int64_t batch_id;
	const zb_actor *actor;
	const zb_principal *who;
	zb_member_change ch;
	zb_audit_ev *evs;
	const zb_audit_ev **evp;
	size_t nev, evcap;
} applier;

/* Write one row (insert or update) with its roll-up changes summed in
 * ap->ch.counts and its audit event queued in ap->evs. */
static int apply_row(applier *ap, zb_import_row *r, zb_err *e)
{
	zb_import *imp = ap->imp;
	zb_db *db = ap->db;
	zb_arena *a = &imp->arena;
	zb_member nw = r->m;
	zb_err pe = {0};
	int rc;
	/* the org may have moved or been dissolved since the preview */
	if (zb_member_place(db, NULL, nw.group_id ? nw.group_id : nw.org_id, &nw, a, &pe)) {
		if (pe.code == ZB_EDB || pe.code == ZB_EUNAVAIL) {
			*e = pe;
			return pe.code;
		}
		return row_fail(e, ZB_ECONFLICT, r, pe.msg);
	}
	if (!zb_path_within(nw.org_path, imp->org_path) ||
	    (ap->who && !zb_authz_allows(ap->who, P_MEMBER_IMPORT, nw.org_path)))
		return row_fail(e, ZB_ECONFLICT, r, "所在党支部已不在导入范围内");
	/* checked, protected and compared when the file was read */
	zb_member_write mw = {.given = r->given, .force = 1, .diff = r->changes, .ndiff = r->nchanges};
	const char *action;
	zb_member old;
	if (r->status == ZB_IROW_NEW) {
		action = "member.create";
		rc = zb_member_save(db, &ap->ch, &nw, &mw, e);
		if (rc == ZB_ECONFLICT && !strcmp(e->field, "id_number"))
			rc = row_fail(e, ZB_ECONFLICT, r, "该身份证号在预览之后已被登记");
	} else {
		action = "member.update";
		rc = zb_member_get_locked(db, r->member_id, a, &old, e);
		if (rc == ZB_ENOTFOUND)
			rc = row_fail(e, ZB_ECONFLICT, r, "要更新的党员记录已不存在");
		else if (!rc && old.updated_at != r->member_version)
			rc = row_fail(e, ZB_ECONFLICT, r, "该党员的记录在预览之后被修改过");
		else if (!rc && ap->who && !zb_authz_allows(ap->who, P_MEMBER_IMPORT, old.org_path))
			rc = row_fail(e, ZB_ECONFLICT, r, "该党员已不在您的管理范围内");
		mw.old = &old;
		if (!rc)
			rc = zb_member_save(db, &ap->ch, &nw, &mw, e);
	}
	if (rc)
		return rc;
	int64_t id = mw.id;
	r->member_id = id;
	zb_buf b;
	zb_buf_init(&b, 64u << 10);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kint(&w, "batch", ap->batch_id);
	jw_kint(&w, "row", r->rownum);
	jw_kstr(&w, "name", nw.name);
	jw_kstr(&w, "id_number", nw.id_masked);
	jw_karr(&w, "changed");
	for (int k = 0; k < r->nchanges; k++)
		jw_str(&w, r->changes[k].field);
	jw_arr_end(&w);
	jw_obj_end(&w);
	rc = jw_finish(&w);
	const char *detail = rc ? NULL : zb_arena_strdup(a, b.data);
	zb_buf_release(&b);
	if (rc)
		return zb_fail(e, ZB_ETOOBIG, "file", "第 %d 行数据过大", r->rownum);
	if (ZB_GROW(ap->evs, ap->nev, ap->evcap))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	ap->evs[ap->nev++] = (zb_audit_ev){.user_id = ap->actor->user_id, .username = ap->actor->username,
	                                   .ip = ap->actor->ip, .action = action, .object_type = "member",
	                                   .object_id = zb_arena_printf(a, "%lld", (long long)id),
	                                   .org_path = nw.org_path, .detail = detail};
	return 0;
}

/* The queued audit rows and the summed roll-ups, into the open transaction. */
static int flush_chunk(applier *ap, zb_err *e)
{
	int rc = 0;
	if (ap->nev) {
		const zb_audit_ev **p = realloc(ap->evp, ap->nev * sizeof *p);
		if (!p)
			return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		ap->evp = p;
		for (size_t i = 0; i < ap->nev; i++)
			p[i] = &ap->evs[i];
		rc = zb_audit_append_many(ap->db, ap->app, p, ap->nev, e);
	}
	if (!rc)
		rc = zb_org_after_roster_flush(ap->db, ap->ch.counts, e);
	ap->nev = 0;
	return rc;
}

static int commit_audit(applier *ap, const int64_t *done, zb_err *e)
{
	zb_buf b;
	zb_buf_init(&b, 64u << 10);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kint(&w, "batch", ap->batch_id);
	jw_kstr(&w, "filename", ap->imp->filename);
	counts_json(&w, done);
	jw_obj_end(&w);
	jw_finish(&w);
	int rc = zb_member_audit(ap->db, ap->app, ap->actor, "import.commit", "import", ap->batch_id, ap->imp->org_path, b.data, e);
	zb_buf_release(&b);
	return rc;
}

/* Extend the lease of a committing batch; ZB_ECONFLICT when it is no
 * longer committing (reverted meanwhile as abandoned). */
static int lease(zb_db *db, int64_t batch_id, int64_t now, zb_err *e)
{
	int64_t n = 0;
	int rc = zb_db_run(db, e, &n, "UPDATE import_batches SET expires_at = ? WHERE id = ? AND status = 'committing'", "ii",
	                   now + COMMIT_LEASE, batch_id);
	if (!rc && !n)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "导入提交已被中止（超时或服务重启），已写入的记录已撤回，请重新提交");
	return rc;
}

/* Undo the chunks of a batch that did not finish committing: delete the
 * members it created (their history rows with them), take them off the
 * roll-ups, a chunk per transaction, then put the batch back to preview
 * (it may be committed again) with an "import.revert" audit row. */
/* The batch's org path and its uploader. */
typedef struct batch_owner {
	char *path;
	size_t psz;
	int64_t *owner;
} batch_owner;

static void read_owner(zb_stmt *st, void *ctx)
{
	batch_owner *b = ctx;
	snprintf(b->path, b->psz, "%s", zb_col_text(st, 0));
	*b->owner = zb_col_int(st, 1);
}

/* A chunk of the batch's new members: seq and member id. */
typedef struct chunk_rows {
	int64_t *ids, *seqs, *n;
} chunk_rows;

static int add_chunk_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	chunk_rows *c = ctx;
	if (*c->n == CHUNK_ROWS)
		return ZB_DB_STOP;
	c->seqs[*c->n] = zb_col_int(st, 0);
	c->ids[(*c->n)++] = zb_col_int(st, 1);
	return 0;
}

static int revert_batch(zb_app *app, zb_db *db, int64_t batch_id, const char *why, zb_err *e)
{
	int64_t removed = 0;
	zb_counts_acc *acc = zb_counts_acc_new();
	if (!acc)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	int rc = 0;
	for (;;) {
		zb_arena a;
		zb_arena_init(&a);
		if ((rc = zb_db_begin_write(db, e))) {
			zb_arena_free(&a);
			break;
		}
		char path[512] = "";
		int64_t owner = 0, n = 0, marked = 0;
		/* reverting: a commit still running elsewhere fails at its next
		 * chunk (lease) and can no longer mark the batch committed */
		rc = zb_db_run(db, e, &marked,
		               "UPDATE import_batches SET status = 'reverting', expires_at = ? "
		               "WHERE id = ? AND status IN ('committing', 'reverting')",
		               "ii", zb_now(app) + COMMIT_LEASE, batch_id);
		if (!rc && !marked) {
			/* not committing (any more): nothing to undo */
			zb_db_rollback(db);
			zb_arena_free(&a);
			break;
		}
		batch_owner bo = {path, sizeof path, &owner};
		if (!rc) {
			rc = zb_db_one(db, e, NULL, read_owner, &bo,
			               "SELECT o.path, b.user_id FROM import_batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = ?",
			               "i", batch_id);
			if (rc == ZB_ENOTFOUND)
				rc = 0;
		}
		int64_t ids[CHUNK_ROWS], seqs[CHUNK_ROWS];
		chunk_rows cr = {ids, seqs, &n};
		if (!rc)
			rc = zb_db_each(db, e, add_chunk_row, &cr,
			                "SELECT seq, member_id FROM import_rows WHERE batch_id = ? AND status = 'new' "
			                "AND member_id IS NOT NULL ORDER BY seq LIMIT ?",
			                "ii", batch_id, (int64_t)CHUNK_ROWS);
		for (int64_t i = 0; !rc && i < n; i++) {
			zb_member_facts f;
			rc = zb_member_facts_load(db, ids[i], &a, &f, e);
			if (!rc) {
				rc = zb_org_after_roster_change(db, acc, &f, NULL, e);
				if (!rc)
					rc = zb_db_run(db, e, NULL, "DELETE FROM member_history WHERE member_id = ?", "i", ids[i]);
				if (!rc)
					rc = zb_db_run(db, e, NULL, "DELETE FROM members WHERE id = ?", "i", ids[i]);
				if (!rc)
					removed++;
			} else if (rc == ZB_ENOTFOUND)
				rc = 0;
			if (!rc)
				rc = zb_db_run(db, e, NULL, "UPDATE import_rows SET member_id = NULL WHERE batch_id = ? AND seq = ?",
				               "ii", batch_id, seqs[i]);
		}
		int last = !rc && n == 0;
		if (!rc)
			rc = zb_org_after_roster_flush(db, acc, e);
		if (!rc && last) {
			rc = zb_db_run(db, e, NULL,
			               "UPDATE import_batches SET status = 'preview', expires_at = created_at + ? WHERE id = ?", "ii",
			               (int64_t)BATCH_TTL, batch_id);
			if (!rc) {
				char *detail = zb_arena_printf(&a, "{\"batch\":%lld,\"removed\":%lld,\"reason\":\"%s\"}",
				                               (long long)batch_id, (long long)removed, why);
				/* the uploader's failed commit, or the system at a start */
				zb_actor sys = {.user_id = strcmp(why, "failed") ? 0 : owner};
				rc = zb_member_audit(db, app, &sys, "import.revert", "import", batch_id, path, detail, e);
			}
		}
		if (!rc)
			rc = zb_db_commit(db, e);
		if (rc)
			zb_db_rollback(db);
		zb_arena_free(&a);
		if (rc || last)
			break;
	}
	zb_counts_acc_free(acc);
	return rc;
}

int zb_import_recover(zb_app *app, zb_db *db, int all, int64_t *reverted, zb_err *e)
{
	if (reverted)
		*reverted = 0;
	for (;;) {
		int64_t id = 0;
		int rc = zb_db_int(db, e, &id,
		                   "SELECT id FROM import_batches WHERE status IN ('committing', 'reverting') "
		                   "AND (? = 1 OR expires_at < ?) "
		                   "ORDER BY id LIMIT 1",
		                   "ii", (int64_t)(all ? 1 : 0), zb_now(app));
		if (rc == ZB_ENOTFOUND)
			return 0;
		if (rc)
			return rc;
		if ((rc = revert_batch(app, db, id, all ? "restart" : "abandoned", e)))
			return rc;
		/* revert_batch has moved it to preview: no second round */
		if (reverted)
			(*reverted)++;
	}
}

static int cmp_row_org(const void *x, const void *y, void *ctx)
{
	const zb_import *imp = ctx;
	const zb_member *a = &imp->rows[*(const int *)x].m, *b = &imp->rows[*(const int *)y].m;
	int64_t oa = a->group_id ? a->group_id : a->org_id, ob = b->group_id ? b->group_id : b->org_id;
	if (oa != ob)
		return oa < ob ? -1 : 1;
	return *(const int *)x < *(const int *)y ? -1 : *(const int *)x > *(const int *)y;
}

int zb_import_apply(zb_app *app, zb_db *db, zb_import *imp, int64_t batch_id, const zb_actor *actor,
                    const zb_principal *who, int skip_errors, int64_t done[ZB_IROW_NSTATUS], zb_err *e)
{
	memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	if (imp->counts[ZB_IROW_ERROR] && !skip_errors)
		return zb_fail(e, ZB_EINVAL, "file", "有 %lld 行存在错误，不能导入：请修改文件后重新上传，或选择跳过错误行",
		               (long long)imp->counts[ZB_IROW_ERROR]);
	zb_arena *a = &imp->arena;
	char today[11];
	zb_today(app, today);
	applier ap = {.app = app, .db = db, .imp = imp, .batch_id = batch_id, .actor = actor, .who = who};
	ap.ch = (zb_member_change){.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = actor->user_id,
	                           .today = today,
	                           .reason = zb_arena_printf(a, "批量导入：%s", imp->filename ? imp->filename : ""),
	                           .counts = zb_counts_acc_new()};
	if (!ap.ch.counts)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	int rc = prederive(imp, e), claimed = 0, i = 0;
	/* the new rows in org order: a chunk then touches the roll-ups and
	 * warnings of a few orgs, not of every org in the file */
	int nnew = 0, *order = malloc(sizeof(int) * (size_t)(imp->nrows + 1));
	if (!order) {
		zb_counts_acc_free(ap.ch.counts);
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	}
	for (int k = 0; k < imp->nrows; k++)
		if (imp->rows[k].status == ZB_IROW_NEW)
			order[nnew++] = k;
	qsort_r(order, (size_t)nnew, sizeof *order, cmp_row_org, imp);
	if (rc)
		goto out;
	if (batch_id) {
		/* 1. claim the batch: committing, under a lease */
		int64_t n = 0;
		if (!(rc = zb_db_begin_write(db, e))) {
			rc = zb_db_run(db, e, &n,
			               "UPDATE import_batches SET status = 'committing', expires_at = ? WHERE id = ? AND status = 'preview'",
			               "ii", ap.ch.now + COMMIT_LEASE, batch_id);
			if (!rc && !n)
				rc = zb_fail(e, ZB_ECONFLICT, NULL, "该导入批次已经提交过或正在提交，不能重复提交");
			if (!rc)
				rc = zb_db_commit(db, e);
			if (rc)
				zb_db_rollback(db);
		}
		if (rc)
			goto out;
		claimed = 1;
		/* 2. the new rows, a chunk per transaction; each created member's
		 * id is kept on its import row, so an unfinished batch can be
		 * undone (revert_batch) */
		while (!rc && i < nnew) {
			if ((rc = zb_db_begin_write(db, e)))
				break;
			rc = lease(db, batch_id, zb_now(app), e);
			for (int k = 0; !rc && i < nnew && k < CHUNK_ROWS; i++, k++) {
				zb_import_row *r = &imp->rows[order[i]];
				if (!(rc = apply_row(&ap, r, e)))
					rc = zb_db_run(db, e, NULL, "UPDATE import_rows SET member_id = ? WHERE batch_id = ? AND seq = ?",
					               "iii", r->member_id, batch_id, (int64_t)order[i]);
				if (!rc)
					done[ZB_IROW_NEW]++;
			}
			if (!rc)
				rc = flush_chunk(&ap, e);
			if (!rc)
				rc = zb_db_commit(db, e);
			if (rc)
				zb_db_rollback(db);
		}
		if (rc)
			goto out;
	}
	/* 3. one transaction: the updates (or, without a batch, every row),
	 * the commit audit row, the batch marked committed */
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	if (batch_id) {
		int64_t n = 0;
		rc = zb_db_run(db, e, &n,
		               "UPDATE import_batches SET status = 'committed', committed_at = ? WHERE id = ? AND status = 'committing'",
		               "ii", ap.ch.now, batch_id);
		if (!rc && !n)
			rc = zb_fail(e, ZB_ECONFLICT, NULL, "导入提交已被中止（超时或服务重启），已写入的记录已撤回，请重新提交");
	}
	for (i = 0; !rc && i < imp->nrows; i++) {
		zb_import_row *r = &imp->rows[i];
		if (r->status == ZB_IROW_ERROR || r->status == ZB_IROW_UNCHANGED) {
			done[r->status]++;
			continue;
		}
		if (batch_id && r->status == ZB_IROW_NEW)
			continue; /* written in step 2 */
		if (!(rc = apply_row(&ap, r, e)))
			done[r->status]++;
		if (!rc && ap.nev >= CHUNK_ROWS)
			rc = flush_chunk(&ap, e);
	}
	if (!rc)
		rc = flush_chunk(&ap, e);
	if (!rc)
		rc = commit_audit(&ap, done, e);
	if (!rc)
		rc = zb_db_commit(db, e);
	if (rc) {
		zb_db_rollback(db);
		goto out;
	}
	claimed = 0;
	/* 4. the batch's rows are no longer needed (personal data): removed a
	 * chunk at a time; what a failure here leaves is deleted with the
	 * expired batches */
	for (int64_t lo = 0; batch_id && lo < imp->nrows; lo += 5 * CHUNK_ROWS) {
		zb_err de = {0};
		if (zb_db_begin_write(db, &de))
			break;
		if (zb_db_run(db, &de, NULL, "DELETE FROM import_rows WHERE batch_id = ? AND seq >= ? AND seq < ?", "iii",
		              batch_id, lo, lo + 5 * CHUNK_ROWS) ||
		    zb_db_commit(db, &de)) {
			zb_db_rollback(db);
			break;
		}
	}
out:
	if (rc && claimed) {
		/* nothing of the batch stays: undo the chunks written */
		zb_err re = {0};
		memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
		if (revert_batch(app, db, batch_id, "failed", &re))
			zb_log("error", "导入批次 %lld 撤回失败：%s", (long long)batch_id, re.msg);
	}
	if (rc)
		memset(done, 0, sizeof(int64_t) * ZB_IROW_NSTATUS);
	zb_counts_acc_free(ap.ch.counts);
	free(ap.evs);
	free(ap.evp);
	free(order);
	return rc;
}

void zb_import_preview_json(zb_jw *w, const zb_import *imp, int64_t batch_id, int max_rows)
{
	jw_obj(w);
	if (batch_id)
		jw_kint(w, "id", batch_id);
	jw_kstr(w, "filename", imp->filename);
	jw_kstr(w, "format", imp->format);
	jw_kint(w, "org_id", imp->org_id);
	jw_kstr(w, "org_name", imp->org_name);
	jw_kstr(w, "org_trail", imp->org_trail ? imp->org_trail : imp->org_name);
	if (imp->samples_skipped)
		jw_kint(w, "samples_skipped", imp->samples_skipped);
	if (imp->sheet)
		jw_kstr(w, "sheet", imp->sheet);
	if (imp->encoding)
		jw_kstr(w, "encoding", imp->encoding);
	if (imp->header_row)
		jw_kint(w, "header_row", imp->header_row);
	if (imp->col_map) {
		jw_karr(w, "columns");
		for (int i = 0; i < imp->ncols; i++) {
			if (!imp->col_headers[i][0])
				continue;
			jw_obj(w);
			jw_kstr(w, "header", imp->col_headers[i]);
			jw_kstr(w, "maps_to", imp->col_map[i] == ZB_ICOL_NONE ? NULL : zb_import_col_header(imp->col_map[i]));
			jw_obj_end(w);
		}
		jw_arr_end(w);
	}
	jw_kobj(w, "counts");
	counts_json(w, imp->counts);
	jw_kint(w, "total", imp->nrows);
	jw_obj_end(w);
	jw_karr(w, "rows");
	int shown = 0, omitted = 0;
	for (int i = 0; i < imp->nrows; i++) {
		const zb_import_row *r = &imp->rows[i];
		int always = r->status == ZB_IROW_ERROR || r->status == ZB_IROW_UPDATE;
		if (!always && shown >= max_rows) {
			omitted++;
			continue;
		}
		shown++;
		jw_obj(w);
		jw_kint(w, "row", r->rownum);
		jw_kstr(w, "status", zb_irow_status_code(r->status));
		jw_kstr(w, "name", r->m.name);
		jw_kstr(w, "id_number", r->m.id_masked);
		jw_kstr(w, "org_name", r->m.org_name);
		jw_karr(w, "errors");
		for (int k = 0; k < r->nerr; k++)
			jw_str(w, r->errors[k]);
		jw_arr_end(w);
		jw_karr(w, "changes");
		for (int k = 0; k < r->nchanges; k++) {
			jw_obj(w);
			jw_kstr(w, "field", r->changes[k].field);
			jw_kstr(w, "label", r->changes[k].label);
			jw_kstr(w, "from", r->changes[k].from);
			jw_kstr(w, "to", r->changes[k].to);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	if (omitted)
		jw_kint(w, "rows_omitted", omitted);
	jw_obj_end(w);
}

/* ---- ID lookups of an upload ------------------------------------------- */

int zb_import_lookups(zb_db *db, const zb_import *imp, const zb_principal *who, int64_t now, zb_err *e)
{
	/* Every row's number was checked against the whole register.  A row
	 * whose number matches no member within the caller's scope (a new
	 * member, or one registered elsewhere) answers a question about the
	 * register outside that scope: unless the caller holds
	 * member.sensitive at the register's root, each such row is an ID
	 * lookup of the hourly budget, and a file with more of them than the
	 * budget has left is refused whole (the refusal depends on the count
	 * of such rows, not on how many are registered).  For a caller who may
	 * not see ID numbers at the import org, every row also counts in the
	 * daily row budget: a row that matches a member in scope confirms
	 * that member's number. */
	char root[64];
	const char *slash = imp->org_path ? strchr(imp->org_path + 1, '/') : NULL;
	snprintf(root, sizeof root, "%.*s", slash ? (int)(slash - imp->org_path + 1) : 0, slash ? imp->org_path : "");
	if (zb_authz_allows(who, P_MEMBER_SENSITIVE, root))
		return 0;
	int64_t left = 0;
	int sens_here = zb_authz_allows(who, P_MEMBER_SENSITIVE, imp->org_path);
	int rc = 0;
	if (!sens_here && (rc = zb_id_import_check(db, who->user_id, now, imp->nrows, e)))
		return rc;
	if ((rc = zb_id_lookup_left(db, who->user_id, now, &left, e)))
		return rc;
	if (imp->checked_outside > left)
		return zb_fail(e, ZB_ERATE, "file",
		               "本文件有 %lld 行的身份证号不属于您管理范围内的党员（新党员，或已在其他组织登记），每一行都要在全县名册中核对："
		               "没有全县“敏感信息”权限的账号每小时最多核对 %d 个（还剩 %lld 个）。请分批导入新党员，或请县委组织部管理员导入；"
		               "本次没有保存任何数据",
		               (long long)imp->checked_outside, ZB_ID_LOOKUP_LIMIT, (long long)left);
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	if (!sens_here)
		rc = zb_id_lookup_note(db, who->user_id, now, "import_rows", imp->nrows, e);
	/* the rows registered elsewhere are noted by zb_import_save */
	if (!rc)
		rc = zb_id_lookup_note(db, who->user_id, now, "import", imp->checked_outside - imp->registered_elsewhere, e);
	return zb_db_end(db, rc, e);
}

static void read_brief(zb_stmt *st, void *ctx)
{
	arena_row *r = ctx;
	zb_import_brief *b = r->row;
	b->status = zb_arena_strdup(r->a, zb_col_text(st, 0));
	b->filename = zb_arena_strdup(r->a, zb_col_text(st, 1));
	for (int k = 0; k < ZB_IROW_NSTATUS; k++)
		b->counts[k] = zb_col_int(st, 2 + k);
}

int zb_import_brief_get(zb_db *db, int64_t batch_id, zb_arena *a, zb_import_brief *b, int *found, zb_err *e)
{
	arena_row ar = {a, b};
	int rc = zb_db_one(db, e, NULL, read_brief, &ar,
	                   "SELECT status, filename, n_new, n_update, n_unchanged, n_error FROM import_batches WHERE id = ?",
	                   "i", batch_id);
	*found = !rc;
	return rc == ZB_ENOTFOUND ? 0 : rc;
}
