/* scope.h - find the org path of the object a request targets, for the
 * dispatcher's permission-in-scope check.  A missing object is ZB_ENOTFOUND,
 * answered exactly like an object outside the caller's scope. */
#ifndef ZB_SCOPE_H
#define ZB_SCOPE_H

#include "http/http.h"

int zb_scope_resolve(zb_req *r, zb_scope s, zb_err *e);

#endif
