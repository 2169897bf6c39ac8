/* fuzz_xlsx.c - libFuzzer target for the .xlsx reader (src/io/xlsx_*.c).
 *
 * Build: sh fuzz/run.sh builds it against the whole library (build-fuzz/).
 * Run: build-fuzz/fuzz_xlsx -max_total_time=30 fuzz/corpus/xlsx
 * Small limits keep each input cheap.  Two modes, by the first byte:
 *   'P'   the input is the upload itself, exactly as it reaches
 *         zb_xlsx_read() (zip structure, CRCs, sizes...);
 *   else  the input is "sheet XML \0 sharedStrings XML \0 styles XML",
 *         packed here into a valid stored zip, so mutations reach the XML
 *         handling instead of dying on a CRC check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *ctx, int rownum, const char *const *cells, int ncells, zb_err *e)
{
	size_t *sum = ctx;
	zb_table_info *info = (zb_table_info *)sum[1];
	(void)e;
	if (rownum < 1 || ncells < 1 || !info->kinds)
		__builtin_trap();
	for (int i = 0; i < ncells; i++)
		sum[0] += strlen(cells[i]) + info->kinds[i]; /* every cell readable */
	if (!cells[ncells - 1][0])
		__builtin_trap(); /* trailing empty cells are trimmed */
	return 0;
}

static const char WB[] =
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"0\"/><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>";
static const char RELS[] =
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";

static int add(zip_t *za, const char *name, const void *p, size_t n)
{
	zip_source_t *src = zip_source_buffer(za, p, n, 0);
	if (!src)
		return -1;
	zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_OVERWRITE);
	if (idx < 0) {
		zip_source_free(src);
		return -1;
	}
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
	return 0;
}

/* Pack sheet\0sst\0styles into a zip in memory; malloc'd result or NULL. */
static void *pack(const uint8_t *data, size_t size, size_t *outlen)
{
	const char *part[3] = {"", "", ""};
	size_t plen[3] = {0, 0, 0};
	size_t start = 0;
	for (int k = 0; k < 3 && start <= size; k++) {
		const uint8_t *z = k < 2 ? memchr(data + start, 0, size - start) : NULL;
		size_t end = z ? (size_t)(z - data) : size;
		part[k] = (const char *)data + start;
		plen[k] = end - start;
		start = end + 1;
		if (!z)
			break;
	}
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = mem ? zip_open_from_source(mem, ZIP_TRUNCATE, &ze) : NULL;
	void *out = NULL;
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(mem);
		return NULL;
	}
	zip_source_keep(mem);
	if (add(za, "xl/workbook.xml", WB, sizeof WB - 1) ||
	    add(za, "xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1) ||
	    add(za, "xl/worksheets/sheet1.xml", part[0], plen[0]) ||
	    add(za, "xl/sharedStrings.xml", part[1], plen[1]) ||
	    add(za, "xl/styles.xml", part[2], plen[2]) || zip_close(za)) {
		zip_discard(za);
		goto out;
	}
	zip_stat_t st;
	if (zip_source_stat(mem, &st) || zip_source_open(mem))
		goto out;
	out = malloc(st.size ? st.size : 1);
	if (out && zip_source_read(mem, out, st.size) != (zip_int64_t)st.size) {
		free(out);
		out = NULL;
	}
	*outlen = st.size;
	zip_source_close(mem);
out:
	zip_source_free(mem);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void *packed = NULL;
	if (size && data[0] != 'P') {
		size_t n = 0;
		packed = pack(data, size, &n);
		if (!packed)
			return 0;
		data = packed;
		size = n;
	}
	zb_table_limits lim = {
		.max_file_bytes = 1 << 20,
		.max_rows = 2000,
		.max_cols = 64,
		.max_cell_bytes = 4096,
		.max_total_bytes = 4 << 20,
	};
	zb_table_info info;
	size_t sum[2] = {0, (size_t)&info};
	zb_err e = {0};
	int rc = zb_xlsx_read(data, size, &lim, touch, sum, &info, &e);
	if (rc && !e.msg[0])
		__builtin_trap(); /* every failure carries a message */
	if (size >= 8) {
		double serial;
		char out[11];
		memcpy(&serial, data, sizeof serial);
		if (!zb_excel_serial_to_date(serial, data[0] & 1, out) && strlen(out) != 10)
			__builtin_trap();
	}
	free(packed);
	return 0;
}
