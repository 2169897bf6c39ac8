/* api.h - route tables of each area and helpers shared by handlers. */
#ifndef ZB_API_H
#define ZB_API_H

#include "audit/audit.h"
#include "http/http.h"

extern const zb_route zb_routes_system[];
extern const zb_route zb_routes_auth[];
extern const zb_route zb_routes_users[];
extern const zb_route zb_routes_audit[];
extern const zb_route zb_routes_orgs[];
extern const zb_route zb_routes_members[];
extern const zb_route zb_routes_meetings[];
extern const zb_route zb_routes_meeting_form[];
extern const zb_route zb_routes_attachments[];
extern const zb_route zb_routes_signin[];
extern const zb_route zb_routes_attendance[];
extern const zb_route zb_routes_appraisals[];
extern const zb_route zb_routes_probation[];
extern const zb_route zb_routes_workcal[];
extern const zb_route zb_routes_reserve[];
extern const zb_route zb_routes_explanations[];
extern const zb_route zb_routes_compliance[];
extern const zb_route zb_routes_orgstruct[];
extern const zb_route zb_routes_rules[];
extern const zb_route zb_routes_units[];
extern const zb_route zb_routes_transfers[];
extern const zb_route zb_routes_dues[];
extern const zb_route zb_routes_recruit[];
extern const zb_route zb_routes_recruit_views[];
extern const zb_route zb_routes_recruit_import[];
extern const zb_route zb_routes_village[];
extern const zb_route zb_routes_disclose[];
extern const zb_route zb_routes_aid[];
extern const zb_route zb_routes_screen[];
extern const zb_route zb_routes_study[];
extern const zb_route zb_routes_points[];
extern const zb_route zb_routes_report[];
extern const zb_route zb_routes_tasks[];
extern const zb_route zb_routes_rectify[];
extern const zb_route zb_routes_rating[];
/* The published ratings of the org's subtree summed (api_rating.c), as
 * the value written next: GET /orgs/{id}/ratings/summary and the home
 * roll-up's "ratings". */
int zb_api_rating_summary(zb_req *r, zb_err *e);
extern const zb_shape zb_shape_rating_summary;
extern const zb_route zb_routes_review[];
/* An outcome on a cadre as JSON, and its shape (api_village.c). */
struct zb_voutcome;
void zb_api_voutcome(zb_jw *w, const struct zb_voutcome *o);
extern const zb_shape zb_voutcome_shape;

/* Give the dispatcher what it asks of the API besides the route tables:
 * the scope resolvers (scope.c).  Once at start-up, before serving or
 * dispatching in process. */
void zb_api_register(void);

/* A 发展党员 reminder as an item of the 待办 calendar (kind "recruit",
 * api/api_recruit_views.c), written by the calendar of api_compliance.c. */
struct zb_ritem;
void zb_api_calendar_ritem(zb_jw *w, const struct zb_ritem *it);

/* The answer of GET /orgs/{id}/stats (api_orgstruct.c), also the "stats"
 * of the home roll-up (api_compliance.c). */
extern const zb_shape zb_org_stats_shape;

/* The members of an Org object (api_orgs.c), inside an open object;
 * ZB_ORG_PROPS are their rows in a response shape (api_orgs.c has the
 * variants with child_count and the rest). */
#define ZB_ORG_PROPS                                                                              \
	{"id", 'i', 0, NULL, "组织编号"}, {"parent_id", 'i', ZB_NULL, NULL, "上级组织（顶层为 null）"},   \
	{"path", 's', 0, NULL, "组织路径，如 /1/2/"}, {"depth", 'i', 0, NULL, "层级（顶层为 0）"},       \
	{"name", 's', 0, NULL, "全称"}, {"short_name", 's', ZB_NULL, NULL, "简称"},                      \
	{"code", 's', ZB_NULL, NULL, "组织编码"}, {"type", 's', 0, NULL, "类型代码，如 branch"},          \
	{"type_name", 's', 0, NULL, "类型名称，如 党支部"}, {"domain", 's', ZB_NULL, NULL, "所属领域代码"}, \
	{"domain_name", 's', ZB_NULL, NULL, "所属领域名称"}, {"founded_on", 'd', ZB_NULL, NULL, "成立日期"}, \
	{"address", 's', ZB_NULL, NULL, "地址"}, {"contact", 's', ZB_NULL, NULL, "联系方式"},             \
	{"dissolved_on", 'd', ZB_NULL, NULL, "撤销日期（未撤销为 null）"},                                \
	{"member_count", 'i', ZB_OPT, NULL, "组织及下级在册党员数"},                                       \
	{"full_member_count", 'i', ZB_OPT, NULL, "其中正式党员数"}
