/*
 * test_syslog.c - unit tests for parser/syslog.c: RFC 5424 and RFC 3164
 * framing (header time, year and zone, host, tag), stored lines, the
 * device name, emit() stopping a parse; the field helpers vendor bodies
 * share (txt_hex, sd_param, kv_param); bad input, which gives an exact
 * return code and no event; and every real syslog fixture, whole, cut at
 * every byte and with bits flipped.
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it. Fixtures are read from
 * ../shared/fixtures/real at run time (fixtures.c); the tests that need
 * them skip when the folder is absent.
 * Not here: what the vendor bodies decode (test_syslog_juniper.c,
 * test_syslog_vendors.c, test_syslog_docs.c).
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
#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

#define T_2026_07_01_12 1782907200000LL	/* 2026-07-01T12:00:00Z */

/* Split a line with syslog_split, as syslog_parse would. */
static int
split_line(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    struct syslog_msg *m, struct syslog_out *out)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.tz = tz;
	memset(out, 0, sizeof(*out));
	out->base.rx_ms = rx_ms;
	out->base.ts_ms = rx_ms;
	out->base.tsrc = CGN_TS_RX;
	return syslog_split(&src, line, strlen(line), m, out);
}

/* A slice (not NUL-terminated) equals want. */
static void
assert_slice(const char *p, size_t len, const char *want)
{
	assert_int_equal(len, strlen(want));
	if (len > 0)
		assert_memory_equal(p, want, len);
}

/* ---- syslog framing --------------------------------------------------- */

static void
syslog_5424_with_sd_and_offset_time(void **state)
{
	const char *line = "<14>1 2022-04-04T16:45:38.123+02:00 srx1 RT_NAT"
	    " - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"] tail";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1649083538123LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_int_equal(out.base.rx_ms, RX_2026_07_01);
	assert_slice(m.host, m.hostlen, "srx1");
	assert_slice(m.app, m.applen, "RT_NAT");
	assert_slice(m.msgid, m.msgidlen, "RT_SRC_NAT_PBA_ALLOC");
	assert_slice(m.sd, m.sdlen, "[junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"]");
	assert_slice(m.body, m.bodylen, "tail");
}

static void
syslog_5424_sd_event_takes_header_time_and_host(void **state)
{
	const char *line = "<14>1 2022-04-04T16:45:38.123+02:00 srx1 RT_NAT"
	    " - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.26"
	    " internal-ip=\"10.0.10.10\" reflexive-ip=\"1.2.84.172\""
	    " block-port-low=\"48640\" block-port-high=\"48895\"]";
	struct sink sk;

	(void)state;
	assert_int_equal(parse_line(line, RX_2026_07_01, NULL, NULL, &sk),
	    CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_int_equal(sk.ev[0].type, CGN_EV_PBA_ALLOC);
	assert_int_equal(sk.ev[0].ts_ms, 1649083538123LL);
	assert_int_equal(sk.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(sk.ev[0].rx_ms, RX_2026_07_01);
	assert_string_equal(sk.ev[0].device, "srx1");
	assert_addr(&sk.ev[0].inside, "10.0.10.10");
	assert_addr(&sk.ev[0].outside, "1.2.84.172");
	assert_int_equal(sk.ev[0].port_lo, 48640);
	assert_int_equal(sk.ev[0].port_hi, 48895);
}

static void
syslog_5424_nil_fields_are_empty_and_time_is_rx(void **state)
{
	const char *line = "<165>1 - - - - - - body text";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, RX_2026_07_01);
	assert_int_equal(out.base.tsrc, CGN_TS_RX);
	assert_int_equal(m.hostlen, 0);
	assert_int_equal(m.applen, 0);
	assert_int_equal(m.msgidlen, 0);
	assert_int_equal(m.sdlen, 0);
	assert_slice(m.body, m.bodylen, "body text");
}

static void
syslog_5424_escaped_bracket_stays_inside_sd(void **state)
{
	const char *line = "<14>1 2026-11-28T10:15:03Z h a p m"
	    " [x a=\"b\\]c\"][y k=\"v\"] msg";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_slice(m.sd, m.sdlen, "[x a=\"b\\]c\"][y k=\"v\"]");
	assert_slice(m.body, m.bodylen, "msg");
	assert_int_equal(out.base.ts_ms, 1795860903000LL);
}

static void
syslog_3164_year_comes_from_rx(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1782859465000LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);	/* no zone given */
	assert_slice(m.host, m.hostlen, "host");
	assert_slice(m.app, m.applen, "TAG");
	assert_slice(m.body, m.bodylen, "TAG: body");
}

