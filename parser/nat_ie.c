/*
 * nat_ie.c - the IE table, field decoding and the natEvent dictionaries
 * (see nat_ie.h). Values and vendor quirks: ../shared/formats.md 1.7-1.10.
 *
 * Not here: template parsing, messages, sets.
 */
#include <string.h>

#include "nat_ie.h"
#include "rd.h"

#define PEN_NOKIA 637		/* Nokia / Alcatel-Lucent */

/* One row per element we read; everything else is skipped by length. */
static const struct {
	uint8_t protos;		/* NAT_V9 | NAT_IPFIX */
	uint32_t pen;		/* 0: IANA */
	uint16_t id;
	uint8_t dest;
} ie_table[] = {
	{ NAT_V9 | NAT_IPFIX, 0, 4, ND_PROTO },
	{ NAT_V9 | NAT_IPFIX, 0, 7, ND_SPORT },
	{ NAT_V9 | NAT_IPFIX, 0, 8, ND_SRC4 },
	{ NAT_V9 | NAT_IPFIX, 0, 11, ND_DPORT },
	{ NAT_V9 | NAT_IPFIX, 0, 12, ND_DST4 },
	{ NAT_V9 | NAT_IPFIX, 0, 27, ND_SRC6 },
	{ NAT_V9 | NAT_IPFIX, 0, 28, ND_DST6 },
	{ NAT_V9 | NAT_IPFIX, 0, 150, ND_START_S },
	{ NAT_V9 | NAT_IPFIX, 0, 151, ND_END_S },
	{ NAT_V9 | NAT_IPFIX, 0, 152, ND_START_MS },
	{ NAT_V9 | NAT_IPFIX, 0, 153, ND_END_MS },
	{ NAT_V9 | NAT_IPFIX, 0, 225, ND_XSRC4 },
	{ NAT_V9 | NAT_IPFIX, 0, 226, ND_XDST4 },
	{ NAT_V9 | NAT_IPFIX, 0, 227, ND_XSPORT },
	{ NAT_V9 | NAT_IPFIX, 0, 228, ND_XDPORT },
	{ NAT_V9 | NAT_IPFIX, 0, 230, ND_NATEVENT },
	{ NAT_V9 | NAT_IPFIX, 0, 233, ND_FWEVENT },
	{ NAT_V9 | NAT_IPFIX, 0, 234, ND_VRF },
	{ NAT_V9 | NAT_IPFIX, 0, 281, ND_XSRC6 },
	{ NAT_V9 | NAT_IPFIX, 0, 282, ND_XDST6 },
	{ NAT_V9 | NAT_IPFIX, 0, 323, ND_OBS_MS },
	{ NAT_V9 | NAT_IPFIX, 0, 361, ND_PR_START },
	{ NAT_V9 | NAT_IPFIX, 0, 362, ND_PR_END },
	{ NAT_V9 | NAT_IPFIX, 0, 363, ND_PR_STEP },
	{ NAT_V9 | NAT_IPFIX, 0, 364, ND_PR_NUM },
	/* Cisco ASA 8.4 NSEL ids from before IANA's; v9 only (in IPFIX
	 * they would carry the enterprise bit) */
	{ NAT_V9, 0, 40001, ND_XSRC4 },
	{ NAT_V9, 0, 40002, ND_XDST4 },
	{ NAT_V9, 0, 40003, ND_XSPORT },
	{ NAT_V9, 0, 40004, ND_XDPORT },
	{ NAT_V9, 0, 40005, ND_FWEVENT },
	{ NAT_IPFIX, PEN_NOKIA, 91, ND_NOKIA },		/* natInsideSvcid */
	{ NAT_IPFIX, PEN_NOKIA, 92, ND_NOKIA },		/* natOutsideSvcid */
	{ NAT_IPFIX, PEN_NOKIA, 93, ND_NOKIA_SUB },	/* natSubString */
};

