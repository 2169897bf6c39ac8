/* print.h - the printables of one person in the 发展党员 pipeline, as
 * HTML pages with an inline print stylesheet (like the meeting record,
 * meeting/print.c): the 入党积极分子培养考察登记 record and the 发展党员公示
 * notice.  Every text that came from a user is escaped; neither page
 * carries the ID number or the phone.
 */
#ifndef ZB_RECRUIT_PRINT_H
#define ZB_RECRUIT_PRINT_H

#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

/* 入党积极分子培养考察登记: the person, the application and talk, the
 * 确定积极分子 date and how recommended, the 培养联系人, every half-year
 * 考察意见 with its date and blank rows for the next ones. */
int zb_recruit_print_record(zb_db *db, int64_t applicant_id, const char *today, zb_arena *a, zb_buf *out,
                            zb_err *e);

/* 发展党员公示: the 发展对象's facts (birth as year and month), the dates
 * of the application, 积极分子 and 发展对象, the 介绍人, and the 公示
 * period: from step 13's publicity_from, or before step 13 is recorded
 * from `from` (a date; NULL or "": today), to its publicity_workdays-th
 * working day (zb_workcal_nth); the contact line of the approving 党委
 * (the branch's nearest ancestor of type 党委).  ZB_EINVAL on field
 * "from" for a malformed date. */
int zb_recruit_print_publicity(zb_db *db, int64_t applicant_id, const char *from, const char *today, zb_arena *a,
                               zb_buf *out, zb_err *e);

#endif
