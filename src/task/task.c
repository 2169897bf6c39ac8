/* task.c - issuing a task: its targets, form, link and the duplicate
 * check; forwards, replies, files and reminders (task.h). */
#include "task/task.h"
#include "task/tsql.h"

#include "core/date.h"
#include "core/escape.h"
#include "core/grow.h"
#include "core/jw.h"
#include "disclose/disclose.h"
#include "dues/dues.h"
#include "meeting/attach.h"
#include "meeting/mrules.h"
#include "org/org.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const zb_task_kind_codes[ZB_TK_NKINDS] = {"reply", "form", "meeting", "disclosure", "dues"};
const char *const zb_task_kind_names[ZB_TK_NKINDS] = {"回复", "填表", "会议记录", "三务公开", "党费收缴"};

int zb_task_kind_parse(const char *s)
{
	for (int i = 0; s && i < ZB_TK_NKINDS; i++)
		if (!strcmp(s, zb_task_kind_codes[i]))
			return i;
	return -1;
}

#define MAX_TARGETS 5000
#define MAX_FIELDS 30
#define MAX_OPTIONS 30
#define MAX_FILES 10

void zb_task_in_read(json_t *j, zb_task_in *in)
{
	memset(in, 0, sizeof *in);
	json_t *org = json_object_get(j, "org_id");
	in->org_id = json_is_integer(org) ? json_integer_value(org) : 0;
	in->title = json_string_value(json_object_get(j, "title"));
	in->body = json_string_value(json_object_get(j, "body"));
	in->due_on = json_string_value(json_object_get(j, "due_on"));
	in->kind = json_string_value(json_object_get(j, "kind"));
	in->form = json_object_get(j, "form");
	in->link = json_object_get(j, "link");
	in->targets = json_object_get(j, "targets");
	in->confirm_duplicate = json_is_true(json_object_get(j, "confirm_duplicate"));
}

/* ---- the title as compared: no spaces or punctuation, ASCII lower case ---- */

