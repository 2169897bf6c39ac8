/* workcal.c - see workcal.h. */
#include "recruit/workcal.h"
#include "core/date.h"
#include "core/grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wday {
	long d;          /* zb_date_days */
	char kind;       /* 'o' / 'w' */
} wday;

struct zb_workcal {
	wday *days;      /* sorted by d */
	size_t n, cap;
	int sorted;
};

zb_workcal *zb_workcal_new(void)
{
	return calloc(1, sizeof(zb_workcal));
}

void zb_workcal_free(zb_workcal *c)
{
	if (!c)
		return;
	free(c->days);
	free(c);
}

static int cmp_wday(const void *x, const void *y)
{
	const wday *a = x, *b = y;
	return a->d < b->d ? -1 : a->d > b->d;
}

static const wday *find(const zb_workcal *c, long d)
{
	if (!c || !c->n)
		return NULL;
	if (!c->sorted) {
		zb_workcal *m = (zb_workcal *)c; /* sorting is not a visible change */
		qsort(m->days, m->n, sizeof *m->days, cmp_wday);
		m->sorted = 1;
	}
	wday key = {d, 0};
	return bsearch(&key, c->days, c->n, sizeof *c->days, cmp_wday);
}

int zb_workcal_set(zb_workcal *c, const char *day, char kind, const char *name)
{
	(void)name; /* the engine needs the kind; names live in the table */
	if (!c || !day || !zb_date_valid(day) || (kind != 'o' && kind != 'w'))
		return -1;
	long d = zb_date_days(day);
	for (size_t i = 0; i < c->n; i++)
		if (c->days[i].d == d) {
			c->days[i].kind = kind;
			return 0;
		}
	if (ZB_GROW(c->days, c->n, c->cap))
		return -1;
	c->days[c->n++] = (wday){d, kind};
	c->sorted = 0;
	return 0;
}

/* 0 Sunday .. 6 Saturday (1970-01-01 was a Thursday) */
static int weekday(long d)
{
	return (int)(((d % 7) + 7 + 4) % 7);
}

static int workday(const zb_workcal *c, long d)
{
	const wday *w = find(c, d);
	if (w)
		return w->kind == 'w';
	int wd = weekday(d);
	return wd != 0 && wd != 6;
}

int zb_workcal_is_workday(const zb_workcal *c, const char *day)
{
	return workday(c, zb_date_days(day));
}

int zb_workcal_known(const zb_workcal *c, int year)
{
	char a[11], b[11];
	snprintf(a, sizeof a, "%04d-01-01", year);
	snprintf(b, sizeof b, "%04d-12-31", year);
	long lo = zb_date_days(a), hi = zb_date_days(b);
	for (size_t i = 0; c && i < c->n; i++)
		if (c->days[i].d >= lo && c->days[i].d <= hi)
			return 1;
	return 0;
}

void zb_workcal_nth(const zb_workcal *c, const char *from, int n, char out[11])
{
	long d = zb_date_days(from);
	if (n < 1)
		n = 1;
	for (int seen = 0;; d++)
		if (workday(c, d) && ++seen == n)
			break;
	zb_date_from_days(d, out);
}

int zb_workcal_count(const zb_workcal *c, const char *a, const char *b)
{
	int n = 0;
	for (long d = zb_date_days(a), end = zb_date_days(b); d <= end; d++)
		n += workday(c, d);
	return n;
}

/* ---- the table ---- */

static int load_row(zb_stmt *st, void *ctx, zb_err *e)
{
	const char *day = zb_col_text(st, 0), *kind = zb_col_text(st, 1);
	if (zb_workcal_set(ctx, day, kind && !strcmp(kind, "work") ? 'w' : 'o', NULL))
		return zb_fail(e, ZB_EINTERNAL, NULL, "工作日历中有无效的日期：%s", day ? day : "");
	return 0;
}

