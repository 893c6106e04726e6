/*
 * spool_rec.c - the compact spool record (see spool_rec.h): each message,
 * gap and event with only what it has.
 *
 * uv: an unsigned LEB128 varint (7 bits a byte, low bits first, at most
 * 10 bytes); sv(a, b): a - b, zigzag, as a uv (wrapping, so that any two
 * int64 round-trip); u8, u16: big-endian bytes; str: a uv length (below
 * CGN_NAMELEN) and the bytes, without the NUL.
 *
 *   uv nmsg, uv ngap, uv nev
 *   nmsg messages, each against the one before (the first: 0 and ""):
 *     sv(rx_ms, its rx_ms)
 *     sv(off, where its raw bytes ended)     0 when packed in order
 *     uv len
 *     sv(ev_first, where its events ended)   0 when packed in order
 *     uv ev_n
 *     uv 0: the device is its device, or n + 1 and the n bytes
 *   ngap gaps, each against the one before (the first: 0 and ""):
 *     sv(from_ms, its from_ms), sv(to_ms, from_ms), device as above
 *   nev events, each against its message (owner() below; none: 0, ""):
 *     u16 flags (F_ below), u8 four 2-bit address kinds (inside,
 *     inside_v4, outside, dst from the low bits: A_ below), u8 type
 *     F_RX    sv(rx_ms, the message's rx_ms)   absent: equal
 *     F_TS    sv(ts_ms, rx_ms)                 absent: equal
 *     F_START sv(start_ms, ts_ms)              absent: 0
 *     each address present: 4 bytes (IPv4-mapped) or 16, in that order
 *     F_IPORT u16 inside_port, F_PLO u16 port_lo (absent: 0),
 *     F_PHI u16 port_hi (absent: port_lo), F_DPORT u16 dst_port
 *     F_PROTO u8 proto, F_TSRC u8 tsrc, F_VRF uv vrf    absent: 0
 *     F_DEV   str device                       absent: the message's
 *     F_SUB   str subscriber                   absent: ""
 *
 * An IPv4 session event is about 28 bytes this way, against 232 in memory.
 * Not here: the record's frame and the raw bytes (spool.c).
 */
#include <stdlib.h>
#include <string.h>

#include "rd.h"
#include "spool_rec.h"

enum {
	F_RX = 1 << 0, F_TS = 1 << 1, F_START = 1 << 2, F_IPORT = 1 << 3,
	F_PLO = 1 << 4, F_PHI = 1 << 5, F_DPORT = 1 << 6, F_PROTO = 1 << 7,
	F_TSRC = 1 << 8, F_VRF = 1 << 9, F_DEV = 1 << 10, F_SUB = 1 << 11,
	F_ALL = (1 << 12) - 1
};

enum { A_NONE, A_V4, A_V6 };	/* an address kind; 3 is malformed */

#define UV_MAX 10			/* bytes of the longest uv */
#define STR_MAX (UV_MAX + CGN_NAMELEN)
#define MSG_MAX (5 * UV_MAX + STR_MAX)
#define GAP_MAX (2 * UV_MAX + STR_MAX)
#define EV_MAX (4 + 4 * UV_MAX + 4 * 16 + 4 * 2 + 2 + 2 * STR_MAX)
/* the fewest bytes each can take: counts claiming more are not believed */
#define MSG_MIN 6
#define GAP_MIN 3
#define EV_MIN 4

/* ---- encoding: into a buffer of spool_rec_bound() bytes ---------------- */