static const char *const PUNCT[] = {"，", "。", "、", "；", "：", "？", "！", "“", "”", "‘", "’", "（", "）",
                                    "《", "》", "【", "】", "—", "…", "·", "　", "「", "」",
                                    /* zero-width space, non-joiner, joiner, word joiner, BOM */
                                    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"};

/* ASCII is kept as itself lower-cased when a letter or digit, else dropped. */
static int ascii_kept(unsigned char c)
{
	return !(c <= ' ' || (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || c >= '{');
}

void zb_task_title_norm(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (const char *p = in ? in : ""; *p && o + 1 < n;) {
		unsigned char c = (unsigned char)*p;
		/* a full-width form U+FF01..U+FF5E (EF BC 81..EF BD 9E) is its ASCII one */
		unsigned char p1 = c == 0xEF ? (unsigned char)p[1] : 0, p2 = p1 ? (unsigned char)p[2] : 0;
		if ((p1 == 0xBC && p2 >= 0x81 && p2 <= 0xBF) || (p1 == 0xBD && p2 >= 0x80 && p2 <= 0x9E)) {
			c = (unsigned char)(0x21 + (p1 == 0xBC ? p2 - 0x81 : p2 - 0x80 + 0x3F));
			p += 2;
		}
		if (c < 0x80) {
			if (ascii_kept(c))
				out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			p++;
			continue;
		}
		size_t skip = 0;
		for (size_t i = 0; i < sizeof PUNCT / sizeof PUNCT[0] && !skip; i++)
			if (!strncmp(p, PUNCT[i], strlen(PUNCT[i])))
				skip = strlen(PUNCT[i]);
		if (skip) {
			p += skip;
			continue;
		}
		out[o++] = *p++;
	}
	/* never cut a character in two: drop a last character whose bytes
	 * did not all fit (a whole one stays) */
	size_t lead = o;
	while (lead > 0 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead > 0 && (unsigned char)out[lead - 1] >= 0xC0) {
		unsigned char l = (unsigned char)out[lead - 1];
		size_t need = l >= 0xF0 ? 4 : l >= 0xE0 ? 3 : 2;
		if (o - (lead - 1) < need)
			o = lead - 1;
	}
	out[o] = 0;
}

/* ---- targets ---- */

typedef struct sub_org {
	int64_t id, parent_id;
	const char *path, *type, *domain;
	int picked;
} sub_org;

typedef struct sub_list {
	zb_arena *a;
	sub_org *v;
	size_t n, cap;
} sub_list;

static int read_sub(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	sub_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	sub_org *o = &l->v[l->n++];
	o->id = zb_col_int(st, 0);
	o->parent_id = zb_col_int(st, 1);
	o->path = zb_arena_strdup(l->a, zb_col_text(st, 2));
	o->type = zb_arena_strdup(l->a, zb_col_text(st, 3));
	o->domain = zb_arena_strdup(l->a, zb_col_text(st, 4));
	o->picked = 0;
	return 0;
}

static int in_list(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_is_string(v) && s && !strcmp(json_string_value(v), s)) return 1;
	return 0;
}

/* The string codes of targets.<key> (absent: *out NULL): an array of
 * known codes. */
static int code_list(json_t *targets, const char *key, const char *(*from)(const char *), const char *what, json_t **out,
                     zb_err *e)
{
	json_t *arr = json_object_get(targets, key);
	*out = NULL;
	if (!arr || json_is_null(arr))
		return 0;
	char field[40];
	snprintf(field, sizeof field, "targets.%s", key);
	if (!json_is_array(arr))
		return zb_fail(e, ZB_EINVAL, field, "请选择%s", what);
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
	{
		const char *c = json_is_string(v) ? from(json_string_value(v)) : NULL;
		if (!c || strcmp(c, json_string_value(v)))
			return zb_fail(e, ZB_EINVAL, field, "未知的%s：%s", what, json_is_string(v) ? json_string_value(v) : "");
	}
	*out = arr;
	return 0;
}

/* Resolve targets under the issuing org (org_id at path) into the picked
 * rows of *subs (ordered by path); *npicked gets how many. */
static int resolve_targets(zb_db *db, int64_t org_id, const char *path, json_t *targets, zb_arena *a, sub_list *subs,
                           int *npicked, zb_err *e)
{
	if (!targets || !json_is_object(targets))
		return zb_fail(e, ZB_EINVAL, "targets", "请选择下发对象");
	const char *mode = json_string_value(json_object_get(targets, "mode"));
	if (!mode || (strcmp(mode, "all") && strcmp(mode, "type") && strcmp(mode, "domain") && strcmp(mode, "orgs")))
		return zb_fail(e, ZB_EINVAL, "targets.mode",
		               "下发方式应为 all（全部直属下级）、type（按组织类型）、domain（按领域）或 orgs（指定组织）");
	memset(subs, 0, sizeof *subs);
	subs->a = a;
	int rc = zb_db_each(db, e, read_sub, subs,
	                    "SELECT id, parent_id, path, type, domain FROM orgs WHERE path > ? AND path < ? || '~' "
	                    "AND dissolved_on IS NULL ORDER BY path",
	                    "ss", path, path);
	if (rc)
		return rc;
	json_t *types = NULL, *domains = NULL;
	if (!strcmp(mode, "type") && (rc = code_list(targets, "types", zb_org_type_from, "组织类型", &types, e)))
		return rc;
	if (!strcmp(mode, "type") && (!types || !json_array_size(types)))
		return zb_fail(e, ZB_EINVAL, "targets.types", "请选择组织类型");
	if (!strcmp(mode, "domain")) {
		if ((rc = code_list(targets, "domains", zb_org_domain_from, "领域", &domains, e)) ||
		    (rc = code_list(targets, "types", zb_org_type_from, "组织类型", &types, e)))
			return rc;
		if (!domains || !json_array_size(domains))
			return zb_fail(e, ZB_EINVAL, "targets.domains", "请选择领域");
	}
	int n = 0;
	if (!strcmp(mode, "orgs")) {
		json_t *ids = json_object_get(targets, "org_ids");
		if (!json_is_array(ids) || !json_array_size(ids))
			return zb_fail(e, ZB_EINVAL, "targets.org_ids", "请选择下发的组织");
		size_t i;
		json_t *v;
		json_array_foreach(ids, i, v)
		{
			int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
			size_t k = 0;
			while (k < subs->n && subs->v[k].id != id)
				k++;
			if (k == subs->n)
				return zb_fail(e, ZB_ENOTFOUND, "targets.org_ids", "未找到该组织，或不在本组织之下");
			n += !subs->v[k].picked;
			subs->v[k].picked = 1;
		}
	} else {
		for (size_t k = 0; k < subs->n; k++) {
			sub_org *o = &subs->v[k];
			int pick = !strcmp(mode, "all") ? o->parent_id == org_id
			           : !strcmp(mode, "type") ? in_list(types, o->type)
			                                   : in_list(domains, o->domain) && (!types || !json_array_size(types) ||
			                                                                     in_list(types, o->type));
			o->picked = pick;
			n += pick;
		}
	}
	if (n == 0)
		return zb_fail(e, ZB_EINVAL, "targets", "没有符合条件的下级组织");
	if (n > MAX_TARGETS)
		return zb_fail(e, ZB_EINVAL, "targets", "一次最多下发给 %d 个组织", MAX_TARGETS);
	*npicked = n;
	return 0;
}

/* ---- the form and the link ---- */

static int key_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 20)
		return 0;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return 0;
	return 1;
}

