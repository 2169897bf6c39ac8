/* signin.c - QR sign-in tokens, sessions and the QR code itself. */
#include "meeting/signin.h"
#include "auth/authz.h"
#include "crypto/fieldprot.h"
#include "crypto/sm.h"
#include "meeting/mdate.h"

#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char LABEL[] = "zhibu/meeting-signin/v1";

int zb_signin_key(const zb_keys *k, unsigned char out[32])
{
	size_t len = 0;
	const unsigned char *ak = k ? zb_keys_audit_key(k, &len) : NULL;
	if (!ak || !len)
		return ZB_EINTERNAL;
	return zb_hmac_sm3(ak, len, LABEL, sizeof LABEL - 1, out) ? ZB_EINTERNAL : 0;
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)(v & 0xff);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

void zb_signin_token_make(const unsigned char key[32], int64_t meeting_id, const unsigned char nonce[16],
                          int64_t expires_at, char out[ZB_SIGNIN_TOKEN_LEN + 1])
{
	unsigned char raw[ZB_SIGNIN_RAW_LEN];
	raw[0] = 1;
	put64(raw + 1, (uint64_t)meeting_id);
	memcpy(raw + 9, nonce, 16);
	put64(raw + 25, (uint64_t)expires_at);
	zb_hmac_sm3(key, 32, raw, 33, raw + 33);
	sodium_bin2base64(out, ZB_SIGNIN_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int zb_signin_token_parse(const unsigned char key[32], const char *token, int64_t *meeting_id, char nonce_hex[33],
                          int64_t *expires_at, zb_err *e)
{
	static const char bad[] = "签到二维码无效：不是本系统生成的，或内容已被改动。请重新扫描会议现场的二维码";
	unsigned char raw[ZB_SIGNIN_RAW_LEN + 4];
	size_t n = 0;
	if (!token || strlen(token) != ZB_SIGNIN_TOKEN_LEN ||
	    sodium_base642bin(raw, sizeof raw, token, ZB_SIGNIN_TOKEN_LEN, NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    n != ZB_SIGNIN_RAW_LEN || raw[0] != 1)
		return zb_fail(e, ZB_EINVAL, "token", bad);
	unsigned char mac[32];
	if (zb_hmac_sm3(key, 32, raw, 33, mac))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法校验签到二维码");
	if (sodium_memcmp(mac, raw + 33, 32))
		return zb_fail(e, ZB_EINVAL, "token", bad);
	*meeting_id = (int64_t)get64(raw + 1);
	sodium_bin2hex(nonce_hex, 33, raw + 9, 16);
	*expires_at = (int64_t)get64(raw + 25);
	return 0;
}

void zb_signin_window(const zb_meeting *m, const zb_mrules *r, int64_t *from, int64_t *to)
{
	*from = m->start_at - (int64_t)r->signin_before_min * 60;
	*to = m->end_at ? m->end_at : m->start_at + (int64_t)r->default_min * 60;
}

int64_t zb_signin_ttl(const zb_mrules *r)
{
	const char *env = getenv("ZHIBU_SIGNIN_TTL");
	if (env && atoi(env) > 0)
		return atoi(env);
	return (int64_t)r->signin_ttl_min * 60;
}

int zb_signin_open(zb_db *db, const zb_keys *k, const zb_meeting *m, const zb_mrules *r, int64_t by_user,
                   int64_t now, char token[ZB_SIGNIN_TOKEN_LEN + 1], int64_t *expires_at, zb_err *e)
{
	if (m->type == ZB_MT_TALK)
		return zb_fail(e, ZB_EINVAL, NULL, "谈心谈话不需要扫码签到");
	int64_t from, to;
	zb_signin_window(m, r, &from, &to);
	char a[20], b[20];
	zb_meeting_fmt_time(from, a);
	zb_meeting_fmt_time(to, b);
	if (now < from)
		return zb_fail(e, ZB_ECONFLICT, NULL, "还不能开启签到：会议开始前 %d 分钟内才能开启（%s 起）",
		               r->signin_before_min, a);
	if (now > to)
		return zb_fail(e, ZB_ECONFLICT, NULL, "会议已于 %s 结束，不能再开启签到", b);
	unsigned char key[32], nonce[16];
	if (zb_signin_key(k, key) || zb_random_bytes(nonce, sizeof nonce))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法生成签到二维码");
	int64_t exp = now + zb_signin_ttl(r);
	if (exp > to)
		exp = to;
	char hex[33];
	sodium_bin2hex(hex, sizeof hex, nonce, sizeof nonce);
	int rc = zb_db_run(db, e, NULL,
	                   "INSERT INTO meeting_signins (meeting_id, nonce, opened_by, opened_at, expires_at) "
	                   "VALUES (?, ?, ?, ?, ?)",
	                   "isIii", m->id, hex, by_user, now, exp);
	if (rc)
		return rc;
	zb_signin_token_make(key, m->id, nonce, exp, token);
	sodium_memzero(key, sizeof key);
	*expires_at = exp;
	return 0;
}

/* MAC, issued nonce, and the meeting it names (loaded into *m). */
static int token_meeting(zb_db *db, const zb_keys *k, const char *token, zb_arena *a, zb_meeting *m, int64_t *sid_out,
                         int64_t *exp_out, zb_err *e)
{
	unsigned char key[32];
	if (zb_signin_key(k, key))
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法校验签到二维码");
	int64_t mid, exp;
	char nonce[33];
	int rc = zb_signin_token_parse(key, token, &mid, nonce, &exp, e);
	sodium_memzero(key, sizeof key);
	if (rc)
		return rc;
	int64_t sid = 0;
	rc = zb_db_int(db, e, &sid, "SELECT id FROM meeting_signins WHERE nonce = ? AND meeting_id = ?", "si", nonce, mid);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (!sid)
		return zb_fail(e, ZB_EINVAL, "token", "签到二维码无效：本系统没有开启过这个签到，请重新扫描会议现场的二维码");
	if ((rc = zb_meeting_get(db, mid, a, m, e)))
		return rc;
	*sid_out = sid;
	*exp_out = exp;
	return 0;
}

/* The member's row of the meeting's attendance, if found. */
typedef struct att_row {
	zb_arena *a;
	int found;
	const char *status, *source;
	int64_t signed_at;
} att_row;

static void read_att(zb_stmt *st, void *ctx)
{
	att_row *r = ctx;
	r->found = 1;
	r->status = zb_arena_strdup(r->a, zb_col_text(st, 0));
	r->source = zb_arena_strdup(r->a, zb_col_text(st, 1));
	r->signed_at = zb_col_int(st, 2);
}

static int attendance_of(zb_db *db, const zb_meeting *m, const zb_signin_who *who, att_row *r, zb_err *e)
{
	int rc = zb_db_one(db, e, NULL, read_att, r,
	                   "SELECT status, source, signed_at FROM meeting_attendance WHERE meeting_id = ? AND member_id = ?",
	                   "ii", m->id, who->member_id);
	return rc == ZB_ENOTFOUND ? 0 : rc;
}

int zb_signin_peek(zb_db *db, const zb_keys *k, const zb_signin_who *who, const char *token, int64_t now, zb_arena *a,
                   zb_meeting *m, zb_signin_peek_result *out, zb_err *e)
{
	int64_t sid, exp;
	memset(out, 0, sizeof *out);
	int rc = token_meeting(db, k, token, a, m, &sid, &exp, e);
	if (rc)
		return rc;
	out->expires_at = exp;
	out->expired = now > exp;
	if (!who->member_id)
		return 0;
	att_row r = {.a = a};
	rc = attendance_of(db, m, who, &r, e);
	if (!rc && r.found) {
		out->on_list = 1;
		out->status = r.status;
		out->signed_at = r.source && !strcmp(r.source, "qr") ? r.signed_at : 0;
	}
	return rc;
}

int zb_signin_use(zb_db *db, const zb_keys *k, const zb_signin_who *who, const char *token, int has_loc,
                  double lat, double lng, int64_t now, zb_arena *a, zb_meeting *m, zb_signin_result *res,
                  zb_err *e)
{
	int64_t sid, exp;
	int rc = token_meeting(db, k, token, a, m, &sid, &exp, e);
	if (rc)
		return rc;
	zb_mrules r;
	if ((rc = zb_meeting_rules(db, m, &r, e)))
		return rc;
	if (now > exp)
		return zb_fail(e, ZB_ECONFLICT, "token", "签到二维码已过期，请会议组织者刷新二维码后重新扫描");
	int64_t from, to;
	zb_signin_window(m, &r, &from, &to);
	if (now < from || now > to) {
		char x[20], y[20];
		zb_meeting_fmt_time(from, x);
		zb_meeting_fmt_time(to, y);
		return zb_fail(e, ZB_ECONFLICT, "token", "现在不在会议的签到时间内（%s 至 %s）", x, y);
	}
	if (!who->member_id)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "您的账号没有关联党员信息，无法签到，请联系党务工作者");
	att_row ar = {.a = a};
	if ((rc = attendance_of(db, m, who, &ar, e)))
		return rc;
	const char *status = ar.status, *source = ar.source;
	int64_t signed_at = ar.signed_at;
	/* a group meeting belongs to the 党小组, whose members' org is the
	 * branch above it: the 应到 row is what places them there */
	if (!zb_path_within(who->member_org_path, m->org_path) && !status) {
		/* a 流动党员 takes part where they are (a 流动党员党支部, a branch
		 * where they work): signed in as a member of another org, with
		 * no vote and outside the totals, but it is their organisational
		 * life (meeting.h) */
		int64_t mobile = 0;
		if ((rc = zb_db_int(db, e, &mobile, "SELECT COUNT(*) FROM members WHERE id = ? AND status = 'mobile'", "i",
		                    who->member_id)))
			return rc;
		if (!mobile || m->type == ZB_MT_TALK || m->type == ZB_MT_COMMITTEE)
			return zb_fail(e, ZB_EFORBIDDEN, NULL, "该会议是 %s 的会议，不属于您所在的党组织，不能签到", m->org_name);
		rc = zb_db_run(db, e, NULL,
		               "INSERT INTO meeting_attendance (meeting_id, member_id, held_ym, has_vote, status, source, "
		               "signed_at, lat, lng, signin_id, updated_at, on_roster) "
		               "VALUES (?, ?, ?, 0, 'present', 'qr', ?, ?, ?, ?, ?, 0)",
		               "iiiiddii", m->id, who->member_id, (int64_t)m->held_ym, now, has_loc ? lat : 0.0,
		               has_loc ? lng : 0.0, sid, now);
		if (!rc && !has_loc)
			rc = zb_db_run(db, e, NULL,
			               "UPDATE meeting_attendance SET lat = NULL, lng = NULL WHERE meeting_id = ? AND member_id = ?",
			               "ii", m->id, who->member_id);
		if (!rc) {
			res->meeting_id = m->id;
			res->signin_id = sid;
			res->signed_at = now;
		}
		return rc;
	}
	if (!status)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "您不在本次会议（%s）的应到人员名单中，不能签到",
		               zb_mtype_name(m->type));
	if (!strcmp(status, "present")) {
		if (source && !strcmp(source, "qr") && signed_at) {
			char t[20];
			zb_meeting_fmt_time(signed_at, t);
			return zb_fail(e, ZB_ECONFLICT, "token", "您已于 %s 扫码签到，无需重复签到", t);
		}
		return zb_fail(e, ZB_ECONFLICT, "token", "会议记录中您已登记为出席，无需重复签到");
	}
	if (has_loc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE meeting_attendance SET status = 'present', reason = NULL, source = 'qr', signed_at = ?, "
		               "lat = ?, lng = ?, signin_id = ?, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
		               "iddiiii", now, lat, lng, sid, now, m->id, who->member_id);
	else
		rc = zb_db_run(db, e, NULL,
		               "UPDATE meeting_attendance SET status = 'present', reason = NULL, source = 'qr', signed_at = ?, "
		               "lat = NULL, lng = NULL, signin_id = ?, updated_at = ? WHERE meeting_id = ? AND member_id = ?",
		               "iiiii", now, sid, now, m->id, who->member_id);
	if (!rc)
		rc = zb_meeting_recount(db, m, &r, e);
	if (!rc) {
		res->meeting_id = m->id;
		res->signin_id = sid;
		res->signed_at = now;
	}
	return rc;
}

int zb_qr_svg(const char *text, zb_buf *out, zb_err *e)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法生成二维码");
	int w = q->width, size = w + 8, rc = 0;
	rc |= zb_buf_printf(out,
	                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
	                    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	                    "<path fill=\"#000\" d=\"",
	                    size, size, size * 8, size * 8, size, size);
	for (int y = 0; y < w && !rc; y++) {
		int x = 0;
		while (x < w && !rc) {
			if (!(q->data[y * w + x] & 1)) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			rc |= zb_buf_printf(out, "M%d %dh%dv1h-%dz", x + 4, y + 4, run, run);
			x += run;
		}
	}
	rc |= zb_buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	if (rc)
		return zb_fail(e, ZB_ETOOBIG, NULL, "二维码过大");
	return 0;
}

