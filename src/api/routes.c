/* routes.c - every route table, in the order the dispatcher tries them. */
#include "api/api.h"
#include "api/scope.h"

static const zb_route *const tables[] = {
	zb_routes_system,
	zb_routes_auth,
	zb_routes_users,
	zb_routes_audit,
	zb_routes_orgs,
	zb_routes_orgstruct,
	zb_routes_rules,
	zb_routes_units,
	zb_routes_members,
	zb_routes_meetings,
	zb_routes_meeting_form,
	zb_routes_attachments,
	zb_routes_signin,
	zb_routes_explanations,
	zb_routes_probation,
	zb_routes_attendance,
	zb_routes_appraisals,
	zb_routes_compliance,
	zb_routes_transfers,
	zb_routes_dues,
	zb_routes_recruit,
	zb_routes_recruit_views,
	zb_routes_recruit_import,
	zb_routes_workcal,
	zb_routes_reserve,
	zb_routes_village,
	zb_routes_disclose,
	zb_routes_aid,
	zb_routes_screen,
	zb_routes_study,
	zb_routes_report,
	zb_routes_tasks,
	zb_routes_rectify,
	zb_routes_points,
	zb_routes_rating,
	zb_routes_review,
	NULL,
};

void zb_api_register(void)
{
	zb_routes_register(tables);
	zb_scope_resolvers_register();
}
