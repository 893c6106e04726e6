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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
