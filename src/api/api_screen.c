/* api_screen.c - the county 大屏 over HTTP: GET /orgs/{id}/screen, one
 * request for everything the wall screen shows (docs/SCREEN.md).  The
 * figures come from screen/screen.c; the finished answer is kept by the
 * version of what it reads (zb_screen_version, core/jcache.h), so a
 * screen refreshing every minute is answered from memory until something
 * it shows changes.  Sections the caller may not read are null, as in the
 * home roll-up (api_compliance.c). */
#include "api/api.h"
#include "core/jcache.h"
#include "core/date.h"
#include "meeting/compliance.h"
#include "meeting/mdate.h"
#include "org/structure.h"
#include "recruit/recruit.h"
#include "screen/screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* the non-compliant branches named on the screen, worst first */
#define SCREEN_WORST 10

static double share(int64_t a, int64_t b)
{
	return b ? (double)a / (double)b : 1.0;
}

/* unix seconds as China time, "2026-12-08T09:30:00+08:00" */
static void china_time(int64_t t, char out[32])
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

static void kmoney(zb_jw *w, const char *key, int64_t fen)
{
	char t[24];
	zb_money_text(fen, t);
	jw_kstr(w, key, t);
}

static void write_dues_sum(zb_jw *w, const zb_dues_sum *s)
{
	char rate[16];
	zb_dues_rate_text(s->paid_fen, s->due_fen, rate);
	jw_kint(w, "members", s->members);
	jw_kint(w, "owing", s->owing);
	kmoney(w, "due", s->due_fen);
	kmoney(w, "paid", s->paid_fen);
	kmoney(w, "owed", s->owed_fen);
	jw_kstr(w, "rate", rate);
}

static void write_states(zb_jw *w, const zb_csum *s)
{
	jw_kint(w, "branches", s->branches);
	jw_kint(w, "branches_done", s->done);
	jw_kint(w, "branches_open", s->open);
	jw_kint(w, "branches_missing", s->missing);
	jw_kint(w, "branches_ok", s->branches - s->missing);
	jw_kdouble(w, "rate", share(s->branches - s->missing, s->branches));
}

static void write_disclose(zb_jw *w, const zb_screen_disclose *d)
{
	jw_kint(w, "villages", d->villages);
	jw_kint(w, "villages_overdue", d->villages_overdue);
	jw_kint(w, "due", d->due);
	jw_kint(w, "on_time", d->on_time);
	jw_kint(w, "late", d->late);
	jw_kint(w, "overdue", d->overdue);
	jw_kdouble(w, "rate", share(d->on_time, d->due));
}

static void write_tasks(zb_jw *w, const zb_screen_tasks *t)
{
	jw_obj(w);
	jw_kint(w, "assigned", t->assigned);
	jw_kint(w, "done", t->done);
	jw_kint(w, "overdue", t->overdue);
	jw_kdouble(w, "rate", share(t->done, t->assigned));
	jw_obj_end(w);
}

/* the published ratings of a subtree, or null when none */
static void write_ratings(zb_jw *w, const zb_rating_sum *r)
{
	if (!r->year || !r->branches) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kint(w, "year", r->year);
	jw_kint(w, "branches", r->branches);
	jw_karr(w, "stars");
	for (int k = 5; k >= 1; k--)
		jw_int(w, r->stars[k]);
	jw_arr_end(w);
	jw_kint(w, "advanced", r->tiers[0]);
	jw_kint(w, "middle", r->tiers[1]);
	jw_kint(w, "lagging", r->tiers[2]);
	jw_kint(w, "up", r->up);
	jw_kint(w, "down", r->down);
	jw_kint(w, "same", r->same);
	jw_kint(w, "new", r->fresh);
	jw_obj_end(w);
}

