/*
 * nflog.c - decoding NFLOG messages, conntrack attribute lists and the
 * logged packet's headers (see nflog.h), and the "nfct" format (ctnetlink
 * events to SESSION_CREATE / SESSION_DELETE).
 *
 * Netlink attributes are read with their own bounds checks: a length
 * shorter than the header or longer than what is left is an error, never
 * a read past the buffer. Unknown attributes are skipped (newer kernels
 * add some). Not here: the pre/post pairing and the "nflog" format
 * (nflog_pair.c).
 */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_log.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nflog.h"
#include "rd.h"

#define NFL_ATTR_TYPE(t) ((t) & NLA_TYPE_MASK)	/* no NESTED/BYTEORDER */
#define NFL_MAX_SEC 100000000000ULL	/* past year 5000: not a time */

/* A walk over a list of netlink attributes. */
struct nla_it {
	const uint8_t *p, *end;
	int err;		/* CGN_OK, or why the walk stopped */
};

/* The next attribute, or 0 at the end or on error (it->err). Headers are
 * in host order, values in network order (netlink(7)). */
static int
nla_next(struct nla_it *it, uint16_t *type, const uint8_t **val,
    size_t *vlen)
{
	uint16_t l, t;
	size_t left = (size_t)(it->end - it->p), step;

	if (left == 0)
		return 0;
	if (left < NLA_HDRLEN) {
		it->err = CGN_ETRUNC;
		return 0;
	}
	memcpy(&l, it->p, 2);
	memcpy(&t, it->p + 2, 2);
	if (l < NLA_HDRLEN) {
		it->err = CGN_EMALFORMED;
		return 0;
	}
	if (l > left) {
		it->err = CGN_ETRUNC;
		return 0;
	}
	*type = NFL_ATTR_TYPE(t);
	*val = it->p + NLA_HDRLEN;
	*vlen = (size_t)l - NLA_HDRLEN;
	/* the last attribute's padding may be missing */
	step = NLA_ALIGN((size_t)l);
	it->p = step < left ? it->p + step : it->end;
	return 1;
}

static void
nla_init(struct nla_it *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->err = CGN_OK;
}

/* CTA_IP_* into t (RFC 791 / 8200 addresses, network order). */
static int
ct_ip(const uint8_t *buf, size_t len, struct nfl_tuple *t)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl;
	uint16_t ty;

	nla_init(&it, buf, len);
	while (nla_next(&it, &ty, &v, &vl)) {
		switch (ty) {
		case CTA_IP_V4_SRC:
		case CTA_IP_V4_DST:
			if (vl != 4)
				return CGN_EMALFORMED;
			cgn_addr_v4(ty == CTA_IP_V4_SRC ? &t->src : &t->dst,
			    rd_get32(v));
			break;
		case CTA_IP_V6_SRC:
		case CTA_IP_V6_DST:
			if (vl != 16)
				return CGN_EMALFORMED;
			memcpy((ty == CTA_IP_V6_SRC ? &t->src : &t->dst)->b,
			    v, 16);
			break;
		}
	}
	return it.err;
}

/* CTA_PROTO_* into t. */
static int
ct_proto(const uint8_t *buf, size_t len, struct nfl_tuple *t)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl;
	uint16_t ty, port;

	nla_init(&it, buf, len);
	while (nla_next(&it, &ty, &v, &vl)) {
		switch (ty) {
		case CTA_PROTO_NUM:
			if (vl < 1)
				return CGN_EMALFORMED;
			t->proto = v[0];
			break;
		case CTA_PROTO_SRC_PORT:
		case CTA_PROTO_DST_PORT:
		case CTA_PROTO_ICMP_ID:
		case CTA_PROTO_ICMPV6_ID:
			if (vl < 2)
				return CGN_EMALFORMED;
			port = rd_get16(v);
			if (ty == CTA_PROTO_DST_PORT) {
				t->dport = port;
			} else if (ty == CTA_PROTO_SRC_PORT) {
				t->sport = port;
			} else {	/* the echo id is both "ports" */
				t->sport = port;
				t->dport = port;
			}
			break;
		}
	}
	return it.err;
}

static int
ct_tuple(const uint8_t *buf, size_t len, struct nfl_tuple *t)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl;
	uint16_t ty;
	int rc;

	nla_init(&it, buf, len);
	while (nla_next(&it, &ty, &v, &vl)) {
		rc = CGN_OK;
		if (ty == CTA_TUPLE_IP)
			rc = ct_ip(v, vl, t);
		else if (ty == CTA_TUPLE_PROTO)
			rc = ct_proto(v, vl, t);
		if (rc != CGN_OK)
			return rc;
	}
	return it.err;
}

