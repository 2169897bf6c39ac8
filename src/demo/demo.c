/* demo.c - the demo generator (see demo.h for what and why).
 *
 * Order of work: (1) the org tree, with a plan per branch (size, kind of
 * place, groups); (2) members, produced by a second thread (names, dates,
 * cleaning, encryption, pinyin, sort keys) while this thread inserts
 * batches; (3) committees, terms, units and alliances; (4) one roll-up
 * rebuild.  Orgs are written without the per-insert roll-up hook, members
 * without per-row roll-up updates: step 4 computes them all at once. */
#include "demo/demo.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/jw.h"
#include "core/log.h"
#include "member/idcard.h"
#include "member/member.h"
#include "org/after.h"
#include "org/org.h"
#include "org/structure.h"
#include "rules/rules.h"
#include "text/pinyin.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- random numbers: xoshiro256**, seeded by splitmix64 ---- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnext(rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* uniform in [lo, hi] */
static int64_t rint_(rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(rnext(r) % (uint64_t)(hi - lo + 1));
}

static double runif(rng *r)
{
	return (double)(rnext(r) >> 11) / 9007199254740992.0;
}

static int chance(rng *r, double p)
{
	return runif(r) < p;
}

static int count_of(const char *const *list)
{
	int n = 0;
	while (list[n])
		n++;
	return n;
}

static int pick_w(rng *r, const zb_demo_weighted *t)
{
	int total = 0, n = 0;
	for (; t[n].s; n++)
		total += t[n].w;
	int x = (int)rint_(r, 0, total - 1);
	for (int i = 0; i < n; i++) {
		if (x < t[i].w)
			return i;
		x -= t[i].w;
	}
	return n - 1;
}

/* ---- the plan ---- */

enum kind { K_VILLAGE, K_COMMUNITY, K_ORGAN, K_SOE, K_PRIVATE, K_SCHOOL, K_HOSPITAL, K_SOCIAL, K_MAX };
enum special { SP_NONE, SP_OVER, SP_NOCOMMITTEE, SP_NOSECRETARY, SP_OVERDUE };

static const char *const kind_domain[K_MAX] = {"rural", "community", "organ", "soe", "private", "school", "hospital", "social"};

typedef struct slot {
	int64_t org_id;
	char *path;
	int kind, special;
	int weight;            /* share of the members; 0 with a fixed size */
	int size;
	int64_t groups[3];
	int ngroups;
	char *unit, *place;
	int region;            /* ID number region 99xxxx */
	int64_t first;         /* index of its first member */
	int64_t corg;          /* index into corgs of the branch itself */
} slot;

typedef struct corg {
	int64_t org_id;
	const char *type, *domain;
	int from_slot;         /* whose members staff the committee, -1 none */
	int nposts;
	int special;
	int county;            /* county index, for the deliberate problems */
} corg;

typedef struct unit {
	char *name;
	const char *kind, *subkind, *coverage;
	int64_t org_id, covering;
	char *org_path;
	int staff, party, full;
} unit;

typedef struct gen {
	zb_app *app;
	zb_db *db;
	zb_arena a;
	rng r;
	const zb_demo_opts *o;
	zb_demo_result *res;
	char ref[11];          /* first day of this month: every date counts back from it */
	int ref_int;
	int64_t tmp_seq;
	slot *slots;
	int nslots, capslots;
	corg *corgs;
	int ncorgs, capcorgs;
	unit *units;
	int nunits, capunits;
	int64_t *alliance_orgs[4];
	int nall[4];
	char *alliance_names[4];
	int64_t alliance_lead[4];
	int nalliances;
	/* members */
	int64_t *mid;
	unsigned char *mfull;
	int64_t nmembers;
	zb_rules *terms;
	int64_t nposts, nterms;
} gen;

#define GROW(ptr, n, cap)                                                                \
	do {                                                                             \
		if ((n) == (cap)) {                                                      \
			(cap) = (cap) ? (cap) * 2 : 256;                                 \
			void *np_ = realloc((ptr), sizeof *(ptr) * (size_t)(cap));       \
			if (!np_)                                                        \
				abort(); /* the plan is small; out of memory is fatal */ \
			(ptr) = np_;                                                     \
		}                                                                        \
	} while (0)

