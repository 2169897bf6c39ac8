/* transfer.c - 组织关系转接: the rule, the states and their writes (see
 * transfer.h and docs/TRANSFERS.md). */
#include "transfer/transfer.h"

#include "core/date.h"
#include "core/grow.h"
#include "core/jw.h"
#include "dues/dues.h"
#include "member/history.h"
#include "org/org.h"
#include "org/structure.h"
#include "rules/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the rule ---- */

static int int_in(json_t *data, const char *key, int min, int max, int *out)
{
	json_t *v = json_object_get(data, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return 0;
	if (out)
		*out = (int)json_integer_value(v);
	return 1;
}

static const char *const rule_keys[] = {"letter_months", "letter_months_across_provinces", "province_depth",
                                        "stub_keep_years", "certificate_months", "transfer_months", NULL};

int zb_transfer_rules_validate(json_t *data, zb_err *e)
{
	const char *key;
	json_t *v;
	json_object_foreach(data, key, v)
	{
		int known = 0;
		for (int i = 0; rule_keys[i]; i++)
			known |= !strcmp(key, rule_keys[i]);
		if (known)
			continue;
		if (!strcmp(key, "source")) {
			if (!json_is_string(v) || json_string_length(v) > 400)
				return zb_fail(e, ZB_EINVAL, "data", "规则项 source（依据）应为不超过 400 字节的文字");
			continue;
		}
		return zb_fail(e, ZB_EINVAL, "data", "不认识的规则项：%s", key);
	}
	int m = 0, c = 0;
	if (!int_in(data, "letter_months", 1, 12, &m))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 letter_months（介绍信有效月数）应为 1 到 12 之间的整数");
	if (!int_in(data, "letter_months_across_provinces", m, 24, NULL))
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 letter_months_across_provinces（跨省介绍信有效月数）应为不小于 letter_months、不大于 24 的整数");
	if (!int_in(data, "province_depth", 0, 5, NULL))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 province_depth（省级组织所在层级，0 为顶层）应为 0 到 5 之间的整数");
	if (!int_in(data, "stub_keep_years", 1, 100, NULL))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 stub_keep_years（存根保存年数）应为 1 到 100 之间的整数");
	if (!int_in(data, "certificate_months", 1, 12, &c))
		return zb_fail(e, ZB_EINVAL, "data", "规则项 certificate_months（外出多少个月须开证明信）应为 1 到 12 之间的整数");
	if (!int_in(data, "transfer_months", c + 1, 24, NULL))
		return zb_fail(e, ZB_EINVAL, "data",
		               "规则项 transfer_months（外出多少个月须转接组织关系）应大于 certificate_months、不大于 24");
	return 0;
}

static void rules_default(zb_transfer_rules *r)
{
	memset(r, 0, sizeof *r);
	r->letter_months = 3;
	r->letter_months_across = 6;
	r->stub_keep_years = 10;
	r->certificate_months = 3;
	r->transfer_months = 6;
	r->source = "中组部《关于党员组织关系转接的规定》及其执行做法；中组部《关于加强和改进流动党员管理工作的意见》";
}

int zb_transfer_rules_get(zb_db *db, const char *org_path, const char *date, zb_transfer_rules *r, zb_err *e)
{
	rules_default(r);
	zb_rules *rs = NULL;
	int rc = zb_rules_load(db, "transfer", date, &rs, e);
	if (rc)
		return rc;
	const zb_rule_set *s = zb_rules_for(rs, org_path);
	int64_t v[6];
	for (int i = 0; s && !rc && rule_keys[i]; i++)
		rc = zb_rule_int(s, rule_keys[i], &v[i], e);
	if (s && !rc) {
		r->set_id = s->id;
		r->letter_months = (int)v[0];
		r->letter_months_across = (int)v[1];
		r->province_depth = (int)v[2];
		r->stub_keep_years = (int)v[3];
		r->certificate_months = (int)v[4];
		r->transfer_months = (int)v[5];
	}
	zb_rules_free(rs);
	return rc;
}

/* ---- pure rules ---- */

void zb_transfer_valid_until(const char *issued_on, int months, char out[11])
{
	char end[11];
	zb_date_add_months(issued_on, months, end);
	zb_date_add_days(end, -1, out);
}

int zb_transfer_expired(const char *valid_until, const char *on)
{
	return strcmp(on, valid_until) > 0;
}

/* The id of the org at depth in path "/1/5/23/" (0: none). */
static long long path_id_at(const char *path, int depth)
{
	const char *p = path;
	for (int d = 0; p && *p; d++) {
		if (*p == '/')
			p++;
		if (!*p)
			break;
		if (d == depth)
			return strtoll(p, NULL, 10);
		p = strchr(p, '/');
	}
	return 0;
}

int zb_transfer_across(const char *a, const char *b, int depth)
{
	long long x = path_id_at(a, depth), y = path_id_at(b, depth);
	if (!x || !y) /* one lies above that depth: compare the top-level orgs */
		return path_id_at(a, 0) != path_id_at(b, 0);
	return x != y;
}

const char *zb_mobile_paper(const zb_transfer_rules *r, const char *left_on, const char *until_on, int no_fixed_place)
{
	char cert[11], transfer[11];
	zb_date_add_months(left_on, r->certificate_months, cert);
	zb_date_add_months(left_on, r->transfer_months, transfer);
	if (until_on && strcmp(until_on, cert) < 0)
		return "none";
	if (no_fixed_place)
		return "activity_card";
	if (until_on && strcmp(until_on, transfer) < 0)
		return "certificate";
	return "transfer";
}

const char *zb_mobile_paper_name(const char *paper)
{
	if (!strcmp(paper, "certificate"))
		return "证明信";
	if (!strcmp(paper, "activity_card"))
		return "流动党员活动证";
	if (!strcmp(paper, "transfer"))
		return "转接组织关系";
	return "无需证明";
}

/* ---- reading ---- */

#define T_COLS                                                                                                        \
	"t.id, t.member_id, t.direction, t.status, t.from_org_id, t.from_path, t.from_committee_id, "                 \
	"t.from_committee_path, t.to_org_id, t.to_path, t.to_committee_id, t.to_committee_path, t.outside_org, "      \
	"t.outside_province, t.across_provinces, t.member_name, t.reason, t.dues_paid_to, t.letter_no, t.issued_on, " \
	"t.valid_months, t.valid_until, t.accepted_on, t.returned_on, t.return_reason, t.receipt_on, t.snapshot, "    \
	"t.moved_at, t.created_at, t.updated_at, fo.name, fc.name, tor.name, tc.name"
#define T_FROM                                                                                                     \
	" FROM transfers t LEFT JOIN orgs fo ON fo.id = t.from_org_id LEFT JOIN orgs fc ON fc.id = t.from_committee_id " \
	"LEFT JOIN orgs tor ON tor.id = t.to_org_id LEFT JOIN orgs tc ON tc.id = t.to_committee_id"

typedef struct t_read {
	zb_arena *a;
	zb_transfer *t;
} t_read;

static const char *dup_col(zb_stmt *st, int c, zb_arena *a)
{
	const char *s = zb_col_text(st, c);
	return s ? zb_arena_strdup(a, s) : NULL;
}

static void read_row(zb_stmt *st, zb_arena *a, zb_transfer *t)
{
	memset(t, 0, sizeof *t);
	t->id = zb_col_int(st, 0);
	t->member_id = zb_col_int(st, 1);
	t->direction = dup_col(st, 2, a);
	t->status = dup_col(st, 3, a);
	t->from_org_id = zb_col_int(st, 4);
	t->from_path = dup_col(st, 5, a);
	t->from_committee_id = zb_col_int(st, 6);
	t->from_committee_path = dup_col(st, 7, a);
	t->to_org_id = zb_col_int(st, 8);
	t->to_path = dup_col(st, 9, a);
	t->to_committee_id = zb_col_int(st, 10);
	t->to_committee_path = dup_col(st, 11, a);
	t->outside_org = dup_col(st, 12, a);
	t->outside_province = dup_col(st, 13, a);
	t->across_provinces = (int)zb_col_int(st, 14);
	t->member_name = dup_col(st, 15, a);
	t->reason = dup_col(st, 16, a);
	t->dues_paid_to = dup_col(st, 17, a);
	t->letter_no = dup_col(st, 18, a);
	t->issued_on = dup_col(st, 19, a);
	t->valid_months = (int)zb_col_int(st, 20);
	t->valid_until = dup_col(st, 21, a);
	t->accepted_on = dup_col(st, 22, a);
	t->returned_on = dup_col(st, 23, a);
	t->return_reason = dup_col(st, 24, a);
	t->receipt_on = dup_col(st, 25, a);
	t->snapshot = dup_col(st, 26, a);
	t->moved_at = zb_col_int(st, 27);
	t->created_at = zb_col_int(st, 28);
	t->updated_at = zb_col_int(st, 29);
	t->from_org_name = dup_col(st, 30, a);
	t->from_committee_name = dup_col(st, 31, a);
	t->to_org_name = dup_col(st, 32, a);
	t->to_committee_name = dup_col(st, 33, a);
}

static void read_one(zb_stmt *st, void *ctx)
{
	t_read *r = ctx;
	read_row(st, r->a, r->t);
}

#define T_MISSING "未找到该转接记录，或不在您的管理范围内"

int zb_transfer_get(zb_db *db, int64_t id, zb_arena *a, zb_transfer *t, zb_err *e)
{
	t_read r = {a, t};
	return zb_db_one(db, e, T_MISSING, read_one, &r, "SELECT " T_COLS T_FROM " WHERE t.id = ?", "i", id);
}

typedef struct t_list {
	zb_arena *a;
	zb_transfer *v;
	int n;
	size_t cap;
} t_list;

static int add_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	t_list *l = ctx;
	ZB_AGROW(l->a, l->v, (size_t)l->n, l->cap);
	read_row(st, l->a, &l->v[l->n++]);
	return 0;
}

