/* meeting.h - meeting records of organisational life (no HTTP here).
 *
 * A meeting belongs to one org (a branch, or a 党小组 for group meetings).
 * Its attendance rows ARE its 应到 list: when the record is made, and
 * again when its date or type changes, the list is taken from the roster
 * as it stood on the meeting date (member/history.h: each member's org,
 * 党小组, status and category on that date from member_history; a change
 * counts from its effective date on) by zb_meeting_expected_list, the one
 * computation behind the form's preview and every save:
 *   plenary and most types - every member whose org on that date lies in
 *     the org's subtree, whose status then is one of the rule's roster
 *     statuses and who had joined the party by then; only those full on
 *     that date (category then, 转正 date reached) and not then in one of
 *     the rule's no-vote statuses have a vote;
 *   committee - the holders of active committee posts of the org on that
 *     date (committee_posts with a member_id) who had joined the party by
 *     then and whose status then is a roster status, all with a vote;
 *   group - the members who on that date were in the 党小组 (and in its
 *     branch), votes as above;
 *   talk - the two people, when they are members.
 * Rows are new as 'absent' (source 'roster') until marked.  Totals and
 * quorum are derived from the rows (zb_meeting_recount) in the same
 * transaction as every change; they are never input.
 *
 * All write functions run in the caller's write transaction and leave it
 * open; on failure the caller rolls back.  Strings of a zb_meeting live in
 * the arena passed alongside it.
 */
#ifndef ZB_MEETING_H
#define ZB_MEETING_H

#include <stdint.h>

#include "app/app.h"
#include "auth/authz.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "meeting/mrules.h"
#include "store/db.h"

typedef struct zb_meeting {
	int64_t id, org_id;
	const char *org_path, *org_name, *org_type;
	int type;                              /* zb_mtype */
	const char *title;
	int64_t start_at, end_at;              /* end_at 0 = not given */
	char held_on[11];
	int held_ym;
	const char *place, *host, *recorder, *speaker, *topic, *agenda, *minutes;
	int is_election;
	int64_t talk_a_id, talk_b_id;
	const char *talk_a_name, *talk_b_name;
	/* derived */
	int expected, present, leave, absent, voters, present_voters;
	int quorum_base, quorum_present, quorum_need, quorum_ok;
	int64_t unlocked_until, created_by, created_at, updated_at;
} zb_meeting;

/* SELECT list for zb_meeting_read: "SELECT " ZB_MEETING_COLS " FROM meetings m JOIN orgs o ON o.id = m.org_id" */
#define ZB_MEETING_COLS \
	"m.id, m.org_id, m.org_path, o.name, o.type, m.type, m.title, m.start_at, m.end_at, m.held_on, m.held_ym, " \
	"m.place, m.host, m.recorder, m.speaker, m.topic, m.agenda, m.minutes, m.is_election, m.talk_a_id, " \
	"m.talk_a_name, m.talk_b_id, m.talk_b_name, m.expected_count, m.present_count, m.leave_count, " \
	"m.absent_count, m.voters, m.present_voters, m.quorum_base, m.quorum_present, m.quorum_need, m.quorum_ok, " \
	"m.unlocked_until, m.created_by, m.created_at, m.updated_at"
#define ZB_MEETING_NCOLS 37


void zb_meeting_read(zb_stmt *st, int col0, zb_arena *a, zb_meeting *m);

/* ZB_ENOTFOUND if there is no such meeting. */
int zb_meeting_get(zb_db *db, int64_t id, zb_arena *a, zb_meeting *m, zb_err *e);

/* Check a meeting about to be written (new or edited): type fits the org
 * (group meetings at a 党小组), times, election only at a plenary, talk
 * participants (two, distinct, members of the org's subtree or named), a
 * speaker for a 党课.  Fills held_on/held_ym and the talk names from the
 * roster.  Field names in errors are the API's. */
