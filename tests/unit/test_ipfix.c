/*
 * test_ipfix.c - unit tests for the IPFIX and NetFlow v9 parsers, the
 * template cache, the natEvent dictionaries and the frame decoder (pkt.c),
 * and every real netflow fixture.
 *
 * Messages are built byte by byte here (struct mb), so each test says
 * exactly what is on the wire; expected values are literals. Fixtures are
 * read from ../shared/fixtures/real at run time and skipped when absent.
 * Not here: sockets (e2e), tshark agreement (tests/e2e/ipfix_tshark.sh).
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
#include "pkt.h"

/* ---- helpers ---------------------------------------------------------- */

#define SINK_MAX 256

struct sink {
	int n;
	struct cgn_event ev[SINK_MAX];
	int stop_at;		/* emit() returns 99 at this count (0: never) */
};

static int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *sk = arg;

	if (sk->n < SINK_MAX)
		sk->ev[sk->n] = *ev;
	sk->n++;
	return sk->stop_at != 0 && sk->n == sk->stop_at ? 99 : 0;
}

/* A message being built. */
struct mb {
	uint8_t b[8192];
	size_t n;
	size_t set_at;		/* offset of the open set's header */
};

static void
put8(struct mb *m, unsigned v)
{
	m->b[m->n++] = (uint8_t)v;
}

static void
put16(struct mb *m, unsigned v)
{
	put8(m, v >> 8);
	put8(m, v & 255);
}

static void
put32(struct mb *m, uint32_t v)
{
	put16(m, v >> 16);
	put16(m, v & 0xffff);
}

static void
put64(struct mb *m, uint64_t v)
{
	put32(m, (uint32_t)(v >> 32));
	put32(m, (uint32_t)v);
}

static void
put_ip(struct mb *m, const char *s)
{
	unsigned a, b, c, d;

	assert_int_equal(sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d), 4);
	put8(m, a);
	put8(m, b);
	put8(m, c);
	put8(m, d);
}

static void
ipfix_start(struct mb *m, uint32_t export_s, uint32_t seq, uint32_t dom)
{
	memset(m, 0, sizeof(*m));
	put16(m, 10);
	put16(m, 0);		/* length: ipfix_end */
	put32(m, export_s);
	put32(m, seq);
	put32(m, dom);
}

static size_t
ipfix_end(struct mb *m)
{
	m->b[2] = (uint8_t)(m->n >> 8);
	m->b[3] = (uint8_t)m->n;
	return m->n;
}

static void
v9_start(struct mb *m, uint32_t export_s, uint32_t seq, uint32_t srcid)
{
	memset(m, 0, sizeof(*m));
	put16(m, 9);
	put16(m, 1);		/* count: not relied upon */
	put32(m, 100000);	/* sysUpTime */
	put32(m, export_s);
	put32(m, seq);
	put32(m, srcid);
}

static void
set_start(struct mb *m, unsigned id)
{
	m->set_at = m->n;
	put16(m, id);
	put16(m, 0);
}

static void
set_end(struct mb *m)
{
	size_t len = m->n - m->set_at;

	m->b[m->set_at + 2] = (uint8_t)(len >> 8);
	m->b[m->set_at + 3] = (uint8_t)len;
}

/* A template record: id, then (ie, len) pairs; in IPFIX an ie with bit
 * 15 takes the next value as its enterprise number (v9 has no such bit).
 * Ends at a 0 ie. */
static void
put_tmpl(struct mb *m, unsigned id, const uint32_t *f, int ipfix)
{
	size_t cnt = 0, i;

	for (i = 0; f[i] != 0; i += ipfix && (f[i] & 0x8000) ? 3 : 2)
		cnt++;
	put16(m, id);
	put16(m, (unsigned)cnt);
	for (i = 0; f[i] != 0; i += 2) {
		put16(m, f[i]);
		put16(m, f[i + 1]);
		if (ipfix && (f[i] & 0x8000))
			put32(m, f[++i + 1]);
	}
}

static void
put_template(struct mb *m, unsigned id, const uint32_t *f)
{
	put_tmpl(m, id, f, 1);
}

static void
put_template_v9(struct mb *m, unsigned id, const uint32_t *f)
{
	put_tmpl(m, id, f, 0);
}

#define EXPORTER 0xc0000201u	/* 192.0.2.1 */
#define RX_MS 1795860000000LL	/* 2026-11-28T10:00:00Z */
#define EXPORT_S 1795859999u	/* a second before */

static struct cgn_src src_a;

