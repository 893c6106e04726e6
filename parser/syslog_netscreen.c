/*
 * syslog_netscreen.c - Juniper NetScreen / ScreenOS traffic logs with
 * source NAT (ScreenOS "traffic" system-notification-00257):
 *
 *   NetScreen device_id=D [Root]system-notification-00257(traffic):
 *   start_time="2015-11-11 10:02:10" duration=0 ... proto=6 ...
 *   action=Permit ... src=A dst=X src_port=p dst_port=x
 *   src-xlated ip=B port=q dst-xlated ip=Y port=y session_id=N
 *   reason=Creation
 *
 * reason=Creation is a session create at start_time; any other reason
 * ("Close - TCP FIN", ...), or none (older ScreenOS logs only at the end),
 * is a delete at start_time + duration. start_time is the device's local
 * time (its zone from the device's config). Denied traffic and sessions
 * without source translation map nothing: CGN_OK, no event.
 */
#include <string.h>

#include "syslog.h"
#include "timeconv.h"

static int
netscreen_parse(const struct syslog_msg *m, struct syslog_out *out)
{
	const char *x, *v, *sx, *dx;
	struct cgn_event ev = out->base;
	struct cgn_tm tm;
	struct kvx kv;
	size_t xl, vl;
	uint64_t n, dur = 0;
	int64_t start;

	if ((x = txt_find(m->all, m->alllen, "NetScreen device_id=")) == NULL)
		return CGN_EUNKNOWN;
	xl = (size_t)(m->all + m->alllen - x);
	if (txt_find(x, xl, "(traffic):") == NULL)
		return CGN_OK;	/* a ScreenOS event, not traffic */
	kvx_build(x, xl, &kv);
	if (kvx_get(&kv, x, "action", &v, &vl) && !txt_eq(v, vl, "Permit"))
		return CGN_OK;		/* denied: no session */
	if ((sx = txt_find(x, xl, "src-xlated ")) == NULL)
		return CGN_OK;		/* no source translation */
	if (kvx_addr(&kv, sx, "ip", &ev.outside) != CGN_OK ||
	    kvx_uint(&kv, sx, "port", 65535, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.port_lo = ev.port_hi = (uint16_t)n;
	if (kvx_addr(&kv, x, "src", &ev.inside) != CGN_OK ||
	    kvx_uint(&kv, x, "src_port", 65535, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.inside_port = (uint16_t)n;
	if (kvx_uint(&kv, x, "proto", 255, &n) != CGN_OK)
		return CGN_EMALFORMED;
	ev.proto = (uint8_t)n;
	/* the destination the packet really went to */
	if ((dx = txt_find(sx, xl - (size_t)(sx - x), "dst-xlated ")) !=
	    NULL) {
		if (kvx_addr(&kv, dx, "ip", &ev.dst) != CGN_OK ||
		    kvx_uint(&kv, dx, "port", 65535, &n) != CGN_OK)
			return CGN_EMALFORMED;
		ev.dst_port = (uint16_t)n;
	} else if (kvx_addr(&kv, x, "dst", &ev.dst) == CGN_OK &&
	    kvx_uint(&kv, x, "dst_port", 65535, &n) == CGN_OK) {
		ev.dst_port = (uint16_t)n;
	}
	if (kvx_get(&kv, x, "duration", &v, &vl) &&
	    txt_uint(v, vl, 100 * 365 * 86400ULL, &dur) != CGN_OK)
		return CGN_EMALFORMED;
	ev.type = kvx_get(&kv, x, "reason", &v, &vl) &&
	    txt_eq(v, vl, "Creation") ? CGN_EV_SESSION_CREATE :
	    CGN_EV_SESSION_DELETE;
	if (kvx_get(&kv, x, "start_time", &v, &vl)) {
		if (txt_datetime(v, vl, '-', &tm) != CGN_OK ||
		    syslog_local_time(m, &tm, &start) != CGN_OK)
			return CGN_EMALFORMED;
		if (ev.type == CGN_EV_SESSION_CREATE) {
			syslog_set_time(&ev, start, 0, m);
		} else {
			syslog_set_time(&ev, start + (int64_t)dur * 1000, 0,
			    m);
			ev.start_ms = start;
		}
	}
	if (cgn_addr_cmp(&ev.inside, &ev.outside) == 0 &&
	    ev.inside_port == ev.port_lo)
		return CGN_OK;
	if (out->n >= SYSLOG_MAXREC)
		return CGN_EMALFORMED;
	out->ev[out->n++] = ev;
	return CGN_OK;
}

const struct syslog_vendor syslog_netscreen = {
	.name = "netscreen",
	.mark = { "NetScreen device_id=", NULL },
	.parse = netscreen_parse,
};
