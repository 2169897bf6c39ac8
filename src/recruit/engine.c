/* engine.c - the 25 steps of the 发展细则, their order and time rules (see
 * recruit.h; the sources and edges of every rule: docs/RULES.md "发展党员"). */
#include "recruit/recruit.h"
#include "core/date.h"
#include "meeting/mrules.h"

#include <stdio.h>
#include <string.h>

/* ---- names ---- */

static const char *const stage_codes[ZB_RS_COUNT] = {"applicant", "activist", "candidate", "probationary", "full"};
static const char *const stage_names[ZB_RS_COUNT] = {"申请人", "入党积极分子", "发展对象", "预备党员", "正式党员"};

const char *zb_rstage_code(int stage)
{
	return stage >= 0 && stage < ZB_RS_COUNT ? stage_codes[stage] : NULL;
}

const char *zb_rstage_name(int stage)
{
	return stage >= 0 && stage < ZB_RS_COUNT ? stage_names[stage] : NULL;
}

int zb_rstage_from(const char *code)
{
	for (int i = 0; code && i < ZB_RS_COUNT; i++)
		if (!strcmp(code, stage_codes[i]) || !strcmp(code, stage_names[i]))
			return i;
	return -1;
}

static const char *const step_names[ZB_RSTEPS + 1] = {
	NULL,
	"递交入党申请书",
	"党组织派人谈话",
	"推荐和确定入党积极分子",
	"报上级党委备案",
	"指定培养联系人",
	"培养教育考察",
	"确定发展对象",
	"报上级党委备案",
	"确定入党介绍人",
	"进行政治审查",
	"开展集中培训",
	"支部委员会审查",
	"上级党委预审",
	"填写入党志愿书",
	"支部大会讨论",
	"上级党委派人谈话",
	"上级党委审批",
	"再上级党委组织部门备案",
	"编入党支部和党小组",
	"入党宣誓",
	"继续教育考察",
	"提出转正申请",
	"支部大会讨论转正",
	"上级党委审批转正",
	"材料归档",
};

/* What each step needs, for the timeline (national figures). */
static const char *const step_needs[ZB_RSTEPS + 1] = {
	NULL,
	"本人递交入党申请书，年满十八岁",
	"党组织在收到申请书一个月内派人谈话：谈话人",
	"党员推荐或共青团推优，支部委员会研究决定",
	"报上级党委备案",
	"一至二名正式党员作培养联系人",
	"每半年一次的考察意见",
	"一年以上的培养考察、每半年一次的考察记录，支部委员会讨论同意",
	"报上级党委备案",
	"两名正式党员作入党介绍人",
	"政治审查结论",
	"集中培训不少于 3 天或 24 学时，结业证书编号",
	"支部委员会审查结论",
	"公示 5 个工作日期满后，上级党委预审结论",
	"入党志愿书编号",
	"支部党员大会及其接收预备党员的决议",
	"上级党委派人谈话：谈话人",
	"上级党委在支部大会后三个月内审批（特殊情况最长六个月，须写明原因）",
	"报再上级党委组织部门备案",
	"编入党支部和党小组",
	"入党宣誓",
	"每半年一次的考察意见",
	"本人提出转正申请",
	"预备期满后支部党员大会讨论转正及其决议",
	"上级党委在支部大会后三个月内审批转正",
	"入党材料归档",
};

const char *zb_rstep_name(int step)
{
	return step >= 1 && step <= ZB_RSTEPS ? step_names[step] : NULL;
}

int zb_rstep_by_superior(int step)
{
	return step == 4 || step == 8 || step == 13 || step == 16 || step == 17 || step == 18 || step == 24;
}

int zb_rstep_repeats(int step)
{
	return step == 6 || step == 21;
}

static const char *const outcome_codes[] = {"", "full", "extend", "cancel"};
static const char *const outcome_names[] = {"", "按期转为正式党员", "延长预备期", "取消预备党员资格"};

const char *zb_routcome_code(int o)
{
	return o > ZB_RO_NONE && o <= ZB_RO_CANCEL ? outcome_codes[o] : NULL;
}

int zb_routcome_from(const char *s)
{
	for (int i = ZB_RO_FULL; s && i <= ZB_RO_CANCEL; i++)
		if (!strcmp(s, outcome_codes[i]) || !strcmp(s, outcome_names[i]))
			return i;
	return -1;
}

static const char *const alert_codes[ZB_RA_KINDS] = {"talk_due", "assess_due", "approval_due", "probation_ending",
                                                     "probation_over"};

