/*
 * test_addr.c - unit tests for parser/addr.c's one-pass reading of dotted
 * IPv4 (cgn_addr_v4_prefix, and cgn_addr_parse through it) and for the
 * Juniper port block line, whose addresses it reads in place: it must take
 * and refuse exactly what inet_pton(AF_INET) does with the text up to the
 * first byte that is neither a digit nor a dot, and a line the fast path
 * does not take must come out as the general reading makes it.
 *
 * Expected values are written out as literals or come from inet_pton,
 * never from the code under test.
 * Not here: IPv6 and formatting (test_parser.c), the other Juniper forms
 * (test_syslog_juniper.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "addr.h"
#include "cgn.h"
#include "ptest.h"

/* ---- cgn_addr_v4_prefix ------------------------------------------------ */

static void
v4_prefix_reads_up_to_the_first_other_byte(void **state)
{
	struct cgn_addr a;
	uint32_t v4;

	(void)state;
	assert_int_equal(cgn_addr_v4_prefix("100.64.116.142 -> x", 19, &a),
	    14);
	assert_int_equal(cgn_addr_is_v4(&a, &v4), 1);
	assert_int_equal(v4, 0x644074 << 8 | 142);
	assert_int_equal(cgn_addr_v4_prefix("100.128.0.142:1024-1535", 23,
	    &a), 13);
	assert_addr(&a, "100.128.0.142");
	assert_int_equal(cgn_addr_v4_prefix("0.0.0.0", 7, &a), 7);
	assert_addr(&a, "0.0.0.0");
	assert_int_equal(cgn_addr_v4_prefix("255.255.255.255\"", 16, &a), 15);
	assert_addr(&a, "255.255.255.255");
	/* the length given ends it, not a NUL */
	assert_int_equal(cgn_addr_v4_prefix("192.0.2.19", 9, &a), 9);
	assert_addr(&a, "192.0.2.1");
}

/* Each of the n texts is refused (whole: by cgn_addr_parse, else by
 * cgn_addr_v4_prefix), and the address handed in is as it was. */
static void
assert_refused_untouched(const char *const *bad, size_t n, int whole)
{
	struct cgn_addr a, was;
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&a, 0xee, sizeof(a));
		was = a;
		if (whole)
			assert_int_equal(cgn_addr_parse(bad[i],
			    strlen(bad[i]), &a), CGN_EMALFORMED);
		else
			assert_int_equal(cgn_addr_v4_prefix(bad[i],
			    strlen(bad[i]), &a), 0);
		assert_memory_equal(&a, &was, sizeof(a));
	}
}

static void
v4_prefix_refuses_a_run_that_is_no_address(void **state)
{
	static const char *const bad[] = { "", " 1.2.3.4", "1.2.3", "1.2.3.",
	    "1.2.3.4.5", "1.2.3.4.", "01.2.3.4", "1.2.3.04", "256.1.1.1",
	    "1..2.3", ".1.2.3.4", "1234.1.1.1", "1.2.3.0000", "2001:db8::1",
	    "::ffff:1.2.3.4", "1.2.3.x4" };

	(void)state;
	assert_refused_untouched(bad, sizeof(bad) / sizeof(bad[0]), 0);
}

/* Random text of digits, dots and bytes that end an address: the prefix
 * is taken exactly when inet_pton takes the digits and dots before the
 * first other byte, with the same value. */
static void
v4_prefix_agrees_with_inet_pton_on_random_text(void **state)
{
	static const char alpha[] = "0123456789012.....  :-x\"";
	struct cgn_addr a;
	struct in_addr p;
	char buf[32], tok[32];
	uint32_t v4;
	size_t i, k, d, len, tl, n, parts, agreed = 0;
	int want;

	(void)state;
	prng_state = 4;
	for (i = 0; i < 300000; i++) {
		if (i % 2 == 0) {	/* any of the bytes */
			len = prng() % 20;
			for (k = 0; k < len; k++)
				buf[k] = alpha[prng() % (sizeof(alpha) - 1)];
		} else {	/* 3-5 parts of 1-3 digits, then any byte */
			parts = 3 + prng() % 3;
			for (k = 0, len = 0; k < parts; k++) {
				if (k > 0)
					buf[len++] = '.';
				for (d = 1 + prng() % 3; d > 0; d--)
					buf[len++] = (char)('0' + prng() %
					    (prng() % 4 == 0 ? 10 : 3));
			}
			buf[len++] = alpha[prng() % (sizeof(alpha) - 1)];
		}
		buf[len] = '\0';
		for (tl = 0; tl < len && ((buf[tl] >= '0' && buf[tl] <= '9') ||
		    buf[tl] == '.'); tl++)
			tok[tl] = buf[tl];
		tok[tl] = '\0';
		want = inet_pton(AF_INET, tok, &p) == 1;
		memset(&a, 0xee, sizeof(a));
		n = cgn_addr_v4_prefix(buf, len, &a);
		assert_int_equal(n, want ? tl : 0);
		if (want) {
			assert_int_equal(cgn_addr_is_v4(&a, &v4), 1);
			assert_int_equal(v4, ntohl(p.s_addr));
			agreed++;
		}
	}
	assert_true(agreed > 1000);	/* addresses were drawn too */
}

