/*
 * test_store.c - unit tests for store/: the block codec, the pairing of
 * events into intervals, merging, and the writer and reader end to end in
 * a temporary directory.
 *
 * Random rows come from a seeded PRNG, so a failure repeats. Every store
 * lives under its own mkdtemp() directory in /tmp, removed by the
 * teardown even when a test fails.
 * Not here: parsing (test_parser.c), verdicts (test_query.c).
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

/* ---- helpers ---------------------------------------------------------- */

static uint64_t prng_state;

static uint64_t
prng(void)
{
	/* splitmix64: reproducible from the seed on every machine */
	uint64_t z = (prng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct cgn_addr
addr(const char *s)
{
	struct cgn_addr a;

	if (cgn_addr_parse(s, strlen(s), &a) != CGN_OK)
		fail_msg("bad address in test: %s", s);
	return a;
}

static void
assert_addr(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

/* 2026-11-28T00:00:00Z and a time of that day. */
#define DAY 1795824000000LL
#define T(h, m, s) (DAY + (h) * 3600000LL + (m) * 60000LL + (s) * 1000LL)
#define HOUR 3600000LL

/* ---- rows for the codec ----------------------------------------------- */

static void
rand_addr(struct cgn_addr *a, int v6)
{
	if (v6) {
		a->b[0] = 0x20;
		a->b[1] = 0x01;
		a->b[2] = 0x0d;
		a->b[3] = 0xb8;
		for (int i = 4; i < 16; i++)
			a->b[i] = (uint8_t)prng();
	} else {
		cgn_addr_v4(a, (uint32_t)prng());
	}
}

static uint64_t
rand_ref(int64_t near_ms)
{
	switch (prng() % 4) {
	case 0:
		return 0;
	case 1:
		return UINT64_MAX - prng() % 1000;	/* large */
	default:
		return (uint64_t)(near_ms + (int64_t)(prng() % 5000)) << 16 |
		    (prng() & 0xffff);
	}
}

/* A random interval; outsides from a small pool so they repeat. */
static void
rand_row(struct ival *r, const struct cgn_addr *pool, size_t npool)
{
	int64_t base;
	uint64_t k;

	memset(r, 0, sizeof(*r));
	r->outside = pool[prng() % npool];
	rand_addr(&r->inside, prng() % 4 == 0);
	if (prng() % 8 == 0)
		rand_addr(&r->inside_v4, 0);
	if (prng() % 4 == 0) {
		rand_addr(&r->dst, prng() % 3 == 0);
		r->dst_port = (uint16_t)prng();
	}
	k = prng() % 10;
	base = k == 0 ? 0 : k == 1 ? (1LL << 50) - 86400000 : DAY;
	r->start_ms = base + (int64_t)(prng() % 86400000);
	switch (prng() % 4) {
	case 0:
		r->port_lo = 0;
		r->port_hi = (uint16_t)(prng() % 2 ? 0 : 65535);
		break;
	case 1:
		r->port_lo = r->port_hi = 65535;
		break;
	default:
		r->port_lo = (uint16_t)(1024 + prng() % 60000);
		r->port_hi = (uint16_t)(r->port_lo + prng() % 256);
	}
	r->inside_port = (uint16_t)prng();
	r->proto = (uint8_t)prng();
	r->kind = (uint8_t)(1 + prng() % 3);
	r->flags = (uint16_t)(prng() & 0x1bf);	/* every flag but OPEN */
	r->dev = (uint32_t)(1 + prng() % 70000);
	r->vrf = prng() % 2 ? 0 : (uint32_t)prng();
	r->sub = prng() % 2 ? 0 : (uint32_t)prng();
	if (prng() % 5 == 0) {
		/* open: the end is meaningless and stored as the start */
		r->flags |= STORE_F_OPEN;
		r->end_ms = r->start_ms;
	} else {
		r->end_ms = r->start_ms + (prng() % 3 == 0 ? 0 :
		    (int64_t)(prng() % (30LL * 86400000)));
		r->ev_end = rand_ref(r->end_ms);
	}
	r->ev_start = rand_ref(r->start_ms);
}

static void
assert_ival_equal(const struct ival *got, const struct ival *want, size_t i)
{
	char a[CGN_ADDR_STRLEN], b[CGN_ADDR_STRLEN];

#define FIELD(f) do {							\
	if (got->f != want->f)						\
		fail_msg("row %zu: " #f " %llu, want %llu", i,		\
		    (unsigned long long)got->f,				\
		    (unsigned long long)want->f);			\
} while (0)
#define ADDR(f) do {							\
	if (cgn_addr_cmp(&got->f, &want->f) != 0)			\
		fail_msg("row %zu: " #f " %s, want %s", i,		\
		    cgn_addr_fmt(&got->f, a, sizeof(a)),		\
		    cgn_addr_fmt(&want->f, b, sizeof(b)));		\
} while (0)
	ADDR(outside);
	ADDR(inside);
	ADDR(inside_v4);
	ADDR(dst);
	FIELD(start_ms);
	FIELD(end_ms);
	FIELD(ev_start);
	FIELD(ev_end);
	FIELD(dev);
	FIELD(vrf);
	FIELD(sub);
	FIELD(port_lo);
	FIELD(port_hi);
	FIELD(inside_port);
	FIELD(dst_port);
	FIELD(flags);
	FIELD(proto);
	FIELD(kind);
#undef FIELD
#undef ADDR
}

/* n random rows in block order. */
static struct ival *
rand_rows(size_t n, uint64_t seed)
{
	struct cgn_addr pool[7];
	struct ival *rows;
	size_t i;

	prng_state = seed;
	for (i = 0; i < 7; i++)
		rand_addr(&pool[i], i == 6);
	assert_non_null(rows = calloc(n, sizeof(*rows)));
	for (i = 0; i < n; i++)
		rand_row(&rows[i], pool, 7);
	qsort(rows, n, sizeof(*rows), ival_cmp);
	return rows;
}

static void
round_trip(int use_libdeflate, int level, size_t n, uint64_t seed)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(n, seed), *out = NULL;
	uint8_t *blk = NULL;
	size_t len = 0, got = 0, cap = 0, i;

	assert_int_equal(blk_ctx_new(level, use_libdeflate, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, n, &blk, &len), CGN_OK);
	assert_true(len > 5);
	assert_int_equal(blk[0], 1);		/* format version */
	assert_int_equal(blk_decode(c, blk, len, &out, &got, &cap), CGN_OK);
	assert_int_equal(got, n);
	assert_true(cap >= n);
	for (i = 0; i < n; i++)
		assert_ival_equal(&out[i], &in[i], i);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

/* ---- codec ------------------------------------------------------------ */

static void
codec_random_rows_round_trip_zlib(void **state)
{
	(void)state;
	round_trip(0, 6, BLK_ROWS, 1);
	round_trip(0, 1, 1, 2);
	round_trip(0, 9, 77, 3);
	round_trip(0, 6, 5000, 4);
}

static void
codec_random_rows_round_trip_libdeflate(void **state)
{
	(void)state;
	round_trip(1, 6, BLK_ROWS, 11);
	round_trip(1, 1, 1, 12);
	round_trip(1, 12, 300, 13);	/* level clamped to 9 */
}

static void
codec_level_0_stores_columns_raw_and_decodes_alike(void **state)
{
	struct blk_ctx *c0 = NULL, *c1 = NULL;
	struct ival *in = rand_rows(BLK_ROWS, 21), *a = NULL, *b = NULL;
	uint64_t raw[32] = { 0 }, stored[32] = { 0 };
	uint8_t *b0 = NULL, *b1 = NULL;
	size_t l0, l1, na = 0, nb = 0, capa = 0, capb = 0, i;
	int k;

	(void)state;
	assert_int_equal(blk_ctx_new(0, 1, &c0), CGN_OK);
	assert_int_equal(blk_ctx_new(1, 1, &c1), CGN_OK);
	assert_int_equal(blk_encode(c0, in, BLK_ROWS, &b0, &l0), CGN_OK);
	assert_int_equal(blk_encode(c1, in, BLK_ROWS, &b1, &l1), CGN_OK);
	assert_true(l0 > l1);
	/* every column stored as it is */
	assert_int_equal(blk_colstats(b0, l0, raw, stored), CGN_OK);
	for (k = 0; k < blk_ncols(); k++)
		assert_int_equal(raw[k], stored[k]);
	assert_int_equal(blk_decode(c1, b0, l0, &a, &na, &capa), CGN_OK);
	assert_int_equal(blk_decode(c0, b1, l1, &b, &nb, &capb), CGN_OK);
	assert_int_equal(na, BLK_ROWS);
	assert_int_equal(nb, BLK_ROWS);
	for (i = 0; i < BLK_ROWS; i++) {
		assert_ival_equal(&a[i], &in[i], i);
		assert_ival_equal(&b[i], &in[i], i);
	}
	/* evidence is compressed at level 0 too: nothing rewrites it */
	free(b0);
	memset(raw, 'x', 200);
	assert_int_equal(blk_pack(c0, (const uint8_t *)raw, 200, &b0, &l0),
	    CGN_OK);
	assert_int_equal(b0[0], 2);
	assert_true(l0 < 100);
	free(a);
	free(b);
	free(b0);
	free(b1);
	free(in);
	blk_ctx_free(c0);
	blk_ctx_free(c1);
}

static void
codec_extreme_values_round_trip(void **state)
{
	struct ival in[6], *out = NULL;
	struct blk_ctx *c = NULL;
	uint8_t *blk = NULL;
	size_t len, n = 0, cap = 0, i;

	(void)state;
	memset(in, 0, sizeof(in));
	for (i = 0; i < 6; i++) {
		in[i].outside = addr("203.0.113.7");
		in[i].inside = addr("100.64.0.1");
		in[i].kind = STORE_K_BLOCK;
		in[i].dev = 1;
	}
	/* ports 0 and 65535, a start at 0 with no duration and no refs */
	in[0].port_lo = 0;
	in[0].port_hi = 0;
	in[0].start_ms = 0;
	in[0].end_ms = 0;
	/* the whole port range, every id at its maximum */
	in[1].port_lo = 0;
	in[1].port_hi = 65535;
	in[1].start_ms = 1;
	in[1].end_ms = 1LL << 50;
	in[1].dev = UINT32_MAX;
	in[1].vrf = UINT32_MAX;
	in[1].sub = UINT32_MAX;
	in[1].flags = 0xffff & ~STORE_F_OPEN;
	in[1].kind = 3;
	in[1].proto = 255;
	in[1].inside_port = 65535;
	in[1].dst_port = 65535;
	memset(in[1].dst.b, 0xff, 16);
	memset(in[1].inside_v4.b, 0xff, 16);
	in[1].ev_start = UINT64_MAX;
	in[1].ev_end = 1;
	/* open, near 2^50 ms */
	in[2].port_lo = 1024;
	in[2].port_hi = 1151;
	in[2].start_ms = (1LL << 50) - 1;
	in[2].end_ms = in[2].start_ms;
	in[2].flags = STORE_F_START_INTERIM | STORE_F_OPEN;
	in[2].ev_start = (uint64_t)in[2].start_ms << 16 | 0xffff;
	/* ports 65535, an IPv6 inside, zero duration late on */
	in[3].port_lo = in[3].port_hi = 65535;
	in[3].inside = addr("2001:db8::1");
	in[3].start_ms = (1LL << 50);
	in[3].end_ms = (1LL << 50);
	in[3].ev_end = (uint64_t)in[3].end_ms << 16;
	/* same outside, port and start as [3]: order kept as given */
	in[4] = in[3];
	in[4].inside = addr("2001:db8::2");
	in[5] = in[4];
	in[5].outside = addr("2001:db8:ffff::1");
	qsort(in, 6, sizeof(in[0]), ival_cmp);
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 6, &blk, &len), CGN_OK);
	assert_int_equal(blk_decode(c, blk, len, &out, &n, &cap), CGN_OK);
	assert_int_equal(n, 6);
	for (i = 0; i < 6; i++)
		assert_ival_equal(&out[i], &in[i], i);
	free(out);
	free(blk);
	blk_ctx_free(c);
}

