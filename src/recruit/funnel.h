/* funnel.h - 发展党员 as the county sees it: the funnel of one year over an
 * org's subtree, and the pipeline as it stands.
 *
 * The funnel counts step rows (current versions only: replaced_by NULL)
 * of applicants whose branch is in the subtree, by the year of the step's
 * date:
 *   applications  step 1  递交入党申请书
 *   activists     step 3  确定为入党积极分子
 *   candidates    step 7  确定为发展对象
 *   probationary  step 17 上级党委审批 (接收为预备党员)
 *   full          step 24 with outcome "full" (按期转为正式党员)
 * each broken down by source, age band (age in whole years on the step's
 * date: under25, 25-34, 35-44, 45-54, 55+, unknown without a birth date),
 * education (its Chinese name; "unknown" when empty) and gender (M, F,
 * unknown); per direct sub-org of the org the five counts; the share of
 * the year's new 预备党员 under 35 on the plenary date (step 15: the
 * 入党日期); and the open applicants per stage.  docs/RECRUITMENT.md
 * "County views, printables and reminders".
 */
#ifndef ZB_RECRUIT_FUNNEL_H
#define ZB_RECRUIT_FUNNEL_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "recruit/recruit.h"
#include "store/db.h"

#define ZB_RF_KINDS 5
#define ZB_RF_AGES 6
#define ZB_RF_YOUNG_AGE 35

/* "applications", "activists", "candidates", "probationary", "full" */
const char *zb_rf_kind_code(int k);
const char *zb_rf_kind_name(int k);   /* 递交入党申请书 ... */
int zb_rf_kind_step(int k);           /* 1, 3, 7, 17, 24 */
/* "under25", "25-34", "35-44", "45-54", "55+", "unknown" */
const char *zb_rf_age_code(int band);
/* The band of an age in whole years (-1: unknown). */
int zb_rf_age_band(int age);

/* A count under a key that comes from the data (a source code, an
 * education, a gender). */
typedef struct zb_rfkey {
	const char *key;
	int n;
} zb_rfkey;

typedef struct zb_rfkeys {
	zb_rfkey *v;
	int n, cap;
} zb_rfkeys;

typedef struct zb_rfstage {
	int count;
	int age[ZB_RF_AGES];
	zb_rfkeys source, education, gender;
} zb_rfstage;

typedef struct zb_rfchild {
	int64_t org_id;
	const char *name, *path;
	int count[ZB_RF_KINDS];
} zb_rfchild;

typedef struct zb_rfunnel {
	int year;
	zb_rfstage k[ZB_RF_KINDS];
	int young;                  /* of k[probationary].count: under 35 on the plenary date */
	zb_rfchild *children;       /* direct sub-orgs, in display order */
	int nchildren;
	int pipeline[ZB_RS_COUNT];  /* open applicants (closed NULL) per stage */
	int open_total;
} zb_rfunnel;

/* The funnel of `year` for the subtree of the org (id, path). */
int zb_recruit_funnel(zb_db *db, int64_t org_id, const char *org_path, int year, zb_arena *a, zb_rfunnel *out,
                      zb_err *e);

#endif
