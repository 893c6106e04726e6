/*
 * syslog_cisco_ios.c - Cisco IOS / IOS XE NAT translation logging
 * ("ip nat log translations syslog"), one message per translation:
 *
 *   *Mar  1 00:12:34.567 UTC: %IPNAT-6-NAT_CREATED: Created tcp
 *   10.0.0.1:43800 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80
 *   ... %IPNAT-6-NAT_DELETED: Deleted tcp ...
 *
 * Fields: protocol, inside local, inside global, outside local, outside
 * global (ipSpace "NAT translation logging"; IOS XE writes the same tags
 * without "NAT_" on some releases: %IPNAT-6-CREATED). IOS puts its own
 * time before the tag ("service timestamps log datetime msec [show-
 * timezone] [year]"): "[*|.]Mmm dd [yyyy] hh:mm:ss[.mmm][ TZ]:". That time
 * is used when present: UTC/GMT as such, anything else in the device's
 * zone; the year, if not written, is the one nearest the receive time.
 * Other %IPNAT messages (address allocation failures) map nothing.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

/* The IOS timestamp ending just before tag, if there is one. */
static void
ios_time(const struct syslog_msg *m, const char *tag, struct cgn_event *ev)
{
	const char *p, *q, *w;
	struct cgn_tm tm;
	uint64_t v;
	size_t l;
	int64_t ms;
	ptrdiff_t i;
	int utc = 0;

	/* the timestamp is the last "Mmm dd" at least 15 bytes before the
	 * tag */
	for (i = tag - m->all - 15; i >= 0; i--) {
		p = m->all + i;
		if ((i == 0 || p[-1] == ' ' || p[-1] == '*' || p[-1] == '.') &&
		    (tm.mon = tc_month(p, 3)) != 0 && p[3] == ' ')
			break;
	}
	if (i < 0)
		return;
	q = p + 3;
	if (txt_word(&q, tag, " ", &w) == 0 ||
	    txt_uint(w, (size_t)(q - w), 31, &v) != CGN_OK)
		return;
	tm.day = (int)v;
	tm.year = 0;
	if ((l = txt_word(&q, tag, " ", &w)) == 4 &&
	    txt_uint(w, l, 9999, &v) == CGN_OK) {
		tm.year = (int)v;
		l = txt_word(&q, tag, " ", &w);
	}
	/* hh:mm:ss[.mmm][:] */
	if (l < 8 || w[2] != ':' || w[5] != ':' ||
	    txt_uint(w, 2, 23, &v) != CGN_OK)
		return;
	tm.hour = (int)v;
	if (txt_uint(w + 3, 2, 59, &v) != CGN_OK)
		return;
	tm.min = (int)v;
	if (txt_uint(w + 6, 2, 60, &v) != CGN_OK)
		return;
	tm.sec = (int)v;
	tm.ms = 0;
	if (l >= 12 && w[8] == '.' && txt_uint(w + 9, 3, 999, &v) == CGN_OK)
		tm.ms = (int)v;
	if (w[l - 1] != ':') {
		/* a zone name follows */
		l = txt_word(&q, tag, " ", &w);
		utc = l >= 4 && (memcmp(w, "UTC:", 4) == 0 ||
		    memcmp(w, "GMT:", 4) == 0);
	}
	if (tm.year == 0)
		tm.year = syslog_guess_year(&tm, m->rx_ms);
	if (utc) {
		if (tc_to_ms(&tm, &ms) != CGN_OK)
			return;
	} else if (syslog_local_time(m, &tm, &ms) != CGN_OK) {
		return;
	}
	syslog_set_time(ev, ms, utc, m);
}

static int
ios_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *end = m->all + m->alllen, *tag, *p, *w;
	struct cgn_event ev = out->base;
	struct cgn_addr ol;
	uint16_t olp;
	size_t l;

	if ((tag = txt_find(m->all, m->alllen, "%IPNAT-")) == NULL)
		return CGN_EUNKNOWN;
	p = tag + 7;
	if (end - p < 3 || p[1] != '-')
		return CGN_EUNKNOWN;
	p += 2;
	if (end - p >= 12 && memcmp(p, "NAT_CREATED:", 12) == 0) {
		ev.type = CGN_EV_SESSION_CREATE;
		p += 12;
	} else if (end - p >= 8 && memcmp(p, "CREATED:", 8) == 0) {
		ev.type = CGN_EV_SESSION_CREATE;
		p += 8;
	} else if (end - p >= 12 && memcmp(p, "NAT_DELETED:", 12) == 0) {
		ev.type = CGN_EV_SESSION_DELETE;
		p += 12;
	} else if (end - p >= 8 && memcmp(p, "DELETED:", 8) == 0) {
		ev.type = CGN_EV_SESSION_DELETE;
		p += 8;
	} else {
		return CGN_OK;		/* another IOS NAT message */
	}
	if ((l = txt_word(&p, end, " ", &w)) == 0)
		return CGN_ETRUNC;
	if (txt_eq(w, l, "Created") || txt_eq(w, l, "Deleted"))
		l = txt_word(&p, end, " ", &w);
	if (l == 0)
		return CGN_ETRUNC;
	if (txt_proto(w, l, &ev.proto) != CGN_OK)
		return CGN_EMALFORMED;
#define AP(a, port) ((l = txt_word(&p, end, " ", &w)) == 0 ? CGN_ETRUNC : \
	txt_addr_port(w, l, ':', a, port))
	if (AP(&ev.inside, &ev.inside_port) != CGN_OK ||
	    AP(&ev.outside, &ev.port_lo) != CGN_OK ||
	    AP(&ol, &olp) != CGN_OK || AP(&ev.dst, &ev.dst_port) != CGN_OK)
		return l == 0 ? CGN_ETRUNC : CGN_EMALFORMED;
#undef AP
	ev.port_hi = ev.port_lo;
	ios_time(m, tag, &ev);
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_cisco_ios = {
	.name = "cisco-ios",
	.mark = { "%IPNAT-", NULL },
	.parse = ios_parse,
};
