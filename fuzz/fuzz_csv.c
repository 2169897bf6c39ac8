/* fuzz_csv.c - libFuzzer target for the CSV reader (src/io/csv_read.c).
 *
 * Build (needs src/io/csv_read.c src/core/buf.c src/core/err.c
 * src/core/escape.c; iconv is in glibc):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     fuzz/fuzz_csv.c src/io/csv_read.c src/core/buf.c src/core/err.c \
 *     src/core/escape.c -o build-fuzz/fuzz_csv
 * Run: build-fuzz/fuzz_csv -max_total_time=30 fuzz/corpus/csv
 */
#include <stdint.h>
#include <string.h>

#include "core/escape.h"
#include "io/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	int *last = ctx;
	(void)e;
	if (rownum <= *last || ncells < 1 || !cells[ncells - 1][0])
		__builtin_trap(); /* rows ascend; trailing empties trimmed */
	*last = rownum;
	for (int i = 0; i < ncells; i++)
		if (!zb_utf8_valid(cells[i], strlen(cells[i])))
			__builtin_trap(); /* output is always UTF-8 */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	zb_table_limits lim = {
		.max_file_bytes = 1 << 20,
		.max_rows = 5000,
		.max_cols = 64,
		.max_cell_bytes = 4096,
		.max_total_bytes = 2 << 20,
	};
	int last = 0;
	zb_err e = {0};
	int rc = zb_csv_read(data, size, &lim, touch, &last, NULL, &e);
	if (rc && !e.msg[0])
		__builtin_trap();
	return 0;
}
