/*
 * test_ipfix_damage.c - unit tests for what the IPFIX parser does with
 * damaged input (truncated messages, sets longer than their message, bad
 * templates: an exact return code, and only complete sets decoded), emit()
 * stopping a parse, sequence-number gaps, telling IPFIX, v9 and text
 * apart, and two messages in one buffer.
 *
 * Messages are built byte by byte (flowmsg.h), so each test says exactly
 * what is on the wire; expected values are literals.
 * Not here: well-formed events and templates (test_ipfix.c), v9 framing
 * errors (test_nfv9.c), the fuzz target (tests/fuzz/fuzz_ipfix.c).
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

/* ---- IPFIX: damage ----------------------------------------------------- */

static void
ipfix_truncated_message_is_rejected_with_nothing_emitted(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len, cut;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	set_end(&m);
	len = ipfix_end(&m);
	for (cut = 0; cut < len; cut++) {
		int rc = parse(&ipfix_parser, *state, &m, cut, &sk);

		assert_int_equal(rc, CGN_ETRUNC);
		assert_int_equal(sk.n, 0);
	}
}

static void
ipfix_set_longer_than_message_emits_nothing(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	set_end(&m);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.2", "198.51.100.1", 2048,
	    2111);
	set_end(&m);
	len = ipfix_end(&m);
	m.b[len - 33 + 3] += 8;	/* second set claims 8 more bytes */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_ETRUNC);
	assert_int_equal(sk.n, 0);
	m.b[len - 33 + 3] -= 8;
	m.b[len - 33 + 2] = 0;
	m.b[len - 33 + 3] = 2;	/* a set shorter than its header */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_EMALFORMED);
	assert_int_equal(sk.n, 0);
}

static void
ipfix_damaged_set_keeps_only_the_complete_sets_before_it(void **state)
{
	static const uint32_t f[] = { 323, 8, 230, 1, 8, 4, 225, 4, 7, 2, 227,
	    2, 284, 65535, 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put_template(&m, 300, f);
	set_end(&m);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	set_end(&m);
	set_start(&m, 300);
	put64(&m, 1795859000000ULL);
	put8(&m, 4);
	put_ip(&m, "10.1.1.2");
	put_ip(&m, "198.51.100.1");
	put16(&m, 1);
	put16(&m, 2);
	put8(&m, 1);		/* pool name "a": a good record */
	put8(&m, 'a');
	put64(&m, 1795859000000ULL);
	put8(&m, 4);
	put_ip(&m, "10.1.1.3");
	put_ip(&m, "198.51.100.1");
	put16(&m, 3);
	put16(&m, 4);
	put8(&m, 200);		/* says 200 bytes; the set ends first */
	put8(&m, 'b');
	set_end(&m);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.4", "198.51.100.1", 2048,
	    2111);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_EMALFORMED);
	/* the first data set was whole: kept; the damaged one: nothing,
	 * not even its good first record; the one after: not reached */
	assert_int_equal(sk.n, 1);
	assert_addr(&sk.ev[0].inside, "10.1.1.1");
}

static void
ipfix_bad_template_is_malformed(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;

	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put16(&m, 100);		/* template ids start at 256 */
	put16(&m, 1);
	put16(&m, 8);
	put16(&m, 4);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_EMALFORMED);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put16(&m, 300);		/* 2 fields announced, 1 given */
	put16(&m, 2);
	put16(&m, 8);
	put16(&m, 4);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_EMALFORMED);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 2);
	put16(&m, 301);		/* a record of 0 bytes */
	put16(&m, 1);
	put16(&m, 8);
	put16(&m, 0);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk),
	    CGN_EMALFORMED);
	assert_int_equal(counters(*state).templates, 0);
}

static void
ipfix_emit_stop_is_returned(void **state)
{
	struct mb m;
	struct sink sk;
	size_t len;
	int rc;

	len = msg_templates(&m, 0);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 0, 5);
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.2", "198.51.100.1", 2048,
	    2111);
	set_end(&m);
	len = ipfix_end(&m);
	memset(&sk, 0, sizeof(sk));
	sk.stop_at = 1;
	rc = ipfix_parser.parse(*state, &src_a, m.b, len, sink_emit, &sk);
	assert_int_equal(rc, 99);
	assert_int_equal(sk.n, 1);
}

/* ---- sequence numbers --------------------------------------------------- */

