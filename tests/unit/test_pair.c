/*
 * test_pair.c - unit tests for the pairing of events into intervals
 * (store/pair*.c): allocations, releases, interims, duplicates, expiry on
 * the device's clock, checkpoints, resumption, and sessions whose
 * destination is part of their identity.
 * Not here: the index under long churn (test_pair_churn.c), the writer and
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
#include "ival.h"
#include "merge.h"
#include "pair.h"
#include "runmerge.h"
#include "shard.h"
#include "store.h"
#include "stest.h"

/* Event type of the block 198.51.100.7:1024-1151 for inside in at ts,
 * on device 1 with evidence ref ref: paired, and accepted. */
static void
feed(struct pair_tab *t, int type, const char *in, int64_t ts, uint64_t ref,
    struct pair_out *o)
{
	struct cgn_event ev = mk_ev(type, in, "198.51.100.7", 1024, 1151, ts);

	assert_int_equal(pair_event(t, &ev, 1, 0, ref, o), CGN_OK);
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
	/* nothing to write yet (see the checkpoint tests) */
	assert_int_equal(o.n, 0);
	assert_int_equal(o.dup, 0);
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
	assert_int_equal(o.rec[0].wp, UINT32_MAX);	/* no record before */
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
	struct recs rs;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ACTIVE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(12, 0, 0));
	ev.start_ms = T(9, 45, 38);
	assert_int_equal(pair_event(t, &ev, 1, 0, 77, &o),
	    CGN_OK);
	assert_int_equal(o.n, 0);
	checkpoint_into(t, PER(T(12, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].open, 1);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_OPEN);
	assert_int_equal(rs.r[0].iv.start_ms, T(9, 45, 38));
	assert_int_equal(rs.r[0].iv.ev_start, 77);
	/* from its start's period on */
	assert_int_equal(rs.r[0].wp, UINT32_MAX);
	assert_int_equal(rs.r[0].to, PER(T(12, 0, 0)));
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
	struct recs rs;

	(void)state;
	ev = mk_ev(CGN_EV_PBA_ACTIVE, "10.0.10.10", "1.2.84.172", 48640,
	    48895, T(12, 0, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 0);
	checkpoint_into(t, PER(T(12, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_INTERIM |
	    STORE_F_OPEN);
	assert_int_equal(rs.r[0].iv.start_ms, T(12, 0, 0));
	pair_free(t);
}

static void
pair_second_alloc_to_other_inside_closes_first_by_reuse(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct recs rs;

	(void)state;
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 0), 11, &o);
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.2", T(10, 20, 0), 12, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].open, 0);
	assert_addr(&o.rec[0].iv.inside, "100.64.0.1");
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.start_ms, T(10, 0, 0));
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 20, 0));
	assert_int_equal(o.rec[0].iv.ev_start, 11);
	assert_int_equal(o.rec[0].iv.ev_end, 0);
	/* the new holder is written by the next checkpoint */
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].open, 1);
	assert_addr(&rs.r[0].iv.inside, "100.64.0.2");
	assert_int_equal(rs.r[0].iv.start_ms, T(10, 20, 0));
	assert_int_equal(rs.r[0].iv.ev_start, 12);
	assert_int_equal(pair_count(t), 1);
	pair_free(t);
}

