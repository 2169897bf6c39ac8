/* scope.h - the API's scope resolvers (scope.c): how each scope kind of
 * the route tables finds the org path of the object a request targets,
 * for the dispatcher's permission-in-scope check. */
#ifndef ZB_SCOPE_H
#define ZB_SCOPE_H

#include "http/http.h"

/* zb_scope_register every kind the route tables use (zb_api_register). */
void zb_scope_resolvers_register(void);

#endif