static void
codec_whole_seconds_are_stored_in_unit_1000(void **state)
{
	struct ival in[3], *out = NULL;
	struct blk_ctx *c = NULL;
	uint8_t *blk = NULL;
	size_t len, n = 0, cap = 0, i;

	(void)state;
	memset(in, 0, sizeof(in));
	for (i = 0; i < 3; i++) {
		in[i].outside = addr("198.51.100.7");
		in[i].inside = addr("100.64.12.34");
		in[i].port_lo = (uint16_t)(1024 + 128 * i);
		in[i].port_hi = (uint16_t)(in[i].port_lo + 127);
		in[i].start_ms = T(10, 0, (int)i);
		in[i].end_ms = T(11, 0, 0);
		in[i].kind = STORE_K_BLOCK;
		in[i].dev = 1;
	}
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 3, &blk, &len), CGN_OK);
	/* header: version 1, 3 rows, base (zigzag varint), unit 1000 */
	assert_int_equal(blk[0], 1);
	assert_int_equal(blk[1], 3);
	for (i = 2; blk[i] & 0x80; i++)
		;
	assert_int_equal(blk[i + 1], (1000 & 0x7f) | 0x80);
	assert_int_equal(blk[i + 2], 1000 >> 7);
	assert_int_equal(blk_decode(c, blk, len, &out, &n, &cap), CGN_OK);
	for (i = 0; i < 3; i++)
		assert_ival_equal(&out[i], &in[i], i);
	free(out);
	free(blk);
	blk_ctx_free(c);
}

static void
codec_decode_appends_to_existing_rows(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(100, 21), *out = NULL;
	uint8_t *blk = NULL;
	size_t len, n = 0, cap = 0, i;

	(void)state;
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 100, &blk, &len), CGN_OK);
	assert_int_equal(blk_decode(c, blk, len, &out, &n, &cap), CGN_OK);
	assert_int_equal(blk_decode(c, blk, len, &out, &n, &cap), CGN_OK);
	assert_int_equal(n, 200);
	for (i = 0; i < 200; i++)
		assert_ival_equal(&out[i], &in[i % 100], i);
	assert_int_equal(blk_encode(c, in, 0, &blk, &len), CGN_EINVAL);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_select_picks_outside_and_meeting_ports(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(BLK_ROWS, 31), *out = NULL;
	struct cgn_addr any;
	uint8_t *blk = NULL;
	size_t len, n, cap = 0, i, k, want, q;
	uint16_t lo, hi;

	(void)state;
	memset(&any, 0, sizeof(any));
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, BLK_ROWS, &blk, &len), CGN_OK);
	prng_state = 32;
	for (q = 0; q < 200; q++) {
		const struct cgn_addr *o = q % 10 == 0 ? &any :
		    &in[prng() % BLK_ROWS].outside;

		lo = (uint16_t)prng();
		hi = q % 3 == 0 ? lo : (uint16_t)(lo + prng() % 2000);
		if (hi < lo)
			hi = 65535;
		n = 0;
		assert_int_equal(blk_select(c, blk, len, o, lo, hi, &out, &n,
		    &cap), CGN_OK);
		/* the expected rows, in block order */
		for (i = 0, k = 0, want = 0; i < BLK_ROWS; i++) {
			if ((o != &any && cgn_addr_cmp(&in[i].outside, o) != 0)
			    || in[i].port_lo > hi || in[i].port_hi < lo)
				continue;
			want++;
			if (k >= n)
				fail_msg("query %zu: missing row %zu", q, i);
			assert_ival_equal(&out[k++], &in[i], i);
		}
		assert_int_equal(n, want);
	}
	/* ports 65535 and 0 exactly */
	n = 0;
	assert_int_equal(blk_select(c, blk, len, &any, 65535, 65535, &out, &n,
	    &cap), CGN_OK);
	for (i = 0, want = 0; i < BLK_ROWS; i++)
		want += in[i].port_hi == 65535;
	assert_int_equal(n, want);
	assert_true(want > 0);
	n = 0;
	assert_int_equal(blk_select(c, blk, len, &any, 0, 0, &out, &n, &cap),
	    CGN_OK);
	for (i = 0, want = 0; i < BLK_ROWS; i++)
		want += in[i].port_lo == 0;
	assert_int_equal(n, want);
	assert_true(want > 0);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_select_inside_picks_exactly_that_inside(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(BLK_ROWS, 41), *out = NULL;
	struct cgn_addr absent;
	uint8_t *blk = NULL;
	size_t len, n, cap = 0, i, k, q;

	(void)state;
	/* a few insides repeat */
	for (i = 0; i < BLK_ROWS; i += 7)
		in[i].inside = in[0].inside;
	assert_int_equal(blk_ctx_new(6, 1, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, BLK_ROWS, &blk, &len), CGN_OK);
	for (q = 0; q < BLK_ROWS; q += 37) {
		n = 0;
		assert_int_equal(blk_select_inside(c, blk, len, &in[q].inside,
		    &out, &n, &cap), CGN_OK);
		for (i = 0, k = 0; i < BLK_ROWS; i++)
			if (cgn_addr_cmp(&in[i].inside, &in[q].inside) == 0)
				assert_ival_equal(&out[k++], &in[i], i);
		assert_int_equal(n, k);
		assert_true(k >= 1);
	}
	assert_true(n >= 1);
	n = 0;
	assert_int_equal(blk_select_inside(c, blk, len, &in[0].inside, &out,
	    &n, &cap), CGN_OK);
	assert_int_equal(n, (BLK_ROWS + 6) / 7);
	absent = addr("192.0.2.255");
	n = 0;
	assert_int_equal(blk_select_inside(c, blk, len, &absent, &out, &n,
	    &cap), CGN_OK);
	assert_int_equal(n, 0);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_truncated_block_is_malformed_and_adds_nothing(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(300, 51), *out = NULL;
	struct cgn_addr any;
	uint8_t *blk = NULL, *cut;
	size_t len, n, cap = 0, k;

	(void)state;
	memset(&any, 0, sizeof(any));
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 300, &blk, &len), CGN_OK);
	for (k = 0; k < len; k++) {
		/* a copy of exactly k bytes, so ASan sees any overread */
		assert_non_null(cut = malloc(k ? k : 1));
		memcpy(cut, blk, k);
		n = 5;
		if (blk_decode(c, cut, k, &out, &n, &cap) != CGN_EMALFORMED)
			fail_msg("%zu of %zu bytes decoded", k, len);
		assert_int_equal(n, 5);
		assert_int_equal(blk_select(c, cut, k, &any, 0, 65535, &out,
		    &n, &cap), CGN_EMALFORMED);
		assert_int_equal(blk_select_inside(c, cut, k, &in[0].inside,
		    &out, &n, &cap), CGN_EMALFORMED);
		assert_int_equal(n, 5);
		free(cut);
	}
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_bit_flipped_block_is_survived(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(300, 61), *out = NULL;
	struct cgn_addr any;
	uint8_t *blk = NULL, *bad;
	size_t len, n, cap = 0, k, nbad = 0;
	int rc;

	(void)state;
	memset(&any, 0, sizeof(any));
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 300, &blk, &len), CGN_OK);
	assert_non_null(bad = malloc(len));
	prng_state = 62;
	/* every bit of the header, then random bits anywhere */
	for (k = 0; k < 64 * 8 + 3000; k++) {
		size_t bit = k < 64 * 8 ? k : prng() % (len * 8);

		memcpy(bad, blk, len);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		n = 0;
		rc = blk_decode(c, bad, len, &out, &n, &cap);
		if (rc != CGN_OK && rc != CGN_EMALFORMED)
			fail_msg("bit %zu: rc %d", bit, rc);
		if (rc != CGN_OK) {
			assert_int_equal(n, 0);
			nbad++;
		} else if (n > 2 * 300) {
			fail_msg("bit %zu: %zu rows from a 300-row block", bit,
			    n);
		}
		n = 0;
		rc = blk_select(c, bad, len, &any, 0, 65535, &out, &n, &cap);
		assert_true(rc == CGN_OK || rc == CGN_EMALFORMED);
		rc = blk_select_inside(c, bad, len, &in[0].inside, &out, &n,
		    &cap);
		assert_true(rc == CGN_OK || rc == CGN_EMALFORMED);
	}
	assert_true(nbad > 0);
	free(bad);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_row_count_past_columns_is_malformed_unallocated(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(3, 71), *out = NULL;
	struct cgn_addr any;
	uint8_t *blk = NULL, *big;
	size_t len, n = 0, cap = 0, k;
	uint64_t v = (1u << 24) - 1;

	(void)state;
	memset(&any, 0, sizeof(any));
	assert_int_equal(blk_ctx_new(6, 0, &c), CGN_OK);
	assert_int_equal(blk_encode(c, in, 3, &blk, &len), CGN_OK);
	assert_int_equal(blk[1], 3);		/* one-byte row count */
	/* the same block claiming 2^24 - 1 rows */
	assert_non_null(big = malloc(len + 4));
	big[0] = blk[0];
	for (k = 1; v >= 0x80; v >>= 7)
		big[k++] = (uint8_t)(v | 0x80);
	big[k++] = (uint8_t)v;
	memcpy(big + k, blk + 2, len - 2);
	k += len - 2;
	assert_int_equal(blk_decode(c, big, k, &out, &n, &cap),
	    CGN_EMALFORMED);
	assert_int_equal(blk_select(c, big, k, &any, 0, 65535, &out, &n,
	    &cap), CGN_EMALFORMED);
	assert_int_equal(blk_select_inside(c, big, k, &in[0].inside, &out, &n,
	    &cap), CGN_EMALFORMED);
	assert_int_equal(n, 0);
	assert_int_equal(cap, 0);		/* nothing allocated for it */
	assert_null(out);
	free(big);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

static void
codec_pack_unpack_round_trip_and_damage(void **state)
{
	struct blk_ctx *c = NULL;
	uint8_t text[4000], small[5] = { 1, 2, 3, 4, 5 }, *p = NULL, *cut;
	const uint8_t *back;
	size_t plen, blen, i, k;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)("RT_NAT - RT_SRC_NAT_PBA_ALLOC "[i % 30]);
	assert_int_equal(blk_ctx_new(6, 1, &c), CGN_OK);
	assert_int_equal(blk_pack(c, text, sizeof(text), &p, &plen), CGN_OK);
	assert_int_equal(p[0], 2);		/* zstd */
	assert_true(plen < sizeof(text) / 4);
	assert_int_equal(blk_unpack(c, p, plen, &back, &blen), CGN_OK);
	assert_int_equal(blen, sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	for (k = 0; k < plen; k++) {
		assert_non_null(cut = malloc(k ? k : 1));
		memcpy(cut, p, k);
		assert_int_equal(blk_unpack(c, cut, k, &back, &blen),
		    CGN_EMALFORMED);
		free(cut);
	}
	free(p);
	/* too small to deflate: stored */
	assert_int_equal(blk_pack(c, small, sizeof(small), &p, &plen), CGN_OK);
	assert_int_equal(p[0], 0);
	assert_int_equal(plen, 2 + sizeof(small));
	assert_int_equal(blk_unpack(c, p, plen, &back, &blen), CGN_OK);
	assert_int_equal(blen, sizeof(small));
	assert_memory_equal(back, small, sizeof(small));
	p[1] = 9;				/* length disagrees */
	assert_int_equal(blk_unpack(c, p, plen, &back, &blen), CGN_EMALFORMED);
	free(p);
	blk_ctx_free(c);
}

/* Evidence written before zstd: codec 1, raw deflate. */
static void
codec_unpacks_deflated_evidence_of_earlier_versions(void **state)
{
	struct blk_ctx *c = NULL;
	uint8_t text[3000], blob[3100];
	const uint8_t *back;
	size_t blen, i;
	z_stream z;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)("JSERVICES_NAT_PORT_BLOCK_ALLOC "[i % 31]);
	/* codec 1, raw length 3000 as a varint (0xb8 0x17), then deflate */
	blob[0] = 1;
	blob[1] = 0xb8;
	blob[2] = 0x17;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -15, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = text;
	z.avail_in = sizeof(text);
	z.next_out = blob + 3;
	z.avail_out = sizeof(blob) - 3;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	blen = sizeof(blob) - z.avail_out;
	deflateEnd(&z);
	assert_int_equal(blk_ctx_new(1, 1, &c), CGN_OK);
	assert_int_equal(blk_unpack(c, blob, blen, &back, &blen), CGN_OK);
	assert_int_equal(blen, sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	/* a codec this version does not know is damage, not a guess */
	blob[0] = 3;
	assert_int_equal(blk_unpack(c, blob, 3 + 10, &back, &blen),
	    CGN_EMALFORMED);
	blk_ctx_free(c);
}

/* ---- pairing ---------------------------------------------------------- */

#define DUP_MS 2000
#define MAX_AGE (24 * HOUR)
#define IDLE_MS 600000

static struct pair_tab *
pair_make(void)
{
	struct pair_cfg cfg = { MAX_AGE, IDLE_MS, DUP_MS, HOUR };
	struct pair_tab *t = NULL;

	assert_int_equal(pair_new(&cfg, &t), CGN_OK);
	return t;
}

static struct cgn_event
mk_ev(int type, const char *in, const char *out, uint16_t lo, uint16_t hi,
    int64_t ts)
{
	struct cgn_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	ev.inside = addr(in);
	ev.outside = addr(out);
	ev.port_lo = lo;
	ev.port_hi = hi;
	ev.ts_ms = ts;
	ev.rx_ms = ts;
	ev.tsrc = CGN_TS_UTC;
	return ev;
}

#define PER(ms) ((uint32_t)((ms) / HOUR))

/* Records a callback was given. */
struct recs {
	struct pair_rec r[64];
	size_t n;
};

static int
recs_add(void *arg, const struct pair_rec *r)
{
	struct recs *rs = arg;

	if (rs->n < 64)
		rs->r[rs->n] = *r;
	rs->n++;
	return 0;
}

static void
pair_alloc_then_release_gives_one_closed_record(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.12.34", "198.51.100.7", 20480,
	    20607, T(10, 5, 0));
	assert_int_equal(pair_event(t, &ev, 3, 9, 1001, &o),
	    CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.dup, 0);
	assert_int_equal(o.rec[0].open, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_OPEN);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 5, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 1001);
	assert_int_equal(o.rec[0].iv.ev_end, 0);
	assert_int_equal(pair_count(t), 1);
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.12.34", "198.51.100.7", 20480,
	    20607, T(10, 35, 0));
	assert_int_equal(pair_event(t, &ev, 3, 9, 1002, &o),
	    CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].open, 0);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 5, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 35, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 1001);
	assert_int_equal(o.rec[0].iv.ev_end, 1002);
	assert_int_equal(o.rec[0].iv.dev, 3);
	assert_int_equal(o.rec[0].iv.sub, 9);
	assert_int_equal(o.rec[0].iv.kind, STORE_K_BLOCK);
	assert_int_equal(o.rec[0].iv.proto, 0);
	assert_int_equal(o.rec[0].iv.port_lo, 20480);
	assert_int_equal(o.rec[0].iv.port_hi, 20607);
	assert_int_equal(o.rec[0].wp, PER(T(10, 5, 0)));
	assert_addr(&o.rec[0].iv.inside, "100.64.12.34");
	assert_addr(&o.rec[0].iv.outside, "198.51.100.7");
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_interim_for_unknown_block_opens_from_its_start(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ACTIVE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(12, 0, 0));
	ev.start_ms = T(9, 45, 38);
	assert_int_equal(pair_event(t, &ev, 1, 0, 77, &o),
	    CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].open, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_OPEN);
	assert_int_equal(o.rec[0].iv.start_ms, T(9, 45, 38));
	assert_int_equal(o.rec[0].iv.ev_start, 77);
	assert_int_equal(pair_count(t), 1);
	/* a second interim is news only */
	ev.ts_ms = T(12, 30, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 78, &o),
	    CGN_OK);
	assert_int_equal(o.n, 0);
	assert_int_equal(o.dup, 0);
	/* the release closes it with the interim's start */
	ev = mk_ev(CGN_EV_PBA_RELEASE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(13, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 79, &o),
	    CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(9, 45, 38));
	assert_int_equal(o.rec[0].iv.end_ms, T(13, 0, 0));
	pair_free(t);
}