static void progress(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(gen *g, const char *fmt, ...)
{
	if (!g->o->progress)
		return;
	va_list ap;
	va_start(ap, fmt);
	fputs("\r\033[K", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void date_back_days(gen *g, int days, char out[11])
{
	zb_date_add_days(g->ref, -days, out);
}

/* Insert an org without the roll-up hook (rebuilt at the end). */
static int org_add(gen *g, int64_t parent, const char *ppath, int depth, const char *name, const char *type,
                   const char *domain, const char *code, int64_t *id, char **path, zb_err *e)
{
	char tmp[64], founded[11];
	snprintf(tmp, sizeof tmp, "~demo-%lld", (long long)++g->tmp_seq);
	date_back_days(g, (int)rint_(&g->r, 365 * 3, 365 * 40), founded);
	int64_t now = zb_now(g->app);
	int rc = zb_db_int(g->db, e, id,
	                   "INSERT INTO orgs (parent_id, path, depth, name, code, type, domain, founded_on, sort_order, "
	                   "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
	                   "Isisssssiii", parent, tmp, (int64_t)depth, name, code, type, domain, founded, g->tmp_seq, now,
	                   now);
	if (rc)
		return rc;
	*path = zb_arena_printf(&g->a, "%s%lld/", ppath, (long long)*id);
	g->res->orgs++;
	return zb_db_run(g->db, e, NULL, "UPDATE orgs SET path = ? WHERE id = ?", "si", *path, *id);
}

static int add_corg(gen *g, int64_t org, const char *type, const char *domain, int from_slot, int nposts, int county)
{
	GROW(g->corgs, g->ncorgs, g->capcorgs);
	corg *c = &g->corgs[g->ncorgs];
	memset(c, 0, sizeof *c);
	c->org_id = org;
	c->type = type;
	c->domain = domain;
	c->from_slot = from_slot;
	c->nposts = nposts;
	c->county = county;
	return g->ncorgs++;
}

/* A branch with members (and 党小组 when it is big enough). */
static int add_branch(gen *g, int64_t parent, const char *ppath, int depth, const char *name, const char *type, int kind,
                      int weight, int special, const char *unit_name, const char *place, int region, int county, int *slot_out,
                      zb_err *e)
{
	int64_t id;
	char *path;
	int rc = org_add(g, parent, ppath, depth, name, type, kind_domain[kind], NULL, &id, &path, e);
	if (rc)
		return rc;
	GROW(g->slots, g->nslots, g->capslots);
	slot *s = &g->slots[g->nslots];
	memset(s, 0, sizeof *s);
	s->org_id = id;
	s->path = path;
	s->kind = kind;
	s->special = special;
	s->weight = special == SP_OVER || special == SP_NOCOMMITTEE ? 0 : weight;
	s->size = special == SP_OVER ? 55 : special == SP_NOCOMMITTEE ? 10 : 0;
	s->unit = zb_arena_strdup(&g->a, unit_name);
	s->place = zb_arena_strdup(&g->a, place);
	s->region = region;
	int nslot = g->nslots++;
	s->corg = add_corg(g, id, type, kind_domain[kind], nslot, 0, county);
	g->corgs[s->corg].special = special;
	/* 党小组 in bigger branches: members meet in groups of about ten */
	int ng = special == SP_OVER ? 3 : weight >= 37 ? 2 : 0;
	static const char *const gnames[] = {"第一党小组", "第二党小组", "第三党小组"};
	for (int i = 0; i < ng; i++) {
		char *gpath;
		if ((rc = org_add(g, id, path, depth + 1, gnames[i], "group", kind_domain[kind], NULL, &g->slots[nslot].groups[i],
		                  &gpath, e)))
			return rc;
		g->slots[nslot].ngroups++;
	}
	if (slot_out)
		*slot_out = nslot;
	return 0;
}

static void add_unit(gen *g, const char *name, const char *kind, const char *subkind, const char *coverage, int64_t org_id,
                     const char *org_path, int64_t covering, int staff, int party, int full)
{
	GROW(g->units, g->nunits, g->capunits);
	unit *u = &g->units[g->nunits++];
	u->name = zb_arena_strdup(&g->a, name);
	u->kind = kind;
	u->subkind = subkind;
	u->coverage = coverage;
	u->org_id = org_id;
	u->org_path = zb_arena_strdup(&g->a, org_path);
	u->covering = covering;
	u->staff = staff;
	u->party = party;
	u->full = full;
}

static const char *cn_num(int i)
{
	static const char *const n[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
	return n[i % 10];
}

static char *firm_name(gen *g, const char *cname, int cidx, int no)
{
	int nw = count_of(zb_demo_firm_words), nk = count_of(zb_demo_firm_kinds);
	/* words cycle faster than kinds: distinct names for nw * nk firms */
	return zb_arena_printf(&g->a, "%s%s%s%s", cname, zb_demo_firm_words[(no + cidx) % nw],
	                       zb_demo_firm_kinds[(no / nw + cidx) % nk], no >= nw * nk ? cn_num(no / (nw * nk)) : "");
}

/* One county: townships with villages and communities, organs, a state
 * enterprise group, schools, a hospital, private firms and social
 * organisations.  county_org: the county committee (already created). */
static int gen_county(gen *g, int64_t county_org, const char *cpath, int cdepth, int cidx, const char *cname,
                      int64_t target, zb_err *e)
{
	int rc, region = 990000 + (cidx % 10000);
	int na = count_of(zb_demo_place_a), nb = count_of(zb_demo_place_b);
	/* a township (villages, communities, its organs) holds about 680
	 * members at the planned sizes; the county's own units about a fifth */
	int ntown = (int)(target / 850);
	if (ntown < 1)
		ntown = 1;
	if (ntown > na)
		ntown = na; /* township names stay distinct */
	int county_corg = add_corg(g, county_org, "committee", "organ", -1, 7, cidx);
	int first_slot = g->nslots;

	/* townships */
	int64_t town0 = 0;
	char *town0_path = NULL;
	int town0_slot = -1, comm0_slot = -1;
	for (int t = 0; t < ntown; t++) {
		const char *tn = zb_demo_place_a[(cidx * 11 + t) % na];
		int is_town = t == 0 || chance(&g->r, 0.6);
		char *name = zb_arena_printf(&g->a, "中共%s%s%s委员会", cname, tn, is_town ? "镇" : "乡");
		char *place = zb_arena_printf(&g->a, "%s%s%s", cname, tn, is_town ? "镇" : "乡");
		char *code = zb_arena_printf(&g->a, "C%04d-T%02d", cidx, t + 1);
		int64_t tid;
		char *tpath;
		if ((rc = org_add(g, county_org, cpath, cdepth + 1, name, "committee", "rural", code, &tid, &tpath, e)))
			return rc;
		if (t == 0) {
			town0 = tid;
			town0_path = tpath;
			if (!g->res->township_id)
				g->res->township_id = tid;
		}
		int organ_slot;
		if ((rc = add_branch(g, tid, tpath, cdepth + 2, zb_arena_printf(&g->a, "%s%s机关党支部", tn, is_town ? "镇" : "乡"),
		                     "branch", K_ORGAN, (int)rint_(&g->r, 18, 30), SP_NONE,
		                     zb_arena_printf(&g->a, "%s人民政府", place), place, region, cidx, &organ_slot, e)))
			return rc;
		add_corg(g, tid, "committee", "rural", organ_slot, (int)rint_(&g->r, 5, 7), cidx);
		int nv = (int)rint_(&g->r, 16, 26);
		for (int v = 0; v < nv; v++) {
			const char *va = zb_demo_place_a[(t * 5 + v * 7 + cidx) % na];
			int bi = (v * 3 + t) % nb;
			if (strstr(va, zb_demo_place_b[bi]))
				bi = (bi + 1) % nb; /* no "临河河村" */
			char *vname = zb_arena_printf(&g->a, "%s%s村", va, zb_demo_place_b[bi]);
			char *vplace = zb_arena_printf(&g->a, "%s%s", place, vname);
			int special = SP_NONE;
			if (t == 0 && v < 4)
				special = (int[]){SP_OVER, SP_NOCOMMITTEE, SP_NOSECRETARY, SP_OVERDUE}[v];
			if (chance(&g->r, 0.1) && special == SP_NONE) {
				/* a big village: a 党总支 with several branches */
				int64_t gid;
				char *gpath;
				if ((rc = org_add(g, tid, tpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s总支部委员会", vname),
				                  "general_branch", "rural", NULL, &gid, &gpath, e)))
					return rc;
				int nbr = (int)rint_(&g->r, 2, 3), s0 = -1;
				for (int k = 0; k < nbr; k++) {
					int si;
					if ((rc = add_branch(g, gid, gpath, cdepth + 3, zb_arena_printf(&g->a, "%s第%s党支部", vname, cn_num(k)),
					                     "branch", K_VILLAGE, (int)rint_(&g->r, 18, 32), SP_NONE,
					                     zb_arena_printf(&g->a, "%s村民委员会", vname), vplace, region, cidx, &si, e)))
						return rc;
					if (s0 < 0)
						s0 = si;
				}
				add_corg(g, gid, "general_branch", "rural", s0, 5, cidx);
				continue;
			}
			int si;
			if ((rc = add_branch(g, tid, tpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", vname), "branch", K_VILLAGE,
			                     (int)rint_(&g->r, 16, 40), special, zb_arena_printf(&g->a, "%s村民委员会", vname), vplace,
			                     region, cidx, &si, e)))
				return rc;
			if (t == 0 && v >= 4 && !g->res->branch_id) /* an ordinary village branch */
				g->res->branch_id = g->slots[si].org_id;
			if (t == 0 && v == 0)
				town0_slot = si;
		}
		int nc = (int)rint_(&g->r, 1, 3);
		for (int c = 0; c < nc; c++) {
			char *cn = zb_arena_printf(&g->a, "%s%s社区", zb_demo_place_a[(t * 3 + c * 13 + 7) % na], c ? "东" : "");
			char *cplace = zb_arena_printf(&g->a, "%s%s", place, cn);
			int si;
			if (chance(&g->r, 0.3)) {
				int64_t gid;
				char *gpath;
				if ((rc = org_add(g, tid, tpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s总支部委员会", cn), "general_branch",
				                  "community", NULL, &gid, &gpath, e)))
					return rc;
				int s0 = -1;
				for (int k = 0; k < 3; k++) {
					if ((rc = add_branch(g, gid, gpath, cdepth + 3,
					                     zb_arena_printf(&g->a, "%s%s党支部", cn, k == 0 ? "在职党员" : k == 1 ? "退休党员" : "流动党员"),
					                     "branch", K_COMMUNITY, (int)rint_(&g->r, 20, 40), SP_NONE,
					                     zb_arena_printf(&g->a, "%s居民委员会", cn), cplace, region, cidx, &si, e)))
						return rc;
					if (s0 < 0)
						s0 = si;
				}
				add_corg(g, gid, "general_branch", "community", s0, 5, cidx);
			} else if ((rc = add_branch(g, tid, tpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", cn), "branch",
			                            K_COMMUNITY, (int)rint_(&g->r, 25, 45), SP_NONE,
			                            zb_arena_printf(&g->a, "%s居民委员会", cn), cplace, region, cidx, &si, e))) {
				return rc;
			}
			if (comm0_slot < 0)
				comm0_slot = si;
		}
	}

	/* county organs */
	int64_t gw;
	char *gwpath;
	if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s直属机关工作委员会", cname), "committee",
	                  "organ", zb_arena_printf(&g->a, "C%04d-JG", cidx), &gw, &gwpath, e)))
		return rc;
	int norgan = (int)(target / 700), no = count_of(zb_demo_organs), gw_slot = -1;
	if (norgan < 3)
		norgan = 3;
	if (norgan > no)
		norgan = no;
	for (int i = 0; i < norgan; i++) {
		const char *on = zb_demo_organs[i];
		/* "县委办公室" -> "<county>委办公室" */
		char *unit_name = zb_arena_printf(&g->a, "%s%s", cname, on + strlen("县"));
		int si;
		if ((rc = add_branch(g, gw, gwpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", unit_name), "branch", K_ORGAN,
		                     (int)rint_(&g->r, 12, 40), SP_NONE, unit_name, cname, region, cidx, &si, e)))
			return rc;
		if (gw_slot < 0)
			gw_slot = si;
	}
	add_corg(g, gw, "committee", "organ", gw_slot, 5, cidx);
	g->corgs[county_corg].from_slot = gw_slot;

	/* a state-owned enterprise group */
	int nsoe = (int)(target / 8000) + 1, soe0 = -1;
	int64_t soe_id = 0;
	for (int i = 0; i < nsoe; i++) {
		const char *what[] = {"城市建设投资集团有限公司", "交通投资集团有限公司", "水务集团有限公司", "农业发展集团有限公司"};
		char *firm = zb_arena_printf(&g->a, "%s%s", cname, what[i % 4]);
		int64_t sid;
		char *spath;
		if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s委员会", firm), "committee", "soe", NULL,
		                  &sid, &spath, e)))
			return rc;
		if (!soe_id)
			soe_id = sid;
		int nbr = (int)rint_(&g->r, 3, 6), s0 = -1;
		static const char *const dept[] = {"机关", "工程管理部", "运营分公司", "财务资产部", "项目建设部", "物业分公司"};
		for (int k = 0; k < nbr; k++) {
			int si;
			if ((rc = add_branch(g, sid, spath, cdepth + 2, zb_arena_printf(&g->a, "%s%s党支部", firm, dept[k]), "branch", K_SOE,
			                     (int)rint_(&g->r, 20, 40), SP_NONE, firm, cname, region, cidx, &si, e)))
				return rc;
			if (s0 < 0)
				s0 = si;
		}
		add_corg(g, sid, "committee", "soe", s0, 5, cidx);
		if (soe0 < 0)
			soe0 = s0;
		add_unit(g, firm, "enterprise", "国有企业", "single", sid, spath, sid, (int)rint_(&g->r, 200, 800), 0, 0);
	}

	/* schools */
	int64_t edu;
	char *edupath;
	if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s教育系统委员会", cname), "committee", "school",
	                  NULL, &edu, &edupath, e)))
		return rc;
	int nschool = (int)(target / 1200) + 2, school0 = -1;
	for (int i = 0; i < nschool; i++) {
		char *sn = i < 3 ? zb_arena_printf(&g->a, "%s第%s中学", cname, cn_num(i))
		                 : zb_arena_printf(&g->a, "%s%s镇中心小学", cname, zb_demo_place_a[(i * 5 + cidx) % na]);
		int si;
		if ((rc = add_branch(g, edu, edupath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", sn), "branch", K_SCHOOL,
		                     (int)rint_(&g->r, 12, 35), SP_NONE, sn, cname, region, cidx, &si, e)))
			return rc;
		if (school0 < 0)
			school0 = si;
	}
	add_corg(g, edu, "committee", "school", school0, 5, cidx);

	/* the county hospital: a 党总支 with branches */
	char *hosp = zb_arena_printf(&g->a, "%s人民医院", cname);
	int64_t hid;
	char *hpath;
	if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s总支部委员会", hosp), "general_branch",
	                  "hospital", NULL, &hid, &hpath, e)))
		return rc;
	static const char *const wards[] = {"内科", "外科", "医技", "行政后勤"};
	int hosp0 = -1;
	for (int k = 0; k < 4; k++) {
		int si;
		if ((rc = add_branch(g, hid, hpath, cdepth + 2, zb_arena_printf(&g->a, "%s%s党支部", hosp, wards[k]), "branch", K_HOSPITAL,
		                     (int)rint_(&g->r, 15, 35), SP_NONE, hosp, cname, region, cidx, &si, e)))
			return rc;
		if (hosp0 < 0)
			hosp0 = si;
	}
	add_corg(g, hid, "general_branch", "hospital", hosp0, 5, cidx);

	/* private firms: own branches, joint branches, attached, uncovered */
	int64_t fg;
	char *fgpath;
	if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s非公有制经济组织委员会", cname), "committee",
	                  "private", NULL, &fg, &fgpath, e)))
		return rc;
	int firm_no = 0, fg0 = -1;
