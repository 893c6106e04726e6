/*
 * syslog_cisco_asa.c - Cisco ASA (and FTD) translation and connection
 * messages.
 *
 *   305011  Built {dynamic|static} PROTO translation from IF:A/P to IF:B/Q
 *           (no /P: address-only NAT)
 *   305012  Teardown ... translation from IF:A/P to IF:B/Q duration H:MM:SS
 *   305014  Allocated PROTO block of ports for translation from IF:A to
 *           IF:B/LO-HI (CGNAT port blocks)
 *   305015  Released PROTO block of ports for translation from IF:A to
 *           IF:B/LO-HI
 *   302013/302015  Built {inbound|outbound} TCP|UDP connection ID for
 *           IF:A/P (A'/P') to IF:B/Q (B'/Q'): the real and mapped (NAT)
 *           address of each end
 *   302020/302021  Built/Teardown ICMP connection for faddr F/i gaddr G/i
 *           laddr L/i
 * The time is the header's (ASA writes its own, with an optional year, in
 * the device's zone: syslog.c). Every other %ASA- message (denies, 302014
 * teardowns, which carry no mapped address) is the ASA's but maps nothing:
 * CGN_OK without an event, as is a translation to the same address and
 * port (identity NAT).
 */
#include <string.h>

#include "syslog.h"

/* "ADDR/PORT" or "ADDR". want_port: 1 required, 0 forbidden, -1
 * optional; *has_port says which it was. */
static int
addr_slash(const char *s, size_t len, struct cgn_addr *a, uint16_t *port,
    int want_port, int *has_port)
{
	const char *sl = memrchr(s, '/', len);
	uint64_t v;

	*has_port = sl != NULL;
	if ((want_port == 1 && sl == NULL) || (want_port == 0 && sl != NULL))
		return CGN_EMALFORMED;
	if (sl != NULL) {
		if (txt_uint(sl + 1, len - (size_t)(sl + 1 - s), 65535, &v) !=
		    CGN_OK)
			return CGN_EMALFORMED;
		*port = (uint16_t)v;
		len = (size_t)(sl - s);
	}
	return cgn_addr_parse(s, len, a);
}

/* "IF:ADDR[/PORT]": interface names have no ':' and IPv6 addresses do,
 * so the first ':' ends the interface. */
static int
if_addr(const char *s, size_t len, struct cgn_addr *a, uint16_t *port,
    int want_port, int *has_port)
{
	const char *c = memchr(s, ':', len);

	if (c == NULL)
		return CGN_EMALFORMED;
	return addr_slash(c + 1, len - (size_t)(c + 1 - s), a, port,
	    want_port, has_port);
}

/* "H:MM:SS" (hours unbounded) or "Hh:MMm:SSs" to seconds. */
static int
duration_s(const char *s, size_t len, int64_t *out)
{
	const char *p = s, *end = s + len, *w;
	uint64_t v, t = 0;
	int n = 0;

	while (p < end) {
		for (w = p; p < end && *p >= '0' && *p <= '9'; p++)
			;
		if (txt_uint(w, (size_t)(p - w), 100000000, &v) != CGN_OK ||
		    ++n > 3)
			return CGN_EMALFORMED;
		t = t * 60 + v;
		if (p < end && (*p == 'h' || *p == 'm' || *p == 's'))
			p++;
		if (p < end && *p++ != ':')
			return CGN_EMALFORMED;
	}
	if (n != 3)
		return CGN_EMALFORMED;
	*out = (int64_t)t;
	return CGN_OK;
}

/* Words of the message after "%ASA-6-305011: ". */
#define ASA_WORDS 24

struct words {
	const char *w[ASA_WORDS];
	size_t l[ASA_WORDS];
	int n;
};

static void
split_words(const char *p, const char *end, struct words *ws)
{
	const char *w;
	size_t l;

	ws->n = 0;
	while (ws->n < ASA_WORDS && (l = txt_word(&p, end, " ", &w)) > 0) {
		ws->w[ws->n] = w;
		ws->l[ws->n++] = l;
	}
}