static uint8_t *
put_uv(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static uint8_t *
put_sv(uint8_t *p, int64_t a, int64_t b)
{
	uint64_t d = (uint64_t)a - (uint64_t)b;

	return put_uv(p, d << 1 ^ (0 - (d >> 63)));
}

static uint8_t *
put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

/* bias 1 leaves uv 0 for "as the one before" */
static uint8_t *
put_str(uint8_t *p, const char *s, uint64_t bias)
{
	size_t n = strnlen(s, CGN_NAMELEN - 1);

	p = put_uv(p, n + bias);
	memcpy(p, s, n);
	return p + n;
}

static int
same(const char *a, const char *b)
{
	return strncmp(a, b, CGN_NAMELEN - 1) == 0;
}

static int
addr_kind(const struct cgn_addr *a)
{
	if (cgn_addr_is_zero(a))
		return A_NONE;
	return cgn_addr_is_v4(a, NULL) ? A_V4 : A_V6;
}

/*
 * The message event i belongs to: events are in their messages' order,
 * so *m only moves forward. Encoder and decoder walk the same messages
 * alike, so they agree on it even for a batch built otherwise.
 */
static const struct bmsg *
owner(const struct batch *b, size_t i, size_t *m)
{
	while (*m < b->nmsg && i >= (uint64_t)b->msg[*m].ev_first +
	    b->msg[*m].ev_n)
		(*m)++;
	if (*m < b->nmsg && i >= b->msg[*m].ev_first)
		return &b->msg[*m];
	return NULL;
}

static uint8_t *
put_msg(uint8_t *p, const struct bmsg *m, const struct bmsg *prev)
{
	p = put_sv(p, m->rx_ms, prev ? prev->rx_ms : 0);
	p = put_sv(p, m->off, prev ? (int64_t)prev->off + prev->len : 0);
	p = put_uv(p, m->len);
	p = put_sv(p, m->ev_first, prev ? (int64_t)prev->ev_first +
	    prev->ev_n : 0);
	p = put_uv(p, m->ev_n);
	if (same(m->device, prev ? prev->device : ""))
		return put_uv(p, 0);
	return put_str(p, m->device, 1);
}

static uint8_t *
put_gap(uint8_t *p, const struct bgap *g, const struct bgap *prev)
{
	p = put_sv(p, g->from_ms, prev ? prev->from_ms : 0);
	p = put_sv(p, g->to_ms, g->from_ms);
	if (same(g->device, prev ? prev->device : ""))
		return put_uv(p, 0);
	return put_str(p, g->device, 1);
}

static uint8_t *
put_event(uint8_t *p, const struct cgn_event *e, const struct bmsg *m)
{
	const struct cgn_addr *a[4] = { &e->inside, &e->inside_v4,
	    &e->outside, &e->dst };
	int64_t mrx = m ? m->rx_ms : 0;
	unsigned f = 0, kinds = 0, i, k;

	f |= (e->rx_ms != mrx ? F_RX : 0) | (e->ts_ms != e->rx_ms ? F_TS : 0);
	f |= (e->start_ms != 0 ? F_START : 0);
	f |= (e->inside_port ? F_IPORT : 0) | (e->port_lo ? F_PLO : 0);
	f |= (e->port_hi != e->port_lo ? F_PHI : 0);
	f |= (e->dst_port ? F_DPORT : 0) | (e->proto ? F_PROTO : 0);
	f |= (e->tsrc ? F_TSRC : 0) | (e->vrf ? F_VRF : 0);
	f |= (!same(e->device, m ? m->device : "") ? F_DEV : 0);
	f |= (e->subscriber[0] != '\0' ? F_SUB : 0);
	for (i = 0; i < 4; i++)
		kinds |= (unsigned)addr_kind(a[i]) << (2 * i);
	p = put_u16(p, (uint16_t)f);
	*p++ = (uint8_t)kinds;
	*p++ = e->type;
	if (f & F_RX)
		p = put_sv(p, e->rx_ms, mrx);
	if (f & F_TS)
		p = put_sv(p, e->ts_ms, e->rx_ms);
	if (f & F_START)
		p = put_sv(p, e->start_ms, e->ts_ms);
	for (i = 0; i < 4; i++) {
		k = kinds >> (2 * i) & 3;
		memcpy(p, a[i]->b + (k == A_V4 ? 12 : 0), k == A_V4 ? 4 :
		    k == A_V6 ? 16 : 0);
		p += k == A_V4 ? 4 : k == A_V6 ? 16 : 0;
	}
	if (f & F_IPORT)
		p = put_u16(p, e->inside_port);
	if (f & F_PLO)
		p = put_u16(p, e->port_lo);
	if (f & F_PHI)
		p = put_u16(p, e->port_hi);
	if (f & F_DPORT)
		p = put_u16(p, e->dst_port);
	if (f & F_PROTO)
		*p++ = e->proto;
	if (f & F_TSRC)
		*p++ = e->tsrc;
	if (f & F_VRF)
		p = put_uv(p, e->vrf);
	if (f & F_DEV)
		p = put_str(p, e->device, 0);
	if (f & F_SUB)
		p = put_str(p, e->subscriber, 0);
	return p;
}

size_t
spool_rec_bound(const struct batch *b)
{
	return 3 * UV_MAX + b->nmsg * MSG_MAX + b->ngap * GAP_MAX +
	    b->nev * EV_MAX;
}

size_t
spool_rec_encode(const struct batch *b, uint8_t *out)
{
	uint8_t *p = out;
	size_t i, m = 0;

	p = put_uv(p, b->nmsg);
	p = put_uv(p, b->ngap);
	p = put_uv(p, b->nev);
	for (i = 0; i < b->nmsg; i++)
		p = put_msg(p, &b->msg[i], i ? &b->msg[i - 1] : NULL);
	for (i = 0; i < b->ngap; i++)
		p = put_gap(p, &b->gap[i], i ? &b->gap[i - 1] : NULL);
	for (i = 0; i < b->nev; i++)
		p = put_event(p, &b->ev[i], owner(b, i, &m));
	return (size_t)(p - out);
}

/* ---- decoding: every read bounds-checked (rd.h), every value checked --- */

struct dec {
	struct rd r;		/* short_read: the record ended early */
	int bad;		/* a value no encoder writes */
};

static uint64_t
get_uv_long(struct dec *d)
{
	uint64_t v = 0;
	unsigned shift;
	uint8_t c;

	for (shift = 0; shift < 64; shift += 7) {
		c = rd_u8(&d->r);
		if (shift == 63 && c > 1)
			break;		/* past 64 bits */
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	d->bad = 1;
	return 0;
}

/* most are one byte: that case inline */
static inline uint64_t
get_uv(struct dec *d)
{
	if (d->r.p < d->r.end && *d->r.p < 0x80)
		return *d->r.p++;
	return get_uv_long(d);
}

static uint32_t
get_u32(struct dec *d)
{
	uint64_t v = get_uv(d);

	if (v > UINT32_MAX)
		d->bad = 1;
	return (uint32_t)v;
}

static int64_t
get_sv(struct dec *d, int64_t base)
{
	uint64_t z = get_uv(d);

	return (int64_t)((uint64_t)base + (z >> 1 ^ (0 - (z & 1))));
}

/* base + a signed delta that must land on a uint32 (offsets, indexes) */
static uint32_t
get_sv32(struct dec *d, int64_t base)
{
	int64_t v = get_sv(d, base);

	if (v < 0 || v > UINT32_MAX)
		d->bad = 1;
	return (uint32_t)v;
}

static void
get_str(struct dec *d, char *dst, uint64_t n)
{
	memset(dst, 0, CGN_NAMELEN);
	if (n >= CGN_NAMELEN)
		d->bad = 1;
	else
		rd_bytes(&d->r, dst, (size_t)n);
}

/* uv 0: as the one before; else a str biased by 1. Like get_str, it
 * writes all CGN_NAMELEN bytes: the structs are not cleared first (a
 * memset of each event took 40% of decoding). */
static void
get_name(struct dec *d, char *dst, const char *prev)
{
	uint64_t n = get_uv(d);

	if (n == 0)
		memcpy(dst, prev, CGN_NAMELEN);
	else
		get_str(d, dst, n - 1);
}

static const char none[CGN_NAMELEN];	/* what the first one is against */

static void
get_msg(struct dec *d, struct bmsg *m, const struct bmsg *prev)
{
	m->rx_ms = get_sv(d, prev ? prev->rx_ms : 0);
	m->off = get_sv32(d, prev ? (int64_t)prev->off + prev->len : 0);
	m->len = get_u32(d);
	m->ev_first = get_sv32(d, prev ? (int64_t)prev->ev_first +
	    prev->ev_n : 0);
	m->ev_n = get_u32(d);
	get_name(d, m->device, prev ? prev->device : none);
}

static void
get_gap(struct dec *d, struct bgap *g, const struct bgap *prev)
{
	g->from_ms = get_sv(d, prev ? prev->from_ms : 0);
	g->to_ms = get_sv(d, g->from_ms);
	get_name(d, g->device, prev ? prev->device : none);
}

static void
get_addr(struct dec *d, struct cgn_addr *a, unsigned kind)
{
	if (kind == A_V4)
		cgn_addr_v4(a, rd_u32(&d->r));
	else if (kind == A_V6)
		rd_bytes(&d->r, a->b, sizeof(a->b));
	else
		memset(a->b, 0, sizeof(a->b));
	if (kind > A_V6)
		d->bad = 1;
}

static void
get_event(struct dec *d, struct cgn_event *e, const struct bmsg *m)
{
	struct cgn_addr *a[4] = { &e->inside, &e->inside_v4, &e->outside,
	    &e->dst };
	unsigned f, kinds, i;

	f = rd_u16(&d->r);
	kinds = rd_u8(&d->r);
	e->type = rd_u8(&d->r);
	if (f & ~(unsigned)F_ALL)
		d->bad = 1;
	e->rx_ms = m ? m->rx_ms : 0;
	if (f & F_RX)
		e->rx_ms = get_sv(d, e->rx_ms);
	e->ts_ms = f & F_TS ? get_sv(d, e->rx_ms) : e->rx_ms;
	e->start_ms = f & F_START ? get_sv(d, e->ts_ms) : 0;
	for (i = 0; i < 4; i++)
		get_addr(d, a[i], kinds >> (2 * i) & 3);
	e->inside_port = f & F_IPORT ? rd_u16(&d->r) : 0;
	e->port_lo = f & F_PLO ? rd_u16(&d->r) : 0;
	e->port_hi = f & F_PHI ? rd_u16(&d->r) : e->port_lo;
	e->dst_port = f & F_DPORT ? rd_u16(&d->r) : 0;
	e->proto = f & F_PROTO ? rd_u8(&d->r) : 0;
	e->tsrc = f & F_TSRC ? rd_u8(&d->r) : 0;
	e->vrf = f & F_VRF ? get_u32(d) : 0;
	if (f & F_DEV)
		get_str(d, e->device, get_uv(d));
	else
		memcpy(e->device, m ? m->device : none, CGN_NAMELEN);
	if (f & F_SUB)
		get_str(d, e->subscriber, get_uv(d));
	else
		memset(e->subscriber, 0, CGN_NAMELEN);
}

int
spool_rec_decode(const uint8_t *p, size_t len, size_t ndata,
    struct batch *b)
{
	struct dec d;
	uint64_t nmsg, ngap, nev;
	size_t i, m = 0;
	int rc = CGN_ETRUNC;

	memset(&d, 0, sizeof(d));
	rd_init(&d.r, p, len);
	batch_clear(b);
	nmsg = get_uv(&d);
	ngap = get_uv(&d);
	nev = get_uv(&d);
	if (d.bad)
		rc = CGN_EMALFORMED;
	if (d.bad || d.r.short_read || nmsg > len || ngap > len ||
	    nev > len || nmsg * MSG_MIN + ngap * GAP_MIN + nev * EV_MIN >
	    rd_left(&d.r))
		goto fail;
	if ((rc = batch_size(b, nmsg, ngap, nev, ndata)) != CGN_OK)
		goto fail;
	for (i = 0; i < nmsg && !d.bad; i++)
		get_msg(&d, &b->msg[i], i ? &b->msg[i - 1] : NULL);
	for (i = 0; i < ngap && !d.bad; i++)
		get_gap(&d, &b->gap[i], i ? &b->gap[i - 1] : NULL);
	for (i = 0; i < nev && !d.bad; i++)
		get_event(&d, &b->ev[i], owner(b, i, &m));
	rc = d.r.short_read ? CGN_ETRUNC : d.bad || rd_left(&d.r) != 0 ?
	    CGN_EMALFORMED : spool_rec_check(b);
	if (rc == CGN_OK)
		return CGN_OK;
fail:
	batch_clear(b);
	return rc;
}

int
spool_rec_check(const struct batch *b)
{
	const struct bmsg *m;
	size_t i;

	for (i = 0; i < b->nmsg; i++) {
		m = &b->msg[i];
		if ((uint64_t)m->off + m->len > b->ndata ||
		    (uint64_t)m->ev_first + m->ev_n > b->nev)
			return CGN_EMALFORMED;
	}
	return CGN_OK;
}