int zb_transfer_list(zb_db *db, const char *path, int limit, zb_arena *a, zb_transfer **out, int *n, zb_err *e)
{
	char upper[512];
	zb_path_upper(path, upper, sizeof upper);
	t_list l = {a, NULL, 0, 0};
	int rc = zb_db_each(db, e, add_row, &l,
	                    "SELECT " T_COLS T_FROM " WHERE t.id IN (SELECT id FROM transfers WHERE from_path >= ? AND "
	                    "from_path < ? UNION SELECT id FROM transfers WHERE to_path >= ? AND to_path < ?) "
	                    "ORDER BY t.id DESC LIMIT ?",
	                    "ssssi", path, upper, path, upper, (int64_t)limit);
	*out = l.v;
	*n = l.n;
	return rc;
}

const char *zb_transfer_side(const zb_transfer *t, const zb_principal *who, unsigned perm)
{
	if (t->from_path && zb_authz_allows(who, perm, t->from_path))
		return "from";
	if (t->to_path && zb_authz_allows(who, perm, t->to_path))
		return "to";
	return NULL;
}

/* ---- the orgs of a transfer ---- */

typedef struct org_row {
	zb_arena *a;
	const char *type, *path;
	int dissolved;
	int64_t id;
} org_row;

static void read_org(zb_stmt *st, void *ctx)
{
	org_row *o = ctx;
	o->type = dup_col(st, 0, o->a);
	o->path = dup_col(st, 1, o->a);
	o->dissolved = !zb_col_is_null(st, 2);
	o->id = zb_col_count(st) > 3 ? zb_col_int(st, 3) : 0;
}

