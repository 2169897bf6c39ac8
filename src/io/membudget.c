/* membudget.c - the shared parse budget (see membudget.h). */
#include "io/membudget.h"

#include <stdio.h>

static const char *mib(size_t n, char out[32])
{
	snprintf(out, 32, "%zu MB", (n + ((size_t)1 << 20) - 1) >> 20);
	return out;
}

void zb_membudget_init(zb_membudget *b, size_t cap)
{
	atomic_init(&b->used, 0);
	b->cap = cap;
}

size_t zb_membudget_used(zb_membudget *b)
{
	return b ? atomic_load(&b->used) : 0;
}

int zb_memcharge_add(zb_memcharge *c, size_t n, zb_err *e)
{
	if (!c || !c->b || !n)
		return 0;
	zb_membudget *b = c->b;
	char s[32];
	if (n > b->cap || c->held > b->cap - n)
		return zb_fail(e, ZB_ETOOBIG, "file",
			       "读取这个文件需要的内存超过服务器为导入设定的 %s 上限（文件过大或内容异常）：请删除无关的内容，或分批导入",
			       mib(b->cap, s));
	size_t cur = atomic_load(&b->used);
	for (;;) {
		if (cur > b->cap || n > b->cap - cur)
			return zb_fail(e, ZB_EUNAVAIL, "file",
				       "服务器正在读取其他上传的文件，导入可用的内存（%s）暂时用完：请稍后重试",
				       mib(b->cap, s));
		if (atomic_compare_exchange_weak(&b->used, &cur, cur + n))
			break;
	}
	c->held += n;
	return 0;
}

void zb_memcharge_sub(zb_memcharge *c, size_t n)
{
	if (!c || !c->b)
		return;
	if (n > c->held)
		n = c->held;
	c->held -= n;
	atomic_fetch_sub(&c->b->used, n);
}

void zb_memcharge_release(zb_memcharge *c)
{
	if (c)
		zb_memcharge_sub(c, c->held);
}
