/*
 * pkt.c - one captured frame to its layers (see pkt.h).
 *
 * Every length is checked against what was captured before it is used;
 * the IP length (not the capture) ends the datagram, so Ethernet padding
 * never becomes payload. Not here: reassembly of IP fragments or TCP.
 */
#include <string.h>

#include "pkt.h"
#include "rd.h"

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_VLAN 0x8100		/* 802.1Q */
#define ETH_QINQ 0x88a8		/* 802.1ad */
#define ETH_QINQ_OLD 0x9100
#define MAX_TAGS 4		/* tags skipped before giving up */

#define IPP_HOPOPT 0
#define IPP_TCP 6
#define IPP_UDP 17
#define IPP_ROUTING 43
#define IPP_FRAGMENT 44
#define IPP_AH 51
#define IPP_DSTOPTS 60

/* A TCP segment (RFC 9293 3.1): its data is what follows the header and
 * options. A segment the capture cut short is CGN_ETRUNC: its data is
 * not all there, so a stream must treat it as a hole. */
static int
tcp(struct pkt *k)
{
	size_t doff = (size_t)(k->l4[12] >> 4) * 4, tot;

	k->seq = rd_get32(k->l4 + 4);
	k->tcpflags = k->l4[13];
	if (doff < 20)
		return CGN_EMALFORMED;
	if (doff > k->l4len)
		return CGN_ETRUNC;
	k->tcpdata = k->l4 + doff;
	k->tcplen = k->l4len - doff;
	tot = k->ipver == 4 ? rd_get16(k->l3 + 2) :
	    40 + (size_t)rd_get16(k->l3 + 4);
	return tot > k->l3len ? CGN_ETRUNC : CGN_OK;
}

/* UDP (RFC 768) or the ports of TCP. */
static int
transport(struct pkt *k)
{
	size_t ulen;

	if (k->proto != IPP_UDP && k->proto != IPP_TCP)
		return CGN_OK;
	if (k->l4len < (k->proto == IPP_UDP ? 8u : 20u))
		return CGN_ETRUNC;
	k->sport = rd_get16(k->l4);
	k->dport = rd_get16(k->l4 + 2);
	if (k->proto == IPP_TCP)
		return tcp(k);
	ulen = rd_get16(k->l4 + 4);
	if (ulen < 8)
		return CGN_EMALFORMED;
	k->payload = k->l4 + 8;
	k->paylen = ulen - 8;
	if (k->paylen > k->l4len - 8) {
		/* cut by the capture (snap length): what there is */
		k->paylen = k->l4len - 8;
		return CGN_ETRUNC;
	}
	return CGN_OK;
}

/* RFC 791 3.1. */
static int
ipv4(struct pkt *k, const uint8_t *p, size_t len)
{
	size_t ihl, tot;
	uint16_t frag;

	if (len < 20)
		return CGN_ETRUNC;
	if (p[0] >> 4 != 4)
		return CGN_EMALFORMED;
	ihl = (size_t)(p[0] & 15) * 4;
	tot = rd_get16(p + 2);
	if (ihl < 20 || tot < ihl)
		return CGN_EMALFORMED;
	if (len < ihl)
		return CGN_ETRUNC;
	k->ipver = 4;
	k->l3 = p;
	k->l3len = tot < len ? tot : len;
	k->ttl = p[8];
	k->proto = p[9];
	cgn_addr_v4(&k->src, rd_get32(p + 12));
	cgn_addr_v4(&k->dst, rd_get32(p + 16));
	frag = rd_get16(p + 6);
	if (frag & 0x3fff) {		/* MF, or an offset */
		k->fragment = 1;
		return CGN_OK;
	}
	k->l4 = p + ihl;
	k->l4len = k->l3len - ihl;
	return transport(k);
}

