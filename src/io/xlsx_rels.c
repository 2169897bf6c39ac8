/* xlsx_rels.c - the package and workbook relationships: from
 * _rels/.rels to the workbook, its sheets in tab order, and the parts the
 * workbook relationships name (sheet, shared strings, styles). */
#include "io/xlsx_int.h"

#include "core/hex.h"

#include <stdio.h>
#include <string.h>

/* Resolve an OPC relationship target against the part that owns the rels.
 * Handles absolute "/xl/..", "./", "../" and %XX escapes. */
static int resolve(const char *base_part, const char *target, char *out, size_t outsz)
{
	char raw[1024];
	size_t n = 0;
	if (target[0] == '/') {
		target++;
	} else {
		const char *slash = strrchr(base_part, '/');
		size_t dl = slash ? (size_t)(slash - base_part) + 1 : 0;
		if (dl >= sizeof raw)
			return -1;
		memcpy(raw, base_part, dl);
		n = dl;
	}
	for (const char *p = target; *p; p++) {
		char c = *p;
		unsigned char pc;
		size_t got;
		if (c == '%' && strnlen(p + 1, 2) == 2 && !zb_hex_decode(p + 1, 2, &pc, 1, &got)) {
			c = (char)pc;
			p += 2;
		}
		if (c == '\\')
			c = '/';
		if (n + 1 >= sizeof raw)
			return -1;
		raw[n++] = c;
	}
	raw[n] = '\0';
	/* normalise segments */
	size_t o = 0;
	char *seg = raw;
	while (seg) {
		char *next = strchr(seg, '/');
		if (next)
			*next++ = '\0';
		if (!*seg || !strcmp(seg, ".")) {
			/* skip */
		} else if (!strcmp(seg, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			size_t sl = strlen(seg);
			if (o + sl + 2 > outsz)
				return -1;
			if (o)
				out[o++] = '/';
			memcpy(out + o, seg, sl);
			o += sl;
		}
		seg = next;
	}
	if (!o)
		return -1;
	out[o] = '\0';
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* ---- package structure -------------------------------------------------- */

typedef struct list_ctx {
	strlist *l;
	int oom;
} list_ctx;

static void list_add(part *p, list_ctx *c, const char *s)
{
	int rc = xl_sl_add(c->l, s);
	if (rc)
		xl_part_stop(p, rc == ZB_ETOOBIG ? xl_fail_budget(p->x) : xl_fail_oom(p->x));
}

/* .rels: triples (Id, Type, Target), external targets skipped */
static void rels_start(part *p, const char *ln, int na, const xmlChar **at)
{
	list_ctx *c = p->ud;
	char id[256], type[256], target[1024], mode[32];
	if (strcmp(ln, "Relationship"))
		return;
	if (!xl_sax_attr(na, at, "Id", id, sizeof id) ||
	    !xl_sax_attr(na, at, "Target", target, sizeof target))
		return;
	if (!xl_sax_attr(na, at, "Type", type, sizeof type))
		type[0] = '\0';
	if (xl_sax_attr(na, at, "TargetMode", mode, sizeof mode) && !strcmp(mode, "External"))
		return;
	list_add(p, c, id);
	list_add(p, c, type);
	list_add(p, c, target);
}

/* Returns 0, ABSENT or a zb_code. */
static int read_rels(xl *x, const char *name, strlist *rels)
{
	list_ctx c = {rels, 0};
	part p = {.x = x, .name = name, .ud = &c, .start = rels_start};
	return xl_part_parse(&p, 0);
}

static const char *rel_find(const strlist *rels, const char *id, const char **type)
{
	for (size_t i = 0; i + 2 < rels->n; i += 3) {
		if (!strcmp(sl_get(rels, i), id)) {
			*type = sl_get(rels, i + 1);
			return sl_get(rels, i + 2);
		}
	}
	return NULL;
}

static const char *rel_by_type(const strlist *rels, const char *suffix)
{
	for (size_t i = 0; i + 2 < rels->n; i += 3)
		if (ends_with(sl_get(rels, i + 1), suffix))
			return sl_get(rels, i + 2);
	return NULL;
}

/* workbook: date system, and the sheets in tab order as triples
 * (name, r:id, state) */
static void workbook_start(part *p, const char *ln, int na, const xmlChar **at)
{
	list_ctx *c = p->ud;
	char v[256];
	if (!strcmp(ln, "workbookPr")) {
		if (xl_sax_attr(na, at, "date1904", v, sizeof v))
			p->x->date1904 = !strcmp(v, "1") || !strcmp(v, "true");
	} else if (!strcmp(ln, "sheet")) {
		char name[256], rid[256], state[32];
		/* r:id is the only attribute of <sheet> whose local name is "id" */
		if (!xl_sax_attr(na, at, "id", rid, sizeof rid))
			return;
		if (!xl_sax_attr(na, at, "name", name, sizeof name))
			name[0] = '\0';
		if (!xl_sax_attr(na, at, "state", state, sizeof state))
			state[0] = '\0';
		list_add(p, c, name);
		list_add(p, c, rid);
		list_add(p, c, state);
	}
}

static void workbook_end(part *p, const char *ln)
{
	if (!strcmp(ln, "sheets"))
		xl_part_stop(p, 0); /* nothing we need comes after <sheets> */
}

int xl_find_parts(xl *x)
{
	strlist rels = {0}, sheets = {0};
	int rc;
	zb_buf_init(&rels.buf, x->lim.max_total_bytes);
	zb_buf_init(&sheets.buf, x->lim.max_total_bytes);

	/* package rels -> workbook part */
	snprintf(x->wb_path, sizeof x->wb_path, "xl/workbook.xml");
	rc = read_rels(x, "_rels/.rels", &rels);
	if (rc && rc != ABSENT)
		goto out;
	if (rc == 0) {
		const char *t = rel_by_type(&rels, "/officeDocument");
		if (t && resolve("", t, x->wb_path, sizeof x->wb_path))
			snprintf(x->wb_path, sizeof x->wb_path, "xl/workbook.xml");
	}
	xl_sl_free(&rels);
	zb_buf_init(&rels.buf, x->lim.max_total_bytes);

	list_ctx c = {&sheets, 0};
	part p = {.x = x, .name = x->wb_path, .ud = &c, .start = workbook_start,
		  .end = workbook_end};
	if ((rc = xl_part_parse(&p, 1)))
		goto out;
	if (!sheets.n) {
		rc = xl_fail_bad(x, "工作簿中没有工作表");
		goto out;
	}

	/* workbook rels: dir/_rels/name.rels */
	char rels_path[600];
	const char *slash = strrchr(x->wb_path, '/');
	if (slash)
		snprintf(rels_path, sizeof rels_path, "%.*s/_rels/%s.rels",
			 (int)(slash - x->wb_path), x->wb_path, slash + 1);
	else
		snprintf(rels_path, sizeof rels_path, "_rels/%s.rels", x->wb_path);
	rc = read_rels(x, rels_path, &rels);
	if (rc == ABSENT) {
		rc = xl_fail_bad(x, "缺少工作簿关系文件");
		goto out;
	}
	if (rc)
		goto out;

	/* first visible worksheet in tab order, else the first worksheet;
	 * chart sheets and dialog sheets hold no cells */
	x->sheet_path[0] = '\0';
	for (int pass = 0; pass < 2 && !x->sheet_path[0]; pass++) {
		for (size_t i = 0; i + 2 < sheets.n; i += 3) {
			const char *type = "";
			const char *target = rel_find(&rels, sl_get(&sheets, i + 1), &type);
			const char *state = sl_get(&sheets, i + 2);
			if (!target || !ends_with(type, "/worksheet"))
				continue;
			if (pass == 0 && (!strcmp(state, "hidden") || !strcmp(state, "veryHidden")))
				continue;
			if (resolve(x->wb_path, target, x->sheet_path, sizeof x->sheet_path)) {
				x->sheet_path[0] = '\0';
				continue;
			}
			snprintf(x->sheet_name, sizeof x->sheet_name, "%s", sl_get(&sheets, i));
			break;
		}
	}
	if (!x->sheet_path[0]) {
		rc = xl_fail_bad(x, "工作簿中没有可读取的工作表");
		goto out;
	}

	const char *t = rel_by_type(&rels, "/sharedStrings");
	if (!t || resolve(x->wb_path, t, x->sst_path, sizeof x->sst_path))
		resolve(x->wb_path, "sharedStrings.xml", x->sst_path, sizeof x->sst_path);
	t = rel_by_type(&rels, "/styles");
	if (!t || resolve(x->wb_path, t, x->styles_path, sizeof x->styles_path))
		resolve(x->wb_path, "styles.xml", x->styles_path, sizeof x->styles_path);
	rc = 0;
out:
	xl_sl_free(&rels);
	xl_sl_free(&sheets);
	return rc;
}

