/* demo.h - the demo county's 述职评议 and one 驻村工作队 evaluated on the
 * platform (zhibu demo, review/demo.c). */
#ifndef ZB_REVIEW_DEMO_H
#define ZB_REVIEW_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

/* After the accounts: last year's 述职 of about two thirds of the
 * county's branch secretaries, most of them graded by the county account
 * (好/较好/一般/差); this year's evaluation of team focus_team held end to
 * end (codes, votes, the five scores, the final and two outcomes), and an
 * open one of another team with its cadres' round half voted. */
int zb_review_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t county, int64_t focus_team, zb_err *e);

#endif