static void
pair_late_older_alloc_is_closed_at_current_start(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;

	(void)state;
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.2", T(10, 20, 0), 12, &o);
	/* an older allocation of the same ports arrives late */
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 0), 11, &o);
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
	assert_int_equal(o.n, 1);
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
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 0), 1, &o);
	ev = mk_ev(CGN_EV_PBA_RELEASE, "100.64.0.1", "198.51.100.7", 1024,
	    1151, T(10, 30, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	ev.ts_ms = T(10, 30, 1);
	assert_int_equal(pair_event(t, &ev, 1, 0, 3, &o), CGN_OK);
	assert_int_equal(o.dup, 1);
	assert_int_equal(o.n, 0);
	/* and a duplicate of the allocation after the release */
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 1), 4, &o);
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
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 0), 1, &o);
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
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 0, 0), 1, &o);
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
	assert_int_equal(o.n, 0);
	memset(&rs, 0, sizeof(rs));
	assert_int_equal(pair_expire(t, T(10, 0, 0) + IDLE_MS + 1, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_IDLE);
	assert_int_equal(rs.r[0].iv.end_ms, T(10, 0, 0) + IDLE_MS);
	assert_int_equal(rs.r[0].iv.kind, STORE_K_SESSION);
	assert_int_equal(rs.r[0].iv.inside_port, 46776);
	assert_int_equal(rs.r[0].iv.proto, 6);
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
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 30, 0), 1, &o);
	memset(&rs, 0, sizeof(rs));
	/* the wall clock is a week on; the device is still at 10:30: into
	 * its own period only */
	assert_int_equal(pair_checkpoint(t, PER(wall), wall + 1000, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].wp, UINT32_MAX);
	assert_int_equal(rs.r[0].to, PER(T(10, 0, 0)));
	memset(&rs, 0, sizeof(rs));
	/* the replay reaches 12:05: carried into 11:00 and 12:00, no further */
	pair_set_rx(t, wall + 2000);
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.0.2", "198.51.100.7", 2048, 2175,
	    T(12, 5, 0));
	assert_int_equal(pair_event(t, &ev, 1, 0, 2, &o), CGN_OK);
	assert_int_equal(pair_checkpoint(t, PER(wall), wall + 2000, recs_add,
	    &rs), CGN_OK);
	assert_int_equal(rs.n, 2);
	assert_int_equal(rs.r[0].iv.port_lo, 1024);
	assert_int_equal(rs.r[0].wp, PER(T(10, 0, 0)));
	assert_int_equal(rs.r[0].to, PER(T(12, 0, 0)));
	/* the 12:05 one: its first record */
	assert_int_equal(rs.r[1].iv.port_lo, 2048);
	assert_int_equal(rs.r[1].wp, UINT32_MAX);
	assert_int_equal(rs.r[1].to, PER(T(12, 0, 0)));
	pair_free(t);
}

static void
pair_open_allocation_is_first_written_by_a_checkpoint(void **state)
{
	struct pair_tab *t = pair_make();
	struct pair_out o;
	struct recs rs;

	(void)state;
	feed(t, CGN_EV_PBA_ALLOC, "100.64.0.1", T(10, 5, 0), 1001, &o);
	assert_int_equal(o.n, 0);
	/* the collector's clock is still in 9:00 (the device's runs ahead):
	 * written into the period of its start all the same */
	checkpoint_into(t, PER(T(9, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].open, 1);
	assert_int_equal(rs.r[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_OPEN);
	assert_int_equal(rs.r[0].iv.start_ms, T(10, 5, 0));
	assert_int_equal(rs.r[0].iv.ev_start, 1001);
	assert_int_equal(rs.r[0].wp, UINT32_MAX);
	assert_int_equal(rs.r[0].to, PER(T(10, 0, 0)));
	/* once there, not again */
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 0);
	/* its release knows the open record is in 10:00 */
	feed(t, CGN_EV_PBA_RELEASE, "100.64.0.1", T(10, 35, 0), 1002, &o);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].wp, PER(T(10, 0, 0)));
	assert_int_equal(o.rec[0].iv.ev_end, 1002);
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
		/* written nowhere before: from its start's period p on */
		assert_int_equal(rs.r[i].wp, UINT32_MAX);
		assert_int_equal(rs.r[i].to, p + 1);
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
	assert_int_equal(o.n, 0);
	ev.type = CGN_EV_ADDR_RELEASE;
	ev.ts_ms = T(11, 0, 0);
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.kind, STORE_K_ADDR);
	assert_int_equal(o.rec[0].iv.port_lo, 0);
	assert_int_equal(o.rec[0].iv.port_hi, 65535);
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
		assert_int_equal(o.n, 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
		    pair_open_allocation_is_first_written_by_a_checkpoint),
		cmocka_unit_test(
		    pair_checkpoint_emits_every_open_allocation_once),
		cmocka_unit_test(pair_whole_address_event_covers_every_port),
		cmocka_unit_test(
		    pair_rejects_non_allocation_events_and_bad_ranges),
		cmocka_unit_test(pair_ipv6_addresses_come_back_intact),
		cmocka_unit_test(
		    pair_many_allocations_survive_growth_and_deletion),
		cmocka_unit_test(pair_resume_keeps_start_flags_and_evidence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
