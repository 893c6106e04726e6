/*
 * test_ipfix.c - unit tests for the IPFIX parser (parser/ipfix.c) and its
 * template cache (parser/tmpl.c): the RFC 8158 NAT events and the
 * natEvent dictionaries, event times, port blocks, vendor numbering
 * profiles; templates held for, withdrawn, redefined, expired, kept per
 * exporter and domain, variable-length, enterprise and reduced-size
 * fields, padding.
 *
 * Messages are built byte by byte (flowmsg.h), so each test says exactly
 * what is on the wire; expected values are literals.
 * Not here: damaged messages, sequence numbers, detection
 * (test_ipfix_damage.c), NetFlow v9 (test_nfv9.c), the real fixtures
 * (test_flow_fixtures.c), sockets (e2e), tshark agreement
 * (tests/e2e/ipfix_tshark.sh).
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
#include "flowmsg.h"
#include "parser.h"
#include "ptest.h"

/* ---- IPFIX: RFC 8158 events --------------------------------------------- */

static void
ipfix_pba_allocate_and_release_become_port_block_events(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859998123ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	put_pba(&m, 1795859999456ULL, 17, "100.64.1.3", "203.0.113.8", 1024,
	    1535);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].ts_ms, 1795859998123LL);
	assert_int_equal(sk.ev[0].rx_ms, RX_MS);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_addr(&sk.ev[0].inside, "100.64.1.2");
	assert_addr(&sk.ev[0].outside, "203.0.113.7");
	assert_int_equal(sk.ev[0].port_lo, 2048);
	assert_int_equal(sk.ev[0].port_hi, 2559);
	assert_int_equal(sk.ev[0].proto, 0);
	assert_int_equal(sk.ev[0].vrf, 7);
	assert_string_equal(sk.ev[0].device, "192.0.2.1");
	assert_int_equal(sk.ev[1].type, CGN_EV_PBA_RELEASE);
	assert_int_equal(sk.ev[1].ts_ms, 1795859999456LL);
	assert_addr(&sk.ev[1].outside, "203.0.113.8");
	assert_int_equal(sk.ev[1].port_lo, 1024);
	assert_int_equal(sk.ev[1].port_hi, 1535);
	assert_int_equal(counters(*state).records, 2);
	assert_int_equal(counters(*state).events, 2);
}

static void
ipfix_nat44_session_create_delete_carry_ports_and_proto(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 257);
	put_sess(&m, 1795859998000ULL, 4, "10.0.0.1", 57938, "100.64.0.1",
	    28475, 6);
	put_sess(&m, 1795859999000ULL, 5, "10.0.0.1", 57938, "100.64.0.1",
	    28475, 6);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(sk.ev[1].type, CGN_EV_SESSION_DELETE);
	assert_addr(&sk.ev[0].inside, "10.0.0.1");
	assert_int_equal(sk.ev[0].inside_port, 57938);
	assert_addr(&sk.ev[0].outside, "100.64.0.1");
	assert_int_equal(sk.ev[0].port_lo, 28475);
	assert_int_equal(sk.ev[0].port_hi, 28475);
	assert_int_equal(sk.ev[0].proto, 6);
	assert_int_equal(sk.ev[1].ts_ms, 1795859999000LL);
}

static void
ipfix_event_time_falls_back_to_flow_times_then_export_time(void **state)
{
	static const uint32_t f[] = { 230, 1, 8, 4, 225, 4, 7, 2, 227, 2,
	    152, 8, 153, 8, 0 };
	static const uint32_t g[] = { 230, 1, 8, 4, 225, 4, 7, 2, 227, 2, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	put_template(&m, 301, g);
	set_end(&m);
	set_start(&m, 300);
	put8(&m, 5);		/* delete: the end time is its time */
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "198.51.100.1");
	put16(&m, 1000);
	put16(&m, 2000);
	put64(&m, 1795859000000ULL);
	put64(&m, 1795859500000ULL);
	set_end(&m);
	set_start(&m, 301);
	put8(&m, 4);
	put_ip(&m, "10.1.1.2");
	put_ip(&m, "198.51.100.1");
	put16(&m, 1001);
	put16(&m, 2001);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_DELETE);
	assert_int_equal(sk.ev[0].ts_ms, 1795859500000LL);
	assert_int_equal(sk.ev[0].start_ms, 1795859000000LL);
	assert_int_equal(sk.ev[1].ts_ms, (int64_t)EXPORT_S * 1000);
	assert_int_equal(sk.ev[1].tsrc, CGN_TS_UTC);
}

