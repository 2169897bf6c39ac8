/* api_signin.c - QR sign-in: the organiser opens a code, the member
 * previews it and signs in (meeting/signin.h). */
#include "api/api.h"
#include "meeting/mdate.h"
#include "meeting/signin.h"

#include <math.h>
#include <string.h>

static int h_signin_open(zb_req *r, zb_err *e)
{
	zb_meeting m;
	zb_mrules rules;
	int rc = zb_meeting_get_ruled(r->db, r->target_id, &r->arena, &m, &rules, e);
	if (rc)
		return rc;
	int64_t now = zb_now(r->app), exp = 0;
	char token[ZB_SIGNIN_TOKEN_LEN + 1];
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_signin_start(r->db, r->app, &by, &m, &rules, now, token, &exp, &r->arena, e)))
		return rc;
	const char *url = zb_arena_printf(&r->arena, "%s/#/signin?token=%s", zb_api_base_url(r), token);
	zb_buf svg;
	zb_buf_init(&svg, 1u << 20);
	rc = zb_qr_svg(url, &svg, e);
	if (!rc) {
		r->status = 201;
		jw_obj(&r->jw);
		jw_kint(&r->jw, "meeting_id", m.id);
		jw_kstr(&r->jw, "token", token);
		jw_kint(&r->jw, "expires_at", exp);
		jw_kstr(&r->jw, "url", url);
		jw_kstr(&r->jw, "svg", svg.data);
		jw_obj_end(&r->jw);
	}
	zb_buf_release(&svg);
	return rc;
}

