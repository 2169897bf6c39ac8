/* demo.h - two years of realistic organisational-life records for
 * whatever orgs and members exist (called by `zhibu demo`).
 *
 * Every branch-type org gets, up to today, the meetings the national
 * rules ask for (主题党日, 支部委员会 where a committee exists, 党小组会
 * per group, quarterly 支部党员大会 with a resolution, two 党课 a year,
 * 组织生活会 and 民主评议党员 in December with appraisal grades, yearly
 * 谈心谈话), recorded through the meeting domain (应到 from the roster,
 * derived totals and quorum).  About four branches in five are diligent
 * (85-97% attendance); the rest are weak: missed months and quarters and
 * 50-75% attendance.  About 1% of members stopped attending 3 to 9
 * months ago (the 3/5/6-month risk list), a few of them with a
 * secretary's explanation.  Deterministic for the seed (given the same
 * orgs, members and today's date); batched in one transaction per month.
 */
#ifndef ZB_MEETING_DEMO_H
#define ZB_MEETING_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

int zb_meeting_demo(zb_db *db, zb_app *app, uint64_t seed, zb_err *e);

#endif
