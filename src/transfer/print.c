/* print.c - the printables of a transfer: the 介绍信 with its 存根 (kept by
 * the issuing 党委) and the 回执 form below it, and the 回执 as returned.
 *
 * Plain HTML with an inline print stylesheet and no script, like the
 * meeting record (meeting/print.c).  Every text that came from a user is
 * written through zb_esc_html; the only unescaped strings are literals.
 */
#include "core/escape.h"
#include "transfer/transfer.h"

#include <string.h>

static const char STYLE[] =
	"<style>"
	"@page{size:A4;margin:14mm}"
	"body{font-family:'SimSun','Songti SC','Noto Serif CJK SC',serif;color:#000;margin:0;background:#fff}"
	".page{max-width:182mm;margin:0 auto;padding:6mm 0}"
	"section{border:1px solid #000;padding:5mm 6mm;margin-bottom:6mm}"
	"h1{text-align:center;font-size:18pt;letter-spacing:.2em;margin:0 0 3mm}"
	".no{text-align:right;font-size:10pt;margin:0 0 3mm}"
	"p{font-size:12pt;line-height:2;margin:0}"
	".u{border-bottom:1px solid #000;padding:0 2mm}"
	".sign{text-align:right;margin-top:4mm}"
	".cut{border-top:1px dashed #000;text-align:center;font-size:9pt;margin:0 0 6mm;color:#333}"
	"</style>";

static int esc(zb_buf *b, const char *s)
{
	int rc = zb_buf_puts(b, "<span class=\"u\">");
	rc |= zb_esc_html(b, s && *s ? s : "　　");
	return rc | zb_buf_puts(b, "</span>");
}

static const char *dest(const zb_transfer *t)
{
	return t->to_org_id ? t->to_org_name : t->outside_org;
}

static const char *from(const zb_transfer *t)
{
	return strcmp(t->direction, "in") ? t->from_org_name : t->outside_org;
}

static const char *issuer(const zb_transfer *t)
{
	return strcmp(t->direction, "in") ? t->from_committee_name : t->outside_org;
}

static int head_for(zb_buf *b, const char *title, const char *name)
{
	int rc = zb_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	rc |= zb_buf_puts(b, title);
	rc |= zb_buf_puts(b, " ");
	rc |= zb_esc_html(b, name);
	rc |= zb_buf_puts(b, "</title>");
	rc |= zb_buf_puts(b, STYLE);
	return rc | zb_buf_puts(b, "</head><body><div class=\"page\">");
}

static int head(zb_buf *b, const char *title, const zb_transfer *t)
{
	return head_for(b, title, t->member_name);
}

static int no_line(zb_buf *b, const zb_transfer *t)
{
	int rc = zb_buf_puts(b, "<div class=\"no\">介绍信编号：");
	rc |= zb_esc_html(b, t->letter_no ? t->letter_no : "（尚未开具）");
	return rc | zb_buf_puts(b, "</div>");
}

/* the body of the 回执: who took the member in, and when */
static int receipt_body(zb_buf *b, const zb_transfer *t, int filled)
{
	int rc = zb_buf_puts(b, "<p>");
	rc |= esc(b, issuer(t));
	rc |= zb_buf_puts(b, "：</p><p>　　");
	rc |= esc(b, t->member_name);
	rc |= zb_buf_puts(b, " 同志的党员组织关系已转达我处，特此回复。</p>");
	rc |= zb_buf_puts(b, "<p class=\"sign\">");
	rc |= esc(b, filled ? (t->to_committee_name ? t->to_committee_name : dest(t)) : NULL);
	rc |= zb_buf_puts(b, "（盖章）</p><p class=\"sign\">");
	rc |= esc(b, filled ? (t->receipt_on ? t->receipt_on : t->accepted_on) : NULL);
	return rc | zb_buf_puts(b, "</p>");
}

