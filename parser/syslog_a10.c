/*
 * syslog_a10.c - A10 Thunder CGN (ACOS) NAT logs, CEF and plain text.
 *
 *   CEF (ACOS 6):  CEF:0|A10|CFW|VER|CGN 106|Nat Port Batch Pool Allocated|5|
 *                  proto=UDP src=A sourceTranslatedAddress=B
 *                  sourceTranslatedPort=LO cn3=HI cn3Label=Last Nat Port
 *                  ("Nat Port Allocated"/"Freed", "Nat Session Created"/
 *                  "Freed": one port, spt= and dst=/dpt= where logged)
 *   plain:         NAT-<PROTO>-<C|B|D|U>: A:p -> B:q
 *                  NAT-<PROTO>-<C|D>: A:p<->D:dp, R:rp<-->B:q  (session)
 *                  FIXED-NAT-PORTS A->B:LO-HI                  (fixed NAT)
 *                  PortBatch[V2]{Allocated|Freed}: [A B LO HI]
 * Port batches are per protocol (proto= is kept). The time is the
 * header's, or CEF rt= when it is an epoch. A10 lines about anything else
 * (CEF from A10, updates "U") map nothing: CGN_OK, no event.
 * (../shared/formats.md 2.3)
 */
#include <string.h>

#include "syslog.h"

static int
add(struct syslog_out *out, const struct cgn_event *ev)
{
	if (cgn_addr_cmp(&ev->inside, &ev->outside) == 0 &&
	    ev->inside_port == ev->port_lo && ev->port_lo == ev->port_hi)
		return CGN_OK;		/* not translated */
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = *ev;
	return CGN_OK;
}

/* The CEF event name to an event type; CGN_EV_NONE: nothing to map. */
static int
cef_type(const char *n, size_t len)
{
	int block = txt_find(n, len, "Batch") != NULL;

	if (txt_find(n, len, "Allocated") || txt_find(n, len, "Created"))
		return block ? CGN_EV_PBA_ALLOC : CGN_EV_SESSION_CREATE;
	if (txt_find(n, len, "Freed") || txt_find(n, len, "Deleted") ||
	    txt_find(n, len, "Released"))
		return block ? CGN_EV_PBA_RELEASE : CGN_EV_SESSION_DELETE;
	return CGN_EV_NONE;
}

/* An extension value that must be there and parse as a number <= max. */
static int
ext_uint(const char *x, size_t xl, const char *key, uint64_t max,
    uint64_t *v)
{
	const char *val;
	size_t vl;

	if (!kv_param(x, xl, key, &val, &vl))
		return CGN_EMALFORMED;
	return txt_uint(val, vl, max, v);
}

static int
ext_addr(const char *x, size_t xl, const char *key, struct cgn_addr *a)
{
	const char *val;
	size_t vl;

	if (!kv_param(x, xl, key, &val, &vl))
		return CGN_EMALFORMED;
	return cgn_addr_parse(val, vl, a);
}

