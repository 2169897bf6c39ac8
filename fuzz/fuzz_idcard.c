/* libFuzzer target: zb_idcard_parse on arbitrary bytes.
 *
 * Beyond "no crash", checks the parser's promises: an accepted number is
 * its own normal form (parsing it again gives the same result), and a
 * rejected one leaves no partial result and always says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "member/idcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	zb_idcard c, again;
	zb_err e = {0};

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (zb_idcard_parse(s, 20241231, &c, &e) == 0) {
		if (strlen(c.number) != 18 || strlen(c.birth) != 10 ||
		    (c.gender != 'M' && c.gender != 'F'))
			abort();
		if (zb_idcard_parse(c.number, 20241231, &again, &e) != 0 ||
		    memcmp(&c, &again, sizeof c) != 0)
			abort();
	} else {
		if (c.number[0] != '\0' || e.msg[0] == '\0')
			abort();
	}
	free(s);
	return 0;
}
