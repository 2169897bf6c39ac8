/* form.h - what the form for recording a meeting offers: the types the
 * org may record, its 党小组, the 应到 list, defaults from the last records
 * and what the rule's unit holds so far. */
#ifndef ZB_MEETING_FORM_H
#define ZB_MEETING_FORM_H

#include <stdint.h>

#include "meeting/meeting.h"

#define ZB_FORM_MAX_GROUPS 64

typedef struct zb_form_group {
	int64_t id;
	const char *name;
} zb_form_group;

typedef struct zb_meeting_form {
	const char *org_name;           /* the org asked for */
	int at_group;                   /* it is a 党小组 */
	zb_form_group groups[ZB_FORM_MAX_GROUPS]; /* of its branch (or itself) */
	int ngroups;
	int64_t committee;              /* committee members in office on the date */
	int type;                       /* zb_mtype: the one asked for or the default */
	int64_t group_id;               /* the 党小组 of a group meeting, 0: none */
	int need_group;                 /* a group meeting whose group is not chosen */
	zb_meeting m;                   /* org_id, org_name, org_path, type, held_on, held_ym */
	zb_expected_row *rows;          /* the 应到 list */
	int nrows;
	const char *secretary;          /* the branch secretary in office, or NULL */
	const char *last_recorder, *last_place;
	/* the previous meeting of the type at the org (prev_id 0: none) */
	int64_t prev_id, prev_start, prev_end;
	const char *prev_title, *prev_on, *prev_agenda, *prev_topic, *prev_host;
	zb_mfreq_item unit;             /* the rule for the type */
	int from_ym, to_ym;             /* the unit containing the date (every_months > 0) */
	int64_t held;                   /* meetings of the type recorded in it */
} zb_meeting_form;

/* The form of org_id on date (YYYY-MM-DD) for type (-1: the default) and
 * the 党小组 asked for (0: none).  ZB_ENOTFOUND for no such org,
 * ZB_ECONFLICT for a dissolved one, ZB_EINVAL (field "group") for a group
 * not of the branch. */
int zb_meeting_form_get(zb_db *db, int64_t org_id, const char *date, int type, int64_t group, zb_arena *a,
                        zb_meeting_form *f, zb_err *e);

#endif