extern const zb_shape zb_shape_org;       /* the members above only */
extern const zb_shape zb_shape_post;      /* a committee post (org/committee.c zb_post_write) */
extern const zb_shape zb_shape_current_term; /* the current term in OrgDetail */
extern const zb_shape zb_shape_org_detail; /* GET /orgs/{id}: + child_count, committee, term */
struct zb_org;
void zb_api_write_org(zb_req *r, const struct zb_org *o);
/* {"user":{...}} body of a principal */
void zb_api_write_user(zb_req *r, const zb_principal *p);
/* "县委 / 镇党委 / 支部": the names along an org path that the caller may
 * read (org.read), joined by " / "; NULL if none or on a database error
 * (api_members.c). */
const char *zb_api_org_trail(zb_req *r, const char *path);
/* Paging: ?limit= (1..200, default 50) */
int zb_api_limit(zb_req *r, int64_t *limit, zb_err *e);


/* ---- api/common.c: what several handlers do alike ---- */

/* Prefix a nested check's error field with the array item it came from:
 * "status" becomes "items[3].status" (sub: a member of the item between,
 * "items[3].votes.excellent"; NULL for none). */
void zb_api_field_in(zb_err *e, const char *arr, size_t i, const char *sub);
/* The body's array `name` of objects, each checked against fields (an
 * item's error names it as above); absent or not an array: no items.  More
 * than max: ZB_EINVAL on the array with message too_many.  *arr gets the
 * array (borrowed, NULL when absent) and *n its length. */
int zb_api_items(zb_req *r, const char *name, size_t max, const char *too_many, const zb_field *fields, json_t **arr,
                 size_t *n, zb_err *e);
/* The body of a route that takes none: {} (an empty field list). */
extern const zb_field zb_api_no_fields[];
/* a / b as a share from 0 to 1; 1 when b is 0 (nothing was due). */
double zb_api_share(int a, int b);
/* Base URL of the web app as the client reached it (Host header; the
 * scheme from X-Forwarded-Proto behind a trusted proxy), or "" when the
 * header is absent or not a plain host[:port]: what the QR codes point at. */
const char *zb_api_base_url(zb_req *r);
/* A photo or PDF upload's ?filename= into *fn (NULL when absent):
 * ZB_EINVAL on "filename" when over 1000 bytes or not UTF-8. */
int zb_api_upload_filename(zb_req *r, const char **fn, zb_err *e);
/* Answer a stored photo or PDF (meeting/attach.h) of kind: the file,
 * its content type, private and not stored; a photo shown inline, a PDF
 * downloaded; named stem.<ext> with the UTF-8 name; then a read audit
 * row (action, type) of the target. */
int zb_api_stored_file(zb_req *r, const char *kind, const char *name, const char *stored, const char *stem,
                       const char *action, const char *type, zb_err *e);
/* The imports' shared request and answer (roster, pipeline, aid):
 * ?filename= cleaned into *fn (NULL when absent), ZB_EINVAL on "filename"
 * when over 200 bytes or not UTF-8; ?skip_errors= 1 or true; the commit
 * answer {"id","status":"committed","counts":{"new",["update",]
 * "unchanged","skipped"}} from done[] per zb_irow_status (member/import.h). */
/* Key k with string v, or null when v is NULL or ""; with id v, or null
 * when v is 0. */
void zb_api_kstr_or_null(zb_jw *w, const char *k, const char *v);
void zb_api_kid_or_null(zb_jw *w, const char *k, int64_t v);
/* ?full= 1 or true into *full: ID numbers and phones in clear, which
 * needs member.sensitive at path (else ZB_EFORBIDDEN on "full"). */
int zb_api_want_full(zb_req *r, const char *path, int *full, zb_err *e);
/* GET of a record with protected fields: zb_api_want_full at the target,
 * then answer(r, target_id, full, e) and a read audit row (action, type)
 * saying {"full":true|false}. */
int zb_api_get_full(zb_req *r, int (*answer)(zb_req *r, int64_t id, int full, zb_err *e), const char *action,
                    const char *type, zb_err *e);
int zb_api_import_filename(zb_req *r, const char **fn, zb_err *e);
int zb_api_skip_errors(zb_req *r);
void zb_api_import_committed(zb_req *r, const int64_t *done, int with_update);

#endif