static int
parse_cef(const char *p, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *f[7], *x, *val;
	size_t fl[7], xl, vl;
	uint64_t v;
	int64_t ms;
	int i, type;

	/* seven header fields; "\|" does not end one (CEF rules) */
	for (i = 0; i < 7; i++) {
		f[i] = p;
		while (p < end && *p != '|') {
			if (*p == '\\' && p + 1 < end)
				p++;
			p++;
		}
		if (p == end)
			return CGN_ETRUNC;
		fl[i] = (size_t)(p - f[i]);
		p++;
	}
	if ((type = cef_type(f[5], fl[5])) == CGN_EV_NONE)
		return CGN_OK;
	x = p;
	xl = (size_t)(end - p);
	ev.type = (uint8_t)type;
	if (!kv_param(x, xl, "proto", &val, &vl) ||
	    txt_proto(val, vl, &ev.proto) != CGN_OK ||
	    ext_addr(x, xl, "src", &ev.inside) != CGN_OK ||
	    ext_addr(x, xl, "sourceTranslatedAddress", &ev.outside) !=
	    CGN_OK || ext_uint(x, xl, "sourceTranslatedPort", 65535, &v) !=
	    CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)v;
	if (type == CGN_EV_PBA_ALLOC || type == CGN_EV_PBA_RELEASE) {
		if (ext_uint(x, xl, "cn3", 65535, &v) != CGN_OK ||
		    v < ev.port_lo)
			return CGN_EMALFORMED;
		ev.port_hi = (uint16_t)v;
	} else {
		if (ext_uint(x, xl, "spt", 65535, &v) != CGN_OK)
			return CGN_EMALFORMED;
		ev.inside_port = (uint16_t)v;
		if (kv_param(x, xl, "dst", &val, &vl)) {
			if (cgn_addr_parse(val, vl, &ev.dst) != CGN_OK)
				return CGN_EMALFORMED;
			if (kv_param(x, xl, "dpt", &val, &vl)) {
				if (txt_uint(val, vl, 65535, &v) != CGN_OK)
					return CGN_EMALFORMED;
				ev.dst_port = (uint16_t)v;
			}
		}
	}
	/* rt= as epoch milliseconds is UTC; other renderings: the header */
	if (kv_param(x, xl, "rt", &val, &vl) &&
	    txt_epoch_ms(val, vl, &ms) == CGN_OK) {
		ev.ts_ms = ms;
		ev.tsrc = CGN_TS_UTC;
	}
	return add(out, &ev);
}

/* "A:p" with an optional space after the colon (as A10's own examples
 * show) and an optional trailing comma. */
static int
a10_ap(const char *s, size_t len, struct cgn_addr *a, uint16_t *port)
{
	char buf[64];
	size_t i, n = 0;

	if (len > 0 && s[len - 1] == ',')
		len--;
	for (i = 0; i < len && n < sizeof(buf); i++)
		if (s[i] != ' ')
			buf[n++] = s[i];
	if (i != len)
		return CGN_EMALFORMED;
	return txt_addr_port(buf, n, ':', a, port);
}

