/*
 * test_store_seek.c - a lookup by public address and port reads the one
 * or two blocks holding that port, however many blocks the address fills:
 * block keys carry (address, port), and a_hi is a running maximum within
 * a run (shard.h). Runs an earlier version wrote (keys of the address
 * alone) still answer, and cgnlog-verify catches keys out of order.
 * A search by inside address reads only the blocks whose filter of
 * inside addresses may hold it (bloom.h).
 *
 * The crowded address: 120 port blocks of 198.51.100.9, each held 50
 * times in turn within one hour (6,000 intervals, six blocks of rows),
 * holder 100.64.j.b for the j-th holding of block b.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cgn.h"
#include "store.h"
#include "stest.h"

/* 2026-11-28 10:00:00 UTC, the shard's start */
#define T0 1795860000000LL
#define NB 120			/* port blocks of the crowded address */
#define NR 50			/* holdings of each */
#define CROWDED "198.51.100.9"
#define SHARD "/20261128T1000Z-3600.cgn"

static uint16_t
first_port(int b)
{
	return (uint16_t)(1024 + 512 * b);
}

/* Holding j of block b: from held(j, b) for 50 s. */
static int64_t
held(int j, int b)
{
	return T0 + 5 * 60000LL + j * 60000LL + b * 10;
}

static void
put(struct store *st, int type, const char *out, const char *in,
    uint16_t lo, uint16_t hi, int64_t ts)
{
	struct cgn_event ev = mk_ev(type, in, out, lo, hi, ts);

	w_put_ev(st, &ev, ts, ts, NULL);
}

/* Holdings j0..j1-1 of every block, in time order. */
static void
put_crowded(struct store *st, int j0, int j1)
{
	char in[32];
	int j, b;

	for (j = j0; j < j1; j++) {
		for (b = 0; b < NB; b++) {
			snprintf(in, sizeof(in), "100.64.%d.%d", j, b);
			put(st, CGN_EV_PBA_ALLOC, CROWDED, in, first_port(b),
			    first_port(b) + 511, held(j, b));
		}
		for (b = 0; b < NB; b++) {
			snprintf(in, sizeof(in), "100.64.%d.%d", j, b);
			put(st, CGN_EV_PBA_RELEASE, CROWDED, in, first_port(b),
			    first_port(b) + 511, held(j, b) + 50000);
		}
	}
}

/* Hits for out:port at t. */
static int
lookup(struct store_reader *rd, const char *out, uint16_t port, int64_t t,
    struct hits *hs)
{
	struct store_query q;

	memset(&q, 0, sizeof(q));
	q.outside = addr(out);
	q.port_lo = q.port_hi = port;
	q.from_ms = q.to_ms = t;
	memset(hs, 0, sizeof(*hs));
	if (store_find(rd, &q, hits_add, hs) != CGN_OK)
		fail_msg("store_find: %s", store_reader_errmsg(rd));
	return hs->n;
}

/*
 * Every holding j0..j1-1 of a spread of blocks (the first, the last, and
 * ones in between, at ports inside the block) is found with its holder;
 * returns the most blocks one lookup decoded.
 */
static uint64_t
check_holders(struct tmp *tp, int j0, int j1)
{
	struct store_reader *rd = r_open(tp);
	struct hits hs;
	char want[32];
	uint64_t most = 0, before;
	int j, b;

	for (j = j0; j < j1; j += 7) {
		for (b = 0; b < NB; b += (b < 3 || b > NB - 4) ? 1 : 13) {
			struct cgn_addr w;

			before = store_reader_blocks(rd);
			assert_int_equal(lookup(rd, CROWDED, (uint16_t)(
			    first_port(b) + (j * 37 + b) % 512),
			    held(j, b) + 25000, &hs), 1);
			if (store_reader_blocks(rd) - before > most)
				most = store_reader_blocks(rd) - before;
			snprintf(want, sizeof(want), "100.64.%d.%d", j, b);
			w = addr(want);
			assert_memory_equal(&hs.h[0].inside, &w, sizeof(w));
			assert_int_equal(hs.h[0].port_lo, first_port(b));
			assert_int_equal(hs.h[0].start_ms, held(j, b));
			assert_int_equal(hs.h[0].end_ms, held(j, b) + 50000);
		}
	}
	/* between two holdings, and on a port no block has: nothing */
	assert_int_equal(lookup(rd, CROWDED, first_port(5) + 9,
	    held(3, 5) + 55000, &hs), 0);
	assert_int_equal(lookup(rd, CROWDED, 1000, held(3, 5) + 25000, &hs),
	    0);
	assert_int_equal(lookup(rd, CROWDED, first_port(NB) + 1,
	    held(3, 5) + 25000, &hs), 0);
	store_reader_close(rd);
	return most;
}

