/* Unit tests for src/text/pinyin: pinyin via ICU transliteration, pinyin
 * sort keys via the ICU "zh" collator, thread safety. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uversion.h>

#include "core/buf.h"
#include "core/err.h"
#include "text/pinyin.h"

static void check_pinyin(const char *in, const char *want_full, const char *want_ini)
{
	zb_buf full = {0}, ini = {0};
	assert_int_equal(zb_pinyin(in, &full, &ini), 0);
	assert_string_equal(full.len ? full.data : "", want_full);
	assert_string_equal(ini.len ? ini.data : "", want_ini);
	zb_buf_release(&full);
	zb_buf_release(&ini);
}

static void test_basic(void **state)
{
	(void)state;
	check_pinyin("张三", "zhangsan", "zs");
	check_pinyin("王小明", "wangxiaoming", "wxm");
	check_pinyin("西安", "xian", "xa"); /* two syllables, two initials */
}

/* What ICU 72 gives for polyphonic surnames: the most common reading of
 * each character, not the surname reading.  Pinned so a change in ICU is
 * noticed (and derived columns rebuilt). */
static void test_polyphones_as_icu_gives_them(void **state)
{
	(void)state;
	check_pinyin("曾国藩", "cengguofan", "cgf"); /* surname is zeng */
	check_pinyin("单雄信", "danxiongxin", "dxx"); /* surname is shan */
	check_pinyin("解缙", "jiejin", "jj");         /* surname is xie */
	check_pinyin("长江", "zhangjiang", "zj");     /* word reading is chang */
	check_pinyin("吕布", "lubu", "lb");           /* lü folded to lu, not lv */
}

static void test_mixed_and_other_scripts(void **state)
{
	(void)state;
	check_pinyin("张三abc", "zhangsanabc", "zsa");
	check_pinyin("Tom Lee", "tomlee", "tl");
	check_pinyin("张3", "zhang3", "z3");
	check_pinyin("ＡＢＣ１２３", "abc123", "a1"); /* full-width folded */
	check_pinyin("José", "jose", "j");
	check_pinyin("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"); /* · dropped */
	check_pinyin("李 四", "lisi", "ls");
	check_pinyin("😀张！", "zhang", "z");            /* emoji, punctuation dropped */
	check_pinyin("Иван", "", "");                   /* no rule: dropped */
	check_pinyin("\xff张\xfe", "zhang", "z");       /* invalid UTF-8 tolerated */
}

static void test_empty_null_and_append(void **state)
{
	(void)state;
	check_pinyin("", "", "");
	check_pinyin(NULL, "", "");

	zb_buf full = {0}, ini = {0};
	zb_buf_puts(&full, "a|");
	zb_buf_puts(&ini, "b|");
	assert_int_equal(zb_pinyin("张三", &full, &ini), 0);
	assert_string_equal(full.data, "a|zhangsan");
	assert_string_equal(ini.data, "b|zs");
	assert_int_equal(zb_pinyin("李四", NULL, &ini), 0);
	assert_string_equal(ini.data, "b|zsls");
	assert_int_equal(zb_pinyin("李四", &full, NULL), 0);
	assert_string_equal(full.data, "a|zhangsanlisi");
	zb_buf_release(&full);
	zb_buf_release(&ini);
}

static void test_limits(void **state)
{
	(void)state;
	char *big = malloc(ZB_TEXT_MAX_INPUT + 2);
	assert_non_null(big);
	memset(big, 'a', ZB_TEXT_MAX_INPUT + 1);
	big[ZB_TEXT_MAX_INPUT + 1] = '\0';
	zb_buf full = {0}, ini = {0}, key = {0};
	assert_int_equal(zb_pinyin(big, &full, &ini), ZB_ETOOBIG);
	assert_int_equal(zb_sortkey(big, &key), ZB_ETOOBIG);
	assert_int_equal(full.len + ini.len + key.len, 0);

	/* The largest input: 21845 Han characters (3 bytes each) expand to
	 * ~6 units each, through the grow path if estimates are short. */
	size_t n = 0;
	while (n + 3 <= ZB_TEXT_MAX_INPUT) {
		memcpy(big + n, "张", 3);
		n += 3;
	}
	big[n] = '\0';
	assert_int_equal(zb_pinyin(big, &full, &ini), 0);
	assert_int_equal(full.len, 5 * (n / 3));
	assert_int_equal(ini.len, n / 3);

	/* U+337F (one character, 3 bytes) becomes 15 units in ICU: a long run
	 * outgrows the first buffer and takes the retry path. */
	zb_buf_reset(&full);
	zb_buf_reset(&ini);
	n = 0;
	for (int i = 0; i < 1000; i++, n += 3)
		memcpy(big + n, "㍿", 3);
	big[n] = '\0';
	assert_int_equal(zb_pinyin(big, &full, &ini), 0);
	assert_int_equal(full.len, 12 * 1000);
	assert_int_equal(ini.len, 4 * 1000);
	assert_memory_equal(full.data + 12 * 999, "zhushihuishe", 12);
	assert_memory_equal(ini.data + 4 * 999, "zshs", 4);

	/* Output cap hit: both buffers left as they were. */
	zb_buf small_full, small_ini;
	zb_buf_init(&small_full, 6);
	zb_buf_init(&small_ini, 6);
	zb_buf_puts(&small_full, "x");
	zb_buf_puts(&small_ini, "y");
	assert_int_equal(zb_pinyin("张三李四", &small_full, &small_ini), ZB_ETOOBIG);
	assert_string_equal(small_full.data, "x");
	assert_string_equal(small_ini.data, "y");
	zb_buf_release(&small_full);
	zb_buf_release(&small_ini);

	free(big);
	zb_buf_release(&full);
	zb_buf_release(&ini);
	zb_buf_release(&key);
}

