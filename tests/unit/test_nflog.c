/*
 * test_nflog.c - the NFLOG / conntrack decoders and the "nflog" and "nfct"
 * formats, without a kernel.
 *
 * Conntrack attribute lists are built by libnetfilter_conntrack
 * (nfct_nlmsg_build), the library the kernel's own tools use, so our
 * decoder is checked against an independent encoder, and its results
 * against the library's nfct_payload_parse. NFLOG messages are put
 * together attribute by attribute as nfnetlink_log writes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_log.h>

#include "nflog.h"

/* ---- building inputs -------------------------------------------------- */

struct msg {
	uint8_t b[4096];
	size_t n;
};

/* One attribute: header in host order, padded to 4 (netlink(7)). */
static void
put(struct msg *m, uint16_t type, const void *v, size_t len)
{
	uint16_t l = (uint16_t)(4 + len);

	memcpy(m->b + m->n, &l, 2);
	memcpy(m->b + m->n + 2, &type, 2);
	memcpy(m->b + m->n + 4, v, len);
	m->n += (4 + len + 3) & ~(size_t)3;
}

/* nfgenmsg / nflog_hdr, then the packet header attribute. */
static void
nflog_start(struct msg *m, uint8_t family, uint8_t hook, const char *prefix)
{
	uint8_t ph[4] = { 0x08, 0x00, hook, 0 };

	memset(m, 0, sizeof(*m));
	m->b[0] = family;
	m->b[1] = 0;
	m->b[2] = 0;
	m->b[3] = 5;		/* group 5 */
	m->n = 4;
	put(m, NFULA_PACKET_HDR, ph, sizeof(ph));
	if (prefix != NULL)
		put(m, NFULA_PREFIX, prefix, strlen(prefix) + 1);
}

struct pkt {
	const char *src, *dst;
	uint16_t sport, dport;
	uint16_t id;
	uint8_t proto;
	uint32_t seq;
	const char *data;	/* UDP payload */
};

/* An IPv4 TCP SYN or UDP datagram as the log rule sees it. */
static size_t
ip4(uint8_t *b, const struct pkt *p)
{
	size_t l4 = p->proto == 6 ? 20 : 8 + (p->data ? strlen(p->data) : 0);
	uint32_t a;

	memset(b, 0, 20 + l4);
	b[0] = 0x45;
	b[2] = (uint8_t)((20 + l4) >> 8);
	b[3] = (uint8_t)(20 + l4);
	b[4] = (uint8_t)(p->id >> 8);
	b[5] = (uint8_t)p->id;
	b[6] = 0x40;		/* DF */
	b[8] = 63;
	b[9] = p->proto;
	a = inet_addr(p->src);
	memcpy(b + 12, &a, 4);
	a = inet_addr(p->dst);
	memcpy(b + 16, &a, 4);
	b[20] = (uint8_t)(p->sport >> 8);
	b[21] = (uint8_t)p->sport;
	b[22] = (uint8_t)(p->dport >> 8);
	b[23] = (uint8_t)p->dport;
	if (p->proto == 6) {
		b[24] = (uint8_t)(p->seq >> 24);
		b[25] = (uint8_t)(p->seq >> 16);
		b[26] = (uint8_t)(p->seq >> 8);
		b[27] = (uint8_t)p->seq;
		b[32] = 0x50;
		b[33] = 0x02;	/* SYN */
		b[36] = (uint8_t)(p->sport ^ 0x5a);	/* a checksum NAT
							 * would rewrite */
	} else {
		b[25] = (uint8_t)l4;
		b[26] = (uint8_t)p->sport;		/* checksum */
		if (p->data)
			memcpy(b + 28, p->data, strlen(p->data));
	}
	return 20 + l4;
}

static void
nflog_pkt(struct msg *m, const char *prefix, const struct pkt *p)
{
	uint8_t b[256];

	nflog_start(m, AF_INET, prefix && strcmp(prefix, "cgn-pre") == 0 ?
	    2 : 4, prefix);
	put(m, NFULA_PAYLOAD, b, ip4(b, p));
}

