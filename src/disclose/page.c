/* page.c - the public page of a village's 三务公开 and the sheet with its
 * QR code for the 公开栏 (disclose.h).  Plain HTML with a few lines of
 * inline CSS and no script: it must open fast on a cheap phone and print
 * on one board.  Every text from the database goes through zb_esc_html. */
#include "disclose/disclose.h"

#include "core/escape.h"
#include "meeting/signin.h"

#include <jansson.h>
#include <string.h>

static const char CSS[] =
	"body{font:16px/1.6 sans-serif;margin:0 auto;max-width:48em;padding:0 12px;color:#222}"
	"h1{font-size:1.3em;margin:.8em 0 .2em}h2{font-size:1.1em;margin:0}"
	"article{border-top:1px solid #ccc;padding:.6em 0}"
	".m{color:#666;font-size:.9em}.k{display:inline-block;border:1px solid #b00;color:#b00;padding:0 .3em;"
	"margin-right:.4em;font-size:.85em}"
	"p{margin:.4em 0;white-space:pre-wrap}"
	".t{overflow-x:auto}table{border-collapse:collapse;margin:.4em 0;font-size:.9em}"
	"th,td{border:1px solid #999;padding:2px 6px;text-align:left}caption{text-align:left;font-weight:bold}"
	"td.n{text-align:right}svg{width:100%;height:auto}.f{margin:.4em 0;padding-left:1.2em}"
	"@media print{body{max-width:none;font-size:12pt}article{break-inside:avoid}.np{display:none}"
	".t{overflow:visible}a{color:#000;text-decoration:none}}";

static void head(zb_buf *b, const char *title)
{
	zb_buf_puts(b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
	               "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	               "<meta name=\"robots\" content=\"noindex\"><link rel=\"icon\" href=\"data:,\"><title>");
	zb_esc_html(b, title);
	zb_buf_puts(b, "</title><style>");
	zb_buf_puts(b, CSS);
	zb_buf_puts(b, "</style></head><body>");
}

static const char *kind_name(const char *kind)
{
	int k = zb_disclose_kind(kind);
	return k < 0 ? "" : zb_disclose_kind_names[k];
}

static void cell(zb_buf *b, json_t *c, const char *tag)
{
	if (json_is_number(c)) {
		zb_buf_printf(b, "<%s class=\"n\">", tag);
		if (json_is_integer(c))
			zb_buf_printf(b, "%lld", (long long)json_integer_value(c));
		else
			zb_buf_printf(b, "%.2f", json_real_value(c));
	} else {
		zb_buf_printf(b, "<%s>", tag);
		zb_esc_html(b, json_string_value(c) ? json_string_value(c) : "");
	}
	zb_buf_printf(b, "</%s>", tag);
}

static void tables(zb_buf *b, const char *text)
{
	json_t *ts = json_loads(text ? text : "[]", 0, NULL);
	size_t i, j, k;
	json_t *t, *row, *c;
	json_array_foreach(ts, i, t)
	{
		zb_buf_puts(b, "<div class=\"t\"><table>");
		const char *title = json_string_value(json_object_get(t, "title"));
		if (title && *title) {
			zb_buf_puts(b, "<caption>");
			zb_esc_html(b, title);
			zb_buf_puts(b, "</caption>");
		}
		zb_buf_puts(b, "<thead><tr>");
		json_array_foreach(json_object_get(t, "columns"), j, c) cell(b, c, "th");
		zb_buf_puts(b, "</tr></thead><tbody>");
		json_array_foreach(json_object_get(t, "rows"), j, row)
		{
			zb_buf_puts(b, "<tr>");
			json_array_foreach(row, k, c) cell(b, c, "td");
			zb_buf_puts(b, "</tr>");
		}
		zb_buf_puts(b, "</tbody></table></div>");
	}
	json_decref(ts);
}

/* The attachments as links with their captions: a photo is opened by a
 * tap, not loaded with the page (a receipt photographed by a phone is
 * megabytes; the page must open on a slow line). */