int zb_transfer_letter_html(const zb_transfer *t, const zb_transfer_rules *r, zb_buf *b)
{
	int rc = head(b, "党员组织关系介绍信", t);
	/* 存根: kept by the issuing 党委 */
	rc |= zb_buf_puts(b, "<section class=\"stub\"><h1>介绍信存根</h1>");
	rc |= no_line(b, t);
	rc |= zb_buf_puts(b, "<p>");
	rc |= esc(b, t->member_name);
	rc |= zb_buf_puts(b, " 同志，由 ");
	rc |= esc(b, from(t));
	rc |= zb_buf_puts(b, " 转往 ");
	rc |= esc(b, dest(t));
	rc |= zb_buf_puts(b, "。</p><p>转接原因：");
	rc |= esc(b, t->reason);
	rc |= zb_buf_puts(b, "　党费交到：");
	rc |= esc(b, t->dues_paid_to);
	rc |= zb_buf_puts(b, "</p><p>开具日期：");
	rc |= esc(b, t->issued_on);
	rc |= zb_buf_puts(b, "　有效期至：");
	rc |= esc(b, t->valid_until);
	rc |= zb_buf_printf(b, "</p><p>（存根由开具介绍信的党委保存 %d 年）</p></section>", r->stub_keep_years);
	rc |= zb_buf_puts(b, "<div class=\"cut\">（此处骑缝盖章）</div>");
	/* the letter */
	rc |= zb_buf_puts(b, "<section class=\"letter\"><h1>中国共产党党员组织关系介绍信</h1>");
	rc |= no_line(b, t);
	rc |= zb_buf_puts(b, "<p>");
	rc |= esc(b, t->to_committee_name ? t->to_committee_name : dest(t));
	rc |= zb_buf_puts(b, "：</p><p>　　");
	rc |= esc(b, t->member_name);
	rc |= zb_buf_puts(b, " 同志，系中共党员，由 ");
	rc |= esc(b, from(t));
	rc |= zb_buf_puts(b, " 转往 ");
	rc |= esc(b, dest(t));
	rc |= zb_buf_puts(b, "，请转接组织关系。该同志党费已交到 ");
	rc |= esc(b, t->dues_paid_to);
	rc |= zb_buf_puts(b, "。</p><p>转接原因：");
	rc |= esc(b, t->reason);
	rc |= zb_buf_printf(b, "</p><p>（有效期 %d 个月，至 ", t->valid_months);
	rc |= esc(b, t->valid_until);
	rc |= zb_buf_puts(b, "）</p><p class=\"sign\">");
	rc |= esc(b, issuer(t));
	rc |= zb_buf_puts(b, "（盖章）</p><p class=\"sign\">");
	rc |= esc(b, t->issued_on);
	rc |= zb_buf_puts(b, "</p></section>");
	rc |= zb_buf_puts(b, "<div class=\"cut\">（回执：由接收党组织填写后寄回开具介绍信的党委）</div>");
	rc |= zb_buf_puts(b, "<section class=\"receipt\"><h1>回　执</h1>");
	rc |= no_line(b, t);
	rc |= receipt_body(b, t, 0);
	rc |= zb_buf_puts(b, "</section></div></body></html>");
	return rc;
}

int zb_transfer_receipt_html(const zb_transfer *t, zb_buf *b)
{
	int rc = head(b, "党员组织关系介绍信回执", t);
	rc |= zb_buf_puts(b, "<section class=\"receipt\"><h1>回　执</h1>");
	rc |= no_line(b, t);
	rc |= receipt_body(b, t, 1);
	return rc | zb_buf_puts(b, "</section></div></body></html>");
}

/* ---- 流动党员 ---- */

/* The period of the absence: from left_on, to until_on or open. */
static int period(zb_buf *b, const zb_mobile *m)
{
	int rc = esc(b, m->left_on);
	rc |= zb_buf_puts(b, " 至 ");
	return rc | esc(b, m->until_on ? m->until_on : "返回之日");
}

int zb_mobile_paper_html(const zb_mobile *m, const char *home_name, zb_buf *b)
{
	int card = !strcmp(m->paper, "activity_card");
	const char *title = card ? "流动党员活动证" : "流动党员证明信";
	int rc = head_for(b, title, m->member_name);
	rc |= zb_buf_puts(b, "<section class=\"paper\"><h1>");
	rc |= zb_buf_puts(b, title);
	rc |= zb_buf_puts(b, "</h1><div class=\"no\">编号：");
	rc |= zb_esc_html(b, m->paper_no ? m->paper_no : "");
	rc |= zb_buf_puts(b, "</div>");
	if (card) {
		rc |= zb_buf_puts(b, "<p>姓名：");
		rc |= esc(b, m->member_name);
		rc |= zb_buf_puts(b, "</p><p>所在党支部：");
		rc |= esc(b, home_name);
		rc |= zb_buf_puts(b, "</p><p>外出地点：");
		rc |= esc(b, m->destination);
		rc |= zb_buf_puts(b, "（无固定外出地点）</p><p>外出时间：");
		rc |= period(b, m);
		rc |= zb_buf_puts(b, "</p><p>联系方式：");
		rc |= esc(b, m->contact);
		rc |= zb_buf_puts(b, "</p><p>持证人可凭此证参加所到地党组织的组织生活，"
		                     "由所到地党组织在证上记载其参加组织生活、交纳党费的情况。</p>");
	} else {
		rc |= zb_buf_puts(b, "<p>");
		rc |= esc(b, m->care_org_name);
		rc |= zb_buf_puts(b, "：</p><p>　　兹有我支部中共党员 ");
		rc |= esc(b, m->member_name);
		rc |= zb_buf_puts(b, " 同志，外出到 ");
		rc |= esc(b, m->destination);
		rc |= zb_buf_puts(b, "，时间自 ");
		rc |= period(b, m);
		rc |= zb_buf_puts(b, "。请接洽其参加你处党组织的组织生活，并将其表现情况告知我支部。</p><p>联系方式：");
		rc |= esc(b, m->contact);
		rc |= zb_buf_puts(b, "</p>");
	}
	rc |= zb_buf_puts(b, "<p class=\"sign\">");
	rc |= esc(b, home_name);
	rc |= zb_buf_puts(b, "（盖章）</p><p class=\"sign\">");
	rc |= esc(b, m->left_on);
	return rc | zb_buf_puts(b, "</p></section></div></body></html>");
}
