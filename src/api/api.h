/* api.h - route tables of each area and helpers shared by handlers. */
#ifndef ZB_API_H
#define ZB_API_H

#include "http/http.h"

extern const zb_route zb_routes_system[];
extern const zb_route zb_routes_auth[];
extern const zb_route zb_routes_users[];
extern const zb_route zb_routes_audit[];
extern const zb_route zb_routes_orgs[];
extern const zb_route zb_routes_members[];
extern const zb_route zb_routes_meetings[];
extern const zb_route zb_routes_orgstruct[];
extern const zb_route zb_routes_rules[];
extern const zb_route zb_routes_units[];

/* The members of an Org object (api_orgs.c), inside an open object. */
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

#endif