static void files(zb_buf *b, const zb_disclosure *d)
{
	if (!d->nfiles)
		return;
	zb_buf_puts(b, "<ul class=\"f\">");
	for (int i = 0; i < d->nfiles; i++) {
		const zb_disclosure_file *f = &d->files[i];
		zb_buf_printf(b, "<li><a href=\"/api/v1/public/disclosure-files/%lld\">", (long long)f->id);
		zb_esc_html(b, f->caption);
		zb_buf_printf(b, "</a> <span class=\"m\">%s · %lld KB</span></li>", !strcmp(f->kind, "pdf") ? "PDF" : "照片",
		              (long long)((f->size + 1023) / 1024));
	}
	zb_buf_puts(b, "</ul>");
}

static void period_text(zb_buf *b, const char *p)
{
	char unit, first[11], last[11];
	if (zb_disclose_period(p, &unit, first, last)) {
		zb_esc_html(b, p);
		return;
	}
	if (unit == 'q')
		zb_buf_printf(b, "%.4s年第%c季度", p, p[6]);
	else if (unit == 'm')
		zb_buf_printf(b, "%.4s年%d月", p, (p[5] - '0') * 10 + (p[6] - '0'));
	else
		zb_buf_printf(b, "%.4s年%d月%d日", p, (p[5] - '0') * 10 + (p[6] - '0'), (p[8] - '0') * 10 + (p[9] - '0'));
}

int zb_disclose_page_html(const zb_village *v, const zb_disclosure *rows, int n, const char *today, zb_buf *out)
{
	head(out, v->name);
	zb_buf_puts(out, "<header><h1>");
	zb_esc_html(out, v->name);
	zb_buf_puts(out, "</h1><div class=\"m\">党务、村务、财务公开");
	if (v->township_name) {
		zb_buf_puts(out, " · ");
		zb_esc_html(out, v->township_name);
	}
	zb_buf_printf(out, " · 截至 %s</div></header><main>", today);
	if (!n)
		zb_buf_puts(out, "<p>暂无公开事项。</p>");
	for (int i = 0; i < n; i++) {
		const zb_disclosure *d = &rows[i];
		zb_buf_printf(out, "<article id=\"d%lld\"><h2><span class=\"k\">%s</span>", (long long)d->id,
		              kind_name(d->kind));
		zb_esc_html(out, d->title);
		zb_buf_puts(out, "</h2><div class=\"m\">");
		period_text(out, d->period);
		zb_buf_puts(out, " · 公开于 ");
		zb_esc_html(out, d->published_on ? d->published_on : "");
		zb_buf_puts(out, "</div>");
		if (d->body && *d->body) {
			zb_buf_puts(out, "<p>");
			zb_esc_html(out, d->body);
			zb_buf_puts(out, "</p>");
		}
		tables(out, d->tables);
		files(out, d);
		zb_buf_puts(out, "</article>");
	}
	zb_buf_puts(out, "</main><footer class=\"m\"><p>对公开内容有疑问，可向村务监督委员会或乡镇党委反映。</p></footer>"
	                 "</body></html>");
	return 0;
}

int zb_disclose_board_html(const zb_village *v, const char *url, zb_buf *out, zb_err *e)
{
	head(out, v->name);
	zb_buf_puts(out, "<div style=\"text-align:center;padding-top:2em\"><h1>");
	zb_esc_html(out, v->name);
	zb_buf_puts(out, "</h1><p>党务、村务、财务公开</p><div style=\"width:70%;max-width:20em;margin:1em auto\">");
	int rc = zb_qr_svg(url, out, e);
	if (rc)
		return rc;
	zb_buf_puts(out, "</div><p>用手机扫码查看本村公开内容</p><p class=\"m\">");
	zb_esc_html(out, url);
	zb_buf_puts(out, "</p></div></body></html>");
	return 0;
}