#define FIRM_NAME() firm_name(g, cname, cidx, firm_no++)
	int nsingle = (int)(target / 2000) + 2;
	for (int i = 0; i < nsingle; i++) {
		char *fn = FIRM_NAME();
		int si;
		int w = (int)rint_(&g->r, 5, 15);
		if ((rc = add_branch(g, fg, fgpath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", fn), "branch", K_PRIVATE, w,
		                     SP_NONE, fn, cname, region, cidx, &si, e)))
			return rc;
		if (fg0 < 0)
			fg0 = si;
		add_unit(g, fn, "enterprise", "非公企业", "single", g->slots[si].org_id, fgpath, g->slots[si].org_id,
		         (int)rint_(&g->r, 30, 300), 0, 0);
	}
	add_corg(g, fg, "committee", "private", fg0, 5, cidx);
	int njoint = (int)(target / 5000) + 1;
	for (int i = 0; i < njoint; i++) {
		const char *tn = zb_demo_place_a[(cidx * 11 + i) % na];
		char *jn = zb_arena_printf(&g->a, "中共%s%s非公企业联合支部委员会", cname, tn);
		int si;
		if ((rc = add_branch(g, fg, fgpath, cdepth + 2, jn, "joint_branch", K_PRIVATE, (int)rint_(&g->r, 6, 14), SP_NONE,
		                     zb_arena_printf(&g->a, "%s%s", cname, tn), cname, region, cidx, &si, e)))
			return rc;
		/* the first joint branch of a county covers one unit too many */
		int nunits = i == 0 ? 6 : (int)rint_(&g->r, 2, 5);
		for (int k = 0; k < nunits; k++) {
			char *fn = FIRM_NAME();
			int party = (int)rint_(&g->r, 1, 2);
			add_unit(g, fn, "enterprise", "非公企业", "joint", fg, fgpath, g->slots[si].org_id, (int)rint_(&g->r, 8, 60), party,
			         party - (int)rint_(&g->r, 0, 1));
		}
	}
	int nattached = (int)(target / 3000) + 2;
	for (int i = 0; i < nattached; i++) {
		int party = (int)rint_(&g->r, 1, 2);
		add_unit(g, FIRM_NAME(), "enterprise", "非公企业", "attached", fg, fgpath, fg, (int)rint_(&g->r, 5, 40), party, party);
	}
	int nnone = (int)(target / 2500) + 2;
	for (int i = 0; i < nnone; i++)
		add_unit(g, FIRM_NAME(), "enterprise", "非公企业", "none", fg, fgpath, 0, (int)rint_(&g->r, 3, 30), 0, 0);
	/* deliberate: a firm in the first township with 4 full members and no branch */
	if (town0)
		add_unit(g, FIRM_NAME(), "enterprise", "非公企业", "none", town0, town0_path, 0, 45, 5, 4);