static const char *const FIELD_TYPES[] = {"text", "number", "date", "choice"};

/* The form's fields, checked and written out whole (keys f1, f2, ... for
 * fields without one) into *out (malloc). */
static int form_check(json_t *form, char **out, zb_err *e)
{
	*out = NULL;
	if (!form || !json_is_array(form) || !json_array_size(form))
		return zb_fail(e, ZB_EINVAL, "form", "填表任务需要至少一个填报项");
	if (json_array_size(form) > MAX_FIELDS)
		return zb_fail(e, ZB_EINVAL, "form", "填报项最多 %d 个", MAX_FIELDS);
	json_t *norm = json_array();
	size_t i;
	json_t *f;
	int rc = 0;
	json_array_foreach(form, i, f)
	{
		char field[40];
		snprintf(field, sizeof field, "form[%zu]", i);
		const char *label = json_string_value(json_object_get(f, "label"));
		const char *type = json_string_value(json_object_get(f, "type"));
		json_t *jkey = json_object_get(f, "key"), *jreq = json_object_get(f, "required");
		const char *key = json_string_value(jkey);
		if ((jkey && !json_is_null(jkey) && !key) || (jreq && !json_is_null(jreq) && !json_is_boolean(jreq))) {
			rc = zb_fail(e, ZB_EINVAL, field, "第 %zu 个填报项的 key 应为文字、required 应为 true 或 false", i + 1);
			break;
		}
		char kbuf[24];
		if (!key) {
			snprintf(kbuf, sizeof kbuf, "f%zu", i + 1);
			key = kbuf;
		}
		int t = -1;
		for (int k = 0; type && k < 4; k++)
			if (!strcmp(type, FIELD_TYPES[k]))
				t = k;
		if (!json_is_object(f) || !label || !*label || strlen(label) > 100) {
			rc = zb_fail(e, ZB_EINVAL, field, "第 %zu 个填报项缺少名称（100 字节以内）", i + 1);
			break;
		}
		if (t < 0) {
			rc = zb_fail(e, ZB_EINVAL, field, "填报项「%s」的类型应为 text、number、date 或 choice", label);
			break;
		}
		if (!key_ok(key)) {
			rc = zb_fail(e, ZB_EINVAL, field, "填报项「%s」的 key 应为 1 到 20 个小写字母、数字或下划线", label);
			break;
		}
		size_t j;
		json_t *g;
		json_array_foreach(norm, j, g) if (!strcmp(json_string_value(json_object_get(g, "key")), key)) t = -2;
		if (t == -2) {
			rc = zb_fail(e, ZB_EINVAL, field, "填报项「%s」的 key 与前面的重复：%s", label, key);
			break;
		}
		json_t *opts = json_object_get(f, "options");
		if (t == 3) {
			int bad = !json_is_array(opts) || !json_array_size(opts) || json_array_size(opts) > MAX_OPTIONS;
			json_array_foreach(opts, j, g) bad |= !json_is_string(g) || !*json_string_value(g);
			if (bad) {
				rc = zb_fail(e, ZB_EINVAL, field, "选择项「%s」需要 1 到 %d 个选项", label, MAX_OPTIONS);
				break;
			}
		}
		json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "key", key, "label", label, "type", FIELD_TYPES[t], "required",
		                      json_is_true(json_object_get(f, "required")));
		if (t == 3)
			json_object_set(o, "options", opts);
		json_array_append_new(norm, o);
	}
	if (!rc && !(*out = json_dumps(norm, JSON_COMPACT)))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	json_decref(norm);
	return rc;
}

typedef struct link_in {
	const char *type, *from, *to, *period;
} link_in;

static int period_ok(const char *p)
{
	size_t n = p ? strlen(p) : 0;
	if (n == 10)
		return zb_date_valid(p);
	if (n == 7 && p[4] == '-' && p[5] == 'Q')
		return p[6] >= '1' && p[6] <= '4' && atoi(p) >= 2000;
	if (n == 7 && p[4] == '-')
		return atoi(p) >= 2000 && atoi(p + 5) >= 1 && atoi(p + 5) <= 12 && p[5] >= '0' && p[5] <= '1';
	return 0;
}

