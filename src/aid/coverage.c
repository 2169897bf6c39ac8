/* coverage.c - the visit rule (kind "aid_visits"), when a visit is due,
 * and what is read: a household's page, lists, the coverage of a
 * subtree, a helper's own households.  See aid.h. */
#include "aid/aid.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "rules/rules.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rule ----------------------------------------------------------------- */

static const struct akey {
	const char *key;
	size_t off;
	const char *what;
} akeys[] = {
	{"helping_months", offsetof(zb_aid_rules, helping_months), "在帮户的走访间隔（月）"},
	{"monitor_months", offsetof(zb_aid_rules, monitor_months), "监测户的走访间隔（月）"},
	{"lifted_months", offsetof(zb_aid_rules, lifted_months), "已脱贫户（巩固期）的走访间隔（月）"},
	{"contact_months", offsetof(zb_aid_rules, contact_months), "党员联系户的走访间隔（月）"},
};
#define NAKEYS (sizeof akeys / sizeof akeys[0])

void zb_aid_rules_default(zb_aid_rules *r)
{
	*r = (zb_aid_rules){.helping_months = 1, .monitor_months = 1, .lifted_months = 3, .contact_months = 3};
}

int zb_aid_rules_validate(json_t *data, zb_err *e)
{
	if (!json_is_object(data))
		return zb_fail(e, ZB_EINVAL, "data", "规则内容应为对象");
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		size_t i = 0;
		while (i < NAKEYS && strcmp(akeys[i].key, key))
			i++;
		if (i < NAKEYS)
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return zb_fail(e, ZB_EINVAL, "data.source", "规则项 source（依据）应为不超过 400 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	for (size_t i = 0; i < NAKEYS; i++) {
		json_t *x = json_object_get(data, akeys[i].key);
		if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 12) {
			char field[64];
			snprintf(field, sizeof field, "data.%s", akeys[i].key);
			return zb_fail(e, ZB_EINVAL, field, "规则项 %s（%s）应为 1 到 12 之间的整数", akeys[i].key,
			               akeys[i].what);
		}
	}
	return 0;
}

/* The set for org_path in snapshot rs (the default when none). */
static int rules_from(const zb_rules *rs, const char *org_path, zb_aid_rules *r, zb_err *e)
{
	zb_aid_rules_default(r);
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	if (!s)
		return 0;
	zb_aid_rules got = *r;
	for (size_t i = 0; i < NAKEYS; i++) {
		int64_t v;
		int rc = zb_rule_int(s, akeys[i].key, &v, e);
		if (rc)
			return rc;
		*(int *)((char *)&got + akeys[i].off) = (int)v;
	}
	got.set_id = s->id;
	*r = got;
	return 0;
}

int zb_aid_rules_get(zb_db *db, const char *org_path, const char *date, zb_aid_rules *r, zb_err *e)
{
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "aid_visits", date, &rs, e);
	if (!rc)
		rc = rules_from(rs, org_path, r, e);
	zb_rules_free(rs);
	return rc;
}

int zb_aid_interval(const zb_aid_rules *r, const char *kind, const char *status)
{
	if (kind && !strcmp(kind, "contact"))
		return r->contact_months;
	if (status && !strcmp(status, "lifted"))
		return r->lifted_months;
	if (status && !strcmp(status, "monitor"))
		return r->monitor_months;
	return r->helping_months;
}

void zb_aid_due(const char *from_on, const char *last, int months, const char *today, char due[11], int *overdue)
{
	const char *base = last && strcmp(last, from_on) > 0 ? last : from_on;
	zb_date_add_months(base, months, due);
	*overdue = strcmp(today, due) > 0;
}

/* ---- pairings as they stand today ------------------------------------------------- */

/* The current pairings of the households under a subtree (or of one
 * household, or of one member), each with its helper's last visit and
 * what the rule makes of it. */
typedef struct pstate {
	zb_aid_pair p;
	const char *status, *org_path, *head_name, *hh_org_name, *village_group;
} pstate;

