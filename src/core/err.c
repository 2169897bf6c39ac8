#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int http;
} codes[ZB_CODE_MAX] = {
	[ZB_OK] = {"ok", 200},
	[ZB_EINVAL] = {"invalid_input", 400},
	[ZB_EJSON] = {"invalid_json", 400},
	[ZB_EAUTH] = {"unauthenticated", 401},
	[ZB_ECSRF] = {"csrf_failed", 403},
	[ZB_EFORBIDDEN] = {"forbidden", 403},
	[ZB_ENOTFOUND] = {"not_found", 404},
	[ZB_EMETHOD] = {"method_not_allowed", 405},
	[ZB_ECONFLICT] = {"conflict", 409},
	[ZB_ETOOBIG] = {"too_large", 413},
	[ZB_EMEDIA] = {"unsupported_media_type", 415},
	[ZB_ELOCKED] = {"account_locked", 423},
	[ZB_ERATE] = {"rate_limited", 429},
	[ZB_EDB] = {"database_error", 500},
	[ZB_EINTERNAL] = {"internal_error", 500},
	[ZB_EUNAVAIL] = {"unavailable", 503},
};

int zb_fail(zb_err *e, zb_code code, const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	return code;
}

void zb_err_clear(zb_err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

const char *zb_code_name(zb_code c)
{
	return (c >= 0 && c < ZB_CODE_MAX && codes[c].name) ? codes[c].name : "internal_error";
}

int zb_code_http(zb_code c)
{
	return (c >= 0 && c < ZB_CODE_MAX && codes[c].http) ? codes[c].http : 500;
}
