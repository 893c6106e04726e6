/*
 * test_syslog_juniper.c - unit tests for parser/syslog_juniper.c, the
 * Juniper bodies: SRX RT_FLOW sessions and RT_NAT port blocks (structured
 * data and text), MX JSERVICES, ASP and plain NAT port blocks, their
 * epochs and IPv6 addresses; from the real SRX fixture and from lines in
 * Juniper's documentation.
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it. Fixtures are read from
 * ../shared/fixtures/real at run time (fixtures.c); the tests that need
 * them skip when the folder is absent.
 * Not here: framing and malformed lines (test_syslog.c), other vendors
 * (test_syslog_vendors.c, test_syslog_docs.c).
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
#include "ptest.h"
#include "tz.h"

/* ---- Juniper bodies: the real SRX fixture ----------------------------- */

#define RX_SRX 1649090000000LL	/* an rx time for the bare fixture lines */

/* The five lines of juniper_srx_rt_nat_pba.log, parsed; skips if absent. */
static void
srx_fixture_parse(struct sink sk[5])
{
	struct fx_line *lines = NULL;
	struct cgn_src src;
	size_t len, n, i;
	char *buf;

	need_fixtures();
	buf = fx_read("syslog/juniper_srx_rt_nat_pba.log", &len);
	assert_non_null(buf);
	n = fx_lines(buf, len, &lines);
	assert_int_equal(n, 5);
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_SRX;
	src.device = "srx4600";
	for (i = 0; i < 5; i++) {
		memset(&sk[i], 0, sizeof(sk[i]));
		assert_int_equal(syslog_parser.parse(NULL, &src,
		    (const uint8_t *)lines[i].p, lines[i].len, sink_emit,
		    &sk[i]), CGN_OK);
		assert_int_equal(sk[i].n, 1);
		assert_string_equal(sk[i].ev[0].device, "srx4600");
		assert_int_equal(sk[i].ev[0].rx_ms, RX_SRX);
	}
	free(lines);
	free(buf);
}

static void
juniper_rt_flow_session_create_fixture_fields(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[0].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_SESSION_CREATE);
	assert_int_equal(e->proto, 6);
	assert_addr(&e->inside, "10.0.10.10");
	assert_int_equal(e->inside_port, 46776);
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 53328);
	assert_int_equal(e->port_hi, 53328);
	assert_addr(&e->dst, "1.2.84.162");
	assert_int_equal(e->dst_port, 80);
	/* no time in the line: receive time */
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
	assert_int_equal(e->start_ms, 0);
	assert_true(cgn_addr_is_zero(&e->inside_v4));
}

static void
juniper_rt_flow_session_close_fixture_fields(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[1].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_SESSION_DELETE);
	assert_int_equal(e->proto, 6);
	assert_addr(&e->inside, "10.0.10.2");
	assert_int_equal(e->inside_port, 63996);
	assert_addr(&e->outside, "1.2.84.169");
	assert_int_equal(e->port_lo, 4986);
	assert_int_equal(e->port_hi, 4986);
	assert_addr(&e->dst, "1.2.84.162");
	assert_int_equal(e->dst_port, 80);
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
	/* elapsed-time is not applied to a receive time */
	assert_int_equal(e->start_ms, 0);
}

static void
juniper_rt_nat_pba_alloc_sd_gives_block_and_epoch(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[2].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_ALLOC);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	assert_int_equal(e->proto, 0);
	/* epoch-time-64 0x624b0492 = 2022-04-04T14:45:38Z */
	assert_int_equal(e->ts_ms, 1649083538000LL);
	assert_int_equal(e->tsrc, CGN_TS_UTC);
	assert_int_equal(e->start_ms, 0);
	assert_int_equal(e->inside_port, 0);
}

static void
juniper_rt_nat_pba_interim_sd_gives_epoch_as_start(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[3].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_ACTIVE);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	/* the interim repeats the allocation's epoch: its start */
	assert_int_equal(e->start_ms, 1649083538000LL);
	assert_int_equal(e->ts_ms, RX_SRX);
	assert_int_equal(e->tsrc, CGN_TS_RX);
}

static void
juniper_rt_nat_pba_release_sd_gives_release_epoch(void **state)
{
	struct sink sk[5];
	const struct cgn_event *e = &sk[4].ev[0];

	(void)state;
	srx_fixture_parse(sk);
	assert_int_equal(e->type, CGN_EV_PBA_RELEASE);
	assert_addr(&e->inside, "10.0.10.10");
	assert_addr(&e->outside, "1.2.84.172");
	assert_int_equal(e->port_lo, 48640);
	assert_int_equal(e->port_hi, 48895);
	/* 0x624b0cc7 = 2022-04-04T15:20:39Z */
	assert_int_equal(e->ts_ms, 1649085639000LL);
	assert_int_equal(e->tsrc, CGN_TS_UTC);
	assert_int_equal(e->start_ms, 0);
}