/* A conntrack entry built by libnetfilter_conntrack: the whole ctnetlink
 * message into out (type: IPCTNL_MSG_CT_*), returns its length. */
static size_t
ct_build(uint8_t *out, size_t cap, uint16_t type, const char *in,
    uint16_t inport, const char *pub, uint16_t pubport, const char *dst,
    uint16_t dport, uint8_t proto)
{
	struct nf_conntrack *ct = nfct_new();
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfh;

	assert_non_null(ct);
	memset(out, 0, cap);
	nfct_set_attr_u8(ct, ATTR_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_L4PROTO, proto);
	nfct_set_attr_u32(ct, ATTR_IPV4_SRC, inet_addr(in));
	nfct_set_attr_u32(ct, ATTR_IPV4_DST, inet_addr(dst));
	nfct_set_attr_u16(ct, ATTR_PORT_SRC, htons(inport));
	nfct_set_attr_u16(ct, ATTR_PORT_DST, htons(dport));
	nfct_set_attr_u8(ct, ATTR_REPL_L3PROTO, AF_INET);
	nfct_set_attr_u8(ct, ATTR_REPL_L4PROTO, proto);
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_SRC, inet_addr(dst));
	nfct_set_attr_u32(ct, ATTR_REPL_IPV4_DST, inet_addr(pub));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_SRC, htons(dport));
	nfct_set_attr_u16(ct, ATTR_REPL_PORT_DST, htons(pubport));
	nfct_set_attr_u32(ct, ATTR_STATUS, IPS_SRC_NAT | IPS_SRC_NAT_DONE |
	    IPS_CONFIRMED);
	nlh = mnl_nlmsg_put_header(out);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = type == IPCTNL_MSG_CT_NEW ?
	    NLM_F_CREATE | NLM_F_EXCL : 0;
	nfh = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfh));
	nfh->nfgen_family = AF_INET;
	nfh->version = NFNETLINK_V0;
	assert_int_equal(nfct_nlmsg_build(nlh, ct), 0);
	nfct_destroy(ct);
	return nlh->nlmsg_len;
}

/* CTA_TIMESTAMP {START, STOP} appended to a ctnetlink message, as the
 * kernel adds it with nf_conntrack_timestamp=1. */
static size_t
ct_add_timestamps(uint8_t *b, size_t n, uint64_t start_ns, uint64_t stop_ns)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)b;
	struct nlattr *nest;

	nest = mnl_attr_nest_start(nlh, CTA_TIMESTAMP);
	mnl_attr_put_u64(nlh, CTA_TIMESTAMP_START, htobe64(start_ns));
	if (stop_ns != 0)
		mnl_attr_put_u64(nlh, CTA_TIMESTAMP_STOP, htobe64(stop_ns));
	mnl_attr_nest_end(nlh, nest);
	(void)n;
	return nlh->nlmsg_len;
}

/* The CTA_* list of a ctnetlink message, as NFULA_CT carries it. */
static void
put_ct(struct msg *m, const uint8_t *ctmsg)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)ctmsg;

	put(m, NFULA_CT | NLA_F_NESTED, ctmsg + NLMSG_HDRLEN + 4,
	    nlh->nlmsg_len - NLMSG_HDRLEN - 4);
}

/* ---- collecting events ------------------------------------------------ */

struct sink {
	struct cgn_event ev[8];
	int n;
};

static int
sink_emit(void *arg, const struct cgn_event *ev)
{
	struct sink *s = arg;

	if (s->n < 8)
		s->ev[s->n] = *ev;
	s->n++;
	return 0;
}

static const char *
fmt(const struct cgn_addr *a)
{
	static char buf[4][CGN_ADDR_STRLEN];
	static int i;

	i = (i + 1) % 4;
	return cgn_addr_fmt(a, buf[i], sizeof(buf[i]));
}