typedef struct pload {
	zb_arena *ar;
	zb_rules *rs;
	const char *today;
	pstate *v;
	size_t n, cap;
} pload;

/* The helper is a member (their org) or a cadre (their 派出单位). */
#define PCOLS                                                                                                    \
	"p.id, p.household_id, p.kind, p.member_id, p.from_on, p.to_on, p.end_reason, "                        \
	"(SELECT MAX(v.visited_on) FROM aid_visits v WHERE v.household_id = p.household_id AND "               \
	"(v.member_id = p.member_id OR v.cadre_id = p.cadre_id) AND v.visited_on <= ?), "                      \
	"h.status, h.org_path, COALESCE(m.name, c.name), COALESCE(mo.name, du.name), h.head_name, ho.name, "   \
	"h.village_group, p.cadre_id "                                                                          \
	"FROM aid_pairs p JOIN aid_households h ON h.id = p.household_id JOIN orgs ho ON ho.id = h.org_id "    \
	"LEFT JOIN members m ON m.id = p.member_id LEFT JOIN orgs mo ON mo.id = m.org_id "                     \
	"LEFT JOIN cadres c ON c.id = p.cadre_id LEFT JOIN dispatch_units du ON du.id = c.unit_id "
#define PCURRENT "h.exited_on IS NULL AND p.from_on <= ? AND (p.to_on IS NULL OR p.to_on >= ?) "

static int read_pstate(zb_stmt *st, void *ctx, zb_err *e)
{
	pload *l = ctx;
	ZB_AGROW(l->ar, l->v, l->n + 1, l->cap);
	pstate *s = &l->v[l->n++];
	memset(s, 0, sizeof *s);
#define T(i) zb_arena_strdup(l->ar, zb_col_text(st, i))
	zb_aid_pair *p = &s->p;
	p->id = zb_col_int(st, 0);
	p->household_id = zb_col_int(st, 1);
	p->kind = T(2);
	p->member_id = zb_col_int(st, 3);
	p->from_on = T(4);
	p->to_on = T(5);
	p->end_reason = T(6);
	p->last_visit = T(7);
	s->status = T(8);
	s->org_path = T(9);
	p->name = T(10);
	p->org_name = T(11);
	s->head_name = T(12);
	s->hh_org_name = T(13);
	s->village_group = T(14);
	p->cadre_id = zb_col_int(st, 15);
#undef T
	p->current = strcmp(p->from_on, l->today) <= 0 && (!p->to_on || strcmp(p->to_on, l->today) >= 0);
	if (p->current) {
		zb_aid_rules r;
		int rc = rules_from(l->rs, s->org_path, &r, e);
		if (rc)
			return rc;
		p->months = zb_aid_interval(&r, p->kind, s->status);
		zb_aid_due(p->from_on, p->last_visit, p->months, l->today, p->due, &p->overdue);
	}
	return 0;
}

static int pload_begin(zb_db *db, zb_arena *ar, const char *today, pload *l, zb_err *e)
{
	memset(l, 0, sizeof *l);
	l->ar = ar;
	l->today = today;
	return zb_rules_load(db, "aid_visits", today, &l->rs, e);
}

static int pairs_under(zb_db *db, const char *path, const char *today, zb_arena *ar, pload *l, zb_err *e)
{
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	int rc = pload_begin(db, ar, today, l, e);
	if (!rc)
		rc = zb_db_each(db, e, read_pstate, l,
		                "SELECT " PCOLS "WHERE h.org_path >= ? AND h.org_path < ? AND " PCURRENT
		                "ORDER BY p.household_id, p.id",
		                "sssss", today, path, upper, today, today);
	zb_rules_free(l->rs);
	return rc;
}

/* ---- lists ---------------------------------------------------------------------- */

#define ICOLS                                                                                              \
	"h.id, h.org_id, o.name, h.head_name, h.village_group, h.category, h.status, h.exited_on, "       \
	"(SELECT MAX(v.visited_on) FROM aid_visits v WHERE v.household_id = h.id) "                       \
	"FROM aid_households h JOIN orgs o ON o.id = h.org_id "

