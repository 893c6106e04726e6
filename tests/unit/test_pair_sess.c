/*
 * test_pair_sess.c - unit tests for the pairing of sessions whose
 * destination was logged (store/pair*.c): a NAT with address-and-port-
 * dependent mapping gives one public port to several subscribers at once,
 * so the destination is part of a session's identity; releases without
 * one, duplicates, reuse, idle expiry and resumption.
 * Not here: port blocks (test_pair.c).
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
	struct recs rs;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 11, &o), CGN_OK);
	assert_int_equal(o.n, 0);
	/* another subscriber, the same public port, another destination:
	 * both hold it (address-and-port-dependent mapping) */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.20", 80, T(10, 1, 0), 12, &o), CGN_OK);
	assert_int_equal(o.n, 0);
	assert_int_equal(o.dup, 0);
	assert_int_equal(pair_count(t), 2);
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 2);
	assert_sess_rec(&rs.r[0], 1, "100.64.0.1", "203.0.113.10", 443);
	assert_sess_rec(&rs.r[1], 1, "100.64.0.2", "203.0.113.20", 80);
	assert_int_equal(rs.r[1].iv.start_ms, T(10, 1, 0));
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
	assert_int_equal(o.n, 0);
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
	assert_int_equal(o.n, 0);
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
	struct recs rs;

	(void)state;
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.1",
	    "203.0.113.10", 443, T(10, 0, 0), 0, &o), CGN_OK);
	/* the same 5-tuple outside cannot be two sessions at once */
	assert_int_equal(sess_event(t, CGN_EV_SESSION_CREATE, "100.64.0.2",
	    "203.0.113.10", 443, T(10, 20, 0), 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_sess_rec(&o.rec[0], 0, "100.64.0.1", "203.0.113.10", 443);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 20, 0));
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_sess_rec(&rs.r[0], 1, "100.64.0.2", "203.0.113.10", 443);
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
	assert_int_equal(o.n, 1);
	assert_addr(&o.rec[0].iv.inside, "100.64.0.3");
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_int_equal(o.rec[0].iv.end_ms, T(10, 31, 0));
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 1);
	assert_addr(&rs.r[0].iv.inside, "100.64.0.4");
	assert_int_equal(pair_count(t), 2);
	pair_free(t);
}

static void
pair_blocks_keep_no_destination_and_no_more_memory(void **state)
{
	struct pair_tab *t = pair_make(), *plain = pair_make();
	struct pair_out o;
	struct cgn_event ev;
	struct recs rs;
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
		assert_int_equal(o.n, 0);
	}
	assert_int_equal(pair_count(t), 2000);
	checkpoint_into(t, PER(T(10, 0, 0)), &rs);
	assert_int_equal(rs.n, 2000);
	for (i = 0; i < 64; i++) {	/* the ones recs keeps */
		assert_addr(&rs.r[i].iv.dst, "::");
		assert_int_equal(rs.r[i].iv.dst_port, 0);
	}
	assert_int_equal(pair_bytes(t), pair_bytes(plain));
	/* another inside on the same block, another destination: reuse */
	ev = mk_ev(CGN_EV_PBA_ALLOC, "100.64.9.9", "198.51.100.7", 1024, 2047,
	    T(11, 0, 0));
	ev.dst = addr("203.0.113.20");
	assert_int_equal(pair_event(t, &ev, 1, 0, 0, &o), CGN_OK);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.rec[0].iv.flags, STORE_F_START_LOGGED |
	    STORE_F_END_REUSE);
	assert_addr(&o.rec[0].iv.dst, "::");
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
		assert_int_equal(o.n, 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