int zb_meeting_check(zb_db *db, zb_meeting *m, zb_arena *a, zb_err *e);

/* Insert m (checked) with its guests (names, may be 0) and its 应到 list;
 * *id gets the new id. */
int zb_meeting_insert(zb_db *db, zb_meeting *m, const zb_mrules *r, const char *const *guests, int nguests,
                      int64_t by_user, int64_t now, int64_t *id, zb_err *e);
/* Idempotent saves (table meeting_save_keys).  The form makes a client
 * key, a UUID (8-4-4-4-12 hex digits, zb_meeting_key_valid), once per
 * draft and sends it with every try of the save; digest (64 hex) stands for
 * what was saved.  zb_meeting_key_find: 0 and *meeting_id when org_id
 * already saved this key with this digest, ZB_ECONFLICT when with another
 * digest (the key reused for a different record), ZB_ENOTFOUND when the
 * key is new.  zb_meeting_key_insert records the key in the save's write
 * transaction; a concurrent save of the same key fails there with
 * ZB_ECONFLICT and zb_db_last_was_unique(db). */
int zb_meeting_key_valid(const char *key);
int zb_meeting_key_find(zb_db *db, int64_t org_id, const char *key, const char *digest, int64_t *meeting_id,
                        zb_err *e);
int zb_meeting_key_insert(zb_db *db, int64_t org_id, const char *key, const char *digest, int64_t meeting_id,
                          int64_t by_user, int64_t now, zb_err *e);
/* Bulk loads (the demo, meeting/bulk.c): the n meetings ms (as
 * zb_meeting_check would leave them: org_path, held_on, held_ym, title
 * set), each recorded at its created_at, inserted with their 应到 lists in
 * a few set-based statements (rows of up to a few hundred meetings each,
 * passed as one JSON parameter), the rules of each from the cache (kind
 * "meeting_rules").  Ids are taken in the order of ms and written to
 * ms[i].id.  The lists are those zb_meeting_insert would write; the
 * derived totals and quorum are left for one zb_meeting_recount_range
 * over the new ids (until then they read 0). */
int zb_meeting_insert_bulk(zb_db *db, zb_meeting *ms, int n, zb_mrules_cache *rules, int64_t by_user, zb_err *e);
/* Recount every meeting with first_id <= id <= last_id as
 * zb_meeting_recount would, with the rules in force for each (cache of
 * kind "meeting_rules"): one grouped read of their attendance, then the
 * totals written a few hundred meetings per UPDATE. */
int zb_meeting_recount_range(zb_db *db, int64_t first_id, int64_t last_id, zb_mrules_cache *rules, zb_err *e);

/* Write m's editable fields (checked) over the stored row.  guests NULL =
 * unchanged.  Re-syncs the 应到 list when the date or type changed. */
int zb_meeting_update(zb_db *db, const zb_meeting *old, zb_meeting *m, const zb_mrules *r,
                      const char *const *guests, int nguests, int64_t now, zb_err *e);

/* Make the attendance rows match the roster on the meeting date, keeping
 * the marks of people still expected; then recount. */
int zb_meeting_sync_expected(zb_db *db, zb_meeting *m, const zb_mrules *r, int64_t now, zb_err *e);
/* One person of the 应到 list as zb_meeting_sync_expected takes it (it
 * writes what zb_meeting_expected_list returns), in roster order; status
 * and category are those of the meeting date. */
typedef struct zb_expected_row {
	int64_t member_id;
	const char *name, *status, *category;   /* status: the roster status code (normal, mobile, ...) */
	int has_vote;
} zb_expected_row;
/* The 应到 list of m (type, org_id, org_path, held_on, talk ids set) on
 * its date without writing anything: what a save would list.  Rows in
 * arena a. */
int zb_meeting_expected_list(zb_db *db, const zb_meeting *m, const zb_mrules *r, zb_arena *a, zb_expected_row **out,
                             int *n, zb_err *e);