static int
feed(const struct cgn_parser *p, struct cgn_pstate *st, int64_t rx,
    const void *buf, size_t len, struct sink *s)
{
	struct cgn_src src;

	memset(&src, 0, sizeof(src));
	src.rx_ms = rx;
	src.device = "linux-cgn";
	return p->parse(st, &src, buf, len, sink_emit, s);
}

/* Log p under prefix as NFLOG would and feed it to the parser at rx. */
static int
feed_pkt(struct cgn_pstate *st, int64_t rx, const char *prefix,
    const struct pkt *p, struct sink *s)
{
	struct msg m;

	nflog_pkt(&m, prefix, p);
	return feed(&nfl_log_parser, st, rx, m.b, m.n, s);
}

static int
setup(void **state)
{
	struct cgn_pstate *st;

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

#define RX 1795860000123LL	/* 2026-11-28T10:00:00.123Z */

/* ---- conntrack decoding ----------------------------------------------- */

static void
ct_decode_agrees_with_libnetfilter_conntrack(void **state)
{
	uint8_t b[1024];
	struct nf_conntrack *ref = nfct_new();
	struct nfl_ct ct;
	size_t n;

	(void)state;
	n = ct_build(b, sizeof(b), IPCTNL_MSG_CT_NEW, "100.64.0.3", 44122,
	    "203.0.113.4", 20044, "198.51.100.2", 8080, 6);
	assert_int_equal(nfl_ct_decode(b + NLMSG_HDRLEN + 4,
	    n - NLMSG_HDRLEN - 4, &ct), CGN_OK);
	assert_string_equal(fmt(&ct.orig.src), "100.64.0.3");
	assert_string_equal(fmt(&ct.orig.dst), "198.51.100.2");
	assert_int_equal(ct.orig.sport, 44122);
	assert_int_equal(ct.orig.dport, 8080);
	assert_int_equal(ct.orig.proto, 6);
	assert_string_equal(fmt(&ct.reply.src), "198.51.100.2");
	assert_string_equal(fmt(&ct.reply.dst), "203.0.113.4");
	assert_int_equal(ct.reply.sport, 8080);
	assert_int_equal(ct.reply.dport, 20044);
	assert_int_equal(ct.status & IPS_SRC_NAT, IPS_SRC_NAT);

	/* the library reads the same bytes the same way */
	assert_non_null(ref);
	assert_int_equal(nfct_payload_parse(b + NLMSG_HDRLEN + 4,
	    n - NLMSG_HDRLEN - 4, AF_INET, ref), 0);
	assert_int_equal(ntohs(nfct_get_attr_u16(ref, ATTR_PORT_SRC)),
	    ct.orig.sport);
	assert_int_equal(ntohs(nfct_get_attr_u16(ref, ATTR_REPL_PORT_DST)),
	    ct.reply.dport);
	assert_int_equal(nfct_get_attr_u32(ref, ATTR_REPL_IPV4_DST),
	    inet_addr("203.0.113.4"));
	nfct_destroy(ref);
}

static void
ct_decode_refuses_a_list_without_both_tuples(void **state)
{
	struct msg m = { .n = 0 };
	struct nfl_ct ct;
	uint32_t status = htonl(IPS_SRC_NAT);

	(void)state;
	put(&m, CTA_STATUS, &status, 4);
	assert_int_equal(nfl_ct_decode(m.b, m.n, &ct), CGN_EMALFORMED);
}

static void
ct_decode_refuses_an_attribute_longer_than_the_list(void **state)
{
	uint8_t b[1024];
	struct nfl_ct ct;
	size_t n;
	uint16_t bad;

	(void)state;
	n = ct_build(b, sizeof(b), IPCTNL_MSG_CT_NEW, "100.64.0.3", 1,
	    "203.0.113.4", 2, "198.51.100.2", 3, 17);
	/* cut inside the first attribute */
	assert_int_equal(nfl_ct_decode(b + NLMSG_HDRLEN + 4, 10, &ct),
	    CGN_ETRUNC);
	/* a length below the header's own */
	bad = 2;
	memcpy(b + NLMSG_HDRLEN + 4, &bad, 2);
	assert_int_equal(nfl_ct_decode(b + NLMSG_HDRLEN + 4,
	    n - NLMSG_HDRLEN - 4, &ct), CGN_EMALFORMED);
}

/* ---- NFLOG with conntrack attached ------------------------------------ */

static void
nflog_with_ct_gives_inside_and_public_in_one_message(void **state)
{
	struct pkt p = { "203.0.113.4", "198.51.100.2", 20044, 8080, 7, 6,
	    1000, NULL };
	uint8_t ctm[1024];
	struct msg m;
	struct sink s = { .n = 0 };

	ct_build(ctm, sizeof(ctm), IPCTNL_MSG_CT_NEW, "100.64.0.3", 44122,
	    "203.0.113.4", 20044, "198.51.100.2", 8080, 6);
	nflog_pkt(&m, "cgn-new", &p);
	put_ct(&m, ctm);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n, &s),
	    CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(s.ev[0].proto, 6);
	assert_string_equal(fmt(&s.ev[0].inside), "100.64.0.3");
	assert_int_equal(s.ev[0].inside_port, 44122);
	assert_string_equal(fmt(&s.ev[0].outside), "203.0.113.4");
	assert_int_equal(s.ev[0].port_lo, 20044);
	assert_int_equal(s.ev[0].port_hi, 20044);
	assert_string_equal(fmt(&s.ev[0].dst), "198.51.100.2");
	assert_int_equal(s.ev[0].dst_port, 8080);
	/* forwarded packets carry no NFULA_TIMESTAMP: receive time */
	assert_int_equal(s.ev[0].ts_ms, RX);
	assert_int_equal(s.ev[0].tsrc, CGN_TS_RX);
	assert_string_equal(s.ev[0].device, "linux-cgn");
}

