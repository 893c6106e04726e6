/*
 * test_syslog_vendors.c - unit tests for the vendor bodies of the syslog
 * parser (parser/syslog_<vendor>.c), one section per vendor.
 *
 * Per vendor: every line of its real fixture (../shared/fixtures/real/
 * syslog, read at run time; expected values from PROVENANCE.md) parsed to
 * exact fields; lines written from the vendor's documentation where there
 * is no fixture (each cites the document); broken and truncated lines give
 * an exact return code and no event; lines the vendor knows but that map
 * nothing give CGN_OK and no event. Expected values are literals worked
 * out by hand (date -u -d ... +%s), never taken from the code under test.
 * Not here: the framing (test_parser.c), the store, the daemon.
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
#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

/* ---- helpers ---------------------------------------------------------- */

#define SINK_MAX 64

struct sink {
	int n;
	struct cgn_event ev[SINK_MAX];
};

static int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *sk = arg;

	if (sk->n < SINK_MAX)
		sk->ev[sk->n] = *ev;
	sk->n++;
	return 0;
}

/* 2026-07-01T00:00:00Z: a receive time for lines without a date */
#define RX_2026_07_01 1782864000000LL

static int
parse_n(const char *line, size_t len, int64_t rx_ms, const struct cgn_tz *tz,
    struct sink *sk)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx_ms;
	src.device = "dev";
	src.tz = tz;
	memset(sk, 0, sizeof(*sk));
	return syslog_parser.parse(NULL, &src, (const uint8_t *)line, len,
	    sink_emit, sk);
}

static int
parse(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    struct sink *sk)
{
	return parse_n(line, strlen(line), rx_ms, tz, sk);
}

/* What one event must be, field by field; NULL addresses must be absent
 * (all zero). */
struct want {
	int type;
	const char *inside;
	int inside_port;
	const char *outside;
	int lo, hi;
	int proto;
	int64_t ts;
	int tsrc;
	int64_t start;
	const char *dst;
	int dst_port;
	uint32_t vrf;
	const char *inside_v4;
};

