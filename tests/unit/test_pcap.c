/*
 * test_pcap.c - the pure parts behind pcap-file:// and pcap-live://: TCP
 * segments decoded by pkt.c, and streams put back in order by
 * tcpreasm.c (in order, out of order, retransmitted, lost, closed).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkt.h"
#include "tcpreasm.h"

/* ---- a consumer that records what it is given ------------------------- */

struct rec {
	char bytes[4096];
	size_t n;
	int gaps, ends, last_end;
	int users;		/* slots allocated, not yet freed */
};

static void
on_data(void *arg, const struct tcpr_key *k, void **user, const uint8_t *p,
    size_t len)
{
	struct rec *r = arg;

	(void)k;
	if (*user == NULL) {
		*user = malloc(1);
		r->users++;
	}
	memcpy(r->bytes + r->n, p, len);
	r->n += len;
	r->bytes[r->n] = '\0';
}

static void
on_end(void *arg, const struct tcpr_key *k, void **user, int why)
{
	struct rec *r = arg;

	(void)k;
	if (why == TCPR_END_GAP) {
		r->gaps++;
		return;
	}
	r->ends++;
	r->last_end = why;
	if (*user != NULL) {
		free(*user);
		*user = NULL;
		r->users--;
	}
}

static struct tcpr_key key_a = { .sport = 40000, .dport = 601 };

static void
seg(struct tcpr *t, uint32_t seq, uint8_t flags, const char *s)
{
	assert_int_equal(tcpr_segment(t, &key_a, seq, flags,
	    (const uint8_t *)s, strlen(s)), CGN_OK);
}

static void
tcpr_in_order_segments_come_out_as_sent(void **state)
{
	struct rec r = { .n = 0 };
	struct tcpr *t;
	struct tcpr_stats st;

	(void)state;
	assert_int_equal(tcpr_new(on_data, on_end, &r, &t), CGN_OK);
	seg(t, 999, TCPR_SYN, "");
	seg(t, 1000, 0, "<14>one\n");
	seg(t, 1008, 0, "<14>two\n");
	assert_string_equal(r.bytes, "<14>one\n<14>two\n");
	seg(t, 1016, TCPR_FIN, "");
	assert_int_equal(r.ends, 1);
	assert_int_equal(r.last_end, TCPR_END_CLOSE);
	assert_int_equal(r.users, 0);
	tcpr_stats_get(t, &st);
	assert_int_equal(st.bytes, 16);
	assert_int_equal(st.streams, 1);
	tcpr_free(t);
}

static void
tcpr_out_of_order_and_retransmitted_bytes_are_put_right(void **state)
{
	struct rec r = { .n = 0 };
	struct tcpr *t;
	struct tcpr_stats st;

	(void)state;
	assert_int_equal(tcpr_new(on_data, on_end, &r, &t), CGN_OK);
	seg(t, 99, TCPR_SYN, "");
	seg(t, 100, 0, "abcd");
	seg(t, 108, 0, "ijkl");		/* early: held */
	assert_string_equal(r.bytes, "abcd");
	seg(t, 102, 0, "cdefgh");	/* overlaps what came */
	assert_string_equal(r.bytes, "abcdefghijkl");
	seg(t, 100, 0, "abcd");		/* a retransmit */
	assert_string_equal(r.bytes, "abcdefghijkl");
	tcpr_stats_get(t, &st);
	assert_int_equal(st.dup_bytes, 6);
	assert_int_equal(st.lost_bytes, 0);
	assert_int_equal(r.gaps, 0);
	tcpr_flush(t);
	assert_int_equal(r.last_end, TCPR_END_FLUSH);
	assert_int_equal(r.users, 0);
	tcpr_free(t);
}

static void
tcpr_a_hole_that_never_fills_is_skipped_at_the_end(void **state)
{
	struct rec r = { .n = 0 };
	struct tcpr *t;
	struct tcpr_stats st;

	(void)state;
	assert_int_equal(tcpr_new(on_data, on_end, &r, &t), CGN_OK);
	seg(t, 5000, 0, "first\n");	/* no SYN: starts here */
	seg(t, 5020, 0, "after\n");	/* 14 bytes never captured */
	assert_string_equal(r.bytes, "first\n");
	tcpr_flush(t);
	assert_string_equal(r.bytes, "first\nafter\n");
	assert_int_equal(r.gaps, 1);
	tcpr_stats_get(t, &st);
	assert_int_equal(st.lost_bytes, 14);
	tcpr_free(t);
}

/* A consumer that only counts (the bytes are too many to keep). */
static uint64_t counted, count_gaps;

static void
count_data(void *arg, const struct tcpr_key *k, void **user,
    const uint8_t *p, size_t len)
{
	(void)arg;
	(void)k;
	(void)user;
	(void)p;
	counted += len;
}

static void
count_end(void *arg, const struct tcpr_key *k, void **user, int why)
{
	(void)arg;
	(void)k;
	(void)user;
	if (why == TCPR_END_GAP)
		count_gaps++;
}