#undef FIRM_NAME

	/* social organisations */
	int64_t so;
	char *sopath;
	if ((rc = org_add(g, county_org, cpath, cdepth + 1, zb_arena_printf(&g->a, "中共%s社会组织综合委员会", cname), "committee",
	                  "social", NULL, &so, &sopath, e)))
		return rc;
	int ns = count_of(zb_demo_social_orgs), nsoc = (int)(target / 5000) + 1, so0 = -1;
	if (nsoc > ns)
		nsoc = ns;
	for (int i = 0; i < ns; i++) {
		char *sn = zb_arena_printf(&g->a, "%s%s", cname, zb_demo_social_orgs[i] + strlen("县"));
		if (i < nsoc) {
			int si;
			if ((rc = add_branch(g, so, sopath, cdepth + 2, zb_arena_printf(&g->a, "中共%s支部委员会", sn), "branch", K_SOCIAL,
			                     (int)rint_(&g->r, 4, 10), SP_NONE, sn, cname, region, cidx, &si, e)))
				return rc;
			if (so0 < 0)
				so0 = si;
			add_unit(g, sn, "social_org", "社会组织", "single", g->slots[si].org_id, sopath, g->slots[si].org_id,
			         (int)rint_(&g->r, 10, 80), 0, 0);
		} else if (i % 3) {
			int party = (int)rint_(&g->r, 1, 2);
			add_unit(g, sn, "social_org", "社会组织", "attached", so, sopath, so, (int)rint_(&g->r, 5, 30), party, party);
		} else {
			add_unit(g, sn, "social_org", "社会组织", "none", so, sopath, 0, (int)rint_(&g->r, 3, 20), 0, 0);
		}
	}
	add_corg(g, so, "committee", "social", so0, 5, cidx);

	/* an alliance around the first township (county demo and first county) */
	if (g->nalliances < 2 && town0) {
		int k = g->nalliances++;
		g->alliance_names[k] = zb_arena_printf(&g->a, "%s城乡党建联合体", cname);
		g->alliance_lead[k] = town0;
		g->alliance_orgs[k] = zb_arena_alloc(&g->a, sizeof(int64_t) * 8);
		int n = 0;
		if (comm0_slot >= 0)
			g->alliance_orgs[k][n++] = g->slots[comm0_slot].org_id;
		if (soe_id)
			g->alliance_orgs[k][n++] = soe_id;
		if (school0 >= 0)
			g->alliance_orgs[k][n++] = g->slots[school0].org_id;
		g->alliance_orgs[k][n++] = hid;
		if (town0_slot >= 0)
			g->alliance_orgs[k][n++] = g->slots[town0_slot].org_id;
		g->nall[k] = n;
	}
	if (g->nalliances < 2 && fg0 >= 0) {
		int k = g->nalliances++;
		g->alliance_names[k] = zb_arena_printf(&g->a, "%s非公企业党建联盟", cname);
		g->alliance_lead[k] = fg;
		g->alliance_orgs[k] = zb_arena_alloc(&g->a, sizeof(int64_t) * 8);
		int n = 0;
		for (int i = fg0; i < g->nslots && n < 5; i++)
			if (g->slots[i].kind == K_PRIVATE)
				g->alliance_orgs[k][n++] = g->slots[i].org_id;
		g->nall[k] = n;
	}
	(void)soe0;
	(void)first_slot;
	return 0;
}

/* Sizes: fixed ones for the deliberate problems, the rest in proportion
 * to the weights so the total is exactly the target. */
static void allocate(gen *g, int64_t target)
{
	int64_t fixed = 0, wsum = 0;
	for (int i = 0; i < g->nslots; i++) {
		fixed += g->slots[i].weight ? 0 : g->slots[i].size;
		wsum += g->slots[i].weight;
	}
	int64_t rest = target > fixed ? target - fixed : 0, given = 0;
	(void)given;
	for (int i = 0; i < g->nslots; i++)
		if (g->slots[i].weight) {
			g->slots[i].size = (int)(rest * g->slots[i].weight / (wsum ? wsum : 1));
			given += g->slots[i].size;
		}
	/* keep planned branches under the 50-member rule: move the excess to
	 * branches with room (only the deliberate problem is over) */
	int64_t excess = rest - given;
	for (int i = 0; i < g->nslots; i++)
		if (g->slots[i].weight && g->slots[i].size > 48) {
			excess += g->slots[i].size - 48;
			g->slots[i].size = 48;
		}
	for (int round = 0; excess > 0 && round < 60; round++)
		for (int i = 0; i < g->nslots && excess > 0; i++)
			if (g->slots[i].weight && g->slots[i].size < 48) {
				g->slots[i].size++;
				excess--;
			}
	for (int i = 0; excess > 0 && g->nslots; i = (i + 1) % g->nslots)
		if (g->slots[i].weight) {
			g->slots[i].size++; /* too few branches for the target: over 48 after all */
			excess--;
		}
	int64_t at = 0;
	for (int i = 0; i < g->nslots; i++) {
		g->slots[i].first = at;
		at += g->slots[i].size;
	}
	g->nmembers = at;
}

/* ---- members: produced on a second thread ---- */

/* Pinyin of each table character, so a name's pinyin is a concatenation;
 * checked against zb_pinyin on a sample of whole names (see gen_members). */
typedef struct py {
	char full[16], ini[4];
} py;
typedef struct pytab {
	py *sur, *gm, *gf;
} pytab;

static int py_of(const char *ch, py *out)
{
	zb_buf f = {0}, i = {0};
	int rc = zb_pinyin(ch, &f, &i);
	if (!rc) {
		snprintf(out->full, sizeof out->full, "%s", f.data ? f.data : "");
		snprintf(out->ini, sizeof out->ini, "%s", i.data ? i.data : "");
	}
	zb_buf_release(&f);
	zb_buf_release(&i);
	return rc;
}

typedef struct mrow {
	zb_member m;
	char py[64], ini[16];
	char *key;
	size_t keylen;
	int full;            /* full member on the roll */
	int slot;
} mrow;

#define BATCH 4096

typedef struct batch {
	zb_arena a;
	mrow rows[BATCH];
	int n;
	int ready;           /* filled, waiting for the writer */
	int err;
	char msg[600];
} batch;

typedef struct producer {
	gen *g;
	pytab pt;
	zb_member_rules rules;
	int today_int;
	rng r;
	batch b[2];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int64_t done;        /* rows produced */
	int64_t base;        /* ids are base + 1, base + 2, ... in order */
	int check;           /* run zb_member_check on every row */
	/* ID number sequence per (region, birth date) */
	uint64_t *idkeys;
	uint16_t *idnext;
	size_t idcap;
} producer;

static int next_seq(producer *p, int region, int ymd, char gender)
{
	uint64_t key = (uint64_t)region * 100000000ull + (uint64_t)ymd;
	size_t m = p->idcap - 1, s = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & m;
	while (p->idkeys[s] && p->idkeys[s] != key)
		s = (s + 1) & m;
	p->idkeys[s] = key;
	/* low byte pairs: men take odd numbers, women even ones */
	uint16_t *c = &p->idnext[s * 2 + (gender == 'M')];
	int v = *c * 2 + (gender == 'M');
	(*c)++;
	return v % 1000;
}

static const int edu_w[K_MAX][7] = {
	{0, 3, 8, 6, 25, 40, 18},    /* village */
	{1, 15, 20, 10, 25, 20, 9},  /* community */
	{12, 65, 18, 3, 2, 0, 0},    /* organ */
	{6, 45, 30, 10, 7, 2, 0},    /* soe */
	{2, 25, 35, 15, 15, 8, 0},   /* private */
	{15, 72, 12, 1, 0, 0, 0},    /* school */
	{12, 55, 28, 5, 0, 0, 0},    /* hospital */
	{3, 35, 35, 12, 10, 5, 0},   /* social */
};
static const double male_share[K_MAX] = {0.72, 0.45, 0.62, 0.68, 0.64, 0.38, 0.36, 0.55};
static const char *const jobs[K_MAX][5] = {
	{"村民", "种植户", "养殖户", "个体工商户", "村干部"}, {"居民", "退休职工", "社区工作者", "个体经营者", "居民"},
	{"科员", "副科长", "科长", "干部", "科员"},           {"职工", "技术员", "工程师", "部门经理", "职工"},
	{"职工", "技术员", "销售经理", "车间主任", "职工"},   {"教师", "班主任", "教研组长", "教师", "教师"},
	{"医生", "护士", "药师", "医技人员", "医生"},         {"工作人员", "会员", "秘书长", "工作人员", "会员"},
};
static const char *const sources[] = {"致富能手", "返乡创业人员", "复转军人", "大学毕业生", "青年农民"};