typedef struct iload {
	zb_arena *ar;
	zb_aid_item *v;
	size_t n, cap;
} iload;

static int read_item(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	iload *l = ctx;
	ZB_AGROW(l->ar, l->v, l->n + 1, l->cap);
	zb_aid_item *it = &l->v[l->n++];
	memset(it, 0, sizeof *it);
#define T(i) zb_arena_strdup(l->ar, zb_col_text(st, i))
	it->id = zb_col_int(st, 0);
	it->org_id = zb_col_int(st, 1);
	it->org_name = T(2);
	it->head_name = T(3);
	it->village_group = T(4);
	it->category = T(5);
	it->status = T(6);
	it->exited_on = T(7);
	it->last_visit = T(8);
#undef T
	return 0;
}

/* The households under path (exited: 0 not exited, 1 exited), by id. */
static int items_under(zb_db *db, const char *path, int exited, const char *status, const char *q, zb_arena *ar,
                       iload *l, zb_err *e)
{
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	memset(l, 0, sizeof *l);
	l->ar = ar;
	const char *like = q && *q ? zb_arena_printf(ar, "%%%s%%", q) : NULL;
	return zb_db_each(db, e, read_item, l,
	                  "SELECT " ICOLS "WHERE h.org_path >= ? AND h.org_path < ? AND "
	                  "(CASE WHEN h.exited_on IS NULL THEN 0 ELSE 1 END) = ? "
	                  "AND (CAST(? AS TEXT) IS NULL OR h.status = ?) "
	                  "AND (CAST(? AS TEXT) IS NULL OR h.head_name LIKE ? OR h.head_pinyin LIKE ?) ORDER BY h.id",
	                  "ssisssss", path, upper, (int64_t)exited, status, status, like, like, like);
}

static zb_aid_item *find_item(zb_aid_item *v, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].id == id ? &v[lo] : NULL;
}

/* Each item's helpers, overdue pairings and earliest due date. */
static void judge_items(zb_aid_item *v, size_t n, const pload *pl)
{
	for (size_t i = 0; i < pl->n; i++) {
		const zb_aid_pair *p = &pl->v[i].p;
		zb_aid_item *it = find_item(v, n, p->household_id);
		if (!it || strcmp(p->kind, "helper"))
			continue;
		it->helpers++;
		it->overdue += p->overdue;
		if (!it->next_due[0] || strcmp(p->due, it->next_due) < 0)
			memcpy(it->next_due, p->due, sizeof it->next_due);
	}
}

int zb_aid_list(zb_db *db, const char *path, zb_aid_filter f, const char *status, const char *q, int64_t after,
                int64_t limit, const char *today, zb_arena *ar, zb_aid_item **out, int *n, int64_t *next_after,
                zb_err *e)
{
	iload il;
	pload pl;
	*out = NULL;
	*n = 0;
	*next_after = 0;
	int rc = items_under(db, path, f == ZB_AID_EXITED, status, q, ar, &il, e);
	if (!rc && f != ZB_AID_EXITED && !(rc = pairs_under(db, path, today, ar, &pl, e)))
		judge_items(il.v, il.n, &pl);
	if (rc)
		return rc;
	zb_aid_item *page = zb_arena_alloc(ar, (size_t)(limit + 1) * sizeof *page);
	int k = 0;
	for (size_t i = 0; i < il.n && k <= limit; i++) {
		const zb_aid_item *it = &il.v[i];
		if (it->id <= after || (f == ZB_AID_NO_HELPER && it->helpers) || (f == ZB_AID_OVERDUE && !it->overdue))
			continue;
		page[k++] = *it;
	}
	if (k > limit) {
		k = (int)limit;
		*next_after = page[k - 1].id;
	}
	*out = page;
	*n = k;
	return 0;
}

/* ---- coverage ---------------------------------------------------------------------- */

