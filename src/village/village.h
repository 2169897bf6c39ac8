/* village.h - 驻村第一书记 and 驻村工作队 (docs/VILLAGE.md): postings of
 * cadres (village/cadre.h) to villages and their teams, the villages that
 * must have a 第一书记, absences and the presence derived from them, the
 * team's work log, evaluations and outcomes, and the county's view.
 *
 * The rule kind "village_work" (vrules.c; docs/RULES.md "驻村工作") holds
 * the numbers: the least days a month in the village, the longest leave
 * the township approves, how soon a term "ends soon", and the weights of
 * 一述职、两测评、四联考.  No HTTP here: api/api_village.c calls these.
 * Every write is one transaction with its audit row. */
#ifndef ZB_VILLAGE_H
#define ZB_VILLAGE_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

/* ---- the rule (vrules.c) ---- */

typedef struct zb_vwork_rules {
	int min_days;              /* days a month in the village, at least */
	int township_leave_days;   /* leave of up to this many days: the township approves; longer: the county */
	int ending_soon_days;      /* a term ending within this many days "ends soon" */
	int w_report, w_rating_cadres, w_rating_villagers, w_exams; /* percent, summing to 100 */
	int vote_points[4];        /* points of a 测评 vote 优秀, 称职, 基本称职, 不称职 (0-100) */
	int grade_min[3];          /* the least final score of 优秀, 称职, 基本称职 (below: 不称职) */
	const char *source;
} zb_vwork_rules;

/* Validator of rule kind "village_work" (registered in rules/rules.c). */
int zb_vwork_rules_validate(json_t *data, zb_err *e);
/* The set in force for org_path on date (the built-in national default
 * when none is stored); r->source points into static text. */
int zb_vwork_rules_get(zb_db *db, const char *org_path, const char *date, zb_vwork_rules *r, zb_err *e);
/* The same from a snapshot of the kind loaded once (zb_rules_load). */
struct zb_rules;
int zb_vwork_rules_from(const struct zb_rules *rs, const char *org_path, zb_vwork_rules *r, zb_err *e);

/* Who approves a leave of `days` days: "township" or "county". */
const char *zb_vwork_leave_level(const zb_vwork_rules *r, int days);

/* A stretch of days away, both ends included (YYYY-MM-DD). */
typedef struct zb_vspan {
	const char *from, *to;
} zb_vspan;

/* Presence of one posting in one month.  The days counted are the days of
 * the month the cadre was posted (from started_on, up to ended_on or the
 * month's end) and that have passed (up to today); days_away the days of
 * those covered by an absence (overlapping absences count once);
 * days_in_village the rest.  required is min_days prorated over the days
 * counted: ceil(min_days * counted / days_in_month), so a whole month
 * needs min_days and half a month half of it; ok when days_in_village >=
 * required.  partial: fewer days counted than the month has. */
typedef struct zb_vpresence {
	int days_in_month, days_counted, days_away, days_in_village, required, ok, partial;
} zb_vpresence;
/* month "YYYY-MM"; ended_on NULL: still posted; today "YYYY-MM-DD".  An
 * invalid month is ZB_EINVAL on field "month". */
int zb_vwork_presence(const zb_vwork_rules *r, const char *month, const char *started_on, const char *ended_on,
                      const char *today, const zb_vspan *away, int naway, zb_vpresence *p, zb_err *e);

/* The final score of an evaluation: report, the two ratings and the mean
 * of the four exams weighted by the rule's percents, 0-100. */
typedef struct zb_veval_scores {
	int report, rating_cadres, rating_villagers, exam_county, exam_township, exam_unit, exam_village;
} zb_veval_scores;
double zb_vwork_eval_score(const zb_vwork_rules *r, const zb_veval_scores *s);

/* 一述职、两测评、四联考 held on the platform (review.c): the exact sums
 * behind the final score.  report and the four exams (county 县委组织部,
 * revival 乡村振兴部门, township 乡镇党委, unit 派出单位) are 0-100;
 * each 测评 is the points of its votes (the rule's vote_points) and how
 * many.  Figures are in hundredths, rounded half up. */