static int link_check(int kind, json_t *link, link_in *l, zb_err *e)
{
	memset(l, 0, sizeof *l);
	if (kind < ZB_TK_MEETING)
		return 0;
	if (!json_is_object(link))
		return zb_fail(e, ZB_EINVAL, "link", "请说明由哪项记录完成（link）");
	l->type = json_string_value(json_object_get(link, "type"));
	l->from = json_string_value(json_object_get(link, "from"));
	l->to = json_string_value(json_object_get(link, "to"));
	l->period = json_string_value(json_object_get(link, "period"));
	if (kind == ZB_TK_MEETING) {
		int t = zb_mtype_from(l->type);
		if (t < 0)
			return zb_fail(e, ZB_EINVAL, "link.type", "会议类型应为 %s", zb_mtype_codes());
		l->type = zb_mtype_code(t);
		if (!l->from || !zb_date_valid(l->from))
			return zb_fail(e, ZB_EINVAL, "link.from", "请填写会议时间范围的开始日期（YYYY-MM-DD）");
		if (!l->to || !zb_date_valid(l->to))
			return zb_fail(e, ZB_EINVAL, "link.to", "请填写会议时间范围的结束日期（YYYY-MM-DD）");
		if (strcmp(l->from, l->to) > 0)
			return zb_fail(e, ZB_EINVAL, "link.to", "结束日期不能早于开始日期");
		l->period = NULL;
	} else if (kind == ZB_TK_DISCLOSURE) {
		if (zb_disclose_kind(l->type) < 0)
			return zb_fail(e, ZB_EINVAL, "link.type", "公开类别应为 party（党务）、village（村务）或 finance（财务）");
		if (!period_ok(l->period))
			return zb_fail(e, ZB_EINVAL, "link.period", "公开期间应为 2026-03（月）、2026-Q1（季度）或日期");
		l->from = l->to = NULL;
	} else {
		int ym;
		int rc = zb_dues_ym_parse(l->period, "link.period", &ym, e);
		if (rc)
			return rc;
		l->type = l->from = l->to = NULL;
	}
	return 0;
}

/* ---- audit ---- */

static int audit_task(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, int64_t id, const char *path,
                      const char *k1, const char *v1, const char *k2, int64_t v2, zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	if (k1)
		jw_kstr(w, k1, v1);
	if (k2)
		jw_kint(w, k2, v2);
	return zb_audit_change_detail(db, app, by, action, "task", id, path, &d, e);
}

/* ---- issuing ---- */

typedef struct dup_list {
	zb_arena *a;
	zb_task_dup *v;
	size_t n, cap;
} dup_list;

static int read_dup(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dup_list *l = ctx;
	zb_arena_grow(l->a, (void **)&l->v, l->n + 1, &l->cap, sizeof *l->v);
	zb_task_dup *d = &l->v[l->n++];
	d->org_id = zb_col_int(st, 0);
	d->org_name = zb_arena_strdup(l->a, zb_col_text(st, 1));
	d->task_id = zb_col_int(st, 2);
	d->title = zb_arena_strdup(l->a, zb_col_text(st, 3));
	d->issuer_name = zb_arena_strdup(l->a, zb_col_text(st, 4));
	d->due_on = zb_arena_strdup(l->a, zb_col_text(st, 5));
	return 0;
}

/* Open tasks for the same thing at the new task's targets. */
static int find_dups(zb_db *db, int64_t task_id, dup_list *l, zb_err *e)
{
	return zb_db_each(db, e, read_dup, l,
	                  "SELECT nt.org_id, o.name, t.id, t.title, io.name, t.due_on FROM task_targets nt "
	                  "JOIN tasks n ON n.id = nt.task_id "
	                  "JOIN task_targets tt ON tt.org_id = nt.org_id AND tt.task_id <> nt.task_id "
	                  "JOIN tasks t ON t.id = tt.task_id JOIN orgs o ON o.id = nt.org_id JOIN orgs io ON io.id = t.org_id "
	                  "WHERE nt.task_id = ? AND ((n.kind = t.kind AND n.kind IN ('meeting', 'disclosure', 'dues') "
	                  "AND COALESCE(n.link_type, '') = COALESCE(t.link_type, '') "
	                  "AND COALESCE(n.link_period, '') = COALESCE(t.link_period, '') "
	                  "AND (n.kind <> 'meeting' OR (n.link_from <= t.link_to AND t.link_from <= n.link_to))) "
	                  "OR (n.title_norm = t.title_norm AND substr(n.due_on, 1, 7) = substr(t.due_on, 1, 7))) "
	                  "AND " ZB_TASK_DONE_ON("tt", "t") " IS NULL ORDER BY o.path, t.id LIMIT 100",
	                  "i", task_id);
}

typedef struct new_task {
	int64_t org_id, parent_id, root_id;
	const char *path, *title, *body, *due_on, *kind, *form, *targets_text;
	link_in link;
} new_task;

/* Insert the task and its picked targets, check for duplicates; the
 * caller's transaction.  *id = 0 with dups found and not confirmed. */
