/* table.c - what the table readers (io/table.h) share. */
#include "io/table.h"

#include <stdio.h>

const char *zb_size_text(size_t n, char out[32])
{
	if (n >= ((size_t)1 << 20) && !(n & (((size_t)1 << 20) - 1)))
		snprintf(out, 32, "%zu MB", n >> 20);
	else if (n >= ((size_t)1 << 20))
		snprintf(out, 32, "%.1f MB", (double)n / 1048576.0);
	else if (n >= 1024)
		snprintf(out, 32, "%zu KB", n >> 10);
	else
		snprintf(out, 32, "%zu 字节", n);
	return out;
}
