/* signin.h - QR sign-in to a meeting.
 *
 * Token (base64url, no padding, 87 characters) of 65 bytes:
 *   version 0x01 | meeting id (8, big-endian) | nonce (16 random bytes) |
 *   expires_at (8, big-endian unix seconds) | HMAC-SM3 over the first 33
 * The HMAC key is derived for this purpose only: HMAC-SM3(audit key,
 * "zhibu/meeting-signin/v1"), so a sign-in token can never be confused
 * with any other MAC the server makes.  The nonce must also be a row of
 * meeting_signins (the server issued it); sign-in refuses, each with its
 * own Chinese reason: a forged or altered token, an expired one, a
 * meeting outside its time window, a member outside the meeting's org, a
 * member not on the 应到 list, and a second sign-in.  Location is stored
 * as weak evidence only (docs/MEETINGS.md, threat model).
 */
#ifndef ZB_MEETING_SIGNIN_H
#define ZB_MEETING_SIGNIN_H

#include <stdint.h>

#include "app/app.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "core/err.h"
#include "meeting/meeting.h"
#include "store/db.h"

#define ZB_SIGNIN_TOKEN_LEN 87   /* characters, without NUL */
#define ZB_SIGNIN_RAW_LEN 65

struct zb_keys;

/* The purpose key from the app's keys (ZB_EINTERNAL without keys). */
int zb_signin_key(const struct zb_keys *k, unsigned char out[32]);

/* Encode / verify a token.  parse fails with ZB_EINVAL (field "token") for
 * anything malformed or whose MAC does not verify; it does not look at
 * the clock. */
void zb_signin_token_make(const unsigned char key[32], int64_t meeting_id, const unsigned char nonce[16],
                          int64_t expires_at, char out[ZB_SIGNIN_TOKEN_LEN + 1]);
int zb_signin_token_parse(const unsigned char key[32], const char *token, int64_t *meeting_id,
                          char nonce_hex[33], int64_t *expires_at, zb_err *e);

/* The sign-in window of a meeting: from open_before minutes before its
 * start to its end (or start + default duration when no end is set). */
void zb_signin_window(const zb_meeting *m, const zb_mrules *r, int64_t *from, int64_t *to);
/* Token lifetime in seconds: the rule, or ZHIBU_SIGNIN_TTL (seconds) when
 * set in the environment (tests). */
int64_t zb_signin_ttl(const zb_mrules *r);

/* Open a sign-in session (caller's write transaction): checks the time
 * window (ZB_ECONFLICT outside it), records the nonce and makes the token,
 * which expires at min(now + ttl, window end). */
int zb_signin_open(zb_db *db, const struct zb_keys *k, const zb_meeting *m, const zb_mrules *r, int64_t by_user,
                   int64_t now, char token[ZB_SIGNIN_TOKEN_LEN + 1], int64_t *expires_at, zb_err *e);

typedef struct zb_signin_who {
	int64_t member_id;         /* 0: the account is not linked to a member */
	const char *member_org_path;
} zb_signin_who;

typedef struct zb_signin_result {
	int64_t meeting_id;
	int64_t signin_id;
	int64_t signed_at;
} zb_signin_result;

/* Use a token (caller's write transaction): verifies everything above and
 * marks the member present with source 'qr', time and location (has_loc
 * 0: none), then recounts.  The meeting is loaded into *m (arena a). */
int zb_signin_use(zb_db *db, const struct zb_keys *k, const zb_signin_who *who, const char *token, int has_loc,
                  double lat, double lng, int64_t now, zb_arena *a, zb_meeting *m, zb_signin_result *res,
                  zb_err *e);

typedef struct zb_signin_peek_result {
	int64_t expires_at;
	int expired;               /* the token is past its expiry */
	int on_list;               /* the member has a row on the meeting */
	const char *status;        /* that row's status, or NULL */
	int64_t signed_at;         /* when signed in by QR, else 0 */
} zb_signin_peek_result;

/* Read a token without using it (the member sees which meeting before
 * confirming): the MAC and the issued nonce are checked as by
 * zb_signin_use and the meeting is loaded into *m; expiry and the
 * member's current row are reported, not refused.  Writes nothing. */
int zb_signin_peek(zb_db *db, const struct zb_keys *k, const zb_signin_who *who, const char *token, int64_t now,
                   zb_arena *a, zb_meeting *m, zb_signin_peek_result *out, zb_err *e);

/* How many sign-in codes were opened for the meeting. */
int zb_signin_count(zb_db *db, int64_t meeting_id, int64_t *n, zb_err *e);
/* zb_signin_open in a transaction of its own with the
 * "meeting.signin_open" audit row (by: the caller, as in meeting/record.h). */
int zb_signin_start(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, const zb_mrules *r,
                    int64_t now, char token[ZB_SIGNIN_TOKEN_LEN + 1], int64_t *expires_at, zb_arena *a, zb_err *e);
/* zb_signin_use in a transaction of its own with the "meeting.signin"
 * audit row. */
int zb_signin_check_in(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_signin_who *who, const char *token,
                       int has_loc, double lat, double lng, int64_t now, zb_arena *a, zb_meeting *m,
                       zb_signin_result *res, zb_err *e);

/* Render text as a QR code (libqrencode, error correction M) in SVG,
 * appended to out: black modules on white with a 4-module quiet zone. */
int zb_qr_svg(const char *text, zb_buf *out, zb_err *e);

#endif