static int insert_task(zb_db *db, const new_task *t, const sub_list *subs, int64_t by_user, int64_t now, int confirm,
                       int64_t *id, dup_list *dups, zb_err *e)
{
	char norm[600];
	zb_task_title_norm(t->title, norm, sizeof norm);
	int rc = zb_db_int(db, e, id,
	                   "INSERT INTO tasks (org_id, org_path, parent_id, root_id, title, title_norm, body, due_on, kind, "
	                   "form_fields, link_type, link_from, link_to, link_period, targets, created_by, created_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   "isIIsssssssssssIi", t->org_id, t->path, t->parent_id, t->root_id, t->title, norm,
	                   t->body ? t->body : "", t->due_on, t->kind, t->form ? t->form : "[]", t->link.type, t->link.from,
	                   t->link.to, t->link.period, t->targets_text, by_user, now);
	if (!rc && !t->root_id)
		rc = zb_db_run(db, e, NULL, "UPDATE tasks SET root_id = id WHERE id = ?", "i", *id);
	for (size_t k = 0; !rc && k < subs->n; k++)
		if (subs->v[k].picked)
			rc = zb_db_run(db, e, NULL, "INSERT INTO task_targets (task_id, org_id, org_path) VALUES (?, ?, ?)", "iis",
			               *id, subs->v[k].id, subs->v[k].path);
	if (!rc)
		rc = find_dups(db, *id, dups, e);
	if (!rc && dups->n && !confirm)
		*id = 0;
	return rc;
}

static int text_ok(const char *s, size_t max, const char *field, const char *what, int need, zb_err *e)
{
	if (need && (!s || !*s))
		return zb_fail(e, ZB_EINVAL, field, "请填写%s", what);
	if (s && (strlen(s) > max || !zb_utf8_valid(s, strlen(s))))
		return zb_fail(e, ZB_EINVAL, field, "%s过长或不是有效文字", what);
	return 0;
}

static int due_check(const char *due_on, const char *today, zb_err *e)
{
	if (!due_on || !zb_date_valid(due_on))
		return zb_fail(e, ZB_EINVAL, "due_on", "请填写截止日期（YYYY-MM-DD）");
	if (strcmp(due_on, today) < 0)
		return zb_fail(e, ZB_EINVAL, "due_on", "截止日期不能早于今天（%s）", today);
	return 0;
}

static void give_dups(dup_list *l, zb_task_dup **dups, int *ndups)
{
	if (dups)
		*dups = l->v;
	if (ndups)
		*ndups = (int)l->n;
}

int zb_task_create(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_task_in *in, const char *today, int64_t now,
                   zb_arena *a, int64_t *id, zb_task_dup **dups, int *ndups, zb_err *e)
{
	*id = 0;
	give_dups(&(dup_list){0}, dups, ndups);
	const char *kcode = in->kind ? in->kind : "reply";
	int kind = zb_task_kind_parse(kcode);
	new_task t = {.org_id = in->org_id, .title = in->title, .body = in->body, .due_on = in->due_on, .kind = kcode};
	int rc = text_ok(in->title, 200, "title", "任务标题", 1, e);
	if (!rc)
		rc = text_ok(in->body, 20000, "body", "任务内容", 0, e);
	if (!rc)
		rc = due_check(in->due_on, today, e);
	if (!rc && kind < 0)
		rc = zb_fail(e, ZB_EINVAL, "kind", "完成方式应为 reply（回复）、form（填表）、meeting（会议记录）、disclosure（三务公开）或 dues（党费收缴）");
	char *form = NULL, *targets = NULL;
	if (!rc && kind == ZB_TK_FORM)
		rc = form_check(in->form, &form, e);
	if (!rc)
		rc = link_check(kind, in->link, &t.link, e);
	zb_text_buf pb = {zb_arena_alloc(a, 256), 256};
	if (!rc)
		rc = zb_db_one(db, e, "未找到该组织", zb_row_text, &pb, "SELECT path FROM orgs WHERE id = ?", "i", in->org_id);
	t.path = pb.out;
	sub_list subs;
	int n = 0;
	if (!rc)
		rc = resolve_targets(db, in->org_id, t.path, in->targets, a, &subs, &n, e);
	if (!rc && !(targets = json_dumps(in->targets, JSON_COMPACT)))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	t.form = form;
	t.targets_text = targets;
	dup_list dl = {a, NULL, 0, 0};
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = insert_task(db, &t, &subs, by->user_id, now, in->confirm_duplicate, id, &dl, e);
		if (!rc && *id) {
			zb_audit_detail d;
			zb_jw *w = zb_audit_detail_begin(&d);
			jw_kstr(w, "title", t.title);
			jw_kstr(w, "kind", kcode);
			jw_kstr(w, "due_on", t.due_on);
			jw_kint(w, "targets", n);
			jw_kint(w, "duplicates", (int64_t)dl.n);
			rc = zb_audit_change_detail(db, app, by, "task.create", "task", *id, t.path, &d, e);
		}
		if (!rc && !*id)
			zb_db_rollback(db);
		else
			rc = zb_db_end(db, rc, e);
	}
	give_dups(&dl, dups, ndups);
	free(form);
	free(targets);
	return rc;
}