static void
a_lookup_reads_the_blocks_of_its_port_only(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);

	/* two flushes: two runs of about 3,000 rows (three blocks each) */
	put_crowded(st, 0, NR / 2);
	w_flush(st, held(NR / 2, 0));
	put_crowded(st, NR / 2, NR);
	w_flush(st, held(NR, 0));
	/* a port block's rows may straddle two blocks of a run */
	assert_true(check_holders(tp, 0, NR) <= 2 * 2);

	/* sealed: one run of six blocks, of which a lookup reads one or two
	 * (keys of the address alone read all six) */
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);
	assert_true(check_holders(tp, 0, NR) <= 2);
}

static void
sql(struct tmp *tp, const char *stmt)
{
	char path[300];
	sqlite3 *db;
	char *msg = NULL;

	snprintf(path, sizeof(path), "%s%s", tp->root, SHARD);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, stmt, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", stmt, msg);
	sqlite3_close(db);
}

static int
verify_note(void *arg, const char *path, int ok, const char *msg)
{
	char *why = arg;

	(void)path;
	if (!ok)
		snprintf(why, 300, "%s", msg);
	return 0;
}

/* store_verify over the store: the shards it found bad; why: the last
 * complaint ("" if none), rows: rows it checked (may be NULL). */
static uint64_t
verify_bad(struct tmp *tp, char why[300], uint64_t *rows)
{
	struct store_verify_stats vs;

	why[0] = '\0';
	memset(&vs, 0, sizeof(vs));
	assert_int_equal(store_verify(tp->root, &vs, verify_note, why),
	    CGN_OK);
	if (rows != NULL)
		*rows = vs.rows;
	return vs.bad;
}

static void
runs_with_address_keys_still_answer(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	char why[300] = "";
	uint64_t most, rows;

	put_crowded(st, 0, NR);
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);
	/* as the version before port keys wrote them: the first and the
	 * last row's address */
	sql(tp, "UPDATE blk SET a_lo = substr(a_lo, 1, 16),"
	    " a_hi = substr(a_hi, 1, 16)");
	most = check_holders(tp, 0, NR);
	/* every lookup reads from the address's first block to the port's:
	 * the last blocks' ports cost all six */
	assert_int_equal(most, (NB * NR + 1023) / 1024);
	assert_int_equal(verify_bad(tp, why, &rows), 0);
	assert_string_equal(why, "");
	assert_int_equal(rows, NB * NR);
}

static void
an_address_wide_hold_is_found_from_every_port(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	struct store_reader *rd;
	struct hits hs;
	struct cgn_addr w = addr("100.64.200.1");
	/* between holdings 25 and 26 of every block (the last block's ends
	 * at held(25, 0) + 51,190) the whole address is held, for 7.5 s:
	 * its row sorts first (port 0) and reaches port 65535, so the first
	 * block of rows ends higher than the next ones, while every block's
	 * time range (all holdings of its ports) covers that moment */
	int64_t from = held(25, 0) + 51500, to = held(25, 0) + 59000;
	int b;

	put_crowded(st, 0, 26);
	put(st, CGN_EV_PBA_ALLOC, CROWDED, "100.64.200.1", 0, 65535, from);
	put(st, CGN_EV_PBA_RELEASE, CROWDED, "100.64.200.1", 0, 65535, to);
	put_crowded(st, 26, NR);
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);

	rd = r_open(tp);
	for (b = 0; b < NB; b += 17) {
		assert_int_equal(lookup(rd, CROWDED, (uint16_t)(first_port(b) +
		    3), from + 3000, &hs), 1);
		assert_memory_equal(&hs.h[0].inside, &w, sizeof(w));
		assert_int_equal(hs.h[0].port_lo, 0);
		assert_int_equal(hs.h[0].port_hi, 65535);
		assert_int_equal(hs.h[0].start_ms, from);
		assert_int_equal(hs.h[0].end_ms, to);
	}
	/* ports above every block, and below */
	assert_int_equal(lookup(rd, CROWDED, 65000, from + 100, &hs), 1);
	assert_memory_equal(&hs.h[0].inside, &w, sizeof(w));
	assert_int_equal(lookup(rd, CROWDED, 7, to - 100, &hs), 1);
	assert_memory_equal(&hs.h[0].inside, &w, sizeof(w));
	/* and the blocks are still found before and after it */
	assert_int_equal(lookup(rd, CROWDED, first_port(NB - 1) + 500,
	    held(NR - 1, NB - 1) + 1000, &hs), 1);
	assert_int_equal(hs.h[0].port_lo, first_port(NB - 1));
	assert_int_equal(lookup(rd, CROWDED, first_port(60) + 1,
	    held(25, 60) + 1000, &hs), 1);
	assert_int_equal(hs.h[0].start_ms, held(25, 60));
	store_reader_close(rd);
}

/* Hits for inside address in over the crowded hour; the blocks read. */
static int
by_inside(struct store_reader *rd, const char *in, struct hits *hs,
    uint64_t *blocks)
{
	struct store_query q;
	uint64_t before = store_reader_blocks(rd);

	memset(&q, 0, sizeof(q));
	q.inside = addr(in);
	q.port_hi = 65535;
	q.from_ms = T0;
	q.to_ms = T0 + HOUR - 1;
	memset(hs, 0, sizeof(*hs));
	if (store_find(rd, &q, hits_add, hs) != CGN_OK)
		fail_msg("store_find: %s", store_reader_errmsg(rd));
	*blocks = store_reader_blocks(rd) - before;
	return hs->n;
}

