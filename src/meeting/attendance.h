/* attendance.h - who took part in which meeting: one member's meetings,
 * a subtree's members with their counts, and the caller's own meetings. */
#ifndef ZB_MEETING_ATTENDANCE_H
#define ZB_MEETING_ATTENDANCE_H

#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "store/db.h"

/* One meeting a member was expected at, with the member's row. */
typedef struct zb_attended {
	int64_t meeting_id;
	int type;                         /* zb_mtype */
	const char *title, *org_name;
	int64_t start_at;
	const char *status, *reason, *source;
	int64_t signed_at;                /* signed_in: 0 when not by QR */
	int signed_in;
} zb_attended;

/* The member's meetings held in [from_ym, to_ym] and started by now,
 * newest first (at most 500). */
int zb_attended_list(zb_db *db, int64_t member_id, int from_ym, int to_ym, int64_t now, zb_arena *a,
                     zb_attended **out, int *n, zb_err *e);
/* The member's meetings, newest first, at most limit. */
int zb_attended_mine(zb_db *db, int64_t member_id, int64_t limit, zb_arena *a, zb_attended **out, int *n,
                     zb_err *e);

/* A member of a subtree with the counts of its rows in a period. */
typedef struct zb_member_att {
	int64_t member_id, org_id;
	const char *name, *org_name, *category, *status;
	int64_t present, leave, absent;
} zb_member_att;
/* The members of the subtree at root_path with id > after, by id, up to
 * limit + 1 (one more than limit: there is a next page). */
int zb_member_att_list(zb_db *db, const char *root_path, int from_ym, int to_ym, int64_t now, int64_t after,
                       int64_t limit, zb_arena *a, zb_member_att **out, int *n, zb_err *e);

#endif