/* NAT-<PROTO>-<E>: ... */
static int
parse_nat(const char *tag, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *p, *w, *arrow, *rev;

	for (w = p = tag + 4; p < end && *p != '-'; p++)
		;
	if (p == end || txt_proto(w, (size_t)(p - w), &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
	if (end - p < 3 || p[2] != ':')
		return CGN_EMALFORMED;
	switch (p[1]) {
	case 'C':
	case 'B':
		ev.type = CGN_EV_SESSION_CREATE;
		break;
	case 'D':
	case 'F':
		ev.type = CGN_EV_SESSION_DELETE;
		break;
	case 'U':
		return CGN_OK;	/* an update: nothing new */
	default:
		return CGN_EMALFORMED;
	}
	p += 3;
	while (p < end && *p == ' ')
		p++;
	if ((arrow = txt_find(p, (size_t)(end - p), "<->")) != NULL &&
	    (rev = txt_find(arrow, (size_t)(end - arrow), "<-->")) != NULL) {
		/* forward src<->dst, reverse src<-->dst: the reverse
		 * destination is the translated subscriber */
		const char *comma = memchr(arrow, ',', (size_t)(rev - arrow));

		if (comma == NULL ||
		    a10_ap(p, (size_t)(arrow - p), &ev.inside,
		    &ev.inside_port) != CGN_OK ||
		    a10_ap(arrow + 3, (size_t)(comma - arrow - 3), &ev.dst,
		    &ev.dst_port) != CGN_OK ||
		    a10_ap(rev + 4, (size_t)(end - rev - 4), &ev.outside,
		    &ev.port_lo) != CGN_OK)
			return CGN_EMALFORMED;
	} else if ((arrow = txt_find(p, (size_t)(end - p), "->")) != NULL) {
		if (a10_ap(p, (size_t)(arrow - p), &ev.inside,
		    &ev.inside_port) != CGN_OK ||
		    a10_ap(arrow + 2, (size_t)(end - arrow - 2), &ev.outside,
		    &ev.port_lo) != CGN_OK)
			return CGN_EMALFORMED;
	} else {
		return CGN_EMALFORMED;
	}
	ev.port_hi = ev.port_lo;
	return add(out, &ev);
}

/* FIXED-NAT-PORTS A->B:LO-HI */
static int
parse_fixed(const char *tag, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *p = tag + strlen("FIXED-NAT-PORTS"), *w, *arrow, *c;
	size_t l;

	if ((l = txt_word(&p, end, " ", &w)) == 0 ||
	    (arrow = txt_find(w, l, "->")) == NULL ||
	    cgn_addr_parse(w, (size_t)(arrow - w), &ev.inside) != CGN_OK)
		return CGN_EMALFORMED;
	w = arrow + 2;
	l = (size_t)(p - w);
	if ((c = memrchr(w, ':', l)) == NULL ||
	    cgn_addr_parse(w, (size_t)(c - w), &ev.outside) != CGN_OK ||
	    txt_range(c + 1, l - (size_t)(c + 1 - w), &ev.port_lo,
	    &ev.port_hi) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = CGN_EV_PBA_ALLOC;
	return add(out, &ev);
}

/* PortBatch[V2]{Allocated|Freed}: [A B LO HI] */
static int
parse_batch(const char *tag, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *p = tag + strlen("PortBatch"), *w[4];
	size_t l[4];
	uint64_t lo, hi;
	int i;

	if (end - p >= 2 && p[0] == 'V' && p[1] == '2')
		p += 2;
	if (end - p >= 10 && memcmp(p, "Allocated:", 10) == 0) {
		ev.type = CGN_EV_PBA_ALLOC;
		p += 10;
	} else if (end - p >= 6 && memcmp(p, "Freed:", 6) == 0) {
		ev.type = CGN_EV_PBA_RELEASE;
		p += 6;
	} else {
		return CGN_OK;	/* another batch message: no mapping */
	}
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p++ != '[')
		return CGN_EMALFORMED;
	for (i = 0; i < 4; i++)
		if ((l[i] = txt_word(&p, end, " ]", &w[i])) == 0)
			return CGN_EMALFORMED;
	while (p < end && *p == ' ')
		p++;
	if (p == end || *p != ']' ||
	    cgn_addr_parse(w[0], l[0], &ev.inside) != CGN_OK ||
	    cgn_addr_parse(w[1], l[1], &ev.outside) != CGN_OK ||
	    txt_uint(w[2], l[2], 65535, &lo) != CGN_OK ||
	    txt_uint(w[3], l[3], 65535, &hi) != CGN_OK || lo > hi)
		return CGN_EMALFORMED;
	ev.port_lo = (uint16_t)lo;
	ev.port_hi = (uint16_t)hi;
	return add(out, &ev);
}

static int
a10_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p;

	if ((p = txt_find(m->all, m->alllen, "CEF:0|A10|")) != NULL)
		return parse_cef(p + 4, end, out);
	if ((p = txt_find(m->all, m->alllen, "FIXED-NAT-PORTS")) != NULL)
		return parse_fixed(p, end, out);
	if ((p = txt_find(m->all, m->alllen, "PortBatch")) != NULL)
		return parse_batch(p, end, out);
	if ((p = txt_find(m->all, m->alllen, "NAT-")) != NULL &&
	    (p == m->all || p[-1] == ' ' || p[-1] == ':'))
		return parse_nat(p, end, out);
	return CGN_EUNKNOWN;
}

const struct syslog_vendor syslog_a10 = {
	.name = "a10",
	.mark = { "CEF:0|A10|", "NAT-TCP-", "NAT-UDP-", "NAT-ICMP-",
	    "FIXED-NAT-PORTS", "PortBatch", NULL },
	.parse = a10_parse,
};