static int cmp_helper(const void *a, const void *b)
{
	const zb_aid_helper_due *x = a, *y = b;
	if (x->overdue != y->overdue)
		return y->overdue - x->overdue;
	if (x->cadre_id != y->cadre_id)
		return x->cadre_id < y->cadre_id ? -1 : 1;
	return x->member_id < y->member_id ? -1 : x->member_id > y->member_id;
}

int zb_aid_coverage_get(zb_db *db, const char *path, const char *today, zb_arena *ar, zb_aid_coverage *c, zb_err *e)
{
	memset(c, 0, sizeof *c);
	iload il;
	pload pl;
	int rc = items_under(db, path, 0, NULL, NULL, ar, &il, e);
	if (!rc)
		rc = pairs_under(db, path, today, ar, &pl, e);
	if (rc)
		return rc;
	judge_items(il.v, il.n, &pl);
	c->households = (int64_t)il.n;
	for (size_t i = 0; i < il.n; i++) {
		const zb_aid_item *it = &il.v[i];
		if (it->helpers) {
			c->with_helper++;
			if (it->overdue)
				c->overdue++;
			else
				c->visited_on_time++;
		}
		for (int s = 0; s < 3; s++)
			if (!strcmp(it->status, (const char *[]){"helping", "lifted", "monitor"}[s]))
				c->by_status[s]++;
	}
	c->without_helper = c->households - c->with_helper;
	/* contacts, and the helpers by member */
	zb_aid_helper_due *hv = NULL;
	size_t nh = 0, hcap = 0;
	int64_t last_contact_hh = 0;
	for (size_t i = 0; i < pl.n; i++) {
		const zb_aid_pair *p = &pl.v[i].p;
		if (!strcmp(p->kind, "contact")) {
			c->contact_pairs++;
			c->contact_on_time += !p->overdue;
			if (p->household_id != last_contact_hh)
				c->contact_households++;
			last_contact_hh = p->household_id;
			continue;
		}
		size_t j = 0;
		while (j < nh && (hv[j].member_id != p->member_id || hv[j].cadre_id != p->cadre_id))
			j++;
		if (j == nh) {
			ZB_AGROW(ar, hv, nh + 1, hcap);
			hv[nh++] = (zb_aid_helper_due){.member_id = p->member_id, .cadre_id = p->cadre_id, .name = p->name,
			                               .org_name = p->org_name};
		}
		hv[j].households++;
		hv[j].overdue += p->overdue;
	}
	c->helpers = (int64_t)nh;
	if (hv)
		qsort(hv, nh, sizeof *hv, cmp_helper);
	size_t k = 0;
	while (k < nh && hv[k].overdue)
		k++;
	c->helpers_with_overdue = (int64_t)k;
	c->helpers_overdue = hv;
	c->nhelpers_overdue = (int)(k < 50 ? k : 50);
	/* exited, and households in a current 责任区 */
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	if ((rc = zb_db_int(db, e, &c->exited,
	                    "SELECT COUNT(*) FROM aid_households WHERE org_path >= ? AND org_path < ? AND "
	                    "exited_on IS NOT NULL",
	                    "ss", path, upper)))
		return rc;
	return zb_db_int(db, e, &c->in_area,
	                 "SELECT COUNT(*) FROM aid_households h WHERE h.org_path >= ? AND h.org_path < ? AND "
	                 "h.exited_on IS NULL AND EXISTS (SELECT 1 FROM aid_areas a WHERE a.org_id = h.org_id AND "
	                 "a.name = h.village_group AND a.from_on <= ? AND (a.to_on IS NULL OR a.to_on >= ?))",
	                 "ssss", path, upper, today, today);
}

/* ---- one household --------------------------------------------------------------- */

typedef struct vload {
	zb_arena *ar;
	zb_aid_view *v;
	size_t hcap, vcap;
} vload;

static int read_history(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	vload *l = ctx;
	ZB_AGROW(l->ar, l->v->history, (size_t)l->v->nhistory + 1, l->hcap);
	zb_aid_status_row *r = &l->v->history[l->v->nhistory++];
	r->status = zb_arena_strdup(l->ar, zb_col_text(st, 0));
	r->since = zb_arena_strdup(l->ar, zb_col_text(st, 1));
	r->note = zb_arena_strdup(l->ar, zb_col_text(st, 2));
	return 0;
}