typedef struct zb_vreview_tally {
	int64_t report, exam_sum;           /* exam_sum: the four exams summed */
	int64_t cadre_points, cadre_votes, villager_points, villager_votes;
} zb_vreview_tally;
typedef struct zb_vreview_result {
	int64_t rating_cadres, rating_villagers, exams, final; /* hundredths */
	const char *grade;                                     /* excellent, competent, basic, incompetent */
} zb_vreview_result;
/* num / den in hundredths, half up (num >= 0, den > 0). */
int64_t zb_vwork_hundredths(int64_t num, int64_t den);
/* The final score: (w_report x report + w_cadres x mean of the cadres'
 * votes + w_villagers x mean of the villagers' votes + w_exams x mean of
 * the four exams) / 100, computed exactly and rounded once to 2 decimals
 * half up; the grade by the rule's thresholds.  Both rounds need votes. */
void zb_vwork_review_score(const zb_vwork_rules *r, const zb_vreview_tally *t, zb_vreview_result *out);
/* The grade of a final score (hundredths) by the rule. */
const char *zb_vwork_grade(const zb_vwork_rules *r, int64_t final);

/* Code tables: code or Chinese name -> code (NULL if none), code -> name. */
const char *zb_vrole_from(const char *s);          /* first_secretary 第一书记, leader 队长, member 队员 */
const char *zb_vrole_name(const char *code);
const char *zb_vreason_from(const char *s);        /* poverty 脱贫村, weak 软弱涣散村, collective 集体经济薄弱村, other 其他 */
const char *zb_vreason_name(const char *code);
const char *zb_vabsence_from(const char *s);       /* leave 请假, training 培训, trip 因公出差 */
const char *zb_vabsence_name(const char *code);
const char *zb_vend_from(const char *s);           /* term_end 期满, recalled 召回, other 其他 */
const char *zb_vend_name(const char *code);
const char *zb_voutcome_from(const char *s);       /* recall 召回, accountability 问责, talk 约谈,
                                                    * disqualify 取消后备干部资格, notify 通报派出单位 */
const char *zb_voutcome_name(const char *code);
const char *zb_vgrade_from(const char *s);         /* excellent 优秀, competent 称职, basic 基本称职, incompetent 不称职 */
const char *zb_vgrade_name(const char *code);
int zb_vgrade_index(const char *code);             /* 0-3 in that order, -1 if none */
const char *zb_vround_from(const char *s);         /* cadres 乡镇干部测评, villagers 党员群众测评 */
const char *zb_vround_name(const char *code);
const char *zb_vexaminer_from(const char *s);      /* report 述职, county 县委组织部, revival 乡村振兴部门,
                                                    * township 乡镇党委, unit 派出单位 */
const char *zb_vexaminer_name(const char *code);

/* ---- teams, postings, requirements, outcomes, evaluations, log (posting.c) ---- */

/* A team at village org_id (who: member.write there; a branch-type org or
 * a 党总支, not dissolved). */
int zb_vteam_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t org_id,
                    const char *name, const char *formed_on, zb_arena *ar, int64_t *id, zb_err *e);

typedef struct zb_vposting_input {
	int64_t cadre_id, org_id, team_id;  /* team_id 0: the village's open team, if any */
	const char *role;                   /* first_secretary, leader, member */
	const char *started_on, *term_ends_on;
} zb_vposting_input;
/* A cadre posted to a village (who: member.write at the village; the
 * cadre one who may read).  One open posting per cadre; one open 第一书记
 * per village; the team, when named, of that village.  "vposting.create". */
int zb_vposting_create(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who,
                       const zb_vposting_input *in, zb_arena *ar, int64_t *id, zb_err *e);
/* End posting id on ended_on for reason (term_end, recalled, other) with a
 * note; a recall also records the outcome 召回 on the cadre. */
int zb_vposting_end(zb_db *db, zb_app *app, const zb_actor *ac, int64_t id, const char *ended_on,
                    const char *reason, const char *note, zb_arena *ar, zb_err *e);

/* Village org_id must have a 第一书记 from from_on (until_on NULL: open)
 * for reason; who: member.write at the village. */
