/* demo.h - the demo county's 村级后备干部 (called by `zhibu demo` after
 * the roster and the recruitment pipeline); what it makes: reserve/demo.c. */
#ifndef ZB_RESERVE_DEMO_H
#define ZB_RESERVE_DEMO_H

#include <stdint.h>

#include "app/app.h"
#include "core/err.h"
#include "store/db.h"

typedef struct zb_reserve_demo_result {
	int villages, people, removed;
} zb_reserve_demo_result;

/* res may be NULL. */
int zb_reserve_demo(zb_db *db, zb_app *app, uint64_t seed, zb_reserve_demo_result *res, zb_err *e);

#endif
