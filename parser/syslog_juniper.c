/*
 * syslog_juniper.c - Juniper NAT logs: port block allocation and NAT
 * sessions.
 *
 *   MS-MPC/MS-DPC:  [JSERVICES_|ASP_]NAT_PORT_BLOCK_{ALLOC,RELEASE,ACTIVE}:
 *                   INSIDE -> OUTSIDE:LO-HI [0xEPOCH]
 *   SRX/MX-SPC3:    RT_SRC_NAT_PBA_{ALLOC,RELEASE,INTERIM} as text
 *                   ("Subscriber A ... port block [LO-HI] from B ... epoch
 *                   0xE") or structured data (internal-ip="A" ...).
 *                   RT_FLOW_SESSION_{CREATE,CLOSE} with nat-source-*.
 * The hex epoch is UTC seconds and wins over the header (often local time).
 * RT_SRC_NAT_PBA_INTERIM repeats the allocation's epoch, so there it
 * becomes start_ms and the event keeps the header time; the MS-MPC
 * JSERVICES_NAT_PORT_BLOCK_ACTIVE epoch is the time of the message itself
 * (../shared/formats.md 2.1). MS-DPC (ASP_) lines carry a UTC time in the
 * body beside the router's local header time: the body's time is used.
 * Denied flows (RT_FLOW_SESSION_DENY) and flows without source NAT are
 * Juniper's but map nothing: CGN_OK, no event. NetScreen: syslog_netscreen.c.
 */
#include <string.h>

#include "addr.h"
#include "scan.h"
#include "syslog.h"
#include "timeconv.h"
#include "tz.h"

/* "A.B.C.D" or an IPv6 address from p up to the first byte in stop. */
static int
addr_until(const char **p, const char *end, const char *stop,
    struct cgn_addr *a)
{
	const char *q = *p;
	size_t n;

	/* dotted IPv4 ended by a stop byte: read once, not scanned first */
	if ((n = cgn_addr_v4_prefix(q, (size_t)(end - q), a)) > 0 &&
	    q + n < end && scan_stop(stop, q[n])) {
		*p = q + n;
		return CGN_OK;
	}
	while (q < end && !scan_stop(stop, *q))
		q++;
	if (cgn_addr_parse(*p, (size_t)(q - *p), a) != CGN_OK)
		return CGN_EMALFORMED;
	*p = q;
	return CGN_OK;
}

/* "LO-HI" exactly. */
static int
port_range(const char *s, size_t len, uint16_t *lo, uint16_t *hi)
{
	const char *dash = memchr(s, '-', len);
	uint64_t a, b;

	if (dash == NULL ||
	    txt_uint(s, (size_t)(dash - s), 65535, &a) != CGN_OK ||
	    txt_uint(dash + 1, len - (size_t)(dash + 1 - s), 65535, &b) !=
	    CGN_OK || a > b)
		return CGN_EMALFORMED;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return CGN_OK;
}

static int
pba_type(const char *word, size_t len)
{
	if (len == 5 && memcmp(word, "ALLOC", 5) == 0)
		return CGN_EV_PBA_ALLOC;
	if (len == 7 && memcmp(word, "RELEASE", 7) == 0)
		return CGN_EV_PBA_RELEASE;
	if ((len == 6 && memcmp(word, "ACTIVE", 6) == 0) ||
	    (len == 7 && memcmp(word, "INTERIM", 7) == 0))
		return CGN_EV_PBA_ACTIVE;
	return CGN_EV_NONE;
}

/* Seconds of 9999-12-31T23:59:59Z: the last time timeconv.h knows. */
#define EPOCH_MAX 253402300799ULL

/* The event's time from a UTC epoch in the body; CGN_EMALFORMED for one
 * no clock gives (and whose milliseconds would overflow). is_start: the
 * epoch is when the allocation began (an RT_NAT INTERIM), not now. */
static int
set_epoch(struct cgn_event *ev, uint64_t epoch, int is_start)
{
	if (epoch > EPOCH_MAX)
		return CGN_EMALFORMED;
	if (is_start) {
		ev->start_ms = (int64_t)epoch * 1000;
		return CGN_OK;
	}
	ev->ts_ms = (int64_t)epoch * 1000;
	ev->tsrc = CGN_TS_UTC;
	return CGN_OK;
}

