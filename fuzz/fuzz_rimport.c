/* libFuzzer target: the 发展党员台账 row parser (recruit/rimport.h) and the
 * rules an imported history is judged by (zb_recruit_check_historic).
 *
 * The input is split at '\n' into the cells of one row, in zb_rcol order
 * (姓名, 性别, 公民身份号码, 出生日期 ... 转正日期); the parity of its size
 * picks the 1900 or 1904 date system; the whole input is also a header
 * cell.  Beyond "no crash", checks the parser's promises: at most 16
 * steps and 12 problems, each problem a message; steps in number order,
 * each dated YYYY-MM-DD, step 1 first and on the application date, no step
 * without an application date; 培养联系人 dated with 积极分子 and
 * 介绍人 with 发展对象, every named person a name.  Then each step is
 * judged against those before it, as the import does: 0, ZB_EINVAL or
 * ZB_ECONFLICT, a refusal always with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "recruit/recruit.h"
#include "recruit/rimport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *date_of(const zb_rstep_input *s, int n, int step)
{
	for (int i = 0; i < n; i++)
		if (s[i].step == step)
			return s[i].done_on;
	return NULL;
}

static void judge(const zb_applicant *a, const zb_rstep_input *in, int n)
{
	zb_recruit_rules r;
	zb_recruit_rules_default(&r);
	zb_rstep_rec done[16];
	zb_rperson people[16][8];
	zb_rcase c = {.birth_date = a->birth_date, .applied_on = a->applied_on, .done = done,
	              .probation_months = 12, .ext_min = 6, .ext_max = 12};
	for (int i = 0; i < n; i++) {
		zb_rstep_rec s = {.step = in[i].step, .done_on = in[i].done_on, .conclusion = in[i].conclusion,
		                  .recommended_by = in[i].recommended_by, .people = people[i]};
		for (int k = 0; k < in[i].npeople && k < 8; k++) {
			/* every other person on the roster, some of them 预备党员 */
			int on = (k + i) % 2 == 0;
			people[i][k] = (zb_rperson){.member_id = on ? k + 1 : 0, .name = in[i].people[k].name,
			                            .category = on ? (k % 3 ? "full" : "probationary") : NULL,
			                            .full_date = on && k % 3 ? "2010-07-01" : NULL, .status = on ? "normal" : NULL,
			                            .on_roster = on};
			s.npeople = k + 1;
		}
		if (in[i].step == 24)
			s.outcome = ZB_RO_FULL;
		zb_err e = {0};
		int rc = zb_recruit_check_historic(&r, &c, &s, "2030-01-01", &e);
		if (rc && rc != ZB_EINVAL && rc != ZB_ECONFLICT)
			abort();
		if (rc && !e.msg[0])
			abort();
		if (rc == ZB_EINVAL)
			return; /* the row cannot be imported: nothing after it is judged */
		done[c.ndone++] = s;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096)
		return 0;
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';

	zb_rcol col = zb_rimport_header_col(buf);
	if (col < ZB_RC_NONE || col >= ZB_RC_COUNT)
		abort();

	zb_rimport_cells cells = {.date1904 = (int)(size % 2)};
	char *p = buf;
	for (int i = 0; i < ZB_RC_COUNT && p; i++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		cells.v[i] = p;
		p = nl ? nl + 1 : NULL;
	}

	zb_arena ar;
	zb_arena_init(&ar);
	zb_applicant a = {0};
	unsigned given = 0;
	zb_rstep_input steps[16];
	const char *errs[12];
	int n = -1, nerr = 0;
	zb_rimport_parse(&cells, &ar, &a, &given, steps, &n, errs, &nerr);
	if (n < 0 || n > 16 || nerr < 0 || nerr > 12)
		abort();
	for (int i = 0; i < nerr; i++)
		if (!errs[i] || !errs[i][0])
			abort();
	if (n && (!a.applied_on || steps[0].step != 1 || strcmp(steps[0].done_on, a.applied_on)))
		abort();
	if (!a.applied_on && n)
		abort();
	for (int i = 0; i < n; i++) {
		if (!steps[i].done_on || strlen(steps[i].done_on) != 10 || !zb_date_valid(steps[i].done_on))
			abort();
		if (i && steps[i].step <= steps[i - 1].step)
			abort();
		for (int k = 0; k < steps[i].npeople; k++)
			if (!steps[i].people[k].name || !steps[i].people[k].name[0])
				abort();
	}
	const char *d3 = date_of(steps, n, 3), *d5 = date_of(steps, n, 5);
	const char *d7 = date_of(steps, n, 7), *d9 = date_of(steps, n, 9);
	if ((d5 && (!d3 || strcmp(d3, d5))) || (d9 && (!d7 || strcmp(d7, d9))))
		abort();
	if (a.birth_date && !zb_date_valid(a.birth_date))
		abort();

	if (!nerr)
		judge(&a, steps, n);

	zb_arena_free(&ar);
	free(buf);
	return 0;
}