/* The nearest ancestor of type 党委 of the org at path: its id and path. */
static int committee_of(zb_db *db, const char *path, zb_arena *a, int64_t *id, const char **cpath, zb_err *e)
{
	int64_t ids[16];
	int n = zb_path_ids(path, ids, 16);
	for (int i = n - 2; i >= 0; i--) {
		org_row o = {a, NULL, NULL, 0, 0};
		int rc = zb_db_one(db, e, NULL, read_org, &o, "SELECT type, path, dissolved_on FROM orgs WHERE id = ?", "i",
		                   ids[i]);
		if (rc && rc != ZB_ENOTFOUND)
			return rc;
		if (!rc && o.type && !strcmp(o.type, "committee")) {
			*id = ids[i];
			*cpath = o.path;
			return 0;
		}
	}
	*id = 0;
	*cpath = NULL;
	return 0;
}

/* A receiving branch: an org the caller may read (one outside is answered
 * as a missing one, before its type or state is looked at), a branch type
 * that holds members, not dissolved, under a 党委. */
static int receiving_org(zb_db *db, const zb_principal *who, int64_t org_id, const char *code, const char *field,
                         zb_arena *a, int64_t *id, const char **path, int64_t *cid, const char **cpath, zb_err *e)
{
	org_row o = {a, NULL, NULL, 0, 0};
	int rc = code ? zb_db_one(db, e, NULL, read_org, &o,
	                          "SELECT type, path, dissolved_on, id FROM orgs WHERE code = ? ORDER BY id LIMIT 1", "s",
	                          code)
	              : zb_db_one(db, e, NULL, read_org, &o,
	                          "SELECT type, path, dissolved_on, id FROM orgs WHERE id = ?", "i", org_id);
	if (rc && rc != ZB_ENOTFOUND)
		return rc;
	if (code && (rc || !o.path))
		return zb_fail(e, ZB_ENOTFOUND, field, "没有组织编码为 %s 的党组织，请向接收方核对", code);
	if (!code && (rc || !o.path || (who && !zb_authz_allows(who, P_ORG_READ, o.path))))
		return zb_fail(e, ZB_ENOTFOUND, field, "接收组织不存在，或不在您可查看的范围内");
	*id = o.id;
	if (!zb_org_type_is_branch(o.type) || !strcmp(o.type, "group"))
		return zb_fail(e, ZB_EINVAL, field, "接收组织应为党支部（党员的组织关系转入党支部，不能转入%s）",
		               zb_org_type_name(o.type) ? zb_org_type_name(o.type) : o.type);
	if (o.dissolved)
		return zb_fail(e, ZB_ECONFLICT, field, "接收组织已撤销");
	if ((rc = committee_of(db, o.path, a, cid, cpath, e)))
		return rc;
	if (!*cid)
		return zb_fail(e, ZB_EINVAL, field, "接收组织上级没有党委，无法接收介绍信");
	*path = o.path;
	return 0;
}

