/* rrules.h - the rule kind "recruitment": the time and count rules of the
 * 发展细则 (2014) as dated rule data (recruit.h zb_recruit_rules; sources
 * and edges: docs/RULES.md "发展党员"). */
#ifndef ZB_RECRUIT_RRULES_H
#define ZB_RECRUIT_RRULES_H

#include <jansson.h>

#include "core/err.h"
#include "recruit/recruit.h"
#include "store/db.h"

/* Validator of rule kind "recruitment" (registered in rules/rules.c): every
 * key of zb_recruit_rules as an integer within the 细则 (a local set may be
 * stricter, never laxer), plus "source" text. */
int zb_recruit_rules_validate(json_t *data, zb_err *e);
/* The set in force for an org on date (the built-in default when none is
 * stored); r->source points into static text. */
int zb_recruit_rules_get(zb_db *db, const char *org_path, const char *date, zb_recruit_rules *r, zb_err *e);

#endif