const char *zb_ralert_code(int kind)
{
	return kind >= 0 && kind < ZB_RA_KINDS ? alert_codes[kind] : NULL;
}

void zb_recruit_rules_default(zb_recruit_rules *r)
{
	memset(r, 0, sizeof *r);
	r->min_age = 18;
	r->talk_within_months = 1;
	r->activist_min_months = 12;
	r->assess_every_months = 6;
	r->contacts_min = 1;
	r->contacts_max = 2;
	r->introducers = 2;
	r->training_min_days = 3;
	r->training_min_hours = 24;
	r->publicity_workdays = 5;
	r->approve_months = 3;
	r->approve_max_months = 6;
	r->league_max_age = 28;
	r->source = "中国共产党发展党员工作细则（2014）";
}

/* ---- the history ---- */

/* What the steps done so far amount to. */
typedef struct hist {
	const zb_rstep_rec *last;           /* the last row, NULL with none */
	const zb_rstep_rec *at[ZB_RSTEPS + 1]; /* the latest row of each step */
	int extended;                       /* a step 24 approved an extension */
	int ext_months;
	const char *ext_on;                 /* the step 24 that approved it */
	int outcome24;                      /* the latest step 24's outcome */
	const char *stopped;                /* why no step may follow, or NULL */
} hist;

static int outcome_of24(const hist *h, const zb_rstep_rec *s24)
{
	if (s24->outcome)
		return s24->outcome;
	return h->at[23] ? h->at[23]->outcome : ZB_RO_NONE;
}

static int ext_months_of24(const hist *h, const zb_rstep_rec *s24)
{
	if (s24->extend_months)
		return s24->extend_months;
	return h->at[23] ? h->at[23]->extend_months : 0;
}

static void history(const zb_rcase *c, hist *h)
{
	memset(h, 0, sizeof *h);
	for (int i = 0; i < c->ndone; i++) {
		const zb_rstep_rec *s = &c->done[i];
		if (s->step < 1 || s->step > ZB_RSTEPS)
			continue;
		h->last = s;
		if (s->step == 24) {
			h->outcome24 = outcome_of24(h, s);
			if (h->outcome24 == ZB_RO_EXTEND && !h->extended) {
				h->extended = 1;
				h->ext_months = ext_months_of24(h, s);
				h->ext_on = s->done_on;
			}
		}
		h->at[s->step] = s;
	}
	const zb_rstep_rec *l = h->last;
	if (!l)
		return;
	if ((l->step == 10 || l->step == 12 || l->step == 13) && l->conclusion && !strcmp(l->conclusion, "fail"))
		h->stopped = l->step == 10 ? "政治审查结论为不合格" : l->step == 12 ? "支部委员会审查未通过" : "上级党委预审未通过";
	else if (l->step == 24 && h->outcome24 == ZB_RO_CANCEL)
		h->stopped = "上级党委已批准取消预备党员资格";
	else if (l->step == 25)
		h->stopped = "入党材料已归档，发展程序已完成";
}

/* The steps that may come next; returns how many (0: none). */
static int allowed_next(const hist *h, int out[2])
{
	const zb_rstep_rec *l = h->last;
	if (!l)
		return out[0] = 1, 1;
	if (h->stopped)
		return 0;
	switch (l->step) {
	case 6:
		return out[0] = 6, out[1] = 7, 2;
	case 21:
		return out[0] = 21, out[1] = 22, 2;
	case 24:
		if (h->outcome24 == ZB_RO_EXTEND)
			return out[0] = 21, 1;
		return out[0] = 25, 1;
	default:
		return out[0] = l->step + 1, 1;
	}
}

void zb_recruit_probation_end(const zb_rcase *c, char out[11])
{
	hist h;
	history(c, &h);
	out[0] = 0;
	if (!h.at[15])
		return;
	int months = c->probation_months > 0 ? c->probation_months : 12;
	zb_date_add_months(h.at[15]->done_on, months + (h.extended ? h.ext_months : 0), out);
}

int zb_recruit_stage(const zb_rcase *c)
{
	hist h;
	history(c, &h);
	if (!h.last)
		return ZB_RS_APPLICANT;
	int s = h.last->step;
	if (s <= 2)
		return ZB_RS_APPLICANT;
	if (s <= 6)
		return ZB_RS_ACTIVIST;
	if (s <= 16)
		return ZB_RS_CANDIDATE;
	if (s <= 23)
		return ZB_RS_PROBATIONARY;
	if (s == 24)
		return h.outcome24 == ZB_RO_FULL ? ZB_RS_FULL : ZB_RS_PROBATIONARY;
	return ZB_RS_FULL;
}