static void
ipfix_port_block_from_start_and_count_with_step(void **state)
{
	static const uint32_t f[] = { 323, 8, 230, 1, 8, 4, 225, 4, 361, 2,
	    362, 2, 363, 2, 364, 2, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 300);
	/* end 0, 512 ports from 1536 step 1: nfdump's end = start+size-1 */
	put64(&m, 1795859000000ULL);
	put8(&m, 16);
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "198.51.100.1");
	put16(&m, 1536);
	put16(&m, 0);
	put16(&m, 1);
	put16(&m, 512);
	/* 4 ports from 4000 every 100th: the span 4000-4300 */
	put64(&m, 1795859000000ULL);
	put8(&m, 16);
	put_ip(&m, "10.1.1.2");
	put_ip(&m, "198.51.100.1");
	put16(&m, 4000);
	put16(&m, 0);
	put16(&m, 100);
	put16(&m, 4);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].port_lo, 1536);
	assert_int_equal(sk.ev[0].port_hi, 2047);
	assert_int_equal(sk.ev[1].port_lo, 4000);
	assert_int_equal(sk.ev[1].port_hi, 4300);
}

static void
ipfix_address_binding_covers_every_port(void **state)
{
	static const uint32_t f[] = { 323, 8, 230, 1, 8, 4, 225, 4, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1795859000000ULL);
	put8(&m, 14);
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "198.51.100.9");
	put64(&m, 1795859001000ULL);
	put8(&m, 15);
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "198.51.100.9");
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_ADDR_ALLOC);
	assert_int_equal(sk.ev[1].type, CGN_EV_ADDR_RELEASE);
	assert_int_equal(sk.ev[0].port_lo, 0);
	assert_int_equal(sk.ev[0].port_hi, 65535);
	assert_addr(&sk.ev[0].outside, "198.51.100.9");
}

static void
ipfix_juniper_numbering_is_detected_from_block_shape(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	/* 14 with a port range can only be Junos' PBA allocate; then 16 is
	 * its interim, 15 its release */
	put_pba(&m, 1795859000000ULL, 14, "10.9.9.9", "203.0.113.1", 2048,
	    2303);
	put_pba(&m, 1795859100000ULL, 16, "10.9.9.9", "203.0.113.1", 2048,
	    2303);
	put_pba(&m, 1795859200000ULL, 15, "10.9.9.9", "203.0.113.1", 2048,
	    2303);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 3);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[1].type, CGN_EV_PBA_ACTIVE);
	assert_int_equal(sk.ev[2].type, CGN_EV_PBA_RELEASE);
}

static void
ipfix_configured_profile_overrides_detection(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	src_a.natdict = CGN_ND_JUNIPER;
	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.9.9.9", "203.0.113.1", 2048,
	    2303);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ACTIVE);
	/* the same bytes under the IANA numbering: an allocation */
	src_a.natdict = CGN_ND_IANA;
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	src_a.natdict = CGN_ND_AUTO;
}

static void
ipfix_quota_and_plain_flows_are_counted_not_emitted(void **state)
{
	static const uint32_t quota[] = { 323, 8, 230, 1, 466, 4, 473, 4, 8,
	    4, 0 };
	static const uint32_t flow[] = { 8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, quota);
	put_template(&m, 301, flow);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1795859000000ULL);
	put8(&m, 13);
	put32(&m, 3);
	put32(&m, 4);
	put_ip(&m, "10.1.1.1");
	set_end(&m);
	set_start(&m, 301);
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "8.8.8.8");
	put16(&m, 5000);
	put16(&m, 53);
	put8(&m, 17);
	put_ip(&m, "10.1.1.2");
	put_ip(&m, "8.8.4.4");
	put16(&m, 5001);
	put16(&m, 53);
	put8(&m, 17);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
	assert_int_equal(counters(*state).records, 3);
	assert_int_equal(counters(*state).nat_other, 1);
	assert_int_equal(counters(*state).ignored, 2);
}

static void
ipfix_nat64_and_dslite_inside_is_ipv6(void **state)
{
	static const uint32_t f[] = { 323, 8, 230, 1, 27, 16, 8, 4, 225, 4,
	    361, 2, 362, 2, 0 };
	static const uint8_t b4[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 0, 0x42 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1795859000000ULL);
	put8(&m, 16);
	memcpy(m.b + m.n, b4, 16);
	m.n += 16;
	put_ip(&m, "192.0.0.2");
	put_ip(&m, "198.51.100.4");
	put16(&m, 3000);
	put16(&m, 3099);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_addr(&sk.ev[0].inside, "2001:db8::42");
	assert_addr(&sk.ev[0].inside_v4, "192.0.0.2");
	assert_addr(&sk.ev[0].outside, "198.51.100.4");
}

/* ---- IPFIX: templates -------------------------------------------------- */

