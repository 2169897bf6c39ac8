/* libFuzzer target: the evaluation schemes a county saves as rule data
 * (rules/rules.c kinds rating, weak_org, points, points_secretary,
 * village_work), each read from the same JSON text.
 *
 * Beyond "no crash": a refusal is ZB_EINVAL with a message and the field
 * it names; a rating scheme that passes parses, and then every indicator
 * earns between 0 and its most points at any value, a higher share never
 * earns fewer points, the stars by score stay 1 to 5, and caps never
 * allow more branches than are rated.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rating/rating.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rating(json_t *j)
{
	zb_rating_rules r;
	zb_err e = {0};
	if (zb_rating_rules_parse(j, &r, &e))
		abort(); /* validated, so it parses */
	for (int i = 0; i < r.nind; i++) {
		const zb_rind_rule *ir = &r.ind[i];
		if (ir->mode == ZB_RM_MANUAL)
			continue;
		double last = -1;
		for (int v = 0; v <= 100; v += 5) {
			/* a count (deduct) falls as it grows; a share rises */
			double p = zb_rating_points(ir, 1, ir->mode == ZB_RM_DEDUCT ? (double)(100 - v) : (double)v);
			if (p < 0 || p > ir->weight + 0.005 || p + 0.005 < last)
				abort();
			last = p;
		}
		if (zb_rating_points(ir, 0, 0) + 0.005 < ir->weight)
			abort(); /* not applicable: full points */
	}
	for (int s = -10; s <= 210; s += 7) {
		int st = zb_rating_stars_by_score(&r, s);
		if (st < 1 || st > 5)
			abort();
	}
	for (int k = 0; k < 3; k++)
		for (int n = 0; n < 50; n += 7)
			if (zb_rating_cap(r.cap_pct[k], n) > n || zb_rating_cap(r.cap_pct[k], n) < 0)
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (!j)
		return 0;
	static const char *const kinds[] = {"rating", "weak_org", "points", "points_secretary", "village_work"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		zb_err e = {0};
		int rc = zb_rules_validate(kinds[k], j, &e);
		if (rc && (rc != ZB_EINVAL || !e.msg[0]))
			abort();
		if (!rc && k == 0)
			check_rating(j);
	}
	json_decref(j);
	return 0;
}
