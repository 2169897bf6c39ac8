/* demo.h - the demo county's 发展党员 pipeline (called by `zhibu demo`
 * after the meeting records, whose 支部党员大会 the plenary steps use).
 *
 * About two applications per 100 members a year over the last three
 * years, spread over the branches (village and community branches most,
 * some branches none), mostly people under 35 from the sources the 细则
 * names (青年农民, 返乡创业人员, 致富能手, 复转军人, 大学生, 其他), with
 * fictional checksum-valid ID numbers.  Every person is created and moved
 * along step by step through the recording functions
 * (zb_applicant_create, zb_recruit_record), so each step obeys the time
 * rules; steps 15 and 23 name a 支部党员大会 of the branch that was
 * quorate, with a resolution of kind admission / full recorded through
 * the meeting domain.  Many stay 申请人 or 积极分子, fewer become 发展对象,
 * some 预备党员 (on the roster from step 19) and a few 正式党员.  Some are
 * stalled (an overdue talk; 积极分子 for two years with no 考察), and four
 * come in as an imported 台账 would (zb_recruit_historic_write), each
 * breaking one rule, flagged.  Deterministic for the seed (given the same
 * orgs, members, meetings and today's date).
 */
#ifndef ZB_RECRUIT_DEMO_H
#define ZB_RECRUIT_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_recruit_demo_result {
	int64_t applicants, steps, flagged;
} zb_recruit_demo_result;

/* res may be NULL. */
int zb_recruit_demo(zb_db *db, zb_app *app, uint64_t seed, zb_recruit_demo_result *res, zb_err *e);

#endif
