/* scopefind.c - which org path an object lies under, one query per kind. */
#include "org/scopefind.h"

static const char *const path_sql[ZB_OBJ_MAX] = {
	[ZB_OBJ_ORG] = "SELECT path FROM orgs WHERE id = ?",
	[ZB_OBJ_MEMBER] = "SELECT org_path FROM members WHERE id = ?",
	[ZB_OBJ_MEETING] = "SELECT o.path FROM meetings m JOIN orgs o ON o.id = m.org_id WHERE m.id = ?",
	[ZB_OBJ_IMPORT] = "SELECT o.path FROM import_batches b JOIN orgs o ON o.id = b.org_id WHERE b.id = ?",
	[ZB_OBJ_GRANT] = "SELECT o.path FROM grants g JOIN orgs o ON o.id = g.org_id WHERE g.id = ?",
	[ZB_OBJ_POST] = "SELECT o.path FROM committee_posts p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?",
	[ZB_OBJ_UNIT] = "SELECT org_path FROM units WHERE id = ?",
	[ZB_OBJ_ALLIANCE] = "SELECT org_path FROM alliances WHERE id = ?",
	[ZB_OBJ_ATTACHMENT] =
		"SELECT m.org_path FROM meeting_attachments a JOIN meetings m ON m.id = a.meeting_id WHERE a.id = ?",
	[ZB_OBJ_APPLICANT] = "SELECT org_path FROM applicants WHERE id = ?",
	[ZB_OBJ_RESERVE] = "SELECT org_path FROM reserve_cadres WHERE id = ?",
	[ZB_OBJ_DISCLOSURE] = "SELECT org_path FROM disclosures WHERE id = ?",
	[ZB_OBJ_AID_HOUSEHOLD] = "SELECT org_path FROM aid_households WHERE id = ?",
	[ZB_OBJ_AID_PAIR] = "SELECT h.org_path FROM aid_pairs p JOIN aid_households h ON h.id = p.household_id WHERE p.id = ?",
	[ZB_OBJ_AID_AREA] = "SELECT org_path FROM aid_areas WHERE id = ?",
	[ZB_OBJ_AID_VISIT] = "SELECT h.org_path FROM aid_visits v JOIN aid_households h ON h.id = v.household_id WHERE v.id = ?",
	[ZB_OBJ_AID_PHOTO] = ("SELECT h.org_path FROM aid_visit_photos p JOIN aid_visits v ON v.id = p.visit_id "
	                      "JOIN aid_households h ON h.id = v.household_id WHERE p.id = ?"),
	[ZB_OBJ_USER] = "SELECT COALESCE((SELECT o.path FROM grants g JOIN orgs o ON o.id = g.org_id "
	                "WHERE g.user_id = u.id ORDER BY length(o.path), g.id LIMIT 1), "
	                "(SELECT path FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1)) "
	                "FROM users u WHERE u.id = ?",
	[ZB_OBJ_TRANSFER] = "SELECT COALESCE(from_path, to_path) FROM transfers WHERE id = ?",
	[ZB_OBJ_TRANSFER_TO] = "SELECT COALESCE(to_path, from_path) FROM transfers WHERE id = ?",
	[ZB_OBJ_DUES_PAYMENT] = "SELECT m.org_path FROM dues_payments p JOIN members m ON m.id = p.member_id WHERE p.id = ?",
	[ZB_OBJ_DUES_REDUCTION] =
		"SELECT m.org_path FROM dues_reductions d JOIN members m ON m.id = d.member_id WHERE d.id = ?",
	[ZB_OBJ_DUNIT] = "SELECT org_path FROM dispatch_units WHERE id = ?",
	[ZB_OBJ_CADRE] = "SELECT org_path FROM cadres WHERE id = ?",
	[ZB_OBJ_VTEAM] = "SELECT org_path FROM village_teams WHERE id = ?",
	[ZB_OBJ_VPOSTING] = "SELECT org_path FROM village_postings WHERE id = ?",
	[ZB_OBJ_VLEAVE] = "SELECT org_path FROM village_absences WHERE id = ?",
	[ZB_OBJ_VFILE] = "SELECT org_path FROM village_log_files WHERE id = ?",
	[ZB_OBJ_STUDY_SESSION] = "SELECT org_path FROM study_sessions WHERE id = ?",
	[ZB_OBJ_COURSE] = "SELECT org_path FROM courses WHERE id = ?",
	[ZB_OBJ_TASK] = "SELECT org_path FROM tasks WHERE id = ?",
	[ZB_OBJ_TASK_TARGET] = "SELECT org_path FROM task_targets WHERE id = ?",
	[ZB_OBJ_TASK_FILE] = "SELECT t.org_path FROM task_files f JOIN task_targets t ON t.id = f.target_id WHERE f.id = ?",
	[ZB_OBJ_NOTICE] = "SELECT org_path FROM notices WHERE id = ?",
	[ZB_OBJ_WEAK_LISTING] = "SELECT org_path FROM weak_listings WHERE id = ?",
	[ZB_OBJ_WEAK_MEASURE] = "SELECT org_path FROM weak_measures WHERE id = ?",
	[ZB_OBJ_WEAK_PROGRESS] = "SELECT org_path FROM weak_progress WHERE id = ?",
	[ZB_OBJ_POINTS_ITEM] = "SELECT org_path FROM points_manual WHERE id = ?",
	[ZB_OBJ_DUTY_REPORT] = "SELECT org_path FROM duty_reports WHERE id = ?",
	[ZB_OBJ_DUTY_FILE] = "SELECT org_path FROM duty_report_files WHERE id = ?",
	[ZB_OBJ_VREVIEW] = "SELECT org_path FROM village_reviews WHERE id = ?",
};

typedef struct found_path {
	zb_arena *a;
	const char *path;
} found_path;

static void read_path(zb_stmt *st, void *ctx)
{
	found_path *p = ctx;
	p->path = zb_arena_strdup(p->a, zb_col_text(st, 0));
}

int zb_obj_path(zb_db *db, zb_obj kind, int64_t id, zb_arena *a, const char **path, zb_err *e)
{
	*path = NULL;
	if ((unsigned)kind >= ZB_OBJ_MAX)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：未知的范围类型");
	found_path p = {a, NULL};
	int rc = zb_db_one(db, e, NULL, read_path, &p, path_sql[kind], "i", id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (!(*path = p.path))
		return zb_fail(e, ZB_ENOTFOUND, NULL, "未找到该对象，或不在您的管理范围内");
	return 0;
}
