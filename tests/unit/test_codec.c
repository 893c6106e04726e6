/*
 * test_codec.c - unit tests for the block codec (store/codec*.c): random
 * and extreme rows round trip, selection by outside and inside, damaged
 * blocks, evidence packing.
 * Random rows come from a seeded PRNG (stest.c), so a failure repeats.
 * Not here: pairing (test_pair.c), merging (test_merge.c), the writer and
 * reader (test_store.c).
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
#include "codec_int.h"
#include "ival.h"
#include "merge.h"
#include "pair.h"
#include "runmerge.h"
#include "shard.h"
#include "store.h"
#include "stest.h"

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

/*
 * A lookup decodes only the rows it takes, but passes over the rest of
 * every column: damage after the rows it takes (a column that runs out
 * early, in a run stored raw) still makes the block malformed rather than
 * giving rows read from a damaged column.
 */
static void
codec_select_sees_damage_past_the_rows_it_takes(void **state)
{
	struct blk_ctx *c = NULL;
	struct ival *in = rand_rows(BLK_ROWS, 41), *out = NULL;
	struct blk_hdr h;
	uint8_t *blk = NULL;
	size_t len, n = 0, cap = 0;
	int k, tried = 0;

	(void)state;
	assert_int_equal(blk_ctx_new(0, 0, &c), CGN_OK);	/* raw */
	assert_int_equal(blk_encode(c, in, BLK_ROWS, &blk, &len), CGN_OK);
	/* undamaged, the first row's address and port give rows */
	assert_int_equal(blk_select(c, blk, len, &in[0].outside,
	    in[0].port_lo, in[0].port_lo, &out, &n, &cap), CGN_OK);
	assert_true(n >= 1);
	assert_ival_equal(&out[0], &in[0], 0);
	for (k = 0; k < C_MAX; k++) {
		uint8_t *last;

		assert_int_equal(blk_hdr_parse(blk, len, &h), CGN_OK);
		if (h.src[k] == NULL || h.z[k] || k == C_DICT_HI ||
		    k == C_DICT_LO || k == C_PROTO)
			continue;
		/* the column's last varint made to go on past its end */
		last = (uint8_t *)(uintptr_t)(h.src[k] + h.srclen[k] - 1);
		*last |= 0x80;
		n = 0;
		assert_int_equal(blk_select(c, blk, len, &in[0].outside,
		    in[0].port_lo, in[0].port_lo, &out, &n, &cap),
		    CGN_EMALFORMED);
		assert_int_equal(n, 0);
		*last &= 0x7f;
		tried++;
	}
	assert_true(tried >= 8);
	free(out);
	free(blk);
	free(in);
	blk_ctx_free(c);
}

/* The writer compresses with libdeflate, cgnq reads with it, and
 * cgnlog-verify reads with zlib: each must read what the other wrote
 * (the same raw DEFLATE either way). */
static void
codec_zlib_and_libdeflate_read_each_other(void **state)
{
	struct blk_ctx *w[2] = { NULL, NULL };
	struct ival *in = rand_rows(BLK_ROWS, 21), *out = NULL;
	uint8_t *blk = NULL;
	size_t len, got, cap = 0, i;
	int a;

	(void)state;
	assert_int_equal(blk_ctx_new(6, 0, &w[0]), CGN_OK);
	assert_int_equal(blk_ctx_new(6, 1, &w[1]), CGN_OK);
	for (a = 0; a < 2; a++) {
		assert_int_equal(blk_encode(w[a], in, BLK_ROWS, &blk, &len),
		    CGN_OK);
		got = 0;
		assert_int_equal(blk_decode(w[!a], blk, len, &out, &got,
		    &cap), CGN_OK);
		assert_int_equal(got, BLK_ROWS);
		for (i = 0; i < got; i++)
			assert_ival_equal(&out[i], &in[i], i);
		free(blk);
	}
	free(out);
	free(in);
	blk_ctx_free(w[0]);
	blk_ctx_free(w[1]);
}

static void
codec_level_0_stores_columns_raw_and_decodes_alike(void **state)
{
	struct blk_ctx *c0 = NULL, *c1 = NULL;
	struct ival *in = rand_rows(BLK_ROWS, 21), *a = NULL, *b = NULL;
	uint64_t raw[32] = { 0 }, stored[32] = { 0 };
	uint8_t *b0 = NULL, *b1 = NULL;
	const uint8_t *packed;
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
	memset(raw, 'x', 200);
	assert_int_equal(blk_pack(c0, (const uint8_t *)raw, 200, &packed,
	    &l0), CGN_OK);
	assert_int_equal(packed[0], 2);
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
	prng_seed(32);
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
	prng_seed(62);
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
	uint8_t text[4000], small[5] = { 1, 2, 3, 4, 5 }, *p, *cut;
	const uint8_t *back, *packed;
	size_t plen, blen, i, k;

	(void)state;
	for (i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)("RT_NAT - RT_SRC_NAT_PBA_ALLOC "[i % 30]);
	assert_int_equal(blk_ctx_new(6, 1, &c), CGN_OK);
	assert_int_equal(blk_pack(c, text, sizeof(text), &packed, &plen),
	    CGN_OK);
	/* a copy: unpacking it must not need the context's buffer */
	assert_non_null(p = malloc(plen));
	memcpy(p, packed, plen);
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
	assert_int_equal(blk_pack(c, small, sizeof(small), &packed, &plen),
	    CGN_OK);
	assert_non_null(p = malloc(plen));
	memcpy(p, packed, plen);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codec_random_rows_round_trip_zlib),
		cmocka_unit_test(codec_random_rows_round_trip_libdeflate),
		cmocka_unit_test(codec_zlib_and_libdeflate_read_each_other),
		cmocka_unit_test(codec_select_sees_damage_past_the_rows_it_takes),
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
