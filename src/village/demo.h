/* demo.h - the demo county's 驻村工作 (zhibu demo, village/demo.c). */
#ifndef ZB_VILLAGE_DEMO_H
#define ZB_VILLAGE_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_village_demo_result {
	int units, cadres, required, teams, first_secretaries, absences, logs, evaluations, recalls, outcomes;
	int64_t focus_org, focus_team, focus_cadre; /* the village of focus_org (always required, with a team) */
} zb_village_demo_result;

/* Fill the demo county (org 1) after the roster, meetings and the rest:
 * focus_org (a village branch, the demo's 村党支部书记 account's) is
 * always among the villages with a 第一书记, whose cadre the demo's
 * 第一书记 account is linked to. */
int zb_village_demo(zb_db *db, zb_app *app, uint64_t seed, int64_t focus_org, zb_village_demo_result *res,
                    zb_err *e);

#endif
