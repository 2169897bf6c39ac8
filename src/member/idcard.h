/* idcard.h - Chinese resident identity numbers (GB 11643-1999).
 *
 * 18 characters: a 6-digit region code, the birth date YYYYMMDD, a 3-digit
 * sequence whose last digit is odd for men and even for women, and a
 * checksum character (ISO 7064 MOD 11-2: 0-9 or X).  The region code is
 * only checked for shape (6 digits, not starting with 0): the official list
 * changes every year and old codes stay valid on old cards.
 */
#ifndef ZB_MEMBER_IDCARD_H
#define ZB_MEMBER_IDCARD_H

#include "core/err.h"

typedef struct zb_idcard {
	char number[19]; /* normalised: 17 ASCII digits + digit or 'X' */
	char birth[11];  /* "YYYY-MM-DD" */
	char gender;     /* 'M' or 'F' */
} zb_idcard;

/* The answer to a number whose check character does not match: the same
 * text whatever the digits, so it never tells which character would pass. */
#define ZB_IDCARD_MSG_CHECKSUM "身份证号有误：号码未通过校验，请对照身份证逐位核对"

/* Parse and validate an ID number as typed by a person.
 *
 * Normalisation: leading/trailing ASCII whitespace and U+3000 (full-width
 * space) are trimmed; full-width digits and full-width X/x are accepted;
 * a final x becomes X.  Then: exactly 18 characters, X only as the last,
 * region not starting with 0, birth date a real calendar date from
 * 1900-01-01 to today_yyyymmdd inclusive (passed in so results do not depend
 * on the clock; e.g. 20240315), and a correct checksum.
 *
 * Returns 0 and fills *out, or ZB_EINVAL with field "id_number" and a
 * precise Chinese message (*out is then zeroed); a wrong check character
 * gets ZB_IDCARD_MSG_CHECKSUM, which names no digit.  in may be NULL (treated as
 * empty).  An implausible today_yyyymmdd is a caller bug: ZB_EINTERNAL. */
int zb_idcard_parse(const char *in, int today_yyyymmdd, zb_idcard *out, zb_err *e);

/* Today's local date as YYYYMMDD, for zb_idcard_parse. */
int zb_idcard_today(void);

/* Build a checksum-valid ID for tests and demo data.  region6 must be 6
 * digits and birth_yyyymmdd 8 digits (not checked as a date); otherwise
 * out is set to "".  seq3 is reduced to 0..999; its last bit is flipped if
 * needed so the number's gender is gender ('M' or 'F'; any other value
 * keeps seq3 as it is). */
void zb_idcard_make(const char *region6, const char *birth_yyyymmdd, int seq3,
		    char gender, char out[19]);

#endif
