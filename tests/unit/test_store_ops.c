/*
 * test_store_ops.c - unit tests for the store's writer and reader in a
 * temporary directory, the operational side: duplicates, evidence off,
 * sessions and subscribers, device and shard reports, retention, tiers of
 * runs, defaults and shard names, sessions with destinations across a
 * restart, the seal's copy of a shard.
 * Not here: finding intervals across shards and restarts (test_store.c).
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

/* The 10:00 shard's file, its header's page size and journal mode (1:
 * rollback, 2: WAL) and what integrity_check says. */
struct fileinfo {
	char path[256];
	int page, mode;
	char check[32];
};

static void
shard_info(struct tmp *tp, struct fileinfo *fi)
{
	unsigned char h[100];
	sqlite3_stmt *q;
	sqlite3 *db;
	FILE *f;

	shard_path(tp->root, T(10, 0, 0), HOUR, fi->path, sizeof(fi->path));
	assert_non_null(f = fopen(fi->path, "rb"));
	assert_int_equal(fread(h, 1, sizeof(h), f), sizeof(h));
	fclose(f);
	fi->page = h[16] << 8 | h[17];
	fi->mode = h[18];
	assert_int_equal(h[19], h[18]);
	assert_int_equal(sqlite3_open_v2(fi->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1,
	    &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	snprintf(fi->check, sizeof(fi->check), "%s",
	    (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static int
exists(const char *path, const char *suffix)
{
	char p[300];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return stat(p, &sb) == 0;
}

/* The test block held 10:05-10:35, flushed at 10:40 into a WAL shard. */
static void
put_block_flushed(struct store *st)
{
	w_put(st, CGN_EV_PBA_ALLOC, T(10, 5, 0), ALLOC_RAW);
	w_put(st, CGN_EV_PBA_RELEASE, T(10, 35, 0), RELEASE_RAW);
	w_flush(st, T(10, 40, 0));
}

static void
store_seal_renames_a_compact_copy_over_the_shard(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct fileinfo fi;
	char stale[300];
	FILE *f;

	put_block_flushed(st);
	shard_info(tp, &fi);
	assert_int_equal(fi.page, 16384);
	assert_int_equal(fi.mode, 2);
	/* a crash while sealing left a copy behind */
	snprintf(stale, sizeof(stale), "%s" SHARD_SEALING, fi.path);
	assert_non_null(f = fopen(stale, "w"));
	fputs("half a copy", f);
	fclose(f);
	w_flush(st, T(11, 10, 0));	/* 10:00 is sealed now */
	shard_info(tp, &fi);
	assert_int_equal(fi.page, SHARD_SEALED_PAGE);
	assert_int_equal(fi.mode, 1);
	assert_string_equal(fi.check, "ok");
	assert_false(exists(fi.path, SHARD_SEALING));
	assert_false(exists(fi.path, "-wal"));
	assert_false(exists(fi.path, "-shm"));
	assert_block_found(tp, T(10, 4, 59), T(10, 34, 59));
	assert_int_equal(store_close(st, T(11, 11, 0)), CGN_OK);
}

static void
store_seal_beside_a_reader_in_the_wal_shrinks_in_place(void **state)
{
	struct tmp *tp = *state;
	struct store *st = w_open(tp, 0);
	struct fileinfo fi;
	sqlite3_stmt *q;
	sqlite3 *db;

	put_block_flushed(st);
	shard_info(tp, &fi);
	/* a reader in the middle of a read of the WAL shard */
	assert_int_equal(sqlite3_open_v2(fi.path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM blk",
	    -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	w_flush(st, T(11, 10, 0));	/* sealed: not renamed over it */
	sqlite3_finalize(q);
	sqlite3_close(db);
	shard_info(tp, &fi);
	assert_int_equal(fi.page, 16384);
	assert_string_equal(fi.check, "ok");
	assert_false(exists(fi.path, SHARD_SEALING));
	assert_block_found(tp, T(10, 4, 59), T(10, 34, 59));
	assert_int_equal(store_close(st, T(11, 11, 0)), CGN_OK);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		TMP_TEST(store_duplicate_messages_are_counted_not_stored),
		TMP_TEST(store_without_evidence_keeps_no_raw_bytes),
		TMP_TEST(store_sessions_and_subscribers_come_back),
		TMP_TEST(store_devices_and_shards_report_counts_and_skew),
		TMP_TEST(store_retention_deletes_old_shard_files),
		TMP_TEST(store_seal_renames_a_compact_copy_over_the_shard),
		TMP_TEST(
		    store_seal_beside_a_reader_in_the_wal_shrinks_in_place),
		TMP_TEST(store_open_refuses_bad_period),
		TMP_TEST(store_runs_are_merged_in_tiers_while_written),
		cmocka_unit_test(store_defaults_are_documented_values),
		cmocka_unit_test(store_shard_names_round_trip),
		TMP_TEST(
		    store_concurrent_sessions_keep_destinations_across_restart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