/* Each holder j, b of a spread (SEARCHES of them) is found by its inside
 * address, once; returns the blocks decoded in all. */
#define SEARCHES 36
static uint64_t
check_insides(struct tmp *tp)
{
	struct store_reader *rd = r_open(tp);
	struct hits hs;
	char in[32];
	uint64_t blocks, all = 0;
	int j, b, n = 0;

	for (j = 0; j < NR; j += 9) {
		for (b = 0; b < NB; b += 23) {
			snprintf(in, sizeof(in), "100.64.%d.%d", j, b);
			assert_int_equal(by_inside(rd, in, &hs, &blocks), 1);
			assert_int_equal(hs.h[0].port_lo, first_port(b));
			assert_int_equal(hs.h[0].start_ms, held(j, b));
			all += blocks;
			n++;
		}
	}
	assert_int_equal(n, SEARCHES);
	store_reader_close(rd);
	rd = r_open(tp);
	assert_int_equal(by_inside(rd, "100.64.99.99", &hs, &blocks), 0);
	store_reader_close(rd);
	return all;
}

static void
an_inside_search_reads_the_blocks_that_may_hold_it(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	char why[300] = "";

	put_crowded(st, 0, NR);
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);
	/* six blocks of rows, each subscriber in one: its filter lets the
	 * others go unread (each of the five is read all the same with a
	 * chance of about 1 in 18: 1.28 blocks a search expected) */
	assert_true(check_insides(tp) * 2 <= 3 * SEARCHES);
	assert_int_equal(verify_bad(tp, why, NULL), 0);

	/* a block with no filter (written before filters) is read */
	sql(tp, "UPDATE blk SET ibloom = NULL");
	assert_int_equal(check_insides(tp), SEARCHES * ((NB * NR + 1023) /
	    1024));

	/* a filter that lacks a row's inside is damage verify reports */
	sql(tp, "UPDATE blk SET ibloom = x'04' || zeroblob(64)"
	    " WHERE id = (SELECT min(id) FROM blk)");
	assert_int_equal(verify_bad(tp, why, NULL), 1);
	assert_non_null(strstr(why, "not in the block's filter"));
}

static void
a_shard_without_filters_is_read_and_gains_them(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	struct store_reader *rd;
	struct hits hs;
	char why[300] = "";
	uint64_t blocks, rows;

	put_crowded(st, 0, NR / 2);
	assert_int_equal(store_close(st, T0 + 40 * 60000LL), CGN_OK);
	/* as an earlier version made it: no ibloom column */
	sql(tp, "ALTER TABLE blk DROP COLUMN ibloom");
	rd = r_open(tp);
	assert_int_equal(by_inside(rd, "100.64.3.7", &hs, &blocks), 1);
	assert_int_equal(hs.h[0].start_ms, held(3, 7));
	store_reader_close(rd);
	assert_int_equal(verify_bad(tp, why, NULL), 0);

	/* the rest of the hour comes late: the shard is written again, its
	 * new blocks have filters, and both kinds answer */
	st = w_open_ev(tp, 0, 0);
	put_crowded(st, NR / 2, NR);
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);
	rd = r_open(tp);
	assert_int_equal(by_inside(rd, "100.64.3.7", &hs, &blocks), 1);
	assert_int_equal(hs.h[0].start_ms, held(3, 7));
	assert_int_equal(by_inside(rd, "100.64.40.7", &hs, &blocks), 1);
	assert_int_equal(hs.h[0].start_ms, held(40, 7));
	store_reader_close(rd);
	assert_int_equal(verify_bad(tp, why, &rows), 0);
	assert_string_equal(why, "");
	assert_int_equal(rows, NB * NR);
}

static void
verify_reports_keys_out_of_order(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open_ev(tp, 0, 0);
	char why[300] = "";

	put_crowded(st, 0, NR);
	assert_int_equal(store_close(st, T0 + 2 * HOUR), CGN_OK);
	assert_int_equal(verify_bad(tp, why, NULL), 0);
	/* the first block's a_hi raised to the address's last port: its
	 * rows are still within its keys, but the next block's a_hi is now
	 * below it, and a lookup seeking by a_hi would skip that block */
	sql(tp, "UPDATE blk SET a_hi = substr(a_hi, 1, 16) || x'ffff'"
	    " WHERE id = (SELECT min(id) FROM blk)");
	assert_int_equal(verify_bad(tp, why, NULL), 1);
	assert_non_null(strstr(why, "below the one before it"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    a_lookup_reads_the_blocks_of_its_port_only, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    runs_with_address_keys_still_answer, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    an_address_wide_hold_is_found_from_every_port, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    verify_reports_keys_out_of_order, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    an_inside_search_reads_the_blocks_that_may_hold_it,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(
		    a_shard_without_filters_is_read_and_gains_them, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
