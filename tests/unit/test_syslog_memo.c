/*
 * test_syslog_memo.c - unit tests for the syslog parser's memo of the
 * last RFC 3164 header (struct syslog_memo in parser/pstate.h): a line
 * parsed with a state that holds an earlier line's header gives exactly
 * the events and return code it gives with no state; which headers are
 * kept, and when a kept one is read again (another receive time, another
 * zone, a blank after it, a line no longer than it); every real syslog
 * fixture in sequence through one state.
 *
 * Expected times are written out as literals (computed independently of
 * the code under test). Fixtures are read from ../shared/fixtures/real at
 * run time; that test skips when the folder is absent.
 * Not here: what the header fields decode to (test_syslog.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "fixtures.h"
#include "parser.h"
#include "pstate.h"
#include "ptest.h"
#include "tz.h"

#define HDR "<14>Nov 28 10:00:00 cgn1 "	/* 25 bytes */
#define TAG "{sset1}[jservices-nat]: "
#define ALLOC_EPOCH HDR TAG "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.116.142" \
    " -> 100.128.0.142:1024-1535 0x6b0aa620"
#define ALLOC_NO_EPOCH HDR TAG "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.1.2" \
    " -> 100.128.0.2:1024-1535"

#define T_2026_11_28_10 1795860000000LL	/* 2026-11-28T10:00:00Z */
#define T_2026_11_28_09 1795856400000LL	/* 2026-11-28T09:00:00Z */
#define T_2026_12_31_23 1798758000000LL	/* 2026-12-31T23:00:00Z */
#define T_2026_01_01_01S 1767225601000LL	/* 2026-01-01T00:00:01Z */
#define T_2027_01_01_01S 1798761601000LL	/* 2027-01-01T00:00:01Z */

/* One line of len bytes through the syslog parser with state st (NULL:
 * none), received at rx_ms, zone tz. */
static int
parse_st(struct cgn_pstate *st, const char *p, size_t len, int64_t rx_ms,
    const struct cgn_tz *tz, struct sink *sk)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.tz = tz;
	src.device = "cgn-a";
	memset(sk, 0, sizeof(*sk));
	return syslog_parser.parse(st, &src, (const uint8_t *)p, len,
	    sink_emit, sk);
}

/* The line parsed with st (whatever it holds) gives what it gives with no
 * state: same return code, same events. *with gets st's result. */
static void
assert_as_stateless(struct cgn_pstate *st, const char *p, size_t len,
    int64_t rx_ms, const struct cgn_tz *tz, struct sink *with)
{
	struct sink alone;
	int i, rc;

	rc = parse_st(st, p, len, rx_ms, tz, with);
	assert_int_equal(rc, parse_st(NULL, p, len, rx_ms, tz, &alone));
	assert_int_equal(with->n, alone.n);
	for (i = 0; i < with->n && i < SINK_MAX; i++)
		assert_event_equal(&with->ev[i], &alone.ev[i]);
}

/* A new state holding HDR, kept from ALLOC_EPOCH. */
static struct cgn_pstate *
primed(void)
{
	struct cgn_pstate *st;
	struct sink sk;

	assert_int_equal(pstate_new(&st), CGN_OK);
	assert_as_stateless(st, ALLOC_EPOCH, strlen(ALLOC_EPOCH),
	    RX_2026_07_01, NULL, &sk);
	assert_int_equal(st->syslog.hlen, 25);
	assert_memory_equal(st->syslog.hdr, HDR, 25);
	return st;
}

static void
memo_same_header_gives_the_same_events(void **state)
{
	struct cgn_pstate *st = primed();
	struct sink sk;

	(void)state;
	/* the body's epoch, then the header's time, taken from the memo */
	assert_as_stateless(st, ALLOC_EPOCH, strlen(ALLOC_EPOCH),
	    RX_2026_07_01, NULL, &sk);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].ts_ms, 0x6b0aa620LL * 1000);
	assert_as_stateless(st, ALLOC_NO_EPOCH, strlen(ALLOC_NO_EPOCH),
	    RX_2026_07_01, NULL, &sk);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].ts_ms, T_2026_11_28_10);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_string_equal(sk.ev[0].device, "cgn-a");
	assert_int_equal(st->syslog.hlen, 25);
	pstate_free(st);
}

static void
memo_other_receive_time_reads_the_header_again(void **state)
{
	static const char line[] = "<14>Jan  1 00:00:01 cgn1 " TAG
	    "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.1.2 ->"
	    " 100.128.0.2:1024-1535";
	struct cgn_pstate *st;
	struct sink sk;

	(void)state;
	assert_int_equal(pstate_new(&st), CGN_OK);
	assert_as_stateless(st, line, strlen(line), RX_2026_07_01, NULL, &sk);
	assert_int_equal(sk.ev[0].ts_ms, T_2026_01_01_01S);
	/* on New Year's Eve the nearest 1 January is next year's */
	assert_as_stateless(st, line, strlen(line), T_2026_12_31_23, NULL,
	    &sk);
	assert_int_equal(sk.ev[0].ts_ms, T_2027_01_01_01S);
	pstate_free(st);
}