static void
tcpr_a_hole_is_skipped_once_too_much_waits_behind_it(void **state)
{
	static uint8_t chunk[60000];
	struct tcpr *t;
	struct tcpr_stats st;
	uint32_t seq = 1000;
	int i;

	(void)state;
	counted = count_gaps = 0;
	assert_int_equal(tcpr_new(count_data, count_end, NULL, &t), CGN_OK);
	assert_int_equal(tcpr_segment(t, &key_a, seq, 0, chunk, 100),
	    CGN_OK);
	seq += 100 + 500;	/* 500 bytes the capture lost */
	for (i = 0; i * sizeof(chunk) <= TCPR_HOLD; i++) {
		assert_int_equal(counted, 100);	/* held, not given */
		assert_int_equal(tcpr_segment(t, &key_a, seq, 0, chunk,
		    sizeof(chunk)), CGN_OK);
		seq += sizeof(chunk);
	}
	/* past TCPR_HOLD the hole is jumped and everything comes out */
	assert_int_equal(count_gaps, 1);
	assert_int_equal(counted, 100 + (uint64_t)i * sizeof(chunk));
	tcpr_stats_get(t, &st);
	assert_int_equal(st.lost_bytes, 500);
	tcpr_flush(t);
	tcpr_free(t);
}

static void
tcpr_sequence_numbers_wrap(void **state)
{
	struct rec r = { .n = 0 };
	struct tcpr *t;

	(void)state;
	assert_int_equal(tcpr_new(on_data, on_end, &r, &t), CGN_OK);
	seg(t, 0xfffffffdU, TCPR_SYN, "");
	seg(t, 0x00000002U, 0, "56");	/* after the wrap: held */
	seg(t, 0xfffffffeU, 0, "1234");
	assert_string_equal(r.bytes, "123456");
	tcpr_flush(t);
	assert_int_equal(r.users, 0);
	tcpr_free(t);
}

static void
tcpr_reset_ends_the_stream_and_a_bare_ack_opens_none(void **state)
{
	struct rec r = { .n = 0 };
	struct tcpr *t;
	struct tcpr_stats st;
	struct tcpr_key other = { .sport = 1, .dport = 2 };

	(void)state;
	assert_int_equal(tcpr_new(on_data, on_end, &r, &t), CGN_OK);
	assert_int_equal(tcpr_segment(t, &other, 7, 0x10, NULL, 0), CGN_OK);
	tcpr_stats_get(t, &st);
	assert_int_equal(st.streams, 0);
	seg(t, 1, 0, "x");
	seg(t, 2, TCPR_RST, "");
	assert_int_equal(r.ends, 1);
	assert_int_equal(r.last_end, TCPR_END_CLOSE);
	tcpr_free(t);
}

/* ---- pkt.c's TCP ------------------------------------------------------ */

/* IPv4 + TCP (20-byte header + 4 bytes of options) + data. */
static size_t
tcp4(uint8_t *f, const char *data, uint8_t flags)
{
	size_t dl = strlen(data), n = 20 + 24 + dl;

	memset(f, 0, n);
	f[0] = 0x45;
	f[2] = (uint8_t)(n >> 8);
	f[3] = (uint8_t)n;
	f[8] = 64;
	f[9] = 6;
	f[12] = 192;
	f[13] = 0;
	f[14] = 2;
	f[15] = 1;
	f[16] = 192;
	f[17] = 0;
	f[18] = 2;
	f[19] = 2;
	f[20] = 0x9c;		/* 40000 -> 601 */
	f[21] = 0x40;
	f[22] = 0x02;
	f[23] = 0x59;
	f[24] = 0xde;		/* seq */
	f[25] = 0xad;
	f[26] = 0xbe;
	f[27] = 0xef;
	f[32] = 6 << 4;		/* 24-byte header */
	f[33] = flags;
	f[40] = 2;		/* MSS option */
	f[41] = 4;
	memcpy(f + 44, data, dl);
	return n;
}

static void
pkt_tcp_segment_has_seq_flags_and_data(void **state)
{
	uint8_t f[128];
	struct pkt k;
	size_t n = tcp4(f, "<14>hi\n", 0x18);

	(void)state;
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_OK);
	assert_int_equal(k.proto, 6);
	assert_int_equal(k.sport, 40000);
	assert_int_equal(k.dport, 601);
	assert_int_equal(k.seq, 0xdeadbeef);
	assert_int_equal(k.tcpflags, 0x18);
	assert_int_equal(k.tcplen, 7);
	assert_memory_equal(k.tcpdata, "<14>hi\n", 7);
	assert_null(k.payload);		/* payload stays UDP's */
	/* cut by the snap length: the data is not all there */
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n - 3, &k), CGN_ETRUNC);
	f[32] = 4 << 4;		/* a header shorter than 20 bytes */
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_EMALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcpr_in_order_segments_come_out_as_sent),
		cmocka_unit_test(
		    tcpr_out_of_order_and_retransmitted_bytes_are_put_right),
		cmocka_unit_test(
		    tcpr_a_hole_that_never_fills_is_skipped_at_the_end),
		cmocka_unit_test(
		    tcpr_a_hole_is_skipped_once_too_much_waits_behind_it),
		cmocka_unit_test(tcpr_sequence_numbers_wrap),
		cmocka_unit_test(
		    tcpr_reset_ends_the_stream_and_a_bare_ack_opens_none),
		cmocka_unit_test(pkt_tcp_segment_has_seq_flags_and_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