static int64_t
ns_to_ms(uint64_t ns)
{
	return (int64_t)(ns / 1000000u);
}

static int
ct_timestamp(const uint8_t *buf, size_t len, struct nfl_ct *ct)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl;
	uint16_t ty;

	nla_init(&it, buf, len);
	while (nla_next(&it, &ty, &v, &vl)) {
		if (ty != CTA_TIMESTAMP_START && ty != CTA_TIMESTAMP_STOP)
			continue;
		if (vl != 8)
			return CGN_EMALFORMED;
		if (ty == CTA_TIMESTAMP_START)
			ct->start_ms = ns_to_ms(rd_get64(v));
		else
			ct->stop_ms = ns_to_ms(rd_get64(v));
	}
	return it.err;
}

int
nfl_ct_decode(const uint8_t *buf, size_t len, struct nfl_ct *ct)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl;
	uint16_t ty;
	int rc;

	memset(ct, 0, sizeof(*ct));
	nla_init(&it, buf, len);
	while (nla_next(&it, &ty, &v, &vl)) {
		rc = CGN_OK;
		switch (ty) {
		case CTA_TUPLE_ORIG:
			rc = ct_tuple(v, vl, &ct->orig);
			ct->have |= NFL_CT_ORIG;
			break;
		case CTA_TUPLE_REPLY:
			rc = ct_tuple(v, vl, &ct->reply);
			ct->have |= NFL_CT_REPLY;
			break;
		case CTA_STATUS:
		case CTA_ID:
			if (vl != 4)
				return CGN_EMALFORMED;
			if (ty == CTA_STATUS)
				ct->status = rd_get32(v);
			else
				ct->id = rd_get32(v);
			break;
		case CTA_TIMESTAMP:
			rc = ct_timestamp(v, vl, ct);
			break;
		}
		if (rc != CGN_OK)
			return rc;
	}
	if (it.err != CGN_OK)
		return it.err;
	/* without both tuples there is no mapping to speak of */
	if ((ct->have & (NFL_CT_ORIG | NFL_CT_REPLY)) !=
	    (NFL_CT_ORIG | NFL_CT_REPLY))
		return CGN_EMALFORMED;
	return CGN_OK;
}

int
nfl_ct_mapping(const struct nfl_ct *ct, struct cgn_event *ev)
{
	if (cgn_addr_cmp(&ct->orig.src, &ct->reply.dst) == 0 &&
	    ct->orig.sport == ct->reply.dport)
		return 0;	/* not source-NATed: nothing to log */
	ev->type = CGN_EV_SESSION_CREATE;
	ev->proto = ct->orig.proto;
	ev->inside = ct->orig.src;
	ev->inside_port = ct->orig.sport;
	ev->outside = ct->reply.dst;
	ev->port_lo = ct->reply.dport;
	ev->port_hi = ct->reply.dport;
	ev->dst = ct->orig.dst;
	ev->dst_port = ct->orig.dport;
	return 1;
}

/* ---- the logged packet ------------------------------------------------ */