/* RFC 8200 3 and 4: the header chain up to the transport. */
static int
ipv6(struct pkt *k, const uint8_t *p, size_t len)
{
	size_t plen, off = 40, hl;
	uint8_t nh;

	if (len < 40)
		return CGN_ETRUNC;
	if (p[0] >> 4 != 6)
		return CGN_EMALFORMED;
	plen = rd_get16(p + 4);
	k->ipver = 6;
	k->l3 = p;
	k->l3len = 40 + plen < len ? 40 + plen : len;
	k->ttl = p[7];
	memcpy(k->src.b, p + 8, 16);
	memcpy(k->dst.b, p + 24, 16);
	nh = p[6];
	for (;;) {
		if (nh != IPP_HOPOPT && nh != IPP_ROUTING &&
		    nh != IPP_FRAGMENT && nh != IPP_DSTOPTS && nh != IPP_AH)
			break;
		if (k->l3len - off < 8)
			return CGN_ETRUNC;
		if (nh == IPP_FRAGMENT) {
			/* an offset or more fragments: not whole */
			if (rd_get16(p + off + 2) & 0xfff9) {
				k->proto = p[off];
				k->fragment = 1;
				return CGN_OK;
			}
			hl = 8;
		} else if (nh == IPP_AH) {
			hl = ((size_t)p[off + 1] + 2) * 4;
		} else {
			hl = ((size_t)p[off + 1] + 1) * 8;
		}
		if (k->l3len - off < hl)
			return CGN_ETRUNC;
		nh = p[off];
		off += hl;
	}
	k->proto = nh;
	k->l4 = p + off;
	k->l4len = k->l3len - off;
	return transport(k);
}

static int
network(struct pkt *k, uint16_t ethertype, const uint8_t *p, size_t len)
{
	k->ethertype = ethertype;
	if (ethertype == ETH_IPV4)
		return ipv4(k, p, len);
	if (ethertype == ETH_IPV6)
		return ipv6(k, p, len);
	return CGN_OK;		/* not IP: nothing more to say */
}

/* Ethernet II with any number (up to MAX_TAGS) of 802.1Q / 802.1ad tags. */
static int
ethernet(struct pkt *k, const uint8_t *p, size_t len)
{
	size_t off = 12;
	uint16_t type;
	int tags = 0;

	if (len < 14)
		return CGN_ETRUNC;
	type = rd_get16(p + off);
	off += 2;
	while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
		if (++tags > MAX_TAGS)
			return CGN_EMALFORMED;
		if (len - off < 4)
			return CGN_ETRUNC;
		if (k->nvlan < PKT_MAX_VLANS)
			k->vlan[k->nvlan++] = rd_get16(p + off) & 0x0fff;
		type = rd_get16(p + off + 2);
		off += 4;
	}
	return network(k, type, p + off, len - off);
}

/* IP with no link header: the version nibble says which. */
static int
raw_ip(struct pkt *k, const uint8_t *p, size_t len)
{
	if (len < 1)
		return CGN_ETRUNC;
	if (p[0] >> 4 == 4)
		return network(k, ETH_IPV4, p, len);
	if (p[0] >> 4 == 6)
		return network(k, ETH_IPV6, p, len);
	return CGN_EMALFORMED;
}

int
pkt_decode(int linktype, const uint8_t *p, size_t len, struct pkt *out)
{
	uint32_t fam;

	memset(out, 0, sizeof(*out));
	out->linktype = linktype;
	switch (linktype) {
	case PKT_LINK_ETHERNET:
		return ethernet(out, p, len);
	case PKT_LINK_RAW:
		return raw_ip(out, p, len);
	case PKT_LINK_IPV4:
		return network(out, ETH_IPV4, p, len);
	case PKT_LINK_IPV6:
		return network(out, ETH_IPV6, p, len);
	case PKT_LINK_LINUX_SLL:
		/* type, ARPHRD, address length, 8 address bytes, protocol */
		if (len < 16)
			return CGN_ETRUNC;
		return network(out, rd_get16(p + 14), p + 16, len - 16);
	case PKT_LINK_LINUX_SLL2:
		/* protocol, reserved, ifindex, ARPHRD, type, length, addr */
		if (len < 20)
			return CGN_ETRUNC;
		return network(out, rd_get16(p), p + 20, len - 20);
	case PKT_LINK_NULL:
		/* the family in the capturing host's byte order */
		if (len < 4)
			return CGN_ETRUNC;
		fam = (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		if (fam > 0xffff)	/* a big-endian host wrote it */
			fam = rd_get16(p + 2);
		if (fam == 2)
			return network(out, ETH_IPV4, p + 4, len - 4);
		if (fam == 24 || fam == 28 || fam == 30)
			return network(out, ETH_IPV6, p + 4, len - 4);
		return CGN_OK;
	default:
		return CGN_EINVAL;
	}
}
