/* print.c - the printable meeting record (会议记录本 layout).
 *
 * Plain HTML with an inline print stylesheet and no script (the server's
 * CSP allows inline styles, not scripts): the browser's own print command
 * prints it on A4.  Every text that came from a user is written through
 * zb_esc_html; the only unescaped strings are the literals below.
 */
#include "core/escape.h"
#include "meeting/meeting.h"

#include <string.h>

static const char STYLE[] =
	"<style>"
	"@page{size:A4;margin:16mm 14mm}"
	"body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;color:#000;margin:0;background:#fff}"
	".page{max-width:182mm;margin:0 auto;padding:8mm 0}"
	"h1{text-align:center;font-size:20pt;letter-spacing:.2em;margin:0 0 2mm}"
	".org{text-align:center;font-size:12pt;margin:0 0 6mm}"
	"table.rec{width:100%;border-collapse:collapse;font-size:11pt;table-layout:fixed}"
	"table.rec th,table.rec td{border:1px solid #000;padding:2mm 2.5mm;vertical-align:top;text-align:left}"
	"table.rec th{width:22mm;font-weight:normal;text-align:center;background:#f4f4f4}"
	".pre{white-space:pre-wrap;word-break:break-word}"
	".minutes{min-height:70mm}"
	".warn{font-weight:bold}"
	"table.res{width:100%;border-collapse:collapse}"
	"table.res th,table.res td{border:1px solid #666;padding:1mm 2mm;text-align:center}"
	"table.res td.t{text-align:left}"
	".sign{margin-top:10mm;display:flex;justify-content:space-between;font-size:11pt}"
	".foot{margin-top:6mm;font-size:8pt;color:#555;text-align:right}"
	"@media print{table.rec th{background:none}}"
	"</style>";

static int esc(zb_buf *b, const char *s)
{
	return zb_esc_html(b, s ? s : "");
}

/* names of attendance rows with a status, "、"-separated */
static int names(zb_buf *b, const zb_meeting_full *f, const char *status, int with_reason)
{
	int rc = 0, n = 0;
	for (int i = 0; i < f->natt && !rc; i++) {
		const zb_att_row *a = &f->att[i];
		if (strcmp(a->status, status))
			continue;
		if (n++)
			rc |= zb_buf_puts(b, "、");
		rc |= esc(b, a->name);
		if (!a->has_vote && f->m.type == ZB_MT_PLENARY)
			rc |= zb_buf_puts(b, "（预备/无表决权）");
		if (with_reason && a->reason && *a->reason) {
			rc |= zb_buf_puts(b, "（");
			rc |= esc(b, a->reason);
			rc |= zb_buf_puts(b, "）");
		}
	}
	if (!n)
		rc |= zb_buf_puts(b, "无");
	return rc;
}

static int row(zb_buf *b, const char *label, const char *value, const char *cls)
{
	int rc = zb_buf_printf(b, "<tr><th>%s</th><td colspan=\"3\"%s%s%s>", label, cls ? " class=\"" : "", cls ? cls : "",
	                       cls ? "\"" : "");
	rc |= esc(b, value && *value ? value : "—");
	return rc | zb_buf_puts(b, "</td></tr>");
}