static void
ipfix_sequence_gap_is_reported_with_its_time_span(void **state)
{
	struct gaps g = { 0 };
	struct mb m;
	struct sink sk;
	size_t len;

	src_a.gap = gap_rec;
	src_a.gap_arg = &g;
	len = msg_templates(&m, 100);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	ipfix_start(&m, EXPORT_S, 100, 5);	/* templates do not count */
	set_start(&m, 256);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	put_pba(&m, 1795859000000ULL, 16, "10.1.1.2", "198.51.100.1", 2048,
	    2111);
	set_end(&m);
	len = ipfix_end(&m);
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(g.n, 0);
	m.b[11] = 102;		/* in order: 100 + 2 records */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(g.n, 0);
	m.b[11] = 110;		/* 104 expected: 6 records lost */
	m.b[7] += 30;		/* exported 30 s later */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.device, "192.0.2.1");
	assert_int_equal(g.lost, 6);
	assert_int_equal(g.from, (int64_t)EXPORT_S * 1000);
	assert_int_equal(g.to, ((int64_t)EXPORT_S + 30) * 1000 + 999);
	assert_int_equal(counters(*state).seq_gaps, 1);
	assert_int_equal(counters(*state).seq_lost, 6);
	m.b[11] = 50;		/* went back (restart): no gap */
	assert_int_equal(parse(&ipfix_parser, *state, &m, len, &sk), CGN_OK);
	assert_int_equal(g.n, 1);
	src_a.gap = NULL;
}

/* ---- detection ---------------------------------------------------------- */

static void
detect_tells_ipfix_v9_and_text_apart(void **state)
{
	struct mb m;
	size_t len;
	static const char line[] = "<14>1 2026-11-28T10:00:00Z h a - - - x";

	(void)state;
	len = msg_templates(&m, 0);
	assert_int_equal(ipfix_parser.detect(m.b, len), 1);
	assert_int_equal(nfv9_parser.detect(m.b, len), 0);
	assert_ptr_equal(parser_detect(m.b, len), &ipfix_parser);
	assert_int_equal(ipfix_parser.detect(m.b, len - 1), 0);
	v9_start(&m, EXPORT_S, 1, 0);
	set_start(&m, 0);
	put_template_v9(&m, 260, pba_fields);
	set_end(&m);
	assert_int_equal(nfv9_parser.detect(m.b, m.n), 1);
	assert_int_equal(ipfix_parser.detect(m.b, m.n), 0);
	assert_ptr_equal(parser_detect(m.b, m.n), &nfv9_parser);
	assert_int_equal(ipfix_parser.detect((const uint8_t *)line,
	    sizeof(line) - 1), 0);
	assert_int_equal(nfv9_parser.detect((const uint8_t *)line,
	    sizeof(line) - 1), 0);
	assert_ptr_equal(parser_find("ipfix"), &ipfix_parser);
	assert_ptr_equal(parser_find("nfv9"), &nfv9_parser);
}

static void
ipfix_two_messages_in_one_buffer_are_both_read(void **state)
{
	struct mb m, d;
	struct sink sk;
	size_t len, dlen;
	uint8_t both[1024];

	len = msg_templates(&m, 0);
	ipfix_start(&d, EXPORT_S, 0, 5);
	set_start(&d, 256);
	put_pba(&d, 1795859000000ULL, 16, "10.1.1.1", "198.51.100.1", 1024,
	    1087);
	set_end(&d);
	dlen = ipfix_end(&d);
	memcpy(both, m.b, len);
	memcpy(both + len, d.b, dlen);
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(ipfix_parser.parse(*state, &src_a, both, len + dlen,
	    sink_emit, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(ipfix_parser.parse(*state, &src_a, both,
	    len + dlen - 1, sink_emit, &sk), CGN_ETRUNC);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(ipfix_truncated_message_is_rejected_with_nothing_emitted),
		T(ipfix_set_longer_than_message_emits_nothing),
		T(ipfix_damaged_set_keeps_only_the_complete_sets_before_it),
		T(ipfix_bad_template_is_malformed),
		T(ipfix_emit_stop_is_returned),
		T(ipfix_sequence_gap_is_reported_with_its_time_span),
		T(ipfix_two_messages_in_one_buffer_are_both_read),
		T(detect_tells_ipfix_v9_and_text_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