static void write_compliance(zb_jw *w, const zb_screen *s)
{
	const zb_creport *rep = &s->compliance;
	jw_obj(w);
	jw_kstr(w, "period", s->period.label);
	jw_kstr(w, "from", s->period.from);
	jw_kstr(w, "to", s->period.to);
	write_states(w, &rep->sum);
	jw_karr(w, "types");
	for (int t = 0; t < ZB_MT_COUNT; t++) {
		if (!rep->sum.t[t].branches)
			continue;
		jw_obj(w);
		jw_kstr(w, "type", zb_mtype_code(t));
		jw_kstr(w, "type_name", zb_mtype_name(t));
		jw_kint(w, "branches", rep->sum.t[t].branches);
		jw_kint(w, "branches_missing", rep->sum.t[t].missing);
		jw_kdouble(w, "rate", share(rep->sum.t[t].branches - rep->sum.t[t].missing, rep->sum.t[t].branches));
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kint(w, "noncompliant_total", rep->nworst);
	jw_karr(w, "noncompliant");
	for (int i = 0; i < rep->nworst && i < SCREEN_WORST; i++) {
		const zb_cbranch *b = &rep->c.branches[rep->worst[i]];
		jw_obj(w);
		jw_kint(w, "org_id", b->org_id);
		jw_kstr(w, "org_name", b->name);
		jw_kint(w, "missing", b->missing);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static void write_recruitment(zb_jw *w, const zb_rfunnel *f)
{
	jw_obj(w);
	jw_kint(w, "year", f->year);
	jw_karr(w, "funnel");
	for (int k = 0; k < ZB_RF_KINDS; k++) {
		jw_obj(w);
		jw_kstr(w, "key", zb_rf_kind_code(k));
		jw_kstr(w, "name", zb_rf_kind_name(k));
		jw_kint(w, "step", zb_rf_kind_step(k));
		jw_kint(w, "count", f->k[k].count);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kobj(w, "pipeline");
	for (int s = 0; s < ZB_RS_COUNT; s++)
		jw_kint(w, zb_rstage_code(s), f->pipeline[s]);
	jw_obj_end(w);
	jw_kint(w, "open_total", f->open_total);
	jw_obj_end(w);
}

static void write_dues(zb_jw *w, const zb_screen *s)
{
	const zb_dues_span *d = &s->dues;
	char ym[8];
	jw_obj(w);
	zb_ym_text(d->to, ym);
	jw_kstr(w, "month", ym);
	zb_ym_text(d->from, ym);
	jw_kstr(w, "from", ym);
	jw_kobj(w, "this_month");
	write_dues_sum(w, &d->months[d->nmonths - 1]);
	jw_obj_end(w);
	jw_kobj(w, "year_to_date");
	write_dues_sum(w, &s->dues_year);
	jw_obj_end(w);
	jw_karr(w, "months");
	for (int k = 0; k < d->nmonths; k++) {
		char rate[16];
		const zb_dues_sum *m = &d->months[k];
		zb_ym_text(zb_md_ym_add(d->from, k), ym);
		zb_dues_rate_text(m->paid_fen, m->due_fen, rate);
		jw_obj(w);
		jw_kstr(w, "month", ym);
		kmoney(w, "due", m->due_fen);
		kmoney(w, "paid", m->paid_fen);
		jw_kstr(w, "rate", rate);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

static void write_child(zb_jw *w, const zb_screen *s, const zb_screen_child *c)
{
	jw_obj(w);
	jw_kint(w, "org_id", c->org_id);
	jw_kstr(w, "org_name", c->name);
	jw_kstr(w, "type", c->type);
	jw_kint(w, "members", c->members);
	jw_kint(w, "full", c->full);
	jw_kint(w, "orgs", c->orgs);
	jw_kint(w, "branches", c->branches);
	jw_key(w, "compliance");
	if (!c->compliance) {
		jw_null(w);
	} else {
		jw_obj(w);
		write_states(w, c->compliance);
		jw_obj_end(w);
	}
	jw_kobj(w, "recruitment");
	for (int k = 0; k < ZB_RF_KINDS; k++)
		jw_kint(w, zb_rf_kind_code(k), c->recruit[k]);
	jw_obj_end(w);
	jw_key(w, "dues");
	if (!c->dues_month) {
		jw_null(w);
	} else {
		jw_obj(w);
		jw_kobj(w, "this_month");
		write_dues_sum(w, c->dues_month);
		jw_obj_end(w);
		jw_kobj(w, "year_to_date");
		write_dues_sum(w, &c->dues_year);
		jw_obj_end(w);
		jw_obj_end(w);
	}
	jw_key(w, "disclosure");
	if (!(s->sections & ZB_SCREEN_DISCLOSE)) {
		jw_null(w);
	} else {
		jw_obj(w);
		write_disclose(w, &c->disclose);
		jw_obj_end(w);
	}
	jw_key(w, "tasks");
	if (s->sections & ZB_SCREEN_TASKS)
		write_tasks(w, &c->tasks);
	else
		jw_null(w);
	jw_key(w, "ratings");
	write_ratings(w, &c->ratings);
	jw_obj_end(w);
}

/* The answer without checked_at: what is kept by version. */
static int screen_json(zb_req *r, zb_jw *w, unsigned sections, const char *today, zb_err *e)
{
	zb_screen s;
	int rc = zb_screen_load(r->db, r->target_id, r->target_path, today, sections, &r->arena, &s, e);
	if (rc)
		return rc;
	char made[32], ym[8];
	china_time(zb_now(r->app), made);
	zb_ym_text(s.ym, ym);
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kstr(w, "org_name", s.org_name);
	jw_kstr(w, "as_of", today);
	jw_kstr(w, "made_at", made);
	jw_kint(w, "year", s.year);
	jw_kstr(w, "month", ym);
	jw_kstr(w, "period", s.period.label);
	jw_key(w, "stats");
	if ((rc = zb_org_stats_cached(r->db, r->target_id, today, w, e)))
		return rc;
	jw_key(w, "compliance");
	if (sections & ZB_SCREEN_COMPLIANCE)
		write_compliance(w, &s);
	else
		jw_null(w);
	jw_key(w, "recruitment");
	write_recruitment(w, &s.funnel);
	jw_key(w, "dues");
	if (sections & ZB_SCREEN_DUES)
		write_dues(w, &s);
	else
		jw_null(w);
	jw_key(w, "disclosure");
	if (sections & ZB_SCREEN_DISCLOSE) {
		jw_obj(w);
		jw_kint(w, "year", s.year);
		write_disclose(w, &s.disclose);
		jw_obj_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "tasks");
	if (sections & ZB_SCREEN_TASKS)
		write_tasks(w, &s.tasks);
	else
		jw_null(w);
	jw_key(w, "ratings");
	write_ratings(w, &s.ratings);
	jw_karr(w, "children");
	for (int i = 0; i < s.nchildren; i++)
		write_child(w, &s, &s.children[i]);
	jw_arr_end(w);
	jw_obj_end(w);
	return 0;
}

static int h_screen(zb_req *r, zb_err *e)
{
	const char *path = r->target_path;
	unsigned sections = (zb_authz_allows(r->who, P_MEETING_READ, path) ? ZB_SCREEN_COMPLIANCE : 0) |
	                    (zb_authz_allows(r->who, P_MEMBER_READ, path) ? ZB_SCREEN_DUES : 0) |
	                    (zb_authz_allows(r->who, P_ORG_READ, path) ? ZB_SCREEN_DISCLOSE | ZB_SCREEN_TASKS | ZB_SCREEN_RATINGS : 0);
	char today[11], version[128], now[32];
	zb_today(r->app, today);
	china_time(zb_now(r->app), now);
	int rc = zb_screen_version(r->db, version, e);
	if (rc)
		return rc;
	const char *key = zb_arena_printf(&r->arena, "screen/%lld/%s/%u", (long long)r->target_id, today, sections);
	zb_buf b;
	zb_buf_init(&b, 16u << 20);
	zb_jw tmp;
	jw_init(&tmp, &b);
	if (!*version || !zb_jcache_get(key, version, &tmp)) {
		rc = screen_json(r, &tmp, sections, today, e);
		if (!rc && jw_finish(&tmp))
			rc = zb_fail(e, ZB_EINTERNAL, NULL, "结果过大");
		if (!rc && *version)
			zb_jcache_put(key, version, b.data);
	} else if (jw_finish(&tmp)) {
		rc = zb_fail(e, ZB_EINTERNAL, NULL, "结果过大");
	}
	/* checked_at: now, outside what is kept ("{" + the rest) */
	if (!rc)
		jw_raw(&r->jw, zb_arena_printf(&r->arena, "{\"checked_at\":\"%s\",%s", now, b.data + 1));
	zb_buf_release(&b);
	return rc;
}

/* ---- response shapes ---- */

static const zb_prop dsum_props[] = {
	{"members", 'i', 0, NULL, "应交党费的党员数（最近一月）"},
	{"owing", 'i', 0, NULL, "其中当月应交金额不为零的人数（最近一月）"},
	{"due", 's', 0, NULL, "应交（元）"},
	{"paid", 's', 0, NULL, "实交（元）"},
	{"owed", 's', 0, NULL, "欠交（元）"},
	{"rate", 's', 0, NULL, "收缴率（百分数，两位小数）"},
	{0},
};
static const zb_shape dsum_shape = {"ScreenDuesSum", dsum_props, 0, 0, "党费应交与实交"};

static const zb_prop dmonth_props[] = {
	{"month", 's', 0, NULL, "月份 2026-07"},
	{"due", 's', 0, NULL, "应交（元）"},
	{"paid", 's', 0, NULL, "实交（元）"},
	{"rate", 's', 0, NULL, "收缴率（百分数）"},
	{0},
};
static const zb_shape dmonth_shape = {NULL, dmonth_props, 0, 0, NULL};

static const zb_prop dues_props[] = {
	{"month", 's', 0, NULL, "本月"},
	{"from", 's', 0, NULL, "年初月份"},
	{"this_month", 'o', 0, &dsum_shape, "本月（与 GET /orgs/{id}/dues?month= 的 total 相同）"},
	{"year_to_date", 'o', 0, &dsum_shape, "年初至本月（各月之和）"},
	{"months", 'a', 0, &dmonth_shape, "各月"},
	{0},
};
static const zb_shape dues_shape = {"ScreenDues", dues_props, 0, 0, "党费收缴"};

static const zb_prop ctype_props[] = {
	{"type", 's', 0, NULL, "会议类型代码"},
	{"type_name", 's', 0, NULL, "会议类型"},
	{"branches", 'i', 0, NULL, "适用的支部数"},
	{"branches_missing", 'i', 0, NULL, "有逾期未落实的支部数"},
	{"rate", 'n', 0, NULL, "无逾期的支部占比（0–1）"},
	{0},
};
static const zb_shape ctype_shape = {NULL, ctype_props, 0, 0, NULL};

static const zb_prop cworst_props[] = {
	{"org_id", 'i', 0, NULL, "支部"},
	{"org_name", 's', 0, NULL, "名称"},
	{"missing", 'i', 0, NULL, "逾期未开展次数"},
	{0},
};
static const zb_shape cworst_shape = {NULL, cworst_props, 0, 0, NULL};

#define SCREEN_STATES                                                                            \
	{"branches", 'i', 0, NULL, "支部数"}, {"branches_done", 'i', 0, NULL, "已落实的支部数"},       \
		{"branches_open", 'i', 0, NULL, "进行中的支部数"},                                     \
		{"branches_missing", 'i', 0, NULL, "有逾期未落实的支部数"},                            \
		{"branches_ok", 'i', 0, NULL, "无逾期的支部数"}, {"rate", 'n', 0, NULL, "无逾期的支部占比（0–1）"}

static const zb_prop comp_props[] = {
	{"period", 's', 0, NULL, "本季度 2026Q3"},
	{"from", 'd', 0, NULL, "季度首日"},
	{"to", 'd', 0, NULL, "季度末日"},
	SCREEN_STATES,
	{"types", 'a', 0, &ctype_shape, "各类会议"},
	{"noncompliant_total", 'i', 0, NULL, "有逾期未落实的支部数"},
	{"noncompliant", 'a', 0, &cworst_shape, "其中问题最多的（至多 10 个）"},
	{0},
};
static const zb_shape comp_shape = {"ScreenCompliance", comp_props, 0, 0, "本季度三会一课落实"};

static const zb_prop cstates_props[] = {SCREEN_STATES, {0}};
static const zb_shape cstates_shape = {NULL, cstates_props, 0, 0, NULL};

static const zb_prop rstage_props[] = {
	{"key", 's', 0, NULL, "applications、activists、candidates、probationary 或 full"},
	{"name", 's', 0, NULL, "名称"},
	{"step", 'i', 0, NULL, "所计步骤"},
	{"count", 'i', 0, NULL, "本年人数"},
	{0},
};
static const zb_shape rstage_shape = {NULL, rstage_props, 0, 0, NULL};
static const zb_prop counts_props[] = {{0}};
static const zb_shape counts_shape = {NULL, counts_props, 0, 'i', "各阶段人数"};

static const zb_prop recruit_props[] = {
	{"year", 'i', 0, NULL, "年份"},
	{"funnel", 'a', 0, &rstage_shape, "申请 → 积极分子 → 发展对象 → 预备党员 → 转正"},
	{"pipeline", 'o', 0, &counts_shape, "在培养中的人数，按阶段"},
	{"open_total", 'i', 0, NULL, "在培养中的人数"},
	{0},
};
static const zb_shape recruit_shape = {"ScreenRecruitment", recruit_props, 0, 0, "本年发展党员"};

#define DISCLOSE_PROPS                                                                               \
	{"villages", 'i', 0, NULL, "已有到期期间的村数"},                                               \
		{"villages_overdue", 'i', 0, NULL, "有逾期未公开期间的村数"},                               \
		{"due", 'i', 0, NULL, "已到截止日的期间数（各村各类之和）"},                                \
		{"on_time", 'i', 0, NULL, "截止日前（含当日）公开的"}, {"late", 'i', 0, NULL, "截止日后才公开的"}, \
		{"overdue", 'i', 0, NULL, "逾期未公开的"}, {"rate", 'n', 0, NULL, "按时公开的占比（0–1）"}

static const zb_prop disclose_props[] = {
	{"year", 'i', 0, NULL, "年份"},
	DISCLOSE_PROPS,
	{0},
};
static const zb_shape disclose_shape = {"ScreenDisclosure", disclose_props, 0, 0, "本年三务公开"};
static const zb_prop cdisclose_props[] = {DISCLOSE_PROPS, {0}};
static const zb_shape cdisclose_shape = {NULL, cdisclose_props, 0, 0, NULL};

static const zb_prop tasks_props[] = {
	{"assigned", 'i', 0, NULL, "下发到本组织及其下级的任务数（本年及以后到期，转发的只计其下级）"},
	{"done", 'i', 0, NULL, "其中已完成的"},
	{"overdue", 'i', 0, NULL, "逾期未完成的（截止日当天不算逾期）"},
	{"rate", 'n', 0, NULL, "完成的占比（0–1）"},
	{0},
};
static const zb_shape tasks_shape = {"ScreenTasks", tasks_props, 0, 0, "工作任务"};

static const zb_prop ratings_props[] = {
	{"year", 'i', 0, NULL, "最近已发布评星的年度"},
	{"branches", 'i', 0, NULL, "评定的党支部数"},
	{"stars", 'a', 0, &zb_shape_integer, "五星到一星的支部数"},
	{"advanced", 'i', 0, NULL, "先进"},
	{"middle", 'i', 0, NULL, "中间"},
	{"lagging", 'i', 0, NULL, "后进"},
	{"up", 'i', 0, NULL, "比上年晋级的"},
	{"down", 'i', 0, NULL, "比上年降级的"},
	{"same", 'i', 0, NULL, "与上年持平的"},
	{"new", 'i', 0, NULL, "首次评定的"},
	{0},
};
static const zb_shape ratings_shape = {"ScreenRatings", ratings_props, 0, 0, "评星晋级（最近已发布的年度）"};

static const zb_prop cdues_props[] = {
	{"this_month", 'o', 0, &dsum_shape, "本月"},
	{"year_to_date", 'o', 0, &dsum_shape, "年初至本月"},
	{0},
};
static const zb_shape cdues_shape = {NULL, cdues_props, 0, 0, NULL};

static const zb_prop child_props[] = {
	{"org_id", 'i', 0, NULL, "直属下级组织"},
	{"org_name", 's', 0, NULL, "全称"},
	{"type", 's', 0, NULL, "类型代码"},
	{"members", 'i', 0, NULL, "在册党员数"},
	{"full", 'i', 0, NULL, "其中正式党员"},
	{"orgs", 'i', 0, NULL, "组织数（含本身）"},
	{"branches", 'i', 0, NULL, "党支部数（含联合党支部）"},
	{"compliance", 'o', ZB_NULL, &cstates_shape, "本季度三会一课；其下无支部或无 meeting.read 时为 null"},
	{"recruitment", 'o', 0, &counts_shape, "本年发展党员各环节人数"},
	{"dues", 'o', ZB_NULL, &cdues_shape, "党费；无 member.read 时为 null"},
	{"disclosure", 'o', ZB_NULL, &cdisclose_shape, "三务公开；无 org.read 时为 null"},
	{"tasks", 'o', ZB_NULL, &tasks_shape, "工作任务；无 org.read 时为 null"},
	{"ratings", 'o', ZB_NULL, &ratings_shape, "其下支部的评星及比上年的变化；未发布或无 org.read 时为 null"},
	{0},
};
static const zb_shape child_shape = {"ScreenChild", child_props, 0, 0, "一个直属下级组织的一行"};

static const zb_prop screen_props[] = {
	{"checked_at", 's', 0, NULL, "本次核对数据的时间（北京时间）"},
	{"made_at", 's', 0, NULL, "这些数字算出的时间；此后所依据的数据未变"},
	{"org_id", 'i', 0, NULL, "所查组织"},
	{"org_name", 's', 0, NULL, "名称"},
	{"as_of", 'd', 0, NULL, "统计日期"},
	{"year", 'i', 0, NULL, "本年"},
	{"month", 's', 0, NULL, "本月"},
	{"period", 's', 0, NULL, "本季度"},
	{"stats", 'o', 0, &zb_org_stats_shape, "与 GET /orgs/{id}/stats 的回答相同"},
	{"compliance", 'o', ZB_NULL, &comp_shape, "本季度三会一课；无 meeting.read 时为 null"},
	{"recruitment", 'o', 0, &recruit_shape, "本年发展党员（与 GET /orgs/{id}/recruitment 相同的计数）"},
	{"dues", 'o', ZB_NULL, &dues_shape, "党费收缴；无 member.read 时为 null"},
	{"disclosure", 'o', ZB_NULL, &disclose_shape, "三务公开；无 org.read 时为 null"},
	{"tasks", 'o', ZB_NULL, &tasks_shape, "工作任务；无 org.read 时为 null"},
	{"ratings", 'o', ZB_NULL, &ratings_shape, "评星晋级：最近已发布年度的星级、先进中间后进、晋级降级；未发布或无 org.read 时为 null"},
	{"children", 'a', 0, &child_shape, "各直属下级组织（未撤销的）"},
	{0},
};
static const zb_shape screen_shape = {"Screen", screen_props, 0, 0, "大屏：一次请求的全部数字"};

const zb_route zb_routes_screen[] = {
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/screen", .fn = h_screen, .perm = P_STATS_READ, .scope = S_ORG,
	 .resp = ZB_OK(&screen_shape), .tag = "orgs",
	 .summary = "大屏：党员和组织、本季度三会一课、发展党员、党费收缴、三务公开、工作任务、评星晋级及各下级组织（读汇总，按数据版本缓存）"},
	{0},
};
