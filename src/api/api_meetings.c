/* api_meetings.c - meeting records over HTTP: the list, the record with
 * its attendance and resolutions (one save or step by step), edits, the
 * back-fill unlock, the print view, and 谈心谈话 with its coverage.  The
 * form context is api_meeting_form.c, attachments api_attach.c, QR sign-in
 * api_signin.c, attendance per member api_attendance.c, 民主评议
 * api_appraisal.c (compliance, the calendar and the risk lists:
 * api_compliance.c).
 * The domain is src/meeting/ (the audited writes: meeting/record.h);
 * handlers parse, call it and write JSON (docs/API.md).
 */
#include "api/api.h"
#include "core/escape.h"
#include "crypto/sm.h"
#include "meeting/appraisal.h"
#include "meeting/attach.h"
#include "meeting/mdate.h"
#include "meeting/meeting.h"
#include "meeting/record.h"
#include "meeting/signin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The org of a grant holding P_MEETING_UNLOCK at a strict ancestor of
 * path ("the level above"), or 0. */
static int64_t unlock_grant_org(const zb_req *r, const char *path)
{
	for (int i = 0; r->who && i < r->who->ngrants; i++) {
		const zb_grant *g = &r->who->grants[i];
		if ((g->perms & P_MEETING_UNLOCK) && zb_path_within(path, g->org_path) && strcmp(path, g->org_path))
			return g->org_id;
	}
	return 0;
}

static void write_quorum(zb_jw *w, const zb_meeting *m, const zb_mrules *r)
{
	int has, base, present;
	zb_frac f;
	zb_meeting_quorum_rule(m, r, &has, &f, &base, &present);
	jw_kobj(w, "quorum");
	jw_kstr(w, "rule", !has ? NULL : m->is_election ? "election" : zb_mtype_code(m->type));
	if (has) {
		jw_kint(w, "num", f.num);
		jw_kint(w, "den", f.den);
		jw_kbool(w, "strict", f.strict);
	}
	jw_kint(w, "base", base);
	jw_kint(w, "present", present);
	jw_kint(w, "need", m->quorum_need);
	jw_kbool(w, "ok", m->quorum_ok);
	jw_obj_end(w);
}

static void write_summary(zb_jw *w, const zb_meeting *m)
{
	jw_kint(w, "id", m->id);
	jw_kint(w, "org_id", m->org_id);
	jw_kstr(w, "org_name", m->org_name);
	jw_kstr(w, "type", zb_mtype_code(m->type));
	jw_kstr(w, "type_name", zb_mtype_name(m->type));
	jw_kstr(w, "title", m->title);
	jw_kint(w, "start_at", m->start_at);
	if (m->end_at)
		jw_kint(w, "end_at", m->end_at);
	else
		jw_knull(w, "end_at");
	jw_kstr(w, "held_on", m->held_on);
	jw_kstr(w, "place", m->place);
	jw_kstr(w, "topic", m->topic);
	jw_kbool(w, "is_election", m->is_election);
	jw_kint(w, "expected_count", m->expected);
	jw_kint(w, "present_count", m->present);
	jw_kint(w, "leave_count", m->leave);
	jw_kint(w, "absent_count", m->absent);
	jw_kint(w, "voters", m->voters);
	jw_kint(w, "present_voters", m->present_voters);
	jw_kbool(w, "quorum_ok", m->quorum_ok);
	if (m->type == ZB_MT_TALK) {
		jw_karr(w, "participants");
		jw_obj(w);
		if (m->talk_a_id)
			jw_kint(w, "member_id", m->talk_a_id);
		else
			jw_knull(w, "member_id");
		jw_kstr(w, "name", m->talk_a_name);
		jw_obj_end(w);
		jw_obj(w);
		if (m->talk_b_id)
			jw_kint(w, "member_id", m->talk_b_id);
		else
			jw_knull(w, "member_id");
		jw_kstr(w, "name", m->talk_b_name);
		jw_obj_end(w);
		jw_arr_end(w);
	}
}

static void write_resolution(zb_jw *w, const zb_meeting *m, const zb_mrules *r, const zb_res_row *x)
{
	jw_obj(w);
	jw_kint(w, "id", x->id);
	jw_kstr(w, "title", x->title);
	jw_kint(w, "yes", x->yes);
	jw_kint(w, "no", x->no);
	jw_kint(w, "abstain", x->abstain);
	jw_kstr(w, "kind", zb_res_kind_code(x->kind));
	jw_kstr(w, "kind_name", zb_res_kind_name(x->kind));
	jw_kobj(w, "written");
	jw_kint(w, "yes", x->w_yes);
	jw_kint(w, "no", x->w_no);
	jw_kint(w, "abstain", x->w_abstain);
	jw_obj_end(w);
	jw_kint(w, "yes_total", zb_resolution_yes(x));
	jw_kint(w, "entitled", zb_meeting_entitled(m));
	jw_kint(w, "need", zb_frac_need(zb_meeting_entitled(m), r->resolution));
	jw_kbool(w, "counted", zb_resolution_counted(m, x));
	jw_kbool(w, "passed", zb_resolution_passed(m, r, x));
	jw_obj_end(w);
}