static void
nflog_kernel_timestamp_is_the_event_time(void **state)
{
	struct pkt p = { "203.0.113.4", "198.51.100.2", 20044, 8080, 7, 6,
	    1000, NULL };
	uint8_t ctm[1024], ts[16] = { 0 };
	uint64_t sec = htobe64(1795860000), usec = htobe64(456789);
	struct msg m;
	struct sink s = { .n = 0 };

	memcpy(ts, &sec, 8);
	memcpy(ts + 8, &usec, 8);
	ct_build(ctm, sizeof(ctm), IPCTNL_MSG_CT_NEW, "100.64.0.3", 44122,
	    "203.0.113.4", 20044, "198.51.100.2", 8080, 6);
	nflog_pkt(&m, "cgn-new", &p);
	put(&m, NFULA_TIMESTAMP, ts, sizeof(ts));
	put_ct(&m, ctm);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n, &s),
	    CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].ts_ms, 1795860000456LL);
	assert_int_equal(s.ev[0].tsrc, CGN_TS_UTC);
	assert_int_equal(s.ev[0].rx_ms, RX);
}

static void
nflog_ct_without_nat_gives_no_event(void **state)
{
	struct pkt p = { "100.64.0.3", "198.51.100.2", 44122, 8080, 7, 6, 1,
	    NULL };
	uint8_t ctm[1024];
	struct msg m;
	struct sink s = { .n = 0 };
	struct nfl_stats ns;

	/* logged before SNAT: the reply tuple is not rewritten yet */
	ct_build(ctm, sizeof(ctm), IPCTNL_MSG_CT_NEW, "100.64.0.3", 44122,
	    "100.64.0.3", 44122, "198.51.100.2", 8080, 6);
	nflog_pkt(&m, "cgn-pre", &p);
	put_ct(&m, ctm);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n, &s),
	    CGN_OK);
	assert_int_equal(s.n, 0);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.ct, 1);
	assert_int_equal(ns.no_nat, 1);
}