struct gaps {
	int n;
	char device[CGN_NAMELEN];
	int64_t from, to;
	uint64_t lost;
};

static void
gap_rec(void *arg, const char *device, int64_t from, int64_t to,
    uint64_t lost)
{
	struct gaps *g = arg;

	g->n++;
	snprintf(g->device, sizeof(g->device), "%s", device);
	g->from = from;
	g->to = to;
	g->lost = lost;
}

static int
setup(void **state)
{
	struct cgn_pstate *st;

	memset(&src_a, 0, sizeof(src_a));
	cgn_addr_v4(&src_a.exporter, EXPORTER);
	src_a.exporter_port = 40000;
	src_a.rx_ms = RX_MS;
	if (pstate_new(&st) != CGN_OK)
		return -1;
	*state = st;
	return 0;
}

static int
teardown(void **state)
{
	pstate_free(*state);
	return 0;
}

static int
parse(const struct cgn_parser *p, void *st, struct mb *m, size_t len,
    struct sink *sk)
{
	memset(sk, 0, sizeof(*sk));
	return p->parse(st, &src_a, m->b, len, sink_emit, sk);
}

static void
assert_addr(const struct cgn_addr *a, const char *want)
{
	char buf[CGN_ADDR_STRLEN];

	assert_string_equal(cgn_addr_fmt(a, buf, sizeof(buf)), want);
}

static struct cgn_pcounters
counters(void *st)
{
	struct cgn_pcounters c;

	pstate_counters(st, &c);
	return c;
}

/* RFC 8158 port block template (formats.md 1.7). */
static const uint32_t pba_fields[] = {
	323, 8, 230, 1, 8, 4, 225, 4, 361, 2, 362, 2, 363, 2, 364, 2, 234, 4,
	0
};

static void
put_pba(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    const char *out, unsigned lo, unsigned hi)
{
	put64(m, ms);
	put8(m, ev);
	put_ip(m, in);
	put_ip(m, out);
	put16(m, lo);
	put16(m, hi);
	put16(m, 1);
	put16(m, hi - lo + 1);
	put32(m, 7);
}

/* VPP's NAT44 session template (formats.md 1.7). */
static const uint32_t sess_fields[] = {
	323, 8, 230, 1, 8, 4, 225, 4, 4, 1, 7, 2, 227, 2, 234, 4, 0
};

static void
put_sess(struct mb *m, uint64_t ms, unsigned ev, const char *in,
    unsigned inport, const char *out, unsigned outport, unsigned proto)
{
	put64(m, ms);
	put8(m, ev);
	put_ip(m, in);
	put_ip(m, out);
	put8(m, proto);
	put16(m, inport);
	put16(m, outport);
	put32(m, 0);
}

/* A template message for id 256 (PBA) and 257 (session). */
static size_t
msg_templates(struct mb *m, uint32_t seq)
{
	ipfix_start(m, EXPORT_S, seq, 5);
	set_start(m, 2);
	put_template(m, 256, pba_fields);
	put_template(m, 257, sess_fields);
	set_end(m);
	return ipfix_end(m);
}

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

/* ---- real fixtures ------------------------------------------------------ */

static void
need_fixtures(void)
{
	if (fx_dir() == NULL) {
		print_message("# ../shared/fixtures/real not found (set "
		    "CGN_SHARED to the shared directory): skipped\n");
		skip();
	}
}

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

/* ---- frames (pkt.c) ----------------------------------------------------- */

static void
pkt_fixture_pcaps_decode_to_udp_payloads(void **state)
{
	uint8_t *buf;
	size_t len;
	struct pkt k;

	(void)state;
	need_fixtures();
	buf = (uint8_t *)fx_read("netflow/ipfix_nokia_bras_lsn.pcap", &len);
	assert_non_null(buf);
	/* 24-byte file header, 16-byte record header, then the frame */
	assert_true(len > 40);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, buf + 40,
	    (size_t)(buf[32] | buf[33] << 8), &k), CGN_OK);
	assert_int_equal(k.ipver, 4);
	assert_int_equal(k.proto, 17);
	assert_addr(&k.src, "192.0.2.1");
	assert_addr(&k.dst, "192.0.2.2");
	assert_int_equal(k.sport, 40000);
	assert_int_equal(k.dport, 4739);
	assert_int_equal(k.paylen, 152);
	assert_int_equal(k.payload[0], 0);
	assert_int_equal(k.payload[1], 10);
	free(buf);
}

