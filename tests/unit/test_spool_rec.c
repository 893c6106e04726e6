/*
 * test_spool_rec.c - the spool record's decoder under damage: every
 * shorter prefix, every byte set to every value, random multi-byte
 * changes. It must answer a batch whose messages lie inside it or an
 * error, and never read out of bounds (make test SAN=1). The record
 * through the spool itself: test_spool.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "spool_batches.h"
#include "spool_rec.h"

/* fill_wide() encoded into *enc (malloc'd); returns its length. */
static size_t
wide_encoded(struct batch *b, uint8_t **enc)
{
	memset(b, 0, sizeof(*b));
	fill_wide(b);
	assert_non_null(*enc = malloc(spool_rec_bound(b)));
	return spool_rec_encode(b, *enc);
}

/* Decode damaged bytes: a batch whose messages lie inside it, or an error
 * and an empty batch. 1 when it decoded. */
static int
decode_damaged(const uint8_t *p, size_t len, size_t ndata, struct batch *r)
{
	int rc = spool_rec_decode(p, len, ndata, r);

	if (rc == CGN_OK) {
		assert_int_equal(spool_rec_check(r), CGN_OK);
		return 1;
	}
	assert_true(rc == CGN_ETRUNC || rc == CGN_EMALFORMED);
	assert_int_equal(r->nmsg + r->nev + r->ngap, 0);
	return 0;
}

/* Every shorter prefix of a record's encoding is truncated; every byte
 * changed to every value decodes or fails, never reads out of bounds
 * (SAN=1 checks) nor builds a message pointing outside its batch. */
static void
spool_rec_decode_survives_any_damage(void **state)
{
	struct batch b, r;
	uint8_t *enc, *bad;
	size_t len, i, n_ok = 0;
	int v;

	(void)state;
	memset(&r, 0, sizeof(r));
	len = wide_encoded(&b, &enc);
	assert_int_equal(spool_rec_decode(enc, len, b.ndata, &r), CGN_OK);
	memcpy(r.data, b.data, b.ndata);	/* the caller's to read */
	assert_batch_equal(&b, &r);
	for (i = 0; i < len; i++) {
		/* exactly i bytes, so that a read past them is caught */
		assert_non_null(bad = malloc(i + 1));
		memcpy(bad, enc, i);
		assert_int_equal(spool_rec_decode(bad, i, b.ndata, &r),
		    CGN_ETRUNC);
		assert_int_equal(r.nmsg + r.nev + r.ngap, 0);
		free(bad);
	}
	assert_non_null(bad = malloc(len));
	for (i = 0; i < len; i++) {
		for (v = 0; v < 256; v++) {
			memcpy(bad, enc, len);
			bad[i] = (uint8_t)v;
			n_ok += (size_t)decode_damaged(bad, len, b.ndata, &r);
		}
	}
	/* most changes still decode: a changed address or time is a valid
	 * value, and there is no checksum (spool.c says so). Exact for this
	 * encoding of fill_wide(). */
	assert_int_equal(len, 404);
	assert_int_equal(n_ok, 84839);
	assert_int_equal(len * 256 - n_ok, 18585);
	free(bad);
	free(enc);
	batch_release(&b);
	batch_release(&r);
}

/* Several bytes changed at once and the end cut anywhere: a fixed
 * pseudo-random sequence of 20,000 such records. */
static void
spool_rec_decode_survives_random_damage(void **state)
{
	struct batch b, r;
	uint8_t *enc, *bad;
	uint64_t x = 0x2545f4914f6cdd1dULL;
	size_t len, cut, n_ok = 0;
	int i, j;

	(void)state;
	memset(&r, 0, sizeof(r));
	len = wide_encoded(&b, &enc);
	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		cut = i % 2 ? len : (size_t)(x % (len + 1));
		assert_non_null(bad = malloc(cut + 1));
		memcpy(bad, enc, cut);
		for (j = 0; j < 1 + (int)(x >> 60) % 4 && cut > 0; j++)
			bad[(x >> (8 * j)) % cut] ^= (uint8_t)(x >> (40 + j));
		n_ok += (size_t)decode_damaged(bad, cut, b.ndata, &r);
		free(bad);
	}
	assert_int_equal(n_ok, 6165);	/* this encoding, this sequence */
	free(enc);
	batch_release(&b);
	batch_release(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spool_rec_decode_survives_any_damage),
		cmocka_unit_test(spool_rec_decode_survives_random_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