/* ---- two-rule mode ---------------------------------------------------- */

static void
pair_pre_then_post_gives_one_mapping(void **state)
{
	struct pkt pre = { "100.64.0.2", "198.51.100.2", 37686, 9999, 0, 17,
	    0, "hello 1" };
	struct pkt post = pre;
	struct sink s = { .n = 0 };
	struct nfl_stats ns;

	post.src = "203.0.113.2";
	post.sport = 23001;
	assert_int_equal(feed_pkt(*state, RX, "cgn-pre", &pre, &s), CGN_OK);
	assert_int_equal(s.n, 0);
	assert_int_equal(feed_pkt(*state, RX + 1,
	    "cgn-new", &post, &s), CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(s.ev[0].proto, 17);
	assert_string_equal(fmt(&s.ev[0].inside), "100.64.0.2");
	assert_int_equal(s.ev[0].inside_port, 37686);
	assert_string_equal(fmt(&s.ev[0].outside), "203.0.113.2");
	assert_int_equal(s.ev[0].port_lo, 23001);
	assert_string_equal(fmt(&s.ev[0].dst), "198.51.100.2");
	assert_int_equal(s.ev[0].dst_port, 9999);
	assert_int_equal(s.ev[0].ts_ms, RX);	/* the first half's */
	assert_int_equal(s.ev[0].tsrc, CGN_TS_RX);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.paired, 1);
	assert_int_equal(ns.waiting, 0);
}

static void
pair_post_before_pre_pairs_too(void **state)
{
	struct pkt pre = { "100.64.0.4", "198.51.100.2", 50000, 8080, 4242, 6,
	    0xdeadbeef, NULL };
	struct pkt post = pre;
	struct sink s = { .n = 0 };

	post.src = "203.0.113.4";
	post.sport = 29999;
	assert_int_equal(feed_pkt(*state, RX, "cgn-new", &post, &s), 0);
	assert_int_equal(feed_pkt(*state, RX, "cgn-pre", &pre, &s), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(fmt(&s.ev[0].inside), "100.64.0.4");
	assert_int_equal(s.ev[0].inside_port, 50000);
	assert_string_equal(fmt(&s.ev[0].outside), "203.0.113.4");
	assert_int_equal(s.ev[0].port_lo, 29999);
}

static void
pair_crossed_udp_flows_with_ip_id_zero_pair_by_payload(void **state)
{
	/* unconnected UDP with DF sends IP id 0: the payload tells them
	 * apart */
	struct pkt a = { "100.64.0.2", "198.51.100.2", 40001, 9999, 0, 17, 0,
	    "query a" };
	struct pkt b = { "100.64.0.3", "198.51.100.2", 40002, 9999, 0, 17, 0,
	    "query b" };
	struct pkt pa = a, pb = b;
	struct sink s = { .n = 0 };

	pa.src = "203.0.113.2";
	pa.sport = 21000;
	pb.src = "203.0.113.3";
	pb.sport = 22000;
	feed_pkt(*state, RX, "cgn-pre", &a, &s);
	feed_pkt(*state, RX, "cgn-pre", &b, &s);
	feed_pkt(*state, RX, "cgn-new", &pb, &s);
	feed_pkt(*state, RX, "cgn-new", &pa, &s);
	assert_int_equal(s.n, 2);
	assert_string_equal(fmt(&s.ev[0].inside), "100.64.0.3");
	assert_int_equal(s.ev[0].port_lo, 22000);
	assert_string_equal(fmt(&s.ev[1].inside), "100.64.0.2");
	assert_int_equal(s.ev[1].port_lo, 21000);
}

static void
pair_two_identical_candidates_give_no_guess(void **state)
{
	struct pkt a = { "100.64.0.2", "198.51.100.2", 40001, 9999, 0, 17, 0,
	    "same" };
	struct pkt b = a, post = a;
	struct sink s = { .n = 0 };
	struct nfl_stats ns;

	b.src = "100.64.0.3";
	b.sport = 40002;
	post.src = "203.0.113.2";
	post.sport = 21000;
	feed_pkt(*state, RX, "cgn-pre", &a, &s);
	feed_pkt(*state, RX, "cgn-pre", &b, &s);
	assert_int_equal(feed_pkt(*state, RX, "cgn-new", &post, &s), CGN_OK);
	assert_int_equal(s.n, 0);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.ambiguous, 3);
	assert_int_equal(ns.paired, 0);
	assert_int_equal(ns.waiting, 0);
}

