/* mrules.h - meeting types and the rules of organisational life as data.
 *
 * Two dated rule-set kinds (table rule_sets, national defaults seeded by
 * migration 0005): 'meeting_freq' (how often each type must be held) and
 * 'meeting_rules' (quorum and vote thresholds, back-fill window, sign-in,
 * roster statuses, risk months, appraisal cap, talk coverage).  This module
 * parses and validates their JSON into plain structs; nothing else reads
 * rule JSON.  A stored set that fails validation is a server error
 * (ZB_EINTERNAL naming the set), because sets are validated when written.
 */
#ifndef ZB_MEETING_MRULES_H
#define ZB_MEETING_MRULES_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "store/db.h"

/* Meeting types, in display order.  Index into per-type tables. */
typedef enum zb_mtype {
	ZB_MT_PLENARY = 0,  /* 支部党员大会 */
	ZB_MT_COMMITTEE,    /* 支部委员会 */
	ZB_MT_GROUP,        /* 党小组会 */
	ZB_MT_LECTURE,      /* 党课 */
	ZB_MT_THEME_DAY,    /* 主题党日 */
	ZB_MT_LIFE_MEETING, /* 组织生活会 */
	ZB_MT_APPRAISAL,    /* 民主评议党员 */
	ZB_MT_TALK,         /* 谈心谈话 */
	ZB_MT_OTHER,        /* 其他 */
	ZB_MT_COUNT
} zb_mtype;

const char *zb_mtype_code(int t);           /* "plenary"; NULL out of range */
const char *zb_mtype_name(int t);           /* "支部党员大会" */
/* Code, Chinese name or a known alias ("life" for life_meeting) -> index,
 * or -1. */
int zb_mtype_from(const char *s);
/* Comma-separated codes for messages. */
const char *zb_mtype_codes(void);

/* A threshold: count * den > num * base (strict) or >= (not strict). */
typedef struct zb_frac {
	int num, den, strict;
} zb_frac;
/* 1 if count meets the threshold over base; base 0 never meets one. */
int zb_frac_met(int64_t count, int64_t base, zb_frac f);
/* The smallest count that meets it (base 0 -> 1, unreachable). */
int64_t zb_frac_need(int64_t base, zb_frac f);

/* 1 if threshold f is at least as demanding as floor (a larger share, or
 * the same share with "more than" where floor has it). */
int zb_frac_at_least(zb_frac f, zb_frac floor);
/* National floors (not rule data: they do not vary by locality).
 * 选举条例: 有选举权的到会人数超过应到会人数的五分之四.
 * 发展细则 第二十、二十一条: 到会和赞成都须超过应到会有表决权人数的半数. */
#define ZB_FRAC_ELECTION_MIN ((zb_frac){4, 5, 1})
#define ZB_FRAC_MORE_HALF ((zb_frac){1, 2, 1})

enum zb_mscope {
	ZB_MS_BRANCH = 0,     /* once per branch */
	ZB_MS_GROUP = 1,      /* once per 党小组 of the branch */
	ZB_MS_COMMITTEE = 2,  /* only where the branch has a committee */
};

typedef struct zb_mfreq_item {
	int every_months;   /* 0 = not required; else 1, 2, 3, 4, 6 or 12 */
	int min;            /* meetings per unit */
	int scope;          /* zb_mscope */
	int min_posts;      /* ZB_MS_COMMITTEE: posts held for a committee */
} zb_mfreq_item;

typedef struct zb_mfreq {
	int64_t set_id;
	zb_mfreq_item t[ZB_MT_COUNT];
} zb_mfreq;

#define ZB_MR_STATUSES 96

typedef struct zb_mrules {
	int64_t set_id;
	int has_quorum[ZB_MT_COUNT];
	zb_frac quorum[ZB_MT_COUNT];
	zb_frac election;               /* quorum of a plenary that elects */
	zb_frac resolution;             /* of those entitled to vote */
	int backfill_days, unlock_days;
	int signin_ttl_min, signin_before_min, default_min;
	/* ",normal,mobile," - statuses listed with commas on both sides, for
	 * SQL `? LIKE '%,' || status || ',%'` */
	char roster_statuses[ZB_MR_STATUSES];
	char no_vote_statuses[ZB_MR_STATUSES];
	char risk_statuses[ZB_MR_STATUSES];
	int risk_months[3];             /* ascending, e.g. 3, 5, 6 */
	double excellent_cap;           /* share of 优秀, 0..1 */
	int talk_committee_pairs, talk_secretary;
	char talk_members_under[32];    /* "group_or_secretary" or "secretary" */
} zb_mrules;

/* Parse and validate a set's data.  ZB_EINVAL names "data" and the key. */
int zb_mfreq_parse(json_t *data, zb_mfreq *out, zb_err *e);
int zb_mrules_parse(json_t *data, zb_mrules *out, zb_err *e);
/* Validators in the shape rules/rules.c keeps per kind. */
int zb_mfreq_validate(json_t *data, zb_err *e);
int zb_mrules_validate(json_t *data, zb_err *e);

/* The set in force for an org (by path) on a date, from the one rule
 * loader (rules/rules.h): the newest set with effective_from <= date at
 * the nearest ancestor-or-self that has one, else the national default. */
int zb_mfreq_get(zb_db *db, const char *org_path, const char *date, zb_mfreq *out, zb_err *e);
int zb_mrules_get(zb_db *db, const char *org_path, const char *date, zb_mrules *out, zb_err *e);

/* Many lookups (compliance over a subtree): a snapshot of the sets is
 * loaded once per date (zb_rules_load) and resolved per org path in
 * memory (zb_rules_for); parsed sets are kept by id.  Create with the
 * kind ("meeting_freq" or "meeting_rules"); results are copied out.  The
 * cache keeps db and must not outlive it. */
typedef struct zb_mrules_cache zb_mrules_cache;
int zb_mrules_cache_new(zb_db *db, const char *kind, zb_mrules_cache **out, zb_err *e);
void zb_mrules_cache_free(zb_mrules_cache *c);
int zb_mrules_cache_freq(zb_mrules_cache *c, const char *org_path, const char *date, zb_mfreq *out, zb_err *e);
int zb_mrules_cache_rules(zb_mrules_cache *c, const char *org_path, const char *date, zb_mrules *out, zb_err *e);

#endif