/* ---- checks of input ---- */

static int ym_valid(const char *s)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return 0;
	char d[11];
	snprintf(d, sizeof d, "%s-01", s);
	return zb_date_valid(d);
}

static int text_ok(const char *s, size_t max, const char *field, const char *label, zb_err *e)
{
	if (!s || !*s)
		return zb_fail(e, ZB_EINVAL, field, "请填写%s", label);
	if (strlen(s) > max)
		return zb_fail(e, ZB_EINVAL, field, "%s过长（不超过 %zu 字节）", label, max);
	return 0;
}

/* A date stated for a step: valid, not after today, not before since. */
static int step_date(const char *on, const char *today, const char *since, const char *since_label, const char *field,
                     const char *label, zb_err *e)
{
	if (!zb_date_valid(on))
		return zb_fail(e, ZB_EINVAL, field, "%s无效：%s", label, on);
	if (strcmp(on, today) > 0)
		return zb_fail(e, ZB_EINVAL, field, "%s %s 不能晚于今天", label, on);
	if (since && strcmp(on, since) < 0)
		return zb_fail(e, ZB_EINVAL, field, "%s %s 不能早于%s %s", label, on, since_label, since);
	return 0;
}

static int dues_ok(const char *dues, const char *today, zb_err *e)
{
	if (!ym_valid(dues))
		return zb_fail(e, ZB_EINVAL, "dues_paid_to", "党费交纳月份应为 YYYY-MM，如 2026-03");
	char limit[11];
	zb_date_add_months(today, 12, limit);
	if (strncmp(dues, limit, 7) > 0 || strcmp(dues, "1950-01") < 0)
		return zb_fail(e, ZB_EINVAL, "dues_paid_to", "党费交纳月份 %s 不合理（最多预交到一年后）", dues);
	return 0;
}

/* ---- audit ---- */

static int audit(zb_db *db, zb_app *app, const zb_audit_ev *by, const char *action, const zb_transfer *t,
                 const char *path, const char *extra, zb_arena *a, zb_err *e)
{
	zb_audit_detail d;
	zb_jw *w = zb_audit_detail_begin(&d);
	jw_kint(w, "member_id", t->member_id);
	jw_kstr(w, "status", t->status);
	if (t->letter_no)
		jw_kstr(w, "letter_no", t->letter_no);
	if (extra)
		jw_kstr(w, "note", extra);
	(void)a;
	return zb_audit_change_detail(db, app, by, action, "transfer", t->id, path, &d, e);
}

/* ---- start ---- */

static int member_on_roll(const zb_member *m, zb_err *e)
{
	const char *s = m->status ? m->status : "normal";
	if (!strcmp(s, "removed") || !strcmp(s, "deceased") || !strcmp(s, "transferred"))
		return zb_fail(e, ZB_ECONFLICT, "member_id", "该党员党籍状态为%s，不能转接组织关系",
		               zb_status_name(s) ? zb_status_name(s) : s);
	return 0;
}

