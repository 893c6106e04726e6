/*
 * test_merge.c - unit tests for merging an allocation's records into one
 * interval and ordering rows (store/merge.c): which end wins, sorted
 * output on both the radix and the comparison path, and the collapse of a
 * group as runs meet it equal to merging everything at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <zlib.h>

#include "cgn.h"
#include "codec.h"
#include "ival.h"
#include "merge.h"
#include "pair.h"
#include "runmerge.h"
#include "shard.h"
#include "store.h"
#include "stest.h"

static void
merge_open_and_closed_collapse_to_closed(void **state)
{
	struct ival rows[3];

	(void)state;
	/* the open record first, as a shard's runs give them */
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), 0,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	rows[0].ev_start = 11;	/* only the open record knows these */
	rows[0].sub = 5;
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 30, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	rows[1].ev_end = 22;
	assert_int_equal(ival_merge(rows, 2), 1);
	assert_int_equal(rows[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(rows[0].start_ms, T(10, 0, 0));
	assert_int_equal(rows[0].end_ms, T(10, 30, 0));
	assert_int_equal(rows[0].ev_start, 11);
	assert_int_equal(rows[0].ev_end, 22);
	assert_int_equal(rows[0].sub, 5);
	/* with a checkpoint copy of the open one on either side */
	rows[2] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 30, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	rows[2].ev_end = 22;
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), 0,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	rows[0] = rows[1];
	assert_int_equal(ival_merge(rows, 3), 1);
	assert_int_equal(rows[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(rows[0].end_ms, T(10, 30, 0));
	assert_int_equal(rows[0].ev_end, 22);
}

static void
merge_logged_end_beats_reuse_end(void **state)
{
	struct ival rows[2];

	(void)state;
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 20, 0),
	    STORE_F_START_LOGGED | STORE_F_END_REUSE);
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 40, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	assert_int_equal(ival_merge(rows, 2), 1);
	assert_int_equal(rows[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(rows[0].end_ms, T(10, 40, 0));
	/* and the other way round */
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 40, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 20, 0),
	    STORE_F_START_LOGGED | STORE_F_END_REUSE);
	assert_int_equal(ival_merge(rows, 2), 1);
	assert_int_equal(rows[0].end_ms, T(10, 40, 0));
	/* reuse beats max age */
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 5, 0),
	    STORE_F_START_LOGGED | STORE_F_END_MAXAGE);
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 20, 0),
	    STORE_F_START_LOGGED | STORE_F_END_REUSE);
	assert_int_equal(ival_merge(rows, 2), 1);
	assert_int_equal(rows[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
}

static void
merge_equal_rank_keeps_earlier_end(void **state)
{
	struct ival rows[2];

	(void)state;
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 40, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 30, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	assert_int_equal(ival_merge(rows, 2), 1);
	assert_int_equal(rows[0].end_ms, T(10, 30, 0));
}

static void
merge_keeps_different_allocations_sorted(void **state)
{
	struct ival rows[4];

	(void)state;
	rows[0] = mk_ival("100.64.0.2", T(10, 20, 0), T(10, 40, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	rows[1] = mk_ival("100.64.0.1", T(10, 0, 0), T(10, 20, 0),
	    STORE_F_START_LOGGED | STORE_F_END_REUSE);
	/* same ports and start, another inside: not the same allocation */
	rows[2] = mk_ival("100.64.0.3", T(10, 0, 0), 0,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	rows[3] = rows[1];
	rows[3].port_lo = 1024;
	rows[3].port_hi = 1151;
	assert_int_equal(ival_merge(rows, 4), 4);
	assert_int_equal(rows[0].port_lo, 1024);
	assert_addr(&rows[1].inside, "100.64.0.1");
	assert_addr(&rows[2].inside, "100.64.0.3");
	assert_addr(&rows[3].inside, "100.64.0.2");
	assert_int_equal(ival_merge(rows, 1), 1);
	assert_int_equal(ival_merge(rows, 0), 0);
}

/* Thousands of IPv4 rows take the radix path: each allocation's open and
 * closed records collapse, a second holder of the same ports stays, and
 * the rows come out in block order. */
/* Enough rows for the radix path (v6: one public address is IPv6, which
 * sends them all to the comparison sort). */
static void
merge_many_rows(int v6)
{
	enum { N = 1500 };
	struct ival *rows = calloc(3 * N, sizeof(*rows)), t;
	size_t i, n = 0, j;
	uint32_t x = 12345;

	assert_non_null(rows);
	for (i = 0; i < N; i++) {
		/* allocation i: ports by i, a closed and an open record */
		rows[n] = mk_ival("100.64.0.1", T(10, 0, 0) + (int64_t)(i % 7),
		    T(11, 0, 0), STORE_F_START_LOGGED | STORE_F_END_LOGGED);
		cgn_addr_v4(&rows[n].outside, 0xc6336400u + (uint32_t)(i % 5));
		if (v6 && i == N / 2)
			rows[n].outside = addr("2001:db8::1");
		rows[n].port_lo = (uint16_t)(1024 + (i / 5) * 128);
		rows[n].port_hi = (uint16_t)(rows[n].port_lo + 127);
		rows[n].ev_end = i + 1;
		rows[n + 1] = rows[n];
		rows[n + 1].flags = STORE_F_START_LOGGED | STORE_F_OPEN;
		rows[n + 1].ev_end = 0;
		n += 2;
		if (i % 3 == 0) {
			/* the next holder of the same ports, open */
			rows[n] = rows[n - 1];
			rows[n].start_ms = T(11, 0, 0);
			rows[n].inside = addr("100.64.0.2");
			n++;
		}
	}
	for (i = n - 1; i > 0; i--) {	/* shuffled, deterministically */
		x = x * 1103515245u + 12345u;
		j = (x >> 8) % (i + 1);
		t = rows[i];
		rows[i] = rows[j];
		rows[j] = t;
	}
	assert_int_equal(ival_merge(rows, n), N + N / 3);
	for (i = 0; i < N + N / 3; i++) {
		if (i > 0)
			assert_true(ival_cmp(&rows[i - 1], &rows[i]) < 0);
		if (rows[i].start_ms == T(11, 0, 0)) {
			assert_int_equal(rows[i].flags, STORE_F_START_LOGGED |
			    STORE_F_OPEN);
			assert_addr(&rows[i].inside, "100.64.0.2");
		} else {
			assert_int_equal(rows[i].flags, STORE_F_START_LOGGED |
			    STORE_F_END_LOGGED);
			assert_int_equal(rows[i].end_ms, T(11, 0, 0));
			assert_true(rows[i].ev_end >= 1);
		}
	}
	free(rows);
}

static void
merge_many_v4_rows_collapse_and_sort(void **state)
{
	(void)state;
	merge_many_rows(0);
}

static void
merge_many_rows_with_one_v6_address_collapse_and_sort(void **state)
{
	(void)state;
	merge_many_rows(1);
}

/* Reference order: (address, first port, start), then arrival. */
static const struct ival *ref_rows;

static int
ref_cmp(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	const struct ival *x = &ref_rows[a], *y = &ref_rows[b];
	int c = cgn_addr_cmp(&x->outside, &y->outside);

	if (c != 0)
		return c;
	if (x->port_lo != y->port_lo)
		return x->port_lo < y->port_lo ? -1 : 1;
	if (x->start_ms != y->start_ms)
		return x->start_ms < y->start_ms ? -1 : 1;
	return a < b ? -1 : a > b;
}

/*
 * The radix path sorts only the key bits that differ somewhere: keys all
 * equal (no pass), differing only in the address's top byte, only in the
 * port's low bit, or anywhere; each against a plain comparison sort.
 */
static void
order_sorts_only_the_bits_that_differ(void **state)
{
	enum { N = 3000 };
	struct ival *rows = calloc(N, sizeof(*rows));
	uint32_t *got = calloc(N, sizeof(*got)), *want = calloc(N,
	    sizeof(*want)), x = 777;
	size_t i;
	int shape;

	(void)state;
	assert_non_null(rows);
	for (shape = 0; shape < 4; shape++) {
		for (i = 0; i < N; i++) {
			x = x * 1103515245u + 12345u;
			rows[i] = mk_ival("100.64.0.1", T(10, 0, 0) +
			    (int64_t)((x >> 8) % 50), T(11, 0, 0),
			    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
			cgn_addr_v4(&rows[i].outside, shape == 1 ?
			    (x >> 4 & 1 ? 0xc6336400u : 0x0a336400u) :
			    shape == 3 ? 0xc6336400u + (x >> 12) % 300 :
			    0xc6336400u);
			rows[i].port_lo = (uint16_t)(shape == 2 ? 4096 +
			    (x >> 20 & 1) : shape == 3 ? (x >> 3) : 4096);
			rows[i].port_hi = rows[i].port_lo;
			want[i] = (uint32_t)i;
		}
		ref_rows = rows;
		qsort(want, N, sizeof(*want), ref_cmp);
		assert_int_equal(ival_order(rows, N, got), CGN_OK);
		assert_memory_equal(got, want, N * sizeof(*got));
	}
	free(rows);
	free(got);
	free(want);
}

static void
merge_end_rank_order(void **state)
{
	struct ival iv;

	(void)state;
	iv = mk_ival("100.64.0.1", 0, 0, STORE_F_OPEN | STORE_F_END_LOGGED);
	assert_int_equal(ival_end_rank(&iv), 0);
	iv.flags = STORE_F_END_LOGGED;
	assert_int_equal(ival_end_rank(&iv), 3);
	iv.flags = STORE_F_END_REUSE;
	assert_int_equal(ival_end_rank(&iv), 2);
	iv.flags = STORE_F_END_MAXAGE;
	assert_int_equal(ival_end_rank(&iv), 1);
	iv.flags = STORE_F_END_IDLE;
	assert_int_equal(ival_end_rank(&iv), 1);
}

/* n rows of few keys (2 addresses, 2 ports, 2 starts), insides and
 * devices, with random ends: many records of the same allocation. */
static struct ival *
dup_rows(size_t n, uint64_t seed)
{
	static const uint16_t fl[] = { STORE_F_OPEN, STORE_F_END_LOGGED,
	    STORE_F_END_REUSE, STORE_F_END_MAXAGE };
	struct ival *rows;
	size_t i;

	prng_seed(seed);
	assert_non_null(rows = calloc(n, sizeof(*rows)));
	for (i = 0; i < n; i++) {
		struct ival *r = &rows[i];

		*r = mk_ival(prng() % 2 ? "100.64.0.1" : "100.64.0.2",
		    T(10, 0, (int)(prng() % 2)), 0, 0);
		r->outside = addr(prng() % 2 ? "198.51.100.7" :
		    "198.51.100.9");
		r->port_lo = prng() % 2 ? 1024 : 1536;
		r->port_hi = (uint16_t)(r->port_lo + 511);
		r->dev = (uint32_t)(1 + prng() % 2);
		r->flags = (uint16_t)(STORE_F_START_LOGGED | fl[prng() % 4]);
		if (!(r->flags & STORE_F_OPEN))
			r->end_ms = r->start_ms + (int64_t)(prng() % 5) * 1000;
		r->ev_start = prng() % 3 ? 0 : prng() % 1000 + 1;
		r->sub = (uint32_t)(prng() % 3);
	}
	return rows;
}

static void
merge_collapse_of_groups_is_merge(void **state)
{
	struct ival *want = dup_rows(3000, 31), *got = dup_rows(3000, 31);
	size_t nw, i, j, g, k = 0;

	(void)state;
	nw = ival_merge(want, 3000);
	assert_true(nw < 100);		/* 64 keys at most, times devices */
	assert_int_equal(ival_sort(got, 3000), CGN_OK);
	for (i = 0; i < 3000; i = j) {
		for (j = i + 1; j < 3000 && got[j].start_ms ==
		    got[i].start_ms && got[j].port_lo == got[i].port_lo &&
		    cgn_addr_cmp(&got[j].outside, &got[i].outside) == 0; j++)
			;
		g = ival_collapse(got + i, j - i);
		memmove(got + k, got + i, g * sizeof(*got));
		k += g;
	}
	assert_int_equal(k, nw);
	for (i = 0; i < k; i++)
		assert_ival_equal(&got[i], &want[i], i);
	free(want);
	free(got);
}

static void
merge_sessions_differing_only_in_destination_stay_two(void **state)
{
	struct ival rows[4], g[4];

	(void)state;
	rows[0] = mk_ival("100.64.0.1", T(10, 0, 0), 0,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	rows[0].kind = STORE_K_SESSION;
	rows[0].port_lo = rows[0].port_hi = 40000;
	rows[0].dst = addr("203.0.113.10");
	rows[0].dst_port = 443;
	rows[1] = rows[0];
	rows[1].dst = addr("203.0.113.20");
	rows[2] = rows[0];
	rows[2].dst_port = 80;
	/* the closed form of the first */
	rows[3] = rows[0];
	rows[3].flags = STORE_F_START_LOGGED | STORE_F_END_LOGGED;
	rows[3].end_ms = T(10, 5, 0);
	memcpy(g, rows, sizeof(g));
	assert_int_equal(ival_merge(rows, 4), 3);
	assert_int_equal(ival_collapse(g, 4), 3);
	assert_addr(&g[0].dst, "203.0.113.10");
	assert_int_equal(g[0].dst_port, 443);
	assert_int_equal(g[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(g[0].end_ms, T(10, 5, 0));
	assert_addr(&g[1].dst, "203.0.113.20");
	assert_int_equal(g[1].flags, STORE_F_START_LOGGED | STORE_F_OPEN);
	assert_addr(&g[2].dst, "203.0.113.10");
	assert_int_equal(g[2].dst_port, 80);
	assert_int_equal(g[2].flags, STORE_F_START_LOGGED | STORE_F_OPEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_open_and_closed_collapse_to_closed),
		cmocka_unit_test(merge_logged_end_beats_reuse_end),
		cmocka_unit_test(merge_equal_rank_keeps_earlier_end),
		cmocka_unit_test(merge_keeps_different_allocations_sorted),
		cmocka_unit_test(merge_many_v4_rows_collapse_and_sort),
		cmocka_unit_test(merge_many_rows_with_one_v6_address_collapse_and_sort),
		cmocka_unit_test(order_sorts_only_the_bits_that_differ),
		cmocka_unit_test(merge_end_rank_order),
		cmocka_unit_test(merge_collapse_of_groups_is_merge),
		cmocka_unit_test(
		    merge_sessions_differing_only_in_destination_stay_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
