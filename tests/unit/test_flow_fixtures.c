/*
 * test_flow_fixtures.c - the IPFIX and NetFlow v9 parsers over the real
 * captures in ../shared/fixtures/real/netflow: Nokia LSN sessions, ASA
 * NSEL identity NAT, and plain flows (FortiGate, PAN-OS, softflowd,
 * MikroTik, YAF) that must give no event; the expected values are those
 * of ../shared/fixtures/real/PROVENANCE.md.
 *
 * Fixtures are read at run time (fixtures.c); the tests skip when the
 * folder is absent.
 * Not here: messages built by hand (test_ipfix.c, test_nfv9.c), the pcap
 * fixtures' frames (test_pkt.c).
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
#include "flowmsg.h"
#include "parser.h"
#include "ptest.h"

/* ---- real fixtures ------------------------------------------------------ */

/* Parse the fixture files in order through one state. */
static int
parse_fixtures(const struct cgn_parser *p, void *st, const char *const *f,
    struct sink *sk)
{
	char path[256];
	uint8_t *buf;
	size_t len;
	int rc = CGN_OK, i;

	memset(sk, 0, sizeof(*sk));
	for (i = 0; f[i] != NULL; i++) {
		snprintf(path, sizeof(path), "netflow/%s", f[i]);
		buf = (uint8_t *)fx_read(path, &len);
		assert_non_null(buf);
		rc = p->parse(st, &src_a, buf, len, sink_emit, sk);
		free(buf);
		if (rc != CGN_OK)
			break;
	}
	return rc;
}

static void
fixture_nokia_lsn_create_from_flow_start(void **state)
{
	static const char *const f[] = { "ipfix_test_nokia_bras_tpl.dat",
	    "ipfix_test_nokia_bras_data256.dat", NULL };
	struct sink sk;

	need_fixtures();
	assert_int_equal(parse_fixtures(&ipfix_parser, *state, f, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(sk.ev[0].ts_ms, 1513236225148LL);
	assert_addr(&sk.ev[0].outside, "10.0.1.228");
	assert_int_equal(sk.ev[0].port_lo, 5878);
	assert_int_equal(sk.ev[0].port_hi, 5878);
	assert_addr(&sk.ev[0].inside, "10.10.0.123");
	assert_int_equal(sk.ev[0].inside_port, 0);
	assert_addr(&sk.ev[0].dst, "10.0.0.34");
	assert_int_equal(sk.ev[0].dst_port, 80);
	assert_int_equal(sk.ev[0].proto, 6);
	assert_string_equal(sk.ev[0].subscriber, "USER1@10.10.0.123");
	assert_int_equal(counters(*state).templates, 2);
}

static void
fixture_asa_nsel_identity_nat_gives_no_mapping(void **state)
{
	static const char *const f[] = { "netflow9_test_cisco_asa_1_tpl.dat",
	    "netflow9_test_cisco_asa_1_data.dat", NULL };
	struct sink sk;

	need_fixtures();
	assert_int_equal(parse_fixtures(&nfv9_parser, *state, f, &sk), CGN_OK);
	assert_int_equal(sk.n, 0);
	assert_int_equal(counters(*state).templates, 13);
	assert_int_equal(counters(*state).records, 14);
	assert_int_equal(counters(*state).ignored, 14);
}

/* name, parser, files, templates, records, events */
static const struct {
	const char *what;
	int v9;
	const char *files[4];
	uint64_t templates, records;
} plain[] = {
	{ "fortigate", 1, { "netflow9_test_fortigate_fortios_542_appid_"
	    "tpl258-269.dat", "netflow9_test_fortigate_fortios_542_appid_"
	    "data258_262.dat", NULL }, 14, 17 },
	{ "paloalto", 1, { "netflow9_test_paloalto_panos_tpl.dat",
	    "netflow9_test_paloalto_panos_data.dat", NULL }, 8, 8 },
	{ "softflowd", 1, { "netflow9_test_softflowd_tpl_data.dat", NULL },
	    2, 7 },
	{ "mikrotik", 0, { "ipfix_test_mikrotik_tpl.dat",
	    "ipfix_test_mikrotik_data258.dat",
	    "ipfix_test_mikrotik_data259.dat", NULL }, 2, 46 },
	/* three messages in one datagram: 1 options + 6 flows, 1 flow, 5
	 * flows (tshark reads only the first message) */
	{ "yaf", 0, { "ipfix.dat", NULL }, 3, 13 },
};

static void
fixture_plain_and_nat_column_flows_give_no_events(void **state)
{
	struct cgn_pstate *st;
	struct sink sk;
	struct cgn_pcounters c;
	size_t i;

	(void)state;
	need_fixtures();
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		assert_int_equal(pstate_new(&st), CGN_OK);
		print_message("# %s\n", plain[i].what);
		assert_int_equal(parse_fixtures(plain[i].v9 ? &nfv9_parser :
		    &ipfix_parser, st, plain[i].files, &sk), CGN_OK);
		pstate_counters(st, &c);
		assert_int_equal(sk.n, 0);
		assert_int_equal(c.templates, plain[i].templates);
		assert_int_equal(c.records, plain[i].records);
		assert_int_equal(c.ignored, plain[i].records);
		assert_int_equal(c.no_template, 0);
		pstate_free(st);
	}
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(fixture_nokia_lsn_create_from_flow_start),
		T(fixture_asa_nsel_identity_nat_gives_no_mapping),
		T(fixture_plain_and_nat_column_flows_give_no_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