static int h_signin(zb_req *r, zb_err *e)
{
	const char *token = zb_body_str(r, "token");
	json_t *jlat = json_object_get(r->json, "lat"), *jlng = json_object_get(r->json, "lng");
	int has_lat = jlat && !json_is_null(jlat), has_lng = jlng && !json_is_null(jlng);
	if (has_lat != has_lng)
		return zb_fail(e, ZB_EINVAL, has_lat ? "lng" : "lat", "位置应同时提供纬度 lat 和经度 lng，或都不提供");
	double lat = has_lat ? json_number_value(jlat) : 0, lng = has_lng ? json_number_value(jlng) : 0;
	if (has_lat && (!isfinite(lat) || lat < -90 || lat > 90))
		return zb_fail(e, ZB_EINVAL, "lat", "纬度 lat 应在 -90 到 90 之间");
	if (has_lng && (!isfinite(lng) || lng < -180 || lng > 180))
		return zb_fail(e, ZB_EINVAL, "lng", "经度 lng 应在 -180 到 180 之间");
	zb_signin_who who = {r->who->member_id, r->who->member_org_path};
	zb_meeting m;
	zb_signin_result res = {0};
	int64_t now = zb_now(r->app);
	zb_audit_ev by = zb_req_actor(r);
	int rc = zb_signin_check_in(r->db, r->app, &by, &who, token, has_lat, lat, lng, now, &r->arena, &m, &res, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kbool(&r->jw, "ok", 1);
	jw_kint(&r->jw, "meeting_id", m.id);
	jw_kstr(&r->jw, "meeting_title", m.title);
	jw_kstr(&r->jw, "title", m.title);
	jw_kstr(&r->jw, "org_name", m.org_name);
	jw_kint(&r->jw, "member_id", who.member_id);
	jw_kstr(&r->jw, "status", "present");
	jw_kint(&r->jw, "signed_in_at", res.signed_at);
	jw_obj_end(&r->jw);
	return 0;
}

/* Read a sign-in token without using it: the member sees which meeting
 * (title, org, time) before confirming. */
static int h_signin_peek(zb_req *r, zb_err *e)
{
	const char *token = zb_body_str(r, "token");
	zb_signin_who who = {r->who->member_id, r->who->member_org_path};
	zb_meeting m;
	zb_signin_peek_result p;
	int rc = zb_signin_peek(r->db, r->app->keys, &who, token, zb_now(r->app), &r->arena, &m, &p, e);
	if (rc)
		return rc;
	jw_obj(&r->jw);
	jw_kint(&r->jw, "meeting_id", m.id);
	jw_kstr(&r->jw, "title", m.title);
	jw_kstr(&r->jw, "type_name", zb_mtype_name(m.type));
	jw_kstr(&r->jw, "org_name", m.org_name);
	jw_kint(&r->jw, "start_at", m.start_at);
	if (m.end_at)
		jw_kint(&r->jw, "end_at", m.end_at);
	else
		jw_knull(&r->jw, "end_at");
	jw_kstr(&r->jw, "place", m.place);
	jw_kint(&r->jw, "expires_at", p.expires_at);
	jw_kbool(&r->jw, "expired", p.expired);
	jw_kbool(&r->jw, "on_list", p.on_list);
	if (p.signed_at)
		jw_kint(&r->jw, "signed_in_at", p.signed_at);
	else
		jw_knull(&r->jw, "signed_in_at");
	jw_obj_end(&r->jw);
	return 0;
}

/* ---- request bodies ---- */

static const zb_field signin_fields[] = {
	{"token", 's', 1, 200, "签到二维码中的令牌"},
	{"lat", 'n', 0, 0, "纬度（可选，仅作弱证据）"},
	{"lng", 'n', 0, 0, "经度（可选，仅作弱证据）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop signin_open_props[] = {
	{"meeting_id", 'i', 0, NULL, "会议编号"},
	{"token", 's', 0, NULL, "签到令牌"},
	{"expires_at", 'i', 0, NULL, "失效时间（Unix 秒）"},
	{"url", 's', 0, NULL, "二维码中的签到地址"},
	{"svg", 's', 0, NULL, "二维码图片（SVG）"},
	{0},
};
static const zb_shape signin_open = {"SigninCode", signin_open_props, 0, 0, "扫码签到二维码"};
static const zb_prop signed_in_props[] = {
	{"ok", 'b', 0, NULL, "总是 true"},
	{"meeting_id", 'i', 0, NULL, "会议编号"},
	{"meeting_title", 's', ZB_NULL, NULL, "会议标题"},
	{"title", 's', ZB_NULL, NULL, "同 meeting_title"},
	{"org_name", 's', 0, NULL, "组织名称"},
	{"member_id", 'i', 0, NULL, "签到的党员"},
	{"status", 's', 0, NULL, "present"},
	{"signed_in_at", 'i', 0, NULL, "签到时间（Unix 秒）"},
	{0},
};
static const zb_shape signed_in = {"SignedIn", signed_in_props, 0, 0, "签到成功"};
static const zb_prop signin_preview_props[] = {
	{"meeting_id", 'i', 0, NULL, "会议编号"},
	{"title", 's', 0, NULL, "会议名称"},
	{"type_name", 's', 0, NULL, "会议类型"},
	{"org_name", 's', 0, NULL, "召开会议的组织"},
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"},
	{"end_at", 'i', ZB_NULL, NULL, "结束时间（Unix 秒），未填为 null"},
	{"place", 's', ZB_NULL, NULL, "地点"},
	{"expires_at", 'i', 0, NULL, "二维码失效时间（Unix 秒）"},
	{"expired", 'b', 0, NULL, "二维码已过期"},
	{"on_list", 'b', 0, NULL, "本人在会议名单中"},
	{"signed_in_at", 'i', ZB_NULL, NULL, "本人扫码签到的时间，未签到为 null"},
	{0},
};
static const zb_shape signin_preview = {"SigninPreview", signin_preview_props, 0, 0, "签到二维码对应的会议"};

const zb_route zb_routes_signin[] = {
	{.method = "POST", .pattern = "/api/v1/meetings/{id}/signin", .fn = h_signin_open,
	 .perm = P_MEETING_WRITE, .scope = S_MEETING, .flags = R_WRITE | R_JSON, .max_body = 1024, .fields = zb_api_no_fields, .resp = ZB_CREATED(&signin_open),
	 .tag = "meetings", .summary = "开启扫码签到（生成二维码）"},
	{.method = "POST", .pattern = "/api/v1/signin/preview", .fn = h_signin_peek,
	 .perm = P_MEETING_SIGNIN, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = signin_fields, .resp = ZB_OK(&signin_preview),
	 .tag = "meetings", .summary = "查看签到二维码对应的会议（不签到）"},
	{.method = "POST", .pattern = "/api/v1/signin", .fn = h_signin,
	 .perm = P_MEETING_SIGNIN, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = signin_fields, .resp = ZB_OK(&signed_in),
	 .tag = "meetings", .summary = "党员扫码签到"},
	{0},
};