/* ---- the check ---- */

static int blank(const char *s)
{
	return !s || !*s;
}

/* "一个月", "三个月", "12 个月" */
static const char *months_text(int m, char buf[16])
{
	static const char *const cn[] = {"零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"};
	if (m >= 0 && m <= 12)
		snprintf(buf, 16, "%s个月", cn[m]);
	else
		snprintf(buf, 16, "%d 个月", m);
	return buf;
}

/* Each person a full member on the roster on day (steps 5 and 9). */
static int check_full_members(const zb_rstep_rec *s, const char *role, const char *field, zb_err *e)
{
	for (int i = 0; i < s->npeople; i++) {
		const zb_rperson *p = &s->people[i];
		const char *name = blank(p->name) ? "（未具名）" : p->name;
		if (!p->on_roster || p->member_id <= 0)
			return zb_fail(e, ZB_ECONFLICT, field, "%s须为本组织党员名册上的正式党员：%s 不在名册上", role, name);
		if (!p->category || strcmp(p->category, "full"))
			return zb_fail(e, ZB_ECONFLICT, field, "%s须为正式党员，预备党员不能担任：%s 在 %s 是预备党员", role, name,
			               s->done_on);
		if (p->full_date && *p->full_date && strcmp(p->full_date, s->done_on) > 0)
			return zb_fail(e, ZB_ECONFLICT, field,
			               "%s须为正式党员，预备党员不能担任：%s 的转正日期是 %s，%s 时尚是预备党员", role, name,
			               p->full_date, s->done_on);
		if (!p->status || (strcmp(p->status, "normal") && strcmp(p->status, "mobile")))
			return zb_fail(e, ZB_ECONFLICT, field, "%s须为正常参加组织生活的正式党员：%s 在 %s 的状态不是正常或流动", role,
			               name, s->done_on);
		for (int j = 0; j < i; j++)
			if (s->people[j].member_id == p->member_id)
				return zb_fail(e, ZB_ECONFLICT, field, "%s不能是同一人：%s 出现了两次", role, name);
	}
	return 0;
}

/* A plenary step (15, 23): the meeting and its resolution. */
static int check_meeting(const zb_rstep_rec *s, const char *what, zb_err *e)
{
	const zb_rmeeting *m = s->meeting;
	if (!m || m->id <= 0)
		return zb_fail(e, ZB_EINVAL, "meeting_id", "请选择%s的支部党员大会会议记录（meeting_id）", what);
	if (m->type != ZB_MT_PLENARY)
		return zb_fail(e, ZB_ECONFLICT, "meeting_id", "%s须由支部党员大会进行：所选会议不是支部党员大会", what);
	if (!m->same_branch)
		return zb_fail(e, ZB_ECONFLICT, "meeting_id", "%s须由本人所在党支部的党员大会进行：所选会议是其他组织的会议",
		               what);
	if (!m->held_on || strcmp(m->held_on, s->done_on))
		return zb_fail(e, ZB_ECONFLICT, "meeting_id", "%s的日期 %s 与所选支部党员大会的召开日期 %s 不一致", what,
		               s->done_on, m->held_on ? m->held_on : "（无）");
	if (!m->has_resolution)
		return zb_fail(e, ZB_ECONFLICT, "meeting_id", "%s：%s 的支部党员大会没有%s的决议", what, m->held_on,
		               s->step == 15 ? "接收预备党员" : "预备党员转正");
	if (!m->counted)
		return zb_fail(e, ZB_ECONFLICT, "meeting_id",
		               "%s的支部党员大会，有表决权的到会人数必须超过应到会有表决权人数的半数：%s 应到有表决权的正式党员 %lld 人，实到 %lld 人，未超过半数",
		               what, m->held_on, (long long)m->entitled, (long long)m->present_voters);
	if (!m->passed)
		return zb_fail(e, ZB_ECONFLICT, "meeting_id",
		               "%s的决议未通过：%s 赞成 %lld 票（含书面意见），未超过应到会有表决权的正式党员 %lld 人的半数", what,
		               m->held_on, (long long)m->yes, (long long)m->entitled);
	return 0;
}

/* Steps 17 and 24: approval within approve_months of the plenary, up to
 * approve_max_months with a reason. */