int
nat_ie_dest(int proto, uint32_t pen, uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(ie_table) / sizeof(ie_table[0]); i++)
		if ((ie_table[i].protos & proto) && ie_table[i].pen == pen &&
		    ie_table[i].id == id)
			return ie_table[i].dest;
	return ND_SKIP;
}

/* "USER1@10.10.0.123" padded with NULs: keep it as the subscriber id. */
static void
set_sub(struct natrec *r, const uint8_t *p, size_t len)
{
	size_t n = 0;

	while (n < len && p[n] != '\0')
		n++;
	if (n >= sizeof(r->sub))
		n = sizeof(r->sub) - 1;
	memcpy(r->sub, p, n);
	r->sub[n] = '\0';
}

void
nat_field(struct natrec *r, int dest, const uint8_t *p, size_t len)
{
	struct cgn_addr *a = NULL;
	uint16_t *u16 = NULL;
	struct rd f;

	/* integers of 1..8 bytes (IPFIX reduced-size encoding) are read
	 * with rd_uint() over the field; every case checks len first */
	rd_init(&f, p, len);
	switch (dest) {
	case ND_SRC4: case ND_DST4: case ND_XSRC4: case ND_XDST4:
		if (len != 4)
			return;
		a = dest == ND_SRC4 ? &r->src4 : dest == ND_DST4 ? &r->dst :
		    dest == ND_XSRC4 ? &r->xsrc : &r->xdst;
		cgn_addr_v4(a, rd_get32(p));
		break;
	case ND_SRC6: case ND_DST6: case ND_XSRC6: case ND_XDST6:
		if (len != 16)
			return;
		a = dest == ND_SRC6 ? &r->src : dest == ND_DST6 ? &r->dst :
		    dest == ND_XSRC6 ? &r->xsrc : &r->xdst;
		memcpy(a->b, p, 16);
		break;
	case ND_SPORT: u16 = &r->sport; break;
	case ND_DPORT: u16 = &r->dport; break;
	case ND_XSPORT: u16 = &r->xsport; break;
	case ND_XDPORT: u16 = &r->xdport; break;
	case ND_PR_START: u16 = &r->pr_start; break;
	case ND_PR_END: u16 = &r->pr_end; break;
	case ND_PR_STEP: u16 = &r->pr_step; break;
	case ND_PR_NUM: u16 = &r->pr_num; break;
	case ND_PROTO: case ND_NATEVENT: case ND_FWEVENT:
		if (len < 1 || len > 8)
			return;
		if (dest == ND_PROTO)
			r->proto = (uint8_t)rd_uint(&f, len);
		else if (dest == ND_NATEVENT)
			r->natevent = (uint8_t)rd_uint(&f, len);
		else
			r->fwevent = (uint8_t)rd_uint(&f, len);
		break;
	case ND_VRF:
		if (len < 1 || len > 8)
			return;
		r->vrf = (uint32_t)rd_uint(&f, len);
		break;
	case ND_START_S: case ND_END_S:
		if (len != 4)
			return;
		if (dest == ND_START_S)
			r->start_ms = (int64_t)rd_get32(p) * 1000;
		else
			r->end_ms = (int64_t)rd_get32(p) * 1000;
		/* seconds are the weaker form: milliseconds win */
		r->have |= NH(dest == ND_START_S ? ND_START_MS : ND_END_MS);
		return;
	case ND_START_MS: case ND_END_MS: case ND_OBS_MS:
		if (len != 8)
			return;
		if (dest == ND_START_MS)
			r->start_ms = (int64_t)rd_get64(p);
		else if (dest == ND_END_MS)
			r->end_ms = (int64_t)rd_get64(p);
		else
			r->obs_ms = (int64_t)rd_get64(p);
		break;
	case ND_NOKIA_SUB:
		set_sub(r, p, len);
		r->have |= NH(ND_NOKIA);
		break;
	case ND_NOKIA:
		break;
	default:
		return;
	}
	if (u16 != NULL) {
		if (len < 1 || len > 2)
			return;
		*u16 = (uint16_t)rd_uint(&f, len);
	}
	r->have |= NH(dest);
}

