/* test_core.c - the core modules every request goes through: bounded
 * buffers, the arena, escaping, the JSON writer, dates, route matching and
 * the access decision. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "auth/authz.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/err.h"
#include "core/escape.h"
#include "core/hex.h"
#include "core/grow.h"
#include "core/jw.h"
#include "http/http.h"

static void buf_cap_is_enforced(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 8);
	assert_int_equal(zb_buf_puts(&b, "12345678"), 0);
	assert_int_equal(zb_buf_putc(&b, '9'), ZB_ETOOBIG);
	assert_int_equal(zb_buf_append(&b, "x", 1), ZB_ETOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678"); /* unchanged after a refused append */
	zb_buf_reset(&b);
	assert_int_equal(zb_buf_printf(&b, "%d-%s", 42, "ab"), 0);
	assert_string_equal(b.data, "42-ab");
	assert_int_equal(zb_buf_printf(&b, "%s", "too long for it"), ZB_ETOOBIG);
	zb_buf_release(&b);
	zb_buf_release(&b); /* twice is fine */
}

static void buf_grows_past_small_sizes(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(zb_buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[9999], 'a' + 9999 % 26);
	assert_int_equal(b.data[10000], '\0');
	size_t n;
	char *p = zb_buf_detach(&b, &n);
	assert_int_equal(n, 10000);
	assert_null(b.data);
	free(p);
}

static void arena_allocations(void **state)
{
	(void)state;
	zb_arena a;
	zb_arena_init(&a);
	char *s = zb_arena_strdup(&a, "党支部");
	assert_string_equal(s, "党支部");
	assert_null(zb_arena_strdup(&a, NULL));
	assert_string_equal(zb_arena_printf(&a, "%s=%d", "n", 7), "n=7");
	for (int i = 0; i < 1000; i++) {
		unsigned char *p = zb_arena_alloc(&a, (size_t)i * 13 + 1);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(p[0], 0); /* zeroed */
	}
	void *big = zb_arena_alloc(&a, 1u << 20);
	assert_non_null(big);
	assert_string_equal(s, "党支部"); /* earlier allocations stay valid */
	zb_arena_free(&a);
	zb_arena_free(&a);
}

static char *json_of(const char *s, size_t n)
{
	static zb_buf b;
	zb_buf_release(&b);
	zb_buf_init(&b, 0);
	assert_int_equal(zb_esc_json(&b, s, n), 0);
	return b.data;
}

