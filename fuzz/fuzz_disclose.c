/* libFuzzer target: what 三务公开 reads from a user (disclose/disclose.h):
 * the search for ID and mobile numbers, periods, tables, and the public
 * page built from them.
 *
 * Beyond "no crash": a found number is named as one of the two kinds; a
 * period that parses lies within one year with its first day not after
 * its last; tables that pass the check are searched without error of any
 * other kind; and the page never carries a "<" of the text unescaped.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "disclose/disclose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	const char *what = NULL;
	if (zb_disclose_pii_find(s, 20261207, &what) && strcmp(what, "身份证号") && strcmp(what, "手机号"))
		abort();
	char unit, first[11], last[11];
	if (zb_disclose_period(s, &unit, first, last) == 0) {
		if (!zb_date_valid(first) || !zb_date_valid(last) || strcmp(first, last) > 0 || memcmp(first, last, 4))
			abort();
		if (unit != 'm' && unit != 'q' && unit != 'e')
			abort();
	}
	zb_err e = {0};
	json_t *t = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	if (t && zb_disclose_tables_check(t, &e) == 0) {
		char *text = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
		int rc = zb_disclose_pii_check("", "", text, 20261207, &e);
		if (rc && rc != ZB_EINVAL)
			abort();
		zb_village v = {.id = 1, .name = "村", .township_name = "镇"};
		zb_disclosure d = {.id = 1, .kind = "finance", .period = "2026-03", .title = s, .body = s,
		                   .tables = text, .published_on = "2026-04-01", .deadline = ""};
		/* escaped text adds no "<": the same count of them as with a
		 * plain title and text */
		zb_buf out = {0}, plain = {0};
		zb_disclose_page_html(&v, &d, 1, "2026-04-02", &out);
		d.title = d.body = "x";
		zb_disclose_page_html(&v, &d, 1, "2026-04-02", &plain);
		size_t a = 0, b = 0;
		for (const char *p = out.data; p && *p; p++)
			a += *p == '<';
		for (const char *p = plain.data; p && *p; p++)
			b += *p == '<';
		if (a != b)
			abort();
		zb_buf_release(&out);
		zb_buf_release(&plain);
		free(text);
	}
	json_decref(t);
	free(s);
	return 0;
}