int zb_vreq_add(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t org_id,
                const char *reason, const char *note, const char *from_on, const char *until_on, zb_arena *ar,
                int64_t *id, zb_err *e);

/* An outcome (recall, accountability, talk) recorded on cadre id. */
int zb_voutcome_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t cadre_id, const char *kind,
                    const char *on_date, const char *reason, zb_arena *ar, int64_t *id, zb_err *e);

/* The evaluation of team id for a year: scores 0-100, the final score by
 * the rule in force at the team's village on report_on. */
int zb_veval_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, int year, const char *report_on,
                 const char *summary, const zb_veval_scores *s, zb_arena *ar, int64_t *id, double *final,
                 zb_err *e);

/* A work log entry of team id (attachments: a JSON array text or NULL). */
int zb_vlog_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, const char *on_date, const char *what,
                const char *attachments, const int64_t *files, int nfiles, zb_arena *ar, int64_t *id, zb_err *e);

/* The log's photos and PDFs (vfile.c, migration 0035): uploaded for a
 * team (checked and stored like a meeting's, meeting/attach.h, with its
 * audit row), then linked by the log entry that names them in `files`:
 * the entry's attachments then list {name, file_id, kind, url} after any
 * {name, note} given (the older form, still read as it was). */
typedef struct zb_vfile {
	int64_t id, team_id, size, created_at;
	const char *kind, *filename, *url;
} zb_vfile;
int zb_vfile_upload(zb_db *db, zb_app *app, const zb_actor *ac, int64_t team_id, const char *filename, const void *data,
                    size_t len, zb_arena *ar, zb_vfile *out, zb_err *e);
const char *zb_vfile_url(zb_arena *ar, int64_t id);
/* kind, display name and stored name of file id; ZB_ENOTFOUND */
int zb_vfile_find(zb_db *db, int64_t id, zb_arena *ar, const char **kind, const char **filename,
                  const char **stored_name, zb_err *e);
int zb_vlog_link_files(zb_db *db, int64_t team_id, int64_t log_id, const char *given, const int64_t *files, int n,
                       zb_arena *ar, const char **json, zb_err *e);

/* ---- absences and presence (presence.c) ---- */

/* An absence of posting posting_id: leave (pending; the level that
 * approves it by its length, and that level's org: the village's nearest
 * 党委 for the township, the 党委 above that for the county), training
 * or trip (recorded as approved).  who: the cadre's own account, or
 * member.write at the village; else ZB_ENOTFOUND.  Dates inside the
 * posting, to_on not before from_on. */
int zb_vabsence_file(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t posting_id,
                     const char *kind, const char *from_on, const char *to_on, const char *reason, zb_arena *ar,
                     int64_t *id, zb_err *e);
/* Approve (approve != 0) or refuse a pending leave: who must hold
 * member.write at the org of the leave's level, else ZB_EFORBIDDEN naming
 * the level that approves a leave of that length. */
int zb_vabsence_decide(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id, int approve,
                       const char *note, zb_arena *ar, zb_err *e);

typedef struct zb_vabsence {
	int64_t id, posting_id, level_org_id, filed_by, decided_by;
	const char *org_path, *kind, *from_on, *to_on, *reason, *status, *level, *level_org_name, *level_org_path, *decision_note;
	const char *cadre_name;
	int days;
	int64_t filed_at, decided_at;
} zb_vabsence;
int zb_vabsence_get(zb_db *db, int64_t id, zb_arena *ar, zb_vabsence *a, zb_err *e);

/* One posting with its presence in a month. */
typedef struct zb_vposting {
	int64_t id, cadre_id, org_id, team_id, unit_id;
	const char *org_path, *org_name, *team_name, *cadre_name, *unit_name, *role;
	const char *started_on, *term_ends_on, *ended_on, *end_reason;
	int ending_soon;                    /* open, term ending within the rule's days */
	zb_vpresence presence;              /* of the month asked for */
} zb_vposting;

/* The 第一书记 posted in month under path (any day of the month), with
 * their presence; the fixed point of GET /orgs/{id}/first-secretaries. */