static int pick_edu(rng *r, int kind, int age)
{
	int w[7], total = 0;
	for (int i = 0; i < 7; i++) {
		w[i] = edu_w[kind][i];
		/* older members went to school when fewer could */
		if (age > 60 && i >= 4)
			w[i] *= 2;
		if (age > 60 && i <= 1)
			w[i] /= 2;
		total += w[i];
	}
	int x = (int)rint_(r, 0, total - 1);
	for (int i = 0; i < 7; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return 6;
}

static int age_for(rng *r, int kind)
{
	double u = runif(r);
	switch (kind) {
	case K_VILLAGE:
		return u < 0.58 ? (int)rint_(r, 55, 90) : u < 0.9 ? (int)rint_(r, 35, 54) : (int)rint_(r, 22, 34);
	case K_COMMUNITY:
		return u < 0.45 ? (int)rint_(r, 60, 88) : u < 0.8 ? (int)rint_(r, 35, 59) : (int)rint_(r, 23, 34);
	default:
		/* working age, peaked in the middle */
		return 23 + (int)((runif(r) + runif(r)) / 2 * 37);
	}
}

static void ymd_of(const char *d, char out[9])
{
	snprintf(out, 9, "%.4s%.2s%.2s", d, d + 5, d + 8);
}

/* One member of slot s, deterministic from p->r. */
static int make_member(producer *p, int si, int idx, mrow *row, zb_arena *a)
{
	gen *g = p->g;
	const slot *s = &g->slots[si];
	rng *r = &p->r;
	zb_member *m = &row->m;
	memset(row, 0, sizeof *row);
	row->slot = si;
	m->org_id = s->org_id;
	m->org_path = s->path;
	m->group_id = s->ngroups ? s->groups[idx % s->ngroups] : 0;

	char gender = chance(r, male_share[s->kind]) ? 'M' : 'F';
	int sur = pick_w(r, zb_demo_surnames);
	const char *const *given = gender == 'M' ? zb_demo_given_m : zb_demo_given_f;
	const py *gpy = gender == 'M' ? p->pt.gm : p->pt.gf;
	int ng = count_of(given);
	int g1 = (int)rint_(r, 0, ng - 1), g2 = chance(r, 0.66) ? (int)rint_(r, 0, ng - 1) : -1;
	m->name = zb_arena_printf(a, "%s%s%s", zb_demo_surnames[sur].s, given[g1], g2 >= 0 ? given[g2] : "");
	snprintf(row->py, sizeof row->py, "%s%s%s", p->pt.sur[sur].full, gpy[g1].full, g2 >= 0 ? gpy[g2].full : "");
	snprintf(row->ini, sizeof row->ini, "%s%s%s", p->pt.sur[sur].ini, gpy[g1].ini, g2 >= 0 ? gpy[g2].ini : "");

	int age = age_for(r, s->kind);
	char birth[11], tmp[11];
	zb_date_add_months(g->ref, -12 * age, tmp);
	zb_date_add_days(tmp, -(int)rint_(r, 1, 364), birth);
	char ymd[9];
	ymd_of(birth, ymd);
	char idn[19];
	char region[8];
	snprintf(region, sizeof region, "%06d", s->region % 1000000);
	zb_idcard_make(region, ymd, next_seq(p, s->region, atoi(ymd), gender), gender, idn);
	m->id_number = zb_arena_strdup(a, idn);
	m->birth_date = zb_arena_strdup(a, birth);
	m->gender = gender == 'M' ? "M" : "F";
	m->ethnicity = chance(r, 0.93) ? "汉族" : zb_demo_minorities[pick_w(r, zb_demo_minorities)].s;
	m->education = zb_educations[pick_edu(r, s->kind, age)];

	/* joined at 18 or later; some joined in the last year (probationary) */
	int prob = chance(r, age < 35 ? 0.12 : 0.015);
	if (s->special == SP_NOCOMMITTEE)
		prob = idx == 0; /* exactly 9 full members of 10 */
	char join[11], fulld[11];
	if (prob) {
		date_back_days(g, (int)rint_(r, 20, 330), join);
		m->category = "probationary";
	} else {
		int jage = s->kind == K_VILLAGE ? (int)rint_(r, 20, 45) : (int)rint_(r, 19, 34);
		if (jage > age - 2)
			jage = age - 2;
		zb_date_add_months(birth, 12 * jage, tmp);
		zb_date_add_days(tmp, (int)rint_(r, 0, 300), join);
		char latest[11];
		date_back_days(g, 400, latest);
		if (strcmp(join, latest) > 0)
			memcpy(join, latest, sizeof join);
		/* the 预备期 is a year to the day (29 Feb -> 28 Feb) */
		zb_date_add_months(join, 12, tmp);
		zb_date_add_days(tmp, (int)rint_(r, 0, 20), fulld);
		m->full_date = zb_arena_strdup(a, fulld);
		m->category = "full";
	}
	m->join_date = zb_arena_strdup(a, join);
	double u = runif(r);
	double mob = s->kind == K_VILLAGE ? 0.05 : 0.015;
	m->status = u < mob ? "mobile" : u < mob + 0.007 ? "lost" : u < mob + 0.013 ? "abroad" : "normal";
	if (s->special == SP_NOCOMMITTEE)
		m->status = "normal";
	row->full = !prob;

	char phone[12];
	snprintf(phone, sizeof phone, "1990000%04d", (int)rint_(r, 0, 9999));
	m->phone = zb_arena_strdup(a, phone);
	m->native_place = chance(r, 0.8) ? g->slots[si].place : zb_demo_place_a[rint_(r, 0, count_of(zb_demo_place_a) - 1)];
	m->address = zb_arena_printf(a, "%s%d号", s->place, (int)rint_(r, 1, 199));
	m->work_unit = s->unit;
	m->job_title = jobs[s->kind][rint_(r, 0, 4)];
	if (strcmp(join, "2014-01-01") > 0 && chance(r, 0.2))
		m->source = sources[rint_(r, 0, 4)];
	return 0;
}

static const unsigned GIVEN = ZB_MF_NAME | ZB_MF_GENDER | ZB_MF_ETHNICITY | ZB_MF_BIRTH | ZB_MF_ID | ZB_MF_NATIVE |
                              ZB_MF_EDUCATION | ZB_MF_WORK_UNIT | ZB_MF_JOB | ZB_MF_CATEGORY | ZB_MF_JOIN | ZB_MF_FULL |
                              ZB_MF_PHONE | ZB_MF_ADDRESS | ZB_MF_STATUS | ZB_MF_SOURCE;

/* Finish a row: the member domain's cleaning, field protection, sort key. */
static int finish_row(producer *p, mrow *row, zb_arena *a, zb_err *e)
{
	int rc = 0;
	if (p->check)
		rc = zb_member_check(&row->m, GIVEN, &p->rules, p->today_int, a, NULL, e);
	if (!rc)
		rc = zb_member_protect(&row->m, GIVEN, p->g->app->keys, a, e);
	if (rc)
		return rc;
	zb_buf k = {0};
	if (zb_sortkey(row->m.name, &k)) {
		zb_buf_release(&k);
		return zb_fail(e, ZB_EINTERNAL, "name", "无法生成排序键");
	}
	row->key = zb_arena_alloc(a, k.len + 1);
	memcpy(row->key, k.data, k.len);
	row->keylen = k.len;
	zb_buf_release(&k);
	/* the plaintext stays in memory only */
	row->m.id_number = NULL;
	row->m.phone = NULL;
	return 0;
}

static void *produce(void *arg)
{
	producer *p = arg;
	gen *g = p->g;
	int cur = 0, si = 0, idx = 0;
	zb_err e = {0};
	while (si < g->nslots) {
		batch *b = &p->b[cur];
		pthread_mutex_lock(&p->mu);
		while (b->ready && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->stop;
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		zb_arena_free(&b->a);
		zb_arena_init(&b->a);
		b->n = 0;
		while (b->n < BATCH && si < g->nslots) {
			if (idx >= g->slots[si].size) {
				si++;
				idx = 0;
				continue;
			}
			mrow *row = &b->rows[b->n];
			make_member(p, si, idx, row, &b->a);
			/* the id the consumer gives it, so ciphertexts are bound to it */
			row->m.id = p->base + p->done + 1;
			if (finish_row(p, row, &b->a, &e)) {
				b->err = e.code;
				snprintf(b->msg, sizeof b->msg, "%.380s（%.63s，%.60s）", e.msg, e.field, row->m.name ? row->m.name : "?");
				break;
			}
			b->n++;
			p->done++;
			idx++;
		}
		pthread_mutex_lock(&p->mu);
		b->ready = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		if (b->err)
			break;
		cur ^= 1;
	}
	return NULL;
}

/* SQLite: drop the secondary indexes of the bulk-loaded tables and build
 * them again afterwards (one sort each instead of millions of random
 * B-tree inserts).  The SQL comes from the schema itself, so the indexes
 * come back exactly as the migrations made them. */
typedef struct idxsave {
	char **name, **sql;
	int n;
} idxsave;

static int drop_indexes(gen *g, idxsave *s, zb_err *e)
{
	memset(s, 0, sizeof *s);
	zb_stmt *st = zb_db_query(g->db, e,
	                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
	                          "AND tbl_name IN ('members', 'member_history') ORDER BY name",
	                          "");
	if (!st)
		return e->code;
	int rc;
	s->name = zb_arena_alloc(&g->a, sizeof(char *) * 64);
	s->sql = zb_arena_alloc(&g->a, sizeof(char *) * 64);
	while ((rc = zb_stmt_step(st, e)) == 1 && s->n < 64) {
		s->name[s->n] = zb_arena_strdup(&g->a, zb_col_text(st, 0));
		s->sql[s->n++] = zb_arena_strdup(&g->a, zb_col_text(st, 1));
	}
	zb_stmt_done(st);
	if (rc < 0)
		return -rc;
	for (int i = 0; i < s->n; i++) {
		char *sql = zb_arena_printf(&g->a, "DROP INDEX \"%s\"", s->name[i]);
		if ((rc = zb_db_exec(g->db, sql, e)))
			return rc;
	}
	return 0;
}

static int restore_indexes(gen *g, const idxsave *s, zb_err *e)
{
	for (int i = 0; i < s->n; i++) {
		progress(g, "建立索引 %s …", s->name[i]);
		int rc = zb_db_exec(g->db, s->sql[i], e);
		if (rc)
			return rc;
	}
	return 0;
}

/* Ids are given explicitly (the table is empty when the demo runs), so a
 * row needs no RETURNING; PostgreSQL's identity sequence is moved past
 * them afterwards.  Rows go MEMBERS_PER_INSERT at a time: their fields as
 * one JSON parameter (store/db.h ZB_JSON_ROWS_*), their sort keys
 * concatenated in one blob, each cut out by offset and length. */
#define MEMBERS_PER_INSERT 250
#define MJ(i) "r.j ->> " #i
#define MJI(i) "CAST(r.j ->> " #i " AS BIGINT)"
#define INS_MEMBERS(SRC)                                                                                            \
	"INSERT INTO members (id, org_id, org_path, group_id, name, name_pinyin, name_initials, sort_key, gender, "     \
	"ethnicity, birth_date, id_enc, id_index, id_masked, native_place, education, degree, work_unit, job_title, "   \
	"category, join_date, full_date, phone_enc, phone_masked, address, status, source, remarks, created_at, "      \
	"updated_at) SELECT " MJI(0) ", " MJI(1) ", " MJ(2) ", " MJI(3) ", " MJ(4) ", " MJ(5) ", " MJ(6) ", "          \
	"substr(?, CAST(r.j ->> 7 AS INTEGER), CAST(r.j ->> 8 AS INTEGER)), " MJ(9) ", " MJ(10) ", " MJ(11) ", "       \
	MJ(12) ", " MJ(13) ", " MJ(14) ", " MJ(15) ", " MJ(16) ", " MJ(17) ", " MJ(18) ", " MJ(19) ", " MJ(20) ", "     \
	MJ(21) ", " MJ(22) ", " MJ(23) ", " MJ(24) ", " MJ(25) ", " MJ(26) ", " MJ(27) ", " MJ(28) ", "                 \
	"CAST(? AS BIGINT), CAST(? AS BIGINT) FROM " SRC " AS r"

static int insert_rows(gen *g, const mrow *rows, const int64_t *ids, int n, int64_t now, zb_err *e)
{
	zb_buf j = {0}, keys = {0};
	zb_jw w;
	jw_init(&w, &j);
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		const mrow *row = &rows[i];
		const zb_member *m = &row->m;
		jw_arr(&w);
		jw_int(&w, ids[i]);
		jw_int(&w, m->org_id);
		jw_str(&w, m->org_path);
		if (m->group_id)
			jw_int(&w, m->group_id);
		else
			jw_null(&w);
		jw_str(&w, m->name);
		jw_str(&w, row->py);
		jw_str(&w, row->ini);
		jw_int(&w, (int64_t)keys.len + 1);
		jw_int(&w, (int64_t)row->keylen);
		const char *f[] = {m->gender,    m->ethnicity, m->birth_date,  m->id_enc,      m->id_index,
		                   m->id_masked, m->native_place, m->education, m->degree,      m->work_unit,
		                   m->job_title, m->category,  m->join_date,   m->full_date,   m->phone_enc,
		                   m->phone_masked, m->address, m->status,     m->source,      m->remarks};
		for (size_t k = 0; k < sizeof f / sizeof f[0]; k++)
			jw_str(&w, f[k]);
		jw_arr_end(&w);
		if (row->keylen && zb_buf_append(&keys, row->key, row->keylen))
			w.err = ZB_ETOOBIG;
	}
	jw_arr_end(&w);
	int rc = jw_finish(&w) ? zb_fail(e, ZB_EINTERNAL, NULL, "内存不足")
	                       : zb_db_run(g->db, e, NULL,
	                                   zb_db_backend(g->db) == ZB_DB_PG ? INS_MEMBERS(ZB_JSON_ROWS_PG)
	                                                                    : INS_MEMBERS(ZB_JSON_ROWS_SQLITE),
	                                   "biis", keys.data ? keys.data : "", keys.len, now, now, j.data);
	zb_buf_release(&j);
	zb_buf_release(&keys);
	return rc;
}

static int gen_members(gen *g, zb_err *e)
{
	producer *p = calloc(1, sizeof *p);
	if (!p)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	int rc = 0;
	p->g = g;
	rng_seed(&p->r, g->o->seed ^ 0x5EEDF00Dull);
	p->today_int = zb_today_int(g->app);
	/* full validation is cheap next to encryption; the province skips
	 * it only for time (the same code paths are exercised at county scale) */
	p->check = g->nmembers <= 200000;
	int nsur = 0, ngm = count_of(zb_demo_given_m), ngf = count_of(zb_demo_given_f);
	while (zb_demo_surnames[nsur].s)
		nsur++;
	p->pt.sur = calloc((size_t)nsur, sizeof(py));
	p->pt.gm = calloc((size_t)ngm, sizeof(py));
	p->pt.gf = calloc((size_t)ngf, sizeof(py));
	p->idcap = 1;
	while (p->idcap < (size_t)g->nmembers * 2 + 1024)
		p->idcap <<= 1;
	p->idkeys = calloc(p->idcap, sizeof *p->idkeys);
	p->idnext = calloc(p->idcap * 2, sizeof *p->idnext);
	g->mid = calloc((size_t)g->nmembers + 1, sizeof *g->mid);
	g->mfull = calloc((size_t)g->nmembers + 1, 1);
	if (!p->pt.sur || !p->pt.gm || !p->pt.gf || !p->idkeys || !p->idnext || !g->mid || !g->mfull) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
		goto out;
	}
	for (int i = 0; !rc && i < nsur; i++)
		rc = py_of(zb_demo_surnames[i].s, &p->pt.sur[i]);
	for (int i = 0; !rc && i < ngm; i++)
		rc = py_of(zb_demo_given_m[i], &p->pt.gm[i]);
	for (int i = 0; !rc && i < ngf; i++)
		rc = py_of(zb_demo_given_f[i], &p->pt.gf[i]);
	if (rc) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "无法生成拼音");
		goto out;
	}
	if ((rc = zb_member_rules_load(g->db, "/", g->ref, &p->rules, e)))
		goto out;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	zb_arena_init(&p->b[0].a);
	zb_arena_init(&p->b[1].a);

	idxsave saved = {0};
	int big = zb_db_backend(g->db) == ZB_DB_SQLITE && g->nmembers > 300000;
	if (big && (rc = drop_indexes(g, &saved, e)))
		goto out_sync;

	int64_t base = 0;
	if ((rc = zb_db_int(g->db, e, &base, "SELECT COALESCE(MAX(id), 0) FROM members", "")))
		goto out_sync;
	p->base = base;
	pthread_t th;
	if (pthread_create(&th, NULL, produce, p)) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "无法启动线程");
		goto out_sync;
	}
	char today[11];
	zb_today(g->app, today);
	int64_t now = zb_now(g->app), seq = 0, in_tx = 0, checked = 0;
	int cur = 0;
	double t0 = mono(), waited = 0;
	while (seq < g->nmembers) {
		batch *b = &p->b[cur];
		double w0 = mono();
		pthread_mutex_lock(&p->mu);
		while (!b->ready)
			pthread_cond_wait(&p->cv, &p->mu);
		pthread_mutex_unlock(&p->mu);
		waited += mono() - w0;
		if (b->err) {
			rc = zb_fail(e, (zb_code)b->err, NULL, "演示数据有误：%s", b->msg);
			break;
		}
		if (!in_tx && (rc = zb_db_begin_write(g->db, e)))
			break;
		for (int i = 0; i < b->n && !rc; i++, seq++) {
			mrow *row = &b->rows[i];
			/* the pinyin by characters must equal the member domain's */
			if (checked < 300) {
				zb_buf f = {0}, in = {0};
				zb_pinyin(row->m.name, &f, &in);
				if (strcmp(f.data ? f.data : "", row->py) || strcmp(in.data ? in.data : "", row->ini))
					rc = zb_fail(e, ZB_EINTERNAL, NULL, "拼音不一致：%s（%s / %s）", row->m.name, row->py,
					             f.data ? f.data : "");
				zb_buf_release(&f);
				zb_buf_release(&in);
				checked++;
			}
			g->mid[seq] = base + seq + 1;
			g->mfull[seq] = (unsigned char)(row->full && !strcmp(row->m.status, "normal"));
		}
		for (int i = 0; i < b->n && !rc; i += MEMBERS_PER_INSERT)
			rc = insert_rows(g, b->rows + i, g->mid + (seq - b->n) + i,
			                 b->n - i < MEMBERS_PER_INSERT ? b->n - i : MEMBERS_PER_INSERT, now, e);
		in_tx += b->n;
		pthread_mutex_lock(&p->mu);
		b->ready = 0;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		cur ^= 1;
		if (rc)
			break;
		if (in_tx >= 100000 || seq >= g->nmembers) {
			if ((rc = zb_db_commit(g->db, e)))
				break;
			in_tx = 0;
		}
		double dt = mono() - t0;
		progress(g, "党员 %lld / %lld（%.0f 条/秒）", (long long)seq, (long long)g->nmembers, dt > 0 ? (double)seq / dt : 0.0);
	}
	/* every member's "created" history row, in one statement */
	if (!rc && (rc = zb_db_begin_write(g->db, e)) == 0) {
		rc = zb_db_run(g->db, e, NULL,
		               "INSERT INTO member_history (member_id, kind, old_value, new_value, effective_on, reason, at, by_user) "
		               "SELECT id, 'created', NULL, CAST(org_id AS TEXT), ?, '演示数据', ?, NULL FROM members WHERE id > ? "
		               "ORDER BY id",
		               "sii", today, now, base);
		if (!rc && zb_db_backend(g->db) == ZB_DB_PG)
			rc = zb_db_run(g->db, e, NULL,
			               "SELECT setval(pg_get_serial_sequence('members', 'id'), (SELECT MAX(id) FROM members))", "");
		if (!rc)
			rc = zb_db_commit(g->db, e);
	}
	if (rc && zb_db_in_tx(g->db))
		zb_db_rollback(g->db);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(th, NULL);
	double t1 = mono();
	if (!rc && big)
		rc = restore_indexes(g, &saved, e);
	if (getenv("ZHIBU_DEMO_TIMING"))
		fprintf(stderr, "\nmembers: %.1f s inserting (%.1f s of it waiting for the producer), %.1f s indexes\n",
		        t1 - t0, waited, mono() - t1);
	g->res->members = seq;