int zb_meeting_print_html(const zb_meeting_full *f, const zb_mrules *r, int64_t now, zb_buf *b)
{
	const zb_meeting *m = &f->m;
	char t0[20], t1[20], tp[20];
	zb_meeting_fmt_time(m->start_at, t0);
	zb_meeting_fmt_time(m->end_at ? m->end_at : m->start_at, t1);
	zb_meeting_fmt_time(now, tp);
	int rc = zb_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	rc |= esc(b, m->title);
	rc |= zb_buf_puts(b, " - 会议记录</title>");
	rc |= zb_buf_puts(b, STYLE);
	rc |= zb_buf_printf(b, "</head><body><div class=\"page\"><h1>%s记录</h1><p class=\"org\">", zb_mtype_name(m->type));
	rc |= esc(b, m->org_name);
	rc |= zb_buf_puts(b, "</p><table class=\"rec\">");
	rc |= row(b, "会议名称", m->title, NULL);
	rc |= zb_buf_printf(b, "<tr><th>时间</th><td>%s%s%s</td><th>地点</th><td>", t0, m->end_at ? " 至 " : "",
	                    m->end_at ? t1 + 11 : "");
	rc |= esc(b, m->place && *m->place ? m->place : "—");
	rc |= zb_buf_puts(b, "</td></tr><tr><th>主持人</th><td>");
	rc |= esc(b, m->host && *m->host ? m->host : "—");
	rc |= zb_buf_puts(b, "</td><th>记录人</th><td>");
	rc |= esc(b, m->recorder && *m->recorder ? m->recorder : "—");
	rc |= zb_buf_puts(b, "</td></tr>");
	if (m->type == ZB_MT_LECTURE)
		rc |= row(b, "授课人", m->speaker, NULL);
	if (m->type == ZB_MT_TALK) {
		rc |= zb_buf_puts(b, "<tr><th>谈话双方</th><td colspan=\"3\">");
		rc |= esc(b, m->talk_a_name);
		rc |= zb_buf_puts(b, " 与 ");
		rc |= esc(b, m->talk_b_name);
		rc |= zb_buf_puts(b, "</td></tr>");
	} else {
		rc |= zb_buf_printf(b,
		                    "<tr><th>应到</th><td>%d 人</td><th>实到</th><td>%d 人</td></tr>"
		                    "<tr><th>请假</th><td>%d 人</td><th>缺席</th><td>%d 人</td></tr>",
		                    m->expected, m->present, m->leave, m->absent);
		if (m->type == ZB_MT_PLENARY)
			rc |= zb_buf_printf(b, "<tr><th>表决权</th><td colspan=\"3\">有表决权 %d 人，到会 %d 人</td></tr>", m->voters,
			                    m->present_voters);
		rc |= zb_buf_puts(b, "<tr><th>出席人员</th><td colspan=\"3\">");
		rc |= names(b, f, "present", 0);
		rc |= zb_buf_puts(b, "</td></tr><tr><th>请假人员</th><td colspan=\"3\">");
		rc |= names(b, f, "leave", 1);
		rc |= zb_buf_puts(b, "</td></tr><tr><th>缺席人员</th><td colspan=\"3\">");
		rc |= names(b, f, "absent", 0);
		rc |= zb_buf_puts(b, "</td></tr>");
	}
	rc |= zb_buf_puts(b, "<tr><th>列席人员</th><td colspan=\"3\">");
	for (int i = 0; i < f->nguests; i++) {
		if (i)
			rc |= zb_buf_puts(b, "、");
		rc |= esc(b, f->guests[i]);
	}
	if (!f->nguests)
		rc |= zb_buf_puts(b, "无");
	rc |= zb_buf_puts(b, "</td></tr>");
	if (m->type != ZB_MT_TALK) {
		int has, base, present;
		zb_frac fr;
		zb_meeting_quorum_rule(m, r, &has, &fr, &base, &present);
		rc |= zb_buf_puts(b, "<tr><th>法定人数</th><td colspan=\"3\"");
		rc |= zb_buf_puts(b, m->quorum_ok ? ">" : " class=\"warn\">");
		if (has)
			rc |= zb_buf_printf(b, "应计 %d 人，须%s %d/%d（至少 %d 人），到会 %d 人：%s", base, fr.strict ? "超过" : "达到",
			                    fr.num, fr.den, m->quorum_need, present,
			                    m->quorum_ok ? "符合" : "不符合，会议所作决议无效");
		else
			rc |= zb_buf_printf(b, "本类会议无法定人数要求，到会 %d 人", present);
		rc |= zb_buf_puts(b, "</td></tr>");
	}
	rc |= row(b, "议题", m->topic, "pre");
	rc |= row(b, "议程", m->agenda, "pre");
	rc |= row(b, m->type == ZB_MT_TALK ? "谈话要点" : "会议内容", m->minutes, "pre minutes");
	rc |= zb_buf_puts(b, "<tr><th>决议事项</th><td colspan=\"3\">");
	if (!f->nres) {
		rc |= zb_buf_puts(b, "无");
	} else {
		int entitled = zb_meeting_entitled(m);
		rc |= zb_buf_printf(b, "<table class=\"res\"><tr><th>事项</th><th>赞成</th><th>反对</th><th>弃权</th>"
		                       "<th>应参加表决</th><th>结果</th></tr>");
		for (int i = 0; i < f->nres; i++) {
			const zb_res_row *x = &f->res[i];
			rc |= zb_buf_puts(b, "<tr><td class=\"t\">");
			rc |= esc(b, x->title);
			if (x->w_yes + x->w_no + x->w_abstain)
				rc |= zb_buf_printf(b, "（含书面意见：赞成 %lld、反对 %lld、弃权 %lld）", (long long)x->w_yes,
				                    (long long)x->w_no, (long long)x->w_abstain);
			rc |= zb_buf_printf(b, "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%d</td><td>%s</td></tr>",
			                    (long long)(x->yes + x->w_yes), (long long)(x->no + x->w_no),
			                    (long long)(x->abstain + x->w_abstain), entitled,
			                    !zb_resolution_counted(m, x)    ? "无效（未达法定人数）"
			                    : zb_resolution_passed(m, r, x) ? "通过"
			                                                    : "未通过");
		}
		rc |= zb_buf_puts(b, "</table>");
	}
	rc |= zb_buf_puts(b, "</td></tr>");
	if (f->nfiles) {
		rc |= zb_buf_puts(b, "<tr><th>附件</th><td colspan=\"3\">");
		for (int i = 0; i < f->nfiles; i++) {
			if (i)
				rc |= zb_buf_puts(b, "、");
			rc |= esc(b, f->files[i].filename);
		}
		rc |= zb_buf_puts(b, "</td></tr>");
	}
	rc |= zb_buf_puts(b, "</table><div class=\"sign\"><span>主持人（签字）：__________</span>"
	                     "<span>记录人（签字）：__________</span></div>");
	rc |= zb_buf_printf(b, "<p class=\"foot\">记录编号 %lld · 打印时间 %s · zhibu</p></div></body></html>", (long long)m->id,
	                    tp);
	return rc ? ZB_ETOOBIG : 0;
}