int zb_task_forward(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const zb_task_in *in,
                    const char *today, int64_t now, zb_arena *a, int64_t *id, zb_task_dup **dups, int *ndups, zb_err *e)
{
	*id = 0;
	give_dups(&(dup_list){0}, dups, ndups);
	zb_task p;
	zb_task_target tt;
	int rc = zb_task_target_get(db, target_id, today, a, &p, &tt, e);
	if (rc)
		return rc;
	if (tt.forward_id)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该任务已转发给下级（任务 %lld）", (long long)tt.forward_id);
	if (!strcmp(tt.state, "done"))
		return zb_fail(e, ZB_ECONFLICT, NULL, "该任务本组织已完成，无需再转发");
	const char *due = in->due_on ? in->due_on : p.due_on;
	if ((rc = due_check(due, today, e)) || (rc = text_ok(in->body, 20000, "body", "转发说明", 0, e)))
		return rc;
	if (strcmp(due, p.due_on) > 0)
		return zb_fail(e, ZB_EINVAL, "due_on", "转发的截止日期不能晚于上级的截止日期（%s）", p.due_on);
	const char *body = in->body && *in->body ? zb_arena_printf(a, "%s\n\n%s", p.body, in->body) : p.body;
	new_task t = {.org_id = tt.org_id, .parent_id = p.id, .root_id = p.root_id ? p.root_id : p.id, .path = tt.org_path,
	              .title = p.title, .body = body, .due_on = due, .kind = p.kind, .form = p.form_fields};
	t.link = (link_in){p.link_type, p.link_from, p.link_to, p.link_period};
	sub_list subs;
	int n = 0;
	char *targets = NULL;
	if ((rc = resolve_targets(db, tt.org_id, tt.org_path, in->targets, a, &subs, &n, e)))
		return rc;
	if (!(targets = json_dumps(in->targets, JSON_COMPACT)))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	t.targets_text = targets;
	dup_list dl = {a, NULL, 0, 0};
	if (!(rc = zb_db_begin_write(db, e))) {
		int64_t changed = 0;
		rc = insert_task(db, &t, &subs, by->user_id, now, in->confirm_duplicate, id, &dl, e);
		if (!rc && *id)
			rc = zb_db_run(db, e, &changed,
			               "UPDATE task_targets SET forward_id = ? WHERE id = ? AND forward_id IS NULL", "ii", *id,
			               target_id);
		/* forwarded by another request since the check above: this one
		 * writes nothing */
		if (!rc && *id && !changed)
			rc = zb_fail(e, ZB_ECONFLICT, NULL, "该任务已转发给下级");
		if (!rc && *id)
			rc = audit_task(db, app, by, "task.forward", *id, tt.org_path, "title", p.title, "parent_id", p.id, e);
		if (!rc && !*id)
			zb_db_rollback(db);
		else
			rc = zb_db_end(db, rc, e);
	}
	give_dups(&dl, dups, ndups);
	free(targets);
	return rc;
}

/* ---- replies ---- */

/* The values of a form, checked against its fields, written out whole
 * into *out (malloc).  Errors name values.<key> and the field's label. */