/* MS-DPC: "... 2011-10-31 04:46:04 [FWNAT]:ASP_NAT_PORT_BLOCK_ALLOC: ..."
 * The body's UTC time is the last "YYYY-MM-DD hh:mm:ss" before the tag; a
 * relay that wrote "hh: mm:ss" is tolerated (formats.md 2.1). Only lines
 * that are not JSERVICES_ (those carry an epoch, and their body time's zone
 * is not documented). No such time: the header's time stays. */
static void
body_utc(const char *body, const char *tag, struct cgn_event *ev)
{
	const char *q, *r;
	char t[19];
	size_t n;
	int64_t ms;
	int zone;

	if (tag - body >= 10 && memcmp(tag - 10, "JSERVICES_", 10) == 0)
		return;
	for (q = body; tag - q >= 19; q++) {
		if (q[4] != '-' || q[7] != '-' || q[10] != ' ' ||
		    q[0] < '0' || q[0] > '9')
			continue;
		for (r = q, n = 0; r < tag && n < sizeof(t); r++) {
			if (*r == ' ' && n > 11 && t[n - 1] == ':')
				continue;	/* "hh: mm:ss" */
			t[n++] = *r;
		}
		if (n == sizeof(t) &&
		    tc_parse_rfc3339(t, n, &ms, &zone) == n && !zone) {
			ev->ts_ms = ms;
			ev->tsrc = CGN_TS_UTC;
		}
	}
}

/* "A.B.C.D:LO-HI" up to a space or the end, the common OUTSIDE:LO-HI, in
 * one pass; CGN_EMALFORMED (*p as it was) for anything else, which the
 * general reading then takes. A port range has no colon, so the colon
 * after a dotted address is the last one, the one that reading splits at. */
static int
v4_ports(const char **p, const char *end, struct cgn_event *ev)
{
	const char *q = *p, *r;
	size_t n;

	if ((n = cgn_addr_v4_prefix(q, (size_t)(end - q), &ev->outside)) == 0 ||
	    q + n == end || q[n] != ':')
		return CGN_EMALFORMED;
	q += n + 1;
	for (r = q; r < end && *r != ' '; r++)
		;
	if (port_range(q, (size_t)(r - q), &ev->port_lo, &ev->port_hi) !=
	    CGN_OK)
		return CGN_EMALFORMED;
	*p = r;
	return CGN_OK;
}

/* ...NAT_PORT_BLOCK_<WHAT>: INSIDE -> OUTSIDE:LO-HI [0xEPOCH] */
static int
parse_port_block(const char *body, const char *tag, const char *end,
    struct syslog_out *out)
{
	const char *p = tag + strlen("NAT_PORT_BLOCK_"), *w = p, *colon;
	struct cgn_event *ev;
	uint64_t epoch;
	int type;

	while (p < end && *p >= 'A' && *p <= 'Z')
		p++;
	if ((type = pba_type(w, (size_t)(p - w))) == CGN_EV_NONE)
		return CGN_EUNKNOWN;
	if (p >= end || *p++ != ':')
		return CGN_EMALFORMED;
	while (p < end && *p == ' ')
		p++;
	if ((ev = syslog_ev_add(out)) == NULL)
		return CGN_EMALFORMED;
	ev->type = (uint8_t)type;
	if (addr_until(&p, end, " ", &ev->inside) != CGN_OK)
		return CGN_EMALFORMED;
	if (end - p < 4 || memcmp(p, " -> ", 4) != 0)
		return CGN_EMALFORMED;
	p += 4;
	if (v4_ports(&p, end, ev) != CGN_OK) {
		w = p;
		while (p < end && *p != ' ')
			p++;
		/* OUTSIDE:LO-HI; the last colon separates (IPv6 outside
		 * addresses have colons of their own) */
		for (colon = p - 1; colon > w && *colon != ':'; colon--)
			;
		if (colon <= w || cgn_addr_parse(w, (size_t)(colon - w),
		    &ev->outside) != CGN_OK ||
		    port_range(colon + 1, (size_t)(p - colon - 1),
		    &ev->port_lo, &ev->port_hi) != CGN_OK)
			return CGN_EMALFORMED;
	}
	while (p < end && *p == ' ')
		p++;
	w = p;
	while (p < end && *p != ' ')
		p++;
	if (p - w > 2 && w[0] == '0' && w[1] == 'x') {
		if (txt_hex(w, (size_t)(p - w), &epoch) != CGN_OK ||
		    set_epoch(ev, epoch, 0) != CGN_OK)
			return CGN_EMALFORMED;
	} else {
		body_utc(body, tag, ev);
	}
	return CGN_OK;
}