static int check_approval(const zb_recruit_rules *r, const zb_rstep_rec *s, const char *plenary, const char *what,
                          zb_err *e)
{
	char due[11], max[11], m1[16], m2[16];
	zb_date_add_months(plenary, r->approve_months, due);
	zb_date_add_months(plenary, r->approve_max_months, max);
	if (strcmp(s->done_on, due) <= 0)
		return 0;
	if (strcmp(s->done_on, max) > 0)
		return zb_fail(e, ZB_ECONFLICT, "done_on",
		               "上级党委审批%s最长不得超过%s：%s 支部大会通过，至迟 %s 审批，%s 已超过", what,
		               months_text(r->approve_max_months, m2), plenary, max, s->done_on);
	if (blank(s->delay_reason))
		return zb_fail(e, ZB_ECONFLICT, "delay_reason",
		               "上级党委应当在%s内审批%s：%s 支部大会通过，%s 前审批；%s 已超过%s，须写明延长审批的原因（最长不超过%s）",
		               months_text(r->approve_months, m1), what, plenary, due, s->done_on, months_text(r->approve_months, m1),
		               months_text(r->approve_max_months, m2));
	return 0;
}

static int conclusion(const zb_rstep_rec *s, zb_err *e)
{
	if (!s->conclusion || (strcmp(s->conclusion, "pass") && strcmp(s->conclusion, "fail")))
		return zb_fail(e, ZB_EINVAL, "conclusion", "第 %d 步「%s」须填写结论：pass（合格/同意）或 fail（不合格/不同意）",
		               s->step, step_names[s->step]);
	return 0;
}

static int count_since(const zb_rcase *c, int step, const char *from)
{
	int n = 0;
	for (int i = 0; i < c->ndone; i++)
		if (c->done[i].step == step && strcmp(c->done[i].done_on, from) >= 0)
			n++;
	return n;
}