static int read_visit(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	vload *l = ctx;
	ZB_AGROW(l->ar, l->v->visits, (size_t)l->v->nvisits + 1, l->vcap);
	zb_aid_visit *x = &l->v->visits[l->v->nvisits++];
	x->id = zb_col_int(st, 0);
	x->member_id = zb_col_int(st, 1);
	x->visited_on = zb_arena_strdup(l->ar, zb_col_text(st, 2));
	x->what = zb_arena_strdup(l->ar, zb_col_text(st, 3));
	x->visitor = zb_arena_strdup(l->ar, zb_col_text(st, 4));
	x->recorded_at = zb_col_int(st, 5);
	x->cadre_id = zb_col_int(st, 6);
	return 0;
}

/* A photo onto its visit (one of the 100 newest, else left out). */
static int read_photo(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	zb_aid_view *v = ctx;
	int64_t visit = zb_col_int(st, 0);
	for (int i = 0; i < v->nvisits; i++)
		if (v->visits[i].id == visit && v->visits[i].nphotos < ZB_AID_MAX_PHOTOS)
			v->visits[i].photos[v->visits[i].nphotos++] = zb_col_int(st, 1);
	return 0;
}

int zb_aid_view_get(zb_db *db, int64_t id, const char *today, zb_arena *ar, zb_aid_view *v, zb_err *e)
{
	memset(v, 0, sizeof *v);
	int rc = zb_aid_household_get(db, id, ar, &v->h, e);
	vload l = {ar, v, 0, 0};
	if (!rc)
		rc = zb_db_each(db, e, read_history, &l,
		                "SELECT status, since, note FROM aid_status_history WHERE household_id = ? ORDER BY since, id",
		                "i", id);
	pload pl;
	if (!rc && !(rc = pload_begin(db, ar, today, &pl, e))) {
		/* every pairing, current first; an exited household's are all ended */
		rc = zb_db_each(db, e, read_pstate, &pl,
		                "SELECT " PCOLS "WHERE p.household_id = ? "
		                "ORDER BY CASE WHEN h.exited_on IS NULL AND p.from_on <= ? AND "
		                "(p.to_on IS NULL OR p.to_on >= ?) THEN 0 ELSE 1 END, p.id",
		                "siss", today, id, today, today);
		zb_rules_free(pl.rs);
		for (size_t i = 0; i < pl.n; i++)
			if (v->h.exited_on)
				pl.v[i].p.current = pl.v[i].p.overdue = 0;
		v->npairs = (int)pl.n;
		v->pairs = zb_arena_alloc(ar, (pl.n + 1) * sizeof *v->pairs);
		for (size_t i = 0; i < pl.n; i++)
			v->pairs[i] = pl.v[i].p;
	}
	if (!rc)
		rc = zb_db_each(db, e, read_visit, &l,
		                "SELECT v.id, v.member_id, v.visited_on, v.what, COALESCE(m.name, c.name), v.recorded_at, "
		                "v.cadre_id FROM aid_visits v LEFT JOIN members m ON m.id = v.member_id "
		                "LEFT JOIN cadres c ON c.id = v.cadre_id WHERE v.household_id = ? "
		                "ORDER BY v.visited_on DESC, v.id DESC LIMIT 100",
		                "i", id);
	for (int i = 0; !rc && i < v->nvisits; i++)
		v->visits[i].photos = zb_arena_alloc(ar, ZB_AID_MAX_PHOTOS * sizeof(int64_t));
	if (!rc)
		rc = zb_db_each(db, e, read_photo, v,
		                "SELECT p.visit_id, p.id FROM aid_visit_photos p JOIN aid_visits v ON v.id = p.visit_id "
		                "WHERE v.household_id = ? ORDER BY p.id",
		                "i", id);
	if (!rc && v->h.village_group) {
		char name[256] = "";
		zb_text_buf b = {name, sizeof name};
		rc = zb_db_one(db, e, NULL, zb_row_text, &b,
		               "SELECT m.name FROM aid_areas a JOIN members m ON m.id = a.member_id WHERE a.org_id = ? AND "
		               "a.name = ? AND a.from_on <= ? AND (a.to_on IS NULL OR a.to_on >= ?) ORDER BY a.id LIMIT 1",
		               "isss", v->h.org_id, v->h.village_group, today, today);
		if (rc == ZB_ENOTFOUND)
			rc = 0;
		else if (!rc)
			v->area_member = zb_arena_strdup(ar, name);
	}
	return rc;
}

