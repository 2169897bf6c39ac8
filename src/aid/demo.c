/* demo.c - the demo county's 帮扶 (aid.h zb_aid_demo): households in every
 * rural village, their people, helpers (party members of the county's
 * organs and of the village), 党员联系户, 责任区, visits over 2026 with
 * some helpers falling behind, and a few exits.  Every record goes
 * through the functions of aid.h, one transaction per village. */
#include "aid/aid.h"
#include "org/org.h"
#include "auth/authz.h"
#include "core/date.h"
#include "core/grow.h"
#include "core/rng.h"
#include "demo/demo.h"
#include "member/idcard.h"
#include "village/cadre.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct village {
	int64_t id;
	char path[128];
} village;

typedef struct dctx {
	zb_arena *ar;
	village *v;
	size_t n, cap;
	int64_t *ids;
	size_t nids, idcap;
} dctx;

static int add_village(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dctx *d = ctx;
	ZB_AGROW(d->ar, d->v, d->n + 1, d->cap);
	d->v[d->n].id = zb_col_int(st, 0);
	snprintf(d->v[d->n].path, sizeof d->v[d->n].path, "%s", zb_col_text(st, 1));
	d->n++;
	return 0;
}

static int add_id(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	dctx *d = ctx;
	ZB_AGROW(d->ar, d->ids, d->nids + 1, d->idcap);
	d->ids[d->nids++] = zb_col_int(st, 0);
	return 0;
}

static const char *pick_surname(zb_rng *r)
{
	int total = 0;
	for (int i = 0; zb_demo_surnames[i].s; i++)
		total += zb_demo_surnames[i].w;
	int x = zb_rng_below(r, total);
	for (int i = 0; zb_demo_surnames[i].s; i++)
		if ((x -= zb_demo_surnames[i].w) < 0)
			return zb_demo_surnames[i].s;
	return "王";
}

static int count_of(const char *const *a)
{
	int n = 0;
	while (a[n])
		n++;
	return n;
}

static const char *given(zb_rng *r, int male)
{
	const char *const *g = male ? zb_demo_given_m : zb_demo_given_f;
	return g[zb_rng_below(r, count_of(g))];
}

/* A date in 2026 between month lo and hi, not after today. */
static void date_in(zb_rng *r, int lo, int hi, const char *today, char out[11])
{
	char d[16];
	snprintf(d, sizeof d, "2026-%02d-%02d", zb_rng_between(r, lo, hi) % 100, zb_rng_between(r, 1, 28) % 100);
	memcpy(out, d, 11);
	if (strcmp(out, today) > 0)
		snprintf(out, 11, "%s", today);
}

static const char *const groups[] = {"第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组"};

/* One village: its households, pairings, 责任区 and visits. */
/* The helpers a village's households draw from besides its own members. */
typedef struct pool {
	const int64_t *organ, *cadre;
	size_t norgan, ncadre;
} pool;