static void
pair_interim_without_start_opens_at_its_own_time(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ACTIVE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(12, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_OPEN);
	assert_int_equal(o.rec[0].iv.start_ms, T(12, 0, 0));
	pair_free(t);
}

static void
pair_second_alloc_to_other_inside_closes_first_by_reuse(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 11, &o), CGN_OK);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.2", "198.51.100.7", 1024, 1151,
	    T(10, 20, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 12, &o), CGN_OK);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.rec[0].open, 0);
	assert_addr(&o.rec[0].iv.inside, "100.64.0.1");
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 20, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 11);
	assert_int_equal(o.rec[0].iv.ev_end, 0);
	assert_int_equal(o.rec[1].open, 1);
	assert_addr(&o.rec[1].iv.inside, "100.64.0.2");
	assert_int_equal(o.rec[1].iv.start_ms, T(10, 20, 0));
	assert_int_equal(o.rec[1].iv.ev_start, 12);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_late_older_alloc_is_closed_at_current_start(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.2", "198.51.100.7", 1024, 1151,
	    T(10, 20, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 12, &o), CGN_OK);
	/* an older allocation of the same ports arrives late */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 11, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].open, 0);
	assert_addr(&o.rec[0].iv.inside, "100.64.0.1");
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 20, 0));
	assert_int_equal(o.rec[0].wp, UINT32_MAX);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_duplicate_alloc_within_dup_window_is_dropped(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	ev.ts_ms = T(10, 0, 0) + DUP_MS;	/* the HA partner's copy */
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 1);
	/* past the window, the same inside again: a new allocation */
	ev.ts_ms = T(10, 0, 0) + DUP_MS + 1;
	assert_int_equal(pair_event(t, &ev, 1, 0, 3, &o), CGN_OK);
	assert_int_equal(o.dup, 0);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 0, 0) + DUP_MS + 1);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_duplicate_release_within_dup_window_is_dropped(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	ev.ts_ms = T(10, 30, 1);
	assert_int_equal(pair_event(t, &ev, 1, 0, 3, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	/* and a duplicate of the allocation after the release */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 1));
	assert_int_equal(pair_event(t, &ev, 1, 0, 4, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_release_without_alloc_is_closed_with_start_unseen(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 5, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].open, 0);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_UNSEEN |
	    STORE_F_END_LOGGED);
	/* a lower bound: the maximum age before the release */
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 30, 0) - MAX_AGE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 30, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 0);
	assert_int_equal(o.rec[0].iv.ev_end, 5);
	assert_int_equal(o.rec[0].wp, UINT32_MAX);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_release_without_alloc_starts_no_earlier_than_since(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	pair_set_since(t, T(10, 0, 0));
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 5, &o), CGN_OK);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_UNSEEN |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	/* a release that says when the allocation began */
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.2", "198.51.100.7", 2048,
	    2175, T(10, 40, 0));
	ev.start_ms = T(9, 0, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 6, &o), CGN_OK);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(9, 0, 0));
	pair_free(t);
}

static void
pair_release_older_than_open_alloc_is_stray(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(9, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.stray, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_expire_closes_after_max_age(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(10, 0, 0) + MAX_AGE, recs_add, &rs),
	    CGN_OK);
	assert_int_equal(rs.n, 0);
	assert_int_equal(pair_count(t), 1);
	assert_int_equal(pair_expire(t, T(10, 0, 0) + MAX_AGE + 1, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].open, 0);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_MAXAGE);
	assert_int_equal(rs.r[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(rs.r[0].iv.end_ms, T(10, 0, 0) + MAX_AGE);
	assert_int_equal(rs.r[0].iv.ev_end, 0);
	assert_int_equal(pair_count(t), 0);
	/* gone: a later release finds nothing open */
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 0, 0) + MAX_AGE + 60000);
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_UNSEEN |
	    STORE_F_END_LOGGED);
	pair_free(t);
}

static void
pair_interim_news_postpones_expiry(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	ev.type = CGN_EV_PBA_ACTIVE;
	ev.ts_ms = T(20, 0, 0);
	ev.start_ms = T(10, 0, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.n, 0);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(10, 0, 0) + MAX_AGE + 1, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 0);
	assert_int_equal(pair_expire(t, T(20, 0, 0) + MAX_AGE + 1, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.end_ms, T(20, 0, 0) + MAX_AGE);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_MAXAGE);
	pair_free(t);
}