static void
memo_other_zone_reads_the_header_again(void **state)
{
	struct cgn_pstate *st;
	struct cgn_tz *tz;
	struct sink sk;

	(void)state;
	assert_int_equal(pstate_new(&st), CGN_OK);
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_as_stateless(st, ALLOC_NO_EPOCH, strlen(ALLOC_NO_EPOCH),
	    RX_2026_07_01, NULL, &sk);
	assert_int_equal(sk.ev[0].ts_ms, T_2026_11_28_10);
	assert_as_stateless(st, ALLOC_NO_EPOCH, strlen(ALLOC_NO_EPOCH),
	    RX_2026_07_01, tz, &sk);
	assert_int_equal(sk.ev[0].ts_ms, T_2026_11_28_09);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_LOCAL);
	tz_free(tz);
	pstate_free(st);
}

static void
memo_blank_after_the_header_reads_it_again(void **state)
{
	static const char two[] = HDR " " TAG "JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.1.2 -> 100.128.0.2:1024-1535";
	struct cgn_pstate *st = primed();
	struct sink sk;

	(void)state;
	assert_as_stateless(st, two, strlen(two), RX_2026_07_01, NULL, &sk);
	assert_int_equal(sk.n, 1);
	/* read again: the blanks belong to the header now */
	assert_int_equal(st->syslog.hlen, 26);
	pstate_free(st);
}

static void
memo_keeps_only_headers_with_a_host_and_a_body(void **state)
{
	static const char *const lines[] = {
		"<14>Nov 28 10:00:00 tag: JSERVICES_NAT_PORT_BLOCK_ALLOC:"
		    " 100.64.1.2 -> 100.128.0.2:1024-1535",
		"<14>Nov 28 10:00:00 cgn1",
		"<14>Nov 28 10:00:00 cgn1 ",
		"<14>1 2026-11-28T10:00:00Z cgn1 app - - - body",
		"Nov 28 10:00:00 cgn1",
	};
	/* what the memo holds after each: an RFC 3164 line that cannot be
	 * kept empties it, an RFC 5424 one leaves it */
	static const size_t after[] = { 0, 0, 0, 25, 0 };
	struct cgn_pstate *st;
	struct sink sk;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* a kept header first: the line must not take it */
		st = primed();
		assert_as_stateless(st, lines[i], strlen(lines[i]),
		    RX_2026_07_01, NULL, &sk);
		assert_int_equal(st->syslog.hlen, after[i]);
		pstate_free(st);
	}
}

static void
memo_every_real_fixture_in_sequence_as_stateless(void **state)
{
	struct fx_line *lines;
	struct cgn_pstate *st;
	struct sink sk;
	char **names, rel[512], *buf;
	size_t nf, f, n, i, len, kept = 0;

	(void)state;
	need_fixtures();
	nf = fx_list("syslog", &names);
	assert_true(nf != (size_t)-1 && nf > 0);
	assert_int_equal(pstate_new(&st), CGN_OK);
	for (f = 0; f < nf; f++) {
		snprintf(rel, sizeof(rel), "syslog/%s", names[f]);
		buf = fx_read(rel, &len);
		assert_non_null(buf);
		n = fx_lines(buf, len, &lines);
		assert_true(n != (size_t)-1);
		for (i = 0; i < n; i++) {
			/* twice: the second finds its own header kept */
			assert_as_stateless(st, lines[i].p, lines[i].len,
			    RX_2026_07_01, NULL, &sk);
			kept += st->syslog.hlen > 0;
			assert_as_stateless(st, lines[i].p, lines[i].len,
			    RX_2026_07_01, NULL, &sk);
		}
		free(lines);
		free(buf);
	}
	/* the fixtures have RFC 3164 lines with hosts: the memo was used */
	assert_true(kept > 0);
	fx_names_free(names, nf);
	pstate_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memo_same_header_gives_the_same_events),
		cmocka_unit_test(
		    memo_other_receive_time_reads_the_header_again),
		cmocka_unit_test(memo_other_zone_reads_the_header_again),
		cmocka_unit_test(memo_blank_after_the_header_reads_it_again),
		cmocka_unit_test(
		    memo_keeps_only_headers_with_a_host_and_a_body),
		cmocka_unit_test(
		    memo_every_real_fixture_in_sequence_as_stateless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