static void
pair_a_half_alone_expires_as_unpaired(void **state)
{
	struct pkt a = { "100.64.0.2", "198.51.100.2", 40001, 8080, 11, 6,
	    12345, NULL };
	struct pkt later = { "203.0.113.9", "198.51.100.2", 1, 8080, 12, 6,
	    999, NULL };
	struct sink s = { .n = 0 };
	struct nfl_stats ns;

	feed_pkt(*state, RX, "cgn-pre", &a, &s);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.waiting, 1);
	/* a message within the window leaves it waiting */
	feed_pkt(*state, RX + NFL_WINDOW_MS - 1, "cgn-new", &later, &s);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.unpaired, 0);
	nfl_expire(*state, RX + NFL_WINDOW_MS);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.unpaired, 1);
	assert_int_equal(ns.waiting, 1);	/* the later one */
	nfl_expire(*state, INT64_MAX);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.unpaired, 2);
	assert_int_equal(ns.waiting, 0);
	assert_int_equal(s.n, 0);
}

static void
pair_prefixes_come_from_the_configuration(void **state)
{
	struct pkt pre = { "100.64.0.2", "198.51.100.2", 1111, 53, 9, 17, 0,
	    "dns" };
	struct pkt post = pre;
	struct msg m;
	struct sink s = { .n = 0 };
	struct nfl_stats ns;

	post.src = "203.0.113.1";
	post.sport = 2222;
	assert_int_equal(nfl_configure(*state, "in", "out"), CGN_OK);
	nflog_pkt(&m, "cgn-pre", &pre);	/* now a stranger's prefix */
	feed(&nfl_log_parser, *state, RX, m.b, m.n, &s);
	nfl_stats_get(*state, &ns);
	assert_int_equal(ns.other, 1);
	feed_pkt(*state, RX, "in", &pre, &s);
	feed_pkt(*state, RX, "out", &post, &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].port_lo, 2222);
	assert_int_equal(nfl_configure(*state, "a-prefix-longer-than-the-"
	    "kernel-allows-which-is-sixty-four-bytes-in-all", NULL),
	    CGN_EINVAL);
}

static void
pair_icmp_echo_maps_the_identifier(void **state)
{
	uint8_t b[64] = { 0 };
	struct msg m;
	struct sink s = { .n = 0 };
	uint32_t a;
	int i;

	for (i = 0; i < 2; i++) {
		memset(b, 0, sizeof(b));
		b[0] = 0x45;
		b[3] = 36;
		b[5] = 77;	/* id */
		b[8] = 64;
		b[9] = 1;
		a = inet_addr(i == 0 ? "100.64.0.5" : "203.0.113.3");
		memcpy(b + 12, &a, 4);
		a = inet_addr("198.51.100.2");
		memcpy(b + 16, &a, 4);
		b[20] = 8;	/* echo request */
		b[22] = (uint8_t)(i == 0 ? 0x11 : 0x77);	/* checksum */
		b[24] = 0x12;	/* identifier: NAT rewrites it */
		b[25] = (uint8_t)(i == 0 ? 0x34 : 0x99);
		b[27] = 1;	/* sequence */
		memcpy(b + 28, "pingpong", 8);
		nflog_start(&m, AF_INET, i == 0 ? 2 : 4,
		    i == 0 ? "cgn-pre" : "cgn-new");
		put(&m, NFULA_PAYLOAD, b, 36);
		assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n,
		    &s), CGN_OK);
	}
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].proto, 1);
	assert_int_equal(s.ev[0].inside_port, 0x1234);
	assert_int_equal(s.ev[0].port_lo, 0x1299);
	assert_string_equal(fmt(&s.ev[0].outside), "203.0.113.3");
}

