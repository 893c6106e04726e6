/*
 * test_store.c - unit tests for the store's writer and reader end to end
 * in a temporary directory: finding intervals, evidence, carry-over across
 * shards, restart, coverage, late events.
 *
 * Every store lives under its own mkdtemp() directory in /tmp, removed by
 * the teardown even when a test fails.
 * Not here: the operational side (test_store_ops.c), the codec
 * (test_codec.c), pairing (test_pair.c), merging (test_merge.c), a flush
 * that fails (test_store_retry.c), verdicts (test_query.c).
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
	struct store_wstats ws;
	struct cgn_event ev;

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
	assert_block_found(tp, T(10, 5, 0), T(10, 35, 0));
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

/* A replay of a block held 70 h, taken in one flush: its first record
 * reaches over more than the SPAN_MAX (64) periods a record is copied
 * into, and the period of its start must be one of them. */
static void
store_replayed_long_hold_is_kept_in_its_start_period(void **state)
{
	struct tmp *tp = *state;
	struct store_opts o;
	struct store *st = NULL;
	struct store_reader *rd;
	struct cgn_event ev;
	struct hits hs;
	char err[512] = "";

	store_opts_default(&o);
	o.root = tp->root;
	o.period_ms = HOUR;
	o.max_age_ms = 100 * HOUR;
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_OK);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.12.34", "198.51.100.7", 20480,
	    20607, 0);
	w_put_ev(st, &ev, T(0, 5, 0), T(0, 5, 0), "alloc");
	ev.type = CGN_EV_PBA_RELEASE;
	w_put_ev(st, &ev, T(70, 5, 0), T(70, 5, 0), "release");
	assert_int_equal(store_close(st, T(70, 10, 0)), CGN_OK);
	rd = r_open(tp);
	/* open there (the periods between hold nothing: the end is not
	 * found from there) */
	assert_int_equal(find(rd, 20500, T(0, 20, 0), T(0, 20, 0), 0, &hs),
	    1);
	assert_int_equal(hs.h[0].start_ms, T(0, 5, 0));
	assert_int_equal(hs.h[0].flags, STORE_F_START_LOGGED | STORE_F_OPEN);
	/* the last 64 periods: closed, from the one before the end on */
	assert_int_equal(find(rd, 20500, T(69, 0, 0), T(69, 0, 0), 1, &hs),
	    1);
	assert_block_hit(&hs.h[0], T(0, 5, 0), T(70, 5, 0),
	    STORE_F_START_LOGGED | STORE_F_END_LOGGED);
	store_reader_close(rd);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		TMP_TEST(store_replayed_long_hold_is_kept_in_its_start_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