static void
juniper_rt_flow_close_start_is_header_time_minus_elapsed(void **state)
{
	const char *line = "<14>1 2022-04-04T15:00:00Z srx1 RT_FLOW -"
	    " RT_FLOW_SESSION_CLOSE [junos@2636.1.1.1.2.129"
	    " reason=\"TCP FIN\" source-address=\"10.0.10.2\""
	    " source-port=\"63996\" destination-address=\"1.2.84.162\""
	    " destination-port=\"80\" nat-source-address=\"1.2.84.169\""
	    " nat-source-port=\"4986\" protocol-id=\"6\""
	    " elapsed-time=\"249\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_SRX, NULL, NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_DELETE);
	assert_int_equal(sk.ev[0].ts_ms, 1649084400000LL);
	assert_int_equal(sk.ev[0].start_ms, 1649084400000LL - 249000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_string_equal(sk.ev[0].device, "srx1");
}

static void
juniper_rt_flow_without_source_nat_emits_nothing(void **state)
{
	const char *line = "RT_FLOW - RT_FLOW_SESSION_CREATE"
	    " [source-address=\"10.0.0.1\" source-port=\"1000\""
	    " nat-source-address=\"10.0.0.1\" nat-source-port=\"1000\""
	    " protocol-id=\"17\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_SRX, NULL, NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
}

/* ---- Juniper bodies: documented lines (not fixtures) ------------------ */

static void
juniper_jservices_port_block_alloc_with_epoch(void **state)
{
	const char *line = "Jun 12 10:04:54 2024-06-12 10:04:54:"
	    " CGN1{SSET-CGN}[jservices-nat]: JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, "cgn1", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "100.64.12.34");
	assert_addr(&sk.ev[0].outside, "198.51.100.7");
	assert_int_equal(sk.ev[0].port_lo, 20480);
	assert_int_equal(sk.ev[0].port_hi, 20607);
	assert_int_equal(sk.ev[0].proto, 0);
	assert_int_equal(sk.ev[0].ts_ms, 1718186694000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].start_ms, 0);
}

static void
juniper_jservices_port_block_release_with_epoch(void **state)
{
	const char *line = "JSERVICES_NAT_PORT_BLOCK_RELEASE: 100.64.12.34"
	    " -> 198.51.100.7:20480-20607 0x666984d9";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718200000000LL, "cgn1", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_RELEASE);
	assert_addr(&sk.ev[0].inside, "100.64.12.34");
	assert_addr(&sk.ev[0].outside, "198.51.100.7");
	assert_int_equal(sk.ev[0].port_lo, 20480);
	assert_int_equal(sk.ev[0].port_hi, 20607);
	assert_int_equal(sk.ev[0].ts_ms, 1718191321000LL);
}

static void
juniper_jservices_port_block_active_epoch_is_event_time(void **state)
{
	const char *line = "<14>Jun 12 11:00:00 cgn1 :"
	    " JSERVICES_NAT_PORT_BLOCK_ACTIVE: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ACTIVE);
	/* MS-MPC's ACTIVE epoch is when it was sent (only RT_NAT INTERIM
	 * repeats the allocation's): 0x666972c6 = 2024-06-12T10:04:54Z */
	assert_int_equal(sk.ev[0].ts_ms, 1718186694000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].start_ms, 0);
}