/* ---- a helper's own households ------------------------------------------------------ */

int zb_aid_mine(zb_db *db, int64_t member_id, int64_t cadre_id, const char *today, zb_arena *ar,
                zb_aid_mine_item **out, int *n, zb_err *e)
{
	pload pl;
	*out = NULL;
	*n = 0;
	int rc = pload_begin(db, ar, today, &pl, e);
	if (!rc)
		rc = zb_db_each(db, e, read_pstate, &pl,
		                "SELECT " PCOLS "WHERE (p.member_id = ? OR p.cadre_id = ?) AND " PCURRENT
		                "ORDER BY p.household_id, p.id",
		                "siiss", today, member_id, cadre_id, today, today);
	zb_rules_free(pl.rs);
	if (rc)
		return rc;
	zb_aid_mine_item *v = zb_arena_alloc(ar, (pl.n + 1) * sizeof *v);
	for (size_t i = 0; i < pl.n; i++) {
		const pstate *s = &pl.v[i];
		v[i] = (zb_aid_mine_item){.household_id = s->p.household_id, .pair_id = s->p.id, .head_name = s->head_name,
		                          .org_name = s->hh_org_name, .village_group = s->village_group,
		                          .status = s->status, .kind = s->p.kind, .last_visit = s->p.last_visit,
		                          .overdue = s->p.overdue};
		memcpy(v[i].due, s->p.due, sizeof v[i].due);
	}
	*out = v;
	*n = (int)pl.n;
	return 0;
}

/* ---- 责任区 -------------------------------------------------------------------------- */

typedef struct aload {
	zb_arena *ar;
	zb_aid_area *v;
	size_t n, cap;
} aload;

static int read_area(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	aload *l = ctx;
	ZB_AGROW(l->ar, l->v, l->n + 1, l->cap);
	zb_aid_area *a = &l->v[l->n++];
	a->id = zb_col_int(st, 0);
	a->org_id = zb_col_int(st, 1);
	a->name = zb_arena_strdup(l->ar, zb_col_text(st, 2));
	a->member_id = zb_col_int(st, 3);
	a->member_name = zb_arena_strdup(l->ar, zb_col_text(st, 4));
	a->from_on = zb_arena_strdup(l->ar, zb_col_text(st, 5));
	a->to_on = zb_arena_strdup(l->ar, zb_col_text(st, 6));
	a->households = zb_col_int(st, 7);
	return 0;
}

int zb_aid_areas_list(zb_db *db, const char *path, zb_arena *ar, zb_aid_area **out, int *n, zb_err *e)
{
	char upper[256];
	zb_path_upper(path, upper, sizeof upper);
	aload l = {ar, NULL, 0, 0};
	int rc = zb_db_each(db, e, read_area, &l,
	                    "SELECT a.id, a.org_id, a.name, a.member_id, m.name, a.from_on, a.to_on, "
	                    "(SELECT COUNT(*) FROM aid_households h WHERE h.org_id = a.org_id AND h.village_group = a.name "
	                    "AND h.exited_on IS NULL) "
	                    "FROM aid_areas a JOIN members m ON m.id = a.member_id "
	                    "WHERE a.org_path >= ? AND a.org_path < ? ORDER BY a.org_id, a.name, a.id LIMIT 1000",
	                    "ss", path, upper);
	*out = l.v;
	*n = (int)l.n;
	return rc;
}