int zb_signin_count(zb_db *db, int64_t meeting_id, int64_t *n, zb_err *e)
{
	*n = 0;
	return zb_db_int(db, e, n, "SELECT COUNT(*) FROM meeting_signins WHERE meeting_id = ?", "i", meeting_id);
}

int zb_signin_start(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_meeting *m, const zb_mrules *r,
                    int64_t now, char token[ZB_SIGNIN_TOKEN_LEN + 1], int64_t *expires_at, zb_arena *a, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_signin_open(db, app->keys, m, r, by->user_id, now, token, expires_at, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "meeting.signin_open", "meeting", m->id, m->org_path,
		                     zb_arena_printf(a, "{\"expires_at\":%lld}", (long long)*expires_at), e);
	return zb_db_end(db, rc, e);
}

int zb_signin_check_in(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_signin_who *who, const char *token,
                       int has_loc, double lat, double lng, int64_t now, zb_arena *a, zb_meeting *m,
                       zb_signin_result *res, zb_err *e)
{
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	rc = zb_signin_use(db, app->keys, who, token, has_loc, lat, lng, now, a, m, res, e);
	if (!rc)
		rc = zb_audit_change(db, app, by, "meeting.signin", "meeting", m->id, m->org_path,
		                     zb_arena_printf(a, "{\"member_id\":%lld,\"signin_id\":%lld,\"location\":%s}",
		                                     (long long)who->member_id, (long long)res->signin_id,
		                                     has_loc ? "true" : "false"),
		                     e);
	return zb_db_end(db, rc, e);
}