static void
ipfix_data_before_template_is_held_and_decoded_when_it_comes(void **state)
{
	struct mb m, t;
	struct sink sk;
	size_t len, tlen;

	ipfix_start(&m, EXPORT_S - 5, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859990000ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_ENOTEMPLATE);
	assert_int_equal(sk.n, 0);		/* nothing half-emitted */
	assert_int_equal(counters(*state).no_template, 1);
	tlen = msg_templates(&t, 1);
	assert_int_equal(parse(&ipfix_parser, *state, &t, tlen, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].ts_ms, 1795859990000LL);
	assert_int_equal(sk.ev[0].port_lo, 2048);
	assert_int_equal(counters(*state).held_decoded, 1);
	assert_int_equal(counters(*state).held_lost, 0);
	/* decoded once: a second template message finds nothing held */
	assert_int_equal(parse(&ipfix_parser, *state, &t, tlen, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
}

static void
ipfix_held_data_over_the_bound_is_counted_lost(void **state)
{
	struct mb m, t;
	struct sink sk;
	size_t len;
	int i;

	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859990000ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	set_end(&m);
	len = ipfix_end(&m);
	for (i = 0; i < 70; i++)	/* 64 sets are held per stream */
		assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
		    CGN_ENOTEMPLATE);
	assert_int_equal(counters(*state).held_lost, 6);
	len = msg_templates(&t, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &t, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 64);
	assert_int_equal(counters(*state).held_decoded, 64);
}

static void
ipfix_withdrawal_forgets_one_or_all_templates(void **state)
{
	struct mb m, d;
	struct sink sk;
	size_t len, dlen;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put16(&m, 256);		/* RFC 7011 8.1: field count 0 */
	put16(&m, 0);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(counters(*state).withdrawn, 1);
	ipfix_start(&d, EXPORT_S, 0, 5);
	set_start(&d, 256);
	put_pba(&d, 1795859990000ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	set_end(&d);
	set_start(&d, 257);
	put_sess(&d, 1795859998000ULL, 4, "10.0.0.1", 1, "100.64.0.1", 2, 6);
	set_end(&d);
	dlen = ipfix_end(&d);
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk),
	    CGN_ENOTEMPLATE);
	assert_int_equal(sk.n, 1);	/* 257 still there */
	/* id 2, count 0: every template goes */
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put16(&m, 2);
	put16(&m, 0);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(counters(*state).withdrawn, 2);
	pstate_set_lifetime(*state, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk),
	    CGN_ENOTEMPLATE);
	assert_int_equal(sk.n, 0);
}

static void
ipfix_redefinition_replaces_the_template(void **state)
{
	static const uint32_t v2[] = { 323, 8, 230, 1, 225, 4, 8, 4, 361, 2,
	    362, 2, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put_template(&m, 256, v2);	/* outside before inside now */
	set_end(&m);
	set_start(&m, 256);
	put64(&m, 1795859000000ULL);
	put8(&m, 16);
	put_ip(&m, "203.0.113.9");
	put_ip(&m, "100.64.0.9");
	put16(&m, 5000);
	put16(&m, 5099);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_addr(&sk.ev[0].outside, "203.0.113.9");
	assert_addr(&sk.ev[0].inside, "100.64.0.9");
	assert_int_equal(sk.ev[0].port_hi, 5099);
}

static void
ipfix_udp_templates_expire_but_tcp_ones_do_not(void **state)
{
	struct mb m, d;
	struct sink sk;
	size_t len, dlen;

	pstate_set_lifetime(*state, 60000);
	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	src_a.stream = 1;	/* the same exporter over TCP: its own */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&d, EXPORT_S, 0, 5);
	set_start(&d, 256);
	put_pba(&d, 1795859990000ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	set_end(&d);
	dlen = ipfix_end(&d);
	src_a.rx_ms = RX_MS + 60001;
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	src_a.stream = 0;
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk),
	    CGN_ENOTEMPLATE);
	assert_int_equal(sk.n, 0);
	assert_int_equal(counters(*state).expired, 1);
	src_a.rx_ms = RX_MS;
}