/* Derive the totals and quorum from the rows and store them in the row
 * and in *m.  r: the rules in force for the meeting (zb_meeting_rules). */
int zb_meeting_recount(zb_db *db, zb_meeting *m, const zb_mrules *r, zb_err *e);

/* The quorum rule of a meeting: *has 0 when its type has none (then a
 * meeting counts as held when anyone was present); *base and *present are
 * the counts the rule compares, from the derived columns. */
void zb_meeting_quorum_rule(const zb_meeting *m, const zb_mrules *r, int *has, zb_frac *f, int *base, int *present);
/* Set m's quorum_base/present/need/ok from its totals by that rule (no
 * rule: held when anyone was present). */
void zb_meeting_quorum_set(zb_meeting *m, const zb_mrules *r);
/* The branch of a 党小组 from the group's path ("/1/5/23/40/" -> 23) and,
 * in *len, the length of the branch's path within it ("/1/5/23/");
 * 0 when the group has no branch (a group at the root). */
int64_t zb_meeting_group_branch(const char *group_path, size_t *len);
/* Those entitled to vote on a resolution of the meeting: the committee
 * for a committee meeting, else the members with a vote (正式党员 with a
 * vote on the meeting date: 预备党员 attend but have no 表决权 or 选举权,
 * 党章 第七条, so they are in neither the base nor the count). */
int zb_meeting_entitled(const zb_meeting *m);

/* What a resolution decides.  admission (接收预备党员) and full (预备党员
 * 转正, with 延长预备期 or 取消预备党员资格 decided in the same discussion)
 * are votes of a 支部党员大会 under 发展细则 第二十、二十一、三十三条:
 * written opinions of absent members with a vote count, and the meeting
 * needs more than half of those entitled present whatever a local quorum
 * rule says. */
enum zb_res_kind { ZB_RES_GENERAL = 0, ZB_RES_ADMISSION, ZB_RES_FULL, ZB_RES_KINDS };
/* "general" / "admission" / "full" or the Chinese names -> kind, or -1. */
int zb_res_kind_from(const char *s);
const char *zb_res_kind_code(int k);
const char *zb_res_kind_name(int k);

typedef struct zb_res_row {
	int64_t id;
	const char *title;
	int kind;                /* zb_res_kind */
	int64_t yes, no, abstain;                /* cast in the room */
	int64_t w_yes, w_no, w_abstain;          /* written opinions (书面意见) */
	int64_t created_at;
} zb_res_row;

/* Yes votes counted: in the room plus written opinions. */
int64_t zb_resolution_yes(const zb_res_row *x);
/* Whether the vote counts at all: the meeting had quorum, and for
 * admission and full more than half of those entitled were present. */
int zb_resolution_counted(const zb_meeting *m, const zb_res_row *x);
/* A resolution passes when it counts and its yes votes (written ones
 * included) meet the rule's share of those entitled (not of those
 * present). */
int zb_resolution_passed(const zb_meeting *m, const zb_mrules *r, const zb_res_row *x);

/* One written opinion: an absent member with a vote, and yes/no/abstain
 * (or 赞成/不赞成/反对/弃权). */
typedef struct zb_opinion {
	int64_t member_id;
	const char *opinion;
} zb_opinion;
/* Record a resolution and its written opinions in the caller's write
 * transaction: in-room votes at most the members with a vote present;
 * written opinions only on admission and full votes of a 支部党员大会, each
 * from a member on the 应到 list with a vote who was not present, once.
 * x->id gets the new id and x->w_* the counts.  Errors name body fields
 * ("written_opinions[2].member_id"). */
int zb_resolution_insert(zb_db *db, const zb_meeting *m, zb_res_row *x, const zb_opinion *ops, int nops,
                         int64_t by_user, int64_t now, zb_err *e);

/* 出席, 请假, 缺席 for present, leave, absent; another code as it is. */
const char *zb_att_status_name(const char *status);