static int values_check(const char *fields_text, json_t *values, char **out, zb_err *e)
{
	*out = NULL;
	if (!values || !json_is_object(values))
		return zb_fail(e, ZB_EINVAL, "values", "请填写表格（values）");
	json_t *fields = json_loads(fields_text, 0, NULL);
	json_t *norm = json_object();
	int rc = 0;
	const char *k;
	json_t *v;
	json_object_foreach(values, k, v)
	{
		size_t i;
		json_t *f;
		int known = 0;
		json_array_foreach(fields, i, f) known |= !strcmp(json_string_value(json_object_get(f, "key")), k);
		if (!known) {
			char field[48];
			snprintf(field, sizeof field, "values.%.30s", k);
			rc = zb_fail(e, ZB_EINVAL, field, "表格中没有这一项：%s", k);
			break;
		}
	}
	size_t i;
	json_t *f;
	json_array_foreach(fields, i, f)
	{
		if (rc)
			break;
		const char *key = json_string_value(json_object_get(f, "key"));
		const char *label = json_string_value(json_object_get(f, "label"));
		const char *type = json_string_value(json_object_get(f, "type"));
		char field[48];
		snprintf(field, sizeof field, "values.%s", key);
		v = json_object_get(values, key);
		int empty = !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v));
		if (empty) {
			if (json_is_true(json_object_get(f, "required")))
				rc = zb_fail(e, ZB_EINVAL, field, "请填写「%s」", label);
			continue;
		}
		if (!strcmp(type, "number")) {
			double d = 0;
			char *end = NULL;
			int ok = json_is_number(v);
			if (ok)
				d = json_number_value(v);
			else if (json_is_string(v)) {
				d = strtod(json_string_value(v), &end);
				ok = end && !*end && end != json_string_value(v);
			}
			if (!ok || d != d || d > 1e12 || d < -1e12) {
				rc = zb_fail(e, ZB_EINVAL, field, "「%s」应为数字", label);
				continue;
			}
			json_object_set_new(norm, key, json_real(d));
			if (d == (double)(int64_t)d)
				json_object_set_new(norm, key, json_integer((json_int_t)d));
		} else if (!json_is_string(v)) {
			rc = zb_fail(e, ZB_EINVAL, field, "「%s」应为文字", label);
		} else if (!strcmp(type, "date") && !zb_date_valid(json_string_value(v))) {
			rc = zb_fail(e, ZB_EINVAL, field, "「%s」应为日期（YYYY-MM-DD）", label);
		} else if (!strcmp(type, "choice") && !in_list(json_object_get(f, "options"), json_string_value(v))) {
			rc = zb_fail(e, ZB_EINVAL, field, "「%s」应为给定的选项之一", label);
		} else if (strlen(json_string_value(v)) > 2000 || !zb_utf8_valid(json_string_value(v), strlen(json_string_value(v)))) {
			rc = zb_fail(e, ZB_EINVAL, field, "「%s」过长（2000 字节以内）", label);
		} else {
			json_object_set(norm, key, v);
		}
	}
	if (!rc && !(*out = json_dumps(norm, JSON_COMPACT | JSON_SORT_KEYS)))
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	json_decref(norm);
	json_decref(fields);
	return rc;
}

/* A target that takes an answer: a reply or form task, not passed on. */
static int answerable(const zb_task *t, const zb_task_target *tt, zb_err *e)
{
	int kind = zb_task_kind_parse(t->kind);
	if (kind >= ZB_TK_MEETING)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该任务由平台中的%s记录自动完成，无需填报", zb_task_kind_names[kind]);
	if (tt->forward_id)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该任务已转发给下级，完成情况由下级汇总");
	return 0;
}

int zb_task_reply(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const char *text, json_t *values,
                  const char *today, int64_t now, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_task t;
	zb_task_target tt;
	char *vals = NULL;
	int rc = zb_task_target_get(db, target_id, today, &a, &t, &tt, e);
	if (!rc)
		rc = answerable(&t, &tt, e);
	if (!rc)
		rc = text_ok(text, 20000, "text", "回复内容", 0, e);
	if (!rc && !strcmp(t.kind, "reply") && (!text || !*text) && !tt.nfiles)
		rc = zb_fail(e, ZB_EINVAL, "text", "请填写回复内容或上传附件");
	if (!rc && !strcmp(t.kind, "form"))
		rc = values_check(t.form_fields, values, &vals, e);
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_run(db, e, NULL,
		               "UPDATE task_targets SET replied_on = COALESCE(replied_on, ?), replied_at = ?, replied_by = ?, "
		               "reply = ?, form_values = ? WHERE id = ?",
		               "siIssi", today, now, by->user_id, text ? text : "", vals, target_id);
		if (!rc)
			rc = audit_task(db, app, by, tt.replied_on ? "task.reply.edit" : "task.reply", t.id, tt.org_path, "org",
			                tt.org_name, "target_id", target_id, e);
		rc = zb_db_end(db, rc, e);
	}
	free(vals);
	zb_arena_free(&a);
	return rc;
}

