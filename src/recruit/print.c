/* print.c - the printables of an applicant (recruit/print.h): the
 * 入党积极分子培养考察登记 record and the 发展党员公示 notice.
 *
 * Plain HTML with an inline print stylesheet and no script (the server's
 * CSP allows inline styles, not scripts), printed on A4 by the browser.
 * Every text that came from a user goes through zb_esc_html; the only
 * unescaped strings are the literals below and numbers.  The record is
 * read through recruit/applicant.h (zb_recruit_view), the rules through
 * recruit/rrules.h and the working days through recruit/workcal.h.
 */
#include "recruit/print.h"
#include "core/date.h"
#include "core/escape.h"
#include "org/org.h"
#include "recruit/applicant.h"
#include "recruit/rrules.h"
#include "recruit/workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char STYLE[] =
	"<style>"
	"@page{size:A4;margin:18mm 16mm}"
	"body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;color:#000;margin:0;background:#fff}"
	".sheet{max-width:178mm;margin:0 auto;padding:8mm 0;font-size:11.5pt;line-height:1.7}"
	"h1{text-align:center;font-size:19pt;letter-spacing:.15em;margin:0 0 3mm}"
	".sub{text-align:center;margin:0 0 5mm}"
	"table.grid{width:100%;border-collapse:collapse;table-layout:fixed}"
	"table.grid th,table.grid td{border:1px solid #000;padding:1.5mm 2mm;vertical-align:middle;text-align:center}"
	"table.grid td.l{text-align:left;vertical-align:top;white-space:pre-wrap;word-break:break-word}"
	"table.grid tr.blank td{height:24mm}"
	".notice p{text-indent:2em;margin:2mm 0}"
	".right{text-align:right;margin-top:10mm}"
	".foot{margin-top:6mm;font-size:8pt;color:#555;text-align:right}"
	"</style>";

static int esc(zb_buf *b, const char *s)
{
	return zb_esc_html(b, s && *s ? s : "");
}

/* "2026年9月29日" / "—" */
static int put_date(zb_buf *b, const char *d)
{
	if (!d || !zb_date_valid(d))
		return zb_buf_puts(b, "—");
	return zb_buf_printf(b, "%.4s年%d月%d日", d, atoi(d + 5), atoi(d + 8));
}

/* "1990年5月" (birth: year and month only) */
static int put_month(zb_buf *b, const char *d)
{
	if (!d || !zb_date_valid(d))
		return zb_buf_puts(b, "—");
	return zb_buf_printf(b, "%.4s年%d月", d, atoi(d + 5));
}

static const char *gender_text(const char *g)
{
	return !g ? "—" : !strcmp(g, "M") ? "男" : !strcmp(g, "F") ? "女" : "—";
}

/* the last current row of a step, or NULL */
static const zb_rstep_row *row_of(const zb_rcase_view *v, int step)
{
	const zb_rstep_row *r = NULL;
	for (int i = 0; i < v->nrows; i++)
		if (v->rows[i].rec.step == step)
			r = &v->rows[i];
	return r;
}

static const char *date_of(const zb_rcase_view *v, int step)
{
	const zb_rstep_row *r = row_of(v, step);
	return r ? r->rec.done_on : NULL;
}

/* the people a step names, "、"-separated, or "—" */
static int put_people(zb_buf *b, const zb_rstep_row *r)
{
	int rc = 0, n = 0;
	for (int i = 0; r && i < r->nnamed; i++) {
		if (!r->named[i].name || !*r->named[i].name)
			continue;
		if (n++)
			rc |= zb_buf_puts(b, "、");
		rc |= esc(b, r->named[i].name);
	}
	return n ? rc : zb_buf_puts(b, "—");
}

static int head(zb_buf *b, const zb_applicant *ap, const char *title)
{
	int rc = zb_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	rc |= esc(b, ap->name);
	rc |= zb_buf_printf(b, " - %s</title>%s</head><body><div class=\"sheet\"><h1>%s</h1>", title, STYLE, title);
	return rc;
}

/* one <th>label</th><td>value</td> pair */
static int cell(zb_buf *b, const char *label, const char *value)
{
	int rc = zb_buf_printf(b, "<th>%s</th><td>", label);
	rc |= esc(b, value && *value ? value : "—");
	return rc | zb_buf_puts(b, "</td>");
}

static int date_cell(zb_buf *b, const char *label, const char *d)
{
	int rc = zb_buf_printf(b, "<th>%s</th><td>", label);
	rc |= put_date(b, d);
	return rc | zb_buf_puts(b, "</td>");
}

static int foot(zb_buf *b, int64_t id, const char *today)
{
	return zb_buf_printf(b, "<p class=\"foot\">档案编号 %lld · 打印日期 %s · zhibu</p></div></body></html>", (long long)id,
	                     today);
}

/* ---- 入党积极分子培养考察登记 ---- */