/* ---- meaning ---------------------------------------------------------- */

/* What a natEvent value announces, whatever the numbering. */
enum nat_kind {
	NK_NONE = 0,		/* unknown value: no meaning */
	NK_OTHER,		/* exhausted, quota, threshold: counted */
	NK_ANY,			/* "create"/"delete": kind from the shape */
	NK_SESSION,		/* session or BIB: one public port */
	NK_ADDR,		/* address binding: the whole address */
	NK_PBA,			/* a port block */
};

struct nat_meaning {
	uint8_t kind;		/* enum nat_kind */
	uint8_t dir;		/* 0 allocate, 1 release, 2 still active */
};

/* IANA "NAT Event Type" (RFC 8158 / formats.md 1.7), indexed by value. */
static const struct nat_meaning dict_iana[] = {
	[1] = { NK_ANY, 0 }, [2] = { NK_ANY, 1 }, [3] = { NK_OTHER, 0 },
	[4] = { NK_SESSION, 0 }, [5] = { NK_SESSION, 1 },
	[6] = { NK_SESSION, 0 }, [7] = { NK_SESSION, 1 },
	[8] = { NK_SESSION, 0 }, [9] = { NK_SESSION, 1 },
	[10] = { NK_SESSION, 0 }, [11] = { NK_SESSION, 1 },
	[12] = { NK_OTHER, 0 }, [13] = { NK_OTHER, 0 },
	[14] = { NK_ADDR, 0 }, [15] = { NK_ADDR, 1 },
	[16] = { NK_PBA, 0 }, [17] = { NK_PBA, 1 }, [18] = { NK_OTHER, 0 },
};

/* Junos IPFIX, draft-ietf-behave-ipfix-nat-logging-02 numbering. */
static const struct nat_meaning dict_juniper[] = {
	[1] = { NK_SESSION, 0 }, [2] = { NK_SESSION, 1 },
	[3] = { NK_OTHER, 0 },
	[4] = { NK_SESSION, 0 }, [5] = { NK_SESSION, 1 },
	[6] = { NK_SESSION, 0 }, [7] = { NK_SESSION, 1 },
	[8] = { NK_SESSION, 0 }, [9] = { NK_SESSION, 1 },
	[10] = { NK_OTHER, 0 }, [11] = { NK_OTHER, 0 },
	[12] = { NK_ADDR, 0 }, [13] = { NK_ADDR, 1 },
	[14] = { NK_PBA, 0 }, [15] = { NK_PBA, 1 }, [16] = { NK_PBA, 2 },
};

/* Cisco NEL and Junos NetFlow v9: 1 create, 2 delete, 3 exhausted. */
static const struct nat_meaning dict_cisco[] = {
	[1] = { NK_ANY, 0 }, [2] = { NK_ANY, 1 }, [3] = { NK_OTHER, 0 },
};

static struct nat_meaning
lookup(int dict, uint8_t v)
{
	static const struct nat_meaning none = { NK_NONE, 0 };

#define LOOK(t) (v < sizeof(t) / sizeof(t[0]) ? t[v] : none)
	switch (dict) {
	case CGN_ND_JUNIPER: return LOOK(dict_juniper);
	case CGN_ND_CISCO: return LOOK(dict_cisco);
	default: return LOOK(dict_iana);
	}
#undef LOOK
}

int
nat_dict_hint(const struct natrec *r)
{
	if (!(r->have & NH(ND_NATEVENT)))
		return CGN_ND_AUTO;
	if (r->natevent == 17)
		return CGN_ND_IANA;
	if (r->natevent == 14 || r->natevent == 15)
		return r->have & (NH(ND_PR_START) | NH(ND_PR_NUM)) ?
		    CGN_ND_JUNIPER : CGN_ND_IANA;
	return CGN_ND_AUTO;
}

