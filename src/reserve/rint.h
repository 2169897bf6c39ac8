/* rint.h - what reserve/reserve.c and reserve/pool.c share: the columns
 * of a record (with a member's fields from the roster) and their reader. */
#ifndef ZB_RESERVE_RINT_H
#define ZB_RESERVE_RINT_H

#include "reserve/reserve.h"

/* "SELECT " ZB_RESERVE_COLS "WHERE ..." reads zb_reserve_read_row's row. */
#define ZB_RESERVE_COLS                                                                                                         \
	"r.id, r.org_id, r.org_path, o.name, r.member_id, COALESCE(m.name, r.name), COALESCE(m.gender, r.gender), "     \
	"COALESCE(m.birth_date, r.birth_date), r.id_enc, r.id_index, r.id_masked, r.phone_enc, r.phone_masked, "        \
	"COALESCE(m.education, r.education), "                                                                       \
	"CASE WHEN m.id IS NULL THEN r.political WHEN m.category = 'probationary' THEN 'probationary' ELSE 'member' END, " \
	"r.source, r.entered_on, r.recommended_by, r.removed_on, r.removed_kind, r.removed_reason, r.created_at, "       \
	"r.updated_at FROM reserve_cadres r JOIN orgs o ON o.id = r.org_id LEFT JOIN members m ON m.id = r.member_id "

void zb_reserve_read_row(zb_stmt *st, zb_arena *ar, zb_reserve *r);

#endif
