/* libFuzzer target: the roster's text parsers on arbitrary bytes.
 *
 * The input is split at '\n' into fields and fed to the date parser, the
 * header mapper, the cleaner and zb_member_check.  Beyond "no crash",
 * checks their promises: a parsed date is a valid YYYY-MM-DD that parses
 * to itself; a cleaned value has no blank at either end; a record that
 * passes the check passes again unchanged (the check is idempotent) and
 * holds only codes; a rejected record always names a field and says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "member/import.h"
#include "member/member.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *field(char **p)
{
	if (!*p)
		return NULL;
	char *s = *p, *nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
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
	zb_arena a;
	zb_arena_init(&a);

	/* the whole input as one date / header / value */
	char d[11], d2[11];
	int prec = 0;
	if (zb_member_date_parse(buf, size % 2, d, &prec) == 0) {
		if (strlen(d) != 10 || (prec != 2 && prec != 3))
			abort();
		if (zb_member_date_parse(d, 0, d2, NULL) != 0 || strcmp(d, d2))
			abort();
	} else if (d[0]) {
		abort();
	}
	zb_icol c = zb_import_header_col(buf);
	if (c < ZB_ICOL_NONE || c >= ZB_ICOL_COUNT)
		abort();
	const char *cl = zb_member_clean(&a, buf);
	if (cl && (!*cl || cl[0] == ' ' || cl[strlen(cl) - 1] == ' '))
		abort();

	/* the input as a record, one field per line */
	char *p = buf;
	zb_member m = {0};
	m.name = field(&p);
	m.gender = field(&p);
	m.birth_date = field(&p);
	m.id_number = field(&p);
	m.category = field(&p);
	m.join_date = field(&p);
	m.full_date = field(&p);
	m.status = field(&p);
	m.education = field(&p);
	m.phone = field(&p);
	m.ethnicity = field(&p);
	m.remarks = field(&p);
	unsigned given = (unsigned)(size * 2654435761u);
	zb_member_rules rules = {.min_join_age = 18};
	zb_member_errs errs;
	zb_err e = {0};
	int rc = zb_member_check(&m, given, &rules, 20241231, &a, &errs, &e);
	if (rc) {
		if (!e.msg[0] || !e.field[0] || errs.n < 1)
			abort();
	} else {
		if (!m.name || !m.category || !m.status || !m.join_date)
			abort();
		if (strcmp(m.category, "full") && strcmp(m.category, "probationary"))
			abort();
		if (m.gender && strcmp(m.gender, "M") && strcmp(m.gender, "F"))
			abort();
		zb_member again = m;
		if (zb_member_check(&again, given, &rules, 20241231, &a, NULL, &e) != 0)
			abort();
		for (const zb_member_field *f = zb_member_fields; f->json; f++)
			if (!same(*zb_member_field_ptr(&m, f), *zb_member_field_ptr(&again, f)))
				abort();
		if (!same(m.id_number, again.id_number) || !same(m.phone, again.phone))
			abort();
	}
	zb_arena_free(&a);
	free(buf);
	return 0;
}