static void
pair_session_closes_after_idle_timeout(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;

	(void)state;
	ev = mk_ev(CGN_EV_SESSION_CREATE, "10.0.10.10", "1.2.84.172", 53328,
	    53328, T(10, 0, 0));
	ev.proto = 6;
	ev.inside_port = 46776;
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	assert_int_equal(o.rec[0].iv.kind, STORE_K_SESSION);
	assert_int_equal(o.rec[0].iv.inside_port, 46776);
	assert_int_equal(o.rec[0].iv.proto, 6);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(10, 0, 0) + IDLE_MS + 1, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_IDLE);
	assert_int_equal(rs.r[0].iv.end_ms, T(10, 0, 0) + IDLE_MS);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_backfill_ages_on_the_device_clock(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;
	int64_t wall = T(10, 0, 0) + 7 * 24 * HOUR;	/* a week later */

	(void)state;
	/* last week's session log replayed now: device 1 */
	pair_set_rx(t, wall);
	ev = mk_ev(CGN_EV_SESSION_CREATE, "10.0.10.10", "1.2.84.172", 53328,
	    53328, T(10, 0, 0));
	ev.proto = 6;
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	/* another device, live */
	ev = mk_ev(CGN_EV_SESSION_CREATE, "10.0.10.11", "1.2.84.173", 2000,
	    2000, wall);
	ev.proto = 6;
	assert_int_equal(pair_event(t, &ev, 2, 0, 2, &o), CGN_OK);
	memset(&rs, 0, sizeof(rs));
	/* a flush a second later: device 1's clock says 10:00:01 */
	assert_int_equal(pair_expire(t, wall + 1000, recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 0);
	/* the replay reaches the release: paired, logged at both ends */
	pair_set_rx(t, wall + 2000);
	ev = mk_ev(CGN_EV_SESSION_DELETE, "10.0.10.10", "1.2.84.172", 53328,
	    53328, T(10, 0, 0) + IDLE_MS / 2);
	ev.proto = 6;
	assert_int_equal(pair_event(t, &ev, 1, 0, 3, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	/* device 2 falls silent: it ages at wall-clock speed */
	assert_int_equal(pair_expire(t, wall + IDLE_MS + 1, recs_add, &rs),
	    CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.end_ms, wall + IDLE_MS);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_IDLE);
	pair_free(t);
}

static void
pair_backfill_is_carried_as_far_as_its_device(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;
	int64_t wall = T(10, 0, 0) + 7 * 24 * HOUR;

	(void)state;
	pair_set_rx(t, wall);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7", 1024, 1151,
	    T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 1, &o), CGN_OK);
	memset(&rs, 0, sizeof(rs));
	/* the wall clock is a week on; the device is still at 10:30 */
	assert_int_equal(pair_checkpoint(t, PER(wall), wall + 1000, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 0);
	/* the replay reaches 12:05: carried into 11:00 and 12:00, no further */
	pair_set_rx(t, wall + 2000);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.2", "198.51.100.7", 2048, 2175,
	    T(12, 5, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(pair_checkpoint(t, PER(wall), wall + 2000, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.port_lo, 1024);
	assert_int_equal(rs.r[0].wp, PER(T(10, 0, 0)));
	assert_int_equal(rs.r[0].to, PER(T(12, 0, 0)));
	pair_free(t);
}

static void
pair_checkpoint_emits_every_open_allocation_once(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;
	uint32_t p = PER(T(10, 0, 0));
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", "198.51.100.7",
		    (uint16_t)(1024 + 128 * i), (uint16_t)(1151 + 128 * i),
		    T(10, i, 0));
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	}
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(pair_count(t), 3);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_checkpoint(t, p + 1, 0, recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(rs.r[i].open, 1);
		assert_int_equal(rs.r[i].wp, p);	/* held until now */
		assert_int_equal(rs.r[i].iv.flags, STORE_F_START_LOGGED |
		    STORE_F_OPEN);
		assert_int_equal(rs.r[i].iv.port_lo, 1152 + 128 * i);
		assert_int_equal(rs.r[i].iv.start_ms, T(10, i + 1, 0));
	}
	/* the same period again: already there */
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_checkpoint(t, p + 1, 0, recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 0);
	assert_int_equal(pair_checkpoint(t, p + 2, 0, recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 3);
	/* a release now says the last period holding it is p + 2 */
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1152,
	    1279, T(12, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.rec[0].wp, p + 2);
	assert_int_equal(pair_count(t), 2);
	assert_true(pair_bytes(t) > 0);
	pair_free(t);
}

static void
pair_whole_address_event_covers_every_port(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_ADDR_ALLOC, "10.0.0.1", "100.64.0.1", 0, 0,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.rec[0].iv.kind, STORE_K_ADDR);
	assert_int_equal(o.rec[0].iv.port_lo, 0);
	assert_int_equal(o.rec[0].iv.port_hi, 65535);
	ev.type = CGN_EV_ADDR_RELEASE;
	ev.ts_ms = T(11, 0, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	pair_free(t);
}

static void
pair_rejects_non_allocation_events_and_bad_ranges(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_NONE, "10.0.0.1", "100.64.0.1", 1, 2, T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_EINVAL);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "10.0.0.1", "100.64.0.1", 2, 1,
	    T(10, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_EINVAL);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_ipv6_addresses_come_back_intact(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ALLOC, "3002::1", "2001:db8::7", 1050, 1099,
	    T(10, 0, 0));
	ev.inside_v4 = addr("192.0.0.2");
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	ev.type = CGN_EV_PBA_RELEASE;
	ev.ts_ms = T(10, 1, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_addr(&o.rec[0].iv.inside, "3002::1");
	assert_addr(&o.rec[0].iv.outside, "2001:db8::7");
	assert_addr(&o.rec[0].iv.inside_v4, "192.0.0.2");
	pair_free(t);
}

static void
pair_many_allocations_survive_growth_and_deletion(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;
	char out[32];
	int i, n = 20000;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(out, sizeof(out), "198.51.%d.%d", i / 250 % 256,
		    i % 250);
		ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.1", out,
		    (uint16_t)(1024 + (i % 7) * 128),
		    (uint16_t)(1151 + (i % 7) * 128), T(1, 0, 0));
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
		assert_int_equal(o.n, 1);
	}
	assert_int_equal(pair_count(t), n);
	/* release the even ones, then let their tombstones expire */
	for (i = 0; i < n; i += 2) {
		snprintf(out, sizeof(out), "198.51.%d.%d", i / 250 % 256,
		    i % 250);
		ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", out,
		    (uint16_t)(1024 + (i % 7) * 128),
		    (uint16_t)(1151 + (i % 7) * 128), T(2, 0, 0));
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
		assert_int_equal(o.n, 1);
		assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
		    STORE_F_END_LOGGED);
	}
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(3, 0, 0), recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 0);
	assert_int_equal(pair_count(t), n / 2);
	/* every odd one is still found after the deletions */
	for (i = 1; i < n; i += 2) {
		snprintf(out, sizeof(out), "198.51.%d.%d", i / 250 % 256,
		    i % 250);
		ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", out,
		    (uint16_t)(1024 + (i % 7) * 128),
		    (uint16_t)(1151 + (i % 7) * 128), T(4, 0, 0));
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
		if (o.n != 1 || o.rec[0].iv.flags != (STORE_F_START_LOGGED |
		    STORE_F_END_LOGGED) || o.rec[0].iv.start_ms != T(1, 0, 0))
			fail_msg("allocation %d lost (n %d flags %#x)", i, o.n,
			    o.n ? o.rec[0].iv.flags : 0);
	}
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_resume_keeps_start_flags_and_evidence(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct ival iv;

	(void)state;
	memset(&iv, 0, sizeof(iv));
	iv.outside = addr("1.2.84.172");
	iv.inside = addr("10.0.10.10");
	iv.port_lo = 48640;
	iv.port_hi = 48895;
	iv.start_ms = T(9, 45, 38);
	iv.ev_start = 4242;
	iv.dev = 2;
	iv.kind = STORE_K_BLOCK;
	iv.flags = STORE_F_START_INTERIM | STORE_F_OPEN;
	assert_int_equal(pair_resume(t, &iv, 12), CGN_OK);
	assert_int_equal(pair_count(t), 1);
	ev = mk_ev(CGN_EV_PBA_RELEASE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(13, 0, 0));
	assert_int_equal(pair_event(t, &ev, 2, 0, 4343, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(9, 45, 38));
	assert_int_equal(o.rec[0].iv.ev_start, 4242);
	assert_int_equal(o.rec[0].iv.ev_end, 4343);
	assert_int_equal(o.rec[0].wp, 12);
	pair_free(t);
}

/* ---- merging ---------------------------------------------------------- */

static struct ival
mk_ival(const char *in, int64_t start, int64_t end, uint16_t flags)
{
	struct ival iv;

	memset(&iv, 0, sizeof(iv));
	iv.outside = addr("198.51.100.7");
	iv.inside = addr(in);
	iv.port_lo = 20480;
	iv.port_hi = 20607;
	iv.start_ms = start;
	iv.end_ms = end;
	iv.dev = 1;
	iv.kind = STORE_K_BLOCK;
	iv.flags = flags;
	return iv;
}

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

/* ---- writer and reader ------------------------------------------------ */

/* n rows of few keys (2 addresses, 2 ports, 2 starts), insides and
 * devices, with random ends: many records of the same allocation. */
static struct ival *
dup_rows(size_t n, uint64_t seed)
{
	static const uint16_t fl[] = { STORE_F_OPEN, STORE_F_END_LOGGED,
	    STORE_F_END_REUSE, STORE_F_END_MAXAGE };
	struct ival *rows;
	size_t i;

	prng_state = seed;
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

struct tmp {
	char dir[64];		/* mkdtemp() result, removed at the end */
	char root[128];		/* the store root inside it */
	char notes[8][600];	/* notice() lines */
	int nnotes;
};

static int
tmp_setup(void **state)
{
	struct tmp *tp;

	if ((tp = calloc(1, sizeof(*tp))) == NULL)
		return -1;
	snprintf(tp->dir, sizeof(tp->dir), "/tmp/cgn_test_store.XXXXXX");
	if (mkdtemp(tp->dir) == NULL) {
		free(tp);
		return -1;
	}
	snprintf(tp->root, sizeof(tp->root), "%s/store", tp->dir);
	*state = tp;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int
tmp_teardown(void **state)
{
	struct tmp *tp = *state;
	int rc;

	rc = nftw(tp->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tp);
	return rc;
}

static void
note(void *arg, const char *msg)
{
	struct tmp *tp = arg;

	if (tp->nnotes < 8)
		snprintf(tp->notes[tp->nnotes], sizeof(tp->notes[0]), "%s",
		    msg);
	tp->nnotes++;
}

static struct store *
w_open_ev(struct tmp *tp, int64_t retention_ms, int evidence)
{
	struct store_opts o;
	struct store *st = NULL;
	char err[512] = "";

	store_opts_default(&o);
	o.root = tp->root;
	o.period_ms = HOUR;
	o.retention_ms = retention_ms;
	o.evidence = evidence;
	o.notice = note;
	o.notice_arg = tp;
	if (store_open(&o, &st, err, sizeof(err)) != CGN_OK)
		fail_msg("store_open: %s", err);
	return st;
}

static struct store *
w_open(struct tmp *tp, int64_t retention_ms)
{
	return w_open_ev(tp, retention_ms, 1);
}

/* Put one message carrying one event of the block used throughout:
 * 100.64.12.34 holds 198.51.100.7:20480-20607 on device cgn1. The device's
 * clock is a second behind the collector's. */
static void
w_put(struct store *st, int type, int64_t rx_ms, const char *raw)
{
	struct store_msg m;
	struct cgn_event ev;

	ev = mk_ev(type, "100.64.12.34", "198.51.100.7", 20480, 20607,
	    rx_ms - 1000);
	ev.rx_ms = rx_ms;
	snprintf(ev.device, sizeof(ev.device), "cgn1");
	memset(&m, 0, sizeof(m));
	m.device = "cgn1";
	m.rx_ms = rx_ms;
	m.raw = (const uint8_t *)raw;
	m.rawlen = strlen(raw);
	if (store_put(st, &m, &ev, 1) != CGN_OK)
		fail_msg("store_put: %s", store_errmsg(st));
}

static void
w_flush(struct store *st, int64_t now)
{
	if (store_flush(st, now) != CGN_OK)
		fail_msg("store_flush: %s", store_errmsg(st));
}

/* Put one message with one event of any block, device time ts. */
static void
w_put_ev(struct store *st, const struct cgn_event *proto, int64_t ts,
    int64_t rx_ms, const char *raw)
{
	struct store_msg m;
	struct cgn_event ev = *proto;

	ev.ts_ms = ts;
	ev.rx_ms = rx_ms;
	memset(&m, 0, sizeof(m));
	m.device = "cgn1";
	m.rx_ms = rx_ms;
	m.raw = (const uint8_t *)raw;
	m.rawlen = raw != NULL ? strlen(raw) : 0;
	if (store_put(st, &m, &ev, 1) != CGN_OK)
		fail_msg("store_put: %s", store_errmsg(st));
}

static struct store_reader *
r_open(struct tmp *tp)
{
	struct store_reader *rd = NULL;
	char err[600] = "";

	if (store_reader_open(tp->root, &rd, err, sizeof(err)) != CGN_OK)
		fail_msg("store_reader_open: %s", err);
	return rd;
}

struct hits {
	struct store_hit h[8];
	int n;
};

static int
hits_add(void *arg, const struct store_hit *h)
{
	struct hits *hs = arg;

	if (hs->n < 8)
		hs->h[hs->n] = *h;
	hs->n++;
	return 0;
}

/* Hits for the test block's outside and port at [from, to]. */
static int
find(struct store_reader *rd, uint16_t port, int64_t from, int64_t to,
    int resolve, struct hits *hs)
{
	struct store_query q;
	int rc;

	memset(&q, 0, sizeof(q));
	q.outside = addr("198.51.100.7");
	q.port_lo = q.port_hi = port;
	q.from_ms = from;
	q.to_ms = to;
	q.resolve_end = resolve;
	memset(hs, 0, sizeof(*hs));
	if ((rc = store_find(rd, &q, hits_add, hs)) != CGN_OK)
		fail_msg("store_find: %s", store_reader_errmsg(rd));
	return hs->n;
}

static void
assert_block_hit(const struct store_hit *h, int64_t start, int64_t end,
    uint16_t flags)
{
	assert_addr(&h->outside, "198.51.100.7");
	assert_addr(&h->inside, "100.64.12.34");
	assert_int_equal(h->port_lo, 20480);
	assert_int_equal(h->port_hi, 20607);
	assert_int_equal(h->kind, STORE_K_BLOCK);
	assert_int_equal(h->proto, 0);
	assert_string_equal(h->device, "cgn1");
	assert_string_equal(h->subscriber, "");
	assert_int_equal(h->start_ms, start);
	assert_int_equal(h->end_ms, end);
	assert_int_equal(h->flags, flags);
}

struct raw {
	char bytes[256];
	size_t len;
	int64_t rx_ms;
	char device[CGN_NAMELEN];
	int calls;
};

static int
raw_get(void *arg, uint64_t ref, int64_t rx_ms, const char *device,
    const uint8_t *raw, size_t len)
{
	struct raw *r = arg;

	(void)ref;
	r->calls++;
	r->len = len < sizeof(r->bytes) ? len : sizeof(r->bytes);
	memcpy(r->bytes, raw, r->len);
	r->rx_ms = rx_ms;
	snprintf(r->device, sizeof(r->device), "%s", device);
	return 0;
}

static int
file_exists(struct tmp *tp, int64_t start)
{
	char path[600];
	struct stat sb;

	shard_path(tp->root, start, HOUR, path, sizeof(path));
	return stat(path, &sb) == 0;
}

#define ALLOC_RAW "<14>1 2026-11-28T10:05:00Z cgn1 - - - -" \
	" JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->" \
	" 198.51.100.7:20480-20607"
#define RELEASE_RAW "<14>1 2026-11-28T10:35:00Z cgn1 - - - -" \
	" JSERVICES_NAT_PORT_BLOCK_RELEASE: 100.64.12.34 ->" \
	" 198.51.100.7:20480-20607"

static void
store_find_gives_one_closed_hit_inside_the_interval(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct hits hs;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	w_flush(st, T(10, 40, 0));
	store_wstats(st, &ws);
	assert_int_equal(ws.msgs, 2);
	assert_int_equal(ws.events, 2);
	assert_int_equal(ws.intervals, 1);
	assert_int_equal(ws.open, 0);
	assert_int_equal(ws.dups, 0);
	assert_int_equal(ws.late, 0);
	assert_int_equal(ws.flushes, 1);
	assert_true(ws.bytes_written > 0);
	/* read beside the open writer */
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(10, 34, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* the ends of the block and of the interval count */
	assert_int_equal(find(rd, 20480, T(10, 4, 59), T(10, 4, 59), 0, &hs),
	    1);
	assert_int_equal(find(rd, 20607, T(10, 34, 59), T(10, 34, 59), 0,
	    &hs), 1);
	/* after the release, before the allocation, beside the block */
	assert_int_equal(find(rd, 20500, T(10, 35, 0), T(10, 36, 0), 0, &hs),
	    0);
	assert_int_equal(find(rd, 20500, T(10, 0, 0), T(10, 4, 58), 0, &hs),
	    0);
	assert_int_equal(find(rd, 20608, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    0);
	assert_int_equal(find(rd, 20479, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    0);
	store_reader_close(rd);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
}

static void
store_find_by_inside_address(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_query q;
	struct hits hs;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_flush(st, T(10, 6, 0));	/* open and closed in two runs */
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	memset(&q, 0, sizeof(q));
	q.inside = addr("100.64.12.34");
	q.port_hi = 65535;
	q.from_ms = T(10, 0, 0);
	q.to_ms = T(10, 59, 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(10, 34, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* after the release: the shard is not sealed yet, its open record
	 * must still meet the closed one */
	q.from_ms = T(10, 40, 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 0);
	q.from_ms = T(10, 0, 0);
	q.inside = addr("100.64.12.35");
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 0);
	store_reader_close(rd);
}

static void
store_evidence_returns_the_exact_alloc_bytes(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct hits hs;
	struct raw r;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_int_equal(hs.h[0].ev_start >> 16, T(10, 5, 0));
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_evidence(rd, hs.h[0].ev_start, raw_get, &r),
	    CGN_OK);
	assert_int_equal(r.calls, 1);
	assert_int_equal(r.len, strlen(ALLOC_RAW));
	assert_memory_equal(r.bytes, ALLOC_RAW, r.len);
	assert_int_equal(r.rx_ms, T(10, 5, 0));
	assert_string_equal(r.device, "cgn1");
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_evidence(rd, hs.h[0].ev_end, raw_get, &r),
	    CGN_OK);
	assert_int_equal(r.len, strlen(RELEASE_RAW));
	assert_memory_equal(r.bytes, RELEASE_RAW, r.len);
	/* a ref nobody wrote */
	assert_int_equal(store_evidence(rd, hs.h[0].ev_start + 7, raw_get,
	    &r), CGN_ENOTFOUND);
	assert_int_equal(store_evidence(rd, (uint64_t)T(15, 0, 0) << 16,
	    raw_get, &r), CGN_ENOTFOUND);
	store_reader_close(rd);
}

static void
store_interval_across_hour_boundary_merges_to_one_hit(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct hits hs;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 59, 0), ALLOC_RAW);
	w_flush(st, T(10, 59, 30));
	w_flush(st, T(11, 0, 10));	/* into the next hour: checkpoint */
	w_put(st, CGN_EV_PBA_RELEASE, T(11, 30, 0), RELEASE_RAW);
	w_flush(st, T(11, 31, 0));
	assert_int_equal(store_close(st, T(11, 31, 0)), CGN_OK);
	assert_int_equal(file_exists(tp, T(10, 0, 0)), 1);
	assert_int_equal(file_exists(tp, T(11, 0, 0)), 1);
	rd = r_open(tp);
	/* a window over both shards */
	assert_int_equal(find(rd, 20500, T(10, 59, 30), T(11, 10, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 58, 59), T(11, 29, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* the first shard alone knows it open; asked to, the reader looks
	 * ahead for the end */
	assert_int_equal(find(rd, 20500, T(10, 59, 30), T(10, 59, 30), 0,
	    &hs), 1);
	assert_block_hit(&hs.h[0], T(10, 58, 59), STORE_OPEN_END,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	assert_int_equal(find(rd, 20500, T(10, 59, 30), T(10, 59, 30), 1,
	    &hs), 1);
	assert_block_hit(&hs.h[0], T(10, 58, 59), T(11, 29, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* the second shard alone */
	assert_int_equal(find(rd, 20500, T(11, 15, 0), T(11, 15, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 58, 59), T(11, 29, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	assert_int_equal(find(rd, 20500, T(11, 30, 0), T(11, 59, 0), 0, &hs),
	    0);
	store_reader_close(rd);
}

static int
shard_rows(void *arg, const struct store_shard_info *si)
{
	uint64_t *rows = arg;
	int64_t h = (si->start_ms - DAY) / HOUR;

	if (h >= 0 && h < 24)
		rows[h] = si->rows;
	return 0;
}

static void
store_checkpoint_goes_only_into_the_new_period(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct hits hs;
	uint64_t rows[24];
	int i;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 59, 0), ALLOC_RAW);
	w_flush(st, T(11, 0, 10));
	w_flush(st, T(12, 0, 10));
	w_flush(st, T(13, 0, 10));
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 1);
	/* no shard the clock left was written again */
	assert_int_equal(ws.late, 0);
	for (i = 0; i < tp->nnotes && i < 8; i++)
		if (strstr(tp->notes[i], "late") != NULL)
			fail_msg("notice: %s", tp->notes[i]);
	assert_int_equal(store_close(st, T(13, 0, 10)), CGN_OK);
	rd = r_open(tp);
	memset(rows, 0, sizeof(rows));
	assert_int_equal(store_shards(rd, shard_rows, rows), CGN_OK);
	assert_int_equal(rows[10], 1);	/* the open record */
	assert_int_equal(rows[11], 1);	/* a checkpoint each */
	assert_int_equal(rows[12], 1);
	assert_int_equal(rows[13], 1);
	assert_int_equal(find(rd, 20500, T(12, 30, 0), T(12, 30, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 58, 59), STORE_OPEN_END,
	    STORE_F_START_LOGGED | STORE_F_OPEN);
	store_reader_close(rd);
}

static void
store_open_allocation_is_resumed_after_restart(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct hits hs;
	struct raw r;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_flush(st, T(10, 6, 0));
	assert_int_equal(store_close(st, T(10, 6, 0)), CGN_OK);
	st = w_open(tp, 0);
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 1);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 0);
	assert_int_equal(ws.intervals, 1);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(10, 34, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* the evidence from before the restart is still the start's */
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_evidence(rd, hs.h[0].ev_start, raw_get, &r),
	    CGN_OK);
	assert_int_equal(r.len, strlen(ALLOC_RAW));
	assert_memory_equal(r.bytes, ALLOC_RAW, r.len);
	assert_int_equal(find(rd, 20500, T(10, 36, 0), T(10, 50, 0), 0, &hs),
	    0);
	store_reader_close(rd);
}

static void
store_lagging_device_is_resumed_after_restart(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct cgn_event ev;
	struct hits hs;

	/* a device two hours behind (a backfill): its allocation is open in
	 * its own period (10:00), not in the collector's (12:00) */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.12.34", "198.51.100.7", 20480,
	    20607, 0);
	snprintf(ev.device, sizeof(ev.device), "cgn1");
	w_put_ev(st, &ev, T(10, 5, 0), T(12, 5, 0), ALLOC_RAW);
	w_flush(st, T(12, 6, 0));
	assert_int_equal(store_close(st, T(12, 6, 0)), CGN_OK);
	assert_int_equal(file_exists(tp, T(11, 0, 0)), 0);
	st = w_open(tp, 0);
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 1);
	ev.type = CGN_EV_PBA_RELEASE;
	w_put_ev(st, &ev, T(10, 35, 0), T(12, 35, 0), RELEASE_RAW);
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 0);
	assert_int_equal(ws.intervals, 1);
	assert_int_equal(store_close(st, T(12, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 5, 0), T(10, 35, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	store_reader_close(rd);
}

static void
store_restart_carries_nothing_through_the_downtime(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_gap g[4];
	struct hits hs;
	size_t n = 0;
	int i, down = 0;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	assert_int_equal(store_close(st, T(10, 6, 0)), CGN_OK);
	/* down from 10:06 to 12:30 */
	st = w_open(tp, 0);
	w_put(st, CGN_EV_PBA_RELEASE, T(12, 30, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(12, 31, 0)), CGN_OK);
	for (i = 0; i < tp->nnotes && i < 8; i++)
		down += strstr(tp->notes[i], "collector was down for 1") !=
		    NULL;
	assert_int_equal(down, 1);
	assert_int_equal(file_exists(tp, T(11, 0, 0)), 0);
	rd = r_open(tp);
	/* the hour after the restart holds the closed form */
	assert_int_equal(find(rd, 20500, T(12, 10, 0), T(12, 10, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(12, 29, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* the hour before the stop, asked to look ahead, finds it too */
	assert_int_equal(find(rd, 20500, T(10, 30, 0), T(10, 30, 0), 1, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(12, 29, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	/* nothing is claimed for the hour nobody listened */
	assert_int_equal(find(rd, 20500, T(11, 30, 0), T(11, 30, 0), 0, &hs),
	    0);
	assert_int_equal(store_coverage(rd, NULL, T(11, 0, 0), T(11, 59, 0),
	    g, 4, &n), CGN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].collector, 1);
	assert_int_equal(g[0].from_ms, T(11, 0, 0));
	assert_int_equal(g[0].to_ms, T(11, 59, 0));
	store_reader_close(rd);
}

static void
store_coverage_gap_only_where_not_flushed(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_gap g[4];
	size_t n = 99;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	w_flush(st, T(10, 40, 0));
	assert_int_equal(store_gap(st, "cgn1", T(10, 20, 0), T(10, 21, 0)),
	    CGN_OK);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(store_coverage(rd, NULL, T(10, 5, 0), T(10, 40, 0),
	    g, 4, &n), CGN_OK);
	assert_int_equal(n, 0);
	/* after the last flush, within the shard's hour */
	assert_int_equal(store_coverage(rd, NULL, T(10, 45, 0), T(10, 50, 0),
	    g, 4, &n), CGN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].collector, 1);
	assert_int_equal(g[0].from_ms, T(10, 45, 0));
	assert_int_equal(g[0].to_ms, T(10, 50, 0));
	/* an hour with no shard at all */
	assert_int_equal(store_coverage(rd, NULL, T(13, 0, 0), T(13, 30, 0),
	    g, 4, &n), CGN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].collector, 1);
	assert_int_equal(g[0].from_ms, T(13, 0, 0));
	assert_int_equal(g[0].to_ms, T(13, 30, 0));
	assert_string_equal(g[0].device, "");
	/* the device's own recorded loss */
	assert_int_equal(store_coverage(rd, "cgn1", T(10, 5, 0), T(10, 40, 0),
	    g, 4, &n), CGN_OK);
	assert_int_equal(n, 1);
	assert_int_equal(g[0].collector, 0);
	assert_string_equal(g[0].device, "cgn1");
	assert_int_equal(g[0].from_ms, T(10, 20, 0));
	assert_int_equal(g[0].to_ms, T(10, 21, 0));
	store_reader_close(rd);
}

static void
store_late_events_go_into_the_shard_of_their_time(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_query q;
	struct cgn_event ev;
	struct hits hs;
	struct raw r;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	w_flush(st, T(11, 10, 0));	/* 10:00 is sealed now */
	/* another block's events from 10:20 and 10:40 arrive after 11:10 */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.99", "198.51.100.7", 30000,
	    30127, 0);
	w_put_ev(st, &ev, T(10, 20, 0), T(11, 10, 5), "late alloc");
	w_flush(st, T(11, 10, 10));	/* a checkpoint of it into 11:00 */
	ev.type = CGN_EV_PBA_RELEASE;
	w_put_ev(st, &ev, T(10, 40, 0), T(11, 10, 20), "late release");
	assert_int_equal(store_close(st, T(11, 11, 0)), CGN_OK);
	rd = r_open(tp);
	memset(&q, 0, sizeof(q));
	q.outside = addr("198.51.100.7");
	q.port_lo = q.port_hi = 30001;
	q.from_ms = q.to_ms = T(10, 30, 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 1);
	assert_addr(&hs.h[0].inside, "100.64.0.99");
	assert_int_equal(hs.h[0].start_ms, T(10, 20, 0));
	assert_int_equal(hs.h[0].end_ms, T(10, 40, 0));
	assert_int_equal(hs.h[0].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	/* its evidence is where it was received */
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_evidence(rd, hs.h[0].ev_start, raw_get, &r),
	    CGN_OK);
	assert_int_equal(r.rx_ms, T(11, 10, 5));
	assert_int_equal(r.len, strlen("late alloc"));
	assert_memory_equal(r.bytes, "late alloc", r.len);
	/* the checkpoint that claimed it held at 11:00 is superseded */
	q.from_ms = q.to_ms = T(11, 5, 0);
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 0);
	/* the first block is untouched */
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 4, 59), T(10, 34, 59),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	store_reader_close(rd);
}

static void
store_duplicate_messages_are_counted_not_stored(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct hits hs;
	struct cgn_event ev;

	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.12.34", "198.51.100.7", 20480,
	    20607, 0);
	/* an HA pair: both boxes log the same allocation */
	w_put_ev(st, &ev, T(10, 5, 0), T(10, 5, 0), "first");
	w_put_ev(st, &ev, T(10, 5, 0), T(10, 5, 0) + 300, "second");
	ev.type = CGN_EV_PBA_RELEASE;
	w_put_ev(st, &ev, T(10, 35, 0), T(10, 35, 0), "release");
	w_put_ev(st, &ev, T(10, 35, 0), T(10, 35, 1), "release again");
	store_wstats(st, &ws);
	assert_int_equal(ws.msgs, 4);
	assert_int_equal(ws.events, 4);
	assert_int_equal(ws.dups, 2);
	assert_int_equal(ws.intervals, 1);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 0, 0), T(10, 59, 0), 0, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(10, 5, 0), T(10, 35, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	assert_int_equal(hs.h[0].ev_start >> 16, T(10, 5, 0));
	store_reader_close(rd);
}

static void
store_without_evidence_keeps_no_raw_bytes(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	struct store_reader *rd;
	struct hits hs;
	struct raw r;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(find(rd, 20500, T(10, 20, 0), T(10, 20, 0), 0, &hs),
	    1);
	assert_int_equal(hs.h[0].ev_start, 0);
	assert_int_equal(hs.h[0].ev_end, 0);
	memset(&r, 0, sizeof(r));
	assert_int_equal(store_evidence(rd, (uint64_t)T(10, 5, 0) << 16,
	    raw_get, &r), CGN_ENOTFOUND);
	assert_int_equal(r.calls, 0);
	store_reader_close(rd);
}

static void
store_sessions_and_subscribers_come_back(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_query q;
	struct cgn_event ev;
	struct hits hs;

	ev = mk_ev(CGN_EV_SESSION_CREATE, "10.0.10.10", "1.2.84.172", 53328,
	    53328, 0);
	ev.proto = 6;
	ev.inside_port = 46776;
	ev.vrf = 7;
	snprintf(ev.subscriber, sizeof(ev.subscriber), "sub-42");
	w_put_ev(st, &ev, T(10, 5, 0), T(10, 5, 0), "create");
	ev.type = CGN_EV_SESSION_DELETE;
	w_put_ev(st, &ev, T(10, 9, 9), T(10, 9, 9), "delete");
	assert_int_equal(store_close(st, T(10, 10, 0)), CGN_OK);
	rd = r_open(tp);
	memset(&q, 0, sizeof(q));
	q.outside = addr("1.2.84.172");
	q.port_lo = q.port_hi = 53328;
	q.from_ms = q.to_ms = T(10, 6, 0);
	q.proto = 6;
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 1);
	assert_int_equal(hs.h[0].kind, STORE_K_SESSION);
	assert_int_equal(hs.h[0].proto, 6);
	assert_int_equal(hs.h[0].port_lo, 53328);
	assert_int_equal(hs.h[0].port_hi, 53328);
	assert_int_equal(hs.h[0].inside_port, 46776);
	assert_int_equal(hs.h[0].vrf, 7);
	assert_addr(&hs.h[0].inside, "10.0.10.10");
	assert_string_equal(hs.h[0].subscriber, "sub-42");
	assert_string_equal(hs.h[0].device, "cgn1");
	assert_int_equal(hs.h[0].start_ms, T(10, 5, 0));
	assert_int_equal(hs.h[0].end_ms, T(10, 9, 9));
	/* another protocol does not match */
	q.proto = 17;
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 0);
	store_reader_close(rd);
}

static int
dev_get(void *arg, const struct store_dev_info *di)
{
	struct store_dev_info *out = arg;

	*out = *di;
	return 0;
}

static int
shard_info_get(void *arg, const struct store_shard_info *si)
{
	struct store_shard_info *out = arg;

	*out = *si;
	return 0;
}

static void
store_devices_and_shards_report_counts_and_skew(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_dev_info di;
	struct store_shard_info si;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(10, 40, 0)), CGN_OK);
	rd = r_open(tp);
	memset(&di, 0, sizeof(di));
	assert_int_equal(store_devices(rd, T(10, 0, 0), T(10, 59, 0), dev_get,
	    &di), CGN_OK);
	assert_string_equal(di.name, "cgn1");
	assert_int_equal(di.events, 2);
	assert_int_equal(di.first_rx_ms, T(10, 5, 0));
	assert_int_equal(di.last_rx_ms, T(10, 35, 0));
	assert_int_equal(di.skew_min_ms, -1000);
	assert_int_equal(di.skew_max_ms, -1000);
	assert_int_equal(di.skew_avg_ms, -1000);
	assert_int_equal(di.skew_n, 2);
	memset(&si, 0, sizeof(si));
	assert_int_equal(store_shards(rd, shard_info_get, &si), CGN_OK);
	assert_int_equal(si.start_ms, T(10, 0, 0));
	assert_int_equal(si.end_ms, T(11, 0, 0));
	assert_int_equal(si.sealed, 0);
	/* opened and closed within one flush: one row */
	assert_int_equal(si.rows, 1);
	assert_int_equal(si.covered_ms, 36 * 60000);	/* 10:05-10:40 */
	assert_true(si.bytes > 0);
	assert_true(si.evidence_bytes > 0);
	store_reader_close(rd);
}

static void
store_retention_deletes_old_shard_files(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	int i, deleted = 0;

	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	w_put(st, CGN_EV_PBA_ALLOC, T(11, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(11, 35, 0), RELEASE_RAW);
	assert_int_equal(store_close(st, T(11, 40, 0)), CGN_OK);
	assert_int_equal(file_exists(tp, T(10, 0, 0)), 1);
	assert_int_equal(file_exists(tp, T(11, 0, 0)), 1);
	/* three days later, keeping one day */
	st = w_open(tp, 24 * HOUR);
	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0) + 72 * HOUR, ALLOC_RAW);
	w_flush(st, T(10, 6, 0) + 72 * HOUR);
	assert_int_equal(file_exists(tp, T(10, 0, 0)), 0);
	assert_int_equal(file_exists(tp, T(11, 0, 0)), 0);
	assert_int_equal(file_exists(tp, T(10, 0, 0) + 72 * HOUR), 1);
	for (i = 0; i < tp->nnotes && i < 8; i++)
		deleted += strstr(tp->notes[i], "retention: deleted") != NULL;
	assert_int_equal(deleted, 2);
	assert_int_equal(store_close(st, T(10, 6, 0) + 72 * HOUR), CGN_OK);
}

static void
store_open_refuses_bad_period(void **state)
{
	struct tmp *tp = *state;
	struct store_opts o;
	struct store *st = NULL;
	char err[256] = "";

	store_opts_default(&o);
	o.root = tp->root;
	o.period_ms = 7 * 60000;	/* does not divide a day */
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_EINVAL);
	assert_null(st);
	assert_true(strlen(err) > 0);
	o.period_ms = 30000;
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_EINVAL);
}

/* A shard written by many flushes keeps few runs: sixteen runs of a level
 * are merged into one of the next, and lookups see every allocation. */
static void
store_runs_are_merged_in_tiers_while_written(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct cgn_event ev;
	struct hits hs;
	char path[600], in[32];
	sqlite3 *db;
	sqlite3_stmt *q;
	int k, runs = -1, levels = -1;

	for (k = 0; k < 36; k++) {
		snprintf(in, sizeof(in), "100.64.0.%d", k + 1);
		ev = mk_ev(CGN_EV_PBA_ALLOC, in, "198.51.100.7",
		    (uint16_t)(1024 + k * 512), (uint16_t)(1024 + k * 512 + 511),
		    T(10, 1, k));
		w_put_ev(st, &ev, T(10, 1, k), T(10, 1, k), NULL);
		w_flush(st, T(10, 1, k) + 500);
	}
	/* runs 1-16 and 17-32 became two level-1 runs; 33-36 are level 0 */
	shard_path(tp->root, T(10, 0, 0), HOUR, path, sizeof(path));
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(DISTINCT run),"
	    " count(DISTINCT level) FROM blk JOIN run ON run.id = blk.run", -1,
	    &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	runs = sqlite3_column_int(q, 0);
	levels = sqlite3_column_int(q, 1);
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(runs, 6);
	assert_int_equal(levels, 2);
	rd = r_open(tp);
	for (k = 0; k < 36; k++) {
		char want[32], got[CGN_ADDR_STRLEN];

		assert_int_equal(find(rd, (uint16_t)(1024 + k * 512 + 7),
		    T(10, 2, 0), T(10, 2, 0), 0, &hs), 1);
		snprintf(want, sizeof(want), "100.64.0.%d", k + 1);
		assert_string_equal(cgn_addr_fmt(&hs.h[0].inside, got,
		    sizeof(got)), want);
	}
	store_reader_close(rd);
	assert_int_equal(store_close(st, T(10, 2, 0)), CGN_OK);
}

static void
store_defaults_are_documented_values(void **state)
{
	struct store_opts o;

	(void)state;
	memset(&o, 0x5a, sizeof(o));
	store_opts_default(&o);
	assert_int_equal(o.period_ms, 6 * HOUR);
	assert_int_equal(o.max_age_ms, 24 * HOUR);
	assert_int_equal(o.session_idle_ms, 24 * HOUR);
	assert_int_equal(o.dup_ms, 2000);
	assert_int_equal(o.retention_ms, 0);
	assert_int_equal(o.evidence, 1);
	assert_int_equal(o.level, 1);
	assert_int_equal(o.use_libdeflate, 1);
	assert_null(o.root);
	assert_null(o.notice);
}

static void
store_shard_names_round_trip(void **state)
{
	char path[256];
	int64_t start = 0, per = 0;

	(void)state;
	shard_path("/r", T(10, 0, 0), HOUR, path, sizeof(path));
	assert_string_equal(path, "/r/20261128T1000Z-3600.cgn");
	assert_int_equal(shard_name_parse("20261128T1000Z-3600.cgn", &start,
	    &per), 1);
	assert_int_equal(start, T(10, 0, 0));
	assert_int_equal(per, HOUR);
	assert_int_equal(shard_name_parse("20261128T1000Z-3600.cgn-wal",
	    &start, &per), 0);
	assert_int_equal(shard_name_parse("20261328T1000Z-3600.cgn", &start,
	    &per), 0);
	assert_int_equal(shard_name_parse("x.cgn", &start, &per), 0);
}

/* ---- sessions with destinations -------------------------------------- */

/* A TCP session on the public port 198.51.100.7:40000; dst NULL: the
 * device logged no destination. */
static struct cgn_event
mk_sess(int type, const char *in, const char *dst, uint16_t dport,
    int64_t ts)
{
	struct cgn_event ev = mk_ev(type, in, "198.51.100.7", 40000, 40000,
	    ts);

	ev.proto = 6;
	ev.inside_port = 5000;
	if (dst != NULL) {
		ev.dst = addr(dst);
		ev.dst_port = dport;
	}
	return ev;
}

/* Feed t the mk_sess() event with evidence ref ref, from device 1 and no
 * subscriber id; pair_event()'s rc. */
static int
sess_event(struct pair_tab *t, int type, const char *in, const char *dst,
    uint16_t dport, int64_t ts, uint64_t ref, struct pair_out *o)
{
	struct cgn_event ev = mk_sess(type, in, dst, dport, ts);

	return pair_event(t, &ev, 1, 0, ref, o);
}

static void
assert_sess_rec(const struct pair_rec *r, int open, const char *in,
    const char *dst, uint16_t dport)
{
	assert_int_equal(r->open, open);
	assert_int_equal(r->iv.kind, STORE_K_SESSION);
	assert_int_equal(r->iv.proto, 6);
	assert_int_equal(r->iv.port_lo, 40000);
	assert_int_equal(r->iv.port_hi, 40000);
	assert_int_equal(r->iv.inside_port, 5000);
	assert_addr(&r->iv.outside, "198.51.100.7");
	assert_addr(&r->iv.inside, in);
	assert_addr(&r->iv.dst, dst);
	assert_int_equal(r->iv.dst_port, dport);
}

static void
pair_sessions_on_one_port_with_two_destinations_are_two(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 11, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 1, "100.64.0.1", "203.0.113.10", 443);
	/* another subscriber, the same public port, another destination:
	 * both hold it (address-and-port-dependent mapping) */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.20", 80, T(10, 1, 0), 12, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.dup, 0);
	assert_sess_rec(&o.rec[0], 1, "100.64.0.2", "203.0.113.20", 80);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 1, 0));
	assert_int_equal(pair_count(t), 2);
	/* each delete closes its own */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 5, 0), 13, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 5, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 11);
	assert_int_equal(o.rec[0].iv.ev_end, 13);
	assert_int_equal(pair_count(t), 1);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.2",
	    "203.0.113.20", 80, T(10, 6, 0), 14, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.2", "203.0.113.20", 80);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 1, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 6, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 12);
	assert_int_equal(o.rec[0].iv.ev_end, 14);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_session_delete_closes_the_one_of_its_destination(void **state)
{
	struct pair_tab *t = pair_make();
	struct recs rs;
	struct pair_out o;

	(void)state;
	/* one subscriber to two destinations, another to a third, and a
	 * destination port apart from the first */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 0, &o), CGN_OK);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.20", 443, T(10, 0, 1), 0, &o), CGN_OK);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.10", 80, T(10, 0, 2), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(pair_count(t), 3);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.1",
	    "203.0.113.20", 443, T(10, 3, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.20", 443);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 1));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 3, 0));
	assert_int_equal(pair_count(t), 2);
	/* the two still open, each with its destination */
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_checkpoint(t, PER(T(11, 0, 0)), 0, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 2);
	assert_sess_rec(&rs.r[0], 1, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(rs.r[0].iv.start_ms, T(10, 0, 0));
	assert_sess_rec(&rs.r[1], 1, "100.64.0.2", "203.0.113.10", 80);
	assert_int_equal(rs.r[1].iv.start_ms, T(10, 0, 2));
	pair_free(t);
}

static void
pair_session_duplicates_with_destinations_are_dropped(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event c1, c2, d1;

	(void)state;
	c1 = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.1", "203.0.113.10", 443,
	    T(10, 0, 0));
	c2 = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.2", "203.0.113.20", 80,
	    T(10, 0, 0));
	d1 = mk_sess(CGN_EV_SESSION_DELETE, "100.64.0.1", "203.0.113.10", 443,
	    T(10, 5, 0));
	assert_int_equal(pair_event(t, &c1, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(pair_event(t, &c2, 1, 0, 0, &o), CGN_OK);
	/* the HA partner's copies, a second later */
	c1.ts_ms += 1000;
	c2.ts_ms += 1000;
	assert_int_equal(pair_event(t, &c2, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_event(t, &c1, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 2);
	assert_int_equal(pair_event(t, &d1, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.dup, 0);
	d1.ts_ms += 1000;
	assert_int_equal(pair_event(t, &d1, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_session_delete_without_dst_closes_only_a_sure_one(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 0, &o), CGN_OK);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.20", 80, T(10, 1, 0), 0, &o), CGN_OK);
	/* one open session of that inside: it is the one */
	ev = mk_sess(CGN_EV_SESSION_DELETE, "100.64.0.1", NULL, 0,
	    T(10, 5, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.stray, 0);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 5, 0));
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(pair_count(t), 1);
	/* its copy is a duplicate */
	ev.ts_ms = T(10, 5, 1);
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	/* two open sessions of the other inside: which one ended is
	 * unknown, so both stay open */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.30", 80, T(10, 6, 0), 0, &o), CGN_OK);
	assert_int_equal(pair_count(t), 2);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.2",
	    NULL, 0, T(10, 7, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 0);
	assert_int_equal(o.stray, 1);
	assert_int_equal(o.dup, 0);
	assert_int_equal(pair_count(t), 2);
	/* each is closed by its own delete */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.2",
	    "203.0.113.30", 80, T(10, 8, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.2", "203.0.113.30", 80);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 6, 0));
	assert_int_equal(pair_count(t), 1);
	/* a delete with a destination for a create logged without one */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.3",
	    NULL, 0, T(10, 9, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(pair_count(t), 2);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_DELETE, "100.64.0.3",
	    "203.0.113.40", 25, T(10, 10, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.3", "::", 0);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 9, 0));
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_session_create_to_the_same_dst_ends_it_by_reuse(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 0, &o), CGN_OK);
	/* the same 5-tuple outside cannot be two sessions at once */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.10", 443, T(10, 20, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 2);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 20, 0));
	assert_sess_rec(&o.rec[1], 1, "100.64.0.2", "203.0.113.10", 443);
	assert_int_equal(pair_count(t), 1);
	/* without destinations, as before: the second create ends the first */
	ev = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.3", NULL, 0,
	    T(10, 30, 0));
	ev.port_lo = ev.port_hi = 40001;
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	ev = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.4", NULL, 0,
	    T(10, 31, 0));
	ev.port_lo = ev.port_hi = 40001;
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 2);
	assert_addr(&o.rec[0].iv.inside, "100.64.0.3");
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 31, 0));
	assert_addr(&o.rec[1].iv.inside, "100.64.0.4");
	assert_int_equal(pair_count(t), 2);
	pair_free(t);
}

static void
pair_blocks_keep_no_destination_and_no_more_memory(void **state)
{
	struct pair_tab *t = pair_make(), *plain = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	char in[32];
	uint16_t lo;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		snprintf(in, sizeof(in), "100.64.%d.%d", i / 250, i % 250 + 1);
		lo = (uint16_t)(1024 + (i % 60) * 1024);
		ev = mk_ev(CGN_EV_PBA_ALLOC, in, "198.51.100.7", lo,
		    (uint16_t)(lo + 1023), T(10, 0, 0) + i);
		assert_int_equal(pair_event(plain, &ev, (uint16_t)(1 + i / 60),
		    0, 0, &o), CGN_OK);
		/* a destination on a block event is not part of it */
		ev.dst = addr("203.0.113.10");
		ev.dst_port = 443;
		assert_int_equal(pair_event(t, &ev, (uint16_t)(1 + i / 60), 0,
		    0, &o), CGN_OK);
		assert_int_equal(o.n, 1);
		assert_addr(&o.rec[0].iv.dst, "::");
		assert_int_equal(o.rec[0].iv.dst_port, 0);
	}
	assert_int_equal(pair_count(t), 2000);
	assert_int_equal(pair_bytes(t), pair_bytes(plain));
	/* another inside on the same block, another destination: reuse */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.9.9", "198.51.100.7", 1024, 2047,
	    T(11, 0, 0));
	ev.dst = addr("203.0.113.20");
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_addr(&o.rec[0].iv.dst, "::");
	assert_addr(&o.rec[1].iv.inside, "100.64.9.9");
	assert_int_equal(pair_count(t), 2000);
	pair_free(plain);
	pair_free(t);
}