static void
pkt_ipv6_tcp_headers_are_decoded(void **state)
{
	uint8_t b[80] = { 0 };
	struct nfl_pkt p;

	(void)state;
	b[0] = 0x60;
	b[1] = 0x01;		/* flow label 0x1abcd */
	b[2] = 0xab;
	b[3] = 0xcd;
	b[5] = 20;		/* payload length */
	b[6] = 6;
	b[7] = 64;
	b[8] = 0x20;		/* 2001:db8::1 -> 2001:db8::2 */
	b[9] = 0x01;
	b[10] = 0x0d;
	b[11] = 0xb8;
	b[23] = 1;
	memcpy(b + 24, b + 8, 15);
	b[39] = 2;
	b[40] = 0x9c;		/* 40000 -> 443 */
	b[41] = 0x40;
	b[42] = 0x01;
	b[43] = 0xbb;
	b[44] = 0x01;		/* seq 0x01020304 */
	b[45] = 0x02;
	b[46] = 0x03;
	b[47] = 0x04;
	assert_int_equal(nfl_pkt_decode(b, 60, &p), CGN_OK);
	assert_int_equal(p.t.proto, 6);
	assert_string_equal(fmt(&p.t.src), "2001:db8::1");
	assert_string_equal(fmt(&p.t.dst), "2001:db8::2");
	assert_int_equal(p.t.sport, 40000);
	assert_int_equal(p.t.dport, 443);
	assert_int_equal(p.seq, 0x01020304);
	assert_int_equal(p.ipid, 0x1abcd);
	assert_int_equal(p.totlen, 60);
	assert_int_equal(p.ttl, 64);
	assert_int_equal(p.l4, 1);
	assert_int_equal(nfl_pkt_decode(b, 30, &p), CGN_ETRUNC);
}

/* ---- broken messages -------------------------------------------------- */

static void
nflog_truncated_or_bad_messages_are_refused_whole(void **state)
{
	struct pkt p = { "203.0.113.4", "198.51.100.2", 20044, 8080, 7, 6, 1,
	    NULL };
	uint8_t ctm[1024];
	struct msg m;
	struct sink s = { .n = 0 };
	uint16_t l;

	ct_build(ctm, sizeof(ctm), IPCTNL_MSG_CT_NEW, "100.64.0.3", 44122,
	    "203.0.113.4", 20044, "198.51.100.2", 8080, 6);
	nflog_pkt(&m, "cgn-new", &p);
	put_ct(&m, ctm);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n - 8, &s),
	    CGN_ETRUNC);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, 3, &s),
	    CGN_ETRUNC);
	m.b[1] = 1;		/* an unknown version */
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n, &s),
	    CGN_EMALFORMED);
	m.b[1] = 0;
	l = 3;			/* the first attribute's length < 4 */
	memcpy(m.b + 4, &l, 2);
	assert_int_equal(feed(&nfl_log_parser, *state, RX, m.b, m.n, &s),
	    CGN_EMALFORMED);
	assert_int_equal(s.n, 0);
}

static void
detect_tells_nflog_and_ctnetlink_from_text(void **state)
{
	struct pkt p = { "203.0.113.4", "198.51.100.2", 1, 2, 3, 17, 0, "x" };
	uint8_t ctm[1024];
	struct msg m;
	size_t n;

	(void)state;
	nflog_pkt(&m, "cgn-new", &p);
	assert_ptr_equal(parser_detect(m.b, m.n), &nfl_log_parser);
	n = ct_build(ctm, sizeof(ctm), IPCTNL_MSG_CT_DELETE, "100.64.0.3", 1,
	    "203.0.113.4", 2, "198.51.100.2", 3, 17);
	assert_ptr_equal(parser_detect(ctm, n), &nfl_ct_parser);
	assert_ptr_not_equal(parser_detect((const uint8_t *)"<14>x", 5),
	    &nfl_log_parser);
}