static int one_village(zb_db *db, zb_app *app, const zb_audit_ev *by, zb_rng *r, const village *v, const pool *pl,
                       int64_t keep_member, const char *today, int *seq, int64_t *made, zb_err *e)
{
	zb_arena ar;
	zb_arena_init(&ar);
	dctx mem = {.ar = &ar};
	char upper[140];
	zb_path_upper(v->path, upper, sizeof upper);
	int rc = zb_db_each(db, e, add_id, &mem,
	                    "SELECT id FROM members WHERE org_path >= ? AND org_path < ? AND status = 'normal' ORDER BY id",
	                    "ss", v->path, upper);
	int keep = 0;
	for (size_t i = 0; i < mem.nids; i++)
		keep |= mem.ids[i] == keep_member;
	if (rc || !mem.nids) {
		zb_arena_free(&ar);
		return rc;
	}
	int nhh = zb_rng_between(r, 2, 5) + (keep ? 3 : 0);
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	/* 责任区: a member per 村民小组 used */
	int ngroups = nhh > 3 ? 3 : 2;
	for (int g = 0; !rc && g < ngroups; g++) {
		int64_t area;
		rc = zb_aid_area_insert(db, app, by, NULL, v->id, groups[g], mem.ids[zb_rng_below(r, (int)mem.nids)],
		                        "2026-01-05", &ar, &area, e);
	}
	for (int k = 0; !rc && k < nhh; k++) {
		int roll = zb_rng_below(r, 100);
		const char *cat = roll < 60 ? "tuopin" : roll < 80 ? "monitor" : roll < 95 ? "dibao" : "tekun";
		const char *status = !strcmp(cat, "monitor") ? "monitor"
		                     : !strcmp(cat, "tuopin") ? (zb_rng_chance(r, 80) ? "lifted" : "helping")
		                                               : "helping";
		int male = zb_rng_chance(r, 75);
		char birth[9], idn[19], since[11];
		snprintf(birth, sizeof birth, "%04d%02d%02d", zb_rng_between(r, 1950, 1985), zb_rng_between(r, 1, 12),
		         zb_rng_between(r, 1, 28));
		zb_idcard_make("990198", birth, (*seq)++ % 999 + 1, male ? 'M' : 'F', idn);
		const char *sur = pick_surname(r);
		zb_aid_household h = {.org_id = v->id, .org_path = v->path, .category = cat, .status = status,
		                      .head_name = zb_arena_printf(&ar, "%s%s", sur, given(r, male)), .id_number = idn,
		                      .village_group = groups[zb_rng_below(r, ngroups)]};
		snprintf(since, sizeof since, "%d-%02d-%02d", zb_rng_between(r, 2021, 2025), zb_rng_between(r, 1, 12),
		         zb_rng_between(r, 1, 28));
		h.status_since = since;
		int np = zb_rng_between(r, 1, 4);
		h.people = zb_arena_alloc(&ar, (size_t)(np + 1) * sizeof *h.people);
		h.people[h.npeople++] = (zb_aid_person){h.head_name, "户主"};
		static const char *const rel[] = {"子", "女", "母亲", "父亲", "孙子", "孙女"};
		if (np > 1)
			h.people[h.npeople++] = (zb_aid_person){zb_arena_printf(&ar, "%s%s", male ? "" : sur, given(r, !male)),
			                                        male ? "妻子" : "丈夫"};
		for (int i = h.npeople; i < np; i++) {
			int ri = zb_rng_below(r, 6);
			h.people[h.npeople++] = (zb_aid_person){
				zb_arena_printf(&ar, "%s%s", sur, given(r, ri == 0 || ri == 3 || ri == 4)), rel[ri]};
		}
		zb_err ce = {0};
		if ((rc = zb_aid_household_check(&h, today, &ar, &ce))) {
			*e = ce;
			break;
		}
		if ((rc = zb_aid_household_insert(db, app, by, &h, &ar, e)))
			break;
		(*made)++;
		/* a few households wait for a helper (the last of the member's village) */
		int no_helper = keep ? k == nhh - 1 : zb_rng_chance(r, 4);
		char from[11];
		date_in(r, 1, 6, today, from);
		int64_t pid, helper = 0, cadre = 0;
		int roll2 = zb_rng_below(r, 100);
		if (keep && k < 3)
			helper = keep_member;
		else if (no_helper)
			;
		else if (pl->ncadre && roll2 < 65)
			cadre = pl->cadre[zb_rng_below(r, (int)pl->ncadre)];
		else if (pl->norgan && roll2 < 75)
			helper = pl->organ[zb_rng_below(r, (int)pl->norgan)];
		else
			helper = mem.ids[zb_rng_below(r, (int)mem.nids)];
		if ((helper || cadre) &&
		    (rc = zb_aid_pair_insert(db, app, by, NULL, h.id, "helper", helper, cadre, from, &ar, &pid, e)))
			break;
		int64_t contact = 0;
		if ((keep && k == 3) || zb_rng_chance(r, 50))
			contact = keep && k == 3 ? keep_member : mem.ids[zb_rng_below(r, (int)mem.nids)];
		if (contact && contact != helper &&
		    (rc = zb_aid_pair_insert(db, app, by, NULL, h.id, "contact", contact, 0, from, &ar, &pid, e)))
			break;
		/* visits: most helpers keep to the rule, some fall behind */
		zb_aid_rules rules;
		zb_aid_rules_default(&rules);
		int64_t who[2] = {helper, contact != helper ? contact : 0};
		for (int w = 0; !rc && w < 2; w++) {
			if (!who[w] && !(w == 0 && cadre))
				continue;
			int months = zb_aid_interval(&rules, w ? "contact" : "helper", status);
			int behind = (keep && k == 1) || zb_rng_chance(r, 12);
			char at[11], due[11];
			snprintf(at, sizeof at, "%s", from);
			for (;;) {
				zb_date_add_months(at, months, due);
				/* a visit some days before it is due; one falling behind stops in the autumn */
				zb_date_add_days(due, -zb_rng_between(r, 0, 20), at);
				if (strcmp(at, today) > 0 || (behind && strcmp(at, "2026-09-01") > 0))
					break;
				int64_t vid;
				static const char *const what[] = {"了解家庭收入和务工情况", "宣讲惠民政策，核对低保和医保",
				                                   "帮助联系产业项目和技能培训", "走访慰问，了解住房和饮水安全",
				                                   "协调解决子女就学困难"};
				rc = zb_aid_visit_insert(db, app, by, h.id, who[w], w ? 0 : cadre, at, what[zb_rng_below(r, 5)], &ar,
				                         &vid, e);
				if (rc)
					break;
			}
		}
		/* a few lifted households have exited after the 评议 */
		if (!rc && !keep && !strcmp(status, "lifted") && zb_rng_chance(r, 6)) {
			char on[11];
			date_in(r, 9, 11, today, on);
			if (strcmp(on, from) >= 0 && strcmp(on, since) >= 0)
				rc = zb_aid_exit_insert(db, app, by, h.id, on, "村民代表大会评议、乡镇审核、县审定",
				                        zb_arena_printf(&ar, "县帮扶字〔2026〕%d号", zb_rng_between(r, 11, 99)),
				                        NULL, &ar, e);
		}
	}
	rc = zb_db_end(db, rc, e);
out:
	zb_arena_free(&ar);
	return rc;
}