typedef struct zb_attend_item {
	int64_t member_id;
	const char *status;     /* present, leave, absent */
	const char *reason;     /* required for leave */
	int guest;              /* a member of another org who took part */
	const char *name;       /* for a guest: must match the roster */
} zb_attend_item;

/* Mark people of the 应到 list.  Everyone must be on the list (error names
 * items[i].member_id), no one twice, a reason for every leave.  Only once
 * the meeting has started may anyone be marked present.  A guest item is a
 * member of another org who took part (a 流动党员 at a 流动党员党支部, a
 * member of another branch): present adds a row with on_roster 0 - no
 * vote, not in the totals or the quorum, but organisational life for that
 * member in the 自行脱党 risk count - and absent removes it; its name must
 * be the roster's.  who: the caller (NULL: no limit); a guest is found
 * only within who's member.read scope, and a missing id, a wrong name and
 * a member outside that scope are one error (items[i].name) naming
 * neither.  Recounts. */
int zb_meeting_set_attendance(zb_db *db, zb_meeting *m, const zb_mrules *r, const zb_attend_item *items, int n,
                              const zb_principal *who, int64_t now, zb_err *e);

/* A save that carries the attendance must mark everyone on the 应到 list
 * (no one is left 缺席 by omission): ZB_EINVAL, field "attendance", naming
 * up to five of those missing with their roster status (流动 ...). */
int zb_meeting_check_complete(zb_db *db, const zb_meeting *m, const zb_attend_item *items, int n, zb_err *e);

/* Back-fill window: a record may be made or changed until the end of
 * held_on + backfill_days (China time); after that only while unlocked. */
typedef struct zb_backfill {
	char deadline[11];      /* last day changes are allowed */
	int past;               /* today is after the deadline */
	int unlocked;           /* an unlock by the level above is in force */
	int locked;             /* past && !unlocked */
} zb_backfill;
void zb_meeting_backfill(const zb_meeting *m, const zb_mrules *r, int64_t now, zb_backfill *out);
/* ZB_ECONFLICT with a message naming the deadline when locked. */
int zb_meeting_check_open(const zb_meeting *m, const zb_mrules *r, int64_t now, zb_err *e);

/* ---- reading a whole record (detail view, print view) ---- */

typedef struct zb_att_row {
	int64_t member_id;
	const char *name, *category, *status, *reason, *source;
	int has_vote;
	int guest;              /* took part from another org (not on the 应到 list) */
	int64_t signed_at;      /* 0: not by QR */
	int has_loc;
	double lat, lng;
} zb_att_row;

typedef struct zb_att_file {
	int64_t id;
	const char *kind, *filename;
	int64_t size, created_at;
} zb_att_file;

typedef struct zb_meeting_full {
	zb_meeting m;
	zb_att_row *att;
	int natt;
	zb_res_row *res;
	int nres;
	const char **guests;
	int nguests;
	zb_att_file *files;
	int nfiles;
} zb_meeting_full;

/* Load a meeting with its attendance (by roster order), resolutions,
 * guests and attachments into the arena. */
int zb_meeting_load_full(zb_db *db, int64_t id, zb_arena *a, zb_meeting_full *f, zb_err *e);

/* Print view laid out like the paper 会议记录本, appended to out; every
 * user-supplied text goes through zb_esc_html.  now: the print time. */
int zb_meeting_print_html(const zb_meeting_full *f, const zb_mrules *r, int64_t now, zb_buf *out);

/* "2026-07-01 09:30" in China time. */
void zb_meeting_fmt_time(int64_t t, char out[20]);

/* Rules in force for a meeting (its org and date). */
int zb_meeting_rules(zb_db *db, const zb_meeting *m, zb_mrules *r, zb_err *e);
/* zb_meeting_get, then the rules in force for it. */
int zb_meeting_get_ruled(zb_db *db, int64_t id, zb_arena *a, zb_meeting *m, zb_mrules *r, zb_err *e);

#endif