/* The word after key, or -1. */
static int
after(const struct words *ws, int from, const char *key)
{
	int i;

	for (i = from; i + 1 < ws->n; i++)
		if (txt_eq(ws->w[i], ws->l[i], key))
			return i + 1;
	return -1;
}

static int
add(struct syslog_out *out, const struct cgn_event *ev)
{
	/* identity NAT: the address and port are not translated */
	if (cgn_addr_cmp(&ev->inside, &ev->outside) == 0 &&
	    ev->inside_port == ev->port_lo && ev->port_lo == ev->port_hi)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = *ev;
	return CGN_OK;
}

/* 305011, 305012: [Built|Teardown] KIND [PROTO] translation from X to Y
 * (no PROTO: address-only NAT) */
static int
xlate(const struct words *ws, int type, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	int64_t d;
	int i, has_in, has_out;

	if ((i = after(ws, 0, "from")) < 4 || i + 2 >= ws->n ||
	    !txt_eq(ws->w[i - 2], ws->l[i - 2], "translation") ||
	    !txt_eq(ws->w[i + 1], ws->l[i + 1], "to") ||
	    (i == 5 && txt_proto(ws->w[2], ws->l[2], &ev.proto) != CGN_OK) ||
	    if_addr(ws->w[i], ws->l[i], &ev.inside, &ev.inside_port, -1,
	    &has_in) != CGN_OK ||
	    if_addr(ws->w[i + 2], ws->l[i + 2], &ev.outside, &ev.port_lo,
	    has_in, &has_out) != CGN_OK)
		return CGN_EMALFORMED;
	if (!has_in) {
		/* address-only NAT: the whole address */
		ev.type = type == CGN_EV_SESSION_CREATE ? CGN_EV_ADDR_ALLOC :
		    CGN_EV_ADDR_RELEASE;
		ev.port_lo = 0;
		ev.port_hi = 65535;
		ev.proto = 0;
		if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0)
			return CGN_OK;
	} else {
		ev.type = (uint8_t)type;
		ev.port_hi = ev.port_lo;
	}
	if (type == CGN_EV_SESSION_DELETE &&
	    (i = after(ws, i + 3, "duration")) >= 0) {
		if (duration_s(ws->w[i], ws->l[i], &d) != CGN_OK)
			return CGN_EMALFORMED;
		if (ev.tsrc != CGN_TS_RX)	/* not from a receive time */
			ev.start_ms = ev.ts_ms - d * 1000;
	}
	return add(out, &ev);
}

/* 305014, 305015: Allocated PROTO block of ports for translation from
 * IF:A to IF:B/LO-HI */