static void
syslog_3164_local_time_uses_source_zone(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_int_equal(split_line(line, RX_2026_07_01, tz, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1782859465000LL - 7200000LL);
	assert_int_equal(out.base.tsrc, CGN_TS_LOCAL);
	tz_free(tz);
}

static void
syslog_3164_dec_31_received_jan_1_is_last_year(void **state)
{
	const char *line = "<14>Dec 31 23:59:59 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	/* received 2027-01-01T00:00:05Z */
	assert_int_equal(split_line(line, 1798761605000LL, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1798761599000LL);	/* 2026 */
}

static void
syslog_3164_jan_1_received_dec_31_is_next_year(void **state)
{
	const char *line = "<14>Jan  1 00:00:05 host TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	/* received 2026-12-31T23:59:59Z, the sender's clock a bit ahead */
	assert_int_equal(split_line(line, 1798761599000LL, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1798761605000LL);	/* 2027 */
}

static void
syslog_3164_tag_without_host(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 TAG: body";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(m.hostlen, 0);
	assert_slice(m.app, m.applen, "TAG");
	assert_slice(m.body, m.bodylen, "TAG: body");
}

static void
syslog_asa_header_with_year(void **state)
{
	const char *line = "Oct 10 2018 12:34:56 localhost CiscoASA[999]:"
	    " %ASA-6-305011: Built dynamic TCP translation";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1539174896000LL);
	assert_slice(m.host, m.hostlen, "localhost");
	assert_slice(m.app, m.applen, "CiscoASA");
	assert_slice(m.body, m.bodylen, "CiscoASA[999]: %ASA-6-305011:"
	    " Built dynamic TCP translation");
}

static void
syslog_stored_line_rfc3339_without_pri(void **state)
{
	const char *line = "2025-05-02T11:34:56.87+00:00 10.254.254.57"
	    " cgn0.thn2/cgn-demo  CEF:0|A10|CFW";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1746185696870LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_slice(m.host, m.hostlen, "10.254.254.57");
	assert_slice(m.app, m.applen, "cgn0.thn2/cgn-demo");
	assert_slice(m.body, m.bodylen, "cgn0.thn2/cgn-demo  CEF:0|A10|CFW");
}

static void
syslog_pri_then_rfc3339_header(void **state)
{
	const char *line = "<14>2026-11-28T10:15:03.5+01:00 cgn1 RT_NAT: x";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, 1795857303500LL);
	assert_int_equal(out.base.tsrc, CGN_TS_UTC);
	assert_slice(m.host, m.hostlen, "cgn1");
	assert_slice(m.app, m.applen, "RT_NAT");
	assert_slice(m.body, m.bodylen, "RT_NAT: x");
}

static void
syslog_stored_line_without_zone_is_local(void **state)
{
	const char *line = "2026-07-01T14:00:00 cgn1 RT_NAT: x";
	struct syslog_out out;
	struct syslog_msg m;
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	assert_int_equal(split_line(line, RX_2026_07_01, tz, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, T_2026_07_01_12);
	assert_int_equal(out.base.tsrc, CGN_TS_LOCAL);
	assert_slice(m.host, m.hostlen, "cgn1");
	tz_free(tz);
}

static void
syslog_bare_body_keeps_rx_time_and_whole_line(void **state)
{
	const char *line = "RT_FLOW - RT_FLOW_SESSION_CREATE [a=\"b\"]\r\n";
	struct syslog_out out;
	struct syslog_msg m;

	(void)state;
	assert_int_equal(split_line(line, RX_2026_07_01, NULL, &m, &out),
	    CGN_OK);
	assert_int_equal(out.base.ts_ms, RX_2026_07_01);
	assert_int_equal(out.base.tsrc, CGN_TS_RX);
	assert_int_equal(m.hostlen, 0);
	assert_int_equal(m.sdlen, 0);
	assert_slice(m.body, m.bodylen,
	    "RT_FLOW - RT_FLOW_SESSION_CREATE [a=\"b\"]");
}

static void
syslog_device_name_precedence(void **state)
{
	const char *line = "<14>Jun 30 22:44:25 hostA RT_NAT:"
	    " JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";
	struct cgn_src src;
	struct sink sk;

	(void)state;
	/* named by the caller */
	assert_int_equal(parse_line(line, RX_2026_07_01, "cfg-name", NULL,
	    &sk), CGN_OK);
	assert_string_equal(sk.ev[0].device, "cfg-name");
	/* the exporter address beats the header's host */
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	assert_int_equal(cgn_addr_parse("192.0.2.9", 9, &src.exporter),
	    CGN_OK);
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    strlen(line), sink_emit, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	assert_string_equal(sk.ev[0].device, "192.0.2.9");
	/* a file: the host */
	assert_int_equal(parse_line(line, RX_2026_07_01, NULL, NULL, &sk),
	    CGN_OK);
	assert_string_equal(sk.ev[0].device, "hostA");
	/* nothing at all */
	assert_int_equal(parse_line("JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34 -> 198.51.100.7:20480-20607", RX_2026_07_01, NULL,
	    NULL, &sk), CGN_OK);
	assert_string_equal(sk.ev[0].device, "unknown");
}

static void
syslog_emit_nonzero_stops_and_is_returned(void **state)
{
	struct sink sk;
	struct cgn_src src;
	const char *line = "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
	    " 198.51.100.7:20480-20607 0x666972c6";

	(void)state;
	memset(&src, 0, sizeof(src));
	memset(&sk, 0, sizeof(sk));
	sk.stop_with = 7;
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    strlen(line), sink_emit, &sk), 7);
	assert_int_equal(sk.n, 1);
}