static void
juniper_asp_port_block_with_ipv6_inside(void **state)
{
	const char *line = "Oct 30 21:46:04  graphite (FPC Slot 2, PIC Slot"
	    " 0) 2011-10-31 04:46:04 [FWNAT]:ASP_NAT_PORT_BLOCK_ALLOC:"
	    " 3002:0:0:0:0:0:0:1 -> 33.33.0.3:1050-1099";
	struct sink sk;

	(void)state;
	/* received 2011-10-31T05:00:00Z */
	assert_int_equal(parse_line(line, 1320037200000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "3002::1");
	assert_addr(&sk.ev[0].outside, "33.33.0.3");
	assert_int_equal(sk.ev[0].port_lo, 1050);
	assert_int_equal(sk.ev[0].port_hi, 1099);
	assert_string_equal(sk.ev[0].device, "graphite");
	/* no epoch: the body's UTC time 2011-10-31 04:46:04, not the
	 * header's local 21:46:04 */
	assert_int_equal(sk.ev[0].ts_ms, 1320036364000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
}

static void
juniper_plain_nat_port_block_active_ipv6(void **state)
{
	const char *line = "NAT_PORT_BLOCK_ACTIVE: 3002:0:0:0:0:0:0:1 ->"
	    " 33.33.0.3:1050-1099";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1320037200000LL, "g", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ACTIVE);
	assert_addr(&sk.ev[0].inside, "3002::1");
	assert_int_equal(sk.ev[0].start_ms, 0);
	assert_int_equal(sk.ev[0].ts_ms, 1320037200000LL);
}

static void
juniper_port_block_ipv6_outside_splits_at_last_colon(void **state)
{
	const char *line = "JSERVICES_NAT_PORT_BLOCK_ALLOC: 10.1.1.1 ->"
	    " 2001:db8::7:1024-1151 0x666972c6";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1718190000000LL, "g", NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_addr(&sk.ev[0].outside, "2001:db8::7");
	assert_int_equal(sk.ev[0].port_lo, 1024);
	assert_int_equal(sk.ev[0].port_hi, 1151);
}

static void
juniper_rt_nat_text_pba_alloc_from_docs(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 SITE-B-BNG-01 RT_NAT:"
	    " RT_SRC_NAT_PBA_ALLOC: Subscriber 100.64.60.74 used/maximum"
	    " [10/15] blocks, allocates port block [24064-24191] from"
	    " 203.0.113.100 in source pool EXAMPLE_POOL lsys_id: 0 epoch"
	    " 0x6a44007a";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, 1782841467000LL, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "100.64.60.74");
	assert_addr(&sk.ev[0].outside, "203.0.113.100");
	assert_int_equal(sk.ev[0].port_lo, 24064);
	assert_int_equal(sk.ev[0].port_hi, 24191);
	/* the epoch, not the header's local 22:44:25 */
	assert_int_equal(sk.ev[0].ts_ms, 1782841466000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_string_equal(sk.ev[0].device, "SITE-B-BNG-01");
}

static void
juniper_rt_nat_text_pba_release_without_epoch_uses_header(void **state)
{
	const char *line = "<14>Jun 30 23:44:25 SITE-B-BNG-01 RT_NAT:"
	    " RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.60.74 used/maximum"
	    " [5/15] blocks, releases port block [24064-24191] from"
	    " 203.0.113.100 in source pool EXAMPLE_POOL";
	struct sink sk;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("<+05>-5", &tz), CGN_OK);
	assert_int_equal(parse_line(line, 1782845067000LL, NULL, tz, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_RELEASE);
	assert_int_equal(sk.ev[0].port_lo, 24064);
	/* 23:44:25 at +05:00 is 18:44:25Z */
	assert_int_equal(sk.ev[0].ts_ms, 1782845065000LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_LOCAL);
	tz_free(tz);
}

static void
juniper_epoch_up_to_year_9999_is_taken_beyond_is_malformed(void **state)
{
	static const char *const bad[] = {
		"JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0x7fffffffffffffff",
		"JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0xffffffffffffffff",
		"JSERVICES_NAT_PORT_BLOCK_ACTIVE: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0x3afff44180",
		"RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48640\""
		    " block-port-high=\"48895\""
		    " epoch-time-64=\"2000000000000000\"]",
		"RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.60.74 releases"
		    " port block [24064-24191] from 203.0.113.100 epoch"
		    " 0x8000000000000000",
	};
	struct sink sk;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = parse_line(bad[i], RX_2026_07_01, "d", NULL, &sk);
		if (rc != CGN_EMALFORMED)
			fail_msg("\"%s\": rc %d", bad[i], rc);
		assert_int_equal(sk.n, 0);
	}
	/* 9999-12-31T23:59:59Z is the last second there is */
	assert_int_equal(parse_line("JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607 0x3afff4417f",
	    RX_2026_07_01, "d", NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].ts_ms, 253402300799000LL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(juniper_rt_flow_session_create_fixture_fields),
		cmocka_unit_test(juniper_rt_flow_session_close_fixture_fields),
		cmocka_unit_test(
		    juniper_rt_nat_pba_alloc_sd_gives_block_and_epoch),
		cmocka_unit_test(
		    juniper_rt_nat_pba_interim_sd_gives_epoch_as_start),
		cmocka_unit_test(
		    juniper_rt_nat_pba_release_sd_gives_release_epoch),
		cmocka_unit_test(
		    juniper_rt_flow_close_start_is_header_time_minus_elapsed),
		cmocka_unit_test(
		    juniper_rt_flow_without_source_nat_emits_nothing),
		cmocka_unit_test(juniper_jservices_port_block_alloc_with_epoch),
		cmocka_unit_test(
		    juniper_jservices_port_block_release_with_epoch),
		cmocka_unit_test(
		    juniper_jservices_port_block_active_epoch_is_event_time),
		cmocka_unit_test(juniper_asp_port_block_with_ipv6_inside),
		cmocka_unit_test(juniper_plain_nat_port_block_active_ipv6),
		cmocka_unit_test(
		    juniper_port_block_ipv6_outside_splits_at_last_colon),
		cmocka_unit_test(juniper_rt_nat_text_pba_alloc_from_docs),
		cmocka_unit_test(
		    juniper_rt_nat_text_pba_release_without_epoch_uses_header),
		cmocka_unit_test(
		    juniper_epoch_up_to_year_9999_is_taken_beyond_is_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
