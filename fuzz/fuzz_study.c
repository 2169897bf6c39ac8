/* libFuzzer target: the row parsers of 学习教育 (study/simport.h,
 * study/course.h): one row of the study import, one row of a quiz sheet,
 * the answer letters and the quiz score.
 *
 * The input is split at '\n' into cells: the first ZB_SC_COUNT are a study
 * import row (姓名, 学习日期, 学习内容, 学时, 类别, 举办单位, 所在支部), the
 * next nine a quiz row (题目, 题型, A..F, 答案); the parity of its size picks
 * the 1900 or 1904 date system; the whole input is also a header cell and
 * an answer.  Beyond "no crash", checks the promises: at most
 * ZB_SIMPORT_MAX_ERRS (4 for a quiz row) problems, each a message; a row
 * without problems has a real date not after the day given, hours of
 * 0.1 to 24 and a kind; a quiz row without problems has 2 to 6 options
 * and an answer of distinct letters in order among them, one letter for a
 * single choice; the score of its own key is 100, of no answer 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "study/course.h"
#include "study/simport.h"

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
	int col = zb_simport_header_col(buf);
	if (col < -1 || col >= ZB_SC_COUNT)
		abort();
	char letters[ZB_QUIZ_MAX_OPTIONS + 1];
	if (!zb_quiz_letters(buf, 6, letters) && (!letters[0] || strlen(letters) > 6))
		abort();

	const char *cells[ZB_SC_COUNT + 9] = {0};
	char *p = buf;
	for (int i = 0; i < ZB_SC_COUNT + 9 && p; i++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		cells[i] = *p ? p : NULL;
		p = nl ? nl + 1 : NULL;
	}
	zb_arena ar;
	zb_arena_init(&ar);
	const char *errs[ZB_SIMPORT_MAX_ERRS];
	int nerr = 0;
	zb_simport_parsed s;
	zb_simport_parse(cells, (int)(size % 2), "2026-06-30", &ar, &s, errs, &nerr);
	if (nerr < 0 || nerr > ZB_SIMPORT_MAX_ERRS)
		abort();
	for (int i = 0; i < nerr; i++)
		if (!errs[i] || !errs[i][0])
			abort();
	if (!nerr && (!zb_date_valid(s.held_on) || strcmp(s.held_on, "2026-06-30") > 0 || s.hours10 < 1 ||
	              s.hours10 > 240 || !s.kind || !s.name || !s.title))
		abort();

	const char *qerrs[4];
	int nq = 0;
	zb_quiz_q q;
	const char *const *c = cells + ZB_SC_COUNT;
	zb_quiz_row_parse(c[0], c[1], c + 2, c[8], &ar, &q, qerrs, &nq);
	if (nq < 0 || nq > 4)
		abort();
	if (!nq) {
		if (q.nopt < 2 || q.nopt > ZB_QUIZ_MAX_OPTIONS || !q.answer || !q.answer[0])
			abort();
		for (const char *x = q.answer; *x; x++)
			if (*x < 'A' || *x >= 'A' + q.nopt || (x[1] && x[1] <= x[0]))
				abort();
		if (!q.multiple && strlen(q.answer) != 1)
			abort();
		const char *mine[1] = {q.answer}, *none[1] = {NULL};
		if (zb_quiz_score(&q, 1, mine, 1, NULL) != 100 || zb_quiz_score(&q, 1, none, 1, NULL) != 0)
			abort();
	}
	zb_arena_free(&ar);
	free(buf);
	return 0;
}