out_sync:
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	zb_arena_free(&p->b[0].a);
	zb_arena_free(&p->b[1].a);
out:
	free(p->pt.sur);
	free(p->pt.gm);
	free(p->pt.gf);
	free(p->idkeys);
	free(p->idnext);
	free(p);
	return rc;
}

/* ---- committees, terms, units, alliances ---- */

static int post_add(gen *g, int64_t org, int64_t member, const char *person, const char *post, const char *started,
                    const char *ended, zb_err *e)
{
	int64_t now = zb_now(g->app);
	g->nposts++;
	return zb_db_run(g->db, e, NULL,
	                 "INSERT INTO committee_posts (org_id, member_id, person_name, post, started_on, ended_on, created_at, "
	                 "updated_at) VALUES (?,?,?,?,?,?,?,?)",
	                 "iIssssii", org, member, person, post, started, ended, now, now);
}

static int term_years(gen *g, const char *type, const char *domain, const char *path)
{
	const zb_rule_set *T = zb_rules_for(g->terms, path);
	int64_t y = 0;
	if (T && (zb_rule_sub_int(T, "domain_years", domain, &y) || zb_rule_sub_int(T, "years", type, &y)))
		return (int)y;
	return 3;
}

static int gen_extras(gen *g, zb_err *e)
{
	int rc = zb_rules_load(g->db, "terms", g->ref, &g->terms, e);
	if (rc)
		return rc;
	static const char *const order[] = {"secretary", "organization", "propaganda", "discipline", "deputy_secretary",
	                                    "youth", "united_front"};
	static const char *const big[] = {"secretary", "deputy_secretary", "organization", "propaganda", "discipline",
	                                  "united_front", "youth"};
	if ((rc = zb_db_begin_write(g->db, e)))
		return rc;
	int64_t now = zb_now(g->app);
	for (int c = 0; !rc && c < g->ncorgs; c++) {
		corg *o = &g->corgs[c];
		/* the term: most current, a few due, some overdue */
		int years = term_years(g, o->type, o->domain, o->from_slot >= 0 ? g->slots[o->from_slot].path : "/");
		double u = runif(&g->r);
		int back;
		if (o->special == SP_OVERDUE || u < 0.04)
			back = years * 365 + (int)rint_(&g->r, 20, 500);
		else if (u < 0.09)
			back = years * 365 - (int)rint_(&g->r, 2, 170);
		else
			back = (int)rint_(&g->r, 30, years * 365 - 200);
		char started[11], ends[11];
		date_back_days(g, back, started);
		zb_date_add_months(started, years * 12, ends);
		rc = zb_db_run(g->db, e, NULL,
		               "INSERT INTO org_terms (org_id, started_on, years, ends_on, elected_how, created_at) "
		               "VALUES (?,?,?,?, 'election', ?)",
		               "isisi", o->org_id, started, (int64_t)years, ends, now);
		g->nterms++;
		if (rc)
			break;
		/* the committee, from the members of from_slot */
		if (o->from_slot < 0)
			continue;
		const slot *s = &g->slots[o->from_slot];
		int64_t cand[8];
		int nc = 0, full = 0;
		for (int64_t i = s->first; i < s->first + s->size; i++)
			if (g->mfull[i]) {
				full++;
				if (nc < 8)
					cand[nc++] = g->mid[i];
			}
		int branch = !strcmp(o->type, "branch") || !strcmp(o->type, "joint_branch");
		int want;
		if (!branch)
			want = o->nposts;
		else if (o->special == SP_NOCOMMITTEE)
			want = 1;
		else if (full >= 7)
			want = (int)rint_(&g->r, 3, 5);
		else
			want = chance(&g->r, 0.3) ? 2 : 1;
		int start = o->special == SP_NOSECRETARY ? 1 : 0;
		if (o->special == SP_NOSECRETARY && nc) {
			/* the secretary left and nobody was elected yet */
			char left[11];
			date_back_days(g, (int)rint_(&g->r, 30, 90), left);
			rc = post_add(g, o->org_id, cand[0], NULL, "secretary", started, left, e);
			want = 3;
		}
		/* the posts in the order they are filled, chosen once want is
		 * final: a branch of two fills 书记 and 副书记 only */
		static const char *const pair[] = {"secretary", "deputy_secretary"};
		const char *const *posts = branch ? (want == 2 ? pair : order) : big;
		for (int k = start; !rc && k < want && k < 7; k++) {
			int64_t who = k < nc ? cand[k] : 0;
			char *person = who ? NULL : zb_arena_printf(&g->a, "上级选派干部%d", k + 1);
			rc = post_add(g, o->org_id, who, person, posts[k], started, NULL, e);
		}
		/* some branches keep the previous secretary's record */
		if (!rc && branch && nc > 1 && chance(&g->r, 0.2)) {
			char prev[11], prev_end[11];
			zb_date_add_months(started, -years * 12, prev);
			zb_date_add_days(started, -1, prev_end);
			rc = post_add(g, o->org_id, cand[nc - 1], NULL, "secretary", prev, prev_end, e);
		}
		if (!rc && g->o->progress && c % 2000 == 0)
			progress(g, "班子与任期 %d / %d", c, g->ncorgs);
	}
	for (int i = 0; !rc && i < g->nunits; i++) {
		const unit *u = &g->units[i];
		rc = zb_db_run(g->db, e, NULL,
		               "INSERT INTO units (name, kind, subkind, staff_count, party_members, full_members, coverage, "
		               "covering_org_id, org_id, org_path, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
		               "sssiiisIisii", u->name, u->kind, u->subkind, (int64_t)u->staff, (int64_t)u->party,
		               (int64_t)u->full, u->coverage, u->covering, u->org_id, u->org_path, now, now);
		g->res->units++;
	}
	for (int k = 0; !rc && k < g->nalliances; k++) {
		int64_t aid = 0;
		char founded[11];
		date_back_days(g, (int)rint_(&g->r, 100, 1500), founded);
		zb_stmt *st = zb_db_query(g->db, e, "SELECT path FROM orgs WHERE id = ?", "i", g->alliance_lead[k]);
		char lpath[600] = "";
		if (!st) {
			rc = e->code;
			break;
		}
		if (zb_stmt_step(st, e) == 1)
			snprintf(lpath, sizeof lpath, "%s", zb_col_text(st, 0));
		zb_stmt_done(st);
		rc = zb_db_int(g->db, e, &aid,
		               "INSERT INTO alliances (name, org_id, org_path, theme, founded_on, created_at, updated_at) "
		               "VALUES (?,?,?,?,?,?,?) RETURNING id",
		               "sisssii", g->alliance_names[k], g->alliance_lead[k], lpath, "资源共享、组织共建、活动共办、发展共促",
		               founded, now, now);
		if (!rc)
			rc = zb_db_run(g->db, e, NULL,
			               "INSERT INTO alliance_members (alliance_id, org_id, role, joined_on) VALUES (?,?, '牵头单位', ?)",
			               "iis", aid, g->alliance_lead[k], founded);
		for (int i = 0; !rc && i < g->nall[k]; i++)
			if (g->alliance_orgs[k][i] != g->alliance_lead[k])
				rc = zb_db_run(g->db, e, NULL,
				               "INSERT INTO alliance_members (alliance_id, org_id, role, joined_on) VALUES (?,?, '成员单位', ?) "
				               "ON CONFLICT (alliance_id, org_id) DO NOTHING",
				               "iis", aid, g->alliance_orgs[k][i], founded);
		g->res->alliances++;
	}
	if (rc) {
		zb_db_rollback(g->db);
		return rc;
	}
	g->res->posts = g->nposts;
	g->res->terms = g->nterms;
	return zb_db_commit(g->db, e);
}