static int record_html(const zb_rcase_view *v, const zb_recruit_rules *rules, const char *today, zb_buf *b)
{
	const zb_applicant *ap = &v->a;
	int rc = head(b, ap, "入党积极分子培养考察登记表");
	rc |= zb_buf_puts(b, "<p class=\"sub\">");
	rc |= esc(b, ap->org_name);
	rc |= zb_buf_puts(b, "</p><table class=\"grid\"><tr>");
	rc |= cell(b, "姓名", ap->name);
	rc |= cell(b, "性别", gender_text(ap->gender));
	rc |= zb_buf_puts(b, "<th>出生年月</th><td>");
	rc |= put_month(b, ap->birth_date);
	rc |= zb_buf_puts(b, "</td></tr><tr>");
	rc |= cell(b, "民族", ap->ethnicity);
	rc |= cell(b, "学历", ap->education);
	rc |= cell(b, "来源", zb_asource_name(ap->source));
	rc |= zb_buf_puts(b, "</tr><tr><th>工作单位</th><td colspan=\"5\" class=\"l\">");
	rc |= esc(b, ap->work_unit && *ap->work_unit ? ap->work_unit : "—");
	rc |= zb_buf_puts(b, "</td></tr><tr>");
	rc |= date_cell(b, "递交入党申请书", date_of(v, 1));
	const zb_rstep_row *talk = row_of(v, 2);
	rc |= date_cell(b, "谈话时间", talk ? talk->rec.done_on : NULL);
	rc |= zb_buf_puts(b, "<th>谈话人</th><td>");
	rc |= put_people(b, talk);
	rc |= zb_buf_puts(b, "</td></tr><tr>");
	rc |= date_cell(b, "确定为积极分子", date_of(v, 3));
	const zb_rstep_row *rec = row_of(v, 3);
	const char *how = rec && rec->rec.recommended_by ? rec->rec.recommended_by : ap->recommended_by;
	rc |= cell(b, "推荐方式", how ? zb_arecommend_name(how) : NULL);
	rc |= date_cell(b, "报上级党委备案", date_of(v, 4));
	rc |= zb_buf_puts(b, "</tr><tr><th>培养联系人</th><td colspan=\"3\">");
	const zb_rstep_row *contacts = row_of(v, 5);
	rc |= put_people(b, contacts);
	rc |= zb_buf_puts(b, "</td>");
	rc |= date_cell(b, "指定日期", contacts ? contacts->rec.done_on : NULL);
	rc |= zb_buf_puts(b, "</tr></table><h2 class=\"sub\">培养教育考察情况</h2><table class=\"grid\">"
	                     "<tr><th style=\"width:12mm\">次</th><th style=\"width:36mm\">考察日期</th><th>考察意见</th>"
	                     "<th style=\"width:30mm\">培养联系人签字</th></tr>");
	int n = 0;
	for (int i = 0; i < v->nrows; i++) {
		const zb_rstep_row *r = &v->rows[i];
		if (r->rec.step != 6)
			continue;
		rc |= zb_buf_printf(b, "<tr><td>%d</td><td>", ++n);
		rc |= put_date(b, r->rec.done_on);
		rc |= zb_buf_puts(b, "</td><td class=\"l\">");
		rc |= esc(b, r->rec.opinion);
		rc |= zb_buf_puts(b, "</td><td></td></tr>");
	}
	/* blank rows for the 考察 still to come: at least two, and as many
	 * as the year of 培养 needs (one every assess_every_months) */
	int need = rules->assess_every_months > 0 ? rules->activist_min_months / rules->assess_every_months : 2;
	int blanks = need - n > 2 ? need - n : 2;
	if (date_of(v, 7))
		blanks = 0;
	for (int i = 0; i < blanks; i++)
		rc |= zb_buf_printf(b, "<tr class=\"blank\"><td>%d</td><td></td><td class=\"l\"></td><td></td></tr>", ++n);
	rc |= zb_buf_puts(b, "</table><table class=\"grid\" style=\"margin-top:4mm\"><tr>");
	rc |= date_cell(b, "确定为发展对象", date_of(v, 7));
	rc |= zb_buf_puts(b, "<th>党支部意见</th><td class=\"l\" style=\"height:18mm\"></td></tr></table>");
	rc |= zb_buf_puts(b, "<p class=\"right\">党支部书记（签字）：__________　　年　　月　　日</p>");
	return rc | foot(b, ap->id, today);
}