/* ---- vendor helpers --------------------------------------------------- */

static void
txt_hex_and_uint_exact_widths(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(txt_hex("0x624b0492", 10, &v), CGN_OK);
	assert_int_equal(v, 0x624b0492u);
	assert_int_equal(txt_hex("624B0CC7", 8, &v), CGN_OK);
	assert_int_equal(v, 0x624b0cc7u);
	assert_int_equal(txt_hex("ffffffffffffffff", 16, &v), CGN_OK);
	assert_int_equal(v, UINT64_MAX);
	assert_int_equal(txt_hex("1ffffffffffffffff", 17, &v),
	    CGN_EMALFORMED);
	assert_int_equal(txt_hex("0x", 2, &v), CGN_EMALFORMED);
	assert_int_equal(txt_hex("", 0, &v), CGN_EMALFORMED);
	assert_int_equal(txt_hex("12g4", 4, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("65535", 5, 65535, &v), CGN_OK);
	assert_int_equal(v, 65535);
	assert_int_equal(txt_uint("65536", 5, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("12a", 3, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("", 0, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("-1", 2, 65535, &v), CGN_EMALFORMED);
	assert_int_equal(txt_uint("99999999999999999999999", 23, UINT64_MAX,
	    &v), CGN_EMALFORMED);
	assert_int_equal(v, 65535);
}

static void
sd_param_matches_whole_keys_only(void **state)
{
	const char *sd = "[x nat-source-address=\"1.2.3.4\""
	    " source-address=\"10.0.0.1\" q=\"a\\\"b\"]";
	const char *v;
	size_t vl;

	(void)state;
	assert_int_equal(sd_param(sd, strlen(sd), "source-address", &v, &vl),
	    1);
	assert_slice(v, vl, "10.0.0.1");
	assert_int_equal(sd_param(sd, strlen(sd), "nat-source-address", &v,
	    &vl), 1);
	assert_slice(v, vl, "1.2.3.4");
	assert_int_equal(sd_param(sd, strlen(sd), "q", &v, &vl), 1);
	assert_slice(v, vl, "a\\\"b");
	assert_int_equal(sd_param(sd, strlen(sd), "address", &v, &vl), 0);
	assert_int_equal(sd_param("[k=\"open", 8, "k", &v, &vl), 0);
}

static void
kv_param_reads_plain_and_quoted_values(void **state)
{
	const char *b = "proto=UDP src=100.65.140.73,spt=5 msg=\"a b\"";
	const char *v;
	size_t vl;

	(void)state;
	assert_int_equal(kv_param(b, strlen(b), "src", &v, &vl), 1);
	assert_slice(v, vl, "100.65.140.73");
	assert_int_equal(kv_param(b, strlen(b), "spt", &v, &vl), 1);
	assert_slice(v, vl, "5");
	assert_int_equal(kv_param(b, strlen(b), "msg", &v, &vl), 1);
	assert_slice(v, vl, "a b");
	assert_int_equal(kv_param(b, strlen(b), "pt", &v, &vl), 0);
	assert_ptr_equal(txt_find(b, strlen(b), "src="), b + 10);
	assert_null(txt_find(b, strlen(b), "dst="));
}

/* ---- bad input -------------------------------------------------------- */

static void
malformed_lines_give_exact_rc_and_emit_nothing(void **state)
{
	static const struct {
		const char *line;
		int rc;
	} t[] = {
		{ "", CGN_ETRUNC },
		{ "\r\n", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03Z", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03Z host app", CGN_ETRUNC },
		{ "<14>1 2026-11-28T10:15:03 host app - - - x",
		    CGN_EMALFORMED },
		{ "<14>1 yesterday host app - - - x", CGN_EMALFORMED },
		{ "<14>1 2026-11-28T10:15:03Z host app - - x",
		    CGN_EMALFORMED },
		{ "<14>1 2026-11-28T10:15:03Z h a - RT_SRC_NAT_PBA_ALLOC"
		    " [x internal-ip=\"10.0.10.10\"", CGN_ETRUNC },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20607-20480 0x666972c6", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-70000", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.345 ->"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 =>"
		    " 198.51.100.7:20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " 198.51.100.7:20480-20607 0xZZ", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 ->"
		    " :20480-20607", CGN_EMALFORMED },
		{ "JSERVICES_NAT_PORT_BLOCK_ALLOC: 100.64.12.34 -> ",
		    CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " block-port-low=\"48640\" block-port-high=\"48895\"]",
		    CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48895\""
		    " block-port-high=\"48640\"]", CGN_EMALFORMED },
		{ "RT_NAT - RT_SRC_NAT_PBA_ALLOC [internal-ip=\"10.0.10.10\""
		    " reflexive-ip=\"1.2.84.172\" block-port-low=\"48640\""
		    " block-port-high=\"48895\" epoch-time-64=\"xyz\"]",
		    CGN_EMALFORMED },
		{ "RT_FLOW - RT_FLOW_SESSION_CREATE"
		    " [source-address=\"10.0.10.10\" source-port=\"46776\""
		    " nat-source-address=\"1.2.84.172\" protocol-id=\"6\"]",
		    CGN_EMALFORMED },
		{ "RT_FLOW - RT_FLOW_SESSION_CREATE"
		    " [source-address=\"10.0.10.10\" source-port=\"46776\""
		    " nat-source-address=\"1.2.84.172\""
		    " nat-source-port=\"53328\" protocol-id=\"300\"]",
		    CGN_EMALFORMED },
		/* a documented line with the addresses masked by hand */
		{ "RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.x.x"
		    " used/maximum [5/15] blocks, releases port block"
		    " [1024-1151] from 203.0.113.x in source pool"
		    " EXAMPLE_POOL", CGN_EMALFORMED },
		{ "RT_SRC_NAT_PBA_ALLOC: Subscriber 100.64.60.74 allocates"
		    " port block [24064-24191 from 203.0.113.100",
		    CGN_EMALFORMED },
	};
	struct sink sk;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = parse_line(t[i].line, RX_2026_07_01, "d", NULL, &sk);
		if (rc != t[i].rc)
			fail_msg("\"%s\": rc %d, want %d", t[i].line, rc,
			    t[i].rc);
		assert_int_equal(sk.n, 0);
	}
}

static void
lines_no_vendor_claims_are_eunknown(void **state)
{
	static const char *const t[] = {
		"hello world",
		"<14>Jun 30 22:44:25 host sshd[1]: Accepted publickey",
		"<14>1 2026-11-28T10:15:03Z host app - - - hello",
		"Oct 10 2018 12:34:56 localhost kernel: eth0 link up",
		"RT_NAT: RT_SRC_NAT_PBA_FOO: Subscriber 1.2.3.4",
		"JSERVICES_NAT_PORT_BLOCK_FOO: 1.2.3.4 -> 5.6.7.8:1-2",
	};
	struct sink sk;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (parse_line(t[i], RX_2026_07_01, "d", NULL, &sk) !=
		    CGN_EUNKNOWN)
			fail_msg("\"%s\" not unknown", t[i]);
		assert_int_equal(sk.n, 0);
	}
}

static void
line_with_embedded_nul_is_handled_by_length(void **state)
{
	static const char line[] = "JSERVICES_NAT_PORT_BLOCK_ALLOC:"
	    " 100.64.12.34\0 -> 198.51.100.7:20480-20607";
	struct cgn_src src;
	struct sink sk;

	(void)state;
	memset(&src, 0, sizeof(src));
	memset(&sk, 0, sizeof(sk));
	assert_int_equal(syslog_parser.parse(NULL, &src, (const uint8_t *)line,
	    sizeof(line) - 1, sink_emit, &sk), CGN_EMALFORMED);
	assert_int_equal(sk.n, 0);
}

/* ---- every real fixture ----------------------------------------------- */

struct outcome {
	size_t lines, event_lines, events, ok_empty, unknown, errors;
};

static void
run_file(const char *name, struct outcome *o)
{
	char rel[512];
	struct fx_line *lines = NULL;
	struct cgn_src src;
	struct sink sk;
	size_t len, n, i;
	char *buf;
	int rc;

	snprintf(rel, sizeof(rel), "syslog/%s", name);
	buf = fx_read(rel, &len);
	assert_non_null(buf);
	n = fx_lines(buf, len, &lines);
	assert_true(n != (size_t)-1);
	memset(o, 0, sizeof(*o));
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	for (i = 0; i < n; i++) {
		memset(&sk, 0, sizeof(sk));
		rc = syslog_parser.parse(NULL, &src,
		    (const uint8_t *)lines[i].p, lines[i].len, sink_emit, &sk);
		o->lines++;
		if (rc == CGN_OK && sk.n > 0) {
			o->event_lines++;
			o->events += (size_t)sk.n;
		} else if (rc == CGN_OK) {
			o->ok_empty++;
		} else if (rc == CGN_EUNKNOWN) {
			o->unknown++;
		} else {
			o->errors++;
			assert_true(rc < 0 && rc >= CGN_ERC_MIN);
		}
		if (rc != CGN_OK)
			assert_int_equal(sk.n, 0);
	}
	assert_int_equal(o->lines, n);
	free(lines);
	free(buf);
}

static void
every_syslog_fixture_parses_line_by_line(void **state)
{
	struct outcome o;
	char **names = NULL;
	size_t n, i;
	int seen_juniper = 0;

	(void)state;
	need_fixtures();
	n = fx_list("syslog", &names);
	assert_true(n != (size_t)-1);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		run_file(names[i], &o);
		print_message("# %s: %zu lines, %zu with events (%zu events),"
		    " %zu ok without events, %zu unknown, %zu errors\n",
		    names[i], o.lines, o.event_lines, o.events, o.ok_empty,
		    o.unknown, o.errors);
		assert_int_equal(o.event_lines + o.ok_empty + o.unknown +
		    o.errors, o.lines);
		if (strcmp(names[i], "juniper_srx_rt_nat_pba.log") == 0) {
			seen_juniper = 1;
			assert_int_equal(o.lines, 5);
			assert_int_equal(o.event_lines, 5);
			assert_int_equal(o.events, 5);
			assert_int_equal(o.unknown, 0);
			assert_int_equal(o.errors, 0);
		}
	}
	assert_int_equal(seen_juniper, 1);
	fx_names_free(names, n);
}