int zb_demo_generate(zb_app *app, zb_db *db, const zb_demo_opts *o, zb_demo_result *res, zb_err *e)
{
	gen g;
	memset(&g, 0, sizeof g);
	memset(res, 0, sizeof *res);
	g.app = app;
	g.db = db;
	g.o = o;
	g.res = res;
	zb_arena_init(&g.a);
	rng_seed(&g.r, o->seed);
	char today[11];
	zb_today(app, today);
	snprintf(g.ref, sizeof g.ref, "%.8s01", today);
	g.ref_int = atoi(g.ref) * 10000 + atoi(g.ref + 5) * 100 + 1;
	int rc;
	int sqlite = zb_db_backend(db) == ZB_DB_SQLITE;
	/* a generator that can simply be run again: trade durability for
	 * speed while it runs (no fsync, rollback journal in memory instead
	 * of writing every page twice through the WAL) */
	if (sqlite && (rc = zb_db_exec(db, "PRAGMA synchronous=OFF; PRAGMA cache_size=-2000000; PRAGMA journal_mode=MEMORY; PRAGMA threads=2", e)))
		return rc;

	double t = mono();
	zb_org root;
	if ((rc = zb_org_get(db, 1, &g.a, &root, e)))
		goto out;
	res->root_id = root.id;
	if ((rc = zb_db_begin_write(db, e)))
		goto out;
	if (!o->province) {
		res->county_id = root.id;
		rc = gen_county(&g, root.id, root.path, root.depth, 101, "示范县", o->members, e);
	} else {
		/* cities with counties of about 40 thousand members each */
		int64_t per = 40000;
		int ncounty = (int)(o->members / per);
		if (ncounty < 1)
			ncounty = 1;
		int ncity = ncounty / 9 + (ncounty % 9 ? 1 : 0);
		int na = count_of(zb_demo_place_a), c = 0;
		for (int ci = 0; !rc && ci < ncity; ci++) {
			const char *cn = zb_demo_place_a[(ci * 7 + 3) % na];
			int64_t cid;
			char *cpath;
			rc = org_add(&g, root.id, root.path, root.depth + 1, zb_arena_printf(&g.a, "中共%s市委员会", cn), "committee", "organ",
			             zb_arena_printf(&g.a, "S%02d", ci + 1), &cid, &cpath, e);
			if (!rc)
				add_corg(&g, cid, "committee", "organ", -1, 7, -1);
			for (int k = 0; !rc && k < 9 && c < ncounty; k++, c++) {
				char *kn = zb_arena_printf(&g.a, "%s%s县", cn, zb_demo_place_a[(ci * 13 + k * 5 + 1) % na]);
				int64_t kid;
				char *kpath;
				rc = org_add(&g, cid, cpath, root.depth + 2, zb_arena_printf(&g.a, "中共%s委员会", kn), "committee", "organ",
				             zb_arena_printf(&g.a, "C%04d", c + 1), &kid, &kpath, e);
				if (!rc && !res->county_id)
					res->county_id = kid;
				int64_t share = o->members / ncounty + (c < o->members % ncounty ? 1 : 0);
				if (!rc)
					rc = gen_county(&g, kid, kpath, root.depth + 2, c + 1, kn, share, e);
				progress(&g, "组织 %lld（县 %d / %d）", (long long)res->orgs, c + 1, ncounty);
				/* keep transactions bounded */
				if (!rc && (rc = zb_db_commit(db, e)) == 0)
					rc = zb_db_begin_write(db, e);
			}
		}
	}
	if (rc) {
		zb_db_rollback(db);
		goto out;
	}
	if ((rc = zb_db_commit(db, e)))
		goto out;
	allocate(&g, o->members);
	res->secs_tree = mono() - t;

	t = mono();
	if ((rc = gen_members(&g, e)))
		goto out;
	if (g.nslots)
		for (int i = 0; i < g.nslots; i++)
			if (g.slots[i].org_id == res->branch_id && g.slots[i].size)
				res->member_id = g.mid[g.slots[i].first + g.slots[i].size - 1];
	res->secs_members = mono() - t;

	t = mono();
	progress(&g, "班子、任期、单位、联合体 …");
	if ((rc = gen_extras(&g, e)))
		goto out;
	res->secs_extras = mono() - t;

	t = mono();
	progress(&g, "汇总统计 …");
	rc = zb_org_rollups_rebuild(db, e);
	res->secs_counts = mono() - t;
	progress(&g, "%s", "");
	if (o->progress)
		fputs("\r\033[K", stderr);
out:
	if (sqlite) {
		zb_err ignore = {0};
		zb_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA threads=0", &ignore);
	}
	zb_rules_free(g.terms);
	free(g.slots);
	free(g.corgs);
	free(g.units);
	free(g.mid);
	free(g.mfull);
	zb_arena_free(&g.a);
	return rc;
}
