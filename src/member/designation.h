/* designation.h - 党员先锋岗、示范岗和责任区 of one member
 * (member_designations): listed on the member's record, set up, changed
 * and removed with an audit row on the member. */
#ifndef ZB_MEMBER_DESIGNATION_H
#define ZB_MEMBER_DESIGNATION_H

#include <stdint.h>

#include "app/app.h"
#include "core/arena.h"
#include "core/err.h"
#include "member/member.h"
#include "store/db.h"

typedef struct zb_designation {
	int64_t id;
	const char *kind;          /* pioneer_post, model_post, duty_zone */
	const char *title;
	const char *started_on, *ended_on;   /* YYYY-MM-DD; ended_on NULL: open */
} zb_designation;

/* Those of member_id, newest first (started_on, then id).  In a. */
int zb_designation_list(zb_db *db, int64_t member_id, zb_arena *a, zb_designation **out, int *n, zb_err *e);
/* One of member_id; ZB_ENOTFOUND "未找到该岗位记录" when it is not. */
int zb_designation_get(zb_db *db, int64_t member_id, int64_t id, zb_arena *a, zb_designation *d, zb_err *e);

/* Writes, each in a transaction of its own with an audit row
 * ("member.designation_add", "_update", "_delete") on the member at
 * org_path.  d is checked already (the API: kind, title, dates). */
int zb_designation_add(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                       zb_designation *d, zb_err *e);
int zb_designation_update(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                          const zb_designation *d, zb_err *e);
int zb_designation_delete(zb_db *db, zb_app *app, const zb_actor *ac, int64_t member_id, const char *org_path,
                          int64_t id, zb_err *e);

#endif
