/*
 * test_parser.c - unit tests for what every parser shares: addresses
 * (addr.c), the names of return codes and event types, the format table
 * and the per-listener parser state (parser.c).
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it.
 * Not here: time (test_timeconv.c, test_tz.c), syslog (test_syslog.c and
 * the vendor tests), IPFIX and v9 (test_ipfix.c, test_nfv9.c), the store
 * (test_store.c), sockets (test_collector.c).
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "parser.h"
#include "ptest.h"

/* ---- addresses -------------------------------------------------------- */

static void
addr_ipv4_is_stored_mapped_and_formats_dotted(void **state)
{
	static const uint8_t want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	    0xff, 192, 0, 2, 1 };
	struct cgn_addr a;
	uint32_t v4 = 0;

	(void)state;
	assert_int_equal(cgn_addr_parse("192.0.2.1", 9, &a), CGN_OK);
	assert_memory_equal(a.b, want, 16);
	assert_int_equal(cgn_addr_is_v4(&a, &v4), 1);
	assert_int_equal(v4, 0xc0000201u);
	assert_int_equal(cgn_addr_is_zero(&a), 0);
	assert_addr(&a, "192.0.2.1");
}

static void
addr_v4_helper_matches_parsed_text(void **state)
{
	struct cgn_addr a, b;

	(void)state;
	cgn_addr_v4(&a, 0x64400c22u);
	assert_int_equal(cgn_addr_parse("100.64.12.34", 12, &b), CGN_OK);
	assert_int_equal(cgn_addr_cmp(&a, &b), 0);
	assert_addr(&a, "100.64.12.34");
}

static uint32_t
xs(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Dotted IPv4 is read without inet_pton (addr.c): it must take and refuse
 * exactly what inet_pton(AF_INET) does, value for value. */
static void
addr_dotted_agrees_with_inet_pton(void **state)
{
	static const char *const cases[] = { "0.0.0.0", "255.255.255.255",
	    "256.1.1.1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1..2.3",
	    "01.2.3.4", "1.2.3.04", "1.2.3.0", "1.2.3.4.5", "1234.1.1.1",
	    "1.2.3.255", "1.2.3.256", "100.64.0.1", "9", "...", "0.0.0.00" };
	static const char alpha[] = "0123456789.....";
	struct cgn_addr a;
	struct in_addr p;
	char buf[24];
	uint32_t x = 2463534242u, v4;
	size_t i, k, d, len, parts, agreed = 0;
	int want, got;

	(void)state;
	for (i = 0; i < 200000 + sizeof(cases) / sizeof(cases[0]); i++) {
		if (i < sizeof(cases) / sizeof(cases[0])) {
			snprintf(buf, sizeof(buf), "%s", cases[i]);
		} else if (i % 2 == 0) {	/* any digits and dots */
			len = 1 + xs(&x) % 16;
			for (k = 0; k < len; k++)
				buf[k] = alpha[xs(&x) % (sizeof(alpha) - 1)];
			buf[len] = '\0';
		} else {	/* three to five parts of 1-3 digits */
			parts = 3 + xs(&x) % 3;
			for (k = 0, len = 0; k < parts; k++) {
				if (k > 0)
					buf[len++] = '.';
				for (d = 1 + xs(&x) % 3; d > 0; d--)
					buf[len++] = (char)('0' + xs(&x) %
					    (xs(&x) % 4 == 0 ? 10 : 3));
			}
			buf[len] = '\0';
		}
		want = inet_pton(AF_INET, buf, &p) == 1;
		memset(&a, 0xee, sizeof(a));
		got = cgn_addr_parse(buf, strlen(buf), &a) == CGN_OK;
		assert_int_equal(got, want);
		if (want) {
			assert_int_equal(cgn_addr_is_v4(&a, &v4), 1);
			assert_int_equal(v4, ntohl(p.s_addr));
			agreed++;
		}
	}
	assert_true(agreed > 1000);	/* the random ones hit addresses too */
}

static void
addr_ipv6_parses_and_formats_compressed(void **state)
{
	static const uint8_t want[16] = { 0x30, 0x02, 0, 0, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 1 };
	struct cgn_addr a;
	uint32_t v4 = 7;

	(void)state;
	assert_int_equal(cgn_addr_parse("3002:0:0:0:0:0:0:1", 18, &a),
	    CGN_OK);
	assert_memory_equal(a.b, want, 16);
	assert_int_equal(cgn_addr_is_v4(&a, &v4), 0);
	assert_int_equal(v4, 7);
	assert_addr(&a, "3002::1");
	assert_int_equal(cgn_addr_parse("2001:db8::ffff:1", 16, &a), CGN_OK);
	assert_addr(&a, "2001:db8::ffff:1");
}

static void
addr_parse_reads_exactly_len_bytes(void **state)
{
	struct cgn_addr a;

	(void)state;
	/* a slice of a longer line: "10.0.0.1" out of "10.0.0.1:80" */
	assert_int_equal(cgn_addr_parse("10.0.0.1:80", 8, &a), CGN_OK);
	assert_addr(&a, "10.0.0.1");
	assert_int_equal(cgn_addr_parse("10.0.0.1:80", 11, &a),
	    CGN_EMALFORMED);
}

static void
addr_garbage_is_malformed_and_leaves_out_alone(void **state)
{
	static const char *const bad[] = { "300.1.2.3", "1.2.3", "abc",
	    "1.2.3.4 ", " 1.2.3.4", "1.2.3.4.5", "2001:db8::1::2",
	    "gggg::1", "-", "1.2.3.4/24",
	    "0000:0000:0000:0000:0000:0000:0000:00001" };
	struct cgn_addr a, sentinel;
	size_t i;

	(void)state;
	memset(&sentinel, 0xa5, sizeof(sentinel));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = sentinel;
		assert_int_equal(cgn_addr_parse(bad[i], strlen(bad[i]), &a),
		    CGN_EMALFORMED);
		assert_memory_equal(&a, &sentinel, sizeof(a));
	}
	assert_int_equal(cgn_addr_parse("", 0, &a), CGN_EMALFORMED);
	/* 46 bytes: one more than the longest address text */
	assert_int_equal(cgn_addr_parse(
	    "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.2550", 46, &a),
	    CGN_EMALFORMED);
}

