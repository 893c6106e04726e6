/*
 * test_store_retry.c - a flush that fails halfway loses nothing: the
 * writer sorts and folds its queue in place and maps its device and
 * subscriber ids inside the transaction, so a rolled-back flush must leave
 * a queue that the next flush writes exactly once, with the right ids.
 *
 * The failure is made the way a full disk or a broken file would make it,
 * inside SQLite: another connection puts a trigger on the shard's block
 * table that aborts every insert, and takes it away again.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cgn.h"
#include "store.h"
#include "stest.h"

/* 2026-11-28 10:00:00 UTC */
#define T0 1795860000000LL

/* Block b of 198.51.100.7 (512 ports from 1024 + 512 b), held by
 * 100.64.0.(b+1) for subscriber "sub-b", on device cgn-(b%2). */
static void
put(struct store *st, int type, int b, int64_t ts)
{
	struct store_msg m;
	struct cgn_event ev;
	char in[32];

	memset(&ev, 0, sizeof(ev));
	ev.type = (uint8_t)type;
	snprintf(in, sizeof(in), "100.64.0.%d", b + 1);
	ev.inside = addr(in);
	ev.outside = addr("198.51.100.7");
	ev.port_lo = (uint16_t)(1024 + 512 * b);
	ev.port_hi = (uint16_t)(ev.port_lo + 511);
	ev.ts_ms = ev.rx_ms = ts;
	ev.tsrc = CGN_TS_UTC;
	snprintf(ev.device, sizeof(ev.device), "cgn-%d", b % 2);
	snprintf(ev.subscriber, sizeof(ev.subscriber), "sub-%d", b);
	memset(&m, 0, sizeof(m));
	m.rx_ms = ts;
	assert_int_equal(store_put(st, &m, &ev, 1), CGN_OK);
}

static void
sql(const char *shard, const char *stmt)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(shard, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, stmt, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", stmt, msg);
	sqlite3_close(db);
}

static void
a_failed_flush_is_written_once_by_the_next(void **state)
{
	struct tmp *tp = *state;
	char shard[300], err[512] = "", in[32], name[32];
	struct store_opts o;
	struct store *st = NULL;
	struct store_reader *rd = NULL;
	struct store_query q;
	struct store_wstats ws;
	struct hits hs;
	int b;

	store_opts_default(&o);
	o.root = tp->root;
	o.period_ms = HOUR;
	o.evidence = 0;
	assert_int_equal(store_open(&o, &st, err, sizeof(err)), CGN_OK);

	/* an hour before, block 9 (device cgn-1, subscriber sub-9): the
	 * writer's ids are not the ones the next shard gives */
	put(st, CGN_EV_PBA_ALLOC, 9, T0 - HOUR / 2);
	put(st, CGN_EV_PBA_RELEASE, 9, T0 - HOUR / 4);
	/* block 0 opens and is flushed: the shard exists */
	put(st, CGN_EV_PBA_ALLOC, 0, T0 + 1000);
	assert_int_equal(store_flush(st, T0 + 1500), CGN_OK);
	snprintf(shard, sizeof(shard), "%s/20261128T1000Z-3600.cgn",
	    tp->root);
	assert_int_equal(access(shard, F_OK), 0);

	/* the next flush fails: block 0 closes, blocks 1-3 open and close
	 * (two records of one allocation, folded into one row), block 4
	 * opens, on two devices and five subscribers new to the shard */
	sql(shard, "CREATE TRIGGER no_blocks BEFORE INSERT ON blk BEGIN "
	    "SELECT RAISE(ABORT, 'the disk is full'); END");
	put(st, CGN_EV_PBA_RELEASE, 0, T0 + 2000);
	for (b = 1; b <= 3; b++) {
		put(st, CGN_EV_PBA_ALLOC, b, T0 + 2000 + b * 100);
		put(st, CGN_EV_PBA_RELEASE, b, T0 + 5000 + b * 100);
	}
	put(st, CGN_EV_PBA_ALLOC, 4, T0 + 6000);
	assert_int_not_equal(store_flush(st, T0 + 6500), CGN_OK);
	assert_non_null(strstr(store_errmsg(st), "the disk is full"));

	/* the disk has room again: the same queue, once */
	sql(shard, "DROP TRIGGER no_blocks");
	assert_int_equal(store_flush(st, T0 + 7500), CGN_OK);
	store_wstats(st, &ws);
	assert_int_equal(store_close(st, T0 + 8000), CGN_OK);

	assert_int_equal(store_reader_open(tp->root, &rd, err, sizeof(err)),
	    CGN_OK);
	memset(&q, 0, sizeof(q));
	q.outside = addr("198.51.100.7");
	q.port_lo = 0;
	q.port_hi = 65535;
	q.from_ms = T0;
	q.to_ms = T0 + HOUR - 1;
	memset(&hs, 0, sizeof(hs));
	assert_int_equal(store_find(rd, &q, hits_add, &hs), CGN_OK);
	assert_int_equal(hs.n, 5);
	for (b = 0; b < 5; b++) {
		const struct store_hit *h = &hs.h[b];
		struct cgn_addr want = addr((snprintf(in, sizeof(in),
		    "100.64.0.%d", b + 1), in));

		assert_int_equal(h->port_lo, 1024 + 512 * b);
		assert_memory_equal(&h->inside, &want, sizeof(want));
		snprintf(name, sizeof(name), "cgn-%d", b % 2);
		assert_string_equal(h->device, name);
		snprintf(name, sizeof(name), "sub-%d", b);
		assert_string_equal(h->subscriber, name);
		assert_int_equal(h->start_ms, b == 0 ? T0 + 1000 : b == 4 ?
		    T0 + 6000 : T0 + 2000 + b * 100);
		if (b == 4) {
			assert_int_equal(h->end_ms, STORE_OPEN_END);
			continue;
		}
		assert_int_equal(h->end_ms, b == 0 ? T0 + 2000 :
		    T0 + 5000 + b * 100);
		assert_int_equal(h->flags & STORE_F_END_LOGGED,
		    STORE_F_END_LOGGED);
	}
	store_reader_close(rd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    a_failed_flush_is_written_once_by_the_next, tmp_setup,
		    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
