/* libFuzzer target: the 帮扶台账 row parser (aid/aimport.h) and the check
 * of the household it makes (zb_aid_household_check).
 *
 * The input is split at '\n' into the cells of one row, in zb_acol order
 * (户主姓名, 身份证号, 联系电话, 所在村, 村民小组, 住址, 类别, 帮扶状态,
 * 状态日期, 家庭成员, 帮扶责任人, 联系党员, 结对日期); the parity of its
 * size picks the 1900 or 1904 date system; the whole input is also a
 * header cell.  Beyond "no crash", checks the parser's promises: at most
 * ZB_AIMPORT_MAX_ERRS problems, each a message; at most 20 people, each
 * with a name and a relation; at most ZB_AIMPORT_MAX_NAMES helpers and
 * contacts, each a name; the dates real dates.  Then the check: 0 or
 * ZB_EINVAL with a message and a field; once it passes, category and
 * status are codes and the status date is not after the day given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aid/aid.h"
#include "aid/aimport.h"
#include "core/arena.h"
#include "core/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';

	zb_acol col = zb_aimport_header_col(buf);
	if (col < ZB_AC_NONE || col >= ZB_AC_COUNT)
		abort();

	zb_aimport_cells cells = {.date1904 = (int)(size % 2)};
	char *p = buf;
	for (int i = 0; i < ZB_AC_COUNT && p; i++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		cells.v[i] = *p ? p : NULL;
		p = nl ? nl + 1 : NULL;
	}

	zb_arena ar;
	zb_arena_init(&ar);
	zb_aimport_parsed out;
	const char *errs[ZB_AIMPORT_MAX_ERRS];
	int nerr = 0;
	zb_aimport_parse(&cells, &ar, &out, errs, &nerr);
	if (nerr < 0 || nerr > ZB_AIMPORT_MAX_ERRS)
		abort();
	for (int i = 0; i < nerr; i++)
		if (!errs[i] || !errs[i][0])
			abort();
	zb_aid_household *h = &out.h;
	if (h->npeople < 0 || h->npeople > 20)
		abort();
	for (int i = 0; i < h->npeople; i++)
		if (!h->people[i].name || !h->people[i].name[0] || !h->people[i].relation || !h->people[i].relation[0])
			abort();
	if (out.nhelpers < 0 || out.nhelpers > ZB_AIMPORT_MAX_NAMES || out.ncontacts < 0 ||
	    out.ncontacts > ZB_AIMPORT_MAX_NAMES)
		abort();
	for (int i = 0; i < out.nhelpers; i++)
		if (!out.helpers[i] || !out.helpers[i][0])
			abort();
	for (int i = 0; i < out.ncontacts; i++)
		if (!out.contacts[i] || !out.contacts[i][0])
			abort();
	if ((h->status_since && !zb_date_valid(h->status_since)) || (out.from_on && !zb_date_valid(out.from_on)))
		abort();

	if (!nerr && h->head_name) {
		zb_err e = {0};
		int rc = zb_aid_household_check(h, "2026-06-30", &ar, &e);
		if (rc && (rc != ZB_EINVAL || !e.msg[0] || !e.field[0]))
			abort();
		if (!rc && (!zb_aid_category_name(h->category) || !zb_aid_status_name(h->status) ||
		            !zb_date_valid(h->status_since) || strcmp(h->status_since, "2026-06-30") > 0))
			abort();
	}

	zb_arena_free(&ar);
	free(buf);
	return 0;
}