static int check_step(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, const hist *h,
                      const zb_rstep_rec *s, zb_err *e)
{
	char d[11], m[16];
	int rc;
	switch (s->step) {
	case 1:
		if (c->birth_date && zb_date_valid(c->birth_date)) {
			zb_date_add_years(c->birth_date, r->min_age, d);
			if (strcmp(s->done_on, d) < 0)
				return zb_fail(e, ZB_ECONFLICT, "applied_on",
				               "申请入党须年满 %d 岁：%s 出生，%s 年满 %d 岁，%s 递交申请时未满", r->min_age,
				               c->birth_date, d, r->min_age, s->done_on);
		}
		return 0;
	case 2:
	case 16:
		if (s->npeople < 1)
			return zb_fail(e, ZB_EINVAL, "talkers", "请填写谈话人");
		if (s->step == 2) {
			const char *applied = h->at[1]->done_on;
			zb_date_add_months(applied, r->talk_within_months, d);
			if (strcmp(s->done_on, d) > 0)
				return zb_fail(e, ZB_ECONFLICT, "done_on",
				               "党组织收到入党申请书后，应当在%s内派人谈话：%s 递交申请，最迟 %s 谈话，%s 已超过",
				               months_text(r->talk_within_months, m), applied, d, s->done_on);
		}
		return 0;
	case 3:
		if (!s->recommended_by || (strcmp(s->recommended_by, "league") && strcmp(s->recommended_by, "members")))
			return zb_fail(e, ZB_EINVAL, "recommended_by",
			               "确定入党积极分子须经党员推荐或共青团推优：recommended_by 应为 members 或 league");
		return 0;
	case 5:
		if (s->npeople < r->contacts_min || s->npeople > r->contacts_max)
			return zb_fail(e, ZB_ECONFLICT, "contacts", "应指定 %d 至 %d 名正式党员作培养联系人（收到 %d 名）",
			               r->contacts_min, r->contacts_max, s->npeople);
		return check_full_members(s, "培养联系人", "contacts", e);
	case 6:
	case 21:
		if (blank(s->opinion))
			return zb_fail(e, ZB_EINVAL, "opinion", "请填写考察意见");
		return 0;
	case 7: {
		const char *from = h->at[3]->done_on;
		zb_date_add_months(from, r->activist_min_months, d);
		if (strcmp(s->done_on, d) < 0)
			return zb_fail(e, ZB_ECONFLICT, "done_on",
			               "确定为发展对象须经%s培养考察：%s 确定为积极分子，至 %s 不满%s（%s 起方可确定）",
			               r->activist_min_months == 12 ? "一年以上" : months_text(r->activist_min_months, m), from,
			               s->done_on, r->activist_min_months == 12 ? "一年" : months_text(r->activist_min_months, m), d);
		int need = r->assess_every_months > 0 ? r->activist_min_months / r->assess_every_months : 0;
		int have = count_since(c, 6, from);
		if (have < need)
			return zb_fail(e, ZB_ECONFLICT, "done_on",
			               "党支部每%s对入党积极分子考察一次：%s 确定为积极分子以来只有 %d 次考察记录，确定为发展对象前应至少 %d 次",
			               r->assess_every_months == 6 ? "半年" : months_text(r->assess_every_months, m), from, have, need);
		return 0;
	}
	case 9:
		if (s->npeople != r->introducers)
			return zb_fail(e, ZB_ECONFLICT, "introducers", "发展对象应当有 %d 名正式党员作入党介绍人（收到 %d 名）",
			               r->introducers, s->npeople);
		return check_full_members(s, "入党介绍人", "introducers", e);
	case 10:
	case 12:
		return conclusion(s, e);
	case 11:
		if (blank(s->certificate_no))
			return zb_fail(e, ZB_EINVAL, "certificate_no", "请填写集中培训结业证书编号");
		if (s->training_days < r->training_min_days && s->training_hours < r->training_min_hours)
			return zb_fail(e, ZB_ECONFLICT, "training_days",
			               "发展对象集中培训时间一般不少于 %d 天（或不少于 %d 个学时）：记录为 %d 天、%d 学时",
			               r->training_min_days, r->training_min_hours, s->training_days, s->training_hours);
		return 0;
	case 13: {
		if ((rc = conclusion(s, e)))
			return rc;
		if (blank(s->publicity_from) || !zb_date_valid(s->publicity_from))
			return zb_fail(e, ZB_EINVAL, "publicity_from", "请填写公示开始日期（YYYY-MM-DD）");
		const char *after = h->at[12]->done_on;
		if (strcmp(s->publicity_from, after) < 0)
			return zb_fail(e, ZB_ECONFLICT, "publicity_from", "公示开始日期 %s 不能早于支部委员会审查日期 %s",
			               s->publicity_from, after);
		zb_workcal_nth(cal, s->publicity_from, r->publicity_workdays, d);
		if (strcmp(s->done_on, d) <= 0) {
			char next[11];
			zb_date_add_days(d, 1, next);
			return zb_fail(e, ZB_ECONFLICT, "done_on",
			               "发展对象公示须满 %d 个工作日：%s 起公示，%s 期满，%s 不能预审（最早 %s）",
			               r->publicity_workdays, s->publicity_from, d, s->done_on, next);
		}
		return 0;
	}
	case 14:
		if (blank(s->volunteer_no))
			return zb_fail(e, ZB_EINVAL, "volunteer_no", "请填写入党志愿书编号");
		return 0;
	case 15:
		return check_meeting(s, "讨论接收预备党员", e);
	case 17:
		return check_approval(r, s, h->at[15]->done_on, "接收预备党员", e);
	case 22:
		if (!h->at[21])
			return zb_fail(e, ZB_ECONFLICT, "step", "提出转正申请前须有预备期的考察记录（第 21 步）");
		return 0;
	case 23: {
		if ((rc = check_meeting(s, "讨论预备党员转正", e)))
			return rc;
		if (s->outcome < ZB_RO_FULL || s->outcome > ZB_RO_CANCEL)
			return zb_fail(e, ZB_EINVAL, "outcome", "请选择讨论结果：full（按期转正）、extend（延长预备期）或 cancel（取消预备党员资格）");
		zb_recruit_probation_end(c, d);
		if (strcmp(s->done_on, d) < 0)
			return zb_fail(e, ZB_ECONFLICT, "done_on",
			               "预备党员预备期满才能讨论转正：%s 支部大会通过为预备党员，预备期%s至 %s 期满，%s 尚未期满",
			               h->at[15]->done_on, h->extended ? "（含延长）" : "", d, s->done_on);
		if (s->outcome == ZB_RO_EXTEND) {
			if (h->extended)
				return zb_fail(e, ZB_ECONFLICT, "outcome", "预备期只能延长一次：已于 %s 延长 %d 个月", h->ext_on,
				               h->ext_months);
			if (s->extend_months < c->ext_min || s->extend_months > c->ext_max)
				return zb_fail(e, ZB_EINVAL, "extend_months", "延长预备期不能少于 %d 个月，最长不超过 %d 个月（收到 %d）",
				               c->ext_min, c->ext_max, s->extend_months);
		}
		return 0;
	}
	case 24: {
		if (s->outcome && (s->outcome < ZB_RO_FULL || s->outcome > ZB_RO_CANCEL))
			return zb_fail(e, ZB_EINVAL, "outcome", "审批结果应为 full、extend 或 cancel");
		int o = outcome_of24(h, s);
		if (o == ZB_RO_NONE)
			return zb_fail(e, ZB_EINVAL, "outcome", "请选择审批结果：full（转正）、extend（延长预备期）或 cancel（取消预备党员资格）");
		if (o == ZB_RO_EXTEND) {
			int em = ext_months_of24(h, s);
			if (h->extended)
				return zb_fail(e, ZB_ECONFLICT, "outcome", "预备期只能延长一次：已于 %s 延长 %d 个月", h->ext_on,
				               h->ext_months);
			if (em < c->ext_min || em > c->ext_max)
				return zb_fail(e, ZB_EINVAL, "extend_months", "延长预备期不能少于 %d 个月，最长不超过 %d 个月（收到 %d）",
				               c->ext_min, c->ext_max, em);
		}
		return check_approval(r, s, h->at[23]->done_on, "预备党员转正", e);
	}
	default:
		return 0;
	}
}