int zb_vfirst_secretaries(zb_db *db, const char *path, const char *month, const char *today, zb_arena *ar,
                          zb_vposting **out, int *n, zb_err *e);

/* The postings of team id (all, open first) with their presence in month. */
int zb_vteam_postings(zb_db *db, int64_t team_id, const char *month, const char *today, zb_arena *ar,
                      zb_vposting **out, int *n, zb_err *e);

typedef struct zb_vteam {
	int64_t id, org_id;
	const char *org_path, *org_name, *name, *formed_on, *dissolved_on;
} zb_vteam;
int zb_vteam_get(zb_db *db, int64_t id, zb_arena *ar, zb_vteam *t, zb_err *e);

/* A work log item: typed (kind "log") or read from other records (kind
 * "meeting": a meeting of the village org a team member attended as 列席
 * guest; kind "visit": a 帮扶 visit a team member made while posted to
 * the team, its what "帮扶走访：<village> <户主>户（<cadre>）：<what>"). */
typedef struct zb_vlog_item {
	int64_t id;
	const char *kind, *on_date, *what, *attachments;
} zb_vlog_item;
/* The team's log from..to (both included), newest first: its own entries
 * and what zb_vlog_joined adds. */
int zb_vteam_log(zb_db *db, int64_t team_id, const char *from, const char *to, zb_arena *ar, zb_vlog_item **out,
                 int *n, zb_err *e);

/* The absences of team id's postings from..to, newest first. */
int zb_vteam_absences(zb_db *db, int64_t team_id, const char *from, const char *to, zb_arena *ar,
                      zb_vabsence **out, int *n, zb_err *e);

/* Pending leaves under path (for those who approve), oldest first. */
int zb_vleaves_pending(zb_db *db, const char *path, zb_arena *ar, zb_vabsence **out, int *n, zb_err *e);

/* The county's view: every village under path (org/org.h ZB_ORG_VILLAGE:
 * a rural 党支部, 联合党支部 or 党总支 under a 党委), and any org with a
 * requirement or posting, with its 第一书记, team and requirement, in
 * month. */
typedef struct zb_vvillage {
	int64_t org_id;
	const char *org_path, *org_name, *town_name;
	const char *required_reason;        /* NULL: not required */
	zb_vposting first;                  /* first.id 0: none */
	int64_t team_id;
	const char *team_name;
	int team_size;
	double eval_score;                  /* last evaluation, -1: none */
	int eval_year;
} zb_vvillage;
typedef struct zb_vcounty {
	int villages, required, covered, uncovered_required, ending_soon, under_rule, teams, cadres_posted;
} zb_vcounty;
/* only: NULL all, "required", "uncovered", "ending", "under" */
int zb_vcounty_view(zb_db *db, const char *path, const char *month, const char *today, const char *only,
                    zb_arena *ar, zb_vvillage **out, int *n, zb_vcounty *sum, zb_err *e);

/* Every posting of cadre id (newest first, presence in month) and the
 * outcomes recorded on it (newest first). */
typedef struct zb_voutcome {
	int64_t id, posting_id, review_id, cadre_id;
	const char *kind, *on_date, *reason;
	const char *decided_by;             /* NULL: not recorded (outcomes before 0045) */
	const char *cadre_name, *team_name; /* zb_voutcomes_of_member only */
	int review_year;                    /* 0: no evaluation named */
} zb_voutcome;
int zb_vcadre_record(zb_db *db, int64_t cadre_id, const char *month, const char *today, zb_arena *ar,
                     zb_vposting **ps, int *np, zb_voutcome **os, int *no, zb_err *e);

/* The outcomes of the cadre records that share member member_id's ID
 * number (blind index), newest first: what the member page shows. */
int zb_voutcomes_of_member(zb_db *db, int64_t member_id, zb_arena *ar, zb_voutcome **os, int *no, zb_err *e);

/* ---- 一述职、两测评、四联考 held on the platform (review.c) ---- */

/* An evaluation of team id for year (who: org.write at an org above the
 * village, review/review.h zb_review_above): report_on the day of the
 * 述职, summary its text.  One per team and year, and none where a typed
 * evaluation (village_evaluations) holds the year (409 on year). */