static void json_escaping(void **state)
{
	(void)state;
	assert_string_equal(json_of("张三", strlen("张三")), "\"张三\"");
	assert_string_equal(json_of("a\"b\\c", 5), "\"a\\\"b\\\\c\"");
	assert_string_equal(json_of("\n\r\t\x01\x7f", 5), "\"\\n\\r\\t\\u0001\\u007f\"");
	assert_string_equal(json_of("</script>", 9), "\"\\u003c/script\\u003e\"");
	/* invalid UTF-8 becomes U+FFFD, so the output is always valid JSON */
	assert_string_equal(json_of("a\xff" "b", 3), "\"a\xEF\xBF\xBD" "b\"");
	assert_string_equal(json_of("\xe5\xbc", 2), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
	assert_string_equal(json_of("x\0y", 3), "\"x\\u0000y\"");
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_true(zb_utf8_valid("党员 ok", strlen("党员 ok")));
	assert_false(zb_utf8_valid("\xc0\xaf", 2));         /* overlong '/' */
	assert_false(zb_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(zb_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	assert_false(zb_utf8_valid("\xe5\xbc", 2));         /* truncated */
	assert_true(zb_utf8_valid("\xf0\x9f\x98\x80", 4));  /* emoji */
}

static void html_and_cells(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 0);
	zb_esc_html(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(b.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	zb_buf_reset(&b);
	zb_esc_csv_cell(&b, "=HYPERLINK(\"x\")");
	assert_string_equal(b.data, "\"'=HYPERLINK(\"\"x\"\")\"");
	zb_buf_reset(&b);
	zb_esc_csv_cell(&b, "a,b");
	assert_string_equal(b.data, "\"a,b\"");
	zb_buf_reset(&b);
	zb_esc_csv_cell(&b, "plain");
	assert_string_equal(b.data, "plain");
	for (const char *f = "=+-@"; *f; f++) {
		char s[3] = {*f, '1', 0};
		assert_true(zb_cell_is_formula(s));
	}
	assert_false(zb_cell_is_formula("1+1"));
	zb_buf_release(&b);
}

static void json_writer(void **state)
{
	(void)state;
	zb_buf b;
	zb_buf_init(&b, 0);
	zb_jw w;
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kint(&w, "n", -9007199254740993LL);
	jw_karr(&w, "a");
	jw_int(&w, 1);
	jw_str(&w, NULL);
	jw_obj(&w);
	jw_kbool(&w, "t", 1);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_kdouble(&w, "d", 0.5);
	jw_kstr(&w, "s", "支部");
	jw_obj_end(&w);
	assert_int_equal(jw_finish(&w), 0);
	assert_string_equal(b.data, "{\"n\":-9007199254740993,\"a\":[1,null,{\"t\":true}],\"d\":0.5,\"s\":\"支部\"}");
	/* an unclosed object is an error at finish */
	zb_buf_reset(&b);
	jw_init(&w, &b);
	jw_obj(&w);
	assert_int_not_equal(jw_finish(&w), 0);
	/* the buffer cap stops the writer and says so */
	zb_buf small;
	zb_buf_init(&small, 16);
	jw_init(&w, &small);
	jw_obj(&w);
	jw_kstr(&w, "long", "0123456789abcdef");
	jw_obj_end(&w);
	assert_int_equal(jw_finish(&w), ZB_ETOOBIG);
	zb_buf_release(&small);
	zb_buf_release(&b);
}

static void dates(void **state)
{
	(void)state;
	assert_true(zb_date_valid("2024-02-29"));
	assert_false(zb_date_valid("2023-02-29"));
	assert_false(zb_date_valid("1900-02-29"));
	assert_true(zb_date_valid("2000-02-29"));
	assert_false(zb_date_valid("2024-13-01"));
	assert_false(zb_date_valid("2024-1-01"));
	assert_false(zb_date_valid("1899-12-31"));
	assert_false(zb_date_valid(NULL));
	char out[11];
	zb_date_add_months("2024-01-31", 1, out);
	assert_string_equal(out, "2024-02-29"); /* clamped to the month's end */
	zb_date_add_months("2024-03-15", -15, out);
	assert_string_equal(out, "2022-12-15");
	zb_date_add_days("2024-12-31", 1, out);
	assert_string_equal(out, "2025-01-01");
	assert_int_equal(zb_date_days("1970-01-01"), 0);
	assert_int_equal(zb_date_days("2000-03-01") - zb_date_days("2000-02-28"), 2);
	for (long d = -1000; d < 30000; d += 37) {
		zb_date_from_days(d, out);
		assert_int_equal(zb_date_days(out), d);
	}
	assert_int_equal(zb_date_years_between("2000-03-01", "2024-02-29"), 23);
	assert_int_equal(zb_date_years_between("2000-03-01", "2024-03-01"), 24);
}

static void routes_and_paths(void **state)
{
	(void)state;
	const char *params[ZB_MAX_PARAMS];
	int n = 0;
	zb_arena a;
	zb_arena_init(&a);
	assert_true(zb_route_match("/api/v1/orgs/{id}/children", "/api/v1/orgs/42/children", params, &n, &a));
	assert_int_equal(n, 1);
	assert_string_equal(params[0], "42");
	assert_false(zb_route_match("/api/v1/orgs/{id}", "/api/v1/orgs/", params, &n, &a));
	assert_false(zb_route_match("/api/v1/orgs/{id}", "/api/v1/orgs/1/x", params, &n, &a));
	assert_false(zb_route_match("/api/v1/orgs", "/api/v1/orgsx", params, &n, &a));
	zb_arena_free(&a);

	assert_true(zb_path_within("/1/5/23/", "/1/5/"));
	assert_false(zb_path_within("/1/50/", "/1/5/"));
	assert_false(zb_path_within("/1/", "/1/5/"));
	char up[32];
	zb_path_upper("/1/5/", up, sizeof up);
	assert_string_equal(up, "/1/50");
	assert_true(strcmp("/1/5/999/", up) < 0 && strcmp("/1/50/", up) >= 0);
}

static void access_decision(void **state)
{
	(void)state;
	zb_grant g[2] = {
		{.role = "party_worker", .org_path = "/1/5/", .perms = zb_perms_parse("member.read,meeting.write")},
		{.role = "audit_admin", .org_path = "/1/", .perms = zb_perms_parse("audit.read,no.such.perm")},
	};
	zb_principal p = {.user_id = 9, .ngrants = 2, .grants = g};
	assert_true(zb_authz_allows(&p, P_MEMBER_READ, "/1/5/7/"));
	assert_false(zb_authz_allows(&p, P_MEMBER_READ, "/1/6/"));
	assert_false(zb_authz_allows(&p, P_MEMBER_READ | P_AUDIT_READ, "/1/5/"));
	assert_true(zb_authz_allows(&p, P_AUDIT_READ, "/1/9/"));
	assert_true(zb_authz_allows(&p, P_MEETING_WRITE, NULL));
	assert_false(zb_authz_allows(&p, P_MEMBER_SENSITIVE, NULL));
	assert_false(zb_authz_allows(NULL, P_MEMBER_READ, NULL));
	zb_arena a;
	zb_arena_init(&a);
	const char **roots;
	assert_int_equal(zb_authz_roots(&p, P_MEMBER_READ, &a, &roots), 1);
	assert_string_equal(roots[0], "/1/5/");
	zb_grant nested[2] = {
		{.org_path = "/1/5/7/", .perms = P_MEMBER_READ},
		{.org_path = "/1/5/", .perms = P_MEMBER_READ},
	};
	zb_principal q = {.ngrants = 2, .grants = nested};
	assert_int_equal(zb_authz_roots(&q, P_MEMBER_READ, &a, &roots), 1); /* nested grant folded */
	assert_string_equal(roots[0], "/1/5/");
	zb_arena_free(&a);
}

/* Request bodies in flight: per client address and in total; refusals
 * count nothing; release gives the bytes back. */
static void upload_limits(void **state)
{
	(void)state;
	zb_app app = {0};
	app.cfg.upload_client_max = 30u << 20;
	app.cfg.upload_total_max = 50u << 20;
	zb_err e = {0};
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.1", 20u << 20, &e), 0);
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.1", 20u << 20, &e), ZB_ERATE);
	assert_non_null(strstr(e.msg, "10.0.0.1"));
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.1", 10u << 20, &e), 0); /* exactly the cap */
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.2", 20u << 20, &e), 0);
	assert_int_equal(zb_upload_in_flight(), 50u << 20);
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.3", 1, &e), ZB_EUNAVAIL);
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.3", 0, &e), 0); /* nothing to count */
	zb_upload_release("10.0.0.1", 30u << 20);
	assert_int_equal(zb_upload_in_flight(), 20u << 20);
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.3", 25u << 20, &e), 0);
	assert_int_equal(zb_upload_reserve(&app, "10.0.0.1", 6u << 20, &e), ZB_EUNAVAIL);
	zb_upload_release("10.0.0.2", 20u << 20);
	zb_upload_release("10.0.0.3", 25u << 20);
	assert_int_equal(zb_upload_in_flight(), 0);
}

/* Answers in flight: small ones are not counted; big ones are, per
 * address and in total, apart from request bodies. */
static void answer_limits(void **state)
{
	(void)state;
	zb_app app = {0};
	app.cfg.answer_client_max = 3u << 20;
	app.cfg.answer_total_max = 5u << 20;
	app.cfg.upload_client_max = 1u << 20;
	app.cfg.upload_total_max = 1u << 20;
	zb_err e = {0};
	assert_int_equal(zb_answer_reserve(&app, "10.0.0.1", ZB_ANSWER_COUNTED - 1, &e), 0);
	assert_int_equal(zb_answer_in_flight(), 0);
	assert_int_equal(zb_answer_reserve(&app, "10.0.0.1", 2u << 20, &e), 0);
	assert_int_equal(zb_answer_reserve(&app, "10.0.0.1", 2u << 20, &e), ZB_ERATE);
	assert_non_null(strstr(e.msg, "下载"));
	assert_int_equal(zb_answer_reserve(&app, "10.0.0.2", 3u << 20, &e), 0);
	assert_int_equal(zb_answer_in_flight(), 5u << 20);
	assert_int_equal(zb_upload_in_flight(), 0); /* bodies are counted apart */
	assert_int_equal(zb_answer_reserve(&app, "10.0.0.3", ZB_ANSWER_COUNTED, &e), ZB_EUNAVAIL);
	zb_answer_release("10.0.0.1", ZB_ANSWER_COUNTED - 1); /* never counted: nothing given back */
	assert_int_equal(zb_answer_in_flight(), 5u << 20);
	zb_answer_release("10.0.0.1", 2u << 20);
	zb_answer_release("10.0.0.2", 3u << 20);
	assert_int_equal(zb_answer_in_flight(), 0);
}

/* ZB_GROW: room for one more, doubling from 16, the array untouched when
 * the size would overflow. */
static void grow_array(void **state)
{
	(void)state;
	int64_t *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(ZB_GROW(v, n, cap), 0);
		v[n++] = i;
	}
	assert_int_equal(cap, 1024);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], (int64_t)i);
	size_t big = SIZE_MAX / 4;
	int64_t *keep = v;
	assert_int_equal(zb_grow((void **)&v, big, &big, sizeof *v), -1);
	assert_ptr_equal(v, keep);
	assert_int_equal(big, SIZE_MAX / 4);
	free(v);

	/* in an arena: the elements move to the larger block */
	zb_arena a;
	zb_arena_init(&a);
	int64_t *w = NULL;
	n = cap = 0;
	for (int i = 0; i < 40; i++) {
		ZB_AGROW(&a, w, n, cap);
		w[n++] = i;
	}
	assert_int_equal(cap, 64);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(w[i], (int64_t)i);
	/* room for n + 1 well past cap: what the block held moves over */
	ZB_AGROW(&a, w, 1000, cap);
	assert_int_equal(cap, 1001);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(w[i], (int64_t)i);
	zb_arena_free(&a);
}

/* Hex text: lowercase, two digits a byte; decoding takes exactly a run of
 * hex pairs and nothing else. */
static void hex_text(void **state)
{
	(void)state;
	zb_buf b = {0};
	static const unsigned char bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	assert_int_equal(zb_hex_append(&b, bytes, sizeof bytes), 0);
	assert_string_equal(b.data, "00017f80abff");
	/* longer than one internal chunk */
	unsigned char big[300];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 37);
	zb_buf_reset(&b);
	assert_int_equal(zb_hex_append(&b, big, sizeof big), 0);
	assert_int_equal(b.len, 2 * sizeof big);
	for (size_t i = 0; i < sizeof big; i++) {
		char two[3];
		snprintf(two, sizeof two, "%02x", big[i]);
		assert_memory_equal(b.data + 2 * i, two, 2);
	}
	/* over the cap: refused, buffer as it was */
	zb_buf capped;
	zb_buf_init(&capped, 8);
	assert_int_equal(zb_buf_puts(&capped, "ab"), 0);
	assert_int_equal(zb_hex_append(&capped, bytes, sizeof bytes), ZB_ETOOBIG);
	assert_string_equal(capped.data, "ab");
	assert_int_equal(capped.len, 2);
	zb_buf_release(&capped);

	unsigned char out[8];
	size_t n = 99;
	assert_int_equal(zb_hex_decode("00017f80abff", 12, out, sizeof out, &n), 0);
	assert_int_equal(n, sizeof bytes);
	assert_memory_equal(out, bytes, sizeof bytes);
	assert_int_equal(zb_hex_decode("ABff", 4, out, sizeof out, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], 0xab);
	assert_int_equal(zb_hex_decode("", 0, out, sizeof out, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(zb_hex_decode("abc", 3, out, sizeof out, &n), -1);   /* odd */
	assert_int_equal(zb_hex_decode("0g", 2, out, sizeof out, &n), -1);    /* not hex */
	assert_int_equal(zb_hex_decode("ab cd", 5, out, sizeof out, &n), -1); /* nothing skipped */
	assert_int_equal(zb_hex_decode("ab:d", 4, out, sizeof out, &n), -1);
	assert_int_equal(zb_hex_decode("000102", 6, out, 2, &n), -1);         /* too long for out */
	/* only the run named is read */
	assert_int_equal(zb_hex_decode("abzz", 2, out, sizeof out, &n), 0);
	assert_int_equal(n, 1);
	/* percent-encoding for header parameters: uppercase hex, unreserved kept */
	zb_buf_reset(&b);
	assert_int_equal(zb_esc_pct(&b, "a b/\xe4\xb8\xad-._~%.txt"), 0);
	assert_string_equal(b.data, "a%20b%2F%E4%B8%AD-._%7E%25.txt");
	zb_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_cap_is_enforced), cmocka_unit_test(buf_grows_past_small_sizes),
		cmocka_unit_test(arena_allocations),   cmocka_unit_test(json_escaping),
		cmocka_unit_test(utf8_validation),     cmocka_unit_test(html_and_cells),
		cmocka_unit_test(json_writer),         cmocka_unit_test(dates),
		cmocka_unit_test(routes_and_paths),    cmocka_unit_test(access_decision),
		cmocka_unit_test(upload_limits),
		cmocka_unit_test(answer_limits), cmocka_unit_test(grow_array), cmocka_unit_test(hex_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