/* RT_SRC_NAT_PBA_* [internal-ip="A" block-port-low="L" ... ] */
static int
parse_pba_sd(const char *sd, size_t len, struct cgn_event *ev)
{
	const char *v;
	size_t vl;
	uint64_t lo, hi, epoch;

	if (!sd_param(sd, len, "internal-ip", &v, &vl) ||
	    cgn_addr_parse(v, vl, &ev->inside) != CGN_OK ||
	    !sd_param(sd, len, "reflexive-ip", &v, &vl) ||
	    cgn_addr_parse(v, vl, &ev->outside) != CGN_OK ||
	    !sd_param(sd, len, "block-port-low", &v, &vl) ||
	    txt_uint(v, vl, 65535, &lo) != CGN_OK ||
	    !sd_param(sd, len, "block-port-high", &v, &vl) ||
	    txt_uint(v, vl, 65535, &hi) != CGN_OK || lo > hi)
		return CGN_EMALFORMED;
	ev->port_lo = (uint16_t)lo;
	ev->port_hi = (uint16_t)hi;
	if (sd_param(sd, len, "epoch-time-64", &v, &vl) ||
	    sd_param(sd, len, "epoch-time", &v, &vl)) {
		if (txt_hex(v, vl, &epoch) != CGN_OK ||
		    set_epoch(ev, epoch, ev->type == CGN_EV_PBA_ACTIVE) !=
		    CGN_OK)
			return CGN_EMALFORMED;
	}
	return CGN_OK;
}

/* RT_SRC_NAT_PBA_ALLOC: Subscriber A used/maximum [u/m] blocks, allocates
 * port block [LO-HI] from B in source pool P lsys_id: 0 epoch 0xE */
static int
parse_pba_text(const char *p, const char *end, struct cgn_event *ev)
{
	const char *q, *w;
	uint64_t epoch;

	if ((q = txt_find(p, (size_t)(end - p), "Subscriber ")) == NULL)
		return CGN_EMALFORMED;
	p = q + strlen("Subscriber ");
	if (addr_until(&p, end, " ", &ev->inside) != CGN_OK)
		return CGN_EMALFORMED;
	if ((q = txt_find(p, (size_t)(end - p), "port block [")) == NULL)
		return CGN_EMALFORMED;
	p = q + strlen("port block [");
	for (w = p; p < end && *p != ']'; p++)
		;
	if (p == end ||
	    port_range(w, (size_t)(p - w), &ev->port_lo, &ev->port_hi) !=
	    CGN_OK)
		return CGN_EMALFORMED;
	if ((q = txt_find(p, (size_t)(end - p), " from ")) == NULL)
		return CGN_EMALFORMED;
	p = q + strlen(" from ");
	if (addr_until(&p, end, " ", &ev->outside) != CGN_OK)
		return CGN_EMALFORMED;
	if ((q = txt_find(p, (size_t)(end - p), " epoch ")) != NULL) {
		p = q + strlen(" epoch ");
		for (w = p; p < end && *p != ' '; p++)
			;
		if (txt_hex(w, (size_t)(p - w), &epoch) != CGN_OK ||
		    set_epoch(ev, epoch, ev->type == CGN_EV_PBA_ACTIVE) !=
		    CGN_OK)
			return CGN_EMALFORMED;
	}
	return CGN_OK;
}

static int
parse_rt_pba(const struct syslog_msg *m, const char *tag,
    struct syslog_out *out)
{
	const char *end = m->body + m->bodylen, *p, *w, *sd;
	struct cgn_event *ev;
	size_t sdlen;
	int type;