static int
block(const struct words *ws, int type, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *w, *sl;
	size_t l;
	int i, has;

	if ((i = after(ws, 0, "from")) < 0 || i + 2 >= ws->n ||
	    !txt_eq(ws->w[i + 1], ws->l[i + 1], "to") ||
	    txt_proto(ws->w[1], ws->l[1], &ev.proto) != CGN_OK ||
	    if_addr(ws->w[i], ws->l[i], &ev.inside, &ev.inside_port, 0,
	    &has) != CGN_OK)
		return CGN_EMALFORMED;
	w = ws->w[i + 2];
	l = ws->l[i + 2];
	if (l > 0 && w[l - 1] == '.')
		l--;
	if ((sl = memrchr(w, '/', l)) == NULL ||
	    txt_range(sl + 1, l - (size_t)(sl + 1 - w), &ev.port_lo,
	    &ev.port_hi) != CGN_OK ||
	    if_addr(w, (size_t)(sl - w), &ev.outside, &ev.inside_port, 0,
	    &has) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = (uint8_t)type;
	return add(out, &ev);
}

/* "IF:A/P" then "(A'/P')": one end of a connection, real and mapped. */
static int
conn_end(const struct words *ws, int i, struct cgn_addr *real,
    uint16_t *rport, struct cgn_addr *mapped, uint16_t *mport)
{
	const char *w;
	size_t l;
	int has;

	if (i + 1 >= ws->n ||
	    if_addr(ws->w[i], ws->l[i], real, rport, 1, &has) != CGN_OK)
		return CGN_EMALFORMED;
	w = ws->w[i + 1];
	l = ws->l[i + 1];
	if (l < 3 || w[0] != '(' || w[l - 1] != ')')
		return CGN_EMALFORMED;
	return addr_slash(w + 1, l - 2, mapped, mport, 1, &has);
}

/* 302013/302015: Built {in|out}bound PROTO connection ID for IF:A/P (A'/P')
 * to IF:B/Q (B'/Q') ... The "to" end is the inside host; its mapped
 * address and port are the public ones. */
static int
connection(const struct words *ws, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	struct cgn_addr fr, fm, tr, tm;
	uint16_t frp, fmp, trp, tmp;

	int i;

	if (ws->n < 10 || txt_proto(ws->w[2], ws->l[2], &ev.proto) != CGN_OK ||
	    (i = after(ws, 3, "for")) < 0 || i + 4 >= ws->n ||
	    conn_end(ws, i, &fr, &frp, &fm, &fmp) != CGN_OK ||
	    !txt_eq(ws->w[i + 2], ws->l[i + 2], "to") ||
	    conn_end(ws, i + 3, &tr, &trp, &tm, &tmp) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = CGN_EV_SESSION_CREATE;
	if (cgn_addr_cmp(&tr, &tm) != 0 || trp != tmp) {
		ev.inside = tr;
		ev.inside_port = trp;
		ev.outside = tm;
		ev.port_lo = ev.port_hi = tmp;
		ev.dst = fm;
		ev.dst_port = fmp;
	} else {
		/* the subscriber's end is not translated (a translated "for"
		 * end is destination NAT: no subscriber mapping) */
		return CGN_OK;
	}
	return add(out, &ev);
}

/* 302020/302021: ... ICMP connection for faddr F/i gaddr G/i laddr L/i */
static int
icmp(const struct words *ws, int type, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	int f, g, l, has;

	if ((f = after(ws, 0, "faddr")) < 0 ||
	    (g = after(ws, 0, "gaddr")) < 0 ||
	    (l = after(ws, 0, "laddr")) < 0 ||
	    addr_slash(ws->w[f], ws->l[f], &ev.dst, &ev.dst_port, 1, &has) !=
	    CGN_OK ||
	    addr_slash(ws->w[g], ws->l[g], &ev.outside, &ev.port_lo, 1, &has) !=
	    CGN_OK ||
	    addr_slash(ws->w[l], ws->l[l], &ev.inside, &ev.inside_port, 1,
	    &has) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = (uint8_t)type;
	ev.proto = 1;
	ev.port_hi = ev.port_lo;
	ev.dst_port = 0;	/* the ICMP id, not a port */
	return add(out, &ev);
}

static int
asa_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *id;
	struct words ws;
	uint64_t num;

	if ((p = txt_find(m->all, m->alllen, "%ASA-")) == NULL &&
	    (p = txt_find(m->all, m->alllen, "%FTD-")) == NULL)
		return CGN_EUNKNOWN;
	/* %ASA-<severity>-<id>: */
	p += 5;
	if (end - p < 10 || p[0] < '0' || p[0] > '7' || p[1] != '-')
		return CGN_EUNKNOWN;
	id = p + 2;
	if (id[6] != ':' || txt_uint(id, 6, 999999, &num) != CGN_OK)
		return CGN_EUNKNOWN;
	split_words(id + 7, end, &ws);
	switch (num) {
	case 305011:
		return xlate(&ws, CGN_EV_SESSION_CREATE, out);
	case 305012:
		return xlate(&ws, CGN_EV_SESSION_DELETE, out);
	case 305014:
		return block(&ws, CGN_EV_PBA_ALLOC, out);
	case 305015:
		return block(&ws, CGN_EV_PBA_RELEASE, out);
	case 302013:
	case 302015:
		return connection(&ws, out);
	case 302020:
		return icmp(&ws, CGN_EV_SESSION_CREATE, out);
	case 302021:
		return icmp(&ws, CGN_EV_SESSION_DELETE, out);
	default:
		return CGN_OK;	/* the ASA's, but no translation */
	}
}

const struct syslog_vendor syslog_cisco_asa = {
	.name = "cisco-asa",
	.mark = { "%ASA-", "%FTD-", NULL },
	.parse = asa_parse,
};