/* An IPv4/UDP datagram with payload "abc". */
static size_t
udp4(uint8_t *p, size_t pad)
{
	static const uint8_t ip[] = { 0x45, 0, 0, 31, 0, 0, 0, 0, 64, 17, 0,
	    0, 10, 0, 0, 1, 10, 0, 0, 2, 0x13, 0x88, 0x12, 0x83, 0, 11, 0, 0,
	    'a', 'b', 'c' };

	memcpy(p, ip, sizeof(ip));
	memset(p + sizeof(ip), 0xee, pad);	/* Ethernet padding */
	return sizeof(ip) + pad;
}

static void
pkt_vlan_tags_sll_and_raw_frames(void **state)
{
	uint8_t f[128];
	struct pkt k;
	size_t n;

	(void)state;
	/* QinQ: 802.1ad tag 100, 802.1Q tag 200 */
	memset(f, 0, 12);
	memcpy(f + 12, "\x88\xa8\x00\x64\x81\x00\x00\xc8\x08\x00", 10);
	n = 22 + udp4(f + 22, 15);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f, n, &k), CGN_OK);
	assert_int_equal(k.nvlan, 2);
	assert_int_equal(k.vlan[0], 100);
	assert_int_equal(k.vlan[1], 200);
	assert_int_equal(k.sport, 5000);
	assert_int_equal(k.dport, 4739);
	assert_int_equal(k.paylen, 3);	/* not the padding */
	assert_memory_equal(k.payload, "abc", 3);
	/* Linux cooked: protocol at bytes 14-15 */
	memset(f, 0, 16);
	f[14] = 0x08;
	n = 16 + udp4(f + 16, 0);
	assert_int_equal(pkt_decode(PKT_LINK_LINUX_SLL, f, n, &k), CGN_OK);
	assert_addr(&k.dst, "10.0.0.2");
	assert_int_equal(k.paylen, 3);
	n = udp4(f, 0);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_OK);
	assert_int_equal(k.paylen, 3);
	/* cut inside the UDP header, inside the IP header */
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, 24, &k), CGN_ETRUNC);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, 10, &k), CGN_ETRUNC);
	/* a fragment: no transport */
	f[6] = 0x20;
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_OK);
	assert_int_equal(k.fragment, 1);
	assert_null(k.payload);
	assert_int_equal(pkt_decode(999, f, n, &k), CGN_EINVAL);
}

static void
pkt_ipv6_skips_extension_headers(void **state)
{
	uint8_t f[128];
	struct pkt k;

	(void)state;
	memset(f, 0, sizeof(f));
	f[0] = 0x60;
	f[5] = 8 + 8 + 3;	/* payload length */
	f[6] = 0;		/* hop-by-hop first */
	f[7] = 64;
	f[23] = 1;		/* ::1 -> ::2 */
	f[39] = 2;
	f[40] = 17;		/* hop-by-hop: next UDP, 8 bytes */
	memcpy(f + 48, "\x11\x11\x08\x07\x00\x0b\x00\x00" "abc", 11);
	assert_int_equal(pkt_decode(PKT_LINK_IPV6, f, 59, &k), CGN_OK);
	assert_int_equal(k.ipver, 6);
	assert_addr(&k.src, "::1");
	assert_int_equal(k.proto, 17);
	assert_int_equal(k.dport, 2055);
	assert_int_equal(k.paylen, 3);
	assert_memory_equal(k.payload, "abc", 3);
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
		T(ipfix_truncated_message_is_rejected_with_nothing_emitted),
		T(ipfix_set_longer_than_message_emits_nothing),
		T(ipfix_damaged_set_keeps_only_the_complete_sets_before_it),
		T(ipfix_bad_template_is_malformed),
		T(ipfix_emit_stop_is_returned),
		T(ipfix_sequence_gap_is_reported_with_its_time_span),
		T(ipfix_two_messages_in_one_buffer_are_both_read),
		T(nfv9_cisco_nel_create_delete_become_sessions),
		T(nfv9_bulk_port_allocation_without_protocol),
		T(nfv9_asa_old_nsel_ids_and_identity_nat),
		T(nfv9_flowset_framing_errors),
		T(detect_tells_ipfix_v9_and_text_apart),
		T(fixture_nokia_lsn_create_from_flow_start),
		T(fixture_asa_nsel_identity_nat_gives_no_mapping),
		T(fixture_plain_and_nat_column_flows_give_no_events),
		T(pkt_fixture_pcaps_decode_to_udp_payloads),
		T(pkt_vlan_tags_sll_and_raw_frames),
		T(pkt_ipv6_skips_extension_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
