/*
 * syslog_nokia.c - Nokia (Alcatel-Lucent) SR OS BB-ISA/ESA NAT logs.
 *
 * Flow logs (7750 SR Multiservice ISA/ESA guide, "Syslog flow logging"):
 * RFC 3164, "<log-prefix>: <seq> NAT [<MDA>]: <message>", where a message
 * may hold several events, each
 *
 *   LSN44|NAT64|DSLITE SADD|SDEL <Year> <Mon> <Day> <hh:mm:ss:cs> <TZ> ...
 *
 * with its own local time and zone designator (1-5 letters; UTC or GMT
 * are taken as such, any other designator means the device's configured
 * zone). The guide's table of the fields after the time was not at hand:
 * they are read as protocol, then the inside address and port, the
 * outside address and port, the destination address and port, in that
 * order, skipping words that are neither (router instances) [reconstructed].
 *
 * Port-block events (log event 2012 tmnxNatPlBlockAllocationLsn, text
 * reconstructed from the SNMP trap's fields, not from a sample):
 *   ... tmnxNatPlBlockAllocationLsn ...: Map B [LO-HI] ... -- A ...
 * "Free"/"De-allocat" in the text means the block went back. Other NAT
 * log events (usage alarms, summarised frees 2021) map nothing.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

static int
is_type(const char *w, size_t l)
{
	return txt_eq(w, l, "LSN44") || txt_eq(w, l, "NAT64") ||
	    txt_eq(w, l, "DSLITE");
}

/* "2026 Jun 30 14:00:00:25 CEST" from *p; moves *p past it. */
static int
nokia_time(const struct syslog_msg *m, const char **p, const char *end,
    struct cgn_event *ev)
{
	const char *w[5];
	size_t l[5];
	struct cgn_tm tm;
	uint64_t v;
	int64_t ms;
	int i, utc;

	for (i = 0; i < 5; i++)
		if ((l[i] = txt_word(p, end, " ", &w[i])) == 0)
			return CGN_ETRUNC;
	if (txt_uint(w[0], l[0], 9999, &v) != CGN_OK || l[1] != 3 ||
	    (tm.mon = tc_month(w[1], 3)) == 0)
		return CGN_EMALFORMED;
	tm.year = (int)v;
	if (txt_uint(w[2], l[2], 31, &v) != CGN_OK)
		return CGN_EMALFORMED;
	tm.day = (int)v;
	/* hh:mm:ss:cs */
	if (l[3] != 11 || w[3][2] != ':' || w[3][5] != ':' || w[3][8] != ':' ||
	    txt_uint(w[3], 2, 23, &v) != CGN_OK)
		return CGN_EMALFORMED;
	tm.hour = (int)v;
	if (txt_uint(w[3] + 3, 2, 59, &v) != CGN_OK)
		return CGN_EMALFORMED;
	tm.min = (int)v;
	if (txt_uint(w[3] + 6, 2, 60, &v) != CGN_OK)
		return CGN_EMALFORMED;
	tm.sec = (int)v;
	if (txt_uint(w[3] + 9, 2, 99, &v) != CGN_OK)
		return CGN_EMALFORMED;
	tm.ms = (int)v * 10;
	if (l[4] > 5)
		return CGN_EMALFORMED;
	utc = txt_eq(w[4], l[4], "UTC") || txt_eq(w[4], l[4], "GMT");
	if (utc ? tc_to_ms(&tm, &ms) : syslog_local_time(m, &tm, &ms))
		return CGN_EMALFORMED;
	syslog_set_time(ev, ms, utc, m);
	return CGN_OK;
}