static void
assert_addr_or_zero(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	if (want == NULL) {
		if (!cgn_addr_is_zero(a))
			fail_msg("address %s, want none",
			    cgn_addr_fmt(a, buf, sizeof(buf)));
		return;
	}
	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

static void
check(const struct cgn_event *e, const struct want *w)
{
	assert_string_equal(cgn_evtype_str(e->type), cgn_evtype_str(w->type));
	assert_addr_or_zero(&e->inside, w->inside);
	assert_int_equal(e->inside_port, w->inside_port);
	assert_addr_or_zero(&e->outside, w->outside);
	assert_int_equal(e->port_lo, w->lo);
	assert_int_equal(e->port_hi, w->hi);
	assert_int_equal(e->proto, w->proto);
	assert_int_equal(e->ts_ms, w->ts);
	assert_int_equal(e->tsrc, w->tsrc);
	assert_int_equal(e->start_ms, w->start);
	assert_addr_or_zero(&e->dst, w->dst);
	assert_int_equal(e->dst_port, w->dst_port);
	assert_int_equal(e->vrf, w->vrf);
	assert_addr_or_zero(&e->inside_v4, w->inside_v4);
	assert_string_equal(e->device, "dev");
}

/* Parse line; it must give CGN_OK and exactly the events in w. */
static void
expect_events(const char *line, int64_t rx_ms, const struct cgn_tz *tz,
    const struct want *w, int n)
{
	struct sink sk;
	int i, rc;

	rc = parse(line, rx_ms, tz, &sk);
	if (rc != CGN_OK)
		fail_msg("\"%s\": rc %d", line, rc);
	if (sk.n != n)
		fail_msg("\"%s\": %d events, want %d", line, sk.n, n);
	for (i = 0; i < n; i++)
		check(&sk.ev[i], &w[i]);
}

/* Each line gives exactly rc and no event. */
static void
expect_rc(const char *const *lines, size_t n, int rc)
{
	struct sink sk;
	size_t i;
	int got;

	for (i = 0; i < n; i++) {
		got = parse(lines[i], RX_2026_07_01, NULL, &sk);
		if (got != rc || sk.n != 0)
			fail_msg("\"%s\": rc %d with %d events, want rc %d",
			    lines[i], got, sk.n, rc);
	}
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Every prefix of line: never an event from a broken parse, never a
 * crash (each prefix in its own allocation, so ASan sees overreads). */
static void
prefixes_are_survived(const char *line)
{
	size_t len = strlen(line), cut;
	struct sink sk;
	char *copy;
	int rc;

	for (cut = 0; cut < len; cut++) {
		assert_non_null(copy = malloc(cut + 1));
		memcpy(copy, line, cut);
		rc = parse_n(copy, cut, RX_2026_07_01, NULL, &sk);
		assert_true(rc <= 0 && rc >= CGN_ERC_MIN);
		if (rc != CGN_OK)
			assert_int_equal(sk.n, 0);
		free(copy);
	}
}

static void
need_fixtures(void)
{
	if (fx_dir() == NULL) {
		print_message("# ../shared/fixtures/real not found (set "
		    "CGN_SHARED to the shared directory): skipped\n");
		skip();
	}
}

/* The lines of a syslog fixture; free both. */
struct fx {
	char *buf;
	struct fx_line *l;
	size_t n;
};

static void
fx_open(const char *name, size_t want_lines, struct fx *f)
{
	char rel[256];
	size_t len;

	need_fixtures();
	snprintf(rel, sizeof(rel), "syslog/%s", name);
	assert_non_null(f->buf = fx_read(rel, &len));
	f->n = fx_lines(f->buf, len, &f->l);
	assert_int_equal(f->n, want_lines);
}

static void
fx_close(struct fx *f)
{
	free(f->l);
	free(f->buf);
}

/* Parse fixture line i (0-based) into sk; returns rc. */
static int
fx_parse(const struct fx *f, size_t i, int64_t rx, const struct cgn_tz *tz,
    struct sink *sk)
{
	return parse_n(f->l[i].p, f->l[i].len, rx, tz, sk);
}

/* ---- Cisco ASA --------------------------------------------------------- */

/* Oct 10 2018 12:34:56 (the fixture's header, no zone configured: UTC) */
#define ASA_TS 1539174896000LL

static void
asa_fixture_every_line(void **state)
{
	struct fx f;
	struct sink sk;
	size_t i;
	int creates = 0, deletes = 0, empty = 0;

	(void)state;
	fx_open("cisco_asa_305011_305012.log", 29, &f);
	for (i = 0; i < f.n; i++) {
		assert_int_equal(fx_parse(&f, i, RX_2026_07_01, NULL, &sk),
		    CGN_OK);
		if (sk.n == 0) {
			empty++;
			continue;
		}
		assert_int_equal(sk.n, 1);
		assert_int_equal(sk.ev[0].ts_ms, ASA_TS);
		assert_addr_or_zero(&sk.ev[0].outside, "100.66.98.44");
		if (sk.ev[0].type == CGN_EV_SESSION_CREATE)
			creates++;
		else if (sk.ev[0].type == CGN_EV_SESSION_DELETE)
			deletes++;
	}
	/* 17 builds, 7 teardowns; 302013/302015 without NAT, the 302014/
	 * 302016 teardowns and the 106023 deny map nothing */
	assert_int_equal(creates, 17);
	assert_int_equal(deletes, 7);
	assert_int_equal(empty, 5);
	fx_close(&f);
}

static void
asa_fixture_lines_from_provenance(void **state)
{
	static const struct {
		size_t line;
		struct want w;
	} t[] = {
		{ 1, { CGN_EV_SESSION_CREATE, "172.31.98.44", 1772,
		    "100.66.98.44", 8256, 8256, 6, ASA_TS, CGN_TS_UTC, 0,
		    NULL, 0, 0, NULL } },
		{ 4, { CGN_EV_SESSION_CREATE, "172.31.98.44", 56132,
		    "100.66.98.44", 1188, 1188, 17, ASA_TS, CGN_TS_UTC, 0,
		    NULL, 0, 0, NULL } },
		{ 10, { CGN_EV_SESSION_CREATE, "172.31.98.44", 56132,
		    "100.66.98.44", 1189, 1189, 17, ASA_TS, CGN_TS_UTC, 0,
		    NULL, 0, 0, NULL } },
		{ 13, { CGN_EV_SESSION_CREATE, "172.31.98.44", 1454,
		    "100.66.98.44", 8267, 8267, 6, ASA_TS, CGN_TS_UTC, 0,
		    NULL, 0, 0, NULL } },
		/* duration 0:00:30: began 30 s before */
		{ 20, { CGN_EV_SESSION_DELETE, "172.31.98.44", 1454,
		    "100.66.98.44", 8267, 8267, 6, ASA_TS, CGN_TS_UTC,
		    ASA_TS - 30000, NULL, 0, 0, NULL } },
		{ 21, { CGN_EV_SESSION_CREATE, "172.31.156.80", 1385,
		    "100.66.98.44", 8277, 8277, 6, ASA_TS, CGN_TS_UTC, 0,
		    NULL, 0, 0, NULL } },
	};
	struct fx f;
	struct sink sk;
	size_t i;

	(void)state;
	fx_open("cisco_asa_305011_305012.log", 29, &f);
	for (i = 0; i < NELEM(t); i++) {
		assert_int_equal(fx_parse(&f, t[i].line - 1, RX_2026_07_01,
		    NULL, &sk), CGN_OK);
		assert_int_equal(sk.n, 1);
		check(&sk.ev[0], &t[i].w);
	}
	fx_close(&f);
}

static void
asa_local_header_time_uses_device_zone(void **state)
{
	/* fixture line 1's body, the header in Europe/Berlin summer time */
	const char *line = "Oct 10 2018 14:34:56 localhost CiscoASA[999]:"
	    " %ASA-6-305011: Built dynamic TCP translation from"
	    " inside:172.31.98.44/1772 to outside:100.66.98.44/8256";
	const struct want w = { CGN_EV_SESSION_CREATE, "172.31.98.44", 1772,
	    "100.66.98.44", 8256, 8256, 6, ASA_TS, CGN_TS_LOCAL, 0, NULL, 0,
	    0, NULL };
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	expect_events(line, RX_2026_07_01, tz, &w, 1);
	tz_free(tz);
}

/* Cisco ASA Series Syslog Messages, 305014/305015 ("Allocated|Released
 * {TCP|UDP} block of ports for translation from real_interface:
 * real_host_ip to real_dest_interface:real_dest_ip/real_dest_port-
 * real_dest_port."), and 302013 with a mapped address (same guide: "Built
 * {inbound|outbound} TCP connection_id for interface:real-address/
 * real-port (mapped-address/mapped-port) ..."), 302020 (faddr/gaddr/laddr).
 * Values are ours. */
static void
asa_documented_blocks_connections_and_icmp(void **state)
{
	/* 2026-06-30T12:00:00Z */
	const int64_t t = 1782820800000LL;
	const struct want alloc = { CGN_EV_PBA_ALLOC, "10.1.1.5", 0,
	    "203.0.113.9", 1024, 1535, 6, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL };
	const struct want rel = { CGN_EV_PBA_RELEASE, "10.1.1.5", 0,
	    "203.0.113.9", 1024, 1535, 17, t, CGN_TS_UTC, 0, NULL, 0, 0,
	    NULL };
	const struct want conn = { CGN_EV_SESSION_CREATE, "10.1.1.5", 51000,
	    "203.0.113.9", 40001, 40001, 6, t, CGN_TS_UTC, 0, "198.51.100.1",
	    443, 0, NULL };
	const struct want ic = { CGN_EV_SESSION_DELETE, "10.1.1.5", 7,
	    "203.0.113.9", 33, 33, 1, t, CGN_TS_UTC, 0, "198.51.100.1", 0, 0,
	    NULL };
	const struct want addr = { CGN_EV_ADDR_ALLOC, "10.1.1.6", 0,
	    "203.0.113.10", 0, 65535, 0, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL };

	(void)state;
	expect_events("<166>Jun 30 2026 12:00:00: %ASA-6-305014: Allocated TCP"
	    " block of ports for translation from inside:10.1.1.5 to"
	    " outside:203.0.113.9/1024-1535.", RX_2026_07_01, NULL, &alloc, 1);
	expect_events("<166>Jun 30 2026 12:00:00: %ASA-6-305015: Released UDP"
	    " block of ports for translation from inside:10.1.1.5 to"
	    " outside:203.0.113.9/1024-1535.", RX_2026_07_01, NULL, &rel, 1);
	expect_events("<166>Jun 30 2026 12:00:00: %ASA-6-302013: Built"
	    " outbound TCP connection 42 for outside:198.51.100.1/443"
	    " (198.51.100.1/443) to inside:10.1.1.5/51000"
	    " (203.0.113.9/40001)", RX_2026_07_01, NULL, &conn, 1);
	expect_events("<166>Jun 30 2026 12:00:00: %ASA-6-302021: Teardown ICMP"
	    " connection for faddr 198.51.100.1/0 gaddr 203.0.113.9/33 laddr"
	    " 10.1.1.5/7", RX_2026_07_01, NULL, &ic, 1);
	expect_events("<166>Jun 30 2026 12:00:00: %ASA-6-305011: Built dynamic"
	    " translation from inside:10.1.1.6 to outside:203.0.113.10",
	    RX_2026_07_01, NULL, &addr, 1);
}

static void
asa_nat_irrelevant_lines_are_ok_without_events(void **state)
{
	static const char *const t[] = {
		"<166>Jun 30 2026 12:00:00: %ASA-6-305011: Built static TCP"
		    " translation from inside:10.1.1.5/80 to"
		    " outside:10.1.1.5/80",
		"<166>Jun 30 2026 12:00:00: %ASA-6-305011: Built dynamic"
		    " translation from inside:10.1.1.6 to outside:10.1.1.6",
		"<164>Aug 28 2022 19:34:14: %ASA-4-106023: Deny tcp src"
		    " outside:192.0.2.1/63659 dst dmz-1:192.0.2.2/8827 by"
		    " access-group \"outside_access_in\" [0x0, 0x0]",
		"<166>Jun 30 2026 12:00:00: %ASA-6-302014: Teardown TCP"
		    " connection 11749 for outside:100.66.211.242/80 to"
		    " inside:172.31.98.44/1758 duration 0:01:07 bytes 38110",
		"<166>Jun 30 2026 12:00:00: %FTD-6-302013: Built outbound TCP"
		    " connection 1 for outside:192.0.2.1/80 (192.0.2.1/80) to"
		    " inside:10.0.0.1/1000 (10.0.0.1/1000)",
	};

	(void)state;
	expect_rc(t, NELEM(t), CGN_OK);
}

static void
asa_broken_lines_are_malformed(void **state)
{
	static const char *const t[] = {
		"%ASA-6-305011: Built dynamic TCP translation from"
		    " inside:172.31.98.44/1772 to outside:100.66.98.44/82560",
		"%ASA-6-305011: Built dynamic TCP translation from"
		    " inside:172.31.98.44/1772 to outside:100.66.98.44",
		"%ASA-6-305011: Built dynamic TCP translation from"
		    " inside:172.31.98.444/1772 to outside:100.66.98.44/8256",
		"%ASA-6-305011: Built dynamic FOO translation from"
		    " inside:172.31.98.44/1772 to outside:100.66.98.44/8256",
		"%ASA-6-305011: Built dynamic TCP translation from"
		    " inside:172.31.98.44/1772",
		"%ASA-6-305012: Teardown dynamic TCP translation from"
		    " inside:172.31.98.44/1454 to outside:100.66.98.44/8267"
		    " duration 0:0x:30",
		"%ASA-6-305014: Allocated TCP block of ports for translation"
		    " from inside:10.1.1.5 to outside:203.0.113.9/1535-1024.",
		"%ASA-6-302013: Built outbound TCP connection 42 for"
		    " outside:198.51.100.1/443 (198.51.100.1/443) to"
		    " inside:10.1.1.5/51000",
		"%ASA-6-302020: Built outbound ICMP connection for faddr"
		    " 198.51.100.1/0 gaddr 203.0.113.9/33",
	};

	(void)state;
	expect_rc(t, NELEM(t), CGN_EMALFORMED);
	prefixes_are_survived(t[0]);
}

/* ---- A10 Thunder CGN --------------------------------------------------- */

/* 2025-05-02T11:34:56Z and the fixture's hundredths */
#define A10_T0 1746185696000LL

static void
a10_cef_fixture_every_line(void **state)
{
	static const struct want w[10] = {
		{ CGN_EV_PBA_ALLOC, "100.65.140.73", 0, "99.99.99.12", 22016,
		    22271, 17, A10_T0 + 870, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		{ CGN_EV_SESSION_CREATE, "100.65.161.0", 48856, "99.99.99.13",
		    48856, 48856, 1, A10_T0 + 4620, CGN_TS_UTC, 0, "8.8.8.8",
		    0, 0, NULL },
		{ CGN_EV_SESSION_DELETE, "100.65.150.5", 37892, "99.99.99.8",
		    37892, 37892, 1, A10_T0 + 4620, CGN_TS_UTC, 0, NULL, 0, 0,
		    NULL },
		{ CGN_EV_SESSION_DELETE, "100.65.154.17", 3637, "99.99.99.15",
		    3637, 3637, 1, A10_T0 + 4720, CGN_TS_UTC, 0, NULL, 0, 0,
		    NULL },
		{ CGN_EV_SESSION_CREATE, "100.65.154.17", 3638, "99.99.99.15",
		    3638, 3638, 1, A10_T0 + 4720, CGN_TS_UTC, 0, "1.1.1.1", 0,
		    0, NULL },
		{ CGN_EV_SESSION_DELETE, "100.65.154.17", 3638, "99.99.99.15",
		    3638, 3638, 1, A10_T0 + 4720, CGN_TS_UTC, 0, NULL, 0, 0,
		    NULL },
		{ CGN_EV_SESSION_CREATE, "100.65.189.8", 56026, "99.99.99.12",
		    56026, 56026, 1, A10_T0 + 4780, CGN_TS_UTC, 0, "8.8.8.8",
		    0, 0, NULL },
		{ CGN_EV_SESSION_CREATE, "100.65.161.188", 44035,
		    "99.99.99.9", 44035, 44035, 1, A10_T0 + 2710, CGN_TS_UTC,
		    0, "8.8.4.4", 0, 0, NULL },
		{ CGN_EV_PBA_RELEASE, "100.65.140.73", 0, "99.99.99.12", 22016,
		    22271, 17, A10_T0 + 4870, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		/* out of order in the file: 11:34:59.11 */
		{ CGN_EV_SESSION_CREATE, "100.65.250.67", 735, "99.99.99.9",
		    20209, 20209, 1, A10_T0 + 3110, CGN_TS_UTC, 0, "8.8.4.4",
		    0, 0, NULL },
	};
	struct fx f;
	struct sink sk;
	size_t i;

	(void)state;
	fx_open("a10_thunder_cgn_cef.log", 10, &f);
	for (i = 0; i < f.n; i++) {
		assert_int_equal(fx_parse(&f, i, RX_2026_07_01, NULL, &sk),
		    CGN_OK);
		assert_int_equal(sk.n, 1);
		check(&sk.ev[0], &w[i]);
	}
	fx_close(&f);
}

/* Plain ACOS forms as the cgn-ec consumer's A10 patterns document them
 * (formats.md 2.3), and the port-batch-v2 line an operator quoted in
 * akvorado issue #1444 (addresses masked there; ours filled in). */
static void
a10_plain_documented_forms(void **state)
{
	const struct want nat = { CGN_EV_SESSION_CREATE, "100.100.100.100",
	    10000, "150.150.150.150", 10000, 10000, 17, RX_2026_07_01,
	    CGN_TS_RX, 0, NULL, 0, 0, NULL };
	const struct want sess = { CGN_EV_SESSION_DELETE, "10.1.1.2", 40000,
	    "203.0.113.5", 20001, 20001, 6, RX_2026_07_01, CGN_TS_RX, 0,
	    "198.51.100.9", 443, 0, NULL };
	const struct want fixed = { CGN_EV_PBA_ALLOC, "10.10.10.172", 0,
	    "192.168.9.173", 3000, 4000, 0, RX_2026_07_01, CGN_TS_RX, 0, NULL,
	    0, 0, NULL };
	/* Oct 12 09:04:54 in 2026 (the receive year), no zone: UTC */
	const struct want batch = { CGN_EV_PBA_ALLOC, "100.121.3.4", 0,
	    "62.45.6.7", 23041, 23552, 0, 1791795894000LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };

	(void)state;
	expect_events("NAT-UDP-C: 100.100.100.100:10000 -> 150.150.150.150:"
	    " 10000", RX_2026_07_01, NULL, &nat, 1);
	expect_events("NAT-TCP-D: 10.1.1.2:40000<->198.51.100.9:443,"
	    " 198.51.100.9:443<-->203.0.113.5:20001", RX_2026_07_01, NULL,
	    &sess, 1);
	expect_events("FIXED-NAT-PORTS 10.10.10.172->192.168.9.173:3000-4000",
	    RX_2026_07_01, NULL, &fixed, 1);
	expect_events("Oct 12 09:04:54 PortBatchV2Allocated: [100.121.3.4"
	    " 62.45.6.7 23041 23552]", 1791795900000LL, NULL, &batch, 1);
}

static void
a10_irrelevant_and_broken_lines(void **state)
{
	static const char *const ok[] = {
		"NAT-TCP-U: 10.1.1.2:40000 -> 203.0.113.5:20001",
		"2025-05-02T11:34:56.87+00:00 10.254.254.57 cgn0  CEF:0|A10|"
		    "CFW|6.0.0-P1|CGN 120|Nat Pool Threshold|5|proto=UDP",
		"NAT-TCP-C: 10.1.1.2:40000 -> 10.1.1.2:40000",
	};
	static const char *const bad[] = {
		"CEF:0|A10|CFW|6.0.0-P1|CGN 106|Nat Port Batch Pool Allocated|"
		    "5|proto=UDP src=100.65.140.73 sourceTranslatedAddress="
		    "99.99.99.12 sourceTranslatedPort=22016 cn3=2201",
		"CEF:0|A10|CFW|6.0.0-P1|CGN 100|Nat Port Allocated|5|"
		    "proto=ICMP src=100.65.161.0 sourceTranslatedAddress="
		    "99.99.99.13 sourceTranslatedPort=48856",
		"CEF:0|A10|CFW|6.0.0-P1|CGN 100|Nat Port Allocated|5|"
		    "proto=XYZ src=100.65.161.0 spt=1 sourceTranslatedAddress="
		    "99.99.99.13 sourceTranslatedPort=48856",
		"NAT-TCP-C: 10.1.1.2:40000 => 203.0.113.5:20001",
		"NAT-TCP-X: 10.1.1.2:40000 -> 203.0.113.5:20001",
		"FIXED-NAT-PORTS 10.10.10.172->192.168.9.173:4000-3000",
		"PortBatchV2Allocated: [100.121.3.4 62.45.6.7 23041]",
	};
	static const char *const trunc[] = {
		"CEF:0|A10|CFW|6.0.0-P1|CGN 106|Nat Port Batch Pool",
	};

	(void)state;
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived(bad[0]);
	prefixes_are_survived("NAT-TCP-D: 10.1.1.2:40000<->198.51.100.9:443,"
	    " 198.51.100.9:443<-->203.0.113.5:20001");
}

/* ---- Juniper NetScreen ------------------------------------------------- */

static void
netscreen_fixture_every_line(void **state)
{
	/* start_time "2015-11-11 10:02:10", no zone configured: UTC */
	const struct want w = { CGN_EV_SESSION_CREATE, "74.168.138.252", 1732,
	    "1.255.20.1", 22041, 22041, 6, 1447236130000LL, CGN_TS_UTC, 0,
	    "1.244.136.50", 443, 0, NULL };
	struct fx f;
	struct sink sk;
	size_t i;

	(void)state;
	fx_open("juniper_netscreen_session.log", 4, &f);
	assert_int_equal(fx_parse(&f, 0, RX_2026_07_01, NULL, &sk), CGN_OK);
	assert_int_equal(sk.n, 1);
	check(&sk.ev[0], &w);
	for (i = 1; i < 4; i++) {	/* denied: nothing mapped */
		assert_int_equal(fx_parse(&f, i, RX_2026_07_01, NULL, &sk),
		    CGN_OK);
		assert_int_equal(sk.n, 0);
	}
	fx_close(&f);
}

/* ScreenOS traffic log at close (the fields of the fixture's line 1, with
 * reason "Close - TCP FIN" as ScreenOS 6 writes; values ours), in a device
 * zone of UTC+1. */
static void
netscreen_close_is_delete_at_start_plus_duration(void **state)
{
	const char *line = "Jun  2 14:53:31 fw1 isg1000: NetScreen"
	    " device_id=fw1 [Root]system-notification-00257(traffic):"
	    " start_time=\"2026-06-30 13:00:00\" duration=65 policy_id=2"
	    " service=https proto=6 src zone=Trust dst zone=Untrust"
	    " action=Permit sent=1 rcvd=2 src=10.0.0.7 dst=192.0.2.80"
	    " src_port=40000 dst_port=443 src-xlated ip=203.0.113.7"
	    " port=2222 dst-xlated ip=192.0.2.80 port=443 session_id=9"
	    " reason=Close - TCP FIN";
	/* 13:00:00 at +01:00 is 12:00:00Z */
	const struct want w = { CGN_EV_SESSION_DELETE, "10.0.0.7", 40000,
	    "203.0.113.7", 2222, 2222, 6, 1782820800000LL + 65000,
	    CGN_TS_LOCAL, 1782820800000LL, "192.0.2.80", 443, 0, NULL };
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("<+01>-1", &tz), CGN_OK);
	expect_events(line, RX_2026_07_01, tz, &w, 1);
	tz_free(tz);
}

static void
netscreen_broken_lines_are_malformed(void **state)
{
	static const char *const bad[] = {
		"NetScreen device_id=a [Root]system-notification-00257"
		    "(traffic): start_time=\"2015-11-11 10:02:10\" duration=0"
		    " proto=6 action=Permit src=74.168.138.252"
		    " dst=72.72.72.72 src_port=1732 dst_port=443 src-xlated"
		    " ip=1.255.20.1 port=220410 reason=Creation",
		"NetScreen device_id=a [Root]system-notification-00257"
		    "(traffic): start_time=\"2015-11-11 10:02\" duration=0"
		    " proto=6 action=Permit src=74.168.138.252"
		    " dst=72.72.72.72 src_port=1732 dst_port=443 src-xlated"
		    " ip=1.255.20.1 port=22041 reason=Creation",
		"NetScreen device_id=a [Root]system-notification-00257"
		    "(traffic): action=Permit src=74.168.138.252 src_port=1732"
		    " src-xlated ip=1.255.20.1 port=22041 reason=Creation",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[0]);
}

/* ---- NFWare and 6WIND -------------------------------------------------- */

static void
nfware_fixture_every_line(void **state)
{
	static const struct want w[4] = {
		{ CGN_EV_SESSION_CREATE, "10.0.0.1", 57938, "100.64.0.1",
		    28475, 28475, 6, RX_2026_07_01, CGN_TS_RX, 0,
		    "185.165.123.206", 443, 0, NULL },
		{ CGN_EV_ADDR_ALLOC, "10.0.0.1", 0, "100.64.0.1", 0, 65535, 0,
		    RX_2026_07_01, CGN_TS_RX, 0, NULL, 0, 0, NULL },
		{ CGN_EV_SESSION_CREATE, "10.0.0.1", 57938, "100.64.0.1",
		    28475, 28475, 6, RX_2026_07_01, CGN_TS_RX, 0, NULL, 0, 0,
		    NULL },
		{ CGN_EV_PBA_ALLOC, "10.0.0.1", 0, "100.64.0.1", 1024, 1535, 0,
		    RX_2026_07_01, CGN_TS_RX, 0, NULL, 0, 0, NULL },
	};
	struct fx f;
	struct sink sk;
	size_t i;

	(void)state;
	fx_open("nfware_cgnat.log", 4, &f);
	for (i = 0; i < 4; i++) {
		assert_int_equal(fx_parse(&f, i, RX_2026_07_01, NULL, &sk),
		    CGN_OK);
		assert_int_equal(sk.n, 1);
		check(&sk.ev[0], &w[i]);
	}
	fx_close(&f);
}

/* NFWare's "D" (delete) with a VRF and a header, per the same pattern
 * set; values ours. */
static void
nfware_delete_with_vrf_and_header(void **state)
{
	const struct want w = { CGN_EV_PBA_RELEASE, "10.0.0.1", 0,
	    "100.64.0.1", 1024, 1535, 0, 1782820800000LL, CGN_TS_UTC, 0, NULL,
	    0, 12, NULL };

	(void)state;
	expect_events("<134>Jun 30 12:00:00 vcgnat1 nfware: D VRF 12 INT"
	    " 10.0.0.1 EXT 100.64.0.1:1024-1535", RX_2026_07_01, NULL, &w, 1);
}

/* 6WIND fp-cgnat NEW CONN / DESTROY CONN as in the cgn-ec patterns
 * (formats.md 2.13). */
static void
sixwind_new_and_destroy_conn(void **state)
{
	const struct want cr = { CGN_EV_SESSION_CREATE, "10.0.0.1", 57938,
	    "100.64.0.1", 28475, 28475, 6, 1782820800000LL, CGN_TS_UTC, 0,
	    "185.165.123.206", 443, 0, NULL };
	struct want de = cr;

	(void)state;
	de.type = CGN_EV_SESSION_DELETE;
	expect_events("<134>Jun 30 12:00:00 r1 fp-cgnat[2484]: NEW CONN: fwd"
	    " proto 6 10.0.0.1:57938 -> 100.64.0.1:28475, back proto 6"
	    " 185.165.123.206:443 --> 100.64.0.1:28475", RX_2026_07_01, NULL,
	    &cr, 1);
	expect_events("<134>Jun 30 12:00:00 r1 fp-cgnat[2484]: DESTROY CONN:"
	    " fwd proto 6 10.0.0.1:57938 -> 100.64.0.1:28475, back proto 6"
	    " 185.165.123.206:443 --> 100.64.0.1:28475", RX_2026_07_01, NULL,
	    &de, 1);
}

static void
nfware_and_sixwind_broken_lines(void **state)
{
	static const char *const bad[] = {
		"A VRF x INT 10.0.0.1 EXT 100.64.0.1",
		"A VRF 0 6 INT 10.0.0.1 EXT 100.64.0.1:28475",
		"A VRF 0 INT 10.0.0.1 EXT 100.64.0.1:1535-1024",
		"A VRF 0 6 INT 10.0.0.1:57938 EXT 100.64.0.1:28475 DST",
		"fp-cgnat[1]: NEW CONN: fwd proto 6 10.0.0.1:57938 =>"
		    " 100.64.0.1:28475",
		"fp-cgnat[1]: NEW CONN: fwd proto 6 10.0.0.1 ->"
		    " 100.64.0.1:28475",
	};
	static const char *const trunc[] = {
		"A VRF 0 INT 10.0.0.1 EXT ",
		"A VRF 0 6 INT 10.0.0.1:57938 EXT ",
	};
	static const char *const ok[] = {
		"A VRF 0 INT 10.0.0.1 EXT 10.0.0.1",
		"fp-cgnat[1]: UPDATE CONN: fwd proto 6 10.0.0.1:1 ->"
		    " 100.64.0.1:2",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	expect_rc(ok, NELEM(ok), CGN_OK);
	prefixes_are_survived("A VRF 0 6 INT 10.0.0.1:57938 EXT"
	    " 100.64.0.1:28475 DST 185.165.123.206:443 DIR OUT");
}

/* ---- Cisco IOS XR CGN -------------------------------------------------- */

/* Cisco IOS XR CGN configuration guide, syslog chapter: record syntax
 * [Event L4 InsideIP VRF InsideIPv6 OutsideIP InsidePort FirstPort LastPort
 * DestIP DestPort], "-" when absent, several records per datagram, the
 * header's simplified "YYYY Mon DD hh:mm:ss" time. Values from the guide's
 * example (10.0.0.1, VRF Broadband, 100.1.1.1, 2048-3071), others ours. */
static void
cisco_xr_several_records_per_datagram(void **state)
{
	const char *line = "<134>1 2011 May 31 10:30:45 11.1.1.1 - - NAT44 -"
	    " [UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
	    "[UserbasedW - 10.0.0.2 Broadband - 100.1.1.1 - 3072 4095 - -]"
	    "[Portblockrunout - 10.0.0.4 Broadband - 100.1.1.1 - - - - -]"
	    "[SessionbasedAD 6 10.0.0.3 Broadband - 100.1.1.2 40000 1024 -"
	    " 192.0.2.9 80]";
	const int64_t t = 1306837845000LL;
	const struct want w[3] = {
		{ CGN_EV_PBA_ALLOC, "10.0.0.1", 0, "100.1.1.1", 2048, 3071, 0,
		    t, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		{ CGN_EV_PBA_RELEASE, "10.0.0.2", 0, "100.1.1.1", 3072, 4095,
		    0, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		{ CGN_EV_SESSION_CREATE, "10.0.0.3", 40000, "100.1.1.2", 1024,
		    1024, 6, t, CGN_TS_UTC, 0, "192.0.2.9", 80, 0, NULL },
	};

	(void)state;
	expect_events(line, RX_2026_07_01, NULL, w, 3);
}

static void
cisco_xr_broken_records_drop_the_whole_datagram(void **state)
{
	static const char *const bad[] = {
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 3071 2048 - -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 - - -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
		    "[UserbasedW - 10.0.0.x Broadband - 100.1.1.1 - 2048 3071"
		    " - -]",
	};
	static const char *const trunc[] = {
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
		    "[UserbasedW - 10.0.0.2 Broad",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived("<134>1 2011 May 31 10:30:45 11.1.1.1 - - NAT44 -"
	    " [UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
	    "[SessionbasedW 17 10.0.0.3 Broadband - 100.1.1.2 4 1024 - - -]");
}

/* ---- Cisco IOS / IOS XE ------------------------------------------------ */

/* ipSpace.net "NAT translation logging" (2008): %IPNAT-6-NAT_CREATED/
 * DELETED with proto, inside local, inside global, outside local, outside
 * global; the IOS "datetime msec show-timezone" stamp before the tag. */
static void
cisco_ios_nat_created_and_deleted(void **state)
{
	const struct want cr = { CGN_EV_SESSION_CREATE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 6, 1782820800503LL, CGN_TS_UTC, 0,
	    "10.17.3.2", 80, 0, NULL };
	const struct want de = { CGN_EV_SESSION_DELETE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 6, RX_2026_07_01, CGN_TS_RX, 0,
	    "10.17.3.2", 80, 0, NULL };

	(void)state;
	expect_events("<189>45: router1: *Jun 30 12:00:00.503 UTC:"
	    " %IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800"
	    " 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80", RX_2026_07_01,
	    NULL, &cr, 1);
	/* the blog's form: a time of day only, so the receive time */
	expect_events("12:18:47.751: %IPNAT-6-NAT_DELETED: Deleted tcp"
	    " 10.0.0.1:43800 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80",
	    RX_2026_07_01, NULL, &de, 1);
}

static void
cisco_ios_local_stamp_uses_device_zone_and_bad_lines(void **state)
{
	/* 14:00:00.503 CEST = 12:00:00.503Z */
	const struct want cr = { CGN_EV_SESSION_CREATE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 17, 1782820800503LL, CGN_TS_LOCAL, 0,
	    "10.17.3.2", 53, 0, NULL };
	static const char *const bad[] = {
		"%IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800"
		    " 10.17.3.32 192.168.0.1:80 10.17.3.2:80",
		"%IPNAT-6-NAT_CREATED: Created xyz 10.0.0.1:43800"
		    " 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80",
	};
	static const char *const trunc[] = {
		"%IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800",
	};
	static const char *const ok[] = {
		"%IPNAT-4-ADDR_ALLOC_FAILURE: Address allocation failed",
	};
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	expect_events("<189>46: r1: Jun 30 2026 14:00:00.503:"
	    " %IPNAT-6-CREATED: udp 10.0.0.1:43800 10.17.3.32:1024"
	    " 192.168.0.1:53 10.17.3.2:53", RX_2026_07_01, tz, &cr, 1);
	tz_free(tz);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	expect_rc(ok, NELEM(ok), CGN_OK);
}

/* ---- F5 BIG-IP LSN ----------------------------------------------------- */

/* techdocs.f5.com "Using CGNAT translation modes" (BIG-IP 15.0), NAPT log
 * examples: the same LSN_ADD in Splunk key=value, quoted-concatenated and
 * local tmm renderings, route domains, an IPv6 client "addr.port". */
static void
f5_documented_renderings(void **state)
{
	/* Mar 27 11:17:39 in 2026 (nearest the receive time), UTC */
	const int64_t t = 1774610259000LL;
	const struct want add = { CGN_EV_SESSION_CREATE, "10.10.10.1", 33950,
	    "5.5.5.1", 10000, 10000, 0, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL };
	struct want del = add, rd = add, v6 = add;
	struct want tmm = add;

	(void)state;
	del.type = CGN_EV_SESSION_DELETE;
	rd.inside_port = 59187;
	rd.vrf = 11;
	v6.inside = "2701:1:12:123:1234:432:43:100";
	v6.inside_port = 39900;
	tmm.ts = 1774610597000LL;	/* 11:23:17 */
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_ADD\","
	    "cli=\"10.10.10.1: 33950\",nat=\"5.5.5.1:10000\"", RX_2026_07_01,
	    NULL, &add, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 \"LSN_ADD\""
	    "\"10.10.10.1: 33950\"\"5.5.5.1:10000\"", RX_2026_07_01, NULL,
	    &add, 1);
	expect_events("Mar 27 11:23:17 localhost info tmm[32683]: \"LSN_ADD\""
	    "\"10.10.10.1:33950\"\"5.5.5.1:10000\"", RX_2026_07_01, NULL,
	    &tmm, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_DELETE\","
	    "cli=\"10.10.10.1: 33950\",nat=\"5.5.5.1:10000\"", RX_2026_07_01,
	    NULL, &del, 1);
	expect_events("Mar 27 11:17:39 10.10.21.200 lsn_event=\"LSN_ADD\","
	    "cli=\"10.10.10.1%11: 59187\",nat=\"5.5.5.1%22:10000\"",
	    RX_2026_07_01, NULL, &rd, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_ADD\","
	    "cli=\"2701: 1:12:123:1234:432:43:100.39900\","
	    "nat=\"5.5.5.1:10000\"", RX_2026_07_01, NULL, &v6, 1);
}

/* PBA mode (event names reconstructed, formats.md 2.4 [U]) and bad lines. */
static void
f5_port_blocks_and_bad_lines(void **state)
{
	const struct want pb = { CGN_EV_PBA_ALLOC, "10.10.10.1", 0, "5.5.5.1",
	    10000, 10511, 0, RX_2026_07_01, CGN_TS_RX, 0, NULL, 0, 0, NULL };
	static const char *const bad[] = {
		"lsn_event=\"LSN_ADD\",cli=\"10.10.10.1\",nat=\"5.5.5.1:10000\"",
		"lsn_event=\"LSN_ADD\",cli=\"10.10.10.1:1\"",
		"\"LSN_ADD\"\"10.10.10.1:1\"\"5.5.5.999:10000\"",
		"lsn_event=\"LSN_PB_ALLOCATED\",cli=\"10.10.10.1\","
		    "nat=\"5.5.5.1:10511-10000\"",
	};
	static const char *const ok[] = {
		"lsn_event=\"LSN_INBOUND_ADD\",cli=\"10.10.10.1:1\","
		    "nat=\"5.5.5.1:10000\"",
	};

	(void)state;
	expect_events("lsn_event=\"LSN_PB_ALLOCATED\",cli=\"10.10.10.1\","
	    "nat=\"5.5.5.1:10000-10511\"", RX_2026_07_01, NULL, &pb, 1);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(ok, NELEM(ok), CGN_OK);
	prefixes_are_survived("\"LSN_ADD\"\"10.10.10.1: 33950\""
	    "\"5.5.5.1:10000\"");
}

/* ---- Nokia SR OS ------------------------------------------------------- */

/* 7750 SR ISA/ESA guide "Syslog flow logging": 3164 header, "<prefix>:
 * <seq> NAT [<MDA>]:", several events per message, each "LSN44 SADD <Year>
 * <Mon> <Day> <hh:mm:ss:cs> <TZ>"; the fields after the time are our
 * reconstruction (see syslog_nokia.c). */
static void
nokia_flow_log_two_events_with_local_times(void **state)
{
	const char *line = "<134>Jun 30 14:00:01 192.0.2.1 TMNX: 1234 NAT"
	    " [1/1]: LSN44 SADD 2026 Jun 30 14:00:00:25 CEST TCP 10.1.1.2"
	    " 1024 203.0.113.5 4096 192.0.2.80 80 LSN44 SDEL 2026 Jun 30"
	    " 14:00:01:50 CEST UDP 10.1.1.3 5000 203.0.113.5 4097"
	    " 192.0.2.81 53";
	/* 14:00:00.25 CEST = 12:00:00.250Z */
	const struct want w[2] = {
		{ CGN_EV_SESSION_CREATE, "10.1.1.2", 1024, "203.0.113.5", 4096,
		    4096, 6, 1782820800250LL, CGN_TS_LOCAL, 0, "192.0.2.80",
		    80, 0, NULL },
		{ CGN_EV_SESSION_DELETE, "10.1.1.3", 5000, "203.0.113.5", 4097,
		    4097, 17, 1782820801500LL, CGN_TS_LOCAL, 0, "192.0.2.81",
		    53, 0, NULL },
	};
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	expect_events(line, RX_2026_07_01, tz, w, 2);
	tz_free(tz);
}

static void
nokia_utc_designator_block_event_and_bad_lines(void **state)
{
	const struct want utc = { CGN_EV_SESSION_CREATE, "10.1.1.2", 1024,
	    "203.0.113.5", 4096, 4096, 6, 1782820800250LL, CGN_TS_UTC, 0,
	    "192.0.2.80", 80, 0, NULL };
	const struct want blk = { CGN_EV_PBA_ALLOC, "10.1.1.2", 0,
	    "203.0.113.5", 2048, 2559, 0, RX_2026_07_01, CGN_TS_RX, 0, NULL,
	    0, 0, NULL };
	static const char *const bad[] = {
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SMOD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jux 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024",
	};
	static const char *const trunc[] = {
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30",
	};

	(void)state;
	expect_events("TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25"
	    " UTC TCP 10.1.1.2 1024 203.0.113.5 4096 192.0.2.80 80",
	    RX_2026_07_01, NULL, &utc, 1);
	expect_events("TMNX: 99 Base NAT-MINOR-tmnxNatPlBlockAllocationLsn-2012"
	    " [NAT]: Map 203.0.113.5 [2048-2559] MDA 1/1 -- 10.1.1.2 vprn1",
	    RX_2026_07_01, NULL, &blk, 1);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived("TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30"
	    " 12:00:00:25 UTC TCP 10.1.1.2 1024 203.0.113.5 4096 192.0.2.80"
	    " 80");
}

/* ---- Huawei and H3C ---------------------------------------------------- */

/* Huawei NetEngine 8000 F1A "CGN log" feature description, flow syslog
 * type3 examples (verbatim lines). */
static void
huawei_type3_flow_syslog_examples(void **state)
{
	const struct want a = { CGN_EV_SESSION_CREATE, "10.1.1.2", 0,
	    "172.16.1.1", 1025, 1025, 17, 1579259155000LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	/* 17:11:27 */
	const struct want n64 = { CGN_EV_SESSION_CREATE, "2001:db8:1::2:2", 0,
	    "10.11.11.100", 2048, 2048, 17, 1579281087000LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	struct want w = a;

	(void)state;
	w.type = CGN_EV_SESSION_DELETE;
	w.ts = 1579259163000LL;		/* 11:06:03 */
	expect_events("<134>1 2020 Jan 17 11:05:55 68.1.1.1 test -"
	    " NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 1025 -]",
	    RX_2026_07_01, NULL, &a, 1);
	expect_events("<134>1 2020 Jan 17 11:06:03 68.1.1.1 test -"
	    " NAT444:SessionbasedW [17 10.1.1.2 - 172.16.1.1 0 1025 -]",
	    RX_2026_07_01, NULL, &w, 1);
	expect_events("<134>1 2020 Jan 17 17:11:27 10.1.1.1 test -"
	    " NAT64:SessionbasedA [17 - 2001:DB8:1::2:2 10.11.11.100 0 2048"
	    " -]", RX_2026_07_01, NULL, &n64, 1);
}

/* HPE MSR router "Exporting NAT logs to the information center" example
 * (verbatim fields, one line as a syslog server stores it). */
static void
h3c_comware_session_log_created_and_over(void **state)
{
	const struct want cr = { CGN_EV_SESSION_CREATE, "192.168.1.6", 768,
	    "1.1.1.1", 12288, 12288, 1, 1120710003000LL, CGN_TS_UTC, 0,
	    "2.2.2.2", 768, 0, NULL };
	struct want over = cr;

	(void)state;
	over.type = CGN_EV_SESSION_DELETE;
	over.ts = 1120710009000LL;
	over.start = 1120710003000LL;
	expect_events("%@250005%Jul 7 04:20:04:72 2005 DeviceA USERLOG/7/NAT:"
	    " ICMP; 192.168.1.6:768--->1.1.1.1:12288; 2.2.2.2:768;"
	    " [2005/07/07 04:20:03-0000/00/00 00:00:00]; Operator 8: Data"
	    " flow created", RX_2026_07_01, NULL, &cr, 1);
	expect_events("%@250006%Jul 7 04:20:10:72 2005 DeviceA USERLOG/7/NAT:"
	    " ICMP; 192.168.1.6:768--->1.1.1.1:12288; 2.2.2.2:768;"
	    " [2005/07/07 04:20:03-2005/07/07 04:20:09]; Operator 1: Normal"
	    " over", RX_2026_07_01, NULL, &over, 1);
}

static void
huawei_h3c_bad_and_irrelevant_lines(void **state)
{
	static const char *const bad[] = {
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 70000 -]",
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 1025 - x]",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20:03-0000/00/00 00:00:00];"
		    " Operator 8: Data flow created",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20-0000/00/00 00:00:00];"
		    " Operator 8: Data flow created",
	};
	static const char *const trunc[] = {
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;",
	};
	static const char *const ok[] = {
		"NAT444:Portblockrunout [17 10.1.1.2 - 172.16.1.1 - - -]",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20:03-0000/00/00 00:00:00];"
		    " Operator 6: Active data flow timeout",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	expect_rc(ok, NELEM(ok), CGN_OK);
	prefixes_are_survived(bad[2]);
}

/* ---- FortiGate --------------------------------------------------------- */

/* FortiOS Log Message Reference: 22015 LOG_ID_IPPOOLPBA_CREATE (nat, saddr,
 * poolname, portbegin, portend), 22016 DEALLOCATE (+duration), traffic
 * logs (srcip, srcport, transip, transport, trandisp=snat). The line
 * shape is formats.md 2.7's [U]; values ours. */
static void
fortigate_pba_and_snat_traffic(void **state)
{
	const struct want cr = { CGN_EV_PBA_ALLOC, "100.64.12.34", 0,
	    "198.51.100.7", 20480, 20607, 0, 1718186694123LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	const struct want de = { CGN_EV_PBA_RELEASE, "100.64.12.34", 0,
	    "198.51.100.7", 20480, 20607, 0, 1718179494000LL, CGN_TS_UTC,
	    1718179494000LL - 3600000, NULL, 0, 0, NULL };
	const struct want tr = { CGN_EV_SESSION_DELETE, "10.0.0.7", 40000,
	    "203.0.113.7", 2222, 2222, 6, 1782828000000LL, CGN_TS_UTC,
	    1782828000000LL - 65000, "192.0.2.80", 443, 0, NULL };

	(void)state;
	/* eventtime in nanoseconds wins over date/time/tz */
	expect_events("<189>date=2024-06-12 time=10:04:54"
	    " eventtime=1718186694123456789 tz=\"+0200\" logid=\"0100022015\""
	    " type=\"event\" subtype=\"system\" level=\"notice\" vd=\"root\""
	    " logdesc=\"IP pool PBA created\" nat=198.51.100.7"
	    " saddr=\"100.64.12.34\" poolname=\"cgn-pool\" portbegin=20480"
	    " portend=20607", RX_2026_07_01, NULL, &cr, 1);
	/* no eventtime: date/time at tz +0200 */
	expect_events("date=2024-06-12 time=10:04:54 tz=\"+0200\""
	    " logid=\"0100022016\" type=\"event\" subtype=\"system\""
	    " nat=198.51.100.7 saddr=\"100.64.12.34\" poolname=\"cgn-pool\""
	    " portbegin=20480 portend=20607 duration=3600", RX_2026_07_01,
	    NULL, &de, 1);
	expect_events("date=2026-06-30 time=14:00:00 logid=\"0000000013\""
	    " type=\"traffic\" subtype=\"forward\" srcip=10.0.0.7"
	    " srcport=40000 dstip=192.0.2.80 dstport=443 proto=6"
	    " action=\"close\" trandisp=\"snat\" transip=203.0.113.7"
	    " transport=2222 duration=65", RX_2026_07_01, NULL, &tr, 1);
}

static void
fortigate_irrelevant_and_bad_lines(void **state)
{
	static const char *const ok[] = {
		"date=2026-06-30 time=14:00:00 logid=\"0000000013\""
		    " type=\"traffic\" srcip=10.0.0.7 srcport=40000"
		    " action=\"deny\" trandisp=\"noop\"",
		"date=2026-06-30 time=14:00:00 logid=\"0100032001\""
		    " type=\"event\" subtype=\"system\" logdesc=\"Admin login\"",
		"logid=\"0419016384\" type=\"utm\" subtype=\"ips\"",
	};
	static const char *const bad[] = {
		"logid=\"0100022015\" type=\"event\" nat=198.51.100.7"
		    " saddr=\"100.64.12.34\" portbegin=20607 portend=20480",
		"logid=\"0100022015\" type=\"event\" nat=198.51.100.7"
		    " saddr=\"100.64.12.34\" portbegin=20480",
		"date=2026-06-30 time=14:00 logid=\"0100022015\""
		    " type=\"event\" nat=198.51.100.7 saddr=\"100.64.12.34\""
		    " portbegin=20480 portend=20607",
		"logid=\"0000000013\" type=\"traffic\" srcip=10.0.0.7"
		    " srcport=40000 trandisp=\"snat\" transip=203.0.113.7"
		    " proto=6",
	};

	(void)state;
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[0]);
}

/* ---- Palo Alto --------------------------------------------------------- */

/* PAN-OS TRAFFIC syslog, default field order (Palo Alto "Traffic Log
 * Fields"); values ours. */
#define PAN_HEAD "<14>Jun 30 14:00:00 PA-VM 1,2026/06/30 14:00:00," \
	"007051000113358,TRAFFIC,"
#define PAN_MID ",2049,2026/06/30 14:00:00,10.0.0.7,192.0.2.80,"
#define PAN_TAIL ",192.0.2.80,\"rule, one\",,,ssl,vsys1,trust,untrust," \
	"ethernet1/2,ethernet1/1,fwd,2026/06/30 14:00:00,1234,1,40000,443," \
	"2222,443,0x400019,tcp,allow,5000,2000,3000,20,2026/06/30 13:58:55," \
	"65,any,0,8837,0x0,10.0.0.0-10.255.255.255,United States,0,12,8"

static void
paloalto_traffic_end_start_and_no_nat(void **state)
{
	const struct want end = { CGN_EV_SESSION_DELETE, "10.0.0.7", 40000,
	    "203.0.113.7", 2222, 2222, 6, 1782828000000LL, CGN_TS_UTC,
	    1782827935000LL, "192.0.2.80", 443, 0, NULL };
	struct want start = end;
	static const char *const ok[] = {
		PAN_HEAD "drop" PAN_MID "203.0.113.7" PAN_TAIL,
		PAN_HEAD "end" PAN_MID "0.0.0.0" PAN_TAIL,
		"<14>Jun 30 14:00:00 PA-VM 1,2026/06/30 14:00:00,0070510,"
		    "THREAT,url,2049,x",
	};
	static const char *const bad[] = {
		PAN_HEAD "end" PAN_MID "203.0.113.777" PAN_TAIL,
		"1,2026/06/30 14:00:00,007051000113358,TRAFFIC,end,2049,"
		    "2026/06/30 14:00,10.0.0.7,192.0.2.80,203.0.113.7"
		    PAN_TAIL,
	};
	static const char *const trunc[] = {
		"1,2026/06/30 14:00:00,007051000113358,TRAFFIC,end,2049,x,y",
	};

	(void)state;
	start.type = CGN_EV_SESSION_CREATE;
	start.ts = 1782827935000LL;	/* its Start Time */
	start.start = 0;
	expect_events(PAN_HEAD "end" PAN_MID "203.0.113.7" PAN_TAIL,
	    RX_2026_07_01, NULL, &end, 1);
	expect_events(PAN_HEAD "start" PAN_MID "203.0.113.7" PAN_TAIL,
	    RX_2026_07_01, NULL, &start, 1);
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived(PAN_HEAD "end" PAN_MID "203.0.113.7" PAN_TAIL);
}

/* ---- FD.io VPP --------------------------------------------------------- */

/* FDio/vpp src/plugins/nat/lib/nat_syslog.c: APP-NAME NAT, MSGID APMADD/
 * APMDEL (SD-ID napmap) and SADD/SDEL (nsess), parameters in its order. */
static void
vpp_apmadd_sdel_and_dslite(void **state)
{
	const int64_t t = 1782820800123LL;
	const struct want ap = { CGN_EV_SESSION_CREATE, "100.64.1.2", 53124,
	    "198.51.100.7", 20481, 20481, 6, t, CGN_TS_UTC, 0, NULL, 0, 7,
	    NULL };
	const struct want sd = { CGN_EV_SESSION_DELETE, "100.64.1.2", 53124,
	    "198.51.100.7", 20481, 20481, 17, t, CGN_TS_UTC, 0, "192.0.2.53",
	    53, 0, NULL };
	const struct want ds = { CGN_EV_SESSION_CREATE, "2001:db8::b4", 1000,
	    "198.51.100.7", 20482, 20482, 6, t, CGN_TS_UTC, 0, NULL, 0, 0,
	    "192.168.1.2" };

	(void)state;
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 APMADD"
	    " [napmap SSUBIX=\"0\" SVLAN=\"7\" IATYP=\"IPv4\""
	    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20481\" PROTO=\"6\"]",
	    RX_2026_07_01, NULL, &ap, 1);
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 SDEL"
	    " [nsess SSUBIX=\"0\" SVLAN=\"0\" IATYP=\"IPv4\""
	    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20481\" PROTO=\"17\""
	    " XDADDR=\"192.0.2.53\" XDPORT=\"53\"]", RX_2026_07_01, NULL, &sd,
	    1);
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 APMADD"
	    " [napmap SSUBIX=\"1\" SV6ENC=\"2001:db8::b4\" IATYP=\"IPv4\""
	    " ISADDR=\"192.168.1.2\" ISPORT=\"1000\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20482\" PROTO=\"6\"]",
	    RX_2026_07_01, NULL, &ds, 1);
}

static void
vpp_bad_lines(void **state)
{
	static const char *const bad[] = {
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 APMADD [napmap"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" PROTO=\"6\"]",
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 APMXXX [napmap"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" XSPORT=\"1\" PROTO=\"6\"]",
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 SADD [nsess"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" XSPORT=\"1\" PROTO=\"6\"]",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[2]);
}

/* ---- AT&T Vyatta / DANOS ----------------------------------------------- */

/* danos/vyatta-dataplane src/npf/cgnat/cgn_log_rte.c format strings
 * (PB_ALLOCATED, PB_RELEASED, SESSION_CREATE; times in microseconds). */
static void
vyatta_blocks_and_sessions_with_microsecond_times(void **state)
{
	const struct want al = { CGN_EV_PBA_ALLOC, "100.64.1.2", 0,
	    "198.51.100.7", 1024, 1151, 0, 1718186694123LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	const struct want re = { CGN_EV_PBA_RELEASE, "100.64.1.2", 0,
	    "198.51.100.7", 1024, 1151, 0, 1718190294654LL, CGN_TS_UTC,
	    1718186694123LL, NULL, 0, 0, NULL };
	const struct want se = { CGN_EV_SESSION_CREATE, "100.64.1.2", 53124,
	    "198.51.100.7", 1030, 1030, 6, 1718186694123LL, CGN_TS_UTC, 0,
	    "8.8.8.8", 443, 0, NULL };

	(void)state;
	expect_events("<133>Jun 12 10:04:54 vr1 dataplane[1]: CGNAT:"
	    " PB_ALLOCATED subs-addr=100.64.1.2 policy=POL1"
	    " pub-addr=198.51.100.7 pool=POOL1 port=1024-1151"
	    " start-time=1718186694123456", RX_2026_07_01, NULL, &al, 1);
	expect_events("CGNAT: PB_RELEASED subs-addr=100.64.1.2 policy=POL1"
	    " pub-addr=198.51.100.7 pool=POOL1 port=1024-1151"
	    " start-time=1718186694123456 end-time=1718190294654321",
	    RX_2026_07_01, NULL, &re, 1);
	expect_events("CGNAT: SESSION_CREATE ifname=dp0p1 session-id=12.1"
	    " proto=6 dir=out addr=100.64.1.2->8.8.8.8 port=53124->443"
	    " cgn-addr=198.51.100.7 cgn-port=1030 state=OP[1]"
	    " start-time=1718186694123456", RX_2026_07_01, NULL, &se, 1);
}

static void
vyatta_irrelevant_and_bad_lines(void **state)
{
	static const char *const ok[] = {
		"CGNAT: SESSION_CLEAR desc=\"clear\" count=1234 time=17181",
		"CGNAT: PB_FULL pub-addr=198.51.100.7 blocks=8/8",
		"CGNAT: SESSION_ACTIVE ifname=dp0p1 session-id=12.1 proto=6"
		    " dir=out addr=100.64.1.2->8.8.8.8 port=53124->443"
		    " cgn-addr=198.51.100.7 cgn-port=1030",
	};
	static const char *const bad[] = {
		"CGNAT: PB_ALLOCATED subs-addr=100.64.1.2 pub-addr=198.51.100.7"
		    " port=1151-1024 start-time=1718186694123456",
		"CGNAT: PB_ALLOCATED subs-addr=100.64.1.2 pub-addr=198.51.100.7"
		    " port=1024-1151 start-time=17x",
		"CGNAT: SESSION_CREATE proto=6 addr=100.64.1.2 port=53124->443"
		    " cgn-addr=198.51.100.7 cgn-port=1030",
	};

	(void)state;
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[0]);
}

/* ---- dispatch ---------------------------------------------------------- */

static void
lines_no_vendor_claims_are_unknown(void **state)
{
	static const char *const t[] = {
		"hello world",
		"<14>Jun 30 22:44:25 host sshd[1]: Accepted publickey",
		"<14>1 2026-11-28T10:15:03Z host app - - - hello",
		"Oct 10 2018 12:34:56 localhost kernel: eth0 link up",
		"<14>Jun 30 22:44:25 host app: NAT is on; ports 1024-2047",
		"<14>Jun 30 22:44:25 host app: the EXTERNAL link is up",
	};

	(void)state;
	expect_rc(t, NELEM(t), CGN_EUNKNOWN);
}

/* ---- main ------------------------------------------------------------- */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(asa_fixture_every_line),
		cmocka_unit_test(asa_fixture_lines_from_provenance),
		cmocka_unit_test(asa_local_header_time_uses_device_zone),
		cmocka_unit_test(asa_documented_blocks_connections_and_icmp),
		cmocka_unit_test(
		    asa_nat_irrelevant_lines_are_ok_without_events),
		cmocka_unit_test(asa_broken_lines_are_malformed),
		cmocka_unit_test(a10_cef_fixture_every_line),
		cmocka_unit_test(a10_plain_documented_forms),
		cmocka_unit_test(a10_irrelevant_and_broken_lines),
		cmocka_unit_test(netscreen_fixture_every_line),
		cmocka_unit_test(
		    netscreen_close_is_delete_at_start_plus_duration),
		cmocka_unit_test(netscreen_broken_lines_are_malformed),
		cmocka_unit_test(nfware_fixture_every_line),
		cmocka_unit_test(nfware_delete_with_vrf_and_header),
		cmocka_unit_test(sixwind_new_and_destroy_conn),
		cmocka_unit_test(nfware_and_sixwind_broken_lines),
		cmocka_unit_test(cisco_xr_several_records_per_datagram),
		cmocka_unit_test(
		    cisco_xr_broken_records_drop_the_whole_datagram),
		cmocka_unit_test(cisco_ios_nat_created_and_deleted),
		cmocka_unit_test(
		    cisco_ios_local_stamp_uses_device_zone_and_bad_lines),
		cmocka_unit_test(f5_documented_renderings),
		cmocka_unit_test(f5_port_blocks_and_bad_lines),
		cmocka_unit_test(nokia_flow_log_two_events_with_local_times),
		cmocka_unit_test(
		    nokia_utc_designator_block_event_and_bad_lines),
		cmocka_unit_test(huawei_type3_flow_syslog_examples),
		cmocka_unit_test(h3c_comware_session_log_created_and_over),
		cmocka_unit_test(huawei_h3c_bad_and_irrelevant_lines),
		cmocka_unit_test(fortigate_pba_and_snat_traffic),
		cmocka_unit_test(fortigate_irrelevant_and_bad_lines),
		cmocka_unit_test(paloalto_traffic_end_start_and_no_nat),
		cmocka_unit_test(vpp_apmadd_sdel_and_dslite),
		cmocka_unit_test(vpp_bad_lines),
		cmocka_unit_test(
		    vyatta_blocks_and_sessions_with_microsecond_times),
		cmocka_unit_test(vyatta_irrelevant_and_bad_lines),
		cmocka_unit_test(lines_no_vendor_claims_are_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