static void
pair_session_destination_survives_idle_expiry(void **state)
{
	struct pair_tab *t = pair_make();
	struct recs rs;
	struct pair_out o;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "2001:db8::10", 443, T(10, 0, 0), 0, &o), CGN_OK);
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.20", 80, T(10, 0, 0), 0, &o), CGN_OK);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(10, 0, 0) + IDLE_MS + 60000,
	    recs_add, &rs), CGN_OK);
	assert_int_equal(rs.n, 2);
	if (rs.r[0].iv.dst_port == 80) {	/* in index order */
		rs.r[2] = rs.r[0];
		rs.r[0] = rs.r[1];
		rs.r[1] = rs.r[2];
	}
	assert_sess_rec(&rs.r[0], 0, "100.64.0.1", "2001:db8::10", 443);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_IDLE);
	assert_int_equal(rs.r[0].iv.end_ms, T(10, 0, 0) + IDLE_MS);
	assert_sess_rec(&rs.r[1], 0, "100.64.0.2", "203.0.113.20", 80);
	assert_int_equal(rs.r[1].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_IDLE);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_ipv6_destinations_are_given_back(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	char dst[64];
	size_t bytes = 0;
	int i;

	(void)state;
	for (i = 0; i < 3000; i++) {
		snprintf(dst, sizeof(dst), "2001:db8::%x", i + 1);
		ev = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.1", dst, 443,
		    T(10, 0, 0) + i * 10000LL);
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
		assert_int_equal(o.n, 1);
		ev.type = CGN_EV_SESSION_DELETE;
		ev.ts_ms += 5000;
		assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
		assert_int_equal(o.n, 1);
		assert_sess_rec(&o.rec[0], 0, "100.64.0.1", dst, 443);
		assert_int_equal(o.rec[0].iv.end_ms, T(10, 0, 0) +
		    i * 10000LL + 5000);
		if (i == 100)
			bytes = pair_bytes(t);
	}
	/* a few live at a time: the table does not grow with the count */
	assert_int_equal(pair_bytes(t), bytes);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
}