int zb_recruit_check(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, const zb_rstep_rec *next,
                     const char *today, zb_err *e)
{
	if (!next || next->step < 1 || next->step > ZB_RSTEPS)
		return zb_fail(e, ZB_EINVAL, "step", "步骤应为 1 到 %d 之间的整数", ZB_RSTEPS);
	const char *field = next->step == 1 ? "applied_on" : "done_on";
	if (!next->done_on || !zb_date_valid(next->done_on))
		return zb_fail(e, ZB_EINVAL, field, "日期无效（应为 YYYY-MM-DD）");
	if (today && strcmp(next->done_on, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "第 %d 步「%s」的日期 %s 晚于今天", next->step, step_names[next->step],
		               next->done_on);
	hist h;
	history(c, &h);
	int allowed[2], n = allowed_next(&h, allowed), ok = 0;
	for (int i = 0; i < n; i++)
		ok |= allowed[i] == next->step;
	if (!ok) {
		if (!n && h.last)
			return zb_fail(e, ZB_ECONFLICT, "step", "%s，不能再记录第 %d 步「%s」", h.stopped, next->step,
			               step_names[next->step]);
		const zb_rstep_rec *same = h.at[next->step];
		if (same && next->step < allowed[0])
			return zb_fail(e, ZB_ECONFLICT, "step", "第 %d 步「%s」已于 %s 记录，不能重复记录（如有错误请更正该步）",
			               next->step, step_names[next->step], same->done_on);
		return zb_fail(e, ZB_ECONFLICT, "step", "不能跳过步骤：第 %d 步「%s」之前须先完成第 %d 步「%s」", next->step,
		               step_names[next->step], allowed[n - 1], step_names[allowed[n - 1]]);
	}
	if (h.last && strcmp(next->done_on, h.last->done_on) < 0)
		return zb_fail(e, ZB_ECONFLICT, "done_on", "第 %d 步「%s」的日期 %s 不能早于上一步「%s」的日期 %s", next->step,
		               step_names[next->step], next->done_on, step_names[h.last->step], h.last->done_on);
	if (next->step > 1 && c->applied_on && strcmp(next->done_on, c->applied_on) < 0)
		return zb_fail(e, ZB_ECONFLICT, "done_on", "第 %d 步「%s」的日期 %s 不能早于递交入党申请书的日期 %s",
		               next->step, step_names[next->step], next->done_on, c->applied_on);
	return check_step(r, cal, c, &h, next, e);
}

int zb_recruit_check_historic(const zb_recruit_rules *r, const zb_rcase *c, const zb_rstep_rec *next, const char *today,
                              zb_err *e)
{
	if (!next || next->step < 1 || next->step > ZB_RSTEPS)
		return zb_fail(e, ZB_EINVAL, "step", "步骤应为 1 到 %d 之间的整数", ZB_RSTEPS);
	if (!next->done_on || !zb_date_valid(next->done_on))
		return zb_fail(e, ZB_EINVAL, "done_on", "第 %d 步「%s」的日期无效", next->step, step_names[next->step]);
	if (today && strcmp(next->done_on, today) > 0)
		return zb_fail(e, ZB_EINVAL, "done_on", "第 %d 步「%s」的日期 %s 晚于今天", next->step, step_names[next->step],
		               next->done_on);
	hist h;
	history(c, &h);
	if (h.last && strcmp(next->done_on, h.last->done_on) < 0)
		return zb_fail(e, ZB_EINVAL, "done_on", "日期先后顺序不对：第 %d 步「%s」的日期 %s 早于第 %d 步「%s」的日期 %s",
		               next->step, step_names[next->step], next->done_on, h.last->step, step_names[h.last->step],
		               h.last->done_on);
	zb_rstep_rec s = *next;
	zb_rperson known[8];
	int rc;
	switch (next->step) {
	case 1:
		if ((rc = check_step(r, NULL, c, &h, next, e)))
			e->code = rc = ZB_EINVAL;
		return rc;
	case 2:
		return h.at[1] ? check_step(r, NULL, c, &h, &(zb_rstep_rec){.step = 2, .done_on = next->done_on, .npeople = 1},
		                            e)
		               : 0;
	case 5:
	case 9:
		/* the people the roster knows; others (moved away, named only) are not judged */
		s.npeople = 0;
		for (int i = 0; i < next->npeople && s.npeople < 8; i++)
			if (next->people[i].on_roster)
				known[s.npeople++] = next->people[i];
		s.people = known;
		if (next->step == 9 && next->npeople && next->npeople != r->introducers)
			return zb_fail(e, ZB_ECONFLICT, "introducers", "发展对象应当有 %d 名正式党员作入党介绍人（记载 %d 名）",
			               r->introducers, next->npeople);
		return check_full_members(&s, next->step == 5 ? "培养联系人" : "入党介绍人",
		                          next->step == 5 ? "contacts" : "introducers", e);
	case 7: {
		if (!h.at[3])
			return 0;
		zb_recruit_rules rr = *r;
		rr.assess_every_months = 0; /* the 考察 are not in a 台账 */
		return check_step(&rr, NULL, c, &h, next, e);
	}
	case 11:
		if ((next->training_days || next->training_hours) && next->training_days < r->training_min_days &&
		    next->training_hours < r->training_min_hours)
			return zb_fail(e, ZB_ECONFLICT, "training_days",
			               "发展对象集中培训时间一般不少于 %d 天（或不少于 %d 个学时）：记载为 %d 天、%d 学时",
			               r->training_min_days, r->training_min_hours, next->training_days, next->training_hours);
		return 0;
	case 17:
		return h.at[15] ? check_approval(r, next, h.at[15]->done_on, "接收预备党员", e) : 0;
	case 24: {
		char end[11];
		zb_recruit_probation_end(c, end);
		if (end[0] && strcmp(next->done_on, end) < 0)
			return zb_fail(e, ZB_ECONFLICT, "done_on",
			               "预备党员预备期满才能转正：%s 支部大会通过为预备党员，预备期至 %s 期满，%s 转正早于期满",
			               h.at[15]->done_on, end, next->done_on);
		return 0;
	}
	default:
		return 0;
	}
}

/* ---- what comes next ---- */

static void later(char d[11], const char *other)
{
	if (other && *other && strcmp(other, d) > 0)
		snprintf(d, 11, "%s", other);
}

/* The last half-year 考察 (step 6 or 21 since `since`) or `since`. */
static const char *last_assessment(const zb_rcase *c, int step, const char *since)
{
	const char *d = since;
	for (int i = 0; i < c->ndone; i++)
		if (c->done[i].step == step && strcmp(c->done[i].done_on, d) >= 0)
			d = c->done[i].done_on;
	return d;
}

/* Where the 考察 of a 预备党员 are counted from: the plenary, or the
 * approval of the extension (a new period of 考察). */
static const char *assess_since(const hist *h)
{
	return h->extended ? h->ext_on : h->at[15]->done_on;
}

void zb_recruit_next(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, zb_rnext *out)
{
	memset(out, 0, sizeof *out);
	hist h;
	history(c, &h);
	int allowed[2], n = allowed_next(&h, allowed);
	if (!n)
		return;
	int step = allowed[n - 1];
	const char *prev = h.last ? h.last->done_on : NULL;
	if (step == 7) {
		int need = r->assess_every_months > 0 ? r->activist_min_months / r->assess_every_months : 0;
		if (count_since(c, 6, h.at[3]->done_on) < need)
			step = 6;
	}
	out->step = step;
	out->needs = step_needs[step];
	if (prev)
		snprintf(out->earliest, sizeof out->earliest, "%s", prev);
	char d[11];
	switch (step) {
	case 1:
		break;
	case 2:
		zb_date_add_months(h.at[1]->done_on, r->talk_within_months, out->due);
		break;
	case 6:
		zb_date_add_months(last_assessment(c, 6, h.at[3]->done_on), r->assess_every_months, out->due);
		break;
	case 7:
		zb_date_add_months(h.at[3]->done_on, r->activist_min_months, d);
		later(out->earliest, d);
		break;
	case 13:
		zb_workcal_nth(cal, h.at[12]->done_on, r->publicity_workdays, d);
		zb_date_add_days(d, 1, d);
		later(out->earliest, d);
		break;
	case 17:
		zb_date_add_months(h.at[15]->done_on, r->approve_months, out->due);
		break;
	case 21:
		zb_date_add_months(last_assessment(c, 21, assess_since(&h)), r->assess_every_months, out->due);
		break;
	case 22:
	case 23:
		zb_recruit_probation_end(c, d);
		later(out->earliest, d);
		if (step == 23)
			snprintf(out->due, sizeof out->due, "%s", d);
		break;
	case 24:
		zb_date_add_months(h.at[23]->done_on, r->approve_months, out->due);
		break;
	default:
		break;
	}
}

/* ---- reminders ---- */

static int add_alert(zb_ralert *out, int max, int n, int kind, int step, const char *due, int overdue, const char *fmt,
                     ...) __attribute__((format(printf, 8, 9)));

#include <stdarg.h>
static int add_alert(zb_ralert *out, int max, int n, int kind, int step, const char *due, int overdue, const char *fmt,
                     ...)
{
	if (n >= max)
		return n;
	zb_ralert *a = &out[n];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->step = step;
	snprintf(a->due, sizeof a->due, "%s", due);
	a->overdue = overdue;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->text, sizeof a->text, fmt, ap);
	va_end(ap);
	return n + 1;
}