	if (tag == NULL) {	/* in the MSGID of an RFC 5424 header */
		w = m->msgid + strlen("RT_SRC_NAT_PBA_");
		type = pba_type(w, m->msgidlen - strlen("RT_SRC_NAT_PBA_"));
		p = m->body;
	} else {
		w = tag + strlen("RT_SRC_NAT_PBA_");
		for (p = w; p < end && *p >= 'A' && *p <= 'Z'; p++)
			;
		type = pba_type(w, (size_t)(p - w));
	}
	if (type == CGN_EV_NONE)
		return CGN_EUNKNOWN;	/* e.g. a pool alarm: not ours */
	if ((ev = syslog_ev_add(out)) == NULL)
		return CGN_EMALFORMED;
	ev->type = (uint8_t)type;
	sd = m->sdlen > 0 ? m->sd : p;
	sdlen = m->sdlen > 0 ? m->sdlen : (size_t)(end - p);
	if (txt_find(sd, sdlen, "internal-ip=\"") != NULL)
		return parse_pba_sd(sd, sdlen, ev);
	return parse_pba_text(p, end, ev);
}

/* RT_FLOW_SESSION_CREATE/CLOSE [source-address="A" source-port="P" ...
 * nat-source-address="B" nat-source-port="Q" protocol-id="6" ...] */
static int
parse_rt_flow(const struct syslog_msg *m, int type, struct syslog_out *out)
{
	const char *sd = m->sdlen > 0 ? m->sd : m->body, *v;
	size_t len = m->sdlen > 0 ? m->sdlen : m->bodylen, vl;
	struct cgn_event ev;
	uint64_t n;

	ev = out->base;
	ev.type = (uint8_t)type;
	if (!sd_param(sd, len, "source-address", &v, &vl) ||
	    cgn_addr_parse(v, vl, &ev.inside) != CGN_OK ||
	    !sd_param(sd, len, "source-port", &v, &vl) ||
	    txt_uint(v, vl, 65535, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.inside_port = (uint16_t)n;
	if (!sd_param(sd, len, "nat-source-address", &v, &vl) ||
	    cgn_addr_parse(v, vl, &ev.outside) != CGN_OK ||
	    !sd_param(sd, len, "nat-source-port", &v, &vl) ||
	    txt_uint(v, vl, 65535, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)n;
	if (!sd_param(sd, len, "protocol-id", &v, &vl) ||
	    txt_uint(v, vl, 255, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.proto = (uint8_t)n;
	if (sd_param(sd, len, "destination-address", &v, &vl) &&
	    cgn_addr_parse(v, vl, &ev.dst) == CGN_OK &&
	    sd_param(sd, len, "destination-port", &v, &vl) &&
	    txt_uint(v, vl, 65535, &n) == CGN_OK)
		ev.dst_port = (uint16_t)n;
	if (type == CGN_EV_SESSION_DELETE &&
	    sd_param(sd, len, "elapsed-time", &v, &vl) &&
	    txt_uint(v, vl, 100 * 365 * 86400ULL, &n) == CGN_OK &&
	    ev.tsrc != CGN_TS_RX)
		ev.start_ms = ev.ts_ms - (int64_t)n * 1000;
	/* a session through no source NAT is not a mapping */
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

static int
juniper_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->body + m->bodylen, *p;

	if ((p = txt_find(m->body, m->bodylen, "NAT_PORT_BLOCK_")) != NULL)
		return parse_port_block(m->body, p, end, out);
	if (m->msgidlen > strlen("RT_SRC_NAT_PBA_") &&
	    memcmp(m->msgid, "RT_SRC_NAT_PBA_", 15) == 0)
		return parse_rt_pba(m, NULL, out);
	if ((p = txt_find(m->body, m->bodylen, "RT_SRC_NAT_PBA_")) != NULL)
		return parse_rt_pba(m, p, out);
	if (txt_find(m->msgid, m->msgidlen, "RT_FLOW_SESSION_CREATE") ||
	    txt_find(m->body, m->bodylen, "RT_FLOW_SESSION_CREATE"))
		return parse_rt_flow(m, CGN_EV_SESSION_CREATE, out);
	if (txt_find(m->msgid, m->msgidlen, "RT_FLOW_SESSION_CLOSE") ||
	    txt_find(m->body, m->bodylen, "RT_FLOW_SESSION_CLOSE"))
		return parse_rt_flow(m, CGN_EV_SESSION_DELETE, out);
	if (txt_find(m->all, m->alllen, "RT_FLOW_SESSION_DENY"))
		return CGN_OK;		/* a denied flow maps nothing */
	return CGN_EUNKNOWN;
}

const struct syslog_vendor syslog_juniper = {
	.name = "juniper",
	.mark = { "NAT_PORT_BLOCK_", "RT_SRC_NAT_PBA_", "RT_FLOW_SESSION_",
	    NULL },
	.parse = juniper_parse,
};