int zb_workcal_load(zb_db *db, int from_year, int to_year, zb_workcal **out, zb_err *e)
{
	*out = NULL;
	zb_workcal *c = zb_workcal_new();
	if (!c)
		return zb_fail(e, ZB_EINTERNAL, NULL, "内存不足");
	char lo[11], hi[11];
	snprintf(lo, sizeof lo, "%04d-01-01", from_year);
	snprintf(hi, sizeof hi, "%04d-12-31", to_year);
	int rc = zb_db_each(db, e, load_row, c, "SELECT day, kind FROM work_calendar WHERE day >= ? AND day <= ? ORDER BY day",
	                    "ss", lo, hi);
	if (rc) {
		zb_workcal_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

typedef struct wlist {
	zb_arena *a;
	zb_workday *rows;
	size_t n, cap;
} wlist;

static int list_row(zb_stmt *st, void *ctx, zb_err *e)
{
	(void)e;
	wlist *l = ctx;
	ZB_AGROW(l->a, l->rows, l->n, l->cap);
	zb_workday *w = &l->rows[l->n++];
	w->day = zb_arena_strdup(l->a, zb_col_text(st, 0));
	const char *kind = zb_col_text(st, 1);
	w->kind = kind && !strcmp(kind, "work") ? 'w' : 'o';
	w->name = zb_arena_strdup(l->a, zb_col_text(st, 2) ? zb_col_text(st, 2) : "");
	w->provisional = (int)zb_col_int(st, 3);
	w->source = zb_arena_strdup(l->a, zb_col_text(st, 4) ? zb_col_text(st, 4) : "");
	return 0;
}

int zb_workcal_list(zb_db *db, int year, zb_arena *a, zb_workday **rows, int *n, zb_err *e)
{
	char lo[11], hi[11];
	snprintf(lo, sizeof lo, "%04d-01-01", year);
	snprintf(hi, sizeof hi, "%04d-12-31", year);
	wlist l = {.a = a};
	int rc = zb_db_each(db, e, list_row, &l,
	                    "SELECT day, kind, name, provisional, source FROM work_calendar "
	                    "WHERE day >= ? AND day <= ? ORDER BY day",
	                    "ss", lo, hi);
	*rows = l.rows;
	*n = rc ? 0 : (int)l.n;
	return rc;
}

int zb_workcal_check(int year, const zb_workday *rows, int n, zb_err *e)
{
	char field[64], prefix[6];
	snprintf(prefix, sizeof prefix, "%04d-", year);
	for (int i = 0; i < n; i++) {
		const zb_workday *w = &rows[i];
		snprintf(field, sizeof field, "days[%d].day", i);
		if (!w->day || !zb_date_valid(w->day) || strncmp(w->day, prefix, 5))
			return zb_fail(e, ZB_EINVAL, field, "第 %d 行的日期 %s 不是 %d 年的有效日期（YYYY-MM-DD）", i + 1,
			               w->day ? w->day : "", year);
		for (int j = 0; j < i; j++)
			if (!strcmp(rows[j].day, w->day))
				return zb_fail(e, ZB_EINVAL, field, "日期 %s 重复出现（第 %d 行和第 %d 行）", w->day, j + 1, i + 1);
		if (w->kind != 'o' && w->kind != 'w') {
			snprintf(field, sizeof field, "days[%d].kind", i);
			return zb_fail(e, ZB_EINVAL, field, "第 %d 行（%s）的类型应为 off（放假）或 work（调休上班）", i + 1, w->day);
		}
		int wd = weekday(zb_date_days(w->day));
		if (w->kind == 'w' && wd != 0 && wd != 6) {
			snprintf(field, sizeof field, "days[%d].kind", i);
			return zb_fail(e, ZB_EINVAL, field, "%s 是工作日（星期%s），不必标为调休上班：只有星期六、星期日能标为 work",
			               w->day, (const char *[]){"日", "一", "二", "三", "四", "五", "六"}[wd]);
		}
		if (!w->name || !*w->name || strlen(w->name) > 100) {
			snprintf(field, sizeof field, "days[%d].name", i);
			return zb_fail(e, ZB_EINVAL, field, "第 %d 行（%s）须写明节日名称（不超过 100 字节）", i + 1, w->day);
		}
		if (w->source && strlen(w->source) > 300) {
			snprintf(field, sizeof field, "days[%d].source", i);
			return zb_fail(e, ZB_EINVAL, field, "第 %d 行（%s）的依据过长（不超过 300 字节）", i + 1, w->day);
		}
	}
	return 0;
}

int zb_workcal_replace(zb_db *db, int year, const zb_workday *rows, int n, int64_t *removed, zb_err *e)
{
	int rc = zb_workcal_check(year, rows, n, e);
	if (rc)
		return rc;
	char lo[11], hi[11];
	snprintf(lo, sizeof lo, "%04d-01-01", year);
	snprintf(hi, sizeof hi, "%04d-12-31", year);
	if ((rc = zb_db_run(db, e, removed, "DELETE FROM work_calendar WHERE day >= ? AND day <= ?", "ss", lo, hi)))
		return rc;
	for (int i = 0; i < n && !rc; i++)
		rc = zb_db_run(db, e, NULL, "INSERT INTO work_calendar (day, kind, name, provisional, source) VALUES (?, ?, ?, ?, ?)",
		               "sssis", rows[i].day, rows[i].kind == 'w' ? "work" : "off", rows[i].name,
		               (int64_t)(rows[i].provisional != 0), rows[i].source ? rows[i].source : "");
	return rc;
}

int zb_workcal_replace_audited(zb_db *db, zb_app *app, const zb_audit_ev *by, int year, const zb_workday *rows,
                               int n, zb_err *e)
{
	int rc = zb_workcal_check(year, rows, n, e);
	if (rc || (rc = zb_db_begin_write(db, e)))
		return rc;
	int64_t removed = 0;
	rc = zb_workcal_replace(db, year, rows, n, &removed, e);
	if (!rc) {
		zb_audit_detail d;
		zb_jw *w = zb_audit_detail_begin(&d);
		jw_kint(w, "year", year);
		jw_kint(w, "removed", removed);
		jw_kint(w, "days", n);
		rc = zb_audit_change_detail(db, app, by, "workcal.replace", "work_calendar", year, NULL, &d, e);
	}
	return zb_db_end(db, rc, e);
}