static void
ipfix_templates_are_per_exporter_and_domain(void **state)
{
	struct mb m, d;
	struct sink sk;
	size_t len, dlen;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&d, EXPORT_S, 0, 6);	/* another domain */
	set_start(&d, 256);
	put_pba(&d, 1795859990000ULL, 16, "100.64.1.2", "203.0.113.7", 2048,
	    2559);
	set_end(&d);
	dlen = ipfix_end(&d);
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk),
	    CGN_ENOTEMPLATE);
	cgn_addr_v4(&src_a.exporter, EXPORTER + 1);	/* another box */
	d.b[15] = 5;
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk),
	    CGN_ENOTEMPLATE);
	cgn_addr_v4(&src_a.exporter, EXPORTER);
	assert_int_equal(parse(&ipfix_parser, *state, &d, dlen, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
}

static void
ipfix_variable_length_and_enterprise_fields(void **state)
{
	/* an unknown enterprise field, a variable-length pool name, then
	 * Nokia's variable-length subscriber string */
	static const uint32_t f[] = { 152, 8, 8, 4, 7, 2, 12, 4, 11, 2, 4, 1,
	    0x8000 | 4000, 3, 12276, 284, 65535, 0x805d, 65535, 637, 0 };
	struct mb m;
	struct sink sk;
	size_t len, i;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1513236225148ULL);
	put_ip(&m, "10.0.1.228");
	put16(&m, 5878);
	put_ip(&m, "10.0.0.34");
	put16(&m, 80);
	put8(&m, 6);
	put8(&m, 1), put8(&m, 2), put8(&m, 3);
	put8(&m, 5);
	memcpy(m.b + m.n, "poolA", 5);
	m.n += 5;
	put8(&m, 17);
	memcpy(m.b + m.n, "USER1@10.10.0.123", 17);
	m.n += 17;
	/* the same with 3-byte length prefixes (RFC 7011 7) */
	put64(&m, 1513236226000ULL);
	put_ip(&m, "10.0.1.229");
	put16(&m, 5879);
	put_ip(&m, "10.0.0.34");
	put16(&m, 80);
	put8(&m, 17);
	put8(&m, 1), put8(&m, 2), put8(&m, 3);
	put8(&m, 255);
	put16(&m, 300);
	for (i = 0; i < 300; i++)
		put8(&m, 'p');
	put8(&m, 255);
	put16(&m, 12);
	memcpy(m.b + m.n, "U2@10.9.8.7\0", 12);
	m.n += 12;
	put8(&m, 0);		/* padding */
	put8(&m, 0);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(sk.ev[0].ts_ms, 1513236225148LL);
	assert_addr(&sk.ev[0].outside, "10.0.1.228");
	assert_int_equal(sk.ev[0].port_lo, 5878);
	assert_addr(&sk.ev[0].inside, "10.10.0.123");
	assert_string_equal(sk.ev[0].subscriber, "USER1@10.10.0.123");
	assert_addr(&sk.ev[0].dst, "10.0.0.34");
	assert_int_equal(sk.ev[0].dst_port, 80);
	assert_int_equal(sk.ev[0].proto, 6);
	assert_addr(&sk.ev[1].inside, "10.9.8.7");
	assert_string_equal(sk.ev[1].subscriber, "U2@10.9.8.7");
	assert_int_equal(sk.ev[1].proto, 17);
}

static void
ipfix_reduced_size_integers_decode_by_template_length(void **state)
{
	/* natEvent in 2 bytes, VRF in 2 bytes, a port in 1 byte */
	static const uint32_t f[] = { 323, 8, 230, 2, 8, 4, 225, 4, 361, 2,
	    362, 1, 234, 2, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 1);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1795859000000ULL);
	put16(&m, 16);
	put_ip(&m, "10.1.1.1");
	put_ip(&m, "198.51.100.1");
	put16(&m, 100);
	put8(&m, 200);
	put16(&m, 42);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].port_lo, 100);
	assert_int_equal(sk.ev[0].port_hi, 200);
	assert_int_equal(sk.ev[0].vrf, 42);
}

static void
ipfix_padding_after_records_and_templates_is_ignored(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put_template(&m, 256, pba_fields);
	put16(&m, 0);		/* 3 bytes of padding */
	put8(&m, 0);
	set_end(&m);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	put32(&m, 0);		/* shorter than a record: padding */
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(counters(*state).records, 1);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(ipfix_pba_allocate_and_release_become_port_block_events),
		T(ipfix_nat44_session_create_delete_carry_ports_and_proto),
		T(ipfix_event_time_falls_back_to_flow_times_then_export_time),
		T(ipfix_port_block_from_start_and_count_with_step),
		T(ipfix_address_binding_covers_every_port),
		T(ipfix_juniper_numbering_is_detected_from_block_shape),
		T(ipfix_configured_profile_overrides_detection),
		T(ipfix_quota_and_plain_flows_are_counted_not_emitted),
		T(ipfix_nat64_and_dslite_inside_is_ipv6),
		T(ipfix_data_before_template_is_held_and_decoded_when_it_comes),
		T(ipfix_held_data_over_the_bound_is_counted_lost),
		T(ipfix_withdrawal_forgets_one_or_all_templates),
		T(ipfix_redefinition_replaces_the_template),
		T(ipfix_udp_templates_expire_but_tcp_ones_do_not),
		T(ipfix_templates_are_per_exporter_and_domain),
		T(ipfix_variable_length_and_enterprise_fields),
		T(ipfix_reduced_size_integers_decode_by_template_length),
		T(ipfix_padding_after_records_and_templates_is_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