/* The event time: observationTime, else the flow time that matches the
 * event's direction, else the other one, else the export time. */
static int64_t
event_time(const struct natrec *r, int release, int64_t export_ms)
{
	if (r->have & NH(ND_OBS_MS))
		return r->obs_ms;
	if (release && (r->have & NH(ND_END_MS)))
		return r->end_ms;
	if (r->have & NH(ND_START_MS))
		return r->start_ms;
	if (r->have & NH(ND_END_MS))
		return r->end_ms;
	return export_ms;
}

static const uint8_t ev_types[][3] = {
	[NK_SESSION] = { CGN_EV_SESSION_CREATE, CGN_EV_SESSION_DELETE,
	    CGN_EV_SESSION_CREATE },
	[NK_ADDR] = { CGN_EV_ADDR_ALLOC, CGN_EV_ADDR_RELEASE,
	    CGN_EV_ADDR_ALLOC },
	[NK_PBA] = { CGN_EV_PBA_ALLOC, CGN_EV_PBA_RELEASE,
	    CGN_EV_PBA_ACTIVE },
};

/* The inside (pre-NAT) source: IPv6 for NAT64 / DS-Lite, else IPv4. */
static void
set_inside(const struct natrec *r, struct cgn_event *ev)
{
	if (r->have & NH(ND_SRC6)) {
		ev->inside = r->src;
		if (r->have & NH(ND_SRC4))
			ev->inside_v4 = r->src4;	/* DS-Lite */
	} else if (r->have & NH(ND_SRC4)) {
		ev->inside = r->src4;
	}
}

/* Port block: Start/End, or Start + NumPorts with StepSize; nfdump's
 * end = start + size - 1 when End is 0. A stepped block is reported as
 * its span, first to last port. 0 if there is no usable range. */
static int
set_block(const struct natrec *r, struct cgn_event *ev)
{
	uint32_t lo = r->pr_start, hi = r->pr_end, step, n;

	if (!(r->have & (NH(ND_PR_START) | NH(ND_PR_END))))
		return 0;
	if (hi == 0 && (r->have & NH(ND_PR_NUM)) && r->pr_num > 0) {
		step = (r->have & NH(ND_PR_STEP)) && r->pr_step > 0 ?
		    r->pr_step : 1;
		n = r->pr_num;
		hi = lo + (n - 1) * step;
		if (hi > 65535)
			hi = 65535;
	}
	if (hi < lo)
		return 0;
	ev->port_lo = (uint16_t)lo;
	ev->port_hi = (uint16_t)hi;
	return 1;
}

/* A session: the translated source port; the destination as logged. */
static int
set_session(const struct natrec *r, struct cgn_event *ev)
{
	if (!(r->have & NH(ND_XSPORT)))
		return 0;
	ev->port_lo = ev->port_hi = r->xsport;
	ev->inside_port = r->sport;
	if (r->have & (NH(ND_DST4) | NH(ND_DST6)))
		ev->dst = r->dst;
	else if (r->have & (NH(ND_XDST4) | NH(ND_XDST6)))
		ev->dst = r->xdst;
	ev->dst_port = r->have & NH(ND_DPORT) ? r->dport : r->xdport;
	return 1;
}

/* Nokia LSN: no natEvent. Which time field the template has says create
 * or delete; source address and port are the public side; the inside
 * address is the part of natSubString after '@' (PROVENANCE 1.3). */
