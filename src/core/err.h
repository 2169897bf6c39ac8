/* err.h - the one error type of zhibu.
 *
 * Every fallible function returns int: 0 (ZB_OK) on success, otherwise a
 * zb_code, and fills the caller's zb_err with a Chinese message meant for
 * end users and, where one input caused it, the name of that input field
 * (the JSON field name for API input).  zb_fail() does both in one call so
 * the idiom is `return zb_fail(e, ZB_EINVAL, "id_number", "身份证号校验位错误");`.
 * The mapping from code to HTTP status and wire name lives in err.c only.
 */
#ifndef ZB_ERR_H
#define ZB_ERR_H

#include <stddef.h>

typedef enum zb_code {
	ZB_OK = 0,
	ZB_EINVAL,        /* 400 bad input: a field is wrong */
	ZB_EJSON,         /* 400 body is not valid JSON / wrong shape */
	ZB_EAUTH,         /* 401 not logged in, or bad credentials */
	ZB_ECSRF,         /* 403 missing or wrong CSRF token */
	ZB_EFORBIDDEN,    /* 403 logged in but not allowed (non-object routes) */
	ZB_ENOTFOUND,     /* 404 no such object, or not in caller's scope */
	ZB_EMETHOD,       /* 405 method not allowed */
	ZB_ECONFLICT,     /* 409 state conflict (duplicate, locked record...) */
	ZB_ETOOBIG,       /* 413 body or file over its cap */
	ZB_EMEDIA,        /* 415 unsupported media type */
	ZB_ELOCKED,       /* 423 account locked */
	ZB_ERATE,         /* 429 too many requests */
	ZB_EDB,           /* 500 database failure */
	ZB_EINTERNAL,     /* 500 anything else */
	ZB_EUNAVAIL,      /* 503 service unavailable (db down, shutting down) */
	ZB_CODE_MAX
} zb_code;

typedef struct zb_err {
	zb_code code;
	char msg[384];   /* UTF-8, Chinese for end users */
	char field[64];  /* offending input field, "" if none */
} zb_err;

/* Fill e (may be NULL) and return code.  fmt is printf-style. */
int zb_fail(zb_err *e, zb_code code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void zb_err_clear(zb_err *e);
const char *zb_code_name(zb_code c);   /* "invalid_input", "not_found", ... */
int zb_code_http(zb_code c);           /* HTTP status for the code */

#endif