/* One event from its NAT type word to end. */
static int
flow_event(const struct syslog_msg *m, const char *p, const char *end,
    struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	struct cgn_addr a;
	const char *w;
	size_t l;
	uint64_t v;
	int rc, naddr = 0, want_port = 0;
	uint16_t *ports[3] = { &ev.inside_port, &ev.port_lo, &ev.dst_port };
	struct cgn_addr *addrs[3] = { &ev.inside, &ev.outside, &ev.dst };

	txt_word(&p, end, " ", &w);	/* the type */
	if ((l = txt_word(&p, end, " ", &w)) == 0)
		return CGN_ETRUNC;
	if (txt_eq(w, l, "SADD"))
		ev.type = CGN_EV_SESSION_CREATE;
	else if (txt_eq(w, l, "SDEL"))
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_EMALFORMED;
	if ((rc = nokia_time(m, &p, end, &ev)) != CGN_OK)
		return rc;
	if ((l = txt_word(&p, end, " ", &w)) == 0)
		return CGN_ETRUNC;
	if (txt_proto(w, l, &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
	while ((l = txt_word(&p, end, " ", &w)) > 0 && naddr <= 3) {
		if (want_port) {
			want_port = 0;
			if (txt_uint(w, l, 65535, &v) == CGN_OK) {
				*ports[naddr - 1] = (uint16_t)v;
				continue;
			}
		}
		if (cgn_addr_parse(w, l, &a) == CGN_OK) {
			if (naddr == 3)
				return CGN_EMALFORMED;
			*addrs[naddr++] = a;
			want_port = 1;
		}
	}
	if (naddr < 2)
		return CGN_EMALFORMED;
	ev.port_hi = ev.port_lo;
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

/* Event 2012: "Map B [LO-HI] ... -- A" */
static int
block_event(const struct syslog_msg *m, const char *p,
    struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *w, *br, *q;
	struct cgn_event ev = out->base;
	size_t l;

	if ((q = txt_find(p, (size_t)(end - p), "Map ")) == NULL ||
	    (br = memchr(q, '[', (size_t)(end - q))) == NULL)
		return CGN_EMALFORMED;
	p = q + 4;
	if ((l = txt_word(&p, br, " ", &w)) == 0 ||
	    cgn_addr_parse(w, l, &ev.outside) != CGN_OK ||
	    (q = memchr(br, ']', (size_t)(end - br))) == NULL ||
	    txt_range(br + 1, (size_t)(q - br - 1), &ev.port_lo,
	    &ev.port_hi) != CGN_OK ||
	    (p = txt_find(q, (size_t)(end - q), "-- ")) == NULL)
		return CGN_EMALFORMED;
	p += 3;
	if ((l = txt_word(&p, end, " ", &w)) == 0 ||
	    cgn_addr_parse(w, l, &ev.inside) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = txt_find(m->all, m->alllen, "Free") ||
	    txt_find(m->all, m->alllen, "free") ||
	    txt_find(m->all, m->alllen, "e-allocat") ? CGN_EV_PBA_RELEASE :
	    CGN_EV_PBA_ALLOC;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

static int
nokia_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *w, *next, *q, *t;
	size_t l, tl;
	int rc;

	if ((p = txt_find(m->all, m->alllen, "tmnxNatPlBlockAllocationLsn")) !=
	    NULL)
		return block_event(m, p, out);
	if ((p = txt_find(m->all, m->alllen, " NAT [")) == NULL ||
	    (p = memchr(p, ']', (size_t)(end - p))) == NULL)
		return txt_find(m->all, m->alllen, "tmnxNat") != NULL ?
		    CGN_OK : CGN_EUNKNOWN;
	p++;
	if (p < end && *p == ':')
		p++;
	/* each event starts at a NAT type word */
	while ((l = txt_word(&p, end, " ", &w)) > 0 && !is_type(w, l))
		;
	if (l == 0)
		return CGN_EUNKNOWN;	/* no flow event: not a flow log */
	for (p = w; p < end; p = next) {
		/* this event runs to the next type word, or to the end */
		q = p + l;
		next = end;
		while ((tl = txt_word(&q, end, " ", &t)) > 0) {
			if (is_type(t, tl)) {
				next = t;
				break;
			}
		}
		if ((rc = flow_event(m, p, next, out)) != CGN_OK)
			return rc;
		l = tl;
	}
	return CGN_OK;
}

const struct syslog_vendor syslog_nokia = {
	.name = "nokia",
	.mark = { " NAT [", "tmnxNat", NULL },
	.parse = nokia_parse,
};
