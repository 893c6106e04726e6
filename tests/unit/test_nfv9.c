/*
 * test_nfv9.c - unit tests for the NetFlow v9 parser (parser/nfv9.c):
 * Cisco NEL sessions and their packet sequence numbers, IOS XR bulk port
 * allocation, ASA's old NSEL ids and identity NAT with an options
 * template, flowset framing errors.
 *
 * Messages are built byte by byte (flowmsg.h), so each test says exactly
 * what is on the wire; expected values are literals.
 * Not here: IPFIX (test_ipfix.c, test_ipfix_damage.c), the real v9
 * fixtures (test_flow_fixtures.c).
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

/* ---- NetFlow v9 --------------------------------------------------------- */

static void
nfv9_cisco_nel_create_delete_become_sessions(void **state)
{
	static const uint32_t f[] = { 323, 8, 230, 1, 4, 1, 8, 4, 225, 4, 7,
	    2, 227, 2, 12, 4, 11, 2, 234, 4, 0 };
	struct gaps g = { 0 };
	struct mb m;
	struct sink sk;
	size_t i;

	src_a.gap = gap_rec;
	src_a.gap_arg = &g;
	v9_start(&m, EXPORT_S, 7, 0x01020304);
	set_start(&m, 0);
	put_template_v9(&m, 260, f);
	set_end(&m);
	set_start(&m, 260);
	for (i = 1; i <= 2; i++) {
		put64(&m, 1795859000000ULL + i);
		put8(&m, (unsigned)i);
		put8(&m, 17);
		put_ip(&m, "100.64.3.4");
		put_ip(&m, "203.0.113.50");
		put16(&m, 40000);
		put16(&m, 1234);
		put_ip(&m, "8.8.8.8");
		put16(&m, 53);
		put32(&m, 3);
	}
	put16(&m, 0);		/* padding to 32 bits */
	set_end(&m);
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk), CGN_OK);
	assert_int_equal(sk.n, 2);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(sk.ev[1].type, CGN_EV_SESSION_DELETE);
	assert_int_equal(sk.ev[0].ts_ms, 1795859000001LL);
	assert_addr(&sk.ev[0].inside, "100.64.3.4");
	assert_int_equal(sk.ev[0].inside_port, 40000);
	assert_addr(&sk.ev[0].outside, "203.0.113.50");
	assert_int_equal(sk.ev[0].port_lo, 1234);
	assert_int_equal(sk.ev[0].port_hi, 1234);
	assert_addr(&sk.ev[0].dst, "8.8.8.8");
	assert_int_equal(sk.ev[0].dst_port, 53);
	assert_int_equal(sk.ev[0].proto, 17);
	assert_int_equal(sk.ev[0].vrf, 3);
	/* v9 counts packets: 8 follows 7; 10 means one packet lost */
	m.b[15] = 8;
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk), CGN_OK);
	assert_int_equal(g.n, 0);
	m.b[15] = 10;
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk), CGN_OK);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.lost, 1);
	src_a.gap = NULL;
}

static void
nfv9_bulk_port_allocation_without_protocol(void **state)
{
	/* IOS XR bulk allocation: a port block, no L4 protocol */
	static const uint32_t f[] = { 323, 8, 230, 1, 8, 4, 225, 4, 361, 2,
	    362, 2, 0 };
	struct mb m;
	struct sink sk;

	v9_start(&m, EXPORT_S, 1, 0);
	set_start(&m, 0);
	put_template_v9(&m, 261, f);
	set_end(&m);
	set_start(&m, 261);
	put64(&m, 1795859000000ULL);
	put8(&m, 1);
	put_ip(&m, "100.64.3.4");
	put_ip(&m, "203.0.113.50");
	put16(&m, 1024);
	put16(&m, 1279);
	put8(&m, 0);
	set_end(&m);
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].port_lo, 1024);
	assert_int_equal(sk.ev[0].port_hi, 1279);
	assert_int_equal(sk.ev[0].proto, 0);
}

static void
nfv9_asa_old_nsel_ids_and_identity_nat(void **state)
{
	static const uint32_t f[] = { 148, 4, 8, 4, 7, 2, 12, 4, 11, 2, 4, 1,
	    40001, 4, 40003, 2, 40005, 1, 323, 8, 0 };
	static const uint32_t opt_scope_and_fields[] = { 1, 4, 41, 4, 0 };
	struct mb m;
	struct sink sk;
	int i;

	v9_start(&m, EXPORT_S, 1, 0);
	set_start(&m, 1);	/* an options template first */
	put16(&m, 270);
	put16(&m, 4);		/* scope bytes */
	put16(&m, 4);		/* option bytes */
	for (i = 0; opt_scope_and_fields[i] != 0; i++)
		put16(&m, opt_scope_and_fields[i]);
	put16(&m, 0);		/* padding */
	set_end(&m);
	set_start(&m, 0);
	put_template_v9(&m, 265, f);
	set_end(&m);
	set_start(&m, 270);
	put32(&m, 1);
	put32(&m, 2);
	set_end(&m);
	set_start(&m, 265);
	for (i = 0; i < 2; i++) {
		put32(&m, 8501);
		put_ip(&m, "192.168.23.22");
		put16(&m, 17549);
		put_ip(&m, "164.164.37.11");
		put16(&m, 443);
		put8(&m, 6);
		put_ip(&m, i == 0 ? "192.168.23.22" : "203.0.113.77");
		put16(&m, i == 0 ? 17549 : 31000);
		put8(&m, 1);
		put64(&m, 1444384070179ULL);
	}
	put16(&m, 0);
	set_end(&m);
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);	/* identity NAT maps nothing */
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_addr(&sk.ev[0].outside, "203.0.113.77");
	assert_int_equal(sk.ev[0].port_lo, 31000);
	assert_addr(&sk.ev[0].inside, "192.168.23.22");
	assert_int_equal(sk.ev[0].inside_port, 17549);
	assert_int_equal(sk.ev[0].ts_ms, 1444384070179LL);
	assert_int_equal(counters(*state).ignored, 2);	/* options + id */
}

static void
nfv9_flowset_framing_errors(void **state)
{
	struct mb m;
	struct sink sk;

	v9_start(&m, EXPORT_S, 1, 0);
	set_start(&m, 300);
	put32(&m, 0);
	set_end(&m);
	m.b[23] = 40;		/* longer than the packet */
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk),
	    CGN_ETRUNC);
	m.b[23] = 3;		/* shorter than its header */
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk),
	    CGN_EMALFORMED);
	assert_int_equal(parse(&nfv9_parser, *state, &m, 19, &sk),
	    CGN_ETRUNC);
	m.b[1] = 5;
	assert_int_equal(parse(&nfv9_parser, *state, &m, m.n, &sk),
	    CGN_EMALFORMED);
	assert_int_equal(sk.n, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(nfv9_cisco_nel_create_delete_become_sessions),
		T(nfv9_bulk_port_allocation_without_protocol),
		T(nfv9_asa_old_nsel_ids_and_identity_nat),
		T(nfv9_flowset_framing_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
