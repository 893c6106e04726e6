/*
 * syslog_cisco_xr.c - Cisco IOS XR CGN (ISM/VSM, ASR 9000/CRS) NAT44
 * syslog: port blocks and sessions, several records per datagram.
 *
 * IOS XR (CGN configuration guide, "syslog" chapter): one UDP datagram
 * carries several records, all within one second of the header's time:
 *
 *   <PRI>1 2011 May 31 10:30:45 HOST - - NAT44 - [UserbasedA 6 10.0.0.1
 *   Broadband - 100.1.1.1 - 2048 3071 - -][UserbasedW ...]
 *
 *   [Event L4 InsideIP InsideVRF InsideIPv6 OutsideIP InsidePort
 *    FirstOutsidePort LastOutsidePort DestIP DestPort], "-" when absent.
 *   UserbasedA/W: a port block given/withdrawn; SessionbasedA/W (and AD/WD
 *   with the destination): one port. Portblockrunout: nothing to map.
 *
 * The header's "YYYY Mon DD hh:mm:ss" is the device's local time
 * (syslog.c). The inside VRF name cannot become a number: not kept.
 */
#include <string.h>

#include "syslog.h"

#define XR_FIELDS 11

static int
dash(const char *w, size_t l)
{
	return l == 1 && w[0] == '-';
}

static int
port_or_dash(const char *w, size_t l, uint16_t *out)
{
	uint64_t v;

	if (dash(w, l)) {
		*out = 0;
		return CGN_OK;
	}
	if (txt_uint(w, l, 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	*out = (uint16_t)v;
	return CGN_OK;
}

static int
add(struct syslog_out *out, const struct cgn_event *ev)
{
	if (cgn_addr_cmp(&ev->inside, &ev->outside) == 0 &&
	    (ev->proto == 0 || ev->inside_port == ev->port_lo))
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = *ev;
	return CGN_OK;
}

/* One IOS XR record, between '[' and ']'. */
static int
xr_record(const char *p, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *w[XR_FIELDS + 1];
	size_t l[XR_FIELDS + 1];
	int n = 0, block;

	while (n <= XR_FIELDS && (l[n] = txt_word(&p, end, " ", &w[n])) > 0)
		n++;
	if (n < 1)
		return CGN_EMALFORMED;
	if (txt_eq(w[0], l[0], "UserbasedA"))
		ev.type = CGN_EV_PBA_ALLOC;
	else if (txt_eq(w[0], l[0], "UserbasedW"))
		ev.type = CGN_EV_PBA_RELEASE;
	else if (txt_eq(w[0], l[0], "SessionbasedA") ||
	    txt_eq(w[0], l[0], "SessionbasedAD"))
		ev.type = CGN_EV_SESSION_CREATE;
	else if (txt_eq(w[0], l[0], "SessionbasedW") ||
	    txt_eq(w[0], l[0], "SessionbasedWD"))
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_OK;		/* Portblockrunout and the like */
	if (n != XR_FIELDS)
		return CGN_EMALFORMED;
	block = ev.type == CGN_EV_PBA_ALLOC || ev.type == CGN_EV_PBA_RELEASE;
	if (!dash(w[1], l[1]) && txt_proto(w[1], l[1], &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
	/* the IPv4 inside, or the IPv6 one (DS-Lite/NAT64 forms) */
	if (!dash(w[2], l[2])) {
		if (cgn_addr_parse(w[2], l[2], &ev.inside) != CGN_OK)
			return CGN_EMALFORMED;
		if (!dash(w[4], l[4]) && cgn_addr_parse(w[4], l[4],
		    &ev.inside_v4) == CGN_OK) {
			/* DS-Lite: the B4's IPv6 is the subscriber */
			struct cgn_addr v4 = ev.inside;

			ev.inside = ev.inside_v4;
			ev.inside_v4 = v4;
		}
	} else if (dash(w[4], l[4]) ||
	    cgn_addr_parse(w[4], l[4], &ev.inside) != CGN_OK) {
		return CGN_EMALFORMED;
	}
	if (cgn_addr_parse(w[5], l[5], &ev.outside) != CGN_OK ||
	    port_or_dash(w[6], l[6], &ev.inside_port) != CGN_OK ||
	    port_or_dash(w[7], l[7], &ev.port_lo) != CGN_OK ||
	    port_or_dash(w[8], l[8], &ev.port_hi) != CGN_OK)
		return CGN_EMALFORMED;
	if (dash(w[7], l[7]))
		return CGN_EMALFORMED;
	if (dash(w[8], l[8]) && !block)
		ev.port_hi = ev.port_lo;
	if (ev.port_hi < ev.port_lo || (block && dash(w[8], l[8])))
		return CGN_EMALFORMED;
	if (block) {
		ev.inside_port = 0;
		ev.proto = 0;	/* a user's block covers every protocol */
	}
	if (!dash(w[9], l[9]) && (cgn_addr_parse(w[9], l[9], &ev.dst) !=
	    CGN_OK || port_or_dash(w[10], l[10], &ev.dst_port) != CGN_OK))
		return CGN_EMALFORMED;
	return add(out, &ev);
}

/* 1 if the record [p, q) begins with word. */
static int
begins(const char *p, const char *q, const char *word)
{
	size_t n = strlen(word);

	return (size_t)(q - p) >= n && memcmp(p, word, n) == 0;
}

static int
xr_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p, *q;
	int rc, seen = 0;

	/* every "[Userbased...]", "[Sessionbased...]" record in turn */
	for (p = m->all; (p = memchr(p, '[', (size_t)(end - p))) != NULL;
	    p = q + 1) {
		if ((q = memchr(p, ']', (size_t)(end - p))) == NULL)
			return seen ? CGN_ETRUNC : CGN_EUNKNOWN;
		if (!begins(p + 1, q, "Userbased") &&
		    !begins(p + 1, q, "Sessionbased") &&
		    !begins(p + 1, q, "Portblock"))
			continue;
		seen = 1;
		if ((rc = xr_record(p + 1, q, out)) != CGN_OK)
			return rc;
	}
	return seen ? CGN_OK : CGN_EUNKNOWN;
}

const struct syslog_vendor syslog_cisco_xr = {
	.name = "cisco-xr",
	.mark = { "[Userbased", "[Sessionbased", "[Portblock", NULL },
	.parse = xr_parse,
};