int zb_task_store_file(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_file_owner *o, const char *filename,
                       const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e)
{
	const char *kind = NULL;
	char name[ZB_ATTACH_NAME_MAX + 1], sm3[65], stored[33];
	int rc = zb_attach_save_file(app->data_dir, filename, data, len, &kind, name, sm3, stored, e);
	if (rc)
		return rc;
	if (!(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_int(db, e, &out->id, o->insert_sql, "ississIi", o->owner_id, kind, name, (int64_t)len, sm3, stored,
		               by->user_id, now);
		if (!rc) {
			zb_audit_detail d;
			zb_jw *w = zb_audit_detail_begin(&d);
			jw_kstr(w, "filename", name);
			jw_kint(w, "file_id", out->id);
			rc = zb_audit_change_detail(db, app, by, o->action, o->type, o->audit_id, o->path, &d, e);
		}
		rc = zb_db_end(db, rc, e);
	}
	if (rc) {
		zb_attach_remove_file(app->data_dir, stored);
		return rc;
	}
	out->target_id = o->owner_id;
	out->size = (int64_t)len;
	out->created_at = now;
	out->kind = kind;
	out->filename = zb_arena_strdup(a, name);
	return 0;
}

int zb_task_file_add(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t target_id, const char *filename,
                     const void *data, size_t len, int64_t now, zb_arena *a, zb_task_file *out, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_task t;
	zb_task_target tt;
	int rc = zb_task_target_get(db, target_id, today, a, &t, &tt, e);
	if (!rc)
		rc = answerable(&t, &tt, e);
	if (!rc && tt.nfiles >= MAX_FILES)
		rc = zb_fail(e, ZB_ECONFLICT, NULL, "每个回复最多 %d 个附件", MAX_FILES);
	zb_file_owner o = {"INSERT INTO task_files (target_id, kind, filename, size, sm3, stored_name, created_by, created_at) "
	                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                   target_id, "task.file", "task", t.id, tt.org_path};
	return rc ? rc : zb_task_store_file(db, app, by, &o, filename, data, len, now, a, out, e);
}

typedef struct file_row {
	zb_arena *a;
	zb_task_file *f;
	const char **stored;
} file_row;

static void read_file_row(zb_stmt *st, void *ctx)
{
	file_row *x = ctx;
	x->f->id = zb_col_int(st, 0);
	x->f->target_id = zb_col_int(st, 1);
	x->f->kind = zb_arena_strdup(x->a, zb_col_text(st, 2));
	x->f->filename = zb_arena_strdup(x->a, zb_col_text(st, 3));
	x->f->size = zb_col_int(st, 4);
	x->f->created_at = zb_col_int(st, 5);
	*x->stored = zb_arena_strdup(x->a, zb_col_text(st, 6));
}

int zb_task_file_find(zb_db *db, int64_t id, zb_arena *a, zb_task_file *f, const char **stored, zb_err *e)
{
	file_row x = {a, f, stored};
	return zb_db_one(db, e, "未找到该附件", read_file_row, &x,
	                 "SELECT id, target_id, kind, filename, size, created_at, stored_name FROM task_files WHERE id = ?", "i",
	                 id);
}

int zb_notice_file_find(zb_db *db, int64_t id, zb_arena *a, zb_task_file *f, const char **stored, zb_err *e)
{
	file_row x = {a, f, stored};
	return zb_db_one(db, e, "未找到该附件", read_file_row, &x,
	                 "SELECT id, notice_id, kind, filename, size, created_at, stored_name FROM notice_files WHERE id = ?",
	                 "i", id);
}

/* ---- reminders ---- */

int zb_task_remind(zb_db *db, zb_app *app, const zb_audit_ev *by, int64_t task_id, const char *today, int64_t now,
                   int64_t *pending, zb_err *e)
{
	zb_arena a;
	zb_arena_init(&a);
	zb_task t;
	int rc = zb_task_get(db, task_id, &a, &t, e);
	int64_t sent = 0;
	if (!rc && !(rc = zb_db_begin_write(db, e))) {
		rc = zb_db_int(db, e, &sent, "SELECT COUNT(*) FROM task_reminders WHERE task_id = ? AND sent_on = ?", "is", task_id,
		               today);
		if (!rc && sent)
			rc = zb_fail(e, ZB_ECONFLICT, NULL, "今天已提醒过（每个任务每天最多提醒一次）");
		if (!rc)
			rc = zb_db_run(db, e, pending,
			               "UPDATE task_targets SET reminded_on = ? WHERE id IN (SELECT tt.id FROM task_targets tt "
			               "JOIN tasks t ON t.id = tt.task_id WHERE tt.task_id IN (" ZB_TASK_TREE ") "
			               "AND tt.forward_id IS NULL AND " ZB_TASK_DONE_ON("tt", "t") " IS NULL)",
			               "si", today, task_id);
		if (!rc && *pending == 0)
			rc = zb_fail(e, ZB_ECONFLICT, NULL, "各组织都已完成，无需提醒");
		if (!rc)
			rc = zb_db_run(db, e, NULL,
			               "INSERT INTO task_reminders (task_id, sent_on, pending, sent_by, sent_at) VALUES (?, ?, ?, ?, ?)",
			               "isiIi", task_id, today, *pending, by->user_id, now);
		if (!rc)
			rc = audit_task(db, app, by, "task.remind", task_id, t.org_path, "sent_on", today, "pending", *pending, e);
		rc = zb_db_end(db, rc, e);
	}
	zb_arena_free(&a);
	return rc;
}