/* ---- ctnetlink events ------------------------------------------------- */

static void
nfct_destroy_is_a_session_delete_at_the_stop_time(void **state)
{
	uint8_t b[1024];
	struct sink s = { .n = 0 };
	size_t n;

	n = ct_build(b, sizeof(b), IPCTNL_MSG_CT_DELETE, "100.64.0.2", 37686,
	    "203.0.113.2", 25000, "198.51.100.2", 9999, 17);
	n = ct_add_timestamps(b, n, 1795860000000000000ULL,
	    1795860007250000000ULL);
	assert_int_equal(feed(&nfl_ct_parser, *state, RX, b, n, &s), CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, CGN_EV_SESSION_DELETE);
	assert_int_equal(s.ev[0].proto, 17);
	assert_string_equal(fmt(&s.ev[0].inside), "100.64.0.2");
	assert_int_equal(s.ev[0].inside_port, 37686);
	assert_string_equal(fmt(&s.ev[0].outside), "203.0.113.2");
	assert_int_equal(s.ev[0].port_lo, 25000);
	assert_int_equal(s.ev[0].ts_ms, 1795860007250LL);
	assert_int_equal(s.ev[0].start_ms, 1795860000000LL);
	assert_int_equal(s.ev[0].tsrc, CGN_TS_UTC);
}

static void
nfct_new_is_a_session_create_and_updates_are_ignored(void **state)
{
	uint8_t b[1024];
	struct sink s = { .n = 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)b;
	size_t n;

	n = ct_build(b, sizeof(b), IPCTNL_MSG_CT_NEW, "100.64.0.2", 37686,
	    "203.0.113.2", 25000, "198.51.100.2", 9999, 17);
	assert_int_equal(feed(&nfl_ct_parser, *state, RX, b, n, &s), CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, CGN_EV_SESSION_CREATE);
	assert_int_equal(s.ev[0].ts_ms, RX);	/* no timestamp: rx */
	assert_int_equal(s.ev[0].tsrc, CGN_TS_RX);
	nlh->nlmsg_flags = 0;	/* an update of an existing entry */
	assert_int_equal(feed(&nfl_ct_parser, *state, RX, b, n, &s), CGN_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(feed(&nfl_ct_parser, *state, RX, b, n - 4, &s),
	    CGN_ETRUNC);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ct_decode_agrees_with_libnetfilter_conntrack),
		cmocka_unit_test(ct_decode_refuses_a_list_without_both_tuples),
		cmocka_unit_test(
		    ct_decode_refuses_an_attribute_longer_than_the_list),
		cmocka_unit_test_setup_teardown(
		    nflog_with_ct_gives_inside_and_public_in_one_message,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    nflog_kernel_timestamp_is_the_event_time, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    nflog_ct_without_nat_gives_no_event, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    pair_pre_then_post_gives_one_mapping, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    pair_post_before_pre_pairs_too, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    pair_crossed_udp_flows_with_ip_id_zero_pair_by_payload,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    pair_two_identical_candidates_give_no_guess, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    pair_a_half_alone_expires_as_unpaired, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    pair_prefixes_come_from_the_configuration, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    pair_icmp_echo_maps_the_identifier, setup, teardown),
		cmocka_unit_test(pkt_ipv6_tcp_headers_are_decoded),
		cmocka_unit_test_setup_teardown(
		    nflog_truncated_or_bad_messages_are_refused_whole, setup,
		    teardown),
		cmocka_unit_test(detect_tells_nflog_and_ctnetlink_from_text),
		cmocka_unit_test_setup_teardown(
		    nfct_destroy_is_a_session_delete_at_the_stop_time, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    nfct_new_is_a_session_create_and_updates_are_ignored,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
