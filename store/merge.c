/*
 * merge.c - collapse the records of one allocation (see merge.h).
 */
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "store.h"

int
ival_end_rank(const struct ival *iv)
{
	if (iv->flags & STORE_F_OPEN)
		return 0;
	if (iv->flags & STORE_F_END_LOGGED)
		return 3;
	if (iv->flags & STORE_F_END_REUSE)
		return 2;
	return 1;
}

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

static int
ident_cmp(const void *pa, const void *pb)
{
	const struct ival *a = pa, *b = pb;
	int c;

	if ((c = memcmp(a->outside.b, b->outside.b, 16)) != 0)
		return c;
	CMP(a->port_lo, b->port_lo);
	CMP(a->start_ms, b->start_ms);
	CMP(a->port_hi, b->port_hi);
	CMP(a->dev, b->dev);
	CMP(a->kind, b->kind);
	CMP(a->proto, b->proto);
	CMP(a->vrf, b->vrf);
	return memcmp(a->inside.b, b->inside.b, 16);
}

/* Keep in *a the better of a and b. */
static void
pick(struct ival *a, const struct ival *b)
{
	int ra = ival_end_rank(a), rb = ival_end_rank(b);
	uint64_t evs = a->ev_start ? a->ev_start : b->ev_start;
	uint32_t sub = a->sub ? a->sub : b->sub;

	if (rb > ra || (rb == ra && ra > 0 && b->end_ms < a->end_ms))
		*a = *b;
	/* what either record knows of the start survives the choice */
	if (a->ev_start == 0)
		a->ev_start = evs;
	if (a->sub == 0)
		a->sub = sub;
}

size_t
ival_merge(struct ival *rows, size_t n)
{
	size_t i, k;

	if (n < 2)
		return n;
	qsort(rows, n, sizeof(*rows), ident_cmp);
	for (i = 1, k = 0; i < n; i++) {
		if (ident_cmp(&rows[k], &rows[i]) == 0)
			pick(&rows[k], &rows[i]);
		else
			rows[++k] = rows[i];
	}
	return k + 1;
}