int zb_recruit_print_record(zb_db *db, int64_t applicant_id, const char *today, zb_arena *a, zb_buf *out, zb_err *e)
{
	zb_rcase_view v;
	zb_recruit_rules rules;
	int rc = zb_recruit_view(db, applicant_id, today, a, &v, e);
	if (!rc)
		rc = zb_recruit_rules_get(db, v.a.org_path, v.a.applied_on, &rules, e);
	if (rc)
		return rc;
	if (record_html(&v, &rules, today, out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "记录过大，无法生成打印页");
	return 0;
}

/* ---- 发展党员公示 ---- */

/* The approving 党委: the deepest ancestor of the branch of type 党委. */
static int committee_of(zb_db *db, const char *path, zb_arena *a, zb_org *out, zb_err *e)
{
	int64_t ids[64];
	int n = 0;
	for (const char *p = path; p && *p && n < 64;) {
		p = strchr(p, '/');
		if (!p || !p[1])
			break;
		ids[n++] = strtoll(++p, NULL, 10);
	}
	zb_org *orgs;
	int norgs;
	memset(out, 0, sizeof *out);
	int rc = zb_org_get_many(db, ids, n > 0 ? n - 1 : 0, a, &orgs, &norgs, e);
	if (rc)
		return rc;
	for (int i = 0; i < norgs; i++)
		if (!strcmp(orgs[i].type, "committee") && (!out->path || orgs[i].depth > out->depth))
			*out = orgs[i];
	return 0;
}

static int publicity_html(const zb_rcase_view *v, const zb_org *pc, const char *from, const char *to, int days,
                          const char *today, zb_buf *b)
{
	const zb_applicant *ap = &v->a;
	int rc = head(b, ap, "发展党员公示");
	rc |= zb_buf_puts(b, "<div class=\"notice\"><p>根据《中国共产党发展党员工作细则》，经");
	rc |= esc(b, ap->org_name);
	rc |= zb_buf_puts(b, "支部委员会研究，拟将下列同志列为发展对象，发展为中共预备党员。现将有关情况公示如下：</p></div>"
	                     "<table class=\"grid\"><tr>");
	rc |= cell(b, "姓名", ap->name);
	rc |= cell(b, "性别", gender_text(ap->gender));
	rc |= zb_buf_puts(b, "<th>出生年月</th><td>");
	rc |= put_month(b, ap->birth_date);
	rc |= zb_buf_puts(b, "</td></tr><tr>");
	rc |= cell(b, "民族", ap->ethnicity);
	rc |= cell(b, "学历", ap->education);
	rc |= date_cell(b, "申请入党时间", date_of(v, 1));
	rc |= zb_buf_puts(b, "</tr><tr><th>工作单位</th><td colspan=\"5\" class=\"l\">");
	rc |= esc(b, ap->work_unit && *ap->work_unit ? ap->work_unit : "—");
	rc |= zb_buf_puts(b, "</td></tr><tr>");
	rc |= date_cell(b, "确定为积极分子", date_of(v, 3));
	rc |= date_cell(b, "确定为发展对象", date_of(v, 7));
	rc |= zb_buf_puts(b, "<th>入党介绍人</th><td>");
	rc |= put_people(b, row_of(v, 9));
	rc |= zb_buf_puts(b, "</td></tr></table><div class=\"notice\"><p>公示时间：");
	rc |= put_date(b, from);
	rc |= zb_buf_puts(b, "至");
	rc |= put_date(b, to);
	rc |= zb_buf_printf(b, "（%d 个工作日）。</p><p>公示期间，党员和群众可通过来信、来电、来访等方式，向", days);
	rc |= esc(b, ap->org_name);
	if (pc->name) {
		rc |= zb_buf_puts(b, "或");
		rc |= esc(b, pc->name);
	}
	rc |= zb_buf_puts(b, "反映情况和问题。反映问题须实事求是，以真实姓名反映。</p>");
	if (pc->name) {
		rc |= zb_buf_puts(b, "<p>上级党委：");
		rc |= esc(b, pc->name);
		rc |= zb_buf_puts(b, "；联系方式：");
		rc |= esc(b, pc->contact && *pc->contact ? pc->contact : "—");
		rc |= zb_buf_puts(b, "。</p>");
	}
	rc |= zb_buf_puts(b, "</div><p class=\"right\">");
	rc |= esc(b, ap->org_name);
	rc |= zb_buf_puts(b, "<br>");
	rc |= put_date(b, from);
	rc |= zb_buf_puts(b, "</p>");
	return rc | foot(b, ap->id, today);
}

int zb_recruit_print_publicity(zb_db *db, int64_t applicant_id, const char *from, const char *today, zb_arena *a,
                               zb_buf *out, zb_err *e)
{
	zb_rcase_view v;
	zb_recruit_rules rules;
	int rc = zb_recruit_view(db, applicant_id, today, a, &v, e);
	if (rc)
		return rc;
	const zb_rstep_row *s13 = row_of(&v, 13);
	if (s13 && s13->rec.publicity_from && zb_date_valid(s13->rec.publicity_from))
		from = s13->rec.publicity_from;
	else if (!from || !*from)
		from = today;
	else if (!zb_date_valid(from))
		return zb_fail(e, ZB_EINVAL, "from", "公示起始日期格式应为 YYYY-MM-DD");
	if ((rc = zb_recruit_rules_get(db, v.a.org_path, from, &rules, e)))
		return rc;
	zb_workcal *cal = NULL;
	int year = atoi(from);
	if ((rc = zb_workcal_load(db, year, year + 1, &cal, e)))
		return rc;
	char to[11];
	zb_workcal_nth(cal, from, rules.publicity_workdays, to);
	zb_workcal_free(cal);
	zb_org pc;
	if ((rc = committee_of(db, v.a.org_path, a, &pc, e)))
		return rc;
	if (publicity_html(&v, &pc, from, to, rules.publicity_workdays, today, out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "记录过大，无法生成打印页");
	return 0;
}