/* The full record as JSON (detail view and answers to writes). */
static int write_detail(zb_req *r, int64_t id, zb_err *e)
{
	zb_meeting_full f;
	zb_mrules rules;
	int rc = zb_meeting_load_full(r->db, id, &r->arena, &f, e);
	if (!rc)
		rc = zb_meeting_rules(r->db, &f.m, &rules, e);
	if (rc)
		return rc;
	const zb_meeting *m = &f.m;
	zb_backfill b;
	zb_meeting_backfill(m, &rules, zb_now(r->app), &b);
	int64_t signins = 0;
	if ((rc = zb_signin_count(r->db, id, &signins, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	write_summary(w, m);
	jw_kbool(w, "signin_opened", signins > 0);
	jw_kstr(w, "org_path", m->org_path);
	jw_kstr(w, "host", m->host);
	jw_kstr(w, "recorder", m->recorder);
	jw_kstr(w, "speaker", m->speaker);
	jw_kstr(w, "agenda", m->agenda);
	jw_kstr(w, "minutes", m->minutes);
	jw_karr(w, "guests");
	for (int i = 0; i < f.nguests; i++)
		jw_str(w, f.guests[i]);
	jw_arr_end(w);
	write_quorum(w, m, &rules);
	jw_karr(w, "attendance");
	for (int i = 0; i < f.natt; i++) {
		const zb_att_row *a = &f.att[i];
		jw_obj(w);
		jw_kint(w, "member_id", a->member_id);
		jw_kstr(w, "name", a->name);
		jw_kstr(w, "category", a->category);
		jw_kbool(w, "has_vote", a->has_vote);
		jw_kbool(w, "guest", a->guest);
		/* a row nobody marked yet: 未签到 once QR sign-in is open */
		int unmarked = a->source && !strcmp(a->source, "roster");
		jw_kstr(w, "status", a->status);
		jw_kstr(w, "status_name", unmarked ? (signins ? "未签到" : "未登记") : zb_att_status_name(a->status));
		jw_kbool(w, "unmarked", unmarked);
		jw_kstr(w, "reason", a->reason);
		jw_kstr(w, "source", a->source);
		if (a->signed_at)
			jw_kint(w, "signed_in_at", a->signed_at);
		else
			jw_knull(w, "signed_in_at");
		if (a->has_loc) {
			jw_kobj(w, "location");
			jw_kdouble(w, "lat", a->lat);
			jw_kdouble(w, "lng", a->lng);
			jw_kstr(w, "evidence", "weak");
			jw_obj_end(w);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_karr(w, "resolutions");
	for (int i = 0; i < f.nres; i++)
		write_resolution(w, m, &rules, &f.res[i]);
	jw_arr_end(w);
	jw_karr(w, "attachments");
	for (int i = 0; i < f.nfiles; i++) {
		jw_obj(w);
		jw_kint(w, "id", f.files[i].id);
		jw_kstr(w, "kind", f.files[i].kind);
		jw_kstr(w, "content_type", zb_attach_content_type(f.files[i].kind));
		jw_kstr(w, "filename", f.files[i].filename);
		jw_kint(w, "size", f.files[i].size);
		jw_kstr(w, "url", zb_arena_printf(&r->arena, "/api/v1/attachments/%lld", (long long)f.files[i].id));
		jw_kint(w, "created_at", f.files[i].created_at);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kobj(w, "backfill");
	jw_kstr(w, "deadline", b.deadline);
	jw_kint(w, "days", rules.backfill_days);
	jw_kbool(w, "past", b.past);
	jw_kbool(w, "locked", b.locked);
	if (m->unlocked_until)
		jw_kint(w, "unlocked_until", m->unlocked_until);
	else
		jw_knull(w, "unlocked_until");
	jw_obj_end(w);
	jw_kbool(w, "locked", b.locked);
	jw_kint(w, "created_at", m->created_at);
	jw_kint(w, "updated_at", m->updated_at);
	jw_obj_end(w);
	return 0;
}

static const zb_field guest_field[] = {{"name", 's', 1, 100, "列席人员"}, {0}};

static int read_guests(zb_req *r, const char ***out, int *n, zb_err *e)
{
	*out = NULL;
	*n = 0;
	json_t *a = json_object_get(r->json, "guests");
	if (!a || json_is_null(a))
		return 0;
	if (json_array_size(a) > 50)
		return zb_fail(e, ZB_EINVAL, "guests", "列席人员最多 50 人");
	*out = zb_arena_alloc(&r->arena, sizeof **out * (json_array_size(a) + 1));
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
	{
		const char *s = json_string_value(v);
		json_t *obj = json_is_object(v) ? v : NULL;
		if (obj) {
			if (zb_json_check(obj, guest_field, e)) {
				zb_api_field_in(e, "guests", i, NULL);
				return e->code;
			}
			s = json_string_value(json_object_get(obj, "name"));
		}
		if (!s || !*s || strlen(s) > 100 || !zb_utf8_valid(s, strlen(s))) {
			char f[48];
			snprintf(f, sizeof f, "guests[%zu]", i);
			return zb_fail(e, ZB_EINVAL, f, "列席人员应为姓名（1 到 100 字节的文字）");
		}
		(*out)[(*n)++] = zb_arena_strdup(&r->arena, s);
	}
	return 0;
}

/* participants: [{"member_id":1},{"name":"王五"}] (or bare ids / names) */
static int read_participants(zb_req *r, zb_meeting *m, zb_err *e)
{
	json_t *a = json_object_get(r->json, "participants");
	if (!a || json_is_null(a))
		return 0;
	if (json_array_size(a) != 2)
		return zb_fail(e, ZB_EINVAL, "participants", "谈心谈话应填写两个人：[{\"member_id\":…},{\"member_id\":… 或 \"name\":…}]");
	for (size_t i = 0; i < 2; i++) {
		json_t *v = json_array_get(a, i);
		int64_t id = 0;
		const char *name = NULL;
		if (json_is_integer(v))
			id = json_integer_value(v);
		else if (json_is_string(v))
			name = json_string_value(v);
		else if (json_is_object(v)) {
			json_t *mid = json_object_get(v, "member_id"), *nm = json_object_get(v, "name");
			const char *k;
			json_t *x;
			json_object_foreach(v, k, x) if (strcmp(k, "member_id") && strcmp(k, "name")) return zb_fail(
				e, ZB_EINVAL, "participants", "不认识的字段：participants[%zu].%s", i, k);
			if (json_is_integer(mid))
				id = json_integer_value(mid);
			else if (mid && !json_is_null(mid))
				return zb_fail(e, ZB_EINVAL, "participants", "participants[%zu].member_id 应为整数", i);
			if (json_is_string(nm))
				name = json_string_value(nm);
		}
		if ((!id && (!name || !*name)) || id < 0 || (name && (strlen(name) > 100 || !zb_utf8_valid(name, strlen(name)))))
			return zb_fail(e, ZB_EINVAL, "participants", "participants[%zu] 应为党员编号或姓名", i);
		if (i == 0) {
			m->talk_a_id = id;
			m->talk_a_name = id ? NULL : zb_arena_strdup(&r->arena, name);
		} else {
			m->talk_b_id = id;
			m->talk_b_name = id ? NULL : zb_arena_strdup(&r->arena, name);
		}
	}
	return 0;
}

/* Apply the editable fields present in the body to m. */
static int read_fields(zb_req *r, zb_meeting *m, int creating, zb_err *e)
{
	if (zb_body_has(r, "type")) {
		m->type = zb_mtype_from(zb_body_str(r, "type"));
		if (m->type < 0)
			return zb_fail(e, ZB_EINVAL, "type", "会议类型无效：应为 %s 或中文名称（如 支部党员大会）", zb_mtype_codes());
	}
	int64_t v;
	if (zb_body_int(r, "start_at", &v))
		m->start_at = v;
	if (zb_body_has(r, "end_at"))
		m->end_at = zb_body_int(r, "end_at", &v) ? v : 0;
	if (zb_body_has(r, "is_election"))
		m->is_election = json_is_true(json_object_get(r->json, "is_election"));
#define TXT(f)                                \
	if (zb_body_has(r, #f)) {             \
		m->f = zb_body_str(r, #f);    \
		if (m->f && !*m->f)           \
			m->f = NULL;          \
	}
	TXT(title)
	TXT(place)
	TXT(host)
	TXT(recorder)
	TXT(speaker)
	TXT(topic)
	TXT(agenda)
	TXT(minutes)
#undef TXT
	if (zb_body_has(r, "participants")) {
		m->talk_a_id = m->talk_b_id = 0;
		m->talk_a_name = m->talk_b_name = NULL;
		int rc = read_participants(r, m, e);
		if (rc)
			return rc;
	}
	if (creating && m->type == ZB_MT_TALK && !m->talk_a_id && !m->talk_a_name)
		return zb_fail(e, ZB_EINVAL, "participants", "谈心谈话应填写谈话双方（participants）");
	return 0;
}

static int check_future(const zb_meeting *m, int64_t now, zb_err *e)
{
	if (m->start_at > now + 366 * 86400)
		return zb_fail(e, ZB_EINVAL, "start_at", "开始时间不能晚于一年以后");
	return 0;
}

static const zb_field att_item_fields[] = {
	{"member_id", 'i', 1, 0, "党员编号"},
	{"status", 's', 1, 16, "present 出席 / leave 请假 / absent 缺席"},
	{"reason", 's', 0, 300, "请假原因（请假时必填）"},
	{"name", 's', 0, 100, "姓名（外单位参加人员须与花名册一致；其他情况忽略）"},
	{"guest", 'b', 0, 0, "外单位党员参加（如流动党员在流动党员党支部、列席的其他支部党员）"},
	{0},
};

/* items of an attendance array (body field arr) into the arena */
static int read_att_items(zb_req *r, const char *arr_name, zb_attend_item **out, size_t *nout, zb_err *e)
{
	json_t *arr;
	size_t n;
	*out = NULL;
	*nout = 0;
	int rc = zb_api_items(r, arr_name, 2000, "一次最多登记 2000 人", att_item_fields, &arr, &n, e);
	if (rc)
		return rc;
	zb_attend_item *items = zb_arena_alloc(&r->arena, sizeof *items * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(arr, i);
		items[i].member_id = json_integer_value(json_object_get(it, "member_id"));
		items[i].status = json_string_value(json_object_get(it, "status"));
		items[i].reason = json_string_value(json_object_get(it, "reason"));
		items[i].guest = json_is_true(json_object_get(it, "guest"));
		items[i].name = json_string_value(json_object_get(it, "name"));
	}
	*out = items;
	*nout = n;
	return 0;
}

static const zb_field create_res_fields[] = {
	{"title", 's', 1, 500, "决议事项"},
	{"kind", 's', 0, 40, "general / admission / full"},
	{"yes", 'i', 1, 0, "赞成票"},
	{"no", 'i', 1, 0, "反对票"},
	{"abstain", 'i', 1, 0, "弃权票"},
	{0},
};

/* The digest of a save for its client key: the JSON object without the
 * key (sorted, compact) and each file's name and content, in order. */
static int save_digest(zb_req *r, char out[65], zb_err *e)
{
	json_t *copy = json_deep_copy(r->json);
	if (copy)
		json_object_del(copy, "client_key");
	char *text = copy ? json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(copy);
	zb_hmac_sm3_ctx *c = NULL;
	unsigned char md[ZB_SM3_LEN];
	static const char label[] = "zhibu meeting save";
	int bad = !text || zb_hmac_sm3_init(&c, label, sizeof label - 1) || zb_hmac_sm3_update(c, text, strlen(text) + 1);
	for (int i = 0; !bad && i < r->nfiles; i++) {
		const zb_part *p = &r->files[i];
		unsigned char n[8];
		uint64_t len = p->data.len;
		for (int k = 0; k < 8; k++)
			n[k] = (unsigned char)(len >> (8 * k));
		bad = zb_hmac_sm3_update(c, p->filename, strlen(p->filename) + 1) || zb_hmac_sm3_update(c, n, sizeof n) ||
		      zb_hmac_sm3_update(c, p->data.data ? p->data.data : "", p->data.len);
	}
	if (!bad)
		bad = zb_hmac_sm3_final(c, md);
	zb_hmac_sm3_free(c);
	free(text);
	if (bad)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内部错误：无法计算提交内容的摘要");
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < ZB_SM3_LEN; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

/* A retry of a save already made (same client key, same content):
 * answer 200 with that record and write nothing. */
static int replay_save(zb_req *r, int64_t id, zb_err *e)
{
	r->status = 200;
	return write_detail(r, id, e);
}

/* The photos and PDFs of a form save, all checked before anything is
 * written: a refused file names itself. */
static int check_files(zb_req *r, zb_err *e)
{
	for (int i = 0; i < r->nfiles; i++) {
		const zb_part *p = &r->files[i];
		const char *kind;
		char name[ZB_ATTACH_NAME_MAX + 1];
		int rc = 0;
		if (strlen(p->filename) > 1000 || !zb_utf8_valid(p->filename, strlen(p->filename)))
			rc = zb_fail(e, ZB_EINVAL, NULL, "文件名无效");
		else
			rc = zb_attach_check(p->data.data, p->data.len, &kind, e);
		if (rc) {
			zb_attach_clean_name(p->filename, name, sizeof name);
			char why[sizeof e->msg], field[32];
			memcpy(why, e->msg, sizeof why);
			snprintf(field, sizeof field, "files[%d]", i);
			return zb_fail(e, rc, field, "第 %d 个文件（%s）：%s", i + 1, name, why);
		}
	}
	return 0;
}

/* POST /meetings as a form: the record and up to ZB_FORM_MAX_FILES photos
 * of the paper minutes in one request.  The cap covers the files; the
 * upload guard counts the declared length before a byte is read. */
#define MEETING_SAVE_MAX_BYTES (ZB_FORM_JSON_MAX + 3u * ZB_ATTACH_MAX_BYTES)

/* A guest entry refused because no member within the caller's scope has
 * that id and name (zb_meeting_set_attendance): a failed guess, audited
 * like a scope denial (rate-limited, http/guard.c). */
static int guest_miss(const zb_err *e)
{
	size_t n = strlen(e->field);
	return !strncmp(e->field, "items[", 6) && n > 6 && !strcmp(e->field + n - 6, "].name");
}

static int h_create(zb_req *r, zb_err *e)
{
	const char *client_key = zb_body_str(r, "client_key");
	char digest[65] = "";
	int64_t prior = 0;
	int rc;
	if (client_key) {
		if (!zb_meeting_key_valid(client_key))
			return zb_fail(e, ZB_EINVAL, "client_key", "client_key 应为 UUID（如 0f8fad5b-d9cb-469f-a165-70867728950e）");
		if ((rc = save_digest(r, digest, e)))
			return rc;
		rc = zb_meeting_key_find(r->db, r->target_id, client_key, digest, &prior, e);
		if (!rc)
			return replay_save(r, prior, e);
		if (rc != ZB_ENOTFOUND)
			return rc;
	}
	zb_meeting m = {0};
	m.org_id = r->target_id;
	m.type = -1;
	rc = read_fields(r, &m, 1, e);
	const char **guests;
	int ng;
	if (!rc)
		rc = read_guests(r, &guests, &ng, e);
	if (!rc)
		rc = zb_meeting_check(r->db, &m, &r->arena, e);
	int64_t now = zb_now(r->app);
	if (!rc)
		rc = check_future(&m, now, e);
	zb_mrules rules;
	if (!rc)
		rc = zb_meeting_rules(r->db, &m, &rules, e);
	if (rc)
		return rc;
	/* past the back-fill window only the level above may add a record;
	 * it is then locked like any other late record until unlocked */
	zb_backfill b;
	zb_meeting_backfill(&m, &rules, now, &b);
	int64_t above = 0;
	if (b.past) {
		above = unlock_grant_org(r, m.org_path);
		if (!above)
			return zb_fail(e, ZB_ECONFLICT, "start_at",
			               "会议日期 %s 已超过补录期限（会议后 %d 天内，截至 %s），请联系上级组织补录", m.held_on,
			               rules.backfill_days, b.deadline);
	}
	/* the attendance and resolutions of the form, saved with the record
	 * in the same transaction: a refused save leaves nothing behind */
	zb_attend_item *items = NULL;
	size_t nitems = 0;
	int has_att = zb_body_has(r, "attendance") && !json_is_null(json_object_get(r->json, "attendance"));
	if (has_att && (rc = read_att_items(r, "attendance", &items, &nitems, e)))
		return rc;
	if (has_att && m.type == ZB_MT_TALK)
		return zb_fail(e, ZB_EINVAL, "attendance", "谈心谈话的参加人就是谈话双方，无需登记出席");
	json_t *ra;
	size_t nres;
	if ((rc = zb_api_items(r, "resolutions", 50, "一次最多记录 50 项决议", create_res_fields, &ra, &nres, e)))
		return rc;
	zb_res_row *res = zb_arena_alloc(&r->arena, sizeof *res * (nres + 1));
	for (size_t i = 0; i < nres; i++) {
		json_t *it = json_array_get(ra, i);
		res[i].title = json_string_value(json_object_get(it, "title"));
		res[i].yes = json_integer_value(json_object_get(it, "yes"));
		res[i].no = json_integer_value(json_object_get(it, "no"));
		res[i].abstain = json_integer_value(json_object_get(it, "abstain"));
		const char *kind = json_string_value(json_object_get(it, "kind"));
		res[i].kind = kind ? zb_res_kind_from(kind) : ZB_RES_GENERAL;
	}
	if (nres && now < m.start_at)
		return zb_fail(e, ZB_EINVAL, "resolutions", "会议尚未开始，不能记录表决结果");
	if (nres && m.type == ZB_MT_TALK)
		return zb_fail(e, ZB_EINVAL, "resolutions", "谈心谈话没有决议");
	if ((rc = check_files(r, e)))
		return rc;
	zb_attach_in *files = zb_arena_alloc(&r->arena, sizeof *files * (size_t)(r->nfiles + 1));
	for (int i = 0; i < r->nfiles; i++)
		files[i] = (zb_attach_in){r->files[i].filename, r->files[i].data.data, r->files[i].data.len};
	zb_meeting_new in = {
		.client_key = client_key, .digest = digest, .guests = guests, .nguests = ng,
		.has_att = has_att, .att = items, .natt = (int)nitems, .res = res, .nres = (int)nres,
		.files = files, .nfiles = r->nfiles, .late = above != 0,
	};
	zb_audit_ev by = zb_req_actor(r);
	int64_t id = 0;
	int replayed = 0;
	rc = zb_meeting_create(r->db, r->app, &by, r->who, &m, &rules, &in, now, &r->arena, &id, &replayed, e);
	if (rc == ZB_EINVAL && has_att && guest_miss(e))
		zb_deny_audit(r, "scope", 400);
	if (rc && has_att && !strncmp(e->field, "items", 5)) {
		char f[sizeof e->field];
		snprintf(f, sizeof f, "attendance%.40s", e->field + 5);
		memcpy(e->field, f, sizeof f);
	}
	if (rc)
		return rc;
	if (replayed)
		return replay_save(r, id, e);
	r->status = 201;
	return write_detail(r, id, e);
}

static int h_get(zb_req *r, zb_err *e)
{
	int rc = write_detail(r, r->target_id, e);
	if (!rc)
		zb_req_audit_read(r, "meeting.read", "meeting", r->target_id, r->target_path, NULL);
	return rc;
}

static int h_patch(zb_req *r, zb_err *e)
{
	zb_meeting old, m;
	zb_mrules rules;
	int late;
	int rc = zb_meeting_open_change(r->db, r->target_id, zb_now(r->app), &r->arena, &old, &rules, &late, e);
	if (rc)
		return rc;
	m = old;
	const char **guests = NULL;
	int ng = 0;
	if ((rc = read_fields(r, &m, 0, e)))
		return rc;
	if (zb_body_has(r, "guests") && (rc = read_guests(r, &guests, &ng, e)))
		return rc;
	if (zb_body_has(r, "guests") && !guests)
		guests = zb_arena_alloc(&r->arena, sizeof *guests); /* null: clear */
	if ((rc = zb_meeting_check(r->db, &m, &r->arena, e)))
		return rc;
	int64_t now = zb_now(r->app);
	if ((rc = check_future(&m, now, e)))
		return rc;
	zb_mrules nrules;
	if ((rc = zb_meeting_rules(r->db, &m, &nrules, e)))
		return rc;
	if (strcmp(m.held_on, old.held_on)) {
		zb_backfill b;
		zb_meeting_backfill(&m, &nrules, now, &b);
		if (b.locked)
			return zb_fail(e, ZB_ECONFLICT, "start_at", "新的会议日期 %s 已超过补录期限（截至 %s），请联系上级组织",
			               m.held_on, b.deadline);
		late |= b.past;
	}
	/* the audit row names the fields sent */
	const char **fields = zb_arena_alloc(&r->arena, sizeof *fields * (json_object_size(r->json) + 1));
	int nf = 0;
	const char *k;
	json_t *v;
	json_object_foreach(r->json, k, v) fields[nf++] = k;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_meeting_change(r->db, r->app, &by, &old, &m, &nrules, guests, ng, fields, nf, late, now, e)))
		return rc;
	return write_detail(r, m.id, e);
}

static int h_attendance(zb_req *r, zb_err *e)
{
	zb_meeting m;
	zb_mrules rules;
	int late;
	int rc = zb_meeting_open_change(r->db, r->target_id, zb_now(r->app), &r->arena, &m, &rules, &late, e);
	if (rc)
		return rc;
	zb_attend_item *items;
	size_t n;
	if ((rc = read_att_items(r, "items", &items, &n, e)))
		return rc;
	zb_audit_ev by = zb_req_actor(r);
	rc = zb_meeting_attend(r->db, r->app, &by, r->who, &m, &rules, items, (int)n, late, zb_now(r->app), &r->arena, e);
	if (rc == ZB_EINVAL && guest_miss(e))
		zb_deny_audit(r, "scope", 400);
	if (rc)
		return rc;
	return write_detail(r, m.id, e);
}

static const zb_field opinion_fields[] = {
	{"member_id", 'i', 1, 0, "未到会的有表决权党员"},
	{"opinion", 's', 1, 16, "yes 赞成 / no 不赞成 / abstain 弃权"},
	{"name", 's', 0, 100, "姓名（忽略，仅便于阅读）"},
	{0},
};

static int h_resolution(zb_req *r, zb_err *e)
{
	zb_meeting m;
	zb_mrules rules;
	int late;
	int rc = zb_meeting_open_change(r->db, r->target_id, zb_now(r->app), &r->arena, &m, &rules, &late, e);
	if (rc)
		return rc;
	int64_t now = zb_now(r->app);
	if (now < m.start_at)
		return zb_fail(e, ZB_EINVAL, NULL, "会议尚未开始，不能记录表决结果");
	if (m.type == ZB_MT_TALK)
		return zb_fail(e, ZB_EINVAL, NULL, "谈心谈话没有决议");
	zb_res_row x = {0};
	x.title = zb_body_str(r, "title");
	zb_body_int(r, "yes", &x.yes);
	zb_body_int(r, "no", &x.no);
	zb_body_int(r, "abstain", &x.abstain);
	const char *kind = zb_body_str(r, "kind");
	x.kind = kind ? zb_res_kind_from(kind) : ZB_RES_GENERAL;
	/* written opinions: [{member_id, opinion}] */
	json_t *wa;
	size_t nops;
	if ((rc = zb_api_items(r, "written_opinions", 1000, "书面意见最多 1000 份", opinion_fields, &wa, &nops, e)))
		return rc;
	zb_opinion *ops = zb_arena_alloc(&r->arena, sizeof *ops * (nops + 1));
	for (size_t i = 0; i < nops; i++) {
		json_t *it = json_array_get(wa, i);
		ops[i].member_id = json_integer_value(json_object_get(it, "member_id"));
		ops[i].opinion = json_string_value(json_object_get(it, "opinion"));
	}
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_meeting_resolve(r->db, r->app, &by, &m, &rules, &x, ops, (int)nops, late, now, &r->arena, e)))
		return rc;
	r->status = 201;
	write_resolution(&r->jw, &m, &rules, &x);
	return 0;
}

/* ?after= "<start_at>.<id>" of the last item of the previous page */
static int h_list(zb_req *r, zb_err *e)
{
	int64_t limit;
	if (zb_api_limit(r, &limit, e))
		return e->code;
	const char *type = zb_req_query(r, "type"), *from = zb_req_query(r, "from"), *to = zb_req_query(r, "to");
	const char *after = zb_req_query(r, "after");
	if (type && !*type)
		type = NULL;
	if (type) {
		int t = zb_mtype_from(type);
		if (t < 0)
			return zb_fail(e, ZB_EINVAL, "type", "会议类型无效：应为 %s", zb_mtype_codes());
		type = zb_mtype_code(t);
	}
	if (from && !*from)
		from = NULL;
	if (to && !*to)
		to = NULL;
	if (from && !zb_date_valid(from))
		return zb_fail(e, ZB_EINVAL, "from", "起始日期无效（应为 YYYY-MM-DD）");
	if (to && !zb_date_valid(to))
		return zb_fail(e, ZB_EINVAL, "to", "截止日期无效（应为 YYYY-MM-DD）");
	int64_t a_start = INT64_MAX, a_id = INT64_MAX;
	if (after && *after) {
		char *end;
		long long s = strtoll(after, &end, 10);
		if (*end != '.' || s <= 0)
			return zb_fail(e, ZB_EINVAL, "after", "翻页参数 after 无效，请从第一页重新查询");
		long long i = strtoll(end + 1, &end, 10);
		if (*end || i <= 0)
			return zb_fail(e, ZB_EINVAL, "after", "翻页参数 after 无效，请从第一页重新查询");
		a_start = s;
		a_id = i;
	}
	zb_meeting_filter f = {type, from, to, a_start, a_id, limit};
	zb_meeting *v;
	int n;
	int64_t total = 0;
	int rc = zb_meeting_list(r->db, r->target_path, &f, &r->arena, &v, &n, &total, e);
	if (rc)
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n && i < limit; i++) {
		jw_obj(&r->jw);
		write_summary(&r->jw, &v[i]);
		jw_obj_end(&r->jw);
	}
	const char *next = n > limit ? zb_arena_printf(&r->arena, "%lld.%lld", (long long)v[limit - 1].start_at,
	                                               (long long)v[limit - 1].id)
	                             : NULL;
	zb_list_end(r, total, next);
	/* titles of talks name people */
	zb_req_audit_read(r, "meeting.list", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_unlock(zb_req *r, zb_err *e)
{
	zb_meeting m;
	zb_mrules rules;
	int rc = zb_meeting_get_ruled(r->db, r->target_id, &r->arena, &m, &rules, e);
	if (rc)
		return rc;
	int64_t by_org = unlock_grant_org(r, m.org_path);
	if (!by_org)
		return zb_fail(e, ZB_EFORBIDDEN, NULL, "解锁须由上级组织办理：您的解锁权限不在 %s 的上级组织", m.org_name);
	int64_t now = zb_now(r->app), days = rules.unlock_days;
	if (zb_body_int(r, "days", &days) && (days < 1 || days > 30))
		return zb_fail(e, ZB_EINVAL, "days", "解锁天数应为 1 到 30 天");
	zb_backfill b;
	zb_meeting_backfill(&m, &rules, now, &b);
	if (!b.past)
		return zb_fail(e, ZB_ECONFLICT, NULL, "该记录仍在补录期限内（截至 %s），无需解锁", b.deadline);
	const char *reason = zb_body_str(r, "reason");
	int64_t until = now + days * 86400;
	zb_audit_ev by = zb_req_actor(r);
	if ((rc = zb_meeting_unlock(r->db, r->app, &by, &m, by_org, reason, b.deadline, until, now, e)))
		return rc;
	return write_detail(r, m.id, e);
}

static int h_print(zb_req *r, zb_err *e)
{
	zb_meeting_full f;
	zb_mrules rules;
	int rc = zb_meeting_load_full(r->db, r->target_id, &r->arena, &f, e);
	if (!rc)
		rc = zb_meeting_rules(r->db, &f.m, &rules, e);
	if (rc)
		return rc;
	zb_buf_reset(&r->out);
	if (zb_meeting_print_html(&f, &rules, zb_now(r->app), &r->out))
		return zb_fail(e, ZB_EINTERNAL, NULL, "记录过大，无法生成打印页");
	r->content_type = "text/html; charset=utf-8";
	zb_req_audit_read(r, "meeting.print", "meeting", r->target_id, r->target_path, NULL);
	return 0;
}

static int talk_year(zb_req *r, int *year, zb_err *e)
{
	char today[11];
	zb_today(r->app, today);
	int64_t y;
	if (zb_req_query_int(r, "year", atoi(today), 2000, atoi(today), &y, e))
		return e->code;
	*year = (int)y;
	return 0;
}

static int h_talks(zb_req *r, zb_err *e)
{
	int year;
	int rc = talk_year(r, &year, e);
	if (rc)
		return rc;
	zb_meeting *v;
	int n;
	if ((rc = zb_meeting_talks(r->db, r->target_path, year, &r->arena, &v, &n, e)))
		return rc;
	zb_list_begin(r);
	for (int i = 0; i < n; i++) {
		jw_obj(&r->jw);
		write_summary(&r->jw, &v[i]);
		jw_kstr(&r->jw, "notes", v[i].minutes);
		jw_obj_end(&r->jw);
	}
	zb_list_end(r, n, NULL);
	zb_req_audit_read(r, "meeting.talks", "org", r->target_id, r->target_path, NULL);
	return 0;
}

static int h_talk_coverage(zb_req *r, zb_err *e)
{
	int year;
	int rc = talk_year(r, &year, e);
	if (!rc)
		rc = zb_appraisal_branch_only(r->db, r->target_id, &r->arena, e);
	if (rc)
		return rc;
	char today[11];
	zb_today(r->app, today);
	zb_mrules rules;
	if ((rc = zb_mrules_get(r->db, r->target_path, today, &rules, e)))
		return rc;
	zb_talk_coverage c;
	if ((rc = zb_talk_coverage_compute(r->db, r->target_id, r->target_path, year, today, &rules, &r->arena, &c, e)))
		return rc;
	zb_jw *w = &r->jw;
	jw_obj(w);
	jw_kint(w, "org_id", r->target_id);
	jw_kint(w, "year", year);
	if (c.secretary_id)
		jw_kint(w, "secretary_id", c.secretary_id);
	else
		jw_knull(w, "secretary_id");
	jw_kint(w, "committee_size", c.ncommittee);
	jw_kstr(w, "members_under", rules.talk_members_under);
	jw_kint(w, "required", c.npairs);
	jw_kint(w, "done", c.ndone);
	jw_kbool(w, "ok", c.ndone == c.npairs && (c.secretary_id || !c.ncommittee));
	jw_kdouble(w, "rate", zb_api_share(c.ndone, c.npairs));
	jw_karr(w, "missing");
	for (int i = 0; i < c.npairs; i++) {
		if (c.pairs[i].done)
			continue;
		jw_obj(w);
		jw_kint(w, "a_id", c.pairs[i].a_id);
		jw_kstr(w, "a_name", c.pairs[i].a_name);
		jw_kint(w, "b_id", c.pairs[i].b_id);
		jw_kstr(w, "b_name", c.pairs[i].b_name);
		jw_kstr(w, "kind", c.pairs[i].kind);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
	zb_req_audit_read(r, "meeting.talk_coverage", "org", r->target_id, r->target_path, NULL);
	return 0;
}

/* ---- request bodies ---- */

static const zb_field meeting_fields[] = {
	{"org_id", 'i', 1, 0, "召开会议的组织（党小组会为党小组）"},
	{"type", 's', 1, 32, "plenary/committee/group/lecture/theme_day/life_meeting/appraisal/talk/other 或中文名"},
	{"title", 's', 0, 200, "会议名称（不填则按日期和类型）"},
	{"start_at", 'i', 1, 0, "开始时间（Unix 秒）"},
	{"end_at", 'i', 0, 0, "结束时间（Unix 秒）"},
	{"place", 's', 0, 200, "地点"},
	{"host", 's', 0, 100, "主持人"},
	{"recorder", 's', 0, 100, "记录人"},
	{"speaker", 's', 0, 100, "授课人（党课必填）"},
	{"topic", 's', 0, 2000, "议题"},
	{"agenda", 's', 0, 4000, "议程"},
	{"minutes", 's', 0, 65536, "会议记录（谈心谈话为谈话要点）"},
	{"guests", 'a', 0, 0, "列席人员姓名"},
	{"is_election", 'b', 0, 0, "是否选举（仅支部党员大会）"},
	{"participants", 'a', 0, 0, "谈心谈话双方：[{\"member_id\"} 或 {\"name\"}] ×2"},
	{"attendance", 'a', 0, 0, "出席情况 [{member_id, status, reason}]，须包括应到名单中的每一位；与会议记录在同一事务中保存"},
	{"resolutions", 'a', 0, 0, "决议 [{title, kind, yes, no, abstain}]，与会议记录在同一事务中保存"},
	{"client_key", 's', 0, 36, "本次保存的幂等键（UUID，每份草稿生成一次）：重试同一保存得到同一条记录，不会重复"},
	{0},
};
static const zb_field meeting_patch_fields[] = {
	{"type", 's', 0, 32, "会议类型"},
	{"title", 's', 0, 200, "会议名称"},
	{"start_at", 'i', 0, 0, "开始时间（Unix 秒）"},
	{"end_at", 'i', 0, 0, "结束时间（Unix 秒）"},
	{"place", 's', 0, 200, "地点"},
	{"host", 's', 0, 100, "主持人"},
	{"recorder", 's', 0, 100, "记录人"},
	{"speaker", 's', 0, 100, "授课人"},
	{"topic", 's', 0, 2000, "议题"},
	{"agenda", 's', 0, 4000, "议程"},
	{"minutes", 's', 0, 65536, "会议记录"},
	{"guests", 'a', 0, 0, "列席人员姓名"},
	{"is_election", 'b', 0, 0, "是否选举"},
	{"participants", 'a', 0, 0, "谈心谈话双方"},
	{0},
};
static const zb_field attendance_fields[] = {
	{"items", 'a', 1, 0, "[{member_id, status: present/leave/absent, reason}]"},
	{0},
};
static const zb_field resolution_fields[] = {
	{"title", 's', 1, 500, "决议事项"},
	{"kind", 's', 0, 40, "表决事项：general（一般事项）、admission（接收预备党员）、full（预备党员转正）"},
	{"yes", 'i', 1, 0, "赞成票（到会表决）"},
	{"no", 'i', 1, 0, "反对票（到会表决）"},
	{"abstain", 'i', 1, 0, "弃权票（到会表决）"},
	{"written_opinions", 'a', 0, 0, "未到会有表决权党员会前提交的书面意见 [{member_id, opinion: yes/no/abstain}]"},
	{0},
};
static const zb_field unlock_fields[] = {
	{"reason", 's', 1, 500, "解锁原因"},
	{"days", 'i', 0, 0, "解锁天数（默认按规则）"},
	{0},
};

/* ---- response shapes ---- */

static const zb_prop participant_props[] = {
	{"member_id", 'i', ZB_NULL, NULL, "党员编号（不在花名册中为 null）"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{0},
};
static const zb_shape participant = {NULL, participant_props, 0, 0, NULL};
/* write_summary() */
#define SUMMARY_PROPS                                                                                   \
	{"id", 'i', 0, NULL, "会议编号"}, {"org_id", 'i', 0, NULL, "召开会议的组织"},                         \
	{"org_name", 's', 0, NULL, "组织名称"}, {"type", 's', 0, NULL, "会议类型代码，如 plenary"},           \
	{"type_name", 's', 0, NULL, "会议类型名称，如 支部党员大会"}, {"title", 's', ZB_NULL, NULL, "标题"},    \
	{"start_at", 'i', 0, NULL, "开始时间（Unix 秒）"}, {"end_at", 'i', ZB_NULL, NULL, "结束时间（Unix 秒）"}, \
	{"held_on", 'd', ZB_NULL, NULL, "召开日期"}, {"place", 's', ZB_NULL, NULL, "地点"},                   \
	{"topic", 's', ZB_NULL, NULL, "主题"}, {"is_election", 'b', 0, NULL, "是否选举会议"},                  \
	{"expected_count", 'i', 0, NULL, "应到人数"}, {"present_count", 'i', 0, NULL, "实到人数"},            \
	{"leave_count", 'i', 0, NULL, "请假人数"}, {"absent_count", 'i', 0, NULL, "缺席人数"},                 \
	{"voters", 'i', 0, NULL, "有表决权的人数"}, {"present_voters", 'i', 0, NULL, "到会的有表决权人数"},   \
	{"quorum_ok", 'b', 0, NULL, "到会人数达到规定"},                                                       \
	{"participants", 'a', ZB_OPT, &participant, "谈心谈话的双方（仅谈心谈话）"}
static const zb_prop meeting_item_props[] = {
	SUMMARY_PROPS,
	{0},
};
static const zb_shape meeting_item = {"MeetingItem", meeting_item_props, 0, 0, "会议记录（列表中）"};
ZB_LIST_COUNTED(meeting_list, "MeetingList", &meeting_item);
static const zb_prop quorum_props[] = {
	{"rule", 's', ZB_NULL, NULL, "适用的到会规则（没有规则为 null）"},
	{"num", 'i', ZB_OPT, NULL, "比例分子"},
	{"den", 'i', ZB_OPT, NULL, "比例分母"},
	{"strict", 'b', ZB_OPT, NULL, "须超过（而非达到）比例"},
	{"base", 'i', 0, NULL, "计算基数"},
	{"present", 'i', 0, NULL, "到会人数"},
	{"need", 'i', 0, NULL, "至少应到人数"},
	{"ok", 'b', 0, NULL, "达到规定"},
	{0},
};
static const zb_shape quorum = {NULL, quorum_props, 0, 0, NULL};
static const zb_prop location_props[] = {
	{"lat", 'n', 0, NULL, "纬度"},
	{"lng", 'n', 0, NULL, "经度"},
	{"evidence", 's', 0, NULL, "证据强度：weak（手机自报）"},
	{0},
};
static const zb_shape location = {NULL, location_props, 0, 0, NULL};
static const zb_prop attendee_props[] = {
	{"member_id", 'i', 0, NULL, "党员编号"},
	{"name", 's', ZB_NULL, NULL, "姓名"},
	{"category", 's', ZB_NULL, NULL, "full 或 probationary"},
	{"has_vote", 'b', 0, NULL, "有表决权"},
	{"guest", 'b', 0, NULL, "列席（不属本组织）"},
	{"status", 's', 0, NULL, "present、leave 或 absent"},
	{"status_name", 's', ZB_NULL, NULL, "出席、请假、缺席；尚未登记的为 未登记（开启扫码签到后为 未签到）"},
	{"unmarked", 'b', 0, NULL, "尚无人登记（状态为 absent 但未确认）"},
	{"reason", 's', ZB_NULL, NULL, "请假或缺席原因"},
	{"source", 's', ZB_NULL, NULL, "登记方式：manual、qr"},
	{"signed_in_at", 'i', ZB_NULL, NULL, "扫码签到时间（Unix 秒）"},
	{"location", 'o', ZB_OPT, &location, "签到位置（手机提供时）"},
	{0},
};
static const zb_shape attendee = {"Attendee", attendee_props, 0, 0, "出席情况"};
static const zb_prop votes3_props[] = {
	{"yes", 'i', 0, NULL, "赞成"},
	{"no", 'i', 0, NULL, "反对"},
	{"abstain", 'i', 0, NULL, "弃权"},
	{0},
};
static const zb_shape votes3 = {NULL, votes3_props, 0, 0, NULL};
static const zb_prop resolution_props[] = {
	{"id", 'i', 0, NULL, "决议编号"},
	{"title", 's', 0, NULL, "决议事项"},
	{"yes", 'i', 0, NULL, "到会赞成"},
	{"no", 'i', 0, NULL, "到会反对"},
	{"abstain", 'i', 0, NULL, "到会弃权"},
	{"kind", 's', 0, NULL, "决议类别代码"},
	{"kind_name", 's', ZB_NULL, NULL, "决议类别名称"},
	{"written", 'o', 0, &votes3, "书面表决"},
	{"yes_total", 'i', 0, NULL, "赞成总数"},
	{"entitled", 'i', 0, NULL, "有表决权的人数"},
	{"need", 'i', 0, NULL, "通过所需赞成票"},
	{"counted", 'b', 0, NULL, "表决有效"},
	{"passed", 'b', 0, NULL, "通过"},
	{0},
};
static const zb_shape resolution = {"Resolution", resolution_props, 0, 0, "决议与表决"};
static const zb_prop attachment_props[] = {
	{"id", 'i', 0, NULL, "附件编号"},
	{"kind", 's', 0, NULL, "jpeg、png 或 pdf"},
	{"content_type", 's', 0, NULL, "媒体类型"},
	{"filename", 's', ZB_NULL, NULL, "文件名"},
	{"size", 'i', 0, NULL, "字节数"},
	{"url", 's', 0, NULL, "下载地址"},
	{"created_at", 'i', 0, NULL, "上传时间（Unix 秒）"},
	{0},
};
static const zb_shape attachment = {"Attachment", attachment_props, 0, 0, "会议附件"};
static const zb_prop backfill_props[] = {
	{"deadline", 'd', ZB_NULL, NULL, "补录截止日期"},
	{"days", 'i', 0, NULL, "补录期限（天）"},
	{"past", 'b', 0, NULL, "已过补录期限"},
	{"locked", 'b', 0, NULL, "已锁定（须上级解锁才能修改）"},
	{"unlocked_until", 'i', ZB_NULL, NULL, "上级解锁至（Unix 秒）"},
	{0},
};
static const zb_shape backfill = {NULL, backfill_props, 0, 0, NULL};
static const zb_prop meeting_props[] = {
	SUMMARY_PROPS,
	{"signin_opened", 'b', 0, NULL, "开启过扫码签到"},
	{"org_path", 's', 0, NULL, "组织路径"},
	{"host", 's', ZB_NULL, NULL, "主持人"},
	{"recorder", 's', ZB_NULL, NULL, "记录人"},
	{"speaker", 's', ZB_NULL, NULL, "主讲人"},
	{"agenda", 's', ZB_NULL, NULL, "议程"},
	{"minutes", 's', ZB_NULL, NULL, "会议记录"},
	{"guests", 'a', 0, &zb_shape_string, "列席人员"},
	{"quorum", 'o', 0, &quorum, "到会人数是否符合规定"},
	{"attendance", 'a', 0, &attendee, "出席情况"},
	{"resolutions", 'a', 0, &resolution, "决议与表决"},
	{"attachments", 'a', 0, &attachment, "照片和 PDF"},
	{"backfill", 'o', 0, &backfill, "补录期限"},
	{"locked", 'b', 0, NULL, "已锁定"},
	{"created_at", 'i', 0, NULL, "登记时间（Unix 秒）"},
	{"updated_at", 'i', 0, NULL, "修改时间（Unix 秒）"},
	{0},
};
static const zb_shape meeting_shape = {"Meeting", meeting_props, 0, 0, "会议记录"};
static const zb_prop talk_props[] = {
	SUMMARY_PROPS,
	{"notes", 's', ZB_NULL, NULL, "谈话记录"},
	{0},
};
static const zb_shape talk = {"Talk", talk_props, 0, 0, "谈心谈话记录"};
ZB_LIST_COUNTED(talk_list, "TalkList", &talk);
static const zb_prop talk_pair_props[] = {
	{"a_id", 'i', 0, NULL, "一方"},
	{"a_name", 's', ZB_NULL, NULL, "一方姓名"},
	{"b_id", 'i', 0, NULL, "另一方"},
	{"b_name", 's', ZB_NULL, NULL, "另一方姓名"},
	{"kind", 's', 0, NULL, "应谈的原因"},
	{0},
};
static const zb_shape talk_pair = {NULL, talk_pair_props, 0, 0, NULL};
static const zb_prop talk_coverage_props[] = {
	{"org_id", 'i', 0, NULL, "支部"},
	{"year", 'i', 0, NULL, "年度"},
	{"secretary_id", 'i', ZB_NULL, NULL, "书记（没有为 null）"},
	{"committee_size", 'i', 0, NULL, "委员人数"},
	{"members_under", 's', ZB_NULL, NULL, "书记与每名党员谈话的规定"},
	{"required", 'i', 0, NULL, "应谈次数"},
	{"done", 'i', 0, NULL, "已谈次数"},
	{"ok", 'b', 0, NULL, "全覆盖"},
	{"rate", 'n', 0, NULL, "覆盖率（0 到 1）"},
	{"missing", 'a', 0, &talk_pair, "尚未谈话的双方"},
	{0},
};
static const zb_shape talk_coverage = {"TalkCoverage", talk_coverage_props, 0, 0, "谈心谈话全覆盖检查"};

const zb_route zb_routes_meetings[] = {
	{.method = "GET", .pattern = "/api/v1/meetings", .fn = h_list,
	 .perm = P_MEETING_READ, .scope = S_QUERY_ORG, .resp = ZB_OK(&meeting_list),
	 .tag = "meetings", .summary = "会议记录（组织及下级）",
	 .query_doc = "org:integer,type:string,from:string,to:string,after:string,limit:integer"},
	/* 201 the new record; 200 the record a retry with the same client_key
	 * already saved (nothing written) */
	{.method = "POST", .pattern = "/api/v1/meetings", .fn = h_create,
	 .perm = P_MEETING_WRITE, .scope = S_BODY_ORG, .flags = R_WRITE | R_JSON | R_FORM, .max_body = MEETING_SAVE_MAX_BYTES, .fields = meeting_fields, .resp = &(const zb_resp){201, &meeting_shape, NULL, &(const zb_resp){200, &meeting_shape, NULL, NULL, "重试：同一 client_key 已保存的记录"},
	                  NULL},
	 .tag = "meetings", .summary = "记录会议（出席、决议、会议记录本照片在同一事务中保存；JSON，或 multipart/form-data：json 部分为同样的字段，"
	 "file 部分为照片或 PDF）"},
	{.method = "GET", .pattern = "/api/v1/meetings/{id}", .fn = h_get,
	 .perm = P_MEETING_READ, .scope = S_MEETING, .resp = ZB_OK(&meeting_shape),
	 .tag = "meetings", .summary = "会议记录详情"},
	{.method = "PATCH", .pattern = "/api/v1/meetings/{id}", .fn = h_patch,
	 .perm = P_MEETING_WRITE, .scope = S_MEETING, .flags = R_WRITE | R_JSON, .max_body = 256u * 1024, .fields = meeting_patch_fields, .resp = ZB_OK(&meeting_shape),
	 .tag = "meetings", .summary = "修改会议记录"},
	{.method = "PUT", .pattern = "/api/v1/meetings/{id}/attendance", .fn = h_attendance,
	 .perm = P_MEETING_WRITE, .scope = S_MEETING, .flags = R_WRITE | R_JSON, .max_body = 512u * 1024, .fields = attendance_fields, .resp = ZB_OK(&meeting_shape),
	 .tag = "meetings", .summary = "登记出席情况"},
	{.method = "POST", .pattern = "/api/v1/meetings/{id}/resolutions", .fn = h_resolution,
	 .perm = P_MEETING_WRITE, .scope = S_MEETING, .flags = R_WRITE | R_JSON, .max_body = 8192, .fields = resolution_fields, .resp = ZB_CREATED(&resolution),
	 .tag = "meetings", .summary = "记录决议与表决"},
	{.method = "POST", .pattern = "/api/v1/meetings/{id}/unlock", .fn = h_unlock,
	 .perm = P_MEETING_UNLOCK, .scope = S_MEETING, .flags = R_WRITE | R_JSON, .max_body = 4096, .fields = unlock_fields, .resp = ZB_OK(&meeting_shape),
	 .tag = "meetings", .summary = "上级组织解锁超过补录期限的记录"},
	{.method = "GET", .pattern = "/api/v1/meetings/{id}/print", .fn = h_print,
	 .perm = P_MEETING_READ, .scope = S_MEETING, .resp = ZB_MEDIA("text/html"),
	 .tag = "meetings", .summary = "打印会议记录（HTML）"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/talks", .fn = h_talks,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&talk_list),
	 .tag = "meetings", .summary = "谈心谈话记录",
	 .query_doc = "year:integer"},
	{.method = "GET", .pattern = "/api/v1/orgs/{id}/talk-coverage", .fn = h_talk_coverage,
	 .perm = P_MEETING_READ, .scope = S_ORG, .resp = ZB_OK(&talk_coverage),
	 .tag = "meetings", .summary = "谈心谈话全覆盖检查",
	 .query_doc = "year:integer"},
	{0},
};
