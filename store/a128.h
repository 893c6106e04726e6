/*
 * a128.h - a cgn_addr as two host-order 64-bit halves, so that ordering,
 * deltas and equality are integer operations instead of byte loops and
 * memcmp. Private to store/.
 */
#ifndef A128_H
#define A128_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

#include "cgn.h"

struct a128 {
	uint64_t hi, lo;
};

static inline struct a128
a128_of(const struct cgn_addr *a)
{
	struct a128 r;

	memcpy(&r.hi, a->b, 8);
	memcpy(&r.lo, a->b + 8, 8);
	r.hi = be64toh(r.hi);
	r.lo = be64toh(r.lo);
	return r;
}

static inline void
a128_set(struct cgn_addr *a, uint64_t hi, uint64_t lo)
{
	hi = htobe64(hi);
	lo = htobe64(lo);
	memcpy(a->b, &hi, 8);
	memcpy(a->b + 8, &lo, 8);
}

/* The all-zero address (none). */
static inline int
a128_zero(const struct cgn_addr *a)
{
	uint64_t x, y;

	memcpy(&x, a->b, 8);
	memcpy(&y, a->b + 8, 8);
	return (x | y) == 0;
}

static inline int
a128_cmp(const struct a128 *x, const struct a128 *y)
{
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return 0;
}

#endif /* A128_H */