static int
nokia_event(const struct natrec *r, int64_t export_ms, struct cgn_event *ev)
{
	const char *at = strrchr(r->sub, '@');
	int release;

	if (!(r->have & (NH(ND_START_MS) | NH(ND_END_MS))) ||
	    !(r->have & NH(ND_SRC4) || r->have & NH(ND_SRC6)))
		return NV_IGNORED;
	release = (r->have & NH(ND_END_MS)) != 0;
	ev->type = release ? CGN_EV_SESSION_DELETE : CGN_EV_SESSION_CREATE;
	ev->ts_ms = event_time(r, release, export_ms);
	if (release && (r->have & NH(ND_START_MS)))
		ev->start_ms = r->start_ms;
	ev->outside = r->have & NH(ND_SRC6) ? r->src : r->src4;
	ev->port_lo = ev->port_hi = r->sport;
	ev->dst = r->dst;
	ev->dst_port = r->dport;
	ev->proto = r->proto;
	if (at != NULL)
		cgn_addr_parse(at + 1, strlen(at + 1), &ev->inside);
	memcpy(ev->subscriber, r->sub, sizeof(ev->subscriber));
	return NV_EVENT;
}

int
nat_event(const struct natrec *r, int dict, int64_t export_ms,
    struct cgn_event *ev)
{
	struct nat_meaning m;
	int kind;

	/* ev may be the previous record's event (tmpl.c reuses it): reset
	 * everything a record sets */
	ev->start_ms = 0;
	memset(&ev->inside, 0, sizeof(ev->inside));
	memset(&ev->inside_v4, 0, sizeof(ev->inside_v4));
	memset(&ev->outside, 0, sizeof(ev->outside));
	memset(&ev->dst, 0, sizeof(ev->dst));
	ev->inside_port = ev->port_lo = ev->port_hi = ev->dst_port = 0;
	ev->proto = 0;
	ev->subscriber[0] = '\0';
	ev->tsrc = CGN_TS_UTC;
	ev->vrf = r->have & NH(ND_VRF) ? r->vrf : 0;
	if (r->have & NH(ND_NATEVENT)) {
		m = lookup(dict, r->natevent);
		kind = m.kind;
	} else if (r->have & NH(ND_FWEVENT)) {
		/* ASA NSEL: 1 created, 2 deleted; 3-5 are no mapping */
		if (r->fwevent != 1 && r->fwevent != 2)
			return NV_IGNORED;
		m.dir = r->fwevent == 1 ? 0 : 1;
		kind = NK_SESSION;
		/* identity NAT (xlate == original) maps nothing */
		if (!(r->have & (NH(ND_XSRC4) | NH(ND_XSRC6))) ||
		    (cgn_addr_cmp(&r->xsrc, r->have & NH(ND_SRC6) ? &r->src :
		    &r->src4) == 0 && r->xsport == r->sport))
			return NV_IGNORED;
	} else if (r->have & NH(ND_NOKIA)) {
		return nokia_event(r, export_ms, ev);
	} else {
		return NV_IGNORED;
	}
	if (kind == NK_NONE)
		return NV_IGNORED;
	if (kind == NK_OTHER)
		return NV_NAT_OTHER;
	if (!(r->have & (NH(ND_XSRC4) | NH(ND_XSRC6))))
		return NV_IGNORED;
	if (kind == NK_ANY)
		kind = r->have & (NH(ND_PR_START) | NH(ND_PR_END)) ? NK_PBA :
		    r->have & NH(ND_XSPORT) ? NK_SESSION : NK_ADDR;
	ev->outside = r->xsrc;
	set_inside(r, ev);
	ev->proto = r->proto;
	if (kind == NK_PBA && !set_block(r, ev))
		return NV_IGNORED;
	if (kind == NK_SESSION && !set_session(r, ev))
		return NV_IGNORED;
	if (kind == NK_ADDR) {
		ev->port_lo = 0;
		ev->port_hi = 65535;
	}
	ev->type = ev_types[kind][m.dir];
	ev->ts_ms = event_time(r, m.dir == 1, export_ms);
	if (m.dir != 0 && (r->have & NH(ND_START_MS)))
		ev->start_ms = r->start_ms;
	return NV_EVENT;
}