static void
addr_embedded_nul_is_rejected(void **state)
{
	struct cgn_addr a;

	(void)state;
	/* inet_pton would stop at the NUL and accept "1.2.3.4" */
	assert_int_equal(cgn_addr_parse("1.2.3.4\0junk", 12, &a),
	    CGN_EMALFORMED);
	assert_int_equal(cgn_addr_parse("1.2.3.4\0", 8, &a), CGN_EMALFORMED);
	assert_int_equal(cgn_addr_parse("::1\0", 4, &a), CGN_EMALFORMED);
}

static void
addr_compare_orders_v4_mapped_before_global_v6(void **state)
{
	struct cgn_addr a, b, z;

	(void)state;
	assert_int_equal(cgn_addr_parse("255.255.255.255", 15, &a), CGN_OK);
	assert_int_equal(cgn_addr_parse("2001:db8::1", 11, &b), CGN_OK);
	assert_true(cgn_addr_cmp(&a, &b) < 0);
	assert_true(cgn_addr_cmp(&b, &a) > 0);
	memset(&z, 0, sizeof(z));
	assert_int_equal(cgn_addr_is_zero(&z), 1);
	assert_true(cgn_addr_cmp(&z, &a) < 0);
}

static void
addr_fmt_into_short_buffer_gives_empty_string(void **state)
{
	struct cgn_addr a;
	char buf[8];

	(void)state;
	assert_int_equal(cgn_addr_parse("203.0.113.100", 13, &a), CGN_OK);
	memset(buf, 'x', sizeof(buf));
	assert_ptr_equal(cgn_addr_fmt(&a, buf, sizeof(buf)), buf);
	assert_string_equal(buf, "");
}

static void
rc_and_evtype_names_are_fixed(void **state)
{
	(void)state;
	assert_string_equal(cgn_rc_str(CGN_OK), "ok");
	assert_string_equal(cgn_rc_str(CGN_ETRUNC), "truncated");
	assert_string_equal(cgn_rc_str(CGN_EMALFORMED), "malformed");
	assert_string_equal(cgn_rc_str(CGN_EUNKNOWN), "unknown_format");
	assert_string_equal(cgn_rc_str(CGN_ENOTFOUND), "not_found");
	assert_string_equal(cgn_rc_str(-100), "unknown_error");
	assert_string_equal(cgn_evtype_str(CGN_EV_PBA_ALLOC), "pba_alloc");
	assert_string_equal(cgn_evtype_str(CGN_EV_SESSION_DELETE),
	    "session_delete");
	assert_string_equal(cgn_evtype_str(CGN_EV_MAX), "invalid");
	assert_string_equal(cgn_evtype_str(-1), "invalid");
}

/* ---- the parser table and state --------------------------------------- */

static void
parser_table_find_and_detect(void **state)
{
	static const uint8_t ipfix_hdr[] = { 0x00, 0x0a, 0x00, 0x10 };
	const char *l = "<14>1 - - - - - -";

	(void)state;
	assert_ptr_equal(parser_find("syslog"), &syslog_parser);
	assert_null(parser_find("nosuch"));
	assert_ptr_equal(parser_detect((const uint8_t *)l, strlen(l)),
	    &syslog_parser);
	assert_ptr_equal(parser_detect((const uint8_t *)"RT_FLOW", 7),
	    &syslog_parser);
	assert_null(parser_detect(ipfix_hdr, sizeof(ipfix_hdr)));
	assert_null(parser_detect((const uint8_t *)"", 0));
	assert_int_equal(syslog_parser.detect((const uint8_t *)"\x7f", 1), 0);
}

static void
pstate_new_and_free(void **state)
{
	struct cgn_pstate *st = NULL;

	(void)state;
	assert_int_equal(pstate_new(&st), CGN_OK);
	assert_non_null(st);
	pstate_free(st);
	pstate_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(addr_ipv4_is_stored_mapped_and_formats_dotted),
		cmocka_unit_test(addr_v4_helper_matches_parsed_text),
		cmocka_unit_test(addr_dotted_agrees_with_inet_pton),
		cmocka_unit_test(addr_ipv6_parses_and_formats_compressed),
		cmocka_unit_test(addr_parse_reads_exactly_len_bytes),
		cmocka_unit_test(
		    addr_garbage_is_malformed_and_leaves_out_alone),
		cmocka_unit_test(addr_embedded_nul_is_rejected),
		cmocka_unit_test(
		    addr_compare_orders_v4_mapped_before_global_v6),
		cmocka_unit_test(addr_fmt_into_short_buffer_gives_empty_string),
		cmocka_unit_test(rc_and_evtype_names_are_fixed),
		cmocka_unit_test(parser_table_find_and_detect),
		cmocka_unit_test(pstate_new_and_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