/* How many days before a due day a reminder shows. */
#define ZB_RECRUIT_REMIND_DAYS 30

int zb_recruit_alerts(const zb_recruit_rules *r, const zb_workcal *cal, const zb_rcase *c, const char *today,
                      zb_ralert *out, int max)
{
	(void)cal;
	hist h;
	history(c, &h);
	if (!h.last || h.stopped)
		return 0;
	int n = 0, last = h.last->step;
	char due[11], soon[11], end[11];
	zb_date_add_days(today, ZB_RECRUIT_REMIND_DAYS, soon);
	if (last == 1) {
		zb_date_add_months(h.at[1]->done_on, r->talk_within_months, due);
		int over = strcmp(today, due) > 0;
		n = add_alert(out, max, n, ZB_RA_TALK_DUE, 2, due, over, "%s 递交入党申请书，党组织应于 %s 前派人谈话%s",
		              h.at[1]->done_on, due, over ? "，已逾期" : "");
	}
	if ((last >= 3 && last <= 6) || (last >= 17 && last <= 21)) {
		int step = last <= 6 ? 6 : 21;
		const char *since = last <= 6 ? h.at[3]->done_on : assess_since(&h);
		const char *base = last_assessment(c, step, since);
		zb_date_add_months(base, r->assess_every_months, due);
		int over = strcmp(today, due) > 0;
		if (strcmp(soon, due) >= 0)
			n = add_alert(out, max, n, ZB_RA_ASSESS_DUE, step, due, over, "上次考察 %s，%s 前应作半年考察%s", base, due,
			              over ? "，已逾期" : "");
	}
	if (last == 15 || last == 16 || last == 23) {
		const char *plenary = last == 23 ? h.at[23]->done_on : h.at[15]->done_on;
		char max_day[11];
		zb_date_add_months(plenary, r->approve_months, due);
		zb_date_add_months(plenary, r->approve_max_months, max_day);
		int over = strcmp(today, due) > 0, broken = strcmp(today, max_day) > 0;
		n = add_alert(out, max, n, ZB_RA_APPROVAL_DUE, last == 23 ? 24 : 17, due, over,
		              "%s 支部大会通过，上级党委应于 %s 前审批%s", plenary, due,
		              broken ? "，已超过最长期限" : over ? "，已逾期（特殊情况须写明原因）" : "");
	}
	if (last >= 17 && last <= 22) {
		zb_recruit_probation_end(c, end);
		if (strcmp(today, end) > 0)
			n = add_alert(out, max, n, ZB_RA_PROBATION_OVER, 23, end, 1, "预备期已于 %s 期满，尚未召开支部大会讨论转正",
			              end);
		else if (strcmp(soon, end) >= 0)
			n = add_alert(out, max, n, ZB_RA_PROBATION_ENDING, 23, end, 0, "预备期 %s 期满，应及时讨论转正", end);
	}
	return n;
}
