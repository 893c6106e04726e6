/*
 * nflog.h - a Linux box as the CGN: NFLOG messages (nfnetlink_log) and
 * conntrack entries (nfnetlink_conntrack) to cgn_event. The pure part of
 * the nflog:// source and of DLT_NFLOG (239) captures.
 *
 * Input layouts, both as the kernel writes them:
 * - An NFLOG message: a 4-byte header (family, version, group in network
 *   order: struct nfgenmsg, which libpcap calls nflog_hdr), then NFULA_*
 *   attributes (16-bit length and type in host order, padded to 4 bytes;
 *   values in network order). This is one DLT_NFLOG packet, and a netlink
 *   message from the nflog socket without its struct nlmsghdr.
 * - A conntrack event: a whole ctnetlink message (nlmsghdr, nfgenmsg,
 *   CTA_* attributes), as a socket bound to the NEW/DESTROY groups reads.
 *   An NFULA_CT attribute carries the same CTA_* list.
 *
 * Three ways a mapping (inside ip:port -> public ip:port) is learned:
 * - NFULA_CT (the kernel attaches conntrack, NFULNL_CFG_F_CONNTRACK): one
 *   message holds the original and the reply tuple.
 * - Two rules: the same packet logged before SNAT (prefix "pre") and
 *   after it (prefix "post"), paired by what NAT leaves alone: protocol,
 *   destination address and port, IP id, length, TTL, TCP sequence and a
 *   digest of the rest of the L4 bytes. A heuristic; see nflog_pair.c.
 * - ctnetlink events: DESTROY gives SESSION_DELETE (the true end, which
 *   NFLOG never sees), NEW gives SESSION_CREATE.
 * Not here: sockets, kernel configuration (collector/nflog_in.c), link
 * layers (captures: collector/pcap_in.c).
 */
#ifndef NFLOG_H
#define NFLOG_H

#include "parser.h"

#define NFL_PREFIXLEN 64	/* longest prefix kept, with the NUL; the
				 * kernel allows 64 */

/* One direction of a connection. */
struct nfl_tuple {
	struct cgn_addr src, dst;
	uint16_t sport, dport;	/* ICMP echo: the identifier in both */
	uint8_t proto;
};

/* A conntrack entry as NFULA_CT or a ctnetlink message carries it. */
struct nfl_ct {
	struct nfl_tuple orig;	/* as the subscriber sent it */
	struct nfl_tuple reply;	/* as the far end answers: dst public */
	uint32_t status;	/* IPS_* bits, 0 if absent */
	uint32_t id;		/* CTA_ID, 0 if absent */
	int64_t start_ms;	/* CTA_TIMESTAMP (nf_conntrack_timestamp=1), */
	int64_t stop_ms;	/* UTC ms; 0 if absent */
	int have;		/* NFL_CT_* bits: what was present */
};

#define NFL_CT_ORIG	0x1
#define NFL_CT_REPLY	0x2

/* The logged packet: what NAT rewrites (source) and what it keeps. */
struct nfl_pkt {
	struct nfl_tuple t;
	uint32_t ipid;		/* IPv4 id; IPv6: the flow label */
	uint32_t seq;		/* TCP sequence number, else 0 */
	uint64_t digest;	/* L4 bytes NAT does not touch (not ports,
				 * not the checksum), and how many */
	uint16_t totlen;	/* IP total length (IPv6: + 40) */
	uint8_t ttl;		/* TTL / hop limit */
	uint8_t l4;		/* 1: ports and digest were decoded */
};

/* One NFLOG message. */
struct nfl_msg {
	uint8_t family;		/* AF_INET, AF_INET6 */
	uint16_t group;
	uint8_t hook;		/* NF_INET_*, 0xff if absent */
	char prefix[NFL_PREFIXLEN];	/* "" if none */
	int64_t ts_ms;		/* NFULA_TIMESTAMP, UTC ms; 0: absent (the
				 * kernel clears it on forwarded packets) */
	int has_pkt;		/* NFULA_PAYLOAD decoded into pkt */
	struct nfl_pkt pkt;
	int has_ct;		/* NFULA_CT decoded into ct */
	struct nfl_ct ct;
};

/* Decode one NFLOG message (the layout above). CGN_ETRUNC / CGN_EMALFORMED
 * when an attribute's length or a header is wrong; m is then undefined. */
int nfl_msg_decode(const uint8_t *buf, size_t len, struct nfl_msg *m);

/* Decode a CTA_* attribute list (the payload of NFULA_CT, or of a
 * ctnetlink message after its nfgenmsg). */
int nfl_ct_decode(const uint8_t *buf, size_t len, struct nfl_ct *ct);

/* Conntrack event kinds (nfl_ct_event_decode). */
enum nfl_ct_event {
	NFL_CT_EV_OTHER = 0,	/* an update, a dump entry: no event */
	NFL_CT_EV_NEW,
	NFL_CT_EV_DESTROY,
};

/* Decode a whole ctnetlink message; *kind says which event it is. */
int nfl_ct_event_decode(const uint8_t *buf, size_t len, int *kind,
    struct nfl_ct *ct);

/* Decode an IPv4 or IPv6 packet's headers as NFLOG logs them (the
 * payload may be cut short by the snap length: the digest covers what is
 * there). */
int nfl_pkt_decode(const uint8_t *buf, size_t len, struct nfl_pkt *p);

/*
 * The mapping a conntrack entry shows: inside = original source, public =
 * reply destination, dst = original destination. 1 if the entry was
 * source-NATed (the two differ) and ev was filled with type, proto,
 * addresses and ports (the caller sets times and device); 0 if not.
 */
int nfl_ct_mapping(const struct nfl_ct *ct, struct cgn_event *ev);

/* ---- pairing (two-rule mode), state in the caller's cgn_pstate -------- */

/* What the pairing saw; counters only grow. */
struct nfl_stats {
	uint64_t ct;		/* messages with NFULA_CT */
	uint64_t paired;	/* pre/post pairs: one event each */
	uint64_t unpaired;	/* pre or post messages whose other half
				 * never came within the window */
	uint64_t ambiguous;	/* messages that matched more than one
				 * candidate: no event, rather than a guess */
	uint64_t no_nat;	/* mapping equal on both sides: no event */
	uint64_t other;		/* another prefix, or no payload */
	uint64_t waiting;	/* now waiting for their other half */
};

/* Defaults of the two prefixes (the README's rules use them). */
#define NFL_PRE_DEFAULT "cgn-pre"
#define NFL_POST_DEFAULT "cgn-new"
#define NFL_WINDOW_MS 2000	/* a half waits this long for the other */

/* Set the two prefixes (NULL: default) of st's NFLOG pairing. */
int nfl_configure(struct cgn_pstate *st, const char *pre, const char *post);
/* Count halves older than now_ms - window as unpaired and forget them
 * (INT64_MAX: all of them, at the end of input). */
void nfl_expire(struct cgn_pstate *st, int64_t now_ms);
void nfl_stats_get(const struct cgn_pstate *st, struct nfl_stats *out);

/* The formats: "nflog" takes one NFLOG message, "nfct" one ctnetlink
 * message. Both need a device name in src->device (else "nflog"). */
extern const struct cgn_parser nfl_log_parser;
extern const struct cgn_parser nfl_ct_parser;

/* ---- private to parser/: the pairing table (nflog_pair.c) ------------- */

struct nfl_pair;

/* Free what the NFLOG formats keep in st (pstate_free calls it); st may
 * be NULL. */
void nfl_pstate_free(struct cgn_pstate *st);

#endif /* NFLOG_H */