static void
every_prefix_and_byte_flip_of_fixture_lines_is_survived(void **state)
{
	struct fx_line *lines = NULL;
	struct cgn_src src;
	struct sink sk;
	char **names = NULL, rel[512], *buf, *copy;
	size_t nf, n, f, i, cut, len, k;
	int rc;

	(void)state;
	need_fixtures();
	nf = fx_list("syslog", &names);
	assert_true(nf != (size_t)-1);
	memset(&src, 0, sizeof(src));
	src.rx_ms = RX_2026_07_01;
	prng_state = 4242;
	for (f = 0; f < nf; f++) {
		snprintf(rel, sizeof(rel), "syslog/%s", names[f]);
		assert_non_null(buf = fx_read(rel, &len));
		n = fx_lines(buf, len, &lines);
		for (i = 0; i < n; i++) {
			/* a copy per line, so ASan sees reads past its end */
			for (cut = 0; cut <= lines[i].len; cut++) {
				assert_non_null(copy = malloc(cut + 1));
				memcpy(copy, lines[i].p, cut);
				memset(&sk, 0, sizeof(sk));
				rc = syslog_parser.parse(NULL, &src,
				    (uint8_t *)copy, cut, sink_emit, &sk);
				if (rc != CGN_OK)
					assert_int_equal(sk.n, 0);
				free(copy);
			}
			assert_non_null(copy = malloc(lines[i].len + 1));
			for (k = 0; k < 64 && lines[i].len > 0; k++) {
				memcpy(copy, lines[i].p, lines[i].len);
				copy[prng() % lines[i].len] ^=
				    (char)(1u << (prng() % 8));
				memset(&sk, 0, sizeof(sk));
				rc = syslog_parser.parse(NULL, &src,
				    (uint8_t *)copy, lines[i].len, sink_emit,
				    &sk);
				assert_true(rc <= 0 && rc >= CGN_ERC_MIN);
				if (rc != CGN_OK)
					assert_int_equal(sk.n, 0);
			}
			free(copy);
		}
		free(lines);
		free(buf);
	}
	fx_names_free(names, nf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(syslog_5424_with_sd_and_offset_time),
		cmocka_unit_test(
		    syslog_5424_sd_event_takes_header_time_and_host),
		cmocka_unit_test(
		    syslog_5424_nil_fields_are_empty_and_time_is_rx),
		cmocka_unit_test(syslog_5424_escaped_bracket_stays_inside_sd),
		cmocka_unit_test(syslog_3164_year_comes_from_rx),
		cmocka_unit_test(syslog_3164_local_time_uses_source_zone),
		cmocka_unit_test(
		    syslog_3164_dec_31_received_jan_1_is_last_year),
		cmocka_unit_test(
		    syslog_3164_jan_1_received_dec_31_is_next_year),
		cmocka_unit_test(syslog_3164_tag_without_host),
		cmocka_unit_test(syslog_asa_header_with_year),
		cmocka_unit_test(syslog_stored_line_rfc3339_without_pri),
		cmocka_unit_test(syslog_pri_then_rfc3339_header),
		cmocka_unit_test(syslog_stored_line_without_zone_is_local),
		cmocka_unit_test(syslog_bare_body_keeps_rx_time_and_whole_line),
		cmocka_unit_test(syslog_device_name_precedence),
		cmocka_unit_test(syslog_emit_nonzero_stops_and_is_returned),
		cmocka_unit_test(txt_hex_and_uint_exact_widths),
		cmocka_unit_test(sd_param_matches_whole_keys_only),
		cmocka_unit_test(kv_param_reads_plain_and_quoted_values),
		cmocka_unit_test(
		    malformed_lines_give_exact_rc_and_emit_nothing),
		cmocka_unit_test(lines_no_vendor_claims_are_eunknown),
		cmocka_unit_test(line_with_embedded_nul_is_handled_by_length),
		cmocka_unit_test(every_syslog_fixture_parses_line_by_line),
		cmocka_unit_test(
		    every_prefix_and_byte_flip_of_fixture_lines_is_survived),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