int zb_vreview_open(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t team_id, int year,
                    const char *report_on, const char *summary, zb_arena *ar, int64_t *id, zb_err *e);
/* count (1-500) new one-time codes of round (cadres, villagers) for open
 * evaluation id: *codes the texts "XXXXX-XXXXX" (shown this once; only
 * their keyed digest is kept). */
int zb_vreview_codes(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                     const char *round, int count, zb_arena *ar, const char ***codes, zb_err *e);
/* The score (0-100) of part examiner (report, county, revival, township,
 * unit) of open evaluation id, with the examiner's name; once a part. */
int zb_vreview_score(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                     const char *examiner, int score, const char *examiner_name, const char *note, zb_arena *ar,
                     zb_err *e);
/* Finalise evaluation id on date: every part scored and both rounds voted
 * (else 409 naming what is missing); the rule in force at the village on
 * report_on weighs it (zb_vwork_review_score). */
int zb_vreview_finalise(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                        const char *on, zb_arena *ar, zb_vreview_result *out, zb_err *e);
/* An outcome following from finalised evaluation id, on a cadre posted
 * to its team: kind (recall, accountability, talk, disqualify, notify),
 * on_date (not before the evaluation was finalised, not after today),
 * decided_by (the body or person), reason.  recall also ends the open
 * posting (召回); disqualify also removes the person from a village's
 * reserve pool when their ID number is in one (reserve/, *reserve_id). */
int zb_vreview_outcome(zb_db *db, zb_app *app, const zb_actor *ac, const zb_principal *who, int64_t id,
                       int64_t cadre_id, const char *kind, const char *on_date, const char *decided_by,
                       const char *reason, zb_arena *ar, int64_t *outcome_id, int64_t *reserve_id, zb_err *e);

typedef struct zb_vreview_exam {
	const char *examiner, *examiner_name, *note;
	int score;
	int64_t entered_by, entered_at;
} zb_vreview_exam;
typedef struct zb_vreview_round {
	int64_t codes, used, votes[4];      /* votes per grade 优秀..不称职 */
} zb_vreview_round;
typedef struct zb_vreview {
	int64_t id, team_id, org_id, finalised_by;
	int year;
	const char *org_path, *org_name, *team_name, *report_on, *report_summary, *status, *finalised_on, *grade;
	double final_score;                 /* status final only */
	zb_vreview_round rounds[2];         /* cadres, villagers */
	zb_vreview_exam *exams;
	int nexams;
	zb_voutcome *outcomes;
	int noutcomes;
} zb_vreview;
int zb_vreview_get(zb_db *db, int64_t id, zb_arena *ar, zb_vreview *v, zb_err *e);
/* The evaluations of team id, newest year first (without exams, outcomes). */
int zb_vreview_of_team(zb_db *db, int64_t team_id, zb_arena *ar, zb_vreview **out, int *n, zb_err *e);

/* The public vote: what code is for (*v without exams and outcomes; a
 * used code ZB_ECONFLICT, an unknown one ZB_ENOTFOUND naming no code) and
 * the vote itself (grade: excellent, competent, basic, incompetent).  ip
 * only feeds the guess throttle (auth.h zb_login_gate/failure under the
 * name "#测评码"); nothing of the voter is stored. */
int zb_vvote_check(zb_db *db, zb_app *app, const char *code, const char *ip, zb_arena *ar, zb_vreview *v,
                   const char **round, zb_err *e);
int zb_vvote_cast(zb_db *db, zb_app *app, const char *code, const char *grade, const char *ip, zb_arena *ar, zb_err *e);

/* The village work of one org (the org page's section): *found 0 when
 * the org is not in the county view (see above). */
int zb_vvillage_get(zb_db *db, int64_t org_id, const char *month, const char *today, zb_arena *ar, zb_vvillage *v,
                    int *found, zb_err *e);

/* The open postings of the cadre linked to account user_id (the
 * 第一书记's own page). */
int zb_vmy_postings(zb_db *db, int64_t user_id, const char *month, const char *today, zb_arena *ar,
                    zb_vposting **out, int *n, zb_err *e);

#endif