/* memcmp order, shorter first on a common prefix: BLOB/bytea order. */
static int key_cmp(const zb_buf *a, const zb_buf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->data, b->data, n);
	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

static void key_of(const char *s, zb_buf *k)
{
	zb_buf_reset(k);
	assert_int_equal(zb_sortkey(s, k), 0);
	assert_true(k->len > 0);
}

static void test_sortkey_pinyin_order(void **state)
{
	(void)state;
	/* Expected pinyin order; 曾 sorts as "ceng" (ICU), so before 陈 "chen". */
	static const char *const ordered[] = {"阿", "白", "曾", "陈", "李", "王", "张", "张三", "张四"};
	const size_t n = sizeof ordered / sizeof ordered[0];
	zb_buf a = {0}, b = {0};
	for (size_t i = 0; i + 1 < n; i++) {
		key_of(ordered[i], &a);
		key_of(ordered[i + 1], &b);
		if (key_cmp(&a, &b) >= 0)
			fail_msg("expected %s < %s", ordered[i], ordered[i + 1]);
	}
	/* Not code point order: 阿 U+963F > 张 U+5F20, yet sorts first. */
	assert_true(strcmp("阿", "张") > 0);

	/* Deterministic, and no trailing NUL byte in the key. */
	key_of("张三", &a);
	key_of("张三", &b);
	assert_int_equal(key_cmp(&a, &b), 0);
	assert_int_not_equal(a.data[a.len - 1], 0);
	assert_null(memchr(a.data, 0, a.len));

	/* Appends. */
	zb_buf_reset(&b);
	zb_buf_puts(&b, "K");
	assert_int_equal(zb_sortkey("张三", &b), 0);
	assert_int_equal(b.len, 1 + a.len);
	assert_memory_equal(b.data + 1, a.data, a.len);

	/* Empty string gets a (smallest) key, not an error. */
	key_of("", &b);
	key_of("阿", &a);
	assert_true(key_cmp(&b, &a) < 0);
	zb_buf_release(&a);
	zb_buf_release(&b);
}

static int cmp_raw_idx(const void *x, const void *y, void *ctx)
{
	const zb_buf *keys = ctx;
	return key_cmp(&keys[*(const int *)x], &keys[*(const int *)y]);
}

