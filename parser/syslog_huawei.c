/*
 * syslog_huawei.c - Huawei CGN and H3C/HPE Comware NAT session logs.
 *
 * Huawei NE40E / NetEngine 8000 CGN "type3" flow syslog (Huawei "CGN log"
 * feature description, flow syslog examples):
 *
 *   <134>1 2020 Jan 17 11:05:55 68.1.1.1 test - NAT444:SessionbasedA
 *   [17 10.1.1.2 - 172.16.1.1 0 1025 -]
 *   [L4 PRIVATEIP PRIVATEIPv6 PUBLICIP PRIVATEPORT PUBLICPORT -]; NAT64
 *   writes the IPv6 inside in the third field. SessionbasedA/W: one port.
 *   The header's "YYYY Mon DD" time is the device's local time (syslog.c).
 *
 * H3C / HPE Comware NAT session log exported to the information centre
 * (HPE MSR "NAT configuration", exporting NAT logs):
 *
 *   %@250005%Jul 7 04:20:04:72 2005 DeviceA USERLOG/7/NAT: ICMP;
 *   192.168.1.6:768--->1.1.1.1:12288; 2.2.2.2:768;
 *   [2005/07/07 04:20:03-0000/00/00 00:00:00]; Operator 8: Data flow created
 *
 *   pre-NAT source ---> post-NAT source; destination; [start-end] in the
 *   device's local time (end 0000/00/00 00:00:00: unknown); Operator 8 is a
 *   create, 1-4 and 7 are ends (normal, aged, config, resources, table
 *   full), 6 is an "active flow" record (nothing new).
 *
 * Not here: Huawei's port-range (user) syslog and H3C's NAT444 port-block
 * logs, whose text we have no sample or document of.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

static int
dash(const char *w, size_t l)
{
	return l == 1 && w[0] == '-';
}

static int
add(struct syslog_out *out, const struct cgn_event *ev)
{
	if (cgn_addr_cmp(&ev->inside, &ev->outside) == 0 &&
	    ev->inside_port == ev->port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = *ev;
	return CGN_OK;
}

/* "NAT444:SessionbasedA [L4 PRIV PRIV6 PUB PRIVPORT PUBPORT -]" */
static int
huawei_record(const char *p, const char *end, struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *w[8], *br;
	size_t l[8], nl;
	uint64_t v;
	int n = 0;

	for (nl = 0; p + nl < end && p[nl] != ' ' && p[nl] != '['; nl++)
		;
	if (txt_eq(p, nl, "SessionbasedA"))
		ev.type = CGN_EV_SESSION_CREATE;
	else if (txt_eq(p, nl, "SessionbasedW"))
		ev.type = CGN_EV_SESSION_DELETE;
	else
		return CGN_OK;		/* another Huawei NAT log */
	if ((br = memchr(p, '[', (size_t)(end - p))) == NULL)
		return CGN_ETRUNC;
	p = br + 1;
	while (n < 8 && (l[n] = txt_word(&p, end, " ]", &w[n])) > 0)
		n++;
	if (n < 7)
		return CGN_ETRUNC;
	if (n > 7 || txt_proto(w[0], l[0], &ev.proto) != CGN_OK ||
	    cgn_addr_parse(dash(w[1], l[1]) ? w[2] : w[1],
	    dash(w[1], l[1]) ? l[2] : l[1], &ev.inside) != CGN_OK ||
	    cgn_addr_parse(w[3], l[3], &ev.outside) != CGN_OK ||
	    txt_uint(w[4], l[4], 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.inside_port = (uint16_t)v;
	if (txt_uint(w[5], l[5], 65535, &v) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)v;
	return add(out, &ev);
}

/* "YYYY/MM/DD hh:mm:ss" local; 0 in *ms for the all-zero "unknown". */
static int
h3c_time(const struct syslog_msg *m, const char *s, size_t len, int64_t *ms)
{
	struct cgn_tm tm;

	if (len == 19 && memcmp(s, "0000/00/00", 10) == 0) {
		*ms = 0;
		return CGN_OK;
	}
	if (txt_datetime(s, len, '/', &tm) != CGN_OK)
		return CGN_EMALFORMED;
	return syslog_local_time(m, &tm, ms);
}

static int
h3c_parse(const struct syslog_msg *m, const char *p, const char *end,
    struct syslog_out *out)
{
	struct cgn_event ev = out->base;
	const char *w, *arrow, *br, *op;
	size_t l;
	uint64_t code;
	int64_t start, stop;

	/* PROTO; A:p--->B:q; D:d; [start-end]; Operator N: text */
	if ((l = txt_word(&p, end, " ;", &w)) == 0)
		return CGN_ETRUNC;
	if (txt_proto(w, l, &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
	if ((l = txt_word(&p, end, " ;", &w)) == 0)
		return CGN_ETRUNC;
	if ((arrow = txt_find(w, l, "--->")) == NULL ||
	    txt_addr_port(w, (size_t)(arrow - w), ':', &ev.inside,
	    &ev.inside_port) != CGN_OK ||
	    txt_addr_port(arrow + 4, l - (size_t)(arrow + 4 - w), ':',
	    &ev.outside, &ev.port_lo) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_hi = ev.port_lo;
	if ((l = txt_word(&p, end, " ;", &w)) == 0)
		return CGN_ETRUNC;
	if (txt_addr_port(w, l, ':', &ev.dst, &ev.dst_port) != CGN_OK)
		return CGN_EMALFORMED;
	if ((br = memchr(p, '[', (size_t)(end - p))) == NULL ||
	    (op = txt_find(br, (size_t)(end - br), "Operator ")) == NULL)
		return CGN_ETRUNC;
	/* [YYYY/MM/DD hh:mm:ss-YYYY/MM/DD hh:mm:ss] */
	if (op - br < 41 || br[40] != ']' || br[20] != '-' ||
	    h3c_time(m, br + 1, 19, &start) != CGN_OK ||
	    h3c_time(m, br + 21, 19, &stop) != CGN_OK)
		return CGN_EMALFORMED;
	op += strlen("Operator ");
	for (w = op; op < end && *op >= '0' && *op <= '9'; op++)
		;
	if (txt_uint(w, (size_t)(op - w), 255, &code) != CGN_OK)
		return CGN_EMALFORMED;
	switch (code) {
	case 8:
		ev.type = CGN_EV_SESSION_CREATE;
		if (start != 0)
			syslog_set_time(&ev, start, 0, m);
		break;
	case 1: case 2: case 3: case 4: case 7:
		ev.type = CGN_EV_SESSION_DELETE;
		if (stop != 0)
			syslog_set_time(&ev, stop, 0, m);
		ev.start_ms = start;
		break;
	default:
		return CGN_OK;	/* an active-flow record, or other */
	}
	return add(out, &ev);
}

static int
huawei_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *p;

	if ((p = txt_find(m->all, m->alllen, "NAT444:")) != NULL)
		return huawei_record(p + 7, end, out);
	if ((p = txt_find(m->all, m->alllen, "NAT64:")) != NULL)
		return huawei_record(p + 6, end, out);
	if ((p = txt_find(m->all, m->alllen, "USERLOG/")) != NULL &&
	    (p = txt_find(p, (size_t)(end - p), "/NAT:")) != NULL)
		return h3c_parse(m, p + 5, end, out);
	return CGN_EUNKNOWN;
}

const struct syslog_vendor syslog_huawei = {
	.name = "huawei-h3c",
	.mark = { "NAT444:", "NAT64:", "USERLOG/", NULL },
	.parse = huawei_parse,
};
