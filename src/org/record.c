/* record.c - what every audited write of the org module shares: the small
 * JSON detail of its audit row (the row itself: zb_audit_change, the end
 * of the transaction: zb_db_end).  Calls nothing else in org/. */
#include "org/structure.h"

#include <stdio.h>

void zb_org_detail_begin(zb_org_detail *d)
{
	zb_buf_init(&d->b, 16384);
	jw_init(&d->w, &d->b);
	jw_obj(&d->w);
}

const char *zb_org_detail_end(zb_org_detail *d, zb_arena *a)
{
	jw_obj_end(&d->w);
	const char *s = jw_finish(&d->w) ? NULL : zb_arena_strdup(a, d->b.data);
	zb_buf_release(&d->b);
	return s;
}