static void test_sortkey_hex_preserves_order(void **state)
{
	(void)state;
	static const char *const names[] = {
		"张三", "李四", "王五", "赵六", "曾国藩", "阿明", "白雪", "陈红", "张", "张三丰",
		"abc", "ABC", "Abc", "ab", "b", "1", "10", "2", "", "欧阳修", "司马光", "吕布",
		"张三abc", "张三ABC", "ǅ", "😀", "刘备", "关羽", "诸葛亮", "孙权"};
	enum { N = sizeof names / sizeof names[0] };
	zb_buf raw[N], hex[N];
	int byraw[N];

	for (int i = 0; i < N; i++) {
		memset(&raw[i], 0, sizeof raw[i]);
		memset(&hex[i], 0, sizeof hex[i]);
		assert_int_equal(zb_sortkey(names[i], &raw[i]), 0);
		assert_int_equal(zb_sortkey_hex(names[i], &hex[i]), 0);
		assert_int_equal(hex[i].len, raw[i].len * 2);
		assert_int_equal(strspn(hex[i].data, "0123456789abcdef"), hex[i].len);
		for (size_t b = 0; b < raw[i].len; b++) {
			char two[3];
			snprintf(two, sizeof two, "%02x", (unsigned char)raw[i].data[b]);
			assert_memory_equal(hex[i].data + 2 * b, two, 2);
		}
		byraw[i] = i;
	}
	/* Every pair: sign of raw comparison == sign of hex text comparison. */
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			int r = key_cmp(&raw[i], &raw[j]);
			int h = strcmp(hex[i].data, hex[j].data);
			if ((r > 0) != (h > 0) || (r < 0) != (h < 0))
				fail_msg("order differs for %s / %s", names[i], names[j]);
		}
	/* And the hex of the first byte matches the raw byte. */
	char first[3];
	snprintf(first, sizeof first, "%02x", (unsigned char)raw[0].data[0]);
	assert_memory_equal(hex[0].data, first, 2);

	qsort_r(byraw, N, sizeof byraw[0], cmp_raw_idx, raw);
	/* Sanity of the collation itself on a few of these. */
	int pos_a = -1, pos_zhang = -1, pos_liu = -1;
	for (int i = 0; i < N; i++) {
		if (!strcmp(names[byraw[i]], "阿明"))
			pos_a = i;
		if (!strcmp(names[byraw[i]], "张三"))
			pos_zhang = i;
		if (!strcmp(names[byraw[i]], "刘备"))
			pos_liu = i;
	}
	assert_true(pos_a < pos_liu && pos_liu < pos_zhang);

	for (int i = 0; i < N; i++) {
		zb_buf_release(&raw[i]);
		zb_buf_release(&hex[i]);
	}
}

static void test_icu_version(void **state)
{
	(void)state;
	char want[16];
	snprintf(want, sizeof want, "%d", U_ICU_VERSION_MAJOR_NUM);
	assert_string_equal(zb_icu_version(), want);
	assert_string_equal(zb_icu_version(), "72"); /* Debian 12; pinned readings above */
}

/* ---- threads ----------------------------------------------------------- */

static const char *const thread_names[] = {"张三", "曾国藩", "王小明", "阿依古丽·买买提",
					   "Tom Lee", "欧阳修", "诸葛亮", "白雪"};
enum { NT = sizeof thread_names / sizeof thread_names[0], THREADS = 6, ROUNDS = 300 };
static zb_buf want_full[NT], want_ini[NT], want_key[NT];

struct worker {
	int id;
	int failures;
};

static void *worker_main(void *p)
{
	struct worker *w = p;
	zb_buf full = {0}, ini = {0}, key = {0};
	for (int r = 0; r < ROUNDS; r++) {
		int i = (r + w->id) % NT;
		zb_buf_reset(&full);
		zb_buf_reset(&ini);
		zb_buf_reset(&key);
		if (zb_pinyin(thread_names[i], &full, &ini) != 0 ||
		    zb_sortkey(thread_names[i], &key) != 0 ||
		    full.len != want_full[i].len || ini.len != want_ini[i].len ||
		    key.len != want_key[i].len ||
		    memcmp(full.data, want_full[i].data, full.len) != 0 ||
		    memcmp(ini.data, want_ini[i].data, ini.len) != 0 ||
		    memcmp(key.data, want_key[i].data, key.len) != 0)
			w->failures++;
	}
	zb_buf_release(&full);
	zb_buf_release(&ini);
	zb_buf_release(&key);
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	pthread_t t[THREADS];
	struct worker w[THREADS];

	for (int i = 0; i < NT; i++) {
		memset(&want_full[i], 0, sizeof(zb_buf));
		memset(&want_ini[i], 0, sizeof(zb_buf));
		memset(&want_key[i], 0, sizeof(zb_buf));
		assert_int_equal(zb_pinyin(thread_names[i], &want_full[i], &want_ini[i]), 0);
		assert_int_equal(zb_sortkey(thread_names[i], &want_key[i]), 0);
	}
	assert_string_equal(want_full[1].data, "cengguofan");

	for (int i = 0; i < THREADS; i++) {
		w[i].id = i;
		w[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
	}
	for (int i = 0; i < NT; i++) {
		zb_buf_release(&want_full[i]);
		zb_buf_release(&want_ini[i]);
		zb_buf_release(&want_key[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_polyphones_as_icu_gives_them),
		cmocka_unit_test(test_mixed_and_other_scripts),
		cmocka_unit_test(test_empty_null_and_append),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_sortkey_pinyin_order),
		cmocka_unit_test(test_sortkey_hex_preserves_order),
		cmocka_unit_test(test_icu_version),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