/* ---- cgn_addr_parse ----------------------------------------------------- */

static void
addr_parse_failure_leaves_the_address_as_it_was(void **state)
{
	static const char *const bad[] = { "1.2.3.4x", "1.2.3.4:80",
	    "1.2.3.4 ", "1.2.3.4.5", "01.2.3.4" };

	(void)state;
	assert_refused_untouched(bad, sizeof(bad) / sizeof(bad[0]), 1);
}

/* ---- the Juniper port block line ---------------------------------------- */

#define JHDR "<14>Nov 28 10:00:00 cgn1 {sset1}[jservices-nat]: " \
	"JSERVICES_NAT_PORT_BLOCK_ALLOC: "
#define RX_NOV_28 1795860000000LL	/* 2026-11-28T10:00:00Z */

/* line parses to one port block of outside, lo-hi */
static void
assert_block(const char *line, const char *outside, int lo, int hi,
    struct sink *sk)
{
	assert_int_equal(parse_line(line, RX_NOV_28, "cgn1", NULL, sk),
	    CGN_OK);
	assert_int_equal(sk->n, 1);
	assert_addr(&sk->ev[0].outside, outside);
	assert_int_equal(sk->ev[0].port_lo, lo);
	assert_int_equal(sk->ev[0].port_hi, hi);
}

static void
juniper_port_block_dotted_addresses_read_in_place(void **state)
{
	struct sink sk;

	(void)state;
	assert_block(JHDR "100.64.116.142 -> 100.128.0.142:1024-1535"
	    " 0x6b0aa620", "100.128.0.142", 1024, 1535, &sk);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_addr(&sk.ev[0].inside, "100.64.116.142");
	assert_int_equal(sk.ev[0].ts_ms, 0x6b0aa620LL * 1000);
	/* no epoch: the line ends after the range */
	assert_block(JHDR "100.64.0.1 -> 192.0.2.7:2048-2559", "192.0.2.7",
	    2048, 2559, &sk);
	assert_addr(&sk.ev[0].inside, "100.64.0.1");
}

/* What the one-pass reading does not take goes the general way: IPv6
 * addresses are read, malformed ones refused as before. */
static void
juniper_port_block_other_addresses_read_the_general_way(void **state)
{
	static const char *const bad[] = {
	    JHDR "100.64.0.1x -> 192.0.2.7:2048-2559 0x6b0aa620",
	    JHDR "100.64.0.1.5 -> 192.0.2.7:2048-2559 0x6b0aa620",
	    JHDR "100.64.0.1 -> 192.0.2.7:2048-2559:9 0x6b0aa620",
	    JHDR "100.64.0.1 -> 192.0.2.7:2048 0x6b0aa620",
	    JHDR "100.64.0.1 -> 192.0.2.07:2048-2559 0x6b0aa620",
	    JHDR "100.64.0.1 -> 192.0.2.7:2559-2048 0x6b0aa620",
	    JHDR "100.64.0.1 -> 192.0.2.7: 0x6b0aa620",
	    JHDR "100.64.0.1",
	};
	struct sink sk;
	size_t i;

	(void)state;
	assert_block(JHDR "2001:db8::9 -> 2001:db8:1::7:4096-4607 0x6b0aa620",
	    "2001:db8:1::7", 4096, 4607, &sk);
	assert_addr(&sk.ev[0].inside, "2001:db8::9");
	assert_block(JHDR "100.64.0.1 -> ::ffff:192.0.2.7:4096-4607"
	    " 0x6b0aa620", "192.0.2.7", 4096, 4607, &sk);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_line(bad[i], RX_NOV_28, "cgn1", NULL,
		    &sk), CGN_EMALFORMED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(v4_prefix_reads_up_to_the_first_other_byte),
		cmocka_unit_test(v4_prefix_refuses_a_run_that_is_no_address),
		cmocka_unit_test(
		    v4_prefix_agrees_with_inet_pton_on_random_text),
		cmocka_unit_test(
		    addr_parse_failure_leaves_the_address_as_it_was),
		cmocka_unit_test(
		    juniper_port_block_dotted_addresses_read_in_place),
		cmocka_unit_test(
		    juniper_port_block_other_addresses_read_the_general_way),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