int zb_transfer_start(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who,
                      const zb_transfer_start_in *in, zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	zb_member m;
	int rc = zb_member_get(db, in->member_id, a, &m, e);
	if (rc == ZB_ENOTFOUND)
		return zb_fail(e, ZB_ENOTFOUND, "member_id", "未找到该党员，或不在您的管理范围内");
	if (rc || (rc = member_on_roll(&m, e)))
		return rc;
	/* not stated: the month the platform's dues records are paid up to */
	const char *dues = in->dues_paid_to;
	char recorded[8];
	if (!dues || !*dues) {
		int now_ym = atoi(today) * 100 + atoi(today + 5);
		if ((rc = zb_dues_paid_up_to_text(db, m.id, now_ym, a, recorded, e)))
			return rc;
		if (!recorded[0])
			return zb_fail(e, ZB_EINVAL, "dues_paid_to",
			               "本平台没有该党员交清党费的月份记录，请填写党费交到的月份（YYYY-MM）");
		dues = recorded;
	}
	if ((rc = text_ok(in->reason, 1000, "reason", "转接原因", e)) || (rc = dues_ok(dues, today, e)))
		return rc;
	int64_t fcid = 0, tcid = 0, to_id = 0;
	const char *fcpath = NULL, *tpath = NULL, *tcpath = NULL;
	if ((rc = committee_of(db, m.org_path, a, &fcid, &fcpath, e)))
		return rc;
	if (!fcid)
		return zb_fail(e, ZB_EINVAL, "member_id", "该党员所在党支部上级没有党委，无法开具介绍信");
	int across = 0;
	const char *direction;
	if (in->to_org_id > 0 || in->to_org_code) {
		const char *field = in->to_org_code ? "to_org_code" : "to_org_id";
		if ((rc = receiving_org(db, who, in->to_org_id, in->to_org_code, field, a, &to_id, &tpath, &tcid, &tcpath,
		                        e)))
			return rc;
		if (to_id == m.org_id)
			return zb_fail(e, ZB_EINVAL, field, "接收组织就是该党员现在所在的党支部");
		zb_transfer_rules r;
		if ((rc = zb_transfer_rules_get(db, m.org_path, today, &r, e)))
			return rc;
		across = zb_transfer_across(m.org_path, tpath, r.province_depth);
		direction = "within";
	} else {
		if ((rc = text_ok(in->outside_org, 400, "to_outside.org", "接收组织名称", e)))
			return rc;
		if (in->outside_province && strlen(in->outside_province) > 100)
			return zb_fail(e, ZB_EINVAL, "to_outside.province", "省份名称过长");
		across = in->across_provinces;
		direction = "out";
	}
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t now = zb_now(app);
	rc = zb_db_int(db, e, id,
	               "INSERT INTO transfers (member_id, direction, status, from_org_id, from_path, from_committee_id, "
	               "from_committee_path, to_org_id, to_path, to_committee_id, to_committee_path, outside_org, "
	               "outside_province, across_provinces, member_name, reason, dues_paid_to, created_by, created_at, "
	               "updated_at) VALUES (?, ?, 'started', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	               "isisisIsIsssisssIii", m.id, direction, m.org_id, m.org_path, fcid, fcpath, to_id, tpath,
	               tcid, tcpath, to_id ? NULL : in->outside_org,
	               to_id ? NULL : in->outside_province, (int64_t)across, m.name, in->reason,
	               dues, by->user_id, now, now);
	if (rc && zb_db_last_was_unique(db))
		rc = zb_fail(e, ZB_ECONFLICT, "member_id", "该党员已有一件未办结的组织关系转接");
	zb_transfer t = {.id = *id, .member_id = m.id, .status = "started"};
	if (!rc)
		rc = audit(db, app, by, "transfer.start", &t, m.org_path, direction, a, e);
	return zb_db_end(db, rc, e);
}

/* ---- the steps ---- */

/* The transfer read inside the write transaction, in status want (a
 * comma-separated list), the caller holding member.write at path of side. */
