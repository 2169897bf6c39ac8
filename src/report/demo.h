/* demo.h - what the demo county's annual statistics count as 减少: a few
 * members who died this year, a few 出党, and some of
 * the members out of contact (失联) whose membership was suspended
 * (停止党籍), each through the member save path with its effective date
 * in this year (report/demo.c). */
#ifndef ZB_REPORT_DEMO_H
#define ZB_REPORT_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

/* Deterministic for the seed, the roster and today's date; keep: a
 * member left alone (the demo account's own record, linked later); *made:
 * the members changed (may be NULL).  Nothing on 1 January (no day of
 * the year has passed). */
int zb_report_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t keep, int *made, zb_err *e);

#endif
