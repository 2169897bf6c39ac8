/* rint.h - what the files of rectify/ share and nothing else uses. */
#ifndef ZB_RECTIFY_RINT_H
#define ZB_RECTIFY_RINT_H

#include "rectify/rectify.h"
#include "rules/rules.h"

/* The criteria of one weak_org set (s NULL: ZB_EINTERNAL). */
int zb_weak_rules_of(const zb_rule_set *s, zb_arena *a, zb_weak_rules *out, zb_err *e);

#endif