static int load_for(zb_db *db, int64_t id, const char *want, zb_arena *a, zb_transfer *t, zb_err *e)
{
	int rc = zb_transfer_get(db, id, a, t, e);
	if (rc)
		return rc;
	size_t n = strlen(t->status);
	for (const char *p = want; (p = strstr(p, t->status)); p += n)
		if ((p == want || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 0;
	static const struct {
		const char *code, *name;
	} names[] = {{"started", "已发起，待党委开具介绍信"}, {"issued", "介绍信已开具，待接收"},
	             {"accepted", "已接收，待回执"}, {"returned", "已退回"}, {"closed", "已办结"}};
	const char *nm = t->status;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(names[i].code, t->status))
			nm = names[i].name;
	return zb_fail(e, ZB_ECONFLICT, "status", "该转接当前状态为“%s”，不能办理此项", nm);
}

static int must_hold(const zb_principal *who, const char *path, const char *what, zb_err *e)
{
	if (path && zb_authz_allows(who, P_MEMBER_WRITE, path))
		return 0;
	return zb_fail(e, ZB_EFORBIDDEN, NULL, "%s", what);
}

int zb_transfer_issue(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                      const char *issued_on, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	const char *on = issued_on ? issued_on : today;
	int rc = zb_db_begin_write(db, e);
	if (rc)
		return rc;
	zb_transfer t;
	rc = load_for(db, id, "started", a, &t, e);
	if (!rc)
		rc = must_hold(who, t.from_committee_path, "介绍信须由发出方党委（该党支部的上级党委）或其上级开具", e);
	if (!rc)
		rc = step_date(on, today, NULL, NULL, "issued_on", "开具日期", e);
	zb_transfer_rules r;
	if (!rc)
		rc = zb_transfer_rules_get(db, t.from_path, on, &r, e);
	int64_t seq = 0;
	int year = atoi(on);
	if (!rc)
		rc = zb_db_int(db, e, &seq,
		               "SELECT COALESCE(MAX(letter_seq), 0) + 1 FROM transfers WHERE from_committee_id = ? AND "
		               "letter_year = ?",
		               "ii", t.from_committee_id, (int64_t)year);
	if (rc)
		return zb_db_end(db, rc, e);
	int months = t.across_provinces ? r.letter_months_across : r.letter_months;
	char until[11];
	zb_transfer_valid_until(on, months, until);
	t.letter_no = zb_arena_printf(a, "%d-%04lld", year, (long long)seq);
	t.status = "issued";
	rc = zb_db_run(db, e, NULL,
	               "UPDATE transfers SET status = 'issued', letter_year = ?, letter_seq = ?, letter_no = ?, "
	               "issued_on = ?, valid_months = ?, valid_until = ?, updated_at = ? WHERE id = ?",
	               "iissisii", (int64_t)year, seq, t.letter_no, on, (int64_t)months, until, zb_now(app), id);
	if (!rc)
		rc = audit(db, app, by, "transfer.issue", &t, t.from_committee_path, until, a, e);
	return zb_db_end(db, rc, e);
}

/* {"name",...}: the record as the sending side saw it when it left
 * (masked values only), kept for its read-only view. */
static const char *snapshot_of(const zb_member *m, zb_arena *a)
{
	zb_buf b;
	zb_buf_init(&b, 16 << 10);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kstr(&w, "name", m->name);
	jw_kstr(&w, "gender", m->gender);
	jw_kstr(&w, "ethnicity", m->ethnicity);
	jw_kstr(&w, "birth_month", m->birth_date ? zb_arena_printf(a, "%.7s", m->birth_date) : NULL);
	jw_kstr(&w, "id_number", m->id_masked);
	jw_kstr(&w, "education", m->education);
	jw_kstr(&w, "work_unit", m->work_unit);
	jw_kstr(&w, "job_title", m->job_title);
	jw_kstr(&w, "category", m->category);
	jw_kstr(&w, "join_date", m->join_date);
	jw_kstr(&w, "full_date", m->full_date);
	jw_kstr(&w, "status", m->status);
	jw_kstr(&w, "org_name", m->org_name);
	jw_obj_end(&w);
	const char *s = jw_finish(&w) ? NULL : zb_arena_strdup(a, b.data);
	zb_buf_release(&b);
	return s;
}

/* The member leaves the sending branch through the member save path, dated
 * on: to the branch to_org_id (within), or status 已转出 (out). */
static int move_member(zb_db *db, zb_app *app, const zb_principal *who, const zb_transfer *t, const char *on,
                       zb_arena *a, const char **snap, zb_err *e)
{
	zb_member old;
	int rc = zb_member_get_locked(db, t->member_id, a, &old, e);
	if (rc || (rc = member_on_roll(&old, e)))
		return rc;
	if (old.org_id != t->from_org_id)
		return zb_fail(e, ZB_ECONFLICT, "status", "该党员已不在发出介绍信的党支部，不能再按此介绍信转接");
	if ((rc = zb_member_reveal(&old, app->keys, a, e)))
		return rc;
	*snap = snapshot_of(&old, a);
	zb_member nw = old;
	if (t->to_org_id) {
		if ((rc = zb_member_place(db, NULL, t->to_org_id, &nw, a, e)))
			return rc;
	} else {
		nw.status = "transferred";
	}
	char today[11];
	zb_today(app, today);
	zb_member_rules rules;
	if ((rc = zb_member_rules_load(db, nw.org_path, today, &rules, e)))
		return rc;
	zb_member_change ch = {.now = zb_now(app), .keys = app->keys, .arena = a, .by_user = who->user_id,
	                       .today = today, .effective_on = on,
	                       .reason = zb_arena_printf(a, "组织关系转%s（介绍信 %s）", t->to_org_id ? "接" : "出",
	                                                 t->letter_no ? t->letter_no : "")};
	zb_member_write w = {.old = &old, .rules = &rules, .today = zb_today_int(app), .force = 1};
	return zb_member_save(db, &ch, &nw, &w, e);
}

static int accept_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                        const char *on, const char *today, zb_arena *a, zb_err *e)
{
	zb_transfer t;
	int rc = load_for(db, id, "issued", a, &t, e);
	if (rc)
		return rc;
	if (strcmp(t.direction, "within"))
		return zb_fail(e, ZB_ECONFLICT, "status", "转往系统外的介绍信由发出方登记回执，不在系统内接收");
	if ((rc = must_hold(who, t.to_committee_path, "介绍信须由接收方党委（接收党支部的上级党委）或其上级接收", e)) ||
	    (rc = step_date(on, today, t.issued_on, "介绍信开具日期", "accepted_on", "接收日期", e)))
		return rc;
	if (zb_transfer_expired(t.valid_until, on))
		return zb_fail(e, ZB_ECONFLICT, "accepted_on",
		               "介绍信 %s 的有效期至 %s，%s 已过期，不能接收；请退回，由发出方重新办理", t.letter_no,
		               t.valid_until, on);
	const char *snap = NULL;
	if ((rc = move_member(db, app, who, &t, on, a, &snap, e)))
		return rc;
	rc = zb_db_run(db, e, NULL,
	               "UPDATE transfers SET status = 'accepted', accepted_on = ?, snapshot = ?, moved_at = ?, "
	               "updated_at = ? WHERE id = ?",
	               "ssiii", on, snap, zb_now(app), zb_now(app), id);
	t.status = "accepted";
	return rc ? rc : audit(db, app, by, "transfer.accept", &t, t.to_committee_path, on, a, e);
}