/* FNV-1a, 64 bit: a digest to compare, not a defence against anyone. */
static uint64_t
fnv(uint64_t h, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

/* Ports and the bytes NAT keeps, from the L4 header at l4 (n bytes
 * captured). The checksum is left out: SNAT rewrites it. */
static void
pkt_l4(struct nfl_pkt *p, const uint8_t *l4, size_t n)
{
	uint64_t h = FNV_INIT;
	size_t ck = 0, ckw = 0, from = 4;

	switch (p->t.proto) {
	case 6:			/* TCP, RFC 9293 3.1: checksum at 16 */
		if (n < 20)
			return;
		p->seq = rd_get32(l4 + 4);
		ck = 16;
		ckw = 2;
		break;
	case 17:		/* UDP, RFC 768: checksum at 6 */
	case 136:		/* UDP-Lite */
		if (n < 8)
			return;
		ck = 6;
		ckw = 2;
		break;
	case 1:			/* ICMP echo: NAT rewrites the id */
	case 58:
		if (n < 8)
			return;
		p->t.sport = p->t.dport = rd_get16(l4 + 4);
		h = fnv(h, l4, 2);	/* type and code */
		from = 6;
		ck = 2;
		ckw = 2;
		if (l4[0] != 8 && l4[0] != 0 && l4[0] != 128 && l4[0] != 129)
			p->t.sport = p->t.dport = 0;	/* no echo */
		h = fnv(h, l4 + from, n - from);
		p->digest = fnv(h, (const uint8_t *)&n, sizeof(n));
		p->l4 = 1;
		return;
	case 33:		/* DCCP, SCTP: ports first; their checksums */
	case 132:		/* cover the addresses, so only the length */
		if (n < 8)
			return;
		ck = from = n;
		break;
	default:
		return;
	}
	p->t.sport = rd_get16(l4);
	p->t.dport = rd_get16(l4 + 2);
	if (ckw > 0) {
		h = fnv(h, l4 + from, ck - from);
		from = ck + ckw;
	}
	h = fnv(h, l4 + from, n - from);
	p->digest = fnv(h, (const uint8_t *)&n, sizeof(n));
	p->l4 = 1;
}

/* Skip IPv6 extension headers (RFC 8200 4); *nh is the next header. 0 if
 * the packet is a non-first fragment or the headers are cut off. */
static size_t
v6_ext(const uint8_t *buf, size_t len, size_t off, uint8_t *nh)
{
	int n;

	for (n = 0; n < 8; n++) {
		switch (*nh) {
		case 0:		/* hop-by-hop */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (off + 8 > len)
				return 0;
			*nh = buf[off];
			off += ((size_t)buf[off + 1] + 1) * 8;
			break;
		case 44:	/* fragment: ports only in the first */
			if (off + 8 > len ||
			    (buf[off + 2] << 8 | (buf[off + 3] & 0xf8)) != 0)
				return 0;
			*nh = buf[off];
			off += 8;
			break;
		default:
			return off <= len ? off : 0;
		}
	}
	return 0;
}

int
nfl_pkt_decode(const uint8_t *buf, size_t len, struct nfl_pkt *p)
{
	struct rd r;
	size_t ihl, off;
	uint16_t frag;
	uint8_t nh;

	memset(p, 0, sizeof(*p));
	if (len < 1)
		return CGN_ETRUNC;
	rd_init(&r, buf, len);
	if (buf[0] >> 4 == 4) {		/* RFC 791 3.1 */
		ihl = (size_t)(rd_u8(&r) & 0x0f) * 4;
		rd_skip(&r, 1);
		p->totlen = rd_u16(&r);
		p->ipid = rd_u16(&r);
		frag = rd_u16(&r);
		p->ttl = rd_u8(&r);
		p->t.proto = rd_u8(&r);
		rd_skip(&r, 2);
		cgn_addr_v4(&p->t.src, rd_u32(&r));
		cgn_addr_v4(&p->t.dst, rd_u32(&r));
		if (r.short_read)
			return CGN_ETRUNC;
		if (ihl < 20)
			return CGN_EMALFORMED;
		if ((frag & 0x1fff) == 0 && ihl <= len)
			pkt_l4(p, buf + ihl, len - ihl);
		return CGN_OK;
	}
	if (buf[0] >> 4 == 6) {		/* RFC 8200 3 */
		p->ipid = rd_u32(&r) & 0xfffff;
		p->totlen = (uint16_t)(rd_u16(&r) + 40);
		nh = rd_u8(&r);
		p->ttl = rd_u8(&r);
		rd_bytes(&r, p->t.src.b, 16);
		rd_bytes(&r, p->t.dst.b, 16);
		if (r.short_read)
			return CGN_ETRUNC;
		if ((off = v6_ext(buf, len, 40, &nh)) != 0) {
			p->t.proto = nh;
			pkt_l4(p, buf + off, len - off);
		} else {
			p->t.proto = nh;
		}
		return CGN_OK;
	}
	return CGN_EMALFORMED;
}

/* ---- the NFLOG message ------------------------------------------------ */

int
nfl_msg_decode(const uint8_t *buf, size_t len, struct nfl_msg *m)
{
	struct nla_it it;
	const uint8_t *v;
	size_t vl, n;
	uint16_t ty;
	int rc;

	memset(m, 0, sizeof(*m));
	m->hook = 0xff;
	if (len < 4)
		return CGN_ETRUNC;
	m->family = buf[0];
	if (buf[1] != 0)		/* NFNETLINK_V0 */
		return CGN_EMALFORMED;
	m->group = rd_get16(buf + 2);
	nla_init(&it, buf + 4, len - 4);
	while (nla_next(&it, &ty, &v, &vl)) {
		rc = CGN_OK;
		switch (ty) {
		case NFULA_PACKET_HDR:	/* hw_protocol(2) hook pad */
			if (vl < 4)
				return CGN_EMALFORMED;
			m->hook = v[2];
			break;
		case NFULA_TIMESTAMP:	/* be64 sec, be64 usec */
			if (vl < 16 || rd_get64(v) > NFL_MAX_SEC)
				return CGN_EMALFORMED;
			m->ts_ms = (int64_t)rd_get64(v) * 1000 +
			    (int64_t)(rd_get64(v + 8) / 1000);
			break;
		case NFULA_PREFIX:	/* NUL-terminated */
			n = strnlen((const char *)v, vl);
			if (n >= sizeof(m->prefix))
				n = sizeof(m->prefix) - 1;
			memcpy(m->prefix, v, n);
			m->prefix[n] = '\0';
			break;
		case NFULA_PAYLOAD:
			if ((rc = nfl_pkt_decode(v, vl, &m->pkt)) == CGN_OK)
				m->has_pkt = 1;
			break;
		case NFULA_CT:
			if ((rc = nfl_ct_decode(v, vl, &m->ct)) == CGN_OK)
				m->has_ct = 1;
			break;
		}
		if (rc != CGN_OK)
			return rc;
	}
	return it.err;
}

/* ---- ctnetlink events: the "nfct" format ------------------------------ */

int
nfl_ct_event_decode(const uint8_t *buf, size_t len, int *kind,
    struct nfl_ct *ct)
{
	struct nlmsghdr nh;
	int rc;

	if (len < NLMSG_HDRLEN + 4)
		return CGN_ETRUNC;
	memcpy(&nh, buf, sizeof(nh));
	if (nh.nlmsg_len < NLMSG_HDRLEN + 4)
		return CGN_EMALFORMED;
	if (nh.nlmsg_len > len)
		return CGN_ETRUNC;
	if (NFNL_SUBSYS_ID(nh.nlmsg_type) != NFNL_SUBSYS_CTNETLINK)
		return CGN_EMALFORMED;
	if ((rc = nfl_ct_decode(buf + NLMSG_HDRLEN + 4,
	    nh.nlmsg_len - NLMSG_HDRLEN - 4, ct)) != CGN_OK)
		return rc;
	switch (NFNL_MSG_TYPE(nh.nlmsg_type)) {
	case IPCTNL_MSG_CT_NEW:	/* an update lacks CREATE */
		*kind = (nh.nlmsg_flags & NLM_F_CREATE) ? NFL_CT_EV_NEW :
		    NFL_CT_EV_OTHER;
		break;
	case IPCTNL_MSG_CT_DELETE:
		*kind = NFL_CT_EV_DESTROY;
		break;
	default:
		*kind = NFL_CT_EV_OTHER;
		break;
	}
	return CGN_OK;
}

static int
nfl_ct_detect(const uint8_t *buf, size_t len)
{
	struct nlmsghdr nh;

	if (len < NLMSG_HDRLEN + 4)
		return 0;
	memcpy(&nh, buf, sizeof(nh));
	return nh.nlmsg_len == len &&
	    NFNL_SUBSYS_ID(nh.nlmsg_type) == NFNL_SUBSYS_CTNETLINK &&
	    buf[NLMSG_HDRLEN + 1] == NFNETLINK_V0;
}

static int
nfl_ct_parse(struct cgn_pstate *st, const struct cgn_src *src,
    const uint8_t *buf, size_t len, cgn_emit_fn *emit, void *arg)
{
	struct cgn_event ev;
	struct nfl_ct ct;
	int kind, rc;

	(void)st;
	if ((rc = nfl_ct_event_decode(buf, len, &kind, &ct)) != CGN_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	if (kind == NFL_CT_EV_OTHER || !nfl_ct_mapping(&ct, &ev))
		return CGN_OK;
	ev.rx_ms = src->rx_ms;
	ev.tsrc = CGN_TS_UTC;	/* the kernel's clock: this very host */
	if (kind == NFL_CT_EV_DESTROY) {
		ev.type = CGN_EV_SESSION_DELETE;
		ev.ts_ms = ct.stop_ms;
		ev.start_ms = ct.start_ms;
	} else {
		ev.ts_ms = ct.start_ms;
	}
	if (ev.ts_ms == 0) {
		ev.ts_ms = src->rx_ms;
		ev.tsrc = CGN_TS_RX;
	}
	snprintf(ev.device, sizeof(ev.device), "%s",
	    src->device != NULL ? src->device : "nflog");
	return emit(arg, &ev);
}

const struct cgn_parser nfl_ct_parser = {
	.name = "nfct",
	.detect = nfl_ct_detect,
	.parse = nfl_ct_parse,
};