static void
pair_resume_keeps_session_destinations(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct ival iv;

	(void)state;
	memset(&iv, 0, sizeof(iv));
	iv.outside = addr("198.51.100.7");
	iv.inside = addr("100.64.0.1");
	iv.dst = addr("203.0.113.10");
	iv.dst_port = 443;
	iv.port_lo = iv.port_hi = 40000;
	iv.inside_port = 5000;
	iv.proto = 6;
	iv.start_ms = T(10, 0, 0);
	iv.ev_start = 4242;
	iv.dev = 2;
	iv.kind = STORE_K_SESSION;
	iv.flags = STORE_F_START_LOGGED | STORE_F_OPEN;
	assert_int_equal(pair_resume(t, &iv, 12), CGN_OK);
	iv.inside = addr("100.64.0.2");
	iv.dst = addr("203.0.113.20");
	iv.dst_port = 80;
	iv.start_ms = T(10, 1, 0);
	iv.ev_start = 4243;
	assert_int_equal(pair_resume(t, &iv, 12), CGN_OK);
	assert_int_equal(pair_count(t), 2);
	/* an older shard's copy of one taken up already changes nothing */
	assert_int_equal(pair_resume(t, &iv, 11), CGN_OK);
	assert_int_equal(pair_count(t), 2);
	ev = mk_sess(CGN_EV_SESSION_DELETE, "100.64.0.2", "203.0.113.20", 80,
	    T(10, 5, 0));
	assert_int_equal(pair_event(t, &ev, 2, 0, 4343, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.2", "203.0.113.20", 80);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 1, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 4243);
	assert_int_equal(o.rec[0].iv.ev_end, 4343);
	assert_int_equal(o.rec[0].wp, 12);
	ev = mk_sess(CGN_EV_SESSION_DELETE, "100.64.0.1", "203.0.113.10", 443,
	    T(10, 6, 0));
	assert_int_equal(pair_event(t, &ev, 2, 0, 4344, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 4242);
	assert_int_equal(pair_count(t), 0);
	pair_free(t);
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

/* Hits for 198.51.100.7:40000 at t, in the order of their destination
 * ports (the store gives them in block order). */
static int
find_sess(struct store_reader *rd, int64_t t, int resolve, struct hits *hs)
{
	struct store_hit x;

	if (find(rd, 40000, t, t, resolve, hs) == 2 &&
	    hs->h[0].dst_port > hs->h[1].dst_port) {
		x = hs->h[0];
		hs->h[0] = hs->h[1];
		hs->h[1] = x;
	}
	return hs->n;
}

static void
store_concurrent_sessions_keep_destinations_across_restart(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct store_reader *rd;
	struct store_wstats ws;
	struct cgn_event a, b;
	struct hits hs;

	a = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.1", "203.0.113.10", 443,
	    0);
	b = mk_sess(CGN_EV_SESSION_CREATE, "100.64.0.2", "203.0.113.20", 80,
	    0);
	w_put_ev(st, &a, T(10, 50, 0), T(10, 50, 0), "create a");
	w_put_ev(st, &b, T(10, 51, 0), T(10, 51, 0), "create b");
	w_put_ev(st, &b, T(10, 51, 1), T(10, 51, 1), "create b again");
	/* into the next hour: both are carried into its shard */
	w_flush(st, T(11, 5, 0));
	assert_int_equal(store_close(st, T(11, 5, 0)), CGN_OK);
	st = w_open(tp, 0);
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 2);
	a.type = b.type = CGN_EV_SESSION_DELETE;
	w_put_ev(st, &a, T(11, 20, 0), T(11, 20, 0), "delete a");
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 1);
	w_put_ev(st, &b, T(11, 30, 0), T(11, 30, 0), "delete b");
	store_wstats(st, &ws);
	assert_int_equal(ws.open, 0);
	assert_int_equal(ws.intervals, 2);
	assert_int_equal(store_close(st, T(11, 40, 0)), CGN_OK);
	rd = r_open(tp);
	/* in both shards, both sessions, each with its destination and end */
	assert_int_equal(find_sess(rd, T(10, 55, 0), 1, &hs), 2);
	assert_addr(&hs.h[0].inside, "100.64.0.2");
	assert_addr(&hs.h[0].dst, "203.0.113.20");
	assert_int_equal(hs.h[0].dst_port, 80);
	assert_int_equal(hs.h[0].start_ms, T(10, 51, 0));
	assert_int_equal(hs.h[0].end_ms, T(11, 30, 0));
	assert_addr(&hs.h[1].inside, "100.64.0.1");
	assert_addr(&hs.h[1].dst, "203.0.113.10");
	assert_int_equal(hs.h[1].dst_port, 443);
	assert_int_equal(hs.h[1].start_ms, T(10, 50, 0));
	assert_int_equal(hs.h[1].end_ms, T(11, 20, 0));
	assert_int_equal(hs.h[1].flags, STORE_F_START_LOGGED |
	    STORE_F_END_LOGGED);
	assert_int_equal(hs.h[1].kind, STORE_K_SESSION);
	assert_int_equal(find_sess(rd, T(11, 10, 0), 0, &hs), 2);
	assert_addr(&hs.h[0].dst, "203.0.113.20");
	assert_int_equal(hs.h[0].end_ms, T(11, 30, 0));
	assert_addr(&hs.h[1].dst, "203.0.113.10");
	assert_int_equal(hs.h[1].end_ms, T(11, 20, 0));
	/* after the first delete, only the second */
	assert_int_equal(find_sess(rd, T(11, 25, 0), 0, &hs), 1);
	assert_addr(&hs.h[0].inside, "100.64.0.2");
	assert_addr(&hs.h[0].dst, "203.0.113.20");
	store_reader_close(rd);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codec_random_rows_round_trip_zlib),
		cmocka_unit_test(codec_random_rows_round_trip_libdeflate),
		cmocka_unit_test(codec_level_0_stores_columns_raw_and_decodes_alike),
		cmocka_unit_test(codec_extreme_values_round_trip),
		cmocka_unit_test(codec_whole_seconds_are_stored_in_unit_1000),
		cmocka_unit_test(codec_decode_appends_to_existing_rows),
		cmocka_unit_test(codec_select_picks_outside_and_meeting_ports),
		cmocka_unit_test(codec_select_inside_picks_exactly_that_inside),
		cmocka_unit_test(
		    codec_truncated_block_is_malformed_and_adds_nothing),
		cmocka_unit_test(codec_bit_flipped_block_is_survived),
		cmocka_unit_test(
		    codec_row_count_past_columns_is_malformed_unallocated),
		cmocka_unit_test(codec_pack_unpack_round_trip_and_damage),
		cmocka_unit_test(codec_unpacks_deflated_evidence_of_earlier_versions),
		cmocka_unit_test(
		    pair_alloc_then_release_gives_one_closed_record),
		cmocka_unit_test(
		    pair_interim_for_unknown_block_opens_from_its_start),
		cmocka_unit_test(
		    pair_interim_without_start_opens_at_its_own_time),
		cmocka_unit_test(
		    pair_second_alloc_to_other_inside_closes_first_by_reuse),
		cmocka_unit_test(
		    pair_late_older_alloc_is_closed_at_current_start),
		cmocka_unit_test(
		    pair_duplicate_alloc_within_dup_window_is_dropped),
		cmocka_unit_test(
		    pair_duplicate_release_within_dup_window_is_dropped),
		cmocka_unit_test(
		    pair_release_without_alloc_is_closed_with_start_unseen),
		cmocka_unit_test(
		    pair_release_without_alloc_starts_no_earlier_than_since),
		cmocka_unit_test(pair_release_older_than_open_alloc_is_stray),
		cmocka_unit_test(pair_expire_closes_after_max_age),
		cmocka_unit_test(pair_backfill_ages_on_the_device_clock),
		cmocka_unit_test(pair_backfill_is_carried_as_far_as_its_device),
		cmocka_unit_test(pair_interim_news_postpones_expiry),
		cmocka_unit_test(pair_session_closes_after_idle_timeout),
		cmocka_unit_test(
		    pair_checkpoint_emits_every_open_allocation_once),
		cmocka_unit_test(pair_whole_address_event_covers_every_port),
		cmocka_unit_test(
		    pair_rejects_non_allocation_events_and_bad_ranges),
		cmocka_unit_test(pair_ipv6_addresses_come_back_intact),
		cmocka_unit_test(
		    pair_many_allocations_survive_growth_and_deletion),
		cmocka_unit_test(pair_resume_keeps_start_flags_and_evidence),
		cmocka_unit_test(merge_open_and_closed_collapse_to_closed),
		cmocka_unit_test(merge_logged_end_beats_reuse_end),
		cmocka_unit_test(merge_equal_rank_keeps_earlier_end),
		cmocka_unit_test(merge_keeps_different_allocations_sorted),
		cmocka_unit_test(merge_many_v4_rows_collapse_and_sort),
		cmocka_unit_test(merge_many_rows_with_one_v6_address_collapse_and_sort),
		cmocka_unit_test(merge_end_rank_order),
		cmocka_unit_test(merge_collapse_of_groups_is_merge),
		TMP_TEST(store_find_gives_one_closed_hit_inside_the_interval),
		TMP_TEST(store_find_by_inside_address),
		TMP_TEST(store_evidence_returns_the_exact_alloc_bytes),
		TMP_TEST(store_interval_across_hour_boundary_merges_to_one_hit),
		TMP_TEST(store_checkpoint_goes_only_into_the_new_period),
		TMP_TEST(store_open_allocation_is_resumed_after_restart),
		TMP_TEST(store_lagging_device_is_resumed_after_restart),
		TMP_TEST(store_restart_carries_nothing_through_the_downtime),
		TMP_TEST(
		    store_coverage_gap_only_where_not_flushed),
		TMP_TEST(store_late_events_go_into_the_shard_of_their_time),
		TMP_TEST(store_duplicate_messages_are_counted_not_stored),
		TMP_TEST(store_without_evidence_keeps_no_raw_bytes),
		TMP_TEST(store_sessions_and_subscribers_come_back),
		TMP_TEST(store_devices_and_shards_report_counts_and_skew),
		TMP_TEST(store_retention_deletes_old_shard_files),
		TMP_TEST(store_open_refuses_bad_period),
		TMP_TEST(store_runs_are_merged_in_tiers_while_written),
		cmocka_unit_test(store_defaults_are_documented_values),
		cmocka_unit_test(store_shard_names_round_trip),
		cmocka_unit_test(
		    pair_sessions_on_one_port_with_two_destinations_are_two),
		cmocka_unit_test(
		    pair_session_delete_closes_the_one_of_its_destination),
		cmocka_unit_test(
		    pair_session_duplicates_with_destinations_are_dropped),
		cmocka_unit_test(
		    pair_session_delete_without_dst_closes_only_a_sure_one),
		cmocka_unit_test(
		    pair_session_create_to_the_same_dst_ends_it_by_reuse),
		cmocka_unit_test(
		    pair_blocks_keep_no_destination_and_no_more_memory),
		cmocka_unit_test(pair_session_destination_survives_idle_expiry),
		cmocka_unit_test(pair_ipv6_destinations_are_given_back),
		cmocka_unit_test(pair_resume_keeps_session_destinations),
		cmocka_unit_test(
		    merge_sessions_differing_only_in_destination_stay_two),
		TMP_TEST(
		    store_concurrent_sessions_keep_destinations_across_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