int zb_transfer_accept(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       const char *accepted_on, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, accept_in_tx(db, app, by, who, id, accepted_on ? accepted_on : today, today, a, e), e);
}

int zb_transfer_return(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                       const char *reason, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = text_ok(reason, 1000, "reason", "退回原因", e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	zb_transfer t;
	rc = load_for(db, id, "issued", a, &t, e);
	if (!rc && strcmp(t.direction, "within"))
		rc = zb_fail(e, ZB_ECONFLICT, "status", "转往系统外的介绍信不在系统内退回");
	if (!rc)
		rc = must_hold(who, t.to_committee_path, "介绍信须由接收方党委（接收党支部的上级党委）或其上级退回", e);
	if (!rc)
		rc = zb_db_run(db, e, NULL,
		               "UPDATE transfers SET status = 'returned', returned_on = ?, return_reason = ?, updated_at = ? "
		               "WHERE id = ?",
		               "ssii", today, reason, zb_now(app), id);
	t.status = "returned";
	if (!rc)
		rc = audit(db, app, by, "transfer.return", &t, t.to_committee_path, reason, a, e);
	return zb_db_end(db, rc, e);
}

static int receipt_in_tx(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                         const char *on, const char *today, zb_arena *a, zb_err *e)
{
	zb_transfer t;
	int rc = zb_transfer_get(db, id, a, &t, e);
	if (rc)
		return rc;
	int out = !strcmp(t.direction, "out"), in = !strcmp(t.direction, "in");
	if ((rc = load_for(db, id, out ? "issued" : "accepted", a, &t, e)))
		return rc;
	const char *path = in ? t.to_path : t.from_path;
	if ((rc = must_hold(who, path, in ? "回执由接收党员的党组织寄出" : "回执由发出介绍信的一方登记", e)))
		return rc;
	const char *since = out ? t.issued_on : t.accepted_on;
	if ((rc = step_date(on, today, since, out ? "介绍信开具日期" : "接收日期", "received_on", "回执日期", e)))
		return rc;
	if (out) {
		if (zb_transfer_expired(t.valid_until, on))
			return zb_fail(e, ZB_ECONFLICT, "received_on",
			               "回执上的接收日期 %s 已过介绍信有效期（至 %s）：过期的介绍信不能被接收，请重新办理", on,
			               t.valid_until);
		const char *snap = NULL;
		if ((rc = move_member(db, app, who, &t, on, a, &snap, e)))
			return rc;
		rc = zb_db_run(db, e, NULL,
		               "UPDATE transfers SET accepted_on = ?, snapshot = ?, moved_at = ? WHERE id = ?", "ssii", on,
		               snap, zb_now(app), id);
	}
	if (!rc)
		rc = zb_db_run(db, e, NULL, "UPDATE transfers SET status = 'closed', receipt_on = ?, updated_at = ? WHERE id = ?",
		               "sii", on, zb_now(app), id);
	t.status = "closed";
	return rc ? rc : audit(db, app, by, "transfer.receipt", &t, path, on, a, e);
}

int zb_transfer_receipt(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, int64_t id,
                        const char *on, zb_arena *a, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	int rc = zb_db_begin_write(db, e);
	return rc ? rc : zb_db_end(db, receipt_in_tx(db, app, by, who, id, on ? on : today, today, a, e), e);
}

/* ---- in from outside ---- */

int zb_transfer_in(zb_db *db, zb_app *app, const zb_audit_ev *by, const zb_principal *who, zb_transfer_in_in *in,
                   zb_arena *a, int64_t *id, zb_err *e)
{
	char today[11];
	zb_today(app, today);
	const char *on = in->accepted_on ? in->accepted_on : today;
	int rc;
	if ((rc = text_ok(in->outside_org, 400, "from_org", "原所在组织名称", e)) ||
	    (rc = text_ok(in->letter_no, 100, "letter_no", "介绍信编号", e)) ||
	    (rc = text_ok(in->reason, 1000, "reason", "转接原因", e)) || (rc = dues_ok(in->dues_paid_to, today, e)) ||
	    (rc = step_date(in->issued_on, today, NULL, NULL, "issued_on", "介绍信开具日期", e)) ||
	    (rc = step_date(on, today, in->issued_on, "介绍信开具日期", "accepted_on", "接收日期", e)))
		return rc;
	if (in->outside_province && strlen(in->outside_province) > 100)
		return zb_fail(e, ZB_EINVAL, "from_province", "省份名称过长");
	const char *tpath = NULL, *tcpath = NULL;
	int64_t tcid = 0;
	int64_t to_id = 0;
	if ((rc = receiving_org(db, who, in->member.org_id, NULL, "org_id", a, &to_id, &tpath, &tcid, &tcpath, e)))
		return rc;
	zb_transfer_rules r;
	if ((rc = zb_transfer_rules_get(db, tpath, in->issued_on, &r, e)))
		return rc;
	/* the letter must still have been valid when it was handed in; whether it
	 * crossed a province is not known for an organisation outside, so the
	 * longer period applies */
	char until[11];
	zb_transfer_valid_until(in->issued_on, r.letter_months_across, until);
	if (zb_transfer_expired(until, on))
		return zb_fail(e, ZB_ECONFLICT, "accepted_on", "介绍信开具于 %s，至 %s 已过期，不能接收", in->issued_on, on);
	in->member.reason = zb_arena_printf(a, "组织关系转入（%s，介绍信 %s）", in->outside_org, in->letter_no);
	in->member.effective_on = on;
	zb_actor ac = {by->user_id, by->username, by->ip};
	int64_t mid = 0;
	if ((rc = zb_member_create(db, app, &ac, who, &in->member, a, &mid, e)))
		return rc;
	if ((rc = zb_db_begin_write(db, e)))
		return rc;
	zb_member m;
	rc = zb_member_get(db, mid, a, &m, e);
	int64_t now = zb_now(app);
	if (!rc)
		rc = zb_db_int(db, e, id,
		               "INSERT INTO transfers (member_id, direction, status, to_org_id, to_path, to_committee_id, "
		               "to_committee_path, outside_org, outside_province, member_name, reason, dues_paid_to, "
		               "letter_no, issued_on, valid_until, accepted_on, moved_at, created_by, created_at, updated_at) "
		               "VALUES (?, 'in', 'accepted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		               "iisissssssssssiIii", mid, m.org_id, m.org_path, tcid, tcpath, in->outside_org,
		               in->outside_province, m.name, in->reason, in->dues_paid_to, in->letter_no, in->issued_on, until,
		               on, now, by->user_id, now, now);
	zb_transfer t = {.id = *id, .member_id = mid, .status = "accepted", .letter_no = in->letter_no};
	if (!rc)
		rc = audit(db, app, by, "transfer.in", &t, m.org_path, in->outside_org, a, e);
	return zb_db_end(db, rc, e);
}

/* ---- the sending side's view ---- */

int zb_transfer_history(zb_db *db, const zb_transfer *t, zb_arena *a, zb_member_change_row **rows, int *n, zb_err *e)
{
	zb_member_change_row *all;
	int na;
	int rc = zb_member_history_list(db, t->member_id, a, &all, &na, e);
	if (rc)
		return rc;
	int k = 0;
	for (int i = 0; i < na; i++) {
		/* rows written after the move (the receiving side's) are not the
		 * sending side's to read; before the move, everything up to now */
		if (t->moved_at && all[i].at > t->moved_at)
			continue;
		if (t->accepted_on && t->moved_at && all[i].effective_on && strcmp(all[i].effective_on, t->accepted_on) > 0)
			continue;
		all[k++] = all[i];
	}
	*rows = all;
	*n = k;
	return 0;
}

/* ---- what the caller may do next ---- */

int zb_transfer_actions(const zb_transfer *t, const zb_principal *who, const char *out[4])
{
	int n = 0, within = !strcmp(t->direction, "within"), in = !strcmp(t->direction, "in");
#define HOLDS(p) ((p) && zb_authz_allows(who, P_MEMBER_WRITE, (p)))
	if (!strcmp(t->status, "started") && HOLDS(t->from_committee_path))
		out[n++] = "issue";
	if (!strcmp(t->status, "issued") && within && HOLDS(t->to_committee_path)) {
		out[n++] = "accept";
		out[n++] = "return";
	}
	if ((!strcmp(t->status, "issued") && !strcmp(t->direction, "out") && HOLDS(t->from_path)) ||
	    (!strcmp(t->status, "accepted") && HOLDS(in ? t->to_path : t->from_path)))
		out[n++] = "receipt";
#undef HOLDS
	return n;
}

int zb_transfer_record(zb_db *db, const zb_transfer *t, zb_arena *a, const char **json, zb_err *e)
{
	if (t->snapshot) {
		*json = t->snapshot;
		return 0;
	}
	zb_member m;
	int rc = zb_member_get(db, t->member_id, a, &m, e);
	*json = rc ? NULL : snapshot_of(&m, a);
	return rc;
}