/* 派出单位 and their cadres kept at the county (org root_id): about 21
 * cadres a unit, as the seed county's 2,314 of 107, scaled to ncadres;
 * a unit of the same name kept there already is used as it is. */
static int make_cadres(zb_db *db, zb_app *app, int64_t root_id, uint64_t seed, int ncadres, zb_arena *ar, int64_t **out,
                       size_t *n, zb_err *e)
{
	static const char *const more[] = {"县人民医院", "县中医院", "县妇幼保健院", "县第一中学", "县第二中学",
	                                   "县职业中学", "县城市建设投资集团有限公司", "县交通投资集团有限公司",
	                                   "县水务集团有限公司", "县农业发展集团有限公司", "县供销合作社",
	                                   "县农村信用合作联社", "县供电公司", "县邮政分公司"};
	static const char *const posts[] = {"科员", "副科长", "科长", "副局长", "干事", "工程师", "医师", "教师"};
	int norg = count_of(zb_demo_organs), nunits = (ncadres + 20) / 21;
	int64_t *ids = zb_arena_alloc(ar, (size_t)(ncadres + 1) * sizeof *ids);
	zb_actor ac = {.username = "demo"};
	zb_rng r = zb_rng_for(seed, 0xCAD, 1);
	int rc = 0, k = 0;
	for (int u = 0; !rc && u < nunits; u++) {
		const char *base = u < norg ? zb_demo_organs[u] : more[(u - norg) % (int)(sizeof more / sizeof more[0])];
		zb_dunit_input in = {.org_id = root_id, .contact_name = zb_arena_printf(ar, "%s%s", pick_surname(&r), given(&r, 1))};
		in.name = u < norg + (int)(sizeof more / sizeof more[0])
		                  ? zb_arena_printf(ar, "示范%s", base)
		                  : zb_arena_printf(ar, "示范县第%d小学", u - norg - (int)(sizeof more / sizeof more[0]) + 1);
		/* a unit the county keeps already (the 驻村 demo's) sends 帮扶 cadres too */
		int64_t unit = 0;
		rc = zb_db_int(db, e, &unit, "SELECT id FROM dispatch_units WHERE org_id = ? AND name = ?", "is", root_id,
		               in.name);
		if (rc == ZB_ENOTFOUND)
			rc = zb_dunit_create(db, app, &ac, NULL, &in, ar, &unit, e);
		if (rc)
			break;
		for (int c = 0; !rc && c < 21 && k < ncadres; c++) {
			int male = zb_rng_chance(&r, 60);
			zb_cadre_input ci = {.org_id = root_id, .unit_id = unit, .gender = male ? "M" : "F",
			                     .name = zb_arena_printf(ar, "%s%s", pick_surname(&r), given(&r, male)),
			                     .post = posts[zb_rng_below(&r, 8)]};
			rc = zb_cadre_create(db, app, &ac, NULL, &ci, ar, &ids[k], e);
			k += !rc;
		}
	}
	*out = ids;
	*n = (size_t)k;
	return rc;
}

int zb_aid_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t keep_member, int64_t *made, zb_err *e)
{
	zb_arena ar;
	zb_arena_init(&ar);
	dctx d = {.ar = &ar};
	char today[11];
	zb_today(app, today);
	/* the villages (org/org.h) */
	int rc = zb_db_each(db, e, add_village, &d,
	                    "SELECT o.id, o.path FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE " ZB_ORG_VILLAGE("o", "p")
	                    " AND o.dissolved_on IS NULL ORDER BY o.path",
	                    "");
	dctx organ = {.ar = &ar};
	if (!rc)
		rc = zb_db_each(db, e, add_id, &organ,
		                "SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id WHERE o.domain = 'organ' "
		                "AND m.status = 'normal' AND m.category = 'full' ORDER BY m.id",
		                "");
	pool pl = {.organ = organ.ids, .norgan = organ.nids};
	int64_t root = 0;
	int64_t *cadres = NULL;
	if (!rc)
		rc = zb_db_int(db, e, &root, "SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1", "");
	/* about two households in three have a cadre as their helper */
	if (!rc && d.n)
		rc = make_cadres(db, app, root, seed, (int)d.n * 2, &ar, &cadres, &pl.ncadre, e);
	pl.cadre = cadres;
	zb_audit_ev by = {.username = "demo"};
	int64_t n = 0;
	int seq = 0;
	for (size_t i = 0; !rc && i < d.n; i++) {
		zb_rng r = zb_rng_for(seed, 0xA1D, (uint64_t)d.v[i].id);
		rc = one_village(db, app, &by, &r, &d.v[i], &pl, keep_member, today, &seq, &n, e);
	}
	if (made)
		*made = n;
	zb_arena_free(&ar);
	return rc;
}
