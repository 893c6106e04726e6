/*
 * pkt.h - decode one captured link-layer frame into its layers: link
 * (Ethernet with 802.1Q / QinQ tags, Linux cooked SLL and SLL2, raw IP),
 * network (IPv4, IPv6 with extension headers) and transport (UDP ports and
 * payload; TCP ports, sequence number, flags and data; for other protocols
 * where the transport header starts).
 *
 * Pure and bounds-checked: bytes in, a struct pkt out that points into
 * the caller's buffer. Used to read exports out of pcap files (replay,
 * pcap sources). Not here: reading pcap files (libpcap does), IP
 * reassembly, TCP streams.
 */
#ifndef PKT_H
#define PKT_H

#include <stddef.h>
#include <stdint.h>

#include "cgn.h"

/* Link types (pcap LINKTYPE_* values) pkt_decode() understands. */
#define PKT_LINK_NULL 0		/* BSD loopback: 4-byte family, host order */
#define PKT_LINK_ETHERNET 1
#define PKT_LINK_RAW 101	/* raw IPv4 or IPv6 */
#define PKT_LINK_LINUX_SLL 113
#define PKT_LINK_IPV4 228
#define PKT_LINK_IPV6 229
#define PKT_LINK_LINUX_SLL2 276

#define PKT_MAX_VLANS 2

/* A decoded frame. Pointers are into the frame given to pkt_decode(). */
struct pkt {
	int linktype;
	uint16_t ethertype;		/* of the network layer */
	uint16_t vlan[PKT_MAX_VLANS];	/* VLAN ids, outer first */
	int nvlan;
	int ipver;			/* 4 or 6; 0: not IP */
	struct cgn_addr src, dst;	/* network addresses */
	uint8_t proto;			/* IP protocol of the transport */
	uint8_t ttl;			/* TTL / hop limit */
	int fragment;			/* 1: part of a fragmented datagram:
					 * transport not decoded */
	const uint8_t *l3;		/* network header */
	size_t l3len;			/* to the end of the IP datagram */
	const uint8_t *l4;		/* transport header */
	size_t l4len;			/* to the end of the IP datagram */
	uint16_t sport, dport;		/* UDP (and TCP) ports */
	const uint8_t *payload;		/* UDP payload; NULL otherwise */
	size_t paylen;
	/* TCP (tcpreasm.c follows the streams) */
	uint32_t seq;			/* sequence number */
	uint8_t tcpflags;		/* FIN 0x01, SYN 0x02, RST 0x04 ... */
	const uint8_t *tcpdata;		/* the segment's data; NULL if not TCP */
	size_t tcplen;
};

/*
 * Decode frame (caplen bytes captured) of link type linktype. CGN_OK when
 * the frame was understood as far as it goes (a non-IP frame has ipver 0,
 * a fragment has fragment 1 and no transport); CGN_ETRUNC when a header is
 * cut short, CGN_EMALFORMED for impossible lengths, CGN_EINVAL for a link
 * type not listed above. A UDP payload is bounded by the UDP length, the
 * IP length and the capture, whichever is shortest.
 */
int pkt_decode(int linktype, const uint8_t *frame, size_t caplen,
    struct pkt *out);

#endif /* PKT_H */
