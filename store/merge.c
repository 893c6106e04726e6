/*
 * merge.c - block order and the collapse of one allocation's records (see
 * merge.h).
 *
 * Sorting moves keys, not rows: a row is over a hundred bytes, a key is
 * the public address as two integers, the first port and the start packed
 * in a third, and the row's index. Rows are gathered once at the end.
 */
#include <stdlib.h>
#include <string.h>

#include "a128.h"
#include "merge.h"
#include "radix.h"
#include "store.h"

/* Marks a row merged into another: no real row has every flag. */
#define MERGED 0xffff

struct skey {
	uint64_t hi, lo;	/* public address */
	uint64_t ps;		/* first port << 48 | start (48 bits) */
	uint32_t idx;
};

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

int
ival_cmp(const void *pa, const void *pb)
{
	const struct ival *a = pa, *b = pb;
	int c;

	if ((c = memcmp(a->outside.b, b->outside.b, 16)) != 0)
		return c;
	if (a->port_lo != b->port_lo)
		return a->port_lo < b->port_lo ? -1 : 1;
	if (a->start_ms != b->start_ms)
		return a->start_ms < b->start_ms ? -1 : 1;
	return 0;
}

static int
skey_cmp(const void *pa, const void *pb)
{
	const struct skey *a = pa, *b = pb;

	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	if (a->ps != b->ps)
		return a->ps < b->ps ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/*
 * The radix path, when every public address is IPv4 (else CGN_EINVAL):
 * (address, first port) is a 48-bit key, sorted stably, then starts put in
 * order within each run of equal keys (rows mostly arrive in time order:
 * runs are short and nearly sorted). The keys and starts are taken in one
 * pass along the rows, and the sort reads only them: in block order the
 * rows are scattered over the whole queue, and reading a row's start
 * there was a cache miss each (a tenth of the writer's time at 262,144
 * rows a flush). With keys, (*keys)[i] and (*starts)[i] are those of
 * rows[order[i]] (ownership passes to the caller).
 */
static int
sort_v4(const struct ival *rows, size_t n, uint32_t *order, uint64_t **keys,
    int64_t **starts)
{
	uint64_t *k = malloc(n * sizeof(*k)), *k2 = malloc(n * sizeof(*k2));
	uint64_t diff = 0;
	uint32_t *i2 = malloc(n * sizeof(*i2)), v4, t;
	int64_t *st = malloc(n * sizeof(*st)), ts;
	size_t *cnt = malloc(RADIX_KV_CNT * sizeof(*cnt)), i, j, run;
	int rc = CGN_ENOMEM;

	if (k == NULL || k2 == NULL || i2 == NULL || st == NULL || cnt == NULL)
		goto out;
	rc = CGN_EINVAL;
	for (i = 0; i < n; i++) {
		if (!cgn_addr_is_v4(&rows[i].outside, &v4))
			goto out;
		k[i] = (uint64_t)v4 << 16 | rows[i].port_lo;
		diff |= k[i] ^ k[0];
		st[i] = rows[i].start_ms;
		order[i] = (uint32_t)i;
	}
	/* only the bits that differ somewhere: a CGN pool is a /20 to a /24
	 * and its ports come in blocks, so 12 to 20 of the 48 (two passes
	 * instead of four in bench-store) */
	if (diff != 0)
		radix_kv(k, order, k2, i2, n, __builtin_ctzll(diff),
		    64 - __builtin_clzll(diff), cnt);
	for (i = 0; i < n; i = run) {
		for (run = i + 1; run < n && k[run] == k[i]; run++)
			;
		for (j = i + 1; j < run; j++) {
			size_t m = j;

			t = order[j];
			ts = st[t];
			while (m > i && st[order[m - 1]] > ts) {
				order[m] = order[m - 1];
				m--;
			}
			order[m] = t;
		}
	}
	rc = CGN_OK;
	if (keys != NULL) {
		/* starts in block order, read along order[] once */
		if ((*starts = malloc(n * sizeof(**starts))) == NULL) {
			rc = CGN_ENOMEM;
			goto out;
		}
		for (i = 0; i < n; i++)
			(*starts)[i] = st[order[i]];
		*keys = k;
		k = NULL;
	}
out:
	free(k);
	free(k2);
	free(i2);
	free(st);
	free(cnt);
	return rc;
}

static int
sort_any(const struct ival *rows, size_t n, uint32_t *order)
{
	struct skey *k;
	int64_t base;
	size_t i;

	if ((k = malloc(n * sizeof(*k))) == NULL)
		return CGN_ENOMEM;
	base = rows[0].start_ms;
	for (i = 1; i < n; i++)
		if (rows[i].start_ms < base)
			base = rows[i].start_ms;
	for (i = 0; i < n; i++) {
		struct a128 a = a128_of(&rows[i].outside);
		uint64_t rel = (uint64_t)(rows[i].start_ms - base);

		k[i].hi = a.hi;
		k[i].lo = a.lo;
		/* 48 bits of ms are 8900 years: a start beyond is clamped,
		 * and its order among equals is then by arrival */
		k[i].ps = (uint64_t)rows[i].port_lo << 48 |
		    (rel > 0xffffffffffffULL ? 0xffffffffffffULL : rel);
		k[i].idx = (uint32_t)i;
	}
	qsort(k, n, sizeof(*k), skey_cmp);
	for (i = 0; i < n; i++)
		order[i] = k[i].idx;
	free(k);
	return CGN_OK;
}

/* The comparison path, for rows of any address family. */
static int
order_any(const struct ival *rows, size_t n, uint32_t *order)
{
	size_t i;

	if (n >= 2)
		return sort_any(rows, n, order);
	for (i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	return CGN_OK;
}

int
ival_order(const struct ival *rows, size_t n, uint32_t *order)
{
	int rc;

	if (n >= 2048 && (rc = sort_v4(rows, n, order, NULL, NULL)) !=
	    CGN_EINVAL)
		return rc;
	return order_any(rows, n, order);
}

int
ival_same_group(const struct ival *a, const struct ival *b)
{
	return a->start_ms == b->start_ms && a->port_lo == b->port_lo &&
	    memcmp(a->outside.b, b->outside.b, 16) == 0;
}

/* Put rows in the order given (tmp: room for n rows). */
static void
gather(struct ival *rows, const uint32_t *order, size_t n, struct ival *tmp)
{
	size_t i;

	for (i = 0; i < n; i++)
		tmp[i] = rows[order[i]];
	memcpy(rows, tmp, n * sizeof(*rows));
}

int
ival_sort(struct ival *rows, size_t n)
{
	struct ival *tmp;
	uint32_t *order;
	int rc;

	if (n < 2)
		return CGN_OK;
	if ((order = malloc(n * sizeof(*order))) == NULL ||
	    (tmp = malloc(n * sizeof(*tmp))) == NULL) {
		free(order);
		return CGN_ENOMEM;
	}
	if ((rc = ival_order(rows, n, order)) == CGN_OK)
		gather(rows, order, n, tmp);
	free(tmp);
	free(order);
	return rc;
}

/* Same allocation, given equal address, first port and start. Two
 * sessions that differ only in destination are two (one public port held
 * for two destinations at once). */
static int
same_rest(const struct ival *a, const struct ival *b)
{
	return a->port_hi == b->port_hi && a->dev == b->dev &&
	    a->kind == b->kind && a->proto == b->proto && a->vrf == b->vrf &&
	    memcmp(a->inside.b, b->inside.b, 16) == 0 &&
	    memcmp(a->dst.b, b->dst.b, 16) == 0 && a->dst_port == b->dst_port;
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
	if (a->ev_start == 0)
		a->ev_start = evs;
	if (a->sub == 0)
		a->sub = sub;
}

/* In one group (rows of equal address, first port and start), fold each
 * allocation's later records into its first: pick() keeps the better
 * there, the later ones are marked MERGED. The group is rows[idx[0..n)],
 * or rows[0..n) when idx is NULL. */
static void
fold_group(struct ival *rows, const uint32_t *idx, size_t n)
{
	size_t j, m;

#define G(x) rows[idx != NULL ? idx[x] : (x)]
	for (j = 0; j < n; j++) {
		if (G(j).flags == MERGED)
			continue;
		for (m = j + 1; m < n; m++) {
			if (G(m).flags != MERGED && same_rest(&G(j), &G(m))) {
				pick(&G(j), &G(m));
				G(m).flags = MERGED;
			}
		}
	}
#undef G
}

size_t
ival_drop_merged(struct ival *rows, size_t n)
{
	size_t j, k = 0;

	for (j = 0; j < n; j++)
		if (rows[j].flags != MERGED)
			rows[k++] = rows[j];
	return k;
}

size_t
ival_collapse(struct ival *g, size_t n)
{
	fold_group(g, NULL, n);
	return ival_drop_merged(g, n);
}

/* Positions ival_merge_order looks ahead for groups to prefetch: a few
 * groups' worth (most rows are alone). */
#define MERGE_AHEAD 64

size_t
ival_merge_order(struct ival *rows, size_t n, uint32_t *order)
{
	uint64_t *key = NULL;
	int64_t *start = NULL;
	size_t i, j, run, k = 0, pf = 1;
	int rc = CGN_EINVAL;

	/* the radix path's keys and starts tell groups apart without
	 * reading the rows */
	if (n >= 2048 && (rc = sort_v4(rows, n, order, &key, &start)) ==
	    CGN_ENOMEM)
		return 0;
	/* not all IPv4 (or too few for radix): sort_v4 is not tried again */
	if (rc != CGN_OK && order_any(rows, n, order) != CGN_OK)
		return 0;
#define O(x) rows[order[x]]
	for (i = 0; i < n; i = run) {
		/* fold_group reads a group's rows, each a cache miss (they are
		 * scattered): ask for those of the groups ahead */
		for (; key != NULL && pf < n && pf < i + MERGE_AHEAD; pf++)
			if (key[pf] == key[pf - 1] &&
			    start[pf] == start[pf - 1]) {
				ival_prefetch(&O(pf - 1));
				ival_prefetch(&O(pf));
			}
		/* a run of equal (address, first port, start) */
		for (run = i + 1; run < n && (key != NULL ?
		    key[run] == key[i] && start[run] == start[i] :
		    ival_same_group(&O(run), &O(i))); run++)
			;
		if (run == i + 1) {
			order[k++] = order[i];	/* alone: nothing to fold */
			continue;
		}
		fold_group(rows, order + i, run - i);
		/* k <= j: order[j] is read before anything overwrites it */
		for (j = i; j < run; j++)
			if (O(j).flags != MERGED)
				order[k++] = order[j];
	}
#undef O
	free(key);
	free(start);
	return k;
}

size_t
ival_merge(struct ival *rows, size_t n)
{
	struct ival *tmp;
	uint32_t *order;
	size_t k;

	if (n < 2)
		return n;
	if ((order = malloc(n * sizeof(*order))) == NULL ||
	    (tmp = malloc(n * sizeof(*tmp))) == NULL) {
		free(order);
		return n;	/* unsorted but complete: readers merge too */
	}
	if ((k = ival_merge_order(rows, n, order)) == 0)
		k = n;
	else
		gather(rows, order, k, tmp);
	free(tmp);
	free(order);
	return k;
}
